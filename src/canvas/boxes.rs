//! The far view's servers (`ground.rs`): every server in view as a box in
//! its look, rasterised in the wasm (`raster.rs`) and handed to the
//! canvas in one call, with the crosses and frames that mark failed,
//! selected and focused servers too small to show their own.
//!
//! A change of a few servers' flags alone (a click selects a server or
//! fails one, Tab moves a protection's target) paints again only the
//! pixels around them: each server whose box reaches them is painted
//! whole, cut to them, in the order a whole painting gives, so the pixels
//! are the ones a whole painting makes ([`Painted::changed`] says when).
//! Anything else (the camera, the canvas's size, the drawing, a position,
//! a look of the stylesheet, more than [`MOST_CHANGED`] servers) paints
//! the layer whole.

use crate::canvas::layer::{scene, surface, Pen, View};
use crate::canvas::looks::{FlagSources, Flags, Looks};
use crate::canvas::node::server_class;
use crate::canvas::probe::{look, Look};
use crate::canvas::raster::{colour, Area, Pixels};
use crate::ctx::Ctx;

use dpm_rules::hash::{HashMap, HashSet};
use std::cell::RefCell;
use std::rc::Rc;

use dpm_rules::{Point, ServerId, Topology, NODE_H};
use leptos::prelude::*;

/// Groups of items by what decides their look (`K`), in the order first
/// seen: a handful of looks, so a list is all the lookup needs (the group
/// of the last item first: most items come in runs of one look).
struct Groups<K, T> {
    all: Vec<(K, Vec<T>)>,
    last: usize,
}

impl<K: PartialEq, T> Groups<K, T> {
    fn new() -> Groups<K, T> {
        Groups {
            all: Vec::new(),
            last: 0,
        }
    }

    fn push(&mut self, key: K, item: T) {
        if self.all.get(self.last).is_none_or(|(k, _)| *k != key) {
            self.last = match self.all.iter().position(|(k, _)| *k == key) {
                Some(i) => i,
                None => {
                    self.all.push((key, Vec::new()));
                    self.all.len() - 1
                }
            };
        }
        self.all[self.last].1.push(item);
    }
}

/// Paints the servers' layer: rasterised here ([`Pixels`]), handed to the
/// canvas in one call. When only a few servers' flags changed since the
/// last painting, and nothing else did (a click selects a server or fails
/// one, Tab moves a protection's target, the focus moves), only the pixels
/// around those servers are painted again and put on the canvas
/// ([`Painted::changed`]): at 10,000 servers, painting the whole layer
/// and handing its pixels over took some 5 ms of each such click.
pub fn paint(
    c: Ctx,
    (looks, flags): (Looks, StoredValue<Option<Rc<FlagSources>>, LocalStorage>),
    (canvas, probes): (NodeRef<leptos::html::Canvas>, NodeRef<leptos::svg::G>),
    on: Memo<bool>,
    dragging: RwSignal<Vec<ServerId>>,
) {
    let Some((g, (pw, ph))) = surface(c, canvas, on, false) else {
        LAST.with(|l| l.borrow_mut().take());
        return;
    };
    let Some((probes, view, at, moving)) = scene(c, &g, probes, dragging) else {
        return;
    };
    let Some(sources) = flags.get_value() else {
        return;
    };
    let mut moving: Vec<ServerId> = moving.into_iter().collect();
    dpm_rules::sort_by(&mut moving, &|a, b| a.cmp(b));
    let now = Now {
        scene: SceneKey {
            pen: Pen::now(c),
            dpr: window().device_pixel_ratio().max(1.0),
            size: (pw as usize, ph as usize),
            view,
            drawing: c.ed.shown.rev_untracked(),
            positions: c.pos.version(),
            moving,
        },
        sources,
        spof: looks.risk_lines.with_value(|r| r.keys().copied().collect()),
        // Framed while its node has the keyboard focus (the last focused
        // is kept a node for Tab, not shown as focused once the focus
        // left).
        focus: c
            .tip
            .focus
            .get_untracked()
            .filter(|_| c.tip.focused.get_untracked()),
    };
    let mut read = Reader::new(&probes);
    PIXELS.with(|px| {
        let mut px = px.borrow_mut();
        let last = LAST.with(|l| l.borrow_mut().take());
        let painted = match last.and_then(|l| l.changed(&now, &mut read)) {
            Some((recs, areas)) => {
                let order = order(&recs);
                for area in &areas {
                    px.clip(Some(area.clone()), true);
                    let near: Vec<&Rec> = recs
                        .iter()
                        .filter(|r| extent(r, &now.scene, &read, px.w, px.h).meets(area))
                        .collect();
                    draw(&mut px, &near, Some(&order), &mut read, &now.scene);
                    px.put_area(&g, area);
                }
                px.clip(None, false);
                recs
            }
            None => {
                let recs = c.ed.shown.with_untracked(|t| records(t, &at, &now));
                px.clear(now.scene.size.0, now.scene.size.1);
                let all: Vec<&Rec> = recs.iter().collect();
                draw(&mut px, &all, None, &mut read, &now.scene);
                let _ = g.set_transform(1.0, 0.0, 0.0, 1.0, 0.0, 0.0);
                g.clear_rect(0.0, 0.0, pw as f64, ph as f64);
                px.put(&g);
                recs
            }
        };
        LAST.with(|l| {
            *l.borrow_mut() = Some(Painted {
                now,
                looks: read.seen,
                recs: painted,
            })
        });
    });
}

thread_local! {
    /// The servers' pixels, kept from one painting to the next.
    static PIXELS: RefCell<Pixels> = RefCell::new(Pixels::default());
    /// A class of servers painted apart, to be laid on with its opacity.
    static LAYER: RefCell<Pixels> = RefCell::new(Pixels::default());
    /// What the servers' layer shows, from its last painting.
    static LAST: RefCell<Option<Painted>> = const { RefCell::new(None) };
}

/// What decides a server's look on the layer: its kind, its flags, and
/// whether it is a single point of failure (the Risk view).
type Key = (dpm_rules::Kind, Flags, bool);

/// A server as the layer paints it: where, how wide, in which look, and
/// whether it has the keyboard focus (framed).
#[derive(Clone, Copy, PartialEq)]
struct Rec {
    id: ServerId,
    p: Point,
    w: f64,
    key: Key,
    focus: bool,
}

impl Rec {
    /// Framed (failed, selected, focused, a single point of failure).
    fn marked(&self) -> bool {
        let (_, fl, risk) = self.key;
        fl.failed || fl.selected || self.focus || risk
    }
}

/// Where the layer is painted, at what size, from which drawing and
/// positions, without which servers (dragged): any change paints it whole.
#[derive(Clone, PartialEq)]
struct SceneKey {
    pen: Pen,
    dpr: f64,
    size: (usize, usize),
    view: View,
    drawing: u64,
    positions: u32,
    moving: Vec<ServerId>,
}

/// What the layer paints from now.
struct Now {
    scene: SceneKey,
    sources: Rc<FlagSources>,
    spof: HashSet<ServerId>,
    focus: Option<ServerId>,
}

impl Now {
    fn key(&self, kind: dpm_rules::Kind, id: ServerId) -> Key {
        (kind, self.sources.flags(id), self.spof.contains(&id))
    }
}

/// The servers' layer as last painted, and what from.
struct Painted {
    now: Now,
    /// Every look read for it, by what [`Reader::look`] was asked.
    looks: Vec<Seen>,
    recs: Vec<Rec>,
}

/// The most servers whose flags may change for the layer to be painted
/// again only around them (each a part of the canvas of its own, unless
/// they meet).
const MOST_CHANGED: usize = 32;

impl Painted {
    /// When the layer need be painted again only around a few servers
    /// (nothing but the flags of at most [`MOST_CHANGED`] servers changed
    /// since this painting, and every look it read is the same): the
    /// servers as they are `now`, and the parts of the canvas to paint
    /// again (none when nothing changed). None when it must be painted
    /// whole.
    fn changed(self, now: &Now, read: &mut Reader) -> Option<(Vec<Rec>, Vec<Area>)> {
        if self.now.scene != now.scene {
            return None;
        }
        let mut ids = now.sources.changed_since(&self.now.sources, MOST_CHANGED)?;
        ids.extend(self.now.spof.symmetric_difference(&now.spof).copied());
        if self.now.focus != now.focus {
            ids.extend(self.now.focus);
            ids.extend(now.focus);
        }
        if ids.len() > MOST_CHANGED {
            return None;
        }
        // The theme, forced colours, the mode's classes on the canvas: any
        // change of a look paints the layer whole.
        for ((class, shape, part), was) in &self.looks {
            if read.look(class, (shape, part)) != *was {
                return None;
            }
        }
        dpm_rules::sort_by(&mut ids, &|a, b| a.cmp(b));
        let mut recs = self.recs;
        let (w, h) = now.scene.size;
        let mut areas: Vec<Area> = Vec::new();
        for r in recs.iter_mut() {
            if ids.binary_search(&r.id).is_err() {
                continue;
            }
            let was = *r;
            r.key = now.key(r.key.0, r.id);
            r.focus = now.focus == Some(r.id);
            if *r != was {
                let a = extent(&was, &now.scene, read, w, h);
                let b = extent(r, &now.scene, read, w, h);
                areas.push(a.join(&b));
            }
        }
        // Parts that meet are painted as one (a shape across both is then
        // painted once, not twice over itself).
        let mut merged: Vec<Area> = Vec::new();
        for mut a in areas.into_iter().filter(|a| !a.is_empty()) {
            while let Some(i) = merged.iter().position(|m| m.meets(&a)) {
                a = a.join(&merged.swap_remove(i));
            }
            merged.push(a);
        }
        Some((recs, merged))
    }
}

/// The servers of `t` in view `now`, in the drawing's order, where `at`
/// places them (a dragged one is on the drag layer, not here).
fn records(t: &Topology, at: &HashMap<ServerId, Point>, now: &Now) -> Vec<Rec> {
    let (x0, y0, x1, y1) = now.scene.view;
    let moving = &now.scene.moving;
    let mut out = Vec::new();
    for s in &t.servers {
        let Some(&p) = at.get(&s.id) else {
            continue;
        };
        let w = dpm_rules::box_width(&s.name);
        if p.x + w / 2.0 < x0 || p.x - w / 2.0 > x1 || p.y + NODE_H < y0 || p.y - NODE_H > y1 {
            continue;
        }
        if !moving.is_empty() && moving.binary_search(&s.id).is_ok() {
            continue;
        }
        out.push(Rec {
            id: s.id,
            p,
            w,
            key: now.key(s.kind, s.id),
            focus: now.focus == Some(s.id),
        });
    }
    out
}

/// The looks of `recs` in the order the layer paints them: as first seen
/// along the drawing.
fn order(recs: &[Rec]) -> Vec<Key> {
    let mut out: Vec<Key> = Vec::new();
    let mut last: Option<Key> = None;
    for r in recs {
        if last != Some(r.key) {
            if !out.contains(&r.key) {
                out.push(r.key);
            }
            last = Some(r.key);
        }
    }
    out
}

/// The pixels server `r` may paint on a canvas `w` by `h`: its box and
/// border, its frame when it is marked ([`marks`]), and a pixel around
/// for the antialiasing.
fn extent(r: &Rec, scene: &SceneKey, read: &Reader, w: usize, h: usize) -> Area {
    let (pen, dpr) = (scene.pen, scene.dpr);
    let (x, y) = pen.at(r.p);
    let pad = 1.0 + read.widest * pen.k / 2.0;
    let (mut hw, mut hh) = (r.w * pen.k / 2.0 + pad, NODE_H * pen.k / 2.0 + pad);
    if r.marked() && marks_shown(pen, dpr) {
        let (min, gap) = (MARK_PX * dpr, 2.0 * dpr);
        hw = hw.max((r.w * pen.k).max(min) / 2.0 + 1.5 * gap + 1.0);
        hh = hh.max((NODE_H * pen.k).max(min) / 2.0 + 1.5 * gap + 1.0);
    }
    Area::around((x - hw, y - hh), (x + hw, y + hh), (w, h))
}

/// A look read ([`Reader::look`]): the server's classes and the shape and
/// its class within, and what the stylesheet gave it.
type Seen = ((String, &'static str, &'static str), Option<Look>);

/// The looks of the layer's shapes, read off the probes once a painting
/// and kept with what they were read for.
struct Reader<'a> {
    probes: &'a web_sys::Element,
    seen: Vec<Seen>,
    /// The widest stroke of the looks read (a border is painted half
    /// outside its box).
    widest: f64,
}

impl<'a> Reader<'a> {
    fn new(probes: &'a web_sys::Element) -> Reader<'a> {
        Reader {
            probes,
            seen: Vec::new(),
            // The widest border the stylesheet gives a server's box (the
            // focused one's, far out), until a look read says more.
            widest: 12.0,
        }
    }

    /// The look of shape `inner` in a server of classes `class`.
    fn look(&mut self, class: &str, inner: (&'static str, &'static str)) -> Option<Look> {
        if let Some((_, l)) = self
            .seen
            .iter()
            .find(|((c, s, p), _)| c == class && (*s, *p) == inner)
        {
            return l.clone();
        }
        let l = look(self.probes, "", class, inner);
        if let Some(l) = &l {
            self.widest = self.widest.max(l.width);
        }
        self.seen
            .push(((class.to_string(), inner.0, inner.1), l.clone()));
        l
    }
}

/// Paints `recs` (the servers in view, or those that reach the part of
/// the layer being painted: each painted as a whole, cut by the buffer's
/// clip), each look's boxes together in the order `order` (None: as first
/// seen along `recs`, which are then all the servers in view), then a failed
/// server's cross and the frames that mark servers too small to show
/// their border ([`marks`]).
fn draw(
    px: &mut Pixels,
    recs: &[&Rec],
    order: Option<&[Key]>,
    read: &mut Reader,
    scene: &SceneKey,
) {
    let pen = scene.pen;
    // (centre, width) of each kind's frames: failed, selected, focused, a
    // single point of failure (the Risk view).
    let mut frames: [Vec<(Point, f64)>; 4] = Default::default();
    for r in recs {
        let (_, fl, risk) = r.key;
        for (i, on) in [fl.failed, fl.selected, r.focus, risk]
            .into_iter()
            .enumerate()
        {
            if on {
                frames[i].push((r.p, r.w));
            }
        }
    }
    let mut by: Groups<Key, &Rec> = Groups::new();
    for &r in recs {
        by.push(r.key, r);
    }
    if let Some(order) = order {
        let rank = |k: &Key| order.iter().position(|o| o == k);
        dpm_rules::sort_by(
            &mut by.all,
            &|a: &(Key, Vec<&Rec>), b: &(Key, Vec<&Rec>)| rank(&a.0).cmp(&rank(&b.0)),
        );
    }
    for ((kind, fl, risk), boxes) in by.all {
        let class = server_class(kind, fl, risk);
        let Some(l) = read.look(&class, ("rect", "body")) else {
            continue;
        };
        // An opacity below 1 applies to the class's boxes together, as to
        // one shape: boxes that overlap (far out, most do) do not darken
        // each other.
        let group = l.alpha < 1.0;
        let a = if group { 1.0 } else { l.alpha };
        let fill = colour(&l.fill, a);
        let stroke = colour(&l.stroke, a).filter(|_| l.width > 0.0);
        let dash: Vec<f64> = l.dash.iter().map(|d| d * pen.k).collect();
        let paint = |to: &mut Pixels| {
            for r in &boxes {
                let (a, b) = pen.rect(r.p, (r.w, NODE_H));
                if let Some(f) = fill {
                    to.fill_rect(a, b, f);
                }
                if let Some(s) = stroke {
                    to.frame(a, b, l.width * pen.k, &dash, s);
                }
            }
        };
        if group {
            LAYER.with(|one| {
                let mut one = one.borrow_mut();
                one.clear(px.w, px.h);
                one.clip(px.clipped(), false);
                paint(&mut one);
                px.lay(&one, l.alpha as f32);
            });
        } else {
            paint(px);
        }
    }
    crosses(px, read, pen, &frames[0]);
    marks(px, read, scene, frames);
}

/// The cross over each failed server's box, (centre, width).
fn crosses(px: &mut Pixels, read: &mut Reader, pen: Pen, failed: &[(Point, f64)]) {
    if failed.is_empty() {
        return;
    }
    let Some(l) = read.look("server failed", ("path", "cross")) else {
        return;
    };
    let Some(ink) = colour(&l.stroke, l.alpha) else {
        return;
    };
    for &(p, w) in failed {
        let (hw, hh) = (w / 2.0 - 6.0, NODE_H / 2.0 - 6.0);
        let at = |dx: f64, dy: f64| {
            pen.at(Point {
                x: p.x + dx,
                y: p.y + dy,
            })
        };
        px.line(at(-hw, -hh), at(hw, hh), l.width * pen.k, &[], ink);
        px.line(at(hw, -hh), at(-hw, hh), l.width * pen.k, &[], ink);
    }
}

/// Whether servers are framed ([`marks`]) at this zoom: until the boxes
/// are large enough to show their own border.
fn marks_shown(pen: Pen, dpr: f64) -> bool {
    NODE_H * pen.k < MARK_PX * dpr
}

/// A frame around each failed, each selected, the focused server and each
/// single point of failure of the Risk view (`frames`, in that order, each
/// (centre, width)), at least [`MARK_PX`] across on screen however far out
/// the view is: a box a pixel high shows neither its selection nor its
/// failure. In the colours of a failed, a selected, a source and a single
/// point of failure's border. None once the boxes are that large
/// themselves.
fn marks(px: &mut Pixels, read: &mut Reader, scene: &SceneKey, frames: [Vec<(Point, f64)>; 4]) {
    let (pen, dpr) = (scene.pen, scene.dpr);
    if !marks_shown(pen, dpr) {
        return;
    }
    let kinds = [
        "server failed",
        "server selected",
        "server source",
        "server spof",
    ];
    for (class, boxes) in kinds.into_iter().zip(frames) {
        if boxes.is_empty() {
            continue;
        }
        let Some(l) = read.look(class, ("rect", "body")) else {
            continue;
        };
        let Some(ink) = colour(&l.stroke, l.alpha) else {
            continue;
        };
        let (min, gap) = (MARK_PX * dpr, 2.0 * dpr);
        // The focus's frame dashed, as the focus ring close in.
        let dash = if class == "server source" {
            vec![3.0 * dpr, 2.0 * dpr]
        } else {
            Vec::new()
        };
        for (p, w) in boxes {
            let (x, y) = pen.at(p);
            let (hw, hh) = (
                (w * pen.k).max(min) / 2.0 + gap,
                (NODE_H * pen.k).max(min) / 2.0 + gap,
            );
            px.frame((x - hw, y - hh), (x + hw, y + hh), gap, &dash, ink);
        }
    }
}

/// The least size of a selected or failed server's frame on screen, px.
const MARK_PX: f64 = 12.0;
