//! Property tests: no panic on any topology or any input text, the file
//! formats round-trip, the pre-check is exactly "add, then check again", and
//! findings do not depend on the order servers were added.

use std::collections::BTreeMap;

use dpm_rules::*;
use proptest::prelude::*;
use proptest::sample::select;

/// A generated server: name, is-DPM, and the facts of RULES.md.
type ServerSpec = (
    String,
    bool,
    Option<DpmVersion>,
    Option<String>,
    Option<bool>,
    Option<VssWriter>,
    Vec<Workload>,
    Estate,
);

/// The facts of real estates for a generated server: indexes name other
/// servers (out of range or self: left out), small pools make shared sites
/// and sets likely.
#[derive(Clone, Debug)]
struct Estate {
    host: Option<usize>,
    site: Option<&'static str>,
    azure: Option<bool>,
    database: Option<usize>,
    database_backup: Option<Vec<BackupMedium>>,
    domain_controller: Option<bool>,
    scale_out: Option<bool>,
    replica_set: Option<&'static str>,
    build: Option<&'static str>,
}

fn estate() -> impl Strategy<Value = Estate> {
    // Each medium once: the readers refuse one listed twice.
    let media = proptest::collection::btree_set(select(BackupMedium::ALL.to_vec()), 0..3)
        .prop_map(|m| m.into_iter().collect::<Vec<_>>());
    (
        (
            proptest::option::weighted(0.2, 0usize..12),
            proptest::option::weighted(0.4, select(vec!["London", "london ", "DR site"])),
            proptest::option::weighted(0.2, any::<bool>()),
            proptest::option::weighted(0.2, 0usize..12),
        ),
        (
            proptest::option::weighted(0.2, media),
            proptest::option::weighted(0.15, any::<bool>()),
            proptest::option::weighted(0.3, any::<bool>()),
            proptest::option::weighted(0.2, select(vec!["DAG1", "AG2"])),
            proptest::option::weighted(
                0.3,
                select(vec![
                    "10.19.379.0",
                    "10.19.458.0",
                    "10.22.123.0",
                    "10.99.1.0",
                    "1807",
                    "2012 SP1",
                ]),
            ),
        ),
    )
        .prop_map(
            |(
                (host, site, azure, database),
                (database_backup, domain_controller, scale_out, replica_set, build),
            )| Estate {
                host,
                site,
                azure,
                database,
                database_backup,
                domain_controller,
                scale_out,
                replica_set,
                build,
            },
        )
}

#[derive(Clone, Debug)]
struct Spec {
    servers: Vec<ServerSpec>,
    edges: Vec<(usize, usize, bool)>,
}

fn name() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => (select(vec!["DS", "PS", "DPM", "Server", "ds", "MABS"]), 0u32..30).prop_map(|(p, n)| format!("{p}{n}")),
        1 => "[A-Za-z0-9][A-Za-z0-9 ,|()\\\\<>&\"'_*#-]{0,12}[A-Za-z0-9]",
    ]
}

fn spec(max: usize) -> impl Strategy<Value = Spec> {
    let server = (
        name(),
        any::<bool>(),
        proptest::option::of(select(DpmVersion::ALL.to_vec())),
        proptest::option::of(select(vec!["UR1".to_string(), "UR2".to_string()])),
        proptest::option::of(any::<bool>()),
        proptest::option::of(select(vec![VssWriter::Running, VssWriter::Stopped])),
        proptest::collection::vec(select(Workload::ALL.to_vec()), 0..3),
        estate(),
    );
    proptest::collection::vec(server, 0..max).prop_flat_map(|servers| {
        let n = servers.len().max(1);
        let edges =
            proptest::collection::vec((0..n, 0..n, proptest::bool::weighted(0.15)), 0..n * 2);
        (Just(servers), edges).prop_map(|(servers, edges)| Spec { servers, edges })
    })
}

/// Builds the topology a user could draw: unique names (the app refuses a
/// taken one; duplicates have their own case), kinds' facts as the app keeps
/// them, switched only where the file format allows it.
fn build(s: &Spec) -> Topology {
    let mut t = Topology::new();
    for (name, dpm, version, rollup, mabs, vss, workloads, _) in &s.servers {
        let mut name = name.clone();
        while t.find(&name).is_some() {
            name.push('x');
        }
        let id = t.add_server(name, if *dpm { Kind::Dpm } else { Kind::Protected });
        let srv = t.server_mut(id).unwrap();
        if *dpm {
            srv.version = version.map(Version::Release);
            srv.rollup = rollup.clone();
            srv.mabs = *mabs;
            srv.vss_writer = *vss;
        } else if !workloads.is_empty() {
            srv.workloads = Some(workloads.clone());
        }
    }
    let ids: Vec<ServerId> = t.servers.iter().map(|s| s.id).collect();
    for (k, spec) in s.servers.iter().enumerate() {
        let e = &spec.7;
        let me = ids[k];
        if let Some(h) = e.host.and_then(|h| ids.get(h).copied()) {
            if refuse_host(&t, me, h).is_none() {
                t.server_mut(me).unwrap().host = Some(h);
            }
        }
        let srv = t.server_mut(me).unwrap();
        srv.site = e.site.map(str::to_string);
        srv.azure = e.azure;
        if srv.kind == Kind::Dpm {
            srv.database = e
                .database
                .and_then(|d| ids.get(d).copied())
                .filter(|&d| d != me);
            srv.database_backup = e.database_backup.clone();
            srv.domain_controller = e.domain_controller;
            if let Some(b) = e.build {
                srv.version = Version::parse(b);
            }
        } else {
            srv.scale_out = e.scale_out;
            srv.replica_set = e.replica_set.map(str::to_string);
        }
    }
    for &(a, b, sw) in &s.edges {
        if a >= ids.len() || b >= ids.len() {
            continue;
        }
        let mut p = Protection::new(ids[a], ids[b]);
        p.switched = sw && t.servers[a].kind == Kind::Dpm && t.servers[b].kind == Kind::Protected;
        t.connect(p);
    }
    t
}

/// A finding in names only, so topologies with other ids compare.
fn normal(t: &Topology, f: &Finding) -> (String, Vec<String>, Vec<String>, String) {
    let mut servers: Vec<String> = f.servers.iter().map(|&id| t.name(id).to_string()).collect();
    servers.sort();
    let mut links: Vec<String> = f
        .protections
        .iter()
        .map(|l| format!("{}->{}", t.name(l.protector), t.name(l.target)))
        .collect();
    links.sort();
    (f.rule.id().to_string(), servers, links, f.message.clone())
}

fn multiset(
    t: &Topology,
    fs: &[Finding],
) -> BTreeMap<(String, Vec<String>, Vec<String>, String), usize> {
    let mut m = BTreeMap::new();
    for f in fs {
        *m.entry(normal(t, f)).or_insert(0) += 1;
    }
    m
}

/// Names from letters with and without accents, written precomposed or
/// as a letter plus a combining mark, with spaces around or not.
fn lookalike_names() -> impl Strategy<Value = (String, String)> {
    let piece = select(vec![
        ("\u{e9}", "e\u{301}"),
        ("\u{c5}", "A\u{30a}"),
        ("\u{212b}", "\u{c5}"),
        ("\u{1e69}", "s\u{323}\u{307}"),
        ("\u{1e69}", "s\u{307}\u{323}"),
        ("\u{f1}", "n\u{303}"),
        ("D", "d"),
        ("S1", "s1"),
        ("-", "-"),
        ("\u{5d0}", "\u{5d0}"),
        ("1", "1\u{200b}"),
        ("x", "\u{ad}x"),
    ]);
    (prop::collection::vec(piece, 1..6), any::<bool>()).prop_map(|(ps, pad)| {
        let a: String = ps.iter().map(|p| p.0).collect();
        let b: String = ps.iter().map(|p| p.1).collect();
        (a, if pad { format!(" {b}  ") } else { b })
    })
}

/// Names of white space of every kind, ASCII and not (and the ASCII
/// separators U+001C to U+001F, which are not white space), letters that
/// fold across scripts, and an accent.
const LOOKALIKE_TEXT: &str =
    "[ \t\n\x0B\x0C\r\x1C\x1D\x1E\x1F\u{85}\u{a0}\u{2000}\u{3000}\u{200b}aAkK\u{212a}1\u{e9}]{0,6}";

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    /// The comparison and the fold that keys maps of names agree on any
    /// text at all (the fuzz target `names` asks the same of libFuzzer).
    #[test]
    fn same_name_is_equal_folds(a in "\\PC{0,8}", b in "\\PC{0,8}", upper in any::<bool>()) {
        // Half the time b is a in upper case, so that equal folds are tried.
        let b = if upper { a.to_uppercase() } else { b };
        prop_assert_eq!(same_name(&a, &b), fold_case(&a) == fold_case(&b));
        prop_assert!(same_name(&a, &a));
    }

    /// Names padded with every kind of white space, ASCII and not, and
    /// the letters that fold across scripts: the comparison agrees with
    /// the fold, and a search among many names (which trims the name
    /// sought once) finds the first that the comparison calls the same.
    #[test]
    fn a_name_sought_among_many_is_found_as_compared(
        names in prop::collection::vec(LOOKALIKE_TEXT, 1..8),
        sought in LOOKALIKE_TEXT,
    ) {
        for n in &names {
            prop_assert_eq!(same_name(n, &sought), fold_case(n) == fold_case(&sought), "{:?} {:?}", n, sought);
        }
        let mut t = Topology::new();
        for n in &names {
            t.servers.push(Server::new(ServerId(t.servers.len() as u32 + 1), n, Kind::Protected));
        }
        let first = t.servers.iter().find(|s| same_name(&s.name, &sought)).map(|s| s.id);
        prop_assert_eq!(t.find(&sought), first);
        // Several sought in one walk: each found as alone.
        let other = names[names.len() / 2].trim_start();
        let each = t.find_each([sought.as_str(), other, "no such server"]);
        prop_assert_eq!(each, [first, t.find(other), t.find("no such server")]);
        let taken = t.servers.iter().find(|s| Some(s.id) != Some(ServerId(1)) && same_name(&s.name, &sought)).map(|s| s.name.clone());
        let refused = match t.check_name(Some(ServerId(1)), &sought) {
            Err(NameError::Taken { by }) => Some(by),
            _ => None,
        };
        // (A name of the wrong form is refused before any is compared.)
        if validate_name_form(&sought).is_ok() {
            prop_assert_eq!(refused, taken);
        }
    }

    /// Two ways of writing the same name are one name everywhere: the
    /// comparison, the fold that keys maps of names, the rename check and
    /// the duplicate-name finding (which hashes names its own way).
    #[test]
    fn a_name_written_two_ways_is_one_name((a, b) in lookalike_names()) {
        prop_assert!(same_name(&a, &b));
        prop_assert_eq!(fold_case(&a), fold_case(&b));
        let mut t = Topology::new();
        t.add_server(&a, Kind::Dpm);
        let taken = matches!(t.check_name(None, &b), Err(NameError::Taken { .. }));
        prop_assert!(taken);
        t.add_server(&b, Kind::Protected);
        let duplicate = check(&t).iter().any(|f| f.rule == Rule::DuplicateName);
        prop_assert!(duplicate);
    }

    #[test]
    fn nothing_panics_on_any_topology(s in spec(10), fail_mask in any::<u16>()) {
        let t = build(&s);
        let findings = check(&t);
        let _ = Summary::of(&findings).status();
        let _ = inventory(&t);
        let _ = layout(&t);
        let _ = to_table(&t);
        let _ = to_mermaid(&t);
        let _ = to_dot(&t);
        let _ = to_svg(&t, &findings, &SvgOptions { list_findings: true, ..SvgOptions::default() });
        let failed: Vec<ServerId> = t.servers.iter().enumerate()
            .filter(|(i, _)| fail_mask & (1 << (i % 16)) != 0)
            .map(|(_, s)| s.id)
            .collect();
        let plan = plan(&t, &failed);
        for a in &plan.affected {
            for o in &a.options {
                let steps = o.steps(&t, &plan.failed);
                prop_assert!(steps.len() >= 2, "{:?}", o.kind);
                prop_assert!(!o.reason.is_empty());
            }
        }
    }

    #[test]
    fn layout_never_overlaps(s in spec(40)) {
        let t = build(&s);
        let p: Vec<Point> = layout(&t).into_iter().map(|(_, p)| p).collect();
        for i in 0..p.len() {
            for j in i + 1..p.len() {
                prop_assert!((p[i].x - p[j].x).abs() >= NODE_W || (p[i].y - p[j].y).abs() >= NODE_H);
            }
        }
    }

    /// Dragged positions are any float; files keep them to 1/100 pixel, so
    /// reading back is within half of that and writing again is the same text.
    #[test]
    fn positions_are_kept_to_a_hundredth_of_a_pixel(
        xs in proptest::collection::vec((-1.0e7..1.0e7f64, -1.0e7..1.0e7f64), 1..8),
    ) {
        let mut t = Topology::new();
        for (i, (x, y)) in xs.iter().enumerate() {
            let id = t.add_server(format!("S{i}"), Kind::Protected);
            t.server_mut(id).unwrap().pos = Some(Point { x: *x, y: *y });
        }
        let text = to_json(&t);
        let back = from_json(&text).unwrap();
        for (s, (x, y)) in back.servers.iter().zip(&xs) {
            let p = s.pos.unwrap();
            prop_assert!((p.x - x).abs() <= 0.005 + 1e-9 && (p.y - y).abs() <= 0.005 + 1e-9, "{:?} vs {} {}", p, x, y);
        }
        prop_assert_eq!(to_json(&back), text);
    }

    #[test]
    fn json_round_trips(s in spec(10)) {
        let mut t = build(&s);
        apply_layout(&mut t);
        t.title = Some("A \"title\" <b>".into());
        let text = to_json(&t);
        let back = from_json(&text).unwrap();
        prop_assert_eq!(&back, &t);
        prop_assert_eq!(to_json(&back), text);
    }

    #[test]
    fn table_round_trips_what_it_can_say(s in spec(10)) {
        // The table speaks of DPM servers' protection: drop what it cannot
        // say (a protected server that protects, a name with surrounding
        // spaces, switched protection) and it is a fixpoint.
        let mut t = build(&s);
        let not_dpm: Vec<ServerId> = t.servers.iter().filter(|s| s.kind != Kind::Dpm).map(|s| s.id).collect();
        t.protections.retain(|p| !not_dpm.contains(&p.protector));
        let table = to_table(&t);
        if table_rows(&t).is_empty() {
            // No DPM server: a table with no rows, which import refuses.
            prop_assert!(from_table(&table).is_err());
            return Ok(());
        }
        let back = from_table(&table).unwrap();
        prop_assert_eq!(to_table(&back), table);
        for row in table_rows(&t) {
            let name = t.name(row.server);
            prop_assert!(back.find(name).is_some(), "{} lost", name);
        }
    }

    #[test]
    fn precheck_is_add_then_check(s in spec(9), switched in any::<bool>()) {
        let t = build(&s);
        let checker = Checker::new(&t);
        let before = multiset(&t, checker.findings());
        // Told the findings (as the editor tells them), the same answers.
        let told = Checker::with_findings(&t, check(&t));
        for a in &t.servers {
            for b in &t.servers {
                let mut p = Protection::new(a.id, b.id);
                p.switched = switched && a.kind == Kind::Dpm && b.kind == Kind::Protected;
                let pre = checker.precheck(p);
                prop_assert_eq!(&told.precheck(p), &pre, "told the findings, adding {}->{}", a.name, b.name);
                let mut after_t = t.clone();
                let mut expected = BTreeMap::new();
                if after_t.connect(p) {
                    for (k, n) in multiset(&after_t, &check(&after_t)) {
                        let had = before.get(&k).copied().unwrap_or(0);
                        if n > had {
                            expected.insert(k, n - had);
                        }
                    }
                }
                prop_assert_eq!(multiset(&after_t, &pre), expected, "adding {}->{}", a.name, b.name);
            }
        }
    }

    #[test]
    fn findings_do_not_depend_on_order(s in spec(10), seed in any::<u64>()) {
        // Names and protections made unique first, so that the shuffle
        // cannot change which of two repeats is kept.
        let mut s = s;
        let mut names: Vec<String> = Vec::new();
        for srv in &mut s.servers {
            while names.iter().any(|n| same_name(n, &srv.0)) {
                srv.0.push('x');
            }
            names.push(srv.0.clone());
        }
        let mut seen = std::collections::HashSet::new();
        s.edges.retain(|e| seen.insert((e.0, e.1)));
        let t = build(&s);
        let mut shuffled = s.clone();
        // A deterministic shuffle of servers, edges remapped.
        let n = shuffled.servers.len();
        let mut order: Vec<usize> = (0..n).collect();
        let mut x = seed | 1;
        for i in (1..n).rev() {
            x ^= x << 13; x ^= x >> 7; x ^= x << 17;
            order.swap(i, (x % (i as u64 + 1)) as usize);
        }
        let inverse: Vec<usize> = {
            let mut v = vec![0; n];
            for (new, &old) in order.iter().enumerate() { v[old] = new; }
            v
        };
        shuffled.servers = order.iter().map(|&i| {
            let mut srv = s.servers[i].clone();
            let remap = |k: Option<usize>| k.and_then(|k| inverse.get(k).copied());
            srv.7.host = remap(srv.7.host);
            srv.7.database = remap(srv.7.database);
            srv
        }).collect();
        // Protections keep the order they were made in: protected-twice
        // reads it (DPM refuses the one made second).
        shuffled.edges = s.edges.iter().filter(|e| e.0 < n && e.1 < n).map(|&(a, b, sw)| (inverse[a], inverse[b], sw)).collect();
        let u = build(&shuffled);
        // Same protections, by name (connect drops repeats either way), and
        // the same hosts (of a cycle, the order decides which link is dropped).
        prop_assume!(u.protections.len() == t.protections.len());
        let hosts = |t: &Topology| {
            let mut v: Vec<(String, String)> = t.servers.iter()
                .filter_map(|s| s.host.map(|h| (s.name.clone(), t.name(h).to_string())))
                .collect();
            v.sort();
            v
        };
        prop_assume!(hosts(&t) == hosts(&u));
        prop_assert_eq!(multiset(&t, &check(&t)), multiset(&u, &check(&u)));

        // Made in the opposite order, the same findings but for which
        // protection protected-twice says DPM would refuse.
        let mut reversed = s.clone();
        reversed.edges.reverse();
        let r = build(&reversed);
        prop_assume!(r.protections.len() == t.protections.len() && hosts(&r) == hosts(&t));
        let but_order = |t: &Topology| {
            let mut v: Vec<_> = check(t)
                .iter()
                .map(|f| {
                    let mut n = normal(t, f);
                    if f.rule == Rule::ProtectedTwice {
                        n.3.clear();
                    }
                    n
                })
                .collect();
            v.sort();
            v
        };
        prop_assert_eq!(but_order(&t), but_order(&r));
    }

    #[test]
    fn no_panic_on_any_text(text in "\\PC{0,400}") {
        let _ = read(&text);
        let _ = from_json(&text);
        let _ = from_table(&text);
    }

    #[test]
    fn no_panic_on_json_like_text(text in "[{}\\[\\]\":,a-z0-9 \\n|\\\\-]{0,300}") {
        let _ = read(&text);
        let _ = read(&format!("{{\"format\":\"dpm-sketch/1\",{text}"));
        let _ = read(&format!("|Server|Protecting|Protected by|\n|---|---|---|\n{text}"));
    }

    /// Tab-separated and CSV tables: quotes, separators and line breaks in
    /// any order never panic, and a table read is one the checks can take.
    #[test]
    fn no_panic_on_tsv_or_csv_like_text(text in "[\"\t,\r\n ()a-cD-F1-3\\-]{0,300}", bom in any::<bool>()) {
        for header in ["Server\tProtecting\tProtected by\n", "Server,Protecting,Protected by\r\n"] {
            let input = format!("{}{header}{text}", if bom { "\u{feff}" } else { "" });
            if let Ok(t) = read(&input) {
                let _ = check(&t);
                prop_assert!(!t.servers.is_empty());
            }
            let _ = from_table(&input);
        }
    }

    /// A share link holds exactly what the scenario file holds.
    #[test]
    fn share_links_hold_what_files_hold(s in spec(12), title in proptest::option::of("\\PC{0,20}")) {
        let mut t = build(&s);
        apply_layout(&mut t);
        if let Some(first) = t.servers.first_mut() {
            first.pos = Some(Point { x: -12.345, y: 9_999_999.999 });
        }
        t.title = title;
        let via_file = from_json(&to_json(&t)).unwrap();
        let via_link = from_share(&to_share(&t)).unwrap();
        prop_assert_eq!(via_link, via_file);
    }

    /// Links people mangle: anything after `#s=` is refused or read, never a
    /// panic; a link with one character changed is never read as a scenario.
    #[test]
    fn damaged_links_are_refused(s in spec(8), junk in "[A-Za-z0-9_=*-]{0,60}", at in any::<usize>(), c in "[A-Za-z0-9_-]") {
        let _ = from_share(&junk);
        let _ = read(&format!("#s={junk}"));
        let link = to_share(&build(&s));
        let k = at % link.len();
        prop_assume!(link[k..k + 1] != c);
        let changed = format!("{}{}{}", &link[..k], c, &link[k + 1..]);
        // Changing the last character may only touch padding bits.
        if k + 1 < link.len() {
            prop_assert!(from_share(&changed).is_err(), "{} read as a scenario", changed);
        }
    }
}

/// A forest as estates are drawn: DPM servers in chains and trees (each
/// with at most one DPM protector, above it), protected servers each with
/// at most one protector, which may sit any number of layers up (Scenario
/// 2's DS3 protects PS4 across two layers).
fn forest(max_dpm: usize, max_protected: usize) -> impl Strategy<Value = Topology> {
    (1..=max_dpm, 0..=max_protected).prop_flat_map(|(d, p)| {
        let dpm_parent = proptest::collection::vec(proptest::option::weighted(0.8, 0..d), d);
        let protected_parent = proptest::collection::vec(proptest::option::weighted(0.95, 0..d), p);
        (dpm_parent, protected_parent).prop_map(move |(dp, pp)| {
            let mut t = Topology::new();
            let ds: Vec<ServerId> = (0..d)
                .map(|k| t.add_server(format!("DS{}", k + 1), Kind::Dpm))
                .collect();
            for (k, parent) in dp.iter().enumerate() {
                // Only a server added later protects an earlier one: no cycles.
                if let Some(q) = parent.filter(|&q| q > k) {
                    t.connect(Protection::new(ds[q], ds[k]));
                }
            }
            for (k, parent) in pp.iter().enumerate() {
                let ps = t.add_server(format!("PS{}", k + 1), Kind::Protected);
                if let Some(q) = parent {
                    t.connect(Protection::new(ds[*q], ps));
                }
            }
            apply_layout(&mut t);
            t
        })
    })
}

#[test]
fn no_preset_draws_an_arrow_under_a_server() {
    for p in presets::PRESETS {
        let t = presets::preset(p.id).unwrap();
        let under = layout_crossings(&t);
        assert!(under.is_empty(), "{}: {:?}", p.id, under);
        let mut laid = t.clone();
        apply_layout(&mut laid);
        let under = layout_crossings(&laid);
        assert!(under.is_empty(), "{} after auto-layout: {:?}", p.id, under);
    }
}

#[test]
fn generated_topologies_whose_layers_fit_one_row_draw_no_arrow_under_a_server() {
    // generate(n) puts about 8 protected servers under each primary; the
    // bottom layer fits one row (a layer wider than max(10, 2 sqrt n) puts
    // the drawing in bands) up to n = 11. Wider estates, whose plain
    // arrows may cross servers that routing then goes around: see
    // layout.rs.
    for n in 1..=11 {
        let mut t = generate(n);
        apply_layout(&mut t);
        let under = layout_crossings(&t);
        assert!(under.is_empty(), "generate({n}): {under:?}");
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// An option's steps copy the drawing only from the first step that
    /// changes it: the failure itself shows the drawing as planned, a step
    /// after a change never falls back to it, and the last step's drawing
    /// is the option's result.
    #[test]
    fn an_options_steps_copy_the_drawing_only_once_it_changes(s in spec(10), picks in proptest::collection::vec(0usize..10, 1..3)) {
        let t = build(&s);
        prop_assume!(!t.servers.is_empty());
        let failed: Vec<ServerId> = picks.iter().map(|&k| t.servers[k % t.servers.len()].id).collect();
        let p = plan(&t, &failed);
        for o in p.affected.iter().flat_map(|a| &a.options) {
            let steps = o.steps(&t, &p.failed);
            prop_assert!(steps.first().is_some_and(|f| f.topology.is_none()), "{}: the failure's step has a copy", o.kind.id());
            let first_copy = steps.iter().position(|x| x.topology.is_some()).unwrap_or(steps.len());
            prop_assert!(steps[first_copy..].iter().all(|x| x.topology.is_some()), "{}: a step after a change has no copy", o.kind.id());
            let last = steps.last().map(|x| x.drawing(&t).clone());
            prop_assert_eq!(Some(o.result(&t, &p.failed)), last);
            if !o.supported {
                prop_assert!(steps.iter().all(|x| x.topology.is_none()), "{}: an option not supported changes nothing", o.kind.id());
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// Wherever no layer wraps, the layered layout never draws an arrow
    /// under a server it does not connect.
    #[test]
    fn laid_out_forests_draw_no_arrow_under_a_server(t in forest(9, 10)) {
        let under = layout_crossings(&t);
        prop_assert!(
            under.is_empty(),
            "{:?}\n{}",
            under.iter().map(|(l, s)| format!("{}->{} under {}", t.name(l.protector), t.name(l.target), t.name(*s))).collect::<Vec<_>>(),
            to_table(&t)
        );
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// With any servers failed, no recovery option goes through a failed
    /// server, and every affected server with nothing to offer says why.
    #[test]
    fn no_option_goes_through_a_failed_server(s in spec(12), picks in proptest::collection::vec(0usize..12, 1..4)) {
        let t = build(&s);
        prop_assume!(!t.servers.is_empty());
        let failed: Vec<ServerId> = picks.iter().map(|&k| t.servers[k % t.servers.len()].id).collect();
        let p = plan(&t, &failed);
        for a in &p.affected {
            for o in &a.options {
                if let Some(via) = o.via.as_deref().and_then(|v| t.find(v)) {
                    prop_assert!(!p.failed.contains(&via), "{} offered via failed {}", o.kind.id(), t.name(via));
                }
                // Nor any server of a grouped option.
                for &m in o.among.iter().flat_map(|m| m.iter()) {
                    prop_assert!(!p.failed.contains(&m), "{} grouped with failed {}", o.kind.id(), t.name(m));
                    prop_assert!(o.through(&t, m).is_some());
                }
            }
            prop_assert!(!a.options.is_empty() || !a.notes.is_empty(), "{} has neither options nor a note", t.name(a.server));
        }
    }
}

/// A chain Server16 → DPM17 → ds2 → ds12 (each DPM server protecting the
/// next) with ds12, ds2 and DPM17 failed: DPM17 is rebuilt from Server16,
/// then ds2 from DPM17, but no copy of ds12's database survives (ds2 and
/// DPM17 held it, both failed, and Server16 holds DPM17's and ds2's only),
/// so nothing rebuilds ds12 from it and nothing brings back data the plan
/// calls lost.
#[test]
fn recovery_in_order_brings_back_nothing_lost() {
    let mut t = Topology::new();
    let ids: Vec<ServerId> = ["Server16", "ds12", "ds2", "DPM17"]
        .iter()
        .map(|n| t.add_server(*n, Kind::Dpm))
        .collect();
    for (a, b) in [(3, 2), (2, 1), (0, 3)] {
        t.connect(Protection::new(ids[a], ids[b]));
    }
    let p = plan(&t, &[ids[1], ids[2], ids[3]]);
    let steps: Vec<String> = p
        .order
        .iter()
        .map(|o| format!("{} {}", o.kind.id(), t.name(o.server)))
        .collect();
    assert!(!p.order.is_empty(), "recovery in order is needed");
    for o in &p.order {
        for d in &o.back {
            assert!(
                !p.lost.contains(d),
                "{} comes back with {} though no copy survives; steps {steps:?}",
                d.label(&t),
                t.name(o.server)
            );
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// Recovery in order never goes through a server still down at that
    /// step, recovers each failed server once, and leaves down only what it
    /// could not recover.
    #[test]
    fn recovery_in_order_goes_only_through_servers_that_are_up(s in spec(12), picks in proptest::collection::vec(0usize..12, 2..5)) {
        let t = build(&s);
        prop_assume!(!t.servers.is_empty());
        let failed: Vec<ServerId> = picks.iter().map(|&k| t.servers[k % t.servers.len()].id).collect();
        let p = plan(&t, &failed);
        let mut down = p.failed.clone();
        // DPM servers stopped by their database server are not failed, but
        // nothing goes through them until their database is restored.
        let mut stopped: Vec<ServerId> = p.also_down.iter()
            .filter(|a| a.how == DownHow::Database)
            .map(|a| a.server)
            .collect();
        for o in &p.order {
            let was_stopped = stopped.contains(&o.server);
            prop_assert!(down.contains(&o.server) || was_stopped, "{} was not down", t.name(o.server));
            if let Some(via) = o.via {
                prop_assert!(!down.contains(&via), "{} restored from {} while it is down", t.name(o.server), t.name(via));
                prop_assert!(via == o.server || !stopped.contains(&via), "{} restored through {} while it is stopped; order: {:?}; also down: {:?}", t.name(o.server), t.name(via),
                    p.order.iter().map(|o| format!("{} {} via {:?}", o.kind.id(), t.name(o.server), o.via.map(|v| t.name(v)))).collect::<Vec<_>>(),
                    p.also_down.iter().map(|a| a.phrase()).collect::<Vec<_>>());
            }
            // A step may bring back several servers (each a flow's end):
            // after it, down is what was down less those, in order.
            down.retain(|&x| x != o.server && !o.step.flows.iter().any(|f| f.to == x && o.via == Some(f.from)));
            stopped.retain(|&x| x != o.server);
            prop_assert_eq!(&o.step.failed, &down);
            // Restoring and rebuilding in place leaves the drawing as it
            // is: the step shows the drawing itself, not a copy of it.
            prop_assert!(std::ptr::eq(o.step.drawing(&t), &t), "{} step has a drawing of its own", o.kind.id());
        }
    }
}

/// Whether `fixes` and its removal test answer as their definitions do on
/// `t`: for every single point and every protection that could be added
/// (any two servers, switched or not where DPM allows it), whether adding
/// it leaves the point no single point, found from one analysis, is what
/// copying the drawing, adding it and finding the risk again says; and the
/// fixes are the same, in the same order.
fn fast_fixes_match_the_definition(t: &Topology) -> Result<(), String> {
    let r = risk(t);
    let points: Vec<ServerId> = r.single_points.iter().map(|p| p.server).collect();
    let mut candidates: Vec<Protection> = Vec::new();
    for a in &t.servers {
        for b in &t.servers {
            if t.protection(Link {
                protector: a.id,
                target: b.id,
            })
            .is_some()
            {
                continue;
            }
            let p = Protection::new(a.id, b.id);
            candidates.push(p);
            if a.kind == Kind::Dpm && b.kind == Kind::Protected {
                candidates.push(Protection {
                    switched: true,
                    ..p
                });
            }
        }
    }
    let fast = removes_each(t, &points, &candidates);
    let pairs = points
        .iter()
        .flat_map(|&x| candidates.iter().map(move |&p| (x, p)));
    for ((x, p), fast) in pairs.zip(fast) {
        if fast != removes_by_definition(t, x, p) {
            return Err(format!(
                "adding {}->{}{} to {}: whether it removes {} as a single point: fast {}, by definition {}",
                t.name(p.protector),
                t.name(p.target),
                if p.switched { " (switched)" } else { "" },
                t.title.as_deref().unwrap_or("the drawing"),
                t.name(x),
                fast,
                !fast
            ));
        }
    }
    if fixes(t, &r) != fixes_by_definition(t, &r) {
        return Err(format!("the fixes differ:\n{}", to_table(t)));
    }
    // One analysis for the risk and the first fixes: the same answers.
    for n in [0, 1, 2, usize::MAX] {
        let head = Risk {
            single_points: r.single_points.iter().take(n).cloned().collect(),
            under_two_copies: Vec::new(),
        };
        if risk_and_fixes(t, n) != (r.clone(), fixes(t, &head)) {
            return Err(format!(
                "risk and its first {n} fixes at once differ:\n{}",
                to_table(t)
            ));
        }
    }
    Ok(())
}

/// The generated estates the probes open (hosts, database servers, sites
/// and the plain ones): the risk and its first fixes from one analysis are
/// `risk` and `fixes` of those points.
#[test]
fn risk_and_fixes_at_once_on_generated_estates() {
    for t in [generate(3_000), generate_estate(2_000)] {
        let r = risk(&t);
        let head = Risk {
            single_points: r.single_points.iter().take(12).cloned().collect(),
            under_two_copies: Vec::new(),
        };
        let (r2, f2) = risk_and_fixes(&t, 12);
        assert_eq!(r2, r);
        let f = fixes(&t, &head);
        assert!(!f.is_empty(), "the estate has fixes to compare");
        assert_eq!(f2, f);
    }
}

/// Every scenario of the crate's tests, the app's scenarios and the
/// seeds: the fast fixes are the fixes by definition.
#[test]
fn fast_fixes_match_the_definition_on_every_scenario() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut n = 0;
    for dir in ["tests/cases", "../scenarios", "tests/seeds"] {
        let Ok(entries) = std::fs::read_dir(root.join(dir)) else {
            continue;
        };
        for e in entries.flatten() {
            let path = e.path();
            let name = path.to_string_lossy().to_string();
            if !(name.ends_with(".json") || name.ends_with(".md")) {
                continue;
            }
            let Ok(t) = read(&std::fs::read_to_string(&path).unwrap_or_default()) else {
                continue;
            };
            if let Err(e) = fast_fixes_match_the_definition(&t) {
                panic!("{name}: {e}");
            }
            n += 1;
        }
    }
    assert!(n >= 40, "only {n} scenarios read");
    // And generated estates, hosts, remote databases and media in.
    for n in [20, 45] {
        fast_fixes_match_the_definition(&generate_estate(n)).unwrap();
        fast_fixes_match_the_definition(&generate(n)).unwrap();
    }
}

/// `t` with every id `k` made `5k + 100,000` (in protections, hosts and
/// databases too): ids in the same order, but too far beyond the servers'
/// count for the indexes to keep an array by id, as many deletes leave
/// them in the editor.
fn renumbered(t: &Topology) -> Topology {
    let far = |id: ServerId| ServerId(id.0 * 5 + 100_000);
    let mut u = t.clone();
    for s in &mut u.servers {
        s.id = far(s.id);
        s.host = s.host.map(far);
        s.database = s.database.map(far);
    }
    for p in &mut u.protections {
        (p.protector, p.target) = (far(p.protector), far(p.target));
    }
    u
}

/// Every `ServerId(k)` of a `Debug` text written as [`renumbered`]'s
/// `ServerId((k - 100,000) / 5)`.
fn ids_back(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(i) = rest.find("ServerId(") {
        out.push_str(&rest[..i + 9]);
        rest = &rest[i + 9..];
        let digits = rest.len() - rest.trim_start_matches(|c: char| c.is_ascii_digit()).len();
        let k: u32 = rest[..digits].parse().expect("a ServerId's number");
        let k = k
            .checked_sub(100_000)
            .filter(|d| d % 5 == 0)
            .expect("an id not from the drawing");
        out.push_str(&(k / 5).to_string());
        rest = &rest[digits..];
    }
    out.push_str(rest);
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(100))]

    /// The answers do not depend on whether the servers' ids allow the
    /// indexes an array by id: the risk, the fixes, the findings, the
    /// copy inventory and a failure's plan of a drawing with far ids are
    /// those of the same drawing with its ids as made.
    #[test]
    fn answers_do_not_depend_on_how_far_ids_go(s in spec(10), pick in any::<prop::sample::Index>()) {
        let t = build(&s);
        prop_assume!(!t.servers.is_empty());
        let u = renumbered(&t);
        let r = risk(&t);
        prop_assert_eq!(format!("{r:?}"), ids_back(&format!("{:?}", risk(&u))));
        prop_assert_eq!(
            format!("{:?}", fixes(&t, &r)),
            ids_back(&format!("{:?}", fixes(&u, &risk(&u))))
        );
        for (p, q) in r.single_points.iter().zip(&risk(&u).single_points) {
            prop_assert_eq!(why_no_fix(&t, p), why_no_fix(&u, q));
        }
        prop_assert_eq!(format!("{:?}", check(&t)), ids_back(&format!("{:?}", check(&u))));
        prop_assert_eq!(format!("{:?}", inventory(&t)), ids_back(&format!("{:?}", inventory(&u))));
        let failed = t.servers[pick.index(t.servers.len())].id;
        prop_assert_eq!(
            format!("{:?}", plan(&t, &[failed])),
            ids_back(&format!("{:?}", plan(&u, &[ServerId(failed.0 * 5 + 100_000)])))
        );
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// On any drawing, estate facts included (hosts, remote databases,
    /// replica sets, scale-out servers, media), the fast fixes are the
    /// fixes by definition.
    #[test]
    fn fast_fixes_match_the_definition_on_any_drawing(s in spec(10)) {
        let t = build(&s);
        if let Err(e) = fast_fixes_match_the_definition(&t) {
            prop_assert!(false, "{}\n{}", e, to_table(&t));
        }
    }
}

/// Whether every server `p` offers to protect again is offered through
/// exactly the working DPM servers that a pre-check on the drawing without
/// the failed servers lets protect it without an error, in name order: the
/// planner answers servers of one class with one shared list, and this is
/// the definition it must keep to.
fn reprotect_groups_match_the_precheck(t: &Topology, p: &Plan) -> Result<(), String> {
    reprotect_matches(t, p, &[])
}

/// [`reprotect_groups_match_the_precheck`], and for each of `expected`
/// (servers that must be offered protection again) even when nothing is
/// offered: an empty offer where the pre-check allows some is wrong too.
fn reprotect_matches(t: &Topology, p: &Plan, expected: &[ServerId]) -> Result<(), String> {
    let mut survivors = t.clone();
    survivors.servers.retain(|s| !p.failed.contains(&s.id));
    survivors
        .protections
        .retain(|l| !p.failed.contains(&l.protector) && !p.failed.contains(&l.target));
    let stopped: Vec<ServerId> = p
        .also_down
        .iter()
        .filter(|a| a.how == DownHow::Database)
        .map(|a| a.server)
        .collect();
    let checker = Checker::new(&survivors);
    // Per server and failed protector it replaces: a server protected
    // through two failed servers is offered protection again for each.
    let mut offers: BTreeMap<(ServerId, ServerId), Vec<ServerId>> = BTreeMap::new();
    for a in &p.affected {
        for o in &a.options {
            let Action::Reprotect { server, failed, by } = o.action else {
                continue;
            };
            let through: Vec<ServerId> = match &o.among {
                Some(among) => among.to_vec(),
                None => vec![by],
            };
            offers.entry((server, failed)).or_default().extend(through);
        }
    }
    let mut asked: Vec<(ServerId, Vec<ServerId>)> =
        offers.into_iter().map(|((x, _), o)| (x, o)).collect();
    for &x in expected {
        if !asked.iter().any(|(y, _)| *y == x) {
            asked.push((x, Vec::new()));
        }
    }
    for (x, offered) in asked {
        let mut allowed: Vec<ServerId> = survivors
            .servers
            .iter()
            .filter(|s| s.kind == Kind::Dpm && s.id != x && !stopped.contains(&s.id))
            .map(|s| s.id)
            .filter(|&n| {
                checker
                    .precheck(Protection::new(n, x))
                    .iter()
                    .all(|f| f.severity() != Severity::Error)
            })
            .collect();
        survivors.sort_by_name(&mut allowed);
        if offered != allowed {
            let names = |ids: &[ServerId]| ids.iter().map(|&id| t.name(id)).collect::<Vec<_>>();
            return Err(format!(
                "{} offered through {:?}, the pre-check allows {:?}",
                t.name(x),
                names(&offered),
                names(&allowed)
            ));
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(600))]

    /// With any servers or a site failed, each server to protect again is
    /// offered through the DPM servers the pre-check allows, no more, no
    /// fewer (servers of a class share one answer).
    #[test]
    fn protecting_again_offers_what_the_precheck_allows(
        s in spec(14),
        picks in proptest::collection::vec(0usize..14, 1..4),
        site in proptest::option::of(select(vec!["London", "DR site"])),
    ) {
        let t = build(&s);
        prop_assume!(!t.servers.is_empty());
        let failed: Vec<ServerId> = picks.iter().map(|&k| t.servers[k % t.servers.len()].id).collect();
        let sites: Vec<&str> = site.into_iter().collect();
        let p = plan_outage(&t, &failed, &sites);
        prop_assert!(reprotect_groups_match_the_precheck(&t, &p).is_ok(), "{}", reprotect_groups_match_the_precheck(&t, &p).unwrap_err());
    }
}

/// The same on a generated estate whose site failure leaves hundreds of
/// servers to protect again, each with the same hundred candidates.
#[test]
fn a_site_failure_offers_what_the_precheck_allows() {
    let t = generate_estate(4000);
    let p = plan_outage(&t, &[], &["Site 1"]);
    let grouped = p
        .affected
        .iter()
        .flat_map(|a| &a.options)
        .filter(|o| o.kind == OptionKind::Reprotect && o.among.is_some())
        .count();
    assert!(grouped > 1000, "{grouped} grouped options");
    reprotect_groups_match_the_precheck(&t, &p).unwrap();
}

/// What random drawings rarely meet: two servers to protect again that
/// differ only in being in Azure (an Azure DPM server may protect one of
/// them only), and two DPM servers losing their secondary where one
/// protects a server that a third protects too (that third taking it
/// would be a chain shortcut; the server protected twice is an error
/// already).
#[test]
fn servers_alike_but_for_one_fact_get_their_own_answers() {
    let mut t = Topology::new();
    let f = t.add_server("DS1", Kind::Dpm);
    let azure_dpm = t.add_server("DS2", Kind::Dpm);
    t.server_mut(azure_dpm).unwrap().azure = Some(true);
    t.add_server("DS3", Kind::Dpm);
    let in_azure = t.add_server("PS1", Kind::Protected);
    t.server_mut(in_azure).unwrap().azure = Some(true);
    let on_premises = t.add_server("PS2", Kind::Protected);
    t.connect(Protection::new(f, in_azure));
    t.connect(Protection::new(f, on_premises));
    let p = plan(&t, &[f]);
    reprotect_groups_match_the_precheck(&t, &p).unwrap();
    let through = |p: &Plan, x: ServerId| -> Vec<String> {
        p.affected
            .iter()
            .filter(|a| a.server == x)
            .flat_map(|a| &a.options)
            .filter(|o| o.kind == OptionKind::Reprotect)
            .filter_map(|o| o.via.clone())
            .collect()
    };
    assert_eq!(through(&p, in_azure), ["DS2", "DS3"]);
    assert_eq!(through(&p, on_premises), ["DS3"]);

    let mut t = Topology::new();
    let f = t.add_server("DS1", Kind::Dpm);
    let a = t.add_server("DS2", Kind::Dpm);
    let third = t.add_server("DS3", Kind::Dpm);
    let b = t.add_server("DS4", Kind::Dpm);
    let shared = t.add_server("PS1", Kind::Protected);
    let own = t.add_server("PS2", Kind::Protected);
    t.connect(Protection::new(f, a));
    t.connect(Protection::new(f, b));
    t.connect(Protection::new(a, shared));
    t.connect(Protection::new(third, shared));
    t.connect(Protection::new(b, own));
    let p = plan(&t, &[f]);
    reprotect_groups_match_the_precheck(&t, &p).unwrap();
    assert_eq!(
        through(&p, a),
        ["DS4"],
        "DS3 would shortcut the chain to PS1"
    );
    assert_eq!(through(&p, b), ["DS2", "DS3"]);
}

/// Two DPM servers that lose their secondary DS0 and differ in one fact
/// the error rules read of a target (or in nothing, and in their names
/// beside a run of servers that state no version): each is offered what
/// the pre-check allows it, whichever of them the planner asks first.
#[test]
fn dpm_servers_alike_but_for_one_fact_get_their_own_answers() {
    type Fact = fn(&mut Server, bool);
    let facts: [(&str, Fact); 5] = [
        ("VSS Writer", |s, a| {
            s.vss_writer = Some(if a {
                VssWriter::Stopped
            } else {
                VssWriter::Running
            })
        }),
        ("Azure Backup Server", |s, a| s.mabs = Some(a)),
        ("version", |s, a| {
            s.version = Some(Version::Release(if a {
                DpmVersion::V2022
            } else {
                DpmVersion::V2019
            }))
        }),
        ("rollup", |s, a| {
            s.rollup = Some(if a { "UR1" } else { "UR2" }.to_string())
        }),
        ("none, but the name beside a run", |s, _| {
            s.version = Some(Version::Release(DpmVersion::V2019))
        }),
    ];
    for (fact, set) in facts {
        for second_asked_first in [false, true] {
            let mut t = Topology::new();
            let f = t.add_server("DS0", Kind::Dpm);
            let x1 = t.add_server("DS1", Kind::Dpm);
            let known = t.add_server("DS2", Kind::Dpm);
            let other = t.add_server("DS3", Kind::Dpm);
            let run = t.add_server("DS5", Kind::Dpm);
            let plain = t.add_server("DS6", Kind::Dpm);
            let x2 = t.add_server("DS9", Kind::Dpm);
            set(t.server_mut(x1).unwrap(), true);
            set(t.server_mut(x2).unwrap(), false);
            set(t.server_mut(plain).unwrap(), false);
            // DS5 states nothing and joins DS2 (2019, UR2) and DS3 (2022,
            // UR1): it faces both values already.
            for (id, v, r) in [
                (known, DpmVersion::V2019, "UR2"),
                (other, DpmVersion::V2022, "UR1"),
            ] {
                let s = t.server_mut(id).unwrap();
                s.version = Some(Version::Release(v));
                s.rollup = Some(r.to_string());
            }
            t.connect(Protection::new(run, known));
            t.connect(Protection::new(run, other));
            let failed = if second_asked_first {
                // DS8, failing too, protected DS9 and is asked about first.
                let g = t.add_server("DS8", Kind::Dpm);
                t.connect(Protection::new(g, x2));
                t.connect(Protection::new(f, x1));
                vec![g, f]
            } else {
                t.connect(Protection::new(f, x1));
                t.connect(Protection::new(f, x2));
                vec![f]
            };
            let p = plan(&t, &failed);
            if let Err(e) = reprotect_matches(&t, &p, &[x1, x2]) {
                panic!("{fact} (DS9 asked first: {second_asked_first}): {e}");
            }
        }
    }
}

/// A working DPM server whose name differs from a failed one's only by
/// case (the drawing has a `duplicate-name` error already) is offered:
/// options are dropped by the server they go through, not by its name.
#[test]
fn a_lookalike_of_a_failed_server_is_still_offered() {
    let mut t = Topology::new();
    let f = t.add_server("DS1", Kind::Dpm);
    let lookalike = t.add_server("ds1", Kind::Dpm);
    let x = t.add_server("PS1", Kind::Protected);
    t.connect(Protection::new(f, x));
    let p = plan(&t, &[f]);
    let by: Vec<ServerId> = p
        .affected
        .iter()
        .filter(|a| a.server == x)
        .flat_map(|a| &a.options)
        .filter_map(|o| match o.action {
            Action::Reprotect { by, .. } => Some(by),
            _ => None,
        })
        .collect();
    assert_eq!(by, [lookalike]);
}

proptest! {
    /// Any site name, however written, is called a site without a panic,
    /// keeps its text, and what it is called says it is a site (calling
    /// it again adds nothing).
    #[test]
    fn any_site_name_is_called_a_site(name in "(site|SITE|Site|é|\u{a0}|–|x| |1){0,5}") {
        let called = site_called(&name);
        prop_assert!(called.ends_with(&name));
        prop_assert!(names_a_site(&called));
        prop_assert_eq!(site_called(&called), called);
    }
}

/// A playback's first caption names the failed servers, up to six; more
/// (a site's failure), three, the option's own failed server first, and
/// how many others.
#[test]
fn a_caption_names_a_few_failed_servers_and_counts_the_rest() {
    let caption = |n: usize| {
        let mut t = Topology::new();
        let failed: Vec<ServerId> = (1..=n)
            .map(|i| t.add_server(format!("DS{i}"), Kind::Dpm))
            .collect();
        let spare = t.add_server("DS999", Kind::Dpm);
        let x = t.add_server("PS1", Kind::Protected);
        let own = failed[n - 1];
        t.connect(Protection::new(own, x));
        t.connect(Protection::new(spare, own));
        let p = plan(&t, &failed);
        let o = p
            .affected
            .iter()
            .filter(|a| a.server == x)
            .flat_map(|a| &a.options)
            .next()
            .unwrap()
            .clone();
        o.steps(&t, &failed)[0].caption.clone()
    };
    assert_eq!(caption(6), "DS1, DS2, DS3, DS4, DS5 and DS6 fail.");
    assert_eq!(caption(7), "DS7, DS1, DS2 and 4 other servers fail.");
    assert_eq!(caption(500), "DS500, DS1, DS2 and 497 other servers fail.");
}

/// One edit of a drawing, by indexes into its servers and protections
/// (taken modulo their counts).
#[derive(Clone, Debug)]
enum Edit {
    Protect(usize, usize, bool),
    Unprotect(usize),
    Switch(usize),
    Delete(usize),
    Rename(usize, String),
    Kind(usize),
    Host(usize, Option<usize>),
    Database(usize, Option<usize>),
    Site(usize, Option<&'static str>),
    Version(usize, Option<DpmVersion>),
    Rollup(usize, Option<&'static str>),
    Add(String, bool),
}

fn edit() -> impl Strategy<Value = Edit> {
    let i = 0usize..64;
    let site = proptest::option::of(select(vec!["Paris", "Lyon"]));
    prop_oneof![
        3 => (i.clone(), i.clone(), proptest::bool::weighted(0.15)).prop_map(|(a, b, s)| Edit::Protect(a, b, s)),
        2 => i.clone().prop_map(Edit::Unprotect),
        1 => i.clone().prop_map(Edit::Switch),
        2 => i.clone().prop_map(Edit::Delete),
        1 => (i.clone(), name()).prop_map(|(k, n)| Edit::Rename(k, n)),
        1 => i.clone().prop_map(Edit::Kind),
        1 => (i.clone(), proptest::option::of(i.clone())).prop_map(|(k, h)| Edit::Host(k, h)),
        1 => (i.clone(), proptest::option::of(i.clone())).prop_map(|(k, d)| Edit::Database(k, d)),
        1 => (i.clone(), site).prop_map(|(k, s)| Edit::Site(k, s)),
        1 => (i.clone(), proptest::option::of(select(DpmVersion::ALL.to_vec()))).prop_map(|(k, v)| Edit::Version(k, v)),
        1 => (i.clone(), proptest::option::of(select(vec!["UR1", "UR2", "ur2"]))).prop_map(|(k, r)| Edit::Rollup(k, r)),
        1 => (name(), any::<bool>()).prop_map(|(n, d)| Edit::Add(n, d)),
    ]
}

/// Makes `e` on `t`, as an edit or a file could (a name taken twice, a
/// host that makes a cycle: the rules must say so, not be spared them).
fn make(t: &mut Topology, e: &Edit) {
    let n = t.servers.len();
    let id = |k: usize| (n > 0).then(|| t.servers[k % n].id);
    match e.clone() {
        Edit::Protect(a, b, switched) => {
            if let (Some(a), Some(b)) = (id(a), id(b)) {
                let mut p = Protection::new(a, b);
                p.switched = switched;
                if t.protection(p.link()).is_none() {
                    t.protections.push(p);
                }
            }
        }
        Edit::Unprotect(k) if !t.protections.is_empty() => {
            let k = k % t.protections.len();
            t.protections.remove(k);
        }
        Edit::Switch(k) if !t.protections.is_empty() => {
            let k = k % t.protections.len();
            t.protections[k].switched = !t.protections[k].switched;
        }
        Edit::Delete(k) => {
            if let Some(x) = id(k) {
                t.remove_server(x);
            }
        }
        Edit::Rename(k, name) => {
            if let Some(x) = id(k) {
                t.server_mut(x).unwrap().name = name;
            }
        }
        Edit::Kind(k) => {
            if let Some(x) = id(k) {
                let s = t.server_mut(x).unwrap();
                s.kind = if s.kind == Kind::Dpm {
                    Kind::Protected
                } else {
                    Kind::Dpm
                };
            }
        }
        Edit::Host(k, h) => {
            if let Some(x) = id(k) {
                let h = h.and_then(id);
                t.server_mut(x).unwrap().host = h;
            }
        }
        Edit::Database(k, d) => {
            if let Some(x) = id(k) {
                let d = d.and_then(id);
                t.server_mut(x).unwrap().database = d;
            }
        }
        Edit::Site(k, site) => {
            if let Some(x) = id(k) {
                t.server_mut(x).unwrap().site = site.map(str::to_string);
            }
        }
        Edit::Version(k, v) => {
            if let Some(x) = id(k) {
                t.server_mut(x).unwrap().version = v.map(Version::Release);
            }
        }
        Edit::Rollup(k, r) => {
            if let Some(x) = id(k) {
                t.server_mut(x).unwrap().rollup = r.map(str::to_string);
            }
        }
        Edit::Add(name, dpm) => {
            t.add_server(name, if dpm { Kind::Dpm } else { Kind::Protected });
        }
        _ => {}
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 4000, ..ProptestConfig::default() })]

    /// Findings kept from edit to edit are what checking the drawing whole
    /// finds, after every edit of a run of them: each edit touching what
    /// the editor says it touched (the servers of its patch and the ends
    /// of its protections), estate facts included (hosts, remote
    /// databases, sites, versions, rollups).
    #[test]
    fn findings_kept_between_edits_are_a_whole_check(s in spec(10), edits in proptest::collection::vec(edit(), 1..6)) {
        let mut t = build(&s);
        let mut kept = Checked::new(&t);
        prop_assert_eq!(kept.findings(), &check(&t)[..]);
        for e in &edits {
            let mut next = t.clone();
            make(&mut next, e);
            // As the editor notes it: the patch back to the drawing before.
            let touched = diff(&next, &t).touched_for_rules(&next);
            kept.update(&next, &touched);
            prop_assert_eq!(kept.findings(), &check(&next)[..], "after {:?}", e);
            t = next;
        }
    }
}

/// A protected server joined to two DPM servers becomes a DPM server,
/// then another, then one of the first two stops being one: the DPM
/// servers next to each server that changed kind are read again, though the
/// edit touched only that server, so the last edit finds the version
/// mismatch between the new two, joined through the DPM server left (the
/// group rules looked again from facts that still had the old neighbours,
/// and missed it).
#[test]
fn kind_changes_keep_the_group_rules_whole() {
    let mut t = Topology::new();
    let x = t.add_server("X1", Kind::Dpm);
    let z = t.add_server("Z1", Kind::Dpm);
    let y = t.add_server("Y1", Kind::Protected);
    let w = t.add_server("W1", Kind::Protected);
    for (a, b) in [(x, y), (z, y), (x, w), (z, w)] {
        t.connect(Protection::new(a, b));
    }
    let mut kept = Checked::new(&t);
    let edits: [(ServerId, Kind, Option<Version>); 3] = [
        (y, Kind::Dpm, Some(Version::Release(DpmVersion::V2019))),
        (w, Kind::Dpm, Some(Version::Release(DpmVersion::V2022))),
        (x, Kind::Protected, None),
    ];
    for (id, kind, version) in edits {
        let mut next = t.clone();
        let s = next.server_mut(id).unwrap();
        s.kind = kind;
        s.version = version;
        let touched = diff(&next, &t).touched_for_rules(&next);
        kept.update(&next, &touched);
        assert_eq!(
            kept.findings(),
            &check(&next)[..],
            "after {} became {kind:?}",
            next.name(id)
        );
        t = next;
    }
    assert!(kept
        .findings()
        .iter()
        .any(|f| f.rule == Rule::VersionMismatch));
}

/// A duplicate name is told by the first of its servers' names: renaming
/// that server in case only changes the finding, though no name's fold
/// changed (the kept duplicate-name findings must be found again).
#[test]
fn a_duplicate_pair_renamed_in_case_only_is_told_by_its_new_name() {
    let mut t = Topology::new();
    let a = t.add_server("ds1", Kind::Dpm);
    t.add_server("DS1", Kind::Dpm);
    t.add_server("PS1", Kind::Protected);
    let mut kept = Checked::new(&t);
    let said = |c: &Checked| {
        c.findings()
            .iter()
            .filter(|f| f.rule == Rule::DuplicateName)
            .map(|f| f.message.clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(said(&kept).len(), 1);
    assert!(said(&kept)[0].contains("\"ds1\""), "{:?}", said(&kept));
    let mut next = t.clone();
    next.server_mut(a).unwrap().name = "Ds1".into();
    let touched = diff(&next, &t).touched_for_rules(&next);
    kept.update(&next, &touched);
    assert!(said(&kept)[0].contains("\"Ds1\""), "{:?}", said(&kept));
    assert_eq!(kept.findings(), &check(&next)[..]);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(500))]

    /// A fresh name is one no server has, and the first such after the
    /// highest number in use (names that differ only in case, spaces at
    /// either end or characters that show nothing are the same name); past
    /// u64's largest number, the count goes on from 1. Held to the
    /// definition: each candidate asked of `find` in turn.
    #[test]
    fn a_fresh_name_is_the_first_free_one_after_the_highest(
        names in proptest::collection::vec(
            (select(vec!["DS", "ds", " DS", "Ds\u{200B}", "\u{200B}ds", "PS", "D", " ds "]),
             select(vec!["0", "1", "2", "3", "03", "+3", "4", "5 ", "10", "x",
                         "18446744073709551615", "18446744073709551614", "018446744073709551615"])),
            0..8),
        prefix in select(vec!["DS", "PS", "DPM", " ds", "Ds\u{200B}"]),
    ) {
        let mut t = Topology::new();
        for (i, (a, b)) in names.iter().enumerate() {
            t.servers.push(Server::new(ServerId(i as u32 + 1), format!("{a}{b}"), Kind::Dpm));
        }
        let fresh = t.fresh_name_like(prefix);
        // The highest number after the prefix, as written at the name's start.
        let highest = t.servers.iter().filter_map(|s| {
            let head = s.name.get(..prefix.len())?;
            same_name(head, prefix).then(|| s.name[prefix.len()..].parse::<u64>().ok()).flatten()
        }).max().unwrap_or(0);
        let mut n = highest.saturating_add(1);
        while t.find(&format!("{prefix}{n}")).is_some() {
            n = n.checked_add(1).unwrap_or(1);
        }
        prop_assert_eq!(&fresh, &format!("{prefix}{n}"));
        prop_assert!(t.find(&fresh).is_none(), "{fresh} is in use");
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// The Servers list writes its first page only: each entry of that
    /// page is the whole list's entry (hosts, replica sets, protections
    /// and findings reaching past the page included).
    #[test]
    fn a_page_of_the_twin_is_the_twin_cut(s in spec(12), k in 0usize..14) {
        let t = build(&s);
        let fs = dpm_rules::check(&t);
        let ids = t.sorted_ids();
        let k = k.min(ids.len());
        prop_assert_eq!(dpm_rules::twin_of(&t, &fs, &ids[..k]), dpm_rules::twin(&t, &fs)[..k].to_vec());
    }
}
