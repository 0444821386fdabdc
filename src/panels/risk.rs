//! The Risk view: every single point of failure marked on the drawing and
//! listed with what it would take with it, and the rule crate's suggested
//! fixes drawn as dashed "ghost" arrows that a user accepts one by one.
//!
//! Markup with one delegated click handler, like the other panels: it is
//! rewritten when the risk changes, and an Accept button is known by its
//! place among the Accept buttons, in the order the fixes were written.

use crate::browser::markup::el;
use crate::browser::markup::set_keeping_focus;
use crate::browser::markup::El;
use crate::browser::markup::Markup;
use crate::panels::state::accept;
use crate::panels::state::accept_fact;
use crate::panels::state::FIXES_FOR;
use crate::state::editor::Editor;

use leptos::prelude::*;

use dpm_rules::{why_no_fix, DataSource, FactChange, Fix, Protection, Risk, SinglePoint, Topology};

/// At most this many data sources are named in the "fewer than two places" line.
const NAMED: usize = 20;

/// A suggested fix, as its Accept button makes it.
#[derive(Clone, Copy)]
enum Accept {
    Fact(FactChange),
    Add(Protection),
}

/// "Copy MABS1's DPM database to Azure", for a fix that sets a fact.
fn fact_words(t: &Topology, c: &FactChange) -> El {
    match c {
        FactChange::DatabaseBackup { server, medium } => el("span")
            .text("Copy ")
            .user_text(t.name(*server))
            .text("'s DPM database to ")
            .text(medium.label())
            .text(" (it may not have a protector)"),
    }
}

/// `p` with "`lead`: PS1, DS1 database and 3 more.", the first `NAMED`
/// data sources of `v` named, each isolated.
fn sources(t: &Topology, lead: &str, v: &[DataSource]) -> El {
    let mut p = el("p").text(lead);
    for (i, d) in v.iter().take(NAMED).enumerate() {
        if i > 0 {
            p = p.text(", ");
        }
        p = p.user_text(d.label(t));
    }
    if v.len() > NAMED {
        p = p.text(format!(" and {} more", v.len() - NAMED));
    }
    p.text(".")
}

/// A fix as a row: what it does, and its Accept button.
fn fix_row(words: El, fix: String) -> El {
    el("div").attr("class", "row fix").child(words).child(
        el("button")
            .attr("class", "btn small primary")
            .attr("data-action", "accept-fix")
            .attr("data-fix", fix)
            .text("Accept"),
    )
}

/// One single point of failure (the `i`th): what its failure loses, what
/// it alone holds, what goes down with it, and its fixes, whose Accept
/// buttons are pushed to `accepts` in their order.
fn single_point(
    t: &Topology,
    sp: &SinglePoint,
    i: usize,
    fx: &[Fix],
    accepts: &mut Vec<Accept>,
) -> El {
    let name = t.name(sp.server);
    let mine = || fx.iter().filter(|f| f.removes.contains(&sp.server));
    let own: Vec<(Protection, &Fix)> = mine()
        .flat_map(|f| f.add.iter().map(move |&p| (p, f)))
        .collect();
    let facts: Vec<FactChange> = mine().flat_map(|f| f.set.iter().copied()).collect();
    let takes = (!sp.takes.is_empty()).then(|| {
        let mut p = el("p").text("Takes with it: ");
        for (i, a) in sp.takes.iter().enumerate() {
            if i > 0 {
                p = p.text(", ");
            }
            p = p
                .user_text(t.name(a.server))
                .text(format!(" ({})", a.phrase()));
        }
        p.text(".")
    });
    let mut li = el("li")
        .attr("class", "single-point")
        .attr("data-single-point", name)
        .child(el("strong").text(name))
        .child_opt((!sp.loses.is_empty()).then(|| sources(t, "Its failure loses: ", &sp.loses)))
        .child_opt(
            (!sp.unprotects.is_empty())
                .then(|| sources(t, "Holds the only copy of: ", &sp.unprotects)),
        )
        .child_opt(takes);
    for c in &facts {
        accepts.push(Accept::Fact(*c));
        li = li.child(fix_row(fact_words(t, c), c.label(t)));
    }
    if i >= FIXES_FOR {
        li.child(
            el("p").attr("class", "muted").text(
                "Fixes are suggested for the first single points in the list: fix those first.",
            ),
        )
    } else if own.is_empty() && facts.is_empty() {
        li.child(el("p").attr("class", "muted").user_text(why_no_fix(t, sp)))
    } else {
        for (p, fix) in own {
            accepts.push(Accept::Add(p));
            let (a, b) = (t.name(p.protector), t.name(p.target));
            let mut words = el("span")
                .text("Add ")
                .user_text(a)
                .text(" → ")
                .user_text(b);
            // What it costs, read before it is accepted.
            for f in &fix.brings {
                words = words.child(
                    el("span")
                        .attr("class", "fix-cost")
                        .attr("data-brings", f.rule.id())
                        .text("Brings the ")
                        .text(f.rule.id())
                        .text(" ")
                        .text(f.severity().as_str())
                        .text(": ")
                        .user_text(&f.message),
                );
            }
            li = li.child(fix_row(words, format!("{a}->{b}")));
        }
        li
    }
}

/// The panel's content: its heading, then each single point with its
/// fixes and what is held in fewer than two places (nothing more while the
/// risk is being worked out); and the fixes its Accept buttons make.
fn risk_html(t: &Topology, risk: Option<&(Risk, Vec<Fix>)>) -> (Markup, Vec<Accept>) {
    let mut accepts = Vec::new();
    let mut parts = vec![el("h2")
        .attr("id", "risk-heading")
        .text("Single points of failure")];
    match risk {
        None => {}
        Some((r, _)) if r.single_points.is_empty() => parts.push(
            el("p").attr("class", "empty").attr("data-testid", "no-risk").text(
                "No single point of failure: any one server can fail and every copy it held survives elsewhere.",
            ),
        ),
        Some((r, fx)) => {
            // How many, before the list: in a large estate it runs far
            // below the panel's first screen.
            let n = r.single_points.len();
            let count = if n == 1 {
                "1 server whose failure alone loses data or leaves it with no other copy.".to_string()
            } else {
                format!("{n} servers whose failure alone loses data or leaves it with no other copy, in name order.")
            };
            let count = if n > FIXES_FOR {
                format!("{count} Fixes are suggested for the first {FIXES_FOR}.")
            } else {
                count
            };
            parts.push(
                el("p")
                    .attr("class", "muted")
                    .attr("data-testid", "risk-count")
                    .text(count),
            );
            let items = r
                .single_points
                .iter()
                .enumerate()
                .map(|(i, sp)| single_point(t, sp, i, fx, &mut accepts))
                .collect::<Vec<El>>();
            parts.push(el("ul").attr("class", "single-points").children(items));
            parts.push(
                sources(t, "Held in fewer than two places: ", &r.under_two_copies)
                    .attr("class", "muted"),
            );
        }
    }
    (Markup::concat(parts), accepts)
}

/// Makes the fix of an Accept button.
fn on_accept(ed: Editor, fix: Accept) {
    match fix {
        Accept::Fact(c) => accept_fact(ed, c),
        Accept::Add(p) => accept(ed, p),
    }
}

/// The panel: single points, what each takes with it, and the fixes.
#[component]
pub fn RiskPanel() -> impl IntoView {
    let ed = crate::ctx::ctx().ed;
    let rv = crate::ctx::ctx().rv;
    let root = NodeRef::<leptos::html::Section>::new();
    let accepts = StoredValue::new(Vec::<Accept>::new());
    crate::browser::effect(move || {
        let Some(root) = root.get() else { return };
        let (html, fixes) = rv
            .risk
            .with(|r| ed.doc.with_untracked(|t| risk_html(t, r.as_deref())));
        accepts.set_value(fixes);
        set_keeping_focus(&root, &html);
        // Turned on below a long Servers list, or with the column scrolled
        // deep, the view would open out of sight: its top is brought in.
        if rv.reveal.try_update_value(std::mem::take).unwrap_or(false) {
            crate::browser::dom::into_column_view(&root);
        }
    });
    let on_click = move |ev: leptos::ev::MouseEvent| {
        let (Some(b), Some(root)) = (crate::browser::dom::clicked(&ev), root.get_untracked())
        else {
            return;
        };
        let Ok(all) = root.query_selector_all("[data-action=accept-fix]") else {
            return;
        };
        let n =
            (0..all.length()).position(|i| all.item(i).is_some_and(|e| e.is_same_node(Some(&b))));
        if let Some(fix) = n.and_then(|n| accepts.with_value(|a| a.get(n).copied())) {
            on_accept(ed, fix);
        }
    };
    view! {
        <section node_ref=root class="panel risk-panel" aria-labelledby="risk-heading" on:click=on_click></section>
    }
}
