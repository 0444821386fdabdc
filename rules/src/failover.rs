//! The failover planner: what a set of failed servers costs, and what DPM
//! lets you do about it.
//!
//! From "Setting up DPM Chaining", Moving protected servers: when a primary
//! fails, the only supported choices are Switch Protection on its secondary,
//! rebuilding the primary with the same name, or moving protection to a DPM
//! server that the secondary doesn't know about. Moving to a server the
//! secondary knows is not supported.
//!
//! Options carry an [`Action`]; [`RecoveryOption::steps`] turns it into the
//! captioned steps the app animates, each with the topology after it, only
//! when asked (a plan for a large topology has many options).

use std::collections::{HashMap, HashSet};

use crate::check::Checker;
use crate::estate::{down_with, AlsoDown, Down};
use crate::inventory::{Copies, DataSource};
use crate::model::{Kind, Link, Point, Protection, Server, ServerId, Topology};
use crate::rules::{and_list, Severity};

/// The recovery options of RULES.md.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum OptionKind {
    SwitchProtection,
    RebuildPrimary,
    MoveToNewServer,
    MoveToKnownServer,
    Reprotect,
    RestoreFromPrimary,
    RestoreFromSecondary,
    /// Restore a stopped DPM server's database (DPMDB) to a SQL Server
    /// instance from a surviving copy, then `DPMSync -Sync`.
    RestoreDatabase,
}

impl OptionKind {
    pub fn id(self) -> &'static str {
        match self {
            OptionKind::SwitchProtection => "switch-protection",
            OptionKind::RebuildPrimary => "rebuild-primary",
            OptionKind::MoveToNewServer => "move-to-new-server",
            OptionKind::MoveToKnownServer => "move-to-known-server",
            OptionKind::Reprotect => "reprotect",
            OptionKind::RestoreFromPrimary => "restore-from-primary",
            OptionKind::RestoreFromSecondary => "restore-from-secondary",
            OptionKind::RestoreDatabase => "restore-database",
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            OptionKind::SwitchProtection => "Switch Protection",
            OptionKind::RebuildPrimary => "Rebuild the primary",
            OptionKind::MoveToNewServer => "Move to a server the secondary doesn't know",
            OptionKind::MoveToKnownServer => "Move to a server the secondary knows",
            OptionKind::Reprotect => "Protect again",
            OptionKind::RestoreFromPrimary => "Restore from the primary",
            OptionKind::RestoreFromSecondary => "Restore from the secondary",
            OptionKind::RestoreDatabase => "Restore the DPM database",
        }
    }
}

/// Where a moved protection goes.
#[derive(Clone, Debug, PartialEq)]
pub enum Destination {
    Existing(ServerId),
    /// A new DPM server, with its name and where to draw it.
    New {
        name: String,
        pos: Option<Point>,
    },
}

/// What an option does, in terms of the topology.
#[derive(Clone, Debug, PartialEq)]
pub enum Action {
    /// `on` takes over protection of `server` from `failed`, switched.
    Switch {
        server: ServerId,
        failed: ServerId,
        on: ServerId,
    },
    /// Rebuild `failed` with the same name; restore its database from
    /// `from`, a DPM server holding it (or, when `None`, from `database`, or
    /// start its replicas again when both are `None`).
    ///
    /// With `stopped`, this is `restore-database`: `failed` is up but
    /// stopped (its database server failed), nothing is rebuilt, only its
    /// DPM database is restored to a SQL Server instance, from `from` or
    /// `database`, and then `DPMSync -Sync` runs.
    Rebuild {
        failed: ServerId,
        from: Option<ServerId>,
        server: Option<ServerId>,
        /// Where the DPM database comes back from when no DPM server holds
        /// it for this option (`from` is `None`).
        database: Option<DbCopy>,
        /// `restore-database` on a stopped DPM server.
        stopped: bool,
    },
    /// Protect `server` with `to` instead of `failed`.
    Move {
        server: ServerId,
        failed: ServerId,
        secondary: ServerId,
        to: Destination,
    },
    /// Not supported: shown to explain why.
    Refused {
        server: ServerId,
        failed: ServerId,
        to: ServerId,
    },
    /// Protect `server` again with `by`, from scratch, replacing `failed`.
    Reprotect {
        server: ServerId,
        failed: ServerId,
        by: ServerId,
    },
    /// Rebuild the failed `server` and restore its data from `from`.
    Restore {
        server: ServerId,
        from: ServerId,
        switch_from: Option<ServerId>,
    },
}

/// A copy of a DPM database that is not a DPM server's protection of it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DbCopy {
    /// The server the database lives on (`database`), still up: DPM is
    /// installed again and uses it.
    Server(ServerId),
    /// A `database_backup` medium off the server (tape, Azure, a share).
    Medium(crate::model::BackupMedium),
    /// The DPM server's own replica of the server its database is on (it
    /// protects that server, the documented way to back up a remote
    /// database).
    OwnReplica(ServerId),
}

impl DbCopy {
    /// "tape", "Azure", "a network share", "its own replica of SQLDB1",
    /// "SQLDB1".
    pub fn phrase(&self, t: &Topology) -> String {
        match self {
            DbCopy::Server(id) => t.name(*id).to_string(),
            DbCopy::Medium(m) => m.label().to_string(),
            DbCopy::OwnReplica(id) => format!("its own replica of {}", t.name(*id)),
        }
    }
}

/// One recovery option for one affected server.
#[derive(Clone, Debug, PartialEq)]
pub struct RecoveryOption {
    pub kind: OptionKind,
    /// The DPM server the option uses, by name (a new server's name too).
    pub via: Option<String>,
    pub supported: bool,
    pub reason: String,
    pub action: Action,
}

/// A server the failure touches, and what can be done for it.
#[derive(Clone, Debug, PartialEq)]
pub struct Affected {
    pub server: ServerId,
    pub options: Vec<RecoveryOption>,
    /// Why a usual choice is missing in this state ("Switch Protection is
    /// not possible: DS3 is down too."). Nothing is offered through a
    /// failed server.
    pub notes: Vec<String>,
}

/// A data source that lost copies.
#[derive(Clone, Debug, PartialEq)]
pub struct Reduced {
    pub source: DataSource,
    pub before: Vec<ServerId>,
    pub surviving: Vec<ServerId>,
}

/// The impact of a failure and the options.
#[derive(Clone, Debug, PartialEq)]
pub struct Plan {
    pub failed: Vec<ServerId>,
    /// Data whose own server failed and of which no copy survives.
    pub lost: Vec<DataSource>,
    /// Data whose own server is up but whose every copy is gone, or whose
    /// DPM protectors are all failed or stopped with one stopped (a stopped
    /// DPM server takes no backup until its database is back).
    pub unprotected: Vec<DataSource>,
    /// Every data source that lost at least one copy.
    pub reduced: Vec<Reduced>,
    /// Protections with a failed end.
    pub broken: Vec<Link>,
    pub affected: Vec<Affected>,
    /// Recovery in order, when a failed server's copies survive only
    /// further along the chain: rebuild the secondary from its secondary
    /// first, then the primary from the rebuilt secondary. Empty when every
    /// failed server can be recovered on its own. What no step brings back
    /// is in `lost`.
    pub order: Vec<OrderedStep>,
    /// Servers that went down with another (a host, the server holding
    /// their DPM database, or their site), in natural name order; they are
    /// in `failed` too, except DPM servers stopped by their database.
    pub also_down: Vec<AlsoDown>,
}

/// One step of recovery in order.
#[derive(Clone, Debug, PartialEq)]
pub struct OrderedStep {
    pub kind: OptionKind,
    /// The server recovered (the first by name when a step rebuilds several
    /// failed servers from one DPM server: each is a flow's end).
    pub server: ServerId,
    /// The server its DPM database is restored from.
    pub via: Option<ServerId>,
    /// Data sources back (their copies restored) after this step.
    pub back: Vec<DataSource>,
    /// The caption, the topology after it, who is still down, and the data
    /// moving: what the app plays.
    pub step: Step,
}

/// Data moving between two servers during a step, in the direction it flows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Flow {
    pub from: ServerId,
    pub to: ServerId,
}

/// One step of an option, as the app plays it.
#[derive(Clone, Debug, PartialEq)]
pub struct Step {
    pub caption: String,
    /// The drawing after this step.
    pub topology: Topology,
    /// The servers down after this step.
    pub failed: Vec<ServerId>,
    pub flows: Vec<Flow>,
}

fn by_name(t: &Topology, ids: &mut Vec<ServerId>) {
    t.sort_by_name(ids);
}

/// Plans an outage: the servers `failed` and every server of the sites
/// `sites` fail, with every guest of a failed host; DPM servers whose
/// database is on a failed server stop (see [`Plan::also_down`]).
///
/// In: the topology, the ids named as failed (unknown ones ignored), the
/// site names (compared ignoring case; a site with no server fails
/// nothing). Out: the plan. Nothing is offered through a failed or a
/// stopped server; a stopped DPM server gets `restore-database` ("Anytime
/// a database is restored from a backup you need to run the DpmSync -Sync
/// command", *back-up-the-dpm-server*), and where a recovery needs its
/// database first, [`Plan::order`] restores it first.
pub fn plan_outage(t: &Topology, failed: &[ServerId], sites: &[&str]) -> Plan {
    let down = down_with(t, failed, sites);
    let mut p = plan_down(t, &down);
    p.also_down = down.also;
    p
}

/// Plans the failure of `failed` (unknown ids are ignored), with the
/// guests of failed hosts and the DPM servers stopped by their database:
/// [`plan_outage`] with no site.
pub fn plan(t: &Topology, failed: &[ServerId]) -> Plan {
    plan_outage(t, failed, &[])
}

/// The protections of a topology indexed both ways, built once per plan.
struct Links {
    protectors: HashMap<ServerId, Vec<ServerId>>,
    protected: HashMap<ServerId, Vec<ServerId>>,
    /// DPM servers by the server their database is on.
    db_users: HashMap<ServerId, Vec<ServerId>>,
}

impl Links {
    fn new(t: &Topology) -> Links {
        let mut protectors: HashMap<ServerId, Vec<ServerId>> = HashMap::new();
        let mut protected: HashMap<ServerId, Vec<ServerId>> = HashMap::new();
        for p in &t.protections {
            protectors.entry(p.target).or_default().push(p.protector);
            protected.entry(p.protector).or_default().push(p.target);
        }
        let mut db_users: HashMap<ServerId, Vec<ServerId>> = HashMap::new();
        for s in &t.servers {
            if let (true, Some(db)) = (s.is_dpm(), s.database) {
                if db != s.id {
                    db_users.entry(db).or_default().push(s.id);
                }
            }
        }
        Links {
            protectors,
            protected,
            db_users,
        }
    }

    fn protectors(&self, id: ServerId) -> &[ServerId] {
        self.protectors.get(&id).map_or(&[], Vec::as_slice)
    }

    fn protected(&self, id: ServerId) -> &[ServerId] {
        self.protected.get(&id).map_or(&[], Vec::as_slice)
    }

    fn db_users(&self, id: ServerId) -> &[ServerId] {
        self.db_users.get(&id).map_or(&[], Vec::as_slice)
    }
}

/// Where a stopped DPM server's database can come back from, best first:
/// its working DPM protectors, its own replica of the server its database
/// is on, its off-server media. `(via, copy)`: `via` is the DPM server whose
/// storage holds the copy.
fn database_copies(
    t: &Topology,
    copies: &Copies,
    links: &Links,
    s: ServerId,
    working: &dyn Fn(ServerId) -> bool,
) -> Vec<(Option<ServerId>, Option<DbCopy>)> {
    let db = DataSource {
        server: s,
        part: crate::inventory::Part::Database,
    };
    let mut out: Vec<(Option<ServerId>, Option<DbCopy>)> = Vec::new();
    let mut direct = copies.direct(db);
    by_name(t, &mut direct);
    direct.dedup();
    for p in direct {
        if working(p) {
            out.push((Some(p), None));
        }
    }
    if let Some(d) = t.server(s).and_then(|x| x.database) {
        if d != s && links.protected(s).contains(&d) {
            out.push((Some(s), Some(DbCopy::OwnReplica(d))));
        }
    }
    for m in copies.media(db) {
        out.push((None, Some(DbCopy::Medium(m))));
    }
    out
}

fn plan_down(t: &Topology, outage: &Down) -> Plan {
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
fn database_order(
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
fn recovery_order(
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

/// `rebuild-primary` of failed DPM server `f` from a copy of its database
/// that no DPM server holds: the server it lives on (still up), or an
/// off-server medium ("Tape backup can be taken offsite for disaster
/// recovery", *back-up-the-dpm-server*). The database comes back
/// (DPMSync -RestoreDB), but the replicas were on `f` and are created
/// again. `server`: the protected server the option is shown for.
fn extra_rebuild(t: &Topology, f: ServerId, c: DbCopy, server: Option<ServerId>) -> RecoveryOption {
    let fname = t.name(f);
    let whose = server.map_or_else(String::new, |x| format!(", {}'s among them,", t.name(x)));
    let reason = match c {
        DbCopy::Server(d) => format!(
            "{fname}'s DPM database is on {}, which is up: rebuild {fname} with the same name, set it up with that database and run DPMSync -Sync; but its replicas{whose} were on {fname} and must be created again.",
            t.name(d)
        ),
        _ => format!(
            "{fname}'s DPM database is also backed up to {}: rebuild {fname} with the same name, restore the database with DPMSync -RestoreDB and run DPMSync -Sync; but its replicas{whose} were on {fname} and must be created again.",
            c.phrase(t)
        ),
    };
    RecoveryOption {
        kind: OptionKind::RebuildPrimary,
        via: None,
        supported: true,
        reason,
        action: Action::Rebuild {
            failed: f,
            from: None,
            server,
            database: Some(c),
            stopped: false,
        },
    }
}

fn rebuild_option(
    t: &Topology,
    f: ServerId,
    s: ServerId,
    s_up: bool,
    server: Option<ServerId>,
) -> RecoveryOption {
    let (fname, sname) = (t.name(f), t.name(s));
    if server.is_some() && s == f {
        // No secondary: rebuild, but replicas start again.
        return RecoveryOption {
            kind: OptionKind::RebuildPrimary,
            via: None,
            supported: true,
            reason: format!(
                "{fname} can be rebuilt with the same name, but nothing holds a copy of its database: its replicas, {}'s among them, must be created again.",
                server.map_or("?", |x| t.name(x))
            ),
            action: Action::Rebuild { failed: f, from: None, server, database: None, stopped: false },
        };
    }
    RecoveryOption {
        kind: OptionKind::RebuildPrimary,
        via: Some(sname.to_string()),
        supported: s_up,
        reason: if s_up {
            format!(
                "{sname} holds {fname}'s DPM database as its secondary: rebuild {fname} with the same name, restore the DPM database from {sname}, and {fname} resumes protection."
            )
        } else {
            format!("{sname} holds {fname}'s DPM database but has failed too, so there is nothing to restore it from.")
        },
        action: Action::Rebuild {
            failed: f,
            from: Some(s),
            server,
            database: None,
            stopped: false,
        },
    }
}

/// Switch, rebuild, move to a server `s` doesn't know, and the refused moves.
/// What moving a server off failed `f` depends on, per secondary `s`:
/// computed once for all the servers `f` protected.
struct Moves {
    /// Working DPM servers that `s` doesn't know.
    fresh: Vec<ServerId>,
    /// Working DPM servers that `s` protects, then `s` itself.
    known: Vec<ServerId>,
    /// A name for a new DPM server, in the failed server's pattern.
    new_name: String,
}

impl Moves {
    fn new(t: &Topology, f: ServerId, s: ServerId, down: &HashSet<ServerId>) -> Moves {
        let mut knows: HashSet<ServerId> = HashSet::new();
        knows.insert(s);
        knows.extend(t.protected_by(s));
        knows.extend(t.protectors_of(s));
        let mut fresh: Vec<ServerId> = t
            .servers
            .iter()
            .filter(|c| {
                c.kind == Kind::Dpm && c.id != f && !down.contains(&c.id) && !knows.contains(&c.id)
            })
            .map(|c| c.id)
            .collect();
        by_name(t, &mut fresh);
        let mut known: Vec<ServerId> = t
            .protected_by(s)
            .filter(|&k| {
                k != f && k != s && !down.contains(&k) && t.server(k).is_some_and(Server::is_dpm)
            })
            .collect();
        by_name(t, &mut known);
        known.push(s);
        let fname = t.name(f);
        let prefix = {
            let n = fname.trim_end_matches(|c: char| c.is_ascii_digit());
            if n.is_empty() || n.len() == fname.len() {
                "DPM".to_string()
            } else {
                n.to_string()
            }
        };
        Moves {
            fresh,
            known,
            new_name: t.fresh_name_like(&prefix),
        }
    }
}

fn moving_options(
    t: &Topology,
    f: ServerId,
    s: ServerId,
    x: ServerId,
    down: &HashSet<ServerId>,
    moves: &Moves,
) -> Vec<RecoveryOption> {
    let (fname, sname, xname) = (t.name(f), t.name(s), t.name(x));
    let s_up = !down.contains(&s);
    let s_mabs = t.server(s).is_some_and(Server::is_mabs);
    let mut out = Vec::new();

    out.push(RecoveryOption {
        kind: OptionKind::SwitchProtection,
        via: Some(sname.to_string()),
        supported: s_up && !s_mabs,
        reason: if !s_up {
            format!("{sname} has failed too, so it cannot take over {xname}.")
        } else if s_mabs {
            format!("{sname} is Azure Backup Server, which has no secondary protection to switch from.")
        } else {
            format!(
                "{sname} holds {xname}'s replica as {fname}'s secondary, so it can protect {xname} directly. {xname} stays in switched mode, and no secondary protection is possible for it afterwards."
            )
        },
        action: Action::Switch {
            server: x,
            failed: f,
            on: s,
        },
    });

    let mut rebuild = rebuild_option(t, f, s, s_up, Some(x));
    if s_up {
        rebuild.reason = format!(
            "{sname} holds {fname}'s DPM database: rebuild {fname} with the same name, restore its DPM database from {sname}, and {fname} resumes primary protection of {xname}."
        );
    }
    out.push(rebuild);

    let three = format!(
        "The supported choices are Switch Protection on {sname}, rebuilding {fname} with the same name, or moving {xname} to a DPM server that {sname} doesn't know about."
    );
    for &n in &moves.fresh {
        let nname = t.name(n);
        out.push(RecoveryOption {
            kind: OptionKind::MoveToNewServer,
            via: Some(nname.to_string()),
            supported: true,
            reason: format!(
                "{sname} doesn't know {nname}: {nname} neither protects {sname} nor is protected by it, so protection of {xname} can move there (starting with a new replica)."
            ),
            action: Action::Move {
                server: x,
                failed: f,
                secondary: s,
                to: Destination::Existing(n),
            },
        });
    }
    let new_name = moves.new_name.clone();
    let new_pos = t.server(f).and_then(|s| s.pos).map(|p| free_spot(t, p));
    out.push(RecoveryOption {
        kind: OptionKind::MoveToNewServer,
        via: Some(new_name.clone()),
        supported: true,
        reason: format!(
            "A new DPM server, {new_name}, that {sname} doesn't know about can protect {xname} (starting with a new replica)."
        ),
        action: Action::Move {
            server: x,
            failed: f,
            secondary: s,
            to: Destination::New {
                name: new_name,
                pos: new_pos,
            },
        },
    });

    for &k in &moves.known {
        let kname = t.name(k);
        let why = if k == s {
            format!(
                "Moving protected servers between DPM servers that are under secondary protection isn't supported: {sname} cannot become {xname}'s primary."
            )
        } else {
            format!(
                "Moving protected servers between DPM servers that are under secondary protection isn't supported: {kname} is protected by {sname}, so {sname} already knows it."
            )
        };
        out.push(RecoveryOption {
            kind: OptionKind::MoveToKnownServer,
            via: Some(kname.to_string()),
            supported: false,
            reason: format!("{why} {three}"),
            action: Action::Refused {
                server: x,
                failed: f,
                to: k,
            },
        });
    }
    out
}

/// The topology without its failed servers, checked once per plan: the
/// rules that decide where a server can be protected again.
struct Survivors {
    topology: Topology,
}

impl Survivors {
    fn new(t: &Topology, down: &HashSet<ServerId>) -> Survivors {
        let mut topology = t.clone();
        topology.servers.retain(|s| !down.contains(&s.id));
        topology
            .protections
            .retain(|p| !down.contains(&p.protector) && !down.contains(&p.target));
        Survivors { topology }
    }

    /// Working DPM servers that could protect `x` (now protected by no
    /// working server through `f`) without adding an error finding.
    fn candidates(&self, checker: &Checker, x: ServerId) -> Vec<ServerId> {
        let t = &self.topology;
        let mut out: Vec<ServerId> = t
            .servers
            .iter()
            .filter(|c| c.kind == Kind::Dpm && c.id != x)
            .map(|c| c.id)
            .filter(|&n| {
                checker
                    .precheck(Protection::new(n, x))
                    .iter()
                    .all(|finding| finding.severity() != Severity::Error)
            })
            .collect();
        by_name(t, &mut out);
        out
    }
}

/// The first place right of `p`, on its row, where a new server overlaps
/// none (the new DPM server of a move is drawn beside the failed one).
fn free_spot(t: &Topology, p: Point) -> Point {
    let step = crate::layout::NODE_W + crate::layout::GAP_X;
    let taken = |x: f64| {
        t.servers.iter().filter_map(|s| s.pos).any(|q| {
            (q.x - x).abs() < crate::layout::NODE_W + crate::layout::GAP_X / 2.0
                && (q.y - p.y).abs() < crate::layout::NODE_H + 8.0
        })
    };
    let mut x = p.x + step;
    for _ in 0..=t.servers.len() {
        if !taken(x) {
            break;
        }
        x += step;
    }
    Point { x, y: p.y }
}

impl RecoveryOption {
    /// The steps of this option from `t` with `failed` down, each with the
    /// topology after it. The last step's topology is the option's result.
    pub fn steps(&self, t: &Topology, failed: &[ServerId]) -> Vec<Step> {
        let n = |id: ServerId| t.name(id).to_string();
        let mut failed: Vec<ServerId> = failed.to_vec();
        let mut steps = Vec::new();
        let mut cur = t.clone();
        let first = match failed.as_slice() {
            [] => "Nothing has failed.".to_string(),
            [one] => format!("{} fails.", n(*one)),
            many => format!(
                "{} fail.",
                and_list(&many.iter().map(|&id| n(id)).collect::<Vec<_>>())
            ),
        };
        steps.push(Step {
            caption: first,
            topology: cur.clone(),
            failed: failed.clone(),
            flows: vec![],
        });
        if !self.supported {
            // Playing an option DPM does not support shows why, and changes
            // nothing.
            steps.push(Step {
                caption: format!(
                    "{} is not possible here. {}",
                    self.kind.title(),
                    self.reason
                ),
                topology: cur,
                failed,
                flows: vec![],
            });
            return steps;
        }
        let mut step = |caption: String, cur: &Topology, failed: &[ServerId], flows: Vec<Flow>| {
            steps.push(Step {
                caption,
                topology: cur.clone(),
                failed: failed.to_vec(),
                flows,
            });
        };
        match &self.action {
            Action::Switch {
                server,
                failed: f,
                on,
            } => {
                let (x, f, s) = (*server, *f, *on);
                cur.disconnect(Link {
                    protector: f,
                    target: x,
                });
                let mut p = Protection::new(s, x);
                p.switched = true;
                cur.connect(p);
                step(
                    format!(
                        "On {}, Switch Protection for {}: {} now protects {} directly.",
                        n(s),
                        n(x),
                        n(s),
                        n(x)
                    ),
                    &cur,
                    &failed,
                    vec![],
                );
                step(
                    format!(
                        "{} runs a consistency check: {}'s data flows to {}.",
                        n(s),
                        n(x),
                        n(s)
                    ),
                    &cur,
                    &failed,
                    vec![Flow { from: x, to: s }],
                );
                step(
                    format!("{} is now protected by {} in switched mode, and no secondary protection is possible for it.", n(x), n(s)),
                    &cur,
                    &failed,
                    vec![],
                );
            }
            Action::Rebuild {
                failed: f,
                from,
                server: _,
                database,
                stopped: true,
            } => {
                let f = *f;
                let on = t.server(f).and_then(|s| s.database);
                step(
                    format!(
                        "{} is stopped: its database is on {}, which is down. Its replicas are intact, but it protects and restores nothing until its database is back.",
                        n(f),
                        on.map_or_else(|| "another server".to_string(), n)
                    ),
                    &cur,
                    &failed,
                    vec![],
                );
                let (whence, flows) = match (from, database) {
                    (Some(s), _) => (n(*s), vec![Flow { from: *s, to: f }]),
                    (None, Some(c)) => (c.phrase(t), Vec::new()),
                    (None, None) => ("a surviving copy".to_string(), Vec::new()),
                };
                if let Some(srv) = cur.server_mut(f) {
                    srv.database = None;
                }
                step(
                    format!(
                        "Restore DPMDB from {whence} to a SQL Server instance (here, on {} itself) with DPMSync -RestoreDB.",
                        n(f)
                    ),
                    &cur,
                    &failed,
                    flows,
                );
                step(
                    format!(
                        "On {}, run DPMSync -Sync: \"Anytime a database is restored from a backup you need to run the DpmSync -Sync command\" to reconcile it with the storage pool.",
                        n(f)
                    ),
                    &cur,
                    &failed,
                    vec![],
                );
                step(
                    format!(
                        "{} protects and restores again, with the replicas it kept.",
                        n(f)
                    ),
                    &cur,
                    &failed,
                    vec![],
                );
            }
            Action::Rebuild {
                failed: f,
                from,
                server,
                database,
                stopped: false,
            } => {
                let f = *f;
                failed.retain(|&id| id != f);
                step(
                    format!("Rebuild {} with the same name and install DPM on it.", n(f)),
                    &cur,
                    &failed,
                    vec![],
                );
                match (from, database) {
                    (Some(s), _) => step(
                        format!("Restore {}'s DPM database from {}.", n(f), n(*s)),
                        &cur,
                        &failed,
                        vec![Flow { from: *s, to: f }],
                    ),
                    (None, Some(DbCopy::Server(d))) => step(
                        format!(
                            "Set {} up with its DPM database on {}, which survived, and run DPMSync -Sync.",
                            n(f),
                            n(*d)
                        ),
                        &cur,
                        &failed,
                        vec![Flow { from: *d, to: f }],
                    ),
                    (None, Some(c)) => step(
                        format!(
                            "Restore {}'s DPM database from {} with DPMSync -RestoreDB, then run DPMSync -Sync.",
                            n(f),
                            c.phrase(t)
                        ),
                        &cur,
                        &failed,
                        vec![],
                    ),
                    (None, None) => step(
                        format!("Nothing holds {}'s DPM database: its protection groups are set up again.", n(f)),
                        &cur,
                        &failed,
                        vec![],
                    ),
                }
                let flows: Vec<Flow> = match server {
                    Some(x) => vec![Flow { from: *x, to: f }],
                    None => t
                        .protected_by(f)
                        .filter(|&x| x != f && !failed.contains(&x))
                        .map(|x| Flow { from: x, to: f })
                        .collect(),
                };
                step(
                    match (from, server) {
                        (Some(_), _) => format!(
                            "{} runs consistency checks to bring its replicas up to date.",
                            n(f)
                        ),
                        (None, Some(x)) => {
                            format!("{} creates {}'s replica again from scratch.", n(f), n(*x))
                        }
                        (None, None) => {
                            format!("{} creates its replicas again from scratch.", n(f))
                        }
                    },
                    &cur,
                    &failed,
                    flows,
                );
                step(
                    match from {
                        Some(s) => format!(
                            "{} resumes protection, and {} protects it again.",
                            n(f),
                            n(*s)
                        ),
                        None => format!("{} protects its servers again.", n(f)),
                    },
                    &cur,
                    &failed,
                    vec![],
                );
            }
            Action::Move {
                server,
                failed: f,
                secondary: s,
                to,
            } => {
                let (x, f, s) = (*server, *f, *s);
                let dest = match to {
                    Destination::Existing(id) => *id,
                    Destination::New { name, pos } => {
                        let id = cur.add_server(name.clone(), Kind::Dpm);
                        if let Some(srv) = cur.server_mut(id) {
                            srv.pos = *pos;
                        }
                        if let (Some(fs), Some(srv)) = (t.server(f).cloned(), cur.server_mut(id)) {
                            srv.version = fs.version;
                            srv.rollup = fs.rollup;
                        }
                        step(
                            format!(
                                "Set up a new DPM server, {}, that {} doesn't know about.",
                                name,
                                n(s)
                            ),
                            &cur,
                            &failed,
                            vec![],
                        );
                        id
                    }
                };
                let dname = cur.name(dest).to_string();
                cur.disconnect(Link {
                    protector: f,
                    target: x,
                });
                cur.connect(Protection::new(dest, x));
                step(
                    format!("Install the protection agent on {} from {}, and add {} to a protection group on {}.", n(x), dname, n(x), dname),
                    &cur,
                    &failed,
                    vec![],
                );
                step(
                    format!(
                        "{dname} creates a new replica of {}: its data flows to {dname}.",
                        n(x)
                    ),
                    &cur,
                    &failed,
                    vec![Flow { from: x, to: dest }],
                );
                step(
                    format!("{} is now protected by {dname}. {} keeps its older copy of {} until it expires.", n(x), n(s), n(x)),
                    &cur,
                    &failed,
                    vec![],
                );
            }
            Action::Refused { server, to, .. } => {
                step(
                    format!(
                        "Protecting {} with {} is not supported. {}",
                        n(*server),
                        n(*to),
                        self.reason
                    ),
                    &cur,
                    &failed,
                    vec![],
                );
            }
            Action::Reprotect {
                server,
                failed: f,
                by,
            } => {
                let (x, f, by) = (*server, *f, *by);
                cur.disconnect(Link {
                    protector: f,
                    target: x,
                });
                cur.connect(Protection::new(by, x));
                step(
                    format!(
                        "{} protects {}: install the protection agent and create a new replica.",
                        n(by),
                        n(x)
                    ),
                    &cur,
                    &failed,
                    vec![Flow { from: x, to: by }],
                );
                step(
                    format!("{} is protected by {} again.", n(x), n(by)),
                    &cur,
                    &failed,
                    vec![],
                );
            }
            Action::Restore {
                server,
                from,
                switch_from,
            } => {
                let (x, from) = (*server, *from);
                if let Some(p) = switch_from {
                    cur.disconnect(Link {
                        protector: *p,
                        target: x,
                    });
                    let mut q = Protection::new(from, x);
                    q.switched = true;
                    cur.connect(q);
                    step(
                        format!("On {}, Switch Protection for {}.", n(from), n(x)),
                        &cur,
                        &failed,
                        vec![],
                    );
                }
                step(format!("Rebuild {}.", n(x)), &cur, &failed, vec![]);
                failed.retain(|&id| id != x);
                step(
                    format!("Restore {}'s data from {}.", n(x), n(from)),
                    &cur,
                    &failed,
                    vec![Flow { from, to: x }],
                );
                step(
                    format!("{} is back, protected by {}.", n(x), n(from)),
                    &cur,
                    &failed,
                    vec![],
                );
            }
        }
        steps
    }

    /// The topology the option leads to.
    pub fn result(&self, t: &Topology, failed: &[ServerId]) -> Topology {
        self.steps(t, failed)
            .pop()
            .map_or_else(|| t.clone(), |s| s.topology)
    }
}
