//! The editor's state: the drawing, its undo history, selection, camera,
//! per-server positions, what the views derive from the findings, and
//! keeping the drawing (autosave, the tab guard). Signals and transitions
//! only: no `view!` here.
//!
//! Every change to the drawing goes through [`editor::Editor::commit`] (or
//! `edit`), so every change is one undoable step and is saved. Views only
//! read signals; the simulator shows its steps through
//! [`editor::Editor::preview`], which never enters the history or the save.

pub mod derived;
pub mod editor;
pub mod keyed;
pub mod persist;
pub mod positions;
pub mod reveal;
pub mod tabs;
