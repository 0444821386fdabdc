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

use std::collections::HashSet;

use crate::check::check;
use crate::failover::{Action, Destination, OptionKind};
use crate::inventory::{sources_of, Copies};
use crate::json::{self, Node, Value};
use crate::model::{fold_case, same_name, Kind, ServerId, Topology};
use crate::risk::risk;
use crate::roles::roles;
use crate::rules::{and_list, Rule, Severity};
use crate::scenario::{to_json, InputError, Reader};
use crate::share;
use crate::table::from_table;

/// The format this build writes and reads.
pub const EXERCISE_FORMAT: &str = "dpm-exercise/1";

/// The version byte of an exercise link.
const LINK_VERSION: u8 = 1;
/// The version byte of an exercise link whose start uses the facts of real
/// estates (its scenario in the share links' version 2 form).
const LINK_VERSION_2: u8 = 2;

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
    /// leaves it, after these servers of the exercise's start fail.
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
                "After {} failed, {server} is protected again in a way DPM supports.",
                and_list(fail)
            ),
            Check::MatchesTable(..) => "The drawing matches the table of the task.".into(),
        }
    }
}

/// The plan for a goal's failure: each name is a server or, when no server
/// has it, a site whose servers fail together (with their guests, and the
/// DPM servers whose database they hold stopped). `Err` names what is
/// neither.
fn outage(t: &Topology, names: &[String]) -> Result<crate::failover::Plan, String> {
    let mut failed = Vec::new();
    let mut sites: Vec<&str> = Vec::new();
    for name in names {
        match t.find(name) {
            Some(id) => failed.push(id),
            None if !crate::estate::site_members(t, name).is_empty() => sites.push(name),
            None => return Err(name.clone()),
        }
    }
    Ok(crate::failover::plan_outage(t, &failed, &sites))
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

/// Every goal of `ex` against the participant's drawing `t`, in goal order.
pub fn evaluate(ex: &Exercise, t: &Topology) -> Vec<GoalState> {
    let mut findings = None;
    ex.goals
        .iter()
        .map(|g| {
            let mut state = judge(&g.check, &ex.start, t, &mut findings);
            if g.rule.is_some() {
                state.rule = g.rule;
            }
            if state.pass {
                state.why.clear();
            }
            state
        })
        .collect()
}

fn judge(
    c: &Check,
    start: &Topology,
    t: &Topology,
    findings: &mut Option<Vec<crate::check::Finding>>,
) -> GoalState {
    let fail = |why: String, rule: Option<Rule>| GoalState {
        pass: false,
        why,
        rule,
    };
    let pass = |rule: Option<Rule>| GoalState {
        pass: true,
        why: String::new(),
        rule,
    };
    let missing = |name: &str| fail(format!("There is no server named {name}."), None);
    match c {
        Check::NoErrors | Check::NoWarnings | Check::NoFinding(_) => {
            let all = findings.get_or_insert_with(|| check(t));
            let first = all.iter().find(|f| match c {
                Check::NoErrors => f.severity() == Severity::Error,
                Check::NoWarnings => f.severity() == Severity::Warning,
                Check::NoFinding(r) => f.rule == *r,
                _ => false,
            });
            let own = match c {
                Check::NoFinding(r) => Some(*r),
                _ => None,
            };
            match first {
                None => pass(own),
                Some(f) => {
                    let n = all
                        .iter()
                        .filter(|g| {
                            g.severity() == f.severity() && (own.is_none() || g.rule == f.rule)
                        })
                        .count();
                    let more = if n > 1 {
                        format!(" ({} more like it)", n - 1)
                    } else {
                        String::new()
                    };
                    fail(format!("{}{more}", f.message), Some(f.rule))
                }
            }
        }
        Check::Protection {
            protector,
            target,
            exists,
        } => {
            let (Some(a), Some(b)) = (t.find(protector), t.find(target)) else {
                if *exists {
                    return missing(if t.find(protector).is_none() {
                        protector
                    } else {
                        target
                    });
                }
                return pass(None);
            };
            let has = t
                .protections
                .iter()
                .any(|p| p.protector == a && p.target == b);
            match (has, *exists) {
                (true, true) | (false, false) => pass(None),
                (false, true) => fail(format!("{protector} does not protect {target} yet."), None),
                (true, false) => fail(format!("{protector} still protects {target}."), None),
            }
        }
        Check::Role { server, role } => {
            let Some(id) = t.find(server) else {
                return missing(server);
            };
            let r = roles(t, id);
            let ok = match role {
                RoleWant::Primary => r.primary,
                RoleWant::Secondary => r.secondary,
                RoleWant::Both => r.primary && r.secondary,
                RoleWant::PrimaryOnly => r.primary && !r.secondary,
                RoleWant::SecondaryOnly => r.secondary && !r.primary,
            };
            if ok {
                pass(None)
            } else if r.label().is_empty() {
                fail(
                    format!("{server} has no role yet: it protects no other server."),
                    None,
                )
            } else {
                fail(format!("{server} is {} now.", r.label()), None)
            }
        }
        Check::Copies(n) => {
            let copies = Copies::new(t);
            for id in t.sorted_ids() {
                if t.server(id).is_none_or(|s| s.kind != Kind::Protected) {
                    continue;
                }
                for source in sources_of(t, id) {
                    let k = copies.holders(source).len();
                    if k < *n {
                        let places = match k {
                            0 => "no copy".to_string(),
                            1 => "a copy on one DPM server".to_string(),
                            k => format!("copies on {k} DPM servers"),
                        };
                        return fail(format!("{} has {places}.", source.label(t)), None);
                    }
                }
            }
            pass(None)
        }
        Check::NoSinglePoint => {
            let r = risk(t);
            match r.single_points.first() {
                None => pass(None),
                Some(sp) => {
                    let what: Vec<String> = sp
                        .loses
                        .iter()
                        .chain(&sp.unprotects)
                        .map(|d| d.label(t))
                        .collect();
                    fail(
                        format!(
                            "If {} fails alone, it takes {} with it.",
                            t.name(sp.server),
                            and_list(&what)
                        ),
                        Some(Rule::SingleCopyDpm),
                    )
                }
            }
        }
        Check::NothingLostAfter(names) | Check::OptionAfter { fail: names, .. } => {
            let p = match outage(t, names) {
                Ok(p) => p,
                Err(name) => return missing(&name),
            };
            if let Check::OptionAfter { server, option, .. } = c {
                let Some(id) = t.find(server) else {
                    return missing(server);
                };
                let Some(a) = p.affected.iter().find(|a| a.server == id) else {
                    return fail(format!("{server} is not affected by that failure."), None);
                };
                return match a.options.iter().find(|o| o.kind == *option) {
                    Some(o) if o.supported => pass(None),
                    Some(o) => fail(o.reason.clone(), None),
                    None => fail(
                        format!("{} is not one of {server}'s options.", option.title()),
                        None,
                    ),
                };
            }
            if p.lost.is_empty() {
                pass(None)
            } else {
                let lost: Vec<String> = p.lost.iter().map(|d| d.label(t)).collect();
                fail(format!("{} would be lost.", and_list(&lost)), None)
            }
        }
        Check::RecoveredAfter {
            fail: names,
            server,
        } => {
            let plan = match outage(start, names) {
                Ok(p) => p,
                Err(name) => {
                    return fail(
                        format!("The exercise's start has no server or site named {name}."),
                        None,
                    )
                }
            };
            let (Some(x0), Some(x)) = (start.find(server), t.find(server)) else {
                return missing(server);
            };
            let by: Vec<ServerId> = t.protectors_of(x).filter(|&p| p != x).collect();
            let [p] = by.as_slice() else {
                return fail(
                    if by.is_empty() {
                        format!("Nothing protects {server} yet.")
                    } else {
                        format!("{server} has more than one protector.")
                    },
                    None,
                );
            };
            let switched = t
                .protections
                .iter()
                .any(|q| q.protector == *p && q.target == x && q.switched);
            let p_name = t.name(*p);
            let is = |id: ServerId| same_name(start.name(id), p_name);
            let Some(a) = plan.affected.iter().find(|a| a.server == x0) else {
                return fail(format!("{server} is not affected by that failure."), None);
            };
            let ok = a
                .options
                .iter()
                .filter(|o| o.supported)
                .any(|o| match &o.action {
                    Action::Switch { on, .. } => switched && is(*on),
                    Action::Rebuild { failed, .. } => !switched && is(*failed),
                    Action::Reprotect { by, .. } => !switched && is(*by),
                    Action::Move {
                        to: Destination::Existing(id),
                        ..
                    } => !switched && is(*id),
                    // A DPM server new to the drawing: the failed server's
                    // secondary did not know it when protection moved (it
                    // may protect it since, as any secondary would).
                    Action::Move {
                        to: Destination::New { .. },
                        ..
                    } => !switched && start.find(p_name).is_none(),
                    Action::Refused { .. } | Action::Restore { .. } => false,
                });
            if ok {
                pass(None)
            } else {
                let how = if switched {
                    " in switched protection"
                } else {
                    ""
                };
                fail(
                    format!("{p_name} protecting {server}{how} is not one of the ways DPM supports after that failure."),
                    None,
                )
            }
        }
        Check::MatchesTable(_, want) => match differs(want, t) {
            None => pass(None),
            Some(why) => fail(why, None),
        },
    }
}

/// The first way `t` differs from `want` (names compared ignoring case),
/// or `None` when they hold the same servers, kinds and protections.
fn differs(want: &Topology, t: &Topology) -> Option<String> {
    for s in &want.servers {
        match t.find(&s.name).and_then(|id| t.server(id)) {
            None => return Some(format!("The table has {}; the drawing does not.", s.name)),
            Some(o) if o.kind != s.kind => {
                return Some(format!(
                    "In the table {} is {}.",
                    s.name,
                    if s.kind == Kind::Dpm {
                        "a DPM server"
                    } else {
                        "a protected server"
                    }
                ))
            }
            Some(_) => {}
        }
    }
    if let Some(s) = t.servers.iter().find(|s| want.find(&s.name).is_none()) {
        return Some(format!("The drawing has {}; the table does not.", s.name));
    }
    let pairs = |x: &Topology| -> HashSet<(String, String)> {
        x.protections
            .iter()
            .map(|p| (fold_case(x.name(p.protector)), fold_case(x.name(p.target))))
            .collect()
    };
    let (w, h) = (pairs(want), pairs(t));
    for p in &want.protections {
        let key = (
            fold_case(want.name(p.protector)),
            fold_case(want.name(p.target)),
        );
        if !h.contains(&key) {
            return Some(format!(
                "In the table {} protects {}.",
                want.name(p.protector),
                want.name(p.target)
            ));
        }
    }
    for p in &t.protections {
        let key = (fold_case(t.name(p.protector)), fold_case(t.name(p.target)));
        if !w.contains(&key) {
            return Some(format!(
                "In the table {} does not protect {}.",
                t.name(p.protector),
                t.name(p.target)
            ));
        }
    }
    None
}

/// Why the change from `before` to `after` is outside what `ex` allows, or
/// `None` when it is allowed. `given` are the ids (in both drawings) of the
/// servers the exercise started with.
pub fn refusal(
    ex: &Exercise,
    given: &[ServerId],
    before: &Topology,
    after: &Topology,
) -> Option<String> {
    let a = &ex.allow;
    for &id in given {
        let (Some(old), new) = (before.server(id), after.server(id)) else {
            continue;
        };
        let Some(new) = new else {
            if !a.delete_given {
                return Some(format!(
                    "This exercise keeps the servers it starts with: {} cannot be deleted.",
                    old.name
                ));
            }
            continue;
        };
        if !a.rename_given && old.name != new.name {
            return Some(format!(
                "This exercise keeps the names of the servers it starts with: {} stays {}.",
                old.name, old.name
            ));
        }
        let facts = |s: &crate::model::Server| {
            (
                s.kind,
                s.version,
                s.rollup.clone(),
                s.mabs,
                s.vss_writer,
                s.workloads.clone(),
            )
        };
        if !a.edit_facts && facts(old) != facts(new) {
            return Some(format!(
                "This exercise does not let you change the facts of the servers it starts with ({}).",
                old.name
            ));
        }
    }
    for s in &after.servers {
        if before.server(s.id).is_none() && !a.may_add(s.kind) {
            return Some(match (a.add_dpm, a.add_protected) {
                (false, false) => {
                    "This exercise uses the servers it starts with: you cannot add servers.".into()
                }
                (true, false) => "This exercise lets you add DPM servers only.".into(),
                _ => "This exercise lets you add protected servers only.".into(),
            });
        }
    }
    let links = |t: &Topology| -> HashSet<(ServerId, ServerId, bool)> {
        t.protections
            .iter()
            .map(|p| (p.protector, p.target, p.switched))
            .collect()
    };
    let (b, f) = (links(before), links(after));
    let plain = |s: &HashSet<(ServerId, ServerId, bool)>, p: &(ServerId, ServerId, bool)| {
        s.contains(&(p.0, p.1, true)) || s.contains(&(p.0, p.1, false))
    };
    for p in f.difference(&b) {
        if !plain(&b, p) {
            if !a.add_protections {
                return Some("This exercise does not let you add protections.".into());
            }
        } else if !a.edit_facts {
            return Some("This exercise does not let you switch protection on or off.".into());
        }
    }
    for p in b.difference(&f) {
        // A removal that is not a change of `switched`, of a protection
        // between servers that are both still there.
        if !plain(&f, p)
            && after.server(p.0).is_some()
            && after.server(p.1).is_some()
            && !a.remove_protections
        {
            return Some(format!(
                "This exercise does not let you remove protections ({} → {}).",
                before.name(p.0),
                before.name(p.1)
            ));
        }
    }
    None
}

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

/// Reads an exercise file, a link to one (`#x=...`), or a text holding one.
pub fn read_exercise(text: &str) -> Result<Exercise, InputError> {
    let body = text.trim_start_matches('\u{feff}').trim();
    if body.starts_with('{') {
        exercise_from_json(body)
    } else {
        exercise_from_link(body)
    }
}

fn read_json(text: &str, start: Option<Topology>) -> Result<Exercise, InputError> {
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
    ("rebuild-primary", "Rebuild the primary"),
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

// ---------------------------------------------------------------- writing

/// Writes an exercise file (pretty-printed, with a final newline).
pub fn exercise_to_json(ex: &Exercise) -> String {
    write(ex, true)
}

fn write(ex: &Exercise, with_start: bool) -> String {
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

// ---------------------------------------------------------------- links

/// The payload of an exercise link (what follows `#x=`): the version byte,
/// the starting scenario in the share links' binary form, the rest of the
/// exercise as compact JSON, and a CRC-32, in base64url.
pub fn exercise_to_link(ex: &Exercise) -> String {
    let v2 = share::needs_version_2(&ex.start);
    let mut b = vec![if v2 { LINK_VERSION_2 } else { LINK_VERSION }];
    let start = share::encode(&ex.start, v2);
    share::varint(&mut b, start.len() as u64);
    b.extend(start);
    // The JSON without its indentation: the reader takes either.
    let text: String = write(ex, false)
        .lines()
        .map(str::trim_start)
        .collect::<Vec<_>>()
        .join("");
    b.extend(text.as_bytes());
    share::seal(b)
}

/// Reads an exercise link's payload, or a whole link or text holding one.
pub fn exercise_from_link(link: &str) -> Result<Exercise, InputError> {
    let link = link.trim();
    let fragment = link.rsplit_once('#').map_or(link, |(_, f)| f);
    let payload = fragment
        .split('&')
        .find_map(|part| part.strip_prefix("x="))
        .unwrap_or(fragment);
    let damaged = |why: &str| {
        InputError::new(format!(
            "this exercise link is damaged ({why}): was it copied whole? Ask the trainer for the link again, or for the exercise file"
        ))
    };
    let b = share::from_base64url(payload)
        .map_err(|e| InputError::new(e.message.replacen("share link", "exercise link", 1)))?;
    if b.len() < 6 {
        return Err(damaged("it is too short to hold an exercise"));
    }
    let (body, sum) = b.split_at(b.len() - 4);
    // The checksum first: it covers the version byte, so a link from a
    // newer build passes it and is told apart from a damaged one.
    if share::crc32(body).to_le_bytes() != sum {
        return Err(damaged("its checksum does not match"));
    }
    if body[0] != LINK_VERSION && body[0] != LINK_VERSION_2 {
        return Err(InputError::new(format!(
            "this exercise link was made by a newer or unknown version of DPM Sketch (link version {}); this build reads versions {LINK_VERSION} and {LINK_VERSION_2}",
            body[0]
        )));
    }
    let mut i = 1;
    let mut n: u64 = 0;
    for shift in (0..63).step_by(7) {
        let c = *body.get(i).ok_or_else(|| damaged("it ends early"))?;
        i += 1;
        n |= u64::from(c & 0x7f) << shift;
        if c & 0x80 == 0 {
            break;
        }
    }
    let end = i
        .checked_add(n as usize)
        .filter(|&e| e <= body.len())
        .ok_or_else(|| damaged("it ends early"))?;
    let start = share::decode(&body[i..end], body[0] == LINK_VERSION_2)
        .map_err(|m| InputError::new(format!("this exercise link {m}")))?;
    let text = std::str::from_utf8(&body[end..]).map_err(|_| damaged("its text is not UTF-8"))?;
    read_json(text, Some(start)).map_err(|e| {
        InputError::new(format!(
            "this exercise link does not hold a valid exercise: {e}"
        ))
    })
}

/// True when `text` looks like an exercise link or its fragment.
pub fn looks_like_exercise_link(text: &str) -> bool {
    let t = text.trim();
    t.contains("#x=") || t.starts_with("x=")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::presets;

    fn ex(goals: &str) -> Exercise {
        exercise_from_json(&format!(
            r#"{{"format":"dpm-exercise/1","title":"T","goals":[{goals}]}}"#
        ))
        .unwrap()
    }

    #[test]
    fn link_and_file_round_trip() {
        let mut e = ex(
            r#"{"check":"no-errors","hints":["Look at DS3."],"rule":"chain-shortcut"},
            {"id":"p","check":"protection","protector":"DS1","target":"PS1","text":"DS1 backs up PS1"},
            {"check":"option-after","fail":["DS1"],"server":"PS1","option":"switch-protection"}"#,
        );
        e.start = presets::scenario_1();
        e.task = "Do it.\nThen more.".into();
        e.allow.delete_given = false;
        let file = exercise_to_json(&e);
        assert_eq!(exercise_from_json(&file).unwrap(), e, "{file}");
        let link = exercise_to_link(&e);
        assert_eq!(exercise_from_link(&link).unwrap(), e);
        assert_eq!(read_exercise(&format!("http://x/#x={link}")).unwrap(), e);
        assert!(
            link.len() < file.len() / 2,
            "{} vs {}",
            link.len(),
            file.len()
        );
    }

    #[test]
    fn goals_fail_sites_and_hosts_and_links_carry_real_estates() {
        let mut e = ex(r#"{"check":"nothing-lost-after","fail":["London"]},
            {"check":"nothing-lost-after","fail":["HV1"]},
            {"check":"no-finding","rule":"same-site-secondary"},
            {"check":"nothing-lost-after","fail":["Paris"]}"#);
        let mut t = crate::from_json(
            r#"{"format":"dpm-sketch/2","servers":[
            {"name":"HV1","kind":"protected","workloads":["hyperv"],"site":"London"},
            {"name":"DPM1","kind":"dpm","host":"HV1","site":"London","version":"10.19.379.0"},
            {"name":"DPM2","kind":"dpm","site":"London"},
            {"name":"FS1","kind":"protected","site":"London"}],
            "protections":[{"protector":"DPM1","target":"FS1"},{"protector":"DPM2","target":"DPM1"},
            {"protector":"DPM2","target":"HV1"}]}"#,
        )
        .unwrap();
        e.start = t.clone();
        let link = exercise_to_link(&e);
        assert_eq!(exercise_from_link(&link).unwrap(), e, "version 2 start");
        let states: Vec<bool> = evaluate(&e, &t).iter().map(|s| s.pass).collect();
        // London takes FS1 with both its copies: lost. HV1 takes DPM1 down
        // with it, but DPM2 holds HV1 and DPM1's database. Paris is neither
        // a server nor a site.
        assert_eq!(states, [false, true, false, false]);
        let states = evaluate(&e, &t);
        assert!(
            states[0].why.contains("FS1 and HV1 would be lost"),
            "{:?}",
            states[0]
        );
        assert!(
            states[3].why.contains("no server named Paris"),
            "{:?}",
            states[3]
        );
        // The secondary moved offsite: London's failure loses nothing.
        let dpm2 = t.find("DPM2").unwrap();
        t.server_mut(dpm2).unwrap().site = Some("DR site".into());
        let states: Vec<bool> = evaluate(&e, &t).iter().map(|s| s.pass).collect();
        assert_eq!(states, [true, true, true, false]);
    }

    #[test]
    fn a_damaged_link_says_so() {
        let e = ex(r#"{"check":"no-errors"}"#);
        let mut link = exercise_to_link(&e).into_bytes();
        let k = link.len() / 2;
        link[k] = if link[k] == b'A' { b'B' } else { b'A' };
        let err = exercise_from_link(std::str::from_utf8(&link).unwrap()).unwrap_err();
        assert!(err.message.contains("damaged"), "{err}");
        let cut = exercise_to_link(&e);
        assert!(exercise_from_link(&cut[..cut.len() - 3]).is_err());
    }

    #[test]
    fn the_authoring_form_offers_only_what_files_accept() {
        // Every rule a goal or hint may name is a rule the reader knows, and
        // every option a form offers is one the planner has.
        for (id, _) in rule_choices() {
            assert!(crate::Rule::from_id(id).is_some(), "{id}");
        }
        // ... and every rule can be named by one.
        for rule in crate::Rule::ALL {
            assert!(
                rule_choices().iter().any(|(id, _)| *id == rule.id()),
                "{} is missing from the authoring form",
                rule.id()
            );
        }
        let mut offered = 0;
        // Each check, with the form's first choice for every parameter,
        // makes a goal the file reader accepts; its sentence is the check's.
        for check in CHECKS {
            let values: Vec<(&str, String)> = params(check)
                .iter()
                .map(|(key, _, p)| {
                    let v = match p {
                        Param::Server(_) => "DPM1".to_string(),
                        Param::Names => "DPM1, DPM2".to_string(),
                        Param::Number => "2".to_string(),
                        Param::Flag => "false".to_string(),
                        Param::Choice(c) => {
                            if *key == "option" {
                                for (id, _) in c.iter() {
                                    assert!(OPTION_KINDS.iter().any(|k| k.id() == *id), "{id}");
                                    offered += 1;
                                }
                            }
                            c[0].0.to_string()
                        }
                        Param::Lines => {
                            "|Server|Protecting|Protected by|\n|---|---|---|\n|DPM1|Server1| |\n|Server1| |DPM1|\n".to_string()
                        }
                    };
                    (*key, v)
                })
                .collect();
            let g = goal_from_form(
                "g",
                check,
                &values,
                "",
                "First.\n\n Second. ",
                "chain-shortcut",
            )
            .unwrap_or_else(|e| panic!("{check}: {e}"));
            assert_eq!(g.check.id(), check);
            assert_eq!(g.hints, ["First.", "Second."], "{check}");
        }
        assert_eq!(offered, OPTION_KINDS.len());
        // A form refuses what a file would, and says what.
        let e = goal_from_form("g", "copies", &[("at_least", "0".into())], "", "", "").unwrap_err();
        assert!(e.contains("whole number"), "{e}");
        let e = goal_from_form(
            "g",
            "role",
            &[("server", "DPM1".into()), ("role", "boss".into())],
            "",
            "",
            "",
        )
        .unwrap_err();
        assert!(e.contains("boss"), "{e}");
    }

    #[test]
    fn refusals_name_what_the_exercise_keeps() {
        let t = presets::scenario_1();
        let mut e = ex(r#"{"check":"no-errors"}"#);
        e.allow = Allow {
            add_protections: true,
            ..Allow {
                add_dpm: false,
                add_protected: false,
                delete_given: false,
                rename_given: false,
                edit_facts: false,
                add_protections: false,
                remove_protections: false,
            }
        };
        let given: Vec<ServerId> = t.servers.iter().map(|s| s.id).collect();
        let mut after = t.clone();
        let ds1 = after.find("DS1").unwrap();
        after.remove_server(ds1);
        assert!(refusal(&e, &given, &t, &after)
            .unwrap()
            .contains("DS1 cannot be deleted"));
        let mut after = t.clone();
        after.add_server("DS9", Kind::Dpm);
        assert!(refusal(&e, &given, &t, &after)
            .unwrap()
            .contains("cannot add servers"));
        let mut after = t.clone();
        let l = after.protections[0].link();
        after.disconnect(l);
        assert!(refusal(&e, &given, &t, &after)
            .unwrap()
            .contains("remove protections"));
        let mut after = t.clone();
        let (a, b) = (after.find("DS1").unwrap(), after.find("DS4").unwrap());
        after.connect(crate::model::Protection::new(a, b));
        assert_eq!(refusal(&e, &given, &t, &after), None);
    }
}
