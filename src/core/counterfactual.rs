//! What would change the verdict: for each unit, the smallest concrete changes that move
//! it to the next verdict or clear a flag. Each change is data ([`Change`]); it is found
//! by applying it to a copy of the workspace and re-scoring with the same law, so the
//! numbers it quotes are the numbers the app would show after the change. Nothing here
//! is a canned sentence: a lever that would not move anything is not offered.

use serde::Serialize;
use time::Date;

use super::dates::format_date;
use super::explain::{f0, f2};
use super::model::*;
use super::policy::Policy;
use super::score::{add_days, ComponentKind, FlagKind, Scorer, Scores, UnitScore};

/// A concrete change to the workspace, as data: applying it to the whole workspace or to
/// the unit's own records gives the same scores for that unit.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Change {
    /// Check in every `every` days on these commitments between `from` and `to` (each
    /// new reading repeats the last value, its evidence and who recorded it), with the
    /// expected cadence set to `every`.
    CheckInEvery {
        commitments: Vec<CommitmentId>,
        every: u16,
        #[serde(with = "crate::core::dates::iso")]
        from: Date,
        #[serde(with = "crate::core::dates::iso")]
        to: Date,
    },
    /// Record a review (verdict hold) of the unit on each date.
    Reviews {
        unit: UnitId,
        reviewer: Option<UnitId>,
        #[serde(serialize_with = "dates_as_text")]
        dates: Vec<Date>,
    },
    /// Attach evidence to the check-ins of these commitments from `from` on that have none.
    Evidence {
        commitments: Vec<CommitmentId>,
        #[serde(with = "crate::core::dates::iso")]
        from: Date,
    },
    /// Make these commitments public.
    Publish { commitments: Vec<CommitmentId> },
    /// Deliver these open commitments at their target on `on` (their due date brought to it).
    Deliver {
        commitments: Vec<CommitmentId>,
        #[serde(with = "crate::core::dates::iso")]
        on: Date,
    },
    /// Check in on `on` on these commitments, repeating the last value.
    CheckInNow {
        commitments: Vec<CommitmentId>,
        #[serde(with = "crate::core::dates::iso")]
        on: Date,
    },
    /// Name a reviewer on these commitments.
    NameReviewer { commitments: Vec<CommitmentId>, reviewer: UnitId },
    /// Grant a rung and level in one area on `on`.
    Grant {
        unit: UnitId,
        area: AreaId,
        rung: u8,
        level: u8,
        #[serde(with = "crate::core::dates::iso")]
        on: Date,
    },
    /// The leader accepts accountability for these reviewed decisions.
    Accept { unit: UnitId, decisions: Vec<DecisionId> },
    /// Several changes at once.
    Together { changes: Vec<Change> },
}

fn dates_as_text<S: serde::Serializer>(v: &[Date], s: S) -> Result<S::Ok, S::Error> {
    serde::Serialize::serialize(&v.iter().map(|d| format_date(*d)).collect::<Vec<_>>(), s)
}

/// Evidence text attached by [`Change::Evidence`].
pub const EVIDENCE: &str = "(evidence to attach: a link anyone can check)";

/// The last reading on or before `date` (value, evidence, who recorded it); before the
/// first reading, the baseline with the first reading's evidence practice.
fn carried(c: &Commitment, date: Date) -> Option<(f64, String, Option<UnitId>)> {
    let n = c.checkins().partition_point(|k| k.date <= date);
    match n.checked_sub(1).map(|i| &c.checkins()[i]) {
        Some(k) => Some((k.value.get(), k.evidence.clone(), k.recorded_by)),
        None => {
            let next = c.checkins().first();
            c.baseline.map(|b| (b.get(), next.map(|k| k.evidence.clone()).unwrap_or_default(), next.and_then(|k| k.recorded_by)))
        }
    }
}

fn reading(date: Date, value: f64, evidence: String, recorded_by: Option<UnitId>) -> Option<CheckIn> {
    Some(CheckIn { date, value: Finite::new(value, "value").ok()?, confidence: None, note: String::new(), evidence, recorded_by })
}

impl Change {
    /// Applies the change in place. Ids that do not exist are skipped.
    pub fn apply(&self, ws: &mut Workspace) {
        match self {
            Change::CheckInEvery { commitments, every, from, to } => {
                for id in commitments {
                    let Some(c) = ws.commitment_mut(*id) else { continue };
                    let start = (*from).max(c.start);
                    let mut added = Vec::new();
                    let mut day = add_days(start, i64::from(*every));
                    while day <= *to {
                        if !c.checkins().iter().any(|k| k.date == day) {
                            if let Some(k) = carried(c, day).and_then(|(v, e, r)| reading(day, v, e, r)) {
                                added.push(k);
                            }
                        }
                        day = add_days(day, i64::from(*every));
                    }
                    c.cadence_days = Some(*every);
                    for k in added {
                        c.record_checkin(k);
                    }
                }
            }
            Change::Reviews { unit, reviewer, dates } => {
                for d in dates {
                    ws.reviews.push(Review { unit: *unit, date: *d, reviewer: *reviewer, verdict: Verdict::Hold, note: "Results review".into() });
                }
            }
            Change::Evidence { commitments, from } => {
                for id in commitments {
                    let Some(c) = ws.commitment_mut(*id) else { continue };
                    let owner = c.owner;
                    let needs = |k: &CheckIn| k.date >= *from && k.evidence.trim().is_empty() && k.recorded_by.is_none_or(|r| r == owner);
                    let days: Vec<Date> = c.checkins().iter().filter(|k| needs(k)).map(|k| k.date).collect();
                    for day in days {
                        c.update_checkin(day, |k| k.evidence = EVIDENCE.into());
                    }
                }
            }
            Change::Publish { commitments } => {
                for id in commitments {
                    if let Some(c) = ws.commitment_mut(*id) {
                        c.visibility = Visibility::Public;
                    }
                }
            }
            Change::Deliver { commitments, on } => {
                for id in commitments {
                    let Some(c) = ws.commitment_mut(*id) else { continue };
                    let Some(target) = c.target else { continue };
                    c.due = Some((*on).max(c.start));
                    let recorded_by = c.checkins().last().and_then(|k| k.recorded_by);
                    let evidence = c.checkins().last().map(|k| k.evidence.clone()).unwrap_or_default();
                    let day = (*on).max(c.start);
                    if let Some(k) = reading(day, target.get(), evidence, recorded_by) {
                        c.record_checkin(k);
                    }
                }
            }
            Change::CheckInNow { commitments, on } => {
                for id in commitments {
                    let Some(c) = ws.commitment_mut(*id) else { continue };
                    if c.checkins().iter().any(|k| k.date == *on) {
                        continue;
                    }
                    if let Some(k) = carried(c, *on).and_then(|(v, e, r)| reading(*on, v, e, r)) {
                        c.record_checkin(k);
                    }
                }
            }
            Change::NameReviewer { commitments, reviewer } => {
                for id in commitments {
                    if let Some(c) = ws.commitment_mut(*id) {
                        if c.owner != *reviewer {
                            c.reviewer = Some(*reviewer);
                        }
                    }
                }
            }
            Change::Grant { unit, area, rung, level, on } => {
                if let (Ok(rung), Ok(level)) = (Rung::new(*rung), Level::new(*level)) {
                    let granted_by = ws.unit(*unit).and_then(|u| u.parent);
                    ws.grants.push(Grant { unit: *unit, area: *area, date: *on, rung, level, granted_by, reason: "What would change the verdict".into() });
                }
            }
            Change::Accept { unit, decisions } => {
                for d in ws.decisions.iter_mut() {
                    if decisions.contains(&d.id) && !d.accountable.contains(unit) {
                        d.accountable.push(*unit);
                    }
                }
            }
            Change::Together { changes } => {
                for c in changes {
                    c.apply(ws);
                }
            }
        }
    }
}

/// One number before and after a change.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Delta {
    /// "A", "S", "TR", "R" or a rigor component's name.
    pub name: String,
    /// 0 for a rigor part not judged yet (see `judged_before`).
    pub before: f64,
    pub after: f64,
    /// False for a rigor part not judged yet before the change (consequence with nothing
    /// due long enough): it reads "not judged yet", never 0.00.
    pub judged_before: bool,
    pub judged_after: bool,
}

impl Delta {
    fn text(&self) -> String {
        let points = matches!(self.name.as_str(), "A" | "S");
        let fmt = |v: f64, judged: bool| {
            if !judged {
                "not judged yet".to_owned()
            } else if points {
                f0(v)
            } else {
                f2(v)
            }
        };
        format!("{} {} → {}", self.name, fmt(self.before, self.judged_before), fmt(self.after, self.judged_after))
    }
}

/// A change that would move a unit's verdict or clear one of its flags, with its effect.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Counterfactual {
    pub change: Change,
    /// The change in words, e.g. "check in weekly instead of every 91 days".
    pub description: String,
    /// The numbers that move (A, S, TR, R and rigor components), before and after.
    pub effects: Vec<Delta>,
    pub verdict_before: Verdict,
    pub verdict_after: Verdict,
    /// Flags the change clears.
    pub clears: Vec<FlagKind>,
    /// Whether the verdict moves (to the next one, or the law speaks again after a wait).
    pub moves_verdict: bool,
    /// One line: the change, the numbers that move, and the verdict after it.
    pub summary: String,
}

/// A unit's own records (and its reports' grants and decisions, which leadership reads):
/// everything its score depends on, so re-scoring a copy is cheap.
pub fn unit_slice(ws: &Workspace, unit: UnitId) -> Workspace {
    Slices::new(ws).slice(ws, unit)
}

/// Where each unit's records are, found in one pass over every list, so that the slices
/// of all units cost one pass in all instead of one per unit.
struct Slices {
    pos: std::collections::HashMap<UnitId, usize>,
    reports: Vec<Vec<usize>>,
    grants: Vec<Vec<usize>>,
    commitments: Vec<Vec<usize>>,
    decisions: Vec<Vec<usize>>,
    reviews: Vec<Vec<usize>>,
    pulses: Vec<Vec<usize>>,
}

impl Slices {
    fn new(ws: &Workspace) -> Slices {
        let n = ws.units.len();
        let pos: std::collections::HashMap<UnitId, usize> = ws.units.iter().enumerate().map(|(i, u)| (u.id, i)).collect();
        let group = |units: &mut dyn Iterator<Item = UnitId>| {
            let mut out = vec![Vec::new(); n];
            for (i, u) in units.enumerate() {
                if let Some(&p) = pos.get(&u) {
                    out[p].push(i);
                }
            }
            out
        };
        let mut reports = vec![Vec::new(); n];
        for (i, u) in ws.units.iter().enumerate() {
            if let Some(&p) = u.parent.filter(|p| *p != u.id).and_then(|p| pos.get(&p)) {
                reports[p].push(i);
            }
        }
        Slices {
            grants: group(&mut ws.grants.iter().map(|g| g.unit)),
            commitments: group(&mut ws.commitments.iter().map(|c| c.owner)),
            decisions: group(&mut ws.decisions.iter().map(|d| d.unit)),
            reviews: group(&mut ws.reviews.iter().map(|r| r.unit)),
            pulses: group(&mut ws.pulses.iter().map(|p| p.unit)),
            reports,
            pos,
        }
    }

    /// The unit's slice, in the workspace's order within each list.
    fn slice(&self, ws: &Workspace, unit: UnitId) -> Workspace {
        let mut out = Workspace::new(ws.name.clone());
        out.areas = ws.areas.clone();
        out.policy = ws.policy.clone();
        let Some(&p) = self.pos.get(&unit) else { return out };
        let mut units: Vec<usize> = std::iter::once(p).chain(self.reports[p].iter().copied()).collect();
        units.sort_unstable();
        let gather = |lists: &[Vec<usize>]| {
            let mut idx: Vec<usize> = units.iter().flat_map(|&u| lists[u].iter().copied()).collect();
            idx.sort_unstable();
            idx
        };
        out.units = units.iter().map(|&u| ws.units[u].clone()).collect();
        out.grants = gather(&self.grants).into_iter().map(|i| ws.grants[i].clone()).collect();
        out.commitments = self.commitments[p].iter().map(|&i| ws.commitments[i].clone()).collect();
        out.decisions = gather(&self.decisions).into_iter().map(|i| ws.decisions[i].clone()).collect();
        out.reviews = self.reviews[p].iter().map(|&i| ws.reviews[i].clone()).collect();
        out.pulses = self.pulses[p].iter().map(|&i| ws.pulses[i].clone()).collect();
        out
    }
}

/// Scores one unit of a workspace.
pub fn score_unit(ws: &Workspace, policy: &Policy, unit: UnitId, as_of: Date) -> Option<UnitScore> {
    Scorer::new(ws, policy).unit_by_id(unit, as_of)
}

/// Every unit's counterfactuals, in the workspace's unit order.
pub fn counterfactuals(ws: &Workspace, policy: &Policy, scores: &Scores) -> Vec<(UnitId, Vec<Counterfactual>)> {
    let slices = Slices::new(ws);
    scores.units.iter().map(|s| (s.unit, counterfactuals_in(ws, &slices, policy, s, scores.as_of))).collect()
}

/// The smallest changes that move one unit's verdict or clear a flag, each re-scored.
pub fn unit_counterfactuals(ws: &Workspace, policy: &Policy, before: &UnitScore, as_of: Date) -> Vec<Counterfactual> {
    counterfactuals_in(ws, &Slices::new(ws), policy, before, as_of)
}

fn counterfactuals_in(ws: &Workspace, slices: &Slices, policy: &Policy, before: &UnitScore, as_of: Date) -> Vec<Counterfactual> {
    let Some(unit) = ws.unit(before.unit) else { return Vec::new() };
    let slice = slices.slice(ws, unit.id);
    let finder = Finder { slice: &slice, policy, before, as_of, unit: unit.id, parent: unit.parent };
    finder.find()
}

struct Finder<'a> {
    slice: &'a Workspace,
    policy: &'a Policy,
    before: &'a UnitScore,
    as_of: Date,
    unit: UnitId,
    parent: Option<UnitId>,
}

fn count(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("the {one}")
    } else {
        format!("the {n} {many}")
    }
}

fn every_words(days: u16) -> String {
    match days {
        7 => "weekly".into(),
        14 => "every two weeks".into(),
        30 => "monthly".into(),
        d => format!("every {d} days"),
    }
}

impl Finder<'_> {
    fn window_start(&self) -> Date {
        add_days(self.as_of, -i64::from(self.policy.rigor_window_days))
    }

    /// The unit's commitments active in the rigor window.
    fn active(&self) -> impl Iterator<Item = &Commitment> {
        let ws = self.window_start();
        self.slice.commitments.iter().filter(move |c| c.start <= self.as_of && c.due.is_none_or(|d| d >= ws))
    }

    fn rescore(&self, change: &Change) -> Option<UnitScore> {
        let mut ws = self.slice.clone();
        change.apply(&mut ws);
        // A change that changes no record changes no score: not re-scored, not offered.
        if ws == *self.slice {
            return None;
        }
        score_unit(&ws, self.policy, self.unit, self.as_of)
    }

    /// Re-scores a change and keeps it when it moves the verdict or clears a flag.
    fn evaluate(&self, change: Change, description: String) -> Option<Counterfactual> {
        let after = self.rescore(&change)?;
        let b = self.before;
        let clears: Vec<FlagKind> = b.flags.iter().map(|f| f.kind).filter(|k| !after.has_flag(*k)).collect();
        let adds_severe = after.flags.iter().any(|f| f.kind.severity() >= 2 && !b.has_flag(f.kind));
        let (vb, va) = (b.recommendation.verdict, after.recommendation.verdict);
        let moves_verdict = (va != vb && va != Verdict::Contract) || (b.recommendation.waiting.is_some() && after.recommendation.waiting.is_none());
        if adds_severe || (!moves_verdict && clears.is_empty()) {
            return None;
        }
        let mut effects = Vec::new();
        // A number is listed as moving only when it reads differently: never "0.84 → 0.84".
        let mut push = |name: &str, (x, jx): (f64, bool), (y, jy): (f64, bool), points: bool| {
            let shown = |v: f64, judged: bool| {
                if !judged {
                    None
                } else if points {
                    Some(f0(v))
                } else {
                    Some(f2(v))
                }
            };
            if shown(x, jx) != shown(y, jy) {
                effects.push(Delta { name: name.into(), before: x, after: y, judged_before: jx, judged_after: jy });
            }
        };
        for k in ComponentKind::ALL {
            let (x, y) = (b.rigor.component(k), after.rigor.component(k));
            // A part whose policy weight is 0 is not in R, and the card does not list it either.
            if (x.measured || y.measured) && x.weight > 0.0 {
                let part = |c: &super::score::Component| (if c.measured { c.value } else { 0.0 }, c.measured);
                push(&k.label().to_lowercase(), part(x), part(y), false);
            }
        }
        push("R", (b.rigor.value, true), (after.rigor.value, true), false);
        push("TR", (b.track_record, true), (after.track_record, true), false);
        push("A", (b.autonomy, true), (after.autonomy, true), true);
        push("S", (b.supported, true), (after.supported, true), true);
        let mut tail = effects.iter().map(Delta::text).collect::<Vec<_>>();
        if let (Some(bl), Some(al)) = (b.leadership.as_ref().and_then(|l| l.ratio), after.leadership.as_ref().and_then(|l| l.ratio)) {
            if f2(bl) != f2(al) {
                tail.push(format!("leadership ratio {} → {}", f2(bl), f2(al)));
            }
        }
        if !clears.is_empty() {
            tail.push(format!("clears {}", clears.iter().map(|k| k.label()).collect::<Vec<_>>().join(", ")));
        }
        let mut verdict = match &after.recommendation.waiting {
            Some(w) if va == Verdict::Hold => format!("hold ({} on {})", w.past_tense().to_lowercase(), format_date(w.date)),
            _ => va.as_str().to_owned(),
        };
        // Offered for the flags it clears, not for the verdict: say that the verdict stays.
        if va == vb && !moves_verdict {
            verdict = format!("the verdict stays {verdict}");
        }
        let summary = if tail.is_empty() { format!("{description}: {verdict}") } else { format!("{description}: {}: {verdict}", tail.join(", ")) };
        Some(Counterfactual { change, description, effects, verdict_before: vb, verdict_after: va, clears, moves_verdict, summary })
    }

    fn find(&self) -> Vec<Counterfactual> {
        let mut out: Vec<Counterfactual> = Vec::new();
        let mut together: Vec<Change> = Vec::new();
        // Measurement levers that cost no new results and moved nothing alone.
        let mut cheap: Vec<(Change, String)> = Vec::new();
        let b = self.before;
        let r = &b.rigor;

        // Speed: the least frequent check-in rhythm that moves something.
        let speed = r.component(ComponentKind::Speed);
        let active: Vec<CommitmentId> = self.active().filter(|c| c.target.is_some() || c.baseline.is_some() || !c.checkins().is_empty()).map(|c| c.id).collect();
        if speed.value < 1.0 && !active.is_empty() {
            let target = self.policy.speed_target_days.round().clamp(1.0, 365.0) as u16;
            let mut tries: Vec<u16> = [30u16, 14].into_iter().filter(|d| *d > target && f64::from(*d) < speed.numerator).collect();
            tries.push(target);
            let now = if speed.numerator > 0.0 { format!(" instead of every {} days", speed.numerator) } else { String::new() };
            for every in tries {
                let change = Change::CheckInEvery { commitments: active.clone(), every, from: self.window_start(), to: self.as_of };
                if every == target {
                    together.push(change.clone());
                }
                if let Some(cf) = self.evaluate(change, format!("check in {}{now} on {}", every_words(every), count(active.len(), "active commitment", "active commitments"))) {
                    out.push(cf);
                    break;
                }
            }
        }

        // Consequence: the reviews owed after due commitments that had none. A review on
        // the as-of date closes the loop on every commitment still within the window; one
        // whose window has passed needs a review recorded on its due date. The lever names
        // each review it records, so recording exactly those gives the numbers it quotes.
        let consequence = r.component(ComponentKind::Consequence);
        if consequence.measured && consequence.value < 1.0 {
            let window = i64::from(self.policy.consequence_window_days);
            let mut reviews: Vec<Date> = self.slice.reviews.iter().map(|x| x.date).chain(self.slice.grants.iter().filter(|g| g.unit == self.unit).map(|g| g.date)).collect();
            reviews.sort_unstable();
            // Due dates with no review within the window, one per commitment.
            let (mut recent, mut old): (Vec<Date>, Vec<Date>) = (Vec::new(), Vec::new());
            for c in self.active() {
                let Some(due) = c.due.filter(|d| *d <= self.as_of) else { continue };
                let limit = add_days(due, window).min(self.as_of);
                let from = reviews.partition_point(|d| *d < due);
                if reviews.get(from).is_some_and(|d| *d <= limit) {
                    continue;
                }
                if add_days(due, window) >= self.as_of {
                    recent.push(due);
                } else {
                    old.push(due);
                }
            }
            recent.sort_unstable();
            old.sort_unstable();
            // Reviews dated on a due date, each covering the due dates in the window before it.
            let mut owed: Vec<(Date, Vec<Date>)> = Vec::new();
            for due in old {
                match owed.last_mut() {
                    Some((date, group)) if add_days(group[0], window) >= due => {
                        *date = due;
                        group.push(due);
                    }
                    _ => owed.push((due, vec![due])),
                }
            }
            let now = (!recent.is_empty()).then_some((self.as_of, recent));
            let part = |(date, group): &(Date, Vec<Date>)| {
                let (first, last) = (group[0], group[group.len() - 1]);
                let when = if first == last { format!("due on {}", format_date(first)) } else { format!("due from {} to {}", format_date(first), format_date(last)) };
                format!("on {} for {} {when}", format_date(*date), count(group.len(), "commitment", "commitments"))
            };
            let lever = |parts: Vec<&(Date, Vec<Date>)>| {
                let change = Change::Reviews { unit: self.unit, reviewer: self.parent, dates: parts.iter().map(|p| p.0).collect() };
                let words: Vec<String> = parts.iter().map(|p| part(p)).collect();
                let description = if words.len() == 1 { format!("record a review of the unit {}", words[0]) } else { format!("record {} reviews of the unit: {}", words.len(), words.join("; ")) };
                (change, description)
            };
            let mut moved = false;
            if let Some(n) = &now {
                let (change, description) = lever(vec![n]);
                if let Some(cf) = self.evaluate(change, description) {
                    moved = cf.moves_verdict;
                    out.push(cf);
                }
            }
            if !owed.is_empty() {
                let (change, description) = lever(owed.iter().chain(now.iter()).collect());
                together.push(change.clone());
                if !moved {
                    out.extend(self.evaluate(change, description));
                }
            } else if let Some(n) = &now {
                together.push(lever(vec![n]).0);
            }
        }

        // Objectivity: evidence on the check-ins that have none.
        let objectivity = r.component(ComponentKind::Objectivity);
        if objectivity.measured && objectivity.value < 1.0 && objectivity.denominator > 0.0 {
            let missing = (objectivity.denominator - objectivity.numerator).round() as usize;
            let ids: Vec<CommitmentId> = self.active().map(|c| c.id).collect();
            let change = Change::Evidence { commitments: ids, from: self.window_start() };
            together.push(change.clone());
            let description = format!("attach evidence anyone can check to {}", count(missing, "check-in without it", "check-ins without it"));
            match self.evaluate(change.clone(), description.clone()) {
                Some(cf) => out.push(cf),
                None => cheap.push((change, description)),
            }
        }

        // Visibility: publish the private commitments.
        let private: Vec<CommitmentId> = self.active().filter(|c| c.visibility == Visibility::Private).map(|c| c.id).collect();
        if !private.is_empty() {
            let n = private.len();
            let change = Change::Publish { commitments: private };
            together.push(change.clone());
            let description = format!("make {} public", count(n, "private commitment", "private commitments"));
            match self.evaluate(change.clone(), description.clone()) {
                Some(cf) => out.push(cf),
                None => cheap.push((change, description)),
            }
        }
        // A part at 0 zeroes the whole mean, so evidence or publishing alone can move
        // nothing while the other part is still 0: both together are the cheap lever,
        // offered before anything that asks for new results.
        if cheap.len() == 2 {
            let description = format!("{} and {}", cheap[0].1, cheap[1].1);
            let changes = cheap.iter().map(|(c, _)| c.clone()).collect();
            out.extend(self.evaluate(Change::Together { changes }, description));
        }

        // Results: deliver the fewest open commitments at target, soonest due first.
        let mut open: Vec<&Commitment> =
            self.slice.commitments.iter().filter(|c| c.start <= self.as_of && c.due.is_some_and(|d| d > self.as_of) && c.baseline.is_some() && c.target.is_some()).collect();
        open.sort_by_key(|c| (c.due, c.id));
        if !open.is_empty() {
            let all: Vec<CommitmentId> = open.iter().map(|c| c.id).collect();
            together.push(Change::Deliver { commitments: all, on: self.as_of });
            for k in 1..=open.len() {
                let ids: Vec<CommitmentId> = open[..k].iter().map(|c| c.id).collect();
                let what = if k == 1 { format!("deliver \u{201c}{}\u{201d} at its target now", open[0].title) } else { format!("deliver the {k} open commitments due soonest at their targets now") };
                if let Some(cf) = self.evaluate(Change::Deliver { commitments: ids, on: self.as_of }, what) {
                    out.push(cf);
                    break;
                }
            }
        }

        // Stale: read the stale commitments now.
        if let Some(f) = b.flags.iter().find(|f| f.kind == FlagKind::Stale) {
            let n = f.commitments.len();
            out.extend(self.evaluate(Change::CheckInNow { commitments: f.commitments.clone(), on: self.as_of }, format!("check in now on {}", count(n, "stale commitment", "stale commitments"))));
        }

        // Vague: name a reviewer where a reviewer is all that is missing.
        if let (Some(f), Some(leader)) = (b.flags.iter().find(|f| f.kind == FlagKind::Vague), self.parent) {
            let only_reviewer: Vec<CommitmentId> = f.commitments.iter().copied().filter(|id| self.slice.commitment(*id).is_some_and(|c| c.missing_fields() == ["reviewer"])).collect();
            if !only_reviewer.is_empty() && only_reviewer.len() == f.commitments.len() {
                let n = only_reviewer.len();
                let name = self.slice.unit_name(leader).to_owned();
                out.extend(self.evaluate(
                    Change::NameReviewer { commitments: only_reviewer, reviewer: leader },
                    format!("name {name} as reviewer of {}", count(n, "commitment without one", "commitments without one")),
                ));
            }
        }

        // Leadership: answer for the deflected outcomes, then for enough outcomes to lift the ratio.
        if let Some(f) = b.flags.iter().find(|f| f.kind == FlagKind::Shield) {
            let n = f.decisions.len();
            out.extend(self.evaluate(Change::Accept { unit: self.unit, decisions: f.decisions.clone() }, format!("accept accountability for {}", count(n, "deflected outcome", "deflected outcomes"))));
        }
        if let (true, Some(l)) = (b.has_flag(FlagKind::LowLeadershipRatio), &b.leadership) {
            let need = (self.policy.leadership_ratio_min * b.autonomy / 100.0 * f64::from(l.reviewed)).ceil() as i64 - i64::from(l.accountable);
            let candidates = self.unanswered();
            if need > 0 && (need as usize) <= candidates.len() {
                let ids: Vec<DecisionId> = candidates[..need as usize].to_vec();
                let n = ids.len();
                out.extend(self.evaluate(
                    Change::Accept { unit: self.unit, decisions: ids },
                    format!("accept accountability for {} more of the reviewed outcomes", if n == 1 { "one".to_owned() } else { n.to_string() }),
                ));
            }
        }

        // Scope: the smallest grant that matches autonomy to what is supported.
        out.extend(self.grant_change());

        // No single lever moves the verdict: all the measurement and delivery levers together.
        if !out.iter().any(|c| c.moves_verdict) && together.len() > 1 {
            let n = together.len();
            let change = Change::Together { changes: together };
            // Not offered again when it is exactly a change already offered (the cheap pair).
            if !out.iter().any(|c| c.change == change) {
                out.extend(self.evaluate(change, format!("all {n} of the measurement and delivery changes above together")));
            }
        }
        out
    }

    /// Reviewed decisions of the unit and its reports that do not name it accountable,
    /// bad and mixed outcomes of reports first, most recent first.
    fn unanswered(&self) -> Vec<DecisionId> {
        let mut list: Vec<&Decision> =
            self.slice.decisions.iter().filter(|d| d.outcome.is_some() && d.date <= self.as_of && d.review_date.is_none_or(|r| r <= self.as_of) && !d.accountable.contains(&self.unit)).collect();
        list.sort_by_key(|d| (d.outcome == Some(Outcome::Good), d.unit == self.unit, std::cmp::Reverse(d.date), d.id));
        list.into_iter().map(|d| d.id).collect()
    }

    /// One area's grant raised or lowered (or a new area granted) by the least that
    /// brings granted autonomy within the policy's margins of supported autonomy.
    fn grant_change(&self) -> Option<Counterfactual> {
        let b = self.before;
        let p = self.policy;
        let (a, s) = (b.autonomy, b.supported);
        let terms = &b.autonomy_terms;
        let law = b.recommendation.law;
        let widen = law == Verdict::Expand || b.has_flag(FlagKind::Starved);
        let narrow = law == Verdict::Contract || b.has_flag(FlagKind::Overextended);
        if !(widen || narrow) || b.recommendation.waiting.is_some() {
            return None;
        }
        let n = terms.len() as f64;
        let value = |rung: u8, level: u8| f64::from(rung) / 5.0 * f64::from(level - 1) / 6.0;
        // (new A, area, rung, level, is a new area)
        let mut options: Vec<(f64, AreaId, u8, u8, bool)> = Vec::new();
        for t in terms {
            for rung in Rung::MIN..=Rung::MAX {
                for level in Level::MIN..=Level::MAX {
                    let v = value(rung, level);
                    // Widen or narrow along both scales, never one up and the other down.
                    let along = if widen { rung >= t.rung && level >= t.level } else { rung <= t.rung && level <= t.level };
                    if (v - t.value).abs() < 1e-12 || !along {
                        continue;
                    }
                    options.push((a + 100.0 * (v - t.value) / n, t.area, rung, level, false));
                }
            }
        }
        if widen {
            for area in self.slice.areas.iter().filter(|ar| !terms.iter().any(|t| t.area == ar.id)) {
                for rung in Rung::MIN..=Rung::MAX {
                    for level in (Level::MIN + 1)..=Level::MAX {
                        options.push(((a * n + 100.0 * value(rung, level)) / (n + 1.0), area.id, rung, level, true));
                    }
                }
            }
        }
        let fits = |new_a: f64| {
            if widen {
                new_a > a && s - new_a < p.expand_margin.min(p.starved_gap) && new_a - s <= p.overextended_gap.min(p.contract_gap)
            } else if a - s > p.contract_gap.min(p.overextended_gap) {
                new_a < a && new_a - s <= p.contract_gap.min(p.overextended_gap)
            } else {
                // Contract on the track record alone: one step down is acting on it.
                new_a < a
            }
        };
        let best = options.into_iter().filter(|o| fits(o.0)).min_by(|x, y| (x.0 - a).abs().total_cmp(&(y.0 - a).abs()).then(x.4.cmp(&y.4)).then(y.2.cmp(&x.2)));
        let Some((_, area, rung, level, new)) = best else {
            // No single area is enough: the same rung and level in every area that is
            // wider (narrowing) or narrower (widening) than it, by the least that fits.
            let mut uniform: Vec<(f64, u8, u8, Vec<AreaId>)> = Vec::new();
            for rung in Rung::MIN..=Rung::MAX {
                for level in Level::MIN..=Level::MAX {
                    let v = value(rung, level);
                    let moved: Vec<AreaId> = terms
                        .iter()
                        .filter(|t| (t.rung, t.level) != (rung, level) && if widen { t.rung <= rung && t.level <= level } else { t.rung >= rung && t.level >= level })
                        .map(|t| t.area)
                        .collect();
                    if moved.is_empty() {
                        continue;
                    }
                    let new_a = 100.0 * terms.iter().map(|t| if moved.contains(&t.area) { v } else { t.value }).sum::<f64>() / n;
                    uniform.push((new_a, rung, level, moved));
                }
            }
            let (_, rung, level, moved) = uniform.into_iter().filter(|o| fits(o.0)).min_by(|x, y| (x.0 - a).abs().total_cmp(&(y.0 - a).abs()).then(y.1.cmp(&x.1)))?;
            let names: Vec<&str> = moved.iter().map(|id| self.slice.area_name(*id)).collect();
            let what = format!("{} {} to rung {rung} {} × level {level} {}", if widen { "widen" } else { "narrow" }, names.join(", "), p.rung_label(rung), p.level_label(level));
            let changes = moved.into_iter().map(|area| Change::Grant { unit: self.unit, area, rung, level, on: self.as_of }).collect();
            return self.evaluate(Change::Together { changes }, what);
        };
        let name = self.slice.area_name(area).to_owned();
        let what = match terms.iter().find(|t| t.area == area) {
            Some(t) if !new => format!(
                "{} {name} from rung {} {} × level {} {} to rung {rung} {} × level {level} {}",
                if value(rung, level) > t.value { "widen" } else { "narrow" },
                t.rung,
                p.rung_label(t.rung),
                t.level,
                p.level_label(t.level),
                p.rung_label(rung),
                p.level_label(level)
            ),
            _ => format!("grant rung {rung} {} × level {level} {} in {name}", p.rung_label(rung), p.level_label(level)),
        };
        self.evaluate(Change::Grant { unit: self.unit, area, rung, level, on: self.as_of }, what)
    }
}

/// What a grant about to be made does to its unit, in one sentence for the grant form:
/// granted autonomy A before and after, against supported autonomy S, the gap, the
/// flags it raises or clears, and, when it adds a decision area, that A is the mean over
/// the areas (a new area at a low level lowers it). Scored as of the later of the grant's
/// date and `as_of`. `None` when the grant would be refused (the form says why on
/// submit).
pub fn grant_preview(ws: &Workspace, unit: UnitId, area: &super::command::AreaRef, on: Date, rung: Rung, level: Level, as_of: Date) -> Option<String> {
    let day = on.max(as_of);
    let before_ws = unit_slice(ws, unit);
    let before = score_unit(&before_ws, &ws.policy, unit, day)?;
    let mut after_ws = before_ws;
    let grant = super::command::Command::Grant { unit, area: area.clone(), date: on, rung, level, granted_by: None, reason: "preview".into() };
    super::command::apply(&mut after_ws, &grant).ok()?;
    let after = score_unit(&after_ws, &ws.policy, unit, day)?;
    let p = &ws.policy;
    let mut text = format!(
        "With this grant, as of {}: granted A {} → {} against supported S {} (gap {} → {})",
        format_date(day),
        f0(before.autonomy),
        f0(after.autonomy),
        f0(after.supported),
        p.gap_between(before.autonomy, before.supported),
        p.gap_between(after.autonomy, after.supported)
    );
    let (areas_before, areas_after) = (before.autonomy_terms.len(), after.autonomy_terms.len());
    if areas_after > areas_before {
        text.push_str(&format!("; A is the mean over the unit's decision areas, {areas_after} with this one"));
        if after.autonomy < before.autonomy {
            text.push_str(", so a new area at this level lowers it");
        }
    }
    let raised: Vec<&str> = after.flags.iter().filter(|f| !before.has_flag(f.kind)).map(|f| f.kind.label()).collect();
    let cleared: Vec<&str> = before.flags.iter().filter(|f| !after.has_flag(f.kind)).map(|f| f.kind.label()).collect();
    if !raised.is_empty() {
        text.push_str(&format!("; flags it {}", raised.join(", ")));
    }
    if !cleared.is_empty() {
        text.push_str(&format!("; clears {}", cleared.join(", ")));
    }
    text.push('.');
    Some(text)
}
