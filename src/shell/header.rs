//! The header: the product, the drawing's title, the mode, and the status
//! line that counts the findings (`data-testid="status"`).

use leptos::prelude::*;

use dpm_rules::Summary;

use crate::ctx::Ctx;
use crate::state::editor::Mode;

/// The editor's header.
pub fn header(c: Ctx) -> impl IntoView {
    let ed = c.ed;
    // The drawing's title; in an exercise whose start has none, the
    // exercise's (the header was blank).
    let title = move || {
        ed.doc.with(|t| t.title.clone()).unwrap_or_else(|| {
            c.ws.active
                .with(|a| a.as_ref().map(|a| a.ex.title.clone()).unwrap_or_default())
        })
    };
    let summary = crate::browser::memo(move |_| ed.findings.with(|f| Summary::of(f)));
    let status_class = move || {
        let s = summary.get();
        if s.errors > 0 {
            "status error"
        } else if s.warnings > 0 {
            "status warning"
        } else {
            "status ok"
        }
    };
    view! {
        <header class="app-header">
            <div class="brand">
                <svg class="logo" viewBox="0 0 32 32" aria-hidden="true">
                    <rect x="3" y="3" width="26" height="11" rx="3" />
                    <rect x="3" y="18" width="26" height="11" rx="3" class="logo-lower" />
                    <path d="M16 14 L16 18" />
                </svg>
                <h1 class="product">"DPM Sketch"</h1>
            </div>
            <span class="scenario-title" data-testid="scenario-title">{title}</span>
            <span class="mode-badge" class:hidden=move || ed.mode.get() != Mode::Simulate>"Simulating"</span>
            <span class=status_class data-testid="status" role="status">{move || summary.get().status()}</span>
        </header>
    }
}
