//! `plan_down`: from a set of failed and stopped servers to the [`Plan`]:
//! what is lost, reduced or unprotected ([`Impact`]), and the options per
//! affected server, gathered by a [`Planner`] one failed or stopped server
//! at a time. Kept apart from the types so the planner's steps read in one
//! file.

use crate::hash::HashSet;
use std::cell::OnceCell;
use std::sync::Arc;

use super::options::{
    extra_rebuild, moving_options, rebuild_option, rebuild_same_name, reprotect_reason, Moves,
    Survivors,
};
use super::order::{database_order, recovery_order};
use super::{
    by_name, database_copies, grouped, Action, Affected, DbCopy, Links, OptionKind, OrderedStep,
    Plan, RecoveryOption, Reduced,
};
use crate::check::Checker;
use crate::estate::Down;
use crate::inventory::{Copies, DataSource, Part};
use crate::model::{Kind, Link, Protection, Server, ServerId, Topology};
use crate::rules::and_list;

/// The plan of an outage, without [`Plan::also_down`] (the caller's).
///
/// In: the topology and the outage (the failed servers, with hosts' guests
/// and sites already in, and the DPM servers stopped by their database).
/// Out: the impact, the options per affected server, and the order.
pub(super) fn plan_down(t: &Topology, outage: &Down) -> Plan {
    let failed: Vec<ServerId> = outage.failed.clone();
    // Built and checked only if some server must be protected again.
    let survivors = OnceCell::new();
    let mut p = Planner::new(t, outage, &survivors);
    let impact = Impact::of(&p, outage);
    for &f in &failed {
        let Some(fs) = t.server(f) else { continue };
        match fs.kind {
            Kind::Dpm => p.dpm_failed(fs),
            Kind::Protected => p.protected_failed(fs),
        }
    }
    // DPM servers stopped by their database: restore it from a surviving
    // copy, then DPMSync -Sync; what they protect waits.
    for &s in &outage.stopped {
        p.dpm_stopped(s);
    }
    let order = p.order(outage);
    p.point_to_order(&order);
    Plan {
        failed,
        lost: impact.lost,
        unprotected: impact.unprotected,
        reduced: impact.reduced,
        broken: impact.broken,
        affected: p.finish(),
        order,
        also_down: Vec::new(),
    }
}

/// The DPM database of DPM server `server`, as a data source.
fn database_of(server: ServerId) -> DataSource {
    DataSource {
        server,
        part: Part::Database,
    }
}

/// The planner of one outage: what is down, indexed once, and the options
/// and notes gathered so far per affected server.
struct Planner<'a> {
    t: &'a Topology,
    /// The failed servers.
    down: HashSet<ServerId>,
    /// The DPM servers that are up but stopped by their database.
    stopped: HashSet<ServerId>,
    /// Failed or stopped: nothing goes through it.
    unusable: HashSet<ServerId>,
    links: Links<'a>,
    copies: Copies<'a>,
    /// The topology without its failed servers, and its checker: built
    /// only if some server must be protected again.
    survivors: &'a OnceCell<Survivors>,
    checker: OnceCell<Checker<'a>>,
    affected: Vec<Affected>,
    /// Notes, given to `affected` after every option is in.
    notes: Vec<(ServerId, String)>,
    /// Notes (by their place in `notes`) of servers `x` that failed DPM
    /// server `f` protected, whose secondaries are down too: recovery in
    /// order may bring `f` back ([`Planner::point_to_order`]).
    waiting: Vec<(usize, ServerId, ServerId)>,
}

impl<'a> Planner<'a> {
    fn new(t: &'a Topology, outage: &Down, survivors: &'a OnceCell<Survivors>) -> Planner<'a> {
        let down: HashSet<ServerId> = outage.failed.iter().copied().collect();
        let stopped: HashSet<ServerId> = outage.stopped.iter().copied().collect();
        let unusable: HashSet<ServerId> = down.union(&stopped).copied().collect();
        let copies = Copies::new(t);
        Planner {
            t,
            down,
            stopped,
            unusable,
            // The servers placed once, for both indexes.
            links: Links::new(copies.places()),
            copies,
            survivors,
            checker: OnceCell::new(),
            affected: Vec::new(),
            notes: Vec::new(),
            waiting: Vec::new(),
        }
    }

    /// Not failed (a stopped server is up).
    fn up(&self, id: ServerId) -> bool {
        !self.down.contains(&id)
    }

    /// Neither failed nor stopped: something can go through it.
    fn working(&self, id: ServerId) -> bool {
        !self.unusable.contains(&id)
    }

    fn kind(&self, id: ServerId) -> Option<Kind> {
        self.t.server(id).map(|s| s.kind)
    }

    fn is_dpm(&self, id: ServerId) -> bool {
        self.kind(id) == Some(Kind::Dpm)
    }

    fn name(&self, id: ServerId) -> String {
        self.t.name(id).to_string()
    }

    /// The DPM servers protecting `id`, itself aside, by name.
    fn dpm_protectors(&self, id: ServerId) -> Vec<ServerId> {
        let mut v: Vec<ServerId> = self
            .links
            .protectors(id)
            .iter()
            .copied()
            .filter(|&p| p != id && self.is_dpm(p))
            .collect();
        by_name(self.t, &mut v);
        v.dedup();
        v
    }

    /// Offers `option` for `server`, after the options offered before.
    fn push(&mut self, server: ServerId, option: RecoveryOption) {
        // From the end: a server's options are pushed together, so this
        // finds it at once (from the start, a site's failure with
        // thousands of affected servers searched them all for each).
        match self.affected.iter_mut().rev().find(|a| a.server == server) {
            Some(a) => a.options.push(option),
            None => self.affected.push(Affected {
                server,
                options: vec![option],
                notes: Vec::new(),
            }),
        }
    }

    fn note(&mut self, server: ServerId, note: String) {
        self.notes.push((server, note));
    }

    /// Adds to each waiting note ([`Planner::waiting`]) the step of
    /// recovery in order that brings its failed DPM server back, when one
    /// does: its own options (Switch Protection gone with the secondary)
    /// do not say so, and a reader took "no copy left" and the order's
    /// "PS1 back" for a contradiction.
    fn point_to_order(&mut self, order: &[OrderedStep]) {
        for (k, f, x) in std::mem::take(&mut self.waiting) {
            let Some(j) = order.iter().position(|o| !o.step.failed.contains(&f)) else {
                continue;
            };
            let more = format!(
                " Recovery in order brings {} back at step {}, and {} protects {} again with a new replica of its data.",
                self.name(f),
                j + 1,
                self.name(f),
                self.name(x)
            );
            if let Some((_, note)) = self.notes.get_mut(k) {
                note.push_str(&more);
            }
        }
    }

    /// Only data within two protections of a failed or stopped server can
    /// lose a copy: its own, what it protects, and what those protect; and
    /// the databases of DPM servers kept on a failed server. By name.
    fn touched(&self, outage: &Down) -> Vec<ServerId> {
        let links = &self.links;
        let mut touched: Vec<ServerId> = outage.failed.clone();
        touched.extend(outage.stopped.iter().copied());
        for &f in outage.failed.iter().chain(&outage.stopped) {
            touched.extend(links.db_users(f));
            for &x in links.protected(f) {
                touched.push(x);
                touched.extend(links.protected(x));
            }
        }
        // Duplicates go first, by id: comparing names is the dearer sort
        // (a site's failed DPM servers reach the same servers many times).
        crate::sort::sort_by(&mut touched, &|a, b| a.cmp(b));
        touched.dedup();
        by_name(self.t, &mut touched);
        touched
    }

    /// [`Plan::order`]: the databases of stopped DPM servers and what waits
    /// on them first, then the rebuilds that wait on another.
    fn order(&self, outage: &Down) -> Vec<OrderedStep> {
        let working = |id: ServerId| self.working(id);
        let (mut order, still, never) =
            database_order(self.t, &self.copies, &self.links, outage, &working);
        order.extend(recovery_order(
            self.t,
            &still,
            &never,
            &self.copies,
            &self.links,
        ));
        order
    }

    /// The affected servers, each with its options and then its notes (a
    /// server with notes only comes after those with options), without the
    /// options through a failed or stopped server.
    fn finish(mut self) -> Vec<Affected> {
        // By an index of the affected servers: a site's failure has
        // thousands, and notes for many of them.
        let mut at: crate::hash::HashMap<ServerId, usize> = self
            .affected
            .iter()
            .enumerate()
            .map(|(k, a)| (a.server, k))
            .collect();
        for (server, note) in std::mem::take(&mut self.notes) {
            match at.get(&server) {
                Some(&k) => self.affected[k].notes.push(note),
                None => {
                    at.insert(server, self.affected.len());
                    self.affected.push(Affected {
                        server,
                        options: Vec::new(),
                        notes: vec![note],
                    });
                }
            }
        }
        // Nothing is offered through a failed or stopped server (a stopped
        // server restores its own database from its own replica, though:
        // that rebuild goes through no other server). By the server the
        // action goes through, not its name: a working `ds1` beside a
        // failed `DS1` is offered.
        let unusable = &self.unusable;
        for a in &mut self.affected {
            a.options
                .retain(|o| o.action.through().is_none_or(|v| !unusable.contains(&v)));
        }
        self.affected
    }
}

/// What an outage costs before anything is done: the data lost, left
/// unprotected or with fewer copies, and the protections broken.
struct Impact {
    lost: Vec<DataSource>,
    unprotected: Vec<DataSource>,
    reduced: Vec<Reduced>,
    broken: Vec<Link>,
}

impl Impact {
    /// In: the planner (what is down, indexed) and the outage. Out: the
    /// first four parts of a [`Plan`], each as [`Plan`] documents it.
    fn of(p: &Planner, outage: &Down) -> Impact {
        let copies = &p.copies;
        let touched = p.touched(outage);
        let mut lost = Vec::new();
        let mut unprotected = Vec::new();
        let mut reduced = Vec::new();
        for h in touched.iter().flat_map(|&id| copies.holdings_of(id)) {
            let surviving: Vec<ServerId> = h.holders.iter().copied().filter(|&s| p.up(s)).collect();
            // A replica set member's databases survive on any member that
            // is up, or in any surviving copy of a member ("members of one
            // set hold copies of the same databases").
            let (peers_up, peer_copies) = if surviving.is_empty() && h.source.part != Part::Database
            {
                p.replica_set_survivors(h.source.server)
            } else {
                (Vec::new(), Vec::new())
            };
            let peer_holds = !peers_up.is_empty() || !peer_copies.is_empty();
            if surviving.len() < h.holders.len() {
                reduced.push(Reduced {
                    source: h.source,
                    before: h.holders.clone(),
                    surviving: surviving.clone(),
                    peers_up,
                    peer_copies,
                });
            }
            let direct = copies.direct(h.source);
            // A stopped primary takes no backup: what it protects is
            // unprotected until its database is back, its replicas intact.
            let primary_stopped = direct.iter().any(|d| p.stopped.contains(d))
                && direct.iter().all(|&d| !p.working(d));
            if !p.up(h.source.server) {
                if surviving.is_empty() && h.media.is_empty() && !peer_holds {
                    lost.push(h.source);
                }
            } else if !h.holders.is_empty()
                && ((h.holders.iter().all(|&x| !p.working(x)) && h.media.is_empty())
                    || primary_stopped)
            {
                unprotected.push(h.source);
            }
        }
        let broken: Vec<Link> =
            p.t.protections
                .iter()
                .filter(|q| !p.up(q.protector) || !p.up(q.target))
                .map(Protection::link)
                .collect();
        Impact {
            lost,
            unprotected,
            reduced,
            broken,
        }
    }
}

/// The secondaries of a failed DPM server (the DPM servers protecting it),
/// by state: computed once for the server and all it protected.
struct Secondaries {
    /// Every one, by name.
    all: Vec<ServerId>,
    /// The working ones: only a working secondary offers anything.
    working: Vec<ServerId>,
    /// The names of those failed or stopped.
    down: Vec<String>,
    /// Secondaries that are up but stopped by their own database
    /// server: they hold the failed server's database, usable once theirs
    /// is back.
    stopped: Vec<ServerId>,
    /// What moving a server off the failed one depends on, per working
    /// secondary (in `working`'s order).
    moves: Vec<Moves>,
}

impl Secondaries {
    fn of(p: &Planner, f: ServerId) -> Secondaries {
        let all = p.dpm_protectors(f);
        let working: Vec<ServerId> = all.iter().copied().filter(|&s| p.working(s)).collect();
        let down: Vec<String> = all
            .iter()
            .filter(|&&s| !p.working(s))
            .map(|&s| p.name(s))
            .collect();
        let moves: Vec<Moves> = working
            .iter()
            .map(|&s| Moves::new(p.t, f, s, &p.unusable))
            .collect();
        let stopped: Vec<ServerId> = all
            .iter()
            .copied()
            .filter(|s| p.stopped.contains(s))
            .collect();
        Secondaries {
            all,
            working,
            down,
            stopped,
            moves,
        }
    }

    /// "is" or "are", after the names of the secondaries down.
    fn are(&self) -> &'static str {
        if self.down.len() == 1 {
            "is"
        } else {
            "are"
        }
    }
}

/// A failed DPM server.
impl<'a> Planner<'a> {
    /// Failed DPM server `fs`: rebuild it, and for each server it protected
    /// that is up, switch, move or protect it again. Adds options and notes.
    fn dpm_failed(&mut self, fs: &Server) {
        let f = fs.id;
        let sec = Secondaries::of(self, f);
        let mut targets: Vec<ServerId> = self
            .links
            .protected(f)
            .iter()
            .copied()
            .filter(|&x| x != f)
            .collect();
        by_name(self.t, &mut targets);
        targets.dedup();

        // The failed server itself: rebuild it.
        let db_survives = self.database_survives(f);
        let extra = self.database_elsewhere(fs);
        if !sec.down.is_empty() && sec.working.is_empty() {
            let note = self.no_working_secondary(f, &sec, &db_survives);
            self.note(f, note);
        }
        self.rebuild_failed_dpm(f, &sec, &extra, &db_survives);

        for &x in &targets {
            if self.up(x) {
                self.target_of_failed_dpm(f, x, &sec, &extra);
            }
        }
    }

    /// The names of the DPM servers that are up and hold a copy of `f`'s
    /// DPM database.
    fn database_survives(&self, f: ServerId) -> Vec<String> {
        self.copies
            .holders(database_of(f))
            .into_iter()
            .filter(|&h| self.up(h) && self.is_dpm(h))
            .map(|h| self.name(h))
            .collect()
    }

    /// Copies of the database beyond DPM protection: the server
    /// it lives on, if up, and off-server media.
    fn database_elsewhere(&self, fs: &Server) -> Vec<DbCopy> {
        let f = fs.id;
        let mut extra: Vec<DbCopy> = Vec::new();
        if let Some(d) = fs
            .database
            .filter(|&d| d != f && self.up(d) && self.t.server(d).is_some())
        {
            extra.push(DbCopy::Server(d));
        }
        extra.extend(
            self.copies
                .media(database_of(f))
                .into_iter()
                .map(DbCopy::Medium),
        );
        extra
    }

    /// The note for failed DPM server `f` whose secondaries are all failed
    /// or stopped: where its database is, or that none survives.
    fn no_working_secondary(
        &self,
        f: ServerId,
        sec: &Secondaries,
        db_survives: &[String],
    ) -> String {
        let are = sec.are();
        if !sec.stopped.is_empty() {
            let held: Vec<String> = sec.stopped.iter().map(|&s| self.name(s)).collect();
            format!(
                "{} {} {}'s DPM database but {} stopped, {} own database being on a server that is down: restore {} database first (restore-database), then rebuild {} from {}.",
                and_list(&held),
                if held.len() == 1 { "holds" } else { "hold" },
                self.name(f),
                if held.len() == 1 { "is" } else { "are" },
                if held.len() == 1 { "its" } else { "their" },
                if held.len() == 1 { "its" } else { "their" },
                self.name(f),
                and_list(&held)
            )
        } else if db_survives.is_empty() {
            format!(
                "Restoring {}'s DPM database is not possible: {} {are} down too, and no other copy survives.",
                self.name(f),
                and_list(&sec.down)
            )
        } else {
            // Ordered recovery (rebuild the secondary first) is
            // what this state needs; until the planner offers
            // it, say where the copy is rather than offer a
            // rebuild that loses it.
            format!(
                "{} {are} down too, but {}'s DPM database survives further along the chain, on {}: rebuild {} from there first, then {} from it.",
                and_list(&sec.down),
                self.name(f),
                and_list(db_survives),
                and_list(&sec.down),
                self.name(f)
            )
        }
    }

    /// `rebuild-primary` of failed DPM server `f` itself: from each working
    /// secondary, from each copy of its database beyond DPM protection, or,
    /// when nothing holds its database, with its replicas created again.
    fn rebuild_failed_dpm(
        &mut self,
        f: ServerId,
        sec: &Secondaries,
        extra: &[DbCopy],
        db_survives: &[String],
    ) {
        if sec.working.is_empty()
            && extra.is_empty()
            && sec.stopped.is_empty()
            && (sec.down.is_empty() || db_survives.is_empty())
        {
            let reason = if sec.down.is_empty() {
                format!(
                    "Nothing holds a copy of {}'s DPM database, so it can be rebuilt with the same name but its replicas must be created again.",
                    self.name(f)
                )
            } else {
                format!(
                    "No copy of {}'s DPM database survives, so it can be rebuilt with the same name but its replicas must be created again.",
                    self.name(f)
                )
            };
            self.push(f, rebuild_same_name(f, None, None, reason));
        }
        for &s in &sec.working {
            self.push(f, rebuild_option(self.t, f, s, true, None));
        }
        for c in extra {
            self.push(f, extra_rebuild(self.t, f, *c, None));
        }
    }

    /// Server `x`, up, that failed DPM server `f` protected: Switch
    /// Protection or a move through each working secondary that holds its
    /// replica; otherwise protect it again (and, for a protected server,
    /// rebuild `f`).
    fn target_of_failed_dpm(
        &mut self,
        f: ServerId,
        x: ServerId,
        sec: &Secondaries,
        extra: &[DbCopy],
    ) {
        match self.kind(x) {
            Some(Kind::Protected) if !sec.working.is_empty() && self.copied(f, x) => {
                for (&s, moves) in sec.working.iter().zip(&sec.moves) {
                    for o in moving_options(self.t, f, s, x, &self.down, moves) {
                        self.push(x, o);
                    }
                }
            }
            Some(_) => self.protect_again(f, x, sec, extra),
            None => {}
        }
    }

    /// Whether the secondaries of `f` hold `x`'s replica: they do unless
    /// the protection is switched or `x`'s data never reaches a secondary.
    fn copied(&self, f: ServerId, x: ServerId) -> bool {
        let copies = &self.copies;
        self.t
            .protection(Link {
                protector: f,
                target: x,
            })
            .is_some_and(|p| !p.switched)
            && copies.sources(x).iter().any(|d| match d.part {
                Part::Data => true,
                // "you can't add secondary protection for the
                // protected Hyper-V workloads" of a scaled-out
                // cluster (*dpm-support-issues*).
                Part::ScaleOut(p) => p == f && copies.holders(*d).len() > 1,
                _ => false,
            })
    }

    /// No working secondary holds `x` (or `x` is a DPM server losing its
    /// own secondary `f`): protect it again from scratch, and for a
    /// protected server rebuild `f`.
    ///
    /// With `f`'s secondaries all down, the note that Switch Protection is
    /// not possible; [`Planner::point_to_order`] adds where recovery in
    /// order brings `f` back, when it does.
    fn protect_again(&mut self, f: ServerId, x: ServerId, sec: &Secondaries, extra: &[DbCopy]) {
        let protected = self.kind(x) == Some(Kind::Protected);
        if protected && sec.working.is_empty() && !sec.down.is_empty() {
            let note = format!(
                "Switch Protection is not possible: {} {} {} too, and with {} it held every copy of {}'s data.",
                and_list(&sec.down),
                sec.are(),
                if sec.stopped.is_empty() { "down" } else { "down or stopped" },
                self.name(f),
                self.name(x)
            );
            self.waiting.push((self.notes.len(), f, x));
            self.note(x, note);
        }
        self.reprotect(f, x, sec);
        if protected {
            self.rebuild_for(f, x, sec, extra);
        }
    }

    /// `reprotect` of `x` by each working DPM server that could protect it
    /// without breaking a rule, replacing failed `f`: one grouped option
    /// when [`GROUP_FROM`](super::GROUP_FROM) or more could.
    fn reprotect(&mut self, f: ServerId, x: ServerId, sec: &Secondaries) {
        let all = self.reprotect_candidates(x);
        if all.is_empty() {
            return;
        }
        let what = self.why_reprotect(f, x, sec);
        // Many candidates: one option for all of them.
        let (each, among) = grouped(&all);
        for &by in each {
            let option = RecoveryOption {
                among: among.clone(),
                kind: OptionKind::Reprotect,
                via: Some(self.name(by)),
                supported: true,
                reason: reprotect_reason(self.t, &what, by, x),
                action: Action::Reprotect {
                    server: x,
                    failed: f,
                    by,
                },
            };
            self.push(x, option);
        }
    }

    /// The working DPM servers that could protect `x` on the topology
    /// without its failed servers, without an error finding, in name order
    /// (one list shared by the servers of a class); the first call builds
    /// and indexes that topology.
    fn reprotect_candidates(&self, x: ServerId) -> Arc<[ServerId]> {
        let cell: &'a OnceCell<Survivors> = self.survivors;
        let survivors: &'a Survivors =
            cell.get_or_init(|| Survivors::new(self.t, &self.down, &self.unusable));
        let checker = self
            .checker
            .get_or_init(|| Checker::new(&survivors.topology));
        survivors.candidates(checker, x)
    }

    /// Why `x` must be protected again, the start of a `reprotect` reason.
    fn why_reprotect(&self, f: ServerId, x: ServerId, sec: &Secondaries) -> String {
        let name = |id: ServerId| self.name(id);
        if self.is_dpm(x) {
            format!("{} loses its secondary", name(x))
        } else if !sec.down.is_empty() && sec.working.is_empty() {
            format!("{} and its secondary are down", name(f))
        } else if sec.working.is_empty() {
            format!("{} had no secondary", name(f))
        } else if self.t.server(x).is_some_and(Server::is_scale_out) {
            format!(
                "{}'s secondary holds no copy of the {} VMs {} backed up (\"you can't add secondary protection for the protected Hyper-V workloads\" of a scaled-out cluster)",
                name(f),
                name(x),
                name(f)
            )
        } else {
            format!("{}'s secondary holds no copy of {}", name(f), name(x))
        }
    }

    /// `rebuild-primary` of failed `f`, shown for protected server `x` that
    /// no secondary holds: from a copy of `f`'s database beyond DPM (or from
    /// nothing) when `f` has no secondary, and from each working secondary,
    /// `x`'s replica being created again either way.
    fn rebuild_for(&mut self, f: ServerId, x: ServerId, sec: &Secondaries, extra: &[DbCopy]) {
        let t = self.t;
        if sec.all.is_empty() {
            match extra.first() {
                Some(&c) => self.push(x, extra_rebuild(t, f, c, Some(x))),
                None => self.push(x, rebuild_option(t, f, f, false, Some(x))),
            }
        }
        for &s in &sec.working {
            let mut o = rebuild_option(t, f, s, true, Some(x));
            o.reason = format!(
                "{} holds {}'s DPM database, so {} can be rebuilt with the same name; {}'s replica was never copied to {}, so it is created again.",
                self.name(s),
                self.name(f),
                self.name(f),
                self.name(x),
                self.name(s)
            );
            self.push(x, o);
        }
    }
}

/// The copy a secondary of `p` would hold of `f`'s data (`scale_out`: `f`
/// is a scale-out server, its VMs held per protector).
fn via_secondary(f: ServerId, scale_out: bool, p: ServerId) -> DataSource {
    DataSource {
        server: f,
        part: if scale_out {
            Part::ScaleOut(p)
        } else {
            Part::Data
        },
    }
}

/// A failed protected server.
impl Planner<'_> {
    /// Failed protected server `fs`: restore it from a working primary, or
    /// from a secondary of a failed one; notes say why not, and where a
    /// replica set member's databases survive.
    fn protected_failed(&mut self, fs: &Server) {
        let f = fs.id;
        let primaries = self.dpm_protectors(f);
        let scale_out = fs.is_scale_out();
        let restorable = primaries.iter().any(|&p| {
            self.working(p)
                || !self.is_switched(p, f)
                    && self
                        .dpm_protectors(p)
                        .iter()
                        .any(|&s| self.working(s) && self.secondary_holds(f, scale_out, p, s))
        });
        let stopped_primaries: Vec<ServerId> = primaries
            .iter()
            .copied()
            .filter(|p| self.stopped.contains(p))
            .collect();
        for &p in &stopped_primaries {
            let note = self.stopped_primary(f, p);
            self.note(f, note);
        }
        let (peers_up, peer_copies) = self.replica_set_copies(f);
        if scale_out {
            self.scale_out_lost(f, &primaries);
        }
        if !primaries.is_empty()
            && !restorable
            && stopped_primaries.is_empty()
            && peers_up.is_empty()
            && peer_copies.is_empty()
        {
            let note = format!(
                "Restoring {} is not possible: every server that held a copy of its data is down too.",
                self.name(f)
            );
            self.note(f, note);
        }
        self.replica_set(fs, &peers_up, &peer_copies);
        for &p in &primaries {
            if self.working(p) {
                self.restore_from_primary(f, p, scale_out);
            } else if !self.is_switched(p, f) {
                self.restore_from_secondary(f, p, scale_out);
            }
        }
    }

    /// Whether `p` protects `f` in switched mode.
    fn is_switched(&self, p: ServerId, f: ServerId) -> bool {
        self.t
            .protection(Link {
                protector: p,
                target: f,
            })
            .is_some_and(|q| q.switched)
    }

    /// Whether `s`, a secondary of `f`'s primary `p`, holds a copy of `f`'s
    /// data.
    fn secondary_holds(&self, f: ServerId, scale_out: bool, p: ServerId, s: ServerId) -> bool {
        self.copies
            .holders(via_secondary(f, scale_out, p))
            .contains(&s)
    }

    /// The note for `f`'s primary `p`, stopped by its database.
    fn stopped_primary(&self, f: ServerId, p: ServerId) -> String {
        let on = self
            .t
            .server(p)
            .and_then(|x| x.database)
            .map_or_else(|| "a server that is down".to_string(), |d| self.name(d));
        format!(
            "{} holds {}'s replica but is stopped: its database is on {on}. Nothing is restored through {} until its database is back: restore it first (restore-database), then restore {} from {}.",
            self.name(p),
            self.name(f),
            self.name(p),
            self.name(f),
            self.name(p)
        )
    }

    /// What is left of the databases of `f`, a replica set's member (an
    /// Exchange DAG, an Availability Group): the other members that are
    /// up, in name order; and, when none is, the copies of a member that
    /// survive, as (holder, member) pairs in name order. Both empty for a
    /// server in no set.
    fn replica_set_survivors(&self, f: ServerId) -> (Vec<ServerId>, Vec<(ServerId, ServerId)>) {
        let copies = &self.copies;
        let peers = copies.peers(f);
        let mut up: Vec<ServerId> = peers.iter().copied().filter(|&m| self.up(m)).collect();
        if !up.is_empty() {
            by_name(self.t, &mut up);
            return (up, Vec::new());
        }
        let mut held: Vec<(ServerId, ServerId)> = peers
            .iter()
            .flat_map(|&m| copies.holdings_of(m).into_iter().map(move |h| (m, h)))
            .flat_map(|(m, h)| h.holders.into_iter().map(move |x| (x, m)))
            .filter(|&(x, _)| self.up(x))
            .collect();
        crate::sort::sort_by(&mut held, &|a, b| {
            crate::model::natural_cmp(self.t.name(a.0), self.t.name(b.0)).then(
                crate::model::natural_cmp(self.t.name(a.1), self.t.name(b.1)),
            )
        });
        held.dedup();
        (Vec::new(), held)
    }

    /// The members of `f`'s replica set that are up, and the working
    /// servers holding a copy of a member that is down, by name.
    fn replica_set_copies(&self, f: ServerId) -> (Vec<String>, Vec<String>) {
        let (up, held) = self.replica_set_survivors(f);
        let mut holders: Vec<String> = Vec::new();
        for (x, _) in held {
            let name = self.name(x);
            if self.working(x) && holders.last() != Some(&name) {
                holders.push(name);
            }
        }
        (up.into_iter().map(|m| self.name(m)).collect(), holders)
    }

    /// Notes for scale-out server `f`: the VMs each failed primary backed
    /// up, of which no copy is up, are lost.
    fn scale_out_lost(&mut self, f: ServerId, primaries: &[ServerId]) {
        for &p in primaries {
            if !self.up(p)
                && self
                    .copies
                    .holders(via_secondary(f, true, p))
                    .iter()
                    .all(|&h| !self.up(h))
            {
                let note = format!(
                    "The {} VMs that {} backed up are lost: {} is down too, and \"you can't add secondary protection for the protected Hyper-V workloads\" of a scaled-out cluster, nor VMware VMs, so no secondary held them.",
                    self.name(f),
                    self.name(p),
                    self.name(p)
                );
                self.note(f, note);
            }
        }
    }

    /// The note for a replica set member `fs`: its databases are on the
    /// members up, or in a copy of a member that is down.
    fn replica_set(&mut self, fs: &Server, peers_up: &[String], peer_copies: &[String]) {
        let f = fs.id;
        let set = fs.replica_set().unwrap_or_default();
        if !peers_up.is_empty() {
            let note = format!(
                "{} {} up and {} the same databases ({set}), so {}'s are not lost: rebuild {} and add it to {set} again, and its database copies come from {}.",
                and_list(peers_up),
                if peers_up.len() == 1 { "is" } else { "are" },
                if peers_up.len() == 1 { "holds" } else { "hold" },
                self.name(f),
                self.name(f),
                and_list(peers_up)
            );
            self.note(f, note);
        } else if !peer_copies.is_empty() {
            let note = format!(
                "Every member of {set} is down, but {} {} a copy of another member's databases, which are {}'s too: restore them from there.",
                and_list(peer_copies),
                if peer_copies.len() == 1 { "holds" } else { "hold" },
                self.name(f)
            );
            self.note(f, note);
        }
    }

    /// `restore-from-primary` of `f` from its working primary `p`.
    fn restore_from_primary(&mut self, f: ServerId, p: ServerId, scale_out: bool) {
        let what = if scale_out {
            format!("the replicas of the {} VMs it backed up", self.name(f))
        } else {
            format!("{}'s replica", self.name(f))
        };
        let option = RecoveryOption {
            among: None,
            kind: OptionKind::RestoreFromPrimary,
            via: Some(self.name(p)),
            supported: true,
            reason: format!(
                "{} holds {what} and is up: rebuild {} and restore its data from {}.",
                self.name(p),
                self.name(f),
                self.name(p)
            ),
            action: Action::Restore {
                server: f,
                from: p,
                switch_from: None,
            },
        };
        self.push(f, option);
    }

    /// `restore-from-secondary` of `f`, whose primary `p` failed or is
    /// stopped, from each working secondary of `p` holding `f`'s data.
    fn restore_from_secondary(&mut self, f: ServerId, p: ServerId, scale_out: bool) {
        let how = if self.stopped.contains(&p) {
            "is stopped"
        } else {
            "failed too"
        };
        for s in self.dpm_protectors(p) {
            if !self.working(s) || !self.secondary_holds(f, scale_out, p, s) {
                continue;
            }
            let option = RecoveryOption {
                among: None,
                kind: OptionKind::RestoreFromSecondary,
                via: Some(self.name(s)),
                supported: true,
                reason: format!(
                    "{} {how}, but {} holds a copy of {}'s data as {}'s secondary: after Switch Protection on {}, restore {} from {}.",
                    self.name(p),
                    self.name(s),
                    self.name(f),
                    self.name(p),
                    self.name(s),
                    self.name(f),
                    self.name(s)
                ),
                action: Action::Restore {
                    server: f,
                    from: s,
                    switch_from: Some(p),
                },
            };
            self.push(f, option);
        }
    }
}

/// A DPM server stopped by its database.
impl Planner<'_> {
    /// DPM server `s`, up but stopped by its database: restore the database
    /// from each surviving copy (or say none survives), and note that what
    /// it protects waits.
    fn dpm_stopped(&mut self, s: ServerId) {
        let on = self
            .t
            .server(s)
            .and_then(|x| x.database)
            .map_or_else(|| "another server".to_string(), |d| self.name(d));
        self.restore_database(s, &on);
        self.waiting_on(s, &on);
    }

    /// `restore-database` of stopped `s` (its database was on `on`) from
    /// each surviving copy, or unsupported when none survives.
    fn restore_database(&mut self, s: ServerId, on: &str) {
        let working = |id: ServerId| self.working(id);
        let found = database_copies(self.t, &self.copies, &self.links, s, &working);
        if found.is_empty() {
            let option = RecoveryOption {
                among: None,
                kind: OptionKind::RestoreDatabase,
                via: None,
                supported: false,
                reason: format!(
                    "{}'s database was on {on}, which is down, and no copy of it survives: no DPM server that is up protects {}, {} does not protect {on}, and it has no database backup on tape, Azure or a share. Its replicas are intact, but it must be set up again.",
                    self.name(s),
                    self.name(s),
                    self.name(s)
                ),
                action: Action::Rebuild {
                    failed: s,
                    from: None,
                    server: None,
                    database: None,
                    stopped: true,
                },
            };
            self.push(s, option);
        }
        for (via, copy) in found {
            let whence = match (via, copy) {
                (Some(p), None) => format!("{} holds {}'s DPM database as its secondary", self.name(p), self.name(s)),
                (_, Some(DbCopy::OwnReplica(d))) => format!(
                    "{} protects {}, so its own replica of {} holds DPMDB (the documented way to back up a remote DPM database)",
                    self.name(s),
                    self.name(d),
                    self.name(d)
                ),
                (_, Some(c)) => format!("{}'s DPM database is also backed up to {}", self.name(s), c.phrase(self.t)),
                (None, None) => String::new(),
            };
            let option = RecoveryOption {
                among: None,
                kind: OptionKind::RestoreDatabase,
                via: via.map(|v| self.name(v)),
                supported: true,
                reason: format!(
                    "{} is stopped: its database is on {on}, which is down; its replicas are intact. {whence}: restore DPMDB from there to a SQL Server instance (DPMSync -RestoreDB), then run DPMSync -Sync on {}, and it protects and restores again.",
                    self.name(s),
                    self.name(s)
                ),
                action: Action::Rebuild {
                    failed: s,
                    from: via.filter(|&v| v != s),
                    server: None,
                    database: copy,
                    stopped: true,
                },
            };
            self.push(s, option);
        }
    }

    /// Notes for the servers stopped `s` protects that are up: unprotected
    /// until its database (which was on `on`) is back.
    fn waiting_on(&mut self, s: ServerId, on: &str) {
        let mut waiting: Vec<ServerId> = self
            .links
            .protected(s)
            .iter()
            .copied()
            .filter(|&x| x != s && self.up(x))
            .collect();
        by_name(self.t, &mut waiting);
        waiting.dedup();
        for x in waiting {
            let note = format!(
                "{} is not protected while {} is stopped (its database is on {on}): restore {}'s database first.",
                self.name(x),
                self.name(s),
                self.name(s)
            );
            self.note(x, note);
        }
    }
}
