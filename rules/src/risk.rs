//! Single points of failure: the servers whose failure alone loses data or
//! leaves data with no copy, the data held in fewer than two places, and
//! the protections that would remove each single point.
//!
//! One pass over the copy inventory (linear in the topology's size): a
//! data source's holders say at once whether its own server's failure loses
//! it (no holder) and which one server's failure leaves it without a copy
//! (exactly one holder).

use std::collections::{HashMap, HashSet};

use crate::check::Checker;
use crate::inventory::{sources_of, Copies, DataSource, Part};
use crate::model::{Kind, Protection, ServerId, Topology};
use crate::rules::Severity;

/// A server whose failure alone costs data.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SinglePoint {
    pub server: ServerId,
    /// Its own data that no copy would survive.
    pub loses: Vec<DataSource>,
    /// Other servers' data of which it holds the only copy.
    pub unprotects: Vec<DataSource>,
}

/// What a topology risks.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Risk {
    /// In natural name order.
    pub single_points: Vec<SinglePoint>,
    /// Data sources held (as copies) in fewer than two places, in the
    /// inventory's order.
    pub under_two_copies: Vec<DataSource>,
}

/// Protections to add that remove single points of failure.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fix {
    pub add: Vec<Protection>,
    /// The single points it removes.
    pub removes: Vec<ServerId>,
}

/// The single points of failure of `t`.
///
/// ```
/// let t = dpm_rules::presets::scenario_1();
/// let r = dpm_rules::risk(&t);
/// let names: Vec<&str> = r.single_points.iter().map(|p| t.name(p.server)).collect();
/// // DS4 tops the chain: nothing holds its database, and it holds the only
/// // copy of DS3's.
/// assert_eq!(names, ["DS4"]);
/// ```
pub fn risk(t: &Topology) -> Risk {
    let copies = Copies::new(t);
    let mut loses: HashMap<ServerId, Vec<DataSource>> = HashMap::new();
    let mut unprotects: HashMap<ServerId, Vec<DataSource>> = HashMap::new();
    let mut under_two_copies = Vec::new();
    for id in t.sorted_ids() {
        for source in sources_of(t, id) {
            let holders = copies.holders(source);
            // A protected server that nothing protects is the `unprotected`
            // finding already; it is still one failure from losing its data.
            match holders.as_slice() {
                [] => loses.entry(id).or_default().push(source),
                [only] => unprotects.entry(*only).or_default().push(source),
                _ => {}
            }
            if holders.len() < 2 {
                under_two_copies.push(source);
            }
        }
    }
    let mut servers: Vec<ServerId> = loses.keys().chain(unprotects.keys()).copied().collect();
    t.sort_by_name(&mut servers);
    servers.dedup();
    let single_points = servers
        .into_iter()
        .map(|server| SinglePoint {
            server,
            loses: loses.remove(&server).unwrap_or_default(),
            unprotects: unprotects.remove(&server).unwrap_or_default(),
        })
        .collect();
    Risk {
        single_points,
        under_two_copies,
    }
}

/// How many fixes to look for per single point: the first few that work
/// are what a person can choose from; more would only be longer lists.
const FIXES_PER_POINT: usize = 3;

/// For each single point of `r`, up to three protections to add, each of
/// which removes it without an error finding (the pre-check decides),
/// fewest protections first. A single point with no fix is left
/// out; [`why_no_fix`] says why.
pub fn fixes(t: &Topology, r: &Risk) -> Vec<Fix> {
    let checker = Checker::new(t);
    let dpm: Vec<ServerId> = t
        .sorted_ids()
        .into_iter()
        .filter(|&id| is_dpm(t, id))
        .collect();
    let mut out: Vec<Fix> = Vec::new();
    for point in &r.single_points {
        let mut found = 0;
        for target in fix_targets(t, point) {
            for &by in &dpm {
                if found == FIXES_PER_POINT {
                    break;
                }
                let p = Protection::new(by, target);
                if by == target || t.protection(p.link()).is_some() || !clean(&checker, p) {
                    continue;
                }
                let mut after = t.clone();
                after.protections.push(p);
                if risk_of(&after, point.server).is_some() {
                    continue;
                }
                found += 1;
                match out.iter_mut().find(|f| f.add == [p]) {
                    Some(f) => f.removes.push(point.server),
                    None => out.push(Fix {
                        add: vec![p],
                        removes: vec![point.server],
                    }),
                }
            }
        }
    }
    out
}

/// Why a single point has no fix among single protections.
pub fn why_no_fix(t: &Topology, point: &SinglePoint) -> String {
    let name = t.name(point.server);
    let switched: Vec<&str> = point
        .loses
        .iter()
        .chain(&point.unprotects)
        .filter(|d| {
            t.protections
                .iter()
                .any(|p| p.target == d.server && p.switched)
        })
        .map(|d| t.name(d.server))
        .collect();
    if !switched.is_empty() {
        return format!(
            "{} {} in switched protection on {name}: DPM allows no secondary copy of it. Protect it normally again (a primary with a secondary) to have two copies.",
            crate::rules::and_list(&switched),
            if switched.len() == 1 { "is" } else { "are" }
        );
    }
    if fix_targets(t, point).is_empty() {
        return format!(
            "Nothing can hold another copy of what {name} would take with it: the data's own protector is not a DPM server."
        );
    }
    format!(
        "No DPM server here can add another copy of what {name} would take with it without breaking a rule (a second protector, a chain shortcut, a version or Azure Backup Server mismatch, or only cyclic protection of two, which leaves each server the other's only copy): add a DPM server to hold it."
    )
}

fn is_dpm(t: &Topology, id: ServerId) -> bool {
    t.server(id).is_some_and(|s| s.kind == Kind::Dpm)
}

/// No error finding: DPM supports it. (A warning is allowed: the top of
/// every chain keeps its database in one place unless DPM servers protect
/// each other in a cycle of three or more, which is supported but not
/// documented, the `long-cycle` warning.)
fn clean(checker: &Checker, p: Protection) -> bool {
    checker
        .precheck(p)
        .iter()
        .all(|f| f.severity() != Severity::Error)
}

/// The servers a new protector would have to protect for the data at stake
/// to gain a copy: the data's own server when nothing protects it, else its
/// protector (whose protector then holds the data too, as a secondary does).
fn fix_targets(t: &Topology, point: &SinglePoint) -> Vec<ServerId> {
    let mut out: Vec<ServerId> = Vec::new();
    let dpm_protectors = |id: ServerId| -> Vec<ServerId> {
        t.protectors_of(id)
            .filter(|&p| p != id && is_dpm(t, p))
            .collect()
    };
    for source in point.loses.iter().chain(&point.unprotects) {
        let owner = source.server;
        let protectors = dpm_protectors(owner);
        let switched = t
            .protections
            .iter()
            .any(|p| p.target == owner && p.switched);
        if protectors.is_empty() {
            out.push(owner);
        } else if !switched && !matches!(source.part, Part::PrimaryOnly(_)) {
            out.extend(protectors);
        }
    }
    let mut seen = HashSet::new();
    out.retain(|id| seen.insert(*id));
    out
}

/// `id`'s single-point entry in `t`, if it is one.
fn risk_of(t: &Topology, id: ServerId) -> Option<SinglePoint> {
    risk(t).single_points.into_iter().find(|p| p.server == id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::presets;

    fn names(t: &Topology, v: &[DataSource]) -> Vec<String> {
        v.iter().map(|d| d.label(t)).collect()
    }

    #[test]
    fn the_top_of_a_chain_is_a_single_point() {
        let t = presets::scenario_1();
        let r = risk(&t);
        assert_eq!(r.single_points.len(), 1);
        let p = &r.single_points[0];
        assert_eq!(t.name(p.server), "DS4");
        assert_eq!(names(&t, &p.loses), ["DS4 database"]);
        assert_eq!(names(&t, &p.unprotects), ["DS3 database"]);
        assert_eq!(
            names(&t, &r.under_two_copies),
            ["DS3 database", "DS4 database"]
        );
    }

    #[test]
    fn cyclic_protection_of_two_cannot_fix_the_top_of_a_chain() {
        let mut t = Topology::new();
        let d = t.add_server("DS1", Kind::Dpm);
        let e = t.add_server("DS2", Kind::Dpm);
        let ps = t.add_server("PS1", Kind::Protected);
        t.connect(Protection::new(d, ps));
        t.connect(Protection::new(e, d));
        let r = risk(&t);
        let by: Vec<&str> = r.single_points.iter().map(|p| t.name(p.server)).collect();
        assert_eq!(
            by,
            ["DS2"],
            "PS1 has two copies (DS1, DS2); DS2's database none"
        );
        // DS1 protecting DS2 leaves DS2 the only holder of DS1's database.
        assert_eq!(fixes(&t, &r), []);
        assert!(why_no_fix(&t, &r.single_points[0]).contains("add a DPM server"));
    }

    #[test]
    fn closing_scenario_1_into_a_cycle_of_three_removes_its_single_point() {
        let t = presets::scenario_1();
        let f = fixes(&t, &risk(&t));
        let adds: Vec<String> = f
            .iter()
            .map(|f| {
                format!(
                    "{}->{}",
                    t.name(f.add[0].protector),
                    t.name(f.add[0].target)
                )
            })
            .collect();
        assert_eq!(adds, ["DS1->DS4", "DS2->DS4"]);
        let mut after = t.clone();
        after.protections.push(f[0].add[0]);
        assert_eq!(risk(&after).single_points, []);
    }
}
