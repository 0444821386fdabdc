//! Exchange: export in every form, import by file, drop or paste, share
//! links, and the embed code for documentation pages. Every format is the
//! rule crate's; this module only moves text between it and the browser.

pub mod dialogs;
pub mod report;
pub mod state;
