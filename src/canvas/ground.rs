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

use crate::canvas::layer::on_change;
use crate::canvas::looks::{FlagSources, Looks};
use crate::canvas::state::Verdict;
use crate::ctx::Ctx;
use crate::state::derived::{Derived, GROUND_OVER};

use dpm_rules::hash::HashSet;
use std::rc::Rc;

use dpm_rules::{Link, ServerId, Topology};
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
