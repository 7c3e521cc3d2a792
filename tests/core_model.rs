//! The model's invariants: each broken rule gives an error that names its field.

mod common;

use common::*;
use latitude::core::*;

fn check(what: &str, result: Result<(), ModelError>, field: &str) {
    let err = result.expect_err(what).to_string();
    assert!(err.starts_with(field), "{what}: {err:?} should name {field:?}");
}

#[test]
fn broken_rules_are_refused_naming_the_field() {
    check("level 8", Level::new(8).map(|_| ()), "level");
    check("level 0", Level::new(0).map(|_| ()), "level");
    check("rung 6", Rung::new(6).map(|_| ()), "rung");
    check("empty name", Name::new("   ").map(|_| ()), "name");
    check("NaN", Finite::new(f64::NAN, "value").map(|_| ()), "value");
    check("pulse 7", PulseScore::new(7.0).map(|_| ()), "pulse score");
    check("weight 0", Weight::new(0.0).map(|_| ()), "weight");

    let mut b = Builder::new();
    let lead = b.unit("Lead", None);
    let team = b.unit("Team", Some(lead));
    let c = b.commitment(team, "Conversion", Category::CustomerValue, "2025-01-01", "2025-06-30", 7);
    let ws = b.build();
    let commitment = ws.commitment(c).unwrap().clone();

    let mut same = commitment.clone();
    same.target = same.baseline;
    check("target equals baseline", same.check(), "target");
    let mut wrong = commitment.clone();
    wrong.target = Some(Finite::new(-5.0, "t").unwrap());
    check("target below a higher-is-better baseline", wrong.check(), "target");
    let mut early = commitment.clone();
    early.due = Some(d("2024-12-31"));
    check("due before start", early.check(), "due date");
    let mut own = commitment.clone();
    own.reviewer = Some(team);
    check("reviewer is the owner", own.check(), "reviewer");

    let mut cyc = ws.clone();
    let r = cyc.update_unit(lead, Name::new("Lead").unwrap(), UnitKind::Team, Some(team), String::new());
    check("a unit led by its own report", r, "parent");
    let mut selfish = ws.clone();
    let r = selfish.update_unit(team, Name::new("Team").unwrap(), UnitKind::Team, Some(team), String::new());
    check("a unit as its own parent", r, "parent");
    let mut dangling = ws.clone();
    dangling.units[1].parent = Some(UnitId(99));
    let errors = dangling.validate().unwrap_err();
    assert!(errors.iter().any(|e| e.to_string().starts_with("parent")), "{errors:?}");
}

#[test]
fn a_decision_area_is_found_or_created_by_name() {
    let mut ws = Builder::new().build();
    let n = ws.areas.len();
    let arch = ws.areas[0].id;
    assert_eq!(ws.area_for(Some(arch), "ignored"), Ok(arch));
    assert_eq!(ws.area_for(None, "architecture"), Ok(arch), "case-insensitive match");
    let new = ws.area_for(None, "Vendors").unwrap();
    assert_eq!((ws.areas.len(), ws.area_name(new)), (n + 1, "Vendors"));
    assert_eq!(ws.area_for(Some(AreaId(999)), ""), Ok(arch), "an unknown choice falls back to the first area");
    let mut empty = Workspace::new(Name::new("x").unwrap());
    assert!(empty.area_for(None, "").is_err());
}

#[test]
fn removing_a_unit_moves_its_reports_up_and_clears_references() {
    let mut b = Builder::new();
    let top = b.unit("Top", None);
    let mid = b.unit("Mid", Some(top));
    let low = b.unit("Low", Some(mid));
    b.deliver(low, "Result", Category::Revenue, "2025-01-01", "2025-03-31", 1.0);
    b.decision(low, ARCH, "2025-02-01", Outcome::Good, &[low, mid]);
    let mut ws = b.build();
    ws.remove_unit(mid);
    assert_eq!(ws.unit(low).unwrap().parent, Some(top));
    assert_eq!(ws.decisions[0].accountable, vec![low]);
    assert!(ws.commitments[0].reviewer.is_none());
    ws.validate().unwrap();
}

#[test]
fn subtrees_and_tree_order_follow_the_leaders() {
    let mut b = Builder::new();
    let top = b.unit("Top", None);
    let a = b.unit("A", Some(top));
    let a1 = b.unit("A1", Some(a));
    let z = b.unit("Z", None);
    let ws = b.build();
    assert_eq!(ws.subtree(top), vec![top, a, a1]);
    assert_eq!(ws.subtree(a1), vec![a1]);
    let order = ws.tree_order();
    let board = ws.units[0].id;
    assert_eq!(order, vec![(board, 0), (top, 0), (a, 1), (a1, 2), (z, 0)]);
}

#[test]
fn versions_share_the_lists_an_edit_leaves_alone() {
    use latitude::core::generate::{generate, GenSpec};
    let before = generate(7, &GenSpec::small());
    let mut after = before.clone();
    assert!(after.commitments.shares(&before.commitments), "a copy shares the commitment list");
    assert_eq!(before.unshared_size(&after), 0);

    // One check-in edited: only that commitment's list (and the list of commitments) is copied.
    let n = after.commitments[1].checkins().len();
    let first = after.commitments[1].checkins()[0].date;
    after.commitments[1].update_checkin(first, |k| k.note = "edited".into());
    assert!(!after.commitments.shares(&before.commitments));
    assert!(!after.commitments[1].checkins().shares(before.commitments[1].checkins()));
    for i in [0, 2, 3] {
        assert!(after.commitments[i].checkins().shares(before.commitments[i].checkins()), "commitment {i} still shared");
    }
    assert!(after.decisions.shares(&before.decisions));
    assert_eq!(before.commitments[1].checkins()[0].note, "", "the earlier version is unchanged");
    assert_ne!(before, after);
    assert_eq!(before.unshared_size(&after), n + 2 * before.commitments.len());

    // Equal contents are equal whether shared or copied, and serialize the same as a list.
    let mut copy = before.clone();
    let last = before.commitments[1].checkins().last().unwrap().clone();
    copy.commitments[1].remove_checkin(last.date);
    copy.commitments[1].record_checkin(last);
    assert!(!copy.commitments[1].checkins().shares(before.commitments[1].checkins()));
    assert_eq!(copy, before);
    assert_eq!(serde_json::to_string(&copy).unwrap(), serde_json::to_string(&before).unwrap());
    let plain: Vec<CheckIn> = before.commitments[0].checkins().to_vec();
    assert_eq!(serde_json::to_string(before.commitments[0].checkins()).unwrap(), serde_json::to_string(&plain).unwrap());
}

#[test]
fn changes_to_check_ins_alone_are_told_apart_from_other_changes() {
    use latitude::core::generate::{generate, GenSpec};
    let before = generate(3, &GenSpec::small());
    assert_eq!(before.clone().changed_checkins(&before), Some(vec![]));

    let mut after = before.clone();
    let first = after.commitments[2].checkins()[0].date;
    after.commitments[2].update_checkin(first, |k| k.note = "edited".into());
    let last = after.commitments[5].checkins().last().unwrap().date;
    after.commitments[5].remove_checkin(last);
    assert_eq!(after.changed_checkins(&before), Some(vec![before.commitments[2].id, before.commitments[5].id]));

    let mut retitled = after.clone();
    retitled.commitments[0].title = Name::new("Another title").unwrap();
    assert_eq!(retitled.changed_checkins(&before), None, "a commitment's own field");
    let mut renamed = after.clone();
    renamed.units[0].name = Name::new("Another unit").unwrap();
    assert_eq!(renamed.changed_checkins(&before), None, "another record");
    let mut fewer = after.clone();
    fewer.commitments.pop();
    assert_eq!(fewer.changed_checkins(&before), None, "a commitment removed");
}

#[test]
fn a_commitments_aim_says_what_is_missing_from_it() {
    let mut b = Builder::new();
    let team = b.unit("Team", None);
    let c = b.commitment(team, "Conversion", Category::CustomerValue, "2025-01-01", "2025-06-30", 7);
    let ws = b.build();
    let mut c = ws.commitment(c).unwrap().clone();
    let n = |v: f64| Some(Finite::new(v, "n").unwrap());
    (c.baseline, c.target, c.measure) = (n(2.0), n(3.5), "%".to_owned());
    assert_eq!(c.aim(), "2 → 3.5 %");
    assert_eq!(c.unmeasured(), None);
    c.measure.clear();
    assert_eq!(c.aim(), "2 → 3.5");
    // A target with no baseline is a target, and says what the attainment lacks.
    (c.baseline, c.target, c.measure) = (None, n(99.8), "%".to_owned());
    assert_eq!(c.aim(), "target 99.8 %, no baseline");
    assert_eq!(c.unmeasured(), Some("no baseline to measure progress from"));
    (c.baseline, c.target) = (n(4.0), None);
    assert_eq!(c.aim(), "from 4 %, no target set");
    assert_eq!(c.unmeasured(), Some("no target to measure progress towards"));
    (c.baseline, c.target) = (None, None);
    assert_eq!(c.aim(), "no baseline or target set");
    assert_eq!(c.unmeasured(), Some("no baseline or target to measure progress by"));
}

#[test]
fn a_refusal_reads_as_a_sentence_beside_its_field() {
    use latitude::core::error::beside_field;
    assert_eq!(beside_field("name: must not be empty"), "Name must not be empty");
    assert_eq!(beside_field(&ModelError::DueBeforeStart { commitment: "Ship".into() }.to_string()), "Due date is before the start date of \u{201c}Ship\u{201d}");
    assert_eq!(beside_field("policy grace days: must be between 0 and 365, got 366"), "Policy grace days must be between 0 and 365, got 366");
    // Words that do not go on from the field's name keep the colon.
    assert_eq!(beside_field("outcome: choose good, mixed or bad"), "Outcome: choose good, mixed or bad");
    assert_eq!(beside_field("unit: no unit with id 7"), "Unit: no unit with id 7");
    // A sentence with a colon of its own is left as it is, but for its first letter.
    assert_eq!(beside_field("This unit was changed meanwhile. You changed it too: role is kept"), "This unit was changed meanwhile. You changed it too: role is kept");
    assert_eq!(beside_field("workshop \u{201c}Q3\u{201d}, due: must be on or after its day"), "Workshop \u{201c}Q3\u{201d}, due: must be on or after its day");
    assert_eq!(beside_field("already taken"), "Already taken");
    // A quoted value goes on from the field's name too.
    assert_eq!(beside_field("value: \u{201c}abc\u{201d} is not a number"), "Value \u{201c}abc\u{201d} is not a number");
    assert_eq!(beside_field(""), "");
}

#[test]
fn the_law_in_numbers_multiplies_to_the_supported_autonomy_shown() {
    use latitude::core::explain::law_in_numbers;
    // Two decimals when they multiply to the S shown.
    assert_eq!(law_in_numbers(0.5, 0.8, 40.0), "100 × 0.50 × 0.80 = 40");
    // 100 × 0.97 × 0.85 = 82.45 would read 82 beside an S of 83: more decimals.
    let (r, tr) = (0.9743, 0.8512);
    let line = law_in_numbers(r, tr, 100.0 * r * tr);
    assert_eq!(line, "100 × 0.974 × 0.851 = 83");
}

#[test]
fn a_date_typed_in_a_form_has_a_year_from_1900() {
    assert_eq!(parse_typed_date("2026-03-31").map(format_date), Ok("2026-03-31".into()));
    let early = parse_typed_date("0027-10-12").unwrap_err();
    assert_eq!(early.to_string(), "date: \u{201c}0027-10-12\u{201d} is before 1900: check the year");
    assert!(parse_typed_date("1899-12-31").is_err() && parse_typed_date("1900-01-01").is_ok());
    // Stored and imported dates are read as they are: what was kept still opens.
    assert!(parse_date("0027-10-12").is_ok());
}

#[test]
fn a_due_commitment_without_baseline_or_target_is_explained_as_unmeasured_not_as_missing_check_ins() {
    let today = parse_date("2026-11-29").unwrap();
    let ws = latitude::core::sample::sample_org(today);
    let scores = score(&ws, &ws.policy, today);
    let mut seen = 0;
    for s in &scores.units {
        for section in latitude::core::explain::explain_unit(&ws, &ws.policy, s) {
            for line in section.lines.iter().filter(|l| l.contains("(unverified")) {
                let title = line.split(": attainment").next().unwrap();
                let c = ws.commitments.iter().find(|c| c.title.as_str() == title).unwrap();
                let read_by_due = c.due.is_some_and(|d| c.checkins().iter().any(|k| k.date <= d));
                if c.unmeasured().is_some() {
                    seen += 1;
                    assert!(line.contains("cannot be scored"), "{line}");
                } else {
                    assert!(!read_by_due || line.contains("grace"), "{line}");
                }
            }
        }
    }
    assert!(seen > 0, "the sample has a due commitment with no baseline or target");
}
