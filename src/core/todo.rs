//! What each person must do next, as of a date: overdue check-ins, reviews owed after
//! due commitments, decisions whose review date has passed and vague commitments, for the
//! whole organisation or one leader's subtree; and the same as an iCalendar file
//! (RFC 5545) with each commitment's check-in cadence and the review dates as events.

use serde::Serialize;
use time::Date;

use super::dates::format_date;
use super::model::*;
use super::policy::Policy;
use super::score::{add_days, days_between};
use super::workshop::{ActionItem, UnitOutcome, WorkshopId, WorkshopSession};

/// What kind of thing is owed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TodoKind {
    /// An open commitment whose next check-in (last one + cadence) has passed.
    CheckIn,
    /// A due commitment not yet followed by a review of its owner.
    Review,
    /// A logged decision whose review date has passed with no outcome recorded.
    Decision,
    /// An action a workshop agreed, past its due day and not marked done.
    Action,
    /// A commitment missing a baseline, target, due date or reviewer.
    Vague,
}

impl TodoKind {
    pub fn label(self) -> &'static str {
        match self {
            TodoKind::CheckIn => "Check-in overdue",
            TodoKind::Review => "Review owed",
            TodoKind::Decision => "Decision to review",
            TodoKind::Action => "Workshop action due",
            TodoKind::Vague => "Vague commitment",
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            TodoKind::CheckIn => "check-in",
            TodoKind::Review => "review",
            TodoKind::Decision => "decision",
            TodoKind::Action => "action",
            TodoKind::Vague => "vague",
        }
    }
}

/// One thing someone owes.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TodoItem {
    pub kind: TodoKind,
    /// Who must act: the owner for a check-in or a vague commitment, the reviewer (or
    /// the owner's leader) for a review, the unit that decided for a decision.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub who: Option<UnitId>,
    /// The unit the item is about.
    pub unit: UnitId,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub commitment: Option<CommitmentId>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub decision: Option<DecisionId>,
    /// For an agreed action: its workshop and its place in the unit's actions there.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub workshop: Option<WorkshopId>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub action: Option<usize>,
    /// Owed since this date.
    #[serde(with = "crate::core::dates::iso")]
    pub since: Date,
    /// Days between `since` and the as-of date.
    pub days: i64,
    /// The item in words.
    pub text: String,
}

impl TodoItem {
    /// Since when it is owed, and for how long: "since 2026-12-10 (1 day)".
    pub fn owed_for(&self) -> String {
        match self.days {
            0 => format!("since {} (today)", format_date(self.since)),
            n => format!("since {} ({n} day{})", format_date(self.since), if n == 1 { "" } else { "s" }),
        }
    }
}

/// Everything owed as of `as_of`, for the units in `root`'s subtree (or all units),
/// oldest first within each kind, kinds in [`TodoKind`] order.
pub fn todo(ws: &Workspace, policy: &Policy, as_of: Date, root: Option<UnitId>) -> Vec<TodoItem> {
    let scope: Option<IdSet<UnitId>> = root.map(|r| ws.subtree(r).into_iter().collect());
    let in_scope = |u: UnitId| scope.as_ref().is_none_or(|s| s.contains(&u));
    let mut reviews: IdMap<UnitId, Vec<Date>> = IdMap::default();
    for r in &ws.reviews {
        reviews.entry(r.unit).or_default().push(r.date);
    }
    for g in &ws.grants {
        reviews.entry(g.unit).or_default().push(g.date);
    }
    let window_start = add_days(as_of, -i64::from(policy.rigor_window_days));
    let grace = i64::from(policy.grace_days);
    let mut out = Vec::new();
    for c in ws.commitments.iter().filter(|c| in_scope(c.owner) && c.start <= as_of) {
        let owner = ws.unit_name(c.owner);
        let due = c.due.is_some_and(|d| d <= as_of);
        let open = c.due.is_none_or(|d| add_days(d, grace) >= as_of);
        if let (true, Some(cadence)) = (open, c.cadence_days) {
            let last = c.checkins().iter().rev().map(|k| k.date).find(|d| *d <= as_of);
            let by_cadence = add_days(last.unwrap_or(c.start), i64::from(cadence));
            // A due commitment still owes its reading on the due date (within grace).
            let next = match c.due {
                Some(d) if due && last.is_none_or(|l| l < d) => by_cadence.min(d),
                _ => by_cadence,
            };
            let last_said = last.map(|l| format!("last on {}", format_date(l))).unwrap_or_else(|| "none yet".into());
            // Owed by the due day, not the rhythm: said so, or the rhythm reads as kept.
            let why = if next < by_cadence { format!("it fell due on {} and has no reading since; {last_said}", format_date(next)) } else { format!("every {cadence} days; {last_said}") };
            if next < as_of && !(due && last.is_some_and(|l| Some(l) >= c.due)) {
                out.push(TodoItem {
                    kind: TodoKind::CheckIn,
                    who: Some(c.owner),
                    unit: c.owner,
                    commitment: Some(c.id),
                    decision: None,
                    workshop: None,
                    action: None,
                    since: next,
                    days: days_between(next, as_of),
                    text: format!("{owner}: check in on \u{201c}{}\u{201d} ({why})", c.title),
                });
            }
        }
        if let Some(d) = c.due.filter(|d| *d <= as_of && *d >= window_start) {
            let reviewed = reviews.get(&c.owner).is_some_and(|dates| dates.iter().any(|r| *r >= d && *r <= as_of));
            if !reviewed {
                let who = c.reviewer.or_else(|| ws.unit(c.owner).and_then(|u| u.parent));
                let by = who.map(|w| ws.unit_name(w).to_owned()).unwrap_or_else(|| "the reviewer".into());
                out.push(TodoItem {
                    kind: TodoKind::Review,
                    who,
                    unit: c.owner,
                    commitment: Some(c.id),
                    decision: None,
                    workshop: None,
                    action: None,
                    since: d,
                    days: days_between(d, as_of),
                    text: format!("{by}: review {owner}'s scope after \u{201c}{}\u{201d} fell due on {}: {}", c.title, format_date(d), review_by(d, as_of, policy)),
                });
            }
        }
        let missing = c.missing_fields();
        if (open || c.due.is_some_and(|d| d >= window_start)) && !missing.is_empty() {
            out.push(TodoItem {
                kind: TodoKind::Vague,
                who: Some(c.owner),
                unit: c.owner,
                commitment: Some(c.id),
                decision: None,
                workshop: None,
                action: None,
                since: c.start,
                days: days_between(c.start, as_of),
                text: format!("{owner}: give \u{201c}{}\u{201d} its {}", c.title, in_words(&missing)),
            });
        }
    }
    for dcs in ws.decisions.iter().filter(|d| in_scope(d.unit) && d.outcome.is_none()) {
        let Some(r) = dcs.review_date.filter(|r| *r <= as_of) else { continue };
        out.push(TodoItem {
            kind: TodoKind::Decision,
            who: Some(dcs.unit),
            unit: dcs.unit,
            commitment: None,
            decision: Some(dcs.id),
            workshop: None,
            action: None,
            since: r,
            days: days_between(r, as_of),
            text: format!("{}: record the outcome of \u{201c}{}\u{201d} (review date {})", ws.unit_name(dcs.unit), dcs.title, format_date(r)),
        });
    }
    for (s, o, k, a) in open_actions(ws, &in_scope) {
        let Some(due) = a.due.filter(|d| *d <= as_of && a.done.is_none_or(|done| done > as_of)) else { continue };
        out.push(TodoItem {
            kind: TodoKind::Action,
            who: None,
            unit: o.unit,
            commitment: None,
            decision: None,
            workshop: Some(s.id),
            action: Some(k),
            since: due,
            days: days_between(due, as_of),
            // A workshop is titled with its day by default: the day is said once.
            text: {
                let day = format_date(s.date);
                let when = if s.title.as_str().contains(&day) { String::new() } else { format!(" on {day}") };
                format!("{}: \u{201c}{}\u{201d} for {} (agreed in {}{when})", a.owner, a.text, ws.unit_name(o.unit), s.title)
            },
        });
    }
    out.sort_by_key(|i| (i.kind, i.since, i.unit, i.commitment, i.decision, i.action));
    out
}

/// The actions workshops agreed for units in scope that are followed as actions (not
/// as the commitment made of one), with their workshop, outcome and place.
fn open_actions<'a>(ws: &'a Workspace, in_scope: &'a impl Fn(UnitId) -> bool) -> impl Iterator<Item = (&'a WorkshopSession, &'a UnitOutcome, usize, &'a ActionItem)> + 'a {
    ws.workshops
        .iter()
        .flat_map(|s| s.outcomes.iter().filter(|o| in_scope(o.unit)).map(move |o| (s, o)))
        .flat_map(|(s, o)| o.actions.iter().enumerate().filter(|(_, a)| a.commitment.is_none()).map(move |(k, a)| (s, o, k, a)))
}

/// A list as a sentence says it: "baseline, target and reviewer".
fn in_words(items: &[&str]) -> String {
    match items {
        [] => String::new(),
        [one] => (*one).to_owned(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

/// Why the list is empty, when it is: there is nothing yet that could be owed, or all of
/// it is done. A new workspace is told what to add first rather than that all is well.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum NothingOwed {
    /// No units at all: the first thing to add is a unit.
    NoUnits,
    /// Units, but no commitment started and no decision logged by the as-of date (in
    /// `root`'s subtree): nothing can fall due until a unit commits to a result.
    NoCommitments,
    /// There are commitments or decisions, and nothing about them is owed.
    UpToDate,
}

/// Why nothing is owed as of `as_of` in `root`'s subtree (or the whole organisation),
/// for a list [`todo`] found empty.
pub fn nothing_owed(ws: &Workspace, as_of: Date, root: Option<UnitId>) -> NothingOwed {
    if ws.units.is_empty() {
        return NothingOwed::NoUnits;
    }
    let scope: Option<IdSet<UnitId>> = root.map(|r| ws.subtree(r).into_iter().collect());
    let in_scope = |u: UnitId| scope.as_ref().is_none_or(|s| s.contains(&u));
    let committed = ws.commitments.iter().any(|c| in_scope(c.owner) && c.start <= as_of);
    let decided = ws.decisions.iter().any(|d| in_scope(d.unit) && d.date <= as_of);
    // A workshop's agreed actions can be owed too, with no commitment in the workspace.
    let agreed = open_actions(ws, &in_scope).next().is_some();
    if committed || decided || agreed {
        NothingOwed::UpToDate
    } else {
        NothingOwed::NoCommitments
    }
}

/// The day a review is expected by (the policy's review window after the due date), in
/// the past tense once it has gone: the list keeps a review owed for the whole rigor
/// window, longer than the review window.
fn review_by(due: Date, as_of: Date, policy: &Policy) -> String {
    let by = add_days(due, i64::from(policy.consequence_window_days));
    if by >= as_of {
        format!("review by {}", format_date(by))
    } else {
        format!("the review was expected by {}", format_date(by))
    }
}

/// Escapes a TEXT value (RFC 5545 §3.3.11).
fn text(v: &str) -> String {
    let mut out = String::with_capacity(v.len());
    for ch in v.chars() {
        match ch {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c => out.push(c),
        }
    }
    out
}

/// Folds a content line at 75 octets (RFC 5545 §3.1), never inside a character.
fn fold(line: &str, out: &mut String) {
    let mut width = 0;
    for ch in line.chars() {
        let n = ch.len_utf8();
        if width + n > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(ch);
        width += n;
    }
    out.push_str("\r\n");
}

fn ymd(d: Date) -> String {
    format!("{:04}{:02}{:02}", d.year(), u8::from(d.month()), d.day())
}

/// One event of the calendar file.
struct Event {
    uid: String,
    start: Date,
    summary: String,
    description: String,
    rrule: Option<String>,
}

/// The events of the calendar file: one all-day event per item owed (on the date it fell
/// due, with a UID that stays the same from one export to the next), a
/// weekly-or-whatever-the-cadence recurring event per open commitment in scope until its
/// due date with its review the day after, and an event on each decision's future review
/// date.
fn events(ws: &Workspace, policy: &Policy, as_of: Date, root: Option<UnitId>) -> Vec<Event> {
    let scope: Option<IdSet<UnitId>> = root.map(|r| ws.subtree(r).into_iter().collect());
    let in_scope = |u: UnitId| scope.as_ref().is_none_or(|s| s.contains(&u));
    let mut out = Vec::new();
    let mut event = |uid: String, start: Date, summary: String, description: String, rrule: Option<String>| out.push(Event { uid, start, summary, description, rrule });
    for item in todo(ws, policy, as_of, root) {
        let id = item
            .commitment
            .map(|c| format!("c{}", c.0))
            .or(item.decision.map(|d| format!("d{}", d.0)))
            .or(item.workshop.zip(item.action).map(|(w, k)| format!("w{}-u{}-{k}", w.0, item.unit.0)))
            .unwrap_or_else(|| format!("u{}", item.unit.0));
        // The UID names the obligation (what, about which record, owed since when), never
        // the day of the export: a calendar that imports the file again updates the event
        // instead of adding a copy. The event sits on the date the item fell due.
        event(format!("todo-{}-{id}-{}", item.kind.as_str(), ymd(item.since)), item.since, format!("{}: {}", item.kind.label(), item.text), format!("Owed {}.", item.owed_for()), None);
    }
    for c in ws.commitments.iter().filter(|c| in_scope(c.owner) && c.due.is_none_or(|d| d >= as_of)) {
        let Some(cadence) = c.cadence_days else { continue };
        let last = c.checkins().iter().rev().map(|k| k.date).find(|d| *d <= as_of);
        let first = add_days(last.unwrap_or(c.start), i64::from(cadence)).max(as_of);
        let until = c.due.map(|d| format!(";UNTIL={}", ymd(d))).unwrap_or_default();
        event(
            format!("checkin-c{}", c.id.0),
            first,
            format!("Check in: {} ({})", c.title, ws.unit_name(c.owner)),
            format!("Every {cadence} days{}.", c.due.map(|d| format!(" until {}", format_date(d))).unwrap_or_default()),
            Some(format!("FREQ=DAILY;INTERVAL={cadence}{until}")),
        );
        if let Some(d) = c.due {
            let who = c.reviewer.or_else(|| ws.unit(c.owner).and_then(|u| u.parent)).map(|w| ws.unit_name(w).to_owned()).unwrap_or_else(|| "the reviewer".into());
            let review = add_days(d, 1);
            event(
                format!("review-c{}", c.id.0),
                review,
                format!("Review: {}'s scope after {}", ws.unit_name(c.owner), c.title),
                format!("{who} reviews by {}, {} days after the due date {}.", format_date(add_days(d, i64::from(policy.consequence_window_days))), policy.consequence_window_days, format_date(d)),
                None,
            );
        }
    }
    for (s, o, k, a) in open_actions(ws, &in_scope) {
        let Some(due) = a.due.filter(|d| *d > as_of && a.done.is_none()) else { continue };
        event(
            format!("action-w{}-u{}-{k}", s.id.0, o.unit.0),
            due,
            format!("Workshop action: {} ({}, {})", a.text, a.owner, ws.unit_name(o.unit)),
            format!("Agreed in {} on {}.", s.title, format_date(s.date)),
            None,
        );
    }
    for d in ws.decisions.iter().filter(|d| in_scope(d.unit) && d.outcome.is_none()) {
        let Some(r) = d.review_date.filter(|r| *r > as_of) else { continue };
        event(format!("decision-d{}", d.id.0), r, format!("Review decision: {}", d.title), format!("Decided by {} on {}; expected: {}", ws.unit_name(d.unit), format_date(d.date), d.expected), None);
    }
    out
}

/// How many events the calendar file for these arguments holds: none when nothing is
/// owed, no open commitment in scope has a rhythm and no decision's review is ahead, so
/// a page can say there is nothing to export instead of offering an empty file.
pub fn calendar_events(ws: &Workspace, policy: &Policy, as_of: Date, root: Option<UnitId>) -> usize {
    events(ws, policy, as_of, root).len()
}

/// The to-do list and the rhythm behind it as an iCalendar file (RFC 5545), with the
/// events [`calendar_events`] counts. `stamp` is the DTSTAMP (the core reads no clock: the
/// caller passes it).
pub fn icalendar(ws: &Workspace, policy: &Policy, as_of: Date, root: Option<UnitId>, stamp: Date) -> String {
    let mut lines: Vec<String> = vec!["BEGIN:VCALENDAR".into(), "VERSION:2.0".into(), "PRODID:-//Latitude//To do//EN".into(), "CALSCALE:GREGORIAN".into(), "METHOD:PUBLISH".into()];
    let stamp = format!("{}T000000Z", ymd(stamp));
    for e in events(ws, policy, as_of, root) {
        lines.push("BEGIN:VEVENT".into());
        lines.push(format!("UID:{}@latitude", e.uid));
        lines.push(format!("DTSTAMP:{stamp}"));
        lines.push(format!("DTSTART;VALUE=DATE:{}", ymd(e.start)));
        lines.push(format!("DTEND;VALUE=DATE:{}", ymd(add_days(e.start, 1))));
        if let Some(r) = e.rrule {
            lines.push(format!("RRULE:{r}"));
        }
        lines.push(format!("SUMMARY:{}", text(&e.summary)));
        lines.push(format!("DESCRIPTION:{}", text(&e.description)));
        lines.push("END:VEVENT".into());
    }
    lines.push("END:VCALENDAR".into());
    let mut out = String::new();
    for l in &lines {
        fold(l, &mut out);
    }
    out
}
