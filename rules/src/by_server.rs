//! Lists kept per server of a drawing (its protectors, its guests, the
//! data sources it holds) as slices of one vector, ordered by the server's
//! id (or its place in the drawing, when the ids allow no array): no hash
//! map of vectors, so no allocation per server and no hashing to build or
//! to read. At 10,000 servers the planner spent more than half its time
//! making and freeing such maps.

use crate::model::{Server, ServerId, Topology};

/// Where each server of a drawing stands in its servers, by id, and
/// whether it is a DPM server, in two compact arrays:
/// what the indexes look up for every server they are asked about,
/// without reading the servers' records for it. (A record is some 200
/// bytes: at 10,000 servers they outgrow the processor's cache, and each
/// lookup by id was a miss; the fixes spent a tenth of their time so.)
#[derive(Clone)]
pub(crate) struct Places<'t> {
    t: &'t Topology,
    /// Positions by id ([`Topology::positions_by_id`]; empty when the ids
    /// do not allow it, and [`Topology::position`] finds them).
    by_id: Vec<u32>,
    /// Whether the server at each position is a DPM server.
    dpm: Vec<bool>,
}

impl<'t> Places<'t> {
    pub(crate) fn new(t: &'t Topology) -> Places<'t> {
        Places::new_and(t, &mut |_| ())
    }

    /// [`Places::new`], calling `each` with every server in the drawing's
    /// order in the same pass over their records, for what else a caller
    /// reads of each.
    pub(crate) fn new_and(t: &'t Topology, each: &mut dyn FnMut(&Server)) -> Places<'t> {
        let mut dpm: Vec<bool> = Vec::with_capacity(t.servers.len());
        let by_id = t.positions_by_id_and(&mut |s| {
            dpm.push(s.is_dpm());
            each(s);
        });
        Places { t, by_id, dpm }
    }

    /// The DPM servers' ids, in the drawing's order (the other servers'
    /// records left unread).
    pub(crate) fn dpm_ids(&self) -> Vec<ServerId> {
        self.t
            .servers
            .iter()
            .zip(&self.dpm)
            .filter(|&(_, &dpm)| dpm)
            .map(|(s, _)| s.id)
            .collect()
    }

    /// Whether the servers are found by id in the array (their ids unique
    /// and not far beyond their count, as the editor and files make
    /// them), not by [`Topology::position`]'s search.
    pub(crate) fn by_id(&self) -> bool {
        !self.by_id.is_empty()
    }

    /// Whether the server at position `i` is a DPM server. In: a
    /// position in the drawing's servers.
    pub(crate) fn is_dpm_at(&self, i: usize) -> bool {
        self.dpm[i]
    }

    /// The drawing.
    pub(crate) fn topology(&self) -> &'t Topology {
        self.t
    }

    /// The position of `id` in the drawing's servers, as
    /// [`Topology::position`] gives it.
    pub(crate) fn position(&self, id: ServerId) -> Option<usize> {
        self.t.position_by(&self.by_id, id)
    }

    /// Whether `id` is a DPM server of the drawing.
    pub(crate) fn is_dpm(&self, id: ServerId) -> bool {
        self.position(id).is_some_and(|i| self.dpm[i])
    }
}

/// Values grouped by the server they belong to, each server's in the order
/// they were given.
pub(crate) struct ByServer<'t, V> {
    t: &'t Topology,
    /// Whether the lists are laid out by the servers' ids (when the ids
    /// allow an array, [`Places::by_id`]: a server's list is found without
    /// looking the server up), else by their places in the drawing.
    by_id: bool,
    /// The values of the server at slot `k` (its id or its place):
    /// `items[at[k]..at[k + 1]]`.
    at: Vec<u32>,
    items: Vec<V>,
}

impl<'t, V: Copy> ByServer<'t, V> {
    /// Groups `pairs` by their server. In: the drawing's places, and
    /// `(server, value)` pairs, in any order; a pair whose server is not
    /// in the drawing is left out (nothing can ask for it). Out: the
    /// index, made in time linear in the pairs and the servers.
    pub(crate) fn new(places: &Places<'t>, pairs: Vec<(ServerId, V)>) -> Self {
        let by_id = places.by_id();
        let slot = |id: ServerId| match places.position(id) {
            Some(_) if by_id => id.0,
            Some(i) => i as u32,
            None => u32::MAX,
        };
        let slots: Vec<u32> = pairs.iter().map(|&(id, _)| slot(id)).collect();
        let n = if by_id {
            places.by_id.len()
        } else {
            places.t.servers.len()
        };
        let (at, order) = group(n, &slots);
        let items = order.iter().map(|&k| pairs[k as usize].1).collect();
        ByServer {
            t: places.t,
            by_id,
            at,
            items,
        }
    }

    /// The values of the server at `slot` (none past the last).
    fn at_slot(&self, slot: usize) -> &[V] {
        // `at` has one entry more than there are slots (never none), and
        // `slot` may be any id's, `usize::MAX` on wasm32 included.
        if slot < self.at.len() - 1 {
            &self.items[self.at[slot] as usize..self.at[slot + 1] as usize]
        } else {
            &[]
        }
    }

    /// The values of `id` (none for a server not in the drawing).
    pub(crate) fn get(&self, id: ServerId) -> &[V] {
        if self.by_id {
            return self.at_slot(id.0 as usize);
        }
        match self.t.position(id) {
            Some(i) => self.at_slot(i),
            None => &[],
        }
    }

    /// Whether `id` has any value.
    pub(crate) fn has(&self, id: ServerId) -> bool {
        !self.get(id).is_empty()
    }

    /// The servers with at least one value, in drawing order.
    pub(crate) fn keys(&self) -> impl Iterator<Item = ServerId> + '_ {
        self.t
            .servers
            .iter()
            .enumerate()
            .filter(|&(i, s)| {
                let k = if self.by_id { s.id.0 as usize } else { i };
                !self.at_slot(k).is_empty()
            })
            .map(|(_, s)| s.id)
    }
}

/// The pairs `iter` gives, in room made once for `most` of them: a
/// filtered list of 10,000 protections grew by copying itself otherwise
/// (a few percent of the fixes' time at 10,000 servers).
pub(crate) fn pairs<V>(
    most: usize,
    iter: impl Iterator<Item = (ServerId, V)>,
) -> Vec<(ServerId, V)> {
    let mut out = Vec::with_capacity(most);
    out.extend(iter);
    out
}

/// The grouping itself, for any kind of value (one copy in the wasm):
/// `slots[k]` is pair `k`'s server's slot among `n` (its id or its place;
/// `u32::MAX`: none). Out: where each slot's pairs start (`n + 1` entries)
/// and the pairs' numbers in that order, each slot's in their own order.
#[inline(never)]
fn group(n: usize, slots: &[u32]) -> (Vec<u32>, Vec<u32>) {
    let mut at = vec![0u32; n + 1];
    for &i in slots.iter().filter(|&&i| i != u32::MAX) {
        at[i as usize + 1] += 1;
    }
    for i in 0..n {
        at[i + 1] += at[i];
    }
    let mut fill: Vec<u32> = at[..n].to_vec();
    let mut order = vec![0u32; at[n] as usize];
    for (k, &i) in slots.iter().enumerate().filter(|&(_, &i)| i != u32::MAX) {
        let next = &mut fill[i as usize];
        order[*next as usize] = k as u32;
        *next += 1;
    }
    (at, order)
}

#[cfg(test)]
mod tests {
    use super::{ByServer, Places};
    use crate::model::{Kind, ServerId, Topology};

    #[test]
    fn values_are_grouped_by_server_in_the_order_given() {
        let mut t = Topology::new();
        let a = t.add_server("A", Kind::Dpm);
        let b = t.add_server("B", Kind::Dpm);
        let c = t.add_server("C", Kind::Protected);
        let by = ByServer::new(
            &Places::new(&t),
            vec![(c, 1), (a, 2), (c, 3), (ServerId(99), 4), (a, 5), (c, 6)],
        );
        assert_eq!(by.get(a), [2, 5]);
        assert_eq!(by.get(b), [] as [i32; 0]);
        assert_eq!(by.get(c), [1, 3, 6]);
        assert_eq!(by.get(ServerId(99)), [] as [i32; 0]);
        assert!(by.has(a) && !by.has(b));
        assert_eq!(by.keys().collect::<Vec<_>>(), [a, c]);
    }

    #[test]
    fn servers_out_of_id_order_are_found_by_id() {
        let mut t = Topology::new();
        let a = t.add_server("A", Kind::Dpm);
        let b = t.add_server("B", Kind::Protected);
        t.servers.swap(0, 1);
        let by = ByServer::new(&Places::new(&t), vec![(a, 'a'), (b, 'b'), (a, 'c')]);
        assert_eq!(by.get(a), ['a', 'c']);
        assert_eq!(by.get(b), ['b']);
        assert_eq!(by.keys().collect::<Vec<_>>(), [b, a]);
    }

    /// Ids no array can hold (one far beyond the servers' count, or the
    /// same id twice, which a hand-written file can give): the lists are
    /// found by the servers' places, and every server is still placed and
    /// its kind read.
    #[test]
    fn servers_whose_ids_allow_no_array_are_found_by_place() {
        for ids in [[7, 5_000_000, 3], [7, 3, 7]] {
            let mut t = Topology::new();
            let kinds = [Kind::Protected, Kind::Dpm, Kind::Dpm];
            for (&id, kind) in ids.iter().zip(kinds) {
                t.add_server(format!("S{id}"), kind);
                t.servers.last_mut().unwrap().id = ServerId(id);
            }
            let places = Places::new(&t);
            assert!(!places.by_id(), "{ids:?}");
            assert_eq!(
                (0..3).map(|i| places.is_dpm_at(i)).collect::<Vec<_>>(),
                [false, true, true]
            );
            let by = ByServer::new(
                &places,
                vec![(ServerId(3), 'x'), (ServerId(99), 'y'), (ServerId(3), 'z')],
            );
            assert_eq!(by.get(ServerId(3)), ['x', 'z'], "{ids:?}");
            assert_eq!(by.get(ServerId(99)), [] as [char; 0]);
            assert_eq!(by.keys().collect::<Vec<_>>(), [ServerId(3)]);
        }
        // Ids that allow one: an id past the last server's is nobody's.
        let mut t = Topology::new();
        let a = t.add_server("A", Kind::Dpm);
        let places = Places::new(&t);
        assert!(places.by_id() && places.is_dpm(a));
        let by = ByServer::new(&places, vec![(a, 1), (ServerId(1), 2), (ServerId(500), 3)]);
        assert_eq!(by.get(a), [1]);
        assert_eq!(by.get(ServerId(1)), [] as [i32; 0]);
        assert_eq!(by.get(ServerId(500)), [] as [i32; 0]);
        assert_eq!(by.get(ServerId(u32::MAX)), [] as [i32; 0]);
        // The largest slot (`ServerId(u32::MAX)`'s on wasm32) overflows
        // nothing.
        assert!(by.at_slot(usize::MAX).is_empty());
    }
}
