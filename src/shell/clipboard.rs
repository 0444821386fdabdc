//! Copy and paste of servers: the clipboard listeners, and keeping a
//! pasted guest's host and a pasted DPM server's database server.

use leptos::prelude::*;

use dpm_rules::{extract, paste, to_json, Point, ServerId, Topology};

use crate::browser::dom::in_field;
use crate::ctx::Ctx;
use crate::io::state::import_text;
use crate::state::editor::{Dialog, Mode};

/// Copy and paste of servers while editing. A copy puts the selected
/// servers on the clipboard as scenario JSON; a paste of that (or of
/// nothing, when the browser gives no text) adds them again, a little
/// further each time. Pasted text from elsewhere goes to Import: straight
/// in when too long to look over, else into the Import dialog
/// (`import_prefill`).
pub fn listen(c: Ctx, import_prefill: RwSignal<Option<String>>) {
    let ed = c.ed;
    let clip = StoredValue::new(None::<(Topology, String)>);
    // The copied servers' hosts and database servers left behind (the
    // fragment names only the ones copied too): by the copy's place in the
    // fragment, the original's id and name. A paste gives them back where
    // that server is still there under that name.
    let clip_refs = StoredValue::new(Vec::<OutsideRef>::new());
    let pastes = StoredValue::new(0u32);
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
        let ours = clip.with_value(|cl| {
            cl.as_ref()
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
            if let Err(e) = import_text(ed, c.ws, &text, "The pasted text") {
                ed.complain(e);
            }
        } else if !text.trim().is_empty() {
            ev.prevent_default();
            import_prefill.set(Some(text));
            ed.dialog.set(Some(Dialog::Import));
        }
    });
    on_cleanup(move || {
        copy.remove();
        on_paste.remove();
    });
}

/// A copied server's host or database server that was not copied with it:
/// (its place among the copied servers, whether it is the host, the
/// original's id, its name).
pub type OutsideRef = (usize, bool, ServerId, String);

/// The hosts and database servers of `ids` that are not among `ids`, by
/// the copied server's place in the fragment `extract` makes.
pub fn outside_refs(t: &Topology, ids: &[ServerId]) -> Vec<OutsideRef> {
    let keep: dpm_rules::hash::HashSet<ServerId> = ids.iter().copied().collect();
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
pub fn give_back_refs(t: &mut Topology, added: &[ServerId], refs: &[OutsideRef]) {
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
