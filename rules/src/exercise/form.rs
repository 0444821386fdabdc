//! Authoring: the parameters of each check as form fields, and a goal made
//! from a form by the file reader, so a form refuses what a file would.

use super::{exercise_from_json, Goal};
use crate::json;
use crate::model::Kind;

// ---------------------------------------------------------------- authoring

/// How a goal parameter is entered.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Param {
    /// A server's name (of this kind, when given).
    Server(Option<Kind>),
    /// Server names, separated by commas.
    Names,
    /// A whole number.
    Number,
    /// One of a fixed list: `(value, label)`.
    Choice(&'static [(&'static str, &'static str)]),
    /// Yes or no.
    Flag,
    /// Several lines of text (a table).
    Lines,
}

const ROLE_CHOICES: &[(&str, &str)] = &[
    ("primary", "primary"),
    ("secondary", "secondary"),
    ("both", "primary and secondary"),
    ("primary-only", "primary only"),
    ("secondary-only", "secondary only"),
];

const RULE_CHOICES: &[(&str, &str)] = &[
    ("duplicate-name", "Duplicate name"),
    ("protector-not-dpm", "Protector is not a DPM server"),
    ("protected-twice", "Protected twice"),
    ("chain-shortcut", "Chain shortcut"),
    (
        "self-protection-breaks-chain",
        "Self-protection breaks the chain",
    ),
    ("vss-writer-stopped", "SQL Server VSS Writer stopped"),
    ("version-mismatch", "DPM versions differ"),
    (
        "mabs-no-secondary",
        "Azure Backup Server and secondary protection",
    ),
    (
        "azure-protects-on-premises",
        "Azure DPM protects on-premises servers",
    ),
    (
        "dc-protects-others",
        "DPM on a domain controller protects others",
    ),
    ("not-copied-to-secondary", "Not copied to the secondary"),
    ("scale-out-no-secondary", "Scale-out VMs get no secondary"),
    (
        "switched-no-secondary",
        "Switched protection and a secondary",
    ),
    ("host-protected-by-guest", "Host protected by its own guest"),
    ("long-cycle", "Long protection cycle"),
    ("single-copy-dpm", "DPM database has no copy"),
    (
        "database-on-protected",
        "DPM database on a server it protects",
    ),
    ("same-site-secondary", "Secondary in the same site"),
    ("unprotected", "Unprotected"),
];

const OPTION_CHOICES: &[(&str, &str)] = &[
    ("switch-protection", "Switch Protection"),
    ("rebuild-primary", "Rebuild the failed DPM server"),
    (
        "move-to-new-server",
        "Move to a server the secondary doesn't know",
    ),
    (
        "move-to-known-server",
        "Move to a server the secondary knows",
    ),
    ("reprotect", "Protect again"),
    ("restore-from-primary", "Restore from the primary"),
    ("restore-from-secondary", "Restore from the secondary"),
    ("restore-database", "Restore the DPM database"),
];

/// The parameters of a check, as its file fields, with a label for a form.
pub fn params(check: &str) -> &'static [(&'static str, &'static str, Param)] {
    match check {
        "no-finding" => &[("rule", "Rule", Param::Choice(RULE_CHOICES))],
        "protection" => &[
            ("protector", "Protector", Param::Server(Some(Kind::Dpm))),
            ("target", "Target", Param::Server(None)),
            (
                "exists",
                "The protection exists (untick: it must not)",
                Param::Flag,
            ),
        ],
        "role" => &[
            ("server", "DPM server", Param::Server(Some(Kind::Dpm))),
            ("role", "Role", Param::Choice(ROLE_CHOICES)),
        ],
        "copies" => &[(
            "at_least",
            "DPM servers holding each protected server's data, at least",
            Param::Number,
        )],
        "nothing-lost-after" => &[(
            "fail",
            "Servers or sites that fail (comma-separated)",
            Param::Names,
        )],
        "option-after" => &[
            (
                "fail",
                "Servers or sites that fail (comma-separated)",
                Param::Names,
            ),
            ("server", "Server", Param::Server(None)),
            ("option", "Option", Param::Choice(OPTION_CHOICES)),
        ],
        "recovered-after" => &[
            (
                "fail",
                "Servers or sites that fail (comma-separated)",
                Param::Names,
            ),
            ("server", "Server", Param::Server(None)),
        ],
        "matches-table" => &[(
            "table",
            "Table (the documentation's Markdown form)",
            Param::Lines,
        )],
        _ => &[],
    }
}

/// The rules a hint may cite, as `(id, title)`.
pub fn rule_choices() -> &'static [(&'static str, &'static str)] {
    RULE_CHOICES
}

/// A goal from a form: its check, parameter values as typed (`params`'
/// fields; flags as "true"/"false"), its sentence (empty: the check's
/// own), hints one a line, and the rule they cite (empty: none). Read as the
/// file reader reads a goal, so a form refuses what a file would.
pub fn goal_from_form(
    id: &str,
    check: &str,
    values: &[(&str, String)],
    text: &str,
    hints: &str,
    rule: &str,
) -> Result<Goal, String> {
    let mut o = String::from("{\"format\":\"dpm-exercise/1\",\"title\":\"-\",\"goals\":[{\"id\":");
    json::write_string(&mut o, id);
    o.push_str(",\"check\":");
    json::write_string(&mut o, check);
    for (key, _, kind) in params(check) {
        let v = values
            .iter()
            .find(|(k, _)| k == key)
            .map_or("", |(_, v)| v.as_str())
            .trim();
        o.push_str(",\"");
        o.push_str(key);
        o.push_str("\":");
        match kind {
            Param::Number => {
                o.push_str(if v.chars().all(|c| c.is_ascii_digit()) && !v.is_empty() {
                    v
                } else {
                    "0"
                })
            }
            Param::Flag => o.push_str(if v == "false" { "false" } else { "true" }),
            Param::Names => {
                o.push('[');
                for (i, n) in v
                    .split(',')
                    .map(str::trim)
                    .filter(|n| !n.is_empty())
                    .enumerate()
                {
                    if i > 0 {
                        o.push(',');
                    }
                    json::write_string(&mut o, n);
                }
                o.push(']');
            }
            _ => json::write_string(&mut o, v),
        }
    }
    if !text.trim().is_empty() {
        o.push_str(",\"text\":");
        json::write_string(&mut o, text.trim());
    }
    let hints: Vec<&str> = hints
        .lines()
        .map(str::trim)
        .filter(|h| !h.is_empty())
        .collect();
    if !hints.is_empty() {
        o.push_str(",\"hints\":[");
        for (i, h) in hints.iter().enumerate() {
            if i > 0 {
                o.push(',');
            }
            json::write_string(&mut o, h);
        }
        o.push(']');
    }
    if !rule.is_empty() && check != "no-finding" {
        o.push_str(",\"rule\":");
        json::write_string(&mut o, rule);
    }
    o.push_str("}]}");
    match exercise_from_json(&o) {
        Ok(mut ex) => Ok(ex.goals.remove(0)),
        // The path and position are of the text made here, not the form's:
        // the message alone says what is wrong.
        Err(e) => Err(e.message),
    }
}
