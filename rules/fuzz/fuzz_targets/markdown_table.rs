//! The table reader (Markdown, tab-separated or CSV, told apart by content)
//! never panics, and a table it accepts writes back to a table it accepts.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(t) = dpm_rules::from_table(text) {
        let table = dpm_rules::to_table(&t);
        if !dpm_rules::table_rows(&t).is_empty() {
            dpm_rules::from_table(&table).expect("written table reads back");
        }
    }
});
