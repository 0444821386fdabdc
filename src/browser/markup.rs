//! A small markup builder whose every text and attribute value is escaped
//! by construction.
//!
//! Panels that write markup (rather than reactive views, which cost the
//! bundle more) build it with [`el`]: tag and attribute names are
//! `&'static str` (written in the code, never user text), and every value
//! and text goes through [`xml_escape`]. There is no method that inserts a
//! string as markup; a finished element is inserted into another only as an
//! [`El`] (or as [`Markup`], which only this module makes).
//!
//! User text that may hold bidirectional controls (a site called
//! "\u{202E}nodnoL") goes through [`El::user_text`], which isolates it in a
//! `<bdi>` so it cannot reorder the words around it.

use dpm_rules::xml_escape;
use leptos::prelude::*;

/// Appends `s` escaped (as [`xml_escape`] does) to `out`.
fn escape_into(out: &mut String, s: &str) {
    if s.bytes()
        .any(|b| matches!(b, b'&' | b'<' | b'>' | b'"' | b'\''))
    {
        out.push_str(&xml_escape(s));
    } else {
        out.push_str(s);
    }
}

/// Finished markup, made only by [`El::render`]; inserted into a page with
/// `set_inner_html`, or appended to other markup of this module.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Markup(String);

impl Markup {
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The markup as text, for a user to copy (the embed code): into the
    /// page it goes only through this module's functions.
    pub fn into_string(self) -> String {
        self.0
    }

    /// Markup that the windowed list assembled from rows of this module's
    /// markup (it only adds attributes of its own): for `browser` only.
    pub(in crate::browser) fn assembled(s: String) -> Markup {
        Markup(s)
    }

    /// This markup, then `next`.
    pub fn then(mut self, next: &Markup) -> Markup {
        self.0.push_str(&next.0);
        self
    }

    /// The rows `parts`, one after another.
    pub fn join(parts: &[Markup]) -> Markup {
        Markup(parts.iter().map(|m| m.as_str()).collect())
    }

    /// Markup of several elements, one after another.
    pub fn concat(parts: impl IntoIterator<Item = El>) -> Markup {
        let mut out = String::new();
        for p in parts {
            p.write(&mut out);
        }
        Markup(out)
    }
}

/// Elements without an end tag.
const VOID: [&str; 7] = ["input", "br", "hr", "img", "meta", "link", "wbr"];

/// An element being built.
///
/// Boxed: each builder call takes and gives back the element, and in the
/// wasm a moved box is one pointer where the element itself is eight
/// words copied at every call of every panel (some 14 gzip bytes a call).
#[derive(Clone, Debug)]
pub struct El(Box<Parts>);

#[derive(Clone, Debug)]
pub struct Parts {
    tag: &'static str,
    attrs: String,
    body: String,
}

impl std::ops::Deref for El {
    type Target = Parts;
    fn deref(&self) -> &Parts {
        &self.0
    }
}

impl std::ops::DerefMut for El {
    fn deref_mut(&mut self) -> &mut Parts {
        &mut self.0
    }
}

/// A new `<tag>` element.
pub fn el(tag: &'static str) -> El {
    El(Box::new(Parts {
        tag,
        attrs: String::new(),
        body: String::new(),
    }))
}

impl El {
    /// `name="value"`, the value escaped.
    #[inline(always)]
    pub fn attr(self, name: &'static str, value: impl AsRef<str>) -> El {
        self.attr_str(name, value.as_ref())
    }

    // One body for every type of value (the generic methods only convert).
    #[inline(never)]
    fn attr_str(mut self, name: &'static str, value: &str) -> El {
        self.attrs.push(' ');
        self.attrs.push_str(name);
        self.attrs.push_str("=\"");
        escape_into(&mut self.attrs, value);
        self.attrs.push('"');
        self
    }

    /// `name="value"` when `value` is `Some`.
    pub fn attr_opt(self, name: &'static str, value: Option<impl AsRef<str>>) -> El {
        match value {
            Some(v) => self.attr(name, v),
            None => self,
        }
    }

    /// A boolean attribute (`checked`, `selected`, `disabled`) when `on`.
    pub fn flag(mut self, name: &'static str, on: bool) -> El {
        if on {
            self.attrs.push(' ');
            self.attrs.push_str(name);
        }
        self
    }

    /// Text, escaped.
    #[inline(always)]
    pub fn text(self, text: impl AsRef<str>) -> El {
        self.text_str(text.as_ref())
    }

    #[inline(never)]
    fn text_str(mut self, text: &str) -> El {
        escape_into(&mut self.body, text);
        self
    }

    /// Text written by a user (a name, a site), escaped and isolated in a
    /// `<bdi>`: bidirectional controls in it cannot reorder what is around.
    pub fn user_text(self, text: impl AsRef<str>) -> El {
        self.child(el("bdi").text(text))
    }

    /// A server's name, as [`El::user_text`], that a narrow column breaks
    /// only after the dots of a domain (`dpm-lon-prod-01.` / `corp.`),
    /// never at a hyphen: each label unbreakable (the style's `.nm`), a
    /// `<wbr>` between. Copied, it gives the name as it is.
    pub fn name_text(self, name: &str) -> El {
        let mut b = el("bdi").attr("class", "nm");
        for (i, part) in name.split_inclusive('.').enumerate() {
            if i > 0 {
                b = b.child(el("wbr"));
            }
            b = b.child(el("span").text(part));
        }
        self.child(b)
    }

    /// A child element.
    #[inline(never)]
    pub fn child(mut self, child: El) -> El {
        child.write(&mut self.body);
        self
    }

    /// A child element when there is one.
    pub fn child_opt(self, child: Option<El>) -> El {
        match child {
            Some(c) => self.child(c),
            None => self,
        }
    }

    /// Child elements, in order.
    pub fn children(mut self, children: impl IntoIterator<Item = El>) -> El {
        for c in children {
            c.write(&mut self.body);
        }
        self
    }

    /// Markup this module made.
    pub fn markup(mut self, m: &Markup) -> El {
        self.body.push_str(&m.0);
        self
    }

    fn write(self, out: &mut String) {
        out.push('<');
        out.push_str(self.tag);
        out.push_str(&self.attrs);
        out.push('>');
        if VOID.contains(&self.tag) {
            return;
        }
        out.push_str(&self.body);
        out.push_str("</");
        out.push_str(self.tag);
        out.push('>');
    }

    pub fn render(self) -> Markup {
        let mut out = String::new();
        self.write(&mut out);
        Markup(out)
    }
}

/// Replaces what `root` holds with `m`. This, [`insert_rows`] and
/// [`svg_layer`] are the only ways markup enters the page ([`fill`],
/// [`fill_rows`] and [`patch_rows`] go through the first two). Keyboard
/// focus inside `root`
/// stays on the control with the same `data-k`, found by comparing
/// attribute values (never through a selector built from one: a `data-k`
/// may hold a server's name). Returns true when focus was inside `root` and
/// its control is gone, so the caller can choose where it goes.
pub fn set_keeping_focus(root: &web_sys::Element, m: &Markup) -> bool {
    keeping_focus(root, &|| root.set_inner_html(&m.0))
}

/// Runs `write`, which writes part or all of `root` again: keyboard focus
/// that was inside `root` and was written away goes to the control with
/// the same `data-k` (compared as text, as [`set_keeping_focus`] says).
/// True when focus was inside `root` and no control has its key now.
pub fn keeping_focus(root: &web_sys::Element, write: &dyn Fn()) -> bool {
    use wasm_bindgen::JsCast;
    let inside = |a: &web_sys::Element| root.contains(Some(a));
    let focused = document()
        .active_element()
        .filter(inside)
        .map(|a| a.get_attribute("data-k"));
    write();
    let Some(k) = focused else { return false };
    if document().active_element().is_some_and(|a| inside(&a)) {
        return false;
    }
    let again = k.and_then(|k| by_attr(root, "data-k", &k));
    match again.and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok()) {
        Some(el) => {
            // Where the control was, in view: scrolling it into view would
            // lay the page out in the middle of the change (10 ms of a
            // Play at 10,000 servers).
            let options = web_sys::FocusOptions::new();
            options.set_prevent_scroll(true);
            let _ = el.focus_with_options(&options);
            false
        }
        None => true,
    }
}

/// Makes `list`, whose children are the elements of `old` (one each, in
/// order), hold those of `new`, writing only the rows that are new: a row
/// whose markup is in both lists keeps its element (moved when rows around
/// it came or went in between), a row that is only in `old` goes, a row
/// that is only in `new` is written. At 10,000 servers a panel of hundreds
/// of rows written again whole cost 10-30 ms of parsing and 30 ms of
/// layout at each edit, which changes one or two of them, often far apart
/// (a protection added changes its DPM server's row and its target's).
/// When `list` does not hold as many children as `old` has rows (something
/// else wrote it), it is written whole. Focus on a row left in place stays
/// there; focus on a row written or moved goes to the control with the same
/// `data-k` (as [`set_keeping_focus`] does): true when it had none to go to.
pub fn patch_rows(list: &web_sys::Element, old: &[Markup], new: &[Markup]) -> bool {
    if list.child_element_count() as usize != old.len() {
        return set_keeping_focus(list, &Markup::join(new));
    }
    // The rows before the first that differs and after the last stay.
    let head = old.iter().zip(new).take_while(|(a, b)| a == b).count();
    let tail = old[head..]
        .iter()
        .rev()
        .zip(new[head..].iter().rev())
        .take_while(|(a, b)| a == b)
        .count();
    let (old, new) = (&old[head..old.len() - tail], &new[head..new.len() - tail]);
    if old.is_empty() && new.is_empty() {
        return false;
    }
    let mut at = list.first_element_child();
    for _ in 0..head {
        at = at.and_then(|e| e.next_element_sibling());
    }
    // The elements of the rows between, and each new row's old element
    // (the first unused one of the same markup), if any.
    let mut elements = Vec::with_capacity(old.len());
    for _ in old {
        if let Some(e) = at {
            at = e.next_element_sibling();
            elements.push(e);
        }
    }
    // The old rows in markup order (the sort is stable: rows alike in the
    // order they came), looked up by each new row.
    let mut order: Vec<usize> = (0..old.len()).collect();
    dpm_rules::sort_by(&mut order, &|&a, &b| old[a].as_str().cmp(old[b].as_str()));
    let mut kept = vec![false; elements.len()];
    let found: Vec<Option<usize>> = new
        .iter()
        .map(|m| {
            let from = order.partition_point(|&i| old[i].as_str() < m.as_str());
            let i = order[from..]
                .iter()
                .take_while(|&&i| old[i] == *m)
                .find(|&&i| !kept[i])
                .copied()?;
            kept[i] = true;
            Some(i)
        })
        .collect();
    // Of the rows kept, the longest run already in order stays where it is;
    // the others move (a row that changed places: one move, not one for
    // each row it passes).
    let stays = in_order(&found);
    keeping_focus(list, &|| {
        for (e, _) in elements.iter().zip(&kept).filter(|(_, &k)| !k) {
            e.remove();
        }
        // From the last row back, each put before the one after it.
        let mut next = at.clone();
        let mut written: Vec<Markup> = Vec::new();
        let flush = |written: &mut Vec<Markup>, next: &mut Option<web_sys::Element>| {
            if written.is_empty() {
                return;
            }
            written.reverse();
            insert_rows(list, next.as_ref(), written);
            let mut first = match next {
                Some(n) => n.previous_element_sibling(),
                None => list.last_element_child(),
            };
            for _ in 1..written.len() {
                first = first.and_then(|e| e.previous_element_sibling());
            }
            *next = first;
            written.clear();
        };
        for (j, f) in found.iter().enumerate().rev() {
            let Some(i) = *f else {
                written.push(new[j].clone());
                continue;
            };
            flush(&mut written, &mut next);
            let e = &elements[i];
            if !stays[j] {
                let _ = list.insert_before(e, next.as_ref().map(|n| n.as_ref()));
            }
            next = Some(e.clone());
        }
        flush(&mut written, &mut next);
    })
}

/// Which of `found` (each new row's old place, if it had one) are in the
/// longest run of old places in increasing order: the rows that can stay
/// where they are while the others move around them.
fn in_order(found: &[Option<usize>]) -> Vec<bool> {
    // Patience sorting: `ends[k]` is the index into `found` of the least
    // old place ending a run of k + 1, `back[j]` the run's element before j.
    let mut ends: Vec<usize> = Vec::new();
    let mut back = vec![usize::MAX; found.len()];
    for (j, f) in found.iter().enumerate() {
        let Some(i) = *f else { continue };
        let k = ends.partition_point(|&e| found[e].is_some_and(|x| x < i));
        if k > 0 {
            back[j] = ends[k - 1];
        }
        if k == ends.len() {
            ends.push(j);
        } else {
            ends[k] = j;
        }
    }
    let mut stays = vec![false; found.len()];
    let mut j = ends.last().copied().unwrap_or(usize::MAX);
    while j != usize::MAX {
        stays[j] = true;
        j = back[j];
    }
    stays
}

/// Puts `rows` in `list` before its child `next` (at its end if none).
pub fn insert_rows(list: &web_sys::Element, next: Option<&web_sys::Element>, rows: &[Markup]) {
    let html = Markup::join(rows).0;
    if html.is_empty() {
        return;
    }
    let _ = match next {
        Some(next) => next.insert_adjacent_html("beforebegin", &html),
        None => list.insert_adjacent_html("beforeend", &html),
    };
}

/// Keeps the children of `target` the rows `content` gives (each one
/// element), following what it reads: the first time written whole, then
/// patched ([`patch_rows`]), so a change of one row writes one row.
pub fn fill_rows<E>(target: NodeRef<E>, content: impl Fn() -> Vec<Markup> + 'static)
where
    E: leptos::html::ElementType,
    E::Output: wasm_bindgen::JsCast + Clone + 'static,
{
    use wasm_bindgen::JsCast;
    let mut shown = Vec::<Markup>::new();
    crate::browser::effect(move || {
        let rows = content();
        if let Some(el) = target.get() {
            patch_rows(el.unchecked_ref(), &shown, &rows);
            shown = rows;
        }
    });
}

/// The first element under `root` whose attribute `name` is `value`,
/// compared as text (so `value` may hold anything a user typed).
pub fn by_attr(
    root: &web_sys::Element,
    name: &'static str,
    value: &str,
) -> Option<web_sys::Element> {
    all_by_attr(root, name, value).next()
}

/// Every element under `root` whose attribute `name` is `value`, in
/// document order, compared as [`by_attr`] compares.
pub fn all_by_attr<'v>(
    root: &web_sys::Element,
    name: &'static str,
    value: &'v str,
) -> impl Iterator<Item = web_sys::Element> + 'v {
    use wasm_bindgen::JsCast;
    let all = root.query_selector_all(&format!("[{name}]")).ok();
    let n = all.as_ref().map_or(0, |a| a.length());
    (0..n)
        .filter_map(move |i| all.as_ref()?.item(i))
        .filter_map(|n| n.dyn_into::<web_sys::Element>().ok())
        .filter(move |e| e.get_attribute(name).as_deref() == Some(value))
}

/// Keeps the element `target` refers to filled with `content`, rewritten
/// (focus kept, see [`set_keeping_focus`]) whenever what `content` reads
/// changes.
pub fn fill<E>(target: NodeRef<E>, content: impl Fn() -> Markup + 'static)
where
    E: leptos::html::ElementType,
    E::Output: wasm_bindgen::JsCast + Clone + 'static,
{
    use wasm_bindgen::JsCast;
    crate::browser::effect(move || {
        let m = content();
        if let Some(el) = target.get() {
            set_keeping_focus(el.unchecked_ref(), &m);
        }
    });
}

/// An SVG group of class `class` whose content is `content`, rewritten
/// whenever what `content` reads changes: the one place where this
/// module's markup enters a reactive view, so everything drawn this way
/// has been escaped by construction. Hidden from assistive technology: what
/// it draws is said in words elsewhere (labels, the Servers list).
pub fn svg_layer(
    class: &'static str,
    content: impl Fn() -> Markup + Send + Sync + 'static,
) -> impl IntoView {
    view! { <g class=class aria-hidden="true" inner_html=move || content().into_string()></g> }
}
