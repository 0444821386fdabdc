//! The drawing as text: one entry per server with what it is, what it
//! protects, what protects it and what is wrong with it. The app's Servers
//! list (the drawing's "text twin", read by screen readers) shows these, so
//! a user who never sees the canvas learns exactly what a sighted user does.

use crate::hash::HashMap;

use crate::check::Finding;
use crate::model::{fold_case, BackupMedium, Kind, Server, ServerId, Topology, Version};
use crate::roles::all_roles;
use crate::rules::and_list;

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
    /// The real-estate facts in plain sentences, each ending with a full
    /// stop: "Site: London.", "Runs on HV1 (a virtual machine).", "Hosts
    /// DPM1 and SQL1.", "Its DPM database is on SQLDB1.", "Version: DPM 2019
    /// UR2 (build 10.19.379.0)."; empty for a server without them (a
    /// version given as a plain release name is not repeated here).
    pub facts: Vec<String>,
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
    twin_of(t, findings, &t.sorted_ids())
}

/// The entries of [`twin`] for the servers `ids` only, in that order (the
/// first page of the list: the strings, facts and sorted links are made
/// for the shown servers only; the indexes still read the whole drawing).
/// In: the drawing, its findings, the servers to write, each once (ids not
/// in `t` are left out). Out: their entries, as [`twin`] writes them.
///
/// ```
/// use dpm_rules::{check, presets, twin, twin_of};
///
/// let t = presets::scenario_1();
/// let fs = check(&t);
/// let ids = t.sorted_ids();
/// assert_eq!(twin_of(&t, &fs, &ids[..2]), twin(&t, &fs)[..2]);
/// ```
pub fn twin_of(t: &Topology, findings: &[Finding], ids: &[ServerId]) -> Vec<Entry> {
    let roles = all_roles(t);
    let shown: crate::hash::HashSet<ServerId> = ids.iter().copied().collect();
    let mut about: HashMap<ServerId, Vec<usize>> = HashMap::default();
    for (i, f) in findings.iter().enumerate() {
        for &id in f.servers.iter().filter(|id| shown.contains(id)) {
            let list = about.entry(id).or_default();
            if list.last() != Some(&i) {
                list.push(i);
            }
        }
    }
    let mut protects: HashMap<ServerId, Vec<ServerId>> = HashMap::default();
    let mut protected_by: HashMap<ServerId, Vec<ServerId>> = HashMap::default();
    for p in &t.protections {
        if shown.contains(&p.protector) {
            protects.entry(p.protector).or_default().push(p.target);
        }
        if p.protector != p.target && shown.contains(&p.target) {
            protected_by.entry(p.target).or_default().push(p.protector);
        }
    }
    let mut guests: HashMap<ServerId, Vec<ServerId>> = HashMap::default();
    let mut sets: std::collections::HashMap<String, Vec<ServerId>> =
        std::collections::HashMap::new();
    for s in &t.servers {
        if let Some(h) = s
            .host
            .filter(|&h| h != s.id && shown.contains(&h) && t.server(h).is_some())
        {
            guests.entry(h).or_default().push(s.id);
        }
        if let Some(set) = s.replica_set() {
            sets.entry(fold_case(set)).or_default().push(s.id);
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
    ids.iter()
        .filter_map(|&id| {
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
                facts: facts(t, s, &mut guests, &sets),
            })
        })
        .collect()
}

/// The real-estate facts of `s` in plain sentences (see [`Entry::facts`]).
/// `guests` (by host, taken from) and `sets` (members by folded replica
/// set name) are the drawing's, built once.
fn facts(
    t: &Topology,
    s: &Server,
    guests: &mut HashMap<ServerId, Vec<ServerId>>,
    sets: &std::collections::HashMap<String, Vec<ServerId>>,
) -> Vec<String> {
    let names = |mut ids: Vec<ServerId>| {
        t.sort_by_name(&mut ids);
        let words: Vec<String> = ids.iter().map(|&x| t.name(x).to_string()).collect();
        and_list(&words)
    };
    let mut out = Vec::new();
    if let Some(site) = s.site() {
        out.push(format!("Site: {site}."));
    }
    let host = s.host.filter(|&h| h != s.id).and_then(|h| t.server(h));
    match (s.is_azure(), host) {
        (true, Some(h)) => out.push(format!("An Azure virtual machine, on {}.", h.name)),
        (true, None) => out.push("An Azure virtual machine.".to_string()),
        (false, Some(h)) => out.push(format!("Runs on {} (a virtual machine).", h.name)),
        (false, None) => {}
    }
    if let Some(list) = guests.remove(&s.id) {
        out.push(format!("Hosts {}.", names(list)));
    }
    if s.is_dpm() {
        if let Some(v @ Version::Build(_)) = &s.version {
            out.push(format!("Version: {}.", v.label()));
        }
        if let Some(db) = s.database.filter(|&d| d != s.id).and_then(|d| t.server(d)) {
            out.push(format!("Its DPM database is on {}.", db.name));
        }
        let media = s.database_backup();
        if !media.is_empty() {
            let words: Vec<String> = media.iter().map(|m| m.label().to_string()).collect();
            let local = match media {
                [BackupMedium::LocalDisk] => ", which fails with the server",
                m if m.contains(&BackupMedium::LocalDisk) => {
                    " (the local disk fails with the server)"
                }
                _ => "",
            };
            out.push(format!(
                "DPM database also copied to {}{local}.",
                and_list(&words)
            ));
        }
        if s.is_domain_controller() {
            out.push("Installed on a domain controller.".to_string());
        }
    }
    if s.is_scale_out() {
        out.push("Scale-out: its VMs are spread over several DPM servers.".to_string());
    }
    if let Some(set) = s.replica_set() {
        let others: Vec<ServerId> = sets
            .get(&fold_case(set))
            .map(|m| m.iter().copied().filter(|&x| x != s.id).collect())
            .unwrap_or_default();
        if others.is_empty() {
            out.push(format!("Member of {set}."));
        } else {
            out.push(format!("Member of {set} with {}.", names(others)));
        }
    }
    out
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
        and_list(&words)
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
        for fact in &e.facts {
            out.push_str(&format!("  {fact}\n"));
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
              error: PS1 is protected by 2 servers (DS1 and DS2); a server can be protected by one DPM server only. DPM would refuse DS2 → PS1, made second; DS1 → PS1, made first, stays.
            DS2: DPM server, primary.
              Protects PS1.
              Protected by nothing.
              error: PS1 is protected by 2 servers (DS1 and DS2); a server can be protected by one DPM server only. DPM would refuse DS2 → PS1, made second; DS1 → PS1, made first, stays.
              info: Nothing protects DS2's database: if DS2 fails, its replicas have no copy elsewhere to rebuild it from.
            PS1: Protected server.
              Protected by DS1 and DS2.
              error: PS1 is protected by 2 servers (DS1 and DS2); a server can be protected by one DPM server only. DPM would refuse DS2 → PS1, made second; DS1 → PS1, made first, stays.
        "#]].assert_eq(&text);
    }

    #[test]
    fn real_estate_facts_are_said_in_plain_words() {
        let mut t = crate::export::tests::estate();
        let az = t.find("AZVM1").unwrap();
        let hv = t.find("HV1").unwrap();
        t.server_mut(az).unwrap().host = Some(hv);
        let dpm2 = t.find("DPM2").unwrap();
        let d = t.server_mut(dpm2).unwrap();
        d.version = crate::model::Version::parse("2019");
        d.database_backup = Some(vec![BackupMedium::LocalDisk]);
        let text = twin_text(&t, &[]);
        expect_test::expect![[r#"
            AZDPM1: DPM server, primary.
              Protects AZVM1.
              Protected by nothing.
              Site: Azure West Europe.
              An Azure virtual machine.
            AZVM1: Protected server.
              Protected by AZDPM1.
              Site: Azure West Europe.
              An Azure virtual machine, on HV1.
            DPM1: DPM server, primary.
              Protects EX1, HV1, HVCLU2 and SQLDB1.
              Protected by DPM2.
              Site: London.
              Runs on HV1 (a virtual machine).
              Version: DPM 2019 UR2 (build 10.19.379.0).
              Its DPM database is on SQLDB1.
              DPM database also copied to tape.
            DPM2: DPM server, primary and secondary.
              Protects DPM1 and EX2.
              Protected by nothing.
              Site: DR site.
              DPM database also copied to a local disk, which fails with the server.
              Installed on a domain controller.
            EX1: Protected server.
              Protected by DPM1.
              Site: London.
              Member of DAG1 with EX2.
            EX2: Protected server.
              Protected by DPM2.
              Site: DR site.
              Member of DAG1 with EX1.
            HV1: Protected server.
              Protected by DPM1.
              Site: London.
              Hosts AZVM1, DPM1 and SQLDB1.
            HVCLU2: Protected server.
              Protected by DPM1.
              Site: London.
              Scale-out: its VMs are spread over several DPM servers.
            SQLDB1: Protected server.
              Protected by DPM1.
              Site: London.
              Runs on HV1 (a virtual machine).
        "#]]
        .assert_eq(&text);
        let e = twin(&t, &[]);
        assert!(e.iter().all(|e| !e.facts.is_empty()));
    }

    #[test]
    fn servers_without_the_new_facts_have_none() {
        let t = crate::presets::scenario_1();
        assert!(twin(&t, &[]).iter().all(|e| e.facts.is_empty()));
    }
}
