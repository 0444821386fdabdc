//! Workshops: exercises as a participant meets them (task panel, live
//! goals, hints, reset, leave) and as a trainer writes them (the authoring
//! dialog). The rule crate judges every goal.

pub mod author;
pub mod state;
pub mod task;
