//! The top of the simulator's panel: the servers and sites the user
//! failed, each a chip with a button that brings it back, what went down
//! with them and why, and the form that fails a whole site. Its own file
//! because it is the one part of the panel that changes the failure; the
//! rest only reads it.

use crate::browser::markup::el;
use crate::browser::markup::El;
use crate::browser::markup::Markup;
use crate::sim::state::toggle_failed;
use crate::sim::state::toggle_site;
use crate::state::editor::Editor;
use crate::ui::markup::action_button;
use crate::ui::markup::classed;

use dpm_rules::{AlsoDown, DownHow, Plan, ServerId, Topology};
use leptos::prelude::*;

/// The failed servers and sites, and the fail-a-site form, as markup
/// rewritten when the failure changes; one delegated handler for its
/// buttons.
pub fn failed_part(ed: Editor, the_plan: Memo<Option<Plan>>) -> impl IntoView {
    let all_sites = crate::browser::memo(move |_| {
        ed.track_doc_content();
        ed.doc.with_untracked(dpm_rules::sites)
    });
    let root = NodeRef::<leptos::html::Div>::new();
    crate::browser::effect(move || {
        let failed = ed.failed.get();
        let sites = ed.failed_sites.get();
        let also = the_plan.with(|p| p.as_ref().map(|p| p.also_down.clone()).unwrap_or_default());
        let form = all_sites.with(|all| fail_site_form(all, &sites));
        let html = ed
            .doc
            .with_untracked(|t| failed_html(t, form, &failed, &sites, &also));
        if let Some(root) = root.get() {
            // A chip's button that had the focus goes with its chip: the
            // focus goes to the button of the chip now in its place (or the
            // last), else to the panel's heading, not to the page.
            let at = bring_back_focused(&root);
            if crate::browser::markup::set_keeping_focus(&root, &html) {
                focus_after_chip(&root, at);
            }
        }
    });
    let on_click = move |ev: leptos::ev::MouseEvent| {
        let Some(b) = crate::browser::dom::clicked(&ev) else {
            return;
        };
        if b.get_attribute("data-action").as_deref() == Some("fail-site") {
            let picked = root
                .get_untracked()
                .and_then(|r| crate::browser::dom::find(&r, "[data-testid=fail-site-pick]"))
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
    view! { <div node_ref=root on:click=on_click></div> }
}

/// The fail-a-site form, then a hint while nothing has failed, or the
/// chips: sites and servers failed, then what is down with them.
fn failed_html(
    t: &Topology,
    form: Option<El>,
    failed: &[ServerId],
    sites: &[String],
    also: &[AlsoDown],
) -> Markup {
    let mut parts: Vec<El> = form.into_iter().collect();
    if failed.is_empty() && sites.is_empty() {
        parts.push(classed("p", "hint-text").text(
            "Click a server on the drawing (or focus it and press Enter) to make it fail. Fail several to see them fail together.",
        ));
        return Markup::concat(parts);
    }
    let mut chips = classed("ul", "chips").attr("aria-label", "Failed servers");
    for site in sites {
        let label = if dpm_rules::names_a_site(site) {
            el("span")
        } else {
            el("span").text("Site ")
        };
        chips = chips.child(failed_chip(
            label.user_text(site),
            ("data-site", site.clone()),
            dpm_rules::site_called(site),
        ));
    }
    for &id in failed {
        chips = chips.child(failed_chip(
            el("span").user_text(t.name(id)),
            ("data-id", id.0.to_string()),
            t.name(id).to_string(),
        ));
    }
    // Down because of another: no button (they come back with it).
    // A site's own servers are listed once, under the site.
    // With many (a site's DPM servers stopped by their databases' site),
    // the first few, and how many more the impact lists.
    let also: Vec<&AlsoDown> = also
        .iter()
        .filter(|a| a.how != DownHow::Site && !failed.contains(&a.server))
        .collect();
    for a in also.iter().take(ALSO_CHIPS_MOST) {
        let li = classed("li", "chip also-chip")
            .attr("data-also", t.name(a.server))
            .attr("data-how", a.how.as_str());
        chips = chips.child(li.child(also_down(el("span"), t, a)));
    }
    if also.len() > ALSO_CHIPS_MOST {
        let more = also.len() - ALSO_CHIPS_MOST;
        chips = chips.child(classed("li", "chip also-chip more-chip").text(format!(
            "and {more} more down or stopped with these (listed in the impact)"
        )));
    }
    parts.push(chips);
    Markup::concat(parts)
}

/// Servers down or stopped with another that get a chip at most.
const ALSO_CHIPS_MOST: usize = 8;

/// A server down with another, and why ("**VM1** — runs on HV1"),
/// written into `e`. Shared with the impact list.
pub fn also_down(e: El, t: &Topology, a: &AlsoDown) -> El {
    e.child(el("strong").user_text(t.name(a.server)))
        .text(" — ")
        .child(classed("span", "why").text(a.phrase()))
}

/// The place among the chips' buttons of the one with the focus, if one has.
fn bring_back_focused(root: &web_sys::Element) -> Option<u32> {
    let active = document().active_element()?;
    let buttons = root.query_selector_all("[data-action=bring-back]").ok()?;
    (0..buttons.length()).find(|&k| {
        buttons
            .item(k)
            .is_some_and(|b| b.is_same_node(Some(active.as_ref())))
    })
}

/// Focus, after the chip whose button was at `at` went: the button now at
/// `at` (or the last), else the simulator's heading.
fn focus_after_chip(root: &web_sys::Element, at: Option<u32>) {
    use wasm_bindgen::JsCast;
    let Some(at) = at else { return };
    let next = root
        .query_selector_all("[data-action=bring-back]")
        .ok()
        .filter(|b| b.length() > 0)
        .and_then(|b| b.item(at.min(b.length() - 1)));
    let target = next.or_else(|| {
        document()
            .get_element_by_id("sim-heading")
            .map(|h| h.unchecked_into())
    });
    if let Some(el) = target.and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok()) {
        let _ = el.focus();
    }
}

/// A failed site's or server's chip: its name, and a button that brings
/// it back (`data-site` or `data-id` says which).
fn failed_chip(label: El, data: (&'static str, String), what: String) -> El {
    classed("li", "chip failed-chip").child(label).child(
        action_button("icon-button", "bring-back")
            .attr(data.0, data.1)
            .attr("aria-label", format!("Bring {what} back"))
            .text("×"),
    )
}

/// "Fail a whole site": a select of the drawing's sites not failed yet and
/// a button (`data-action="fail-site"`) that fails every server of the one
/// picked, with their guests. Nothing when the drawing names no site.
fn fail_site_form(all: &[String], failed: &[String]) -> Option<El> {
    if all.is_empty() {
        return None;
    }
    let mut pick = el("select")
        .attr("data-testid", "fail-site-pick")
        .attr("data-k", "fail-site-pick")
        .attr("dir", "auto");
    let mut none_left = true;
    for s in all {
        if !failed.iter().any(|f| dpm_rules::same_name(f, s)) {
            pick = pick.child(el("option").attr("value", s).text(s));
            none_left = false;
        }
    }
    Some(
        classed("div", "fail-site row")
            .child(
                classed("label", "field inline")
                    .child(el("span").text("Fail a whole site"))
                    .child(pick),
            )
            .child(
                action_button("btn small danger", "fail-site")
                    .attr("data-k", "fail-site")
                    .attr(
                        "title",
                        "Fail every server of this site, and every virtual machine on them",
                    )
                    .flag("disabled", none_left)
                    .text("⚡ Fail site"),
            ),
    )
}
