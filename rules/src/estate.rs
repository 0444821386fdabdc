//! What real estates add to a drawing: virtual machines on hosts, DPM
//! databases on other servers, and sites. Derived answers shared by the
//! rules, the failover planner, `risk` and the app: which servers go down
//! with a failed one, and why.
//!
//! Facts (RULES.md, "Real estates"): when a host fails, every server that
//! runs on it fails too, and so on down; when the server that holds a DPM
//! server's database fails, that DPM server stops (its replicas are intact,
//! but it protects and restores nothing until its database is back); a
//! whole site can fail at once.

use crate::hash::HashSet;

use crate::model::{same_name, ServerId, Topology};

/// Why a server went down with another.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum DownHow {
    /// It runs on a host that failed (directly or further up).
    Host,
    /// It is a DPM server whose database is on a server that failed: it is
    /// stopped, not failed; its replicas are intact.
    Database,
    /// It stands in a site that failed.
    Site,
}

impl DownHow {
    /// `host`, `database`, `site` (as `failover --json` writes it).
    pub fn as_str(self) -> &'static str {
        match self {
            DownHow::Host => "host",
            DownHow::Database => "database",
            DownHow::Site => "site",
        }
    }
}

/// A server that went down because another did (or its site failed).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AlsoDown {
    pub server: ServerId,
    /// The server (its host, or the server holding its database) or, for a
    /// site, the site's name as written on the first of its servers.
    pub because_of: String,
    pub how: DownHow,
}

impl AlsoDown {
    /// "down with HV1", "stopped: its database is on SQLDB1", "down with site London".
    pub fn phrase(&self) -> String {
        match self.how {
            DownHow::Host => format!("down with {}", self.because_of),
            DownHow::Database => format!("stopped: its database is on {}", self.because_of),
            DownHow::Site => format!("down with {}", site_called(&self.because_of)),
        }
    }
}

/// A site as text names it: "site London", but "Site 1" for a site whose
/// name says it is one already ([`names_a_site`]), not "site Site 1".
pub fn site_called(name: &str) -> String {
    if names_a_site(name) {
        name.to_string()
    } else {
        format!("site {name}")
    }
}

/// Whether a site's name says it is a site: it begins or ends with the
/// word "site", case aside ("Site 1", "SITE-B", "Site2", "DR site"; not
/// "Sitework", "Website", nor "Siteé").
pub fn names_a_site(name: &str) -> bool {
    // A letter, for telling a word's end: ASCII's letters, and any other
    // character than ASCII's but a no-break space (U+00A0, U+202F) or a
    // dash (U+2010-2015) (Unicode's letter tables would add 2 KB to the
    // wasm for a rare name).
    let letter = |c: char| {
        c.is_ascii_alphabetic()
            || !c.is_ascii() && !matches!(c, '\u{a0}' | '\u{202f}' | '\u{2010}'..='\u{2015}')
    };
    let n = name.trim();
    let starts =
        n.get(..4).is_some_and(|w| w.eq_ignore_ascii_case("site")) && !n[4..].starts_with(letter);
    let cut = n.len().saturating_sub(4);
    let ends =
        n.get(cut..).is_some_and(|w| w.eq_ignore_ascii_case("site")) && !n[..cut].ends_with(letter);
    starts || ends
}

/// What is down after an outage.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Down {
    /// Every server that is down: the ones named, their sites' servers and
    /// every guest of a down host, in natural name order.
    pub failed: Vec<ServerId>,
    /// DPM servers that are up but stopped, their database being on a down
    /// server, in natural name order.
    pub stopped: Vec<ServerId>,
    /// Why each server beyond the ones named is down or stopped, in natural
    /// name order of the servers.
    pub also: Vec<AlsoDown>,
}

/// The DPM servers stopped by the servers `down`: up (not in `down`),
/// their DPM database on a server that is, in the drawing's order: such a
/// DPM server "stops: its replicas are intact but nothing is protected or
/// restored until its database is back" (RULES.md, "Real estates").
pub fn stopped_by(t: &Topology, down: &HashSet<ServerId>) -> Vec<ServerId> {
    t.servers
        .iter()
        .filter(|s| s.is_dpm() && !down.contains(&s.id))
        .filter(|s| s.database.is_some_and(|db| down.contains(&db)))
        .map(|s| s.id)
        .collect()
}

/// The servers of `site` (compared ignoring case and surrounding spaces), in
/// natural name order.
pub fn site_members(t: &Topology, site: &str) -> Vec<ServerId> {
    let site = site.trim();
    let mut ids: Vec<ServerId> = t
        .servers
        .iter()
        .filter(|s| s.site().is_some_and(|x| same_name(x, site)))
        .map(|s| s.id)
        .collect();
    t.sort_by_name(&mut ids);
    ids
}

/// Every site named in the drawing, once each (as first written), in
/// natural order.
pub fn sites(t: &Topology) -> Vec<String> {
    site_groups(t).into_iter().map(|(name, _)| name).collect()
}

/// Every site (as first written, in natural order) with its servers (in
/// natural name order), in one pass over the servers.
pub fn site_groups(t: &Topology) -> Vec<(String, Vec<ServerId>)> {
    let mut at: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    let mut out: Vec<(String, Vec<ServerId>)> = Vec::new();
    for s in &t.servers {
        if let Some(site) = s.site() {
            let k = *at.entry(crate::model::fold_case(site)).or_insert_with(|| {
                out.push((site.to_string(), Vec::new()));
                out.len() - 1
            });
            out[k].1.push(s.id);
        }
    }
    crate::sort::sort_by(&mut out, &|a, b| crate::model::natural_cmp(&a.0, &b.0));
    for (_, ids) in &mut out {
        t.sort_by_name(ids);
    }
    out
}

/// The hosts above `id`: its host, that host's host, and so on (stopping
/// at a cycle, which the readers refuse).
pub fn hosts_of(t: &Topology, id: ServerId) -> Vec<ServerId> {
    let mut out = Vec::new();
    let mut at = t.server(id).and_then(|s| s.host);
    while let Some(h) = at {
        if h == id || out.contains(&h) || t.server(h).is_none() {
            break;
        }
        out.push(h);
        at = t.server(h).and_then(|s| s.host);
    }
    out
}

/// A cycle of hosts (A runs on B, B on A), if there is one: its servers in
/// the order the hosts lead. Readers refuse such files, and the editor
/// refuses the edit.
pub fn host_cycle(t: &Topology) -> Option<Vec<ServerId>> {
    let mut done: HashSet<ServerId> = HashSet::default();
    for s in &t.servers {
        if s.host.is_none() || done.contains(&s.id) {
            continue;
        }
        let mut path: Vec<ServerId> = vec![s.id];
        let mut at = s.host;
        while let Some(h) = at {
            if let Some(k) = path.iter().position(|&p| p == h) {
                return Some(path[k..].to_vec());
            }
            if done.contains(&h) {
                break;
            }
            path.push(h);
            at = t.server(h).and_then(|x| x.host);
        }
        done.extend(path);
    }
    None
}

/// Why `host` cannot be the host of `id`, if it cannot: itself, or a server
/// that runs on `id` (a cycle).
pub fn refuse_host(t: &Topology, id: ServerId, host: ServerId) -> Option<String> {
    if host == id {
        return Some("a server cannot be its own host".into());
    }
    if hosts_of(t, host).contains(&id) {
        return Some(format!(
            "{} runs on {} already: hosts cannot form a cycle",
            t.name(host),
            t.name(id)
        ));
    }
    None
}

/// What is down when the servers `failed` and the sites `sites` fail.
/// Unknown ids and sites with no server are ignored.
pub fn down_with(t: &Topology, failed: &[ServerId], sites: &[&str]) -> Down {
    let mut down: Vec<ServerId> = Vec::new();
    let mut seen: HashSet<ServerId> = HashSet::default();
    for &id in failed {
        if t.server(id).is_some() && seen.insert(id) {
            down.push(id);
        }
    }
    let mut also: Vec<AlsoDown> = Vec::new();
    for site in sites {
        let members = site_members(t, site);
        let label = members
            .first()
            .and_then(|&id| t.server(id))
            .and_then(|s| s.site())
            .unwrap_or(site.trim())
            .to_string();
        for id in members {
            if seen.insert(id) {
                down.push(id);
                also.push(AlsoDown {
                    server: id,
                    because_of: label.clone(),
                    how: DownHow::Site,
                });
            }
        }
    }
    // Guests of down hosts, and their guests: one pass over the guests of
    // each host, so an estate of 10,000 servers costs a linear walk.
    let mut guests: crate::hash::HashMap<ServerId, Vec<ServerId>> = Default::default();
    for s in &t.servers {
        if let Some(h) = s.host {
            guests.entry(h).or_default().push(s.id);
        }
    }
    let mut k = 0;
    while k < down.len() {
        let h = down[k];
        k += 1;
        let Some(list) = guests.get(&h) else { continue };
        let mut list = list.clone();
        t.sort_by_name(&mut list);
        for g in list {
            if seen.insert(g) {
                down.push(g);
                also.push(AlsoDown {
                    server: g,
                    because_of: t.name(h).to_string(),
                    how: DownHow::Host,
                });
            }
        }
    }
    let mut stopped = stopped_by(t, &seen);
    for &s in &stopped {
        if let Some(db) = t.server(s).and_then(|s| s.database) {
            also.push(AlsoDown {
                server: s,
                because_of: t.name(db).to_string(),
                how: DownHow::Database,
            });
        }
    }
    t.sort_by_name(&mut down);
    t.sort_by_name(&mut stopped);
    crate::sort::sort_by(&mut also, &|a, b| {
        crate::model::natural_cmp(t.name(a.server), t.name(b.server)).then(a.server.cmp(&b.server))
    });
    Down {
        failed: down,
        stopped,
        also,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Kind;

    #[test]
    fn a_site_named_site_is_not_called_site_twice() {
        assert_eq!(site_called("London"), "site London");
        assert_eq!(site_called("Site 1"), "Site 1");
        assert_eq!(site_called("SITE-B"), "SITE-B");
        assert_eq!(site_called("site"), "site");
        assert_eq!(site_called("Sitework"), "site Sitework");
        assert_eq!(site_called("Site2"), "Site2");
        assert_eq!(site_called("Sité"), "site Sité");
        assert_eq!(site_called("Siteé"), "site Siteé");
        assert_eq!(site_called("DR site"), "DR site");
        assert_eq!(site_called("Website"), "site Website");
        assert_eq!(site_called("Site\u{a0}1"), "Site\u{a0}1");
        assert_eq!(site_called("Site–B"), "Site–B");
        assert_eq!(site_called(" site "), " site ");
        assert_eq!(site_called("ité"), "site ité");
        assert_eq!(site_called(""), "site ");
        assert_eq!(site_called("Lon"), "site Lon");
    }

    #[test]
    fn a_failed_host_takes_its_guests_and_their_guests() {
        let mut t = Topology::new();
        let hv = t.add_server("HV1", Kind::Protected);
        let vm = t.add_server("VM1", Kind::Protected);
        let nested = t.add_server("VM2", Kind::Protected);
        let dpm = t.add_server("DPM1", Kind::Dpm);
        let sql = t.add_server("SQL1", Kind::Protected);
        t.server_mut(vm).unwrap().host = Some(hv);
        t.server_mut(nested).unwrap().host = Some(vm);
        t.server_mut(sql).unwrap().host = Some(hv);
        t.server_mut(dpm).unwrap().database = Some(sql);
        let d = down_with(&t, &[hv], &[]);
        let names: Vec<&str> = d.failed.iter().map(|&id| t.name(id)).collect();
        assert_eq!(names, ["HV1", "SQL1", "VM1", "VM2"]);
        assert_eq!(d.stopped, vec![dpm]);
        let why: Vec<String> = d
            .also
            .iter()
            .map(|a| format!("{} {} {}", t.name(a.server), a.how.as_str(), a.because_of))
            .collect();
        assert_eq!(
            why,
            [
                "DPM1 database SQL1",
                "SQL1 host HV1",
                "VM1 host HV1",
                "VM2 host VM1"
            ]
        );
    }

    #[test]
    fn a_site_fails_whole_and_cycles_are_found() {
        let mut t = Topology::new();
        let a = t.add_server("A", Kind::Dpm);
        let b = t.add_server("B", Kind::Protected);
        t.server_mut(a).unwrap().site = Some("London".into());
        t.server_mut(b).unwrap().site = Some(" london ".into());
        let d = down_with(&t, &[], &["LONDON"]);
        assert_eq!(d.failed, vec![a, b]);
        assert!(d
            .also
            .iter()
            .all(|x| x.how == DownHow::Site && x.because_of == "London"));
        assert_eq!(sites(&t), ["London"]);
        assert_eq!(host_cycle(&t), None);
        t.server_mut(a).unwrap().host = Some(b);
        assert!(refuse_host(&t, b, a).is_some());
        t.server_mut(b).unwrap().host = Some(a);
        assert_eq!(host_cycle(&t).map(|c| c.len()), Some(2));
    }
}
