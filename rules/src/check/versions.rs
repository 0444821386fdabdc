//! `version-mismatch`: DPM servers joined by secondary protection must all
//! run one version and update rollup ("Major and minor versions of the
//! Primary and Secondary DPM servers must match. In addition all DPM
//! servers must be running the same version, updates etc.").
//!
//! Not anchored at one server: two known, different versions anywhere in
//! one joined group are an error even when the servers between them have
//! no version. Each server with a known value is compared with its nearest
//! servers of known value, reached through servers whose value is not
//! known; each pair that differs is one finding, naming both and the path
//! between them. Direct pairs (a DPM server and its protector) read as
//! they always have.

use std::collections::VecDeque;

use crate::hash::{HashMap, HashSet};

use super::{Finding, View};
use crate::model::{Server, Version};
use crate::rules::Rule;

/// What is compared, as a key (equal keys match) and as words.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Fact {
    Version,
    Rollup,
}

/// What a server states of `fact`, compared without allocating (this runs
/// in every pre-check of a drag).
#[derive(Clone, Copy)]
enum Key<'a> {
    Version(Version),
    Rollup(u32),
    /// A rollup written as text that names no rollup number.
    Text(&'a str),
}

impl PartialEq for Key<'_> {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            // By build only when both are builds and one is not listed;
            // otherwise by release (a release name names no build).
            (Key::Version(Version::Build(a)), Key::Version(Version::Build(b)))
                if !(a.is_listed() && b.is_listed()) =>
            {
                a == b
            }
            (Key::Version(a), Key::Version(b)) => {
                a.release().is_some() && a.release() == b.release()
            }
            (Key::Rollup(a), Key::Rollup(b)) => a == b,
            (Key::Text(a), Key::Text(b)) => a.eq_ignore_ascii_case(b),
            _ => false,
        }
    }
}

fn key(s: &Server, fact: Fact) -> Option<Key<'_>> {
    match fact {
        Fact::Version => s.version.map(Key::Version),
        Fact::Rollup => match s.update_rollup() {
            Some(r) => Some(Key::Rollup(r.0)),
            None => s
                .rollup
                .as_deref()
                .map(str::trim)
                .filter(|r| !r.is_empty())
                .map(Key::Text),
        },
    }
}

/// Whether `s` states a version and a rollup, as this rule compares them.
pub(crate) fn stated(s: &Server) -> [bool; 2] {
    [
        key(s, Fact::Version).is_some(),
        key(s, Fact::Rollup).is_some(),
    ]
}

/// Per fact (version, rollup), per server of `t` (by position): whether it
/// is a DPM server that does not state the fact in a run of such servers
/// (joined through protections) that some server stating it faces. A
/// server joined to such a server's run faces that value, and, since the
/// rule names the first server by name facing each value, what it adds
/// there depends on its name; a run that faces no value adds nothing.
pub(crate) fn runs_facing_a_value(t: &crate::model::Topology) -> [Vec<bool>; 2] {
    let n = t.servers.len();
    let dpm_links: Vec<(usize, usize)> = t
        .protections
        .iter()
        .filter_map(|p| Some((t.position(p.protector)?, t.position(p.target)?)))
        .filter(|&(a, b)| a != b && t.servers[a].is_dpm() && t.servers[b].is_dpm())
        .collect();
    let mut out: [Vec<bool>; 2] = [vec![false; n], vec![false; n]];
    for (fact, facing) in [Fact::Version, Fact::Rollup]
        .into_iter()
        .zip(out.iter_mut())
    {
        let silent: Vec<bool> = t
            .servers
            .iter()
            .map(|s| s.is_dpm() && key(s, fact).is_none())
            .collect();
        // The runs, as the roots of a union-find over silent servers.
        let mut parent: Vec<usize> = (0..n).collect();
        fn root(parent: &mut [usize], mut k: usize) -> usize {
            while parent[k] != k {
                parent[k] = parent[parent[k]];
                k = parent[k];
            }
            k
        }
        for &(a, b) in &dpm_links {
            if silent[a] && silent[b] {
                let (ra, rb) = (root(&mut parent, a), root(&mut parent, b));
                parent[ra] = rb;
            }
        }
        let mut faces = vec![false; n];
        for &(a, b) in &dpm_links {
            if silent[a] != silent[b] {
                let quiet = if silent[a] { a } else { b };
                let r = root(&mut parent, quiet);
                faces[r] = true;
            }
        }
        for k in 0..n {
            facing[k] = silent[k] && faces[root(&mut parent, k)];
        }
    }
    out
}

/// "Runs DPM 2019" / "has update rollup UR2": what `key` compares (a
/// listed build's rollup before the `rollup` field).
fn words(s: &Server, fact: Fact) -> String {
    match (fact, s.version) {
        (Fact::Version, v) => v.map(|v| v.label()).unwrap_or_default(),
        (_, Some(Version::Build(b))) if b.rollup().is_some() => b
            .rollup()
            .map(|r| format!("{r} (build {b})"))
            .unwrap_or_default(),
        _ => s
            .rollup
            .as_deref()
            .map(str::trim)
            .unwrap_or_default()
            .to_string(),
    }
}

/// DPM servers joined to `i` by one protection (either way), self and
/// servers that are not DPM servers aside.
pub(super) fn joined(v: View, i: usize) -> smallvec::SmallVec<[usize; 4]> {
    v.targets(i)
        .map(|(x, _)| x)
        .chain(v.protectors(i).map(|(x, _)| x))
        .filter(|&x| x != i && v.is_dpm(x))
        .collect()
}

/// The DPM servers joined with any of `seeds` (each seed's whole group), in
/// ascending position; all DPM servers' groups when `seeds` is `None`.
fn groups(v: View, seeds: Option<&[usize]>) -> Vec<Vec<usize>> {
    let all: Vec<usize>;
    let starts: &[usize] = match seeds {
        Some(s) => s,
        None => {
            all = (0..v.ix.t.servers.len()).filter(|&i| v.is_dpm(i)).collect();
            &all
        }
    };
    let mut seen: HashSet<usize> = HashSet::default();
    let mut out = Vec::new();
    for &s in starts {
        if !v.is_dpm(s) || !seen.insert(s) {
            continue;
        }
        let mut group = vec![s];
        let mut k = 0;
        while k < group.len() {
            let x = group[k];
            k += 1;
            for y in joined(v, x) {
                if seen.insert(y) {
                    group.push(y);
                }
            }
        }
        // A group where no server states a version or rollup has nothing
        // to compare (most drawings): skip it.
        let stated = group.iter().any(|&x| {
            let s = v.server(x);
            s.version.is_some() || s.rollup.is_some()
        });
        if group.len() >= 2 && stated {
            crate::sort::sort_indices(&mut group, &|a, b| a.cmp(&b));
            out.push(group);
        }
    }
    out
}

/// The path from `a` to `b` through servers whose `fact` is not known
/// (`a` and `b` included), shortest first, ties by name.
fn path(v: View, a: usize, b: usize, fact: Fact) -> Vec<usize> {
    let mut from: HashMap<usize, usize> = HashMap::default();
    let mut queue = VecDeque::from([a]);
    from.insert(a, a);
    while let Some(x) = queue.pop_front() {
        let mut next = joined(v, x);
        crate::sort::sort_indices(&mut next, &|a, b| v.name_order(a, b));
        for y in next {
            if from.contains_key(&y) {
                continue;
            }
            from.insert(y, x);
            if y == b {
                let mut p = vec![b];
                let mut at = b;
                while at != a {
                    at = from[&at];
                    p.push(at);
                }
                p.reverse();
                return p;
            }
            if key(v.server(y), fact).is_none() {
                queue.push_back(y);
            }
        }
    }
    Vec::new()
}

/// Pairs of servers of known, different `fact` that face each other: joined
/// directly, or through servers whose `fact` is not known.
fn facing(v: View, group: &[usize], fact: Fact) -> Vec<(usize, usize)> {
    let known = |x: usize| key(v.server(x), fact);
    let mut pairs: Vec<(usize, usize)> = Vec::new();
    let mut seen: HashSet<(usize, usize)> = HashSet::default();
    let mut add = |a: usize, b: usize| {
        let p = (a.min(b), a.max(b));
        if seen.insert(p) {
            pairs.push(p);
        }
    };
    // Direct: a DPM server and its protector.
    for &x in group {
        let Some(kx) = known(x) else { continue };
        for y in joined(v, x).into_iter().filter(|&y| y > x) {
            if known(y).is_some_and(|ky| ky != kx) {
                add(x, y);
            }
        }
    }
    // Through a stretch of servers that state nothing: the servers of
    // known value around each stretch face each other.
    let mut done: HashSet<usize> = HashSet::default();
    for &u in group {
        if known(u).is_some() || !done.insert(u) {
            continue;
        }
        let mut stretch = vec![u];
        let mut edge: Vec<usize> = Vec::new();
        let mut k = 0;
        while k < stretch.len() {
            let x = stretch[k];
            k += 1;
            for y in joined(v, x) {
                if known(y).is_some() {
                    edge.push(y);
                } else if done.insert(y) {
                    stretch.push(y);
                }
            }
        }
        // One server per value is enough to name the difference.
        crate::sort::sort_indices(&mut edge, &|a, b| v.name_order(a, b));
        edge.dedup();
        let mut firsts: Vec<(Key, usize)> = Vec::new();
        for x in edge {
            let Some(kx) = known(x) else { continue };
            if !firsts.iter().any(|(k, _)| *k == kx) {
                firsts.push((kx, x));
            }
        }
        for a in 0..firsts.len() {
            for b in a + 1..firsts.len() {
                add(firsts[a].1, firsts[b].1);
            }
        }
    }
    pairs
}

/// Per server position: true when the server's group of joined DPM servers
/// has a server stating a version or rollup (one pass, linear).
pub(super) fn versioned_groups(v: View) -> Vec<bool> {
    let n = v.ix.t.servers.len();
    let mut out = vec![false; n];
    let mut seen = vec![false; n];
    for start in 0..n {
        if seen[start] || !v.is_dpm(start) {
            continue;
        }
        seen[start] = true;
        let mut group = vec![start];
        let mut k = 0;
        let mut stated = false;
        while k < group.len() {
            let x = group[k];
            k += 1;
            let s = v.server(x);
            stated |= s.version.is_some() || s.rollup.is_some();
            for y in joined(v, x) {
                if !seen[y] {
                    seen[y] = true;
                    group.push(y);
                }
            }
        }
        for x in group {
            out[x] = stated;
        }
    }
    out
}

/// The version-mismatch findings of the groups of `seeds` (every group when
/// `None`); the same findings for a group whichever seed names it.
pub(super) fn version_mismatches(v: View, seeds: Option<&[usize]>, out: &mut Vec<Finding>) {
    for group in groups(v, seeds) {
        // Per pair: the path between them and what differs.
        type Found = ((usize, usize), Vec<usize>, Vec<String>);
        let mut found: Vec<Found> = Vec::new();
        let mut at: HashMap<(usize, usize), usize> = HashMap::default();
        for fact in [Fact::Version, Fact::Rollup] {
            for (a, b) in facing(v, &group, fact) {
                let diff = |x: usize, y: usize| match fact {
                    Fact::Version => format!(
                        "{} runs {} and {} runs {}",
                        v.name(x),
                        words(v.server(x), fact),
                        v.name(y),
                        words(v.server(y), fact)
                    ),
                    Fact::Rollup => format!(
                        "{} has update rollup {} and {} has {}",
                        v.name(x),
                        words(v.server(x), fact),
                        v.name(y),
                        words(v.server(y), fact)
                    ),
                };
                let (x, y) = protector_first(v, a, b);
                match at.get(&(a, b)) {
                    Some(&k) => found[k].2.push(diff(x, y)),
                    None => {
                        // A direct pair's path is the two servers.
                        let p = if v.protects(x, y) || v.protects(y, x) {
                            vec![x, y]
                        } else {
                            path(v, x, y, fact)
                        };
                        at.insert((a, b), found.len());
                        found.push(((a, b), p, vec![diff(x, y)]));
                    }
                }
            }
        }
        for ((a, b), path, differences) in found {
            out.push(finding(v, a, b, &path, &differences));
        }
    }
}

/// A direct pair protector first (in cyclic protection, and for pairs
/// joined through others, in name order), so findings read the same
/// whatever order the servers were drawn in.
fn protector_first(v: View, a: usize, b: usize) -> (usize, usize) {
    match (v.protects(a, b), v.protects(b, a)) {
        (true, false) => (a, b),
        (false, true) => (b, a),
        _ if v.name_order(a, b).is_le() => (a, b),
        _ => (b, a),
    }
}

fn finding(v: View, a: usize, b: usize, path: &[usize], differences: &[String]) -> Finding {
    let links: Vec<crate::model::Link> = path
        .windows(2)
        .map(|w| {
            if v.protects(w[0], w[1]) {
                v.link(w[0], w[1])
            } else {
                v.link(w[1], w[0])
            }
        })
        .collect();
    if path.len() <= 2 {
        // A DPM server and its protector: the protected one first.
        let (protector, target) = protector_first(v, a, b);
        return Finding {
            rule: Rule::VersionMismatch,
            servers: vec![v.id(target), v.id(protector)],
            protections: vec![v.link(protector, target)],
            message: format!(
                "{}: a DPM server and the DPM server that protects it must run the same version and update rollup.",
                differences.join("; ")
            ),
        };
    }
    let (x, y) = (path[0], path[path.len() - 1]);
    let between = &path[1..path.len() - 1];
    Finding {
        rule: Rule::VersionMismatch,
        servers: [x, y]
            .into_iter()
            .chain(between.iter().copied())
            .map(|i| v.id(i))
            .collect(),
        protections: links,
        message: format!(
            "{}, and secondary protection joins them through {}: every DPM server joined by secondary protection must run the same version and update rollup.",
            differences.join("; "),
            v.names(between),
        ),
    }
}
