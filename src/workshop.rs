//! Exercises, as a participant meets them: the task panel with live goals,
//! hints that cite the documentation, the done banner, reset and leave.
//!
//! The rule crate decides everything (which goals pass, why not, whether
//! an edit is allowed); this module keeps the exercise open, saves progress
//! per exercise, and shows.

use std::sync::Arc;

use leptos::prelude::*;

use dpm_rules::{
    evaluate, exercise_to_link, exercises::EXERCISES, from_json, same_name, to_json, Exercise,
    GoalState, Kind, ServerId, Topology,
};

use crate::state::{storage, store, stored, Dialog, Editor};

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
        let results = Memo::new(move |_| {
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
        Effect::new(move |_| {
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
    let link = exercise_to_link(&ex);
    let key = format!(
        "dpm-sketch/exercise/{}",
        &link[link.len().saturating_sub(8)..]
    );
    let t = stored(&key)
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
    ed.guard.set_value(None);
    let home = crate::tabs::home_key();
    let t = stored(&home)
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
    if let Some(s) = storage() {
        for k in ["", "/hints", "/done", "/started"] {
            let _ = s.remove_item(&format!("{}{k}", a.key));
        }
    }
    // Saved at once, so the autosave has nothing newer to compare with.
    store(&a.key, &to_json(&a.ex.start));
    open(ed, ws, (*a.ex).clone());
}

/// The next hint: of the first goal not met. Returns false when that goal
/// has shown every hint it has.
fn next_hint(ws: Workshop) -> bool {
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

fn took(ms: f64) -> String {
    let s = (ms / 1000.0).max(0.0) as u64;
    match (s / 3600, (s / 60) % 60, s % 60) {
        (0, 0, s) => format!("{s} s"),
        (0, m, s) => format!("{m} min {s} s"),
        (h, m, _) => format!("{h} h {m} min"),
    }
}

/// The task panel: the task, the goals ticking live, hints, the banner.
#[component]
pub fn TaskPanel() -> impl IntoView {
    let ed = crate::ctx().ed;
    let ws = crate::ctx().ws;
    let goals = move || {
        let a = ws.active.get()?;
        let results = ws.results.get();
        let shown = ws.hints.get();
        let items = a
            .ex
            .goals
            .iter()
            .zip(results)
            .enumerate()
            .map(|(i, (g, st))| {
                let n = shown.get(i).copied().unwrap_or(0);
                let hints: Vec<String> = g.hints.iter().take(n).cloned().collect();
                let cite = (n > 0).then_some(st.rule).flatten().map(|r| {
                    let src = r.source();
                    view! {
                        <blockquote class="finding-source">
                            {format!("“{}”", src.text)}
                            <cite>{src.document}</cite>
                        </blockquote>
                    }
                });
                view! {
                    <li class="goal" data-goal=g.id.clone() data-state=if st.pass { "pass" } else { "fail" }>
                        <span class="goal-mark" aria-hidden="true">{if st.pass { "✓" } else { "○" }}</span>
                        <div>
                            <span class="sr-only">{if st.pass { "Met: " } else { "Not met yet: " }}</span>
                            <span class="goal-text">{g.sentence()}</span>
                            {(!st.pass && !st.why.is_empty()).then(|| view! { <p class="goal-why">{st.why.clone()}</p> })}
                            {(!hints.is_empty()).then(|| view! {
                                <ol class="hints">{hints.into_iter().map(|h| view! { <li data-testid="hint">{h}</li> }).collect_view()}</ol>
                            })}
                            {cite}
                        </div>
                    </li>
                }
            })
            .collect_view();
        Some(items)
    };
    let met = move || {
        ws.results
            .with(|r| (r.iter().filter(|g| g.pass).count(), r.len()))
    };
    let done = move || {
        ws.done_at.get().map(|at| {
            view! {
                <div class="done-banner" role="status" data-testid="exercise-done">
                    <strong>"Every goal met."</strong>
                    {format!(" Solved in {}.", took(at - ws.started.get()))}
                </div>
            }
        })
    };
    let on_hint = move || {
        if !next_hint(ws) {
            ed.tell("No more hints for this goal: the documentation sentence under it is the last word.");
        }
    };
    view! {
        <section class="panel task-panel" aria-labelledby="task-heading" data-testid="task-panel">
            <div class="panel-head">
                <h2 id="task-heading">"Exercise"</h2>
                <span class="muted">{move || { let (a, b) = met(); format!("{a} of {b} goals") }}</span>
            </div>
            <h3 class="task-title">{move || ws.active.with(|a| a.as_ref().map(|a| a.ex.title.clone()))}</h3>
            <p class="task-text">{move || ws.active.with(|a| a.as_ref().map(|a| a.ex.task.clone()))}</p>
            {done}
            <ol class="goals" aria-live="polite">{goals}</ol>
            <div class="row wrap" on:click=move |ev| {
                match crate::clicked(&ev).and_then(|b| b.get_attribute("data-action")).as_deref() {
                    Some("hint") => on_hint(),
                    Some("reset-exercise") => ed.dialog.set(Some(Dialog::ConfirmReset)),
                    Some("leave-exercise") => leave(ed, ws),
                    _ => {}
                }
            }>
                <button class="btn small" data-action="hint" disabled=move || ws.done_at.get().is_some()>"Hint"</button>
                <button class="btn small" data-action="reset-exercise">"Reset exercise"</button>
                <button class="btn small" data-action="leave-exercise">"Leave exercise"</button>
            </div>
        </section>
    }
}

/// The confirmation before an exercise starts over.
#[component]
pub fn ConfirmReset() -> impl IntoView {
    view! {
        <crate::io::DialogFrame title="Start the exercise again?" id="reset-title">
            <p>"Your work on this exercise and the hints you have seen are cleared, and the clock starts again."</p>
            <div class="row">
                <button class="btn danger" data-action="confirm-reset">"Start again"</button>
                <button class="btn" data-action="close">"Cancel"</button>
            </div>
        </crate::io::DialogFrame>
    }
}

/// The toolbar's list of built-in exercises.
#[component]
pub fn ExercisePicker() -> impl IntoView {
    let ed = crate::ctx().ed;
    let ws = crate::ctx().ws;
    let (pick, keys) = crate::menu_select(Callback::new(move |id: String| {
        if let Some(ex) = dpm_rules::exercises::builtin(&id) {
            open(ed, ws, ex);
        }
    }));
    view! {
        <select class="tool" data-action="exercises" aria-label="Exercises" on:change=pick on:keydown=keys>
            <option value="">"Exercises…"</option>
            {EXERCISES
                .iter()
                .filter_map(|b| Some((b.id, b.exercise()?.title)))
                .map(|(id, title)| view! { <option value=id>{title}</option> })
                .collect_view()}
        </select>
    }
}

/// May the palette offer servers of `kind` now?
pub fn may_add(ed: Editor, kind: Kind) -> bool {
    ed.guard
        .with_value(|g| g.as_ref().is_none_or(|(ex, _)| ex.allow.may_add(kind)))
}
