//! Puts the documentation viewer's page (`view.html`, which `trunk build`
//! makes: see scripts/viewer-page.mjs) into `dpm-check`, for
//! `export --to html`. Looked for at `$DPM_VIEWER_PAGE`, else at the
//! workspace's `dist/view.html`. Without it, `dpm-check` is built all the
//! same and `export --to html` says how to get the viewer in.

use std::path::PathBuf;

fn main() {
    println!("cargo::rustc-check-cfg=cfg(viewer_page)");
    println!("cargo::rerun-if-env-changed=DPM_VIEWER_PAGE");
    let page = std::env::var_os("DPM_VIEWER_PAGE")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            let dir = std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default();
            PathBuf::from(dir).join("../dist/view.html")
        });
    println!("cargo::rerun-if-changed={}", page.display());
    let Ok(text) = std::fs::read_to_string(&page) else {
        return;
    };
    let out = PathBuf::from(std::env::var_os("OUT_DIR").unwrap_or_default()).join("view.html");
    if std::fs::write(&out, text).is_ok() {
        println!("cargo::rustc-cfg=viewer_page");
    }
}
