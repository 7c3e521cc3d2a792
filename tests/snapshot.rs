//! Snapshot links: exact round trips, unit scopes, and hostile or damaged fragments
//! refused with a reason and no panic.

mod common;
use common::private_texts;

use latitude::core::generate::{generate, GenSpec};
use latitude::core::sample::sample_org;

use latitude::core::{score, IssuedIds, UnitId, Visibility, Workspace};
use latitude::storage::snapshot::{board_rows, decode, encode, encode_at, keepable, payload_json, peek_scope, private_commitments, Scope, SnapshotError, MAX_FRAGMENT_CHARS};
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
    assert_eq!(part.workspace.units.len(), ws.subtree(lead).len());
    assert!(part.workspace.units.iter().all(|u| u.id == lead || u.parent == Some(lead)), "Rita's reports lead no one");
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

/// Every unit a part shows scores as in the whole workspace, on the link's date and
/// on earlier ones (the trend).
fn part_scores_as_whole(ws: &Workspace, as_of: time::Date) {
    for unit in ws.units.iter().map(|u| u.id) {
        let link = encode_at(ws, Scope::Unit(unit), as_of);
        let part = decode(&link).unwrap_or_else(|e| panic!("unit {}: {e}", unit.0)).workspace;
        assert_eq!(part.units.len(), ws.subtree(unit).len(), "the unit and everyone under it");
        for date in [as_of, as_of - time::Duration::days(60), as_of - time::Duration::days(200)] {
            let whole = score(ws, &ws.policy, date);
            let shared = score(&part, &part.policy, date);
            for s in &shared.units {
                let w = whole.unit(s.unit).expect("a unit of the workspace");
                let name = ws.unit_name(s.unit);
                let flags = |u: &latitude::core::UnitScore| u.flags.iter().map(|f| f.kind.label()).collect::<Vec<_>>();
                assert_eq!(flags(s), flags(w), "flags of {name} in the link of unit {}", ws.unit_name(unit));
                assert_eq!(s, w, "score of {name} on {date} in the link of unit {}", ws.unit_name(unit));
            }
            let rows = |w: &Workspace, sc| board_rows(w, sc).iter().map(|r| r.cells()).collect::<Vec<_>>();
            let shown: Vec<_> = rows(&part, &shared);
            let all: Vec<_> = rows(ws, &whole);
            assert!(shown.iter().all(|r| all.contains(r)), "scoreboard rows of the link of {}", ws.unit_name(unit));
        }
    }
}

#[test]
fn a_unit_link_scores_every_unit_it_shows_exactly_as_the_whole_workspace() {
    let ws = sample_org(common::d("2026-11-29"));
    // The mobile team's commitments are reviewed by its leader, outside its link.
    let mobile = ws.units.iter().find(|u| u.name.as_str() == "Mobile team").unwrap().id;
    let whole = score(&ws, &ws.policy, common::d("2026-11-29"));
    let part = decode(&encode(&ws, Scope::Unit(mobile))).unwrap().workspace;
    assert!(part.commitments.iter().any(|c| c.reviewer == Some(UnitId::OUTSIDE)), "the reviewer from elsewhere is carried as someone outside");
    assert_eq!(part.unit_name(UnitId::OUTSIDE), "(someone outside this link)");
    assert_eq!(score(&part, &part.policy, common::d("2026-11-29")).unit(mobile).unwrap().flags, whole.unit(mobile).unwrap().flags);
    part_scores_as_whole(&ws, common::d("2026-11-29"));
    for seed in [3, 11] {
        let g = generate(seed, &GenSpec::small());
        let as_of = g.last_date().map(latitude::core::dates::week_end).unwrap();
        part_scores_as_whole(&g, as_of);
    }
}

#[test]
fn a_unit_link_kept_as_a_workspace_names_no_one_outside() {
    let ws = sample_org(common::d("2026-11-29"));
    let mobile = ws.units.iter().find(|u| u.name.as_str() == "Mobile team").unwrap().id;
    let part = decode(&encode(&ws, Scope::Unit(mobile))).unwrap().workspace;
    assert!(part.validate().is_err(), "the part names someone outside");
    let kept = keepable(&part);
    assert_eq!(kept.validate(), Ok(()));
    assert!(kept.commitments.iter().all(|c| c.reviewer.is_none_or(|r| kept.unit(r).is_some())));
}

#[test]
fn a_unit_link_carries_no_one_outside_and_no_id_counters() {
    let mut ws = sample_org(common::d("2026-11-29"));
    let support = ws.units.iter().find(|u| u.name.as_str() == "Support team").unwrap().id;
    ws.remove_unit(support);
    assert_ne!(ws.issued, IssuedIds::default(), "removing a unit records the ids given out");
    let vpe = ws.units.iter().find(|u| u.name.as_str() == "Rita Osei").unwrap().id;
    let part = decode(&encode(&ws, Scope::Unit(vpe))).unwrap().workspace;
    assert_eq!(part.issued, IssuedIds::default(), "a unit link carries no id counters");
    let inside: Vec<UnitId> = ws.subtree(vpe);
    let outside_names: Vec<String> = ws.units.iter().filter(|u| !inside.contains(&u.id)).map(|u| u.name.to_string()).collect();
    let json = serde_json::to_string(&part).unwrap();
    for name in &outside_names {
        assert!(!json.contains(&format!("\"{name}\"")), "the unit link names {name}");
    }
    let refs = part.commitments.iter().flat_map(|c| c.reviewer.into_iter().chain(c.checkins().iter().filter_map(|k| k.recorded_by)));
    for r in refs.chain(part.grants.iter().filter_map(|g| g.granted_by)).chain(part.decisions.iter().flat_map(|d| d.accountable.clone())).chain(part.reviews.iter().filter_map(|r| r.reviewer)) {
        assert!(r == UnitId::OUTSIDE || inside.contains(&r), "unit {} from outside is named", r.0);
    }
}

#[test]
fn map_and_scoreboard_links_carry_only_what_they_show_rounded_as_shown() {
    let ws = sample_org(common::d("2026-11-29"));
    let as_of = common::d("2026-11-22");
    let whole = score(&ws, &ws.policy, as_of);
    let map_link = encode_at(&ws, Scope::Map, as_of);
    let payload = payload_json(&map_link).unwrap().expect("map JSON");
    let points = payload["points"].as_array().unwrap();
    assert_eq!(points.len(), ws.units.len());
    let tenth = |v: &serde_json::Value| v.as_f64().is_some_and(|x| ((x * 10.0).round() - x * 10.0).abs() < 1e-9 && v.to_string().split('.').nth(1).is_none_or(|d| d.len() <= 1));
    for p in points {
        let keys: Vec<&str> = p.as_object().unwrap().keys().map(String::as_str).collect();
        assert!(keys.iter().all(|k| ["name", "x", "y", "verdict", "leader", "evidence", "withheld"].contains(k)), "a point carries {keys:?}");
        assert!(tenth(&p["x"]) && tenth(&p["y"]), "rounded to a tenth: {p}");
    }
    // What the map shows of each point (its tooltip's numbers) is the workspace's.
    let shown = decode(&map_link).unwrap().map.unwrap().points;
    let full = latitude::core::series::map_points(&ws, &whole);
    for (s, f) in shown.iter().zip(&full) {
        assert_eq!((s.name.as_str(), format!("{:.0} {:.0}", s.x, s.y), s.verdict, s.leader, s.evidence), (f.name.as_str(), format!("{:.0} {:.0}", f.x, f.y), f.verdict, f.leader, f.evidence));
        assert!((s.x - f.x).abs() < 0.11 && (s.y - f.y).abs() < 0.11);
    }
    let board_link = encode_at(&ws, Scope::Board, as_of);
    let payload = payload_json(&board_link).unwrap().expect("board JSON");
    for r in payload["rows"].as_array().unwrap() {
        for key in ["a", "s"] {
            assert!(r[key].as_f64().is_some_and(|x| x.fract() == 0.0), "{key} is a whole number: {r}");
        }
        for key in ["tr", "r"] {
            assert!(r[key].to_string().split('.').nth(1).is_none_or(|d| d.len() <= 2), "{key} has two decimals: {r}");
        }
    }
    let rows: Vec<Vec<String>> = decode(&board_link).unwrap().map.unwrap().rows.iter().map(|r| r.cells()).collect();
    let full: Vec<Vec<String>> = board_rows(&ws, &whole).iter().map(|r| r.cells()).collect();
    assert_eq!(rows, full, "the scoreboard of the link shows what the workspace's does");
    assert_eq!(payload_json(&encode(&ws, Scope::Workspace)).unwrap(), None);
}

#[test]
fn links_of_this_format_made_before_still_open_with_the_same_data() {
    let ws = sample_org(common::d("2026-11-29"));
    let whole = score(&ws, &ws.policy, common::d("2026-11-22"));
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let read = |name: &str| std::fs::read_to_string(dir.join(format!("snapshot-v2-{name}.txt"))).unwrap().trim().to_owned();
    let w = decode(&read("workspace")).unwrap();
    assert_eq!((w.scope, w.workspace, w.as_of), (Scope::Workspace, ws.clone(), Some(common::d("2026-11-22"))));
    let lead = ws.units.iter().find(|u| u.name.as_str() == "Rita Osei").unwrap().id;
    let u = decode(&read("unit")).unwrap();
    assert_eq!((u.scope, u.workspace.units.len()), (Scope::Unit(lead), 1 + ws.children(lead).count()));
    let m = decode(&read("map")).unwrap().map.unwrap();
    let names: Vec<&str> = m.points.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ws.units.iter().map(|u| u.name.as_str()).collect::<Vec<_>>());
    let b = decode(&read("board")).unwrap().map.unwrap();
    let full: Vec<Vec<String>> = board_rows(&ws, &whole).iter().map(|r| r.cells()).collect();
    // That link kept the organisation's order; it is shown largest gap first, as now.
    let mut rows = b.rows.clone();
    latitude::storage::snapshot::by_gap(&mut rows);
    assert_eq!(rows.iter().map(|r| r.cells()).collect::<Vec<_>>(), full);
}

#[test]
fn private_commitments_are_counted_for_the_links_that_carry_them() {
    let mut ws = sample_org(common::d("2026-11-29"));
    let private: Vec<_> = ws.commitments.iter().filter(|c| c.visibility == Visibility::Private).map(|c| (c.owner, c.title.to_string())).collect();
    assert!(!private.is_empty(), "the sample has private commitments");
    assert_eq!(private_commitments(&ws, Scope::Workspace), private.len());
    let (owner, title) = private[0].clone();
    assert!(private_commitments(&ws, Scope::Unit(owner)) >= 1);
    for scope in [Scope::Map, Scope::Board] {
        assert_eq!(private_commitments(&ws, scope), 0);
        assert!(!serde_json::to_string(&payload_json(&encode(&ws, scope)).unwrap()).unwrap().contains(&title));
    }
    for c in ws.commitments.iter_mut() {
        c.visibility = Visibility::Public;
    }
    assert_eq!(private_commitments(&ws, Scope::Workspace), 0);
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

#[test]
fn a_scoreboard_gap_reads_on_the_same_side_of_every_margin_as_the_flags() {
    // Many units, gaps anywhere: a gap of 15.4 beside an Overextended flag (A − S > 15)
    // reads "+15.4", in the app's scoreboard, in a link and in the CLI alike.
    let ws = generate(7, &GenSpec::large_org());
    let as_of = common::d("2026-01-04");
    let scores = score(&ws, &ws.policy, as_of);
    let p = &ws.policy;
    let margins = [p.overextended_gap, p.contract_gap, -p.starved_gap, -p.expand_margin];
    let rows = board_rows(&ws, &scores);
    let mut with_decimal = 0;
    // Largest gap first, as the app's scoreboard opens.
    assert!(rows.windows(2).all(|w| w[0].a - w[0].s >= w[1].a - w[1].s));
    for row in &rows {
        let s = scores.units.iter().find(|s| ws.unit_name(s.unit) == row.name).unwrap();
        let gap = s.autonomy - s.supported;
        let cell = &row.cells()[3];
        assert_eq!(cell, &p.gap_between(s.autonomy, s.supported), "{}", row.name);
        let read: f64 = cell.parse().unwrap();
        for m in margins {
            assert_eq!(read.partial_cmp(&m), gap.partial_cmp(&m), "{}: {cell} against the margin {m} (gap {gap})", row.name);
        }
        with_decimal += usize::from(cell.contains('.'));
    }
    // The link carries the same cells.
    let link = encode_at(&ws, Scope::Board, as_of);
    let shown: Vec<String> = decode(&link).unwrap().map.unwrap().rows.iter().map(|r| r.cells()[3].clone()).collect();
    assert_eq!(shown, rows.iter().map(|r| r.cells()[3].clone()).collect::<Vec<_>>());
    assert!(rows.len() == 300 && with_decimal < rows.len() / 2, "most gaps stay whole ({with_decimal} of {})", rows.len());
}
