//! The share-link reader never panics on any body that passes the checksum
//! (the harness seals it, or random bytes would never get past the CRC),
//! and what it accepts makes a link that reads back as the same topology.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut body = vec![1u8];
    body.extend_from_slice(data);
    if let Ok(t) = dpm_rules::from_share(&dpm_rules::seal(body)) {
        let again = dpm_rules::from_share(&dpm_rules::to_share(&t)).expect("a written link reads back");
        assert_eq!(again, t);
    }
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = dpm_rules::from_share(text);
    }
});
