//! Tests as data. Every scenario in `tests/cases/`, `scenarios/` and
//! `tests/seeds/` is checked, and what the rule crate says about it (findings,
//! roles, the table, the copy inventory) is compared with its snapshot in
//! `tests/snapshots/`; every `.fail` file is a failover question, compared
//! the same way; every file in `tests/bad/` must be refused, with the message
//! in its snapshot. `UPDATE_EXPECT=1 cargo test` rewrites the snapshots;
//! review the diff.

use std::fmt::Write;
use std::fs;
use std::path::{Path, PathBuf};

use dpm_rules::{check, inventory, plan, read, roles, table_rows, to_table, Kind, Rule, Topology};
use expect_test::expect_file;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf()
}

fn files(dir: &Path, exts: &[&str]) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
            exts.iter().any(|x| name.ends_with(x))
        })
        .collect();
    v.sort();
    v
}

fn stem(p: &Path) -> String {
    let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
    name.split('.').next().unwrap_or(name).to_string()
}

fn load(p: &Path) -> Topology {
    let text = fs::read_to_string(p).unwrap();
    read(&text).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

/// Everything the crate says about a topology, as text.
fn describe(t: &Topology) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "# {}", t.title.as_deref().unwrap_or("(untitled)"));
    s.push_str("\n## Findings\n");
    let findings = check(t);
    if findings.is_empty() {
        s.push_str("none\n");
    }
    for f in &findings {
        let servers: Vec<&str> = f.servers.iter().map(|&id| t.name(id)).collect();
        let links: Vec<String> = f
            .protections
            .iter()
            .map(|l| format!("{}->{}", t.name(l.protector), t.name(l.target)))
            .collect();
        let _ = writeln!(
            s,
            "{} {} [{}] [{}]\n  {}",
            f.severity(),
            f.rule,
            servers.join(", "),
            links.join(", "),
            f.message
        );
    }
    s.push_str("\n## Roles\n");
    for id in t.sorted_ids() {
        let srv = t.server(id).unwrap();
        if srv.kind == Kind::Dpm {
            let r = roles(t, id).label();
            let _ = writeln!(s, "{}: {}", srv.name, if r.is_empty() { "none" } else { r });
        }
    }
    let _ = writeln!(
        s,
        "\n## Table ({} rows)\n{}",
        table_rows(t).len(),
        to_table(t)
    );
    s.push_str("## Copies\n");
    for h in inventory(t) {
        let mut holders: Vec<&str> = h.holders.iter().map(|&id| t.name(id)).collect();
        holders.extend(h.media.iter().map(|m| m.as_str()));
        let _ = writeln!(
            s,
            "{}: {}",
            h.source.label(t),
            if holders.is_empty() {
                "no copy".to_string()
            } else {
                holders.join(", ")
            }
        );
    }
    s
}

fn snapshot(name: &str) -> PathBuf {
    root().join("tests/snapshots").join(format!("{name}.txt"))
}

#[test]
fn every_case_matches_its_snapshot() {
    let mut seen = Vec::new();
    for p in files(&root().join("tests/cases"), &[".dpm.json", ".md"]) {
        let t = load(&p);
        expect_file![snapshot(&format!("case-{}", stem(&p)))].assert_eq(&describe(&t));
        seen.push(stem(&p));
    }
    assert!(seen.len() >= 20, "{seen:?}");
}

#[test]
fn presets_and_seed_tables_match_their_snapshots() {
    for p in files(&root().join("../scenarios"), &[".dpm.json"]) {
        expect_file![snapshot(&format!("preset-{}", stem(&p)))].assert_eq(&describe(&load(&p)));
    }
    for p in files(&root().join("tests/seeds"), &[".md"]) {
        expect_file![snapshot(&format!("seed-{}", stem(&p)))].assert_eq(&describe(&load(&p)));
    }
}

/// A case named after a rule makes that rule fire; every rule has one.
#[test]
fn every_rule_fires_in_its_own_case_and_all_rules_are_covered() {
    for rule in Rule::ALL {
        let p = root()
            .join("tests/cases")
            .join(format!("{}.dpm.json", rule.id()));
        let t = load(&p);
        assert!(
            check(&t).iter().any(|f| f.rule == rule),
            "{} does not fire in {}",
            rule.id(),
            p.display()
        );
    }
}

/// The seeds' scenarios: no error and no warning, and the table reproduces
/// the seed's own (Scenario 2's DS4 labelled secondary).
#[test]
fn seed_scenarios_are_valid_and_reproduce_the_seed_tables() {
    for n in 1..=3 {
        let seed = fs::read_to_string(root().join(format!("tests/seeds/scenario-{n}.md"))).unwrap();
        let expected = seed[seed.find("|Server|").unwrap()..]
            .replace("|DS4|DS3|", "|DS4 \\(secondary\\)|DS3|");
        for t in [
            load(&root().join(format!("tests/seeds/scenario-{n}.md"))),
            { load(&root().join(format!("../scenarios/scenario-{n}.dpm.json"))) },
        ] {
            let bad: Vec<_> = check(&t)
                .into_iter()
                .filter(|f| f.severity() != dpm_rules::Severity::Info)
                .collect();
            assert!(bad.is_empty(), "scenario {n}: {bad:?}");
            assert_eq!(to_table(&t), expected, "scenario {n}");
        }
    }
}

/// The seeds' tables as people copy them (tab-separated from the rendered
/// page or a spreadsheet, CSV as a spreadsheet saves it or as typed): each
/// `.tsv` and `.csv` beside a seed reads as the same drawing as its
/// Markdown, through the same reader `dpm-check` and the app use.
#[test]
fn seed_tables_copied_as_tsv_or_csv_read_as_their_markdown() {
    let found = files(&root().join("tests/seeds"), &[".tsv", ".csv"]);
    assert_eq!(found.len(), 6, "each seed as TSV and CSV: {found:?}");
    for p in found {
        let md = p.with_extension("md");
        let want = load(&md);
        let text = fs::read_to_string(&p).unwrap();
        let got = read(&text).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
        // Excel for Mac's "CSV (Macintosh)" ends lines with a lone CR.
        let mac = text.replace("\r\n", "\n").replace('\n', "\r");
        let again = read(&mac).unwrap_or_else(|e| panic!("{} (CR): {e}", p.display()));
        assert_eq!(to_table(&again), to_table(&want), "{} (CR)", p.display());
        assert_eq!(again.title, got.title, "{} (CR)", p.display());
        let shape = |t: &Topology| {
            let servers: Vec<(String, Kind)> =
                t.servers.iter().map(|s| (s.name.clone(), s.kind)).collect();
            let links: Vec<String> = t
                .protections
                .iter()
                .map(|l| format!("{}->{}", t.name(l.protector), t.name(l.target)))
                .collect();
            (servers, links, to_table(t))
        };
        assert_eq!(shape(&got), shape(&want), "{}", p.display());
        // A heading above the table is its title, as in the Markdown.
        let titled = text.lines().next().is_some_and(|l| l.contains("Scenario"));
        if titled {
            assert_eq!(got.title, want.title, "{}", p.display());
        }
    }
}

/// The seed's "Moving protected servers": fail DPM1, and Server1 gets the
/// three supported options and the two unsupported ones, exactly.
#[test]
fn moving_protected_servers_gives_the_seeds_options() {
    let t = load(&root().join("../scenarios/moving-protected-servers.dpm.json"));
    let p = plan(&t, &[t.find("DPM1").unwrap()]);
    let server1 = p
        .affected
        .iter()
        .find(|a| t.name(a.server) == "Server1")
        .unwrap();
    let got: Vec<(String, Option<String>, bool)> = server1
        .options
        .iter()
        .map(|o| (o.kind.id().to_string(), o.via.clone(), o.supported))
        .collect();
    let s = |k: &str, v: &str, ok: bool| (k.to_string(), Some(v.to_string()), ok);
    assert_eq!(
        got,
        [
            s("switch-protection", "DPM3", true),
            s("rebuild-primary", "DPM3", true),
            s("move-to-new-server", "DPM4", true),
            s("move-to-known-server", "DPM2", false),
            s("move-to-known-server", "DPM3", false),
        ]
    );
    for o in server1.options.iter().filter(|o| !o.supported) {
        assert!(
            o.reason.contains("Switch Protection on DPM3"),
            "{}",
            o.reason
        );
        assert!(o.reason.contains("doesn't know about"), "{}", o.reason);
    }
}

/// Rebuilding a failed DPM server is titled by the role its node shows:
/// the moving preset's DPM3 is labelled secondary, and a DPM server that
/// protects nothing has no role.
#[test]
fn a_rebuild_is_titled_by_the_failed_servers_role() {
    let mut t = load(&root().join("../scenarios/moving-protected-servers.dpm.json"));
    let title = |t: &Topology, failed: &str, of: &str| {
        let p = plan(t, &[t.find(failed).unwrap()]);
        let a = p.affected.iter().find(|a| t.name(a.server) == of).unwrap();
        let o = a
            .options
            .iter()
            .find(|o| o.kind.id() == "rebuild-primary")
            .unwrap();
        o.title(t)
    };
    assert_eq!(title(&t, "DPM1", "Server1"), "Rebuild the primary");
    assert_eq!(title(&t, "DPM1", "DPM1"), "Rebuild the primary");
    assert_eq!(title(&t, "DPM3", "DPM3"), "Rebuild the secondary");
    let dpm3 = t.find("DPM3").unwrap();
    t.protections.retain(|p| p.protector != dpm3);
    assert_eq!(title(&t, "DPM3", "DPM3"), "Rebuild the DPM server");
}

#[test]
fn every_failover_question_matches_its_snapshot() {
    for p in files(&root().join("tests/cases"), &[".fail"]) {
        let spec = fs::read_to_string(&p).unwrap();
        let mut file = None;
        let mut fail = Vec::new();
        let mut sites: Vec<String> = Vec::new();
        for line in spec.lines() {
            if let Some(f) = line.strip_prefix("file: ") {
                file = Some(root().join("..").join(f.trim()));
            } else if let Some(n) = line.strip_prefix("fail: ") {
                fail.push(n.trim().to_string());
            } else if let Some(n) = line.strip_prefix("fail-site: ") {
                sites.push(n.trim().to_string());
            }
        }
        let t = load(&file.unwrap_or_else(|| panic!("{}: no file:", p.display())));
        let ids: Vec<_> = fail
            .iter()
            .map(|n| {
                t.find(n)
                    .unwrap_or_else(|| panic!("{}: no {n}", p.display()))
            })
            .collect();
        let site_refs: Vec<&str> = sites.iter().map(String::as_str).collect();
        for site in &site_refs {
            assert!(
                !dpm_rules::site_members(&t, site).is_empty(),
                "{}: no server in site {site}",
                p.display()
            );
        }
        let plan = dpm_rules::plan_outage(&t, &ids, &site_refs);
        if sites.is_empty() {
            assert_eq!(plan, dpm_rules::plan(&t, &ids), "{}", p.display());
        }
        let mut s = String::new();
        let names = |v: &[dpm_rules::ServerId]| {
            v.iter()
                .map(|&id| t.name(id))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let _ = writeln!(s, "failed: {}", names(&plan.failed));
        for a in &plan.also_down {
            let _ = writeln!(s, "also down: {}: {}", t.name(a.server), a.phrase());
        }
        let labels = |v: &[dpm_rules::DataSource]| {
            v.iter().map(|d| d.label(&t)).collect::<Vec<_>>().join(", ")
        };
        let _ = writeln!(s, "lost: {}", labels(&plan.lost));
        let _ = writeln!(s, "unprotected: {}", labels(&plan.unprotected));
        for r in &plan.reduced {
            let _ = writeln!(
                s,
                "copies of {}: {} -> {}{}",
                r.source.label(&t),
                names(&r.before),
                names(&r.surviving),
                match (&r.peers_up, &r.peer_copies) {
                    (v, c) if v.is_empty() && c.is_empty() => String::new(),
                    (v, c) if c.is_empty() =>
                        format!(" (its replica set's members up: {})", names(v)),
                    (_, c) => format!(
                        " (copies of its replica set's members: {})",
                        c.iter()
                            .map(|&(h, m)| format!("{} of {}", t.name(h), t.name(m)))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                }
            );
        }
        let broken: Vec<String> = plan
            .broken
            .iter()
            .map(|l| format!("{}->{}", t.name(l.protector), t.name(l.target)))
            .collect();
        let _ = writeln!(s, "broken: {}", broken.join(", "));
        // The data the player's table shows, and its copies after a step.
        let mut concerned: Vec<dpm_rules::DataSource> =
            plan.reduced.iter().map(|r| r.source).collect();
        for d in plan.lost.iter().chain(&plan.unprotected) {
            if !concerned.contains(d) {
                concerned.push(*d);
            }
        }
        let copies_after = |step: &dpm_rules::Step| {
            let counts = plan.copies_after(&t, step, &concerned);
            concerned
                .iter()
                .zip(counts)
                .map(|(d, n)| format!("{} {n}", d.label(step.drawing(&t))))
                .collect::<Vec<_>>()
                .join(", ")
        };
        if !plan.order.is_empty() {
            let _ = writeln!(s, "recovery in order:");
            for (k, o) in plan.order.iter().enumerate() {
                let _ = writeln!(
                    s,
                    "  {}. {} {} via {}: {} (back: {}; still down: {})",
                    k + 1,
                    o.kind.id(),
                    t.name(o.server),
                    o.via.map_or("-", |v| t.name(v)),
                    o.step.caption,
                    labels(&o.back),
                    names(&o.step.failed)
                );
                let _ = writeln!(s, "     copies after: {}", copies_after(&o.step));
            }
        }
        for a in &plan.affected {
            let _ = writeln!(s, "\n{}:", t.name(a.server));
            for note in &a.notes {
                let _ = writeln!(s, "  note: {note}");
            }
            for o in &a.options {
                let _ = writeln!(
                    s,
                    "  {} {} via {}: {}",
                    if o.supported { "+" } else { "-" },
                    o.kind.id(),
                    o.via.as_deref().unwrap_or("-"),
                    o.reason
                );
                let steps = o.steps(&t, &plan.failed);
                // A copy is made only by data flowing: no step without a
                // flow raises a count (a rebuilt DPM server holds nothing
                // from its installation until its replicas are made again).
                for w in steps.windows(2) {
                    if w[1].flows.is_empty() {
                        let (was, now) = (
                            plan.copies_after(&t, &w[0], &concerned),
                            plan.copies_after(&t, &w[1], &concerned),
                        );
                        for ((d, a), b) in concerned.iter().zip(was).zip(now) {
                            assert!(
                                b <= a,
                                "{}: {}, \"{}\" raises {}'s copies from {a} to {b} with no data flowing",
                                p.display(),
                                o.kind.id(),
                                w[1].caption,
                                d.label(&t)
                            );
                        }
                    }
                }
                for (k, step) in steps.iter().enumerate() {
                    let flows: Vec<String> = step
                        .flows
                        .iter()
                        .map(|f| {
                            format!(
                                "{}=>{}",
                                step.drawing(&t).name(f.from),
                                step.drawing(&t).name(f.to)
                            )
                        })
                        .collect();
                    let _ = writeln!(
                        s,
                        "    {}. {}{}",
                        k + 1,
                        step.caption,
                        if flows.is_empty() {
                            String::new()
                        } else {
                            format!(" [{}]", flows.join(", "))
                        }
                    );
                }
                if let Some(last) = steps.last() {
                    let _ = writeln!(s, "    copies after: {}", copies_after(last));
                }
                let result = o.result(&t, &plan.failed);
                let _ = writeln!(
                    s,
                    "    result: {}",
                    result
                        .protections
                        .iter()
                        .map(|p| format!(
                            "{}->{}{}",
                            result.name(p.protector),
                            result.name(p.target),
                            if p.switched { " (switched)" } else { "" }
                        ))
                        .collect::<Vec<_>>()
                        .join(", ")
                );
            }
        }
        expect_file![snapshot(&format!("failover-{}", stem(&p)))].assert_eq(&s);
    }
}

#[test]
fn bad_inputs_are_refused_saying_what_and_where() {
    for p in files(
        &root().join("tests/bad"),
        &[".json", ".md", ".txt", ".tsv", ".csv"],
    ) {
        let text = fs::read_to_string(&p).unwrap();
        let e = match read(&text) {
            Ok(_) => panic!("{} was accepted", p.display()),
            Err(e) => e,
        };
        let name = p.file_name().unwrap().to_str().unwrap().replace('.', "-");
        expect_file![snapshot(&format!("bad-{name}"))].assert_eq(&format!("{e}\n"));
    }
}

/// Every `.risk` file names a scenario (`file: PATH`); the snapshot is its
/// single points of failure, what each would take with it, the data in
/// fewer than two places, and the fixes (or why there is none).
#[test]
fn every_risk_question_matches_its_snapshot() {
    let found = files(&root().join("tests/cases"), &[".risk"]);
    assert!(found.len() >= 4, "risk questions: {found:?}");
    for p in found {
        let spec = fs::read_to_string(&p).unwrap();
        let file = spec
            .lines()
            .find_map(|l| l.strip_prefix("file: "))
            .unwrap_or_else(|| panic!("{}: no file:", p.display()));
        let t = load(&root().join("..").join(file.trim()));
        let r = dpm_rules::risk(&t);
        let fixes = dpm_rules::fixes(&t, &r);
        let labels = |v: &[dpm_rules::DataSource]| {
            if v.is_empty() {
                return "none".to_string();
            }
            v.iter().map(|d| d.label(&t)).collect::<Vec<_>>().join(", ")
        };
        let mut s = String::new();
        for sp in &r.single_points {
            let _ = writeln!(s, "single point: {}", t.name(sp.server));
            let _ = writeln!(s, "  loses: {}", labels(&sp.loses));
            let _ = writeln!(s, "  unprotects: {}", labels(&sp.unprotects));
            for a in &sp.takes {
                let _ = writeln!(s, "  takes: {}: {}", t.name(a.server), a.phrase());
            }
            let own: Vec<String> = fixes
                .iter()
                .filter(|f| f.removes.contains(&sp.server))
                .map(|f| {
                    f.add
                        .iter()
                        .map(|p| format!("{}->{}", t.name(p.protector), t.name(p.target)))
                        .chain(f.set.iter().map(|c| format!("set {}", c.label(&t))))
                        .chain(f.brings.iter().map(|b| format!("(brings {})", b.rule.id())))
                        .collect::<Vec<_>>()
                        .join(" + ")
                        .replace(" + (", " (")
                })
                .collect();
            if own.is_empty() {
                let _ = writeln!(s, "  no fix: {}", dpm_rules::why_no_fix(&t, sp));
            } else {
                let _ = writeln!(s, "  fixes: {}", own.join(", "));
            }
        }
        if r.single_points.is_empty() {
            let _ = writeln!(s, "no single point of failure");
        }
        let _ = writeln!(s, "under two copies: {}", labels(&r.under_two_copies));
        // Each fix does what it says: the single points it names are gone.
        // A fix never adds an error finding; a protection fix removes its
        // single points, a fact fix what they would lose.
        let errors = |t: &Topology| {
            check(t)
                .iter()
                .filter(|f| f.severity() == dpm_rules::Severity::Error)
                .count()
        };
        let now = check(&t);
        for f in &fixes {
            let after = f.apply(&t);
            assert!(
                errors(&after) <= errors(&t),
                "{}: a fix adds an error",
                p.display()
            );
            // What a fix says it brings is what checking with it made adds.
            let added: Vec<_> = check(&after)
                .into_iter()
                .filter(|x| x.severity() == dpm_rules::Severity::Warning && !now.contains(x))
                .collect();
            assert_eq!(f.brings, added, "{}: what a fix brings", p.display());
            let left = dpm_rules::risk(&after);
            for id in &f.removes {
                let still = left.single_points.iter().find(|sp| sp.server == *id);
                if f.set.is_empty() {
                    assert!(
                        still.is_none(),
                        "{}: a fix leaves {} a single point",
                        p.display(),
                        t.name(*id)
                    );
                } else {
                    assert!(
                        still.is_none_or(|sp| sp.loses.is_empty()),
                        "{}: a fix leaves {} losing data",
                        p.display(),
                        t.name(*id)
                    );
                }
            }
        }
        expect_file![snapshot(&format!("risk-{}", stem(&p)))].assert_eq(&s);
    }
}

fn estate(name: &str) -> Topology {
    load(&root().join("tests/cases").join(format!("{name}.dpm.json")))
}

fn id(t: &Topology, name: &str) -> dpm_rules::ServerId {
    t.find(name).unwrap_or_else(|| panic!("no {name}"))
}

/// The key facts of the real-estate cases, said outright (the snapshots
/// hold the rest).
#[test]
fn real_estates_keep_their_key_facts() {
    use dpm_rules::{plan_outage, DownHow, OptionKind};
    let label = |t: &Topology, v: &[dpm_rules::DataSource]| -> Vec<String> {
        v.iter().map(|d| d.label(t)).collect()
    };

    // Scale-out: the VMs DPM1 backed up never reached DPM3.
    let t = estate("estate-scale-out");
    let p = plan(&t, &[id(&t, "DPM1")]);
    assert_eq!(label(&t, &p.unprotected), ["HVCLU1 (VMs on DPM1)"]);
    let cluster = p
        .affected
        .iter()
        .find(|a| a.server == id(&t, "HVCLU1"))
        .unwrap();
    assert!(cluster.options.iter().all(|o| !matches!(
        o.kind,
        OptionKind::SwitchProtection | OptionKind::MoveToKnownServer | OptionKind::MoveToNewServer
    )));
    assert!(cluster.options.iter().any(|o| o.supported));

    // A database server fails: its DPM server stops, nothing goes through it.
    let t = estate("estate-remote-db");
    let (sql, dpm1) = (id(&t, "SQLDB1"), id(&t, "DPM1"));
    let p = plan(&t, &[sql]);
    assert_eq!(p.failed, [sql]);
    assert_eq!(p.also_down.len(), 1);
    assert_eq!(
        (p.also_down[0].server, p.also_down[0].how),
        (dpm1, DownHow::Database)
    );
    assert_eq!(label(&t, &p.unprotected), ["FS1"]);
    assert!(p.lost.is_empty());
    for a in &p.affected {
        for o in &a.options {
            if o.via.as_deref() == Some("DPM1") {
                assert!(a.server == dpm1 && o.kind == OptionKind::RestoreDatabase);
            }
        }
    }
    let restore = &p
        .affected
        .iter()
        .find(|a| a.server == dpm1)
        .unwrap()
        .options;
    assert!(restore
        .iter()
        .all(|o| o.kind == OptionKind::RestoreDatabase && o.supported));
    assert_eq!(p.order[0].kind, OptionKind::RestoreDatabase);
    assert_eq!(p.order[0].server, dpm1);
    assert_eq!(
        (p.order[1].kind, p.order[1].server, p.order[1].via),
        (OptionKind::RestoreFromPrimary, sql, Some(dpm1))
    );
    // Its steps restore the database and leave DPM1 working: stopped
    // until the last step, which says it protects again.
    let o = &restore[0];
    let steps = o.steps(&t, &p.failed);
    assert!(steps.iter().any(|s| s.caption.contains("DPMSync -Sync")));
    assert_eq!(o.result(&t, &p.failed).server(dpm1).unwrap().database, None);
    let (last, before) = steps.split_last().unwrap();
    assert!(
        before.iter().all(|s| s.stopped == [dpm1]),
        "stopped until it runs again"
    );
    assert!(last.stopped.is_empty() && last.caption.contains("protects and restores again"));
    // In order: stopped no more from the step that restores its database.
    assert!(p.order.iter().all(|o| o.step.stopped.is_empty()));
    // Another server's options: DPM1 stopped while SQLDB1, which holds its
    // database, is down, and running again once a step brings SQLDB1 back
    // with its data (as the review found, it stayed stopped to the end).
    let other = p
        .affected
        .iter()
        .find(|a| a.server == sql && !a.options.is_empty())
        .expect("SQLDB1's options");
    let mut back = 0;
    for o in &other.options {
        for s in o.steps(&t, &p.failed) {
            let down = s.failed.contains(&sql);
            back += usize::from(!down);
            let want = if down { vec![dpm1] } else { vec![] };
            assert_eq!(s.stopped, want, "{}: {}", o.key(), s.caption);
        }
    }
    assert!(back > 0, "some option brings SQLDB1 back");
    // DPM1 down with SQLDB1: rebuilt, its database restored with it, it
    // is up and never stopped by SQLDB1 (the re-review found it drawn
    // stopped through its own rebuild).
    let p2 = plan(&t, &[dpm1, sql]);
    let rebuilds: Vec<_> = p2
        .affected
        .iter()
        .flat_map(|a| &a.options)
        .filter(|o| o.supported && o.kind == OptionKind::RebuildPrimary)
        .collect();
    assert!(!rebuilds.is_empty(), "DPM1 can be rebuilt");
    for o in rebuilds {
        for s in o.steps(&t, &p2.failed) {
            assert!(!s.stopped.contains(&dpm1), "{}: {}", o.key(), s.caption);
        }
    }

    // A lone Azure Backup Server: a database backup, never a protection of it.
    let t = estate("estate-mabs");
    let r = dpm_rules::risk(&t);
    let f = dpm_rules::fixes(&t, &r);
    assert!(!f.is_empty());
    assert!(f.iter().all(|f| f.add.is_empty()));
    assert!(f.iter().any(|f| f
        .set
        .iter()
        .any(|c| c.label(&t) == "MABS1 database_backup azure")));

    // DPM on a domain controller, protecting only itself, is offered one too.
    let mut dc = Topology::new();
    let d = dc.add_server("DC1", Kind::Dpm);
    dc.server_mut(d).unwrap().domain_controller = Some(true);
    let r = dpm_rules::risk(&dc);
    let f = dpm_rules::fixes(&dc, &r);
    assert!(!f.is_empty() && f.iter().all(|f| f.add.is_empty() && !f.set.is_empty()));

    // The top of a chain with its database on tape.
    let t = estate("estate-tape");
    let dpm2 = id(&t, "DPM2");
    let r = dpm_rules::risk(&t);
    assert!(r.single_points.iter().all(|sp| sp.loses.is_empty()));
    let p = plan(&t, &[dpm2]);
    assert!(p.lost.is_empty());
    let rebuild = p
        .affected
        .iter()
        .find(|a| a.server == dpm2)
        .unwrap()
        .options
        .iter()
        .find(|o| o.kind == OptionKind::RebuildPrimary)
        .unwrap();
    assert!(rebuild.supported);
    assert!(
        rebuild.reason.contains("created again"),
        "{}",
        rebuild.reason
    );
    assert!(rebuild.reason.contains("tape"), "{}", rebuild.reason);

    // A DPM server on the host it protects goes down with it.
    let t = estate("estate-host");
    let p = plan(&t, &[id(&t, "HV1")]);
    assert!(p.failed.contains(&id(&t, "DPM1")));
    assert!(p
        .also_down
        .iter()
        .any(|a| a.server == id(&t, "DPM1") && a.how == DownHow::Host && a.because_of == "HV1"));
    assert!(p
        .affected
        .iter()
        .flat_map(|a| &a.options)
        .all(|o| o.via.as_deref() != Some("DPM1")));

    // A site fails whole.
    let t = estate("estate-sites");
    let p = plan_outage(&t, &[], &["LONDON"]);
    assert_eq!(p.failed, [id(&t, "DPM1"), id(&t, "FS1")]);
    assert!(p.also_down.iter().all(|a| a.how == DownHow::Site));
    assert!(p.lost.is_empty());

    // An Exchange DAG: EX2 holds EX1's databases.
    let t = estate("estate-dag");
    let p = plan(&t, &[id(&t, "EX1"), id(&t, "DPM1")]);
    assert!(
        p.lost.iter().all(|d| d.server != id(&t, "EX1")),
        "{:?}",
        p.lost
    );
    // ... and a copy of EX2 does when both members are down.
    let p = plan(&t, &[id(&t, "EX1"), id(&t, "EX2"), id(&t, "DPM1")]);
    assert!(
        p.lost.iter().all(|d| d.server != id(&t, "EX1")),
        "{:?}",
        p.lost
    );
    let p = plan(
        &t,
        &[id(&t, "EX1"), id(&t, "EX2"), id(&t, "DPM1"), id(&t, "DPM2")],
    );
    assert!(p.lost.iter().any(|d| d.server == id(&t, "EX1")));
}

/// Random estates with every version 2 fact: planning any outage, playing
/// every option, and the risk view never panic, and nothing is offered
/// through a failed or stopped server.
#[test]
fn random_estates_plan_without_panics_or_paths_through_down_servers() {
    use dpm_rules::{plan_outage, BackupMedium, OptionKind, Protection, Workload};
    let mut seed: u64 = 0x5eed;
    let mut next = move |n: u64| {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (seed >> 33) % n.max(1)
    };
    for _ in 0..1000 {
        let mut t = Topology::new();
        let n = 2 + next(8) as usize;
        let mut ids = Vec::new();
        for k in 0..n {
            let kind = if next(2) == 0 {
                Kind::Dpm
            } else {
                Kind::Protected
            };
            let id = t.add_server(format!("S{k}"), kind);
            ids.push(id);
            let s = t.server_mut(id).unwrap();
            s.site = [None, Some("A".to_string()), Some("B".to_string())][next(3) as usize].clone();
            if kind == Kind::Dpm {
                s.mabs = Some(next(5) == 0);
                s.domain_controller = Some(next(6) == 0);
                s.database_backup = match next(4) {
                    0 => Some(vec![BackupMedium::Tape]),
                    1 => Some(vec![BackupMedium::LocalDisk]),
                    _ => None,
                };
            } else {
                s.scale_out = Some(next(3) == 0);
                s.replica_set = (next(3) == 0).then(|| "DAG1".to_string());
                s.workloads = Some(vec![
                    [
                        Workload::Hyperv,
                        Workload::Vmware,
                        Workload::Files,
                        Workload::Exchange,
                    ][next(4) as usize],
                ]);
            }
        }
        // Hosts only downwards (no cycle), databases anywhere.
        for k in 1..n {
            if next(3) == 0 {
                let h = ids[next(k as u64) as usize];
                t.server_mut(ids[k]).unwrap().host = Some(h);
            }
            if t.server(ids[k]).unwrap().kind == Kind::Dpm && next(3) == 0 {
                let d = ids[next(n as u64) as usize];
                t.server_mut(ids[k]).unwrap().database = Some(d);
            }
        }
        for _ in 0..next(2 * n as u64) {
            let (a, b) = (ids[next(n as u64) as usize], ids[next(n as u64) as usize]);
            if t.server(a).unwrap().kind == Kind::Dpm {
                let mut p = Protection::new(a, b);
                p.switched = next(6) == 0;
                t.connect(p);
            }
        }
        let failed: Vec<_> = (0..1 + next(3))
            .map(|_| ids[next(n as u64) as usize])
            .collect();
        let sites: &[&str] = if next(4) == 0 { &["a"] } else { &[] };
        let p = plan_outage(&t, &failed, sites);
        let down = dpm_rules::down_with(&t, &failed, sites);
        for d in &p.lost {
            assert!(!p.unprotected.contains(d));
        }
        for a in &p.affected {
            for o in &a.options {
                if let Some(v) = o.via.as_deref().and_then(|v| t.find(v)) {
                    let usable = !down.failed.contains(&v) && !down.stopped.contains(&v);
                    assert!(
                        usable || (o.kind == OptionKind::RestoreDatabase && v == a.server),
                        "{} via {} in {t:?}",
                        o.kind.id(),
                        t.name(v)
                    );
                }
                let _ = o.result(&t, &p.failed);
            }
        }
        let r = dpm_rules::risk(&t);
        for f in dpm_rules::fixes(&t, &r) {
            let _ = f.apply(&t);
        }
    }
}

/// Many DPM servers that could each take an option are one grouped option
/// (`among`), not one option each, and `through` gives the option through
/// any of them as the planner would have written it.
#[test]
fn many_servers_that_could_take_an_option_are_one_grouped_option() {
    use dpm_rules::{generate, Action, Destination, OptionKind, ServerId, GROUP_FROM};
    let t = generate(300);
    let dpm = |id: ServerId| t.server(id).is_some_and(|s| s.kind == Kind::Dpm);
    let primary = t
        .servers
        .iter()
        .rev()
        .find(|s| s.kind == Kind::Dpm)
        .unwrap()
        .id;
    let secondary = t.protectors_of(primary).next().unwrap();

    // A primary fails: its servers can move to any DPM server its
    // secondary doesn't know, one option for all of them.
    let p = plan(&t, &[primary]);
    let knows: Vec<ServerId> = t
        .protected_by(secondary)
        .chain(t.protectors_of(secondary))
        .chain([secondary, primary])
        .collect();
    let mut fresh: Vec<ServerId> = t
        .servers
        .iter()
        .map(|s| s.id)
        .filter(|&id| dpm(id) && !knows.contains(&id))
        .collect();
    t.sort_by_name(&mut fresh);
    assert!(fresh.len() >= GROUP_FROM * 4, "{}", fresh.len());
    let mut shared = None;
    let moved: Vec<_> = p.affected.iter().filter(|a| !dpm(a.server)).collect();
    assert!(moved.len() > 3);
    for a in moved {
        let groups: Vec<_> = a
            .options
            .iter()
            .filter(|o| o.kind == OptionKind::MoveToNewServer && o.among.is_some())
            .collect();
        let [g] = groups.as_slice() else {
            panic!("{}: {groups:?}", t.name(a.server))
        };
        let among = g.among.as_ref().unwrap();
        assert_eq!(
            &among[..],
            &fresh[..],
            "every server the secondary doesn't know"
        );
        assert_eq!(g.via.as_deref(), Some(t.name(among[0])));
        // One set for every server moved off the failed primary.
        let first = shared.get_or_insert_with(|| among.clone());
        assert!(std::sync::Arc::ptr_eq(first, among));
        for &m in among.iter() {
            let o = g.through(&t, m).unwrap();
            assert_eq!(o.via.as_deref(), Some(t.name(m)));
            assert_eq!(o.key(), format!("move-to-new-server {}", t.name(m)));
            assert!(
                matches!(o.action, Action::Move { to: Destination::Existing(n), server, .. } if n == m && server == a.server)
            );
            assert!(
                o.reason.starts_with(&format!(
                    "{} doesn't know {}:",
                    t.name(secondary),
                    t.name(m)
                )),
                "{}",
                o.reason
            );
            assert!(o.supported);
        }
        assert_eq!(g.through(&t, g_first(&t, g)).as_ref(), Some(*g));
        assert!(
            g.through(&t, primary).is_none(),
            "not through the failed primary"
        );
        // The new DPM server stays an option of its own.
        assert!(a.options.iter().any(|o| matches!(
            o.action,
            Action::Move {
                to: Destination::New { .. },
                ..
            }
        )));
    }

    // Its secondary fails: each primary it held can be protected again by
    // hundreds of DPM servers, one option for all of them.
    let p = plan(&t, &[secondary]);
    let held: Vec<_> = p
        .affected
        .iter()
        .filter(|a| a.server != secondary && dpm(a.server))
        .collect();
    assert!(!held.is_empty());
    for a in held {
        let groups: Vec<_> = a
            .options
            .iter()
            .filter(|o| o.kind == OptionKind::Reprotect)
            .collect();
        let [g] = groups.as_slice() else {
            panic!("{}: {groups:?}", t.name(a.server))
        };
        let among = g.among.as_ref().expect("grouped");
        assert!(among.len() >= GROUP_FROM && !among.contains(&secondary));
        let what = g.reason.split("; ").next().unwrap();
        for &m in among.iter() {
            let o = g.through(&t, m).unwrap();
            assert_eq!(o.reason, format!("{what}; {} can protect {} without breaking a rule, starting from scratch with a new replica.", t.name(m), t.name(a.server)));
            assert!(matches!(o.action, Action::Reprotect { by, .. } if by == m));
        }
    }
}

/// The server a grouped option is through now (its `via`).
fn g_first(t: &Topology, o: &dpm_rules::RecoveryOption) -> dpm_rules::ServerId {
    t.find(o.via.as_deref().unwrap()).unwrap()
}

/// A secondary that protects many primaries refuses a move to each of them
/// for one reason: one grouped refused option, not one per primary, and
/// `through` names each refused server in its reason.
#[test]
fn refused_moves_to_servers_the_secondary_knows_are_one_grouped_option() {
    use dpm_rules::{Action, OptionKind, Protection, GROUP_FROM};
    let mut t = Topology::new();
    let s = t.add_server("DS-SEC", Kind::Dpm);
    let primaries: Vec<_> = (1..=8)
        .map(|i| t.add_server(format!("DS{i}"), Kind::Dpm))
        .collect();
    let x = t.add_server("SQL1", Kind::Protected);
    for &p in &primaries {
        t.connect(Protection::new(s, p));
    }
    t.connect(Protection::new(primaries[0], x));
    let plan = plan(&t, &[primaries[0]]);
    let refused: Vec<_> = plan
        .affected
        .iter()
        .filter(|a| a.server == x)
        .flat_map(|a| &a.options)
        .filter(|o| o.kind == OptionKind::MoveToKnownServer)
        .collect();
    assert_eq!(refused.len(), 1, "one grouped option: {refused:#?}");
    let among = refused[0].among.as_ref().expect("grouped");
    assert!(among.len() >= GROUP_FROM);
    assert!(among.contains(&s) && among.contains(&primaries[7]));
    let via = refused[0].through(&t, primaries[7]).expect("through DS8");
    assert!(matches!(via.action, Action::Refused { to, .. } if to == primaries[7]));
    assert!(
        via.reason.contains("DS8 is protected by DS-SEC"),
        "{}",
        via.reason
    );
    let own = refused[0].through(&t, s).expect("through the secondary");
    assert!(
        own.reason.contains("DS-SEC cannot become SQL1's primary"),
        "{}",
        own.reason
    );
}
