//! The exports merged into one topology, with the report's lines about
//! what each row means (see the module above for the mapping).

use std::collections::{BTreeSet, HashMap, HashSet};

use crate::model::{
    fold_case, validate_name_form, Build, Kind, Protection, ServerId, Topology, Version, VssWriter,
    Workload,
};

use super::source::{Export, Facts, Row};
use super::{Notes, ReportKind};

/// The whole import, for lines that name no file.
const ALL: usize = usize::MAX;
/// Servers named in one line at most; the rest are counted.
const NAMED: usize = 12;

/// A row on DPM server `dpm` that protects server `x` directly.
struct Claim {
    dpm: usize,
    file: usize,
    place: String,
    name: Option<String>,
    /// The row's workload is virtual machines (Hyper-V or VMware).
    vm: bool,
    /// The row says `ProtectionType` `ProtectFromPS`.
    from_ps: bool,
}

/// A row on `dpm` that is a replica of `x`'s data held via a primary.
struct Replica {
    dpm: usize,
    /// The server, where the drawing has it when the row is read.
    x: Option<usize>,
    x_name: String,
    /// The primary the row names (`SourceDPMServer`).
    source: Option<usize>,
    file: usize,
    place: String,
    why: &'static str,
}

/// Why a DPM server protects another: the first row, and how many.
struct Secondary {
    file: usize,
    place: String,
    why: &'static str,
    rows: usize,
}

/// A type string no workload matches, in one file: its first place, how
/// many rows, and their servers.
type Unmapped = (String, usize, Vec<usize>);

struct Merge<'n> {
    notes: &'n mut Notes,
    /// The files' names, by index.
    files: &'n [&'n str],
    t: Topology,
    index: HashMap<String, usize>,
    /// Names whose first label is taken by computers of several domains:
    /// those keep their full names.
    collide: HashSet<String>,
    /// Each exporting DPM server's first export (file, place).
    exporter: HashMap<usize, (usize, String)>,
    /// Keys of the computers holding some DPM server's database.
    db_keys: HashSet<String>,
    /// The DPM servers whose database each server holds.
    db_owner: HashMap<usize, Vec<usize>>,
    /// Where the export whose facts are being read names its DPM server.
    here: String,
    links: HashMap<(usize, usize), usize>,
    protections: Vec<(usize, usize, bool)>,
    claims: HashMap<usize, Vec<Claim>>,
    claim_order: Vec<usize>,
    replicas: Vec<Replica>,
    secondaries: Vec<((usize, usize), Secondary)>,
    /// (DPM, server) pairs some row names.
    rows_on: HashSet<(usize, usize)>,
    workloads: HashMap<usize, BTreeSet<Workload>>,
    /// Type strings no workload matches: (file, text) to first place,
    /// rows and servers.
    unmapped: Vec<((usize, String), Unmapped)>,
}

/// The exports as one topology (not laid out); the lines go to `notes`.
pub(crate) fn merge(exports: &[Export], files: &[&str], notes: &mut Notes) -> Topology {
    let mut m = Merge {
        notes,
        files,
        t: Topology::new(),
        index: HashMap::new(),
        collide: HashSet::new(),
        exporter: HashMap::new(),
        db_keys: HashSet::new(),
        db_owner: HashMap::new(),
        here: String::new(),
        links: HashMap::new(),
        protections: Vec::new(),
        claims: HashMap::new(),
        claim_order: Vec::new(),
        replicas: Vec::new(),
        secondaries: Vec::new(),
        rows_on: HashSet::new(),
        workloads: HashMap::new(),
        unmapped: Vec::new(),
    };
    m.collisions(exports);
    m.dpm_servers(exports);
    for e in exports {
        m.facts(e);
    }
    for e in exports {
        m.rows(e);
    }
    m.replicas();
    m.claims();
    for e in exports {
        m.agents(e);
    }
    m.unknowns(exports);
    m.finish()
}

/// A computer name's first DNS label and the rest: "FS1.corp.example" is
/// ("FS1", "corp.example"); an IPv4 address is kept whole.
fn split_name(name: &str) -> (&str, &str) {
    let name = name.trim();
    if name.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
        return (name, "");
    }
    name.split_once('.').unwrap_or((name, ""))
}

/// The computer a `dbServer` value names: "SQLDB1\\DPM", "tcp:SQLDB1,1433"
/// are SQLDB1; `None` for the local server (".", "(local)", "localhost").
fn db_computer(s: &str) -> Option<&str> {
    let s = s.trim();
    let s = s.strip_prefix("tcp:").unwrap_or(s);
    let s = s.split(['\\', ',']).next().unwrap_or("").trim();
    let local = ["", ".", "(local)", "localhost", "127.0.0.1"];
    (!local.iter().any(|l| s.eq_ignore_ascii_case(l))).then_some(s)
}

/// The workload a type string names, if one does.
fn workload_of(s: &str) -> Option<Workload> {
    let l = s.to_ascii_lowercase();
    let has = |words: &[&str]| words.iter().any(|w| l.contains(w));
    Some(if has(&["sharepoint"]) {
        Workload::Sharepoint
    } else if has(&["sql"]) {
        Workload::Sql
    } else if has(&["exchange", "mailbox", "storage group"]) {
        Workload::Exchange
    } else if has(&["hyper-v", "hyperv"]) {
        Workload::Hyperv
    } else if has(&["vmware", "vcenter", "esx"]) {
        Workload::Vmware
    } else if has(&[
        "system protection",
        "systemprotection",
        "system state",
        "systemstate",
        "bare metal",
        "bmr",
    ]) {
        Workload::SystemState
    } else if has(&["volume", "share", "file"]) || l.starts_with("fs") {
        Workload::Files
    } else {
        return None;
    })
}

/// `names` for a sentence, the first [`NAMED`] of them and a count of the
/// rest.
fn list(names: &[String]) -> String {
    let mut s = names
        .iter()
        .take(NAMED)
        .cloned()
        .collect::<Vec<_>>()
        .join(", ");
    if names.len() > NAMED {
        s.push_str(&format!(" and {} more", names.len() - NAMED));
    }
    s
}

/// "1 row" or "12 rows" ("1,234 rows"): how many rows of an export say it.
fn rows(n: usize) -> String {
    match n {
        1 => "1 row".to_string(),
        n => format!("{} rows", crate::thousands(n)),
    }
}

impl Merge<'_> {
    fn note(&mut self, kind: ReportKind, file: usize, place: &str, msg: String, servers: &[usize]) {
        let names = servers.iter().map(|&i| self.t.servers[i].name.clone());
        self.notes
            .add(kind, file, place.to_string(), msg, names.collect());
    }

    fn name(&self, i: usize) -> &str {
        &self.t.servers[i].name
    }

    /// Computers of one first label in two domains keep their full names.
    fn collisions(&mut self, exports: &[Export]) {
        let mut domain: HashMap<String, String> = HashMap::new();
        let mut see = |name: &str, collide: &mut HashSet<String>| {
            let (label, rest) = split_name(name);
            if rest.is_empty() {
                return;
            }
            let (label, rest) = (fold_case(label), fold_case(rest));
            match domain.get(&label) {
                Some(d) if *d != rest => {
                    collide.insert(label);
                }
                Some(_) => {}
                None => {
                    domain.insert(label, rest);
                }
            }
        };
        for e in exports {
            see(&e.dpm, &mut self.collide);
            for r in &e.rows {
                for n in [&r.server, &r.source_dpm].into_iter().flatten() {
                    see(n, &mut self.collide);
                }
            }
        }
        if !self.collide.is_empty() {
            let mut names: Vec<String> = self.collide.iter().cloned().collect();
            names.sort();
            let msg = format!(
                "computers of one name in several domains are drawn under their full names: {}",
                list(&names)
            );
            self.note(ReportKind::Inferred, ALL, "", msg, &[]);
        }
    }

    /// How a name is compared: its first label, folded, or its full name
    /// where the label is in several domains.
    fn key(&self, name: &str) -> String {
        let (label, rest) = split_name(name);
        let l = fold_case(label);
        if !rest.is_empty() && self.collide.contains(&l) {
            fold_case(name.trim())
        } else {
            l
        }
    }

    fn find(&self, name: &str) -> Option<usize> {
        self.index.get(&self.key(name)).copied()
    }

    /// The server named `name`, added with `kind` if new. A name that no
    /// drawing may hold is a `Skipped` line at `place`, and `None`.
    fn ensure(&mut self, name: &str, kind: Kind, file: usize, place: &str) -> Option<usize> {
        let key = self.key(name);
        if let Some(&i) = self.index.get(&key) {
            return Some(i);
        }
        let (label, rest) = split_name(name);
        let shown = if !rest.is_empty() && self.collide.contains(&fold_case(label)) {
            name.trim()
        } else {
            label
        };
        if let Err(e) = validate_name_form(shown) {
            let msg = format!(
                "the name \"{}\" cannot be drawn: {e}; left out",
                shown.escape_debug()
            );
            self.note(ReportKind::Skipped, file, place, msg, &[]);
            return None;
        }
        let i = self.t.servers.len();
        // Ids count from 0 in a new topology: server `i` has id `i`.
        self.t.add_server(shown, kind);
        self.index.insert(key, i);
        Some(i)
    }

    fn link(&mut self, from: usize, to: usize, switched: bool) {
        if let Some(&k) = self.links.get(&(from, to)) {
            self.protections[k].2 |= switched;
            return;
        }
        self.links.insert((from, to), self.protections.len());
        self.protections.push((from, to, switched));
    }

    /// Every DPM server: each export's, those rows name as
    /// `SourceDPMServer`, and those whose database a row holds.
    fn dpm_servers(&mut self, exports: &[Export]) {
        for e in exports {
            if let Some(Facts {
                db_server: Some((db, _)),
                ..
            }) = &e.facts
            {
                if let Some(c) = db_computer(db) {
                    let k = self.key(c);
                    self.db_keys.insert(k);
                }
            }
        }
        for e in exports {
            let Some(d) = self.ensure(&e.dpm, Kind::Dpm, e.file, &e.dpm_place) else {
                continue;
            };
            match self.exporter.get(&d) {
                None => {
                    self.exporter.insert(d, (e.file, e.dpm_place.clone()));
                }
                Some(_) => {
                    let msg = format!(
                        "{} sent more than one export; every one is read, and the first one's facts are kept",
                        self.name(d)
                    );
                    self.note(ReportKind::Unknown, e.file, &e.dpm_place, msg, &[d]);
                }
            }
        }
        let mut named: Vec<(usize, usize, String, &'static str)> = Vec::new();
        for e in exports {
            for r in &e.rows {
                let source = r
                    .source_dpm
                    .as_deref()
                    .map(|s| (s, "is named as SourceDPMServer"));
                let holds_db = r
                    .server
                    .as_deref()
                    .filter(|_| {
                        r.is_dpm_database == Some(true) && r.is_local_dpm_database != Some(true)
                    })
                    .filter(|s| {
                        self.key(s) != self.key(&e.dpm) && !self.db_keys.contains(&self.key(s))
                    })
                    .map(|s| (s, "holds a DPM database (IsDPMDatabase)"));
                for (name, why) in [source, holds_db].into_iter().flatten() {
                    let known = self.find(name);
                    if known.is_some_and(|i| self.t.servers[i].kind == Kind::Dpm) {
                        continue;
                    }
                    if let Some(i) = self.ensure(name, Kind::Dpm, e.file, &r.place) {
                        named.push((i, e.file, r.place.clone(), why));
                    }
                }
            }
        }
        for (i, file, place, why) in named {
            let msg = format!(
                "{} {why}, so it is a DPM server, but it sent no export: its version, database and what it protects are unknown",
                self.name(i)
            );
            self.note(ReportKind::Unknown, file, &place, msg, &[i]);
        }
    }
}

impl Merge<'_> {
    /// A JSON export's facts on its DPM server (the first export's only).
    fn facts(&mut self, e: &Export) {
        let Some(d) = self.find(&e.dpm) else { return };
        if self.exporter.get(&d).map(|x| (x.0, x.1.as_str()))
            != Some((e.file, e.dpm_place.as_str()))
        {
            return;
        }
        let Some(f) = &e.facts else {
            let msg = format!("{} is read from a CSV of data sources, which gives no version, database or VSS writer: those are unknown", self.name(d));
            self.note(ReportKind::Unknown, e.file, &e.dpm_place, msg, &[d]);
            return;
        };
        self.here = e.dpm_place.clone();
        let build = self.version(e.file, d, f);
        self.mabs(e.file, d, f, build);
        let remote = self.database(e.file, d, f);
        self.vss_writer(e.file, d, f, remote);
        if let Some((site, place)) = &f.site {
            let problem = if site.chars().count() > crate::scenario::MAX_LABEL_CHARS {
                Some(format!(
                    "has more than {} characters",
                    crate::scenario::MAX_LABEL_CHARS
                ))
            } else if site.chars().any(char::is_control) {
                Some("holds control characters".to_string())
            } else {
                None
            };
            match problem {
                Some(p) => {
                    let msg = format!("the site \"{}\" {p}; left out", site.escape_debug());
                    self.note(ReportKind::Skipped, e.file, place, msg, &[d]);
                }
                None => self.t.servers[d].site = Some(site.clone()),
            }
        }
    }

    /// The build from `msdpmFileVersion`, else `productVersion`; the
    /// version and rollup it names, said in the report.
    fn version(&mut self, file: usize, d: usize, f: &Facts) -> Option<Build> {
        let read = |v: &Option<(String, String)>| {
            v.as_ref()
                .map(|(s, p)| (Build::parse(s), s.clone(), p.clone()))
        };
        let (file_v, product_v) = (read(&f.msdpm_version), read(&f.product_version));
        for (b, s, p) in [&file_v, &product_v].into_iter().flatten() {
            if b.is_none() {
                let msg = format!(
                    "\"{}\" is not a build number; left unread",
                    s.escape_debug()
                );
                self.note(ReportKind::Unknown, file, p, msg, &[d]);
            }
        }
        if let (Some((Some(a), sa, _)), Some((Some(b), sb, p))) = (&file_v, &product_v) {
            if a != b {
                let msg = format!("productVersion {sb} differs from msdpm.exe's file version {sa}; the file version is used");
                self.note(ReportKind::Inferred, file, p, msg, &[d]);
            }
        }
        let (b, place) = [file_v, product_v]
            .into_iter()
            .flatten()
            .find_map(|(b, _, p)| b.map(|b| (b, p)))
            .or_else(|| {
                let msg = format!(
                    "{}'s version is unknown: the export gives no build number",
                    self.name(d)
                );
                self.note(ReportKind::Unknown, file, &self.here.clone(), msg, &[d]);
                None
            })?;
        self.t.servers[d].version = Some(Version::Build(b));
        let name = self.name(d).to_string();
        let (kind, msg) = match (b.release(), b.is_listed()) {
            (Some(_), true) => (
                ReportKind::Inferred,
                format!("{name} runs {}", Version::Build(b).label()),
            ),
            (Some(r), false) => (
                ReportKind::Unknown,
                format!("{name} runs DPM {} build {b}, which the published build list lacks: its update rollup is unknown (compared as a build)", r.as_str()),
            ),
            (None, _) if is_mabs_build(b) => (
                ReportKind::Inferred,
                format!("{name} runs Azure Backup Server build {b} (compared as a build)"),
            ),
            (None, _) => (
                ReportKind::Unknown,
                format!("{name} runs build {b}, which names no DPM release this build knows (compared as a build)"),
            ),
        };
        self.note(kind, file, &place, msg, &[d]);
        Some(b)
    }

    /// Azure Backup Server: the product name says so, or the build is one
    /// of its (11 to 19; DPM's are 3, 4, 5 and 10). A product name that
    /// says Data Protection Manager is `mabs: false`.
    fn mabs(&mut self, file: usize, d: usize, f: &Facts, build: Option<Build>) {
        let name = self.name(d).to_string();
        let product = f.product_name.as_ref();
        let says = |w: &str| product.is_some_and(|(p, _)| p.to_ascii_lowercase().contains(w));
        if says("azure backup server") {
            let (p, place) = product.cloned().unwrap_or_default();
            let msg = format!("{name} is an Azure Backup Server (productName \"{p}\")");
            self.note(ReportKind::Inferred, file, &place, msg, &[d]);
            self.t.servers[d].mabs = Some(true);
        } else if let Some(b) = build.filter(|&b| is_mabs_build(b)) {
            let msg = format!("{name} is an Azure Backup Server: build {b} is one of its builds");
            self.note(ReportKind::Inferred, file, &self.here.clone(), msg, &[d]);
            self.t.servers[d].mabs = Some(true);
        } else if says("data protection manager") {
            self.t.servers[d].mabs = Some(false);
        } else if let Some((p, place)) = product {
            let msg = format!("productName \"{}\" names neither DPM nor Azure Backup Server; whether {name} is an Azure Backup Server is unknown", p.escape_debug());
            self.note(ReportKind::Unknown, file, place, msg, &[d]);
        }
    }

    /// `dbServer` naming another computer: `database`. True when remote.
    fn database(&mut self, file: usize, d: usize, f: &Facts) -> bool {
        let Some((db, place)) = &f.db_server else {
            return false;
        };
        let Some(c) = db_computer(db).filter(|c| self.key(c) != self.key(self.name(d))) else {
            return false;
        };
        let Some(s) = self.ensure(c, Kind::Protected, file, place) else {
            return false;
        };
        let name = self.name(d).to_string();
        let msg = format!(
            "{name}'s database is on {} (dbServer \"{db}\")",
            self.name(s)
        );
        self.note(ReportKind::Inferred, file, place, msg, &[d, s]);
        if self.t.servers[s].kind == Kind::Protected {
            self.workloads.entry(s).or_default().insert(Workload::Sql);
            let msg = format!(
                "{} runs SQL Server: it holds {name}'s database",
                self.name(s)
            );
            self.note(ReportKind::Inferred, file, place, msg, &[s]);
        }
        self.t.servers[d].database = Some(ServerId(s as u32));
        self.db_owner.entry(s).or_default().push(d);
        true
    }

    /// `sqlWriter`: the service's state where the database is local.
    fn vss_writer(&mut self, file: usize, d: usize, f: &Facts, remote: bool) {
        let name = self.name(d).to_string();
        if remote {
            let db = self.t.servers[d]
                .database
                .map_or("", |s| self.name(s.0 as usize));
            let msg = format!("the SQL Server VSS Writer that matters for {name} runs on {db}, which the export does not read");
            self.note(ReportKind::Unknown, file, &self.here.clone(), msg, &[d]);
            return;
        }
        match &f.sql_writer {
            Some((s, _)) if s.eq_ignore_ascii_case("running") => {
                self.t.servers[d].vss_writer = Some(VssWriter::Running)
            }
            Some((s, _)) if s.eq_ignore_ascii_case("stopped") => {
                self.t.servers[d].vss_writer = Some(VssWriter::Stopped)
            }
            Some((s, place)) => {
                let msg = format!(
                    "sqlWriter is \"{}\", neither running nor stopped; left unset",
                    s.escape_debug()
                );
                self.note(ReportKind::Unknown, file, place, msg, &[d]);
            }
            None => {
                let msg = format!("{name}'s SQL Server VSS Writer is unknown: the export found no SQLWriter service");
                self.note(ReportKind::Unknown, file, &self.here.clone(), msg, &[d]);
            }
        }
    }
}

/// Azure Backup Server's builds: 11 (V1), 12 (V2), 13 (V3), 14 (V4), and
/// room for later ones.
fn is_mabs_build(b: Build) -> bool {
    (11..=19).contains(&b.0[0])
}

impl Merge<'_> {
    /// Each data source row of one export, sorted into protections of DPM
    /// servers, replicas via a primary, and direct claims.
    fn rows(&mut self, e: &Export) {
        let Some(d) = self.find(&e.dpm) else { return };
        let mut inactive: Option<(String, usize)> = None;
        for r in &e.rows {
            if r.protected == Some(false) {
                inactive.get_or_insert((r.place.clone(), 0)).1 += 1;
                continue;
            }
            let Some(server) = r.server.as_deref() else {
                let msg = "no ProductionServerName or Computer: which server this data source is on is unknown; left out".to_string();
                self.note(ReportKind::Skipped, e.file, &r.place, msg, &[d]);
                continue;
            };
            let x = match self.find(server) {
                Some(x) => x,
                None if replica_signal(r).is_some() => {
                    self.replica(d, None, e.file, r);
                    continue;
                }
                None => match self.ensure(server, Kind::Protected, e.file, &r.place) {
                    Some(x) => x,
                    None => continue,
                },
            };
            self.rows_on.insert((d, x));
            let owner = match self.db_owner.get(&x).map(Vec::as_slice) {
                Some([p]) if *p != d && r.is_dpm_database == Some(true) => Some(*p),
                _ => None,
            };
            if let Some(p) = owner {
                self.secondary(
                    d,
                    p,
                    e.file,
                    &r.place,
                    "a row holds its database (IsDPMDatabase) on the server its export names",
                );
            } else if x == d {
                self.link(d, d, false);
            } else if self.t.servers[x].kind == Kind::Dpm {
                let why = if self.exporter.contains_key(&x) {
                    "its server sent an export of its own"
                } else {
                    "its server is a DPM server"
                };
                self.secondary(d, x, e.file, &r.place, why);
            } else if replica_signal(r).is_some() {
                self.replica(d, Some(x), e.file, r);
            } else {
                self.claim(d, x, e.file, r);
            }
        }
        if let Some((place, n)) = inactive {
            let msg = format!(
                "{} no longer protected (Protected false) left out",
                match n {
                    1 => "1 data source".to_string(),
                    n => format!("{} data sources", crate::thousands(n)),
                }
            );
            self.note(ReportKind::Inferred, e.file, &place, msg, &[d]);
        }
    }

    /// `d` protects the DPM server `p` (its secondary), for the reason `why`.
    fn secondary(&mut self, d: usize, p: usize, file: usize, place: &str, why: &'static str) {
        self.link(d, p, false);
        match self.secondaries.iter_mut().find(|(k, _)| *k == (d, p)) {
            Some((_, s)) => s.rows += 1,
            None => self.secondaries.push((
                (d, p),
                Secondary {
                    file,
                    place: place.to_string(),
                    why,
                    rows: 1,
                },
            )),
        }
    }

    fn replica(&mut self, d: usize, x: Option<usize>, file: usize, r: &Row) {
        self.replicas.push(Replica {
            dpm: d,
            x,
            x_name: r.server.clone().unwrap_or_default(),
            source: r.source_dpm.as_deref().and_then(|s| self.find(s)),
            file,
            place: r.place.clone(),
            why: replica_signal(r).unwrap_or(""),
        });
    }

    fn claim(&mut self, d: usize, x: usize, file: usize, r: &Row) {
        let w = [&r.object_type, &r.class]
            .into_iter()
            .flatten()
            .find_map(|s| workload_of(s));
        let vm = matches!(w, Some(Workload::Hyperv | Workload::Vmware));
        match w {
            Some(w) => {
                self.workloads.entry(x).or_default().insert(w);
            }
            None => self.unmapped_type(x, file, r),
        }
        let claims = self.claims.entry(x).or_default();
        if claims.is_empty() {
            self.claim_order.push(x);
        }
        claims.push(Claim {
            dpm: d,
            file,
            place: r.place.clone(),
            name: r.name.clone(),
            vm,
            from_ps: r
                .protection_type
                .as_deref()
                .is_some_and(|p| p.eq_ignore_ascii_case("ProtectFromPS")),
        });
    }

    /// A row whose type names no known workload: `other`, and one line per
    /// file and type string.
    fn unmapped_type(&mut self, x: usize, file: usize, r: &Row) {
        let Some(text) = r.object_type.as_ref().or(r.class.as_ref()) else {
            return;
        };
        self.workloads.entry(x).or_default().insert(Workload::Other);
        let key = (file, text.clone());
        match self.unmapped.iter_mut().find(|(k, _)| *k == key) {
            Some((_, (_, n, xs))) => {
                *n += 1;
                if !xs.contains(&x) {
                    xs.push(x);
                }
            }
            None => self.unmapped.push((key, (r.place.clone(), 1, vec![x]))),
        }
    }
}

/// Why a row is a replica held via a primary, if it is.
fn replica_signal(r: &Row) -> Option<&'static str> {
    if r.protection_type
        .as_deref()
        .is_some_and(|p| p.eq_ignore_ascii_case("ProtectFromDPM"))
    {
        Some("ProtectionType ProtectFromDPM")
    } else if r.source_dpm.is_some() {
        Some("SourceDPMServer")
    } else if r.from_dpm == Some(true) && r.from_ps != Some(true) {
        Some("UnderActiveProtectionFromDPM")
    } else if r.is_dpm_datasource == Some(true) && r.is_dpm_database != Some(true) {
        Some("IsDPMDatasource")
    } else {
        None
    }
}

impl Merge<'_> {
    /// Each replica row: its DPM server protects the primary the row names,
    /// or else the one DPM server that protects the row's server directly.
    fn replicas(&mut self) {
        let replicas = std::mem::take(&mut self.replicas);
        for r in replicas {
            let x = r.x.or_else(|| self.find(&r.x_name));
            if let Some(x) = x {
                self.rows_on.insert((r.dpm, x));
            }
            let direct: Vec<usize> = x
                .and_then(|x| self.claims.get(&x))
                .map(|c| {
                    let mut v: Vec<usize> =
                        c.iter().map(|c| c.dpm).filter(|&p| p != r.dpm).collect();
                    v.dedup();
                    v
                })
                .unwrap_or_default();
            let primary = r.source.or(match direct.as_slice() {
                [one] => Some(*one),
                _ => None,
            });
            match primary {
                Some(p) if p != r.dpm => {
                    self.secondary(r.dpm, p, r.file, &r.place, replica_why(r.why))
                }
                _ => {
                    let why = if direct.len() > 1 {
                        "several DPM servers protect it directly"
                    } else {
                        "no export protects it directly"
                    };
                    let msg = format!(
                        "a replica of {} held via a primary ({}), but {why}: its primary is unknown; nothing drawn for it",
                        r.x_name, r.why
                    );
                    let mut servers = vec![r.dpm];
                    servers.extend(x);
                    self.note(ReportKind::Unknown, r.file, &r.place, msg, &servers);
                }
            }
        }
        let secondaries = std::mem::take(&mut self.secondaries);
        for ((d, p), s) in secondaries {
            let msg = format!(
                "{} protects the DPM server {} as its secondary: {} ({})",
                self.name(d),
                self.name(p),
                s.why,
                rows(s.rows)
            );
            self.note(ReportKind::Inferred, s.file, &s.place, msg, &[d, p]);
        }
    }

    /// Each server's direct protectors: one is a protection; several are a
    /// conflict, unless one is the others' secondary (switched protection)
    /// or the rows are virtual machines spread over them (scale-out).
    fn claims(&mut self) {
        let order = std::mem::take(&mut self.claim_order);
        for x in order {
            let claims = self.claims.remove(&x).unwrap_or_default();
            let mut dpms: Vec<usize> = Vec::new();
            for c in &claims {
                if !dpms.contains(&c.dpm) {
                    dpms.push(c.dpm);
                }
            }
            let first = |d: usize| claims.iter().find(|c| c.dpm == d);
            if let [d] = dpms.as_slice() {
                self.link(*d, x, false);
                continue;
            }
            if self.switched(x, &dpms, &claims) {
                continue;
            }
            let vm_names: Vec<(usize, &str)> = claims
                .iter()
                .filter_map(|c| c.name.as_deref().map(|n| (c.dpm, n)))
                .collect();
            let shared = vm_names.iter().any(|(d, n)| {
                vm_names
                    .iter()
                    .any(|(e, m)| d != e && n.eq_ignore_ascii_case(m))
            });
            let spread = claims.iter().all(|c| c.vm) && !shared;
            let mut places = Vec::new();
            for &d in &dpms {
                self.link(d, x, false);
                if let Some(c) = first(d) {
                    places.push((d, c.file, c.place.clone()));
                }
            }
            let names: Vec<String> = dpms.iter().map(|&d| self.name(d).to_string()).collect();
            let (_, file, place) = places.last().cloned().unwrap_or((0, ALL, String::new()));
            let mut servers = vec![x];
            servers.extend(&dpms);
            if spread {
                self.t.servers[x].scale_out = Some(true);
                let msg = format!(
                    "{} is protected by {}, each for other virtual machines: scale-out protection",
                    self.name(x),
                    names.join(" and ")
                );
                self.note(ReportKind::Inferred, file, &place, msg, &servers);
            } else {
                let wheres: Vec<String> = places
                    .iter()
                    .map(|(d, f, p)| format!("{} at {}", self.name(*d), self.place_in(*f, p)))
                    .collect();
                let msg = format!(
                    "{} is protected directly by {} DPM servers: {}",
                    self.name(x),
                    dpms.len(),
                    wheres.join("; ")
                );
                self.note(ReportKind::Conflict, file, &place, msg, &servers);
            }
        }
    }

    /// "file, place" for a message.
    fn place_in(&self, file: usize, place: &str) -> String {
        let name = self.files.get(file).copied().unwrap_or("");
        if place.is_empty() {
            name.to_string()
        } else {
            format!("{name}, {place}")
        }
    }

    /// Several DPM servers protect `x` directly, and exactly one of them is
    /// the secondary of all the others (and not protected by them): it took
    /// over with Switch Protection, and the primaries' rows are stale.
    fn switched(&mut self, x: usize, dpms: &[usize], claims: &[Claim]) -> bool {
        let over = |m: &Self, d: usize| {
            dpms.iter().all(|&p| {
                p == d || (m.links.contains_key(&(d, p)) && !m.links.contains_key(&(p, d)))
            })
        };
        let takers: Vec<usize> = dpms.iter().copied().filter(|&d| over(self, d)).collect();
        let [d] = takers.as_slice() else {
            return false;
        };
        let d = *d;
        self.link(d, x, true);
        let Some(c) = claims.iter().find(|c| c.dpm == d) else {
            return true;
        };
        let signal = if c.from_ps {
            " (its row says ProtectionType ProtectFromPS)"
        } else {
            ""
        };
        let others: Vec<String> = dpms
            .iter()
            .filter(|&&p| p != d)
            .map(|&p| self.name(p).to_string())
            .collect();
        let msg = format!(
            "{} protects {} directly{signal} and is the secondary of {}, which {} it too: switched protection",
            self.name(d),
            self.name(x),
            others.join(" and "),
            if others.len() == 1 { "protects" } else { "protect" }
        );
        let (file, place) = (c.file, c.place.clone());
        self.note(ReportKind::Inferred, file, &place, msg, &[x, d]);
        for &p in dpms.iter().filter(|&&p| p != d) {
            if let Some(c) = claims.iter().find(|c| c.dpm == p) {
                let msg = format!(
                    "{}'s protection of {} is stale while {} protects it (switched); not drawn",
                    self.name(p),
                    self.name(x),
                    self.name(d)
                );
                let (file, place) = (c.file, c.place.clone());
                self.note(ReportKind::Inferred, file, &place, msg, &[x, p]);
            }
        }
        true
    }
}

impl Merge<'_> {
    /// Computers with an agent of `e`'s DPM server that no row of it names:
    /// not drawn, and said.
    fn agents(&mut self, e: &Export) {
        let Some(d) = self.find(&e.dpm) else { return };
        let own = self.key(&e.dpm);
        let mut idle: Vec<String> = Vec::new();
        let mut unnamed: Vec<String> = Vec::new();
        let mut first: [Option<String>; 2] = [None, None];
        for a in &e.agents {
            let Some(name) = a.name.as_deref() else {
                continue;
            };
            if self.key(name) == own {
                continue;
            }
            let named =
                |x: usize| self.rows_on.contains(&(d, x)) || self.links.contains_key(&(d, x));
            if self.find(name).is_some_and(named) {
                continue;
            }
            let nothing = a
                .state
                .as_deref()
                .is_some_and(|s| s.eq_ignore_ascii_case("NoDatasourcesProtected"));
            let (list, k) = if nothing {
                (&mut idle, 0)
            } else {
                (&mut unnamed, 1)
            };
            list.push(split_name(name).0.to_string());
            first[k].get_or_insert_with(|| a.place.clone());
        }
        let dpm = self.name(d).to_string();
        if let Some(place) = &first[0] {
            let msg = format!(
                "{dpm}'s agent is installed on {}, with nothing protected; not drawn",
                list(&idle)
            );
            self.note(ReportKind::Unknown, e.file, place, msg, &[d]);
        }
        if let Some(place) = &first[1] {
            let msg = format!(
                "{dpm} lists {} as protected, but no data source row of its export names {}; not drawn",
                list(&unnamed),
                if unnamed.len() == 1 { "it" } else { "them" }
            );
            self.note(ReportKind::Unknown, e.file, place, msg, &[d]);
        }
    }

    /// What no export can say, and the type strings no workload matched.
    fn unknowns(&mut self, exports: &[Export]) {
        let unmapped = std::mem::take(&mut self.unmapped);
        for ((file, text), (place, n, xs)) in unmapped {
            let msg = format!(
                "the data source type \"{}\" names no workload DPM Sketch knows: drawn as other ({})",
                text.escape_debug(),
                rows(n)
            );
            self.note(ReportKind::Unknown, file, &place, msg, &xs);
        }
        let sites = exports
            .iter()
            .any(|e| e.facts.as_ref().is_some_and(|f| f.site.is_some()));
        let site = if sites {
            "the sites of protected servers (only DPM servers carry the site their export names)"
        } else {
            "sites (the export takes -Site NAME)"
        };
        let msg = format!("not in the exports: {site}; which servers are virtual machines on which host; Azure virtual machines; DPM on a domain controller; database copies outside DPM; deduplicated volumes (drawn as files). Set them in the drawing where they apply");
        self.note(ReportKind::Unknown, ALL, "", msg, &[]);
    }

    fn finish(mut self) -> Topology {
        for (i, s) in self.t.servers.iter_mut().enumerate() {
            if s.kind == Kind::Protected {
                s.workloads = self
                    .workloads
                    .remove(&i)
                    .filter(|w| !w.is_empty())
                    .map(|w| w.into_iter().collect());
            }
        }
        let mut t = self.t;
        t.protections = self
            .protections
            .into_iter()
            .map(|(p, x, switched)| Protection {
                protector: ServerId(p as u32),
                target: ServerId(x as u32),
                switched,
            })
            .collect();
        t.title = Some("Imported estate".to_string());
        t
    }
}

/// Why a DPM server protects a primary, from a replica row's signal.
fn replica_why(signal: &str) -> &'static str {
    match signal {
        "ProtectionType ProtectFromDPM" => {
            "rows are replicas of its data (ProtectionType ProtectFromDPM)"
        }
        "SourceDPMServer" => "rows are replicas of its data (SourceDPMServer)",
        "UnderActiveProtectionFromDPM" => {
            "rows are replicas of its data (UnderActiveProtectionFromDPM)"
        }
        _ => "rows are replicas of its data (IsDPMDatasource)",
    }
}
