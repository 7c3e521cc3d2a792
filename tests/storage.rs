//! Storage: envelopes, migrations from every released schema, and the store under the
//! faults browsers produce (full, unavailable, corrupt, newer, another tab).

mod common;

use latitude::core::generate::{generate, GenSpec};
use latitude::core::*;
use latitude::storage::file::{export_workspace, import_workspace, ImportError, MAX_IMPORT_BYTES};
use latitude::storage::store::{recovered_key, workspace_key, LoadOutcome, MemoryBackend, SaveError, StorageError, Store};
use proptest::prelude::*;

fn fixture(name: &str) -> String {
    std::fs::read_to_string(format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

#[test]
fn every_released_schema_loads() {
    for (file, name) in [("schema-0.json", "Fixture org (schema 0)"), ("schema-1.json", "Fixture org (schema 1)")] {
        let ws = import_workspace(&fixture(file)).unwrap_or_else(|e| panic!("{file}: {e}"));
        assert_eq!(ws.name.as_str(), name);
        assert_eq!(ws.units.len(), 2);
        assert_eq!(ws.commitments[0].owner, UnitId(2), "{file}: owner migrated");
        assert_eq!(ws.commitments[0].checkins().len(), 2);
        assert_eq!(ws.decisions[0].accountable, vec![UnitId(2), UnitId(1)]);
    }
}

fn small() -> Workspace {
    generate(9, &GenSpec { units: 4, years: 1, cadence_days: 14, commitments_per_unit: 2, decisions_per_unit: 2, ..GenSpec::small() })
}

#[test]
fn save_then_load_gives_the_same_workspace_and_counts_revisions() {
    let mut store = Store::new(MemoryBackend::default(), "tab-a");
    let ws = small();
    let rev = store.save("w1", &ws, 0, "now").unwrap();
    assert_eq!(rev, 1);
    match store.load("w1").unwrap() {
        LoadOutcome::Loaded(env) => {
            assert_eq!(env.workspace, ws);
            assert_eq!((env.rev, env.writer.as_str()), (1, "tab-a"));
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(store.save("w1", &ws, 1, "later").unwrap(), 2);
}

#[test]
fn a_full_store_refuses_the_write_and_keeps_what_was_stored() {
    let mut store = Store::new(MemoryBackend::default(), "tab");
    let ws = small();
    store.save("w", &ws, 0, "t").unwrap();
    let before = store.backend.map.get(&workspace_key("w")).cloned();
    store.backend.quota_chars = Some(10);
    let mut bigger = ws.clone();
    bigger.name = Name::new("Renamed").unwrap();
    assert_eq!(store.save("w", &bigger, 1, "t"), Err(SaveError::Storage(StorageError::Quota)));
    assert_eq!(store.backend.map.get(&workspace_key("w")).cloned(), before, "the stored value is untouched");
}

#[test]
fn unavailable_storage_fails_cleanly() {
    let mut store = Store::new(MemoryBackend { unavailable: true, ..Default::default() }, "tab");
    assert_eq!(store.load("w"), Err(StorageError::Unavailable));
    assert_eq!(store.save("w", &small(), 0, "t"), Err(SaveError::Storage(StorageError::Unavailable)));
}

#[test]
fn corrupt_values_are_kept_aside_never_dropped() {
    for raw in ["{\"app\":\"latitude\",\"schema\":1,\"workspace\":{\"name\":\"x\",\"units\":[", "42", "{\"todos\":[1,2]}", "\u{0}\u{1}binary"] {
        let mut store = Store::new(MemoryBackend::default(), "tab");
        store.backend.map.insert(workspace_key("w"), raw.to_owned());
        match store.load("w").unwrap() {
            LoadOutcome::Corrupt { raw: kept, problem } => {
                assert_eq!(kept, raw);
                assert!(!problem.is_empty());
            }
            other => panic!("{raw}: {other:?}"),
        }
        assert_eq!(store.backend.map.get(&recovered_key("w")).map(String::as_str), Some(raw));
        assert_eq!(store.backend.map.get(&workspace_key("w")).map(String::as_str), Some(raw), "the original stays");
    }
}

#[test]
fn a_newer_schema_opens_without_a_single_write() {
    let mut store = Store::new(MemoryBackend::default(), "tab");
    let newer = r#"{"app":"latitude","schema":7,"rev":4,"workspace":{"name":"From the future","shape":"unknown"}}"#;
    store.backend.map.insert(workspace_key("w"), newer.to_owned());
    let writes = store.backend.writes;
    assert!(matches!(store.load("w").unwrap(), LoadOutcome::Newer { found: 7, .. }));
    assert_eq!(store.backend.writes, writes, "zero writes");
}

#[test]
fn a_tab_holding_an_older_revision_cannot_overwrite_a_newer_one() {
    let mut store = Store::new(MemoryBackend::default(), "tab-a");
    let ws = small();
    store.save("w", &ws, 0, "t").unwrap();
    store.save("w", &ws, 1, "t").unwrap();
    // Another tab still at rev 1.
    assert_eq!(store.save("w", &ws, 1, "t"), Err(SaveError::Conflict { ours: 1, theirs: 2 }));
}

#[test]
fn imports_refuse_hostile_files_with_a_clear_reason() {
    let deep = "[".repeat(10_000) + &"]".repeat(10_000);
    assert!(matches!(import_workspace(&deep), Err(ImportError::Syntax(m)) if m.contains("recursion")));
    let big = " ".repeat(MAX_IMPORT_BYTES + 1);
    assert!(matches!(import_workspace(&big), Err(ImportError::TooLarge { .. })));
    let nan = export_workspace(&small()).replacen("\"value\": ", "\"value\": 1e999, \"x\": ", 1);
    assert!(import_workspace(&nan).is_err());
    let same = r#"{"app":"latitude","schema":1,"workspace":{"name":"x","units":[{"id":1,"name":"A"}],"commitments":[{"id":1,"owner":1,"title":"T","category":"revenue","baseline":5,"target":5,"start":"2025-01-01"}]}}"#;
    let err = import_workspace(same).unwrap_err().to_string();
    assert!(err.contains("target") && err.contains("baseline"), "{err}");
}

fn arb_name() -> impl Strategy<Value = String> {
    "\\PC{1,40}".prop_filter("non-blank", |s| !s.trim().is_empty())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 10_000, ..ProptestConfig::default() })]

    #[test]
    fn any_workspace_survives_save_and_load(names in proptest::collection::vec(arb_name(), 1..4), title in arb_name(), value in -1e12f64..1e12, seed in 0u64..1000) {
        let mut ws = generate(seed, &GenSpec { units: 2, years: 1, cadence_days: 60, commitments_per_unit: 1, decisions_per_unit: 1, ..GenSpec::small() });
        ws.name = Name::new(&names[0]).unwrap();
        for (u, n) in ws.units.iter_mut().zip(names.iter()) {
            u.name = Name::new(n).unwrap();
        }
        ws.commitments[0].title = Name::new(&title).unwrap();
        if let Some(first) = ws.commitments[0].checkins().first().map(|k| k.date) {
            ws.commitments[0].update_checkin(first, |k| {
                k.value = Finite::new(value, "value").unwrap();
                k.note = title.clone();
            });
        }
        let mut store = Store::new(MemoryBackend::default(), "tab");
        store.save("w", &ws, 0, "t").unwrap();
        match store.load("w").unwrap() {
            LoadOutcome::Loaded(env) => prop_assert_eq!(env.workspace, ws),
            other => prop_assert!(false, "{:?}", other),
        }
    }
}

#[test]
fn stored_values_are_compact_and_older_plain_json_values_still_load() {
    let mut store = Store::new(MemoryBackend::default(), "tab");
    let ws = small();
    store.save("w", &ws, 0, "t").unwrap();
    let raw = store.backend.map.get(&workspace_key("w")).unwrap().clone();
    let (header, _) = raw.split_once('\n').unwrap();
    assert!(header.contains(&format!("\"enc\":\"{}\"", latitude::storage::compact::Layout::CURRENT.tag())) && header.contains("\"rev\":1"), "{header}");
    assert_eq!(store.stored_rev("w").unwrap(), 1);
    // A value written as a plain JSON envelope (schema 1, before the compact encoding).
    store.backend.map.insert(workspace_key("old"), fixture("schema-1.json"));
    match store.load("old").unwrap() {
        LoadOutcome::Loaded(env) => assert_eq!((env.rev, env.workspace.units.len()), (3, 2)),
        other => panic!("{other:?}"),
    }
    assert_eq!(store.stored_rev("old").unwrap(), 3);
    // A compact value from a newer schema is not read, and not written.
    let newer = raw.replacen("\"schema\":1", "\"schema\":5", 1);
    store.backend.map.insert(workspace_key("n"), newer);
    let writes = store.backend.writes;
    assert!(matches!(store.load("n").unwrap(), LoadOutcome::Newer { found: 5, .. }));
    assert_eq!(store.backend.writes, writes);
}
