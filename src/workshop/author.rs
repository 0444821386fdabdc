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
use crate::io::state::copy_text;
use crate::ui::dialog::DialogFrame;

use leptos::prelude::*;

use dpm_rules::{
    evaluate, exercise_to_json, exercise_to_link, goal_from_form, params, xml_escape as esc, Goal,
    Kind, Param, Rule, CHECKS,
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

/// `<option>`s of `(value, label)` choices, `selected` preselected.
fn options<'a>(choices: impl Iterator<Item = (&'a str, &'a str)>, selected: &str) -> String {
    choices
        .map(|(v, l)| {
            let on = if v == selected { " selected" } else { "" };
            format!("<option value=\"{}\"{on}>{}</option>", esc(v), esc(l))
        })
        .collect()
}

/// The controls for a check's parameters, each starting at a value that
/// reads: the first fitting server, 2 copies, the drawing's own table.
fn fields_html(check: &str, servers: &[(String, Kind)], table: &str) -> String {
    let mut out = String::new();
    for (key, label, p) in params(check) {
        let fits = |want: Option<Kind>| {
            servers
                .iter()
                .filter(move |(_, k)| want.is_none_or(|w| *k == w))
                .map(|(n, _)| n.as_str())
        };
        let attrs = format!("data-key=\"{key}\" data-testid=\"goal-param\"");
        let input = match *p {
            Param::Server(kind) => {
                // "Any server" starts at a protected one: a target, or the
                // server whose recovery is asked about.
                let first = fits(kind.or(Some(Kind::Protected))).next().unwrap_or("");
                let names = fits(kind).map(|n| (n, n));
                format!("<select {attrs}>{}</select>", options(names, first))
            }
            // A rule: every rule the crate has (`Rule::ALL`, which the
            // reader checks a goal's rule against), new ones included.
            Param::Choice(_) if *key == "rule" => format!(
                "<select {attrs}>{}</select>",
                options(
                    Rule::ALL.iter().map(|r| (r.id(), r.title())),
                    Rule::ALL[0].id()
                )
            ),
            Param::Choice(c) => format!(
                "<select {attrs}>{}</select>",
                options(c.iter().copied(), c[0].0)
            ),
            Param::Flag => format!("<input type=\"checkbox\" {attrs} checked>"),
            Param::Lines => format!(
                "<textarea rows=\"5\" class=\"code\" {attrs}>{}</textarea>",
                esc(table)
            ),
            Param::Number => format!("<input type=\"text\" {attrs} value=\"2\">"),
            Param::Names => {
                let first = fits(Some(Kind::Dpm)).next().unwrap_or("");
                format!("<input type=\"text\" {attrs} value=\"{}\">", esc(first))
            }
        };
        out.push_str(&format!(
            "<label class=\"field\">{}{input}</label>",
            esc(label)
        ));
    }
    out
}

/// The goals written so far, each with a Remove button.
fn goals_html(goals: &[Goal]) -> String {
    goals
        .iter()
        .enumerate()
        .map(|(i, g)| {
            let n = g.hints.len();
            let more = match n {
                0 => String::new(),
                1 => " (1 hint)".into(),
                n => format!(" ({n} hints)"),
            };
            format!(
                "<li class=\"row authored-goal\" data-authored-goal=\"{}\"><span class=\"grow\">{}<span class=\"muted\">{more}</span></span><button class=\"btn small\" data-remove=\"{i}\" aria-label=\"Remove goal {}\">Remove</button></li>",
                esc(&g.id),
                esc(&g.sentence()),
                i + 1
            )
        })
        .collect()
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
    let first_fields = fields_html(CHECKS[0], &servers, &table);
    let fields = move |check: &str| fields_html(check, &servers, &table);
    let root = NodeRef::<leptos::html::Div>::new();

    // The parts that change as the trainer acts: the goals, the buttons that
    // need one, the warning that the start already passes, the link.
    let refresh = move |root: &Element| {
        let goals = d.goals.get_untracked();
        if let Some(ol) = find(root, "[data-part=goals]") {
            ol.set_inner_html(&goals_html(&goals));
        }
        let none = goals.is_empty();
        for a in ["preview-exercise", "copy-exercise-link", "save-exercise"] {
            if let Some(b) = find(root, &format!("[data-action={a}]")) {
                let _ = b.toggle_attribute_with_force("disabled", none);
            }
        }
        // A start that already meets every goal is no exercise.
        let ex = d.exercise(ed);
        let passes = !none && evaluate(&ex, &ex.start).iter().all(|g| g.pass);
        if let Some(w) = find(root, "[data-part=warn]") {
            let _ = w.toggle_attribute_with_force("hidden", !passes);
        }
    };
    let show = move |root: &Element, part: &str, text: Option<&str>| {
        if let Some(el) = find(root, part) {
            let _ = el.toggle_attribute_with_force("hidden", text.is_none());
            if let Some(i) = el.dyn_ref::<HtmlInputElement>() {
                i.set_value(text.unwrap_or(""));
            } else {
                el.set_text_content(text);
            }
        }
    };
    let url = move || format!("{}#x={}", page_url(), exercise_to_link(&d.exercise(ed)));

    let on_input = move |ev: leptos::ev::Event| {
        let Some(el) = ev.target().and_then(|t| t.dyn_into::<Element>().ok()) else {
            return;
        };
        match el.get_attribute("data-testid").as_deref() {
            Some("author-title") => d.title.set(value(&el)),
            Some("author-task") => d.task.set(value(&el)),
            _ => return,
        }
        if let Some(root) = root.get_untracked() {
            show(&root, "[data-testid=exercise-link]", None);
        }
    };
    let on_change = move |ev: leptos::ev::Event| {
        let (Some(el), Some(root)) = (
            ev.target().and_then(|t| t.dyn_into::<Element>().ok()),
            root.get_untracked(),
        ) else {
            return;
        };
        if let Some(i) = el.get_attribute("data-i").and_then(|i| i.parse().ok()) {
            let on = value(&el) == "true";
            d.allow.update(|a| a.set_item(i, on));
            show(&root, "[data-testid=exercise-link]", None);
        } else if el.get_attribute("data-testid").as_deref() == Some("goal-kind") {
            if let Some(f) = find(&root, "[data-part=fields]") {
                f.set_inner_html(&fields(&value(&el)));
            }
            show(&root, "[data-part=error]", None);
        }
    };
    let on_click = move |ev: leptos::ev::MouseEvent| {
        let (Some(el), Some(root)) = (
            ev.target().and_then(|t| t.dyn_into::<Element>().ok()),
            root.get_untracked(),
        ) else {
            return;
        };
        let Some(button) = el.closest("button").ok().flatten() else {
            return;
        };
        if let Some(i) = button
            .get_attribute("data-remove")
            .and_then(|i| i.parse::<usize>().ok())
        {
            d.goals.update(|g| {
                if i < g.len() {
                    g.remove(i);
                }
            });
            show(&root, "[data-testid=exercise-link]", None);
            refresh(&root);
            return;
        }
        let read = |sel: &str| find(&root, sel).map(|e| value(&e)).unwrap_or_default();
        match button.get_attribute("data-action").as_deref() {
            Some("add-goal") => {
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
                    Err(e) => show(&root, "[data-part=error]", Some(&e)),
                    Ok(goal) => {
                        show(&root, "[data-part=error]", None);
                        d.goals.update(|g| g.push(goal));
                        for sel in ["[data-testid=goal-text]", "[data-testid=goal-hints]"] {
                            if let Some(e) = find(&root, sel) {
                                if let Some(i) = e.dyn_ref::<HtmlInputElement>() {
                                    i.set_value("");
                                } else if let Some(t) = e.dyn_ref::<HtmlTextAreaElement>() {
                                    t.set_value("");
                                }
                            }
                        }
                        show(&root, "[data-testid=exercise-link]", None);
                        refresh(&root);
                    }
                }
            }
            Some("copy-exercise-link") => {
                let u = url();
                show(&root, "[data-testid=exercise-link]", Some(&u));
                copy_text(ed, u, "The exercise link");
            }
            Some("preview-exercise") => {
                let u = url();
                if window()
                    .open_with_url_and_target(&u, "_blank")
                    .ok()
                    .flatten()
                    .is_none()
                {
                    show(&root, "[data-testid=exercise-link]", Some(&u));
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
    };

    let permissions: String = d
        .allow
        .get_untracked()
        .items()
        .iter()
        .enumerate()
        .map(|(i, (id, on))| {
            let on = if *on { " checked" } else { "" };
            format!(
                "<label class=\"check\"><input type=\"checkbox\" data-allow=\"{id}\" data-i=\"{i}\"{on}>{}</label>",
                esc(ALLOW_LABELS[i])
            )
        })
        .collect();
    let cites = std::iter::once(("", "(the rule the goal concerns, if any)"))
        .chain(Rule::ALL.iter().map(|r| (r.id(), r.title())));
    let html = format!(
        concat!(
            "<label class=\"field\">Title<input type=\"text\" data-testid=\"author-title\" value=\"{title}\"></label>",
            "<label class=\"field\">Task, as participants read it<textarea rows=\"3\" data-testid=\"author-task\">{task}</textarea></label>",
            "<fieldset class=\"permissions\"><legend>Participants may</legend>{permissions}</fieldset>",
            "<h3>Goals</h3><ol class=\"authored-goals\" data-part=\"goals\">{goals}</ol>",
            "<fieldset class=\"add-goal\"><legend>Add a goal</legend>",
            "<label class=\"field\">Check<select data-testid=\"goal-kind\">{checks}</select></label>",
            "<div class=\"fields\" data-part=\"fields\">{fields}</div>",
            "<label class=\"field\">Sentence participants see (optional)<input type=\"text\" data-testid=\"goal-text\"></label>",
            "<label class=\"field\">Hints, one a line, in the order they are given<textarea rows=\"2\" data-testid=\"goal-hints\"></textarea></label>",
            "<label class=\"field\">Hints cite the documentation of<select data-testid=\"goal-cite\">{cites}</select></label>",
            "<p class=\"error-text\" role=\"alert\" data-part=\"error\" hidden></p>",
            "<button class=\"btn\" data-action=\"add-goal\">Add goal</button></fieldset>",
            "<p class=\"warn-text\" role=\"alert\" data-part=\"warn\" hidden>The drawing already meets every goal: participants would have nothing to do. Make the drawing the starting point, or add a goal it does not meet.</p>",
            "<div class=\"row wrap\">",
            "<button class=\"btn\" data-action=\"preview-exercise\">Preview as a participant</button>",
            "<button class=\"btn primary\" data-action=\"copy-exercise-link\">Copy link</button>",
            "<button class=\"btn\" data-action=\"save-exercise\">Save file</button></div>",
            "<input class=\"code\" type=\"text\" readonly data-testid=\"exercise-link\" aria-label=\"Exercise link\" hidden>",
        ),
        title = esc(&d.title.get_untracked()),
        task = esc(&d.task.get_untracked()),
        permissions = permissions,
        goals = d.goals.with_untracked(|g| goals_html(g)),
        checks = options(CHECKS.iter().copied().zip(CHECK_LABELS), CHECKS[0]),
        fields = first_fields,
        cites = options(cites, ""),
    );
    Effect::new(move || {
        if let Some(root) = root.get() {
            refresh(&root);
        }
    });

    view! {
        <DialogFrame title="Make an exercise of this drawing" id="author-title">
            <div class="author" node_ref=root inner_html=html
                on:input=on_input on:change=on_change on:click=on_click></div>
        </DialogFrame>
    }
}
