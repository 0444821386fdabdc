//! Exercises, as a participant meets them: the task panel with live goals,
//! hints that cite the documentation, the done banner, reset and leave.
//!
//! The rule crate decides everything (which goals pass, why not, whether
//! an edit is allowed); this module keeps the exercise open, saves progress
//! per exercise, and shows.

use crate::browser::storage::storage;
use crate::browser::storage::store;
use crate::browser::storage::stored;
use crate::state::editor::Editor;
use crate::state::persist::flush;
use crate::state::tabs::read;
use dpm_rules::{Allow, Goal};

use std::sync::Arc;

use leptos::prelude::*;

use dpm_rules::{
    evaluate, exercise_to_link, from_json, same_name, to_json, Exercise, GoalState, Kind, ServerId,
    Topology,
};

/// The exercise open in this tab.
#[derive(Clone)]
pub struct Active {
    pub ex: Arc<Exercise>,
    /// The link's payload (what follows `#x=`).
    pub link: String,
    /// Where its progress is saved.
    pub key: String,
}

#[derive(Clone, Copy)]
pub struct Workshop {
    pub active: RwSignal<Option<Active>>,
    /// Every goal against the drawing, in goal order; empty without an
    /// exercise.
    pub results: Memo<Vec<GoalState>>,
    /// How many hints of each goal are shown.
    pub hints: RwSignal<Vec<usize>>,
    /// When the participant started, and when every goal first passed
    /// (milliseconds since the epoch).
    pub started: RwSignal<f64>,
    pub done_at: RwSignal<Option<f64>>,
}

impl Workshop {
    pub fn new(ed: Editor) -> Workshop {
        let active = RwSignal::new(None::<Active>);
        let results = crate::browser::memo(move |_| {
            active.with(|a| {
                a.as_ref()
                    .map(|a| ed.doc.with(|t| evaluate(&a.ex, t)))
                    .unwrap_or_default()
            })
        });
        let ws = Workshop {
            active,
            results,
            hints: RwSignal::new(Vec::new()),
            started: RwSignal::new(0.0),
            done_at: RwSignal::new(None),
        };
        // The moment every goal passes is the time taken; breaking a goal
        // again takes the banner away until it is solved again.
        crate::browser::effect(move || {
            let all = results.with(|r| !r.is_empty() && r.iter().all(|g| g.pass));
            let Some(key) = active.with_untracked(|a| a.as_ref().map(|a| a.key.clone())) else {
                return;
            };
            match (all, ws.done_at.get_untracked()) {
                (true, None) => {
                    let now = js_sys::Date::now();
                    store(&format!("{key}/done"), &(now as u64).to_string());
                    ws.done_at.set(Some(now));
                }
                (false, Some(_)) => {
                    if let Some(s) = storage() {
                        let _ = s.remove_item(&format!("{key}/done"));
                    }
                    ws.done_at.set(None);
                }
                _ => {}
            }
        });
        ws
    }
}

fn stored_ms(key: &str) -> Option<f64> {
    stored(key)?.parse::<u64>().ok().map(|v| v as f64)
}

/// Opens `ex` for a participant: progress from this browser if there is
/// any, else its start; the address keeps `#x=` so a reload reopens it.
pub fn open(ed: Editor, ws: Workshop, ex: Exercise) {
    // What is open now is saved where it belongs before another key takes over.
    flush(ed);
    enter(ed, ws, ex);
}

/// Opens `ex` as [`open`] does, with nothing left to save.
fn enter(ed: Editor, ws: Workshop, ex: Exercise) {
    let link = exercise_to_link(&ex);
    let key = format!(
        "dpm-sketch/exercise/{}",
        &link[link.len().saturating_sub(8)..]
    );
    let t = read(&key)
        .and_then(|s| from_json(&s).ok())
        .unwrap_or_else(|| ex.start.clone());
    let started = stored_ms(&format!("{key}/started")).unwrap_or_else(|| {
        let now = js_sys::Date::now();
        store(&format!("{key}/started"), &(now as u64).to_string());
        now
    });
    let hints: Vec<usize> = stored(&format!("{key}/hints"))
        .map(|s| s.split(',').map(|n| n.parse().unwrap_or(0)).collect())
        .unwrap_or_default();
    let given = given_ids(&ex, &t);
    let ex = Arc::new(ex);
    ed.guard.set_value(Some((ex.clone(), given)));
    ed.save_key.set(key.clone());
    ed.load(t);
    ws.hints.set(hints);
    ws.started.set(started);
    ws.done_at.set(stored_ms(&format!("{key}/done")));
    set_hash(&format!("#x={link}"));
    ws.active.set(Some(Active { ex, link, key }));
}

/// The servers of `t` that the exercise started with (by name: a reload
/// reads the saved progress with new ids).
fn given_ids(ex: &Exercise, t: &Topology) -> Vec<ServerId> {
    t.servers
        .iter()
        .filter(|s| ex.start.servers.iter().any(|g| same_name(&g.name, &s.name)))
        .map(|s| s.id)
        .collect()
}

fn set_hash(hash: &str) {
    let loc = window().location();
    let url = format!(
        "{}{}{}",
        loc.pathname().unwrap_or_default(),
        loc.search().unwrap_or_default(),
        hash
    );
    if let Ok(h) = window().history() {
        let _ = h.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url));
    }
}

/// Back to the user's own drawing, as it was saved before the exercise.
pub fn leave(ed: Editor, ws: Workshop) {
    // The exercise's progress saved, before the user's drawing is read back.
    flush(ed);
    ed.guard.set_value(None);
    let home = crate::state::tabs::home_key();
    let t = read(&home)
        .and_then(|s| from_json(&s).ok())
        .unwrap_or_default();
    ed.save_key.set(home);
    ed.load(t);
    ws.active.set(None);
    set_hash("");
}

/// Starts the exercise again from its start: no progress, no hints, a new
/// start time.
pub fn reset(ed: Editor, ws: Workshop) {
    let Some(a) = ws.active.get_untracked() else {
        return;
    };
    // Nothing left to save over the start below.
    flush(ed);
    if let Some(s) = storage() {
        for k in ["", "/hints", "/done", "/started"] {
            let _ = s.remove_item(&format!("{}{k}", a.key));
        }
    }
    // Saved at once, as this tab's own save (so the autosave neither has
    // anything newer to write nor takes the start for another tab's).
    // (`enter` reads it back, and so remembers it as this tab's.)
    store(&a.key, &to_json(&a.ex.start));
    enter(ed, ws, (*a.ex).clone());
}

/// The next hint: of the first goal not met. Returns false when that goal
/// has shown every hint it has.
pub fn next_hint(ws: Workshop) -> bool {
    let Some(a) = ws.active.get_untracked() else {
        return false;
    };
    let Some(i) = ws
        .results
        .with_untracked(|r| r.iter().position(|g| !g.pass))
    else {
        return false;
    };
    let have = hints_of(&a.ex, i, ws.results.with_untracked(|r| r[i].rule.is_some()));
    let shown = ws.hints.with_untracked(|h| h.get(i).copied().unwrap_or(0));
    if shown >= have {
        return false;
    }
    ws.hints.update(|h| {
        if h.len() <= i {
            h.resize(i + 1, 0);
        }
        h[i] += 1;
    });
    let text = ws.hints.with_untracked(|h| {
        h.iter()
            .map(|n| n.to_string())
            .collect::<Vec<_>>()
            .join(",")
    });
    store(&format!("{}/hints", a.key), &text);
    true
}

/// How many hints goal `i` can show: its own, or the documentation
/// sentence alone when it has none but a rule is concerned.
fn hints_of(ex: &Exercise, i: usize, has_rule: bool) -> usize {
    match ex.goals.get(i) {
        Some(g) if !g.hints.is_empty() => g.hints.len(),
        Some(_) if has_rule => 1,
        _ => 0,
    }
}

/// May the palette offer servers of `kind` now?
pub fn may_add(ed: Editor, kind: Kind) -> bool {
    ed.guard
        .with_value(|g| g.as_ref().is_none_or(|(ex, _)| ex.allow.may_add(kind)))
}

/// Whether the palette offers a server to add: not in an exercise that
/// uses only the servers it starts with.
pub fn palette_open(ed: Editor) -> bool {
    may_add(ed, Kind::Dpm) || may_add(ed, Kind::Protected)
}

/// The exercise being written.
#[derive(Clone, Copy)]
pub struct Draft {
    pub title: RwSignal<String>,
    pub task: RwSignal<String>,
    pub allow: RwSignal<Allow>,
    pub goals: RwSignal<Vec<Goal>>,
}

impl Draft {
    pub fn new() -> Draft {
        Draft {
            title: RwSignal::new(String::new()),
            task: RwSignal::new(String::new()),
            allow: RwSignal::new(Allow::ALL),
            goals: RwSignal::new(Vec::new()),
        }
    }

    /// The exercise, with the drawing as its start.
    pub fn exercise(&self, ed: Editor) -> Exercise {
        let title = self.title.get_untracked();
        Exercise {
            title: if title.trim().is_empty() {
                "Exercise".into()
            } else {
                title
            },
            task: self.task.get_untracked(),
            start: ed.doc.get_untracked(),
            allow: self.allow.get_untracked(),
            goals: self.goals.get_untracked(),
        }
    }
}

impl Default for Draft {
    fn default() -> Self {
        Draft::new()
    }
}
