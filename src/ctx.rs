//! The shared context: every state the views share, provided once and
//! looked up once.

use crate::panels::state::ListView;
use crate::panels::state::RiskView;
use crate::present::state::Presenter;
use crate::workshop::state::Draft;
use crate::workshop::state::Workshop;

use crate::canvas::state::Armed;
use crate::canvas::state::Connect;
use crate::canvas::state::Tip;
use crate::sim::state::Sim;
use crate::state::editor::Editor;
use crate::state::positions::Positions;

use leptos::prelude::*;

/// Everything the views find by context.
pub fn provide_editor_context(ed: Editor) {
    let ctx = Ctx {
        ed,
        pos: Positions::new(),
        cn: Connect::new(),
        svg: NodeRef::new(),
        tip: Tip {
            server: RwSignal::new(None),
            link: RwSignal::new(None),
            focus: RwSignal::new(None),
            focused: RwSignal::new(false),
        },
        armed: Armed(RwSignal::new(None)),
        sim: Sim::new(),
        rv: RiskView::new(ed),
        ws: Workshop::new(ed),
        draft: Draft::new(),
        pr: Presenter::new(),
        lv: ListView::new(),
        find: RwSignal::new(false),
        minimap: RwSignal::new(None),
        // The user's choice is read at start (`shell::boot`).
        theme: RwSignal::new("system".into()),
    };
    LAST_CTX.with(|c| c.set(Some(ctx)));
    provide_context(ctx);
}

thread_local! {
    /// The context last provided, for code that runs outside any view
    /// (window listeners, timers), where there is no owner to ask.
    static LAST_CTX: std::cell::Cell<Option<Ctx>> = const { std::cell::Cell::new(None) };
}

/// Everything the editor's views share, provided once and looked up once:
/// each type looked up by `expect_context` is its own copy of the lookup
/// and its panic message in the wasm (some 0.8 KB each).
#[derive(Clone, Copy)]
pub struct Ctx {
    pub ed: Editor,
    pub pos: Positions,
    pub cn: Connect,
    pub svg: NodeRef<leptos::svg::Svg>,
    pub tip: Tip,
    pub armed: Armed,
    pub sim: Sim,
    pub rv: RiskView,
    pub ws: Workshop,
    pub draft: Draft,
    pub pr: Presenter,
    pub lv: ListView,
    /// The find bar is open.
    pub find: RwSignal<bool>,
    /// The user's choice to show the minimap; `None`: by the drawing's size.
    pub minimap: RwSignal<Option<bool>>,
    /// The colour theme chosen: "light", "dark" or "system".
    pub theme: RwSignal<String>,
}

/// Drawings of more servers than this show the minimap by themselves,
/// where the drawing no longer fits a screen at a legible zoom; the
/// Minimap button overrides it.
pub const MINIMAP_AUTO_FROM: usize = 100;

/// Whether the minimap is shown: the user's choice, or by the drawing's
/// size. Reactive.
pub fn minimap_shown(c: Ctx) -> bool {
    c.minimap
        .get()
        .unwrap_or_else(|| c.ed.shown.with(|t| t.servers.len()) > MINIMAP_AUTO_FROM)
}

/// The editor's shared state (see [`Ctx`]).
pub fn ctx() -> Ctx {
    use_context::<Ctx>()
        .or_else(|| LAST_CTX.with(|c| c.get()))
        .expect("the editor's context is provided before any view")
}
