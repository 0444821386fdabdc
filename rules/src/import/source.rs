//! One file's text to the exports it holds: a `dpm-inventory/1` JSON file
//! (one DPM server, or a list of them as `Invoke-Command` gathers them), or
//! a CSV of data sources with the DPM server's name in a column. Nothing
//! here decides what the rows mean (that is `merge.rs`); it reads every
//! field it knows, tolerantly, and says what it could not read and where.

use crate::json::{self, line_column, Member, Node, Value};

use super::csv;
use super::{Notes, ReportKind};

/// The format the export script writes.
pub const INVENTORY_FORMAT: &str = "dpm-inventory/1";

/// What one DPM server's export says.
#[derive(Default)]
pub(crate) struct Export {
    /// Index of the file among those read.
    pub(crate) file: usize,
    /// The DPM server's name as written, and where.
    pub(crate) dpm: String,
    pub(crate) dpm_place: String,
    /// The facts of a JSON export (a CSV has none).
    pub(crate) facts: Option<Facts>,
    pub(crate) agents: Vec<Agent>,
    pub(crate) rows: Vec<Row>,
}

/// A JSON export's facts about its DPM server, each with its place.
#[derive(Default)]
pub(crate) struct Facts {
    pub(crate) product_name: Option<(String, String)>,
    pub(crate) product_version: Option<(String, String)>,
    pub(crate) msdpm_version: Option<(String, String)>,
    pub(crate) sql_writer: Option<(String, String)>,
    pub(crate) db_server: Option<(String, String)>,
    pub(crate) site: Option<(String, String)>,
}

/// A `productionServers` entry: a computer with DPM's agent.
pub(crate) struct Agent {
    pub(crate) place: String,
    pub(crate) name: Option<String>,
    pub(crate) state: Option<String>,
}

/// A data source row.
#[derive(Default)]
pub(crate) struct Row {
    pub(crate) place: String,
    /// `ProductionServerName`, else `Computer`.
    pub(crate) server: Option<String>,
    pub(crate) name: Option<String>,
    pub(crate) object_type: Option<String>,
    pub(crate) class: Option<String>,
    pub(crate) protection_type: Option<String>,
    pub(crate) source_dpm: Option<String>,
    pub(crate) is_dpm_database: Option<bool>,
    pub(crate) is_local_dpm_database: Option<bool>,
    pub(crate) is_dpm_datasource: Option<bool>,
    pub(crate) protected: Option<bool>,
    pub(crate) from_dpm: Option<bool>,
    pub(crate) from_ps: Option<bool>,
}

/// Top-level fields the export writes (and `Invoke-Command`'s own).
const TOP: &[&str] = &[
    "format",
    "dpmServer",
    "fqdn",
    "productName",
    "productVersion",
    "msdpmFileVersion",
    "sqlWriter",
    "dbServer",
    "site",
    "productionServers",
    "datasources",
];
const AGENT: &[&str] = &[
    "ServerName",
    "MachineName",
    "Name",
    "Domain",
    "ClusterName",
    "ServerProtectionState",
    "AgentVersion",
    "Connectivity",
];
/// Data source fields this reader uses or knows to be of no use to a
/// topology (read and left alone without a word).
const ROW: &[&str] = &[
    "ProductionServerName",
    "Computer",
    "Name",
    "DisplayPath",
    "LogicalPath",
    "ObjectType",
    "Class",
    "ProtectionGroupName",
    "ProtectionType",
    "SourceDPMServer",
    "IsDPMDatabase",
    "IsLocalDPMDatabase",
    "IsDPMDatasource",
    "Protected",
    "CurrentlyProtected",
    "UnderActiveProtectionFromDPM",
    "UnderActiveProtectionFromPS",
    "DatasourceId",
    "PrimaryDPMDatasourceId",
    "Instance",
];
/// Fields PowerShell remoting adds to every object.
const REMOTING: &[&str] = &["PSComputerName", "RunspaceId", "PSShowComputerName"];
/// CSV columns that name the DPM server of a row, best first.
const DPM_COLUMNS: &[&str] = &["DpmServer", "DPMServerName", "PSComputerName"];

/// The exports in file `file` (`name`, `text`). A file that holds none is
/// one `Skipped` line (the reason is returned too, for the error when no
/// file could be read).
pub(crate) fn exports(
    file: usize,
    name: &str,
    text: &str,
    notes: &mut Notes,
) -> Result<Vec<Export>, String> {
    let body = text.trim_start_matches('\u{feff}');
    let refuse = |notes: &mut Notes, place: String, why: String| {
        notes.add(ReportKind::Skipped, file, place, why.clone(), Vec::new());
        Err(why)
    };
    if text.len() > crate::MAX_INPUT_BYTES {
        let why = format!(
            "the file is {} bytes; the largest this reads is {} bytes",
            text.len(),
            crate::MAX_INPUT_BYTES
        );
        return refuse(notes, String::new(), why);
    }
    match body.trim_start().chars().next() {
        None => refuse(notes, String::new(), "the file is empty".into()),
        Some('{') | Some('[') => json_exports(file, name, body, notes),
        Some(_) => csv_exports(file, body, notes),
    }
}

fn json_exports(
    file: usize,
    name: &str,
    text: &str,
    notes: &mut Notes,
) -> Result<Vec<Export>, String> {
    let root = match json::parse(text) {
        Ok(r) => r,
        Err(e) => {
            let (l, c) = line_column(text, e.at);
            let message = e.message.replace("; a scenario file nests four deep", "");
            let why = format!("not JSON: {message} (line {l}, column {c})");
            notes.add(
                ReportKind::Skipped,
                file,
                format!("line {l}"),
                why.clone(),
                Vec::new(),
            );
            return Err(why);
        }
    };
    let mut r = JsonFile {
        file,
        name,
        breaks: text
            .bytes()
            .enumerate()
            .filter(|&(_, b)| b == b'\n')
            .map(|(i, _)| i)
            .collect(),
        unknown: Vec::new(),
    };
    let out = match &root.value {
        Value::Array(items) => {
            let mut out = Vec::new();
            for (i, item) in items.iter().enumerate() {
                if let Some(e) = r.export(item, &format!("[{i}]"), notes) {
                    out.push(e);
                }
            }
            out
        }
        _ => r.export(&root, "", notes).into_iter().collect(),
    };
    r.report_unknown(notes);
    if out.is_empty() {
        return Err(notes
            .last_skip(file)
            .unwrap_or_else(|| "no DPM server's export in the file".into()));
    }
    Ok(out)
}

/// Reading one JSON file: its text for line numbers, and the fields it
/// holds that the format does not have (reported once each).
struct JsonFile<'a> {
    file: usize,
    name: &'a str,
    /// Byte offsets of the text's line breaks, for line numbers without a
    /// scan from the start per row.
    breaks: Vec<usize>,
    unknown: Vec<(String, String)>,
}

fn members(n: &Node) -> Option<&[Member]> {
    match &n.value {
        Value::Object(m) => Some(m),
        _ => None,
    }
}

fn field<'a>(m: &'a [Member], key: &str) -> Option<&'a Node> {
    m.iter()
        .find(|x| x.key.eq_ignore_ascii_case(key))
        .map(|x| &x.value)
        .filter(|n| n.value != Value::Null)
}

fn under(prefix: &str, key: &str) -> String {
    if prefix.is_empty() {
        key.to_string()
    } else if key.starts_with('[') {
        format!("{prefix}{key}")
    } else {
        format!("{prefix}.{key}")
    }
}

impl JsonFile<'_> {
    fn place(&self, path: &str, at: usize) -> String {
        let line = self.breaks.partition_point(|&b| b < at) + 1;
        if path.is_empty() {
            format!("line {line}")
        } else {
            format!("{path} (line {line})")
        }
    }

    /// Keys of `m` not in `known`, remembered with their first place.
    fn note_unknown(&mut self, m: &[Member], known: &[&str], path: &str) {
        for x in m {
            let known = known
                .iter()
                .chain(REMOTING)
                .any(|k| k.eq_ignore_ascii_case(&x.key));
            if !known && !self.unknown.iter().any(|(k, _)| *k == x.key) && self.unknown.len() < 50 {
                let place = self.place(&under(path, &x.key), x.at);
                self.unknown.push((x.key.clone(), place));
            }
        }
    }

    fn report_unknown(&self, notes: &mut Notes) {
        if self.unknown.is_empty() {
            return;
        }
        let list: Vec<String> = self
            .unknown
            .iter()
            .map(|(k, _)| format!("\"{k}\""))
            .collect();
        let first = self.unknown[0].1.clone();
        notes.add(
            ReportKind::Unknown,
            self.file,
            first,
            format!(
                "fields that {INVENTORY_FORMAT} does not have, left unread: {}",
                list.join(", ")
            ),
            Vec::new(),
        );
    }

    /// A text field: strings as written (trimmed; blank is absent),
    /// numbers and booleans as text; a list or object is reported.
    fn text(&self, m: &[Member], key: &str, path: &str, notes: &mut Notes) -> Option<String> {
        let n = field(m, key)?;
        match &n.value {
            Value::String(s) => Some(s.trim().to_string()).filter(|s| !s.is_empty()),
            Value::Bool(b) => Some(if *b { "True" } else { "False" }.to_string()),
            Value::Number(v) => Some(crate::geometry::fixed(*v, 6)),
            other => {
                let place = self.place(&under(path, key), n.at);
                let msg = format!("expected text, found {}; left unread", other.kind());
                notes.add(ReportKind::Skipped, self.file, place, msg, Vec::new());
                None
            }
        }
    }

    /// A yes/no field: a boolean, or the text PowerShell writes for one.
    fn flag(&self, m: &[Member], key: &str, path: &str, notes: &mut Notes) -> Option<bool> {
        let n = field(m, key)?;
        if let Value::Bool(b) = n.value {
            return Some(b);
        }
        let t = self.text(m, key, path, notes)?;
        let b = parse_flag(&t);
        if b.is_none() {
            let place = self.place(&under(path, key), n.at);
            let msg = format!("\"{t}\" is neither true nor false; left unread");
            notes.add(ReportKind::Unknown, self.file, place, msg, Vec::new());
        }
        b
    }

    /// A fact with its place.
    fn fact(
        &self,
        m: &[Member],
        key: &str,
        path: &str,
        notes: &mut Notes,
    ) -> Option<(String, String)> {
        let at = field(m, key)?.at;
        let t = self.text(m, key, path, notes)?;
        Some((t, self.place(&under(path, key), at)))
    }

    /// The list at `key`: a list, or one object where PowerShell wrote a
    /// list of one without brackets.
    fn list<'n>(&self, m: &'n [Member], key: &str) -> Option<Vec<&'n Node>> {
        let n = field(m, key)?;
        Some(match &n.value {
            Value::Array(items) => items.iter().collect(),
            _ => vec![n],
        })
    }

    fn export(&mut self, node: &Node, path: &str, notes: &mut Notes) -> Option<Export> {
        let place = self.place(path, node.at);
        let Some(m) = members(node) else {
            let msg = format!(
                "expected an object with \"format\": \"{INVENTORY_FORMAT}\", found {}",
                node.value.kind()
            );
            notes.add(ReportKind::Skipped, self.file, place, msg, Vec::new());
            return None;
        };
        if !self.format_ok(m, &place, notes) {
            return None;
        }
        self.note_unknown(m, TOP, path);
        let (dpm, dpm_place) = self.dpm_name(m, path, &place, notes)?;
        let facts = Facts {
            product_name: self.fact(m, "productName", path, notes),
            product_version: self.fact(m, "productVersion", path, notes),
            msdpm_version: self.fact(m, "msdpmFileVersion", path, notes),
            sql_writer: self.fact(m, "sqlWriter", path, notes),
            db_server: self.fact(m, "dbServer", path, notes),
            site: self.fact(m, "site", path, notes),
        };
        let mut e = Export {
            file: self.file,
            dpm,
            dpm_place,
            facts: Some(facts),
            ..Export::default()
        };
        self.agents(m, path, &mut e, notes);
        self.rows(m, path, &place, &mut e, notes);
        Some(e)
    }

    /// `format`: `dpm-inventory/1`, or absent in a file that has the
    /// export's lists (read as version 1, and said so).
    fn format_ok(&self, m: &[Member], place: &str, notes: &mut Notes) -> bool {
        let skip = |notes: &mut Notes, msg: String| {
            notes.add(
                ReportKind::Skipped,
                self.file,
                place.to_string(),
                msg,
                Vec::new(),
            );
            false
        };
        match field(m, "format").map(|n| &n.value) {
            Some(Value::String(f)) if f.trim() == INVENTORY_FORMAT => true,
            Some(Value::String(f)) if f.starts_with("dpm-sketch/") => skip(
                notes,
                format!("a DPM Sketch scenario (\"{f}\"), not a DPM inventory: open it instead of importing it"),
            ),
            Some(Value::String(f)) if f.starts_with("dpm-inventory/") => skip(
                notes,
                format!("\"{f}\" was written by a newer export; this build reads {INVENTORY_FORMAT}"),
            ),
            Some(other) => skip(
                notes,
                format!(
                    "\"format\" is {}, not \"{INVENTORY_FORMAT}\": not a DPM inventory",
                    match other {
                        Value::String(f) => format!("\"{f}\""),
                        v => v.kind().to_string(),
                    }
                ),
            ),
            None if field(m, "datasources").is_some() || field(m, "dpmServer").is_some() => {
                let msg = format!("no \"format\": read as {INVENTORY_FORMAT}, as its fields are that format's");
                notes.add(ReportKind::Inferred, self.file, place.to_string(), msg, Vec::new());
                true
            }
            None => skip(
                notes,
                format!("not a DPM inventory: no \"format\": \"{INVENTORY_FORMAT}\", no \"dpmServer\" and no \"datasources\""),
            ),
        }
    }

    /// The DPM server's name: `dpmServer`, else `fqdn`'s first label, else
    /// the file's name `NAME.dpm-inventory.json` (each fallback said).
    fn dpm_name(
        &self,
        m: &[Member],
        path: &str,
        place: &str,
        notes: &mut Notes,
    ) -> Option<(String, String)> {
        if let Some(f) = self.fact(m, "dpmServer", path, notes) {
            return Some(f);
        }
        if let Some((fqdn, at)) = self.fact(m, "fqdn", path, notes) {
            let msg = format!("no \"dpmServer\": the DPM server is named from \"fqdn\" ({fqdn})");
            notes.add(ReportKind::Inferred, self.file, at.clone(), msg, Vec::new());
            return Some((fqdn, at));
        }
        let base = self.name.rsplit(['/', '\\']).next().unwrap_or("");
        let stem = base
            .len()
            .checked_sub(".dpm-inventory.json".len())
            .filter(|&n| n > 0 && base.is_char_boundary(n))
            .filter(|&n| base[n..].eq_ignore_ascii_case(".dpm-inventory.json"))
            .map(|n| &base[..n]);
        if let Some(stem) = stem {
            let msg = format!("no \"dpmServer\" or \"fqdn\": the DPM server is named \"{stem}\" after the file's name");
            notes.add(
                ReportKind::Inferred,
                self.file,
                place.to_string(),
                msg,
                Vec::new(),
            );
            return Some((stem.to_string(), place.to_string()));
        }
        let msg = "no \"dpmServer\" or \"fqdn\": which DPM server this export describes is unknown; left out".to_string();
        notes.add(
            ReportKind::Skipped,
            self.file,
            place.to_string(),
            msg,
            Vec::new(),
        );
        None
    }

    fn agents(&mut self, m: &[Member], path: &str, e: &mut Export, notes: &mut Notes) {
        let key = under(path, "productionServers");
        for (i, n) in self
            .list(m, "productionServers")
            .unwrap_or_default()
            .into_iter()
            .enumerate()
        {
            let p = format!("{key}[{i}]");
            let place = self.place(&p, n.at);
            let Some(a) = members(n) else {
                let msg = format!("expected an object, found {}; left out", n.value.kind());
                notes.add(ReportKind::Skipped, self.file, place, msg, Vec::new());
                continue;
            };
            self.note_unknown(a, AGENT, &p);
            let name = self
                .text(a, "ServerName", &p, notes)
                .or_else(|| self.text(a, "MachineName", &p, notes))
                .or_else(|| self.text(a, "Name", &p, notes));
            let state = self.text(a, "ServerProtectionState", &p, notes);
            e.agents.push(Agent { place, name, state });
        }
    }

    fn rows(&mut self, m: &[Member], path: &str, at: &str, e: &mut Export, notes: &mut Notes) {
        let key = under(path, "datasources");
        let Some(list) = self.list(m, "datasources") else {
            let msg = format!("no \"datasources\": what {} protects is unknown", e.dpm);
            notes.add(
                ReportKind::Unknown,
                self.file,
                at.to_string(),
                msg,
                vec![e.dpm.clone()],
            );
            return;
        };
        e.rows.reserve(list.len());
        for (i, n) in list.into_iter().enumerate() {
            let p = format!("{key}[{i}]");
            let place = self.place(&p, n.at);
            let Some(d) = members(n) else {
                let msg = format!("expected an object, found {}; left out", n.value.kind());
                notes.add(ReportKind::Skipped, self.file, place, msg, Vec::new());
                continue;
            };
            self.note_unknown(d, ROW, &p);
            let t = |k: &str, notes: &mut Notes| self.text(d, k, &p, notes);
            let f = |k: &str, notes: &mut Notes| self.flag(d, k, &p, notes);
            let row = Row {
                server: t("ProductionServerName", notes).or_else(|| t("Computer", notes)),
                name: t("Name", notes).or_else(|| t("DisplayPath", notes)),
                object_type: t("ObjectType", notes),
                class: t("Class", notes),
                protection_type: t("ProtectionType", notes),
                source_dpm: t("SourceDPMServer", notes),
                is_dpm_database: f("IsDPMDatabase", notes),
                is_local_dpm_database: f("IsLocalDPMDatabase", notes),
                is_dpm_datasource: f("IsDPMDatasource", notes),
                protected: f("Protected", notes).or(f("CurrentlyProtected", notes)),
                from_dpm: f("UnderActiveProtectionFromDPM", notes),
                from_ps: f("UnderActiveProtectionFromPS", notes),
                place,
            };
            e.rows.push(row);
        }
    }
}

/// `True`, `false`, `1`, `0`, `yes`, `no`, any case.
pub(crate) fn parse_flag(t: &str) -> Option<bool> {
    let t = t.trim();
    let is = |w: &str| t.eq_ignore_ascii_case(w);
    if is("true") || is("1") || is("yes") {
        Some(true)
    } else if is("false") || is("0") || is("no") {
        Some(false)
    } else {
        None
    }
}

/// A CSV of data sources, one row each, the DPM server in a column: one
/// export per DPM server, in order of first row.
fn csv_exports(file: usize, text: &str, notes: &mut Notes) -> Result<Vec<Export>, String> {
    let skip = |notes: &mut Notes, place: String, why: String| {
        notes.add(ReportKind::Skipped, file, place, why.clone(), Vec::new());
        Err(why)
    };
    let records = match csv::records(text) {
        Ok(r) => r,
        Err(e) => {
            let why = format!(
                "a cell opens with a double quote on line {} and never closes it",
                e.line
            );
            return skip(notes, format!("line {}", e.line), why);
        }
    };
    let Some((header, rows)) = records.split_first() else {
        return skip(notes, String::new(), "no header line".into());
    };
    let col = |name: &str| {
        header
            .cells
            .iter()
            .position(|c| c.trim().eq_ignore_ascii_case(name))
    };
    let place = format!("line {}", header.line);
    let Some(dpm_col) = DPM_COLUMNS.iter().find_map(|c| col(c)) else {
        let why = format!(
            "not a DPM inventory: no column naming the DPM server ({}) in the header",
            DPM_COLUMNS.join(", ")
        );
        return skip(notes, place, why);
    };
    let Some(server_col) = col("ProductionServerName").or_else(|| col("Computer")) else {
        let why = "not a DPM inventory: no ProductionServerName or Computer column in the header"
            .to_string();
        return skip(notes, place, why);
    };
    unknown_columns(file, &header.cells, &place, notes);
    let cols = Columns {
        server: server_col,
        computer: col("Computer"),
        name: col("Name").or_else(|| col("DisplayPath")),
        object_type: col("ObjectType"),
        class: col("Class"),
        protection_type: col("ProtectionType"),
        source_dpm: col("SourceDPMServer"),
        is_dpm_database: col("IsDPMDatabase"),
        is_local_dpm_database: col("IsLocalDPMDatabase"),
        is_dpm_datasource: col("IsDPMDatasource"),
        protected: col("Protected").or_else(|| col("CurrentlyProtected")),
        from_dpm: col("UnderActiveProtectionFromDPM"),
        from_ps: col("UnderActiveProtectionFromPS"),
        header: header.cells.clone(),
    };
    let mut out: Vec<Export> = Vec::new();
    let mut index: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for r in rows {
        let place = format!("line {}", r.line);
        let cell = |i: usize| r.cells.get(i).map(|c| c.trim()).filter(|c| !c.is_empty());
        let Some(dpm) = cell(dpm_col) else {
            let msg = format!(
                "no DPM server in column {}; row left out",
                header.cells[dpm_col].trim()
            );
            notes.add(ReportKind::Skipped, file, place, msg, Vec::new());
            continue;
        };
        let key = crate::model::fold_case(dpm);
        let k = *index.entry(key).or_insert_with(|| {
            out.push(Export {
                file,
                dpm: dpm.to_string(),
                dpm_place: place.clone(),
                ..Export::default()
            });
            out.len() - 1
        });
        let row = cols.row(r, place, file, notes);
        out[k].rows.push(row);
    }
    if out.is_empty() {
        return skip(notes, place, "no data source rows under the header".into());
    }
    Ok(out)
}

/// Where each known column is in a CSV's header.
struct Columns {
    server: usize,
    computer: Option<usize>,
    name: Option<usize>,
    object_type: Option<usize>,
    class: Option<usize>,
    protection_type: Option<usize>,
    source_dpm: Option<usize>,
    is_dpm_database: Option<usize>,
    is_local_dpm_database: Option<usize>,
    is_dpm_datasource: Option<usize>,
    protected: Option<usize>,
    from_dpm: Option<usize>,
    from_ps: Option<usize>,
    header: Vec<String>,
}

impl Columns {
    fn row(&self, r: &csv::Record, place: String, file: usize, notes: &mut Notes) -> Row {
        let cell = |i: Option<usize>| {
            i.and_then(|i| r.cells.get(i))
                .map(|c| c.trim())
                .filter(|c| !c.is_empty())
                .map(str::to_string)
        };
        let flag = |i: Option<usize>, notes: &mut Notes| {
            let t = cell(i)?;
            let b = parse_flag(&t);
            if b.is_none() {
                let col = i.and_then(|i| self.header.get(i)).map_or("", |h| h.trim());
                let msg = format!("{col} is \"{t}\", neither true nor false; left unread");
                notes.add(ReportKind::Unknown, file, place.clone(), msg, Vec::new());
            }
            b
        };
        Row {
            server: cell(Some(self.server)).or_else(|| cell(self.computer)),
            name: cell(self.name),
            object_type: cell(self.object_type),
            class: cell(self.class),
            protection_type: cell(self.protection_type),
            source_dpm: cell(self.source_dpm),
            is_dpm_database: flag(self.is_dpm_database, notes),
            is_local_dpm_database: flag(self.is_local_dpm_database, notes),
            is_dpm_datasource: flag(self.is_dpm_datasource, notes),
            protected: flag(self.protected, notes),
            from_dpm: flag(self.from_dpm, notes),
            from_ps: flag(self.from_ps, notes),
            place,
        }
    }
}

/// One line naming the header's columns the import does not use.
fn unknown_columns(file: usize, header: &[String], place: &str, notes: &mut Notes) {
    let unknown: Vec<&str> = header
        .iter()
        .map(|c| c.trim())
        .filter(|c| {
            !c.is_empty()
                && !ROW
                    .iter()
                    .chain(DPM_COLUMNS)
                    .chain(REMOTING)
                    .any(|k| k.eq_ignore_ascii_case(c))
        })
        .collect();
    if !unknown.is_empty() {
        let msg = format!("columns not used by the import: {}", unknown.join(", "));
        notes.add(
            ReportKind::Unknown,
            file,
            place.to_string(),
            msg,
            Vec::new(),
        );
    }
}
