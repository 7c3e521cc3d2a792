//! Fuzzes snapshot-link decoding: a link anyone can send is refused with a typed error
//! in plain words, or what it shows round-trips (the laws in `fuzz/laws.rs`).
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "../laws.rs"]
mod laws;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        laws::snapshot(text);
    }
});
