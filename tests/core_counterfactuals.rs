//! What would change the verdict: every counterfactual is checked against a full score of
//! the whole workspace with the change applied, and the levers the essay names appear
//! where they should.

mod common;

use common::*;
use latitude::core::counterfactual::{counterfactuals, score_unit, unit_counterfactuals, unit_slice, Change, Counterfactual};
use latitude::core::generate::{generate, GenSpec};
use latitude::core::sample::sample_org;
use latitude::core::score::ComponentKind;
use latitude::core::*;
use time::Date;

const AS_OF: &str = "2026-01-04";

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-9
}

/// Applies the change to the whole workspace, scores everything, and checks every number
/// the counterfactual quotes.
fn verify(ws: &Workspace, as_of: Date, unit: UnitId, cf: &Counterfactual) {
    let mut changed = ws.clone();
    cf.change.apply(&mut changed);
    verify_changed(ws, &changed, as_of, unit, cf);
}

/// Checks every number the counterfactual quotes against a full score of `changed`.
fn verify_changed(ws: &Workspace, changed: &Workspace, as_of: Date, unit: UnitId, cf: &Counterfactual) {
    let before = score(ws, &ws.policy, as_of);
    let b = before.unit(unit).unwrap();
    changed.validate().unwrap_or_else(|e| panic!("{}: the changed workspace is invalid: {e:?}", cf.summary));
    let after = score(changed, &changed.policy, as_of);
    let a = after.unit(unit).unwrap();
    let ctx = format!("{} / {}", ws.unit_name(unit), cf.summary);
    assert_eq!(cf.verdict_before, b.recommendation.verdict, "{ctx}");
    assert_eq!(cf.verdict_after, a.recommendation.verdict, "{ctx}");
    for k in &cf.clears {
        assert!(b.has_flag(*k) && !a.has_flag(*k), "{ctx}: {k:?}");
    }
    assert!(cf.moves_verdict || !cf.clears.is_empty(), "{ctx}: offered but moves nothing");
    for d in &cf.effects {
        let (x, y) = match d.name.as_str() {
            "A" => (b.autonomy, a.autonomy),
            "S" => (b.supported, a.supported),
            "TR" => (b.track_record, a.track_record),
            "R" => (b.rigor.value, a.rigor.value),
            name => {
                let k = ComponentKind::ALL.into_iter().find(|k| k.label().to_lowercase() == name).unwrap_or_else(|| panic!("{ctx}: unknown {name}"));
                let v = |c: &latitude::core::score::Component| if c.measured { c.value } else { 0.0 };
                (v(b.rigor.component(k)), v(a.rigor.component(k)))
            }
        };
        assert!(close(d.before, x) && close(d.after, y), "{ctx}: {} {} → {} but a full score gives {x} → {y}", d.name, d.before, d.after);
    }
    assert!(cf.summary.starts_with(&cf.description) && cf.summary.contains(a.recommendation.verdict.as_str()), "{ctx}");
}

fn verify_all(ws: &Workspace, as_of: Date) -> usize {
    let scores = score(ws, &ws.policy, as_of);
    let mut n = 0;
    for (unit, cfs) in counterfactuals(ws, &ws.policy, &scores) {
        for cf in &cfs {
            verify(ws, as_of, unit, cf);
            n += 1;
        }
    }
    n
}

fn unit_id(ws: &Workspace, name: &str) -> UnitId {
    ws.units.iter().find(|u| u.name.as_str() == name).unwrap().id
}

fn cfs(ws: &Workspace, name: &str, as_of: &str) -> Vec<Counterfactual> {
    let scores = score(ws, &ws.policy, d(as_of));
    unit_counterfactuals(ws, &ws.policy, scores.unit(unit_id(ws, name)).unwrap(), d(as_of))
}

#[test]
fn a_units_own_records_score_as_the_whole_workspace_does() {
    for (ws, as_of) in [(generate(11, &GenSpec::small()), GenSpec::small().end()), (sample_org(d(AS_OF)), d(AS_OF))] {
        let scores = score(&ws, &ws.policy, as_of);
        for s in &scores.units {
            let own = unit_slice(&ws, s.unit);
            assert!(own.units.len() < ws.units.len() || ws.units.len() == 1);
            assert_eq!(score_unit(&own, &ws.policy, s.unit, as_of).as_ref(), Some(s), "{}", ws.unit_name(s.unit));
        }
    }
}

#[test]
fn every_counterfactual_of_the_sample_matches_a_full_score() {
    for end in ["2026-01-04", "2026-11-29"] {
        let ws = sample_org(d(end));
        let n = verify_all(&ws, d(end));
        assert!(n >= 10, "only {n} counterfactuals");
    }
}

#[test]
fn every_counterfactual_of_a_generated_org_matches_a_full_score() {
    let spec = GenSpec::scaled(0.1);
    let ws = generate(5, &spec);
    let n = verify_all(&ws, spec.end());
    assert!(n >= 10, "only {n} counterfactuals");
}

/// The supercar: wide grants, quarterly check-ins without evidence, private results.
fn supercar() -> Workspace {
    let mut b = Builder::new();
    let u = b.unit("Skunkworks", None);
    for area in [ARCH, BUDGET] {
        b.grant(u, area, "2025-01-01", 5, 7);
    }
    for (title, start, due) in [("Launch revenue", "2025-04-01", "2025-09-30"), ("Platform uptime", "2025-07-01", "2026-03-31")] {
        let c = b.commitment(u, title, Category::Revenue, start, due, 91);
        b.edit(c, |c| c.visibility = Visibility::Private);
        b.track(c, 91, 1.0, false);
    }
    b.build()
}

#[test]
fn the_supercar_is_told_to_narrow_its_grants_not_to_check_in_more_often() {
    let ws = supercar();
    let list = cfs(&ws, "Skunkworks", "2026-01-04");
    for cf in &list {
        eprintln!("{}", cf.summary);
        verify(&ws, d("2026-01-04"), unit_id(&ws, "Skunkworks"), cf);
    }
    // Readings without evidence leave objectivity, and so R and S, at 0: checking in
    // more often alone moves nothing, and is not offered.
    assert!(!list.iter().any(|c| matches!(c.change, Change::CheckInEvery { .. })), "{list:#?}");
    let grant = list.iter().find(|c| matches!(&c.change, Change::Together { changes } if changes.iter().all(|x| matches!(x, Change::Grant { .. })))).expect("narrower grants");
    assert!(grant.effects.iter().any(|e| e.name == "A" && e.after < e.before) && grant.clears.contains(&FlagKind::Overextended), "{}", grant.summary);
}

#[test]
fn a_starved_unit_is_offered_the_smallest_grant_that_matches_its_results() {
    let mut b = Builder::new();
    let u = b.unit("Quiet team", None);
    b.grant(u, ARCH, "2025-01-01", 1, 2);
    for (i, (start, due, review)) in [("2025-04-01", "2025-06-30", "2025-07-10"), ("2025-07-01", "2025-09-30", "2025-10-10"), ("2025-10-01", "2025-12-31", "2026-01-02")].into_iter().enumerate() {
        b.deliver(u, &format!("Customer outcome {i}"), Category::CustomerValue, start, due, 1.0);
        b.deliver(u, &format!("Latency goal {i}"), Category::SystemPerformance, start, due, 1.0);
        b.review(u, review, Verdict::Hold);
    }
    let ws = b.build();
    let list = cfs(&ws, "Quiet team", "2026-01-04");
    let grant = list.iter().find(|c| matches!(c.change, Change::Grant { .. })).expect("a grant");
    verify(&ws, d("2026-01-04"), u, grant);
    assert!(grant.clears.contains(&FlagKind::Starved), "{}", grant.summary);
    // The smallest: one step less would still leave it starved or expandable.
    let Change::Grant { area, .. } = grant.change else { unreachable!() };
    let a_after = grant.effects.iter().find(|e| e.name == "A").unwrap().after;
    let s = grant.effects.iter().find(|e| e.name == "S").map(|e| e.after).unwrap_or_else(|| score(&ws, &ws.policy, d("2026-01-04")).unit(u).unwrap().supported);
    assert!(s - a_after < ws.policy.expand_margin, "{}", grant.summary);
    for (r2, l2) in (1..=5u8).flat_map(|r| (1..=7u8).map(move |l| (r, l))) {
        let mut other = ws.clone();
        Change::Grant { unit: u, area, rung: r2, level: l2, on: d("2026-01-04") }.apply(&mut other);
        let a2 = score(&other, &other.policy, d("2026-01-04")).unit(u).unwrap().autonomy;
        if a2 > 100.0 / 30.0 + 1e-9 && a2 < a_after - 1e-9 {
            assert!(s - a2 >= ws.policy.expand_margin, "rung {r2} level {l2} (A {a2}) would do with less than {}", grant.summary);
        }
    }
}

#[test]
fn a_leader_who_deflects_is_told_which_outcomes_to_answer_for() {
    let mut b = Builder::new();
    let vp = b.unit("VP Engineering", None);
    let team = b.unit("Team A", Some(vp));
    b.grant(vp, BUDGET, "2025-01-01", 4, 5);
    b.grant(team, ARCH, "2025-01-01", 3, 6);
    b.deliver(vp, "Engineering cost per customer", Category::Revenue, "2025-07-01", "2025-12-31", 0.9);
    let mut deflected = Vec::new();
    for (date, outcome) in [("2025-03-01", Outcome::Bad), ("2025-05-01", Outcome::Mixed), ("2025-08-01", Outcome::Bad)] {
        deflected.push(b.decision(team, ARCH, date, outcome, &[team]));
    }
    let ws = b.build();
    let list = cfs(&ws, "VP Engineering", AS_OF);
    let accept = list.iter().find(|c| c.clears.contains(&FlagKind::Shield)).expect("accept accountability");
    verify(&ws, d(AS_OF), vp, accept);
    let Change::Accept { decisions, .. } = &accept.change else { panic!("{}", accept.summary) };
    let mut got = decisions.clone();
    got.sort();
    assert_eq!(got, deflected);
}

#[test]
fn waiting_after_a_contraction_ends_when_the_next_result_is_delivered() {
    let mut b = Builder::new();
    let u = b.unit("Comeback", None);
    b.grant(u, ARCH, "2025-01-01", 4, 6);
    b.deliver(u, "Conversion", Category::CustomerValue, "2025-01-01", "2025-06-30", 0.1);
    b.review(u, "2025-07-05", Verdict::Contract);
    b.grant(u, ARCH, "2025-07-05", 2, 3);
    let c = b.commitment(u, "Conversion again", Category::CustomerValue, "2025-07-05", "2026-03-31", 7);
    b.track(c, 7, 0.5, true);
    let mut ws = b.build();
    // Only the readings up to the as-of date exist.
    let as_of = d("2025-11-02");
    ws.commitment_mut(c).unwrap().retain_checkins(|k| k.date <= as_of);
    let list = cfs(&ws, "Comeback", "2025-11-02");
    let before = score(&ws, &ws.policy, as_of);
    assert!(before.unit(u).unwrap().recommendation.waiting.is_some());
    let deliver = list.iter().find(|c| matches!(c.change, Change::Deliver { .. })).expect("deliver the open commitment");
    assert!(deliver.moves_verdict, "{}", deliver.summary);
    verify(&ws, as_of, u, deliver);
}

#[test]
fn a_unit_that_needs_nothing_is_offered_nothing_that_moves_nothing() {
    let ws = sample_org(d(AS_OF));
    let scores = score(&ws, &ws.policy, d(AS_OF));
    for (unit, list) in counterfactuals(&ws, &ws.policy, &scores) {
        for cf in list {
            assert!(cf.moves_verdict || !cf.clears.is_empty(), "{}: {}", ws.unit_name(unit), cf.summary);
            assert!(!cf.effects.is_empty() || !cf.clears.is_empty(), "{}: {}", ws.unit_name(unit), cf.summary);
        }
    }
}

/// No counterfactual lists a number that reads the same before and after ("0.84 → 0.84"),
/// over the sample and a generated organisation.
#[test]
fn no_listed_number_reads_the_same_before_and_after() {
    let spec = GenSpec::scaled(0.1);
    for (ws, as_of) in [(sample_org(d(AS_OF)), d(AS_OF)), (generate(5, &spec), spec.end())] {
        let scores = score(&ws, &ws.policy, as_of);
        for (_, list) in counterfactuals(&ws, &ws.policy, &scores) {
            for cf in list {
                for e in &cf.effects {
                    let points = matches!(e.name.as_str(), "A" | "S");
                    let shown = |v: f64| if points { format!("{v:.0}") } else { format!("{v:.2}") };
                    assert_ne!(shown(e.before), shown(e.after), "{}", cf.summary);
                }
            }
        }
    }
}

/// With no evidence and nothing public, either lever alone leaves R at 0; both together
/// are offered as the cheap change, before anything that asks for new results.
#[test]
fn publishing_and_evidence_together_are_offered_when_each_alone_moves_nothing() {
    let mut b = Builder::new();
    let u = b.unit("Quiet", None);
    b.grant(u, ARCH, "2025-01-01", 3, 5);
    for (title, start, due) in [("Revenue A", "2025-07-01", "2025-09-30"), ("Revenue B", "2025-10-01", "2025-12-31"), ("Revenue C", "2025-10-01", "2026-03-31")] {
        let c = b.commitment(u, title, Category::Revenue, start, due, 7);
        b.edit(c, |c| c.visibility = Visibility::Private);
        b.track(c, 7, 1.0, false);
    }
    b.review(u, "2025-10-02", Verdict::Hold);
    let ws = b.build();
    let scores = score(&ws, &ws.policy, d(AS_OF));
    let s = scores.unit(u).unwrap();
    assert_eq!(s.rigor.component(ComponentKind::Visibility).value, 0.0);
    assert_eq!(s.rigor.component(ComponentKind::Objectivity).value, 0.0);
    let list = unit_counterfactuals(&ws, &ws.policy, s, d(AS_OF));
    let both = list
        .iter()
        .find(|c| c.description.starts_with("attach evidence") && c.description.contains("and make"))
        .unwrap_or_else(|| panic!("{:#?}", list.iter().map(|c| &c.summary).collect::<Vec<_>>()));
    assert!(matches!(&both.change, Change::Together { changes } if changes.len() == 2));
    verify(&ws, d(AS_OF), u, both);
    assert!(!list.iter().any(|c| c.description.starts_with("all ")), "the cheap pair moves the verdict, so the all-together change is not needed");
}

/// Two quarters of results delivered and measured weekly, and no review of the unit ever:
/// consequence is 0, so R and S are 0 and the unit is told to contract.
fn never_reviewed(as_of_recent: bool) -> (Workspace, UnitId, Date) {
    let mut b = Builder::new();
    let lead = b.unit("Head of sales", None);
    let u = b.unit("Sales", Some(lead));
    b.grant(u, ARCH, "2025-01-01", 4, 7);
    for (title, start, due) in
        [("Retention Q3", "2025-07-01", "2025-09-28"), ("Calls Q3", "2025-07-01", "2025-09-28"), ("Retention Q4", "2025-10-01", "2025-12-28"), ("Calls Q4", "2025-10-01", "2025-12-28")]
    {
        b.deliver(u, title, Category::CustomerValue, start, due, 1.0);
    }
    // Early January a review still closes the loop on Q4; in February it is too late for both.
    (b.build(), u, d(if as_of_recent { "2026-01-04" } else { "2026-02-15" }))
}

/// The review lever says exactly which reviews it records (the dates and the commitments
/// each one follows), and recording those reviews with the app's own commands gives the
/// numbers it quotes.
#[test]
fn recording_the_reviews_the_lever_names_gives_the_numbers_it_quotes() {
    let sample_day = d("2026-11-26");
    let sample = sample_org(sample_day);
    let marco = unit_id(&sample, "Marco Ricci");
    let mut cases = vec![(sample, marco, sample_day)];
    cases.extend([true, false].map(never_reviewed));
    let mut checked = 0;
    for (ws, unit, as_of) in cases {
        let scores = score(&ws, &ws.policy, as_of);
        let list = unit_counterfactuals(&ws, &ws.policy, scores.unit(unit).unwrap(), as_of);
        let names: Vec<&String> = list.iter().map(|c| &c.summary).collect();
        let cf = list.iter().find(|c| matches!(c.change, Change::Reviews { .. })).unwrap_or_else(|| panic!("{names:#?}"));
        let Change::Reviews { unit: who, reviewer, dates } = &cf.change else { unreachable!() };
        assert_eq!(*who, unit);
        // Every review it records is named by its date, and nothing else is recorded.
        for date in dates {
            assert!(cf.description.contains(&format_date(*date)), "{}: {dates:?}", cf.description);
        }
        assert!(cf.description.matches(" on 20").count() >= dates.len(), "{}", cf.description);
        // Do exactly that with the app's commands.
        let mut changed = ws.clone();
        for date in dates {
            apply(&mut changed, &Command::RecordReview { unit, date: *date, reviewer: *reviewer, verdict: Verdict::Hold, note: "Results review".into() }).unwrap();
        }
        verify_changed(&ws, &changed, as_of, unit, cf);
        checked += 1;
        // A review on the as-of date is what a leader can do now: offered when it closes a loop.
        if as_of == sample_day {
            assert_eq!(dates, &vec![as_of], "{}", cf.summary);
            assert!(cf.description.contains("2 commitments due on"), "{}", cf.description);
        }
    }
    assert_eq!(checked, 3);
    // When no review now can close a loop, the lever names the reviews owed on the due dates.
    let (ws, unit, as_of) = never_reviewed(false);
    let list = cfs(&ws, "Sales", "2026-02-15");
    let cf = list.iter().find(|c| matches!(c.change, Change::Reviews { .. })).unwrap();
    assert!(matches!(&cf.change, Change::Reviews { dates, .. } if dates == &vec![d("2025-09-28"), d("2025-12-28")]), "{}", cf.summary);
    let after = cf.effects.iter().find(|e| e.name == "consequence").unwrap();
    assert_eq!((after.before, after.after), (0.0, 1.0), "{}", cf.summary);
    verify(&ws, as_of, unit, cf);
}

/// A lever that clears a flag but leaves the verdict where it is says that the verdict
/// stays; one that moves it names the new verdict.
#[test]
fn a_lever_that_keeps_the_verdict_says_it_stays() {
    let spec = GenSpec::scaled(0.1);
    let mut kept = 0;
    for (ws, as_of) in [(sample_org(d(AS_OF)), d(AS_OF)), (sample_org(d("2026-11-26")), d("2026-11-26")), (generate(5, &spec), spec.end())] {
        let scores = score(&ws, &ws.policy, as_of);
        for (_, list) in counterfactuals(&ws, &ws.policy, &scores) {
            for cf in list {
                let stays = cf.verdict_after == cf.verdict_before && !cf.moves_verdict;
                assert_eq!(cf.summary.contains("the verdict stays"), stays, "{}", cf.summary);
                if stays {
                    kept += 1;
                    assert!(cf.summary.ends_with(&format!("the verdict stays {}", cf.verdict_after.as_str())), "{}", cf.summary);
                }
            }
        }
    }
    assert!(kept > 0, "no lever that keeps the verdict was found");
    // The list is for both, and its title says so.
    let section = latitude::core::explain::counterfactual_section(&cfs(&sample_org(d(AS_OF)), "Rita Osei", AS_OF), None);
    assert_eq!(section.title, "What would change the verdict or clear a flag");
    assert!(section.lines.iter().any(|l| l.ends_with("the verdict stays hold")), "{:?}", section.lines);
}

/// A rigor part that a counterfactual quotes below the "missing" threshold is listed as
/// missing on the same card with the same number; a part not judged yet is said to be so,
/// never quoted as 0.00.
#[test]
fn a_part_a_lever_quotes_as_weak_is_missing_on_the_card() {
    let spec = GenSpec::scaled(0.1);
    let mut seen = 0;
    // A policy that leaves consequence out of R: the card does not list it, nor does a lever.
    let mut unweighted = sample_org(d("2026-11-26"));
    unweighted.policy.rigor_weights.consequence = 0.0;
    for (ws, as_of) in [(sample_org(d(AS_OF)), d(AS_OF)), (sample_org(d("2026-11-26")), d("2026-11-26")), (generate(5, &spec), spec.end()), (unweighted, d("2026-11-26"))] {
        let scores = score(&ws, &ws.policy, as_of);
        for (unit, list) in counterfactuals(&ws, &ws.policy, &scores) {
            let s = scores.unit(unit).unwrap();
            if ws.policy.rigor_weights.consequence == 0.0 {
                assert!(list.iter().all(|c| !c.summary.contains("consequence")), "{:?}", list.iter().map(|c| &c.summary).collect::<Vec<_>>());
            }
            for cf in list {
                for k in ComponentKind::ALL {
                    let name = k.label().to_lowercase();
                    let Some(e) = cf.effects.iter().find(|e| e.name == name) else { continue };
                    let c = s.rigor.component(k);
                    if !c.measured {
                        assert!(cf.summary.contains(&format!("{name} not judged yet →")), "{}", cf.summary);
                        continue;
                    }
                    let quoted = format!("{name} {:.2}", e.before);
                    assert!(cf.summary.contains(&format!("{quoted} →")), "{}", cf.summary);
                    if e.before < 0.5 {
                        seen += 1;
                        assert!(s.assessment.missing.iter().any(|m| m.starts_with(&quoted)), "{}: {} but missing is {:?}", ws.unit_name(unit), cf.summary, s.assessment.missing);
                    }
                }
            }
        }
    }
    assert!(seen > 0);
}

/// No unit is offered the same change twice (for example the cheap pair of evidence and
/// publishing again as "all of the changes above together").
#[test]
fn no_change_is_offered_twice_to_a_unit() {
    let spec = GenSpec::scaled(0.1);
    for (ws, as_of) in [(sample_org(d(AS_OF)), d(AS_OF)), (sample_org(d("2026-11-26")), d("2026-11-26")), (generate(5, &spec), spec.end()), (generate(29, &spec), spec.end())] {
        let scores = score(&ws, &ws.policy, as_of);
        for (unit, list) in counterfactuals(&ws, &ws.policy, &scores) {
            for (i, a) in list.iter().enumerate() {
                for b in &list[i + 1..] {
                    assert_ne!(a.change, b.change, "{}: {} / {}", ws.unit_name(unit), a.summary, b.summary);
                }
            }
        }
    }
}

/// The grant form's preview quotes the A, S and gap a full score of the whole workspace
/// gives once the grant is made, for every unit of the sample, in an area it has and in a
/// new one; a new area at a low level is said to lower A, the mean over the areas.
#[test]
fn a_grant_preview_quotes_the_scores_the_grant_gives() {
    let as_of = d("2026-11-29");
    let ws = sample_org(as_of);
    let mut lowered = 0;
    for unit in ws.units.iter().map(|u| u.id) {
        let existing = ws.grants.iter().find(|g| g.unit == unit).map(|g| AreaRef::Existing(g.area));
        for (area, rung, level) in [(existing, 4, 6), (Some(AreaRef::New(Name::new("Vendor contracts").unwrap())), 1, 2)] {
            let Some(area) = area else { continue };
            let (rung, level) = (Rung::new(rung).unwrap(), Level::new(level).unwrap());
            let text = latitude::core::counterfactual::grant_preview(&ws, unit, &area, as_of, rung, level, as_of).expect("a preview");
            let before = score(&ws, &ws.policy, as_of).unit(unit).unwrap().clone();
            let mut after_ws = ws.clone();
            apply(&mut after_ws, &Command::Grant { unit, area: area.clone(), date: as_of, rung, level, granted_by: None, reason: "Test".into() }).unwrap();
            let after = score(&after_ws, &after_ws.policy, as_of).unit(unit).unwrap().clone();
            let want = format!(
                "granted A {:.0} → {:.0} against supported S {:.0} (gap {} → {})",
                before.autonomy,
                after.autonomy,
                after.supported,
                ws.policy.gap_between(before.autonomy, before.supported),
                ws.policy.gap_between(after.autonomy, after.supported)
            );
            assert!(text.contains(&want), "{text}\nwanted {want}");
            let new_area = after.autonomy_terms.len() > before.autonomy_terms.len();
            assert_eq!(text.contains("mean over the unit's decision areas"), new_area, "{text}");
            if new_area && after.autonomy < before.autonomy {
                assert!(text.contains("lowers it"), "{text}");
                lowered += 1;
            }
            for f in &after.flags {
                assert!(before.has_flag(f.kind) || text.contains(f.kind.label()), "{text}: {:?} raised", f.kind);
            }
        }
    }
    assert!(lowered > 0, "the sample has a unit whose A a new area lowers");
}

/// While an expansion waits for its results, no change of scope is offered, and what the
/// page says instead names the expansion rather than "no change to scope".
#[test]
fn while_an_expansion_waits_for_results_the_page_says_so_instead_of_no_change_to_scope() {
    let as_of = d("2026-11-29");
    let mut ws = sample_org(as_of);
    let unit = ws.units.iter().find(|u| u.name.as_str() == "Search team").unwrap().id;
    let before = score(&ws, &ws.policy, as_of).unit(unit).unwrap().clone();
    assert!(before.has_flag(FlagKind::Starved), "the sample's Search team is starved");
    let offered = unit_counterfactuals(&ws, &ws.policy, &before, as_of);
    let scope = |c: &Counterfactual| c.summary.starts_with("widen") || c.summary.starts_with("narrow") || c.summary.starts_with("grant");
    assert!(offered.iter().any(scope), "a grant is offered first: {:?}", offered.iter().map(|c| &c.summary).collect::<Vec<_>>());
    apply(&mut ws, &Command::RecordReview { unit, date: as_of, reviewer: None, verdict: Verdict::Expand, note: "More scope".into() }).unwrap();
    let after = score(&ws, &ws.policy, as_of).unit(unit).unwrap().clone();
    let waiting = after.recommendation.waiting.as_ref().expect("the expansion waits for its results");
    let list = unit_counterfactuals(&ws, &ws.policy, &after, as_of);
    assert!(!list.iter().any(scope), "no change of scope while it waits: {list:?}");
    let said = latitude::core::explain::no_single_change(Some(waiting), "moves the verdict or clears a flag");
    assert!(said.starts_with("Expanded on 2026-11-29: scope is not changed again until results due after that are scored"), "{said}");
    assert!(!said.contains("results or scope"), "{said}");
    let section = latitude::core::explain::counterfactual_section(&[], Some(waiting));
    assert_eq!(section.lines, vec![said]);
    assert_eq!(latitude::core::explain::no_single_change(None, "clears it"), "No single change to measurement, results or scope clears it.");
}
