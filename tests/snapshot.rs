//! Snapshot links: exact round trips, unit scopes, and hostile or damaged fragments
//! refused with a reason and no panic.

mod common;
use common::private_texts;

use latitude::core::generate::{generate, GenSpec};
use latitude::core::sample::sample_org;

use latitude::storage::snapshot::{decode, encode, encode_at, peek_scope, Scope, SnapshotError, MAX_FRAGMENT_CHARS};
use proptest::prelude::*;

#[test]
fn a_workspace_and_a_unit_round_trip() {
    let ws = sample_org(common::d("2026-11-29"));
    let link = encode(&ws, Scope::Workspace);
    assert!(link.starts_with("2.w.2026-11-29."), "{}", &link[..20]);
    assert!(link.chars().all(|c| c.is_ascii_alphanumeric() || "._-".contains(c)), "URL-safe");
    let back = decode(&link).unwrap();
    assert_eq!((back.scope, back.workspace), (Scope::Workspace, ws.clone()));
    let lead = ws.units.iter().find(|u| u.name.as_str() == "Rita Osei").unwrap().id;
    let part = decode(&encode(&ws, Scope::Unit(lead))).unwrap();
    assert_eq!(part.scope, Scope::Unit(lead));
    assert_eq!(part.workspace.units.len(), 1 + ws.children(lead).count());
    assert!(part.workspace.units.iter().all(|u| u.id == lead || u.parent == Some(lead)));
}

#[test]
fn a_map_only_snapshot_carries_the_points_and_no_records() {
    let ws = sample_org(common::d("2026-11-29"));
    let link = encode(&ws, Scope::Map);
    assert!(link.starts_with("2.m."));
    let snap = decode(&link).unwrap();
    let map = snap.map.expect("map");
    assert_eq!(map.points.len(), ws.units.len());
    assert!(snap.workspace.units.is_empty() && snap.workspace.commitments.is_empty());
    assert!(link.len() < encode(&ws, Scope::Workspace).len() / 4, "much shorter than the whole workspace");
}

#[test]
fn damaged_future_and_oversized_fragments_are_refused() {
    let ws = generate(1, &GenSpec::small());
    let link = encode(&ws, Scope::Workspace);
    let cut = &link[..link.len() / 2];
    assert!(matches!(decode(cut), Err(SnapshotError::Damaged(_)) | Err(SnapshotError::Malformed)));
    assert_eq!(decode(&link.replacen("2.", "7.", 1)), Err(SnapshotError::Newer(7)));
    assert_eq!(decode(&link.replacen("2.w.", "1.b.", 1)), Err(SnapshotError::Malformed), "format 1 had no scoreboard links");
    assert_eq!(decode(&link.replacen(".w.", ".w.2026-13-40.", 1)), Err(SnapshotError::Malformed));
    assert_eq!(decode("hello"), Err(SnapshotError::Malformed));
    assert_eq!(decode("1.x.AAAA"), Err(SnapshotError::Malformed));
    assert!(matches!(decode(&format!("1.w.{}", "A".repeat(MAX_FRAGMENT_CHARS))), Err(SnapshotError::TooLong(_))));
    assert!(decode("1.w.!!!").is_err());
}

#[test]
fn map_and_scoreboard_links_carry_scores_and_no_records() {
    let ws = sample_org(common::d("2026-11-29"));
    let private = private_texts(&ws);
    assert!(private.len() > 20, "the sample has records to leak: {}", private.len());
    for scope in [Scope::Map, Scope::Board] {
        let link = encode_at(&ws, scope, common::d("2026-11-22"));
        let snap = decode(&link).unwrap();
        assert_eq!(snap.as_of, Some(common::d("2026-11-22")));
        let map = snap.map.expect("scores");
        let shown = serde_json::to_string(&map).unwrap();
        for text in &private {
            assert!(!shown.contains(text.as_str()), "{scope:?} link carries {text:?}");
        }
        assert!(snap.workspace.commitments.is_empty() && snap.workspace.decisions.is_empty());
        match scope {
            Scope::Map => assert!(map.points.len() == ws.units.len() && map.rows.is_empty()),
            _ => {
                assert!(map.rows.len() == ws.units.len() && map.points.is_empty());
                assert!(map.rows.iter().any(|r| !r.flags.is_empty()), "flags travel with the scoreboard");
            }
        }
        assert!(link.len() * 4 < encode(&ws, Scope::Workspace).len(), "{scope:?}: much shorter than the whole workspace");
    }
}

#[test]
fn links_of_the_first_format_still_open_with_the_same_data() {
    let ws = sample_org(common::d("2026-11-29"));
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let old = std::fs::read_to_string(dir.join("snapshot-v1-workspace.txt")).unwrap();
    let old = old.trim();
    assert!(old.starts_with("1.w."));
    let snap = decode(old).unwrap();
    assert_eq!(snap.workspace, ws);
    assert_eq!(snap.as_of, Some(common::d("2026-11-29")), "the end of the week of the last record");
    let map = std::fs::read_to_string(dir.join("snapshot-v1-map.txt")).unwrap();
    let snap = decode(map.trim()).unwrap();
    assert_eq!((snap.scope, snap.map.unwrap().points.len()), (Scope::Map, ws.units.len()));
    // The current layout (c2) makes links shorter.
    assert!(encode(&ws, Scope::Workspace).len() < old.len(), "{} against {}", encode(&ws, Scope::Workspace).len(), old.len());
}

#[test]
fn the_scope_is_read_from_the_tag_alone() {
    let ws = sample_org(common::d("2026-11-29"));
    let lead = ws.units[0].id;
    for scope in [Scope::Workspace, Scope::Unit(lead), Scope::Map, Scope::Board] {
        assert_eq!(peek_scope(&encode(&ws, scope)), Some(scope));
    }
    assert_eq!(peek_scope("1.u7.xyz"), Some(Scope::Unit(latitude::core::UnitId(7))));
    assert_eq!(peek_scope("garbage"), None);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn any_generated_workspace_round_trips(seed in 0u64..10_000, units in 1u32..8) {
        let ws = generate(seed, &GenSpec { units, years: 1, cadence_days: 30, commitments_per_unit: 2, decisions_per_unit: 2, ..GenSpec::small() });
        prop_assert_eq!(decode(&encode(&ws, Scope::Workspace)).unwrap().workspace, ws);
    }

    #[test]
    fn arbitrary_fragments_never_panic(text in "\\PC{0,200}", bytes in proptest::collection::vec(any::<u8>(), 0..200)) {
        let _ = decode(&text);
        use base64::Engine;
        let _ = decode(&format!("1.w.{}", base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(&bytes)));
    }
}
