//! The far view's protections (`ground.rs`), painted with the canvas's
//! own stroker on two layers: the base, and over it the hot layer, which
//! shows the protections of the selected servers and any the base lacks.
//!
//! At 10,000 servers, painting every protection again took the browser's
//! rasteriser some 16 ms of the frame that showed an edit, and the strokes
//! 4 ms more, for a change that moved one server's lines. The edits a user
//! makes one after another (move by keys, delete, undo, redo, rename, a
//! protection drawn) are edits of the selection or add lines: so the base
//! is kept, and only the hot layer, a handful of lines, is painted again.
//! The camera, the canvas's size or a look (the theme, the mode, the
//! spotlight), or more lines lacking from the base than the hot layer
//! takes ([`MOST_HOT`]), paint the base again. (Clipping a repaint of one
//! layer to the boxes that changed was tried: the browser's stroker
//! antialiases a path of a few lines unlike the same lines in a path of
//! 10,000, and the boxes showed.)
//!
//! A new selection's protections are on the base already, and stay there
//! (drawn on both canvases they would darken), and a new line goes on the
//! hot layer at once; a moment later ([`TIDY_MS`]), before the user's next
//! edit in all likelihood, both layers are painted as a whole painting
//! splits them, so that the next move of the selection leaves the base
//! alone.
//!
//! A few lines of the base that changed (a server failed or brought back
//! in the simulator, a look changed with the findings after a protection
//! was drawn, a server moved that is not selected, a protection gone) are
//! left on the base as they were for that moment, and drawn as they are
//! now on the hot layer, over them; the base is painted whole a moment
//! later ([`TIDY_MS`]), as after a new selection. At 10,000 servers,
//! painting the whole base again cost the browser's rasteriser 8-18 ms in
//! the frame that showed the edit. (Two ways to take the old lines off the
//! base at once were tried and dropped: rubbing them out with
//! `destination-out` left white streaks across the dense mass of lines a
//! zoomed-out estate makes, and clearing their strips under a clip and
//! stroking again the lines that cross them took twice as long as a whole
//! painting.)

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

/// How long after a new selection (or lines the base lacks, or lines of
/// the base that changed) the layers are painted as a whole painting
/// splits them, in ms.
pub const TIDY_MS: u64 = 80;

/// More lines than this on the hot layer, or more lines of the base
/// changed or gone, and the base is painted again (the hot layer is
/// painted at every change of it; a base left as it was for a moment
/// should not show thousands of lines gone).
const MOST_HOT: usize = 2_000;

/// How far along the base a line now is looked for, when the base's next
/// line is not it: found there, the base's lines before it are gone (an
/// edit removes a server's protections, which lie together); not found, it
/// is new.
const LOOK_AHEAD: usize = 64;

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
    /// drawn), or the base shows lines as they were: tidied a moment
    /// later.
    extra: bool,
    /// Whether the base shows lines as they were (changed or gone since;
    /// as they are now on the hot layer).
    outdated: bool,
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
    // A request to paint the layers again as a whole painting splits
    // them, counted up a moment after a new selection (or lines the base
    // lacks, or lines of the base that changed).
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

/// Paints the protections of `t` that cross the view: the hot layer when
/// its lines changed since the last painting, the base only when it cannot
/// be kept (see the module's docs) or is tidied. `tidy`: paint both as a
/// whole painting splits them, if they are not. Whether they are not
/// afterwards (then call again, with `tidy`, a moment later).
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
    let (old_base, old_hot, untidy, outdated) = match old {
        Some(p) => (Some(p.base), Some(p.hot), p.extra, p.outdated),
        None => (None, None, false, false),
    };
    // The base stands, unless it is to be tidied; its lines that changed
    // stay on it for the moment until then. The hot layer shows the lines
    // the base lacks, as they are now (with a base painted now, the
    // selection's). A line is never on both but for that moment: drawn
    // twice it would darken.
    let hot_of_all = || -> Lines { all.iter().filter(|(l, _)| is_hot(l)).copied().collect() };
    let (kept, hot, outdated) = match old_base.filter(|_| !(tidy && untidy)) {
        Some(b) => {
            let Split { lacking, stale } = split(&b, &all);
            if lacking.len() <= MOST_HOT && stale.len() <= MOST_HOT {
                (Some(b), lacking, outdated || !stale.is_empty())
            } else {
                (None, hot_of_all(), false)
            }
        }
        None => (None, hot_of_all(), false),
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
    let extra = outdated
        || !chosen.is_empty() && base.iter().any(|(l, _)| is_hot(l))
        || hot.iter().any(|(l, _)| !is_hot(l));
    PAINTED.with(|p| {
        *p.borrow_mut() = Some(Painted {
            pen,
            size: s.size,
            looks,
            base,
            hot,
            extra,
            outdated,
        })
    });
    extra
}

/// The base's lines against the lines now: those it lacks (new, or
/// changed: for the hot layer) and those stale (gone or changed). The
/// rest of each, in order, are the same lines.
struct Split {
    lacking: Lines,
    stale: Lines,
}

/// Splits `base` against `all` ([`Split`]), both in the protections'
/// order, which an edit keeps for those it leaves (an added protection
/// comes last, or where an undo puts it back; removed ones leave a gap;
/// a changed one stays where it was): one walk along both, looking up to
/// [`LOOK_AHEAD`] lines ahead on the base across a gap. Protections in
/// another order, which no edit makes, or a gap of more lines, read as
/// lines stale and lacking that are in fact the same: drawn on both
/// layers until the tidy, or, when many, the base painted again.
fn split(base: &Lines, all: &Lines) -> Split {
    let mut rest = all.iter().peekable();
    let mut out = Split {
        lacking: Vec::new(),
        stale: Vec::new(),
    };
    let mut on_base = base.iter();
    while let Some(&(l, x)) = on_base.next() {
        loop {
            let Some(&&(m, y)) = rest.peek() else {
                // Gone (as is the rest of the base).
                out.stale.push((l, x));
                break;
            };
            if m == l {
                rest.next();
                if y != x {
                    out.stale.push((l, x));
                    out.lacking.push((m, y));
                }
                break;
            }
            if on_base.clone().take(LOOK_AHEAD).any(|(n, _)| *n == m) {
                // `l` is gone: the next line now is further on the base.
                out.stale.push((l, x));
                break;
            }
            // New before `l`.
            rest.next();
            out.lacking.push((m, y));
        }
    }
    out.lacking.extend(rest.copied());
    out
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

#[cfg(test)]
mod tests {
    use super::*;
    use dpm_rules::ServerId;
    use wasm_bindgen_test::wasm_bindgen_test;

    wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

    /// Line `i` (from server `i` to server `i + 1000`), of look `look`.
    fn line(i: u32, look: LookKey) -> (Link, Line) {
        let link = Link {
            protector: ServerId(i),
            target: ServerId(i + 1000),
        };
        let at = Point {
            x: f64::from(i),
            y: 0.0,
        };
        (link, Line { u: at, v: at, look })
    }

    fn ids(lines: &Lines) -> Vec<u32> {
        lines.iter().map(|(l, _)| l.protector.0).collect()
    }

    /// The lines of `of` not in `but`, in order (lines are told apart by
    /// their protection and look).
    fn without(of: &Lines, but: &Lines) -> Lines {
        of.iter().filter(|x| !but.contains(x)).copied().collect()
    }

    #[wasm_bindgen_test]
    fn a_split_names_what_changed_and_leaves_the_same_lines() {
        let base: Lines = (0..6).map(|i| line(i, 0)).collect();
        // 1 changed its look, 3 is gone, 7 is new before 4 (an undo puts
        // it back there), 9 is new at the end.
        let all: Lines = [
            line(0, 0),
            line(1, 8),
            line(2, 0),
            line(7, 0),
            line(4, 0),
            line(5, 0),
            line(9, 0),
        ]
        .into();
        let s = split(&base, &all);
        assert_eq!(ids(&s.stale), [1, 3]);
        assert_eq!(ids(&s.lacking), [1, 7, 9]);
        assert_eq!(s.lacking[0].1.look, 8, "the changed line's look now");
        assert_eq!(s.stale[0].1.look, 0, "the changed line's look painted");
        assert_eq!(ids(&without(&all, &s.lacking)), [0, 2, 4, 5]);
    }

    /// A small generator of numbers below `n` (the same ones each run).
    fn numbers() -> impl FnMut(u64) -> u64 {
        let mut seed = 7u64;
        move |n: u64| {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (seed >> 33) % n
        }
    }

    #[wasm_bindgen_test]
    fn what_is_neither_lacking_nor_stale_is_the_same_on_both() {
        // Lines in any order against any base, some left out, some added
        // anywhere: the walk's guesses may be poor, never wrong.
        let mut next = numbers();
        for _ in 0..2000 {
            let some = |next: &mut dyn FnMut(u64) -> u64| -> Lines {
                let n = next(40) as u32;
                (0..n)
                    .filter(|_| next(4) > 0)
                    .collect::<Vec<u32>>()
                    .into_iter()
                    .map(|i| line(i, next(2) as u8))
                    .collect()
            };
            let base = some(&mut next);
            let mut all = some(&mut next);
            match next(3) {
                0 => all.reverse(),
                1 => {
                    let half = all.len() / 2;
                    all.rotate_left(half)
                }
                _ => {}
            }
            let s = split(&base, &all);
            assert!(
                s.lacking.iter().all(|x| all.contains(x)),
                "lacking: lines now"
            );
            assert!(
                s.stale.iter().all(|x| base.contains(x)),
                "stale: lines painted"
            );
            assert!(
                without(&all, &s.lacking) == without(&base, &s.stale),
                "the rest the same"
            );
        }
    }

    #[wasm_bindgen_test]
    fn lines_removed_anywhere_are_stale_and_none_lacking() {
        // What a delete does to the base: runs of lines gone (a server's
        // protections lie together), up to the look-ahead long; and new
        // lines at the end.
        let mut next = numbers();
        for _ in 0..500 {
            let base: Lines = (0..next(300) as u32).map(|i| line(i, 0)).collect();
            let mut all = Lines::new();
            let mut gone = Lines::new();
            let mut i = 0;
            while i < base.len() {
                if next(10) == 0 {
                    let run = 1 + next(LOOK_AHEAD as u64) as usize;
                    gone.extend(base.iter().skip(i).take(run));
                    // A line kept after each gap (two gaps in a row are
                    // one gap).
                    all.extend(base.get(i + run));
                    i += run + 1;
                } else {
                    all.push(base[i]);
                    i += 1;
                }
            }
            let added: Lines = (0..next(3) as u32).map(|i| line(5000 + i, 0)).collect();
            all.extend(&added);
            let s = split(&base, &all);
            assert_eq!(
                ids(&s.stale),
                ids(&gone),
                "the lines gone are stale, the others kept"
            );
            assert_eq!(ids(&s.lacking), ids(&added), "only the new lines lacking");
        }
    }
}
