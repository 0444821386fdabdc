//! The drawing: servers as nodes, protections as arrows from protector to
//! target, findings as badges where they apply, and every gesture (pan,
//! zoom, pinch, move, connect, box select, drop a file).
//!
//! Speed: each server's position is a signal of its own ([`Positions`]), so
//! dragging one server re-renders that node and the arrows at its ends,
//! nothing else. Lists are keyed; facts, roles and badges are memos per
//! node, so an edit touches only what it changes.

use std::collections::{HashMap, HashSet};

use leptos::prelude::*;

use dpm_rules::{
    all_roles, arrow, badge_symbol, bend_for, held_by, inventory, num, positions, Checker, Finding,
    Kind, Link, Point, Protection, Roles, ServerId, Severity, NODE_H, NODE_W,
};

use crate::markup::{el, Markup};
use crate::state::{Camera, Editor, Mode};

/// Drawings up to this many servers are drawn whole; larger ones only in
/// view (keyboard users Tab through every server of a small drawing).
pub const DRAW_ALL_UP_TO: usize = 300;
/// Below this zoom, the simpler drawing (no names, badges, arrowheads).
pub const FAR_BELOW: f64 = 0.45;

/// Adds `id` to the selection, or takes it out (Shift-click, Shift+Space).
fn toggle_selected(ed: Editor, id: ServerId) {
    ed.selection.update(|s| {
        if let Some(i) = s.iter().position(|&x| x == id) {
            s.remove(i);
        } else {
            s.push(id);
        }
    });
}

/// Whether a protection dragged onto a server would be allowed.
#[derive(Clone, Debug, PartialEq)]
pub enum Verdict {
    Allowed,
    Breaks(Vec<Finding>),
    Exists,
}

/// A protection being drawn, with the mouse, touch or keyboard.
#[derive(Clone, Copy)]
pub struct Connect {
    pub from: RwSignal<Option<ServerId>>,
    pub verdicts: RwSignal<HashMap<ServerId, Verdict>>,
    /// Where the loose end is (canvas units) while dragging.
    pub pointer: RwSignal<Option<Point>>,
    /// The server the loose end is over (or keyboard focus is on).
    pub target: RwSignal<Option<ServerId>>,
    /// Started with the keyboard: the target is picked by focus.
    pub keyboard: RwSignal<bool>,
}

impl Connect {
    pub fn new() -> Connect {
        Connect {
            from: RwSignal::new(None),
            verdicts: RwSignal::new(HashMap::new()),
            pointer: RwSignal::new(None),
            target: RwSignal::new(None),
            keyboard: RwSignal::new(false),
        }
    }

    /// Starts a protection from `from`: every server gets its verdict from
    /// the rule crate's pre-check.
    pub fn start(&self, ed: &Editor, from: ServerId, keyboard: bool) {
        let verdicts = ed.doc.with_untracked(|t| {
            let c = Checker::new(t);
            t.servers
                .iter()
                .map(|s| {
                    let link = Link {
                        protector: from,
                        target: s.id,
                    };
                    let v = if t.protection(link).is_some() {
                        Verdict::Exists
                    } else {
                        let found = c.precheck(Protection::new(from, s.id));
                        let bad: Vec<Finding> = found
                            .into_iter()
                            .filter(|f| f.severity() != Severity::Info)
                            .collect();
                        if bad.is_empty() {
                            Verdict::Allowed
                        } else {
                            Verdict::Breaks(bad)
                        }
                    };
                    (s.id, v)
                })
                .collect()
        });
        self.verdicts.set(verdicts);
        self.keyboard.set(keyboard);
        self.target.set(None);
        self.from.set(Some(from));
    }

    /// Makes the protection to `to` (a breaking one too: trainers draw
    /// mistakes on purpose; it then shows as a finding).
    pub fn finish(&self, ed: &Editor, to: ServerId) {
        if let Some(from) = self.from.get_untracked() {
            let exists = matches!(
                self.verdicts.with_untracked(|v| v.get(&to).cloned()),
                Some(Verdict::Exists)
            );
            if exists {
                ed.tell("That protection is already there.");
            } else {
                ed.edit(|t| {
                    t.connect(Protection::new(from, to));
                });
                ed.selected_link.set(Some(Link {
                    protector: from,
                    target: to,
                }));
                ed.selection.set(Vec::new());
            }
        }
        self.cancel();
    }

    pub fn cancel(&self) {
        self.from.set(None);
        self.pointer.set(None);
        self.target.set(None);
        self.keyboard.set(false);
        self.verdicts.set(HashMap::new());
    }
}

impl Default for Connect {
    fn default() -> Self {
        Connect::new()
    }
}

/// Findings by the server they are about, and by protection.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct FindingsBy {
    pub server: HashMap<ServerId, Vec<Finding>>,
    pub link: HashMap<Link, Vec<Finding>>,
}

impl FindingsBy {
    pub fn of_server(&self, id: ServerId) -> Vec<Finding> {
        self.server.get(&id).cloned().unwrap_or_default()
    }

    pub fn of_link(&self, l: Link) -> Vec<Finding> {
        self.link.get(&l).cloned().unwrap_or_default()
    }
}

/// What the drawing derives from the shown topology, once per change.
#[derive(Clone, Copy)]
pub struct Derived {
    pub roles: Memo<HashMap<ServerId, Roles>>,
    /// Findings by the server they are about, and by protection.
    pub findings: Memo<FindingsBy>,
    /// Links with a protection the other way (cyclic pairs bend apart).
    pub reverse: Memo<HashSet<Link>>,
    /// Switched protections: one set per change, not a search per arrow.
    pub switched: Memo<HashSet<Link>>,
    /// What each DPM server holds a copy of (only while the Copies view is on).
    pub holdings: Memo<HashMap<ServerId, Vec<String>>>,
    /// Zoomed out below `FAR_BELOW`: servers are drawn as their shapes only.
    pub far: Memo<bool>,
}

impl Derived {
    pub fn new(ed: Editor) -> Derived {
        let roles = Memo::new(move |_| ed.shown.with(all_roles));
        let findings = Memo::new(move |_| {
            ed.findings.with(|fs| {
                let mut by_server: HashMap<ServerId, Vec<Finding>> = HashMap::new();
                let mut by_link: HashMap<Link, Vec<Finding>> = HashMap::new();
                for f in fs {
                    if f.protections.is_empty() {
                        for &id in &f.servers {
                            by_server.entry(id).or_default().push(f.clone());
                        }
                    } else {
                        for l in &f.protections {
                            by_link.entry(*l).or_default().push(f.clone());
                        }
                    }
                }
                FindingsBy {
                    server: by_server,
                    link: by_link,
                }
            })
        });
        let switched = Memo::new(move |_| {
            ed.shown.with(|t| {
                t.protections
                    .iter()
                    .filter(|p| p.switched)
                    .map(|p| p.link())
                    .collect()
            })
        });
        let reverse = Memo::new(move |_| {
            ed.shown.with(|t| {
                let all: HashSet<Link> = t.protections.iter().map(|p| p.link()).collect();
                all.iter()
                    .filter(|l| {
                        l.protector != l.target
                            && all.contains(&Link {
                                protector: l.target,
                                target: l.protector,
                            })
                    })
                    .copied()
                    .collect()
            })
        });
        let holdings = Memo::new(move |_| {
            if !ed.copies.get() {
                return HashMap::new();
            }
            ed.shown.with(|t| {
                let inv = inventory(t);
                t.servers
                    .iter()
                    .filter(|s| s.kind == Kind::Dpm)
                    .map(|s| {
                        let held = held_by(&inv, s.id);
                        (s.id, held.iter().map(|d| d.label(t)).collect())
                    })
                    .collect()
            })
        });
        let far = Memo::new(move |_| ed.camera.get().k < FAR_BELOW);
        Derived {
            roles,
            findings,
            reverse,
            switched,
            holdings,
            far,
        }
    }
}

fn worst(fs: &[Finding]) -> Option<Severity> {
    fs.iter().map(|f| f.severity()).min_by_key(|s| match s {
        Severity::Error => 0,
        Severity::Warning => 1,
        Severity::Info => 2,
    })
}

/// "Title: message" lines for a tooltip.
pub fn finding_lines(fs: &[Finding]) -> String {
    fs.iter()
        .map(|f| {
            format!(
                "{} ({}): {}\n“{}” ({})",
                f.rule.title(),
                f.severity().as_str(),
                f.message,
                f.rule.source().text,
                f.rule.source().document
            )
        })
        .collect::<Vec<_>>()
        .join("\n\n")
}

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

/// Where the pointer is on the canvas element, in CSS pixels.
pub fn local(svg: &web_sys::Element, cx: f64, cy: f64) -> (f64, f64) {
    let r = svg.get_bounding_client_rect();
    (cx - r.left(), cy - r.top())
}

/// The SVG canvas.
#[component]
pub fn Canvas() -> impl IntoView {
    let ed = crate::ctx().ed;
    let pos = crate::ctx().pos;
    let cn = crate::ctx().cn;
    let svg_ref = crate::ctx().svg;
    let armed = crate::ctx().armed.0;
    let derived = Derived::new(ed);
    provide_context(derived);

    // Positions follow what is shown; steps of the simulator glide.
    Effect::new(move |_| {
        let gliding = ed.preview.with_untracked(|p| p.is_some())
            && ed.glide.get_value()
            && !crate::reduced_motion();
        ed.shown.with(|t| {
            let at = positions(t);
            if gliding {
                crate::anim::glide(pos, t, &at);
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
            crate::io::import_file(ed, file);
        }
    };

    let pr = crate::ctx().pr;
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
                    {crate::markup::svg_layer("sites", move || {
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
                    <crate::risk::GhostArrows />
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
            <crate::anim::FlowDots />
            <ConnectTip />
            <crate::anim::CopiesCards />
        </div>
    }
}

/// What a node does when pressed, shared by every node.
#[derive(Clone, Copy)]
pub struct NodeGestures {
    pub start_move: Callback<(ServerId, web_sys::PointerEvent)>,
    pub start_connect: Callback<(ServerId, web_sys::PointerEvent)>,
}

#[component]
fn ProtectionArrow(link: Link) -> impl IntoView {
    let ed = crate::ctx().ed;
    let pos = crate::ctx().pos;
    let derived = expect_context::<Derived>();
    let origin = Point { x: 0.0, y: 0.0 };
    let a = pos.of(link.protector, origin);
    let b = pos.of(link.target, origin);
    let reverse = Memo::new(move |_| derived.reverse.with(|r| r.contains(&link)));
    let geo = Memo::new(move |_| {
        let (p, q) = (a.get(), b.get());
        arrow(p, q, bend_for(p, q, reverse.get()))
    });
    let facts = Memo::new(move |_| {
        (
            ed.shown
                .with(|t| format!("{}->{}", t.name(link.protector), t.name(link.target))),
            derived.switched.with(|s| s.contains(&link)),
        )
    });
    let findings = Memo::new(move |_| derived.findings.with(|f| f.of_link(link)));
    let sev = Memo::new(move |_| findings.with(|f| worst(f)).filter(|s| *s != Severity::Info));
    let broken = Memo::new(move |_| {
        ed.shown_failed
            .with(|f| f.contains(&link.protector) || f.contains(&link.target))
    });
    let selected = Memo::new(move |_| ed.selected_link.get() == Some(link));
    let entering = ed
        .entering
        .with_untracked(|e| e.contains(&link.protector) || e.contains(&link.target))
        || ed.preview.with_untracked(|p| p.is_some());
    let class = move || {
        let mut c = String::from("protection");
        if facts.with(|f| f.1) {
            c.push_str(" switched");
        }
        if let Some(s) = sev.get() {
            c.push(' ');
            c.push_str(s.as_str());
        }
        if broken.get() {
            c.push_str(" broken");
        }
        c
    };
    let marker = move || {
        if broken.get() {
            return "url(#arrowhead-broken)";
        }
        match sev.get() {
            Some(Severity::Error) => "url(#arrowhead-error)",
            Some(Severity::Warning) => "url(#arrowhead-warning)",
            _ => "url(#arrowhead)",
        }
    };
    let on_down = move |ev: web_sys::PointerEvent| {
        ev.stop_propagation();
        if ed.readonly || ed.mode.get_untracked() != Mode::Edit {
            return;
        }
        ed.selection.set(Vec::new());
        ed.selected_link.set(Some(link));
    };
    let hover = crate::ctx().tip;
    let badge = move || {
        sev.get().map(|s| {
            let mid = geo.with(|g| g.mid);
            let rule = findings.with(|f| f.first().map(|f| f.rule.id()).unwrap_or_default());
            let title = findings.with(|f| finding_lines(f));
            view! {
                <g class=format!("badge {}", s.as_str()) data-rule=rule
                    transform=format!("translate({} {})", dpm_rules::num(mid.x), dpm_rules::num(mid.y))>
                    <title>{title}</title>
                    <circle r="10" />
                    {badge_mark(s)}
                </g>
            }
        })
    };
    view! {
        <g class="protection-group" class:selected=selected class:entering=entering
            data-protection=move || facts.with(|f| f.0.clone())
            on:pointerdown=on_down
            on:pointerenter=move |_| hover.link.set(Some(link))
            on:pointerleave=move |_| hover.link.set(None)>
            <path class="hit" d=move || geo.with(|g| g.d.clone()) />
            <path class=class d=move || geo.with(|g| g.d.clone()) marker-end=marker />
            {badge}
        </g>
    }
}

/// Sites as regions behind their servers, each labelled with as much of
/// its name as its width holds (the whole name in its tooltip); a site
/// failed in the simulator says so.
fn sites_markup(regions: &[dpm_rules::SiteRegion], failed: &[String]) -> Markup {
    Markup::concat(regions.iter().map(|r| {
        let down = failed.iter().any(|f| dpm_rules::same_name(f, &r.name));
        let room = ((r.w - 24.0) / 7.6).max(4.0) as usize;
        let label = if down {
            format!(
                "{} — failed",
                dpm_rules::truncate(&r.name, room.saturating_sub(9).max(4))
            )
        } else {
            dpm_rules::truncate(&r.name, room)
        };
        el("g")
            .attr(
                "class",
                if down {
                    "site-region failed"
                } else {
                    "site-region"
                },
            )
            .attr("data-site", &r.name)
            .child(el("title").text(format!("Site {}", r.name)))
            .child(
                el("rect")
                    .attr("x", num(r.x))
                    .attr("y", num(r.y))
                    .attr("width", num(r.w))
                    .attr("height", num(r.h))
                    .attr("rx", "14"),
            )
            .child(
                el("text")
                    .attr("class", "site-label")
                    .attr("x", num(r.x + 12.0))
                    .attr("y", num(r.y + 16.0))
                    .text(label),
            )
    }))
}

/// A node's tags along its top edge: (class, text, what it says in words).
fn tags_markup(tags: &[(&'static str, String, String)]) -> Markup {
    let mut x = -NODE_W / 2.0 + 8.0;
    Markup::concat(tags.iter().map(|(class, text, words)| {
        let w = 10.0 + 6.6 * text.chars().count() as f64;
        let at = x;
        x += w + 4.0;
        el("g")
            .attr("class", class)
            .child(el("title").text(match *class {
                "tag vm" => format!("A virtual machine, running {words}"),
                "tag azure" => "An Azure virtual machine".to_string(),
                _ => "DPM installed on a domain controller".to_string(),
            }))
            .child(
                el("rect")
                    .attr("x", num(at))
                    .attr("y", num(-NODE_H / 2.0 - 9.0))
                    .attr("width", num(w))
                    .attr("height", "17")
                    .attr("rx", "8.5"),
            )
            .child(
                el("text")
                    .attr("x", num(at + w / 2.0))
                    .attr("y", num(-NODE_H / 2.0 + 3.5))
                    .attr("text-anchor", "middle")
                    // The space keeps the words apart for assistive
                    // technology (SVG does not draw it).
                    .text(format!(" {text}")),
            )
    }))
}

/// A virtual machine's dotted line to its host, or a DPM server's dashed
/// line, labelled "DPM database", to the server holding its database.
/// Follows both ends while they move.
#[component]
fn EstateLine(from: ServerId, to: ServerId, database: bool) -> impl IntoView {
    let ed = crate::ctx().ed;
    let pos = crate::ctx().pos;
    let zero = Point { x: 0.0, y: 0.0 };
    let (a, b) = (pos.of(from, zero), pos.of(to, zero));
    let (a2, b2) = (a.clone(), b.clone());
    // The database line bends to one side: a DPM server usually protects
    // the server holding its database, and the straight protection arrow
    // between them would hide it.
    let bend = if database { 42.0 } else { 0.0 };
    let control = move |p: Point, q: Point| {
        let (dx, dy) = (q.x - p.x, q.y - p.y);
        let len = (dx * dx + dy * dy).sqrt().max(1.0);
        Point {
            x: (p.x + q.x) / 2.0 - dy / len * bend,
            y: (p.y + q.y) / 2.0 + dx / len * bend,
        }
    };
    let d = move || {
        let (p, q) = (a.get(), b.get());
        let c = control(p, q);
        format!(
            "M{} {} Q{} {} {} {}",
            num(p.x),
            num(p.y),
            num(c.x),
            num(c.y),
            num(q.x),
            num(q.y)
        )
    };
    // The curve's middle: a quarter of each end and half the control point.
    let mid = move || {
        let (p, q) = (a2.get(), b2.get());
        let c = control(p, q);
        Point {
            x: 0.25 * p.x + 0.5 * c.x + 0.25 * q.x,
            y: 0.25 * p.y + 0.5 * c.y + 0.25 * q.y,
        }
    };
    let mid2 = mid.clone();
    let title = ed.shown.with_untracked(|t| {
        if database {
            format!("{}'s DPM database is on {}", t.name(from), t.name(to))
        } else {
            format!("{} runs on {}", t.name(from), t.name(to))
        }
    });
    view! {
        <g class=if database { "estate-link database" } else { "estate-link host" }>
            <title>{title}</title>
            <path d=d />
            {database.then(|| view! {
                <text class="estate-label" x=move || num(mid().x) y=move || num(mid2().y + 4.0) text-anchor="middle">
                    "DPM database"
                </text>
            })}
        </g>
    }
}

#[component]
fn ServerNode(id: ServerId, far: bool) -> impl IntoView {
    let ed = crate::ctx().ed;
    let pos = crate::ctx().pos;
    let cn = crate::ctx().cn;
    let derived = expect_context::<Derived>();
    let gestures = expect_context::<NodeGestures>();
    let tip = crate::ctx().tip;
    let at = pos.of(id, Point { x: 0.0, y: 0.0 });
    let facts = Memo::new(move |_| {
        ed.shown.with(|t| {
            t.server(id)
                .map(|s| (s.name.clone(), s.kind, s.is_mabs()))
                .unwrap_or_else(|| (String::new(), Kind::Protected, false))
        })
    });
    // Small tags on the node's top edge: the host of a virtual machine, an
    // Azure virtual machine, DPM on a domain controller. (class, text, what
    // it says in words: the label's words hold the text shown, in order.)
    let tags = Memo::new(move |_| {
        ed.shown.with(|t| {
            let Some(s) = t.server(id) else {
                return Vec::new();
            };
            let mut out: Vec<(&'static str, String, String)> = Vec::new();
            if let Some(h) = s.host.filter(|&h| t.server(h).is_some()) {
                out.push((
                    "tag vm",
                    format!("on {}", dpm_rules::truncate(t.name(h), 10)),
                    format!("on {}", t.name(h)),
                ));
            }
            if s.is_azure() {
                out.push(("tag azure", "Azure".into(), "Azure".into()));
            }
            if s.is_dpm() && s.is_domain_controller() {
                out.push(("tag dc", "DC".into(), "DC (domain controller)".into()));
            }
            out
        })
    });
    let stopped = Memo::new(move |_| ed.stopped.with(|s| s.contains(&id)));
    let kind = move || facts.with(|f| f.1);
    let caption = Memo::new(move |_| {
        let (_, kind, mabs) = facts.get();
        match kind {
            Kind::Dpm => derived
                .roles
                .with(|r| r.get(&id).copied().unwrap_or_default())
                .caption(mabs),
            Kind::Protected => "protected server".to_string(),
        }
    });
    let findings = Memo::new(move |_| derived.findings.with(|f| f.of_server(id)));
    let sev = Memo::new(move |_| findings.with(|f| worst(f)));
    let selected = Memo::new(move |_| ed.selection.with(|s| s.contains(&id)));
    let failed = Memo::new(move |_| ed.shown_failed.with(|f| f.contains(&id)));
    let candidate = Memo::new(move |_| {
        cn.verdicts.with(|v| match v.get(&id) {
            Some(Verdict::Allowed) => "cand-ok",
            Some(Verdict::Breaks(_)) => "cand-bad",
            Some(Verdict::Exists) => "cand-exists",
            None => "",
        })
    });
    let pr = crate::ctx().pr;
    let rv = crate::ctx().rv;
    // In the Risk view: what this server's failure alone would cost.
    let at_risk = Memo::new(move |_| {
        rv.risk.with(|r| {
            let (r, _) = r.as_ref()?;
            let sp = r.single_points.iter().find(|p| p.server == id)?;
            let n = sp.loses.len() + sp.unprotects.len();
            let first = sp.loses.first().or(sp.unprotects.first())?;
            let what = ed.doc.with_untracked(|t| first.label(t));
            Some(if n == 1 {
                format!("⚠ takes {what}")
            } else {
                format!("⚠ takes {what} +{}", n - 1)
            })
        })
    });
    let is_source = Memo::new(move |_| cn.from.get() == Some(id));
    let is_target = Memo::new(move |_| cn.target.get() == Some(id));
    let entering = ed.entering.with_untracked(|e| e.contains(&id));

    let class = move || {
        let mut c = format!("server {}", kind().as_str());
        for (on, name) in [
            (selected.get(), " selected"),
            (failed.get(), " failed"),
            (stopped.get(), " stopped"),
            (is_source.get(), " source"),
            (is_target.get(), " target"),
            (entering, " entering"),
            (at_risk.with(|r| r.is_some()), " spof"),
            (pr.spot.get() == Some(id), " spot"),
        ] {
            if on {
                c.push_str(name);
            }
        }
        let cand = candidate.get();
        if !cand.is_empty() {
            c.push(' ');
            c.push_str(cand);
        }
        c
    };
    // Zoomed out, the shapes are placed by their own coordinates, not by a
    // transform on their group: Chrome makes each transformed group a paint
    // chunk of its own and re-layerizes them all on every frame of a drag
    // (20 ms a frame with 10,000 in view).
    let at2 = at.clone();
    let transform = move || {
        if far {
            return String::new();
        }
        let p = at2.get();
        format!("translate({} {})", dpm_rules::num(p.x), dpm_rules::num(p.y))
    };
    // Where the shapes are drawn from: the server's place when zoomed out,
    // else the group's origin.
    let origin = {
        let at = at.clone();
        move || {
            if far {
                at.get()
            } else {
                Point { x: 0.0, y: 0.0 }
            }
        }
    };
    let (o1, o2) = (origin.clone(), origin.clone());
    let name = move || facts.with(|f| f.0.clone());
    let shown_name = move || facts.with(|f| dpm_rules::truncate(&f.0, 17));
    let aria = move || {
        let f = findings.with(|f| {
            if f.is_empty() {
                String::new()
            } else {
                format!(
                    ". {}",
                    f.iter()
                        .map(|f| f.message.clone())
                        .collect::<Vec<_>>()
                        .join(" ")
                )
            }
        });
        let state = if failed.get() {
            ", failed"
        } else if stopped.get() {
            ", stopped: its database is down"
        } else {
            ""
        };
        let tags = tags.with(|t| {
            t.iter()
                .map(|(_, _, words)| format!(", {words}"))
                .collect::<String>()
        });
        // The label holds the words on the node, in their order (name,
        // caption, the single-point label as shown), then what they mean.
        let risk = at_risk.with(|r| {
            r.as_ref()
                .map(|w| {
                    format!(
                        ", {} (a single point of failure)",
                        dpm_rules::truncate(w.trim_start_matches("⚠ "), 26)
                    )
                })
                .unwrap_or_default()
        });
        format!("{}, {}{tags}{risk}{state}{f}", name(), caption.get())
    };
    let badge = move || {
        sev.get().map(|s| {
            let rule = findings.with(|f| f.first().map(|f| f.rule.id()).unwrap_or_default());
            let title = findings.with(|f| finding_lines(f));
            view! {
                // Hidden from assistive technology: the server's label already
                // reads out its findings.
                <g class=format!("badge {}", s.as_str()) data-rule=rule aria-hidden="true"
                    transform=format!("translate({} {})", num(NODE_W / 2.0 - 4.0), num(-NODE_H / 2.0 + 4.0))>
                    <title>{title}</title>
                    <circle r="10" />
                    {badge_mark(s)}
                </g>
            }
        })
    };
    let icon = move || match kind() {
        Kind::Dpm => view! {
            <g class="icon" transform=format!("translate({} -7)", num(-NODE_W / 2.0 + 18.0))>
                <ellipse cx="0" cy="0" rx="8" ry="3.5" />
                <path d="M-8 0 L-8 13 A8 3.5 0 0 0 8 13 L8 0" />
                <path d="M-8 6.5 A8 3.5 0 0 0 8 6.5" />
            </g>
        }
        .into_any(),
        Kind::Protected => view! {
            <g class="icon" transform=format!("translate({} -9)", num(-NODE_W / 2.0 + 18.0))>
                <rect x="-7" y="0" width="14" height="18" rx="2" />
                <path d="M-4 5 L4 5 M-4 9 L4 9" />
            </g>
        }
        .into_any(),
    };
    let spotlight = move || {
        pr.spot
            .update(|s| *s = if *s == Some(id) { None } else { Some(id) })
    };
    let on_click = move |ev: web_sys::MouseEvent| match ed.mode.get_untracked() {
        Mode::Simulate if !ev.default_prevented() => crate::sim::toggle_failed(ed, id),
        Mode::Present => spotlight(),
        _ => {}
    };
    let on_key = move |ev: web_sys::KeyboardEvent| {
        let key = ev.key();
        if ed.mode.get_untracked() == Mode::Present {
            if key == "Enter" {
                ev.prevent_default();
                ev.stop_propagation();
                spotlight();
            }
            return;
        }
        if ed.mode.get_untracked() == Mode::Simulate {
            if key == "Enter" || key == " " {
                ev.prevent_default();
                crate::sim::toggle_failed(ed, id);
            }
            return;
        }
        if cn.from.get_untracked().is_some() {
            if key == "Enter" || key == " " {
                ev.prevent_default();
                ev.stop_propagation();
                cn.finish(&ed, id);
            }
            return;
        }
        match key.as_str() {
            "Enter" if !ed.readonly => {
                ev.prevent_default();
                ed.selection.set(vec![id]);
                ed.selected_link.set(None);
                ed.rename_request.set(Some(id));
            }
            " " => {
                ev.prevent_default();
                // Shift (or Ctrl/Cmd) adds to the selection or takes out,
                // as Shift-click does.
                if ev.shift_key() || ev.ctrl_key() || ev.meta_key() {
                    toggle_selected(ed, id);
                } else {
                    ed.selection.set(vec![id]);
                }
                ed.selected_link.set(None);
            }
            "c" | "C" if !ed.readonly && !ev.ctrl_key() && !ev.meta_key() => {
                ev.prevent_default();
                ev.stop_propagation();
                if ed
                    .doc
                    .with_untracked(|t| t.server(id).is_some_and(|s| s.kind == Kind::Dpm))
                {
                    cn.start(&ed, id, true);
                } else {
                    ed.complain(
                        "Only a DPM server can protect: start a protection from a DPM server.",
                    );
                }
            }
            _ => {}
        }
    };
    let on_focus = move |_| {
        tip.server.set(Some(id));
        if cn.keyboard.get_untracked() && cn.from.get_untracked().is_some() {
            cn.target.set(Some(id));
        }
    };
    let on_dblclick = move |_| {
        if !ed.readonly && ed.mode.get_untracked() == Mode::Edit {
            ed.selection.set(vec![id]);
            ed.rename_request.set(Some(id));
        }
    };
    let (hw, hh) = (NODE_W / 2.0, NODE_H / 2.0);
    let handle = move || {
        (kind() == Kind::Dpm && !ed.readonly && ed.mode.get() == Mode::Edit).then(|| {
            view! {
                <g class="handle" on:pointerdown=move |ev| gestures.start_connect.run((id, ev))>
                    <title>"Drag onto a server to protect it"</title>
                    <circle class="handle-hit" cx="0" cy=num(hh) r="14" />
                    <circle class="handle-dot" cx="0" cy=num(hh) r="6" />
                </g>
            }
        })
    };
    view! {
        <g class=class data-server=name transform=transform tabindex="0" role="button"
            aria-label=aria
            on:pointerdown=move |ev| gestures.start_move.run((id, ev))
            on:click=on_click on:dblclick=on_dblclick on:keydown=on_key on:focus=on_focus
            on:blur=move |_| tip.server.set(None)
            on:pointerenter=move |_| tip.server.set(Some(id))
            on:pointerleave=move |_| tip.server.set(None)>
            <rect class="body" x=move || num(o1().x - hw) y=move || num(o2().y - hh) width=num(NODE_W) height=num(NODE_H)
                rx=move || if kind() == Kind::Dpm { "12" } else { "4" } />
            // Zoomed out, only the shape: what is too small to read is not
            // made at all (a tenth of the work per server when an estate of
            // thousands opens fitted).
            {(!far).then(|| view! {
                // Zoomed out, focus shows on the shape itself (CSS).
                <rect class="focus-ring" x=num(-hw - 5.0) y=num(-hh - 5.0) width=num(NODE_W + 10.0) height=num(NODE_H + 10.0) rx="14" />
                {icon}
                // The space keeps name and caption apart for assistive technology
                // reading the text (the label must hold the visible words); SVG
                // does not draw it.
                <text class="name" x="11" y="-3" text-anchor="middle">{shown_name}" "</text>
                <text class="sub" x="11" y="15" text-anchor="middle">{move || caption.get()}</text>
            })}
            <path class="cross" d=move || {
                let o = origin();
                let (x0, y0, x1, y1) = (o.x - hw + 6.0, o.y - hh + 6.0, o.x + hw - 6.0, o.y + hh - 6.0);
                format!("M{} {} L{} {} M{} {} L{} {}", num(x0), num(y0), num(x1), num(y1), num(x1), num(y0), num(x0), num(y1))
            } />
            {(!far).then(|| view! {
                {crate::markup::svg_layer("tags", move || tags.with(|ts| tags_markup(ts)))}
                {badge}
                {move || stopped.get().then(|| view! {
                    <text class="stopped-label" aria-hidden="true" x="0" y=dpm_rules::num(NODE_H / 2.0 + 16.0) text-anchor="middle">
                        "Stopped: its database is down"
                    </text>
                })}
                {move || at_risk.get().map(|what| view! {
                    <text class="spof-label" aria-hidden="true" x="0" y=dpm_rules::num(NODE_H / 2.0 + 16.0) text-anchor="middle">
                        {dpm_rules::truncate(&what, 28)}
                    </text>
                })}
                {handle}
            })}
        </g>
    }
}

/// The mark inside a badge: `!` and `▲` as text; the note's "i" drawn, not
/// written, so that assistive technology (which reads the server's label,
/// findings included) is not handed a stray letter.
fn badge_mark(s: dpm_rules::Severity) -> AnyView {
    if s == dpm_rules::Severity::Info {
        view! {
            <g class="mark">
                <circle cy="-4.5" r="1.8" />
                <rect x="-1.5" y="-1.5" width="3" height="7.5" rx="0.8" />
            </g>
        }
        .into_any()
    } else {
        view! { <text y="4">{badge_symbol(s)}</text> }.into_any()
    }
}

/// While a protection is drawn: what dropping it on the server under the
/// pointer would do, with the rule and its message.
#[component]
fn ConnectTip() -> impl IntoView {
    let ed = crate::ctx().ed;
    let cn = crate::ctx().cn;
    let pos = crate::ctx().pos;
    let tip = move || {
        let from = cn.from.get()?;
        let names = |id: ServerId| ed.doc.with_untracked(|t| t.name(id).to_string());
        let Some(to) = cn.target.get() else {
            let text = if cn.keyboard.get() {
                format!(
                    "Protect from {}: Tab to a server and press Enter. Escape cancels.",
                    names(from)
                )
            } else {
                format!("Protect from {}: drop on a server.", names(from))
            };
            return Some(
                view! { <div class="connect-tip neutral" role="status">{text}</div> }.into_any(),
            );
        };
        let verdict = cn.verdicts.with(|v| v.get(&to).cloned())?;
        let p = pos.get(to)?;
        let (sx, sy) = ed.camera.get().to_screen(Point {
            x: p.x,
            y: p.y + NODE_H / 2.0,
        });
        let head = format!("{} → {}", names(from), names(to));
        let (class, body) = match verdict {
            Verdict::Allowed => (
                "connect-tip ok",
                view! { <p>"✓ DPM allows this protection."</p> }.into_any(),
            ),
            Verdict::Exists => (
                "connect-tip neutral",
                view! { <p>"This protection is already there."</p> }.into_any(),
            ),
            Verdict::Breaks(fs) => (
                "connect-tip bad",
                fs.into_iter()
                    .map(|f| {
                        view! {
                            <p data-rule=f.rule.id()>
                                <strong>{format!("{} {}", badge_symbol(f.severity()), f.rule.title())}</strong>
                                " " {f.message}
                            </p>
                        }
                    })
                    .collect_view()
                    .into_any(),
            ),
        };
        Some(
            view! {
                <div class=class role="status" style:left=format!("{}px", num(sx))
                    style:top=format!("{}px", num(sy + 10.0))>
                    <div class="tip-head">{head}</div>
                    {body}
                </div>
            }
            .into_any(),
        )
    };
    view! { {tip} }
}

/// The findings of the server or arrow under the pointer or keyboard focus,
/// with the documentation behind them.
#[component]
pub fn FindingTip() -> impl IntoView {
    let ed = crate::ctx().ed;
    let pos = crate::ctx().pos;
    let derived = expect_context::<Derived>();
    let tip = crate::ctx().tip;
    let cn = crate::ctx().cn;
    let card = move || {
        if cn.from.get().is_some() {
            return None;
        }
        let (fs, at) = if let Some(id) = tip.server.get() {
            let fs = derived.findings.with(|f| f.of_server(id));
            let p = pos.get(id)?;
            (
                fs,
                Point {
                    x: p.x,
                    y: p.y + NODE_H / 2.0,
                },
            )
        } else if let Some(l) = tip.link.get() {
            let fs = derived.findings.with(|f| f.of_link(l));
            let (a, b) = (pos.get(l.protector)?, pos.get(l.target)?);
            (
                fs,
                Point {
                    x: (a.x + b.x) / 2.0,
                    y: (a.y + b.y) / 2.0 + 12.0,
                },
            )
        } else {
            return None;
        };
        if fs.is_empty() {
            return None;
        }
        let (sx, sy) = ed.camera.get().to_screen(at);
        let items = fs
            .into_iter()
            .map(|f| {
                let src = f.rule.source();
                let sev = f.severity();
                view! {
                    <div class=format!("tip-finding {}", sev.as_str())>
                        <strong>{format!("{} {}", badge_symbol(sev), f.rule.title())}</strong>
                        <p>{f.message}</p>
                        <blockquote>{format!("“{}”", src.text)}<cite>{src.document}</cite></blockquote>
                    </div>
                }
            })
            .collect_view();
        Some(view! {
            <div class="finding-tip" role="tooltip" style:left=format!("{}px", num(sx))
                style:top=format!("{}px", num(sy + 8.0))>{items}</div>
        })
    };
    view! { {card} }
}
