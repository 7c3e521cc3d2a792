//! Every edit as a core command: each one applied and each refusal, through one `check()`
//! helper that also holds every command to its promises (a refusal changes nothing; an
//! applied command leaves a valid workspace and names exactly the records it changed);
//! and a property test that any sequence of commands keeps the workspace valid and that
//! undoing each, the way the app's history does, gives back the version before exactly.

mod common;

use std::collections::BTreeMap;

use common::*;
use latitude::core::command::apply_all;
use latitude::core::*;
use proptest::prelude::*;
use time::Date;

/// The organisation every case starts from: a board, the Checkout team reporting to it,
/// Ana reporting to Checkout, one commitment with two check-ins and one open decision.
struct Org {
    ws: Workspace,
    board: UnitId,
    checkout: UnitId,
    ana: UnitId,
    conversion: CommitmentId,
    decision: DecisionId,
}

fn org() -> Org {
    let mut b = Builder::new();
    let board = b.board;
    let checkout = b.unit("Checkout", Some(board));
    let ana = b.unit("Ana", Some(checkout));
    b.grant(checkout, ARCH, "2026-01-05", 2, 4);
    let conversion = b.commitment(checkout, "Checkout conversion", Category::CustomerValue, "2026-01-01", "2026-06-30", 7);
    b.edit(conversion, |c| {
        for (date, value) in [("2026-01-08", 10.0), ("2026-01-15", 20.0)] {
            c.record_checkin(checkin(date, value));
        }
    });
    let decision = b.decision(ana, HIRING, "2026-02-01", Outcome::Good, &[ana]);
    let mut ws = b.build();
    // The decision is still open: its review is what the cases record.
    let d = ws.decisions.iter_mut().find(|d| d.id == decision).unwrap();
    d.outcome = None;
    d.accountable.clear();
    ws.pulses.push(Pulse { unit: ana, date: d_("2026-02-01"), score: PulseScore::new(3.0).unwrap() });
    Org { ws, board, checkout, ana, conversion, decision }
}

fn d_(text: &str) -> Date {
    d(text)
}

fn name(text: &str) -> Name {
    Name::new(text).unwrap()
}

fn checkin(date: &str, value: f64) -> CheckIn {
    CheckIn::new(d(date), Finite::new(value, "value").unwrap())
}

/// Applies `command` to a copy of `ws` and holds it to its promises; returns the new
/// version and the change, or the refusal.
fn check(ws: &Workspace, command: &Command) -> Result<(Workspace, Change), CommandError> {
    let before = ws.clone();
    let frozen = serde_json::to_string(&before).unwrap();
    let mut after = before.clone();
    let result = apply(&mut after, command);
    // The version kept for undo shares lists with the edited one: it must not have moved.
    assert_eq!(serde_json::to_string(&before).unwrap(), frozen, "{command:?} changed the version kept for undo");
    match result {
        Err(e) => {
            assert_eq!(after, before, "a refused {command:?} changed the workspace");
            Err(e)
        }
        Ok(change) => {
            after.validate().unwrap_or_else(|e| panic!("{command:?} left an invalid workspace: {e:?}"));
            assert!(!change.summary.is_empty(), "{command:?} has no summary");
            if !change.replaced {
                assert_eq!(normalised(&change), diff(&before, &after), "{command:?}: the change does not name what changed");
            }
            // Commands travel as data: they read back as the same command.
            let json = serde_json::to_string(command).unwrap();
            assert_eq!(&serde_json::from_str::<Command>(&json).unwrap(), command);
            Ok((after, change))
        }
    }
}

/// A change's record lists as sorted sets, without the summary.
fn normalised(change: &Change) -> Change {
    fn sets<K: Ord + Clone>(e: &Edits<K>) -> Edits<K> {
        let set = |v: &Vec<K>| {
            let mut v = v.clone();
            v.sort();
            v.dedup();
            v
        };
        Edits { added: set(&e.added), edited: set(&e.edited), removed: set(&e.removed) }
    }
    Change {
        summary: String::new(),
        replaced: change.replaced,
        name: change.name,
        policy: change.policy,
        units: sets(&change.units),
        areas: sets(&change.areas),
        grants: sets(&change.grants),
        commitments: sets(&change.commitments),
        checkins: sets(&change.checkins),
        decisions: sets(&change.decisions),
        reviews: sets(&change.reviews),
        pulses: sets(&change.pulses),
        workshops: sets(&change.workshops),
    }
}

/// What differs between two versions, record by record, found by comparing them: the
/// oracle every command's own `Change` is checked against.
fn diff(before: &Workspace, after: &Workspace) -> Change {
    fn by_key<K: Ord + Clone, T: PartialEq + Clone>(before: &[T], after: &[T], key: impl Fn(&T) -> K) -> Edits<K> {
        let group = |list: &[T]| {
            let mut m: BTreeMap<K, Vec<T>> = BTreeMap::new();
            for r in list {
                m.entry(key(r)).or_default().push(r.clone());
            }
            m
        };
        let (b, a) = (group(before), group(after));
        let mut e = Edits::default();
        for (k, then) in &b {
            match a.get(k) {
                None => e.removed.push(k.clone()),
                Some(now) if now.len() < then.len() => e.removed.push(k.clone()),
                Some(now) if now.len() > then.len() => e.added.push(k.clone()),
                Some(now) if now != then => e.edited.push(k.clone()),
                _ => {}
            }
        }
        e.added.extend(a.keys().filter(|k| !b.contains_key(k)).cloned());
        e.added.sort();
        e
    }
    let mut change = Change {
        name: before.name != after.name,
        policy: before.policy != after.policy,
        units: by_key(&before.units, &after.units, |u| u.id),
        areas: by_key(&before.areas, &after.areas, |a| a.id),
        grants: by_key(&before.grants, &after.grants, |g| GrantKey { unit: g.unit, area: g.area, date: g.date }),
        commitments: by_key(
            &before.commitments.iter().map(Commitment::fields).zip(before.commitments.iter().map(|c| c.id)).map(|(f, id)| (id, f)).collect::<Vec<_>>(),
            &after.commitments.iter().map(|c| (c.id, c.fields())).collect::<Vec<_>>(),
            |(id, _)| *id,
        ),
        decisions: by_key(&before.decisions, &after.decisions, |d| d.id),
        reviews: by_key(&before.reviews, &after.reviews, |r| DatedKey { unit: r.unit, date: r.date }),
        pulses: by_key(&before.pulses, &after.pulses, |p| DatedKey { unit: p.unit, date: p.date }),
        workshops: by_key(&before.workshops, &after.workshops, |s| s.id),
        ..Change::default()
    };
    for c in after.commitments.iter() {
        if let Some(old) = before.commitment(c.id) {
            let e = by_key(old.checkins(), c.checkins(), |k| CheckInKey { commitment: c.id, date: k.date });
            change.checkins.added.extend(e.added);
            change.checkins.edited.extend(e.edited);
            change.checkins.removed.extend(e.removed);
        }
    }
    normalised(&change)
}

// ---------------------------------------------------------------------------------------
// Each command applied.

/// What a case checks in the new version, beyond what `check` checks for every command.
type Then<'a> = Box<dyn Fn(&Workspace, &Change) + 'a>;

#[test]
fn every_command_applies_and_says_what_it_changed() {
    let o = org();
    let fields = |title: &str| CommitmentFields {
        baseline: Some(Finite::new(0.0, "b").unwrap()),
        target: Some(Finite::new(5.0, "t").unwrap()),
        due: Some(d("2026-09-30")),
        reviewer: Some(o.board),
        ..CommitmentFields::new(o.checkout, name(title), Category::Revenue, d("2026-03-01"))
    };
    let mut policy = o.ws.policy.clone();
    policy.decision_review_days = 30;
    let mut other = Workspace::new(name("Other org"));
    other.units.push(Unit { id: UnitId(1), name: name("Solo"), kind: UnitKind::Person, parent: None, role: String::new() });
    #[rustfmt::skip]
    let cases: Vec<(Command, &str, Then)> = vec![
        (Command::AddUnit { name: name("Bruno"), kind: UnitKind::Person, parent: Some(o.checkout), role: " Engineer ".into() }, "Added Bruno",
            Box::new(|w, c| { let u = w.unit(c.units.added[0]).unwrap(); assert_eq!((u.id, u.role.as_str(), u.parent), (UnitId(4), "Engineer", Some(o.checkout))); })),
        (Command::EditUnit { unit: o.ana, name: name("Ana Silva"), kind: UnitKind::Person, parent: Some(o.board), role: "Lead".into() }, "Renamed Ana to Ana Silva",
            Box::new(|w, _| { let u = w.unit(o.ana).unwrap(); assert_eq!((u.kind, u.parent, u.role.as_str()), (UnitKind::Person, Some(o.board), "Lead")); })),
        (Command::MoveUnit { unit: o.ana, parent: None }, "Ana now reports to no one",
            Box::new(|w, _| assert_eq!(w.unit(o.ana).unwrap().parent, None))),
        (Command::RemoveUnit { unit: o.checkout }, "Deleted Checkout",
            Box::new(|w, c| {
                assert_eq!(w.unit(o.ana).unwrap().parent, Some(o.board), "reports move up");
                assert!(w.commitments.is_empty() && c.commitments.removed == vec![o.conversion]);
                assert_eq!(w.next_unit_id(), UnitId(4), "the removed id is not given again");
            })),
        (Command::AddArea { name: name("Vendors") }, "Added the decision area Vendors",
            Box::new(|w, c| assert_eq!(w.area(c.areas.added[0]).unwrap().name.as_str(), "Vendors"))),
        (Command::RenameArea { area: AreaId(1), name: name("Tech choices") }, "Renamed the decision area Architecture to Tech choices",
            Box::new(|w, _| assert_eq!(w.area_name(AreaId(1)), "Tech choices"))),
        (Command::Grant { unit: o.ana, area: AreaRef::Existing(AreaId(2)), date: d("2026-02-02"), rung: Rung::new(3).unwrap(), level: Level::new(5).unwrap(), granted_by: Some(o.checkout), reason: "Delivered".into() },
            "Granted Ana Advise at scope System in Hiring from 2026-02-02",
            Box::new(|w, _| assert_eq!(w.grants.iter().filter(|g| g.unit == o.ana).count(), 1))),
        (Command::Grant { unit: o.ana, area: AreaRef::New(name("Vendors")), date: d("2026-02-02"), rung: Rung::new(1).unwrap(), level: Level::new(2).unwrap(), granted_by: None, reason: "Delivered".into() },
            "Granted Ana Sell at scope Task in Vendors from 2026-02-02",
            Box::new(|w, c| { assert_eq!(c.areas.added.len(), 1); assert_eq!(w.areas.len(), 5); })),
        (Command::Grant { unit: o.checkout, area: AreaRef::New(name("architecture")), date: d("2026-01-05"), rung: Rung::new(3).unwrap(), level: Level::new(5).unwrap(), granted_by: Some(o.board), reason: "Delivered".into() },
            "Granted Checkout Advise at scope System in Architecture from 2026-01-05",
            Box::new(|w, c| {
                assert!(c.areas.is_empty(), "an area of that name exists");
                let same_day: Vec<u8> = w.grants.iter().filter(|g| g.unit == o.checkout).map(|g| g.level.get()).collect();
                assert_eq!(same_day, vec![4, 5], "history kept, the new grant after the old");
            })),
        (Command::AddCommitment { fields: fields("Upsell revenue") }, "Added the commitment Upsell revenue",
            Box::new(|w, c| { let k = w.commitment(c.commitments.added[0]).unwrap(); assert_eq!((k.id, k.checkins().len()), (CommitmentId(2), 0)); })),
        (Command::EditCommitment { commitment: o.conversion, fields: CommitmentFields { measure: "%".into(), cadence_days: Some(14), ..o.ws.commitment(o.conversion).unwrap().fields() } }, "Edited the commitment Checkout conversion",
            Box::new(|w, _| { let k = w.commitment(o.conversion).unwrap(); assert_eq!((k.cadence_days, k.checkins().len()), (Some(14), 2), "check-ins stay"); })),
        (Command::CloseCommitment { commitment: o.conversion, date: d("2026-03-31") }, "Closed Checkout conversion on 2026-03-31",
            Box::new(|w, _| assert_eq!(w.commitment(o.conversion).unwrap().due, Some(d("2026-03-31"))))),
        (Command::RecordCheckIn { commitment: o.conversion, checkin: checkin("2026-01-12", 15.0) }, "Recorded check-in for Checkout conversion on 2026-01-12",
            Box::new(|w, c| {
                let dates: Vec<Date> = w.commitment(o.conversion).unwrap().checkins().iter().map(|k| k.date).collect();
                assert_eq!(dates, vec![d("2026-01-08"), d("2026-01-12"), d("2026-01-15")], "in date order");
                assert_eq!(c.checkins.added, vec![CheckInKey { commitment: o.conversion, date: d("2026-01-12") }]);
            })),
        (Command::RecordCheckIn { commitment: o.conversion, checkin: checkin("2026-01-15", 25.0) }, "Recorded check-in for Checkout conversion on 2026-01-15",
            Box::new(|w, c| {
                let k = w.commitment(o.conversion).unwrap().checkins();
                assert_eq!((k.len(), k[1].value.get()), (2, 25.0), "a second check-in on a day is an edit");
                assert_eq!(c.checkins.edited.len(), 1);
            })),
        (Command::EditCheckIn { commitment: o.conversion, date: d("2026-01-08"), checkin: CheckIn { note: "typo fixed".into(), ..checkin("2026-01-09", 11.0) } }, "Edited the check-in of Checkout conversion on 2026-01-09",
            Box::new(|w, _| { let k = w.commitment(o.conversion).unwrap().checkins(); assert_eq!((k[0].date, k[0].note.as_str()), (d("2026-01-09"), "typo fixed")); })),
        (Command::DeleteCheckIn { commitment: o.conversion, date: d("2026-01-08") }, "Deleted the check-in of Checkout conversion on 2026-01-08",
            Box::new(|w, _| assert_eq!(w.commitment(o.conversion).unwrap().checkins().len(), 1))),
        (Command::ImportCheckIns { rows: vec![CheckInRow { commitment: o.conversion, checkin: checkin("2026-01-22", 30.0) }, CheckInRow { commitment: o.conversion, checkin: checkin("2026-01-15", 21.0) }] }, "Imported 2 check-ins",
            Box::new(|w, c| { assert_eq!(w.commitment(o.conversion).unwrap().checkins().len(), 3); assert_eq!((c.checkins.added.len(), c.checkins.edited.len()), (1, 1)); })),
        (Command::LogDecision { unit: o.ana, area: AreaId(1), date: d("2026-03-01"), title: name("Adopt the new payment provider"), expected: "Fewer failed payments".into(), review_date: None },
            "Logged the decision Adopt the new payment provider, review due 2026-05-30",
            Box::new(|w, c| assert_eq!(w.decisions.iter().find(|x| x.id == c.decisions.added[0]).unwrap().review_date, Some(d("2026-05-30"))))),
        (Command::ReviewDecision { decision: o.decision, outcome: Outcome::Bad, accountable: vec![o.ana, o.checkout, o.ana], date: d("2026-05-01") }, "Reviewed Decision 1: bad",
            Box::new(|w, _| { let x = w.decisions.iter().find(|x| x.id == o.decision).unwrap(); assert_eq!((x.outcome, x.accountable.clone(), x.review_date), (Some(Outcome::Bad), vec![o.ana, o.checkout], Some(d("2026-05-01")))); })),
        (Command::RecordReview { unit: o.checkout, date: d("2026-04-01"), reviewer: Some(o.board), verdict: Verdict::Expand, note: "Four good quarters".into() }, "Recorded a review of Checkout: expand on 2026-04-01",
            Box::new(|w, _| assert_eq!(w.reviews.len(), 1))),
        (Command::AddPulse { unit: o.ana, date: d("2026-02-01"), score: PulseScore::new(4.5).unwrap() }, "Recorded a pulse of 4.5 for Ana on 2026-02-01",
            Box::new(|w, c| { assert_eq!(w.pulses.len(), 1, "one pulse per unit and day"); assert_eq!(c.pulses.edited.len(), 1); })),
        (Command::AddPulse { unit: o.checkout, date: d("2026-02-01"), score: PulseScore::new(2.0).unwrap() }, "Recorded a pulse of 2 for Checkout on 2026-02-01",
            Box::new(|w, _| assert_eq!(w.pulses.len(), 2))),
        (Command::SetPolicy { policy: Box::new(policy.clone()) }, "Changed the scoring policy",
            Box::new(|w, c| { assert!(c.policy); assert_eq!(w.policy.decision_review_days, 30); })),
        (Command::RenameWorkspace { name: name("Acme") }, "Renamed the workspace to Acme",
            Box::new(|w, c| { assert!(c.name); assert_eq!(w.name.as_str(), "Acme"); })),
        (Command::ReplaceWorkspace { workspace: Box::new(other.clone()) }, "Opened Other org in place of Scenario",
            Box::new(|w, c| { assert!(c.replaced); assert_eq!(w.name.as_str(), "Other org"); })),
    ];
    for (command, summary, then) in cases {
        let (after, change) = check(&o.ws, &command).unwrap_or_else(|e| panic!("{command:?} refused: {e}"));
        assert_eq!(change.summary, summary);
        assert!(!change.is_empty(), "{command:?} changed nothing");
        then(&after, &change);
    }
}

#[test]
fn a_command_that_sets_what_is_there_changes_nothing() {
    let o = org();
    let unit = o.ws.unit(o.ana).unwrap().clone();
    for command in [
        Command::EditUnit { unit: o.ana, name: unit.name.clone(), kind: unit.kind, parent: unit.parent, role: unit.role.clone() },
        Command::RecordCheckIn { commitment: o.conversion, checkin: checkin("2026-01-08", 10.0) },
        Command::RenameWorkspace { name: o.ws.name.clone() },
        Command::SetPolicy { policy: Box::new(o.ws.policy.clone()) },
    ] {
        let (after, change) = check(&o.ws, &command).unwrap();
        assert!(change.is_empty(), "{command:?}: {change:?}");
        assert_eq!(after, o.ws);
    }
}

// ---------------------------------------------------------------------------------------
// Each refusal.

#[test]
fn every_refusal_names_its_field_and_changes_nothing() {
    let o = org();
    let long = "x".repeat(MAX + 1);
    const MAX: usize = latitude::core::command::MAX_TEXT_CHARS;
    let c = o.ws.commitment(o.conversion).unwrap().fields();
    let mut bad_policy = o.ws.policy.clone();
    bad_policy.grace_days = 400;
    let mut broken = o.ws.clone();
    broken.units.push(Unit { id: UnitId(99), name: name("Orphan"), kind: UnitKind::Team, parent: Some(UnitId(500)), role: String::new() });
    #[rustfmt::skip]
    let cases: Vec<(Command, &str, &str)> = vec![
        (Command::AddUnit { name: name("X"), kind: UnitKind::Team, parent: Some(UnitId(42)), role: String::new() }, "parent", "no unit with id 42"),
        (Command::AddUnit { name: name("X"), kind: UnitKind::Team, parent: None, role: "r".repeat(121) }, "role", "at most 120 characters"),
        (Command::EditUnit { unit: UnitId(42), name: name("X"), kind: UnitKind::Team, parent: None, role: String::new() }, "unit", "no unit with id 42"),
        (Command::EditUnit { unit: o.board, name: name("Board"), kind: UnitKind::Team, parent: Some(o.ana), role: String::new() }, "parent", "cannot lead itself"),
        (Command::AddUnit { name: name(" checkout "), kind: UnitKind::Team, parent: None, role: String::new() }, "name", "another unit is already called Checkout"),
        (Command::EditUnit { unit: o.ana, name: name("BOARD"), kind: UnitKind::Person, parent: Some(o.checkout), role: String::new() }, "name", "another unit is already called Board"),
        (Command::MoveUnit { unit: o.ana, parent: Some(o.ana) }, "parent", "cannot lead itself"),
        (Command::MoveUnit { unit: o.checkout, parent: Some(o.ana) }, "parent", "cannot lead itself"),
        (Command::RemoveUnit { unit: UnitId(42) }, "unit", "no unit with id 42"),
        (Command::AddArea { name: name("hiring") }, "name", "already called hiring"),
        (Command::RenameArea { area: AreaId(1), name: name("Budget") }, "name", "already called Budget"),
        (Command::RenameArea { area: AreaId(9), name: name("Budget") }, "area", "no decision area with id 9"),
        (Command::Grant { unit: UnitId(42), area: AreaRef::Existing(AreaId(1)), date: d("2026-01-01"), rung: Rung::new(1).unwrap(), level: Level::new(1).unwrap(), granted_by: None, reason: "Delivered".into() }, "unit", "no unit with id 42"),
        (Command::Grant { unit: o.ana, area: AreaRef::Existing(AreaId(9)), date: d("2026-01-01"), rung: Rung::new(1).unwrap(), level: Level::new(1).unwrap(), granted_by: None, reason: "Delivered".into() }, "area", "no decision area with id 9"),
        (Command::Grant { unit: o.ana, area: AreaRef::Existing(AreaId(1)), date: d("2026-01-01"), rung: Rung::new(1).unwrap(), level: Level::new(1).unwrap(), granted_by: Some(o.ana), reason: "Delivered".into() }, "granted by", "cannot grant autonomy to itself"),
        (Command::Grant { unit: o.ana, area: AreaRef::New(name("Vendors")), date: d("2026-01-01"), rung: Rung::new(1).unwrap(), level: Level::new(1).unwrap(), granted_by: Some(UnitId(42)), reason: "Delivered".into() }, "granted by", "no unit with id 42"),
        (Command::Grant { unit: o.ana, area: AreaRef::New(name("Vendors")), date: d("2026-01-01"), rung: Rung::new(1).unwrap(), level: Level::new(1).unwrap(), granted_by: None, reason: long.clone() }, "reason", "at most 2000 characters"),
        (Command::Grant { unit: o.ana, area: AreaRef::Existing(AreaId(1)), date: d("2026-01-01"), rung: Rung::new(1).unwrap(), level: Level::new(1).unwrap(), granted_by: None, reason: "  ".into() }, "reason", "must not be empty: say why"),
        (Command::AddCommitment { fields: CommitmentFields { owner: UnitId(42), ..c.clone() } }, "owner", "no unit with id 42"),
        (Command::AddCommitment { fields: CommitmentFields { reviewer: Some(o.checkout), ..c.clone() } }, "reviewer", "someone other than the owner"),
        (Command::AddCommitment { fields: CommitmentFields { reviewer: Some(UnitId(42)), ..c.clone() } }, "reviewer", "no unit with id 42"),
        (Command::AddCommitment { fields: CommitmentFields { target: c.baseline, ..c.clone() } }, "target", "equals the baseline"),
        (Command::AddCommitment { fields: CommitmentFields { direction: Direction::Lower, ..c.clone() } }, "target", "wrong side of the baseline"),
        (Command::AddCommitment { fields: CommitmentFields { due: Some(d("2025-12-31")), ..c.clone() } }, "due", "before the start date"),
        (Command::AddCommitment { fields: CommitmentFields { cadence_days: Some(0), ..c.clone() } }, "cadence", "between 1 and 65535"),
        (Command::AddCommitment { fields: CommitmentFields { measure: "m".repeat(121), ..c.clone() } }, "measure", "at most 120 characters"),
        (Command::EditCommitment { commitment: CommitmentId(42), fields: c.clone() }, "commitment", "no commitment with id 42"),
        (Command::EditCommitment { commitment: o.conversion, fields: CommitmentFields { reviewer: Some(o.checkout), ..c.clone() } }, "reviewer", "someone other than the owner"),
        (Command::CloseCommitment { commitment: o.conversion, date: d("2025-12-31") }, "date", "starts on 2026-01-01"),
        (Command::CloseCommitment { commitment: o.conversion, date: d("2026-07-01") }, "date", "already due on 2026-06-30"),
        (Command::RecordCheckIn { commitment: CommitmentId(42), checkin: checkin("2026-01-12", 1.0) }, "commitment", "no commitment with id 42"),
        (Command::RecordCheckIn { commitment: o.conversion, checkin: CheckIn { recorded_by: Some(UnitId(42)), ..checkin("2026-01-12", 1.0) } }, "recorded by", "no unit with id 42"),
        (Command::RecordCheckIn { commitment: o.conversion, checkin: CheckIn { evidence: long.clone(), ..checkin("2026-01-12", 1.0) } }, "evidence", "at most 2000 characters"),
        (Command::EditCheckIn { commitment: o.conversion, date: d("2026-01-09"), checkin: checkin("2026-01-09", 1.0) }, "date", "no check-in on 2026-01-09"),
        (Command::EditCheckIn { commitment: o.conversion, date: d("2026-01-08"), checkin: checkin("2026-01-15", 1.0) }, "date", "already has a check-in on 2026-01-15"),
        (Command::DeleteCheckIn { commitment: o.conversion, date: d("2026-01-09") }, "date", "no check-in on 2026-01-09"),
        (Command::ImportCheckIns { rows: vec![CheckInRow { commitment: o.conversion, checkin: checkin("2026-02-01", 1.0) }, CheckInRow { commitment: CommitmentId(42), checkin: checkin("2026-02-01", 1.0) }] }, "commitment", "no commitment with id 42"),
        (Command::ImportCheckIns { rows: vec![CheckInRow { commitment: o.conversion, checkin: checkin("2026-02-01", 1.0) }, CheckInRow { commitment: o.conversion, checkin: checkin("2026-02-01", 2.0) }] }, "date", "two values for Checkout conversion on 2026-02-01"),
        (Command::LogDecision { unit: UnitId(42), area: AreaId(1), date: d("2026-03-01"), title: name("D"), expected: String::new(), review_date: None }, "decided by", "no unit with id 42"),
        (Command::LogDecision { unit: o.ana, area: AreaId(9), date: d("2026-03-01"), title: name("D"), expected: String::new(), review_date: None }, "area", "no decision area with id 9"),
        (Command::LogDecision { unit: o.ana, area: AreaId(1), date: d("2026-03-01"), title: name("D"), expected: String::new(), review_date: Some(d("2026-02-01")) }, "review date", "before the decision"),
        (Command::LogDecision { unit: o.ana, area: AreaId(1), date: d("2026-03-01"), title: name("D"), expected: long.clone(), review_date: None }, "expected outcome", "at most 2000"),
        (Command::ReviewDecision { decision: DecisionId(42), outcome: Outcome::Good, accountable: vec![], date: d("2026-05-01") }, "decision", "no decision with id 42"),
        (Command::ReviewDecision { decision: o.decision, outcome: Outcome::Good, accountable: vec![UnitId(42)], date: d("2026-05-01") }, "accountable", "no unit with id 42"),
        (Command::ReviewDecision { decision: o.decision, outcome: Outcome::Good, accountable: vec![o.ana], date: d("2026-01-01") }, "review date", "before the decision was made, 2026-02-01"),
        (Command::RecordReview { unit: o.ana, date: d("2026-04-01"), reviewer: Some(o.ana), verdict: Verdict::Hold, note: String::new() }, "reviewer", "someone other than Ana"),
        (Command::RecordReview { unit: o.ana, date: d("2026-04-01"), reviewer: Some(UnitId(42)), verdict: Verdict::Hold, note: String::new() }, "reviewer", "no unit with id 42"),
        (Command::RecordReview { unit: UnitId(42), date: d("2026-04-01"), reviewer: None, verdict: Verdict::Hold, note: String::new() }, "unit", "no unit with id 42"),
        (Command::RecordReview { unit: o.ana, date: d("2026-04-01"), reviewer: None, verdict: Verdict::Hold, note: long.clone() }, "note", "at most 2000"),
        (Command::AddPulse { unit: UnitId(42), date: d("2026-04-01"), score: PulseScore::new(3.0).unwrap() }, "unit", "no unit with id 42"),
        (Command::SetPolicy { policy: Box::new(bad_policy) }, "policy grace days", "between 0 and 365"),
        (Command::ReplaceWorkspace { workspace: Box::new(broken) }, "workspace", "no unit with id 500"),
    ];
    for (command, field, text) in cases {
        let e = check(&o.ws, &command).expect_err(&format!("{command:?} was applied"));
        assert_eq!(e.field(), field, "{command:?}: {e}");
        assert!(e.to_string().contains(text), "{command:?}: {e:?} does not say {text:?}");
    }
}

#[test]
fn a_number_a_form_cannot_read_is_reported_on_its_field() {
    let e = parse_typed_number("1,234").map_err(|e| CommandError::number("value", e)).unwrap_err();
    assert_eq!(e.field(), "value");
    assert_eq!(e.to_string(), "value: \u{201c}1,234\u{201d} could be 1234 or 1.234: write 1234 without a separator, or 1,2340 for the decimal");
}

#[test]
fn unit_names_are_unique_on_add_and_rename_but_stored_duplicates_stay_editable() {
    let o = org();
    let mut ws = o.ws.clone();
    // A unit may change the case of its own name.
    let unit = ws.unit(o.ana).unwrap().clone();
    apply(&mut ws, &Command::EditUnit { unit: o.ana, name: name("ANA"), kind: unit.kind, parent: unit.parent, role: unit.role.clone() }).unwrap();
    assert_eq!(ws.unit_name(o.ana), "ANA");
    // Case folding is not only ASCII.
    apply(&mut ws, &Command::AddUnit { name: name("Équipe"), kind: UnitKind::Team, parent: None, role: String::new() }).unwrap();
    let before = ws.clone();
    let err = apply(&mut ws, &Command::AddUnit { name: name("ÉQUIPE"), kind: UnitKind::Team, parent: None, role: String::new() }).unwrap_err();
    assert_eq!((err.field(), err.to_string().as_str()), ("name", "name: another unit is already called Équipe"));
    assert_eq!(ws, before);
    // Spaces between words count as one: "Équipe  Nord" reads as "Équipe Nord".
    apply(&mut ws, &Command::AddUnit { name: name("Équipe Nord"), kind: UnitKind::Team, parent: None, role: String::new() }).unwrap();
    let before = ws.clone();
    let err = apply(&mut ws, &Command::AddUnit { name: name("équipe   nord"), kind: UnitKind::Team, parent: None, role: String::new() }).unwrap_err();
    assert_eq!(err.to_string(), "name: another unit is already called Équipe Nord");
    assert_eq!(ws, before);

    // A stored workspace that already holds two units of one name still opens, and either
    // can be edited without renaming it; renaming it to the other's name is still refused.
    let mut stored = o.ws.clone();
    stored.units.push(Unit { id: UnitId(90), name: name("Checkout"), kind: UnitKind::Team, parent: Some(o.board), role: String::new() });
    stored.issued.unit = 90;
    let back: Workspace = serde_json::from_str(&serde_json::to_string(&stored).unwrap()).unwrap();
    assert!(back.validate().is_ok());
    apply(&mut stored, &Command::EditUnit { unit: UnitId(90), name: name("Checkout"), kind: UnitKind::Team, parent: Some(o.board), role: "Second".into() }).unwrap();
    apply(&mut stored, &Command::MoveUnit { unit: UnitId(90), parent: None }).unwrap();
    let err = apply(&mut stored, &Command::EditUnit { unit: o.ana, name: name("checkout"), kind: UnitKind::Person, parent: Some(o.checkout), role: String::new() }).unwrap_err();
    assert_eq!(err.field(), "name");
}

/// The leaders a form offers a unit are exactly those the core accepts: never the unit
/// itself nor anyone under it; a new unit may report to anyone.
#[test]
fn the_leader_choices_are_what_a_move_accepts() {
    let generated =
        latitude::core::generate::generate(3, &latitude::core::generate::GenSpec { units: 40, years: 1, commitments_per_unit: 0, decisions_per_unit: 0, ..latitude::core::generate::GenSpec::small() });
    for ws in [org().ws, latitude::core::sample::sample_org(d("2026-11-29")), generated] {
        let everyone: Vec<UnitId> = ws.tree_order().into_iter().map(|(id, _)| id).collect();
        assert_eq!(ws.leader_choices(None).into_iter().map(|(id, _)| id).collect::<Vec<_>>(), everyone);
        let mut some_excluded = false;
        for unit in ws.units.iter() {
            let offered: Vec<UnitId> = ws.leader_choices(Some(unit.id)).into_iter().map(|(id, _)| id).collect();
            let accepted: Vec<UnitId> = everyone.iter().copied().filter(|p| apply(&mut ws.clone(), &Command::MoveUnit { unit: unit.id, parent: Some(*p) }).is_ok()).collect();
            assert_eq!(offered, accepted, "leaders offered to {}", unit.name);
            some_excluded |= offered.len() + 1 < everyone.len();
        }
        assert!(some_excluded, "some unit has reports to leave out");
    }
}

#[test]
fn ids_are_never_given_twice_even_after_a_removal() {
    let o = org();
    let mut ws = o.ws.clone();
    let add = |ws: &mut Workspace, n: &str| apply(ws, &Command::AddUnit { name: name(n), kind: UnitKind::Person, parent: None, role: String::new() }).unwrap().units.added[0];
    let first = add(&mut ws, "First");
    apply(&mut ws, &Command::RemoveUnit { unit: first }).unwrap();
    let second = add(&mut ws, "Second");
    assert_ne!(first, second);
    // Saved and loaded, the workspace still knows which ids were given.
    let back: Workspace = serde_json::from_str(&serde_json::to_string(&ws).unwrap()).unwrap();
    assert_eq!(back, ws);
    assert_eq!(back.next_unit_id(), UnitId(second.0 + 1));
}

#[test]
fn a_batch_is_applied_whole_or_not_at_all() {
    let o = org();
    let mut ws = o.ws.clone();
    let good = Command::RenameWorkspace { name: name("Acme") };
    let bad = Command::RemoveUnit { unit: UnitId(42) };
    assert!(apply_all(&mut ws, &[good.clone(), bad]).is_err());
    assert_eq!(ws, o.ws);
    assert_eq!(apply_all(&mut ws, &[good]).unwrap().len(), 1);
}

#[test]
fn the_incremental_rescore_reads_the_change() {
    let o = org();
    let as_of = d("2026-03-01");
    let prev = score(&o.ws, &o.ws.policy, as_of);
    for command in [
        Command::RecordCheckIn { commitment: o.conversion, checkin: checkin("2026-02-20", 60.0) },
        Command::DeleteCheckIn { commitment: o.conversion, date: d("2026-01-15") },
        Command::Grant {
            unit: o.ana,
            area: AreaRef::Existing(AreaId(1)),
            date: d("2026-02-02"),
            rung: Rung::new(3).unwrap(),
            level: Level::new(5).unwrap(),
            granted_by: None,
            reason: "Delivered".into(),
        },
    ] {
        let (after, change) = check(&o.ws, &command).unwrap();
        assert_eq!(change.checkins_only().is_some(), matches!(command, Command::RecordCheckIn { .. } | Command::DeleteCheckIn { .. }));
        assert_eq!(rescore_change(&prev, &after, &change, as_of), score(&after, &after.policy, as_of), "{command:?}");
    }
}

#[test]
fn check_ins_read_from_outside_are_sorted_and_two_on_one_day_are_refused() {
    let log = CheckInLog::from_vec(vec![checkin("2026-01-15", 2.0), checkin("2026-01-08", 1.0)]).unwrap();
    assert_eq!(log.iter().map(|k| k.value.get()).collect::<Vec<_>>(), vec![1.0, 2.0]);
    assert_eq!(CheckInLog::from_vec(vec![checkin("2026-01-08", 1.0), checkin("2026-01-08", 2.0)]).unwrap_err(), d("2026-01-08"));
    let o = org();
    let mut json = serde_json::to_value(&o.ws).unwrap();
    let list = json["commitments"][0]["checkins"].as_array_mut().unwrap();
    list.push(list[0].clone());
    let e = serde_json::from_value::<Workspace>(json).unwrap_err().to_string();
    assert!(e.contains("two check-ins on 2026-01-08; keep one per day"), "{e}");
    // Changing a check-in's day onto another's replaces that one: never two on a day.
    let mut c = o.ws.commitment(o.conversion).unwrap().clone();
    assert!(c.update_checkin(d("2026-01-08"), |k| k.date = d("2026-01-15")));
    assert_eq!(c.checkins().iter().map(|k| (k.date, k.value.get())).collect::<Vec<_>>(), vec![(d("2026-01-15"), 10.0)]);
    assert!(!c.update_checkin(d("2026-01-08"), |_| ()));
}

// ---------------------------------------------------------------------------------------
// Words from forms: one FromStr per choice, never a silent default.

#[test]
fn every_choice_reads_its_words_and_lists_them_when_refused() {
    fn check_choice<T: std::str::FromStr<Err = ChoiceError> + PartialEq + std::fmt::Debug>(cases: &[(&str, Option<T>)], accepted: &str) {
        for (text, want) in cases {
            match (text.parse::<T>(), want) {
                (Ok(got), Some(want)) => assert_eq!(&got, want, "{text:?}"),
                (Err(e), None) => assert!(e.to_string().ends_with(&format!(" one of {accepted}")), "{text:?}: {e}"),
                (got, want) => panic!("{text:?}: got {got:?}, wanted {want:?}"),
            }
        }
    }
    check_choice(&[("team", Some(UnitKind::Team)), (" Person ", Some(UnitKind::Person)), ("", None), ("group", None)], "person, team");
    check_choice(
        &[("customer_value", Some(Category::CustomerValue)), ("Customer value", Some(Category::CustomerValue)), ("system-performance", Some(Category::SystemPerformance)), ("sales", None)],
        "customer_value, revenue, system_performance, activity",
    );
    check_choice(&[("lower", Some(Direction::Lower)), ("HIGHER", Some(Direction::Higher)), ("up", None)], "higher, lower");
    check_choice(&[("private", Some(Visibility::Private)), ("public", Some(Visibility::Public)), ("secret", None)], "public, private");
    check_choice(
        &[("on track", Some(Confidence::OnTrack)), ("at-risk", Some(Confidence::AtRisk)), ("off_track", Some(Confidence::OffTrack)), ("maybe", None), ("", None)],
        "on_track, at_risk, off_track",
    );
    check_choice(&[("good", Some(Outcome::Good)), ("Mixed", Some(Outcome::Mixed)), ("bad", Some(Outcome::Bad)), ("", None), ("great", None)], "good, mixed, bad");
    check_choice(&[("expand", Some(Verdict::Expand)), ("hold", Some(Verdict::Hold)), ("contract", Some(Verdict::Contract)), ("grow", None)], "expand, hold, contract");
    check_choice(&[("3", Some(Rung::new(3).unwrap())), (" 5 ", Some(Rung::new(5).unwrap())), ("0", None), ("6", None), ("", None), ("two", None)], "1, 2, 3, 4, 5");
    check_choice(&[("7", Some(Level::new(7).unwrap())), ("1", Some(Level::new(1).unwrap())), ("8", None), ("-1", None)], "1, 2, 3, 4, 5, 6, 7");
    let e = "maybe".parse::<Confidence>().unwrap_err();
    assert_eq!(e.to_string(), "confidence: \u{201c}maybe\u{201d} is not one of on_track, at_risk, off_track");
    assert_eq!(CommandError::from(e).field(), "confidence");
    // Nothing chosen says what is missing.
    assert_eq!("".parse::<Outcome>().unwrap_err().to_string(), "outcome: choose one of good, mixed, bad");
}

// ---------------------------------------------------------------------------------------
// The property: any sequence of commands keeps the workspace valid, and undo restores.

mod ops;
use ops::{day, op, resolve};

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    #[test]
    fn any_sequence_of_commands_keeps_the_workspace_valid_and_undo_restores_each_version(ops in prop::collection::vec(op(), 1..30)) {
        let mut ws = Workspace::new(name("Property"));
        // The versions kept for undo, each with a deep copy of what it was when kept.
        let mut history: Vec<(Workspace, String)> = Vec::new();
        let as_of = day(200);
        let mut scores = score(&ws, &ws.policy, as_of);
        for op in &ops {
            let versions: Vec<Workspace> = history.iter().map(|(w, _)| w.clone()).collect();
            let Some(command) = resolve(&ws, op, &versions) else { continue };
            // `check` asserts validity, an unchanged workspace on refusal, and the change.
            if let Ok((after, change)) = check(&ws, &command) {
                scores = rescore_change(&scores, &after, &change, as_of);
                // Other changes are scored in full already; these are scored in part.
                if change.checkins_only().is_some() {
                    prop_assert_eq!(&scores, &score(&after, &after.policy, as_of));
                }
                history.push((ws.clone(), serde_json::to_string(&ws).unwrap()));
                ws = after;
            }
        }
        // Undo every step, newest first: each gives back exactly the version before it.
        while let Some((previous, frozen)) = history.pop() {
            prop_assert_eq!(serde_json::to_string(&previous).unwrap(), frozen);
            let thawed: Workspace = serde_json::from_str(&serde_json::to_string(&previous).unwrap()).unwrap();
            prop_assert_eq!(&thawed, &previous);
            ws = previous;
        }
        prop_assert_eq!(ws, Workspace::new(name("Property")));
    }
}
