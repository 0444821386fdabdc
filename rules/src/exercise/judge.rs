//! Judging goals: each check is a question put to the rule crate about the
//! participant's drawing, answered pass, or fail with what is still wrong.

use std::collections::HashSet;

use super::{Check, Exercise, GoalState, RoleWant};
use crate::check::check;
use crate::failover::{Action, Destination, OptionKind};
use crate::inventory::{sources_of, Copies};
use crate::model::{fold_case, same_name, Kind, ServerId, Topology};
use crate::risk::risk;
use crate::roles::roles;
use crate::rules::{and_list, Rule, Severity};

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

/// Whether the goal `c` holds for the participant's drawing `t`. `start`
/// is the exercise's own drawing, which `recovered-after` fails; the
/// drawing's findings are computed once, by the first goal that asks.
fn judge(
    c: &Check,
    start: &Topology,
    t: &Topology,
    findings: &mut Option<Vec<crate::check::Finding>>,
) -> GoalState {
    match c {
        Check::NoErrors | Check::NoWarnings | Check::NoFinding(_) => {
            findings_goal(c, findings.get_or_insert_with(|| check(t)))
        }
        Check::Protection {
            protector,
            target,
            exists,
        } => protection_goal(t, protector, target, *exists),
        Check::Role { server, role } => role_goal(t, server, *role),
        Check::Copies(n) => copies_goal(t, *n),
        Check::NoSinglePoint => single_point_goal(t),
        Check::NothingLostAfter(names) => nothing_lost_goal(t, names),
        Check::OptionAfter {
            fail: names,
            server,
            option,
        } => option_after_goal(t, names, server, *option),
        Check::RecoveredAfter {
            fail: names,
            server,
        } => recovered_goal(start, t, names, server),
        Check::MatchesTable(_, want) => match differs(want, t) {
            None => pass(None),
            Some(why) => fail(why, None),
        },
    }
}

fn pass(rule: Option<Rule>) -> GoalState {
    GoalState {
        pass: true,
        why: String::new(),
        rule,
    }
}

fn fail(why: String, rule: Option<Rule>) -> GoalState {
    GoalState {
        pass: false,
        why,
        rule,
    }
}

fn missing(name: &str) -> GoalState {
    fail(format!("There is no server named {name}."), None)
}

/// `no-errors`, `no-warnings`, `no-finding`: the first finding of the kind
/// asked fails the goal, counting the others like it.
fn findings_goal(c: &Check, all: &[crate::check::Finding]) -> GoalState {
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
                .filter(|g| g.severity() == f.severity() && (own.is_none() || g.rule == f.rule))
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

/// `protection`: `protector` protects `target` (or, unless `exists`, does
/// not; a server that is not there protects nothing).
fn protection_goal(t: &Topology, protector: &str, target: &str, exists: bool) -> GoalState {
    let (Some(a), Some(b)) = (t.find(protector), t.find(target)) else {
        if exists {
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
    match (has, exists) {
        (true, true) | (false, false) => pass(None),
        (false, true) => fail(format!("{protector} does not protect {target} yet."), None),
        (true, false) => fail(format!("{protector} still protects {target}."), None),
    }
}

/// `role`: the DPM server's roles, as the table and the canvas name them.
fn role_goal(t: &Topology, server: &str, role: RoleWant) -> GoalState {
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

/// `copies`: every data source of every protected server is held by at
/// least `n` DPM servers, as the copy inventory counts them.
fn copies_goal(t: &Topology, n: usize) -> GoalState {
    let copies = Copies::new(t);
    for id in t.sorted_ids() {
        if t.server(id).is_none_or(|s| s.kind != Kind::Protected) {
            continue;
        }
        for source in sources_of(t, id) {
            let k = copies.holders(source).len();
            if k < n {
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

/// `no-single-point`: no server's failure alone loses data or leaves data
/// with no copy, as the risk report finds.
fn single_point_goal(t: &Topology) -> GoalState {
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

/// `nothing-lost-after`: after the named servers or sites fail, the
/// failover planner finds no data lost for good.
fn nothing_lost_goal(t: &Topology, names: &[String]) -> GoalState {
    let p = match outage(t, names) {
        Ok(p) => p,
        Err(name) => return missing(&name),
    };
    if p.lost.is_empty() {
        pass(None)
    } else {
        let lost: Vec<String> = p.lost.iter().map(|d| d.label(t)).collect();
        fail(format!("{} would be lost.", and_list(&lost)), None)
    }
}

/// `option-after`: after the named servers or sites fail, the planner
/// offers `server` a supported option of this kind.
fn option_after_goal(
    t: &Topology,
    names: &[String],
    server: &str,
    option: OptionKind,
) -> GoalState {
    let p = match outage(t, names) {
        Ok(p) => p,
        Err(name) => return missing(&name),
    };
    let Some(id) = t.find(server) else {
        return missing(server);
    };
    let Some(a) = p.affected.iter().find(|a| a.server == id) else {
        return fail(format!("{server} is not affected by that failure."), None);
    };
    match a.options.iter().find(|o| o.kind == option) {
        Some(o) if o.supported => pass(None),
        Some(o) => fail(o.reason.clone(), None),
        None => fail(
            format!("{} is not one of {server}'s options.", option.title()),
            None,
        ),
    }
}

/// `recovered-after`: the named servers or sites of the exercise's start
/// fail, and the drawing protects `server`, by a server that stayed up,
/// the way one of the planner's supported options for it leaves it (a
/// rebuilt server cannot be told from the start in a drawing).
fn recovered_goal(start: &Topology, t: &Topology, names: &[String], server: &str) -> GoalState {
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
    // A drawing cannot show a failed server rebuilt: protected by a server
    // that failed, the server is as it was before the failure, and the
    // goal would hold on the exercise's start (exercise 7 opened with it
    // met). Rebuilding is never the answer such a goal asks for.
    if down_by_name(&plan, start, p_name) {
        return fail(
            format!("{p_name} is down after that failure: protect {server} through a DPM server that is up."),
            None,
        );
    }
    let Some(actions) = supported_actions(&plan, start, x0) else {
        return fail(format!("{server} is not affected by that failure."), None);
    };
    if actions
        .iter()
        .any(|(_, action)| leaves_protected_by(action, start, p_name, switched))
    {
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

/// Whether a server named `name` in `start` is down in `plan` (names
/// compared as DPM compares them: a drawing may spell a name otherwise).
fn down_by_name(plan: &crate::failover::Plan, start: &Topology, name: &str) -> bool {
    plan.failed.iter().any(|&f| same_name(start.name(f), name))
}

/// The actions of the supported options `plan` offers server `x0` of
/// `start` (a grouped option's through each of the servers that could
/// take it), with their kinds; `None` when the failure leaves `x0` alone.
fn supported_actions(
    plan: &crate::failover::Plan,
    start: &Topology,
    x0: ServerId,
) -> Option<Vec<(OptionKind, Action)>> {
    let a = plan.affected.iter().find(|a| a.server == x0)?;
    let mut out = Vec::new();
    for o in a.options.iter().filter(|o| o.supported) {
        match &o.among {
            Some(among) => out.extend(
                among
                    .iter()
                    .filter_map(|&m| o.through(start, m))
                    .map(|x| (o.kind, x.action)),
            ),
            None => out.push((o.kind, o.action.clone())),
        }
    }
    Some(out)
}

/// Whether a drawing can show `action` carried out: it leaves the server
/// protected by a server that stayed up (the one it names, not down in
/// `plan` by name, or a DPM server new to the drawing), which is what
/// [`leaves_protected_by`] can accept. A rebuild or a restore leaves the
/// drawing as it was before the failure: the start.
fn drawable(action: &Action, plan: &crate::failover::Plan, start: &Topology) -> bool {
    let up = |id: ServerId| !down_by_name(plan, start, start.name(id));
    match action {
        Action::Switch { on, .. } => up(*on),
        Action::Reprotect { by, .. } => up(*by),
        Action::Move {
            to: Destination::Existing(id),
            ..
        } => up(*id),
        Action::Move {
            to: Destination::New { .. },
            ..
        } => true,
        Action::Rebuild { .. } | Action::Refused { .. } | Action::Restore { .. } => false,
    }
}

/// The goals of `ex` that no drawing can meet, by id, with why, in goal
/// order: a `recovered-after` goal whose failure names nothing in the
/// start or leaves its server untouched, or after which DPM supports no
/// way for the server that a drawing can show (only rebuilds and restores,
/// which leave the drawing as the start: `recovered_goal` meets the goal
/// only with a protector that stayed up). For an exercise's author,
/// before a participant finds it out.
pub fn out_of_reach(ex: &Exercise) -> Vec<(String, String)> {
    let start = &ex.start;
    ex.goals
        .iter()
        .filter_map(|g| {
            let Check::RecoveredAfter { fail, server } = &g.check else {
                return None;
            };
            let plan = match outage(start, fail) {
                Ok(plan) => plan,
                Err(name) => {
                    let why = format!("The start has no server or site named {name}.");
                    return Some((g.id.clone(), why));
                }
            };
            let Some(x0) = start.find(server) else {
                let why = format!("The start has no server named {server}.");
                return Some((g.id.clone(), why));
            };
            let Some(actions) = supported_actions(&plan, start, x0) else {
                let why = format!("{server} is not affected by that failure.");
                return Some((g.id.clone(), why));
            };
            if actions.iter().any(|(_, a)| drawable(a, &plan, start)) {
                return None;
            }
            // A way through a server named as one that fails: down.
            let through_down = actions.iter().find_map(|(_, a)| match a {
                Action::Switch { on: p, .. }
                | Action::Reprotect { by: p, .. }
                | Action::Move {
                    to: Destination::Existing(p),
                    ..
                } => Some(start.name(*p)),
                _ => None,
            });
            let mut kinds: Vec<String> = Vec::new();
            for (k, _) in &actions {
                let k = format!("“{}”", k.title());
                if !kinds.contains(&k) {
                    kinds.push(k);
                }
            }
            let why = match through_down {
                Some(p) => format!("After that failure DPM's ways for {server} go through {p}, named as a server that fails: no drawing meets this goal."),
                None if kinds.is_empty() => format!("After that failure {server} has no way back of its own (it waits on the servers it depends on), and this goal asks for a protection by a server that stayed up: no drawing meets it."),
                None => format!(
                    "After that failure DPM's ways for {server} ({}) are rebuilds and restores, which this goal does not count (it asks for a protection by a server that stayed up): no drawing meets it.",
                    and_list(&kinds)
                ),
            };
            Some((g.id.clone(), why))
        })
        .collect()
}

/// Whether carrying out `action` (an option planned on `start`) leaves the
/// server protected by the server named `p_name`, switched or not.
fn leaves_protected_by(action: &Action, start: &Topology, p_name: &str, switched: bool) -> bool {
    let is = |id: ServerId| same_name(start.name(id), p_name);
    match action {
        Action::Switch { on, .. } => switched && is(*on),
        // A rebuilt server protecting it again: the drawing as it was,
        // refused before this is asked (`recovered_goal`).
        Action::Rebuild { .. } => false,
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
