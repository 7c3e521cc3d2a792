//! Fuzzes everything a file or a stored value goes through: parse, migrate, decode,
//! validate. Any input must be refused with a typed error in plain words, or give a
//! workspace that round-trips (the laws in `fuzz/laws.rs`); never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "../laws.rs"]
mod laws;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        laws::import(text);
    }
});
