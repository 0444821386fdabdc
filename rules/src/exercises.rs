//! The built-in exercises, from `exercises/` at the top of the workspace,
//! easy to hard, each with a reference solution beside it
//! (`NAME.solution.dpm.json`; the tests check that it passes and that the
//! start does not).

use crate::exercise::{exercise_from_json, Exercise};

/// A built-in exercise file, compiled in.
#[derive(Clone, Copy, Debug)]
pub struct BuiltIn {
    /// Stable id: the file name without `.exercise.json`; used in URLs.
    pub id: &'static str,
    pub json: &'static str,
}

pub const EXERCISES: [BuiltIn; 8] = [
    BuiltIn {
        id: "1-scenario-1",
        json: include_str!(concat!(env!("OUT_DIR"), "/1-scenario-1.exercise.json")),
    },
    BuiltIn {
        id: "2-scenario-2",
        json: include_str!(concat!(env!("OUT_DIR"), "/2-scenario-2.exercise.json")),
    },
    BuiltIn {
        id: "3-cyclic-office",
        json: include_str!(concat!(env!("OUT_DIR"), "/3-cyclic-office.exercise.json")),
    },
    BuiltIn {
        id: "4-chain-shortcut",
        json: include_str!(concat!(env!("OUT_DIR"), "/4-chain-shortcut.exercise.json")),
    },
    BuiltIn {
        id: "5-self-protection",
        json: include_str!(concat!(env!("OUT_DIR"), "/5-self-protection.exercise.json")),
    },
    BuiltIn {
        id: "6-vss-writer",
        json: include_str!(concat!(env!("OUT_DIR"), "/6-vss-writer.exercise.json")),
    },
    BuiltIn {
        id: "7-dpm1-fails",
        json: include_str!(concat!(env!("OUT_DIR"), "/7-dpm1-fails.exercise.json")),
    },
    BuiltIn {
        id: "8-no-single-point",
        json: include_str!(concat!(env!("OUT_DIR"), "/8-no-single-point.exercise.json")),
    },
];

impl BuiltIn {
    /// The exercise. The files are checked by the tests, so this reads.
    pub fn exercise(&self) -> Option<Exercise> {
        exercise_from_json(self.json).ok()
    }
}

/// The built-in exercise with this id.
pub fn builtin(id: &str) -> Option<Exercise> {
    EXERCISES.iter().find(|b| b.id == id)?.exercise()
}
