//! The seeds' table: the drawing as the documentation's protection table.

use crate::panels::findings::names;

use dpm_rules::{table_rows, xml_escape as esc, RowRole};
use leptos::prelude::*;

/// The seeds' "Server | Protecting | Protected by" table, following every
/// edit (its first 300 rows; Export → Table has them all).
#[component]
pub fn TablePanel() -> impl IntoView {
    let ed = crate::ctx::ctx().ed;
    let rows = move || {
        ed.shown.with(|t| {
            let rows = table_rows(t);
            let mut out = String::new();
            for r in rows.iter().take(300) {
                let label = match r.role {
                    RowRole::None => String::new(),
                    role => format!(" ({})", role.label()),
                };
                out.push_str(&format!(
                    "<tr><td>{}<span class=\"role\">{label}</span></td><td>{}</td><td>{}</td></tr>",
                    esc(t.name(r.server)),
                    esc(&names(t, &r.protecting)),
                    esc(&names(t, &r.protected_by))
                ));
            }
            if rows.len() > 300 {
                out.push_str(&format!(
                    "<tr><td colspan=\"3\" class=\"muted\">…and {} more rows (Export → Table has them all).</td></tr>",
                    rows.len() - 300
                ));
            }
            out
        })
    };
    view! {
        <section class="panel table-panel" aria-labelledby="table-heading">
            <h2 id="table-heading">"Protection table"</h2>
            <table class="dpm-table">
                <thead>
                    <tr><th scope="col">"Server"</th><th scope="col">"Protecting"</th><th scope="col">"Protected by"</th></tr>
                </thead>
                <tbody inner_html=rows></tbody>
            </table>
        </section>
    }
}
