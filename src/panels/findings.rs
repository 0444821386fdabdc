//! The Problems panel: every finding with its rule, the servers it names
//! and the documentation sentence behind it.

use crate::state::reveal::link_attr;

use crate::browser::vlist;
use crate::browser::vlist::WINDOW_FROM;
use crate::state::reveal::parse_link;
use crate::state::reveal::reveal;

use dpm_rules::{badge_symbol, xml_escape as esc, Finding, ServerId, Severity, Topology};
use leptos::prelude::*;

/// One finding as an `<li>`: what, where, and (unless `compact`) the
/// documentation sentence behind it. Compact rows have one height, for
/// long lists drawn a window at a time; the sentence is in the tip the
/// row's button opens on the drawing.
fn finding_html(t: &Topology, f: &Finding, compact: bool) -> String {
    let sev = f.severity();
    let source = f.rule.source();
    let ids: Vec<String> = f.servers.iter().map(|id| id.0.to_string()).collect();
    let link = f
        .protections
        .first()
        .map(|l| format!(" data-link=\"{}\"", link_attr(*l)))
        .unwrap_or_default();
    let quote = if compact {
        String::new()
    } else {
        format!(
            "<blockquote class=\"finding-source\">“{}”<cite>{}</cite></blockquote>",
            esc(source.text),
            esc(source.document)
        )
    };
    format!(
        concat!(
            "<li class=\"finding {sev}\" data-rule=\"{rule}\">",
            "<button class=\"finding-button\" title=\"Show on the drawing\" data-action=\"show-finding\" data-ids=\"{ids}\"{link}>",
            "<span class=\"finding-icon\" aria-hidden=\"true\">{icon}</span><span class=\"finding-body\">",
            "<span class=\"finding-title\"><span class=\"sr-only\">{sev}: </span>{title}",
            "<span class=\"finding-servers\">{servers}</span></span>",
            "<span class=\"finding-message\">{message}</span></span></button>{quote}</li>"
        ),
        sev = sev.as_str(),
        rule = f.rule.id(),
        ids = ids.join(" "),
        link = link,
        icon = badge_symbol(sev),
        title = esc(f.rule.title()),
        servers = esc(&names(t, &f.servers)),
        message = esc(&f.message),
        quote = quote,
    )
}

/// The findings as markup: grouped by severity (errors first); a group of
/// more than `WINDOW_FROM` is drawn a window at a time, in compact rows.
fn findings_html(t: &Topology, fs: &[Finding]) -> String {
    if fs.is_empty() {
        return "<p class=\"empty\">No findings: DPM supports this topology as drawn.</p>".into();
    }
    let mut out = String::new();
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
        let rows = of.iter().map(|f| finding_html(t, f, compact)).collect();
        out.push_str(&format!(
            "<section class=\"finding-group\"><h3>{heading} ({})</h3>{}</section>",
            of.len(),
            vlist::html(sev.as_str(), rows, 58, heading)
        ));
    }
    out
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
        let link = b.get_attribute("data-link").and_then(|l| parse_link(&l));
        reveal(ed, pos, &ids, link);
    };
    let html = move || {
        ed.findings
            .with(|fs| ed.shown.with_untracked(|t| findings_html(t, fs)))
    };
    view! {
        <section class="panel findings-panel" aria-labelledby="problems-heading">
            <h2 id="problems-heading">"Problems"</h2>
            <div on:click=on_click inner_html=html></div>
        </section>
    }
}

pub fn names(t: &Topology, ids: &[ServerId]) -> String {
    if ids.is_empty() {
        "-".to_string()
    } else {
        ids.iter()
            .map(|&id| t.name(id))
            .collect::<Vec<_>>()
            .join(", ")
    }
}
