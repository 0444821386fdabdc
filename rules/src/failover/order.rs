//! Recovery in order ([`Plan::order`]): the databases of stopped DPM
//! servers first, then what waits on them, then failed DPM servers that can
//! be rebuilt only after their secondary is.

use crate::hash::HashSet;

use super::{by_name, database_copies, DbCopy, Flow, Links, OptionKind, OrderedStep, Step};
use crate::estate::Down;
use crate::inventory::{Copies, DataSource};
use crate::model::{Kind, Link, ServerId, Topology};
use crate::rules::{and_list, thousands};

/// What comes back with DPM server `s`: its database, and the data it
/// directly holds of the servers it protects that are up (not in `down`).
fn back_with(
    t: &Topology,
    copies: &Copies,
    links: &Links,
    s: ServerId,
    down: &HashSet<ServerId>,
) -> Vec<DataSource> {
    let mut back = vec![DataSource {
        server: s,
        part: crate::inventory::Part::Database,
    }];
    let mut up: Vec<ServerId> = links
        .protected(s)
        .iter()
        .copied()
        .filter(|&x| x != s && !down.contains(&x))
        .collect();
    by_name(t, &mut up);
    up.dedup();
    back.extend(up.into_iter().flat_map(|x| {
        copies
            .sources(x)
            .into_iter()
            .filter(|d| copies.direct(*d).contains(&s))
    }));
    back
}

/// Restores first the databases of DPM servers stopped by their database
/// server, each from its best surviving copy, then the failed servers they
/// protect from them ("nothing is protected or restored until its database
/// is back"). No steps when nothing is stopped. Also returns the servers
/// still down after these steps, and the stopped servers whose database no
/// surviving copy brings back (nothing goes through them).
pub(super) fn database_order(
    t: &Topology,
    copies: &Copies,
    links: &Links,
    outage: &Down,
    working: &dyn Fn(ServerId) -> bool,
) -> (Vec<OrderedStep>, Vec<ServerId>, Vec<ServerId>) {
    let mut o = DatabaseOrder {
        t,
        copies,
        links,
        working,
        out: Vec::new(),
        still: outage.failed.clone(),
        down: outage.failed.iter().copied().collect(),
        stopped: outage.stopped.clone(),
    };
    let (restored, never) = o.restore_databases(&outage.stopped);
    // Failed DPM servers whose only secondaries were stopped: rebuilt from
    // them now.
    for &f in &outage.failed {
        o.rebuild_from_restored(f, &restored);
    }
    // The failed servers each restored DPM server protects come back in one
    // step per DPM server (thousands of file servers are one step, not one
    // topology each).
    for &s in &restored {
        o.restore_waiting(s);
    }
    (o.out, o.still, never)
}

/// [`database_order`] under way: what it reads, the steps so far and the
/// servers still down after them.
struct DatabaseOrder<'a> {
    t: &'a Topology,
    copies: &'a Copies<'a>,
    links: &'a Links<'a>,
    working: &'a dyn Fn(ServerId) -> bool,
    out: Vec<OrderedStep>,
    still: Vec<ServerId>,
    /// Membership of `still`, which keeps the order.
    down: HashSet<ServerId>,
    /// The stopped DPM servers whose database no step so far restored, in
    /// natural name order.
    stopped: Vec<ServerId>,
}

impl DatabaseOrder<'_> {
    /// [`Step::stopped`] after the steps so far: the stopped DPM servers
    /// whose database no step restored and whose database's server is
    /// still down (brought back with its data, it holds the DPM database
    /// again).
    fn stopped_now(&self) -> Vec<ServerId> {
        let db = |s: ServerId| self.t.server(s).and_then(|v| v.database);
        self.stopped
            .iter()
            .copied()
            .filter(|&s| db(s).is_some_and(|d| self.down.contains(&d)))
            .collect()
    }

    fn n(&self, id: ServerId) -> String {
        self.t.name(id).to_string()
    }

    fn is_dpm(&self, id: ServerId) -> bool {
        self.t.server(id).is_some_and(|v| v.kind == Kind::Dpm)
    }

    /// One step per stopped DPM server whose database a surviving copy
    /// brings back, restoring it from the best copy. Returns those restored,
    /// and those no copy brings back.
    fn restore_databases(&mut self, stopped: &[ServerId]) -> (Vec<ServerId>, Vec<ServerId>) {
        let (t, n) = (self.t, |id: ServerId| self.t.name(id).to_string());
        let mut restored: Vec<ServerId> = Vec::new();
        let mut never: Vec<ServerId> = Vec::new();
        for &s in stopped {
            let Some((via, copy)) = database_copies(t, self.copies, self.links, s, self.working)
                .into_iter()
                .next()
            else {
                never.push(s);
                continue;
            };
            let whence = match (via, copy) {
                // Named, as the step names the server: "DS2's own replica
                // of SQL1", not "its own".
                (_, Some(DbCopy::OwnReplica(db))) => {
                    format!("{}'s own replica of {}", n(s), t.name(db))
                }
                (_, Some(c)) => c.phrase(t),
                (Some(p), None) => n(p),
                (None, None) => {
                    never.push(s);
                    continue;
                }
            };
            let back = back_with(t, self.copies, self.links, s, &self.down);
            // Its database back and synchronised, it runs again.
            self.stopped.retain(|&x| x != s);
            self.out.push(OrderedStep {
                kind: OptionKind::RestoreDatabase,
                server: s,
                via,
                back,
                step: Step {
                    caption: format!(
                        "Restore {}'s DPM database from {whence} to a SQL Server instance, then run DPMSync -Sync on {}: it protects and restores again.",
                        n(s),
                        n(s)
                    ),
                    topology: None,
                    failed: self.still.clone(),
                    making: Vec::new(),
                    stopped: self.stopped_now(),
                    moved: Vec::new(),
                    flows: via
                        .filter(|&v| v != s)
                        .map(|v| vec![Flow { from: v, to: s }])
                        .unwrap_or_default(),
                },
            });
            restored.push(s);
        }
        (restored, never)
    }

    /// Failed DPM server `f`, if no working DPM server protects it but one
    /// whose database was `restored` does: rebuilt from the first such, by
    /// name.
    fn rebuild_from_restored(&mut self, f: ServerId, restored: &[ServerId]) {
        if !self.is_dpm(f) {
            return;
        }
        let ps: Vec<ServerId> = self
            .links
            .protectors(f)
            .iter()
            .copied()
            .filter(|&p| p != f && self.is_dpm(p))
            .collect();
        if ps.iter().any(|&p| (self.working)(p)) {
            return;
        }
        let mut from: Vec<ServerId> = ps.into_iter().filter(|p| restored.contains(p)).collect();
        by_name(self.t, &mut from);
        let Some(&via) = from.first() else { return };
        self.down.remove(&f);
        self.still.retain(|&y| y != f);
        let back = back_with(self.t, self.copies, self.links, f, &self.down);
        let caption = format!(
            "Rebuild {} with the same name and restore its DPM database from {}.",
            self.n(f),
            self.n(via)
        );
        self.out.push(OrderedStep {
            kind: OptionKind::RebuildPrimary,
            server: f,
            via: Some(via),
            back,
            step: Step {
                caption,
                topology: None,
                failed: self.still.clone(),
                making: Vec::new(),
                stopped: self.stopped_now(),
                moved: Vec::new(),
                flows: vec![Flow { from: via, to: f }],
            },
        });
    }

    /// The failed protected servers that restored DPM server `s` protects,
    /// rebuilt and restored from it in one step (none when there are none).
    fn restore_waiting(&mut self, s: ServerId) {
        let t = self.t;
        let mut waiting: Vec<ServerId> = self
            .links
            .protected(s)
            .iter()
            .copied()
            .filter(|&x| x != s && self.down.contains(&x))
            .filter(|&x| t.server(x).is_some_and(|v| v.kind == Kind::Protected))
            .collect();
        by_name(t, &mut waiting);
        waiting.dedup();
        let Some(&first) = waiting.first() else {
            return;
        };
        for x in &waiting {
            self.down.remove(x);
        }
        let down = &self.down;
        self.still.retain(|y| down.contains(y));
        let back: Vec<DataSource> = waiting
            .iter()
            .flat_map(|&x| self.copies.sources(x))
            .filter(|d| self.copies.direct(*d).contains(&s))
            .collect();
        let (names, its) = self.names_of(&waiting);
        self.out.push(OrderedStep {
            kind: OptionKind::RestoreFromPrimary,
            server: first,
            via: Some(s),
            back,
            step: Step {
                caption: format!("Rebuild {names} and restore {its} data from {}.", self.n(s)),
                topology: None,
                failed: self.still.clone(),
                making: Vec::new(),
                stopped: self.stopped_now(),
                moved: Vec::new(),
                flows: waiting.iter().map(|&x| Flow { from: s, to: x }).collect(),
            },
        });
    }

    /// "FS1 ... its", "FS1, FS2 and FS3 ... their", or for more
    /// "FS1, FS2 and 1,234 more ... their": the servers of one step, named
    /// (`waiting` is not empty).
    fn names_of(&self, waiting: &[ServerId]) -> (String, &'static str) {
        let first: Vec<String> = waiting.iter().take(3).map(|&x| self.n(x)).collect();
        let its = if waiting.len() == 1 { "its" } else { "their" };
        (few_named(first, waiting.len()), its)
    }
}

/// "A", "A and B", "A, B and C", or for more "A, B and 1,234 more": `k`
/// things named by the first of them (`first`: the first three, or all when
/// fewer).
fn few_named(mut first: Vec<String>, k: usize) -> String {
    if k > 3 {
        first.truncate(2);
        first.push(format!("{} more", thousands(k - 2)));
    }
    and_list(&first)
}

/// The DPM servers protecting `id`, itself aside, by name (from the
/// plan's index: a site's hundreds of failed DPM servers do not each scan
/// every protection).
fn dpm_protectors(t: &Topology, links: &Links, id: ServerId) -> Vec<ServerId> {
    let mut v: Vec<ServerId> = links
        .protectors(id)
        .iter()
        .copied()
        .filter(|&p| p != id && is_dpm(t, p))
        .collect();
    by_name(t, &mut v);
    v
}

fn is_dpm(t: &Topology, id: ServerId) -> bool {
    t.server(id).is_some_and(|s| s.kind == Kind::Dpm)
}

/// Rebuilds in the order they become possible, when some failed DPM server
/// can be rebuilt only after another (its secondary) is.
///
/// `failed`: the servers still down (after any database steps); `never`:
/// stopped DPM servers that stay stopped, through which nothing goes.
pub(super) fn recovery_order(
    t: &Topology,
    failed: &[ServerId],
    never: &[ServerId],
    copies: &Copies,
    links: &Links,
) -> Vec<OrderedStep> {
    let mut down: Vec<ServerId> = failed.iter().copied().filter(|&f| is_dpm(t, f)).collect();
    if !blocked(t, links, &down, failed, never, copies) {
        return Vec::new();
    }
    let inventory = crate::inventory::inventory(t);
    let mut still: Vec<ServerId> = failed.to_vec();
    let mut out: Vec<OrderedStep> = Vec::new();
    // What the steps so far brought back; what failed, as a set (asked for
    // each copy a rebuilt server held).
    let mut returned: HashSet<DataSource> = HashSet::default();
    let was_failed: HashSet<ServerId> = failed.iter().copied().collect();
    loop {
        // The first failed DPM server (by name) with a working protector
        // that holds its database: one that never failed, or one rebuilt
        // with its copy of it back.
        let next = down.iter().find_map(|&f| {
            let db = DataSource {
                server: f,
                part: crate::inventory::Part::Database,
            };
            dpm_protectors(t, links, f)
                .into_iter()
                .find(|p| {
                    !still.contains(p)
                        && !never.contains(p)
                        && (!was_failed.contains(p) || returned.contains(&db))
                })
                .map(|p| (f, p))
        });
        let Some((f, via)) = next else { break };
        down.retain(|&x| x != f);
        still.retain(|&x| x != f);
        let was = Was {
            failed: &was_failed,
            still: &still,
            returned: &returned,
        };
        let (back, gone) = rebuilt_back(t, &inventory, f, &was);
        returned.extend(back.iter().copied());
        let waits: Vec<String> = down
            .iter()
            .filter(|&&x| dpm_protectors(t, links, x).contains(&f))
            .map(|&x| t.name(x).to_string())
            .collect();
        out.push(OrderedStep {
            kind: OptionKind::RebuildPrimary,
            server: f,
            via: Some(via),
            back,
            step: Step {
                caption: rebuild_caption(t, f, via, &waits, &gone),
                topology: None,
                failed: still.clone(),
                making: Vec::new(),
                stopped: never.to_vec(),
                moved: Vec::new(),
                flows: vec![Flow { from: via, to: f }],
            },
        });
    }
    out
}

/// Whether recovery in order is needed: only when a failed DPM server's
/// (in `down`) every protector is down too (in `failed` or `never`) while
/// a copy of its database survives further along.
fn blocked(
    t: &Topology,
    links: &Links,
    down: &[ServerId],
    failed: &[ServerId],
    never: &[ServerId],
    copies: &Copies,
) -> bool {
    let unusable: HashSet<ServerId> = failed.iter().chain(never).copied().collect();
    let unusable = |id: &ServerId| unusable.contains(id);
    down.iter().any(|&f| {
        let ps = dpm_protectors(t, links, f);
        !ps.is_empty()
            && ps.iter().all(unusable)
            && copies
                .holders(DataSource {
                    server: f,
                    part: crate::inventory::Part::Database,
                })
                .iter()
                .any(|h| !unusable(h) && is_dpm(t, *h))
    })
}

/// Where recovery in order stands when a server is rebuilt: the servers
/// that failed (`failed`), those still down (`still`), and the data the
/// steps so far brought back (`returned`).
struct Was<'a> {
    failed: &'a HashSet<ServerId>,
    still: &'a [ServerId],
    returned: &'a HashSet<DataSource>,
}

/// What comes back with rebuilt DPM server `f`, and what it held that does
/// not: its replicas are made again from the servers it protects, so a
/// copy comes back only when its server is up, or another copy survives (on
/// a server that did not fail, or brought back by an earlier step). The
/// data of a protected server down with every copy of it stays lost.
fn rebuilt_back(
    t: &Topology,
    inventory: &[crate::inventory::Holding],
    f: ServerId,
    was: &Was,
) -> (Vec<DataSource>, Vec<DataSource>) {
    let still = was.still;
    let mut back: Vec<DataSource> = vec![DataSource {
        server: f,
        part: crate::inventory::Part::Database,
    }];
    // f's own replicas come back (from its restored database and the
    // servers it protects); a copy it holds of another DPM server's
    // replica comes back only once that server is up.
    let held = inventory
        .iter()
        .filter(|h| h.holders.contains(&f) && h.source.server != f)
        .filter(|h| {
            let owner = h.source.server;
            t.protection(Link {
                protector: f,
                target: owner,
            })
            .is_some()
                || t.protectors_of(owner).any(|p| {
                    p != f
                        && !still.contains(&p)
                        && t.protection(Link {
                            protector: f,
                            target: p,
                        })
                        .is_some()
                })
        });
    let mut gone = Vec::new();
    for h in held {
        let survives = !still.contains(&h.source.server)
            || h.holders
                .iter()
                .any(|&x| x != f && !was.failed.contains(&x))
            || !h.media.is_empty()
            || was.returned.contains(&h.source);
        if survives {
            back.push(h.source);
        } else {
            gone.push(h.source);
        }
    }
    (back, gone)
}

/// The caption of rebuilding `f` from `via`; `waits`: the failed DPM
/// servers it protects, which wait on it.
fn rebuild_caption(
    t: &Topology,
    f: ServerId,
    via: ServerId,
    waits: &[String],
    gone: &[DataSource],
) -> String {
    let n = |id: ServerId| t.name(id).to_string();
    if waits.is_empty() {
        let tail = match gone.len() {
            0 => String::new(),
            k => {
                let first = gone.iter().take(3).map(|d| d.label(t)).collect();
                format!(
                    ", but {} {}: no copy of {} survives",
                    few_named(first, k),
                    if k == 1 { "is lost" } else { "are lost" },
                    if k == 1 { "it" } else { "them" }
                )
            }
        };
        format!(
            "Rebuild {} with the same name and restore its DPM database from {}: it protects its servers again{tail}.",
            n(f),
            n(via)
        )
    } else {
        format!(
            "Rebuild {} first, restoring its DPM database from {}: {} holds what {} needs.",
            n(f),
            n(via),
            n(f),
            and_list(waits)
        )
    }
}
