//! The frame every dialog shares: title, close button, focus kept inside
//! while open and given back when closed.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// The dialog frame: a title, the body, a Close button; Escape closes too.
#[component]
pub fn DialogFrame(title: &'static str, id: &'static str, children: Children) -> impl IntoView {
    let ed = crate::ctx::ctx().ed;
    let panel = NodeRef::<leptos::html::Div>::new();
    Effect::new(move |_| {
        if let Some(el) = panel.get() {
            request_animation_frame(move || {
                let first = el
                    .query_selector("textarea, input, button:not(.dialog-close), select")
                    .ok()
                    .flatten();
                if let Some(f) = first.and_then(|f| f.dyn_into::<web_sys::HtmlElement>().ok()) {
                    let _ = f.focus();
                }
            });
        }
    });
    view! {
        <div class="dialog-backdrop" on:pointerdown=move |ev| {
            if ev.target() == ev.current_target() { ed.dialog.set(None); }
        }>
            <div class="dialog" role="dialog" aria-modal="true" aria-labelledby=id node_ref=panel
                data-dialog=id on:click=move |ev| {
                    // Every button marked `close` (×, Cancel) closes it; what
                    // the other buttons do is their dialog's.
                    let close = crate::browser::dom::clicked(&ev)
                        .is_some_and(|b| b.get_attribute("data-action").as_deref() == Some("close"));
                    if close {
                        ed.dialog.set(None);
                    }
                }>
                <div class="dialog-head">
                    <h2 id=id>{title}</h2>
                    <button class="icon-button dialog-close" aria-label="Close" data-action="close">"×"</button>
                </div>
                {children()}
            </div>
        </div>
    }
}
