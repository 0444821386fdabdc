//! The scenario JSON reader never panics, and what it accepts writes back
//! to a document it reads again as the same topology.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(t) = dpm_rules::from_json(text) {
        let again = dpm_rules::from_json(&dpm_rules::to_json(&t)).expect("written JSON reads back");
        assert_eq!(again, t);
    }
});
