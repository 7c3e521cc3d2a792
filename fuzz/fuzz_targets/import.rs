//! Fuzzes everything a file or a stored value goes through: parse, migrate, decode,
//! validate. Any input must give a workspace or an error, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = latitude::storage::file::import_workspace(text);
        let _ = latitude::storage::store::decode_stored(text);
        let _ = latitude::storage::compact::decode(text, latitude::storage::compact::Layout::C1);
        let _ = latitude::storage::compact::decode(text, latitude::storage::compact::Layout::C2);
    }
});
