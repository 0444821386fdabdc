//! Editing operations on a topology that need more than one field changed:
//! copy and paste, deleting a selection, snapping to the grid.

use std::collections::{HashMap, HashSet};

use crate::model::{Kind, Point, Protection, ServerId, Topology};

/// The servers `ids` and the protections among them, as a topology of their
/// own (what Copy puts on the clipboard).
pub fn extract(t: &Topology, ids: &[ServerId]) -> Topology {
    let keep: HashSet<ServerId> = ids.iter().copied().collect();
    let mut out = Topology::new();
    let mut map = HashMap::new();
    for s in t.servers.iter().filter(|s| keep.contains(&s.id)) {
        map.insert(s.id, out.insert_server(s.clone()));
    }
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
    let mut map = HashMap::new();
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

/// Removes the servers `ids` and their protections.
pub fn remove_servers(t: &mut Topology, ids: &[ServerId]) {
    let gone: HashSet<ServerId> = ids.iter().copied().collect();
    t.servers.retain(|s| !gone.contains(&s.id));
    t.protections
        .retain(|p| !gone.contains(&p.protector) && !gone.contains(&p.target));
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

#[cfg(test)]
mod tests {
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
    fn snapping_rounds_to_the_grid() {
        assert_eq!(
            snap(Point { x: 29.0, y: -31.0 }),
            Point { x: 20.0, y: -40.0 }
        );
    }
}
