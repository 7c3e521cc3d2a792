//! Storage: envelopes, migrations from every released schema, and the store under the
//! faults browsers produce (full, unavailable, corrupt, newer, another tab).

mod common;

use latitude::core::generate::{generate, GenSpec};
use latitude::core::*;
use latitude::storage::file::{import_workspace, ImportError, MAX_IMPORT_BYTES, MAX_NESTING};
use latitude::storage::store::{
    kept_key, recovered_key, workspace_key, Backend, IndexRead, Kept, LoadOutcome, MemoryBackend, SaveError, StorageError, Store, StoreIndex, WorkspaceMeta, INDEX_KEY, RECOVERED_INDEX_KEY,
    SET_ASIDE_KEY,
};
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
fn a_stored_policy_beyond_the_settings_limits_opens_clamped() {
    let mut store = Store::new(MemoryBackend::default(), "tab-a");
    let mut ws = small();
    ws.policy.grace_days = 400;
    ws.policy.decision_review_days = 0;
    ws.policy.rung_labels[0] = "A rung label written long before labels had a limit".into();
    assert!(ws.policy.validate().is_err(), "the test needs a policy the limits refuse");
    store.save("w1", &ws, 0, "now").unwrap();
    match store.load("w1").unwrap() {
        LoadOutcome::Loaded(env) => {
            let p = &env.workspace.policy;
            assert_eq!((p.grace_days, p.decision_review_days), (Policy::MAX_GRACE_DAYS, 1));
            assert_eq!(p.rung_labels[0], "A rung label written long before labels");
            assert_eq!(env.workspace.units, ws.units, "everything else as stored");
            assert!(p.validate().is_ok());
        }
        other => panic!("opened as {other:?}"),
    }
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
    // Nor can it be copied aside: a tab must not keep its own version over it.
    let refused = store.keep_copy("w", "copy", "other tab's version", "t").unwrap_err().to_string();
    assert!(refused.contains("newer version of Latitude (schema 7)"), "{refused}");
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
    // The header says which tab wrote the stored rev (a tab that wrote at the same moment
    // as another learns its version was written over).
    assert_eq!(store.stored_head("w").unwrap(), (2, Some("tab-a".into())));
    assert_eq!(store.stored_head("none").unwrap(), (0, None));
}

#[test]
fn a_version_about_to_be_written_over_is_kept_as_a_workspace_listed_after_it() {
    let mut store = Store::new(MemoryBackend::default(), "tab-a");
    let mut theirs = small();
    theirs.name = Name::new("Northwind").unwrap();
    store.save("other", &small(), 0, "t").unwrap();
    store.save("w", &theirs, 0, "t").unwrap();
    store.save("w", &theirs, 1, "t").unwrap();
    let listed = |id: &str, name: &str| WorkspaceMeta { id: id.into(), name: name.into() };
    store.save_index(&StoreIndex { workspaces: vec![listed("w", "Northwind"), listed("other", "Other")], active: Some("w".into()), ..Default::default() }).unwrap();

    let name = store.keep_copy("w", "copy", "other tab's version", "t").unwrap();
    assert_eq!(name.as_deref(), Some("Northwind (other tab's version)"));
    match store.load("copy").unwrap() {
        LoadOutcome::Loaded(env) => {
            assert_eq!(env.workspace.name.as_str(), "Northwind (other tab's version)");
            assert_eq!((env.workspace.units.clone(), env.workspace.commitments.clone()), (theirs.units.clone(), theirs.commitments.clone()));
            assert_eq!(env.rev, 1, "the copy starts a history of its own");
        }
        other => panic!("{other:?}"),
    }
    let index = store.index().unwrap();
    assert_eq!(index.workspaces, vec![listed("w", "Northwind"), listed("copy", "Northwind (other tab's version)"), listed("other", "Other")]);
    assert_eq!(index.active.as_deref(), Some("w"), "the open workspace stays open");
    assert_eq!(store.kept("w").unwrap(), Some(Kept { rev: 2, name: "Northwind (other tab's version)".into() }));
    // The original is untouched: the tab writes over it only after the copy.
    assert_eq!(store.stored_rev("w").unwrap(), 2);

    // A second copy of the same version is numbered, and each is listed once, also
    // when the list is read again from storage.
    assert_eq!(store.keep_copy("w", "copy1b", "other tab's version", "t").unwrap().as_deref(), Some("Northwind (other tab's version 2)"));
    let ids: Vec<String> = store.index().unwrap().workspaces.into_iter().map(|m| m.id).collect();
    assert_eq!(ids, ["w", "copy1b", "copy", "other"]);

    // A long name is shortened so that the label still fits.
    theirs.name = Name::new("N".repeat(Name::MAX_CHARS)).unwrap();
    store.save("w", &theirs, 2, "t").unwrap();
    let name = store.keep_copy("w", "copy2", "other tab's version", "t").unwrap().unwrap();
    assert!(name.chars().count() <= Name::MAX_CHARS && name.ends_with(" (other tab's version)") && name.starts_with("NNN"), "{name}");

    // Nothing stored: nothing copied, nothing listed.
    let before = store.index().unwrap();
    assert_eq!(store.keep_copy("none", "copy3", "other tab's version", "t").unwrap(), None);
    assert_eq!(store.index().unwrap(), before);
    assert_eq!(store.kept("none").unwrap(), None);

    // Deleting the workspace deletes what it says was kept aside, not the copy.
    store.remove("w").unwrap();
    assert_eq!(store.backend.get(&kept_key("w")).unwrap(), None);
    assert!(matches!(store.load("copy").unwrap(), LoadOutcome::Loaded(_)));
}

#[test]
fn this_tabs_version_is_kept_aside_under_one_id_and_a_closed_tab_says_so_once() {
    let mut store = Store::new(MemoryBackend::default(), "tab-a");
    let mut stored = small();
    stored.name = Name::new("Northwind").unwrap();
    store.save("w", &stored, 0, "t").unwrap();
    store.save_index(&StoreIndex { workspaces: vec![WorkspaceMeta { id: "w".into(), name: "Northwind".into() }], active: Some("w".into()), ..Default::default() }).unwrap();
    let before = store.backend.get(&workspace_key("w")).unwrap();

    // This tab's version, which differs from the stored one, is kept as it is.
    let mut mine = stored.clone();
    mine.name = Name::new("Northwind, renamed here").unwrap();
    mine.units[0].name = Name::new("Renamed here").unwrap();
    let name = store.keep_aside("w", "mine", &mine, "this tab's version", "t").unwrap();
    assert_eq!(name, "Northwind, renamed here (this tab's version)");
    match store.load("mine").unwrap() {
        LoadOutcome::Loaded(env) => {
            assert_eq!(env.workspace.name.as_str(), name);
            assert_eq!(env.workspace.units, mine.units);
            assert_eq!(env.rev, 1);
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(store.backend.get(&workspace_key("w")).unwrap(), before, "the workspace itself is untouched");
    assert_eq!(store.kept("w").unwrap(), None, "no other tab needs telling");

    // Kept again under the same id (the tab closed, came back from the page cache and
    // then chose): replaced, under the same name, listed once.
    mine.units[0].name = Name::new("Renamed again").unwrap();
    assert_eq!(store.keep_aside("w", "mine", &mine, "this tab's version", "t").unwrap(), name);
    let index = store.index().unwrap();
    assert_eq!(index.workspaces.iter().map(|m| m.id.as_str()).collect::<Vec<_>>(), ["w", "mine"]);
    match store.load("mine").unwrap() {
        LoadOutcome::Loaded(env) => assert_eq!(env.workspace.units[0].name.as_str(), "Renamed again"),
        other => panic!("{other:?}"),
    }

    // A tab that closed says once, at the next start, where its version went.
    assert_eq!(store.take_set_aside().unwrap(), None);
    store.note_set_aside(&name).unwrap();
    assert_eq!(store.take_set_aside().unwrap().as_deref(), Some(name.as_str()));
    assert_eq!(store.take_set_aside().unwrap(), None);
    assert!(store.backend.get(SET_ASIDE_KEY).unwrap().is_none());
}

#[test]
fn a_copy_that_cannot_be_listed_is_not_left_unseen() {
    let mut store = Store::new(MemoryBackend::default(), "tab-a");
    store.save("w", &small(), 0, "t").unwrap();
    let index = StoreIndex { workspaces: vec![WorkspaceMeta { id: "w".into(), name: "W".into() }], active: Some("w".into()), ..Default::default() };
    store.save_index(&index).unwrap();
    // Room for the copy, not for the longer list.
    let used: usize = store.backend.map.iter().map(|(k, v)| k.len() + v.len()).sum();
    let copy_len = store.backend.get(&workspace_key("w")).unwrap().unwrap().len() + 40;
    store.backend.quota_chars = Some(used + copy_len);
    let ws = small();
    assert!(store.keep_aside("w", "copy", &ws, "this tab's version", "t").is_err());
    assert_eq!(store.backend.get(&workspace_key("copy")).unwrap(), None, "an unlisted copy was left behind");
    assert_eq!(store.index().unwrap(), index);
}

#[test]
fn a_new_workspace_never_takes_the_name_of_another() {
    let listed = |pairs: &[(&str, &str)]| StoreIndex { workspaces: pairs.iter().map(|(id, name)| WorkspaceMeta { id: (*id).into(), name: (*name).into() }).collect(), ..Default::default() };
    let name = |s: &str| Name::new(s).unwrap();
    let index = listed(&[("a", "Northwind"), ("b", "Northwind (2)"), ("c", "Acme (copy)")]);
    assert_eq!(index.free_name(&name("Globex"), None, "new").as_str(), "Globex");
    assert_eq!(index.free_name(&name("Northwind"), None, "new").as_str(), "Northwind (3)");
    // Its own entry does not count: renaming in place keeps the name.
    assert_eq!(index.free_name(&name("Northwind"), None, "a").as_str(), "Northwind");
    assert_eq!(index.free_name(&name("Acme"), Some("copy"), "new").as_str(), "Acme (copy 2)");
    assert_eq!(StoreIndex::default().free_name(&name("Acme"), Some("copy"), "new").as_str(), "Acme (copy)");
    // A long name is shortened so that the number still fits.
    let long = "N".repeat(Name::MAX_CHARS);
    let index = listed(&[("a", &long)]);
    let free = index.free_name(&name(&long), None, "new");
    assert!(free.as_str().ends_with("N (2)") && free.as_str().chars().count() == Name::MAX_CHARS, "{free}");
}

#[test]
fn a_version_that_cannot_be_copied_aside_is_not_written_over() {
    let mut store = Store::new(MemoryBackend::default(), "tab-a");
    store.save("w", &small(), 0, "t").unwrap();
    let stored = store.backend.get(&workspace_key("w")).unwrap();
    let used: usize = store.backend.map.iter().map(|(k, v)| k.len() + v.len()).sum();
    store.backend.quota_chars = Some(used + 100);
    assert!(store.keep_copy("w", "copy", "other tab's version", "t").is_err());
    assert_eq!(store.backend.get(&workspace_key("w")).unwrap(), stored);
    assert_eq!(store.backend.get(&workspace_key("copy")).unwrap(), None);
}

#[test]
fn imports_refuse_hostile_files_with_a_clear_reason() {
    let deep = "[".repeat(10_000) + &"]".repeat(10_000);
    assert_eq!(import_workspace(&deep), Err(ImportError::TooDeep { limit: MAX_NESTING, line: 1, column: MAX_NESTING + 1 }));
    let big = " ".repeat(MAX_IMPORT_BYTES + 1);
    assert!(matches!(import_workspace(&big), Err(ImportError::TooLarge { .. })));
    let same = r#"{"app":"latitude","schema":1,"workspace":{"name":"x","units":[{"id":1,"name":"A"}],"commitments":[{"id":1,"owner":1,"title":"T","category":"revenue","baseline":5,"target":5,"start":"2025-01-01"}]}}"#;
    let err = import_workspace(same).unwrap_err().to_string();
    assert!(err.contains("target") && err.contains("baseline"), "{err}");
}

/// The schema-1 fixture with one field set to `value` (JSON text, placed verbatim).
fn with_field(path: &[&str], value: &str) -> String {
    let mut file: serde_json::Value = serde_json::from_str(&fixture("schema-1.json")).unwrap();
    let mut at = &mut file;
    for (i, step) in path.iter().enumerate() {
        at = match step.parse::<usize>() {
            Ok(n) => &mut at[n],
            Err(_) if i + 1 == path.len() && value == "<remove>" => {
                at.as_object_mut().unwrap().remove(*step);
                return file.to_string();
            }
            Err(_) => &mut at[*step],
        };
    }
    *at = serde_json::Value::String("<placeholder>".into());
    file.to_string().replace("\"<placeholder>\"", value)
}

#[test]
fn every_refused_import_names_the_record_and_the_field_or_the_limit() {
    assert!(import_workspace(&with_field(&["workspace", "name"], "\"Still fine\"")).is_ok(), "the base file imports");
    let cases: Vec<(String, &str)> = vec![
        (with_field(&["workspace", "commitments", "0", "checkins", "1", "value"], "\"NaN\""), "checkins[1].value in \u{201c}Conversion\u{201d}: \u{201c}NaN\u{201d} is not a number"),
        (with_field(&["workspace", "commitments", "0", "checkins", "0", "value"], "1e999"), "checkins[0].value in \u{201c}Conversion\u{201d}: 1e999 is out of range"),
        (with_field(&["workspace", "commitments", "0", "target"], "-2.5e400"), "target in \u{201c}Conversion\u{201d}: -2.5e400 is out of range"),
        (with_field(&["workspace", "units", "1", "parent"], "-4"), "parent in \u{201c}Checkout team\u{201d}: -4 is out of range: expected a whole number from 0 to 4294967295"),
        (with_field(&["workspace", "commitments", "0", "category"], "\"sales\""), "category in \u{201c}Conversion\u{201d}: \u{201c}sales\u{201d} is not one of the allowed words"),
        (with_field(&["workspace", "commitments", "0", "owner"], "<remove>"), "\u{201c}Conversion\u{201d}: the field \u{201c}owner\u{201d} is missing"),
        (with_field(&["workspace", "grants", "0", "rung"], "9"), "rung in the grant to \u{201c}Checkout team\u{201d} on 2025-01-06: "),
        (with_field(&["workspace", "decisions", "0", "accountable"], "{}"), "accountable in the decision \u{201c}Ship weekly\u{201d}: a record is not a list"),
        (with_field(&["workspace", "units", "0", "name"], "\"\""), "units[0].name: must not be empty"),
        (with_field(&["workspace", "pulses", "0", "score"], "true"), "score in the pulse of \u{201c}Checkout team\u{201d} on 2025-02-01: true is not a number"),
        (with_field(&["workspace"], "[]"), "workspace: is a list, not a record with fields"),
        (fixture("schema-0.json").replacen("\"value\": 2.1", "\"value\": \"2,1 %\"", 1), "checkins[0].value in \u{201c}Conversion\u{201d}: \u{201c}2,1 %\u{201d} is not a number"),
        (fixture("schema-1.json").replacen('{', &format!("{{\"deep\": {}{},", "[".repeat(200), "]".repeat(200)), 1), "more than 127 levels deep (line 1, column 13"),
        (fixture("schema-1.json")[..200].to_owned(), "the file ends before the JSON does"),
        (fixture("schema-1.json").replacen("\"Conversion\"", "'Conversion'", 1), "a value is missing or is not JSON"),
        (" ".repeat(MAX_IMPORT_BYTES + 1), "the file is 67108865 bytes; the limit is 67108864 bytes"),
    ];
    for (file, expected) in cases {
        let err = import_workspace(&file).expect_err(expected).to_string();
        assert!(err.contains(expected), "expected {expected:?}\n     got {err:?}");
        for parser_words in ["invalid type", "invalid value", "expected f64", "u32", "recursion limit", "`", "struct "] {
            assert!(!err.contains(parser_words), "{err:?} speaks the parser's words ({parser_words})");
        }
    }
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
    // Written in c3 under schema 3, which a build that reads only c1 and c2 (schema 2)
    // leaves untouched as newer, instead of taking it for damaged data.
    assert!(header.contains("\"schema\":3") && latitude::storage::store::STORED_SCHEMA > latitude::storage::SCHEMA, "{header}");
    // What those builds wrote (schema 2, layout c2) still opens.
    use latitude::storage::compact::{encode_as, Layout};
    let earlier = format!("{{\"app\":\"latitude\",\"schema\":2,\"rev\":4,\"writer\":\"t\",\"saved_at\":\"\",\"enc\":\"c2\"}}\n{}", encode_as(&ws, Layout::C2));
    store.backend.map.insert(workspace_key("c2"), earlier);
    match store.load("c2").unwrap() {
        LoadOutcome::Loaded(env) => assert_eq!((env.rev, &env.workspace), (4, &ws)),
        other => panic!("{other:?}"),
    }
    // A value written as a plain JSON envelope (schema 1, before the compact encoding).
    store.backend.map.insert(workspace_key("old"), fixture("schema-1.json"));
    match store.load("old").unwrap() {
        LoadOutcome::Loaded(env) => assert_eq!((env.rev, env.workspace.units.len()), (3, 2)),
        other => panic!("{other:?}"),
    }
    assert_eq!(store.stored_rev("old").unwrap(), 3);
    // A compact value from a newer schema is not read, and not written.
    let newer = raw.replacen(&format!("\"schema\":{}", latitude::storage::store::STORED_SCHEMA), "\"schema\":5", 1);
    store.backend.map.insert(workspace_key("n"), newer);
    let writes = store.backend.writes;
    assert!(matches!(store.load("n").unwrap(), LoadOutcome::Newer { found: 5, .. }));
    assert_eq!(store.backend.writes, writes);
}

/// Three workspaces stored under their own keys, with their own names.
fn three_stored() -> Store<MemoryBackend> {
    let mut store = Store::new(MemoryBackend::default(), "tab");
    for (id, name) in [("default", "Alpha"), ("ws-b", "Beta"), ("ws-c", "Gamma")] {
        let mut ws = small();
        ws.name = Name::new(name).unwrap();
        store.save(id, &ws, 0, "t").unwrap();
    }
    store
}

fn listed(index: &StoreIndex) -> Vec<(&str, &str)> {
    index.workspaces.iter().map(|m| (m.id.as_str(), m.name.as_str())).collect()
}

#[test]
fn an_unreadable_workspace_list_is_rebuilt_from_the_stored_workspaces_and_kept_aside() {
    let truncated = r#"{"workspaces":[{"id":"default","name":"Alpha"},{"id":"ws-b","na"#;
    for raw in [truncated, "42", r#"{"todos":[{"title":"milk","done":false}]}"#, ""] {
        let mut store = three_stored();
        store.backend.map.insert(INDEX_KEY.into(), raw.into());
        let read = store.read_index().unwrap();
        assert_eq!(listed(&read.index), vec![("default", "Alpha"), ("ws-b", "Beta"), ("ws-c", "Gamma")], "{raw:?}");
        assert_eq!(read.index.active.as_deref(), Some("default"), "{raw:?}");
        let recovery = read.recovery.unwrap_or_else(|| panic!("{raw:?}: no recovery reported"));
        assert!(!recovery.problems.is_empty() && recovery.written, "{raw:?}: {recovery:?}");
        assert_eq!(recovery.kept_at.as_deref(), Some(RECOVERED_INDEX_KEY));
        assert_eq!(store.backend.map.get(RECOVERED_INDEX_KEY).map(String::as_str), Some(raw), "the unreadable value is kept aside");
        let message = recovery.message();
        for part in ["could not be read", "3 stored workspaces", "\u{201c}Alpha\u{201d}", "\u{201c}Gamma\u{201d}", RECOVERED_INDEX_KEY] {
            assert!(message.contains(part), "{raw:?}: {message}");
        }
        // Told once: the repaired list is stored, so the next start finds it whole.
        let again = store.read_index().unwrap();
        assert_eq!((again.recovery, listed(&again.index).len()), (None, 3), "{raw:?}");
        for id in ["default", "ws-b", "ws-c"] {
            assert!(matches!(store.load(id).unwrap(), LoadOutcome::Loaded(_)), "{raw:?}: {id} opens");
        }
    }
}

#[test]
fn what_a_partly_readable_list_says_is_kept_and_each_unreadable_field_is_named() {
    let mut store = three_stored();
    let raw = r#"{"workspaces":[{"id":"ws-c","name":"Gamma (listed)"},{"id":7}],"active":"ws-c","last_export":"2026-01-05","since":"last spring","export_reminder_days":-3}"#;
    store.backend.map.insert(INDEX_KEY.into(), raw.into());
    let read = store.read_index().unwrap();
    assert_eq!(listed(&read.index), vec![("ws-c", "Gamma (listed)"), ("default", "Alpha"), ("ws-b", "Beta")]);
    assert_eq!(read.index.active.as_deref(), Some("ws-c"), "a readable choice is kept");
    assert_eq!(read.index.last_export.as_deref(), Some("2026-01-05"));
    assert_eq!(read.index.since, None);
    let recovery = read.recovery.unwrap();
    assert_eq!(recovery.problems, vec!["1 of its 2 entries could not be read", "the date of the first save could not be read", "the export reminder\u{2019}s days could not be read"]);
    assert_eq!(store.backend.map.get(RECOVERED_INDEX_KEY).map(String::as_str), Some(raw));
}

#[test]
fn a_workspace_stored_but_missing_from_a_readable_list_is_listed_again() {
    let mut store = three_stored();
    let raw = r#"{"workspaces":[{"id":"default","name":"Alpha"},{"id":"ws-b","name":"Beta"}],"active":"ws-b","since":"2026-01-01","export_reminder_days":30}"#;
    store.backend.map.insert(INDEX_KEY.into(), raw.into());
    let read = store.read_index().unwrap();
    assert_eq!(listed(&read.index), vec![("default", "Alpha"), ("ws-b", "Beta"), ("ws-c", "Gamma")]);
    assert_eq!((read.index.active.as_deref(), read.index.export_reminder_days), (Some("ws-b"), 30));
    let recovery = read.recovery.unwrap();
    assert!(recovery.problems.is_empty() && recovery.kept_at.is_none() && recovery.written, "{recovery:?}");
    assert!(recovery.message().contains("1 stored workspace (\u{201c}Gamma\u{201d}) is listed again"), "{}", recovery.message());
    assert!(!store.backend.map.contains_key(RECOVERED_INDEX_KEY), "nothing unreadable, nothing kept aside");
}

#[test]
fn a_fresh_browser_and_a_whole_list_need_no_repair() {
    let mut store = Store::new(MemoryBackend::default(), "tab");
    let read = store.read_index().unwrap();
    assert_eq!((read.index, read.recovery), (StoreIndex::default(), None));
    assert_eq!(store.backend.writes, 0, "reading writes nothing");
    // No list yet over stored workspaces: all are listed, nothing is written or told.
    let mut store = three_stored();
    let writes = store.backend.writes;
    let read = store.read_index().unwrap();
    assert_eq!(listed(&read.index), vec![("default", "Alpha"), ("ws-b", "Beta"), ("ws-c", "Gamma")]);
    assert_eq!((read.index.active.as_deref(), read.recovery), (Some("default"), None));
    assert_eq!(store.backend.writes, writes, "reading writes nothing");
    // A whole list is read as it is.
    store.save_index(&read.index).unwrap();
    assert_eq!(store.read_index().unwrap(), IndexRead { index: read.index, recovery: None });
}

#[test]
fn a_list_that_cannot_be_copied_aside_is_not_overwritten() {
    let mut store = three_stored();
    store.backend.map.insert(INDEX_KEY.into(), "42".into());
    store.backend.quota_chars = Some(1);
    let read = store.read_index().unwrap();
    assert_eq!(read.index.workspaces.len(), 3, "still rebuilt for this tab");
    let recovery = read.recovery.unwrap();
    assert_eq!((recovery.kept_at.as_deref(), recovery.written), (None, false));
    assert!(recovery.message().contains("left as it is"), "{}", recovery.message());
    assert_eq!(store.backend.map.get(INDEX_KEY).map(String::as_str), Some("42"));
}

#[test]
fn a_workspace_list_over_unreadable_workspaces_still_names_them() {
    let mut store = three_stored();
    store.backend.map.insert(workspace_key("ws-b"), "\u{0}garbage".into());
    store.backend.map.insert(workspace_key("ws-n"), r#"{"app":"latitude","schema":9,"workspace":{}}"#.into());
    store.backend.map.insert(INDEX_KEY.into(), "".into());
    let index = store.index().unwrap();
    assert_eq!(listed(&index), vec![("default", "Alpha"), ("ws-b", "Workspace ws-b (cannot be read)"), ("ws-c", "Gamma"), ("ws-n", "Workspace ws-n (from a newer Latitude)")]);
}

#[test]
fn a_second_unreadable_value_never_overwrites_the_copy_of_the_first() {
    let mut store = three_stored();
    for (i, raw) in ["first garbage", "second garbage", "first garbage"].into_iter().enumerate() {
        store.backend.map.insert(INDEX_KEY.into(), raw.into());
        let kept = store.read_index().unwrap().recovery.unwrap().kept_at.unwrap();
        assert_eq!(kept, if i == 1 { format!("{RECOVERED_INDEX_KEY}.2") } else { RECOVERED_INDEX_KEY.to_owned() }, "{raw}");
    }
    for raw in ["{broken", "{also broken"] {
        store.backend.map.insert(workspace_key("ws-c"), raw.into());
        assert!(matches!(store.load("ws-c").unwrap(), LoadOutcome::Corrupt { .. }));
    }
    assert_eq!(store.backend.map.get(&recovered_key("ws-c")).map(String::as_str), Some("{broken"));
    assert_eq!(store.backend.map.get(&format!("{}.2", recovered_key("ws-c"))).map(String::as_str), Some("{also broken"));
}

#[test]
fn a_new_workspace_id_is_one_nothing_stored_or_listed_has() {
    let mut store = Store::new(MemoryBackend::default(), "tab-a");
    store.save("ws-00000001", &small(), 0, "t").unwrap();
    // Listed but not (or no longer) stored, and stored under another key only.
    let listed = |id: &str| WorkspaceMeta { id: id.into(), name: id.into() };
    store.save_index(&StoreIndex { workspaces: vec![listed("ws-00000001"), listed("ws-00000002")], ..Default::default() }).unwrap();
    store.backend.set(&recovered_key("ws-00000003"), "kept").unwrap();
    let mut drawn = [1u32, 2, 3, 4].into_iter();
    assert_eq!(store.free_id(|| drawn.next().unwrap()).unwrap(), "ws-00000004");
    // A generator that only repeats a taken number still ends with a free id.
    let id = store.free_id(|| 1).unwrap();
    assert!(id.starts_with("ws-00000001-") && !store.index().unwrap().workspaces.iter().any(|m| m.id == id), "{id}");
    assert_eq!(store.backend.get(&workspace_key(&id)).unwrap(), None);
    // Storage that cannot be read gives no id that might be taken.
    store.backend.unavailable = true;
    assert_eq!(store.free_id(|| 9), Err(StorageError::Unavailable));
}

/// The crash journal's value of a workspace is put back only where it is a later
/// revision of a workspace still there (stored or listed), and never for a shared one.
#[test]
fn a_journaled_write_is_put_back_only_over_an_earlier_revision_of_a_workspace_still_there() {
    let mut store = Store::new(MemoryBackend::default(), "tab");
    let ws = small();
    store.save("w1", &ws, 0, "now").unwrap();
    let rev1 = store.backend.get(&workspace_key("w1")).unwrap().unwrap();
    store.save("w1", &ws, 1, "later").unwrap();
    let rev2 = store.backend.get(&workspace_key("w1")).unwrap().unwrap();
    // An earlier or the same revision is left alone.
    assert!(!store.restore_journaled(&workspace_key("w1"), &rev1, false).unwrap());
    assert!(!store.restore_journaled(&workspace_key("w1"), &rev2, false).unwrap());
    // The browser lost the last write: the journal's later revision goes back.
    store.backend.set(&workspace_key("w1"), &rev1).unwrap();
    assert!(store.restore_journaled(&workspace_key("w1"), &rev2, false).unwrap());
    assert_eq!(store.stored_rev("w1").unwrap(), 2);
    // Over a value that cannot be read, a readable later one goes back too.
    store.backend.set(&workspace_key("w1"), "garbage").unwrap();
    assert!(store.restore_journaled(&workspace_key("w1"), &rev2, false).unwrap());
    // A journaled value this version cannot read is never put back, whatever its revision.
    let cut = format!("{}garbage", rev2.chars().take(rev2.chars().count() / 2).collect::<String>());
    assert_eq!(latitude::storage::store::head_of(&cut).map(|(rev, _)| rev), Some(2), "its header still reads");
    store.backend.set(&workspace_key("w1"), &rev1).unwrap();
    assert!(!store.restore_journaled(&workspace_key("w1"), &cut, false).unwrap());
    assert!(!store.restore_journaled(&workspace_key("w1"), "garbage", false).unwrap());
    assert_eq!(store.stored_rev("w1").unwrap(), 1);
    store.backend.set(&workspace_key("w1"), &rev2).unwrap();
    // A workspace neither stored nor listed was deleted: it does not come back.
    store.backend.remove(&workspace_key("w1")).unwrap();
    assert!(!store.restore_journaled(&workspace_key("w1"), &rev2, false).unwrap());
    // Listed, it does.
    store.save_index(&StoreIndex { workspaces: vec![WorkspaceMeta { id: "w1".into(), name: "One".into() }], ..StoreIndex::default() }).unwrap();
    assert!(store.restore_journaled(&workspace_key("w1"), &rev2, false).unwrap());
    // A shared workspace's edits come back from its team's database instead.
    store.backend.set(&workspace_key("w1"), &rev1).unwrap();
    store.set_team("w1", Some("{}")).unwrap();
    assert!(!store.restore_journaled(&workspace_key("w1"), &rev2, false).unwrap());
    // Keys that hold no workspace are never written.
    assert!(!store.restore_journaled(INDEX_KEY, &rev2, false).unwrap());
}

/// A browser that closed seconds after its first writes can have stored neither the
/// workspace nor the list: the journal's list is put back where none is stored, with the
/// workspaces it names; a workspace the stored list lacks is listed again.
#[test]
fn the_journal_puts_back_a_lost_list_and_the_workspaces_it_names() {
    let mut made = Store::new(MemoryBackend::default(), "tab");
    made.save("w1", &small(), 0, "now").unwrap();
    let index = StoreIndex { workspaces: vec![WorkspaceMeta { id: "w1".into(), name: "Workshop org".into() }], active: Some("w1".into()), ..StoreIndex::default() };
    made.save_index(&index).unwrap();
    let journal = vec![(INDEX_KEY.to_owned(), made.backend.get(INDEX_KEY).unwrap().unwrap()), (workspace_key("w1"), made.backend.get(&workspace_key("w1")).unwrap().unwrap())];
    // Nothing stored at all.
    let mut store = Store::new(MemoryBackend::default(), "tab");
    assert_eq!(store.restore_journal(&journal).unwrap(), (vec!["w1".to_owned()], true));
    assert_eq!(store.index().unwrap().active.as_deref(), Some("w1"));
    assert_eq!(store.stored_rev("w1").unwrap(), 1);
    // Nothing more to put back the second time.
    assert_eq!(store.restore_journal(&journal).unwrap(), (vec![], false));
    // A stored list that lacks the workspace: it is put back and listed again.
    let mut store = Store::new(MemoryBackend::default(), "tab");
    store.save_index(&StoreIndex { workspaces: vec![WorkspaceMeta { id: "w0".into(), name: "Older".into() }], active: Some("w0".into()), ..StoreIndex::default() }).unwrap();
    assert_eq!(store.restore_journal(&journal).unwrap(), (vec!["w1".to_owned()], true));
    let ids: Vec<_> = store.index().unwrap().workspaces.into_iter().map(|m| m.id).collect();
    assert_eq!(ids, ["w0", "w1"]);
    // The stored list is the earlier write: the workspace opened last is the journal's.
    assert_eq!(store.index().unwrap().active.as_deref(), Some("w1"), "the journal's open workspace");
    assert_eq!(store.restore_journal(&journal).unwrap(), (vec![], false), "nothing more the second time");
    // A browser that stored every workspace but not the list's last write (another
    // workspace opened seconds before it closed): the journal's open workspace again.
    let mut store = Store::new(MemoryBackend::default(), "tab");
    store.save("w0", &small(), 0, "now").unwrap();
    store.save("w1", &small(), 0, "now").unwrap();
    let both = |active: &str| StoreIndex {
        workspaces: vec![WorkspaceMeta { id: "w0".into(), name: "Older".into() }, WorkspaceMeta { id: "w1".into(), name: "Workshop org".into() }],
        active: Some(active.into()),
        ..StoreIndex::default()
    };
    store.save_index(&both("w0")).unwrap();
    let journal = vec![(INDEX_KEY.to_owned(), serde_json::to_string(&both("w1")).unwrap())];
    assert_eq!(store.restore_journal(&journal).unwrap(), (vec![], true));
    assert_eq!(store.index().unwrap().active.as_deref(), Some("w1"));
    // Never a workspace neither stored nor journaled.
    let journal = vec![(INDEX_KEY.to_owned(), serde_json::to_string(&both("w9")).unwrap())];
    assert_eq!(store.restore_journal(&journal).unwrap(), (vec![], false));
    assert_eq!(store.index().unwrap().active.as_deref(), Some("w1"));
}
