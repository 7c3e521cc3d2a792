//! The sample organisation teaches the idea: every situation of the essay appears in it,
//! whatever week it is loaded in.

mod common;

use common::d;
use latitude::core::sample::sample_org;
use latitude::core::score::{add_days, Profile};
use latitude::core::*;

fn unit<'a>(ws: &Workspace, scores: &'a Scores, name: &str) -> &'a UnitScore {
    let id = ws.units.iter().find(|u| u.name.as_str() == name).unwrap_or_else(|| panic!("no unit {name}")).id;
    scores.unit(id).unwrap()
}

fn show(ws: &Workspace, scores: &Scores) -> String {
    scores
        .units
        .iter()
        .map(|s| {
            format!(
                "{:<18} A {:>3.0} S {:>3.0} TR {:.2} R {:.2} {:<8} {:?} {:?}",
                ws.unit_name(s.unit),
                s.autonomy,
                s.supported,
                s.track_record,
                s.rigor.value,
                s.recommendation.verdict.as_str(),
                s.flags.iter().map(|f| f.kind).collect::<Vec<_>>(),
                s.profile
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn every_situation_of_the_essay_appears_in_the_sample() {
    for end in ["2026-01-04", "2026-11-29", "2027-06-06"] {
        let end = d(end);
        let ws = sample_org(end);
        ws.validate().expect("the sample is valid");
        assert!((15..=25).contains(&ws.units.len()));
        let scores = score(&ws, &ws.policy, end);
        let table = show(&ws, &scores);
        eprintln!("{table}\n");
        let has = |name: &str, kind: FlagKind| unit(&ws, &scores, name).has_flag(kind);
        let profile = |name: &str| unit(&ws, &scores, name).profile;
        assert!(has("Growth squad", FlagKind::Overextended), "supercar\n{table}");
        assert!(has("Billing team", FlagKind::Starved), "quiet deliverer\n{table}");
        assert_eq!(unit(&ws, &scores, "Billing team").recommendation.verdict, Verdict::Expand, "{table}");
        assert!(has("Rita Osei", FlagKind::Shield), "shield\n{table}");
        assert!(!has("Sam Lee", FlagKind::Shield) && !has("Sam Lee", FlagKind::LowLeadershipRatio), "accountable leader\n{table}");
        assert!(has("Jordan Kim", FlagKind::LeaderWithoutResults) && has("Jordan Kim", FlagKind::LowLeadershipRatio), "leader without results\n{table}");
        assert!(has("Design team", FlagKind::FeelingsOnly), "feelings only\n{table}");
        assert!(has("Data platform", FlagKind::Stale), "stale\n{table}");
        assert!(has("Mobile team", FlagKind::Vague), "vague\n{table}");
        assert_eq!(profile("Priya Nair"), Profile::BrilliantButIdle, "{table}");
        assert_eq!(profile("Onboarding team"), Profile::BusyButIneffective, "{table}");
        assert_eq!(profile("Marco Ricci"), Profile::SelfServing, "{table}");
        assert_eq!(profile("Payments team"), Profile::TrustedOperator, "{table}");
        // Self-correction: contracted after a poor first quarter, expansion earned by the end.
        let early = score(&ws, &ws.policy, add_days(end, -364 + 91));
        assert_eq!(unit(&ws, &early, "Search team").recommendation.verdict, Verdict::Contract, "{}", show(&ws, &early));
        assert_eq!(unit(&ws, &scores, "Search team").recommendation.verdict, Verdict::Expand, "{table}");
    }
}

#[test]
fn no_two_units_of_the_sample_share_a_name() {
    let ws = sample_org(d("2026-11-29"));
    for (i, a) in ws.units.iter().enumerate() {
        for b in &ws.units[i + 1..] {
            assert!(!a.name.same_as(&b.name), "two units called {}", a.name);
        }
    }
}
