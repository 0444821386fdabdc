//! The Risk view's suggested protections, drawn as ghost arrows.

use dpm_rules::arrow;
use leptos::prelude::*;

/// The suggested fixes as dashed arrows, drawn in the drawing under the
/// servers, so a server's name and its risk label stay readable over them.
#[component]
pub fn GhostArrows() -> impl IntoView {
    let rv = crate::ctx::ctx().rv;
    let pos = crate::ctx::ctx().pos;
    move || {
        let (_, fx) = rv.risk.get()?;
        let paths = fx
            .iter()
            .flat_map(|f| f.add.iter().copied())
            .filter_map(|p| {
                let (a, b) = (pos.get(p.protector)?, pos.get(p.target)?);
                let g = arrow(a, b, if a.y == b.y { -40.0 } else { 30.0 });
                Some(view! { <path class="ghost" d=g.d marker-end="url(#ghost-head)" /> })
            })
            .collect_view();
        Some(view! { <g class="ghosts" aria-hidden="true">{paths}</g> })
    }
}
