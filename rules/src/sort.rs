//! One sort routine for the whole crate.
//!
//! Every `slice::sort_by` with its own closure compiles to its own copy of
//! the standard sort (2 to 3 KB of wasm each); the app ships this crate to
//! the browser, so the crate's sorts go through one copy: indices sorted
//! with a comparator behind `dyn`, then the items put in that order.

use std::cmp::Ordering;

/// Sorts `v` stably by `cmp`.
pub fn sort_by<T>(v: &mut Vec<T>, cmp: &dyn Fn(&T, &T) -> Ordering) {
    if v.len() < 2 {
        return;
    }
    let order = {
        let items: &[T] = v;
        let mut idx: Vec<usize> = (0..items.len()).collect();
        sort_indices(&mut idx, &|a, b| cmp(&items[a], &items[b]));
        idx
    };
    let mut slots: Vec<Option<T>> = v.drain(..).map(Some).collect();
    v.extend(order.into_iter().filter_map(|i| slots[i].take()));
}

/// Sorts indices (or any `usize`s) stably by `cmp`: the crate's one copy
/// of the standard sort, which lists of indices call directly.
#[inline(never)]
pub(crate) fn sort_indices(v: &mut [usize], cmp: &dyn Fn(usize, usize) -> Ordering) {
    v.sort_by(|&a, &b| cmp(a, b));
}

#[cfg(test)]
mod tests {
    use super::sort_by;

    #[test]
    fn sorts_stably() {
        let mut v = vec![(2, 'a'), (1, 'b'), (2, 'c'), (0, 'd')];
        sort_by(&mut v, &|x, y| x.0.cmp(&y.0));
        assert_eq!(v, [(0, 'd'), (1, 'b'), (2, 'a'), (2, 'c')]);
    }
}
