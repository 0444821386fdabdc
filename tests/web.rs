//! Components and the logic they hold, in a real browser (headless Chromium
//! via wasm-bindgen-test): the mounted app, the editor's history, the
//! pre-check verdicts of a protection being drawn, the simulator's previews,
//! and the autosave.
#![cfg(target_arch = "wasm32")]

use dpm_rules::{presets, Kind, Protection, Topology};
use dpm_sketch::browser::storage::KEPT_PREFIX;
use dpm_sketch::canvas::state::{Connect, Verdict};
use dpm_sketch::state::editor::{Editor, Mode, SAVE_KEY};
use dpm_sketch::state::persist::restore;
use dpm_sketch::App;
use leptos::mount::mount_to;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn storage() -> web_sys::Storage {
    window().local_storage().unwrap().unwrap()
}

fn mount_app() -> (web_sys::HtmlElement, impl Drop) {
    let document = leptos::prelude::document();
    let wrapper: web_sys::HtmlElement =
        document.create_element("section").unwrap().unchecked_into();
    document.body().unwrap().append_child(&wrapper).unwrap();
    let handle = mount_to(wrapper.clone(), || view! { <App /> });
    (wrapper, handle)
}

fn attrs(root: &web_sys::HtmlElement, selector: &str, attr: &str) -> Vec<String> {
    let list = root.query_selector_all(selector).unwrap();
    let mut out: Vec<String> = (0..list.length())
        .filter_map(|i| list.item(i))
        .filter_map(|n| n.dyn_into::<web_sys::Element>().ok())
        .filter_map(|e| e.get_attribute(attr))
        .collect();
    out.sort();
    out
}

/// Lets effects scheduled by the reactive system run.
async fn tick() {
    let p = js_sys::Promise::new(&mut |ok, _| {
        window()
            .set_timeout_with_callback_and_timeout_and_arguments_0(&ok, 30)
            .unwrap();
    });
    wasm_bindgen_futures::JsFuture::from(p).await.unwrap();
}

#[wasm_bindgen_test]
async fn first_visit_draws_scenario_1_and_saves_it() {
    storage().clear().unwrap();
    let (root, _handle) = mount_app();
    assert_eq!(
        attrs(&root, "[data-server]", "data-server"),
        ["DS1", "DS2", "DS3", "DS4", "PS1", "PS2", "PS3", "PS4"]
    );
    assert_eq!(
        attrs(&root, "[data-protection]", "data-protection").len(),
        7
    );
    // Panels written as markup fill in once mounted (an effect).
    tick().await;
    let rows = root.query_selector_all(".dpm-table tbody tr").unwrap();
    let text: Vec<String> = (0..rows.length())
        .filter_map(|i| rows.item(i))
        .map(|r| r.text_content().unwrap_or_default())
        .collect();
    assert_eq!(
        text,
        [
            "DS1 (primary)PS1, PS2DS3",
            "DS2 (primary)PS3, PS4DS3",
            "DS3 (secondary)DS1, DS2DS4",
            "DS4 (secondary)DS3-",
        ]
    );
    assert_eq!(
        attrs(&root, ".findings-panel [data-rule]", "data-rule"),
        ["single-copy-dpm"]
    );
    // Saved once the drawing rests (`data-save-pending` goes then).
    let root_el = leptos::prelude::document().document_element().unwrap();
    for _ in 0..100 {
        if !root_el.has_attribute("data-save-pending") {
            break;
        }
        tick().await;
    }
    let saved = storage().get_item(SAVE_KEY).unwrap().unwrap_or_default();
    assert!(saved.contains("\"DS4\""), "{saved}");
    root.remove();
}

#[wasm_bindgen_test]
fn every_edit_is_one_undoable_step() {
    let owner = Owner::new();
    owner.with(|| {
        let ed = Editor::new(presets::scenario_1());
        assert!(!ed.can_undo());
        let id = ed.add_server(Kind::Dpm, dpm_rules::Point { x: 13.0, y: 29.0 });
        ed.doc.with_untracked(|t| {
            assert_eq!(t.name(id), "DS5");
            // Snapped to the grid.
            assert_eq!(
                t.server(id).unwrap().pos,
                Some(dpm_rules::Point { x: 20.0, y: 20.0 })
            );
        });
        ed.edit(|t| {
            let ps1 = t.find("PS1").unwrap();
            t.connect(Protection::new(id, ps1));
        });
        assert_eq!(ed.findings.get_untracked()[0].rule.id(), "protected-twice");
        ed.undo();
        ed.undo();
        assert_eq!(ed.doc.get_untracked(), presets::scenario_1());
        assert!(ed.can_redo());
        ed.redo();
        assert_eq!(ed.doc.with_untracked(|t| t.servers.len()), 9);
        // A new edit drops what could be redone.
        ed.edit(|t| t.title = Some("Mine".into()));
        assert!(!ed.can_redo());
        // An edit that changes nothing is no step.
        let before = ed.doc.get_untracked();
        ed.edit(|_| {});
        ed.undo();
        assert_ne!(ed.doc.get_untracked(), before);
    });
}

/// An edit made after the browser was idle changes the drawing as it is
/// then (the copy made while idle is of that drawing), whatever came
/// between: undo, redo, an edit that changed nothing, a drawing opened.
#[wasm_bindgen_test]
async fn an_edit_after_an_idle_moment_changes_the_drawing_as_it_is() {
    let owner = Owner::new();
    let ed = owner.with(|| Editor::new(presets::scenario_1()));
    let idle = || async {
        for _ in 0..3 {
            dpm_sketch::browser::idle().await;
        }
    };
    let title = |ed: &Editor| ed.doc.with_untracked(|t| t.title.clone());
    let servers = |ed: &Editor| ed.doc.with_untracked(|t| t.servers.len());
    idle().await;
    owner.with(|| ed.edit(|t| t.title = Some("One".into())));
    idle().await;
    owner.with(|| ed.edit(|t| t.title = Some("Two".into())));
    assert_eq!(title(&ed).as_deref(), Some("Two"));
    idle().await;
    // Undo, then an edit at once (before the browser is idle again).
    owner.with(|| {
        ed.undo();
        ed.edit(|t| {
            t.add_server("NEW", Kind::Protected);
        });
    });
    assert_eq!(title(&ed).as_deref(), Some("One"), "the undo stands");
    assert_eq!(servers(&ed), 9);
    idle().await;
    owner.with(|| {
        ed.undo();
        ed.redo();
        ed.undo();
    });
    idle().await;
    // An edit that changes nothing leaves its copy as the next one's.
    owner.with(|| ed.edit(|_| {}));
    owner.with(|| ed.edit(|t| t.title = Some("Three".into())));
    assert_eq!(servers(&ed), 8, "the undone server stays away");
    assert_eq!(title(&ed).as_deref(), Some("Three"));
    // A drawing opened: the next edit is of it.
    idle().await;
    owner.with(|| ed.load(presets::scenario_2()));
    let mut want = ed.doc.get_untracked();
    owner.with(|| ed.edit(|t| t.title = Some("Four".into())));
    want.title = Some("Four".into());
    assert!(
        ed.doc.get_untracked() == want,
        "the drawing opened, retitled"
    );
    assert_eq!(title(&ed).as_deref(), Some("Four"));
    owner.with(|| ed.undo());
    assert_eq!(title(&ed), presets::scenario_2().title);
}

#[wasm_bindgen_test]
fn drawing_a_protection_shows_every_servers_verdict() {
    let owner = Owner::new();
    owner.with(|| {
        let ed = Editor::new(presets::scenario_1());
        let cn = Connect::new();
        let (ds2, ps1, ps3, ds4) = ed.doc.with_untracked(|t| {
            (
                t.find("DS2").unwrap(),
                t.find("PS1").unwrap(),
                t.find("PS3").unwrap(),
                t.find("DS4").unwrap(),
            )
        });
        cn.start(&ed, ds2, false, false);
        cn.verdicts.with_untracked(|v| {
            assert_eq!(v.len(), 8);
            assert_eq!(v[&ps3], Verdict::Exists);
            match &v[&ps1] {
                Verdict::Breaks(f) => assert_eq!(f[0].rule.id(), "protected-twice"),
                other => panic!("{other:?}"),
            }
            assert!(matches!(v[&ds4], Verdict::Breaks(_)), "a cycle through DS3");
        });
        // A breaking drop is still made (trainers draw mistakes).
        cn.finish(&ed, ps1);
        assert!(cn.from.get_untracked().is_none());
        assert_eq!(ed.findings.get_untracked()[0].rule.id(), "protected-twice");
        ed.undo();
        assert_eq!(ed.doc.get_untracked(), presets::scenario_1());
    });
}

/// What the rule crate says of a protection from `from` to each server of
/// `t`, as [`Connect`] should show it.
fn verdicts_of(t: &Topology, from: dpm_rules::ServerId) -> Vec<(dpm_rules::ServerId, Verdict)> {
    let c = dpm_rules::Checker::new(t);
    t.servers
        .iter()
        .map(|s| {
            let v = if t
                .protections
                .iter()
                .any(|p| p.protector == from && p.target == s.id)
            {
                Verdict::Exists
            } else {
                let bad: Vec<_> = c
                    .precheck(Protection::new(from, s.id))
                    .into_iter()
                    .filter(|f| f.severity() != dpm_rules::Severity::Info)
                    .collect();
                if bad.is_empty() {
                    Verdict::Allowed
                } else {
                    Verdict::Breaks(bad)
                }
            };
            (s.id, v)
        })
        .collect()
}

/// Waits until `cn` has a verdict for `n` servers (3 s at most).
async fn all_judged(cn: Connect, n: usize) {
    for _ in 0..100 {
        if cn.verdicts.with_untracked(|v| v.len()) == n {
            return;
        }
        tick().await;
    }
}

/// The Risk view shows the risk of the drawing as it is when it is turned
/// on, whether that risk was made ahead (once a change's frames are drawn,
/// while the view is off, on an estate of more than 2,000 servers) or not:
/// after an edit at once, an undo after the edit's risk was made, a
/// drawing opened, a move; and turned off and on with no change between,
/// it shows the risk it kept, not one made again. Nothing is made ahead
/// for a small drawing; on a large one, it is there before the view is
/// turned on.
#[wasm_bindgen_test]
async fn the_risk_view_shows_the_risk_of_the_drawing_as_it_is() {
    use dpm_sketch::panels::state::{RiskView, FIXES_FOR};
    let _ = any_spawner::Executor::init_wasm_bindgen();
    let owner = Owner::new();
    let (ed, rv) = owner.with(|| {
        let ed = Editor::new(presets::scenario_1());
        (ed, RiskView::new(ed))
    });
    // Long enough for the risk to be made ahead.
    let settle = || async {
        dpm_sketch::browser::frames_drawn().await;
        for _ in 0..3 {
            dpm_sketch::browser::idle().await;
            tick().await;
        }
    };
    // Turns the view on and off: the risk it showed, and whether it is the
    // rule crate's risk of the drawing then.
    let shown = || {
        owner.with(|| {
            rv.on.set(true);
            let r = rv.risk.get_untracked().expect("a risk while on");
            rv.on.set(false);
            let want = ed
                .doc
                .with_untracked(|t| dpm_rules::risk_and_fixes(t, FIXES_FOR));
            let right = *r == want;
            (r, right)
        })
    };
    settle().await;
    assert_eq!(rv.kept_for(), None, "nothing made ahead for 8 servers");
    let (first, right) = shown();
    assert!(right, "scenario 1's risk");
    let (again, right) = shown();
    assert!(right && std::sync::Arc::ptr_eq(&first, &again), "kept");
    // A new server, unprotected, is held in one place: the risk changes.
    owner.with(|| {
        ed.edit(|t| {
            t.add_server("NEW", Kind::Protected);
        })
    });
    let (edited, right) = shown();
    assert!(right, "the edit's risk, turned on at once");
    assert_ne!(*edited, *first, "the edit changed the risk");
    settle().await;
    owner.with(|| ed.undo());
    let (undone, right) = shown();
    assert!(right, "the undo's risk, not the edit's made ahead");
    assert_eq!(*undone, *first);
    owner.with(|| ed.load(presets::scenario_2()));
    settle().await;
    let (opened, right) = shown();
    assert!(right, "scenario 2's risk");
    assert_ne!(*opened, *first);
    // A move changes no risk: the one kept stands.
    owner.with(|| ed.edit(|t| t.servers[0].pos = Some(dpm_rules::Point { x: 1.0, y: 2.0 })));
    let (moved, right) = shown();
    assert!(
        right && std::sync::Arc::ptr_eq(&opened, &moved),
        "kept through a move"
    );
    // A large estate: its risk is made ahead, and again after an edit.
    let estate = dpm_rules::generate(dpm_sketch::panels::state::RISK_AHEAD_OVER + 1);
    owner.with(|| ed.load(estate));
    settle().await;
    assert_eq!(rv.kept_for(), ed.content_rev_untracked(), "made ahead");
    owner.with(|| {
        ed.edit(|t| {
            t.add_server("NEW", Kind::Protected);
        })
    });
    assert_ne!(rv.kept_for(), ed.content_rev_untracked());
    settle().await;
    assert_eq!(
        rv.kept_for(),
        ed.content_rev_untracked(),
        "made ahead again"
    );
    let (_, right) = shown();
    assert!(right, "the estate's risk");
}

#[wasm_bindgen_test]
async fn a_large_estate_judges_the_nearest_servers_at_once_and_the_rest_when_idle() {
    // (The app's mount starts Leptos' executor; this test mounts nothing.)
    let _ = any_spawner::Executor::init_wasm_bindgen();
    let owner = Owner::new();
    let (ed, cn, a, b, want_a, want_b) = owner.with(|| {
        let mut t = dpm_rules::generate(1_500);
        dpm_rules::apply_layout(&mut t);
        let mut dpm = t
            .servers
            .iter()
            .filter(|s| s.kind == Kind::Dpm)
            .map(|s| s.id);
        let (a, b) = (dpm.next().unwrap(), dpm.next().unwrap());
        let (want_a, want_b) = (verdicts_of(&t, a), verdicts_of(&t, b));
        (Editor::new(t), Connect::new(), a, b, want_a, want_b)
    });
    let far = |id| {
        ed.doc.with_untracked(|t| {
            let (p, q) = (
                t.server(a).unwrap().pos.unwrap(),
                t.server(id).unwrap().pos.unwrap(),
            );
            (p.x - q.x).powi(2) + (p.y - q.y).powi(2)
        })
    };
    // What is judged at once has the rule crate's verdict, and no server
    // left for later is nearer than one judged (what is there already
    // aside): between `least` and `most` servers judged.
    let nearest_judged_first = |least: usize, most: usize| {
        cn.verdicts.with_untracked(|v| {
            assert!(
                v.len() >= least && v.len() < most,
                "{} judged, of {}",
                v.len(),
                want_a.len()
            );
            let (mut judged, mut waiting) = (0.0f64, f64::INFINITY);
            for (id, w) in &want_a {
                match v.get(id) {
                    Some(got) => {
                        assert_eq!(got, w, "server {id:?}");
                        if *w != Verdict::Exists {
                            judged = judged.max(far(*id));
                        }
                    }
                    None => waiting = waiting.min(far(*id)),
                }
            }
            assert!(
                judged <= waiting,
                "a server judged later is nearer than one judged at once"
            );
        })
    };
    // By keyboard in the far view, only the candidates Tab goes to first are
    // judged at once: the nearest.
    owner.with(|| cn.start(&ed, a, true, true));
    nearest_judged_first(dpm_sketch::canvas::state::NEAREST, 256);
    // Otherwise the 256 nearest at once; the far ones not yet.
    owner.with(|| cn.start(&ed, a, true, false));
    nearest_judged_first(256, want_a.len());
    // When the browser has been idle: every server, as the rule crate says.
    all_judged(cn, want_a.len()).await;
    let same = |want: &[(dpm_rules::ServerId, Verdict)]| {
        cn.verdicts.with_untracked(|v| {
            assert_eq!(v.len(), want.len());
            for (id, w) in want {
                assert_eq!(v.get(id), Some(w), "server {id:?}");
            }
        })
    };
    same(&want_a);
    // Another protection started before the first's far servers are judged:
    // only its own verdicts, none of the first's.
    owner.with(|| {
        cn.start(&ed, a, true, false);
        cn.start(&ed, b, true, true);
    });
    all_judged(cn, want_b.len()).await;
    for _ in 0..5 {
        dpm_sketch::browser::idle().await;
    }
    same(&want_b);
    // A protection ended before its far servers are judged leaves nothing
    // behind: its idle steps stop.
    owner.with(|| {
        cn.start(&ed, a, true, false);
        cn.cancel();
    });
    // (Longer than a whole run takes: the one above took fewer.)
    for _ in 0..40 {
        dpm_sketch::browser::idle().await;
    }
    assert!(cn.verdicts.with_untracked(|v| v.is_empty()));
}

/// What reads the drawing shown runs again when what it shows changes (an
/// edit, a step that differs, the step cleared back to a different
/// drawing), and not for a step that shows the drawing as it was shown
/// (most steps of a plan), nor for an edit made while a step is shown; and
/// the servers each change touched are told, by id: an edit's, and what
/// differs between the drawing shown and a step shown in its place or the
/// drawing back after one.
#[wasm_bindgen_test]
fn the_drawing_shown_changes_only_when_what_it_shows_does() {
    use dpm_rules::Point;
    use dpm_sketch::state::editor::Mark;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Arc;
    let owner = Owner::new();
    owner.with(|| {
        let ed = Editor::new(presets::moving());
        let runs = Arc::new(AtomicUsize::new(0));
        let counted = runs.clone();
        let names = Memo::new(move |_| {
            counted.fetch_add(1, Ordering::Relaxed);
            ed.shown.with(|t| t.servers.len())
        });
        let reads = move || {
            names.get_untracked();
            runs.load(Ordering::Relaxed)
        };
        assert_eq!(reads(), 1);
        let mut mark = Mark::default();
        assert_eq!(ed.touched_since(&mut mark), None, "never looked");
        assert_eq!(ed.touched_since(&mut mark), Some(Vec::new()));
        // The same drawing as a step: nothing to run again.
        ed.set_preview(presets::moving());
        assert_eq!(reads(), 1, "a step showing the drawing as shown");
        assert_eq!(
            ed.touched_since(&mut mark),
            Some(Vec::new()),
            "a step that differs in nothing"
        );
        // A step that differs.
        let mut other = presets::moving();
        other.servers[0].pos = Some(Point { x: 9.0, y: 9.0 });
        ed.set_preview(other.clone());
        assert_eq!(reads(), 2, "a step that differs");
        let first = other.servers[0].id;
        assert_eq!(ed.touched_since(&mut mark), Some(vec![first]), "the step");
        // An edit under the step: the step is still what shows.
        let id = ed.doc.with_untracked(|t| t.servers[1].id);
        ed.edit(|t| t.servers[1].pos = Some(Point { x: 5.0, y: 5.0 }));
        assert_eq!(reads(), 2, "an edit while a step is shown");
        ed.clear_preview();
        assert_eq!(reads(), 3, "back to the drawing, which differs");
        // The edit under the step, and the drawing back: the server the
        // step moved and the one the edit moved.
        let mut back = ed.touched_since(&mut mark).expect("known");
        back.sort();
        back.dedup();
        let mut both = vec![first, id];
        both.sort();
        assert_eq!(back, both, "the edit under the step and the drawing back");
        ed.set_preview(ed.doc.get_untracked());
        ed.clear_preview();
        assert_eq!(reads(), 3, "a step like the drawing, cleared");
        let _ = ed.touched_since(&mut mark);
        ed.edit(|t| t.servers[1].pos = Some(Point { x: 6.0, y: 5.0 }));
        assert_eq!(reads(), 4, "an edit");
        assert_eq!(ed.touched_since(&mut mark), Some(vec![id]));
        ed.undo();
        assert_eq!(reads(), 5, "undo");
        ed.redo();
        assert_eq!(reads(), 6, "redo");
        // The edit, its undo and its redo only moved a server: one run of
        // moves, which names it once.
        assert_eq!(ed.touched_since(&mut mark), Some(vec![id]));
        assert_eq!(ed.touched_since(&mut mark), Some(Vec::new()));
        // More moves in a row than the log keeps changes: still one entry,
        // so a view that last looked before them (the findings, which no
        // move wakes) learns what they touched, not "anything".
        for i in 0..40 {
            ed.edit(|t| {
                t.servers[1].pos = Some(Point {
                    x: 7.0 + i as f64,
                    y: 5.0,
                })
            });
        }
        assert_eq!(ed.touched_since(&mut mark), Some(vec![id]), "40 moves");
    });
}

/// The routing boxes, changed box by box for what each edit touched, are
/// the boxes made whole from the drawing shown after every kind of change:
/// moves, a name that grows a box, a delete, an add, undo and redo, a step
/// shown and cleared, an edit under a step, a drawing loaded, and more
/// edits than the log keeps; the moved boxes are handed to the arrows. The
/// positions and their snapshot, synced for the touched servers, likewise.
#[wasm_bindgen_test]
fn boxes_and_positions_changed_by_edits_are_those_made_whole() {
    use dpm_rules::{positions, Obstacles, Point};
    use dpm_sketch::state::derived::Derived;
    use dpm_sketch::state::positions::Positions;
    let owner = Owner::new();
    owner.with(|| {
        let ed = Editor::new(presets::scenario_1());
        let derived = Derived::new(ed);
        let pos = Positions::new();
        let same = |what: &str| {
            let whole = ed.shown.with_untracked(Obstacles::of);
            let now = derived
                .obstacles
                .with_untracked(|o| o.changed_from(&whole, 0));
            assert_eq!(now, Some(Vec::new()), "boxes after {what}");
        };
        // As the canvas syncs them: the touched servers, else all.
        let mark = StoredValue::new(dpm_sketch::state::editor::Mark::default());
        let synced = |what: &str| {
            let touched = mark.try_update_value(|m| ed.touched_since(m)).flatten();
            ed.shown.with_untracked(|t| match touched {
                Some(ids) => assert!(pos.sync_some(t, &ids)),
                None => pos.sync(t, &positions(t)),
            });
            let snap = pos.snapshot();
            let want = ed.shown.with_untracked(positions);
            assert_eq!(*snap, want, "positions after {what}");
        };
        synced("the first drawing");
        same("the first drawing");
        let first = ed.doc.with_untracked(|t| t.servers[0].id);
        let mv = |dx: f64| {
            ed.edit(|t| {
                if let Some(p) = t.servers[0].pos.as_mut() {
                    p.x += dx;
                }
            })
        };
        mv(300.0);
        same("a move");
        assert!(
            derived.take_moved_boxes().is_some_and(|b| b.len() == 2),
            "the moved box, where it was and where it is"
        );
        synced("a move");
        ed.edit(|t| t.servers[1].name = "a-much-longer-name.corp.example.com".into());
        same("a rename that grows the box");
        ed.edit(|t| dpm_rules::remove_servers(t, &[first]));
        same("a delete");
        synced("a delete");
        ed.add_server(Kind::Dpm, Point { x: 900.0, y: 900.0 });
        same("an add");
        ed.undo();
        same("undo");
        ed.undo();
        ed.undo();
        same("undo, undo");
        ed.redo();
        same("redo");
        synced("redo");
        let mut step = ed.doc.get_untracked();
        step.servers[2].pos = Some(Point { x: -500.0, y: 40.0 });
        ed.set_preview(step);
        same("a step shown");
        synced("a step shown");
        mv(-120.0);
        same("an edit under the step");
        ed.clear_preview();
        same("the step cleared");
        synced("the step cleared");
        for _ in 0..40 {
            mv(10.0);
        }
        same("40 edits");
        ed.load(presets::moving());
        same("a drawing loaded");
        synced("a drawing loaded");
    });
}

/// The findings, found again only for what a change touched, are the
/// findings of the drawing shown found whole after each simulator's step
/// shown (a protection gone, a kind changed, a server gone, a name made
/// the same as another's), another step in its place, an edit under a
/// step, the drawing back, and an undo after it.
#[wasm_bindgen_test]
fn the_findings_follow_each_step_shown_and_the_drawing_back() {
    let owner = Owner::new();
    owner.with(|| {
        let ed = Editor::new(presets::scenario_2());
        let same = |what: &str| {
            let whole = ed
                .shown
                .with_untracked(|t| dpm_rules::Checked::new(t).findings().to_vec());
            assert_eq!(ed.findings.get_untracked(), whole, "findings after {what}");
        };
        same("the first drawing");
        let doc = ed.doc.get_untracked();
        let mut step = doc.clone();
        let gone = step.protections.remove(0);
        step.servers[3].kind = Kind::Dpm;
        ed.set_preview(step.clone());
        assert!(
            ed.findings.get_untracked() != doc_findings(&doc),
            "the step changes the findings"
        );
        same("a step shown");
        let mut next = step.clone();
        dpm_rules::remove_servers(&mut next, &[gone.protector]);
        next.servers[1].name = next.servers[0].name.clone();
        ed.set_preview(next);
        same("another step in its place");
        ed.edit(|t| t.protections.truncate(1));
        same("an edit under the step");
        ed.clear_preview();
        same("the drawing back");
        ed.undo();
        same("an undo");
    });
}

fn doc_findings(t: &Topology) -> Vec<dpm_rules::Finding> {
    dpm_rules::Checked::new(t).findings().to_vec()
}

#[wasm_bindgen_test]
fn playing_an_option_previews_without_touching_the_drawing() {
    let owner = Owner::new();
    owner.with(|| {
        let ed = Editor::new(presets::moving());
        let sim = dpm_sketch::sim::state::Sim::new();
        let dpm1 = ed.doc.with_untracked(|t| t.find("DPM1").unwrap());
        dpm_sketch::sim::state::enter(ed, sim);
        dpm_sketch::sim::state::toggle_failed(ed, dpm1);
        let f = ed.failed.get_untracked();
        let option = ed.doc.with_untracked(|t| {
            dpm_rules::plan(t, &f).affected[1]
                .options
                .iter()
                .find(|o| o.kind == dpm_rules::OptionKind::SwitchProtection)
                .cloned()
                .unwrap()
        });
        dpm_sketch::sim::state::play(ed, sim, option.clone(), "Server1".into());
        assert!(ed.showing_step());
        assert_eq!(ed.doc.get_untracked(), presets::moving());
        assert!(!ed.can_undo());
        dpm_sketch::sim::state::reset(ed, sim);
        assert_eq!(ed.mode.get_untracked(), Mode::Edit);
        assert!(!ed.showing_step());
        assert_eq!(ed.shown.with_untracked(Clone::clone), presets::moving());
        // Apply is one step, and undo returns the drawing before.
        dpm_sketch::sim::state::enter(ed, sim);
        dpm_sketch::sim::state::toggle_failed(ed, dpm1);
        dpm_sketch::sim::state::apply(ed, sim, &option);
        let switched = ed.doc.with_untracked(|t| {
            let (d3, s1) = (t.find("DPM3").unwrap(), t.find("Server1").unwrap());
            t.protection(dpm_rules::Link {
                protector: d3,
                target: s1,
            })
            .map(|p| p.switched)
        });
        assert_eq!(switched, Some(true));
        ed.undo();
        assert_eq!(ed.doc.get_untracked(), presets::moving());
    });
}

#[wasm_bindgen_test]
fn an_unreadable_save_is_kept_aside_not_overwritten() {
    storage().clear().unwrap();
    storage()
        .set_item(SAVE_KEY, "{\"format\": \"dpm-sketch/7\"}")
        .unwrap();
    let (t, notice, first) = restore(SAVE_KEY);
    assert!(!first);
    assert_eq!(t, presets::scenario_1());
    let notice = notice.expect("the user is told");
    assert!(notice.error);
    assert!(notice.text.contains("kept aside"), "{}", notice.text);
    let s = storage();
    let kept: Vec<String> = (0..s.length().unwrap())
        .filter_map(|i| s.key(i).unwrap())
        .filter(|k| k.starts_with(KEPT_PREFIX))
        .map(|k| s.get_item(&k).unwrap().unwrap())
        .collect();
    assert_eq!(kept, ["{\"format\": \"dpm-sketch/7\"}"]);
    // A readable save opens as it was.
    let mut mine = Topology::new();
    mine.add_server("Mine", Kind::Dpm);
    dpm_rules::apply_layout(&mut mine);
    s.set_item(SAVE_KEY, &dpm_rules::to_json(&mine)).unwrap();
    let (t, notice, _) = restore(SAVE_KEY);
    assert!(notice.is_none());
    assert_eq!(t.servers[0].name, "Mine");
    s.clear().unwrap();
}

#[wasm_bindgen_test]
fn markup_escapes_every_value_and_text() {
    use dpm_sketch::browser::markup::el;
    let m = el("p")
        .attr("title", "\"><script>alert(1)</script>")
        .text("<b>&'")
        .user_text("\u{202e}London")
        .child(el("input").attr("value", "a\"b").flag("checked", true))
        .render();
    assert_eq!(
        m.as_str(),
        "<p title=\"&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;\">&lt;b&gt;&amp;&#39;<bdi>\u{202e}London</bdi><input value=\"a&quot;b\" checked></p>"
    );
}

#[wasm_bindgen_test]
fn failing_a_site_takes_its_guests_and_stops_a_dpm_server_whose_database_is_there() {
    let owner = Owner::new();
    owner.with(|| {
        let mut t = Topology::new();
        let hv = t.add_server("HV1", Kind::Protected);
        let sql = t.add_server("SQL1", Kind::Protected);
        let vm = t.add_server("VM1", Kind::Protected);
        let dpm = t.add_server("DPM1", Kind::Dpm);
        t.server_mut(hv).unwrap().site = Some("London".into());
        t.server_mut(sql).unwrap().site = Some("London".into());
        t.server_mut(vm).unwrap().host = Some(hv);
        t.server_mut(dpm).unwrap().database = Some(sql);
        t.server_mut(dpm).unwrap().site = Some("Paris".into());
        t.connect(Protection::new(dpm, vm));
        let ed = Editor::new(t.clone());
        let sim = dpm_sketch::sim::state::Sim::new();
        dpm_sketch::sim::state::enter(ed, sim);
        dpm_sketch::sim::state::toggle_site(ed, " london ");
        let mut shown = ed.shown_failed.get_untracked();
        shown.sort();
        assert_eq!(shown, vec![hv, sql, vm]);
        assert_eq!(ed.stopped.get_untracked(), vec![dpm]);
        // The same site again (any case) brings it back.
        dpm_sketch::sim::state::toggle_site(ed, "LONDON");
        assert!(ed.shown_failed.get_untracked().is_empty());
        assert!(ed.stopped.get_untracked().is_empty());
        // Reset forgets a failed site; the drawing is untouched.
        dpm_sketch::sim::state::toggle_site(ed, "London");
        dpm_sketch::sim::state::reset(ed, sim);
        assert!(ed.failed_sites.get_untracked().is_empty());
        assert!(ed.shown_failed.get_untracked().is_empty());
        assert_eq!(ed.doc.get_untracked(), t);
    });
}

/// Focus kept across a rewrite finds its control by comparing keys, so a
/// server name made to look like a selector (issue 21) moves focus nowhere
/// else, and a name with quotes keeps it.
#[wasm_bindgen_test]
fn focus_kept_across_a_rewrite_is_never_moved_by_a_name() {
    let document = leptos::prelude::document();
    let root = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&root).unwrap();
    let hostile = "apply-0-switch-protection Z\"], [data-k=\"apply-1-switch-protection B";
    let markup = |k0: &str| {
        dpm_sketch::browser::markup::Markup::concat([
            dpm_sketch::browser::markup::el("button")
                .attr("data-k", k0)
                .text("first"),
            dpm_sketch::browser::markup::el("button")
                .attr("data-k", "apply-1-switch-protection B")
                .text("second"),
        ])
    };
    for key in [hostile, "apply-0-switch-protection O\"Brien\\\\"] {
        dpm_sketch::browser::markup::set_keeping_focus(&root, &markup(key));
        let first: web_sys::HtmlElement = root
            .query_selector("button")
            .unwrap()
            .unwrap()
            .unchecked_into();
        first.focus().unwrap();
        let lost = dpm_sketch::browser::markup::set_keeping_focus(&root, &markup(key));
        assert!(!lost);
        let active = document.active_element().unwrap();
        assert_eq!(
            active.get_attribute("data-k").as_deref(),
            Some(key),
            "focus moved for {key}"
        );
        assert_eq!(active.text_content().as_deref(), Some("first"));
    }
    root.remove();
}

/// A panel patched row by row shows exactly the new rows, keeps the
/// elements (and the focus) of the rows that did not change, and writes a
/// list that something else changed whole.
#[wasm_bindgen_test]
fn patched_rows_are_the_new_rows_and_unchanged_ones_stay_as_they_were() {
    use dpm_sketch::browser::markup::{by_attr, el, patch_rows, Markup};
    let document = leptos::prelude::document();
    let list = document.create_element("ul").unwrap();
    document.body().unwrap().append_child(&list).unwrap();
    let rows = |names: &[&str]| -> Vec<Markup> {
        names
            .iter()
            .map(|n| {
                el("li")
                    .child(el("button").attr("data-k", *n).text(*n))
                    .render()
            })
            .collect()
    };
    let shown = |list: &web_sys::Element| -> Vec<String> {
        let all = list.query_selector_all("li").unwrap();
        (0..all.length())
            .map(|i| all.item(i).unwrap().text_content().unwrap_or_default())
            .collect()
    };
    let li = |name: &str| -> web_sys::Element {
        by_attr(&list, "data-k", name)
            .unwrap()
            .parent_element()
            .unwrap()
    };
    let mut old = rows(&[]);
    let steps: [&[&str]; 16] = [
        &["a", "b", "c", "d", "e"],
        // Rows far apart changed (a protection added: its DPM server's
        // row and its target's), one moved (a rename), one moved and
        // one gone at once.
        &["a", "x", "c", "y", "e"],
        &["a", "c", "y", "e", "x"],
        &["e", "a", "c", "w", "x"],
        &["a", "b", "c", "d"],
        &["a", "b", "x", "c", "d"],
        &["a", "c", "d"],
        &["z", "a", "c", "d"],
        &["z", "a", "c", "d", "e"],
        &["z", "a", "c", "d", "e"],
        &["z", "y", "c", "d", "e"],
        &["a", "a"],
        &["a"],
        &["a", "b", "a"],
        &["a"],
        &[],
    ];
    for names in steps {
        let new = rows(names);
        // Every row in both lists (the first of a name) keeps its element,
        // and a focused one keeps the focus (moved or not).
        let kept: Vec<(&str, web_sys::Element)> = names
            .iter()
            .filter(|n| old.contains(&rows(&[n])[0]))
            .map(|&n| (n, li(n)))
            .collect();
        if let Some((n, _)) = kept.first() {
            let b: web_sys::HtmlElement = by_attr(&list, "data-k", n).unwrap().unchecked_into();
            b.focus().unwrap();
        }
        patch_rows(&list, &old, &new);
        assert_eq!(shown(&list), names.to_vec());
        for (n, e) in &kept {
            assert!(li(n).is_same_node(Some(e)), "row {n} was written again");
        }
        if let Some((n, _)) = kept.first() {
            let active = document.active_element().unwrap();
            assert_eq!(
                active.get_attribute("data-k").as_deref(),
                Some(*n),
                "focus left {n}"
            );
        }
        old = new;
    }
    // Written by something else: the patch writes the rows whole.
    list.set_text_content(Some(""));
    patch_rows(&list, &rows(&["a"]), &rows(&["a", "b"]));
    assert_eq!(shown(&list), ["a", "b"]);
    list.remove();
}

/// The key presses a `Cmd::keys` text names: "Ctrl/Cmd+Shift+Z, Ctrl+Y" is
/// (ctrl, shift, "z") and (ctrl, no shift, "y").
fn presses(keys: &str) -> Vec<(bool, bool, String)> {
    let keys = keys.replace("Ctrl/Cmd", "Ctrl");
    keys.split(", ")
        .flat_map(|p| p.split(" / "))
        .flat_map(|p| p.split(" or "))
        .map(|p| {
            let (mods, key) = match p.rsplit_once('+') {
                Some((m, k)) if !k.is_empty() => (m, k),
                _ => ("", p),
            };
            (
                mods.contains("Ctrl"),
                mods.contains("Shift"),
                key.to_ascii_lowercase(),
            )
        })
        .collect()
}

#[wasm_bindgen_test]
fn every_key_shown_is_a_key_that_works() {
    use dpm_sketch::commands::Cmd;
    let mut with_keys = 0;
    for cmd in Cmd::ALL {
        if cmd.keys().is_empty() {
            continue;
        }
        with_keys += 1;
        let ps = presses(cmd.keys());
        assert!(!ps.is_empty(), "{cmd:?}: no key read from {:?}", cmd.keys());
        for (ctrl, shift, key) in ps {
            assert_eq!(
                Cmd::from_key(ctrl, shift, &key),
                Some(cmd),
                "{:?} says {:?}, but ctrl={ctrl} shift={shift} {key:?} does not run it",
                cmd,
                cmd.keys()
            );
        }
        assert!(cmd.title().ends_with(&format!("({})", cmd.keys())));
    }
    assert_eq!(with_keys, 12);
}

#[wasm_bindgen_test]
async fn every_button_is_a_command_and_the_keys_dialog_lists_every_key() {
    use dpm_sketch::commands::Cmd;
    storage().clear().unwrap();
    let (root, _handle) = mount_app();
    tick().await;
    let ids = attrs(
        &root,
        ".toolbar button[data-action], .view-controls button[data-action]",
        "data-action",
    );
    for id in &ids {
        let cmd = Cmd::from_id(id).unwrap_or_else(|| panic!("a button runs {id:?}, no command"));
        assert!(!cmd.label().is_empty(), "{cmd:?} has a button but no label");
    }
    // Every command with a label has its button, once.
    for cmd in Cmd::ALL.into_iter().filter(|c| !c.label().is_empty()) {
        assert_eq!(ids.iter().filter(|i| *i == cmd.id()).count(), 1, "{cmd:?}");
    }
    let keys: web_sys::HtmlElement = root
        .query_selector("[data-action=keys]")
        .unwrap()
        .unwrap()
        .unchecked_into();
    keys.click();
    tick().await;
    let listed: Vec<String> = {
        let l = root.query_selector_all("table.keys kbd").unwrap();
        (0..l.length())
            .filter_map(|i| l.item(i))
            .filter_map(|n| n.text_content())
            .collect()
    };
    for cmd in Cmd::ALL.into_iter().filter(|c| !c.keys().is_empty()) {
        assert!(
            listed.iter().any(|k| k == cmd.keys()),
            "{cmd:?} missing from the Keys dialog"
        );
    }
    assert!(listed.iter().any(|k| k == "Tab / Shift+Tab"));
}

/// In the browser, names compose with the engine's own normalisation
/// (`String.prototype.normalize`), and must agree with the CLI's tables.
#[wasm_bindgen_test]
fn names_written_two_ways_are_one_name_in_the_browser_too() {
    use dpm_rules::{fold_case, same_name, NameError};
    assert!(same_name("Caf\u{e9}", " cafe\u{301} "));
    assert!(same_name("\u{212a}1", "k1"));
    assert!(!same_name("cafe", "caf\u{e9}"));
    assert_eq!(fold_case("s\u{323}\u{307}"), fold_case("\u{1e69}"));
    let mut t = Topology::new();
    t.add_server("Caf\u{e9}", Kind::Dpm);
    assert_eq!(
        t.check_name(None, "CAFE\u{301}"),
        Err(NameError::Taken {
            by: "Caf\u{e9}".into()
        })
    );
}

/// In the browser, names fold to lower case with the engine's own
/// `toLowerCase`, one character at a time (model::push_lower): the same
/// as Rust's tables, with no word-final sigma, in every script a name is
/// likely to be written in.
#[wasm_bindgen_test]
fn names_fold_to_lower_case_in_the_browser_as_natively() {
    use dpm_rules::{fold_case, natural_cmp, same_name};
    use std::cmp::Ordering;
    let ranges = [
        0xc0..0x530,
        0x10a0..0x1100,
        0x13a0..0x13f6,
        0x1e00..0x2000,
        0x2c00..0x2d30,
        0xa640..0xa7ff,
        0xff21..0xff3b,
        0x10400..0x10450,
    ];
    for c in ranges.into_iter().flatten().filter_map(char::from_u32) {
        let nfc = js_sys::JsString::from(c).normalize("NFC");
        let native: String = String::from(nfc)
            .chars()
            .flat_map(char::to_lowercase)
            .collect();
        let native = native.trim();
        assert_eq!(fold_case(&c.to_string()), native, "U+{:04X}", c as u32);
    }
    assert_eq!(fold_case("\u{3a3}\u{391}\u{3a3}"), "\u{3c3}\u{3b1}\u{3c3}");
    assert_eq!(fold_case("\u{130}1"), "i\u{307}1");
    assert!(same_name("\u{394}\u{3a3}1", "\u{3b4}\u{3c3}1"));
    assert_eq!(natural_cmp("\u{c9}A2", "\u{e9}b10"), Ordering::Less);
    assert_eq!(natural_cmp("\u{e9}b", "\u{c9}A"), Ordering::Greater);
}

/// In the browser, the Mermaid export tells letters and digits from the
/// rest with the engine's own Unicode properties (export::Alphanumeric):
/// the same as `char::is_alphanumeric`'s tables, in every script a name is
/// likely to be written in.
#[wasm_bindgen_test]
fn mermaid_keeps_letters_and_digits_in_the_browser_as_natively() {
    let ranges = [
        0xa0..0x530,
        0x600..0x700,
        0x900..0x980,
        0x10a0..0x1100,
        0x2000..0x2200,
        0x3000..0x3100,
        0x4e00..0x4e80,
        0xac00..0xac80,
        0xff00..0xff70,
        0x1d400..0x1d480,
    ];
    let title: String = ranges
        .into_iter()
        .flatten()
        .filter_map(char::from_u32)
        .filter(|c| !c.is_control())
        .collect();
    let mut expected = String::new();
    for c in title.chars() {
        if c.is_alphanumeric() {
            expected.push(c);
        } else {
            expected.push_str(&format!("#{};", c as u32));
        }
    }
    let mut t = Topology::new();
    t.title = Some(title);
    let out = dpm_rules::to_mermaid(&t);
    assert_eq!(
        out.lines().nth(1),
        Some(format!("  %% {expected}").as_str())
    );
}

/// The pointer's arithmetic (canvas/pointer.rs): a pinch zooms by the
/// change of spread about the touches' centre; a move starts after 3
/// screen pixels and snaps to the grid; a box selects what is inside.
#[wasm_bindgen_test]
fn pointer_arithmetic_pinch_move_and_box() {
    use dpm_rules::{Point, ServerId, GRID};
    use dpm_sketch::canvas::pointer::{boxed, drag_delta, dragged_to, pinch, shifted, spread};
    let (a, b) = ((1, 0.0, 0.0), (2, 30.0, 40.0));
    assert_eq!(spread(a, b), 50.0);
    assert_eq!(spread(a, a), 1.0);
    assert_eq!(pinch(25.0, a, b), (2.0, 15.0, 20.0));
    let o = Point { x: 0.0, y: 0.0 };
    assert_eq!(drag_delta(o, Point { x: 1.0, y: 1.0 }, 1.0, false), None);
    assert_eq!(
        drag_delta(o, Point { x: 1.0, y: 1.0 }, 1.0, true),
        Some((1.0, 1.0))
    );
    assert_eq!(
        drag_delta(o, Point { x: 1.0, y: 1.0 }, 2.0, false),
        Some((1.0, 1.0))
    );
    let p = dragged_to(Point { x: 10.0, y: 10.0 }, (3.0, 44.0), true);
    assert_eq!(
        p,
        Point {
            x: GRID,
            y: 3.0 * GRID
        }
    );
    let q = dragged_to(Point { x: 10.0, y: 10.0 }, (1.5, 2.0), false);
    assert_eq!(q, Point { x: 11.5, y: 12.0 });
    // The rest of a selection moves as far as the server pressed: off the
    // grid, it stays as far off it, to the 1/100 unit a file keeps.
    let s = Point { x: 10.0, y: 50.0 };
    assert_eq!(
        shifted(Point { x: 13.0, y: 7.0 }, s),
        Point { x: 23.0, y: 57.0 }
    );
    assert_eq!(
        shifted(Point { x: 0.1, y: 0.2 }, Point { x: 0.2, y: 0.1 }),
        Point { x: 0.3, y: 0.3 }
    );
    let at = [
        (ServerId(1), Point { x: 5.0, y: 5.0 }),
        (ServerId(2), Point { x: 50.0, y: 5.0 }),
        (ServerId(3), Point { x: 10.0, y: 10.0 }),
    ];
    let (c0, c1) = (Point { x: 10.0, y: 10.0 }, Point { x: 0.0, y: 0.0 });
    assert_eq!(boxed(c0, c1, &at), vec![ServerId(1), ServerId(3)]);
}

// ---- The far view's rasteriser (canvas/raster.rs) ----

use dpm_sketch::canvas::raster::{colour, Pixels, Rgba};

const INK: [u8; 4] = [40, 80, 120, 255];

#[wasm_bindgen_test]
fn a_box_covers_its_pixels_and_shares_its_edges() {
    let mut px = Pixels::default();
    px.clear(8, 4);
    // From the middle of pixel 1 to the end of pixel 4, rows 1 and 2 whole.
    px.fill_rect((1.5, 1.0), (5.0, 3.0), Rgba::new(INK, 1.0));
    assert_eq!(
        px.at(2, 1).unwrap(),
        INK,
        "a pixel covered whole takes the colour"
    );
    assert_eq!(
        px.at(1, 2).unwrap()[3],
        128,
        "half a pixel covered: half opaque"
    );
    assert_eq!(
        px.at(5, 1).unwrap(),
        [0; 4],
        "a pixel past the edge stays clear"
    );
    assert_eq!(px.at(2, 0).unwrap(), [0; 4]);
    assert_eq!(px.rows(), 1..3, "only the rows painted are counted");
    // Straight again for the canvas: the half-covered pixel has the
    // colour itself, at half alpha.
    let out = px.finish().to_vec();
    let i = (2 * 8 + 1) * 4;
    assert_eq!(&out[i..i + 4], &[40, 80, 120, 128]);
}

#[wasm_bindgen_test]
fn boxes_blend_over_each_other_and_opacity_applies() {
    let mut px = Pixels::default();
    px.clear(2, 1);
    px.fill_rect((0.0, 0.0), (2.0, 1.0), Rgba::new([255, 255, 255, 255], 1.0));
    px.fill_rect((0.0, 0.0), (1.0, 1.0), Rgba::new([0, 0, 0, 255], 0.5));
    assert_eq!(
        px.at(0, 0).unwrap(),
        [128, 128, 128, 255],
        "black at half opacity over white: grey"
    );
    assert_eq!(px.at(1, 0).unwrap(), [255, 255, 255, 255]);
}

#[wasm_bindgen_test]
fn lines_are_as_thick_as_their_width_and_dashes_leave_gaps() {
    let mut px = Pixels::default();
    px.clear(20, 6);
    let ink = Rgba::new(INK, 1.0);
    // A line a pixel wide along row 2, from x 0 to 20, on for 4, off for 4.
    px.line((0.0, 2.5), (20.0, 2.5), 1.0, &[4.0, 4.0], ink);
    assert_eq!(px.at(1, 2).unwrap(), INK);
    assert_eq!(px.at(5, 2).unwrap(), [0; 4], "in a gap of the dash");
    assert_eq!(px.at(9, 2).unwrap(), INK, "on again after the gap");
    assert_eq!(px.at(1, 1).unwrap(), [0; 4], "no thicker than its width");
    // A steep line: one column, covered whole from row 0 to 6.
    px.line((10.5, 0.0), (10.5, 6.0), 1.0, &[], ink);
    assert!((0..6).all(|y| px.at(10, y).unwrap() == INK));
    // Half a pixel wide: half the coverage.
    px.line((15.0, 4.5), (20.0, 4.5), 0.5, &[], ink);
    assert_eq!(px.at(16, 4).unwrap()[3], 128);
    // A frame leaves the inside of the box as it was.
    let mut f = Pixels::default();
    f.clear(10, 10);
    f.frame((2.0, 2.0), (8.0, 8.0), 1.0, &[], ink);
    assert_eq!(
        f.at(2, 5).unwrap()[3],
        128,
        "the edge's pixel holds half of the centred border"
    );
    assert_eq!(f.at(5, 5).unwrap(), [0; 4], "the inside is untouched");
}

#[wasm_bindgen_test]
fn nothing_paints_outside_the_buffer_or_from_bad_numbers() {
    let mut px = Pixels::default();
    px.clear(4, 4);
    let ink = Rgba::new(INK, 1.0);
    px.fill_rect((-100.0, -100.0), (1e9, 0.5), ink);
    px.line((-1e12, 3.5), (1e12, 3.5), 1.0, &[], ink);
    px.line((f64::NAN, 0.0), (3.0, 3.0), 1.0, &[], ink);
    px.line((0.0, 0.0), (3.0, 3.0), 1.0, &[f64::NAN], ink);
    px.frame((1.0, 1.0), (1.0, 1.0), 2.0, &[0.0, 0.0], ink);
    assert_eq!(px.at(2, 3).unwrap(), INK);
    assert_eq!(px.at(4, 0), None, "outside the buffer: no pixel");
    assert_eq!(px.at(2, 0).unwrap()[3], 128);
}

#[wasm_bindgen_test]
fn colours_are_read_as_the_browser_reads_them() {
    let rgba = |c: [u8; 4], alpha: f64| Some(Rgba::new(c, alpha));
    // (CSS text, opacity, the colour painted, why.)
    let cases = [
        (
            "rgb(255, 0, 0)",
            1.0,
            rgba([255, 0, 0, 255], 1.0),
            "rgb() text",
        ),
        (
            "#00ff00",
            0.5,
            rgba([0, 255, 0, 255], 0.5),
            "hex, read by the browser",
        ),
        ("none", 1.0, None, "none paints nothing"),
        (
            "rgba(0, 0, 0, 0)",
            1.0,
            None,
            "a transparent colour paints nothing",
        ),
        (
            "url(#pattern)",
            1.0,
            None,
            "what is not a colour paints nothing",
        ),
        (
            "rgba(10, 20, 30, 0.5)",
            1.0,
            rgba([10, 20, 30, 128], 1.0),
            "rgba() text",
        ),
        (
            "rgb(10 20 30 / 0.5)",
            1.0,
            rgba([10, 20, 30, 128], 1.0),
            "slash syntax",
        ),
        (
            "rgb(10, 20, 30)",
            f64::NAN,
            rgba([10, 20, 30, 255], 0.0),
            "a NaN opacity paints nothing",
        ),
    ];
    for (css, alpha, want, why) in cases {
        assert_eq!(colour(css, alpha), want, "{css}: {why}");
    }
}

#[wasm_bindgen_test]
fn painting_cut_to_an_area_gives_it_a_whole_paintings_pixels_and_leaves_the_rest() {
    use dpm_sketch::canvas::raster::Area;
    // Shapes from a seed: boxes, frames (solid and dashed), lines, and a
    // group laid on at half opacity, overlapping, some half off the buffer.
    let paint = |px: &mut Pixels, one: &mut Pixels, seed: u64| {
        let mut s = seed;
        let mut next = move |m: f64| {
            s = s
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (s >> 33) as f64 / (1u64 << 31) as f64 * m
        };
        let ink = |a: u8| Rgba::new([a, 255 - a, 90, 200], 0.9);
        for i in 0..40u8 {
            let (x, y) = (next(70.0) - 5.0, next(50.0) - 5.0);
            let (w, h) = (next(12.0), next(6.0));
            px.fill_rect((x, y), (x + w, y + h), ink(i.wrapping_mul(7)));
            let dash: &[f64] = if i % 3 == 0 { &[2.0, 1.5] } else { &[] };
            px.frame((x, y), (x + w, y + h), next(2.0), dash, ink(i));
            px.line(
                (x, y),
                (x + next(30.0), y + next(30.0)),
                next(1.5),
                &[],
                ink(i),
            );
        }
        one.clear(px.w, px.h);
        one.clip(px.clipped(), false);
        for _ in 0..10 {
            let (x, y) = (next(60.0), next(40.0));
            one.fill_rect((x, y), (x + 9.0, y + 4.0), Rgba::new(INK, 1.0));
        }
        px.lay(one, 0.5);
    };
    let (w, h) = (64, 48);
    let mut one = Pixels::default();
    let mut whole = Pixels::default();
    whole.clear(w, h);
    paint(&mut whole, &mut one, 1);
    // Another painting, then the area painted again as the first.
    let mut cut = Pixels::default();
    cut.clear(w, h);
    paint(&mut cut, &mut one, 2);
    let other: Vec<Option<[u8; 4]>> = (0..w * h).map(|i| cut.at(i % w, i / w)).collect();
    let area = Area::around((10.5, 7.2), (41.0, 30.6), (w, h));
    cut.clip(Some(area.clone()), true);
    paint(&mut cut, &mut one, 1);
    cut.clip(None, false);
    let (mut inside, mut outside) = (0, 0);
    for y in 0..h {
        for x in 0..w {
            if area.x.contains(&x) && area.y.contains(&y) {
                assert_eq!(
                    cut.at(x, y),
                    whole.at(x, y),
                    "({x}, {y}) in the area: the whole painting's"
                );
                inside += usize::from(whole.at(x, y) != Some([0; 4]));
            } else {
                assert_eq!(
                    cut.at(x, y),
                    other[y * w + x],
                    "({x}, {y}) outside: as it was"
                );
                outside += 1;
            }
        }
    }
    assert!(
        inside > 100 && outside > 1000,
        "the shapes reach the area ({inside} inked there)"
    );
    // Areas meet and join as boxes of pixels.
    let a = Area::around((0.0, 0.0), (4.0, 4.0), (w, h));
    let b = Area::around((3.5, 3.5), (8.0, 8.0), (w, h));
    let far = Area::around((20.0, 20.0), (21.0, 21.0), (w, h));
    assert!(a.meets(&b) && !a.meets(&far));
    assert_eq!(a.join(&far), Area { x: 0..21, y: 0..21 });
}
