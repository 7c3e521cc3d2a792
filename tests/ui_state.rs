//! The app state's plain parts, natively: undo history and the save decisions.

use latitude::core::{Name, UnitKind, Workspace};
use latitude::ui::history::History;
use latitude::ui::save_plan::{on_other_tab_write, recorded_is_stored, After, Incoming, Persistence, SavePlan, DEBOUNCE_MS, MAX_WAIT_MS};

fn ws(name: &str) -> Workspace {
    Workspace::new(Name::new(name).unwrap())
}

/// A workspace after adding `n` units, one version per unit.
fn versions(n: usize) -> Vec<Workspace> {
    let mut out = vec![ws("Org")];
    for i in 0..n {
        let mut next = out.last().unwrap().clone();
        next.add_unit(Name::new(format!("Team {i}")).unwrap(), UnitKind::Team, None, String::new()).unwrap();
        out.push(next);
    }
    out
}

/// Records every step of `v` as an edit, as `AppCtx::edit` does.
fn record(v: &[Workspace]) -> History {
    let mut h = History::default();
    for pair in v.windows(2) {
        h.push(pair[0].clone(), &pair[1]);
    }
    h
}

#[test]
fn undo_restores_each_previous_version_exactly_and_redo_replays_them() {
    let v = versions(5);
    let mut h = record(&v);
    assert_eq!(h.depth(), (5, 0));
    let mut current = v[5].clone();
    for i in (0..5).rev() {
        current = h.undo(current).expect("a step to undo");
        assert_eq!(current, v[i], "undo to version {i}");
    }
    assert!(h.undo(current.clone()).is_none(), "nothing left to undo");
    assert_eq!(h.depth(), (0, 5));
    for (i, expected) in v.iter().enumerate().skip(1) {
        current = h.redo(current).expect("a step to redo");
        assert_eq!(&current, expected, "redo to version {i}");
    }
    assert!(h.redo(current).is_none(), "nothing left to redo");
    assert_eq!(h.depth(), (5, 0));
}

#[test]
fn a_new_edit_forgets_what_could_be_redone() {
    let v = versions(3);
    let mut h = record(&v);
    let back = h.undo(v[3].clone()).unwrap();
    assert_eq!(h.depth(), (2, 1));
    let mut other = back.clone();
    other.name = Name::new("Renamed").unwrap();
    h.push(back, &other);
    assert_eq!(h.depth(), (3, 0));
    assert!(h.redo(other).is_none());
}

#[test]
fn history_keeps_at_most_its_steps_and_drops_the_oldest() {
    let v = versions(History::STEPS + 7);
    let mut h = record(&v);
    assert_eq!(h.depth(), (History::STEPS, 0));
    let mut current = v.last().unwrap().clone();
    while let Some(previous) = h.undo(current.clone()) {
        current = previous;
    }
    assert_eq!(current, v[7], "the oldest kept version is the one 50 steps back");
}

#[test]
fn clearing_forgets_every_step() {
    let v = versions(2);
    let mut h = record(&v);
    h.clear();
    assert_eq!(h.depth(), (0, 0));
    assert!(h.undo(v[2].clone()).is_none());
}

#[test]
fn edits_are_written_after_a_pause_and_never_later_than_the_maximum_wait() {
    let mut p = SavePlan::default();
    assert!(!p.is_dirty());
    assert_eq!(p.edited(1_000.0), After::WaitMs(DEBOUNCE_MS));
    assert!(p.is_dirty());
    // Typing on: each edit restarts the pause, until the oldest has waited long enough.
    assert_eq!(p.edited(1_200.0), After::WaitMs(DEBOUNCE_MS));
    assert_eq!(p.edited(1_000.0 + MAX_WAIT_MS), After::WaitMs(DEBOUNCE_MS));
    assert_eq!(p.edited(1_001.0 + MAX_WAIT_MS), After::Write);
    assert!(p.take(), "there is something to write");
    assert!(!p.is_dirty());
    assert!(!p.take(), "written once");
    // The next edit starts a new wait.
    assert_eq!(p.edited(9_000.0), After::WaitMs(DEBOUNCE_MS));
    assert_eq!(p.edited(9_000.0 + MAX_WAIT_MS), After::WaitMs(DEBOUNCE_MS));
}

#[test]
fn writes_and_edits_are_refused_where_the_data_must_stay_untouched() {
    let table = [
        (Persistence::Saved, true, true),
        (Persistence::Failed("full".into()), true, true),
        (Persistence::MemoryOnly, false, true),
        (Persistence::Conflict, false, true),
        (Persistence::ReadOnly("newer".into()), false, false),
        (Persistence::Snapshot, false, false),
    ];
    for (p, writes, edits) in table {
        assert_eq!(p.allows_writes(), writes, "{p:?} writes");
        assert_eq!(p.allows_edits(), edits, "{p:?} edits");
    }
}

#[test]
fn another_tabs_write_is_taken_live_asked_about_or_left_to_the_user() {
    // (unwritten here, already asking, their rev, our rev) → decision
    let table = [
        (false, false, 5, 4, Incoming::Take),
        (false, false, 4, 4, Incoming::Ignore),
        (true, false, 5, 4, Incoming::Ask),
        // This tab's version is not stored (unwritten, or written over at the same rev by
        // a tab that wrote at the same moment): asked, whatever the revs.
        (true, false, 4, 4, Incoming::Ask),
        // While the question is on screen, a further write never answers it.
        (true, true, 6, 4, Incoming::Ignore),
        (false, true, 6, 4, Incoming::Ignore),
    ];
    for (unwritten, conflict, theirs, ours, expected) in table {
        assert_eq!(on_other_tab_write(unwritten, conflict, theirs, ours), expected, "{unwritten} {conflict} {theirs} {ours}");
    }
}

#[test]
fn undo_and_redo_say_what_they_take_back_and_apply_again() {
    let v = versions(2);
    let mut h = History::default();
    h.push_labelled(v[0].clone(), &v[1], "Added Team 0".into());
    h.push_labelled(v[1].clone(), &v[2], "Added Team 1".into());
    assert_eq!((h.undo_label(), h.redo_label()), (Some("Added Team 1"), None));
    let back = h.undo(v[2].clone()).unwrap();
    assert_eq!((h.undo_label(), h.redo_label()), (Some("Added Team 0"), Some("Added Team 1")));
    h.redo(back).unwrap();
    assert_eq!((h.undo_label(), h.redo_label()), (Some("Added Team 1"), None));
    let mut unlabelled = History::default();
    unlabelled.push(v[0].clone(), &v[1]);
    assert_eq!(unlabelled.undo_label(), None);
}

#[test]
fn a_step_timer_is_shown_with_its_overrun_and_beeps_once() {
    use latitude::core::workshop::{Step, StepTimer};
    use latitude::ui::step_timer::{clock_text, crossed_zero};
    let t = StepTimer::new(Step::SetTheScene);
    assert_eq!(clock_text(t.remaining_ms_at(1_000_000)), "10:00", "a stopped timer does not run");
    let run = StepTimer { running_since: Some(1_000_000), ..t };
    // Read at any later time (after a reload), the time left is computed from the start.
    assert_eq!(clock_text(run.remaining_ms_at(1_000_000 + 90_500)), "08:30");
    assert_eq!(clock_text(run.remaining_ms_at(1_000_000 + 680_000)), "+1:20");
    assert_eq!(clock_text(0), "00:00");
    assert_eq!(clock_text(-999), "+0:00");
    assert!(crossed_zero(&run, 1_000_000 + 599_000, 1_000_000 + 600_500));
    assert!(!crossed_zero(&run, 1_000_000 + 600_500, 1_000_000 + 601_000), "the beep sounds once");
    assert!(!crossed_zero(&t, 0, 10_000_000), "a paused timer makes no sound");
}

#[test]
fn a_step_budget_is_typed_as_minutes_or_minutes_and_seconds() {
    use latitude::ui::step_timer::parse_budget;
    assert_eq!(parse_budget("15"), Ok(900));
    assert_eq!(parse_budget(" 7:30 "), Ok(450));
    assert_eq!(parse_budget("0:02"), Ok(2));
    for bad in ["", "abc", "7:75", "0", "-3", "241", "1:-1", "99999999999999999999"] {
        assert!(parse_budget(bad).is_err(), "{bad:?} is refused");
    }
}

#[test]
fn a_value_is_stored_once_a_write_follows_it_unless_another_tab_replaced_that_write() {
    // Recorded at rev 4: stored by the write of rev 5, and by any later one.
    assert!(!recorded_is_stored(4, 4, 0), "not written yet");
    assert!(recorded_is_stored(4, 5, 0));
    assert!(recorded_is_stored(4, 9, 0));
    // Another tab wrote rev 5 over this tab's at the same moment: the value is not stored.
    assert!(!recorded_is_stored(4, 5, 5));
    // Values written before it were read by the other tab, which wrote on top of them.
    assert!(recorded_is_stored(3, 5, 5));
    assert!(recorded_is_stored(2, 5, 5));
    // A value recorded after the lost write is stored by a later write of its own.
    assert!(!recorded_is_stored(5, 5, 5));
    assert!(recorded_is_stored(5, 6, 5));
}
