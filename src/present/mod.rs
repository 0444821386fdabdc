//! Presenting: the drawing shown scene by scene (each failure and its
//! recovery) for a trainer in front of a room.

pub mod bar;
pub mod state;
