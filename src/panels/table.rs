//! The seeds' table: the drawing as the documentation's protection table.

use crate::browser::markup::el;
use crate::browser::markup::fill;
use crate::browser::markup::El;
use crate::browser::markup::Markup;
use crate::panels::findings::with_names;

use dpm_rules::{table_rows, RowRole, ServerId, Topology};
use leptos::prelude::*;

/// Rows the panel shows at most.
const SHOWN: usize = 300;

/// The table's rows: its first `SHOWN`, then a line saying how many more.
fn rows_html(t: &Topology) -> Markup {
    let rows = table_rows(t);
    let mut out: Vec<El> = rows
        .iter()
        .take(SHOWN)
        .map(|r| {
            let label = match r.role {
                RowRole::None => String::new(),
                role => format!(" ({})", role.label()),
            };
            el("tr")
                .child(
                    el("td")
                        .name_text(t.name(r.server))
                        .child(el("span").attr("class", "role").text(label)),
                )
                .child(with_names(el("td"), t, &r.protecting))
                .child(with_names(el("td"), t, &r.protected_by))
        })
        .collect();
    if rows.len() > SHOWN {
        out.push(
            el("tr").child(
                el("td")
                    .attr("colspan", "3")
                    .attr("class", "muted")
                    .text(format!(
                        "…and {} more rows (Export → Table has them all).",
                        rows.len() - SHOWN
                    )),
            ),
        );
    }
    Markup::concat(out)
}

/// What the table is made of: every server's id, name and kind, and
/// every protection (positions and other facts left out).
type TableKey = (Vec<(ServerId, String, bool)>, Vec<(ServerId, ServerId)>);

fn table_key(t: &Topology) -> TableKey {
    (
        t.servers
            .iter()
            .map(|s| (s.id, s.name.clone(), s.kind == dpm_rules::Kind::Dpm))
            .collect(),
        t.protections
            .iter()
            .map(|p| (p.protector, p.target))
            .collect(),
    )
}

/// The seeds' "Server | Protecting | Protected by" table, following every
/// edit (its first 300 rows; Export → Table has them all).
#[component]
pub fn TablePanel() -> impl IntoView {
    let ed = crate::ctx::ctx().ed;
    let body = NodeRef::<leptos::html::Tbody>::new();
    // Made again only when what the table says can have changed (not when
    // servers move, the most frequent edit: 10,000 servers, some 30 ms of
    // rows), and written only when it did.
    let key = crate::browser::memo(move |_| {
        ed.track_content();
        ed.shown.with_untracked(table_key)
    });
    let rows = crate::browser::memo(move |_| {
        key.with(|_| ());
        ed.shown.with_untracked(rows_html)
    });
    fill(body, move || rows.get());
    view! {
        <section class="panel table-panel" aria-labelledby="table-heading">
            <h2 id="table-heading">"Protection table"</h2>
            <table class="dpm-table">
                <thead>
                    <tr><th scope="col">"Server"</th><th scope="col">"Protecting"</th><th scope="col">"Protected by"</th></tr>
                </thead>
                <tbody node_ref=body></tbody>
            </table>
        </section>
    }
}
