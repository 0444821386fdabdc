//! Zoom, fit, find and the minimap, over the canvas: buttons of
//! [`crate::commands`], run by one click handler.

use leptos::prelude::*;

use crate::commands::{button, on_click, Cmd};
use crate::ctx::ctx;

/// Zoom, fit, find and the minimap, over the canvas.
#[component]
pub fn ViewControls() -> impl IntoView {
    let c = ctx();
    let control = move |cmd| button(c, cmd, "icon-button");
    view! {
        <div class="view-controls" role="group" aria-label="View" on:click=move |ev| on_click(c, &ev)>
            {control(Cmd::ZoomIn)}
            <span class="zoom-level" aria-live="off">{move || format!("{}%", (c.ed.camera.get().k * 100.0).round() as i64)}</span>
            {control(Cmd::ZoomOut)}
            {control(Cmd::Fit)}
            {control(Cmd::Find)}
            {control(Cmd::Minimap)}
        </div>
    }
}
