//! The documentation viewer: a scenario from a link, read-only, sized to
//! its frame, with its findings, a "Simulate a failure" control and a link
//! to open it in the editor. It never touches the browser's storage (a
//! sandboxed frame has none).

use crate::state::editor::Editor;
use crate::state::editor::Mode;

use leptos::prelude::*;

use dpm_rules::{Summary, Topology};

#[component]
pub fn Viewer(scenario: Result<Topology, String>) -> impl IntoView {
    let t = match scenario {
        Ok(t) => t,
        Err(e) => {
            return view! {
                <div class="viewer viewer-error" role="alert">
                    <p><strong>"This scenario cannot be shown."</strong></p>
                    <p>{e}</p>
                </div>
            }
            .into_any()
        }
    };
    let ed = Editor::new(Topology::new(), true);
    crate::ctx::provide_editor_context(ed);
    let c = crate::ctx::ctx();
    ed.open(t);
    let title = move || {
        ed.doc
            .with(|t| t.title.clone().unwrap_or_else(|| "DPM scenario".into()))
    };
    let status = move || ed.findings.with(|f| Summary::of(f).status());
    let editor_link = move || {
        ed.doc.with(|t| {
            format!(
                "{}#s={}",
                crate::browser::files::page_url(),
                dpm_rules::to_share(t)
            )
        })
    };
    let simulating = move || ed.mode.get() == Mode::Simulate;
    view! {
        <div class="viewer" class:simulating=simulating>
            <header class="viewer-bar">
                <span class="viewer-title">{title}</span>
                <span class="status" data-testid="status">{status}</span>
                <button class="btn small" data-action="simulate" aria-pressed=move || simulating().to_string()
                    on:click=move |_| crate::commands::Cmd::Simulate.run(c)>
                    {move || if simulating() { "Stop simulating" } else { "Simulate a failure" }}
                </button>
                <a class="btn small" href=editor_link target="_blank" rel="noopener" data-action="open-editor">"Open in the editor ↗"</a>
            </header>
            <div class="viewer-body">
                <crate::canvas::Canvas />
                <aside class="viewer-side">
                    <Show when=simulating fallback=|| view! { <crate::panels::findings::FindingsPanel /> }>
                        <crate::sim::panel::SimPanel />
                    </Show>
                </aside>
            </div>
        </div>
    }
    .into_any()
}
