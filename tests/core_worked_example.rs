//! The worked example of docs/SCORING.md, number for number.

mod common;

use common::*;
use latitude::core::score::ComponentKind;
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
