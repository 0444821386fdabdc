//! The browser's local storage: read, write, and keep a copy aside. Knows
//! no app type; every failure (storage off, quota full) is a `None` or a
//! `false` the caller turns into a message.

/// Where copies are kept aside (saves that could not be read, drawings
/// replaced by a link, a tab's copy): this prefix, a time and why.
pub const KEPT_PREFIX: &str = "dpm-sketch/kept/";

use leptos::prelude::*;

/// The page's localStorage, when the page may use it (a sandboxed frame may
/// not).
pub fn storage() -> Option<web_sys::Storage> {
    window().local_storage().ok().flatten()
}

pub fn stored(key: &str) -> Option<String> {
    storage()?.get_item(key).ok().flatten()
}

#[wasm_bindgen::prelude::wasm_bindgen]
extern "C" {
    /// A `Storage` whose strings stay the browser's.
    type RawStorage;
    #[wasm_bindgen(method, catch, js_name = getItem)]
    fn get_item_js(
        this: &RawStorage,
        key: &str,
    ) -> Result<wasm_bindgen::JsValue, wasm_bindgen::JsValue>;
    #[wasm_bindgen(method, catch, js_name = setItem)]
    fn set_item_js(
        this: &RawStorage,
        key: &str,
        value: &wasm_bindgen::JsValue,
    ) -> Result<(), wasm_bindgen::JsValue>;
}

/// What `key` holds as the browser's own string (null when nothing), not
/// copied into the wasm: a drawing of 10,000 servers is 2 MB of text, and
/// comparing it with what was saved is the browser's work.
pub fn stored_js(key: &str) -> wasm_bindgen::JsValue {
    raw()
        .and_then(|s| s.get_item_js(key).ok())
        .unwrap_or(wasm_bindgen::JsValue::NULL)
}

/// Writes the browser string `value` under `key`; false when refused (no
/// storage, or full).
pub fn store_js(key: &str, value: &wasm_bindgen::JsValue) -> bool {
    raw().is_some_and(|s| s.set_item_js(key, value).is_ok())
}

fn raw() -> Option<RawStorage> {
    use wasm_bindgen::JsCast;
    storage().map(|s| s.unchecked_into())
}

pub fn store(key: &str, value: &str) -> bool {
    storage().is_some_and(|s| s.set_item(key, value).is_ok())
}

/// Keeps `text` aside under a new key that names `why`; returns the key.
pub fn keep_aside(why: &str, text: &str) -> Option<String> {
    let key = format!("{KEPT_PREFIX}{}-{why}", js_sys::Date::now() as u64);
    store(&key, text).then_some(key)
}

/// Every kept-aside drawing: (key, text).
pub fn kept() -> Vec<(String, String)> {
    let Some(s) = storage() else {
        return Vec::new();
    };
    let n = s.length().unwrap_or(0);
    let mut out: Vec<(String, String)> = (0..n)
        .filter_map(|i| s.key(i).ok().flatten())
        .filter(|k| k.starts_with(KEPT_PREFIX))
        .filter_map(|k| s.get_item(&k).ok().flatten().map(|v| (k, v)))
        .collect();
    dpm_rules::sort_by(&mut out, &|a, b| b.cmp(a));
    out
}
