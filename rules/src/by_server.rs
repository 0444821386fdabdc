//! Lists kept per server of a drawing (its protectors, its guests, the
//! data sources it holds) as slices of one vector, ordered by the server's
//! place in the drawing: no hash map of vectors, so no allocation per
//! server and no hashing to build or to read. At 10,000 servers the
//! planner spent more than half its time making and freeing such maps.

use crate::model::{ServerId, Topology};

/// Values grouped by the server they belong to, each server's in the order
/// they were given.
pub(crate) struct ByServer<'t, V> {
    t: &'t Topology,
    /// The values of the server at place `i` of `t.servers`:
    /// `items[at[i]..at[i + 1]]`.
    at: Vec<u32>,
    items: Vec<V>,
}

impl<'t, V: Copy> ByServer<'t, V> {
    /// Groups `pairs` by their server. In: `(server, value)` pairs, in any
    /// order; a pair whose server is not in `t` is left out (nothing can
    /// ask for it). Out: the index, made in time linear in the pairs and
    /// the servers when the pairs' servers are in the drawing (each is
    /// found by [`Topology::position`], which scans the drawing for an id
    /// that is not there).
    pub(crate) fn new(t: &'t Topology, pairs: Vec<(ServerId, V)>) -> Self {
        let places: Vec<u32> = pairs
            .iter()
            .map(|&(id, _)| t.position(id).map_or(u32::MAX, |i| i as u32))
            .collect();
        let (at, order) = group(t.servers.len(), &places);
        let items = order.iter().map(|&k| pairs[k as usize].1).collect();
        ByServer { t, at, items }
    }

    /// The values of `id` (none for a server not in the drawing).
    pub(crate) fn get(&self, id: ServerId) -> &[V] {
        match self.t.position(id) {
            Some(i) => &self.items[self.at[i] as usize..self.at[i + 1] as usize],
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
            .filter(|&(i, _)| self.at[i] < self.at[i + 1])
            .map(|(_, s)| s.id)
    }
}

/// The grouping itself, for any kind of value (one copy in the wasm):
/// `places[k]` is pair `k`'s server's place among `n` (`u32::MAX`: none).
/// Out: where each place's pairs start (`n + 1` entries) and the pairs'
/// numbers in that order, each place's in their own order.
#[inline(never)]
fn group(n: usize, places: &[u32]) -> (Vec<u32>, Vec<u32>) {
    let mut at = vec![0u32; n + 1];
    for &i in places.iter().filter(|&&i| i != u32::MAX) {
        at[i as usize + 1] += 1;
    }
    for i in 0..n {
        at[i + 1] += at[i];
    }
    let mut fill: Vec<u32> = at[..n].to_vec();
    let mut order = vec![0u32; at[n] as usize];
    for (k, &i) in places.iter().enumerate().filter(|&(_, &i)| i != u32::MAX) {
        let slot = &mut fill[i as usize];
        order[*slot as usize] = k as u32;
        *slot += 1;
    }
    (at, order)
}

#[cfg(test)]
mod tests {
    use super::ByServer;
    use crate::model::{Kind, ServerId, Topology};

    #[test]
    fn values_are_grouped_by_server_in_the_order_given() {
        let mut t = Topology::new();
        let a = t.add_server("A", Kind::Dpm);
        let b = t.add_server("B", Kind::Dpm);
        let c = t.add_server("C", Kind::Protected);
        let by = ByServer::new(
            &t,
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
        let by = ByServer::new(&t, vec![(a, 'a'), (b, 'b'), (a, 'c')]);
        assert_eq!(by.get(a), ['a', 'c']);
        assert_eq!(by.get(b), ['b']);
        assert_eq!(by.keys().collect::<Vec<_>>(), [b, a]);
    }
}
