//! "Make exercise": the current drawing becomes an exercise's start; the
//! trainer writes the task, picks goals with their parameters, adds hints,
//! previews as a participant (a new tab, with nothing of this one), then
//! copies the link or saves the file.
//!
//! The draft lives as long as the page, so closing the dialog to fix the
//! drawing loses nothing.
//!
//! The form is written as markup with one delegated handler per event kind,
//! not as a tree of reactive views: it is a long form that changes only when
//! the trainer acts, and as views it cost the bundle some 13 KB gzip (the
//! budget has no room for that); as markup it costs a fraction.

use crate::browser::dom::find;
use crate::browser::dom::value;
use crate::browser::files::download;
use crate::browser::files::page_url;
use crate::browser::markup::el;
use crate::browser::markup::El;
use crate::browser::markup::Markup;
use crate::browser::markup::{fill, set_keeping_focus};
use crate::io::state::copy_text;
use crate::state::editor::Editor;
use crate::ui::dialog::DialogFrame;
use crate::ui::markup::action_button;
use crate::ui::markup::classed;
use crate::workshop::state::Draft;

use leptos::prelude::*;

use dpm_rules::{
    evaluate, exercise_to_json, exercise_to_link, goal_from_form, out_of_reach, params, Allow,
    Goal, Kind, Param, Rule, CHECKS,
};
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlInputElement, HtmlTextAreaElement};

/// What participants may change, as the form labels it (`Allow::items`' order).
const ALLOW_LABELS: [&str; 7] = [
    "Add DPM servers",
    "Add protected servers",
    "Delete the given servers",
    "Rename the given servers",
    "Change servers' facts",
    "Add protections",
    "Remove protections",
];

/// How the form names each check of `CHECKS`, in its order.
const CHECK_LABELS: [&str; 11] = [
    "No errors",
    "No warnings",
    "No finding of one rule",
    "A protection exists (or does not)",
    "A DPM server's role",
    "Copies of every protected server's data",
    "No single point of failure",
    "Nothing lost after failures",
    "A recovery option after failures",
    "A server protected again after failures",
    "The drawing matches a table",
];

/// An `<option>` of a select, `selected` when its value is that one.
fn option(value: &str, label: &str, selected: &str) -> El {
    el("option")
        .attr("value", value)
        .flag("selected", value == selected)
        .text(label)
}

/// `<option>`s of `(value, label)` choices, `selected` preselected.
fn options(choices: &[(&str, &str)], selected: &str) -> Vec<El> {
    let mut out = Vec::new();
    for &(v, l) in choices {
        out.push(option(v, l, selected));
    }
    out
}

/// `<option>`s of every rule the crate has (`Rule::ALL`, which the reader
/// checks a goal's rule against, new ones included), by id and title.
fn rule_options(selected: &str) -> Vec<El> {
    let mut out = Vec::new();
    for r in Rule::ALL {
        out.push(option(r.id(), r.title(), selected));
    }
    out
}

/// The drawing's servers of kind `want` (any kind when None), as choices.
fn servers_of(servers: &[(String, Kind)], want: Option<Kind>) -> Vec<(&str, &str)> {
    let mut out = Vec::new();
    for (name, kind) in servers {
        if want.is_none_or(|w| *kind == w) {
            out.push((name.as_str(), name.as_str()));
        }
    }
    out
}

/// A labelled field of the form: the label's text, then its control.
fn field(label: &str, control: El) -> El {
    classed("label", "field").text(label).child(control)
}

/// The controls for a check's parameters, each starting at a value that
/// reads: the first fitting server, 2 copies, the drawing's own table.
fn fields_html(check: &str, servers: &[(String, Kind)], table: &str) -> Markup {
    let fits = |want: Option<Kind>| servers_of(servers, want);
    let mut out = Vec::new();
    for (key, label, p) in params(check) {
        let tagged = |e: El| e.attr("data-key", *key).attr("data-testid", "goal-param");
        let control = match *p {
            Param::Server(kind) => {
                // "Any server" starts at a protected one: a target, or the
                // server whose recovery is asked about.
                let first = fits(kind.or(Some(Kind::Protected)))
                    .first()
                    .map_or("", |f| f.0);
                tagged(el("select")).children(options(&fits(kind), first))
            }
            // A rule: every rule the crate has, new ones included.
            Param::Choice(_) if *key == "rule" => {
                tagged(el("select")).children(rule_options(Rule::ALL[0].id()))
            }
            Param::Choice(c) => tagged(el("select")).children(options(c, c[0].0)),
            Param::Flag => tagged(el("input").attr("type", "checkbox")).flag("checked", true),
            Param::Lines => {
                let area = el("textarea").attr("rows", "5").attr("class", "code");
                tagged(area).text(table)
            }
            Param::Number => tagged(el("input").attr("type", "text")).attr("value", "2"),
            Param::Names => {
                let first = fits(Some(Kind::Dpm)).first().map_or("", |f| f.0);
                tagged(el("input").attr("type", "text")).attr("value", first)
            }
        };
        out.push(field(label, control));
    }
    Markup::concat(out)
}

/// The goals written so far, each with a Remove button.
fn goals_html(goals: &[Goal], out_of_reach: &[(String, String)]) -> Markup {
    let mut out = Vec::new();
    for (i, g) in goals.iter().enumerate() {
        let more = match g.hints.len() {
            0 => String::new(),
            1 => " (1 hint)".into(),
            n => format!(" ({n} hints)"),
        };
        // A goal no drawing can meet says so under its sentence.
        let never = out_of_reach
            .iter()
            .find(|(id, _)| *id == g.id)
            .map(|(_, why)| {
                classed("span", "warn-text goal-never")
                    .attr("data-part", "never")
                    .user_text(why)
            });
        out.push(
            classed("li", "row authored-goal")
                .attr("data-authored-goal", &g.id)
                .child(
                    classed("span", "grow")
                        .user_text(g.sentence())
                        .child(classed("span", "muted").text(more))
                        .child_opt(never),
                )
                .child(
                    classed("button", "btn small")
                        .attr("data-remove", i.to_string())
                        .attr("aria-label", format!("Remove goal {}", i + 1))
                        .text("Remove"),
                ),
        );
    }
    Markup::concat(out)
}

/// The whole form: title, task, permissions, the goals, the fieldset that
/// adds one (its parameters' controls `fields`), then what to do with the
/// exercise.
fn author_html(d: Draft, fields: Markup) -> Markup {
    let title = el("input")
        .attr("type", "text")
        .attr("data-testid", "author-title")
        .attr("value", d.title.get_untracked());
    let task = el("textarea")
        .attr("rows", "3")
        .attr("data-testid", "author-task")
        .text(d.task.get_untracked());
    let goals = classed("ol", "authored-goals")
        .attr("data-part", "goals")
        .markup(&d.goals.with_untracked(|g| goals_html(g, &[])));
    let warn = classed("p", "warn-text")
        .attr("role", "alert")
        .attr("data-part", "warn")
        .flag("hidden", true)
        .text("The drawing already meets every goal: participants would have nothing to do. Make the drawing the starting point, or add a goal it does not meet.");
    let action = |class: &'static str, action: &'static str, label: &'static str| {
        action_button(class, action).text(label)
    };
    let link = classed("input", "code")
        .attr("type", "text")
        .flag("readonly", true)
        .attr("data-testid", "exercise-link")
        .attr("aria-label", "Exercise link")
        .flag("hidden", true);
    Markup::concat(vec![
        field("Title", title),
        field("Task, as participants read it", task),
        permissions(d.allow.get_untracked()),
        el("h3").text("Goals"),
        goals,
        add_goal_fieldset(fields),
        warn,
        classed("div", "row wrap")
            .child(action(
                "btn",
                "preview-exercise",
                "Preview as a participant",
            ))
            .child(action("btn primary", "copy-exercise-link", "Copy link"))
            .child(action("btn", "save-exercise", "Save file")),
        link,
    ])
}

/// "Participants may": a checkbox for each change an exercise can allow.
fn permissions(allow: Allow) -> El {
    let mut set = classed("fieldset", "permissions").child(el("legend").text("Participants may"));
    for (i, (id, on)) in allow.items().into_iter().enumerate() {
        set = set.child(
            classed("label", "check")
                .child(
                    el("input")
                        .attr("type", "checkbox")
                        .attr("data-allow", id)
                        .attr("data-i", i.to_string())
                        .flag("checked", on),
                )
                .text(ALLOW_LABELS[i]),
        );
    }
    set
}

/// "Add a goal": the check, its parameters (`fields`, for the first
/// check), the sentence, hints and what they cite, and the Add button.
fn add_goal_fieldset(fields: Markup) -> El {
    let mut checks = Vec::new();
    for (i, check) in CHECKS.iter().enumerate() {
        checks.push(option(check, CHECK_LABELS[i], CHECKS[0]));
    }
    let mut cites = vec![option("", "(the rule the goal concerns, if any)", "")];
    cites.append(&mut rule_options(""));
    let by = |tag: &'static str, testid: &'static str| el(tag).attr("data-testid", testid);
    classed("fieldset", "add-goal")
        .child(el("legend").text("Add a goal"))
        .child(field("Check", by("select", "goal-kind").children(checks)))
        .child(
            classed("div", "fields")
                .attr("data-part", "fields")
                .markup(&fields),
        )
        .child(field(
            "Sentence participants see (optional)",
            el("input")
                .attr("type", "text")
                .attr("data-testid", "goal-text"),
        ))
        .child(field(
            "Hints, one a line, in the order they are given",
            el("textarea")
                .attr("rows", "2")
                .attr("data-testid", "goal-hints"),
        ))
        .child(field(
            "Hints cite the documentation of",
            by("select", "goal-cite").children(cites),
        ))
        .child(
            classed("p", "error-text")
                .attr("role", "alert")
                .attr("data-part", "error")
                .flag("hidden", true),
        )
        .child(action_button("btn", "add-goal").text("Add goal"))
}

#[component]
pub fn AuthorDialog() -> impl IntoView {
    let ed = crate::ctx::ctx().ed;
    let d = crate::ctx::ctx().draft;
    if d.title.get_untracked().is_empty() {
        d.title.set(
            ed.doc
                .with_untracked(|t| t.title.clone().unwrap_or_default()),
        );
    }
    // The drawing's servers, for the parameters that name one.
    let servers: Vec<(String, Kind)> = ed.doc.with_untracked(|t| {
        let mut ids = t.sorted_ids();
        ids.truncate(500);
        ids.into_iter()
            .filter_map(|id| t.server(id).map(|s| (s.name.clone(), s.kind)))
            .collect()
    });
    let table = ed.doc.with_untracked(dpm_rules::to_table);
    let html = author_html(d, fields_html(CHECKS[0], &servers, &table));
    let root = NodeRef::<leptos::html::Div>::new();

    // The handlers ask for `root` without panicking once the dialog is gone:
    // closing it (Escape, the backdrop) removes a field that still has focus,
    // and the browser then sends its `change` to a dialog no longer there.
    let on_input = move |ev: leptos::ev::Event| {
        let Some(el) = ev.target().and_then(|t| t.dyn_into::<Element>().ok()) else {
            return;
        };
        match el.get_attribute("data-testid").as_deref() {
            Some("author-title") => d.title.set(value(&el)),
            Some("author-task") => d.task.set(value(&el)),
            _ => return,
        }
        if let Some(root) = root.try_get_untracked().flatten() {
            show(&root, "[data-testid=exercise-link]", None);
        }
    };
    let on_change = move |ev: leptos::ev::Event| {
        let (Some(el), Some(root)) = (
            ev.target().and_then(|t| t.dyn_into::<Element>().ok()),
            root.try_get_untracked().flatten(),
        ) else {
            return;
        };
        if let Some(i) = el.get_attribute("data-i").and_then(|i| i.parse().ok()) {
            let on = value(&el) == "true";
            d.allow.update(|a| a.set_item(i, on));
            show(&root, "[data-testid=exercise-link]", None);
        } else if el.get_attribute("data-testid").as_deref() == Some("goal-kind") {
            if let Some(f) = find(&root, "[data-part=fields]") {
                set_keeping_focus(&f, &fields_html(&value(&el), &servers, &table));
            }
            show(&root, "[data-part=error]", None);
        }
    };
    let on_click = move |ev: leptos::ev::MouseEvent| {
        let (Some(el), Some(root)) = (
            ev.target().and_then(|t| t.dyn_into::<Element>().ok()),
            root.try_get_untracked().flatten(),
        ) else {
            return;
        };
        if let Some(button) = el.closest("button").ok().flatten() {
            author_action(ed, d, &root, &button);
        }
    };
    // The form first, then the parts that follow the draft (effects run in
    // the order they are made).
    fill(root, move || html.clone());
    crate::browser::effect(move || {
        if let Some(root) = root.get() {
            refresh(ed, d, &root);
        }
    });

    view! {
        <DialogFrame title="Make an exercise of this drawing" id="author-title">
            <div class="author" node_ref=root
                on:input=on_input on:change=on_change on:click=on_click></div>
        </DialogFrame>
    }
}

/// The parts that change as the trainer acts: the goals, the buttons that
/// need one, the warning that the start already passes.
fn refresh(ed: Editor, d: Draft, root: &Element) {
    let goals = d.goals.get_untracked();
    let ex = d.exercise(ed);
    if let Some(ol) = find(root, "[data-part=goals]") {
        set_keeping_focus(&ol, &goals_html(&goals, &out_of_reach(&ex)));
    }
    let none = goals.is_empty();
    for a in ["preview-exercise", "copy-exercise-link", "save-exercise"] {
        if let Some(b) = find(root, &format!("[data-action={a}]")) {
            let _ = b.toggle_attribute_with_force("disabled", none);
        }
    }
    // A start that already meets every goal is no exercise.
    let passes = !none && evaluate(&ex, &ex.start).iter().all(|g| g.pass);
    if let Some(w) = find(root, "[data-part=warn]") {
        let _ = w.toggle_attribute_with_force("hidden", !passes);
    }
}

/// Shows `text` in the part `part` (the error, the link), or hides it.
fn show(root: &Element, part: &str, text: Option<&str>) {
    if let Some(el) = find(root, part) {
        let _ = el.toggle_attribute_with_force("hidden", text.is_none());
        if let Some(i) = el.dyn_ref::<HtmlInputElement>() {
            i.set_value(text.unwrap_or(""));
        } else {
            el.set_text_content(text);
        }
    }
}

/// The exercise's link.
fn exercise_url(ed: Editor, d: Draft) -> String {
    format!("{}#x={}", page_url(), exercise_to_link(&d.exercise(ed)))
}

/// What a button of the form does: remove a goal, add one, preview, copy
/// the link, save the file.
fn author_action(ed: Editor, d: Draft, root: &Element, button: &Element) {
    if let Some(i) = button
        .get_attribute("data-remove")
        .and_then(|i| i.parse::<usize>().ok())
    {
        d.goals.update(|g| {
            if i < g.len() {
                g.remove(i);
            }
        });
        show(root, "[data-testid=exercise-link]", None);
        refresh(ed, d, root);
        return;
    }
    match button.get_attribute("data-action").as_deref() {
        Some("add-goal") => add_goal(ed, d, root),
        Some("copy-exercise-link") => {
            let u = exercise_url(ed, d);
            show(root, "[data-testid=exercise-link]", Some(&u));
            copy_text(ed, u, "The exercise link");
        }
        Some("preview-exercise") => {
            let u = exercise_url(ed, d);
            if window()
                .open_with_url_and_target(&u, "_blank")
                .ok()
                .flatten()
                .is_none()
            {
                show(root, "[data-testid=exercise-link]", Some(&u));
                ed.complain("The browser blocked the new tab: open the link below in a new tab to try the exercise.");
            }
        }
        Some("save-exercise") => {
            let ex = d.exercise(ed);
            download(
                &format!(
                    "{}.exercise.json",
                    crate::browser::files::stem_of(&ex.title, "exercise")
                ),
                "application/json",
                &exercise_to_json(&ex),
            );
        }
        _ => {}
    }
}

/// Adds the goal the fieldset describes, or says why it cannot.
fn add_goal(ed: Editor, d: Draft, root: &Element) {
    let read = |sel: &str| find(root, sel).map(|e| value(&e)).unwrap_or_default();
    let n = d.goals.with_untracked(|g| {
        (g.len() + 1..)
            .find(|n| !g.iter().any(|x| x.id == format!("goal-{n}")))
            .unwrap_or(0)
    });
    let check = read("[data-testid=goal-kind]");
    let values: Vec<(&str, String)> = params(&check)
        .iter()
        .map(|(k, _, _)| (*k, read(&format!("[data-key={k}]"))))
        .collect();
    match goal_from_form(
        &format!("goal-{n}"),
        &check,
        &values,
        &read("[data-testid=goal-text]"),
        &read("[data-testid=goal-hints]"),
        &read("[data-testid=goal-cite]"),
    ) {
        Err(e) => show(root, "[data-part=error]", Some(&e)),
        Ok(goal) => {
            show(root, "[data-part=error]", None);
            d.goals.update(|g| g.push(goal));
            for sel in ["[data-testid=goal-text]", "[data-testid=goal-hints]"] {
                if let Some(e) = find(root, sel) {
                    if let Some(i) = e.dyn_ref::<HtmlInputElement>() {
                        i.set_value("");
                    } else if let Some(t) = e.dyn_ref::<HtmlTextAreaElement>() {
                        t.set_value("");
                    }
                }
            }
            show(root, "[data-testid=exercise-link]", None);
            refresh(ed, d, root);
        }
    }
}
