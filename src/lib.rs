//! DPM Sketch, the app: views, event wiring, animation and browser storage.
//! Every decision about DPM is the rule crate's (`dpm-rules`): where a rule
//! lives, what a finding says, what a failover plan is, how a file reads.
//! A view that needs such a decision asks the rule crate.
//!
//! # Code map
//!
//! The modules form layers, and imports point down only: a module uses its
//! own layer and the layers below, never one above, and no two modules
//! import each other. `scripts/tidy.mjs` (run by `./dev test`) checks both.
//!
//! 1. [`browser`]: web-sys glue that knows no app type. DOM helpers, local
//!    storage, downloads, the windowed list, and [`browser::markup`], the
//!    escaping builder with the app's only `innerHTML` and
//!    `insertAdjacentHTML` sinks: user text reaches the page as HTML
//!    through nothing else.
//! 2. [`state`]: the editor's state. [`state::editor::Editor`] holds the
//!    drawing and its history, selection, camera, mode and notices;
//!    `Editor::commit` and `Editor::edit` are the only ways to change the
//!    drawing, so every change is one undoable step and is saved. Positions,
//!    the findings views derive, autosave and the tab guard sit beside it.
//!    No `view!` here.
//! 3. Each feature's `state.rs` ([`canvas::state`], [`sim::state`],
//!    [`panels::state`], [`workshop::state`], [`present::state`],
//!    [`io::state`]): that feature's signals and transitions (fail a
//!    server, open an exercise, import a file). No `view!` here either;
//!    they take the states they need as arguments, never the context.
//! 4. [`ctx`]: [`ctx::Ctx`], every state above in one `Copy` value,
//!    provided once and looked up once by each view.
//! 5. [`commands`]: every command a button, a key or a menu gives, declared
//!    once: its `data-action` id, keys, label, when it is allowed and what
//!    it does. The toolbar, the view controls, the keydown handler and the
//!    Keys dialog all read it.
//! 6. Views: [`canvas`] (the drawing: `pointer` gestures, `cull` to what
//!    is in view, `ground` the painted far view of a large estate, `fit`,
//!    `connect`, `node`, `arrow`, `badge`; the palette,
//!    minimap, find bar and overlays), [`panels`] (properties, problems,
//!    table, Servers list, risk), [`sim`] (the simulator's panel: failed
//!    servers, impact, recovery options; the player, the walkthrough),
//!    [`io`] (the exchange dialogs), [`workshop`] (task panel, authoring),
//!    [`present`] (the presenter's bar), [`ui`] (the dialog frame, builder
//!    shorthands). Views read signals and call transitions or commands;
//!    panels written as markup build it with `browser::markup` and hand it
//!    to its sinks, never to `innerHTML` themselves.
//! 7. [`shell`]: the app, its startup, the header, toolbar, notices and
//!    view controls, the clipboard, and the one switch that knows every
//!    dialog. (The documentation viewer is a binary of its own: `viewer/`.)
//!
//! # Where things are tested
//!
//! The rule crate's behaviour natively (`rules/tests`: data-driven cases
//! with snapshots, property tests); components in headless Chromium
//! (`tests/web.rs`, wasm-bindgen-test); user flows on the release build
//! (`e2e/*.test.mjs`, Playwright: one file per flow, named by it).
//!
//! The `data-server`, `data-protection`, `data-rule`, `data-option`,
//! `data-action`, `data-goal` and `data-testid="status"` attributes are the
//! automation surface: tests outside the project rely on them.

// `f64::clamp` asserts its bounds with a message that formats floats with
// `Debug`, which links Rust's whole float formatter into the wasm (9.3 KB
// gzip of the app's bundle). `max(lo).min(hi)` says the same without it.
#![allow(clippy::manual_clamp)]

pub mod browser;
pub mod state;

pub mod canvas;
pub mod io;
pub mod panels;
pub mod present;
pub mod sim;
pub mod workshop;

pub mod ctx;

pub mod commands;

pub mod shell;
pub mod ui;

pub use shell::app::App;
