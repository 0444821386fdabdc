//! The scenario JSON reader never panics, and what it accepts writes back
//! to a document that reads again as the same topology, positions within
//! the 1/100 pixel files keep; from then on writing and reading is exact.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(t) = dpm_rules::from_json(text) {
        let once = dpm_rules::from_json(&dpm_rules::to_json(&t)).expect("written JSON reads back");
        assert_eq!(once.servers.len(), t.servers.len());
        for (a, b) in once.servers.iter().zip(&t.servers) {
            let (pa, pb) = (a.pos.unwrap_or_default(), b.pos.unwrap_or_default());
            assert!((pa.x - pb.x).abs() <= 0.0051 && (pa.y - pb.y).abs() <= 0.0051, "{pa:?} {pb:?}");
            let (mut a, mut b) = (a.clone(), b.clone());
            a.pos = None;
            b.pos = None;
            assert_eq!(a, b);
        }
        assert_eq!(once.protections, t.protections);
        let twice = dpm_rules::from_json(&dpm_rules::to_json(&once)).expect("written JSON reads back");
        assert_eq!(twice, once);
    }
});
