//! The drawing: servers as nodes, protections as arrows from protector to
//! target, findings as badges where they apply, and every gesture (pan,
//! zoom, pinch, move, connect, box select, drop a file).
//!
//! Speed: each server's position is a signal of its own ([`Positions`]), so
//! dragging one server re-renders that node and the arrows at its ends,
//! nothing else. Lists are keyed; facts, roles and badges are memos per
//! node, so an edit touches only what it changes.

use crate::canvas::arrow::sites_markup;
use crate::canvas::arrow::EstateLine;
use crate::canvas::arrow::ProtectionArrow;
use crate::canvas::node::ServerNode;
use crate::canvas::state::toggle_selected;
use crate::canvas::state::NodeGestures;
use crate::canvas::tips::ConnectTip;

use crate::browser::dom::local;
use crate::canvas::state::Verdict;
use crate::canvas::state::DRAW_ALL_UP_TO;
use crate::state::derived::Derived;
use crate::state::editor::Camera;
use crate::state::editor::Mode;

pub mod arrow;
pub mod copies;
pub mod find;
pub mod flow;
pub mod ghosts;
pub mod minimap;
pub mod node;
pub mod palette;
pub mod state;
pub mod tips;

use std::collections::{HashMap, HashSet};

use leptos::prelude::*;

use dpm_rules::{num, positions, Link, Point, ServerId, NODE_H, NODE_W};

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
    },
    Pinch {
        dist: f64,
        cam: Camera,
    },
}

/// The SVG canvas.
#[component]
pub fn Canvas() -> impl IntoView {
    let ed = crate::ctx::ctx().ed;
    let pos = crate::ctx::ctx().pos;
    let cn = crate::ctx::ctx().cn;
    let svg_ref = crate::ctx::ctx().svg;
    let armed = crate::ctx::ctx().armed.0;
    let derived = Derived::new(ed);
    provide_context(derived);

    // Positions follow what is shown; steps of the simulator glide.
    Effect::new(move |_| {
        let gliding = ed.preview.with_untracked(|p| p.is_some())
            && ed.glide.get_value()
            && !crate::browser::dom::reduced_motion();
        ed.shown.with(|t| {
            let at = positions(t);
            if gliding {
                crate::state::positions::glide(pos, t, &at);
            } else {
                pos.sync(t, &at);
            }
        });
    });

    // Measure the canvas; fit on request.
    let measure = move || {
        if let Some(el) = svg_ref.get_untracked() {
            let r = el.get_bounding_client_rect();
            ed.viewport.set((r.width().max(1.0), r.height().max(1.0)));
        }
    };
    let fit = move || {
        measure();
        let (w, h) = ed.viewport.get_untracked();
        // Where the servers are going, not where a glide has them now: a
        // step of a failover fits the step's drawing.
        let bounds = ed.shown.with_untracked(|t| {
            let at = positions(t);
            let mut it = at.values();
            let first = it.next()?;
            Some(it.fold((first.x, first.y, first.x, first.y), |b, p| {
                (b.0.min(p.x), b.1.min(p.y), b.2.max(p.x), b.3.max(p.y))
            }))
        });
        let cam = match bounds {
            Some((x0, y0, x1, y1)) => Camera::fitting(
                (
                    x0 - NODE_W / 2.0,
                    y0 - NODE_H / 2.0 - 24.0,
                    x1 + NODE_W / 2.0,
                    y1 + NODE_H / 2.0,
                ),
                w,
                // Clear of the zoom buttons, and of the first-visit hint.
                h - if ed.hint.get_untracked() { 110.0 } else { 56.0 },
                // Large on a projector.
                if ed.mode.get_untracked() == Mode::Present {
                    2.5
                } else {
                    1.25
                },
            ),
            None => Camera {
                x: 0.0,
                y: 0.0,
                k: 1.0,
            },
        };
        ed.camera.set(cam);
    };
    Effect::new(move |_| {
        ed.fit_request.get();
        // After the positions of a newly opened drawing are in.
        request_animation_frame(fit);
    });
    let resize = window_event_listener(leptos::ev::resize, move |_| measure());
    on_cleanup(move || resize.remove());

    // The servers being dragged, drawn with their arrows on a layer of their
    // own over the drawing: a move then repaints that layer only, not the
    // thousands of shapes under it.
    let dragging = RwSignal::new(Vec::<ServerId>::new());
    let gesture = StoredValue::new_local(Gesture::None);
    // The canvas's place on screen, taken when a gesture starts: asking the
    // browser on every move would force a layout of the whole drawing.
    let origin = StoredValue::new((0.0f64, 0.0f64));
    let take_origin = move || {
        if let Some(el) = svg_ref.get_untracked() {
            let r = el.get_bounding_client_rect();
            origin.set_value((r.left(), r.top()));
        }
    };
    let at_screen = move |cx: f64, cy: f64| {
        let (x0, y0) = origin.get_value();
        (cx - x0, cy - y0)
    };
    let touches = StoredValue::new(Vec::<(i32, f64, f64)>::new());
    let box_rect = RwSignal::new(None::<(Point, Point)>);

    let canvas_point = move |cx: f64, cy: f64| -> Point {
        take_origin();
        let (sx, sy) = at_screen(cx, cy);
        ed.camera.get_untracked().to_canvas(sx, sy)
    };

    let on_down = move |ev: web_sys::PointerEvent| {
        // Reaches here only from the background: nodes stop propagation.
        if ev.button() != 0 && ev.pointer_type() == "mouse" {
            return;
        }
        let Some(el) = svg_ref.get_untracked() else {
            return;
        };
        let _ = el.focus();
        take_origin();
        let (sx, sy) = at_screen(ev.client_x() as f64, ev.client_y() as f64);
        touches.update_value(|t| t.push((ev.pointer_id(), sx, sy)));
        let _ = el.set_pointer_capture(ev.pointer_id());
        let n = touches.with_value(|t| t.len());
        if n == 2 {
            let d = touches.with_value(|t| ((t[0].1 - t[1].1).hypot(t[0].2 - t[1].2)).max(1.0));
            gesture.set_value(Gesture::Pinch {
                dist: d,
                cam: ed.camera.get_untracked(),
            });
            box_rect.set(None);
            return;
        }
        if let Some(kind) = armed.get_untracked() {
            let at = ed.camera.get_untracked().to_canvas(sx, sy);
            if !ed.readonly && ed.mode.get_untracked() == Mode::Edit {
                ed.add_server(kind, at);
            }
            armed.set(None);
            gesture.set_value(Gesture::None);
            return;
        }
        if ev.shift_key() && !ed.readonly {
            let p = ed.camera.get_untracked().to_canvas(sx, sy);
            gesture.set_value(Gesture::Box { start: p });
            box_rect.set(Some((p, p)));
        } else {
            gesture.set_value(Gesture::Pan {
                sx,
                sy,
                cam: ed.camera.get_untracked(),
            });
        }
    };

    let on_move = move |ev: web_sys::PointerEvent| {
        if gesture.with_value(|g| matches!(g, Gesture::None)) {
            return;
        }
        let (sx, sy) = at_screen(ev.client_x() as f64, ev.client_y() as f64);
        touches.update_value(|t| {
            if let Some(e) = t.iter_mut().find(|e| e.0 == ev.pointer_id()) {
                e.1 = sx;
                e.2 = sy;
            }
        });
        gesture.update_value(|g| match g {
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
                let (d, mx, my) = touches.with_value(|t| {
                    if t.len() < 2 {
                        return (*dist, sx, sy);
                    }
                    (
                        (t[0].1 - t[1].1).hypot(t[0].2 - t[1].2).max(1.0),
                        (t[0].1 + t[1].1) / 2.0,
                        (t[0].2 + t[1].2) / 2.0,
                    )
                });
                ed.camera.set(cam.zoomed(d / *dist, mx, my));
            }
            Gesture::Move { start, from, moved } => {
                let p = ed.camera.get_untracked().to_canvas(sx, sy);
                let (dx, dy) = (p.x - start.x, p.y - start.y);
                if !*moved && dx.abs() + dy.abs() < 3.0 / ed.camera.get_untracked().k {
                    return;
                }
                if !*moved {
                    dragging.set(from.iter().map(|(id, _)| *id).collect());
                }
                *moved = true;
                let snap = ed.snap.get_untracked() && !ev.alt_key();
                for (id, p0) in from.iter() {
                    let mut q = Point {
                        x: p0.x + dx,
                        y: p0.y + dy,
                    };
                    if snap {
                        q = dpm_rules::snap(q);
                    }
                    pos.set(*id, q);
                }
            }
            Gesture::Connect => {
                let p = ed.camera.get_untracked().to_canvas(sx, sy);
                cn.pointer.set(Some(p));
                let over = ed.doc.with_untracked(|t| pos.hit(t, p));
                if cn.target.get_untracked() != over {
                    cn.target.set(over);
                }
            }
            Gesture::Box { start, .. } => {
                let p = ed.camera.get_untracked().to_canvas(sx, sy);
                box_rect.set(Some((*start, p)));
            }
        });
    };

    let on_up = move |ev: web_sys::PointerEvent| {
        touches.update_value(|t| t.retain(|e| e.0 != ev.pointer_id()));
        if let Some(el) = svg_ref.get_untracked() {
            let _ = el.release_pointer_capture(ev.pointer_id());
        }
        let g = gesture.with_value(|g| match g {
            Gesture::Move { from, moved, .. } => Some((from.clone(), *moved)),
            _ => None,
        });
        let was = gesture.with_value(|g| match g {
            Gesture::Pan { sx, sy, .. } => Some((*sx, *sy)),
            _ => None,
        });
        let cancelled = ev.type_() == "pointercancel";
        gesture.with_value(|g| {
            if let Gesture::Connect = g {
                match cn.target.get_untracked() {
                    Some(to) if !cancelled => cn.finish(&ed, to),
                    _ => cn.cancel(),
                }
            }
            if let Gesture::Box { .. } = g {
                if let Some((a, b)) = box_rect.get_untracked() {
                    let (x0, x1) = (a.x.min(b.x), a.x.max(b.x));
                    let (y0, y1) = (a.y.min(b.y), a.y.max(b.y));
                    let inside: Vec<ServerId> = ed.doc.with_untracked(|t| {
                        t.servers
                            .iter()
                            .filter(|s| {
                                pos.get(s.id).is_some_and(|p| {
                                    p.x >= x0 && p.x <= x1 && p.y >= y0 && p.y <= y1
                                })
                            })
                            .map(|s| s.id)
                            .collect()
                    });
                    ed.selection.update(|sel| {
                        for id in inside {
                            if !sel.contains(&id) {
                                sel.push(id);
                            }
                        }
                    });
                }
                box_rect.set(None);
            }
        });
        if !dragging.with_untracked(|d| d.is_empty()) {
            dragging.set(Vec::new());
        }
        if let Some((from, moved)) = g {
            if moved && !cancelled {
                let moved_to: Vec<(ServerId, Point)> = from
                    .iter()
                    .filter_map(|(id, _)| pos.get(*id).map(|p| (*id, p)))
                    .collect();
                ed.edit(|t| {
                    for (id, p) in moved_to {
                        if let Some(s) = t.server_mut(id) {
                            s.pos = Some(p);
                        }
                    }
                });
            } else if moved {
                for (id, p) in from {
                    pos.set(id, p);
                }
            }
        }
        // A click on the background (no pan) clears the selection.
        if let Some((x0, y0)) = was {
            let (sx, sy) = at_screen(ev.client_x() as f64, ev.client_y() as f64);
            if (sx - x0).abs() + (sy - y0).abs() < 4.0 && !ev.shift_key() {
                ed.selection.set(Vec::new());
                ed.selected_link.set(None);
            }
        }
        let left = touches.with_value(|t| t.len());
        if left == 0 {
            gesture.set_value(Gesture::None);
        } else if let Some(&(_, sx, sy)) = touches.with_value(|t| t.first().copied()).as_ref() {
            gesture.set_value(Gesture::Pan {
                sx,
                sy,
                cam: ed.camera.get_untracked(),
            });
        }
    };

    let on_wheel = move |ev: web_sys::WheelEvent| {
        ev.prevent_default();
        let Some(el) = svg_ref.get_untracked() else {
            return;
        };
        let (sx, sy) = local(&el, ev.client_x() as f64, ev.client_y() as f64);
        let unit = if ev.delta_mode() == 1 { 16.0 } else { 1.0 };
        let factor = (-ev.delta_y() * unit * 0.0015).exp();
        ed.camera.update(|c| *c = c.zoomed(factor, sx, sy));
    };

    // Node gestures: select, move, connect (from the handle), fail.
    let start_move = move |id: ServerId, ev: &web_sys::PointerEvent| {
        ev.stop_propagation();
        if ev.button() != 0 && ev.pointer_type() == "mouse" {
            return;
        }
        ed.selected_link.set(None);
        if ed.readonly || ed.mode.get_untracked() != Mode::Edit {
            return;
        }
        if ev.shift_key() || ev.ctrl_key() || ev.meta_key() {
            toggle_selected(ed, id);
            return;
        }
        if !ed.selection.with_untracked(|s| s.contains(&id)) {
            ed.selection.set(vec![id]);
        }
        let Some(el) = svg_ref.get_untracked() else {
            return;
        };
        let _ = el.set_pointer_capture(ev.pointer_id());
        let start = canvas_point(ev.client_x() as f64, ev.client_y() as f64);
        let from: Vec<(ServerId, Point)> = ed
            .selection
            .get_untracked()
            .into_iter()
            .filter_map(|id| pos.get(id).map(|p| (id, p)))
            .collect();
        gesture.set_value(Gesture::Move {
            start,
            from,
            moved: false,
        });
    };
    let start_connect = move |id: ServerId, ev: &web_sys::PointerEvent| {
        ev.stop_propagation();
        ev.prevent_default();
        if ed.readonly || ed.mode.get_untracked() != Mode::Edit {
            return;
        }
        let Some(el) = svg_ref.get_untracked() else {
            return;
        };
        let _ = el.set_pointer_capture(ev.pointer_id());
        cn.start(&ed, id, false);
        cn.pointer.set(Some(canvas_point(
            ev.client_x() as f64,
            ev.client_y() as f64,
        )));
        gesture.set_value(Gesture::Connect);
    };
    provide_context(NodeGestures {
        start_move: Callback::new(move |(id, ev): (ServerId, web_sys::PointerEvent)| {
            start_move(id, &ev)
        }),
        start_connect: Callback::new(move |(id, ev): (ServerId, web_sys::PointerEvent)| {
            start_connect(id, &ev)
        }),
    });

    // What is drawn: in a large drawing only what is in view, with a margin
    // of a screen around it (and whatever is selected or being connected,
    // wherever it is), so that a move costs the same in an estate of 10,000
    // as in one of 100. The view is rounded out to a coarse grid, so panning
    // redraws nothing until it crosses a cell.
    let area = Memo::new(move |_| {
        let c = ed.camera.get();
        let (w, h) = ed.viewport.get();
        let cell = w.max(h).max(1.0) / c.k.max(1e-3) / 2.0;
        let (a, b) = (c.to_canvas(-w, -h), c.to_canvas(2.0 * w, 2.0 * h));
        let (down, up) = (
            |v: f64| (v / cell).floor() * cell,
            |v: f64| (v / cell).ceil() * cell,
        );
        (down(a.x), down(a.y), up(b.x), up(b.y))
    });
    let in_area = |p: Point, (x0, y0, x1, y1): (f64, f64, f64, f64)| {
        p.x >= x0 && p.x <= x1 && p.y >= y0 && p.y <= y1
    };
    let server_ids = Memo::new(move |_| {
        let moving: HashSet<ServerId> = dragging.with(|d| d.iter().copied().collect());
        ed.shown.with(|t| {
            let all = t.servers.len() <= DRAW_ALL_UP_TO;
            let a = area.get();
            // A set: Ctrl+A in an estate of 10,000 selects them all.
            let keep: HashSet<ServerId> = if all {
                HashSet::new()
            } else {
                ed.selection.with(|s| s.iter().copied().collect())
            };
            let from = cn.from.get();
            t.servers
                .iter()
                .filter(|s| {
                    !moving.contains(&s.id)
                        && (all
                            || s.pos.is_some_and(|p| in_area(p, a))
                            || keep.contains(&s.id)
                            || from == Some(s.id))
                })
                .map(|s| s.id)
                .collect::<Vec<_>>()
        })
    });
    let drag_links = Memo::new(move |_| {
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
    });
    let links = Memo::new(move |_| {
        let moving: HashSet<Link> = drag_links.with(|d| d.iter().copied().collect());
        ed.shown.with(|t| {
            if t.servers.len() <= DRAW_ALL_UP_TO {
                return t
                    .protections
                    .iter()
                    .map(|p| p.link())
                    .filter(|l| !moving.contains(l))
                    .collect::<Vec<_>>();
            }
            let (x0, y0, x1, y1) = area.get();
            let drawn: HashSet<ServerId> = server_ids.with(|d| d.iter().copied().collect());
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
                    match (
                        t.server(p.protector).and_then(|s| s.pos),
                        t.server(p.target).and_then(|s| s.pos),
                    ) {
                        (Some(u), Some(v)) => {
                            u.x.min(v.x) <= x1
                                && u.x.max(v.x) >= x0
                                && u.y.min(v.y) <= y1
                                && u.y.max(v.y) >= y0
                        }
                        _ => false,
                    }
                })
                .map(|p| p.link())
                .collect()
        })
    });

    // Sites as labelled regions behind their servers: one memo over the
    // drawing (an estate of 10,000 with no site costs one scan).
    // While servers of a site are dragged, the region follows them.
    let regions = Memo::new(move |_| {
        let moving = dragging.get();
        ed.shown.with(|t| {
            if t.servers.iter().all(|s| s.site().is_none()) {
                return Vec::new();
            }
            let live: HashMap<ServerId, Point> = moving
                .iter()
                .filter(|&&id| t.server(id).is_some_and(|s| s.site().is_some()))
                .map(|&id| (id, pos.of(id, Point { x: 0.0, y: 0.0 }).get()))
                .collect();
            dpm_rules::site_regions(t, &|id| {
                live.get(&id)
                    .copied()
                    .or_else(|| t.server(id).and_then(|s| s.pos))
            })
        })
    });
    // Virtual machines to their hosts, DPM servers to the server holding
    // their database: (from, to, is the database), for the servers drawn.
    let estate_links = Memo::new(move |_| {
        ed.shown.with(|t| {
            let all = t.servers.len() <= DRAW_ALL_UP_TO;
            let drawn: HashSet<ServerId> = if all {
                HashSet::new()
            } else {
                server_ids.with(|d| d.iter().copied().collect())
            };
            let mut out = Vec::new();
            for s in &t.servers {
                let db = s.database.filter(|_| s.is_dpm());
                for (other, is_db) in [(s.host, false), (db, true)] {
                    let Some(o) = other.filter(|&o| o != s.id && t.server(o).is_some()) else {
                        continue;
                    };
                    if all || drawn.contains(&s.id) || drawn.contains(&o) {
                        out.push((s.id, o, is_db));
                    }
                }
            }
            out
        })
    });

    let transform = move || {
        let c = ed.camera.get();
        format!(
            "translate({} {}) scale({})",
            dpm_rules::fixed(c.x, 2),
            dpm_rules::fixed(c.y, 2),
            dpm_rules::fixed(c.k, 4)
        )
    };

    let loose_end = move || {
        let from = cn.from.get()?;
        let p = cn.pointer.get()?;
        let a = pos.of(from, p).get();
        let to = cn.target.get().and_then(|t| pos.get(t)).unwrap_or(p);
        let ok = cn.target.get().map(|t| {
            cn.verdicts
                .with(|v| matches!(v.get(&t), Some(Verdict::Allowed)))
        });
        let class = match ok {
            Some(true) => "connect-line ok",
            Some(false) => "connect-line bad",
            None => "connect-line",
        };
        Some(view! {
            <line class=class x1=num(a.x) y1=num(a.y) x2=num(to.x) y2=num(to.y) marker-end="url(#arrowhead)" />
        })
    };
    let box_view = move || {
        box_rect.get().map(|(a, b)| {
            view! {
                <rect class="box-select" x=num(a.x.min(b.x)) y=num(a.y.min(b.y))
                    width=num((a.x - b.x).abs()) height=num((a.y - b.y).abs()) />
            }
        })
    };

    let on_drop = move |ev: web_sys::DragEvent| {
        ev.prevent_default();
        if ed.readonly {
            return;
        }
        let file = ev
            .data_transfer()
            .and_then(|d| d.files())
            .and_then(|f| f.get(0));
        if let Some(file) = file {
            crate::io::state::import_file(ed, crate::ctx::ctx().ws, file);
        }
    };

    let pr = crate::ctx::ctx().pr;
    let far = derived.far;
    let mode_class = move || {
        let mut c = String::from("canvas");
        // Zoomed out: names, badges and arrowheads too small to read are
        // not drawn (style.css), which keeps a move cheap with thousands in view.
        if far.get() {
            c.push_str(" far");
        }
        if !dragging.with(|d| d.is_empty()) {
            c.push_str(" dragging");
        }
        match ed.mode.get() {
            Mode::Simulate => c.push_str(" simulating"),
            Mode::Present if pr.spot.get().is_some() => c.push_str(" spotlight"),
            _ => {}
        }
        if cn.from.get().is_some() {
            c.push_str(" connecting");
        }
        if armed.get().is_some() {
            c.push_str(" placing");
        }
        c
    };
    let label = move || {
        ed.shown.with(|t| {
            format!(
                "Protection topology: {} servers, {} protections",
                t.servers.len(),
                t.protections.len()
            )
        })
    };

    view! {
        <div class="canvas-wrap" on:dragover=|ev: web_sys::DragEvent| ev.prevent_default() on:drop=on_drop>
            <svg class=mode_class node_ref=svg_ref tabindex="-1" role="group" aria-label=label
                on:pointerdown=on_down on:pointermove=on_move on:pointerup=on_up
                on:pointercancel=on_up on:wheel=on_wheel>
                <defs>
                    <marker id="arrowhead" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="8"
                        markerHeight="8" orient="auto-start-reverse">
                        <path d="M0 0 L10 5 L0 10 z" class="arrowhead" />
                    </marker>
                    <marker id="arrowhead-error" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="8"
                        markerHeight="8" orient="auto-start-reverse">
                        <path d="M0 0 L10 5 L0 10 z" class="arrowhead error" />
                    </marker>
                    <marker id="arrowhead-warning" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="8"
                        markerHeight="8" orient="auto-start-reverse">
                        <path d="M0 0 L10 5 L0 10 z" class="arrowhead warning" />
                    </marker>
                    <marker id="arrowhead-broken" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="8"
                        markerHeight="8" orient="auto-start-reverse">
                        <path d="M0 0 L10 5 L0 10 z" class="arrowhead broken" />
                    </marker>
                    <marker id="ghost-head" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="8"
                        markerHeight="8" orient="auto-start-reverse">
                        <path d="M0 0 L10 5 L0 10 z" class="ghost-head" />
                    </marker>
                </defs>
                <g transform=transform>
                    {crate::browser::markup::svg_layer("sites", move || {
                        ed.failed_sites.with(|f| regions.with(|rs| sites_markup(rs, f)))
                    })}
                    <g class="estate-links" aria-hidden="true">
                        <For each=move || estate_links.get() key=|l| *l let:l>
                            <EstateLine from=l.0 to=l.1 database=l.2 />
                        </For>
                    </g>
                    <g class="protections">
                        <For each=move || links.get() key=|l| *l let:link>
                            <ProtectionArrow link=link />
                        </For>
                    </g>
                    {loose_end}
                    <crate::canvas::ghosts::GhostArrows />
                    <g class="servers">
                        // Made again, every one, when the zoom crosses `FAR_BELOW`:
                        // a node that follows the zoom itself would subscribe to
                        // it, and thousands re-running at once cost Leptos'
                        // subscriber sets time quadratic in their number (38 s
                        // for 1,400 servers).
                        {move || {
                            let far = far.get();
                            view! {
                                <For each=move || server_ids.get() key=|id| *id let:id>
                                    <ServerNode id=id far=far />
                                </For>
                            }
                        }}
                    </g>
                    {box_view}
                </g>
            </svg>
            <Show when=move || !dragging.with(|d| d.is_empty())>
                <svg class=move || format!("{} drag-layer", mode_class()) aria-hidden="true">
                    <g transform=transform>
                        <For each=move || drag_links.get() key=|l| *l let:link>
                            <ProtectionArrow link=link />
                        </For>
                        <For each=move || dragging.get() key=|id| *id let:id>
                            <ServerNode id=id far=far.get_untracked() />
                        </For>
                    </g>
                </svg>
            </Show>
            <crate::canvas::flow::FlowDots />
            <ConnectTip />
            <crate::canvas::copies::CopiesCards />
        </div>
    }
}
