//! The copy inventory: which DPM servers hold a copy of which data.
//!
//! A secondary copies "all replicas on the primary DPM server that the
//! primary DPM server directly protects", plus the primary's databases and
//! volumes. Copies do not cascade further, switched protection has no
//! secondary, VMware VMs and deduplicated volumes never reach a secondary,
//! and a server never counts a copy of its own data as a holding.
//!
//! Real estates (RULES.md, "Copy inventory and failover"): a `scale_out`
//! server's VMs are one data source per protector, reaching that
//! protector's secondary only for workloads other than Hyper-V and VMware;
//! a DPM database kept on another server (`database`) is held by that
//! server too, and by its off-server `database_backup` media
//! ([`Holding::media`]); members of one `replica_set` hold the same
//! databases ([`Copies::peers`]).

use crate::by_server::{pairs, ByServer, Places};

use crate::model::{fold_case, BackupMedium, Kind, ServerId, Topology, Workload};

/// Which of a server's data a [`DataSource`] is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Part {
    /// A protected server's data (all its workloads that reach a secondary).
    Data,
    /// A DPM server's database and volumes.
    Database,
    /// A protected server's workload that stays with its primary.
    PrimaryOnly(Workload),
    /// The virtual machines of a `scale_out` server (a Hyper-V cluster or a
    /// VMware estate) that one DPM server, the one carried, backs up: each
    /// VM is backed up by one of the DPM servers ("only one DPM server can
    /// protect a VM or folder at any given time", *back-up-vmware*).
    ScaleOut(ServerId),
}

/// Data that DPM protects, named by its server first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DataSource {
    pub server: ServerId,
    pub part: Part,
}

impl DataSource {
    /// "PS1", "DS1 database", "PS1 vmware", "HVCLU1 (VMs on DPM1)".
    pub fn label(&self, t: &Topology) -> String {
        let name = t.name(self.server);
        match self.part {
            Part::Data => name.to_string(),
            Part::Database => format!("{name} database"),
            Part::PrimaryOnly(w) => format!("{name} {}", w.as_str()),
            Part::ScaleOut(p) => format!("{name} (VMs on {})", t.name(p)),
        }
    }
}

/// A data source and what holds a copy of it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Holding {
    pub source: DataSource,
    /// The servers holding a copy, in natural name order: DPM servers, and
    /// for a DPM database on another server, that server.
    pub holders: Vec<ServerId>,
    /// Copies that are not on a server of the drawing: a DPM database's
    /// off-server `database_backup` media (tape, Azure, a share), in
    /// [`BackupMedium::ALL`] order. Empty for every other data source.
    pub media: Vec<BackupMedium>,
}

/// The data sources of a server: a DPM server's database; a protected
/// server's data, plus one source per workload that stays with its primary;
/// a `scale_out` server with DPM protectors, one source per protector
/// ([`Part::ScaleOut`]) instead.
pub fn sources_of(t: &Topology, id: ServerId) -> Vec<DataSource> {
    let mut out = Vec::new();
    sources_into(t, id, &mut out);
    out
}

/// [`sources_of`], onto `out` (a list used again for every server: at
/// 10,000 servers, the risk analysis allocated one for each).
fn sources_into(t: &Topology, id: ServerId, out: &mut Vec<DataSource>) {
    let Some(s) = t.server(id) else {
        return;
    };
    match s.kind {
        Kind::Dpm => out.push(DataSource {
            server: id,
            part: Part::Database,
        }),
        Kind::Protected if s.is_scale_out() => {
            // Callers asking for many servers go through `Copies::sources`.
            let by: Vec<ServerId> = t
                .protectors_of(id)
                .filter(|&p| p != id && t.server(p).is_some_and(|x| x.kind == Kind::Dpm))
                .collect();
            if by.is_empty() {
                return plain_sources(t, id, out);
            }
            scale_out_sources(t, id, by, out);
        }
        Kind::Protected => plain_sources(t, id, out),
    }
}

/// One data source of scale-out server `id` per DPM protector in `by`
/// (sorted by name, each once).
fn scale_out_sources(t: &Topology, id: ServerId, mut by: Vec<ServerId>, out: &mut Vec<DataSource>) {
    t.sort_by_name(&mut by);
    by.dedup();
    out.extend(by.into_iter().map(|p| DataSource {
        server: id,
        part: Part::ScaleOut(p),
    }));
}

fn plain_sources(t: &Topology, id: ServerId, out: &mut Vec<DataSource>) {
    let Some(s) = t.server(id) else {
        return;
    };
    let w = s.workloads();
    if w.is_empty() || w.iter().any(|w| w.reaches_secondary()) {
        out.push(DataSource {
            server: id,
            part: Part::Data,
        });
    }
    let mut kept: Vec<Workload> = w
        .iter()
        .copied()
        .filter(|w| !w.reaches_secondary())
        .collect();
    crate::sort::sort_by(&mut kept, &|a, b| a.cmp(b));
    kept.dedup();
    out.extend(kept.into_iter().map(|w| DataSource {
        server: id,
        part: Part::PrimaryOnly(w),
    }));
}

/// Whether the VMs of scale-out server `s` reach its protector's secondary:
/// not for Hyper-V ("When protecting a Hyper-V cluster using scaled-out DPM
/// protection, you can't add secondary protection for the protected Hyper-V
/// workloads", *dpm-support-issues*) nor VMware ("DPM can't protect VMware
/// VMs to a secondary DPM server", *back-up-vmware*).
pub fn scale_out_reaches_secondary(s: &crate::model::Server) -> bool {
    !s.workloads()
        .iter()
        .any(|w| matches!(w, Workload::Hyperv | Workload::Vmware))
}

/// Who holds copies of what, indexed once so that any data source's
/// holders are cheap to ask for (the failover planner asks for a few of a
/// large topology's).
pub struct Copies<'t> {
    t: &'t Topology,
    /// Where each server stands, and which are DPM servers.
    places: Places<'t>,
    /// DPM protectors of each server, self-protection aside, with the
    /// switched flag.
    protectors: ByServer<'t, (ServerId, bool)>,
    /// The members of each replica set (by folded name), in natural order.
    sets: std::collections::HashMap<String, Vec<ServerId>>,
    /// One protection more than the topology has, as `(target, (protector,
    /// switched))`: the copies as they would be with it (see
    /// [`Copies::set_extra`]).
    extra: Option<(ServerId, (ServerId, bool))>,
}

impl<'t> Copies<'t> {
    pub fn new(t: &'t Topology) -> Copies<'t> {
        // The replica sets read in the pass that places the servers (at
        // 10,000 servers, a pass over their records of its own cost the
        // fixes some 0.1 ms: the records outgrow the processor's cache).
        let mut sets: std::collections::HashMap<String, Vec<ServerId>> =
            std::collections::HashMap::new();
        let places = Places::new_and(t, &mut |s| {
            if let (Kind::Protected, Some(set)) = (s.kind, s.replica_set()) {
                sets.entry(fold_case(set)).or_default().push(s.id);
            }
        });
        for v in sets.values_mut() {
            t.sort_by_name(v);
        }
        let protectors = ByServer::new(
            &places,
            pairs(
                t.protections.len(),
                t.protections
                    .iter()
                    .filter(|p| p.protector != p.target && places.is_dpm(p.protector))
                    .map(|p| (p.target, (p.protector, p.switched))),
            ),
        );
        Copies {
            t,
            places,
            protectors,
            sets,
            extra: None,
        }
    }

    /// Where each server of the drawing stands, and which are DPM servers:
    /// for the indexes made beside this one.
    pub(crate) fn places(&self) -> &Places<'t> {
        &self.places
    }

    /// Answers from now on as if `p` were drawn too, after the topology's
    /// own protections (`None`: as the topology is). In: a protection
    /// between servers of the topology, not already drawn. A protection by
    /// a server that is not a DPM server, or of itself, holds no copy and
    /// changes nothing, as in [`Copies::new`]. What one added protection
    /// does to the copies is then asked without indexing the topology
    /// again (the fixes of `risk` try hundreds).
    pub(crate) fn set_extra(&mut self, p: Option<crate::model::Protection>) {
        let places = &self.places;
        self.extra = p
            .filter(|p| p.protector != p.target && places.is_dpm(p.protector))
            .map(|p| (p.target, (p.protector, p.switched)));
    }

    /// The DPM protectors of `id` with the switched flag, in drawing order
    /// (the extra protection last).
    fn of(&self, id: ServerId) -> impl Iterator<Item = (ServerId, bool)> + '_ {
        let extra = self.extra.filter(|e| e.0 == id).map(|e| e.1);
        let drawn = self.protectors.get(id);
        drawn.iter().copied().chain(extra)
    }

    /// The DPM servers that protect `id` themselves (not as a secondary),
    /// self-protection aside, in the order the protections were drawn.
    pub fn direct(&self, source: DataSource) -> Vec<ServerId> {
        match source.part {
            Part::ScaleOut(p) => self
                .of(source.server)
                .filter(|&(q, _)| q == p)
                .map(|(q, _)| q)
                .take(1)
                .collect(),
            _ => self.of(source.server).map(|(q, _)| q).collect(),
        }
    }

    /// The other members of `id`'s replica set (an Exchange DAG, a SQL
    /// Server Availability Group), which hold the same databases; empty when
    /// it is in none.
    pub fn peers(&self, id: ServerId) -> Vec<ServerId> {
        let Some(set) = self.t.server(id).and_then(|s| s.replica_set()) else {
            return Vec::new();
        };
        self.sets
            .get(&fold_case(set))
            .map(|v| v.iter().copied().filter(|&m| m != id).collect())
            .unwrap_or_default()
    }

    /// The servers holding a copy of one data source, in natural name
    /// order: its DPM protectors, their secondaries where the data reaches
    /// a secondary, and for a DPM database kept on another server
    /// (`database`), that server.
    pub fn holders(&self, source: DataSource) -> Vec<ServerId> {
        let mut holders = Vec::new();
        self.holders_into(source, &mut holders);
        self.t.sort_by_name(&mut holders);
        holders.dedup();
        holders
    }

    /// [`Copies::holders`] onto the end of `out`, in no order that means
    /// anything, a server perhaps more than once (a protector that is
    /// also a secondary): for callers that only ask whether some hold the
    /// copy, or count them once each themselves, which need not look up
    /// every holder's name to sort them (at 10,000 servers, the risk
    /// analysis read most of the drawing's server records again, out of
    /// order, to do so), nor allocate a list for each.
    pub(crate) fn holders_into(&self, source: DataSource, holders: &mut Vec<ServerId>) {
        let id = source.server;
        let scale_cascades = match source.part {
            Part::ScaleOut(_) => self.t.server(id).is_some_and(scale_out_reaches_secondary),
            _ => true,
        };
        for (p, switched) in self.of(id) {
            if let Part::ScaleOut(q) = source.part {
                if p != q {
                    continue;
                }
            }
            holders.push(p);
            let cascades =
                !switched && !matches!(source.part, Part::PrimaryOnly(_)) && scale_cascades;
            if cascades {
                holders.extend(self.of(p).map(|(s, _)| s).filter(|&s| s != id));
            }
        }
        if source.part == Part::Database {
            if let Some(db) = self.t.server(id).and_then(|s| s.database) {
                if db != id && self.t.server(db).is_some() {
                    holders.push(db);
                }
            }
        }
    }

    /// The copies of `source` that are on no server: a DPM database's
    /// off-server `database_backup` media ("Tape backup can be taken
    /// offsite for disaster recovery", *back-up-the-dpm-server*); a copy
    /// on a local disk fails with its server and is left out.
    pub fn media(&self, source: DataSource) -> Vec<BackupMedium> {
        if source.part != Part::Database {
            return Vec::new();
        }
        let Some(s) = self.t.server(source.server) else {
            return Vec::new();
        };
        BackupMedium::ALL
            .into_iter()
            .filter(|m| m.off_server() && s.database_backup().contains(m))
            .collect()
    }

    /// The data sources of `id`, as [`sources_of`] gives them, from the
    /// index (no scan of the protections).
    pub fn sources(&self, id: ServerId) -> Vec<DataSource> {
        let mut out = Vec::new();
        self.sources_into(id, &mut out);
        out
    }

    /// [`Copies::sources`], onto `out`.
    pub(crate) fn sources_into(&self, id: ServerId, out: &mut Vec<DataSource>) {
        match self.t.server(id) {
            Some(s) if s.is_scale_out() && self.of(id).next().is_some() => {
                scale_out_sources(self.t, id, self.of(id).map(|(p, _)| p).collect(), out);
            }
            // A scale-out server no DPM server protects has the plain
            // sources (`sources_of` would scan the protections to see so).
            Some(s) if s.kind == Kind::Protected => plain_sources(self.t, id, out),
            Some(_) => sources_into(self.t, id, out),
            None => {}
        }
    }

    /// Every data source of `id`, with its holders and media.
    pub fn holdings_of(&self, id: ServerId) -> Vec<Holding> {
        self.sources(id)
            .into_iter()
            .map(|source| Holding {
                source,
                holders: self.holders(source),
                media: self.media(source),
            })
            .collect()
    }
}

/// Every data source of the topology with its holders, servers in natural
/// name order.
pub fn inventory(t: &Topology) -> Vec<Holding> {
    let copies = Copies::new(t);
    t.sorted_ids()
        .into_iter()
        .flat_map(|id| copies.holdings_of(id))
        .collect()
}

/// What server `holder` holds copies of, in the inventory's order.
pub fn held_by(inventory: &[Holding], holder: ServerId) -> Vec<DataSource> {
    inventory
        .iter()
        .filter(|h| h.holders.contains(&holder))
        .map(|h| h.source)
        .collect()
}

/// What each server holds copies of ([`held_by`] for every holder at once,
/// in one pass over the inventory): by holder, each in the inventory's
/// order. Servers holding nothing are absent.
pub fn held_by_all(inventory: &[Holding]) -> crate::hash::HashMap<ServerId, Vec<DataSource>> {
    let mut out: crate::hash::HashMap<ServerId, Vec<DataSource>> = crate::hash::HashMap::default();
    for h in inventory {
        for &holder in &h.holders {
            let held = out.entry(holder).or_default();
            // A holder named twice in one holding holds it once.
            if held.last() != Some(&h.source) {
                held.push(h.source);
            }
        }
    }
    out
}

/// What each of `holders` holds copies of: [`held_by_all`] of the whole
/// [`inventory`], for those servers only, without making the inventory.
/// For a view that shows the copies of the few DPM servers on screen: at
/// 10,000 servers the inventory holds some 10,000 data sources, each with
/// its holders sorted by name.
///
/// In: any servers (ones not in `t` hold nothing). Out: by holder, each in
/// the inventory's order; holders holding nothing are absent. A server
/// holds copies only of the data of the servers it protects, of those that
/// these protect (as a secondary), and of the DPM servers whose database it
/// keeps ([`Copies::holders`]), so only those are looked at.
pub fn held_by_some(
    t: &Topology,
    holders: &[ServerId],
) -> crate::hash::HashMap<ServerId, Vec<DataSource>> {
    let copies = Copies::new(t);
    let targets = ByServer::new(
        copies.places(),
        t.protections
            .iter()
            .filter(|p| p.protector != p.target)
            .map(|p| (p.protector, p.target))
            .collect(),
    );
    let keeps = ByServer::new(
        copies.places(),
        t.servers
            .iter()
            .filter_map(|s| s.database.filter(|&db| db != s.id).map(|db| (db, s.id)))
            .collect(),
    );
    let asked: crate::hash::HashSet<ServerId> = holders.iter().copied().collect();
    // The servers whose data any of them may hold a copy of, each once:
    // each data source's holders are found once, however many of the
    // servers asked hold it (forty secondaries of one primary share its
    // 9,000 servers).
    let mut near: crate::hash::HashSet<ServerId> = crate::hash::HashSet::default();
    let mut through: crate::hash::HashSet<ServerId> = crate::hash::HashSet::default();
    for &h in &asked {
        near.extend(targets.get(h));
        for &p in targets.get(h) {
            // (The servers a DPM server protects are looked at once, for
            // any number of its secondaries asked; `h` itself among them
            // holds nothing of its own, which `holders` says.)
            if through.insert(p) {
                near.extend(targets.get(p));
            }
        }
        near.extend(keeps.get(h));
    }
    let mut near: Vec<ServerId> = near.into_iter().collect();
    t.sort_by_name(&mut near);
    let mut out: crate::hash::HashMap<ServerId, Vec<DataSource>> = crate::hash::HashMap::default();
    for source in near.into_iter().flat_map(|x| copies.sources(x)) {
        for h in copies.holders(source) {
            if asked.contains(&h) {
                out.entry(h).or_default().push(source);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::presets;

    /// For the presets, generated estates and random drawings with every
    /// fact that moves copies (scale-out servers, workloads staying with
    /// their primary, switched protection, databases kept elsewhere,
    /// secondaries, chains and cycles): what each server holds, asked of
    /// a few, is what the whole inventory says.
    #[test]
    fn held_by_some_is_the_inventory_for_those_asked() {
        let mut drawings = vec![
            presets::scenario_1(),
            presets::scenario_2(),
            crate::generate::generate(300),
            crate::generate::generate_estate(300),
        ];
        drawings.extend((0..40u64).map(random_drawing));
        for t in drawings {
            let all = held_by_all(&inventory(&t));
            let ids: Vec<ServerId> = t.servers.iter().map(|s| s.id).collect();
            let some = held_by_some(&t, &ids);
            assert_eq!(some, all, "every server asked");
            let few: Vec<ServerId> = ids.iter().copied().step_by(3).collect();
            let some = held_by_some(&t, &few);
            for id in &ids {
                let want = if few.contains(id) { all.get(id) } else { None };
                assert_eq!(some.get(id), want, "{}", t.name(*id));
            }
        }
    }

    /// A random drawing of up to 24 servers with every fact that changes
    /// who holds a copy.
    fn random_drawing(seed: u64) -> Topology {
        use crate::model::{BackupMedium, Protection};
        let mut x = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let mut next = move |m: u64| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x % m.max(1)
        };
        let mut t = Topology::new();
        let n = 2 + next(22) as usize;
        for i in 0..n {
            let kind = if next(3) == 0 {
                Kind::Dpm
            } else {
                Kind::Protected
            };
            let id = t.add_server(format!("S{}", next(30) * 100 + i as u64), kind);
            let s = t.server_mut(id).unwrap();
            if kind == Kind::Protected {
                if next(4) == 0 {
                    // VMs that reach a secondary, and those that do not.
                    s.scale_out = Some(true);
                    s.workloads = match next(3) {
                        0 => Some(vec![Workload::Hyperv]),
                        1 => Some(vec![Workload::Files]),
                        _ => None,
                    };
                } else if next(4) == 0 {
                    s.workloads = Some(vec![
                        Workload::ALL[next(Workload::ALL.len() as u64) as usize],
                    ]);
                }
                if next(5) == 0 {
                    s.replica_set = Some("SET".into());
                }
            } else if next(3) == 0 {
                s.database_backup = Some(vec![BackupMedium::Tape]);
            }
        }
        let ids: Vec<ServerId> = t.servers.iter().map(|s| s.id).collect();
        for &id in &ids {
            if t.server(id).is_some_and(|s| s.kind == Kind::Dpm) && next(2) == 0 {
                let db = ids[next(ids.len() as u64) as usize];
                t.server_mut(id).unwrap().database = Some(db);
            }
        }
        for _ in 0..n * 2 {
            let (p, q) = (ids[next(n as u64) as usize], ids[next(n as u64) as usize]);
            let mut pr = Protection::new(p, q);
            pr.switched = next(4) == 0;
            if !t.protections.iter().any(|o| o.link() == pr.link()) {
                t.connect(pr);
            }
        }
        t
    }

    #[test]
    fn held_by_all_is_held_by_for_every_holder() {
        for t in [
            presets::scenario_1(),
            presets::scenario_2(),
            crate::generate::generate(300),
        ] {
            let inv = inventory(&t);
            let all = held_by_all(&inv);
            for s in &t.servers {
                let one = held_by(&inv, s.id);
                assert_eq!(
                    all.get(&s.id).cloned().unwrap_or_default(),
                    one,
                    "{}",
                    s.name
                );
            }
        }
    }

    fn labels(t: &Topology) -> Vec<String> {
        inventory(t)
            .iter()
            .map(|h| {
                let names: Vec<&str> = h.holders.iter().map(|&id| t.name(id)).collect();
                format!("{}: {}", h.source.label(t), names.join(" "))
            })
            .collect()
    }

    #[test]
    fn scenario_1_copies_stop_after_two_levels() {
        let t = presets::scenario_1();
        assert_eq!(
            labels(&t),
            [
                "DS1 database: DS3 DS4",
                "DS2 database: DS3 DS4",
                "DS3 database: DS4",
                "DS4 database: ",
                "PS1: DS1 DS3",
                "PS2: DS1 DS3",
                "PS3: DS2 DS3",
                "PS4: DS2 DS3",
            ]
        );
    }

    #[test]
    fn real_estates_hold_copies_where_the_facts_say() {
        use crate::model::{BackupMedium, Protection};
        let mut t = Topology::new();
        let d1 = t.add_server("DPM1", Kind::Dpm);
        let d2 = t.add_server("DPM2", Kind::Dpm);
        let d3 = t.add_server("DPM3", Kind::Dpm);
        let hv = t.add_server("HVCLU1", Kind::Protected);
        let sql = t.add_server("SQL1", Kind::Protected);
        let ex1 = t.add_server("EX1", Kind::Protected);
        let ex2 = t.add_server("EX2", Kind::Protected);
        {
            let s = t.server_mut(hv).unwrap();
            s.scale_out = Some(true);
            s.workloads = Some(vec![Workload::Hyperv]);
        }
        t.server_mut(d1).unwrap().database = Some(sql);
        t.server_mut(d1).unwrap().database_backup =
            Some(vec![BackupMedium::LocalDisk, BackupMedium::Tape]);
        t.server_mut(ex1).unwrap().replica_set = Some("DAG1".into());
        t.server_mut(ex2).unwrap().replica_set = Some(" dag1 ".into());
        for (p, q) in [(d1, hv), (d2, hv), (d3, d1), (d1, sql)] {
            t.connect(Protection::new(p, q));
        }
        assert_eq!(
            labels(&t),
            [
                "DPM1 database: DPM3 SQL1",
                "DPM2 database: ",
                "DPM3 database: ",
                "EX1: ",
                "EX2: ",
                "HVCLU1 (VMs on DPM1): DPM1",
                "HVCLU1 (VMs on DPM2): DPM2",
                "SQL1: DPM1 DPM3",
            ]
        );
        let c = Copies::new(&t);
        let db = DataSource {
            server: d1,
            part: Part::Database,
        };
        assert_eq!(
            c.media(db),
            [BackupMedium::Tape],
            "a local disk fails with it"
        );
        assert_eq!(c.peers(ex1), [ex2]);
        assert_eq!(c.sources(hv), sources_of(&t, hv));
        // VMware or Hyper-V aside, a scale-out server's data reaches the
        // secondary.
        t.server_mut(hv).unwrap().workloads = Some(vec![Workload::Files]);
        let c = Copies::new(&t);
        let vms = DataSource {
            server: hv,
            part: Part::ScaleOut(d1),
        };
        assert_eq!(c.holders(vms), [d1, d3]);
    }

    #[test]
    fn cyclic_protection_does_not_count_a_copy_of_ones_own_data() {
        let t = presets::scenario_3();
        let l = labels(&t);
        assert!(l.contains(&"DS2 database: DS3".to_string()), "{l:?}");
        assert!(l.contains(&"DS3 database: DS2".to_string()), "{l:?}");
        assert!(l.contains(&"DS1 database: DS2 DS3".to_string()), "{l:?}");
    }
}
