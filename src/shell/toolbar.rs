//! The toolbar: every command's button, grouped as the user meets them
//! (the drawing, history, arrangement, views, exchange, the app). The
//! buttons come from [`crate::commands`]; one click handler runs them.
//!
//! What does not fit the width goes under "More", in a fixed order (the
//! least used first), decided by measuring the bar whenever the window,
//! the mode or the theme changes: no button is ever cut off or scrolled
//! out of sight. The items keep their `data-action` wherever they are.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use dpm_rules::presets;

use crate::browser::dom::menu_select;
use crate::commands::{button, on_click, Cmd};
use crate::ctx::Ctx;
use crate::state::editor::Mode;
use crate::workshop::task::ExercisePicker;

/// The `data-action` of each item, by group, in the bar's order.
const GROUPS: [&[&str]; 6] = [
    &["new", "preset", "exercises", "author"],
    &["undo", "redo"],
    &["layout", "snap"],
    &["simulate", "list", "risk", "copies"],
    &["import", "export", "share", "embed"],
    &["theme", "present", "keys"],
];

/// The order items go under "More" when the bar is too narrow: the least
/// used first, the drawing's first steps (New, a preset, Simulate) last.
const MOVE_ORDER: [&str; 19] = [
    "embed",
    "keys",
    "snap",
    "share",
    "author",
    "copies",
    "layout",
    "risk",
    "list",
    "exercises",
    "theme",
    "import",
    "export",
    "present",
    "redo",
    "undo",
    "preset",
    "new",
    "simulate",
];

/// The bar's state: how many items are under "More" and whether it is
/// open.
#[derive(Clone, Copy)]
struct Overflow {
    moved: RwSignal<usize>,
    open: RwSignal<bool>,
    bar: NodeRef<leptos::html::Div>,
    menu: NodeRef<leptos::html::Div>,
    button: NodeRef<leptos::html::Button>,
}

/// The toolbar of the editor.
pub fn toolbar(c: Ctx) -> impl IntoView {
    let o = Overflow {
        moved: RwSignal::new(0),
        open: RwSignal::new(false),
        bar: NodeRef::new(),
        menu: NodeRef::new(),
        button: NodeRef::new(),
    };
    let resize = window_event_listener(leptos::ev::resize, move |_| fit(o, 0));
    on_cleanup(move || resize.remove());
    crate::browser::effect(move || {
        // Labels change width with the mode and the theme.
        c.ed.mode.track();
        c.theme.track();
        request_animation_frame(move || fit(o, 0));
    });
    let tool = move |cmd| button(c, cmd, "tool");
    let on_bar_click = move |ev: web_sys::MouseEvent| {
        on_click(c, &ev);
        // A command run from "More" closes it.
        let in_menu = crate::browser::dom::clicked(&ev)
            .is_some_and(|b| b.closest(".more-menu").ok().flatten().is_some());
        if in_menu {
            o.open.set(false);
        }
    };
    view! {
        <div class="toolbar" role="toolbar" aria-label="Commands" node_ref=o.bar on:click=on_bar_click>
            <div class="tool-group">
                {tool(Cmd::New)} {preset_select(c)} <ExercisePicker /> {tool(Cmd::Author)}
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
            {more(o)}
        </div>
    }
}

/// An item of the bar by its `data-action`, wherever it is.
fn item(bar: &web_sys::Element, id: &str) -> Option<web_sys::HtmlElement> {
    bar.query_selector(&format!("[data-action=\"{id}\"]"))
        .ok()
        .flatten()
        .and_then(|e| e.dyn_into().ok())
}

/// Puts the first `moved` of [`MOVE_ORDER`] under "More" and the rest in
/// their groups, each in the bar's order. The elements move, not copies:
/// they keep their `data-action` and their handlers. Only the items whose
/// place changes move (a moved element loses keyboard focus); focus comes
/// back to the item, or to "More" if the item went under it closed.
fn arrange(o: Overflow, bar: &web_sys::Element, moved: usize) {
    let Some(menu) = o.menu.get_untracked() else {
        return;
    };
    let focused = document().active_element();
    place_items(o, bar, moved);
    let Some(f) = focused.filter(|f| bar.contains(Some(f))) else {
        return;
    };
    // After the reactive updates ("More" shown, or hidden) are drawn. Lost
    // is fallen to the page: focus the user moved on in between (`/` just
    // after Simulate, to the find field) stays where it went, or the keys
    // typed next would be commands.
    request_animation_frame(move || {
        let body = document().body();
        let lost = document()
            .active_element()
            .is_none_or(|a| body.is_some_and(|b| a.is_same_node(Some(&b))));
        if !lost {
            return;
        }
        let hidden = menu.contains(Some(&f)) && !o.open.get_untracked();
        let to = if hidden {
            o.button.get_untracked().map(|b| b.into())
        } else {
            f.dyn_into::<web_sys::HtmlElement>().ok()
        };
        if let Some(to) = to {
            let _ = to.focus();
        }
    });
}

/// The first `moved` of [`MOVE_ORDER`] under "More", the rest in their
/// groups (what [`arrange`] does, focus aside).
fn place_items(o: Overflow, bar: &web_sys::Element, moved: usize) {
    let Some(menu) = o.menu.get_untracked() else {
        return;
    };
    let groups = bar.children();
    let mut under = Vec::new();
    for (g, ids) in GROUPS.iter().enumerate() {
        let Some(group) = groups.item(g as u32) else {
            continue;
        };
        let (out, stay): (Vec<&str>, Vec<&str>) =
            ids.iter().partition(|id| MOVE_ORDER[..moved].contains(id));
        place(bar, &group, &stay);
        under.extend(out);
    }
    place(bar, &menu, &under);
}

/// Makes the items `ids` the elements of `into`, in that order, moving only
/// those not already in place (others there, leaving, are passed over).
fn place(bar: &web_sys::Element, into: &web_sys::Element, ids: &[&str]) {
    let wanted: Vec<web_sys::HtmlElement> = ids.iter().filter_map(|id| item(bar, id)).collect();
    let mut at = into.first_element_child();
    for e in &wanted {
        // Pass over what stays elsewhere or leaves.
        while let Some(a) = at
            .clone()
            .filter(|a| !wanted.iter().any(|w| w.is_same_node(Some(a))))
        {
            at = a.next_element_sibling();
        }
        if at.as_ref().is_some_and(|a| e.is_same_node(Some(a))) {
            at = e.next_element_sibling();
        } else {
            let _ = into.insert_before(e, at.as_ref().map(|a| a.as_ref()));
        }
    }
}

thread_local! {
    /// The bar's room and its items' width when the last item tried back
    /// from "More" did not fit: tried again only when either changes
    /// (refits come with every resize event while a window's edge is
    /// dragged). One toolbar.
    static REFUSED: std::cell::Cell<Option<(f64, f64)>> = const { std::cell::Cell::new(None) };
}

/// Moves items under "More" while the bar overflows, and back while the
/// next fits, a step a frame (each step laid out first); `n` counts steps.
/// Whether one fits back is tried in the bar and measured, in the same
/// task (no frame shows the try): an estimate of its width and gaps kept
/// Snap under "More" after the simulator's wider button had sent it there,
/// with the room for it back.
fn fit(o: Overflow, n: usize) {
    let Some(bar) = o.bar.get_untracked() else {
        return;
    };
    // The items' widths and the gaps between them; "More" left out when
    // `more` is false (the last one back takes it away).
    let used = |more: bool| {
        let kids = bar.children();
        let (mut used, mut count) = (0.0, 0.0);
        for i in 0..kids.length() {
            let Some(k) = kids
                .item(i)
                .and_then(|k| k.dyn_into::<web_sys::HtmlElement>().ok())
            else {
                continue;
            };
            let is_more = k.class_list().contains("more-wrap");
            if k.offset_width() > 0 && (more || !is_more) {
                used += f64::from(k.offset_width());
                count += 1.0;
            }
        }
        used + 4.0 * (count - 1.0f64).max(0.0)
    };
    let moved = o.moved.get_untracked();
    let room = f64::from(bar.client_width()) - 24.0;
    let now = used(true);
    let step = if now > room + 0.5 && moved < MOVE_ORDER.len() {
        Some(moved + 1)
    } else if moved > 0 && REFUSED.get() != Some((room, now)) {
        // The try moves an item out of "More" and maybe back: focus that
        // a move takes from an item is given back at once (a focus given
        // back a frame later took it from wherever the user had gone
        // since, as the find field).
        let focused = document().active_element();
        let keep_focus = || {
            if let Some(f) = focused.as_ref().filter(|f| bar.contains(Some(f))) {
                if !document()
                    .active_element()
                    .is_some_and(|a| a.is_same_node(Some(f)))
                {
                    if let Ok(f) = f.clone().dyn_into::<web_sys::HtmlElement>() {
                        let _ = f.focus();
                    }
                }
            }
        };
        place_items(o, &bar, moved - 1);
        let fits = used(moved > 1) <= room + 0.5;
        if !fits {
            place_items(o, &bar, moved);
        }
        keep_focus();
        REFUSED.set((!fits).then_some((room, now)));
        fits.then_some(moved - 1)
    } else {
        None
    };
    if let Some(m) = step.filter(|_| n < 2 * MOVE_ORDER.len()) {
        arrange(o, &bar, m);
        o.moved.set(m);
        if m == 0 {
            o.open.set(false);
        }
        request_animation_frame(move || fit(o, n + 1));
    }
}

/// "More": a button that opens the items that do not fit (moved there by
/// [`arrange`]). Arrow keys move within, Escape closes and gives focus
/// back, focus leaving closes.
fn more(o: Overflow) -> impl IntoView {
    let button = o.button;
    let menu = o.menu;
    let focus_item = move |last: bool| {
        request_animation_frame(move || {
            let Some(all) = menu
                .get_untracked()
                .and_then(|m| m.query_selector_all("button, select").ok())
            else {
                return;
            };
            let pick = if last {
                all.length().saturating_sub(1)
            } else {
                0
            };
            if let Some(e) = all
                .item(pick)
                .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
            {
                let _ = e.focus();
            }
        });
    };
    let on_click = move |ev: web_sys::MouseEvent| {
        let open = !o.open.get_untracked();
        o.open.set(open);
        // Opened by the keyboard (Enter, Space): focus goes in.
        if open && ev.detail() == 0 {
            focus_item(false);
        }
    };
    let on_button_key = move |ev: web_sys::KeyboardEvent| {
        let key = ev.key();
        if key == "ArrowDown" || key == "ArrowUp" {
            ev.prevent_default();
            o.open.set(true);
            focus_item(key == "ArrowUp");
        }
    };
    let close = move |focus: bool| {
        o.open.set(false);
        if let Some(b) = button.get_untracked().filter(|_| focus) {
            let _ = b.focus();
        }
    };
    let on_focusout = move |ev: web_sys::FocusEvent| {
        let to = ev
            .related_target()
            .and_then(|t| t.dyn_into::<web_sys::Node>().ok());
        let stays = menu
            .get_untracked()
            .is_some_and(|m| m.contains(to.as_ref()))
            || button
                .get_untracked()
                .is_some_and(|b| b.contains(to.as_ref()));
        if !stays {
            o.open.set(false);
        }
    };
    // A list under More that acted (it shows its label again) closes it; a
    // change by an arrow key waits for Enter (`menu_select`), More stays.
    let picked = move |ev: leptos::ev::Event| {
        let acted = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlSelectElement>().ok())
            .is_some_and(|s| s.value().is_empty());
        if acted {
            o.open.set(false);
        }
    };
    view! {
        <div class="more-wrap" hidden=move || o.moved.get() == 0 on:focusout=on_focusout>
            <button class="tool more" node_ref=button data-testid="more"
                aria-expanded=move || o.open.get().to_string() aria-controls="more-menu"
                title="The commands that do not fit the toolbar"
                on:click=on_click on:keydown=on_button_key>
                "More ▾"
            </button>
            <div id="more-menu" class="more-menu" role="group" aria-label="More commands" node_ref=menu
                hidden=move || !o.open.get()
                on:keydown=move |ev| menu_key(ev, menu, close) on:change=picked>
            </div>
        </div>
    }
}

/// Keys in the open "More": Up and Down (Home, End) move between its
/// items, a list's too (Space or Alt+Down opens a list), Escape closes it.
fn menu_key(ev: web_sys::KeyboardEvent, menu: NodeRef<leptos::html::Div>, close: impl Fn(bool)) {
    let key = ev.key();
    if key == "Escape" {
        ev.prevent_default();
        ev.stop_propagation();
        close(true);
        return;
    }
    let Some(m) = menu.get_untracked() else {
        return;
    };
    let Ok(all) = m.query_selector_all("button, select") else {
        return;
    };
    let n = all.length();
    let at = (0..n)
        .find(|&i| {
            all.item(i)
                .zip(ev.target().and_then(|t| t.dyn_into::<web_sys::Node>().ok()))
                .is_some_and(|(e, t)| e.is_same_node(Some(&t)))
        })
        .unwrap_or(0);
    let to = match key.as_str() {
        "ArrowDown" => (at + 1) % n.max(1),
        "ArrowUp" => (at + n.max(1) - 1) % n.max(1),
        "Home" => 0,
        "End" => n.saturating_sub(1),
        _ => return,
    };
    ev.prevent_default();
    ev.stop_propagation();
    if let Some(e) = all
        .item(to)
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
    {
        let _ = e.focus();
    }
}

/// The presets: one replaces the drawing as one undoable step, and says
/// so, as a share link does.
fn preset_select(c: Ctx) -> impl IntoView {
    let ed = c.ed;
    let (preset_change, preset_key) = menu_select(Callback::new(move |id: String| {
        if let Some(t) = presets::preset(&id) {
            let title = t.title.clone().unwrap_or_default();
            if ed.open(t) {
                ed.tell_step(
                    format!("Opened the preset “{title}”. Your drawing is one Undo away."),
                    Some("Bring back my drawing"),
                );
            }
        }
    }));
    view! {
        <select class="tool" data-action="preset" aria-label="Open a preset" on:change=preset_change on:keydown=preset_key>
            <option value="">"Presets…"</option>
            {presets::PRESETS.iter().map(|p| view! { <option value=p.id>{p.label()}</option> }).collect_view()}
        </select>
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
