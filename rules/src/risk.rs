//! Single points of failure: the servers whose failure alone loses data or
//! leaves data with no copy, the data held in fewer than two places, and
//! the protections that would remove each single point.
//!
//! One pass over the copy inventory (linear in the topology's size): a
//! data source's holders say at once whether its own server's failure loses
//! it (no holder) and which one server's failure leaves it without a copy
//! (exactly one holder).

use crate::hash::{HashMap, HashSet};

use crate::by_server::{pairs, ByServer, Places};
use crate::check::{Checker, Finding};
use crate::estate::{AlsoDown, DownHow};
use crate::inventory::{Copies, DataSource, Part};
use crate::model::{BackupMedium, Protection, Server, ServerId, Topology, Workload};
use crate::rules::Severity;

/// A server whose failure alone costs data.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SinglePoint {
    pub server: ServerId,
    /// Data that no copy would survive: its own, and its guests' (the
    /// servers that run on it fail with it).
    pub loses: Vec<DataSource>,
    /// Other servers' data of which it holds the only copy, or whose
    /// protection it takes with it (the DPM servers it stops).
    pub unprotects: Vec<DataSource>,
    /// The servers that go down or stop with it: guests of a host, DPM
    /// servers whose database it holds. Empty for most servers.
    pub takes: Vec<AlsoDown>,
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

/// A fact a fix sets on a server, beside the protections it adds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FactChange {
    /// Copy `server`'s DPM database to `medium` outside DPM protection
    /// (`database_backup`), for a DPM server that may not have a protector.
    DatabaseBackup {
        server: ServerId,
        medium: BackupMedium,
    },
}

impl FactChange {
    /// "MABS1 database_backup azure": the server, the fact, the value, as
    /// `risk --json` prints it.
    pub fn label(&self, t: &Topology) -> String {
        match self {
            FactChange::DatabaseBackup { server, medium } => {
                format!("{} database_backup {}", t.name(*server), medium.as_str())
            }
        }
    }

    /// Sets the fact on `t` (a server that is gone is left alone).
    pub fn apply(&self, t: &mut Topology) {
        match *self {
            FactChange::DatabaseBackup { server, medium } => {
                if let Some(s) = t.server_mut(server) {
                    let list = s.database_backup.get_or_insert_with(Vec::new);
                    if !list.contains(&medium) {
                        list.push(medium);
                        crate::sort::sort_by(list, &|a, b| a.cmp(b));
                    }
                }
            }
        }
    }
}

/// A change that removes single points of failure: protections to add
/// and facts to set.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fix {
    pub add: Vec<Protection>,
    /// Facts to set (a database backup for a DPM server that may not have a
    /// protector).
    pub set: Vec<FactChange>,
    /// The single points it removes: every protection fix leaves each of
    /// them no single point; a `set` fix leaves each no data it would lose
    /// (what it alone protects still has one copy).
    pub removes: Vec<ServerId>,
    /// What it costs: the warnings the drawing would have with the fix made
    /// that it has not now (a fix brings no error; notes are not counted),
    /// such as `long-cycle` for a protection that closes a cycle of three
    /// or more DPM servers. Empty for most fixes.
    pub brings: Vec<Finding>,
}

impl Fix {
    /// `t` with the fix made.
    pub fn apply(&self, t: &Topology) -> Topology {
        let mut after = t.clone();
        after.protections.extend(self.add.iter().copied());
        for c in &self.set {
            c.apply(&mut after);
        }
        after
    }
}

/// One data source, with what holds it, as [`HeldAll`] gives it.
#[derive(Clone, Copy)]
struct Held<'a> {
    source: DataSource,
    holders: &'a [ServerId],
    /// Off-server media holding it.
    media: u8,
    /// How many other members its replica set has (none for a database).
    peers: u32,
}

/// Data sources with what holds each, computed once: one small entry per
/// data source, and all their holders in one list, each entry's a slice of
/// it. There is an entry for each of 10,000 servers and more, read again
/// and again (at 10,000 servers, entries of 96 bytes with lists of their
/// own outgrew the processor's cache): what few judgements need besides
/// the holders, the replica set's members and the direct protectors, they
/// ask the copies for ([`Copies::peers`], [`Copies::direct`]).
#[derive(Default)]
struct HeldAll {
    entries: Vec<Entry>,
    holders: Vec<ServerId>,
    /// A server's data sources as [`held_of`] reads them (one list for
    /// every server, not one each).
    scratch: Vec<DataSource>,
}

/// A [`Held`] as [`HeldAll`] keeps it: its holders
/// `holders[at..at + len]`.
struct Entry {
    source: DataSource,
    at: u32,
    len: u32,
    media: u8,
    peers: u32,
}

impl HeldAll {
    fn with_capacity(n: usize) -> HeldAll {
        HeldAll {
            entries: Vec::with_capacity(n),
            holders: Vec::with_capacity(n * 3),
            scratch: Vec::new(),
        }
    }

    /// The `k`th data source. In: `k` below [`HeldAll::len`].
    fn get(&self, k: usize) -> Held<'_> {
        let e = &self.entries[k];
        let at = e.at as usize;
        Held {
            source: e.source,
            holders: &self.holders[at..at + e.len as usize],
            media: e.media,
            peers: e.peers,
        }
    }

    fn len(&self) -> usize {
        self.entries.len()
    }

    fn iter(&self) -> impl Iterator<Item = Held<'_>> + '_ {
        (0..self.len()).map(|k| self.get(k))
    }
}

/// The single points of failure of `t`.
///
/// In: a topology. Out: every server whose failure alone loses data or
/// leaves data without a copy, with what it takes. A host takes its guests
/// with it and a database server the DPM servers it holds the database
/// of (RULES.md: "Single points of failure include hosts and database
/// servers"); a DPM database copied to tape, Azure or a share is not lost
/// with its server; a replica set member's databases are on the others.
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
    let (copies, all, estate) = analyse(t, true);
    risk_of_analysis(&copies, &all, &estate)
}

/// The risk of `t` ([`risk`]) and the fixes ([`fixes`]) of its first
/// `fixes_for` single points (in name order), from one analysis of `t`:
/// what a view that shows the risk and a few fixes on every edit asks.
/// The same answers as `risk(t)` and `fixes` of a [`Risk`] holding those
/// points alone.
///
/// ```
/// let t = dpm_rules::presets::scenario_1();
/// let (r, f) = dpm_rules::risk_and_fixes(&t, 1);
/// assert!(!f.is_empty());
/// let head = dpm_rules::Risk {
///     single_points: r.single_points.iter().take(1).cloned().collect(),
///     under_two_copies: Vec::new(),
/// };
/// assert_eq!(r, dpm_rules::risk(&t));
/// assert_eq!(f, dpm_rules::fixes(&t, &head));
/// ```
pub fn risk_and_fixes(t: &Topology, fixes_for: usize) -> (Risk, Vec<Fix>) {
    let (copies, all, estate) = analyse(t, true);
    let r = risk_of_analysis(&copies, &all, &estate);
    let head = Risk {
        single_points: r.single_points.iter().take(fixes_for).cloned().collect(),
        under_two_copies: Vec::new(),
    };
    let f = fixes_of(t, &head, Some((copies, all, estate)));
    (r, f)
}

/// [`risk`] from `t`'s analysis (`copies`, `all`, `estate`: [`analyse`]).
fn risk_of_analysis(copies: &Copies, all: &HeldAll, estate: &Estate) -> Risk {
    let t = copies.places().topology();
    let OneFailure {
        mut loses,
        mut unprotects,
        under_two_copies,
    } = one_failure(all);

    // Hosts and database servers: what goes down or stops with them.
    let mut takes: HashMap<ServerId, Vec<AlsoDown>> = HashMap::default();
    for x in estate.special(t) {
        let gone = estate.gone_with(t, x);
        let mut at_stake = estate.at_stake(&gone).into_iter().map(|k| all.get(k));
        let (l, u) = lost_and_unprotected(copies, &mut at_stake, &gone);
        loses.remove(&x);
        unprotects.remove(&x);
        if !l.is_empty() {
            loses.insert(x, l);
        }
        if !u.is_empty() {
            unprotects.insert(x, u);
        }
        takes.insert(x, gone.also);
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
            takes: takes.remove(&server).unwrap_or_default(),
        })
        .collect();
    Risk {
        single_points,
        under_two_copies,
    }
}

/// The copies of `t`, every data source with what holds it, and its hosts
/// and database servers: what [`risk`] and the fixes' [`Removal`] start
/// from (one body for both, so the wasm holds it once). `in_order`: the
/// data sources in the inventory's order (servers by name), as `risk`
/// lists them; otherwise in the drawing's order, which is all the
/// fixes need (each answer they read is sorted where it is made) and
/// spares them sorting every server by name (a twentieth of their time at
/// 10,000 servers) and reading the servers' records out of order.
#[inline(never)]
fn analyse(t: &Topology, in_order: bool) -> (Copies<'_>, HeldAll, Estate<'_>) {
    let copies = Copies::new(t);
    // Most servers have one data source: room made once, not copied as it
    // grows.
    let mut all = HeldAll::with_capacity(t.servers.len() + t.servers.len() / 4);
    // (host, guest) and (database server, DPM server), each server's read
    // where its data sources are (a pass over 10,000 servers' records
    // each, else).
    let mut links = Links::default();
    if in_order {
        for id in t.sorted_ids() {
            held_of(&copies, id, &mut all);
        }
        t.servers.iter().for_each(|s| links.add(s));
    } else {
        for s in &t.servers {
            held_of(&copies, s.id, &mut all);
            links.add(s);
        }
    }
    let estate = Estate::new(copies.places(), links, &all);
    (copies, all, estate)
}

/// The servers' hosts and DPM servers' database servers, as pairs.
#[derive(Default)]
struct Links {
    /// (host, guest), a host hosting itself aside.
    guests: Vec<(ServerId, ServerId)>,
    /// (database server, DPM server), a database on its own DPM server
    /// aside.
    db_users: Vec<(ServerId, ServerId)>,
}

impl Links {
    fn add(&mut self, s: &Server) {
        if let Some(h) = s.host.filter(|&h| h != s.id) {
            self.guests.push((h, s.id));
        }
        if let Some(d) = s.database.filter(|&d| d != s.id && s.is_dpm()) {
            self.db_users.push((d, s.id));
        }
    }
}

/// The data sources of server `id`, with what holds each, onto `out`.
#[inline(never)]
fn held_of(copies: &Copies, id: ServerId, out: &mut HeldAll) {
    let mut sources = std::mem::take(&mut out.scratch);
    sources.clear();
    copies.sources_into(id, &mut sources);
    let peers = if sources.iter().all(|s| s.part == Part::Database) {
        0
    } else {
        u32::try_from(copies.peers(id).len()).unwrap_or(u32::MAX)
    };
    for &source in &sources {
        let at = out.holders.len();
        copies.holders_into(source, &mut out.holders);
        // Each once (a few: a protector, its secondaries), in place.
        let mut len = 0;
        for k in at..out.holders.len() {
            let x = out.holders[k];
            if !out.holders[at..at + len].contains(&x) {
                out.holders[at + len] = x;
                len += 1;
            }
        }
        out.holders.truncate(at + len);
        // Fewer than 2^32 holders: a data source's are distinct servers, so
        // they number at most the sources times the servers.
        debug_assert!(at + len <= u32::MAX as usize);
        out.entries.push(Entry {
            source,
            at: at as u32,
            len: len as u32,
            media: copies.media(source).len() as u8,
            peers: if source.part == Part::Database {
                0
            } else {
                peers
            },
        });
    }
    out.scratch = sources;
}

/// What one server's failure costs, the estate aside.
struct OneFailure {
    /// Per server, the data it alone would lose (its own, held nowhere).
    loses: HashMap<ServerId, Vec<DataSource>>,
    /// Per server, the data of which it holds the only copy.
    unprotects: HashMap<ServerId, Vec<DataSource>>,
    /// The data held in fewer than two places.
    under_two_copies: Vec<DataSource>,
}

/// In: every data source with what holds it. Out: what one failure costs,
/// hosts and database servers aside.
fn one_failure(all: &HeldAll) -> OneFailure {
    let mut loses: HashMap<ServerId, Vec<DataSource>> = HashMap::default();
    let mut unprotects: HashMap<ServerId, Vec<DataSource>> = HashMap::default();
    let mut under_two_copies = Vec::new();
    for h in all.iter() {
        // A protected server that nothing protects is the `unprotected`
        // finding already; it is still one failure from losing its data.
        if h.media == 0 && h.peers == 0 {
            match h.holders {
                [] => loses.entry(h.source.server).or_default().push(h.source),
                [only] => unprotects.entry(*only).or_default().push(h.source),
                _ => {}
            }
        }
        if h.holders.len() + usize::from(h.media) + (h.peers as usize) < 2 {
            under_two_copies.push(h.source);
        }
    }
    OneFailure {
        loses,
        unprotects,
        under_two_copies,
    }
}

/// Hosts and database servers, and the data sources by server and by
/// holder (positions in the analysis's list, [`HeldAll`]): what one failure takes with it,
/// and what it puts at stake.
struct Estate<'t> {
    guests: ByServer<'t, ServerId>,
    db_users: ByServer<'t, ServerId>,
    by_server: ByServer<'t, usize>,
    by_holder: ByServer<'t, usize>,
}

/// What goes with one failed server.
struct Gone {
    /// Down: the server and its guests, theirs, and so on, in the order
    /// found.
    failed: Vec<ServerId>,
    /// `failed`, as a set.
    seen: HashSet<ServerId>,
    /// The DPM servers up but stopped, their database being on a server
    /// down.
    stopped: HashSet<ServerId>,
    /// Why each is down or stopped, in natural name order.
    also: Vec<AlsoDown>,
}

impl<'t> Estate<'t> {
    fn new(places: &Places<'t>, links: Links, all: &HeldAll) -> Estate<'t> {
        let holdings = all
            .iter()
            .enumerate()
            .flat_map(|(k, h)| h.holders.iter().map(move |&x| (x, k)));
        let holdings = pairs(all.holders.len(), holdings);
        Estate {
            guests: ByServer::new(places, links.guests),
            db_users: ByServer::new(places, links.db_users),
            by_server: ByServer::new(
                places,
                all.iter()
                    .enumerate()
                    .map(|(k, h)| (h.source.server, k))
                    .collect(),
            ),
            by_holder: ByServer::new(places, holdings),
        }
    }

    /// Whether `x` is a host or a database server (one of [`Estate::special`]).
    fn is_special(&self, x: ServerId) -> bool {
        self.guests.has(x) || self.db_users.has(x)
    }

    /// The data sources (positions in the analysis's list) of `x` or held by it.
    fn mine(&self, x: ServerId) -> impl Iterator<Item = usize> + '_ {
        self.by_server
            .get(x)
            .iter()
            .chain(self.by_holder.get(x))
            .copied()
    }

    /// The hosts and database servers, by name: the servers whose failure
    /// takes others with it.
    fn special(&self, t: &Topology) -> Vec<ServerId> {
        let mut special: Vec<ServerId> = self.guests.keys().chain(self.db_users.keys()).collect();
        t.sort_by_name(&mut special);
        special.dedup();
        special
    }

    /// What goes down or stops with `x`.
    fn gone_with(&self, t: &Topology, x: ServerId) -> Gone {
        // Down with x: its guests, theirs, and so on.
        let mut failed: Vec<ServerId> = vec![x];
        let mut seen: HashSet<ServerId> = [x].into_iter().collect();
        let mut also: Vec<AlsoDown> = Vec::new();
        let mut k = 0;
        while k < failed.len() {
            let h = failed[k];
            k += 1;
            for &g in self.guests.get(h) {
                if seen.insert(g) {
                    failed.push(g);
                    also.push(AlsoDown {
                        server: g,
                        because_of: t.name(h).to_string(),
                        how: DownHow::Host,
                    });
                }
            }
        }
        let mut stopped: HashSet<ServerId> = HashSet::default();
        for &f in &failed {
            for &d in self.db_users.get(f) {
                if !seen.contains(&d) && stopped.insert(d) {
                    also.push(AlsoDown {
                        server: d,
                        because_of: t.name(f).to_string(),
                        how: DownHow::Database,
                    });
                }
            }
        }
        crate::sort::sort_by(&mut also, &|a, b| {
            crate::model::natural_cmp(t.name(a.server), t.name(b.server))
        });
        Gone {
            failed,
            seen,
            stopped,
            also,
        }
    }

    /// The data sources (positions in the analysis's list) of, or held by, a
    /// server down or stopped, in the list's order.
    fn at_stake(&self, gone: &Gone) -> Vec<usize> {
        let mut at_stake: Vec<usize> = gone
            .failed
            .iter()
            .chain(gone.stopped.iter())
            .flat_map(|id| {
                self.by_server
                    .get(*id)
                    .iter()
                    .chain(self.by_holder.get(*id))
                    .copied()
            })
            .collect();
        crate::sort::sort_indices(&mut at_stake, &|a, b| a.cmp(&b));
        at_stake.dedup();
        at_stake
    }
}

/// Of the data sources `at_stake` (each once), those that what is `gone`
/// loses (its own server down, no copy left) and those it leaves
/// unprotected (every copy down or stopped, or a stopped primary), each in
/// the inventory's order.
///
/// One body for `risk` and the fixes' [`Removal`] alike (a `dyn` iterator,
/// so the wasm holds it once).
fn lost_and_unprotected(
    copies: &Copies,
    at_stake: &mut dyn Iterator<Item = Held<'_>>,
    gone: &Gone,
) -> (Vec<DataSource>, Vec<DataSource>) {
    let t = copies.places().topology();
    let (seen, stopped) = (&gone.seen, &gone.stopped);
    let is_gone = |id: &ServerId| seen.contains(id) || stopped.contains(id);
    let (mut l, mut u) = (Vec::new(), Vec::new());
    for h in at_stake {
        if h.media > 0
            || (h.peers > 0
                && copies
                    .peers(h.source.server)
                    .iter()
                    .any(|p| !seen.contains(p)))
        {
            continue;
        }
        let primary_stopped = || {
            let direct = copies.direct(h.source);
            direct.iter().any(|d| stopped.contains(d)) && direct.iter().all(is_gone)
        };
        if seen.contains(&h.source.server) {
            if h.holders.iter().all(|x| seen.contains(x)) {
                l.push(h.source);
            } else if h.holders.iter().all(is_gone) {
                u.push(h.source);
            }
        } else if !h.holders.is_empty() && (h.holders.iter().all(is_gone) || primary_stopped()) {
            u.push(h.source);
        }
    }
    // In the inventory's order, as the rest.
    let order = |v: &mut Vec<DataSource>| {
        crate::sort::sort_by(v, &|a, b| {
            crate::model::natural_cmp(t.name(a.server), t.name(b.server))
                .then(a.server.cmp(&b.server))
                .then(a.part.cmp(&b.part))
        });
    };
    order(&mut l);
    order(&mut u);
    (l, u)
}

/// How many fixes to look for per single point: the first few that work
/// are what a person can choose from; more would only be longer lists.
const FIXES_PER_POINT: usize = 3;

/// A DPM server that may not have a protector: Azure Backup Server ("MABS
/// doesn't provide this functionality", *backup-support-matrix-mabs-dpm*)
/// and DPM on a domain controller ("DPM on a domain controller can only
/// protect local data sources", *dpm-support-issues*).
fn may_not_be_protected(t: &Topology, id: ServerId) -> bool {
    t.server(id)
        .is_some_and(|s| s.is_dpm() && (s.is_mabs() || s.is_domain_controller()))
}

/// The media offered to a DPM server that may not have a protector:
/// Azure for Azure Backup Server ("Unlike DPM, MABS doesn't support tape
/// backups"), tape, Azure or a share for DPM on a domain controller.
fn media_for(t: &Topology, id: ServerId) -> Vec<BackupMedium> {
    if t.server(id).is_some_and(|s| s.is_mabs()) {
        vec![BackupMedium::Azure]
    } else {
        vec![BackupMedium::Tape, BackupMedium::Azure, BackupMedium::Share]
    }
}

/// For each single point of `r`, up to three fixes, each of which removes
/// it without an error finding (the pre-check decides for a protection; a
/// fact adds none), fewest protections first: a protection to add,
/// or, for a DPM server that may not have a protector (Azure Backup Server,
/// a domain controller), a `database_backup` to set instead. Each fix says
/// what it costs ([`Fix::brings`]), and fixes that bring no warning are
/// found first. A single point with no fix is left out; [`why_no_fix`]
/// says why.
///
/// Linear in the topology's size for a given number of single points: the
/// topology is indexed and its copies analysed once, and each candidate
/// protection is judged by what it changes (the copies of its target and
/// of what its target protects), not by analysing the whole topology again.
/// The DPM servers that only their names tell apart are judged once for a
/// point and a target (why, at `fixes_with`): a point that no protection fixes
/// costs a judgement per target, not one per DPM server. A point that one
/// fixes costs a pre-check per DPM server tried until three fixes are
/// found: all of them only where the pre-check refuses most, each for its
/// own reasons (their versions, say).
pub fn fixes(t: &Topology, r: &Risk) -> Vec<Fix> {
    fixes_of(t, r, None)
}

/// [`fixes`], from `t`'s analysis when it is made already ([`analyse`]).
fn fixes_of<'t>(
    t: &'t Topology,
    r: &Risk,
    analysis: Option<(Copies<'t>, HeldAll, Estate<'t>)>,
) -> Vec<Fix> {
    if r.single_points.is_empty() {
        return Vec::new();
    }
    let analysis = analysis.unwrap_or_else(|| analyse(t, false));
    // The servers' places (one pass over their records) shared by every
    // index the fixes make.
    let places = analysis.0.places().clone();
    let mut removal = Removal::of(analysis);
    fixes_with(&places, r, true, &mut |server, p| {
        removal.removes(t, server, p)
    })
}

/// [`fixes`] by its definition: each candidate protection is added to a
/// copy of the topology and the whole of it analysed again, every DPM
/// server judged on its own (no protectors judged alike, [`fixes_with`]).
/// Quadratic and worse; for the tests that hold [`fixes`] to it.
#[doc(hidden)]
pub fn fixes_by_definition(t: &Topology, r: &Risk) -> Vec<Fix> {
    fixes_with(&Places::new(t), r, false, &mut |server, p| {
        removes(t, server, p)
    })
}

/// For each server of `servers` and each protection of `candidates`,
/// whether adding that protection alone leaves the server no single point
/// of failure, as [`fixes`] answers it (one analysis of `t`, each candidate
/// judged by what it changes), in the order given, servers first. For the
/// tests that hold it to the definition ([`removes_by_definition`]).
#[doc(hidden)]
pub fn removes_each(t: &Topology, servers: &[ServerId], candidates: &[Protection]) -> Vec<bool> {
    let mut removal = Removal::new(t);
    servers
        .iter()
        .flat_map(|&x| candidates.iter().map(move |&p| (x, p)))
        .map(|(x, p)| removal.removes(t, x, p))
        .collect()
}

/// Whether adding `p` to `t` leaves `server` no single point of failure:
/// the topology copied, `p` added, and its risk found again.
#[doc(hidden)]
pub fn removes_by_definition(t: &Topology, server: ServerId, p: Protection) -> bool {
    removes(t, server, p)
}

/// The fixes, with `removes(server, p)` saying whether adding `p` leaves
/// `server` no single point. `grouped`: the protectors alike for a point
/// and a target judged once, not one by one.
///
/// **Protectors alike.** For a single point `x` and a target `T`, every
/// DPM server `S` (its id a DPM server's in the drawing) that is not down
/// or stopped with `x` (`x` itself, or what goes with a host or a
/// database server: [`SinglePoint::takes`]) and that `T` does not protect
/// gives the same answer to "does adding `S -> T` leave `x` no single
/// point". `S` becomes a direct protector and holder of each of `T`'s
/// data sources (of a scale-out `T`, of the one part of its data that
/// `S` takes, whatever `S` is), and a holder of the data of the servers
/// `T` protects where it reaches a secondary ([`Copies::holders`]):
/// where it does so depends on `T` and the data, not on `S`. A judgement
/// asks only whether a copy is held by a server up, or by one other than
/// `x`, and whether a data source's direct protectors are all down or
/// stopped: `S` is up and is not `x`, so it answers all three the same
/// whoever it is. `S`'s own protectors join it as holders and can only
/// add copies. So one of them is judged for all.
///
/// When that one does not remove the point, no protection of `T` does,
/// and none is pre-checked. Any other DPM server adds itself to the same
/// data sources, or to fewer (one that `T` protects is no holder of its
/// own data), and is `x` or down or stopped with it: a holder and a
/// direct protector that do not count. Its own protectors, which may be
/// up, join the same data sources as holders, where the one judged
/// already made a holder up, and is none of `x`. An id that is not a DPM
/// server's (two servers given one id, which only the API can do) adds
/// nothing, and is judged on its own. Before this, where no single
/// protection fixed a point, the fix finder pre-checked and judged every
/// DPM server for it: quadratic in an estate of primaries without
/// secondaries (1.9 s at 8,000 servers). The property tests hold the
/// grouped fixes to [`fixes_by_definition`], which judges each
/// (`fast_fixes_match_the_definition_on_any_drawing`).
fn fixes_with(
    places: &Places,
    r: &Risk,
    grouped: bool,
    removes: &mut dyn FnMut(ServerId, Protection) -> bool,
) -> Vec<Fix> {
    let t = places.topology();
    let checker = Checker::with_places(places.clone());
    let drawn = Drawn::new(places);
    let mut dpm = places.dpm_ids();
    t.sort_by_name(&mut dpm);
    let mut out = Found::default();
    for point in &r.single_points {
        let mut found = 0;
        // Fixes that bring a warning wait until those that bring none are
        // tried: a person should first see the fixes that cost nothing.
        // (and whether it is known to remove the point)
        let mut costly: Vec<(Protection, Vec<Finding>, bool)> = Vec::new();
        let drawn_of = |id| (drawn.dpm_protectors.get(id), drawn.switched.has(id));
        let mut down: Vec<ServerId> = point.takes.iter().map(|a| a.server).collect();
        down.push(point.server);
        crate::sort::sort_by(&mut down, &|a, b| a.cmp(b));
        for target in fix_targets(point, &drawn_of) {
            if may_not_be_protected(t, target) {
                continue;
            }
            if found == FIXES_PER_POINT {
                break;
            }
            let open = |by: ServerId| by != target && !drawn.protects(by, target);
            let alike = |by: ServerId| {
                places.is_dpm(by) && down.binary_search(&by).is_err() && !drawn.protects(target, by)
            };
            // Whether a protection of `target` by the protectors alike
            // removes the point, judged by the first of them. When it does
            // not, no protection of `target` does: the others add holders
            // down with the point, or fewer ([`fixes_with`]).
            let class = grouped
                .then(|| dpm.iter().find(|&&by| open(by) && alike(by)))
                .flatten()
                .map(|&by| removes(point.server, Protection::new(by, target)));
            if class == Some(false) {
                continue;
            }
            for &by in &dpm {
                if found == FIXES_PER_POINT {
                    break;
                }
                if !open(by) {
                    continue;
                }
                let p = Protection::new(by, target);
                let Some(brings) = cost(&checker, p) else {
                    continue;
                };
                let known = class == Some(true) && alike(by);
                if !brings.is_empty() {
                    costly.push((p, brings, known));
                } else if known || removes(point.server, p) {
                    found += 1;
                    out.add(p, brings, point.server);
                }
            }
        }
        for (p, brings, known) in costly {
            if found == FIXES_PER_POINT {
                break;
            }
            if known || removes(point.server, p) {
                found += 1;
                out.add(p, brings, point.server);
            }
        }
        database_fixes(t, point, found, &mut out);
    }
    out.fixes
}

/// A database backup instead of a protection, for the databases `point`
/// would lose or leave unprotected of DPM servers that may not have a
/// protector, while the point has fewer than three fixes (`found` so far).
fn database_fixes(t: &Topology, point: &SinglePoint, mut found: usize, out: &mut Found) {
    let mut dbs: Vec<DataSource> = point
        .loses
        .iter()
        .chain(&point.unprotects)
        .copied()
        .filter(|d| d.part == Part::Database && may_not_be_protected(t, d.server))
        .collect();
    dbs.dedup();
    for d in dbs {
        for medium in media_for(t, d.server) {
            if found == FIXES_PER_POINT {
                break;
            }
            let change = FactChange::DatabaseBackup {
                server: d.server,
                medium,
            };
            // No clone, check or risk per server (thousands of Azure
            // Backup Servers): setting `database_backup` cannot add an
            // error finding (no rule makes it one), and an off-server
            // medium (all `media_for` offers) holds the database, so it
            // is no longer lost.
            if t.server(d.server)
                .and_then(|s| s.database_backup.as_ref())
                .is_some_and(|l| l.contains(&medium))
            {
                continue;
            }
            found += 1;
            // An off-server database copy only takes findings away
            // (`single-copy-dpm`): it brings nothing.
            out.set(change, point.server);
        }
    }
}

/// The protections by a DPM server of another server, in drawing order:
/// those that hold copies (as [`Copies`] reads them).
fn dpm_protections<'a>(places: &'a Places) -> impl Iterator<Item = &'a Protection> + 'a {
    places
        .topology()
        .protections
        .iter()
        .filter(|p| p.protector != p.target && places.is_dpm(p.protector))
}

/// The servers each DPM server protects, itself aside, in drawing order.
fn dpm_targets<'t>(places: &Places<'t>) -> ByServer<'t, ServerId> {
    ByServer::new(
        places,
        pairs(
            places.topology().protections.len(),
            dpm_protections(places).map(|p| (p.protector, p.target)),
        ),
    )
}

/// The protections of a topology, indexed once for the fixes by the
/// server they protect (no hash map of vectors: at 10,000 servers making
/// and freeing one took a tenth of the fixes' time).
struct Drawn<'t> {
    /// The DPM servers protecting each server, itself aside, in drawing
    /// order.
    dpm_protectors: ByServer<'t, ServerId>,
    /// The servers with a switched protection (one entry per such
    /// protection).
    switched: ByServer<'t, ()>,
}

impl<'t> Drawn<'t> {
    fn new(places: &Places<'t>) -> Drawn<'t> {
        let t = places.topology();
        let dpm_protectors = ByServer::new(
            places,
            pairs(
                t.protections.len(),
                dpm_protections(places).map(|p| (p.target, p.protector)),
            ),
        );
        let switched = ByServer::new(
            places,
            t.protections
                .iter()
                .filter(|p| p.switched)
                .map(|p| (p.target, ()))
                .collect(),
        );
        Drawn {
            dpm_protectors,
            switched,
        }
    }

    /// Whether DPM server `by` protects `target`, another server, already.
    fn protects(&self, by: ServerId, target: ServerId) -> bool {
        self.dpm_protectors.get(target).contains(&by)
    }
}

/// One analysis of a topology (its copies, every data source with what
/// holds it, its hosts and database servers) that says for any protection
/// to add whether a single point stays one, from what that protection
/// changes alone.
///
/// Adding `by -> target` (by a DPM server) changes who holds copies only
/// for the data of `target` (its protectors; a scale-out server's sources)
/// and of the servers `target` protects (`by` becomes their secondary): a
/// server's holders are its DPM protectors and theirs. Hosts, database
/// servers, replica sets and media do not change. So a server's entry
/// after it is its entry now with those few data sources analysed again.
struct Removal<'t> {
    copies: Copies<'t>,
    all: HeldAll,
    estate: Estate<'t>,
    /// The servers each DPM server protects, itself aside: whose holders
    /// a new protector of it changes.
    protects: ByServer<'t, ServerId>,
}

impl<'t> Removal<'t> {
    fn new(t: &'t Topology) -> Removal<'t> {
        Removal::of(analyse(t, false))
    }

    /// From a drawing's analysis ([`analyse`]).
    fn of((copies, all, estate): (Copies<'t>, HeldAll, Estate<'t>)) -> Removal<'t> {
        let protects = dpm_targets(copies.places());
        Removal {
            copies,
            all,
            estate,
            protects,
        }
    }

    /// Whether adding `p` leaves `x` no single point of failure: what
    /// [`removes`] answers, without copying or analysing `t` again.
    fn removes(&mut self, t: &Topology, x: ServerId, p: Protection) -> bool {
        // The servers whose data sources `p` changes, and those analysed
        // again with `p` drawn.
        let mut changed: Vec<ServerId> = Vec::new();
        if p.protector != p.target && self.copies.places().is_dpm(p.protector) {
            changed.push(p.target);
            changed.extend(self.protects.get(p.target));
            crate::sort::sort_by(&mut changed, &|a, b| a.cmp(b));
            changed.dedup();
        }
        // Judged with `p` drawn: the data sources analysed again ask the
        // copies for their direct protectors as `p` makes them. The
        // entries kept from before cannot see it: they ask the copies only
        // for the direct protectors and replica set of their own server,
        // and `p` changes those of `p.target` alone (`Copies::set_extra`),
        // whose data sources are all analysed again (`p.target` is in
        // `changed` whenever `p` is taken: the same test).
        self.copies.set_extra(Some(p));
        let removed = self.removed_with_extra(t, x, &changed);
        self.copies.set_extra(None);
        removed
    }

    /// [`Removal::removes`] once the copies answer with the protection
    /// drawn: `changed`, the servers whose data sources it changes
    /// (sorted).
    fn removed_with_extra(&self, t: &Topology, x: ServerId, changed: &[ServerId]) -> bool {
        let mut fresh = HeldAll::default();
        for &id in changed {
            held_of(&self.copies, id, &mut fresh);
        }
        let unchanged = |h: &Held| changed.binary_search(&h.source.server).is_err();
        let (estate, all) = (&self.estate, &self.all);
        if estate.is_special(x) {
            // As `risk` judges a host or a database server: by what goes
            // down or stops with it.
            let gone = estate.gone_with(t, x);
            let is_gone = |id: &ServerId| gone.seen.contains(id) || gone.stopped.contains(id);
            let before = estate.at_stake(&gone).into_iter().map(|k| all.get(k));
            let now = fresh
                .iter()
                .filter(|h| is_gone(&h.source.server) || h.holders.iter().any(is_gone));
            let mut at_stake = before.filter(unchanged).chain(now);
            let (l, u) = lost_and_unprotected(&self.copies, &mut at_stake, &gone);
            return l.is_empty() && u.is_empty();
        }
        // As `one_failure` judges any other server: its own data held
        // nowhere, or data of which it holds the only copy.
        let before = estate.mine(x).map(|k| all.get(k)).filter(unchanged);
        let now = fresh
            .iter()
            .filter(|h| h.source.server == x || h.holders.contains(&x));
        let stays = before.chain(now).any(|h| {
            h.media == 0
                && h.peers == 0
                && ((h.source.server == x && h.holders.is_empty()) || h.holders == [x])
        });
        !stays
    }
}

/// Why a single point has no fix among single protections.
pub fn why_no_fix(t: &Topology, point: &SinglePoint) -> String {
    let name = t.name(point.server);
    // The protections of the data's servers only, read in one pass: the
    // Risk view asks this of a dozen single points at 10,000 servers.
    let owners: HashSet<ServerId> = point
        .loses
        .iter()
        .chain(&point.unprotects)
        .map(|d| d.server)
        .collect();
    // Each owner's DPM protectors (itself aside), and whether a
    // protection of it is switched.
    let mut drawn: HashMap<ServerId, (Vec<ServerId>, bool)> = HashMap::default();
    for p in t.protections.iter().filter(|p| owners.contains(&p.target)) {
        let (by, switched) = drawn.entry(p.target).or_default();
        if p.protector != p.target && t.server(p.protector).is_some_and(|s| s.is_dpm()) {
            by.push(p.protector);
        }
        *switched |= p.switched;
    }
    let drawn_of = |id: ServerId| {
        drawn
            .get(&id)
            .map_or((&[][..], false), |(by, sw)| (&by[..], *sw))
    };
    let switched: Vec<&str> = point
        .loses
        .iter()
        .chain(&point.unprotects)
        .filter(|d| drawn_of(d.server).1)
        .map(|d| t.name(d.server))
        .collect();
    if !switched.is_empty() {
        return format!(
            "{} {} in switched protection on {name}: DPM allows no secondary copy of it. Protect it normally again (a primary with a secondary) to have two copies.",
            crate::rules::and_list(&switched),
            if switched.len() == 1 { "is" } else { "are" }
        );
    }
    let stops: Vec<String> = point
        .takes
        .iter()
        .filter(|a| a.how == DownHow::Database)
        .map(|a| t.name(a.server).to_string())
        .collect();
    if !stops.is_empty() {
        return format!(
            "{name} holds the DPM database of {}: when it fails, {} stop{}, and what {} protect{} waits for a backup until the database is back (restore-database). Keep the database where one failure does not take it (on the DPM server itself, or a clustered SQL Server, which DPM supports), or add a DPM server to hold another copy.",
            crate::rules::and_list(&stops),
            crate::rules::and_list(&stops),
            if stops.len() == 1 { "s" } else { "" },
            if stops.len() == 1 { "it" } else { "they" },
            if stops.len() == 1 { "s" } else { "" },
        );
    }
    let vms: Vec<String> = point
        .loses
        .iter()
        .chain(&point.unprotects)
        .filter(|d| {
            matches!(d.part, Part::ScaleOut(_))
                && t.server(d.server)
                    .is_some_and(|s| !crate::inventory::scale_out_reaches_secondary(s))
        })
        .map(|d| d.label(t))
        .collect();
    if !vms.is_empty() {
        return format!(
            "{} cannot have a second copy: \"When protecting a Hyper-V cluster using scaled-out DPM protection, you can't add secondary protection for the protected Hyper-V workloads\" (and \"DPM can't protect VMware VMs to a secondary DPM server\"). Back them up to tape or Azure from {name}, or protect fewer VMs per DPM server.",
            crate::rules::and_list(&vms)
        );
    }
    if let Some(why) = primary_only_reason(t, point, &drawn_of) {
        return why;
    }
    if fix_targets(point, &drawn_of).is_empty() {
        return format!(
            "Nothing can hold another copy of what {name} would take with it: the data's own protector is not a DPM server."
        );
    }
    format!(
        "No DPM server here can add another copy of what {name} would take with it without breaking a rule (a second protector, a chain shortcut, a version or Azure Backup Server mismatch, or only cyclic protection of two, which leaves each server the other's only copy): add a DPM server to hold it."
    )
}

/// What adding `p` costs: the warnings it adds, or `None` when it adds an
/// error (DPM does not support it). A warning is allowed: the top of every
/// chain keeps its database in one place unless DPM servers protect each
/// other in a cycle of three or more, which is supported but not
/// documented, the `long-cycle` warning. The pre-check gives exactly what
/// adding `p` and checking again would add (a property test holds it so).
fn cost(checker: &Checker, p: Protection) -> Option<Vec<Finding>> {
    let mut added = checker.precheck(p);
    if added.iter().any(|f| f.severity() == Severity::Error) {
        return None;
    }
    added.retain(|f| f.severity() == Severity::Warning);
    Some(added)
}

/// Whether adding `p` leaves `server` no single point of failure.
fn removes(t: &Topology, server: ServerId, p: Protection) -> bool {
    let mut after = t.clone();
    after.protections.push(p);
    risk_of(&after, server).is_none()
}

/// The fixes found so far, in the order found, with where each one-change
/// fix is: a fix another single point also has is that fix, with the
/// point added to what it removes. (Found by a scan of every fix so far,
/// merging was quadratic in the fixes found: an estate with thousands of
/// single points sharing fixes paid for it.)
#[derive(Default)]
struct Found {
    fixes: Vec<Fix>,
    by_add: HashMap<Protection, usize>,
    by_set: HashMap<FactChange, usize>,
}

impl Found {
    /// The fix "add `p`" (bringing `brings`) for `server`, or, if another
    /// single point has it already, `server` noted as removed by it too.
    fn add(&mut self, p: Protection, brings: Vec<Finding>, server: ServerId) {
        match self.by_add.get(&p) {
            Some(&i) => self.fixes[i].removes.push(server),
            None => {
                self.by_add.insert(p, self.fixes.len());
                self.fixes.push(Fix {
                    add: vec![p],
                    set: Vec::new(),
                    removes: vec![server],
                    brings,
                });
            }
        }
    }

    /// The fix "set `change`" (bringing nothing) for `server`, or `server`
    /// noted as removed by it if it is there already.
    fn set(&mut self, change: FactChange, server: ServerId) {
        match self.by_set.get(&change) {
            Some(&i) => self.fixes[i].removes.push(server),
            None => {
                self.by_set.insert(change, self.fixes.len());
                self.fixes.push(Fix {
                    add: Vec::new(),
                    set: vec![change],
                    removes: vec![server],
                    brings: Vec::new(),
                });
            }
        }
    }
}

/// Why `point` has no fix when VMware VMs or deduplicated volumes that a
/// DPM server protects are among what it takes: they stay with it (no
/// secondary holds them, and a second protector is an error). `None`
/// when there are none; unprotected, a DPM server protecting them is a
/// fix. In: `drawn(owner)` as for [`fix_targets`].
fn primary_only_reason<'d>(
    t: &Topology,
    point: &SinglePoint,
    drawn: &dyn Fn(ServerId) -> (&'d [ServerId], bool),
) -> Option<String> {
    let mut kinds: Vec<Workload> = Vec::new();
    let primary_only: Vec<String> = point
        .loses
        .iter()
        .chain(&point.unprotects)
        .filter_map(|d| match (d.part, drawn(d.server).0) {
            (Part::PrimaryOnly(w), by) if !by.is_empty() => {
                kinds.push(w);
                let mut on: Vec<&str> = Vec::new();
                for &p in by {
                    if !on.contains(&t.name(p)) {
                        on.push(t.name(p));
                    }
                }
                Some(format!(
                    "{}'s {} on {}",
                    t.name(d.server),
                    w.phrase(),
                    crate::rules::and_list(&on)
                ))
            }
            _ => None,
        })
        .collect();
    if primary_only.is_empty() {
        return None;
    }
    let mut quotes: Vec<&str> = Vec::new();
    if kinds.contains(&Workload::Vmware) {
        quotes.push(
            "\"DPM can't protect VMware VMs to a secondary DPM server\" (Back up VMware VMs with DPM)",
        );
    }
    if kinds.contains(&Workload::DedupVolume) {
        quotes.push("\"after a dedup file system is protected by a primary DPM server, it can't be protected to a secondary DPM server\" (What's supported and what isn't for DPM)");
    }
    Some(format!(
        "{} have no other copy and can have none: {}; and a second DPM server may not protect the same data. Back them up to tape or Azure from the DPM server that holds them.",
        crate::rules::and_list(&primary_only),
        quotes.join(", and "),
    ))
}

/// The servers a new protector would have to protect for the data at stake
/// to gain a copy: the data's own server when nothing protects it, else its
/// protector (whose protector then holds the data too, as a secondary does).
/// In: `drawn(owner)`, the DPM servers protecting a data source's server
/// (itself aside) in drawing order, and whether a protection of it is
/// switched.
fn fix_targets<'d>(
    point: &SinglePoint,
    drawn: &dyn Fn(ServerId) -> (&'d [ServerId], bool),
) -> Vec<ServerId> {
    let mut out: Vec<ServerId> = Vec::new();
    for source in point.loses.iter().chain(&point.unprotects) {
        let owner = source.server;
        let (protectors, switched) = drawn(owner);
        if protectors.is_empty() {
            out.push(owner);
        } else if !switched && !matches!(source.part, Part::PrimaryOnly(_)) {
            out.extend(protectors);
        }
    }
    let mut seen = HashSet::default();
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
    use crate::model::Kind;
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

    /// Primaries without a secondary, one server of each with a dedup
    /// volume (it stays with its primary): no single protection fixes a
    /// primary, and the fix finder judges the DPM servers alike once for
    /// each, not one by one; the answers are the definition's. And an id
    /// given to two servers, a DPM server and a protected one (only the
    /// API makes one), is no DPM server to judge the others by: the fixes
    /// by the other DPM servers are still found. Why the primaries have
    /// no fix is the dedup volume, not a rule broken.
    #[test]
    fn protectors_alike_are_judged_once_and_only_dpm_servers_are_alike() {
        use crate::model::Workload;
        let mut t = Topology::new();
        for k in 1..=4 {
            let p = t.add_server(format!("DS{k}"), Kind::Dpm);
            for j in 0..3 {
                let id = t.add_server(format!("PS{k}{j}"), Kind::Protected);
                if j == 0 {
                    t.server_mut(id).unwrap().workloads =
                        Some(vec![Workload::Files, Workload::DedupVolume]);
                }
                t.protections.push(Protection::new(p, id));
            }
        }
        let r = risk(&t);
        assert_eq!(r.single_points.len(), 4);
        assert!(fixes(&t, &r).is_empty());
        assert_eq!(fixes(&t, &r), fixes_by_definition(&t, &r));
        // Why: the dedup volume, not a rule broken (a tryout's find).
        let why = why_no_fix(&t, &r.single_points[0]);
        assert!(
            why.starts_with("PS10's deduplicated volumes on DS1 have no other copy and can have none: \"after a dedup"),
            "{why}"
        );
        // DS5 made DS1's secondary holds the rest of DS1's copies, not
        // the dedup volume: DS1 is still a single point, for that reason.
        let ds5 = t.add_server("DS5", Kind::Dpm);
        t.protections
            .push(Protection::new(ds5, t.find("DS1").unwrap()));
        let r = risk(&t);
        let ds1 = r
            .single_points
            .iter()
            .find(|p| t.name(p.server) == "DS1")
            .unwrap();
        let why = why_no_fix(&t, ds1);
        assert!(
            why.starts_with("PS10's deduplicated volumes on DS1 have no other copy"),
            "{why}"
        );

        let mut t = Topology::new();
        let ds1 = t.add_server("DS1", Kind::Dpm);
        let ps1 = t.add_server("PS1", Kind::Protected);
        let aaa = t.add_server("AAA", Kind::Protected);
        t.add_server("DS2", Kind::Dpm);
        t.servers.last_mut().unwrap().id = aaa;
        t.add_server("DS3", Kind::Dpm);
        t.protections.push(Protection::new(ds1, ps1));
        let r = risk(&t);
        let f = fixes(&t, &r);
        assert_eq!(f, fixes_by_definition(&t, &r));
        assert!(f.len() > 2, "{:?}", adds_and_brings(&t, &f));
    }

    /// `why_no_fix` reads each owner's DPM protectors (a protection by a
    /// protected server, which a file can hold, is none) and whether any
    /// protection of it is switched (not only its last).
    #[test]
    fn why_no_fix_reads_dpm_protectors_and_any_switched_protection() {
        use crate::model::Workload;
        // A dedup volume stays with its primary; PS2, a protected server,
        // holds no copy of it: PS1 loses it and, no DPM server drawn, has
        // no fix, though a DPM server protecting PS1 would give one.
        let mut t = Topology::new();
        let ps1 = t.add_server("PS1", Kind::Protected);
        let ps2 = t.add_server("PS2", Kind::Protected);
        t.server_mut(ps1).unwrap().workloads = Some(vec![Workload::DedupVolume]);
        t.protections.push(Protection::new(ps2, ps1));
        let r = risk(&t);
        let point = r.single_points.iter().find(|p| p.server == ps1).unwrap();
        assert!(
            why_no_fix(&t, point).starts_with("No DPM server here"),
            "{}",
            why_no_fix(&t, point)
        );
        // DS1 protects PS1 switched, then PS2 protects it: DS1's copy is
        // PS1's only one, and switched.
        let mut t = Topology::new();
        let ds1 = t.add_server("DS1", Kind::Dpm);
        let ps1 = t.add_server("PS1", Kind::Protected);
        let ps2 = t.add_server("PS2", Kind::Protected);
        t.protections.push(Protection {
            switched: true,
            ..Protection::new(ds1, ps1)
        });
        t.protections.push(Protection::new(ps2, ps1));
        let r = risk(&t);
        let point = r.single_points.iter().find(|p| p.server == ds1).unwrap();
        assert!(
            why_no_fix(&t, point).starts_with("PS1 is in switched protection on DS1"),
            "{}",
            why_no_fix(&t, point)
        );
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

    fn adds_and_brings(t: &Topology, f: &[Fix]) -> Vec<String> {
        f.iter()
            .map(|f| {
                let brings: Vec<&str> = f.brings.iter().map(|b| b.rule.id()).collect();
                format!(
                    "{}->{} [{}]",
                    t.name(f.add[0].protector),
                    t.name(f.add[0].target),
                    brings.join(" ")
                )
            })
            .collect()
    }

    #[test]
    fn a_fix_that_closes_a_cycle_of_three_brings_long_cycle() {
        let t = presets::scenario_1();
        let f = fixes(&t, &risk(&t));
        assert_eq!(
            adds_and_brings(&t, &f),
            ["DS1->DS4 [long-cycle]", "DS2->DS4 [long-cycle]"]
        );
        // What it brings is what checking the drawing with it made adds.
        for fix in &f {
            let now = crate::check::check(&t);
            let added: Vec<Finding> = crate::check::check(&fix.apply(&t))
                .into_iter()
                .filter(|x| x.severity() == Severity::Warning && !now.contains(x))
                .collect();
            assert_eq!(fix.brings, added);
        }
        assert!(f[1].brings[0].message.contains("cycle of 3 servers"));
    }

    #[test]
    fn a_fix_that_brings_nothing_says_so_and_comes_first() {
        // DS1 -> PS1, DS2 -> PS2: each DPM server is the other's fix.
        let mut t = Topology::new();
        let d1 = t.add_server("DS1", Kind::Dpm);
        let d2 = t.add_server("DS2", Kind::Dpm);
        let p1 = t.add_server("PS1", Kind::Protected);
        let p2 = t.add_server("PS2", Kind::Protected);
        t.connect(Protection::new(d1, p1));
        t.connect(Protection::new(d2, p2));
        let f = fixes(&t, &risk(&t));
        assert_eq!(adds_and_brings(&t, &f), ["DS2->DS1 []", "DS1->DS2 []"]);

        // Scenario 1 with a DPM server of its own, DS9: DS9 -> DS4 closes
        // no cycle, so it is offered before the two that do, though its
        // name comes last.
        let mut t = presets::scenario_1();
        t.add_server("DS9", Kind::Dpm);
        let f = fixes(&t, &risk(&t));
        let ds4: Vec<Fix> = f
            .into_iter()
            .filter(|f| f.removes.contains(&t.find("DS4").unwrap()))
            .collect();
        assert_eq!(
            adds_and_brings(&t, &ds4),
            [
                "DS9->DS4 []",
                "DS1->DS4 [long-cycle]",
                "DS2->DS4 [long-cycle]"
            ]
        );
    }

    #[test]
    fn a_database_backup_for_azure_backup_server_adds_no_error() {
        let mut t = Topology::new();
        let m = t.add_server("MABS1", Kind::Dpm);
        t.server_mut(m).unwrap().mabs = Some(true);
        let ps = t.add_server("PS1", Kind::Protected);
        t.connect(Protection::new(m, ps));
        let errors = |t: &Topology| {
            crate::check::check(t)
                .iter()
                .filter(|f| f.severity() == Severity::Error)
                .count()
        };
        let f = fixes(&t, &risk(&t));
        let set: Vec<&Fix> = f.iter().filter(|f| !f.set.is_empty()).collect();
        assert!(!set.is_empty(), "{f:?}");
        for fix in set {
            assert_eq!(fix.brings, []);
            let after = fix.apply(&t);
            // An off-server copy only takes `single-copy-dpm` away.
            let now = crate::check::check(&t);
            assert!(crate::check::check(&after).iter().all(|f| now.contains(f)));
            assert!(errors(&after) <= errors(&t));
            assert!(risk_of(&after, m).is_none_or(|p| !p
                .loses
                .iter()
                .any(|d| d.server == m && d.part == Part::Database)));
        }
    }
}
