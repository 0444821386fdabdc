//! What a large estate paints instead of making nodes. Zoomed out (below
//! `FAR_BELOW`) on more than `GROUND_OVER` servers (`state::derived`), the
//! servers and protections are painted on canvases under the SVG, not made
//! as thousands of SVG nodes (what the minimap already does for the whole
//! drawing): the protections with the canvas's own stroker, on two
//! canvases, the selection's apart (`lines.rs`), and over them the
//! servers, rasterised in the wasm (`boxes.rs`, `raster.rs`) and put there
//! in one call. Each layer is repainted only when what it shows changes,
//! and where: a selection repaints the pixels around the servers it
//! changes and the selection's protections, not 5,000 lines, and so does
//! moving it. A press is hit-tested by
//! coordinates (`pointer.rs`). Close in on an estate of more than
//! `CROSSING_PAINTED_OVER` servers, the protections
//! that only pass through the view (no end near it) are painted too, and
//! the others are arrows (`cull.rs`); a click on a painted line selects
//! it.
//!
//! Zoomed out, the SVG keeps as nodes, with their hooks, keys and labels,
//! only what a user works on ([`kept`]): the last selected (up to
//! [`NODES_SELECTED`]; the rest of the selection, up to [`MOST_SELECTED`],
//! is written over the painting as hooks only, [`selection_hooks`]),
//! failed servers, the server with the keyboard focus
//! and its neighbours in the drawing's order (so Tab walks the drawing),
//! the servers of a protection being drawn (by keyboard, the candidates
//! nearest the source, for Tab), the presenter's spotlight and the first
//! server (where Tab enters the drawing). They are drawn over the
//! painting; the selected, failed and focused servers also get a frame
//! there that stays visible however far out the view is.
//!
//! The painting takes its colours from the stylesheet: each look is read
//! off a hidden probe node that has the classes a node would have, so the
//! canvases follow the theme, forced colours, the simulator and the
//! spotlight exactly as the nodes do.

use crate::browser::markup::{el, El, Markup};
use crate::canvas::arrow::link_class;
use crate::canvas::layer::{last_selected, on_change};
use crate::canvas::looks::{FlagSources, Looks};
use crate::canvas::node::server_class;
use crate::canvas::state::Verdict;
use crate::ctx::Ctx;
use crate::state::derived::worst;
use crate::state::derived::{Derived, CROSSING_PAINTED_OVER};

use dpm_rules::hash::HashSet;
use std::rc::Rc;

use dpm_rules::{num, Kind, Link, Point, ServerId, Severity, Topology, NODE_H};
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::canvas::state::{DRAW_ALL_UP_TO, NEAREST};

pub use crate::canvas::layer::MOST_SELECTED;

/// The canvases the far view is painted on, under the SVG: the
/// protections (two canvases, `lines.rs`), and over them the servers. Each
/// is repainted (once a frame, after the SVG's classes, the mode, are set)
/// only when what it shows changes: selecting a server repaints the
/// servers and its own protections, not 5,000.
#[component]
pub fn Ground(
    /// The servers being dragged (drawn on the drag layer, not here).
    dragging: RwSignal<Vec<ServerId>>,
    /// A hidden group in the SVG for the probes.
    probes: NodeRef<leptos::svg::G>,
    /// The protections drawn as arrows.
    arrows: Memo<Vec<Link>>,
) -> impl IntoView {
    let c = crate::ctx::ctx();
    let derived = expect_context::<Derived>();
    let looks = expect_context::<Looks>();
    let (links, hot, servers) = (NodeRef::new(), NodeRef::new(), NodeRef::new());
    let media = media_changes();
    // What both layers show: where, at what size, in which theme.
    let common = move || {
        c.ed.shown.with(|_| ());
        c.pos.settled.track();
        media.track();
        c.ed.camera.track();
        c.ed.viewport.track();
        c.theme.track();
        dragging.track();
    };
    // Zoomed out, every protection; close in on a large estate, those that
    // pass through the view with no end near it (not arrows: `cull.rs`).
    let painted = crate::browser::memo(move |_| {
        derived.ground.get()
            || !derived.far.get() && c.ed.shown.with(|t| t.servers.len() > CROSSING_PAINTED_OVER)
    });
    // Each layer follows what it shows only while it is painted (off, it
    // is emptied once).
    crate::canvas::lines::install(
        (c, derived),
        (links, hot, probes),
        (painted, arrows, dragging),
        common,
    );
    // The flags' sources as the effect read them, for the painting: built
    // once per change.
    let flags: StoredValue<Option<Rc<FlagSources>>, LocalStorage> = StoredValue::new_local(None);
    on_change(
        move || {
            if !derived.ground.get() {
                flags.set_value(None);
                return;
            }
            common();
            c.tip.focus.track();
            c.tip.focused.track();
            flags.set_value(Some(Rc::new(FlagSources::now(c))));
            c.rv.risk.with(|_| ());
        },
        move || {
            crate::canvas::boxes::paint(
                c,
                (looks, flags),
                (servers, probes),
                derived.ground,
                dragging,
            )
        },
    );
    view! {
        <canvas class="ground links" aria-hidden="true" node_ref=links></canvas>
        <canvas class="ground hot-links" aria-hidden="true" node_ref=hot></canvas>
        <canvas class="ground servers" aria-hidden="true" node_ref=servers></canvas>
    }
}

/// How many of the last selected servers stay nodes in the far view (and,
/// on a drawing not drawn whole, out of the area drawn), with keys and a
/// place in the Tab order: the one a click, Find or a
/// rename just selected is given the keys, and a Shift-click's few before
/// it keep theirs. The rest of the selection (up to [`MOST_SELECTED`]) is
/// written as hooks only ([`selection_hooks`]).
pub const NODES_SELECTED: usize = 8;

/// The servers that stay SVG nodes in the far view (see the module's
/// docs), from drawing `t`, in the order of the drawing.
pub fn kept(c: Ctx, t: &Topology) -> Vec<ServerId> {
    let (ed, cn) = (c.ed, c.cn);
    let mut keep = last_selected(ed.selection, NODES_SELECTED);
    ed.shown_failed.with(|f| keep.extend(f.iter().copied()));
    keep.extend(t.servers.first().map(|s| s.id));
    // The focused server and its neighbours: Tab and Shift+Tab go on
    // through the drawing from it.
    if let Some(i) = c.tip.focus.get().and_then(|id| t.position(id)) {
        let (from, to) = (i.saturating_sub(1), (i + 2).min(t.servers.len()));
        keep.extend(t.servers[from..to].iter().map(|s| s.id));
    }
    keep.extend(c.pr.spot.get());
    keep.extend(cn.target.get());
    let from = cn.from.get();
    keep.extend(from);
    if let (Some(from), true) = (from, cn.keyboard.get()) {
        let near = nearest_candidates(c, t, from);
        keep.extend(near.iter().copied());
        cn.made.set_value(near);
    }
    // A protection's candidates just ended stay nodes a moment (see
    // `Connect::cancel`), those still in the drawing.
    cn.lingering.with(|l| keep.extend(l.iter().copied()));
    // In the drawing's order, as the nodes of a small drawing are: Tab goes
    // on from the focused node (a node moved in the page would lose it).
    t.servers
        .iter()
        .map(|s| s.id)
        .filter(|id| keep.contains(id))
        .collect()
}

/// The far view's selection beyond the servers kept as nodes: the rest of
/// the last [`MOST_SELECTED`] selected, and their protections that are not
/// arrows, written as one piece of markup with the hooks and classes a
/// node and an arrow have (`data-server` with `selected`, `data-protection`),
/// over the painting as the nodes were. A box drawn round 106 servers of
/// an estate of 10,000, fitted, made 106 nodes and their 142 arrows through
/// Leptos: its release took 47 ms of the main thread, and 21 ms with the
/// hooks. They take no presses or keys of their own: a press on one is the
/// painting's (`pointer.rs`), which hands the keys to that server, and a
/// server with the keys is a node ([`kept`]). Hidden from assistive
/// technology, as the painting is: the side panel says how many are
/// selected, and the Servers list which.
///
/// Elsewhere, on a drawing of more than `DRAW_ALL_UP_TO` servers (close in,
/// or zoomed out on up to `GROUND_OVER`), the same servers not in the area
/// drawn where the canvas draws them now (out of view: a server whose
/// place is in it is a node) are written as their
/// hooks alone, without protections (those with an end in view are arrows
/// already, and those passing through it arrows or painted): made as nodes
/// with their arrows, the last 200 took Ctrl+A at 100 % 127 ms at 1,000
/// servers and 164 ms at 10,000, and as long again at a drag's drop.
pub fn selection_hooks(
    c: Ctx,
    (nodes, arrows, area): (
        Memo<Vec<ServerId>>,
        Memo<Vec<Link>>,
        Memo<crate::canvas::layer::View>,
    ),
    dragging: RwSignal<Vec<ServerId>>,
) -> impl IntoView {
    let derived = expect_context::<Derived>();
    crate::browser::markup::svg_layer("selection-hooks", move || {
        let ground = derived.ground.get();
        if !ground && c.ed.shown.with(|t| t.servers.len() <= DRAW_ALL_UP_TO) {
            return Markup::default();
        }
        let hooked: Vec<ServerId> = c.ed.selection.with(|s| {
            if s.len() <= NODES_SELECTED {
                return Vec::new();
            }
            let nodes: HashSet<ServerId> = nodes.with(|n| n.iter().copied().collect());
            let moving: HashSet<ServerId> = dragging.with(|d| d.iter().copied().collect());
            s.iter()
                .rev()
                .take(MOST_SELECTED)
                .filter(|id| !nodes.contains(id) && !moving.contains(id))
                .copied()
                .collect()
        });
        if hooked.is_empty() {
            return Markup::default();
        }
        c.ed.shown.with(|t| {
            // Where the canvas draws it now; the drawing's place until the
            // positions have it (a paste, an undone delete).
            let at = |id: ServerId| c.pos.track(id).or_else(|| t.server(id)?.pos);
            // Not painted, none in the area drawn, where the canvas draws a
            // server now: one gliding across the view (a simulator's or a
            // presenter's step) to a place out of it is not drawn there,
            // selected or not.
            let (x0, y0, x1, y1) = if ground {
                Default::default()
            } else {
                area.get()
            };
            let out = |id: &ServerId| {
                ground || at(*id).is_none_or(|p| p.x < x0 || p.x > x1 || p.y < y0 || p.y > y1)
            };
            let hooked: Vec<ServerId> = hooked.into_iter().filter(out).collect();
            if hooked.is_empty() {
                return Markup::default();
            }
            let looks = (FlagSources::now(c), single_points(c));
            let (lines, servers) = hooks_markup(
                (c, derived),
                (t, &hooked, &at),
                ground.then_some(arrows),
                &looks,
            );
            lines.then(&servers)
        })
    })
}

/// The dragged servers made nodes on the drag layer, and the arrows drawn
/// there.
pub type DragDrawn = (Memo<Vec<ServerId>>, Memo<Vec<Link>>);

/// The dragged servers of a far view of more than `DRAW_ALL_UP_TO`
/// servers (`as_one`: `cull::Visible::moved_as_one`) that are not made
/// nodes on the drag layer (all but a few: [`kept`]), with their
/// protections to one another, at their places when the drag began, written when the drag
/// begins (and again only if what they show changes, as the findings):
/// the drag moves this piece of markup as one, by `Pointer::shift` in its
/// layer's CSS transform, which the compositor applies without painting
/// again. Made as nodes and arrows and moved one by one, they took 1.5 s
/// at the first move of a drag of all 10,000 servers of a fitted estate,
/// and 0.5 s at every move after it.
///
/// Those of the last [`MOST_SELECTED`] selected keep the hooks they have
/// over the painting ([`selection_hooks`]); the others, as the painting
/// has none for them, are written as shapes only ([`shapes_markup`]): a
/// hook each for all 10,000 (40,000 elements) took 0.37 s of the first
/// move, half of it the browser's style of them.
///
/// In: the pointer's `dragging` and `drag_from`, and the dragged servers
/// made nodes and the arrows drawn on the drag layer (`cull::Visible`'s
/// `dragged` and `drag_arrows`).
pub fn drag_hooks(
    c: Ctx,
    p: crate::canvas::pointer::Pointer,
    drawn: DragDrawn,
    as_one: Memo<bool>,
) -> impl IntoView {
    let derived = expect_context::<Derived>();
    let (dragging, from) = (p.dragging, p.drag_from);
    let (dragged, arrows) = drawn;
    crate::browser::markup::svg_layer("drag-hooks", move || {
        if !as_one.get() {
            return Markup::default();
        }
        let nodes: HashSet<ServerId> = dragged.with(|d| d.iter().copied().collect());
        let recent = last_selected(c.ed.selection, MOST_SELECTED);
        let (hooked, shaped): (Vec<ServerId>, Vec<ServerId>) = dragging.with(|d| {
            d.iter()
                .filter(|id| !nodes.contains(id))
                .copied()
                .partition(|id| recent.contains(id))
        });
        if hooked.is_empty() && shaped.is_empty() {
            return Markup::default();
        }
        let at: dpm_rules::hash::HashMap<ServerId, Point> =
            from.with_value(|f| f.iter().copied().collect());
        let looks = (FlagSources::now(c), single_points(c));
        c.ed.shown.with(|t| {
            let at = |id: ServerId| at.get(&id).copied().or_else(|| t.server(id)?.pos);
            let (hook_lines, hooks) =
                hooks_markup((c, derived), (t, &hooked, &at), Some(arrows), &looks);
            let (lines, shapes) =
                shapes_markup((c, derived), (t, (&shaped, &hooked), &at), arrows, &looks);
            // Every line under every server, as the canvas stacks them.
            lines.then(&hook_lines).then(&shapes).then(&hooks)
        })
    })
}

/// What decides a server's look besides its kind: the flags' sources and
/// the single points of failure ([`single_points`]), read once a writing.
type LookSources = (FlagSources, HashSet<ServerId>);

/// Servers `shaped` of drawing `t`, each at `at`, and their protections
/// not drawn as `arrows` nor at a server of `hooked` (which
/// [`hooks_markup`] writes), as the painting shows them: each look's
/// shapes as one path, in a group with the classes a node or an arrow of
/// that look has (so the stylesheet gives them its colours, as it gives
/// the painting them), and a protection's badge as its hook has it. No
/// `data-server` or `data-protection`: the painting has none for them
/// either. Their looks from `flags` and `spof` ([`LookSources`]). Out:
/// the protections' markup, and the servers'.
fn shapes_markup(
    (c, derived): (Ctx, Derived),
    (t, (shaped, hooked), at): (&Topology, (&[ServerId], &[ServerId]), Place<'_>),
    arrows: Memo<Vec<Link>>,
    (flags, spof): &LookSources,
) -> (Markup, Markup) {
    if shaped.is_empty() {
        return Default::default();
    }
    let (set, hooked): (HashSet<ServerId>, HashSet<ServerId>) = (
        shaped.iter().copied().collect(),
        hooked.iter().copied().collect(),
    );
    let zoom = c.ed.camera.with_untracked(|cam| cam.k);
    let mut lines = Groups::new(zoom);
    let mut badges = Vec::new();
    each_link(
        (c, derived),
        t,
        &|l| {
            (set.contains(&l.protector) || set.contains(&l.target))
                && !hooked.contains(&l.protector)
                && !hooked.contains(&l.target)
        },
        (at, arrows),
        &mut |d| {
            lines.add(d.class, d.mid, &d.d);
            badges.extend(d.sev.map(|s| hook_badge(s, d.findings, d.mid)));
        },
    );
    let mut shapes = Groups::new(zoom);
    for &id in shaped {
        let (Some(s), Some(p)) = (t.server(id), at(id)) else {
            continue;
        };
        let class = server_class(s.kind, flags.flags(id), spof.contains(&id));
        shapes.add(class, p, &body_path(s, p));
    }
    let lines = lines.all.into_iter().map(|(class, d)| {
        el("g")
            .attr("class", "protection-group")
            .child(el("path").attr("class", class).attr("d", d))
    });
    let lines = el("g")
        .attr("class", "protections")
        .children(lines)
        .children(badges)
        .render();
    let shapes = shapes.all.into_iter().map(|(class, d)| {
        el("g")
            .attr("class", class)
            .child(el("path").attr("class", "body").attr("d", d))
    });
    (lines, Markup::concat(shapes))
}

/// Path data by class and by part of the drawing, in the order each is
/// first met: the browser rasterises the moved piece tile by tile, and
/// each tile goes through every shape of a path that meets it, so one
/// path of 10,000 shapes took 0.18 s of raster at a fitted estate's first
/// move.
struct Groups {
    /// The part's side, in the drawing's units: [`Groups::PART_PX`] at the
    /// zoom the drag began at.
    side: f64,
    index: dpm_rules::hash::HashMap<(String, i64, i64), usize>,
    all: Vec<(String, String)>,
}

impl Groups {
    /// The side of a part of the drawing on screen, in CSS pixels: about
    /// a raster tile's.
    const PART_PX: f64 = 256.0;

    fn new(zoom: f64) -> Groups {
        Groups {
            side: Groups::PART_PX / zoom.max(1e-3),
            index: Default::default(),
            all: Vec::new(),
        }
    }

    /// Appends path data `d`, of a shape at `p`, to its class's path in
    /// the part of the drawing `p` is in.
    fn add(&mut self, class: String, p: Point, d: &str) {
        let cell = (
            (p.x / self.side).floor() as i64,
            (p.y / self.side).floor() as i64,
        );
        let key = (class, cell.0, cell.1);
        match self.index.get(&key) {
            Some(&i) => self.all[i].1.push_str(d),
            None => {
                self.index.insert(key.clone(), self.all.len());
                self.all.push((key.0, d.to_string()));
            }
        }
    }
}

/// Server `s`'s shape at `p` as path data: the rectangle, with the
/// rounded corners, a node's `rect class="body"` has ([`hook_server`]).
fn body_path(s: &dpm_rules::Server, p: Point) -> String {
    let (w, h) = (dpm_rules::box_width(&s.name), NODE_H);
    let r: f64 = if s.kind == Kind::Dpm { 12.0 } else { 4.0 };
    let (x, y) = (num(p.x - w / 2.0 + r), num(p.y - h / 2.0));
    let (a, b, r) = (num(w - 2.0 * r), num(h - 2.0 * r), num(r));
    let turn = |dx: &str, dy: &str| format!("a{r} {r} 0 0 1 {dx}{r} {dy}{r}");
    format!(
        "M{x} {y}h{a}{}v{b}{}h-{a}{}v-{b}{}z",
        turn("", ""),
        turn("-", ""),
        turn("-", "-"),
        turn("", "-"),
    )
}

/// Where a hook or shape is written: a server's place, if it has one.
type Place<'a> = &'a dyn Fn(ServerId) -> Option<Point>;

/// The markup of [`selection_hooks`] for servers `hooked` of drawing `t`,
/// each at `at` (tracked reads of what it shows), in the looks `flags`
/// and `spof` give them ([`LookSources`]): their
/// protections not drawn as `arrows` (none when `arrows` is None), and the
/// servers, apart (the canvas stacks every line under every server).
fn hooks_markup(
    (c, derived): (Ctx, Derived),
    (t, hooked, at): (&Topology, &[ServerId], Place<'_>),
    arrows: Option<Memo<Vec<Link>>>,
    (flags, spof): &LookSources,
) -> (Markup, Markup) {
    let servers = hooked.iter().filter_map(|&id| {
        let s = t.server(id)?;
        let class = server_class(s.kind, flags.flags(id), spof.contains(&id));
        Some(hook_server(s, class, at(id)?))
    });
    let servers = Markup::concat(servers);
    match arrows {
        Some(arrows) => (hook_links(c, derived, t, (hooked, arrows), at), servers),
        None => (Markup::default(), servers),
    }
}

/// A server's hook: its group with the node's classes and name, and the
/// node's shape at `p` (zoomed out, a node is its shape only).
fn hook_server(s: &dpm_rules::Server, class: String, p: Point) -> El {
    let w = dpm_rules::box_width(&s.name);
    el("g")
        .attr("class", class)
        .attr("data-server", &s.name)
        .child(
            el("rect")
                .attr("class", "body")
                .attr("x", num(p.x - w / 2.0))
                .attr("y", num(p.y - NODE_H / 2.0))
                .attr("width", num(w))
                .attr("height", num(NODE_H))
                .attr("rx", if s.kind == Kind::Dpm { "12" } else { "4" }),
        )
}

/// The servers labelled single points of failure in the Risk view, as
/// `Looks` labels one (`risk_line`: it takes something with it).
fn single_points(c: Ctx) -> HashSet<ServerId> {
    c.rv.risk.with(|r| {
        r.as_deref()
            .map(|(r, _)| {
                r.single_points
                    .iter()
                    .filter(|sp| !sp.loses.is_empty() || !sp.unprotects.is_empty())
                    .map(|sp| sp.server)
                    .collect()
            })
            .unwrap_or_default()
    })
}

/// The protections of servers `hooked` not drawn as `arrows`, as the far
/// view's arrows draw them (straight, with their badge), in a group the
/// spotlight dims as it dims the arrows.
fn hook_links(
    c: Ctx,
    derived: Derived,
    t: &Topology,
    (hooked, arrows): (&[ServerId], Memo<Vec<Link>>),
    at: Place<'_>,
) -> Markup {
    let set: HashSet<ServerId> = hooked.iter().copied().collect();
    let mut links = Vec::new();
    each_link(
        (c, derived),
        t,
        &|l| set.contains(&l.protector) || set.contains(&l.target),
        (at, arrows),
        &mut |d| {
            links.push(
                el("g")
                    .attr("class", "protection-group")
                    .attr(
                        "data-protection",
                        crate::canvas::looks::link_name(t, d.link),
                    )
                    .child(el("path").attr("class", d.class).attr("d", d.d))
                    .child_opt(d.sev.map(|s| hook_badge(s, d.findings, d.mid))),
            )
        },
    );
    el("g")
        .attr("class", "protections")
        .children(links)
        .render()
}

/// A protection as the far view draws it: its class, its line's path
/// data, where its badge goes, and its worst finding above info with the
/// findings.
struct LinkDrawn<'a> {
    link: Link,
    class: String,
    d: String,
    mid: Point,
    sev: Option<Severity>,
    findings: &'a [dpm_rules::Finding],
}

/// Each protection of `t` that `keep` takes, is not drawn as `arrows` and
/// has both ends placed by `at`, handed to `each` as the far view draws
/// it (straight, `link_class`).
fn each_link(
    (c, derived): (Ctx, Derived),
    t: &Topology,
    keep: &dyn Fn(&Link) -> bool,
    (at, arrows): (Place<'_>, Memo<Vec<Link>>),
    each: &mut dyn FnMut(LinkDrawn),
) {
    let drawn: HashSet<Link> = arrows.with(|a| a.iter().copied().collect());
    let failed: HashSet<ServerId> = c.ed.shown_failed.with(|f| f.iter().copied().collect());
    derived.findings.with(|f| {
        derived.switched.with(|sw| {
            derived.reverse.with(|rev| {
                for l in t.protections.iter().map(|p| p.link()) {
                    if !keep(&l) || drawn.contains(&l) {
                        continue;
                    }
                    let (Some(a), Some(b)) = (at(l.protector), at(l.target)) else {
                        continue;
                    };
                    let findings = f.link.get(&l).map_or(&[][..], |fs| &fs[..]);
                    let sev = worst(findings).filter(|s| *s != Severity::Info);
                    let broken = failed.contains(&l.protector) || failed.contains(&l.target);
                    let geo = dpm_rules::arrow(a, b, dpm_rules::bend_for(a, b, rev.contains(&l)));
                    each(LinkDrawn {
                        link: l,
                        class: link_class(sw.contains(&l), sev, broken),
                        d: geo.d,
                        mid: geo.mid,
                        sev,
                        findings,
                    });
                }
            })
        })
    })
}

/// A protection's badge, as the arrow's (`badge.rs`) shows it zoomed out:
/// its disc and mark at `at`, and the hook `data-rule` (no tooltip: zoomed
/// out, protections take no pointer).
fn hook_badge(s: Severity, findings: &[dpm_rules::Finding], at: Point) -> El {
    el("g")
        .attr("class", format!("badge {}", s.as_str()))
        .attr(
            "data-rule",
            findings.first().map(|f| f.rule.id()).unwrap_or_default(),
        )
        .attr(
            "transform",
            format!("translate({} {})", num(at.x), num(at.y)),
        )
        .child(el("circle").attr("r", "10"))
        .child(el("text").attr("y", "4").text(dpm_rules::badge_symbol(s)))
}

/// The [`NEAREST`] servers a protection from `from` may be drawn to (as
/// many of them as [`Connect::near`](crate::canvas::state::Connect::near)
/// says are made nodes now), nearest first.
fn nearest_candidates(c: Ctx, t: &Topology, from: ServerId) -> Vec<ServerId> {
    let most = c.cn.near.get().min(NEAREST);
    let at = t.server(from).and_then(|s| s.pos);
    // Kept in order as they are found (no sort: a handful, and a generic
    // sort is kilobytes of the bundle).
    let mut near: Vec<(f64, ServerId)> = Vec::with_capacity(NEAREST + 1);
    c.cn.verdicts.with(|v| {
        for (&id, v) in v {
            let d = match (at, t.server(id).and_then(|s| s.pos)) {
                // Breaking ones too: a trainer draws them on purpose.
                (Some(a), Some(b)) if !matches!(v, Verdict::Exists) => {
                    (a.x - b.x) * (a.x - b.x) + (a.y - b.y) * (a.y - b.y)
                }
                _ => continue,
            };
            let i = near.iter().position(|n| n.0 > d || n.0 == d && n.1 > id);
            match i {
                Some(i) => near.insert(i, (d, id)),
                None if near.len() < most => near.push((d, id)),
                None => {}
            }
            near.truncate(most);
        }
    });
    near.into_iter().map(|(_, id)| id).collect()
}

/// A signal that counts up when the system's colour scheme or forced
/// colours change (the painting's looks come from the stylesheet, which
/// follows them), listened to for the canvas's life.
pub fn media_changes() -> RwSignal<u32> {
    use wasm_bindgen::closure::Closure;
    let bump = RwSignal::new(0u32);
    let on_change = Closure::<dyn Fn()>::new(move || bump.update(|n| *n = n.wrapping_add(1)));
    let lists: Vec<web_sys::MediaQueryList> =
        ["(prefers-color-scheme: dark)", "(forced-colors: active)"]
            .into_iter()
            .filter_map(|q| window().match_media(q).ok().flatten())
            .collect();
    for l in &lists {
        let _ = l.add_event_listener_with_callback("change", on_change.as_ref().unchecked_ref());
    }
    let held = StoredValue::new_local(Some((on_change, lists)));
    on_cleanup(move || {
        if let Some((f, lists)) = held.try_update_value(|h| h.take()).flatten() {
            for l in lists {
                let _ = l.remove_event_listener_with_callback("change", f.as_ref().unchecked_ref());
            }
        }
    });
    bump
}
