//! The policy holds every threshold the app uses, and its validation knows every limit
//! the Settings page applies; policies saved before a parameter existed still load.

use latitude::core::*;

/// Changes one parameter and checks the verdict of `Policy::validate`.
fn check(change: impl Fn(&mut Policy), want: Result<(), &str>) {
    let mut p = Policy::default();
    change(&mut p);
    match (p.validate(), want) {
        (Ok(()), Ok(())) => {}
        (Err(e), Err(text)) => assert_eq!(e.to_string(), text),
        (got, want) => panic!("got {got:?}, wanted {want:?}"),
    }
}

#[test]
fn validation_knows_every_limit_of_the_settings_page() {
    check(|_| (), Ok(()));
    check(|p| p.grace_days = 365, Ok(()));
    check(|p| p.grace_days = 366, Err("policy grace days: must be between 0 and 365, got 366"));
    check(|p| p.rigor_window_days = 0, Err("policy rigor window: must be between 1 and 3650, got 0"));
    check(|p| p.rigor_window_days = 3651, Err("policy rigor window: must be between 1 and 3650, got 3651"));
    check(|p| p.consequence_window_days = 3650, Ok(()));
    check(|p| p.consequence_window_days = 3651, Err("policy consequence window: must be between 0 and 3650, got 3651"));
    check(|p| p.profile_min_evidence = 0, Err("policy profile evidence: must be between 1 and 1000, got 0"));
    check(|p| p.profile_min_evidence = 1001, Err("policy profile evidence: must be between 1 and 1000, got 1001"));
    check(|p| p.profile_min_due = 0, Err("policy profile due commitments: must be between 1 and 1000, got 0"));
    check(|p| p.profile_min_decisions = 0, Err("policy profile decisions: must be between 1 and 1000, got 0"));
    check(|p| p.decision_review_days = 0, Err("policy decision review days: must be between 1 and 3650, got 0"));
    check(|p| p.decision_review_days = 3650, Ok(()));
    check(|p| p.profile_trusted_rigor = 1.5, Err("policy profile trusted rigor: must be between 0 and 1"));
    check(|p| p.profile_trusted_good_decisions = -0.1, Err("policy profile trusted good decisions: must be between 0 and 1"));
    check(|p| p.rung_labels[0] = "x".repeat(40), Ok(()));
    check(|p| p.rung_labels[0] = "x".repeat(41), Err("policy scale labels: must be at most 40 characters"));
    check(|p| p.level_labels[6] = "  ".into(), Err("policy scale labels: must not be empty"));
}

#[test]
fn a_policy_saved_before_the_new_parameters_loads_with_their_defaults() {
    let old = r#"{"grace_days": 10, "profile_met": 0.9}"#;
    let p: Policy = serde_json::from_str(old).unwrap();
    let d = Policy::default();
    assert_eq!((p.grace_days, p.profile_met), (10, 0.9));
    assert_eq!((p.decision_review_days, p.profile_min_due, p.profile_min_decisions), (90, 2, 2));
    assert_eq!((p.profile_trusted_rigor, p.profile_trusted_good_decisions), (d.profile_trusted_rigor, d.profile_trusted_good_decisions));
    p.validate().unwrap();
}

#[test]
fn the_scoreboard_colours_come_from_the_policy_margins() {
    let mut p = Policy::default();
    let bands = |p: &Policy| [-30.0, -15.0, 0.0, 15.0, 15.5, 30.0].map(|g| p.gap_band(g));
    use GapBand::*;
    assert_eq!(bands(&p), [Headroom, Balanced, Balanced, Balanced, Overextended, Overextended]);
    p.overextended_gap = 20.0;
    p.starved_gap = 10.0;
    assert_eq!(bands(&p), [Headroom, Headroom, Balanced, Balanced, Balanced, Overextended]);
    assert_eq!(Overextended.as_str(), "overextended");
}

#[test]
fn profiles_read_their_thresholds_from_the_policy() {
    let ws = latitude::core::sample::sample_org(parse_date("2026-06-28").unwrap());
    let as_of = ws.last_date().unwrap();
    let count = |p: &Policy, profile: Profile| score(&ws, p, as_of).units.iter().filter(|u| u.profile == profile).count();
    let default = Policy::default();
    let (trusted, busy) = (count(&default, Profile::TrustedOperator), count(&default, Profile::BusyButIneffective));
    assert!(trusted > 0 && busy > 0, "the sample shows both profiles ({trusted}, {busy})");
    let strict = Policy { profile_trusted_rigor: 1.0, profile_trusted_good_decisions: 1.0, ..default.clone() };
    assert!(count(&strict, Profile::TrustedOperator) < trusted);
    let patient = Policy { profile_min_due: 1000, ..default.clone() };
    assert_eq!(count(&patient, Profile::BusyButIneffective), 0);
}

mod reasons {
    use latitude::core::policy::against;
    use latitude::core::score::recommend;
    use latitude::core::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(1000))]
        /// A recommendation's reason never says "within the policy's margins" for a unit
        /// outside them, and every number it compares with a threshold reads on the
        /// threshold's side ("0.3996 is below 0.40", never "0.40 is below 0.40").
        #[test]
        fn a_reason_says_which_margin_decides_and_reads_on_its_side(a in 0.0f64..100.0, s in 0.0f64..100.0, tr in 0.0f64..1.0, at_floor: bool) {
            let p = Policy::default();
            let r = recommend(&p, a, s, tr, at_floor);
            let over = a - s;
            if r.reason.contains("within the policy's margins") {
                prop_assert!(over <= p.overextended_gap && -over < p.expand_margin, "{a} {s}: {}", r.reason);
            }
            for (word, below) in [("is below", true), ("below the", true), ("is at least", false)] {
                if let Some(i) = r.reason.find(word) {
                    // The number just before the words and the threshold just after.
                    let before: String = r.reason[..i].trim_end().chars().rev().take_while(|c| c.is_ascii_digit() || *c == '.').collect::<Vec<_>>().into_iter().rev().collect();
                    let after: String = r.reason[i + word.len()..].trim_start().chars().take_while(|c| c.is_ascii_digit() || *c == '.').collect();
                    if let (Ok(x), Ok(t)) = (before.parse::<f64>(), after.parse::<f64>()) {
                        prop_assert!(if below { x < t } else { x >= t }, "{x} {word} {t}: {}", r.reason);
                    }
                }
            }
        }
    }

    #[test]
    fn numbers_read_on_the_side_of_their_threshold() {
        assert_eq!(against(0.3996, 2, &[0.4]), "0.3996");
        // Four decimals would round onto the threshold: the digits are cut on its side.
        assert_eq!(against(0.3999727454448143, 2, &[0.4]), "0.3999");
        assert_eq!(against(0.40000003, 2, &[0.4]), "0.4001");
        assert_eq!(against(0.396, 2, &[0.4]), "0.396");
        assert_eq!(against(0.37, 2, &[0.4]), "0.37");
        assert_eq!(against(0.4, 2, &[0.4]), "0.40");
        assert_eq!(against(15.4, 0, &[15.0]), "15.4");
    }
}
