//! The palette: drag a DPM server or a protected server onto the canvas,
//! or click one and then click where it goes; Enter puts one at the free
//! place nearest the middle of the view.

use crate::browser::dom::local;
use crate::ctx::Ctx;
use crate::state::editor::Mode;

use leptos::prelude::*;

use dpm_rules::{Kind, Point};

#[derive(Clone, Copy, Default)]
struct Drag {
    kind: Option<Kind>,
    x0: f64,
    y0: f64,
    moved: bool,
}

/// A server being carried from the palette to the canvas.
#[derive(Clone, Copy)]
struct Carry {
    drag: StoredValue<Drag>,
    /// What follows the pointer: the kind, at client x, y.
    ghost: RwSignal<Option<(Kind, f64, f64)>>,
    /// A click that ended a drag must not also arm the palette.
    just_dropped: StoredValue<bool>,
}

/// The canvas point under client (`cx`, `cy`), if over the canvas.
fn over_canvas(c: Ctx, cx: f64, cy: f64) -> Option<Point> {
    let el: web_sys::Element = c.svg.get_untracked()?.into();
    let r = el.get_bounding_client_rect();
    let inside = cx >= r.left() && cx <= r.right() && cy >= r.top() && cy <= r.bottom();
    inside.then(|| {
        let (sx, sy) = local(&el, cx, cy);
        c.ed.camera.get_untracked().to_canvas(sx, sy)
    })
}

/// Follows a carried server across the window, and drops it on the canvas.
fn follow(c: Ctx, carry: Carry) {
    let Carry {
        drag,
        ghost,
        just_dropped,
    } = carry;
    let mv = window_event_listener(leptos::ev::pointermove, move |ev| {
        let d = drag.get_value();
        let Some(kind) = d.kind else { return };
        let (x, y) = (ev.client_x() as f64, ev.client_y() as f64);
        if !d.moved && (x - d.x0).abs() + (y - d.y0).abs() < 5.0 {
            return;
        }
        drag.update_value(|d| d.moved = true);
        ghost.set(Some((kind, x, y)));
    });
    let up = window_event_listener(leptos::ev::pointerup, move |ev| {
        let d = drag.get_value();
        drag.set_value(Drag::default());
        ghost.set(None);
        let Some(kind) = d.kind else { return };
        if d.moved {
            just_dropped.set_value(true);
            if let Some(at) = over_canvas(c, ev.client_x() as f64, ev.client_y() as f64) {
                c.ed.add_server(kind, at);
            }
        }
    });
    on_cleanup(move || {
        mv.remove();
        up.remove();
    });
}

/// Where a server added from the keyboard goes: the free place nearest the
/// middle of the view, inside it (the rule crate's `free_place`), so that
/// several added in a row stand side by side instead of on one point.
fn keyboard_place(c: Ctx) -> Point {
    let (w, h) = c.ed.viewport.get_untracked();
    let cam = c.ed.camera.get_untracked();
    // Clear of the view's edges, where the controls float.
    let pad = 24.0;
    let (a, b) = (cam.to_canvas(pad, pad), cam.to_canvas(w - pad, h - pad));
    let mid = cam.to_canvas(w / 2.0, h / 2.0);
    c.ed.doc
        .with_untracked(|t| dpm_rules::free_place(t, mid, (a.x, a.y, b.x, b.y)))
}

/// One kind's button: pressed, it carries a server; clicked, it arms the
/// canvas; from the keyboard, it adds one at a free place in view.
fn item(
    c: Ctx,
    carry: Carry,
    kind: Kind,
    label: &'static str,
    action: &'static str,
) -> impl IntoView {
    let (ed, armed, ws) = (c.ed, c.armed.0, c.ws);
    let on_down = move |ev: web_sys::PointerEvent| {
        if ev.button() != 0 && ev.pointer_type() == "mouse" {
            return;
        }
        carry.just_dropped.set_value(false);
        carry.drag.set_value(Drag {
            kind: Some(kind),
            x0: ev.client_x() as f64,
            y0: ev.client_y() as f64,
            moved: false,
        });
    };
    let on_click = move |ev: web_sys::MouseEvent| {
        if carry.just_dropped.get_value() {
            carry.just_dropped.set_value(false);
            return;
        }
        if ev.detail() == 0 {
            let id = ed.add_server(kind, keyboard_place(c));
            ed.tell_step(
                format!(
                    "Added {}. Tab reaches it on the canvas; press C on a DPM server to protect.",
                    ed.doc.with_untracked(|t| t.name(id).to_string())
                ),
                None,
            );
            return;
        }
        armed.update(|a| *a = if *a == Some(kind) { None } else { Some(kind) });
    };
    let pressed = move || (armed.get() == Some(kind)).to_string();
    // An open exercise may leave a kind out of the palette.
    let absent = move || {
        ws.active.track();
        !crate::workshop::state::may_add(ed, kind)
    };
    view! {
        <button class=format!("palette-item {}", kind.as_str()) data-action=action aria-pressed=pressed
            class:hidden=absent
            title=format!("Drag onto the canvas, or click and then click the canvas, to add a {label}")
            on:pointerdown=on_down on:click=on_click
            disabled=move || ed.mode.get() != Mode::Edit>
            <span class="swatch" aria-hidden="true"></span>
            <span>{label}</span>
        </button>
    }
}

#[component]
pub fn Palette() -> impl IntoView {
    let c = crate::ctx::ctx();
    let (ed, armed, ws) = (c.ed, c.armed.0, c.ws);
    let carry = Carry {
        drag: StoredValue::new(Drag::default()),
        ghost: RwSignal::new(None),
        just_dropped: StoredValue::new(false),
    };
    follow(c, carry);
    let ghost_view = move || {
        carry.ghost.get().map(|(kind, x, y)| {
            view! {
                <div class=format!("palette-ghost {}", kind.as_str()) aria-hidden="true"
                    style:left=format!("{}px", dpm_rules::num(x - 68.0)) style:top=format!("{}px", dpm_rules::num(y - 28.0))>
                    {if kind == Kind::Dpm { "DPM server" } else { "Protected server" }}
                </div>
            }
        })
    };
    view! {
        <nav class="palette" aria-label="Palette">
            <h2 class="sr-only">"Add a server"</h2>
            {item(c, carry, Kind::Dpm, "DPM server", "add-dpm")}
            {item(c, carry, Kind::Protected, "Protected server", "add-protected")}
            <Show when=move || {
                ws.active.track();
                !crate::workshop::state::palette_open(ed)
            }>
                <p class="palette-hint" data-testid="palette-closed">"This exercise uses the servers it starts with."</p>
            </Show>
            <Show when=move || armed.get().is_some()>
                <p class="palette-hint" role="status">"Click the canvas to place it (Escape cancels)."</p>
            </Show>
            {ghost_view}
        </nav>
    }
}
