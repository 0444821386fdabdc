//! Exchange: export in every form, import by file, drop or paste, share
//! links, and the embed code for documentation pages. Every format is the
//! rule crate's; this module only moves text between it and the browser.

use crate::browser::files::download;
use crate::browser::files::download_url;
use crate::workshop::state::Workshop;

use crate::browser::files::page_url;
use crate::browser::files::stem_of;
use crate::browser::markup::el;
use crate::browser::storage::keep_aside;
use crate::browser::storage::kept;
use crate::browser::storage::storage;
use crate::state::editor::Dialog;
use crate::state::editor::Editor;
use crate::state::positions::Positions;

use std::cell::RefCell;

use dpm_rules::import::{Import, ReportKind, ReportLine};

use leptos::prelude::*;
use wasm_bindgen::{JsCast, JsValue};

use dpm_rules::{
    to_dot, to_json, to_mermaid, to_share, to_svg, to_table, viewer_page, SvgOptions, Theme,
    Topology, MAX_INPUT_BYTES,
};

/// `from` ("The pasted text", a file's name) inside a sentence: "the
/// pasted text"; a file's name as it is.
fn mid_sentence(from: &str) -> String {
    match from.strip_prefix("The ") {
        Some(rest) => format!("the {rest}"),
        None => from.to_string(),
    }
}

/// Reads `text` (scenario JSON, a table as Markdown, TSV or CSV, or a share
/// link) and, when it reads, makes it the drawing as one undoable step. On
/// failure the drawing is untouched and the error says what and where.
pub fn import_text(ed: Editor, ws: Workshop, text: &str, from: &str) -> Result<(), String> {
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
                crate::workshop::state::open(ed, ws, ex);
                ed.tell(format!("Opened the exercise “{title}”. Your own drawing is kept: Leave exercise brings it back."));
                Ok(())
            }
            Err(e) => Err(format!(
                "{from} could not be opened as an exercise: {e}. Your drawing is unchanged."
            )),
        };
    }
    if dpm_rules::import::looks_like_inventory(body) {
        read_inventories(ed, vec![(from.to_string(), text.to_string())], Vec::new());
        return Ok(());
    }
    match dpm_rules::read(text) {
        Ok(t) => {
            let n = t.servers.len();
            if ed.open(t) {
                ed.tell_step(
                    format!(
                        "Imported {}: {n} server{}. Your previous drawing is one Undo away.",
                        mid_sentence(from),
                        if n == 1 { "" } else { "s" }
                    ),
                    Some("Undo import"),
                );
            }
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

pub const KEPT: &str = "The kept drawing";

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

/// Imports the files the user picked or dropped: one scenario, table or
/// link as [`import_text`] reads it; DPM inventories (one or several, the
/// export of `scripts/export-dpm-inventory.ps1` or its CSV form) are read
/// together, and their report is shown before anything changes
/// ([`read_inventories`]). Files are read as bytes, so that the UTF-16 a
/// PowerShell `>` writes reads too.
pub fn import_files(ed: Editor, ws: Workshop, files: Vec<web_sys::File>) {
    if let Some(f) = files.iter().find(|f| f.size() > MAX_INPUT_BYTES as f64) {
        ed.complain(format!(
            "{} is too large to import ({} bytes; at most {MAX_INPUT_BYTES}). Your drawing is unchanged.",
            f.name(),
            f.size() as u64
        ));
        return;
    }
    if files.is_empty() {
        return;
    }
    leptos::task::spawn_local(async move {
        let several = files.len() > 1;
        let mut texts: Vec<(String, String)> = Vec::new();
        let mut unreadable: Vec<(String, String)> = Vec::new();
        for f in files {
            let name = f.name();
            match wasm_bindgen_futures::JsFuture::from(f.array_buffer()).await {
                Ok(buf) => {
                    match dpm_rules::import::text_of(&js_sys::Uint8Array::new(&buf).to_vec()) {
                        Ok(text) => texts.push((name, text)),
                        Err(why) => unreadable.push((name, why)),
                    }
                }
                Err(_) => unreadable.push((name, "the browser could not read it".into())),
            }
        }
        match (several, texts.pop()) {
            (false, Some((name, text))) if !dpm_rules::import::looks_like_inventory(&text) => {
                match import_text(ed, ws, &text, &name) {
                    Ok(()) => close_import(ed),
                    Err(e) => ed.complain(e),
                }
            }
            (_, last) => {
                texts.extend(last);
                read_inventories(ed, texts, unreadable);
            }
        }
    });
}

/// Closes the Import dialog (not the report a read of inventories opened
/// in its place).
pub fn close_import(ed: Editor) {
    if ed.dialog.get_untracked() == Some(Dialog::Import) {
        ed.dialog.set(None);
    }
}

thread_local! {
    /// Inventories read and waiting for the user's word in the report
    /// dialog: the import, and the files' names.
    static PENDING: RefCell<Option<(Import, Vec<String>)>> = const { RefCell::new(None) };
}

/// Reads DPM inventories, (file name, text) each, into one estate and
/// opens the report dialog on it; `unreadable` files (name, why) join the
/// report as skipped. The drawing changes only when the user opens the
/// estate ([`open_import`]). When nothing is readable, says which file
/// and why, and changes nothing.
pub fn read_inventories(
    ed: Editor,
    texts: Vec<(String, String)>,
    unreadable: Vec<(String, String)>,
) {
    PENDING.with(|p| p.borrow_mut().take());
    let pairs: Vec<(&str, &str)> = texts
        .iter()
        .map(|(n, t)| (n.as_str(), t.as_str()))
        .collect();
    match dpm_rules::import::read(&pairs) {
        Ok(mut import) => {
            // After the conflicts, with the other files left out.
            let at = import
                .report
                .iter()
                .take_while(|l| l.kind == ReportKind::Conflict)
                .count();
            for (i, (file, why)) in unreadable.iter().enumerate() {
                import.report.insert(
                    at + i,
                    ReportLine {
                        kind: ReportKind::Skipped,
                        file: file.clone(),
                        place: String::new(),
                        message: format!("could not be read: {why}"),
                        servers: Vec::new(),
                    },
                );
            }
            let names = texts
                .into_iter()
                .map(|(n, _)| n)
                .chain(unreadable.into_iter().map(|(n, _)| n))
                .collect();
            PENDING.with(|p| *p.borrow_mut() = Some((import, names)));
            ed.dialog.set(Some(Dialog::ImportReport));
        }
        Err(e) => {
            let mut why: Vec<String> = unreadable
                .iter()
                .map(|(f, w)| format!("{f}: {w}"))
                .collect();
            why.extend(e.files.iter().map(|(f, w)| format!("{f}: {w}")));
            ed.complain(format!(
                "Nothing could be imported ({}). Your drawing is unchanged.",
                if why.is_empty() {
                    "no files".to_string()
                } else {
                    why.join("; ")
                }
            ));
        }
    }
}

/// The inventories waiting in the report dialog, and their files' names.
pub fn pending_import() -> Option<(Import, Vec<String>)> {
    PENDING.with(|p| p.borrow().clone())
}

/// Opens the estate the report dialog shows as the drawing (one undoable
/// step) and closes the dialog; then selects and centres the servers
/// named in `show` (a conflict the user clicked), if any.
pub fn open_import(ed: Editor, pos: Positions, show: &[String]) {
    let Some((import, names)) = PENDING.with(|p| p.borrow_mut().take()) else {
        return;
    };
    let t = import.topology;
    let (n, conflicts) = (
        t.servers.len(),
        import
            .report
            .iter()
            .filter(|l| l.kind == ReportKind::Conflict)
            .count(),
    );
    ed.dialog.set(None);
    if !ed.open(t) {
        return;
    }
    let files = names.len();
    ed.tell_step(
        format!(
            "Imported {files} export{}: {n} server{}{}. Your previous drawing is one Undo away.",
            if files == 1 { "" } else { "s" },
            if n == 1 { "" } else { "s" },
            match conflicts {
                0 => String::new(),
                1 => "; 1 conflict, under Problems".to_string(),
                c => format!("; {c} conflicts, under Problems"),
            }
        ),
        Some("Undo import"),
    );
    let ids: Vec<_> = ed
        .doc
        .with_untracked(|t| show.iter().filter_map(|s| t.find(s)).collect());
    if !ids.is_empty() {
        // Two frames on, after the opened drawing's fit (its effect runs in
        // the microtask after the open and asks for the coming frame, after
        // the first of these two): shown before it, the fit moved the
        // conflict off the centre. Not when the drawing or the mode changed
        // meanwhile (an undo of the import, another open): the ids would
        // name other servers.
        use leptos::prelude::request_animation_frame as frame;
        let (rev, mode) = (ed.shown.rev_untracked(), ed.mode.get_untracked());
        frame(move || {
            frame(move || {
                if ed.shown.rev_untracked() == rev && ed.mode.get_untracked() == mode {
                    crate::state::reveal::reveal(ed, pos, &ids, &[]);
                }
            })
        });
    }
}

/// Copies text to the clipboard and says so.
pub fn copy_text(ed: Editor, text: String, what: &'static str) {
    let promise = window().navigator().clipboard().write_text(&text);
    leptos::task::spawn_local(async move {
        match wasm_bindgen_futures::JsFuture::from(promise).await {
            Ok(_) => ed.tell(format!("{what} copied to the clipboard.")),
            Err(_) => ed.complain(format!(
                "The browser did not allow copying. Select {} and copy it by hand.",
                mid_sentence(what)
            )),
        }
    });
}

/// A file name from the drawing's title.
pub fn file_stem(t: &Topology) -> String {
    stem_of(t.title.as_deref().unwrap_or(""), "dpm-scenario")
}

pub fn share_link(t: &Topology) -> String {
    format!("{}#s={}", page_url(), to_share(t))
}

/// The viewer's page beside the editor (`…/view.html`) with `params`
/// after its `#` (`s=…&theme=…`).
fn viewer_url(params: &str) -> String {
    format!("{}#{params}", viewer_page_url())
}

/// The viewer's page beside the editor.
fn viewer_page_url() -> String {
    web_sys::Url::new_with_base("view.html", &page_url())
        .map(|u| u.href())
        .unwrap_or_else(|_| "view.html".into())
}

/// The palette an embedded viewer draws in: light, dark, or (`None`) as the
/// reader's system says.
pub type EmbedTheme = Option<Theme>;

/// The code that embeds the drawing in a documentation page: a sandboxed
/// frame of the viewer's page (`view.html`, which loads nothing else), the
/// scenario in its link.
pub fn embed_code(t: &Topology, theme: EmbedTheme) -> String {
    let mut params = format!("s={}", to_share(t));
    if let Some(th) = theme {
        params.push_str("&theme=");
        params.push_str(th.id());
    }
    el("iframe")
        .attr("src", viewer_url(&params))
        .attr("title", t.title.as_deref().unwrap_or("DPM scenario"))
        .attr("width", "800")
        .attr("height", "480")
        .attr(
            "sandbox",
            "allow-scripts allow-popups allow-popups-to-escape-sandbox",
        )
        .attr("loading", "lazy")
        .attr(
            "style",
            "border:1px solid rgb(128 128 128 / 40%);border-radius:8px;max-width:100%",
        )
        .render()
        .into_string()
}

/// Downloads the self-contained page: the viewer's page, fetched from
/// beside the editor, with the drawing in it (`dpm_rules::viewer_page`,
/// as `dpm-check export --to html` makes it), its "Open in the editor"
/// pointing here.
pub fn download_page(ed: Editor, theme: EmbedTheme) {
    let t = ed.doc.get_untracked();
    let name = format!("{}.html", file_stem(&t));
    let promise = window().fetch_with_str(&viewer_page_url());
    leptos::task::spawn_local(async move {
        let text = async {
            let resp: web_sys::Response = wasm_bindgen_futures::JsFuture::from(promise)
                .await
                .ok()?
                .dyn_into()
                .ok()?;
            if !resp.ok() {
                return None;
            }
            let text = wasm_bindgen_futures::JsFuture::from(resp.text().ok()?)
                .await
                .ok()?;
            text.as_string()
        };
        let page = text
            .await
            .ok_or_else(|| {
                "The viewer's page (view.html) could not be loaded from this site.".to_string()
            })
            .and_then(|page| viewer_page(&page, &t, theme, Some(&page_url())));
        match page {
            Ok(page) => {
                download(&name, "text/html", &page);
                ed.tell(format!(
                    "Downloaded {name}: the viewer with this drawing, one file."
                ));
            }
            Err(e) => ed.complain(format!("{e} Nothing was downloaded.")),
        }
    });
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Form {
    Json,
    Table,
    Mermaid,
    Dot,
    Svg,
    Png,
}

impl Form {
    pub const ALL: [Form; 6] = [
        Form::Json,
        Form::Table,
        Form::Mermaid,
        Form::Dot,
        Form::Svg,
        Form::Png,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Form::Json => "Scenario JSON",
            Form::Table => "Markdown table",
            Form::Mermaid => "Mermaid",
            Form::Dot => "Graphviz DOT",
            Form::Svg => "SVG",
            Form::Png => "PNG",
        }
    }

    pub fn id(self) -> &'static str {
        match self {
            Form::Json => "json",
            Form::Table => "table",
            Form::Mermaid => "mermaid",
            Form::Dot => "dot",
            Form::Svg => "svg",
            Form::Png => "png",
        }
    }

    pub fn file(self, stem: &str) -> (String, &'static str) {
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

pub fn render(ed: &Editor, form: Form) -> String {
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
                    list_findings: true,
                    ..SvgOptions::default()
                },
            )
        }
    })
}

/// Draws the SVG on a canvas at twice its size and downloads it as PNG.
pub fn download_png(ed: Editor, svg: String, name: String) {
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
