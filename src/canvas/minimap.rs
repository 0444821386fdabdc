//! The minimap: the whole drawing small, with a frame where the view is.
//! A press or a drag on it moves the view there.
//!
//! It paints every server as a rectangle on a canvas (rasterised in the
//! wasm, `raster.rs`: as SVG paths of 10,000 rectangles, the browser took
//! 60 ms to raster the minimap again after each edit), and draws the
//! selection and the frame where the view is in an SVG over it. The
//! shapes follow the drawing, not the pointer: a dragged server reaches
//! the drawing when it is dropped, and only then does the minimap repaint.

use crate::browser::markup::el;
use crate::browser::markup::svg_layer;
use crate::browser::markup::Markup;
use crate::canvas::raster::{clear_canvas, colour, Pixels, Rgba};
use crate::state::editor::Editor;

use std::cell::{Cell, RefCell};

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use dpm_rules::NODE_H;

type Rect = (f64, f64, f64, f64);

thread_local! {
    /// The shapes' pixels, and one class's, kept from one painting to
    /// the next.
    static SHAPES: RefCell<(Pixels, Pixels)> = RefCell::new(Default::default());
    /// What the minimap spans, held still while the user drags on it, or
    /// the ground would move under the pointer.
    static HELD: Cell<Option<Rect>> = const { Cell::new(None) };
}

/// A box `w` wide centred on (x, y).
fn rect_path(out: &mut String, x: f64, y: f64, w: f64) {
    out.push_str(&format!(
        "M{} {}h{}v{}h-{}z",
        (x - w / 2.0) as i64,
        (y - NODE_H / 2.0) as i64,
        w as i64,
        NODE_H as i64,
        w as i64
    ));
}

/// x0, y0, x1, y1 of every server's rectangle in `t`; x0 > x1 for none
/// (measuring the names of the servers at the edges only).
fn bounds(t: &dpm_rules::Topology) -> Rect {
    dpm_rules::boxes_bounds(t).unwrap_or((f64::MAX, f64::MAX, f64::MIN, f64::MIN))
}

/// Paints every server of `t` on `canvas`, which shows `span` as an SVG
/// with `preserveAspectRatio="xMidYMid meet"` would: the others, then the
/// DPM servers, each in the look of its probe in `probes` (`.mm-others`,
/// `.mm-dpm`: fill, and an opacity for all of them together).
fn paint_shapes(
    canvas: &web_sys::HtmlCanvasElement,
    probes: &web_sys::Element,
    t: &dpm_rules::Topology,
    span: Rect,
) {
    let r = canvas.get_bounding_client_rect();
    let dpr = window().device_pixel_ratio().max(1.0);
    let (pw, ph) = (
        (r.width() * dpr).round() as u32,
        (r.height() * dpr).round() as u32,
    );
    let Some(g) = clear_canvas(canvas, (pw, ph), true, || {}) else {
        return;
    };
    let (vx, vy, vw, vh) = span;
    let s = (pw as f64 / vw.max(1.0)).min(ph as f64 / vh.max(1.0));
    let (ox, oy) = (
        (pw as f64 - vw * s) / 2.0 - vx * s,
        (ph as f64 - vh * s) / 2.0 - vy * s,
    );
    // A stroke of 1.5 px around each box, as the paths had.
    let pad = 0.75 * dpr;
    SHAPES.with(|b| {
        let (out, one) = &mut *b.borrow_mut();
        paint_classes((out, one), probes, t, (s, ox, oy, pad), (pw, ph));
        out.put(&g);
    });
}

/// The others, then the DPM servers, each class painted opaque on `one`
/// and laid on `out` with its opacity (see [`paint_shapes`]): boxes `s`
/// times their size, shifted by (`ox`, `oy`), grown by `pad` pixels.
fn paint_classes(
    (out, one): (&mut Pixels, &mut Pixels),
    probes: &web_sys::Element,
    t: &dpm_rules::Topology,
    (s, ox, oy, pad): (f64, f64, f64, f64),
    (pw, ph): (u32, u32),
) {
    out.clear(pw as usize, ph as usize);
    for (dpm, class) in [(false, "mm-others"), (true, "mm-dpm")] {
        let Some((ink, alpha)) = probe_look(probes, class) else {
            continue;
        };
        // Opaque, then laid on with the opacity at once: boxes that
        // overlap do not darken each other, as in one path.
        one.clear(pw as usize, ph as usize);
        for v in t.servers.iter().filter(|v| v.is_dpm() == dpm) {
            let Some(p) = v.pos else { continue };
            let (hw, hh) = (
                dpm_rules::box_width(&v.name) * s / 2.0 + pad,
                NODE_H * s / 2.0 + pad,
            );
            let (x, y) = (ox + p.x * s, oy + p.y * s);
            one.fill_rect((x - hw, y - hh), (x + hw, y + hh), ink);
        }
        out.lay(one, alpha);
    }
}

/// The fill of probe `.class` in `probes`, opaque, and its opacity.
fn probe_look(probes: &web_sys::Element, class: &str) -> Option<(Rgba, f32)> {
    let el = probes.query_selector(&format!(".{class}")).ok()??;
    let style = window().get_computed_style(&el).ok()??;
    let prop = |name: &str| style.get_property_value(name).unwrap_or_default();
    let opacity = js_sys::parse_float(&prop("opacity"));
    let ink = colour(&prop("fill"), 1.0)?;
    Some((
        ink,
        if opacity.is_finite() {
            opacity as f32
        } else {
            1.0
        },
    ))
}

/// The part of the drawing in view, in drawing units.
fn in_view(ed: Editor) -> Rect {
    let cam = ed.camera.get();
    let (w, h) = ed.viewport.get();
    let (a, b) = (cam.to_canvas(0.0, 0.0), cam.to_canvas(w, h));
    (a.x, a.y, b.x, b.y)
}

/// What the minimap spans (x, y, width, height): the drawing (`bounds`)
/// and the view, with a margin.
fn span_of((a0, b0, a1, b1): Rect, bounds: Option<Rect>) -> Rect {
    let (x0, y0, x1, y1) = bounds.unwrap_or((a0, b0, a1, b1));
    let (x0, y0, x1, y1) = (x0.min(a0), y0.min(b0), x1.max(a1), y1.max(b1));
    let m = (x1 - x0).max(y1 - y0) * 0.03;
    (x0 - m, y0 - m, x1 - x0 + 2.0 * m, y1 - y0 + 2.0 * m)
}

/// Moves the view to centre the point under the pointer (the SVG meets
/// its box, centred, spanning `span`).
fn go_to(ed: Editor, ev: &web_sys::PointerEvent, span: Rect) {
    let Some(el) = ev
        .current_target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
    else {
        return;
    };
    let r = el.get_bounding_client_rect();
    let (vx, vy, vw, vh) = span;
    let s = (r.width() / vw.max(1.0)).min(r.height() / vh.max(1.0));
    if s <= 0.0 {
        return;
    }
    let ox = r.left() + (r.width() - vw * s) / 2.0;
    let oy = r.top() + (r.height() - vh * s) / 2.0;
    let x = vx + (ev.client_x() as f64 - ox) / s;
    let y = vy + (ev.client_y() as f64 - oy) / s;
    let (w, h) = ed.viewport.get_untracked();
    ed.camera.update(|c| {
        c.x = w / 2.0 - x * c.k;
        c.y = h / 2.0 - y * c.k;
    });
}

/// The frame where the view is (`view`, in a map spanning `span`), over the
/// selection's path, and an unpainted box where the drawing is (`bounds`:
/// what a test presses on the painted shapes by).
fn frame((x0, y0, x1, y1): Rect, (sx, sy, sw, sh): Rect, selected: String, bounds: Rect) -> Markup {
    // A frame too small to spot (zoomed in on a large estate) gets
    // cross-hairs through it, from edge to edge of the map.
    let cross = ((x1 - x0) * 12.0 < sw).then(|| {
        let (cx, cy) = (((x0 + x1) / 2.0) as i64, ((y0 + y1) / 2.0) as i64);
        el("path").attr("class", "mm-cross").attr(
            "d",
            format!(
                "M{cx} {}V{}M{} {cy}H{}",
                sy as i64,
                (sy + sh) as i64,
                sx as i64,
                (sx + sw) as i64
            ),
        )
    });
    let px = |v: f64| (v as i64).to_string();
    let (b0, c0, b1, c1) = bounds;
    let drawing = (b0 <= b1).then(|| {
        el("rect")
            .attr("class", "mm-bounds")
            .attr("x", px(b0))
            .attr("y", px(c0))
            .attr("width", px(b1 - b0))
            .attr("height", px(c1 - c0))
    });
    Markup::concat(
        [
            drawing,
            Some(el("path").attr("class", "mm-selected").attr("d", selected)),
            cross,
        ]
        .into_iter()
        .flatten()
        .chain([el("rect")
            .attr("class", "mm-view")
            .attr("x", px(x0))
            .attr("y", px(y0))
            .attr("width", px((x1 - x0).max(1.0)))
            .attr("height", px((y1 - y0).max(1.0)))]),
    )
}

/// Paints the shapes on the minimap's canvas (made by the view, with its
/// probes, from the two node refs returned) whenever the drawing, the span
/// (`span`) or the theme changes while it is `visible`.
fn repaint_shapes(
    c: crate::ctx::Ctx,
    visible: Memo<bool>,
    span: impl Fn() -> Rect + Copy + Send + Sync + 'static,
) -> (NodeRef<leptos::html::Canvas>, NodeRef<leptos::svg::Svg>) {
    let ed = c.ed;
    let (canvas, probes) = (
        NodeRef::<leptos::html::Canvas>::new(),
        NodeRef::<leptos::svg::Svg>::new(),
    );
    let media = crate::canvas::ground::media_changes();
    let at = StoredValue::new(None);
    // The span last painted, whether a paint waits for an idle moment, and
    // whether the next must not (the theme, the colours or the minimap's
    // being shown changed, not the drawing).
    let (painted, waiting) = (StoredValue::new(None), StoredValue::new(false));
    let now = StoredValue::new(true);
    crate::browser::effect(move || {
        c.theme.track();
        media.track();
        visible.track();
        now.set_value(true);
    });
    let paint = move || {
        waiting.set_value(false);
        let (Some(el), Some(probes), Some(span)) = (
            canvas.get_untracked(),
            probes.get_untracked(),
            at.get_value(),
        ) else {
            return;
        };
        painted.set_value(Some(span));
        ed.shown
            .with_untracked(|t| paint_shapes(&el, &probes, t, span));
    };
    crate::canvas::layer::on_change(
        move || {
            c.theme.track();
            media.track();
            ed.shown.track();
            at.set_value(visible.get().then(span));
        },
        move || {
            // A new span (the view went past the drawing), a new look or
            // the minimap shown again is painted in the frame; an edit's
            // change, once the edit's frames are drawn and the browser is
            // idle (10,000 servers: 4-6 ms of painting in every edit's
            // frame, and then in the idle moment between its two).
            if painted.get_value() != at.get_value() || now.get_value() {
                now.set_value(false);
                paint();
            } else if !waiting.get_value() {
                waiting.set_value(true);
                crate::browser::after_frames(move || {
                    if waiting.try_get_value() == Some(true) {
                        paint();
                    }
                });
            }
        },
    );
    (canvas, probes)
}

#[component]
pub fn Minimap() -> impl IntoView {
    let c = crate::ctx::ctx();
    let ed = c.ed;
    let visible = crate::browser::memo(move |_| crate::ctx::minimap_shown(c));
    // (A memo of the type the canvas's area already has, not one of its
    // own: each value type compiles its own copy of a memo.)
    let bounds = crate::browser::memo(move |_| {
        if !visible.get() {
            return (1.0, 1.0, 0.0, 0.0);
        }
        ed.shown.with(bounds)
    });
    // A memo: the frame is rewritten on every pan, the selection (all
    // 10,000 after Ctrl+A) only when it or the drawing changes.
    let selected = crate::browser::memo(move |_| {
        let mut out = String::new();
        ed.selection.with(|sel| {
            ed.shown.with(|t| {
                for &id in sel {
                    if let Some(s) = t.server(id) {
                        if let Some(p) = s.pos {
                            rect_path(&mut out, p.x, p.y, dpm_rules::box_width(&s.name));
                        }
                    }
                }
            })
        });
        out
    });
    // What the minimap spans, held while the user drags on it.
    let span = move || {
        let view = in_view(ed);
        if let Some(r) = HELD.get() {
            return r;
        }
        let b = bounds.get();
        span_of(view, (b.0 <= b.2).then_some(b))
    };
    // In whole units, as the viewBox takes it, and a memo: the shapes are
    // painted again when it changes, not at each frame of a pan inside it.
    let whole = crate::browser::memo(move |_| {
        let (x, y, w, h) = span();
        let i = |v: f64| v as i64 as f64;
        (i(x), i(y), i(w.max(1.0)), i(h.max(1.0)))
    });
    let (canvas, probes) = repaint_shapes(c, visible, move || whole.get());
    let view_box = move || {
        let (x, y, w, h) = whole.get();
        format!("{} {} {} {}", x as i64, y as i64, w as i64, h as i64)
    };
    // The shapes change with the drawing and the span; the frame and the
    // selection with the view and the selection: two layers, so selecting
    // repaints no shape.
    view! {
        <Show when=move || visible.get()>
            <div class="minimap" data-testid="minimap" aria-hidden="true"
                title="Minimap: press or drag to move the view"
                on:pointerdown=move |ev| {
                    ev.prevent_default();
                    if let Some(el) = ev.current_target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()) {
                        let _ = el.set_pointer_capture(ev.pointer_id());
                    }
                    HELD.set(Some(span()));
                    go_to(ed, &ev, span());
                }
                on:pointermove=move |ev| if HELD.get().is_some() { go_to(ed, &ev, span()) }
                on:lostpointercapture=move |_| {
                    HELD.set(None);
                    // Let the minimap span the drawing and the view again.
                    ed.camera.update(|_| {});
                }>
                <svg class="mm-probes" node_ref=probes aria-hidden="true">
                    <path class="mm-others"></path><path class="mm-dpm"></path>
                </svg>
                <canvas class="mm-shapes" node_ref=canvas></canvas>
                <svg viewBox=view_box preserveAspectRatio="xMidYMid meet">{svg_layer("mm-frame", move || frame(in_view(ed), span(), selected.get(), bounds.get()))}</svg>
            </div>
        </Show>
    }
}
