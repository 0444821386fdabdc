//! The presenter's bar: scene title, previous, next and leave.

use crate::present::state::leave;
use crate::present::state::show;
use crate::present::state::step;

use crate::present::state::Presenter;
use crate::state::editor::Editor;

use leptos::prelude::*;

/// The caption bar and the list of scenes.
#[component]
pub fn PresenterBar() -> impl IntoView {
    let ed = crate::ctx::ctx().ed;
    let p = crate::ctx::ctx().pr;
    let scene = move || {
        let i = p.at.get();
        ed.track_content();
        p.scenes.with_value(|v| {
            v.get(i)
                .map(|s| (s.title.clone(), s.caption.clone(), v.len()))
        })
    };
    let list = move || p.list.get().then(|| scene_list(ed, p));
    // An exercise's task quotes the documentation's table: drawn as one.
    let caption = NodeRef::<leptos::html::Div>::new();
    crate::browser::markup::fill(caption, move || {
        scene()
            .map(|s| crate::ui::text::blocks(&s.1))
            .unwrap_or_default()
    });
    view! {
        {list}
        <div class="presenter-bar" role="region" aria-label="Presenter" data-testid="presenter">
            <div class="caption">
                <div class="scene-title" data-testid="scene-title">{move || scene().map(|s| s.0)}</div>
                <div class="scene-caption" aria-live="polite" node_ref=caption></div>
            </div>
            <div class="presenter-controls" on:click=move |ev| {
                match crate::browser::dom::clicked(&ev).and_then(|b| b.get_attribute("data-action")).as_deref() {
                    Some("scene-prev") => step(ed, p, -1),
                    Some("scene-next") => step(ed, p, 1),
                    Some("scenes") => p.list.update(|l| *l = !*l),
                    Some("leave-present") => leave(ed, p),
                    _ => {}
                }
            }>
                <button class="tool" data-action="scene-prev" aria-label="Previous scene (PageUp)">"◀"</button>
                <span class="scene-count" data-testid="scene-count">{move || scene().map(|s| format!("{} / {}", p.at.get() + 1, s.2))}</span>
                <button class="tool" data-action="scene-next" aria-label="Next scene (PageDown)">"▶"</button>
                <button class="tool" data-action="scenes" aria-pressed=move || p.list.get().to_string()>"Scenes"</button>
                <button class="tool" data-action="leave-present" title="Leave (Escape)">"✕ Leave"</button>
            </div>
        </div>
    }
}

/// The list of scenes ("Scenes"), each a button that shows it.
fn scene_list(ed: Editor, p: Presenter) -> impl IntoView {
    let items = p.scenes.with_value(|v| {
        v.iter()
            .enumerate()
            .map(|(i, s)| {
                let current = move || (p.at.get() == i).to_string();
                view! {
                    <li><button class="scene" data-scene=i aria-current=current
                        on:click=move |_| { show(ed, p, i); p.list.set(false); }>{s.title.clone()}</button></li>
                }
            })
            .collect_view()
    });
    view! { <nav class="scene-list" aria-label="Scenes"><ol>{items}</ol></nav> }
}
