//! Components in a real browser (headless Chromium via wasm-bindgen-test).
#![cfg(target_arch = "wasm32")]

use dpm_sketch::App;
use leptos::mount::mount_to;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn mount_app() -> (web_sys::HtmlElement, impl Drop) {
    let document = leptos::prelude::document();
    let wrapper: web_sys::HtmlElement =
        document.create_element("section").unwrap().unchecked_into();
    document.body().unwrap().append_child(&wrapper).unwrap();
    let handle = mount_to(wrapper.clone(), || view! { <App /> });
    (wrapper, handle)
}

fn attrs(root: &web_sys::HtmlElement, selector: &str, attr: &str) -> Vec<String> {
    let list = root.query_selector_all(selector).unwrap();
    let mut out: Vec<String> = (0..list.length())
        .filter_map(|i| list.item(i))
        .filter_map(|n| n.dyn_into::<web_sys::Element>().ok())
        .filter_map(|e| e.get_attribute(attr))
        .collect();
    out.sort();
    out
}

#[wasm_bindgen_test]
fn app_draws_scenario_1_from_the_rule_crate() {
    let (root, _handle) = mount_app();
    assert_eq!(
        attrs(&root, "[data-server]", "data-server"),
        ["DS1", "DS2", "DS3", "DS4", "PS1", "PS2", "PS3", "PS4"]
    );
    assert_eq!(
        attrs(&root, "[data-protection]", "data-protection").len(),
        7
    );
    root.remove();
}

#[wasm_bindgen_test]
fn table_panel_follows_the_seed_layout() {
    let (root, _handle) = mount_app();
    let rows = root.query_selector_all(".dpm-table tbody tr").unwrap();
    let text: Vec<String> = (0..rows.length())
        .filter_map(|i| rows.item(i))
        .map(|r| r.text_content().unwrap_or_default())
        .collect();
    assert_eq!(
        text,
        [
            "DS1 (primary)PS1, PS2DS3",
            "DS2 (primary)PS3, PS4DS3",
            "DS3 (secondary)DS1, DS2DS4",
            "DS4 (secondary)DS3-",
        ]
    );
    root.remove();
}

#[wasm_bindgen_test]
fn findings_panel_cites_the_documentation() {
    let (root, _handle) = mount_app();
    assert_eq!(
        attrs(&root, ".findings-panel [data-rule]", "data-rule"),
        ["single-copy-dpm"]
    );
    let source = root.query_selector(".finding-source").unwrap().unwrap();
    assert!(source
        .text_content()
        .unwrap_or_default()
        .contains("Back up DPM using a secondary server"));
    root.remove();
}
