//! The failover simulator: fail servers, see what is lost and what DPM
//! supports (the rule crate's planner), and watch an option play out.
//!
//! Nothing here changes the drawing until the user applies an option: the
//! steps are shown through the editor's preview, which never enters the
//! undo history or the save.

use std::collections::HashSet;
use std::time::Duration;

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use dpm_rules::{
    down_with, plan, plan_outage, xml_escape as esc, Copies, DataSource, Down, OptionKind, Plan,
    RecoveryOption, ServerId, Step, Topology,
};

use crate::markup::{el, El};
use crate::state::{Editor, Mode};
use crate::vlist;

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
    ed.stopped.set(d.stopped);
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
    show_down(ed);
}

/// Fails or restores every server of `site` (as `sites` names it).
pub fn toggle_site(ed: Editor, site: &str) {
    let site = site.trim();
    if site.is_empty() {
        return;
    }
    ed.preview.set(None);
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
    show_down(ed);
}

pub fn play(ed: Editor, sim: Sim, option: RecoveryOption, server: String) {
    let failed = down_ids(ed);
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
    let failed = down_ids(ed);
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
    let failed = down_ids(ed);
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
        ed.failed_sites.with(|sites| {
            if f.is_empty() && sites.is_empty() {
                None
            } else {
                let sites: Vec<&str> = sites.iter().map(String::as_str).collect();
                Some(ed.doc.with(|t| plan_outage(t, &f, &sites)))
            }
        })
    });
    provide_context(the_plan);
    // Options picked by name in a group's field, by the field's id.
    let picks = StoredValue::new(Vec::<(String, usize)>::new());
    // A change of the failed servers ends the option being played.
    Effect::new(move |prev: Option<(Vec<ServerId>, Vec<String>)>| {
        let f = (ed.failed.get(), ed.failed_sites.get());
        if prev.is_some_and(|p| p != f) {
            stop(ed, sim);
            picks.set_value(Vec::new());
        }
        f
    });

    // The servers and sites the user failed (each with a button that
    // brings it back), then what went down with them, and why.
    let all_sites = Memo::new(move |_| ed.doc.with(dpm_rules::sites));
    let failed_chips = move || {
        let f = ed.failed.get();
        let sites = ed.failed_sites.get();
        let fail_site = fail_site_html(&all_sites.get(), &sites);
        if f.is_empty() && sites.is_empty() {
            return fail_site
                + el("p")
                    .attr("class", "hint-text")
                    .text("Click a server on the drawing (or focus it and press Enter) to make it fail. Fail several to see them fail together.")
                    .render()
                    .as_str();
        }
        let also = the_plan.with(|p| p.as_ref().map(|p| p.also_down.clone()).unwrap_or_default());
        ed.doc.with_untracked(|t| {
            let chip = |label: El, data: (&'static str, String), what: String| {
                el("li")
                    .attr("class", "chip failed-chip")
                    .child(label)
                    .child(
                        el("button")
                            .attr("class", "icon-button")
                            .attr("data-action", "bring-back")
                            .attr(data.0, data.1)
                            .attr("aria-label", format!("Bring {what} back"))
                            .text("×"),
                    )
            };
            let mut chips: Vec<El> = sites
                .iter()
                .map(|site| {
                    chip(
                        el("span").text("Site ").user_text(site),
                        ("data-site", site.clone()),
                        format!("site {site}"),
                    )
                })
                .collect();
            chips.extend(f.iter().map(|&id| {
                chip(
                    el("span").user_text(t.name(id)),
                    ("data-id", id.0.to_string()),
                    t.name(id).to_string(),
                )
            }));
            // Down because of another: no button (they come back with it).
            // A site's own servers are listed once, under the site.
            let with: Vec<El> = also
                .iter()
                .filter(|a| a.how != dpm_rules::DownHow::Site && !f.contains(&a.server))
                .map(|a| {
                    el("li")
                        .attr("class", "chip also-chip")
                        .attr("data-also", t.name(a.server))
                        .attr("data-how", a.how.as_str())
                        .child(
                            el("span")
                                .child(el("strong").user_text(t.name(a.server)))
                                .text(" — ")
                                .child(el("span").attr("class", "why").text(a.phrase())),
                        )
                })
                .collect();
            let m = el("ul")
                .attr("class", "chips")
                .attr("aria-label", "Failed servers")
                .children(chips)
                .children(with);
            fail_site + m.render().as_str()
        })
    };
    let chips_root = NodeRef::<leptos::html::Div>::new();
    Effect::new(move || {
        let html = failed_chips();
        if let Some(root) = chips_root.get() {
            crate::panels::set_html_keeping_focus(&root, &html);
        }
    });
    let on_chip = move |ev: leptos::ev::MouseEvent| {
        let Some(b) = crate::clicked(&ev) else {
            return;
        };
        if b.get_attribute("data-action").as_deref() == Some("fail-site") {
            let picked = chips_root
                .get_untracked()
                .and_then(|r| {
                    r.query_selector("[data-testid=fail-site-pick]")
                        .ok()
                        .flatten()
                })
                .map(|e| crate::author::value(&e))
                .unwrap_or_default();
            if !picked.is_empty() {
                toggle_site(ed, &picked);
            }
        } else if let Some(site) = b.get_attribute("data-site") {
            toggle_site(ed, &site);
        } else if let Some(id) = b.get_attribute("data-id").and_then(|i| i.parse().ok()) {
            toggle_failed(ed, ServerId(id));
        }
    };

    // Impact, the recovery order and the options, as one markup block,
    // rewritten when the plan or the option playing changes; one delegated
    // handler for its buttons and the "via" fields of grouped options.
    let root = NodeRef::<leptos::html::Div>::new();
    Effect::new(move || {
        let Some(root) = root.get() else {
            return;
        };
        let active = sim
            .player
            .with(|p| p.as_ref().and_then(|p| p.option.as_ref()).map(option_key));
        let html = the_plan.with(|p| match p {
            Some(p) => ed.doc.with_untracked(|t| {
                picks.with_value(|picks| {
                    let mut h = impact_html(t, p);
                    h.push_str(&plan_html(t, p, active.as_deref(), ed.readonly, picks));
                    h
                })
            }),
            None => String::new(),
        });
        crate::panels::set_html_keeping_focus(&root, &html);
    });
    // The option a button or field stands for: `data-a` the affected
    // server's place, `data-o` the option's, or for a group its kind and
    // the name typed in its field.
    let option_of = move |el: &web_sys::Element| -> Option<(String, RecoveryOption)> {
        let li = el.closest("[data-a]").ok().flatten()?;
        let num = |k: &str| li.get_attribute(k).and_then(|v| v.parse::<usize>().ok());
        let a = num("data-a")?;
        the_plan.with_untracked(|p| {
            let af = p.as_ref()?.affected.get(a)?;
            let server = ed.doc.with_untracked(|t| t.name(af.server).to_string());
            let o = match num("data-o") {
                Some(o) => af.options.get(o)?.clone(),
                None => {
                    let kind = li.get_attribute("data-kind")?;
                    let typed = li
                        .query_selector("input")
                        .ok()
                        .flatten()
                        .and_then(|i| i.dyn_into::<web_sys::HtmlInputElement>().ok())
                        .map(|i| i.value())
                        .unwrap_or_default();
                    af.options
                        .iter()
                        .find(|o| {
                            o.kind.id() == kind
                                && o.via
                                    .as_deref()
                                    .is_some_and(|v| v.eq_ignore_ascii_case(typed.trim()))
                        })?
                        .clone()
                }
            };
            Some((server, o))
        })
    };
    let on_click = move |ev: leptos::ev::MouseEvent| {
        let Some(b) = crate::clicked(&ev) else {
            return;
        };
        match b.get_attribute("data-action").as_deref() {
            Some("play-plan") => {
                if let Some(p) = the_plan.get_untracked() {
                    play_order(ed, sim, &p);
                }
            }
            Some(act @ ("play" | "apply")) => {
                if let Some((server, o)) = option_of(&b) {
                    if act == "play" {
                        play(ed, sim, o, server);
                    } else {
                        apply(ed, sim, &o);
                    }
                }
            }
            _ => {}
        }
    };
    // Typing in a group's field picks the option of that name (or says
    // there is none), and the pick survives the next rewrite.
    let on_input = move |ev: leptos::ev::Event| {
        let Some(input) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
        else {
            return;
        };
        let Some(li) = input.closest("[data-kind]").ok().flatten() else {
            return;
        };
        let found = option_of(&input);
        let part = |sel: &str| li.query_selector(sel).ok().flatten();
        if let Some(e) = part(".error-text") {
            e.set_text_content(
                found
                    .is_none()
                    .then_some("None of these servers has that name.")
                    .or(Some("")),
            );
        }
        let _ = input.set_attribute(
            "aria-invalid",
            if found.is_some() { "false" } else { "true" },
        );
        for b in ["play", "apply"] {
            if let Some(e) = part(&format!("[data-action={b}]")) {
                let off = found
                    .as_ref()
                    .is_none_or(|(_, o)| b == "apply" && !o.supported);
                let _ = if off {
                    e.set_attribute("disabled", "")
                } else {
                    e.remove_attribute("disabled")
                };
            }
        }
        if let Some((_, o)) = found {
            let _ = li.set_attribute("data-option", &option_key(&o));
            if let Some(e) = part(".reason") {
                e.set_text_content(Some(&o.reason));
            }
            let id = input.id();
            let i = li
                .get_attribute("data-a")
                .and_then(|a| a.parse::<usize>().ok())
                .and_then(|a| {
                    the_plan.with_untracked(|p| {
                        p.as_ref()?
                            .affected
                            .get(a)?
                            .options
                            .iter()
                            .position(|x| option_key(x) == option_key(&o))
                    })
                });
            if let Some(i) = i {
                picks.update_value(|p| {
                    p.retain(|(k, _)| *k != id);
                    p.push((id, i));
                });
            }
        }
    };

    view! {
        <section class="panel sim-panel" aria-labelledby="sim-heading">
            <div class="panel-head">
                <h2 id="sim-heading">"Simulate a failure"</h2>
                <button class="btn small" data-action="reset" on:click=move |_| reset(ed, sim)
                    title="Back to the drawing as it was (Escape)">"Reset"</button>
            </div>
            <Walkthrough />
            <div node_ref=chips_root on:click=on_chip></div>
            <PlayerView />
            <div node_ref=root on:click=on_click on:input=on_input></div>
        </section>
    }
}

/// "Fail a whole site": a select of the drawing's sites not failed yet and
/// a button (`data-action="fail-site"`) that fails every server of the one
/// picked, with their guests. Nothing when the drawing names no site.
fn fail_site_html(all: &[String], failed: &[String]) -> String {
    if all.is_empty() {
        return String::new();
    }
    let left: Vec<&String> = all
        .iter()
        .filter(|s| !failed.iter().any(|f| dpm_rules::same_name(f, s)))
        .collect();
    el("div")
        .attr("class", "fail-site row")
        .child(
            el("label")
                .attr("class", "field inline")
                .child(el("span").text("Fail a whole site"))
                .child(
                    el("select")
                        .attr("data-testid", "fail-site-pick")
                        .attr("data-k", "fail-site-pick")
                        .attr("dir", "auto")
                        .children(left.iter().map(|s| el("option").attr("value", s).text(s))),
                ),
        )
        .child(
            el("button")
                .attr("class", "btn small danger")
                .attr("data-action", "fail-site")
                .attr("data-k", "fail-site")
                .attr(
                    "title",
                    "Fail every server of this site, and every virtual machine on them",
                )
                .flag("disabled", left.is_empty())
                .text("⚡ Fail site"),
        )
        .render()
        .into_string()
}

/// What the failure takes: data lost for good, data left with no copy,
/// copies lost and protections broken (long lists windowed).
fn impact_html(t: &Topology, p: &Plan) -> String {
    let li = |class: &str, s: &str| format!("<li class=\"{class}\">{}</li>", esc(s));
    let lost: Vec<String> = labels(t, &p.lost)
        .iter()
        .map(|s| li("lost-item", s))
        .collect();
    let unprotected: Vec<String> = labels(t, &p.unprotected)
        .iter()
        .map(|s| li("unprotected-item", s))
        .collect();
    let reduced: Vec<String> = p
        .reduced
        .iter()
        .filter(|r| !p.lost.contains(&r.source))
        .map(|r| {
            let surviving: Vec<&str> = r.surviving.iter().map(|&s| t.name(s)).collect();
            li(
                "",
                &if surviving.is_empty() {
                    format!("{}: no copy left", r.source.label(t))
                } else {
                    format!(
                        "{}: {} of {} copies left, on {}",
                        r.source.label(t),
                        surviving.len(),
                        r.before.len(),
                        surviving.join(", ")
                    )
                },
            )
        })
        .collect();
    let broken: Vec<String> = p
        .broken
        .iter()
        .map(|l| {
            li(
                "",
                &format!("{} → {}", t.name(l.protector), t.name(l.target)),
            )
        })
        .collect();
    // Thousands of copies can go with one server in a large estate.
    let list = |key: &str, rows: Vec<String>, label: &str| vlist::html(key, rows, 24, label);
    let (n_reduced, n_broken) = (reduced.len(), broken.len());
    let mut h = String::from("<section class=\"impact\" aria-label=\"Impact\"><h3>Impact</h3>");
    let also: Vec<String> = p
        .also_down
        .iter()
        .map(|a| {
            el("li")
                .attr("data-also", t.name(a.server))
                .attr("data-how", a.how.as_str())
                .child(el("strong").user_text(t.name(a.server)))
                .text(" — ")
                .child(el("span").attr("class", "why").text(a.phrase()))
                .render()
                .into_string()
        })
        .collect();
    if !also.is_empty() {
        h.push_str(&format!(
            "<div class=\"impact-block also\" data-testid=\"also-down\"><h4>Down or stopped with another ({})</h4>{}</div>",
            also.len(),
            list("also", also, "Down or stopped with another")
        ));
    }
    if !lost.is_empty() {
        h.push_str(&format!(
            "<div class=\"impact-block lost\" data-testid=\"lost\"><h4>✕ Lost for good (no copy survives)</h4>{}</div>",
            list("lost", lost, "Lost for good")
        ));
    }
    if !unprotected.is_empty() {
        h.push_str(&format!(
            "<div class=\"impact-block unprotected\" data-testid=\"unprotected\"><h4>▲ Still there, but unprotected (every copy gone, or held by a stopped DPM server)</h4>{}</div>",
            list("unprotected", unprotected, "Unprotected")
        ));
    }
    h.push_str(&format!(
        "<div class=\"impact-block\"><h4>Copies lost ({n_reduced})</h4>{}</div><div class=\"impact-block\"><h4>Protections broken ({n_broken})</h4>{}</div></section>",
        list("reduced", reduced, "Copies lost"),
        list("broken", broken, "Protections broken")
    ));
    h
}

/// Options of one kind for one server folded into one entry from this
/// many: in a large estate a failed secondary leaves each primary it held
/// with a thousand DPM servers that could protect it again.
const GROUP_FROM: usize = 7;

/// The recovery order (when there is one) and what DPM lets you do for
/// each affected server. Buttons carry `data-a` (the affected server) and
/// `data-o` (the option), or for a group `data-kind` and a field to type
/// or pick the server by name (its pick, if any, in `picks` by field id).
fn plan_html(
    t: &Topology,
    p: &Plan,
    active: Option<&str>,
    readonly: bool,
    picks: &[(String, usize)],
) -> String {
    let mut h = String::new();
    if !p.order.is_empty() {
        h.push_str("<section class=\"order\" aria-label=\"Recovery in order\" data-testid=\"order\"><h3>Recovery in order</h3><p class=\"muted\">What these servers need survives only further along the chain: recover them in this order.</p><ol>");
        for o in &p.order {
            let back: Vec<String> = o.back.iter().map(|d| d.label(t)).collect();
            h.push_str(&format!("<li>{}", esc(&o.step.caption)));
            if !back.is_empty() {
                h.push_str(&format!(
                    "<span class=\"back\"> Back: {}.</span>",
                    esc(&back.join(", "))
                ));
            }
            h.push_str("</li>");
        }
        h.push_str("</ol><button class=\"btn small primary\" data-action=\"play-plan\" data-k=\"play-plan\">▶ Play the recovery</button></section>");
    }
    h.push_str("<section class=\"options-section\" aria-label=\"Recovery options\"><h3>What DPM lets you do</h3>");
    for (ai, a) in p.affected.iter().enumerate() {
        let server = esc(t.name(a.server));
        h.push_str(&format!(
            "<div class=\"affected\" data-affected=\"{server}\"><h4>{server}</h4>"
        ));
        for n in &a.notes {
            h.push_str(&format!("<p class=\"option-note\">{}</p>", esc(n)));
        }
        h.push_str("<ul class=\"options\">");
        let mut kinds: Vec<OptionKind> = Vec::new();
        for o in &a.options {
            if !kinds.contains(&o.kind) {
                kinds.push(o.kind);
            }
        }
        for kind in kinds {
            let of: Vec<(usize, &RecoveryOption)> = a
                .options
                .iter()
                .enumerate()
                .filter(|(_, o)| o.kind == kind)
                .collect();
            if of.len() < GROUP_FROM {
                for (oi, o) in of {
                    let via = o
                        .via
                        .as_deref()
                        .map(|v| format!("<span class=\"via\"> via {}</span>", esc(v)))
                        .unwrap_or_default();
                    let at = format!("data-o=\"{oi}\"");
                    h.push_str(&option_html(ai, &at, o, active, readonly, &via, ""));
                }
                continue;
            }
            let id = format!("via-{ai}-{}", kind.id());
            let picked = picks
                .iter()
                .find(|(k, _)| *k == id)
                .and_then(|(_, i)| a.options.get(*i))
                .filter(|o| o.kind == kind)
                .unwrap_or(of[0].1);
            let suggestions: String = of
                .iter()
                .filter_map(|(_, o)| o.via.as_deref())
                .map(|v| format!("<option value=\"{}\">", esc(v)))
                .collect();
            let field = format!(
                concat!(
                    "<label class=\"field\"><span>Via (type or pick a name)</span>",
                    "<input type=\"text\" id=\"{id}\" list=\"{id}-names\" value=\"{via}\" autocomplete=\"off\" aria-describedby=\"{id}-error\" data-k=\"{id}\"></label>",
                    "<datalist id=\"{id}-names\">{suggestions}</datalist>",
                    "<p class=\"error-text\" id=\"{id}-error\" role=\"alert\"></p>"
                ),
                id = id,
                via = esc(picked.via.as_deref().unwrap_or_default()),
                suggestions = suggestions,
            );
            let at = format!(
                "data-kind=\"{k}\" data-option-group=\"{k}\" data-count=\"{}\"",
                of.len(),
                k = kind.id()
            );
            let head = format!(
                "<span class=\"via\"> · {} servers could take it</span>",
                of.len()
            );
            h.push_str(&option_html(
                ai, &at, picked, active, readonly, &head, &field,
            ));
        }
        h.push_str("</ul></div>");
    }
    h.push_str("</section>");
    h
}

/// One option, or a group's entry, with Play and, in the editor, Apply:
/// `at` the attributes that say which (`data-o`, or the group's), `head`
/// what follows the title, `field` a group's field.
fn option_html(
    ai: usize,
    at: &str,
    o: &RecoveryOption,
    active: Option<&str>,
    readonly: bool,
    head: &str,
    field: &str,
) -> String {
    let key = option_key(o);
    let (class, verdict, said) = if o.supported {
        ("supported", "✓", "supported")
    } else {
        ("unsupported", "✕", "not supported")
    };
    let apply = if readonly {
        String::new()
    } else {
        format!(
            "<button class=\"btn small primary\" data-action=\"apply\" data-k=\"apply-{ai}-{k}\" title=\"{t}\"{d}>Apply</button>",
            k = esc(&key),
            t = if o.supported { "Make this the drawing (undoable)" } else { "DPM does not support this" },
            d = if o.supported { "" } else { " disabled" },
        )
    };
    format!(
        concat!(
            "<li class=\"option {class}{group}{active}\" data-option=\"{key}\" data-a=\"{ai}\" {at}>",
            "<div class=\"option-head\"><span class=\"verdict\" aria-hidden=\"true\">{verdict}</span>",
            "<span class=\"option-title\">{title}{head}</span><span class=\"sr-only\"> ({said})</span></div>",
            "<p class=\"reason\">{reason}</p>{field}<div class=\"row\">",
            "<button class=\"btn small\" data-action=\"play\" data-k=\"play-{ai}-{key}\">{play}</button>{apply}</div></li>"
        ),
        class = class,
        group = if field.is_empty() { "" } else { " option-group" },
        active = if active == Some(key.as_str()) { " active" } else { "" },
        key = esc(&key),
        ai = ai,
        at = at,
        verdict = verdict,
        title = o.kind.title(),
        head = head,
        said = said,
        reason = esc(&o.reason),
        field = field,
        play = if o.supported { "▶ Play" } else { "▶ Show why" },
        apply = apply,
    )
}

/// The player: caption, step n/m, controls, steps, copies per step.
#[component]
fn PlayerView() -> impl IntoView {
    let ed = crate::ctx().ed;
    let sim = crate::ctx().sim;
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
        crate::panels::set_html_keeping_focus(&root, &html);
    });
    let on_click = move |ev: leptos::ev::MouseEvent| {
        let Some(b) = crate::clicked(&ev) else {
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
        let Some(b) = crate::clicked(&ev) else {
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
            crate::panels::set_html_keeping_focus(&root, &html());
        }
    });
    view! { <div class="walk" node_ref=root on:click=on_click></div> }
}
