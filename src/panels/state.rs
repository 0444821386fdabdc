//! The side panels' own state, below their views: the Servers list's
//! sort, filter and page, and the Risk view's state with its accepted fixes.

use crate::browser::storage::store;
use crate::browser::storage::stored;
use crate::state::editor::Editor;
use crate::state::editor::Mode;
use dpm_rules::{risk_and_fixes, FactChange, Fix, Protection, Risk};

use leptos::prelude::*;
use std::sync::Arc;

/// Where the list's being open is remembered.
pub const LIST_KEY: &str = "dpm-sketch/list";

/// Whether the Servers list is open.
#[derive(Clone, Copy)]
pub struct ListView {
    pub on: RwSignal<bool>,
}

impl ListView {
    pub fn new() -> ListView {
        ListView {
            on: RwSignal::new(stored(LIST_KEY).as_deref() == Some("1")),
        }
    }

    pub fn toggle(&self) {
        let on = !self.on.get_untracked();
        store(LIST_KEY, if on { "1" } else { "0" });
        self.on.set(on);
    }
}

impl Default for ListView {
    fn default() -> Self {
        ListView::new()
    }
}

/// The risk of what is drawn and the fixes for its first single points,
/// shared between the memo that hands them out and the copy made ahead.
pub type RiskAndFixes = Arc<(Risk, Vec<Fix>)>;

/// The risk of what is drawn, while the Risk view is on; follows every edit.
#[derive(Clone, Copy)]
pub struct RiskView {
    pub on: RwSignal<bool>,
    /// Set when the user turns the view on: its next writing brings it into
    /// sight (not when it is made again on leaving the simulator).
    pub reveal: StoredValue<bool>,
    pub risk: Memo<Option<RiskAndFixes>>,
    /// The risk last made, by the view or ahead of it, with the editor's
    /// count of content changes it is of.
    ahead: StoredValue<Option<(u64, RiskAndFixes)>>,
}

/// Drawings of more servers than this get their risk made ahead of the
/// view ([`RiskView::new`]): the analysis takes some 2 ms of wasm at 2,000
/// servers, 10 at 10,000. Below, it is made when the view is turned on.
pub const RISK_AHEAD_OVER: usize = 2_000;

impl RiskView {
    pub fn new(ed: Editor) -> RiskView {
        let on = RwSignal::new(false);
        // The risk of the drawing as its content last was (by the
        // editor's count of content changes), made by the view or, on a
        // large estate, once the frames of a change are drawn: turning the
        // view on reads it instead of analysing the estate in the click
        // (some 10 ms of wasm at 10,000 servers, which put the view a
        // frame later than the other actions).
        let ahead: StoredValue<Option<(u64, RiskAndFixes)>> = StoredValue::new(None);
        let made = move || {
            let rev = ed.content_rev_untracked()?;
            let kept = ahead.with_value(|a| {
                a.as_ref()
                    .filter(|(n, _)| *n == rev)
                    .map(|(_, r)| r.clone())
            });
            Some(kept.unwrap_or_else(|| {
                // Fixes try candidate protections one by one: they are
                // worked out for the first few single points only, so the
                // view keeps up with editing (from the one analysis the
                // risk makes).
                let r = Arc::new(ed.doc.with_untracked(|t| risk_and_fixes(t, FIXES_FOR)));
                ahead.set_value(Some((rev, r.clone())));
                r
            }))
        };
        // The presenter shows scenes of other drawings, whose servers the
        // drawing's risk labels and suggested arrows would land on, and
        // the simulator a failure of the drawing, which they do not
        // describe (a suggested arrow from the failed server): none while
        // either is open. Back after, from the risk kept (`made`).
        let away =
            crate::browser::memo(move |_| matches!(ed.mode.get(), Mode::Present | Mode::Simulate));
        let risk = crate::browser::memo(move |_| {
            if !on.get() || away.get() {
                return None;
            }
            // What the rules read, not where servers are drawn.
            ed.track_doc_content();
            made()
        });
        // Made ahead while the view is off, after each change of content
        // (and the first drawing) of a large estate, unless another change
        // came meanwhile.
        crate::browser::effect(move || {
            ed.track_doc_content();
            let rev = ed.content_rev_untracked();
            if ed.doc.with_untracked(|t| t.servers.len()) <= RISK_AHEAD_OVER {
                return;
            }
            crate::browser::after_frames(move || {
                // (Not when the view is gone by then: an app unmounted.)
                let fresh = ed.content_rev_untracked() == rev;
                if fresh && on.try_get_untracked() == Some(false) {
                    made();
                }
            });
        });
        RiskView {
            on,
            reveal: StoredValue::new(false),
            risk,
            ahead,
        }
    }

    /// The editor's count of content changes
    /// ([`Editor::content_rev_untracked`]) that the risk kept is of, if one
    /// is kept: made by the view, or ahead of it on a large estate.
    pub fn kept_for(&self) -> Option<u64> {
        self.ahead.with_value(|a| a.as_ref().map(|(n, _)| *n))
    }
}

pub fn accept(ed: Editor, p: Protection) {
    ed.edit(|t| {
        t.connect(p);
    });
    ed.dismiss_hint();
}

/// Sets a fix's fact (one undoable step, like adding a protection).
pub fn accept_fact(ed: Editor, c: FactChange) {
    ed.edit(|t| c.apply(t));
}

/// How many single points get suggested fixes (in name order).
pub const FIXES_FOR: usize = 12;
