//! The colour theme: the user's choice, or the system's.

use leptos::prelude::*;

pub fn apply_theme(theme: &str) {
    if let Some(root) = document().document_element() {
        if theme == "light" || theme == "dark" {
            let _ = root.set_attribute("data-theme", theme);
        } else {
            let _ = root.remove_attribute("data-theme");
        }
    }
}
