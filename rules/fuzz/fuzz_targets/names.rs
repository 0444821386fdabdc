//! Names: checking a name's form never panics, and the two ways names are
//! compared agree: `same_name(a, b)` exactly when `fold_case(a) ==
//! fold_case(b)`, whatever the text (the input is split at its first NUL
//! into two names).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let (a, b) = text.split_once('\0').unwrap_or((text, ""));
    let _ = dpm_rules::validate_name_form(a);
    assert!(dpm_rules::same_name(a, a));
    assert_eq!(
        dpm_rules::same_name(a, b),
        dpm_rules::fold_case(a) == dpm_rules::fold_case(b),
        "{a:?} and {b:?}"
    );
});
