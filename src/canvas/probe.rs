//! The looks of what is painted rather than made of nodes (the far view,
//! the minimap), read off the stylesheet: a hidden probe node with the
//! classes a node would have, whose computed style the painting takes, so
//! the canvases follow the theme, forced colours, the mode and the
//! spotlight exactly as the nodes do.

use std::cell::RefCell;

use leptos::prelude::*;

/// A look read off the stylesheet.
#[derive(Clone, Debug, PartialEq)]
pub struct Look {
    pub fill: String,
    pub stroke: String,
    pub width: f64,
    pub dash: Vec<f64>,
    pub alpha: f64,
    /// The stroke's width and dashes are CSS pixels on screen, whatever
    /// the zoom (`vector-effect: non-scaling-stroke`, as zoomed out the
    /// border of a selected or failed server is), not the drawing's units
    /// (the servers' painting honours it, `boxes.rs`; no protection's look
    /// has it).
    pub fixed: bool,
}

thread_local! {
    /// The probe nodes made so far, by their classes.
    static PROBES: RefCell<Vec<(String, web_sys::Element, web_sys::Element)>> =
        const { RefCell::new(Vec::new()) };
}

/// Reads the look of a `inner_tag.inner` inside `g.outer` (inside
/// `g.wrap` when set) off the stylesheet.
pub fn look(
    probes: &web_sys::Element,
    wrap: &str,
    outer: &str,
    inner: (&str, &str),
) -> Option<Look> {
    let key = format!("{wrap}|{outer}|{}|{}", inner.0, inner.1);
    let known = PROBES.with(|p| {
        p.borrow()
            .iter()
            .find(|(k, _, _)| *k == key)
            .map(|(_, g, s)| (g.clone(), s.clone()))
    });
    // A probe of a canvas made before (the drawing made again) is gone.
    let known = known.filter(|(g, _)| g.is_connected());
    let (g, shape) = known.or_else(|| {
        let doc = document();
        let make = |tag: &str, class: &str| {
            let e = doc
                .create_element_ns(Some("http://www.w3.org/2000/svg"), tag)
                .ok()?;
            let _ = e.set_attribute("class", class);
            Some(e)
        };
        let g = make("g", outer)?;
        let shape = make(inner.0, inner.1)?;
        let _ = g.append_child(&shape);
        if wrap.is_empty() {
            let _ = probes.append_child(&g);
        } else {
            let w = make("g", wrap)?;
            let _ = w.append_child(&g);
            let _ = probes.append_child(&w);
        }
        PROBES.with(|p| {
            let mut p = p.borrow_mut();
            p.retain(|(k, _, _)| *k != key);
            p.push((key, g.clone(), shape.clone()));
        });
        Some((g, shape))
    })?;
    let win = window();
    let s = win.get_computed_style(&shape).ok()??;
    let gs = win.get_computed_style(&g).ok()??;
    // The browser's own number reading: Rust's would add its float parser
    // to the bundle.
    let px = |v: &str| {
        let n = js_sys::parse_float(v.trim());
        n.is_finite().then_some(n)
    };
    let prop = |s: &web_sys::CssStyleDeclaration, name: &str| {
        s.get_property_value(name).unwrap_or_default()
    };
    let dash = prop(&s, "stroke-dasharray");
    Some(Look {
        fill: prop(&s, "fill"),
        stroke: prop(&s, "stroke"),
        width: px(&prop(&s, "stroke-width")).unwrap_or(1.0),
        dash: dash.split([',', ' ']).filter_map(px).collect(),
        alpha: px(&prop(&gs, "opacity")).unwrap_or(1.0) * px(&prop(&s, "opacity")).unwrap_or(1.0),
        fixed: prop(&s, "vector-effect").trim() == "non-scaling-stroke",
    })
}
