//! Keeping the drawing: opening what the last visit saved, and saving it
//! once it rests after a change (the save `Effect` and its timer, which hand
//! over to [`super::tabs`] when another tab holds the same drawing).

use crate::state::editor::Notice;

use crate::browser::storage::keep_aside;
use crate::browser::storage::stored_js;
use crate::state::editor::Editor;
use crate::state::editor::NoticeAction;
use crate::state::tabs::{read, remember, remembered};

use std::cell::Cell;

use dpm_rules::{apply_layout, from_json, to_json, Topology, MAX_INPUT_BYTES};
use leptos::prelude::*;
use wasm_bindgen::JsValue;

/// What the editor opens on: the saved drawing, or Scenario 1 on a first
/// visit. A save that cannot be read is kept aside, never overwritten.
pub fn restore(key: &str) -> (Topology, Option<Notice>, bool) {
    let Some(text) = read(key) else {
        return (dpm_rules::presets::scenario_1(), None, true);
    };
    if text.len() > MAX_INPUT_BYTES {
        let key = keep_aside("too-large", &text);
        return (
            dpm_rules::presets::scenario_1(),
            Some(unreadable_notice(
                "it is larger than this version reads",
                key,
            )),
            false,
        );
    }
    match from_json(&text) {
        Ok(mut t) => {
            if t.servers.iter().any(|s| s.pos.is_none()) {
                apply_layout(&mut t);
            }
            (t, None, false)
        }
        Err(e) => {
            let key = keep_aside("unreadable", &text);
            (
                dpm_rules::presets::scenario_1(),
                Some(unreadable_notice(&e.to_string(), key)),
                false,
            )
        }
    }
}

fn unreadable_notice(why: &str, key: Option<String>) -> Notice {
    Notice {
        error: true,
        text: format!(
            "Your saved drawing could not be opened ({why}). It is kept aside, not overwritten: download it, or bring it back from Import."
        ),
        action: key.map(NoticeAction::Download),
        about: crate::state::editor::About::App,
    }
}

/// How long the drawing rests before it is saved, in ms: a burst of edits
/// (an arrow key held, a run of undos) is saved once, after it, and never
/// inside an edit's frame.
const QUIET_MS: f64 = 250.0;
/// The longest a change waits to be saved while edits keep coming, in ms.
const MOST_MS: f64 = 2000.0;

thread_local! {
    /// A save to come: since when the drawing is unsaved, and the number
    /// of the timer that makes it (each change starts one; only the last
    /// saves, and only it may: the others find a newer number and do
    /// nothing, which spares a clearTimeout binding in the wasm).
    static PENDING: Cell<Option<(f64, u32)>> = const { Cell::new(None) };
    /// Whether the user was told that no drawing is saved (no storage).
    static TOLD_UNSAVED: Cell<bool> = const { Cell::new(false) };
    static TIMERS: Cell<u32> = const { Cell::new(0) };
}

/// Saves the drawing of `ed` under its `save_key` once it rests after a
/// change (not of a preview), unless another tab holds it; at once when
/// the page is hidden or left (a reload, a closed tab), so no change is
/// lost to the wait.
pub fn autosave(ed: Editor) {
    let save_key = ed.save_key;
    crate::browser::effect(move || {
        let key = save_key.get();
        // The page's crash guard (index.html) offers what is saved
        // under this key if the app ever stops.
        // (Written when it changes only: this runs at every edit.)
        if let Some(root) = document().document_element() {
            if root.get_attribute("data-save-key").as_deref() != Some(key.as_str()) {
                let _ = root.set_attribute("data-save-key", &key);
            }
        }
        ed.doc.track();
        if ed.elsewhere.get() {
            // Another tab has it: nothing is written (nor waits to be);
            // an edit here brings the choice back if it was dismissed.
            flush(ed);
            if ed.notice.with_untracked(|n| {
                n.as_ref().and_then(|n| n.action.as_ref()) != Some(&NoticeAction::Elsewhere)
            }) {
                crate::state::tabs::away(ed, false);
            }
            return;
        }
        // Effects first run a tick late, after a link or #generate may
        // already have replaced the drawing: the save compares with what
        // is stored rather than skip the first run.
        schedule(ed);
    });
    for event in ["pagehide", "visibilitychange"] {
        let handle = window_event_listener_untyped(event, move |_| {
            let pending = PENDING.with(|p| p.get().is_some());
            if pending && (event == "pagehide" || document().hidden()) {
                flush(ed);
            }
        });
        // The page's whole life.
        std::mem::forget(handle);
    }
}

/// Asks for a save once the drawing has rested [`QUIET_MS`] (or has waited
/// [`MOST_MS`] since its first unsaved change).
fn schedule(ed: Editor) {
    let now = js_sys::Date::now();
    let since = PENDING.with(|p| p.get()).map_or(now, |p| p.0);
    let n = TIMERS.with(|t| {
        t.set(t.get().wrapping_add(1));
        t.get()
    });
    let was = PENDING.with(|p| p.replace(Some((since, n))));
    if was.is_none() {
        mark_pending(true);
    }
    let wait = QUIET_MS.min(since + MOST_MS - now).max(0.0);
    set_timeout(
        move || {
            if PENDING.with(|p| p.get()).is_some_and(|p| p.1 == n) {
                flush(ed);
            }
        },
        std::time::Duration::from_millis(wait as u64),
    );
}

/// `data-save-pending` on the page's root while a change waits to be
/// saved: what tests (and anyone reading storage) wait for.
fn mark_pending(pending: bool) {
    if let Some(root) = document().document_element() {
        let _ = if pending {
            root.set_attribute("data-save-pending", "")
        } else {
            root.remove_attribute("data-save-pending")
        };
    }
}

/// Saves the drawing now if it changed since it was saved (and no other
/// tab holds it): before the page goes, and before the drawing saved
/// under another key replaces it (opening or leaving an exercise).
pub fn flush(ed: Editor) {
    PENDING.with(|p| p.set(None));
    save(ed);
}

/// Writes the drawing under its key unless the text there is already it;
/// stops, and asks, when another tab wrote there since this one did. With
/// no storage, says once that the drawing is not saved.
fn save(ed: Editor) {
    mark_pending(false);
    if ed.elsewhere.get_untracked() {
        return;
    }
    // Nowhere to save (site data blocked, a sandboxed frame): nothing to
    // write, and no other tab's write to guard against (null read back
    // after a save that could not be made is no other tab's). Said once,
    // when no other notice is up (a link's, say: tried again at the next
    // save).
    if crate::browser::storage::storage().is_none() {
        if !TOLD_UNSAVED.with(|t| t.get()) && ed.notice.with_untracked(|n| n.is_none()) {
            TOLD_UNSAVED.with(|t| t.set(true));
            ed.notice.set(Some(Notice {
                error: true,
                text: "This browser keeps no data for this page (site data blocked, or a private or embedded window), so your drawing is not being saved: it is lost when you leave or reload. Download it to keep it; Import opens the file again.".into(),
                action: Some(NoticeAction::DownloadDrawing),
                about: crate::state::editor::About::App,
            }));
        }
        return;
    }
    let key = ed.save_key.get_untracked();
    let now = stored_js(&key);
    match remembered(&key, &now) {
        None => remember(&key, now.clone()),
        // Another tab wrote since this one last did: never over it.
        Some(false) => {
            crate::state::tabs::away(ed, false);
            return;
        }
        Some(true) => {}
    }
    // A change that leaves the text as stored writes nothing.
    let text = JsValue::from_str(&ed.doc.with_untracked(to_json));
    if text == now {
        return;
    }
    // A refused save is tried again on the next change.
    if ed.save(&key, &text) {
        remember(&key, text);
    }
}
