//! The player: the steps of the recovery option being played, with their
//! controls.

use crate::sim::state::copy_counts;
use crate::sim::state::go;
use crate::sim::state::toggle_play;

use crate::sim::state::apply;
use crate::sim::state::stop;
use crate::sim::state::Player;
use crate::sim::state::Sim;
use crate::state::editor::Editor;

use dpm_rules::{xml_escape as esc, DataSource, Plan};
use leptos::prelude::*;

/// The player: caption, step n/m, controls, steps, copies per step.
#[component]
pub fn PlayerView() -> impl IntoView {
    let ed = crate::ctx::ctx().ed;
    let sim = crate::ctx::ctx().sim;
    let the_plan = expect_context::<Memo<Option<Plan>>>();
    let root = NodeRef::<leptos::html::Div>::new();
    Effect::new(move || {
        let Some(root) = root.get() else {
            return;
        };
        let html = sim
            .player
            .with(|p| p.as_ref().map(|p| player_html(ed, sim, the_plan, p)))
            .unwrap_or_default();
        crate::browser::dom::set_html_keeping_focus(&root, &html);
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
            Some("stop") => stop(ed, sim),
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
fn player_html(ed: Editor, sim: Sim, the_plan: Memo<Option<Plan>>, p: &Player) -> String {
    let n = p.steps.len();
    let at = sim.at.get().min(n.saturating_sub(1));
    let playing = sim.playing.get();
    let speed = sim.speed.get();
    let Some(step) = p.steps.get(at) else {
        return String::new();
    };
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
    let dis = |b: bool| if b { " disabled" } else { "" };
    let mut h = format!(
        "<section class=\"player\" aria-label=\"Playing an option\"><div class=\"player-title\"><strong>{}</strong>{}{}</div>",
        esc(&p.title),
        if p.option.is_some() { format!(" for {}", esc(&p.server)) } else { String::new() },
        p.option
            .as_ref()
            .and_then(|o| o.via.as_deref())
            .map(|v| format!(" via {}", esc(v)))
            .unwrap_or_default()
    );
    h.push_str(&format!(
        concat!(
            "<p class=\"caption\" data-testid=\"caption\" aria-live=\"polite\">{caption}</p>",
            "<div class=\"player-controls\" role=\"group\" aria-label=\"Player\">",
            "<button class=\"icon-button\" data-action=\"restart\" data-k=\"restart\" aria-label=\"Restart\" title=\"Restart\">|◀</button>",
            "<button class=\"icon-button\" data-action=\"step-back\" data-k=\"back\" aria-label=\"Step back\" title=\"Step back\"{first}>◀</button>",
            "<button class=\"icon-button\" data-action=\"play-pause\" data-k=\"pp\" aria-label=\"{pp}\">{pp_icon}</button>",
            "<button class=\"icon-button\" data-action=\"step-forward\" data-k=\"fwd\" aria-label=\"Step forward\" title=\"Step forward\"{last}>▶|</button>",
            "<span class=\"step-count\" data-testid=\"step\">Step {at} of {n}</span>",
            "<label class=\"speed\">Speed <select data-action=\"speed\" data-k=\"speed\">{speeds}</select></label></div><ol class=\"steps\">"
        ),
        caption = esc(&step.caption),
        first = dis(at == 0),
        pp = if playing { "Pause" } else { "Play" },
        pp_icon = if playing { "❚❚" } else { "▶" },
        last = dis(at + 1 >= n),
        at = at + 1,
        n = n,
        speeds = [(50u32, "½×"), (100, "1×"), (200, "2×"), (400, "4×")]
            .iter()
            .map(|(v, l)| format!("<option value=\"{v}\"{}>{l}</option>", if *v == speed { " selected" } else { "" }))
            .collect::<String>(),
    ));
    for (i, s) in p.steps.iter().enumerate() {
        let class = if i == at {
            " class=\"current\""
        } else if i < at {
            " class=\"done\""
        } else {
            ""
        };
        h.push_str(&format!(
            "<li{class}><button class=\"step-button\" data-action=\"go-step\" data-step=\"{i}\" data-k=\"s{i}\">{}</button></li>",
            esc(&s.caption)
        ));
    }
    h.push_str("</ol>");
    if !counts.is_empty() {
        h.push_str("<table class=\"copies-table\"><caption>Copies of the data concerned, at this step</caption><thead><tr><th scope=\"col\">Data</th><th scope=\"col\">Copies</th></tr></thead><tbody>");
        for (label, c, own_down) in counts {
            h.push_str(&format!(
                "<tr{}><td>{}{}</td><td>{c}</td></tr>",
                if c == 0 { " class=\"none\"" } else { "" },
                esc(&label),
                if own_down {
                    " (its server is down)"
                } else {
                    ""
                }
            ));
        }
        h.push_str("</tbody></table>");
    }
    h.push_str("<div class=\"row\">");
    if let (false, Some(o)) = (ed.readonly, &p.option) {
        h.push_str(&format!(
            "<button class=\"btn primary\" data-action=\"apply\" data-k=\"apply\"{}>Apply this option</button>",
            dis(!o.supported)
        ));
    }
    h.push_str("<button class=\"btn\" data-action=\"stop\" data-k=\"stop\">Back to the failure</button></div></section>");
    h
}
