//! The frame every dialog shares: title, close button, focus kept inside
//! while open and given back when closed (to the opener, or to "More"
//! when the opener went under it).

use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// The dialog frame: a title, the body, a Close button; Escape closes too.
#[component]
pub fn DialogFrame(title: &'static str, id: &'static str, children: Children) -> impl IntoView {
    let ed = crate::ctx::ctx().ed;
    let panel = NodeRef::<leptos::html::Div>::new();
    let opener = StoredValue::new_local(document().active_element());
    on_cleanup(move || give_back(opener.get_value()));
    crate::browser::effect(move || {
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

/// When a dialog closes and nothing took focus since, focus goes back to
/// what opened it, if it is still shown; an item of the toolbar's "More"
/// (closed by then) gives it to the "More" button instead.
fn give_back(opener: Option<web_sys::Element>) {
    request_animation_frame(move || {
        let doc = document();
        let lost = doc
            .active_element()
            .is_none_or(|a| doc.body().is_some_and(|b| b.is_same_node(Some(&a))));
        let Some(o) = opener.filter(|_| lost) else {
            return;
        };
        let shown = |e: &web_sys::HtmlElement| e.is_connected() && e.offset_width() > 0;
        let more = || {
            o.closest(".more-wrap")
                .ok()
                .flatten()
                .and_then(|w| w.query_selector(".more").ok().flatten())
        };
        let to = o
            .clone()
            .dyn_into::<web_sys::HtmlElement>()
            .ok()
            .filter(shown)
            .or_else(|| more().and_then(|m| m.dyn_into().ok()));
        if let Some(to) = to.filter(shown) {
            let _ = to.focus();
        }
    });
}
