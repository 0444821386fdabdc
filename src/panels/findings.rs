//! The Problems panel: every finding with its rule, the servers it names
//! and the documentation sentence behind it.

use crate::state::reveal::link_attr;

use crate::browser::markup::El;
use crate::browser::markup::{el, fill, Markup};
use crate::browser::vlist;
use crate::browser::vlist::WINDOW_FROM;
use crate::state::reveal::parse_links;
use crate::state::reveal::reveal;

use dpm_rules::{badge_symbol, Finding, ServerId, Severity, Topology};
use leptos::prelude::*;

/// One finding as an `<li>`: what, where, and (unless `compact`) the
/// documentation sentence behind it. Compact rows have one height, for
/// long lists drawn a window at a time; the sentence is in the tip the
/// row's button opens on the drawing.
fn finding_html(t: &Topology, f: &Finding, compact: bool) -> El {
    let sev = f.severity();
    let source = f.rule.source();
    let ids: Vec<String> = f.servers.iter().map(|id| id.0.to_string()).collect();
    let title = el("span")
        .attr("class", "finding-title")
        .child(
            el("span")
                .attr("class", "sr-only")
                .text(sev.as_str())
                .text(": "),
        )
        .text(f.rule.title())
        .child(with_names(
            el("span").attr("class", "finding-servers"),
            t,
            &f.servers,
        ));
    // The message is a sentence with names in it, from the rule crate:
    // isolated as a whole, as its names cannot be told apart in it.
    let message = el("span")
        .attr("class", "finding-message")
        .user_text(&f.message);
    let button = el("button")
        .attr("class", "finding-button")
        .attr("title", "Show on the drawing")
        .attr("data-action", "show-finding")
        .attr("data-ids", ids.join(" "))
        .attr_opt(
            "data-link",
            (!f.protections.is_empty()).then(|| {
                let all: Vec<String> = f.protections.iter().map(|l| link_attr(*l)).collect();
                all.join(",")
            }),
        )
        .child(
            el("span")
                .attr("class", "finding-icon")
                .attr("aria-hidden", "true")
                .text(badge_symbol(sev)),
        )
        .child(
            el("span")
                .attr("class", "finding-body")
                .child(title)
                .child(message),
        );
    let quote = (!compact).then(|| {
        el("blockquote")
            .attr("class", "finding-source")
            .text("“")
            .text(source.text)
            .text("”")
            .child(el("cite").text(source.document))
    });
    el("li")
        .attr("class", format!("finding {}", sev.as_str()))
        .attr("data-rule", f.rule.id())
        .child(button)
        .child_opt(quote)
}

/// The findings as markup: grouped by severity (errors first); a group of
/// more than `WINDOW_FROM` is drawn a window at a time, in compact rows.
fn findings_html(t: &Topology, fs: &[Finding]) -> Markup {
    if fs.is_empty() {
        return el("p")
            .attr("class", "empty")
            .text("No findings: DPM supports this topology as drawn.")
            .render();
    }
    let mut groups = Vec::new();
    for (sev, heading) in [
        (Severity::Error, "Errors"),
        (Severity::Warning, "Warnings"),
        (Severity::Info, "Notes"),
    ] {
        let of: Vec<&Finding> = fs.iter().filter(|f| f.severity() == sev).collect();
        if of.is_empty() {
            continue;
        }
        let compact = of.len() > WINDOW_FROM;
        let rows = of
            .iter()
            .map(|f| finding_html(t, f, compact).render())
            .collect();
        groups.push(
            el("section")
                .attr("class", "finding-group")
                .child(el("h3").text(format!("{heading} ({})", of.len())))
                .child(vlist::html(sev.as_str(), rows, 58, heading)),
        );
    }
    Markup::concat(groups)
}

/// Findings grouped by severity, each with the documentation behind it; a
/// click selects and centres what it concerns. Markup, rewritten when the
/// findings change, with one delegated handler.
#[component]
pub fn FindingsPanel() -> impl IntoView {
    let ed = crate::ctx::ctx().ed;
    let pos = crate::ctx::ctx().pos;
    let on_click = move |ev: leptos::ev::MouseEvent| {
        let Some(b) = crate::browser::dom::clicked(&ev) else {
            return;
        };
        let ids: Vec<ServerId> = b
            .get_attribute("data-ids")
            .unwrap_or_default()
            .split(' ')
            .filter_map(|i| i.parse().ok().map(ServerId))
            .collect();
        let links = parse_links(&b.get_attribute("data-link").unwrap_or_default());
        reveal(ed, pos, &ids, &links);
    };
    let list = NodeRef::<leptos::html::Div>::new();
    fill(list, move || {
        ed.findings
            .with(|fs| ed.shown.with_untracked(|t| findings_html(t, fs)))
    });
    view! {
        <section class="panel findings-panel" aria-labelledby="problems-heading">
            <h2 id="problems-heading">"Problems"</h2>
            <div on:click=on_click node_ref=list></div>
        </section>
    }
}

/// `parent` with the names of `ids` between commas ("-" for none), each
/// isolated (`<bdi>`) so that one name cannot reorder the others.
pub fn with_names(mut parent: El, t: &Topology, ids: &[ServerId]) -> El {
    if ids.is_empty() {
        return parent.text("-");
    }
    for (i, &id) in ids.iter().enumerate() {
        if i > 0 {
            parent = parent.text(", ");
        }
        parent = parent.name_text(t.name(id));
    }
    parent
}
