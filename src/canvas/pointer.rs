//! The canvas's pointer gestures: pan, pinch, wheel zoom, move servers,
//! draw a protection from a DPM server's handle, box select, place the
//! server the palette armed, drop a file. What xyflow calls `XYDrag` and
//! `XYPanZoom`, in Rust: each transition is a plain function of the
//! context, the canvas's [`Pointer`] and the event, so that the canvas and
//! each node call it directly. Where only the arithmetic is pure, only the
//! arithmetic is taken out (the free functions at the end, tested in
//! `tests/web.rs`).

use crate::canvas::state::{rename_in_place, toggle_selected};
use crate::ctx::Ctx;
use crate::state::derived::{CROSSING_PAINTED_OVER, FAR_BELOW};
use crate::state::editor::Camera;
use crate::state::editor::Mode;

use dpm_rules::hash::HashSet;
use dpm_rules::{Link, Point, ServerId};
use leptos::prelude::*;

/// The gesture under way, from the press that started it to the release.
enum Gesture {
    None,
    Pan {
        sx: f64,
        sy: f64,
        cam: Camera,
    },
    Move {
        start: Point,
        from: Vec<(ServerId, Point)>,
        moved: bool,
    },
    Connect,
    Box {
        start: Point,
        /// The painted server a Shift-press in the far view was on: a
        /// release where it began adds it to the selection or takes it
        /// out, as a Shift-click; a drag draws the box (servers there are
        /// a pixel or two apart, and a box could hardly start between
        /// them).
        on: Option<ServerId>,
    },
    Pinch {
        dist: f64,
        cam: Camera,
    },
}

/// How far (screen pixels, each way) a Shift-press on a painted server
/// may move and still be a Shift-click on it, not a box.
const CLICK_PX: f64 = 4.0;

/// The canvas's pointer state: handles only, so it is `Copy` and every
/// node can start a gesture with it.
#[derive(Clone, Copy)]
pub struct Pointer {
    gesture: StoredValue<Gesture, LocalStorage>,
    /// The pointers down: (id, screen x, screen y), for a pinch.
    touches: StoredValue<Vec<(i32, f64, f64)>>,
    /// The canvas's place on screen, taken when a gesture starts: asking the
    /// browser on every move would force a layout of the whole drawing.
    origin: StoredValue<(f64, f64)>,
    /// The selection box being drawn (Shift and drag), canvas units.
    pub box_rect: RwSignal<Option<(Point, Point)>>,
    /// The servers being dragged, drawn (those near the view, or zoomed out
    /// a few as nodes and the rest as one piece of markup) with their
    /// arrows on layers of their own over the drawing: a move then repaints
    /// those layers only, not the thousands of shapes under them
    /// (`canvas::drag_layers`).
    pub dragging: RwSignal<Vec<ServerId>>,
    /// Where the servers `dragging` were when the drag began (empty when
    /// no drag is under way).
    pub drag_from: StoredValue<Vec<(ServerId, Point)>>,
    /// How far the drag has moved them (the server pressed to the grid
    /// when snapping, the rest as far), in the drawing's units: what the
    /// dragged servers written as one piece of markup are moved by
    /// (`ground::drag_hooks`).
    pub shift: RwSignal<Point>,
    /// The servers dropped by a drag, the last dropped last: drawn over
    /// the others (in the drawing's order, a server dropped onto another
    /// could be hidden under it), for as long as the canvas lives.
    /// Emptied when another drawing is opened; [`MOST_RAISED`] at most.
    pub raised: RwSignal<Vec<ServerId>>,
    /// The far view is painted (`ground.rs`): a press is hit-tested by
    /// coordinates, not given by a node.
    ground: Memo<bool>,
    /// The last hit test of the painted far view, with what it was worked
    /// out from ([`HitAt`]).
    hit: StoredValue<Option<(HitAt, Option<ServerId>)>>,
}

/// What a hit test of the painted far view depends on: the screen point,
/// the camera, the drawing shown and the positions (their counts of
/// changes). A click is a move, a press and a release at one point, each
/// asking which server is there: at 10,000 servers each asking walked
/// them all (1-2 ms), now the press and the release take the move's
/// answer.
#[derive(Clone, Copy, PartialEq)]
struct HitAt {
    at: (f64, f64),
    camera: Camera,
    drawing: u64,
    positions: u32,
}

/// The most servers [`Pointer::raised`] keeps over the others.
pub const MOST_RAISED: usize = 200;

impl Pointer {
    /// Empties [`Pointer::raised`] whenever another drawing is opened:
    /// nothing of it was dropped yet. For the canvas's life.
    pub fn forget_raised_on_open(self, ed: crate::state::editor::Editor) {
        crate::browser::effect(move || {
            ed.opened.track();
            if !self.raised.with_untracked(Vec::is_empty) {
                self.raised.set(Vec::new());
            }
        });
    }

    /// Puts back a move of servers under way (a second finger down,
    /// Escape): every dragged server where it was, nothing made an edit;
    /// the rest of the gesture does nothing. A press on a server not yet
    /// moved, or a box being drawn, ends as well. Out: whether such a
    /// gesture was under way.
    pub fn put_back_move(self, c: Ctx) -> bool {
        let ended = self
            .gesture
            .try_update_value(|g| match g {
                Gesture::Move { .. } | Gesture::Box { .. } => {
                    match std::mem::replace(g, Gesture::None) {
                        Gesture::Move {
                            from, moved: true, ..
                        } => Some(from),
                        _ => Some(Vec::new()),
                    }
                }
                _ => None,
            })
            .flatten();
        let Some(from) = ended else {
            return false;
        };
        if self.box_rect.with_untracked(Option::is_some) {
            self.box_rect.set(None);
        }
        for (id, at) in from {
            c.pos.set(id, at);
        }
        if !self.dragging.with_untracked(Vec::is_empty) {
            self.dragging.set(Vec::new());
            self.drag_from.set_value(Vec::new());
        }
        true
    }

    /// Makes this the canvas's pointer whose drag Escape puts back
    /// (`canvas::state::cancel_move`), for the canvas's life.
    pub fn make_current(self, c: Ctx) {
        crate::canvas::state::set_put_back_move(Some(std::rc::Rc::new(move || {
            self.put_back_move(c)
        })));
        on_cleanup(|| crate::canvas::state::set_put_back_move(None));
    }

    /// `ground`: whether the far view is painted.
    pub fn new(ground: Memo<bool>) -> Pointer {
        Pointer {
            ground,
            gesture: StoredValue::new_local(Gesture::None),
            touches: StoredValue::new(Vec::new()),
            origin: StoredValue::new((0.0, 0.0)),
            box_rect: RwSignal::new(None),
            dragging: RwSignal::new(Vec::new()),
            drag_from: StoredValue::new(Vec::new()),
            shift: RwSignal::new(Point { x: 0.0, y: 0.0 }),
            raised: RwSignal::new(Vec::new()),
            hit: StoredValue::new(None),
        }
    }
}

fn take_origin(c: Ctx, p: Pointer) {
    if let Some(el) = c.svg.get_untracked() {
        let r = el.get_bounding_client_rect();
        p.origin.set_value((r.left(), r.top()));
    }
}

/// Where a pointer event happened in the window, to the fraction of a
/// pixel the browser gives (web-sys's `client_x` rounds to whole pixels,
/// and in the painted far view rows of servers are two pixels apart).
fn client(ev: &web_sys::MouseEvent) -> (f64, f64) {
    let get = |k: &str| {
        js_sys::Reflect::get(ev, &wasm_bindgen::JsValue::from_str(k))
            .ok()
            .and_then(|v| v.as_f64())
            .unwrap_or(0.0)
    };
    (get("clientX"), get("clientY"))
}

/// A client point on the canvas's screen, from the origin last taken.
fn at_screen(p: Pointer, ev: &web_sys::PointerEvent) -> (f64, f64) {
    let (x0, y0) = p.origin.get_value();
    let (x, y) = client(ev);
    (x - x0, y - y0)
}

fn canvas_point(c: Ctx, p: Pointer, ev: &web_sys::PointerEvent) -> Point {
    take_origin(c, p);
    let (sx, sy) = at_screen(p, ev);
    c.ed.camera.get_untracked().to_canvas(sx, sy)
}

/// A press on the background (nodes stop propagation): a pinch with a
/// second finger, the armed server placed, a box (Shift), else a pan.
pub fn down(c: Ctx, p: Pointer, ev: web_sys::PointerEvent) {
    let ed = c.ed;
    if ev.button() != 0 && ev.pointer_type() == "mouse" {
        return;
    }
    let Some(el) = c.svg.get_untracked() else {
        return;
    };
    let _ = el.focus();
    take_origin(c, p);
    let (sx, sy) = at_screen(p, &ev);
    p.touches
        .update_value(|t| t.push((ev.pointer_id(), sx, sy)));
    let _ = el.set_pointer_capture(ev.pointer_id());
    let two = p
        .touches
        .with_value(|t| (t.len() == 2).then(|| spread(t[0], t[1])));
    if let Some(dist) = two {
        // A move the first finger began (on a painted server) is put back.
        p.put_back_move(c);
        p.gesture.set_value(Gesture::Pinch {
            dist,
            cam: ed.camera.get_untracked(),
        });
        p.box_rect.set(None);
        return;
    }
    if let Some(kind) = c.armed.0.get_untracked() {
        let at = ed.camera.get_untracked().to_canvas(sx, sy);
        if ed.mode.get_untracked() == Mode::Edit {
            ed.add_server(kind, at);
        }
        c.armed.0.set(None);
        p.gesture.set_value(Gesture::None);
        return;
    }
    // In the painted far view, a press on a server is the server's.
    // The keys then go to it, as to a node pressed.
    let hit = painted_hit(c, p, sx, sy);
    let editing = ed.mode.get_untracked() == Mode::Edit;
    if let Some(id) = hit.filter(|_| editing && !ev.shift_key()) {
        start_move(c, p, id, &ev);
        give_keys(c, id);
        return;
    }
    // A Shift-press on a painted server in the simulator is a click on it.
    if ev.shift_key() && (hit.is_none() || editing) {
        // The name tip of a server the pointer rested by goes: the box is
        // about the servers it takes in (a tryout saw it stay up the whole
        // drag).
        if c.tip.server.get_untracked().is_some() {
            c.tip.server.set(None);
        }
        let at = ed.camera.get_untracked().to_canvas(sx, sy);
        p.gesture.set_value(Gesture::Box { start: at, on: hit });
        // From a server, the box shows once the pointer leaves it: a
        // Shift-click draws none.
        if hit.is_none() {
            p.box_rect.set(Some((at, at)));
        }
    } else {
        p.gesture.set_value(Gesture::Pan {
            sx,
            sy,
            cam: ed.camera.get_untracked(),
        });
    }
}

/// The pointer moved: the gesture under way follows it.
pub fn moved(c: Ctx, p: Pointer, ev: web_sys::PointerEvent) {
    let (ed, pos, cn) = (c.ed, c.pos, c.cn);
    if p.gesture.with_value(|g| matches!(g, Gesture::None)) {
        // In the painted far view, the name tip follows the pointer.
        if p.ground.get_untracked() {
            take_origin(c, p);
            let (sx, sy) = at_screen(p, &ev);
            let over = painted_hit(c, p, sx, sy);
            if c.tip.server.get_untracked() != over {
                c.tip.server.set(over);
            }
        }
        return;
    }
    let (sx, sy) = at_screen(p, &ev);
    p.touches.update_value(|t| {
        if let Some(e) = t.iter_mut().find(|e| e.0 == ev.pointer_id()) {
            e.1 = sx;
            e.2 = sy;
        }
    });
    p.gesture.update_value(|g| match g {
        Gesture::None => {}
        Gesture::Pan {
            sx: x0,
            sy: y0,
            cam,
        } => {
            ed.camera.set(Camera {
                x: cam.x + sx - *x0,
                y: cam.y + sy - *y0,
                k: cam.k,
            });
        }
        Gesture::Pinch { dist, cam } => {
            let (f, mx, my) = p.touches.with_value(|t| {
                if t.len() < 2 {
                    return (1.0, sx, sy);
                }
                pinch(*dist, t[0], t[1])
            });
            ed.camera.set(cam.zoomed(f, mx, my));
        }
        Gesture::Move { start, from, moved } => {
            let cam = ed.camera.get_untracked();
            let Some(d) = drag_delta(*start, cam.to_canvas(sx, sy), cam.k, *moved) else {
                return;
            };
            // The server pressed (last) goes where the pointer takes it,
            // on the grid when snapping; the others keep their places to it
            // (the selection moves as one, as in other diagram editors: a
            // server off the grid stays as far off it).
            let Some(&(_, p0)) = from.last() else {
                return;
            };
            let snap = ed.snap.get_untracked() && !ev.alt_key();
            let q = dragged_to(p0, d, snap);
            let shift = Point {
                x: q.x - p0.x,
                y: q.y - p0.y,
            };
            // Snapping, most moves leave the shift as it was: nothing moves.
            if *moved && p.shift.get_untracked() == shift {
                return;
            }
            p.shift.set(shift);
            if !*moved {
                p.drag_from.set_value(from.clone());
                p.dragging.set(from.iter().map(|(id, _)| *id).collect());
            }
            *moved = true;
            for (id, p0) in from.iter() {
                pos.set(*id, shifted(*p0, shift));
            }
        }
        Gesture::Connect => {
            let at = ed.camera.get_untracked().to_canvas(sx, sy);
            cn.pointer.set(Some(at));
            let over = ed.doc.with_untracked(|t| pos.hit(t, at));
            if cn.target.get_untracked() != over {
                cn.target.set(over);
            }
        }
        Gesture::Box { start, on } => {
            let cam = ed.camera.get_untracked();
            let at = cam.to_canvas(sx, sy);
            let near = (at.x - start.x).abs() * cam.k < CLICK_PX
                && (at.y - start.y).abs() * cam.k < CLICK_PX;
            if on.is_none() || !near || p.box_rect.with_untracked(Option::is_some) {
                p.box_rect.set(Some((*start, at)));
            }
        }
    });
}

/// A release (or a cancel): the gesture ends. A protection is made or
/// dropped, a box selects, a move becomes one undoable edit (or is put
/// back when cancelled), a click on the background clears the selection.
/// `arrows`: the protections drawn as arrows (the others close in are
/// painted, and a click on one's line selects it).
pub fn up(c: Ctx, p: Pointer, arrows: Memo<Vec<Link>>, ev: web_sys::PointerEvent) {
    let (ed, pos, cn) = (c.ed, c.pos, c.cn);
    p.touches
        .update_value(|t| t.retain(|e| e.0 != ev.pointer_id()));
    if let Some(el) = c.svg.get_untracked() {
        let _ = el.release_pointer_capture(ev.pointer_id());
    }
    let cancelled = ev.type_() == "pointercancel";
    let g = p
        .gesture
        .try_update_value(|g| std::mem::replace(g, Gesture::None))
        .unwrap_or(Gesture::None);
    match &g {
        Gesture::Connect => match cn.target.get_untracked() {
            Some(to) if !cancelled => cn.finish(&ed, to),
            _ => cn.cancel(),
        },
        Gesture::Box { on, .. } => end_box(c, p, *on, cancelled),
        _ => {}
    }
    if !p.dragging.with_untracked(|d| d.is_empty()) {
        if matches!(g, Gesture::Move { moved: true, .. }) && !cancelled {
            let dropped = p.dragging.get_untracked();
            let set: HashSet<ServerId> = dropped.iter().copied().collect();
            p.raised.update(|r| {
                r.retain(|id| !set.contains(id));
                r.extend(dropped);
                // The last dropped only: a drag of thousands at once would
                // make every later change of what is drawn sort them.
                let over = r.len().saturating_sub(MOST_RAISED);
                r.drain(..over);
            });
        }
        p.dragging.set(Vec::new());
        p.drag_from.set_value(Vec::new());
    }
    match g {
        Gesture::Move { from, moved, .. } if moved && !cancelled => {
            let moved_to: Vec<(ServerId, Point)> = from
                .iter()
                .filter_map(|(id, _)| pos.get(*id).map(|at| (*id, at)))
                .collect();
            ed.edit(|t| {
                for (id, at) in moved_to {
                    if let Some(s) = t.server_mut(id) {
                        s.pos = Some(at);
                    }
                }
            });
        }
        Gesture::Move { from, moved, .. } if moved => {
            for (id, at) in from {
                pos.set(id, at);
            }
        }
        // A click on the background (no pan) clears the selection.
        Gesture::Pan { sx: x0, sy: y0, .. } => {
            let (sx, sy) = at_screen(p, &ev);
            let click = (sx - x0).abs() + (sy - y0).abs() < 4.0;
            // In the painted far view, a click on a server is the
            // server's, as a node's click is (Shift or not).
            match (click, painted_hit(c, p, sx, sy), ed.mode.get_untracked()) {
                (true, Some(id), Mode::Simulate) => crate::sim::state::toggle_failed(ed, id),
                (true, Some(id), Mode::Present) => crate::present::state::spotlight(ed, c.pr, id),
                // Close in on a large estate, a click on a painted
                // protection (passing through the view) selects it, as a
                // press on an arrow does; a drag from it pans.
                (true, _, Mode::Edit) if !ev.shift_key() => {
                    ed.selection.set(Vec::new());
                    ed.selected_link.set(painted_link_hit(c, arrows, sx, sy));
                }
                (true, _, _) if !ev.shift_key() => {
                    ed.selection.set(Vec::new());
                    ed.selected_link.set(None);
                }
                _ => {}
            }
        }
        _ => {}
    }
    // A finger still down pans on.
    if let Some((_, sx, sy)) = p.touches.with_value(|t| t.first().copied()) {
        p.gesture.set_value(Gesture::Pan {
            sx,
            sy,
            cam: ed.camera.get_untracked(),
        });
    }
}

/// The pointer left the canvas: in the painted far view, the name tip it
/// showed goes (a node clears its own).
pub fn left(c: Ctx, p: Pointer) {
    if p.ground.get_untracked() && c.tip.server.get_untracked().is_some() {
        c.tip.server.set(None);
    }
}

/// Gives the keys to server `id`, pressed on the painting: the far view
/// makes the server with the keys a node (`ground::kept`), which a server
/// written as a selection's hook, or not selected, is not yet.
fn give_keys(c: Ctx, id: ServerId) {
    if c.tip.focus.get_untracked() != Some(id) {
        c.tip.focus.set(Some(id));
    }
    crate::canvas::state::focus_server(c.ed, c.svg, id);
}

/// In the painted far view (`ground.rs`), the server at screen point
/// (`sx`, `sy`) of the canvas; else none (nodes take their own presses).
fn painted_hit(c: Ctx, p: Pointer, sx: f64, sy: f64) -> Option<ServerId> {
    if !p.ground.get_untracked() {
        return None;
    }
    let cam = c.ed.camera.get_untracked();
    let key = HitAt {
        at: (sx, sy),
        camera: cam,
        drawing: c.ed.shown.rev_untracked(),
        positions: c.pos.version(),
    };
    if let Some(hit) = p.hit.with_value(|h| h.filter(|h| h.0 == key).map(|h| h.1)) {
        return hit;
    }
    let hit = painted_hit_now(c, cam, sx, sy);
    p.hit.set_value(Some((key, hit)));
    hit
}

/// [`painted_hit`] worked out: the nearest server within a few pixels,
/// walking them all.
fn painted_hit_now(c: Ctx, cam: Camera, sx: f64, sy: f64) -> Option<ServerId> {
    let at = cam.to_canvas(sx, sy);
    // Boxes a pixel or two high: the nearest within a few pixels.
    let reach = 5.0 / cam.k;
    // The positions' shared copy: one map lookup a server, not a store's
    // and a signal's (at 10,000 servers, fitted: 3.45 -> 1.20 ms a click).
    let pos = c.pos.snapshot();
    c.ed.shown.with_untracked(|t| {
        let mut best: Option<(f64, ServerId)> = None;
        for s in t.servers.iter().rev() {
            let Some(&p) = pos.get(&s.id) else { continue };
            let dy = ((p.y - at.y).abs() - dpm_rules::NODE_H / 2.0).max(0.0);
            if dy > reach {
                continue;
            }
            let dx = ((p.x - at.x).abs() - dpm_rules::box_width(&s.name) / 2.0).max(0.0);
            let d = dx.max(dy);
            if d <= reach && best.is_none_or(|b| d < b.0) {
                best = Some((d, s.id));
            }
        }
        best.map(|b| b.1)
    })
}

/// The protection painted under screen point (`sx`, `sy`) close in on a
/// large estate (`ground.rs`: one passing through the view, not drawn
/// as one of the `arrows`): the nearest within a few pixels of its line.
fn painted_link_hit(c: Ctx, arrows: Memo<Vec<Link>>, sx: f64, sy: f64) -> Option<Link> {
    let cam = c.ed.camera.get_untracked();
    let big =
        c.ed.shown
            .with_untracked(|t| t.servers.len() > CROSSING_PAINTED_OVER);
    if cam.k < FAR_BELOW || !big {
        return None;
    }
    let at = cam.to_canvas(sx, sy);
    let reach = 5.0 / cam.k;
    let drawn: HashSet<Link> = arrows.with_untracked(|a| a.iter().copied().collect());
    let pos = c.pos.snapshot();
    c.ed.shown.with_untracked(|t| {
        let mut best: Option<(f64, Link)> = None;
        for p in &t.protections {
            let l = p.link();
            let (Some(a), Some(b)) = (pos.get(&l.protector), pos.get(&l.target)) else {
                continue;
            };
            if drawn.contains(&l) {
                continue;
            }
            let d = to_segment(at, *a, *b);
            if d <= reach && best.is_none_or(|b| d < b.0) {
                best = Some((d, l));
            }
        }
        best.map(|b| b.1)
    })
}

/// How far point `p` is from the segment `a`-`b`.
fn to_segment(p: Point, a: Point, b: Point) -> f64 {
    let (dx, dy) = (b.x - a.x, b.y - a.y);
    let len = dx * dx + dy * dy;
    let u = if len > 0.0 {
        (((p.x - a.x) * dx + (p.y - a.y) * dy) / len).clamp(0.0, 1.0)
    } else {
        0.0
    };
    ((a.x + u * dx - p.x).powi(2) + (a.y + u * dy - p.y).powi(2)).sqrt()
}

/// A double-click on a server: rename it in place. The press captured the
/// pointer on the canvas, so the event arrives here, not at the node; the
/// server is the one under the pointer.
pub fn dblclick(c: Ctx, p: Pointer, ev: web_sys::MouseEvent) {
    let under = document()
        .element_from_point(ev.client_x() as f32, ev.client_y() as f32)
        .and_then(|e| e.closest("[data-server]").ok().flatten())
        .and_then(|e| e.get_attribute("data-server"));
    let id = match under {
        Some(name) => {
            c.ed.shown
                .with_untracked(|t| t.servers.iter().find(|s| s.name == name).map(|s| s.id))
        }
        // The painted far view: the server under the pointer by its place.
        None => c.svg.get_untracked().and_then(|el| {
            let (sx, sy) = crate::browser::dom::local(&el, client(&ev).0, client(&ev).1);
            painted_hit(c, p, sx, sy)
        }),
    };
    if let Some(id) = id {
        rename_in_place(c.ed, id);
    }
}

/// The wheel zooms about the pointer.
pub fn wheel(c: Ctx, ev: web_sys::WheelEvent) {
    ev.prevent_default();
    let Some(el) = c.svg.get_untracked() else {
        return;
    };
    let (sx, sy) = crate::browser::dom::local(&el, ev.client_x() as f64, ev.client_y() as f64);
    let factor = wheel_factor(ev.delta_y(), ev.delta_mode());
    c.ed.camera.update(|cam| *cam = cam.zoomed(factor, sx, sy));
}

/// A press on a server: Shift (or Ctrl/Cmd) adds it to the selection or
/// takes it out; else it joins the selection and the selection moves.
pub fn start_move(c: Ctx, p: Pointer, id: ServerId, ev: &web_sys::PointerEvent) {
    let ed = c.ed;
    ev.stop_propagation();
    if ev.button() != 0 && ev.pointer_type() == "mouse" {
        return;
    }
    ed.selected_link.set(None);
    if ed.mode.get_untracked() != Mode::Edit {
        return;
    }
    if ev.shift_key() || ev.ctrl_key() || ev.meta_key() {
        toggle_selected(ed, id);
        return;
    }
    if !ed.selection.with_untracked(|s| s.contains(&id)) {
        ed.selection.set(vec![id]);
    }
    let Some(el) = c.svg.get_untracked() else {
        return;
    };
    let _ = el.set_pointer_capture(ev.pointer_id());
    let start = canvas_point(c, p, ev);
    // The server pressed last: the drag moves it with the pointer and the
    // rest with it, and drops it over them.
    let from: Vec<(ServerId, Point)> = ed
        .selection
        .with_untracked(|s| s.iter().copied().filter(|&s| s != id).collect::<Vec<_>>())
        .into_iter()
        .chain(std::iter::once(id))
        .filter_map(|id| c.pos.get(id).map(|at| (id, at)))
        .collect();
    p.gesture.set_value(Gesture::Move {
        start,
        from,
        moved: false,
    });
}

/// A press on a DPM server's handle: a protection is drawn from it.
pub fn start_connect(c: Ctx, p: Pointer, id: ServerId, ev: &web_sys::PointerEvent) {
    let ed = c.ed;
    ev.stop_propagation();
    ev.prevent_default();
    if ed.mode.get_untracked() != Mode::Edit {
        return;
    }
    let Some(el) = c.svg.get_untracked() else {
        return;
    };
    let _ = el.set_pointer_capture(ev.pointer_id());
    c.cn.start(&ed, id, false, false);
    c.cn.pointer.set(Some(canvas_point(c, p, ev)));
    p.gesture.set_value(Gesture::Connect);
}

/// Files dropped on the canvas are imported (several: DPM inventories).
pub fn drop_file(c: Ctx, ev: web_sys::DragEvent) {
    ev.prevent_default();
    let list = ev.data_transfer().and_then(|d| d.files());
    let files = list.map_or_else(Vec::new, |l| {
        (0..l.length()).filter_map(|i| l.get(i)).collect()
    });
    crate::io::state::import_files(c.ed, c.ws, files);
}

/// How far apart two touches are, at least 1 (screen pixels).
pub fn spread(a: (i32, f64, f64), b: (i32, f64, f64)) -> f64 {
    (a.1 - b.1).hypot(a.2 - b.2).max(1.0)
}

/// A pinch that started `dist` apart, now at touches `a` and `b`: the zoom
/// factor and the centre it zooms about.
pub fn pinch(dist: f64, a: (i32, f64, f64), b: (i32, f64, f64)) -> (f64, f64, f64) {
    (spread(a, b) / dist, (a.1 + b.1) / 2.0, (a.2 + b.2) / 2.0)
}

/// How far a move from `start` to `at` (canvas units) has gone, or `None`
/// while it has not yet moved 3 screen pixels at zoom `k` (a click is not
/// a move).
pub fn drag_delta(start: Point, at: Point, k: f64, moved: bool) -> Option<(f64, f64)> {
    let (dx, dy) = (at.x - start.x, at.y - start.y);
    if !moved && dx.abs() + dy.abs() < 3.0 / k {
        return None;
    }
    Some((dx, dy))
}

/// Where a server that was at `from` goes for a move of `d`: on the grid
/// when snapping, else to the 1/100 unit the file keeps
/// ([`dpm_rules::as_kept`]).
pub fn dragged_to(from: Point, d: (f64, f64), snap: bool) -> Point {
    let q = Point {
        x: from.x + d.0,
        y: from.y + d.1,
    };
    if snap {
        dpm_rules::snap(q)
    } else {
        dpm_rules::as_kept(q)
    }
}

/// `from` moved by `shift`, to the 1/100 unit the file keeps.
pub fn shifted(from: Point, shift: Point) -> Point {
    dpm_rules::as_kept(Point {
        x: from.x + shift.x,
        y: from.y + shift.y,
    })
}

/// The servers (id, place) inside the box from corner `a` to corner `b`.
pub fn boxed(a: Point, b: Point, at: &[(ServerId, Point)]) -> Vec<ServerId> {
    let (x0, x1) = (a.x.min(b.x), a.x.max(b.x));
    let (y0, y1) = (a.y.min(b.y), a.y.max(b.y));
    at.iter()
        .filter(|(_, p)| p.x >= x0 && p.x <= x1 && p.y >= y0 && p.y <= y1)
        .map(|(id, _)| *id)
        .collect()
}

/// A Shift and drag (or a Shift-press on a painted server, `on`) released:
/// the servers in the box join the selection, or, where a press on a
/// painted server began and the pointer hardly moved, that server is added
/// or taken out as by a Shift-click. Cancelled (a touch taken over by the
/// browser): nothing.
fn end_box(c: Ctx, p: Pointer, on: Option<ServerId>, cancelled: bool) {
    let (ed, pos) = (c.ed, c.pos);
    let k = ed.camera.get_untracked().k;
    let clicked = p
        .box_rect
        .get_untracked()
        .is_none_or(|(a, b)| (a.x - b.x).abs() * k < CLICK_PX && (a.y - b.y).abs() * k < CLICK_PX);
    if let (Some(id), true) = (on, clicked) {
        if !cancelled {
            ed.selected_link.set(None);
            toggle_selected(ed, id);
            give_keys(c, id);
        }
    } else if let (false, Some((a, b))) = (cancelled, p.box_rect.get_untracked()) {
        // The positions' shared copy: one map lookup a server, not
        // a store's and a signal's (at 10,000 servers, 3 ms).
        let snap = pos.snapshot();
        let at: Vec<(ServerId, Point)> = ed.doc.with_untracked(|t| {
            t.servers
                .iter()
                .filter_map(|s| snap.get(&s.id).map(|at| (s.id, *at)))
                .collect()
        });
        let inside = boxed(a, b, &at);
        ed.selection.update(|sel| {
            let mut had: HashSet<ServerId> = sel.iter().copied().collect();
            sel.extend(inside.into_iter().filter(|id| had.insert(*id)));
        });
    }
    p.box_rect.set(None);
}

/// The zoom factor of a wheel turn (`mode` 1: lines, of 16 pixels).
pub fn wheel_factor(delta_y: f64, mode: u32) -> f64 {
    let unit = if mode == 1 { 16.0 } else { 1.0 };
    (-delta_y * unit * 0.0015).exp()
}
