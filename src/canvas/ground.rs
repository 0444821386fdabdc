//! What a large estate paints instead of making nodes. Zoomed out (below
//! `FAR_BELOW`) on more than `GROUND_OVER` servers (`state::derived`), the
//! servers and protections are painted on canvases under the SVG, not made
//! as thousands of SVG nodes (what the minimap already does for the whole
//! drawing): the protections with the canvas's own stroker, on two
//! canvases, the selection's apart (`lines.rs`), and over them the
//! servers, rasterised in the wasm (`raster.rs`) and put there in one
//! call. Each layer is repainted only when what it shows changes: a
//! selection repaints the servers and the selection's protections, not
//! 5,000 lines, and so does moving it. A press is hit-tested by
//! coordinates (`pointer.rs`). Close in on such an estate, the protections
//! that only pass through the view (no end near it) are painted too, and
//! the others are arrows (`cull.rs`); a click on a painted line selects
//! it.
//!
//! Zoomed out, the SVG keeps as nodes, with their hooks, keys and labels,
//! only what a user works on ([`kept`]): the selection (up to
//! [`MOST_SELECTED`]), failed servers, the server with the keyboard focus
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

use crate::canvas::layer::{on_change, scene, surface, Pen, View};
use crate::canvas::looks::{FlagSources, Flags, Looks};
use crate::canvas::node::server_class;
use crate::canvas::probe::look;
use crate::canvas::raster::{colour, Pixels};
use crate::canvas::state::Verdict;
use crate::ctx::Ctx;
use crate::state::derived::{Derived, GROUND_OVER};

use dpm_rules::hash::{HashMap, HashSet};
use std::cell::RefCell;

use dpm_rules::{Link, Point, ServerId, Topology, NODE_H};
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::canvas::state::NEAREST;

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
            || !derived.far.get() && c.ed.shown.with(|t| t.servers.len() > GROUND_OVER)
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
    let flags: StoredValue<Option<FlagSources>> = StoredValue::new(None);
    on_change(
        move || {
            if !derived.ground.get() {
                flags.set_value(None);
                return;
            }
            common();
            c.tip.focus.track();
            c.tip.focused.track();
            flags.set_value(Some(FlagSources::now(c)));
            c.rv.risk.with(|_| ());
        },
        move || {
            paint_server_layer(
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

/// The servers that stay SVG nodes in the far view (see the module's
/// docs), from drawing `t`, in the order of the drawing.
pub fn kept(c: Ctx, t: &Topology) -> Vec<ServerId> {
    let (ed, cn) = (c.ed, c.cn);
    let mut keep: HashSet<ServerId> = ed
        .selection
        .with(|s| s.iter().rev().take(MOST_SELECTED).copied().collect());
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
        keep.extend(nearest_candidates(c, t, from));
    }
    // In the drawing's order, as the nodes of a small drawing are: Tab goes
    // on from the focused node (a node moved in the page would lose it).
    t.servers
        .iter()
        .map(|s| s.id)
        .filter(|id| keep.contains(id))
        .collect()
}

/// The [`NEAREST`] servers a protection from `from` may be drawn to,
/// nearest first.
fn nearest_candidates(c: Ctx, t: &Topology, from: ServerId) -> Vec<ServerId> {
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
                None if near.len() < NEAREST => near.push((d, id)),
                None => {}
            }
            near.truncate(NEAREST);
        }
    });
    near.into_iter().map(|(_, id)| id).collect()
}

/// Groups of items by what decides their look (`K`), in the order first
/// seen: a handful of looks, so a list is all the lookup needs.
struct Groups<K, T>(Vec<(K, Vec<T>)>);

impl<K: PartialEq, T> Groups<K, T> {
    fn push(&mut self, key: K, item: T) {
        match self.0.iter_mut().find(|(k, _)| *k == key) {
            Some((_, v)) => v.push(item),
            None => self.0.push((key, vec![item])),
        }
    }
}

/// Paints the servers' layer: rasterised here ([`Pixels`]), handed to the
/// canvas in one call.
fn paint_server_layer(
    c: Ctx,
    (looks, flags): (Looks, StoredValue<Option<FlagSources>>),
    (canvas, probes): (NodeRef<leptos::html::Canvas>, NodeRef<leptos::svg::G>),
    on: Memo<bool>,
    dragging: RwSignal<Vec<ServerId>>,
) {
    let Some((g, (pw, ph))) = surface(c, canvas, on, true) else {
        return;
    };
    let Some((probes, view, at, moving)) = scene(c, &g, probes, dragging) else {
        return;
    };
    let pen = Pen::now(c);
    PIXELS.with(|px| {
        let mut px = px.borrow_mut();
        px.clear(pw as usize, ph as usize);
        flags.with_value(|f| {
            let Some(f) = f else { return };
            c.ed.shown.with_untracked(|t| {
                paint_servers(
                    &mut px,
                    &probes,
                    (c, looks, f),
                    t,
                    (&at, pen),
                    (view, &moving),
                );
            });
        });
        px.put(&g);
    });
}

thread_local! {
    /// The servers' pixels, kept from one painting to the next.
    static PIXELS: RefCell<Pixels> = RefCell::new(Pixels::default());
    /// A class of servers painted apart, to be laid on with its opacity.
    static LAYER: RefCell<Pixels> = RefCell::new(Pixels::default());
}

/// Every server in `view`: its box by look, a failed server's cross, and
/// the frames that mark servers too small to show their border ([`marks`]),
/// from one pass over the servers.
fn paint_servers(
    px: &mut Pixels,
    probes: &web_sys::Element,
    (c, looks, flags): (Ctx, Looks, &FlagSources),
    t: &Topology,
    (at, pen): (&HashMap<ServerId, Point>, Pen),
    (view, moving): (View, &HashSet<ServerId>),
) {
    let spof: HashSet<ServerId> = looks.risk_lines.with_value(|r| r.keys().copied().collect());
    // Framed while its node has the keyboard focus (the last focused is
    // kept a node for Tab, not shown as focused once the focus left).
    let focus = c
        .tip
        .focus
        .get_untracked()
        .filter(|_| c.tip.focused.get_untracked());
    // By kind, flags and single point of failure: the class made once per
    // look, not per server.
    let mut by: Groups<(dpm_rules::Kind, Flags, bool), (Point, f64)> = Groups(Vec::new());
    // (centre, width) of each kind's frames: failed, selected, focused, a
    // single point of failure (the Risk view).
    let mut frames: [Vec<(Point, f64)>; 4] = Default::default();
    let (x0, y0, x1, y1) = view;
    for s in &t.servers {
        let Some(&p) = at.get(&s.id).filter(|_| !moving.contains(&s.id)) else {
            continue;
        };
        let w = dpm_rules::box_width(&s.name);
        if p.x + w / 2.0 < x0 || p.x - w / 2.0 > x1 || p.y + NODE_H < y0 || p.y - NODE_H > y1 {
            continue;
        }
        let fl = flags.flags(s.id);
        let risk = spof.contains(&s.id);
        let marked = [fl.failed, fl.selected, focus == Some(s.id), risk];
        for (i, on) in marked.into_iter().enumerate() {
            if on {
                frames[i].push((p, w));
            }
        }
        by.push((s.kind, fl, risk), (p, w));
    }
    for ((kind, fl, risk), boxes) in by.0 {
        let class = server_class(kind, fl, risk);
        let Some(l) = look(probes, "", &class, ("rect", "body")) else {
            continue;
        };
        // An opacity below 1 applies to the class's boxes together, as to
        // one shape: boxes that overlap (far out, most do) do not darken
        // each other.
        let group = l.alpha < 1.0;
        let a = if group { 1.0 } else { l.alpha };
        let fill = colour(&l.fill, a);
        let stroke = colour(&l.stroke, a).filter(|_| l.width > 0.0);
        let dash: Vec<f64> = l.dash.iter().map(|d| d * pen.k).collect();
        let paint = |to: &mut Pixels| {
            for &(p, w) in &boxes {
                let (a, b) = pen.rect(p, (w, NODE_H));
                if let Some(f) = fill {
                    to.fill_rect(a, b, f);
                }
                if let Some(s) = stroke {
                    to.frame(a, b, l.width * pen.k, &dash, s);
                }
            }
        };
        if group {
            LAYER.with(|one| {
                let mut one = one.borrow_mut();
                one.clear(px.w, px.h);
                paint(&mut one);
                px.lay(&one, l.alpha as f32);
            });
        } else {
            paint(px);
        }
    }
    crosses(px, probes, pen, &frames[0]);
    marks(px, probes, pen, frames);
}

/// The cross over each failed server's box, (centre, width).
fn crosses(px: &mut Pixels, probes: &web_sys::Element, pen: Pen, failed: &[(Point, f64)]) {
    if failed.is_empty() {
        return;
    }
    let Some(l) = look(probes, "", "server failed", ("path", "cross")) else {
        return;
    };
    let Some(ink) = colour(&l.stroke, l.alpha) else {
        return;
    };
    for &(p, w) in failed {
        let (hw, hh) = (w / 2.0 - 6.0, NODE_H / 2.0 - 6.0);
        let at = |dx: f64, dy: f64| {
            pen.at(Point {
                x: p.x + dx,
                y: p.y + dy,
            })
        };
        px.line(at(-hw, -hh), at(hw, hh), l.width * pen.k, &[], ink);
        px.line(at(hw, -hh), at(-hw, hh), l.width * pen.k, &[], ink);
    }
}

/// A frame around each failed, each selected, the focused server and each
/// single point of failure of the Risk view (`frames`, in that order, each
/// (centre, width)), at least [`MARK_PX`] across on screen however far out
/// the view is: a box a pixel high shows neither its selection nor its
/// failure. In the colours of a failed, a selected, a source and a single
/// point of failure's border. None once the boxes are that large
/// themselves.
fn marks(px: &mut Pixels, probes: &web_sys::Element, pen: Pen, frames: [Vec<(Point, f64)>; 4]) {
    let dpr = window().device_pixel_ratio().max(1.0);
    // Closer in, a box is large enough to show its own border.
    if NODE_H * pen.k >= MARK_PX * dpr {
        return;
    }
    let kinds = [
        "server failed",
        "server selected",
        "server source",
        "server spof",
    ];
    for (class, boxes) in kinds.into_iter().zip(frames) {
        let Some(l) = look(probes, "", class, ("rect", "body")).filter(|_| !boxes.is_empty())
        else {
            continue;
        };
        let Some(ink) = colour(&l.stroke, l.alpha) else {
            continue;
        };
        let (min, gap) = (MARK_PX * dpr, 2.0 * dpr);
        // The focus's frame dashed, as the focus ring close in.
        let dash = if class == "server source" {
            vec![3.0 * dpr, 2.0 * dpr]
        } else {
            Vec::new()
        };
        for (p, w) in boxes {
            let (x, y) = pen.at(p);
            let (hw, hh) = (
                (w * pen.k).max(min) / 2.0 + gap,
                (NODE_H * pen.k).max(min) / 2.0 + gap,
            );
            px.frame((x - hw, y - hh), (x + hw, y + hh), gap, &dash, ink);
        }
    }
}

/// The least size of a selected or failed server's frame on screen, px.
const MARK_PX: f64 = 12.0;

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
