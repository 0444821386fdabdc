//! A keyed store: one signal per key (a server, a protection), set only
//! when that key's value changes. What many views each read a part of
//! (the selection, the findings, the failed servers) goes through one:
//! a change runs one loop over the keys in plain Rust, and only the views
//! whose value changed run again. A memo per view over the shared signal
//! would run again in every view at every change (10,000 servers: 10,000
//! memos and their subscriber bookkeeping, seconds per edit).

use dpm_rules::hash::HashMap;
use std::hash::Hash;

use leptos::prelude::*;

/// Signals by key, made when a view first asks for its key and kept
/// (a view made again for the key reads the same signal).
pub struct Keyed<K: 'static, V: 'static> {
    map: StoredValue<HashMap<K, ArcRwSignal<V>>>,
}

impl<K: 'static, V: 'static> Clone for Keyed<K, V> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<K: 'static, V: 'static> Copy for Keyed<K, V> {}

impl<K, V> Keyed<K, V>
where
    K: Hash + Eq + Copy + Send + Sync + 'static,
    V: Send + Sync + 'static,
{
    pub fn new() -> Self {
        Keyed {
            map: StoredValue::new(HashMap::default()),
        }
    }

    /// The signal of `key`, first set to `value()` when there was none
    /// (the value as the sources have it now). A copyable handle owned by
    /// the calling view: it goes with the view, the signal stays.
    pub fn get(&self, key: K, value: impl FnOnce() -> V) -> RwSignal<V> {
        if let Some(arc) = self.map.try_with_value(|m| m.get(&key).cloned()).flatten() {
            return RwSignal::from(arc);
        }
        let arc = ArcRwSignal::new(value());
        // The store may be gone (its owner disposed): the view then keeps
        // a signal of its own, and still draws.
        self.map.try_update_value(|m| {
            m.insert(key, arc.clone());
        });
        RwSignal::from(arc)
    }

    /// Lets `f` change the value of every key in place, `f` saying
    /// whether it changed it: one pass over the keys, and only the views
    /// of the keys that changed run again. Call it from an effect on the
    /// sources.
    pub fn each(&self, mut f: impl FnMut(K, &mut V) -> bool) {
        self.map.with_value(|m| {
            for (&k, sig) in m {
                sig.maybe_update(|v| f(k, v));
            }
        });
    }

    /// Like [`Keyed::each`] for the keys `keys` only (those a change can
    /// have touched).
    pub fn some(&self, keys: impl IntoIterator<Item = K>, mut f: impl FnMut(K, &mut V) -> bool) {
        let sigs: Vec<(K, ArcRwSignal<V>)> = self.map.with_value(|m| {
            keys.into_iter()
                .filter_map(|k| Some((k, m.get(&k)?.clone())))
                .collect()
        });
        for (k, sig) in sigs {
            sig.maybe_update(|v| f(k, v));
        }
    }

    /// Forgets the keys `keep` says no to (servers and protections no
    /// longer in the drawing): a view still showing one keeps its signal
    /// until it goes; one made later starts afresh.
    pub fn retain(&self, mut keep: impl FnMut(K) -> bool) {
        self.map.update_value(|m| m.retain(|&k, _| keep(k)));
    }

    /// The keys that have a signal, in no order.
    pub fn keys(&self) -> Vec<K> {
        self.map.with_value(|m| m.keys().copied().collect())
    }

    /// How many keys have a signal.
    pub fn len(&self) -> usize {
        self.map.with_value(|m| m.len())
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl<K, V> Default for Keyed<K, V>
where
    K: Hash + Eq + Copy + Send + Sync + 'static,
    V: Send + Sync + 'static,
{
    fn default() -> Self {
        Keyed::new()
    }
}
