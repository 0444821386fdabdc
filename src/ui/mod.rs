//! Views shared by every feature: the dialog frame, and shorthands for
//! the markup the views write.

pub mod dialog;
pub mod markup;
pub mod text;
