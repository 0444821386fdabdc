//! The rules of real estates, as data: each case file under `tests/cases/`
//! with the rules that must fire in it and the ones that must not, so a
//! rule that stops firing, or fires where DPM supports the design, fails
//! here by name (the snapshots in `cases.rs` hold the full wording).

use std::fs;
use std::path::Path;

use dpm_rules::{check, read, Rule, Severity, Topology};

fn load(name: &str) -> Topology {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/cases")
        .join(format!("{name}.dpm.json"));
    let text = fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
    read(&text).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

fn ids(t: &Topology) -> Vec<(String, Vec<String>)> {
    check(t)
        .iter()
        .map(|f| {
            let names = f.servers.iter().map(|&id| t.name(id).to_string()).collect();
            (f.rule.id().to_string(), names)
        })
        .collect()
}

/// A case: its file, the rules that fire with the servers they name (in
/// the finding's order), and the rules that must not fire ("rule-NAME":
/// not about server NAME).
type Case = (
    &'static str,
    &'static [(&'static str, &'static [&'static str])],
    &'static [&'static str],
);

const CASES: &[Case] = &[
    (
        "scale-out-no-secondary",
        &[("scale-out-no-secondary", &["HVCLU1", "DPM1", "DPM3"])],
        &["protected-twice", "chain-shortcut", "unprotected"],
    ),
    (
        "azure-protects-on-premises",
        &[("azure-protects-on-premises", &["AZDPM1", "FS1"])],
        &["single-copy-dpm"],
    ),
    (
        "dc-protects-others",
        &[("dc-protects-others", &["DC1", "FS1"])],
        &["self-protection-breaks-chain"],
    ),
    (
        "host-protected-by-guest",
        &[("host-protected-by-guest", &["DPM1", "HV1"])],
        &[],
    ),
    (
        "database-on-protected",
        &[("database-on-protected", &["DPM1", "SQLDB1"])],
        &["protected-twice", "single-copy-dpm-DPM1"],
    ),
    (
        "same-site-secondary",
        &[("same-site-secondary", &["DPM1", "DPM2"])],
        &["same-site-secondary-DPM4"],
    ),
    (
        "version-mismatch-1807",
        &[("version-mismatch", &["DPM1", "DPM2"])],
        &[],
    ),
    (
        "version-mismatch-chain",
        &[
            ("version-mismatch", &["DPM1", "DPM4", "DPM2", "DPM3"]),
            ("version-mismatch", &["DPM5", "DPM6"]),
        ],
        &[],
    ),
    (
        "rollups-written-four-ways",
        &[],
        &["version-mismatch", "single-copy-dpm"],
    ),
    (
        "database-to-tape",
        &[("single-copy-dpm", &["DPM3"])],
        &["single-copy-dpm-DPM2"],
    ),
    (
        "real-estate-valid",
        &[("database-on-protected", &["DPM1", "SQLDB1"])],
        &[
            "azure-protects-on-premises",
            "dc-protects-others",
            "host-protected-by-guest",
            "same-site-secondary",
            "scale-out-no-secondary",
            "version-mismatch",
            "protected-twice",
        ],
    ),
];

#[test]
fn each_rule_of_real_estates_fires_where_it_should_and_nowhere_else() {
    for (case, fire, silent) in CASES {
        let t = load(case);
        let got = ids(&t);
        for (rule, servers) in *fire {
            assert!(
                got.iter().any(|(r, s)| r == rule && s == servers),
                "{case}: expected {rule} on {servers:?}, got {got:?}"
            );
        }
        for rule in *silent {
            // "rule-NAME": the rule must not fire about server NAME.
            let (rule, server) = match rule.rsplit_once('-') {
                Some((r, s))
                    if Rule::from_id(r).is_some()
                        && s.chars().all(|c| c.is_ascii_alphanumeric())
                        && s.chars().any(|c| c.is_ascii_digit()) =>
                {
                    (r, Some(s))
                }
                _ => (*rule, None),
            };
            assert!(Rule::from_id(rule).is_some(), "{case}: no rule {rule}");
            let hit = got.iter().any(|(r, s)| {
                r == rule && server.is_none_or(|n| s.first().is_some_and(|f| f == n))
            });
            assert!(!hit, "{case}: {rule} {server:?} must not fire, got {got:?}");
        }
    }
}

#[test]
fn a_supported_real_estate_has_no_error_and_no_warning() {
    let t = load("real-estate-valid");
    let bad: Vec<_> = check(&t)
        .into_iter()
        .filter(|f| f.severity() != Severity::Info)
        .map(|f| f.message)
        .collect();
    assert!(bad.is_empty(), "{bad:?}");
}

/// While dragging, the pre-check says what a protection would add: joining
/// two DPM servers of different versions through a third says so at once.
#[test]
fn the_precheck_sees_a_mismatch_across_a_chain() {
    let t = load("version-mismatch-chain");
    let mut u = t.clone();
    let dpm2 = u.find("DPM2").unwrap();
    let dpm3 = u.find("DPM3").unwrap();
    u.protections
        .retain(|p| !(p.protector == dpm3 && p.target == dpm2));
    assert!(check(&u)
        .iter()
        .all(|f| f.rule != Rule::VersionMismatch || f.servers.contains(&u.find("DPM5").unwrap())));
    let added = dpm_rules::Checker::new(&u).precheck(dpm_rules::Protection::new(dpm3, dpm2));
    assert!(
        added.iter().any(|f| f.rule == Rule::VersionMismatch
            && f.message.contains("DPM 2016")
            && f.message.contains("DPM 2019")),
        "{added:?}"
    );
}

#[test]
fn a_site_of_thousands_waiting_on_a_stopped_dpm_server_is_a_handful_of_steps() {
    // London holds SQLDB1 and 5,000 file servers; DPM1 (Dublin) has its
    // database on SQLDB1 and protects them all.
    let mut servers = vec![
        r#"{"name":"SQLDB1","kind":"protected","site":"London"}"#.to_string(),
        r#"{"name":"DPM1","kind":"dpm","site":"Dublin","database":"SQLDB1"}"#.to_string(),
    ];
    let mut links = vec![r#"{"protector":"DPM1","target":"SQLDB1"}"#.to_string()];
    for k in 1..=5000 {
        servers.push(format!(
            r#"{{"name":"FS{k}","kind":"protected","site":"London"}}"#
        ));
        links.push(format!(r#"{{"protector":"DPM1","target":"FS{k}"}}"#));
    }
    let text = format!(
        r#"{{"format":"dpm-sketch/2","servers":[{}],"protections":[{}]}}"#,
        servers.join(","),
        links.join(",")
    );
    let t = read(&text).unwrap();
    let p = dpm_rules::plan_outage(&t, &[], &["London"]);
    assert!(p.order.len() <= 3, "{} steps", p.order.len());
    let last = p.order.last().unwrap();
    assert_eq!(
        last.step.caption,
        "Rebuild FS1, FS2 and 4,999 more and restore their data from DPM1."
    );
    assert!(last.step.failed.is_empty());
    assert_eq!(last.back.len(), 5001);
}
