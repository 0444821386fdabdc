//! Long lists drawn a window at a time.
//!
//! A large estate can have thousands of findings, or thousands of copies
//! touched by one failure. Putting them all in the page costs seconds on
//! every change; a windowed list keeps only the rows in view (and a
//! margin) in the DOM, in a scroll box whose height stands for all of
//! them. Rows have one height, so where a row is follows from its index
//! with no measuring.
//!
//! It is markup, not a component: the panels that use it are markup
//! strings too, and one scroll listener on the document serves every list
//! (scroll events do not bubble; it listens in the capture phase). A
//! reactive component cost some 12 KB of wasm for the same behaviour.

use super::markup::{by_attr, el, set_keeping_focus, El, Markup};
use std::cell::RefCell;

use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// Lists longer than this are windowed; shorter ones are drawn whole.
pub const WINDOW_FROM: usize = 100;
/// Rows past the edges of the view kept drawn, so a quick scroll shows no
/// blank before the next frame.
const MARGIN: usize = 12;
/// Rows a box shows at most (CSS caps its height at 580 px).
const SHOWN: usize = 30;

struct List {
    rows: Vec<Markup>,
    /// CSS pixels; whole, since formatting a float would link Rust's float
    /// formatter (some 10 KB of wasm).
    row_h: u32,
}

thread_local! {
    /// Every windowed list on the page, by its `data-vlist` key (a handful:
    /// a list, not a map, which would cost its own code in the wasm).
    static LISTS: RefCell<Vec<(String, List)>> = const { RefCell::new(Vec::new()) };
}

/// The window from row `first`, each `<li` told its place
/// (`aria-posinset`/`aria-setsize`), so a screen reader says "523 of
/// 3,000" though most rows are not there.
fn window(l: &List, first: usize) -> (Markup, u64, u64) {
    let n = l.rows.len();
    let mut html = String::new();
    for (i, row) in l
        .rows
        .iter()
        .enumerate()
        .skip(first)
        .take(SHOWN + 2 * MARGIN)
    {
        let row = row.as_str();
        let rest = row.strip_prefix("<li").unwrap_or(row);
        html.push_str(&format!(
            "<li aria-setsize=\"{n}\" aria-posinset=\"{}\"{rest}",
            i + 1
        ));
    }
    (
        Markup::assembled(html),
        n as u64 * l.row_h as u64,
        first as u64 * l.row_h as u64,
    )
}

/// Sizes the box's list so that it stands for every row, the window in
/// its place. Through the style object: the page's CSP forbids style
/// attributes in markup.
fn size(ul: &web_sys::Element, height: u64, pad: u64) {
    if let Some(ul) = ul.dyn_ref::<web_sys::HtmlElement>() {
        let st = ul.style();
        let _ = st.set_property("height", &format!("{height}px"));
        let _ = st.set_property("padding-top", &format!("{pad}px"));
    }
}

fn first_at(l: &List, top: f64) -> usize {
    ((top / l.row_h.max(1) as f64) as usize)
        .saturating_sub(MARGIN)
        .min(l.rows.len())
}

fn find(key: &str) -> Option<web_sys::Element> {
    by_attr(&document().document_element()?, "data-vlist", key)
}

/// `rows` (each a whole `<li …>…</li>`) in a list: drawn whole up to
/// `WINDOW_FROM`, else a windowed box named `key` (unique on the page)
/// whose rows are `row_h` CSS pixels high. A box that was on the page
/// under the same key keeps its scroll position.
pub fn html(key: &str, rows: Vec<Markup>, row_h: u32, label: &str) -> El {
    if rows.len() <= WINDOW_FROM {
        forget(key);
        return rows.iter().fold(el("ul"), |ul, r| ul.markup(r));
    }
    install();
    let top = find(key).map(|e| e.scroll_top()).unwrap_or(0);
    let l = List { rows, row_h };
    let (inner, height, pad) = window(&l, first_at(&l, top as f64));
    LISTS.with(|m| {
        let mut m = m.borrow_mut();
        m.retain(|(k, _)| k != key);
        m.push((key.to_string(), l));
    });
    // The new box replaces the old one after this returns: size it then,
    // before the next frame is drawn, at the old one's scroll position
    // (sized first: unsized, it holds only the window's rows, and the
    // browser would cap the scroll at their height).
    let k = key.to_string();
    request_animation_frame(move || {
        if let Some(e) = find(&k) {
            if let Some(ul) = e.first_element_child() {
                size(&ul, height, pad);
            }
            e.set_scroll_top(top);
            redraw(&e);
        }
    });
    el("div")
        .attr("class", format!("vlist rows-{row_h}"))
        .attr("tabindex", "0")
        .attr("role", "region")
        .attr("aria-label", label)
        .attr("data-vlist", key)
        .child(el("ul").markup(&inner))
}

/// Forgets the rows of the box named `key`: its list is drawn whole now,
/// or is gone.
pub fn forget(key: &str) {
    LISTS.with(|m| m.borrow_mut().retain(|(k, _)| k != key));
}

/// Draws the window of the box `el` at its scroll position.
fn redraw(el: &web_sys::Element) {
    let (Some(key), Some(ul)) = (el.get_attribute("data-vlist"), el.first_element_child()) else {
        return;
    };
    LISTS.with(|m| {
        if let Some((_, l)) = m.borrow().iter().find(|(k, _)| *k == key) {
            let (inner, height, pad) = window(l, first_at(l, el.scroll_top() as f64));
            size(&ul, height, pad);
            set_keeping_focus(&ul, &inner);
        }
    });
}

/// The one scroll listener, added on first use.
fn install() {
    thread_local!(static ON: std::cell::Cell<bool> = const { std::cell::Cell::new(false) });
    if ON.with(|o| o.replace(true)) {
        return;
    }
    let f = wasm_bindgen::closure::Closure::<dyn Fn(web_sys::Event)>::new(|ev: web_sys::Event| {
        let Some(el) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        else {
            return;
        };
        if el.has_attribute("data-vlist") {
            redraw(&el);
        }
    });
    let _ = document().add_event_listener_with_callback_and_bool(
        "scroll",
        f.as_ref().unchecked_ref(),
        true,
    );
    f.forget();
}
