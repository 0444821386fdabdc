//! The copy inventory: which DPM servers hold a copy of which data.
//!
//! A secondary copies "all replicas on the primary DPM server that the
//! primary DPM server directly protects", plus the primary's databases and
//! volumes. Copies do not cascade further, switched protection has no
//! secondary, VMware VMs and deduplicated volumes never reach a secondary,
//! and a server never counts a copy of its own data as a holding.

use std::collections::HashMap;

use crate::model::{Kind, ServerId, Topology, Workload};

/// Which of a server's data a [`DataSource`] is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Part {
    /// A protected server's data (all its workloads that reach a secondary).
    Data,
    /// A DPM server's database and volumes.
    Database,
    /// A protected server's workload that stays with its primary.
    PrimaryOnly(Workload),
}

/// Data that DPM protects, named by its server first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DataSource {
    pub server: ServerId,
    pub part: Part,
}

impl DataSource {
    /// "PS1", "DS1 database", "PS1 vmware".
    pub fn label(&self, t: &Topology) -> String {
        let name = t.name(self.server);
        match self.part {
            Part::Data => name.to_string(),
            Part::Database => format!("{name} database"),
            Part::PrimaryOnly(w) => format!("{name} {}", w.as_str()),
        }
    }
}

/// A data source and the servers that hold a copy of it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Holding {
    pub source: DataSource,
    /// In natural name order.
    pub holders: Vec<ServerId>,
}

/// The data sources of a server.
pub fn sources_of(t: &Topology, id: ServerId) -> Vec<DataSource> {
    let Some(s) = t.server(id) else {
        return Vec::new();
    };
    match s.kind {
        Kind::Dpm => vec![DataSource {
            server: id,
            part: Part::Database,
        }],
        Kind::Protected => {
            let w = s.workloads();
            let mut out = Vec::new();
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
            out
        }
    }
}

/// Who holds copies of what, indexed once so that any data source's
/// holders are cheap to ask for (the failover planner asks for a few of a
/// large topology's).
pub struct Copies<'t> {
    t: &'t Topology,
    /// DPM protectors of each server, self-protection aside, with the
    /// switched flag.
    protectors: HashMap<ServerId, Vec<(ServerId, bool)>>,
}

impl<'t> Copies<'t> {
    pub fn new(t: &'t Topology) -> Copies<'t> {
        let is_dpm = |id: ServerId| t.server(id).is_some_and(|s| s.kind == Kind::Dpm);
        let mut protectors: HashMap<ServerId, Vec<(ServerId, bool)>> = HashMap::new();
        for p in &t.protections {
            if p.protector != p.target && is_dpm(p.protector) {
                protectors
                    .entry(p.target)
                    .or_default()
                    .push((p.protector, p.switched));
            }
        }
        Copies { t, protectors }
    }

    fn of(&self, id: ServerId) -> &[(ServerId, bool)] {
        self.protectors.get(&id).map_or(&[], Vec::as_slice)
    }

    /// The holders of one data source, in natural name order.
    pub fn holders(&self, source: DataSource) -> Vec<ServerId> {
        let id = source.server;
        let mut holders = Vec::new();
        for &(p, switched) in self.of(id) {
            holders.push(p);
            let cascades = !switched && !matches!(source.part, Part::PrimaryOnly(_));
            if cascades {
                holders.extend(self.of(p).iter().map(|&(s, _)| s).filter(|&s| s != id));
            }
        }
        self.t.sort_by_name(&mut holders);
        holders.dedup();
        holders
    }

    /// Every data source of `id`, with its holders.
    pub fn holdings_of(&self, id: ServerId) -> Vec<Holding> {
        sources_of(self.t, id)
            .into_iter()
            .map(|source| Holding {
                source,
                holders: self.holders(source),
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::presets;

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
    fn cyclic_protection_does_not_count_a_copy_of_ones_own_data() {
        let t = presets::scenario_3();
        let l = labels(&t);
        assert!(l.contains(&"DS2 database: DS3".to_string()), "{l:?}");
        assert!(l.contains(&"DS3 database: DS2".to_string()), "{l:?}");
        assert!(l.contains(&"DS1 database: DS2 DS3".to_string()), "{l:?}");
    }
}
