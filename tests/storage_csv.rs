//! Check-ins from spreadsheets: good rows ready, bad rows named, nothing applied until asked;
//! exports that the import reads back.

mod common;

use common::*;
use latitude::core::*;
use latitude::storage::csv::{apply_checkins, checkins_csv, parse_checkins, scores_csv};

fn workspace() -> (Workspace, CommitmentId, CommitmentId) {
    let mut b = Builder::new();
    let u = b.unit("Checkout team", None);
    let c1 = b.commitment(u, "Conversion", Category::CustomerValue, "2025-01-01", "2025-06-30", 7);
    let c2 = b.commitment(u, "Latency", Category::SystemPerformance, "2025-01-01", "2025-06-30", 7);
    (b.build(), c1, c2)
}

#[test]
fn a_sheet_with_bad_rows_reports_each_and_keeps_the_good_ones_for_later() {
    let (ws, c1, c2) = workspace();
    let sheet = "Commitment,Date,Value,Note,Evidence,Confidence\n\
                 Conversion,2025-01-08,12.5,first week,https://dash/1,on track\n\
                 conversion,2025-01-15,\"13,5\",,,\n\
                 Unknown metric,2025-01-15,3,,,\n\
                 Latency,15/01/2025,3,,,\n\
                 Latency,2025-01-15,n/a,,,\n\
                 2,2025-01-22,410,,,at-risk\n\
                 Latency,2025-01-29,1e999,,,\n\
                 Conversion,2025-01-08,14,,,\n\
                 Latency,2025-02-05,400,,,maybe\n";
    let before = ws.clone();
    let out = parse_checkins(&ws, sheet).unwrap();
    assert_eq!(ws, before, "parsing changes nothing");
    let good: Vec<(usize, CommitmentId, f64)> = out.good.iter().map(|g| (g.line, g.commitment, g.checkin.value.get())).collect();
    assert_eq!(good, vec![(2, c1, 12.5), (3, c1, 13.5), (7, c2, 410.0)]);
    let bad: Vec<usize> = out.bad.iter().map(|b| b.line).collect();
    assert_eq!(bad, vec![4, 5, 6, 8, 9, 10]);
    let summary = out.summary();
    assert!(summary.starts_with("3 rows ready, 6 rejected: line 4: commitment: no commitment titled"), "{summary}");
    assert!(out.bad[2].problem.contains("\u{201c}n/a\u{201d} is not a number") && out.bad[4].problem.contains("second value"));

    let mut applied = ws.clone();
    apply_checkins(&mut applied, &out.good);
    let conv = applied.commitment(c1).unwrap();
    assert_eq!(conv.checkins().len(), 2);
    assert_eq!(conv.checkins()[0].evidence, "https://dash/1");
    assert_eq!(conv.checkins()[0].confidence, Some(Confidence::OnTrack));
    applied.validate().unwrap();
}

#[test]
fn a_sheet_without_the_required_columns_is_refused_whole() {
    let (ws, _, _) = workspace();
    let err = parse_checkins(&ws, "name,when,amount\nx,2025-01-01,1\n").unwrap_err();
    assert!(err.contains("commitment, date, value"), "{err}");
}

#[test]
fn exported_checkins_import_back_unchanged() {
    let ws = latitude::core::generate::generate(3, &latitude::core::generate::GenSpec::small());
    let csv = checkins_csv(&ws);
    let out = parse_checkins(&ws, &csv).unwrap();
    assert!(out.bad.is_empty(), "{}", out.summary());
    assert_eq!(out.good.len(), ws.checkin_count());
    let mut again = ws.clone();
    apply_checkins(&mut again, &out.good);
    assert_eq!(again, ws);
}

#[test]
fn scores_export_has_a_row_per_unit() {
    let ws = latitude::core::generate::generate(3, &latitude::core::generate::GenSpec::small());
    let scores = score(&ws, &ws.policy, d("2025-12-28"));
    let csv = scores_csv(&ws, &scores);
    let mut r = csv::Reader::from_reader(csv.as_bytes());
    assert_eq!(r.headers().unwrap().get(2), Some("granted_autonomy"));
    assert_eq!(r.records().count(), ws.units.len());
}
