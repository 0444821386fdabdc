//! The player: the steps of the recovery option being played, with their
//! controls.

use crate::sim::state::copy_counts;
use crate::sim::state::go;
use crate::sim::state::toggle_play;

use crate::sim::state::apply;
use crate::sim::state::stop;
use crate::sim::state::Player;
use crate::sim::state::Sim;

use crate::browser::markup::el;
use crate::browser::markup::El;
use crate::browser::markup::Markup;
use crate::ui::markup::action_button;
use crate::ui::markup::classed;

use dpm_rules::{DataSource, Plan, Topology};
use leptos::prelude::*;

/// The player: caption, step n/m, controls, steps, copies per step.
#[component]
pub fn PlayerView() -> impl IntoView {
    let ed = crate::ctx::ctx().ed;
    let sim = crate::ctx::ctx().sim;
    let the_plan = expect_context::<Memo<Option<Plan>>>();
    let root = NodeRef::<leptos::html::Div>::new();
    crate::browser::effect(move || {
        let Some(root) = root.get() else {
            return;
        };
        let html = sim
            .player
            .with(|p| {
                let p = p.as_ref()?;
                // The drawing the steps were made from (a step that leaves
                // it unchanged has no copy of its own).
                Some(
                    ed.doc
                        .with_untracked(|doc| player_html(sim, the_plan, p, doc)),
                )
            })
            .unwrap_or_default();
        crate::browser::markup::set_keeping_focus(&root, &html);
    });
    let on_click = move |ev: leptos::ev::MouseEvent| {
        let Some(b) = crate::browser::dom::clicked(&ev) else {
            return;
        };
        let n = sim
            .player
            .with_untracked(|p| p.as_ref().map_or(0, |p| p.steps.len()));
        let at = sim.at.get_untracked();
        match b.get_attribute("data-action").as_deref() {
            Some("restart") => go(ed, sim, 0),
            Some("step-back") => go(ed, sim, at.saturating_sub(1)),
            Some("play-pause") => toggle_play(ed, sim),
            Some("step-forward") => go(ed, sim, (at + 1).min(n.saturating_sub(1))),
            Some("go-step") => {
                let i = b.get_attribute("data-step").and_then(|i| i.parse().ok());
                go(ed, sim, i.unwrap_or(0));
            }
            Some("apply") => {
                if let Some(o) = sim
                    .player
                    .with_untracked(|p| p.as_ref().and_then(|p| p.option.clone()))
                {
                    apply(ed, sim, &o);
                }
            }
            Some("stop") => {
                let played = sim.player.with_untracked(|p| {
                    p.as_ref()
                        .map(|p| (p.server.clone(), p.option.as_ref().map(|o| o.key())))
                });
                stop(ed, sim);
                // The player is gone: the focus goes to what played it.
                if let Some(played) = played {
                    request_animation_frame(move || focus_play(&played.0, played.1.as_deref()));
                }
            }
            _ => {}
        }
    };
    let on_change = move |ev: leptos::ev::Event| {
        sim.speed
            .set(event_target_value(&ev).parse().unwrap_or(100));
    };
    view! { <div node_ref=root on:click=on_click on:change=on_change></div> }
}

/// The player as markup: caption, step n/m, controls, steps, and the
/// copies of the data concerned at this step.
fn player_html(sim: Sim, the_plan: Memo<Option<Plan>>, p: &Player, doc: &Topology) -> Markup {
    let n = p.steps.len();
    let at = sim.at.get().min(n.saturating_sub(1));
    let (playing, speed) = (sim.playing.get(), sim.speed.get());
    let Some(step) = p.steps.get(at) else {
        return Markup::default();
    };
    let drawing = step.drawing(doc);
    let (counts, left_out) = the_plan.with_untracked(|pl| {
        let Some(pl) = pl else {
            return (Vec::new(), None);
        };
        let mut s: Vec<DataSource> = pl.reduced.iter().map(|r| r.source).collect();
        // By a set: a site's failure concerns thousands.
        let mut seen: dpm_rules::hash::HashSet<DataSource> = s.iter().copied().collect();
        for d in pl.lost.iter().chain(pl.unprotected.iter()) {
            if seen.insert(*d) {
                s.push(*d);
            }
        }
        let (sources, left_out) = concerned(drawing, p, s);
        (copy_counts(pl, doc, step, &sources), left_out)
    });
    // In the editor, an option (not a recovery in order) can be applied.
    let apply = p.option.as_ref().map(|o| {
        action_button("btn primary", "apply")
            .attr("data-k", "apply")
            .flag("disabled", !o.supported)
            .text("Apply this option")
    });
    let stop = action_button("btn", "stop")
        .attr("data-k", "stop")
        .text("Back to the failure");
    classed("section", "player")
        .attr("aria-label", "Playing an option")
        .child(player_title(p))
        .child(
            classed("p", "caption")
                .attr("data-testid", "caption")
                .attr("aria-live", "polite")
                .text(&step.caption),
        )
        .child(player_controls(at, n, playing, speed))
        .child(steps_list(p, at))
        .child_opt(copies_table(counts))
        .child_opt(left_out)
        .child_opt(brings(p))
        .child(classed("div", "row").child_opt(apply).child(stop))
        .render()
}

/// What applying the option brings ([`Player::brings`]), read before it
/// is applied, as a Risk fix says its cost: each finding's rule, severity
/// and sentence.
fn brings(p: &Player) -> Option<El> {
    if p.brings.is_empty() {
        return None;
    }
    let items = p.brings.iter().map(|f| {
        el("li")
            .attr("data-brings", f.rule.id())
            .text(format!("The {} {}: ", f.rule.id(), f.severity().as_str()))
            .user_text(&f.message)
    });
    Some(
        classed("div", "player-brings")
            .attr("data-testid", "option-brings")
            .child(el("p").text("Applying it brings:"))
            .child(el("ul").children(items)),
    )
}

/// What is played, for which server, via which.
fn player_title(p: &Player) -> El {
    let mut title = classed("div", "player-title").child(el("strong").text(&p.title));
    if let Some(o) = &p.option {
        // The server it goes through with the title, as the options list
        // has them ("Move to a server the secondary doesn't know: DS5"),
        // then whose protection it is.
        title = match &o.via {
            Some(v) => title.text(o.via_joiner()).user_text(v).text(", for "),
            None => title.text(" for "),
        }
        .user_text(&p.server);
    }
    title
}

/// The player's controls: restart, step back, play or pause, step
/// forward, the step count and the speed.
fn player_controls(at: usize, n: usize, playing: bool, speed: u32) -> El {
    let control = |action: &'static str, k: &'static str, label: &'static str| {
        action_button("icon-button", action)
            .attr("data-k", k)
            .attr("aria-label", label)
    };
    let mut speeds = el("select")
        .attr("data-action", "speed")
        .attr("data-k", "speed");
    for (v, l) in [(50u32, "½×"), (100, "1×"), (200, "2×"), (400, "4×")] {
        speeds = speeds.child(
            el("option")
                .attr("value", v.to_string())
                .flag("selected", v == speed)
                .text(l),
        );
    }
    let (pp, pp_icon) = if playing {
        ("Pause", "❚❚")
    } else {
        ("Play", "▶")
    };
    classed("div", "player-controls")
        .attr("role", "group")
        .attr("aria-label", "Player")
        .child(
            control("restart", "restart", "Restart")
                .attr("title", "Restart")
                .text("|◀"),
        )
        .child(
            control("step-back", "back", "Step back")
                .attr("title", "Step back")
                .flag("disabled", at == 0)
                .text("◀"),
        )
        .child(control("play-pause", "pp", pp).text(pp_icon))
        .child(
            control("step-forward", "fwd", "Step forward")
                .attr("title", "Step forward")
                .flag("disabled", at + 1 >= n)
                .text("▶|"),
        )
        .child(
            classed("span", "step-count")
                .attr("data-testid", "step")
                .text(format!("Step {} of {n}", at + 1)),
        )
        .child(classed("label", "speed").text("Speed ").child(speeds))
}

/// Data sources the copies table shows at most: a site's failure at
/// 10,000 servers concerns thousands, a table a quarter of a million
/// pixels tall under the player.
const COPIES_MOST: usize = 40;

/// The data the copies table shows (`all`, the data the failure concerns,
/// when few), and a line saying what it leaves out. With many: the data
/// of the server the option is for (of none, for a recovery in order), up
/// to [`COPIES_MOST`].
fn concerned(t: &Topology, p: &Player, all: Vec<DataSource>) -> (Vec<DataSource>, Option<El>) {
    if all.len() <= COPIES_MOST {
        return (all, None);
    }
    let total = all.len();
    let own = p.option.as_ref().and_then(|_| t.find(&p.server));
    let shown: Vec<DataSource> = all
        .into_iter()
        .filter(|d| own.is_some_and(|o| d.server == o))
        .take(COPIES_MOST)
        .collect();
    let note = classed("p", "muted copies-left-out");
    let note = if shown.is_empty() {
        note.text(format!("The failure concerns {total} data sources"))
    } else {
        note.text(format!(
            "Shown: {} of the {total} data sources the failure concerns, those of ",
            shown.len()
        ))
        .user_text(&p.server)
    };
    let note = note.text("; the impact below lists them all.");
    (shown, Some(note))
}

/// The steps, each a button that goes to it: those done, the current one.
fn steps_list(p: &Player, at: usize) -> El {
    let mut steps = classed("ol", "steps");
    for (i, s) in p.steps.iter().enumerate() {
        let class = if i == at {
            Some("current")
        } else if i < at {
            Some("done")
        } else {
            None
        };
        steps = steps.child(
            el("li").attr_opt("class", class).child(
                action_button("step-button", "go-step")
                    .attr("data-step", i.to_string())
                    .attr("data-k", format!("s{i}"))
                    .text(&s.caption),
            ),
        );
    }
    steps
}

/// "Copies of the data concerned, at this step": each data source and its
/// copies left (a row marked when none is). None when no data is concerned.
fn copies_table(counts: Vec<(String, usize, bool)>) -> Option<El> {
    if counts.is_empty() {
        return None;
    }
    let mut rows = el("tbody");
    for (label, c, own_down) in counts {
        let data = if own_down {
            el("td").user_text(label).text(" (its server is down)")
        } else {
            el("td").text(label)
        };
        rows = rows.child(
            el("tr")
                .attr_opt("class", (c == 0).then_some("none"))
                .child(data)
                .child(el("td").text(c.to_string())),
        );
    }
    let col = |name: &'static str| el("th").attr("scope", "col").text(name);
    Some(
        classed("table", "copies-table")
            .child(el("caption").text("Copies of the data concerned, at this step"))
            .child(el("thead").child(el("tr").child(col("Data")).child(col("Copies"))))
            .child(rows),
    )
}

/// Focuses the button that plays option `key` for server `server` (the
/// recovery in order's when `key` is None), as the plan shows it.
fn focus_play(server: &str, key: Option<&str>) {
    use crate::browser::markup::by_attr;
    use wasm_bindgen::JsCast;
    let Some(root) = document().document_element() else {
        return;
    };
    let button = match key {
        Some(key) => by_attr(&root, "data-affected", server)
            .and_then(|a| by_attr(&a, "data-option", key))
            .and_then(|o| o.query_selector("[data-action=play]").ok().flatten()),
        None => by_attr(&root, "data-k", "play-plan"),
    };
    if let Some(b) = button.and_then(|b| b.dyn_into::<web_sys::HtmlElement>().ok()) {
        let _ = b.focus();
    }
}
