//! Puts the documentation viewer's page (`view.html`, which `trunk build`
//! makes: see scripts/viewer-page.mjs) into `dpm-check`, for
//! `export --to html`. Looked for at `$DPM_VIEWER_PAGE`, else at the
//! workspace's `dist/view.html`. Without it, `dpm-check` is built all the
//! same, and `export --to html` says how to get the viewer in (or takes one
//! with `--viewer`).

use std::path::{Path, PathBuf};

fn main() {
    println!("cargo::rustc-check-cfg=cfg(viewer_page)");
    println!("cargo::rerun-if-env-changed=DPM_VIEWER_PAGE");
    let given = std::env::var_os("DPM_VIEWER_PAGE").map(PathBuf::from);
    let page = given.clone().unwrap_or_else(|| {
        let dir = std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default();
        PathBuf::from(dir).join("../dist/view.html")
    });
    // Watch the page; while it does not exist, its folder (so that the
    // first `trunk build` brings it in), or, with no folder either, the
    // missing path itself (Cargo then runs this again on each build, which
    // costs a moment until the app is built).
    let watched: &Path = match page.parent() {
        Some(dir) if !page.exists() && dir.is_dir() => dir,
        _ => &page,
    };
    println!("cargo::rerun-if-changed={}", watched.display());
    let Ok(text) = std::fs::read_to_string(&page) else {
        if let Some(g) = given {
            println!(
                "cargo::warning=DPM_VIEWER_PAGE={} cannot be read: dpm-check is built without the viewer",
                g.display()
            );
        }
        return;
    };
    let out = PathBuf::from(std::env::var_os("OUT_DIR").unwrap_or_default()).join("view.html");
    if std::fs::write(&out, text).is_ok() {
        println!("cargo::rustc-cfg=viewer_page");
    }
}
