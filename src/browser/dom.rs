//! DOM helpers every view uses: the button a click landed on, whether a
//! key was typed into a field, a select used as a menu, reading a form
//! control, and pointer coordinates. Knows no app type.

use leptos::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlInputElement, HtmlSelectElement, HtmlTextAreaElement};

/// Whether the user asked for less motion.
pub fn reduced_motion() -> bool {
    window()
        .match_media("(prefers-reduced-motion: reduce)")
        .ok()
        .flatten()
        .is_some_and(|m| m.matches())
}

/// Whether `target` is a text field: an input that takes text, a text
/// area, a select (typed letters pick its options) or editable content.
pub fn in_field(target: Option<web_sys::EventTarget>) -> bool {
    let Some(e) = target.and_then(|t| t.dyn_into::<Element>().ok()) else {
        return false;
    };
    match e.tag_name().as_str() {
        "INPUT" => !matches!(
            e.get_attribute("type")
                .unwrap_or_default()
                .to_ascii_lowercase()
                .as_str(),
            "checkbox" | "radio" | "button" | "submit" | "reset" | "range" | "color" | "file"
        ),
        "TEXTAREA" | "SELECT" => true,
        _ => e
            .dyn_ref::<web_sys::HtmlElement>()
            .is_some_and(|h| h.is_content_editable()),
    }
}

/// Whether a key is being typed into a text field: the element the key
/// went to (the first on the event's composed path, so a field inside a
/// shadow root counts too) is one, or an input method is composing. The
/// one guard every keydown handler that runs shortcuts asks first (the
/// commands' keys, the presenter's, a focused server's): no key typed into
/// a field ever runs a shortcut.
pub fn typing(ev: &web_sys::KeyboardEvent) -> bool {
    let first = ev
        .composed_path()
        .get(0)
        .dyn_into::<web_sys::EventTarget>()
        .ok();
    ev.is_composing() || ev.key() == "Process" || in_field(first.or_else(|| ev.target()))
}

/// Handlers for a `<select>` used as a menu (Presets, Exercises): `act` gets
/// the value picked, then the select shows its label again.
///
/// On Windows and Linux an arrow key on a closed select changes its value
/// at once; acting on each change would open every entry on the way to the
/// one wanted. A change made by a key (the change event fires inside the
/// keydown's task) waits for Enter; one made in the drop-down acts at once.
pub fn menu_select(
    act: Callback<String>,
) -> (
    impl Fn(leptos::ev::Event) + Copy,
    impl Fn(web_sys::KeyboardEvent) + Copy,
) {
    // (a key is being handled, a keyed change waits for Enter)
    let state = StoredValue::new((false, false));
    let pick = move |el: Option<web_sys::EventTarget>| {
        state.set_value((false, false));
        if let Some(sel) = el.and_then(|t| t.dyn_into::<web_sys::HtmlSelectElement>().ok()) {
            let v = sel.value();
            sel.set_value("");
            if !v.is_empty() {
                act.run(v);
            }
        }
    };
    let change = move |ev: leptos::ev::Event| {
        if state.get_value().0 {
            state.set_value((true, true));
        } else {
            pick(ev.target());
        }
    };
    let key = move |ev: web_sys::KeyboardEvent| {
        if ev.key() == "Enter" {
            if state.get_value().1 {
                ev.prevent_default();
                pick(ev.target());
            }
        } else {
            state.update_value(|s| s.0 = true);
            set_timeout(
                move || state.update_value(|s| s.0 = false),
                std::time::Duration::ZERO,
            );
        }
    };
    (change, key)
}

/// The button a click landed on, if it has a `data-action`.
pub fn clicked(ev: &web_sys::MouseEvent) -> Option<web_sys::Element> {
    ev.target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        .and_then(|e| e.closest("button[data-action]").ok().flatten())
}

/// The value of a form control: a checkbox as "true"/"false".
pub fn value(el: &Element) -> String {
    if let Some(i) = el.dyn_ref::<HtmlInputElement>() {
        if i.type_() == "checkbox" {
            i.checked().to_string()
        } else {
            i.value()
        }
    } else if let Some(s) = el.dyn_ref::<HtmlSelectElement>() {
        s.value()
    } else if let Some(t) = el.dyn_ref::<HtmlTextAreaElement>() {
        t.value()
    } else {
        String::new()
    }
}

/// The first element under `root` that `sel` matches: a selector written
/// in the code (an attribute's value that a user may have typed is found
/// with `markup::by_attr` instead).
pub fn find(root: &Element, sel: &str) -> Option<Element> {
    root.query_selector(sel).ok().flatten()
}

/// Whether the element with the keyboard focus is inside an element that
/// `within` (a selector written in the code) matches: a panel about to go,
/// whose focus then goes to the button that brings it back.
pub fn focus_within(within: &str) -> bool {
    leptos::prelude::document()
        .active_element()
        .is_some_and(|a| a.closest(within).ok().flatten().is_some())
}

/// Scrolls the side column, when `el` (inside it) is out of its view or its
/// top within 48 pixels of its bottom, so that `el`'s top is at the
/// column's top: a panel turned on below a long list, a player opened far
/// above the option played, an entry moved by its rename. Nothing when it
/// is in view (a layout read, no scroll).
pub fn into_column_view(el: &Element) {
    let Some(side) = el.closest(".side").ok().flatten() else {
        return;
    };
    let (r, s) = (
        el.get_bounding_client_rect(),
        side.get_bounding_client_rect(),
    );
    if r.top() < s.top() || r.top() > s.bottom() - 48.0 {
        el.scroll_into_view_with_bool(true);
    }
}

/// Where the pointer is on the canvas element, in CSS pixels.
pub fn local(svg: &web_sys::Element, cx: f64, cy: f64) -> (f64, f64) {
    let r = svg.get_bounding_client_rect();
    (cx - r.left(), cy - r.top())
}

thread_local! {
    /// Set while the app itself takes the focus from an element.
    static RELEASING: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Takes the keyboard focus from server node `el` on purpose, to the page: it
/// does not take it back when the list of nodes changes around it at
/// the same time (`canvas::node`, which asks [`releasing`]).
pub fn release_focus(el: &web_sys::SvgElement) {
    RELEASING.set(true);
    let _ = el.blur();
    RELEASING.set(false);
}

/// Whether the focus is being taken from an element by [`release_focus`].
pub fn releasing() -> bool {
    RELEASING.get()
}
