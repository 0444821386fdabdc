//! What the canvas draws. In a large drawing only what is in view, with a
//! margin of a quarter of a screen around it, never less than what a
//! server draws beyond its centre (and the last selected, up to
//! `ground::NODES_SELECTED`, the rest of the last `MOST_SELECTED` written
//! as hooks, and whatever is being connected or has the keyboard focus,
//! wherever it is), so that a
//! move costs the same in an estate of 10,000 as in one of 100: xyflow's
//! `useVisibleNodeIds`, tldraw's `notVisibleShapes`. The view is rounded
//! out to a grid of quarter screens, so panning redraws nothing until it
//! crosses a cell. (A margin of a whole screen drew 9 to 16 screens of
//! servers, some 300 at 100 % in a dense estate, each of them redrawn by a
//! change of mode: entering the simulator took 100 ms at 10,000 servers, 60
//! ms with half a screen. Half a screen in cells of half a screen still
//! drew 4 to 6 screens: 174 servers and 710 arrows for 29 servers on
//! screen; a quarter draws 78 and 400, and every frame that shows an edit
//! lays out, paints and rasterises half as much, while panning costs the
//! same: a cell crossed twice as often draws half as much.) Arrows: those
//! with an end in that area, and long ones crossing it; close in on an
//! estate over `CROSSING_PAINTED_OVER` servers, only those with an end in
//! it (the others crossing it are painted, `ground.rs`).

use crate::canvas::layer::last_selected;
use crate::canvas::pointer::Pointer;
use crate::canvas::state::DRAW_ALL_UP_TO;
use crate::ctx::Ctx;
use crate::state::derived::CROSSING_PAINTED_OVER;

use dpm_rules::hash::{HashMap, HashSet};

use dpm_rules::{Link, Point, ServerId, Topology};
use leptos::prelude::*;

/// The servers and links drawn, each a memo.
#[derive(Clone, Copy)]
pub struct Visible {
    /// The servers drawn on the canvas (not those being dragged).
    pub servers: Memo<Vec<ServerId>>,
    /// The protections drawn on the canvas (not those being dragged).
    pub links: Memo<Vec<Link>>,
    /// The protections at a dragged server (none of them drawn on the
    /// canvas while it is dragged).
    pub drag_links: Memo<Vec<Link>>,
    /// The dragged servers made nodes on the drag layer ([`dragged`]).
    pub dragged: Memo<Vec<ServerId>>,
    /// The protections drawn as arrows on the drag layer ([`drag_arrows`]).
    pub drag_arrows: Memo<Vec<Link>>,
    /// Zoomed out (below `FAR_BELOW`) on more than [`DRAW_ALL_UP_TO`]
    /// servers: a drag makes nodes only of the dragged servers the far
    /// view keeps ([`crate::canvas::ground::kept`]), and moves the others
    /// as one piece (`ground::drag_hooks`). A drag of all 1,000 servers of
    /// a fitted estate made 1,000 nodes: 0.25 s at its first move and 68 ms
    /// at each after it.
    pub moved_as_one: Memo<bool>,
    /// Virtual machines to their hosts, DPM servers to the server holding
    /// their database: (from, to, is the database), for the servers drawn
    /// and those crossing the area around the view.
    pub estate_links: Memo<Vec<(ServerId, ServerId, bool)>>,
    /// The area drawn, in the drawing's units (x0, y0, x1, y1): the view
    /// and a margin, rounded out to cells (`MARGIN`).
    pub area: Memo<Area>,
}

/// A box of the drawing, in its units: (x0, y0, x1, y1).
pub type Area = crate::canvas::layer::View;

fn in_area(p: Point, (x0, y0, x1, y1): Area) -> bool {
    p.x >= x0 && p.x <= x1 && p.y >= y0 && p.y <= y1
}

/// Whether the straight line from `u` to `v` crosses `area` (not only its
/// corner's box: in a generated estate of 10,000, a quarter of the arrows
/// whose box meets the view pass beside it). False when either end has no
/// place.
fn crosses_area(u: Option<Point>, v: Option<Point>, (x0, y0, x1, y1): Area) -> bool {
    let (Some(u), Some(v)) = (u, v) else {
        return false;
    };
    let centre = Point {
        x: (x0 + x1) / 2.0,
        y: (y0 + y1) / 2.0,
    };
    dpm_rules::segment_hits_box(u, v, centre, (x1 - x0) / 2.0, (y1 - y0) / 2.0)
}

impl Visible {
    /// `ground`: the far view is painted (`canvas::ground`), and only the
    /// servers it keeps are nodes, with their protections.
    /// `p`: the pointer, with what it drags (`dragging`, from `drag_from`
    /// by `shift`) and the servers it `raised` (drawn over the others, the
    /// last over all).
    /// `far`: zoomed out below `FAR_BELOW`.
    pub fn new(c: Ctx, p: Pointer, (ground, far): (Memo<bool>, Memo<bool>)) -> Visible {
        let (dragging, raised) = (p.dragging, p.raised);
        let area = area(c, MARGIN);
        let servers = raised_last(servers(c, area, dragging, ground), raised);
        let drag_links = drag_links(c, dragging);
        let moved_as_one = crate::browser::memo(move |_| {
            far.get() && c.ed.shown.with(|t| t.servers.len() > DRAW_ALL_UP_TO)
        });
        let dragged = dragged(c, (area, moved_as_one), p);
        Visible {
            servers,
            links: links(c, (area, ground), servers, drag_links),
            drag_links,
            dragged,
            drag_arrows: drag_arrows(c, (area, moved_as_one), (p, dragged), drag_links),
            estate_links: estate_links(c, (area, ground), servers),
            area,
            moved_as_one,
        }
    }
}

/// How far around the view a large drawing is drawn, in screens (and the
/// side of the cells the area is rounded out to).
const MARGIN: f64 = 0.25;

/// The least margin and cell, in canvas units: the farthest a server draws
/// from its centre (half the widest box, 112, and its badge beside it; its
/// Copies card, down to 134 below it), so that a server outside the area
/// has nothing in view, however far in one zooms or however small the
/// canvas.
const MARGIN_LEAST: f64 = 160.0;

/// The part of the drawing in view and `margin` screens around it (at
/// least [`MARGIN_LEAST`]), rounded out to cells of `margin` screens (at
/// least as much).
fn area(c: Ctx, margin: f64) -> Memo<Area> {
    let ed = c.ed;
    crate::browser::memo(move |_| {
        let c = ed.camera.get();
        let (w, h) = ed.viewport.get();
        let k = c.k.max(1e-3);
        let (mx, my) = (
            (margin * w / k).max(MARGIN_LEAST),
            (margin * h / k).max(MARGIN_LEAST),
        );
        let cell = (w.max(h).max(1.0) / k * margin).max(MARGIN_LEAST);
        let (a, b) = (c.to_canvas(0.0, 0.0), c.to_canvas(w, h));
        let (down, up) = (
            |v: f64| (v / cell).floor() * cell,
            |v: f64| (v / cell).ceil() * cell,
        );
        (down(a.x - mx), down(a.y - my), up(b.x + mx), up(b.y + my))
    })
}

fn servers(
    c: Ctx,
    area: Memo<Area>,
    dragging: RwSignal<Vec<ServerId>>,
    ground: Memo<bool>,
) -> Memo<Vec<ServerId>> {
    let (ed, cn) = (c.ed, c.cn);
    crate::browser::memo(move |_| {
        let moving: HashSet<ServerId> = dragging.with(|d| d.iter().copied().collect());
        ed.shown.with(|t| {
            if ground.get() {
                let mut keep = crate::canvas::ground::kept(c, t);
                keep.retain(|id| !moving.contains(id));
                return keep;
            }
            let all = t.servers.len() <= DRAW_ALL_UP_TO;
            let a = area.get();
            // The last selected, as many as the far view keeps as nodes
            // (the rest of the last `MOST_SELECTED` are hooks:
            // `ground::selection_hooks`): Ctrl+A in an estate of 10,000
            // selects them all, and made every one a node (the drop of a
            // drag of them all made them again: 5.6 s at 100 %), then the
            // last 200 (Ctrl+A at 100 %: 127 ms at 1,000 servers, 164 ms at
            // 10,000, and as long again at the drop of a drag).
            let keep: HashSet<ServerId> = if all {
                HashSet::default()
            } else {
                last_selected(ed.selection, crate::canvas::ground::NODES_SELECTED)
            };
            let from = cn.from.get();
            // The node with the keyboard focus (or last with it): zoomed or
            // panned off, a node made no more would drop the focus.
            let focus = c.tip.focus.get();
            t.servers
                .iter()
                .filter(|s| {
                    !moving.contains(&s.id)
                        && (all
                            || s.pos.is_some_and(|p| in_area(p, a))
                            || keep.contains(&s.id)
                            || from == Some(s.id)
                            || focus == Some(s.id))
                })
                .map(|s| s.id)
                .collect::<Vec<_>>()
        })
    })
}

/// `servers` in the drawing's order but for those `raised`, last and in
/// its order: a node drawn later is drawn over the earlier ones. (A server
/// is raised at its drop, when its node comes back from the drag layer: no
/// node already drawn moves.)
fn raised_last(
    servers: Memo<Vec<ServerId>>,
    raised: RwSignal<Vec<ServerId>>,
) -> Memo<Vec<ServerId>> {
    crate::browser::memo(move |_| {
        let out = servers.get();
        raised.with(|r| {
            if r.is_empty() {
                return out;
            }
            let rank: HashMap<ServerId, usize> =
                r.iter().enumerate().map(|(i, id)| (*id, i)).collect();
            let (mut low, mut high): (Vec<ServerId>, Vec<ServerId>) =
                out.into_iter().partition(|id| !rank.contains_key(id));
            dpm_rules::sort_by(&mut high, &|a, b| rank.get(a).cmp(&rank.get(b)));
            low.extend(high);
            low
        })
    })
}

fn drag_links(c: Ctx, dragging: RwSignal<Vec<ServerId>>) -> Memo<Vec<Link>> {
    let ed = c.ed;
    crate::browser::memo(move |_| {
        let moving: HashSet<ServerId> = dragging.with(|d| d.iter().copied().collect());
        if moving.is_empty() {
            return Vec::new();
        }
        ed.shown.with(|t| {
            t.protections
                .iter()
                .filter(|p| moving.contains(&p.protector) || moving.contains(&p.target))
                .map(|p| p.link())
                .collect::<Vec<_>>()
        })
    })
}

/// The dragged servers made nodes on the drag layer: every one in a small
/// drawing; zoomed out on a larger one (`as_one`), those the far view keeps as
/// nodes ([`crate::canvas::ground::kept`]: the last selected, the one with
/// the keys; the rest are written as hooks moved as one piece,
/// `ground::drag_hooks`); else those whose place when the drag began
/// (`drag_from`), moved by the drag (`shift`), is in the area drawn (the
/// rest are off screen). A drag of all 10,000 servers of an estate made
/// 10,000 nodes and their 10,000 arrows on its first move: 1.5 s fitted,
/// 6.5 s at 100 %, and as long again to take them down at the drop
/// (`e2e/probes/edits.mjs --only drag-all`).
fn dragged(c: Ctx, (area, as_one): (Memo<Area>, Memo<bool>), p: Pointer) -> Memo<Vec<ServerId>> {
    let ed = c.ed;
    crate::browser::memo(move |_| {
        p.dragging.with(|d| {
            if d.is_empty() {
                return Vec::new();
            }
            let many = ed.shown.with(|t| {
                if as_one.get() {
                    let keep: HashSet<ServerId> =
                        crate::canvas::ground::kept(c, t).into_iter().collect();
                    return Some(d.iter().filter(|id| keep.contains(id)).copied().collect());
                }
                (t.servers.len() <= DRAW_ALL_UP_TO).then(|| d.clone())
            });
            if let Some(all) = many {
                return all;
            }
            let (a, s) = (area.get(), p.shift.get());
            p.drag_from.with_value(|from| {
                from.iter()
                    .filter(|(_, at)| {
                        let at = Point {
                            x: at.x + s.x,
                            y: at.y + s.y,
                        };
                        in_area(at, a)
                    })
                    .map(|(id, _)| *id)
                    .collect()
            })
        })
    })
}

/// The protections at dragged servers drawn as arrows on the drag layer:
/// those at a dragged server made a node, those from or to a server not
/// dragged (they stretch; close in, those whose end not dragged is in the
/// area drawn), and close in, those whose line crossed the area when the
/// drag began. Zoomed out (`as_one`), those between two dragged servers not
/// made nodes are in the piece moved as one; close in, those
/// with both ends off the area and a line that missed it when the drag
/// began are not drawn until the drop.
fn drag_arrows(
    c: Ctx,
    (area, as_one): (Memo<Area>, Memo<bool>),
    (p, dragged): (Pointer, Memo<Vec<ServerId>>),
    drag_links: Memo<Vec<Link>>,
) -> Memo<Vec<Link>> {
    let ed = c.ed;
    crate::browser::memo(move |_| {
        let moving: HashSet<ServerId> = p.dragging.with(|d| d.iter().copied().collect());
        let nodes: HashSet<ServerId> = dragged.with(|d| d.iter().copied().collect());
        let (far, a) = (as_one.get(), area.get());
        ed.shown.with(|t| {
            let at = |id: ServerId| t.server(id).and_then(|s| s.pos);
            let still_near = |id: ServerId| {
                !moving.contains(&id) && (far || at(id).is_some_and(|p| in_area(p, a)))
            };
            drag_links.with(|l| {
                l.iter()
                    .filter(|l| {
                        nodes.contains(&l.protector)
                            || nodes.contains(&l.target)
                            || still_near(l.protector)
                            || still_near(l.target)
                            || (!far && crosses_area(at(l.protector), at(l.target), a))
                    })
                    .copied()
                    .collect()
            })
        })
    })
}

/// The protection selected (from the table, say) with those it shows.
fn picked(c: Ctx) -> HashSet<Link> {
    let sel = c.ed.selected_link.get();
    let mut picked: HashSet<Link> = c.ed.also_links.with(|a| {
        let also = !a.is_empty() && a.first() == sel.as_ref();
        a.iter().filter(|_| also).copied().collect()
    });
    picked.extend(sel);
    picked
}

/// The protections drawn as arrows. In a large estate close in, only
/// those with an end in the area drawn (a quarter screen around the view), at
/// one of the last `NODES_SELECTED` selected, or picked: the long ones
/// passing through are painted
/// under the drawing (`ground.rs`), where 5,000 arrows across the view of
/// a generated estate of 10,000 made every click lay out, paint and
/// hit-test 30,000 SVG elements.
fn links(
    c: Ctx,
    (area, ground): (Memo<Area>, Memo<bool>),
    servers: Memo<Vec<ServerId>>,
    drag_links: Memo<Vec<Link>>,
) -> Memo<Vec<Link>> {
    let ed = c.ed;
    crate::browser::memo(move |_| {
        let moving: HashSet<Link> = drag_links.with(|d| d.iter().copied().collect());
        ed.shown.with(|t| {
            if t.servers.len() > CROSSING_PAINTED_OVER && !ground.get() {
                return near_links(c, t, area.get(), &moving);
            }
            if ground.get() {
                // The protections of the servers kept as nodes, and the
                // one selected (from the table, say) with those it shows.
                let drawn: HashSet<ServerId> = servers.with(|d| d.iter().copied().collect());
                let picked = picked(c);
                // Nothing kept as a node and nothing picked (after a
                // delete, say): no arrow, without a look at 10,000
                // protections.
                if drawn.is_empty() && picked.is_empty() {
                    return Vec::new();
                }
                return t
                    .protections
                    .iter()
                    .map(|p| p.link())
                    .filter(|l| {
                        !moving.contains(l)
                            && (drawn.contains(&l.protector)
                                || drawn.contains(&l.target)
                                || picked.contains(l))
                    })
                    .collect();
            }
            if t.servers.len() <= DRAW_ALL_UP_TO {
                return t
                    .protections
                    .iter()
                    .map(|p| p.link())
                    .filter(|l| !moving.contains(l))
                    .collect::<Vec<_>>();
            }
            let a = area.get();
            let drawn: HashSet<ServerId> = servers.with(|d| d.iter().copied().collect());
            t.protections
                .iter()
                .filter(|p| {
                    if moving.contains(&p.link()) {
                        return false;
                    }
                    if drawn.contains(&p.protector) || drawn.contains(&p.target) {
                        return true;
                    }
                    // A long arrow across the view, both ends out of it.
                    let at = |id| t.server(id).and_then(|s| s.pos);
                    crosses_area(at(p.protector), at(p.target), a)
                })
                .map(|p| p.link())
                .collect()
        })
    })
}

/// The arrows of a large estate close in: see [`links`].
fn near_links(c: Ctx, t: &Topology, near: Area, moving: &HashSet<Link>) -> Vec<Link> {
    let picked = picked(c);
    // The last selected, as many as are made nodes (Ctrl+A selects
    // 10,000): the protections of the others with an end near the view are
    // arrows, and those passing through it painted, as any.
    let sel = last_selected(c.ed.selection, crate::canvas::ground::NODES_SELECTED);
    let from = c.cn.from.get();
    let held = |id: ServerId| sel.contains(&id) || from == Some(id);
    let close = |id: ServerId| {
        t.server(id)
            .and_then(|s| s.pos)
            .is_some_and(|p| in_area(p, near))
    };
    t.protections
        .iter()
        .map(|p| p.link())
        .filter(|l| {
            !moving.contains(l)
                && (picked.contains(l)
                    || held(l.protector)
                    || held(l.target)
                    || close(l.protector)
                    || close(l.target))
        })
        .collect()
}

/// The estate's lines drawn: every one in a small drawing; else those with
/// an end drawn and, up to [`CROSSING_PAINTED_OVER`] servers, those
/// crossing the area with both ends out of it,
/// as long protections are there (a database on a server at the other end
/// of the drawing still shows its line across the view). Above that,
/// crossing protections are painted, not made as nodes, and crossing
/// estate lines are left out with them. None when the far view is painted
/// (`ground`): zoomed out, the stylesheet hides them all.
/// The database line's bend (21 units off the straight line at most) and
/// its label (some 40 units either side of the curve's middle) stay well
/// within the area's margin of at least [`MARGIN_LEAST`] around the view,
/// so the straight line decides.
fn estate_links(
    c: Ctx,
    (area, ground): (Memo<Area>, Memo<bool>),
    servers: Memo<Vec<ServerId>>,
) -> Memo<Vec<(ServerId, ServerId, bool)>> {
    let ed = c.ed;
    crate::browser::memo(move |_| {
        // Zoomed out the stylesheet hides every estate line.
        if ground.get() {
            return Vec::new();
        }
        ed.shown.with(|t| {
            let all = t.servers.len() <= DRAW_ALL_UP_TO;
            let drawn: HashSet<ServerId> = if all {
                HashSet::default()
            } else {
                servers.with(|d| d.iter().copied().collect())
            };
            // The area, for lines across it (none in a drawing whose
            // crossing lines are painted, `ground.rs`).
            let across = (!all && t.servers.len() <= CROSSING_PAINTED_OVER).then(|| area.get());
            let mut out = Vec::new();
            for s in &t.servers {
                let db = s.database.filter(|_| s.is_dpm());
                for (other, is_db) in [(s.host, false), (db, true)] {
                    let Some(o) = other.filter(|&o| o != s.id) else {
                        continue;
                    };
                    let Some(to) = t.server(o) else { continue };
                    let crosses = || across.is_some_and(|a| crosses_area(s.pos, to.pos, a));
                    if all || drawn.contains(&s.id) || drawn.contains(&o) || crosses() {
                        out.push((s.id, o, is_db));
                    }
                }
            }
            out
        })
    })
}
