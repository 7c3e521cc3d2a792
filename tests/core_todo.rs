//! The to-do list: what each person owes as of a date, for the org or a subtree, and the
//! same as an iCalendar file that a calendar parser reads back.

mod common;

use common::*;
use latitude::core::todo::{calendar_events, icalendar as calendar_file, nothing_owed, todo, NothingOwed, TodoKind};
use latitude::core::*;

const AS_OF: &str = "2026-01-04";

struct Org {
    ws: Workspace,
    lead: UnitId,
    team: UnitId,
    other: UnitId,
    late: CommitmentId,
    due: CommitmentId,
    vague: CommitmentId,
    decision: DecisionId,
}

fn org() -> Org {
    let mut b = Builder::new();
    let lead = b.unit("Head of product", None);
    let team = b.unit("Checkout team", Some(lead));
    let other = b.unit("Elsewhere", None);
    // Weekly, last read three weeks ago: overdue since a week after that.
    let late = b.commitment(team, "Conversion", Category::CustomerValue, "2025-11-02", "2026-03-29", 7);
    b.edit(late, |c| {
        c.record_checkin(CheckIn { date: d("2025-12-14"), value: Finite::new(10.0, "v").unwrap(), confidence: None, note: String::new(), evidence: "x".into(), recorded_by: None });
    });
    // Due last week and read on time, but nobody reviewed the team since.
    let due = b.deliver(team, "Latency", Category::SystemPerformance, "2025-10-01", "2025-12-28", 1.0);
    // No target: vague.
    let vague = b.commitment(team, "Be faster", Category::Activity, "2025-12-01", "2026-06-30", 14);
    b.edit(vague, |c| {
        c.target = None;
        c.record_checkin(CheckIn { date: d("2026-01-02"), value: Finite::new(1.0, "v").unwrap(), confidence: None, note: String::new(), evidence: String::new(), recorded_by: None });
    });
    let decision = b.decision(team, ARCH, "2025-10-01", Outcome::Good, &[team]);
    b.ws.decisions.iter_mut().find(|x| x.id == decision).unwrap().outcome = None;
    // Elsewhere: overdue too, outside the head of product's subtree.
    b.commitment(other, "Uptime", Category::SystemPerformance, "2025-11-02", "2026-03-29", 7);
    Org { ws: b.build(), lead, team, other, late, due, vague, decision }
}

#[test]
fn the_list_names_what_is_owed_by_whom_since_when() {
    let o = org();
    let items = todo(&o.ws, &o.ws.policy, d(AS_OF), None);
    for i in &items {
        eprintln!("{:?} {} {}", i.kind, latitude::core::format_date(i.since), i.text);
    }
    let check = items.iter().find(|i| i.kind == TodoKind::CheckIn && i.commitment == Some(o.late)).expect("overdue check-in");
    assert_eq!((check.who, check.since, check.days), (Some(o.team), d("2025-12-21"), 14));
    assert!(check.text.contains("Checkout team") && check.text.contains("Conversion"), "{}", check.text);
    let review = items.iter().find(|i| i.kind == TodoKind::Review && i.commitment == Some(o.due)).expect("review owed");
    assert_eq!((review.who, review.since), (Some(o.lead), d("2025-12-28")));
    let vague = items.iter().find(|i| i.kind == TodoKind::Vague && i.commitment == Some(o.vague)).expect("vague");
    assert!(vague.text.contains("target"), "{}", vague.text);
    let decision = items.iter().find(|i| i.kind == TodoKind::Decision).expect("decision to review");
    assert_eq!((decision.decision, decision.since), (Some(o.decision), d("2025-11-30")));
    // A commitment read on time owes nothing; one due and read on its due date owes no check-in.
    assert!(!items.iter().any(|i| i.kind == TodoKind::CheckIn && i.commitment == Some(o.due)));
    assert!(!items.iter().any(|i| i.kind == TodoKind::CheckIn && i.commitment == Some(o.vague)));
    assert!(items.iter().any(|i| i.unit == o.other));
    // Sorted by kind, then oldest first.
    assert!(items.windows(2).all(|w| (w[0].kind, w[0].since) <= (w[1].kind, w[1].since)));
}

#[test]
fn a_review_or_a_check_in_resolves_its_item() {
    let mut o = org();
    o.ws.reviews.push(Review { unit: o.team, date: d("2026-01-02"), reviewer: Some(o.lead), verdict: Verdict::Hold, note: String::new() });
    let c = o.ws.commitment_mut(o.late).unwrap();
    c.record_checkin(CheckIn { date: d("2026-01-03"), value: Finite::new(12.0, "v").unwrap(), confidence: None, note: String::new(), evidence: String::new(), recorded_by: None });
    let items = todo(&o.ws, &o.ws.policy, d(AS_OF), None);
    assert!(!items.iter().any(|i| i.commitment == Some(o.late) && i.kind == TodoKind::CheckIn));
    assert!(!items.iter().any(|i| i.kind == TodoKind::Review));
}

#[test]
fn a_leaders_list_covers_their_subtree_only() {
    let o = org();
    let all = todo(&o.ws, &o.ws.policy, d(AS_OF), None);
    let mine = todo(&o.ws, &o.ws.policy, d(AS_OF), Some(o.lead));
    assert!(mine.len() < all.len());
    assert!(mine.iter().all(|i| i.unit == o.lead || i.unit == o.team));
    assert!(todo(&o.ws, &o.ws.policy, d(AS_OF), Some(o.other)).iter().all(|i| i.unit == o.other));
}

#[test]
fn the_calendar_file_parses_back_with_its_events() {
    let o = org();
    let text = calendar_file(&o.ws, &o.ws.policy, d(AS_OF), None, d(AS_OF));
    assert!(text.starts_with("BEGIN:VCALENDAR\r\n") && text.ends_with("END:VCALENDAR\r\n"));
    for line in text.split("\r\n") {
        assert!(line.len() <= 75, "line over 75 octets: {line}");
    }
    let items = todo(&o.ws, &o.ws.policy, d(AS_OF), None);
    let calendar: icalendar::Calendar = text.parse().expect("a calendar parser reads it");
    use icalendar::Component;
    let events: Vec<&icalendar::Event> = calendar.components.iter().filter_map(|c| c.as_event()).collect();
    let summaries: Vec<String> = events.iter().filter_map(|e| e.get_summary().map(str::to_owned)).collect();
    // Every item owed, each open commitment's rhythm, and its review after the due date.
    assert_eq!(summaries.iter().filter(|s| s.starts_with("Check-in overdue") || s.starts_with("Review owed") || s.starts_with("Vague") || s.starts_with("Decision to review")).count(), items.len());
    let rhythm = events.iter().find(|e| e.get_summary() == Some("Check in: Conversion (Checkout team)")).expect("the cadence as a recurring event");
    assert_eq!(rhythm.property_value("RRULE"), Some("FREQ=DAILY;INTERVAL=7;UNTIL=20260329"));
    assert_eq!(rhythm.property_value("DTSTART"), Some("20260104"));
    assert!(summaries.iter().any(|s| s == "Review: Checkout team's scope after Conversion"), "{summaries:?}");
    // Text with commas and semicolons survives escaping.
    assert!(summaries.iter().any(|s| s.contains("baseline") || s.contains("target")), "{summaries:?}");
}

/// Exporting again on a later day gives the same UIDs for the same obligations (a
/// calendar updates instead of duplicating), and an overdue item keeps its due date.
#[test]
fn calendar_uids_are_stable_and_overdue_items_keep_their_date() {
    use icalendar::Component;
    let o = org();
    let events = |as_of: &str, stamp: &str| -> Vec<(String, String, String)> {
        let text = calendar_file(&o.ws, &o.ws.policy, d(as_of), None, d(stamp));
        let calendar: icalendar::Calendar = text.parse().expect("parses");
        calendar
            .components
            .iter()
            .filter_map(|c| c.as_event())
            .map(|e| (e.property_value("UID").unwrap_or("").to_owned(), e.property_value("DTSTART").unwrap_or("").to_owned(), e.get_summary().unwrap_or("").to_owned()))
            .collect()
    };
    let first = events(AS_OF, AS_OF);
    let later = events(AS_OF, "2026-12-31");
    assert_eq!(first, later, "the export date changes no UID or date");
    let uids: std::collections::HashSet<&String> = first.iter().map(|(u, _, _)| u).collect();
    assert_eq!(uids.len(), first.len(), "UIDs are unique");
    let items = todo(&o.ws, &o.ws.policy, d(AS_OF), None);
    let overdue = items.iter().find(|i| i.kind == TodoKind::CheckIn && i.since < d(AS_OF)).expect("an overdue check-in");
    let since = overdue.since.to_string().replace('-', "");
    assert!(first.iter().any(|(uid, start, summary)| summary.starts_with("Check-in overdue") && *start == since && uid.contains(&since)), "{first:?}");
}

/// A review owed names the day it is expected by, from the policy's review window, and
/// says so in the past once that day has gone (the list keeps it for the rigor window).
#[test]
fn a_review_owed_names_the_day_it_is_expected_by_from_the_policy() {
    let mut o = org();
    let due = o.due;
    let review = |ws: &Workspace, as_of: &str| todo(ws, &ws.policy, d(as_of), None).into_iter().find(|i| i.kind == TodoKind::Review && i.commitment == Some(due)).expect("review owed").text;
    // Due 2025-12-28, thirty days to review.
    let text = review(&o.ws, AS_OF);
    assert!(text.ends_with("fell due on 2025-12-28: review by 2026-01-27"), "{text}");
    let text = review(&o.ws, "2026-03-01");
    assert!(text.ends_with("fell due on 2025-12-28: the review was expected by 2026-01-27"), "{text}");
    // Another window: another day, and no word of thirty days.
    o.ws.policy.consequence_window_days = 3;
    let text = review(&o.ws, AS_OF);
    assert!(text.ends_with("the review was expected by 2025-12-31") && !text.contains("30 days"), "{text}");
    let text = review(&o.ws, "2025-12-31");
    assert!(text.ends_with(": review by 2025-12-31"), "{text}");
}

/// The calendar file holds something only when something is owed, an open commitment has
/// a rhythm, or a decision's review is ahead: the page offers it only then.
#[test]
fn a_calendar_with_nothing_in_it_is_known_before_it_is_made() {
    let o = org();
    let count = |ws: &Workspace, root: Option<UnitId>| {
        let text = calendar_file(ws, &ws.policy, d(AS_OF), root, d(AS_OF));
        let calendar: icalendar::Calendar = text.parse().expect("parses");
        (calendar_events(ws, &ws.policy, d(AS_OF), root), calendar.components.iter().filter_map(|c| c.as_event()).count())
    };
    let (n, parsed) = count(&o.ws, None);
    assert!(n > 0 && n == parsed, "{n} counted, {parsed} in the file");
    let (n, parsed) = count(&o.ws, Some(o.other));
    assert!(n > 0 && n == parsed, "{n} counted, {parsed} in the file");
    // A unit with no commitments and no decisions: nothing owed, nothing to put in a calendar.
    let mut ws = o.ws.clone();
    ws.units.push(Unit { id: UnitId(77), name: Name::new("Quiet").unwrap(), kind: UnitKind::Team, parent: None, role: String::new() });
    assert!(todo(&ws, &ws.policy, d(AS_OF), Some(UnitId(77))).is_empty());
    assert_eq!(count(&ws, Some(UnitId(77))), (0, 0));
    assert_eq!(count(&Workspace::new(Name::new("Empty").unwrap()), None), (0, 0));
}

fn built(b: &Builder) -> Workspace {
    let mut ws = b.ws.clone();
    ws.normalize();
    ws
}

/// An empty list says why: nothing to owe anything on yet (no units, or no commitment and
/// no decision), or everything done.
#[test]
fn an_empty_list_knows_whether_there_is_anything_yet() {
    let empty = Workspace::new(Name::new("Empty").unwrap());
    assert!(todo(&empty, &empty.policy, d(AS_OF), None).is_empty());
    assert_eq!(nothing_owed(&empty, d(AS_OF), None), NothingOwed::NoUnits);
    let mut b = Builder::new();
    let lead = b.unit("Head of product", None);
    let team = b.unit("Checkout team", Some(lead));
    let quiet = b.unit("Quiet", None);
    let ws = built(&b);
    assert!(todo(&ws, &ws.policy, d(AS_OF), None).is_empty());
    assert_eq!(nothing_owed(&ws, d(AS_OF), None), NothingOwed::NoCommitments);
    // A commitment that starts after the as-of date is not there yet.
    b.deliver(team, "Latency", Category::SystemPerformance, "2026-02-01", "2026-03-28", 1.0);
    let ws = built(&b);
    assert_eq!(nothing_owed(&ws, d(AS_OF), None), NothingOwed::NoCommitments);
    assert_eq!(nothing_owed(&ws, d("2026-02-01"), None), NothingOwed::UpToDate);
    // Per subtree: the team's leader has it, the other unit has nothing yet.
    assert_eq!(nothing_owed(&ws, d("2026-02-01"), Some(lead)), NothingOwed::UpToDate);
    assert_eq!(nothing_owed(&ws, d("2026-02-01"), Some(quiet)), NothingOwed::NoCommitments);
    // A logged decision is something that can be owed (its review).
    b.decision(quiet, ARCH, "2025-12-01", Outcome::Good, &[quiet]);
    let ws = built(&b);
    assert_eq!(nothing_owed(&ws, d(AS_OF), Some(quiet)), NothingOwed::UpToDate);
    assert_eq!(nothing_owed(&ws, d("2025-11-30"), Some(quiet)), NothingOwed::NoCommitments);
}

/// A workshop's agreed actions are owed from their due day until marked done, and are on
/// the calendar before that; one that became a commitment is followed as the commitment.
#[test]
fn workshop_actions_are_owed_until_done_and_on_the_calendar_before() {
    let o = org();
    let mut ws = o.ws.clone();
    let name = |t: &str| Name::new(t).unwrap();
    let run = |ws: &mut Workspace, c: Command| apply(ws, &c).unwrap_or_else(|e| panic!("{c:?}: {e}"));
    let id = run(&mut ws, Command::StartWorkshop { date: d("2025-12-01"), title: Some(name("Q4 review")) }).workshops.added[0];
    run(&mut ws, Command::SetWorkshopScope { workshop: id, units: vec![o.team], areas: vec![] });
    let action = |text: &str, due: &str, commitment: Option<Category>| ActionInput { text: name(text), owner: name("Bo"), due: Some(d(due)), commitment };
    run(
        &mut ws,
        Command::AgreeActions {
            workshop: id,
            unit: o.team,
            verdict: Verdict::Hold,
            reviewer: Some(o.lead),
            note: String::new(),
            actions: vec![action("Write the release checklist", "2025-12-20", None), action("Brief the board", "2026-02-01", None), action("Ship the metrics", "2025-12-15", Some(Category::Activity))],
        },
    );
    let actions = |ws: &Workspace, as_of: &str, root: Option<UnitId>| todo(ws, &ws.policy, d(as_of), root).into_iter().filter(|i| i.kind == TodoKind::Action).collect::<Vec<_>>();
    let owed = actions(&ws, AS_OF, None);
    assert_eq!(owed.len(), 1, "{owed:?}");
    let item = &owed[0];
    assert_eq!((item.unit, item.since, item.days, item.workshop, item.action), (o.team, d("2025-12-20"), 15, Some(id), Some(0)));
    assert!(item.text.contains("Bo") && item.text.contains("Write the release checklist") && item.text.contains("Checkout team") && item.text.contains("Q4 review"), "{}", item.text);
    assert!(actions(&ws, "2025-12-19", None).is_empty(), "not owed before its due day");
    assert_eq!(item.owed_for(), "since 2025-12-20 (15 days)");
    assert_eq!(actions(&ws, "2025-12-21", None)[0].owed_for(), "since 2025-12-20 (1 day)");
    assert_eq!(actions(&ws, "2025-12-20", None)[0].owed_for(), "since 2025-12-20 (today)");
    assert_eq!(actions(&ws, AS_OF, Some(o.lead)).len(), 1, "in the leader's subtree");
    assert!(actions(&ws, AS_OF, Some(o.other)).is_empty(), "not in another subtree");
    // The one ahead is on the calendar on its due day.
    use icalendar::Component;
    let calendar: icalendar::Calendar = calendar_file(&ws, &ws.policy, d(AS_OF), None, d(AS_OF)).parse().unwrap();
    let ahead = calendar.components.iter().filter_map(|c| c.as_event()).find(|e| e.get_summary().is_some_and(|s| s.contains("Brief the board"))).expect("the action ahead is an event");
    assert_eq!(ahead.property_value("DTSTART"), Some("20260201"));

    // Marked done, after the workshop has finished: owed no more from that day on.
    run(&mut ws, Command::FinishWorkshop { workshop: id, now_ms: 0 });
    let done = run(&mut ws, Command::CompleteAction { workshop: id, unit: o.team, action: 0, done: Some(d("2026-01-03")) });
    assert_eq!(done.summary, "Marked \u{201c}Write the release checklist\u{201d} done on 2026-01-03");
    assert!(actions(&ws, AS_OF, None).is_empty());
    assert_eq!(actions(&ws, "2026-01-02", None).len(), 1, "still owed before the day it was done");
    // Refused: no such action, a day before the workshop's; undone, it is owed again.
    for (bad, field) in [
        (Command::CompleteAction { workshop: id, unit: o.team, action: 7, done: Some(d(AS_OF)) }, "action"),
        (Command::CompleteAction { workshop: id, unit: o.other, action: 0, done: Some(d(AS_OF)) }, "unit"),
        (Command::CompleteAction { workshop: id, unit: o.team, action: 0, done: Some(d("2025-11-30")) }, "done"),
    ] {
        let mut copy = ws.clone();
        let e = apply(&mut copy, &bad).expect_err("refused");
        assert_eq!(e.field(), field, "{e}");
        assert_eq!(copy, ws);
    }
    run(&mut ws, Command::CompleteAction { workshop: id, unit: o.team, action: 0, done: None });
    assert_eq!(actions(&ws, AS_OF, None).len(), 1);
}

/// A commitment that fell due owes its final reading from its due day, though its rhythm
/// is kept: the item says so rather than quoting the rhythm.
#[test]
fn a_check_in_owed_by_the_due_day_says_so() {
    let mut b = Builder::new();
    let team = b.unit("Mobile team", None);
    let c = b.commitment(team, "App quality", Category::SystemPerformance, "2025-11-01", "2025-12-30", 14);
    b.edit(c, |c| {
        c.record_checkin(CheckIn { date: d("2025-12-25"), value: Finite::new(3.0, "v").unwrap(), confidence: None, note: String::new(), evidence: String::new(), recorded_by: None });
    });
    let ws = b.build();
    let items = todo(&ws, &ws.policy, d(AS_OF), None);
    let item = items.iter().find(|i| i.kind == TodoKind::CheckIn && i.commitment == Some(c)).expect("the final reading is owed");
    assert_eq!(item.since, d("2025-12-30"));
    assert_eq!(item.text, "Mobile team: check in on \u{201c}App quality\u{201d} (it fell due on 2025-12-30 and has no reading since; last on 2025-12-25)");
    assert_eq!(item.owed_for(), "since 2025-12-30 (5 days)");
}

/// A workspace whose only records are a workshop's agreed actions, all done, is up to
/// date: it is not told that nothing can fall due.
#[test]
fn agreed_actions_alone_are_something_that_can_be_owed() {
    let mut b = Builder::new();
    let team = b.unit("Platform team", None);
    let mut ws = b.build();
    let name = |t: &str| Name::new(t).unwrap();
    let id = apply(&mut ws, &Command::StartWorkshop { date: d("2025-12-01"), title: None }).unwrap().workshops.added[0];
    let action = ActionInput { text: name("Write the runbook"), owner: name("Bo"), due: Some(d("2025-12-10")), commitment: None };
    apply(&mut ws, &Command::AgreeActions { workshop: id, unit: team, verdict: Verdict::Hold, reviewer: None, note: String::new(), actions: vec![action] }).unwrap();
    let owed = todo(&ws, &ws.policy, d(AS_OF), None);
    assert_eq!(owed.len(), 1);
    // Titled with its day by default: the day is said once.
    assert_eq!(owed[0].text, "Bo: \u{201c}Write the runbook\u{201d} for Platform team (agreed in Workshop of 2025-12-01)");
    apply(&mut ws, &Command::CompleteAction { workshop: id, unit: team, action: 0, done: Some(d("2025-12-09")) }).unwrap();
    assert!(todo(&ws, &ws.policy, d(AS_OF), None).is_empty());
    assert_eq!(nothing_owed(&ws, d(AS_OF), None), NothingOwed::UpToDate);
}
