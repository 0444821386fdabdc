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
