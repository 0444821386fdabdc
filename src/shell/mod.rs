//! The shell, the top layer: the app and its startup, the header,
//! toolbar, notices and view controls, the clipboard and theme, and the
//! one switch that knows every dialog. (The documentation viewer is a
//! binary of its own: `viewer/`.)

pub mod announcer;
pub mod app;
pub mod boot;
pub mod clipboard;
pub mod dialogs;
pub mod header;
pub mod notice;
pub mod theme;
pub mod toolbar;
pub mod view_controls;
