//! The canvas's own state, below its views: the connection being drawn
//! (and whether the rules would take it), what the palette armed for the
//! next click, and what the pointer or keyboard focus is on for the tip.

use crate::state::editor::{checker_knowing, Editor};
use dpm_rules::{Checker, Finding, Kind, Link, Point, Protection, ServerId, Severity};

use dpm_rules::hash::HashMap;
use leptos::prelude::*;

thread_local! {
    /// What puts back the canvas's drag under way, set by the canvas for
    /// its life (`pointer::Pointer::make_current`).
    static PUT_BACK_MOVE: std::cell::RefCell<Option<std::rc::Rc<dyn Fn() -> bool>>> =
        const { std::cell::RefCell::new(None) };
}

/// Sets (or, `None`, clears) what [`cancel_move`] calls.
pub fn set_put_back_move(f: Option<std::rc::Rc<dyn Fn() -> bool>>) {
    PUT_BACK_MOVE.with(|p| *p.borrow_mut() = f);
}

/// Escape during a drag: the servers go back where they were, and the
/// release drops nothing. Out: whether a drag was under way (Escape then
/// does nothing else).
pub fn cancel_move() -> bool {
    let f = PUT_BACK_MOVE.with(|p| p.borrow().clone());
    f.is_some_and(|f| f())
}

/// Selects server `id` alone and puts the cursor in its name (double-click
/// or Enter on it), while editing.
pub fn rename_in_place(ed: Editor, id: ServerId) {
    if ed.mode.get_untracked() == crate::state::editor::Mode::Edit {
        ed.selection.set(vec![id]);
        ed.rename_request.set(Some(id));
    }
}

/// Closes the find bar (`find`; Escape, its ×). The keys go to the server
/// it found (the one selected), so that the next key, C or Enter, is about
/// it; they stayed on the page, and C did nothing.
pub fn close_find(ed: Editor, find: RwSignal<bool>, svg: NodeRef<leptos::svg::Svg>) {
    find.set(false);
    if let [id] = ed.selection.get_untracked()[..] {
        focus_server(ed, svg, id);
    }
}

/// Puts keyboard focus back on server `id` on the canvas once the canvas
/// has drawn the change (after a rename: the next key, C or Enter, is
/// about that server); on the canvas itself when the server is not drawn
/// (out of view in a large estate).
pub fn focus_server(ed: Editor, svg: NodeRef<leptos::svg::Svg>, id: ServerId) {
    focus_server_in(ed, svg, id, 3);
}

/// [`focus_server`], trying again on the next `tries` frames while the
/// node is not made yet (in the painted far view a server becomes a node
/// once it is given the keys, `ground::kept`).
fn focus_server_in(ed: Editor, svg: NodeRef<leptos::svg::Svg>, id: ServerId, tries: u32) {
    use wasm_bindgen::JsCast;
    request_animation_frame(move || {
        let Some(el) = svg.get_untracked() else {
            return;
        };
        let root: web_sys::Element = el.clone().into();
        let name = ed
            .doc
            .with_untracked(|t| t.server(id).map(|s| s.name.clone()));
        let node = name
            .and_then(|n| nodes_named(&root, &n).next())
            .and_then(|e| e.dyn_into::<web_sys::SvgElement>().ok());
        match node {
            Some(n) => {
                let _ = n.focus();
            }
            None if tries > 0 => focus_server_in(ed, svg, id, tries - 1),
            None => {
                let _ = el.focus();
            }
        }
    });
}

/// Focuses the node drawn for the server named `drawn` (its name as the
/// canvas shows it now) at once, not in the next frame as
/// [`focus_server`] does; false when no such node is drawn, or more than
/// one (a drawing may name two servers alike: the one being renamed to
/// end that may be either). For a control
/// that hands focus back to its server as it commits an edit: before the
/// edit is drawn, focus moves without laying out a changed page (leaving
/// the name field after a rename at 10,000 servers, the field written
/// again took focus back first, and laying the page out for it cost 9 ms).
pub fn focus_drawn_now(svg: NodeRef<leptos::svg::Svg>, drawn: &str) -> bool {
    use wasm_bindgen::JsCast;
    let Some(el) = svg.get_untracked() else {
        return false;
    };
    let root: web_sys::Element = el.into();
    let mut named = nodes_named(&root, drawn);
    match (named.next(), named.next()) {
        (Some(n), None) => n
            .dyn_into::<web_sys::SvgElement>()
            .is_ok_and(|n| n.focus().is_ok()),
        _ => false,
    }
}

/// The nodes under `root` drawn for the server named `name`, which take
/// keys: not the far view's hooks of a selected server
/// (`ground::selection_hooks`), which carry its name but no `tabindex`.
fn nodes_named<'v>(
    root: &web_sys::Element,
    name: &'v str,
) -> impl Iterator<Item = web_sys::Element> + 'v {
    crate::browser::markup::all_by_attr(root, "data-server", name)
        .filter(|e| e.has_attribute("tabindex"))
}

/// Adds `id` to the selection, or takes it out (Shift-click, Shift+Space).
pub fn toggle_selected(ed: Editor, id: ServerId) {
    ed.selection.update(|s| {
        if let Some(i) = s.iter().position(|&x| x == id) {
            s.remove(i);
        } else {
            s.push(id);
        }
    });
}

/// Whether a protection dragged onto a server would be allowed.
#[derive(Clone, Debug, PartialEq)]
pub enum Verdict {
    Allowed,
    Breaks(Vec<Finding>),
    Exists,
}

/// A protection being drawn, with the mouse, touch or keyboard.
#[derive(Clone, Copy)]
pub struct Connect {
    pub from: RwSignal<Option<ServerId>>,
    pub verdicts: RwSignal<HashMap<ServerId, Verdict>>,
    /// Where the loose end is (canvas units) while dragging.
    pub pointer: RwSignal<Option<Point>>,
    /// The server the loose end is over (or keyboard focus is on).
    pub target: RwSignal<Option<ServerId>>,
    /// Started with the keyboard: the target is picked by focus.
    pub keyboard: RwSignal<bool>,
    /// How many of the [`NEAREST`] candidates the far view keeps as nodes
    /// now: [`NEAREST_FIRST`] in the key press that starts a protection,
    /// all of them once the browser is idle [`NEAREST_AFTER_MS`] after it.
    pub near: RwSignal<usize>,
    /// Counts the protections started (and ended): the idle steps of one
    /// stop when it changes.
    run: StoredValue<u32>,
    /// The run judges only the [`NEAREST`] in its gesture ([`Connect::start`]).
    few: StoredValue<bool>,
    /// The candidates the far view made nodes for, as it last made them
    /// (`canvas::ground::kept` writes them).
    pub made: StoredValue<Vec<ServerId>>,
    /// Candidates of a protection just ended that stay nodes until the
    /// browser is idle ([`Connect::cancel`]).
    pub lingering: RwSignal<Vec<ServerId>>,
}

impl Connect {
    pub fn new() -> Connect {
        Connect {
            from: RwSignal::new(None),
            verdicts: RwSignal::new(HashMap::default()),
            pointer: RwSignal::new(None),
            target: RwSignal::new(None),
            keyboard: RwSignal::new(false),
            near: RwSignal::new(NEAREST),
            run: StoredValue::new(0),
            few: StoredValue::new(false),
            made: StoredValue::new(Vec::new()),
            lingering: RwSignal::new(Vec::new()),
        }
    }

    /// Starts a protection from `from`: every server gets its verdict from
    /// the rule crate's pre-check (the [`FIRST`] nearest first, in order,
    /// then the rest in no order), on the drawing as it is now (as when
    /// every verdict was worked out at once; an edit before they all are,
    /// an undo say, starts them again on the drawing it leaves).
    ///
    /// The protections `from` has already and the [`FIRST`] nearest servers
    /// are judged in the gesture that starts it (`few`: by keyboard in the
    /// far view, only the [`NEAREST`], the candidates Tab goes to there: 256
    /// were 6 ms of the key press at 10,000 servers); the rest, nearest
    /// first, once the gesture's frames are drawn, when the browser is
    /// idle, in steps
    /// that end when its idle time does (at most [`BUDGET_MS`]), and shown
    /// together in one more idle step, so that the line and its tip answer
    /// at once at 10,000 servers (judging them all there took 44 ms of the
    /// keystroke). A server not judged yet has no verdict until then (its
    /// tip says the check is under way); the steps stop when the
    /// protection ends or another starts.
    pub fn start(&self, ed: &Editor, from: ServerId, keyboard: bool, few: bool) {
        let run = self.run.get_value().wrapping_add(1);
        self.run.set_value(run);
        self.few.set_value(few);
        let known = ed.doc_findings();
        // Read in place: the idle steps take their own copy of the
        // drawing (cloning 10,000 servers was a millisecond or two of the
        // key press).
        let (verdicts, rest) = ed.doc.with_untracked(|t| {
            // What `from` protects already, gathered once (asking the
            // drawing for each server's link walked every protection for
            // each server).
            let protected: HashMap<ServerId, Verdict> = t
                .protections
                .iter()
                .filter(|p| p.protector == from && t.server(p.target).is_some())
                .map(|p| (p.target, Verdict::Exists))
                .collect();
            let order = nearest_first(t, from, &protected, FIRST);
            let judged = if few { NEAREST } else { FIRST };
            let (first, rest) = order.split_at(judged.min(order.len()));
            let mut verdicts = protected;
            judge(&checker_knowing(t, known), from, first, &mut verdicts);
            (verdicts, rest.to_vec())
        });
        // (A run started again has the last one's verdicts to free.)
        if let Some(old) = self.verdicts.try_update(|v| std::mem::replace(v, verdicts)) {
            drop_in_steps(old);
        }
        self.keyboard.set(keyboard);
        self.target.set(None);
        // The nearest few made nodes in the key press, the rest of those
        // Tab walks through a moment later, when the browser is idle
        // (making the 24 nodes and their arrows was some 20 ms of the key
        // press at 10,000 servers; two frames later, it still fell in the
        // frames after the key's release; a Tab before then walks the few).
        self.near.set(NEAREST_FIRST);
        let this = *self;
        let rest_of_nearest = move || {
            if this.run.try_get_value() == Some(run) {
                this.near.set(NEAREST);
            }
        };
        leptos::prelude::set_timeout(
            move || crate::browser::when_idle(rest_of_nearest),
            std::time::Duration::from_millis(NEAREST_AFTER_MS),
        );
        self.from.set(Some(from));
        if !rest.is_empty() {
            let drawn = ed.shown.rev_untracked();
            leptos::task::spawn_local(self.judge_rest(run, (*ed, drawn), from, rest));
        }
    }

    /// Starts the protection from `from` again on the drawing as it is now,
    /// aimed where it was (while both servers are there); ends it when
    /// `from` is gone.
    fn again(&self, ed: &Editor, from: ServerId) {
        let (keyboard, target) = (self.keyboard.get_untracked(), self.target.get_untracked());
        let there = |id: ServerId| ed.doc.with_untracked(|t| t.server(id).is_some());
        if !there(from) {
            self.cancel();
            return;
        }
        // The candidates made nodes stay (a Tab meanwhile walks them all).
        let near = self.near.get_untracked();
        self.start(ed, from, keyboard, self.few.get_value());
        self.near.set(near);
        if let Some(to) = target.filter(|&to| there(to)) {
            self.target.set(Some(to));
        }
    }

    /// The idle steps of [`Connect::start`]'s run `run`: judges `rest` on
    /// the drawing of `ed` (copied at the first of them, with its findings
    /// when known), then shows their verdicts; stops as soon as the run is
    /// over (or the connection is gone with its canvas). The drawing shown
    /// changed since `drawn` (its revision when the run started): the
    /// protection starts again ([`Connect::again`]).
    async fn judge_rest(
        self,
        run: u32,
        (ed, drawn): (Editor, u64),
        from: ServerId,
        rest: Vec<ServerId>,
    ) {
        let going = move || self.run.try_get_value() == Some(run);
        // (The editor's signals live and go together, and longer than the
        // run's.)
        let changed = move || ed.shown.rev_untracked() != drawn;
        // After the frames that show the line and its tip: the copy of the
        // drawing and the first step, in the idle moment between them, put
        // the second back by a frame at 10,000 servers.
        crate::browser::frames_drawn().await;
        crate::browser::idle_within(STEP_WAIT_MS).await;
        if !going() {
            return;
        }
        if changed() {
            self.again(&ed, from);
            return;
        }
        let Some(t) = ed.doc.try_with_untracked(|t| t.clone()) else {
            return;
        };
        let c = checker_knowing(&t, ed.doc_findings());
        let (mut found, mut rest) = (HashMap::default(), rest.as_slice());
        while !rest.is_empty() {
            // No idle period within a few frames (the callback came by its
            // wait, with no time left): the step is taken anyway, at the
            // full budget. Waiting for idle periods the browser did not
            // grant, a step of the least size every half second, left a
            // server's verdict "Checking…" for 19 s at 10,000 servers.
            let budget = match crate::browser::idle_within(STEP_WAIT_MS).await {
                Some(ms) if ms >= 1.0 => ms,
                _ => BUDGET_MS,
            };
            if !going() {
                drop_in_steps(found);
                return;
            }
            if changed() {
                drop_in_steps(found);
                self.again(&ed, from);
                return;
            }
            let began = js_sys::Date::now();
            let budget = budget.clamp(1.0, BUDGET_MS);
            while !rest.is_empty() && js_sys::Date::now() - began < budget {
                let (step, more) = rest.split_at(STEP.min(rest.len()));
                judge(&c, from, step, &mut found);
                rest = more;
            }
        }
        // Shown at once, in a step of its own: each showing paints the far
        // view again and sets every server's flags.
        crate::browser::idle_within(STEP_WAIT_MS).await;
        if going() && changed() {
            drop_in_steps(found);
            self.again(&ed, from);
        } else if going() {
            self.verdicts.try_update(|v| v.extend(found));
        } else {
            drop_in_steps(found);
        }
    }

    /// Makes the protection to `to` (a breaking one too: trainers draw
    /// mistakes on purpose; it then shows as a finding).
    pub fn finish(&self, ed: &Editor, to: ServerId) {
        if let Some(from) = self.from.get_untracked() {
            let exists = matches!(
                self.verdicts.with_untracked(|v| v.get(&to).cloned()),
                Some(Verdict::Exists)
            );
            if exists {
                ed.tell("That protection is already there.");
            } else {
                ed.edit(|t| {
                    t.connect(Protection::new(from, to));
                });
                ed.dismiss_hint();
                ed.selected_link.set(Some(Link {
                    protector: from,
                    target: to,
                }));
                ed.selection.set(Vec::new());
            }
        }
        self.cancel();
    }

    /// Ends the protection being drawn (made or not). The far view's
    /// candidate nodes, and the node it was drawn from (Escape gives it the
    /// keys back), stay nodes until the browser is idle a moment later
    /// ([`LINGER_MS`]): at 10,000 servers, dropping the 24 nodes (each
    /// taking off its event listeners one by one) was 6-12 ms of the
    /// frames that showed the protection made. A protection started and
    /// ended before then leaves its own to linger.
    pub fn cancel(&self) {
        self.run.update_value(|r| *r = r.wrapping_add(1));
        let mut made = self
            .made
            .try_update_value(std::mem::take)
            .unwrap_or_default();
        if !made.is_empty() {
            made.extend(self.from.get_untracked());
            self.lingering.set(made);
            let (this, run) = (*self, self.run.get_value());
            leptos::prelude::set_timeout(
                move || {
                    crate::browser::when_idle(move || {
                        if this.run.try_get_value() == Some(run) {
                            this.lingering.try_set(Vec::new());
                        }
                    })
                },
                std::time::Duration::from_millis(LINGER_MS),
            );
        } else if self.lingering.with_untracked(|l| !l.is_empty()) {
            // (An earlier protection's, whose clearing this one's start
            // called off.)
            self.lingering.set(Vec::new());
        }
        self.from.set(None);
        self.pointer.set(None);
        self.target.set(None);
        self.keyboard.set(false);
        // Dropped when the browser is idle: at 10,000 servers, freeing every
        // server's verdict (and the findings of each that breaks a rule)
        // is some 4 ms of the keystroke or drop that ends the protection.
        if let Some(old) = self.verdicts.try_update(std::mem::take) {
            drop_in_steps(old);
        }
    }
}

/// Drops verdicts `v` a thousand at a time, each thousand when the browser
/// is idle (a few at once). Freeing 10,000 servers' verdicts, and the
/// findings of each that breaks a rule, was 4-12 ms of wasm in one piece,
/// in the frames after the key or drop that ended the protection.
fn drop_in_steps(v: HashMap<ServerId, Verdict>) {
    const AT_ONCE: usize = 1_000;
    fn step(mut v: HashMap<ServerId, Verdict>) {
        crate::browser::when_idle(move || {
            let mut k = 0;
            v.retain(|_, _| {
                k += 1;
                k > AT_ONCE
            });
            if !v.is_empty() {
                step(v);
            }
        });
    }
    if v.len() > AT_ONCE {
        step(v);
    }
}

impl Default for Connect {
    fn default() -> Self {
        Connect::new()
    }
}

/// How many candidates nearest the source stay nodes while a protection
/// is drawn by keyboard (in the far view): what Tab walks through.
pub const NEAREST: usize = 24;

/// How many of them are made nodes in the key press itself (the rest in
/// the first idle step after it: [`Connect::near`]).
pub const NEAREST_FIRST: usize = 6;

/// Milliseconds after the key press that the rest are made, when the
/// browser is next idle: after the frames that show the key's effect.
const NEAREST_AFTER_MS: u64 = 120;

/// Milliseconds after a protection ends that its candidate nodes go, when
/// the browser is idle ([`Connect::cancel`]).
const LINGER_MS: u64 = 120;

/// Servers judged in the gesture that starts a protection (nearest first).
const FIRST: usize = 256;
/// Servers judged between two looks at the clock in the idle steps after
/// it (about a millisecond of wasm).
const STEP: usize = 200;
/// The most judging in one idle step, in milliseconds (less when the
/// browser expects less idle time): what a key pressed meanwhile waits.
const BUDGET_MS: f64 = 8.0;
/// The longest an idle step waits for the browser to be idle before it is
/// taken anyway, in milliseconds (three frames).
const STEP_WAIT_MS: u32 = 50;

/// The servers of `t` but the ones in `skip`: the `first` nearest to
/// `from` in order (by the distance between their places, then by id;
/// servers with no place last), then the others in no order. (Those are
/// judged in idle steps and shown at once: sorting all 10,000 took a
/// few milliseconds of the key press that starts a protection.)
fn nearest_first(
    t: &dpm_rules::Topology,
    from: ServerId,
    skip: &HashMap<ServerId, Verdict>,
    first: usize,
) -> Vec<ServerId> {
    let at = t.server(from).and_then(|s| s.pos);
    let nearer = |a: &(f64, ServerId), b: &(f64, ServerId)| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1));
    // The nearest so far, up to twice `first` of them, cut back to the
    // `first` nearest (sorted) each time it fills, and the farthest of
    // those then, which no later server nearer than it can be (linear in
    // the servers, each sorting of `2 * first` done once per `first` of
    // them at most, whatever their order).
    let mut near: Vec<(f64, ServerId)> = Vec::new();
    let mut bound: Option<(f64, ServerId)> = None;
    let mut others: Vec<ServerId> = Vec::new();
    let cut = |near: &mut Vec<(f64, ServerId)>, others: &mut Vec<ServerId>| {
        dpm_rules::sort_by(near, &nearer);
        others.extend(near.drain(first.min(near.len())..).map(|(_, id)| id));
    };
    for s in t.servers.iter().filter(|s| !skip.contains_key(&s.id)) {
        let d = match (at, s.pos) {
            (Some(a), Some(b)) => (a.x - b.x) * (a.x - b.x) + (a.y - b.y) * (a.y - b.y),
            _ => f64::INFINITY,
        };
        let x = (d, s.id);
        if first == 0 || bound.is_some_and(|b| nearer(&x, &b).is_gt()) {
            others.push(s.id);
            continue;
        }
        near.push(x);
        if near.len() >= first.saturating_mul(2) {
            cut(&mut near, &mut others);
            bound = near.last().copied();
        }
    }
    cut(&mut near, &mut others);
    near.into_iter().map(|(_, id)| id).chain(others).collect()
}

// No protected server is in the order, so the first [`FIRST`] hold the
// [`NEAREST`] candidates Tab goes to, and later steps cannot change them
// (while the source stays where it is).
const _: () = assert!(FIRST >= NEAREST);

/// Puts the verdict on a protection from `from` to each of `ids` in `into`:
/// the rule crate's pre-check, its notes left out.
fn judge(c: &Checker, from: ServerId, ids: &[ServerId], into: &mut HashMap<ServerId, Verdict>) {
    for &id in ids {
        let bad: Vec<Finding> = c
            .precheck(Protection::new(from, id))
            .into_iter()
            .filter(|f| f.severity() != Severity::Info)
            .collect();
        let v = if bad.is_empty() {
            Verdict::Allowed
        } else {
            Verdict::Breaks(bad)
        };
        into.insert(id, v);
    }
}

/// The kind picked by a click, waiting for a click on the canvas.
#[derive(Clone, Copy)]
pub struct Armed(pub RwSignal<Option<Kind>>);

/// What the pointer or keyboard focus is on, for the finding tip.
#[derive(Clone, Copy)]
pub struct Tip {
    pub server: RwSignal<Option<ServerId>>,
    pub link: RwSignal<Option<Link>>,
    /// The server that last had the keyboard focus (kept when its node
    /// goes, so that the far view keeps it a node: `ground::kept`).
    pub focus: RwSignal<Option<ServerId>>,
    /// Whether that server's node has the keyboard focus now (the far
    /// view frames it only then).
    pub focused: RwSignal<bool>,
}

/// Drawings up to this many servers are drawn whole; larger ones only in
/// view (keyboard users Tab through every server of a small drawing).
pub const DRAW_ALL_UP_TO: usize = 300;

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test]
    fn the_nearest_come_first_in_order_and_every_other_server_after() {
        let mut t = dpm_rules::generate(600);
        dpm_rules::apply_layout(&mut t);
        // One with no place: last of all.
        t.servers[7].pos = None;
        let from = t.servers[300].id;
        let skip: HashMap<ServerId, Verdict> =
            [(t.servers[301].id, Verdict::Exists)].into_iter().collect();
        let mut all: Vec<(f64, ServerId)> = t
            .servers
            .iter()
            .filter(|s| !skip.contains_key(&s.id))
            .map(|s| {
                let (a, b) = (t.servers[300].pos.unwrap(), s.pos);
                let d = b.map_or(f64::INFINITY, |b| (a.x - b.x).powi(2) + (a.y - b.y).powi(2));
                (d, s.id)
            })
            .collect();
        all.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        let sorted: Vec<ServerId> = all.iter().map(|(_, id)| *id).collect();
        for first in [0, 1, 40, 598, 599, 1000] {
            let got = nearest_first(&t, from, &skip, first);
            let n = first.min(sorted.len());
            assert_eq!(got[..n], sorted[..n], "the {first} nearest, in order");
            let (mut rest, mut want) = (got[n..].to_vec(), sorted[n..].to_vec());
            rest.sort();
            want.sort();
            assert_eq!(rest, want, "then every other server ({first})");
        }
    }
}
