//! A deterministic layered layout: protected servers at the bottom, their
//! primaries above them, secondaries above those.
//!
//! A DPM server's layer is one more than the highest layer of the DPM
//! servers it protects; servers that protect each other (cyclic protection)
//! share a layer. Within a layer, a few barycentre sweeps put servers near
//! the ones they are connected to. Wide layers wrap onto several rows, so no
//! layout is unreadably wide; nodes never overlap.

use std::collections::HashMap;

use petgraph::graph::DiGraph;

use crate::model::{natural_cmp, Kind, Point, ServerId, Topology};

/// Node size and spacing, in canvas units; shared by every renderer.
pub const NODE_W: f64 = 136.0;
pub const NODE_H: f64 = 56.0;
pub const GAP_X: f64 = 44.0;
/// Vertical distance between layers.
pub const LAYER_H: f64 = 150.0;
/// Vertical distance between wrapped rows of one layer.
pub const ROW_H: f64 = 96.0;
pub const MARGIN: f64 = 40.0;

/// Centre of each server, in the topology's server order.
pub fn layout(t: &Topology) -> Vec<(ServerId, Point)> {
    let n = t.servers.len();
    if n == 0 {
        return Vec::new();
    }
    let pos: HashMap<ServerId, usize> = t
        .servers
        .iter()
        .enumerate()
        .map(|(i, s)| (s.id, i))
        .collect();
    let mut up: Vec<Vec<usize>> = vec![Vec::new(); n]; // protectors
    let mut down: Vec<Vec<usize>> = vec![Vec::new(); n]; // targets
    let mut g = DiGraph::<usize, ()>::new();
    let nodes: Vec<_> = (0..n).map(|i| g.add_node(i)).collect();
    for p in &t.protections {
        let (Some(&a), Some(&b)) = (pos.get(&p.protector), pos.get(&p.target)) else {
            continue;
        };
        if a == b {
            continue;
        }
        up[b].push(a);
        down[a].push(b);
        if t.servers[a].kind == Kind::Dpm && t.servers[b].kind == Kind::Dpm {
            g.add_edge(nodes[a], nodes[b], ());
        }
    }

    // Layers. tarjan_scc lists components sinks first, so the components a
    // server protects are done before it.
    let mut layer = vec![0usize; n];
    for scc in petgraph::algo::tarjan_scc(&g) {
        let members: Vec<usize> = scc.iter().map(|&x| g[x]).collect();
        let mut l = 0;
        for &m in &members {
            if t.servers[m].kind != Kind::Dpm {
                continue;
            }
            l = l.max(1);
            for &b in &down[m] {
                if t.servers[b].kind == Kind::Dpm && !members.contains(&b) {
                    l = l.max(layer[b] + 1);
                }
            }
        }
        for &m in &members {
            layer[m] = l;
        }
    }
    let top = layer.iter().copied().max().unwrap_or(0);

    // Order within layers: by name first, then barycentre sweeps.
    let mut rows: Vec<Vec<usize>> = vec![Vec::new(); top + 1];
    for i in 0..n {
        rows[layer[i]].push(i);
    }
    for r in &mut rows {
        crate::sort::sort_by(r, &|&a, &b| {
            natural_cmp(&t.servers[a].name, &t.servers[b].name).then(a.cmp(&b))
        });
    }
    let mut order = vec![0.0f64; n];
    let set_order = |rows: &Vec<Vec<usize>>, order: &mut Vec<f64>| {
        for r in rows {
            let len = r.len().max(1) as f64;
            for (k, &i) in r.iter().enumerate() {
                order[i] = (k as f64 + 0.5) / len;
            }
        }
    };
    set_order(&rows, &mut order);
    for sweep in 0..4 {
        // Alternate: order each layer by the layer above, then by the one below.
        let from_above = sweep % 2 == 0;
        let layers: Vec<usize> = if from_above {
            (0..top).rev().collect()
        } else {
            (1..=top).collect()
        };
        for l in layers {
            let mut keyed: Vec<(f64, usize)> = rows[l]
                .iter()
                .map(|&i| {
                    let nb = if from_above { &up[i] } else { &down[i] };
                    let k = if nb.is_empty() {
                        order[i]
                    } else {
                        nb.iter().map(|&j| order[j]).sum::<f64>() / nb.len() as f64
                    };
                    (k, i)
                })
                .collect();
            crate::sort::sort_by(&mut keyed, &|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
            rows[l] = keyed.into_iter().map(|(_, i)| i).collect();
            set_order(&rows, &mut order);
        }
    }

    // Wrap wide layers and place rows top to bottom.
    let per_row = ((n as f64).sqrt() * 2.0).ceil().max(10.0) as usize;
    let widest = rows.iter().map(|r| r.len().min(per_row)).max().unwrap_or(1);
    let full_w = widest as f64 * (NODE_W + GAP_X) - GAP_X;
    let mut out = vec![Point::default(); n];
    let mut y = MARGIN + NODE_H / 2.0;
    for l in (0..=top).rev() {
        let r = &rows[l];
        if r.is_empty() {
            continue;
        }
        for (c, chunk) in r.chunks(per_row).enumerate() {
            if c > 0 {
                y += ROW_H;
            }
            let w = chunk.len() as f64 * (NODE_W + GAP_X) - GAP_X;
            let x0 = MARGIN + (full_w - w) / 2.0 + NODE_W / 2.0;
            for (k, &i) in chunk.iter().enumerate() {
                out[i] = Point {
                    x: (x0 + k as f64 * (NODE_W + GAP_X)).round(),
                    y: y.round(),
                };
            }
        }
        y += LAYER_H;
    }
    t.servers.iter().map(|s| s.id).zip(out).collect()
}

/// Lays out every server (the app's auto-layout).
pub fn apply_layout(t: &mut Topology) {
    for (id, p) in layout(t) {
        if let Some(s) = t.server_mut(id) {
            s.pos = Some(p);
        }
    }
}

/// Positions for drawing: the servers' own when every server has one,
/// otherwise the layout's.
pub fn positions(t: &Topology) -> HashMap<ServerId, Point> {
    if t.servers.iter().all(|s| s.pos.is_some()) {
        t.servers
            .iter()
            .filter_map(|s| s.pos.map(|p| (s.id, p)))
            .collect()
    } else {
        layout(t).into_iter().collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::presets;

    fn overlaps(t: &Topology) -> bool {
        let p: Vec<Point> = layout(t).into_iter().map(|(_, p)| p).collect();
        for i in 0..p.len() {
            for j in i + 1..p.len() {
                if (p[i].x - p[j].x).abs() < NODE_W && (p[i].y - p[j].y).abs() < NODE_H {
                    return true;
                }
            }
        }
        false
    }

    #[test]
    fn protected_servers_sit_below_primaries_below_secondaries() {
        let t = presets::scenario_1();
        let p = positions(&{
            let mut t = t.clone();
            apply_layout(&mut t);
            t
        });
        let y = |n: &str| p[&t.find(n).unwrap()].y;
        assert!(y("PS1") > y("DS1"));
        assert!(y("DS1") > y("DS3"));
        assert!(y("DS3") > y("DS4"));
        assert_eq!(y("DS1"), y("DS2"));
        assert!(!overlaps(&t));
    }

    #[test]
    fn cycles_share_a_layer() {
        let t = presets::scenario_3();
        let p = positions(&{
            let mut t = t.clone();
            apply_layout(&mut t);
            t
        });
        let y = |n: &str| p[&t.find(n).unwrap()].y;
        assert_eq!(y("DS2"), y("DS3"));
        assert!(y("DS1") > y("DS2"));
        assert!(!overlaps(&t));
    }

    #[test]
    fn wide_layers_wrap_without_overlap() {
        let mut t = Topology::new();
        let d = t.add_server("DS1", Kind::Dpm);
        for k in 0..60 {
            let x = t.add_server(format!("PS{k}"), Kind::Protected);
            t.connect(crate::model::Protection::new(d, x));
        }
        assert!(!overlaps(&t));
        let xs: Vec<f64> = layout(&t).into_iter().map(|(_, p)| p.x).collect();
        let width = xs.iter().cloned().fold(f64::MIN, f64::max)
            - xs.iter().cloned().fold(f64::MAX, f64::min);
        assert!(width < 20.0 * (NODE_W + GAP_X), "{width}");
    }
}
