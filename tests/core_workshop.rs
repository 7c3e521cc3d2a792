//! The workshop as data: every workshop command applied and refused, the vote
//! statistics (median of an odd and an even count, spread, outliers), agreeing twice
//! records once, results dated inside the period, a grant recorded in the same command
//! as the agreement, undo, the summary, storage and links.

mod common;

use common::*;
use latitude::core::*;
use latitude::storage::file::{export_workspace, import_workspace};
use latitude::storage::snapshot::{self, Scope};
use latitude::storage::store::{LoadOutcome, MemoryBackend, Store};
use time::Date;

struct Org {
    ws: Workspace,
    board: UnitId,
    checkout: UnitId,
    payments: UnitId,
    conversion: CommitmentId,
    latency: CommitmentId,
    /// Due after the results period.
    later: CommitmentId,
}

fn org() -> Org {
    let mut b = Builder::new();
    let board = b.board;
    let checkout = b.unit("Checkout", Some(board));
    let payments = b.unit("Payments", Some(board));
    b.grant(checkout, ARCH, "2026-01-05", 2, 4);
    let conversion = b.commitment(checkout, "Checkout conversion", Category::CustomerValue, "2026-04-01", "2026-09-15", 7);
    let latency = b.commitment(payments, "Payment latency", Category::SystemPerformance, "2026-04-01", "2026-09-30", 7);
    let later = b.commitment(checkout, "Next year's basket", Category::Revenue, "2026-04-01", "2027-03-31", 7);
    Org { ws: b.build(), board, checkout, payments, conversion, latency, later }
}

fn name(t: &str) -> Name {
    Name::new(t).unwrap()
}

fn lv(n: u8) -> Level {
    Level::new(n).unwrap()
}

const DAY: &str = "2026-11-25";

/// Applies `command` to a copy of `ws` and holds it to the promises every command makes:
/// a refusal changes nothing; an applied command leaves a valid workspace, has a
/// sentence, names every workshop it touched, and travels as data.
fn check(ws: &Workspace, command: &Command) -> Result<(Workspace, Change), CommandError> {
    let before = ws.clone();
    let frozen = serde_json::to_string(&before).unwrap();
    let mut after = before.clone();
    let result = apply(&mut after, command);
    assert_eq!(serde_json::to_string(&before).unwrap(), frozen, "{command:?} changed the version kept for undo");
    let json = serde_json::to_string(command).unwrap();
    assert_eq!(&serde_json::from_str::<Command>(&json).unwrap(), command, "{command:?} does not read back");
    match result {
        Err(e) => {
            assert_eq!(after, before, "a refused {command:?} changed the workspace");
            Err(e)
        }
        Ok(change) => {
            after.validate().unwrap_or_else(|e| panic!("{command:?} left an invalid workspace: {e:?}"));
            assert!(!change.summary.is_empty(), "{command:?} has no summary");
            let mut touched: Vec<WorkshopId> = before.workshops.iter().filter(|s| after.workshop(s.id) != Some(s)).map(|s| s.id).collect();
            touched.extend(after.workshops.iter().filter(|s| before.workshop(s.id).is_none()).map(|s| s.id));
            touched.sort();
            let mut named: Vec<WorkshopId> = change.workshops.all().copied().collect();
            named.sort();
            named.dedup();
            assert_eq!(named, touched, "{command:?}: the change does not name the workshops it changed");
            assert_eq!(change.is_empty(), after == before, "{command:?}: an empty change must mean nothing changed");
            Ok((after, change))
        }
    }
}

fn ok(ws: &mut Workspace, command: Command) -> Change {
    let (after, change) = check(ws, &command).unwrap_or_else(|e| panic!("{command:?} refused: {e}"));
    *ws = after;
    change
}

fn refused(ws: &Workspace, command: Command, field: &str, words: &str) {
    let e = check(ws, &command).expect_err(&format!("{command:?} should be refused"));
    assert_eq!(e.field(), field, "{command:?}: {e}");
    assert!(e.to_string().contains(words), "{command:?}: expected {words:?} in {e}");
}

/// A workshop on [`DAY`] with Ana, Bruno, Chen and Dara, Checkout and Payments in scope.
fn started(o: &Org) -> (Workspace, WorkshopId) {
    let mut ws = o.ws.clone();
    let change = ok(&mut ws, Command::StartWorkshop { date: d(DAY), title: None });
    let id = change.workshops.added[0];
    ok(&mut ws, Command::SetParticipants { workshop: id, participants: ["Ana", "Bruno", "Chen", "Dara"].map(name).to_vec() });
    ok(&mut ws, Command::SetWorkshopScope { workshop: id, units: vec![o.checkout, o.payments], areas: vec![o.ws.areas[ARCH].id] });
    (ws, id)
}

fn round_of(ws: &Workspace, id: WorkshopId) -> RoundId {
    ws.workshop(id).unwrap().rounds.last().unwrap().id
}

fn votes(ws: &mut Workspace, id: WorkshopId, round: RoundId, list: &[(&str, u8)]) {
    for (who, level) in list {
        ok(ws, Command::CastVote { workshop: id, round, participant: name(who), level: lv(*level) });
    }
}

#[test]
fn a_workshop_starts_with_its_defaults_and_is_listed_with_its_progress() {
    let o = org();
    let (mut ws, id) = started(&o);
    let s = ws.workshop(id).unwrap();
    assert_eq!(s.title.as_str(), "Workshop of 2026-11-25");
    assert_eq!(s.results_period, Period { from: d("2026-07-01"), to: d("2026-09-30") });
    assert_eq!((s.step, s.privacy, s.finished), (Step::SetTheScene, VotePrivacy::Named, false));
    assert_eq!(s.timer(Step::RecordAutonomy).default_secs, 20 * 60);
    assert_eq!(s.listing(), "Workshop of 2026-11-25, 0 of 6 steps done");
    assert!(s.title_names_its_day(), "the default title gives the day: headings add it no second time");
    ok(&mut ws, Command::GoToStep { workshop: id, step: Step::RevealMap, now_ms: 0 });
    ok(&mut ws, Command::GoToStep { workshop: id, step: Step::NameTheTeams, now_ms: 0 });
    let s = ws.workshop(id).unwrap();
    assert_eq!((s.step, s.steps_done()), (Step::NameTheTeams, 4), "going back keeps what was done");
    assert_eq!(s.listing(), "Workshop of 2026-11-25, 4 of 6 steps done");
    ok(&mut ws, Command::SetWorkshopTitle { workshop: id, title: name("Q4 autonomy review") });
    assert_eq!(ws.workshop(id).unwrap().listing(), "Q4 autonomy review (2026-11-25), 4 of 6 steps done");
    assert!(!ws.workshop(id).unwrap().title_names_its_day());
    // Several workshops per workspace, each with a fresh id.
    let second = ok(&mut ws, Command::StartWorkshop { date: d("2027-02-20"), title: Some(name("Next")) }).workshops.added[0];
    assert_ne!(second, id);
    assert_eq!(ws.workshop(second).unwrap().results_period, Period { from: d("2026-10-01"), to: d("2026-12-31") });
    assert_eq!(Period::quarter_before(d("2026-04-01")), Period { from: d("2026-01-01"), to: d("2026-03-31") });
    // The one to resume is the latest not finished; the listing is latest first.
    assert_eq!(latest_open(&ws).map(|s| s.id), Some(second));
    ok(&mut ws, Command::FinishWorkshop { workshop: second, now_ms: 0 });
    assert_eq!(latest_open(&ws).map(|s| s.id), Some(id));
    assert_eq!(workshop::listed(&ws).iter().map(|s| s.id).collect::<Vec<_>>(), vec![second, id]);
}

#[test]
fn workshops_of_one_day_are_told_apart_by_their_titles() {
    let o = org();
    let (mut ws, first) = started(&o);
    let title = |ws: &Workspace, id| ws.workshop(id).unwrap().title.to_string();
    let second = ok(&mut ws, Command::StartWorkshop { date: d(DAY), title: None }).workshops.added[0];
    let third = ok(&mut ws, Command::StartWorkshop { date: d(DAY), title: None }).workshops.added[0];
    assert_eq!(title(&ws, first), "Workshop of 2026-11-25");
    assert_eq!(title(&ws, second), "Workshop of 2026-11-25 (2)");
    assert_eq!(title(&ws, third), "Workshop of 2026-11-25 (3)");
    // A title given is kept as given.
    let named = ok(&mut ws, Command::StartWorkshop { date: d(DAY), title: Some(name("Workshop of 2026-11-25")) }).workshops.added[0];
    assert_eq!(title(&ws, named), "Workshop of 2026-11-25");
}

#[test]
fn steps_and_vote_privacy_read_their_words() {
    assert_eq!("Record autonomy".parse::<Step>(), Ok(Step::RecordAutonomy));
    assert_eq!("agree-actions".parse::<Step>(), Ok(Step::AgreeActions));
    assert_eq!(" Anonymous ".parse::<VotePrivacy>(), Ok(VotePrivacy::Anonymous));
    let e = "secret".parse::<VotePrivacy>().unwrap_err();
    assert_eq!(e.to_string(), "vote privacy: \u{201c}secret\u{201d} is not one of named, anonymous");
    for (i, s) in Step::ALL.iter().enumerate() {
        assert_eq!((s.as_str().parse::<Step>(), s.index(), Step::from_index(i)), (Ok(*s), i, Some(*s)));
    }
    assert_eq!(Step::from_index(6), None);
}

#[test]
fn the_setup_commands_set_what_they_say_and_refuse_what_is_wrong() {
    let o = org();
    let (mut ws, id) = started(&o);
    ok(&mut ws, Command::SetVotePrivacy { workshop: id, privacy: VotePrivacy::Anonymous });
    assert_eq!(ws.workshop(id).unwrap().privacy, VotePrivacy::Anonymous);
    ok(&mut ws, Command::SetWorkshopNotes { workshop: id, notes: "  Payments asked for budget.  ".into() });
    assert_eq!(ws.workshop(id).unwrap().notes, "Payments asked for budget.");
    // Setting what is there changes nothing (and goes to no history).
    let same = ok(&mut ws, Command::SetVotePrivacy { workshop: id, privacy: VotePrivacy::Anonymous });
    assert!(same.is_empty());
    // Scope: duplicates dropped; a unit or an area that does not exist is refused.
    ok(&mut ws, Command::SetWorkshopScope { workshop: id, units: vec![o.checkout, o.checkout], areas: vec![] });
    assert_eq!(ws.workshop(id).unwrap().units, vec![o.checkout]);
    refused(&ws, Command::SetWorkshopScope { workshop: id, units: vec![UnitId(99)], areas: vec![] }, "units", "no unit with id 99");
    refused(&ws, Command::SetWorkshopScope { workshop: id, units: vec![], areas: vec![AreaId(99)] }, "areas", "no decision area with id 99");
    refused(&ws, Command::SetParticipants { workshop: id, participants: ["Ana", "ana "].map(name).to_vec() }, "participants", "listed twice");
    refused(&ws, Command::GoToStep { workshop: WorkshopId(42), step: Step::RevealMap, now_ms: 0 }, "workshop", "no workshop with id 42");
    refused(&ws, Command::SetTimerDefault { workshop: id, step: Step::RevealMap, seconds: 0 }, "duration", "between 1 second");
    refused(&ws, Command::SetTimerDefault { workshop: id, step: Step::RevealMap, seconds: 5 * 3600 }, "duration", "4 hours");
    refused(&ws, Command::SetResultsPeriod { workshop: id, from: d("2026-09-30"), to: d("2026-07-01") }, "to", "before the start");
    ok(&mut ws, Command::SetResultsPeriod { workshop: id, from: d("2026-08-01"), to: d("2026-08-31") });
    assert_eq!(ws.workshop(id).unwrap().results_period, Period { from: d("2026-08-01"), to: d("2026-08-31") });
}

#[test]
fn timers_run_on_the_time_they_are_given_and_resume_after_a_reload() {
    let o = org();
    let (mut ws, id) = started(&o);
    let step = Step::RecordAutonomy;
    ok(&mut ws, Command::SetTimerDefault { workshop: id, step, seconds: 60 });
    ok(&mut ws, Command::StartTimer { workshop: id, step, now_ms: 1_000_000 });
    // Starting a running timer changes nothing.
    assert!(ok(&mut ws, Command::StartTimer { workshop: id, step, now_ms: 1_010_000 }).is_empty());
    // A reload: the stored workshop resumes where it was.
    let reloaded = import_workspace(&export_workspace(&ws)).unwrap();
    let t = *reloaded.workshop(id).unwrap().timer(step);
    assert!(t.is_running());
    assert_eq!(t.remaining_ms_at(1_030_000), 30_000);
    ok(&mut ws, Command::PauseTimer { workshop: id, step, now_ms: 1_045_000 });
    let t = *ws.workshop(id).unwrap().timer(step);
    assert_eq!((t.elapsed_ms, t.is_running()), (45_000, false));
    assert_eq!(t.remaining_ms_at(9_999_999), 15_000, "a paused timer does not move");
    ok(&mut ws, Command::StartTimer { workshop: id, step, now_ms: 2_000_000 });
    let t = *ws.workshop(id).unwrap().timer(step);
    assert!(t.is_overrun_at(2_016_000));
    assert_eq!(t.remaining_ms_at(2_016_000), -1_000, "the overrun is shown");
    assert_eq!(t.remaining_ms_at(1_000), 15_000, "a clock set back counts nothing");
    // The clock follows the step shown: going on pauses this timer and runs the next's.
    ok(&mut ws, Command::GoToStep { workshop: id, step: Step::EnterResults, now_ms: 2_020_000 });
    let (left, next) = (*ws.workshop(id).unwrap().timer(step), *ws.workshop(id).unwrap().timer(Step::EnterResults));
    assert_eq!((left.elapsed_ms, left.is_running()), (65_000, false), "paused where it was left");
    assert_eq!(next.running_since, Some(2_020_000), "the step shown runs on from there");
    // With no timer running, going to a step starts none.
    ok(&mut ws, Command::PauseTimer { workshop: id, step: Step::EnterResults, now_ms: 2_030_000 });
    ok(&mut ws, Command::GoToStep { workshop: id, step: Step::RevealMap, now_ms: 2_040_000 });
    assert!(ws.workshop(id).unwrap().timers.iter().all(|t| !t.is_running()), "nothing was running, nothing runs");
    ok(&mut ws, Command::ResetTimer { workshop: id, step });
    let t = *ws.workshop(id).unwrap().timer(step);
    assert_eq!((t.elapsed_ms, t.is_running(), t.default_secs), (0, false, 60));
    // Finishing pauses whatever runs.
    ok(&mut ws, Command::StartTimer { workshop: id, step: Step::AgreeActions, now_ms: 5_000 });
    ok(&mut ws, Command::FinishWorkshop { workshop: id, now_ms: 8_000 });
    let t = *ws.workshop(id).unwrap().timer(Step::AgreeActions);
    assert_eq!((t.elapsed_ms, t.is_running()), (3_000, false));
}

#[test]
fn the_whole_workshop_has_a_clock_of_its_steps() {
    let o = org();
    let (mut ws, id) = started(&o);
    let clock = ws.workshop(id).unwrap().clock_at(0);
    assert_eq!((clock.elapsed_ms, clock.budget_ms), (0, 80 * 60_000), "six steps, 80 minutes by default");
    ok(&mut ws, Command::SetTimerDefault { workshop: id, step: Step::SetTheScene, seconds: 5 * 60 });
    ok(&mut ws, Command::StartTimer { workshop: id, step: Step::SetTheScene, now_ms: 0 });
    ok(&mut ws, Command::PauseTimer { workshop: id, step: Step::SetTheScene, now_ms: 240_000 });
    ok(&mut ws, Command::GoToStep { workshop: id, step: Step::NameTheTeams, now_ms: 250_000 });
    ok(&mut ws, Command::StartTimer { workshop: id, step: Step::NameTheTeams, now_ms: 300_000 });
    ok(&mut ws, Command::GoToStep { workshop: id, step: Step::RecordAutonomy, now_ms: 330_000 });
    let clock = ws.workshop(id).unwrap().clock_at(360_000);
    assert_eq!(clock.elapsed_ms, 240_000 + 30_000 + 30_000, "every step's time, the running one's to now");
    assert_eq!(clock.budget_ms, 75 * 60_000, "a step's own time counts in the whole");
}

#[test]
fn the_median_of_an_even_count_lies_between_the_two_middle_votes() {
    let v = |levels: &[u8]| levels.iter().enumerate().map(|(i, l)| Vote { participant: name(&format!("P{i}")), level: lv(*l) }).collect::<Vec<_>>();
    let median = |levels: &[u8]| VoteStats::of(&v(levels)).unwrap().median;
    assert_eq!(median(&[3, 4, 5, 6]), Median::Between(lv(4), lv(5)));
    assert_eq!(median(&[6, 3, 5, 4]).to_string(), "between 4 and 5");
    assert_eq!(median(&[3, 4, 4, 6]), Median::Exact(lv(4)));
    assert_eq!(median(&[2, 7, 5]), Median::Exact(lv(5)));
    assert_eq!(median(&[5]).to_string(), "5");
    assert_eq!(median(&[1, 7]), Median::Between(lv(1), lv(7)));
    assert!(VoteStats::of(&[]).is_none());
}

#[test]
fn the_spread_counts_each_level_and_outliers_are_two_levels_or_more_from_the_median() {
    let v = |levels: &[u8]| levels.iter().enumerate().map(|(i, l)| Vote { participant: name(&format!("P{i}")), level: lv(*l) }).collect::<Vec<_>>();
    let st = VoteStats::of(&v(&[4, 2, 4, 7, 5])).unwrap();
    assert_eq!((st.count, st.min, st.max, st.median), (5, lv(2), lv(7), Median::Exact(lv(4))));
    assert_eq!(st.counts, [0, 1, 0, 2, 1, 0, 1]);
    let levels = |o: &[Vote]| o.iter().map(|v| v.level.get()).collect::<Vec<_>>();
    assert_eq!(levels(&st.outliers), vec![2, 7], "2 and 7 lie two or more from 4");
    // Between 4 and 5: 3 and 6 are one level from the nearer middle vote, 2 and 7 two.
    let st = VoteStats::of(&v(&[2, 3, 4, 5, 6, 7])).unwrap();
    assert_eq!(st.median, Median::Between(lv(4), lv(5)));
    assert_eq!(levels(&st.outliers), vec![2, 7]);
    assert!(VoteStats::of(&v(&[3, 4, 5])).unwrap().outliers.is_empty());
}

proptest::proptest! {
    /// What an anonymous round shows of its outliers, their levels, says nothing of the
    /// order the votes were cast in (a facilitator who calls on people in turn would
    /// otherwise learn who voted what): in level order, each once, the same for every
    /// order of the same votes.
    #[test]
    fn the_outlier_levels_are_in_level_order_once_each_whatever_the_order_cast(cast in proptest::collection::vec(1u8..=7, 1..12), seed in proptest::prelude::any::<u64>()) {
        let votes = |levels: &[u8]| levels.iter().enumerate().map(|(i, l)| Vote { participant: name(&format!("P{i}")), level: lv(*l) }).collect::<Vec<_>>();
        let st = VoteStats::of(&votes(&cast)).unwrap();
        let mut expected: Vec<u8> = st.outliers.iter().map(|v| v.level.get()).collect();
        expected.sort_unstable();
        expected.dedup();
        let shown: Vec<u8> = st.outlier_levels().iter().map(|l| l.get()).collect();
        proptest::prop_assert_eq!(&shown, &expected);
        // The same votes cast in another order (a rotation and a reversal of them).
        let mut other = cast.clone();
        other.rotate_left((seed % cast.len() as u64) as usize);
        if seed % 2 == 0 {
            other.reverse();
        }
        let again: Vec<u8> = VoteStats::of(&votes(&other)).unwrap().outlier_levels().iter().map(|l| l.get()).collect();
        proptest::prop_assert_eq!(again, shown);
    }
}

#[test]
fn an_anonymous_rounds_outliers_are_named_by_level_in_level_order() {
    let v = |levels: &[u8]| levels.iter().enumerate().map(|(i, l)| Vote { participant: name(&format!("P{i}")), level: lv(*l) }).collect::<Vec<_>>();
    // Cast 6, 2, 1, 7, 6 around a median of 4: asked about as 1, 2, 6 and 7.
    let st = VoteStats::of(&v(&[6, 2, 4, 4, 1, 4, 7, 4, 6])).unwrap();
    assert_eq!(st.median, Median::Exact(lv(4)));
    assert_eq!(st.outlier_levels(), vec![lv(1), lv(2), lv(6), lv(7)]);
    assert!(VoteStats::of(&v(&[3, 4, 5])).unwrap().outlier_levels().is_empty());
}

#[test]
fn votes_are_hidden_until_revealed_then_shown_with_or_without_names() {
    let o = org();
    let (mut ws, id) = started(&o);
    ok(&mut ws, Command::OpenRound { workshop: id, unit: o.checkout, area: AreaRef::Existing(o.ws.areas[ARCH].id) });
    let round = round_of(&ws, id);
    votes(&mut ws, id, round, &[("Ana", 3), ("bruno", 6), ("Ana", 4)]);
    let r = ws.workshop(id).unwrap().round(round).unwrap().clone();
    assert_eq!(r.votes.len(), 2, "a second vote replaces the first");
    let s = ws.workshop(id).unwrap();
    assert_eq!(s.current_round().map(|r| r.id), Some(round));
    assert_eq!(s.waiting_for(&r), vec![&name("Chen"), &name("Dara")]);
    assert_eq!(r.votes[1].participant.as_str(), "Bruno", "the workshop's spelling of the name");
    assert_eq!(r.shown(VotePrivacy::Named), ShownVotes::Hidden { voted: vec![name("Ana"), name("Bruno")] });
    refused(&ws, Command::CastVote { workshop: id, round, participant: name("Zoe"), level: lv(4) }, "participant", "Zoe is not a participant");
    refused(&ws, Command::CastVote { workshop: id, round: RoundId(9), participant: name("Ana"), level: lv(4) }, "round", "no poker round with id 9");
    refused(&ws, Command::AgreeRound { workshop: id, round, level: lv(4), rung: Rung::new(2).unwrap(), granted_by: None, reason: String::new() }, "round", "reveal the votes");
    ok(&mut ws, Command::RevealRound { workshop: id, round });
    assert!(ok(&mut ws, Command::RevealRound { workshop: id, round }).is_empty(), "a second reveal changes nothing");
    let r = ws.workshop(id).unwrap().round(round).unwrap().clone();
    assert_eq!(r.shown(VotePrivacy::Named), ShownVotes::Named(vec![(name("Ana"), lv(4)), (name("Bruno"), lv(6))]));
    assert_eq!(r.shown(VotePrivacy::Anonymous), ShownVotes::Anonymous(vec![lv(4), lv(6)]));
    refused(&ws, Command::CastVote { workshop: id, round, participant: name("Chen"), level: lv(4) }, "round", "revealed");
    refused(&ws, Command::SetParticipants { workshop: id, participants: vec![name("Ana")] }, "participants", "Bruno has voted");
    // An empty round cannot be revealed; one that recorded nothing can be discarded.
    ok(&mut ws, Command::OpenRound { workshop: id, unit: o.payments, area: AreaRef::Existing(o.ws.areas[ARCH].id) });
    let empty = round_of(&ws, id);
    refused(&ws, Command::RevealRound { workshop: id, round: empty }, "round", "nobody has voted");
    ok(&mut ws, Command::DiscardRound { workshop: id, round: empty });
    assert!(ws.workshop(id).unwrap().round(empty).is_none());
}

#[test]
fn agreeing_records_the_grant_in_the_same_command_and_a_second_click_records_nothing() {
    let o = org();
    let (mut ws, id) = started(&o);
    // A round in a new area: the area is created with the round.
    let opened = ok(&mut ws, Command::OpenRound { workshop: id, unit: o.checkout, area: AreaRef::New(name("Pricing")) });
    let pricing = opened.areas.added[0];
    assert_eq!(ws.area_name(pricing), "Pricing");
    // A second click opens nothing more (and creates no second area).
    assert!(ok(&mut ws, Command::OpenRound { workshop: id, unit: o.checkout, area: AreaRef::New(name("pricing")) }).is_empty());
    assert!(ok(&mut ws, Command::OpenRound { workshop: id, unit: o.checkout, area: AreaRef::Existing(pricing) }).is_empty());
    assert_eq!(ws.workshop(id).unwrap().rounds.len(), 1);
    assert!(ws.workshop(id).unwrap().areas.contains(&pricing), "the new area joins the scope");
    let round = round_of(&ws, id);
    votes(&mut ws, id, round, &[("Ana", 3), ("Bruno", 4), ("Chen", 5), ("Dara", 6)]);
    ok(&mut ws, Command::RevealRound { workshop: id, round });
    let grants_before = ws.grants.len();
    let agree = Command::AgreeRound { workshop: id, round, level: lv(5), rung: Rung::new(3).unwrap(), granted_by: Some(o.board), reason: String::new() };
    let change = ok(&mut ws, agree.clone());
    assert_eq!(ws.grants.len(), grants_before + 1);
    let key = GrantKey { unit: o.checkout, area: pricing, date: d(DAY) };
    assert_eq!(change.grants.added, vec![key]);
    assert_eq!(change.workshops.edited, vec![id]);
    let g = ws.grants.iter().find(|g| g.unit == o.checkout && g.area == pricing).unwrap();
    assert_eq!((g.level, g.rung, g.granted_by), (lv(5), Rung::new(3).unwrap(), Some(o.board)));
    assert!(g.reason.contains("Ana 3, Bruno 4, Chen 5, Dara 6") && g.reason.contains("median between 4 and 5"), "{}", g.reason);
    assert_eq!(ws.workshop(id).unwrap().round(round).unwrap().agreed, Some(Agreement { level: lv(5), rung: Rung::new(3).unwrap(), grant: key }));
    // A double click: the same agreement again records nothing.
    let again = ok(&mut ws, agree);
    assert!(again.is_empty());
    assert_eq!(ws.grants.len(), grants_before + 1);
    refused(&ws, Command::AgreeRound { workshop: id, round, level: lv(2), rung: Rung::new(3).unwrap(), granted_by: None, reason: String::new() }, "round", "already agreed");
    refused(&ws, Command::DiscardRound { workshop: id, round }, "round", "stays in the history");
    // The grant's own checks apply: nothing is recorded when they refuse.
    ok(&mut ws, Command::OpenRound { workshop: id, unit: o.payments, area: AreaRef::Existing(pricing) });
    let second = round_of(&ws, id);
    votes(&mut ws, id, second, &[("Ana", 2)]);
    ok(&mut ws, Command::RevealRound { workshop: id, round: second });
    refused(
        &ws,
        Command::AgreeRound { workshop: id, round: second, level: lv(2), rung: Rung::new(1).unwrap(), granted_by: Some(o.payments), reason: String::new() },
        "granted by",
        "cannot grant autonomy to itself",
    );
}

#[test]
fn an_anonymous_workshop_keeps_names_out_of_the_grant_reason() {
    let o = org();
    let (mut ws, id) = started(&o);
    ok(&mut ws, Command::SetVotePrivacy { workshop: id, privacy: VotePrivacy::Anonymous });
    ok(&mut ws, Command::OpenRound { workshop: id, unit: o.checkout, area: AreaRef::Existing(o.ws.areas[ARCH].id) });
    let round = round_of(&ws, id);
    votes(&mut ws, id, round, &[("Dara", 6), ("Ana", 3)]);
    ok(&mut ws, Command::RevealRound { workshop: id, round });
    ok(&mut ws, Command::AgreeRound { workshop: id, round, level: lv(4), rung: Rung::new(2).unwrap(), granted_by: None, reason: String::new() });
    let g = ws.grants.last().unwrap();
    assert!(g.reason.contains("3, 6") && !g.reason.contains("Ana") && !g.reason.contains("Dara"), "{}", g.reason);
    let summary = summary_markdown(&ws, ws.workshop(id).unwrap());
    let table = summary.split("## Agreed autonomy").nth(1).unwrap().split("##").next().unwrap();
    assert!(!table.contains("Ana") && !table.contains("Dara"), "{table}");
}

#[test]
fn a_round_revealed_without_names_is_never_named_afterwards() {
    let o = org();
    let (mut ws, id) = started(&o);
    ok(&mut ws, Command::SetVotePrivacy { workshop: id, privacy: VotePrivacy::Anonymous });
    ok(&mut ws, Command::OpenRound { workshop: id, unit: o.checkout, area: AreaRef::Existing(o.ws.areas[ARCH].id) });
    let hidden = round_of(&ws, id);
    votes(&mut ws, id, hidden, &[("Dara", 6), ("Ana", 3)]);
    ok(&mut ws, Command::RevealRound { workshop: id, round: hidden });
    ok(&mut ws, Command::AgreeRound { workshop: id, round: hidden, level: lv(4), rung: Rung::new(2).unwrap(), granted_by: None, reason: String::new() });
    // The room switches to names for the next round: the first stays without names.
    ok(&mut ws, Command::SetVotePrivacy { workshop: id, privacy: VotePrivacy::Named });
    ok(&mut ws, Command::OpenRound { workshop: id, unit: o.payments, area: AreaRef::Existing(o.ws.areas[ARCH].id) });
    let named = round_of(&ws, id);
    votes(&mut ws, id, named, &[("Chen", 5), ("Bruno", 2)]);
    ok(&mut ws, Command::RevealRound { workshop: id, round: named });
    let s = ws.workshop(id).unwrap();
    assert_eq!(s.round(hidden).unwrap().shown(s.privacy), ShownVotes::Anonymous(vec![lv(3), lv(6)]));
    assert_eq!(s.round(hidden).unwrap().privacy(VotePrivacy::Named), VotePrivacy::Anonymous);
    assert_eq!(s.round(named).unwrap().shown(s.privacy), ShownVotes::Named(vec![(name("Chen"), lv(5)), (name("Bruno"), lv(2))]));
    let summary = summary_markdown(&ws, s);
    let table = summary.split("## Agreed autonomy").nth(1).unwrap().split("##").next().unwrap();
    assert!(!table.contains("Ana") && !table.contains("Dara"), "{table}");
    assert!(table.contains("Chen 5"), "{table}");
    // A round revealed with names is shown without them once the workshop is set so.
    assert_eq!(s.round(named).unwrap().shown(VotePrivacy::Anonymous), ShownVotes::Anonymous(vec![lv(2), lv(5)]));
}

#[test]
fn the_history_of_a_unit_and_area_shows_how_the_view_moved_across_workshops() {
    let o = org();
    let arch = o.ws.areas[ARCH].id;
    let (mut ws, first) = started(&o);
    let play = |ws: &mut Workspace, id: WorkshopId, levels: &[(&str, u8)], agreed: u8| {
        ok(ws, Command::OpenRound { workshop: id, unit: o.checkout, area: AreaRef::Existing(arch) });
        let round = round_of(ws, id);
        votes(ws, id, round, levels);
        ok(ws, Command::RevealRound { workshop: id, round });
        ok(ws, Command::AgreeRound { workshop: id, round, level: lv(agreed), rung: Rung::new(2).unwrap(), granted_by: None, reason: String::new() });
    };
    // The later workshop is created first: the history is in date order.
    let later = ok(&mut ws, Command::StartWorkshop { date: d("2027-02-20"), title: None }).workshops.added[0];
    ok(&mut ws, Command::SetParticipants { workshop: later, participants: vec![name("Ana")] });
    play(&mut ws, later, &[("Ana", 5)], 5);
    play(&mut ws, first, &[("Ana", 3), ("Bruno", 4)], 3);
    let history = round_history(&ws, o.checkout, arch);
    let agreed: Vec<(Date, u8)> = history.iter().map(|(s, r)| (s.date, r.agreed.as_ref().unwrap().level.get())).collect();
    assert_eq!(agreed, vec![(d(DAY), 3), (d("2027-02-20"), 5)]);
    assert!(round_history(&ws, o.payments, arch).is_empty());
}

#[test]
fn results_are_recorded_on_days_inside_the_period_for_units_in_scope() {
    let o = org();
    let (mut ws, id) = started(&o);
    let s = ws.workshop(id).unwrap().clone();
    let grid: Vec<(UnitId, Vec<CommitmentId>)> = s.results_grid(&ws).into_iter().map(|(u, cs)| (u, cs.iter().map(|c| c.id).collect())).collect();
    assert_eq!(grid, vec![(o.checkout, vec![o.conversion]), (o.payments, vec![o.latency])], "commitments due in the period, not {:?}", o.later);
    let conversion = ws.commitment(o.conversion).unwrap().clone();
    assert_eq!(s.result_date(&conversion), d("2026-09-15"));
    assert_eq!(s.result_date(ws.commitment(o.later).unwrap()), d("2026-09-30"));
    let row = |c: CommitmentId, date: &str, v: f64| CheckInRow { commitment: c, checkin: CheckIn::new(d(date), Finite::new(v, "value").unwrap()) };
    let change = ok(&mut ws, Command::RecordResults { workshop: id, rows: vec![row(o.conversion, "2026-09-15", 80.0), row(o.latency, "2026-09-30", 95.0)] });
    assert_eq!(change.checkins.added, vec![CheckInKey { commitment: o.conversion, date: d("2026-09-15") }, CheckInKey { commitment: o.latency, date: d("2026-09-30") }]);
    assert!(change.checkins_only().is_some(), "results are scored incrementally");
    assert_eq!(ws.commitment(o.conversion).unwrap().checkins().on(d("2026-09-15")).unwrap().value.get(), 80.0);
    // The date is the command's: nothing else decides it, and it must lie in the period.
    refused(&ws, Command::RecordResults { workshop: id, rows: vec![row(o.conversion, DAY, 1.0)] }, "date", "outside the results period, 2026-07-01 to 2026-09-30");
    refused(&ws, Command::RecordResults { workshop: id, rows: vec![] }, "results", "at least one");
    ok(&mut ws, Command::SetWorkshopScope { workshop: id, units: vec![o.checkout], areas: vec![] });
    refused(&ws, Command::RecordResults { workshop: id, rows: vec![row(o.latency, "2026-09-30", 1.0)] }, "commitment", "Payments, who is not in this workshop");
    refused(&ws, Command::RecordResults { workshop: id, rows: vec![row(CommitmentId(99), "2026-09-30", 1.0)] }, "commitment", "no commitment with id 99");
    // The check-in rules apply: two values for one day are refused.
    refused(&ws, Command::RecordResults { workshop: id, rows: vec![row(o.conversion, "2026-09-01", 1.0), row(o.conversion, "2026-09-01", 2.0)] }, "date", "two values");
}

#[test]
fn agreeing_a_units_actions_records_the_review_and_commitments_once() {
    let o = org();
    let (mut ws, id) = started(&o);
    let actions = vec![
        ActionInput { text: name("Measure basket size weekly"), owner: name("Ana"), due: Some(d("2027-01-31")), commitment: Some(Category::Revenue) },
        ActionInput { text: name("Invite Payments to the review"), owner: name("Bruno"), due: Some(d("2026-12-15")), commitment: None },
    ];
    let agree = Command::AgreeActions { workshop: id, unit: o.checkout, verdict: Verdict::Expand, reviewer: Some(o.board), note: "Results back the grant.".into(), actions: actions.clone() };
    let (reviews, commitments) = (ws.reviews.len(), ws.commitments.len());
    let change = ok(&mut ws, agree.clone());
    assert_eq!(change.reviews.added, vec![DatedKey { unit: o.checkout, date: d(DAY) }]);
    assert_eq!(change.commitments.added.len(), 1);
    assert_eq!((ws.reviews.len(), ws.commitments.len()), (reviews + 1, commitments + 1));
    let r = ws.reviews.iter().find(|r| r.unit == o.checkout && r.date == d(DAY)).unwrap();
    assert_eq!((r.verdict, r.reviewer), (Verdict::Expand, Some(o.board)));
    let outcome = ws.workshop(id).unwrap().outcome(o.checkout).unwrap().clone();
    let made = outcome.actions[0].commitment.unwrap();
    let c = ws.commitment(made).unwrap();
    assert_eq!((c.owner, c.title.as_str(), c.start, c.due), (o.checkout, "Measure basket size weekly", d(DAY), Some(d("2027-01-31"))));
    assert_eq!(outcome.actions[1], ActionItem { text: name("Invite Payments to the review"), owner: name("Bruno"), due: Some(d("2026-12-15")), commitment: None, done: None });
    // A double click records once; another agreement for the unit is refused.
    assert!(ok(&mut ws, agree).is_empty());
    assert_eq!((ws.reviews.len(), ws.commitments.len()), (reviews + 1, commitments + 1));
    refused(&ws, Command::AgreeActions { workshop: id, unit: o.checkout, verdict: Verdict::Hold, reviewer: None, note: String::new(), actions: vec![] }, "unit", "already agreed");
    // An action needs a due date.
    let undated = ActionInput { text: name("Someday"), owner: name("Ana"), due: None, commitment: None };
    refused(
        &ws,
        Command::AgreeActions { workshop: id, unit: o.payments, verdict: Verdict::Hold, reviewer: None, note: String::new(), actions: vec![undated] },
        "due",
        "give \u{201c}Someday\u{201d} a due date",
    );
    // The review's and the commitment's own checks apply.
    refused(
        &ws,
        Command::AgreeActions { workshop: id, unit: o.payments, verdict: Verdict::Hold, reviewer: Some(o.payments), note: String::new(), actions: vec![] },
        "reviewer",
        "someone other than Payments",
    );
    let early = ActionInput { due: Some(d("2026-01-01")), ..actions[0].clone() };
    refused(&ws, Command::AgreeActions { workshop: id, unit: o.payments, verdict: Verdict::Hold, reviewer: None, note: String::new(), actions: vec![early] }, "due", "before the workshop's day");
    refused(&ws, Command::AgreeActions { workshop: id, unit: UnitId(99), verdict: Verdict::Hold, reviewer: None, note: String::new(), actions: vec![] }, "unit", "no unit with id 99");
}

#[test]
fn a_finished_workshop_refuses_edits_until_reopened_and_can_be_deleted() {
    let o = org();
    let (mut ws, id) = started(&o);
    ok(&mut ws, Command::FinishWorkshop { workshop: id, now_ms: 0 });
    let s = ws.workshop(id).unwrap();
    assert_eq!((s.steps_done(), s.listing()), (6, "Workshop of 2026-11-25, finished".to_owned()));
    refused(&ws, Command::GoToStep { workshop: id, step: Step::RevealMap, now_ms: 0 }, "workshop", "is finished; reopen it");
    refused(&ws, Command::OpenRound { workshop: id, unit: o.checkout, area: AreaRef::New(name("Pricing")) }, "workshop", "is finished");
    ok(&mut ws, Command::SetWorkshopNotes { workshop: id, notes: "Follow up in February.".into() });
    ok(&mut ws, Command::ReopenWorkshop { workshop: id });
    ok(&mut ws, Command::GoToStep { workshop: id, step: Step::RevealMap, now_ms: 0 });
    let change = ok(&mut ws, Command::DeleteWorkshop { workshop: id });
    assert_eq!(change.workshops.removed, vec![id]);
    assert!(ws.workshops.is_empty());
    refused(&ws, Command::DeleteWorkshop { workshop: id }, "workshop", "no workshop");
    // Its id is never given again.
    let next = ok(&mut ws, Command::StartWorkshop { date: d(DAY), title: None }).workshops.added[0];
    assert!(next.0 > id.0);
}

/// A workshop played through: rounds agreed, results, actions, notes.
fn played(o: &Org) -> (Workspace, WorkshopId) {
    let (mut ws, id) = started(o);
    for (unit, area, list, agreed) in [
        (o.checkout, AreaRef::Existing(o.ws.areas[ARCH].id), vec![("Ana", 3), ("Bruno", 4), ("Chen", 5), ("Dara", 6)], 5u8),
        (o.payments, AreaRef::New(name("Pricing")), vec![("Ana", 2), ("Bruno", 2), ("Chen", 6)], 2),
    ] {
        ok(&mut ws, Command::OpenRound { workshop: id, unit, area });
        let round = round_of(&ws, id);
        votes(&mut ws, id, round, &list);
        ok(&mut ws, Command::RevealRound { workshop: id, round });
        ok(&mut ws, Command::AgreeRound { workshop: id, round, level: lv(agreed), rung: Rung::new(2).unwrap(), granted_by: Some(o.board), reason: String::new() });
    }
    ok(&mut ws, Command::RecordResults { workshop: id, rows: vec![CheckInRow { commitment: o.conversion, checkin: CheckIn::new(d("2026-09-15"), Finite::new(70.0, "v").unwrap()) }] });
    let action = ActionInput { text: name("Weekly | basket *review*"), owner: name("Ana"), due: Some(d("2027-01-31")), commitment: Some(Category::Revenue) };
    ok(&mut ws, Command::AgreeActions { workshop: id, unit: o.checkout, verdict: Verdict::Expand, reviewer: Some(o.board), note: String::new(), actions: vec![action] });
    ok(&mut ws, Command::SetWorkshopNotes { workshop: id, notes: "Payments wants a budget round.".into() });
    ok(&mut ws, Command::GoToStep { workshop: id, step: Step::AgreeActions, now_ms: 0 });
    (ws, id)
}

#[test]
fn the_summary_names_every_agreed_level_with_its_spread_and_the_actions() {
    let o = org();
    let (ws, id) = played(&o);
    let s = ws.workshop(id).unwrap();
    let md = summary_markdown(&ws, s);
    for needle in [
        "# Workshop of 2026-11-25",
        "**Date:** 2026-11-25",
        "**Participants:** Ana, Bruno, Chen, Dara",
        "5 of 6 steps done",
        "| Checkout | Architecture | level 5 Advise at scope 2 Feature | Ana 3, Bruno 4, Chen 5, Dara 6 | 3 to 6 | between 4 and 5 |",
        // Three of the four listed voted: the summary says so.
        "| Payments | Pricing | level 2 Sell at scope 2 Feature | Ana 2, Bruno 2, Chen 6 (3 of 4 voted) | 2 to 6 | 2 |",
        "## The map on 2026-11-25",
        // Step 4's results, in the period, for the units in scope.
        "## Results from 2026-07-01 to 2026-09-30",
        "| Checkout | Checkout conversion | 0 → 100 % | 70 on 2026-09-15 |",
        "| Payments | Payment latency | 0 → 100 % | no value in the period |",
        "### Checkout: expand",
        "- Weekly \\| basket \\*review\\*: owner Ana, due 2027-01-31 (a commitment)",
        "No verdict agreed for Payments.",
        "Payments wants a budget round.",
    ] {
        assert!(md.contains(needle), "the summary lacks {needle:?}:\n{md}");
    }
    for r in &s.rounds {
        let a = r.agreed.as_ref().unwrap();
        assert!(md.contains(&format!("level {} {}", a.level.get(), ws.policy.level_label(a.level.get()))), "{md}");
    }
    // The map's placement of every unit in scope, as text.
    let map = md.split("## The map").nth(1).unwrap();
    for u in &s.units {
        assert!(map.contains(&format!("| {} |", ws.unit_name(*u))), "{map}");
    }
    assert!(map.contains("diagonal"), "{map}");
}

#[test]
fn the_screen_shows_each_round_as_the_markdown_does_and_a_partial_vote_is_marked() {
    let o = org();
    let (ws, id) = played(&o);
    let s = ws.workshop(id).unwrap();
    let md = summary_markdown(&ws, s);
    let cells: Vec<[String; 6]> = s.rounds.iter().map(|r| round_summary(&ws, s, r)).collect();
    assert_eq!(cells[0][3], "Ana 3, Bruno 4, Chen 5, Dara 6", "all four listed voted: nothing added");
    assert_eq!(cells[1][3], "Ana 2, Bruno 2, Chen 6 (3 of 4 voted)");
    for c in &cells {
        assert!(md.contains(&format!("| {} |", c.join(" | "))), "the Markdown has the screen's row {c:?}:\n{md}");
    }
    let results = results_summary(&ws, s);
    assert_eq!(results.len(), 2, "the commitments due in the period, of the units in scope: {results:?}");
    for r in &results {
        assert!(md.contains(&format!("| {} |", r.join(" | "))), "the Markdown has the screen's result {r:?}:\n{md}");
    }
    // A result's evidence goes with it.
    let mut with_evidence = ws.clone();
    let c = with_evidence.commitments.iter_mut().find(|c| c.id == o.conversion).unwrap();
    assert!(c.update_checkin(d("2026-09-15"), |k| k.evidence = "https://example.org/q3".into()));
    let s = with_evidence.workshop(id).unwrap();
    let results = results_summary(&with_evidence, s);
    assert!(results[0][3].ends_with(", evidence: https://example.org/q3"), "{results:?}");
}

#[test]
fn undo_gives_back_each_version_exactly() {
    let o = org();
    let (mut ws, id) = started(&o);
    let mut history: Vec<(Workspace, String)> = Vec::new();
    let commands = vec![
        Command::GoToStep { workshop: id, step: Step::RecordAutonomy, now_ms: 0 },
        Command::StartTimer { workshop: id, step: Step::RecordAutonomy, now_ms: 10 },
        Command::OpenRound { workshop: id, unit: o.checkout, area: AreaRef::New(name("Pricing")) },
        Command::CastVote { workshop: id, round: RoundId(1), participant: name("Ana"), level: lv(4) },
        Command::RevealRound { workshop: id, round: RoundId(1) },
        Command::AgreeRound { workshop: id, round: RoundId(1), level: lv(4), rung: Rung::new(2).unwrap(), granted_by: None, reason: String::new() },
        Command::AgreeActions {
            workshop: id,
            unit: o.checkout,
            verdict: Verdict::Hold,
            reviewer: None,
            note: String::new(),
            actions: vec![ActionInput { text: name("Track it"), owner: name("Ana"), due: Some(d("2027-01-15")), commitment: Some(Category::Activity) }],
        },
        Command::PauseTimer { workshop: id, step: Step::RecordAutonomy, now_ms: 500 },
        Command::FinishWorkshop { workshop: id, now_ms: 600 },
        Command::DeleteWorkshop { workshop: id },
    ];
    for c in &commands {
        history.push((ws.clone(), serde_json::to_string(&ws).unwrap()));
        ok(&mut ws, c.clone());
    }
    while let Some((previous, frozen)) = history.pop() {
        assert_eq!(serde_json::to_string(&previous).unwrap(), frozen, "a kept version moved");
        ws = previous;
    }
    let (fresh, _) = started(&o);
    assert_eq!(ws, fresh);
}

#[test]
fn removing_a_unit_takes_it_out_of_every_workshop() {
    let o = org();
    let (mut ws, id) = played(&o);
    let change = ok(&mut ws, Command::RemoveUnit { unit: o.checkout });
    assert_eq!(change.workshops.edited, vec![id]);
    let s = ws.workshop(id).unwrap();
    assert!(!s.mentions_unit(o.checkout, &[]));
    assert_eq!(s.rounds.len(), 1, "the Payments round stays");
    ok(&mut ws, Command::RemoveUnit { unit: o.board });
    assert!(ws.workshop(id).unwrap().outcomes.iter().all(|x| x.reviewer.is_none()));
}

#[test]
fn removing_the_owner_of_a_commitment_made_from_an_action_clears_the_link() {
    let o = org();
    let (mut ws, id) = started(&o);
    let action = ActionInput { text: name("Shared on-call"), owner: name("Ana"), due: Some(d("2027-01-15")), commitment: Some(Category::Activity) };
    ok(&mut ws, Command::AgreeActions { workshop: id, unit: o.checkout, verdict: Verdict::Hold, reviewer: None, note: String::new(), actions: vec![action] });
    let made = ws.workshop(id).unwrap().outcome(o.checkout).unwrap().actions[0].commitment.unwrap();
    // The commitment moves to Payments, which is then removed with what it owns.
    let fields = CommitmentFields { owner: o.payments, ..ws.commitment(made).unwrap().fields() };
    ok(&mut ws, Command::EditCommitment { commitment: made, fields });
    let change = ok(&mut ws, Command::RemoveUnit { unit: o.payments });
    assert!(change.workshops.edited.contains(&id));
    let action = &ws.workshop(id).unwrap().outcome(o.checkout).unwrap().actions[0];
    assert_eq!((action.text.as_str(), action.commitment), ("Shared on-call", None));
}

#[test]
fn workshops_survive_export_import_and_the_store_and_an_old_file_reads_unchanged() {
    let o = org();
    let (ws, _) = played(&o);
    let file = export_workspace(&ws);
    assert!(file.contains("\"schema\": 2"));
    assert_eq!(import_workspace(&file).unwrap(), ws);
    let mut store = Store::new(MemoryBackend::default(), "tab");
    store.save("w", &ws, 0, "now").unwrap();
    match store.load("w").unwrap() {
        LoadOutcome::Loaded(env) => assert_eq!(env.workspace, ws),
        other => panic!("{other:?}"),
    }
    // A file written before workshops existed loads, and writes back without them.
    let old = std::fs::read_to_string(format!("{}/tests/fixtures/schema-1.json", env!("CARGO_MANIFEST_DIR"))).unwrap();
    let read = import_workspace(&old).unwrap();
    assert!(read.workshops.is_empty());
    let again = export_workspace(&read);
    assert!(!again.contains("workshop"), "{again}");
    assert_eq!(import_workspace(&again).unwrap(), read);
}

/// A file whose workshop names what does not exist is refused, naming the workshop and
/// the field.
#[test]
fn an_import_naming_a_missing_unit_area_or_participant_in_a_workshop_is_refused() {
    let o = org();
    let (ws, _) = played(&o);
    let file: serde_json::Value = serde_json::from_str(&export_workspace(&ws)).unwrap();
    let with = |path: &[&str], value: serde_json::Value| {
        let mut f = file.clone();
        let mut at = &mut f["workspace"]["workshops"][0];
        for p in path {
            at = match p.parse::<usize>() {
                Ok(i) => &mut at[i],
                Err(_) => &mut at[*p],
            };
        }
        *at = value;
        f.to_string()
    };
    let cases = [
        (with(&["units", "0"], 99.into()), "workshop \u{201c}Workshop of 2026-11-25\u{201d}, units: no unit with id 99"),
        (with(&["areas", "0"], 98.into()), "workshop \u{201c}Workshop of 2026-11-25\u{201d}, areas: no decision area with id 98"),
        (with(&["rounds", "0", "unit"], 97.into()), "round unit: no unit with id 97"),
        (with(&["rounds", "0", "votes", "0", "participant"], "Zoe".into()), "vote participant: \u{201c}Zoe\u{201d} is not a participant"),
        (with(&["outcomes", "0", "actions", "0", "commitment"], 96.into()), "action commitment: no commitment with id 96"),
        (with(&["rounds", "0", "votes", "0", "level"], 9.into()), "in the workshop \u{201c}Workshop of 2026-11-25\u{201d}"),
    ];
    for (text, expected) in cases {
        let e = import_workspace(&text).expect_err(expected).to_string();
        assert!(e.contains(expected), "expected {expected:?}\n     got {e:?}");
    }
}

#[test]
fn no_link_carries_a_workshop() {
    let o = org();
    let (ws, _) = played(&o);
    for scope in [Scope::Workspace, Scope::Unit(o.checkout), Scope::Map, Scope::Board] {
        let link = snapshot::encode_at(&ws, scope, d(DAY));
        let shared = snapshot::decode(&link).unwrap();
        assert!(shared.workspace.workshops.is_empty(), "{scope:?}");
    }
    let whole = snapshot::decode(&snapshot::encode_at(&ws, Scope::Workspace, d(DAY))).unwrap().workspace;
    assert_eq!(whole.grants.len(), ws.grants.len(), "the records the workshop made travel as records");
}

#[test]
fn the_current_grant_is_the_latest_on_or_before_the_day_and_a_lower_one_narrows_it() {
    let mut b = Builder::new();
    let team = b.unit("Payments", None);
    b.grant(team, RELEASE, "2026-01-05", 2, 4);
    b.grant(team, RELEASE, "2026-06-01", 4, 7);
    b.grant(team, RELEASE, "2027-01-01", 1, 1);
    let ws = b.build();
    let area = ws.areas[RELEASE].id;
    assert_eq!(workshop::current_grant(&ws, team, area, d("2026-05-31")).map(|g| (g.rung.get(), g.level.get())), Some((2, 4)));
    let now = workshop::current_grant(&ws, team, area, d(DAY)).expect("a grant on the day");
    assert_eq!((now.rung.get(), now.level.get()), (4, 7));
    assert!(workshop::current_grant(&ws, team, area, d("2025-12-31")).is_none());
    assert!(workshop::current_grant(&ws, team, ws.areas[ARCH].id, d(DAY)).is_none());
    let rung = |n| Rung::new(n).unwrap();
    assert!(!workshop::narrows(now, lv(7), rung(4)), "the same grant narrows nothing");
    assert!(!workshop::narrows(now, lv(7), rung(5)), "a wider scope narrows nothing");
    assert!(workshop::narrows(now, lv(6), rung(5)), "a lower level narrows");
    assert!(workshop::narrows(now, lv(7), rung(3)), "a narrower scope narrows");
}

#[test]
fn a_unit_named_in_the_room_is_added_and_in_scope_in_one_command() {
    let o = org();
    let (mut ws, id) = started(&o);
    let change = ok(&mut ws, Command::AddWorkshopUnit { workshop: id, name: name("Growth"), kind: UnitKind::Person, parent: Some(o.board) });
    let growth = change.units.added[0];
    assert_eq!(change.summary, "Added Growth to the workshop");
    assert_eq!(change.workshops.edited, vec![id]);
    let unit = ws.unit(growth).unwrap();
    assert_eq!((unit.kind, unit.parent), (UnitKind::Person, Some(o.board)));
    assert_eq!(ws.workshop(id).unwrap().units, vec![o.checkout, o.payments, growth]);
    // The unit's own rules hold, and a refusal adds nothing.
    refused(&ws, Command::AddWorkshopUnit { workshop: id, name: name("growth"), kind: UnitKind::Team, parent: None }, "name", "already called Growth");
    refused(&ws, Command::AddWorkshopUnit { workshop: id, name: name("Risk"), kind: UnitKind::Team, parent: Some(UnitId(999)) }, "parent", "999");
    ok(&mut ws, Command::FinishWorkshop { workshop: id, now_ms: 0 });
    refused(&ws, Command::AddWorkshopUnit { workshop: id, name: name("Late"), kind: UnitKind::Team, parent: None }, "workshop", "finished");
}
