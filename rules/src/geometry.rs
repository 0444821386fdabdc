//! Where arrows go: shared by the app's canvas and the SVG export, so both
//! draw the same picture.

use crate::layout::{positions, NODE_H, NODE_W};
use crate::model::{Link, Point, ServerId, Topology};
use crate::route::{route, Limit, Obstacles};

/// An arrow from protector to target.
#[derive(Clone, Debug, PartialEq)]
pub struct Arrow {
    /// SVG path data.
    pub d: String,
    /// Where the arrow leaves the protector and reaches the target.
    pub start: Point,
    pub end: Point,
    /// The middle of the path, for a badge.
    pub mid: Point,
    /// The path as drawn, as a polyline (curves sampled), from `start` to
    /// `end`: what it passes over.
    pub trace: Vec<Point>,
}

/// Where the segment from the centre of a node `half` wide on each side
/// towards `toward` leaves it.
fn exit(center: Point, toward: Point, half: f64) -> Point {
    let (dx, dy) = (toward.x - center.x, toward.y - center.y);
    if dx == 0.0 && dy == 0.0 {
        return center;
    }
    let hw = half + 4.0;
    let hh = NODE_H / 2.0 + 4.0;
    let sx = if dx != 0.0 {
        hw / dx.abs()
    } else {
        f64::INFINITY
    };
    let sy = if dy != 0.0 {
        hh / dy.abs()
    } else {
        f64::INFINITY
    };
    let s = sx.min(sy);
    Point {
        x: center.x + dx * s,
        y: center.y + dy * s,
    }
}

fn r(v: f64) -> f64 {
    (v * 10.0).round() / 10.0
}

/// A number for SVG and CSS, to one decimal, without trailing ".0".
///
/// Formatting goes through integers on purpose: Rust's float formatting
/// adds some 20 KB to the app's wasm, and one decimal is all a drawing needs.
pub fn num(v: f64) -> String {
    fixed(v, 1)
}

/// `v` with at most `decimals` decimals (up to 6), trailing zeros dropped.
pub fn fixed(v: f64, decimals: u32) -> String {
    if !v.is_finite() {
        return "0".to_string();
    }
    let decimals = decimals.min(6);
    let scale = 10i64.pow(decimals);
    let scaled = (v * scale as f64).round() as i64;
    let (sign, a) = if scaled < 0 {
        ("-", -scaled)
    } else {
        ("", scaled)
    };
    let (int, frac) = (a / scale, a % scale);
    if frac == 0 {
        return format!("{sign}{int}");
    }
    let mut digits = format!("{frac:0width$}", width = decimals as usize);
    while digits.ends_with('0') {
        digits.pop();
    }
    format!("{sign}{int}.{digits}")
}

/// The arrow between two node centres, both boxes [`NODE_W`] wide. `bend`
/// curves it sideways (used for the two arrows of cyclic protection, so
/// both show); 0 is straight.
pub fn arrow(from: Point, to: Point, bend: f64) -> Arrow {
    arrow_sized(from, to, bend, (NODE_W / 2.0, NODE_W / 2.0))
}

/// [`arrow`] between boxes of the given half widths (from, to): a server's
/// box grows with its name ([`crate::fit::box_width`]), and the arrow
/// leaves and reaches each at its border.
pub fn arrow_sized(from: Point, to: Point, bend: f64, half: (f64, f64)) -> Arrow {
    if from == to {
        return self_loop(from, half.0);
    }
    let (dx, dy) = (to.x - from.x, to.y - from.y);
    let len = (dx * dx + dy * dy).sqrt().max(1e-9);
    // Unit normal, pointing left of the direction of travel.
    let (nx, ny) = (-dy / len, dx / len);
    let ctrl = Point {
        x: (from.x + to.x) / 2.0 + nx * bend,
        y: (from.y + to.y) / 2.0 + ny * bend,
    };
    let start = exit(from, if bend == 0.0 { to } else { ctrl }, half.0);
    let end = exit(to, if bend == 0.0 { from } else { ctrl }, half.1);
    let d = if bend == 0.0 {
        format!(
            "M{} {} L{} {}",
            num(start.x),
            num(start.y),
            num(end.x),
            num(end.y)
        )
    } else {
        format!(
            "M{} {} Q{} {} {} {}",
            num(start.x),
            num(start.y),
            num(ctrl.x),
            num(ctrl.y),
            num(end.x),
            num(end.y)
        )
    };
    // Midpoint of the quadratic at t = 0.5.
    let mid = Point {
        x: r(0.25 * start.x + 0.5 * ctrl.x + 0.25 * end.x),
        y: r(0.25 * start.y + 0.5 * ctrl.y + 0.25 * end.y),
    };
    let trace = if bend == 0.0 {
        vec![start, end]
    } else {
        (0..=24)
            .map(|i| {
                let t = i as f64 / 24.0;
                let u = 1.0 - t;
                Point {
                    x: u * u * start.x + 2.0 * u * t * ctrl.x + t * t * end.x,
                    y: u * u * start.y + 2.0 * u * t * ctrl.y + t * t * end.y,
                }
            })
            .collect()
    };
    Arrow {
        d,
        start,
        end,
        mid,
        trace,
    }
}

/// Self-protection: a loop over the top right corner of the node at `c`,
/// `half` wide on each side.
fn self_loop(c: Point, half: f64) -> Arrow {
    let start = Point {
        x: c.x + half - 26.0,
        y: c.y - NODE_H / 2.0 - 2.0,
    };
    let end = Point {
        x: c.x + half + 2.0,
        y: c.y - NODE_H / 2.0 + 18.0,
    };
    let d = format!(
        "M{} {} C{} {} {} {} {} {}",
        num(start.x),
        num(start.y),
        num(start.x + 4.0),
        num(start.y - 40.0),
        num(end.x + 40.0),
        num(end.y - 4.0),
        num(end.x),
        num(end.y)
    );
    Arrow {
        d,
        start,
        end,
        mid: Point {
            x: r(c.x + half + 14.0),
            y: r(c.y - NODE_H / 2.0 - 14.0),
        },
        // It leaves and comes back to its own box's corner: what it passes
        // near (for an editor routing again what a change touches).
        trace: vec![
            start,
            Point {
                x: c.x + half + 14.0,
                y: c.y - NODE_H / 2.0 - 14.0,
            },
            end,
        ],
    }
}

/// How far to bend an arrow: cyclic pairs bend apart, arrows between nodes on
/// one row bend upward so they don't run through the nodes between them.
pub fn bend_for(from: Point, to: Point, has_reverse: bool) -> f64 {
    bend_between(from, to, has_reverse, (NODE_W / 2.0, NODE_W / 2.0))
}

/// [`bend_for`] between boxes of the given half widths (from, to): on a
/// row, an arrow bends when more than 0.6 of a box's width lies between
/// the two boxes' borders (room for another box), not by how far apart
/// their centres are, so that neighbours grown for their names keep a
/// straight arrow.
pub fn bend_between(from: Point, to: Point, has_reverse: bool, half: (f64, f64)) -> f64 {
    if has_reverse {
        return 22.0;
    }
    let between = (from.x - to.x).abs() - half.0 - half.1;
    if (from.y - to.y).abs() < 1.0 && between > NODE_W * 0.6 {
        return if from.x < to.x { -40.0 } else { 40.0 };
    }
    0.0
}

/// Every arrow that passes over a server it does not connect, as drawn
/// (the app and the SVG export draw the same routed paths, see
/// [`crate::route`]): (protection, server). A readable drawing has none;
/// only a server walled in by others leaves an arrow no way around.
pub fn arrows_under_servers(t: &Topology) -> Vec<(Link, ServerId)> {
    under_servers(t, true)
}

/// Every protection whose plain arrow (straight, or bent as [`bend_for`]
/// bends it) would pass over a server it does not connect: what a layout
/// leaves for routing to go around. Auto-layout leaves none.
pub fn layout_crossings(t: &Topology) -> Vec<(Link, ServerId)> {
    under_servers(t, false)
}

fn under_servers(t: &Topology, routed: bool) -> Vec<(Link, ServerId)> {
    let at = positions(t);
    let obstacles = Obstacles::at(t, &at);
    let limit = Limit::for_drawing(t.servers.len());
    let links: crate::hash::HashSet<Link> = t.protections.iter().map(|p| p.link()).collect();
    let mut out = Vec::new();
    for p in &t.protections {
        let (Some(&a), Some(&b)) = (at.get(&p.protector), at.get(&p.target)) else {
            continue;
        };
        let reverse = links.contains(&Link {
            protector: p.target,
            target: p.protector,
        });
        let g = if routed {
            route((p.protector, a), (p.target, b), reverse, &obstacles, limit)
        } else {
            let half = (obstacles.half_w(p.protector), obstacles.half_w(p.target));
            arrow_sized(a, b, bend_for(a, b, reverse), half)
        };
        // Grazing a corner is not passing over: test a box 2 units smaller.
        let mut under = Vec::new();
        for w in g.trace.windows(2) {
            obstacles.crossed(
                w[0],
                w[1],
                &[p.protector, p.target],
                (-2.0, usize::MAX),
                &mut under,
            );
        }
        crate::sort::sort_by(&mut under, &|a, b| a.0.cmp(&b.0));
        out.extend(under.into_iter().map(|(id, _)| (p.link(), id)));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arrows_end_at_node_borders() {
        let a = arrow(Point { x: 0.0, y: 0.0 }, Point { x: 0.0, y: 200.0 }, 0.0);
        assert_eq!(
            a.start,
            Point {
                x: 0.0,
                y: NODE_H / 2.0 + 4.0
            }
        );
        assert_eq!(
            a.end,
            Point {
                x: 0.0,
                y: 200.0 - NODE_H / 2.0 - 4.0
            }
        );
        assert_eq!(a.d, "M0 32 L0 168");
    }

    #[test]
    fn numbers_have_one_decimal_at_most() {
        assert_eq!(num(12.0), "12");
        assert_eq!(num(-0.04), "0");
        assert_eq!(num(-3.25), "-3.3");
        assert_eq!(num(1.05e3), "1050");
        assert_eq!(num(f64::NAN), "0");
        assert_eq!(fixed(1.2345, 3), "1.235");
        assert_eq!(fixed(0.05, 3), "0.05");
    }

    #[test]
    fn cyclic_arrows_do_not_coincide() {
        let p = Point { x: 0.0, y: 0.0 };
        let q = Point { x: 300.0, y: 0.0 };
        let there = arrow(p, q, bend_for(p, q, true));
        let back = arrow(q, p, bend_for(q, p, true));
        assert!((there.mid.y - back.mid.y).abs() > 10.0);
    }
}

/// A site drawn as a labelled region behind its servers.
#[derive(Clone, Debug, PartialEq)]
pub struct SiteRegion {
    /// The site's name as first written.
    pub name: String,
    /// Top-left corner and size, in canvas units; the label sits inside
    /// the top edge ([`SITE_LABEL_H`] high).
    pub x: f64,
    pub y: f64,
    pub w: f64,
    pub h: f64,
    /// The servers of the site.
    pub servers: Vec<ServerId>,
}

/// Padding around a site's servers, and the height of its label strip.
pub const SITE_PAD: f64 = 18.0;
pub const SITE_LABEL_H: f64 = 22.0;

/// The region of every site: the box around its servers (as drawn, at
/// `pos`), padded, with room for the label above them. In natural order
/// of the sites' names; shared by the app's canvas and the SVG export.
pub fn site_regions(t: &Topology, pos: &dyn Fn(ServerId) -> Option<Point>) -> Vec<SiteRegion> {
    crate::estate::site_groups(t)
        .into_iter()
        .filter_map(|(name, servers)| {
            let mut b: Option<(f64, f64, f64, f64)> = None;
            for (&id, p) in servers.iter().filter_map(|id| Some((id, pos(*id)?))) {
                let hw = crate::fit::box_width(t.name(id)) / 2.0;
                let (x0, y0) = (p.x - hw, p.y - NODE_H / 2.0);
                let (x1, y1) = (p.x + hw, p.y + NODE_H / 2.0);
                b = Some(match b {
                    None => (x0, y0, x1, y1),
                    Some((a, c, d, e)) => (a.min(x0), c.min(y0), d.max(x1), e.max(y1)),
                });
            }
            let (x0, y0, x1, y1) = b?;
            Some(SiteRegion {
                name,
                x: r(x0 - SITE_PAD),
                y: r(y0 - SITE_PAD - SITE_LABEL_H),
                w: r(x1 - x0 + 2.0 * SITE_PAD),
                h: r(y1 - y0 + 2.0 * SITE_PAD + SITE_LABEL_H),
                servers,
            })
        })
        .collect()
}
