//! The side panels: properties of the selection, the Problems list, the
//! seeds' table, the Servers list and the Risk view.

pub mod findings;
pub mod list;
pub mod properties;
pub mod risk;
pub mod state;
pub mod table;
