//! Snapshot links: exact round trips, unit scopes, and hostile or damaged fragments
//! refused with a reason and no panic.

mod common;

use latitude::core::generate::{generate, GenSpec};
use latitude::core::sample::sample_org;

use latitude::storage::snapshot::{decode, encode, Scope, SnapshotError, MAX_FRAGMENT_CHARS};
use proptest::prelude::*;

#[test]
fn a_workspace_and_a_unit_round_trip() {
    let ws = sample_org(common::d("2026-11-29"));
    let link = encode(&ws, Scope::Workspace);
    assert!(link.starts_with("1.w."));
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
    assert!(link.starts_with("1.m."));
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
    assert_eq!(decode(&link.replacen("1.", "7.", 1)), Err(SnapshotError::Newer(7)));
    assert_eq!(decode("hello"), Err(SnapshotError::Malformed));
    assert_eq!(decode("1.x.AAAA"), Err(SnapshotError::Malformed));
    assert!(matches!(decode(&format!("1.w.{}", "A".repeat(MAX_FRAGMENT_CHARS))), Err(SnapshotError::TooLong(_))));
    assert!(decode("1.w.!!!").is_err());
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
