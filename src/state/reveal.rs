//! Bringing servers into view (select them, move the camera to them), and
//! the `data-link` form of a protection that panels write and read back.

use crate::state::editor::Camera;
use crate::state::editor::Editor;
use crate::state::editor::Mode;
use crate::state::positions::Positions;

use dpm_rules::{Link, ServerId, NODE_H, NODE_W};
use leptos::prelude::*;

/// Centres the view on these servers (zoomed in to where their names show,
/// when they fit at that zoom) and selects them, or, given protections,
/// selects those (the first is the one the properties panel
/// shows and Delete removes).
pub fn reveal(ed: Editor, pos: Positions, ids: &[ServerId], links: &[Link]) {
    // Where a server is drawn, or (in a large estate, out of view and not
    // drawn) where the drawing has it.
    // Each with half its box's width (a box grows with its name).
    let pts: Vec<_> = ed.doc.with_untracked(|t| {
        ids.iter()
            .filter_map(|&id| {
                let s = t.server(id);
                let p = pos.get(id).or_else(|| s.and_then(|s| s.pos))?;
                Some((p, s.map_or(NODE_W, |s| dpm_rules::box_width(&s.name)) / 2.0))
            })
            .collect()
    });
    if !pts.is_empty() {
        let (mut x0, mut y0, mut x1, mut y1) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
        for (p, hw) in &pts {
            x0 = x0.min(p.x - hw);
            y0 = y0.min(p.y);
            x1 = x1.max(p.x + hw);
            y1 = y1.max(p.y);
        }
        let (w, h) = ed.viewport.get_untracked();
        // Close enough in to read the names (zoomed out further, a server
        // found by name was a box without one).
        let readable = crate::state::derived::MIN_TEXT_PX / dpm_rules::NAME_PX;
        let k = ed.camera.get_untracked().k.max(readable);
        let fit = Camera::fitting((x0, y0 - NODE_H / 2.0, x1, y1 + NODE_H / 2.0), w, h, 1.25);
        let k = k.min(fit.k);
        let (cx, cy) = ((x0 + x1) / 2.0, (y0 + y1) / 2.0);
        ed.camera.set(Camera {
            x: w / 2.0 - cx * k,
            y: h / 2.0 - cy * k,
            k,
        });
    }
    if ed.mode.get_untracked() == Mode::Edit {
        match links.first() {
            Some(_) => ed.select_links(links),
            None => {
                ed.selected_link.set(None);
                ed.selection.set(ids.to_vec());
            }
        }
    }
}

/// Protections as `data-link` holds them, `link_attr`s between commas.
pub fn parse_links(l: &str) -> Vec<Link> {
    l.split(',').filter_map(parse_link).collect()
}

/// A protection as `link_attr` writes it in a `data-link`.
pub fn parse_link(l: &str) -> Option<Link> {
    let (a, t) = l.split_once(' ')?;
    Some(Link {
        protector: ServerId(a.parse().ok()?),
        target: ServerId(t.parse().ok()?),
    })
}

pub fn link_attr(l: Link) -> String {
    format!("{} {}", l.protector.0, l.target.0)
}
