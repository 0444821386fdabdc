//! The crate's hash maps and sets for keys the drawing itself makes (server
//! ids, positions in a list, pairs of them): FxHash, from `rustc-hash` (the
//! Rust compiler's own hasher), a multiply and a rotate per word instead of
//! SipHash's rounds. At 10,000 servers the fix finder spent a quarter of its
//! time in SipHash.
//!
//! Keys a file or a link chooses (names, replica set names, findings) keep
//! the standard library's seeded SipHash (`std::collections::HashMap`):
//! with FxHash, a hostile file could pick names that all collide.

pub use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
