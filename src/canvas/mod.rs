//! The drawing: servers as nodes, protections as arrows from protector to
//! target, findings as badges where they apply, and every gesture (pan,
//! zoom, pinch, move, connect, box select, drop a file).
//!
//! Speed: each server's position is a signal of its own ([`Positions`]), so
//! dragging one server re-renders that node and the arrows at its ends,
//! nothing else. Lists are keyed; facts, roles and badges are memos per
//! node, so an edit touches only what it changes. Zoomed out on a large
//! estate the drawing is painted on a canvas instead ([`ground`]), with
//! only what the user works on kept as nodes.
//!
//! [`Positions`]: crate::state::positions::Positions

use crate::canvas::arrow::marker_defs;
use crate::canvas::arrow::site_regions;
use crate::canvas::arrow::sites_markup;
use crate::canvas::arrow::EstateLine;
use crate::canvas::arrow::ProtectionArrow;
use crate::canvas::connect::ConnectTip;
use crate::canvas::cull::Visible;
use crate::canvas::node::ServerNode;
use crate::canvas::pointer::Pointer;

use crate::ctx::Ctx;
use crate::state::derived::Derived;
use crate::state::editor::Mode;

pub mod arrow;
pub mod badge;
pub mod boxes;
pub mod connect;
pub mod copies;
pub mod cull;
pub mod find;
pub mod fit;
pub mod flow;
pub mod ghosts;
pub mod ground;
pub mod layer;
pub mod lines;
pub mod looks;
pub mod minimap;
pub mod node;
pub mod palette;
pub mod pointer;
pub mod probe;
pub mod raster;
pub mod state;
pub mod tips;

use dpm_rules::num;
use leptos::prelude::*;

/// The SVG canvas.
#[component]
pub fn Canvas() -> impl IntoView {
    let c = crate::ctx::ctx();
    let ed = c.ed;
    let derived = Derived::new(ed);
    provide_context(derived);
    provide_context(crate::canvas::looks::Looks::new(c, derived));
    fit::install(c);
    let p = Pointer::new(derived.ground);
    p.make_current(c);
    provide_context(p);
    let dragging = p.dragging;
    let vis = Visible::new(c, p, (derived.ground, derived.far));
    p.forget_raised_on_open(ed);
    let probes = NodeRef::<leptos::svg::G>::new();
    let regions = site_regions(c, dragging);
    let far = derived.far;
    tips_follow_the_view(c, derived.ground);
    let transform = move || transform(c);
    let box_view = move || {
        p.box_rect.get().map(|(a, b)| {
            view! {
                <rect class="box-select" x=num(a.x.min(b.x)) y=num(a.y.min(b.y))
                    width=num((a.x - b.x).abs()) height=num((a.y - b.y).abs()) />
            }
        })
    };
    let (text, dashes) = (derived.text, derived.dashes);
    let ground = derived.ground;
    let mode_class =
        move || classes(c, (far.get(), ground.get()), dragging) + text.get() + dashes.get();

    view! {
        <div class="canvas-wrap" on:dragover=|ev: web_sys::DragEvent| ev.prevent_default()
            on:drop=move |ev| pointer::drop_file(c, ev)>
            <crate::canvas::ground::Ground dragging=dragging probes=probes arrows=vis.links />
            <svg class=mode_class node_ref=c.svg tabindex="-1" role="group" aria-label=move || label(c)
                on:pointerdown=move |ev| pointer::down(c, p, ev)
                on:pointermove=move |ev| pointer::moved(c, p, ev)
                on:pointerup=move |ev| pointer::up(c, p, vis.links, ev)
                on:pointercancel=move |ev| pointer::up(c, p, vis.links, ev)
                on:pointerleave=move |_| pointer::left(c, p)
                on:dblclick=move |ev| pointer::dblclick(c, p, ev)
                on:wheel=move |ev| pointer::wheel(c, ev)>
                {marker_defs()}
                // The far view's probes: hidden nodes its painting reads
                // its colours off (ground.rs).
                <g class="probes" node_ref=probes visibility="hidden" aria-hidden="true"></g>
                // The empty canvas, under all that is drawn: its cursor (CSS).
                <rect class="pane" width="100%" height="100%" aria-hidden="true" />
                <g transform=transform>
                    {crate::browser::markup::svg_layer("sites", move || {
                        ed.failed_sites.with(|f| regions.with(|rs| sites_markup(rs, f)))
                    })}
                    <g class="estate-links" aria-hidden="true">
                        <For each=move || vis.estate_links.get() key=|l| *l let:l>
                            <EstateLine from=l.0 to=l.1 database=l.2 />
                        </For>
                    </g>
                    <g class="protections">{move || arrows(c, vis, false, far.get())}</g>
                    // In the spotlight, its protections, above the dimmed rest.
                    <g class="protections lit">{move || arrows(c, vis, true, far.get())}</g>
                    {connect::loose_end(c)}
                    <crate::canvas::ghosts::GhostArrows />
                    {crate::canvas::ground::selection_hooks(c, (vis.servers, vis.links, vis.area), dragging)}
                    <g class="servers">
                        // Made again, every one, when the zoom crosses `FAR_BELOW`:
                        // a node that follows the zoom itself would subscribe to
                        // it, and thousands re-running at once cost Leptos'
                        // subscriber sets time quadratic in their number (38 s
                        // for 1,400 servers).
                        {move || {
                            let far = far.get();
                            view! {
                                <For each=move || vis.servers.get() key=|id| *id let:id>
                                    <ServerNode id=id far=far />
                                </For>
                            }
                        }}
                    </g>
                    {box_view}
                </g>
            </svg>
            {drag_layers(c, (p, vis), mode_class, far)}
            <crate::canvas::flow::FlowDots />
            <ConnectTip />
            <crate::canvas::copies::CopiesCards servers=vis.servers dragged=vis.dragged />
        </div>
    }
}

/// What is being dragged, on layers of their own over the drawing: a move
/// then repaints (or, for the markup moved as one, only moves) those, not
/// the thousands of shapes under them. Zoomed out on a large estate, the
/// dragged servers not made nodes are written once and moved as one piece
/// by the compositor (its own layer, moved by its CSS transform: no paint
/// at a move); over them, the dragged servers made nodes and the arrows
/// that stretch ([`Visible::dragged`], [`Visible::drag_arrows`]).
fn drag_layers(
    c: Ctx,
    (p, vis): (Pointer, Visible),
    mode_class: impl Fn() -> String + Copy + Send + Sync + 'static,
    far: Memo<bool>,
) -> impl IntoView {
    let (dragging, transform) = (p.dragging, move || transform(c));
    view! {
        <Show when=move || !dragging.with(|d| d.is_empty())>
            <svg class=move || format!("{} drag-layer moved-whole", mode_class()) aria-hidden="true"
                style:transform=move || drag_shift(c, p)>
                <g transform=transform>{crate::canvas::ground::drag_hooks(c, p, (vis.dragged, vis.drag_arrows), vis.moved_as_one)}</g>
            </svg>
            <svg class=move || format!("{} drag-layer", mode_class()) aria-hidden="true">
                <g transform=transform>
                    <For each=move || vis.drag_arrows.get() key=|l| *l let:link>
                        <ProtectionArrow link=link moving=true far=far.get_untracked() />
                    </For>
                    <For each=move || vis.dragged.get() key=|id| *id let:id>
                        <ServerNode id=id far=far.get_untracked() />
                    </For>
                </g>
            </svg>
        </Show>
    }
}

/// How far a drag has moved the dragged servers, on screen, as a CSS
/// transform (set through the element's style object: the page's content
/// security policy refuses a `style` attribute): in whole pixels, as a
/// layer moved by a fraction of one is resampled, and its servers blur
/// (seen in a screenshot beside the nodes dragged with them).
fn drag_shift(c: Ctx, p: Pointer) -> String {
    let (s, k) = (p.shift.get(), c.ed.camera.get().k);
    format!(
        "translate({}px, {}px)",
        num((s.x * k).round()),
        num((s.y * k).round())
    )
}

/// The camera as the drawing's transform.
fn transform(c: Ctx) -> String {
    let cam = c.ed.camera.get();
    format!(
        "translate({} {}) scale({})",
        dpm_rules::fixed(cam.x, 2),
        dpm_rules::fixed(cam.y, 2),
        // Six places: the far view paints with the exact scale, and at 2 %
        // four places would set a node beside its painted box.
        dpm_rules::fixed(cam.k, 6)
    )
}

/// The protections drawn, those of the server in the presenter's
/// spotlight (`lit`) or the others: its arrows stay bright as the rest
/// dims. One function for both lists, so the list is compiled once.
fn arrows(c: Ctx, vis: Visible, lit: bool, far: bool) -> impl IntoView {
    let each = move || match c.pr.spot.get() {
        None if lit => Vec::new(),
        None => vis.links.get(),
        Some(id) => vis.links.with(|ls| {
            ls.iter()
                .filter(|l| (l.protector == id || l.target == id) == lit)
                .copied()
                .collect()
        }),
    };
    view! {
        <For each=each key=|l| *l let:link>
            <ProtectionArrow link=link far=far />
        </For>
    }
}

/// The canvas's label for assistive technology.
fn label(c: Ctx) -> String {
    c.ed.shown.with(|t| {
        format!(
            "Protection topology: {} servers, {} protections",
            dpm_rules::thousands(t.servers.len()),
            dpm_rules::thousands(t.protections.len())
        )
    })
}

/// The painted far view (`ground`) shows the tips of the server under the
/// pointer itself (`pointer::moved`); nodes clear their own as the pointer
/// leaves, as arrows do their protection's. So when the view changes from
/// one to the other, the tips the pointer set go (else they stayed, for a
/// server maybe far out of view; nodes taken away fire no leave).
fn tips_follow_the_view(c: Ctx, ground: Memo<bool>) {
    Effect::new(move |was: Option<bool>| {
        let now = ground.get();
        if was.is_some_and(|w| w != now) {
            if !c.tip.focused.get_untracked() {
                c.tip.server.set(None);
            }
            c.tip.link.set(None);
        }
        now
    });
}

/// The canvas's classes: what it is doing, for the style.
fn classes(
    c: Ctx,
    (far, painted): (bool, bool),
    dragging: RwSignal<Vec<dpm_rules::ServerId>>,
) -> String {
    let mut s = String::from("canvas");
    // Zoomed out: names, badges and arrowheads too small to read are
    // not drawn (style.css), which keeps a move cheap with thousands in view.
    if far {
        s.push_str(" far");
    }
    // The far view painted (ground.rs): the nodes kept over it take no
    // presses, so that a press finds the nearest server, node or painted,
    // the same way.
    if painted {
        s.push_str(" painted");
    }
    if !dragging.with(|d| d.is_empty()) {
        s.push_str(" dragging");
    }
    match c.ed.mode.get() {
        Mode::Simulate => s.push_str(" simulating"),
        Mode::Present if c.pr.spot.get().is_some() => s.push_str(" spotlight"),
        _ => {}
    }
    if c.cn.from.get().is_some() {
        s.push_str(" connecting");
    }
    if c.armed.0.get().is_some() {
        s.push_str(" placing");
    }
    s
}
