//! The Risk view's suggested protections, drawn as ghost arrows.

use dpm_rules::{route_bent, Limit};
use leptos::prelude::*;

/// The suggested fixes as dashed arrows, drawn in the drawing under the
/// servers, so a server's name and its risk label stay readable over them.
#[component]
pub fn GhostArrows() -> impl IntoView {
    let rv = crate::ctx::ctx().rv;
    let pos = crate::ctx::ctx().pos;
    let obstacles = expect_context::<crate::state::derived::Derived>().obstacles;
    move || {
        let (_, fx) = rv.risk.get()?;
        let paths = fx
            .iter()
            .flat_map(|f| f.add.iter().copied())
            .filter_map(|p| {
                // Tracked: the arrows follow their servers wherever they
                // are drawn, whatever moved them.
                let (a, b) = (pos.track(p.protector)?, pos.track(p.target)?);
                let bend = if a.y == b.y { -40.0 } else { 30.0 };
                let ends = ((p.protector, a), (p.target, b));
                // Around the servers in its way, wider than the arrows.
                let g = obstacles.with(|o| {
                    route_bent(ends.0, ends.1, bend, 8.0, o, Limit::for_drawing(o.len()))
                });
                Some(view! { <path class="ghost" d=g.d marker-end="url(#ghost-head)" /> })
            })
            .collect_view();
        Some(view! { <g class="ghosts" aria-hidden="true">{paths}</g> })
    }
}
