//! Editing operations on a topology that need more than one field changed:
//! copy and paste, deleting a selection, snapping to the grid.

use crate::hash::{HashMap, HashSet};

use crate::model::{Kind, Point, Protection, ServerId, Topology};

/// The servers `ids` and the protections among them, as a topology of their
/// own (what Copy puts on the clipboard). A `host` or `database` naming a
/// server copied too names its copy; one naming a server left behind is
/// dropped, so the fragment is a scenario of its own (its JSON reads back).
/// The app keeps those outside references aside and gives them back on a
/// paste into a drawing where the server still is.
pub fn extract(t: &Topology, ids: &[ServerId]) -> Topology {
    let keep: HashSet<ServerId> = ids.iter().copied().collect();
    let mut out = Topology::new();
    let mut map = HashMap::default();
    for s in t.servers.iter().filter(|s| keep.contains(&s.id)) {
        map.insert(s.id, out.insert_server(s.clone()));
    }
    remap_references(&mut out, &map);
    for p in &t.protections {
        if let (Some(&a), Some(&b)) = (map.get(&p.protector), map.get(&p.target)) {
            out.protections.push(Protection {
                protector: a,
                target: b,
                switched: p.switched,
            });
        }
    }
    out
}

/// Adds a copy of `fragment` to `t`, moved by `offset`, and returns the new
/// servers' ids. A name already taken gets a fresh one in the same pattern
/// ("DS1" becomes "DS5" when DS4 is the highest); protections among the
/// pasted servers are kept.
pub fn paste(t: &mut Topology, fragment: &Topology, offset: Point) -> Vec<ServerId> {
    let mut map = HashMap::default();
    let mut added = Vec::new();
    for s in &fragment.servers {
        let mut copy = s.clone();
        if t.find(&copy.name).is_some() {
            copy.name = fresh_like(t, &copy.name, copy.kind);
        }
        copy.pos = s.pos.map(|p| Point {
            x: p.x + offset.x,
            y: p.y + offset.y,
        });
        let id = t.insert_server(copy);
        map.insert(s.id, id);
        added.push(id);
    }
    // The copies' `host` and `database` name the fragment's servers: name
    // their copies instead (never a server of `t` that happens to have the
    // same id), or nothing.
    for &id in &added {
        let Some(s) = t.server_mut(id) else { continue };
        s.host = s.host.and_then(|h| map.get(&h).copied());
        s.database = s.database.and_then(|d| map.get(&d).copied());
    }
    for p in &fragment.protections {
        if let (Some(&a), Some(&b)) = (map.get(&p.protector), map.get(&p.target)) {
            t.connect(Protection {
                protector: a,
                target: b,
                switched: p.switched,
            });
        }
    }
    added
}

/// A fresh name in the pattern of `name`: its letters and one more than the
/// highest number that follows them.
fn fresh_like(t: &Topology, name: &str, kind: Kind) -> String {
    let stem = name.trim_end_matches(|c: char| c.is_ascii_digit());
    if stem.is_empty() {
        t.fresh_name(kind)
    } else {
        let candidate = t.fresh_name_like(stem);
        if crate::model::validate_name_form(&candidate).is_ok() {
            candidate
        } else {
            t.fresh_name(kind)
        }
    }
}

/// Points every `host` and `database` of `t`'s servers through `map`
/// (old id to new); one that `map` lacks is dropped.
fn remap_references(t: &mut Topology, map: &HashMap<ServerId, ServerId>) {
    for s in &mut t.servers {
        s.host = s.host.and_then(|h| map.get(&h).copied());
        s.database = s.database.and_then(|d| map.get(&d).copied());
    }
}

/// Removes the servers `ids`, their protections, and every `host` and
/// `database` that named them.
pub fn remove_servers(t: &mut Topology, ids: &[ServerId]) {
    let gone: HashSet<ServerId> = ids.iter().copied().collect();
    t.servers.retain(|s| !gone.contains(&s.id));
    t.protections
        .retain(|p| !gone.contains(&p.protector) && !gone.contains(&p.target));
    t.forget_references(ids);
}

/// The grid the editor snaps to, in canvas units.
pub const GRID: f64 = 20.0;

/// `p` on the nearest grid point.
pub fn snap(p: Point) -> Point {
    Point {
        x: (p.x / GRID).round() * GRID,
        y: (p.y / GRID).round() * GRID,
    }
}

/// `p` to the 1/100 unit a scenario file keeps (`scenario`'s writer): a
/// place the pointer sets is kept as a reload will read it back, so the
/// drawing routes the same after one. (A server dropped exactly halfway
/// between two others makes the arrow between them a tie of two detours,
/// which a billionth of a unit decides.)
pub fn as_kept(p: Point) -> Point {
    let kept = |v: f64| {
        if v.is_finite() {
            (v * 100.0).round() / 100.0
        } else {
            v
        }
    };
    Point {
        x: kept(p.x),
        y: kept(p.y),
    }
}

/// Where a server added without a place named (from the keyboard) goes: the
/// free grid place nearest `near` whose box lies inside `view` (x0, y0, x1,
/// y1, canvas units) and clears every server's box with room for its tags
/// above and its handle below; nearest along its row first, then the row
/// below, then above. Consecutive adds thus land side by side in view,
/// never on one point. With no free place in view (a full view, or
/// one smaller than a box), the nearest free place outside it; `near`,
/// snapped, when the search finds none at all.
pub fn free_place(t: &Topology, near: Point, view: (f64, f64, f64, f64)) -> Point {
    use crate::layout::{GAP_X, NODE_H, NODE_W};
    // Steps of whole grid cells, so that snapping keeps the place.
    const STEP_X: f64 = NODE_W + GAP_X;
    const STEP_Y: f64 = NODE_H + 44.0;
    // Centre to centre, beside a box of the least width (a box grown for
    // its name needs the more it grew by).
    const CLEAR_X: f64 = NODE_W + 24.0;
    const CLEAR_Y: f64 = NODE_H + 28.0;
    const RINGS: i32 = 12;
    let c = snap(near);
    let (reach_x, reach_y) = (
        f64::from(RINGS) * STEP_X + CLEAR_X + crate::fit::NODE_W_MAX,
        f64::from(RINGS) * STEP_Y + CLEAR_Y,
    );
    // Only the servers a candidate could touch (an estate of thousands is
    // scanned once, not once a candidate).
    let near_boxes: Vec<(Point, f64)> = t
        .servers
        .iter()
        .filter_map(|s| Some((s.pos?, crate::fit::box_width(&s.name) - NODE_W)))
        .filter(|(q, _)| (q.x - c.x).abs() < reach_x && (q.y - c.y).abs() < reach_y)
        .collect();
    let free = |p: Point| {
        near_boxes.iter().all(|&(q, grown)| {
            (q.x - p.x).abs() >= CLEAR_X + grown / 2.0 || (q.y - p.y).abs() >= CLEAR_Y
        })
    };
    let (x0, y0, x1, y1) = view;
    let inside = |p: Point| {
        p.x - NODE_W / 2.0 >= x0
            && p.x + NODE_W / 2.0 <= x1
            && p.y - NODE_H / 2.0 >= y0
            && p.y + NODE_H / 2.0 <= y1
    };
    // The cheapest free place in view, else the cheapest free one (no
    // sort: a scan of the few hundred cells).
    let mut best: [Option<(f64, Point)>; 2] = [None, None];
    for j in -RINGS..=RINGS {
        // Rows first: beside costs less than below, below less than
        // above, so a few adds stand in a row, the next row under it.
        let up = if j < 0 { 6.0 } else { 4.0 };
        for i in -RINGS..=RINGS {
            let (dx, dy) = (f64::from(i) * STEP_X, f64::from(j) * STEP_Y);
            let cost = dx * dx + (dy * up) * (dy * up);
            let p = Point {
                x: c.x + dx,
                y: c.y + dy,
            };
            let slot = &mut best[usize::from(!inside(p))];
            // Strictly cheaper: ties go to the first in reading order.
            if slot.is_none_or(|(b, _)| cost < b) && free(p) {
                *slot = Some((cost, p));
            }
        }
    }
    best[0].or(best[1]).map_or(c, |(_, p)| p)
}

/// The gap [`make_room`] keeps between two boxes on a row.
pub const ROOM: f64 = 24.0;

/// Renames server `id` to `name` ([`Topology::rename`]) and, when its box
/// grew, makes room on its row ([`make_room`]): what a rename in the editor
/// does, as one change. Errors: the name's, leaving `t` as it was. Out:
/// the servers moved.
pub fn rename_making_room(
    t: &mut Topology,
    id: ServerId,
    name: &str,
) -> Result<Vec<ServerId>, crate::NameError> {
    let was = t.server(id).map_or(0.0, |s| crate::fit::box_width(&s.name));
    t.rename(id, name)?;
    Ok(make_room(t, id, was))
}

/// Makes room around server `id` after its box grew from `was` wide (a
/// rename to a longer name, [`crate::fit::box_width`]): a server whose box
/// now overlaps it, or stands closer than [`ROOM`], on the same row (less
/// than a box's height and a little apart vertically), moves sideways away
/// from it, just far enough, and so on for the servers those moves reach.
/// Servers without a place, and every vertical place, are left as they
/// are; a box that did not grow moves nothing, not even a server the user
/// set close beside it.
///
/// In: any topology and id (an id not there, or without a place, does
/// nothing), and the box's width before. Out: the servers moved, in the
/// order they moved.
pub fn make_room(t: &mut Topology, id: ServerId, was: f64) -> Vec<ServerId> {
    use crate::fit::box_width;
    use crate::layout::NODE_H;
    let mut moved = Vec::new();
    if t.server(id).is_none_or(|s| box_width(&s.name) <= was) {
        return moved;
    }
    let mut queue = vec![id];
    // Each move goes one way from the box that pushed it: at most every
    // server once per pusher, so a bound keeps a pathological drawing from
    // running long.
    let mut budget = t.servers.len().saturating_mul(4).max(16);
    while let Some(a) = queue.pop() {
        let Some((pa, wa)) = t.server(a).and_then(|s| Some((s.pos?, box_width(&s.name)))) else {
            continue;
        };
        let pushed: Vec<(ServerId, f64)> = t
            .servers
            .iter()
            .filter(|s| s.id != a && s.id != id)
            .filter_map(|s| {
                let p = s.pos?;
                let need = (wa + box_width(&s.name)) / 2.0 + ROOM;
                let near = (p.y - pa.y).abs() < NODE_H + 8.0 && (p.x - pa.x).abs() < need;
                // Away from the pusher; a server right under it goes right.
                let x = if p.x >= pa.x {
                    pa.x + need
                } else {
                    pa.x - need
                };
                near.then_some((s.id, x))
            })
            .collect();
        for (b, x) in pushed {
            if budget == 0 {
                return moved;
            }
            budget -= 1;
            if let Some(p) = t.server_mut(b).and_then(|s| s.pos.as_mut()) {
                p.x = x.round();
                moved.push(b);
                queue.push(b);
            }
        }
    }
    moved
}

#[cfg(test)]
mod tests {

    #[test]
    fn a_grown_box_pushes_its_row_neighbours_apart_and_no_one_else() {
        use crate::fit::box_width;
        use crate::layout::NODE_W;
        let mut t = Topology::new();
        let at = |t: &mut Topology, n: &str, x: f64, y: f64| {
            let id = t.add_server(n, Kind::Protected);
            t.server_mut(id).unwrap().pos = Some(Point { x, y });
            id
        };
        let left = at(&mut t, "PS0", 0.0, 0.0);
        let mid = at(&mut t, "PS1", 180.0, 0.0);
        let right = at(&mut t, "PS2", 360.0, 0.0);
        let far = at(&mut t, "PS3", 900.0, 0.0);
        let below = at(&mut t, "PS4", 180.0, 150.0);
        // Nothing grew: nothing moves, not even a server set closer than
        // ROOM beside it.
        let close = at(&mut t, "PS5", 180.0 + NODE_W + 4.0, 40.0);
        t.rename(mid, "PS9").unwrap();
        assert!(make_room(&mut t, mid, NODE_W).is_empty());
        t.server_mut(close).unwrap().pos = Some(Point { x: 900.0, y: 600.0 });
        let moved = rename_making_room(&mut t, mid, "SQLCLUSTER-LON-AG01").unwrap();
        let pos = |t: &Topology, id| t.server(id).unwrap().pos.unwrap();
        let w = box_width("SQLCLUSTER-LON-AG01");
        assert!(w > NODE_W);
        // Its neighbours stand clear of it by ROOM, each on its own side.
        assert_eq!(
            pos(&t, right).x,
            (180.0 + (w + NODE_W) / 2.0 + ROOM).round()
        );
        assert_eq!(pos(&t, left).x, (180.0 - (w + NODE_W) / 2.0 - ROOM).round());
        assert_eq!(pos(&t, mid).x, 180.0, "the renamed server stays");
        // Far enough already, or on another row: left alone.
        assert_eq!(pos(&t, far).x, 900.0);
        assert_eq!(pos(&t, below).x, 180.0);
        assert_eq!(moved.len(), 2, "{moved:?}");
        // Every box on the row is clear of the others.
        let row: Vec<_> = t
            .servers
            .iter()
            .filter(|s| s.pos.unwrap().y == 0.0)
            .collect();
        for a in &row {
            for b in &row {
                if a.id != b.id {
                    let gap = (a.pos.unwrap().x - b.pos.unwrap().x).abs()
                        - (box_width(&a.name) + box_width(&b.name)) / 2.0;
                    assert!(gap >= ROOM - 1.0, "{} {} {gap}", a.name, b.name);
                }
            }
        }
    }

    #[test]
    fn a_push_reaches_the_next_server_in_turn() {
        let mut t = Topology::new();
        let ids: Vec<_> = (0..4)
            .map(|i| {
                let id = t.add_server(format!("PS{i}"), Kind::Protected);
                t.server_mut(id).unwrap().pos = Some(Point {
                    x: f64::from(i) * 160.0,
                    y: 0.0,
                });
                id
            })
            .collect();
        t.rename(ids[0], "fileserver-london-production-07").unwrap();
        let moved = make_room(&mut t, ids[0], 136.0);
        assert_eq!(moved.len(), 3, "{moved:?}");
        let xs: Vec<f64> = ids
            .iter()
            .map(|&id| t.server(id).unwrap().pos.unwrap().x)
            .collect();
        assert!(
            xs.windows(2).all(|w| w[1] - w[0] >= 136.0 + ROOM - 1.0),
            "{xs:?}"
        );
        // Unknown ids and servers without a place do nothing.
        assert!(make_room(&mut t, ServerId(999), 0.0).is_empty());
    }
    use super::*;
    use crate::presets;

    #[test]
    fn paste_renames_and_keeps_inner_protections() {
        let mut t = presets::scenario_1();
        let ids = vec![
            t.find("DS1").unwrap(),
            t.find("PS1").unwrap(),
            t.find("DS3").unwrap(),
        ];
        let fragment = extract(&t, &ids);
        assert_eq!(
            fragment.protections.len(),
            2,
            "DS1->PS1 and DS3->DS1, not DS1->PS2"
        );
        let added = paste(&mut t, &fragment, Point { x: 40.0, y: 40.0 });
        let names: Vec<&str> = added.iter().map(|&id| t.name(id)).collect();
        assert_eq!(names, ["DS5", "DS6", "PS5"]);
        let ds5 = t.find("DS5").unwrap();
        let ps5 = t.find("PS5").unwrap();
        assert!(t
            .protection(crate::Link {
                protector: ds5,
                target: ps5
            })
            .is_some());
        assert_eq!(t.protections.len(), 9);
    }

    #[test]
    fn copies_keep_host_and_database_among_themselves() {
        let mut t = Topology::new();
        let hv = t.add_server("HV1", Kind::Protected);
        let sql = t.add_server("SQL1", Kind::Protected);
        let dpm = t.add_server("DPM1", Kind::Dpm);
        let vm = t.add_server("VM1", Kind::Protected);
        t.server_mut(dpm).unwrap().host = Some(hv);
        t.server_mut(dpm).unwrap().database = Some(sql);
        t.server_mut(vm).unwrap().host = Some(dpm);
        // DPM1 and VM1 copied: VM1 runs on DPM1's copy; DPM1's host and
        // database were left behind, so the fragment names neither.
        let fragment = extract(&t, &[dpm, vm]);
        let (f_dpm, f_vm) = (
            fragment.find("DPM1").unwrap(),
            fragment.find("VM1").unwrap(),
        );
        assert_eq!(fragment.server(f_vm).unwrap().host, Some(f_dpm));
        assert_eq!(fragment.server(f_dpm).unwrap().host, None);
        assert_eq!(fragment.server(f_dpm).unwrap().database, None);
        // Its JSON reads back.
        let back = crate::from_json(&crate::to_json(&fragment)).unwrap();
        assert_eq!(back.servers.len(), 2);
        let added = paste(&mut t, &fragment, Point { x: 40.0, y: 40.0 });
        let (p_dpm, p_vm) = (added[0], added[1]);
        assert_eq!(t.name(p_dpm), "DPM2");
        assert_eq!(t.server(p_vm).unwrap().host, Some(p_dpm));
        assert_eq!(t.server(p_dpm).unwrap().host, None);
        // The originals are untouched.
        assert_eq!(t.server(vm).unwrap().host, Some(dpm));
        assert_eq!(crate::host_cycle(&t), None);
    }

    #[test]
    fn a_paste_never_names_an_unrelated_server_by_its_id() {
        let mut fragment = Topology::new();
        let a = fragment.add_server("A", Kind::Protected);
        let b = fragment.add_server("B", Kind::Dpm);
        fragment.server_mut(b).unwrap().database = Some(a);
        fragment.server_mut(b).unwrap().host = Some(ServerId(7));
        let mut t = Topology::new();
        for i in 0..9 {
            t.add_server(format!("S{i}"), Kind::Protected);
        }
        let added = paste(&mut t, &fragment, Point { x: 0.0, y: 0.0 });
        let pb = t.server(added[1]).unwrap();
        assert_eq!(pb.database, Some(added[0]));
        assert_eq!(pb.host, None);
    }

    #[test]
    fn deleting_a_host_or_database_server_forgets_it() {
        let mut t = Topology::new();
        let hv = t.add_server("HV1", Kind::Protected);
        let dpm = t.add_server("DPM1", Kind::Dpm);
        t.server_mut(dpm).unwrap().host = Some(hv);
        t.server_mut(dpm).unwrap().database = Some(hv);
        remove_servers(&mut t, &[hv]);
        let s = t.server(dpm).unwrap();
        assert_eq!((s.host, s.database), (None, None));
    }

    #[test]
    fn a_place_as_kept_reads_back_from_the_file_unchanged() {
        let mut t = Topology::new();
        let mut rng = 0x2545_f491_4f6c_dd1d_u64;
        for i in 0..500 {
            rng ^= rng << 13;
            rng ^= rng >> 7;
            rng ^= rng << 17;
            let v = |r: u64| (r % 2_000_000_000) as f64 / 137.0 - 7_000_000.0;
            let p = as_kept(Point {
                x: v(rng),
                y: v(rng.rotate_left(21)) / 3.0,
            });
            let id = t.add_server(format!("S{i}"), Kind::Protected);
            if let Some(s) = t.server_mut(id) {
                s.pos = Some(p);
            }
        }
        let back = crate::from_json(&crate::to_json(&t)).expect("reads back");
        for (a, b) in t.servers.iter().zip(&back.servers) {
            assert_eq!(a.pos, b.pos, "{}", a.name);
        }
        assert_eq!(
            as_kept(Point {
                x: 491.000_000_001,
                y: -0.004
            }),
            Point { x: 491.0, y: -0.0 }
        );
    }

    #[test]
    fn snapping_rounds_to_the_grid() {
        assert_eq!(
            snap(Point { x: 29.0, y: -31.0 }),
            Point { x: 20.0, y: -40.0 }
        );
    }

    #[test]
    fn places_for_keyboard_adds_are_free_distinct_and_in_view() {
        use crate::layout::{NODE_H, NODE_W};
        let view = (-400.0, -300.0, 400.0, 300.0);
        let centre = Point { x: 3.0, y: -4.0 };
        let mut t = Topology::new();
        let blocker = t.add_server("DS1", Kind::Dpm);
        t.server_mut(blocker).unwrap().pos = Some(Point { x: 0.0, y: 0.0 });
        for n in 0..6 {
            let p = free_place(&t, centre, view);
            assert_eq!(p, snap(p), "on the grid, so a snap keeps it");
            let (x0, y0, x1, y1) = view;
            assert!(p.x - NODE_W / 2.0 >= x0 && p.x + NODE_W / 2.0 <= x1);
            assert!(p.y - NODE_H / 2.0 >= y0 && p.y + NODE_H / 2.0 <= y1);
            for q in t.servers.iter().filter_map(|s| s.pos) {
                let apart = (q.x - p.x).abs() >= NODE_W + 8.0 || (q.y - p.y).abs() >= NODE_H + 8.0;
                assert!(apart, "add {n} at {p:?} overlaps a server at {q:?}");
            }
            let id = t.add_server(format!("PS{n}"), Kind::Protected);
            t.server_mut(id).unwrap().pos = Some(p);
        }
        // The first adds stand in a row beside the one in the middle, the
        // next ones in the row under it.
        let at = |n: &str| t.server(t.find(n).unwrap()).unwrap().pos.unwrap();
        assert_eq!((at("PS0").y, at("PS1").y), (0.0, 0.0));
        assert!(at("PS0").x.abs() <= 180.0 && at("PS1").x.abs() <= 180.0);
        assert!(at("PS2").y > 0.0, "{:?}", at("PS2"));
    }

    #[test]
    fn a_keyboard_add_clears_a_box_grown_for_its_name() {
        use crate::fit::box_width;
        use crate::layout::{NODE_H, NODE_W};
        let view = (-600.0, -300.0, 600.0, 300.0);
        let mut t = Topology::new();
        let name = "dpm-london-production-backup-01.corp.example.com";
        let wide = t.add_server(name, Kind::Dpm);
        t.server_mut(wide).unwrap().pos = Some(Point { x: 0.0, y: 0.0 });
        for _ in 0..4 {
            let p = free_place(&t, Point { x: 0.0, y: 0.0 }, view);
            let gap = p.x.abs() - (box_width(name) + NODE_W) / 2.0;
            assert!(gap >= 8.0 || p.y.abs() >= NODE_H + 8.0, "{p:?}: {gap}");
            let id = t.add_server("PS", Kind::Protected);
            t.server_mut(id).unwrap().pos = Some(p);
        }
    }

    #[test]
    fn a_full_view_puts_the_server_just_outside_it() {
        let mut t = Topology::new();
        let a = t.add_server("A", Kind::Protected);
        t.server_mut(a).unwrap().pos = Some(Point { x: 0.0, y: 0.0 });
        let tiny = (-70.0, -30.0, 70.0, 30.0);
        let p = free_place(&t, Point { x: 0.0, y: 0.0 }, tiny);
        assert_ne!(p, Point { x: 0.0, y: 0.0 });
        // Nonsense in, no panic out.
        let _ = free_place(
            &t,
            Point {
                x: f64::NAN,
                y: 1.0,
            },
            (f64::NAN, 0.0, 1.0, 1.0),
        );
    }
}
