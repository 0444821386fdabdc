//! The toolbar: every command's button, grouped as the user meets them
//! (the drawing, history, arrangement, views, exchange, the app). The
//! buttons come from [`crate::commands`]; one click handler runs them.

use leptos::prelude::*;

use dpm_rules::presets;

use crate::browser::dom::menu_select;
use crate::commands::{button, on_click, Cmd};
use crate::ctx::Ctx;
use crate::state::editor::Mode;
use crate::workshop::task::ExercisePicker;

/// The toolbar of the editor.
pub fn toolbar(c: Ctx) -> impl IntoView {
    let ed = c.ed;
    let tool = move |cmd| button(c, cmd, "tool");
    // A preset replaces the drawing as one undoable step, and says so, as
    // a share link does.
    let (preset_change, preset_key) = menu_select(Callback::new(move |id: String| {
        if let Some(t) = presets::preset(&id) {
            let title = t.title.clone().unwrap_or_default();
            ed.open(t);
            ed.tell_step(
                format!("Opened the preset “{title}”. Your drawing is one Undo away."),
                Some("Bring back my drawing"),
            );
        }
    }));
    view! {
        <div class="toolbar" role="toolbar" aria-label="Commands" on:click=move |ev| on_click(c, &ev)>
            <div class="tool-group">
                {tool(Cmd::New)}
                <select class="tool" data-action="preset" aria-label="Open a preset" on:change=preset_change on:keydown=preset_key>
                    <option value="">"Presets…"</option>
                    {presets::PRESETS.iter().map(|p| view! { <option value=p.id>{p.title}</option> }).collect_view()}
                </select>
                <ExercisePicker />
                {tool(Cmd::Author)}
            </div>
            <div class="tool-group">{tool(Cmd::Undo)} {tool(Cmd::Redo)}</div>
            <div class="tool-group">{tool(Cmd::Layout)} {tool(Cmd::Snap)}</div>
            <div class="tool-group">
                {simulate_button(c)}
                {tool(Cmd::List)} {tool(Cmd::Risk)} {tool(Cmd::Copies)}
            </div>
            <div class="tool-group">
                {tool(Cmd::Import)} {tool(Cmd::Export)} {tool(Cmd::Share)} {tool(Cmd::Embed)}
            </div>
            <div class="tool-group end">
                {theme_button(c)} {tool(Cmd::Present)} {tool(Cmd::Keys)}
            </div>
        </div>
    }
}

/// Simulate, whose label says how to stop while simulating.
fn simulate_button(c: Ctx) -> impl IntoView {
    let cmd = Cmd::Simulate;
    let simulating = move || c.ed.mode.get() == Mode::Simulate;
    view! {
        <button class="tool accent" data-action=cmd.id() title=cmd.title()
            aria-pressed=move || simulating().to_string()>
            {move || if simulating() { "■ Stop simulating" } else { cmd.label() }}
        </button>
    }
}

/// Theme, whose symbol and name say the theme chosen.
fn theme_button(c: Ctx) -> impl IntoView {
    let cmd = Cmd::Theme;
    let label = move || match c.theme.get().as_str() {
        "light" => ("☀", "Theme: Light"),
        "dark" => ("☾", "Theme: Dark"),
        _ => (cmd.label(), "Theme: Auto"),
    };
    view! {
        <button class="tool" data-action=cmd.id() title=cmd.title()
            aria-label=move || label().1>{move || label().0}</button>
    }
}
