//! Laws of the scoring model, checked on arbitrary valid workspaces.

use latitude::core::score::{add_days, combine_rigor, Component, ComponentKind};
use latitude::core::*;
use proptest::prelude::*;
use time::Date;

const BASE: i64 = 0;

fn base() -> Date {
    parse_date("2024-01-01").unwrap()
}

fn day(offset: i64) -> Date {
    add_days(base(), BASE + offset)
}

prop_compose! {
    fn checkin()(offset in 0i64..700, value in -1000.0f64..1000.0, evidence in any::<bool>()) -> CheckIn {
        CheckIn {
            date: day(offset),
            value: Finite::new(value, "value").unwrap(),
            confidence: None,
            note: String::new(),
            evidence: if evidence { "link".into() } else { String::new() },
            recorded_by: None,
        }
    }
}

#[derive(Debug, Clone)]
struct CommitmentSeed {
    owner: usize,
    category: usize,
    lower: bool,
    baseline: Option<f64>,
    span: f64,
    start: i64,
    length: Option<i64>,
    cadence: Option<u16>,
    weight: f64,
    public: bool,
    checkins: Vec<CheckIn>,
}

fn commitment_seed() -> impl Strategy<Value = CommitmentSeed> {
    (
        0usize..6,
        0usize..4,
        any::<bool>(),
        proptest::option::weighted(0.9, -500.0f64..500.0),
        1.0f64..300.0,
        0i64..500,
        proptest::option::weighted(0.9, 1i64..300),
        proptest::option::weighted(0.9, 1u16..60),
        0.1f64..5.0,
        any::<bool>(),
        proptest::collection::vec(checkin(), 0..12),
    )
        .prop_map(|(owner, category, lower, baseline, span, start, length, cadence, weight, public, checkins)| CommitmentSeed {
            owner,
            category,
            lower,
            baseline,
            span,
            start,
            length,
            cadence,
            weight,
            public,
            checkins,
        })
}

#[derive(Debug, Clone)]
struct Seed {
    parents: Vec<Option<usize>>,
    grants: Vec<(usize, usize, i64, u8, u8)>,
    commitments: Vec<CommitmentSeed>,
    decisions: Vec<(usize, usize, i64, u8, bool, bool)>,
    reviews: Vec<(usize, i64)>,
    pulses: Vec<(usize, i64, f64)>,
    as_of: i64,
}

fn seed() -> impl Strategy<Value = Seed> {
    (
        proptest::collection::vec(proptest::option::of(0usize..6), 6),
        proptest::collection::vec((0usize..6, 0usize..3, 0i64..700, 1u8..=5, 1u8..=7), 0..10),
        proptest::collection::vec(commitment_seed(), 0..8),
        proptest::collection::vec((0usize..6, 0usize..3, 0i64..700, 0u8..4, any::<bool>(), any::<bool>()), 0..8),
        proptest::collection::vec((0usize..6, 0i64..700), 0..5),
        proptest::collection::vec((0usize..6, 0i64..700, 1.0f64..=5.0), 0..5),
        0i64..800,
    )
        .prop_map(|(parents, grants, commitments, decisions, reviews, pulses, as_of)| Seed { parents, grants, commitments, decisions, reviews, pulses, as_of })
}

/// Builds a valid workspace from a seed (parents only point to earlier units, grant
/// dates are unique per unit and area, targets lie on the side their direction asks for).
fn build(s: &Seed) -> Workspace {
    let mut ws = Workspace::new(Name::new("Property").unwrap());
    for i in 0..3u32 {
        ws.areas.push(DecisionArea { id: AreaId(i + 1), name: Name::new(format!("Area {i}")).unwrap() });
    }
    for (i, p) in s.parents.iter().enumerate() {
        let parent = p.filter(|p| *p < i).map(|p| UnitId(p as u32 + 1));
        ws.units.push(Unit { id: UnitId(i as u32 + 1), name: Name::new(format!("Unit {i}")).unwrap(), kind: UnitKind::Team, parent, role: String::new() });
    }
    let uid = |i: usize| UnitId(i as u32 + 1);
    let mut seen = std::collections::HashSet::new();
    for &(u, a, d, rung, level) in &s.grants {
        if seen.insert((u, a, d)) {
            ws.grants.push(Grant {
                unit: uid(u),
                area: AreaId(a as u32 + 1),
                date: day(d),
                rung: Rung::new(rung).unwrap(),
                level: Level::new(level).unwrap(),
                granted_by: None,
                reason: String::new(),
            });
        }
    }
    for (i, c) in s.commitments.iter().enumerate() {
        let baseline = c.baseline.map(|b| Finite::new(b, "b").unwrap());
        let target = c.baseline.map(|b| Finite::new(if c.lower { b - c.span } else { b + c.span }, "t").unwrap());
        let reviewer = if c.owner == 0 { Some(uid(1)) } else { Some(uid(0)) };
        let fields = CommitmentFields {
            owner: uid(c.owner),
            title: Name::new(format!("C{i}")).unwrap(),
            category: Category::ALL[c.category],
            measure: String::new(),
            direction: if c.lower { Direction::Lower } else { Direction::Higher },
            baseline,
            target,
            start: day(c.start),
            due: c.length.map(|l| day(c.start + l)),
            cadence_days: c.cadence,
            weight: Weight::new(c.weight).unwrap(),
            visibility: if c.public { Visibility::Public } else { Visibility::Private },
            reviewer,
        };
        // One check-in per commitment and day: a second one is an edit of the first.
        let mut k = c.checkins.clone();
        k.sort_by_key(|k| k.date);
        k.dedup_by_key(|k| k.date);
        ws.commitments.push(Commitment::new(CommitmentId(i as u32 + 1), fields).with_checkins(CheckInLog::from_vec(k).unwrap()));
    }
    for (i, &(u, a, d, outcome, leader_accepts, reviewed)) in s.decisions.iter().enumerate() {
        let outcome = [None, Some(Outcome::Good), Some(Outcome::Mixed), Some(Outcome::Bad)][outcome as usize];
        let mut accountable = vec![uid(u)];
        if leader_accepts {
            if let Some(p) = ws.units[u].parent {
                accountable.push(p);
            }
        }
        ws.decisions.push(Decision {
            id: DecisionId(i as u32 + 1),
            unit: uid(u),
            area: AreaId(a as u32 + 1),
            date: day(d),
            title: Name::new("D").unwrap(),
            expected: String::new(),
            review_date: reviewed.then(|| day(d + 30)),
            outcome,
            accountable,
        });
    }
    for &(u, d) in &s.reviews {
        ws.reviews.push(Review { unit: uid(u), date: day(d), reviewer: None, verdict: Verdict::Hold, note: String::new() });
    }
    for &(u, d, p) in &s.pulses {
        ws.pulses.push(Pulse { unit: uid(u), date: day(d), score: PulseScore::new(p).unwrap() });
    }
    ws.normalize();
    ws.validate().expect("the seed builds a valid workspace");
    ws
}

fn in_unit(v: f64) -> bool {
    v.is_finite() && (0.0..=1.0).contains(&v)
}

fn in_points(v: f64) -> bool {
    v.is_finite() && (0.0..=100.0).contains(&v)
}

/// The numbers of a unit that must not depend on record order.
fn summary(s: &Scores) -> Vec<(u32, [i64; 5], Verdict, Vec<score::FlagKind>, score::Profile)> {
    let q = |v: f64| (v * 1e6).round() as i64;
    let mut out: Vec<_> = s
        .units
        .iter()
        .map(|u| {
            let mut flags: Vec<_> = u.flags.iter().map(|f| f.kind).collect();
            flags.sort();
            (u.unit.0, [q(u.autonomy), q(u.track_record), q(u.rigor.value), q(u.supported), q(u.gap)], u.recommendation.verdict, flags, u.profile)
        })
        .collect();
    out.sort_by_key(|x| x.0);
    out
}

fn config() -> ProptestConfig {
    ProptestConfig { cases: 1000, ..ProptestConfig::default() }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn every_score_stays_within_bounds(s in seed()) {
        let ws = build(&s);
        let scores = score(&ws, &ws.policy, day(s.as_of));
        for u in &scores.units {
            prop_assert!(in_points(u.autonomy), "A {}", u.autonomy);
            prop_assert!(in_unit(u.track_record), "TR {}", u.track_record);
            prop_assert!(in_unit(u.rigor.value), "R {}", u.rigor.value);
            prop_assert!(u.rigor.components.iter().all(|c| in_unit(c.value)));
            prop_assert!(in_points(u.supported), "S {}", u.supported);
            prop_assert!(u.gap.is_finite() && (-100.0..=100.0).contains(&u.gap));
            if let Some(r) = u.leadership.as_ref().and_then(|l| l.ratio) {
                prop_assert!(r.is_finite() && r >= 0.0);
            }
        }
        for c in &scores.commitments {
            if let Some(a) = c.attainment {
                prop_assert!(a.is_finite() && (0.0..=ws.policy.attainment_cap).contains(&a));
            }
            if let Some(e) = c.expected {
                prop_assert!(in_unit(e));
            }
        }
        prop_assert!(in_unit(scores.org.rigor.value));
    }

    #[test]
    fn supported_autonomy_is_rigor_times_track_record(s in seed()) {
        let ws = build(&s);
        let scores = score(&ws, &ws.policy, day(s.as_of));
        for u in &scores.units {
            prop_assert!((u.supported - 100.0 * u.rigor.value * u.track_record).abs() < 1e-9);
            prop_assert!((u.gap - (u.autonomy - u.supported)).abs() < 1e-9);
        }
    }

    #[test]
    fn raising_a_value_of_a_higher_is_better_commitment_never_lowers_track_record(s in seed(), which in any::<prop::sample::Index>(), raise in 0.0f64..500.0) {
        let ws = build(&s);
        let higher: Vec<usize> = ws.commitments.iter().enumerate().filter(|(_, c)| c.direction == Direction::Higher && !c.checkins().is_empty()).map(|(i, _)| i).collect();
        prop_assume!(!higher.is_empty());
        let ci = higher[which.index(higher.len())];
        let owner = ws.commitments[ci].owner;
        let before = score(&ws, &ws.policy, day(s.as_of));
        let mut raised = ws.clone();
        let c = &mut raised.commitments[ci];
        let ks = c.checkins().iter().map(|k| CheckIn { value: Finite::new(k.value.get() + raise, "value").unwrap(), ..k.clone() }).collect();
        c.set_checkins(CheckInLog::from_vec(ks).unwrap());
        let after = score(&raised, &raised.policy, day(s.as_of));
        let (b, a) = (before.unit(owner).unwrap().track_record, after.unit(owner).unwrap().track_record);
        prop_assert!(a >= b - 1e-12, "TR fell from {b} to {a}");
    }

    #[test]
    fn improving_any_rigor_component_never_lowers_rigor(values in proptest::array::uniform6(0.0f64..=1.0), weights in proptest::array::uniform6(0.0f64..1.0), which in 0usize..6, bump in 0.0f64..1.0, measured in proptest::array::uniform6(any::<bool>())) {
        let make = |values: [f64; 6]| -> [Component; 6] {
            std::array::from_fn(|i| Component { kind: ComponentKind::ALL[i], value: values[i], weight: weights[i], measured: measured[i], numerator: 0.0, denominator: 0.0 })
        };
        let before = combine_rigor(&make(values));
        let mut better = values;
        better[which] = (better[which] + bump).min(1.0);
        let after = combine_rigor(&make(better));
        prop_assert!(in_unit(before) && in_unit(after));
        prop_assert!(after >= before - 1e-12, "R fell from {before} to {after}");
    }

    #[test]
    fn autonomy_changes_only_when_grants_change(s in seed(), other in seed()) {
        let ws = build(&s);
        // Same units and grants, everything else from another seed.
        let mut mixed = other.clone();
        mixed.parents = s.parents.clone();
        mixed.grants = s.grants.clone();
        let ws2 = build(&mixed);
        let a = score(&ws, &ws.policy, day(s.as_of));
        let b = score(&ws2, &ws2.policy, day(s.as_of));
        for (x, y) in a.units.iter().zip(&b.units) {
            prop_assert_eq!(x.unit, y.unit);
            prop_assert_eq!(x.autonomy, y.autonomy);
        }
    }

    #[test]
    fn scoring_is_deterministic_and_independent_of_record_order(s in seed(), shuffle_seed in any::<u64>()) {
        let ws = build(&s);
        let first = score(&ws, &ws.policy, day(s.as_of));
        let again = score(&ws, &ws.policy, day(s.as_of));
        prop_assert_eq!(&first, &again);
        let mut shuffled = ws.clone();
        let mut state = shuffle_seed | 1;
        let mut next = move |n: usize| { state ^= state << 13; state ^= state >> 7; state ^= state << 17; (state % n.max(1) as u64) as usize };
        fn shuffle<T>(v: &mut [T], next: &mut impl FnMut(usize) -> usize) {
            for i in (1..v.len()).rev() { let j = next(i + 1); v.swap(i, j); }
        }
        shuffle(&mut shuffled.units, &mut next);
        shuffle(&mut shuffled.grants, &mut next);
        shuffle(&mut shuffled.commitments, &mut next);
        shuffle(&mut shuffled.decisions, &mut next);
        shuffle(&mut shuffled.reviews, &mut next);
        shuffle(&mut shuffled.pulses, &mut next);
        let other = score(&shuffled, &shuffled.policy, day(s.as_of));
        prop_assert_eq!(summary(&first), summary(&other));
    }

    #[test]
    fn incremental_rescore_matches_a_full_score(s in seed(), which in any::<prop::sample::Index>(), value in -1000.0f64..1000.0) {
        let mut ws = build(&s);
        prop_assume!(!ws.commitments.is_empty());
        let as_of = day(s.as_of);
        let mut scores = score(&ws, &ws.policy, as_of);
        let ci = which.index(ws.commitments.len());
        let id = ws.commitments[ci].id;
        let date = add_days(ws.commitments[ci].start, 3);
        let c = &mut ws.commitments[ci];
        c.record_checkin(CheckIn { date, value: Finite::new(value, "value").unwrap(), confidence: None, note: String::new(), evidence: String::new(), recorded_by: None });
        let policy = ws.policy.clone();
        score::rescore_commitment(&mut scores, &ws, &policy, id);
        prop_assert_eq!(scores, score(&ws, &policy, as_of));
    }

    /// What the app does after each edit: any edit (check-ins of a few commitments, or
    /// anything else) gives the scores a full scoring would.
    #[test]
    fn scores_updated_after_an_edit_equal_a_full_score(s in seed(), picks in prop::collection::vec(any::<prop::sample::Index>(), 1..4), value in -1000.0f64..1000.0, retitle in any::<bool>()) {
        let before = build(&s);
        prop_assume!(!before.commitments.is_empty());
        let as_of = day(s.as_of);
        let prev = score(&before, &before.policy, as_of);
        let mut now = before.clone();
        for (n, which) in picks.iter().enumerate() {
            let c = &mut now.commitments[which.index(before.commitments.len())];
            let date = add_days(c.start, 3 + n as i64);
            c.record_checkin(CheckIn { date, value: Finite::new(value, "value").unwrap(), confidence: None, note: String::new(), evidence: String::new(), recorded_by: None });
        }
        if retitle {
            now.commitments[0].target = None;
        }
        prop_assert_eq!(rescore_after(&prev, &before, &now, as_of), score(&now, &now.policy, as_of));
    }

    #[test]
    fn the_org_rigor_pooled_from_units_equals_rigor_over_every_commitment(s in seed()) {
        let ws = build(&s);
        let as_of = day(s.as_of);
        let pooled = score(&ws, &ws.policy, as_of).org.rigor;
        let direct = score::org_rigor_direct(&ws, &ws.policy, as_of);
        prop_assert!((pooled.value - direct.value).abs() < 1e-9, "pooled {} direct {}", pooled.value, direct.value);
        for (a, b) in pooled.components.iter().zip(&direct.components) {
            prop_assert!((a.value - b.value).abs() < 1e-9 && a.measured == b.measured, "{:?} vs {:?}", a, b);
        }
        prop_assert_eq!((pooled.commitments, pooled.checkins), (direct.commitments, direct.checkins));
    }

    #[test]
    fn nan_and_infinities_never_enter_the_model(x in proptest::num::f64::ANY) {
        prop_assert_eq!(Finite::new(x, "value").is_ok(), x.is_finite());
        prop_assert!(PulseScore::new(x).is_err() || (x.is_finite() && (1.0..=5.0).contains(&x)));
        prop_assert!(Weight::new(x).is_err() || (x.is_finite() && x > 0.0));
    }
}

#[test]
fn json_cannot_smuggle_non_finite_numbers() {
    for text in ["1e999", "-1e999"] {
        let json = format!(r#"{{"date":"2025-01-01","value":{text}}}"#);
        assert!(serde_json::from_str::<CheckIn>(&json).is_err(), "{text} was accepted");
    }
    let bad_pulse = r#"{"unit":1,"date":"2025-01-01","score":9}"#;
    let err = serde_json::from_str::<Pulse>(bad_pulse).unwrap_err().to_string();
    assert!(err.contains("pulse score"), "{err}");
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn the_search_from_the_end_agrees_with_partition_point(mut v in proptest::collection::vec(0u32..500, 0..300), x in 0u32..520) {
        v.sort_unstable();
        prop_assert_eq!(score::count_until(&v, |e| *e <= x), v.partition_point(|e| *e <= x));
        prop_assert_eq!(score::count_until(&v, |e| *e < x), v.partition_point(|e| *e < x));
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    /// Dates read back exactly as they are written, and nothing else reads as a date.
    #[test]
    fn dates_round_trip_as_text(day in 2_000_000i32..2_816_787) {
        let date = time::Date::from_julian_day(day).unwrap();
        let text = format_date(date);
        prop_assert_eq!(parse_date(&text).unwrap(), date);
        prop_assert_eq!(parse_date(&format!("  {text} ")).unwrap(), date);
        let json = serde_json::to_string(&Pulse { unit: UnitId(1), date, score: PulseScore::new(3.0).unwrap() }).unwrap();
        let field = format!("\"date\":\"{text}\"");
        prop_assert!(json.contains(&field));
    }

    #[test]
    fn malformed_dates_are_refused(text in "[0-9-]{0,12}|[0-9]{4}-[0-9]{2}-[0-9]{2}") {
        let ok = parse_date(&text).is_ok();
        let shaped = text.len() == 10 && text.as_bytes()[4] == b'-' && text.as_bytes()[7] == b'-' && text.chars().filter(|c| *c == '-').count() == 2;
        if ok {
            prop_assert!(shaped, "{:?} read as a date", &text);
        }
        if shaped {
            let (y, m, d) = (text[0..4].parse::<i32>().unwrap(), text[5..7].parse::<u8>().unwrap(), text[8..10].parse::<u8>().unwrap());
            let real = time::Month::try_from(m).ok().and_then(|m| time::Date::from_calendar_date(y, m, d).ok()).is_some();
            prop_assert_eq!(ok, real, "{:?}", &text);
        }
    }
}
