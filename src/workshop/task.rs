//! The workshop's views: the task panel beside the canvas (goals, hints,
//! time), the confirmation before starting again, and the exercise picker.

use crate::workshop::state::next_hint;

use crate::state::editor::About;
use crate::state::editor::Dialog;
use crate::state::editor::Editor;
use crate::workshop::state::leave;
use crate::workshop::state::open;
use crate::workshop::state::Workshop;

use dpm_rules::exercises::EXERCISES;
use dpm_rules::{Goal, GoalState};
use leptos::prelude::*;

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
    let ed = crate::ctx::ctx().ed;
    let ws = crate::ctx::ctx().ws;
    let goals = move || {
        let a = ws.active.get()?;
        let results = ws.results.get();
        let shown = ws.hints.get();
        let items =
            a.ex.goals
                .iter()
                .zip(results)
                .enumerate()
                .map(|(i, (g, st))| goal_item(g, st, shown.get(i).copied().unwrap_or(0)))
                .collect_view();
        Some(items)
    };
    let met = move || {
        ws.results
            .with(|r| (r.iter().filter(|g| g.pass).count(), r.len()))
    };
    let done = move || {
        ws.done_at.get().map(|at| {
            // Scrolled into the side column's view once shown: solving by
            // the simulator's Apply left the column scrolled down, the
            // banner above it, and nothing on screen said so.
            let banner = NodeRef::<leptos::html::Div>::new();
            banner.on_load(|el| {
                let el: web_sys::Element = el.into();
                request_animation_frame(move || crate::browser::dom::into_column_view(&el));
            });
            view! {
                <div class="done-banner" role="status" data-testid="exercise-done" node_ref=banner>
                    <strong>"Every goal met."</strong>
                    {format!(" Solved in {}.", took(at - ws.started.get()))}
                </div>
            }
        })
    };
    let task = NodeRef::<leptos::html::Div>::new();
    crate::browser::markup::fill(task, move || {
        ws.active.with(|a| {
            a.as_ref()
                .map(|a| crate::ui::text::blocks(&a.ex.task))
                .unwrap_or_default()
        })
    });
    view! {
        <section class="panel task-panel" aria-labelledby="task-heading" data-testid="task-panel">
            <div class="panel-head">
                <h2 id="task-heading">"Exercise"</h2>
                <span class="muted">{move || { let (a, b) = met(); format!("{a} of {b} goals") }}</span>
            </div>
            <h3 class="task-title">{move || ws.active.with(|a| a.as_ref().map(|a| a.ex.title.clone()))}</h3>
            <div class="task-text" node_ref=task></div>
            {done}
            <ol class="goals" aria-live="polite">{goals}</ol>
            {task_controls(ed, ws)}
        </section>
    }
}

/// One goal: met or not, what is still wrong, the hints shown (`n` of
/// them) and, once a hint is, the documentation sentence it cites.
fn goal_item(g: &Goal, st: GoalState, n: usize) -> impl IntoView {
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
}

/// The exercise's buttons: a hint, start again, leave.
fn task_controls(ed: Editor, ws: Workshop) -> impl IntoView {
    let on_hint = move || {
        if !next_hint(ws) {
            // About the first goal not met: it goes once that goal is met.
            let goal = ws
                .results
                .with_untracked(|r| r.iter().position(|g| !g.pass));
            ed.say(
                false,
                "No more hints for this goal: the documentation sentence under it is the last word.",
                None,
                goal.map_or(ed.this_drawing(), |i| About::GoalUnmet(ed.opened.get_untracked(), i)),
            );
        }
    };
    view! {
        <div class="row wrap" on:click=move |ev| {
            match crate::browser::dom::clicked(&ev).and_then(|b| b.get_attribute("data-action")).as_deref() {
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
    }
}

/// The confirmation before an exercise starts over.
#[component]
pub fn ConfirmReset() -> impl IntoView {
    let c = crate::ctx::ctx();
    let again = move |_| {
        c.ed.dialog.set(None);
        crate::workshop::state::reset(c.ed, c.ws);
    };
    view! {
        <crate::ui::dialog::DialogFrame title="Start the exercise again?" id="reset-title">
            <p>"Your work on this exercise and the hints you have seen are cleared, and the clock starts again."</p>
            <div class="row">
                <button class="btn danger" data-action="confirm-reset" on:click=again>"Start again"</button>
                <button class="btn" data-action="close">"Cancel"</button>
            </div>
        </crate::ui::dialog::DialogFrame>
    }
}

/// The toolbar's list of built-in exercises.
#[component]
pub fn ExercisePicker() -> impl IntoView {
    let ed = crate::ctx::ctx().ed;
    let ws = crate::ctx::ctx().ws;
    let (pick, keys) = crate::browser::dom::menu_select(Callback::new(move |id: String| {
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
