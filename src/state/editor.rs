//! The editor's state: the drawing, its history, the selection, the camera,
//! and the browser storage that keeps the drawing.
//!
//! Every change to the drawing goes through [`Editor::commit`], so every
//! change is one undoable step and is saved. Views only read signals; the
//! simulator shows its steps through [`Editor::preview`], which never enters
//! the history or the save.

use dpm_rules::hash::HashSet;
use std::sync::Arc;

use leptos::prelude::*;

use dpm_rules::{
    apply_layout, diff, refusal, Checked, Exercise, Finding, Kind, Link, Patch, Point, ServerId,
    Topology,
};

/// Where the drawing is saved.
pub const SAVE_KEY: &str = "dpm-sketch/drawing";
/// The theme the user picked ("light" or "dark"; absent follows the system).
pub const THEME_KEY: &str = "dpm-sketch/theme";
/// Whether Snap is on ("1") or off ("0"; absent: on).
pub const SNAP_KEY: &str = "dpm-sketch/snap";
/// Set once the first-visit hint was dismissed.
pub const HINT_KEY: &str = "dpm-sketch/hint-dismissed";
/// How many steps undo remembers.
const HISTORY_MAX: usize = 300;

/// What the canvas is for right now.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    Edit,
    Simulate,
    /// Presenter mode: scenes on a projector, nothing editable.
    Present,
}

/// A message in the notice bar.
#[derive(Clone, Debug, PartialEq)]
pub struct Notice {
    pub error: bool,
    pub text: String,
    pub action: Option<NoticeAction>,
    /// What it says is true of: once that stops holding, the notice goes
    /// (`shell::notice` watches), so no notice outlives its truth.
    pub about: About,
}

/// What a notice is about, and so how long it holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum About {
    /// The app or the browser (storage, another tab, a kept text): true
    /// whatever is drawn.
    App,
    /// The drawing open when it was said (this number of [`Editor::opened`]):
    /// opening another (a preset, a file, a link, an import, New, an
    /// exercise or leaving one) ends it.
    Drawing(u64),
    /// The step that made this state of the drawing ([`Editor::step`]): an
    /// option applied, a drawing opened over another, a server added. Undo
    /// of that step ends it, as does opening another drawing.
    Step(u64, u64),
    /// Goal `.1` of the exercise open in drawing `.0`, not met: meeting it
    /// (or leaving the exercise) ends it.
    GoalUnmet(u64, usize),
}

/// The button a notice may carry.
#[derive(Clone, Debug, PartialEq)]
pub enum NoticeAction {
    /// Undo the step the notice is about (bring back the replaced drawing).
    Undo(&'static str),
    /// Offer the kept-aside text under this storage key for download.
    Download(String),
    /// Offer the drawing as it is now, as a scenario file (storage is full).
    DownloadDrawing,
    /// Another tab has the drawing: take it over here, or open a copy.
    Elsewhere,
}

/// The dialogs; one at a time.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dialog {
    ConfirmNew,
    Export,
    Import,
    /// The report of DPM inventories read, before the estate opens.
    ImportReport,
    Share,
    Embed,
    Keys,
    ConfirmReset,
    Author,
}

/// The zoom before the first fit: far out (shapes only), but not so far
/// that a large estate is painted tiny in a corner for a frame.
const FIRST_K: f64 = 0.05;

/// Pan and zoom: a canvas point p is drawn at p * k + (x, y).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Camera {
    pub x: f64,
    pub y: f64,
    pub k: f64,
}

impl Camera {
    /// Far enough out for Fit to show an estate of 10,000 servers whole
    /// (about 2 %), and more.
    pub const MIN_K: f64 = 0.005;
    pub const MAX_K: f64 = 3.0;

    pub fn to_canvas(&self, sx: f64, sy: f64) -> Point {
        Point {
            x: (sx - self.x) / self.k,
            y: (sy - self.y) / self.k,
        }
    }

    pub fn to_screen(&self, p: Point) -> (f64, f64) {
        (p.x * self.k + self.x, p.y * self.k + self.y)
    }

    /// Zooms by `factor` keeping the screen point (sx, sy) where it is.
    pub fn zoomed(&self, factor: f64, sx: f64, sy: f64) -> Camera {
        let k = (self.k * factor).max(Self::MIN_K).min(Self::MAX_K);
        let p = self.to_canvas(sx, sy);
        Camera {
            x: sx - p.x * k,
            y: sy - p.y * k,
            k,
        }
    }

    /// The camera that shows the box (x0, y0)-(x1, y1) in a w x h view.
    pub fn fitting(bounds: (f64, f64, f64, f64), w: f64, h: f64, max_k: f64) -> Camera {
        Camera::fitting_with(bounds, (w, h), max_k, 32.0)
    }

    /// As [`Camera::fitting`], but where that zoom is under `readable`
    /// (where names show, [`crate::state::derived::MIN_TEXT_PX`] on
    /// screen) and a margin of 8 pixels instead of 32 reaches it: at
    /// `readable`, the drawing still whole. (Scenario 1 at 1024x768 was
    /// fitted at 65 %, 11 units too wide for its names to show.)
    pub fn fitting_readable(
        bounds: (f64, f64, f64, f64),
        (w, h): (f64, f64),
        max_k: f64,
        readable: f64,
    ) -> Camera {
        let cam = Camera::fitting(bounds, w, h, max_k);
        if cam.k >= readable || readable > max_k {
            return cam;
        }
        // At most `readable`: the tight fit reaches it, or is no use.
        let tight = Camera::fitting_with(bounds, (w, h), readable, 8.0);
        if tight.k < readable {
            cam
        } else {
            tight
        }
    }

    fn fitting_with(
        bounds: (f64, f64, f64, f64),
        (w, h): (f64, f64),
        max_k: f64,
        pad: f64,
    ) -> Camera {
        let (x0, y0, x1, y1) = bounds;
        let (bw, bh) = ((x1 - x0).max(1.0), (y1 - y0).max(1.0));
        let k = ((w - 2.0 * pad) / bw)
            .min((h - 2.0 * pad) / bh)
            .max(Self::MIN_K)
            .min(max_k);
        Camera {
            x: (w - bw * k) / 2.0 - x0 * k,
            y: (h - bh * k) / 2.0 - y0 * k,
            k,
        }
    }
}

/// The drawing the canvas shows: the simulator's or the presenter's step
/// while one is shown (`preview`), else the drawing itself (`doc`). Read in
/// place, never copied (a memo of it copied 10,000 servers at every edit:
/// 1.3 ms, and as much again to compare and drop the copies, in a profile
/// of an arrow key at 10,000 servers). Reading it tracks `rev`, which
/// counts the changes of what it shows: a step that shows the drawing as
/// it was shown already (most steps of a plan) changes nothing that reads
/// it.
#[derive(Clone, Copy)]
pub struct Shown {
    doc: RwSignal<Topology>,
    preview: RwSignal<Option<Topology>>,
    rev: RwSignal<u64>,
}

impl Shown {
    /// `f` of the drawing shown, tracked.
    pub fn with<R>(&self, f: impl FnOnce(&Topology) -> R) -> R {
        self.rev.track();
        self.with_untracked(f)
    }

    /// `f` of the drawing shown, untracked.
    pub fn with_untracked<R>(&self, f: impl FnOnce(&Topology) -> R) -> R {
        let doc = self.doc;
        self.preview.with_untracked(|p| match p {
            Some(p) => f(p),
            None => doc.with_untracked(f),
        })
    }

    /// Tracks the drawing shown without reading it.
    pub fn track(&self) {
        self.rev.track();
    }

    /// Counts up at every change of what it shows (untracked): what a
    /// result worked out from it is kept by.
    pub fn rev_untracked(&self) -> u64 {
        self.rev.get_untracked()
    }

    /// Says that what it shows changed.
    fn changed(&self) {
        self.rev.update(|n| *n = n.wrapping_add(1));
    }
}

/// Undo and redo, by differences: each entry is the patch that takes the
/// drawing as it is to the drawing one step back (undo) or on (redo), with
/// the step that made that drawing. A patch holds what its edit changed
/// (a moved server, not the estate), and applying it hands back the patch
/// that returns, which goes on the other stack.
struct History {
    undo: Vec<(Patch, u64)>,
    redo: Vec<(Patch, u64)>,
    /// The number the next step gets.
    next: u64,
    /// The steps made to show a drawing whole (one opened: a preset, an
    /// import, a link, a generated estate, New; a layout): undone or done
    /// again, the drawing then shown is fitted, as making them fitted it
    /// (a 10,000-server estate undone left Scenario 1 drawn at 1.7 %, a
    /// few dots). At most as many as the history holds.
    fits: Vec<u64>,
}

/// The servers the last changes to the drawing shown touched (an edit, a
/// simulator's step shown in its place, the drawing back after one), each
/// change with its number: `None` for a change that may touch any (a
/// drawing opened, more than [`TOUCHED_MOST`] servers).
/// A server is touched when it is added, removed, moved or changed
/// otherwise, or a protection of it is added, removed or changed.
#[derive(Default)]
struct Touched {
    /// The number of the last change noted.
    last: u64,
    /// Per entry: the numbers of its first and last change, and what they
    /// touched.
    log: Vec<(u64, u64, Option<Vec<ServerId>>)>,
    /// Whether the last entry of the log only moved servers: a run of
    /// moves is one entry, from the first of them to the last.
    moves: bool,
}

/// How many changes [`Touched`] keeps: a view further behind looks at
/// every server.
const TOUCHED_KEPT: usize = 32;

/// The most servers a change in [`Touched`] lists: past a few thousand,
/// looking at every server is as quick.
const TOUCHED_MOST: usize = 2_000;

/// Where a view of every server stood in the drawing's changes when it
/// last looked ([`Editor::touched_since`]); the default, never.
#[derive(Clone, Copy, Debug, Default)]
pub struct Mark {
    change: Option<u64>,
}

/// Everything the views share. Cheap to copy: every field is a handle.
#[derive(Clone, Copy)]
pub struct Editor {
    /// The drawing as the user made it. Written only by `commit` (and so
    /// `edit` and `open`), undo, redo and `load`, each through
    /// `write_doc`: what reads
    /// [`Editor::shown`] and [`Editor::touched_since`] learn of its changes
    /// there, and every server in it has its place (`pos`), which the
    /// views that follow the servers an edit touched rely on.
    pub doc: RwSignal<Topology>,
    /// A step shown instead of `doc` ([`Editor::set_preview`]).
    preview: RwSignal<Option<Topology>>,
    pub shown: Shown,
    /// Counts the changes to the drawing that touch more than where
    /// servers are drawn (what [`Editor::track_content`] follows): moving
    /// a server leaves it, so the findings, roles and inventory are not
    /// derived again for a move (at 10,000 servers, 7 ms of checking per
    /// arrow key).
    content: RwSignal<u64>,
    /// Findings about what is shown, errors first.
    pub findings: Memo<Vec<Finding>>,
    pub selection: RwSignal<Vec<ServerId>>,
    pub selected_link: RwSignal<Option<Link>>,
    /// Protections shown selected with `selected_link` (the others a
    /// finding points at), while its first is the one selected: set by
    /// [`Editor::select_links`] only, and cleared by the next change of
    /// the selection made any other way.
    pub also_links: RwSignal<Vec<Link>>,
    /// Whether `also_links` was set since the selection last changed.
    also_fresh: StoredValue<bool>,
    pub notice: RwSignal<Option<Notice>>,
    pub dialog: RwSignal<Option<Dialog>>,
    pub camera: RwSignal<Camera>,
    /// The canvas's size on screen, in CSS pixels.
    pub viewport: RwSignal<(f64, f64)>,
    pub mode: RwSignal<Mode>,
    pub snap: RwSignal<bool>,
    /// Simulator: the servers the user failed, and the servers down in the
    /// step being shown (the same outside playback).
    pub failed: RwSignal<Vec<ServerId>>,
    pub shown_failed: RwSignal<Vec<ServerId>>,
    /// Simulator: the DPM servers up again in the step shown whose copies
    /// are not made yet (the step's `making`: rebuilt, before their
    /// consistency checks).
    pub making: RwSignal<Vec<ServerId>>,
    /// Simulator: the sites the user failed (every server of each, and
    /// their guests, are down), and the DPM servers stopped because the
    /// server holding their database is down.
    pub failed_sites: RwSignal<Vec<String>>,
    pub stopped: RwSignal<Vec<ServerId>>,
    /// Simulator: data moving in the step being shown.
    pub flows: RwSignal<Vec<dpm_rules::Flow>>,
    /// Servers a step adds, to fade them in.
    pub entering: RwSignal<HashSet<ServerId>>,
    /// The "where the copies are" view.
    pub copies: RwSignal<bool>,
    /// The first visit's editing hint shows ([`Editor::dismiss_hint`]).
    pub hint: RwSignal<bool>,
    history: StoredValue<History>,
    /// A copy of the drawing made while the browser was idle, for the next
    /// [`Editor::edit`] to change, so that an edit does not copy the
    /// drawing in its own frame (10,000 servers: 4 ms). Equal to the
    /// drawing whenever it is there: each writer of the drawing takes it
    /// away before writing, and [`Editor::spare_later`] makes it again.
    spare: StoredValue<Option<Topology>>,
    history_len: RwSignal<(usize, usize)>,
    /// The servers each of the last changes to the drawing shown touched
    /// ([`Editor::touched_since`]).
    touched: StoredValue<Touched>,
    /// The step that made the drawing as it is (back to an older one on
    /// Undo): what an [`About::Step`] notice is about.
    pub step: RwSignal<u64>,
    /// Counts the drawings opened (a preset, a file, a link, New, an
    /// exercise): what an [`About::Drawing`] notice is about.
    pub opened: RwSignal<u64>,
    /// A request to focus the properties panel's name field.
    pub rename_request: RwSignal<Option<ServerId>>,
    /// A request to fit the drawing in view (counts up).
    pub fit_request: RwSignal<u32>,
    /// A view to go back to at the next request ([`Editor::request_view`]),
    /// instead of fitting.
    pub view_request: StoredValue<Option<Camera>>,
    /// While an exercise is open: the exercise and the ids of the servers
    /// it started with. Every change is checked against what it allows.
    pub guard: StoredValue<Option<(Arc<Exercise>, Vec<ServerId>)>>,
    /// Where the drawing is saved: [`SAVE_KEY`], an exercise's own key, or
    /// this tab's copy.
    pub save_key: RwSignal<String>,
    /// Another tab has this drawing: this one does not save it.
    pub elsewhere: RwSignal<bool>,
    /// Whether servers glide to where the next preview puts them (steps of
    /// one failover) or jump (another scene altogether).
    pub glide: StoredValue<bool>,
}

impl Editor {
    /// A new editor on `t`; [`super::persist::autosave`] makes it save
    /// every change.
    pub fn new(t: Topology) -> Editor {
        let doc = RwSignal::new(t);
        let preview = RwSignal::new(None::<Topology>);
        let shown = Shown {
            doc,
            preview,
            rev: RwSignal::new(0),
        };
        let content = RwSignal::new(0u64);
        let touched = StoredValue::new(Touched::default());
        // The findings found last, kept with the mark of the change they
        // are of: after an edit, they are found again only where it
        // touched (`Checked::update`; nothing for a change that touched
        // none, as most steps of a plan), unless what it touched is not
        // known (a drawing opened, thousands of servers touched).
        let kept = StoredValue::new((Checked::default(), Mark::default()));
        let findings = crate::browser::memo(move |_| {
            content.track();
            preview.track();
            kept.update_value(|(checked, mark)| {
                let since = touched_since(touched, mark);
                shown.with_untracked(|t| match since {
                    Some(ids) if ids.is_empty() => {}
                    Some(ids) => checked.update(t, &ids),
                    None => *checked = Checked::new(t),
                });
            });
            kept.with_value(|(checked, _)| checked.findings().to_vec())
        });
        let (selection, selected_link) = (RwSignal::new(Vec::new()), RwSignal::new(None));
        let (also_links, also_fresh) = (RwSignal::new(Vec::new()), StoredValue::new(false));
        let ed = Editor {
            doc,
            preview,
            shown,
            content,
            findings,
            selection,
            selected_link,
            also_links,
            also_fresh,
            notice: RwSignal::new(None),
            dialog: RwSignal::new(None),
            // Zoomed out until the first fit (on the first frame): servers
            // made before it are made as shapes, the cheap way. At 100 %,
            // thousands would be made in full only to be made again as shapes
            // when the fit zooms out (1,000 servers: 880 ms to the first
            // drawing instead of 600).
            camera: RwSignal::new(Camera {
                x: 0.0,
                y: 0.0,
                k: FIRST_K,
            }),
            viewport: RwSignal::new((800.0, 600.0)),
            mode: RwSignal::new(Mode::Edit),
            snap: RwSignal::new(true),
            failed: RwSignal::new(Vec::new()),
            shown_failed: RwSignal::new(Vec::new()),
            making: RwSignal::new(Vec::new()),
            failed_sites: RwSignal::new(Vec::new()),
            stopped: RwSignal::new(Vec::new()),
            flows: RwSignal::new(Vec::new()),
            entering: RwSignal::new(HashSet::default()),
            copies: RwSignal::new(false),
            hint: RwSignal::new(false),
            history: StoredValue::new(History {
                undo: Vec::new(),
                redo: Vec::new(),
                next: 1,
                fits: Vec::new(),
            }),
            spare: StoredValue::new(None),
            history_len: RwSignal::new((0, 0)),
            touched,
            step: RwSignal::new(0),
            opened: RwSignal::new(0),
            rename_request: RwSignal::new(None),
            fit_request: RwSignal::new(0),
            view_request: StoredValue::new(None),
            guard: StoredValue::new(None),
            save_key: RwSignal::new(SAVE_KEY.to_string()),
            elsewhere: RwSignal::new(false),
            glide: StoredValue::new(true),
        };
        ed.spare_later();
        ed
    }

    /// Replaces the drawing with `next` as one undoable step. Whether a
    /// step was made: not when an open exercise refuses it (its sentence
    /// is the notice then), nor when `next` is the drawing already.
    pub fn commit(&self, next: Topology) -> bool {
        // What takes `next` back to the drawing now, and whether an open
        // exercise refuses the change, without copying the drawing.
        let back = self.doc.with_untracked(|prev| {
            let back = diff(&next, prev);
            if back.is_empty() {
                return Ok(None);
            }
            let refused = self.guard.with_value(|g| {
                g.as_ref()
                    .and_then(|(ex, given)| refusal(ex, given, prev, &next))
            });
            refused.map_or(Ok(Some(back)), Err)
        });
        match back {
            Ok(Some(back)) => {
                let moves = back.moves_only(&next);
                self.note_touched(Some(back.touched_for_rules(&next)), moves);
                self.made(back);
                // The drawing before is dropped once the browser is idle,
                // not in the edit's frame (10,000 servers: 1.9 ms).
                let before = self.write_doc(|t| std::mem::replace(t, next));
                crate::browser::when_idle(move || drop(before));
                self.doc_changed();
                self.changed(moves);
                self.after_change();
                true
            }
            // Equal to the drawing (the patch covers every part of it):
            // the copy is the spare.
            Ok(None) => {
                self.spare.set_value(Some(next));
                false
            }
            Err(why) => {
                self.complain(why);
                self.spare_later();
                false
            }
        }
    }

    /// Writes the drawing: `f` of it, tracked. Every writer goes through
    /// here (commit, undo, redo, load), so the spare copy goes before the
    /// drawing changes and is made again when the browser is next idle.
    fn write_doc<R>(&self, f: impl FnOnce(&mut Topology) -> R) -> Option<R> {
        // The spare copy, no longer the drawing's, is dropped once the
        // browser is idle (an undo at 10,000 servers freed it in its frame,
        // a millisecond or two in the profiling build).
        if let Some(old) = self.spare.try_update_value(Option::take).flatten() {
            crate::browser::when_idle(move || drop(old));
        }
        let out = self.doc.try_update(f);
        self.spare_later();
        out
    }

    /// Makes the [`Editor::spare`] copy of the drawing when the browser is
    /// next idle, unless there is one.
    fn spare_later(&self) {
        let this = *self;
        crate::browser::when_idle(move || {
            let missing = this.spare.try_with_value(Option::is_none);
            if missing == Some(true) {
                if let Some(copy) = this.doc.try_get_untracked() {
                    this.spare.set_value(Some(copy));
                }
            }
        });
    }

    /// Records a step whose undo is `back`: the redo steps go, and the
    /// oldest step beyond [`HISTORY_MAX`].
    fn made(&self, back: Patch) {
        let step = self.step.get_untracked();
        let mut made = 0;
        self.history.update_value(|h| {
            h.undo.push((back, step));
            if h.undo.len() > HISTORY_MAX {
                h.undo.remove(0);
            }
            h.redo.clear();
            made = h.next;
            h.next += 1;
        });
        self.step.set(made);
    }

    /// Changes the drawing as one undoable step (on one copy of it: the
    /// step keeps only what `f` changed).
    pub fn edit(&self, f: impl FnOnce(&mut Topology)) {
        let spare = self.spare.try_update_value(Option::take).flatten();
        let mut next = spare.unwrap_or_else(|| self.doc.get_untracked());
        f(&mut next);
        self.commit(next);
    }

    pub fn undo(&self) {
        self.step_history(true);
    }

    pub fn redo(&self) {
        self.step_history(false);
    }

    /// Takes the patch on top of undo (`back`) or redo and applies it to
    /// the drawing in place; the patch it hands back goes on the other
    /// stack, with the step that made the drawing it returns to.
    fn step_history(&self, back: bool) {
        let mut moved = None;
        self.history.update_value(|h| {
            moved = if back { h.undo.pop() } else { h.redo.pop() };
        });
        let Some((patch, step)) = moved else {
            return;
        };
        let cur = self.step.get_untracked();
        // Out of a step that fitted the drawing or into one (a drawing
        // opened, a layout): the whole drawing is fitted after it.
        let fitted = if back { cur } else { step };
        let fits = self.history.with_value(|h| h.fits.contains(&fitted));
        // What it brings back (an undone delete) comes back selected, as
        // it was when it went.
        // Not when it also takes servers away, nor a drawing opened again
        // or brought back (an estate opened again over Scenario 1, whose
        // ids it shares, came back with 9,992 servers selected).
        let back_again = if patch.removes_servers() || fits {
            Vec::new()
        } else {
            patch.added_servers()
        };
        let (moves, touched) = self
            .doc
            .with_untracked(|t| (patch.moves_only(t), patch.touched_for_rules(t)));
        self.note_touched(Some(touched), moves);
        let mut inverse = None;
        self.write_doc(|t| inverse = patch.apply(t));
        self.doc_changed();
        self.changed(moves && inverse.is_some());
        if inverse.is_some() && !back_again.is_empty() {
            self.selection.set(back_again);
            self.selected_link.set(None);
        }
        let applied = inverse.is_some();
        self.history.update_value(|h| match inverse {
            Some(p) if back => h.redo.push((p, cur)),
            Some(p) => h.undo.push((p, cur)),
            // Only a drawing changed outside `commit` could refuse its
            // own history: that history no longer leads anywhere.
            None => {
                h.undo.clear();
                h.redo.clear();
                h.fits.clear();
            }
        });
        if applied {
            self.step.set(step);
            if fits {
                self.request_fit();
            }
        }
        self.after_change();
    }

    /// Makes `t` the drawing with a fresh history (opening or leaving an
    /// exercise: its undo steps belong to it alone).
    pub fn load(&self, mut t: Topology) {
        if t.servers.iter().any(|s| s.pos.is_none()) {
            apply_layout(&mut t);
        }
        self.leave_simulation();
        self.selection.set(Vec::new());
        self.selected_link.set(None);
        self.history.update_value(|h| {
            h.undo.clear();
            h.redo.clear();
            h.fits.clear();
        });
        self.opened.update(|n| *n += 1);
        self.note_touched(None, false);
        self.write_doc(|d| *d = t);
        self.doc_changed();
        self.changed(false);
        self.after_change();
        self.request_fit();
    }

    /// Says the drawing changed: only where servers are drawn (`moves`),
    /// or more, which the views derived from its content follow.
    fn changed(&self, moves: bool) {
        if !moves {
            self.content.update(|n| *n = n.wrapping_add(1));
        }
    }

    /// Notes the servers the change about to be made touches (`None`:
    /// any), for the views that follow them ([`Editor::touched_since`]).
    /// `moves`: the change only moves servers.
    #[inline(never)]
    fn note_touched(&self, ids: Option<Vec<ServerId>>, moves: bool) {
        let ids = ids.filter(|ids| ids.len() <= TOUCHED_MOST);
        self.touched.update_value(|t| {
            t.last += 1;
            // A run of moves (an arrow key held, a selection nudged) is
            // one entry: the findings, which no move wakes, still find the
            // edit before the run in the log after any number of moves. A
            // view that saw part of the run gets the whole run again.
            if moves && t.moves {
                if let Some((_, to, run)) = t.log.last_mut() {
                    *to = t.last;
                    *run = match (run.take(), ids) {
                        (Some(mut run), Some(more)) => {
                            run.extend(more);
                            let mut seen = HashSet::default();
                            run.retain(|id| seen.insert(*id));
                            Some(run).filter(|run| run.len() <= TOUCHED_MOST)
                        }
                        _ => None,
                    };
                    return;
                }
            }
            t.moves = moves;
            t.log.push((t.last, t.last, ids));
            if t.log.len() > TOUCHED_KEPT {
                t.log.remove(0);
            }
        });
    }

    /// The servers (by id) that the changes to the drawing shown since
    /// `mark` touched ([`Touched`]: added, removed, moved or changed
    /// otherwise, or a protection of theirs changed), and `mark` moved
    /// on to now; a simulator's step shown or left is a change of what is
    /// shown, by what it changes. `None` when that is not known: the view
    /// never looked, a drawing was opened, or `mark` is further behind
    /// than the changes kept; a view then looks at every server.
    /// For views of every server (where boxes stand, say) that look again
    /// at what an edit touched, not at 10,000 servers per edit. Untracked.
    pub fn touched_since(&self, mark: &mut Mark) -> Option<Vec<ServerId>> {
        touched_since(self.touched, mark)
    }

    /// Tracks what the rules read of the drawing shown: every change to it
    /// but servers moving (for memos that derive the findings, roles or
    /// inventory, and read [`Editor::shown`] untracked).
    pub fn track_content(&self) {
        self.content.track();
        self.preview.track();
    }

    /// Tracks what the rules read of the drawing as the user made it
    /// ([`Editor::doc`], not a simulator's step): every change but servers
    /// moving.
    pub fn track_doc_content(&self) {
        self.content.track();
    }

    /// Counts up at every change [`Editor::track_doc_content`] follows
    /// (untracked): what is worked out from the drawing's content is kept
    /// by it. `None` once the editor is gone (work left for later may
    /// outlive an app unmounted).
    pub fn content_rev_untracked(&self) -> Option<u64> {
        self.content.try_get_untracked()
    }

    pub fn can_undo(&self) -> bool {
        self.history_len.get().0 > 0
    }

    pub fn can_redo(&self) -> bool {
        self.history_len.get().1 > 0
    }

    fn after_change(&self) {
        let lens = self.history.with_value(|h| (h.undo.len(), h.redo.len()));
        self.history_len.set(lens);
        // Drop a selection that names servers no longer there (without
        // copying the drawing to find out).
        let link_gone = self.doc.with_untracked(|t| {
            if self
                .selection
                .with_untracked(|s| s.iter().any(|&id| t.server(id).is_none()))
            {
                self.selection
                    .update(|s| s.retain(|&id| t.server(id).is_some()));
            }
            self.selected_link
                .get_untracked()
                .is_some_and(|l| t.protection(l).is_none())
        });
        if link_gone {
            self.selected_link.set(None);
        }
    }

    /// Opens `t` as the drawing (a preset, an import, a link): one undoable
    /// step. Servers without a position are laid out. Whether it opened:
    /// not when an open exercise refuses it (its sentence is the notice
    /// then) nor when `t` is the drawing already; callers say what they
    /// opened only when it did.
    pub fn open(&self, mut t: Topology) -> bool {
        if t.servers.iter().any(|s| s.pos.is_none()) {
            apply_layout(&mut t);
        }
        self.leave_simulation();
        self.selection.set(Vec::new());
        self.selected_link.set(None);
        let opened = self.commit(t);
        if opened {
            self.opened.update(|n| *n += 1);
            self.fitted_step();
        }
        self.request_fit();
        opened
    }

    /// [`Editor::edit`], then the drawing fitted (a layout): undone or done
    /// again, it is fitted again.
    pub fn edit_fitted(&self, f: impl FnOnce(&mut Topology)) {
        let before = self.step.get_untracked();
        self.edit(f);
        if self.step.get_untracked() != before {
            self.fitted_step();
        }
        self.request_fit();
    }

    /// Notes the step just made as one that fits the drawing.
    fn fitted_step(&self) {
        let step = self.step.get_untracked();
        self.history.update_value(|h| {
            h.fits.push(step);
            if h.fits.len() > HISTORY_MAX {
                h.fits.remove(0);
            }
        });
    }

    pub fn request_fit(&self) {
        self.view_request.set_value(None);
        self.fit_request.update(|n| *n += 1);
    }

    /// Goes back to the view `cam` once the canvas has its size again (a
    /// fit's moment, after the positions are in): the view the presenter
    /// was entered from.
    pub fn request_view(&self, cam: Camera) {
        self.view_request.set_value(Some(cam));
        self.fit_request.update(|n| *n += 1);
    }

    /// Shows the drawing itself again, not a simulator's step (a change
    /// only when a step was shown: the findings and roles follow
    /// `preview`, and would be derived again for nothing).
    pub fn clear_preview(&self) {
        if self.preview.with_untracked(Option::is_some) {
            let touched = self.preview.with_untracked(|p| {
                let p = p.as_ref()?;
                self.doc.with_untracked(|d| touched_between(p, d))
            });
            self.show_instead(None, touched);
        }
    }

    /// A pre-checker of `t`, which must be the drawing (`doc`) as it is
    /// now, told its findings when [`Editor::findings`] holds them (no step
    /// shown in its place): a pre-check that closes a cycle of DPM servers
    /// then need not check the whole drawing again (at 10,000 servers, a
    /// few milliseconds of the key press that starts a protection).
    pub fn checker<'t>(&self, t: &'t dpm_rules::Topology) -> dpm_rules::Checker<'t> {
        checker_knowing(t, self.doc_findings())
    }

    /// The findings of the drawing (`doc`), when [`Editor::findings`] holds
    /// them (no step is shown in its place).
    pub fn doc_findings(&self) -> Option<Vec<Finding>> {
        self.preview
            .with_untracked(Option::is_none)
            .then(|| self.findings.with_untracked(|f| f.clone()))
    }

    /// Shows `t` instead of the drawing (a simulator's or a presenter's
    /// step), out of the history and the save. What reads the drawing
    /// shown runs again only when `t` differs from what was shown.
    pub fn set_preview(&self, t: Topology) {
        let touched = self.shown.with_untracked(|s| touched_between(s, &t));
        self.show_instead(Some(t), touched);
    }

    /// Shows `step` in place of what is shown (`None`: the drawing back),
    /// noting what that changes (`touched`: [`touched_between`] the two)
    /// for the views that follow the servers a change touched; what reads
    /// the drawing shown runs again only when something differs.
    #[allow(clippy::option_option)]
    fn show_instead(&self, step: Option<Topology>, touched: Option<Option<Vec<ServerId>>>) {
        let differs = touched.is_some();
        if let Some(ids) = touched {
            self.note_touched(ids, false);
        }
        self.preview.set(step);
        if differs {
            self.shown.changed();
        }
    }

    /// Whether a step is shown instead of the drawing (untracked).
    pub fn showing_step(&self) -> bool {
        self.preview.with_untracked(Option::is_some)
    }

    /// `f` of the step shown instead of the drawing, if any (untracked).
    pub fn with_step<R>(&self, f: impl FnOnce(Option<&Topology>) -> R) -> R {
        self.preview.with_untracked(|p| f(p.as_ref()))
    }

    /// Says the drawing changed: what reads the drawing shown runs again,
    /// unless a step is shown instead.
    fn doc_changed(&self) {
        if !self.showing_step() {
            self.shown.changed();
        }
    }

    /// Hides the first visit's editing hint for good: its close button, or
    /// the user's first protection made (drawn, from the Servers list, or a
    /// Risk fix accepted: the hint's last step, its work done; it would
    /// stay over the canvas).
    pub fn dismiss_hint(&self) {
        if self.hint.get_untracked() {
            crate::browser::storage::store(HINT_KEY, "1");
            self.hint.set(false);
        }
    }

    pub fn leave_simulation(&self) {
        self.clear_preview();
        self.failed.set(Vec::new());
        self.shown_failed.set(Vec::new());
        self.making.set(Vec::new());
        self.failed_sites.set(Vec::new());
        self.stopped.set(Vec::new());
        self.flows.set(Vec::new());
        self.entering.set(HashSet::default());
        self.mode.set(Mode::Edit);
    }

    /// The drawing open now, as a notice is about it.
    pub fn this_drawing(&self) -> About {
        About::Drawing(self.opened.get_untracked())
    }

    /// The step that made the drawing as it is now, as a notice is about it.
    pub fn this_step(&self) -> About {
        About::Step(self.opened.get_untracked(), self.step.get_untracked())
    }

    /// Whether what a notice is about still holds (reactive), but for a
    /// goal, which the workshop judges. A step holds while it is the last
    /// one made: after an Undo it is taken back, and after another step
    /// "one Undo away" and the notice's Undo button would be about that
    /// other step.
    pub fn holds(&self, about: About) -> bool {
        match about {
            About::App | About::GoalUnmet(..) => true,
            About::Drawing(n) => self.opened.get() == n,
            About::Step(n, step) => self.opened.get() == n && self.step.get() == step,
        }
    }

    /// Says `text` about the drawing open now.
    pub fn tell(&self, text: impl Into<String>) {
        self.say(false, text, None, self.this_drawing());
    }

    /// Says `text` as an error, about the drawing open now.
    pub fn complain(&self, text: impl Into<String>) {
        self.say(true, text, None, self.this_drawing());
    }

    /// Says `text` about the step just made, with its Undo (labelled
    /// `undo`) when given: it goes when that step is undone.
    pub fn tell_step(&self, text: impl Into<String>, undo: Option<&'static str>) {
        self.say(false, text, undo.map(NoticeAction::Undo), self.this_step());
    }

    /// Shows a notice.
    pub fn say(
        &self,
        error: bool,
        text: impl Into<String>,
        action: Option<NoticeAction>,
        about: About,
    ) {
        self.notice.set(Some(Notice {
            error,
            text: text.into(),
            action,
            about,
        }));
    }

    /// Whether protection `l` is shown selected: it is the selected one, or
    /// one of the others selected with it.
    pub fn link_selected(&self, l: Link) -> bool {
        let s = self.selected_link.get();
        s == Some(l)
            || s.is_some()
                && self
                    .also_links
                    .with(|a| a.first() == s.as_ref() && a.contains(&l))
    }

    /// Makes any selection not made by [`Editor::select_links`] end its
    /// multi-selection (an arrow clicked later must not bring the others
    /// back). An effect: called once the app runs (it needs Leptos'
    /// executor), not in `new`, which tests call without one.
    pub fn end_multi_selection_on_change(&self) {
        let (selection, selected_link) = (self.selection, self.selected_link);
        let (also_links, also_fresh) = (self.also_links, self.also_fresh);
        crate::browser::effect(move || {
            selection.track();
            selected_link.track();
            if also_fresh.get_value() {
                also_fresh.set_value(false);
            } else if !also_links.with_untracked(Vec::is_empty) {
                also_links.set(Vec::new());
            }
        });
    }

    /// Selects the protections `links` together (a finding's), the first
    /// the one whose properties show; no server stays selected.
    pub fn select_links(&self, links: &[Link]) {
        self.selection.set(Vec::new());
        self.also_fresh.set_value(true);
        self.also_links.set(links.to_vec());
        self.selected_link.set(links.first().copied());
    }

    /// Deletes the selected servers, or the selected protection.
    pub fn delete_selection(&self) {
        let ids = self.selection.get_untracked();
        if !ids.is_empty() {
            self.edit(|t| dpm_rules::remove_servers(t, &ids));
            self.selection.set(Vec::new());
        } else if let Some(l) = self.selected_link.get_untracked() {
            self.edit(|t| {
                t.disconnect(l);
            });
            self.selected_link.set(None);
        }
    }

    /// Adds a server of `kind` at `at` with a fresh name, and selects it.
    pub fn add_server(&self, kind: Kind, at: Point) -> ServerId {
        let mut t = self.doc.get_untracked();
        let name = t.fresh_name(kind);
        let id = t.add_server(name, kind);
        let at = if self.snap.get_untracked() {
            dpm_rules::snap(at)
        } else {
            dpm_rules::as_kept(at)
        };
        if let Some(s) = t.server_mut(id) {
            s.pos = Some(at);
        }
        self.commit(t);
        self.selection.set(vec![id]);
        self.selected_link.set(None);
        id
    }

    /// Saves, and says at once when the browser refuses (storage full): the
    /// drawing stays in memory and the notice offers it as a file. The next
    /// save that works takes the warning away. In: a page with storage (the
    /// autosave tells the user once when there is none, and saves nothing).
    pub fn save(&self, key: &str, text: &wasm_bindgen::JsValue) -> bool {
        let full = Some(Notice {
            error: true,
            text: "Your browser's storage is full: your drawing is not being saved. It is safe in this page; download it to keep it.".into(),
            action: Some(NoticeAction::DownloadDrawing),
            about: About::App,
        });
        if !crate::browser::storage::store_js(key, text) {
            self.notice.set(full);
            false
        } else {
            if self.notice.with_untracked(|n| *n == full) {
                self.say(
                    false,
                    "Saved again: the browser has room for your drawing.",
                    None,
                    About::App,
                );
            }
            true
        }
    }
}

/// What the rules must look at again when `to` is shown in place of
/// `from` (a simulator's step, the drawing back after one), for
/// [`Touched`]: `None` when they are equal, `Some(None)` when too much
/// differs to list (a presenter's scene of another drawing: its server
/// count alone differs by more than [`TOUCHED_MOST`]). A step switches a
/// few protections of an estate: the findings of 10,000 servers were found
/// again whole for each.
#[allow(clippy::option_option)]
fn touched_between(from: &Topology, to: &Topology) -> Option<Option<Vec<ServerId>>> {
    let apart = |a: usize, b: usize| a.abs_diff(b) > TOUCHED_MOST;
    if apart(from.servers.len(), to.servers.len())
        || apart(from.protections.len(), to.protections.len())
    {
        return Some(None);
    }
    let p = dpm_rules::diff(from, to);
    (!p.is_empty()).then(|| Some(p.touched_for_rules(from)))
}

/// [`Editor::touched_since`], from the editor's log of the servers each
/// change touched (for the findings, made before the editor).
#[inline(never)]
fn touched_since(touched: StoredValue<Touched>, mark: &mut Mark) -> Option<Vec<ServerId>> {
    let then = std::mem::replace(
        mark,
        Mark {
            change: Some(touched.with_value(|t| t.last)),
        },
    );
    let change = then.change?;
    touched.with_value(|t| {
        if change == t.last {
            return Some(Vec::new());
        }
        // The change after the mark must still be kept.
        if t.log.first().is_none_or(|f| f.0 > change + 1) {
            return None;
        }
        let mut out = Vec::new();
        for (_, _, ids) in t.log.iter().filter(|e| e.1 > change) {
            out.extend_from_slice(ids.as_deref()?);
        }
        Some(out)
    })
}

/// A pre-checker of `t`, told its findings when `known` has them (what
/// [`Editor::doc_findings`] gave for `t`).
pub fn checker_knowing(
    t: &dpm_rules::Topology,
    known: Option<Vec<Finding>>,
) -> dpm_rules::Checker<'_> {
    match known {
        Some(f) => dpm_rules::Checker::with_findings(t, f),
        None => dpm_rules::Checker::new(t),
    }
}
