//! The notice bar: what the editor tells, with its offers (undo, take
//! over, download what was kept), for as long as it is true.

use crate::browser::dom::clicked;
use crate::browser::storage::stored;
use crate::state::editor::{About, Editor, NoticeAction};
use crate::state::tabs;
use crate::workshop::state::Workshop;

use leptos::prelude::*;

/// A notice goes as soon as what it says stops being true: the step it is
/// about undone, another drawing opened, the goal it is about met.
fn clear_when_untrue(ed: Editor, ws: Workshop) {
    crate::browser::effect(move || {
        let Some(about) = ed.notice.with(|n| n.as_ref().map(|n| n.about)) else {
            return;
        };
        let holds = match about {
            About::GoalUnmet(opened, i) => {
                ed.opened.get() == opened && ws.results.with(|r| r.get(i).is_some_and(|g| !g.pass))
            }
            other => ed.holds(other),
        };
        if !holds {
            ed.notice.set(None);
        }
    });
}

#[component]
pub fn NoticeBar() -> impl IntoView {
    let ed = crate::ctx::ctx().ed;
    let gen = StoredValue::new(0u32);
    // Plain information fades after a while; errors and offers stay.
    crate::browser::effect(move || {
        let n = ed.notice.get();
        gen.update_value(|g| *g += 1);
        let mine = gen.get_value();
        if n.is_some_and(|n| !n.error && n.action.is_none()) {
            set_timeout(
                move || {
                    if gen.get_value() == mine {
                        ed.notice.set(None);
                    }
                },
                std::time::Duration::from_millis(6000),
            );
        }
    });
    clear_when_untrue(ed, crate::ctx::ctx().ws);
    // One handler for every button a notice may carry, by `data-action`.
    let on_click = move |ev: leptos::ev::MouseEvent| {
        let Some(action) = clicked(&ev).and_then(|b| b.get_attribute("data-action")) else {
            return;
        };
        match action.as_str() {
            "notice-undo" => {
                ed.undo();
                ed.notice.set(None);
            }
            "download-kept" => {
                let key = ed
                    .notice
                    .with_untracked(|n| match n.as_ref().map(|n| &n.action) {
                        Some(Some(NoticeAction::Download(key))) => Some(key.clone()),
                        _ => None,
                    });
                if let Some(text) = key.and_then(|k| stored(&k)) {
                    crate::browser::files::download("kept-drawing.txt", "text/plain", &text);
                }
            }
            "take-over" => tabs::take_over(ed),
            "open-copy" => tabs::open_copy(ed),
            "download-drawing" => {
                let text = ed.doc.with_untracked(dpm_rules::to_json);
                crate::browser::files::download("drawing.dpm.json", "application/json", &text);
            }
            "dismiss" => ed.notice.set(None),
            _ => {}
        }
    };
    let notice = move || {
        ed.notice.get().map(|n| {
            let action = n.action.clone().map(|a| match a {
                NoticeAction::Undo(label) => view! {
                    <button class="btn small" data-action="notice-undo">{label}</button>
                }
                .into_any(),
                NoticeAction::Download(_) => view! {
                    <button class="btn small" data-action="download-kept">"Download it"</button>
                }
                .into_any(),
                NoticeAction::Elsewhere => view! {
                    <button class="btn small primary" data-action="take-over">"Take over here"</button>
                    <button class="btn small" data-action="open-copy">"Open a copy"</button>
                }
                .into_any(),
                NoticeAction::DownloadDrawing => view! {
                    <button class="btn small primary" data-action="download-drawing">"Download your drawing"</button>
                }
                .into_any(),
            });
            view! {
                <div class=if n.error { "notice error" } else { "notice" } role=if n.error { "alert" } else { "status" }
                    data-testid="notice">
                    <span class="notice-text">{n.text.clone()}</span>
                    {action}
                    <button class="icon-button" data-action="dismiss" aria-label="Dismiss">"×"</button>
                </div>
            }
        })
    };
    view! { <div class="notice-slot" on:click=on_click>{notice}</div> }
}
