//! A deterministic layered layout: protected servers at the bottom, their
//! primaries above them, secondaries above those.
//!
//! A DPM server's layer is one more than the highest layer of the DPM
//! servers it protects; servers that protect each other (cyclic protection)
//! share a layer. Within a layer, a few barycentre sweeps put servers near
//! the ones they are connected to. Wide layers wrap onto several rows, so no
//! layout is unreadably wide; nodes never overlap.
//!
//! When servers name sites, each site's servers are laid out as a block of
//! their own (on the drawing's common layers) and the blocks stand side by
//! side, [`SITE_GAP`] apart, servers without a site last: the regions
//! [`crate::site_regions`] draws around the sites never meet. A guest sits
//! next to its host where both are on one layer.

use crate::hash::HashMap;

use petgraph::graph::DiGraph;

use crate::fit::box_width;
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

/// A place in a layer's row: a server, or the lane of an arrow crossing it.
#[derive(Clone, Copy)]
enum Slot {
    Server(usize),
    Lane((usize, usize)),
}

/// Centre of each server, in the topology's server order. Deterministic:
/// the same topology always gets the same places.
///
/// The phases follow dagre's layered layout: `layers` ranks the servers,
/// `order` orders each layer (barycentre sweeps), `place_x` and `place_y`
/// place them, and `clear_arrows` moves servers out from under arrows that
/// skip layers. With sites, each site's servers are placed as a block of
/// their own and the blocks stand `side_by_side`.
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
    let (up, down, dpm) = edges(t, &pos);
    let layer = layers(t, &dpm, &down);
    let top = layer.iter().copied().max().unwrap_or(0);
    // A guest's host, as an index, where there is one.
    let host: Vec<Option<usize>> = t
        .servers
        .iter()
        .map(|s| s.host.and_then(|h| pos.get(&h).copied()))
        .collect();
    let g = Graph {
        layer: &layer,
        up: &up,
        down: &down,
        host: &host,
        top,
    };

    let blocks = site_blocks(t);
    let out = if blocks.len() <= 1 {
        one_block(t, &g)
    } else {
        side_by_side(t, &g, &blocks)
    };
    let out = widen(t, out);
    t.servers.iter().map(|s| s.id).zip(out).collect()
}

/// Places laid out for boxes [`NODE_W`] wide, spread sideways for the
/// widest box of `t` (a box grows with its name, [`box_width`]): every gap
/// between two boxes stays at least what it was, and the order and the
/// rows are kept.
fn widen(t: &Topology, out: Vec<Point>) -> Vec<Point> {
    let widest = t
        .servers
        .iter()
        .map(|s| box_width(&s.name))
        .fold(NODE_W, f64::max);
    if widest <= NODE_W {
        return out;
    }
    let k = (widest + GAP_X) / (NODE_W + GAP_X);
    let left = MARGIN + NODE_W / 2.0;
    out.into_iter()
        .map(|p| Point {
            x: (MARGIN + widest / 2.0 + (p.x - left) * k).round(),
            y: p.y,
        })
        .collect()
}

/// The layered graph that every placement phase reads, by server index (in
/// a site's block, by index within the block).
struct Graph<'a> {
    layer: &'a [usize],
    /// Each server's protectors.
    up: &'a [Vec<usize>],
    /// Each server's targets.
    down: &'a [Vec<usize>],
    /// A guest's host, where there is one.
    host: &'a [Option<usize>],
    /// The highest layer.
    top: usize,
}

/// For each server index, the indices of the servers it is joined to.
type Adjacency = Vec<Vec<usize>>;

/// The protections as edges between server indices, both ways (a server's
/// protectors, its targets), and the graph of DPM servers protecting DPM
/// servers that the layers are ranked on. Self-protection is left out.
fn edges(
    t: &Topology,
    pos: &HashMap<ServerId, usize>,
) -> (Adjacency, Adjacency, DiGraph<usize, ()>) {
    let n = t.servers.len();
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
    (up, down, g)
}

/// Each server's layer: 0 for protected servers, and for a DPM server one
/// more than the highest layer of the DPM servers it protects (at least 1);
/// servers that protect each other share a layer. tarjan_scc lists
/// components sinks first, so the components a server protects are done
/// before it.
fn layers(t: &Topology, dpm: &DiGraph<usize, ()>, down: &[Vec<usize>]) -> Vec<usize> {
    let mut layer = vec![0usize; t.servers.len()];
    for scc in petgraph::algo::tarjan_scc(dpm) {
        let members: Vec<usize> = scc.iter().map(|&x| dpm[x]).collect();
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
    layer
}

/// No sites (or all servers in one): one block, as always, its left edge
/// at the margin.
fn one_block(t: &Topology, g: &Graph) -> Vec<Point> {
    let placed = place(t, g);
    let min_x = placed.x.iter().copied().fold(f64::MAX, f64::min);
    (0..t.servers.len())
        .map(|i| Point {
            x: (placed.x[i] - min_x + MARGIN + NODE_W / 2.0).round(),
            y: placed.y[i].round(),
        })
        .collect()
}

/// Several sites: each site's servers (and then those without a site)
/// are laid out as a block of their own, on the drawing's layers, and
/// the blocks stand side by side, far enough apart that the site regions
/// drawn around them (padded, labelled) never meet.
fn side_by_side(t: &Topology, g: &Graph, blocks: &[Vec<usize>]) -> Vec<Point> {
    let placed_blocks = place_blocks(t, g, blocks);
    let layer_y = layer_ys(g.top, &placed_blocks);
    let mut out = vec![Point::default(); t.servers.len()];
    let mut left = MARGIN;
    for (members, p) in blocks.iter().zip(&placed_blocks) {
        let min_x = p.x.iter().copied().fold(f64::MAX, f64::min);
        let max_x = p.x.iter().copied().fold(f64::MIN, f64::max);
        for (k, &i) in members.iter().enumerate() {
            out[i] = Point {
                x: (p.x[k] - min_x + left + NODE_W / 2.0).round(),
                y: (layer_y[g.layer[i]] + p.row[k] as f64 * ROW_H).round(),
            };
        }
        left += (max_x - min_x) + NODE_W + SITE_GAP;
    }
    out
}

/// Each block laid out on its own: the drawing's graph cut down to the
/// block's servers (arrows to other blocks left out), on the drawing's
/// layers.
fn place_blocks(t: &Topology, g: &Graph, blocks: &[Vec<usize>]) -> Vec<Placed> {
    let mut block_of = vec![0usize; t.servers.len()];
    for (b, members) in blocks.iter().enumerate() {
        for &i in members {
            block_of[i] = b;
        }
    }
    let mut placed_blocks = Vec::with_capacity(blocks.len());
    for (b, members) in blocks.iter().enumerate() {
        let local: HashMap<usize, usize> =
            members.iter().enumerate().map(|(k, &i)| (i, k)).collect();
        let within = |list: &Vec<usize>| -> Vec<usize> {
            list.iter()
                .filter(|&&j| block_of[j] == b)
                .map(|j| local[j])
                .collect()
        };
        let l_up: Vec<Vec<usize>> = members.iter().map(|&i| within(&g.up[i])).collect();
        let l_down: Vec<Vec<usize>> = members.iter().map(|&i| within(&g.down[i])).collect();
        let l_layer: Vec<usize> = members.iter().map(|&i| g.layer[i]).collect();
        let l_host: Vec<Option<usize>> = members
            .iter()
            .map(|&i| g.host[i].and_then(|h| local.get(&h).copied()))
            .collect();
        let sub = Sub {
            names: members
                .iter()
                .map(|&i| t.servers[i].name.as_str())
                .collect(),
        };
        let local_graph = Graph {
            layer: &l_layer,
            up: &l_up,
            down: &l_down,
            host: &l_host,
            top: g.top,
        };
        placed_blocks.push(place_local(&sub, &local_graph));
    }
    placed_blocks
}

/// One y per layer for every block: each layer as tall as its tallest
/// block needs.
fn layer_ys(top: usize, placed_blocks: &[Placed]) -> Vec<f64> {
    let mut layer_y = vec![0.0f64; top + 1];
    let mut y = MARGIN + NODE_H / 2.0;
    for l in (0..=top).rev() {
        let mut used = false;
        let mut span: f64 = 0.0;
        for p in placed_blocks {
            if p.rows_in_layer[l] > 0 {
                used = true;
                span = span.max((p.rows_in_layer[l] - 1) as f64 * ROW_H + p.gap[l]);
            }
        }
        if used {
            layer_y[l] = y;
            y += span;
        }
    }
    layer_y
}

/// Horizontal room between the servers of two sites' blocks: both regions'
/// padding and a node gap between the regions.
pub const SITE_GAP: f64 = 2.0 * crate::geometry::SITE_PAD + GAP_X;

/// The servers of each site (sites in natural order), then those without a
/// site; each list in the topology's order. Empty lists are left out.
fn site_blocks(t: &Topology) -> Vec<Vec<usize>> {
    if t.servers.iter().all(|s| s.site().is_none()) {
        return Vec::new();
    }
    let groups = crate::estate::site_groups(t);
    let mut blocks: Vec<Vec<usize>> = vec![Vec::new(); groups.len() + 1];
    let block: HashMap<ServerId, usize> = groups
        .iter()
        .enumerate()
        .flat_map(|(k, (_, ids))| ids.iter().map(move |&id| (id, k)))
        .collect();
    for (i, s) in t.servers.iter().enumerate() {
        blocks[block.get(&s.id).copied().unwrap_or(groups.len())].push(i);
    }
    blocks.retain(|b| !b.is_empty());
    blocks
}

/// The names of a block's servers, by local index.
struct Sub<'a> {
    names: Vec<&'a str>,
}

/// Where one block's servers go: x and y by local index, the row of its
/// layer each is on, and per layer the number of rows and the gap below.
struct Placed {
    x: Vec<f64>,
    y: Vec<f64>,
    row: Vec<usize>,
    rows_in_layer: Vec<usize>,
    gap: Vec<f64>,
}

fn place(t: &Topology, g: &Graph) -> Placed {
    let sub = Sub {
        names: t.servers.iter().map(|s| s.name.as_str()).collect(),
    };
    place_local(&sub, g)
}

/// The layered placement of servers `0..sub.names.len()` (indices into
/// every slice of `g`), on the given layers.
fn place_local(sub: &Sub, g: &Graph) -> Placed {
    let n = sub.names.len();
    let rows = order(sub, g);
    // A layer wider than this wraps onto several rows.
    let per_row = ((n as f64).sqrt() * 2.0).ceil().max(10.0) as usize;
    let (mut x, wrapped) = place_x(g, &rows, per_row);
    let mut gaps = vec![0.0f64; g.top + 1];
    let ys = clear_arrows(g, &rows, per_row, &wrapped, &mut x, &mut gaps);
    let mut row = vec![0usize; n];
    let mut rows_in_layer = vec![0usize; g.top + 1];
    for l in 0..=g.top {
        for (c, chunk) in rows[l].chunks(per_row).enumerate() {
            rows_in_layer[l] = c + 1;
            for &i in chunk {
                row[i] = c;
            }
        }
    }
    Placed {
        x,
        y: ys,
        row,
        rows_in_layer,
        gap: gaps,
    }
}

/// Order within layers: by name first (a guest right after its host on
/// the same layer), then barycentre sweeps.
fn order(sub: &Sub, g: &Graph) -> Vec<Vec<usize>> {
    let mut rows = name_order(sub, g);
    let mut order = vec![0.0f64; sub.names.len()];
    set_order(&rows, &mut order);
    for sweep in 0..4 {
        // Alternate: order each layer by the layer above, then by the one below.
        let from_above = sweep % 2 == 0;
        let layers: Vec<usize> = if from_above {
            (0..g.top).rev().collect()
        } else {
            (1..=g.top).collect()
        };
        for l in layers {
            barycentre(g, l, from_above, &mut rows, &order);
            set_order(&rows, &mut order);
        }
    }
    rows
}

/// Each layer's servers in name order, a guest right after its host where
/// both are on one layer.
fn name_order(sub: &Sub, g: &Graph) -> Vec<Vec<usize>> {
    let n = sub.names.len();
    let mut rows: Vec<Vec<usize>> = vec![Vec::new(); g.top + 1];
    for i in 0..n {
        rows[g.layer[i]].push(i);
    }
    // Each server's place in name order, found once: the rows then sort
    // by numbers (with hosts, rows are no longer in name order, and
    // comparing names again would cost a full sort of names per row).
    let mut by_name: Vec<usize> = (0..n).collect();
    crate::sort::sort_by(&mut by_name, &|&a, &b| {
        natural_cmp(sub.names[a], sub.names[b]).then(a.cmp(&b))
    });
    let mut rank = vec![0usize; n];
    for (k, &i) in by_name.iter().enumerate() {
        rank[i] = k;
    }
    let key = |i: usize| match g.host[i] {
        Some(h) if g.layer[h] == g.layer[i] => (rank[h], 1u8, rank[i]),
        _ => (rank[i], 0u8, rank[i]),
    };
    for r in &mut rows {
        crate::sort::sort_by(r, &|&a, &b| key(a).cmp(&key(b)));
    }
    rows
}

/// Each server's place within its layer, as a fraction of the layer.
fn set_order(rows: &[Vec<usize>], order: &mut [f64]) {
    for r in rows {
        let len = r.len().max(1) as f64;
        for (k, &i) in r.iter().enumerate() {
            order[i] = (k as f64 + 0.5) / len;
        }
    }
}

/// Orders layer `l` by the mean place of each server's neighbours in the
/// layer above (its protectors) or below (its targets).
fn barycentre(g: &Graph, l: usize, from_above: bool, rows: &mut [Vec<usize>], order: &[f64]) {
    // Equal means, as when each neighbour is alone on its own layer (all
    // at 0.5), keep servers of the same neighbour together: the servers
    // one DPM server protects side by side under it, not interleaved in
    // name order with another's, whose arrows would then cross them; and
    // within such a group, the order they had (by name, a guest after its
    // host: the sort is stable).
    let mut keyed: Vec<(f64, usize, usize)> = rows[l]
        .iter()
        .map(|&i| {
            let nb = if from_above { &g.up[i] } else { &g.down[i] };
            let k = if nb.is_empty() {
                // A guest with nothing to follow stays by its host.
                match g.host[i] {
                    Some(h) if g.layer[h] == l => order[h] + 1e-9,
                    _ => order[i],
                }
            } else {
                nb.iter().map(|&j| order[j]).sum::<f64>() / nb.len() as f64
            };
            (k, nb.iter().copied().min().unwrap_or(usize::MAX), i)
        })
        .collect();
    crate::sort::sort_by(&mut keyed, &|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    rows[l] = keyed.into_iter().map(|(_, _, i)| i).collect();
}

/// Horizontal places, bottom layer up, and which layers wrapped. A layer
/// that fits on one row puts each server over what it protects (the mean
/// of its targets' places), keeping the order the sweeps found and the
/// spacing between nodes: arrows then run down beside the servers
/// between, not under them. A wider layer wraps onto rows centred under
/// the drawing.
fn place_x(g: &Graph, rows: &[Vec<usize>], per_row: usize) -> (Vec<f64>, Vec<bool>) {
    let step = NODE_W + GAP_X;
    let widest = rows.iter().map(|r| r.len().min(per_row)).max().unwrap_or(1);
    let full_w = widest as f64 * step - GAP_X;
    let mut x = vec![f64::NAN; g.layer.len()];
    let mut wrapped = vec![false; g.top + 1];
    // Arrows that skip layers (protector, target): where each last crossed
    // a layer, as the layers are placed bottom up.
    let mut lanes: HashMap<(usize, usize), f64> = HashMap::default();
    for l in 0..=g.top {
        let r = &rows[l];
        if r.is_empty() {
            continue;
        }
        if r.len() > per_row {
            wrapped[l] = true;
            for chunk in r.chunks(per_row) {
                let w = chunk.len() as f64 * step - GAP_X;
                let x0 = (full_w - w) / 2.0 + NODE_W / 2.0;
                for (k, &i) in chunk.iter().enumerate() {
                    x[i] = x0 + k as f64 * step;
                }
            }
            continue;
        }
        let slots = slots(g, l, r, &lanes, &x, full_w);
        for (slot, at) in slots.iter().zip(spread(&slots)) {
            match slot.0 {
                Slot::Server(i) => x[i] = at,
                Slot::Lane(edge) => {
                    lanes.insert(edge, at);
                }
            }
        }
        // Arrows from above that skip the next layer start their lanes here.
        for &c in r {
            for &p in &g.up[c] {
                if g.layer[p] > l + 1 && !lanes.contains_key(&(p, c)) {
                    lanes.insert((p, c), x[c]);
                }
            }
        }
    }
    (x, wrapped)
}

/// The places of one-row layer `l`, in order, and where each wants to be:
/// its servers, and the lanes of the arrows crossing it.
fn slots(
    g: &Graph,
    l: usize,
    r: &[usize],
    lanes: &HashMap<(usize, usize), f64>,
    x: &[f64],
    full_w: f64,
) -> Vec<(Slot, f64)> {
    let step = NODE_W + GAP_X;
    // Where each server would like to be: over its targets (a target
    // layers down counts where its arrow crosses the layer below),
    // else where packing puts it.
    let packed0 = (full_w - (r.len() as f64 * step - GAP_X)) / 2.0 + NODE_W / 2.0;
    let mut slots: Vec<(Slot, f64)> = r
        .iter()
        .enumerate()
        .map(|(k, &i)| {
            let placed: Vec<f64> = g.down[i]
                .iter()
                .map(|&j| lanes.get(&(i, j)).copied().unwrap_or(x[j]))
                .filter(|v| v.is_finite())
                .collect();
            let want = if placed.is_empty() {
                packed0 + k as f64 * step
            } else {
                placed.iter().sum::<f64>() / placed.len() as f64
            };
            (Slot::Server(i), want)
        })
        .collect();
    // An arrow that crosses this layer on its way down keeps a slot of
    // its own here, over where it crossed the layer below, so no server
    // is put under it.
    let mut crossing: Vec<((usize, usize), f64)> = lanes
        .iter()
        .filter(|(&(p, c), _)| g.layer[p] > l && g.layer[c] < l)
        .map(|(&k, &v)| (k, v))
        .collect();
    // In a fixed order (the map's is random), so lanes that cross at
    // one place always get the same slots.
    crate::sort::sort_by(&mut crossing, &|a, b| {
        a.1.total_cmp(&b.1).then(a.0.cmp(&b.0))
    });
    for (edge, at) in crossing {
        let k = slots.iter().position(|s| s.1 > at).unwrap_or(slots.len());
        slots.insert(k, (Slot::Lane(edge), at));
    }
    slots
}

/// Keep the order and the spacing; shift the row so that, on average,
/// slots sit where they want to; pack again where the shift crowded them.
fn spread(slots: &[(Slot, f64)]) -> Vec<f64> {
    let step = NODE_W + GAP_X;
    let mut got: Vec<f64> = slots.iter().map(|s| s.1).collect();
    for k in 1..got.len() {
        got[k] = got[k].max(got[k - 1] + step);
    }
    let shift = slots.iter().zip(&got).map(|(w, g)| w.1 - g).sum::<f64>() / got.len() as f64;
    for g in got.iter_mut() {
        *g += shift;
    }
    for k in 1..got.len() {
        got[k] = got[k].max(got[k - 1] + step);
    }
    got
}

/// Vertical places, top to bottom. The gap below a layer grows with the
/// widest fan of arrows leaving it, so a steep-enough arrow clears the
/// neighbours of its target (a fan of width D needs a gap over D / 4).
fn place_y(
    g: &Graph,
    rows: &[Vec<usize>],
    per_row: usize,
    wrapped: &[bool],
    x: &[f64],
    gaps: &mut [f64],
) -> Vec<f64> {
    let mut ys = vec![0.0; g.layer.len()];
    let mut y = MARGIN + NODE_H / 2.0;
    for l in (0..=g.top).rev() {
        let r = &rows[l];
        if r.is_empty() {
            continue;
        }
        let mut fan: f64 = 0.0;
        for (c, chunk) in r.chunks(per_row).enumerate() {
            if c > 0 {
                y += ROW_H;
            }
            for &i in chunk {
                ys[i] = y;
                for &j in &g.down[i] {
                    if g.layer[j] + 1 == l && !wrapped[g.layer[j]] {
                        fan = fan.max((x[j] - x[i]).abs());
                    }
                }
            }
        }
        gaps[l] = LAYER_H.max((fan / 4.0 + 32.0).round());
        y += gaps[l];
    }
    ys
}

/// Arrows that skip layers must not run under the servers of the layers
/// they cross: move such a server, with the rest of its row on that
/// side, clear of the arrow. A few rounds settle it. Returns the vertical
/// places (from [`place_y`], again after each round that moved a server).
fn clear_arrows(
    g: &Graph,
    rows: &[Vec<usize>],
    per_row: usize,
    wrapped: &[bool],
    x: &mut [f64],
    gaps: &mut [f64],
) -> Vec<f64> {
    let skips: Vec<(usize, usize)> = (0..g.layer.len())
        .flat_map(|p| g.down[p].iter().map(move |&c| (p, c)))
        .filter(|&(p, c)| {
            g.layer[p] > g.layer[c] + 1 && !wrapped[g.layer[p]] && !wrapped[g.layer[c]]
        })
        .collect();
    let mut ys = place_y(g, rows, per_row, wrapped, x, gaps);
    for _ in 0..8 {
        let mut moved = false;
        for m in 0..=g.top {
            if wrapped[m] || rows[m].is_empty() {
                continue;
            }
            moved |= clear_layer(g, m, &rows[m], &skips, &ys, x);
        }
        if !moved {
            break;
        }
        ys = place_y(g, rows, per_row, wrapped, x, gaps);
    }
    ys
}

/// Moves the servers of one-row layer `m` right, in order and spaced, past
/// the arrows in `skips` that cross its band; true when one moved.
fn clear_layer(
    g: &Graph,
    m: usize,
    row: &[usize],
    skips: &[(usize, usize)],
    ys: &[f64],
    x: &mut [f64],
) -> bool {
    let band = ys[row[0]];
    // Where each arrow crossing this layer runs across its band.
    let mut blocked: Vec<(f64, f64)> = skips
        .iter()
        .filter(|&&(p, c)| g.layer[p] > m && g.layer[c] < m)
        .map(|&(p, c)| {
            let at = |yy: f64| x[p] + (x[c] - x[p]) * (yy - ys[p]) / (ys[c] - ys[p]);
            let (l0, l1) = (at(band - NODE_H / 2.0), at(band + NODE_H / 2.0));
            (l0.min(l1) - 14.0, l0.max(l1) + 14.0)
        })
        .collect();
    if blocked.is_empty() {
        return false;
    }
    crate::sort::sort_by(&mut blocked, &|a, b| a.0.total_cmp(&b.0));
    // Left to right, in order and spaced, each server in the first
    // free place at or right of where it is.
    let step = NODE_W + GAP_X;
    let mut moved = false;
    let mut floor = f64::MIN;
    for &e in row {
        let mut at = x[e].max(floor);
        // Each step moves right past one interval (with a margin, so
        // rounding cannot find the same one again).
        for _ in 0..=blocked.len() {
            match blocked
                .iter()
                .find(|(lo, hi)| at + NODE_W / 2.0 > *lo && at - NODE_W / 2.0 < *hi)
            {
                Some(&(_, hi)) => at = hi + NODE_W / 2.0 + 1.0,
                None => break,
            }
        }
        if at != x[e] {
            moved = true;
            x[e] = at;
        }
        floor = at + step;
    }
    moved
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
        let w: Vec<f64> = t.servers.iter().map(|s| box_width(&s.name)).collect();
        for i in 0..p.len() {
            for j in i + 1..p.len() {
                let apart = (w[i] + w[j]) / 2.0;
                if (p[i].x - p[j].x).abs() < apart && (p[i].y - p[j].y).abs() < NODE_H {
                    return true;
                }
            }
        }
        false
    }

    #[test]
    fn boxes_grown_for_long_names_keep_the_gaps_of_the_layout() {
        for mut t in [presets::scenario_1(), presets::scenario_2()] {
            let before = layout(&t);
            for s in t.servers.iter_mut().step_by(2) {
                s.name = format!("{}-lon-prod-01.corp.example.com", s.name.to_lowercase());
            }
            let widest = t
                .servers
                .iter()
                .map(|s| box_width(&s.name))
                .fold(0.0, f64::max);
            assert!(widest > NODE_W, "some boxes grow: {widest}");
            assert!(!overlaps(&t));
            let after = layout(&t);
            for ((_, a), (_, b)) in before.iter().zip(&after) {
                assert_eq!(a.y, b.y, "rows are kept");
            }
            // Neighbours on a row stand at least GAP_X apart, box to box.
            let w: HashMap<ServerId, f64> = t
                .servers
                .iter()
                .map(|s| (s.id, box_width(&s.name)))
                .collect();
            for (i, p) in &after {
                for (j, q) in &after {
                    if i != j && p.y == q.y {
                        let gap = (p.x - q.x).abs() - (w[i] + w[j]) / 2.0;
                        assert!(gap >= GAP_X - 1.0, "{gap}");
                    }
                }
            }
        }
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

    /// A small deterministic generator of drawings with sites and hosts.
    fn estate(seed: u64, n: usize) -> Topology {
        let mut r = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let mut next = move |m: usize| {
            r = r
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            ((r >> 33) as usize) % m.max(1)
        };
        let mut t = Topology::new();
        let sites = ["London", "DR site", "azure west", "Paris"];
        let mut ids = Vec::new();
        for k in 0..n {
            let kind = if next(3) == 0 {
                Kind::Dpm
            } else {
                Kind::Protected
            };
            let id = t.add_server(format!("S{k}"), kind);
            let pick = next(sites.len() + 1);
            if pick < sites.len() {
                // Case and spaces aside, one site.
                let name = if next(2) == 0 {
                    sites[pick].to_string()
                } else {
                    format!(" {} ", sites[pick].to_uppercase())
                };
                t.server_mut(id).unwrap().site = Some(name);
            }
            if k > 0 && next(4) == 0 {
                let h = ids[next(ids.len())];
                t.server_mut(id).unwrap().host = Some(h);
            }
            ids.push(id);
        }
        let dpms: Vec<ServerId> = t
            .servers
            .iter()
            .filter(|s| s.kind == Kind::Dpm)
            .map(|s| s.id)
            .collect();
        if !dpms.is_empty() {
            for _ in 0..n {
                let a = dpms[next(dpms.len())];
                let b = ids[next(ids.len())];
                t.connect(crate::model::Protection::new(a, b));
            }
        }
        t
    }

    fn inside(p: Point, r: &crate::geometry::SiteRegion) -> bool {
        p.x + NODE_W / 2.0 > r.x
            && p.x - NODE_W / 2.0 < r.x + r.w
            && p.y + NODE_H / 2.0 > r.y
            && p.y - NODE_H / 2.0 < r.y + r.h
    }

    #[test]
    fn sites_keep_together_and_apart() {
        for seed in 0..120 {
            let t = estate(seed, 3 + (seed as usize % 40));
            assert!(!overlaps(&t), "seed {seed}");
            let at: HashMap<ServerId, Point> = layout(&t).into_iter().collect();
            assert_eq!(layout(&t), layout(&t));
            let regions = crate::geometry::site_regions(&t, &|id| at.get(&id).copied());
            for (a, ra) in regions.iter().enumerate() {
                assert!(ra.x >= 0.0 && ra.y >= 0.0, "seed {seed}: {ra:?}");
                for rb in &regions[a + 1..] {
                    let apart = ra.x + ra.w <= rb.x
                        || rb.x + rb.w <= ra.x
                        || ra.y + ra.h <= rb.y
                        || rb.y + rb.h <= ra.y;
                    assert!(apart, "seed {seed}: {ra:?} meets {rb:?}");
                }
                for s in &t.servers {
                    if !ra.servers.contains(&s.id) {
                        assert!(
                            !inside(at[&s.id], ra),
                            "seed {seed}: {} in {}",
                            s.name,
                            ra.name
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn a_guest_sits_next_to_its_host() {
        let mut t = Topology::new();
        let hv = t.add_server("HV1", Kind::Protected);
        for name in ["APP1", "FS1", "ZED1"] {
            t.add_server(name, Kind::Protected);
        }
        let vm = t.add_server("VM1", Kind::Protected);
        t.server_mut(vm).unwrap().host = Some(hv);
        let p: HashMap<ServerId, Point> = layout(&t).into_iter().collect();
        assert!(((p[&vm].x - p[&hv].x).abs() - (NODE_W + GAP_X)).abs() < 1.0);
    }

    #[test]
    fn sites_stand_side_by_side_on_common_layers() {
        let mut t = Topology::new();
        let d1 = t.add_server("DPM1", Kind::Dpm);
        let p1 = t.add_server("PS1", Kind::Protected);
        let d2 = t.add_server("DPM2", Kind::Dpm);
        let p2 = t.add_server("PS2", Kind::Protected);
        for (id, site) in [(d1, "London"), (p1, "London"), (d2, "Paris"), (p2, "Paris")] {
            t.server_mut(id).unwrap().site = Some(site.into());
        }
        t.connect(crate::model::Protection::new(d1, p1));
        t.connect(crate::model::Protection::new(d2, p2));
        t.connect(crate::model::Protection::new(d2, d1));
        let p: HashMap<ServerId, Point> = layout(&t).into_iter().collect();
        assert_eq!(p[&p1].y, p[&p2].y);
        assert!(p[&d2].y < p[&d1].y);
        // London (natural order first) on the left.
        assert!(p[&d1].x.max(p[&p1].x) + NODE_W + SITE_GAP <= p[&d2].x.min(p[&p2].x) + 1.0);
    }
}
