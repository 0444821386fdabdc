//! One server as a node: its shape, name, role, facts, badges and its own
//! keys and gestures.

use crate::canvas::badge::badge;
use crate::canvas::looks::{Facts, Flags, Looks, ServerLook};
use crate::canvas::pointer;
use crate::canvas::pointer::Pointer;
use crate::canvas::state::toggle_selected;
use crate::ctx::Ctx;
use crate::state::derived::worst;
use crate::state::derived::Derived;
use crate::state::editor::Mode;

use crate::browser::markup::el;
use crate::browser::markup::Markup;

use dpm_rules::{num, Kind, Point, ServerId, Severity, NODE_H, TEXT_X};
use leptos::prelude::*;

/// What a node shows: its signal in the canvas's keyed stores
/// ([`Looks`]), which only a change of this server sets, so that an edit
/// runs the nodes it changes and no other; and its words and kind apart, a
/// memo, so that what shows them runs only when they change. (A change of
/// mode sets every drawn server's flags: with one signal, each node
/// measured its name and made its icon and tags again.)
#[derive(Clone, Copy)]
struct NodeState {
    l: RwSignal<ServerLook>,
    facts: Memo<Facts>,
    /// What the parts drawn on and under the box show, apart from the
    /// flags that change most (drawing a protection marks every server in
    /// view a candidate): the handle, the badge and the labels under the
    /// box are made again only when what they show changes.
    marks: Memo<Marks>,
    /// The worst of its findings (a memo over its own findings only).
    sev: Memo<Option<Severity>>,
    /// Just added (or the drawing just opened): it fades in.
    entering: bool,
}

impl NodeState {
    fn new(c: Ctx, derived: Derived, id: ServerId) -> NodeState {
        let looks = expect_context::<Looks>();
        let l = looks.of_server(c, derived, id);
        let marks = crate::browser::memo(move |_| {
            l.with(|l| Marks {
                handle: l.facts.kind == Kind::Dpm && l.flags.edit,
                stopped: l.flags.stopped,
                at_risk: l.at_risk.clone(),
                findings: l.findings.clone(),
            })
        });
        NodeState {
            l,
            facts: crate::browser::memo(move |_| l.with(|l| l.facts.clone())),
            marks,
            sev: crate::browser::memo(move |_| marks.with(|m| worst(&m.findings))),
            entering: c.ed.entering.with_untracked(|e| e.contains(&id)),
        }
    }

    fn kind(&self) -> Kind {
        self.facts.with(|f| f.kind)
    }

    fn flags(&self) -> Flags {
        self.l.with(|l| l.flags)
    }
}

/// See [`NodeState::marks`].
#[derive(Clone, Debug, PartialEq)]
struct Marks {
    /// A DPM server while editing: the handle a protection is drawn from.
    handle: bool,
    stopped: bool,
    at_risk: Option<String>,
    findings: Vec<dpm_rules::Finding>,
}

/// The node's classes: its kind and every state the style shows.
fn class(s: &NodeState) -> String {
    let mut out = server_class(s.kind(), s.flags(), s.l.with(|l| l.at_risk.is_some()));
    if s.entering {
        out.push_str(" entering");
    }
    out
}

/// The classes of a server of `kind` with states `fl`, a single point of
/// failure in the Risk view when `spof`: what the style (and the far
/// view's painting, `ground.rs`) shows it by.
pub fn server_class(kind: Kind, fl: Flags, spof: bool) -> String {
    let mut out = format!("server {}", kind.as_str());
    for (on, name) in [
        (fl.selected, " selected"),
        (fl.failed, " failed"),
        (fl.stopped, " stopped"),
        (fl.source, " source"),
        (fl.target, " target"),
        (spof, " spof"),
        (fl.spot, " spot"),
        (fl.near, " near"),
    ] {
        if on {
            out.push_str(name);
        }
    }
    let cand = fl.candidate;
    if !cand.is_empty() {
        out.push(' ');
        out.push_str(cand);
    }
    out
}

/// The node's label: the words on the node, in their order (name, caption,
/// tags, the single-point label as shown), then what they mean.
fn aria(s: &NodeState) -> String {
    let f = s.l.with(|l| {
        let f = &l.findings;
        if f.is_empty() {
            String::new()
        } else {
            format!(
                ". {}",
                f.iter()
                    .map(|f| f.message.clone())
                    .collect::<Vec<_>>()
                    .join(" ")
            )
        }
    });
    let fl = s.flags();
    let state = if fl.failed {
        ", failed"
    } else if fl.stopped {
        ", stopped: its database is down"
    } else {
        ""
    };
    let tags = s.facts.with(|f| {
        f.tags
            .iter()
            .map(|(_, _, words)| format!(", {words}"))
            .collect::<String>()
    });
    let risk = s.l.with(|l| {
        l.at_risk
            .as_ref()
            .map(|w| {
                format!(
                    ", {} (a single point of failure)",
                    dpm_rules::truncate(w.trim_start_matches("⚠ "), 26)
                )
            })
            .unwrap_or_default()
    });
    // The words shown come first (a speech user says what they see), then
    // what a shortened one stands for.
    let name = s.facts.with(|f| {
        let shown = dpm_rules::fit_name(&f.name);
        if shown == f.name {
            shown
        } else {
            format!("{} (shown as {shown})", f.name)
        }
    });
    let caption = s.facts.with(|f| {
        let c = &f.caption;
        let shown = dpm_rules::fit_caption(c, &f.name);
        if shown == *c {
            shown
        } else {
            format!("{shown} ({c})")
        }
    });
    format!("{name}, {caption}{tags}{risk}{state}{f}")
}

/// Presenting: the spotlight goes to this server, or off it.
fn spotlight(c: Ctx, id: ServerId) {
    crate::present::state::spotlight(c.ed, c.pr, id);
}

/// The node's keys: Enter renames (spotlights when presenting, fails in
/// the simulator, makes the protection being drawn), Space selects, C
/// starts a protection from a DPM server (`far`: the node is drawn in the
/// far view, where Tab walks the candidates nearest it).
pub fn node_key(c: Ctx, id: ServerId, far: bool, ev: web_sys::KeyboardEvent) {
    let (ed, cn) = (c.ed, c.cn);
    if crate::browser::dom::typing(&ev) {
        return;
    }
    let key = ev.key();
    if ed.mode.get_untracked() == Mode::Present {
        if key == "Enter" {
            ev.prevent_default();
            ev.stop_propagation();
            spotlight(c, id);
        }
        return;
    }
    if ed.mode.get_untracked() == Mode::Simulate {
        if key == "Enter" || key == " " {
            ev.prevent_default();
            crate::sim::state::toggle_failed(ed, id);
        }
        return;
    }
    if cn.from.get_untracked().is_some() {
        if key == "Enter" || key == " " {
            ev.prevent_default();
            ev.stop_propagation();
            cn.finish(&ed, id);
        } else if key == "Tab" && cn.keyboard.get_untracked() {
            // While a protection is drawn by keyboard, Tab goes round the
            // servers: past the last it left the canvas, and Enter then
            // pressed whatever button had the focus.
            if let Some(next) = wrapped(c, &ev) {
                ev.prevent_default();
                let _ = next.focus();
            }
        }
        return;
    }
    match key.as_str() {
        "Enter" => {
            ev.prevent_default();
            ed.selection.set(vec![id]);
            ed.selected_link.set(None);
            ed.rename_request.set(Some(id));
        }
        " " => {
            ev.prevent_default();
            // Shift (or Ctrl/Cmd) adds to the selection or takes out,
            // as Shift-click does.
            if ev.shift_key() || ev.ctrl_key() || ev.meta_key() {
                toggle_selected(ed, id);
            } else {
                ed.selection.set(vec![id]);
            }
            ed.selected_link.set(None);
        }
        "c" | "C" if !ev.ctrl_key() && !ev.meta_key() => {
            ev.prevent_default();
            ev.stop_propagation();
            if ed
                .doc
                .with_untracked(|t| t.server(id).is_some_and(|s| s.kind == Kind::Dpm))
            {
                cn.start(&ed, id, true, far);
            } else {
                ed.complain("Only a DPM server can protect: start a protection from a DPM server.");
            }
        }
        _ => {}
    }
}

/// For Tab (Shift+Tab) on the canvas's last (first) server: its first
/// (last) server, to go round to. `None` elsewhere: the browser's own
/// order moves to the next one. (The canvas's own, not a node being
/// dragged, on a layer of its own.)
fn wrapped(c: Ctx, ev: &web_sys::KeyboardEvent) -> Option<web_sys::SvgElement> {
    use wasm_bindgen::JsCast;
    let at: web_sys::Element = ev.target()?.dyn_into().ok()?;
    let at = at.closest("g[data-server]").ok()??;
    let all = c
        .svg
        .get_untracked()?
        .query_selector_all("g[data-server][tabindex]")
        .ok()?;
    let n = all.length();
    let (edge, other) = if ev.shift_key() {
        (0, n.checked_sub(1)?)
    } else {
        (n.checked_sub(1)?, 0)
    };
    if !all
        .item(edge)
        .is_some_and(|e| e.is_same_node(Some(at.as_ref())))
    {
        return None;
    }
    all.item(other)?.dyn_into().ok()
}

/// The kind's icon at the left of a node `w` wide: a database for DPM, a
/// server box.
fn icon(kind: Kind, w: f64) -> AnyView {
    match kind {
        Kind::Dpm => view! {
            <g class="icon" transform=format!("translate({} -7)", num(-w / 2.0 + 18.0))>
                <ellipse cx="0" cy="0" rx="8" ry="3.5" />
                <path d="M-8 0 L-8 13 A8 3.5 0 0 0 8 13 L8 0" />
                <path d="M-8 6.5 A8 3.5 0 0 0 8 6.5" />
            </g>
        }
        .into_any(),
        Kind::Protected => view! {
            <g class="icon" transform=format!("translate({} -9)", num(-w / 2.0 + 18.0))>
                <rect x="-7" y="0" width="14" height="18" rx="2" />
                <path d="M-4 5 L4 5 M-4 9 L4 9" />
            </g>
        }
        .into_any(),
    }
}

/// Under the node: "Stopped" when its database is down, or what its
/// failure alone would take in the Risk view.
fn under(s: NodeState) -> impl IntoView {
    view! {
        {move || s.marks.with(|m| m.stopped).then(|| view! {
            <text class="stopped-label" aria-hidden="true" x="0" y=dpm_rules::num(NODE_H / 2.0 + 16.0) text-anchor="middle">
                "Stopped: its database is down"
            </text>
        })}
        {move || s.marks.with(|m| m.at_risk.clone()).map(|what| view! {
            <text class="spof-label" aria-hidden="true" x="0" y=dpm_rules::num(NODE_H / 2.0 + 16.0) text-anchor="middle">
                {dpm_rules::truncate(&what, 28)}
            </text>
        })}
    }
}

/// The handle a protection is drawn from, on a DPM server while editing.
fn handle(c: Ctx, ptr: Pointer, s: NodeState, id: ServerId) -> impl IntoView {
    let hh = NODE_H / 2.0;
    move || {
        s.marks.with(|m| m.handle).then(|| {
            view! {
                <g class="handle" on:pointerdown=move |ev| pointer::start_connect(c, ptr, id, &ev)>
                    <title>"Drag onto a server to protect it"</title>
                    <circle class="handle-hit" cx="0" cy=num(hh) r="14" />
                    <circle class="handle-dot" cx="0" cy=num(hh) r="6" />
                </g>
            }
        })
    }
}

#[component]
pub fn ServerNode(id: ServerId, far: bool) -> impl IntoView {
    let c = crate::ctx::ctx();
    let (ed, tip) = (c.ed, c.tip);
    let ptr = expect_context::<Pointer>();
    let s = NodeState::new(c, expect_context::<Derived>(), id);
    let at = c.pos.of(id, Point { x: 0.0, y: 0.0 });
    let kind = move || s.kind();
    // Zoomed out, the shapes are placed by their own coordinates, not by a
    // transform on their group: Chrome makes each transformed group a paint
    // chunk of its own and re-layerizes them all on every frame of a drag
    // (20 ms a frame with 10,000 in view).
    let at2 = at.clone();
    let transform = move || {
        if far {
            return String::new();
        }
        let p = at2.get();
        format!("translate({} {})", dpm_rules::num(p.x), dpm_rules::num(p.y))
    };
    // Where the shapes are drawn from: the server's place when zoomed out,
    // else the group's origin.
    let origin = {
        let at = at.clone();
        move || {
            if far {
                at.get()
            } else {
                Point { x: 0.0, y: 0.0 }
            }
        }
    };
    let (o1, o2) = (origin.clone(), origin.clone());
    let name = move || s.facts.with(|f| f.name.clone());
    let shown_name = move || shown_name(&s);
    let shown_caption = move || {
        s.facts
            .with(|f| dpm_rules::fit_caption(&f.caption, &f.name))
    };
    // The box grows with the name (the rule crate's measure, as the
    // export's), up to a limit.
    let bw = move || s.facts.with(|f| dpm_rules::box_width(&f.name));
    let corner = move || Point {
        x: bw() / 2.0 - 4.0,
        y: -NODE_H / 2.0 + 4.0,
    };
    let on_click = move |ev: web_sys::MouseEvent| match ed.mode.get_untracked() {
        Mode::Simulate if !ev.default_prevented() => crate::sim::state::toggle_failed(ed, id),
        Mode::Present => spotlight(c, id),
        _ => {}
    };
    let on_focus = move |ev: web_sys::FocusEvent| focused(c, id, &ev);
    // A mouse's double-click reaches the canvas (it captured the press,
    // see `pointer::dblclick`); a touch's or a pen's may reach the node.
    let on_dblclick = move |_| crate::canvas::state::rename_in_place(ed, id);
    let hh = NODE_H / 2.0;
    view! {
        <g class=move || class(&s) data-server=name transform=transform tabindex="0" role="button"
            aria-label=move || aria(&s)
            on:pointerdown=move |ev| pointer::start_move(c, ptr, id, &ev)
            on:click=on_click on:dblclick=on_dblclick on:keydown=move |ev| node_key(c, id, far, ev)
            on:focus=on_focus
            on:blur=move |ev: web_sys::FocusEvent| {
                tip.server.set(None);
                tip.focused.set(false);
                keep_focus_through_a_move(&ev);
            }
            on:pointerenter=move |_| tip.server.set(Some(id))
            on:pointerleave=move |_| tip.server.set(None)>
            <rect class="body" x=move || num(o1().x - bw() / 2.0) y=move || num(o2().y - hh) width=move || num(bw()) height=num(NODE_H)
                rx=move || if kind() == Kind::Dpm { "12" } else { "4" } />
            // Zoomed out, only the shape: what is too small to read is not
            // made at all (a tenth of the work per server when an estate of
            // thousands opens fitted).
            {(!far).then(|| view! {
                // Zoomed out, focus shows on the shape itself (CSS).
                <rect class="focus-ring" x=move || num(-bw() / 2.0 - 5.0) y=num(-hh - 5.0) width=move || num(bw() + 10.0) height=num(NODE_H + 10.0) rx="14" />
                {move || icon(kind(), bw())}
                // The space keeps name and caption apart for assistive technology
                // reading the text (the label must hold the visible words); SVG
                // does not draw it.
                // The full name is in the label for assistive technology, and
                // in the name tip (tips.rs) on hover and focus whenever the box
                // shows less of it: not a <title>, whose text would count as
                // the node's visible text and disagree with its label.
                <text class="name" x=num(TEXT_X) y="-3" text-anchor="middle">{shown_name}" "</text>
                <text class="sub" x=num(TEXT_X) y="15" text-anchor="middle">{shown_caption}</text>
            })}
            <path class="cross" d=move || cross(origin(), bw()) />
            {(!far).then(|| view! {
                {crate::browser::markup::svg_layer("tags", move || s.facts.with(|f| tags_markup(&f.tags, bw())))}
                // Hidden from assistive technology: the server's label already
                // reads out its findings.
                {move || s.sev.get().map(|sev| s.marks.with(|m| badge(sev, &m.findings, corner(), true)))}
                {under(s)}
                {handle(c, ptr, s, id)}
            })}
        </g>
    }
}

/// A node the list of nodes moves (a server kept as a node in the far
/// view, when the set of kept servers changes around it: a click on a
/// painted server while another server had the keys) is taken out and put
/// back by one `insertBefore`, and the browser takes the keyboard focus
/// from it on the way, to the page. A blur after which the node is in the
/// page with other neighbours (it, or one beside it, moved), and the page
/// holds the focus, gives the focus back to it. A blur the app asks for
/// ([`crate::browser::dom::release_focus`]), one that leaves the neighbours as they were (the
/// user clicked elsewhere) or the node out of the page does not.
fn keep_focus_through_a_move(ev: &web_sys::FocusEvent) {
    use wasm_bindgen::JsCast;
    if ev.related_target().is_some() || crate::browser::dom::releasing() {
        return;
    }
    let Some(node) = ev
        .target()
        .and_then(|t| t.dyn_into::<web_sys::SvgElement>().ok())
    else {
        return;
    };
    let was = (node.previous_sibling(), node.next_sibling());
    leptos::task::spawn_local(async move {
        let doc = document();
        let to_page = doc
            .active_element()
            .is_none_or(|a| doc.body().is_some_and(|b| a.is_same_node(Some(&b))));
        let same = |a: &Option<web_sys::Node>, b: Option<web_sys::Node>| match (a, b) {
            (Some(a), Some(b)) => a.is_same_node(Some(&b)),
            (None, None) => true,
            _ => false,
        };
        let moved = !same(&was.0, node.previous_sibling()) || !same(&was.1, node.next_sibling());
        if to_page && moved && node.is_connected() {
            // The focus given back, not a new one: a protection being
            // drawn by keyboard keeps its target (C from this very server
            // aimed it at itself).
            RESTORING.set(true);
            let _ = node.focus();
            RESTORING.set(false);
        }
    });
}

thread_local! {
    /// Set while [`keep_focus_through_a_move`] gives a node its focus back.
    static RESTORING: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// The node got the keyboard focus: its tips show, the far view keeps it
/// a node, a protection drawn by keyboard aims at it, and (unless handed
/// back as the node is moved in the page) the view shows it clear
/// ([`into_clear_view`]).
fn focused(c: Ctx, id: ServerId, ev: &web_sys::FocusEvent) {
    if !RESTORING.get() {
        into_clear_view(c, ev);
    }
    c.tip.server.set(Some(id));
    if c.tip.focus.get_untracked() != Some(id) {
        c.tip.focus.set(Some(id));
    }
    c.tip.focused.set(true);
    if c.cn.keyboard.get_untracked() && c.cn.from.get_untracked().is_some() && !RESTORING.get() {
        c.cn.target.set(Some(id));
    }
}

/// Pans the view the least that shows the server with a visible focus
/// (`:focus-visible`: reached by Tab or Shift+Tab, or handed back by a
/// field or bar the keyboard used, after a rename or Find) whole and
/// clear of the canvas's overlays: the first-visit hint, the view
/// controls and the minimap along its bottom (WCAG's "focus not
/// obscured"; in the tryout, Tab's target at 2,000 servers sat under the
/// hint). Focus given by a click, whose server is where the pointer is,
/// moves nothing.
fn into_clear_view(c: Ctx, ev: &web_sys::FocusEvent) {
    use wasm_bindgen::JsCast;
    let Some(node) = ev
        .target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
    else {
        return;
    };
    if !node.matches(":focus-visible").unwrap_or(false) {
        return;
    }
    let Some(svg) = c.svg.get_untracked() else {
        return;
    };
    let svg: web_sys::Element = svg.into();
    let area = svg.get_bounding_client_rect();
    let body = node
        .query_selector(".body")
        .ok()
        .flatten()
        .unwrap_or_else(|| node.clone());
    let b = body.get_bounding_client_rect();
    const PAD: f64 = 12.0;
    let shift = |lo: f64, hi: f64, from: f64, to: f64| {
        if from < lo + PAD {
            lo + PAD - from
        } else if to > hi - PAD {
            (hi - PAD - to).max(lo + PAD - from)
        } else {
            0.0
        }
    };
    // Across first: the overlays that matter are those beside or below
    // where the server will be, not where it was (off the canvas, it was
    // beside none, and landed under the minimap).
    let dx = shift(area.left(), area.right(), b.left(), b.right());
    let (left, right) = (b.left() + dx, b.right() + dx);
    // The room clear above the overlays beside or below the server.
    let mut bottom = area.bottom();
    if let Some(col) = svg.closest(".canvas-col").ok().flatten() {
        for sel in [".first-hint", ".view-controls", ".minimap"] {
            if let Some(o) = col.query_selector(sel).ok().flatten() {
                let r = o.get_bounding_client_rect();
                let beside = r.left() < right + PAD && r.right() > left - PAD;
                if r.width() > 0.0 && beside && r.top() > area.top() + area.height() / 2.0 {
                    bottom = bottom.min(r.top());
                }
            }
        }
    }
    let dy = shift(area.top(), bottom, b.top(), b.bottom());
    if dx != 0.0 || dy != 0.0 {
        c.ed.camera.update(|cam| {
            cam.x += dx;
            cam.y += dy;
        });
    }
}

/// The cross drawn over a failed server's box, `w` wide at `o`.
fn cross(o: Point, w: f64) -> String {
    let (hw, hh) = (w / 2.0, NODE_H / 2.0);
    let (x0, y0, x1, y1) = (
        o.x - hw + 6.0,
        o.y - hh + 6.0,
        o.x + hw - 6.0,
        o.y + hh - 6.0,
    );
    format!(
        "M{} {} L{} {} M{} {} L{} {}",
        num(x0),
        num(y0),
        num(x1),
        num(y1),
        num(x1),
        num(y0),
        num(x0),
        num(y1)
    )
}

/// What the box shows of the server's name: measured into the room beside
/// the icon (the rule crate's, as the SVG export's): whole, else the host
/// name, else with an ellipsis; in the presenter, larger, for a room
/// reading from its back rows.
fn shown_name(s: &NodeState) -> String {
    let px = if s.flags().present {
        dpm_rules::PRESENT_NAME_PX
    } else {
        dpm_rules::NAME_PX
    };
    s.facts
        .with(|f| dpm_rules::fit_name_to(&f.name, dpm_rules::name_room(&f.name), px))
}

/// The tags along the top edge of a node `w` wide: (class, text, what it
/// says in words).
fn tags_markup(tags: &[(&'static str, String, String)], w: f64) -> Markup {
    let mut x = -w / 2.0 + 8.0;
    Markup::concat(tags.iter().map(|(class, text, words)| {
        let w = 10.0 + dpm_rules::text_width(text, 11.0, true);
        let at = x;
        x += w + 4.0;
        el("g")
            .attr("class", class)
            .child(el("title").text(match *class {
                "tag vm" => format!("A virtual machine, running {words}"),
                "tag azure" => "An Azure virtual machine".to_string(),
                _ => "DPM installed on a domain controller".to_string(),
            }))
            .child(
                el("rect")
                    .attr("x", num(at))
                    .attr("y", num(-NODE_H / 2.0 - 9.0))
                    .attr("width", num(w))
                    .attr("height", "17")
                    .attr("rx", "8.5"),
            )
            .child(
                el("text")
                    .attr("x", num(at + w / 2.0))
                    .attr("y", num(-NODE_H / 2.0 + 3.5))
                    .attr("text-anchor", "middle")
                    // The space keeps the words apart for assistive
                    // technology (SVG does not draw it).
                    .text(format!(" {text}")),
            )
    }))
}
