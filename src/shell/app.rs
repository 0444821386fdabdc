//! The whole app: the editor with its header, toolbar, workspace and
//! dialogs, or the viewer for `#view&s=...`.

use crate::browser::dom::in_field;
use crate::ctx::provide_editor_context;
use crate::io::state as io;
use crate::present::bar::PresenterBar;
use crate::present::state as present;
use crate::shell::announcer::Announcer;
use crate::shell::boot::open_from_hash;
use crate::shell::clipboard::give_back_refs;
use crate::shell::clipboard::outside_refs;
use crate::shell::clipboard::OutsideRef;
use crate::shell::dialogs::Dialogs;
use crate::shell::notice::NoticeBar;
use crate::shell::theme::apply_theme;
use crate::shell::view_controls::toggle_minimap;
use crate::shell::view_controls::zoom_by;
use crate::sim::state as sim;
use crate::sim::walkthrough::Walkthrough;
use crate::workshop::task::{ExercisePicker, TaskPanel};

use crate::browser::dom::clicked;
use crate::browser::dom::menu_select;
use crate::browser::storage::store;
use crate::browser::storage::stored;
use crate::canvas::find;
use crate::canvas::minimap;
use crate::canvas::palette::Palette;
use crate::canvas::tips::FindingTip;
use crate::canvas::Canvas;
use crate::panels::findings::FindingsPanel;
use crate::panels::list;
use crate::panels::properties::PropertiesPanel;
use crate::panels::risk;
use crate::panels::table::TablePanel;
use crate::shell::view_controls::ViewControls;
use crate::shell::viewer;
use crate::sim::panel::SimPanel;
use crate::state::editor::Dialog;
use crate::state::editor::Editor;
use crate::state::editor::Mode;
use crate::state::editor::HINT_KEY;
use crate::state::editor::THEME_KEY;
use crate::state::persist::restore;
use crate::state::tabs;

use dpm_rules::{
    apply_layout, extract, from_share, paste, presets, to_json, Point, Summary, Topology, GRID,
};
use leptos::prelude::*;
use wasm_bindgen::JsCast;

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

#[component]
fn EditorApp() -> impl IntoView {
    let home = tabs::home_key();
    let (t, notice, first_visit) = restore(&home);
    let ed = Editor::new(t, false);
    ed.save_key.set(home);
    crate::state::persist::autosave(ed);
    tabs::watch(ed);
    provide_editor_context(ed);
    let sim = crate::ctx::ctx().sim;
    let cn = crate::ctx::ctx().cn;
    let armed = crate::ctx::ctx().armed.0;
    let rv = crate::ctx::ctx().rv;
    let ws = crate::ctx::ctx().ws;
    let pr = crate::ctx::ctx().pr;
    let lv = crate::ctx::ctx().lv;
    let find = crate::ctx::ctx().find;
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
            if let Err(e) = io::import_text(ed, ws, &text, "The pasted text") {
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
            "present" => present::enter(ed, pr, sim),
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
                    <ExercisePicker />
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
                        <TaskPanel />
                    </Show>
                    <Show when=simulating fallback=move || view! {
                        <Show when=move || lv.on.get()>
                            <list::ServersList />
                        </Show>
                        <Show when=move || rv.on.get()>
                            <risk::RiskPanel />
                        </Show>
                        <PropertiesPanel />
                        <Walkthrough />
                        <FindingsPanel />
                        <TablePanel />
                    }>
                        <SimPanel />
                        <FindingsPanel />
                    </Show>
                </aside>
            </main>
            <Show when=presenting>
                <PresenterBar />
            </Show>
            <Dialogs import_text=import_prefill />
        </div>
    }
}
