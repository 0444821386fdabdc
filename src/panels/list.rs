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
//! heading), so a keyboard user never falls back to the top of the page.

use crate::browser::dom::find;
use crate::browser::dom::value;
use crate::state::reveal::reveal;

use leptos::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement, HtmlSelectElement};

use dpm_rules::{
    twin, xml_escape as esc, Checker, Finding, Kind, Link, Protection, ServerId, Severity, Topology,
};

/// How many servers are written at first, and added by "Show more": a list
/// of thousands is read by searching, not by scrolling through it.
const PAGE: usize = 200;

fn id_of(s: &str) -> Option<ServerId> {
    s.parse().ok().map(ServerId)
}

/// `<option>`s of servers, `selected` preselected.
fn server_options(t: &Topology, ids: &[ServerId], selected: Option<ServerId>) -> String {
    ids.iter()
        .map(|&id| {
            let on = if Some(id) == selected {
                " selected"
            } else {
                ""
            };
            format!(
                "<option value=\"{}\"{on}>{}</option>",
                id.0,
                esc(t.name(id))
            )
        })
        .collect()
}

/// The whole list: the add-a-protection form, then the first `limit`
/// servers. `from`/`to` keep the form's choices across re-renders.
fn list_html(
    t: &Topology,
    fs: &[Finding],
    limit: usize,
    from: Option<ServerId>,
    to: Option<ServerId>,
) -> String {
    let entries = twin(t, fs);
    let all: Vec<ServerId> = entries.iter().map(|e| e.id).collect();
    let dpm: Vec<ServerId> = entries
        .iter()
        .filter(|e| t.server(e.id).is_some_and(|s| s.kind == Kind::Dpm))
        .map(|e| e.id)
        .collect();
    let mut out = format!(
        "<p class=\"muted\">{} server{}, {} protection{}.</p>",
        all.len(),
        if all.len() == 1 { "" } else { "s" },
        t.protections.len(),
        if t.protections.len() == 1 { "" } else { "s" },
    );
    if !dpm.is_empty() {
        out.push_str(&format!(
            concat!(
                "<fieldset class=\"twin-add\"><legend>Add a protection</legend>",
                "<label class=\"field\">DPM server<select data-part=\"from\" data-k=\"from\">{}</select></label>",
                "<label class=\"field\">protects<select data-part=\"to\" data-k=\"to\"><option value=\"\">Choose a server</option>{}</select></label>",
                "<p class=\"muted\" data-part=\"verdict\" role=\"status\"></p>",
                "<button class=\"btn small\" data-action=\"list-protect\" data-k=\"protect\">Add protection</button></fieldset>"
            ),
            server_options(t, &dpm, from),
            server_options(t, &all, to),
        ));
    }
    out.push_str("<ul class=\"twin\">");
    let names = |ids: &[ServerId], own: ServerId, protects: bool| -> String {
        if ids.is_empty() {
            return "<span class=\"muted\">nothing</span>".into();
        }
        let items: String = ids
            .iter()
            .map(|&x| {
                let (a, b) = if protects { (own, x) } else { (x, own) };
                let shown = if x == own { "itself" } else { t.name(x) };
                // The visible word first (WCAG 2.5.3: a voice user says
                // what they see).
                let what = if a == b {
                    format!("Remove: {} protects itself", t.name(a))
                } else {
                    format!("Remove: {} protects {}", t.name(a), t.name(b))
                };
                format!(
                    "<li>{}<button class=\"link-button\" data-action=\"list-unlink\" data-link=\"{} {}\" data-k=\"u{}-{}-{}\" aria-label=\"{}\">Remove</button></li>",
                    esc(shown),
                    a.0,
                    b.0,
                    own.0,
                    a.0,
                    b.0,
                    esc(&what)
                )
            })
            .collect();
        format!("<ul class=\"twin-links\">{items}</ul>")
    };
    for e in entries.iter().take(limit) {
        let id = e.id.0;
        let name = esc(&e.name);
        let is_dpm = t.server(e.id).is_some_and(|s| s.kind == Kind::Dpm);
        let mut facts = String::new();
        if is_dpm {
            facts.push_str(&format!(
                "<dt>Protects</dt><dd>{}</dd>",
                names(&e.protects, e.id, true)
            ));
        }
        facts.push_str(&format!(
            "<dt>Protected by</dt><dd>{}</dd>",
            names(&e.protected_by, e.id, false)
        ));
        if !e.facts.is_empty() {
            // Site, host, database, version...: sentences with names in
            // them, through the escaping builder.
            facts.push_str(
                crate::browser::markup::Markup::concat([
                    crate::browser::markup::el("dt").text("Estate"),
                    crate::browser::markup::el("dd").child(
                        crate::browser::markup::el("ul")
                            .attr("class", "twin-estate")
                            .children(
                                e.facts
                                    .iter()
                                    .map(|f| crate::browser::markup::el("li").user_text(f)),
                            ),
                    ),
                ])
                .as_str(),
            );
        }
        if !e.findings.is_empty() {
            let items: String = e
                .findings
                .iter()
                .filter_map(|&i| fs.get(i))
                .map(|f| {
                    let (class, word) = match f.severity() {
                        Severity::Error => ("error", "Error"),
                        Severity::Warning => ("warning", "Warning"),
                        Severity::Info => ("info", "Note"),
                    };
                    format!(
                        "<li class=\"sev-{class}\" data-rule=\"{}\"><strong>{word}:</strong> {}</li>",
                        f.rule.id(),
                        esc(&f.message)
                    )
                })
                .collect();
            facts.push_str(&format!(
                "<dt>Findings</dt><dd><ul class=\"twin-findings\">{items}</ul></dd>"
            ));
        }
        let protect = if is_dpm {
            format!("<button class=\"btn small\" data-action=\"list-protect-from\" data-id=\"{id}\" data-k=\"p{id}\">Protect a server…</button>")
        } else {
            String::new()
        };
        out.push_str(&format!(
            concat!(
                "<li class=\"twin-item\" data-twin=\"{id}\">",
                "<h3 tabindex=\"-1\" data-k=\"h{id}\">{name}<span class=\"twin-what\">{what}</span></h3>",
                "<dl class=\"twin-facts\">{facts}</dl>",
                "<div class=\"row wrap\">",
                "<label class=\"twin-rename\"><span class=\"sr-only\">New name for {name}</span>",
                "<input type=\"text\" value=\"{name}\" maxlength=\"80\" data-rename=\"{id}\" data-k=\"r{id}\" aria-describedby=\"twin-err-{id}\"></label>",
                "<button class=\"btn small\" data-action=\"list-rename\" data-id=\"{id}\" data-k=\"n{id}\" aria-label=\"Rename {name}\">Rename</button>",
                "{protect}",
                "<button class=\"btn small\" data-action=\"list-show\" data-id=\"{id}\" data-k=\"s{id}\" aria-label=\"Show {name} on the drawing\">Show</button>",
                "<button class=\"btn small danger\" data-action=\"list-delete\" data-id=\"{id}\" data-k=\"d{id}\" aria-label=\"Delete {name}\">Delete</button>",
                "</div><p class=\"field-error\" id=\"twin-err-{id}\" role=\"alert\"></p></li>"
            ),
            id = id,
            name = name,
            what = esc(&e.what),
            facts = facts,
            protect = protect,
        ));
    }
    out.push_str("</ul>");
    if entries.len() > limit {
        out.push_str(&format!(
            "<button class=\"btn\" data-action=\"list-more\" data-k=\"more\">Show {} more ({} of {} shown)</button>",
            PAGE.min(entries.len() - limit),
            limit,
            entries.len()
        ));
    }
    out
}

/// What the pre-check says of `from` protecting `to`, in a sentence.
fn verdict(t: &Topology, from: ServerId, to: ServerId) -> String {
    let link = Link {
        protector: from,
        target: to,
    };
    if t.protection(link).is_some() {
        return format!(
            "{} already protects {}.",
            t.name(from),
            name_or_itself(t, from, to)
        );
    }
    let bad: Vec<String> = Checker::new(t)
        .precheck(Protection::new(from, to))
        .into_iter()
        .filter(|f| f.severity() != Severity::Info)
        .map(|f| format!("{}: {}", f.rule.title(), f.message))
        .collect();
    if bad.is_empty() {
        format!(
            "DPM allows {} to protect {}.",
            t.name(from),
            name_or_itself(t, from, to)
        )
    } else {
        format!("It would break a rule. {}", bad.join(" "))
    }
}

fn name_or_itself(t: &Topology, from: ServerId, to: ServerId) -> String {
    if from == to {
        "itself".into()
    } else {
        t.name(to).to_string()
    }
}

#[component]
pub fn ServersList() -> impl IntoView {
    let ed = crate::ctx::ctx().ed;
    let pos = crate::ctx::ctx().pos;
    let limit = RwSignal::new(PAGE);
    let root = NodeRef::<leptos::html::Div>::new();
    let select = |root: &Element, part: &str| -> Option<ServerId> {
        find(root, &format!("[data-part={part}]")).and_then(|e| id_of(&value(&e)))
    };
    let say_verdict = move |root: &Element| {
        let (Some(from), Some(to)) = (select(root, "from"), select(root, "to")) else {
            return;
        };
        let text = ed.doc.with_untracked(|t| verdict(t, from, to));
        if let Some(p) = find(root, "[data-part=verdict]") {
            p.set_text_content(Some(&text));
        }
    };

    // Re-render on every change of the drawing or its findings, keeping the
    // form's choices and the focus.
    Effect::new(move || {
        let Some(root) = root.get() else {
            return;
        };
        let limit = limit.get();
        let (from, to) = (select(&root, "from"), select(&root, "to"));
        let focused = document()
            .active_element()
            .filter(|a| root.contains(Some(a)))
            .and_then(|a| {
                a.get_attribute("data-k")
                    .map(|k| (k, a.closest("[data-twin]")))
            });
        let html = ed
            .shown
            .with(|t| ed.findings.with(|fs| list_html(t, fs, limit, from, to)));
        root.set_inner_html(&html);
        say_verdict(&root);
        if let Some((k, item)) = focused {
            let again = find(&root, &format!("[data-k=\"{k}\"]")).or_else(|| {
                // The control went with the edit: its server's heading, or
                // (the server went too) the list's own heading.
                let id = item.ok().flatten()?.get_attribute("data-twin")?;
                find(&root, &format!("[data-k=h{id}]"))
            });
            let target = again.or_else(|| document().get_element_by_id("list-heading"));
            if let Some(el) = target.and_then(|e| e.dyn_into::<HtmlElement>().ok()) {
                let _ = el.focus();
            }
        }
    });

    let error = move |root: &Element, id: u32, text: &str| {
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
    };
    let rename = move |root: &Element, id: ServerId| {
        let Some(input) = find(root, &format!("[data-rename=\"{}\"]", id.0)) else {
            return;
        };
        let name = value(&input);
        match ed
            .doc
            .with_untracked(|t| t.check_name(Some(id), name.trim()))
        {
            Ok(()) => {
                error(root, id.0, "");
                ed.edit(|t| {
                    let _ = t.rename(id, &name);
                });
            }
            Err(e) => error(root, id.0, &e.to_string()),
        }
    };

    let on_click = move |ev: leptos::ev::MouseEvent| {
        let (Some(button), Some(root)) = (crate::browser::dom::clicked(&ev), root.get_untracked())
        else {
            return;
        };
        let id = button.get_attribute("data-id").and_then(|i| id_of(&i));
        match (button.get_attribute("data-action").as_deref(), id) {
            (Some("list-protect"), _) => {
                let (Some(from), Some(to)) = (select(&root, "from"), select(&root, "to")) else {
                    if let Some(p) = find(&root, "[data-part=verdict]") {
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
                }
            }
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
            (Some("list-protect-from"), Some(id)) => {
                if let Some(s) = find(&root, "[data-part=from]")
                    .and_then(|e| e.dyn_into::<HtmlSelectElement>().ok())
                {
                    s.set_value(&id.0.to_string());
                }
                say_verdict(&root);
                if let Some(to) =
                    find(&root, "[data-part=to]").and_then(|e| e.dyn_into::<HtmlElement>().ok())
                {
                    let _ = to.focus();
                }
            }
            (Some("list-rename"), Some(id)) => rename(&root, id),
            (Some("list-delete"), Some(id)) => {
                ed.edit(|t| dpm_rules::remove_servers(t, &[id]));
            }
            (Some("list-show"), Some(id)) => reveal(ed, pos, &[id], None),
            (Some("list-more"), _) => limit.update(|n| *n += PAGE),
            _ => {}
        }
    };
    let on_change = move |ev: leptos::ev::Event| {
        if let Some(root) = root.get_untracked() {
            let part = ev
                .target()
                .and_then(|t| t.dyn_into::<Element>().ok())
                .and_then(|e| e.get_attribute("data-part"));
            if matches!(part.as_deref(), Some("from" | "to")) {
                say_verdict(&root);
            }
        }
    };
    let on_keydown = move |ev: web_sys::KeyboardEvent| {
        if ev.key() != "Enter" {
            return;
        }
        let (Some(el), Some(root)) = (
            ev.target().and_then(|t| t.dyn_into::<Element>().ok()),
            root.get_untracked(),
        ) else {
            return;
        };
        if let Some(id) = el.get_attribute("data-rename").and_then(|i| id_of(&i)) {
            ev.prevent_default();
            rename(&root, id);
        }
    };

    view! {
        <section class="panel list-panel" aria-labelledby="list-heading" data-testid="servers-list">
            <h2 id="list-heading" tabindex="-1">"Servers"</h2>
            <div node_ref=root on:click=on_click on:change=on_change on:keydown=on_keydown></div>
        </section>
    }
}
