//! Fuzzes the CSV import of check-ins against the sample organisation: a sheet is refused
//! with a typed error, or its good rows apply to a valid workspace whose check-ins export
//! and import back unchanged (the laws in `fuzz/laws.rs`).
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "../laws.rs"]
mod laws;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        laws::csv(text);
    }
});
