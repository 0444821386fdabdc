//! The minimap: the whole drawing small, with a frame where the view is.
//! A press or a drag on it moves the view there.
//!
//! It draws every server as one rectangle in two SVG paths (DPM servers and
//! the others) plus one for the selection, so 10,000 servers cost three
//! elements. The paths follow the drawing, not the pointer: a dragged
//! server reaches the drawing when it is dropped, and only then does the
//! minimap redraw. Moving the view only changes the frame and the viewBox.

use crate::browser::markup::el;
use crate::browser::markup::svg_layer;
use crate::browser::markup::Markup;
use crate::state::editor::Editor;

use std::cell::Cell;

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use dpm_rules::NODE_H;

type Rect = (f64, f64, f64, f64);

thread_local! {
    /// x0, y0, x1, y1 of every server's rectangle, as last drawn.
    static BOUNDS: Cell<Option<Rect>> = const { Cell::new(None) };
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

/// The drawing's shapes: every server's rectangle, in one path for DPM
/// servers and one for the others. Keeps their bounds in `BOUNDS`.
fn shapes(t: &dpm_rules::Topology) -> Markup {
    let (mut dpm, mut others) = (String::new(), String::new());
    let (mut x0, mut y0, mut x1, mut y1) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
    for v in &t.servers {
        let Some(p) = v.pos else { continue };
        let w = dpm_rules::box_width(&v.name);
        rect_path(if v.is_dpm() { &mut dpm } else { &mut others }, p.x, p.y, w);
        x0 = x0.min(p.x - w / 2.0);
        y0 = y0.min(p.y - NODE_H / 2.0);
        x1 = x1.max(p.x + w / 2.0);
        y1 = y1.max(p.y + NODE_H / 2.0);
    }
    BOUNDS.set((x0 <= x1).then_some((x0, y0, x1, y1)));
    Markup::concat([
        el("path").attr("class", "mm-others").attr("d", others),
        el("path").attr("class", "mm-dpm").attr("d", dpm),
    ])
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
/// selection's path.
fn frame((x0, y0, x1, y1): Rect, (sx, sy, sw, sh): Rect, selected: String) -> Markup {
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
    Markup::concat(
        [
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

#[component]
pub fn Minimap() -> impl IntoView {
    let c = crate::ctx::ctx();
    let ed = c.ed;
    let visible = crate::browser::memo(move |_| crate::ctx::minimap_shown(c));
    // Plain reactive types only (a Memo of a struct of its own would cost
    // its own copy of the reactive machinery in the wasm).
    let drawing = crate::browser::memo(move |_| {
        if !visible.get() {
            return Markup::default();
        }
        ed.shown.with(shapes)
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
        drawing.track();
        span_of(view, BOUNDS.get())
    };
    let view_box = move || {
        let (x, y, w, h) = span();
        format!(
            "{} {} {} {}",
            x as i64,
            y as i64,
            w.max(1.0) as i64,
            h.max(1.0) as i64
        )
    };
    // The shapes change with the drawing; the frame and the selection with
    // the view: two layers, so moving the view never re-reads 10,000
    // rectangles.
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
                <svg viewBox=view_box preserveAspectRatio="xMidYMid meet">{svg_layer("mm-shapes", move || drawing.get())}</svg>
                <svg viewBox=view_box preserveAspectRatio="xMidYMid meet">{svg_layer("mm-frame", move || frame(in_view(ed), span(), selected.get()))}</svg>
            </div>
        </Show>
    }
}
