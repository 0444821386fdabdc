//! One drawing open in two tabs. Every tab saves on every change, so two
//! tabs on one drawing would overwrite each other's work, each unaware.
//!
//! Two guards stop that. Tabs say which drawing they opened on a
//! `BroadcastChannel`; a tab that learns another has it open stops saving
//! and asks its user to choose: take over here (the other tab stops), or
//! open a copy saved apart. And whatever the messages do, a tab never
//! writes over a save it did not make or read: before each save it checks
//! that storage still holds what it last saved, and when another tab wrote
//! since, it stops and asks the same question instead. A tab asks again
//! each time it opens a drawing under another key (an exercise, its own
//! drawing again). Without storage (site data blocked) nothing is shared,
//! and there is no guard: the autosave says the drawing is not saved.

use crate::state::editor::Notice;

use crate::browser::storage::stored;
use crate::browser::storage::stored_js;
use crate::browser::storage::KEPT_PREFIX;
use crate::state::editor::Editor;
use crate::state::editor::NoticeAction;
use crate::state::editor::SAVE_KEY;

use std::cell::RefCell;

use leptos::prelude::*;
use wasm_bindgen::{closure::Closure, JsCast, JsValue};
use web_sys::{BroadcastChannel, MessageEvent};

use dpm_rules::from_json;

/// Where a tab that opened a copy remembers the copy's key: in the tab's
/// session storage, so a reload of that tab reopens its copy.
const TAB_KEY: &str = "dpm-sketch/tab-saves-to";

thread_local! {
    /// What this tab last saved or read under which key: the browser's own
    /// string (null when the key held nothing), compared by the browser
    /// (`===`) with what the key holds before each save. Kept in the
    /// browser, not copied into the wasm: a drawing of 10,000 servers is
    /// 2 MB of text, and wasm memory never shrinks. One per page, as the
    /// page has one editor.
    static SAVED: RefCell<Option<(String, JsValue)>> = const { RefCell::new(None) };
}

/// Remembers `text` (a browser string, or null) as what this tab saved or
/// read under `key`.
pub fn remember(key: &str, text: JsValue) {
    SAVED.with(|s| *s.borrow_mut() = Some((key.to_string(), text)));
}

/// Whether `text` (what `key` holds now: a browser string, or null) is
/// what this tab last saved or read there: `Some(false)` when another tab
/// wrote there since, `None` when this tab last saved or read under another
/// key, or nothing yet.
pub fn remembered(key: &str, text: &JsValue) -> Option<bool> {
    SAVED.with(|s| {
        s.borrow()
            .as_ref()
            .filter(|(k, _)| k == key)
            .map(|(_, t)| t == text)
    })
}

/// What `key` holds, as text (`None` when nothing), remembered as read
/// ([`remember`]): a drawing opened from storage is one this tab read, so
/// that a save after it never writes over another tab's write in between.
pub fn read(key: &str) -> Option<String> {
    let text = stored_js(key);
    let out = text.as_string();
    remember(key, text);
    out
}

thread_local! {
    static CHANNEL: RefCell<Option<BroadcastChannel>> = const { RefCell::new(None) };
}

fn session() -> Option<web_sys::Storage> {
    window().session_storage().ok().flatten()
}

/// The key this tab's own drawing is saved under: its copy, if it opened
/// one (and the copy is still there), else the shared drawing.
pub fn home_key() -> String {
    session()
        .and_then(|s| s.get_item(TAB_KEY).ok().flatten())
        .filter(|k| stored(k).is_some())
        .unwrap_or_else(|| SAVE_KEY.to_string())
}

fn post(kind: &str, key: &str) {
    CHANNEL.with(|c| {
        if let Some(c) = c.borrow().as_ref() {
            let _ = c.post_message(&JsValue::from_str(&format!("{kind}\n{key}")));
        }
    });
}

/// Another tab has this drawing: stop saving and say so, with the choice.
pub fn away(ed: Editor, taken: bool) {
    ed.elsewhere.set(true);
    ed.notice.set(Some(Notice {
        error: true,
        text: if taken {
            "Another tab took this drawing over. This tab no longer saves it, so neither overwrites the other: take it back here, or keep what is here as a copy."
        } else {
            "This drawing is open in another tab. This tab does not save it, so neither overwrites the other: take it over here (the other tab stops saving), or open a copy saved apart."
        }
        .into(),
        action: Some(NoticeAction::Elsewhere),
        about: crate::state::editor::About::App,
    }));
}

/// Starts listening to the other tabs, and says hello each time this tab
/// opens a drawing (its own, an exercise, a copy), asking again whether
/// another tab has it. Without storage there is nothing shared to guard,
/// and it does nothing.
pub fn watch(ed: Editor) {
    if crate::browser::storage::storage().is_none() {
        // No storage: each tab's drawing is its own, nothing is shared to
        // overwrite, and no tab saves (`persist` says so).
        return;
    }
    let Ok(channel) = BroadcastChannel::new("dpm-sketch") else {
        return; // No channel: the check before each save still guards.
    };
    let on_message = Closure::<dyn Fn(MessageEvent)>::new(move |ev: MessageEvent| {
        let text = ev.data().as_string().unwrap_or_default();
        let Some((kind, key)) = text.split_once('\n') else {
            return;
        };
        if key != ed.save_key.get_untracked() || ed.elsewhere.get_untracked() {
            return;
        }
        match kind {
            "hello" => post("here", key),
            "here" => away(ed, false),
            "taken" => away(ed, true),
            _ => {}
        }
    });
    channel.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    on_message.forget();
    CHANNEL.with(|c| *c.borrow_mut() = Some(channel));
    crate::browser::effect(move || {
        let key = ed.save_key.get();
        // A drawing opened under a key (an exercise, one's own again): that
        // another tab had the last one says nothing of this one, and the
        // other tabs' answers to the hello say again. (What this tab read
        // there is remembered, so no save goes over another tab's write
        // before an answer comes.)
        if ed.elsewhere.get_untracked() {
            ed.elsewhere.set(false);
            let elsewhere = ed.notice.with_untracked(|n| {
                n.as_ref()
                    .is_some_and(|n| n.action == Some(NoticeAction::Elsewhere))
            });
            if elsewhere {
                ed.notice.set(None);
            }
        }
        post("hello", &key);
    });
}

/// "Take over here": this tab saves the drawing again and the other stops.
/// If the other tab changed it since this one last read it, its version is
/// opened as one undoable step, so this tab's is one Undo away.
pub fn take_over(ed: Editor) {
    let key = ed.save_key.get_untracked();
    let theirs = stored_js(&key);
    let known = remembered(&key, &theirs) == Some(true);
    remember(&key, theirs.clone());
    post("taken", &key);
    ed.notice.set(None);
    if !known {
        if let Ok(t) = from_json(&theirs.as_string().unwrap_or_default()) {
            ed.commit(t);
            ed.tell_step(
                "This tab has the drawing now, as the other tab left it; Undo brings back what this tab showed.",
                None,
            );
        }
    } else {
        ed.tell("This tab has the drawing now; the other tab stopped saving it.");
    }
    ed.elsewhere.set(false);
}

/// "Open a copy": this tab's drawing is saved apart from now on (listed
/// under Import's kept drawings); the other tab keeps the original.
pub fn open_copy(ed: Editor) {
    let key = format!("{KEPT_PREFIX}{}-copy", js_sys::Date::now() as u64);
    if let Some(s) = session() {
        let _ = s.set_item(TAB_KEY, &key);
    }
    ed.notice.set(None);
    ed.save_key.set(key);
    ed.elsewhere.set(false);
    ed.tell("This tab now edits a copy, saved apart; the other tab keeps the original. Import lists the copy among kept drawings.");
}
