//! The whole app: the editor with its header, toolbar, workspace and
//! dialogs. Old embed links (`#view&s=...`) go on to the viewer's page.

use leptos::prelude::*;

use crate::canvas::find::FindBar;
use crate::canvas::minimap::Minimap;
use crate::canvas::palette::Palette;
use crate::canvas::tips::FindingTip;
use crate::canvas::tips::NameTip;
use crate::canvas::Canvas;
use crate::commands;
use crate::ctx::Ctx;
use crate::panels::findings::FindingsPanel;
use crate::panels::list::ServersList;
use crate::panels::properties::PropertiesPanel;
use crate::panels::risk::RiskPanel;
use crate::panels::table::TablePanel;
use crate::present::bar::PresenterBar;
use crate::shell::announcer::Announcer;
use crate::shell::dialogs::Dialogs;
use crate::shell::header::header;
use crate::shell::notice::NoticeBar;
use crate::shell::toolbar::toolbar;
use crate::shell::view_controls::ViewControls;
use crate::shell::{boot, clipboard};
use crate::sim::panel::SimPanel;
use crate::sim::walkthrough::Walkthrough;
use crate::state::editor::Mode;
use crate::workshop::task::TaskPanel;

/// The whole app: the editor. An embed link of the versions before the
/// viewer had a page of its own (`…/#view&s=…`) is sent on to that page by
/// index.html's inline script before this starts; should this start all the
/// same, it only waits for that, mounting no editor (which would save).
#[component]
pub fn App() -> impl IntoView {
    let hash = window().location().hash().unwrap_or_default();
    if hash == "#view" || hash.starts_with("#view&") {
        return view! { <p class="moved">"Opening the scenario in the viewer…"</p> }.into_any();
    }
    view! { <EditorApp /> }.into_any()
}

/// The editor: started by [`boot::start`], with the clipboard and the
/// keyboard listening, and its parts from top to bottom.
#[component]
fn EditorApp() -> impl IntoView {
    let c = boot::start();
    let import_prefill = RwSignal::new(None::<String>);
    clipboard::listen(c, import_prefill);
    let keys = window_event_listener(leptos::ev::keydown, move |ev| commands::on_key(c, &ev));
    on_cleanup(move || keys.remove());
    let simulating = move || c.ed.mode.get() == Mode::Simulate;
    let presenting = move || c.ed.mode.get() == Mode::Present;
    view! {
        <div class="app" class:simulating=simulating class:presenting=presenting>
            {header(c)}
            {toolbar(c)}
            <NoticeBar />
            <Announcer />
            <main class="workspace">
                <Palette />
                {canvas_column(c)}
                {side(c)}
            </main>
            <Show when=presenting>
                <PresenterBar />
            </Show>
            <Dialogs import_text=import_prefill />
        </div>
    }
}

/// The canvas with what floats over it: the finding tip, the view
/// controls, the minimap, the find bar and the first visit's hint.
fn canvas_column(c: Ctx) -> impl IntoView {
    let ed = c.ed;
    view! {
        <div class="canvas-col">
            <Canvas />
            <FindingTip />
            <NameTip />
            <ViewControls />
            <Minimap />
            <FindBar />
            // An editing hint (the palette is greyed out in the simulator,
            // whose own panel says what a click does there).
            <Show when=move || ed.hint.get() && ed.mode.get() == Mode::Edit>
                <div class="first-hint" role="note">
                    <span>{move || {
                        // An exercise that adds no server has no palette to drag from.
                        c.ws.active.track();
                        let add = if crate::workshop::state::palette_open(ed) { "Drag a server from the palette onto the canvas. " } else { "" };
                        format!("{add}To protect, drag from the dot under a DPM server onto another server. Press ? for the keyboard.")
                    }}</span>
                    <button class="icon-button" aria-label="Dismiss the hint" on:click=move |_| ed.dismiss_hint()>"×"</button>
                </div>
            </Show>
        </div>
    }
}

/// The side column: the exercise's task, then (editing) the Servers list,
/// the Risk view, properties, the walkthrough, problems and the table, or
/// (simulating) the simulator and problems.
///
/// The Problems panel is the same one in both, and the table stays made
/// (hidden) while the simulator is open: entering and leaving the
/// simulator made them again, some 40 ms of script and 50 ms of style and
/// layout at 10,000 servers (70 problems, the table's 300 rows). Hidden,
/// the table also keeps its layout (`.kept-hidden` in the stylesheet).
fn side(c: Ctx) -> impl IntoView {
    let simulating = move || c.ed.mode.get() == Mode::Simulate;
    view! {
        <aside class="side" aria-label="Details">
            <Show when=move || c.ws.active.with(|a| a.is_some())>
                <TaskPanel />
            </Show>
            <Show when=simulating fallback=move || view! {
                <Show when=move || c.lv.on.get()>
                    <ServersList />
                </Show>
                <Show when=move || c.rv.on.get()>
                    <RiskPanel />
                </Show>
                <PropertiesPanel />
                <Walkthrough />
            }>
                <SimPanel />
            </Show>
            <FindingsPanel />
            <div class="kept-hidden" hidden=simulating>
                <TablePanel />
            </div>
        </aside>
    }
}
