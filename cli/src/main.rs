//! `dpm-check`: the rule crate on the command line, for documentation
//! pipelines and anyone who would rather type.
//!
//! Exit statuses: 0 fine, 1 `check` found errors, 2 unreadable input or a
//! bad command line. Nothing here decides anything about DPM; it reads,
//! asks `dpm-rules`, and prints.

use std::io::{self, Read, Write};
use std::process::ExitCode;

use dpm_rules::{
    check, evaluate, fixes, is_web_address, plan_outage, read, read_exercise, risk, site_members,
    sites, to_dot, to_json, to_mermaid, to_share, to_svg, to_table, viewer_page, why_no_fix,
    DataSource, Finding, Fix, Plan, Protection, Risk, ServerId, Severity, SinglePoint, SvgOptions,
    Theme, Topology, MAX_INPUT_BYTES,
};
use serde_json::{json, Value};

const USAGE: &str = "\
dpm-check: check Microsoft DPM protection topologies

usage:
  dpm-check check FILE... [--json]
  dpm-check table FILE
  dpm-check failover FILE [--fail NAME ...] [--fail-site SITE ...] [--json]
  dpm-check export FILE --to json|table|mermaid|dot|svg|html|link
                   [--theme light|dark] [--editor URL] [--viewer VIEW.HTML]
  dpm-check risk FILE [--json]
  dpm-check exercise EXERCISE SOLUTION... [--json]
  dpm-check import INVENTORY... [--report] [--json]

FILE is a scenario file (dpm-sketch/1 or /2 JSON), a table with the columns
Server, Protecting and Protected by (Markdown as the documentation writes it,
tab-separated as a web page or spreadsheet copies it, or CSV), or a text
holding a DPM Sketch share link, told apart by content; - reads standard
input.

failover fails the servers named by --fail and every server of each site
named by --fail-site (at least one of them), with every guest of a failed
host; a DPM server whose database is on a failed server stops.

export --to link prints the fragment of a share link (#s=...): put it after
the app's address to open the scenario there.

export --to html prints one self-contained HTML page: the documentation
viewer with the scenario in it (its findings, and a failure to simulate),
needing no other file and no network: open it from disk, put it on any
static host, or in a frame sandboxed to allow-scripts. --theme picks its
palette (default: the reader's system) and the SVG's (default light);
--editor URL gives the editor's address for its 'Open in the editor' link
(without it the page has none). The viewer is the one built into
dpm-check; --viewer takes another build's view.html (dist/view.html after
trunk build --release).

risk lists the single points of failure (a server whose failure alone loses
data or leaves data with no copy), the data held in fewer than two places,
and protections to add (or, for a DPM server that may not have a protector,
a database backup to set) that remove a single point without an error
finding, each with the warnings it would bring ('brings the long-cycle
warning'), those that bring none first.

exercise grades solutions: EXERCISE is an exercise file (dpm-exercise/1) or
a text holding an exercise link (#x=...); each SOLUTION is a scenario as
FILE above. It prints each goal with pass or fail and a total per solution.

import merges the inventories that scripts/export-dpm-inventory.ps1 writes
on each DPM server (NAME.dpm-inventory.json, dpm-inventory/1) and CSV files
of Get-DPMDatasource rows with the DPM server's name in a DpmServer,
DPMServerName or PSComputerName column, and writes the estate as scenario
JSON (dpm-sketch/2 when it holds version 2 facts), laid out, to standard
output. The import report goes to standard error, one line each: its kind
(conflict, skipped, unknown, inferred), the file and place (JSON path and
line, or CSV line), and what it says. --report prints the report only (to
standard output, no scenario); --json prints the report as one JSON
document, {\"report\": [{\"kind\", \"file\", \"place\", \"message\",
\"servers\"}]}, where the text report would go. A file that cannot be read at
all is reported and the rest imported.

exit status: 0 fine, 1 check found errors (risk: a single point of failure;
exercise: a goal failed; import: the report has a conflict), 2 unreadable
input (import: some file could not be read at all) or bad usage";

/// What a run prints and how it ends.
struct Outcome {
    out: String,
    err: String,
    code: u8,
}

impl Outcome {
    fn ok(out: String) -> Outcome {
        Outcome {
            out,
            err: String::new(),
            code: 0,
        }
    }

    fn fail(err: String) -> Outcome {
        Outcome {
            out: String::new(),
            err,
            code: 2,
        }
    }
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let o = run(&args, &mut io::stdin());
    // A closed pipe (`dpm-check ... | head`) is not an error worth a panic.
    let _ = io::stdout().write_all(o.out.as_bytes());
    let _ = io::stderr().write_all(o.err.as_bytes());
    ExitCode::from(o.code)
}

fn usage_error(msg: &str) -> Outcome {
    Outcome::fail(format!("dpm-check: {msg}\n\n{USAGE}\n"))
}

fn run(args: &[String], stdin: &mut dyn Read) -> Outcome {
    let Some((cmd, rest)) = args.split_first() else {
        return usage_error("no command given");
    };
    match cmd.as_str() {
        "-h" | "--help" | "help" => Outcome::ok(format!("{USAGE}\n")),
        "-V" | "--version" => Outcome::ok(format!("dpm-check {}\n", env!("CARGO_PKG_VERSION"))),
        "check" => cmd_check(rest, stdin),
        "table" => cmd_table(rest, stdin),
        "failover" => cmd_failover(rest, stdin),
        "export" => cmd_export(rest, stdin),
        "risk" => cmd_risk(rest, stdin),
        "exercise" => cmd_exercise(rest, stdin),
        "import" => cmd_import(rest, stdin),
        other => usage_error(&format!("unknown command \"{other}\"")),
    }
}

/// Splits arguments into files and flags; `with_value` flags take the next
/// argument.
struct Parsed {
    files: Vec<String>,
    json: bool,
    report: bool,
    fail: Vec<String>,
    fail_site: Vec<String>,
    to: Option<String>,
    theme: Option<String>,
    editor: Option<String>,
    viewer: Option<String>,
}

fn parse(args: &[String], allowed: &[&str]) -> Result<Parsed, Outcome> {
    let mut p = Parsed {
        files: Vec::new(),
        json: false,
        report: false,
        fail: Vec::new(),
        fail_site: Vec::new(),
        to: None,
        theme: None,
        editor: None,
        viewer: None,
    };
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let (flag, inline) = match a.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f, Some(v.to_string())),
            _ => (a.as_str(), None),
        };
        if flag.starts_with("--") && !allowed.contains(&flag) {
            return Err(usage_error(&format!("unknown option \"{flag}\"")));
        }
        match flag {
            "--json" => p.json = true,
            "--report" => p.report = true,
            "--fail" | "--fail-site" | "--to" | "--theme" | "--editor" | "--viewer" => {
                let Some(v) = inline.or_else(|| it.next().cloned()) else {
                    return Err(usage_error(&format!("{flag} needs a value")));
                };
                match flag {
                    "--fail" => p.fail.push(v),
                    "--fail-site" => p.fail_site.push(v),
                    "--theme" => p.theme = Some(v),
                    "--editor" => p.editor = Some(v),
                    "--viewer" => p.viewer = Some(v),
                    _ => p.to = Some(v),
                }
            }
            _ => p.files.push(a.clone()),
        }
    }
    Ok(p)
}

/// Reads one input, by path or `-` for standard input.
fn load(path: &str, stdin: &mut dyn Read) -> Result<Topology, String> {
    let shown = if path == "-" { "<stdin>" } else { path };
    read(&load_text(path, stdin)?).map_err(|e| format!("{shown}: {e}"))
}

/// The text of one input, by path or `-` for standard input.
fn load_text(path: &str, stdin: &mut dyn Read) -> Result<String, String> {
    let shown = if path == "-" { "<stdin>" } else { path };
    let bytes = load_bytes(path, stdin)?;
    let text = String::from_utf8(bytes).map_err(|e| {
        format!(
            "{shown}: not UTF-8 text (invalid byte at offset {}): expected scenario JSON or a table",
            e.utf8_error().valid_up_to()
        )
    })?;
    Ok(text)
}

fn one_file(p: &Parsed, cmd: &str) -> Result<String, Outcome> {
    match p.files.as_slice() {
        [one] => Ok(one.clone()),
        [] => Err(usage_error(&format!("{cmd} needs a FILE"))),
        _ => Err(usage_error(&format!("{cmd} takes one FILE"))),
    }
}

fn names(t: &Topology, f: &Finding) -> Vec<String> {
    f.servers.iter().map(|&id| t.name(id).to_string()).collect()
}

fn finding_json(t: &Topology, f: &Finding) -> Value {
    json!({
        "rule": f.rule.id(),
        "severity": f.severity().as_str(),
        "servers": names(t, f),
        "message": f.message,
    })
}

fn cmd_check(args: &[String], stdin: &mut dyn Read) -> Outcome {
    let p = match parse(args, &["--json"]) {
        Ok(p) => p,
        Err(o) => return o,
    };
    if p.files.is_empty() {
        return usage_error("check needs at least one FILE");
    }
    let many = p.files.len() > 1;
    let mut out = String::new();
    let mut err = String::new();
    let mut all = Vec::new();
    let mut errors = false;
    let mut unreadable = false;
    for file in &p.files {
        let t = match load(file, stdin) {
            Ok(t) => t,
            Err(e) => {
                err.push_str(&format!("{e}\n"));
                unreadable = true;
                continue;
            }
        };
        let findings = check(&t);
        errors |= findings.iter().any(|f| f.severity() == Severity::Error);
        if p.json {
            for f in &findings {
                let mut v = finding_json(&t, f);
                if many {
                    v["file"] = json!(file);
                }
                all.push(v);
            }
        } else {
            if many {
                out.push_str(&format!("{file}:\n"));
            }
            if findings.is_empty() {
                out.push_str("no findings\n");
            }
            for f in &findings {
                out.push_str(&format!(
                    "{:<7} {:<28} {}: {}\n",
                    f.severity().as_str(),
                    f.rule.id(),
                    names(&t, f).join(", "),
                    f.message
                ));
            }
            let s = dpm_rules::Summary::of(&findings);
            out.push_str(&format!("{} ({} info)\n", s.status(), s.infos));
        }
    }
    if p.json {
        out = format!("{}\n", pretty(&json!({ "findings": all })));
    }
    let code = if unreadable {
        2
    } else if errors {
        1
    } else {
        0
    };
    Outcome { out, err, code }
}

fn cmd_risk(args: &[String], stdin: &mut dyn Read) -> Outcome {
    let p = match parse(args, &["--json"]) {
        Ok(p) => p,
        Err(o) => return o,
    };
    let file = match one_file(&p, "risk") {
        Ok(f) => f,
        Err(o) => return o,
    };
    let t = match load(&file, stdin) {
        Ok(t) => t,
        Err(e) => return Outcome::fail(format!("{e}\n")),
    };
    let r = risk(&t);
    let fx = fixes(&t, &r);
    let out = if p.json {
        pretty(&risk_json(&t, &r, &fx)) + "\n"
    } else {
        risk_text(&t, &r, &fx)
    };
    Outcome {
        out,
        err: String::new(),
        code: if r.single_points.is_empty() { 0 } else { 1 },
    }
}

fn labels(t: &Topology, v: &[DataSource]) -> Vec<String> {
    v.iter().map(|d| d.label(t)).collect()
}

/// A protection to add, as `risk` prints it: `DPM1->FS1`.
fn link(t: &Topology, p: &Protection) -> String {
    format!("{}->{}", t.name(p.protector), t.name(p.target))
}

fn risk_json(t: &Topology, r: &Risk, fx: &[Fix]) -> Value {
    let n = |id| t.name(id).to_string();
    json!({
        "single_points": r.single_points.iter().map(|sp| json!({
            "server": n(sp.server),
            "loses": labels(t, &sp.loses),
            "unprotects": labels(t, &sp.unprotects),
            "takes": sp.takes.iter().map(|a| json!({
                "server": n(a.server),
                "because_of": a.because_of,
                "how": a.how.as_str(),
            })).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
        "under_two_copies": labels(t, &r.under_two_copies),
        "fixes": fx.iter().map(|f| {
            let mut o = serde_json::Map::new();
            if !f.add.is_empty() || f.set.is_empty() {
                o.insert("add".into(), json!(f.add.iter().map(|p| link(t, p)).collect::<Vec<_>>()));
            }
            if !f.set.is_empty() {
                o.insert("set".into(), json!(f.set.iter().map(|c| c.label(t)).collect::<Vec<_>>()));
            }
            o.insert("removes".into(), json!(f.removes.iter().map(|&id| n(id)).collect::<Vec<_>>()));
            o.insert("brings".into(), json!(f.brings.iter().map(|b| json!({
                "rule": b.rule.id(),
                "severity": b.severity().as_str(),
                "message": b.message,
            })).collect::<Vec<_>>()));
            Value::Object(o)
        }).collect::<Vec<_>>(),
    })
}

fn risk_text(t: &Topology, r: &Risk, fx: &[Fix]) -> String {
    let mut s = String::new();
    if r.single_points.is_empty() {
        s.push_str("No single point of failure: every server can fail alone and every copy it held survives elsewhere.\n");
    }
    for sp in &r.single_points {
        single_point_text(&mut s, t, sp, fx);
    }
    s.push_str(&format!(
        "Held in fewer than two places: {}\n",
        if r.under_two_copies.is_empty() {
            "none".to_string()
        } else {
            labels(t, &r.under_two_copies).join(", ")
        }
    ));
    s
}

/// One single point of failure: what it loses, holds alone and takes with
/// it, and the fixes that remove it (or why there is none).
fn single_point_text(s: &mut String, t: &Topology, sp: &SinglePoint, fx: &[Fix]) {
    let n = |id| t.name(id).to_string();
    s.push_str(&format!("Single point of failure: {}\n", n(sp.server)));
    if !sp.loses.is_empty() {
        s.push_str(&format!(
            "  loses (no copy anywhere): {}\n",
            labels(t, &sp.loses).join(", ")
        ));
    }
    if !sp.unprotects.is_empty() {
        s.push_str(&format!(
            "  holds the only copy of: {}\n",
            labels(t, &sp.unprotects).join(", ")
        ));
    }
    for a in &sp.takes {
        s.push_str(&format!(
            "  takes with it: {}: {}\n",
            n(a.server),
            a.phrase()
        ));
    }
    let own: Vec<String> = fx
        .iter()
        .filter(|f| f.removes.contains(&sp.server))
        .map(|f| {
            f.add
                .iter()
                .map(|p| link(t, p))
                .chain(f.set.iter().map(|c| format!("set {}", c.label(t))))
                .collect::<Vec<_>>()
                .join(" + ")
                + &brings(f)
        })
        .collect();
    if own.is_empty() {
        s.push_str(&format!("  no fix: {}\n", why_no_fix(t, sp)));
    } else {
        s.push_str(&format!("  fix, any one of: {}\n", own.join(", ")));
    }
}

/// What a fix costs, as `risk` prints it after the fix: " (brings the
/// long-cycle warning)", or nothing.
fn brings(f: &Fix) -> String {
    if f.brings.is_empty() {
        return String::new();
    }
    let ids: Vec<String> = f
        .brings
        .iter()
        .map(|b| format!("the {} {}", b.rule.id(), b.severity()))
        .collect();
    format!(" (brings {})", ids.join(" and "))
}

fn pretty(v: &Value) -> String {
    serde_json::to_string_pretty(v).unwrap_or_default()
}

fn cmd_table(args: &[String], stdin: &mut dyn Read) -> Outcome {
    let p = match parse(args, &[]) {
        Ok(p) => p,
        Err(o) => return o,
    };
    let file = match one_file(&p, "table") {
        Ok(f) => f,
        Err(o) => return o,
    };
    match load(&file, stdin) {
        Ok(t) => Outcome::ok(to_table(&t)),
        Err(e) => Outcome::fail(format!("{e}\n")),
    }
}

fn cmd_export(args: &[String], stdin: &mut dyn Read) -> Outcome {
    let p = match parse(args, &["--to", "--theme", "--editor", "--viewer"]) {
        Ok(p) => p,
        Err(o) => return o,
    };
    let file = match one_file(&p, "export") {
        Ok(f) => f,
        Err(o) => return o,
    };
    const FORMS: [&str; 7] = ["json", "table", "mermaid", "dot", "svg", "html", "link"];
    let Some(to) = p.to.as_deref() else {
        return usage_error("export needs --to json|table|mermaid|dot|svg|html|link");
    };
    if !FORMS.contains(&to) {
        return usage_error(&format!(
            "--to {to}: expected one of json, table, mermaid, dot, svg, html, link"
        ));
    }
    let theme = match p.theme.as_deref().map(|s| (s, Theme::from_id(s))) {
        None => None,
        Some((_, Some(t))) => Some(t),
        Some((s, None)) => {
            return usage_error(&format!("--theme {s}: expected light or dark"));
        }
    };
    let html_only = p.editor.is_some() || p.viewer.is_some();
    if (theme.is_some() && !["svg", "html"].contains(&to)) || (html_only && to != "html") {
        return usage_error("--theme is for --to svg or html, --editor and --viewer for --to html");
    }
    if let Some(e) = p.editor.as_deref() {
        if !is_web_address(e) {
            return usage_error(&format!(
                "--editor {e}: expected the editor's address, http:// or https://"
            ));
        }
    }
    let viewer = match (to, p.viewer.as_deref()) {
        ("html", Some(path)) => match std::fs::read_to_string(path) {
            Ok(page) => page,
            Err(e) => {
                return Outcome::fail(format!("{path}: cannot read the viewer's page: {e}\n"))
            }
        },
        ("html", None) if VIEWER.is_empty() => return Outcome::fail(NO_VIEWER.to_string()),
        _ => VIEWER.to_string(),
    };
    let t = match load(&file, stdin) {
        Ok(t) => t,
        Err(e) => return Outcome::fail(format!("{e}\n")),
    };
    Outcome::ok(match to {
        "json" => to_json(&t),
        "table" => to_table(&t),
        "mermaid" => to_mermaid(&t),
        "dot" => to_dot(&t),
        "link" => format!("#s={}\n", to_share(&t)),
        "html" => match viewer_page(&viewer, &t, theme, p.editor.as_deref()) {
            Ok(page) => page,
            Err(e) => {
                let from = p
                    .viewer
                    .as_deref()
                    .unwrap_or("the viewer built into dpm-check");
                return Outcome::fail(format!("dpm-check: {from}: {e}\n"));
            }
        },
        _ => to_svg(
            &t,
            &check(&t),
            &SvgOptions {
                list_findings: true,
                theme: theme.unwrap_or_default(),
                ..SvgOptions::default()
            },
        ),
    })
}

/// The viewer's page as `trunk build` made it (see build.rs), or nothing
/// when this `dpm-check` was built before it.
#[cfg(viewer_page)]
const VIEWER: &str = include_str!(concat!(env!("OUT_DIR"), "/view.html"));
#[cfg(not(viewer_page))]
const VIEWER: &str = "";

const NO_VIEWER: &str = "\
dpm-check: this dpm-check was built without the documentation viewer, which
--to html puts into the page. Build the app first (./dev setup, then
trunk build --release: it writes dist/view.html), then build dpm-check again
(cargo build -p dpm-check); or give a view.html with --viewer.
";

fn cmd_failover(args: &[String], stdin: &mut dyn Read) -> Outcome {
    let p = match parse(args, &["--json", "--fail", "--fail-site"]) {
        Ok(p) => p,
        Err(o) => return o,
    };
    let file = match one_file(&p, "failover") {
        Ok(f) => f,
        Err(o) => return o,
    };
    if p.fail.is_empty() && p.fail_site.is_empty() {
        return usage_error("failover needs at least one --fail NAME or --fail-site SITE");
    }
    let t = match load(&file, stdin) {
        Ok(t) => t,
        Err(e) => return Outcome::fail(format!("{e}\n")),
    };
    let mut failed = Vec::new();
    for name in &p.fail {
        match t.find(name) {
            Some(id) => failed.push(id),
            None => {
                return Outcome::fail(format!(
                    "{file}: --fail {name}: no server has that name (names are compared ignoring case)\n"
                ))
            }
        }
    }
    for site in &p.fail_site {
        if site_members(&t, site).is_empty() {
            let known = sites(&t);
            let there = if known.is_empty() {
                "this drawing names no site".to_string()
            } else {
                format!("the sites here are {}", known.join(", "))
            };
            return Outcome::fail(format!(
                "{file}: --fail-site {site}: no server stands in that site (sites are compared ignoring case); {there}\n"
            ));
        }
    }
    let site_refs: Vec<&str> = p.fail_site.iter().map(String::as_str).collect();
    let plan = plan_outage(&t, &failed, &site_refs);
    if p.json {
        Outcome::ok(format!("{}\n", pretty(&plan_json(&t, &plan))))
    } else {
        Outcome::ok(plan_text(&t, &plan))
    }
}

fn plan_json(t: &Topology, plan: &Plan) -> Value {
    let n = |id| t.name(id).to_string();
    json!({
        "failed": plan.failed.iter().map(|&id| n(id)).collect::<Vec<_>>(),
        "also_down": plan.also_down.iter().map(|a| json!({
            "server": n(a.server),
            "because_of": a.because_of,
            "how": a.how.as_str(),
        })).collect::<Vec<_>>(),
        "lost": plan.lost.iter().map(|s| s.label(t)).collect::<Vec<_>>(),
        "unprotected": plan.unprotected.iter().map(|s| s.label(t)).collect::<Vec<_>>(),
        "copies_lost": plan.reduced.iter().map(|r| json!({
            "source": r.source.label(t),
            "before": r.before.iter().map(|&id| n(id)).collect::<Vec<_>>(),
            "surviving": r.surviving.iter().map(|&id| n(id)).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
        "broken": plan.broken.iter().map(|l| format!("{}->{}", n(l.protector), n(l.target))).collect::<Vec<_>>(),
        "affected": plan.affected.iter().map(|a| json!({
            "server": n(a.server),
            "options": a.options.iter().map(|o| {
                let mut j = json!({
                    "kind": o.kind.id(),
                    "via": o.via,
                    "supported": o.supported,
                    "reason": o.reason,
                });
                // A grouped option: every DPM server that could take it.
                if let Some(among) = &o.among {
                    j["among"] = json!(among.iter().map(|&id| n(id)).collect::<Vec<_>>());
                }
                j
            }).collect::<Vec<_>>(),
            "notes": a.notes,
        })).collect::<Vec<_>>(),
        "plan": plan.order.iter().enumerate().map(|(k, o)| json!({
            "step": k + 1,
            "action": o.kind.id(),
            "server": n(o.server),
            "via": o.via.map(n),
            "caption": o.step.caption,
            "back": o.back.iter().map(|d| d.label(t)).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
    })
}

fn plan_text(t: &Topology, plan: &Plan) -> String {
    let n = |id| t.name(id).to_string();
    let list = |v: Vec<String>| {
        if v.is_empty() {
            "none".to_string()
        } else {
            v.join(", ")
        }
    };
    let mut s = String::new();
    s.push_str(&format!(
        "Failed: {}\n",
        list(plan.failed.iter().map(|&id| n(id)).collect())
    ));
    if !plan.also_down.is_empty() {
        s.push_str("Down with another:\n");
        for a in &plan.also_down {
            s.push_str(&format!("  {}: {}\n", n(a.server), a.phrase()));
        }
    }
    s.push_str(&format!(
        "Lost (no copy survives): {}\n",
        list(plan.lost.iter().map(|d| d.label(t)).collect())
    ));
    s.push_str(&format!(
        "Unprotected (server up, every copy gone or its DPM server stopped): {}\n",
        list(plan.unprotected.iter().map(|d| d.label(t)).collect())
    ));
    s.push_str("Copies lost:\n");
    if plan.reduced.is_empty() {
        s.push_str("  none\n");
    }
    for r in &plan.reduced {
        s.push_str(&format!(
            "  {}: held by {}; still held by {}\n",
            r.source.label(t),
            list(r.before.iter().map(|&id| n(id)).collect()),
            list(r.surviving.iter().map(|&id| n(id)).collect())
        ));
    }
    s.push_str(&format!(
        "Broken protections: {}\n",
        list(
            plan.broken
                .iter()
                .map(|l| format!("{} -> {}", n(l.protector), n(l.target)))
                .collect()
        )
    ));
    if !plan.order.is_empty() {
        s.push_str("Recovery in order:\n");
        for (k, o) in plan.order.iter().enumerate() {
            s.push_str(&format!("  {}. {}\n", k + 1, o.step.caption));
        }
    }
    for a in &plan.affected {
        s.push_str(&format!("\n{}:\n", n(a.server)));
        for note in &a.notes {
            s.push_str(&format!("  note: {note}\n"));
        }
        for o in &a.options {
            s.push_str(&format!(
                "  [{}] {}{}\n      {}\n",
                if o.supported {
                    "supported"
                } else {
                    "not supported"
                },
                o.kind.id(),
                o.via
                    .as_deref()
                    .map(|v| format!(" via {v}"))
                    .unwrap_or_default(),
                o.reason
            ));
            if let Some(among) = &o.among {
                s.push_str(&format!("      {}\n", among_line(t, among)));
            }
        }
    }
    s
}

/// "1459 DPM servers could take it: DS1, DS2, … (--json lists them
/// all)": a grouped option's servers, the first ten by name.
fn among_line(t: &Topology, among: &[ServerId]) -> String {
    const SHOWN: usize = 10;
    let names: Vec<&str> = among.iter().take(SHOWN).map(|&id| t.name(id)).collect();
    let more = if among.len() > SHOWN {
        ", … (--json lists them all)"
    } else {
        ""
    };
    format!(
        "{} DPM servers could take it: {}{more}",
        among.len(),
        names.join(", ")
    )
}

fn cmd_exercise(args: &[String], stdin: &mut dyn Read) -> Outcome {
    let p = match parse(args, &["--json"]) {
        Ok(p) => p,
        Err(o) => return o,
    };
    let Some((ex_path, solutions)) = p.files.split_first() else {
        return usage_error("exercise needs an EXERCISE and at least one SOLUTION");
    };
    if solutions.is_empty() {
        return usage_error("exercise needs at least one SOLUTION after the EXERCISE");
    }
    let shown = |f: &str| {
        if f == "-" {
            "<stdin>".to_string()
        } else {
            f.to_string()
        }
    };
    let ex = match load_text(ex_path, stdin)
        .and_then(|t| read_exercise(&t).map_err(|e| format!("{}: {e}", shown(ex_path))))
    {
        Ok(ex) => ex,
        Err(e) => return Outcome::fail(format!("{e}\n")),
    };
    let mut results = Vec::new();
    let mut text = format!("{}: {} goals\n", ex.title, ex.goals.len());
    let mut err = String::new();
    let (mut unreadable, mut all_pass) = (false, true);
    for file in solutions {
        let t = match load(file, stdin) {
            Ok(t) => t,
            Err(e) => {
                unreadable = true;
                err.push_str(&format!("{e}\n"));
                results.push(json!({"file": shown(file), "error": e}));
                continue;
            }
        };
        let states = evaluate(&ex, &t);
        let passed = states.iter().filter(|s| s.pass).count();
        all_pass &= passed == states.len();
        text.push_str(&format!(
            "\n{}: {passed}/{} goals\n",
            shown(file),
            states.len()
        ));
        for (g, s) in ex.goals.iter().zip(&states) {
            text.push_str(&format!(
                "  {}  {}: {}\n",
                if s.pass { "pass" } else { "FAIL" },
                g.id,
                g.sentence()
            ));
            if !s.pass {
                text.push_str(&format!("        {}\n", s.why));
            }
        }
        results.push(json!({
            "file": shown(file),
            "goals": ex.goals.iter().zip(&states).map(|(g, s)| {
                let mut v = json!({"id": g.id, "pass": s.pass});
                if !s.pass {
                    v["why"] = json!(s.why);
                }
                v
            }).collect::<Vec<_>>(),
            "passed": passed,
            "total": states.len(),
        }));
    }
    let out = if p.json {
        pretty(&json!({ "results": results })) + "\n"
    } else {
        text
    };
    let code = if unreadable {
        2
    } else if all_pass {
        0
    } else {
        1
    };
    Outcome { out, err, code }
}

/// The bytes of one input, by path or `-` for standard input.
fn load_bytes(path: &str, stdin: &mut dyn Read) -> Result<Vec<u8>, String> {
    let shown = if path == "-" { "<stdin>" } else { path };
    let mut bytes = Vec::new();
    let limit = MAX_INPUT_BYTES as u64 + 1;
    let res = if path == "-" {
        stdin.take(limit).read_to_end(&mut bytes)
    } else {
        std::fs::File::open(path).and_then(|f| f.take(limit).read_to_end(&mut bytes))
    };
    res.map(|_| bytes)
        .map_err(|e| format!("{shown}: cannot read: {e}"))
}

/// `import`: inventories in, scenario JSON out, the report beside it.
fn cmd_import(args: &[String], stdin: &mut dyn Read) -> Outcome {
    let p = match parse(args, &["--json", "--report"]) {
        Ok(p) => p,
        Err(o) => return o,
    };
    if p.files.is_empty() {
        return usage_error("import needs at least one INVENTORY file");
    }
    let mut err = String::new();
    let mut texts: Vec<(String, String)> = Vec::new();
    let mut unreadable = false;
    for file in &p.files {
        let shown = if file == "-" {
            "<stdin>"
        } else {
            file.as_str()
        };
        match load_bytes(file, stdin)
            .and_then(|b| dpm_rules::import::text_of(&b).map_err(|e| format!("{shown}: {e}")))
        {
            Ok(t) => texts.push((shown.to_string(), t)),
            Err(e) => {
                err.push_str(&format!("{e}\n"));
                unreadable = true;
            }
        }
    }
    let pairs: Vec<(&str, &str)> = texts
        .iter()
        .map(|(n, t)| (n.as_str(), t.as_str()))
        .collect();
    let imported = match dpm_rules::import::read(&pairs) {
        Ok(i) => i,
        Err(e) => {
            err.push_str(&format!("dpm-check: {e}\n"));
            return Outcome::fail(err);
        }
    };
    // A file refused whole is unreadable input; a row or field left out is
    // only a report line.
    unreadable |= !imported.refused.is_empty();
    let report = if p.json {
        let lines: Vec<Value> = imported
            .report
            .iter()
            .map(|l| {
                json!({
                    "kind": l.kind.as_str(),
                    "file": l.file,
                    "place": l.place,
                    "message": l.message,
                    "servers": l.servers,
                })
            })
            .collect();
        format!("{}\n", pretty(&json!({ "report": lines })))
    } else {
        imported.report_text()
    };
    let out = if p.report {
        report.clone()
    } else {
        err.push_str(&report);
        to_json(&imported.topology)
    };
    let code = if unreadable {
        2
    } else if imported.has_conflicts() {
        1
    } else {
        0
    };
    Outcome { out, err, code }
}
