//! Side panels: findings and the seeds' table.

use leptos::prelude::*;

use dpm_rules::{badge_symbol, table_rows, Finding, RowRole, Severity, Topology};

/// Findings grouped by severity, each with the documentation behind it.
#[component]
pub fn FindingsPanel(topology: Signal<Topology>, findings: Signal<Vec<Finding>>) -> impl IntoView {
    let group = move |sev: Severity, heading: &'static str| {
        move || {
            let items: Vec<Finding> =
                findings.with(|f| f.iter().filter(|f| f.severity() == sev).cloned().collect());
            if items.is_empty() {
                return None;
            }
            let n = items.len();
            let list = items
                .into_iter()
                .map(|f| {
                    let source = f.rule.source();
                    let servers = topology.with(|t| {
                        f.servers.iter().map(|&id| t.name(id).to_string()).collect::<Vec<_>>().join(", ")
                    });
                    view! {
                        <li class=format!("finding {}", sev.as_str()) data-rule=f.rule.id() title=servers>
                            <span class="finding-icon" aria-hidden="true">{badge_symbol(sev)}</span>
                            <div class="finding-body">
                                <div class="finding-title">{f.rule.title()}</div>
                                <div class="finding-message">{f.message.clone()}</div>
                                <blockquote class="finding-source">
                                    {format!("“{}”", source.text)}
                                    <cite>{source.document}</cite>
                                </blockquote>
                            </div>
                        </li>
                    }
                })
                .collect_view();
            Some(view! {
                <section class="finding-group">
                    <h3>{format!("{heading} ({n})")}</h3>
                    <ul>{list}</ul>
                </section>
            })
        }
    };
    let empty = move || {
        findings.with(|f| f.is_empty()).then(|| {
            view! {
                <p class="empty">"No findings: DPM supports this topology as drawn."</p>
            }
        })
    };
    view! {
        <section class="panel findings-panel" aria-label="Problems">
            <h2>"Problems"</h2>
            {empty}
            {group(Severity::Error, "Errors")}
            {group(Severity::Warning, "Warnings")}
            {group(Severity::Info, "Notes")}
        </section>
    }
}

/// The seeds' "Server | Protecting | Protected by" table.
#[component]
pub fn TablePanel(topology: Signal<Topology>) -> impl IntoView {
    let rows = move || {
        topology.with(|t| {
            let names = |ids: &[dpm_rules::ServerId]| {
                if ids.is_empty() {
                    "-".to_string()
                } else {
                    ids.iter()
                        .map(|&id| t.name(id))
                        .collect::<Vec<_>>()
                        .join(", ")
                }
            };
            table_rows(t)
                .into_iter()
                .map(|r| {
                    let label = match r.role {
                        RowRole::None => String::new(),
                        role => format!(" ({})", role.label()),
                    };
                    view! {
                        <tr>
                            <td>{t.name(r.server).to_string()}<span class="role">{label}</span></td>
                            <td>{names(&r.protecting)}</td>
                            <td>{names(&r.protected_by)}</td>
                        </tr>
                    }
                })
                .collect_view()
        })
    };
    view! {
        <section class="panel table-panel" aria-label="Protection table">
            <h2>"Protection table"</h2>
            <table class="dpm-table">
                <thead>
                    <tr><th>"Server"</th><th>"Protecting"</th><th>"Protected by"</th></tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </section>
    }
}
