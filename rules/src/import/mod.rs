//! Importing a real estate: the `dpm-inventory/1` files that the export
//! script (`scripts/export-dpm-inventory.ps1`) writes on each DPM server,
//! or a CSV of `Get-DPMDatasource` rows with the DPM server's name in a
//! column, merged into one topology, and a report of what was inferred,
//! what is unknown, what conflicts and what could not be read.
//!
//! Tolerant and honest: every field is optional, a file or row that cannot
//! be used is left out with a line that says where and why, and nothing is
//! guessed without a line saying so. The only failure is having nothing
//! readable at all ([`ImportError`], naming each file and why).
//!
//! How rows become protections (`merge.rs`), per row on DPM server D for
//! server X: X = D is self-protection; X a DPM server (one that sent a
//! file, one a row names as `SourceDPMServer`, or one whose database a row
//! holds) is D protecting it as a secondary; a row that is a replica via a
//! primary (`ProtectionType` `ProtectFromDPM`, `SourceDPMServer`,
//! `UnderActiveProtectionFromDPM`) is D protecting that primary; any other
//! row is D protecting X directly. Two DPM servers that both protect X
//! directly are a conflict, unless one is the other's secondary (switched
//! protection) or X's rows are virtual machines spread over them
//! (scale-out).
//!
//! ```
//! let dpm1 = r#"{"format": "dpm-inventory/1", "dpmServer": "DPM1",
//!   "productVersion": "10.19.458.0",
//!   "datasources": [{"ProductionServerName": "FS1.corp.example", "ObjectType": "Volume"}]}"#;
//! let import = dpm_rules::import::read(&[("DPM1.dpm-inventory.json", dpm1)]).unwrap();
//! let t = &import.topology;
//! assert_eq!(t.servers.len(), 2);
//! assert_eq!(t.name(t.protections[0].target), "FS1");
//! assert!(!import.has_conflicts());
//! ```

mod csv;
mod generate;
mod merge;
mod source;

use std::fmt;

use crate::model::{fold_case, Topology};

pub use generate::generate;
pub use source::INVENTORY_FORMAT;

/// What an import line is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ReportKind {
    /// Two files disagree: two DPM servers both protect a server directly
    /// (and neither switched protection nor scale-out explains it).
    Conflict,
    /// A file, an entry or a field that could not be read; left out.
    Skipped,
    /// A fact the files do not give (hosts, sites, dedup volumes, a DPM
    /// server that sent no file, a build the published list lacks).
    Unknown,
    /// A fact read from something that implies it rather than states it
    /// (a version from a build, switched protection, a secondary).
    Inferred,
}

impl ReportKind {
    /// As written in reports: "conflict", "skipped", "unknown", "inferred".
    pub fn as_str(self) -> &'static str {
        match self {
            ReportKind::Conflict => "conflict",
            ReportKind::Skipped => "skipped",
            ReportKind::Unknown => "unknown",
            ReportKind::Inferred => "inferred",
        }
    }
}

impl fmt::Display for ReportKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One line of the import report.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReportLine {
    pub kind: ReportKind,
    /// The file it is about, as given to [`read`]; empty for a line about
    /// the whole import.
    pub file: String,
    /// Where in the file: "datasources[3] (line 41)", "line 7" (a CSV
    /// row); empty for the whole file.
    pub place: String,
    pub message: String,
    /// The servers it is about, by their names in the imported topology
    /// (for a finding the user can click).
    pub servers: Vec<String>,
}

impl fmt::Display for ReportLine {
    /// `conflict  DPM3.dpm-inventory.json, datasources[0] (line 9): message`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let at = match (self.file.is_empty(), self.place.is_empty()) {
            (true, _) => String::new(),
            (false, true) => format!("{}: ", self.file),
            (false, false) => format!("{}, {}: ", self.file, self.place),
        };
        write!(f, "{:<9} {at}{}", self.kind.as_str(), self.message)
    }
}

/// An imported estate: the topology, laid out, and the report.
#[derive(Clone, Debug)]
pub struct Import {
    /// Written by [`crate::to_json`] as `dpm-sketch/2` when it holds
    /// version 2 facts (a remote database, a site, a build number).
    pub topology: Topology,
    /// Conflicts first, then what was skipped, unknown and inferred; each
    /// kind in file order.
    pub report: Vec<ReportLine>,
    /// The files that held nothing readable (file, why); each is also a
    /// `Skipped` line of the report.
    pub refused: Vec<(String, String)>,
}

impl Import {
    /// The report has a conflict (`dpm-check import` exits with 1).
    pub fn has_conflicts(&self) -> bool {
        self.report.iter().any(|l| l.kind == ReportKind::Conflict)
    }

    /// Some file, entry or field was left out.
    pub fn has_skips(&self) -> bool {
        self.report.iter().any(|l| l.kind == ReportKind::Skipped)
    }

    /// The report as text, one line each (see [`ReportLine`]'s `Display`).
    pub fn report_text(&self) -> String {
        let mut out = String::new();
        for l in &self.report {
            out.push_str(&l.to_string());
            out.push('\n');
        }
        out
    }
}

/// Nothing could be imported: each file and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportError {
    /// (file, reason), in the order given.
    pub files: Vec<(String, String)>,
}

impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.files.is_empty() {
            return f.write_str("no files to import");
        }
        f.write_str("nothing to import:")?;
        for (file, why) in &self.files {
            write!(f, "\n  {file}: {why}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ImportError {}

/// Reads inventories: `files` are (name, text) pairs, a name being what
/// the report calls the file (its path or file name). JSON files
/// (`dpm-inventory/1`, one DPM server each or a list of them) and CSV
/// files (data source rows with a `DpmServer`, `DPMServerName` or
/// `PSComputerName` column) are told apart by content and may be mixed.
///
/// Returns the merged estate, laid out by the auto-layout (grouped by site
/// where the exports name sites), and the report. Fails only when no file
/// holds a DPM server's export, or the estate is larger than a drawing can
/// hold. Never panics.
pub fn read(files: &[(&str, &str)]) -> Result<Import, ImportError> {
    let mut import = read_unplaced(files)?;
    crate::layout::apply_layout(&mut import.topology);
    Ok(import)
}

/// [`read`] without the layout: servers have no positions. For measuring
/// the reader apart from the layout.
#[doc(hidden)]
pub fn read_unplaced(files: &[(&str, &str)]) -> Result<Import, ImportError> {
    let mut notes = Notes::default();
    let mut exports = Vec::new();
    let mut refused = Vec::new();
    for (i, (name, text)) in files.iter().enumerate() {
        match source::exports(i, name, text, &mut notes) {
            Ok(e) => exports.extend(e),
            Err(why) => refused.push((name.to_string(), why)),
        }
    }
    if exports.is_empty() {
        if refused.is_empty() {
            return Err(ImportError { files: Vec::new() });
        }
        return Err(ImportError { files: refused });
    }
    let names: Vec<&str> = files.iter().map(|f| f.0).collect();
    let topology = merge::merge(&exports, &names, &mut notes);
    if topology.servers.len() > crate::MAX_SERVERS {
        let why = format!(
            "together {} servers: a drawing holds at most {}",
            topology.servers.len(),
            crate::MAX_SERVERS
        );
        let files = files.iter().map(|(n, _)| (n.to_string(), why.clone()));
        return Err(ImportError {
            files: files.collect(),
        });
    }
    let report = notes.finish(files, &topology);
    Ok(Import {
        topology,
        report,
        refused,
    })
}

/// Text that looks like an inventory rather than a scenario or a table:
/// JSON naming `dpm-inventory/` or holding `datasources`, or a CSV header
/// with a DPM server column and `ProductionServerName`. For the app, to
/// send such a file to [`read`] rather than to [`crate::read`].
pub fn looks_like_inventory(text: &str) -> bool {
    let body = text.trim_start_matches('\u{feff}').trim_start();
    let head = &body[..floor_boundary(body, 4096)];
    if body.starts_with('{') || body.starts_with('[') {
        return head.contains("\"dpm-inventory/")
            || (head.contains("\"datasources\"") && !head.contains("\"dpm-sketch/"));
    }
    let first = head
        .lines()
        .find(|l| !l.starts_with('#'))
        .unwrap_or("")
        .to_ascii_lowercase();
    first.contains("productionservername")
        && ["dpmserver", "pscomputername"]
            .iter()
            .any(|c| first.contains(c))
}

/// The largest char boundary of `s` at or below `at`.
fn floor_boundary(s: &str, at: usize) -> usize {
    let mut at = at.min(s.len());
    while !s.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// The text of a file's bytes: UTF-8 (with or without a byte order mark),
/// or UTF-16 with its byte order mark, as Windows PowerShell 5.1's
/// `Out-File` and `>` write. `Err` says why it is not text.
pub fn text_of(bytes: &[u8]) -> Result<String, String> {
    let utf16 = |le: bool| {
        let units = bytes[2..].chunks(2).map(|c| match (c, le) {
            ([a, b], true) => u16::from_le_bytes([*a, *b]),
            ([a, b], false) => u16::from_be_bytes([*a, *b]),
            ([a], _) => *a as u16,
            _ => 0,
        });
        char::decode_utf16(units)
            .collect::<Result<String, _>>()
            .map_err(|e| format!("not UTF-16 text: {e}"))
    };
    match bytes {
        [0xFF, 0xFE, ..] => utf16(true),
        [0xFE, 0xFF, ..] => utf16(false),
        _ => String::from_utf8(bytes.to_vec()).map_err(|e| {
            format!(
                "not UTF-8 text (invalid byte at offset {})",
                e.utf8_error().valid_up_to()
            )
        }),
    }
}

/// The report as it is gathered: lines by file index, servers by name.
#[derive(Default)]
pub(crate) struct Notes {
    lines: Vec<Line>,
}

/// A line as gathered: kind, file index (none for the whole import),
/// place, message, server names.
type Line = (ReportKind, Option<usize>, String, String, Vec<String>);

impl Notes {
    /// A line about file `file` (`usize::MAX` for the whole import).
    pub(crate) fn add(
        &mut self,
        kind: ReportKind,
        file: usize,
        place: String,
        message: String,
        servers: Vec<String>,
    ) {
        let file = (file != usize::MAX).then_some(file);
        self.lines.push((kind, file, place, message, servers));
    }

    /// The last reason a file was skipped.
    pub(crate) fn last_skip(&self, file: usize) -> Option<String> {
        self.lines
            .iter()
            .rev()
            .find(|l| l.0 == ReportKind::Skipped && l.1 == Some(file))
            .map(|l| l.3.clone())
    }

    /// The lines, sorted by kind (stable: file order within a kind), with
    /// file names, and only server names the topology has.
    fn finish(self, files: &[(&str, &str)], t: &Topology) -> Vec<ReportLine> {
        let names: std::collections::HashSet<String> =
            t.servers.iter().map(|s| fold_case(&s.name)).collect();
        let mut out: Vec<ReportLine> = self
            .lines
            .into_iter()
            .map(|(kind, file, place, message, servers)| ReportLine {
                kind,
                file: file
                    .and_then(|i| files.get(i))
                    .map_or(String::new(), |f| f.0.to_string()),
                place,
                message,
                servers: servers
                    .into_iter()
                    .filter(|s| names.contains(&fold_case(s)))
                    .collect(),
            })
            .collect();
        out.sort_by_key(|l| l.kind);
        out
    }
}
