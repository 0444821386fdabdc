//! Exercises for workshops: `dpm-exercise/1` files and `#x=` links.
//!
//! An exercise is a task, a starting scenario, what the participant may
//! change, and goals. A goal is a question put to this crate (the findings,
//! roles, the copy inventory, single points of failure, the failover
//! planner, the seeds' table), never a comparison with one answer drawing,
//! so every correct answer passes. Each goal has the sentence a participant
//! sees and hints, shown in order, that cite the documentation sentence of
//! the rule concerned.
//!
//! Reading is as strict as the scenario file's: unknown fields, unknown
//! checks, servers named in no way and duplicate goal ids are refused with
//! the JSON path, line and column.
//!
//! ```
//! use dpm_rules::{evaluate, exercise_from_json, presets};
//!
//! let ex = exercise_from_json(r#"{
//!   "format": "dpm-exercise/1",
//!   "title": "Chain",
//!   "task": "Give DS4 a copy of its database.",
//!   "goals": [{ "check": "no-single-point" }]
//! }"#).unwrap();
//! let results = evaluate(&ex, &presets::scenario_1());
//! assert!(!results[0].pass); // DS4 tops the chain: its database has no copy
//! ```

mod file;
mod form;
mod judge;
mod link;
mod refusal;
#[cfg(test)]
mod tests;

use crate::failover::OptionKind;
use crate::model::{Kind, Topology};
use crate::rules::{and_list, Rule};
use crate::scenario::InputError;

pub use file::{exercise_from_json, exercise_to_json};
pub use form::{goal_from_form, params, rule_choices, Param};
pub use judge::{evaluate, out_of_reach};
pub use link::{exercise_from_link, exercise_to_link, looks_like_exercise_link};
pub use refusal::refusal;

/// The format this build writes and reads.
pub const EXERCISE_FORMAT: &str = "dpm-exercise/1";

/// What a participant may change. Servers and protections they added
/// themselves are always theirs to change; these say what they may do to
/// the starting scenario and what the palette offers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Allow {
    pub add_dpm: bool,
    pub add_protected: bool,
    pub delete_given: bool,
    pub rename_given: bool,
    pub edit_facts: bool,
    pub add_protections: bool,
    pub remove_protections: bool,
}

impl Allow {
    /// Every permission withheld.
    pub const NONE: Allow = Allow {
        add_dpm: false,
        add_protected: false,
        delete_given: false,
        rename_given: false,
        edit_facts: false,
        add_protections: false,
        remove_protections: false,
    };

    pub const ALL: Allow = Allow {
        add_dpm: true,
        add_protected: true,
        delete_given: true,
        rename_given: true,
        edit_facts: true,
        add_protections: true,
        remove_protections: true,
    };

    /// Every permission with its id in the file, in file order.
    pub fn items(&self) -> [(&'static str, bool); 7] {
        [
            ("add-dpm", self.add_dpm),
            ("add-protected", self.add_protected),
            ("delete-given", self.delete_given),
            ("rename-given", self.rename_given),
            ("edit-facts", self.edit_facts),
            ("add-protections", self.add_protections),
            ("remove-protections", self.remove_protections),
        ]
    }

    fn set(&mut self, id: &str) -> bool {
        let slot = match id {
            "add-dpm" => &mut self.add_dpm,
            "add-protected" => &mut self.add_protected,
            "delete-given" => &mut self.delete_given,
            "rename-given" => &mut self.rename_given,
            "edit-facts" => &mut self.edit_facts,
            "add-protections" => &mut self.add_protections,
            "remove-protections" => &mut self.remove_protections,
            _ => return false,
        };
        *slot = true;
        true
    }

    /// Sets the `i`th permission of [`Allow::items`].
    pub fn set_item(&mut self, i: usize, on: bool) {
        let slot = match i {
            0 => &mut self.add_dpm,
            1 => &mut self.add_protected,
            2 => &mut self.delete_given,
            3 => &mut self.rename_given,
            4 => &mut self.edit_facts,
            5 => &mut self.add_protections,
            _ => &mut self.remove_protections,
        };
        *slot = on;
    }

    /// May the palette add servers of this kind?
    pub fn may_add(&self, kind: Kind) -> bool {
        match kind {
            Kind::Dpm => self.add_dpm,
            Kind::Protected => self.add_protected,
        }
    }
}

/// A role a goal asks of a DPM server.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RoleWant {
    /// Primary, perhaps secondary too.
    Primary,
    /// Secondary, perhaps primary too.
    Secondary,
    Both,
    PrimaryOnly,
    SecondaryOnly,
}

impl RoleWant {
    pub const ALL: [RoleWant; 5] = [
        RoleWant::Primary,
        RoleWant::Secondary,
        RoleWant::Both,
        RoleWant::PrimaryOnly,
        RoleWant::SecondaryOnly,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            RoleWant::Primary => "primary",
            RoleWant::Secondary => "secondary",
            RoleWant::Both => "both",
            RoleWant::PrimaryOnly => "primary-only",
            RoleWant::SecondaryOnly => "secondary-only",
        }
    }

    fn phrase(self) -> &'static str {
        match self {
            RoleWant::Primary => "a primary DPM server",
            RoleWant::Secondary => "a secondary DPM server",
            RoleWant::Both => "both a primary and a secondary DPM server",
            RoleWant::PrimaryOnly => "a primary DPM server and not a secondary",
            RoleWant::SecondaryOnly => "a secondary DPM server and not a primary",
        }
    }
}

/// What a goal asks.
#[derive(Clone, Debug, PartialEq)]
pub enum Check {
    NoErrors,
    NoWarnings,
    NoFinding(Rule),
    Protection {
        protector: String,
        target: String,
        exists: bool,
    },
    Role {
        server: String,
        role: RoleWant,
    },
    /// Every protected server's data has copies on at least this many
    /// servers.
    Copies(usize),
    NoSinglePoint,
    /// After these servers fail together, no data is lost for good.
    NothingLostAfter(Vec<String>),
    /// After these servers fail, `server` has a supported option of `kind`.
    OptionAfter {
        fail: Vec<String>,
        server: String,
        option: OptionKind,
    },
    /// `server` is protected the way one of the supported options for it
    /// leaves it, after these servers of the exercise's start fail, by a
    /// server that stayed up: a drawing cannot show a failed server
    /// rebuilt (it would be the start itself), so the rebuilding options
    /// do not meet it.
    RecoveredAfter {
        fail: Vec<String>,
        server: String,
    },
    /// The drawing is the table's topology (names, kinds, protections;
    /// not the layout). The table text as written, and what it reads as.
    MatchesTable(String, Topology),
}

impl Check {
    /// The check's id in the file.
    pub fn id(&self) -> &'static str {
        match self {
            Check::NoErrors => "no-errors",
            Check::NoWarnings => "no-warnings",
            Check::NoFinding(_) => "no-finding",
            Check::Protection { .. } => "protection",
            Check::Role { .. } => "role",
            Check::Copies(_) => "copies",
            Check::NoSinglePoint => "no-single-point",
            Check::NothingLostAfter(_) => "nothing-lost-after",
            Check::OptionAfter { .. } => "option-after",
            Check::RecoveredAfter { .. } => "recovered-after",
            Check::MatchesTable(..) => "matches-table",
        }
    }

    /// The sentence a participant sees when the goal has none of its own.
    pub fn sentence(&self) -> String {
        match self {
            Check::NoErrors => {
                "The drawing has no errors: DPM supports every protection in it.".into()
            }
            Check::NoWarnings => "The drawing has no warnings.".into(),
            Check::NoFinding(r) => format!("No “{}” finding.", r.title()),
            Check::Protection {
                protector,
                target,
                exists: true,
            } => format!("{protector} protects {target}."),
            Check::Protection {
                protector, target, ..
            } => format!("{protector} does not protect {target}."),
            Check::Role { server, role } => format!("{server} is {}.", role.phrase()),
            Check::Copies(1) => "Every protected server's data has a copy on a DPM server.".into(),
            Check::Copies(n) => {
                format!("Every protected server's data has copies on at least {n} DPM servers.")
            }
            Check::NoSinglePoint => {
                "No single server's failure loses data or leaves data without a copy.".into()
            }
            Check::NothingLostAfter(f) => format!("If {}, no data is lost.", fails(f)),
            Check::OptionAfter {
                fail,
                server,
                option,
            } => format!(
                "If {}, {server} has a supported option: {}.",
                fails(fail),
                option.title()
            ),
            Check::RecoveredAfter { fail, server } => format!(
                "After {} failed, {server} is protected again, by a server that stayed up, in a way DPM supports.",
                and_list(fail)
            ),
            Check::MatchesTable(..) => "The drawing matches the table of the task.".into(),
        }
    }
}

/// "DS1 fails", "DS1 and DS3 fail".
fn fails(names: &[String]) -> String {
    format!(
        "{} {}",
        and_list(names),
        if names.len() == 1 { "fails" } else { "fail" }
    )
}

/// One goal.
#[derive(Clone, Debug, PartialEq)]
pub struct Goal {
    pub id: String,
    /// The sentence the participant sees; `None` for the check's own.
    pub text: Option<String>,
    pub check: Check,
    pub hints: Vec<String>,
    /// The rule whose documentation sentence the hints cite.
    pub rule: Option<Rule>,
}

impl Goal {
    pub fn new(id: impl Into<String>, check: Check) -> Goal {
        Goal {
            id: id.into(),
            text: None,
            check,
            hints: Vec::new(),
            rule: None,
        }
    }

    pub fn sentence(&self) -> String {
        self.text.clone().unwrap_or_else(|| self.check.sentence())
    }
}

/// An exercise.
#[derive(Clone, Debug, PartialEq)]
pub struct Exercise {
    pub title: String,
    pub task: String,
    pub start: Topology,
    pub allow: Allow,
    pub goals: Vec<Goal>,
}

/// Whether a goal is met, and if not, what is still wrong.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GoalState {
    pub pass: bool,
    /// What is still wrong (empty when the goal passes).
    pub why: String,
    /// The rule concerned: the goal's own, or the rule of the finding that
    /// fails it; its source sentence is what a hint cites.
    pub rule: Option<Rule>,
}

/// Reads an exercise file, a link to one (`#x=...`), or a text holding one.
pub fn read_exercise(text: &str) -> Result<Exercise, InputError> {
    let body = text.trim_start_matches('\u{feff}').trim();
    if body.starts_with('{') {
        exercise_from_json(body)
    } else {
        exercise_from_link(body)
    }
}

/// Every check id, as the file and the authoring list name them.
pub const CHECKS: [&str; 11] = [
    "no-errors",
    "no-warnings",
    "no-finding",
    "protection",
    "role",
    "copies",
    "no-single-point",
    "nothing-lost-after",
    "option-after",
    "recovered-after",
    "matches-table",
];

/// Every recovery option kind.
pub const OPTION_KINDS: [OptionKind; 8] = [
    OptionKind::SwitchProtection,
    OptionKind::RebuildPrimary,
    OptionKind::MoveToNewServer,
    OptionKind::MoveToKnownServer,
    OptionKind::Reprotect,
    OptionKind::RestoreFromPrimary,
    OptionKind::RestoreFromSecondary,
    OptionKind::RestoreDatabase,
];
