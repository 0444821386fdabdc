//! Views shared by every feature: the dialog frame.

pub mod dialog;
