//! The documentation viewer: one scenario, read-only, drawn by the rule
//! crate's own SVG routine (`dpm_rules::to_svg`, as `dpm-check export --to
//! svg` draws it), its findings with their source sentences, and "Simulate
//! a failure": a click or Enter on a server fails it and lists what is lost
//! and each recovery option with its reason, supported or not.
//!
//! A page of its own (`view.html`, made by `scripts/viewer-page.mjs`), with
//! no dependency on the editor: it loads nothing but itself, so it works in
//! a sandboxed frame (`sandbox="allow-scripts"`) on a host that sends no
//! CORS header, from `file://`, and as the self-contained page of
//! `dpm-check export --to html`. It never touches the browser's storage.
//!
//! Where the scenario comes from: the page's `data-scenario` attribute (a
//! self-contained page), else the address's `#s=…` (`&theme=light|dark`).
//! Text from the scenario reaches the page only as text nodes and
//! attribute values, and in the SVG through the rule crate's escaping.

use std::cell::RefCell;

use dpm_rules::{
    check, from_share, plan, to_share, to_svg, Finding, Plan, RecoveryOption, ServerId, Severity,
    Summary, SvgOptions, Theme, Topology,
};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Document, Element, HtmlElement};

/// Everything the page shows.
struct State {
    t: Topology,
    findings: Vec<Finding>,
    theme: Theme,
    simulating: bool,
    /// The servers the reader failed, in the order failed.
    failed: Vec<ServerId>,
}

thread_local! {
    static STATE: RefCell<Option<State>> = const { RefCell::new(None) };
}

fn main() {
    std::panic::set_hook(Box::new(|info| {
        web_sys::console::error_1(&info.to_string().into());
    }));
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let root = doc.document_element();
    let attr = |name: &str| {
        root.as_ref()
            .and_then(|r| r.get_attribute(name))
            .filter(|v| !v.is_empty())
    };
    let hash = web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .unwrap_or_default();
    let param = |key: &str| {
        hash.trim_start_matches('#')
            .split('&')
            .find_map(|kv| kv.strip_prefix(key)?.strip_prefix('='))
            .map(str::to_string)
    };
    let scenario = attr("data-scenario").or_else(|| {
        follow_address();
        param("s")
    });
    let theme = attr("data-theme")
        .or_else(|| param("theme"))
        .and_then(|s| Theme::from_id(&s))
        .unwrap_or_else(system_theme);
    if let Some(r) = &root {
        let _ = r.set_attribute("data-theme", theme.id());
    }
    let Some(body) = doc.body() else { return };
    let t = match scenario.as_deref().map(from_share) {
        Some(Ok(t)) => t,
        Some(Err(e)) => return refuse(&doc, &body, &e.to_string()),
        None => {
            return refuse(
                &doc,
                &body,
                "This address holds no scenario: it should end in #s=… as the editor's Embed dialog gives it.",
            )
        }
    };
    if let Some(title) = &t.title {
        doc.set_title(title);
    }
    let findings = check(&t);
    let editor = editor_link(attr("data-editor"), attr("data-scenario").is_some(), &t);
    build(&doc, &body, &t, editor);
    STATE.with(|s| {
        *s.borrow_mut() = Some(State {
            t,
            findings,
            theme,
            simulating: false,
            failed: Vec::new(),
        })
    });
    listen(&body);
    render(&doc);
}

/// A hosted page whose address changes to another scenario (`#s=…`) shows
/// that one: it starts again.
fn follow_address() {
    let Some(w) = web_sys::window() else { return };
    let again = Closure::<dyn Fn()>::new(|| {
        if let Some(w) = web_sys::window() {
            let _ = w.location().reload();
        }
    });
    let _ = w.add_event_listener_with_callback("hashchange", again.as_ref().unchecked_ref());
    again.forget();
}

/// The reader's system palette, when the snippet asks for none.
fn system_theme() -> Theme {
    let dark = web_sys::window()
        .and_then(|w| w.match_media("(prefers-color-scheme: dark)").ok().flatten())
        .is_some_and(|m| m.matches());
    if dark {
        Theme::Dark
    } else {
        Theme::Light
    }
}

/// "Open in the editor": the page's `data-editor` address, else the editor
/// beside a hosted `view.html`; a self-contained page without an address
/// has none.
fn editor_link(given: Option<String>, self_contained: bool, t: &Topology) -> Option<String> {
    let base = match given {
        Some(a) => a,
        None if self_contained => return None,
        None => {
            let href = web_sys::window()?.location().href().ok()?;
            web_sys::Url::new_with_base("./", &href).ok()?.href()
        }
    };
    let base = base.split('#').next().unwrap_or_default().to_string();
    Some(format!("{base}#s={}", to_share(t)))
}

/// A page that cannot show its scenario says why, and nothing else.
fn refuse(doc: &Document, body: &HtmlElement, why: &str) {
    let box_ = el(doc, "div", "vw-error");
    let _ = box_.set_attribute("role", "alert");
    let head = el(doc, "p", "vw-error-head");
    head.set_text_content(Some("This scenario cannot be shown."));
    let p = el(doc, "p", "");
    p.set_text_content(Some(why));
    let _ = box_.append_child(&head);
    let _ = box_.append_child(&p);
    let _ = body.append_child(&box_);
}

fn el(doc: &Document, tag: &str, class: &str) -> Element {
    let e = doc
        .create_element(tag)
        .unwrap_or_else(|_| doc.create_element("div").expect("a div"));
    if !class.is_empty() {
        e.set_class_name(class);
    }
    e
}

fn text_el(doc: &Document, tag: &str, class: &str, text: &str) -> Element {
    let e = el(doc, tag, class);
    e.set_text_content(Some(text));
    e
}

/// The page's fixed parts: the bar, the drawing's place and the side.
fn build(doc: &Document, body: &HtmlElement, t: &Topology, editor: Option<String>) {
    let app = el(doc, "div", "vw");
    let bar = el(doc, "header", "vw-bar");
    let title = t.title.as_deref().unwrap_or("DPM scenario");
    let _ = bar.append_child(&text_el(doc, "h1", "vw-title", title));
    let status = el(doc, "span", "vw-status");
    let _ = status.set_attribute("data-testid", "status");
    let _ = bar.append_child(&status);
    let sim = text_el(doc, "button", "vw-btn", "Simulate a failure");
    let _ = sim.set_attribute("type", "button");
    let _ = sim.set_attribute("data-action", "simulate");
    let _ = sim.set_attribute("aria-pressed", "false");
    let _ = bar.append_child(&sim);
    if let Some(href) = editor {
        let a = text_el(doc, "a", "vw-btn", "Open in the editor ↗");
        let _ = a.set_attribute("href", &href);
        let _ = a.set_attribute("target", "_blank");
        let _ = a.set_attribute("rel", "noopener");
        let _ = a.set_attribute("data-action", "open-editor");
        let _ = bar.append_child(&a);
    }
    let main = el(doc, "main", "vw-body");
    let drawing = el(doc, "div", "vw-drawing");
    let _ = drawing.set_attribute("role", "group");
    let _ = drawing.set_attribute("aria-label", "The drawing");
    let side = el(doc, "aside", "vw-side");
    let _ = side.set_attribute("aria-live", "polite");
    let _ = main.append_child(&drawing);
    let _ = main.append_child(&side);
    let _ = app.append_child(&bar);
    let _ = app.append_child(&main);
    let _ = body.append_child(&app);
}

/// One listener each for clicks and keys on the whole page.
fn listen(body: &HtmlElement) {
    let click = Closure::<dyn Fn(web_sys::MouseEvent)>::new(|ev: web_sys::MouseEvent| {
        let Some(target) = ev.target().and_then(|t| t.dyn_into::<Element>().ok()) else {
            return;
        };
        if let Some(b) = target.closest("[data-action]").ok().flatten() {
            match b.get_attribute("data-action").as_deref() {
                Some("simulate") => toggle_simulation(),
                Some("reset") => update(|s| s.failed.clear(), None),
                _ => {}
            }
            return;
        }
        if let Some(name) = server_at(&target) {
            toggle_server(&name);
        }
    });
    let key = Closure::<dyn Fn(web_sys::KeyboardEvent)>::new(|ev: web_sys::KeyboardEvent| {
        let key = ev.key();
        if key != "Enter" && key != " " {
            if key == "Escape" {
                let on = STATE.with(|s| s.borrow().as_ref().is_some_and(|s| s.simulating));
                if on {
                    toggle_simulation();
                }
            }
            return;
        }
        let Some(target) = ev.target().and_then(|t| t.dyn_into::<Element>().ok()) else {
            return;
        };
        if target.closest("button, a").ok().flatten().is_some() {
            return;
        }
        if let Some(name) = server_at(&target) {
            ev.prevent_default();
            toggle_server(&name);
        }
    });
    let _ = body.add_event_listener_with_callback("click", click.as_ref().unchecked_ref());
    let _ = body.add_event_listener_with_callback("keydown", key.as_ref().unchecked_ref());
    click.forget();
    key.forget();
}

/// The name of the server drawn at `target`, while simulating.
fn server_at(target: &Element) -> Option<String> {
    let on = STATE.with(|s| s.borrow().as_ref().is_some_and(|s| s.simulating));
    if !on {
        return None;
    }
    target
        .closest(".vw-drawing [data-server]")
        .ok()
        .flatten()?
        .get_attribute("data-server")
}

fn toggle_simulation() {
    update(
        |s| {
            s.simulating = !s.simulating;
            s.failed.clear();
        },
        None,
    );
    if let Some(b) =
        document().and_then(|d| d.query_selector("[data-action=simulate]").ok().flatten())
    {
        if let Ok(b) = b.dyn_into::<HtmlElement>() {
            let _ = b.focus();
        }
    }
}

fn toggle_server(name: &str) {
    let name = name.to_string();
    update(
        |s| {
            let Some(id) = s.t.servers.iter().find(|v| v.name == name).map(|v| v.id) else {
                return;
            };
            if let Some(i) = s.failed.iter().position(|f| *f == id) {
                s.failed.remove(i);
            } else {
                s.failed.push(id);
            }
        },
        Some(name.clone()),
    );
}

fn document() -> Option<Document> {
    web_sys::window()?.document()
}

/// Changes the state, draws again, and puts focus back on the server
/// `focus` (drawing again replaces its element).
fn update(change: impl FnOnce(&mut State), focus: Option<String>) {
    STATE.with(|s| {
        if let Some(s) = s.borrow_mut().as_mut() {
            change(s);
        }
    });
    let Some(doc) = document() else { return };
    render(&doc);
    if let Some(name) = focus {
        let found = doc
            .query_selector_all(".vw-drawing [data-server]")
            .ok()
            .and_then(|all| {
                (0..all.length())
                    .filter_map(|i| all.item(i)?.dyn_into::<Element>().ok())
                    .find(|e| e.get_attribute("data-server").as_deref() == Some(name.as_str()))
            });
        if let Some(e) = found.and_then(|e| e.dyn_into::<web_sys::SvgElement>().ok()) {
            let _ = e.focus();
        }
    }
}

/// Draws the state: the status, the SVG, and the side (the findings, or
/// the failure's plan).
fn render(doc: &Document) {
    STATE.with(|s| {
        let s = s.borrow();
        let Some(s) = s.as_ref() else { return };
        let p = (!s.failed.is_empty()).then(|| plan(&s.t, &s.failed));
        if let Some(e) = doc.query_selector("[data-testid=status]").ok().flatten() {
            e.set_text_content(Some(&Summary::of(&s.findings).status()));
        }
        if let Some(b) = doc.query_selector("[data-action=simulate]").ok().flatten() {
            b.set_text_content(Some(if s.simulating {
                "Stop simulating"
            } else {
                "Simulate a failure"
            }));
            let _ = b.set_attribute("aria-pressed", if s.simulating { "true" } else { "false" });
        }
        if let Some(d) = doc.query_selector(".vw-drawing").ok().flatten() {
            let opts = SvgOptions {
                failed: p.as_ref().map(|p| p.failed.clone()).unwrap_or_default(),
                list_findings: false,
                theme: s.theme,
                bare: true,
            };
            // The one path by which scenario text becomes markup: the rule
            // crate's SVG routine, which escapes every name.
            d.set_inner_html(&to_svg(&s.t, &s.findings, &opts));
            if s.simulating {
                servers_operable(&d, s);
            }
            let _ = d.set_attribute("aria-label", &drawing_label(s));
        }
        if let Some(side) = doc.query_selector(".vw-side").ok().flatten() {
            side.set_text_content(None);
            if s.simulating {
                simulation(doc, &side, s, p.as_ref());
            } else {
                findings(doc, &side, &s.findings);
            }
        }
        if let Some(r) = doc.document_element() {
            let _ = r.set_attribute(
                "data-simulating",
                if s.simulating { "true" } else { "false" },
            );
        }
    });
}

fn drawing_label(s: &State) -> String {
    let title = s.t.title.as_deref().unwrap_or("DPM scenario");
    format!(
        "The drawing: {title}, {} servers, {} protections",
        s.t.servers.len(),
        s.t.protections.len()
    )
}

/// While simulating, each server is a button: focusable, named for what
/// Enter does.
fn servers_operable(d: &Element, s: &State) {
    let Ok(all) = d.query_selector_all("[data-server]") else {
        return;
    };
    for i in 0..all.length() {
        let Some(e) = all.item(i).and_then(|n| n.dyn_into::<Element>().ok()) else {
            continue;
        };
        let name = e.get_attribute("data-server").unwrap_or_default();
        let failed =
            s.t.servers
                .iter()
                .find(|v| v.name == name)
                .is_some_and(|v| s.failed.contains(&v.id));
        // Named by what it shows (its title and text); what Enter does is
        // the side's first line.
        let _ = e.set_attribute("tabindex", "0");
        let _ = e.set_attribute("role", "button");
        let _ = e.set_attribute("aria-pressed", if failed { "true" } else { "false" });
        let _ = e.set_attribute("aria-describedby", "vw-how");
    }
    // A picture holds no controls: while its servers are buttons, the SVG
    // is a group of them.
    if let Some(svg) = d.query_selector("svg").ok().flatten() {
        let _ = svg.set_attribute("role", "group");
        let _ = svg.set_attribute("aria-label", &drawing_label(s));
    }
}

fn findings(doc: &Document, side: &Element, findings: &[Finding]) {
    let _ = side.set_attribute("aria-label", "Findings");
    let _ = side.append_child(&text_el(doc, "h2", "vw-head", "Findings"));
    if findings.is_empty() {
        let _ = side.append_child(&text_el(
            doc,
            "p",
            "vw-quiet",
            "None: every protection here is one DPM supports.",
        ));
        return;
    }
    let list = el(doc, "ul", "vw-list");
    for f in findings {
        let sev = f.severity();
        let li = el(doc, "li", &format!("vw-finding sev-{}", sev.as_str()));
        let _ = li.set_attribute("data-rule", f.rule.id());
        let head = el(doc, "p", "vw-finding-head");
        let _ = head.append_child(&text_el(doc, "span", "vw-sev", severity_word(sev)));
        let _ = head.append_child(&text_el(doc, "span", "vw-rule", f.rule.title()));
        let _ = li.append_child(&head);
        let _ = li.append_child(&text_el(doc, "p", "vw-message", &f.message));
        let src = f.rule.source();
        let q = el(doc, "blockquote", "vw-source");
        let _ = q.append_child(&text_el(doc, "p", "", &format!("“{}”", src.text)));
        let _ = q.append_child(&text_el(doc, "cite", "", src.document));
        let _ = li.append_child(&q);
        let _ = list.append_child(&li);
    }
    let _ = side.append_child(&list);
}

fn severity_word(s: Severity) -> &'static str {
    match s {
        Severity::Error => "Error",
        Severity::Warning => "Warning",
        Severity::Info => "Note",
    }
}

/// The failure's side: what to do, what is lost, and the options.
fn simulation(doc: &Document, side: &Element, s: &State, p: Option<&Plan>) {
    let _ = side.set_attribute("aria-label", "Simulated failure");
    let _ = side.append_child(&text_el(doc, "h2", "vw-head", "Simulate a failure"));
    let how = text_el(
        doc,
        "p",
        "vw-quiet",
        "Click a server, or focus it with Tab and press Enter, to fail it or bring it back. Escape stops.",
    );
    how.set_id("vw-how");
    let _ = side.append_child(&how);
    let Some(p) = p else {
        return;
    };
    let t = &s.t;
    let names: Vec<String> = s.failed.iter().map(|id| t.name(*id).to_string()).collect();
    let head = el(doc, "p", "vw-failed");
    head.set_text_content(Some(&format!("Failed: {}.", dpm_rules::and_list(&names))));
    let _ = side.append_child(&head);
    let reset = text_el(doc, "button", "vw-btn small", "Restore all");
    let _ = reset.set_attribute("type", "button");
    let _ = reset.set_attribute("data-action", "reset");
    let _ = side.append_child(&reset);
    for a in &p.also_down {
        let _ = side.append_child(&text_el(
            doc,
            "p",
            "vw-also",
            &format!("{} is {}.", t.name(a.server), a.phrase()),
        ));
    }
    let sources = |list: &[dpm_rules::DataSource]| -> Vec<String> {
        list.iter().map(|d| d.label(t)).collect()
    };
    if !p.lost.is_empty() {
        let e = el(doc, "p", "vw-lost");
        e.set_text_content(Some(&format!(
            "Lost, no copy survives: {}.",
            dpm_rules::and_list(&sources(&p.lost))
        )));
        let _ = side.append_child(&e);
    }
    if !p.unprotected.is_empty() {
        let e = el(doc, "p", "vw-unprotected");
        e.set_text_content(Some(&format!(
            "Unprotected until recovered: {}.",
            dpm_rules::and_list(&sources(&p.unprotected))
        )));
        let _ = side.append_child(&e);
    }
    if p.lost.is_empty() && p.unprotected.is_empty() {
        let _ = side.append_child(&text_el(
            doc,
            "p",
            "vw-quiet",
            "No data is lost: a copy of everything survives.",
        ));
    }
    if !p.order.is_empty() {
        let _ = side.append_child(&text_el(doc, "h3", "vw-sub", "Recover in this order"));
        let ol = el(doc, "ol", "vw-order");
        for step in &p.order {
            let _ = ol.append_child(&text_el(doc, "li", "", &step.step.caption));
        }
        let _ = side.append_child(&ol);
    }
    for a in &p.affected {
        let _ = side.append_child(&text_el(
            doc,
            "h3",
            "vw-sub",
            &format!("For {}", t.name(a.server)),
        ));
        let ol = el(doc, "ul", "vw-list");
        for o in &a.options {
            let _ = ol.append_child(&option(doc, o));
        }
        let _ = side.append_child(&ol);
        for n in &a.notes {
            let _ = side.append_child(&text_el(doc, "p", "vw-note", n));
        }
    }
}

/// One recovery option: its title, supported or not, and its reason.
fn option(doc: &Document, o: &RecoveryOption) -> Element {
    let li = el(
        doc,
        "li",
        if o.supported {
            "vw-option supported"
        } else {
            "vw-option refused"
        },
    );
    let key = match &o.via {
        Some(v) => format!("{} {}", o.kind.id(), v),
        None => o.kind.id().to_string(),
    };
    let _ = li.set_attribute("data-option", &key);
    let head = el(doc, "p", "vw-finding-head");
    let title = match &o.via {
        Some(v) => format!("{} ({v})", o.kind.title()),
        None => o.kind.title().to_string(),
    };
    let _ = head.append_child(&text_el(doc, "span", "vw-rule", &title));
    let _ = head.append_child(&text_el(
        doc,
        "span",
        "vw-verdict",
        if o.supported {
            "Supported"
        } else {
            "Not supported"
        },
    ));
    let _ = li.append_child(&head);
    let _ = li.append_child(&text_el(doc, "p", "vw-message", &o.reason));
    li
}
