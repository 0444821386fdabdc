//! What the views read from the findings and roles of the drawing shown,
//! computed once per change (memos) instead of once per node.

use crate::state::editor::{Editor, Mark};

/// Below this zoom, the simpler drawing (no names, badges, arrowheads).
pub const FAR_BELOW: f64 = 0.45;

/// Zoomed out on more servers than this, the drawing is painted on a
/// canvas, not made of nodes (`canvas::ground`): nodes in view cost the
/// browser more per edit than painting does from some hundreds on (a
/// delete at 700 servers fitted took 44 ms to its second frame as nodes,
/// at 1,000 43 ms, painted 28 ms; entering and leaving the simulator at
/// 1,000 33-35 ms as nodes, 14-15 painted: `e2e/probes/edits.mjs`).
pub const GROUND_OVER: usize = 500;

/// Close in on more servers than this, the protections that only pass
/// through the view (no end near it) are painted under the drawing, not
/// made as arrows, and the estate's lines that only pass through are left
/// out (`canvas::cull`, `canvas::ground`): 5,000 arrows across the view of
/// a generated estate of 10,000 made every click lay out, paint and
/// hit-test 30,000 SVG elements.
pub const CROSSING_PAINTED_OVER: usize = 2_500;

use dpm_rules::hash::{HashMap, HashSet};
use dpm_rules::{
    all_roles, Finding, Kind, Limit, Link, Obstacles, Point, Roles, ServerId, Severity,
};
use leptos::prelude::*;

/// The smallest text the canvas draws, in CSS pixels on screen: text that
/// the zoom would draw smaller is hidden, and the name tip shows it on
/// hover and focus instead.
pub const MIN_TEXT_PX: f64 = 11.0;

/// The canvas's classes for the text too small to read at zoom `k`:
/// `tiny-text` hides the 11 px text (tags, badge marks, labels),
/// `no-captions` the servers' 12 px captions, `small-text` the 12.5 px
/// site labels, `no-names` the servers' 16 px names (so that a small
/// drawing fitted to a laptop's screen, at 0.7 or more, shows its names).
pub fn text_classes(k: f64) -> &'static str {
    let under = |px: f64| px * k < MIN_TEXT_PX - 1e-9;
    if under(dpm_rules::NAME_PX) {
        " tiny-text no-captions small-text no-names"
    } else if under(12.5) {
        " tiny-text no-captions small-text"
    } else if under(dpm_rules::CAPTION_PX) {
        " tiny-text no-captions"
    } else if under(11.0) {
        " tiny-text"
    } else {
        ""
    }
}

/// The finest dash pattern of the lines [`dash_class`] draws solid (the
/// protections but switched ones, and the sites' borders), in the
/// drawing's units: a broken protection's `4 5` (`style/main.css`).
pub const FINEST_DASH: f64 = 9.0;

/// A dash pattern repeating in fewer CSS pixels than this on screen is
/// drawn solid.
pub const SOLID_DASH_PX: f64 = 2.0;

/// The canvas's class for dashes too fine to draw at zoom `k`:
/// `solid-dashes` when the finest pattern ([`FINEST_DASH`]) would repeat
/// in under [`SOLID_DASH_PX`] pixels. Such dashes look like a lighter
/// solid line, and the browser rasterises them one by one: zoomed out to
/// 1 % on a site's failure at 10,000 servers, the thousands of broken
/// protections of the failed servers, some 2,000 dashes a line, took
/// Chromium's software rasteriser 3 s.
pub fn dash_class(k: f64) -> &'static str {
    if FINEST_DASH * k < SOLID_DASH_PX {
        " solid-dashes"
    } else {
        ""
    }
}

/// Findings by the server they are about, and by protection.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct FindingsBy {
    pub server: HashMap<ServerId, Vec<Finding>>,
    pub link: HashMap<Link, Vec<Finding>>,
}

impl FindingsBy {
    pub fn of_server(&self, id: ServerId) -> Vec<Finding> {
        self.server.get(&id).cloned().unwrap_or_default()
    }

    pub fn of_link(&self, l: Link) -> Vec<Finding> {
        self.link.get(&l).cloned().unwrap_or_default()
    }
}

/// What the drawing derives from the shown topology, once per change.
#[derive(Clone, Copy)]
pub struct Derived {
    pub roles: Memo<HashMap<ServerId, Roles>>,
    /// Findings by the server they are about, and by protection.
    pub findings: Memo<FindingsBy>,
    /// Links with a protection the other way (cyclic pairs bend apart).
    pub reverse: Memo<HashSet<Link>>,
    /// Switched protections: one set per change, not a search per arrow.
    pub switched: Memo<HashSet<Link>>,
    /// Zoomed out below `FAR_BELOW`: servers are drawn as their shapes only.
    pub far: Memo<bool>,
    /// Zoomed out on more than `GROUND_OVER` servers: the drawing is
    /// painted, not made of nodes (`canvas::ground`).
    pub ground: Memo<bool>,
    /// The servers' boxes, for routing arrows around them: where the
    /// drawing has them (a server being dragged is there again at the
    /// drop), changed box by box for what an edit touched (see
    /// `boxes`), not per arrow.
    pub obstacles: Memo<Obstacles>,
    /// The boxes (centre, width) that moved, grew, came or went since
    /// [`Derived::take_moved_boxes`] last took them, as they were and as
    /// they are; `None` when too many to name, or when the estate's size
    /// crossed to another [`Limit::for_drawing`] (every arrow is then
    /// routed again).
    moved_boxes: StoredValue<Option<Vec<(Point, f64)>>>,
    /// The text too small to read at the zoom, as the canvas's classes
    /// ([`text_classes`]).
    pub text: Memo<&'static str>,
    /// The dashes too fine to draw at the zoom, as the canvas's class
    /// ([`dash_class`]).
    pub dashes: Memo<&'static str>,
}

impl Derived {
    /// What server `id`'s box says under its name: its role, or that it is
    /// protected (untracked: for a tip, not a view of its own).
    pub fn caption(&self, t: &dpm_rules::Topology, id: ServerId) -> String {
        match t.server(id) {
            Some(s) if s.kind == Kind::Dpm => self
                .roles
                .with_untracked(|r| r.get(&id).copied().unwrap_or_default())
                .caption(s.is_mabs()),
            Some(_) => "protected server".to_string(),
            None => String::new(),
        }
    }

    /// The boxes that changed since the last call (see `moved_boxes`),
    /// for routing again the arrows near them; `None`: too many to name.
    pub fn take_moved_boxes(&self) -> Option<Vec<(Point, f64)>> {
        self.moved_boxes
            .try_update_value(|m| m.replace(Vec::new()))
            .flatten()
    }

    pub fn new(ed: Editor) -> Derived {
        // What the rules read does not change when servers move: these
        // follow the content only (`Editor::track_content`).
        let roles = crate::browser::memo(move |_| {
            ed.track_content();
            ed.shown.with_untracked(all_roles)
        });
        let findings = crate::browser::memo(move |_| {
            ed.findings.with(|fs| {
                let mut by_server: HashMap<ServerId, Vec<Finding>> = HashMap::default();
                let mut by_link: HashMap<Link, Vec<Finding>> = HashMap::default();
                for f in fs {
                    if f.protections.is_empty() {
                        for &id in &f.servers {
                            by_server.entry(id).or_default().push(f.clone());
                        }
                    } else {
                        for l in &f.protections {
                            by_link.entry(*l).or_default().push(f.clone());
                        }
                    }
                }
                FindingsBy {
                    server: by_server,
                    link: by_link,
                }
            })
        });
        let switched = crate::browser::memo(move |_| {
            ed.track_content();
            ed.shown.with_untracked(|t| {
                t.protections
                    .iter()
                    .filter(|p| p.switched)
                    .map(|p| p.link())
                    .collect()
            })
        });
        let reverse = crate::browser::memo(move |_| {
            ed.track_content();
            ed.shown.with_untracked(|t| {
                let all: HashSet<Link> = t.protections.iter().map(|p| p.link()).collect();
                all.iter()
                    .filter(|l| {
                        l.protector != l.target
                            && all.contains(&Link {
                                protector: l.target,
                                target: l.protector,
                            })
                    })
                    .copied()
                    .collect()
            })
        });
        let far = crate::browser::memo(move |_| ed.camera.get().k < FAR_BELOW);
        let ground = crate::browser::memo(move |_| {
            far.get() && ed.shown.with(|t| t.servers.len() > GROUND_OVER)
        });
        let moved_boxes = StoredValue::new(Some(Vec::new()));
        let obstacles = boxes(ed, moved_boxes);
        let text = crate::browser::memo(move |_| text_classes(ed.camera.get().k));
        let dashes = crate::browser::memo(move |_| dash_class(ed.camera.get().k));
        Derived {
            roles,
            findings,
            reverse,
            switched,
            far,
            ground,
            obstacles,
            moved_boxes,
            text,
            dashes,
        }
    }
}

/// More boxes changed than this at once (a paste, a layout), and every
/// arrow is routed again rather than those whose footprint one touches.
const MOVED_MOST: usize = 64;

/// The servers' boxes of the drawing shown, for routing arrows around
/// them: made whole for the first drawing, a drawing opened, or a change
/// whose servers are not known ([`Editor::touched_since`]), else changed
/// box by box for the servers a change touched (an edit, a simulator's
/// step shown, the drawing back after one): an arrow key at 10,000
/// servers moves one box instead of making 10,000 again (4 ms, and 1.6 to
/// drop the old, in a profile). What changed is added to `moved` for the
/// arrows.
fn boxes(ed: Editor, moved: StoredValue<Option<Vec<(Point, f64)>>>) -> Memo<Obstacles> {
    let mark = StoredValue::new(Mark::default());
    let add = move |more: Option<Vec<(Point, f64)>>| {
        moved.update_value(|m| {
            *m = match (m.take(), more) {
                (Some(mut m), Some(more)) if m.len() + more.len() <= MOVED_MOST => {
                    m.extend(more);
                    Some(m)
                }
                _ => None,
            }
        })
    };
    Memo::new_owning(move |old: Option<Obstacles>| {
        let touched = mark.try_update_value(|m| ed.touched_since(m)).flatten();
        ed.shown.with(|t| match (old, touched) {
            (Some(mut o), Some(ids))
                if ids
                    .iter()
                    .all(|&id| t.server(id).is_none_or(|s| s.pos.is_some())) =>
            {
                let limit = Limit::for_drawing(o.len());
                let mut changed = Vec::new();
                for id in ids {
                    let to = t
                        .server(id)
                        .and_then(|s| Some((s.pos?, dpm_rules::box_width(&s.name))));
                    let was = o.set(id, to);
                    if was != to {
                        changed.extend(was.into_iter().chain(to));
                    }
                }
                let any = !changed.is_empty();
                if any {
                    // Another limit may route any arrow otherwise.
                    add((Limit::for_drawing(o.len()) == limit).then_some(changed));
                }
                (o, any)
            }
            (old, _) => {
                let now = Obstacles::of(t);
                let changed = old.map(|old| {
                    let same = Limit::for_drawing(old.len()) == Limit::for_drawing(now.len());
                    now.changed_from(&old, MOVED_MOST).filter(|_| same)
                });
                // (A step that moves no box changes nothing here.)
                let any = !matches!(&changed, Some(Some(c)) if c.is_empty());
                if let Some(changed) = changed {
                    add(changed);
                }
                (now, any)
            }
        })
    })
}

pub fn worst(fs: &[Finding]) -> Option<Severity> {
    fs.iter().map(|f| f.severity()).min_by_key(|s| match s {
        Severity::Error => 0,
        Severity::Warning => 1,
        Severity::Info => 2,
    })
}

/// "Title: message" lines for a tooltip, each with its sentence (read
/// for the servers of `t`).
pub fn finding_lines(t: &dpm_rules::Topology, fs: &[Finding]) -> String {
    fs.iter()
        .map(|f| {
            let source = f.source(t);
            format!(
                "{} ({}): {}\n“{}” ({})",
                f.rule.title(),
                f.severity().as_str(),
                f.message,
                source.text,
                source.document
            )
        })
        .collect::<Vec<_>>()
        .join("\n\n")
}
