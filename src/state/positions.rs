//! Where each server is drawn: one signal per server, so a drag moves one
//! server's view, and the glide that animates a layout or an undo.

use dpm_rules::hash::HashMap;
use dpm_rules::{Point, ServerId, Topology};
use leptos::prelude::*;
use std::cell::Cell;
use std::rc::Rc;

impl Positions {
    pub fn new() -> Positions {
        Positions {
            map: StoredValue::new(HashMap::default()),
            settled: RwSignal::new(0),
            snap: StoredValue::new_local((u32::MAX, Rc::new(HashMap::default()))),
            version: StoredValue::new(0),
            dirty: StoredValue::new(Some(Vec::new())),
        }
    }

    /// The signal of server `id`, made on first use at `initial`.
    pub fn of(&self, id: ServerId, initial: Point) -> ArcRwSignal<Point> {
        if let Some(s) = self.map.with_value(|m| m.get(&id).cloned()) {
            return s;
        }
        let s = ArcRwSignal::new(initial);
        self.map.update_value(|m| {
            m.insert(id, s.clone());
        });
        self.bump(Some(id));
        s
    }

    /// Counts a change of the position of `id` (`None`: of any), what
    /// [`Positions::snapshot`] keeps its copy by.
    fn bump(&self, id: Option<ServerId>) {
        self.version.update_value(|v| *v = v.wrapping_add(1));
        self.dirty.update_value(|d| {
            if let (Some(d), Some(id)) = (d.as_mut(), id) {
                if d.len() < DIRTY_MOST {
                    d.push(id);
                    return;
                }
            }
            *d = None;
        });
    }

    /// Counts up at every change of a position (untracked): what a result
    /// worked out from the positions is kept by.
    pub fn version(&self) -> u32 {
        self.version.get_value()
    }

    /// Where every server is drawn now, in one map: made again only after
    /// a position changed (the far view paints from it at every change,
    /// most of which, a selection, move nothing).
    #[inline(never)]
    pub fn snapshot(&self) -> Rc<HashMap<ServerId, Point>> {
        let v = self.version.get_value();
        if let Some(m) = self
            .snap
            .with_value(|(at, m)| (*at == v).then(|| m.clone()))
        {
            return m;
        }
        let dirty = self
            .dirty
            .try_update_value(|d| d.replace(Vec::new()))
            .flatten();
        // The copy changed where positions changed, when no view holds it
        // still (an arrow key at 10,000 servers: one entry, not 10,000).
        let kept = self
            .snap
            .try_update_value(|(at, m)| {
                let (Some(ids), Some(copy)) = (dirty, Rc::get_mut(m)) else {
                    return None;
                };
                for id in ids {
                    match self.get(id) {
                        Some(p) => copy.insert(id, p),
                        None => copy.remove(&id),
                    };
                }
                *at = v;
                Some(m.clone())
            })
            .flatten();
        if let Some(m) = kept {
            return m;
        }
        let m: Rc<HashMap<ServerId, Point>> = Rc::new(
            self.map
                .with_value(|m| m.iter().map(|(&id, s)| (id, s.get_untracked())).collect()),
        );
        self.snap.set_value((v, m.clone()));
        m
    }

    /// Where server `id` is drawn, tracked: a view reading it runs again
    /// when the server moves (a drag, an undo, a glide, the drawing back
    /// after a presenter's scene). For views of a few servers; `None` when
    /// it is not drawn.
    pub fn track(&self, id: ServerId) -> Option<Point> {
        self.map.with_value(|m| m.get(&id).map(|s| s.get()))
    }

    /// Where server `id` is drawn, untracked.
    pub fn get(&self, id: ServerId) -> Option<Point> {
        self.map
            .with_value(|m| m.get(&id).map(|s| s.get_untracked()))
    }

    /// Sets every position from `t` (only those that changed notify),
    /// ending a glide still running.
    pub fn sync(&self, t: &Topology, at: &HashMap<ServerId, Point>) {
        stop_glide();
        let gone = self.map.try_update_value(|m| {
            let n = m.len();
            m.retain(|id, _| t.server(*id).is_some());
            m.len() < n
        });
        if gone == Some(true) {
            self.bump(None);
        }
        let mut changed = false;
        for s in &t.servers {
            if let Some(&p) = at.get(&s.id) {
                let sig = self.of(s.id, p);
                if sig.get_untracked() != p {
                    sig.set(p);
                    self.bump(Some(s.id));
                    changed = true;
                }
            }
        }
        if changed {
            self.settled.update(|n| *n = n.wrapping_add(1));
        }
    }

    /// Sets the positions of the servers `ids` from `t` (a server gone
    /// is forgotten), when each has its place in `t`: whether it did (not
    /// when one has no place, which only laying out the whole drawing
    /// gives: [`Positions::sync`] then).
    #[inline(never)]
    pub fn sync_some(&self, t: &Topology, ids: &[ServerId]) -> bool {
        // A glide still running (a step left within its 450 ms) would move
        // servers back to where the step had them, frames after.
        stop_glide();
        if ids
            .iter()
            .any(|&id| t.server(id).is_some_and(|s| s.pos.is_none()))
        {
            return false;
        }
        let mut changed = false;
        for &id in ids {
            match t.server(id).and_then(|s| s.pos) {
                Some(p) => {
                    let sig = self.of(id, p);
                    if sig.get_untracked() != p {
                        sig.set(p);
                        self.bump(Some(id));
                        changed = true;
                    }
                }
                None => {
                    if self
                        .map
                        .try_update_value(|m| m.remove(&id))
                        .flatten()
                        .is_some()
                    {
                        self.bump(Some(id));
                    }
                }
            }
        }
        if changed {
            self.settled.update(|n| *n = n.wrapping_add(1));
        }
        true
    }

    pub fn set(&self, id: ServerId, p: Point) {
        if let Some(s) = self.map.with_value(|m| m.get(&id).cloned()) {
            s.set(p);
            self.bump(Some(id));
        }
    }

    /// The server whose node contains canvas point `p`, topmost first.
    pub fn hit(&self, t: &Topology, p: Point) -> Option<ServerId> {
        let hh = dpm_rules::NODE_H / 2.0;
        // The shared copy: a map lookup a server, not a store's and a
        // signal's (a pointer move of a protection being drawn at 10,000
        // servers).
        let at = self.snapshot();
        t.servers.iter().rev().find_map(|s| {
            let hit = at.get(&s.id).is_some_and(|c| {
                (c.y - p.y).abs() <= hh && (c.x - p.x).abs() <= dpm_rules::box_width(&s.name) / 2.0
            });
            hit.then_some(s.id)
        })
    }
}

impl Default for Positions {
    fn default() -> Self {
        Positions::new()
    }
}

/// Positions of servers, one signal each, so that moving one server
/// touches only that node and its arrows. Signals outlive the views that
/// read them (they are reference counted, not owned by a view).
#[derive(Clone, Copy)]
pub struct Positions {
    map: StoredValue<HashMap<ServerId, ArcRwSignal<Point>>>,
    /// The last [`Positions::snapshot`], with the version it was made at.
    snap: StoredValue<(u32, Rc<HashMap<ServerId, Point>>), LocalStorage>,
    /// Counts up at every change of a position.
    version: StoredValue<u32>,
    /// The servers whose positions changed since the last snapshot
    /// (`None`: too many, or some went).
    dirty: StoredValue<Option<Vec<ServerId>>>,
    /// Counts up when positions follow the drawing or a glide steps (not
    /// at each move of a drag): what a view of all of them (the painted
    /// far view) follows.
    pub settled: RwSignal<u32>,
}

/// More positions changed than this since the last snapshot (a glide), and
/// the next is made whole.
const DIRTY_MOST: usize = 4_096;

/// How long a glide between two steps takes, in milliseconds.
const GLIDE_MS: f64 = 450.0;

thread_local! {
    static GLIDE: Cell<u32> = const { Cell::new(0) };
    /// When the glide running ends (ms, [`now`]); 0 when none runs.
    static GLIDE_END: Cell<f64> = const { Cell::new(0.0) };
}

/// Whether a glide is running: its servers stand between two places, so
/// syncing only the servers a change touched would leave the others there.
pub fn gliding() -> bool {
    GLIDE_END.with(Cell::get) > now()
}

fn now() -> f64 {
    js_sys::Date::now()
}

/// Moves every server of `t` to `to` smoothly; a new glide replaces one
/// still running.
pub fn glide(pos: Positions, t: &Topology, to: &HashMap<ServerId, Point>) {
    let mut start = HashMap::default();
    let mut moves = Vec::new();
    for s in &t.servers {
        let Some(&b) = to.get(&s.id) else { continue };
        match pos.get(s.id) {
            Some(a) if a != b => {
                start.insert(s.id, a);
                moves.push((s.id, a, b));
            }
            _ => {
                start.insert(s.id, b);
            }
        }
    }
    pos.sync(t, &start);
    let gen = stop_glide();
    if !moves.is_empty() {
        GLIDE_END.with(|e| e.set(now() + GLIDE_MS));
        tick(pos, Rc::new(moves), now(), gen);
    }
}

/// Ends the glide running, if any: the next glide's number.
fn stop_glide() -> u32 {
    GLIDE_END.with(|e| e.set(0.0));
    GLIDE.with(|g| {
        g.set(g.get().wrapping_add(1));
        g.get()
    })
}

fn tick(pos: Positions, moves: Rc<Vec<(ServerId, Point, Point)>>, start: f64, gen: u32) {
    if GLIDE.with(|g| g.get()) != gen {
        return;
    }
    let u = ((now() - start) / GLIDE_MS).max(0.0).min(1.0);
    let e = 1.0 - (1.0 - u).powi(3);
    for &(id, a, b) in moves.iter() {
        pos.set(
            id,
            Point {
                x: a.x + (b.x - a.x) * e,
                y: a.y + (b.y - a.y) * e,
            },
        );
    }
    pos.settled.update(|n| *n = n.wrapping_add(1));
    if u < 1.0 {
        request_animation_frame(move || tick(pos, moves, start, gen));
    }
}
