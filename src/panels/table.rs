//! The seeds' table: the drawing as the documentation's protection table.

use crate::browser::markup::el;
use crate::browser::markup::fill_rows;
use crate::browser::markup::Markup;
use crate::panels::findings::with_names;
use crate::state::editor::Mode;

use dpm_rules::{table_rows_first, RowRole, ServerId, Topology};
use leptos::prelude::*;

/// Rows the panel shows at most.
const SHOWN: usize = 300;

/// Drawings of more servers than this have their table made again once a
/// change's frames are drawn and the browser is idle, not in those frames.
const LATER_FROM: usize = 1_000;

/// The table's rows: its first `SHOWN`, then a line saying how many more.
fn rows_html(t: &Topology) -> Vec<Markup> {
    let (rows, count) = table_rows_first(t, SHOWN);
    let mut out: Vec<Markup> = rows
        .iter()
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
                .render()
        })
        .collect();
    if count > SHOWN {
        out.push(
            el("tr")
                .child(
                    el("td")
                        .attr("colspan", "3")
                        .attr("class", "muted")
                        .text(format!(
                            "…and {} more rows (Export → Table has them all).",
                            count - SHOWN
                        )),
                )
                .render(),
        );
    }
    out
}

/// What the table is made of: every server's id, name and kind, and
/// every protection (positions and other facts left out).
type TableKey = (Vec<(ServerId, String, bool)>, Vec<(ServerId, ServerId)>);

/// Whether `key` is what `t`'s table is made of ([`table_key`] of `t`),
/// read in place: nothing copied when it is (a change the table does not
/// show, a site or a version, copied 10,000 names to find it the same;
/// moves do not get this far, the effect does not follow them).
fn is_key_of(key: &TableKey, t: &Topology) -> bool {
    let (servers, protections) = key;
    servers.len() == t.servers.len()
        && protections.len() == t.protections.len()
        && servers.iter().zip(&t.servers).all(|((id, name, dpm), s)| {
            *id == s.id && *name == s.name && *dpm == (s.kind == dpm_rules::Kind::Dpm)
        })
        && protections
            .iter()
            .zip(&t.protections)
            .all(|(&(a, b), p)| a == p.protector && b == p.target)
}

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
    // rows), and only the rows that changed are written again (writing
    // 300 rows whole is 10-16 ms of parsing).
    // Nothing while the simulator is open: the panel is hidden then, and
    // the previews of played options would make it again for nothing. The
    // key stays as it was then, so that leaving the simulator with the
    // drawing unchanged makes no row again (10,000 servers: 28 ms of rows).
    // On a large drawing the key is taken, and the rows made, once the
    // change's frames are drawn and the browser is idle, not in them (10,000
    // servers: 2.5 ms of key and some 7 ms of rows in every edit that
    // changes what the drawing says, 20 ms when the panel comes back with
    // the editor), once for the changes made until then.
    let due = RwSignal::new(0u32);
    let waiting = StoredValue::new(false);
    let large = move || ed.shown.with_untracked(|t| t.servers.len() > LATER_FROM);
    // What the table was last made of, and whether what it says changed
    // since (keeping the new key).
    let made = StoredValue::new(None::<TableKey>);
    let changed = move || {
        let read = |t: &Topology| {
            let same = made.with_value(|m| m.as_ref().is_some_and(|k| is_key_of(k, t)));
            if !same {
                made.set_value(Some(table_key(t)));
            }
            !same
        };
        if ed.mode.get_untracked() == Mode::Simulate {
            ed.doc.with_untracked(read)
        } else {
            ed.shown.with_untracked(read)
        }
    };
    let mut first = true;
    crate::browser::effect(move || {
        let first_run = std::mem::take(&mut first);
        if ed.mode.get() == Mode::Simulate {
            return;
        }
        ed.track_content();
        let bump = move || due.update(|n| *n = n.wrapping_add(1));
        if !large() {
            // (The first time, the rows are made with the panel.)
            if changed() && !first_run {
                bump();
            }
        } else if !waiting.get_value() {
            waiting.set_value(true);
            crate::browser::after_frames(move || {
                // (Not for the simulator opened meanwhile: the panel is
                // hidden there; leaving it runs this effect again.)
                if waiting.try_set_value(false).is_none()
                    && ed.mode.get_untracked() != Mode::Simulate
                    && changed()
                {
                    bump();
                }
            });
        }
    });
    // (No memo between: `fill_rows` writes only the rows that differ, and
    // a memo would keep and compare a second copy of the 300 rows.)
    fill_rows(body, move || {
        if due.get() == 0 && large() {
            return Vec::new();
        }
        // The drawing, not a played step's preview: rows made while the
        // simulator is open (an idle call after entering it) stay after it.
        if ed.mode.get_untracked() == Mode::Simulate {
            ed.doc.with_untracked(rows_html)
        } else {
            ed.shown.with_untracked(rows_html)
        }
    });
    view! {
        <section class="panel table-panel" aria-labelledby="table-heading">
            <h2 id="table-heading">"Protection table"</h2>
            <div class="table-scroll">
                <table class="dpm-table">
                    <thead>
                        <tr><th scope="col">"Server"</th><th scope="col">"Protecting"</th><th scope="col">"Protected by"</th></tr>
                    </thead>
                    <tbody node_ref=body></tbody>
                </table>
            </div>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use dpm_rules::{Kind, Point, Protection};
    use wasm_bindgen_test::wasm_bindgen_test;

    wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

    #[wasm_bindgen_test]
    fn the_key_tells_a_move_from_a_change_of_what_the_table_says() {
        let mut t = Topology::new();
        let d = t.add_server("DPM1", Kind::Dpm);
        let p = t.add_server("PS1", Kind::Protected);
        t.connect(Protection::new(d, p));
        let key = table_key(&t);
        assert!(is_key_of(&key, &t));
        // A move: the same table.
        let mut moved = t.clone();
        moved.servers[1].pos = Some(Point { x: 500.0, y: 40.0 });
        assert!(is_key_of(&key, &moved));
        // A rename, a kind, a protection, a server: another.
        let mut renamed = t.clone();
        renamed.rename(p, "PS2").unwrap();
        let mut kind = t.clone();
        kind.servers[1].kind = Kind::Dpm;
        let mut unprotected = t.clone();
        unprotected.protections.clear();
        let mut more = t.clone();
        more.add_server("PS3", Kind::Protected);
        // The same servers in another order: another key (the rows follow
        // the drawing's order before they are sorted).
        let mut reordered = t.clone();
        reordered.servers.swap(0, 1);
        for (what, other) in [
            ("reordered", reordered),
            ("renamed", renamed),
            ("kind", kind),
            ("protection", unprotected),
            ("server", more),
        ] {
            assert!(!is_key_of(&key, &other), "{what}");
            assert!(is_key_of(&table_key(&other), &other), "{what}");
        }
    }
}
