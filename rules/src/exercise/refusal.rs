//! What an exercise keeps: a change to the drawing outside what `allow`
//! permits is refused, with a sentence saying what the exercise keeps.

use crate::hash::HashSet;

use super::Exercise;
use crate::model::{ServerId, Topology};

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
                "This exercise keeps the names of the servers it starts with: {} cannot be renamed.",
                old.name
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
