//! Differences between two drawings, for undo and redo: a [`Patch`] holds
//! what one edit changed (the servers and protections that went, came or
//! changed, the title), not the whole drawing, so a history of hundreds of
//! steps on an estate of 10,000 servers costs what its edits changed.
//!
//! A patch holds only the side it brings: applying it hands back its
//! inverse, made of what it replaced, so one step is stored once, in the
//! direction it will be taken next.
//!
//! ```
//! use dpm_rules::{diff, presets, Point};
//!
//! let before = presets::scenario_1();
//! let mut after = before.clone();
//! after.servers[0].pos = Some(Point { x: 40.0, y: 80.0 });
//! let mut t = before.clone();
//! let undo = diff(&after, &before); // after -> before
//! let redo = diff(&before, &after).apply(&mut t).unwrap();
//! assert_eq!(t, after);
//! assert_eq!(undo, redo, "applying hands back the way back");
//! redo.apply(&mut t).unwrap();
//! assert_eq!(t, before);
//! ```

use std::collections::HashMap;
use std::hash::Hash;
use std::mem;

use crate::model::{Protection, Server, Topology};

/// What changes from one drawing to another: [`diff`] makes it,
/// [`Patch::apply`] makes the change and hands back the patch that undoes
/// it.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Patch {
    /// The title it sets, when it changes the title.
    title: Option<Option<String>>,
    /// The next fresh server id it sets, when that changes.
    next_id: Option<u32>,
    servers: Splice<Server>,
    protections: Splice<Protection>,
}

/// The changes to one list. Positions, not keys, say where: applying needs
/// no lookup, and a list with repeated keys (a file someone wrote by hand)
/// patches as exactly as any other.
#[derive(Clone, Debug, PartialEq)]
struct Splice<T> {
    /// Positions in the list before, rising, of the items that go.
    gone: Vec<usize>,
    /// Positions among the items that stay, rising, with their new value.
    /// The items that stay are the same items, in the same order, in both
    /// directions, so these positions hold for the inverse too.
    changed: Vec<(usize, T)>,
    /// Positions in the list after, rising, with the items that come.
    added: Vec<(usize, T)>,
}

impl<T> Default for Splice<T> {
    fn default() -> Self {
        Splice {
            gone: Vec::new(),
            changed: Vec::new(),
            added: Vec::new(),
        }
    }
}

/// The patch that turns `before` into `after`; [`Patch::is_empty`] when
/// they are equal. Linear in the drawings' size: servers are matched by id
/// and protections by their two ends, in order, so a server moved, renamed,
/// added or deleted is one entry, however large the drawing.
pub fn diff(before: &Topology, after: &Topology) -> Patch {
    Patch {
        title: (before.title != after.title).then(|| after.title.clone()),
        next_id: (before.next_id().0 != after.next_id().0).then_some(after.next_id().0),
        servers: splice(&before.servers, &after.servers, |s: &Server| s.id),
        protections: splice(&before.protections, &after.protections, |p: &Protection| {
            p.link()
        }),
    }
}

impl Patch {
    /// Whether it changes nothing.
    pub fn is_empty(&self) -> bool {
        self.title.is_none()
            && self.next_id.is_none()
            && self.servers.is_empty()
            && self.protections.is_empty()
    }

    /// How many servers and protections it adds, removes or changes: what
    /// it costs to keep, about.
    pub fn size(&self) -> usize {
        self.servers.size() + self.protections.size()
    }

    /// Makes the change on `t`, the drawing it was made from (the `before`
    /// of [`diff`], or the drawing an applied patch left), and returns the
    /// patch that undoes it. `None`, leaving `t` as it was, when the patch
    /// cannot have been made from `t` (it names positions `t` lacks).
    pub fn apply(self, t: &mut Topology) -> Option<Patch> {
        if !self.servers.fits(t.servers.len()) || !self.protections.fits(t.protections.len()) {
            return None;
        }
        let title = self.title.map(|title| mem::replace(&mut t.title, title));
        let next_id = self.next_id.map(|id| t.set_next_id(id));
        Some(Patch {
            title,
            next_id,
            servers: self.servers.apply(&mut t.servers),
            protections: self.protections.apply(&mut t.protections),
        })
    }
}

/// The changes from `a` to `b`, items matched by `key` in order: the
/// longest run that agrees at each end by position, then, between, each
/// item of `a` with the first item of `b` of its key that comes after the
/// last one matched.
fn splice<T: Clone + PartialEq, K: Hash + Eq>(
    a: &[T],
    b: &[T],
    key: impl Fn(&T) -> K,
) -> Splice<T> {
    let head = a
        .iter()
        .zip(b)
        .take_while(|(x, y)| key(x) == key(y))
        .count();
    let tail = a[head..]
        .iter()
        .rev()
        .zip(b[head..].iter().rev())
        .take_while(|(x, y)| key(x) == key(y))
        .count();
    let (mid_a, mid_b) = (&a[head..a.len() - tail], &b[head..b.len() - tail]);
    let mut out = Splice::default();
    // Kept items, in order, by their position in `b`.
    let mut kept_at: Vec<usize> = (0..head).collect();
    if !mid_a.is_empty() && !mid_b.is_empty() {
        let mut first: HashMap<K, usize> = HashMap::with_capacity(mid_b.len());
        for (j, y) in mid_b.iter().enumerate().rev() {
            first.insert(key(y), j);
        }
        let mut next = 0;
        for (i, x) in mid_a.iter().enumerate() {
            match first.get(&key(x)) {
                Some(&j) if j >= next => {
                    kept_at.push(head + j);
                    next = j + 1;
                }
                _ => out.gone.push(head + i),
            }
        }
    } else {
        out.gone.extend(head..a.len() - tail);
    }
    kept_at.extend(b.len() - tail..b.len());
    // What changed among the kept: `a`'s kept items are its items not gone.
    let mut gone = out.gone.iter().peekable();
    let kept_a = a.iter().enumerate().filter(|(i, _)| {
        let g = gone.peek() == Some(&i);
        if g {
            gone.next();
        }
        !g
    });
    for (k, ((_, x), &j)) in kept_a.zip(&kept_at).enumerate() {
        if *x != b[j] {
            out.changed.push((k, b[j].clone()));
        }
    }
    // What came: the positions of `b` no kept item took.
    let mut taken = kept_at.iter().peekable();
    for (j, y) in b.iter().enumerate() {
        if taken.peek() == Some(&&j) {
            taken.next();
        } else {
            out.added.push((j, y.clone()));
        }
    }
    out
}

/// Whether `v` rises strictly, each below `end`.
fn rising_below(mut v: impl Iterator<Item = usize>, end: usize) -> bool {
    let mut last = None;
    v.all(|i| {
        let ok = i < end && last.is_none_or(|l| i > l);
        last = Some(i);
        ok
    })
}

impl<T> Splice<T> {
    fn is_empty(&self) -> bool {
        self.gone.is_empty() && self.changed.is_empty() && self.added.is_empty()
    }

    fn size(&self) -> usize {
        self.gone.len() + self.changed.len() + self.added.len()
    }

    /// Whether it can apply to a list of `len` items.
    fn fits(&self, len: usize) -> bool {
        let Some(kept) = len.checked_sub(self.gone.len()) else {
            return false;
        };
        rising_below(self.gone.iter().copied(), len)
            && rising_below(self.changed.iter().map(|c| c.0), kept)
            && rising_below(self.added.iter().map(|c| c.0), kept + self.added.len())
    }

    /// Applies it to `list`, which it [`Splice::fits`], and returns its
    /// inverse, made of the items it took out or replaced.
    fn apply(self, list: &mut Vec<T>) -> Splice<T> {
        let Splice {
            gone,
            changed,
            added,
        } = self;
        if gone.is_empty() && added.is_empty() {
            // In place: a move, a rename, a fact.
            let changed = changed
                .into_iter()
                .map(|(k, v)| (k, mem::replace(&mut list[k], v)))
                .collect();
            return Splice {
                gone: Vec::new(),
                changed,
                added: Vec::new(),
            };
        }
        let mut removed = Vec::with_capacity(gone.len());
        let mut kept = Vec::with_capacity(list.len() - gone.len() + added.len());
        let mut g = gone.iter().peekable();
        for (i, x) in mem::take(list).into_iter().enumerate() {
            if g.peek() == Some(&&i) {
                g.next();
                removed.push((i, x));
            } else {
                kept.push(x);
            }
        }
        let changed = changed
            .into_iter()
            .map(|(k, v)| (k, mem::replace(&mut kept[k], v)))
            .collect();
        let came = added.iter().map(|a| a.0).collect();
        if added.first().is_none_or(|a| a.0 >= kept.len()) {
            // Only at the end (a server added, a paste): no reshuffle.
            kept.extend(added.into_iter().map(|a| a.1));
            *list = kept;
        } else {
            let total = kept.len() + added.len();
            let (mut old, mut new) = (kept.into_iter(), added.into_iter().peekable());
            *list = (0..total)
                .filter_map(|j| match new.peek() {
                    Some((at, _)) if *at == j => new.next().map(|a| a.1),
                    _ => old.next(),
                })
                .collect();
        }
        Splice {
            gone: came,
            changed,
            added: removed,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Kind, Point, ServerId};

    fn sample() -> Topology {
        let mut t = Topology::new();
        let ds = t.add_server("DS1", Kind::Dpm);
        let ds2 = t.add_server("DS2", Kind::Dpm);
        for i in 1..=4 {
            let ps = t.add_server(format!("PS{i}"), Kind::Protected);
            t.connect(Protection::new(ds, ps));
        }
        t.connect(Protection::new(ds2, ds));
        t.title = Some("Sample".into());
        t
    }

    /// `b` from `a` by the patch, `a` back by its inverse, `b` again by
    /// the inverse's inverse; returns the patch's size.
    fn round_trip(a: &Topology, b: &Topology) -> usize {
        let p = diff(a, b);
        assert_eq!(p.is_empty(), a == b);
        let size = p.size();
        let mut t = a.clone();
        let back = p.apply(&mut t).expect("fits");
        assert_eq!(&t, b);
        let again = back.apply(&mut t).expect("fits");
        assert_eq!(&t, a);
        again.apply(&mut t).expect("fits");
        assert_eq!(&t, b);
        size
    }

    #[test]
    fn a_moved_server_is_one_change() {
        let a = sample();
        let mut b = a.clone();
        b.servers[3].pos = Some(Point { x: 10.0, y: 20.0 });
        assert_eq!(round_trip(&a, &b), 1);
    }

    #[test]
    fn renames_and_facts_are_one_change_each() {
        let a = sample();
        let mut b = a.clone();
        b.rename(ServerId(2), "Files1").unwrap();
        b.servers[0].mabs = Some(true);
        b.servers[1].site = Some("London".into());
        b.servers[2].host = Some(ServerId(3));
        assert_eq!(round_trip(&a, &b), 3);
    }

    #[test]
    fn an_added_server_and_protection_are_one_each() {
        let a = sample();
        let mut b = a.clone();
        let id = b.add_server("PS9", Kind::Protected);
        b.connect(Protection::new(ServerId(1), id));
        assert_eq!(round_trip(&a, &b), 2);
    }

    #[test]
    fn a_removed_server_takes_its_protections_and_references() {
        let mut a = sample();
        a.servers[2].database = Some(ServerId(0));
        let mut b = a.clone();
        b.remove_server(ServerId(0));
        // The server, its five protections, and the fact that named it.
        assert_eq!(round_trip(&a, &b), 7);
    }

    #[test]
    fn protections_switched_added_and_removed() {
        let a = sample();
        let mut b = a.clone();
        b.protections[1].switched = true;
        b.disconnect(b.protections[0].link());
        b.connect(Protection::new(ServerId(1), ServerId(5)));
        assert_eq!(round_trip(&a, &b), 3);
    }

    #[test]
    fn title_and_fresh_ids_change_too() {
        let a = sample();
        let mut b = a.clone();
        b.title = None;
        assert_eq!(round_trip(&a, &b), 0);
        let mut c = a.clone();
        let id = c.add_server("X", Kind::Dpm);
        c.remove_server(id);
        assert_ne!(a, c, "only the next id differs");
        assert_eq!(round_trip(&a, &c), 0);
        assert!(!diff(&a, &c).is_empty());
    }

    #[test]
    fn reordered_and_replaced_drawings_round_trip() {
        let a = sample();
        let mut b = a.clone();
        b.servers.reverse();
        b.protections.rotate_left(2);
        round_trip(&a, &b);
        round_trip(&a, &Topology::new());
        round_trip(&Topology::new(), &a);
        round_trip(&a, &crate::presets::scenario_1());
        // Ids repeated (a list someone built by hand) patch exactly too.
        let mut c = a.clone();
        c.servers[1].id = ServerId(0);
        c.servers.push(c.servers[0].clone());
        round_trip(&a, &c);
        round_trip(&c, &a);
    }

    #[test]
    fn a_patch_for_another_drawing_changes_nothing() {
        let a = sample();
        let mut b = a.clone();
        b.remove_server(ServerId(5));
        let p = diff(&a, &b);
        let mut small = Topology::new();
        small.add_server("DS1", Kind::Dpm);
        let before = small.clone();
        assert!(p.apply(&mut small).is_none());
        assert_eq!(small, before);
    }

    #[test]
    fn equal_drawings_make_an_empty_patch() {
        let a = sample();
        assert!(diff(&a, &a.clone()).is_empty());
        assert_eq!(round_trip(&a, &a), 0);
    }
}
