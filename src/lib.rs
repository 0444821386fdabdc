//! DPM Sketch, the app: views, event wiring, animation and browser storage.
//! Every decision about DPM is the rule crate's (`dpm-rules`).
//!
//! - [`state`]: the drawing, its undo history, selection, camera, autosave.
//! - [`canvas`]: the drawing and its gestures; [`palette`] adds servers.
//! - [`panels`]: properties, problems, the seeds' table.
//! - [`sim`]: the failover simulator; [`anim`]: its motion.
//! - [`io`]: export, import, share links, embed code; [`viewer`]: the
//!   read-only view for documentation pages.

// `f64::clamp` asserts its bounds with a message that formats floats with
// `Debug`, which links Rust's whole float formatter into the wasm (9.3 KB
// gzip of the app's bundle). `max(lo).min(hi)` says the same without it.
#![allow(clippy::manual_clamp)]

use leptos::prelude::*;
use wasm_bindgen::JsCast;

pub mod anim;
pub mod author;
pub mod canvas;
pub mod find;
pub mod io;
pub mod list;
pub mod markup;
pub mod minimap;
pub mod palette;
pub mod panels;
pub mod present;
pub mod risk;
pub mod sim;
pub mod state;
pub mod tabs;
pub mod viewer;
pub mod vlist;
pub mod workshop;

use dpm_rules::{
    apply_layout, extract, from_share, generate, paste, presets, read_exercise, to_json, Link,
    Point, ServerId, Summary, Topology, GRID,
};

use crate::canvas::{Canvas, Connect, FindingTip};
use crate::palette::{Armed, Palette};
use crate::panels::{FindingsPanel, PropertiesPanel, TablePanel};
use crate::sim::{Sim, SimPanel};
use crate::state::{
    keep_aside, restore, store, stored, Dialog, Editor, Mode, Notice, NoticeAction, Positions,
    HINT_KEY, THEME_KEY,
};

/// A copied server's host or database server that was not copied with it:
/// (its place among the copied servers, whether it is the host, the
/// original's id, its name).
type OutsideRef = (usize, bool, ServerId, String);

/// The hosts and database servers of `ids` that are not among `ids`, by
/// the copied server's place in the fragment `extract` makes.
fn outside_refs(t: &Topology, ids: &[ServerId]) -> Vec<OutsideRef> {
    let keep: std::collections::HashSet<ServerId> = ids.iter().copied().collect();
    let mut out = Vec::new();
    for (i, s) in t
        .servers
        .iter()
        .filter(|s| keep.contains(&s.id))
        .enumerate()
    {
        for (is_host, r) in [(true, s.host), (false, s.database)] {
            if let Some(r) = r.filter(|r| !keep.contains(r) && t.server(*r).is_some()) {
                out.push((i, is_host, r, t.name(r).to_string()));
            }
        }
    }
    out
}

/// Points the pasted servers `added` at the hosts and database servers
/// they had, where that server is still in `t` (same id, same name).
fn give_back_refs(t: &mut Topology, added: &[ServerId], refs: &[OutsideRef]) {
    for (i, is_host, orig, name) in refs {
        let (Some(&id), true) = (
            added.get(*i),
            t.server(*orig).is_some_and(|o| &o.name == name) && !added.contains(orig),
        ) else {
            continue;
        };
        if *is_host {
            if dpm_rules::refuse_host(t, id, *orig).is_none() {
                if let Some(s) = t.server_mut(id) {
                    s.host = Some(*orig);
                }
            }
        } else if let Some(s) = t.server_mut(id).filter(|s| s.is_dpm()) {
            s.database = Some(*orig);
        }
    }
}

/// The largest topology `#generate=N` makes.
pub const MAX_GENERATE: usize = dpm_rules::MAX_SERVERS;

/// What the pointer or keyboard focus is on, for the finding tip.
#[derive(Clone, Copy)]
pub struct Tip {
    pub server: RwSignal<Option<ServerId>>,
    pub link: RwSignal<Option<Link>>,
}

/// Whether the user asked for less motion.
pub fn reduced_motion() -> bool {
    window()
        .match_media("(prefers-reduced-motion: reduce)")
        .ok()
        .flatten()
        .is_some_and(|m| m.matches())
}

/// Everything the views find by context.
pub fn provide_editor_context(ed: Editor) {
    let ctx = Ctx {
        ed,
        pos: Positions::new(),
        cn: Connect::new(),
        svg: NodeRef::new(),
        tip: Tip {
            server: RwSignal::new(None),
            link: RwSignal::new(None),
        },
        armed: Armed(RwSignal::new(None)),
        sim: Sim::new(),
        rv: risk::RiskView::new(ed),
        ws: workshop::Workshop::new(ed),
        draft: author::Draft::new(),
        pr: present::Presenter::new(),
        lv: list::ListView::new(),
        find: RwSignal::new(false),
        minimap: RwSignal::new(None),
    };
    LAST_CTX.with(|c| c.set(Some(ctx)));
    provide_context(ctx);
}

thread_local! {
    /// The context last provided, for code that runs outside any view
    /// (window listeners, timers), where there is no owner to ask.
    static LAST_CTX: std::cell::Cell<Option<Ctx>> = const { std::cell::Cell::new(None) };
}

/// Everything the editor's views share, provided once and looked up once:
/// each type looked up by `expect_context` is its own copy of the lookup
/// and its panic message in the wasm (some 0.8 KB each).
#[derive(Clone, Copy)]
pub struct Ctx {
    pub ed: Editor,
    pub pos: Positions,
    pub cn: Connect,
    pub svg: NodeRef<leptos::svg::Svg>,
    pub tip: Tip,
    pub armed: Armed,
    pub sim: Sim,
    pub rv: risk::RiskView,
    pub ws: workshop::Workshop,
    pub draft: author::Draft,
    pub pr: present::Presenter,
    pub lv: list::ListView,
    /// The find bar is open.
    pub find: RwSignal<bool>,
    /// The user's choice to show the minimap; `None`: by the drawing's size.
    pub minimap: RwSignal<Option<bool>>,
}

/// The editor's shared state (see [`Ctx`]).
pub fn ctx() -> Ctx {
    use_context::<Ctx>()
        .or_else(|| LAST_CTX.with(|c| c.get()))
        .expect("the editor's context is provided before any view")
}

/// The whole app: the editor, or the viewer for `#view&s=...`.
#[component]
pub fn App() -> impl IntoView {
    let hash = window().location().hash().unwrap_or_default();
    if let Some(rest) = hash.strip_prefix("#view") {
        let payload = rest
            .split('&')
            .find_map(|p| p.strip_prefix("s="))
            .unwrap_or("");
        let scenario = if payload.is_empty() {
            Err("The address holds no scenario: it should end in #view&s=… as “Copy embed code” gives it.".to_string())
        } else {
            from_share(payload).map_err(|e| e.to_string())
        };
        return view! { <viewer::Viewer scenario=scenario /> }.into_any();
    }
    view! { <EditorApp /> }.into_any()
}

/// Opens what the address's fragment asks for: a shared scenario (`#s=`)
/// or a generated one (`#generate=N`), each as one undoable step that keeps
/// the drawing it replaces. Then clears the fragment, so a reload does not
/// open it again.
fn open_from_hash(ed: Editor, ws: workshop::Workshop) {
    let loc = window().location();
    let hash = loc.hash().unwrap_or_default();
    let Some(body) = hash.strip_prefix('#') else {
        return;
    };
    let clear = || {
        if let Ok(h) = window().history() {
            let url = format!(
                "{}{}",
                loc.pathname().unwrap_or_default(),
                loc.search().unwrap_or_default()
            );
            let _ = h.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url));
        }
    };
    if body.starts_with("x=") {
        // Already open (a reload keeps #x=, and opening sets it).
        if ws
            .active
            .with_untracked(|a| a.as_ref().is_some_and(|a| body[2..] == a.link))
        {
            return;
        }
        match read_exercise(body) {
            Ok(ex) => workshop::open(ed, ws, ex),
            Err(e) => {
                clear();
                ed.complain(format!(
                    "This exercise link cannot be opened: {e}. Your drawing is unchanged."
                ))
            }
        }
        return;
    }
    if let Some(n) = body.strip_prefix("generate=") {
        clear();
        match n.parse::<usize>() {
            Ok(n) if (1..=MAX_GENERATE).contains(&n) => {
                let mut t = generate(n);
                apply_layout(&mut t);
                ed.open(t);
                ed.tell(format!(
                    "Opened a generated topology of {n} servers. Undo brings back your drawing."
                ));
            }
            _ => ed.complain(format!(
                "#generate= takes a number of servers from 1 to {MAX_GENERATE}; “{n}” is not one. Your drawing is unchanged."
            )),
        }
        return;
    }
    if body.starts_with("s=") || body.contains("&s=") {
        let payload = body
            .split('&')
            .find_map(|p| p.strip_prefix("s="))
            .unwrap_or("");
        clear();
        match from_share(payload) {
            Ok(t) => {
                let before = ed.doc.with_untracked(to_json);
                let kept = keep_aside("before-link", &before).is_some();
                let title = t.title.clone().unwrap_or_else(|| "untitled".into());
                ed.open(t);
                ed.notice.set(Some(Notice {
                    error: false,
                    text: format!(
                        "Opened the shared scenario “{title}”. Your own drawing is kept{}: Undo brings it back.",
                        if kept { " (Import offers it too)" } else { "" }
                    ),
                    action: Some(NoticeAction::Undo("Bring back my drawing")),
                }));
            }
            Err(e) => ed.complain(format!(
                "This share link cannot be opened: {e}. Your drawing is unchanged."
            )),
        }
    }
}

fn in_field(target: Option<web_sys::EventTarget>) -> bool {
    target
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        .is_some_and(|e| {
            matches!(e.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT")
                || e.closest("[contenteditable]").ok().flatten().is_some()
        })
}

fn zoom_by(ed: Editor, factor: f64) {
    let (w, h) = ed.viewport.get_untracked();
    ed.camera
        .update(|c| *c = c.zoomed(factor, w / 2.0, h / 2.0));
}

/// Shows the minimap if hidden, hides it if shown.
fn toggle_minimap() {
    let c = crate::ctx();
    let n = c.ed.shown.with_untracked(|t| t.servers.len());
    let now = c
        .minimap
        .with_untracked(|m| m.unwrap_or(n > minimap::AUTO_FROM));
    c.minimap.set(Some(!now));
}

/// Zoom, fit, find and the minimap, over the canvas.
#[component]
pub fn ViewControls() -> impl IntoView {
    let ed = crate::ctx().ed;
    let find = crate::ctx().find;
    let mm = crate::ctx().minimap;
    view! {
        <div class="view-controls" role="group" aria-label="View" on:click=move |ev| {
            match clicked(&ev).and_then(|b| b.get_attribute("data-action")).as_deref() {
                Some("zoom-in") => zoom_by(ed, 1.25),
                Some("zoom-out") => zoom_by(ed, 0.8),
                Some("fit") => ed.request_fit(),
                Some("find") => find.update(|f| *f = !*f),
                Some("minimap") => toggle_minimap(),
                _ => {}
            }
        }>
            <button class="icon-button" data-action="zoom-in" aria-label="Zoom in" title="Zoom in (+)">"+"</button>
            <span class="zoom-level" aria-live="off">{move || format!("{}%", (ed.camera.get().k * 100.0).round() as i64)}</span>
            <button class="icon-button" data-action="zoom-out" aria-label="Zoom out" title="Zoom out (−)">"−"</button>
            <button class="icon-button" data-action="fit" aria-label="Fit to view" title="Fit to view (F)">"⤢"</button>
            <button class="icon-button" data-action="find" aria-label="Find a server" title="Find a server by name (/ or Ctrl+F)">"⌕"</button>
            <button class="icon-button" data-action="minimap" aria-label="Minimap" title="Minimap: the whole drawing, and where the view is (M)"
                aria-pressed=move || minimap::shown(mm, ed.shown.with(|t| t.servers.len())).to_string()>"▣"</button>
        </div>
    }
}

#[component]
fn NoticeBar() -> impl IntoView {
    let ed = crate::ctx().ed;
    let gen = StoredValue::new(0u32);
    // Plain information fades after a while; errors and offers stay.
    Effect::new(move |_| {
        let n = ed.notice.get();
        gen.update_value(|g| *g += 1);
        let mine = gen.get_value();
        if n.is_some_and(|n| !n.error && n.action.is_none()) {
            set_timeout(
                move || {
                    if gen.get_value() == mine {
                        ed.notice.set(None);
                    }
                },
                std::time::Duration::from_millis(6000),
            );
        }
    });
    // One handler for every button a notice may carry, by `data-action`.
    let on_click = move |ev: leptos::ev::MouseEvent| {
        let Some(action) = clicked(&ev).and_then(|b| b.get_attribute("data-action")) else {
            return;
        };
        match action.as_str() {
            "notice-undo" => {
                ed.undo();
                ed.notice.set(None);
            }
            "download-kept" => {
                let key = ed
                    .notice
                    .with_untracked(|n| match n.as_ref().map(|n| &n.action) {
                        Some(Some(NoticeAction::Download(key))) => Some(key.clone()),
                        _ => None,
                    });
                if let Some(text) = key.and_then(|k| stored(&k)) {
                    io::download("kept-drawing.txt", "text/plain", &text);
                }
            }
            "take-over" => tabs::take_over(ed),
            "open-copy" => tabs::open_copy(ed),
            "download-drawing" => {
                let text = ed.doc.with_untracked(dpm_rules::to_json);
                io::download("drawing.dpm.json", "application/json", &text);
            }
            "dismiss" => ed.notice.set(None),
            _ => {}
        }
    };
    let notice = move || {
        ed.notice.get().map(|n| {
            let action = n.action.clone().map(|a| match a {
                NoticeAction::Undo(label) => view! {
                    <button class="btn small" data-action="notice-undo">{label}</button>
                }
                .into_any(),
                NoticeAction::Download(_) => view! {
                    <button class="btn small" data-action="download-kept">"Download it"</button>
                }
                .into_any(),
                NoticeAction::Elsewhere => view! {
                    <button class="btn small primary" data-action="take-over">"Take over here"</button>
                    <button class="btn small" data-action="open-copy">"Open a copy"</button>
                }
                .into_any(),
                NoticeAction::DownloadDrawing => view! {
                    <button class="btn small primary" data-action="download-drawing">"Download your drawing"</button>
                }
                .into_any(),
            });
            view! {
                <div class=if n.error { "notice error" } else { "notice" } role=if n.error { "alert" } else { "status" }
                    data-testid="notice">
                    <span class="notice-text">{n.text.clone()}</span>
                    {action}
                    <button class="icon-button" data-action="dismiss" aria-label="Dismiss">"×"</button>
                </div>
            }
        })
    };
    view! { <div class="notice-slot" on:click=on_click>{notice}</div> }
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

/// Tells screen readers which findings an edit brought and which it
/// resolved: once per pause in editing (a second without a change), through
/// a polite live region, so a drag or a burst of keys is not read out step
/// by step.
#[component]
fn Announcer() -> impl IntoView {
    let ed = crate::ctx().ed;
    let said = RwSignal::new(String::new());
    // The findings as last announced; those of the drawing the page opens
    // with are not news.
    let known = StoredValue::new(ed.findings.get_untracked());
    let gen = StoredValue::new(0u32);
    Effect::new(move |_| {
        ed.findings.track();
        gen.update_value(|g| *g += 1);
        let mine = gen.get_value();
        set_timeout(
            move || {
                if gen.get_value() != mine {
                    return;
                }
                let now = ed.findings.get_untracked();
                let before = known.get_value();
                let mut text = String::new();
                // In a large estate, how many, not which: comparing every
                // finding with every other would stall the page.
                if now.len() + before.len() > 2000 {
                    if now.len() != before.len() {
                        text = format!("{} findings now; there were {}.", now.len(), before.len());
                    }
                } else {
                    for (head, these, those) in [
                        ("New finding:", &now, &before),
                        ("Resolved:", &before, &now),
                    ] {
                        // Findings compare by rule and message (the message
                        // names the servers), whatever their order.
                        let fresh: Vec<&dpm_rules::Finding> = these
                            .iter()
                            .filter(|f| {
                                !those
                                    .iter()
                                    .any(|g| g.rule == f.rule && g.message == f.message)
                            })
                            .collect();
                        for (i, f) in fresh.iter().enumerate() {
                            if i == 3 {
                                text.push_str(&format!(" And {} more.", fresh.len() - 3));
                                break;
                            }
                            text.push_str(&format!(" {head} {}: {}", f.rule.title(), f.message));
                        }
                    }
                }
                if !text.is_empty() {
                    said.set(text.trim_start().to_string());
                }
                known.set_value(now);
            },
            std::time::Duration::from_millis(1000),
        );
    });
    view! { <div class="sr-only" role="status" data-testid="announcer">{move || said.get()}</div> }
}

fn apply_theme(theme: &str) {
    if let Some(root) = document().document_element() {
        if theme == "light" || theme == "dark" {
            let _ = root.set_attribute("data-theme", theme);
        } else {
            let _ = root.remove_attribute("data-theme");
        }
    }
}

#[component]
fn EditorApp() -> impl IntoView {
    let home = tabs::home_key();
    let (t, notice, first_visit) = restore(&home);
    let ed = Editor::new(t, true, false);
    ed.save_key.set(home);
    tabs::watch(ed);
    provide_editor_context(ed);
    let sim = crate::ctx().sim;
    let cn = crate::ctx().cn;
    let armed = crate::ctx().armed.0;
    let rv = crate::ctx().rv;
    let ws = crate::ctx().ws;
    let pr = crate::ctx().pr;
    let lv = crate::ctx().lv;
    let find = crate::ctx().find;
    if notice.is_some() {
        ed.notice.set(notice);
    }
    ed.hint.set(first_visit && stored(HINT_KEY).is_none());
    open_from_hash(ed, ws);
    let hashchange = window_event_listener(leptos::ev::hashchange, move |_| open_from_hash(ed, ws));

    let theme = RwSignal::new(stored(THEME_KEY).unwrap_or_else(|| "system".into()));
    Effect::new(move |_| apply_theme(&theme.get()));
    let cycle_theme = move || {
        let next = match theme.get_untracked().as_str() {
            "system" => "light",
            "light" => "dark",
            _ => "system",
        };
        store(THEME_KEY, next);
        theme.set(next.to_string());
    };

    // Copy and paste of servers; pasted text from elsewhere goes to Import.
    let clip = StoredValue::new(None::<(Topology, String)>);
    // The copied servers' hosts and database servers left behind (the
    // fragment names only the ones copied too): by the copy's place in the
    // fragment, the original's id and name. A paste gives them back where
    // that server is still there under that name.
    let clip_refs = StoredValue::new(Vec::<OutsideRef>::new());
    let pastes = StoredValue::new(0u32);
    let import_prefill = RwSignal::new(None::<String>);
    let copy = window_event_listener(leptos::ev::copy, move |ev| {
        if in_field(ev.target()) || ed.mode.get_untracked() != Mode::Edit {
            return;
        }
        let ids = ed.selection.get_untracked();
        if ids.is_empty() {
            return;
        }
        let frag = ed.doc.with_untracked(|t| extract(t, &ids));
        clip_refs.set_value(ed.doc.with_untracked(|t| outside_refs(t, &ids)));
        let json = to_json(&frag);
        if let Some(dt) = ev.clipboard_data() {
            let _ = dt.set_data("text/plain", &json);
            ev.prevent_default();
        }
        ed.tell(format!(
            "Copied {} server{}.",
            ids.len(),
            if ids.len() == 1 { "" } else { "s" }
        ));
        clip.set_value(Some((frag, json)));
        pastes.set_value(0);
    });
    let on_paste = window_event_listener(leptos::ev::paste, move |ev| {
        if in_field(ev.target()) || ed.dialog.get_untracked().is_some() {
            return;
        }
        if ed.mode.get_untracked() != Mode::Edit {
            return;
        }
        let text = ev
            .clipboard_data()
            .and_then(|d| d.get_data("text/plain").ok())
            .unwrap_or_default();
        let ours = clip.with_value(|c| {
            c.as_ref()
                .filter(|(_, json)| text.trim().is_empty() || &text == json)
                .map(|(f, _)| f.clone())
        });
        if let Some(frag) = ours {
            ev.prevent_default();
            pastes.update_value(|n| *n += 1);
            let off = 40.0 * pastes.get_value() as f64;
            let mut t = ed.doc.get_untracked();
            let added = paste(&mut t, &frag, Point { x: off, y: off });
            clip_refs.with_value(|refs| give_back_refs(&mut t, &added, refs));
            ed.commit(t);
            ed.selection.set(added);
        } else if text.len() > 256 * 1024 {
            // Too long to look over in a text box (a browser takes seconds
            // to lay out megabytes in one): import it, or say why not.
            ev.prevent_default();
            if let Err(e) = io::import_text(ed, &text, "The pasted text") {
                ed.complain(e);
            }
        } else if !text.trim().is_empty() {
            ev.prevent_default();
            import_prefill.set(Some(text));
            ed.dialog.set(Some(Dialog::Import));
        }
    });

    let keys = window_event_listener(leptos::ev::keydown, move |ev| {
        let key = ev.key();
        if ed.mode.get_untracked() == Mode::Present {
            if !in_field(ev.target()) && present::key(ed, pr, &key) {
                ev.prevent_default();
            }
            return;
        }
        let ctrl = ev.ctrl_key() || ev.meta_key();
        if key == "Escape" {
            if ed.dialog.get_untracked().is_some() {
                ed.dialog.set(None);
            } else if cn.from.get_untracked().is_some() {
                cn.cancel();
            } else if armed.get_untracked().is_some() {
                armed.set(None);
            } else if find.get_untracked() {
                find.set(false);
            } else if in_field(ev.target()) {
                if let Some(el) = ev
                    .target()
                    .and_then(|t| t.dyn_into::<web_sys::HtmlElement>().ok())
                {
                    let _ = el.blur();
                }
            } else if sim.player.with_untracked(|p| p.is_some()) {
                sim::stop(ed, sim);
            } else if ed.mode.get_untracked() == Mode::Simulate {
                sim::reset(ed, sim);
            } else {
                ed.selection.set(Vec::new());
                ed.selected_link.set(None);
            }
            return;
        }
        if in_field(ev.target()) || ed.dialog.get_untracked().is_some() {
            return;
        }
        let editing = ed.mode.get_untracked() == Mode::Edit;
        let lower = key.to_ascii_lowercase();
        match (ctrl, lower.as_str()) {
            (true, "z") if ev.shift_key() => {
                ev.prevent_default();
                ed.redo();
            }
            (true, "z") => {
                ev.prevent_default();
                ed.undo();
            }
            (true, "y") => {
                ev.prevent_default();
                ed.redo();
            }
            (true, "a") if editing => {
                ev.prevent_default();
                ed.selection.set(
                    ed.doc
                        .with_untracked(|t| t.servers.iter().map(|s| s.id).collect()),
                );
            }
            (false, "delete") | (false, "backspace") if editing => {
                ev.prevent_default();
                ed.delete_selection();
            }
            (false, "arrowleft" | "arrowright" | "arrowup" | "arrowdown") if editing => {
                let ids = ed.selection.get_untracked();
                if ids.is_empty() {
                    return;
                }
                ev.prevent_default();
                let step = if ev.shift_key() { 5.0 * GRID } else { GRID };
                let (dx, dy) = match lower.as_str() {
                    "arrowleft" => (-step, 0.0),
                    "arrowright" => (step, 0.0),
                    "arrowup" => (0.0, -step),
                    _ => (0.0, step),
                };
                ed.edit(|t| {
                    for id in &ids {
                        if let Some(s) = t.server_mut(*id) {
                            if let Some(p) = s.pos.as_mut() {
                                p.x += dx;
                                p.y += dy;
                            }
                        }
                    }
                });
            }
            (false, "+" | "=") => zoom_by(ed, 1.25),
            (false, "-" | "_") => zoom_by(ed, 0.8),
            (false, "f") => ed.request_fit(),
            (false, "s") => {
                if editing {
                    sim::enter(ed, sim);
                } else {
                    sim::reset(ed, sim);
                }
            }
            (false, "?") => ed.dialog.set(Some(Dialog::Keys)),
            (false, "/") | (true, "f") => {
                ev.prevent_default();
                // Open, or (already open) back into its field.
                if !find.get_untracked() {
                    find.set(true);
                } else if let Some(i) = document()
                    .query_selector(".find-bar input")
                    .ok()
                    .flatten()
                    .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
                {
                    let _ = i.focus();
                }
            }
            (false, "l") => lv.toggle(),
            (false, "m") => toggle_minimap(),
            _ => {}
        }
    });
    on_cleanup(move || {
        hashchange.remove();
        copy.remove();
        on_paste.remove();
        keys.remove();
    });

    let title = move || ed.doc.with(|t| t.title.clone().unwrap_or_default());
    let summary = Memo::new(move |_| ed.findings.with(|f| Summary::of(f)));
    let status_class = move || {
        let s = summary.get();
        if s.errors > 0 {
            "status error"
        } else if s.warnings > 0 {
            "status warning"
        } else {
            "status ok"
        }
    };
    let simulating = move || ed.mode.get() == Mode::Simulate;
    let presenting = move || ed.mode.get() == Mode::Present;
    let (preset_change, preset_key) = menu_select(Callback::new(move |id: String| {
        if let Some(t) = presets::preset(&id) {
            ed.open(t);
        }
    }));
    let theme_label = move || match theme.get().as_str() {
        "light" => "☀ Light",
        "dark" => "☾ Dark",
        _ => "◐ Auto",
    };
    // One handler for the whole toolbar, by the buttons' `data-action`
    // (the automation surface): a closure per button cost the bundle some
    // 0.8 KB each.
    let on_tool = move |ev: leptos::ev::MouseEvent| {
        let Some(button) = clicked(&ev) else {
            return;
        };
        let dialog = |d| ed.dialog.set(Some(d));
        match button.get_attribute("data-action").as_deref().unwrap_or("") {
            "new" => dialog(Dialog::ConfirmNew),
            "author" => dialog(Dialog::Author),
            "undo" => ed.undo(),
            "redo" => ed.redo(),
            "layout" => {
                ed.edit(apply_layout);
                ed.request_fit();
            }
            "snap" => ed.snap.update(|s| *s = !*s),
            "simulate" if simulating() => sim::reset(ed, sim),
            "simulate" => sim::enter(ed, sim),
            "list" => lv.toggle(),
            "risk" => rv.on.update(|r| *r = !*r),
            "copies" => ed.copies.update(|c| *c = !*c),
            "import" => dialog(Dialog::Import),
            "export" => dialog(Dialog::Export),
            "share" => dialog(Dialog::Share),
            "embed" => dialog(Dialog::Embed),
            "theme" => cycle_theme(),
            "present" => present::enter(ed, pr),
            "keys" => dialog(Dialog::Keys),
            _ => {}
        }
    };

    view! {
        <div class="app" class:simulating=simulating class:presenting=presenting>
            <header class="app-header">
                <div class="brand">
                    <svg class="logo" viewBox="0 0 32 32" aria-hidden="true">
                        <rect x="3" y="3" width="26" height="11" rx="3" />
                        <rect x="3" y="18" width="26" height="11" rx="3" class="logo-lower" />
                        <path d="M16 14 L16 18" />
                    </svg>
                    <h1 class="product">"DPM Sketch"</h1>
                </div>
                <span class="scenario-title" data-testid="scenario-title">{title}</span>
                <span class="mode-badge" class:hidden=move || !simulating()>"Simulating"</span>
                <span class=status_class data-testid="status" role="status">{move || summary.get().status()}</span>
            </header>
            <div class="toolbar" role="toolbar" aria-label="Commands" on:click=on_tool>
                <div class="tool-group">
                    <button class="tool" data-action="new" title="New drawing">"New"</button>
                    <select class="tool" data-action="preset" aria-label="Open a preset" on:change=preset_change on:keydown=preset_key>
                        <option value="">"Presets…"</option>
                        {presets::PRESETS.iter().map(|p| view! { <option value=p.id>{p.title}</option> }).collect_view()}
                    </select>
                    <workshop::ExercisePicker />
                    <button class="tool" data-action="author" title="Make an exercise of this drawing: a task, goals, hints; then a link or a file">"Make exercise"</button>
                </div>
                <div class="tool-group">
                    <button class="tool" data-action="undo" title="Undo (Ctrl+Z)" aria-label="Undo" disabled=move || !ed.can_undo()>"↶"</button>
                    <button class="tool" data-action="redo" title="Redo (Ctrl+Shift+Z)" aria-label="Redo" disabled=move || !ed.can_redo()>"↷"</button>
                </div>
                <div class="tool-group">
                    <button class="tool" data-action="layout" title="Auto-layout: lay the drawing out in layers">"Layout"</button>
                    <button class="tool" data-action="snap" aria-pressed=move || ed.snap.get().to_string()
                        title="Snap to the grid while moving (hold Alt to place freely)">"Snap"</button>
                </div>
                <div class="tool-group">
                    <button class="tool accent" data-action="simulate" aria-pressed=move || simulating().to_string()
                        title="Fail servers and see what DPM lets you do (S)">
                        {move || if simulating() { "■ Stop simulating" } else { "⚡ Simulate" }}
                    </button>
                    <button class="tool" data-action="list" aria-pressed=move || lv.on.get().to_string()
                        title="The drawing as a list: every server, its protections and findings; edit from it (L)">"List"</button>
                    <button class="tool" data-action="risk" aria-pressed=move || rv.on.get().to_string()
                        title="Single points of failure, and the protections that would remove them">"Risk"</button>
                    <button class="tool" data-action="copies" aria-pressed=move || ed.copies.get().to_string()
                        title="Show where the copies are: replication along every protection, and what each DPM server holds">"Copies"</button>
                </div>
                <div class="tool-group">
                    <button class="tool" data-action="import" title="Open a file, or paste JSON, a table or a link">"Import"</button>
                    <button class="tool" data-action="export" title="JSON, table, Mermaid, DOT, SVG, PNG">"Export"</button>
                    <button class="tool" data-action="share" title="A link with the whole scenario in it">"Share"</button>
                    <button class="tool" data-action="embed" title="Code for a documentation page">"Embed"</button>
                </div>
                <div class="tool-group end">
                    <button class="tool" data-action="theme" title="Theme: light, dark, or as the system says (Auto)"
                        aria-label=move || format!("Theme: {}", theme_label())>{move || theme_label().split(' ').next().unwrap_or("◐").to_string()}</button>
                    <button class="tool" data-action="present" title="Present on a projector: full screen, scenes walked with PageDown/PageUp">"Present"</button>
                    <button class="tool" data-action="keys" title="Keyboard shortcuts (?)" aria-label="Keyboard shortcuts">"?"</button>
                </div>
            </div>
            <NoticeBar />
            <Announcer />
            <main class="workspace">
                <Palette />
                <div class="canvas-col">
                    <Canvas />
                    <FindingTip />
                    <ViewControls />
                    <minimap::Minimap />
                    <find::FindBar />
                    <Show when=move || ed.hint.get()>
                        <div class="first-hint" role="note">
                            <span>"Drag a server from the palette onto the canvas. To protect, drag from the dot under a DPM server onto another server. Press ? for the keyboard."</span>
                            <button class="icon-button" aria-label="Dismiss the hint" on:click=move |_| {
                                store(HINT_KEY, "1");
                                ed.hint.set(false);
                            }>"×"</button>
                        </div>
                    </Show>
                </div>
                <aside class="side" aria-label="Details">
                    <Show when=move || ws.active.with(|a| a.is_some())>
                        <workshop::TaskPanel />
                    </Show>
                    <Show when=simulating fallback=move || view! {
                        <Show when=move || lv.on.get()>
                            <list::ServersList />
                        </Show>
                        <Show when=move || rv.on.get()>
                            <risk::RiskPanel />
                        </Show>
                        <PropertiesPanel />
                        <sim::Walkthrough />
                        <FindingsPanel />
                        <TablePanel />
                    }>
                        <SimPanel />
                        <FindingsPanel />
                    </Show>
                </aside>
            </main>
            <Show when=presenting>
                <present::PresenterBar />
            </Show>
            <io::Dialogs import_text=import_prefill />
        </div>
    }
}
