//! Browser glue, the bottom layer: DOM helpers, local storage, files, the
//! escaping markup builder with the app's one `innerHTML` sink, and the
//! windowed list. Knows no app type (no `Editor`, no `Ctx`).

pub mod dom;
pub mod files;
pub mod markup;
pub mod storage;
pub mod vlist;
