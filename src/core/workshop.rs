//! The workshop as data: a facilitated workshop (its steps and timers, the participants,
//! the units and areas in scope, every delegation-poker round with its votes, the
//! results period, the agreed verdicts and actions, notes) is a [`WorkshopSession`]
//! stored in [`Workspace::workshops`], changed only through [`Command`]s like every
//! other record, so it survives navigation and reload, is exported with the workspace,
//! and can be resumed later. No clock is read here: timers take the time as epoch
//! milliseconds from the caller.
//!
//! # Public API
//!
//! Types (all plain serde data):
//! - [`WorkshopId`], [`RoundId`]; [`Step`] (the six steps, `Step::ALL`, `title()`,
//!   `default_minutes()`, `index()`, `from_index()`); [`VotePrivacy`] (`Named` or
//!   `Anonymous` reveal); [`StepTimer`] (`default_secs`, `elapsed_ms`, `running_since`;
//!   `elapsed_at(now_ms)`, `remaining_ms_at(now_ms)` — negative when overrun —,
//!   `is_running()`, `is_overrun_at(now_ms)`); [`Vote`]; [`PokerRound`] (`unit`, `area`,
//!   `votes`, `revealed`, `agreed`; `stats()`, `shown(privacy)` — what the screen may
//!   show: before the reveal only who voted, never a level); [`Agreement`] (level, rung
//!   and the [`GrantKey`] it recorded); [`Period`] (`from`, `to`, `contains`,
//!   `quarter_before(date)`); [`UnitOutcome`] (verdict, note, the review recorded,
//!   [`ActionItem`]s: text, owner, due, linked commitment); [`ActionInput`] (an action
//!   as the form sends it; `commitment: Some(category)` also creates a commitment).
//! - [`WorkshopSession`]: `steps_done()`, `listing()` ("Workshop of 2026-11-25, 4 of 6
//!   steps done"), `round(id)`, `current_round()` (the latest not agreed),
//!   `waiting_for(round)` (participants who have not voted), `participant(name)`,
//!   `outcome(unit)`, `timer(step)`, `clock_at(now_ms)` (a [`WorkshopClock`]: every
//!   step's time run and given), `results_grid(ws)` (units in scope with their
//!   commitments due in the results period) and `result_date(commitment)` (the day a
//!   grid value is recorded on: its due day in the period, else the period's end).
//! - [`latest_open`]`(ws)` (the workshop to resume), [`listed`]`(ws)` (latest first).
//! - `Step` and `VotePrivacy` read their `as_str` words through `FromStr`.
//! - Vote statistics: [`VoteStats`] (`count`, `min`, `max`, `counts` per level 1..=7,
//!   `median`, `outliers`; `outlier_levels` for an anonymous round), [`Median`] (`Exact(level)` or `Between(low, high)`, with
//!   `Display`: "4" or "between 4 and 5"), [`OUTLIER_DISTANCE`].
//! - [`round_history`]`(ws, unit, area)`: every round for a unit and area across
//!   workshops, oldest first, to show how the team's view moved.
//! - [`summary_markdown`]`(ws, session)`: the one-page summary as Markdown;
//!   [`round_summary`]`(ws, session, round)`: a round's row of it as plain text (the
//!   screen's and the picture's), a vote of fewer than the participants marked;
//!   [`results_summary`]`(ws, session)`: step 4's results, one row per commitment.
//!
//! Commands (in [`Command`], each refused with a [`CommandError`] naming its field, each
//! returning a [`Change`] whose `workshops` lists the session): `StartWorkshop`,
//! `SetWorkshopTitle`, `SetParticipants`, `SetWorkshopScope`, `AddWorkshopUnit` (a unit
//! named in the room, added and put in scope in the same command), `SetVotePrivacy`,
//! `GoToStep`, `StartTimer`, `PauseTimer`, `ResetTimer`, `SetTimerDefault`, `OpenRound`
//! (an existing or a new area; one already open for the unit and area with no vote
//! yet is kept and nothing changes), `CastVote`, `RevealRound`, `DiscardRound`, `AgreeRound`
//! (records the grant in the same command), `SetResultsPeriod`, `RecordResults`
//! (check-ins dated inside the period), `AgreeActions` (the review and, optionally,
//! commitments, in the same command), `SetWorkshopNotes`, `FinishWorkshop`,
//! `ReopenWorkshop`, `DeleteWorkshop`, `CompleteAction` (an agreed action done on a day,
//! or not done). A finished workshop refuses every edit but its title, notes, its
//! actions marked done, reopening and deletion. Agreeing a round or a unit's actions a second
//! time with the same values changes nothing (an empty `Change`: a double click records
//! once); with other values it is refused.
//!
//! For a view: an applied command's `Change.summary` is the sentence to confirm with
//! (an empty `Change` takes no undo step: `AppCtx::edit` returns it without recording);
//! a running timer is drawn from `remaining_ms_at(now)` on each tick of the view's own
//! interval, and only starting, pausing and resetting it are commands (pass the
//! browser's `Date.now()`); votes on screen come from `PokerRound::shown`, never from
//! `votes` directly; a results-grid value is recorded with `RecordResults` at
//! `result_date(c)` (the app's as-of is not involved).

use serde::{Deserialize, Serialize};
use time::Date;

use super::command::{area_for, text, AreaRef, Change, CheckInRow, Command, CommandError, GrantKey, MAX_TEXT_CHARS};
use super::dates::format_date;
use super::error::ModelError;
use super::model::*;
use super::score::add_days;

/// Identifies a workshop within a workspace.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct WorkshopId(pub u32);

/// Identifies a poker round within its workshop.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct RoundId(pub u32);

/// The six steps of a workshop, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Step {
    #[default]
    SetTheScene,
    NameTheTeams,
    RecordAutonomy,
    EnterResults,
    RevealMap,
    AgreeActions,
}

impl Step {
    pub const ALL: [Step; 6] = [Step::SetTheScene, Step::NameTheTeams, Step::RecordAutonomy, Step::EnterResults, Step::RevealMap, Step::AgreeActions];
    pub fn index(self) -> usize {
        Step::ALL.iter().position(|s| *s == self).expect("every step is listed")
    }
    pub fn from_index(i: usize) -> Option<Step> {
        Step::ALL.get(i).copied()
    }
    pub fn title(self) -> &'static str {
        match self {
            Step::SetTheScene => "Set the scene",
            Step::NameTheTeams => "Name the teams",
            Step::RecordAutonomy => "Record today's autonomy",
            Step::EnterResults => "Enter last quarter's results",
            Step::RevealMap => "Reveal the map",
            Step::AgreeActions => "Agree actions and export",
        }
    }
    /// The timer's length a new workshop starts with, in minutes.
    pub fn default_minutes(self) -> u32 {
        match self {
            Step::SetTheScene | Step::NameTheTeams | Step::AgreeActions => 10,
            Step::RecordAutonomy => 20,
            Step::EnterResults | Step::RevealMap => 15,
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Step::SetTheScene => "set_the_scene",
            Step::NameTheTeams => "name_the_teams",
            Step::RecordAutonomy => "record_autonomy",
            Step::EnterResults => "enter_results",
            Step::RevealMap => "reveal_map",
            Step::AgreeActions => "agree_actions",
        }
    }
}

/// Reads the words files and forms use (`as_str`), in any case, with spaces or hyphens
/// for underscores; anything else is refused with the list.
fn read_choice<T: Copy>(all: &[T], as_str: fn(T) -> &'static str, field: &'static str, text: &str) -> Result<T, ChoiceError> {
    let key = |s: &str| s.trim().chars().map(|c| if c == ' ' || c == '-' { '_' } else { c.to_ascii_lowercase() }).collect::<String>();
    let wanted = key(text);
    all.iter().copied().find(|v| as_str(*v) == wanted).ok_or_else(|| ChoiceError { field, text: text.trim().chars().take(40).collect(), accepted: all.iter().map(|v| as_str(*v)).collect() })
}

impl std::str::FromStr for Step {
    type Err = ChoiceError;
    fn from_str(text: &str) -> Result<Step, ChoiceError> {
        read_choice(&Step::ALL, Step::as_str, "step", text)
    }
}

impl std::str::FromStr for VotePrivacy {
    type Err = ChoiceError;
    fn from_str(text: &str) -> Result<VotePrivacy, ChoiceError> {
        read_choice(&VotePrivacy::ALL, VotePrivacy::as_str, "vote privacy", text)
    }
}

/// How revealed votes are shown: with the voters' names, or as levels only.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum VotePrivacy {
    #[default]
    Named,
    Anonymous,
}

impl VotePrivacy {
    pub const ALL: [VotePrivacy; 2] = [VotePrivacy::Named, VotePrivacy::Anonymous];
    pub fn as_str(self) -> &'static str {
        match self {
            VotePrivacy::Named => "named",
            VotePrivacy::Anonymous => "anonymous",
        }
    }
}

/// A step's timer: its length, the time it ran before, and since when it runs (epoch
/// milliseconds, given by the caller), so a reload resumes it where it was.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct StepTimer {
    pub default_secs: u32,
    #[serde(default)]
    pub elapsed_ms: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub running_since: Option<i64>,
}

impl StepTimer {
    /// The longest a step's timer can be set to: four hours.
    pub const MAX_SECS: u32 = 4 * 3600;

    pub fn new(step: Step) -> StepTimer {
        StepTimer { default_secs: step.default_minutes() * 60, elapsed_ms: 0, running_since: None }
    }
    pub fn is_running(&self) -> bool {
        self.running_since.is_some()
    }
    /// Time run so far, at `now_ms` (a clock set back counts nothing for the run).
    pub fn elapsed_at(&self, now_ms: i64) -> u64 {
        let run = self.running_since.map(|since| u64::try_from(now_ms.saturating_sub(since)).unwrap_or(0)).unwrap_or(0);
        self.elapsed_ms.saturating_add(run)
    }
    /// Time left at `now_ms`; negative once the step runs over.
    pub fn remaining_ms_at(&self, now_ms: i64) -> i64 {
        i64::from(self.default_secs) * 1000 - i64::try_from(self.elapsed_at(now_ms)).unwrap_or(i64::MAX)
    }
    pub fn is_overrun_at(&self, now_ms: i64) -> bool {
        self.remaining_ms_at(now_ms) < 0
    }
}

fn default_timers() -> [StepTimer; 6] {
    Step::ALL.map(StepTimer::new)
}

fn timers_are_default(t: &[StepTimer; 6]) -> bool {
    *t == default_timers()
}

/// One participant's vote in a round.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Vote {
    pub participant: Name,
    pub level: Level,
}

/// What was agreed in a round and the grant it recorded.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Agreement {
    pub level: Level,
    pub rung: Rung,
    pub grant: GrantKey,
}

/// One delegation-poker round: a unit and an area, the votes (hidden until revealed),
/// and the agreed level and scope once recorded.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PokerRound {
    pub id: RoundId,
    pub unit: UnitId,
    pub area: AreaId,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub votes: Vec<Vote>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub revealed: bool,
    /// Revealed without names: the round stays so whatever the workshop's setting
    /// becomes later (a vote shown to the room without a name is never named after).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub anonymous: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agreed: Option<Agreement>,
}

/// What a screen may show of a round's votes.
#[derive(Debug, Clone, PartialEq)]
pub enum ShownVotes {
    /// Before the reveal: who has voted, never what.
    Hidden { voted: Vec<Name> },
    /// Revealed with names, in the order cast.
    Named(Vec<(Name, Level)>),
    /// Revealed without names: the levels, lowest first.
    Anonymous(Vec<Level>),
}

impl PokerRound {
    /// The statistics of the votes (`None` without votes).
    pub fn stats(&self) -> Option<VoteStats> {
        VoteStats::of(&self.votes)
    }

    /// How this round's votes are shown in a workshop set to `privacy`: without names if
    /// either the round was revealed without names or the workshop is set so now.
    pub fn privacy(&self, privacy: VotePrivacy) -> VotePrivacy {
        if self.anonymous {
            VotePrivacy::Anonymous
        } else {
            privacy
        }
    }

    /// What may be shown of the votes in a workshop set to `privacy` (see
    /// [`PokerRound::privacy`]).
    pub fn shown(&self, privacy: VotePrivacy) -> ShownVotes {
        if !self.revealed {
            return ShownVotes::Hidden { voted: self.votes.iter().map(|v| v.participant.clone()).collect() };
        }
        match self.privacy(privacy) {
            VotePrivacy::Named => ShownVotes::Named(self.votes.iter().map(|v| (v.participant.clone(), v.level)).collect()),
            VotePrivacy::Anonymous => {
                let mut levels: Vec<Level> = self.votes.iter().map(|v| v.level).collect();
                levels.sort_unstable();
                ShownVotes::Anonymous(levels)
            }
        }
    }
}

/// The median of the votes: one level, or for an even count whose two middle votes
/// differ, between those two (3, 4, 5, 6 → between 4 and 5).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Median {
    Exact(Level),
    Between(Level, Level),
}

impl std::fmt::Display for Median {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Median::Exact(l) => write!(f, "{}", l.get()),
            Median::Between(a, b) => write!(f, "between {} and {}", a.get(), b.get()),
        }
    }
}

/// A vote is an outlier to ask about when it lies this many levels or more from the
/// median — for an even count, from the nearer of the two middle votes.
pub const OUTLIER_DISTANCE: u8 = 2;

/// The spread of a round's votes.
#[derive(Debug, Clone, PartialEq)]
pub struct VoteStats {
    pub count: usize,
    pub min: Level,
    pub max: Level,
    /// Votes per level: `counts[0]` for level 1 … `counts[6]` for level 7.
    pub counts: [usize; 7],
    pub median: Median,
    /// The votes to ask about (see [`OUTLIER_DISTANCE`]), in the order cast.
    pub outliers: Vec<Vote>,
}

impl VoteStats {
    /// The statistics of these votes (`None` without votes).
    pub fn of(votes: &[Vote]) -> Option<VoteStats> {
        let mut levels: Vec<Level> = votes.iter().map(|v| v.level).collect();
        levels.sort_unstable();
        let (min, max) = (*levels.first()?, *levels.last()?);
        let n = levels.len();
        // An odd count has one middle vote; an even count two, equal or not.
        let (low, high) = if n % 2 == 1 { (levels[n / 2], levels[n / 2]) } else { (levels[n / 2 - 1], levels[n / 2]) };
        let median = if low == high { Median::Exact(low) } else { Median::Between(low, high) };
        let (low, high) = (low.get(), high.get());
        let distance = |l: u8| if l < low { low - l } else { l.saturating_sub(high) };
        let mut counts = [0usize; 7];
        for l in &levels {
            counts[usize::from(l.get() - 1)] += 1;
        }
        let outliers = votes.iter().filter(|v| distance(v.level.get()) >= OUTLIER_DISTANCE).cloned().collect();
        Some(VoteStats { count: n, min, max, counts, median, outliers })
    }

    /// The levels of the outliers, each once, in level order: what an anonymous round
    /// may show of them. The order cast is left out, since a room that votes in turn
    /// would read who voted what from it.
    pub fn outlier_levels(&self) -> Vec<Level> {
        let mut levels: Vec<Level> = self.outliers.iter().map(|v| v.level).collect();
        levels.sort_unstable();
        levels.dedup();
        levels
    }
}

/// A span of days, both ends included.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Period {
    #[serde(with = "crate::core::dates::iso")]
    pub from: Date,
    #[serde(with = "crate::core::dates::iso")]
    pub to: Date,
}

impl Period {
    pub fn contains(&self, date: Date) -> bool {
        self.from <= date && date <= self.to
    }
    /// The calendar quarter before the one `date` falls in.
    pub fn quarter_before(date: Date) -> Period {
        let q = (u8::from(date.month()) - 1) / 3;
        let (year, q) = if q == 0 { (date.year() - 1, 3) } else { (date.year(), q - 1) };
        let month = |m: u8| time::Month::try_from(m).expect("a month");
        let from = Date::from_calendar_date(year, month(q * 3 + 1), 1).expect("a day");
        let next = if q == 3 { Date::from_calendar_date(year + 1, time::Month::January, 1) } else { Date::from_calendar_date(year, month(q * 3 + 4), 1) };
        Period { from, to: add_days(next.expect("a day"), -1) }
    }
}

/// An agreed action for a unit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ActionItem {
    pub text: Name,
    /// Who does it: a participant's or a unit's name, as said in the room.
    pub owner: Name,
    #[serde(with = "crate::core::dates::iso::option", default, skip_serializing_if = "Option::is_none")]
    pub due: Option<Date>,
    /// The commitment created from it, if one was.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub commitment: Option<CommitmentId>,
    /// The day it was done ([`Command::CompleteAction`]); until then it is owed from its
    /// due day on ([`crate::core::todo`]).
    #[serde(with = "crate::core::dates::iso::option", default, skip_serializing_if = "Option::is_none")]
    pub done: Option<Date>,
}

/// An action as a form sends it, for [`Command::AgreeActions`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ActionInput {
    pub text: Name,
    pub owner: Name,
    /// Required: [`Command::AgreeActions`] refuses an action without one, or due before
    /// the workshop's day (an `Option` so a form's empty field reaches that message).
    #[serde(with = "crate::core::dates::iso::option", default, skip_serializing_if = "Option::is_none")]
    pub due: Option<Date>,
    /// Also create a commitment of this category for the unit, titled as the action,
    /// starting on the workshop's day and due when the action is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub commitment: Option<Category>,
}

/// What a workshop agreed for one unit: the verdict (recorded as an autonomy review on
/// the workshop's day) and the actions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UnitOutcome {
    pub unit: UnitId,
    pub verdict: Verdict,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reviewer: Option<UnitId>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub actions: Vec<ActionItem>,
}

/// The whole workshop's time ([`WorkshopSession::clock_at`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WorkshopClock {
    pub elapsed_ms: u64,
    pub budget_ms: u64,
}

/// One workshop: everything a facilitator sets, the participants vote and the room
/// agrees, kept with the workspace.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WorkshopSession {
    pub id: WorkshopId,
    #[serde(with = "crate::core::dates::iso")]
    pub date: Date,
    pub title: Name,
    /// The participants' names, set once for the workshop (unique, in any case).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub participants: Vec<Name>,
    /// Units in scope.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub units: Vec<UnitId>,
    /// Decision areas in scope.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub areas: Vec<AreaId>,
    #[serde(default)]
    pub step: Step,
    /// The furthest step reached: the steps before it are done.
    #[serde(default)]
    pub furthest: Step,
    /// One timer per step, in [`Step::ALL`] order.
    #[serde(default = "default_timers", skip_serializing_if = "timers_are_default")]
    pub timers: [StepTimer; 6],
    #[serde(default)]
    pub privacy: VotePrivacy,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rounds: Vec<PokerRound>,
    /// The period whose results the grid records (by default the quarter before).
    pub results_period: Period,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub outcomes: Vec<UnitOutcome>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub notes: String,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub finished: bool,
}

impl WorkshopSession {
    /// A new workshop on `date` with the default title, timers and results period.
    pub fn new(id: WorkshopId, date: Date, title: Option<Name>) -> WorkshopSession {
        WorkshopSession {
            id,
            date,
            title: title.unwrap_or_else(|| Name::new(format!("Workshop of {}", format_date(date))).expect("a short name")),
            participants: Vec::new(),
            units: Vec::new(),
            areas: Vec::new(),
            step: Step::default(),
            furthest: Step::default(),
            timers: default_timers(),
            privacy: VotePrivacy::default(),
            rounds: Vec::new(),
            results_period: Period::quarter_before(date),
            outcomes: Vec::new(),
            notes: String::new(),
            finished: false,
        }
    }

    /// How many of the six steps are done: those before the furthest reached, all once
    /// the workshop is finished.
    pub fn steps_done(&self) -> usize {
        if self.finished {
            Step::ALL.len()
        } else {
            self.furthest.index()
        }
    }

    /// Whether the title already gives the workshop's day (as "Workshop of 2026-11-25"
    /// does), so that nothing need add it again.
    pub fn title_names_its_day(&self) -> bool {
        self.title.as_str().contains(&format_date(self.date))
    }

    /// "Workshop of 2026-11-25, 4 of 6 steps done" (a title of its own gets the date).
    pub fn listing(&self) -> String {
        let head = if self.title_names_its_day() { self.title.to_string() } else { format!("{} ({})", self.title, format_date(self.date)) };
        if self.finished {
            format!("{head}, finished")
        } else {
            format!("{head}, {} of {} steps done", self.steps_done(), Step::ALL.len())
        }
    }

    pub fn round(&self, id: RoundId) -> Option<&PokerRound> {
        self.rounds.iter().find(|r| r.id == id)
    }

    /// The round being played: the latest one not yet agreed, if any.
    pub fn current_round(&self) -> Option<&PokerRound> {
        self.rounds.iter().rev().find(|r| r.agreed.is_none())
    }

    /// The participants who have not voted in `round` yet (all have voted when empty).
    pub fn waiting_for(&self, round: &PokerRound) -> Vec<&Name> {
        self.participants.iter().filter(|p| !round.votes.iter().any(|v| same_name(v.participant.as_str(), p.as_str()))).collect()
    }

    pub fn outcome(&self, unit: UnitId) -> Option<&UnitOutcome> {
        self.outcomes.iter().find(|o| o.unit == unit)
    }

    /// The units in scope for which no verdict has been agreed yet, in scope order.
    pub fn units_without_outcome(&self) -> Vec<UnitId> {
        self.units.iter().copied().filter(|u| self.outcome(*u).is_none()).collect()
    }

    pub fn timer(&self, step: Step) -> &StepTimer {
        &self.timers[step.index()]
    }

    /// The whole workshop's clock at `now_ms`: the time every step's timer has run, and
    /// the time all of them are given.
    pub fn clock_at(&self, now_ms: i64) -> WorkshopClock {
        WorkshopClock { elapsed_ms: self.timers.iter().map(|t| t.elapsed_at(now_ms)).sum(), budget_ms: self.timers.iter().map(|t| u64::from(t.default_secs) * 1000).sum() }
    }

    /// The participant of this name, in any case, as the workshop spells it.
    pub fn participant(&self, name: &str) -> Option<&Name> {
        self.participants.iter().find(|p| same_name(p.as_str(), name))
    }

    /// The results grid: each unit in scope with its commitments due in the results
    /// period, in tree order.
    pub fn results_grid<'a>(&self, ws: &'a Workspace) -> Vec<(UnitId, Vec<&'a Commitment>)> {
        ws.tree_order()
            .into_iter()
            .filter(|(u, _)| self.units.contains(u))
            .map(|(u, _)| (u, ws.commitments.iter().filter(|c| c.owner == u && c.due.is_some_and(|d| self.results_period.contains(d))).collect()))
            .collect()
    }

    /// The last value of `c` recorded in the results period, with its evidence:
    /// "420 on 2026-09-30, evidence: …".
    pub fn result_reached(&self, c: &Commitment) -> Option<String> {
        c.checkins().iter().rev().find(|k| self.results_period.contains(k.date)).map(|k| {
            let evidence = if k.evidence.trim().is_empty() { String::new() } else { format!(", evidence: {}", k.evidence.trim()) };
            format!("{} on {}{evidence}", k.value.get(), format_date(k.date))
        })
    }

    /// The day a result of `c` is recorded on in the grid: its due day (inside the
    /// period for the grid's commitments), else the period's last day.
    pub fn result_date(&self, c: &Commitment) -> Date {
        c.due.filter(|d| self.results_period.contains(*d)).unwrap_or(self.results_period.to)
    }

    fn next_round_id(&self) -> RoundId {
        RoundId(self.rounds.iter().map(|r| r.id.0).max().unwrap_or(0).saturating_add(1))
    }

    /// Whether removing `unit`, and with it the commitments it owns (`owned`), changes
    /// the workshop: it names the unit, or links an action to one of those commitments.
    pub fn mentions_unit(&self, unit: UnitId, owned: &[CommitmentId]) -> bool {
        self.units.contains(&unit)
            || self.rounds.iter().any(|r| r.unit == unit)
            || self.outcomes.iter().any(|o| o.unit == unit || o.reviewer == Some(unit) || o.actions.iter().any(|a| a.commitment.is_some_and(|c| owned.contains(&c))))
    }

    /// Forgets a removed unit and the commitments it owned: out of scope, its rounds and
    /// outcome gone, a reviewer naming it and links to those commitments cleared (as
    /// removing a unit does everywhere).
    pub fn forget_unit(&mut self, unit: UnitId, owned: &[CommitmentId]) {
        self.units.retain(|u| *u != unit);
        self.rounds.retain(|r| r.unit != unit);
        self.outcomes.retain(|o| o.unit != unit);
        for o in &mut self.outcomes {
            if o.reviewer == Some(unit) {
                o.reviewer = None;
            }
            for a in &mut o.actions {
                if a.commitment.is_some_and(|c| owned.contains(&c)) {
                    a.commitment = None;
                }
            }
        }
    }
}

fn same_name(a: &str, b: &str) -> bool {
    a.trim().to_lowercase() == b.trim().to_lowercase()
}

/// The workshop to resume: the latest by date (then by id) that is not finished.
pub fn latest_open(ws: &Workspace) -> Option<&WorkshopSession> {
    ws.workshops.iter().filter(|s| !s.finished).max_by_key(|s| (s.date, s.id))
}

/// Every workshop, latest first, for a listing.
pub fn listed(ws: &Workspace) -> Vec<&WorkshopSession> {
    let mut out: Vec<&WorkshopSession> = ws.workshops.iter().collect();
    out.sort_by_key(|s| std::cmp::Reverse((s.date, s.id)));
    out
}

/// Every round for `unit` in `area` across the workspace's workshops, oldest workshop
/// first (rounds of one workshop in their order): how the team's view moved.
pub fn round_history(ws: &Workspace, unit: UnitId, area: AreaId) -> Vec<(&WorkshopSession, &PokerRound)> {
    let mut out: Vec<(&WorkshopSession, &PokerRound)> = ws.workshops.iter().flat_map(|s| s.rounds.iter().filter(|r| r.unit == unit && r.area == area).map(move |r| (s, r))).collect();
    out.sort_by_key(|(s, r)| (s.date, s.id, r.id));
    out
}

/// Checks every workshop's references: units, areas, participants, commitments, grants.
pub(crate) fn validate(ws: &Workspace, errors: &mut Vec<ModelError>) {
    let mut ids = IdSet::default();
    for s in &ws.workshops {
        let bad = |field: &'static str, problem: String| ModelError::Workshop { title: s.title.to_string(), field, problem };
        if !ids.insert(s.id.0) {
            errors.push(ModelError::DuplicateId { kind: "workshop", id: s.id.0 });
        }
        for u in &s.units {
            if ws.unit(*u).is_none() {
                errors.push(bad("units", format!("no unit with id {}", u.0)));
            }
        }
        for a in &s.areas {
            if ws.area(*a).is_none() {
                errors.push(bad("areas", format!("no decision area with id {}", a.0)));
            }
        }
        for (i, p) in s.participants.iter().enumerate() {
            if s.participants[..i].iter().any(|q| same_name(p.as_str(), q.as_str())) {
                errors.push(bad("participants", format!("\u{201c}{p}\u{201d} is listed twice")));
            }
        }
        if s.furthest < s.step {
            errors.push(bad("furthest", format!("is before the current step, {}", s.step.title())));
        }
        if s.results_period.from > s.results_period.to {
            errors.push(bad("results period", "ends before it starts".to_owned()));
        }
        for t in &s.timers {
            if t.default_secs == 0 || t.default_secs > StepTimer::MAX_SECS {
                errors.push(bad("timer", format!("must last between 1 second and {} hours", StepTimer::MAX_SECS / 3600)));
            }
        }
        let mut rounds = std::collections::BTreeSet::new();
        for r in &s.rounds {
            if !rounds.insert(r.id) {
                errors.push(bad("rounds", format!("round id {} is used twice", r.id.0)));
            }
            if ws.unit(r.unit).is_none() {
                errors.push(bad("round unit", format!("no unit with id {}", r.unit.0)));
            }
            if ws.area(r.area).is_none() {
                errors.push(bad("round area", format!("no decision area with id {}", r.area.0)));
            }
            for (i, v) in r.votes.iter().enumerate() {
                if s.participant(v.participant.as_str()).is_none() {
                    errors.push(bad("vote participant", format!("\u{201c}{}\u{201d} is not a participant", v.participant)));
                }
                if r.votes[..i].iter().any(|w| same_name(w.participant.as_str(), v.participant.as_str())) {
                    errors.push(bad("votes", format!("\u{201c}{}\u{201d} voted twice in round {}", v.participant, r.id.0)));
                }
            }
            if let Some(a) = &r.agreed {
                if !r.revealed {
                    errors.push(bad("agreed", format!("round {} is agreed but its votes were never revealed", r.id.0)));
                }
                if a.grant.unit != r.unit || a.grant.area != r.area || !ws.grants.iter().any(|g| g.unit == a.grant.unit && g.area == a.grant.area && g.date == a.grant.date) {
                    errors.push(bad("agreed grant", format!("round {} names a grant that is not recorded", r.id.0)));
                }
            }
        }
        let mut outcome_units = IdSet::default();
        for o in &s.outcomes {
            if ws.unit(o.unit).is_none() {
                errors.push(bad("outcome unit", format!("no unit with id {}", o.unit.0)));
            }
            if !outcome_units.insert(o.unit) {
                errors.push(bad("outcomes", format!("unit id {} has two outcomes", o.unit.0)));
            }
            if let Some(r) = o.reviewer.filter(|r| ws.unit(*r).is_none()) {
                errors.push(bad("outcome reviewer", format!("no unit with id {}", r.0)));
            }
            for a in &o.actions {
                if let Some(c) = a.commitment.filter(|c| ws.commitment(*c).is_none()) {
                    errors.push(bad("action commitment", format!("no commitment with id {}", c.0)));
                }
                if let Some(d) = a.done.filter(|d| *d < s.date) {
                    errors.push(bad("action done", format!("\u{201c}{}\u{201d} is marked done on {}, before its workshop's day", a.text, format_date(d))));
                }
            }
        }
    }
}

fn workshop_index(ws: &Workspace, id: WorkshopId) -> Result<usize, CommandError> {
    ws.workshops.iter().position(|s| s.id == id).ok_or(CommandError::NotFound { field: "workshop", what: "workshop", id: id.0 })
}

/// The workshop, refused when finished (only its title and notes change then).
fn open_index(ws: &Workspace, id: WorkshopId) -> Result<usize, CommandError> {
    let i = workshop_index(ws, id)?;
    if ws.workshops[i].finished {
        return Err(CommandError::Invalid { field: "workshop", message: format!("{} is finished; reopen it to change it", ws.workshops[i].title) });
    }
    Ok(i)
}

fn round_index(s: &WorkshopSession, id: RoundId) -> Result<usize, CommandError> {
    s.rounds.iter().position(|r| r.id == id).ok_or(CommandError::NotFound { field: "round", what: "poker round", id: id.0 })
}

fn invalid(field: &'static str, message: impl Into<String>) -> CommandError {
    CommandError::Invalid { field, message: message.into() }
}

/// Replaces the workshop at `i` with `after`, naming it in the change when it differs.
fn put(ws: &mut Workspace, i: usize, after: WorkshopSession, mut change: Change) -> Result<Change, CommandError> {
    if ws.workshops[i] != after {
        change.workshops.edited.push(after.id);
        ws.workshops[i] = after;
    }
    Ok(change)
}

/// Applies a workshop command (called by [`super::command::apply`] for these commands).
pub(crate) fn apply(ws: &mut Workspace, command: &Command) -> Result<Change, CommandError> {
    match command {
        Command::StartWorkshop { date, title } => {
            let id = ws.next_workshop_id();
            if ws.workshops.iter().any(|s| s.id == id) {
                return Err(invalid("id", "no workshop id is left to give"));
            }
            let mut s = WorkshopSession::new(id, *date, title.clone());
            // A second workshop of the day without a title of its own is told apart (and so
            // are its files): "Workshop of 2026-11-26 (2)".
            if title.is_none() {
                let base = s.title.to_string();
                let mut n = 1;
                while ws.workshops.iter().any(|w| same_name(w.title.as_str(), s.title.as_str())) {
                    n += 1;
                    s.title = Name::new(format!("{base} ({n})")).expect("a short name");
                }
            }
            let mut change = Change::new(format!("Started {}", s.title));
            ws.workshops.push(s);
            ws.issued.workshop = ws.issued.workshop.max(id.0);
            change.workshops.added.push(id);
            Ok(change)
        }
        Command::SetWorkshopTitle { workshop, title } => {
            let i = workshop_index(ws, *workshop)?;
            let mut s = ws.workshops[i].clone();
            let change = Change::new(format!("Renamed the workshop {} to {title}", s.title));
            s.title = title.clone();
            put(ws, i, s, change)
        }
        Command::SetWorkshopNotes { workshop, notes } => {
            let i = workshop_index(ws, *workshop)?;
            let mut s = ws.workshops[i].clone();
            s.notes = text("notes", notes, MAX_TEXT_CHARS * 5)?;
            let change = Change::new(format!("Edited the notes of {}", s.title));
            put(ws, i, s, change)
        }
        Command::SetParticipants { workshop, participants } => {
            let i = open_index(ws, *workshop)?;
            let mut s = ws.workshops[i].clone();
            if participants.len() > MAX_PARTICIPANTS {
                return Err(invalid("participants", format!("at most {MAX_PARTICIPANTS} people can vote in one workshop")));
            }
            let mut list: Vec<Name> = Vec::with_capacity(participants.len());
            for p in participants {
                if list.iter().any(|q| same_name(q.as_str(), p.as_str())) {
                    return Err(invalid("participants", format!("{p} is listed twice")));
                }
                list.push(p.clone());
            }
            for r in &s.rounds {
                if let Some(v) = r.votes.iter().find(|v| !list.iter().any(|p| same_name(p.as_str(), v.participant.as_str()))) {
                    return Err(invalid("participants", format!("{} has voted in a round; keep them", v.participant)));
                }
            }
            s.participants = list;
            let change = Change::new(format!("Set {} participant{} for {}", s.participants.len(), plural(s.participants.len()), s.title));
            put(ws, i, s, change)
        }
        Command::SetWorkshopScope { workshop, units, areas } => {
            let i = open_index(ws, *workshop)?;
            let mut s = ws.workshops[i].clone();
            let mut us = Vec::with_capacity(units.len());
            for u in units {
                ws.unit(*u).ok_or(CommandError::NotFound { field: "units", what: "unit", id: u.0 })?;
                if !us.contains(u) {
                    us.push(*u);
                }
            }
            let mut xs = Vec::with_capacity(areas.len());
            for a in areas {
                ws.area(*a).ok_or(CommandError::NotFound { field: "areas", what: "decision area", id: a.0 })?;
                if !xs.contains(a) {
                    xs.push(*a);
                }
            }
            s.units = us;
            s.areas = xs;
            let change = Change::new(format!("Set the scope of {}: {} unit{}, {} area{}", s.title, s.units.len(), plural(s.units.len()), s.areas.len(), plural(s.areas.len())));
            put(ws, i, s, change)
        }
        Command::AddWorkshopUnit { workshop, name, kind, parent } => {
            let i = open_index(ws, *workshop)?;
            let mut next = ws.clone();
            let mut change = super::command::apply(&mut next, &Command::AddUnit { name: name.clone(), kind: *kind, parent: *parent, role: String::new() })?;
            let unit = change.units.added.first().copied().ok_or(CommandError::Invalid { field: "name", message: format!("{name} was not added") })?;
            next.workshops[i].units.push(unit);
            change.workshops.edited.push(*workshop);
            change.summary = format!("Added {name} to the workshop");
            *ws = next;
            Ok(change)
        }
        Command::SetVotePrivacy { workshop, privacy } => {
            let i = open_index(ws, *workshop)?;
            let mut s = ws.workshops[i].clone();
            s.privacy = *privacy;
            let change = Change::new(match privacy {
                VotePrivacy::Named => format!("Votes in {} are revealed with names", s.title),
                VotePrivacy::Anonymous => format!("Votes in {} are revealed without names", s.title),
            });
            put(ws, i, s, change)
        }
        Command::GoToStep { workshop, step, now_ms } => {
            let i = open_index(ws, *workshop)?;
            let mut s = ws.workshops[i].clone();
            let moved = s.step != *step;
            s.step = *step;
            s.furthest = s.furthest.max(*step);
            // The clock follows the step shown: a timer running elsewhere never runs unseen.
            let running = s.timers.iter().any(StepTimer::is_running);
            let mut change = Change::new(format!("Went to step {}, {}", step.index() + 1, step.title()));
            if running && moved {
                for (at, t) in s.timers.iter_mut().enumerate() {
                    if at == step.index() {
                        t.running_since = t.running_since.or(Some(*now_ms));
                    } else if t.is_running() {
                        t.elapsed_ms = t.elapsed_at(*now_ms);
                        t.running_since = None;
                    }
                }
                change = Change::new(format!("Went to step {}, {}, its timer running", step.index() + 1, step.title()));
            }
            put(ws, i, s, change)
        }
        Command::StartTimer { workshop, step, now_ms } => {
            let i = open_index(ws, *workshop)?;
            let mut s = ws.workshops[i].clone();
            let t = &mut s.timers[step.index()];
            if t.running_since.is_none() {
                t.running_since = Some(*now_ms);
            }
            put(ws, i, s, Change::new(format!("Started the timer of {}", step.title())))
        }
        Command::PauseTimer { workshop, step, now_ms } => {
            let i = open_index(ws, *workshop)?;
            let mut s = ws.workshops[i].clone();
            let t = &mut s.timers[step.index()];
            t.elapsed_ms = t.elapsed_at(*now_ms);
            t.running_since = None;
            put(ws, i, s, Change::new(format!("Paused the timer of {}", step.title())))
        }
        Command::ResetTimer { workshop, step } => {
            let i = open_index(ws, *workshop)?;
            let mut s = ws.workshops[i].clone();
            let t = &mut s.timers[step.index()];
            t.elapsed_ms = 0;
            t.running_since = None;
            put(ws, i, s, Change::new(format!("Reset the timer of {}", step.title())))
        }
        Command::SetTimerDefault { workshop, step, seconds } => {
            let i = open_index(ws, *workshop)?;
            if *seconds == 0 || *seconds > StepTimer::MAX_SECS {
                return Err(invalid("duration", format!("must be between 1 second and {} hours", StepTimer::MAX_SECS / 3600)));
            }
            let mut s = ws.workshops[i].clone();
            s.timers[step.index()].default_secs = *seconds;
            put(ws, i, s, Change::new(format!("The timer of {} lasts {}", step.title(), duration_words(*seconds))))
        }
        Command::OpenRound { workshop, unit, area } => {
            let i = open_index(ws, *workshop)?;
            let who = ws.unit(*unit).ok_or(CommandError::NotFound { field: "unit", what: "unit", id: unit.0 })?.name.clone();
            // A round for this unit and area that nobody has voted in yet is the one a
            // second click would open again: it is kept, and nothing changes.
            let known = match area {
                AreaRef::Existing(a) => Some(*a),
                AreaRef::New(name) => ws.areas.iter().find(|a| a.name.as_str().eq_ignore_ascii_case(name.as_str())).map(|a| a.id),
            };
            if let Some(a) = known.filter(|a| ws.workshops[i].rounds.iter().any(|r| r.unit == *unit && r.area == *a && r.agreed.is_none() && r.votes.is_empty())) {
                return Ok(Change::new(format!("A poker round for {who} in {} is already open", ws.area_name(a))));
            }
            let mut change = Change::new(String::new());
            let area_id = area_for(ws, area, &mut change)?;
            let mut s = ws.workshops[i].clone();
            let id = s.next_round_id();
            s.rounds.push(PokerRound { id, unit: *unit, area: area_id, votes: Vec::new(), revealed: false, anonymous: false, agreed: None });
            if !s.units.contains(unit) {
                s.units.push(*unit);
            }
            if !s.areas.contains(&area_id) {
                s.areas.push(area_id);
            }
            change.summary = format!("Opened a poker round for {who} in {}", ws.area_name(area_id));
            put(ws, i, s, change)
        }
        Command::CastVote { workshop, round, participant, level } => {
            let i = open_index(ws, *workshop)?;
            let mut s = ws.workshops[i].clone();
            let r = round_index(&s, *round)?;
            let who = s.participant(participant.as_str()).cloned().ok_or_else(|| invalid("participant", format!("{participant} is not a participant of this workshop; add them first")))?;
            let rd = &mut s.rounds[r];
            if rd.revealed {
                return Err(invalid("round", "the votes are revealed; open a new round to vote again"));
            }
            let vote = Vote { participant: who.clone(), level: *level };
            match rd.votes.iter_mut().find(|v| v.participant == who) {
                Some(v) => *v = vote,
                None => rd.votes.push(vote),
            }
            put(ws, i, s, Change::new(format!("{who} voted")))
        }
        Command::RevealRound { workshop, round } => {
            let i = open_index(ws, *workshop)?;
            let mut s = ws.workshops[i].clone();
            let r = round_index(&s, *round)?;
            if s.rounds[r].votes.is_empty() {
                return Err(invalid("round", "nobody has voted yet"));
            }
            s.rounds[r].revealed = true;
            s.rounds[r].anonymous = s.privacy == VotePrivacy::Anonymous;
            let n = s.rounds[r].votes.len();
            put(ws, i, s, Change::new(format!("Revealed {n} vote{}", plural(n))))
        }
        Command::DiscardRound { workshop, round } => {
            let i = open_index(ws, *workshop)?;
            let mut s = ws.workshops[i].clone();
            let r = round_index(&s, *round)?;
            if s.rounds[r].agreed.is_some() {
                return Err(invalid("round", "its grant is recorded; a recorded round stays in the history"));
            }
            s.rounds.remove(r);
            put(ws, i, s, Change::new("Discarded a poker round".to_owned()))
        }
        Command::AgreeRound { workshop, round, level, rung, granted_by, reason } => {
            let i = open_index(ws, *workshop)?;
            let s = &ws.workshops[i];
            let r = round_index(s, *round)?;
            let rd = &s.rounds[r];
            if !rd.revealed {
                return Err(invalid("round", "reveal the votes before agreeing"));
            }
            if let Some(a) = &rd.agreed {
                if a.level == *level && a.rung == *rung {
                    return Ok(Change::new(format!("Already recorded: level {} at scope {}", level.get(), rung.get())));
                }
                return Err(invalid("round", format!("already agreed and recorded as level {} at scope {}; open a new round to change it", a.level.get(), a.rung.get())));
            }
            let reason = if reason.trim().is_empty() { poker_reason(s, rd) } else { reason.clone() };
            let (unit, area, date) = (rd.unit, rd.area, s.date);
            let grant = Command::Grant { unit, area: AreaRef::Existing(area), date, rung: *rung, level: *level, granted_by: *granted_by, reason };
            let mut next = ws.clone();
            let mut change = super::command::apply(&mut next, &grant)?;
            next.workshops[i].rounds[r].agreed = Some(Agreement { level: *level, rung: *rung, grant: GrantKey { unit, area, date } });
            change.workshops.edited.push(*workshop);
            *ws = next;
            Ok(change)
        }
        Command::SetResultsPeriod { workshop, from, to } => {
            let i = open_index(ws, *workshop)?;
            if to < from {
                return Err(invalid("to", format!("is before the start of the period, {}", format_date(*from))));
            }
            let mut s = ws.workshops[i].clone();
            s.results_period = Period { from: *from, to: *to };
            put(ws, i, s, Change::new(format!("Results from {} to {}", format_date(*from), format_date(*to))))
        }
        Command::RecordResults { workshop, rows } => {
            let i = open_index(ws, *workshop)?;
            let s = &ws.workshops[i];
            if rows.is_empty() {
                return Err(invalid("results", "enter at least one value"));
            }
            for row in rows {
                let c = ws.commitment(row.commitment).ok_or(CommandError::NotFound { field: "commitment", what: "commitment", id: row.commitment.0 })?;
                if !s.units.contains(&c.owner) {
                    return Err(invalid("commitment", format!("{} belongs to {}, who is not in this workshop", c.title, ws.unit_name(c.owner))));
                }
                if !s.results_period.contains(row.checkin.date) {
                    return Err(invalid(
                        "date",
                        format!("{} is outside the results period, {} to {}", format_date(row.checkin.date), format_date(s.results_period.from), format_date(s.results_period.to)),
                    ));
                }
            }
            let title = s.title.clone();
            let rows: Vec<CheckInRow> = rows.clone();
            let mut change = super::command::apply(ws, &Command::ImportCheckIns { rows })?;
            change.summary = format!("Recorded {} result{} in {title}", change.checkins.all().count(), plural(change.checkins.all().count()));
            Ok(change)
        }
        Command::AgreeActions { workshop, unit, verdict, reviewer, note, actions } => {
            let i = open_index(ws, *workshop)?;
            let s = &ws.workshops[i];
            let who = ws.unit(*unit).ok_or(CommandError::NotFound { field: "unit", what: "unit", id: unit.0 })?.name.clone();
            let note = text("note", note, MAX_TEXT_CHARS)?;
            if actions.len() > MAX_ACTIONS {
                return Err(invalid("actions", format!("at most {MAX_ACTIONS} actions per unit")));
            }
            // Every action has a date to be done by, on or after the workshop's day (so one
            // that becomes a commitment has its due date).
            for a in actions {
                match a.due {
                    None => return Err(invalid("due", format!("give \u{201c}{}\u{201d} a due date", a.text))),
                    Some(due) if due < s.date => {
                        return Err(invalid("due", format!("\u{201c}{}\u{201d} falls on {}, before the workshop's day ({})", a.text, format_date(due), format_date(s.date))));
                    }
                    Some(_) => {}
                }
            }
            if let Some(done) = s.outcome(*unit) {
                let same = done.verdict == *verdict
                    && done.note == note
                    && done.reviewer == *reviewer
                    && done.actions.len() == actions.len()
                    && done.actions.iter().zip(actions).all(|(a, b)| a.text == b.text && a.owner == b.owner && a.due == b.due && a.commitment.is_some() == b.commitment.is_some());
                if same {
                    return Ok(Change::new(format!("Already recorded the actions for {who}")));
                }
                return Err(invalid("unit", format!("the actions for {who} are already agreed in this workshop")));
            }
            let date = s.date;
            let mut next = ws.clone();
            let mut change = super::command::apply(&mut next, &Command::RecordReview { unit: *unit, date, reviewer: *reviewer, verdict: *verdict, note: note.clone() })?;
            let mut items = Vec::with_capacity(actions.len());
            for a in actions {
                let commitment = match a.commitment {
                    Some(category) => {
                        let fields = CommitmentFields { due: a.due, ..CommitmentFields::new(*unit, a.text.clone(), category, date) };
                        let c = super::command::apply(&mut next, &Command::AddCommitment { fields })?;
                        change.commitments.added.extend(c.commitments.added.iter().copied());
                        c.commitments.added.first().copied()
                    }
                    None => None,
                };
                items.push(ActionItem { text: a.text.clone(), owner: a.owner.clone(), due: a.due, commitment, done: None });
            }
            next.workshops[i].outcomes.push(UnitOutcome { unit: *unit, verdict: *verdict, note, reviewer: *reviewer, actions: items });
            change.workshops.edited.push(*workshop);
            change.summary = format!("Agreed {} for {who} with {} action{}", verdict.as_str(), actions.len(), plural(actions.len()));
            *ws = next;
            Ok(change)
        }
        Command::CompleteAction { workshop, unit, action, done } => {
            // Done weeks after the room met: a finished workshop takes it too.
            let i = workshop_index(ws, *workshop)?;
            let mut s = ws.workshops[i].clone();
            let day = s.date;
            let o = s.outcomes.iter_mut().find(|o| o.unit == *unit).ok_or(CommandError::NotFound { field: "unit", what: "agreed outcome for unit", id: unit.0 })?;
            let a = o.actions.get_mut(*action).ok_or(CommandError::NotFound { field: "action", what: "action", id: u32::try_from(*action).unwrap_or(u32::MAX) })?;
            if let Some(d) = done.filter(|d| *d < day) {
                return Err(invalid("done", format!("\u{201c}{}\u{201d} cannot be done on {}, before the workshop's day ({})", a.text, format_date(d), format_date(day))));
            }
            a.done = *done;
            let summary = match done {
                Some(d) => format!("Marked \u{201c}{}\u{201d} done on {}", a.text, format_date(*d)),
                None => format!("Marked \u{201c}{}\u{201d} not done", a.text),
            };
            put(ws, i, s, Change::new(summary))
        }
        Command::FinishWorkshop { workshop, now_ms } => {
            let i = workshop_index(ws, *workshop)?;
            let mut s = ws.workshops[i].clone();
            for t in &mut s.timers {
                t.elapsed_ms = t.elapsed_at(*now_ms);
                t.running_since = None;
            }
            s.finished = true;
            let change = Change::new(format!("Finished {}", s.title));
            put(ws, i, s, change)
        }
        Command::ReopenWorkshop { workshop } => {
            let i = workshop_index(ws, *workshop)?;
            let mut s = ws.workshops[i].clone();
            s.finished = false;
            let change = Change::new(format!("Reopened {}", s.title));
            put(ws, i, s, change)
        }
        Command::DeleteWorkshop { workshop } => {
            let i = workshop_index(ws, *workshop)?;
            let s = ws.workshops.remove(i);
            ws.issued.workshop = ws.issued.workshop.max(s.id.0);
            let mut change = Change::new(format!("Deleted {}", s.title));
            change.workshops.removed.push(s.id);
            Ok(change)
        }
        _ => unreachable!("only workshop commands are applied here"),
    }
}

/// The most participants one workshop lists.
pub const MAX_PARTICIPANTS: usize = 100;
/// The most actions agreed for one unit at once.
pub const MAX_ACTIONS: usize = 50;

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

fn duration_words(secs: u32) -> String {
    if secs % 60 == 0 {
        format!("{} minute{}", secs / 60, plural((secs / 60) as usize))
    } else {
        format!("{}:{:02}", secs / 60, secs % 60)
    }
}

/// The grant's reason when none is given: the workshop and the votes (levels only
/// when votes are revealed without names).
fn poker_reason(s: &WorkshopSession, r: &PokerRound) -> String {
    let votes = match r.shown(s.privacy) {
        ShownVotes::Named(v) => v.iter().map(|(n, l)| format!("{n} {}", l.get())).collect::<Vec<_>>().join(", "),
        ShownVotes::Anonymous(v) => v.iter().map(|l| l.get().to_string()).collect::<Vec<_>>().join(", "),
        ShownVotes::Hidden { .. } => String::new(),
    };
    let median = r.stats().map(|st| format!("; median {}", st.median)).unwrap_or_default();
    format!("Delegation poker in {}: {votes}{median}", s.title)
}

/// Markdown text with the characters that would format it escaped, on one line.
fn md(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' | '|' | '*' | '_' | '`' | '[' | ']' | '<' | '>' | '#' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' | '\t' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// Step 4's results as the summary shows them (plain text, escaped by the caller): for
/// each commitment of a unit in scope due in the results period, its unit, title, aim
/// and the last value recorded in the period, with its evidence.
pub fn results_summary(ws: &Workspace, s: &WorkshopSession) -> Vec<[String; 4]> {
    s.results_grid(ws)
        .into_iter()
        .flat_map(|(unit, cs)| {
            cs.into_iter().map(move |c| {
                let aim = c.aim();
                let reached = s.result_reached(c).unwrap_or_else(|| "no value in the period".to_owned());
                [ws.unit_name(unit).to_owned(), c.title.to_string(), aim, reached]
            })
        })
        .collect()
}

/// A round as the summary shows it, on screen, in the picture and in Markdown (plain
/// text, escaped by the caller): unit, decision area, what was agreed, the votes as the
/// room may see them, their spread and median. When fewer voted than the workshop
/// lists, the votes say how many of them did ("3 of 12 voted").
pub fn round_summary(ws: &Workspace, s: &WorkshopSession, r: &PokerRound) -> [String; 6] {
    let policy = &ws.policy;
    let agreed = match &r.agreed {
        Some(a) => format!("level {} {} at scope {} {}", a.level.get(), policy.level_label(a.level.get()), a.rung.get(), policy.rung_label(a.rung.get())),
        None => "not agreed".to_owned(),
    };
    let (cast, listed) = (r.votes.len(), s.participants.len());
    let partial = (cast > 0 && cast < listed).then(|| format!("{cast} of {listed} voted"));
    let listed_votes = |list: Vec<String>, partial: Option<String>| match partial {
        Some(p) => format!("{} ({p})", list.join(", ")),
        None => list.join(", "),
    };
    let votes = match (r.shown(s.privacy), partial) {
        (ShownVotes::Hidden { .. }, Some(p)) => format!("{p}, not revealed"),
        (ShownVotes::Hidden { voted }, None) => format!("{} vote{}, not revealed", voted.len(), plural(voted.len())),
        (ShownVotes::Named(v), p) => listed_votes(v.iter().map(|(n, l)| format!("{n} {}", l.get())).collect(), p),
        (ShownVotes::Anonymous(v), p) => listed_votes(v.iter().map(|l| l.get().to_string()).collect(), p),
    };
    let (spread, median) = match r.stats().filter(|_| r.revealed) {
        Some(st) => (if st.min == st.max { st.min.get().to_string() } else { format!("{} to {}", st.min.get(), st.max.get()) }, st.median.to_string()),
        None => ("–".to_owned(), "–".to_owned()),
    };
    [ws.unit_name(r.unit).to_owned(), ws.area_name(r.area).to_owned(), agreed, votes, spread, median]
}

/// The workshop's one-page summary as Markdown, to paste into a wiki page: the date and
/// participants, each round's agreed level and scope with the vote spread and median,
/// where the map places each unit in scope (scored on the workshop's day), the verdicts
/// and actions with owners and due dates, and the notes. Votes of an anonymous workshop
/// are listed without names.
pub fn summary_markdown(ws: &Workspace, s: &WorkshopSession) -> String {
    use std::fmt::Write;
    let policy = &ws.policy;
    let mut out = String::new();
    let _ = writeln!(out, "# {}\n", md(s.title.as_str()));
    let _ = writeln!(out, "- **Date:** {}", format_date(s.date));
    let people = if s.participants.is_empty() { "none listed".to_owned() } else { s.participants.iter().map(|p| md(p.as_str())).collect::<Vec<_>>().join(", ") };
    let _ = writeln!(out, "- **Participants:** {people}");
    let _ = writeln!(out, "- **Status:** {}", if s.finished { "finished".to_owned() } else { format!("{} of {} steps done", s.steps_done(), Step::ALL.len()) });
    let _ = writeln!(out, "- **Results period:** {} to {}", format_date(s.results_period.from), format_date(s.results_period.to));

    let _ = writeln!(out, "\n## Agreed autonomy\n");
    if s.rounds.is_empty() {
        let _ = writeln!(out, "No poker round was played.");
    } else {
        let _ = writeln!(out, "| Unit | Decision area | Agreed | Votes | Spread | Median |");
        let _ = writeln!(out, "| --- | --- | --- | --- | --- | --- |");
        for r in &s.rounds {
            let _ = writeln!(out, "| {} |", round_summary(ws, s, r).map(|c| md(&c)).join(" | "));
        }
    }

    let _ = writeln!(out, "\n## The map on {}\n", format_date(s.date));
    if s.units.is_empty() {
        let _ = writeln!(out, "No unit is in scope.");
    } else {
        let scores = super::score::score(ws, policy, s.date);
        let _ = writeln!(out, "| Unit | Granted A | Supported S | Gap A − S | Where |");
        let _ = writeln!(out, "| --- | --- | --- | --- | --- |");
        for u in &s.units {
            let Some(sc) = scores.units.iter().find(|x| x.unit == *u) else { continue };
            let place = match policy.gap_band(sc.gap) {
                super::policy::GapBand::Overextended => "above the diagonal: more autonomy granted than the evidence supports",
                super::policy::GapBand::Headroom => "below the diagonal: the evidence supports more autonomy than granted",
                super::policy::GapBand::Balanced => "near the diagonal",
            };
            let _ = writeln!(out, "| {} | {:.0} | {:.0} | {} | {place} |", md(ws.unit_name(*u)), sc.autonomy, sc.supported, policy.gap_between(sc.autonomy, sc.supported));
        }
    }

    let _ = writeln!(out, "\n## Results from {} to {}\n", format_date(s.results_period.from), format_date(s.results_period.to));
    let results = results_summary(ws, s);
    if results.is_empty() {
        let _ = writeln!(out, "No commitment of the units in scope falls due in this period.");
    } else {
        let _ = writeln!(out, "| Unit | Result | Aim | Reached |");
        let _ = writeln!(out, "| --- | --- | --- | --- |");
        for r in &results {
            let _ = writeln!(out, "| {} |", r.each_ref().map(|c| md(c)).join(" | "));
        }
    }

    let _ = writeln!(out, "\n## Verdicts and actions\n");
    if s.outcomes.is_empty() {
        let _ = writeln!(out, "No verdict was agreed.");
    }
    for o in &s.outcomes {
        let _ = writeln!(out, "### {}: {}\n", md(ws.unit_name(o.unit)), o.verdict.as_str());
        if !o.note.is_empty() {
            let _ = writeln!(out, "{}\n", md(&o.note));
        }
        if o.actions.is_empty() {
            let _ = writeln!(out, "No actions.\n");
        }
        for a in &o.actions {
            let due = a.due.map(|d| format!(", due {}", format_date(d))).unwrap_or_default();
            let commitment = if a.commitment.is_some() { " (a commitment)" } else { "" };
            let done = a.done.map(|d| format!(", done {}", format_date(d))).unwrap_or_default();
            let _ = writeln!(out, "- {}: owner {}{due}{commitment}{done}", md(a.text.as_str()), md(a.owner.as_str()));
        }
        if !o.actions.is_empty() {
            out.push('\n');
        }
    }
    let open = s.units_without_outcome();
    if !open.is_empty() && !s.outcomes.is_empty() {
        let names: Vec<String> = open.iter().map(|u| md(ws.unit_name(*u))).collect();
        let _ = writeln!(out, "No verdict agreed for {}.", names.join(", "));
    }
    if !s.notes.is_empty() {
        let _ = writeln!(out, "\n## Notes\n\n{}", md(&s.notes));
    }
    out.trim_end().to_owned() + "\n"
}

/// The grant `unit` holds in `area` on `on`: the latest dated on or before it.
pub fn current_grant(ws: &Workspace, unit: UnitId, area: AreaId, on: Date) -> Option<&Grant> {
    ws.grants.iter().filter(|g| g.unit == unit && g.area == area && g.date <= on).max_by_key(|g| g.date)
}

/// Whether granting `level` at `rung` would take something away from `current`: a
/// lower level or a narrower scope.
pub fn narrows(current: &Grant, level: Level, rung: Rung) -> bool {
    level.get() < current.level.get() || rung.get() < current.rung.get()
}
