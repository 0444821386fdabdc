//! The exercise module's own tests: files and links round trip, goals judge
//! sites and hosts, damaged links say so, the authoring form offers only
//! what files accept, and refusals name what an exercise keeps.

use super::*;
use crate::model::ServerId;
use crate::presets;

fn ex(goals: &str) -> Exercise {
    exercise_from_json(&format!(
        r#"{{"format":"dpm-exercise/1","title":"T","goals":[{goals}]}}"#
    ))
    .unwrap()
}

#[test]
fn link_and_file_round_trip() {
    let mut e = ex(
        r#"{"check":"no-errors","hints":["Look at DS3."],"rule":"chain-shortcut"},
        {"id":"p","check":"protection","protector":"DS1","target":"PS1","text":"DS1 backs up PS1"},
        {"check":"option-after","fail":["DS1"],"server":"PS1","option":"switch-protection"}"#,
    );
    e.start = presets::scenario_1();
    e.task = "Do it.\nThen more.".into();
    e.allow.delete_given = false;
    let file = exercise_to_json(&e);
    assert_eq!(exercise_from_json(&file).unwrap(), e, "{file}");
    let link = exercise_to_link(&e);
    assert_eq!(exercise_from_link(&link).unwrap(), e);
    assert_eq!(read_exercise(&format!("http://x/#x={link}")).unwrap(), e);
    assert!(
        link.len() < file.len() / 2,
        "{} vs {}",
        link.len(),
        file.len()
    );
}

#[test]
fn goals_fail_sites_and_hosts_and_links_carry_real_estates() {
    let mut e = ex(r#"{"check":"nothing-lost-after","fail":["London"]},
        {"check":"nothing-lost-after","fail":["HV1"]},
        {"check":"no-finding","rule":"same-site-secondary"},
        {"check":"nothing-lost-after","fail":["Paris"]}"#);
    let mut t = crate::from_json(
        r#"{"format":"dpm-sketch/2","servers":[
        {"name":"HV1","kind":"protected","workloads":["hyperv"],"site":"London"},
        {"name":"DPM1","kind":"dpm","host":"HV1","site":"London","version":"10.19.379.0"},
        {"name":"DPM2","kind":"dpm","site":"London"},
        {"name":"FS1","kind":"protected","site":"London"}],
        "protections":[{"protector":"DPM1","target":"FS1"},{"protector":"DPM2","target":"DPM1"},
        {"protector":"DPM2","target":"HV1"}]}"#,
    )
    .unwrap();
    e.start = t.clone();
    let link = exercise_to_link(&e);
    assert_eq!(exercise_from_link(&link).unwrap(), e, "version 2 start");
    let states: Vec<bool> = evaluate(&e, &t).iter().map(|s| s.pass).collect();
    // London takes FS1 with both its copies: lost. HV1 takes DPM1 down
    // with it, but DPM2 holds HV1 and DPM1's database. Paris is neither
    // a server nor a site.
    assert_eq!(states, [false, true, false, false]);
    let states = evaluate(&e, &t);
    assert!(
        states[0].why.contains("FS1 and HV1 would be lost"),
        "{:?}",
        states[0]
    );
    assert!(
        states[3].why.contains("no server named Paris"),
        "{:?}",
        states[3]
    );
    // The secondary moved offsite: London's failure loses nothing.
    let dpm2 = t.find("DPM2").unwrap();
    t.server_mut(dpm2).unwrap().site = Some("DR site".into());
    let states: Vec<bool> = evaluate(&e, &t).iter().map(|s| s.pass).collect();
    assert_eq!(states, [true, true, true, false]);
}

#[test]
fn a_damaged_link_says_so() {
    let e = ex(r#"{"check":"no-errors"}"#);
    let mut link = exercise_to_link(&e).into_bytes();
    let k = link.len() / 2;
    link[k] = if link[k] == b'A' { b'B' } else { b'A' };
    let err = exercise_from_link(std::str::from_utf8(&link).unwrap()).unwrap_err();
    assert!(err.message.contains("damaged"), "{err}");
    let cut = exercise_to_link(&e);
    assert!(exercise_from_link(&cut[..cut.len() - 3]).is_err());
}

#[test]
fn the_authoring_form_offers_only_what_files_accept() {
    // Every rule a goal or hint may name is a rule the reader knows, and
    // every option a form offers is one the planner has.
    for (id, _) in rule_choices() {
        assert!(crate::Rule::from_id(id).is_some(), "{id}");
    }
    // ... and every rule can be named by one.
    for rule in crate::Rule::ALL {
        assert!(
            rule_choices().iter().any(|(id, _)| *id == rule.id()),
            "{} is missing from the authoring form",
            rule.id()
        );
    }
    let mut offered = 0;
    // Each check, with the form's first choice for every parameter,
    // makes a goal the file reader accepts; its sentence is the check's.
    for check in CHECKS {
        let values: Vec<(&str, String)> = params(check)
            .iter()
            .map(|(key, _, p)| {
                let v = match p {
                    Param::Server(_) => "DPM1".to_string(),
                    Param::Names => "DPM1, DPM2".to_string(),
                    Param::Number => "2".to_string(),
                    Param::Flag => "false".to_string(),
                    Param::Choice(c) => {
                        if *key == "option" {
                            for (id, _) in c.iter() {
                                assert!(OPTION_KINDS.iter().any(|k| k.id() == *id), "{id}");
                                offered += 1;
                            }
                        }
                        c[0].0.to_string()
                    }
                    Param::Lines => {
                        "|Server|Protecting|Protected by|\n|---|---|---|\n|DPM1|Server1| |\n|Server1| |DPM1|\n".to_string()
                    }
                };
                (*key, v)
            })
            .collect();
        let g = goal_from_form(
            "g",
            check,
            &values,
            "",
            "First.\n\n Second. ",
            "chain-shortcut",
        )
        .unwrap_or_else(|e| panic!("{check}: {e}"));
        assert_eq!(g.check.id(), check);
        assert_eq!(g.hints, ["First.", "Second."], "{check}");
    }
    assert_eq!(offered, OPTION_KINDS.len());
    // A form refuses what a file would, and says what.
    let e = goal_from_form("g", "copies", &[("at_least", "0".into())], "", "", "").unwrap_err();
    assert!(e.contains("whole number"), "{e}");
    let e = goal_from_form(
        "g",
        "role",
        &[("server", "DPM1".into()), ("role", "boss".into())],
        "",
        "",
        "",
    )
    .unwrap_err();
    assert!(e.contains("boss"), "{e}");
}

#[test]
fn refusals_name_what_the_exercise_keeps() {
    let t = presets::scenario_1();
    let mut e = ex(r#"{"check":"no-errors"}"#);
    e.allow = Allow {
        add_protections: true,
        ..Allow::NONE
    };
    let given: Vec<ServerId> = t.servers.iter().map(|s| s.id).collect();
    let mut after = t.clone();
    let ds1 = after.find("DS1").unwrap();
    after.remove_server(ds1);
    assert!(refusal(&e, &given, &t, &after)
        .unwrap()
        .contains("DS1 cannot be deleted"));
    let mut after = t.clone();
    after.add_server("DS9", Kind::Dpm);
    assert!(refusal(&e, &given, &t, &after)
        .unwrap()
        .contains("cannot add servers"));
    // A rename refused says which server keeps its name (not "DS1 stays DS1").
    let mut after = t.clone();
    after.rename(ds1, "DS9").unwrap();
    assert_eq!(
        refusal(&e, &given, &t, &after).unwrap(),
        "This exercise keeps the names of the servers it starts with: DS1 cannot be renamed."
    );
    let mut after = t.clone();
    let l = after.protections[0].link();
    after.disconnect(l);
    assert!(refusal(&e, &given, &t, &after)
        .unwrap()
        .contains("remove protections"));
    let mut after = t.clone();
    let (a, b) = (after.find("DS1").unwrap(), after.find("DS4").unwrap());
    after.connect(crate::model::Protection::new(a, b));
    assert_eq!(refusal(&e, &given, &t, &after), None);
}
