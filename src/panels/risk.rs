//! The Risk view: every single point of failure marked on the drawing and
//! listed with what it would take with it, and the rule crate's suggested
//! fixes drawn as dashed "ghost" arrows that a user accepts one by one.

use crate::panels::state::accept;
use crate::panels::state::accept_fact;
use crate::panels::state::FIXES_FOR;

use leptos::prelude::*;

use dpm_rules::{why_no_fix, FactChange, Protection};

/// At most this many data sources are named in the "fewer than two places" line.
const NAMED: usize = 20;

/// "Copy MABS1's DPM database to Azure", for a fix that sets a fact.
fn fact_words(t: &dpm_rules::Topology, c: &FactChange) -> String {
    match c {
        FactChange::DatabaseBackup { server, medium } => format!(
            "Copy {}'s DPM database to {} (it may not have a protector)",
            t.name(*server),
            medium.label()
        ),
    }
}

/// The panel: single points, what each takes with it, and the fixes.
#[component]
pub fn RiskPanel() -> impl IntoView {
    let ed = crate::ctx::ctx().ed;
    let rv = crate::ctx::ctx().rv;
    let body = move || {
        let (r, fx) = rv.risk.get()?;
        let t = ed.doc.get_untracked();
        let labels = |v: &[dpm_rules::DataSource]| {
            let mut s = v
                .iter()
                .take(NAMED)
                .map(|d| d.label(&t))
                .collect::<Vec<_>>()
                .join(", ");
            if v.len() > NAMED {
                s.push_str(&format!(" and {} more", v.len() - NAMED));
            }
            s
        };
        if r.single_points.is_empty() {
            return Some(
                view! { <p class="empty" data-testid="no-risk">"No single point of failure: any one server can fail and every copy it held survives elsewhere."</p> }
                    .into_any(),
            );
        }
        let items = r
            .single_points
            .iter()
            .enumerate()
            .map(|(i, sp)| {
                let name = t.name(sp.server).to_string();
                let own: Vec<Protection> = fx
                    .iter()
                    .filter(|f| f.removes.contains(&sp.server))
                    .flat_map(|f| f.add.iter().copied())
                    .collect();
                let facts: Vec<FactChange> = fx
                    .iter()
                    .filter(|f| f.removes.contains(&sp.server))
                    .flat_map(|f| f.set.iter().copied())
                    .collect();
                let fact_rows = facts
                    .into_iter()
                    .map(|c| {
                        let words = fact_words(&t, &c);
                        view! {
                            <div class="row fix">
                                <span>{words}</span>
                                <button class="btn small primary" data-action="accept-fix"
                                    data-fix=c.label(&t)
                                    on:click=move |_| accept_fact(ed, c)>"Accept"</button>
                            </div>
                        }
                    })
                    .collect_view();
                let takes = (!sp.takes.is_empty()).then(|| {
                    let words: Vec<String> = sp
                        .takes
                        .iter()
                        .map(|a| format!("{} ({})", t.name(a.server), a.phrase()))
                        .collect();
                    view! { <p>{format!("Takes with it: {}.", words.join(", "))}</p> }
                });
                let fixes_view = if i >= FIXES_FOR {
                    view! { <p class="muted">"Fixes are suggested for the first single points in the list: fix those first."</p> }.into_any()
                } else if own.is_empty() && fx.iter().all(|f| !f.removes.contains(&sp.server) || f.set.is_empty()) {
                    view! { <p class="muted">{why_no_fix(&t, sp)}</p> }.into_any()
                } else {
                    own.into_iter()
                        .map(|p| {
                            let label = format!("{} → {}", t.name(p.protector), t.name(p.target));
                            view! {
                                <div class="row fix">
                                    <span>{format!("Add {label}")}</span>
                                    <button class="btn small primary" data-action="accept-fix"
                                        data-fix=format!("{}->{}", t.name(p.protector), t.name(p.target))
                                        on:click=move |_| accept(ed, p)>"Accept"</button>
                                </div>
                            }
                        })
                        .collect_view()
                        .into_any()
                };
                view! {
                    <li class="single-point" data-single-point=name.clone()>
                        <strong>{name.clone()}</strong>
                        {(!sp.loses.is_empty()).then(|| view! { <p>{format!("Its failure loses: {}.", labels(&sp.loses))}</p> })}
                        {(!sp.unprotects.is_empty()).then(|| view! { <p>{format!("Holds the only copy of: {}.", labels(&sp.unprotects))}</p> })}
                        {takes}
                        {fact_rows}
                        {fixes_view}
                    </li>
                }
            })
            .collect_view();
        Some(
            view! {
                <ul class="single-points">{items}</ul>
                <p class="muted">{format!("Held in fewer than two places: {}.", labels(&r.under_two_copies))}</p>
            }
            .into_any(),
        )
    };
    view! {
        <section class="panel risk-panel" aria-labelledby="risk-heading">
            <h2 id="risk-heading">"Single points of failure"</h2>
            {body}
        </section>
    }
}
