//! Copy and paste of servers: the clipboard listeners, and keeping a
//! pasted guest's host and a pasted DPM server's database server.

use dpm_rules::{ServerId, Topology};

/// A copied server's host or database server that was not copied with it:
/// (its place among the copied servers, whether it is the host, the
/// original's id, its name).
pub type OutsideRef = (usize, bool, ServerId, String);

/// The hosts and database servers of `ids` that are not among `ids`, by
/// the copied server's place in the fragment `extract` makes.
pub fn outside_refs(t: &Topology, ids: &[ServerId]) -> Vec<OutsideRef> {
    let keep: std::collections::HashSet<ServerId> = ids.iter().copied().collect();
    let mut out = Vec::new();
    for (i, s) in t
        .servers
        .iter()
        .filter(|s| keep.contains(&s.id))
        .enumerate()
    {
        for (is_host, r) in [(true, s.host), (false, s.database)] {
            if let Some(r) = r.filter(|r| !keep.contains(r) && t.server(*r).is_some()) {
                out.push((i, is_host, r, t.name(r).to_string()));
            }
        }
    }
    out
}

/// Points the pasted servers `added` at the hosts and database servers
/// they had, where that server is still in `t` (same id, same name).
pub fn give_back_refs(t: &mut Topology, added: &[ServerId], refs: &[OutsideRef]) {
    for (i, is_host, orig, name) in refs {
        let (Some(&id), true) = (
            added.get(*i),
            t.server(*orig).is_some_and(|o| &o.name == name) && !added.contains(orig),
        ) else {
            continue;
        };
        if *is_host {
            if dpm_rules::refuse_host(t, id, *orig).is_none() {
                if let Some(s) = t.server_mut(id) {
                    s.host = Some(*orig);
                }
            }
        } else if let Some(s) = t.server_mut(id).filter(|s| s.is_dpm()) {
            s.database = Some(*orig);
        }
    }
}
