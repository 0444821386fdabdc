//! The cards of the "where the copies are" view, beside each server.

use dpm_rules::hash::HashMap;
use dpm_rules::{held_by_some, Kind, Point, ServerId, NODE_H, NODE_W};
use leptos::prelude::*;

/// In the Copies view, a card under each DPM server drawn (`servers`: in a
/// large drawing, those in or near the view; and those `dragged` drawn on
/// the drag layer, whose cards go with them) listing the copies it holds (the rule
/// crate's `held_by_some`, asked of those servers only). Zoomed out (the
/// far view) there are none: a card's text would be a few pixels high,
/// and an estate of 10,000 has a thousand DPM servers: a line over the
/// canvas says to zoom in.
#[component]
pub fn CopiesCards(servers: Memo<Vec<ServerId>>, dragged: Memo<Vec<ServerId>>) -> impl IntoView {
    let ed = crate::ctx::ctx().ed;
    let derived = expect_context::<crate::state::derived::Derived>();
    // The labels of what each DPM server with a card holds: asked of those
    // servers only (an estate's whole copy inventory took 12 ms at 10,000
    // servers), again when the drawing's content or the servers drawn
    // change.
    let held = crate::browser::memo(move |_| {
        if !ed.copies.get() || derived.far.get() {
            return HashMap::default();
        }
        ed.track_content();
        let drawn: Vec<ServerId> =
            servers.with(|s| dragged.with(|d| s.iter().chain(d).copied().collect()));
        let state = |id: ServerId| {
            if ed.shown_failed.with(|f| f.contains(&id)) {
                Held::Down
            } else if ed.stopped.with(|f| f.contains(&id)) {
                Held::Stopped
            } else if ed.making.with(|f| f.contains(&id)) {
                Held::Making
            } else {
                Held::Up
            }
        };
        ed.shown.with_untracked(|t| {
            let dpm: Vec<ServerId> = drawn
                .into_iter()
                .filter(|&id| t.server(id).is_some_and(|s| s.kind == Kind::Dpm))
                .collect();
            let mut held = held_by_some(t, &dpm);
            dpm.iter()
                .map(|&id| {
                    let sources = held.remove(&id).unwrap_or_default();
                    (
                        id,
                        (state(id), sources.iter().map(|d| d.label(t)).collect()),
                    )
                })
                .collect()
        })
    });
    let ids = crate::browser::memo(move |_| {
        held.with(|h| {
            let mut ids: Vec<ServerId> = h.keys().copied().collect();
            dpm_rules::sort_by(&mut ids, &|a, b| a.cmp(b));
            ids
        })
    });
    // Zoomed out, a line over the canvas says why there are no cards (in
    // the canvas, not a notice above it: zooming must not move it).
    let zoom_in = format!(
        "Zoom in to {}% or more to read what each DPM server holds.",
        (crate::state::derived::FAR_BELOW * 100.0).round() as u32
    );
    view! {
        <Show when=move || ed.copies.get() && derived.far.get()>
            <p class="copies-hint" role="status">{zoom_in.clone()}</p>
        </Show>
        <Show when=move || ed.copies.get()>
            <svg class="cards-layer" aria-hidden="true">
                <g transform=move || {
                    let c = ed.camera.get();
                    format!("translate({} {}) scale({})", dpm_rules::fixed(c.x, 2), dpm_rules::fixed(c.y, 2), dpm_rules::fixed(c.k, 4))
                }>
                    <For each=move || ids.get() key=|id| *id let:id>
                        <CopiesCard id=id held=held />
                    </For>
                </g>
            </svg>
        </Show>
    }
}

/// What a DPM server's copies are worth in the drawing shown: in the
/// simulator, a DPM server down has lost its copies, one stopped (its
/// database down) keeps its replicas but can use none, and one rebuilt
/// holds none until its consistency checks make them again.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Held {
    Up,
    Down,
    Stopped,
    Making,
}

/// The card's first line: what the server holds, `n` copies, in state
/// `state`; at most 20 characters (the card's width) for up to 999
/// copies.
fn card_head(state: Held, n: usize) -> String {
    let copies = |n: usize| format!("{n} cop{}", if n == 1 { "y" } else { "ies" });
    match (state, n) {
        (Held::Up | Held::Stopped, 0) => "Holds no copies".to_string(),
        (Held::Up, n) => format!("Holds {}:", copies(n)),
        (Held::Down, 0) => "Down: held no copies".to_string(),
        (Held::Down, n) => format!("Lost {}:", copies(n)),
        (Held::Stopped, n) => format!("Unusable {}:", copies(n)),
        (Held::Making, _) => "No copies yet".to_string(),
    }
}

type Cards = HashMap<ServerId, (Held, Vec<String>)>;

#[component]
fn CopiesCard(id: ServerId, held: Memo<Cards>) -> impl IntoView {
    let pos = crate::ctx::ctx().pos;
    let at = pos.of(id, Point { x: 0.0, y: 0.0 });
    let lines = crate::browser::memo(move |_| {
        held.with(|h| {
            let (state, held) = h.get(&id).cloned().unwrap_or((Held::Up, Vec::new()));
            let mut out = vec![card_head(state, held.len())];
            if state == Held::Making {
                out.push("until its replicas".to_string());
                out.push("are made again".to_string());
                return out;
            }
            out.extend(held.iter().take(4).cloned());
            if held.len() > 4 {
                out.push(format!("+{} more", held.len() - 4));
            }
            out
        })
    });
    let state = crate::browser::memo(move |_| held.with(|h| h.get(&id).map_or(Held::Up, |c| c.0)));
    let height = move || 8.0 + 15.0 * lines.with(|l| l.len()) as f64;
    // A stopped server's "Stopped: its database is down" line sits under
    // the node: its card goes below that line.
    let below = move || {
        if state.get() == Held::Stopped {
            28.0
        } else {
            8.0
        }
    };
    view! {
        <g class="copies-card" class:down=move || state.get() == Held::Down
            class:unusable=move || matches!(state.get(), Held::Stopped | Held::Making)
            transform=move || {
            let p = at.get();
            format!("translate({} {})", dpm_rules::num(p.x - NODE_W / 2.0), dpm_rules::num(p.y + NODE_H / 2.0 + below()))
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

#[cfg(test)]
mod tests {
    use super::{card_head, Held};
    use wasm_bindgen_test::wasm_bindgen_test;

    wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

    /// Each state's first line says it, and fits the card (20 characters)
    /// up to 999 copies: "Down: 10 copies lost:" was cut short.
    #[wasm_bindgen_test]
    fn a_cards_first_line_says_its_state_and_fits() {
        let states = [Held::Up, Held::Down, Held::Stopped, Held::Making];
        for state in states {
            for n in [0, 1, 2, 10, 999] {
                let head = card_head(state, n);
                assert!(head.chars().count() <= 20, "{head:?}");
            }
        }
        assert_eq!(card_head(Held::Up, 1), "Holds 1 copy:");
        assert_eq!(card_head(Held::Down, 12), "Lost 12 copies:");
        assert_eq!(card_head(Held::Stopped, 3), "Unusable 3 copies:");
        assert_eq!(card_head(Held::Making, 3), "No copies yet");
    }
}
