//! The finding tip over the canvas: the findings of what the pointer or
//! focus is on.

use crate::state::derived::Derived;
use crate::state::editor::Mode;

use dpm_rules::{badge_symbol, num, Point, NODE_H};
use leptos::prelude::*;

/// The findings of the server or arrow under the pointer or keyboard focus,
/// with the documentation behind them.
#[component]
pub fn FindingTip() -> impl IntoView {
    let ed = crate::ctx::ctx().ed;
    let pos = crate::ctx::ctx().pos;
    let derived = expect_context::<Derived>();
    let tip = crate::ctx::ctx().tip;
    let cn = crate::ctx::ctx().cn;
    let card = move || {
        if cn.from.get().is_some() {
            return None;
        }
        // Where the tip hangs: under what it is about, or over it when
        // that is in the canvas's lower part (the tip would run off it).
        let (fs, at, over) = if let Some(id) = tip.server.get() {
            let fs = derived.findings.with(|f| f.of_server(id));
            let p = pos.get(id)?;
            let (under, over) = (p.y + NODE_H / 2.0, p.y - NODE_H / 2.0);
            (fs, Point { x: p.x, y: under }, Point { x: p.x, y: over })
        } else if let Some(l) = tip.link.get() {
            let fs = derived.findings.with(|f| f.of_link(l));
            let (a, b) = (pos.get(l.protector)?, pos.get(l.target)?);
            let (x, y) = ((a.x + b.x) / 2.0, (a.y + b.y) / 2.0);
            (fs, Point { x, y: y + 12.0 }, Point { x, y: y - 12.0 })
        } else {
            return None;
        };
        if fs.is_empty() {
            return None;
        }
        let cam = ed.camera.get();
        let (sx, sy) = cam.to_screen(at);
        let (w, h) = ed.viewport.get();
        // Nothing about a server out of view (kept in the canvas, its tip
        // would show, pointing at nothing): by the middle of what it is
        // about, so a box half out of view still has its tip.
        if !in_view(
            cam.to_screen(Point {
                x: at.x,
                y: (at.y + over.y) / 2.0,
            }),
            (w, h),
        ) {
            return None;
        }
        let flip = sy > h * 0.55;
        let (top, class) = if flip {
            (cam.to_screen(over).1 - 8.0, "finding-tip over")
        } else {
            (sy + 8.0, "finding-tip")
        };
        let items = fs
            .into_iter()
            .map(|f| {
                let src = ed.doc.with_untracked(|t| f.source(t));
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
            <div class=class role="tooltip" style:left=keep_in(sx) style:top=format!("{}px", num(top))>
                {items}
            </div>
        })
    };
    view! { {card} }
}

/// Whether the screen point `at` is on a canvas `size` (width, height)
/// pixels: what a tip is about must be, or the tip kept inside the canvas
/// would point at nothing.
fn in_view(at: (f64, f64), (w, h): (f64, f64)) -> bool {
    (0.0..=w).contains(&at.0) && (0.0..=h).contains(&at.1)
}

/// A tip's `left` (its middle, at `x` CSS pixels from the canvas's left)
/// kept so that the widest tip (340 pixels, `style/main.css`) stays
/// inside the canvas: a server near its edge had half its tip cut off.
/// On a canvas narrower than two such halves, the tip's middle is the
/// canvas's (and the style keeps it 16 pixels narrower than the canvas).
pub(crate) fn keep_in(x: f64) -> String {
    format!(
        "clamp(min(178px, 50%), {}px, max(calc(100% - 178px), 50%))",
        num(x)
    )
}

/// The name tip: a server's full name and role over its box, on hover and
/// focus, whenever the box shows less of them: a name or caption shortened
/// to fit, or text hidden because the zoom would draw it too small to
/// read; over the box, or under it at the canvas's top, kept inside the
/// canvas, and none for a server out of view. Hidden from assistive
/// technology: the server's label holds both.
#[component]
pub fn NameTip() -> impl IntoView {
    let c = crate::ctx::ctx();
    let derived = expect_context::<Derived>();
    let card = move || {
        let id = c.tip.server.get()?;
        if c.cn.from.get().is_some() {
            return None;
        }
        let (name, caption) = c.ed.shown.with(|t| {
            let s = t.server(id)?;
            Some((s.name.clone(), derived.caption(t, id)))
        })?;
        let hidden = derived.far.get() || !derived.text.get().is_empty();
        let whole = dpm_rules::fit_name(&name) == name
            && dpm_rules::fit_caption(&caption, &name) == caption;
        if !hidden && whole {
            return None;
        }
        let p = c.pos.get(id)?;
        let cam = c.ed.camera.get();
        let (w, h) = c.ed.viewport.get();
        // Nothing for a server out of view (kept inside the canvas, its tip
        // would read as another's): by its box's middle.
        if !in_view(cam.to_screen(p), (w, h)) {
            return None;
        }
        let (sx, sy) = cam.to_screen(Point {
            x: p.x,
            y: p.y - NODE_H / 2.0,
        });
        // Kept inside the canvas: its width measured as the box's names are
        // (the style's sizes, `style/main.css`), its middle no nearer an edge
        // than half of it; under the box when the canvas's top would cut it.
        let (big, small) = if c.ed.mode.get() == Mode::Present {
            (20.0, 16.0)
        } else {
            (13.0, 12.0)
        };
        let width = dpm_rules::text_width(&name, big, true)
            .max(dpm_rules::text_width(&caption, small, false))
            + 24.0;
        // The estimate is an upper bound (letters outside ASCII are counted
        // wide), which keeps a tip at most a little further from the edge.
        let half = (width / 2.0 + 8.0).min(w / 2.0);
        let left = format!(
            "clamp({h}px, {x}px, calc(100% - {h}px))",
            h = num(half),
            x = num(sx)
        );
        let height = 1.3 * (big + small) + 12.0;
        let (top, class) = if sy - 8.0 - height < 0.0 {
            let under = cam.to_screen(Point {
                x: p.x,
                y: p.y + NODE_H / 2.0,
            });
            (under.1 + 8.0, "name-tip under")
        } else {
            (sy - 8.0, "name-tip")
        };
        Some(view! {
            <div class=class aria-hidden="true" style:left=left
                style:top=format!("{}px", num(top))>
                <strong dir="auto">{name}</strong>
                <span>{caption}</span>
            </div>
        })
    };
    view! { {card} }
}
