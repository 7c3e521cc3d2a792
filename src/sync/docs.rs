//! Records as documents: a workspace is a set of CouchDB documents, each with a stable id
//! derived from the record's own key, so two members' edits to different records are
//! writes to different documents and never conflict.
//!
//! | document id                        | holds                                             |
//! |------------------------------------|---------------------------------------------------|
//! | `workspace`                        | the workspace's name                              |
//! | `policy`                           | the scoring policy                                |
//! | `issued`, `issued:<member>`        | the highest ids given out (merged by maximum)     |
//! | `unit:<id>`                        | one unit                                          |
//! | `area:<id>`                        | one decision area                                 |
//! | `grant:<unit>:<area>:<day>`        | the grants of one unit in one area on one day     |
//! | `commitment:<id>`                  | one commitment's fields, without its check-ins    |
//! | `checkin:<commitment>:<day>`       | one check-in                                      |
//! | `decision:<id>`                    | one decision                                      |
//! | `review:<unit>:<day>`              | the autonomy reviews of one unit on one day       |
//! | `pulse:<unit>:<day>`               | the pulse of one unit on one day                  |
//! | `workshop:<id>`                    | one workshop with its rounds, votes and actions   |
//!
//! Why these groups:
//! - **A check-in is its own document** (`checkin:<commitment>:<day>`): check-ins are by
//!   far the most numerous records and the ones members record in parallel; the model
//!   keeps one per commitment and day, so that pair is a natural, unique key. Keeping
//!   them out of the commitment's document means recording a value never conflicts with
//!   someone editing the commitment's target, and a push of one check-in is one small
//!   document rather than the commitment's whole history.
//! - **Grants, reviews and pulses have no id**: their natural key is their unit, their
//!   day and (for grants) their area. The model allows two grants of one unit and area on
//!   one day (the later supersedes the earlier) and two reviews of one unit on one day,
//!   so the key names a *group*: the document holds the list, in history order. Numbering
//!   same-day records (`…:0`, `…:1`) instead would make a number depend on arrival order
//!   and two members' same-day grants would silently claim each other's number; as a
//!   group, two leaders granting the same unit the same area on the same day write the
//!   same document, which is a real disagreement and becomes a recorded conflict.
//! - **The highest issued ids** are merged by maximum, never overwritten: a member
//!   writes only `issued:<member>` (the uploaded workspace's value is in `issued`), and
//!   the workspace's value is the component-wise maximum of them all, so two members
//!   adding records of different kinds never write the same document.
//! - Everything with an id of its own (units, areas, commitments, decisions) is one
//!   document per record.
//!
//! Order: the documents say nothing about list order, so a workspace built from them is
//! in [`canonicalize`]d order (ids ascending; histories by day, then unit and area,
//! same-day records of one key in their recorded order). Scores do not depend on record
//! order (a tested invariant of the core), and canonical order is also what
//! [`Workspace::normalize`] gives where it sorts.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::core::dates::{format_date, parse_date};
use crate::core::*;

/// The content of one document: the record (or group of records) it holds. In JSON,
/// `{"type": "<kind>", "record": <the record>}`; read back by a hand-written
/// `Deserialize` that reads the record straight into its type (see below).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type", content = "record", rename_all = "snake_case")]
pub enum Record {
    Workspace {
        name: Name,
    },
    Policy(Box<Policy>),
    Issued(IssuedIds),
    Unit(Unit),
    Area(DecisionArea),
    /// Grants of one unit in one area on one day, in history order.
    #[serde(rename = "grant")]
    Grants(Vec<Grant>),
    Commitment {
        id: CommitmentId,
        fields: CommitmentFields,
    },
    #[serde(rename = "checkin")]
    CheckIn {
        commitment: CommitmentId,
        checkin: CheckIn,
    },
    Decision(Decision),
    /// Autonomy reviews of one unit on one day, in history order.
    #[serde(rename = "review")]
    Reviews(Vec<Review>),
    /// Pulses of one unit on one day (one, unless an older file held more).
    #[serde(rename = "pulse")]
    Pulses(Vec<Pulse>),
    /// One workshop: a facilitator's session is edited from one laptop at a time.
    Workshop(Box<workshop::WorkshopSession>),
}

/// Reads `{"type", "record"}` from JSON text (`serde_json::from_str`, not `from_value`:
/// the record is taken as raw text) by the record's type. serde's derived
/// reading of an adjacently tagged enum buffers the record in its generic `Content` form
/// first, which puts a second reader of every model type in the wasm (34 KB gzip,
/// measured); the JSON readers of the model types are already there for files and storage.
impl<'de> Deserialize<'de> for Record {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Record, D::Error> {
        use serde::de::Error;
        #[derive(Deserialize)]
        struct Tagged<'a> {
            #[serde(rename = "type")]
            kind: String,
            #[serde(borrow)]
            record: &'a serde_json::value::RawValue,
        }
        #[derive(Deserialize)]
        struct WorkspaceName {
            name: Name,
        }
        #[derive(Deserialize)]
        struct CommitmentDoc {
            id: CommitmentId,
            fields: CommitmentFields,
        }
        #[derive(Deserialize)]
        struct CheckInDoc {
            commitment: CommitmentId,
            checkin: CheckIn,
        }
        let tagged = Tagged::deserialize(deserializer)?;
        let text = tagged.record.get();
        fn read<T: serde::de::DeserializeOwned, E: Error>(text: &str) -> Result<T, E> {
            serde_json::from_str(text).map_err(E::custom)
        }
        Ok(match tagged.kind.as_str() {
            "workspace" => Record::Workspace { name: read::<WorkspaceName, D::Error>(text)?.name },
            "policy" => Record::Policy(read(text)?),
            "issued" => Record::Issued(read(text)?),
            "unit" => Record::Unit(read(text)?),
            "area" => Record::Area(read(text)?),
            "grant" => Record::Grants(read(text)?),
            "commitment" => {
                let c: CommitmentDoc = read(text)?;
                Record::Commitment { id: c.id, fields: c.fields }
            }
            "checkin" => {
                let c: CheckInDoc = read(text)?;
                Record::CheckIn { commitment: c.commitment, checkin: c.checkin }
            }
            "decision" => Record::Decision(read(text)?),
            "review" => Record::Reviews(read(text)?),
            "pulse" => Record::Pulses(read(text)?),
            "workshop" => Record::Workshop(read(text)?),
            other => return Err(D::Error::unknown_variant(other, &["workspace", "policy", "issued", "unit", "area", "grant", "commitment", "checkin", "decision", "review", "pulse", "workshop"])),
        })
    }
}

/// What a document id names. `Display` gives the id, `FromStr` reads it back.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum DocKey {
    Workspace,
    Policy,
    /// `issued` (the uploaded workspace's) or `issued:<member>`.
    Issued(Option<String>),
    Unit(UnitId),
    Area(AreaId),
    Grants(GrantKey),
    Commitment(CommitmentId),
    CheckIn(CheckInKey),
    Decision(DecisionId),
    Reviews(DatedKey),
    Pulses(DatedKey),
    Workshop(workshop::WorkshopId),
}

impl fmt::Display for DocKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DocKey::Workspace => f.write_str("workspace"),
            DocKey::Policy => f.write_str("policy"),
            DocKey::Issued(None) => f.write_str("issued"),
            DocKey::Issued(Some(member)) => write!(f, "issued:{member}"),
            DocKey::Unit(id) => write!(f, "unit:{}", id.0),
            DocKey::Area(id) => write!(f, "area:{}", id.0),
            DocKey::Grants(k) => write!(f, "grant:{}:{}:{}", k.unit.0, k.area.0, format_date(k.date)),
            DocKey::Commitment(id) => write!(f, "commitment:{}", id.0),
            DocKey::CheckIn(k) => write!(f, "checkin:{}:{}", k.commitment.0, format_date(k.date)),
            DocKey::Decision(id) => write!(f, "decision:{}", id.0),
            DocKey::Reviews(k) => write!(f, "review:{}:{}", k.unit.0, format_date(k.date)),
            DocKey::Pulses(k) => write!(f, "pulse:{}:{}", k.unit.0, format_date(k.date)),
            DocKey::Workshop(id) => write!(f, "workshop:{}", id.0),
        }
    }
}

/// A document that cannot be a Latitude record.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum DocError {
    #[error("“{0}” is not the id of a Latitude document")]
    BadId(String),
    #[error("document “{0}” holds a record that belongs under another id")]
    WrongId(String),
    #[error("document “{id}” cannot be read: {problem}")]
    Body { id: String, problem: String },
    #[error("the database has no “workspace” document yet")]
    NoWorkspace,
}

/// Stored and sent as its id text.
impl Serialize for DocKey {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for DocKey {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<DocKey, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

impl FromStr for DocKey {
    type Err = DocError;
    fn from_str(id: &str) -> Result<DocKey, DocError> {
        let bad = || DocError::BadId(id.chars().take(80).collect());
        let mut parts = id.splitn(2, ':');
        let kind = parts.next().unwrap_or("");
        let rest = parts.next();
        let num = |s: &str| -> Result<u32, DocError> {
            if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) || (s.len() > 1 && s.starts_with('0')) {
                return Err(bad());
            }
            s.parse::<u32>().map_err(|_| bad())
        };
        let fields = |n: usize| -> Result<Vec<&str>, DocError> {
            let v: Vec<&str> = rest.ok_or_else(bad)?.split(':').collect();
            if v.len() == n {
                Ok(v)
            } else {
                Err(bad())
            }
        };
        let day = |s: &str| -> Result<time::Date, DocError> {
            let d = parse_date(s).map_err(|_| bad())?;
            // Only the canonical spelling names a document.
            if format_date(d) == s {
                Ok(d)
            } else {
                Err(bad())
            }
        };
        Ok(match (kind, rest) {
            ("workspace", None) => DocKey::Workspace,
            ("policy", None) => DocKey::Policy,
            ("issued", None) => DocKey::Issued(None),
            ("issued", Some(m)) if !m.is_empty() => DocKey::Issued(Some(m.to_owned())),
            ("unit", Some(n)) => DocKey::Unit(UnitId(num(n)?)),
            ("area", Some(n)) => DocKey::Area(AreaId(num(n)?)),
            ("commitment", Some(n)) => DocKey::Commitment(CommitmentId(num(n)?)),
            ("decision", Some(n)) => DocKey::Decision(DecisionId(num(n)?)),
            ("workshop", Some(n)) => DocKey::Workshop(workshop::WorkshopId(num(n)?)),
            ("grant", Some(_)) => {
                let f = fields(3)?;
                DocKey::Grants(GrantKey { unit: UnitId(num(f[0])?), area: AreaId(num(f[1])?), date: day(f[2])? })
            }
            ("checkin", Some(_)) => {
                let f = fields(2)?;
                DocKey::CheckIn(CheckInKey { commitment: CommitmentId(num(f[0])?), date: day(f[1])? })
            }
            ("review", Some(_)) => {
                let f = fields(2)?;
                DocKey::Reviews(DatedKey { unit: UnitId(num(f[0])?), date: day(f[1])? })
            }
            ("pulse", Some(_)) => {
                let f = fields(2)?;
                DocKey::Pulses(DatedKey { unit: UnitId(num(f[0])?), date: day(f[1])? })
            }
            _ => return Err(bad()),
        })
    }
}

impl DocKey {
    /// The record this document holds, if it is one with an id of its own (the ids a
    /// member gives out, which two members apart can give twice).
    pub fn record_id(&self) -> Option<crate::core::renumber::RecordId> {
        use crate::core::renumber::RecordId;
        Some(match self {
            DocKey::Unit(id) => RecordId::Unit(*id),
            DocKey::Area(id) => RecordId::Area(*id),
            DocKey::Commitment(id) => RecordId::Commitment(*id),
            DocKey::Decision(id) => RecordId::Decision(*id),
            DocKey::Workshop(id) => RecordId::Workshop(*id),
            _ => return None,
        })
    }

    /// The document of a record with an id of its own.
    pub fn from_record_id(id: crate::core::renumber::RecordId) -> DocKey {
        use crate::core::renumber::RecordId;
        match id {
            RecordId::Unit(id) => DocKey::Unit(id),
            RecordId::Area(id) => DocKey::Area(id),
            RecordId::Commitment(id) => DocKey::Commitment(id),
            RecordId::Decision(id) => DocKey::Decision(id),
            RecordId::Workshop(id) => DocKey::Workshop(id),
        }
    }
}

impl Record {
    /// Whether this record may be stored under `key`: its own key is that one (and a
    /// group is not empty and all of one key).
    pub fn fits(&self, key: &DocKey) -> bool {
        match (self, key) {
            (Record::Workspace { .. }, DocKey::Workspace) | (Record::Policy(_), DocKey::Policy) | (Record::Issued(_), DocKey::Issued(_)) => true,
            (Record::Unit(u), DocKey::Unit(id)) => u.id == *id,
            (Record::Area(a), DocKey::Area(id)) => a.id == *id,
            (Record::Grants(list), DocKey::Grants(k)) => !list.is_empty() && list.iter().all(|g| g.unit == k.unit && g.area == k.area && g.date == k.date),
            (Record::Commitment { id: c, .. }, DocKey::Commitment(id)) => c == id,
            (Record::CheckIn { commitment, checkin }, DocKey::CheckIn(k)) => *commitment == k.commitment && checkin.date == k.date,
            (Record::Decision(d), DocKey::Decision(id)) => d.id == *id,
            (Record::Workshop(w), DocKey::Workshop(id)) => w.id == *id,
            (Record::Reviews(list), DocKey::Reviews(k)) => !list.is_empty() && list.iter().all(|r| r.unit == k.unit && r.date == k.date),
            (Record::Pulses(list), DocKey::Pulses(k)) => !list.is_empty() && list.iter().all(|p| p.unit == k.unit && p.date == k.date),
            _ => false,
        }
    }
}

/// Every document of a workspace, by id. Deterministic: the same workspace gives the
/// same documents, whatever its list order.
pub fn documents(ws: &Workspace) -> BTreeMap<DocKey, Record> {
    let mut out = BTreeMap::new();
    out.insert(DocKey::Workspace, Record::Workspace { name: ws.name.clone() });
    out.insert(DocKey::Policy, Record::Policy(Box::new(ws.policy.clone())));
    out.insert(DocKey::Issued(None), Record::Issued(ws.issued));
    for u in &ws.units {
        out.insert(DocKey::Unit(u.id), Record::Unit(u.clone()));
    }
    for a in &ws.areas {
        out.insert(DocKey::Area(a.id), Record::Area(a.clone()));
    }
    for g in &ws.grants {
        let key = DocKey::Grants(GrantKey { unit: g.unit, area: g.area, date: g.date });
        match out.entry(key).or_insert_with(|| Record::Grants(Vec::new())) {
            Record::Grants(list) => list.push(g.clone()),
            _ => unreachable!("grant keys hold grants"),
        }
    }
    for c in &ws.commitments {
        out.insert(DocKey::Commitment(c.id), Record::Commitment { id: c.id, fields: c.fields() });
        for k in c.checkins().iter() {
            out.insert(DocKey::CheckIn(CheckInKey { commitment: c.id, date: k.date }), Record::CheckIn { commitment: c.id, checkin: k.clone() });
        }
    }
    for d in &ws.decisions {
        out.insert(DocKey::Decision(d.id), Record::Decision(d.clone()));
    }
    for w in &ws.workshops {
        out.insert(DocKey::Workshop(w.id), Record::Workshop(Box::new(w.clone())));
    }
    for r in &ws.reviews {
        match out.entry(DocKey::Reviews(DatedKey { unit: r.unit, date: r.date })).or_insert_with(|| Record::Reviews(Vec::new())) {
            Record::Reviews(list) => list.push(r.clone()),
            _ => unreachable!("review keys hold reviews"),
        }
    }
    for p in &ws.pulses {
        match out.entry(DocKey::Pulses(DatedKey { unit: p.unit, date: p.date })).or_insert_with(|| Record::Pulses(Vec::new())) {
            Record::Pulses(list) => list.push(p.clone()),
            _ => unreachable!("pulse keys hold pulses"),
        }
    }
    out
}

/// The record a workspace holds under `key`, if any (what [`documents`] would give for it).
/// An `issued:<member>` key reads the workspace's merged value.
pub fn record_for(ws: &Workspace, key: &DocKey) -> Option<Record> {
    match key {
        DocKey::Workspace => Some(Record::Workspace { name: ws.name.clone() }),
        DocKey::Policy => Some(Record::Policy(Box::new(ws.policy.clone()))),
        DocKey::Issued(_) => Some(Record::Issued(ws.issued)),
        DocKey::Unit(id) => ws.unit(*id).cloned().map(Record::Unit),
        DocKey::Area(id) => ws.area(*id).cloned().map(Record::Area),
        DocKey::Grants(k) => group(ws.grants.iter().filter(|g| g.unit == k.unit && g.area == k.area && g.date == k.date)).map(Record::Grants),
        DocKey::Commitment(id) => ws.commitment(*id).map(|c| Record::Commitment { id: c.id, fields: c.fields() }),
        DocKey::CheckIn(k) => ws.commitment(k.commitment).and_then(|c| c.checkins().on(k.date)).map(|x| Record::CheckIn { commitment: k.commitment, checkin: x.clone() }),
        DocKey::Decision(id) => ws.decisions.iter().find(|d| d.id == *id).cloned().map(Record::Decision),
        DocKey::Workshop(id) => ws.workshop(*id).map(|w| Record::Workshop(Box::new(w.clone()))),
        DocKey::Reviews(k) => group(ws.reviews.iter().filter(|r| r.unit == k.unit && r.date == k.date)).map(Record::Reviews),
        DocKey::Pulses(k) => group(ws.pulses.iter().filter(|p| p.unit == k.unit && p.date == k.date)).map(Record::Pulses),
    }
}

fn group<'a, T: Clone + 'a>(items: impl Iterator<Item = &'a T>) -> Option<Vec<T>> {
    let v: Vec<T> = items.cloned().collect();
    (!v.is_empty()).then_some(v)
}

/// The documents a command changed, each with its new content (`None`: the document is
/// deleted), given the workspace before and after it and its [`Change`]. Only documents
/// whose content differs are listed, so a command that changed nothing sends nothing.
/// The highest issued ids are left to the caller (a member writes its own
/// `issued:<member>`, see [`crate::sync::Replica::record`]).
pub fn changed_documents(before: &Workspace, after: &Workspace, change: &Change) -> Vec<(DocKey, Option<Record>)> {
    let mut keys: BTreeSet<DocKey> = BTreeSet::new();
    if change.replaced {
        keys.extend(documents(before).into_keys());
        keys.extend(documents(after).into_keys());
    }
    if change.name {
        keys.insert(DocKey::Workspace);
    }
    if change.policy {
        keys.insert(DocKey::Policy);
    }
    keys.extend(change.units.all().map(|id| DocKey::Unit(*id)));
    keys.extend(change.areas.all().map(|id| DocKey::Area(*id)));
    keys.extend(change.grants.all().map(|k| DocKey::Grants(*k)));
    for id in change.commitments.all() {
        keys.insert(DocKey::Commitment(*id));
    }
    // The check-ins of an added or removed commitment travel with it.
    for id in change.commitments.added.iter().chain(&change.commitments.removed) {
        for ws in [before, after] {
            if let Some(c) = ws.commitment(*id) {
                keys.extend(c.checkins().iter().map(|k| DocKey::CheckIn(CheckInKey { commitment: *id, date: k.date })));
            }
        }
    }
    keys.extend(change.checkins.all().map(|k| DocKey::CheckIn(*k)));
    keys.extend(change.decisions.all().map(|id| DocKey::Decision(*id)));
    keys.extend(change.workshops.all().map(|id| DocKey::Workshop(*id)));
    keys.extend(change.reviews.all().map(|k| DocKey::Reviews(*k)));
    keys.extend(change.pulses.all().map(|k| DocKey::Pulses(*k)));
    keys.remove(&DocKey::Issued(None));
    keys.into_iter()
        .filter_map(|key| {
            let now = record_for(after, &key);
            (now != record_for(before, &key)).then_some((key, now))
        })
        .collect()
}

/// A workspace assembled from documents, and the documents that could not find their
/// place (a check-in whose commitment is not there: removed by one member while another
/// recorded it).
#[derive(Debug, Clone, PartialEq)]
pub struct Assembled {
    pub workspace: Workspace,
    pub orphans: BTreeMap<DocKey, Record>,
}

/// The workspace these documents describe, in canonical order. Each record must fit its
/// key ([`Record::fits`]); the `workspace` document must be there.
/// `workspace_from(documents(ws))` gives `ws` back exactly when `ws` is canonical
/// (property-tested), and a workspace equal to it up to list order otherwise.
pub fn workspace_from(docs: &BTreeMap<DocKey, Record>) -> Result<Assembled, DocError> {
    let Some(Record::Workspace { name }) = docs.get(&DocKey::Workspace) else { return Err(DocError::NoWorkspace) };
    let mut ws = Workspace::new(name.clone());
    let mut orphans = BTreeMap::new();
    let mut checkins: BTreeMap<CommitmentId, Vec<CheckIn>> = BTreeMap::new();
    for (key, record) in docs {
        if !record.fits(key) {
            return Err(DocError::WrongId(key.to_string()));
        }
        match record {
            Record::Workspace { .. } => {}
            Record::Policy(p) => ws.policy = (**p).clone(),
            Record::Issued(i) => ws.issued = max_issued(ws.issued, *i),
            Record::Unit(u) => ws.units.push(u.clone()),
            Record::Area(a) => ws.areas.push(a.clone()),
            Record::Grants(list) => ws.grants.extend(list.iter().cloned()),
            Record::Commitment { id, fields } => ws.commitments.push(Commitment::new(*id, fields.clone())),
            Record::CheckIn { commitment, checkin } => checkins.entry(*commitment).or_default().push(checkin.clone()),
            Record::Decision(d) => ws.decisions.push(d.clone()),
            Record::Workshop(w) => ws.workshops.push((**w).clone()),
            Record::Reviews(list) => ws.reviews.extend(list.iter().cloned()),
            Record::Pulses(list) => ws.pulses.extend(list.iter().cloned()),
        }
    }
    for (id, list) in checkins {
        match ws.commitment_mut(id) {
            Some(c) => c.set_checkins(CheckInLog::from_vec(list).expect("one document per commitment and day")),
            None => {
                for k in list {
                    orphans.insert(DocKey::CheckIn(CheckInKey { commitment: id, date: k.date }), Record::CheckIn { commitment: id, checkin: k });
                }
            }
        }
    }
    canonicalize(&mut ws);
    Ok(Assembled { workspace: ws, orphans })
}

/// The component-wise maximum of two sets of highest issued ids.
pub fn max_issued(a: IssuedIds, b: IssuedIds) -> IssuedIds {
    IssuedIds { unit: a.unit.max(b.unit), area: a.area.max(b.area), commitment: a.commitment.max(b.commitment), decision: a.decision.max(b.decision), workshop: a.workshop.max(b.workshop) }
}

/// Puts every list in canonical order: units, areas and commitments by id; decisions by
/// day then id; grants by day, unit and area; reviews and pulses by day and unit (stable,
/// so same-key records keep their order). A list already in order is not copied.
pub fn canonicalize(ws: &mut Workspace) {
    fn sort<T: Clone, K: Ord>(list: &mut Shared<T>, key: impl Fn(&T) -> K) {
        if !list.is_sorted_by_key(&key) {
            list.sort_by_key(key);
        }
    }
    sort(&mut ws.units, |u| u.id);
    if !ws.areas.is_sorted_by_key(|a| a.id) {
        ws.areas.sort_by_key(|a| a.id);
    }
    sort(&mut ws.grants, grant_order);
    sort(&mut ws.commitments, |c| c.id);
    sort(&mut ws.decisions, |d| (d.date, d.id));
    sort(&mut ws.reviews, |r| (r.date, r.unit));
    sort(&mut ws.pulses, |p| (p.date, p.unit));
    sort(&mut ws.workshops, |w| w.id);
}

fn grant_order(g: &Grant) -> (time::Date, UnitId, AreaId) {
    (g.date, g.unit, g.area)
}

/// Stores one document's content in a canonical workspace (`None`: the document was
/// deleted), keeping it canonical. A check-in whose commitment is missing goes to
/// `orphans`; a commitment that arrives takes its orphans back, and one that is deleted
/// leaves its check-ins there (their own documents say whether they still exist).
/// The `workspace`, `policy` and `issued` documents are never deleted; the highest issued
/// ids only grow.
pub fn put_record(ws: &mut Workspace, orphans: &mut BTreeMap<DocKey, Record>, key: &DocKey, record: Option<&Record>) {
    debug_assert!(record.is_none_or(|r| r.fits(key)));
    match (key, record) {
        (DocKey::Workspace, Some(Record::Workspace { name })) => ws.name = name.clone(),
        (DocKey::Policy, Some(Record::Policy(p))) => ws.policy = (**p).clone(),
        (DocKey::Issued(_), Some(Record::Issued(i))) => ws.issued = max_issued(ws.issued, *i),
        (DocKey::Workspace | DocKey::Policy | DocKey::Issued(_), _) => {}
        (DocKey::Unit(id), r) => upsert(&mut ws.units, |u| u.id.cmp(id), r.and_then(|r| if let Record::Unit(u) = r { Some(vec![u.clone()]) } else { None })),
        (DocKey::Area(id), r) => {
            let area = r.and_then(|r| if let Record::Area(a) = r { Some(a.clone()) } else { None });
            match (ws.areas.binary_search_by_key(id, |a| a.id), area) {
                (Ok(at), Some(a)) => ws.areas[at] = a,
                (Ok(at), None) => {
                    ws.areas.remove(at);
                }
                (Err(at), Some(a)) => ws.areas.insert(at, a),
                (Err(_), None) => {}
            }
        }
        (DocKey::Grants(k), r) => {
            let at = (k.date, k.unit, k.area);
            upsert(&mut ws.grants, |g| grant_order(g).cmp(&at), r.and_then(|r| if let Record::Grants(l) = r { Some(l.clone()) } else { None }));
        }
        (DocKey::Commitment(id), Some(Record::Commitment { fields, .. })) => match ws.commitment_mut(*id) {
            Some(c) => {
                if c.fields() != *fields {
                    c.set_fields(fields.clone());
                }
            }
            None => {
                let mut mine = Vec::new();
                orphans.retain(|k, r| match (k, r) {
                    (DocKey::CheckIn(ck), Record::CheckIn { checkin, .. }) if ck.commitment == *id => {
                        mine.push(checkin.clone());
                        false
                    }
                    _ => true,
                });
                let c = Commitment::new(*id, fields.clone()).with_checkins(CheckInLog::from_vec(mine).expect("one document per commitment and day"));
                let at = ws.commitments.partition_point(|x| x.id < *id);
                ws.commitments.insert(at, c);
            }
        },
        (DocKey::Commitment(id), _) => {
            if let Some(at) = ws.commitments.iter().position(|c| c.id == *id) {
                let c = ws.commitments.remove(at);
                for k in c.checkins().iter() {
                    orphans.insert(DocKey::CheckIn(CheckInKey { commitment: *id, date: k.date }), Record::CheckIn { commitment: *id, checkin: k.clone() });
                }
            }
        }
        (DocKey::CheckIn(k), r) => {
            let checkin = r.and_then(|r| if let Record::CheckIn { checkin, .. } = r { Some(checkin.clone()) } else { None });
            match ws.commitment_mut(k.commitment) {
                Some(c) => match checkin {
                    Some(x) => {
                        if c.checkins().on(k.date) != Some(&x) {
                            c.record_checkin(x);
                        }
                    }
                    None => {
                        c.remove_checkin(k.date);
                    }
                },
                None => match checkin {
                    Some(x) => {
                        orphans.insert(key.clone(), Record::CheckIn { commitment: k.commitment, checkin: x });
                    }
                    None => {
                        orphans.remove(key);
                    }
                },
            }
        }
        (DocKey::Decision(id), r) => {
            let d = r.and_then(|r| if let Record::Decision(d) = r { Some(d.clone()) } else { None });
            if let Some(at) = ws.decisions.iter().position(|x| x.id == *id) {
                if d.as_ref() == Some(&ws.decisions[at]) {
                    return;
                }
                ws.decisions.remove(at);
            }
            if let Some(d) = d {
                let at = ws.decisions.partition_point(|x| (x.date, x.id) < (d.date, d.id));
                ws.decisions.insert(at, d);
            }
        }
        (DocKey::Reviews(k), r) => {
            let at = (k.date, k.unit);
            upsert(&mut ws.reviews, |x| (x.date, x.unit).cmp(&at), r.and_then(|r| if let Record::Reviews(l) = r { Some(l.clone()) } else { None }));
        }
        (DocKey::Workshop(id), r) => {
            let w = r.and_then(|r| if let Record::Workshop(w) = r { Some((**w).clone()) } else { None });
            match (ws.workshops.iter().position(|x| x.id == *id), w) {
                (Some(at), Some(w)) => ws.workshops[at] = w,
                (Some(at), None) => {
                    ws.workshops.remove(at);
                }
                (None, Some(w)) => {
                    let at = ws.workshops.partition_point(|x| x.id < w.id);
                    ws.workshops.insert(at, w);
                }
                (None, None) => {}
            }
        }
        (DocKey::Pulses(k), r) => {
            let at = (k.date, k.unit);
            upsert(&mut ws.pulses, |x| (x.date, x.unit).cmp(&at), r.and_then(|r| if let Record::Pulses(l) = r { Some(l.clone()) } else { None }));
        }
    }
}

/// Replaces the run of items that compare `Equal` in a list sorted by `order` with
/// `items` (none: the run is removed); an unchanged run is not copied.
fn upsert<T: Clone + PartialEq>(list: &mut Shared<T>, order: impl Fn(&T) -> std::cmp::Ordering, items: Option<Vec<T>>) {
    let start = list.partition_point(|x| order(x) == std::cmp::Ordering::Less);
    let end = start + list[start..].iter().take_while(|x| order(x) == std::cmp::Ordering::Equal).count();
    let items = items.unwrap_or_default();
    if list[start..end] == items[..] {
        return;
    }
    list.splice(start..end, items);
}
