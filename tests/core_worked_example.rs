//! The worked example of docs/SCORING.md, number for number.

mod common;

use common::*;
use latitude::core::score::{ComponentKind, FlagKind};
use latitude::core::*;

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-4
}

#[test]
fn the_worked_example_in_the_scoring_guide() {
    let mut b = Builder::new();
    let team = b.unit("Checkout team", None);
    b.grant(team, ARCH, "2025-01-01", 3, 5);
    b.grant(team, RELEASE, "2025-01-01", 2, 7);
    let conversion = b.deliver(team, "Conversion", Category::CustomerValue, "2025-10-05", "2025-12-28", 1.0);
    let latency = b.deliver(team, "Checkout latency", Category::CustomerValue, "2025-07-06", "2025-09-28", 0.5);
    b.edit(latency, |c| c.visibility = Visibility::Private);
    b.review(team, "2025-10-10", Verdict::Hold);
    let ws = b.build();
    let scores = score(&ws, &ws.policy, d("2026-01-04"));
    let s = scores.unit(team).unwrap();

    // Granted autonomy: mean of 3/5 × 4/6 and 2/5 × 6/6, × 100.
    assert!(close(s.autonomy, 40.0), "A = {}", s.autonomy);

    // Track record: two due commitments, decayed by age, shrunk toward 0.5 with strength 2.
    let t = &s.track_why.terms;
    assert_eq!(t.len(), 2);
    let conv = t.iter().find(|x| x.commitment == conversion).unwrap();
    let lat = t.iter().find(|x| x.commitment == latency).unwrap();
    assert_eq!((conv.age_days, lat.age_days), (7, 98));
    assert!(close(conv.decayed_weight, 0.97340) && close(lat.decayed_weight, 0.68566), "{} {}", conv.decayed_weight, lat.decayed_weight);
    assert!(close(conv.attainment, 1.0) && close(lat.attainment, 0.5));
    assert!(close(s.track_record, 0.63301), "TR = {}", s.track_record);

    // Rigor: every part full but visibility (1 of 2 public).
    let r = &s.rigor;
    assert!(close(r.component(ComponentKind::Speed).value, 1.0));
    assert!(close(r.component(ComponentKind::Clarity).value, 1.0));
    assert!(close(r.component(ComponentKind::OutcomeFocus).value, 1.0));
    assert!(close(r.component(ComponentKind::Objectivity).value, 1.0));
    assert!(close(r.component(ComponentKind::Visibility).value, 0.5));
    let consequence = r.component(ComponentKind::Consequence);
    assert!(consequence.measured && close(consequence.value, 1.0) && consequence.denominator == 1.0, "{consequence:?}");
    assert!(close(r.value, 0.93303), "R = {}", r.value);

    // The law.
    assert!(close(s.supported, 59.0622), "S = {}", s.supported);
    assert!(close(s.gap, -19.0622), "gap = {}", s.gap);
    assert_eq!(s.recommendation.verdict, Verdict::Hold);
    assert!(s.flags.is_empty(), "{:?}", s.flags);
}

/// The second worked example: a squad granted more than its measurement supports, what
/// would change its verdict, and the wait after the leader acts.
#[test]
fn the_worked_example_of_counterfactuals_and_the_wait() {
    use latitude::core::counterfactual::{unit_counterfactuals, Change};
    use latitude::core::explain::explain_unit;

    let mut b = Builder::new();
    let squad = b.unit("Growth squad", None);
    b.grant(squad, ARCH, "2025-01-01", 4, 5);
    let c = b.commitment(squad, "New revenue", Category::Revenue, "2025-10-05", "2026-03-29", 91);
    b.edit(c, |c| {
        c.record_checkin(CheckIn {
            date: d("2026-01-04"),
            value: Finite::new(50.0, "v").unwrap(),
            confidence: None,
            note: String::new(),
            evidence: "https://dash.example/revenue".into(),
            recorded_by: None,
        });
    });
    let ws = b.build();
    let as_of = d("2026-01-04");
    let scores = score(&ws, &ws.policy, as_of);
    let s = scores.unit(squad).unwrap();

    // A = 4/5 × 4/6 = 0.5333; one gap of 91 days: speed 7/91; consequence left out.
    assert!(close(s.autonomy, 53.3333), "A = {}", s.autonomy);
    assert!(close(s.rigor.component(ComponentKind::Speed).value, 7.0 / 91.0));
    assert!(!s.rigor.component(ComponentKind::Consequence).measured);
    assert_eq!(s.rigor.left_out().len(), 1);
    // R = (7/91)^(0.25/0.90) = 0.4904; TR is the prior, 0.5, not a result.
    assert!(close(s.rigor.value, 0.49042), "R = {}", s.rigor.value);
    assert!(close(s.track_record, 0.5) && s.no_results());
    assert!(close(s.supported, 24.5212), "S = {}", s.supported);
    assert_eq!(s.recommendation.verdict, Verdict::Contract);
    assert!(s.has_flag(FlagKind::Overextended));

    // The explanation names the final step and the parameters.
    let sections = explain_unit(&ws, &ws.policy, s);
    let rigor = sections.iter().find(|x| x.title == "Rigor R").unwrap();
    assert!(rigor.lines.iter().any(|l| l.contains("R = (0.08^0.25 × 1.00^0.2 × 1.00^0.2 × 1.00^0.15 × 1.00^0.1)^(1/0.9) = 0.49")), "{:#?}", rigor.lines);
    assert!(rigor.lines.iter().any(|l| l.starts_with("Consequence is left out of the mean")), "{:#?}", rigor.lines);
    let tr = sections.iter().find(|x| x.title == "Track record TR").unwrap();
    for p in ["half-life 180 days", "prior 0.50", "prior strength 2 commitments", "grace 14 days after the due date"] {
        assert!(tr.parameters_line().contains(p), "{p}: {}", tr.parameters_line());
    }

    // What would change the verdict: every two weeks is the least frequent rhythm that
    // works (monthly would give speed 0.23, S 33, still contract) …
    let cfs = unit_counterfactuals(&ws, &ws.policy, s, as_of);
    let rhythm = cfs.iter().find(|c| matches!(c.change, Change::CheckInEvery { .. })).expect("a rhythm");
    assert!(matches!(rhythm.change, Change::CheckInEvery { every: 14, .. }), "{}", rhythm.summary);
    assert_eq!(rhythm.summary, "check in every two weeks instead of every 91 days on the active commitment: speed 0.08 → 0.50, R 0.49 → 0.82, S 25 → 41, clears Overextended: hold");
    // … and the smallest narrower grant: rung 3 × level 4 = 0.30, A 30 ≤ S + 15.
    let grant = cfs.iter().find(|c| matches!(c.change, Change::Grant { .. })).expect("a grant");
    assert!(matches!(grant.change, Change::Grant { rung: 3, level: 4, .. }), "{}", grant.summary);
    assert_eq!(grant.summary, "narrow Architecture from rung 4 Product × level 5 Advise to rung 3 System × level 4 Agree: A 53 → 30, clears Overextended: hold (contracted on 2026-01-04)");
    assert_eq!(cfs.len(), 2, "{:#?}", cfs.iter().map(|c| &c.summary).collect::<Vec<_>>());
    // Monthly was tried first and is not enough: speed 7/30, R 0.67, S 33, still contract.
    let Change::CheckInEvery { commitments, from, to, .. } = rhythm.change.clone() else { unreachable!() };
    let mut monthly = ws.clone();
    Change::CheckInEvery { commitments, every: 30, from, to }.apply(&mut monthly);
    let m = score(&monthly, &monthly.policy, as_of);
    let m = m.unit(squad).unwrap();
    assert!(close(m.rigor.component(ComponentKind::Speed).value, 7.0 / 30.0) && close(m.rigor.value, 0.66748) && close(m.supported, 33.3740), "{} {}", m.rigor.value, m.supported);
    assert_eq!(m.recommendation.verdict, Verdict::Contract);
    // One step less narrow, rung 4 × level 4 = 0.40, leaves A 40: 15.5 above S.
    let mut wider = ws.clone();
    Change::Grant { unit: squad, area: ws.areas[ARCH].id, rung: 4, level: 4, on: as_of }.apply(&mut wider);
    let w = score(&wider, &wider.policy, as_of);
    assert!(close(w.unit(squad).unwrap().autonomy - s.supported, 15.4788), "{}", w.unit(squad).unwrap().autonomy - s.supported);

    // The leader acts on it: two weeks later the verdict holds, waiting for the result due
    // 2026-03-29, although the law alone would now say hold anyway.
    let mut acted = ws.clone();
    grant.change.apply(&mut acted);
    let later = score(&acted, &acted.policy, d("2026-01-18"));
    let w = later.unit(squad).unwrap().recommendation.waiting.expect("waiting");
    assert_eq!((w.verdict, w.date, w.results_since, w.next_due), (Verdict::Contract, as_of, 0, Some(d("2026-03-29"))));
}
