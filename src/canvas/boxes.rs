//! The far view's servers (`ground.rs`): every server in view as a box in
//! its look, rasterised in the wasm (`raster.rs`) and handed to the
//! canvas in one call, with the crosses and frames that mark failed,
//! selected and focused servers too small to show their own. The looks
//! are stacked in a fixed order ([`stacking`]), the servers of one look in
//! the drawing's order.
//!
//! A change of a few servers' flags alone (a click selects a server or
//! fails one, Tab moves a protection's target) paints again only the
//! pixels around them ([`areas`]): each server whose box, border or frame
//! reaches them is painted whole, cut to them, so the pixels are the ones
//! a whole painting makes ([`Painted::changed`] says when). Anything else
//! (the camera, the canvas or its size, the drawing, a position, a look
//! of the stylesheet, more than [`MOST_CHANGED`] servers) paints the layer
//! whole.

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
    // What was painted last, taken now: a painting that stops short (no
    // canvas, no probes) leaves the next to paint the layer whole.
    let last = LAST.with(|l| l.borrow_mut().take());
    let Some((g, (pw, ph))) = surface(c, canvas, on, false) else {
        return;
    };
    let Some(el) = g.canvas() else {
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
            canvas: el,
            pen: Pen::now(c),
            dpr: window().device_pixel_ratio().max(1.0),
            size: (pw as usize, ph as usize),
            view,
            drawing: c.ed.shown.rev_untracked(),
            positions: c.pos.version(),
            moving,
            frame_selected: c
                .ed
                .selection
                .with_untracked(|sel| sel.len() <= crate::canvas::layer::MOST_SELECTED),
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
        let painted = match last.and_then(|l| l.changed(&now, &mut read)) {
            Some((recs, areas)) => {
                for area in &areas {
                    px.clip(Some(area.clone()), true);
                    let near: Vec<&Rec> = recs
                        .iter()
                        .filter(|r| extent(r, &now.scene, &read).meets(area))
                        .collect();
                    draw(&mut px, &near, &mut read, &now.scene);
                    px.put_area(&g, area);
                }
                px.clip(None, false);
                recs
            }
            None => {
                let recs = c.ed.shown.with_untracked(|t| records(t, &at, &now));
                px.clear(now.scene.size.0, now.scene.size.1);
                let all: Vec<&Rec> = recs.iter().collect();
                draw(&mut px, &all, &mut read, &now.scene);
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

/// Where the layer is painted (on which canvas: one made again, or
/// cleared, shows nothing of the last painting), at what size, from which
/// drawing and positions, without which servers (dragged): any change
/// paints it whole.
#[derive(Clone, PartialEq)]
struct SceneKey {
    canvas: web_sys::HtmlCanvasElement,
    pen: Pen,
    dpr: f64,
    size: (usize, usize),
    view: View,
    drawing: u64,
    positions: u32,
    moving: Vec<ServerId>,
    /// Whether selected servers are framed ([`marks`]): a selection of up
    /// to `MOST_SELECTED` is what a user works on; one of thousands (Ctrl+A)
    /// is the estate, and its frames, 12 px or more round boxes a few
    /// pixels apart, joined into a lattice that hid the drawing (a
    /// tryout's find at 1,000 servers fitted). Each selected server keeps
    /// its border, as a node does.
    frame_selected: bool,
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
        let mut recs = self.recs.clone();
        for r in recs.iter_mut() {
            if ids.binary_search(&r.id).is_ok() {
                r.key = now.key(r.key.0, r.id);
                r.focus = now.focus == Some(r.id);
            }
        }
        let areas = areas(&self.recs, &recs, &now.scene, read);
        Some((recs, areas))
    }
}

/// The parts of the layer to paint again when its servers go from `was`
/// to `now` (the same servers in the same places, some in other looks):
/// around each server whose look changed, what it painted and what it
/// paints now; parts that meet joined into one (a shape across both is
/// then painted once, not twice over itself). The looks new there are
/// read first, so that their borders count in the parts' size.
fn areas(was: &[Rec], now: &[Rec], scene: &SceneKey, read: &mut Reader) -> Vec<Area> {
    let changed: Vec<(&Rec, &Rec)> = was.iter().zip(now).filter(|(a, b)| a != b).collect();
    for (_, r) in &changed {
        let (kind, fl, risk) = r.key;
        read.look(&server_class(kind, fl, risk), ("rect", "body"));
    }
    let mut merged: Vec<Area> = Vec::new();
    for (a, b) in changed {
        let mut area = extent(a, scene, read).join(&extent(b, scene, read));
        if area.is_empty() {
            continue;
        }
        while let Some(i) = merged.iter().position(|m| m.meets(&area)) {
            area = area.join(&merged.swap_remove(i));
        }
        merged.push(area);
    }
    merged
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

/// Where look `k` is stacked among the others: a server being worked
/// on (a protection drawn from it or to it), selected, failed, a single
/// point of failure or in the spotlight over the rest, a candidate over
/// the others; the same whatever the servers' order, so that a change of
/// one server's look leaves the stacking of every other as it was.
fn stacking(k: &Key) -> [u8; 13] {
    let (kind, fl, risk) = *k;
    let cand = match fl.candidate {
        "" => 0,
        "cand-exists" => 1,
        "cand-bad" => 2,
        "cand-ok" => 3,
        _ => 4,
    };
    [
        u8::from(fl.source || fl.target),
        u8::from(fl.source),
        u8::from(fl.target),
        u8::from(fl.selected),
        u8::from(fl.failed),
        u8::from(risk),
        u8::from(fl.spot),
        u8::from(fl.near),
        u8::from(fl.stopped),
        cand,
        u8::from(kind == dpm_rules::Kind::Dpm),
        u8::from(fl.edit),
        u8::from(fl.present),
    ]
}

/// The pixels server `r` may paint on the layer: its box and
/// border, its frame when it is marked ([`marks`]), and a pixel around
/// for the antialiasing.
fn extent(r: &Rec, scene: &SceneKey, read: &Reader) -> Area {
    let (pen, dpr) = (scene.pen, scene.dpr);
    let (x, y) = pen.at(r.p);
    let pad = 1.0 + (read.widest * pen.k).max(read.widest_fixed * dpr) / 2.0;
    let (mut hw, mut hh) = (r.w * pen.k / 2.0 + pad, NODE_H * pen.k / 2.0 + pad);
    if r.marked() && marks_shown(pen, dpr) {
        let (min, gap) = (MARK_PX * dpr, 2.0 * dpr);
        hw = hw.max((r.w * pen.k).max(min) / 2.0 + 1.5 * gap + 1.0);
        hh = hh.max((NODE_H * pen.k).max(min) / 2.0 + 1.5 * gap + 1.0);
    }
    Area::around((x - hw, y - hh), (x + hw, y + hh), scene.size)
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
    /// outside its box), in the drawing's units.
    widest: f64,
    /// The widest stroke in CSS pixels ([`Look::fixed`]) of the looks read.
    widest_fixed: f64,
}

impl<'a> Reader<'a> {
    fn new(probes: &'a web_sys::Element) -> Reader<'a> {
        Reader {
            probes,
            seen: Vec::new(),
            // A safe start, wider than any border the stylesheet gives a
            // server's box in the drawing's units; each look read raises
            // it if it is wider.
            widest: 12.0,
            widest_fixed: 0.0,
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
        match &l {
            Some(l) if l.fixed => self.widest_fixed = self.widest_fixed.max(l.width),
            Some(l) => self.widest = self.widest.max(l.width),
            None => {}
        }
        self.seen
            .push(((class.to_string(), inner.0, inner.1), l.clone()));
        l
    }
}

/// Paints `recs` (the servers in view, or those that reach the part of
/// the layer being painted: each painted as a whole, cut by the buffer's
/// clip), each look's boxes together, stacked by [`stacking`], then a
/// failed server's cross and the frames that mark servers too small to
/// show their border ([`marks`]).
fn draw(px: &mut Pixels, recs: &[&Rec], read: &mut Reader, scene: &SceneKey) {
    let pen = scene.pen;
    // (centre, width) of each kind's frames: failed, selected, focused, a
    // single point of failure (the Risk view).
    let mut frames: [Vec<(Point, f64)>; 4] = Default::default();
    for r in recs {
        let (_, fl, risk) = r.key;
        let selected = fl.selected && scene.frame_selected;
        for (i, on) in [fl.failed, selected, r.focus, risk].into_iter().enumerate() {
            if on {
                frames[i].push((r.p, r.w));
            }
        }
    }
    let mut by: Groups<Key, &Rec> = Groups::new();
    for &r in recs {
        by.push(r.key, r);
    }
    dpm_rules::sort_by(
        &mut by.all,
        &|a: &(Key, Vec<&Rec>), b: &(Key, Vec<&Rec>)| stacking(&a.0).cmp(&stacking(&b.0)),
    );
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
        // A border in CSS pixels (`Look::fixed`) is as wide on screen at
        // any zoom, as the node's is: painted in the drawing's units, a
        // selected server's 3 px border was 1.2 px at 40 %, and the
        // selection's hooks over the painting had the node's.
        let unit = if l.fixed { scene.dpr } else { pen.k };
        let dash: Vec<f64> = l.dash.iter().map(|d| d * unit).collect();
        let paint = |to: &mut Pixels| {
            for r in &boxes {
                let (a, b) = pen.rect(r.p, (r.w, NODE_H));
                if let Some(f) = fill {
                    to.fill_rect(a, b, f);
                }
                if let Some(s) = stroke {
                    to.frame(a, b, l.width * unit, &dash, s);
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
    crosses(px, read, (pen, scene.dpr), &frames[0]);
    marks(px, read, scene, frames);
}

/// The cross over each failed server's box, (centre, width).
fn crosses(px: &mut Pixels, read: &mut Reader, (pen, dpr): (Pen, f64), failed: &[(Point, f64)]) {
    if failed.is_empty() {
        return;
    }
    let Some(l) = read.look("server failed", ("path", "cross")) else {
        return;
    };
    let Some(ink) = colour(&l.stroke, l.alpha) else {
        return;
    };
    let width = l.width * if l.fixed { dpr } else { pen.k };
    for &(p, w) in failed {
        let (hw, hh) = (w / 2.0 - 6.0, NODE_H / 2.0 - 6.0);
        let at = |dx: f64, dy: f64| {
            pen.at(Point {
                x: p.x + dx,
                y: p.y + dy,
            })
        };
        px.line(at(-hw, -hh), at(hw, hh), width, &[], ink);
        px.line(at(hw, -hh), at(-hw, hh), width, &[], ink);
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
/// point of failure's border; a single point's frame first, under the
/// others (the selection's, of the same size, was lost under it in the
/// Risk view). None once the boxes are that large themselves.
fn marks(px: &mut Pixels, read: &mut Reader, scene: &SceneKey, mut frames: [Vec<(Point, f64)>; 4]) {
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
    for i in [3, 0, 1, 2] {
        let (class, boxes) = (kinds[i], std::mem::take(&mut frames[i]));
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
        // On whole pixels (its outer edge and its width): crisp, and each
        // of its pixels painted whole, without a blend (the frames round
        // all 10,000 servers of a fitted estate selected took 34 ms to
        // paint on fractions of pixels).
        let t = gap.round().max(1.0);
        for (p, w) in boxes {
            let (x, y) = pen.at(p);
            let (hw, hh) = (
                (w * pen.k).max(min) / 2.0 + gap,
                (NODE_H * pen.k).max(min) / 2.0 + gap,
            );
            let (x0, y0) = ((x - hw - t / 2.0).round(), (y - hh - t / 2.0).round());
            let (x1, y1) = ((x + hw + t / 2.0).round(), (y + hh + t / 2.0).round());
            let h = t / 2.0;
            px.frame((x0 + h, y0 + h), (x1 - h, y1 - h), t, &dash, ink);
        }
    }
}

/// The least size of a selected or failed server's frame on screen, px.
const MARK_PX: f64 = 12.0;

#[cfg(test)]
mod tests {
    use super::*;
    use leptos::prelude::document;
    use wasm_bindgen::JsCast;
    use wasm_bindgen_test::wasm_bindgen_test;

    wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

    /// A pseudo-random number in 0..m, from `s`.
    fn next(s: &mut u64, m: f64) -> f64 {
        *s = s
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (*s >> 33) as f64 / (1u64 << 31) as f64 * m
    }

    /// Looks of a few sorts: solid, dashed, thick, and one laid on at
    /// half opacity (a candidate whose protection exists).
    fn flags(i: usize) -> (Flags, bool) {
        let mut f = Flags::default();
        match i {
            0 => {}
            1 => f.selected = true,
            2 => f.failed = true,
            3 => f.candidate = "cand-ok",
            4 => f.candidate = "cand-bad",
            5 => f.candidate = "cand-exists",
            6 => {
                f.candidate = "cand-ok";
                f.target = true;
            }
            _ => return (f, true),
        }
        (f, false)
    }

    /// A reader that knows every look the test paints, so that none is
    /// read off a stylesheet.
    fn reader(probes: &web_sys::Element) -> Reader<'_> {
        let mut r = Reader::new(probes);
        let look = |i: usize, alpha: f64| Look {
            fill: format!("rgb({}, {}, {})", 30 * i % 255, (200 + 20 * i) % 255, 90),
            stroke: format!("rgb({}, 40, {})", (250 + 25 * i) % 255, 12 * i),
            width: 1.0 + i as f64 * 0.7,
            dash: if i % 3 == 1 {
                vec![6.0, 4.0]
            } else {
                Vec::new()
            },
            alpha,
            fixed: false,
        };
        for (i, kind) in [dpm_rules::Kind::Dpm, dpm_rules::Kind::Protected]
            .into_iter()
            .enumerate()
        {
            for j in 0..8 {
                let (fl, risk) = flags(j);
                let alpha = if j == 5 { 0.55 } else { 1.0 };
                let class = server_class(kind, fl, risk);
                r.seen
                    .push(((class, "rect", "body"), Some(look(i * 8 + j, alpha))));
            }
        }
        for (k, class) in [
            "server failed",
            "server selected",
            "server source",
            "server spof",
        ]
        .into_iter()
        .enumerate()
        {
            // (A selected server's border in CSS pixels, as zoomed out.)
            let l = Look {
                fixed: class == "server selected",
                ..look(k + 3, 1.0)
            };
            r.seen.push(((class.to_string(), "rect", "body"), Some(l)));
        }
        r.seen.push((
            ("server failed".to_string(), "path", "cross"),
            Some(look(2, 1.0)),
        ));
        r
    }

    fn scene(k: f64, size: (usize, usize)) -> SceneKey {
        SceneKey {
            canvas: document()
                .create_element("canvas")
                .unwrap()
                .unchecked_into(),
            pen: Pen { k, x: 4.0, y: 3.0 },
            dpr: 1.0,
            size,
            view: (0.0, 0.0, 0.0, 0.0),
            drawing: 0,
            positions: 0,
            moving: Vec::new(),
            frame_selected: true,
        }
    }

    /// The layer painted whole from `recs`, finished as the canvas takes it.
    fn whole(recs: &[Rec], read: &mut Reader, scene: &SceneKey) -> Pixels {
        let mut px = Pixels::default();
        px.clear(scene.size.0, scene.size.1);
        let all: Vec<&Rec> = recs.iter().collect();
        draw(&mut px, &all, read, scene);
        px.finish();
        px
    }

    /// `px` painted again around the changes from `was` to `now`, as the
    /// layer does.
    fn again(px: &mut Pixels, was: &[Rec], now: &[Rec], read: &mut Reader, scene: &SceneKey) {
        for area in areas(was, now, scene, read) {
            px.clip(Some(area.clone()), true);
            let near: Vec<&Rec> = now
                .iter()
                .filter(|r| extent(r, scene, read).meets(&area))
                .collect();
            draw(px, &near, read, scene);
            px.finish_area(&area);
        }
        px.clip(None, false);
    }

    fn same(a: &Pixels, b: &Pixels) -> usize {
        let (w, h) = (a.w, a.h);
        (0..w * h)
            .filter(|i| a.at(i % w, i / w) != b.at(i % w, i / w))
            .count()
    }

    #[wasm_bindgen_test]
    fn far_out_a_selected_server_is_framed_unless_the_selection_is_the_estate() {
        let probes = document().create_element("div").unwrap();
        let (fl, _) = flags(1);
        let rec = Rec {
            id: ServerId(1),
            p: Point { x: 800.0, y: 600.0 },
            w: 136.0,
            key: (dpm_rules::Kind::Protected, fl, false),
            focus: false,
        };
        // Far out (a box 7 by 3 pixels): the frame's top, 8 pixels above
        // the centre, well clear of the box and its border.
        let top = |framed: bool| {
            let mut read = reader(&probes);
            let mut scene = scene(0.05, (100, 60));
            scene.frame_selected = framed;
            let px = whole(&[rec], &mut read, &scene);
            let (x, y) = (4.0 + 800.0 * 0.05, 3.0 + 600.0 * 0.05 - 8.0);
            px.at(x as usize, y as usize).map_or(0, |p| p[3])
        };
        assert!(top(true) > 200, "framed: {}", top(true));
        assert_eq!(top(false), 0, "a selection of thousands: no frame");
    }

    #[wasm_bindgen_test]
    fn a_border_in_css_pixels_is_as_wide_at_any_zoom_and_one_in_units_scales() {
        let probes = document().create_element("div").unwrap();
        let (fl, _) = flags(1);
        let key = (dpm_rules::Kind::Protected, fl, false);
        let class = server_class(key.0, key.1, key.2);
        // The two borders' ink across the middle row of one selected box
        // (red on white), painted at zoom `k` with a 3 px border.
        let ink = |k: f64, dpr: f64, fixed: bool| {
            let mut read = reader(&probes);
            let look = Look {
                fill: "rgb(255, 255, 255)".into(),
                stroke: "rgb(255, 0, 0)".into(),
                width: 3.0,
                dash: Vec::new(),
                alpha: 1.0,
                fixed,
            };
            read.seen.retain(|((c, _, _), _)| *c != class);
            read.seen
                .push(((class.clone(), "rect", "body"), Some(look)));
            let mut scene = scene(k * dpr, (400, 160));
            scene.dpr = dpr;
            let rec = Rec {
                id: ServerId(1),
                p: Point { x: 150.0, y: 60.0 },
                w: 136.0,
                key,
                focus: false,
            };
            let px = whole(&[rec], &mut read, &scene);
            let y = (3.0 + 60.0 * k * dpr).round() as usize;
            (0..px.w)
                .filter_map(|x| px.at(x, y))
                .map(|[_, g, _, a]| f64::from(a) / 255.0 * (1.0 - f64::from(g) / 255.0))
                .sum::<f64>()
        };
        // (Close enough in for no frame: a box 14 pixels high or more.)
        // On a screen of two device pixels to a CSS pixel, twice as many.
        for (k, dpr) in [
            (0.25, 1.0),
            (0.3, 1.0),
            (0.44, 1.0),
            (0.25, 2.0),
            (0.44, 2.0),
        ] {
            let fixed = ink(k, dpr, true);
            let want = 6.0 * dpr;
            assert!(
                (fixed - want).abs() < 0.2,
                "two 3 px borders at {k}, {dpr}: {fixed}"
            );
            let scaled = ink(k, dpr, false);
            let want = 6.0 * k * dpr;
            assert!(
                (scaled - want).abs() < 0.2,
                "two borders of 3 units at {k}, {dpr}: {scaled}"
            );
        }
    }

    #[wasm_bindgen_test]
    fn servers_painted_again_around_a_change_are_a_whole_paintings_pixels() {
        let probes = document().create_element("div").unwrap();
        let mut read = reader(&probes);
        // Far out (boxes 7 by 2 pixels, framed when marked) and closer in.
        for (trial, k) in [0.05, 0.05, 0.12, 0.3, 0.02].into_iter().enumerate() {
            let scene = scene(k, (160, 100));
            let mut s = trial as u64 + 7;
            let mut recs: Vec<Rec> = (0..400)
                .map(|i| {
                    let (fl, risk) = flags(if next(&mut s, 1.0) < 0.6 {
                        0
                    } else {
                        next(&mut s, 8.0) as usize
                    });
                    Rec {
                        id: ServerId(i),
                        p: Point {
                            x: next(&mut s, 150.0 / k),
                            y: next(&mut s, 95.0 / k),
                        },
                        w: 136.0 + next(&mut s, 80.0).floor(),
                        key: (
                            if i % 3 == 0 {
                                dpm_rules::Kind::Dpm
                            } else {
                                dpm_rules::Kind::Protected
                            },
                            fl,
                            risk,
                        ),
                        focus: false,
                    }
                })
                .collect();
            let mut px = whole(&recs, &mut read, &scene);
            for step in 0..6 {
                let was = recs.clone();
                for _ in 0..1 + step % 4 {
                    let i = next(&mut s, recs.len() as f64) as usize;
                    let (fl, risk) = flags(next(&mut s, 8.0) as usize);
                    recs[i].key.1 = fl;
                    recs[i].key.2 = risk;
                    recs[i].focus = next(&mut s, 1.0) < 0.2;
                }
                again(&mut px, &was, &recs, &mut read, &scene);
                let want = whole(&recs, &mut read, &scene);
                assert_eq!(
                    same(&px, &want),
                    0,
                    "zoom {k}, change {step}: pixels that differ from a whole painting"
                );
            }
        }
    }

    #[wasm_bindgen_test]
    fn a_change_of_the_first_server_of_a_look_leaves_the_others_stacked_as_they_were() {
        // A, B, C in the drawing's order; A and C plain, B a candidate;
        // B and C overlap far from A. A selected: C and B stay stacked as
        // a whole painting stacks them (it once followed the order looks
        // were first seen in, which A's change turned round).
        let probes = document().create_element("div").unwrap();
        let mut read = reader(&probes);
        let scene = scene(0.1, (80, 40));
        let rec = |i: u32, x: f64, y: f64, f: usize| Rec {
            id: ServerId(i),
            p: Point { x, y },
            w: 136.0,
            key: (dpm_rules::Kind::Protected, flags(f).0, false),
            focus: false,
        };
        let was = vec![
            rec(0, 40.0, 40.0, 0),
            rec(1, 500.0, 200.0, 4),
            rec(2, 540.0, 210.0, 0),
        ];
        let mut now = was.clone();
        now[0].key.1 = flags(1).0;
        let mut px = whole(&was, &mut read, &scene);
        again(&mut px, &was, &now, &mut read, &scene);
        assert_eq!(same(&px, &whole(&now, &mut read, &scene)), 0);
    }

    #[wasm_bindgen_test]
    fn a_selected_single_point_shows_its_selection_frame_over_its_risk_frame() {
        let probes = document().create_element("div").unwrap();
        let mut read = reader(&probes);
        // Boxes 7 by 2 pixels: both frames 16 by 16, the left edge's line
        // two pixels wide over columns 45 and 46.
        let scene = scene(0.05, (100, 60));
        let r = Rec {
            id: ServerId(1),
            p: Point {
                x: 1000.0,
                y: 600.0,
            },
            w: 136.0,
            key: (dpm_rules::Kind::Protected, flags(1).0, true),
            focus: false,
        };
        let px = whole(&[r], &mut read, &scene);
        // The selection's frame ink (the reader's look 4), not the single
        // point's (look 6).
        assert_eq!(px.at(45, 33), Some([95, 40, 48, 255]));
    }
}
