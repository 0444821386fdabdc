//! DPM Sketch, the app: views, event wiring, animation and browser storage.
//! Every decision about DPM is the rule crate's (`dpm-rules`).

use leptos::prelude::*;

mod canvas;
mod panels;

pub use canvas::Canvas;
pub use panels::{FindingsPanel, TablePanel};

use dpm_rules::{check, presets, Summary, Topology};

/// The whole app.
#[component]
pub fn App() -> impl IntoView {
    let topology: RwSignal<Topology> = RwSignal::new(presets::scenario_1());
    let findings = Memo::new(move |_| topology.with(check));
    let status = move || findings.with(|f| Summary::of(f).status());
    let title = move || topology.with(|t| t.title.clone().unwrap_or_default());

    view! {
        <div class="app">
            <header class="app-header">
                <div class="brand">
                    <svg class="logo" viewBox="0 0 32 32" aria-hidden="true">
                        <rect x="3" y="3" width="26" height="11" rx="3" />
                        <rect x="3" y="18" width="26" height="11" rx="3" class="logo-lower" />
                        <path d="M16 14 L16 18" />
                    </svg>
                    <span class="product">"DPM Sketch"</span>
                </div>
                <span class="scenario-title" data-testid="scenario-title">{title}</span>
                <span class="status" data-testid="status">{status}</span>
            </header>
            <main class="workspace">
                <Canvas topology=topology.into() findings=findings.into() />
                <aside class="side">
                    <FindingsPanel topology=topology.into() findings=findings.into() />
                    <TablePanel topology=topology.into() />
                </aside>
            </main>
        </div>
    }
}
