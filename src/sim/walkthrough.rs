//! The guided walk-through of a failure, step by step, for a first visit
//! and for trainers.

use crate::browser::markup::el;
use crate::browser::markup::El;
use crate::browser::markup::Markup;
use crate::sim::state::enter;
use crate::sim::state::play;
use crate::sim::state::toggle_failed;
use crate::sim::state::Sim;
use crate::state::editor::Editor;
use crate::state::editor::Mode;
use crate::ui::markup::action_button;
use crate::ui::markup::classed;

use dpm_rules::{plan, RecoveryOption};
use leptos::prelude::*;

/// The guided walkthrough of the seed's "Moving protected servers".
#[component]
pub fn Walkthrough() -> impl IntoView {
    let ed = crate::ctx::ctx().ed;
    let sim = crate::ctx::ctx().sim;
    let is_moving = crate::browser::memo(move |_| {
        ed.track_doc_content();
        ed.doc.with_untracked(|t| {
            t.find_each(["DPM1", "DPM2", "DPM3", "Server1", "Server2"])
                .iter()
                .all(Option::is_some)
        })
    });
    // Failing DPM1 moves the walkthrough on.
    crate::browser::effect(move || {
        let f = ed.failed.get();
        if sim.walk.get_untracked() == Some(0) {
            let dpm1 = ed.doc.with_untracked(|t| t.find("DPM1"));
            if dpm1.is_some_and(|d| f == [d]) {
                sim.walk.set(Some(1));
            }
        }
    });
    // Markup, rewritten when the stage, the failure or what was played
    // changes; one delegated handler.
    let html = move || match sim.walk.get() {
        None if is_moving.get() => start_button().render(),
        None => Markup::default(),
        Some(stage) => walk_stage(ed, sim, stage).render(),
    };
    let on_click = move |ev: leptos::ev::MouseEvent| {
        if let Some(b) = crate::browser::dom::clicked(&ev) {
            walk_action(ed, sim, &b);
        }
    };
    let root = NodeRef::<leptos::html::Div>::new();
    crate::browser::effect(move || {
        if let Some(root) = root.get() {
            crate::browser::markup::set_keeping_focus(&root, &html());
        }
    });
    view! { <div class="walk" node_ref=root on:click=on_click></div> }
}

/// What DPM lets you do for Server1 after the failure (tracked).
fn options_of_server1(ed: Editor) -> Vec<RecoveryOption> {
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
}

/// The button that starts the walkthrough, on the "Moving" drawing.
fn start_button() -> El {
    action_button("btn small walk-start", "walkthrough")
        .text("Guided walkthrough: why some moves are not supported")
}

/// A stage of the walkthrough: fail DPM1, the two moves DPM does not
/// support, then the three it does, each to play.
fn walk_stage(ed: Editor, sim: Sim, stage: u8) -> El {
    let section = classed("section", "walkthrough")
        .attr("aria-label", "Guided walkthrough")
        .child(el("h3").text(format!(
            "Walkthrough: Moving protected servers ({} of 3)",
            stage.min(2) + 1
        )));
    match stage {
        0 => section
            .child(el("p").text("DPM1 protects Server1, DPM2 protects Server2, and DPM3 is the secondary of both. Suppose DPM1 fails: click DPM1 on the drawing."))
            .child(walk_button("btn small", "walk-fail", None).text("Fail DPM1 for me")),
        1 => {
            let (list, ..) = walk_list(ed, sim, &options_of_server1(ed), false);
            section
                .child(el("p").text("Server1 has lost its primary; DPM3 still holds its copy. Two moves look natural, and DPM supports neither:"))
                .child(list)
                .child(walk_button("btn small primary", "walk-next", Some("next")).text("Next: what DPM supports"))
        }
        _ => {
            let (list, shown, all) = walk_list(ed, sim, &options_of_server1(ed), true);
            let done = (all && shown > 0).then(|| {
                classed("p", "walk-done").text(
                    "✓ That is all of them. Apply one to make it your drawing, or Reset to start again.",
                )
            });
            section
                .child(el("p").text(
                    "The three supported ways to keep Server1 protected. Play each one:",
                ))
                .child(list)
                .child_opt(done)
                .child(walk_button("btn small", "walk-close", None).text("Close the walkthrough"))
        }
    }
}

/// A button of the walkthrough.
fn walk_button(class: &'static str, action: &'static str, k: Option<&str>) -> El {
    action_button(class, action).attr_opt("data-k", k)
}

/// The options of Server1 that DPM supports (or not), each ticked once
/// played, with a Play button; with how many there are and whether every
/// one was played.
fn walk_list(
    ed: Editor,
    sim: Sim,
    options: &[RecoveryOption],
    supported: bool,
) -> (El, usize, bool) {
    let mut all = true;
    let mut n = 0;
    let mut list = classed("ul", "walk-list");
    for o in options.iter().filter(|o| o.supported == supported) {
        let key = o.key();
        let done = sim.played.with(|p| p.contains(&key));
        all &= done;
        let mut title = el("strong").text(ed.doc.with_untracked(|t| o.title(t)));
        if let Some(v) = &o.via {
            title = title.text(o.via_joiner()).user_text(v);
        }
        n += 1;
        list = list.child(
            el("li")
                .attr_opt("class", done.then_some("done"))
                .child(
                    classed("span", "tick")
                        .attr("aria-hidden", "true")
                        .text(if done { "☑" } else { "☐" }),
                )
                .child(
                    el("span")
                        .child(title)
                        .child(el("br"))
                        .child(classed("span", "reason").text(&o.reason)),
                )
                .child(
                    walk_button("btn small", "walk-play", None)
                        .attr("data-key", &key)
                        .attr("data-k", format!("w{key}"))
                        .text("▶ Play"),
                ),
        );
    }
    (list, n, all)
}

/// What a button of the walkthrough does.
fn walk_action(ed: Editor, sim: Sim, b: &web_sys::Element) {
    match b.get_attribute("data-action").as_deref() {
        Some("walkthrough") => {
            if ed.mode.get_untracked() != Mode::Simulate {
                enter(ed, sim);
            }
            sim.played.set(Vec::new());
            sim.walk.set(Some(0));
        }
        Some("walk-fail") => {
            if let Some(d) = ed.doc.with_untracked(|t| t.find("DPM1")) {
                ed.failed.set(Vec::new());
                ed.failed_sites.set(Vec::new());
                toggle_failed(ed, d);
            }
        }
        Some("walk-next") => sim.walk.set(Some(2)),
        Some("walk-close") => sim.walk.set(None),
        Some("walk-play") => {
            let key = b.get_attribute("data-key");
            let o = untrack(|| options_of_server1(ed))
                .into_iter()
                .find(|o| Some(o.key()) == key);
            if let Some(o) = o {
                play(ed, sim, o, "Server1".into());
            }
        }
        _ => {}
    }
}
