//! Starting the editor: what the last visit saved, the tab guard, the
//! shared context, the theme, and what the address asks for (`#s=`,
//! `#generate=N`, `#x=`), now and whenever the fragment changes.

use crate::browser::storage::stored;
use crate::ctx::{ctx, provide_editor_context, Ctx};
use crate::shell::theme::apply_theme;
use crate::state::editor::{HINT_KEY, SNAP_KEY, THEME_KEY};
use crate::state::persist::{autosave, restore};
use crate::state::tabs;
use crate::workshop::state as workshop;

use crate::browser::storage::keep_aside;
use crate::state::editor::Editor;

use dpm_rules::{apply_layout, from_share, generate, read_exercise, to_json};
use leptos::prelude::*;

/// Starts the editor on what the last visit saved (or the first visit's
/// drawing), saves every change from then on, guards against a second tab
/// on the same drawing, provides the shared context and opens what the
/// address asks for. Returns the context.
pub fn start() -> Ctx {
    let home = tabs::home_key();
    let (t, notice, first_visit) = restore(&home);
    let ed = Editor::new(t);
    ed.end_multi_selection_on_change();
    ed.save_key.set(home);
    autosave(ed);
    tabs::watch(ed);
    provide_editor_context(ed);
    let c = ctx();
    if notice.is_some() {
        ed.notice.set(notice);
    }
    ed.hint.set(first_visit && stored(HINT_KEY).is_none());
    if let Some(theme) = stored(THEME_KEY) {
        c.theme.set(theme);
    }
    if stored(SNAP_KEY).as_deref() == Some("0") {
        ed.snap.set(false);
    }
    crate::browser::effect(move || apply_theme(&c.theme.get()));
    open_from_hash(ed, c.ws);
    let hashchange =
        window_event_listener(leptos::ev::hashchange, move |_| open_from_hash(ed, c.ws));
    on_cleanup(move || hashchange.remove());
    c
}

/// The largest topology `#generate=N` makes.
pub const MAX_GENERATE: usize = dpm_rules::MAX_SERVERS;

/// Opens what the address's fragment asks for: a shared scenario (`#s=`)
/// or a generated one (`#generate=N`), each as one undoable step that keeps
/// the drawing it replaces. Then clears the fragment, so a reload does not
/// open it again.
pub fn open_from_hash(ed: Editor, ws: workshop::Workshop) {
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
                if ed.open(t) {
                ed.tell_step(
                    format!(
                        "Opened a generated topology of {n} server{}. Undo brings back your drawing.",
                        if n == 1 { "" } else { "s" }
                    ),
                    None,
                );
                }
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
                if ed.open(t) {
                    ed.tell_step(
                    format!(
                        "Opened the shared scenario “{title}”. Your own drawing is kept{}: Undo brings it back.",
                        if kept { " (Import offers it too)" } else { "" }
                    ),
                    Some("Bring back my drawing"),
                );
                }
            }
            Err(e) => ed.complain(format!(
                "This share link cannot be opened: {e}. Your drawing is unchanged."
            )),
        }
    }
}
