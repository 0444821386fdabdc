//! The scenario file, `dpm-sketch/1` JSON.
//!
//! Reading is strict: unknown fields, unknown versions, facts that do not fit
//! a server's kind and protections that name no server are errors that say
//! where they are (JSON path, line and column), because a file that is
//! silently half-read loses a user's work without telling them.

use std::fmt;

use serde::{Deserialize, Serialize, Serializer};

use crate::model::{
    validate_name_form, DpmVersion, Kind, Point, Protection, Server, Topology, VssWriter, Workload,
};

/// The format this build writes.
pub const FORMAT: &str = "dpm-sketch/1";
/// The formats this build reads.
pub const READABLE_FORMATS: &[&str] = &[FORMAT];
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

#[derive(Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct Doc {
    format: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    title: Option<String>,
    servers: Vec<DocServer>,
    #[serde(default)]
    protections: Vec<DocProtection>,
}

#[derive(Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct DocServer {
    name: String,
    kind: Kind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    version: Option<DpmVersion>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    rollup: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    mabs: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    vss_writer: Option<VssWriter>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    workloads: Option<Vec<Workload>>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "coord"
    )]
    x: Option<f64>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "coord"
    )]
    y: Option<f64>,
}

#[derive(Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct DocProtection {
    protector: String,
    target: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    switched: Option<bool>,
}

/// Whole coordinates are written as integers (`120`, not `120.0`), as people
/// write them.
fn coord<S: Serializer>(v: &Option<f64>, s: S) -> Result<S::Ok, S::Error> {
    match v {
        Some(x) if x.fract() == 0.0 && x.abs() < 9.0e15 => s.serialize_i64(*x as i64),
        Some(x) => s.serialize_f64(*x),
        None => s.serialize_none(),
    }
}

#[derive(Deserialize)]
struct Probe {
    format: Option<serde_json::Value>,
}

/// Reads a scenario file.
pub fn from_json(text: &str) -> Result<Topology, InputError> {
    if !text.trim_start().starts_with('{') {
        let (line, column) = first_char_position(text);
        return Err(InputError {
            path: None,
            line,
            column,
            message: "expected a JSON object, starting with \"{\", with \"format\", \"servers\" and \"protections\"".into(),
        });
    }
    // First the version, so that a file from a newer build is refused for
    // that reason rather than for a field this build has never heard of.
    let probe: Probe = serde_json::from_str(text).map_err(|e| {
        let message = if e.is_data() {
            "expected a JSON object with \"format\", \"servers\" and \"protections\"".to_string()
        } else {
            clean_serde_message(&e.to_string())
        };
        InputError {
            path: None,
            line: Some(e.line()).filter(|&l| l > 0),
            column: Some(e.column()).filter(|&c| c > 0),
            message,
        }
    })?;
    let readable = READABLE_FORMATS.join(", ");
    match probe.format {
        None => {
            return Err(located(
                text,
                "format",
                format!("missing; a scenario file starts with \"format\": \"{FORMAT}\""),
            ))
        }
        Some(serde_json::Value::String(f)) if READABLE_FORMATS.contains(&f.as_str()) => {}
        Some(serde_json::Value::String(f)) if f.starts_with("dpm-sketch/") => {
            return Err(located(
                text,
                "format",
                format!(
                    "this file is \"{f}\", written by a newer or unknown version of DPM Sketch; this build reads {readable}"
                ),
            ))
        }
        Some(other) => {
            return Err(located(
                text,
                "format",
                format!("{other} is not a DPM Sketch scenario format; this build reads {readable}"),
            ))
        }
    }

    let doc: Doc = serde_json::from_str(text).map_err(|e| {
        let (line, column) = (e.line(), e.column());
        InputError {
            path: crate::jsonpos::path_at(text, line, column),
            line: Some(line).filter(|&l| l > 0),
            column: Some(column).filter(|&c| c > 0),
            message: clean_serde_message(&e.to_string()),
        }
    })?;
    build(text, doc)
}

/// serde_json appends " at line L column C"; we say where separately.
fn clean_serde_message(m: &str) -> String {
    let m = match m.rfind(" at line ") {
        Some(i) => &m[..i],
        None => m,
    };
    if m.starts_with("EOF while parsing") {
        format!("the text ends in the middle of the JSON ({m}): is the file cut short?")
    } else {
        m.to_string()
    }
}

fn first_char_position(text: &str) -> (Option<usize>, Option<usize>) {
    let mut line = 1;
    let mut column = 1;
    for c in text.chars() {
        if c == '\n' {
            line += 1;
            column = 1;
        } else if c.is_whitespace() {
            column += 1;
        } else {
            return (Some(line), Some(column));
        }
    }
    (None, None)
}

fn located(text: &str, path: &str, message: String) -> InputError {
    let (line, column) = match crate::jsonpos::find(text, path) {
        Some((l, c)) => (Some(l), Some(c)),
        None => (None, None),
    };
    InputError {
        path: Some(path.to_string()),
        line,
        column,
        message,
    }
}

fn build(text: &str, doc: Doc) -> Result<Topology, InputError> {
    let mut t = Topology::new();
    t.title = doc.title;
    for (i, s) in doc.servers.into_iter().enumerate() {
        let at = |field: &str| format!("servers[{i}].{field}");
        validate_name_form(&s.name).map_err(|e| located(text, &at("name"), e.to_string()))?;
        if s.kind == Kind::Protected {
            for (field, present) in [
                ("version", s.version.is_some()),
                ("rollup", s.rollup.is_some()),
                ("mabs", s.mabs.is_some()),
                ("vss_writer", s.vss_writer.is_some()),
            ] {
                if present {
                    return Err(located(
                        text,
                        &at(field),
                        format!("\"{field}\" applies to DPM servers only, and \"{}\" is a protected server", s.name),
                    ));
                }
            }
        } else if s.workloads.is_some() {
            return Err(located(
                text,
                &at("workloads"),
                format!(
                    "\"workloads\" applies to protected servers only, and \"{}\" is a DPM server",
                    s.name
                ),
            ));
        }
        let pos = match (s.x, s.y) {
            (Some(x), Some(y)) => {
                for (field, v) in [("x", x), ("y", y)] {
                    if !v.is_finite() || v.abs() > MAX_COORD {
                        return Err(located(
                            text,
                            &at(field),
                            format!("a position is between -{MAX_COORD} and {MAX_COORD}"),
                        ));
                    }
                }
                Some(Point { x, y })
            }
            (None, None) => None,
            (Some(_), None) => {
                return Err(located(
                    text,
                    &at("x"),
                    "\"x\" needs \"y\" beside it".into(),
                ))
            }
            (None, Some(_)) => {
                return Err(located(
                    text,
                    &at("y"),
                    "\"y\" needs \"x\" beside it".into(),
                ))
            }
        };
        let id = t.next_id();
        let mut server = Server::new(id, s.name, s.kind);
        server.version = s.version;
        server.rollup = s.rollup;
        server.mabs = s.mabs;
        server.vss_writer = s.vss_writer;
        server.workloads = s.workloads;
        server.pos = pos;
        t.insert_server(server);
    }
    let mut listed = std::collections::HashMap::with_capacity(doc.protections.len());
    for (i, p) in doc.protections.into_iter().enumerate() {
        let at = |field: &str| format!("protections[{i}].{field}");
        let protector = t.find(&p.protector).ok_or_else(|| {
            located(
                text,
                &at("protector"),
                format!("no server is named \"{}\" in \"servers\"", p.protector),
            )
        })?;
        let target = t.find(&p.target).ok_or_else(|| {
            located(
                text,
                &at("target"),
                format!("no server is named \"{}\" in \"servers\"", p.target),
            )
        })?;
        let switched = p.switched.unwrap_or(false);
        if switched {
            let ok = t.server(protector).is_some_and(Server::is_dpm)
                && t.server(target).is_some_and(|s| s.kind == Kind::Protected);
            if !ok {
                return Err(located(
                    text,
                    &at("switched"),
                    "switched protection is from a DPM server to a protected server only".into(),
                ));
            }
        }
        let mut protection = Protection::new(protector, target);
        protection.switched = switched;
        if let Some(&j) = listed.get(&protection.link()) {
            return Err(located(
                text,
                &format!("protections[{i}]"),
                format!(
                    "\"{}\" already protects \"{}\" (protections[{j}]); a protection is listed once",
                    p.protector, p.target
                ),
            ));
        }
        listed.insert(protection.link(), i);
        t.protections.push(protection);
    }
    Ok(t)
}

/// Writes a scenario file (pretty-printed, with a final newline).
pub fn to_json(t: &Topology) -> String {
    let doc = Doc {
        format: FORMAT.to_string(),
        title: t.title.clone(),
        servers: t
            .servers
            .iter()
            .map(|s| DocServer {
                name: s.name.clone(),
                kind: s.kind,
                version: s.version,
                rollup: s.rollup.clone(),
                mabs: s.mabs,
                vss_writer: s.vss_writer,
                workloads: s.workloads.clone(),
                x: s.pos.map(|p| p.x),
                y: s.pos.map(|p| p.y),
            })
            .collect(),
        protections: t
            .protections
            .iter()
            .map(|p| DocProtection {
                protector: t.name(p.protector).to_string(),
                target: t.name(p.target).to_string(),
                switched: p.switched.then_some(true),
            })
            .collect(),
    };
    let mut s = serde_json::to_string_pretty(&doc).unwrap_or_default();
    s.push('\n');
    s
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
        assert_eq!(t.servers[0].version, Some(DpmVersion::V2019));
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
        let e = err(r#"{"format":"dpm-sketch/2","servers":[],"later":true}"#);
        assert!(e.contains("this build reads dpm-sketch/1"), "{e}");
        assert!(e.starts_with("format, line 1, column 11"), "{e}");
        assert!(err(r#"{"servers":[]}"#).contains("format: missing"));
        assert!(err(r#"{"format":7,"servers":[]}"#).contains("7 is not a DPM Sketch"));
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
        assert!(e.contains("unknown variant `2020`"), "{e}");
        let e = err(r#"{"format":"dpm-sketch/1","servers":[{"name":" ","kind":"dpm"}]}"#);
        assert!(e.contains("servers[0].name"), "{e}");
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
