//! Exchange: export in every form, import by file, drop or paste, share
//! links, and the embed code for documentation pages. Every format is the
//! rule crate's; this module only moves text between it and the browser.

use leptos::prelude::*;
use wasm_bindgen::{JsCast, JsValue};

use dpm_rules::{
    to_dot, to_json, to_mermaid, to_share, to_svg, to_table, SvgOptions, Topology, MAX_INPUT_BYTES,
};

use crate::state::{keep_aside, kept, storage, Dialog, Editor};

/// Reads `text` (scenario JSON, a Markdown table or a share link) and, when
/// it reads, makes it the drawing as one undoable step. On failure the
/// drawing is untouched and the error says what and where.
pub fn import_text(ed: Editor, text: &str, from: &str) -> Result<(), String> {
    if text.len() > MAX_INPUT_BYTES {
        return Err(format!(
            "{from} is {} bytes; the largest this reads is {} bytes. Nothing was changed.",
            text.len(),
            MAX_INPUT_BYTES
        ));
    }
    let body = text.trim_start_matches('\u{feff}').trim_start();
    if body.contains("\"dpm-exercise/") || dpm_rules::looks_like_exercise_link(body) {
        return match dpm_rules::read_exercise(body) {
            Ok(ex) => {
                let title = ex.title.clone();
                crate::workshop::open(ed, crate::ctx().ws, ex);
                ed.tell(format!("Opened the exercise “{title}”. Your own drawing is kept: Leave exercise brings it back."));
                Ok(())
            }
            Err(e) => Err(format!(
                "{from} could not be opened as an exercise: {e}. Your drawing is unchanged."
            )),
        };
    }
    match dpm_rules::read(text) {
        Ok(t) => {
            let n = t.servers.len();
            ed.open(t);
            ed.notice.set(Some(crate::state::Notice {
                error: false,
                text: format!(
                    "Imported {from}: {n} servers. Your previous drawing is one Undo away."
                ),
                action: Some(crate::state::NoticeAction::Undo("Undo import")),
            }));
            Ok(())
        }
        Err(e) => {
            // Kept drawings are kept already.
            let kept = from != KEPT && keep_failed_import(text);
            Err(format!(
                "{from} could not be imported: {e}. Your drawing is unchanged.{}",
                if kept {
                    " The text is kept aside: Import offers it back to fix."
                } else {
                    ""
                }
            ))
        }
    }
}

const KEPT: &str = "The kept drawing";

/// Keeps the text of a failed import aside, so that fixing it does not mean
/// finding it again: the last few, none twice, none over 1 MB.
fn keep_failed_import(text: &str) -> bool {
    const MOST: usize = 5;
    if text.len() > 1024 * 1024 || text.trim().is_empty() {
        return false;
    }
    let mine: Vec<(String, String)> = kept()
        .into_iter()
        .filter(|(k, _)| k.ends_with("failed-import"))
        .collect();
    if mine.iter().any(|(_, body)| body == text) {
        return true;
    }
    if let Some(s) = storage() {
        // Newest first: drop the oldest beyond the last few.
        for (k, _) in mine.iter().skip(MOST - 1) {
            let _ = s.remove_item(k);
        }
    }
    keep_aside("failed-import", text).is_some()
}

/// Imports a file the user picked or dropped.
pub fn import_file(ed: Editor, file: web_sys::File) {
    let name = file.name();
    if file.size() > MAX_INPUT_BYTES as f64 {
        ed.complain(format!(
            "{name} is too large to be a scenario ({} bytes; at most {MAX_INPUT_BYTES}). Your drawing is unchanged.",
            file.size() as u64
        ));
        return;
    }
    let promise = file.text();
    leptos::task::spawn_local(async move {
        match wasm_bindgen_futures::JsFuture::from(promise).await {
            Ok(v) => {
                let text = v.as_string().unwrap_or_default();
                if let Err(e) = import_text(ed, &text, &name) {
                    ed.complain(e);
                } else {
                    ed.dialog.set(None);
                }
            }
            Err(_) => ed.complain(format!(
                "{name} could not be read. Your drawing is unchanged."
            )),
        }
    });
}

/// Offers `body` as a file download.
pub fn download(name: &str, mime: &str, body: &str) {
    let parts = js_sys::Array::of1(&JsValue::from_str(body));
    let opts = web_sys::BlobPropertyBag::new();
    opts.set_type(mime);
    let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(&parts, &opts) else {
        return;
    };
    if let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) {
        download_url(name, &url);
        let _ = web_sys::Url::revoke_object_url(&url);
    }
}

fn download_url(name: &str, url: &str) {
    let doc = document();
    if let Ok(a) = doc.create_element("a") {
        let a: web_sys::HtmlAnchorElement = a.unchecked_into();
        a.set_href(url);
        a.set_download(name);
        if let Some(body) = doc.body() {
            let _ = body.append_child(&a);
            a.click();
            a.remove();
        }
    }
}

/// Copies text to the clipboard and says so.
pub fn copy_text(ed: Editor, text: String, what: &'static str) {
    let promise = window().navigator().clipboard().write_text(&text);
    leptos::task::spawn_local(async move {
        match wasm_bindgen_futures::JsFuture::from(promise).await {
            Ok(_) => ed.tell(format!("{what} copied to the clipboard.")),
            Err(_) => ed.complain(format!(
                "The browser did not allow copying. Select the {} and copy it by hand.",
                what.to_ascii_lowercase()
            )),
        }
    });
}

/// A file name from the drawing's title.
fn file_stem(t: &Topology) -> String {
    stem_of(t.title.as_deref().unwrap_or(""), "dpm-scenario")
}

/// A file name stem from a title: lower-case letters and digits, one dash
/// for each run of anything else, at most 60 characters; `fallback` when
/// nothing is left.
pub fn stem_of(title: &str, fallback: &str) -> String {
    let mut s = String::new();
    for c in title.chars() {
        if c.is_ascii_alphanumeric() {
            s.push(c.to_ascii_lowercase());
        } else if !s.is_empty() && !s.ends_with('-') {
            s.push('-');
        }
    }
    let s: String = s.chars().take(60).collect();
    match s.trim_end_matches('-') {
        "" => fallback.to_string(),
        stem => stem.to_string(),
    }
}

/// The address of this page without its fragment.
pub fn page_url() -> String {
    let loc = window().location();
    format!(
        "{}{}",
        loc.origin().unwrap_or_default(),
        loc.pathname().unwrap_or_else(|_| "/".into())
    )
}

pub fn share_link(t: &Topology) -> String {
    format!("{}#s={}", page_url(), to_share(t))
}

pub fn embed_code(t: &Topology) -> String {
    let title = dpm_rules::xml_escape(t.title.as_deref().unwrap_or("DPM scenario"));
    format!(
        "<iframe src=\"{}#view&s={}\" title=\"{title}\" width=\"800\" height=\"480\" sandbox=\"allow-scripts allow-popups allow-popups-to-escape-sandbox\" loading=\"lazy\" style=\"border:1px solid #d5dce6;border-radius:8px;max-width:100%\"></iframe>",
        page_url(),
        to_share(t)
    )
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Form {
    Json,
    Table,
    Mermaid,
    Dot,
    Svg,
    Png,
}

impl Form {
    const ALL: [Form; 6] = [
        Form::Json,
        Form::Table,
        Form::Mermaid,
        Form::Dot,
        Form::Svg,
        Form::Png,
    ];

    fn label(self) -> &'static str {
        match self {
            Form::Json => "Scenario JSON",
            Form::Table => "Markdown table",
            Form::Mermaid => "Mermaid",
            Form::Dot => "Graphviz DOT",
            Form::Svg => "SVG",
            Form::Png => "PNG",
        }
    }

    fn id(self) -> &'static str {
        match self {
            Form::Json => "json",
            Form::Table => "table",
            Form::Mermaid => "mermaid",
            Form::Dot => "dot",
            Form::Svg => "svg",
            Form::Png => "png",
        }
    }

    fn file(self, stem: &str) -> (String, &'static str) {
        match self {
            Form::Json => (format!("{stem}.dpm.json"), "application/json"),
            Form::Table => (format!("{stem}.md"), "text/markdown"),
            Form::Mermaid => (format!("{stem}.mmd"), "text/plain"),
            Form::Dot => (format!("{stem}.dot"), "text/vnd.graphviz"),
            Form::Svg => (format!("{stem}.svg"), "image/svg+xml"),
            Form::Png => (format!("{stem}.png"), "image/png"),
        }
    }
}

fn render(ed: &Editor, form: Form) -> String {
    ed.doc.with_untracked(|t| match form {
        Form::Json => to_json(t),
        Form::Table => to_table(t),
        Form::Mermaid => to_mermaid(t),
        Form::Dot => to_dot(t),
        Form::Svg | Form::Png => {
            let findings = dpm_rules::check(t);
            to_svg(
                t,
                &findings,
                &SvgOptions {
                    failed: Vec::new(),
                    list_findings: true,
                },
            )
        }
    })
}

/// Draws the SVG on a canvas at twice its size and downloads it as PNG.
fn download_png(ed: Editor, svg: String, name: String) {
    let parts = js_sys::Array::of1(&JsValue::from_str(&svg));
    let opts = web_sys::BlobPropertyBag::new();
    opts.set_type("image/svg+xml");
    let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(&parts, &opts) else {
        return;
    };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else {
        return;
    };
    let Ok(img) = web_sys::HtmlImageElement::new() else {
        return;
    };
    let img2 = img.clone();
    let url2 = url.clone();
    let onload = wasm_bindgen::closure::Closure::once_into_js(move || {
        let doc = document();
        let (w, h) = (img2.natural_width().max(1), img2.natural_height().max(1));
        let Some(canvas) = doc
            .create_element("canvas")
            .ok()
            .map(|c| c.unchecked_into::<web_sys::HtmlCanvasElement>())
        else {
            return;
        };
        canvas.set_width(w * 2);
        canvas.set_height(h * 2);
        if let Some(ctx) = canvas
            .get_context("2d")
            .ok()
            .flatten()
            .map(|c| c.unchecked_into::<web_sys::CanvasRenderingContext2d>())
        {
            let _ = ctx.scale(2.0, 2.0);
            let _ = ctx.draw_image_with_html_image_element(&img2, 0.0, 0.0);
            if let Ok(data) = canvas.to_data_url_with_type("image/png") {
                download_url(&name, &data);
                ed.tell(format!("{name} downloaded."));
            }
        }
        let _ = web_sys::Url::revoke_object_url(&url2);
    });
    img.set_onload(Some(onload.unchecked_ref()));
    img.set_src(&url);
}

/// The dialog frame: a title, the body, a Close button; Escape closes too.
#[component]
pub fn DialogFrame(title: &'static str, id: &'static str, children: Children) -> impl IntoView {
    let ed = crate::ctx().ed;
    let panel = NodeRef::<leptos::html::Div>::new();
    Effect::new(move |_| {
        if let Some(el) = panel.get() {
            request_animation_frame(move || {
                let first = el
                    .query_selector("textarea, input, button:not(.dialog-close), select")
                    .ok()
                    .flatten();
                if let Some(f) = first.and_then(|f| f.dyn_into::<web_sys::HtmlElement>().ok()) {
                    let _ = f.focus();
                }
            });
        }
    });
    view! {
        <div class="dialog-backdrop" on:pointerdown=move |ev| {
            if ev.target() == ev.current_target() { ed.dialog.set(None); }
        }>
            <div class="dialog" role="dialog" aria-modal="true" aria-labelledby=id node_ref=panel
                data-dialog=id on:click=move |ev| {
                    // Every button marked `close` (×, Cancel) closes it; the
                    // confirmations' buttons act, then close.
                    match crate::clicked(&ev).and_then(|b| b.get_attribute("data-action")).as_deref() {
                        Some("close") => ed.dialog.set(None),
                        Some("confirm-new") => {
                            let mut t = Topology::new();
                            t.title = Some("Untitled".into());
                            ed.dialog.set(None);
                            ed.open(t);
                        }
                        Some("confirm-reset") => {
                            ed.dialog.set(None);
                            crate::workshop::reset(ed, crate::ctx().ws);
                        }
                        _ => {}
                    }
                }>
                <div class="dialog-head">
                    <h2 id=id>{title}</h2>
                    <button class="icon-button dialog-close" aria-label="Close" data-action="close">"×"</button>
                </div>
                {children()}
            </div>
        </div>
    }
}

#[component]
pub fn ExportDialog() -> impl IntoView {
    let ed = crate::ctx().ed;
    let form = RwSignal::new(Form::Json);
    let text = Memo::new(move |_| {
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

#[component]
pub fn ImportDialog(#[prop(optional)] initial: Option<String>) -> impl IntoView {
    let ed = crate::ctx().ed;
    let initial = initial.unwrap_or_default();
    let text = RwSignal::new(initial.clone());
    let error = RwSignal::new(None::<String>);
    let kept_list = RwSignal::new(kept());
    let file_ref = NodeRef::<leptos::html::Input>::new();
    let area = NodeRef::<leptos::html::Textarea>::new();
    let do_import = move |_| match import_text(ed, &text.get_untracked(), "The pasted text") {
        Ok(()) => ed.dialog.set(None),
        Err(e) => {
            error.set(Some(e));
            kept_list.set(kept());
        }
    };
    let on_file = move |_| {
        let file = file_ref
            .get_untracked()
            .and_then(|i| i.files())
            .and_then(|f| f.get(0));
        if let Some(f) = file {
            import_file(ed, f);
        }
    };
    let kept_view = move || {
        let list = kept_list.get();
        if list.is_empty() {
            return None;
        }
        let items = list
            .into_iter()
            .map(|(key, body)| {
                let what = if key.ends_with("before-link") {
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
                };
                let when = key
                    .trim_start_matches(crate::state::KEPT_PREFIX)
                    .split('-')
                    .next()
                    .and_then(|ms| ms.parse::<u64>().ok())
                    .map(|ms| {
                        js_sys::Date::new(&JsValue::from_f64(ms as f64))
                            .to_locale_string("en-GB", &JsValue::UNDEFINED)
                            .as_string()
                            .unwrap_or_default()
                    })
                    .unwrap_or_default();
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
                                if let Some(a) = area.get_untracked() {
                                    a.set_value(&body);
                                    let _ = a.focus();
                                }
                                text.set(body.clone());
                                error.set(None);
                            } else {
                                match import_text(ed, &body, KEPT) {
                                    Ok(()) => ed.dialog.set(None),
                                    Err(e) => error.set(Some(e)),
                                }
                            }
                        }>{if failed { "Fix it" } else { "Open" }}</button>
                        <button class="btn small" on:click=move |_| download("kept-drawing.txt", "text/plain", &body2)>"Download"</button>
                        <button class="btn small" on:click=move |_| {
                            if let Some(s) = storage() { let _ = s.remove_item(&key2); }
                            kept_list.set(kept());
                        }>"Forget"</button>
                    </li>
                }
            })
            .collect_view();
        Some(view! {
            <section class="kept">
                <h3>"Drawings kept aside in this browser"</h3>
                <ul>{items}</ul>
            </section>
        })
    };
    view! {
        <DialogFrame title="Import" id="import-title">
            <p class="muted">"Paste scenario JSON, a Markdown table in the documentation's |Server|Protecting|Protected by| form, or a share link. It replaces the drawing as one step you can undo."</p>
            <textarea class="code" data-testid="import-text" aria-label="Text to import" rows="10" node_ref=area
                // Set once, never written back: writing a 10 MB paste back
                // into the box froze the page for seconds.
                prop:value=initial on:input=move |ev| { text.set(event_target_value(&ev)); error.set(None); }></textarea>
            <p class="field-error" role="alert" data-testid="import-error">{move || error.get()}</p>
            <div class="row">
                <button class="btn primary" data-action="import-text" on:click=do_import
                    disabled=move || text.with(|t| t.trim().is_empty())>"Import"</button>
                <label class="btn file-button">
                    "Open a file…"
                    <input type="file" node_ref=file_ref accept=".json,.md,.txt,.dpm.json,application/json,text/plain,text/markdown"
                        data-testid="import-file" on:change=on_file />
                </label>
            </div>
            {kept_view}
        </DialogFrame>
    }
}

#[component]
pub fn ShareDialog() -> impl IntoView {
    let ed = crate::ctx().ed;
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
    let ed = crate::ctx().ed;
    let code = ed.doc.with_untracked(embed_code);
    let c2 = code.clone();
    view! {
        <DialogFrame title="Embed in a documentation page" id="embed-title">
            <p class="muted">"Paste this where the page allows HTML. The frame shows the scenario read-only, with its findings and a “Simulate a failure” control; it needs no server of its own and runs sandboxed."</p>
            <textarea class="code" readonly data-testid="embed-code" aria-label="Embed code" rows="6" prop:value=code></textarea>
            <div class="row">
                <button class="btn primary" data-action="copy" on:click=move |_| copy_text(ed, c2.clone(), "The embed code")>"Copy embed code"</button>
            </div>
            <p class="muted">"For pages that allow no frames, render a static picture with the command line: dpm-check export scenario.dpm.json --to svg"</p>
        </DialogFrame>
    }
}

/// The dialog that is open, if any.
#[component]
pub fn Dialogs(import_text: RwSignal<Option<String>>) -> impl IntoView {
    let ed = crate::ctx().ed;
    move || {
        ed.dialog.get().map(|d| match d {
            Dialog::Export => view! { <ExportDialog /> }.into_any(),
            Dialog::Import => {
                let initial = import_text.get_untracked();
                import_text.set(None);
                view! { <ImportDialog initial=initial.unwrap_or_default() /> }.into_any()
            }
            Dialog::Share => view! { <ShareDialog /> }.into_any(),
            Dialog::Embed => view! { <EmbedDialog /> }.into_any(),
            Dialog::ConfirmNew => view! { <ConfirmNew /> }.into_any(),
            Dialog::Keys => view! { <KeysDialog /> }.into_any(),
            Dialog::ConfirmReset => view! { <crate::workshop::ConfirmReset /> }.into_any(),
            Dialog::Author => view! { <crate::author::AuthorDialog /> }.into_any(),
        })
    }
}

#[component]
fn ConfirmNew() -> impl IntoView {
    view! {
        <DialogFrame title="Start a new drawing?" id="new-title">
            <p>"The canvas will be cleared. You can still undo this afterwards."</p>
            <div class="row">
                <button class="btn danger" data-action="confirm-new">"Clear the canvas"</button>
                <button class="btn" data-action="close">"Cancel"</button>
            </div>
        </DialogFrame>
    }
}

pub const KEYS: &[(&str, &str)] = &[
    ("Tab / Shift+Tab", "Go from server to server"),
    ("Enter", "Edit the focused server's properties"),
    (
        "Space, Shift+Space",
        "Select the focused server; with Shift, add it to the selection or take it out",
    ),
    (
        "C",
        "Start a protection from the focused DPM server; Tab to the target, Enter to make it",
    ),
    ("Escape", "Cancel, close, or leave the simulation"),
    ("Arrow keys", "Move the selected servers (Shift: further)"),
    ("Delete / Backspace", "Delete what is selected"),
    ("Ctrl/Cmd+Z", "Undo"),
    ("Ctrl/Cmd+Shift+Z, Ctrl+Y", "Redo"),
    ("Ctrl/Cmd+C, V", "Copy and paste servers"),
    ("Ctrl/Cmd+A", "Select every server"),
    ("+ / −", "Zoom in / out"),
    ("F", "Fit the drawing in view"),
    (
        "S",
        "Simulate a failure (in simulation: Enter fails the focused server)",
    ),
    (
        "L",
        "Open or close the Servers list: the drawing as text, edited from there",
    ),
    (
        "M",
        "Show or hide the minimap; press or drag on it to move the view",
    ),
    (
        "/ or Ctrl/Cmd+F",
        "Find a server by name; Enter goes to the next, Shift+Enter back",
    ),
    ("?", "This list"),
];

#[component]
fn KeysDialog() -> impl IntoView {
    view! {
        <DialogFrame title="Keyboard" id="keys-title">
            <table class="keys">
                <tbody>
                    {KEYS.iter().map(|(k, what)| view! { <tr><th scope="row"><kbd>{*k}</kbd></th><td>{*what}</td></tr> }).collect_view()}
                </tbody>
            </table>
        </DialogFrame>
    }
}
