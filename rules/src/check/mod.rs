//! Checking a topology against the rules, and the pre-check used while a
//! user drags a protection.
//!
//! Every rule but three (duplicate names, long cycles, versions) is
//! *anchored* at one server: its findings depend only on that server, its
//! protectors and their protectors, and what it protects (see
//! [`anchored`]). Adding a protection P -> T can therefore change only
//! the findings anchored at P, at T and at the servers T protects, plus the
//! one cycle through P. The pre-check recomputes just those, before and
//! after, which is what makes it cheap enough to ask for every candidate
//! target on every pointer move; a property test holds it equal to adding the
//! protection and checking everything again.

mod anchored;
mod versions;

use std::hash::{BuildHasher, Hash};

use crate::hash::{HashMap, HashSet};

use petgraph::graph::DiGraph;

use self::anchored::anchored;
pub(crate) use self::anchored::{Bound, TargetClass};
pub(crate) use self::versions::runs_facing_a_value;
use crate::by_server::Places;
use crate::model::{natural_cmp, same_name, Link, Protection, Server, ServerId, Topology};
use crate::rules::{and_list, Rule, Severity, Source};

/// One thing the rules say about a topology.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Finding {
    pub rule: Rule,
    /// The servers concerned, the one the finding is about first.
    pub servers: Vec<ServerId>,
    /// The protections concerned (the ones to draw attention to).
    pub protections: Vec<Link>,
    /// What is wrong, in words that need no spec.
    pub message: String,
}

impl Finding {
    pub fn severity(&self) -> Severity {
        self.rule.severity()
    }

    /// The documentation sentence behind this finding: its rule's, for the
    /// kind of the server it is about in `t` ([`Rule::source_for`]; the
    /// rule's own [`Rule::source`] when that server is not in `t`).
    pub fn source(&self, t: &Topology) -> Source {
        match self.servers.first().and_then(|&id| t.server(id)) {
            Some(s) => self.rule.source_for(s.kind),
            None => self.rule.source(),
        }
    }
}

/// Counts by severity, for a status line.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Summary {
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
}

impl Summary {
    pub fn of(findings: &[Finding]) -> Summary {
        let mut s = Summary::default();
        for f in findings {
            match f.severity() {
                Severity::Error => s.errors += 1,
                Severity::Warning => s.warnings += 1,
                Severity::Info => s.infos += 1,
            }
        }
        s
    }

    /// "Valid", or "2 errors, 1 warning" (infos are not problems).
    pub fn status(&self) -> String {
        let plural = |n: usize, one: &str| {
            if n == 1 {
                format!("1 {one}")
            } else {
                format!("{n} {one}s")
            }
        };
        match (self.errors, self.warnings) {
            (0, 0) => "Valid".to_string(),
            (e, 0) => plural(e, "error"),
            (0, w) => plural(w, "warning"),
            (e, w) => format!("{}, {}", plural(e, "error"), plural(w, "warning")),
        }
    }
}

/// Checks a topology: every finding, errors first.
pub fn check(t: &Topology) -> Vec<Finding> {
    Checker::new(t).into_findings()
}

/// What a change brings: the errors and warnings `after` has that `before`
/// has not (a rule about servers it did not say it of; notes left out), in
/// `after`'s order. For a recovery option, `before` is the drawing and
/// `after` its result: Switch Protection on a server that had a secondary
/// brings `switched-no-secondary`. A warning the drawing had about the
/// same servers is not brought, whatever protections it names now. Any
/// two topologies (ids are compared as they are; a server renamed between
/// them is the same server).
pub fn brought(before: &Topology, after: &Topology) -> Vec<Finding> {
    brought_over(&check(before), after)
}

/// [`brought`] from the findings `had` of the drawing before (an editor
/// keeps them: one check, of `after`, instead of two).
pub fn brought_over(had: &[Finding], after: &Topology) -> Vec<Finding> {
    let had: crate::hash::HashSet<(Rule, &[ServerId])> =
        had.iter().map(|f| (f.rule, f.servers.as_slice())).collect();
    check(after)
        .into_iter()
        .filter(|f| {
            f.severity() != Severity::Info && !had.contains(&(f.rule, f.servers.as_slice()))
        })
        .collect()
}

/// Adjacency by position in `topology.servers`, built once per check, in
/// compressed form (one flat array per direction) so that indexing 10,000
/// servers costs a few allocations, not 20,000.
pub(crate) struct Index<'t> {
    pub t: &'t Topology,
    /// Per edge: protector and target positions (`u32::MAX` for an edge
    /// naming a missing server, which neither a file nor the editor makes).
    /// With whether it is switched, read with its ends (the cycle
    /// searches read every edge they pass; the protections' own list is
    /// one more place to read from).
    ends: Vec<(u32, u32, bool)>,
    /// Edges into server i: `inn[inn_at[i]..inn_at[i + 1]]`; likewise out.
    inn_at: Vec<u32>,
    inn: Vec<u32>,
    out_at: Vec<u32>,
    out: Vec<u32>,
    /// Positions by id, and which servers are DPM servers (the fact the
    /// cycle searches read of every server they pass), apart from the
    /// servers' records.
    places: Places<'t>,
}

impl<'t> Index<'t> {
    pub fn new(t: &'t Topology) -> Index<'t> {
        Index::with_places(Places::new(t))
    }

    /// [`Index::new`], with the drawing's places made already.
    pub fn with_places(places: Places<'t>) -> Index<'t> {
        let t = places.topology();
        let n = t.servers.len();
        let pos = |id: ServerId| places.position(id);
        let ends: Vec<(u32, u32, bool)> = t
            .protections
            .iter()
            .map(|p| match (pos(p.protector), pos(p.target)) {
                (Some(a), Some(b)) => (a as u32, b as u32, p.switched),
                _ => (u32::MAX, u32::MAX, p.switched),
            })
            .collect();
        let csr = |pick: fn(&(u32, u32, bool)) -> u32| {
            let mut at = vec![0u32; n + 1];
            for e in &ends {
                if e.0 != u32::MAX {
                    at[pick(e) as usize + 1] += 1;
                }
            }
            for i in 0..n {
                at[i + 1] += at[i];
            }
            let mut fill = at.clone();
            let mut list = vec![0u32; at[n] as usize];
            for (k, e) in ends.iter().enumerate() {
                if e.0 != u32::MAX {
                    let slot = &mut fill[pick(e) as usize];
                    list[*slot as usize] = k as u32;
                    *slot += 1;
                }
            }
            (at, list)
        };
        let (inn_at, inn) = csr(|e| e.1);
        let (out_at, out) = csr(|e| e.0);
        Index {
            t,
            ends,
            inn_at,
            inn,
            out_at,
            out,
            places,
        }
    }

    /// The position of server `id` in the drawing's servers, as
    /// [`Topology::position`] gives it.
    pub fn pos(&self, id: ServerId) -> Option<usize> {
        self.places.position(id)
    }

    fn inn(&self, i: usize) -> &[u32] {
        &self.inn[self.inn_at[i] as usize..self.inn_at[i + 1] as usize]
    }

    fn out(&self, i: usize) -> &[u32] {
        &self.out[self.out_at[i] as usize..self.out_at[i + 1] as usize]
    }
}

/// The index, seen with at most one extra protection.
#[derive(Clone, Copy)]
pub(crate) struct View<'a, 't> {
    ix: &'a Index<'t>,
    extra: Option<(u32, u32, bool)>,
}

const EXTRA: u32 = u32::MAX;

impl<'a, 't> View<'a, 't> {
    fn server(&self, i: usize) -> &'t Server {
        &self.ix.t.servers[i]
    }

    fn id(&self, i: usize) -> ServerId {
        self.ix.t.servers[i].id
    }

    fn name(&self, i: usize) -> &'t str {
        &self.ix.t.servers[i].name
    }

    fn is_dpm(&self, i: usize) -> bool {
        self.ix.places.is_dpm_at(i)
    }

    fn ends(&self, e: u32) -> (usize, usize, bool) {
        if e == EXTRA {
            let (a, b, sw) = self.extra.unwrap_or((0, 0, false));
            (a as usize, b as usize, sw)
        } else {
            let (a, b, sw) = self.ix.ends[e as usize];
            (a as usize, b as usize, sw)
        }
    }

    /// Protectors of `i`: (protector position, switched).
    fn protectors(&self, i: usize) -> impl Iterator<Item = (usize, bool)> + '_ {
        let extra = self
            .extra
            .filter(|&(_, b, _)| b as usize == i)
            .map(|(a, _, sw)| (a as usize, sw));
        self.ix
            .inn(i)
            .iter()
            .map(move |&e| {
                let (a, _, sw) = self.ends(e);
                (a, sw)
            })
            .chain(extra)
    }

    /// What `i` protects: (target position, switched).
    fn targets(&self, i: usize) -> impl Iterator<Item = (usize, bool)> + '_ {
        let extra = self
            .extra
            .filter(|&(a, _, _)| a as usize == i)
            .map(|(_, b, sw)| (b as usize, sw));
        self.ix
            .out(i)
            .iter()
            .map(move |&e| {
                let (_, b, sw) = self.ends(e);
                (b, sw)
            })
            .chain(extra)
    }

    /// Where `a -> b` is in the order protections were made: its place in
    /// `Topology::protections` (the editor adds at the end, a scenario file
    /// keeps the order); the pre-check's extra protection is made last.
    fn made_at(&self, a: usize, b: usize) -> u32 {
        self.ix
            .inn(b)
            .iter()
            .copied()
            .find(|&e| self.ix.ends[e as usize].0 as usize == a)
            .unwrap_or(EXTRA)
    }

    fn protects(&self, a: usize, b: usize) -> bool {
        // Through the shorter side: a secondary may protect thousands.
        if self.ix.out(a).len() <= self.ix.inn(b).len() {
            self.targets(a).any(|(x, _)| x == b)
        } else {
            self.protectors(b).any(|(x, _)| x == a)
        }
    }

    fn link(&self, a: usize, b: usize) -> Link {
        Link {
            protector: self.id(a),
            target: self.id(b),
        }
    }

    /// Sorts positions by name, as people read them.
    fn by_name(&self, v: &mut [usize]) {
        // Short lists (a server's protectors): an insertion sort, no copy
        // of the standard sort.
        for i in 1..v.len() {
            let mut j = i;
            while j > 0 && self.name_order(v[j], v[j - 1]).is_lt() {
                v.swap(j, j - 1);
                j -= 1;
            }
        }
    }

    fn name_order(&self, a: usize, b: usize) -> std::cmp::Ordering {
        natural_cmp(self.name(a), self.name(b)).then(a.cmp(&b))
    }

    fn names(&self, v: &[usize]) -> String {
        and_list(&v.iter().map(|&i| self.name(i)).collect::<Vec<_>>())
    }
}

/// The cycle finding for a strongly connected set of DPM servers, if the set
/// holds a cycle of three or more.
///
/// A strongly connected set of three or more servers holds such a cycle
/// unless every protection in it goes both ways and the pairs form a tree:
/// an edge without its reverse closes a longer cycle with the path back, and
/// so does any loop of pairs.
fn long_cycle(v: View, members: &[usize]) -> Option<Finding> {
    if members.len() < 3 {
        return None;
    }
    let set: HashSet<usize> = members.iter().copied().collect();
    let mut links = Vec::new();
    let mut one_way = false;
    let mut pairs = 0usize;
    for &a in members {
        for (b, _) in v.targets(a) {
            if b == a || !set.contains(&b) {
                continue;
            }
            links.push((a, b));
            if v.protects(b, a) {
                pairs += 1;
            } else {
                one_way = true;
            }
        }
    }
    let undirected = pairs / 2 + links.len() - pairs;
    if !one_way && undirected < members.len() {
        return None;
    }
    let mut m = members.to_vec();
    v.by_name(&mut m);
    crate::sort::sort_by(&mut links, &|x, y| {
        natural_cmp(v.name(x.0), v.name(y.0))
            .then(natural_cmp(v.name(x.1), v.name(y.1)))
            .then(x.cmp(y))
    });
    Some(Finding {
        rule: Rule::LongCycle,
        servers: m.iter().map(|&x| v.id(x)).collect(),
        protections: links.iter().map(|&(a, b)| v.link(a, b)).collect(),
        message: format!(
            "{} protect each other in a cycle of {} servers; the documentation describes cyclic protection between two DPM servers only.",
            v.names(&m),
            m.len()
        ),
    })
}

/// A name compared as [`same_name`] compares names (case, spaces at the
/// ends and the Unicode form aside), without allocating for the usual
/// ASCII name.
struct Folded<'a>(&'a str);

impl std::hash::Hash for Folded<'_> {
    fn hash<H: std::hash::Hasher>(&self, h: &mut H) {
        // A non-ASCII name may fold to an ASCII one (the Kelvin sign is K,
        // a zero-width space shows nothing): hash the fold, so names that
        // compare equal hash equal.
        let folded;
        let name = if self.0.is_ascii() {
            crate::model::trim_ascii_space(self.0)
        } else {
            folded = crate::model::fold_case(self.0);
            folded.as_str()
        };
        if name.is_ascii() {
            // Its lowercase bytes, eight at a time, to the hasher itself
            // (the map's is seeded: names come from files and links).
            for chunk in name.as_bytes().chunks(8) {
                let mut w = [0u8; 8];
                for (to, b) in w.iter_mut().zip(chunk) {
                    *to = b.to_ascii_lowercase();
                }
                h.write_u64(u64::from_le_bytes(w));
            }
        } else {
            let mut lower = String::with_capacity(name.len());
            for c in name.chars() {
                crate::model::push_lower(&mut lower, c);
            }
            for c in lower.chars() {
                h.write_u32(c as u32);
            }
        }
        h.write_u8(0xff);
    }
}

impl PartialEq for Folded<'_> {
    fn eq(&self, other: &Self) -> bool {
        same_name(self.0, other.0)
    }
}

impl Eq for Folded<'_> {}

fn duplicate_names(t: &Topology, out: &mut Vec<Finding>) {
    let mut first: std::collections::HashMap<Folded, usize> =
        std::collections::HashMap::with_capacity(t.servers.len());
    let mut groups: Vec<Vec<usize>> = Vec::new();
    let mut group_of: HashMap<usize, usize> = HashMap::default();
    for (i, s) in t.servers.iter().enumerate() {
        // One hash per name (a look-up then an insert hashed each twice).
        match first.entry(Folded(&s.name)) {
            std::collections::hash_map::Entry::Vacant(v) => {
                v.insert(i);
            }
            std::collections::hash_map::Entry::Occupied(o) => {
                let f = *o.get();
                let g = *group_of.entry(f).or_insert_with(|| {
                    groups.push(vec![f]);
                    groups.len() - 1
                });
                groups[g].push(i);
            }
        }
    }
    for g in groups {
        let first = &t.servers[g[0]].name;
        out.push(Finding {
            rule: Rule::DuplicateName,
            servers: g.iter().map(|&i| t.servers[i].id).collect(),
            protections: vec![],
            message: format!(
                "{} servers are named \"{first}\" (ignoring case, spaces at the ends and how accents are encoded); each server needs a name of its own.",
                g.len()
            ),
        });
    }
}

/// Orders findings: errors first, then by rule, then by the servers' names.
fn sort_findings(t: &Topology, findings: &mut Vec<Finding>) {
    crate::sort::sort_by(findings, &|a, b| {
        a.severity()
            .cmp(&b.severity())
            .then(a.rule.cmp(&b.rule))
            .then_with(|| {
                let an = a.servers.iter().map(|&id| t.name(id));
                let bn = b.servers.iter().map(|&id| t.name(id));
                for (x, y) in an.zip(bn) {
                    let o = natural_cmp(x, y);
                    if o.is_ne() {
                        return o;
                    }
                }
                a.servers.len().cmp(&b.servers.len())
            })
            .then_with(|| a.protections.cmp(&b.protections))
    });
}

/// A topology, indexed once (and checked once, when asked), that answers
/// pre-checks.
pub struct Checker<'t> {
    index: Index<'t>,
    /// Every finding, checked on the first call of [`Checker::findings`].
    findings: std::cell::OnceCell<Vec<Finding>>,
    /// The findings as a set, built on the first pre-check: a plain check
    /// (every edit in the app) never needs it.
    /// (The standard library's seeded hasher: findings hold names.)
    known: std::cell::OnceCell<std::collections::HashSet<Finding>>,
    /// Per server position: whether the group of DPM servers joined with it
    /// states any version or rollup, built on the first pre-check. A drag
    /// between groups that state none cannot raise `version-mismatch`, and
    /// then costs nothing here.
    versioned: std::cell::OnceCell<Vec<bool>>,
}

impl<'t> Checker<'t> {
    /// Indexes `t`; the whole drawing is checked when its findings are
    /// first asked for ([`Checker::findings`]), so a checker made for
    /// pre-checks alone does not pay for it.
    pub fn new(t: &'t Topology) -> Checker<'t> {
        Checker::with_places(Places::new(t))
    }

    /// [`Checker::new`], with the drawing's places made already (for the
    /// fixes, which index the drawing for more than the pre-check).
    pub(crate) fn with_places(places: Places<'t>) -> Checker<'t> {
        Checker {
            index: Index::with_places(places),
            findings: std::cell::OnceCell::new(),
            known: std::cell::OnceCell::new(),
            versioned: std::cell::OnceCell::new(),
        }
    }

    /// As [`Checker::new`], with `t`'s findings known already: `findings`
    /// must be [`check`]`(t)`, as an editor keeps them from its last check.
    /// A pre-check that closes or grows a cycle of DPM servers then need
    /// not check the whole drawing to tell a cycle reported already from a
    /// new one (at 10,000 servers, a few milliseconds of the key press
    /// that starts a protection). Other findings make such pre-checks
    /// wrong: a cycle reported already would count as new, or a new one as
    /// reported.
    pub fn with_findings(t: &'t Topology, findings: Vec<Finding>) -> Checker<'t> {
        let c = Checker::new(t);
        let _ = c.findings.set(findings);
        c
    }

    /// Every finding of the drawing, in [`sort_findings`]' order.
    fn check_all(&self) -> Vec<Finding> {
        every_finding(View {
            ix: &self.index,
            extra: None,
        })
    }

    pub fn topology(&self) -> &'t Topology {
        self.index.t
    }

    /// Every finding, errors first (checked on the first call).
    pub fn findings(&self) -> &[Finding] {
        self.findings.get_or_init(|| self.check_all())
    }

    /// Every finding, errors first.
    pub fn into_findings(mut self) -> Vec<Finding> {
        match self.findings.take() {
            Some(f) => f,
            None => self.check_all(),
        }
    }

    /// The class of `target` as a server to protect again, and the DPM
    /// servers bound to it: a pre-check of `target` by any other DPM server
    /// adds an error exactly when it does for every server of the class, so
    /// a planner that asks who could protect thousands of servers asks once
    /// per class and once per bound server. `None` when `target` is not a
    /// server a failure leaves to protect again in that way (see the
    /// reasoning at `anchored::target_class`) or not in the drawing.
    pub(crate) fn target_class(&self, target: ServerId) -> Option<(TargetClass, Bound)> {
        let i = self.index.pos(target)?;
        anchored::target_class(
            View {
                ix: &self.index,
                extra: None,
            },
            i,
        )
    }

    /// The findings that adding `protection` would add: exactly those that
    /// adding it and checking again would give and checking now does not.
    /// Empty when the protection is already there or names a missing server.
    pub fn precheck(&self, protection: Protection) -> Vec<Finding> {
        let ix = &self.index;
        let t = ix.t;
        let (Some(p), Some(q)) = (ix.pos(protection.protector), ix.pos(protection.target)) else {
            return Vec::new();
        };
        let before = View { ix, extra: None };
        if before.protects(p, q) {
            return Vec::new();
        }
        let after = View {
            ix,
            extra: Some((p as u32, q as u32, protection.switched)),
        };

        // Anchors whose findings read the new protection.
        let mut anchors = vec![p, q];
        anchors.extend(before.targets(q).map(|(x, _)| x));
        crate::sort::sort_by(&mut anchors, &|a, b| a.cmp(b));
        anchors.dedup();

        let mut old = Vec::new();
        let mut new = Vec::new();
        for &a in &anchors {
            anchored(before, a, &mut old);
            anchored(after, a, &mut new);
        }

        // Versions across the groups the new protection joins.
        let versioned = self
            .versioned
            .get_or_init(|| versions::versioned_groups(before));
        if p != q && after.is_dpm(p) && after.is_dpm(q) && (versioned[p] || versioned[q]) {
            versions::version_mismatches(before, Some(&[p, q]), &mut old);
            versions::version_mismatches(after, Some(&[p]), &mut new);
        }

        // The cycle through the new protection, if it closes or grows one.
        if p != q && after.is_dpm(p) && after.is_dpm(q) {
            let members = cycle_through(before, p, q);
            if members.len() >= 3 {
                if let Some(f) = long_cycle(after, &members) {
                    let known = self
                        .known
                        .get_or_init(|| self.findings().iter().cloned().collect());
                    if !known.contains(&f) {
                        new.push(f);
                    }
                }
            }
        }

        // after minus before, as multisets.
        let mut added: Vec<Finding> = Vec::new();
        for f in new {
            if let Some(k) = old.iter().position(|o| *o == f) {
                old.swap_remove(k);
            } else {
                added.push(f);
            }
        }
        sort_findings(t, &mut added);
        added
    }
}

/// Every finding of the drawing `v` shows, in [`sort_findings`]' order.
fn every_finding(v: View) -> Vec<Finding> {
    let t = v.ix.t;
    let mut findings = Vec::new();
    duplicate_names(t, &mut findings);
    for i in 0..t.servers.len() {
        anchored(v, i, &mut findings);
    }
    group_rules(v, &mut findings);
    sort_findings(t, &mut findings);
    findings
}

/// The rules that look at the whole drawing, in the order a check finds
/// them after the anchored rules: cycles of three or more DPM servers, and
/// versions across the DPM servers joined by protection.
fn group_rules(v: View, findings: &mut Vec<Finding>) {
    // Cycles among DPM servers (self-protection aside), on a graph of
    // just the DPM servers that protect each other.
    let mut g = DiGraph::<usize, ()>::new();
    let mut node: HashMap<usize, petgraph::graph::NodeIndex> = HashMap::default();
    for &(a, b, _) in &v.ix.ends {
        if a == u32::MAX {
            continue;
        }
        let (a, b) = (a as usize, b as usize);
        if a != b && v.is_dpm(a) && v.is_dpm(b) {
            let na = *node.entry(a).or_insert_with(|| g.add_node(a));
            let nb = *node.entry(b).or_insert_with(|| g.add_node(b));
            g.add_edge(na, nb, ());
        }
    }
    long_cycles(v, &g, findings);
    versions::version_mismatches(v, None, findings);
}

/// The long-cycle findings of `g`, a graph of DPM servers (by position)
/// that protect each other: one for each strongly connected part of three
/// or more that [`long_cycle`] finds to be a cycle.
fn long_cycles(v: View, g: &DiGraph<usize, ()>, findings: &mut Vec<Finding>) {
    for scc in petgraph::algo::tarjan_scc(g) {
        if scc.len() >= 3 {
            let members: Vec<usize> = scc.iter().map(|&n| g[n]).collect();
            findings.extend(long_cycle(v, &members));
        }
    }
}

/// [`group_rules`] for the groups of DPM servers (joined by protection)
/// that hold any of `seeds` (positions; servers that are not DPM servers
/// are passed over): the same findings for those groups as a whole check
/// finds, in another order, for a `v` with no `extra` protection (a whole
/// check reads the drawing's protections only; this reads `v`'s). Out: the
/// positions of the groups' servers.
fn group_rules_of(v: View, seeds: &[usize], findings: &mut Vec<Finding>) -> Vec<usize> {
    let mut seen: HashSet<usize> = HashSet::default();
    let mut members: Vec<usize> = Vec::new();
    for &s in seeds {
        if !v.is_dpm(s) || !seen.insert(s) {
            continue;
        }
        let first = members.len();
        members.push(s);
        let mut k = first;
        while k < members.len() {
            let x = members[k];
            k += 1;
            for y in versions::joined(v, x) {
                if seen.insert(y) {
                    members.push(y);
                }
            }
        }
    }
    let mut g = DiGraph::<usize, ()>::new();
    let node: HashMap<usize, petgraph::graph::NodeIndex> =
        members.iter().map(|&a| (a, g.add_node(a))).collect();
    for &a in &members {
        for (b, _) in v.targets(a) {
            if let (true, Some(&nb)) = (a != b, node.get(&b)) {
                g.add_edge(node[&a], nb, ());
            }
        }
    }
    long_cycles(v, &g, findings);
    versions::version_mismatches(v, Some(seeds), findings);
    members
}

/// A drawing's findings, kept so that after an edit they are found again
/// only where the edit can have changed them ([`Checked::update`]).
///
/// Every rule but the few that look at the whole drawing (duplicate names,
/// long cycles, versions) is anchored at one server and reads only that
/// server, its protectors, their protectors and what it protects (see
/// [`anchored`]); so an edit changes the findings anchored at the servers
/// it touched and at those within that reach of them, and no others. At
/// 10,000 servers, the anchored rules at every server are some 40 % of a
/// check, and an edit touches a handful.
#[derive(Clone, Debug, Default)]
pub struct Checked {
    /// Every finding, as [`check`] gives them.
    findings: Vec<Finding>,
    /// The names as the duplicate-name rule reads them, and its findings
    /// (with `anchored`, `None` without it).
    names: Option<Names>,
    /// The DPM servers as the group rules read them, and their findings
    /// (likewise).
    joined: Option<Joined>,
    /// The findings of the anchored rules, by the server they are anchored
    /// at (servers with none left out); `None` when the drawing has no
    /// positions by id ([`Topology::positions_by_id`]: ids not one per
    /// server, or far more ids spent than servers drawn, as after deleting
    /// most of a large estate); every update then checks it whole.
    anchored: Option<HashMap<ServerId, Vec<Finding>>>,
}

/// The drawing's names as [`duplicate_names`] compares them, counted, and
/// that rule's findings: an edit that touched no name two servers share,
/// before or after it, leaves them as they were (at 10,000 servers, the
/// rule hashes every name; an update hashes the touched servers' only).
#[derive(Clone, Debug, Default)]
struct Names {
    /// Seeded: names come from files and links.
    hasher: std::hash::RandomState,
    /// Each server's name, hashed as [`Folded`] hashes it.
    of: HashMap<ServerId, u64>,
    /// How many servers have each hash.
    count: HashMap<u64, u32>,
    /// What [`duplicate_names`] finds.
    findings: Vec<Finding>,
}

impl Names {
    fn new(t: &Topology) -> Names {
        let mut names = Names::default();
        for s in &t.servers {
            let h = names.hasher.hash_one(Folded(&s.name));
            names.of.insert(s.id, h);
            *names.count.entry(h).or_default() += 1;
        }
        duplicate_names(t, &mut names.findings);
        names
    }

    /// Counts the names of the `touched` servers (each once) again, as
    /// `index` shows them; finds the duplicates again when one of those
    /// names was or is another server's too (a hash two names share by
    /// chance looks again, never less), and says so (the group rules break
    /// ties between equal names by the servers' order: they look again
    /// too).
    fn update(&mut self, index: &Index, touched: &[ServerId]) -> bool {
        let t = index.t;
        let mut shared = false;
        for &x in touched {
            let old = self.of.get(&x).copied();
            let new = index
                .pos(x)
                .map(|i| self.hasher.hash_one(Folded(&t.servers[i].name)));
            if old == new {
                // Unchanged, but its place in the list may have moved, and
                // a group is listed in the servers' order.
                shared |= new.is_some_and(|h| self.count.get(&h).is_some_and(|&c| c >= 2));
                continue;
            }
            if let Some(h) = old {
                self.of.remove(&x);
                if let Some(c) = self.count.get_mut(&h) {
                    shared |= *c >= 2;
                    *c -= 1;
                    if *c == 0 {
                        self.count.remove(&h);
                    }
                }
            }
            if let Some(h) = new {
                self.of.insert(x, h);
                let c = self.count.entry(h).or_default();
                *c += 1;
                shared |= *c >= 2;
            }
        }
        if shared {
            self.findings.clear();
            duplicate_names(t, &mut self.findings);
        }
        shared
    }
}

/// The DPM servers as [`group_rules`] reads them (long cycles, versions):
/// each one's name, version, rollup and the DPM servers it protects and is
/// protected by, kept as they are (not hashed: a file could be made whose
/// edit changes them but not a hash, and keep findings that no longer
/// hold), and those rules' findings: an edit that changed none of these
/// leaves them as they were. At 10,000 servers the group rules walk every
/// protection of every DPM server; the edits a user makes most (a protected
/// server deleted, renamed, protected or not) change none of it.
#[derive(Clone, Debug, Default)]
struct Joined {
    /// Each DPM server's facts.
    of: HashMap<ServerId, GroupFacts>,
    /// What [`group_rules`] finds.
    findings: Vec<Finding>,
}

/// One DPM server as [`group_rules`] reads it.
#[derive(Clone, Debug, PartialEq)]
struct GroupFacts {
    name: String,
    version: Option<crate::Version>,
    rollup: Option<String>,
    /// The DPM servers next to it, sorted: each one's id shifted left by
    /// two, whether it is protected by this one (not its protector) in bit
    /// 1, and whether the protection is switched in bit 0.
    near: Vec<u64>,
}

impl Joined {
    fn new(v: View) -> Joined {
        let mut joined = Joined::default();
        for i in 0..v.ix.t.servers.len() {
            if let Some(facts) = Joined::facts(v, i) {
                joined.of.insert(v.id(i), facts);
            }
        }
        group_rules(v, &mut joined.findings);
        joined
    }

    /// Server `i` as the group rules read it; `None` for a server that is
    /// not a DPM server (they read none of it).
    fn facts(v: View, i: usize) -> Option<GroupFacts> {
        if !v.is_dpm(i) {
            return None;
        }
        let s = v.server(i);
        // Whichever order the protections are in.
        let mut near = Vec::new();
        let mut add = |by: bool, (x, sw): (usize, bool)| {
            if v.is_dpm(x) {
                near.push(u64::from(v.id(x).0) << 2 | u64::from(by) << 1 | u64::from(sw));
            }
        };
        v.protectors(i).for_each(|p| add(false, p));
        v.targets(i).for_each(|p| add(true, p));
        crate::sort::sort_by(&mut near, &|a, b| a.cmp(b));
        Some(GroupFacts {
            name: s.name.clone(),
            version: s.version,
            rollup: s.rollup.clone(),
            near,
        })
    }

    /// Reads the `touched` servers (each once) again, as `v` shows them;
    /// runs the group rules again when one of them changed, came or went
    /// as a DPM server (both ends of a protection added or removed are
    /// touched, so a change among DPM servers always shows at one).
    /// `shared`: a touched server's name is another's too ([`Names::update`]):
    /// ties between equal names are broken by order, which a move changes.
    ///
    /// Only the groups a change can reach are looked at again: those that
    /// now hold a changed server or one of its DPM neighbours before the
    /// edit (a group the edit split is found again from each piece, each
    /// piece holding a neighbour of a changed server). Their old findings
    /// go (each names a server of its group, and the groups before the edit
    /// that held a changed server lie within these or were the changed
    /// servers); every other group's findings stay.
    ///
    /// A server that became a DPM server or stopped being one changes what
    /// its DPM neighbours are next to, though the edit did not touch them:
    /// they are read again too, so that every DPM server's facts stay as
    /// the drawing has them (a later edit finds the groups from them).
    fn update(&mut self, v: View, touched: &[ServerId], shared: bool) {
        let mut changed: Vec<ServerId> = Vec::new();
        let mut seeds: Vec<ServerId> = Vec::new();
        let mut queue: Vec<ServerId> = touched.to_vec();
        let mut queued: HashSet<ServerId> = queue.iter().copied().collect();
        let mut k = 0;
        while k < queue.len() {
            let x = queue[k];
            k += 1;
            let new = v.ix.pos(x).and_then(|i| Joined::facts(v, i));
            if let (true, Some(i)) = (new.is_some() != self.of.contains_key(&x), v.ix.pos(x)) {
                for (y, _) in v.targets(i).chain(v.protectors(i)) {
                    if queued.insert(v.id(y)) {
                        queue.push(v.id(y));
                    }
                }
            }
            let old = match new {
                Some(facts) => match self.of.get_mut(&x) {
                    Some(old) if *old == facts => continue,
                    Some(old) => Some(std::mem::replace(old, facts)),
                    None => {
                        self.of.insert(x, facts);
                        None
                    }
                },
                None => match self.of.remove(&x) {
                    Some(old) => Some(old),
                    None => continue,
                },
            };
            changed.push(x);
            seeds.push(x);
            if let Some(old) = old {
                seeds.extend(old.near.iter().map(|&n| ServerId((n >> 2) as u32)));
            }
        }
        if shared {
            self.findings.clear();
            group_rules(v, &mut self.findings);
            return;
        }
        if changed.is_empty() {
            return;
        }
        let at: Vec<usize> = seeds.iter().filter_map(|&id| v.ix.pos(id)).collect();
        let mut found = Vec::new();
        let members = group_rules_of(v, &at, &mut found);
        let mut gone: HashSet<ServerId> = members.iter().map(|&i| v.id(i)).collect();
        gone.extend(changed);
        self.findings
            .retain(|f| !f.servers.iter().any(|s| gone.contains(s)));
        self.findings.extend(found);
    }
}

impl PartialEq for Checked {
    /// The same findings (how they are kept aside).
    fn eq(&self, other: &Self) -> bool {
        self.findings == other.findings
    }
}

impl Checked {
    /// The drawing `t`, checked whole.
    pub fn new(t: &Topology) -> Checked {
        Checked::whole(&Index::new(t))
    }

    fn whole(index: &Index) -> Checked {
        let t = index.t;
        let v = View {
            ix: index,
            extra: None,
        };
        if !index.places.by_id() {
            return Checked {
                findings: every_finding(v),
                names: None,
                joined: None,
                anchored: None,
            };
        }
        let mut by_anchor: HashMap<ServerId, Vec<Finding>> = HashMap::default();
        for i in 0..t.servers.len() {
            let mut out = Vec::new();
            anchored(v, i, &mut out);
            if !out.is_empty() {
                by_anchor.insert(v.id(i), out);
            }
        }
        let (names, joined) = (Names::new(t), Joined::new(v));
        let findings = assemble(v, (&names.findings, &joined.findings), &by_anchor);
        Checked {
            findings,
            names: Some(names),
            joined: Some(joined),
            anchored: Some(by_anchor),
        }
    }

    /// Every finding, errors first, as [`check`] gives them.
    pub fn findings(&self) -> &[Finding] {
        &self.findings
    }

    /// The findings of `t`, which is the drawing checked last changed at
    /// `touched` alone: every server added, removed or changed (in any
    /// fact, its name or its place included), and both ends of every
    /// protection added, removed or changed (what
    /// [`crate::patch::Patch::touched_for_rules`] gives for the change).
    /// Exactly what `Checked::new(t)` finds; a property test holds it so.
    ///
    /// The findings anchored at a touched server, at its protectors, at
    /// what it protects and at what those protect are found again (the
    /// whole reach of [`anchored`]'s invariant, one step wider than the
    /// rules read today, so that a rule reading a protector's protector
    /// needs no change here; a protection or server that went had both its
    /// ends touched, so what was within reach of it before is within reach
    /// of a touched server now), the whole-drawing rules run whole, and the
    /// rest are kept. A
    /// touched server that is another's host (whose guests' findings read
    /// every host up their chain) has the drawing checked whole.
    pub fn update(&mut self, t: &Topology, touched: &[ServerId]) {
        let index = Index::new(t);
        let hosts_touched = || {
            t.servers.iter().any(|s| s.host.is_some()) && {
                let hosts: HashSet<ServerId> = t.servers.iter().filter_map(|s| s.host).collect();
                touched.iter().any(|x| hosts.contains(x))
            }
        };
        let kept = (
            self.anchored.as_mut(),
            self.names.as_mut(),
            self.joined.as_mut(),
        );
        let (by_anchor, names, joined) = match kept {
            (Some(m), Some(n), Some(j)) if index.places.by_id() && !hosts_touched() => (m, n, j),
            _ => {
                *self = Checked::whole(&index);
                return;
            }
        };
        let v = View {
            ix: &index,
            extra: None,
        };
        // Each touched server once: a server named once per protection
        // of it that changed would have its reach walked as many times.
        let mut touched = touched.to_vec();
        crate::sort::sort_by(&mut touched, &|a, b| a.cmp(b));
        touched.dedup();
        let shared = names.update(&index, &touched);
        joined.update(v, &touched, shared);
        let mut reach: Vec<usize> = Vec::new();
        for &x in &touched {
            by_anchor.remove(&x);
            let Some(i) = index.pos(x) else { continue };
            reach.push(i);
            reach.extend(v.protectors(i).map(|(p, _)| p));
            for (y, _) in v.targets(i) {
                reach.push(y);
                reach.extend(v.targets(y).map(|(z, _)| z));
            }
        }
        crate::sort::sort_by(&mut reach, &|a, b| a.cmp(b));
        reach.dedup();
        for i in reach {
            let mut out = Vec::new();
            anchored(v, i, &mut out);
            if out.is_empty() {
                by_anchor.remove(&v.id(i));
            } else {
                by_anchor.insert(v.id(i), out);
            }
        }
        self.findings = assemble(v, (&names.findings, &joined.findings), by_anchor);
    }
}

/// Every finding of the drawing `v` shows: its duplicate names' and its
/// group rules' from `groups`, its anchored rules' from `by_anchor`, in the
/// order [`check`] gives them.
fn assemble(
    v: View,
    (dupes, groups): (&[Finding], &[Finding]),
    by_anchor: &HashMap<ServerId, Vec<Finding>>,
) -> Vec<Finding> {
    let t = v.ix.t;
    let mut findings = dupes.to_vec();
    // In the servers' order, as a check finds them.
    let mut at: Vec<(usize, &Vec<Finding>)> = by_anchor
        .iter()
        .filter_map(|(&id, f)| Some((v.ix.pos(id)?, f)))
        .collect();
    crate::sort::sort_by(&mut at, &|a, b| a.0.cmp(&b.0));
    for (_, f) in at {
        findings.extend(f.iter().cloned());
    }
    findings.extend(groups.iter().cloned());
    sort_findings(t, &mut findings);
    findings
}

/// The DPM servers strongly connected with `p` once `p -> q` is added:
/// those that reach `p`, and that `p` or `q` reaches (a new path through the
/// new protection starts at `p`, so nothing new reaches `p`).
fn cycle_through(v: View, p: usize, q: usize) -> Vec<usize> {
    let dpm_step =
        |from: usize, forward: bool, seen: &mut HashSet<usize>, stack: &mut Vec<usize>| {
            let mut push = |x: usize| {
                if x != from && v.is_dpm(x) && seen.insert(x) {
                    stack.push(x);
                }
            };
            if forward {
                v.targets(from).for_each(|(x, _)| push(x));
            } else {
                v.protectors(from).for_each(|(x, _)| push(x));
            }
        };
    let reach = |starts: &[usize], forward: bool| -> HashSet<usize> {
        let mut seen: HashSet<usize> = starts.iter().copied().collect();
        let mut stack = starts.to_vec();
        while let Some(x) = stack.pop() {
            dpm_step(x, forward, &mut seen, &mut stack);
        }
        seen
    };
    let bwd = reach(&[p], false);
    if !bwd.contains(&q) {
        // q cannot reach p: the new protection closes no cycle (and what
        // p and q reach need not be looked for).
        return Vec::new();
    }
    let fwd = reach(&[p, q], true);
    let mut members: Vec<usize> = fwd.intersection(&bwd).copied().collect();
    crate::sort::sort_by(&mut members, &|a, b| a.cmp(b));
    members
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::failover::{plan, OptionKind};

    /// Scenario 1 with DS1 failed: Switch Protection on DS3 for PS1 brings
    /// `switched-no-secondary` about PS1 (DS3's protector DS4 holds no copy
    /// of it), the rebuild brings nothing, and nothing brings itself.
    #[test]
    fn an_option_brings_the_findings_its_result_has_and_the_drawing_has_not() {
        let t = crate::presets::scenario_1();
        let (ds1, ps1) = (t.find("DS1").unwrap(), t.find("PS1").unwrap());
        let pl = plan(&t, &[ds1]);
        let options = &pl
            .affected
            .iter()
            .find(|a| a.server == ps1)
            .unwrap()
            .options;
        let of = |kind| {
            options
                .iter()
                .find(|o| o.kind == kind && o.supported)
                .unwrap()
        };
        let switched = brought(&t, &of(OptionKind::SwitchProtection).result(&t, &[ds1]));
        assert_eq!(
            switched
                .iter()
                .map(|f| (f.rule, t.name(f.servers[0])))
                .collect::<Vec<_>>(),
            vec![(Rule::SwitchedNoSecondary, "PS1")]
        );
        let rebuilt = of(OptionKind::RebuildPrimary).result(&t, &[ds1]);
        assert_eq!(brought(&t, &rebuilt), Vec::new());
        assert_eq!(brought(&t, &t), Vec::new());
        // Notes are left out: a drawing emptied of protections leaves
        // every server unprotected (a note it had not), and brings nothing.
        let mut bare = t.clone();
        bare.protections.clear();
        let before = check(&t);
        assert!(check(&bare)
            .iter()
            .any(|f| f.rule == Rule::Unprotected && !before.contains(f)));
        assert_eq!(brought(&t, &bare), Vec::new());
        // A server renamed between the two is the same server.
        let mut renamed = of(OptionKind::SwitchProtection).result(&t, &[ds1]);
        if let Some(s) = renamed.servers.iter_mut().find(|s| s.id == ps1) {
            s.name = "PS1-renamed".into();
        }
        assert_eq!(brought_over(&before, &renamed).len(), 1);
    }
}
