//! The far view's protections (`ground.rs`), painted with the canvas's
//! own stroker on two layers: the base, and over it the hot layer, which
//! shows the protections of the selected servers and any the base lacks.
//!
//! At 10,000 servers, painting every protection again took the browser's
//! rasteriser some 16 ms of the frame that showed an edit, and the strokes
//! 4 ms more, for a change that moved one server's lines. The edits a user
//! makes one after another (move by keys, delete, undo, redo, rename, a
//! protection drawn) are edits of the selection or add lines: so the base
//! is kept as long as every line on it is still there as it is, and only
//! the hot layer, a handful of lines, is painted again. A change to a line
//! on the base (a look that changed with the findings, a server moved that
//! is not selected), the camera, the canvas's size or a look (the theme,
//! the mode, the spotlight) paints the base again. (Clipping a repaint of
//! one layer to the boxes that changed was tried: the browser's stroker
//! antialiases a path of a few lines unlike the same lines in a path of
//! 10,000, and the boxes showed.)
//!
//! A new selection's protections are on the base already, and stay there
//! (drawn on both canvases they would darken), and a new line goes on the
//! hot layer at once; a moment later ([`TIDY_MS`]), before the user's next
//! edit in all likelihood, both layers are painted as a whole painting
//! splits them, so that the next move of the selection leaves the base
//! alone.

use std::cell::RefCell;

use dpm_rules::hash::{HashMap, HashSet};
use dpm_rules::{Link, Point, ServerId, Severity, Topology};
use leptos::prelude::*;
use wasm_bindgen::JsValue;

use crate::canvas::arrow::link_class;
use crate::canvas::layer::{on_change, scene, surface, Pen, View, MOST_SELECTED};
use crate::canvas::probe::{look, Look};
use crate::ctx::Ctx;
use crate::state::derived::{worst, Derived};

/// How long after a new selection (or lines the base lacks) the layers
/// are painted as a whole painting splits them, in ms.
pub const TIDY_MS: u64 = 80;

/// More lines than this on the hot layer, and the base is painted again
/// (the hot layer is painted at every change of it).
const MOST_HOT: usize = 2_000;

/// A protection's look: switched, its worst finding (not a note), broken
/// (an end failed), as one small number (below [`LOOKS`]), in the order
/// looks are painted.
type LookKey = u8;
const LOOKS: usize = 16;

fn look_key(switched: bool, sev: Option<Severity>, broken: bool) -> LookKey {
    let sev = match sev {
        None | Some(Severity::Info) => 0,
        Some(Severity::Warning) => 1,
        Some(Severity::Error) => 2,
    };
    u8::from(switched) | sev << 1 | u8::from(broken) << 3
}

fn key_class(k: LookKey) -> String {
    let sev = match (k >> 1) & 3 {
        1 => Some(Severity::Warning),
        2 => Some(Severity::Error),
        _ => None,
    };
    link_class(k & 1 == 1, sev, k & 8 == 8)
}

/// One protection as painted: its ends in the drawing and its look.
#[derive(Clone, Copy, PartialEq)]
struct Line {
    u: Point,
    v: Point,
    look: LookKey,
}

/// Lines in the order of the drawing's protections: made, compared and
/// walked in one pass each, with no map of 10,000 lines made on every
/// change.
type Lines = Vec<(Link, Line)>;

/// What the layers show now.
struct Painted {
    /// The camera (on the canvas's pixels) and the canvas's size in
    /// pixels: any change paints both layers.
    pen: Pen,
    size: (u32, u32),
    /// The looks painted, as read off the stylesheet then.
    looks: Vec<(LookKey, Option<Look>)>,
    base: Lines,
    hot: Lines,
    /// Whether the layers are split otherwise than a whole painting would
    /// split them (the base shows protections of the selection, or lacks
    /// some that are not the selection's: a new selection, a protection
    /// drawn): tidied a moment later.
    extra: bool,
}

thread_local! {
    static PAINTED: RefCell<Option<Painted>> = const { RefCell::new(None) };
}

/// Forgets what the layers showed (they were emptied).
pub fn forget() {
    PAINTED.with(|p| p.borrow_mut().take());
}

/// What a painting of the protections needs: the two layers' contexts and
/// their size in pixels, the probes for the looks, the part of the
/// drawing in view, where each server is, and the servers being dragged
/// and the protections `drawn` as arrows (neither painted).
pub struct Scene<'a> {
    pub base: &'a web_sys::CanvasRenderingContext2d,
    pub hot: &'a web_sys::CanvasRenderingContext2d,
    pub size: (u32, u32),
    pub probes: &'a web_sys::Element,
    pub view: View,
    pub at: &'a HashMap<ServerId, Point>,
    pub moving: &'a HashSet<ServerId>,
    pub drawn: &'a HashSet<Link>,
}

/// Paints the protections on `base` and `hot` (see the module's docs)
/// while `painted` holds, following what they show (`common`: where, at
/// what size, in which theme), for the canvas's life: zoomed out every
/// protection, close in those that pass through the view and are not
/// `arrows`; none of the servers `dragging`.
pub fn install(
    (c, derived): (Ctx, Derived),
    (links, hot, probes): (Canvas, Canvas, NodeRef<leptos::svg::G>),
    (painted, arrows, dragging): (Memo<bool>, Memo<Vec<Link>>, RwSignal<Vec<ServerId>>),
    common: impl Fn() + 'static,
) {
    // A request to paint the base again without the selection's
    // protections, counted up a moment after a new selection.
    let tidy = RwSignal::new(0u32);
    let (tidy_now, tidy_asked) = (StoredValue::new(false), StoredValue::new(false));
    // What was painted goes with the canvases.
    on_cleanup(forget);
    on_change(
        move || {
            if !painted.get() {
                return;
            }
            common();
            derived.findings.with(|_| ());
            derived.switched.with(|_| ());
            c.ed.shown_failed.track();
            c.pr.spot.track();
            // Presenting draws protections wider.
            c.ed.mode.track();
            c.ed.selection.track();
            tidy.track();
            if !derived.ground.get() {
                arrows.track();
            }
        },
        move || {
            // Not cleared: each layer is painted only when its lines
            // changed (`lines.rs`).
            let layers = (
                surface(c, links, painted, false),
                surface(c, hot, painted, false),
            );
            let (Some((g, size)), Some((hot, _))) = layers else {
                forget();
                return;
            };
            let Some((probes, view, at, moving)) = scene(c, &g, probes, dragging) else {
                return;
            };
            let tidying = tidy_now.get_value();
            tidy_now.set_value(false);
            // Close in, what is drawn as an arrow is not painted.
            let drawn: HashSet<Link> = if derived.ground.get_untracked() {
                HashSet::default()
            } else {
                arrows.with_untracked(|a| a.iter().copied().collect())
            };
            let (probes, at) = (&probes, &at);
            let (moving, drawn) = (&moving, &drawn);
            let extra = c.ed.shown.with_untracked(|t| {
                let s = Scene {
                    base: &g,
                    hot: &hot,
                    size,
                    probes,
                    view,
                    at,
                    moving,
                    drawn,
                };
                paint(c, derived, t, s, tidying)
            });
            // One tidy asked for at a time.
            if extra && !tidy_asked.get_value() {
                tidy_asked.set_value(true);
                set_timeout(
                    // (The canvas may be gone by then.)
                    move || {
                        if tidy_asked.try_set_value(false).is_none() {
                            tidy_now.set_value(true);
                            tidy.update(|n| *n = n.wrapping_add(1));
                        }
                    },
                    std::time::Duration::from_millis(TIDY_MS),
                );
            }
        },
    );
}

type Canvas = NodeRef<leptos::html::Canvas>;

/// Paints the protections of `t` that cross the view: the layers whose
/// lines changed since the last painting. `tidy`: paint both as a whole
/// painting splits them, if they are not. Whether they are not afterwards
/// (then call again, with `tidy`, a moment later).
pub fn paint(c: Ctx, derived: Derived, t: &Topology, s: Scene, tidy: bool) -> bool {
    let all = lines(c, derived, t, &s);
    let pen = Pen::now(c);
    let spot = if c.pr.spot.get_untracked().is_some() {
        "protections"
    } else {
        ""
    };
    // The looks of the lines now and of those painted before, in order.
    let mut used = [false; LOOKS];
    for (_, l) in &all {
        used[usize::from(l.look)] = true;
    }
    PAINTED.with(|p| {
        if let Some(p) = p.borrow().as_ref() {
            for (k, _) in &p.looks {
                used[usize::from(*k)] = true;
            }
        }
    });
    let looks: Vec<(LookKey, Option<Look>)> = (0..LOOKS as u8)
        .filter(|&k| used[usize::from(k)])
        .map(|k| {
            let class = key_class(k);
            (
                k,
                look(s.probes, spot, "protection-group", ("path", &class)),
            )
        })
        .collect();
    // The selection's protections go on the hot layer (all of them on the
    // base when too many are selected to be a handful of lines).
    let chosen: HashSet<ServerId> = c.ed.selection.with_untracked(|sel| {
        if sel.len() > MOST_SELECTED {
            HashSet::default()
        } else {
            sel.iter().copied().collect()
        }
    });
    let is_hot = |l: &Link| chosen.contains(&l.protector) || chosen.contains(&l.target);
    let old = PAINTED.with(|p| p.borrow_mut().take()).filter(|p| {
        p.pen == pen
            && p.size == s.size
            && p.looks
                .iter()
                .all(|(k, l)| looks.iter().any(|(k2, l2)| k2 == k && l2 == l))
    });
    let (old_base, old_hot, untidy) = match old {
        Some(p) => (Some(p.base), Some(p.hot), p.extra),
        None => (None, None, false),
    };
    // The base stands while every line on it is still there as it is
    // (unless it is to be tidied); the hot layer shows the rest: the lines
    // the base lacks (with a base painted now, the selection's). A line is
    // never on both: drawn twice it would darken. (A line gone from the
    // base, as after a delete of a server not selected, paints it again.)
    let hot_of_all = || -> Lines { all.iter().filter(|(l, _)| is_hot(l)).copied().collect() };
    let (kept, hot) = match old_base.filter(|_| !(tidy && untidy)) {
        Some(b) => match lacking(&b, &all) {
            Some(hot) if hot.len() <= MOST_HOT => (Some(b), hot),
            _ => (None, hot_of_all()),
        },
        None => (None, hot_of_all()),
    };
    let base = kept.unwrap_or_else(|| {
        // Every line but the hot ones: the lines made above, those taken
        // out in place (no copy of 10,000 lines).
        let mut base = all;
        base.retain(|(l, _)| !is_hot(l));
        stroke(s.base, &base, &looks, pen, s.size);
        base
    });
    if old_hot.as_ref() != Some(&hot) {
        stroke(s.hot, &hot, &looks, pen, s.size);
    }
    // Not as a whole painting would split them: tidy a moment later.
    let extra = !chosen.is_empty() && base.iter().any(|(l, _)| is_hot(l))
        || hot.iter().any(|(l, _)| !is_hot(l));
    PAINTED.with(|p| {
        *p.borrow_mut() = Some(Painted {
            pen,
            size: s.size,
            looks,
            base,
            hot,
            extra,
        })
    });
    extra
}

/// The lines of `all` that `base` lacks, or None if `base` shows a line
/// that `all` has not (gone, moved or of another look), which the base
/// cannot keep. Both in the protections' order, which an edit keeps for
/// those it leaves (an added protection comes last, a removed one leaves
/// a gap): one walk along both. (Protections put in another order, which
/// no edit does, read as lines gone, and the base is painted again.)
fn lacking(base: &Lines, all: &Lines) -> Option<Lines> {
    let mut rest = all.iter();
    let mut out = Vec::new();
    for (l, x) in base {
        loop {
            let (m, y) = rest.next()?;
            if m == l {
                if y != x {
                    return None;
                }
                break;
            }
            out.push((*m, *y));
        }
    }
    out.extend(rest.copied());
    Some(out)
}

/// Every protection that crosses the view, but those being dragged or
/// drawn as arrows, with its look.
fn lines(c: Ctx, derived: Derived, t: &Topology, s: &Scene) -> Lines {
    let failed: HashSet<ServerId> =
        c.ed.shown_failed
            .with_untracked(|f| f.iter().copied().collect());
    let (x0, y0, x1, y1) = s.view;
    let centre = Point {
        x: (x0 + x1) / 2.0,
        y: (y0 + y1) / 2.0,
    };
    let (hw, hh) = ((x1 - x0) / 2.0, (y1 - y0) / 2.0);
    // Painted zoomed out, most lines are in view: the list is made at its
    // greatest size at once, not grown (and copied) a dozen times on the
    // way to 10,000.
    let mut out = if derived.ground.get_untracked() {
        Vec::with_capacity(t.protections.len())
    } else {
        Vec::new()
    };
    derived.findings.with_untracked(|f| {
        derived.switched.with_untracked(|sw| {
            for p in &t.protections {
                if s.moving.contains(&p.protector) || s.moving.contains(&p.target) {
                    continue;
                }
                let (Some(&u), Some(&v)) = (s.at.get(&p.protector), s.at.get(&p.target)) else {
                    continue;
                };
                let l = p.link();
                // Both ends in view (fitted, every line): no clipping.
                let inside =
                    |q: Point| (q.x - centre.x).abs() <= hw && (q.y - centre.y).abs() <= hh;
                let crosses =
                    inside(u) && inside(v) || dpm_rules::segment_hits_box(u, v, centre, hw, hh);
                if !crosses || s.drawn.contains(&l) {
                    continue;
                }
                let sev = f.link.get(&l).and_then(|fs| worst(fs));
                let broken = failed.contains(&p.protector) || failed.contains(&p.target);
                let look = look_key(sw.contains(&l), sev, broken);
                out.push((l, Line { u, v, look }));
            }
        })
    });
    out
}

/// Clears `g`'s canvas (`size` pixels) and strokes `lines` on it by look,
/// in the order of looks, each look's lines as one path (so that lines of
/// one look that cross do not darken each other).
fn stroke(
    g: &web_sys::CanvasRenderingContext2d,
    lines: &Lines,
    looks: &[(LookKey, Option<Look>)],
    Pen { k, x, y }: Pen,
    (w, h): (u32, u32),
) {
    g.save();
    g.set_transform(1.0, 0.0, 0.0, 1.0, 0.0, 0.0).ok();
    g.clear_rect(0.0, 0.0, w as f64, h as f64);
    g.set_transform(k, 0.0, 0.0, k, x, y).ok();
    for (key, l) in looks {
        let Some(l) = l else { continue };
        if l.stroke.is_empty() || l.stroke == "none" || l.width <= 0.0 {
            continue;
        }
        let mut mine = lines
            .iter()
            .map(|(_, line)| line)
            .filter(|line| line.look == *key)
            .peekable();
        if mine.peek().is_none() {
            continue;
        }
        g.set_global_alpha(l.alpha);
        g.set_line_width(l.width);
        let dash = js_sys::Array::new();
        for d in &l.dash {
            dash.push(&JsValue::from_f64(*d));
        }
        let _ = g.set_line_dash(&dash);
        g.set_stroke_style_str(&l.stroke);
        g.begin_path();
        for line in mine {
            g.move_to(line.u.x, line.u.y);
            g.line_to(line.v.x, line.v.y);
        }
        g.stroke();
    }
    g.restore();
}
