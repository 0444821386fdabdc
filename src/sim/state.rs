//! The failover simulator's state and transitions, below its views: which
//! servers and sites are down, the plan the rule crate makes for them, and
//! the player that steps through a recovery option.

use crate::state::editor::Editor;
use crate::state::editor::Mode;

use dpm_rules::hash::HashSet;
use dpm_rules::{down_with, DataSource, Down, Plan, RecoveryOption, ServerId, Step, Topology};
use leptos::prelude::*;
use std::time::Duration;

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
    /// What applying the option brings: the errors and warnings its
    /// result has that the drawing has not (Switch Protection on a server
    /// with a secondary brings `switched-no-secondary`), said before it
    /// is applied. Empty for recovery in order.
    pub brings: Vec<dpm_rules::Finding>,
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

/// What is down: the servers the user failed, every server of the sites
/// the user failed, every guest of a down host; and the DPM servers
/// stopped, their database being on a down server.
pub fn down(ed: Editor) -> Down {
    let f = ed.failed.get_untracked();
    ed.failed_sites.with_untracked(|sites| {
        let sites: Vec<&str> = sites.iter().map(String::as_str).collect();
        ed.doc.with_untracked(|t| down_with(t, &f, &sites))
    })
}

/// The servers down, as the planner and an option's steps take them: what
/// the user failed, in the user's order, when nothing else went with it.
fn down_ids(ed: Editor) -> Vec<ServerId> {
    in_users_order(ed, down(ed).failed)
}

fn in_users_order(ed: Editor, failed: Vec<ServerId>) -> Vec<ServerId> {
    let own = ed.failed.get_untracked();
    if failed.len() == own.len() {
        own
    } else {
        failed
    }
}

/// The drawing shows what is down (and stopped) again.
fn show_down(ed: Editor) {
    let d = down(ed);
    ed.shown_failed.set(in_users_order(ed, d.failed));
    ed.making.set(Vec::new());
    ed.stopped.set(d.stopped);
}

/// Fails or restores server `id`.
pub fn toggle_failed(ed: Editor, id: ServerId) {
    ed.clear_preview();
    ed.flows.set(Vec::new());
    ed.failed.update(|f| {
        if let Some(i) = f.iter().position(|&x| x == id) {
            f.remove(i);
        } else {
            f.push(id);
        }
    });
    show_down(ed);
}

/// Fails or restores every server of `site` (as `sites` names it).
pub fn toggle_site(ed: Editor, site: &str) {
    let site = site.trim();
    if site.is_empty() {
        return;
    }
    ed.clear_preview();
    ed.flows.set(Vec::new());
    ed.failed_sites.update(|f| {
        if let Some(i) = f.iter().position(|x| dpm_rules::same_name(x.trim(), site)) {
            f.remove(i);
        } else {
            f.push(site.to_string());
        }
    });
    show_down(ed);
}

/// Opens the simulator on the drawing as it is: nothing failed, nothing
/// selected.
pub fn enter(ed: Editor, sim: Sim) {
    // The protection table goes out of sight with the simulator, kept laid
    // out (`.kept-hidden`): focus inside it would stay on what no one sees,
    // so it goes to the toggle that closes the simulator again, as focus in
    // the simulator's panel goes to it when the panel closes.
    let had_focus = crate::browser::dom::focus_within(".kept-hidden");
    stop(ed, sim);
    ed.selection.set(Vec::new());
    ed.selected_link.set(None);
    ed.mode.set(Mode::Simulate);
    if had_focus {
        focus_simulate();
    }
}

/// Back to the drawing as it was before the simulation.
pub fn reset(ed: Editor, sim: Sim) {
    // The panel goes with the simulator: focus inside it goes to the
    // toggle that opens it again (Reset, Escape, Apply), not to the page.
    let had_focus = crate::browser::dom::focus_within(".sim-panel");
    stop(ed, sim);
    ed.leave_simulation();
    if had_focus {
        focus_simulate();
    }
}

/// Focus on the toolbar's Simulate toggle, or on its More menu when the
/// toggle is not shown.
fn focus_simulate() {
    use wasm_bindgen::JsCast;
    let doc = leptos::prelude::document();
    let shown = |sel: &str| {
        doc.query_selector(sel)
            .ok()
            .flatten()
            .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
            .filter(|e| e.offset_width() > 0)
    };
    if let Some(b) = shown("[data-action=simulate]").or_else(|| shown("[data-testid=more]")) {
        let _ = b.focus();
    }
}

/// Stops playing and shows the failure itself again.
pub fn stop(ed: Editor, sim: Sim) {
    sim.timer.update_value(|g| *g = g.wrapping_add(1));
    sim.player.set(None);
    sim.playing.set(false);
    sim.at.set(0);
    ed.clear_preview();
    ed.flows.set(Vec::new());
    ed.entering.set(HashSet::default());
    show_down(ed);
}

pub fn play(ed: Editor, sim: Sim, option: RecoveryOption, server: String) {
    let failed = down_ids(ed);
    let steps = ed.doc.with_untracked(|t| option.steps(t, &failed));
    // (The result is the last step's drawing, as `RecoveryOption::result`
    // gives it.)
    // From the drawing's findings as the editor keeps them: one check, of
    // the result (some 2 ms at 10,000 servers natively), not two.
    let brings = match steps.last().and_then(|s| s.topology.as_ref()) {
        Some(result) => match ed.doc_findings() {
            Some(had) => dpm_rules::brought_over(&had, result),
            None => ed.doc.with_untracked(|t| dpm_rules::brought(t, result)),
        },
        None => Vec::new(),
    };
    sim.timer.update_value(|g| *g = g.wrapping_add(1));
    sim.player.set(Some(Player {
        title: ed.doc.with_untracked(|t| option.title(t)).to_string(),
        option: Some(option),
        server,
        steps,
        brings,
    }));
    start_playing(ed, sim);
}

/// Shows a new player's first step and plays on, with the player in view.
fn start_playing(ed: Editor, sim: Sim) {
    show(ed, sim, 0);
    sim.playing.set(true);
    schedule(ed, sim);
    reveal_player();
}

/// Brings the player, at the top of the simulator's panel, into the side
/// column's view when it opens out of sight (Play pressed on an option far
/// down the list, thousands of pixels below it). The focus stays on Play.
fn reveal_player() {
    leptos::prelude::request_animation_frame(|| {
        let player = leptos::prelude::document().query_selector(".player");
        if let Some(player) = player.ok().flatten() {
            crate::browser::dom::into_column_view(&player);
        }
    });
}

/// Plays recovery in order as one sequence: the failure, then each rebuild.
pub fn play_order(ed: Editor, sim: Sim, plan: &Plan) {
    let Some(first) = plan.order.first() else {
        return;
    };
    let failed = down_ids(ed);
    let stopped = down(ed).stopped;
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
        topology: None,
        failed: failed.clone(),
        making: Vec::new(),
        stopped,
        moved: Vec::new(),
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
        brings: Vec::new(),
    }));
    start_playing(ed, sim);
}

fn show(ed: Editor, sim: Sim, i: usize) {
    let Some(p) = sim.player.get_untracked() else {
        return;
    };
    let Some(step) = p.steps.get(i) else { return };
    // Steps that leave the drawing as the plan found it have no copy of
    // their own: they show the drawing itself.
    let prev = i
        .checked_sub(1)
        .and_then(|j| p.steps.get(j))
        .unwrap_or(step);
    let (entering, shown) = ed.doc.with_untracked(|doc| {
        let before: HashSet<ServerId> = prev.drawing(doc).servers.iter().map(|s| s.id).collect();
        let now = step.drawing(doc);
        let entering: HashSet<ServerId> = now
            .servers
            .iter()
            .map(|s| s.id)
            .filter(|id| !before.contains(id))
            .collect();
        (entering, now.clone())
    });
    sim.at.set(i);
    ed.entering.set(entering);
    ed.shown_failed.set(step.failed.clone());
    ed.making.set(step.making.clone());
    ed.stopped.set(step.stopped.clone());
    ed.flows.set(step.flows.clone());
    ed.set_preview(shown);
    if let (true, Some(o)) = (i + 1 == p.steps.len(), p.option.as_ref()) {
        let key = o.key();
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

pub fn go(ed: Editor, sim: Sim, i: usize) {
    sim.timer.update_value(|g| *g = g.wrapping_add(1));
    sim.playing.set(false);
    show(ed, sim, i);
}

pub fn toggle_play(ed: Editor, sim: Sim) {
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
    let failed = down_ids(ed);
    let result = ed.doc.with_untracked(|t| option.result(t, &failed));
    let title = ed.doc.with_untracked(|t| option.title(t));
    // A rebuild or a restore brings back the drawing as it was: nothing to
    // change, and no Undo to promise (the notice offered one, greyed out).
    let same = ed.doc.with_untracked(|t| *t == result);
    reset(ed, sim);
    if same {
        ed.tell(format!(
            "Applied “{title}”: the drawing already shows the result, the servers protected as before the failure."
        ));
    } else if ed.commit(result) {
        ed.tell_step(
            format!(
                "Applied “{title}”: the drawing now shows the result. Undo (Ctrl+Z) brings back the drawing before."
            ),
            None,
        );
    }
}

pub fn labels(t: &Topology, list: &[DataSource]) -> Vec<String> {
    list.iter().map(|d| d.label(t)).collect()
}

/// Each data source in a step's drawing, with its copies after the step
/// (the rule crate's [`Plan::copies_after`]: a server rebuilt while the
/// server it copied from is down holds nothing yet) and whether its own
/// server is down.
pub fn copy_counts(
    plan: &Plan,
    planned: &Topology,
    step: &Step,
    sources: &[DataSource],
) -> Vec<(String, usize, bool)> {
    let step_t = step.drawing(planned);
    let sources: Vec<DataSource> = sources
        .iter()
        .copied()
        .filter(|d| step_t.server(d.server).is_some())
        .collect();
    let counts = plan.copies_after(planned, step, &sources);
    sources
        .iter()
        .zip(counts)
        .map(|(d, n)| (d.label(step_t), n, step.failed.contains(&d.server)))
        .collect()
}
