//! The simulator's impact list: what a failure takes (servers down with
//! the failed ones, data lost for good, data left with no copy, copies
//! lost, protections broken). A large estate can lose thousands of copies
//! with one server, so each list is drawn through the windowed list.

use crate::browser::markup::el;
use crate::browser::markup::{El, Markup};
use crate::browser::vlist;
use crate::sim::failed::also_down;
use crate::sim::state::labels;
use crate::ui::markup::classed;

use dpm_rules::{DataSource, Plan, Topology};

/// What the failure takes: data lost for good, data left with no copy,
/// copies lost and protections broken (long lists windowed), as markup.
pub fn impact_html(t: &Topology, p: &Plan) -> Markup {
    let mut blocks = Vec::new();
    let also = also_down_rows(t, p);
    if !also.is_empty() {
        let head = format!("Down or stopped with another ({})", also.len());
        let list = list("also", also, "Down or stopped with another");
        blocks.push(impact_block(
            "impact-block also",
            Some("also-down"),
            &head,
            list,
        ));
    }
    if !p.lost.is_empty() {
        let list = list("lost", items(t, &p.lost, "lost-item"), "Lost for good");
        let head = "✕ Lost for good (no copy survives)";
        blocks.push(impact_block("impact-block lost", Some("lost"), head, list));
    }
    if !p.unprotected.is_empty() {
        let rows = items(t, &p.unprotected, "unprotected-item");
        let list = list("unprotected", rows, "Unprotected");
        let head =
            "▲ Still there, but unprotected (every copy gone, or held by a stopped DPM server)";
        blocks.push(impact_block(
            "impact-block unprotected",
            Some("unprotected"),
            head,
            list,
        ));
    }
    let reduced = copies_lost(t, p);
    let head = format!("Copies lost ({})", reduced.len());
    let list_html = list("reduced", reduced, "Copies lost");
    blocks.push(impact_block("impact-block", None, &head, list_html));
    let broken = protections_broken(t, p);
    let head = format!("Protections broken ({})", broken.len());
    let list_html = list("broken", broken, "Protections broken");
    blocks.push(impact_block("impact-block", None, &head, list_html));
    classed("section", "impact")
        .attr("aria-label", "Impact")
        .child(el("h3").text("Impact"))
        .children(blocks)
        .render()
}

/// "Down or stopped with another": each server, and why.
fn also_down_rows(t: &Topology, p: &Plan) -> Vec<Markup> {
    p.also_down
        .iter()
        .map(|a| {
            let li = el("li")
                .attr("data-also", t.name(a.server))
                .attr("data-how", a.how.as_str());
            row(also_down(li, t, a))
        })
        .collect()
}

/// Data sources, one a row of class `class`: "Lost for good"
/// (`lost-item`) or "unprotected" (`unprotected-item`).
fn items(t: &Topology, sources: &[DataSource], class: &'static str) -> Vec<Markup> {
    labels(t, sources)
        .iter()
        .map(|s| row(classed("li", class).text(s)))
        .collect()
}

/// "Protections broken": protector → target.
fn protections_broken(t: &Topology, p: &Plan) -> Vec<Markup> {
    p.broken
        .iter()
        .map(|l| {
            let li = classed("li", "").user_text(t.name(l.protector));
            row(li.text(" → ").user_text(t.name(l.target)))
        })
        .collect()
}

/// "Copies lost": each data source that lost copies (but is not lost for
/// good, which is listed above), how many are left, and where.
fn copies_lost(t: &Topology, p: &Plan) -> Vec<Markup> {
    p.reduced
        .iter()
        .filter(|r| !p.lost.contains(&r.source))
        .map(|r| {
            let li = classed("li", "").user_text(r.source.label(t));
            if r.surviving.is_empty() {
                // An Exchange DAG's member: the others up hold its
                // databases (as its note says), though no DPM server does.
                // Or, all down, a copy of one of them survives.
                let (peers, copies) = (&r.peers_up, &r.peer_copies);
                if peers.is_empty() && copies.is_empty() {
                    return row(li.text(": no copy left"));
                }
                let mut li = li.text(": no copy left on a DPM server; its databases are ");
                li = li.text(if peers.is_empty() { "in " } else { "on " });
                let k = peers.len().max(copies.len());
                for i in 0..k {
                    if i > 0 {
                        li = li.text(if i + 1 == k { " and " } else { ", " });
                    }
                    li = match (peers.get(i), copies.get(i)) {
                        (Some(&s), _) => li.user_text(t.name(s)),
                        (None, Some(&(h, m))) => li
                            .user_text(t.name(h))
                            .text("'s copy of ")
                            .user_text(t.name(m)),
                        (None, None) => li,
                    };
                }
                return row(li);
            }
            let mut li = li.text(format!(
                ": {} of {} copies left, on ",
                r.surviving.len(),
                r.before.len()
            ));
            for (i, &s) in r.surviving.iter().enumerate() {
                if i > 0 {
                    li = li.text(", ");
                }
                li = li.user_text(t.name(s));
            }
            row(li)
        })
        .collect()
}

/// A row of a windowed list, as the list takes it.
fn row(li: El) -> Markup {
    li.render()
}

/// One list of the impact, windowed when long (rows 24 pixels high).
fn list(key: &str, rows: Vec<Markup>, label: &str) -> El {
    vlist::html(key, rows, 24, label)
}

/// A block of the impact: its heading, then `list`.
fn impact_block(class: &str, testid: Option<&str>, head: &str, list: El) -> El {
    classed("div", class)
        .attr_opt("data-testid", testid)
        .child(el("h4").text(head))
        .child(list)
}
