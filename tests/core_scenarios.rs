//! The essay's claims as workspaces, one row per claim, through one `check()` helper.

mod common;

use common::*;
use latitude::core::score::{FlagKind, Profile};
use latitude::core::*;

/// What a row expects of one unit as of one date.
#[derive(Default)]
struct Expect {
    verdict: Option<Verdict>,
    flags: &'static [FlagKind],
    not_flags: &'static [FlagKind],
    profile: Option<Profile>,
    /// Inclusive bounds on supported autonomy S.
    supported: Option<(f64, f64)>,
    autonomy: Option<(f64, f64)>,
    track_record: Option<(f64, f64)>,
    /// The recommendation holds after an expansion or contraction on this date.
    waiting: Option<(&'static str, Verdict)>,
    /// No acted-on verdict holds the recommendation: the law speaks.
    law_speaks: bool,
    /// What the law alone says.
    law: Option<Verdict>,
}

fn check(scenario: &str, ws: &Workspace, as_of: &str, unit: &str, e: Expect) {
    let scores = score(ws, &ws.policy, d(as_of));
    let id = ws.units.iter().find(|u| u.name.as_str() == unit).unwrap_or_else(|| panic!("{scenario}: no unit {unit}")).id;
    let s = scores.unit(id).unwrap();
    let flags: Vec<FlagKind> = s.flags.iter().map(|f| f.kind).collect();
    let ctx = format!(
        "{scenario} / {unit} @ {as_of}: A {:.1} S {:.1} TR {:.2} R {:.2} verdict {:?} flags {flags:?} profile {:?}\n  {}",
        s.autonomy, s.supported, s.track_record, s.rigor.value, s.recommendation.verdict, s.profile, s.recommendation.reason
    );
    eprintln!("{ctx}");
    if let Some(v) = e.verdict {
        assert_eq!(s.recommendation.verdict, v, "{ctx}");
    }
    for f in e.flags {
        assert!(flags.contains(f), "expected flag {f:?}: {ctx}");
    }
    for f in e.not_flags {
        assert!(!flags.contains(f), "unexpected flag {f:?}: {ctx}");
    }
    if let Some(p) = e.profile {
        assert_eq!(s.profile, p, "{ctx}");
    }
    for (name, value, range) in [("S", s.supported, e.supported), ("A", s.autonomy, e.autonomy), ("TR", s.track_record, e.track_record)] {
        if let Some((lo, hi)) = range {
            assert!(value >= lo && value <= hi, "{name} = {value} not in [{lo}, {hi}]: {ctx}");
        }
    }
    if let Some((date, verdict)) = e.waiting {
        let w = s.recommendation.waiting.as_ref().unwrap_or_else(|| panic!("expected a wait after {verdict:?} on {date}: {ctx}"));
        assert_eq!((w.date, w.verdict), (d(date), verdict), "{ctx}");
        assert_eq!(s.recommendation.verdict, Verdict::Hold, "{ctx}");
        assert!(s.recommendation.reason.contains(date), "the reason names the date: {ctx}");
    }
    if e.law_speaks {
        assert!(s.recommendation.waiting.is_none(), "{ctx}");
        assert_eq!(s.recommendation.verdict, s.recommendation.law, "{ctx}");
    }
    if let Some(v) = e.law {
        assert_eq!(s.recommendation.law, v, "{ctx}");
    }
    assert!(!s.recommendation.reason.is_empty(), "{ctx}");
    for f in &s.flags {
        assert!(!f.reason.is_empty(), "{ctx}");
    }
}

const AS_OF: &str = "2026-01-04";

/// Wide autonomy, quarterly check-ins without evidence, private results.
fn supercar() -> Workspace {
    let mut b = Builder::new();
    let u = b.unit("Skunkworks", None);
    for area in [ARCH, BUDGET, RELEASE] {
        b.grant(u, area, "2025-01-01", 5, 7);
    }
    for (title, start, due) in [("Launch revenue", "2025-04-01", "2025-09-30"), ("Platform uptime", "2025-07-01", "2025-12-31")] {
        let c = b.commitment(u, title, Category::Revenue, start, due, 91);
        b.edit(c, |c| c.visibility = Visibility::Private);
        b.track(c, 91, 0.9, false);
    }
    b.build()
}

/// Delivers every quarter, measured weekly, scope never grows.
fn quiet_deliverer() -> Workspace {
    let mut b = Builder::new();
    let u = b.unit("Quiet team", None);
    b.grant(u, ARCH, "2025-01-01", 1, 2);
    for (i, (start, due, review)) in
        [("2025-01-01", "2025-03-31", "2025-04-10"), ("2025-04-01", "2025-06-30", "2025-07-10"), ("2025-07-01", "2025-09-30", "2025-10-10"), ("2025-10-01", "2025-12-31", "2026-01-02")]
            .into_iter()
            .enumerate()
    {
        b.deliver(u, &format!("Customer outcome {i}"), Category::CustomerValue, start, due, 1.0);
        b.deliver(u, &format!("Latency goal {i}"), Category::SystemPerformance, start, due, 1.05);
        b.review(u, review, Verdict::Hold);
    }
    b.build()
}

/// Good decisions, little delivered.
fn brilliant_but_idle() -> Workspace {
    let mut b = Builder::new();
    let u = b.unit("Oracle", None);
    b.grant(u, ARCH, "2025-01-01", 4, 6);
    for (start, due) in [("2025-03-01", "2025-06-30"), ("2025-07-01", "2025-10-31")] {
        let c = b.commitment(u, "Ship the redesign", Category::CustomerValue, start, due, 30);
        b.track(c, 30, 0.2, true);
    }
    for date in ["2025-02-01", "2025-04-01", "2025-06-01", "2025-08-01"] {
        b.decision(u, ARCH, date, Outcome::Good, &[u]);
    }
    b.build()
}

/// Weekly activity, commitments missed.
fn busy_but_ineffective() -> Workspace {
    let mut b = Builder::new();
    let u = b.unit("Treadmill", None);
    b.grant(u, RELEASE, "2025-01-01", 3, 5);
    for (start, due) in [("2025-04-01", "2025-06-30"), ("2025-07-01", "2025-09-30"), ("2025-10-01", "2025-12-31")] {
        b.deliver(u, "Conversion rate", Category::CustomerValue, start, due, 0.2);
    }
    b.build()
}

/// Activity metrics met, customer metrics missed.
fn self_serving() -> Workspace {
    let mut b = Builder::new();
    let u = b.unit("Climber", None);
    b.grant(u, HIRING, "2025-01-01", 3, 5);
    for (start, due) in [("2025-04-01", "2025-06-30"), ("2025-07-01", "2025-09-30")] {
        b.deliver(u, "Talks given", Category::Activity, start, due, 1.1);
        b.deliver(u, "Customer retention", Category::CustomerValue, start, due, 0.1);
    }
    b.build()
}

/// A leader whose report decided badly in a delegated area; `accepts` says whether
/// the leader answered for it.
fn leader(accepts: bool) -> Workspace {
    let mut b = Builder::new();
    let vp = b.unit("VP Engineering", None);
    let team = b.unit("Team A", Some(vp));
    b.grant(vp, BUDGET, "2025-01-01", 4, 5);
    b.grant(team, ARCH, "2025-01-01", 3, 6);
    b.deliver(vp, "Engineering cost per customer", Category::Revenue, "2025-07-01", "2025-12-31", 0.9);
    for (date, outcome) in [("2025-03-01", Outcome::Bad), ("2025-05-01", Outcome::Mixed), ("2025-08-01", Outcome::Bad)] {
        let who: Vec<UnitId> = if accepts { vec![team, vp] } else { vec![team] };
        b.decision(team, ARCH, date, outcome, &who);
    }
    b.build()
}

/// Poor results in 2024 then contraction, good results in 2025 then expansion.
fn self_correcting() -> Workspace {
    let mut b = Builder::new();
    let u = b.unit("Phoenix", None);
    b.grant(u, ARCH, "2024-01-01", 3, 5);
    for (start, due) in [("2024-01-01", "2024-03-31"), ("2024-04-01", "2024-06-30"), ("2024-07-01", "2024-09-30"), ("2024-10-01", "2024-12-20")] {
        b.deliver(u, "Checkout conversion", Category::CustomerValue, start, due, 0.1);
    }
    b.review(u, "2024-10-10", Verdict::Hold);
    b.grant(u, ARCH, "2025-01-10", 2, 3);
    for (start, due, review) in
        [("2025-01-10", "2025-03-31", "2025-04-05"), ("2025-04-01", "2025-06-30", "2025-07-05"), ("2025-07-01", "2025-09-30", "2025-10-05"), ("2025-10-01", "2025-12-20", "2025-12-28")]
    {
        b.deliver(u, "Checkout conversion", Category::CustomerValue, start, due, 1.0);
        b.deliver(u, "Payment success rate", Category::SystemPerformance, start, due, 1.0);
        b.review(u, review, Verdict::Hold);
    }
    b.build()
}

/// A bad half-year, contracted at the end of its last quarter (review and narrower
/// grants), a year of delivered results, then an expansion if `expanded`.
fn bad_quarter(expanded: bool) -> Workspace {
    let mut b = Builder::new();
    let u = b.unit("Comeback", None);
    b.grant(u, ARCH, "2024-07-01", 4, 6);
    b.grant(u, RELEASE, "2024-07-01", 4, 6);
    for (start, due, reach) in [("2024-07-01", "2024-09-30", 0.3), ("2024-10-01", "2024-12-31", 0.2)] {
        b.deliver(u, "Checkout conversion", Category::CustomerValue, start, due, reach);
    }
    b.review(u, "2024-10-08", Verdict::Hold);
    b.review(u, "2025-01-06", Verdict::Contract);
    b.grant(u, ARCH, "2025-01-06", 2, 3);
    b.grant(u, RELEASE, "2025-01-06", 2, 3);
    for (start, due, review) in
        [("2025-01-06", "2025-03-31", "2025-04-07"), ("2025-04-01", "2025-06-30", "2025-07-07"), ("2025-07-01", "2025-09-30", "2025-10-06"), ("2025-10-01", "2025-12-31", "2026-01-03")]
    {
        b.deliver(u, "Checkout conversion", Category::CustomerValue, start, due, 1.0);
        b.deliver(u, "Payment success rate", Category::SystemPerformance, start, due, 1.0);
        b.review(u, review, Verdict::Hold);
    }
    if expanded {
        b.grant(u, ARCH, "2026-01-05", 3, 5);
        b.deliver(u, "Checkout conversion", Category::CustomerValue, "2026-01-05", "2026-03-31", 1.0);
    }
    b.build()
}

/// Felt autonomy high, results poor, nothing but activity measured.
fn felt_not_earned() -> Workspace {
    let mut b = Builder::new();
    let u = b.unit("Comfy", None);
    b.grant(u, ARCH, "2025-01-01", 3, 6);
    b.grant(u, RELEASE, "2025-01-01", 3, 6);
    b.deliver(u, "Meetings held", Category::Activity, "2025-07-01", "2025-12-31", 0.3);
    for date in ["2025-08-01", "2025-09-01", "2025-10-01", "2025-11-01", "2025-12-01"] {
        b.pulse(u, date, 4.8);
    }
    b.build()
}

/// Wide autonomy and nothing measured at all.
fn no_evidence() -> Workspace {
    let mut b = Builder::new();
    let cto = b.unit("CTO", None);
    let team = b.unit("Platform", Some(cto));
    b.grant(cto, ARCH, "2025-01-01", 5, 7);
    b.grant(cto, BUDGET, "2025-01-01", 5, 6);
    b.grant(team, RELEASE, "2025-01-01", 2, 4);
    b.deliver(team, "Deploy success", Category::SystemPerformance, "2025-07-01", "2025-12-31", 0.9);
    b.build()
}

/// Measurement decays: an open commitment not read for weeks, another without target.
fn stale_and_vague() -> Workspace {
    let mut b = Builder::new();
    let u = b.unit("Drifter", None);
    b.grant(u, ARCH, "2025-01-01", 2, 4);
    let c = b.commitment(u, "Activation", Category::CustomerValue, "2025-09-01", "2026-03-31", 7);
    b.edit(c, |c| {
        c.record_checkin(CheckIn { date: d("2025-09-08"), value: Finite::new(10.0, "v").unwrap(), confidence: None, note: String::new(), evidence: "x".into(), recorded_by: None });
    });
    let v = b.commitment(u, "Be more strategic", Category::Activity, "2025-10-01", "2026-06-30", 14);
    b.edit(v, |c| {
        c.baseline = None;
        c.target = None;
        c.reviewer = None;
    });
    b.build()
}

/// Poor results at the lowest rung and level.
fn at_the_floor() -> Workspace {
    let mut b = Builder::new();
    let u = b.unit("Junior", None);
    b.grant(u, ARCH, "2025-01-01", 1, 1);
    b.deliver(u, "Bug backlog", Category::SystemPerformance, "2025-07-01", "2025-12-31", 0.1);
    b.build()
}

#[test]
fn essay_scenarios() {
    use FlagKind::*;
    let rows: Vec<(&str, Workspace, &str, &str, Expect)> = vec![
        (
            "a supercar with no speedometer: wide autonomy, quarterly check-ins",
            supercar(),
            AS_OF,
            "Skunkworks",
            Expect { verdict: Some(Verdict::Contract), flags: &[Overextended], autonomy: Some((99.9, 100.0)), supported: Some((0.0, 20.0)), ..Default::default() },
        ),
        (
            "the quiet deliverer whose scope never grows",
            quiet_deliverer(),
            AS_OF,
            "Quiet team",
            Expect { verdict: Some(Verdict::Expand), flags: &[Starved], not_flags: &[Overextended], track_record: Some((0.75, 1.0)), supported: Some((60.0, 100.0)), ..Default::default() },
        ),
        ("brilliant but idle", brilliant_but_idle(), AS_OF, "Oracle", Expect { profile: Some(Profile::BrilliantButIdle), not_flags: &[Starved], ..Default::default() }),
        (
            "busy but ineffective",
            busy_but_ineffective(),
            AS_OF,
            "Treadmill",
            Expect { profile: Some(Profile::BusyButIneffective), verdict: Some(Verdict::Contract), track_record: Some((0.0, 0.4)), ..Default::default() },
        ),
        ("the self-serving operator", self_serving(), AS_OF, "Climber", Expect { profile: Some(Profile::SelfServing), ..Default::default() }),
        ("the leader who delegates and deflects", leader(false), AS_OF, "VP Engineering", Expect { flags: &[Shield, LowLeadershipRatio], ..Default::default() }),
        ("the leader who accepts accountability", leader(true), AS_OF, "VP Engineering", Expect { not_flags: &[Shield, LowLeadershipRatio, LeaderWithoutResults], ..Default::default() }),
        (
            "a system that self-corrects: contract on poor results",
            self_correcting(),
            "2025-01-05",
            "Phoenix",
            Expect { verdict: Some(Verdict::Contract), track_record: Some((0.0, 0.4)), ..Default::default() },
        ),
        (
            "a system that self-corrects: expand once results change",
            self_correcting(),
            AS_OF,
            "Phoenix",
            Expect { verdict: Some(Verdict::Expand), track_record: Some((0.75, 1.0)), ..Default::default() },
        ),
        (
            "a system that self-corrects: hold while the narrower scope is proved",
            self_correcting(),
            "2025-02-15",
            "Phoenix",
            Expect { waiting: Some(("2025-01-10", Verdict::Contract)), law: Some(Verdict::Contract), ..Default::default() },
        ),
        (
            "a system that self-corrects: the law speaks again once a result due after the contraction is scored",
            self_correcting(),
            "2025-04-06",
            "Phoenix",
            Expect { law_speaks: true, ..Default::default() },
        ),
        (
            "contract at the end of a bad quarter",
            bad_quarter(false),
            "2025-01-05",
            "Comeback",
            Expect { verdict: Some(Verdict::Contract), law_speaks: true, track_record: Some((0.0, 0.4)), ..Default::default() },
        ),
        (
            "contracted: hold while the new scope is proved, not contract again",
            bad_quarter(false),
            "2025-02-15",
            "Comeback",
            Expect { verdict: Some(Verdict::Hold), waiting: Some(("2025-01-06", Verdict::Contract)), law: Some(Verdict::Contract), ..Default::default() },
        ),
        (
            "contracted: still holding on the day the first result falls due",
            bad_quarter(false),
            "2025-03-30",
            "Comeback",
            Expect { waiting: Some(("2025-01-06", Verdict::Contract)), ..Default::default() },
        ),
        ("results came in: expand", bad_quarter(false), AS_OF, "Comeback", Expect { verdict: Some(Verdict::Expand), law_speaks: true, track_record: Some((0.75, 1.0)), ..Default::default() }),
        (
            "expanded: hold, not expand again, until a result due after it is scored",
            bad_quarter(true),
            "2026-01-20",
            "Comeback",
            Expect { verdict: Some(Verdict::Hold), waiting: Some(("2026-01-05", Verdict::Expand)), ..Default::default() },
        ),
        ("expanded: the law speaks again after the next quarter", bad_quarter(true), "2026-04-05", "Comeback", Expect { law_speaks: true, ..Default::default() }),
        ("felt autonomy high with poor results", felt_not_earned(), AS_OF, "Comfy", Expect { flags: &[FeelingsOnly, Overextended], ..Default::default() }),
        (
            "no evidence is no rigor: the leader who measures nothing",
            no_evidence(),
            AS_OF,
            "CTO",
            Expect { flags: &[Overextended, LeaderWithoutResults], verdict: Some(Verdict::Contract), supported: Some((0.0, 0.0)), track_record: Some((0.5, 0.5)), ..Default::default() },
        ),
        ("a commitment left unread goes stale; one without target is vague", stale_and_vague(), AS_OF, "Drifter", Expect { flags: &[Stale, Vague], ..Default::default() }),
        (
            "never contract below the lowest rung and level",
            at_the_floor(),
            AS_OF,
            "Junior",
            Expect { verdict: Some(Verdict::Hold), autonomy: Some((0.0, 0.0)), track_record: Some((0.0, 0.4)), ..Default::default() },
        ),
        (
            "one win proves nothing: before anything is due, TR is the prior",
            quiet_deliverer(),
            "2025-03-01",
            "Quiet team",
            Expect { track_record: Some((0.5, 0.5)), profile: Some(Profile::NotEnoughEvidence), ..Default::default() },
        ),
    ];
    for (scenario, ws, as_of, unit, e) in rows {
        check(scenario, &ws, as_of, unit, e);
    }
}

#[test]
fn floor_hold_says_why() {
    let ws = at_the_floor();
    let scores = score(&ws, &ws.policy, d(AS_OF));
    let s = scores.units.iter().find(|u| ws.unit_name(u.unit) == "Junior").unwrap();
    assert!(s.recommendation.reason.contains("lowest rung and level"), "{}", s.recommendation.reason);
}

#[test]
fn shield_flag_links_the_deflected_decisions() {
    let ws = leader(false);
    let scores = score(&ws, &ws.policy, d(AS_OF));
    let vp = scores.units.iter().find(|u| ws.unit_name(u.unit) == "VP Engineering").unwrap();
    let shield = vp.flags.iter().find(|f| f.kind == FlagKind::Shield).unwrap();
    assert_eq!(shield.decisions.len(), 3);
    let l = vp.leadership.as_ref().unwrap();
    assert_eq!((l.delegated_bad, l.delegated_bad_accepted, l.reviewed, l.accountable), (3, 0, 3, 0));
    assert_eq!(l.ratio, Some(0.0));
}

#[test]
fn flags_are_ordered_by_severity() {
    let ws = no_evidence();
    let scores = score(&ws, &ws.policy, d(AS_OF));
    let all = scores.flags_by_severity();
    assert!(!all.is_empty());
    assert!(all.windows(2).all(|w| w[0].1.kind.severity() >= w[1].1.kind.severity()));
}

#[test]
fn the_wait_after_an_action_is_a_policy_parameter() {
    let mut ws = bad_quarter(false);
    let unit = ws.units.iter().find(|u| u.name.as_str() == "Comeback").unwrap().id;
    let held = score(&ws, &ws.policy, d("2025-02-15"));
    assert_eq!(held.unit(unit).unwrap().recommendation.verdict, Verdict::Hold);
    ws.policy.results_after_action = 0;
    let off = score(&ws, &ws.policy, d("2025-02-15"));
    let s = off.unit(unit).unwrap();
    assert_eq!(s.recommendation.verdict, Verdict::Contract, "{}", s.recommendation.reason);
    assert!(s.recommendation.waiting.is_none());
    // Three results to wait for: the first quarter brought two.
    ws.policy.results_after_action = 3;
    let longer = score(&ws, &ws.policy, d("2025-04-06"));
    let w = longer.unit(unit).unwrap().recommendation.waiting.expect("still waiting");
    assert_eq!(w.results_since, 2);
    assert_eq!(w.next_due, Some(d("2025-06-30")));
}

#[test]
fn a_workspace_saved_before_the_rule_loads_with_it() {
    let mut json: serde_json::Value = serde_json::to_value(bad_quarter(false)).unwrap();
    json["policy"].as_object_mut().unwrap().remove("results_after_action");
    let ws: Workspace = serde_json::from_value(json).unwrap();
    assert_eq!(ws.policy.results_after_action, 1);
}

#[test]
fn a_new_team_is_given_guidance_and_the_essay_is_quoted_as_the_essay() {
    let mut b = Builder::new();
    let u = b.unit("New team", None);
    b.grant(u, ARCH, "2025-12-01", 4, 6);
    let ws = b.build();
    let scores = score(&ws, &ws.policy, d(AS_OF));
    let s = scores.unit(u).unwrap();
    assert_eq!(s.recommendation.verdict, Verdict::Contract);
    let reason = &s.recommendation.reason;
    assert!(reason.contains("Nothing is measured yet") && !reason.contains("suicide"), "{reason}");
    let over = s.flags.iter().find(|f| f.kind == FlagKind::Overextended).expect("a wide grant with nothing measured is overextended");
    assert!(over.reason.contains("nothing is measured yet") && over.reason.contains("Agree a few commitments"), "{}", over.reason);
    for f in &s.flags {
        assert!(!f.reason.contains("suicide"), "{}", f.reason);
        assert!(f.kind.essay_quote().starts_with("The essay: \u{201c}"), "{}", f.kind.essay_quote());
        // Beside the flag, no essay warning for a team that has not started.
        assert!(f.kind.quote_for(s).is_none_or(|q| !q.contains("suicide")), "{:?}", f.kind.quote_for(s));
    }
    assert!(s.no_results());
    assert!(s.assessment.missing.iter().any(|m| m.starts_with("results: none due yet")), "{:?}", s.assessment);
}

#[test]
fn a_unit_that_delivers_while_overextended_is_not_called_trusted() {
    // Quarterly check-ins, results delivered, wide grants: the verdict is to contract.
    let mut b = Builder::new();
    let u = b.unit("Quarterly", None);
    for area in [ARCH, RELEASE] {
        b.grant(u, area, "2025-01-01", 5, 7);
    }
    for (i, (start, due)) in [("2025-01-01", "2025-03-31"), ("2025-04-01", "2025-06-30"), ("2025-07-01", "2025-09-30"), ("2025-10-01", "2025-12-31")].into_iter().enumerate() {
        let c = b.commitment(u, &format!("Revenue {i}"), Category::Revenue, start, due, 91);
        b.track(c, 91, 1.0, true);
        b.review(u, due, Verdict::Hold);
    }
    let ws = b.build();
    let scores = score(&ws, &ws.policy, d(AS_OF));
    let s = scores.unit(u).unwrap();
    assert!(s.track_record >= 0.75 && s.rigor.value >= 0.5, "TR {} R {}", s.track_record, s.rigor.value);
    assert!(s.has_flag(FlagKind::Overextended) && s.recommendation.verdict == Verdict::Contract, "{}", s.recommendation.reason);
    assert_eq!(s.profile, Profile::DeliversScopeAhead);
    assert!(s.assessment.strong.iter().any(|x| x.starts_with("results: track record")), "{:?}", s.assessment);
    assert!(s.assessment.missing.iter().any(|x| x.starts_with("speed")), "{:?}", s.assessment);
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(12))]
    /// Over generated organisations at any week: no card praises what its verdict
    /// rejects, and a unit waiting after an action holds.
    #[test]
    fn no_card_contradicts_itself(seed in 0u64..1_000, weeks_back in 0i64..52) {
        use latitude::core::generate::{generate, GenSpec};
        let spec = GenSpec::small();
        let ws = generate(seed, &spec);
        let as_of = latitude::core::score::add_days(spec.end(), -7 * weeks_back);
        let scores = score(&ws, &ws.policy, as_of);
        for s in &scores.units {
            let rejected = s.recommendation.law == Verdict::Contract || s.has_flag(FlagKind::Overextended) || s.has_flag(FlagKind::Stale);
            proptest::prop_assert!(!(rejected && s.profile == Profile::TrustedOperator), "{}: {:?} while {}", ws.unit_name(s.unit), s.profile, s.recommendation.reason);
            // A stale unit is never told its speed is strong.
            if s.has_flag(FlagKind::Stale) {
                proptest::prop_assert!(!s.assessment.strong.iter().any(|x| x.starts_with("speed")), "{}: {:?}", ws.unit_name(s.unit), s.assessment);
            }
            if s.recommendation.waiting.is_some() {
                proptest::prop_assert_eq!(s.recommendation.verdict, Verdict::Hold);
            }
        }
    }
}

/// A unit that delivered, measured weekly, but let one open commitment go unmeasured
/// (a Stale flag) is not a "trusted operator", and its card does not call speed strong.
#[test]
fn a_stale_unit_is_not_praised_for_speed_or_trusted() {
    let mut b = Builder::new();
    let u = b.unit("Lapsed", None);
    b.grant(u, ARCH, "2025-01-01", 2, 3);
    for (i, (start, due)) in
        [("2025-01-01", "2025-03-31"), ("2025-04-01", "2025-06-30"), ("2025-07-01", "2025-09-30"), ("2025-10-01", "2025-12-31"), ("2025-11-01", "2026-01-31"), ("2025-12-01", "2026-02-28")]
            .into_iter()
            .enumerate()
    {
        let c = b.deliver(u, &format!("Revenue {i}"), Category::Revenue, start, due, 1.0);
        let _ = c;
        b.review(u, due, Verdict::Hold);
    }
    // Weekly so far, then nothing for nine weeks on the open one.
    let open = b.commitment(u, "Open revenue", Category::Revenue, "2026-01-01", "2026-06-30", 7);
    let _ = open;
    let ws = b.build();
    let scores = score(&ws, &ws.policy, d("2026-03-05"));
    let s = scores.unit(u).unwrap();
    assert!(s.has_flag(FlagKind::Stale), "{:?}", s.flags);
    assert!(s.track_record >= 0.75, "TR {}", s.track_record);
    assert_ne!(s.profile, Profile::TrustedOperator);
    assert_eq!(s.profile, Profile::DeliversMeasurementLapsed);
    assert!(!s.assessment.strong.iter().any(|x| x.starts_with("speed")), "{:?}", s.assessment);
    assert!(s.assessment.missing.iter().any(|x| x.starts_with("speed") && x.contains("without a check-in")), "{:?}", s.assessment);
}

fn speed_of(ws: &Workspace, unit: UnitId, as_of: &str) -> f64 {
    score(ws, &ws.policy, d(as_of)).unit(unit).unwrap().rigor.component(latitude::core::score::ComponentKind::Speed).value
}

fn checkin(b: &mut Builder, c: CommitmentId, date: &str, value: f64) {
    b.edit(c, |c| {
        c.record_checkin(CheckIn { date: d(date), value: Finite::new(value, "value").unwrap(), confidence: None, note: String::new(), evidence: String::new(), recorded_by: None });
    });
}

/// Speed is `min(1, 7 / median gap)` (docs/SCORING.md): measuring on the day a
/// commitment starts is a gap of 0 days, full speed; a check-in weeks late is slow. Two
/// readings on the first day never score below one late reading.
#[test]
fn speed_never_rewards_a_late_check_in_over_a_prompt_one() {
    let build = |dates: &[&str]| {
        let mut b = Builder::new();
        let u = b.unit("U", None);
        b.grant(u, ARCH, "2026-01-01", 2, 3);
        let c = b.commitment(u, "C", Category::Revenue, "2026-03-01", "2026-06-30", 7);
        for (i, date) in dates.iter().enumerate() {
            checkin(&mut b, c, date, 10.0 * (i as f64 + 1.0));
        }
        (b.build(), u)
    };
    // Two check-ins on the start day, seen that day.
    let (ws, u) = build(&["2026-03-01", "2026-03-01"]);
    let same_day = speed_of(&ws, u, "2026-03-01");
    assert_eq!(same_day, 1.0, "measured on the day: a gap of 0 days");
    // One check-in four weeks after the start.
    let (ws, u) = build(&["2026-03-29"]);
    let late = speed_of(&ws, u, "2026-03-29");
    assert!((late - 7.0 / 28.0).abs() < 1e-9, "late: {late}");
    assert!(same_day > late);
    // No check-in at all is no speed.
    let (ws, u) = build(&[]);
    assert_eq!(speed_of(&ws, u, "2026-03-01"), 0.0);
    // A late check-in after prompt ones slows the median down, never up.
    let (ws, u) = build(&["2026-03-01", "2026-03-08", "2026-03-15"]);
    let prompt = speed_of(&ws, u, "2026-03-15");
    let (ws, u) = build(&["2026-03-01", "2026-03-08", "2026-04-15"]);
    assert!(speed_of(&ws, u, "2026-04-15") < prompt);
}

/// A gap is shown on the side of every margin its flag compares it with: 15.4 next to an
/// Overextended flag (A − S > 15) never reads "+15".
#[test]
fn gaps_read_on_the_same_side_of_the_margins_as_the_flags() {
    let p = Policy::default();
    assert_eq!(p.gap_text(15.4), "+15.4");
    assert_eq!(p.gap_text(15.5), "+16");
    assert_eq!(p.gap_text(15.04), "+15.04");
    assert_eq!(p.gap_text(14.6), "+14.6");
    assert_eq!(p.gap_text(15.0), "+15");
    assert_eq!(p.gap_text(22.4), "+22");
    assert_eq!(p.gap_text(-15.2), "-15.2");
    assert_eq!(p.gap_text(-3.4), "-3");
    // Over generated organisations: every shown gap compares with the margins as the flags do.
    use latitude::core::generate::{generate, GenSpec};
    let spec = GenSpec::small();
    for seed in 0..20 {
        let ws = generate(seed, &spec);
        for s in &score(&ws, &ws.policy, spec.end()).units {
            let shown: f64 = ws.policy.gap_text(s.gap).parse().unwrap();
            assert_eq!(shown > ws.policy.overextended_gap, s.has_flag(FlagKind::Overextended), "{} shown {}", s.gap, ws.policy.gap_text(s.gap));
            assert_eq!(-shown > ws.policy.starved_gap, -s.gap > ws.policy.starved_gap);
            // The points a flag names are the gap shown beside A and S, without its sign.
            for f in s.flags.iter().filter(|f| f.reason.contains("points above") || f.reason.contains("points less")) {
                let shown = ws.policy.gap_between(s.autonomy, s.supported);
                assert!(f.reason.contains(&format!(" {} points", shown.trim_start_matches(['+', '-']))), "{} beside a gap of {shown}", f.reason);
            }
            if s.has_flag(FlagKind::Overextended) {
                let reason = &s.flags.iter().find(|f| f.kind == FlagKind::Overextended).unwrap().reason;
                let points: f64 = reason.split(" is ").nth(1).unwrap().split(' ').next().unwrap().parse().unwrap();
                assert!(points > ws.policy.overextended_gap, "{reason}");
            }
        }
    }
}

/// Beside A and S shown as whole numbers, the gap is their difference as shown: A 76
/// and S 83 read -7 even where 75.6 − 83.4 = -7.8 rounds to -8. Where that difference
/// would sit on the other side of a margin than the gap itself, the gap keeps the
/// decimals that put it on its side.
#[test]
fn the_gap_shown_is_the_difference_of_a_and_s_shown_unless_a_margin_says_otherwise() {
    let p = Policy::default();
    assert_eq!(p.gap_between(75.6, 83.4), "-7");
    assert_eq!(p.gap_between(83.4, 75.6), "+7");
    assert_eq!(p.gap_between(50.2, 50.4), "0");
    assert_eq!(p.gap_text(-0.3), "0");
    // 90.6 − 75.4 = 15.2 is above the overextended margin (15); 91 − 75 = 16 is too.
    assert_eq!(p.gap_between(90.6, 75.4), "+16");
    // 90.4 − 75.6 = 14.8 is below it, and 90 − 76 = 14 too.
    assert_eq!(p.gap_between(90.4, 75.6), "+14");
    // 90.4 − 75.3 = 15.1 is above the margin, 90 − 75 = 15 is on it: the gap's decimals.
    assert_eq!(p.gap_between(90.4, 75.3), "+15.1");
    use proptest::prelude::*;
    let margins = [p.overextended_gap, p.contract_gap, -p.starved_gap, -p.expand_margin];
    proptest!(|(a in 0.0f64..=100.0, s in 0.0f64..=100.0)| {
        let text = p.gap_between(a, s);
        let read: f64 = text.parse().unwrap();
        // On the same side of every margin as the gap.
        for m in margins {
            prop_assert_eq!(read.partial_cmp(&m), (a - s).partial_cmp(&m), "{} for {} − {}", text, a, s);
        }
        // Whole, it is the difference of the numbers shown; else it is the gap, rounded.
        let whole = |x: f64| format!("{x:.0}").parse::<f64>().unwrap();
        if !text.contains('.') {
            prop_assert_eq!(read, whole(a) - whole(s), "{} for {} − {}", text, a, s);
        } else {
            prop_assert!((read - (a - s)).abs() <= 0.05 + 1e-9, "{} for {} − {}", text, a, s);
        }
        prop_assert!(text != "-0" && text != "+0");
    });
}

/// A unit with flags and no clear profile is not told that the evidence matches none of
/// the failure modes: its flags say what to act on. Without flags the plain text stands.
#[test]
fn a_flagged_unit_without_a_profile_is_not_told_nothing_matches() {
    // The deflecting leader, with three results of their own, each part delivered.
    let mut b = Builder::new();
    b.ws = leader(false);
    let vp = b.ws.units.iter().find(|u| u.name.as_str() == "VP Engineering").unwrap().id;
    for (title, start, due) in [("Hiring plan", "2025-04-01", "2025-06-30"), ("Platform cost", "2025-07-01", "2025-09-30")] {
        b.deliver(vp, title, Category::Revenue, start, due, 0.6);
    }
    let ws = b.build();
    let as_of = d(AS_OF);
    let s = score(&ws, &ws.policy, as_of);
    let vp = s.units.iter().find(|u| ws.unit_name(u.unit) == "VP Engineering").unwrap();
    assert!(vp.has_flag(FlagKind::Shield), "{:?}", vp.flags);
    assert_eq!(vp.profile, Profile::NoClearPattern);
    let text = vp.profile_description();
    assert!(!text.contains("none of the failure modes"), "{text}");
    assert!(text.contains("flags"), "{text}");
    let explained = latitude::core::explain::explain_unit(&ws, &ws.policy, vp);
    let profile = explained.iter().find(|x| x.title == "Profile").unwrap();
    assert!(profile.lines.iter().all(|l| !l.contains("none of the failure modes")), "{:?}", profile.lines);
    // Over the sample and a generated organisation: the text never denies flags it stands beside.
    let spec = latitude::core::generate::GenSpec::scaled(0.1);
    for (ws, as_of) in [(latitude::core::sample::sample_org(as_of), as_of), (latitude::core::generate::generate(3, &spec), spec.end())] {
        for u in &score(&ws, &ws.policy, as_of).units {
            let text = u.profile_description();
            assert_eq!(text.contains("none of the failure modes"), u.profile == Profile::NoClearPattern && u.flags.is_empty(), "{}: {text}", ws.unit_name(u.unit));
        }
    }
}

/// A rigor of 0 names the part that forced it, for the chart's caption and the
/// explanation's last line.
#[test]
fn a_rigor_forced_to_zero_names_the_part_at_zero() {
    use latitude::core::explain::{rigor_combination, zero_part};
    let ws = no_evidence();
    let scores = score(&ws, &ws.policy, d(AS_OF));
    let mut named = 0;
    for s in &scores.units {
        let r = &s.rigor;
        match zero_part(r) {
            Some(part) => {
                named += 1;
                assert_eq!(r.value, 0.0, "{part} is 0, so rigor is 0");
                assert!(rigor_combination(r).ends_with(&format!("{part} is 0, so R is 0")), "{}", rigor_combination(r));
            }
            None => assert!(r.components.iter().filter(|c| c.measured && c.weight > 0.0).all(|c| c.value > 0.0)),
        }
    }
    assert!(named > 0, "a unit without evidence has a part at 0");
}
