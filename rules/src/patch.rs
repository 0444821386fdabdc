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

use std::mem;

use crate::model::{Protection, Server, ServerId, Topology};

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
/// patches as exactly as any other. (Positions apart from the items: the
/// work on positions is compiled once, not once per kind of item, which
/// keeps the app's wasm small.)
#[derive(Clone, Debug, PartialEq)]
struct Splice<T> {
    /// Positions in the list before, rising, of the items that go.
    gone: Vec<usize>,
    /// Positions among the items that stay, rising, of those that change,
    /// and their new values. The items that stay are the same items, in
    /// the same order, both ways, so the positions hold for the inverse.
    changed_at: Vec<usize>,
    changed: Vec<T>,
    /// Positions in the list after, rising, of the items that come, and
    /// the items.
    added_at: Vec<usize>,
    added: Vec<T>,
}

impl<T> Default for Splice<T> {
    fn default() -> Self {
        Splice {
            gone: Vec::new(),
            changed_at: Vec::new(),
            changed: Vec::new(),
            added_at: Vec::new(),
            added: Vec::new(),
        }
    }
}

/// The patch that turns `before` into `after`; [`Patch::is_empty`] when
/// they are equal. Servers are matched by id and protections by their two
/// ends, in order, so a server moved, renamed, added or deleted is one
/// entry, however large the drawing. Linear in the drawings' size where
/// they agree at both ends of each list (every edit the app makes); the
/// stretch between, where they differ, is matched in n log n.
pub fn diff(before: &Topology, after: &Topology) -> Patch {
    let id = |s: &Server| u64::from(s.id.0);
    let link = |p: &Protection| u64::from(p.protector.0) << 32 | u64::from(p.target.0);
    let servers = matching(&before.servers, &after.servers, id);
    let protections = matching(&before.protections, &after.protections, link);
    Patch {
        title: (before.title != after.title).then(|| after.title.clone()),
        next_id: (before.next_id().0 != after.next_id().0).then_some(after.next_id().0),
        servers: splice(&before.servers, &after.servers, servers),
        protections: splice(&before.protections, &after.protections, protections),
    }
}

impl Patch {
    /// Whether it changes nothing.
    pub fn is_empty(&self) -> bool {
        self.title.is_none() && self.next_id.is_none() && self.size() == 0
    }

    /// How many servers and protections it adds, removes or changes: what
    /// it costs to keep, about.
    pub fn size(&self) -> usize {
        let (s, p) = (&self.servers, &self.protections);
        s.gone.len()
            + s.changed.len()
            + s.added.len()
            + p.gone.len()
            + p.changed.len()
            + p.added.len()
    }

    /// The servers it brings into the drawing (those an undo of a delete
    /// brings back, say), by id: what an editor selects after applying it.
    pub fn added_servers(&self) -> Vec<ServerId> {
        self.servers.added.iter().map(|s| s.id).collect()
    }

    /// The servers applying it to `t` (the drawing it applies to, as for
    /// [`Patch::apply`]) adds, removes or changes in any way, by id: what
    /// an editor's views of every server (where boxes stand, say) need look
    /// at again after the step, instead of the whole drawing. Positions
    /// `t` lacks are left out.
    pub fn touched_servers(&self, t: &Topology) -> Vec<ServerId> {
        let s = &self.servers;
        s.gone
            .iter()
            .filter_map(|&k| t.servers.get(k).map(|s| s.id))
            .chain(s.changed.iter().map(|s| s.id))
            .chain(s.added.iter().map(|s| s.id))
            .collect()
    }

    /// What the rules must look at again after it is applied to `t` (the
    /// drawing it applies to, as for [`Patch::apply`]): the servers it
    /// adds, removes or changes ([`Patch::touched_servers`]), and both
    /// ends of every protection it adds, removes or changes, each once
    /// (a DPM server that loses 600 protections is one id, not 600), in
    /// the order of ids. For [`crate::Checked::update`].
    pub fn touched_for_rules(&self, t: &Topology) -> Vec<ServerId> {
        let p = &self.protections;
        let ends = |x: &Protection| [x.protector, x.target];
        let mut out = self.touched_servers(t);
        out.extend(
            p.gone
                .iter()
                .filter_map(|&k| t.protections.get(k))
                .flat_map(ends),
        );
        out.extend(p.changed.iter().chain(&p.added).flat_map(ends));
        crate::sort::sort_by(&mut out, &|a, b| a.cmp(b));
        out.dedup();
        out
    }

    /// Whether it takes servers out of the drawing.
    pub fn removes_servers(&self) -> bool {
        !self.servers.gone.is_empty()
    }

    /// Whether applying it to `t` (the drawing it applies to, as for
    /// [`Patch::apply`]) changes nothing but where servers are drawn: no
    /// server, protection or fact comes, goes or changes, only `pos`. What
    /// the rules read ([`crate::check`], the roles, the copy inventory) is
    /// then the same before and after, and a view need not derive it again
    /// (a server moved by an arrow key on an estate of 10,000 servers).
    /// False when the patch does not fit `t`.
    pub fn moves_only(&self, t: &Topology) -> bool {
        let (s, p) = (&self.servers, &self.protections);
        self.title.is_none()
            && self.next_id.is_none()
            && s.gone.is_empty()
            && s.added.is_empty()
            && p.gone.is_empty()
            && p.changed.is_empty()
            && p.added.is_empty()
            && s.changed_at
                .iter()
                .zip(&s.changed)
                .all(|(&k, new)| t.servers.get(k).is_some_and(|old| same_but_pos(old, new)))
    }

    /// Makes the change on `t`, the drawing it was made from (the `before`
    /// of [`diff`], or the drawing an applied patch left), and returns the
    /// patch that undoes it. `None`, leaving `t` as it was, when the patch
    /// cannot have been made from `t` (it names positions `t` lacks).
    pub fn apply(self, t: &mut Topology) -> Option<Patch> {
        let s = &self.servers;
        let p = &self.protections;
        if !fits(t.servers.len(), &s.gone, &s.changed_at, &s.added_at)
            || !fits(t.protections.len(), &p.gone, &p.changed_at, &p.added_at)
        {
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

/// Whether `a` and `b` are the same server but for where it is drawn.
/// (Every field named: a field added to [`Server`] must be weighed here.)
fn same_but_pos(a: &Server, b: &Server) -> bool {
    let Server {
        id,
        name,
        kind,
        version,
        rollup,
        mabs,
        vss_writer,
        workloads,
        pos: _,
        host,
        site,
        azure,
        database,
        database_backup,
        domain_controller,
        scale_out,
        replica_set,
    } = a;
    *id == b.id
        && *name == b.name
        && *kind == b.kind
        && *version == b.version
        && *rollup == b.rollup
        && *mabs == b.mabs
        && *vss_writer == b.vss_writer
        && *workloads == b.workloads
        && *host == b.host
        && *site == b.site
        && *azure == b.azure
        && *database == b.database
        && *database_backup == b.database_backup
        && *domain_controller == b.domain_controller
        && *scale_out == b.scale_out
        && *replica_set == b.replica_set
}

/// Which items of `a` stay, matched with items of `b` by key in order:
/// the longest run that agrees at each end by position, then, between,
/// each item of `a` with the first item of `b` of its key that comes after
/// the last one matched. Returns the positions in `a` of the items that go,
/// and the position in `b` of each item that stays, in order.
fn matching<T>(a: &[T], b: &[T], key: impl Fn(&T) -> u64) -> (Vec<usize>, Vec<usize>) {
    // The ends where the lists agree are compared in place; only the
    // stretch between is keyed (an edit's: a few items of 10,000).
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
    let keys = |list: &[T]| list.iter().map(&key).collect::<Vec<u64>>();
    matched(
        &keys(&a[head..a.len() - tail]),
        &keys(&b[head..b.len() - tail]),
        head,
        b.len(),
    )
}

/// [`matching`] of the stretches `mid_a` and `mid_b` (by key), which
/// follow `head` items that agree, in lists of which the second is
/// `b_len` long (one function for every kind of item).
fn matched(mid_a: &[u64], mid_b: &[u64], head: usize, b_len: usize) -> (Vec<usize>, Vec<usize>) {
    let tail = b_len - head - mid_b.len();
    let mut gone = Vec::new();
    let mut kept_at: Vec<usize> = (0..head).collect();
    // `b`'s middle by key (and by position among equal keys).
    let mut by_key: Vec<usize> = (0..mid_b.len()).collect();
    crate::sort::sort_indices(&mut by_key, &|x, y| mid_b[x].cmp(&mid_b[y]));
    let mut next = 0;
    for (i, k) in mid_a.iter().enumerate() {
        let from = by_key.partition_point(|&j| mid_b[j] < *k);
        let found = by_key[from..]
            .iter()
            .take_while(|&&j| mid_b[j] == *k)
            .find(|&&j| j >= next);
        match found {
            Some(&j) => {
                kept_at.push(head + j);
                next = j + 1;
            }
            None => gone.push(head + i),
        }
    }
    kept_at.extend(b_len - tail..b_len);
    (gone, kept_at)
}

/// The positions below `len` that `taken` (rising) does not hold.
fn others(taken: &[usize], len: usize) -> Vec<usize> {
    let mut t = taken.iter().peekable();
    // Sized at once: grown by doubling, the positions of 10,000 servers
    // were copied a dozen times (1.8 ms of a delete in wasm).
    let mut out = Vec::with_capacity(len.saturating_sub(taken.len()));
    for i in 0..len {
        if t.peek() == Some(&&i) {
            t.next();
        } else {
            out.push(i);
        }
    }
    out
}

/// The changes from `a` to `b`, given which items stay ([`matching`]).
#[inline(never)]
fn splice<T: Clone + PartialEq>(
    a: &[T],
    b: &[T],
    (gone, kept_at): (Vec<usize>, Vec<usize>),
) -> Splice<T> {
    let mut out = Splice::default();
    for (k, (&i, &j)) in others(&gone, a.len()).iter().zip(&kept_at).enumerate() {
        if a[i] != b[j] {
            out.changed_at.push(k);
            out.changed.push(b[j].clone());
        }
    }
    out.added_at = others(&kept_at, b.len());
    out.added = out.added_at.iter().map(|&j| b[j].clone()).collect();
    out.gone = gone;
    out
}

/// Whether a splice with these positions can apply to a list of `len`.
fn fits(len: usize, gone: &[usize], changed_at: &[usize], added_at: &[usize]) -> bool {
    let rising_below =
        |v: &[usize], end: usize| v.iter().all(|&i| i < end) && v.windows(2).all(|w| w[0] < w[1]);
    let Some(kept) = len.checked_sub(gone.len()) else {
        return false;
    };
    rising_below(gone, len)
        && rising_below(changed_at, kept)
        && rising_below(added_at, kept + added_at.len())
}

impl<T> Splice<T> {
    /// Applies it to `list`, which it [`fits`], and returns its inverse,
    /// made of the items it took out or replaced. (Not inlined: one copy
    /// per kind of item in the app's wasm, however many callers.)
    #[inline(never)]
    fn apply(self, list: &mut Vec<T>) -> Splice<T> {
        let Splice {
            gone,
            changed_at,
            mut changed,
            added_at,
            added,
        } = self;
        let mut removed = Vec::with_capacity(gone.len());
        if gone.is_empty() && added_at.first().is_none_or(|&j| j >= list.len()) {
            // In place, and at the end: a move, a fact, a server added,
            // a paste.
            for (&k, v) in changed_at.iter().zip(&mut changed) {
                mem::swap(&mut list[k], v);
            }
            list.extend(added);
        } else {
            let all = mem::take(list);
            list.reserve(all.len() - gone.len() + added.len());
            let mut new = added.into_iter();
            let (mut g, mut a, mut c, mut k) = (0, 0, 0, 0);
            for (i, mut x) in all.into_iter().enumerate() {
                while added_at.get(a) == Some(&list.len()) {
                    a += 1;
                    list.extend(new.next());
                }
                if gone.get(g) == Some(&i) {
                    g += 1;
                    removed.push(x);
                    continue;
                }
                if changed_at.get(c) == Some(&k) {
                    if let Some(v) = changed.get_mut(c) {
                        mem::swap(&mut x, v);
                    }
                    c += 1;
                }
                k += 1;
                list.push(x);
            }
            // What comes after the last item that stays.
            list.extend(new);
        }
        Splice {
            gone: added_at,
            changed_at,
            changed,
            added_at: gone,
            added: removed,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hash::{HashMap, HashSet};
    use crate::model::{Kind, Point, ServerId};

    #[test]
    fn the_rules_look_again_at_each_end_once() {
        // DS1 loses three protections and PS1 is renamed: DS1 once, and
        // each protected server whose protection went.
        let before = sample();
        let mut after = before.clone();
        let (ds, ps4) = (after.find("DS1").unwrap(), after.find("PS4").unwrap());
        after
            .protections
            .retain(|p| !(p.protector == ds && p.target != ps4));
        let ps1 = after.find("PS1").unwrap();
        after.server_mut(ps1).unwrap().name = "PS1b".into();
        let back = diff(&after, &before);
        let names: Vec<&str> = back
            .touched_for_rules(&after)
            .into_iter()
            .map(|id| after.name(id))
            .collect();
        assert_eq!(names, ["DS1", "PS1b", "PS2", "PS3"]);
    }

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
        // Every server that differs is named as touched, both ways.
        let touched: HashSet<ServerId> = p.touched_servers(a).into_iter().collect();
        assert!(differing(a, b).is_subset(&touched), "a to b");
        let mut t = a.clone();
        let back = p.apply(&mut t).expect("fits");
        assert_eq!(&t, b);
        let touched: HashSet<ServerId> = back.touched_servers(&t).into_iter().collect();
        assert!(differing(b, a).is_subset(&touched), "b back to a");
        let again = back.apply(&mut t).expect("fits");
        assert_eq!(&t, a);
        again.apply(&mut t).expect("fits");
        assert_eq!(&t, b);
        size
    }

    /// The ids of the servers in only one of `a` and `b`, or different.
    fn differing(a: &Topology, b: &Topology) -> HashSet<ServerId> {
        let of = |t: &Topology| -> HashMap<ServerId, Server> {
            t.servers.iter().map(|s| (s.id, s.clone())).collect()
        };
        let (a, b) = (of(a), of(b));
        a.keys()
            .chain(b.keys())
            .filter(|id| a.get(id) != b.get(id))
            .copied()
            .collect()
    }

    #[test]
    fn a_patch_names_the_servers_it_touches_and_no_other() {
        let a = sample();
        let mut moved = a.clone();
        moved.servers[3].pos = Some(Point { x: 1.0, y: 2.0 });
        assert_eq!(diff(&a, &moved).touched_servers(&a), vec![ServerId(3)]);
        let mut gone = a.clone();
        gone.remove_server(ServerId(2));
        let back = diff(&gone, &a);
        assert_eq!(diff(&a, &gone).touched_servers(&a), vec![ServerId(2)]);
        assert_eq!(back.touched_servers(&gone), vec![ServerId(2)]);
        let mut added = a.clone();
        let id = added.add_server("PS9", Kind::Protected);
        assert_eq!(diff(&a, &added).touched_servers(&a), vec![id]);
        // A protection, added or switched, touches no server.
        let mut linked = a.clone();
        linked.connect(Protection::new(ServerId(1), ServerId(5)));
        linked.protections[0].switched = true;
        assert!(diff(&a, &linked).touched_servers(&a).is_empty());
    }

    #[test]
    fn a_patch_that_only_moves_servers_says_so_both_ways() {
        let a = sample();
        // What the edit is, the edit, and whether it only moves servers.
        type Edit = (&'static str, fn(&mut Topology), bool);
        let edits: Vec<Edit> = vec![
            (
                "move one",
                |t| t.servers[1].pos = Some(Point { x: 5.0, y: 6.0 }),
                true,
            ),
            (
                "move two",
                |t| {
                    t.servers[0].pos = Some(Point { x: 1.0, y: 2.0 });
                    t.servers[3].pos = None;
                },
                true,
            ),
            ("rename", |t| t.servers[2].name = "PS9".into(), false),
            (
                "move and rename",
                |t| {
                    t.servers[1].pos = Some(Point { x: 5.0, y: 6.0 });
                    t.servers[2].site = Some("London".into());
                },
                false,
            ),
            (
                "delete",
                |t| {
                    t.remove_server(ServerId(3));
                },
                false,
            ),
            (
                "add",
                |t| {
                    t.add_server("PS5", Kind::Protected);
                },
                false,
            ),
            (
                "disconnect",
                |t| {
                    t.protections.pop();
                },
                false,
            ),
            ("switch", |t| t.protections[0].switched = true, false),
            ("title", |t| t.title = None, false),
        ];
        for (what, edit, moves) in edits {
            let mut b = a.clone();
            edit(&mut b);
            let p = diff(&a, &b);
            assert_eq!(p.moves_only(&a), moves, "{what}: a to b");
            let back = diff(&b, &a);
            assert_eq!(back.moves_only(&b), moves, "{what}: b back to a");
            // The same answer from the patch applying hands back.
            let mut t = a.clone();
            let undo = p.apply(&mut t).expect("fits");
            assert_eq!(undo.moves_only(&t), moves, "{what}: its undo");
        }
        // A patch that does not fit the drawing is no move.
        let mut b = a.clone();
        b.servers[3].pos = Some(Point { x: 9.0, y: 9.0 });
        assert!(!diff(&a, &b).moves_only(&Topology::new()));
    }

    #[test]
    fn the_undo_of_a_delete_names_the_servers_it_brings_back() {
        let a = sample();
        let mut b = a.clone();
        b.remove_server(ServerId(2));
        b.remove_server(ServerId(4));
        let p = diff(&a, &b);
        assert_eq!(p.added_servers(), Vec::<ServerId>::new());
        assert!(p.removes_servers());
        let mut t = a.clone();
        let undo = p.apply(&mut t).expect("fits");
        assert_eq!(undo.added_servers(), vec![ServerId(2), ServerId(4)]);
        assert!(!undo.removes_servers());
        // A move brings none.
        let mut c = a.clone();
        c.servers[0].pos = Some(Point { x: 1.0, y: 2.0 });
        assert!(diff(&a, &c).added_servers().is_empty());
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
