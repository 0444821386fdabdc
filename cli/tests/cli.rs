//! `dpm-check` as a user runs it: commands, output, exit statuses.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn scenario(name: &str) -> String {
    repo().join("scenarios").join(name).display().to_string()
}

fn case(name: &str) -> String {
    repo()
        .join("rules/tests/cases")
        .join(name)
        .display()
        .to_string()
}

fn run(args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_dpm-check"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut input = child.stdin.take().unwrap();
    input.write_all(stdin.unwrap_or("").as_bytes()).unwrap();
    drop(input);
    child.wait_with_output().unwrap()
}

fn out(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn err(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn check_exit_status_says_whether_there_are_errors() {
    let ok = run(&["check", &scenario("scenario-1.dpm.json")], None);
    assert_eq!(ok.status.code(), Some(0), "{}", err(&ok));
    assert!(out(&ok).contains("info    single-copy-dpm"), "{}", out(&ok));
    assert!(out(&ok).ends_with("Valid (1 info)\n"));

    let bad = run(&["check", &case("protected-twice.dpm.json")], None);
    assert_eq!(bad.status.code(), Some(1));
    assert!(out(&bad).contains(
        "error   protected-twice              PS1, DS1, DS2: PS1 is protected by 2 servers"
    ));

    let missing = run(&["check", "no/such/file.json"], None);
    assert_eq!(missing.status.code(), Some(2));
    assert!(
        err(&missing).starts_with("no/such/file.json: cannot read"),
        "{}",
        err(&missing)
    );
}

#[test]
fn check_json_lists_findings() {
    let o = run(&["check", "--json", &case("long-cycle.dpm.json")], None);
    assert_eq!(o.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_str(&out(&o)).unwrap();
    let f = &v["findings"][0];
    assert_eq!(f["rule"], "long-cycle");
    assert_eq!(f["severity"], "warning");
    assert_eq!(f["servers"], serde_json::json!(["DS1", "DS2", "DS3"]));
    assert!(f["message"].as_str().unwrap().contains("cycle of 3"));
}

#[test]
fn check_reads_several_files_and_stdin() {
    let table = "|Server|Protecting|Protected by|\n|---|---|---|\n|DS1 \\(primary\\)|PS1|\\-|\n";
    let o = run(
        &["check", &scenario("scenario-2.dpm.json"), "-"],
        Some(table),
    );
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    let text = out(&o);
    assert!(text.contains("scenario-2.dpm.json:\n"));
    assert!(
        text.contains("-:\ninfo    single-copy-dpm              DS1"),
        "{text}"
    );
}

#[test]
fn unreadable_input_says_which_file_and_where() {
    let o = run(
        &["check", "-"],
        Some("{\"format\":\"dpm-sketch/1\",\"servers\":[{\"name\":\"A\",\"kind\":\"dpm\",\"colour\":1}]}"),
    );
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        err(&o),
        "<stdin>: servers[0].colour, line 1, column 62: unknown field `colour`, expected one of `name`, `kind`, `version`, `rollup`, `mabs`, `vss_writer`, `workloads`, `host`, `site`, `azure`, `database`, `database_backup`, `domain_controller`, `scale_out`, `replica_set`, `x`, `y`\n"
    );
    let o = run(&["table", "-"], Some("\u{0}\u{1}binary\u{ff}"));
    assert_eq!(o.status.code(), Some(2));
    let o = Command::new(env!("CARGO_BIN_EXE_dpm-check"))
        .args(["table", "-"])
        .stdin(Stdio::from(
            std::fs::File::open(env!("CARGO_BIN_EXE_dpm-check")).unwrap(),
        ))
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(err(&o).contains("not UTF-8 text"), "{}", err(&o));
}

#[test]
fn table_prints_the_seed_layout() {
    let o = run(&["table", &scenario("scenario-2.dpm.json")], None);
    assert_eq!(o.status.code(), Some(0));
    let seed = std::fs::read_to_string(repo().join("rules/tests/seeds/scenario-2.md")).unwrap();
    let expected =
        seed[seed.find("|Server|").unwrap()..].replace("|DS4|DS3|", "|DS4 \\(secondary\\)|DS3|");
    assert_eq!(out(&o), expected);
    // The same table copied from the rendered page (tabs) or saved by a
    // spreadsheet (CSV), from a file or standard input.
    let seeds = repo().join("rules/tests/seeds");
    let tsv = seeds.join("scenario-2.tsv").display().to_string();
    let o = run(&["table", &tsv], None);
    assert_eq!((o.status.code(), out(&o)), (Some(0), expected.clone()));
    let csv = std::fs::read_to_string(seeds.join("scenario-2.csv")).unwrap();
    let o = run(&["table", "-"], Some(&csv));
    assert_eq!((o.status.code(), out(&o)), (Some(0), expected));
    // A broken one says where.
    let o = run(
        &["check", "-"],
        Some("Server,Protecting,Protected by\nDS1,\"PS1\n"),
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(
        err(&o).contains(
            "line 2, column 5: a cell opens with a double quote here and never closes it"
        ),
        "{}",
        err(&o)
    );
}

#[test]
fn failover_lists_the_seeds_options() {
    let o = run(
        &[
            "failover",
            &scenario("moving-protected-servers.dpm.json"),
            "--fail",
            "dpm1",
            "--json",
        ],
        None,
    );
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    let v: serde_json::Value = serde_json::from_str(&out(&o)).unwrap();
    assert_eq!(v["failed"], serde_json::json!(["DPM1"]));
    assert_eq!(v["lost"], serde_json::json!([]));
    let server1 = v["affected"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["server"] == "Server1")
        .unwrap();
    let options: Vec<(String, String, bool)> = server1["options"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| {
            (
                o["kind"].as_str().unwrap().to_string(),
                o["via"].as_str().unwrap().to_string(),
                o["supported"].as_bool().unwrap(),
            )
        })
        .collect();
    let e = |k: &str, v: &str, s: bool| (k.to_string(), v.to_string(), s);
    assert_eq!(
        options,
        [
            e("switch-protection", "DPM3", true),
            e("rebuild-primary", "DPM3", true),
            e("move-to-new-server", "DPM4", true),
            e("move-to-known-server", "DPM2", false),
            e("move-to-known-server", "DPM3", false),
        ]
    );

    let text = run(
        &[
            "failover",
            &scenario("scenario-1.dpm.json"),
            "--fail",
            "DS1",
            "--fail=DS3",
            "--fail",
            "PS1",
        ],
        None,
    );
    assert!(
        out(&text).contains("Lost (no copy survives): PS1\n"),
        "{}",
        out(&text)
    );

    let unknown = run(
        &[
            "failover",
            &scenario("scenario-1.dpm.json"),
            "--fail",
            "DS9",
        ],
        None,
    );
    assert_eq!(unknown.status.code(), Some(2));
    assert!(err(&unknown).contains("--fail DS9: no server has that name"));
}

#[test]
fn export_writes_every_form() {
    let s1 = scenario("scenario-1.dpm.json");
    let json = run(&["export", &s1, "--to", "json"], None);
    assert_eq!(
        out(&json),
        std::fs::read_to_string(&s1).unwrap(),
        "json export is the file itself"
    );
    let mermaid = out(&run(&["export", &s1, "--to", "mermaid"], None));
    assert!(mermaid.starts_with("flowchart TD\n") && mermaid.contains(" --> "));
    let dot = out(&run(&["export", &s1, "--to", "dot"], None));
    assert!(dot.starts_with("digraph dpm {") && dot.contains("->"));
    let svg = out(&run(&["export", &s1, "--to", "svg"], None));
    assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
    assert_eq!(svg.matches("data-server=").count(), 8);
    assert_eq!(svg.matches("data-protection=").count(), 7);
    let table = out(&run(&["export", &s1, "--to", "table"], None));
    assert!(table.starts_with("|Server|Protecting|Protected by|"));
    let bad = run(&["export", &s1, "--to", "pdf"], None);
    assert_eq!(bad.status.code(), Some(2));
    assert!(err(&bad).contains("expected one of json, table, mermaid, dot, svg, html, link"));
    let dark = out(&run(
        &["export", &s1, "--to", "svg", "--theme", "dark"],
        None,
    ));
    assert!(dark.contains(".bg { fill: #161b22; }"), "the dark palette");
}

/// A viewer page shaped as the build writes it (viewer/view.html), the
/// wasm left out: what `--viewer` takes.
fn viewer_page_file() -> String {
    let template =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../viewer/view.html"))
            .unwrap();
    let dir = std::env::temp_dir().join(format!("dpm-check-viewer-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("view.html");
    std::fs::write(&path, template).unwrap();
    path.to_string_lossy().into_owned()
}

#[test]
fn export_to_html_puts_the_scenario_into_the_viewers_page() {
    let s3 = scenario("scenario-3.dpm.json");
    let viewer = viewer_page_file();
    let o = run(
        &[
            "export",
            &s3,
            "--to",
            "html",
            "--theme",
            "dark",
            "--editor",
            "https://docs.example/dpm/",
            "--viewer",
            &viewer,
        ],
        None,
    );
    assert!(o.status.success(), "{}", err(&o));
    let page = out(&o);
    assert!(page.starts_with("<!DOCTYPE html>"));
    assert!(page.contains("data-theme=\"dark\" data-editor=\"https://docs.example/dpm/\""));
    assert!(page.contains("<title>Scenario 3: Cyclic protection</title>"));
    // The scenario in the page is the file's.
    let link = out(&run(&["export", &s3, "--to", "link"], None));
    let share = link.trim().trim_start_matches("#s=");
    assert!(page.contains(&format!("data-scenario=\"{share}\"")));
    // A page that is not the viewer's is refused, saying which.
    let not = std::env::temp_dir().join(format!("dpm-check-not-{}.html", std::process::id()));
    std::fs::write(&not, "<html><body>hello</body></html>").unwrap();
    let bad = run(
        &[
            "export",
            &s3,
            "--to",
            "html",
            "--viewer",
            not.to_str().unwrap(),
        ],
        None,
    );
    assert_eq!(bad.status.code(), Some(2));
    assert!(
        err(&bad).contains("not the viewer's page of this version"),
        "{}",
        err(&bad)
    );
    let missing = run(
        &[
            "export",
            &s3,
            "--to",
            "html",
            "--viewer",
            "/nonexistent/view.html",
        ],
        None,
    );
    assert_eq!(missing.status.code(), Some(2));
    assert!(err(&missing).contains("cannot read the viewer's page"));
}

#[test]
fn export_options_are_checked() {
    let s1 = scenario("scenario-1.dpm.json");
    for (args, says) in [
        (
            vec!["--to", "html", "--theme", "sepia"],
            "--theme sepia: expected light or dark",
        ),
        (
            vec!["--to", "json", "--theme", "dark"],
            "--theme is for --to svg or html",
        ),
        (
            vec!["--to", "svg", "--editor", "https://x/"],
            "--editor and --viewer for --to html",
        ),
        (
            vec!["--to", "dot", "--viewer", "view.html"],
            "--editor and --viewer for --to html",
        ),
        (
            vec!["--to", "html", "--editor", "javascript:alert(1)"],
            "expected the editor's address",
        ),
    ] {
        let mut a = vec!["export", s1.as_str()];
        a.extend(args);
        let o = run(&a, None);
        assert_eq!(o.status.code(), Some(2), "{a:?}");
        assert!(err(&o).contains(says), "{a:?}: {}", err(&o));
    }
}

#[test]
fn a_share_link_is_made_and_read_back() {
    let s1 = scenario("scenario-1.dpm.json");
    let link = out(&run(&["export", &s1, "--to", "link"], None));
    assert!(
        link.starts_with("#s=") && link.ends_with('\n') && link.len() < 200,
        "{link}"
    );
    // The whole address, as someone pastes it, reads as the same scenario.
    let url = format!("http://127.0.0.1:8080/{link}");
    let back = run(&["export", "-", "--to", "json"], Some(&url));
    assert_eq!(out(&back), std::fs::read_to_string(&s1).unwrap());
    let damaged = run(&["check", "-"], Some(&url[..url.len() - 12]));
    assert_eq!(damaged.status.code(), Some(2));
    assert!(
        err(&damaged).contains("this share link is damaged"),
        "{}",
        err(&damaged)
    );
}

#[test]
fn hostile_names_stay_text_in_every_export() {
    let f = case("hostile-names.dpm.json");
    for to in ["svg", "mermaid", "dot"] {
        let o = out(&run(&["export", &f, "--to", to], None));
        assert!(!o.contains("<img"), "--to {to}: {o}");
    }
    // Markdown: a backslash makes "<" a literal character.
    let table = out(&run(&["export", &f, "--to", "table"], None));
    assert!(
        table.contains("|\\<img src=x onerror=alert\\(1\\)\\> \\(primary\\)|"),
        "{table}"
    );
    assert!(!table.replace("\\<", "").contains('<'), "{table}");
}

#[test]
fn bad_usage_is_status_2_with_usage() {
    for args in [
        &[][..],
        &["frobnicate"],
        &["check"],
        &["export", "x.json"],
        &["failover", "x.json"],
        &["check", "--colour", "x"],
    ] {
        let o = run(args, None);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        assert!(err(&o).contains("usage:"), "{args:?}: {}", err(&o));
    }
    let help = run(&["--help"], None);
    assert_eq!(help.status.code(), Some(0));
}

#[test]
fn risk_names_single_points_and_fixes_with_exit_status() {
    let o = run(&["risk", &scenario("scenario-1.dpm.json"), "--json"], None);
    assert_eq!(
        o.status.code(),
        Some(1),
        "a single point of failure: {}",
        err(&o)
    );
    let v: serde_json::Value = serde_json::from_str(&out(&o)).unwrap();
    assert_eq!(v["single_points"][0]["server"], "DS4");
    assert_eq!(v["single_points"][0]["loses"][0], "DS4 database");
    assert_eq!(v["single_points"][0]["unprotects"][0], "DS3 database");
    assert_eq!(
        v["under_two_copies"],
        serde_json::json!(["DS3 database", "DS4 database"])
    );
    assert_eq!(v["fixes"][0]["add"][0], "DS1->DS4");
    assert_eq!(v["fixes"][0]["removes"][0], "DS4");
    // Closing the chain into a cycle has a cost, said before it is made.
    assert_eq!(v["fixes"][0]["brings"][0]["rule"], "long-cycle");
    assert_eq!(v["fixes"][0]["brings"][0]["severity"], "warning");
    let text = run(&["risk", &scenario("scenario-1.dpm.json")], None);
    assert!(
        out(&text).contains(
            "fix, any one of: DS1->DS4 (brings the long-cycle warning), DS2->DS4 (brings the long-cycle warning)"
        ),
        "{}",
        out(&text)
    );

    let none = run(&["risk", &case("no-single-point.dpm.json")], None);
    assert_eq!(none.status.code(), Some(0), "{}", err(&none));
    assert!(out(&none).contains("No single point of failure"));

    let text = run(
        &["risk", &scenario("moving-protected-servers.dpm.json")],
        None,
    );
    assert!(out(&text).contains("no fix: "), "{}", out(&text));
    assert_eq!(
        run(&["risk", "no-such-file.json"], None).status.code(),
        Some(2)
    );
    assert_eq!(
        run(&["risk", "-"], Some("{ not json")).status.code(),
        Some(2)
    );
}

fn exercise(name: &str) -> String {
    repo().join("exercises").join(name).display().to_string()
}

#[test]
fn exercise_grades_solutions_in_bulk() {
    let ex = exercise("8-no-single-point.exercise.json");
    let good = exercise("8-no-single-point.solution.dpm.json");
    let start = scenario("scenario-1.dpm.json");

    let o = run(&["exercise", &ex, &good], None);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    assert!(out(&o).contains("3/3 goals"), "{}", out(&o));

    let o = run(&["exercise", &ex, &good, &start, "--json"], None);
    assert_eq!(o.status.code(), Some(1), "one solution fails: {}", err(&o));
    let v: serde_json::Value = serde_json::from_str(&out(&o)).unwrap();
    let r = &v["results"];
    assert_eq!(r[0]["passed"], 3);
    assert_eq!(r[0]["total"], 3);
    assert_eq!(r[1]["file"], start.as_str());
    assert_eq!(r[1]["passed"], 1);
    assert_eq!(r[1]["goals"][0]["id"], "no-spof");
    assert_eq!(r[1]["goals"][0]["pass"], false);
    assert!(r[1]["goals"][0]["why"].as_str().unwrap().contains("DS4"));

    // The text form names the failing goal and what is wrong.
    let text = out(&run(&["exercise", &ex, &start], None));
    assert!(text.contains("FAIL  no-spof"), "{text}");
    assert!(text.contains("If DS4 fails alone"), "{text}");

    // An exercise link works in place of the file, from standard input.
    let link = format!(
        "http://127.0.0.1:8080/#x={}",
        dpm_rules::exercise_to_link(
            &dpm_rules::read_exercise(&std::fs::read_to_string(&ex).unwrap()).unwrap()
        )
    );
    let o = run(&["exercise", "-", &good], Some(&link));
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));

    // Unreadable input: status 2, with the file named; the rest still graded.
    let o = run(
        &["exercise", &ex, "no-such-file.json", &good, "--json"],
        None,
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(err(&o).contains("no-such-file.json"));
    let v: serde_json::Value = serde_json::from_str(&out(&o)).unwrap();
    assert_eq!(v["results"][1]["passed"], 3);
    let o = run(&["exercise", &start, &good], None);
    assert_eq!(o.status.code(), Some(2), "a scenario is not an exercise");
    assert!(err(&o).contains("not a DPM Sketch exercise"), "{}", err(&o));
    assert_eq!(run(&["exercise", &ex], None).status.code(), Some(2));
}

#[test]
fn failover_fails_sites_hosts_and_database_servers() {
    // A site fails whole; the JSON says who went down with what.
    let o = run(
        &[
            "failover",
            &case("estate-sites.dpm.json"),
            "--fail-site",
            "london",
            "--json",
        ],
        None,
    );
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    let v: serde_json::Value = serde_json::from_str(&out(&o)).unwrap();
    assert_eq!(v["failed"], serde_json::json!(["DPM1", "FS1"]));
    assert_eq!(
        v["also_down"][0],
        serde_json::json!({"server": "DPM1", "because_of": "London", "how": "site"})
    );
    assert_eq!(v["lost"], serde_json::json!([]));

    // --fail-site combines with --fail.
    let o = run(
        &[
            "failover",
            &case("estate-sites.dpm.json"),
            "--fail-site=Dublin",
            "--fail",
            "FS1",
        ],
        None,
    );
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    assert!(out(&o).contains("Failed: DPM2, FS1, FS2"), "{}", out(&o));
    assert!(
        out(&o).contains("  FS2: down with site Dublin"),
        "{}",
        out(&o)
    );

    // An unknown site names the sites there are.
    let o = run(
        &[
            "failover",
            &case("estate-sites.dpm.json"),
            "--fail-site",
            "Paris",
        ],
        None,
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(err(&o).contains("--fail-site Paris"), "{}", err(&o));
    assert!(err(&o).contains("Dublin, London"), "{}", err(&o));
    let o = run(
        &[
            "failover",
            &scenario("scenario-1.dpm.json"),
            "--fail-site",
            "X",
        ],
        None,
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(err(&o).contains("names no site"), "{}", err(&o));

    // A host takes its guests; nothing is restored through them.
    let o = run(
        &["failover", &case("estate-host.dpm.json"), "--fail", "HV1"],
        None,
    );
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    assert!(out(&o).contains("  DPM1: down with HV1\n"), "{}", out(&o));
    assert!(!out(&o).contains("via DPM1"), "{}", out(&o));

    // A database server stops its DPM server: restore-database first.
    let o = run(
        &[
            "failover",
            &case("estate-remote-db.dpm.json"),
            "--fail",
            "SQLDB1",
            "--json",
        ],
        None,
    );
    let v: serde_json::Value = serde_json::from_str(&out(&o)).unwrap();
    assert_eq!(
        v["also_down"],
        serde_json::json!([{"server": "DPM1", "because_of": "SQLDB1", "how": "database"}])
    );
    assert_eq!(v["unprotected"], serde_json::json!(["FS1"]));
    assert_eq!(v["lost"], serde_json::json!([]));
    assert_eq!(v["plan"][0]["action"], "restore-database");
    assert_eq!(v["plan"][1]["action"], "restore-from-primary");
    let dpm1 = v["affected"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["server"] == "DPM1")
        .unwrap();
    assert!(dpm1["options"]
        .as_array()
        .unwrap()
        .iter()
        .all(|o| o["kind"] == "restore-database" && o["supported"] == true));
    let text = run(
        &[
            "failover",
            &case("estate-remote-db.dpm.json"),
            "--fail",
            "SQLDB1",
        ],
        None,
    );
    assert!(
        out(&text).contains("  DPM1: stopped: its database is on SQLDB1\n"),
        "{}",
        out(&text)
    );

    // Without hosts, sites or databases, also_down is there and empty.
    let o = run(
        &[
            "failover",
            &scenario("scenario-1.dpm.json"),
            "--fail",
            "DS1",
            "--json",
        ],
        None,
    );
    let v: serde_json::Value = serde_json::from_str(&out(&o)).unwrap();
    assert_eq!(v["also_down"], serde_json::json!([]));
    assert!(!out(&run(
        &[
            "failover",
            &scenario("scenario-1.dpm.json"),
            "--fail",
            "DS1"
        ],
        None
    ))
    .contains("Down with another"));
    // Neither --fail nor --fail-site: bad usage.
    let o = run(&["failover", &scenario("scenario-1.dpm.json")], None);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn risk_offers_a_database_backup_where_no_protector_may_be() {
    let o = run(&["risk", &case("estate-mabs.dpm.json"), "--json"], None);
    assert_eq!(o.status.code(), Some(1), "{}", err(&o));
    let v: serde_json::Value = serde_json::from_str(&out(&o)).unwrap();
    assert_eq!(
        v["fixes"],
        serde_json::json!([{"set": ["MABS1 database_backup azure"], "removes": ["MABS1"], "brings": []}])
    );
    let text = run(&["risk", &case("estate-mabs.dpm.json")], None);
    assert!(
        out(&text).contains("fix, any one of: set MABS1 database_backup azure"),
        "{}",
        out(&text)
    );
    // A database on tape is not lost with its server.
    let o = run(&["risk", &case("estate-tape.dpm.json"), "--json"], None);
    let v: serde_json::Value = serde_json::from_str(&out(&o)).unwrap();
    assert_eq!(v["single_points"][0]["server"], "DPM2");
    assert_eq!(v["single_points"][0]["loses"], serde_json::json!([]));
    // A database server takes the DPM server it stops.
    let o = run(
        &["risk", &case("estate-remote-db.dpm.json"), "--json"],
        None,
    );
    let v: serde_json::Value = serde_json::from_str(&out(&o)).unwrap();
    let sql = v["single_points"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["server"] == "SQLDB1")
        .unwrap();
    assert_eq!(sql["takes"][0]["how"], "database");
    assert_eq!(sql["unprotects"], serde_json::json!(["FS1"]));
}

#[test]
fn failover_gives_an_option_many_servers_could_take_once_with_all_of_them() {
    let t = dpm_rules::generate(300);
    let primary = t
        .servers
        .iter()
        .rev()
        .find(|s| s.kind == dpm_rules::Kind::Dpm)
        .unwrap();
    let json = dpm_rules::to_json(&t);
    let o = run(
        &["failover", "-", "--fail", &primary.name, "--json"],
        Some(&json),
    );
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    let v: serde_json::Value = serde_json::from_str(&out(&o)).unwrap();
    let affected = v["affected"].as_array().unwrap();
    let moved = affected
        .iter()
        .find(|a| a["server"] != primary.name.as_str())
        .unwrap();
    let grouped: Vec<&serde_json::Value> = moved["options"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|o| o.get("among").is_some())
        .collect();
    assert_eq!(grouped.len(), 1, "{moved}");
    let among = grouped[0]["among"].as_array().unwrap();
    assert!(among.len() >= dpm_rules::GROUP_FROM, "{among:?}");
    assert_eq!(grouped[0]["via"], among[0]);
    assert_eq!(grouped[0]["kind"], "move-to-new-server");

    let o = run(&["failover", "-", "--fail", &primary.name], Some(&json));
    let text = out(&o);
    assert!(
        text.contains(&format!(
            "      {} DPM servers could take it: {}, ",
            among.len(),
            among[0].as_str().unwrap()
        )),
        "{text}"
    );
    assert!(text.contains(", … (--json lists them all)\n"), "{text}");
}

fn inventory(dir: &str, name: &str) -> String {
    repo()
        .join("rules/tests/inventory")
        .join(dir)
        .join(name)
        .display()
        .to_string()
}

#[test]
fn import_writes_the_estate_and_the_report_with_exit_status() {
    let small: Vec<String> = ["DPM1", "DPM2", "DPM3", "MABS1"]
        .iter()
        .map(|n| inventory("small", &format!("{n}.dpm-inventory.json")))
        .collect();
    let mut args = vec!["import"];
    args.extend(small.iter().map(String::as_str));
    let o = run(&args, None);
    // APP1 is claimed directly by DPM3 and MABS1: a conflict.
    assert_eq!(o.status.code(), Some(1), "{}", err(&o));
    let v: serde_json::Value = serde_json::from_str(&out(&o)).unwrap();
    assert_eq!(v["format"], "dpm-sketch/2");
    let dpm3 = v["servers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == "DPM3")
        .unwrap();
    assert_eq!(dpm3["database"], "SQLDB1");
    assert!(dpm3["x"].is_number(), "laid out: {dpm3}");
    let e = err(&o);
    assert!(
        e.lines().next().unwrap().starts_with(&format!(
            "conflict  {}, datasources[1] (line 19): APP1 is protected directly by 2 DPM servers",
            small[3]
        )),
        "{e}"
    );
    assert!(e.contains("switched protection"), "{e}");
    // What it writes, `check` reads.
    let again = run(&["check", "-"], Some(&out(&o)));
    assert_eq!(again.status.code(), Some(1), "{}", err(&again));
    assert!(out(&again).contains("protected-twice"));

    // Without the conflicting MABS1 file: exit 0; --report prints the
    // report alone.
    let o = run(
        &["import", &small[0], &small[1], &small[2], "--report"],
        None,
    );
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    assert!(out(&o).starts_with("unknown   "), "{}", out(&o));
    assert!(err(&o).is_empty(), "{}", err(&o));

    // --json: the report as one document; a CSV beside a JSON file.
    let csv = inventory("csv", "DPM2-datasources.csv");
    let o = run(&["import", &small[0], &csv, "--report", "--json"], None);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    let v: serde_json::Value = serde_json::from_str(&out(&o)).unwrap();
    let lines = v["report"].as_array().unwrap();
    let switched = lines
        .iter()
        .find(|l| {
            l["message"]
                .as_str()
                .unwrap()
                .contains("switched protection")
        })
        .unwrap();
    assert_eq!(switched["kind"], "inferred");
    assert_eq!(switched["file"], csv.as_str());
    assert_eq!(switched["place"], "line 6");
    assert_eq!(switched["servers"], serde_json::json!(["FS2", "DPM2"]));
}

#[test]
fn import_says_which_files_it_could_not_read() {
    let good = inventory("small", "DPM1.dpm-inventory.json");
    let bad = inventory("bad", "truncated.dpm-inventory.json");
    // One unreadable file among good ones: the rest is imported, status 2.
    let o = run(&["import", &good, &bad, "no/such.json"], None);
    assert_eq!(o.status.code(), Some(2));
    assert!(out(&o).contains("\"DPM1\""), "{}", out(&o));
    let e = err(&o);
    assert!(e.contains("no/such.json: cannot read"), "{e}");
    assert!(
        e.contains(&format!("skipped   {bad}, line 5: not JSON")),
        "{e}"
    );

    // Nothing readable: no scenario, each file and why.
    let o = run(&["import", &bad, "-"], Some("hello"));
    assert_eq!(o.status.code(), Some(2));
    assert!(out(&o).is_empty());
    let e = err(&o);
    assert!(e.contains("nothing to import:"), "{e}");
    assert!(e.contains(&format!("  {bad}: not JSON")), "{e}");
    assert!(e.contains("  <stdin>: not a DPM inventory"), "{e}");

    // UTF-16, as Windows PowerShell's `>` writes it, is read.
    let text = std::fs::read_to_string(&good).unwrap();
    let mut utf16 = vec![0xFF, 0xFE];
    for u in text.encode_utf16() {
        utf16.extend(u.to_le_bytes());
    }
    let path = std::env::temp_dir().join(format!("dpm-check-utf16-{}.json", std::process::id()));
    std::fs::write(&path, utf16).unwrap();
    let o = run(&["import", &path.display().to_string()], None);
    let _ = std::fs::remove_file(&path);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    assert!(out(&o).contains("\"FS1\""));

    let o = run(&["import"], None);
    assert_eq!(o.status.code(), Some(2));
    assert!(err(&o).contains("import needs at least one INVENTORY file"));
}
