//! The sweep's plausibility check: values far outside a commitment's scale are asked
//! about (never refused), ordinary values pass.

mod common;

use common::*;
use latitude::core::plausible::{ask_before_recording, implausible};
use latitude::core::*;

fn reading(b: &mut Builder, c: CommitmentId, date: &str, value: f64) {
    b.edit(c, |c| {
        c.record_checkin(CheckIn { date: d(date), value: Finite::new(value, "value").unwrap(), confidence: None, note: String::new(), evidence: String::new(), recorded_by: None });
    });
}

#[test]
fn values_far_outside_the_scale_are_questioned_and_ordinary_ones_pass() {
    let mut b = Builder::new();
    let u = b.unit("Team", None);
    // Baseline 0, target 100.
    let c = b.commitment(u, "Conversion", Category::CustomerValue, "2026-01-01", "2026-06-30", 7);
    reading(&mut b, c, "2026-01-08", 10.0);
    reading(&mut b, c, "2026-01-15", 20.0);
    let ws = b.build();
    let c = ws.commitment(c).unwrap();
    let at = d("2026-01-22");
    for ok in [25.0, 0.0, 100.0, 120.0, 300.0] {
        assert_eq!(implausible(c, ok, at), None, "{ok}");
    }
    // Ten times the target, an extra zero, a minus sign.
    let ten_times = implausible(c, 1000.0, at).expect("10× the target is asked about");
    assert!(ten_times.contains("1000") && ten_times.contains("target 100"), "{ten_times}");
    assert!(implausible(c, 2500.0, at).is_some());
    let negative = implausible(c, -5.0, at).expect("negative where nothing was");
    assert!(negative.contains("negative"), "{negative}");
}

#[test]
fn the_scale_comes_from_the_history_when_there_is_no_target() {
    let mut b = Builder::new();
    let u = b.unit("Team", None);
    let c = b.commitment(u, "Latency", Category::SystemPerformance, "2026-01-01", "2026-06-30", 7);
    b.edit(c, |c| {
        c.baseline = None;
        c.target = None;
    });
    // Nothing known yet: nothing to compare with.
    assert_eq!(implausible(b.ws.commitment(c).unwrap(), 1e6, d("2026-01-05")), None);
    reading(&mut b, c, "2026-01-08", 400.0);
    reading(&mut b, c, "2026-01-15", 380.0);
    reading(&mut b, c, "2026-01-22", 350.0);
    let ws = b.build();
    let c = ws.commitment(c).unwrap();
    let at = d("2026-01-29");
    // Largest step 30: up to 90 away from the last value passes.
    assert_eq!(implausible(c, 300.0, at), None);
    assert_eq!(implausible(c, 420.0, at), None);
    let far = implausible(c, 3500.0, at).expect("a slipped decimal mark is asked about");
    assert!(far.contains("last value 350"), "{far}");
    // Readings after the date typed for are not the history it is judged against.
    assert_eq!(implausible(c, 1000.0, d("2026-01-08")), None);
    assert!(implausible(c, 1000.0, d("2026-01-15")).is_some());
}

#[test]
fn a_commitment_that_can_go_negative_is_not_questioned_for_a_minus_sign() {
    let mut b = Builder::new();
    let u = b.unit("Team", None);
    let c = b.commitment(u, "Net flow", Category::Revenue, "2026-01-01", "2026-06-30", 7);
    b.edit(c, |c| {
        c.baseline = Some(Finite::new(-20.0, "baseline").unwrap());
        c.target = Some(Finite::new(20.0, "target").unwrap());
    });
    let ws = b.build();
    assert_eq!(implausible(ws.commitment(c).unwrap(), -10.0, d("2026-01-08")), None);
}

#[test]
fn the_results_grid_asks_before_replacing_a_days_value_or_recording_an_implausible_one() {
    let mut b = Builder::new();
    let u = b.unit("Team", None);
    // Baseline 0, target 100 (the builder's), one value recorded on its due day.
    let c = b.commitment(u, "Payment success", Category::CustomerValue, "2026-07-01", "2026-08-20", 7);
    reading(&mut b, c, "2026-08-20", 99.0);
    let ws = b.build();
    let c = ws.commitment(c).unwrap();
    // The same value again, or a value on another day within the scale: nothing to ask.
    assert_eq!(ask_before_recording(c, 99.0, d("2026-08-20")), None);
    assert_eq!(ask_before_recording(c, 98.5, d("2026-08-21")), None);
    // Another plausible value on that day replaces the recorded one: said.
    let q = ask_before_recording(c, 98.9, d("2026-08-20")).unwrap();
    assert!(q.contains("replaces 99 recorded on 2026-08-20"), "{q}");
    // An implausible one on that day: both reasons.
    let q = ask_before_recording(c, 1500.0, d("2026-08-20")).unwrap();
    assert!(q.contains("far outside") && q.contains("replaces 99 recorded"), "{q}");
}

#[test]
fn the_scale_quoted_reads_as_written_not_as_floating_point_noise() {
    let mut b = Builder::new();
    let u = b.unit("Team", None);
    let c = b.commitment(u, "Crash-free rate", Category::SystemPerformance, "2026-01-01", "2026-06-30", 7);
    b.edit(c, |c| {
        c.baseline = None;
        c.target = None;
    });
    // 4.36 − 4.3 is 0.060000000000000005 in binary floating point.
    reading(&mut b, c, "2026-01-08", 4.3);
    reading(&mut b, c, "2026-01-15", 4.36);
    let ws = b.build();
    let far = implausible(ws.commitment(c).unwrap(), 43.0, d("2026-01-22")).expect("an extra digit is asked about");
    assert!(far.contains("largest move (0.06 %)"), "{far}");
}
