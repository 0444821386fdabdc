//! The preset scenarios, from `scenarios/` at the top of the workspace: the
//! seeds' Scenarios 1 to 3 and the "Moving protected servers" setup.

use crate::model::Topology;
use crate::scenario::from_json;

/// A preset scenario file, compiled in.
#[derive(Clone, Copy, Debug)]
pub struct Preset {
    /// Stable id, used in URLs and tests.
    pub id: &'static str,
    /// The drawing's title, as the documentation names the scenario.
    pub title: &'static str,
    /// What tells it apart at a glance, for a menu: the documentation names
    /// Scenarios 1 and 2 alike ("Chained protection").
    pub gist: &'static str,
    pub json: &'static str,
}

impl Preset {
    /// The preset's name in a menu: its title and gist, "Scenario 1:
    /// Chained protection (one secondary for two primaries)".
    pub fn label(&self) -> String {
        format!("{} ({})", self.title, self.gist)
    }
}

pub const PRESETS: [Preset; 4] = [
    Preset {
        id: "scenario-1",
        title: "Scenario 1: Chained protection",
        gist: "one secondary for two primaries",
        json: include_str!(concat!(env!("OUT_DIR"), "/scenario-1.dpm.json")),
    },
    Preset {
        id: "scenario-2",
        title: "Scenario 2: Chained protection",
        gist: "each DPM server protected by the next",
        json: include_str!(concat!(env!("OUT_DIR"), "/scenario-2.dpm.json")),
    },
    Preset {
        id: "scenario-3",
        title: "Scenario 3: Cyclic protection",
        gist: "two DPM servers protect each other",
        json: include_str!(concat!(env!("OUT_DIR"), "/scenario-3.dpm.json")),
    },
    Preset {
        id: "moving",
        title: "Moving protected servers",
        gist: "switching protection to another DPM server",
        json: include_str!(concat!(
            env!("OUT_DIR"),
            "/moving-protected-servers.dpm.json"
        )),
    },
];

/// The preset with this id.
pub fn preset(id: &str) -> Option<Topology> {
    PRESETS.iter().find(|p| p.id == id).map(load)
}

fn load(p: &Preset) -> Topology {
    // The files are part of the build and tested; an unreadable one gives an
    // empty drawing with its title rather than a crash.
    from_json(p.json).unwrap_or_else(|_| {
        let mut t = Topology::new();
        t.title = Some(p.title.to_string());
        t
    })
}

pub fn scenario_1() -> Topology {
    load(&PRESETS[0])
}

pub fn scenario_2() -> Topology {
    load(&PRESETS[1])
}

pub fn scenario_3() -> Topology {
    load(&PRESETS[2])
}

pub fn moving() -> Topology {
    load(&PRESETS[3])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_preset_reads_and_has_positions() {
        for p in PRESETS {
            let t = from_json(p.json).unwrap_or_else(|e| panic!("{}: {e}", p.id));
            assert_eq!(t.title.as_deref(), Some(p.title));
            assert!(
                t.servers.iter().all(|s| s.pos.is_some()),
                "{} lacks positions",
                p.id
            );
        }
    }
}
