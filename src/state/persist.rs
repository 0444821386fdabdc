//! Keeping the drawing: opening what the last visit saved, and saving after
//! every change (the save `Effect`, which hands over to [`super::tabs`] when
//! another tab holds the same drawing).

use crate::state::editor::Notice;

use crate::browser::storage::keep_aside;
use crate::browser::storage::stored;
use crate::state::editor::Editor;
use crate::state::editor::NoticeAction;

use dpm_rules::{apply_layout, from_json, to_json, Topology, MAX_INPUT_BYTES};
use leptos::prelude::*;

/// What the editor opens on: the saved drawing, or Scenario 1 on a first
/// visit. A save that cannot be read is kept aside, never overwritten.
pub fn restore(key: &str) -> (Topology, Option<Notice>, bool) {
    let Some(text) = stored(key) else {
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

/// Saves the drawing of `ed` under its `save_key` after every change of the
/// drawing (not of a preview), unless another tab holds it.
pub fn autosave(ed: Editor) {
    let doc = ed.doc;
    // Save after every change of the drawing (not of a preview).
    // Effects first run a tick late, after a link or #generate may
    // already have replaced the drawing: compare with what is
    // stored rather than skip the first run.
    // What was last saved (or found in storage), so a change that
    // leaves the text as it was writes nothing.
    let last = ed.saved;
    let save_key = ed.save_key;
    crate::browser::effect(move || {
        let key = save_key.get();
        // The page's crash guard (index.html) offers what is saved
        // under this key if the app ever stops.
        if let Some(root) = document().document_element() {
            let _ = root.set_attribute("data-save-key", &key);
        }
        doc.track();
        if ed.elsewhere.get() {
            // Another tab has it: nothing is written; an edit here
            // brings the choice back if it was dismissed.
            if ed.notice.with_untracked(|n| {
                n.as_ref().and_then(|n| n.action.as_ref()) != Some(&NoticeAction::Elsewhere)
            }) {
                crate::state::tabs::away(ed, false);
            }
            return;
        }
        let now = stored(&key).unwrap_or_default();
        if last.with_value(|l| l.as_ref().is_none_or(|(k, _)| *k != key)) {
            last.set_value(Some((key.clone(), now.clone())));
        }
        // Another tab wrote since this one last did: never over it.
        if last.with_value(|l| l.as_ref().is_some_and(|(_, t)| *t != now)) {
            crate::state::tabs::away(ed, false);
            return;
        }
        let text = doc.with_untracked(to_json);
        // A refused save is tried again on the next change.
        if text != now && ed.save(&key, &text) {
            last.set_value(Some((key, text)));
        }
    });
}
