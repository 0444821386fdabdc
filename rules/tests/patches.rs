//! Property tests of the differences undo keeps ([`dpm_rules::diff`]): for
//! any drawing and any run of the edits the app makes, the patch turns the
//! drawing before into the drawing after exactly, its inverse brings the
//! one before back exactly, and so on back and forth; and a patch holds
//! what changed, not the drawing.

use dpm_rules::*;
use proptest::prelude::*;
use proptest::sample::select;

/// One edit as the app makes it; numbers pick a server or a protection
/// (modulo how many there are).
#[derive(Clone, Debug)]
enum Op {
    Move(usize, i16, i16),
    Rename(usize, String),
    Fact(usize, u8),
    Add(bool),
    Remove(Vec<usize>),
    Connect(usize, usize),
    Disconnect(usize),
    Switch(usize),
    Title(Option<String>),
    Paste(Vec<usize>),
    Layout,
}

fn op() -> impl Strategy<Value = Op> {
    let pick = 0usize..40;
    prop_oneof![
        4 => (pick.clone(), -5i16..5, -5i16..5).prop_map(|(i, x, y)| Op::Move(i, x, y)),
        2 => (pick.clone(), "[A-Za-z]{1,3}[0-9]{0,2}").prop_map(|(i, n)| Op::Rename(i, n)),
        3 => (pick.clone(), 0u8..8).prop_map(|(i, f)| Op::Fact(i, f)),
        2 => any::<bool>().prop_map(Op::Add),
        2 => proptest::collection::vec(pick.clone(), 1..4).prop_map(Op::Remove),
        3 => (pick.clone(), pick.clone()).prop_map(|(a, b)| Op::Connect(a, b)),
        2 => pick.clone().prop_map(Op::Disconnect),
        1 => pick.clone().prop_map(Op::Switch),
        1 => proptest::option::of(select(vec!["Estate".to_string(), "DR".to_string()])).prop_map(Op::Title),
        1 => proptest::collection::vec(pick, 1..4).prop_map(Op::Paste),
        1 => Just(Op::Layout),
    ]
}

fn server(t: &Topology, i: usize) -> Option<ServerId> {
    (!t.servers.is_empty()).then(|| t.servers[i % t.servers.len()].id)
}

fn edit(t: &mut Topology, op: &Op) {
    match op {
        Op::Move(i, dx, dy) => {
            if let Some(s) = server(t, *i).and_then(|id| t.server_mut(id)) {
                let p = s.pos.unwrap_or_default();
                s.pos = Some(Point {
                    x: p.x + 20.0 * f64::from(*dx),
                    y: p.y + 20.0 * f64::from(*dy),
                });
            }
        }
        Op::Rename(i, name) => {
            if let Some(id) = server(t, *i) {
                let _ = t.rename(id, name);
            }
        }
        Op::Fact(i, f) => {
            let other = server(t, i + 1);
            if let Some(s) = server(t, *i).and_then(|id| t.server_mut(id)) {
                match f {
                    0 => s.mabs = Some(!s.is_mabs()),
                    1 => s.site = Some("London".into()),
                    2 => s.site = None,
                    3 => s.host = other.filter(|&o| o != s.id),
                    4 => s.database = other.filter(|&o| o != s.id),
                    5 => s.workloads = Some(vec![Workload::Sql, Workload::Files]),
                    6 => s.version = Some(Version::Release(DpmVersion::V2019)),
                    _ => s.replica_set = Some("DAG1".into()),
                }
            }
        }
        Op::Add(dpm) => {
            let kind = if *dpm { Kind::Dpm } else { Kind::Protected };
            let id = t.add_server(t.fresh_name(kind), kind);
            let at = free_place(t, Point { x: 100.0, y: 100.0 }, (0.0, 0.0, 2000.0, 2000.0));
            if let Some(s) = t.server_mut(id) {
                s.pos = Some(at);
            }
        }
        Op::Remove(picks) => {
            let ids: Vec<ServerId> = picks.iter().filter_map(|&i| server(t, i)).collect();
            remove_servers(t, &ids);
        }
        Op::Connect(a, b) => {
            if let (Some(a), Some(b)) = (server(t, *a), server(t, *b)) {
                t.connect(Protection::new(a, b));
            }
        }
        Op::Disconnect(i) => {
            if !t.protections.is_empty() {
                let l = t.protections[i % t.protections.len()].link();
                t.disconnect(l);
            }
        }
        Op::Switch(i) => {
            let n = t.protections.len();
            if n > 0 {
                let p = &mut t.protections[i % n];
                p.switched = !p.switched;
            }
        }
        Op::Title(title) => t.title = title.clone(),
        Op::Paste(picks) => {
            let ids: Vec<ServerId> = picks.iter().filter_map(|&i| server(t, i)).collect();
            let part = extract(t, &ids);
            paste(t, &part, Point { x: 40.0, y: 40.0 });
        }
        Op::Layout => apply_layout(t),
    }
}

/// A drawing to start from: a generated estate, a preset, or one read from
/// a table with its facts.
fn start() -> impl Strategy<Value = Topology> {
    prop_oneof![
        (0usize..30).prop_map(|n| {
            let mut t = generate(n);
            apply_layout(&mut t);
            t
        }),
        select(presets::PRESETS.iter().map(|p| p.id).collect::<Vec<_>>())
            .prop_map(|id| presets::preset(id).unwrap_or_default()),
    ]
}

/// Applies `p` to a copy of `from`, which must give `to`; returns the
/// drawing and the inverse.
fn check_patch(from: &Topology, to: &Topology, p: Patch) -> Result<Patch, TestCaseError> {
    // Every server that differs between the two is one the patch says it
    // touches (what the editor's views of every box look at again).
    let touched: hash::HashSet<ServerId> = p.touched_servers(from).into_iter().collect();
    let by_id = |t: &Topology| -> hash::HashMap<ServerId, Server> {
        t.servers.iter().map(|s| (s.id, s.clone())).collect()
    };
    let (a, b) = (by_id(from), by_id(to));
    for id in a.keys().chain(b.keys()) {
        prop_assert!(
            a.get(id) == b.get(id) || touched.contains(id),
            "server {:?} differs but is not named as touched",
            id
        );
    }
    let mut t = from.clone();
    let back = p.apply(&mut t);
    prop_assert!(
        back.is_some(),
        "the patch fits the drawing it was made from"
    );
    prop_assert_eq!(&t, to);
    Ok(back.unwrap_or_default())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    /// diff then apply gives the drawing after, exactly; the inverse gives
    /// the drawing before; the inverse's inverse the one after again.
    #[test]
    fn a_patch_takes_the_drawing_there_and_back(a in start(), ops in proptest::collection::vec(op(), 1..6)) {
        let mut b = a.clone();
        for o in &ops {
            edit(&mut b, o);
        }
        let p = diff(&a, &b);
        prop_assert_eq!(p.is_empty(), a == b);
        let back = check_patch(&a, &b, p)?;
        let again = check_patch(&b, &a, back)?;
        check_patch(&a, &b, again)?;
    }

    /// A history of single edits, kept as patches as the app keeps it:
    /// undoing every step gives back every drawing on the way, in reverse,
    /// and redoing them all gives each again.
    #[test]
    fn undo_and_redo_through_a_history_of_patches(a in start(), ops in proptest::collection::vec(op(), 1..12)) {
        let mut drawings = vec![a.clone()];
        let mut undo: Vec<Patch> = Vec::new();
        let mut t = a;
        for o in &ops {
            let mut next = t.clone();
            edit(&mut next, o);
            let p = diff(&next, &t);
            if p.is_empty() {
                prop_assert_eq!(&next, &t);
                continue;
            }
            undo.push(p);
            t = next;
            drawings.push(t.clone());
        }
        let mut redo = Vec::new();
        for k in (0..undo.len()).rev() {
            let p = undo.pop().unwrap_or_default();
            redo.push(check_patch(&drawings[k + 1], &drawings[k], p)?);
            t = drawings[k].clone();
        }
        for d in &drawings[1..] {
            let p = redo.pop().unwrap_or_default();
            check_patch(&t, d, p)?;
            t = d.clone();
        }
    }

    /// Two drawings that have nothing to do with each other (opening a
    /// file over the drawing) patch exactly too, both ways.
    #[test]
    fn any_drawing_patches_into_any_other(a in start(), b in start()) {
        let back = check_patch(&a, &b, diff(&a, &b))?;
        check_patch(&b, &a, back)?;
    }
}

/// At 10,000 servers a move, a rename or an added server is one entry of
/// the patch: what undo keeps of it is that server, not the estate.
#[test]
fn one_edit_on_a_large_estate_is_a_small_patch() {
    let mut a = generate(10_000);
    apply_layout(&mut a);
    let mut b = a.clone();
    let id = b.servers[5_000].id;
    b.server_mut(id).unwrap().pos = Some(Point { x: 1.0, y: 2.0 });
    assert_eq!(diff(&a, &b).size(), 1);
    b.rename(id, "Renamed").unwrap();
    assert_eq!(diff(&a, &b).size(), 1);
    let c = b.clone();
    let added = b.add_server("PS-new", Kind::Protected);
    b.connect(Protection::new(b.servers[0].id, added));
    assert_eq!(diff(&c, &b).size(), 2);
    let mut d = b.clone();
    remove_servers(&mut d, &[b.servers[10].id]);
    assert!(diff(&b, &d).size() < 20, "a server and its few protections");
}
