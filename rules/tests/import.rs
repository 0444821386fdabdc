//! The inventory import as data: each folder of `tests/inventory/` (but
//! `bad/`) is one estate, every file in it imported together, and what the
//! import says (the report, the scenario, the findings) is compared with
//! its snapshot in `tests/snapshots/inventory-FOLDER.txt`; every file of
//! `tests/inventory/bad/` is imported alone and must be refused or
//! reported with its file and place, never a panic. `UPDATE_EXPECT=1 cargo
//! test` rewrites the snapshots; review the diff.

use std::fmt::Write;
use std::fs;
use std::path::{Path, PathBuf};

use dpm_rules::import::{self, ReportKind};
use dpm_rules::{check, to_json, Topology};
use expect_test::expect_file;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/inventory")
}

fn files_in(dir: &Path) -> Vec<(String, String)> {
    let mut v: Vec<PathBuf> = fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file())
        .collect();
    v.sort();
    v.into_iter()
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            let bytes = fs::read(&p).unwrap();
            let text = import::text_of(&bytes).unwrap_or_else(|e| panic!("{name}: {e}"));
            (name, text)
        })
        .collect()
}

fn pairs(files: &[(String, String)]) -> Vec<(&str, &str)> {
    files
        .iter()
        .map(|(n, t)| (n.as_str(), t.as_str()))
        .collect()
}

/// The scenario as written, without positions (the layout has its own
/// tests), and the findings the rules give it.
fn describe(t: &Topology) -> String {
    let mut bare = t.clone();
    for s in &mut bare.servers {
        s.pos = None;
    }
    let mut out = String::from("## Scenario\n");
    out.push_str(&to_json(&bare));
    out.push_str("\n## Findings\n");
    for f in check(t) {
        let servers: Vec<&str> = f.servers.iter().map(|&id| t.name(id)).collect();
        let _ = writeln!(out, "{} {} [{}]", f.severity(), f.rule, servers.join(", "));
    }
    out
}

#[test]
fn every_sample_estate_matches_its_snapshot() {
    let mut dirs: Vec<PathBuf> = fs::read_dir(root())
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_dir() && !p.ends_with("bad"))
        .collect();
    dirs.sort();
    assert!(dirs.len() >= 2, "{dirs:?}");
    for dir in dirs {
        let files = files_in(&dir);
        let imported = import::read(&pairs(&files)).unwrap_or_else(|e| panic!("{e}"));
        let t = &imported.topology;
        assert!(t.servers.iter().all(|s| s.pos.is_some()), "laid out");
        // What the import writes, every reader reads back as the same drawing.
        let again = dpm_rules::read(&to_json(t)).unwrap_or_else(|e| panic!("{e}"));
        assert!(again.same_content(t), "{}", dir.display());
        // Every server a line names is in the drawing, for the app to select.
        for l in &imported.report {
            for s in &l.servers {
                assert!(t.find(s).is_some(), "{s} in {l}");
            }
        }
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        let text = format!(
            "# {name}: {}\n\n## Report\n{}\n{}",
            files
                .iter()
                .map(|f| f.0.as_str())
                .collect::<Vec<_>>()
                .join(", "),
            imported.report_text(),
            describe(t)
        );
        expect_file![Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/snapshots")
            .join(format!("inventory-{name}.txt"))]
        .assert_eq(&text);
    }
}

/// Malformed and partial files: each refused with its name and why, or
/// read with a line that names the file and the place; never a panic.
#[test]
fn bad_and_partial_files_are_refused_or_reported_with_file_and_place() {
    let files = files_in(&root().join("bad"));
    assert!(files.len() >= 15, "{}", files.len());
    let mut text = String::new();
    for (name, body) in &files {
        let _ = writeln!(text, "### {name}");
        match import::read(&[(name, body)]) {
            Err(e) => {
                assert_eq!(e.files.len(), 1, "{name}");
                assert_eq!(e.files[0].0, *name);
                let _ = writeln!(text, "refused: {e}");
            }
            Ok(i) => {
                let said = i.report.iter().any(|l| {
                    l.file == *name && !l.place.is_empty() && l.kind != ReportKind::Conflict
                });
                assert!(said, "{name}: {}", i.report_text());
                for l in i.report.iter().filter(|l| !l.file.is_empty()) {
                    let _ = writeln!(text, "{l}");
                }
            }
        }
        text.push('\n');
    }
    expect_file![Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots/inventory-bad.txt")]
        .assert_eq(&text);
}

mod never_panics {
    use dpm_rules::import;
    use proptest::prelude::*;

    /// A JSON-ish inventory: the export's field names and values that
    /// matter (and wrong kinds of them), in any arrangement.
    fn inventory_like() -> impl Strategy<Value = String> {
        let key = prop::sample::select(vec![
            "\"format\"",
            "\"dpmServer\"",
            "\"datasources\"",
            "\"productionServers\"",
            "\"ProductionServerName\"",
            "\"SourceDPMServer\"",
            "\"ProtectionType\"",
            "\"IsDPMDatabase\"",
            "\"ObjectType\"",
            "\"dbServer\"",
            "\"msdpmFileVersion\"",
            "\"site\"",
            "\"Protected\"",
        ]);
        let value = prop::sample::select(vec![
            "\"dpm-inventory/1\"",
            "\"DPM1\"",
            "\"DPM2.corp.example\"",
            "\"FS1\"",
            "\"ProtectFromDPM\"",
            "\"ProtectFromPS\"",
            "\"10.19.458.0\"",
            "\"Volume\"",
            "\"SQLDB1\\\\DPM\"",
            "true",
            "false",
            "null",
            "1e308",
            "[]",
            "{}",
            "\"\"",
        ]);
        prop::collection::vec((key, value, 0u8..6), 0..40).prop_map(|parts| {
            let mut s = String::from("{\"format\": \"dpm-inventory/1\"");
            for (k, v, shape) in parts {
                match shape {
                    0 => s.push_str(&format!(", \"datasources\": [{{{k}: {v}}}")),
                    1 => s.push(']'),
                    2 => s.push_str(&format!(", {{{k}: {v}}}")),
                    3 => s.push_str(&format!(", {k}: {v}")),
                    _ => s.push_str(&format!(", {k}: [{v}, {{{k}: {v}}}]")),
                }
            }
            s.push('}');
            s
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]

        #[test]
        fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
            if let Ok(text) = import::text_of(&bytes) {
                let _ = import::read(&[("a.json", &text), ("b.csv", &text)]);
            }
        }

        #[test]
        fn arbitrary_text_never_panics(a in "\\PC{0,300}", b in "[\",;\\t\\r\\n#a-zA-Z0-9 ]{0,300}") {
            let _ = import::read(&[("a", &a), ("b", &b)]);
            let header = format!("DpmServer,ProductionServerName,SourceDPMServer,ProtectionType,IsDPMDatabase\n{b}");
            let _ = import::read(&[("c.csv", &header)]);
        }

        #[test]
        fn inventory_like_json_never_panics_and_reads_back(a in inventory_like(), b in inventory_like()) {
            if let Ok(i) = import::read(&[("DPM1.dpm-inventory.json", &a), ("DPM2.dpm-inventory.json", &b)]) {
                // Whatever the import draws, the scenario reader takes back.
                let json = dpm_rules::to_json(&i.topology);
                prop_assert!(dpm_rules::read(&json).is_ok(), "{json}");
                let _ = dpm_rules::check(&i.topology);
            }
        }
    }
}

/// The generated large estate: 1,000 DPM servers and 20,000 data sources,
/// imported whole, with what the generator promises in it.
#[test]
fn the_generated_large_estate_imports_whole() {
    let files = import::generate(1_000, 20_000);
    assert_eq!(files.len(), 1_000);
    let rows: usize = files
        .iter()
        .map(|(_, t)| t.matches("\"ProductionServerName\"").count())
        .sum();
    assert!((19_000..=21_000).contains(&rows), "{rows} rows");
    let i = import::read_unplaced(&pairs(&files)).unwrap();
    let t = &i.topology;
    let dpm = t.servers.iter().filter(|s| s.is_dpm()).count();
    assert_eq!(dpm, 1_000);
    assert!(!i.has_conflicts(), "{}", i.report_text());
    assert!(t.servers.iter().any(|s| s.database.is_some()));
    assert!(t.protections.iter().any(|p| p.switched));
    assert!(dpm_rules::read(&to_json(t)).is_ok());
}

/// The app sends a file to the import or to the scenario reader by
/// content: inventories (JSON and CSV) are told from scenarios and tables.
#[test]
fn inventories_are_told_from_scenarios_and_tables() {
    for dir in ["small", "csv"] {
        for (name, text) in files_in(&root().join(dir)) {
            assert!(import::looks_like_inventory(&text), "{name}");
        }
    }
    let seeds = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/seeds");
    let scenarios = Path::new(env!("CARGO_MANIFEST_DIR")).join("../scenarios");
    for dir in [seeds, scenarios] {
        for (name, text) in files_in(&dir) {
            assert!(!import::looks_like_inventory(&text), "{name}");
        }
    }
    assert!(import::looks_like_inventory(
        "\u{feff}[{\"format\": \"dpm-inventory/1\"}]"
    ));
    assert!(!import::looks_like_inventory(""));
}

fn export(dpm: &str, rows: &[(&str, &str, &str)]) -> String {
    let rows: Vec<String> = rows
        .iter()
        .map(|(server, name, kind)| {
            format!("{{\"ProductionServerName\": \"{server}\", \"Name\": \"{name}\", \"ObjectType\": \"{kind}\"}}")
        })
        .collect();
    format!(
        "{{\"format\": \"dpm-inventory/1\", \"dpmServer\": \"{dpm}\", \"datasources\": [{}]}}",
        rows.join(", ")
    )
}

/// Virtual machines of one cluster spread over two DPM servers are
/// scale-out protection, not a conflict; the same VM on both is one.
#[test]
fn vms_spread_over_dpm_servers_are_scale_out_and_the_same_vm_twice_a_conflict() {
    let a = export(
        "DPM1",
        &[("HVCLU1.corp.example", "VM1", "Microsoft Hyper-V")],
    );
    let b = export(
        "DPM2",
        &[("HVCLU1.corp.example", "VM2", "Microsoft Hyper-V")],
    );
    let i = import::read(&[("a.json", &a), ("b.json", &b)]).unwrap();
    let t = &i.topology;
    let clu = t.server(t.find("HVCLU1").unwrap()).unwrap();
    assert_eq!(clu.scale_out, Some(true));
    assert!(!i.has_conflicts(), "{}", i.report_text());
    assert!(i.report_text().contains("scale-out protection"));
    assert!(check(t).iter().all(|f| f.rule.id() != "protected-twice"));

    let c = export(
        "DPM2",
        &[("HVCLU1.corp.example", "VM1", "Microsoft Hyper-V")],
    );
    let i = import::read(&[("a.json", &a), ("c.json", &c)]).unwrap();
    assert!(i.has_conflicts(), "{}", i.report_text());
    let line = &i.report[0];
    assert_eq!(
        (line.file.as_str(), line.kind),
        ("c.json", ReportKind::Conflict)
    );
    assert_eq!(line.servers, ["HVCLU1", "DPM1", "DPM2"]);
    assert!(
        line.message.contains("DPM1 at a.json, datasources[0]"),
        "{}",
        line.message
    );
}

/// One name in two domains is two computers, drawn under full names; one
/// name written short and long is one computer; an export sent twice is
/// read once, and said.
#[test]
fn names_are_compared_on_their_first_label_unless_two_domains_share_it() {
    let a = export(
        "DPM1",
        &[
            ("FS1.corp.example", "D:\\\\", "Volume"),
            ("FS1.branch.example", "D:\\\\", "Volume"),
            ("SQL1", "db", "SQL Server database"),
        ],
    );
    let b = export(
        "dpm1",
        &[("sql1.CORP.example", "db2", "SQL Server database")],
    );
    let i = import::read(&[("a.json", &a), ("b.json", &b)]).unwrap();
    let t = &i.topology;
    let names: Vec<&str> = t.servers.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(
        names,
        ["DPM1", "FS1.corp.example", "FS1.branch.example", "SQL1"]
    );
    assert_eq!(t.protections.len(), 3);
    let text = i.report_text();
    assert!(text.contains("drawn under their full names: fs1"), "{text}");
    assert!(text.contains("DPM1 sent more than one export"), "{text}");
}
