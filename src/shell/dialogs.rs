//! The one place that knows every dialog: which one `Editor::dialog`
//! opens, and the dialogs that belong to no feature (New, Keys).

use crate::commands::{Cmd, GESTURES};
use crate::io::dialogs::EmbedDialog;
use crate::io::dialogs::ExportDialog;
use crate::io::dialogs::ImportDialog;
use crate::io::dialogs::ShareDialog;
use crate::state::editor::Dialog;
use crate::ui::dialog::DialogFrame;

use leptos::prelude::*;

/// The dialog that is open, if any.
#[component]
pub fn Dialogs(import_text: RwSignal<Option<String>>) -> impl IntoView {
    let ed = crate::ctx::ctx().ed;
    move || {
        ed.dialog.get().map(|d| match d {
            Dialog::Export => view! { <ExportDialog /> }.into_any(),
            Dialog::Import => {
                let initial = import_text.get_untracked();
                import_text.set(None);
                view! { <ImportDialog initial=initial.unwrap_or_default() /> }.into_any()
            }
            Dialog::ImportReport => view! { <crate::io::report::ImportReportDialog /> }.into_any(),
            Dialog::Share => view! { <ShareDialog /> }.into_any(),
            Dialog::Embed => view! { <EmbedDialog /> }.into_any(),
            Dialog::ConfirmNew => view! { <ConfirmNew /> }.into_any(),
            Dialog::Keys => view! { <KeysDialog /> }.into_any(),
            Dialog::ConfirmReset => view! { <crate::workshop::task::ConfirmReset /> }.into_any(),
            Dialog::Author => view! { <crate::workshop::author::AuthorDialog /> }.into_any(),
        })
    }
}

#[component]
fn ConfirmNew() -> impl IntoView {
    let ed = crate::ctx::ctx().ed;
    let clear = move |_| {
        let mut t = dpm_rules::Topology::new();
        t.title = Some("Untitled".into());
        ed.dialog.set(None);
        ed.open(t);
        // The next step on an empty canvas is a first server: focus goes
        // to the palette's first kind (Enter adds one), not back to New.
        request_animation_frame(|| {
            let first = document()
                .query_selector(".palette .palette-item:not(.hidden):not([disabled])")
                .ok()
                .flatten()
                .and_then(|e| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(e).ok());
            if let Some(b) = first {
                let _ = b.focus();
            }
        });
    };
    view! {
        <DialogFrame title="Start a new drawing?" id="new-title">
            <p>"The canvas will be cleared. You can still undo this afterwards."</p>
            <div class="row">
                <button class="btn danger" data-action="confirm-new" on:click=clear>"Clear the canvas"</button>
                <button class="btn" data-action="close">"Cancel"</button>
            </div>
        </DialogFrame>
    }
}

/// The Keys dialog: the gestures, then every command that has keys, as
/// [`crate::commands`] declares them.
#[component]
fn KeysDialog() -> impl IntoView {
    view! {
        <DialogFrame title="Keyboard" id="keys-title">
            <table class="keys">
                <tbody>
                    {GESTURES
                        .iter()
                        .copied()
                        .chain(Cmd::ALL.into_iter().filter(|c| !c.keys().is_empty()).map(|c| (c.keys(), c.about())))
                        .map(|(k, what)| view! { <tr><th scope="row"><kbd>{k}</kbd></th><td>{what}</td></tr> })
                        .collect_view()}
                </tbody>
            </table>
        </DialogFrame>
    }
}
