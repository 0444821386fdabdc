//! Zoom, fit, find and the minimap, over the canvas.

use crate::browser::dom::clicked;
use crate::canvas::minimap;
use crate::state::editor::Editor;

use leptos::prelude::*;

pub fn zoom_by(ed: Editor, factor: f64) {
    let (w, h) = ed.viewport.get_untracked();
    ed.camera
        .update(|c| *c = c.zoomed(factor, w / 2.0, h / 2.0));
}

/// Shows the minimap if hidden, hides it if shown.
pub fn toggle_minimap() {
    let c = crate::ctx::ctx();
    let n = c.ed.shown.with_untracked(|t| t.servers.len());
    let now = c
        .minimap
        .with_untracked(|m| m.unwrap_or(n > minimap::AUTO_FROM));
    c.minimap.set(Some(!now));
}

/// Zoom, fit, find and the minimap, over the canvas.
#[component]
pub fn ViewControls() -> impl IntoView {
    let ed = crate::ctx::ctx().ed;
    let find = crate::ctx::ctx().find;
    let mm = crate::ctx::ctx().minimap;
    view! {
        <div class="view-controls" role="group" aria-label="View" on:click=move |ev| {
            match clicked(&ev).and_then(|b| b.get_attribute("data-action")).as_deref() {
                Some("zoom-in") => zoom_by(ed, 1.25),
                Some("zoom-out") => zoom_by(ed, 0.8),
                Some("fit") => ed.request_fit(),
                Some("find") => find.update(|f| *f = !*f),
                Some("minimap") => toggle_minimap(),
                _ => {}
            }
        }>
            <button class="icon-button" data-action="zoom-in" aria-label="Zoom in" title="Zoom in (+)">"+"</button>
            <span class="zoom-level" aria-live="off">{move || format!("{}%", (ed.camera.get().k * 100.0).round() as i64)}</span>
            <button class="icon-button" data-action="zoom-out" aria-label="Zoom out" title="Zoom out (−)">"−"</button>
            <button class="icon-button" data-action="fit" aria-label="Fit to view" title="Fit to view (F)">"⤢"</button>
            <button class="icon-button" data-action="find" aria-label="Find a server" title="Find a server by name (/ or Ctrl+F)">"⌕"</button>
            <button class="icon-button" data-action="minimap" aria-label="Minimap" title="Minimap: the whole drawing, and where the view is (M)"
                aria-pressed=move || minimap::shown(mm, ed.shown.with(|t| t.servers.len())).to_string()>"▣"</button>
        </div>
    }
}
