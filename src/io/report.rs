//! The report of DPM inventories read (`dpm_rules::import`), shown before
//! the estate replaces the drawing: what conflicts, what was left out,
//! what the exports cannot say and what was inferred, each line with its
//! file and place. A conflict's Show opens the estate on its servers, where
//! the conflict is a finding under Problems.

use crate::browser::files::download;
use crate::io::state::{open_import, pending_import};
use crate::state::positions::Positions;
use crate::ui::dialog::DialogFrame;

use dpm_rules::import::{ReportKind, ReportLine};
use leptos::prelude::*;

/// Lines shown of each kind; all are in the downloaded report.
const SHOWN: usize = 200;

/// The report dialog on the inventories waiting to be opened.
#[component]
pub fn ImportReportDialog() -> impl IntoView {
    let c = crate::ctx::ctx();
    let (ed, pos) = (c.ed, c.pos);
    let Some((import, files)) = pending_import() else {
        return view! {
            <DialogFrame title="Import from DPM" id="import-report-title">
                <p>"Nothing is waiting to be imported."</p>
            </DialogFrame>
        }
        .into_any();
    };
    let t = &import.topology;
    let plural =
        |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    let summary = format!(
        "{} read: {} ({}) and {}. Nothing changes until you open it; then it is one step you can undo.",
        plural(files.len(), "file", "files"),
        plural(t.servers.len(), "server", "servers"),
        plural(t.servers.iter().filter(|s| s.is_dpm()).count(), "DPM server", "DPM servers"),
        plural(t.protections.len(), "protection", "protections"),
    );
    let text = import.report_text();
    let sections: Vec<_> = [
        ReportKind::Conflict,
        ReportKind::Skipped,
        ReportKind::Unknown,
        ReportKind::Inferred,
    ]
    .into_iter()
    .filter_map(|kind| {
        let lines: Vec<ReportLine> = import
            .report
            .iter()
            .filter(|l| l.kind == kind)
            .cloned()
            .collect();
        section(kind, lines, pos)
    })
    .collect();
    view! {
        <DialogFrame title="Import from DPM" id="import-report-title">
            <p data-testid="import-summary">{summary}</p>
            <div class="import-report" data-testid="import-report">{sections}</div>
            <div class="row">
                <button class="btn primary" data-action="import-open" on:click=move |_| open_import(ed, pos, &[])>
                    "Open this estate"
                </button>
                <button class="btn" data-action="import-report-download"
                    on:click=move |_| download("dpm-import-report.txt", "text/plain", &text)>
                    "Download the report"
                </button>
                <button class="btn" data-action="close">"Cancel"</button>
            </div>
        </DialogFrame>
    }
    .into_any()
}

/// The heading and the words under it of each kind of line.
fn heading(kind: ReportKind) -> (&'static str, &'static str) {
    match kind {
        ReportKind::Conflict => (
            "Conflicts",
            "The exports disagree. Show opens the estate on the servers concerned, where the conflict is listed under Problems.",
        ),
        ReportKind::Skipped => ("Left out", "What could not be read, and where."),
        ReportKind::Unknown => (
            "Not in the exports",
            "Facts DPM's cmdlets do not give: set them in the drawing where they apply.",
        ),
        ReportKind::Inferred => (
            "Inferred",
            "Read from what implies it rather than states it: check what matters to you.",
        ),
    }
}

/// One kind's section, or none when it has no line. Inferred lines, the
/// most and the least pressing, are folded away.
fn section(kind: ReportKind, lines: Vec<ReportLine>, pos: Positions) -> Option<AnyView> {
    if lines.is_empty() {
        return None;
    }
    let (title, about) = heading(kind);
    let n = lines.len();
    let more = n.saturating_sub(SHOWN);
    let items = lines
        .into_iter()
        .take(SHOWN)
        .map(|l| line(l, pos))
        .collect_view();
    let rest = (more > 0).then(|| {
        view! { <li class="muted">{format!("and {more} more, in the downloaded report")}</li> }
    });
    let body = view! {
        <p class="muted">{about}</p>
        <ul>{items}{rest}</ul>
    };
    let class = format!("report-kind {}", kind.as_str());
    Some(if kind == ReportKind::Inferred {
        view! {
            <details class=class data-kind=kind.as_str()>
                <summary><h3>{format!("{title} ({n})")}</h3></summary>
                {body}
            </details>
        }
        .into_any()
    } else {
        view! {
            <section class=class data-kind=kind.as_str()>
                <h3>{format!("{title} ({n})")}</h3>
                {body}
            </section>
        }
        .into_any()
    })
}

/// One line: where (file, place), what, and for a conflict its Show.
fn line(l: ReportLine, pos: Positions) -> impl IntoView {
    let ed = crate::ctx::ctx().ed;
    let at = match (l.file.is_empty(), l.place.is_empty()) {
        (true, _) => String::new(),
        (false, true) => l.file.clone(),
        (false, false) => format!("{}, {}", l.file, l.place),
    };
    let show = (l.kind == ReportKind::Conflict && !l.servers.is_empty()).then(|| {
        let servers = l.servers.clone();
        view! {
            <button class="btn small" data-action="import-show" on:click=move |_| open_import(ed, pos, &servers)>
                "Show"
            </button>
        }
    });
    view! {
        <li data-report=l.kind.as_str()>
            {(!at.is_empty()).then(|| view! { <span class="report-at">{at}</span> })}
            <span class="report-message">{l.message}</span>
            {show}
        </li>
    }
}
