//! The documentation viewer: one scenario, read-only, drawn by the rule
//! crate's own SVG routine (`dpm_rules::to_svg_bare`: `dpm-check export
//! --to svg`'s drawing, without the stylesheet the page holds), its
//! findings with their source sentences, and "Simulate a failure": a
//! click or Enter on a server fails it and lists what is lost
//! and each recovery option with its reason, supported or not.
//!
//! A page of its own (`view.html`, made by `scripts/viewer-page.mjs`), with
//! no dependency on the editor: it loads nothing but itself, so it works in
//! a sandboxed frame (`sandbox="allow-scripts"`) on a host that sends no
//! CORS header, from `file://`, and as the self-contained page of
//! `dpm-check export --to html`. It never touches the browser's storage.
//!
//! Where the scenario comes from: the `<body>`'s `data-scenario` attribute
//! (a self-contained page), else the address's `#s=…`. The palette
//! (`data-theme`, `#…&theme=light|dark`, else the reader's system) is set
//! by the page's start script, before this runs.
//! Text from the scenario reaches the page only as text nodes and
//! attribute values, and in the SVG through the rule crate's escaping.

use dpm_rules::hash::HashSet;
use std::cell::RefCell;

use dpm_rules::{
    check, from_share, plan, to_share, to_svg_bare, Finding, Plan, RecoveryOption, ServerId,
    Severity, Summary, SvgOptions, Topology,
};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Document, Element, HtmlElement};

/// Everything the page shows.
struct State {
    t: Topology,
    findings: Vec<Finding>,
    simulating: bool,
    /// The servers the reader failed, in the order failed.
    failed: Vec<ServerId>,
    /// The server that holds the drawing's one tab stop (arrow keys move
    /// it), by its place in `t.servers`.
    focus: usize,
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
    let Some(body) = doc.body() else { return };
    // The palette is the start script's (view.html): it reads it before
    // this starts, so the page never flashes the wrong one.
    let attr = |name: &str| body.get_attribute(name).filter(|v| !v.is_empty());
    let self_contained = attr("data-scenario").is_some();
    let scenario = attr("data-scenario").or_else(|| {
        follow_address();
        hash_param("s")
    });
    let t = match scenario.as_deref().map(from_share) {
        Some(Ok(t)) => t,
        Some(Err(e)) => return refuse(&doc, &body, &sentence(&e.to_string())),
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
    let editor = editor_link(attr("data-editor"), self_contained, &t);
    build(&doc, &body, &t, editor);
    STATE.with(|s| {
        *s.borrow_mut() = Some(State {
            t,
            findings,
            simulating: false,
            failed: Vec::new(),
            focus: 0,
        })
    });
    listen(&body);
    render(&doc);
}

/// A parameter of the address's `#…&key=value&…`.
fn hash_param(key: &str) -> Option<String> {
    let hash = web_sys::window()?.location().hash().ok()?;
    hash.trim_start_matches('#')
        .split('&')
        .find_map(|kv| kv.strip_prefix(key)?.strip_prefix('='))
        .map(str::to_string)
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

/// "Open in the editor": the page's `data-editor` address, else the editor
/// beside a hosted `view.html`; a self-contained page without an address
/// has none. Only `http(s)://` addresses are linked to.
fn editor_link(given: Option<String>, self_contained: bool, t: &Topology) -> Option<String> {
    let base = match given {
        Some(a) => a,
        None if self_contained => return None,
        None => {
            let href = web_sys::window()?.location().href().ok()?;
            web_sys::Url::new_with_base("./", &href).ok()?.href()
        }
    };
    if !dpm_rules::is_web_address(&base) {
        return None;
    }
    let base = base.split('#').next().unwrap_or_default().to_string();
    Some(format!("{base}#s={}", to_share(t)))
}

/// `text` with a capital first letter and a full stop.
fn sentence(text: &str) -> String {
    // ASCII only: the messages are English, and Unicode's case tables
    // would weigh more than the rest of the viewer's own code.
    let mut out = text.to_string();
    if let Some(first) = out.get_mut(..1) {
        first.make_ascii_uppercase();
    }
    if !out.ends_with('.') {
        out.push('.');
    }
    out
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

/// The page's fixed parts: the bar, the drawing's place, the side, and a
/// one-line live region that says what a failure did.
fn build(doc: &Document, body: &HtmlElement, t: &Topology, editor: Option<String>) {
    let app = el(doc, "div", "vw");
    let bar = el(doc, "header", "vw-bar");
    let title = t.title.as_deref().unwrap_or("DPM scenario");
    let _ = bar.append_child(&text_el(doc, "h1", "vw-title", title));
    let status = el(doc, "span", "vw-status");
    let _ = status.set_attribute("data-testid", "status");
    let _ = bar.append_child(&status);
    // A toggle keeps its name; pressed says it is on.
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
    let side = el(doc, "aside", "vw-side");
    let live = el(doc, "p", "vw-live");
    let _ = live.set_attribute("aria-live", "polite");
    let _ = main.append_child(&drawing);
    let _ = main.append_child(&side);
    let _ = app.append_child(&bar);
    let _ = app.append_child(&main);
    let _ = app.append_child(&live);
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
                Some("reset") => {
                    update(|s| s.failed.clear(), None);
                    focus_simulate();
                }
                Some("open-editor") => open_editor(&ev, &b),
                _ => {}
            }
            return;
        }
        if let Some(i) = server_at(&target) {
            toggle_server(i);
        } else if let Some(i) = server_drawn_at(&target).filter(|_| !simulating()) {
            // Reading, a click on a server is the question "what if it
            // fails?": simulate, with it failed.
            update(|s| s.simulating = true, None);
            toggle_server(i);
        }
    });
    let key = Closure::<dyn Fn(web_sys::KeyboardEvent)>::new(on_key);
    let _ = body.add_event_listener_with_callback("click", click.as_ref().unchecked_ref());
    let _ = body.add_event_listener_with_callback("keydown", key.as_ref().unchecked_ref());
    click.forget();
    key.forget();
}

/// Enter or Space fails (or brings back) the focused server; arrow keys,
/// Home and End move between servers; Escape stops simulating.
fn on_key(ev: web_sys::KeyboardEvent) {
    let key = ev.key();
    if key == "Escape" {
        if simulating() {
            toggle_simulation();
        }
        return;
    }
    let Some(target) = ev.target().and_then(|t| t.dyn_into::<Element>().ok()) else {
        return;
    };
    let Some(i) = server_at(&target) else { return };
    let n = STATE.with(|s| s.borrow().as_ref().map_or(0, |s| s.t.servers.len()));
    let to = match key.as_str() {
        "Enter" | " " => {
            ev.prevent_default();
            return toggle_server(i);
        }
        "ArrowRight" | "ArrowDown" => (i + 1).min(n.saturating_sub(1)),
        "ArrowLeft" | "ArrowUp" => i.saturating_sub(1),
        "Home" => 0,
        "End" => n.saturating_sub(1),
        _ => return,
    };
    ev.prevent_default();
    STATE.with(|s| {
        if let Some(s) = s.borrow_mut().as_mut() {
            s.focus = to;
        }
    });
    if let Some(doc) = document() {
        rove(&doc, to);
    }
}

/// Opens the editor in a new tab; a frame that may not open one (sandboxed
/// without `allow-popups`) shows the editor's address to copy instead of
/// doing nothing.
fn open_editor(ev: &web_sys::MouseEvent, link: &Element) {
    let (Some(w), Some(href)) = (web_sys::window(), link.get_attribute("href")) else {
        return;
    };
    ev.prevent_default();
    match w.open_with_url_and_target(&href, "_blank") {
        Ok(Some(tab)) => {
            let _ = tab.set_opener(&JsValue::NULL);
        }
        _ => {
            let Some(doc) = document() else { return };
            if let Some(old) = doc.query_selector(".vw-blocked").ok().flatten() {
                old.remove();
            }
            let note = el(&doc, "div", "vw-blocked");
            let _ = note.set_attribute("role", "alert");
            let _ = note.append_child(&text_el(
                &doc,
                "p",
                "",
                "This page does not let the viewer open a new tab. Copy the editor's address into one:",
            ));
            let field = el(&doc, "input", "vw-address");
            let _ = field.set_attribute("readonly", "");
            let _ = field.set_attribute("aria-label", "The editor's address");
            let _ = field.set_attribute("value", &href);
            let _ = note.append_child(&field);
            if let Some(bar) = doc.query_selector(".vw-bar").ok().flatten() {
                let _ = bar.after_with_node_1(&note);
            }
            if let Ok(f) = field.dyn_into::<HtmlElement>() {
                let _ = f.focus();
            }
        }
    }
}

fn simulating() -> bool {
    STATE.with(|s| s.borrow().as_ref().is_some_and(|s| s.simulating))
}

/// The place in the drawing's servers of the server drawn at `target`,
/// while simulating (`to_svg` writes each server's id as `data-id`).
fn server_at(target: &Element) -> Option<usize> {
    server_drawn_at(target).filter(|_| simulating())
}

/// The place in the drawing's servers of the server drawn at `target`.
fn server_drawn_at(target: &Element) -> Option<usize> {
    let id = id_of(&target.closest(".vw-drawing [data-id]").ok().flatten()?)?;
    STATE.with(|s| {
        s.borrow()
            .as_ref()?
            .t
            .servers
            .iter()
            .position(|v| v.id == id)
    })
}

fn toggle_simulation() {
    update(
        |s| {
            s.simulating = !s.simulating;
            s.failed.clear();
        },
        None,
    );
    focus_simulate();
}

fn focus_simulate() {
    let b = document().and_then(|d| d.query_selector("[data-action=simulate]").ok().flatten());
    if let Some(b) = b.and_then(|b| b.dyn_into::<HtmlElement>().ok()) {
        let _ = b.focus();
    }
}

/// Fails the `i`th server of the drawing, or brings it back.
fn toggle_server(i: usize) {
    update(
        |s| {
            let Some(id) = s.t.servers.get(i).map(|v| v.id) else {
                return;
            };
            if let Some(k) = s.failed.iter().position(|f| *f == id) {
                s.failed.remove(k);
            } else {
                s.failed.push(id);
            }
            s.focus = i;
        },
        Some(i),
    );
}

fn document() -> Option<Document> {
    web_sys::window()?.document()
}

/// Changes the state, draws again, and puts focus back on the `focus`th
/// server (drawing again replaces its element).
fn update(change: impl FnOnce(&mut State), focus: Option<usize>) {
    STATE.with(|s| {
        if let Some(s) = s.borrow_mut().as_mut() {
            change(s);
        }
    });
    let Some(doc) = document() else { return };
    render(&doc);
    if let Some(i) = focus {
        rove(&doc, i);
    }
}

/// The id `to_svg` wrote on a server's element.
fn id_of(e: &Element) -> Option<ServerId> {
    e.get_attribute("data-id")?.parse().ok().map(ServerId)
}

/// The drawing's server elements.
fn server_elements(root: &Element) -> Vec<Element> {
    let Ok(all) = root.query_selector_all("[data-id]") else {
        return Vec::new();
    };
    (0..all.length())
        .filter_map(|k| all.item(k)?.dyn_into::<Element>().ok())
        .collect()
}

/// Gives the drawing's one tab stop to the `i`th server and focuses it.
fn rove(doc: &Document, i: usize) {
    let Some(d) = doc.query_selector(".vw-drawing").ok().flatten() else {
        return;
    };
    let id = STATE.with(|s| Some(s.borrow().as_ref()?.t.servers.get(i)?.id));
    for e in server_elements(&d) {
        let here = id.is_some() && id_of(&e) == id;
        let _ = e.set_attribute("tabindex", if here { "0" } else { "-1" });
        if here {
            if let Ok(e) = e.dyn_into::<web_sys::SvgElement>() {
                let _ = e.focus();
            }
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
            let _ = b.set_attribute("aria-pressed", if s.simulating { "true" } else { "false" });
        }
        if let Some(d) = doc.query_selector(".vw-drawing").ok().flatten() {
            let opts = SvgOptions {
                failed: p.as_ref().map(|p| p.failed.clone()).unwrap_or_default(),
                list_findings: false,
                // The bar shows the title.
                untitled: true,
                ..SvgOptions::default()
            };
            // The one path by which scenario text becomes markup: the rule
            // crate's SVG routine, which escapes every name.
            d.set_inner_html(&to_svg_bare(&s.t, &s.findings, &opts));
            if s.simulating {
                servers_operable(&d, s);
            }
        }
        if let Some(side) = doc.query_selector(".vw-side").ok().flatten() {
            side.set_text_content(None);
            if s.simulating {
                simulation(doc, &side, s, p.as_ref());
            } else {
                findings(doc, &side, &s.t, &s.findings);
            }
        }
        if let Some(live) = doc.query_selector(".vw-live").ok().flatten() {
            live.set_text_content(Some(&live_line(s, p.as_ref())));
        }
        if let Some(r) = doc.document_element() {
            let _ = r.set_attribute(
                "data-simulating",
                if s.simulating { "true" } else { "false" },
            );
        }
    });
}

/// What a screen reader hears after a change: one line.
fn live_line(s: &State, p: Option<&Plan>) -> String {
    match p {
        _ if !s.simulating => String::new(),
        None => "Simulating: no server failed.".into(),
        Some(p) => {
            let names: Vec<&str> = s.failed.iter().map(|id| s.t.name(*id)).collect();
            // A grouped option counts once per server that could take it.
            let options: usize = p
                .affected
                .iter()
                .flat_map(|a| &a.options)
                .map(|o| o.among.as_ref().map_or(1, |m| m.len()))
                .sum();
            format!(
                "Failed: {}. {} lost, {} recovery options.",
                dpm_rules::and_list(&names),
                p.lost.len(),
                options
            )
        }
    }
}

/// "1 protection", "3 protections".
fn plural(n: usize, one: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {one}s")
    }
}

fn drawing_label(s: &State) -> String {
    let title = s.t.title.as_deref().unwrap_or("DPM scenario");
    format!(
        "The drawing: {title}, {} servers, {} protections",
        s.t.servers.len(),
        s.t.protections.len()
    )
}

/// While simulating, each server is a button named by its content, one tab
/// stop for the drawing (arrow keys move between servers).
fn servers_operable(d: &Element, s: &State) {
    let failed: HashSet<ServerId> = s.failed.iter().copied().collect();
    let stop_id = s.t.servers.get(s.focus).map(|v| v.id);
    for e in server_elements(d) {
        let id = id_of(&e);
        let down = id.is_some_and(|id| failed.contains(&id));
        let stop = id.is_some() && id == stop_id;
        let _ = e.set_attribute("tabindex", if stop { "0" } else { "-1" });
        let _ = e.set_attribute("role", "button");
        let _ = e.set_attribute("aria-pressed", if down { "true" } else { "false" });
        let _ = e.set_attribute("aria-describedby", "vw-how");
    }
    // A picture holds no controls: while its servers are buttons, the SVG
    // is a group of them.
    if let Some(svg) = d.query_selector("svg").ok().flatten() {
        let _ = svg.set_attribute("role", "group");
        let _ = svg.set_attribute("aria-label", &drawing_label(s));
    }
}

fn findings(doc: &Document, side: &Element, t: &Topology, findings: &[Finding]) {
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
        let src = f.source(t);
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
        "Click a server, or Tab to the drawing, choose a server with the arrow keys and press Enter, to fail it or bring it back. Escape stops.",
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
    impact(doc, side, t, p);
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

/// What the failure costs: data lost, data unprotected, data with fewer
/// copies, protections broken.
fn impact(doc: &Document, side: &Element, t: &Topology, p: &Plan) {
    let sources = |list: &[dpm_rules::DataSource]| -> Vec<String> {
        list.iter().map(|d| d.label(t)).collect()
    };
    let line = |class: &str, text: String| {
        let _ = side.append_child(&text_el(doc, "p", class, &text));
    };
    if !p.lost.is_empty() {
        line(
            "vw-lost",
            format!(
                "Lost, no copy survives: {}.",
                dpm_rules::and_list(&sources(&p.lost))
            ),
        );
    }
    if !p.unprotected.is_empty() {
        line(
            "vw-unprotected",
            format!(
                "Unprotected until recovered (the server is up, but no copy is left or no DPM server can back it up): {}.",
                dpm_rules::and_list(&sources(&p.unprotected))
            ),
        );
    }
    let fewer: Vec<String> = p
        .reduced
        .iter()
        .filter(|r| !p.lost.contains(&r.source) && !p.unprotected.contains(&r.source))
        .map(|r| r.source.label(t))
        .collect();
    if !fewer.is_empty() {
        let _ = side.append_child(&text_el(
            doc,
            "p",
            "vw-fewer",
            &format!(
                "Fewer copies, still protected: {}.",
                dpm_rules::and_list(&fewer)
            ),
        ));
    }
    if !p.broken.is_empty() {
        let _ = side.append_child(&text_el(
            doc,
            "p",
            "vw-quiet",
            &format!(
                "{} broken: each has a failed end.",
                plural(p.broken.len(), "protection")
            ),
        ));
    }
    if p.lost.is_empty() && p.unprotected.is_empty() {
        let _ = side.append_child(&text_el(
            doc,
            "p",
            "vw-quiet",
            "No data is lost: a copy of everything survives.",
        ));
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
    let _ = li.set_attribute("data-option", &o.key());
    let head = el(doc, "p", "vw-finding-head");
    let title = match &o.via {
        Some(v) => format!("{}{}{v}", o.kind.title(), o.via_joiner()),
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
    if let Some(among) = &o.among {
        let line = format!(
            "{} is one of {} DPM servers that could take it.",
            o.via.as_deref().unwrap_or_default(),
            among.len()
        );
        let _ = li.append_child(&text_el(doc, "p", "vw-note", &line));
    }
    li
}
