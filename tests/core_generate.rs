//! The synthetic generator: deterministic, valid, and the large org has the stated size.

use latitude::core::generate::{generate, GenSpec};
use latitude::core::*;

#[test]
fn the_large_org_has_its_stated_size_and_is_valid() {
    let spec = GenSpec::large_org();
    let ws = generate(7, &spec);
    assert_eq!(ws.units.len(), 300);
    assert_eq!(ws.commitments.len(), 1200);
    assert_eq!(ws.decisions.len(), 3000);
    let n = ws.checkin_count();
    // Units that measure quarterly (the supercar) keep it below 1,200 × 156.
    assert!((150_000..=190_000).contains(&n), "{n} check-ins");
    ws.validate().expect("generated workspace is valid");
}

#[test]
fn the_same_seed_gives_the_same_workspace_and_another_seed_another() {
    let spec = GenSpec::small();
    assert_eq!(generate(1, &spec), generate(1, &spec));
    assert_ne!(generate(1, &spec), generate(2, &spec));
}

#[test]
fn a_generated_org_shows_a_mix_of_verdicts_and_flags() {
    let spec = GenSpec::scaled(0.2);
    let ws = generate(3, &spec);
    let scores = score(&ws, &ws.policy, spec.end());
    let o = &scores.org;
    assert!(o.expand > 0 && o.hold > 0 && o.contract > 0, "{} expand, {} hold, {} contract", o.expand, o.hold, o.contract);
    assert!(scores.units.iter().any(|u| u.has_flag(FlagKind::Overextended)));
    assert!(scores.units.iter().any(|u| u.has_flag(FlagKind::Starved)));
}

#[test]
fn a_workspace_survives_json_round_trip() {
    let ws = generate(5, &GenSpec::small());
    let json = serde_json::to_string(&ws).unwrap();
    let back: Workspace = serde_json::from_str(&json).unwrap();
    assert_eq!(ws, back);
}

#[test]
fn no_two_generated_units_share_a_name() {
    // Names repeat their stems every 16 teams and 20 people; the number keeps them apart.
    for units in [1, 17, 300, 3000] {
        let ws = generate(11, &GenSpec { units, years: 1, commitments_per_unit: 0, decisions_per_unit: 0, ..GenSpec::small() });
        let mut seen = std::collections::HashSet::new();
        for u in ws.units.iter() {
            assert!(seen.insert(u.name.as_str().to_lowercase()), "{units} units: two called {}", u.name);
        }
        assert_eq!(seen.len(), units as usize);
    }
}
