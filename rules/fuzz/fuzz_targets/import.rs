//! The inventory import never panics: any bytes, as one file or split in
//! two (a JSON export beside a CSV, say), and whatever it imports is a
//! drawing every reader takes back and the rules can check.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = dpm_rules::import::text_of(data) else { return };
    let mid = (0..=text.len() / 2)
        .rev()
        .find(|&i| text.is_char_boundary(i))
        .unwrap_or(0);
    let (a, b) = text.split_at(mid);
    for files in [
        vec![("DPM1.dpm-inventory.json", text.as_str())],
        vec![("a.dpm-inventory.json", a), ("b.csv", b)],
    ] {
        let Ok(i) = dpm_rules::import::read(&files) else { continue };
        let json = dpm_rules::to_json(&i.topology);
        assert!(dpm_rules::read(&json).is_ok(), "{json}");
        if i.topology.servers.len() <= 64 {
            let _ = dpm_rules::check(&i.topology);
        }
        let _ = i.report_text();
    }
});
