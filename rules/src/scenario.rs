//! The scenario file, `dpm-sketch/1` and `dpm-sketch/2` JSON.
//!
//! Version 2 is version 1 plus the facts of real estates (`host`, `site`,
//! `azure`, `database`, `database_backup`, `domain_controller`, `scale_out`,
//! `replica_set`, and versions beyond the six of version 1). Both are read;
//! a drawing is written as version 2 only when it uses one of those, so
//! older builds keep reading the rest.
//!
//! Reading is strict: unknown fields, unknown versions, facts that do not fit
//! a server's kind and protections that name no server are errors that say
//! where they are (JSON path, line and column), because a file that is
//! silently half-read loses a user's work without telling them.
//!
//! Writing is pretty-printed (two-space indent, one member a line) with
//! positions to 1/100 pixel, so files read well and diff well.

use std::collections::HashMap;
use std::fmt;

use crate::geometry::fixed;
use crate::json::{self, line_column, Member, Node, Value};
use crate::model::{
    validate_name_form, BackupMedium, DpmVersion, Kind, Point, Protection, Server, ServerId,
    Topology, Version, VssWriter, Workload,
};

/// The format this build writes for a drawing without version 2 facts.
pub const FORMAT: &str = "dpm-sketch/1";
/// The format this build writes for a drawing with version 2 facts.
pub const FORMAT_2: &str = "dpm-sketch/2";
/// The formats this build reads.
pub const READABLE_FORMATS: &[&str] = &[FORMAT, FORMAT_2];
/// Canvas coordinates beyond this are refused: they can only be mistakes, and
/// would make "fit to view" useless.
pub const MAX_COORD: f64 = 1.0e7;

/// Bad input: what is wrong and where.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InputError {
    /// JSON path (`servers[3].colour`) or, for tables, `None`.
    pub path: Option<String>,
    /// 1-based line and column, where known.
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub message: String,
}

impl InputError {
    pub fn new(message: impl Into<String>) -> InputError {
        InputError {
            path: None,
            line: None,
            column: None,
            message: message.into(),
        }
    }

    pub fn at_line(line: usize, message: impl Into<String>) -> InputError {
        InputError {
            line: Some(line),
            ..InputError::new(message)
        }
    }

    /// Where, in words: "servers[3].colour, line 5, column 12".
    pub fn location(&self) -> String {
        let mut parts = Vec::new();
        if let Some(p) = &self.path {
            parts.push(p.clone());
        }
        match (self.line, self.column) {
            (Some(l), Some(c)) => parts.push(format!("line {l}, column {c}")),
            (Some(l), None) => parts.push(format!("line {l}")),
            _ => {}
        }
        parts.join(", ")
    }
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let loc = self.location();
        if loc.is_empty() {
            write!(f, "{}", self.message)
        } else {
            write!(f, "{}: {}", loc, self.message)
        }
    }
}

impl std::error::Error for InputError {}

const TOP_FIELDS: &[&str] = &["format", "title", "servers", "protections"];
const SERVER_FIELDS: &[&str] = &[
    "name",
    "kind",
    "version",
    "rollup",
    "mabs",
    "vss_writer",
    "workloads",
    "host",
    "site",
    "azure",
    "database",
    "database_backup",
    "domain_controller",
    "scale_out",
    "replica_set",
    "x",
    "y",
];

/// The longest `site` or `replica_set` text the readers accept.
pub const MAX_LABEL_CHARS: usize = 64;
const PROTECTION_FIELDS: &[&str] = &["protector", "target", "switched"];

/// Reads a scenario file.
pub fn from_json(text: &str) -> Result<Topology, InputError> {
    let r = Reader { text };
    let fail = |path: Option<String>, at: usize, message: String| r.fail(path, at, message);
    let start = text.len() - text.trim_start().len();
    if !text[start..].starts_with('{') {
        return Err(fail(
            None,
            start,
            "expected a JSON object, starting with \"{\", with \"format\", \"servers\" and \"protections\"".into(),
        ));
    }
    let root = json::parse(text).map_err(|e| fail(None, e.at, e.message))?;
    r.scenario(&root, "")
}

impl Reader<'_> {
    /// The scenario held by `root`, whose path is `prefix` ("" for a
    /// scenario file; "start" for an exercise's starting scenario), so every
    /// refusal names the full path.
    pub(crate) fn scenario(&self, root: &Node, prefix: &str) -> Result<Topology, InputError> {
        let r = self;
        let top = r.object(root, prefix, TOP_FIELDS, false)?;
        // First the version, so that a file from a newer build is refused for
        // that reason rather than for a field this build has never heard of.
        r.format(&top, root, prefix)?;
        r.object(root, prefix, TOP_FIELDS, true)?;

        let mut t = Topology::new();
        t.title = top.opt("title", |n, p| r.string(n, p))?;
        let servers = top.required("servers", root.at, r)?;
        let list = r.array(servers, &under(prefix, "servers".into()))?;
        if list.len() > crate::MAX_SERVERS {
            return Err(r.fail(
                Some(under(prefix, "servers".into())),
                servers.at,
                format!(
                    "{} servers: a drawing holds at most {}",
                    list.len(),
                    crate::MAX_SERVERS
                ),
            ));
        }
        let mut refs: Vec<NameRef> = Vec::new();
        for (i, node) in list.iter().enumerate() {
            let at = under(prefix, format!("servers[{i}]"));
            let server = r.server(node, &at, i, t.next_id(), &mut refs)?;
            t.insert_server(server);
        }
        // Names to servers once (the first of a name, as `Topology::find`
        // gives): a file of 10,000 servers and protections is read in one
        // pass, not a scan of the list per name.
        let mut by_name: HashMap<String, ServerId> = HashMap::with_capacity(t.servers.len());
        for s in &t.servers {
            by_name
                .entry(crate::model::fold_case(&s.name))
                .or_insert(s.id);
        }
        r.name_refs(&mut t, refs, &by_name)?;
        r.host_cycle(&t, list, servers, prefix)?;
        r.protections(&mut t, &top, prefix, &by_name)?;
        Ok(t)
    }

    /// `format`: one this build reads, or a refusal that says whether the
    /// file is newer, not a scenario, or not a format at all.
    fn format(&self, top: &Fields, root: &Node, prefix: &str) -> Result<(), InputError> {
        let readable = READABLE_FORMATS.join(", ");
        let path = Some(under(prefix, "format".into()));
        match top.get("format").map(|n| (n, &n.value)) {
            None => Err(self.fail(
                path,
                root.at,
                format!("missing; a scenario file starts with \"format\": \"{FORMAT}\""),
            )),
            Some((_, Value::String(f))) if READABLE_FORMATS.contains(&f.as_str()) => Ok(()),
            Some((n, Value::String(f))) if f.starts_with("dpm-sketch/") => Err(self.fail(
                path,
                n.at,
                format!(
                    "this file is \"{f}\", written by a newer or unknown version of DPM Sketch; this build reads {readable}"
                ),
            )),
            Some((n, Value::String(f))) => Err(self.fail(
                path,
                n.at,
                format!("\"{f}\" is not a DPM Sketch scenario format; this build reads {readable}"),
            )),
            Some((n, other)) => Err(self.fail(
                path,
                n.at,
                format!(
                    "expected the format as a string, such as \"{FORMAT}\", found {}",
                    other.kind()
                ),
            )),
        }
    }

    /// The server at `servers[i]` (path `at`), given the id `id`: its facts
    /// read in file order and checked against its kind. The servers its
    /// `host` and `database` name may come later in the list, so they go to
    /// `refs`, to be resolved once every server is read.
    fn server(
        &self,
        node: &Node,
        at: &str,
        i: usize,
        id: ServerId,
        refs: &mut Vec<NameRef>,
    ) -> Result<Server, InputError> {
        let r = self;
        let s = r.object(node, at, SERVER_FIELDS, true)?;
        let name = s.required("name", node.at, r)?;
        let name_at = name.at;
        let name = r.string(name, &s.path("name"))?;
        validate_name_form(&name)
            .map_err(|e| r.fail(Some(s.path("name")), name_at, e.to_string()))?;
        let kind_node = s.required("kind", node.at, r)?;
        let kind = r.variant(
            kind_node,
            &s.path("kind"),
            &[Kind::Dpm, Kind::Protected],
            Kind::as_str,
        )?;
        let mut server = Server::new(id, name, kind);
        server.version = s.opt("version", |n, p| r.version(n, p))?;
        server.rollup = s.opt("rollup", |n, p| r.string(n, p))?;
        server.mabs = s.opt("mabs", |n, p| r.boolean(n, p))?;
        server.vss_writer = s.opt("vss_writer", |n, p| {
            r.variant(
                n,
                p,
                &[VssWriter::Running, VssWriter::Stopped],
                VssWriter::as_str,
            )
        })?;
        server.workloads = s.opt("workloads", |n, p| r.workloads(n, p))?;
        let x = s.opt("x", |n, p| r.coordinate(n, p))?;
        let y = s.opt("y", |n, p| r.coordinate(n, p))?;
        server.site = s.opt("site", |n, p| r.label(n, p))?;
        server.azure = s.opt("azure", |n, p| r.boolean(n, p))?;
        server.database_backup = s.opt("database_backup", |n, p| r.backup_media(n, p))?;
        server.domain_controller = s.opt("domain_controller", |n, p| r.boolean(n, p))?;
        server.scale_out = s.opt("scale_out", |n, p| r.boolean(n, p))?;
        server.replica_set = s.opt("replica_set", |n, p| r.label(n, p))?;
        for field in ["host", "database"] {
            if let Some(n) = s.get(field) {
                let name = r.string(n, &s.path(field))?;
                refs.push((i, field, name, n.at, s.path(field)));
            }
        }
        r.facts_fit_kind(&s, node, &server)?;
        server.pos = match (x, y) {
            (Some(x), Some(y)) => Some(Point { x, y }),
            (None, None) => None,
            (Some(_), None) => {
                return Err(r.misplaced(&s, node, "x", "\"x\" needs \"y\" beside it".into()))
            }
            (None, Some(_)) => {
                return Err(r.misplaced(&s, node, "y", "\"y\" needs \"x\" beside it".into()))
            }
        };
        Ok(server)
    }

    /// A refusal of the server field `field`, at the field (or the server,
    /// when the field is absent).
    fn misplaced(&self, s: &Fields, node: &Node, field: &str, message: String) -> InputError {
        let at = s.get(field).map_or(node.at, |n| n.at);
        self.fail(Some(s.path(field)), at, message)
    }

    /// Facts of DPM servers on a protected server, or of protected servers
    /// on a DPM server, are refused: the first one in file order.
    fn facts_fit_kind(&self, s: &Fields, node: &Node, server: &Server) -> Result<(), InputError> {
        let name = &server.name;
        let (fields, only, is): (&[&str], _, _) = if server.kind == Kind::Protected {
            (&DPM_ONLY, "DPM servers", "a protected server")
        } else {
            (&PROTECTED_ONLY, "protected servers", "a DPM server")
        };
        match fields.iter().find(|&&field| s.get(field).is_some()) {
            Some(field) => Err(self.misplaced(
                s,
                node,
                field,
                format!("\"{field}\" applies to {only} only, and \"{name}\" is {is}"),
            )),
            None => Ok(()),
        }
    }

    /// `host` and `database`: each names another server of the file.
    fn name_refs(
        &self,
        t: &mut Topology,
        refs: Vec<NameRef>,
        by_name: &HashMap<String, ServerId>,
    ) -> Result<(), InputError> {
        for (i, field, name, at, path) in refs {
            let Some(id) = find(by_name, &name) else {
                return Err(self.fail(
                    Some(path),
                    at,
                    format!("no server is named \"{name}\" in \"servers\""),
                ));
            };
            let me = t.servers[i].id;
            if id == me {
                let why = if field == "host" {
                    "a server cannot be its own host"
                } else {
                    "leave \"database\" out when the DPM database is on the DPM server itself"
                };
                return Err(self.fail(Some(path), at, why.into()));
            }
            match field {
                "host" => t.servers[i].host = Some(id),
                _ => t.servers[i].database = Some(id),
            }
        }
        Ok(())
    }

    /// Hosts that form a cycle are refused, at the first server's `host`.
    fn host_cycle(
        &self,
        t: &Topology,
        list: &[Node],
        servers: &Node,
        prefix: &str,
    ) -> Result<(), InputError> {
        let Some(cycle) = crate::estate::host_cycle(t) else {
            return Ok(());
        };
        let names: Vec<&str> = cycle.iter().map(|&id| t.name(id)).collect();
        let first = t.position(cycle[0]).unwrap_or(0);
        let at = list
            .get(first)
            .and_then(|n| match &n.value {
                Value::Object(m) => m.iter().find(|m| m.key == "host").map(|m| m.value.at),
                _ => None,
            })
            .unwrap_or(servers.at);
        Err(self.fail(
            Some(under(prefix, format!("servers[{first}].host"))),
            at,
            format!(
                "hosts form a cycle ({} -> {}): a virtual machine cannot run on itself",
                names.join(" -> "),
                names[0]
            ),
        ))
    }

    /// `protections`: each between two servers of the file, listed once;
    /// switched only from a DPM server to a protected server.
    fn protections(
        &self,
        t: &mut Topology,
        top: &Fields,
        prefix: &str,
        by_name: &HashMap<String, ServerId>,
    ) -> Result<(), InputError> {
        let r = self;
        let protections = match top.get("protections") {
            Some(n) => r.array(n, &under(prefix, "protections".into()))?,
            None => &[],
        };
        let mut listed = HashMap::with_capacity(protections.len());
        for (i, node) in protections.iter().enumerate() {
            let at = under(prefix, format!("protections[{i}]"));
            let p = r.object(node, &at, PROTECTION_FIELDS, true)?;
            let end = |field: &str| {
                let n = p.required(field, node.at, r)?;
                let name = r.string(n, &p.path(field))?;
                let id = find(by_name, &name).ok_or_else(|| {
                    r.fail(
                        Some(p.path(field)),
                        n.at,
                        format!("no server is named \"{name}\" in \"servers\""),
                    )
                })?;
                Ok::<_, InputError>((id, name))
            };
            let (protector, protector_name) = end("protector")?;
            let (target, target_name) = end("target")?;
            let switched = p
                .opt("switched", |n, path| r.boolean(n, path))?
                .unwrap_or(false);
            if switched {
                let ok = t.server(protector).is_some_and(Server::is_dpm)
                    && t.server(target).is_some_and(|s| s.kind == Kind::Protected);
                if !ok {
                    let at = p.get("switched").map_or(node.at, |n| n.at);
                    return Err(r.fail(
                        Some(p.path("switched")),
                        at,
                        "switched protection is from a DPM server to a protected server only"
                            .into(),
                    ));
                }
            }
            let mut protection = Protection::new(protector, target);
            protection.switched = switched;
            if let Some(&j) = listed.get(&protection.link()) {
                return Err(r.fail(
                    Some(at),
                    node.at,
                    format!(
                        "\"{protector_name}\" already protects \"{target_name}\" (protections[{j}]); a protection is listed once"
                    ),
                ));
            }
            listed.insert(protection.link(), i);
            t.protections.push(protection);
        }
        Ok(())
    }

    /// `workloads`: a list of known workloads.
    fn workloads(&self, n: &Node, p: &str) -> Result<Vec<Workload>, InputError> {
        self.array(n, p)?
            .iter()
            .enumerate()
            .map(|(k, w)| self.variant(w, &format!("{p}[{k}]"), &Workload::ALL, Workload::as_str))
            .collect::<Result<Vec<_>, _>>()
    }

    /// `database_backup`: known media, each listed once.
    fn backup_media(&self, n: &Node, p: &str) -> Result<Vec<BackupMedium>, InputError> {
        let mut media = Vec::new();
        for (k, m) in self.array(n, p)?.iter().enumerate() {
            let at = format!("{p}[{k}]");
            let v = self.variant(m, &at, &BackupMedium::ALL, BackupMedium::as_str)?;
            if media.contains(&v) {
                let msg = format!("\"{}\" is listed twice", v.as_str());
                return Err(self.fail(Some(at), m.at, msg));
            }
            media.push(v);
        }
        Ok(media)
    }
}

/// A server named by another's `host` or `database`, to resolve once every
/// server is read: the naming server's index, the field, the name, and
/// where it is (byte and path).
type NameRef = (usize, &'static str, String, usize, String);

/// Facts of DPM servers only, in file order.
const DPM_ONLY: [&str; 7] = [
    "version",
    "rollup",
    "mabs",
    "vss_writer",
    "database",
    "database_backup",
    "domain_controller",
];

/// Facts of protected servers only, in file order.
const PROTECTED_ONLY: [&str; 3] = ["workloads", "scale_out", "replica_set"];

/// `p` under the scenario's path `prefix`.
fn under(prefix: &str, p: String) -> String {
    if prefix.is_empty() {
        p
    } else {
        format!("{prefix}.{p}")
    }
}

/// The first server of a name, ignoring case.
fn find(by_name: &HashMap<String, ServerId>, name: &str) -> Option<ServerId> {
    by_name.get(&crate::model::fold_case(name)).copied()
}

/// Typed reads of tree nodes; every refusal names the path and position.
pub(crate) struct Reader<'t> {
    pub(crate) text: &'t str,
}

/// An object's members, checked against the fields its place allows.
pub(crate) struct Fields<'a> {
    members: &'a [Member],
    path: &'a str,
}

impl<'a> Fields<'a> {
    /// The value of `key`; `null` counts as absent, as optional fields may be
    /// written either way.
    pub(crate) fn get(&self, key: &str) -> Option<&'a Node> {
        self.members
            .iter()
            .find(|m| m.key == key)
            .map(|m| &m.value)
            .filter(|n| n.value != Value::Null)
    }

    pub(crate) fn path(&self, key: &str) -> String {
        if self.path.is_empty() {
            key.to_string()
        } else {
            format!("{}.{key}", self.path)
        }
    }

    pub(crate) fn required(
        &self,
        key: &str,
        object_at: usize,
        r: &Reader,
    ) -> Result<&'a Node, InputError> {
        self.get(key).ok_or_else(|| {
            let path = (!self.path.is_empty()).then(|| self.path.to_string());
            r.fail(path, object_at, format!("missing field `{key}`"))
        })
    }

    pub(crate) fn opt<T>(
        &self,
        key: &str,
        read: impl FnOnce(&'a Node, &str) -> Result<T, InputError>,
    ) -> Result<Option<T>, InputError> {
        self.get(key).map(|n| read(n, &self.path(key))).transpose()
    }
}

impl Reader<'_> {
    /// An error at byte `at` of the text.
    pub(crate) fn fail(&self, path: Option<String>, at: usize, message: String) -> InputError {
        let (line, column) = line_column(self.text, at);
        InputError {
            path,
            line: Some(line),
            column: Some(column),
            message,
        }
    }

    pub(crate) fn wrong(&self, node: &Node, path: &str, expected: &str) -> InputError {
        self.fail(
            Some(path.to_string()).filter(|p| !p.is_empty()),
            node.at,
            format!("expected {expected}, found {}", node.value.kind()),
        )
    }

    /// The members of an object; with `strict`, a member this place does
    /// not allow is refused, naming the ones it does.
    pub(crate) fn object<'a>(
        &self,
        node: &'a Node,
        path: &'a str,
        allowed: &[&str],
        strict: bool,
    ) -> Result<Fields<'a>, InputError> {
        let Value::Object(members) = &node.value else {
            return Err(self.wrong(node, path, "an object"));
        };
        let fields = Fields { members, path };
        if strict {
            if let Some(m) = members.iter().find(|m| !allowed.contains(&m.key.as_str())) {
                let expected = allowed
                    .iter()
                    .map(|f| format!("`{f}`"))
                    .collect::<Vec<_>>()
                    .join(", ");
                return Err(self.fail(
                    Some(fields.path(&m.key)),
                    m.at,
                    format!("unknown field `{}`, expected one of {expected}", m.key),
                ));
            }
        }
        Ok(fields)
    }

    pub(crate) fn array<'a>(&self, node: &'a Node, path: &str) -> Result<&'a [Node], InputError> {
        match &node.value {
            Value::Array(items) => Ok(items),
            _ => Err(self.wrong(node, path, "a list")),
        }
    }

    pub(crate) fn string(&self, node: &Node, path: &str) -> Result<String, InputError> {
        match &node.value {
            Value::String(s) => Ok(s.clone()),
            _ => Err(self.wrong(node, path, "a string")),
        }
    }

    pub(crate) fn boolean(&self, node: &Node, path: &str) -> Result<bool, InputError> {
        match node.value {
            Value::Bool(b) => Ok(b),
            _ => Err(self.wrong(node, path, "true or false")),
        }
    }

    /// A DPM version: a release name or a build number.
    fn version(&self, node: &Node, path: &str) -> Result<Version, InputError> {
        let s = self.string(node, path)?;
        Version::parse(&s).ok_or_else(|| {
            let names: Vec<String> = DpmVersion::ALL
                .iter()
                .map(|v| format!("`{}`", v.as_str()))
                .collect();
            self.fail(
                Some(path.to_string()),
                node.at,
                format!(
                    "unknown DPM version `{s}`, expected one of {} or a build number such as `10.19.379.0`",
                    names.join(", ")
                ),
            )
        })
    }

    /// Free text naming a site or a replica set: not blank, one line.
    fn label(&self, node: &Node, path: &str) -> Result<String, InputError> {
        let s = self.string(node, path)?;
        let problem = if s.trim().is_empty() {
            Some("is empty: leave the field out instead".to_string())
        } else if s.chars().count() > MAX_LABEL_CHARS {
            Some(format!("has more than {MAX_LABEL_CHARS} characters"))
        } else if s.chars().any(char::is_control) {
            Some("cannot hold line breaks, tabs or other control characters".to_string())
        } else {
            None
        };
        match problem {
            Some(p) => Err(self.fail(Some(path.to_string()), node.at, format!("the text {p}"))),
            None => Ok(s),
        }
    }

    fn coordinate(&self, node: &Node, path: &str) -> Result<f64, InputError> {
        match node.value {
            Value::Number(v) if v.is_finite() && v.abs() <= MAX_COORD => Ok(v),
            Value::Number(_) => Err(self.fail(
                Some(path.to_string()),
                node.at,
                format!("a position is between -{m} and {m}", m = MAX_COORD as i64),
            )),
            _ => Err(self.wrong(node, path, "a number")),
        }
    }

    /// One of `all`, written as its `name`.
    pub(crate) fn variant<T: Copy>(
        &self,
        node: &Node,
        path: &str,
        all: &[T],
        name: fn(T) -> &'static str,
    ) -> Result<T, InputError> {
        let s = self.string(node, path)?;
        all.iter().copied().find(|&v| name(v) == s).ok_or_else(|| {
            let names: Vec<String> = all.iter().map(|&v| format!("`{}`", name(v))).collect();
            let expected = match names.as_slice() {
                [a, b] => format!("{a} or {b}"),
                _ => format!("one of {}", names.join(", ")),
            };
            self.fail(
                Some(path.to_string()),
                node.at,
                format!("unknown variant `{s}`, expected {expected}"),
            )
        })
    }
}

/// Starts a server's member `key` (the first is "name") and returns where
/// its value goes.
fn member<'o>(out: &'o mut String, key: &str) -> &'o mut String {
    out.push_str(if key == "name" {
        "\n      \""
    } else {
        ",\n      \""
    });
    out.push_str(key);
    out.push_str("\": ");
    out
}

/// The format a drawing is written in: version 2 when it uses a fact that
/// version 1 does not have, else version 1 (so older builds read it).
pub fn format_for(t: &Topology) -> &'static str {
    if t.servers.iter().any(uses_version_2) {
        FORMAT_2
    } else {
        FORMAT
    }
}

/// A server with a fact that version 1 of the file does not have.
pub fn uses_version_2(s: &Server) -> bool {
    let old_version = matches!(
        s.version,
        None | Some(Version::Release(
            DpmVersion::V2012
                | DpmVersion::V2012R2
                | DpmVersion::V2016
                | DpmVersion::V2019
                | DpmVersion::V2022
                | DpmVersion::V2025
        ))
    );
    !old_version
        || s.host.is_some()
        || s.site.is_some()
        || s.azure.is_some()
        || s.database.is_some()
        || s.database_backup.is_some()
        || s.domain_controller.is_some()
        || s.scale_out.is_some()
        || s.replica_set.is_some()
}

/// Writes a scenario file (pretty-printed, with a final newline).
pub fn to_json(t: &Topology) -> String {
    // Room for a server with a name of five digits, one workload and a
    // position, and its protection, with some to spare (a generated
    // drawing of 10,000 servers writes 2.03 MB): the text is made whole at
    // each save, and one that outgrows its room is copied to twice the
    // room. Servers with more facts (sites, hosts, versions) still outgrow
    // it.
    let mut out = String::with_capacity(64 + 130 * t.servers.len() + 90 * t.protections.len());
    out.push_str("{\n  \"format\": ");
    json::write_string(&mut out, format_for(t));
    if let Some(title) = &t.title {
        out.push_str(",\n  \"title\": ");
        json::write_string(&mut out, title);
    }
    out.push_str(",\n  \"servers\": [");
    for (i, s) in t.servers.iter().enumerate() {
        out.push_str(if i == 0 { "\n    {" } else { ",\n    {" });
        write_server(&mut out, t, s);
        out.push_str("\n    }");
    }
    out.push_str(if t.servers.is_empty() { "]" } else { "\n  ]" });
    out.push_str(",\n  \"protections\": [");
    for (i, p) in t.protections.iter().enumerate() {
        out.push_str(if i == 0 {
            "\n    {\n      \"protector\": "
        } else {
            ",\n    {\n      \"protector\": "
        });
        json::write_string(&mut out, t.name(p.protector));
        out.push_str(",\n      \"target\": ");
        json::write_string(&mut out, t.name(p.target));
        if p.switched {
            out.push_str(",\n      \"switched\": true");
        }
        out.push_str("\n    }");
    }
    out.push_str(if t.protections.is_empty() {
        "]"
    } else {
        "\n  ]"
    });
    out.push_str("\n}\n");
    out
}

/// One server's members, between its braces, in file order: only the
/// facts it has.
fn write_server(out: &mut String, t: &Topology, s: &Server) {
    json::write_string(member(out, "name"), &s.name);
    json::write_string(member(out, "kind"), s.kind.as_str());
    if let Some(v) = s.version {
        json::write_string(member(out, "version"), &v.as_string());
    }
    if let Some(r) = &s.rollup {
        json::write_string(member(out, "rollup"), r);
    }
    if let Some(m) = s.mabs {
        member(out, "mabs").push_str(if m { "true" } else { "false" });
    }
    if let Some(w) = s.vss_writer {
        json::write_string(member(out, "vss_writer"), w.as_str());
    }
    if let Some(ws) = &s.workloads {
        let out = member(out, "workloads");
        if ws.is_empty() {
            out.push_str("[]");
        } else {
            out.push('[');
            for (k, w) in ws.iter().enumerate() {
                out.push_str(if k == 0 { "\n        " } else { ",\n        " });
                json::write_string(out, w.as_str());
            }
            out.push_str("\n      ]");
        }
    }
    let names = |k: &str, v: Option<ServerId>, out: &mut String| {
        if let Some(id) = v {
            json::write_string(member(out, k), t.name(id));
        }
    };
    names("host", s.host, out);
    if let Some(v) = &s.site {
        json::write_string(member(out, "site"), v);
    }
    if let Some(v) = s.azure {
        member(out, "azure").push_str(if v { "true" } else { "false" });
    }
    names("database", s.database, out);
    if let Some(media) = &s.database_backup {
        let list: Vec<String> = media
            .iter()
            .map(|m| {
                let mut q = String::new();
                json::write_string(&mut q, m.as_str());
                q
            })
            .collect();
        member(out, "database_backup").push_str(&format!("[{}]", list.join(", ")));
    }
    for (k, v) in [
        ("domain_controller", s.domain_controller),
        ("scale_out", s.scale_out),
    ] {
        if let Some(v) = v {
            member(out, k).push_str(if v { "true" } else { "false" });
        }
    }
    if let Some(v) = &s.replica_set {
        json::write_string(member(out, "replica_set"), v);
    }
    if let Some(p) = s.pos {
        member(out, "x").push_str(&fixed(p.x, 2));
        member(out, "y").push_str(&fixed(p.y, 2));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(text: &str) -> String {
        from_json(text).unwrap_err().to_string()
    }

    #[test]
    fn reads_the_format_example() {
        let t = from_json(
            r#"{
  "format": "dpm-sketch/1",
  "title": "Scenario 1: Chained protection",
  "servers": [
    { "name": "DS1", "kind": "dpm", "version": "2019", "x": 120, "y": 80 },
    { "name": "PS1", "kind": "protected", "workloads": ["sql", "files"] }
  ],
  "protections": [ { "protector": "ds1", "target": "PS1" } ]
}"#,
        )
        .unwrap();
        assert_eq!(t.servers.len(), 2);
        assert_eq!(
            t.servers[0].version,
            Some(Version::Release(DpmVersion::V2019))
        );
        assert_eq!(t.servers[0].pos, Some(Point { x: 120.0, y: 80.0 }));
        assert_eq!(t.protections.len(), 1, "names resolve ignoring case");
    }

    #[test]
    fn says_where_an_unknown_field_is() {
        let e = from_json(
            "{\"format\":\"dpm-sketch/1\",\"servers\":[\n{\"name\":\"A\",\"kind\":\"dpm\",\"colour\":1}]}",
        )
        .unwrap_err();
        assert_eq!(e.path.as_deref(), Some("servers[0].colour"));
        assert_eq!(e.line, Some(2));
        assert!(e.message.contains("unknown field `colour`"), "{e}");
    }

    #[test]
    fn refuses_newer_versions_naming_what_it_reads() {
        let e = err(r#"{"format":"dpm-sketch/3","servers":[],"later":true}"#);
        assert!(
            e.contains("this build reads dpm-sketch/1, dpm-sketch/2"),
            "{e}"
        );
        assert!(e.starts_with("format, line 1, column 11"), "{e}");
        assert!(err(r#"{"servers":[]}"#).starts_with("format, line 1, column 1: missing"));
        assert!(err(r#"{"format":7,"servers":[]}"#)
            .ends_with("such as \"dpm-sketch/1\", found a number"));
        assert!(err(r#"{"format":"csv","servers":[]}"#).contains("\"csv\" is not a DPM Sketch"));
    }

    #[test]
    fn dangling_names_and_misplaced_facts_are_input_errors() {
        let e = err(
            r#"{"format":"dpm-sketch/1","servers":[{"name":"A","kind":"dpm"}],
"protections":[{"protector":"A","target":"B"}]}"#,
        );
        assert_eq!(
            e,
            "protections[0].target, line 2, column 42: no server is named \"B\" in \"servers\""
        );
        let e = err(
            r#"{"format":"dpm-sketch/1","servers":[{"name":"P","kind":"protected","version":"2019"}]}"#,
        );
        assert!(e.starts_with("servers[0].version"), "{e}");
        let e = err(
            r#"{"format":"dpm-sketch/1","servers":[{"name":"A","kind":"dpm","version":"2020"}]}"#,
        );
        assert!(e.contains("unknown DPM version `2020`"), "{e}");
        assert!(e.contains("a build number such as `10.19.379.0`"), "{e}");
        let e = err(r#"{"format":"dpm-sketch/1","servers":[{"name":" ","kind":"dpm"}]}"#);
        assert!(e.contains("servers[0].name"), "{e}");
    }

    #[test]
    fn more_servers_than_a_drawing_holds_are_refused_in_every_form() {
        let n = crate::MAX_SERVERS + 1;
        let mut big = crate::Topology::new();
        for i in 0..n {
            big.add_server(format!("S{i}"), crate::Kind::Protected);
        }
        let json = to_json(&big);
        let e = from_json(&json).unwrap_err().to_string();
        assert!(
            e.contains("20001 servers: a drawing holds at most 20000"),
            "{e}"
        );
        let table: String =
            std::iter::once("|Server|Protecting|Protected by|\n|---|---|---|\n".to_string())
                .chain((0..n).map(|i| format!("|D{i}| | |\n")))
                .collect();
        let e = crate::from_table(&table).unwrap_err().to_string();
        assert!(e.contains("at most 20000"), "{e}");
        let one_row = format!(
            "|Server|Protecting|Protected by|\n|---|---|---|\n|D|{}| |\n",
            (0..n)
                .map(|i| format!("P{i}"))
                .collect::<Vec<_>>()
                .join(", ")
        );
        let e = crate::from_table(&one_row).unwrap_err().to_string();
        assert!(e.contains("names 20002 servers"), "{e}");
        let link = crate::to_share(&big);
        let e = crate::from_share(&link).unwrap_err().to_string();
        assert!(e.contains("at most 20000"), "{e}");
        // One fewer is a drawing.
        big.servers.pop();
        assert_eq!(
            from_json(&to_json(&big)).unwrap().servers.len(),
            crate::MAX_SERVERS
        );
    }

    #[test]
    fn syntax_errors_give_line_and_column() {
        let e = from_json("{\n  \"format\": \"dpm-sketch/1\",\n  \"servers\": [,]\n}").unwrap_err();
        assert_eq!((e.line, e.column), (Some(3), Some(15)));
        assert!(from_json("").is_err());
        assert!(from_json("[]").unwrap_err().message.contains("JSON object"));
    }

    #[test]
    fn writing_what_was_read_gives_the_same_document() {
        let text = r#"{
  "format": "dpm-sketch/1",
  "title": "T",
  "servers": [
    { "name": "DS1", "kind": "dpm", "version": "2012 R2", "rollup": "UR3", "mabs": false, "vss_writer": "running", "x": 1.5, "y": -2 },
    { "name": "PS1", "kind": "protected", "workloads": [] }
  ],
  "protections": [ { "protector": "DS1", "target": "PS1", "switched": true } ]
}"#;
        let t = from_json(text).unwrap();
        let a: serde_json::Value = serde_json::from_str(text).unwrap();
        let b: serde_json::Value = serde_json::from_str(&to_json(&t)).unwrap();
        assert_eq!(a, b);
    }
}
