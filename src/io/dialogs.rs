//! The exchange dialogs: Export (every format, copy or download), Import
//! (paste, file or drop), Share (a link) and Embed (code for a page).

use crate::io::state::download_png;
use crate::io::state::file_stem;
use crate::io::state::render;
use crate::io::state::Form;
use crate::io::state::KEPT;

use crate::browser::files::download;
use crate::browser::storage::kept;
use crate::browser::storage::storage;
use crate::io::state::close_import;
use crate::io::state::copy_text;
use crate::io::state::import_files;
use crate::io::state::import_text;
use crate::io::state::share_link;
use crate::io::state::{download_page, embed_code, EmbedTheme};
use crate::state::editor::Editor;
use crate::ui::dialog::DialogFrame;
use dpm_rules::Theme;

use leptos::prelude::*;
use wasm_bindgen::JsValue;

#[component]
pub fn ExportDialog() -> impl IntoView {
    let ed = crate::ctx::ctx().ed;
    let form = RwSignal::new(Form::Json);
    let text = crate::browser::memo(move |_| {
        let f = form.get();
        ed.doc.track();
        if f == Form::Png {
            String::new()
        } else {
            render(&ed, f)
        }
    });
    let tabs = Form::ALL
        .iter()
        .map(|&f| {
            view! {
                <button class="tab" role="tab" aria-selected=move || (form.get() == f).to_string()
                    data-format=f.id() on:click=move |_| form.set(f)>{f.label()}</button>
            }
        })
        .collect_view();
    let on_download = move |_| {
        let f = form.get_untracked();
        let stem = ed.doc.with_untracked(file_stem);
        let (name, mime) = f.file(&stem);
        if f == Form::Png {
            download_png(ed, render(&ed, Form::Svg), name);
        } else {
            download(&name, mime, &text.get_untracked());
            ed.tell(format!("{name} downloaded."));
        }
    };
    view! {
        <DialogFrame title="Export" id="export-title">
            <div class="tabs" role="tablist" aria-label="Format">{tabs}</div>
            <Show when=move || form.get() != Form::Png
                fallback=|| view! { <p class="muted">"A picture of the drawing at twice its size, with its findings listed below it."</p> }>
                <textarea class="code" readonly data-testid="export-text" aria-label="Exported text"
                    prop:value=move || text.get() rows="14"></textarea>
            </Show>
            <div class="row">
                <Show when=move || form.get() != Form::Png>
                    <button class="btn" data-action="copy" on:click=move |_| copy_text(ed, text.get_untracked(), "The export")>"Copy"</button>
                </Show>
                <button class="btn primary" data-action="download" on:click=on_download>"Download"</button>
            </div>
        </DialogFrame>
    }
}

/// What the Import dialog's parts share: the text to import, the error,
/// the drawings kept aside, and the box (a kept failure goes back in it).
#[derive(Clone, Copy)]
struct ImportForm {
    text: RwSignal<String>,
    error: RwSignal<Option<String>>,
    kept: RwSignal<Vec<(String, String)>>,
    area: NodeRef<leptos::html::Textarea>,
}

#[component]
pub fn ImportDialog(#[prop(optional)] initial: Option<String>) -> impl IntoView {
    let ed = crate::ctx::ctx().ed;
    let initial = initial.unwrap_or_default();
    let f = ImportForm {
        text: RwSignal::new(initial.clone()),
        error: RwSignal::new(None),
        kept: RwSignal::new(kept()),
        area: NodeRef::new(),
    };
    let (text, error) = (f.text, f.error);
    let file_ref = NodeRef::<leptos::html::Input>::new();
    let do_import = move |_| match import_text(
        ed,
        crate::ctx::ctx().ws,
        &text.get_untracked(),
        "The pasted text",
    ) {
        Ok(()) => close_import(ed),
        Err(e) => {
            error.set(Some(e));
            f.kept.set(kept());
        }
    };
    let on_file = move |_| {
        let list = file_ref.get_untracked().and_then(|i| i.files());
        let files = list.map_or_else(Vec::new, |l| {
            (0..l.length()).filter_map(|i| l.get(i)).collect()
        });
        import_files(ed, crate::ctx::ctx().ws, files);
    };
    view! {
        <DialogFrame title="Import" id="import-title">
            <p class="muted">"Paste scenario JSON, the documentation's Server | Protecting | Protected by table (as Markdown, or copied from the page or a spreadsheet, or as CSV), or a share link. It replaces the drawing as one step you can undo. Or open the inventories DPM's own PowerShell wrote on each DPM server (scripts/export-dpm-inventory.ps1, or a Get-DPMDatasource CSV), several at once: you see what was read before the estate opens."</p>
            <textarea class="code" data-testid="import-text" aria-label="Text to import" rows="10" node_ref=f.area
                // Set once, never written back: writing a 10 MB paste back
                // into the box froze the page for seconds.
                prop:value=initial on:input=move |ev| { text.set(event_target_value(&ev)); error.set(None); }></textarea>
            <p class="field-error" role="alert" data-testid="import-error">{move || error.get()}</p>
            <div class="row">
                <button class="btn primary" data-action="import-text" on:click=do_import
                    disabled=move || text.with(|t| t.trim().is_empty())>"Import"</button>
                <label class="btn file-button">
                    "Open files…"
                    <input type="file" multiple node_ref=file_ref accept=".json,.md,.txt,.tsv,.csv,.dpm.json,application/json,text/plain,text/markdown,text/csv,text/tab-separated-values"
                        data-testid="import-file" on:change=on_file />
                </label>
            </div>
            {move || kept_section(ed, f)}
        </DialogFrame>
    }
}

/// "Drawings kept aside in this browser": what the app set aside rather
/// than lose (a save it could not read, a drawing a link replaced, an
/// import that failed), each to open, fix, download or forget. Nothing
/// when there is none.
fn kept_section(ed: Editor, f: ImportForm) -> Option<impl IntoView> {
    let list = f.kept.get();
    if list.is_empty() {
        return None;
    }
    let items = list
        .into_iter()
        .map(|(key, body)| kept_item(ed, f, key, body))
        .collect_view();
    Some(view! {
        <section class="kept">
            <h3>"Drawings kept aside in this browser"</h3>
            <ul>{items}</ul>
        </section>
    })
}

/// Why a drawing was kept aside, from its key.
fn kept_why(key: &str) -> &'static str {
    if key.ends_with("before-link") {
        "Replaced by a shared link"
    } else if key.ends_with("unreadable") {
        "A save that could not be read"
    } else if key.ends_with("too-large") {
        "A save too large to read"
    } else if key.ends_with("failed-import") {
        "An import that failed"
    } else if key.ends_with("-copy") {
        "A copy opened in a second tab"
    } else {
        "Kept aside"
    }
}

/// When a drawing was kept aside (its key starts with the time), as the
/// browser writes a date.
fn kept_when(key: &str) -> String {
    key.trim_start_matches(crate::browser::storage::KEPT_PREFIX)
        .split('-')
        .next()
        .and_then(|ms| ms.parse::<u64>().ok())
        .map(|ms| {
            js_sys::Date::new(&JsValue::from_f64(ms as f64))
                .to_locale_string("en-GB", &JsValue::UNDEFINED)
                .as_string()
                .unwrap_or_default()
        })
        .unwrap_or_default()
}

/// One drawing kept aside: why and when, and its buttons.
fn kept_item(ed: Editor, f: ImportForm, key: String, body: String) -> impl IntoView {
    let what = kept_why(&key);
    let when = kept_when(&key);
    let body2 = body.clone();
    let key2 = key.clone();
    // A failed import goes back in the box to be fixed; a kept
    // drawing opens.
    let failed = key.ends_with("failed-import");
    view! {
        <li>
            <span>{format!("{what} ({when}, {} bytes)", body.len())}</span>
            <button class="btn small" data-action=if failed { "kept-edit" } else { "kept-open" } on:click=move |_| {
                if failed {
                    if let Some(a) = f.area.get_untracked() {
                        a.set_value(&body);
                        let _ = a.focus();
                    }
                    f.text.set(body.clone());
                    f.error.set(None);
                } else {
                    match import_text(ed, crate::ctx::ctx().ws, &body, KEPT) {
                        Ok(()) => close_import(ed),
                        Err(e) => f.error.set(Some(e)),
                    }
                }
            }>{if failed { "Fix it" } else { "Open" }}</button>
            <button class="btn small" on:click=move |_| download("kept-drawing.txt", "text/plain", &body2)>"Download"</button>
            <button class="btn small" on:click=move |_| {
                if let Some(s) = storage() { let _ = s.remove_item(&key2); }
                f.kept.set(kept());
            }>"Forget"</button>
        </li>
    }
}

#[component]
pub fn ShareDialog() -> impl IntoView {
    let ed = crate::ctx::ctx().ed;
    let link = ed.doc.with_untracked(share_link);
    let n = link.len();
    let l2 = link.clone();
    view! {
        <DialogFrame title="Share link" id="share-title">
            <p class="muted">"The whole scenario is in the link, after the #: it never reaches a server. Whoever opens it gets this drawing, and keeps their own."</p>
            <input class="code" type="text" readonly data-testid="share-link" aria-label="Share link" prop:value=link
                on:focus=move |ev| { event_target::<web_sys::HtmlInputElement>(&ev).select(); } />
            <p class="muted">{format!("{n} characters.")}</p>
            <div class="row">
                <button class="btn primary" data-action="copy" on:click=move |_| copy_text(ed, l2.clone(), "The link")>"Copy link"</button>
            </div>
        </DialogFrame>
    }
}

#[component]
pub fn EmbedDialog() -> impl IntoView {
    let ed = crate::ctx::ctx().ed;
    let theme = RwSignal::new(Some(Theme::Light));
    let code = move || ed.doc.with_untracked(|t| embed_code(t, theme.get()));
    let choice = move |value: EmbedTheme, label: &'static str| {
        let id = match value {
            Some(t) => t.id(),
            None => "system",
        };
        view! {
            <label class="choice">
                <input type="radio" name="embed-theme" value=id data-action=format!("embed-theme-{id}")
                    prop:checked=move || theme.get() == value
                    on:change=move |_| theme.set(value) />
                {label}
            </label>
        }
    };
    view! {
        <DialogFrame title="Embed in a documentation page" id="embed-title">
            <p class="muted">"Paste this where the page allows HTML. The frame loads the viewer alone (view.html, one file), not the editor: the scenario read-only, its findings with their sources, and “Simulate a failure”. It runs sandboxed and needs no server of its own."</p>
            <fieldset class="choices">
                <legend>"Palette"</legend>
                {choice(Some(Theme::Light), "Light")}
                {choice(Some(Theme::Dark), "Dark")}
                {choice(None, "The reader's system")}
            </fieldset>
            <textarea class="code" readonly data-testid="embed-code" aria-label="Embed code" rows="6" prop:value=code></textarea>
            <div class="row">
                <button class="btn primary" data-action="copy" on:click=move |_| copy_text(ed, code(), "The embed code")>"Copy embed code"</button>
                <button class="btn" data-action="download-page" on:click=move |_| download_page(ed, theme.get_untracked())>"Download self-contained page"</button>
            </div>
            <p class="muted">"The self-contained page is one HTML file holding the viewer and this scenario: for hosts that allow no frames or no extra files, and for docs pipelines (the same as dpm-check export scenario.dpm.json --to html). It works opened from disk too."</p>
        </DialogFrame>
    }
}
