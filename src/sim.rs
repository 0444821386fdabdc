//! The failover simulator: fail servers, see what is lost and what DPM
//! supports (the rule crate's planner), and watch an option play out.
//!
//! Nothing here changes the drawing until the user applies an option: the
//! steps are shown through the editor's preview, which never enters the
//! undo history or the save.

use std::collections::HashSet;
use std::time::Duration;

use leptos::prelude::*;

use dpm_rules::{
    plan, Copies, DataSource, OptionKind, Plan, RecoveryOption, ServerId, Step, Topology,
};

use crate::state::{Editor, Mode};

/// Milliseconds a step stays on screen at speed 1.
const STEP_MS: f64 = 2400.0;

/// An option being played.
#[derive(Clone, Debug, PartialEq)]
pub struct Player {
    /// The option played, or None for recovery in order.
    pub option: Option<RecoveryOption>,
    /// What is played ("Switch Protection", "Recovery in order").
    pub title: String,
    /// The server the option is for.
    pub server: String,
    pub steps: Vec<Step>,
}

/// The simulator's own state.
#[derive(Clone, Copy)]
pub struct Sim {
    pub player: RwSignal<Option<Player>>,
    pub at: RwSignal<usize>,
    pub playing: RwSignal<bool>,
    /// Playback speed, in percent.
    pub speed: RwSignal<u32>,
    /// Guided walkthrough of "Moving protected servers": its stage.
    pub walk: RwSignal<Option<u8>>,
    /// Options played to their end ("kind via"), for the walkthrough.
    pub played: RwSignal<Vec<String>>,
    timer: StoredValue<u32>,
}

impl Sim {
    pub fn new() -> Sim {
        Sim {
            player: RwSignal::new(None),
            at: RwSignal::new(0),
            playing: RwSignal::new(false),
            speed: RwSignal::new(100),
            walk: RwSignal::new(None),
            played: RwSignal::new(Vec::new()),
            timer: StoredValue::new(0),
        }
    }
}

impl Default for Sim {
    fn default() -> Self {
        Sim::new()
    }
}

/// `data-option`: "KIND VIA", or "KIND" when the option uses no server.
pub fn option_key(o: &RecoveryOption) -> String {
    match &o.via {
        Some(v) => format!("{} {}", o.kind.id(), v),
        None => o.kind.id().to_string(),
    }
}

/// Fails or restores server `id`.
pub fn toggle_failed(ed: Editor, id: ServerId) {
    ed.preview.set(None);
    ed.flows.set(Vec::new());
    ed.failed.update(|f| {
        if let Some(i) = f.iter().position(|&x| x == id) {
            f.remove(i);
        } else {
            f.push(id);
        }
    });
    ed.shown_failed.set(ed.failed.get_untracked());
}

pub fn enter(ed: Editor, sim: Sim) {
    stop(ed, sim);
    ed.selection.set(Vec::new());
    ed.selected_link.set(None);
    ed.mode.set(Mode::Simulate);
}

/// Back to the drawing as it was before the simulation.
pub fn reset(ed: Editor, sim: Sim) {
    stop(ed, sim);
    ed.leave_simulation();
}

/// Stops playing and shows the failure itself again.
pub fn stop(ed: Editor, sim: Sim) {
    sim.timer.update_value(|g| *g = g.wrapping_add(1));
    sim.player.set(None);
    sim.playing.set(false);
    sim.at.set(0);
    ed.preview.set(None);
    ed.flows.set(Vec::new());
    ed.entering.set(HashSet::new());
    ed.shown_failed.set(ed.failed.get_untracked());
}

pub fn play(ed: Editor, sim: Sim, option: RecoveryOption, server: String) {
    let failed = ed.failed.get_untracked();
    let steps = ed.doc.with_untracked(|t| option.steps(t, &failed));
    sim.timer.update_value(|g| *g = g.wrapping_add(1));
    sim.player.set(Some(Player {
        title: option.kind.title().to_string(),
        option: Some(option),
        server,
        steps,
    }));
    show(ed, sim, 0);
    sim.playing.set(true);
    schedule(ed, sim);
}

/// Plays recovery in order as one sequence: the failure, then each rebuild.
pub fn play_order(ed: Editor, sim: Sim, plan: &Plan) {
    let Some(first) = plan.order.first() else {
        return;
    };
    let failed = ed.failed.get_untracked();
    let start = ed.doc.with_untracked(|t| Step {
        caption: format!(
            "{} fail.",
            dpm_rules::and_list(
                &failed
                    .iter()
                    .map(|&id| t.name(id).to_string())
                    .collect::<Vec<_>>()
            )
        ),
        topology: first.step.topology.clone(),
        failed: failed.clone(),
        flows: Vec::new(),
    });
    let mut steps = vec![start];
    steps.extend(plan.order.iter().map(|o| o.step.clone()));
    sim.timer.update_value(|g| *g = g.wrapping_add(1));
    sim.player.set(Some(Player {
        option: None,
        title: "Recovery in order".into(),
        server: ed.doc.with_untracked(|t| t.name(first.server).to_string()),
        steps,
    }));
    show(ed, sim, 0);
    sim.playing.set(true);
    schedule(ed, sim);
}

fn show(ed: Editor, sim: Sim, i: usize) {
    let Some(p) = sim.player.get_untracked() else {
        return;
    };
    let Some(step) = p.steps.get(i) else { return };
    let before: HashSet<ServerId> = match i.checked_sub(1).and_then(|j| p.steps.get(j)) {
        Some(prev) => prev.topology.servers.iter().map(|s| s.id).collect(),
        None => step.topology.servers.iter().map(|s| s.id).collect(),
    };
    let entering: HashSet<ServerId> = step
        .topology
        .servers
        .iter()
        .map(|s| s.id)
        .filter(|id| !before.contains(id))
        .collect();
    sim.at.set(i);
    ed.entering.set(entering);
    ed.shown_failed.set(step.failed.clone());
    ed.flows.set(step.flows.clone());
    ed.preview.set(Some(step.topology.clone()));
    if let (true, Some(o)) = (i + 1 == p.steps.len(), p.option.as_ref()) {
        let key = option_key(o);
        sim.played.update(|v| {
            if !v.contains(&key) {
                v.push(key);
            }
        });
    }
}

fn schedule(ed: Editor, sim: Sim) {
    let gen = sim.timer.get_value();
    let ms = STEP_MS * 100.0 / f64::from(sim.speed.get_untracked().max(25));
    set_timeout(
        move || {
            if sim.timer.get_value() != gen || !sim.playing.get_untracked() {
                return;
            }
            let n = sim
                .player
                .with_untracked(|p| p.as_ref().map_or(0, |p| p.steps.len()));
            let next = sim.at.get_untracked() + 1;
            if next < n {
                show(ed, sim, next);
                schedule(ed, sim);
            } else {
                sim.playing.set(false);
            }
        },
        Duration::from_millis(ms as u64),
    );
}

fn go(ed: Editor, sim: Sim, i: usize) {
    sim.timer.update_value(|g| *g = g.wrapping_add(1));
    sim.playing.set(false);
    show(ed, sim, i);
}

fn toggle_play(ed: Editor, sim: Sim) {
    if sim.playing.get_untracked() {
        sim.timer.update_value(|g| *g = g.wrapping_add(1));
        sim.playing.set(false);
    } else {
        let n = sim
            .player
            .with_untracked(|p| p.as_ref().map_or(0, |p| p.steps.len()));
        if sim.at.get_untracked() + 1 >= n {
            show(ed, sim, 0);
        }
        sim.playing.set(true);
        sim.timer.update_value(|g| *g = g.wrapping_add(1));
        schedule(ed, sim);
    }
}

/// Makes the option's result the drawing: one undoable step.
pub fn apply(ed: Editor, sim: Sim, option: &RecoveryOption) {
    let failed = ed.failed.get_untracked();
    let result = ed.doc.with_untracked(|t| option.result(t, &failed));
    let title = option.kind.title();
    reset(ed, sim);
    ed.commit(result);
    ed.tell(format!(
        "Applied “{title}”: the drawing now shows the result. Undo (Ctrl+Z) brings back the drawing before."
    ));
}

fn labels(t: &Topology, list: &[DataSource]) -> Vec<String> {
    list.iter().map(|d| d.label(t)).collect()
}

/// Copies of each data source that survive in a step's state.
fn copy_counts(
    step_t: &Topology,
    failed: &[ServerId],
    sources: &[DataSource],
) -> Vec<(String, usize, bool)> {
    let copies = Copies::new(step_t);
    sources
        .iter()
        .filter(|d| step_t.server(d.server).is_some())
        .map(|d| {
            let n = copies
                .holders(*d)
                .into_iter()
                .filter(|h| !failed.contains(h))
                .count();
            (d.label(step_t), n, failed.contains(&d.server))
        })
        .collect()
}

/// The simulator's panel.
#[component]
pub fn SimPanel() -> impl IntoView {
    let ed = crate::ctx().ed;
    let sim = crate::ctx().sim;
    let the_plan: Memo<Option<Plan>> = Memo::new(move |_| {
        let f = ed.failed.get();
        if f.is_empty() {
            None
        } else {
            Some(ed.doc.with(|t| plan(t, &f)))
        }
    });
    provide_context(the_plan);
    // A change of the failed servers ends the option being played.
    Effect::new(move |prev: Option<Vec<ServerId>>| {
        let f = ed.failed.get();
        if prev.is_some_and(|p| p != f) {
            stop(ed, sim);
        }
        f
    });

    let failed_chips = move || {
        let f = ed.failed.get();
        if f.is_empty() {
            return view! {
                <p class="hint-text">"Click a server on the drawing (or focus it and press Enter) to make it fail. Fail several to see them fail together."</p>
            }
            .into_any();
        }
        let chips = f
            .into_iter()
            .map(|id| {
                let name = ed.doc.with_untracked(|t| t.name(id).to_string());
                view! {
                    <li class="chip failed-chip">
                        <span>{name.clone()}</span>
                        <button class="icon-button" aria-label=format!("Bring {name} back")
                            on:click=move |_| toggle_failed(ed, id)>"×"</button>
                    </li>
                }
            })
            .collect_view();
        view! { <ul class="chips" aria-label="Failed servers">{chips}</ul> }.into_any()
    };

    let impact = move || {
        let p = the_plan.get()?;
        let t = ed.doc.get_untracked();
        let lost = labels(&t, &p.lost);
        let unprotected = labels(&t, &p.unprotected);
        let reduced = p
            .reduced
            .iter()
            .filter(|r| !p.lost.contains(&r.source))
            .map(|r| {
                let surviving: Vec<String> =
                    r.surviving.iter().map(|&s| t.name(s).to_string()).collect();
                let text = if surviving.is_empty() {
                    format!("{}: no copy left", r.source.label(&t))
                } else {
                    format!(
                        "{}: {} of {} copies left, on {}",
                        r.source.label(&t),
                        r.surviving.len(),
                        r.before.len(),
                        surviving.join(", ")
                    )
                };
                view! { <li>{text}</li> }
            })
            .collect_view();
        let broken = p
            .broken
            .iter()
            .map(|l| view! { <li>{format!("{} → {}", t.name(l.protector), t.name(l.target))}</li> })
            .collect_view();
        let list = |items: Vec<String>, class: &'static str| {
            items
                .into_iter()
                .map(|s| view! { <li class=class>{s}</li> })
                .collect_view()
        };
        Some(view! {
            <section class="impact" aria-label="Impact">
                <h3>"Impact"</h3>
                {(!lost.is_empty()).then(|| view! {
                    <div class="impact-block lost" data-testid="lost">
                        <h4>"✕ Lost for good (no copy survives)"</h4>
                        <ul>{list(lost.clone(), "lost-item")}</ul>
                    </div>
                })}
                {(!unprotected.is_empty()).then(|| view! {
                    <div class="impact-block unprotected" data-testid="unprotected">
                        <h4>"▲ Still there, but without any copy"</h4>
                        <ul>{list(unprotected.clone(), "unprotected-item")}</ul>
                    </div>
                })}
                <div class="impact-block">
                    <h4>"Copies lost"</h4>
                    <ul>{reduced}</ul>
                </div>
                <div class="impact-block">
                    <h4>"Protections broken"</h4>
                    <ul>{broken}</ul>
                </div>
            </section>
        })
    };

    let options = move || {
        let p = the_plan.get()?;
        let t = ed.doc.get_untracked();
        let blocks = p
            .affected
            .iter()
            .map(|a| {
                let server = t.name(a.server).to_string();
                let mut by_kind: Vec<(OptionKind, Vec<RecoveryOption>)> = Vec::new();
                for o in &a.options {
                    match by_kind.iter_mut().find(|(k, _)| *k == o.kind) {
                        Some((_, v)) => v.push(o.clone()),
                        None => by_kind.push((o.kind, vec![o.clone()])),
                    }
                }
                let rows = by_kind
                    .into_iter()
                    .map(|(_, list)| option_group(ed, sim, server.clone(), list))
                    .collect_view();
                let notes = a
                    .notes
                    .iter()
                    .map(|n| view! { <p class="option-note">{n.clone()}</p> })
                    .collect_view();
                view! {
                    <div class="affected" data-affected=server.clone()>
                        <h4>{server.clone()}</h4>
                        {notes}
                        <ul class="options">{rows}</ul>
                    </div>
                }
            })
            .collect_view();
        Some(view! {
            <section class="options-section" aria-label="Recovery options">
                <h3>"What DPM lets you do"</h3>
                {blocks}
            </section>
        })
    };

    let order = move || {
        let p = the_plan.get()?;
        if p.order.is_empty() {
            return None;
        }
        let t = ed.doc.get_untracked();
        let items = p
            .order
            .iter()
            .map(|o| {
                let back: Vec<String> = o.back.iter().map(|d| d.label(&t)).collect();
                view! {
                    <li>
                        {o.step.caption.clone()}
                        {(!back.is_empty()).then(|| view! { <span class="back">{format!(" Back: {}.", back.join(", "))}</span> })}
                    </li>
                }
            })
            .collect_view();
        let p2 = p.clone();
        Some(view! {
            <section class="order" aria-label="Recovery in order" data-testid="order">
                <h3>"Recovery in order"</h3>
                <p class="muted">"What these servers need survives only further along the chain: recover them in this order."</p>
                <ol>{items}</ol>
                <button class="btn small primary" data-action="play-plan" on:click=move |_| play_order(ed, sim, &p2)>"▶ Play the recovery"</button>
            </section>
        })
    };

    view! {
        <section class="panel sim-panel" aria-labelledby="sim-heading">
            <div class="panel-head">
                <h2 id="sim-heading">"Simulate a failure"</h2>
                <button class="btn small" data-action="reset" on:click=move |_| reset(ed, sim)
                    title="Back to the drawing as it was (Escape)">"Reset"</button>
            </div>
            <Walkthrough />
            {failed_chips}
            <PlayerView />
            {impact}
            {order}
            {options}
        </section>
    }
}

/// One kind of option for one server; many of a kind (a large estate has
/// hundreds of servers to move to) fold into a picker.
fn option_group(ed: Editor, sim: Sim, server: String, list: Vec<RecoveryOption>) -> impl IntoView {
    const SHOWN: usize = 4;
    let n = list.len();
    let shown: Vec<RecoveryOption> = list.iter().take(SHOWN).cloned().collect();
    let rest: Vec<RecoveryOption> = list.into_iter().skip(SHOWN).collect();
    let rows = shown
        .into_iter()
        .map(|o| option_row(ed, sim, server.clone(), o))
        .collect_view();
    let more = (!rest.is_empty()).then(|| {
        let picked = RwSignal::new(0usize);
        let rest_for_play = rest.clone();
        let server2 = server.clone();
        let kind = rest[0].kind.title();
        view! {
            <li class="more-options">
                <label class="field">
                    <span>{format!("{} more: {kind}, via", n - SHOWN)}</span>
                    <select on:change=move |ev| picked.set(event_target_value(&ev).parse().unwrap_or(0))>
                        {rest.iter().enumerate().map(|(i, o)| view! {
                            <option value=i.to_string()>{o.via.clone().unwrap_or_default()}</option>
                        }).collect_view()}
                    </select>
                </label>
                <button class="btn small" on:click=move |_| {
                    if let Some(o) = rest_for_play.get(picked.get_untracked()).cloned() {
                        play(ed, sim, o, server2.clone());
                    }
                }>"▶ Play"</button>
            </li>
        }
    });
    view! { {rows}{more} }
}

fn option_row(ed: Editor, sim: Sim, server: String, o: RecoveryOption) -> impl IntoView {
    let key = option_key(&o);
    let supported = o.supported;
    let via = o.via.clone();
    let for_play = o.clone();
    let for_apply = o.clone();
    let active = {
        let key = key.clone();
        move || {
            sim.player.with(|p| {
                p.as_ref()
                    .and_then(|p| p.option.as_ref())
                    .is_some_and(|o| option_key(o) == key)
            })
        }
    };
    let server2 = server.clone();
    view! {
        <li class=if supported { "option supported" } else { "option unsupported" } class:active=active
            data-option=key.clone()>
            <div class="option-head">
                <span class="verdict" aria-hidden="true">{if supported { "✓" } else { "✕" }}</span>
                <span class="option-title">
                    {o.kind.title()}
                    {via.map(|v| view! { <span class="via">{format!(" via {v}")}</span> })}
                </span>
                <span class="sr-only">{if supported { " (supported)" } else { " (not supported)" }}</span>
            </div>
            <p class="reason">{o.reason.clone()}</p>
            <div class="row">
                <button class="btn small" data-action="play" on:click=move |_| play(ed, sim, for_play.clone(), server2.clone())>
                    {if supported { "▶ Play" } else { "▶ Show why" }}
                </button>
                {(!ed.readonly).then(|| view! {
                    <button class="btn small primary" data-action="apply" disabled=!supported
                        title=if supported { "Make this the drawing (undoable)" } else { "DPM does not support this" }
                        on:click=move |_| apply(ed, sim, &for_apply)>"Apply"</button>
                })}
            </div>
        </li>
    }
}

/// The player: caption, step n/m, controls, steps, copies per step.
#[component]
fn PlayerView() -> impl IntoView {
    let ed = crate::ctx().ed;
    let sim = crate::ctx().sim;
    let the_plan = expect_context::<Memo<Option<Plan>>>();
    move || {
        let p = sim.player.get()?;
        let n = p.steps.len();
        let at = sim.at.get().min(n.saturating_sub(1));
        let step = p.steps.get(at)?.clone();
        let sources: Vec<DataSource> = the_plan.with_untracked(|pl| {
            let Some(pl) = pl else { return Vec::new() };
            let mut s: Vec<DataSource> = pl.reduced.iter().map(|r| r.source).collect();
            for d in pl.lost.iter().chain(pl.unprotected.iter()) {
                if !s.contains(d) {
                    s.push(*d);
                }
            }
            s
        });
        let counts = copy_counts(&step.topology, &step.failed, &sources);
        let apply_option = p.option.clone();
        let supported = p.option.as_ref().is_some_and(|o| o.supported);
        let steps_list = p
            .steps
            .iter()
            .enumerate()
            .map(|(i, s)| {
                view! {
                    <li class:current={i == at} class:done={i < at}>
                        <button class="step-button" on:click=move |_| go(ed, sim, i)>{s.caption.clone()}</button>
                    </li>
                }
            })
            .collect_view();
        Some(view! {
            <section class="player" aria-label="Playing an option">
                <div class="player-title">
                    <strong>{p.title.clone()}</strong>
                    {p.option.is_some().then(|| format!(" for {}", p.server))}
                    {p.option.as_ref().and_then(|o| o.via.clone()).map(|v| format!(" via {v}"))}
                </div>
                <p class="caption" data-testid="caption" aria-live="polite">{step.caption.clone()}</p>
                <div class="player-controls" role="group" aria-label="Player">
                    <button class="icon-button" data-action="restart" aria-label="Restart" title="Restart"
                        on:click=move |_| go(ed, sim, 0)>"|◀"</button>
                    <button class="icon-button" data-action="step-back" aria-label="Step back" title="Step back"
                        disabled={at == 0} on:click=move |_| go(ed, sim, at.saturating_sub(1))>"◀"</button>
                    <button class="icon-button" data-action="play-pause"
                        aria-label=move || if sim.playing.get() { "Pause" } else { "Play" }
                        on:click=move |_| toggle_play(ed, sim)>
                        {move || if sim.playing.get() { "❚❚" } else { "▶" }}
                    </button>
                    <button class="icon-button" data-action="step-forward" aria-label="Step forward" title="Step forward"
                        disabled={at + 1 >= n} on:click=move |_| go(ed, sim, (at + 1).min(n - 1))>"▶|"</button>
                    <span class="step-count" data-testid="step">{format!("Step {} of {}", at + 1, n)}</span>
                    <label class="speed">"Speed "
                        <select data-action="speed" on:change=move |ev| {
                            sim.speed.set(event_target_value(&ev).parse().unwrap_or(100));
                        }>
                            {[(50u32, "½×"), (100, "1×"), (200, "2×"), (400, "4×")].into_iter().map(|(s, label)| view! {
                                <option value=s.to_string() selected=move || sim.speed.get() == s>{label}</option>
                            }).collect_view()}
                        </select>
                    </label>
                </div>
                <ol class="steps">{steps_list}</ol>
                {(!counts.is_empty()).then(|| view! {
                    <table class="copies-table">
                        <caption>"Copies of the data concerned, at this step"</caption>
                        <thead><tr><th scope="col">"Data"</th><th scope="col">"Copies"</th></tr></thead>
                        <tbody>
                            {counts.into_iter().map(|(label, c, own_down)| view! {
                                <tr class:none={c == 0}>
                                    <td>{label}{own_down.then_some(" (its server is down)")}</td>
                                    <td>{c}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                })}
                <div class="row">
                    {(!ed.readonly).then(|| apply_option.map(|o| view! {
                        <button class="btn primary" data-action="apply" disabled=!supported
                            on:click=move |_| apply(ed, sim, &o)>"Apply this option"</button>
                    }))}
                    <button class="btn" data-action="stop" on:click=move |_| stop(ed, sim)>"Back to the failure"</button>
                </div>
            </section>
        })
    }
}

/// The guided walkthrough of the seed's "Moving protected servers".
#[component]
pub fn Walkthrough() -> impl IntoView {
    let ed = crate::ctx().ed;
    let sim = crate::ctx().sim;
    let is_moving = Memo::new(move |_| {
        ed.doc.with(|t| {
            ["DPM1", "DPM2", "DPM3", "Server1", "Server2"]
                .iter()
                .all(|n| t.find(n).is_some())
        })
    });
    // Failing DPM1 moves the walkthrough on.
    Effect::new(move |_| {
        let f = ed.failed.get();
        if sim.walk.get_untracked() == Some(0) {
            let dpm1 = ed.doc.with_untracked(|t| t.find("DPM1"));
            if dpm1.is_some_and(|d| f == [d]) {
                sim.walk.set(Some(1));
            }
        }
    });
    let options_of_server1 = move || -> Vec<RecoveryOption> {
        let f = ed.failed.get();
        ed.doc.with(|t| {
            let Some(s1) = t.find("Server1") else {
                return Vec::new();
            };
            plan(t, &f)
                .affected
                .into_iter()
                .find(|a| a.server == s1)
                .map(|a| a.options)
                .unwrap_or_default()
        })
    };
    let list = move |supported: bool| {
        options_of_server1()
            .into_iter()
            .filter(|o| o.supported == supported)
            .map(|o| {
                let key = option_key(&o);
                let done = Memo::new(move |_| sim.played.with(|p| p.contains(&key)));
                let o2 = o.clone();
                view! {
                    <li class:done=done>
                        <span class="tick" aria-hidden="true">{move || if done.get() { "☑" } else { "☐" }}</span>
                        <span>
                            <strong>{format!("{}{}", o.kind.title(), o.via.as_ref().map(|v| format!(" via {v}")).unwrap_or_default())}</strong>
                            <br /><span class="reason">{o.reason.clone()}</span>
                        </span>
                        <button class="btn small" on:click=move |_| play(ed, sim, o2.clone(), "Server1".into())>"▶ Play"</button>
                    </li>
                }
            })
            .collect_view()
    };
    let body = move || {
        let stage = sim.walk.get()?;
        let content = match stage {
            0 => view! {
                <p>"DPM1 protects Server1, DPM2 protects Server2, and DPM3 is the secondary of both. Suppose DPM1 fails: click DPM1 on the drawing."</p>
                <button class="btn small" on:click=move |_| {
                    if let Some(d) = ed.doc.with_untracked(|t| t.find("DPM1")) {
                        ed.failed.set(Vec::new());
                        toggle_failed(ed, d);
                    }
                }>"Fail DPM1 for me"</button>
            }
            .into_any(),
            1 => view! {
                <p>"Server1 has lost its primary; DPM3 still holds its copy. Two moves look natural, and DPM supports neither:"</p>
                <ul class="walk-list">{list(false)}</ul>
                <button class="btn small primary" on:click=move |_| sim.walk.set(Some(2))>"Next: what DPM supports"</button>
            }
            .into_any(),
            _ => {
                let all_done = move || {
                    let supported: Vec<String> = options_of_server1()
                        .iter()
                        .filter(|o| o.supported)
                        .map(option_key)
                        .collect();
                    !supported.is_empty() && sim.played.with(|p| supported.iter().all(|k| p.contains(k)))
                };
                view! {
                    <p>"The three supported ways to keep Server1 protected. Play each one:"</p>
                    <ul class="walk-list">{list(true)}</ul>
                    <Show when=all_done>
                        <p class="walk-done">"✓ That is all of them. Apply one to make it your drawing, or Reset to start again."</p>
                    </Show>
                    <button class="btn small" on:click=move |_| sim.walk.set(None)>"Close the walkthrough"</button>
                }
                .into_any()
            }
        };
        Some(view! {
            <section class="walkthrough" aria-label="Guided walkthrough">
                <h3>{format!("Walkthrough: Moving protected servers ({} of 3)", stage.min(2) + 1)}</h3>
                {content}
            </section>
        })
    };
    let start = move || {
        (is_moving.get() && sim.walk.get().is_none()).then(|| {
            view! {
                <button class="btn small walk-start" data-action="walkthrough" on:click=move |_| {
                    if ed.mode.get_untracked() != Mode::Simulate {
                        enter(ed, sim);
                    }
                    sim.played.set(Vec::new());
                    sim.walk.set(Some(0));
                }>"Guided walkthrough: why some moves are not supported"</button>
            }
        })
    };
    view! { {start}{body} }
}
