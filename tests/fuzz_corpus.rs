//! Replays the fuzzing corpora (`fuzz/corpus/<target>`) through the laws the fuzz targets
//! check (`fuzz/laws.rs`): every input is refused with a typed error in words a person can
//! act on, or what it gives round-trips — export then import gives the same workspace.
//! The fuzzer itself: see README and BENCHMARKS.md.

#[path = "../fuzz/laws.rs"]
mod laws;

/// Runs `law` over every input of a corpus; returns (inputs, accepted).
fn replay(target: &str, law: fn(&str) -> bool) -> (usize, usize) {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/corpus").join(target);
    let (mut n, mut accepted) = (0, 0);
    for entry in std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let path = entry.unwrap().path();
        let bytes = std::fs::read(&path).unwrap();
        let text = String::from_utf8_lossy(&bytes);
        let ok = std::panic::catch_unwind(|| law(&text)).unwrap_or_else(|_| panic!("{} breaks a law (message above)", path.display()));
        accepted += usize::from(ok);
        n += 1;
    }
    (n, accepted)
}

#[test]
fn every_import_input_is_refused_in_plain_words_or_round_trips() {
    let (n, accepted) = replay("import", laws::import);
    assert!(n >= 5, "only {n} corpus inputs");
    assert!(accepted >= 2, "the valid seeds import");
}

#[test]
fn every_snapshot_link_is_refused_in_plain_words_or_round_trips() {
    let (n, accepted) = replay("snapshot", laws::snapshot);
    assert!(n >= 5, "only {n} corpus inputs");
    assert!(accepted >= 3, "the valid seeds (workspace, unit and map links) open: {accepted}");
}

#[test]
fn every_sheet_is_refused_in_plain_words_or_applies_and_round_trips() {
    let (n, accepted) = replay("csv", laws::csv);
    assert!(n >= 5, "only {n} corpus inputs");
    assert!(accepted >= 2, "the valid seeds apply: {accepted}");
}
