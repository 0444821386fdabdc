//! Files out of the browser: a download from text or from an address, a
//! file name from a title, and the page's own address. Knows no app type.

use leptos::prelude::*;
use wasm_bindgen::{JsCast, JsValue};

/// Offers `body` as a file download.
pub fn download(name: &str, mime: &str, body: &str) {
    let parts = js_sys::Array::of1(&JsValue::from_str(body));
    let opts = web_sys::BlobPropertyBag::new();
    opts.set_type(mime);
    let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(&parts, &opts) else {
        return;
    };
    if let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) {
        download_url(name, &url);
        let _ = web_sys::Url::revoke_object_url(&url);
    }
}

pub fn download_url(name: &str, url: &str) {
    let doc = document();
    if let Ok(a) = doc.create_element("a") {
        let a: web_sys::HtmlAnchorElement = a.unchecked_into();
        a.set_href(url);
        a.set_download(name);
        if let Some(body) = doc.body() {
            let _ = body.append_child(&a);
            a.click();
            a.remove();
        }
    }
}

/// A file name stem from a title: lower-case letters and digits, one dash
/// for each run of anything else, at most 60 characters; `fallback` when
/// nothing is left.
pub fn stem_of(title: &str, fallback: &str) -> String {
    let mut s = String::new();
    for c in title.chars() {
        if c.is_ascii_alphanumeric() {
            s.push(c.to_ascii_lowercase());
        } else if !s.is_empty() && !s.ends_with('-') {
            s.push('-');
        }
    }
    let s: String = s.chars().take(60).collect();
    match s.trim_end_matches('-') {
        "" => fallback.to_string(),
        stem => stem.to_string(),
    }
}

/// The address of this page without its fragment.
pub fn page_url() -> String {
    let loc = window().location();
    format!(
        "{}{}",
        loc.origin().unwrap_or_default(),
        loc.pathname().unwrap_or_else(|_| "/".into())
    )
}
