//! Kept findings after servers change order: where two DPM servers have
//! the same name, the group rules break the tie by the servers' order.

use dpm_rules::*;

/// The findings `Checked` keeps from `t` after the edit to `next`, and
/// those of a whole check of `next`.
fn run(t: &Topology, next: &Topology) -> (Vec<Finding>, Vec<Finding>) {
    let mut kept = Checked::new(t);
    let touched = diff(next, t).touched_for_rules(next);
    kept.update(next, &touched);
    (kept.findings().to_vec(), check(next))
}

/// Two DPM servers named alike in a long cycle; the second moved first.
#[test]
fn long_cycle_with_same_names_reordered() {
    let mut t = Topology::new();
    let a = t.add_server("DS", Kind::Dpm);
    let b = t.add_server("DS", Kind::Dpm);
    let c = t.add_server("DSX", Kind::Dpm);
    t.connect(Protection::new(a, b));
    t.connect(Protection::new(b, c));
    t.connect(Protection::new(c, a));
    let mut next = t.clone();
    next.servers.swap(0, 1);
    let (kept, whole) = run(&t, &next);
    assert_eq!(kept, whole);
}

/// Versions: two same-named DPM servers of different versions joined
/// through a silent one; the pair is told in position order.
#[test]
fn versions_with_same_names_reordered() {
    let mut t = Topology::new();
    let a = t.add_server("DS", Kind::Dpm);
    let m = t.add_server("MID", Kind::Dpm);
    let b = t.add_server("DS", Kind::Dpm);
    t.server_mut(a).unwrap().version = Some(Version::Release(DpmVersion::V2019));
    t.server_mut(b).unwrap().version = Some(Version::Release(DpmVersion::V2022));
    t.connect(Protection::new(m, a));
    t.connect(Protection::new(m, b));
    let mut next = t.clone();
    let s = next.servers.remove(2);
    next.servers.insert(0, s);
    let (kept, whole) = run(&t, &next);
    assert_eq!(kept, whole);
}
