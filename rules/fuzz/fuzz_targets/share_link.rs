//! The share-link reader never panics on any body that passes the checksum
//! (the harness adds it, or random bytes would never get past it), and
//! what it accepts makes a link that reads back as the same topology.
#![no_main]

use libfuzzer_sys::fuzz_target;

fn crc32(data: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &byte in data {
        crc ^= u32::from(byte);
        for _ in 0..8 {
            crc = (crc >> 1) ^ (0xEDB8_8320 & (crc & 1).wrapping_neg());
        }
    }
    !crc
}

fn base64url(b: &[u8]) -> String {
    const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut out = String::new();
    for chunk in b.chunks(3) {
        let n = chunk.iter().enumerate().fold(0u32, |n, (k, &c)| n | u32::from(c) << (16 - 8 * k));
        for k in 0..=chunk.len() {
            out.push(A[(n >> (18 - 6 * k) & 63) as usize] as char);
        }
    }
    out
}

fuzz_target!(|data: &[u8]| {
    let mut body = vec![1u8];
    body.extend_from_slice(data);
    let crc = crc32(&body);
    body.extend_from_slice(&crc.to_le_bytes());
    let link = base64url(&body);
    if let Ok(t) = dpm_rules::from_share(&link) {
        let again = dpm_rules::from_share(&dpm_rules::to_share(&t)).expect("a written link reads back");
        assert_eq!(again, t);
    }
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = dpm_rules::from_share(text);
    }
});
