//! `plan_down`: from a set of failed and stopped servers to the [`Plan`]:
//! what is lost, reduced or unprotected, and the options per affected
//! server. Kept apart from the types so the planner's steps read in one
//! file.

use std::collections::HashSet;

use super::options::{extra_rebuild, moving_options, rebuild_option, Moves, Survivors};
use super::order::{database_order, recovery_order};
use super::{
    by_name, database_copies, Action, Affected, DbCopy, Links, OptionKind, Plan, RecoveryOption,
    Reduced,
};
use crate::check::Checker;
use crate::estate::Down;
use crate::inventory::{Copies, DataSource};
use crate::model::{Kind, Link, Protection, Server, ServerId, Topology};
use crate::rules::and_list;

pub(super) fn plan_down(t: &Topology, outage: &Down) -> Plan {
    let failed: Vec<ServerId> = outage.failed.clone();
    let down: HashSet<ServerId> = failed.iter().copied().collect();
    let stopped: HashSet<ServerId> = outage.stopped.iter().copied().collect();
    // Failed or stopped: nothing goes through it.
    let unusable: HashSet<ServerId> = down.union(&stopped).copied().collect();
    let up = |id: ServerId| !down.contains(&id);
    let working = |id: ServerId| !unusable.contains(&id);
    let links = Links::new(t);

    // Only data within two protections of a failed or stopped server can
    // lose a copy: its own, what it protects, and what those protect; and
    // the databases of DPM servers kept on a failed server.
    let copies = Copies::new(t);
    let mut touched: Vec<ServerId> = failed.clone();
    touched.extend(outage.stopped.iter().copied());
    for &f in failed.iter().chain(&outage.stopped) {
        touched.extend(links.db_users(f));
        for &x in links.protected(f) {
            touched.push(x);
            touched.extend(links.protected(x));
        }
    }
    by_name(t, &mut touched);
    touched.dedup();
    // A replica set member's databases survive on any member that is up, or
    // in any surviving copy of a member ("members of one set hold copies of
    // the same databases").
    let peer_holds = |id: ServerId| {
        copies.peers(id).into_iter().any(|m| {
            up(m)
                || copies
                    .holdings_of(m)
                    .iter()
                    .any(|h| h.holders.iter().any(|&x| up(x)))
        })
    };
    let mut lost = Vec::new();
    let mut unprotected = Vec::new();
    let mut reduced = Vec::new();
    for h in touched.iter().flat_map(|&id| copies.holdings_of(id)) {
        let surviving: Vec<ServerId> = h.holders.iter().copied().filter(|&s| up(s)).collect();
        if surviving.len() < h.holders.len() {
            reduced.push(Reduced {
                source: h.source,
                before: h.holders.clone(),
                surviving: surviving.clone(),
            });
        }
        let direct = copies.direct(h.source);
        // A stopped primary takes no backup: what it protects is
        // unprotected until its database is back, its replicas intact.
        let primary_stopped =
            direct.iter().any(|d| stopped.contains(d)) && direct.iter().all(|&d| !working(d));
        if !up(h.source.server) {
            if surviving.is_empty()
                && h.media.is_empty()
                && !(h.source.part != crate::inventory::Part::Database
                    && peer_holds(h.source.server))
            {
                lost.push(h.source);
            }
        } else if !h.holders.is_empty()
            && ((h.holders.iter().all(|&x| !working(x)) && h.media.is_empty()) || primary_stopped)
        {
            unprotected.push(h.source);
        }
    }
    let broken: Vec<Link> = t
        .protections
        .iter()
        .filter(|p| !up(p.protector) || !up(p.target))
        .map(Protection::link)
        .collect();

    let kind = |id: ServerId| t.server(id).map(|s| s.kind);
    let is_dpm = |id: ServerId| kind(id) == Some(Kind::Dpm);
    let dpm_protectors = |id: ServerId| -> Vec<ServerId> {
        let mut v: Vec<ServerId> = links
            .protectors(id)
            .iter()
            .copied()
            .filter(|&p| p != id && is_dpm(p))
            .collect();
        by_name(t, &mut v);
        v.dedup();
        v
    };

    // Built and checked only if some server must be protected again.
    let survivors = std::cell::OnceCell::new();
    let checker = std::cell::OnceCell::new();
    let mut affected: Vec<Affected> = Vec::new();
    let mut notes: Vec<(ServerId, String)> = Vec::new();
    let mut push = |server: ServerId, option: RecoveryOption| match affected
        .iter_mut()
        .find(|a| a.server == server)
    {
        Some(a) => a.options.push(option),
        None => affected.push(Affected {
            server,
            options: vec![option],
            notes: Vec::new(),
        }),
    };
    let name = |id: ServerId| t.name(id).to_string();

    for &f in &failed {
        let Some(fs) = t.server(f) else { continue };
        match fs.kind {
            Kind::Dpm => {
                let all_secondaries = dpm_protectors(f);
                // Only a working secondary offers anything.
                let secondaries: Vec<ServerId> = all_secondaries
                    .iter()
                    .copied()
                    .filter(|&s| working(s))
                    .collect();
                let down_secondaries: Vec<String> = all_secondaries
                    .iter()
                    .filter(|&&s| !working(s))
                    .map(|&s| name(s))
                    .collect();
                let moves: Vec<Moves> = secondaries
                    .iter()
                    .map(|&s| Moves::new(t, f, s, &unusable))
                    .collect();
                let mut targets: Vec<ServerId> = links
                    .protected(f)
                    .iter()
                    .copied()
                    .filter(|&x| x != f)
                    .collect();
                by_name(t, &mut targets);
                targets.dedup();

                // The failed server itself: rebuild it.
                let db = DataSource {
                    server: f,
                    part: crate::inventory::Part::Database,
                };
                let db_survives: Vec<String> = copies
                    .holders(db)
                    .into_iter()
                    .filter(|&h| up(h) && is_dpm(h))
                    .map(&name)
                    .collect();
                // Copies of the database beyond DPM protection: the server
                // it lives on, if up, and off-server media.
                let mut extra: Vec<DbCopy> = Vec::new();
                if let Some(d) = fs
                    .database
                    .filter(|&d| d != f && up(d) && t.server(d).is_some())
                {
                    extra.push(DbCopy::Server(d));
                }
                extra.extend(copies.media(db).into_iter().map(DbCopy::Medium));
                // Secondaries that are up but stopped by their own database
                // server: they hold f's database, usable once theirs is back.
                let stopped_secondaries: Vec<ServerId> = all_secondaries
                    .iter()
                    .copied()
                    .filter(|s| stopped.contains(s))
                    .collect();
                if !down_secondaries.is_empty() && secondaries.is_empty() {
                    let are = if down_secondaries.len() == 1 {
                        "is"
                    } else {
                        "are"
                    };
                    let note = if !stopped_secondaries.is_empty() {
                        let held: Vec<String> =
                            stopped_secondaries.iter().map(|&s| name(s)).collect();
                        format!(
                            "{} {} {}'s DPM database but {} stopped, {} own database being on a server that is down: restore {} database first (restore-database), then rebuild {} from {}.",
                            and_list(&held),
                            if held.len() == 1 { "holds" } else { "hold" },
                            name(f),
                            if held.len() == 1 { "is" } else { "are" },
                            if held.len() == 1 { "its" } else { "their" },
                            if held.len() == 1 { "its" } else { "their" },
                            name(f),
                            and_list(&held)
                        )
                    } else if db_survives.is_empty() {
                        format!(
                            "Restoring {}'s DPM database is not possible: {} {are} down too, and no other copy survives.",
                            name(f),
                            and_list(&down_secondaries)
                        )
                    } else {
                        // Ordered recovery (rebuild the secondary first) is
                        // what this state needs; until the planner offers
                        // it, say where the copy is rather than offer a
                        // rebuild that loses it.
                        format!(
                            "{} {are} down too, but {}'s DPM database survives further along the chain, on {}: rebuild {} from there first, then {} from it.",
                            and_list(&down_secondaries),
                            name(f),
                            and_list(&db_survives),
                            and_list(&down_secondaries),
                            name(f)
                        )
                    };
                    notes.push((f, note));
                }
                if secondaries.is_empty()
                    && extra.is_empty()
                    && stopped_secondaries.is_empty()
                    && (down_secondaries.is_empty() || db_survives.is_empty())
                {
                    push(
                        f,
                        RecoveryOption {
                            kind: OptionKind::RebuildPrimary,
                            via: None,
                            supported: true,
                            reason: if down_secondaries.is_empty() {
                                format!(
                                    "Nothing holds a copy of {}'s DPM database, so it can be rebuilt with the same name but its replicas must be created again.",
                                    name(f)
                                )
                            } else {
                                format!(
                                    "No copy of {}'s DPM database survives, so it can be rebuilt with the same name but its replicas must be created again.",
                                    name(f)
                                )
                            },
                            action: Action::Rebuild {
                                failed: f,
                                from: None,
                                server: None,
                                database: None,
                                stopped: false,
                            },
                        },
                    );
                }
                for &s in &secondaries {
                    push(f, rebuild_option(t, f, s, true, None));
                }
                for c in &extra {
                    push(f, extra_rebuild(t, f, *c, None));
                }

                for &x in &targets {
                    if !up(x) {
                        continue;
                    }
                    // The secondary holds x's replica unless the protection
                    // is switched or x's data never reaches a secondary.
                    let copied = t
                        .protection(Link {
                            protector: f,
                            target: x,
                        })
                        .is_some_and(|p| !p.switched)
                        && copies.sources(x).iter().any(|d| match d.part {
                            crate::inventory::Part::Data => true,
                            // "you can't add secondary protection for the
                            // protected Hyper-V workloads" of a scaled-out
                            // cluster (*dpm-support-issues*).
                            crate::inventory::Part::ScaleOut(p) => {
                                p == f && copies.holders(*d).len() > 1
                            }
                            _ => false,
                        });
                    match kind(x) {
                        Some(Kind::Protected) if !secondaries.is_empty() && copied => {
                            for (&s, moves) in secondaries.iter().zip(&moves) {
                                for o in moving_options(t, f, s, x, &down, moves) {
                                    push(x, o);
                                }
                            }
                        }
                        Some(_) => {
                            // No working secondary (or a DPM server losing
                            // its own secondary): protect it again from
                            // scratch.
                            if kind(x) == Some(Kind::Protected)
                                && secondaries.is_empty()
                                && !down_secondaries.is_empty()
                            {
                                notes.push((
                                    x,
                                    format!(
                                        "Switch Protection is not possible: {} {} {} too, and with {} it held {}'s only copy.",
                                        and_list(&down_secondaries),
                                        if down_secondaries.len() == 1 { "is" } else { "are" },
                                        if stopped_secondaries.is_empty() { "down" } else { "down or stopped" },
                                        name(f),
                                        name(x)
                                    ),
                                ));
                            }
                            let survivors: &Survivors =
                                survivors.get_or_init(|| Survivors::new(t, &down));
                            let checker = checker.get_or_init(|| Checker::new(&survivors.topology));
                            for by in survivors
                                .candidates(checker, x)
                                .into_iter()
                                .filter(|&by| working(by))
                            {
                                let what = if is_dpm(x) {
                                    format!("{} loses its secondary", name(x))
                                } else if !down_secondaries.is_empty() && secondaries.is_empty() {
                                    format!("{} and its secondary are down", name(f))
                                } else if secondaries.is_empty() {
                                    format!("{} had no secondary", name(f))
                                } else if t.server(x).is_some_and(Server::is_scale_out) {
                                    format!(
                                        "{}'s secondary holds no copy of the {} VMs {} backed up (\"you can't add secondary protection for the protected Hyper-V workloads\" of a scaled-out cluster)",
                                        name(f),
                                        name(x),
                                        name(f)
                                    )
                                } else {
                                    format!("{}'s secondary holds no copy of {}", name(f), name(x))
                                };
                                push(
                                    x,
                                    RecoveryOption {
                                        kind: OptionKind::Reprotect,
                                        via: Some(name(by)),
                                        supported: true,
                                        reason: format!(
                                            "{what}; {} can protect {} without breaking a rule, starting from scratch with a new replica.",
                                            name(by),
                                            name(x)
                                        ),
                                        action: Action::Reprotect { server: x, failed: f, by },
                                    },
                                );
                            }
                            if kind(x) == Some(Kind::Protected) {
                                if all_secondaries.is_empty() {
                                    match extra.first() {
                                        Some(&c) => push(x, extra_rebuild(t, f, c, Some(x))),
                                        None => push(x, rebuild_option(t, f, f, false, Some(x))),
                                    }
                                }
                                for &s in &secondaries {
                                    let mut o = rebuild_option(t, f, s, true, Some(x));
                                    {
                                        o.reason = format!(
                                            "{} holds {}'s DPM database, so {} can be rebuilt with the same name; {}'s replica was never copied to {}, so it is created again.",
                                            name(s),
                                            name(f),
                                            name(f),
                                            name(x),
                                            name(s)
                                        );
                                    }
                                    push(x, o);
                                }
                            }
                        }
                        None => {}
                    }
                }
            }
            Kind::Protected => {
                let primaries = dpm_protectors(f);
                let is_switched = |p: ServerId| {
                    t.protection(Link {
                        protector: p,
                        target: f,
                    })
                    .is_some_and(|q| q.switched)
                };
                let scale_out = fs.is_scale_out();
                // The copy a secondary of `p` would hold of f's data.
                let via_secondary = |p: ServerId| DataSource {
                    server: f,
                    part: if scale_out {
                        crate::inventory::Part::ScaleOut(p)
                    } else {
                        crate::inventory::Part::Data
                    },
                };
                let secondary_holds =
                    |p: ServerId, s: ServerId| copies.holders(via_secondary(p)).contains(&s);
                let restorable = primaries.iter().any(|&p| {
                    working(p)
                        || !is_switched(p)
                            && dpm_protectors(p)
                                .iter()
                                .any(|&s| working(s) && secondary_holds(p, s))
                });
                let stopped_primaries: Vec<ServerId> = primaries
                    .iter()
                    .copied()
                    .filter(|p| stopped.contains(p))
                    .collect();
                for &p in &stopped_primaries {
                    let on = t
                        .server(p)
                        .and_then(|x| x.database)
                        .map_or_else(|| "a server that is down".to_string(), name);
                    notes.push((
                        f,
                        format!(
                            "{} holds {}'s replica but is stopped: its database is on {on}. Nothing is restored through {} until its database is back: restore it first (restore-database), then restore {} from {}.",
                            name(p),
                            name(f),
                            name(p),
                            name(f),
                            name(p)
                        ),
                    ));
                }
                let peers_up: Vec<String> = copies
                    .peers(f)
                    .into_iter()
                    .filter(|&m| up(m))
                    .map(&name)
                    .collect();
                let peer_copies: Vec<String> = {
                    let mut v: Vec<ServerId> = copies
                        .peers(f)
                        .into_iter()
                        .filter(|&m| !up(m))
                        .flat_map(|m| copies.holdings_of(m))
                        .flat_map(|h| h.holders)
                        .filter(|&h| working(h))
                        .collect();
                    by_name(t, &mut v);
                    v.dedup();
                    v.into_iter().map(&name).collect()
                };
                if scale_out {
                    for &p in &primaries {
                        if !up(p) && copies.holders(via_secondary(p)).iter().all(|&h| !up(h)) {
                            notes.push((
                                f,
                                format!(
                                    "The {} VMs that {} backed up are lost: {} is down too, and \"you can't add secondary protection for the protected Hyper-V workloads\" of a scaled-out cluster, nor VMware VMs, so no secondary held them.",
                                    name(f),
                                    name(p),
                                    name(p)
                                ),
                            ));
                        }
                    }
                }
                if !primaries.is_empty()
                    && !restorable
                    && stopped_primaries.is_empty()
                    && peers_up.is_empty()
                    && peer_copies.is_empty()
                {
                    notes.push((
                        f,
                        format!(
                            "Restoring {} is not possible: every server that held a copy of its data is down too.",
                            name(f)
                        ),
                    ));
                }
                let set = fs.replica_set().unwrap_or_default();
                if !peers_up.is_empty() {
                    notes.push((
                        f,
                        format!(
                            "{} {} up and {} the same databases ({set}), so {}'s are not lost: rebuild {} and add it to {set} again, and its database copies come from {}.",
                            and_list(&peers_up),
                            if peers_up.len() == 1 { "is" } else { "are" },
                            if peers_up.len() == 1 { "holds" } else { "hold" },
                            name(f),
                            name(f),
                            and_list(&peers_up)
                        ),
                    ));
                } else if !peer_copies.is_empty() {
                    notes.push((
                        f,
                        format!(
                            "Every member of {set} is down, but {} {} a copy of another member's databases, which are {}'s too: restore them from there.",
                            and_list(&peer_copies),
                            if peer_copies.len() == 1 { "holds" } else { "hold" },
                            name(f)
                        ),
                    ));
                }
                for &p in &primaries {
                    if working(p) {
                        let what = if scale_out {
                            format!("the replicas of the {} VMs it backed up", name(f))
                        } else {
                            format!("{}'s replica", name(f))
                        };
                        push(
                            f,
                            RecoveryOption {
                                kind: OptionKind::RestoreFromPrimary,
                                via: Some(name(p)),
                                supported: true,
                                reason: format!(
                                    "{} holds {what} and is up: rebuild {} and restore its data from {}.",
                                    name(p),
                                    name(f),
                                    name(p)
                                ),
                                action: Action::Restore { server: f, from: p, switch_from: None },
                            },
                        );
                    } else if !is_switched(p) {
                        let how = if stopped.contains(&p) {
                            "is stopped"
                        } else {
                            "failed too"
                        };
                        for s in dpm_protectors(p) {
                            if !working(s) || !secondary_holds(p, s) {
                                continue;
                            }
                            push(
                                f,
                                RecoveryOption {
                                    kind: OptionKind::RestoreFromSecondary,
                                    via: Some(name(s)),
                                    supported: true,
                                    reason: format!(
                                        "{} {how}, but {} holds a copy of {}'s data as {}'s secondary: after Switch Protection on {}, restore {} from {}.",
                                        name(p),
                                        name(s),
                                        name(f),
                                        name(p),
                                        name(s),
                                        name(f),
                                        name(s)
                                    ),
                                    action: Action::Restore { server: f, from: s, switch_from: Some(p) },
                                },
                            );
                        }
                    }
                }
            }
        }
    }

    // DPM servers stopped by their database: restore it from a surviving
    // copy, then DPMSync -Sync; what they protect waits.
    for &s in &outage.stopped {
        let on = t
            .server(s)
            .and_then(|x| x.database)
            .map_or_else(|| "another server".to_string(), name);
        let found = database_copies(t, &copies, &links, s, &working);
        if found.is_empty() {
            push(
                s,
                RecoveryOption {
                    kind: OptionKind::RestoreDatabase,
                    via: None,
                    supported: false,
                    reason: format!(
                        "{}'s database was on {on}, which is down, and no copy of it survives: no DPM server that is up protects {}, {} does not protect {on}, and it has no database backup on tape, Azure or a share. Its replicas are intact, but it must be set up again.",
                        name(s),
                        name(s),
                        name(s)
                    ),
                    action: Action::Rebuild {
                        failed: s,
                        from: None,
                        server: None,
                        database: None,
                        stopped: true,
                    },
                },
            );
        }
        for (via, copy) in found {
            let whence = match (via, copy) {
                (Some(p), None) => format!("{} holds {}'s DPM database as its secondary", name(p), name(s)),
                (_, Some(DbCopy::OwnReplica(d))) => format!(
                    "{} protects {}, so its own replica of {} holds DPMDB (the documented way to back up a remote DPM database)",
                    name(s),
                    name(d),
                    name(d)
                ),
                (_, Some(c)) => format!("{}'s DPM database is also backed up to {}", name(s), c.phrase(t)),
                (None, None) => String::new(),
            };
            push(
                s,
                RecoveryOption {
                    kind: OptionKind::RestoreDatabase,
                    via: via.map(&name),
                    supported: true,
                    reason: format!(
                        "{} is stopped: its database is on {on}, which is down; its replicas are intact. {whence}: restore DPMDB from there to a SQL Server instance (DPMSync -RestoreDB), then run DPMSync -Sync on {}, and it protects and restores again.",
                        name(s),
                        name(s)
                    ),
                    action: Action::Rebuild {
                        failed: s,
                        from: via.filter(|&v| v != s),
                        server: None,
                        database: copy,
                        stopped: true,
                    },
                },
            );
        }
        let mut waiting: Vec<ServerId> = links
            .protected(s)
            .iter()
            .copied()
            .filter(|&x| x != s && up(x))
            .collect();
        by_name(t, &mut waiting);
        waiting.dedup();
        for x in waiting {
            notes.push((
                x,
                format!(
                    "{} is not protected while {} is stopped (its database is on {on}): restore {}'s database first.",
                    name(x),
                    name(s),
                    name(s)
                ),
            ));
        }
    }

    for (server, note) in notes {
        match affected.iter_mut().find(|a| a.server == server) {
            Some(a) => a.notes.push(note),
            None => affected.push(Affected {
                server,
                options: Vec::new(),
                notes: vec![note],
            }),
        }
    }
    // Nothing is offered through a failed or stopped server (a stopped
    // server restores its own database from its own replica, though).
    // By name, from a set of the few unusable servers' names: a plan for a
    // large estate has many options (one move per DPM server the secondary
    // doesn't know), and looking each up in the topology would be quadratic.
    let unusable_names: HashSet<String> = unusable
        .iter()
        .map(|&id| crate::model::fold_case(t.name(id)))
        .collect();
    for a in &mut affected {
        let own = t.name(a.server);
        a.options.retain(|o| {
            o.via.as_deref().is_none_or(|v| {
                !unusable_names.contains(&crate::model::fold_case(v))
                    || (o.kind == OptionKind::RestoreDatabase && crate::model::same_name(v, own))
            })
        });
    }

    let (mut order, still, never) = database_order(t, &copies, &links, outage, &working);
    order.extend(recovery_order(t, &still, &never, &copies));
    Plan {
        failed,
        lost,
        unprotected,
        reduced,
        broken,
        affected,
        order,
        also_down: Vec::new(),
    }
}
