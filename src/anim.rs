//! Motion: servers gliding between simulator steps, data moving along
//! protection arrows, and the cards of the "where the copies are" view.
//!
//! With prefers-reduced-motion, steps change without motion and data is
//! shown as still markers on the arrows it moves along.

use std::cell::Cell;
use std::collections::HashMap;
use std::rc::Rc;

use leptos::prelude::*;

use dpm_rules::{arrow, Point, ServerId, Topology, NODE_H, NODE_W};

use crate::state::Positions;

/// How long a glide between two steps takes, in milliseconds.
const GLIDE_MS: f64 = 450.0;
/// At most this many arrows carry moving data at once (the rest of a large
/// drawing stays still, so animation costs the same at any size).
const MAX_FLOWS: usize = 40;

thread_local! {
    static GLIDE: Cell<u32> = const { Cell::new(0) };
}

fn now() -> f64 {
    js_sys::Date::now()
}

/// Moves every server of `t` to `to` smoothly; a new glide replaces one
/// still running.
pub fn glide(pos: Positions, t: &Topology, to: &HashMap<ServerId, Point>) {
    let mut start = HashMap::new();
    let mut moves = Vec::new();
    for s in &t.servers {
        let Some(&b) = to.get(&s.id) else { continue };
        match pos.get(s.id) {
            Some(a) if a != b => {
                start.insert(s.id, a);
                moves.push((s.id, a, b));
            }
            _ => {
                start.insert(s.id, b);
            }
        }
    }
    pos.sync(t, &start);
    let gen = GLIDE.with(|g| {
        g.set(g.get().wrapping_add(1));
        g.get()
    });
    if !moves.is_empty() {
        tick(pos, Rc::new(moves), now(), gen);
    }
}

fn tick(pos: Positions, moves: Rc<Vec<(ServerId, Point, Point)>>, start: f64, gen: u32) {
    if GLIDE.with(|g| g.get()) != gen {
        return;
    }
    let u = ((now() - start) / GLIDE_MS).max(0.0).min(1.0);
    let e = 1.0 - (1.0 - u).powi(3);
    for &(id, a, b) in moves.iter() {
        pos.set(
            id,
            Point {
                x: a.x + (b.x - a.x) * e,
                y: a.y + (b.y - a.y) * e,
            },
        );
    }
    if u < 1.0 {
        request_animation_frame(move || tick(pos, moves, start, gen));
    }
}

/// Data moving: along the current step's flows in the simulator, or along
/// every protection (target to protector, the way copies travel) in the
/// Copies view. Only arrows with an end in view move, 40 at most.
#[component]
pub fn FlowDots() -> impl IntoView {
    let ed = crate::ctx().ed;
    let pos = crate::ctx().pos;
    let pairs = Memo::new(move |_| {
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
    let still = crate::reduced_motion();
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
    let pos = crate::ctx().pos;
    let origin = Point { x: 0.0, y: 0.0 };
    let a = pos.of(from, origin);
    let b = pos.of(to, origin);
    let geo = Memo::new(move |_| arrow(a.get(), b.get(), 0.0));
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

/// In the Copies view, a card under each DPM server listing the copies it
/// holds (from the rule crate's copy inventory).
#[component]
pub fn CopiesCards() -> impl IntoView {
    let ed = crate::ctx().ed;
    let derived = expect_context::<crate::canvas::Derived>();
    let ids = Memo::new(move |_| {
        derived.holdings.with(|h| {
            let mut ids: Vec<ServerId> = h.keys().copied().collect();
            dpm_rules::sort_by(&mut ids, &|a, b| a.cmp(b));
            ids
        })
    });
    view! {
        <Show when=move || ed.copies.get()>
            <svg class="cards-layer" aria-hidden="true">
                <g transform=move || {
                    let c = ed.camera.get();
                    format!("translate({} {}) scale({})", dpm_rules::fixed(c.x, 2), dpm_rules::fixed(c.y, 2), dpm_rules::fixed(c.k, 4))
                }>
                    <For each=move || ids.get() key=|id| *id let:id>
                        <CopiesCard id=id />
                    </For>
                </g>
            </svg>
        </Show>
    }
}

#[component]
fn CopiesCard(id: ServerId) -> impl IntoView {
    let pos = crate::ctx().pos;
    let derived = expect_context::<crate::canvas::Derived>();
    let at = pos.of(id, Point { x: 0.0, y: 0.0 });
    let lines = Memo::new(move |_| {
        derived.holdings.with(|h| {
            let held = h.get(&id).cloned().unwrap_or_default();
            let mut out = vec![if held.is_empty() {
                "Holds no copies".to_string()
            } else {
                format!(
                    "Holds {} cop{}:",
                    held.len(),
                    if held.len() == 1 { "y" } else { "ies" }
                )
            }];
            out.extend(held.iter().take(4).cloned());
            if held.len() > 4 {
                out.push(format!("+{} more", held.len() - 4));
            }
            out
        })
    });
    let height = move || 8.0 + 15.0 * lines.with(|l| l.len()) as f64;
    view! {
        <g class="copies-card" transform=move || {
            let p = at.get();
            format!("translate({} {})", dpm_rules::num(p.x - NODE_W / 2.0), dpm_rules::num(p.y + NODE_H / 2.0 + 8.0))
        }>
            <rect width=dpm_rules::num(NODE_W) height=move || dpm_rules::num(height()) rx="6" />
            {move || {
                lines
                    .get()
                    .into_iter()
                    .enumerate()
                    .map(|(i, l)| {
                        view! {
                            <text x="8" y={(17 + 15 * i).to_string()} class:head={i == 0}>
                                {dpm_rules::truncate(&l, 20)}
                            </text>
                        }
                    })
                    .collect_view()
            }}
        </g>
    }
}
