//! Every command a toolbar button, a view control or a key gives, declared
//! once (as Excalidraw's actions, tldraw's `kbd` and rerun's `UICommand`
//! are): its `data-action` id, its keys, its label and title, when it is
//! allowed, and what it does. The toolbar, the view controls, the keydown
//! handler and the Keys dialog all read this, so a key and its button
//! cannot drift apart and the Keys dialog cannot list a key that does
//! nothing.
//!
//! Not here: buttons that belong to one panel or notice (`list-unlink`, an
//! option's Play, `notice-undo`, `take-over`): they are not commands of the
//! app and stay with their owners. Gestures that act on the focused server
//! (Enter, Space, C) are the node's; [`GESTURES`] lists them for the Keys
//! dialog.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use dpm_rules::{apply_layout, Point, GRID};

use crate::browser::dom::{focus_within, in_field, typing};
use crate::browser::storage::store;
use crate::ctx::{minimap_shown, Ctx};
use crate::present::state as present;
use crate::sim::state as sim;
use crate::state::editor::{Dialog, Mode, SNAP_KEY, THEME_KEY};

/// A command of the app.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Cmd {
    New,
    Author,
    Undo,
    Redo,
    Layout,
    Snap,
    Simulate,
    List,
    Risk,
    Copies,
    Import,
    Export,
    Share,
    Embed,
    Theme,
    Present,
    Keys,
    ZoomIn,
    ZoomOut,
    Fit,
    Find,
    Minimap,
    SelectAll,
    Delete,
}

/// Keys that act on what has focus rather than run a command, in the
/// order the Keys dialog lists them before the commands: (keys, what).
pub const GESTURES: &[(&str, &str)] = &[
    ("Tab / Shift+Tab", "Go from server to server"),
    ("Enter", "Edit the focused server's properties"),
    (
        "Space, Shift+Space",
        "Select the focused server; with Shift, add it to the selection or take it out",
    ),
    (
        "C",
        "Start a protection from the focused DPM server; Tab to the target, Enter to make it",
    ),
    ("Escape", "Cancel, close, or leave the simulation"),
    ("Arrow keys", "Move the selected servers (Shift: further)"),
    ("Ctrl/Cmd+C, V", "Copy and paste servers"),
];

impl Cmd {
    /// Every command, in the order the Keys dialog lists those with keys.
    pub const ALL: [Cmd; 24] = [
        Cmd::Delete,
        Cmd::Undo,
        Cmd::Redo,
        Cmd::SelectAll,
        Cmd::ZoomIn,
        Cmd::ZoomOut,
        Cmd::Fit,
        Cmd::Simulate,
        Cmd::List,
        Cmd::Minimap,
        Cmd::Find,
        Cmd::Keys,
        Cmd::New,
        Cmd::Author,
        Cmd::Layout,
        Cmd::Snap,
        Cmd::Risk,
        Cmd::Copies,
        Cmd::Import,
        Cmd::Export,
        Cmd::Share,
        Cmd::Embed,
        Cmd::Theme,
        Cmd::Present,
    ];

    /// The `data-action` of its button: the automation surface, never
    /// renamed.
    pub fn id(self) -> &'static str {
        match self {
            Cmd::New => "new",
            Cmd::Author => "author",
            Cmd::Undo => "undo",
            Cmd::Redo => "redo",
            Cmd::Layout => "layout",
            Cmd::Snap => "snap",
            Cmd::Simulate => "simulate",
            Cmd::List => "list",
            Cmd::Risk => "risk",
            Cmd::Copies => "copies",
            Cmd::Import => "import",
            Cmd::Export => "export",
            Cmd::Share => "share",
            Cmd::Embed => "embed",
            Cmd::Theme => "theme",
            Cmd::Present => "present",
            Cmd::Keys => "keys",
            Cmd::ZoomIn => "zoom-in",
            Cmd::ZoomOut => "zoom-out",
            Cmd::Fit => "fit",
            Cmd::Find => "find",
            Cmd::Minimap => "minimap",
            Cmd::SelectAll => "select-all",
            Cmd::Delete => "delete-selection",
        }
    }

    /// The command whose button has this `data-action`.
    pub fn from_id(id: &str) -> Option<Cmd> {
        Cmd::ALL.into_iter().find(|c| c.id() == id)
    }

    /// What its button shows (for most, the command's name); "" for a
    /// command without a button of its own.
    pub fn label(self) -> &'static str {
        match self {
            Cmd::New => "New",
            Cmd::Author => "Make exercise",
            Cmd::Undo => "↶",
            Cmd::Redo => "↷",
            Cmd::Layout => "Layout",
            Cmd::Snap => "Snap",
            Cmd::Simulate => "⚡ Simulate",
            Cmd::List => "List",
            Cmd::Risk => "Risk",
            Cmd::Copies => "Copies",
            Cmd::Import => "Import",
            Cmd::Export => "Export",
            Cmd::Share => "Share",
            Cmd::Embed => "Embed",
            Cmd::Theme => "◐",
            Cmd::Present => "Present",
            Cmd::Keys => "?",
            Cmd::ZoomIn => "+",
            Cmd::ZoomOut => "−",
            Cmd::Fit => "⤢",
            Cmd::Find => "⌕",
            Cmd::Minimap => "▣",
            Cmd::SelectAll | Cmd::Delete => "",
        }
    }

    /// The accessible name of a button that shows a symbol.
    pub fn aria_label(self) -> Option<&'static str> {
        Some(match self {
            Cmd::Undo => "Undo",
            Cmd::Redo => "Redo",
            Cmd::Keys => "Keyboard shortcuts",
            Cmd::ZoomIn => "Zoom in",
            Cmd::ZoomOut => "Zoom out",
            Cmd::Fit => "Fit to view",
            Cmd::Find => "Find a server",
            Cmd::Minimap => "Minimap",
            _ => return None,
        })
    }

    /// What it does, as its button's tooltip says before the keys.
    fn tip(self) -> &'static str {
        match self {
            Cmd::New => "New drawing",
            Cmd::Author => "Make an exercise of this drawing: a task, goals, hints; then a link or a file",
            Cmd::Undo => "Undo",
            Cmd::Redo => "Redo",
            Cmd::Layout => "Auto-layout: lay the drawing out in layers",
            Cmd::Snap => "Snap to the grid while moving (hold Alt to place freely)",
            Cmd::Simulate => "Fail servers and see what DPM lets you do",
            Cmd::List => "The drawing as a list: every server, its protections and findings; edit from it",
            Cmd::Risk => "Single points of failure, and the protections that would remove them",
            Cmd::Copies => "Show where the copies are: replication along every protection, and what each DPM server holds",
            Cmd::Import => "Open a file, or paste JSON, a table or a link",
            Cmd::Export => "JSON, table, Mermaid, DOT, SVG, PNG",
            Cmd::Share => "A link with the whole scenario in it",
            Cmd::Embed => "Code for a documentation page",
            Cmd::Theme => "Theme: switch between light and dark, or follow the system (Auto)",
            Cmd::Present => "Present on a projector: full screen, scenes walked with PageDown/PageUp",
            Cmd::Keys => "Keyboard shortcuts",
            Cmd::ZoomIn => "Zoom in",
            Cmd::ZoomOut => "Zoom out",
            Cmd::Fit => "Fit to view",
            Cmd::Find => "Find a server by name",
            Cmd::Minimap => "Minimap: the whole drawing, and where the view is",
            Cmd::SelectAll => "Select every server",
            Cmd::Delete => "Delete what is selected",
        }
    }

    /// The Keys dialog's line for a command with keys.
    pub fn about(self) -> &'static str {
        match self {
            Cmd::Fit => "Fit the drawing in view",
            Cmd::Simulate => "Simulate a failure (in simulation: Enter fails the focused server)",
            Cmd::List => "Open or close the Servers list: the drawing as text, edited from there",
            Cmd::Minimap => "Show or hide the minimap; press or drag on it to move the view",
            Cmd::Find => "Find a server by name; Enter goes to the next, Shift+Enter back",
            Cmd::Keys => "This list",
            other => other.tip(),
        }
    }

    /// Its keys as the Keys dialog and the button's title show them; ""
    /// when it has none.
    pub fn keys(self) -> &'static str {
        match self {
            Cmd::Undo => "Ctrl/Cmd+Z",
            Cmd::Redo => "Ctrl/Cmd+Shift+Z, Ctrl+Y",
            Cmd::SelectAll => "Ctrl/Cmd+A",
            Cmd::Delete => "Delete / Backspace",
            Cmd::ZoomIn => "+",
            Cmd::ZoomOut => "-",
            Cmd::Fit => "F",
            Cmd::Simulate => "S",
            Cmd::List => "L",
            Cmd::Minimap => "M",
            Cmd::Find => "/ or Ctrl/Cmd+F",
            Cmd::Keys => "?",
            _ => "",
        }
    }

    /// The command a key gives (`key` as `KeyboardEvent.key`, lower-cased),
    /// whether or not it is allowed now. Kept in step with [`Cmd::keys`]
    /// by the test `every_key_shown_is_a_key_that_works`.
    pub fn from_key(ctrl: bool, shift: bool, key: &str) -> Option<Cmd> {
        Some(match (ctrl, key) {
            (true, "z") if shift => Cmd::Redo,
            (true, "z") => Cmd::Undo,
            (true, "y") => Cmd::Redo,
            (true, "a") => Cmd::SelectAll,
            (true, "f") | (false, "/") => Cmd::Find,
            (false, "delete" | "backspace") => Cmd::Delete,
            (false, "+" | "=") => Cmd::ZoomIn,
            (false, "-" | "_") => Cmd::ZoomOut,
            (false, "f") => Cmd::Fit,
            (false, "s") => Cmd::Simulate,
            (false, "?") => Cmd::Keys,
            (false, "l") => Cmd::List,
            (false, "m") => Cmd::Minimap,
            _ => return None,
        })
    }

    /// The button's tooltip: what it does, then its keys.
    pub fn title(self) -> String {
        match self.keys() {
            "" => self.tip().to_string(),
            keys => format!("{} ({keys})", self.tip()),
        }
    }

    /// Whether the command can run now: selecting every server and
    /// deleting the selection only while editing (not simulating), undo and
    /// redo only with something to undo or redo; the rest always. Reactive:
    /// buttons are disabled by it.
    pub fn allowed(self, c: Ctx) -> bool {
        match self {
            Cmd::Undo => c.ed.can_undo(),
            Cmd::Redo => c.ed.can_redo(),
            Cmd::SelectAll | Cmd::Delete => c.ed.mode.get() == Mode::Edit,
            // The simulator's panel takes the list's place (it comes back
            // on leaving): a press there changed nothing in sight.
            Cmd::List => c.ed.mode.get() != Mode::Simulate,
            // Its marks are of the drawing, not of the failure shown: a
            // suggested arrow from a failed server, with no panel saying
            // what it was.
            Cmd::Risk => c.ed.mode.get() != Mode::Simulate,
            _ => true,
        }
    }

    /// Why the command cannot run now, for its disabled button's tooltip;
    /// `None` when it can, or when being disabled says it all (nothing to
    /// undo). Reactive.
    pub fn why_not(self, c: Ctx) -> Option<&'static str> {
        if self.allowed(c) {
            return None;
        }
        match self {
            Cmd::List => Some(
                "Off while simulating: the simulator's panel takes the list's place until you stop",
            ),
            Cmd::Risk => Some(
                "Off while simulating: the simulator shows what a failure does; available again when you stop",
            ),
            Cmd::SelectAll | Cmd::Delete => Some("Only while editing"),
            _ => None,
        }
    }

    /// Whether a toggle is on (its button's `aria-pressed`); `None` for a
    /// command that is not a toggle. Reactive.
    pub fn pressed(self, c: Ctx) -> Option<bool> {
        Some(match self {
            Cmd::Snap => c.ed.snap.get(),
            Cmd::Simulate => c.ed.mode.get() == Mode::Simulate,
            Cmd::List => c.lv.on.get() && c.ed.mode.get() != Mode::Simulate,
            Cmd::Risk => c.rv.on.get() && c.ed.mode.get() != Mode::Simulate,
            Cmd::Copies => c.ed.copies.get(),
            Cmd::Minimap => minimap_shown(c),
            _ => return None,
        })
    }

    /// Runs the command (whether it is allowed is the caller's question).
    pub fn run(self, c: Ctx) {
        let ed = c.ed;
        let dialog = |d| ed.dialog.set(Some(d));
        match self {
            Cmd::New => dialog(Dialog::ConfirmNew),
            Cmd::Author => dialog(Dialog::Author),
            Cmd::Undo => ed.undo(),
            Cmd::Redo => ed.redo(),
            Cmd::Layout => ed.edit_fitted(apply_layout),
            Cmd::Snap => {
                let on = !ed.snap.get_untracked();
                store(SNAP_KEY, if on { "1" } else { "0" });
                ed.snap.set(on);
            }
            Cmd::Simulate if ed.mode.get_untracked() == Mode::Simulate => sim::reset(ed, c.sim),
            Cmd::Simulate => sim::enter(ed, c.sim),
            Cmd::List => {
                c.lv.toggle();
                // Opened, the keys go to it (its heading), once it is made.
                if c.lv.on.get_untracked() {
                    request_animation_frame(|| {
                        if let Some(h) = document()
                            .get_element_by_id("list-heading")
                            .and_then(|h| h.dyn_into::<web_sys::HtmlElement>().ok())
                        {
                            let _ = h.focus();
                        }
                    });
                }
            }
            Cmd::Risk => {
                c.rv.on.update(|r| *r = !*r);
                c.rv.reveal.set_value(c.rv.on.get_untracked());
            }
            Cmd::Copies => ed.copies.update(|on| *on = !*on),
            Cmd::Import => dialog(Dialog::Import),
            Cmd::Export => dialog(Dialog::Export),
            Cmd::Share => dialog(Dialog::Share),
            Cmd::Embed => dialog(Dialog::Embed),
            Cmd::Theme => {
                // From the system's, first the other scheme, so that the
                // first press always changes what shows (light after
                // light showed nothing), then the system's own, then back.
                let dark_now = window()
                    .match_media("(prefers-color-scheme: dark)")
                    .ok()
                    .flatten()
                    .is_some_and(|m| m.matches());
                let (other, own) = if dark_now {
                    ("light", "dark")
                } else {
                    ("dark", "light")
                };
                let next = match c.theme.get_untracked().as_str() {
                    "system" => other,
                    t if t == other => own,
                    _ => "system",
                };
                store(THEME_KEY, next);
                c.theme.set(next.to_string());
            }
            Cmd::Present => present::enter(ed, c.pr, c.sim),
            Cmd::Keys => dialog(Dialog::Keys),
            Cmd::ZoomIn => zoom_by(c, 1.25),
            Cmd::ZoomOut => zoom_by(c, 0.8),
            Cmd::Fit => ed.request_fit(),
            Cmd::Find => find(c),
            Cmd::Minimap => c.minimap.set(Some(!minimap_shown_now(c))),
            Cmd::SelectAll => ed.selection.set(
                ed.doc
                    .with_untracked(|t| t.servers.iter().map(|s| s.id).collect()),
            ),
            Cmd::Delete => ed.delete_selection(),
        }
    }
}

/// Zooms about the middle of the view.
fn zoom_by(c: Ctx, factor: f64) {
    let (w, h) = c.ed.viewport.get_untracked();
    c.ed.camera
        .update(|cam| *cam = cam.zoomed(factor, w / 2.0, h / 2.0));
}

/// Opens the find bar, or (already open) goes back into its field.
fn find(c: Ctx) {
    if !c.find.get_untracked() {
        c.find.set(true);
    } else if let Some(i) = document()
        .query_selector(".find-bar input")
        .ok()
        .flatten()
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
    {
        let _ = i.focus();
    }
}

fn minimap_shown_now(c: Ctx) -> bool {
    untrack(|| minimap_shown(c))
}

/// The command of a click on a `data-action` button, run: the one handler
/// of the toolbar and the view controls.
pub fn on_click(c: Ctx, ev: &web_sys::MouseEvent) {
    let cmd = crate::browser::dom::clicked(ev)
        .and_then(|b| b.get_attribute("data-action"))
        .and_then(|id| Cmd::from_id(&id));
    if let Some(cmd) = cmd {
        cmd.run(c);
    }
}

/// The editor's keyboard: Escape's priority list, then (outside fields and
/// dialogs) the arrow-key nudge and the commands' keys. Presenting, keys go
/// to the presenter.
pub fn on_key(c: Ctx, ev: &web_sys::KeyboardEvent) {
    let ed = c.ed;
    let key = ev.key();
    if ed.mode.get_untracked() == Mode::Present {
        if !typing(ev) && present::key(ed, c.pr, &key) {
            ev.prevent_default();
        }
        return;
    }
    if key == "Escape" {
        escape(c, ev);
        return;
    }
    if typing(ev) || ed.dialog.get_untracked().is_some() {
        return;
    }
    let lower = key.to_ascii_lowercase();
    let ctrl = ev.ctrl_key() || ev.meta_key();
    if !ctrl && lower.starts_with("arrow") {
        nudge(c, ev, &lower);
        return;
    }
    if let Some(cmd) = Cmd::from_key(ctrl, ev.shift_key(), &lower) {
        if untrack(|| cmd.allowed(c)) {
            ev.prevent_default();
            cmd.run(c);
        }
    }
}

/// Escape, in order: put back the servers being dragged, close the dialog,
/// drop the connection being drawn,
/// disarm the palette, close the find bar, leave the field (for the
/// Servers list's own), close the Servers list from inside it, stop the
/// player, leave the simulation, clear the selection, close the Risk view.
fn escape(c: Ctx, ev: &web_sys::KeyboardEvent) {
    let ed = c.ed;
    if crate::canvas::state::cancel_move() {
        ev.prevent_default();
    } else if ed.dialog.get_untracked().is_some() {
        ed.dialog.set(None);
    } else if let Some(from) = c.cn.from.get_untracked() {
        // Drawn by keyboard, the keys were on the target Tab reached: they
        // go back to the server the protection was from (C again starts
        // from it, as the status said).
        let keyboard = c.cn.keyboard.get_untracked();
        c.cn.cancel();
        if keyboard {
            crate::canvas::state::focus_server(ed, c.svg, from);
        }
    } else if c.armed.0.get_untracked().is_some() {
        c.armed.0.set(None);
    } else if c.find.get_untracked() {
        crate::canvas::state::close_find(ed, c.find, c.svg);
    } else if in_field(ev.target()) {
        if let Some(el) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlElement>().ok())
        {
            let _ = el.blur();
            // Out of a field of the Servers list, the keys stay in the
            // list, so that the next Escape closes it.
            if let Some(list) = list_around(&el) {
                let _ = list.focus();
            }
        }
    } else if let Some(list) = document().active_element().and_then(|e| list_around(&e)) {
        // The list closed from inside it, as a panel closes: the keys go
        // to the button that opens it again, or to "More" when the button
        // is in its menu, closed.
        let _ = list.blur();
        c.lv.toggle();
        focus_opener("list");
    } else if c.sim.player.with_untracked(|p| p.is_some()) {
        sim::stop(ed, c.sim);
    } else if ed.mode.get_untracked() == Mode::Simulate {
        sim::reset(ed, c.sim);
    } else if c.rv.on.get_untracked()
        && ed.selection.with_untracked(Vec::is_empty)
        && ed.selected_link.get_untracked().is_none()
    {
        // Closed as a panel closes: the keys go to its button when they
        // were in it (the panel is gone).
        let inside = focus_within(".risk-panel");
        Cmd::Risk.run(c);
        if inside {
            focus_opener("risk");
        }
    } else {
        ed.selection.set(Vec::new());
        ed.selected_link.set(None);
    }
}

/// The keys to the toolbar button `action` that opens a panel again, or to
/// "More" when the button is in its menu, closed.
fn focus_opener(action: &str) {
    for at in [
        format!(".toolbar [data-action=\"{action}\"]"),
        "[data-testid=\"more\"]".to_string(),
    ] {
        let b = document()
            .query_selector(&at)
            .ok()
            .flatten()
            .and_then(|b| b.dyn_into::<web_sys::HtmlElement>().ok());
        if let Some(b) = b {
            let _ = b.focus();
            if document()
                .active_element()
                .is_some_and(|a| a.is_same_node(Some(&b)))
            {
                break;
            }
        }
    }
}

/// The open Servers list that holds `el`, if any.
fn list_around(el: &web_sys::Element) -> Option<web_sys::HtmlElement> {
    el.closest("[data-testid=\"servers-list\"]")
        .ok()
        .flatten()
        .and_then(|l| l.dyn_into::<web_sys::HtmlElement>().ok())
}

/// Moves the selected servers one grid step (five with Shift) while
/// editing.
fn nudge(c: Ctx, ev: &web_sys::KeyboardEvent, arrow: &str) {
    let ed = c.ed;
    let ids = ed.selection.get_untracked();
    if ed.mode.get_untracked() != Mode::Edit || ids.is_empty() {
        return;
    }
    ev.prevent_default();
    let step = if ev.shift_key() { 5.0 * GRID } else { GRID };
    let (dx, dy) = match arrow {
        "arrowleft" => (-step, 0.0),
        "arrowright" => (step, 0.0),
        "arrowup" => (0.0, -step),
        _ => (0.0, step),
    };
    ed.edit(|t| {
        for id in &ids {
            if let Some(p) = t.server_mut(*id).and_then(|s| s.pos.as_mut()) {
                *p = dpm_rules::as_kept(Point {
                    x: p.x + dx,
                    y: p.y + dy,
                });
            }
        }
    });
}

/// A toolbar or view-control button for `cmd`: its `data-action`, title,
/// label, accessible name, `aria-pressed` when a toggle, `disabled` when
/// not allowed. One function for every such button, not a view each.
pub fn button(c: Ctx, cmd: Cmd, class: &'static str) -> impl IntoView {
    let pressed = move || cmd.pressed(c).map(|p| p.to_string());
    let title = move || match cmd.why_not(c) {
        Some(why) => format!("{}. {why}.", cmd.title()),
        None => cmd.title(),
    };
    view! {
        <button class=class data-action=cmd.id() title=title aria-label=cmd.aria_label()
            aria-pressed=pressed disabled=move || !cmd.allowed(c)>{cmd.label()}</button>
    }
}
