//! Presenter mode, for a projector: full screen, the drawing large, panels
//! hidden, a caption bar, and scenes walked with PageDown/PageUp, the arrow
//! keys or a presentation clicker (which sends PageDown/PageUp). Scenes are
//! the drawing, the presets, the steps of a failover and of an ordered
//! recovery, and the built-in exercises. A spotlight (click a server, or
//! Enter on it) dims everything but the server under discussion.
//!
//! Scenes are shown through the editor's preview, as the simulator's steps
//! are, so presenting never changes the drawing, its history or its save.

use crate::state::editor::Editor;
use crate::state::editor::Mode;

use leptos::prelude::*;

use dpm_rules::{
    exercises::EXERCISES, plan, presets, Flow, OptionKind, ServerId, Summary, Topology,
};

/// One thing to show.
#[derive(Clone)]
pub struct Scene {
    pub title: String,
    pub caption: String,
    pub topology: Topology,
    pub failed: Vec<ServerId>,
    pub flows: Vec<Flow>,
}

impl Scene {
    fn still(title: impl Into<String>, caption: impl Into<String>, t: Topology) -> Scene {
        Scene {
            title: title.into(),
            caption: caption.into(),
            topology: t,
            failed: Vec::new(),
            flows: Vec::new(),
        }
    }
}

#[derive(Clone, Copy)]
pub struct Presenter {
    pub scenes: StoredValue<Vec<Scene>>,
    pub at: RwSignal<usize>,
    /// The server in the spotlight.
    pub spot: RwSignal<Option<ServerId>>,
    /// The servers at the other end of its protections: they stay legible
    /// beside it, as its arrows stay bright.
    pub near: RwSignal<Vec<ServerId>>,
    pub list: RwSignal<bool>,
    /// The view the presenter was entered from, given back on leaving
    /// (a fit lost the place a user had zoomed to in a large estate).
    pub before: StoredValue<Option<crate::state::editor::Camera>>,
}

impl Presenter {
    pub fn new() -> Presenter {
        Presenter {
            scenes: StoredValue::new(Vec::new()),
            at: RwSignal::new(0),
            spot: RwSignal::new(None),
            near: RwSignal::new(Vec::new()),
            list: RwSignal::new(false),
            before: StoredValue::new(None),
        }
    }
}

impl Default for Presenter {
    fn default() -> Self {
        Presenter::new()
    }
}

fn about(t: &Topology) -> String {
    let s = Summary::of(&dpm_rules::check(t));
    format!(
        "{} servers, {} protections. {}",
        dpm_rules::thousands(t.servers.len()),
        dpm_rules::thousands(t.protections.len()),
        s.status()
    )
}

/// Every scene, and the one to start at: the drawing first, then each
/// preset (with the failover the documentation walks through after it),
/// then the exercises. None twice: a drawing that is a preset as it came
/// (opened, perhaps laid out) is shown as that preset, and the
/// presentation starts there; a drawing that only shares a preset's title
/// is told apart as yours.
pub fn scenes(drawing: &Topology) -> (Vec<Scene>, usize) {
    let mut out = Vec::new();
    for p in presets::PRESETS {
        let Some(t) = presets::preset(p.id) else {
            continue;
        };
        out.push(Scene::still(p.title, about(&t), t.clone()));
        match p.id {
            "moving" => out.extend(switch_protection_scenes(&t)),
            "scenario-1" => out.extend(recovery_order_scenes(&t)),
            _ => {}
        }
    }
    for b in EXERCISES {
        if let Some(ex) = b.exercise() {
            out.push(Scene::still(
                format!("Exercise: {}", ex.title),
                ex.task,
                ex.start,
            ));
        }
    }
    let still = |s: &Scene| s.failed.is_empty() && s.flows.is_empty();
    if let Some(i) = out.iter().position(|s| {
        still(s) && !s.title.starts_with("Exercise: ") && s.topology.same_content(drawing)
    }) {
        return (out, i);
    }
    let title = match drawing.title.clone() {
        Some(t) if out.iter().any(|s| s.title == t) => format!("{t} (your drawing)"),
        Some(t) if !t.trim().is_empty() => t,
        _ => "Your drawing".into(),
    };
    out.insert(0, Scene::still(title, about(drawing), drawing.clone()));
    (out, 0)
}

/// The documentation's walkthrough on "Moving protected servers": DPM1
/// fails, Switch Protection on DPM3 keeps Server1 protected.
fn switch_protection_scenes(t: &Topology) -> Vec<Scene> {
    let failed: Vec<ServerId> = t.find("DPM1").into_iter().collect();
    let pl = plan(t, &failed);
    let server = t.find("Server1");
    let option = pl
        .affected
        .iter()
        .filter(|a| Some(a.server) == server)
        .flat_map(|a| a.options.iter())
        .find(|o| o.kind == OptionKind::SwitchProtection && o.supported);
    let Some(o) = option else {
        return Vec::new();
    };
    let steps = o.steps(t, &failed);
    let n = steps.len();
    steps
        .into_iter()
        .enumerate()
        .map(|(i, s)| Scene {
            title: format!("DPM1 fails: Switch Protection, step {} of {n}", i + 1),
            caption: s.caption,
            topology: s.topology.unwrap_or_else(|| t.clone()),
            failed: s.failed,
            flows: s.flows,
        })
        .collect()
}

/// Recovery in order on Scenario 1: DS1 and DS3 fail together.
fn recovery_order_scenes(t: &Topology) -> Vec<Scene> {
    let failed: Vec<ServerId> = ["DS1", "DS3"].iter().filter_map(|n| t.find(n)).collect();
    let pl = plan(t, &failed);
    let n = pl.order.len() + 1;
    let mut out = vec![Scene {
        title: format!("DS1 and DS3 fail: recovery in order, step 1 of {n}"),
        caption: "DS1 and DS3 fail together: DS1's replicas and DS3's copies are gone; DS4 still holds DS3's database.".into(),
        topology: t.clone(),
        failed: failed.clone(),
        flows: Vec::new(),
    }];
    for (i, o) in pl.order.into_iter().enumerate() {
        out.push(Scene {
            title: format!("DS1 and DS3 fail: recovery in order, step {} of {n}", i + 2),
            caption: o.step.caption,
            topology: o.step.topology.unwrap_or_else(|| t.clone()),
            failed: o.step.failed,
            flows: o.step.flows,
        });
    }
    out
}

/// Starts presenting from the drawing.
pub fn enter(ed: Editor, p: Presenter, sim: crate::sim::state::Sim) {
    crate::sim::state::reset(ed, sim);
    let (all, start) = ed.doc.with_untracked(scenes);
    p.scenes.set_value(all);
    p.list.set(false);
    p.before.set_value(Some(ed.camera.get_untracked()));
    ed.mode.set(Mode::Present);
    ed.selection.set(Vec::new());
    show(ed, p, start);
    if let Some(root) = document().document_element() {
        // Refused without a user gesture (and in some frames): presenting
        // works the same in the window as it is.
        let _ = root.request_fullscreen();
    }
}

/// The spotlight on server `id`, or off it when it is there already: the
/// rest dims but for its protections and the servers at their other ends.
pub fn spotlight(ed: Editor, p: Presenter, id: ServerId) {
    if p.spot.get_untracked() == Some(id) {
        set_spot(ed, p, None);
    } else {
        set_spot(ed, p, Some(id));
    }
}

fn set_spot(ed: Editor, p: Presenter, spot: Option<ServerId>) {
    let near = spot.map_or_else(Vec::new, |id| {
        ed.shown.with_untracked(|t| {
            t.protections
                .iter()
                .filter_map(|l| match (l.protector == id, l.target == id) {
                    (true, _) => Some(l.target),
                    (_, true) => Some(l.protector),
                    _ => None,
                })
                .collect()
        })
    });
    p.near.set(near);
    p.spot.set(spot);
}

pub fn leave(ed: Editor, p: Presenter) {
    set_spot(ed, p, None);
    let_go_of_scene_server(ed);
    ed.glide.set_value(true);
    ed.leave_simulation();
    match p.before.get_value() {
        Some(cam) => ed.request_view(cam),
        None => ed.request_fit(),
    }
    if document().fullscreen_element().is_some() {
        document().exit_fullscreen();
    }
}

/// A server of the scene shown has the keyboard focus (clicked into the
/// spotlight): its node, kept by id, is about to draw the drawing's
/// server of that id, another server, which would keep the focus ring.
/// The focus goes, unless the drawing has that server too.
fn let_go_of_scene_server(ed: Editor) {
    use wasm_bindgen::JsCast;
    let Some(node) = document()
        .active_element()
        .and_then(|a| a.closest("[data-server]").ok().flatten())
    else {
        return;
    };
    let name = node.get_attribute("data-server").unwrap_or_default();
    let id = ed.with_step(|s| s.and_then(|s| s.find(&name)));
    let kept = id.is_some_and(|id| {
        ed.doc
            .with_untracked(|d| d.server(id).is_some_and(|s| s.name == name))
    });
    if !kept {
        if let Ok(n) = node.dyn_into::<web_sys::SvgElement>() {
            crate::browser::dom::release_focus(&n);
        }
    }
}

pub fn show(ed: Editor, p: Presenter, i: usize) {
    let Some(s) = p.scenes.with_value(|v| v.get(i).cloned()) else {
        return;
    };
    // Steps of one failover glide; a scene of other servers appears at once.
    let same = ed.with_step(|prev| {
        prev.is_some_and(|prev| {
            prev.servers.len() == s.topology.servers.len()
                && prev
                    .servers
                    .iter()
                    .all(|a| s.topology.find(&a.name).is_some())
        })
    });
    ed.glide.set_value(same);
    p.at.set(i);
    set_spot(ed, p, None);
    ed.shown_failed.set(s.failed);
    ed.making.set(Vec::new());
    ed.flows.set(s.flows);
    ed.set_preview(s.topology);
    ed.request_fit();
}

/// Next (+1) or previous (-1) scene.
pub fn step(ed: Editor, p: Presenter, by: i64) {
    let n = p.scenes.with_value(Vec::len) as i64;
    let i = (p.at.get_untracked() as i64 + by).clamp(0, (n - 1).max(0));
    if i as usize != p.at.get_untracked() {
        show(ed, p, i as usize);
    }
}

/// The presenter's keys; true when the key was one of them.
pub fn key(ed: Editor, p: Presenter, key: &str) -> bool {
    match key {
        "PageDown" | "ArrowRight" | "ArrowDown" | " " | "n" => step(ed, p, 1),
        "PageUp" | "ArrowLeft" | "ArrowUp" | "p" | "Backspace" => step(ed, p, -1),
        "Home" => show(ed, p, 0),
        "End" => show(ed, p, p.scenes.with_value(Vec::len).saturating_sub(1)),
        // The Scenes list first, then the presentation.
        "Escape" if p.list.get_untracked() => p.list.set(false),
        "Escape" => leave(ed, p),
        _ => return false,
    }
    true
}
