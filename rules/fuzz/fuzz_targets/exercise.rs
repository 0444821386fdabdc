//! The exercise reader never panics on any text or link body (the harness
//! seals bodies, or random bytes would never get past the CRC); what it
//! accepts writes back, as a file and as a link, to the same exercise, and
//! evaluating its goals against its own start never panics.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        if let Ok(ex) = dpm_rules::read_exercise(text) {
            let file = dpm_rules::exercise_to_json(&ex);
            assert_eq!(dpm_rules::exercise_from_json(&file).expect("a written file reads back"), ex);
            let link = dpm_rules::exercise_to_link(&ex);
            assert_eq!(dpm_rules::exercise_from_link(&link).expect("a written link reads back"), ex);
            let _ = dpm_rules::evaluate(&ex, &ex.start);
        }
    }
    let mut body = vec![1u8];
    body.extend_from_slice(data);
    if let Ok(ex) = dpm_rules::exercise_from_link(&dpm_rules::seal(body)) {
        let _ = dpm_rules::evaluate(&ex, &ex.start);
    }
});
