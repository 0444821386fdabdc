//! The Servers list: the drawing's text twin. Every server with what it is,
//! what it protects, what protects it and its findings, in name order, as a
//! screen reader reads it well (a heading per server); and from it, every
//! edit of the drawing's shape: add and remove protections, rename, delete.
//!
//! The words come from the rule crate ([`dpm_rules::twin`]); edits go
//! through [`Editor::edit`], so they are undoable, saved, and refused with a
//! sentence where an open exercise does not allow them.
//!
//! Written as markup with delegated handlers (like the exercise author): it
//! changes only when the drawing does, and as views it would cost the
//! bundle several times as much. A re-render keeps focus on the control
//! that had it (or, when that control went with the edit, on its server's
//! heading or the one now in its place), so a keyboard user never falls
//! back to the top of the page.

use crate::browser::dom::find;
use crate::browser::dom::value;
use crate::browser::markup::el;
use crate::browser::markup::El;
use crate::browser::markup::Markup;
use crate::browser::markup::{by_attr, patch_rows, set_keeping_focus};
use crate::state::editor::Editor;
use crate::state::positions::Positions;
use crate::state::reveal::reveal;

use leptos::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement, HtmlSelectElement};

use dpm_rules::{twin_of, Entry, Finding, Kind, Link, Protection, ServerId, Severity, Topology};

/// How many servers are written at first, and added by "Show more": a list
/// of thousands is read by searching, not by scrolling through it.
const PAGE: usize = 200;

fn id_of(s: &str) -> Option<ServerId> {
    s.parse().ok().map(ServerId)
}

/// `<option>`s of servers.
fn server_options(t: &Topology, ids: &[ServerId]) -> Vec<El> {
    ids.iter()
        .map(|&id| {
            el("option")
                .attr("value", id.0.to_string())
                .text(t.name(id))
        })
        .collect()
}

/// "3 servers, 2 protections.", above the list.
fn counts(servers: usize, protections: usize) -> El {
    let s = |n: usize| if n == 1 { "" } else { "s" };
    el("p").attr("class", "muted").text(format!(
        "{} server{}, {} protection{}.",
        dpm_rules::thousands(servers),
        s(servers),
        dpm_rules::thousands(protections),
        s(protections)
    ))
}

/// The add-a-protection form: a DPM server, what it is to protect, and the
/// pre-check's verdict on the pair. Nothing chosen: what is chosen lives in
/// the page's menus, so that choosing does not make the form's markup
/// differ (and be written again, 10,000 options, at the next edit).
fn add_form(t: &Topology, dpm: &[ServerId], all: &[ServerId]) -> El {
    el("fieldset")
        .attr("class", "twin-add")
        .child(el("legend").text("Add a protection"))
        .child(
            el("label").attr("class", "field").text("DPM server").child(
                el("select")
                    .attr("data-part", "from")
                    .attr("data-k", "from")
                    .children(server_options(t, dpm)),
            ),
        )
        .child(
            el("label").attr("class", "field").text("protects").child(
                el("select")
                    .attr("data-part", "to")
                    .attr("data-k", "to")
                    .child(el("option").attr("value", "").text("Choose a server"))
                    .children(server_options(t, all)),
            ),
        )
        .child(
            el("p")
                .attr("class", "muted")
                .attr("data-part", "verdict")
                .attr("role", "status"),
        )
        .child(
            el("button")
                .attr("class", "btn small")
                .attr("data-action", "list-protect")
                .attr("data-k", "protect")
                .text("Add protection"),
        )
}

/// What a server protects (`protects`) or what protects it, each with a
/// Remove button; "nothing" when there is none.
fn link_list(t: &Topology, ids: &[ServerId], own: ServerId, protects: bool) -> El {
    if ids.is_empty() {
        return el("span").attr("class", "muted").text("nothing");
    }
    el("ul")
        .attr("class", "twin-links")
        .children(ids.iter().map(|&x| {
            let (a, b) = if protects { (own, x) } else { (x, own) };
            // The visible word first (WCAG 2.5.3: a voice user says
            // what they see).
            let what = format!("Remove: {} protects {}", t.name(a), name_or_itself(t, a, b));
            let li = if x == own {
                el("li").text("itself")
            } else {
                el("li").user_text(t.name(x))
            };
            li.child(
                el("button")
                    .attr("class", "link-button")
                    .attr("data-action", "list-unlink")
                    .attr("data-link", format!("{} {}", a.0, b.0))
                    .attr("data-k", format!("u{}-{}-{}", own.0, a.0, b.0))
                    .attr("aria-label", what)
                    .text("Remove"),
            )
        }))
}

/// A server's findings, each with its severity in a word.
fn finding_items(fs: &[Finding], of: &[usize]) -> El {
    el("ul")
        .attr("class", "twin-findings")
        .children(of.iter().filter_map(|&i| fs.get(i)).map(|f| {
            let (class, word) = match f.severity() {
                Severity::Error => ("sev-error", "Error:"),
                Severity::Warning => ("sev-warning", "Warning:"),
                Severity::Info => ("sev-info", "Note:"),
            };
            el("li")
                .attr("class", class)
                .attr("data-rule", f.rule.id())
                .child(el("strong").text(word))
                .text(" ")
                .user_text(&f.message)
        }))
}

/// A row's facts: what it protects and what protects it, its estate facts
/// (sentences with names in them) and its findings.
fn row_facts(t: &Topology, fs: &[Finding], e: &Entry, is_dpm: bool) -> El {
    let mut dl = el("dl").attr("class", "twin-facts");
    if is_dpm {
        dl = dl
            .child(el("dt").text("Protects"))
            .child(el("dd").child(link_list(t, &e.protects, e.id, true)));
    }
    dl = dl
        .child(el("dt").text("Protected by"))
        .child(el("dd").child(link_list(t, &e.protected_by, e.id, false)));
    if !e.facts.is_empty() {
        dl = dl.child(el("dt").text("Estate")).child(
            el("dd").child(
                el("ul")
                    .attr("class", "twin-estate")
                    .children(e.facts.iter().map(|f| el("li").user_text(f))),
            ),
        );
    }
    if !e.findings.is_empty() {
        dl = dl
            .child(el("dt").text("Findings"))
            .child(el("dd").child(finding_items(fs, &e.findings)));
    }
    dl
}

/// A small button of a list row, about server `id`; `k` is its `data-k`
/// letter.
fn row_button(
    class: &'static str,
    action: &'static str,
    id: u32,
    k: char,
    label: Option<String>,
) -> El {
    el("button")
        .attr("class", class)
        .attr("data-action", action)
        .attr("data-id", id.to_string())
        .attr("data-k", format!("{k}{id}"))
        .attr_opt("aria-label", label)
}

/// One server of the list: its name and what it is, its facts, then its
/// name field and buttons (rename, protect a server, show, delete).
fn list_row(t: &Topology, fs: &[Finding], e: &Entry) -> El {
    let id = e.id.0;
    let name = e.name.as_str();
    let is_dpm = t.server(e.id).is_some_and(|s| s.kind == Kind::Dpm);
    let protect = is_dpm.then(|| {
        row_button("btn small", "list-protect-from", id, 'p', None).text("Protect a server…")
    });
    let buttons = el("div")
        .attr("class", "row wrap")
        .child(
            el("label")
                .attr("class", "twin-rename")
                .child(
                    el("span")
                        .attr("class", "sr-only")
                        .text("New name for ")
                        .user_text(name),
                )
                .child(
                    el("input")
                        .attr("type", "text")
                        .attr("value", name)
                        .attr("maxlength", "80")
                        .attr("data-rename", id.to_string())
                        .attr("data-k", format!("r{id}"))
                        .attr("aria-describedby", format!("twin-err-{id}")),
                ),
        )
        .child(
            row_button(
                "btn small",
                "list-rename",
                id,
                'n',
                Some(format!("Rename {name}")),
            )
            .text("Rename"),
        )
        .child_opt(protect)
        .child(
            row_button(
                "btn small",
                "list-show",
                id,
                's',
                Some(format!("Show {name} on the drawing")),
            )
            .text("Show"),
        )
        .child(
            row_button(
                "btn small danger",
                "list-delete",
                id,
                'd',
                Some(format!("Delete {name}")),
            )
            .text("Delete"),
        );
    el("li")
        .attr("class", "twin-item")
        .attr("data-twin", id.to_string())
        .child(
            el("h3")
                .attr("tabindex", "-1")
                .attr("data-k", format!("h{id}"))
                .text(name)
                .child(el("span").attr("class", "twin-what").text(&e.what)),
        )
        .child(row_facts(t, fs, e, is_dpm))
        .child(buttons)
        .child(
            el("p")
                .attr("class", "field-error")
                .attr("id", format!("twin-err-{id}"))
                .attr("role", "alert"),
        )
}

/// What the add-a-protection form is made of: every server and every DPM
/// server in name order, with their names. Compared at every edit (10,000
/// names compared, none copied) so that the form (two menus of every
/// server: 10,000 options in an estate of 10,000) is made and written only
/// when these change.
#[derive(Default)]
struct FormKey {
    all: Vec<ServerId>,
    names: Vec<String>,
    dpm: Vec<ServerId>,
}

/// The DPM servers of `ids`, in their order.
fn dpm_of<'a>(t: &'a Topology, ids: &'a [ServerId]) -> impl Iterator<Item = ServerId> + 'a {
    ids.iter()
        .copied()
        .filter(|&id| t.server(id).is_some_and(|s| s.kind == Kind::Dpm))
}

impl FormKey {
    /// The key of the form for the servers `ids` of `t`, in name order.
    fn of(t: &Topology, ids: &[ServerId]) -> FormKey {
        FormKey {
            all: ids.to_vec(),
            names: ids.iter().map(|&id| t.name(id).to_string()).collect(),
            dpm: dpm_of(t, ids).collect(),
        }
    }

    /// Whether the form made for this key is the form of the servers `ids`
    /// of `t`, in name order.
    fn fits(&self, t: &Topology, ids: &[ServerId]) -> bool {
        self.all == ids
            && ids
                .iter()
                .zip(&self.names)
                .all(|(&id, name)| t.name(id) == name)
            && self.dpm.iter().copied().eq(dpm_of(t, ids))
    }
}

/// The list as it is written, each part to its own container: the counts,
/// the add-a-protection form (what it was made of), the rows, one each, so
/// that an edit writes only the rows it changed (see [`patch_rows`]), and
/// "Show more".
struct Written {
    counts: Markup,
    form: FormKey,
    rows: Vec<Markup>,
    more: Markup,
}

/// The list's parts, and the form's markup when the form written before
/// (made of `form`) is not the form of the drawing now.
fn list_html(
    t: &Topology,
    fs: &[Finding],
    limit: usize,
    form: FormKey,
) -> (Written, Option<Markup>) {
    // Every server in name order (the form lists them all); the entries
    // of the rows shown only (a drawing of 10,000 servers shows 200).
    let ids = t.sorted_ids();
    let (form, markup) = if form.fits(t, &ids) {
        (form, None)
    } else {
        let key = FormKey::of(t, &ids);
        let m = Markup::concat((!key.dpm.is_empty()).then(|| add_form(t, &key.dpm, &key.all)));
        (key, Some(m))
    };
    let rows = twin_of(t, fs, &ids[..limit.min(ids.len())])
        .iter()
        .map(|e| list_row(t, fs, e).render())
        .collect();
    let n = ids.len();
    let more = (n > limit).then(|| {
        el("button")
            .attr("class", "btn")
            .attr("data-action", "list-more")
            .attr("data-k", "more")
            .text(format!(
                "Show {} more ({} of {} shown)",
                PAGE.min(n - limit),
                limit,
                n
            ))
    });
    let written = Written {
        counts: counts(n, t.protections.len()).render(),
        form,
        rows,
        more: Markup::concat(more),
    };
    (written, markup)
}

/// What the pre-check says of `from` protecting `to` in `t`, the drawing
/// of `ed`, in a sentence (in a `<span>`: markup is made of elements).
fn verdict(ed: Editor, t: &Topology, from: ServerId, to: ServerId) -> El {
    let link = Link {
        protector: from,
        target: to,
    };
    let out = el("span");
    if t.protection(link).is_some() {
        return out
            .user_text(t.name(from))
            .text(" already protects ")
            .user_text(name_or_itself(t, from, to))
            .text(".");
    }
    let bad: Vec<dpm_rules::Finding> = ed
        .checker(t)
        .precheck(Protection::new(from, to))
        .into_iter()
        .filter(|f| f.severity() != Severity::Info)
        .collect();
    if bad.is_empty() {
        return out
            .text("DPM allows ")
            .user_text(t.name(from))
            .text(" to protect ")
            .user_text(name_or_itself(t, from, to))
            .text(".");
    }
    bad.iter()
        .fold(out.text("It would break a rule."), |out, f| {
            out.text(" ")
                .text(f.rule.title())
                .text(": ")
                .user_text(&f.message)
        })
}

fn name_or_itself(t: &Topology, from: ServerId, to: ServerId) -> &str {
    if from == to {
        "itself"
    } else {
        t.name(to)
    }
}

/// The server chosen in the form's select `part` ("from" or "to").
fn chosen(root: &Element, part: &str) -> Option<ServerId> {
    find(root, &format!("[data-part={part}]")).and_then(|e| id_of(&value(&e)))
}

/// Chooses server `id` in the form's select `part` again after the form
/// was written, when it is still one of its options.
fn choose(root: &Element, part: &str, id: Option<ServerId>) {
    let select = find(root, &format!("[data-part={part}]"))
        .and_then(|e| e.dyn_into::<HtmlSelectElement>().ok());
    if let (Some(select), Some(id)) = (select, id) {
        let value = id.0.to_string();
        select.set_value(&value);
        if select.value() != value {
            // Gone with the edit: the menu's first option, as written.
            select.set_selected_index(0);
        }
    }
}

/// Says the pre-check's verdict on the form's pair, when both are chosen.
/// Says nothing while one is not chosen (the form is not written at every
/// edit: an earlier pair's verdict must not stay).
fn say_verdict(ed: Editor, root: &Element) {
    let Some(p) = find(root, "[data-part=verdict]") else {
        return;
    };
    let words = match (chosen(root, "from"), chosen(root, "to")) {
        (Some(from), Some(to)) => ed.doc.with_untracked(|t| verdict(ed, t, from, to)).render(),
        _ => Markup::default(),
    };
    set_keeping_focus(&p, &words);
}

/// The list's containers: the counts, the form, the rows' list and "Show
/// more".
type Parts = [Element; 4];

/// Rewrites what changed of the list (`parts`, under `root`), keeping the
/// form's choices and the focus: on the control that had it or, when that
/// control went with the edit, on its server's heading (or, the server
/// gone or no longer among the rows shown, on the heading of the row now in
/// its place; none left, the list's own heading); after "Show more", on the
/// first row it showed. `written` is what each part holds
/// (`None`: nothing yet).
fn render(
    ed: Editor,
    (root, parts): (&Element, &Parts),
    (limit, shown_more): (usize, StoredValue<Option<usize>>),
    written: StoredValue<Option<Written>>,
) {
    let (from, to) = (chosen(root, "from"), chosen(root, "to"));
    // The row that held the focus (its server, its place), for when its
    // control goes.
    let row = document()
        .active_element()
        .filter(|a| root.contains(Some(a)))
        .and_then(|a| a.closest("[data-twin]").ok().flatten());
    let twin = row.as_ref().and_then(|r| r.get_attribute("data-twin"));
    let place = row.as_ref().map(place_of);
    // Names, kinds and protections: not where servers are drawn.
    ed.track_content();
    let mut old = written.try_update_value(|w| w.take()).flatten();
    // The first time, the form is written even when the empty key fits (a
    // drawing with no DPM server: an empty form).
    let key = old.as_mut().map(|o| std::mem::take(&mut o.form));
    let first = key.is_none();
    let (new, form) = ed.shown.with_untracked(|t| {
        ed.findings
            .with(|fs| list_html(t, fs, limit, key.unwrap_or_default()))
    });
    let form = form.or_else(|| first.then(Markup::default));
    let mut lost = false;
    let [counts, form_part, rows, more] = parts;
    if old.as_ref().map(|o| &o.counts) != Some(&new.counts) {
        lost |= set_keeping_focus(counts, &new.counts);
    }
    if let Some(form) = form {
        lost |= set_keeping_focus(form_part, &form);
        choose(root, "from", from);
        choose(root, "to", to);
    }
    lost |= match &old {
        Some(o) => patch_rows(rows, &o.rows, &new.rows),
        None => set_keeping_focus(rows, &Markup::join(&new.rows)),
    };
    if old.as_ref().map(|o| &o.more) != Some(&new.more) {
        lost |= set_keeping_focus(more, &new.more);
    }
    written.set_value(Some(new));
    say_verdict(ed, root);
    // The row at place `i` now (the last when there are fewer), by its
    // heading.
    let heading_at = |i: usize| {
        let all = rows.children();
        let n = all.length();
        (n > 0)
            .then(|| all.item((i as u32).min(n - 1)))
            .flatten()
            .and_then(|r| r.query_selector("h3").ok().flatten())
    };
    // After "Show more", the first row it showed; when the control with the
    // focus went, its server's heading, or (the server gone or no longer
    // in the rows shown) the heading of the row that took its place.
    let target = match shown_more.try_update_value(|m| m.take()).flatten() {
        Some(i) => heading_at(i),
        None if lost => twin
            .and_then(|id| by_attr(root, "data-k", &format!("h{id}")))
            .or_else(|| place.and_then(heading_at))
            .or_else(|| document().get_element_by_id("list-heading")),
        None => None,
    };
    match target.and_then(|e| e.dyn_into::<HtmlElement>().ok()) {
        Some(el) => {
            let _ = el.focus();
        }
        // A control kept its focus but its row moved (a rename puts it in
        // name order): the column follows it. (Only then: a layout read in
        // the middle of every edit, and a column scrolled away by the user
        // brought back by an Undo, would not be.)
        None => {
            let now = document()
                .active_element()
                .filter(|a| root.contains(Some(a)));
            let moved = now
                .as_ref()
                .and_then(|a| a.closest("[data-twin]").ok().flatten())
                .is_some_and(|r| place.is_some_and(|p| place_of(&r) != p));
            if let (Some(a), true) = (now, moved) {
                crate::browser::dom::into_column_view(&a);
            }
        }
    }
}

/// The place of `row` among the list's rows, from the first.
fn place_of(row: &Element) -> usize {
    let mut i = 0;
    let mut at = row.previous_element_sibling();
    while let Some(e) = at {
        i += 1;
        at = e.previous_element_sibling();
    }
    i
}

/// The message under server `id`'s name field (empty: none), the field
/// marked invalid while it shows.
fn name_error(root: &Element, id: u32, text: &str) {
    if let Some(p) = find(root, &format!("#twin-err-{id}")) {
        p.set_text_content(Some(text));
    }
    if let Some(i) = find(root, &format!("[data-rename=\"{id}\"]")) {
        let _ = if text.is_empty() {
            i.remove_attribute("aria-invalid")
        } else {
            i.set_attribute("aria-invalid", "true")
        };
    }
}

/// Renames server `id` to what its field says, or says why not.
fn rename(ed: Editor, root: &Element, id: ServerId) {
    let Some(input) = find(root, &format!("[data-rename=\"{}\"]", id.0)) else {
        return;
    };
    let name = value(&input);
    match ed
        .doc
        .with_untracked(|t| t.check_name(Some(id), name.trim()))
    {
        Ok(()) => {
            name_error(root, id.0, "");
            ed.edit(|t| {
                // (A name refused leaves the drawing as it was: no step.)
                let _ = dpm_rules::rename_making_room(t, id, &name);
            });
        }
        Err(e) => name_error(root, id.0, &e.to_string()),
    }
}

/// The form's Add protection button: the pair chosen, unless it is there.
fn add_protection(ed: Editor, root: &Element) {
    let (Some(from), Some(to)) = (chosen(root, "from"), chosen(root, "to")) else {
        if let Some(p) = find(root, "[data-part=verdict]") {
            p.set_text_content(Some("Choose the server to protect first."));
        }
        return;
    };
    let link = Link {
        protector: from,
        target: to,
    };
    if ed.doc.with_untracked(|t| t.protection(link).is_some()) {
        ed.tell("That protection is already there.");
    } else {
        ed.edit(|t| {
            t.connect(Protection::new(from, to));
        });
        ed.dismiss_hint();
    }
}

/// A row's "Protect a server…": the form takes it as the DPM server, and
/// the focus goes to what it is to protect.
fn protect_from(ed: Editor, root: &Element, id: ServerId) {
    if let Some(s) =
        find(root, "[data-part=from]").and_then(|e| e.dyn_into::<HtmlSelectElement>().ok())
    {
        s.set_value(&id.0.to_string());
    }
    say_verdict(ed, root);
    if let Some(to) = find(root, "[data-part=to]").and_then(|e| e.dyn_into::<HtmlElement>().ok()) {
        let _ = to.focus();
    }
}

/// The list's one click handler, by the button's `data-action` (and the
/// server it is about, in `data-id`).
fn on_click(
    ed: Editor,
    pos: Positions,
    root: &Element,
    button: &Element,
    (limit, shown_more): (RwSignal<usize>, StoredValue<Option<usize>>),
) {
    let id = button.get_attribute("data-id").and_then(|i| id_of(&i));
    match (button.get_attribute("data-action").as_deref(), id) {
        (Some("list-protect"), _) => add_protection(ed, root),
        (Some("list-unlink"), _) => {
            if let Some(l) = button
                .get_attribute("data-link")
                .and_then(|l| crate::state::reveal::parse_link(&l))
            {
                ed.edit(|t| {
                    t.disconnect(l);
                });
            }
        }
        (Some("list-protect-from"), Some(id)) => protect_from(ed, root, id),
        (Some("list-rename"), Some(id)) => rename(ed, root, id),
        (Some("list-delete"), Some(id)) => {
            ed.edit(|t| dpm_rules::remove_servers(t, &[id]));
        }
        (Some("list-show"), Some(id)) => reveal(ed, pos, &[id], &[]),
        (Some("list-more"), _) => {
            // The focus goes to the first row shown (see `render`).
            shown_more.set_value(Some(limit.get_untracked()));
            limit.update(|n| *n += PAGE);
        }
        _ => {}
    }
}

#[component]
pub fn ServersList() -> impl IntoView {
    let ed = crate::ctx::ctx().ed;
    let pos = crate::ctx::ctx().pos;
    let limit = RwSignal::new(PAGE);
    // Set by "Show more": the place of the first row it shows.
    let shown_more = StoredValue::new(None);
    let root = NodeRef::<leptos::html::Div>::new();

    // (Three refs: `[NodeRef::new(); 3]` would copy one.)
    let parts: [NodeRef<leptos::html::Div>; 3] = std::array::from_fn(|_| NodeRef::new());
    let rows = NodeRef::<leptos::html::Ul>::new();
    let written = StoredValue::new(None);
    // Re-render on every change of what the drawing says or finds (not
    // when servers only move).
    crate::browser::effect(move || {
        if let (Some(root), [Some(a), Some(b), Some(c)], Some(rows)) =
            (root.get(), parts.map(|p| p.get()), rows.get())
        {
            let parts = [a.into(), b.into(), rows.into(), c.into()];
            render(ed, (&root, &parts), (limit.get(), shown_more), written);
        }
    });
    let on_click = move |ev: leptos::ev::MouseEvent| {
        if let (Some(button), Some(root)) = (
            crate::browser::dom::clicked(&ev),
            root.try_get_untracked().flatten(),
        ) {
            on_click(ed, pos, &root, &button, (limit, shown_more));
        }
    };
    let on_change = move |ev: leptos::ev::Event| {
        if let Some(root) = root.try_get_untracked().flatten() {
            let part = ev
                .target()
                .and_then(|t| t.dyn_into::<Element>().ok())
                .and_then(|e| e.get_attribute("data-part"));
            if matches!(part.as_deref(), Some("from" | "to")) {
                say_verdict(ed, &root);
            }
        }
    };
    let on_keydown = move |ev: web_sys::KeyboardEvent| {
        let key = ev.key();
        if key != "Enter" && key != "Escape" {
            return;
        }
        let (Some(el), Some(root)) = (
            ev.target().and_then(|t| t.dyn_into::<Element>().ok()),
            root.try_get_untracked().flatten(),
        ) else {
            return;
        };
        let Some(id) = el.get_attribute("data-rename").and_then(|i| id_of(&i)) else {
            return;
        };
        if key == "Enter" {
            ev.prevent_default();
            rename(ed, &root, id);
        } else if let Ok(input) = el.dyn_into::<web_sys::HtmlInputElement>() {
            // Escape puts the name back, as in place on the canvas (then
            // the editor's Escape leaves the field).
            input.set_value(&input.default_value());
            name_error(&root, id.0, "");
        }
    };

    view! {
        <section class="panel list-panel" aria-labelledby="list-heading" data-testid="servers-list" tabindex="-1">
            <h2 id="list-heading" tabindex="-1">"Servers"</h2>
            <div node_ref=root on:click=on_click on:change=on_change on:keydown=on_keydown>
                <div node_ref=parts[0]></div>
                <div node_ref=parts[1]></div>
                <ul class="twin" node_ref=rows></ul>
                <div node_ref=parts[2]></div>
            </div>
        </section>
    }
}
