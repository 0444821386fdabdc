//! The canvas's place and size: the servers' positions follow the drawing
//! shown (gliding through the simulator's steps), the canvas is measured,
//! and the view fits the drawing when asked and on opening.

use crate::ctx::Ctx;
use crate::state::editor::Camera;
use crate::state::editor::Mode;

use dpm_rules::{positions, NODE_H};
use leptos::prelude::*;

/// Installs the effects and the resize listener, for the canvas's life.
pub fn install(c: Ctx) {
    let (ed, pos) = (c.ed, c.pos);
    // Positions follow what is shown; steps of the simulator glide. After
    // an edit, only the servers it touched are looked at (an arrow key on
    // 10,000 servers: one, not a map of 10,000 made and compared).
    let mark = StoredValue::new(crate::state::editor::Mark::default());
    crate::browser::effect(move || {
        let gliding =
            ed.showing_step() && ed.glide.get_value() && !crate::browser::dom::reduced_motion();
        let touched = mark.try_update_value(|m| ed.touched_since(m)).flatten();
        ed.shown.with(|t| {
            // (A step that glides moves every server it moves together;
            // a glide cut short leaves servers between two places.)
            let whole = gliding || crate::state::positions::gliding();
            if let Some(ids) = touched.filter(|_| !whole) {
                if pos.sync_some(t, &ids) {
                    return;
                }
            }
            let at = positions(t);
            if gliding {
                crate::state::positions::glide(pos, t, &at);
            } else {
                pos.sync(t, &at);
            }
        });
    });
    crate::browser::effect(move || {
        ed.fit_request.get();
        // After the positions of a newly opened drawing are in.
        request_animation_frame(move || fit(c));
    });
    let resize = window_event_listener(leptos::ev::resize, move |_| measure(c));
    on_cleanup(move || resize.remove());
    watch_size(c);
}

/// Measures the canvas again whenever its box (the canvas's frame, which
/// the canvas fills) changes size without the window doing so (a notice
/// above it, the side panels, the presenter's bar), for the canvas's life:
/// culling and the painted far view follow.
fn watch_size(c: Ctx) {
    use wasm_bindgen::closure::Closure;
    use wasm_bindgen::JsCast;
    let on_size = Closure::<dyn Fn()>::new(move || measure(c));
    let Ok(observer) = web_sys::ResizeObserver::new(on_size.as_ref().unchecked_ref()) else {
        return;
    };
    // After the first render, when the canvas is there.
    let held = StoredValue::new_local(Some((on_size, observer)));
    request_animation_frame(move || {
        let frame = c.svg.get_untracked().and_then(|el| el.parent_element());
        if let (Some(el), true) = (frame, held.with_value(|h| h.is_some())) {
            held.with_value(|h| {
                if let Some((_, o)) = h {
                    o.observe(&el);
                }
            });
        }
    });
    on_cleanup(move || {
        if let Some((_, o)) = held.try_update_value(|h| h.take()).flatten() {
            o.disconnect();
        }
    });
}

/// The canvas's size on screen (its frame's), into the editor's viewport,
/// and onto the canvas as a size in pixels.
///
/// The canvas is given its size, not left at 100 % of its frame: sized by
/// its frame, it is laid out again with everything in it at each change of
/// the side panel beside it (the page's grid lays its items out again), and
/// at 10,000 servers close in that is 20-30 ms of SVG text layout, and
/// 10 ms of hit testing after, at every selection. At a size of its own,
/// such a layout leaves it alone.
fn measure(c: Ctx) {
    use wasm_bindgen::JsCast;
    let Some(el) = c.svg.get_untracked() else {
        return;
    };
    let Some(frame) = el.parent_element() else {
        return;
    };
    let r = frame.get_bounding_client_rect();
    // (On the page, not in the window: a phone's page scrolls.)
    keep_drawing_in_place(c, &frame, r.top() + window().scroll_y().unwrap_or(0.0));
    let size = (r.width().max(1.0), r.height().max(1.0));
    let style = el.unchecked_ref::<web_sys::SvgElement>().style();
    for (name, v) in [("width", size.0), ("height", size.1)] {
        // Rounded down: a size rounded up may be a little over the frame's.
        // (`fixed`, not `{}` of a float: its formatting is 10 KB of wasm.)
        let down = (v * 1000.0).floor() / 1000.0;
        let _ = style.set_property(name, &format!("{}px", dpm_rules::fixed(down, 3)));
    }
    if c.ed.viewport.get_untracked() != size {
        c.ed.viewport.set(size);
    }
}

thread_local! {
    /// The canvas's frame and its top on the page when last measured.
    static TOP: std::cell::RefCell<Option<(web_sys::Element, f64)>> =
        const { std::cell::RefCell::new(None) };
}

/// Keeps the drawing where it is on the page when the canvas's frame moves
/// up or down on it (`top`: its top on the page now): a notice above it
/// coming or going moved every server by the notice's height, under the
/// user's pointer, some seconds after the notice came (`#generate=2000`:
/// 45 px). The view pans by as much the other way. (Fit, which measures
/// first, sets the view afterwards anyway.)
fn keep_drawing_in_place(c: Ctx, frame: &web_sys::Element, top: f64) {
    let moved = TOP.with(|t| {
        let mut t = t.borrow_mut();
        let moved = match t.as_ref() {
            Some((el, was)) if el == frame => top - was,
            _ => 0.0,
        };
        *t = Some((frame.clone(), top));
        moved
    });
    if moved.abs() >= 0.5 {
        c.ed.camera.update(|cam| cam.y -= moved);
    }
}

/// How much of the canvas the presenter's bar covers, in pixels, as
/// (from the right, from the bottom): along the bottom, a long scene
/// caption wraps and makes the bar taller than the room the layout keeps
/// for it; beside the drawing (a caption with a table, on a wide screen),
/// whatever of its width the layout's room does not hold.
fn under_presenter_bar(c: Ctx) -> (f64, f64) {
    let canvas = c
        .svg
        .get_untracked()
        .map(|el| el.get_bounding_client_rect());
    let bar = document()
        .query_selector(".presenter-bar")
        .ok()
        .flatten()
        .map(|el| el.get_bounding_client_rect());
    match (canvas, bar) {
        (Some(c), Some(b)) if b.left() > c.left() + 1.0 => {
            ((c.right() - b.left()).max(0.0) + 8.0, 0.0)
        }
        (Some(c), Some(b)) => (0.0, (c.bottom() - b.top()).max(0.0) + 8.0),
        _ => (0.0, 0.0),
    }
}

/// The view that shows the whole drawing.
fn fit(c: Ctx) {
    let ed = c.ed;
    measure(c);
    if let Some(cam) = ed.view_request.get_value() {
        ed.view_request.set_value(None);
        ed.camera.set(cam);
        return;
    }
    let (w, h) = ed.viewport.get_untracked();
    let present = ed.mode.get_untracked() == Mode::Present;
    let (bar_w, bar_h) = if present {
        under_presenter_bar(c)
    } else {
        (0.0, 0.0)
    };
    // Where the servers are going, not where a glide has them now: a
    // step of a failover fits the step's drawing.
    let bounds = ed.shown.with_untracked(|t| {
        // Each box as wide as its name makes it.
        let at = positions(t);
        t.servers
            .iter()
            .filter_map(|s| Some((*at.get(&s.id)?, dpm_rules::box_width(&s.name) / 2.0)))
            .fold(None, |b, (p, hw)| {
                let (x0, y0, x1, y1) = b.unwrap_or((f64::MAX, p.y, f64::MIN, p.y));
                Some((x0.min(p.x - hw), y0.min(p.y), x1.max(p.x + hw), y1.max(p.y)))
            })
    });
    let cam = match bounds {
        Some((x0, y0, x1, y1)) => Camera::fitting_readable(
            (x0, y0 - NODE_H / 2.0 - 24.0, x1, y1 + NODE_H / 2.0),
            (
                w - bar_w,
                // Clear of the zoom buttons, and of the first-visit hint (the
                // presenter shows neither: the drawing takes the room above
                // its bar, however tall a scene's caption makes it, or beside
                // it).
                h - if present {
                    bar_h
                } else if ed.hint.get_untracked() && ed.mode.get_untracked() == Mode::Edit {
                    110.0
                } else {
                    56.0
                },
            ),
            // Large on a projector.
            if present { 2.5 } else { 1.25 },
            // Where names show (`text_classes` goes by the names' size
            // outside the presenter, which draws them larger): a fit just
            // short of it gives up most of its margin first.
            crate::state::derived::MIN_TEXT_PX / dpm_rules::NAME_PX,
        ),
        None => Camera {
            x: 0.0,
            y: 0.0,
            k: 1.0,
        },
    };
    ed.camera.set(cam);
}
