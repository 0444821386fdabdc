//! The Risk view's suggested protections, drawn as ghost arrows.

use dpm_rules::hash::HashSet;
use dpm_rules::{route_bent, Limit, Link};
use leptos::prelude::*;

/// The suggested fixes as dashed arrows, drawn in the drawing under the
/// servers, so a server's name and its risk label stay readable over them.
/// One arrow per suggested protection, keyed, so that a server dragged
/// routes again only the arrows at its ends, not every suggestion.
#[component]
pub fn GhostArrows() -> impl IntoView {
    let rv = crate::ctx::ctx().rv;
    let links = crate::browser::memo(move |_| {
        rv.risk.with(|r| {
            let mut seen = HashSet::default();
            r.as_deref()
                .into_iter()
                .flat_map(|(_, fx)| fx.iter().flat_map(|f| f.add.iter().map(|p| p.link())))
                // (Two fixes suggesting one protection: one arrow.)
                .filter(|l| seen.insert(*l))
                .collect::<Vec<Link>>()
        })
    });
    view! {
        <g class="ghosts" aria-hidden="true">
            <For each=move || links.get() key=|l| *l let:link>
                <GhostArrow link=link />
            </For>
        </g>
    }
}

/// The suggested protection `link`, routed around the servers in its way
/// (wider than the arrows), again whenever either of its servers moves,
/// whatever moved it (a drag, an undo, the drawing back after a
/// presenter's scene), or the boxes change. None while either server is
/// not drawn.
#[component]
fn GhostArrow(link: Link) -> impl IntoView {
    let pos = crate::ctx::ctx().pos;
    let obstacles = expect_context::<crate::state::derived::Derived>().obstacles;
    let d = crate::browser::memo(move |_| {
        let (a, b) = (pos.track(link.protector)?, pos.track(link.target)?);
        let bend = if a.y == b.y { -40.0 } else { 30.0 };
        let ends = ((link.protector, a), (link.target, b));
        Some(
            obstacles
                .with(|o| route_bent(ends.0, ends.1, bend, 8.0, o, Limit::for_drawing(o.len())).d),
        )
    });
    move || {
        d.get()
            .map(|d| view! { <path class="ghost" d=d marker-end="url(#ghost-head)" /> })
    }
}
