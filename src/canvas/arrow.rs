//! Protection arrows (protector to target, with their badge) and their
//! arrowheads, the dotted lines from a guest to its host or from a DPM
//! server to its database server, and the site blocks behind the servers.

use crate::canvas::badge::badge;
use crate::state::derived::worst;

use crate::browser::markup::el;
use crate::browser::markup::Markup;
use crate::state::derived::Derived;
use crate::state::editor::Mode;

use crate::canvas::looks::Looks;
use crate::ctx::Ctx;

use dpm_rules::hash::HashMap;

use dpm_rules::{
    arrow, bend_for, num, route, route_with_footprint, Arrow, Limit, Link, Point, ServerId,
    Severity, SiteRegion,
};
use leptos::prelude::*;

/// The classes of a protection's line: `switched` protection, the worst
/// finding's `sev`, `broken` by a failed end. What the style (and the far
/// view's painting, `ground.rs`) shows it by.
pub fn link_class(switched: bool, sev: Option<Severity>, broken: bool) -> String {
    let mut c = String::from("protection");
    if switched {
        c.push_str(" switched");
    }
    if let Some(s) = sev {
        c.push(' ');
        c.push_str(s.as_str());
    }
    if broken {
        c.push_str(" broken");
    }
    c
}

#[component]
pub fn ProtectionArrow(
    link: Link,
    /// On the drag layer: routed again on every move, so only short
    /// detours are searched until the drop.
    #[prop(optional)]
    moving: bool,
    /// Zoomed out below `FAR_BELOW` (the arrows are made again when the
    /// zoom crosses it, as the servers are: one shared signal read by
    /// 10,000 arrows costs Leptos time quadratic in their number whenever
    /// many of them run again).
    far: bool,
) -> impl IntoView {
    let c = crate::ctx::ctx();
    let (ed, pos) = (c.ed, c.pos);
    let derived = expect_context::<Derived>();
    let looks = expect_context::<Looks>();
    let origin = Point { x: 0.0, y: 0.0 };
    let a = pos.of(link.protector, origin);
    let b = pos.of(link.target, origin);
    // Its own signals in the keyed stores: an edit elsewhere runs none of
    // this.
    let l = looks.of_link(c, derived, link);
    let reverse = crate::browser::memo(move |_| l.with(|l| l.facts.reverse));
    let reroute = crate::browser::memo(move |_| l.with(|l| l.reroute));
    let geo = geometry(
        link,
        (a, b),
        reverse,
        (moving, far),
        derived,
        (looks, reroute),
    );
    let sev = crate::browser::memo(move |_| {
        l.with(|l| worst(&l.state.findings))
            .filter(|s| *s != Severity::Info)
    });
    let broken = crate::browser::memo(move |_| l.with(|l| l.state.broken));
    let selected = crate::browser::memo(move |_| l.with(|l| l.state.selected));
    let entering = ed
        .entering
        .with_untracked(|e| e.contains(&link.protector) || e.contains(&link.target))
        || ed.showing_step();
    let class = move || link_class(l.with(|l| l.facts.switched), sev.get(), broken.get());
    let name = move || l.with(|l| l.facts.name.clone());
    let d = move || geo.with(|g| g.d.clone());
    let badge_view = move || {
        sev.get()
            .map(|s| l.with(|st| badge(s, &st.state.findings, geo.with(|g| g.mid), false)))
    };
    if far {
        // Zoomed out an arrow is a hairline no one aims at (the style
        // takes presses and the arrowhead off it): its line, hook and
        // badge only, the fewer views to make (every protection of a
        // drawing of up to 500 servers fitted, a thousand or more).
        return view! {
            <g class="protection-group" class:selected=selected class:entering=entering data-protection=name>
                <path class=class d=d />
                {badge_view}
            </g>
        }
        .into_any();
    }
    let marker = move || {
        if broken.get() {
            return "url(#arrowhead-broken)";
        }
        match sev.get() {
            Some(Severity::Error) => "url(#arrowhead-error)",
            Some(Severity::Warning) => "url(#arrowhead-warning)",
            _ => "url(#arrowhead)",
        }
    };
    let on_down = move |ev: web_sys::PointerEvent| {
        ev.stop_propagation();
        if ed.mode.get_untracked() != Mode::Edit {
            return;
        }
        ed.selection.set(Vec::new());
        ed.selected_link.set(Some(link));
    };
    let hover = crate::ctx::ctx().tip;
    view! {
        <g class="protection-group" class:selected=selected class:entering=entering
            data-protection=name
            on:pointerdown=on_down
            on:pointerenter=move |_| hover.link.set(Some(link))
            on:pointerleave=move |_| hover.link.set(None)>
            <path class="hit" d=d />
            <path class=class d=d marker-end=marker />
            {badge_view}
        </g>
    }
    .into_any()
}

/// Where the arrow of `link` runs, its ends at `ends`: around the boxes in
/// its way; zoomed far out, where boxes are small shapes and no name
/// shows, straight (and nothing to route). On the drag layer (`moving`),
/// only short detours are searched, as it is routed again on every move.
///
/// Searched again when its ends move, or when a box that changed touches
/// its route's footprint (`reroute`, see [`Looks`]): the route is the one
/// the export and a reload draw, yet an edit elsewhere in an estate routes
/// nothing here.
fn geometry(
    link: Link,
    (a, b): (ArcRwSignal<Point>, ArcRwSignal<Point>),
    reverse: Memo<bool>,
    (moving, far): (bool, bool),
    derived: Derived,
    (looks, reroute): (Looks, Memo<u32>),
) -> Memo<Arrow> {
    let obstacles = derived.obstacles;
    crate::browser::memo(move |_| {
        let (p, q, rev) = (a.get(), b.get(), reverse.get());
        let _ = reroute.get();
        let ends = ((link.protector, p), (link.target, q));
        if far {
            arrow(p, q, bend_for(p, q, rev))
        } else if moving {
            obstacles.with_untracked(|o| route(ends.0, ends.1, rev, o, Limit::moving(o.len())))
        } else {
            let (g, fp) = obstacles.with_untracked(|o| {
                route_with_footprint(ends.0, ends.1, rev, o, Limit::for_drawing(o.len()))
            });
            looks.routed(link, fp);
            g
        }
    })
}

/// The arrowheads, one marker per look: (id, class of its path).
const MARKERS: [(&str, &str); 5] = [
    ("arrowhead", "arrowhead"),
    ("arrowhead-error", "arrowhead error"),
    ("arrowhead-warning", "arrowhead warning"),
    ("arrowhead-broken", "arrowhead broken"),
    ("ghost-head", "ghost-head"),
];

/// The canvas's `<defs>`: the arrowheads the arrows name by id.
pub fn marker_defs() -> impl IntoView {
    let markers = MARKERS
        .iter()
        .map(|&(id, class)| {
            view! {
                <marker id=id viewBox="0 0 10 10" refX="9" refY="5" markerWidth="8"
                    markerHeight="8" orient="auto-start-reverse">
                    <path d="M0 0 L10 5 L0 10 z" class=class />
                </marker>
            }
        })
        .collect_view();
    view! { <defs>{markers}</defs> }
}

/// Sites as labelled regions behind their servers: one memo over the
/// drawing (an estate of 10,000 with no site costs one scan).
/// While servers of a site are dragged, the region follows them.
pub fn site_regions(c: Ctx, dragging: RwSignal<Vec<ServerId>>) -> Memo<Vec<SiteRegion>> {
    let (ed, pos) = (c.ed, c.pos);
    crate::browser::memo(move |_| {
        let moving = dragging.get();
        ed.shown.with(|t| {
            if t.servers.iter().all(|s| s.site().is_none()) {
                return Vec::new();
            }
            let live: HashMap<ServerId, Point> = moving
                .iter()
                .filter(|&&id| t.server(id).is_some_and(|s| s.site().is_some()))
                .map(|&id| (id, pos.of(id, Point { x: 0.0, y: 0.0 }).get()))
                .collect();
            dpm_rules::site_regions(t, &|id| {
                live.get(&id)
                    .copied()
                    .or_else(|| t.server(id).and_then(|s| s.pos))
            })
        })
    })
}

/// Sites as regions behind their servers, each labelled with as much of
/// its name as its width holds (the whole name in its tooltip); a site
/// failed in the simulator says so.
pub fn sites_markup(regions: &[SiteRegion], failed: &[String]) -> Markup {
    Markup::concat(regions.iter().map(|r| {
        let down = failed.iter().any(|f| dpm_rules::same_name(f, &r.name));
        let room = ((r.w - 24.0) / 7.6).max(4.0) as usize;
        let label = if down {
            format!(
                "{} — failed",
                dpm_rules::truncate(&r.name, room.saturating_sub(9).max(4))
            )
        } else {
            dpm_rules::truncate(&r.name, room)
        };
        el("g")
            .attr(
                "class",
                if down {
                    "site-region failed"
                } else {
                    "site-region"
                },
            )
            .attr("data-site", &r.name)
            .child(el("title").text(if dpm_rules::names_a_site(&r.name) {
                r.name.clone()
            } else {
                format!("Site {}", r.name)
            }))
            .child(
                el("rect")
                    .attr("x", num(r.x))
                    .attr("y", num(r.y))
                    .attr("width", num(r.w))
                    .attr("height", num(r.h))
                    .attr("rx", "14"),
            )
            .child(
                el("text")
                    .attr("class", "site-label")
                    .attr("x", num(r.x + 12.0))
                    .attr("y", num(r.y + 16.0))
                    .text(label),
            )
    }))
}

/// A virtual machine's dotted line to its host, or a DPM server's dashed
/// line, labelled "DPM database", to the server holding its database.
/// Follows both ends while they move.
#[component]
pub fn EstateLine(from: ServerId, to: ServerId, database: bool) -> impl IntoView {
    let ed = crate::ctx::ctx().ed;
    let pos = crate::ctx::ctx().pos;
    let zero = Point { x: 0.0, y: 0.0 };
    let (a, b) = (pos.of(from, zero), pos.of(to, zero));
    let (a2, b2) = (a.clone(), b.clone());
    // The database line bends to one side: a DPM server usually protects
    // the server holding its database, and the straight protection arrow
    // between them would hide it.
    let bend = if database { 42.0 } else { 0.0 };
    let control = move |p: Point, q: Point| {
        let (dx, dy) = (q.x - p.x, q.y - p.y);
        let len = (dx * dx + dy * dy).sqrt().max(1.0);
        Point {
            x: (p.x + q.x) / 2.0 - dy / len * bend,
            y: (p.y + q.y) / 2.0 + dx / len * bend,
        }
    };
    let d = move || {
        let (p, q) = (a.get(), b.get());
        let c = control(p, q);
        format!(
            "M{} {} Q{} {} {} {}",
            num(p.x),
            num(p.y),
            num(c.x),
            num(c.y),
            num(q.x),
            num(q.y)
        )
    };
    // The curve's middle: a quarter of each end and half the control point.
    let mid = move || {
        let (p, q) = (a2.get(), b2.get());
        let c = control(p, q);
        Point {
            x: 0.25 * p.x + 0.5 * c.x + 0.25 * q.x,
            y: 0.25 * p.y + 0.5 * c.y + 0.25 * q.y,
        }
    };
    let mid2 = mid.clone();
    let title = ed.shown.with_untracked(|t| {
        if database {
            format!("{}'s DPM database is on {}", t.name(from), t.name(to))
        } else {
            format!("{} runs on {}", t.name(from), t.name(to))
        }
    });
    view! {
        <g class=if database { "estate-link database" } else { "estate-link host" }>
            <title>{title}</title>
            <path d=d />
            {database.then(|| view! {
                <text class="estate-label" x=move || num(mid().x) y=move || num(mid2().y + 4.0) text-anchor="middle">
                    "DPM database"
                </text>
            })}
        </g>
    }
}
