//! Recovery in order ([`Plan::order`]): the databases of stopped DPM
//! servers first, then what waits on them, then failed DPM servers that can
//! be rebuilt only after their secondary is.

use std::collections::HashSet;

use super::{by_name, database_copies, Flow, Links, OptionKind, OrderedStep, Step};
use crate::estate::Down;
use crate::inventory::{Copies, DataSource};
use crate::model::{Kind, Link, ServerId, Topology};
use crate::rules::and_list;

/// `1234567` as "1,234,567".
fn thousands(k: usize) -> String {
    let d = k.to_string();
    let mut out = String::new();
    for (i, c) in d.chars().enumerate() {
        if i > 0 && (d.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// What comes back with DPM server `s`: its database, and the data it
/// directly holds of the servers it protects that are up (not in `down`).
fn back_with(
    t: &Topology,
    copies: &Copies,
    links: &Links,
    s: ServerId,
    down: &HashSet<ServerId>,
) -> Vec<DataSource> {
    let mut back = vec![DataSource {
        server: s,
        part: crate::inventory::Part::Database,
    }];
    let mut up: Vec<ServerId> = links
        .protected(s)
        .iter()
        .copied()
        .filter(|&x| x != s && !down.contains(&x))
        .collect();
    by_name(t, &mut up);
    up.dedup();
    back.extend(up.into_iter().flat_map(|x| {
        copies
            .sources(x)
            .into_iter()
            .filter(|d| copies.direct(*d).contains(&s))
    }));
    back
}

/// Restores first the databases of DPM servers stopped by their database
/// server, each from its best surviving copy, then the failed servers they
/// protect from them ("nothing is protected or restored until its database
/// is back"). No steps when nothing is stopped. Also returns the servers
/// still down after these steps, and the stopped servers whose database no
/// surviving copy brings back (nothing goes through them).
pub(super) fn database_order(
    t: &Topology,
    copies: &Copies,
    links: &Links,
    outage: &Down,
    working: &dyn Fn(ServerId) -> bool,
) -> (Vec<OrderedStep>, Vec<ServerId>, Vec<ServerId>) {
    let n = |id: ServerId| t.name(id).to_string();
    let mut out = Vec::new();
    let mut still: Vec<ServerId> = outage.failed.clone();
    // Membership of `still`, which keeps the order.
    let mut down: HashSet<ServerId> = still.iter().copied().collect();
    let mut restored: Vec<ServerId> = Vec::new();
    let mut never: Vec<ServerId> = Vec::new();
    for &s in &outage.stopped {
        let Some((via, copy)) = database_copies(t, copies, links, s, working)
            .into_iter()
            .next()
        else {
            never.push(s);
            continue;
        };
        let whence = match (via, copy) {
            (_, Some(c)) => c.phrase(t),
            (Some(p), None) => n(p),
            (None, None) => {
                never.push(s);
                continue;
            }
        };
        let whence = whence.replace("its own replica", &format!("{}'s own replica", n(s)));
        let back = back_with(t, copies, links, s, &down);
        out.push(OrderedStep {
            kind: OptionKind::RestoreDatabase,
            server: s,
            via,
            back,
            step: Step {
                caption: format!(
                    "Restore {}'s DPM database from {whence} to a SQL Server instance, then run DPMSync -Sync on {}: it protects and restores again.",
                    n(s),
                    n(s)
                ),
                topology: t.clone(),
                failed: still.clone(),
                flows: via
                    .filter(|&v| v != s)
                    .map(|v| vec![Flow { from: v, to: s }])
                    .unwrap_or_default(),
            },
        });
        restored.push(s);
    }
    // Failed DPM servers whose only secondaries were stopped: rebuilt from
    // them now.
    let is_dpm = |id: ServerId| t.server(id).is_some_and(|v| v.kind == Kind::Dpm);
    for &f in &outage.failed {
        if !is_dpm(f) {
            continue;
        }
        let ps: Vec<ServerId> = links
            .protectors(f)
            .iter()
            .copied()
            .filter(|&p| p != f && is_dpm(p))
            .collect();
        if ps.iter().any(|&p| working(p)) {
            continue;
        }
        let mut from: Vec<ServerId> = ps.into_iter().filter(|p| restored.contains(p)).collect();
        by_name(t, &mut from);
        let Some(&via) = from.first() else { continue };
        down.remove(&f);
        still.retain(|&y| y != f);
        let back = back_with(t, copies, links, f, &down);
        out.push(OrderedStep {
            kind: OptionKind::RebuildPrimary,
            server: f,
            via: Some(via),
            back,
            step: Step {
                caption: format!(
                    "Rebuild {} with the same name and restore its DPM database from {}.",
                    n(f),
                    n(via)
                ),
                topology: t.clone(),
                failed: still.clone(),
                flows: vec![Flow { from: via, to: f }],
            },
        });
    }
    // The failed servers each restored DPM server protects come back in one
    // step per DPM server (thousands of file servers are one step, not one
    // topology each).
    for &s in &restored {
        let mut waiting: Vec<ServerId> = links
            .protected(s)
            .iter()
            .copied()
            .filter(|&x| x != s && down.contains(&x))
            .filter(|&x| t.server(x).is_some_and(|v| v.kind == Kind::Protected))
            .collect();
        by_name(t, &mut waiting);
        waiting.dedup();
        let Some(&first) = waiting.first() else {
            continue;
        };
        for x in &waiting {
            down.remove(x);
        }
        still.retain(|y| down.contains(y));
        let back: Vec<DataSource> = waiting
            .iter()
            .flat_map(|&x| copies.sources(x))
            .filter(|d| copies.direct(*d).contains(&s))
            .collect();
        let (names, its) = match waiting.len() {
            1 => (n(first), "its"),
            k if k <= 3 => (
                and_list(&waiting.iter().map(|&x| n(x)).collect::<Vec<_>>()),
                "their",
            ),
            k => (
                format!(
                    "{}, {} and {} more",
                    n(first),
                    n(waiting[1]),
                    thousands(k - 2)
                ),
                "their",
            ),
        };
        out.push(OrderedStep {
            kind: OptionKind::RestoreFromPrimary,
            server: first,
            via: Some(s),
            back,
            step: Step {
                caption: format!("Rebuild {names} and restore {its} data from {}.", n(s)),
                topology: t.clone(),
                failed: still.clone(),
                flows: waiting.iter().map(|&x| Flow { from: s, to: x }).collect(),
            },
        });
    }
    (out, still, never)
}

/// Rebuilds in the order they become possible, when some failed DPM server
/// can be rebuilt only after another (its secondary) is.
///
/// `failed`: the servers still down (after any database steps); `never`:
/// stopped DPM servers that stay stopped, through which nothing goes.
pub(super) fn recovery_order(
    t: &Topology,
    failed: &[ServerId],
    never: &[ServerId],
    copies: &Copies,
) -> Vec<OrderedStep> {
    let is_dpm = |id: ServerId| t.server(id).is_some_and(|s| s.kind == Kind::Dpm);
    let protectors = |id: ServerId| -> Vec<ServerId> {
        let mut v: Vec<ServerId> = t
            .protectors_of(id)
            .filter(|&p| p != id && is_dpm(p))
            .collect();
        by_name(t, &mut v);
        v
    };
    let mut down: Vec<ServerId> = failed.iter().copied().filter(|&f| is_dpm(f)).collect();
    // Needed only when a failed server's every protector is down too while
    // a copy of its database survives further along.
    let unusable = |id: &ServerId| failed.contains(id) || never.contains(id);
    let blocked = down.iter().any(|&f| {
        let ps = protectors(f);
        !ps.is_empty()
            && ps.iter().all(unusable)
            && copies
                .holders(DataSource {
                    server: f,
                    part: crate::inventory::Part::Database,
                })
                .iter()
                .any(|h| !unusable(h) && is_dpm(*h))
    });
    if !blocked {
        return Vec::new();
    }
    let n = |id: ServerId| t.name(id).to_string();
    let inventory = crate::inventory::inventory(t);
    let mut still: Vec<ServerId> = failed.to_vec();
    let mut out: Vec<OrderedStep> = Vec::new();
    loop {
        // The first failed DPM server (by name) with a working protector.
        let next = down.iter().find_map(|&f| {
            protectors(f)
                .into_iter()
                .find(|p| !still.contains(p) && !never.contains(p))
                .map(|p| (f, p))
        });
        let Some((f, via)) = next else { break };
        down.retain(|&x| x != f);
        still.retain(|&x| x != f);
        let mut back: Vec<DataSource> = vec![DataSource {
            server: f,
            part: crate::inventory::Part::Database,
        }];
        // f's own replicas come back (from its restored database and the
        // servers it protects); a copy it holds of another DPM server's
        // replica comes back only once that server is up.
        back.extend(
            inventory
                .iter()
                .filter(|h| h.holders.contains(&f) && h.source.server != f)
                .filter(|h| {
                    let owner = h.source.server;
                    t.protection(Link {
                        protector: f,
                        target: owner,
                    })
                    .is_some()
                        || t.protectors_of(owner).any(|p| {
                            p != f
                                && !still.contains(&p)
                                && t.protection(Link {
                                    protector: f,
                                    target: p,
                                })
                                .is_some()
                        })
                })
                .map(|h| h.source),
        );
        let waits: Vec<String> = down
            .iter()
            .filter(|&&x| protectors(x).contains(&f))
            .map(|&x| n(x))
            .collect();
        let caption = if waits.is_empty() {
            format!(
                "Rebuild {} with the same name and restore its DPM database from {}: its replicas are back.",
                n(f),
                n(via)
            )
        } else {
            format!(
                "Rebuild {} first, restoring its DPM database from {}: {} holds what {} needs.",
                n(f),
                n(via),
                n(f),
                and_list(&waits)
            )
        };
        out.push(OrderedStep {
            kind: OptionKind::RebuildPrimary,
            server: f,
            via: Some(via),
            back,
            step: Step {
                caption,
                topology: t.clone(),
                failed: still.clone(),
                flows: vec![Flow { from: via, to: f }],
            },
        });
    }
    out
}
