//! Whatever `read` accepts, every part of the crate handles without a panic:
//! checks, pre-checks, failover of each server, layout and every export.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let Ok(t) = dpm_rules::read(text) else { return };
    if t.servers.len() > 64 {
        return;
    }
    let checker = dpm_rules::Checker::new(&t);
    for a in t.servers.iter().take(8) {
        for b in t.servers.iter().take(8) {
            let _ = checker.precheck(dpm_rules::Protection::new(a.id, b.id));
        }
    }
    for s in t.servers.iter().take(8) {
        let plan = dpm_rules::plan(&t, &[s.id]);
        for a in &plan.affected {
            for o in &a.options {
                let _ = o.steps(&t, &plan.failed);
            }
        }
    }
    let _ = dpm_rules::layout(&t);
    let _ = dpm_rules::to_mermaid(&t);
    let _ = dpm_rules::to_dot(&t);
    let _ = dpm_rules::to_svg(&t, checker.findings(), &Default::default());
});
