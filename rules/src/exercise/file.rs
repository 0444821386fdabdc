//! The `dpm-exercise/1` file: reading it, as strictly as the scenario file
//! (every refusal names the JSON path, line and column), and writing it.

use super::{Allow, Check, Exercise, Goal, RoleWant, CHECKS, EXERCISE_FORMAT, OPTION_KINDS};
use crate::failover::OptionKind;
use crate::json::{self, Node, Value};
use crate::model::Topology;
use crate::rules::Rule;
use crate::scenario::{to_json, InputError, Reader};
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

pub(super) fn read_json(text: &str, start: Option<Topology>) -> Result<Exercise, InputError> {
    if text.len() > crate::MAX_INPUT_BYTES {
        return Err(InputError::new("the exercise is too large to read"));
    }
    let r = Reader { text };
    let root = json::parse(text).map_err(|e| r.fail(None, e.at, e.message))?;
    let top = r.object(&root, "", TOP_FIELDS, false)?;
    match top.get("format").map(|n| (n, &n.value)) {
        Some((_, Value::String(f))) if f == EXERCISE_FORMAT => {}
        Some((n, Value::String(f))) if f.starts_with("dpm-exercise/") => {
            return Err(r.fail(
                Some("format".into()),
                n.at,
                format!("this exercise is \"{f}\", written by a newer or unknown version of DPM Sketch; this build reads {EXERCISE_FORMAT}"),
            ))
        }
        Some((n, _)) => {
            return Err(r.fail(
                Some("format".into()),
                n.at,
                format!("not a DPM Sketch exercise; an exercise file starts with \"format\": \"{EXERCISE_FORMAT}\""),
            ))
        }
        None => {
            return Err(r.fail(
                Some("format".into()),
                root.at,
                format!("missing; an exercise file starts with \"format\": \"{EXERCISE_FORMAT}\""),
            ))
        }
    }
    r.object(&root, "", TOP_FIELDS, true)?;
    let title = r.string(top.required("title", root.at, &r)?, "title")?;
    let task = match top.get("task") {
        Some(n) => r.string(n, "task")?,
        None => String::new(),
    };
    let start = match (top.get("start"), start) {
        (Some(n), None) => r.scenario(n, "start")?,
        (None, Some(t)) => t,
        (None, None) => Topology::new(),
        (Some(n), Some(_)) => {
            return Err(r.fail(
                Some("start".into()),
                n.at,
                "an exercise link holds its start once".into(),
            ))
        }
    };
    let allow = match top.get("allow") {
        None => Allow::ALL,
        Some(n) => {
            let mut a = Allow {
                add_dpm: false,
                add_protected: false,
                delete_given: false,
                rename_given: false,
                edit_facts: false,
                add_protections: false,
                remove_protections: false,
            };
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
            a
        }
    };
    let goals_node = top.required("goals", root.at, &r)?;
    let mut goals: Vec<Goal> = Vec::new();
    for (i, node) in r.array(goals_node, "goals")?.iter().enumerate() {
        let goal = read_goal(&r, node, i)?;
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
    Ok(Exercise {
        title,
        task,
        start,
        allow,
        goals,
    })
}

fn read_goal(r: &Reader, node: &Node, i: usize) -> Result<Goal, InputError> {
    let at = format!("goals[{i}]");
    let g = r.object(node, &at, GOAL_FIELDS, true)?;
    let id = match g.get("id") {
        Some(n) => {
            let id = r.string(n, &g.path("id"))?;
            if id.is_empty()
                || id.len() > 64
                || id.chars().any(|c| c.is_whitespace() || c.is_control())
            {
                return Err(r.fail(
                    Some(g.path("id")),
                    n.at,
                    "a goal id is 1 to 64 characters with no spaces".into(),
                ));
            }
            id
        }
        None => format!("goal-{}", i + 1),
    };
    let kind_node = g.required("check", node.at, r)?;
    let kind = r.string(kind_node, &g.path("check"))?;
    let name = |field: &str| -> Result<String, InputError> {
        let n = g.required(field, node.at, r)?;
        let s = r.string(n, &g.path(field))?;
        crate::model::validate_name_form(&s)
            .map_err(|e| r.fail(Some(g.path(field)), n.at, e.to_string()))?;
        Ok(s)
    };
    let names = |field: &str| -> Result<Vec<String>, InputError> {
        let n = g.required(field, node.at, r)?;
        let items = r.array(n, &g.path(field))?;
        if items.is_empty() {
            return Err(r.fail(Some(g.path(field)), n.at, "name at least one server".into()));
        }
        items
            .iter()
            .enumerate()
            .map(|(k, item)| r.string(item, &format!("{}[{k}]", g.path(field))))
            .collect()
    };
    let rule_at = |field: &str| -> Result<Option<Rule>, InputError> {
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
    };
    let check = match kind.as_str() {
        "no-errors" => Check::NoErrors,
        "no-warnings" => Check::NoWarnings,
        "no-finding" => match rule_at("rule")? {
            Some(rule) => Check::NoFinding(rule),
            None => return Err(r.fail(Some(at), node.at, "missing field `rule`".into())),
        },
        "protection" => Check::Protection {
            protector: name("protector")?,
            target: name("target")?,
            exists: match g.get("exists") {
                Some(n) => r.boolean(n, &g.path("exists"))?,
                None => true,
            },
        },
        "role" => Check::Role {
            server: name("server")?,
            role: r.variant(
                g.required("role", node.at, r)?,
                &g.path("role"),
                &RoleWant::ALL,
                RoleWant::as_str,
            )?,
        },
        "copies" => {
            let n = g.required("at_least", node.at, r)?;
            match n.value {
                Value::Number(v) if v.fract() == 0.0 && (1.0..=16.0).contains(&v) => {
                    Check::Copies(v as usize)
                }
                _ => {
                    return Err(r.fail(
                        Some(g.path("at_least")),
                        n.at,
                        "expected a whole number from 1 to 16".into(),
                    ))
                }
            }
        }
        "no-single-point" => Check::NoSinglePoint,
        "nothing-lost-after" => Check::NothingLostAfter(names("fail")?),
        "option-after" => Check::OptionAfter {
            fail: names("fail")?,
            server: name("server")?,
            option: r.variant(
                g.required("option", node.at, r)?,
                &g.path("option"),
                &OPTION_KINDS,
                OptionKind::id,
            )?,
        },
        "recovered-after" => Check::RecoveredAfter {
            fail: names("fail")?,
            server: name("server")?,
        },
        "matches-table" => {
            let n = g.required("table", node.at, r)?;
            let text = r.string(n, &g.path("table"))?;
            let t = from_table(&text).map_err(|e| {
                r.fail(
                    Some(g.path("table")),
                    n.at,
                    format!("the table does not read: {e}"),
                )
            })?;
            Check::MatchesTable(text, t)
        }
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
    };
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
        rule_at("rule")?
    };
    Ok(Goal {
        id,
        text,
        check,
        hints,
        rule,
    })
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
        out.push_str(",\n  \"allow\": [");
        let on: Vec<&str> = ex
            .allow
            .items()
            .iter()
            .filter(|(_, v)| *v)
            .map(|(k, _)| *k)
            .collect();
        for (i, k) in on.iter().enumerate() {
            if i > 0 {
                out.push_str(", ");
            }
            json::write_string(&mut out, k);
        }
        out.push(']');
    }
    out.push_str(",\n  \"goals\": [");
    for (i, g) in ex.goals.iter().enumerate() {
        out.push_str(if i == 0 { "\n    { " } else { ",\n    { " });
        let field = |out: &mut String, key: &str| {
            out.push_str(",\n      \"");
            out.push_str(key);
            out.push_str("\": ");
        };
        out.push_str("\"id\": ");
        json::write_string(&mut out, &g.id);
        field(&mut out, "check");
        json::write_string(&mut out, g.check.id());
        match &g.check {
            Check::NoFinding(r) => {
                field(&mut out, "rule");
                json::write_string(&mut out, r.id());
            }
            Check::Protection {
                protector,
                target,
                exists,
            } => {
                field(&mut out, "protector");
                json::write_string(&mut out, protector);
                field(&mut out, "target");
                json::write_string(&mut out, target);
                if !exists {
                    field(&mut out, "exists");
                    out.push_str("false");
                }
            }
            Check::Role { server, role } => {
                field(&mut out, "server");
                json::write_string(&mut out, server);
                field(&mut out, "role");
                json::write_string(&mut out, role.as_str());
            }
            Check::Copies(n) => {
                field(&mut out, "at_least");
                out.push_str(&n.to_string());
            }
            Check::NothingLostAfter(f)
            | Check::OptionAfter { fail: f, .. }
            | Check::RecoveredAfter { fail: f, .. } => {
                field(&mut out, "fail");
                out.push('[');
                for (k, name) in f.iter().enumerate() {
                    if k > 0 {
                        out.push_str(", ");
                    }
                    json::write_string(&mut out, name);
                }
                out.push(']');
                if let Check::OptionAfter { server, .. } | Check::RecoveredAfter { server, .. } =
                    &g.check
                {
                    field(&mut out, "server");
                    json::write_string(&mut out, server);
                }
                if let Check::OptionAfter { option, .. } = &g.check {
                    field(&mut out, "option");
                    json::write_string(&mut out, option.id());
                }
            }
            Check::MatchesTable(text, _) => {
                field(&mut out, "table");
                json::write_string(&mut out, text);
            }
            Check::NoErrors | Check::NoWarnings | Check::NoSinglePoint => {}
        }
        if let Some(text) = &g.text {
            field(&mut out, "text");
            json::write_string(&mut out, text);
        }
        if let Some(r) = g.rule {
            field(&mut out, "rule");
            json::write_string(&mut out, r.id());
        }
        if !g.hints.is_empty() {
            field(&mut out, "hints");
            out.push('[');
            for (k, h) in g.hints.iter().enumerate() {
                out.push_str(if k == 0 { "\n        " } else { ",\n        " });
                json::write_string(&mut out, h);
            }
            out.push_str("\n      ]");
        }
        out.push_str("\n    }");
    }
    out.push_str("\n  ]\n}\n");
    out
}
