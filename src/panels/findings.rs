//! The Problems panel: every finding with its rule, the servers it names
//! and the documentation sentence behind it.

use crate::state::reveal::link_attr;

use crate::browser::markup::El;
use crate::browser::markup::{el, insert_rows, patch_rows, set_keeping_focus, Markup};
use crate::browser::vlist;
use crate::browser::vlist::WINDOW_FROM;
use crate::state::reveal::parse_links;
use crate::state::reveal::reveal;

use dpm_rules::{badge_symbol, Finding, ServerId, Severity, Topology};
use leptos::prelude::*;

/// One finding as an `<li>`: what, where, and (when `quote`) the
/// documentation sentence behind it. Rows without it are compact (one
/// height, for long lists drawn a window at a time), or come after a
/// finding of the same severity that shows the same sentence; the sentence
/// is in the tip the row's button opens on the drawing too.
fn finding_html(t: &Topology, f: &Finding, quote: bool) -> El {
    let sev = f.severity();
    let source = f.source(t);
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
    let links = (!f.protections.is_empty()).then(|| {
        let all: Vec<String> = f.protections.iter().map(|l| link_attr(*l)).collect();
        all.join(",")
    });
    // Its key: focus stays on it when its row is written again (the
    // quotation coming to it or going).
    let key = format!(
        "{} {} {}",
        f.rule.id(),
        ids.join(" "),
        links.as_deref().unwrap_or("")
    );
    let button = el("button")
        .attr("class", "finding-button")
        .attr("title", "Show on the drawing")
        .attr("data-action", "show-finding")
        .attr("data-k", key)
        .attr("data-ids", ids.join(" "))
        .attr_opt("data-link", links)
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
    let quote = quote.then(|| {
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

/// One severity's findings as the panel shows them: a `<section>` of its
/// heading (`head`, an `<h3>`) and its body: a `<ul>` of `rows`, or (more
/// than `WINDOW_FROM`) the windowed box, then the one row of `rows`.
struct Group {
    sev: Severity,
    windowed: bool,
    head: Markup,
    rows: Vec<Markup>,
}

/// The findings by severity (errors first), each severity that has any.
fn findings_groups(t: &Topology, fs: &[Finding]) -> Vec<Group> {
    let mut groups = Vec::new();
    for (sev, heading) in [
        (Severity::Error, "Errors"),
        (Severity::Warning, "Warnings"),
        (Severity::Info, "Notes"),
    ] {
        let of: Vec<&Finding> = fs.iter().filter(|f| f.severity() == sev).collect();
        if of.is_empty() {
            vlist::forget(sev.as_str());
            continue;
        }
        let windowed = of.len() > WINDOW_FROM;
        // Each sentence once (a rule has one, or one per kind of server):
        // an estate's 70 notes of one rule quoted it 70 times, 15,000 px
        // of the same five lines.
        let mut quoted: Vec<&str> = Vec::new();
        let rows: Vec<Markup> = of
            .iter()
            .map(|f| {
                let text = f.source(t).text;
                let first = !quoted.contains(&text);
                if first {
                    quoted.push(text);
                }
                finding_html(t, f, !windowed && first).render()
            })
            .collect();
        let rows = if windowed {
            vec![vlist::html(sev.as_str(), rows, 58, heading).render()]
        } else {
            vlist::forget(sev.as_str());
            rows
        };
        groups.push(Group {
            sev,
            windowed,
            head: el("h3").text(format!("{heading} ({})", of.len())).render(),
            rows,
        });
    }
    groups
}

/// The `<section>` of group `g`.
fn group_html(g: &Group) -> Markup {
    let section = el("section").attr("class", "finding-group").markup(&g.head);
    if g.windowed {
        section.markup(&g.rows[0]).render()
    } else {
        section
            .child(g.rows.iter().fold(el("ul"), |ul, r| ul.markup(r)))
            .render()
    }
}

/// Updates the `<section>` `s` of group `a` to show group `b`, of the same
/// severity and form: only its heading and the rows that changed.
fn patch_group(s: &web_sys::Element, a: &Group, b: &Group) {
    // The section's two rows: the heading, and the box or the list (the
    // list patched apart, so compared here as unchanged).
    let rows = |g: &Group| {
        let body = if g.windowed {
            g.rows[0].clone()
        } else {
            Markup::default()
        };
        [g.head.clone(), body]
    };
    patch_rows(s, &rows(a), &rows(b));
    if !a.windowed {
        if let Some(ul) = s.last_element_child() {
            patch_rows(&ul, &a.rows, &b.rows);
        }
    }
}

/// Shows `new` in `list`, which shows `old`: a severity shown before and
/// now in the same form has only its heading and the rows that changed
/// written again (at 10,000 servers, writing 70 notes again whole was
/// 25-30 ms of layout at every edit), a severity that came or went its
/// section; no findings before or now, the whole panel.
fn show_groups(list: &web_sys::Element, old: &[Group], new: &[Group]) {
    if old.is_empty() || new.is_empty() || list.child_element_count() as usize != old.len() {
        let html = if new.is_empty() {
            el("p")
                .attr("class", "empty")
                .text("No findings: DPM supports this topology as drawn.")
                .render()
        } else {
            Markup::join(&new.iter().map(group_html).collect::<Vec<_>>())
        };
        set_keeping_focus(list, &html);
        return;
    }
    // Old sections in order, each taken as it is met: kept and patched
    // (same severity and form), or removed.
    let mut at = list.first_element_child();
    let mut old = old.iter().peekable();
    for b in new {
        // Old groups of a severity before `b`'s, or of its own in another
        // form, go.
        let goes = |a: &&Group| a.sev < b.sev || a.sev == b.sev && a.windowed != b.windowed;
        while old.next_if(goes).is_some() {
            if let Some(s) = at {
                at = s.next_element_sibling();
                s.remove();
            }
        }
        match (old.next_if(|a| a.sev == b.sev), at.clone()) {
            (Some(a), Some(s)) => {
                patch_group(&s, a, b);
                at = s.next_element_sibling();
            }
            _ => insert_rows(list, at.as_ref(), &[group_html(b)]),
        }
    }
    while let Some(s) = at {
        at = s.next_element_sibling();
        s.remove();
    }
}

/// Findings grouped by severity, each with the documentation behind it; a
/// click selects and centres what it concerns. Markup, its sections and
/// rows written again when they change ([`show_groups`]), with one
/// delegated handler.
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
    let mut shown = Vec::<Group>::new();
    crate::browser::effect(move || {
        let groups = ed
            .findings
            .with(|fs| ed.shown.with_untracked(|t| findings_groups(t, fs)));
        if let Some(el) = list.get() {
            show_groups(&el, &shown, &groups);
            shown = groups;
        }
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
