//! The failover simulator: fail servers, see what is lost and what DPM
//! supports (the rule crate's planner), and watch an option play out.
//!
//! Nothing here changes the drawing until the user applies an option: the
//! steps are shown through the editor's preview, which never enters the
//! undo history or the save.

use crate::sim::state::labels;

use crate::browser::markup::El;
use crate::sim::player::PlayerView;
use crate::sim::state::play;

use crate::browser::markup::el;
use crate::browser::vlist;
use crate::sim::state::apply;
use crate::sim::state::option_key;
use crate::sim::state::play_order;
use crate::sim::state::reset;
use crate::sim::state::stop;
use crate::sim::state::toggle_failed;
use crate::sim::state::toggle_site;
use crate::sim::walkthrough::Walkthrough;

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use dpm_rules::{
    plan_outage, xml_escape as esc, OptionKind, Plan, RecoveryOption, ServerId, Topology,
};

/// The simulator's panel.
#[component]
pub fn SimPanel() -> impl IntoView {
    let ed = crate::ctx::ctx().ed;
    let sim = crate::ctx::ctx().sim;
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
            crate::browser::dom::set_html_keeping_focus(&root, &html);
        }
    });
    let on_chip = move |ev: leptos::ev::MouseEvent| {
        let Some(b) = crate::browser::dom::clicked(&ev) else {
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
                .map(|e| crate::browser::dom::value(&e))
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
        crate::browser::dom::set_html_keeping_focus(&root, &html);
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
        let Some(b) = crate::browser::dom::clicked(&ev) else {
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
