//! The guided walk-through of a failure, step by step, for a first visit
//! and for trainers.

use crate::sim::state::play;

use crate::sim::state::enter;
use crate::sim::state::option_key;
use crate::sim::state::toggle_failed;
use crate::state::editor::Mode;

use dpm_rules::{plan, xml_escape as esc, RecoveryOption};
use leptos::prelude::*;

/// The guided walkthrough of the seed's "Moving protected servers".
#[component]
pub fn Walkthrough() -> impl IntoView {
    let ed = crate::ctx::ctx().ed;
    let sim = crate::ctx::ctx().sim;
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
    // Markup, rewritten when the stage, the failure or what was played
    // changes; one delegated handler.
    let html = move || {
        let Some(stage) = sim.walk.get() else {
            return if is_moving.get() {
                "<button class=\"btn small walk-start\" data-action=\"walkthrough\">Guided walkthrough: why some moves are not supported</button>".to_string()
            } else {
                String::new()
            };
        };
        let list = |supported: bool| {
            let mut h = String::from("<ul class=\"walk-list\">");
            let mut all = true;
            for o in options_of_server1()
                .iter()
                .filter(|o| o.supported == supported)
            {
                let key = option_key(o);
                let done = sim.played.with(|p| p.contains(&key));
                all &= done;
                h.push_str(&format!(
                    concat!(
                        "<li{}><span class=\"tick\" aria-hidden=\"true\">{}</span>",
                        "<span><strong>{}{}</strong><br><span class=\"reason\">{}</span></span>",
                        "<button class=\"btn small\" data-action=\"walk-play\" data-key=\"{}\" data-k=\"w{}\">▶ Play</button></li>"
                    ),
                    if done { " class=\"done\"" } else { "" },
                    if done { "☑" } else { "☐" },
                    o.kind.title(),
                    o.via.as_deref().map(|v| format!(" via {}", esc(v))).unwrap_or_default(),
                    esc(&o.reason),
                    esc(&key),
                    esc(&key),
                ));
            }
            h.push_str("</ul>");
            (h, all)
        };
        let content = match stage {
            0 => "<p>DPM1 protects Server1, DPM2 protects Server2, and DPM3 is the secondary of both. Suppose DPM1 fails: click DPM1 on the drawing.</p><button class=\"btn small\" data-action=\"walk-fail\">Fail DPM1 for me</button>".to_string(),
            1 => format!(
                "<p>Server1 has lost its primary; DPM3 still holds its copy. Two moves look natural, and DPM supports neither:</p>{}<button class=\"btn small primary\" data-action=\"walk-next\" data-k=\"next\">Next: what DPM supports</button>",
                list(false).0
            ),
            _ => {
                let (items, all) = list(true);
                format!(
                    "<p>The three supported ways to keep Server1 protected. Play each one:</p>{items}{}<button class=\"btn small\" data-action=\"walk-close\">Close the walkthrough</button>",
                    if all && items.contains("<li") {
                        "<p class=\"walk-done\">✓ That is all of them. Apply one to make it your drawing, or Reset to start again.</p>"
                    } else {
                        ""
                    }
                )
            }
        };
        format!(
            "<section class=\"walkthrough\" aria-label=\"Guided walkthrough\"><h3>Walkthrough: Moving protected servers ({} of 3)</h3>{content}</section>",
            stage.min(2) + 1
        )
    };
    let on_click = move |ev: leptos::ev::MouseEvent| {
        let Some(b) = crate::browser::dom::clicked(&ev) else {
            return;
        };
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
                let o = untrack(options_of_server1)
                    .into_iter()
                    .find(|o| Some(option_key(o)) == key);
                if let Some(o) = o {
                    play(ed, sim, o, "Server1".into());
                }
            }
            _ => {}
        }
    };
    let root = NodeRef::<leptos::html::Div>::new();
    Effect::new(move || {
        if let Some(root) = root.get() {
            crate::browser::dom::set_html_keeping_focus(&root, &html());
        }
    });
    view! { <div class="walk" node_ref=root on:click=on_click></div> }
}
