//! Data moving along the protection arrows while the simulator plays a
//! step. With prefers-reduced-motion, still markers on the arrows instead.

use dpm_rules::{route_bent, Limit, Point, ServerId};
use leptos::prelude::*;

/// At most this many arrows carry moving data at once (the rest of a large
/// drawing stays still, so animation costs the same at any size).
const MAX_FLOWS: usize = 40;

/// Data moving: along the current step's flows in the simulator, or along
/// every protection (target to protector, the way copies travel) in the
/// Copies view. Only arrows with an end in view move, 40 at most.
#[component]
pub fn FlowDots() -> impl IntoView {
    let ed = crate::ctx::ctx().ed;
    let pos = crate::ctx::ctx().pos;
    let pairs = crate::browser::memo(move |_| {
        let flows = ed.flows.get();
        if !flows.is_empty() {
            return flows.iter().map(|f| (f.from, f.to)).collect::<Vec<_>>();
        }
        if !ed.copies.get() {
            return Vec::new();
        }
        let cam = ed.camera.get();
        if cam.k < 0.25 {
            return Vec::new();
        }
        let (w, h) = ed.viewport.get();
        let a = cam.to_canvas(0.0, 0.0);
        let b = cam.to_canvas(w, h);
        let inside = |p: Point| p.x >= a.x && p.x <= b.x && p.y >= a.y && p.y <= b.y;
        ed.shown.with(|t| {
            t.protections
                .iter()
                .filter(|p| p.protector != p.target)
                .filter(|p| {
                    let failed = ed
                        .shown_failed
                        .with(|f| f.contains(&p.protector) || f.contains(&p.target));
                    !failed
                        && (pos.get(p.protector).is_some_and(inside)
                            || pos.get(p.target).is_some_and(inside))
                })
                .take(MAX_FLOWS)
                .map(|p| (p.target, p.protector))
                .collect()
        })
    });
    let still = crate::browser::dom::reduced_motion();
    // A layer of its own over the drawing: an animation frame repaints this
    // layer only, not the whole drawing under it.
    view! {
        <Show when=move || !pairs.with(|p| p.is_empty())>
            <svg class="flows-layer" aria-hidden="true">
                <defs>
                    <marker id="flow-head" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7"
                        markerHeight="7" orient="auto-start-reverse">
                        <path d="M0 0 L10 5 L0 10 z" class="flow-head" />
                    </marker>
                </defs>
                <g class="flows" transform=move || {
                    let c = ed.camera.get();
                    format!("translate({} {}) scale({})", dpm_rules::fixed(c.x, 2), dpm_rules::fixed(c.y, 2), dpm_rules::fixed(c.k, 4))
                }>
                    <For each=move || pairs.get() key=|p| *p let:pair>
                        <FlowDot from=pair.0 to=pair.1 still=still />
                    </For>
                </g>
            </svg>
        </Show>
    }
}

#[component]
fn FlowDot(from: ServerId, to: ServerId, still: bool) -> impl IntoView {
    let pos = crate::ctx::ctx().pos;
    let origin = Point { x: 0.0, y: 0.0 };
    let a = pos.of(from, origin);
    let b = pos.of(to, origin);
    // Along the arrow as drawn: around the servers in its way.
    let obstacles = expect_context::<crate::state::derived::Derived>().obstacles;
    let geo = crate::browser::memo(move |_| {
        let ends = ((from, a.get()), (to, b.get()));
        obstacles.with(|o| route_bent(ends.0, ends.1, 0.0, 0.0, o, Limit::for_drawing(o.len())))
    });
    if still {
        // No motion: a marker at the middle of the arrow, pointing the way
        // the data goes.
        return view! {
            <g class="flow-still">
                <path class="flow-track" d=move || geo.with(|g| g.d.clone()) marker-end="url(#flow-head)" />
                <circle class="flow-dot" r="6" cx=move || geo.with(|g| dpm_rules::num(g.mid.x)) cy=move || geo.with(|g| dpm_rules::num(g.mid.y)) />
            </g>
        }
        .into_any();
    }
    let d = move || geo.with(|g| g.d.clone());
    view! {
        <g class="flow">
            <path class="flow-track" d=d />
            <circle class="flow-dot" r="6">
                <animateMotion dur="1.2s" repeatCount="indefinite" path=d />
            </circle>
        </g>
    }
    .into_any()
}
