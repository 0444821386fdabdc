//! A finding badge: the worst severity of what a server or a protection
//! breaks, as a disc with its mark, with the findings in its tooltip. One
//! view for the node's corner and the arrow's middle.

use crate::state::derived::finding_lines;

use dpm_rules::{badge_symbol, num, Finding, Point, Severity};
use leptos::prelude::*;

/// The badge of `findings` (their worst is `s`) centred at `at`. `hidden`:
/// hidden from assistive technology, where the label around it already
/// reads out the findings (a server's).
pub fn badge(s: Severity, findings: &[Finding], at: Point, hidden: bool) -> impl IntoView {
    let rule = findings.first().map(|f| f.rule.id()).unwrap_or_default();
    let title = crate::ctx::ctx()
        .ed
        .doc
        .with_untracked(|t| finding_lines(t, findings));
    view! {
        <g class=format!("badge {}", s.as_str()) data-rule=rule aria-hidden=hidden.then_some("true")
            transform=format!("translate({} {})", num(at.x), num(at.y))>
            <title>{title}</title>
            <circle r="10" />
            {badge_mark(s)}
        </g>
    }
}

/// The mark inside a badge: `!` and `▲` as text; the note's "i" drawn, not
/// written, so that assistive technology (which reads the server's label,
/// findings included) is not handed a stray letter.
pub fn badge_mark(s: Severity) -> AnyView {
    if s == Severity::Info {
        view! {
            <g class="mark">
                <circle cy="-4.5" r="1.8" />
                <rect x="-1.5" y="-1.5" width="3" height="7.5" rx="0.8" />
            </g>
        }
        .into_any()
    } else {
        view! { <text y="4">{badge_symbol(s)}</text> }.into_any()
    }
}
