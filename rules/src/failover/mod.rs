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
//!
//! This file holds the types and the two entry points ([`plan`],
//! [`plan_outage`]) with the indexes the parts share; beside it:
//! - `plan.rs`: the planner, from an outage to a [`Plan`];
//! - `options.rs`: the options for one server and their reasons;
//! - `order.rs`: recovery in order ([`Plan::order`]);
//! - `steps.rs`: an option played as steps ([`RecoveryOption::steps`]).

use std::sync::Arc;

use crate::by_server::{ByServer, Places};
use crate::estate::{down_with, AlsoDown};
use crate::inventory::{Copies, DataSource};
use crate::model::{Link, Point, ServerId, Topology};

mod options;
mod order;
mod plan;
mod steps;

use plan::plan_down;

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

    /// The kind's title where no one option is meant (an exercise's goal,
    /// the exercise form's choices); an option's own is
    /// [`RecoveryOption::title`].
    pub fn title(self) -> &'static str {
        match self {
            OptionKind::SwitchProtection => "Switch Protection",
            // Of one option, named by the failed server's role
            // ([`RecoveryOption::title`]).
            OptionKind::RebuildPrimary => "Rebuild the failed DPM server",
            OptionKind::MoveToNewServer => "Move to a server the secondary doesn't know",
            OptionKind::MoveToKnownServer => "Move to a server the secondary knows",
            OptionKind::Reprotect => "Protect again",
            OptionKind::RestoreFromPrimary => "Restore from the primary",
            OptionKind::RestoreFromSecondary => "Restore from the secondary",
            OptionKind::RestoreDatabase => "Restore the DPM database",
        }
    }

    /// The words between an option's title and the DPM server it goes
    /// through ([`RecoveryOption::via`]), so that the two read as one
    /// phrase: "Switch Protection on DS3", "Rebuild the primary from DS3"
    /// (its replicas), "Move to a server the secondary doesn't know: DS5",
    /// "Protect again by DS4", "Restore from the primary, DS1". (" via "
    /// for all made "Move to a server the secondary doesn't know via
    /// DS5".)
    pub fn via_joiner(self) -> &'static str {
        match self {
            OptionKind::SwitchProtection => " on ",
            OptionKind::RebuildPrimary | OptionKind::RestoreDatabase => " from ",
            OptionKind::MoveToNewServer | OptionKind::MoveToKnownServer => ": ",
            OptionKind::Reprotect => " by ",
            OptionKind::RestoreFromPrimary | OptionKind::RestoreFromSecondary => ", ",
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
        /// The failed server's secondary, which knows `to`.
        secondary: ServerId,
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

impl Action {
    /// The failed server the action recovers from (a protected server
    /// restored is that server).
    pub(super) fn failed_server(&self) -> ServerId {
        match self {
            Action::Switch { failed, .. }
            | Action::Rebuild { failed, .. }
            | Action::Move { failed, .. }
            | Action::Refused { failed, .. }
            | Action::Reprotect { failed, .. } => *failed,
            Action::Restore { server, .. } => *server,
        }
    }

    /// The existing server the action goes through (the one an option's
    /// `via` names, if any): the DPM server taking over, rebuilt from,
    /// moved or refused to, protecting again, or restored from. `None` for
    /// a new DPM server and for a rebuild from no other DPM server (a
    /// stopped server restoring its own database among them).
    pub(super) fn through(&self) -> Option<ServerId> {
        match self {
            Action::Switch { on, .. } => Some(*on),
            Action::Rebuild { from, .. } => *from,
            Action::Move { to, .. } => match to {
                Destination::Existing(n) => Some(*n),
                Destination::New { .. } => None,
            },
            Action::Refused { to, .. } => Some(*to),
            Action::Reprotect { by, .. } => Some(*by),
            Action::Restore { from, .. } => Some(*from),
        }
    }
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
    /// When many DPM servers could each take this option ([`GROUP_FROM`]
    /// or more: a move to a server the secondary doesn't know, protecting
    /// again), the option is offered once for all of them: these are they,
    /// in natural name order, this option's own (`via`) first, and
    /// [`RecoveryOption::through`] gives the option through any other.
    /// `None` for an option through one server only. Shared, not copied:
    /// by the options of one failed server that have the same candidates,
    /// and by the protected servers to protect again that only the facts
    /// the rules read of them tell apart (a site's failure leaves
    /// thousands, each with the same thousand DPM servers: one list, worked
    /// out once). A DPM server to protect again has a list of its own,
    /// without itself.
    pub among: Option<Arc<[ServerId]>>,
}

/// Options of one kind for one server that this many DPM servers or more
/// could each take are one grouped option ([`RecoveryOption::among`]), not
/// one option each: in a large estate a failed secondary leaves each
/// primary it held with a thousand DPM servers that could protect it again.
pub const GROUP_FROM: usize = 7;

/// The candidates an option is written through, and the group each one
/// stands for: every one of `all` on its own, or, from [`GROUP_FROM`] on,
/// the first standing for all of them (its `among`, shared, not copied).
pub(super) fn grouped(all: &Arc<[ServerId]>) -> (&[ServerId], Option<Arc<[ServerId]>>) {
    if all.len() >= GROUP_FROM {
        (&all[..1], Some(Arc::clone(all)))
    } else {
        (all, None)
    }
}

impl RecoveryOption {
    /// The option's title for a drawing `t` (before the failure): its
    /// kind's, except that rebuilding a failed DPM server is named by the
    /// role the drawing labels it with ("Rebuild the secondary" for one
    /// that protects DPM servers only, "Rebuild the DPM server" for one
    /// that protects nothing), not "the primary" under a server labelled
    /// secondary.
    pub fn title(&self, t: &Topology) -> &'static str {
        if self.kind != OptionKind::RebuildPrimary {
            return self.kind.title();
        }
        let r = crate::roles::roles(t, self.action.failed_server());
        match (r.primary, r.secondary) {
            (false, true) => "Rebuild the secondary",
            (false, false) => "Rebuild the DPM server",
            _ => "Rebuild the primary",
        }
    }

    /// The words between the option's title and its server
    /// ([`OptionKind::via_joiner`]), saying when that server is a new one
    /// ("Move to a server the secondary doesn't know: a new DPM server,
    /// DS4": a name the drawing does not have yet).
    pub fn via_joiner(&self) -> &'static str {
        match &self.action {
            Action::Move {
                to: Destination::New { .. },
                ..
            } => ": a new DPM server, ",
            _ => self.kind.via_joiner(),
        }
    }

    /// The option of this one's group through `via`, one of
    /// [`RecoveryOption::among`], with its own reason and action. In: the
    /// topology planned and a server. Out: `None` when `via` is not among
    /// the servers that could take it (an ungrouped option is only through
    /// its own server: itself for that one).
    pub fn through(&self, t: &Topology, via: ServerId) -> Option<RecoveryOption> {
        let Some(among) = &self.among else {
            let own = self.via.as_deref().and_then(|v| t.find(v));
            return (own == Some(via)).then(|| self.clone());
        };
        if !among.contains(&via) {
            return None;
        }
        let mut o = self.clone();
        o.via = Some(t.name(via).to_string());
        match &mut o.action {
            Action::Move {
                server,
                secondary,
                to: to @ Destination::Existing(_),
                ..
            } => {
                *to = Destination::Existing(via);
                o.reason = options::moved_reason(t, *secondary, via, *server);
            }
            Action::Refused {
                server,
                failed,
                secondary,
                to,
            } => {
                *to = via;
                o.reason = options::known_reason(t, *failed, *secondary, *server, via);
            }
            Action::Reprotect { server, by, .. } => {
                let what = options::reprotect_what(t, &self.reason, *by, *server)?;
                *by = via;
                o.reason = options::reprotect_reason(t, &what, via, *server);
            }
            _ => return None,
        }
        Some(o)
    }

    /// The option's stable key, the `data-option` of the app and the
    /// viewer: its kind's id, then the DPM server it uses, if any
    /// ("switch-protection DS3", "reprotect").
    pub fn key(&self) -> String {
        match &self.via {
            Some(v) => format!("{} {}", self.kind.id(), v),
            None => self.kind.id().to_string(),
        }
    }
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
    /// With no copy `surviving`, for data of a replica set's member (an
    /// Exchange DAG, an Availability Group; not a DPM database): the other
    /// members that are up, in name order, which hold the same databases.
    /// Empty otherwise.
    pub peers_up: Vec<ServerId>,
    /// With no copy `surviving` and no member up: the copies of a member
    /// that survive, as (holder, member) pairs in the holders' then the
    /// members' name order ("members of one set hold copies of the same
    /// databases"; the plan does not call such data lost). Empty otherwise.
    pub peer_copies: Vec<(ServerId, ServerId)>,
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
    /// The caption, the topology after it (`None`: the drawing the plan
    /// was made from, unchanged; [`Step::drawing`] answers either way), who
    /// is still down, and the data moving: what the app plays.
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
    /// The drawing after this step, or `None` when the step leaves it as
    /// the plan found it (recovery in order restores databases and
    /// rebuilds servers in place: a drawing of 10,000 servers is not copied
    /// for each of its steps). [`Step::drawing`] answers either way.
    pub topology: Option<Topology>,
    /// The servers down after this step.
    pub failed: Vec<ServerId>,
    /// DPM servers up again after this step whose copies are not made yet:
    /// a rebuilt DPM server from its installation until its consistency
    /// checks (or new replicas) bring its copies back. They hold no copy
    /// in [`Plan::copies_after`]; the player draws them up.
    pub making: Vec<ServerId>,
    /// DPM servers up but stopped after this step, in natural name order:
    /// their DPM database on a server still down, or being restored by
    /// `restore-database` (stopped until its last step, DPMSync -Sync
    /// done). The player draws them stopped.
    pub stopped: Vec<ServerId>,
    /// Protections moved by the steps so far, as (the old link, the DPM
    /// server protecting its target now): a scale-out cluster's VMs that
    /// a failed DPM server backed up are then its new protector's, and
    /// [`Plan::copies_after`] counts them there.
    pub moved: Vec<(Link, ServerId)>,
    pub flows: Vec<Flow>,
}

impl Step {
    /// The drawing after this step. In: `planned`, the drawing the plan (or
    /// the option's steps) was made from. Out: this step's own drawing, or
    /// `planned` when the step left it unchanged.
    pub fn drawing<'a>(&'a self, planned: &'a Topology) -> &'a Topology {
        self.topology.as_ref().unwrap_or(planned)
    }
}

fn by_name(t: &Topology, ids: &mut [ServerId]) {
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
struct Links<'t> {
    protectors: ByServer<'t, ServerId>,
    protected: ByServer<'t, ServerId>,
    /// DPM servers by the server their database is on.
    db_users: ByServer<'t, ServerId>,
}

impl<'t> Links<'t> {
    fn new(places: &Places<'t>) -> Links<'t> {
        let t = places.topology();
        let ps = &t.protections;
        Links {
            protectors: ByServer::new(places, ps.iter().map(|p| (p.target, p.protector)).collect()),
            protected: ByServer::new(places, ps.iter().map(|p| (p.protector, p.target)).collect()),
            db_users: ByServer::new(
                places,
                t.servers
                    .iter()
                    .filter(|s| s.is_dpm())
                    .filter_map(|s| s.database.filter(|&db| db != s.id).map(|db| (db, s.id)))
                    .collect(),
            ),
        }
    }

    fn protectors(&self, id: ServerId) -> &[ServerId] {
        self.protectors.get(id)
    }

    fn protected(&self, id: ServerId) -> &[ServerId] {
        self.protected.get(id)
    }

    fn db_users(&self, id: ServerId) -> &[ServerId] {
        self.db_users.get(id)
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Each option's title and the server it goes through read as one
    /// phrase ("... doesn't know via DS5" did not).
    #[test]
    fn an_option_and_its_server_read_as_one_phrase() {
        let t = crate::presets::scenario_2();
        let ds2 = t.find("DS2").unwrap();
        let pl = plan(&t, &[ds2]);
        let mut said: Vec<String> = pl
            .affected
            .iter()
            .flat_map(|a| &a.options)
            .filter_map(|o| {
                Some(format!(
                    "{}{}{}",
                    o.title(&t),
                    o.via_joiner(),
                    o.via.as_ref()?
                ))
            })
            .collect();
        said.sort();
        said.dedup();
        for want in [
            "Switch Protection on DS3",
            "Rebuild the primary from DS3",
            "Move to a server the secondary doesn't know: DS1",
            // DS5 is not in the drawing yet.
            "Move to a server the secondary doesn't know: a new DPM server, DS5",
            "Move to a server the secondary knows: DS3",
            "Protect again by DS4",
        ] {
            assert!(said.iter().any(|s| s == want), "{want} not among {said:?}");
        }
    }
}
