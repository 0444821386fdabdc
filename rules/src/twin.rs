//! The drawing as text: one entry per server with what it is, what it
//! protects, what protects it and what is wrong with it. The app's Servers
//! list (the drawing's "text twin", read by screen readers) shows these, so
//! a user who never sees the canvas learns exactly what a sighted user does.

use std::collections::HashMap;

use crate::check::Finding;
use crate::model::{Kind, ServerId, Topology};
use crate::roles::all_roles;

/// One server as the list says it.
#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    pub id: ServerId,
    pub name: String,
    /// "DPM server, primary and secondary", "Protected server: SQL Server".
    pub what: String,
    /// What it protects, in name order; itself first when it protects its
    /// own database.
    pub protects: Vec<ServerId>,
    /// What protects it, in name order.
    pub protected_by: Vec<ServerId>,
    /// Indices into the findings passed in, in their order (errors first).
    pub findings: Vec<usize>,
}

/// Every server of `t` in natural name order (the order people look a name
/// up in), with the `findings` of [`crate::check`] that concern it.
///
/// ```
/// use dpm_rules::{check, presets, twin};
///
/// let t = presets::scenario_1();
/// let fs = check(&t);
/// let list = twin(&t, &fs);
/// assert_eq!(list[0].name, "DS1");
/// assert_eq!(list[0].what, "DPM server, primary");
/// ```
pub fn twin(t: &Topology, findings: &[Finding]) -> Vec<Entry> {
    let roles = all_roles(t);
    let mut about: HashMap<ServerId, Vec<usize>> = HashMap::new();
    for (i, f) in findings.iter().enumerate() {
        for &id in &f.servers {
            let list = about.entry(id).or_default();
            if list.last() != Some(&i) {
                list.push(i);
            }
        }
    }
    let mut protects: HashMap<ServerId, Vec<ServerId>> = HashMap::new();
    let mut protected_by: HashMap<ServerId, Vec<ServerId>> = HashMap::new();
    for p in &t.protections {
        protects.entry(p.protector).or_default().push(p.target);
        if p.protector != p.target {
            protected_by.entry(p.target).or_default().push(p.protector);
        }
    }
    let sorted = |mut ids: Vec<ServerId>, own: Option<ServerId>| {
        t.sort_by_name(&mut ids);
        if let Some(own) = own {
            if let Some(i) = ids.iter().position(|&x| x == own) {
                ids.remove(i);
                ids.insert(0, own);
            }
        }
        ids
    };
    t.sorted_ids()
        .into_iter()
        .filter_map(|id| {
            let s = t.server(id)?;
            let what = match s.kind {
                Kind::Dpm => {
                    let head = if s.is_mabs() {
                        "Azure Backup Server"
                    } else {
                        "DPM server"
                    };
                    match roles.get(&id).map(|r| r.label()).unwrap_or("") {
                        "" => head.to_string(),
                        role => format!("{head}, {role}"),
                    }
                }
                Kind::Protected => match s.workloads() {
                    [] => "Protected server".to_string(),
                    ws => format!(
                        "Protected server: {}",
                        ws.iter().map(|w| w.label()).collect::<Vec<_>>().join(", ")
                    ),
                },
            };
            Some(Entry {
                id,
                name: s.name.clone(),
                what,
                protects: sorted(protects.remove(&id).unwrap_or_default(), Some(id)),
                protected_by: sorted(protected_by.remove(&id).unwrap_or_default(), None),
                findings: about.remove(&id).unwrap_or_default(),
            })
        })
        .collect()
}

/// The list as plain text, a server a paragraph: what a screen reader
/// reads, and what the tests compare.
pub fn twin_text(t: &Topology, findings: &[Finding]) -> String {
    let names = |ids: &[ServerId], own: ServerId| {
        if ids.is_empty() {
            return "nothing".to_string();
        }
        let words: Vec<String> = ids
            .iter()
            .map(|&x| {
                if x == own {
                    "itself".to_string()
                } else {
                    t.name(x).to_string()
                }
            })
            .collect();
        crate::rules::and_list(&words)
    };
    let mut out = String::new();
    for e in twin(t, findings) {
        out.push_str(&format!("{}: {}.\n", e.name, e.what));
        if e.what.starts_with("Protected") {
            out.push_str(&format!(
                "  Protected by {}.\n",
                names(&e.protected_by, e.id)
            ));
        } else {
            out.push_str(&format!("  Protects {}.\n", names(&e.protects, e.id)));
            out.push_str(&format!(
                "  Protected by {}.\n",
                names(&e.protected_by, e.id)
            ));
        }
        for &i in &e.findings {
            let f = &findings[i];
            out.push_str(&format!("  {}: {}\n", f.severity().as_str(), f.message));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{check, from_table};

    fn list(table: &str) -> String {
        let t = from_table(table).unwrap();
        twin_text(&t, &check(&t))
    }

    #[test]
    fn scenario_2_reads_as_the_seed_describes_it() {
        let text = list(
            "|Server|Protecting|Protected by|\n|---|---|---|\n\
             |DS1|PS1|\\-|\n|DS2|PS2, DS1|DS3|\n|DS3|PS3, DS2|\\-|\n",
        );
        expect_test::expect![[r#"
            DS1: DPM server, primary.
              Protects PS1.
              Protected by DS2.
            DS2: DPM server, primary and secondary.
              Protects DS1 and PS2.
              Protected by DS3.
            DS3: DPM server, primary and secondary.
              Protects DS2 and PS3.
              Protected by nothing.
              info: Nothing protects DS3's database: if DS3 fails, its replicas have no copy elsewhere to rebuild it from.
            PS1: Protected server.
              Protected by DS1.
            PS2: Protected server.
              Protected by DS2.
            PS3: Protected server.
              Protected by DS3.
        "#]]
        .assert_eq(&text);
    }

    #[test]
    fn findings_and_self_protection_go_with_every_server_they_concern() {
        let text = list(
            "|Server|Protecting|Protected by|\n|---|---|---|\n\
             |DS1|PS1, DS1|\\-|\n|DS2|PS1|\\-|\n",
        );
        expect_test::expect![[r#"
            DS1: DPM server, primary.
              Protects itself and PS1.
              Protected by nothing.
              error: PS1 is protected by 2 servers (DS1 and DS2); a server can be protected by one DPM server only.
            DS2: DPM server, primary.
              Protects PS1.
              Protected by nothing.
              error: PS1 is protected by 2 servers (DS1 and DS2); a server can be protected by one DPM server only.
              info: Nothing protects DS2's database: if DS2 fails, its replicas have no copy elsewhere to rebuild it from.
            PS1: Protected server.
              Protected by DS1 and DS2.
              error: PS1 is protected by 2 servers (DS1 and DS2); a server can be protected by one DPM server only.
        "#]].assert_eq(&text);
    }
}
