//! The `dpm-exercise/1` file: reading it, as strictly as the scenario file
//! (every refusal names the JSON path, line and column), and writing it.

use super::{Allow, Check, Exercise, Goal, RoleWant, CHECKS, EXERCISE_FORMAT, OPTION_KINDS};
use crate::failover::OptionKind;
use crate::json::{self, Node, Value};
use crate::model::Topology;
use crate::rules::Rule;
use crate::scenario::{to_json, Fields, InputError, Reader};
use crate::table::from_table;

// ---------------------------------------------------------------- reading

const TOP_FIELDS: &[&str] = &["format", "title", "task", "start", "allow", "goals"];
const GOAL_FIELDS: &[&str] = &[
    "id",
    "check",
    "text",
    "hints",
    "rule",
    "protector",
    "target",
    "exists",
    "server",
    "role",
    "at_least",
    "fail",
    "option",
    "table",
];

/// Reads an exercise file.
pub fn exercise_from_json(text: &str) -> Result<Exercise, InputError> {
    read_json(text, None)
}

/// Reads an exercise: a file's text with its own `start`, or (`start` given)
/// the JSON part of a link, whose start came in binary form before it.
pub(super) fn read_json(text: &str, start: Option<Topology>) -> Result<Exercise, InputError> {
    if text.len() > crate::MAX_INPUT_BYTES {
        return Err(InputError::new("the exercise is too large to read"));
    }
    let r = Reader { text };
    let root = json::parse(text).map_err(|e| r.fail(None, e.at, e.message))?;
    let top = r.object(&root, "", TOP_FIELDS, false)?;
    read_format(&r, &top, &root)?;
    r.object(&root, "", TOP_FIELDS, true)?;
    let title = r.string(top.required("title", root.at, &r)?, "title")?;
    let task = match top.get("task") {
        Some(n) => r.string(n, "task")?,
        None => String::new(),
    };
    let start = read_start(&r, &top, start)?;
    let allow = match top.get("allow") {
        None => Allow::ALL,
        Some(n) => read_allow(&r, n)?,
    };
    let goals = read_goals(&r, top.required("goals", root.at, &r)?)?;
    Ok(Exercise {
        title,
        task,
        start,
        allow,
        goals,
    })
}

/// The format first, so that a file from a newer build is refused for that
/// reason rather than for a field this build has never heard of.
fn read_format(r: &Reader, top: &Fields, root: &Node) -> Result<(), InputError> {
    match top.get("format").map(|n| (n, &n.value)) {
        Some((_, Value::String(f))) if f == EXERCISE_FORMAT => Ok(()),
        Some((n, Value::String(f))) if f.starts_with("dpm-exercise/") => Err(r.fail(
            Some("format".into()),
            n.at,
            format!("this exercise is \"{f}\", written by a newer or unknown version of DPM Sketch; this build reads {EXERCISE_FORMAT}"),
        )),
        Some((n, _)) => Err(r.fail(
            Some("format".into()),
            n.at,
            format!("not a DPM Sketch exercise; an exercise file starts with \"format\": \"{EXERCISE_FORMAT}\""),
        )),
        None => Err(r.fail(
            Some("format".into()),
            root.at,
            format!("missing; an exercise file starts with \"format\": \"{EXERCISE_FORMAT}\""),
        )),
    }
}

/// The starting scenario: the file's `start`, the one a link carried, or
/// an empty drawing; never two.
fn read_start(r: &Reader, top: &Fields, start: Option<Topology>) -> Result<Topology, InputError> {
    match (top.get("start"), start) {
        (Some(n), None) => r.scenario(n, "start"),
        (None, Some(t)) => Ok(t),
        (None, None) => Ok(Topology::new()),
        (Some(n), Some(_)) => Err(r.fail(
            Some("start".into()),
            n.at,
            "an exercise link holds its start once".into(),
        )),
    }
}

/// `allow`: the permissions listed, every other one withheld.
fn read_allow(r: &Reader, n: &Node) -> Result<Allow, InputError> {
    let mut a = Allow::NONE;
    for (i, item) in r.array(n, "allow")?.iter().enumerate() {
        let path = format!("allow[{i}]");
        let id = r.string(item, &path)?;
        if !a.set(&id) {
            let ids: Vec<String> = Allow::ALL
                .items()
                .iter()
                .map(|(k, _)| format!("`{k}`"))
                .collect();
            return Err(r.fail(
                Some(path),
                item.at,
                format!(
                    "unknown permission `{id}`, expected one of {}",
                    ids.join(", ")
                ),
            ));
        }
    }
    Ok(a)
}

/// `goals`: at least one, each id once.
fn read_goals(r: &Reader, goals_node: &Node) -> Result<Vec<Goal>, InputError> {
    let mut goals: Vec<Goal> = Vec::new();
    for (i, node) in r.array(goals_node, "goals")?.iter().enumerate() {
        let goal = read_goal(r, node, i)?;
        if goals.iter().any(|g| g.id == goal.id) {
            return Err(r.fail(
                Some(format!("goals[{i}].id")),
                node.at,
                format!(
                    "the goal id \"{}\" is used twice; each goal has its own",
                    goal.id
                ),
            ));
        }
        goals.push(goal);
    }
    if goals.is_empty() {
        return Err(r.fail(
            Some("goals".into()),
            goals_node.at,
            "an exercise needs at least one goal".into(),
        ));
    }
    Ok(goals)
}

fn read_goal(r: &Reader, node: &Node, i: usize) -> Result<Goal, InputError> {
    let at = format!("goals[{i}]");
    let g = r.object(node, &at, GOAL_FIELDS, true)?;
    let f = GoalFields { r, g: &g, node };
    let id = f.id(i)?;
    let check = f.check(&at)?;
    let text = match g.get("text") {
        Some(n) => Some(r.string(n, &g.path("text"))?).filter(|s| !s.trim().is_empty()),
        None => None,
    };
    let hints = match g.get("hints") {
        Some(n) => r
            .array(n, &g.path("hints"))?
            .iter()
            .enumerate()
            .map(|(k, h)| r.string(h, &format!("{}[{k}]", g.path("hints"))))
            .collect::<Result<Vec<_>, _>>()?,
        None => Vec::new(),
    };
    let rule = if matches!(check, Check::NoFinding(_)) {
        None
    } else {
        f.rule("rule")?
    };
    Ok(Goal {
        id,
        text,
        check,
        hints,
        rule,
    })
}

/// One goal's fields, each read with its path for a refusal.
struct GoalFields<'a> {
    r: &'a Reader<'a>,
    g: &'a Fields<'a>,
    /// The goal's object: where a missing field is reported.
    node: &'a Node,
}

impl GoalFields<'_> {
    fn required(&self, field: &str) -> Result<&Node, InputError> {
        self.g.required(field, self.node.at, self.r)
    }

    /// `id`: 1 to 64 characters with no spaces; `goal-N` when left out.
    fn id(&self, i: usize) -> Result<String, InputError> {
        let (r, g) = (self.r, self.g);
        let Some(n) = g.get("id") else {
            return Ok(format!("goal-{}", i + 1));
        };
        let id = r.string(n, &g.path("id"))?;
        if id.is_empty() || id.len() > 64 || id.chars().any(|c| c.is_whitespace() || c.is_control())
        {
            return Err(r.fail(
                Some(g.path("id")),
                n.at,
                "a goal id is 1 to 64 characters with no spaces".into(),
            ));
        }
        Ok(id)
    }

    /// `check` and the parameters it takes. `at` is the goal's path.
    fn check(&self, at: &str) -> Result<Check, InputError> {
        let (r, g) = (self.r, self.g);
        let kind_node = self.required("check")?;
        let kind = r.string(kind_node, &g.path("check"))?;
        Ok(match kind.as_str() {
            "no-errors" => Check::NoErrors,
            "no-warnings" => Check::NoWarnings,
            "no-finding" => match self.rule("rule")? {
                Some(rule) => Check::NoFinding(rule),
                None => {
                    return Err(r.fail(
                        Some(at.to_string()),
                        self.node.at,
                        "missing field `rule`".into(),
                    ))
                }
            },
            "protection" => Check::Protection {
                protector: self.name("protector")?,
                target: self.name("target")?,
                exists: match g.get("exists") {
                    Some(n) => r.boolean(n, &g.path("exists"))?,
                    None => true,
                },
            },
            "role" => Check::Role {
                server: self.name("server")?,
                role: r.variant(
                    self.required("role")?,
                    &g.path("role"),
                    &RoleWant::ALL,
                    RoleWant::as_str,
                )?,
            },
            "copies" => Check::Copies(self.at_least()?),
            "no-single-point" => Check::NoSinglePoint,
            "nothing-lost-after" => Check::NothingLostAfter(self.names("fail")?),
            "option-after" => Check::OptionAfter {
                fail: self.names("fail")?,
                server: self.name("server")?,
                option: r.variant(
                    self.required("option")?,
                    &g.path("option"),
                    &OPTION_KINDS,
                    OptionKind::id,
                )?,
            },
            "recovered-after" => Check::RecoveredAfter {
                fail: self.names("fail")?,
                server: self.name("server")?,
            },
            "matches-table" => self.table()?,
            other => {
                return Err(r.fail(
                    Some(g.path("check")),
                    kind_node.at,
                    format!(
                        "unknown check `{other}`, expected one of {}",
                        CHECKS
                            .iter()
                            .map(|c| format!("`{c}`"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                ))
            }
        })
    }

    /// A server's name, in the form a name takes.
    fn name(&self, field: &str) -> Result<String, InputError> {
        let (r, g) = (self.r, self.g);
        let n = self.required(field)?;
        let s = r.string(n, &g.path(field))?;
        crate::model::validate_name_form(&s)
            .map_err(|e| r.fail(Some(g.path(field)), n.at, e.to_string()))?;
        Ok(s)
    }

    /// Servers or sites that fail: at least one.
    fn names(&self, field: &str) -> Result<Vec<String>, InputError> {
        let (r, g) = (self.r, self.g);
        let n = self.required(field)?;
        let items = r.array(n, &g.path(field))?;
        if items.is_empty() {
            return Err(r.fail(Some(g.path(field)), n.at, "name at least one server".into()));
        }
        items
            .iter()
            .enumerate()
            .map(|(k, item)| r.string(item, &format!("{}[{k}]", g.path(field))))
            .collect()
    }

    /// The rule a field names by id, when the field is there.
    fn rule(&self, field: &str) -> Result<Option<Rule>, InputError> {
        let (r, g) = (self.r, self.g);
        match g.get(field) {
            None => Ok(None),
            Some(n) => {
                let id = r.string(n, &g.path(field))?;
                Rule::from_id(&id).map(Some).ok_or_else(|| {
                    r.fail(
                        Some(g.path(field)),
                        n.at,
                        format!("no rule has the id `{id}`"),
                    )
                })
            }
        }
    }

    /// `at_least` of a `copies` goal: a whole number from 1 to 16.
    fn at_least(&self) -> Result<usize, InputError> {
        let n = self.required("at_least")?;
        match n.value {
            Value::Number(v) if v.fract() == 0.0 && (1.0..=16.0).contains(&v) => Ok(v as usize),
            _ => Err(self.r.fail(
                Some(self.g.path("at_least")),
                n.at,
                "expected a whole number from 1 to 16".into(),
            )),
        }
    }

    /// `table` of a `matches-table` goal: the text as written, and the
    /// drawing it reads as.
    fn table(&self) -> Result<Check, InputError> {
        let (r, g) = (self.r, self.g);
        let n = self.required("table")?;
        let text = r.string(n, &g.path("table"))?;
        let t = from_table(&text).map_err(|e| {
            r.fail(
                Some(g.path("table")),
                n.at,
                format!("the table does not read: {e}"),
            )
        })?;
        Ok(Check::MatchesTable(text, t))
    }
}

// ---------------------------------------------------------------- writing

/// Writes an exercise file (pretty-printed, with a final newline).
pub fn exercise_to_json(ex: &Exercise) -> String {
    write(ex, true)
}

pub(super) fn write(ex: &Exercise, with_start: bool) -> String {
    let mut out = String::from("{\n  \"format\": ");
    json::write_string(&mut out, EXERCISE_FORMAT);
    out.push_str(",\n  \"title\": ");
    json::write_string(&mut out, &ex.title);
    if !ex.task.is_empty() {
        out.push_str(",\n  \"task\": ");
        json::write_string(&mut out, &ex.task);
    }
    if with_start {
        out.push_str(",\n  \"start\": ");
        let start = to_json(&ex.start);
        out.push_str(&start.trim_end().replace('\n', "\n  "));
    }
    if ex.allow != Allow::ALL {
        write_allow(&mut out, &ex.allow);
    }
    out.push_str(",\n  \"goals\": [");
    for (i, g) in ex.goals.iter().enumerate() {
        out.push_str(if i == 0 { "\n    { " } else { ",\n    { " });
        write_goal(&mut out, g);
        out.push_str("\n    }");
    }
    out.push_str("\n  ]\n}\n");
    out
}

/// `allow`, on one line: the permissions granted, in file order.
fn write_allow(out: &mut String, allow: &Allow) {
    out.push_str(",\n  \"allow\": [");
    let on: Vec<&str> = allow
        .items()
        .iter()
        .filter(|(_, v)| *v)
        .map(|(k, _)| *k)
        .collect();
    for (i, k) in on.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        json::write_string(out, k);
    }
    out.push(']');
}

/// Starts a goal's member `key` (after the first, `id`); its value follows.
fn field(out: &mut String, key: &str) {
    out.push_str(",\n      \"");
    out.push_str(key);
    out.push_str("\": ");
}

/// One goal's members, between its braces: id, check, the check's
/// parameters, then its own sentence, rule and hints.
fn write_goal(out: &mut String, g: &Goal) {
    out.push_str("\"id\": ");
    json::write_string(out, &g.id);
    field(out, "check");
    json::write_string(out, g.check.id());
    write_params(out, &g.check);
    if let Some(text) = &g.text {
        field(out, "text");
        json::write_string(out, text);
    }
    if let Some(r) = g.rule {
        field(out, "rule");
        json::write_string(out, r.id());
    }
    if !g.hints.is_empty() {
        field(out, "hints");
        out.push('[');
        for (k, h) in g.hints.iter().enumerate() {
            out.push_str(if k == 0 { "\n        " } else { ",\n        " });
            json::write_string(out, h);
        }
        out.push_str("\n      ]");
    }
}

/// The parameters of a check, as the fields `read_goal` reads them from.
fn write_params(out: &mut String, check: &Check) {
    match check {
        Check::NoFinding(r) => {
            field(out, "rule");
            json::write_string(out, r.id());
        }
        Check::Protection {
            protector,
            target,
            exists,
        } => {
            field(out, "protector");
            json::write_string(out, protector);
            field(out, "target");
            json::write_string(out, target);
            if !exists {
                field(out, "exists");
                out.push_str("false");
            }
        }
        Check::Role { server, role } => {
            field(out, "server");
            json::write_string(out, server);
            field(out, "role");
            json::write_string(out, role.as_str());
        }
        Check::Copies(n) => {
            field(out, "at_least");
            out.push_str(&n.to_string());
        }
        Check::NothingLostAfter(f)
        | Check::OptionAfter { fail: f, .. }
        | Check::RecoveredAfter { fail: f, .. } => {
            field(out, "fail");
            out.push('[');
            for (k, name) in f.iter().enumerate() {
                if k > 0 {
                    out.push_str(", ");
                }
                json::write_string(out, name);
            }
            out.push(']');
            if let Check::OptionAfter { server, .. } | Check::RecoveredAfter { server, .. } = check
            {
                field(out, "server");
                json::write_string(out, server);
            }
            if let Check::OptionAfter { option, .. } = check {
                field(out, "option");
                json::write_string(out, option.id());
            }
        }
        Check::MatchesTable(text, _) => {
            field(out, "table");
            json::write_string(out, text);
        }
        Check::NoErrors | Check::NoWarnings | Check::NoSinglePoint => {}
    }
}
