//! The failover simulator: fail servers or whole sites, see what is lost
//! and what DPM supports (the rule crate's planner), and watch an option
//! play out. Nothing here changes the drawing until the user applies an
//! option: steps are shown through the editor's preview.

pub mod failed;
pub mod impact;
pub mod options;
pub mod panel;
pub mod player;
pub mod state;
pub mod walkthrough;
