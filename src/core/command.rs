//! Every edit a person can make to a workspace, as data: a [`Command`] is validated and
//! applied by [`apply`], which either changes nothing and says which field is wrong
//! ([`CommandError`]), or applies the whole edit and describes it ([`Change`]): which
//! records were added, edited or removed, and a sentence for the undo notice. Views
//! gather input and call `apply`; undo keeps the version before, saving and the
//! incremental rescore read the `Change`, and so will replication to a shared database.
//!
//! Every command keeps the model's invariants: ids are fresh (never given twice, see
//! [`crate::core::IssuedIds`]); check-ins stay sorted with one per commitment and day
//! (recording a second one on a day edits the first); grants and autonomy reviews are
//! history, appended and never overwritten; a reviewer is never the one reviewed; the
//! leadership tree has no loop; and the workspace stays valid ([`Workspace::validate`]).

use serde::{Deserialize, Serialize};
use thiserror::Error;
use time::Date;

use super::dates::format_date;
use super::error::ModelError;
use super::model::*;
use super::policy::Policy;
use super::score::add_days;
use super::workshop::{ActionInput, RoundId, Step, VotePrivacy, WorkshopId};

/// The longest free text a command accepts (a role, a reason, a note …), in characters.
pub const MAX_TEXT_CHARS: usize = 2000;

/// A decision area a form names: one that exists, or a new one by name (an existing area
/// of that name, in any case, is used rather than a second one created).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AreaRef {
    Existing(AreaId),
    New(Name),
}

/// One check-in to record, for [`Command::ImportCheckIns`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CheckInRow {
    pub commitment: CommitmentId,
    pub checkin: CheckIn,
}

/// One edit of a workspace. Plain data: it can be logged, sent and replayed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum Command {
    /// A new person or team, optionally reporting to a leader.
    AddUnit {
        name: Name,
        kind: UnitKind,
        parent: Option<UnitId>,
        role: String,
    },
    /// Everything about a unit: name, kind, leader and role.
    EditUnit {
        unit: UnitId,
        name: Name,
        kind: UnitKind,
        parent: Option<UnitId>,
        role: String,
    },
    /// A new leader (or none) for a unit.
    MoveUnit {
        unit: UnitId,
        parent: Option<UnitId>,
    },
    /// A unit and everything it owns; its reports move up to its own leader and
    /// references to it elsewhere are cleared.
    RemoveUnit {
        unit: UnitId,
    },
    AddArea {
        name: Name,
    },
    RenameArea {
        area: AreaId,
        name: Name,
    },
    /// A grant of scope and delegation in one area, from a date: appended to the history.
    Grant {
        unit: UnitId,
        area: AreaRef,
        #[serde(with = "crate::core::dates::iso")]
        date: Date,
        rung: Rung,
        level: Level,
        granted_by: Option<UnitId>,
        reason: String,
    },
    AddCommitment {
        fields: CommitmentFields,
    },
    /// The fields of a commitment; its check-ins stay.
    EditCommitment {
        commitment: CommitmentId,
        fields: CommitmentFields,
    },
    /// Ends a commitment on a date: it becomes due that day, and is scored on what it
    /// delivered by then.
    CloseCommitment {
        commitment: CommitmentId,
        #[serde(with = "crate::core::dates::iso")]
        date: Date,
    },
    /// A check-in; one already on that day is replaced (an edit, not a second entry).
    RecordCheckIn {
        commitment: CommitmentId,
        checkin: CheckIn,
    },
    /// Changes the check-in of `date` (its value, notes, or its day if that day is free).
    EditCheckIn {
        commitment: CommitmentId,
        #[serde(with = "crate::core::dates::iso")]
        date: Date,
        checkin: CheckIn,
    },
    DeleteCheckIn {
        commitment: CommitmentId,
        #[serde(with = "crate::core::dates::iso")]
        date: Date,
    },
    /// Check-ins from a spreadsheet, all or none; each replaces one on the same day.
    ImportCheckIns {
        rows: Vec<CheckInRow>,
    },
    /// A decision; without a review date it is due for review after the policy's
    /// `decision_review_days`.
    LogDecision {
        unit: UnitId,
        area: AreaId,
        #[serde(with = "crate::core::dates::iso")]
        date: Date,
        title: Name,
        expected: String,
        #[serde(with = "crate::core::dates::iso::option", default)]
        review_date: Option<Date>,
    },
    /// A decision's outcome, the units that accept accountability for it, and the review's date.
    ReviewDecision {
        decision: DecisionId,
        outcome: Outcome,
        accountable: Vec<UnitId>,
        #[serde(with = "crate::core::dates::iso")]
        date: Date,
    },
    /// An autonomy review of a unit: appended to the history.
    RecordReview {
        unit: UnitId,
        #[serde(with = "crate::core::dates::iso")]
        date: Date,
        reviewer: Option<UnitId>,
        verdict: Verdict,
        note: String,
    },
    /// A felt-autonomy pulse; one for the unit on that day is replaced.
    AddPulse {
        unit: UnitId,
        #[serde(with = "crate::core::dates::iso")]
        date: Date,
        score: PulseScore,
    },
    SetPolicy {
        policy: Box<Policy>,
    },
    RenameWorkspace {
        name: Name,
    },
    /// Another workspace in place of this one (an import or the sample); must be valid.
    ReplaceWorkspace {
        workspace: Box<Workspace>,
    },
    // The workshop (see [`crate::core::workshop`]).
    /// A new workshop on a day; without a title it is "Workshop of 2026-11-25".
    StartWorkshop {
        #[serde(with = "crate::core::dates::iso")]
        date: Date,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        title: Option<Name>,
    },
    SetWorkshopTitle {
        workshop: WorkshopId,
        title: Name,
    },
    /// The participants' names, once for the workshop; one who has voted must stay.
    SetParticipants {
        workshop: WorkshopId,
        participants: Vec<Name>,
    },
    /// The units and decision areas in scope.
    SetWorkshopScope {
        workshop: WorkshopId,
        units: Vec<UnitId>,
        areas: Vec<AreaId>,
    },
    /// Adds a unit named in the room and puts it in the workshop's scope: one step, so
    /// one Undo takes both back.
    AddWorkshopUnit {
        workshop: WorkshopId,
        name: Name,
        kind: UnitKind,
        parent: Option<UnitId>,
    },
    SetVotePrivacy {
        workshop: WorkshopId,
        privacy: VotePrivacy,
    },
    /// The step shown. The clock follows it: if a timer runs (at `now_ms`, epoch
    /// milliseconds), it is paused and the new step's timer runs on from there.
    GoToStep {
        workshop: WorkshopId,
        step: Step,
        now_ms: i64,
    },
    /// Starts a step's timer at `now_ms` (epoch milliseconds); a running one runs on.
    StartTimer {
        workshop: WorkshopId,
        step: Step,
        now_ms: i64,
    },
    /// Pauses a step's timer at `now_ms`, keeping the time it ran.
    PauseTimer {
        workshop: WorkshopId,
        step: Step,
        now_ms: i64,
    },
    ResetTimer {
        workshop: WorkshopId,
        step: Step,
    },
    /// A step's timer length, in seconds.
    SetTimerDefault {
        workshop: WorkshopId,
        step: Step,
        seconds: u32,
    },
    /// A delegation-poker round for a unit in an area (a new area is created); both
    /// join the scope.
    OpenRound {
        workshop: WorkshopId,
        unit: UnitId,
        area: AreaRef,
    },
    /// A participant's vote; a second vote of theirs replaces the first until the reveal.
    CastVote {
        workshop: WorkshopId,
        round: RoundId,
        participant: Name,
        level: Level,
    },
    RevealRound {
        workshop: WorkshopId,
        round: RoundId,
    },
    /// Drops a round that recorded nothing.
    DiscardRound {
        workshop: WorkshopId,
        round: RoundId,
    },
    /// The agreed level and scope of a revealed round, recorded as a grant on the
    /// workshop's day in the same command; without a reason, the votes are the reason.
    AgreeRound {
        workshop: WorkshopId,
        round: RoundId,
        level: Level,
        rung: Rung,
        granted_by: Option<UnitId>,
        #[serde(default)]
        reason: String,
    },
    /// The period the results grid records.
    SetResultsPeriod {
        workshop: WorkshopId,
        #[serde(with = "crate::core::dates::iso")]
        from: Date,
        #[serde(with = "crate::core::dates::iso")]
        to: Date,
    },
    /// Results of commitments of units in scope, each dated inside the results period.
    RecordResults {
        workshop: WorkshopId,
        rows: Vec<CheckInRow>,
    },
    /// A unit's verdict, recorded as an autonomy review on the workshop's day, and its
    /// actions (some becoming commitments), all in one command and only once.
    AgreeActions {
        workshop: WorkshopId,
        unit: UnitId,
        verdict: Verdict,
        reviewer: Option<UnitId>,
        #[serde(default)]
        note: String,
        actions: Vec<ActionInput>,
    },
    SetWorkshopNotes {
        workshop: WorkshopId,
        notes: String,
    },
    /// Marks an agreed action done on a day (`None`: not done), in a finished workshop too.
    CompleteAction {
        workshop: WorkshopId,
        unit: UnitId,
        /// Its place in the unit's agreed actions.
        action: usize,
        #[serde(with = "crate::core::dates::iso::option", default)]
        done: Option<Date>,
    },
    /// Finishes the workshop, pausing its timers at `now_ms`.
    FinishWorkshop {
        workshop: WorkshopId,
        now_ms: i64,
    },
    ReopenWorkshop {
        workshop: WorkshopId,
    },
    DeleteWorkshop {
        workshop: WorkshopId,
    },
}

/// Why a command was refused. Nothing was changed. Each names the field it is about,
/// in words a person can act on.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum CommandError {
    #[error("{field}: {message}")]
    Invalid { field: &'static str, message: String },
    #[error("{field}: no {what} with id {id}")]
    NotFound { field: &'static str, what: &'static str, id: u32 },
    #[error("{field}: {problem}")]
    Choice { field: &'static str, problem: String },
    #[error(transparent)]
    Model(#[from] ModelError),
    #[error("the workspace would break {} rule{}: {}", .0.len(), if .0.len() == 1 { "" } else { "s" }, .0.iter().take(3).map(ToString::to_string).collect::<Vec<_>>().join("; "))]
    Invalidates(Vec<ModelError>),
}

impl CommandError {
    fn invalid(field: &'static str, message: impl Into<String>) -> CommandError {
        CommandError::Invalid { field, message: message.into() }
    }

    /// A typed number a form could not read, as the error of its field: forms read
    /// numbers with [`parse_typed_number`](super::number::parse_typed_number) and report
    /// them like any other refusal.
    pub fn number(field: &'static str, e: super::number::NumberError) -> CommandError {
        CommandError::invalid(field, e.to_string())
    }

    /// The field the error is about, so a form can show it beside that field.
    pub fn field(&self) -> &'static str {
        match self {
            CommandError::Invalid { field, .. } | CommandError::NotFound { field, .. } | CommandError::Choice { field, .. } => field,
            CommandError::Invalidates(_) => "workspace",
            CommandError::Model(e) => match e {
                ModelError::EmptyName | ModelError::NameTooLong { .. } => "name",
                ModelError::NotFinite { field } | ModelError::OutOfRange { field, .. } | ModelError::UnknownUnit { field, .. } | ModelError::UnknownArea { field, .. } => field,
                ModelError::BadWeight => "weight",
                ModelError::TargetEqualsBaseline { .. } | ModelError::TargetWrongSide { .. } => "target",
                ModelError::DueBeforeStart { .. } => "due",
                ModelError::ReviewerIsOwner { .. } => "reviewer",
                ModelError::ParentCycle { .. } => "parent",
                ModelError::DuplicateId { .. } => "id",
                ModelError::ReviewBeforeDecision { .. } => "review date",
                ModelError::Policy { field, .. } => field,
                ModelError::DuplicateCheckIn { .. } => "date",
                ModelError::BadDate { .. } | ModelError::EarlyDate { .. } => "date",
                ModelError::Workshop { field, .. } => field,
            },
        }
    }
}

impl From<super::model::ChoiceError> for CommandError {
    fn from(e: super::model::ChoiceError) -> CommandError {
        CommandError::Choice { field: e.field, problem: e.to_string() }
    }
}

/// A grant, a review or a pulse has no id of its own: it is named by its unit, its day
/// and (for grants) its area. Two grants of one unit and area on one day both carry the
/// same key; they are told apart by their order in the history.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct GrantKey {
    pub unit: UnitId,
    pub area: AreaId,
    #[serde(with = "crate::core::dates::iso")]
    pub date: Date,
}

/// An autonomy review or a pulse, by its unit and day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct DatedKey {
    pub unit: UnitId,
    #[serde(with = "crate::core::dates::iso")]
    pub date: Date,
}

/// A check-in, by its commitment and day (unique: one per commitment and day).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct CheckInKey {
    pub commitment: CommitmentId,
    #[serde(with = "crate::core::dates::iso")]
    pub date: Date,
}

/// Records of one kind that a change added, edited or removed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Edits<K> {
    #[serde(default = "Vec::new", skip_serializing_if = "Vec::is_empty")]
    pub added: Vec<K>,
    #[serde(default = "Vec::new", skip_serializing_if = "Vec::is_empty")]
    pub edited: Vec<K>,
    #[serde(default = "Vec::new", skip_serializing_if = "Vec::is_empty")]
    pub removed: Vec<K>,
}

impl<K> Default for Edits<K> {
    fn default() -> Edits<K> {
        Edits { added: Vec::new(), edited: Vec::new(), removed: Vec::new() }
    }
}

impl<K> Edits<K> {
    pub fn is_empty(&self) -> bool {
        self.added.is_empty() && self.edited.is_empty() && self.removed.is_empty()
    }
    /// Every key, added, edited or removed.
    pub fn all(&self) -> impl Iterator<Item = &K> {
        self.added.iter().chain(&self.edited).chain(&self.removed)
    }
}

/// What a command changed, record by record, with a sentence for the undo notice. The
/// check-ins of an added or removed commitment travel with it and are not listed.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Change {
    /// "Recorded check-in for Checkout conversion on 2026-11-20".
    pub summary: String,
    /// The whole workspace was replaced: any record may differ.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub replaced: bool,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub name: bool,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub policy: bool,
    pub units: Edits<UnitId>,
    pub areas: Edits<AreaId>,
    pub grants: Edits<GrantKey>,
    pub commitments: Edits<CommitmentId>,
    pub checkins: Edits<CheckInKey>,
    pub decisions: Edits<DecisionId>,
    pub reviews: Edits<DatedKey>,
    pub pulses: Edits<DatedKey>,
    /// Workshops added, edited or removed (they do not change any score).
    #[serde(default, skip_serializing_if = "Edits::is_empty")]
    pub workshops: Edits<WorkshopId>,
}

impl Change {
    pub(crate) fn new(summary: String) -> Change {
        Change { summary, ..Change::default() }
    }

    /// Whether nothing changed (a command that set what was already there).
    pub fn is_empty(&self) -> bool {
        !self.replaced
            && !self.name
            && !self.policy
            && self.units.is_empty()
            && self.areas.is_empty()
            && self.grants.is_empty()
            && self.commitments.is_empty()
            && self.checkins.is_empty()
            && self.decisions.is_empty()
            && self.reviews.is_empty()
            && self.pulses.is_empty()
            && self.workshops.is_empty()
    }

    /// The commitments whose check-ins are all that changed, when nothing else that
    /// scores read did (workshops are not read): what the incremental rescore needs
    /// ([`crate::core::score::rescore_change`]).
    pub fn checkins_only(&self) -> Option<Vec<CommitmentId>> {
        let mut rest = self.clone();
        rest.checkins = Edits::default();
        rest.workshops = Edits::default();
        rest.summary.clear();
        if !rest.is_empty() {
            return None;
        }
        let mut ids: Vec<CommitmentId> = self.checkins.all().map(|k| k.commitment).collect();
        ids.sort_unstable();
        ids.dedup();
        Some(ids)
    }
}

/// Validates `command` against `ws` and applies it. On `Err` the workspace is unchanged.
///
/// ```
/// use latitude::core::*;
/// let mut ws = Workspace::new(Name::new("Acme").unwrap());
/// let add = Command::AddUnit { name: Name::new("Checkout").unwrap(), kind: UnitKind::Team, parent: None, role: String::new() };
/// let change = apply(&mut ws, &add).unwrap();
/// assert_eq!(change.summary, "Added Checkout");
/// let checkout = change.units.added[0];
/// // A unit cannot lead itself: refused, naming the field, and nothing changes.
/// let before = ws.clone();
/// let err = apply(&mut ws, &Command::MoveUnit { unit: checkout, parent: Some(checkout) }).unwrap_err();
/// assert_eq!((err.field(), ws == before), ("parent", true));
/// ```
pub fn apply(ws: &mut Workspace, command: &Command) -> Result<Change, CommandError> {
    match command {
        Command::AddUnit { name, kind, parent, role } => {
            unit_name_free(ws, name, None)?;
            if let Some(p) = parent {
                unit_exists(ws, *p, "parent")?;
            }
            let role = text("role", role, Name::MAX_CHARS)?;
            let id = ws.next_unit_id();
            fresh(ws.unit(id).is_none(), "unit")?;
            ws.units.push(Unit { id, name: name.clone(), kind: *kind, parent: *parent, role });
            ws.issued.unit = ws.issued.unit.max(id.0);
            let mut change = Change::new(format!("Added {name}"));
            change.units.added.push(id);
            Ok(change)
        }
        Command::EditUnit { unit, name, kind, parent, role } => {
            let before = unit_exists(ws, *unit, "unit")?.clone();
            // Only a new name is checked, so a stored workspace that already holds two
            // units of one name can still edit either without renaming it.
            if !before.name.same_as(name) {
                unit_name_free(ws, name, Some(*unit))?;
            }
            check_parent(ws, *unit, *parent, name)?;
            let role = text("role", role, Name::MAX_CHARS)?;
            let after = Unit { id: *unit, name: name.clone(), kind: *kind, parent: *parent, role };
            let mut change = Change::new(if before.name == *name { format!("Edited {name}") } else { format!("Renamed {} to {name}", before.name) });
            if after != before {
                *ws.units.iter_mut().find(|u| u.id == *unit).expect("checked above") = after;
                change.units.edited.push(*unit);
            }
            Ok(change)
        }
        Command::MoveUnit { unit, parent } => {
            let before = unit_exists(ws, *unit, "unit")?.clone();
            check_parent(ws, *unit, *parent, &before.name)?;
            let summary = match parent {
                Some(p) => format!("{} now reports to {}", before.name, ws.unit_name(*p)),
                None => format!("{} now reports to no one", before.name),
            };
            let mut change = Change::new(summary);
            if before.parent != *parent {
                ws.units.iter_mut().find(|u| u.id == *unit).expect("checked above").parent = *parent;
                change.units.edited.push(*unit);
            }
            Ok(change)
        }
        Command::RemoveUnit { unit } => {
            let name = unit_exists(ws, *unit, "unit")?.name.clone();
            let change = removal(ws, *unit, format!("Deleted {name}"));
            ws.remove_unit(*unit);
            Ok(change)
        }
        Command::AddArea { name } => {
            area_name_free(ws, name, None)?;
            let id = ws.next_area_id();
            fresh(ws.area(id).is_none(), "decision area")?;
            ws.areas.push(DecisionArea { id, name: name.clone() });
            ws.issued.area = ws.issued.area.max(id.0);
            let mut change = Change::new(format!("Added the decision area {name}"));
            change.areas.added.push(id);
            Ok(change)
        }
        Command::RenameArea { area, name } => {
            let before = ws.area(*area).ok_or(CommandError::NotFound { field: "area", what: "decision area", id: area.0 })?.name.clone();
            area_name_free(ws, name, Some(*area))?;
            let mut change = Change::new(format!("Renamed the decision area {before} to {name}"));
            if before != *name {
                ws.areas.iter_mut().find(|a| a.id == *area).expect("checked above").name = name.clone();
                change.areas.edited.push(*area);
            }
            Ok(change)
        }
        Command::Grant { unit, area, date, rung, level, granted_by, reason } => {
            let who = unit_exists(ws, *unit, "unit")?.name.clone();
            if let Some(by) = granted_by {
                unit_exists(ws, *by, "granted by")?;
                if by == unit {
                    return Err(CommandError::invalid("granted by", format!("{who} cannot grant autonomy to itself")));
                }
            }
            // Grants are the history of why autonomy was given: each says why.
            let reason = text("reason", reason, MAX_TEXT_CHARS)?;
            if reason.is_empty() {
                return Err(CommandError::invalid("reason", "must not be empty: say why this autonomy is granted (e.g. Delivered four quarters in a row)"));
            }
            let mut change = Change::new(String::new());
            let area_id = area_for(ws, area, &mut change)?;
            let grant = Grant { unit: *unit, area: area_id, date: *date, rung: *rung, level: *level, granted_by: *granted_by, reason };
            // History in date order; a grant of the same day goes after those already there.
            let at = ws.grants.partition_point(|g| g.date <= *date);
            ws.grants.insert(at, grant);
            change.grants.added.push(GrantKey { unit: *unit, area: area_id, date: *date });
            change.summary = format!("Granted {who} {} at scope {} in {} from {}", ws.policy.level_label(level.get()), ws.policy.rung_label(rung.get()), ws.area_name(area_id), format_date(*date));
            Ok(change)
        }
        Command::AddCommitment { fields } => {
            let fields = commitment_fields(ws, fields)?;
            let id = ws.next_commitment_id();
            fresh(ws.commitment(id).is_none(), "commitment")?;
            let title = fields.title.clone();
            ws.commitments.push(Commitment::new(id, fields));
            ws.issued.commitment = ws.issued.commitment.max(id.0);
            let mut change = Change::new(format!("Added the commitment {title}"));
            change.commitments.added.push(id);
            Ok(change)
        }
        Command::EditCommitment { commitment, fields } => {
            let before = commitment_exists(ws, *commitment)?.clone();
            let fields = commitment_fields(ws, fields)?;
            let mut after = before.clone();
            after.set_fields(fields);
            after.check()?;
            let mut change = Change::new(format!("Edited the commitment {}", after.title));
            if after != before {
                *ws.commitment_mut(*commitment).expect("checked above") = after;
                change.commitments.edited.push(*commitment);
            }
            Ok(change)
        }
        Command::CloseCommitment { commitment, date } => {
            let c = commitment_exists(ws, *commitment)?;
            if *date < c.start {
                return Err(CommandError::invalid("date", format!("{} starts on {}; close it on that day or later", c.title, format_date(c.start))));
            }
            if let Some(due) = c.due.filter(|d| d <= date) {
                return Err(CommandError::invalid("date", format!("{} is already due on {}", c.title, format_date(due))));
            }
            let title = c.title.clone();
            ws.commitment_mut(*commitment).expect("checked above").due = Some(*date);
            let mut change = Change::new(format!("Closed {title} on {}", format_date(*date)));
            change.commitments.edited.push(*commitment);
            Ok(change)
        }
        Command::RecordCheckIn { commitment, checkin } => {
            let title = commitment_exists(ws, *commitment)?.title.clone();
            let checkin = checkin_fields(ws, checkin)?;
            let key = CheckInKey { commitment: *commitment, date: checkin.date };
            let mut change = Change::new(format!("Recorded check-in for {title} on {}", format_date(checkin.date)));
            let c = ws.commitment_mut(*commitment).expect("checked above");
            match c.checkins().on(checkin.date) {
                Some(old) if *old == checkin => {}
                Some(_) => change.checkins.edited.push(key),
                None => change.checkins.added.push(key),
            }
            c.record_checkin(checkin);
            Ok(change)
        }
        Command::EditCheckIn { commitment, date, checkin } => {
            let c = commitment_exists(ws, *commitment)?;
            let title = c.title.clone();
            if c.checkins().on(*date).is_none() {
                return Err(CommandError::invalid("date", format!("{title} has no check-in on {}", format_date(*date))));
            }
            if checkin.date != *date && c.checkins().on(checkin.date).is_some() {
                return Err(CommandError::invalid("date", format!("{title} already has a check-in on {}; edit that one", format_date(checkin.date))));
            }
            let checkin = checkin_fields(ws, checkin)?;
            let mut change = Change::new(format!("Edited the check-in of {title} on {}", format_date(checkin.date)));
            let c = ws.commitment_mut(*commitment).expect("checked above");
            if checkin.date == *date {
                if c.checkins().on(*date) != Some(&checkin) {
                    change.checkins.edited.push(CheckInKey { commitment: *commitment, date: *date });
                }
            } else {
                c.remove_checkin(*date);
                change.checkins.removed.push(CheckInKey { commitment: *commitment, date: *date });
                change.checkins.added.push(CheckInKey { commitment: *commitment, date: checkin.date });
            }
            c.record_checkin(checkin);
            Ok(change)
        }
        Command::DeleteCheckIn { commitment, date } => {
            let c = commitment_exists(ws, *commitment)?;
            let title = c.title.clone();
            if c.checkins().on(*date).is_none() {
                return Err(CommandError::invalid("date", format!("{title} has no check-in on {}", format_date(*date))));
            }
            ws.commitment_mut(*commitment).expect("checked above").remove_checkin(*date);
            let mut change = Change::new(format!("Deleted the check-in of {title} on {}", format_date(*date)));
            change.checkins.removed.push(CheckInKey { commitment: *commitment, date: *date });
            Ok(change)
        }
        Command::ImportCheckIns { rows } => {
            let mut seen = std::collections::BTreeSet::new();
            let mut checked = Vec::with_capacity(rows.len());
            for row in rows {
                let c = commitment_exists(ws, row.commitment)?;
                if !seen.insert(CheckInKey { commitment: row.commitment, date: row.checkin.date }) {
                    return Err(CommandError::invalid("date", format!("two values for {} on {}; keep one", c.title, format_date(row.checkin.date))));
                }
                checked.push((row.commitment, checkin_fields(ws, &row.checkin)?));
            }
            let mut change = Change::new(format!("Imported {} check-in{}", rows.len(), if rows.len() == 1 { "" } else { "s" }));
            for (id, checkin) in checked {
                let key = CheckInKey { commitment: id, date: checkin.date };
                let c = ws.commitment_mut(id).expect("checked above");
                match c.checkins().on(checkin.date) {
                    Some(old) if *old == checkin => {}
                    Some(_) => change.checkins.edited.push(key),
                    None => change.checkins.added.push(key),
                }
                c.record_checkin(checkin);
            }
            Ok(change)
        }
        Command::LogDecision { unit, area, date, title, expected, review_date } => {
            unit_exists(ws, *unit, "decided by")?;
            ws.area(*area).ok_or(CommandError::NotFound { field: "area", what: "decision area", id: area.0 })?;
            let expected = text("expected outcome", expected, MAX_TEXT_CHARS)?;
            let review = review_date.unwrap_or_else(|| add_days(*date, i64::from(ws.policy.decision_review_days)));
            if review < *date {
                return Err(CommandError::invalid("review date", format!("is before the decision, {}", format_date(*date))));
            }
            let id = ws.next_decision_id();
            fresh(ws.decisions.iter().all(|d| d.id != id), "decision")?;
            ws.decisions.push(Decision { id, unit: *unit, area: *area, date: *date, title: title.clone(), expected, review_date: Some(review), outcome: None, accountable: Vec::new() });
            ws.issued.decision = ws.issued.decision.max(id.0);
            let mut change = Change::new(format!("Logged the decision {title}, review due {}", format_date(review)));
            change.decisions.added.push(id);
            Ok(change)
        }
        Command::ReviewDecision { decision, outcome, accountable, date } => {
            let d = ws.decisions.iter().find(|d| d.id == *decision).ok_or(CommandError::NotFound { field: "decision", what: "decision", id: decision.0 })?;
            if *date < d.date {
                return Err(CommandError::invalid("review date", format!("is before the decision was made, {}", format_date(d.date))));
            }
            let mut who = Vec::with_capacity(accountable.len());
            for u in accountable {
                unit_exists(ws, *u, "accountable")?;
                if !who.contains(u) {
                    who.push(*u);
                }
            }
            let mut after = d.clone();
            after.outcome = Some(*outcome);
            after.accountable = who;
            after.review_date = Some(*date);
            let mut change = Change::new(format!("Reviewed {}: {}", d.title, outcome.as_str()));
            if after != *d {
                *ws.decisions.iter_mut().find(|d| d.id == *decision).expect("checked above") = after;
                change.decisions.edited.push(*decision);
            }
            Ok(change)
        }
        Command::RecordReview { unit, date, reviewer, verdict, note } => {
            let name = unit_exists(ws, *unit, "unit")?.name.clone();
            if let Some(r) = reviewer {
                unit_exists(ws, *r, "reviewer")?;
                if r == unit {
                    return Err(CommandError::invalid("reviewer", format!("must be someone other than {name}")));
                }
            }
            let note = text("note", note, MAX_TEXT_CHARS)?;
            let at = ws.reviews.partition_point(|r| r.date <= *date);
            ws.reviews.insert(at, Review { unit: *unit, date: *date, reviewer: *reviewer, verdict: *verdict, note });
            let mut change = Change::new(format!("Recorded a review of {name}: {} on {}", verdict.as_str(), format_date(*date)));
            change.reviews.added.push(DatedKey { unit: *unit, date: *date });
            Ok(change)
        }
        Command::AddPulse { unit, date, score } => {
            let name = unit_exists(ws, *unit, "unit")?.name.clone();
            let key = DatedKey { unit: *unit, date: *date };
            let mut change = Change::new(format!("Recorded a pulse of {} for {name} on {}", score.get(), format_date(*date)));
            let pulse = Pulse { unit: *unit, date: *date, score: *score };
            match ws.pulses.iter().position(|p| p.unit == *unit && p.date == *date) {
                Some(i) if ws.pulses[i] == pulse => {}
                Some(i) => {
                    ws.pulses[i] = pulse;
                    change.pulses.edited.push(key);
                }
                None => {
                    let at = ws.pulses.partition_point(|p| p.date <= *date);
                    ws.pulses.insert(at, pulse);
                    change.pulses.added.push(key);
                }
            }
            Ok(change)
        }
        Command::SetPolicy { policy } => {
            policy.validate()?;
            let mut change = Change::new("Changed the scoring policy".to_owned());
            if ws.policy != **policy {
                ws.policy = (**policy).clone();
                change.policy = true;
            }
            Ok(change)
        }
        Command::RenameWorkspace { name } => {
            let mut change = Change::new(format!("Renamed the workspace to {name}"));
            if ws.name != *name {
                ws.name = name.clone();
                change.name = true;
            }
            Ok(change)
        }
        Command::StartWorkshop { .. }
        | Command::SetWorkshopTitle { .. }
        | Command::SetParticipants { .. }
        | Command::SetWorkshopScope { .. }
        | Command::AddWorkshopUnit { .. }
        | Command::SetVotePrivacy { .. }
        | Command::GoToStep { .. }
        | Command::StartTimer { .. }
        | Command::PauseTimer { .. }
        | Command::ResetTimer { .. }
        | Command::SetTimerDefault { .. }
        | Command::OpenRound { .. }
        | Command::CastVote { .. }
        | Command::RevealRound { .. }
        | Command::DiscardRound { .. }
        | Command::AgreeRound { .. }
        | Command::SetResultsPeriod { .. }
        | Command::RecordResults { .. }
        | Command::AgreeActions { .. }
        | Command::SetWorkshopNotes { .. }
        | Command::CompleteAction { .. }
        | Command::FinishWorkshop { .. }
        | Command::ReopenWorkshop { .. }
        | Command::DeleteWorkshop { .. } => super::workshop::apply(ws, command),
        Command::ReplaceWorkspace { workspace } => {
            workspace.validate().map_err(CommandError::Invalidates)?;
            let mut change = Change::new(format!("Opened {} in place of {}", workspace.name, ws.name));
            if **workspace != *ws {
                *ws = (**workspace).clone();
                change.replaced = true;
            }
            Ok(change)
        }
    }
}

/// Applies commands in order, all or none: the workspace is unchanged if one is refused.
pub fn apply_all(ws: &mut Workspace, commands: &[Command]) -> Result<Vec<Change>, CommandError> {
    let mut next = ws.clone();
    let changes = commands.iter().map(|c| apply(&mut next, c)).collect::<Result<Vec<_>, _>>()?;
    *ws = next;
    Ok(changes)
}

/// The area a command names: an existing one, or a new one by name (an area of that
/// name, in any case, is taken instead; a new one is added and listed in `change`).
pub(crate) fn area_for(ws: &mut Workspace, area: &AreaRef, change: &mut Change) -> Result<AreaId, CommandError> {
    Ok(match area {
        AreaRef::Existing(a) => ws.area(*a).map(|x| x.id).ok_or(CommandError::NotFound { field: "area", what: "decision area", id: a.0 })?,
        AreaRef::New(name) => match ws.areas.iter().find(|a| a.name.as_str().eq_ignore_ascii_case(name.as_str())) {
            Some(a) => a.id,
            None => {
                let id = ws.next_area_id();
                fresh(ws.area(id).is_none(), "decision area")?;
                ws.areas.push(DecisionArea { id, name: name.clone() });
                ws.issued.area = ws.issued.area.max(id.0);
                change.areas.added.push(id);
                id
            }
        },
    })
}

fn fresh(is_free: bool, what: &'static str) -> Result<(), CommandError> {
    if is_free {
        Ok(())
    } else {
        Err(CommandError::invalid("id", format!("no {what} id is left to give")))
    }
}

fn unit_exists<'a>(ws: &'a Workspace, id: UnitId, field: &'static str) -> Result<&'a Unit, CommandError> {
    ws.unit(id).ok_or(CommandError::NotFound { field, what: "unit", id: id.0 })
}

fn commitment_exists(ws: &Workspace, id: CommitmentId) -> Result<&Commitment, CommandError> {
    ws.commitment(id).ok_or(CommandError::NotFound { field: "commitment", what: "commitment", id: id.0 })
}

/// Free text, trimmed, at most `max` characters.
pub(crate) fn text(field: &'static str, value: &str, max: usize) -> Result<String, CommandError> {
    let t = value.trim();
    if t.chars().count() > max {
        return Err(CommandError::invalid(field, format!("must be at most {max} characters")));
    }
    Ok(t.to_owned())
}

fn check_parent(ws: &Workspace, unit: UnitId, parent: Option<UnitId>, name: &Name) -> Result<(), CommandError> {
    if let Some(p) = parent {
        unit_exists(ws, p, "parent")?;
        if p == unit || ws.would_cycle(unit, p) {
            return Err(ModelError::ParentCycle { unit: name.to_string() }.into());
        }
    }
    Ok(())
}

/// Refuses a unit name another unit already has (ignoring case): two units called
/// Platform could not be told apart in a list, a picker or a CSV. Checked when a unit is
/// added or renamed, not when a workspace is read, so stored data with a repeated name
/// still opens.
fn unit_name_free(ws: &Workspace, name: &Name, except: Option<UnitId>) -> Result<(), CommandError> {
    if let Some(other) = ws.units.iter().find(|u| Some(u.id) != except && u.name.same_as(name)) {
        return Err(CommandError::invalid("name", format!("another unit is already called {}", other.name)));
    }
    Ok(())
}

fn area_name_free(ws: &Workspace, name: &Name, except: Option<AreaId>) -> Result<(), CommandError> {
    if ws.areas.iter().any(|a| Some(a.id) != except && a.name.same_as(name)) {
        return Err(CommandError::invalid("name", format!("a decision area is already called {name}")));
    }
    Ok(())
}

/// The fields with their references checked and text trimmed; the commitment's own rules
/// (target side, due after start, reviewer not the owner) are checked too.
fn commitment_fields(ws: &Workspace, f: &CommitmentFields) -> Result<CommitmentFields, CommandError> {
    unit_exists(ws, f.owner, "owner")?;
    if let Some(r) = f.reviewer {
        unit_exists(ws, r, "reviewer")?;
    }
    let mut f = f.clone();
    f.measure = text("measure", &f.measure, Name::MAX_CHARS)?;
    Commitment::new(CommitmentId(0), f.clone()).check()?;
    Ok(f)
}

fn checkin_fields(ws: &Workspace, k: &CheckIn) -> Result<CheckIn, CommandError> {
    if let Some(r) = k.recorded_by {
        unit_exists(ws, r, "recorded by")?;
    }
    Ok(CheckIn { note: text("note", &k.note, MAX_TEXT_CHARS)?, evidence: text("evidence", &k.evidence, MAX_TEXT_CHARS)?, ..k.clone() })
}

/// What removing a unit changes (see [`Workspace::remove_unit`]).
fn removal(ws: &Workspace, id: UnitId, summary: String) -> Change {
    let mut change = Change::new(summary);
    change.units.removed.push(id);
    let parent = ws.unit(id).and_then(|u| u.parent);
    change.units.edited.extend(ws.units.iter().filter(|u| u.parent == Some(id) && u.parent != parent).map(|u| u.id));
    for g in ws.grants.iter() {
        let key = GrantKey { unit: g.unit, area: g.area, date: g.date };
        if g.unit == id {
            change.grants.removed.push(key);
        } else if g.granted_by == Some(id) {
            change.grants.edited.push(key);
        }
    }
    for c in ws.commitments.iter() {
        if c.owner == id {
            change.commitments.removed.push(c.id);
            continue;
        }
        if c.reviewer == Some(id) {
            change.commitments.edited.push(c.id);
        }
        change.checkins.edited.extend(c.checkins().iter().filter(|k| k.recorded_by == Some(id)).map(|k| CheckInKey { commitment: c.id, date: k.date }));
    }
    for d in ws.decisions.iter() {
        if d.unit == id {
            change.decisions.removed.push(d.id);
        } else if d.accountable.contains(&id) {
            change.decisions.edited.push(d.id);
        }
    }
    for r in ws.reviews.iter() {
        let key = DatedKey { unit: r.unit, date: r.date };
        if r.unit == id {
            change.reviews.removed.push(key);
        } else if r.reviewer == Some(id) {
            change.reviews.edited.push(key);
        }
    }
    change.pulses.removed.extend(ws.pulses.iter().filter(|p| p.unit == id).map(|p| DatedKey { unit: p.unit, date: p.date }));
    let owned: Vec<CommitmentId> = ws.commitments.iter().filter(|c| c.owner == id).map(|c| c.id).collect();
    change.workshops.edited.extend(ws.workshops.iter().filter(|s| s.mentions_unit(id, &owned)).map(|s| s.id));
    change
}
