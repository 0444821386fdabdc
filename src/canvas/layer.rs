//! A painted layer of the far view (`ground.rs`, `lines.rs`) or the
//! minimap: when it is painted, on what canvas, at what size, and what
//! it paints from.

use dpm_rules::hash::{HashMap, HashSet};
use std::rc::Rc;

use dpm_rules::{Point, ServerId};
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::canvas::raster::clear_canvas;
use crate::ctx::Ctx;

/// How many selected servers (the last selected) the canvas draws with
/// their hooks wherever they are, as nodes or as markup: zoomed out over
/// its painting (`ground.rs`), and on a drawing not drawn whole, out of
/// the area drawn (`ground::selection_hooks`): Ctrl+A on 10,000 would
/// draw them all again. A selection of no more than this
/// has its protections painted on a layer of their own (`lines.rs`). The
/// painting frames them all.
pub const MOST_SELECTED: usize = 200;

/// The last `n` servers of `selection` (the last selected), as a set: those
/// the canvas keeps as nodes ([`NODES_SELECTED`](crate::canvas::ground::NODES_SELECTED))
/// or with their hooks ([`MOST_SELECTED`]) wherever they are. A tracked read.
pub fn last_selected(selection: RwSignal<Vec<ServerId>>, n: usize) -> HashSet<ServerId> {
    selection.with(|s| s.iter().rev().take(n).copied().collect())
}

/// The part of the drawing in view: x0, y0, x1, y1 in its units.
pub type View = (f64, f64, f64, f64);

/// Runs `track` now and whenever what it reads changes, and `paint` once
/// in the next animation frame after each such change.
pub fn on_change(track: impl Fn() + 'static, paint: impl Fn() + Copy + 'static) {
    let queued = StoredValue::new(false);
    crate::browser::effect(move || {
        track();
        if queued.get_value() {
            return;
        }
        queued.set_value(true);
        request_animation_frame(move || {
            queued.set_value(false);
            paint();
        });
    });
}

/// A layer's canvas sized to the drawing's (cleared when `clear`, and
/// emptied when the drawing is not painted) and its context, with its size
/// in pixels; None when there is nothing to paint.
pub fn surface(
    c: Ctx,
    canvas: NodeRef<leptos::html::Canvas>,
    on: Memo<bool>,
    clear: bool,
) -> Option<(web_sys::CanvasRenderingContext2d, (u32, u32))> {
    let el = canvas.get_untracked()?;
    let on = on.get_untracked();
    // The canvas's size: the viewport, which `fit::measure` gives the
    // canvas as its size in pixels (reading its box here would force a
    // layout in the middle of painting). The painting is laid over it from
    // its top left, at its size, never stretched.
    let (w, h) = c.ed.viewport.get_untracked();
    let dpr = window().device_pixel_ratio().max(1.0);
    let (pw, ph) = if on {
        ((w * dpr).round() as u32, (h * dpr).round() as u32)
    } else {
        (0, 0)
    };
    let g = clear_canvas(&el, (pw, ph), clear, || {
        let style = web_sys::HtmlElement::style(&el);
        let _ = style.set_property("width", &format!("{}px", dpm_rules::num(w)));
        let _ = style.set_property("height", &format!("{}px", dpm_rules::num(h)));
    })?;
    Some((g, (pw, ph)))
}

/// The probes, the part of the drawing in view, where each server is
/// shown, and the servers being dragged.
pub type Scene = (
    web_sys::Element,
    View,
    Rc<HashMap<ServerId, Point>>,
    HashSet<ServerId>,
);

/// What a layer paints from: the probes, the part of the drawing in view,
/// where each server is shown now (gliding through a simulator's step) and
/// the servers being dragged. Leaves `g` as it is: a layer sets its
/// transform when it paints ([`crate::canvas::raster::clear_canvas`] says
/// why no sooner).
pub fn scene(
    c: Ctx,
    g: &web_sys::CanvasRenderingContext2d,
    probes: NodeRef<leptos::svg::G>,
    dragging: RwSignal<Vec<ServerId>>,
) -> Option<Scene> {
    let probes: web_sys::Element = probes.get_untracked()?.unchecked_into();
    let cam = c.ed.camera.get_untracked();
    let dpr = window().device_pixel_ratio().max(1.0);
    let (w, h) = (
        g.canvas()?.width() as f64 / dpr,
        g.canvas()?.height() as f64 / dpr,
    );
    let (a, b) = (cam.to_canvas(0.0, 0.0), cam.to_canvas(w, h));
    let moving: HashSet<ServerId> = dragging.with_untracked(|d| d.iter().copied().collect());
    Some((probes, (a.x, a.y, b.x, b.y), c.pos.snapshot(), moving))
}

/// From the drawing's units to the canvas's pixels: `k` times, then
/// shifted by (`x`, `y`).
#[derive(Clone, Copy, PartialEq)]
pub struct Pen {
    pub k: f64,
    pub x: f64,
    pub y: f64,
}

impl Pen {
    /// The camera's, on a canvas of the device's pixels.
    pub fn now(c: Ctx) -> Pen {
        let cam = c.ed.camera.get_untracked();
        let dpr = window().device_pixel_ratio().max(1.0);
        Pen {
            k: dpr * cam.k,
            x: dpr * cam.x,
            y: dpr * cam.y,
        }
    }

    pub fn at(self, p: Point) -> (f64, f64) {
        (self.x + self.k * p.x, self.y + self.k * p.y)
    }

    /// The box `w` wide and `h` high around `p`, as two corners in pixels.
    pub fn rect(self, p: Point, (w, h): (f64, f64)) -> ((f64, f64), (f64, f64)) {
        let (x, y) = self.at(p);
        let (hw, hh) = (self.k * w / 2.0, self.k * h / 2.0);
        ((x - hw, y - hh), (x + hw, y + hh))
    }
}
