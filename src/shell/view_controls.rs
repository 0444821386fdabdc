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
            <span class="zoom-level" aria-live="off">{move || zoom_label(c.ed.camera.get().k)}</span>
            {control(Cmd::ZoomOut)}
            {control(Cmd::Fit)}
            {control(Cmd::Find)}
            {control(Cmd::Minimap)}
        </div>
    }
}

/// The zoom `k` as a percentage: whole, and to a tenth below 10 % (a
/// large estate fits at 1 or 2 %, and a press of + from 1.6 % to 2 % would
/// show no change).
fn zoom_label(k: f64) -> String {
    let p = k * 100.0;
    if p < 9.95 {
        format!("{}%", dpm_rules::num(p))
    } else {
        format!("{}%", p.round() as i64)
    }
}

#[cfg(test)]
mod tests {
    use super::zoom_label;
    use wasm_bindgen_test::wasm_bindgen_test;

    wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

    #[wasm_bindgen_test]
    fn the_zoom_shows_a_tenth_below_ten_percent() {
        // A 10,000-server estate fits at 1.6 %; + then gives 2 %.
        assert_eq!(zoom_label(0.016), "1.6%");
        assert_eq!(zoom_label(0.02), "2%");
        assert_eq!(zoom_label(0.025), "2.5%");
        assert_eq!(zoom_label(0.0996), "10%");
        assert_eq!(zoom_label(0.333), "33%");
        assert_eq!(zoom_label(1.0), "100%");
    }
}
