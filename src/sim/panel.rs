//! The failover simulator: fail servers, see what is lost and what DPM
//! supports (the rule crate's planner), and watch an option play out.
//!
//! Nothing here changes the drawing until the user applies an option: the
//! steps are shown through the editor's preview, which never enters the
//! undo history or the save.
//!
//! The panel is made of parts, top to bottom: the walkthrough
//! ([`crate::sim::walkthrough`]), the failed servers and the fail-a-site
//! form ([`crate::sim::failed`]), the player ([`crate::sim::player`]), then
//! the impact ([`crate::sim::impact`]) and the plan
//! ([`crate::sim::options`]), which this file wires to their buttons and
//! fields.

use crate::browser::markup::{keeping_focus, patch_rows, set_keeping_focus, Markup};
use crate::sim::failed::failed_part;
use crate::sim::impact::impact_html;
use crate::sim::options::plan_html;
use crate::sim::options::PlanRows;
use crate::sim::options::{Window, FIND_ID, PAGE};
use crate::sim::player::PlayerView;
use crate::sim::state::apply;
use crate::sim::state::play;
use crate::sim::state::play_order;
use crate::sim::state::reset;
use crate::sim::state::stop;
use crate::sim::state::Sim;
use crate::sim::walkthrough::Walkthrough;
use crate::state::editor::Editor;

use leptos::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlInputElement};

use dpm_rules::{plan_outage, Plan, RecoveryOption, ServerId};

/// The servers picked by name in the fields of grouped options, by the
/// field's id.
type Picks = StoredValue<Vec<(String, ServerId)>>;

/// The simulator's panel.
#[component]
pub fn SimPanel() -> impl IntoView {
    let ed = crate::ctx::ctx().ed;
    let sim = crate::ctx::ctx().sim;
    let the_plan: Memo<Option<Plan>> = crate::browser::memo(move |_| {
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
    let picks: Picks = StoredValue::new(Vec::new());
    let window = RwSignal::new(Window::default());
    // A change of the failed servers ends the option being played, and
    // shows the first page of the servers it affects (what was typed to
    // find one stays, as in its field).
    Effect::new(move |prev: Option<(Vec<ServerId>, Vec<String>)>| {
        let f = (ed.failed.get(), ed.failed_sites.get());
        if prev.is_some_and(|p| p != f) {
            stop(ed, sim);
            picks.set_value(Vec::new());
            window.update(|w| w.shown = PAGE);
        }
        f
    });
    // A change of the drawing itself (Undo, Layout, a notice's Undo) ends
    // the option being played: its steps that change nothing show the
    // drawing as it is, and were planned on the one before.
    Effect::new(move |prev: Option<(u64, u64)>| {
        let now = (ed.step.get(), ed.opened.get());
        if prev.is_some_and(|p| p != now) && sim.player.with_untracked(Option::is_some) {
            stop(ed, sim);
        }
        now
    });
    view! {
        <section class="panel sim-panel" aria-labelledby="sim-heading">
            <div class="panel-head">
                <h2 id="sim-heading" tabindex="-1">"Simulate a failure"</h2>
                <button class="btn small" data-action="reset" on:click=move |_| reset(ed, sim)
                    title="Back to the drawing as it was (Escape)">"Reset"</button>
            </div>
            <Walkthrough />
            {failed_part(ed, the_plan)}
            <PlayerView />
            {plan_part(ed, sim, the_plan, (picks, window))}
        </section>
    }
}

/// What the plan part shows: the impact, then the plan's rows.
struct Shown {
    impact: Markup,
    plan: PlanRows,
}

impl Shown {
    /// The part's rows: the impact, the order if any, and the options'
    /// section (standing for its own rows, patched apart).
    fn rows(&self, options: Markup) -> Vec<Markup> {
        let mut rows = vec![self.impact.clone()];
        rows.extend(self.plan.order.clone());
        rows.push(options);
        rows
    }
}

/// Shows `new` in `root`, which shows `old`: only the rows that changed
/// are written again (playing an option changes its affected server's
/// row: at 10,000 servers, writing the whole plan again and then laying
/// it out to keep the focus was 15 ms of the click). Keyboard focus on a
/// row written again goes to its control of the same `data-k`.
fn show_plan(root: &Element, old: Option<&Shown>, new: Option<&Shown>) {
    let (Some(old), Some(new)) = (old, new) else {
        let html = new.map_or_else(Markup::default, |n| {
            Markup::join(&n.rows(n.plan.options_html()))
        });
        set_keeping_focus(root, &html);
        return;
    };
    let rows = (old.rows(Markup::default()), new.rows(Markup::default()));
    if root.child_element_count() as usize != rows.0.len() {
        return show_plan(root, None, Some(new));
    }
    keeping_focus(root, &|| {
        patch_rows(root, &rows.0, &rows.1);
        if let Some(section) = root.last_element_child() {
            patch_rows(&section, &old.plan.options, &new.plan.options);
        }
    });
}

/// Impact, the recovery order and the options, rewritten row by row when
/// the plan, the option playing or the page of affected servers shown
/// changes; one delegated handler for its buttons and one for its fields
/// (the "via" fields of grouped options, the one that finds an affected
/// server).
fn plan_part(
    ed: Editor,
    sim: Sim,
    the_plan: Memo<Option<Plan>>,
    (picks, window): (Picks, RwSignal<Window>),
) -> impl IntoView {
    let root = NodeRef::<leptos::html::Div>::new();
    let mut shown = None::<Shown>;
    // The impact, made once per plan, not at each key typed to find an
    // affected server (thousands of rows after a site's failure).
    let impact = crate::browser::memo(move |_| {
        the_plan.with(|p| {
            let p = p.as_ref()?;
            Some(ed.doc.with_untracked(|t| impact_html(t, p)))
        })
    });
    // What the page's foot says, for a screen reader (the foot itself is
    // written again at each change, which a live region must not be).
    let said = RwSignal::new(String::new());
    // Where "Show more" was pressed: the first server it shows takes the
    // focus if the button goes with the last page.
    let more_from = StoredValue::new(None::<usize>);
    crate::browser::effect(move || {
        let Some(root) = root.get() else {
            return;
        };
        // The option playing, for its own server only (two servers' options
        // can share a key: "Protect again via DS4").
        let active = sim.player.with(|p| {
            p.as_ref()
                .and_then(|p| Some((p.server.clone(), p.option.as_ref()?.key())))
        });
        let impact = impact.get();
        let new = the_plan.with(|p| {
            let p = p.as_ref()?;
            Some(ed.doc.with_untracked(|t| {
                picks.with_value(|picks| Shown {
                    impact: impact.unwrap_or_default(),
                    plan: window.with(|w| {
                        let active = active.as_ref().map(|(s, k)| (s.as_str(), k.as_str()));
                        plan_html(t, p, active, picks, w)
                    }),
                })
            }))
        });
        show_plan(&root, shown.as_ref(), new.as_ref());
        let summary = new.as_ref().and_then(|n| n.plan.summary.clone());
        shown = new;
        after_page(
            &root,
            window,
            more_from.try_update_value(Option::take).flatten(),
        );
        let summary = summary.unwrap_or_default();
        if said.get_untracked() != summary {
            said.set(summary);
        }
    });
    let on_click = move |ev: leptos::ev::MouseEvent| {
        on_plan_click(ed, sim, the_plan, (window, more_from), &ev)
    };
    let on_input = move |ev: leptos::ev::Event| {
        let Some(input) = ev
            .target()
            .and_then(|t| t.dyn_into::<HtmlInputElement>().ok())
        else {
            return;
        };
        if input.id() == FIND_ID {
            let find = input.value();
            window.update(|w| *w = Window { find, shown: PAGE });
        } else {
            pick_by_name(ed, the_plan, picks, &input);
        }
    };
    let on_focus = move |ev: leptos::ev::FocusEvent| {
        if let Some(input) = ev
            .target()
            .and_then(|t| t.dyn_into::<HtmlInputElement>().ok())
        {
            suggest(ed, the_plan, &input);
        }
    };
    view! {
        <div node_ref=root on:click=on_click on:input=on_input on:focusin=on_focus></div>
        <p class="sr-only" role="status">{move || said.get()}</p>
    }
}

/// A press on one of the plan's buttons: play the recovery in order, show
/// more affected servers (noting where, for the focus), play or apply an
/// option.
fn on_plan_click(
    ed: Editor,
    sim: Sim,
    the_plan: Memo<Option<Plan>>,
    (window, more_from): (RwSignal<Window>, StoredValue<Option<usize>>),
    ev: &leptos::ev::MouseEvent,
) {
    let Some(b) = crate::browser::dom::clicked(ev) else {
        return;
    };
    match b.get_attribute("data-action").as_deref() {
        Some("play-plan") => {
            if let Some(p) = the_plan.get_untracked() {
                play_order(ed, sim, &p);
            }
        }
        Some("more-affected") => {
            more_from.set_value(Some(window.with_untracked(|w| w.shown)));
            window.update(|w| w.shown += PAGE);
        }
        Some(act @ ("play" | "apply")) => {
            if let Some((server, o)) = option_of(ed, the_plan, &b) {
                if act == "play" {
                    play(ed, sim, o, server);
                } else {
                    apply(ed, sim, &o);
                }
            }
        }
        _ => {}
    }
}

/// After the plan part is written: the find field gets what was typed
/// back if its row was written anew (the row is written without its
/// value, or typing would write it again, and the caret with it); and
/// when "Show more" was pressed (`more_from`: how many were shown then)
/// and its button went with the last page, the first server it showed
/// takes the focus, which would otherwise fall to the page.
fn after_page(root: &Element, window: RwSignal<Window>, more_from: Option<usize>) {
    if let Some(find) = root
        .query_selector(&format!("#{FIND_ID}"))
        .ok()
        .flatten()
        .and_then(|e| e.dyn_into::<HtmlInputElement>().ok())
    {
        window.with_untracked(|w| {
            if find.value() != w.find {
                find.set_value(&w.find);
            }
        });
    }
    let Some(k) = more_from else {
        return;
    };
    let lost = document()
        .active_element()
        .is_none_or(|a| !root.contains(Some(&a)));
    let first_new = root
        .query_selector_all("[data-affected] > h4")
        .ok()
        .and_then(|all| all.item(k as u32))
        .and_then(|h| h.dyn_into::<web_sys::HtmlElement>().ok());
    if let (true, Some(h)) = (lost, first_new) {
        let _ = h.focus();
    }
}

/// The option a button or field stands for, with the affected server's
/// name: `data-a` the affected server's place, `data-o` the option's, or
/// for a group `data-g` the grouped option's, through the server named in
/// its field.
fn option_of(
    ed: Editor,
    the_plan: Memo<Option<Plan>>,
    el: &Element,
) -> Option<(String, RecoveryOption)> {
    let li = el.closest("[data-a]").ok().flatten()?;
    let num = |k: &str| li.get_attribute(k).and_then(|v| v.parse::<usize>().ok());
    let a = num("data-a")?;
    the_plan.with_untracked(|p| {
        let af = p.as_ref()?.affected.get(a)?;
        let server = ed.doc.with_untracked(|t| t.name(af.server).to_string());
        let o = match num("data-o") {
            Some(o) => af.options.get(o)?.clone(),
            None => {
                let group = af.options.get(num("data-g")?)?;
                let typed = li
                    .query_selector("input")
                    .ok()
                    .flatten()
                    .and_then(|i| i.dyn_into::<HtmlInputElement>().ok())
                    .map(|i| i.value())
                    .unwrap_or_default();
                ed.doc.with_untracked(|t| {
                    let via = group
                        .among
                        .as_ref()?
                        .iter()
                        .copied()
                        .find(|&id| dpm_rules::same_name(t.name(id), &typed))?;
                    group.through(t, via)
                })?
            }
        };
        Some((server, o))
    })
}

/// Fills the suggestions of a group's field as it takes the focus, with
/// the servers that could take the option: written with the panel, a
/// large estate's failure (seven groups of some 1,450 DPM servers each)
/// was 30 ms of every step for lists no one had opened.
fn suggest(ed: Editor, the_plan: Memo<Option<Plan>>, input: &HtmlInputElement) {
    // Filled again at each focus: a row left as it was may stand for other
    // servers than when it was filled (an undo renamed one).
    let Some(list) = input.list() else {
        return;
    };
    let Some(li) = input.closest("[data-a]").ok().flatten() else {
        return;
    };
    let num = |k: &str| li.get_attribute(k).and_then(|v| v.parse::<usize>().ok());
    let (Some(a), Some(g)) = (num("data-a"), num("data-g")) else {
        return;
    };
    let names = the_plan.with_untracked(|p| {
        let among = p
            .as_ref()?
            .affected
            .get(a)?
            .options
            .get(g)?
            .among
            .as_ref()?;
        Some(
            ed.doc
                .with_untracked(|t| super::options::names_html(t, among)),
        )
    });
    if let Some(names) = names {
        crate::browser::markup::set_keeping_focus(&list, &names);
    }
}

/// Typing in a group's field picks the option of that name (or says
/// there is none), and the pick survives the next rewrite.
fn pick_by_name(ed: Editor, the_plan: Memo<Option<Plan>>, picks: Picks, input: &HtmlInputElement) {
    let Some(li) = input.closest("[data-kind]").ok().flatten() else {
        return;
    };
    let found = option_of(ed, the_plan, input);
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
            // Its key names the option it plays now ("play-1-reprotect
            // DS5"), so that the focus finds it again when playing rewrites
            // the plan.
            if let (Some((_, o)), Some(k)) = (&found, e.get_attribute("data-k")) {
                let head: String = k
                    .splitn(3, '-')
                    .take(2)
                    .map(|p| p.to_string() + "-")
                    .collect();
                let _ = e.set_attribute("data-k", &(head + &o.key()));
            }
        }
    }
    let Some((_, o)) = found else {
        return;
    };
    let _ = li.set_attribute("data-option", &o.key());
    if let Some(e) = part(".reason") {
        e.set_text_content(Some(&o.reason));
    }
    let id = input.id();
    let via = ed
        .doc
        .with_untracked(|t| o.via.as_deref().and_then(|v| t.find(v)));
    if let Some(via) = via {
        picks.update_value(|p| {
            p.retain(|(k, _)| *k != id);
            p.push((id, via));
        });
    }
}
