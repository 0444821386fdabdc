//! What screen readers hear after an edit: new and resolved findings.

use leptos::prelude::*;

/// Tells screen readers which findings an edit brought and which it
/// resolved: once per pause in editing (a second without a change), through
/// a polite live region, so a drag or a burst of keys is not read out step
/// by step.
#[component]
pub fn Announcer() -> impl IntoView {
    let ed = crate::ctx::ctx().ed;
    let said = RwSignal::new(String::new());
    // The findings as last announced; those of the drawing the page opens
    // with are not news.
    let known = StoredValue::new(ed.findings.get_untracked());
    let gen = StoredValue::new(0u32);
    crate::browser::effect(move || {
        ed.findings.track();
        gen.update_value(|g| *g += 1);
        let mine = gen.get_value();
        set_timeout(
            move || {
                if gen.get_value() != mine {
                    return;
                }
                let now = ed.findings.get_untracked();
                let before = known.get_value();
                let mut text = String::new();
                // In a large estate, how many, not which: comparing every
                // finding with every other would stall the page.
                if now.len() + before.len() > 2000 {
                    if now.len() != before.len() {
                        text = format!("{} findings now; there were {}.", now.len(), before.len());
                    }
                } else {
                    for (head, these, those) in [
                        ("New finding:", &now, &before),
                        ("Resolved:", &before, &now),
                    ] {
                        // Findings compare by rule and message (the message
                        // names the servers), whatever their order.
                        let fresh: Vec<&dpm_rules::Finding> = these
                            .iter()
                            .filter(|f| {
                                !those
                                    .iter()
                                    .any(|g| g.rule == f.rule && g.message == f.message)
                            })
                            .collect();
                        for (i, f) in fresh.iter().enumerate() {
                            if i == 3 {
                                text.push_str(&format!(" And {} more.", fresh.len() - 3));
                                break;
                            }
                            text.push_str(&format!(" {head} {}: {}", f.rule.title(), f.message));
                        }
                    }
                }
                if !text.is_empty() {
                    said.set(text.trim_start().to_string());
                }
                known.set_value(now);
            },
            std::time::Duration::from_millis(1000),
        );
    });
    view! { <div class="sr-only" role="status" data-testid="announcer">{move || said.get()}</div> }
}
