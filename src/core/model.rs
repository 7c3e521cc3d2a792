//! The domain: units, decision areas, grants, commitments, check-ins, decisions,
//! reviews and pulse entries. Plain data with validated building blocks; the
//! relations between records are checked by [`Workspace::validate`].

use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};
use std::hash::BuildHasherDefault;
use time::Date;

use super::error::ModelError;
use super::policy::Policy;

macro_rules! id_type {
    ($(#[$m:meta])* $name:ident) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub u32);
    };
}

id_type!(
    /// Identifies a unit (a person or a team) within a workspace.
    UnitId
);
impl UnitId {
    /// Stands for a unit left out of a shared part (a unit link's reviewer or recorder
    /// from elsewhere in the organisation): id 0, which is never given out.
    pub const OUTSIDE: UnitId = UnitId(0);
}

id_type!(
    /// Identifies a decision area within a workspace.
    AreaId
);
id_type!(
    /// Identifies a commitment within a workspace.
    CommitmentId
);
id_type!(
    /// Identifies a logged decision within a workspace.
    DecisionId
);

/// A finite number: NaN and infinities cannot be represented.
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd, Serialize, Deserialize)]
#[serde(try_from = "f64", into = "f64")]
pub struct Finite(f64);

impl Finite {
    /// Accepts any finite value; `field` names the input in the error.
    pub fn new(value: f64, field: &'static str) -> Result<Self, ModelError> {
        if value.is_finite() {
            Ok(Finite(value))
        } else {
            Err(ModelError::NotFinite { field })
        }
    }
    pub fn get(self) -> f64 {
        self.0
    }
}

impl TryFrom<f64> for Finite {
    type Error = ModelError;
    fn try_from(v: f64) -> Result<Self, ModelError> {
        Finite::new(v, "number")
    }
}

impl From<Finite> for f64 {
    fn from(f: Finite) -> f64 {
        f.0
    }
}

/// A non-empty, trimmed name of at most 120 characters.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Name(String);

impl Name {
    pub const MAX_CHARS: usize = 120;
    pub fn new(value: impl AsRef<str>) -> Result<Self, ModelError> {
        let trimmed = value.as_ref().trim();
        if trimmed.is_empty() {
            return Err(ModelError::EmptyName);
        }
        if trimmed.chars().count() > Self::MAX_CHARS {
            return Err(ModelError::NameTooLong { max: Self::MAX_CHARS });
        }
        Ok(Name(trimmed.to_owned()))
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
    /// Whether two names are the same to a reader: equal ignoring case (any script's case,
    /// not only ASCII) and how many spaces stand between words ("Search  team" is
    /// "Search team" on screen). Names are already trimmed.
    pub fn same_as(&self, other: &Name) -> bool {
        let key = |s: &str| s.split_whitespace().map(str::to_lowercase).collect::<Vec<_>>();
        self.0 == other.0 || key(&self.0) == key(&other.0)
    }
}

impl TryFrom<String> for Name {
    type Error = ModelError;
    /// Keeps the string when it is already trimmed (names loaded from storage are),
    /// rather than copying it.
    fn try_from(v: String) -> Result<Self, ModelError> {
        if v.trim().len() != v.len() {
            return Name::new(v);
        }
        if v.is_empty() {
            return Err(ModelError::EmptyName);
        }
        if v.chars().count() > Self::MAX_CHARS {
            return Err(ModelError::NameTooLong { max: Self::MAX_CHARS });
        }
        Ok(Name(v))
    }
}

impl From<Name> for String {
    fn from(n: Name) -> String {
        n.0
    }
}

impl std::fmt::Display for Name {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Scope breadth: 1 Task, 2 Feature, 3 System, 4 Product, 5 Strategy (labels live in the policy).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "u8", into = "u8")]
pub struct Rung(u8);

impl Rung {
    pub const MIN: u8 = 1;
    pub const MAX: u8 = 5;
    pub fn new(value: u8) -> Result<Self, ModelError> {
        if (Self::MIN..=Self::MAX).contains(&value) {
            Ok(Rung(value))
        } else {
            Err(ModelError::OutOfRange { field: "rung", min: 1, max: 5, value: value as i64 })
        }
    }
    pub fn get(self) -> u8 {
        self.0
    }
}

impl TryFrom<u8> for Rung {
    type Error = ModelError;
    fn try_from(v: u8) -> Result<Self, ModelError> {
        Rung::new(v)
    }
}
impl From<Rung> for u8 {
    fn from(r: Rung) -> u8 {
        r.0
    }
}

/// Delegation depth, Management 3.0's seven levels: 1 Tell … 7 Delegate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "u8", into = "u8")]
pub struct Level(u8);

impl Level {
    pub const MIN: u8 = 1;
    pub const MAX: u8 = 7;
    pub fn new(value: u8) -> Result<Self, ModelError> {
        if (Self::MIN..=Self::MAX).contains(&value) {
            Ok(Level(value))
        } else {
            Err(ModelError::OutOfRange { field: "level", min: 1, max: 7, value: value as i64 })
        }
    }
    pub fn get(self) -> u8 {
        self.0
    }
}

impl TryFrom<u8> for Level {
    type Error = ModelError;
    fn try_from(v: u8) -> Result<Self, ModelError> {
        Level::new(v)
    }
}
impl From<Level> for u8 {
    fn from(l: Level) -> u8 {
        l.0
    }
}

/// A felt-autonomy survey score between 1 and 5.
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd, Serialize, Deserialize)]
#[serde(try_from = "f64", into = "f64")]
pub struct PulseScore(f64);

impl PulseScore {
    pub fn new(value: f64) -> Result<Self, ModelError> {
        if value.is_finite() && (1.0..=5.0).contains(&value) {
            Ok(PulseScore(value))
        } else {
            Err(ModelError::OutOfRange { field: "pulse score", min: 1, max: 5, value: value as i64 })
        }
    }
    pub fn get(self) -> f64 {
        self.0
    }
}
impl TryFrom<f64> for PulseScore {
    type Error = ModelError;
    fn try_from(v: f64) -> Result<Self, ModelError> {
        PulseScore::new(v)
    }
}
impl From<PulseScore> for f64 {
    fn from(p: PulseScore) -> f64 {
        p.0
    }
}

/// A weight of a commitment: finite and strictly positive, at most 100.
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd, Serialize, Deserialize)]
#[serde(try_from = "f64", into = "f64")]
pub struct Weight(f64);

impl Weight {
    pub fn new(value: f64) -> Result<Self, ModelError> {
        if value.is_finite() && value > 0.0 && value <= 100.0 {
            Ok(Weight(value))
        } else {
            Err(ModelError::BadWeight)
        }
    }
    pub fn get(self) -> f64 {
        self.0
    }
}
impl Default for Weight {
    fn default() -> Self {
        Weight(1.0)
    }
}
impl TryFrom<f64> for Weight {
    type Error = ModelError;
    fn try_from(v: f64) -> Result<Self, ModelError> {
        Weight::new(v)
    }
}
impl From<Weight> for f64 {
    fn from(w: Weight) -> f64 {
        w.0
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum UnitKind {
    #[default]
    Person,
    Team,
}

impl UnitKind {
    pub const ALL: [UnitKind; 2] = [UnitKind::Person, UnitKind::Team];
    pub fn as_str(self) -> &'static str {
        match self {
            UnitKind::Person => "person",
            UnitKind::Team => "team",
        }
    }
}

/// A person or a team.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Unit {
    pub id: UnitId,
    pub name: Name,
    #[serde(default)]
    pub kind: UnitKind,
    /// The unit's leader, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<UnitId>,
    /// Role or seniority label, free text.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub role: String,
}

/// A named kind of decision (architecture, hiring, budget, release …).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DecisionArea {
    pub id: AreaId,
    pub name: Name,
}

/// On a date, a unit gets a scope rung and a delegation level for one decision area.
/// Grants are history: a later grant supersedes an earlier one, nothing is overwritten.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Grant {
    pub unit: UnitId,
    pub area: AreaId,
    #[serde(with = "crate::core::dates::iso")]
    pub date: Date,
    pub rung: Rung,
    pub level: Level,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub granted_by: Option<UnitId>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub reason: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    CustomerValue,
    Revenue,
    SystemPerformance,
    /// Activity and everything else: output rather than outcome.
    Activity,
}

impl Category {
    pub const ALL: [Category; 4] = [Category::CustomerValue, Category::Revenue, Category::SystemPerformance, Category::Activity];
    /// Whether the essay counts it as an outcome that matters.
    pub fn is_outcome(self) -> bool {
        !matches!(self, Category::Activity)
    }
    pub fn label(self) -> &'static str {
        match self {
            Category::CustomerValue => "Customer value",
            Category::Revenue => "Revenue",
            Category::SystemPerformance => "System performance",
            Category::Activity => "Activity / other",
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Category::CustomerValue => "customer_value",
            Category::Revenue => "revenue",
            Category::SystemPerformance => "system_performance",
            Category::Activity => "activity",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    #[default]
    Higher,
    Lower,
}

impl Direction {
    pub const ALL: [Direction; 2] = [Direction::Higher, Direction::Lower];
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::Higher => "higher",
            Direction::Lower => "lower",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Visibility {
    #[default]
    Public,
    Private,
}

impl Visibility {
    pub const ALL: [Visibility; 2] = [Visibility::Public, Visibility::Private];
    pub fn as_str(self) -> &'static str {
        match self {
            Visibility::Public => "public",
            Visibility::Private => "private",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Confidence {
    OnTrack,
    AtRisk,
    OffTrack,
}

impl Confidence {
    pub const ALL: [Confidence; 3] = [Confidence::OnTrack, Confidence::AtRisk, Confidence::OffTrack];
    pub fn as_str(self) -> &'static str {
        match self {
            Confidence::OnTrack => "on_track",
            Confidence::AtRisk => "at_risk",
            Confidence::OffTrack => "off_track",
        }
    }
    /// The confidence a reading suggests: progress made against the share of time gone.
    pub fn from_progress(progress: f64, elapsed: f64) -> Confidence {
        if progress >= elapsed * 0.9 {
            Confidence::OnTrack
        } else if progress >= elapsed * 0.6 {
            Confidence::AtRisk
        } else {
            Confidence::OffTrack
        }
    }
}

/// A word from a fixed list that did not match any of it. Lists what is accepted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {} one of {}", if .text.is_empty() { "choose".to_owned() } else { format!("\u{201c}{}\u{201d} is not", .text) }, .accepted.join(", "))]
pub struct ChoiceError {
    /// The field, as a form labels it (`kind`, `confidence` …).
    pub field: &'static str,
    /// What was given (at most 40 characters of it).
    pub text: String,
    /// Every accepted word, as written in files (`on_track` …).
    pub accepted: Vec<&'static str>,
}

/// One `FromStr` per choice, reading the words files and forms use (`as_str`). Case,
/// spaces, hyphens and underscores are not told apart (`On track` = `on-track` =
/// `on_track`); anything else is refused with the list, never read as a default.
macro_rules! choice_from_str {
    ($($t:ty => $field:literal),* $(,)?) => {$(
        impl std::str::FromStr for $t {
            type Err = ChoiceError;
            fn from_str(text: &str) -> Result<Self, ChoiceError> {
                let key = |s: &str| s.trim().chars().map(|c| if c == ' ' || c == '-' { '_' } else { c.to_ascii_lowercase() }).collect::<String>();
                let wanted = key(text);
                <$t>::ALL.into_iter().find(|v| v.as_str() == wanted).ok_or_else(|| ChoiceError {
                    field: $field,
                    text: text.trim().chars().take(40).collect(),
                    accepted: <$t>::ALL.iter().map(|v| v.as_str()).collect(),
                })
            }
        }
    )*};
}

/// Scale steps from forms ("1" … "5" for a rung, "1" … "7" for a level).
macro_rules! step_from_str {
    ($($t:ty => $field:literal, [$($word:literal),*]),* $(,)?) => {$(
        impl std::str::FromStr for $t {
            type Err = ChoiceError;
            fn from_str(text: &str) -> Result<Self, ChoiceError> {
                text.trim().parse::<u8>().ok().and_then(|v| <$t>::new(v).ok()).ok_or_else(|| ChoiceError {
                    field: $field,
                    text: text.trim().chars().take(40).collect(),
                    accepted: vec![$($word),*],
                })
            }
        }
    )*};
}

step_from_str!(
    Rung => "rung", ["1", "2", "3", "4", "5"],
    Level => "level", ["1", "2", "3", "4", "5", "6", "7"],
);

choice_from_str!(
    UnitKind => "kind",
    Category => "category",
    Direction => "direction",
    Visibility => "visibility",
    Confidence => "confidence",
    Outcome => "outcome",
    Verdict => "verdict",
);

/// One measured value of a commitment on a date.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CheckIn {
    #[serde(with = "crate::core::dates::iso")]
    pub date: Date,
    pub value: Finite,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub confidence: Option<Confidence>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
    /// A link or a text that lets someone else verify the value.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub evidence: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recorded_by: Option<UnitId>,
}

impl CheckIn {
    /// A value on a date, with nothing else said about it.
    pub fn new(date: Date, value: Finite) -> CheckIn {
        CheckIn { date, value, confidence: None, note: String::new(), evidence: String::new(), recorded_by: None }
    }
}

/// A hasher for the app's own numeric ids, in maps and sets built per scoring or
/// validation run: one multiply per id, where the default (SipHash, built to resist
/// crafted keys from a network) costs many times that in the wasm.
#[derive(Default, Clone, Copy)]
pub struct IdHasher(u64);

impl std::hash::Hasher for IdHasher {
    #[inline(always)]
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.write_u32(u32::from(b));
        }
    }
    #[inline(always)]
    fn write_u32(&mut self, n: u32) {
        self.0 = (self.0.rotate_left(5) ^ u64::from(n)).wrapping_mul(0x517c_c1b7_2722_0a95);
    }
}

/// A map keyed by ids, hashed with [`IdHasher`].
pub type IdMap<K, V> = HashMap<K, V, BuildHasherDefault<IdHasher>>;
/// A set of ids, hashed with [`IdHasher`].
pub type IdSet<K> = HashSet<K, BuildHasherDefault<IdHasher>>;

/// A list shared between versions of the workspace until one of them changes it (copy
/// on write). Undo keeps whole versions; an edit copies only the lists it touches, never
/// the years of history around them. Reads and writes go through `Vec`'s own methods.
#[derive(Clone)]
pub struct Shared<T>(std::sync::Arc<Vec<T>>);

impl<T> Shared<T> {
    /// Whether both are the very same list (shared, not copied).
    pub fn shares(&self, other: &Shared<T>) -> bool {
        std::sync::Arc::ptr_eq(&self.0, &other.0)
    }
}

impl<T> Default for Shared<T> {
    fn default() -> Shared<T> {
        Shared(std::sync::Arc::new(Vec::new()))
    }
}

impl<T> std::ops::Deref for Shared<T> {
    type Target = Vec<T>;
    fn deref(&self) -> &Vec<T> {
        &self.0
    }
}

impl<T: Clone> std::ops::DerefMut for Shared<T> {
    /// Copies the list first if another version still shares it.
    fn deref_mut(&mut self) -> &mut Vec<T> {
        std::sync::Arc::make_mut(&mut self.0)
    }
}

impl<T> From<Vec<T>> for Shared<T> {
    fn from(v: Vec<T>) -> Shared<T> {
        Shared(std::sync::Arc::new(v))
    }
}

impl<T> FromIterator<T> for Shared<T> {
    fn from_iter<I: IntoIterator<Item = T>>(iter: I) -> Shared<T> {
        Shared::from(iter.into_iter().collect::<Vec<_>>())
    }
}

impl<'a, T> IntoIterator for &'a Shared<T> {
    type Item = &'a T;
    type IntoIter = std::slice::Iter<'a, T>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

impl<'a, T: Clone> IntoIterator for &'a mut Shared<T> {
    type Item = &'a mut T;
    type IntoIter = std::slice::IterMut<'a, T>;
    /// Copies the list first if another version still shares it.
    fn into_iter(self) -> Self::IntoIter {
        std::sync::Arc::make_mut(&mut self.0).iter_mut()
    }
}

impl std::ops::Deref for CheckInLog {
    type Target = [CheckIn];
    fn deref(&self) -> &[CheckIn] {
        &self.0
    }
}

impl std::fmt::Debug for CheckInLog {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

impl<'a> IntoIterator for &'a CheckInLog {
    type Item = &'a CheckIn;
    type IntoIter = std::slice::Iter<'a, CheckIn>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

impl Serialize for CheckInLog {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(s)
    }
}

impl<'de> Deserialize<'de> for CheckInLog {
    /// Sorts by date; two check-ins on one day are refused, never merged by guess.
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<CheckInLog, D::Error> {
        let list = Vec::<CheckIn>::deserialize(d)?;
        CheckInLog::from_vec(list).map_err(|date| serde::de::Error::custom(format!("two check-ins on {}; keep one per day", super::dates::format_date(date))))
    }
}

impl<T: PartialEq> PartialEq for Shared<T> {
    /// The same shared list is equal without reading it.
    fn eq(&self, other: &Shared<T>) -> bool {
        self.shares(other) || *self.0 == *other.0
    }
}

impl<T: std::fmt::Debug> std::fmt::Debug for Shared<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

impl<T: Serialize> Serialize for Shared<T> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(s)
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Shared<T> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Shared<T>, D::Error> {
        Vec::<T>::deserialize(d).map(Shared::from)
    }
}

/// A commitment's check-ins: sorted by date, at most one per day, shared between
/// versions like every other list. The list is private, so every way to change it keeps
/// both rules: a second check-in on a day replaces the first (an edit, not a second
/// entry), and a list read from outside ([`CheckInLog::from_vec`], JSON) is sorted and
/// refused if two share a day. Reads go through the slice (`Deref<Target = [CheckIn]>`).
#[derive(Clone, Default, PartialEq)]
pub struct CheckInLog(Shared<CheckIn>);

impl CheckInLog {
    /// A log of these check-ins in date order; `Err` names the first repeated day.
    pub fn from_vec(mut list: Vec<CheckIn>) -> Result<CheckInLog, Date> {
        if !list.is_sorted_by_key(|k| k.date) {
            list.sort_by_key(|k| k.date);
        }
        if let Some(w) = list.windows(2).find(|w| w[0].date == w[1].date) {
            return Err(w[0].date);
        }
        Ok(CheckInLog(Shared::from(list)))
    }

    /// Whether both are the very same list (shared, not copied).
    pub fn shares(&self, other: &CheckInLog) -> bool {
        self.0.shares(&other.0)
    }

    /// Where the check-in of `date` is (`Ok`) or would go (`Err`).
    pub fn position(&self, date: Date) -> Result<usize, usize> {
        self.0.binary_search_by_key(&date, |k| k.date)
    }

    /// The check-in of a day, if any.
    pub fn on(&self, date: Date) -> Option<&CheckIn> {
        self.position(date).ok().map(|i| &self.0[i])
    }

    /// Records a check-in in date order; one already on that day is replaced and returned.
    pub fn upsert(&mut self, checkin: CheckIn) -> Option<CheckIn> {
        match self.position(checkin.date) {
            Ok(i) => Some(std::mem::replace(&mut self.0[i], checkin)),
            Err(i) => {
                self.0.insert(i, checkin);
                None
            }
        }
    }

    /// Removes and returns the check-in of a day.
    pub fn remove(&mut self, date: Date) -> Option<CheckIn> {
        self.position(date).ok().map(|i| self.0.remove(i))
    }

    /// Keeps the check-ins `keep` accepts (order and days are untouched); copies the
    /// list only when something goes.
    pub fn retain(&mut self, keep: impl Fn(&CheckIn) -> bool) {
        if !self.0.iter().all(&keep) {
            self.0.retain(keep);
        }
    }

    /// Replaces each `recorded_by` that `outside` accepts with `by`; copies the list only
    /// if one does.
    pub fn replace_recorders(&mut self, outside: impl Fn(UnitId) -> bool, by: UnitId) {
        if self.0.iter().any(|k| k.recorded_by.is_some_and(&outside)) {
            for k in self.0.iter_mut().filter(|k| k.recorded_by.is_some_and(&outside)) {
                k.recorded_by = Some(by);
            }
        }
    }

    /// Clears `recorded_by` wherever it names `unit`; copies the list only if it does.
    pub fn forget_recorder(&mut self, unit: UnitId) {
        if self.0.iter().any(|k| k.recorded_by == Some(unit)) {
            for k in self.0.iter_mut().filter(|k| k.recorded_by == Some(unit)) {
                k.recorded_by = None;
            }
        }
    }
}

/// A measurable result a unit owns. Missing fields are allowed (they make the
/// commitment *vague* and lower clarity), contradictory ones are not.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Commitment {
    pub id: CommitmentId,
    pub owner: UnitId,
    pub title: Name,
    pub category: Category,
    /// Unit of measure (%, €, ms, count …).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub measure: String,
    #[serde(default)]
    pub direction: Direction,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub baseline: Option<Finite>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<Finite>,
    #[serde(with = "crate::core::dates::iso")]
    pub start: Date,
    #[serde(with = "crate::core::dates::iso::option", default, skip_serializing_if = "Option::is_none")]
    pub due: Option<Date>,
    /// Expected days between check-ins.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cadence_days: Option<u16>,
    #[serde(default)]
    pub weight: Weight,
    #[serde(default)]
    pub visibility: Visibility,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reviewer: Option<UnitId>,
    /// Check-ins, sorted and one per day: read with [`Commitment::checkins`], changed
    /// only through the methods below.
    #[serde(default)]
    checkins: CheckInLog,
}

/// Everything about a commitment a person sets in its form: all but its id and its
/// check-ins. What the add and edit commands carry.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CommitmentFields {
    pub owner: UnitId,
    pub title: Name,
    pub category: Category,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub measure: String,
    #[serde(default)]
    pub direction: Direction,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub baseline: Option<Finite>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<Finite>,
    #[serde(with = "crate::core::dates::iso")]
    pub start: Date,
    #[serde(with = "crate::core::dates::iso::option", default, skip_serializing_if = "Option::is_none")]
    pub due: Option<Date>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cadence_days: Option<u16>,
    #[serde(default)]
    pub weight: Weight,
    #[serde(default)]
    pub visibility: Visibility,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reviewer: Option<UnitId>,
}

impl CommitmentFields {
    /// The fields of a plain commitment: a title, a category and a start; nothing else set
    /// (weight 1, public, higher is better).
    pub fn new(owner: UnitId, title: Name, category: Category, start: Date) -> CommitmentFields {
        CommitmentFields {
            owner,
            title,
            category,
            measure: String::new(),
            direction: Direction::default(),
            baseline: None,
            target: None,
            start,
            due: None,
            cadence_days: None,
            weight: Weight::default(),
            visibility: Visibility::default(),
            reviewer: None,
        }
    }
}

impl Commitment {
    /// A commitment with these fields and no check-in yet.
    pub fn new(id: CommitmentId, f: CommitmentFields) -> Commitment {
        Commitment {
            id,
            owner: f.owner,
            title: f.title,
            category: f.category,
            measure: f.measure,
            direction: f.direction,
            baseline: f.baseline,
            target: f.target,
            start: f.start,
            due: f.due,
            cadence_days: f.cadence_days,
            weight: f.weight,
            visibility: f.visibility,
            reviewer: f.reviewer,
            checkins: CheckInLog::default(),
        }
    }

    /// The same commitment with this check-in log.
    pub fn with_checkins(mut self, log: CheckInLog) -> Commitment {
        self.checkins = log;
        self
    }

    /// The fields a form edits.
    pub fn fields(&self) -> CommitmentFields {
        CommitmentFields {
            owner: self.owner,
            title: self.title.clone(),
            category: self.category,
            measure: self.measure.clone(),
            direction: self.direction,
            baseline: self.baseline,
            target: self.target,
            start: self.start,
            due: self.due,
            cadence_days: self.cadence_days,
            weight: self.weight,
            visibility: self.visibility,
            reviewer: self.reviewer,
        }
    }

    /// Replaces the fields a form edits, keeping the id and the check-ins.
    pub fn set_fields(&mut self, f: CommitmentFields) {
        let checkins = std::mem::take(&mut self.checkins);
        *self = Commitment::new(self.id, f).with_checkins(checkins);
    }

    /// What the commitment aims at, as a line shows it: "2 → 3.5 %", or what is missing
    /// ("target 99.8 %, no baseline").
    pub fn aim(&self) -> String {
        let measure = |v: Finite| format!("{} {}", v.get(), self.measure).trim_end().to_owned();
        match (self.baseline, self.target) {
            (Some(b), Some(t)) => format!("{} → {}", b.get(), measure(t)),
            (None, Some(t)) => format!("target {}, no baseline", measure(t)),
            (Some(b), None) => format!("from {}, no target set", measure(b)),
            (None, None) => "no baseline or target set".to_owned(),
        }
    }

    /// Why a value recorded for it cannot be a share of its target (attainment needs both a
    /// baseline and a target), or `None` when it can.
    pub fn unmeasured(&self) -> Option<&'static str> {
        match (self.baseline, self.target) {
            (Some(_), Some(_)) => None,
            (None, Some(_)) => Some("no baseline to measure progress from"),
            (Some(_), None) => Some("no target to measure progress towards"),
            (None, None) => Some("no baseline or target to measure progress by"),
        }
    }

    /// The check-ins, in date order, one per day.
    pub fn checkins(&self) -> &CheckInLog {
        &self.checkins
    }

    /// Records a check-in; one already on that day is replaced and returned.
    pub fn record_checkin(&mut self, checkin: CheckIn) -> Option<CheckIn> {
        self.checkins.upsert(checkin)
    }

    /// Removes and returns the check-in of a day.
    pub fn remove_checkin(&mut self, date: Date) -> Option<CheckIn> {
        self.checkins.remove(date)
    }

    /// Replaces the whole log (decoders and tests build one with [`CheckInLog::from_vec`]).
    pub fn set_checkins(&mut self, log: CheckInLog) {
        self.checkins = log;
    }

    /// Changes the check-in of a day in place; `false` when there is none. Should `change`
    /// move it to another day, it replaces whatever was recorded on that day.
    pub fn update_checkin(&mut self, date: Date, change: impl FnOnce(&mut CheckIn)) -> bool {
        let Some(mut k) = self.checkins.on(date).cloned() else { return false };
        change(&mut k);
        if k.date != date {
            self.checkins.remove(date);
        }
        self.checkins.upsert(k);
        true
    }

    /// Keeps the check-ins `keep` accepts.
    pub fn retain_checkins(&mut self, keep: impl Fn(&CheckIn) -> bool) {
        self.checkins.retain(keep);
    }

    /// The fields whose absence makes a commitment vague, by name.
    pub fn missing_fields(&self) -> Vec<&'static str> {
        let mut missing = Vec::new();
        if self.baseline.is_none() {
            missing.push("baseline");
        }
        if self.target.is_none() {
            missing.push("target");
        }
        if self.due.is_none() {
            missing.push("due date");
        }
        if self.reviewer.is_none() {
            missing.push("reviewer");
        }
        missing
    }

    /// Checks the commitment on its own (not its references).
    pub fn check(&self) -> Result<(), ModelError> {
        if let (Some(b), Some(t)) = (self.baseline, self.target) {
            if b == t {
                return Err(ModelError::TargetEqualsBaseline { commitment: self.title.to_string() });
            }
            let wrong_side = match self.direction {
                Direction::Higher => t.get() < b.get(),
                Direction::Lower => t.get() > b.get(),
            };
            if wrong_side {
                return Err(ModelError::TargetWrongSide { commitment: self.title.to_string() });
            }
        }
        if let Some(due) = self.due {
            if due < self.start {
                return Err(ModelError::DueBeforeStart { commitment: self.title.to_string() });
            }
        }
        if self.reviewer == Some(self.owner) {
            return Err(ModelError::ReviewerIsOwner { commitment: self.title.to_string() });
        }
        if self.cadence_days == Some(0) {
            return Err(ModelError::OutOfRange { field: "cadence", min: 1, max: 65535, value: 0 });
        }
        Ok(())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Good,
    Mixed,
    Bad,
}

impl Outcome {
    pub const ALL: [Outcome; 3] = [Outcome::Good, Outcome::Mixed, Outcome::Bad];
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Good => "good",
            Outcome::Mixed => "mixed",
            Outcome::Bad => "bad",
        }
    }
}

/// A logged decision and, once reviewed, its outcome and who answered for it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Decision {
    pub id: DecisionId,
    /// Who decided.
    pub unit: UnitId,
    pub area: AreaId,
    #[serde(with = "crate::core::dates::iso")]
    pub date: Date,
    pub title: Name,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub expected: String,
    #[serde(with = "crate::core::dates::iso::option", default, skip_serializing_if = "Option::is_none")]
    pub review_date: Option<Date>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outcome: Option<Outcome>,
    /// Units that accepted accountability for the outcome.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub accountable: Vec<UnitId>,
}

impl Decision {
    /// The outcome as known on `as_of`: an outcome counts from the review date, so
    /// before that date the decision is still awaiting its review (scores and every
    /// view read it this way).
    pub fn outcome_as_of(&self, as_of: Date) -> Option<Outcome> {
        self.outcome.filter(|_| self.review_date.is_none_or(|r| r <= as_of))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    Expand,
    Hold,
    Contract,
}

impl Verdict {
    pub const ALL: [Verdict; 3] = [Verdict::Expand, Verdict::Hold, Verdict::Contract];
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Expand => "expand",
            Verdict::Hold => "hold",
            Verdict::Contract => "contract",
        }
    }
}

/// An autonomy review of a unit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Review {
    pub unit: UnitId,
    #[serde(with = "crate::core::dates::iso")]
    pub date: Date,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reviewer: Option<UnitId>,
    pub verdict: Verdict,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
}

/// A felt-autonomy survey answer: the instrument the essay distrusts, kept to compare.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Pulse {
    pub unit: UnitId,
    #[serde(with = "crate::core::dates::iso")]
    pub date: Date,
    pub score: PulseScore,
}

/// One organisation's data.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Workspace {
    pub name: Name,
    #[serde(default)]
    pub units: Shared<Unit>,
    #[serde(default)]
    pub areas: Vec<DecisionArea>,
    #[serde(default)]
    pub grants: Shared<Grant>,
    #[serde(default)]
    pub commitments: Shared<Commitment>,
    #[serde(default)]
    pub decisions: Shared<Decision>,
    #[serde(default)]
    pub reviews: Shared<Review>,
    #[serde(default)]
    pub pulses: Shared<Pulse>,
    #[serde(default)]
    pub policy: Policy,
    /// The highest ids ever given out, so an id is never given twice, even after its
    /// record was removed (a shared copy may still name it).
    #[serde(default, skip_serializing_if = "IssuedIds::is_unset")]
    pub issued: IssuedIds,
    /// Facilitated workshops, kept with the workspace ([`crate::core::workshop`]); a
    /// file without any reads and writes as before.
    #[serde(default, skip_serializing_if = "no_workshops")]
    pub workshops: Shared<super::workshop::WorkshopSession>,
}

fn no_workshops(list: &Shared<super::workshop::WorkshopSession>) -> bool {
    list.is_empty()
}

/// The highest id of each kind a workspace has given out (0: none recorded; older
/// files have none, and the highest id in use then counts).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct IssuedIds {
    #[serde(default)]
    pub unit: u32,
    #[serde(default)]
    pub area: u32,
    #[serde(default)]
    pub commitment: u32,
    #[serde(default)]
    pub decision: u32,
    #[serde(default, skip_serializing_if = "is_zero")]
    pub workshop: u32,
}

fn is_zero(n: &u32) -> bool {
    *n == 0
}

impl IssuedIds {
    pub fn is_unset(&self) -> bool {
        *self == IssuedIds::default()
    }
}

impl Workspace {
    /// An empty workspace with the default policy.
    pub fn new(name: Name) -> Self {
        Workspace {
            name,
            units: Shared::default(),
            areas: Vec::new(),
            grants: Shared::default(),
            commitments: Shared::default(),
            decisions: Shared::default(),
            reviews: Shared::default(),
            pulses: Shared::default(),
            policy: Policy::default(),
            issued: IssuedIds::default(),
            workshops: Shared::default(),
        }
    }

    pub fn unit(&self, id: UnitId) -> Option<&Unit> {
        self.units.iter().find(|u| u.id == id)
    }
    pub fn area(&self, id: AreaId) -> Option<&DecisionArea> {
        self.areas.iter().find(|a| a.id == id)
    }
    pub fn commitment(&self, id: CommitmentId) -> Option<&Commitment> {
        self.commitments.iter().find(|c| c.id == id)
    }
    pub fn commitment_mut(&mut self, id: CommitmentId) -> Option<&mut Commitment> {
        self.commitments.iter_mut().find(|c| c.id == id)
    }

    /// A unit's display name, or a placeholder for a dangling id.
    pub fn unit_name(&self, id: UnitId) -> &str {
        match self.unit(id) {
            Some(u) => u.name.as_str(),
            None if id == UnitId::OUTSIDE => "(someone outside this link)",
            None => "(removed unit)",
        }
    }
    pub fn area_name(&self, id: AreaId) -> &str {
        self.area(id).map(|a| a.name.as_str()).unwrap_or("(removed area)")
    }

    /// The id the next unit gets: above every id in use and every id given out before.
    pub fn next_unit_id(&self) -> UnitId {
        UnitId(self.units.iter().map(|u| u.id.0).chain([self.issued.unit]).max().unwrap_or(0).saturating_add(1))
    }
    pub fn next_area_id(&self) -> AreaId {
        AreaId(self.areas.iter().map(|a| a.id.0).chain([self.issued.area]).max().unwrap_or(0).saturating_add(1))
    }
    pub fn next_commitment_id(&self) -> CommitmentId {
        CommitmentId(self.commitments.iter().map(|c| c.id.0).chain([self.issued.commitment]).max().unwrap_or(0).saturating_add(1))
    }
    pub fn next_decision_id(&self) -> DecisionId {
        DecisionId(self.decisions.iter().map(|d| d.id.0).chain([self.issued.decision]).max().unwrap_or(0).saturating_add(1))
    }
    pub fn next_workshop_id(&self) -> super::workshop::WorkshopId {
        super::workshop::WorkshopId(self.workshops.iter().map(|s| s.id.0).chain([self.issued.workshop]).max().unwrap_or(0).saturating_add(1))
    }
    pub fn workshop(&self, id: super::workshop::WorkshopId) -> Option<&super::workshop::WorkshopSession> {
        self.workshops.iter().find(|s| s.id == id)
    }

    /// Direct reports of a unit.
    pub fn children(&self, id: UnitId) -> impl Iterator<Item = &Unit> {
        self.units.iter().filter(move |u| u.parent == Some(id))
    }

    /// A leader and everyone below them, the leader first.
    pub fn subtree(&self, root: UnitId) -> Vec<UnitId> {
        let mut out = vec![root];
        let mut i = 0;
        while i < out.len() {
            let p = out[i];
            let next: Vec<UnitId> = self.units.iter().filter(|u| u.parent == Some(p) && !out.contains(&u.id)).map(|u| u.id).collect();
            out.extend(next);
            i += 1;
        }
        out
    }

    /// Every unit in tree order (leaders before their reports) with its depth; units
    /// whose leader is missing come last, at depth 0.
    pub fn tree_order(&self) -> Vec<(UnitId, usize)> {
        fn walk(ws: &Workspace, parent: Option<UnitId>, depth: usize, out: &mut Vec<(UnitId, usize)>) {
            for u in ws.units.iter().filter(|u| u.parent == parent) {
                if out.iter().any(|(id, _)| *id == u.id) {
                    continue;
                }
                out.push((u.id, depth));
                walk(ws, Some(u.id), depth + 1, out);
            }
        }
        let mut out = Vec::with_capacity(self.units.len());
        walk(self, None, 0, &mut out);
        for u in &self.units {
            if !out.iter().any(|(id, _)| *id == u.id) {
                out.push((u.id, 0));
            }
        }
        out
    }

    /// The units `unit` may report to, in tree order with their depth: everyone but the
    /// unit itself and those under it (a leader among its own reports would close a loop,
    /// which `command::apply` refuses). A new unit (`None`) may report to anyone.
    pub fn leader_choices(&self, unit: Option<UnitId>) -> Vec<(UnitId, usize)> {
        let below: IdSet<UnitId> = unit.map(|u| self.subtree(u).into_iter().collect()).unwrap_or_default();
        self.tree_order().into_iter().filter(|(id, _)| !below.contains(id)).collect()
    }

    /// Would making `parent` the leader of `unit` close a loop?
    pub fn would_cycle(&self, unit: UnitId, parent: UnitId) -> bool {
        let parents: IdMap<UnitId, Option<UnitId>> = self.units.iter().map(|u| (u.id, u.parent)).collect();
        let mut cursor = Some(parent);
        let mut steps = 0;
        while let Some(p) = cursor {
            if p == unit {
                return true;
            }
            steps += 1;
            if steps > parents.len() + 1 {
                return true;
            }
            cursor = parents.get(&p).copied().flatten();
        }
        false
    }

    /// The decision area a form means: the chosen one if it exists, else the one named
    /// `new_name` (created if needed), else the first. An error names what is missing.
    pub fn area_for(&mut self, chosen: Option<AreaId>, new_name: &str) -> Result<AreaId, ModelError> {
        if let Some(a) = chosen.filter(|a| self.area(*a).is_some()) {
            return Ok(a);
        }
        if !new_name.trim().is_empty() {
            let name = Name::new(new_name)?;
            if let Some(a) = self.areas.iter().find(|a| a.name.as_str().eq_ignore_ascii_case(name.as_str())) {
                return Ok(a.id);
            }
            let id = self.next_area_id();
            self.areas.push(DecisionArea { id, name });
            return Ok(id);
        }
        self.areas.first().map(|a| a.id).ok_or(ModelError::EmptyName)
    }

    /// Adds a unit; the parent must exist.
    pub fn add_unit(&mut self, name: Name, kind: UnitKind, parent: Option<UnitId>, role: String) -> Result<UnitId, ModelError> {
        if let Some(p) = parent {
            if self.unit(p).is_none() {
                return Err(ModelError::UnknownUnit { field: "parent", id: p.0 });
            }
        }
        let id = self.next_unit_id();
        self.units.push(Unit { id, name, kind, parent, role });
        Ok(id)
    }

    /// Renames a unit and/or changes its leader, refusing loops.
    pub fn update_unit(&mut self, id: UnitId, name: Name, kind: UnitKind, parent: Option<UnitId>, role: String) -> Result<(), ModelError> {
        if self.unit(id).is_none() {
            return Err(ModelError::UnknownUnit { field: "unit", id: id.0 });
        }
        if let Some(p) = parent {
            if self.unit(p).is_none() {
                return Err(ModelError::UnknownUnit { field: "parent", id: p.0 });
            }
            if self.would_cycle(id, p) {
                return Err(ModelError::ParentCycle { unit: name.to_string() });
            }
        }
        let unit = self.units.iter_mut().find(|u| u.id == id).expect("checked above");
        unit.name = name;
        unit.kind = kind;
        unit.parent = parent;
        unit.role = role;
        Ok(())
    }

    /// Removes a unit and everything it owns; its reports move up to its own leader,
    /// and references to it elsewhere (granted by, reviewer, accountable) are cleared.
    pub fn remove_unit(&mut self, id: UnitId) {
        let Some(pos) = self.units.iter().position(|u| u.id == id) else { return };
        // Ids of removed records are never given out again.
        self.issued.unit = self.issued.unit.max(self.next_unit_id().0 - 1);
        self.issued.commitment = self.issued.commitment.max(self.next_commitment_id().0 - 1);
        self.issued.decision = self.issued.decision.max(self.next_decision_id().0 - 1);
        let owned: Vec<CommitmentId> = self.commitments.iter().filter(|c| c.owner == id).map(|c| c.id).collect();
        let removed = self.units.remove(pos);
        for u in &mut self.units {
            if u.parent == Some(id) {
                u.parent = removed.parent;
            }
        }
        self.grants.retain(|g| g.unit != id);
        for g in &mut self.grants {
            if g.granted_by == Some(id) {
                g.granted_by = None;
            }
        }
        self.commitments.retain(|c| c.owner != id);
        for c in &mut self.commitments {
            if c.reviewer == Some(id) {
                c.reviewer = None;
            }
            // Only lists that name the unit are copied.
            c.checkins.forget_recorder(id);
        }
        self.decisions.retain(|d| d.unit != id);
        for d in &mut self.decisions {
            d.accountable.retain(|u| *u != id);
        }
        self.reviews.retain(|r| r.unit != id);
        for r in &mut self.reviews {
            if r.reviewer == Some(id) {
                r.reviewer = None;
            }
        }
        self.pulses.retain(|p| p.unit != id);
        if self.workshops.iter().any(|s| s.mentions_unit(id, &owned)) {
            for s in &mut self.workshops {
                s.forget_unit(id, &owned);
            }
        }
    }

    /// Sorts every history by date (stable, so records of one day keep their order).
    /// Scoring does not depend on it, but storage and views read faster sorted.
    /// Check-ins need no sorting: their log is always in date order.
    pub fn normalize(&mut self) {
        self.grants.sort_by_key(|g| g.date);
        self.reviews.sort_by_key(|r| r.date);
        self.pulses.sort_by_key(|p| p.date);
        self.decisions.sort_by_key(|d| (d.date, d.id));
    }

    /// Checks every relation: unique ids, references that exist, no leadership loop,
    /// commitments that make sense. Returns every problem found, each naming its field.
    pub fn validate(&self) -> Result<(), Vec<ModelError>> {
        let mut errors = Vec::new();
        let mut unit_ids = IdSet::default();
        for u in &self.units {
            if !unit_ids.insert(u.id) {
                errors.push(ModelError::DuplicateId { kind: "unit", id: u.id.0 });
            }
        }
        let mut area_ids = IdSet::default();
        for a in &self.areas {
            if !area_ids.insert(a.id) {
                errors.push(ModelError::DuplicateId { kind: "decision area", id: a.id.0 });
            }
        }
        let unit_ok = |id: UnitId, field: &'static str, errors: &mut Vec<ModelError>| {
            if !unit_ids.contains(&id) {
                errors.push(ModelError::UnknownUnit { field, id: id.0 });
            }
        };
        for u in &self.units {
            if let Some(p) = u.parent {
                if p == u.id {
                    errors.push(ModelError::ParentCycle { unit: u.name.to_string() });
                } else if !unit_ids.contains(&p) {
                    errors.push(ModelError::UnknownUnit { field: "parent", id: p.0 });
                } else if self.would_cycle(u.id, p) {
                    errors.push(ModelError::ParentCycle { unit: u.name.to_string() });
                }
            }
        }
        for g in &self.grants {
            unit_ok(g.unit, "grant unit", &mut errors);
            if let Some(by) = g.granted_by {
                unit_ok(by, "granted by", &mut errors);
            }
            if !area_ids.contains(&g.area) {
                errors.push(ModelError::UnknownArea { field: "grant area", id: g.area.0 });
            }
        }
        let mut commitment_ids = IdSet::default();
        for c in &self.commitments {
            if !commitment_ids.insert(c.id) {
                errors.push(ModelError::DuplicateId { kind: "commitment", id: c.id.0 });
            }
            unit_ok(c.owner, "owner", &mut errors);
            if let Some(r) = c.reviewer {
                unit_ok(r, "reviewer", &mut errors);
            }
            for k in &c.checkins {
                if let Some(r) = k.recorded_by {
                    unit_ok(r, "recorded by", &mut errors);
                }
            }
            if let Err(e) = c.check() {
                errors.push(e);
            }
        }
        let mut decision_ids = IdSet::default();
        for d in &self.decisions {
            if !decision_ids.insert(d.id) {
                errors.push(ModelError::DuplicateId { kind: "decision", id: d.id.0 });
            }
            unit_ok(d.unit, "decided by", &mut errors);
            if !area_ids.contains(&d.area) {
                errors.push(ModelError::UnknownArea { field: "decision area", id: d.area.0 });
            }
            for a in &d.accountable {
                unit_ok(*a, "accountable", &mut errors);
            }
            if let Some(r) = d.review_date {
                if r < d.date {
                    errors.push(ModelError::ReviewBeforeDecision { decision: d.title.to_string() });
                }
            }
        }
        for r in &self.reviews {
            unit_ok(r.unit, "reviewed unit", &mut errors);
            if let Some(by) = r.reviewer {
                unit_ok(by, "reviewer", &mut errors);
            }
        }
        for p in &self.pulses {
            unit_ok(p.unit, "pulse unit", &mut errors);
        }
        if let Err(e) = self.policy.validate() {
            errors.push(e);
        }
        super::workshop::validate(self, &mut errors);
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }

    /// The earliest date anything happened, if anything did.
    pub fn first_date(&self) -> Option<Date> {
        let g = self.grants.iter().map(|g| g.date);
        let c = self.commitments.iter().map(|c| c.start);
        let d = self.decisions.iter().map(|d| d.date);
        let r = self.reviews.iter().map(|r| r.date);
        let p = self.pulses.iter().map(|p| p.date);
        g.chain(c).chain(d).chain(r).chain(p).min()
    }

    /// The latest date anything was recorded, if anything was.
    pub fn last_date(&self) -> Option<Date> {
        let g = self.grants.iter().map(|g| g.date);
        let k = self.commitments.iter().flat_map(|c| c.checkins.last().map(|k| k.date).into_iter().chain(std::iter::once(c.start)));
        let d = self.decisions.iter().map(|d| if d.outcome.is_some() { d.review_date.unwrap_or(d.date) } else { d.date });
        let r = self.reviews.iter().map(|r| r.date);
        let p = self.pulses.iter().map(|p| p.date);
        g.chain(k).chain(d).chain(r).chain(p).max()
    }

    pub fn checkin_count(&self) -> usize {
        self.commitments.iter().map(|c| c.checkins.len()).sum()
    }

    /// The commitments whose check-ins are all that differ from `before`, when nothing
    /// else differs (so scores can be updated commitment by commitment); `None` when
    /// anything else changed.
    pub fn changed_checkins(&self, before: &Workspace) -> Option<Vec<CommitmentId>> {
        if self.commitments.len() != before.commitments.len() {
            return None;
        }
        let mut rest = before.clone();
        rest.commitments = self.commitments.clone();
        // Workshops are not scored.
        rest.workshops = self.workshops.clone();
        if rest != *self {
            return None;
        }
        let mut ids = Vec::new();
        for (now, then) in self.commitments.iter().zip(before.commitments.iter()) {
            if !now.checkins.shares(&then.checkins) && now.checkins != then.checkins {
                ids.push(now.id);
            }
            let mut same = now.clone();
            same.checkins = then.checkins.clone();
            if same != *then {
                return None;
            }
        }
        Some(ids)
    }

    /// What keeping this version costs beyond `other`, in check-ins' worth of memory:
    /// the check-ins in lists `other` does not share, plus the record lists themselves
    /// when they are not shared (a commitment weighs about two check-ins, any other
    /// record one). Lists are matched by position, so the figure errs high.
    pub fn unshared_size(&self, other: &Workspace) -> usize {
        let mut size = 0;
        let lists = [
            (self.decisions.shares(&other.decisions), self.decisions.len()),
            (self.grants.shares(&other.grants), self.grants.len()),
            (self.reviews.shares(&other.reviews), self.reviews.len()),
            (self.pulses.shares(&other.pulses), self.pulses.len()),
            (self.units.shares(&other.units), self.units.len()),
            (self.workshops.shares(&other.workshops), self.workshops.len()),
        ];
        size += lists.iter().filter(|(shared, _)| !shared).map(|(_, n)| n).sum::<usize>();
        if !self.commitments.shares(&other.commitments) {
            size += 2 * self.commitments.len();
            for (i, c) in self.commitments.iter().enumerate() {
                if !other.commitments.get(i).is_some_and(|o| o.checkins.shares(&c.checkins)) {
                    size += c.checkins.len();
                }
            }
        }
        size
    }
}
