//! Replays the fuzzing corpus (fuzz/corpus/import) through the import paths: every input
//! gives a workspace or an error, never a panic. The fuzzer itself: see BENCHMARKS.md.

use latitude::storage::{compact, file, store};

#[test]
fn every_corpus_input_is_handled_without_panicking() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/corpus/import");
    let mut n = 0;
    let mut accepted = 0;
    for entry in std::fs::read_dir(&dir).expect("the corpus exists") {
        let bytes = std::fs::read(entry.unwrap().path()).unwrap();
        let text = String::from_utf8_lossy(&bytes);
        accepted += usize::from(file::import_workspace(&text).is_ok());
        let _ = store::decode_stored(&text);
        let _ = compact::decode(&text, compact::Layout::C1);
        let _ = compact::decode(&text, compact::Layout::C2);
        n += 1;
    }
    assert!(n >= 5, "only {n} corpus inputs");
    assert!(accepted >= 2, "the valid seeds import");
}
