//! Giving a record another id, with every reference to it: what a shared workspace does
//! when two members, apart, created records of one kind under the same next id. The one
//! the server took first keeps the id; the other member's record moves to a fresh id
//! ([`crate::sync::Replica`] decides when), so both records are kept and nobody has to
//! enter one again.

use super::command::{Change, CheckInKey, DatedKey, GrantKey};
use super::model::*;
use super::workshop::WorkshopId;

/// A record that has an id of its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum RecordId {
    Unit(UnitId),
    Area(AreaId),
    Commitment(CommitmentId),
    Decision(DecisionId),
    Workshop(WorkshopId),
}

impl RecordId {
    /// The same kind of record under the id `n`.
    pub fn with_number(self, n: u32) -> RecordId {
        match self {
            RecordId::Unit(_) => RecordId::Unit(UnitId(n)),
            RecordId::Area(_) => RecordId::Area(AreaId(n)),
            RecordId::Commitment(_) => RecordId::Commitment(CommitmentId(n)),
            RecordId::Decision(_) => RecordId::Decision(DecisionId(n)),
            RecordId::Workshop(_) => RecordId::Workshop(WorkshopId(n)),
        }
    }

    /// What kind of record it is, in words.
    pub fn kind(self) -> &'static str {
        match self {
            RecordId::Unit(_) => "unit",
            RecordId::Area(_) => "decision area",
            RecordId::Commitment(_) => "commitment",
            RecordId::Decision(_) => "decision",
            RecordId::Workshop(_) => "workshop",
        }
    }

    /// Its number.
    pub fn number(self) -> u32 {
        match self {
            RecordId::Unit(id) => id.0,
            RecordId::Area(id) => id.0,
            RecordId::Commitment(id) => id.0,
            RecordId::Decision(id) => id.0,
            RecordId::Workshop(id) => id.0,
        }
    }

    /// Whether `ws` holds a record under this id.
    pub fn exists_in(self, ws: &Workspace) -> bool {
        match self {
            RecordId::Unit(id) => ws.unit(id).is_some(),
            RecordId::Area(id) => ws.area(id).is_some(),
            RecordId::Commitment(id) => ws.commitment(id).is_some(),
            RecordId::Decision(id) => ws.decisions.iter().any(|d| d.id == id),
            RecordId::Workshop(id) => ws.workshop(id).is_some(),
        }
    }

    /// The next id of this kind `ws` would give out.
    pub fn next_in(self, ws: &Workspace) -> RecordId {
        match self {
            RecordId::Unit(_) => RecordId::Unit(ws.next_unit_id()),
            RecordId::Area(_) => RecordId::Area(ws.next_area_id()),
            RecordId::Commitment(_) => RecordId::Commitment(ws.next_commitment_id()),
            RecordId::Decision(_) => RecordId::Decision(ws.next_decision_id()),
            RecordId::Workshop(_) => RecordId::Workshop(ws.next_workshop_id()),
        }
    }
}

/// Moves the record `from` to the free id `to` of the same kind, rewriting every
/// reference to it (a unit's children, grants, commitments, check-ins' recorders,
/// decisions, reviews, pulses, workshops; an area's grants, decisions and workshops; a
/// commitment's workshop actions), and records `to` as issued. Lists keep their order
/// (the caller puts them in canonical order if it needs to). The [`Change`] names every
/// record it touched, under its old key and its new one. `None`, changing nothing, if
/// `from` is not there, `to` is taken, or the two differ in kind.
pub fn renumber(ws: &mut Workspace, from: RecordId, to: RecordId) -> Option<Change> {
    if !from.exists_in(ws) || to.exists_in(ws) || std::mem::discriminant(&from) != std::mem::discriminant(&to) {
        return None;
    }
    let mut change = Change::new(format!("Moved {} {} to {}", from.kind(), from.number(), to.number()));
    match (from, to) {
        (RecordId::Unit(a), RecordId::Unit(b)) => unit(ws, a, b, &mut change),
        (RecordId::Area(a), RecordId::Area(b)) => area(ws, a, b, &mut change),
        (RecordId::Commitment(a), RecordId::Commitment(b)) => commitment(ws, a, b, &mut change),
        (RecordId::Decision(a), RecordId::Decision(b)) => {
            for d in ws.decisions.iter_mut().filter(|d| d.id == a) {
                d.id = b;
            }
            change.decisions.removed.push(a);
            change.decisions.added.push(b);
            ws.issued.decision = ws.issued.decision.max(b.0);
        }
        (RecordId::Workshop(a), RecordId::Workshop(b)) => {
            for s in ws.workshops.iter_mut().filter(|s| s.id == a) {
                s.id = b;
            }
            change.workshops.removed.push(a);
            change.workshops.added.push(b);
            ws.issued.workshop = ws.issued.workshop.max(b.0);
        }
        _ => unreachable!("same kind, checked above"),
    }
    Some(change)
}

/// `*x = to` where `*x == from`; whether it did.
fn swap<T: PartialEq + Copy>(x: &mut T, from: T, to: T) -> bool {
    let hit = *x == from;
    if hit {
        *x = to;
    }
    hit
}

/// Rewrites the items of a shared list that `mentions`, copying the list only if one does.
fn rewrite<T: Clone>(list: &mut Shared<T>, mentions: impl Fn(&T) -> bool, mut edit: impl FnMut(&mut T)) {
    if list.iter().any(&mentions) {
        for item in list.iter_mut().filter(|x| mentions(x)) {
            edit(item);
        }
    }
}

fn unit(ws: &mut Workspace, a: UnitId, b: UnitId, change: &mut Change) {
    let is = |u: Option<UnitId>| u == Some(a);
    change.units.removed.push(a);
    change.units.added.push(b);
    rewrite(
        &mut ws.units,
        |u| is(u.parent),
        |u| {
            u.parent = Some(b);
            change.units.edited.push(u.id);
        },
    );
    rewrite(&mut ws.units, |u| u.id == a, |u| u.id = b);
    rewrite(
        &mut ws.grants,
        |g| g.unit == a || is(g.granted_by),
        |g| {
            change.grants.edited.push(GrantKey { unit: g.unit, area: g.area, date: g.date });
            swap(&mut g.unit, a, b);
            swap(&mut g.granted_by, Some(a), Some(b));
            change.grants.edited.push(GrantKey { unit: g.unit, area: g.area, date: g.date });
        },
    );
    let recorded = |c: &Commitment| c.checkins().iter().any(|k| is(k.recorded_by));
    rewrite(
        &mut ws.commitments,
        |c| c.owner == a || is(c.reviewer) || recorded(c),
        |c| {
            swap(&mut c.owner, a, b);
            swap(&mut c.reviewer, Some(a), Some(b));
            change.commitments.edited.push(c.id);
            if recorded(c) {
                change.checkins.edited.extend(c.checkins().iter().filter(|k| is(k.recorded_by)).map(|k| CheckInKey { commitment: c.id, date: k.date }));
                let mut log = c.checkins().clone();
                log.replace_recorders(|r| r == a, b);
                c.set_checkins(log);
            }
        },
    );
    rewrite(
        &mut ws.decisions,
        |d| d.unit == a || d.accountable.contains(&a),
        |d| {
            swap(&mut d.unit, a, b);
            for x in &mut d.accountable {
                swap(x, a, b);
            }
            change.decisions.edited.push(d.id);
        },
    );
    rewrite(
        &mut ws.reviews,
        |r| r.unit == a || is(r.reviewer),
        |r| {
            change.reviews.edited.push(DatedKey { unit: r.unit, date: r.date });
            swap(&mut r.unit, a, b);
            swap(&mut r.reviewer, Some(a), Some(b));
            change.reviews.edited.push(DatedKey { unit: r.unit, date: r.date });
        },
    );
    rewrite(
        &mut ws.pulses,
        |p| p.unit == a,
        |p| {
            change.pulses.edited.push(DatedKey { unit: a, date: p.date });
            p.unit = b;
            change.pulses.edited.push(DatedKey { unit: b, date: p.date });
        },
    );
    rewrite(
        &mut ws.workshops,
        |s| s.mentions_unit(a, &[]) || s.rounds.iter().any(|r| r.agreed.as_ref().is_some_and(|x| x.grant.unit == a)),
        |s| {
            for u in &mut s.units {
                swap(u, a, b);
            }
            for r in &mut s.rounds {
                swap(&mut r.unit, a, b);
                if let Some(x) = &mut r.agreed {
                    swap(&mut x.grant.unit, a, b);
                }
            }
            for o in &mut s.outcomes {
                swap(&mut o.unit, a, b);
                swap(&mut o.reviewer, Some(a), Some(b));
            }
            change.workshops.edited.push(s.id);
        },
    );
    ws.issued.unit = ws.issued.unit.max(b.0);
}

fn area(ws: &mut Workspace, a: AreaId, b: AreaId, change: &mut Change) {
    for x in ws.areas.iter_mut() {
        swap(&mut x.id, a, b);
    }
    change.areas.removed.push(a);
    change.areas.added.push(b);
    rewrite(
        &mut ws.grants,
        |g| g.area == a,
        |g| {
            change.grants.edited.push(GrantKey { unit: g.unit, area: a, date: g.date });
            g.area = b;
            change.grants.edited.push(GrantKey { unit: g.unit, area: b, date: g.date });
        },
    );
    rewrite(
        &mut ws.decisions,
        |d| d.area == a,
        |d| {
            d.area = b;
            change.decisions.edited.push(d.id);
        },
    );
    let mentions = |s: &super::workshop::WorkshopSession| s.areas.contains(&a) || s.rounds.iter().any(|r| r.area == a || r.agreed.as_ref().is_some_and(|x| x.grant.area == a));
    rewrite(&mut ws.workshops, mentions, |s| {
        for x in &mut s.areas {
            swap(x, a, b);
        }
        for r in &mut s.rounds {
            swap(&mut r.area, a, b);
            if let Some(x) = &mut r.agreed {
                swap(&mut x.grant.area, a, b);
            }
        }
        change.workshops.edited.push(s.id);
    });
    ws.issued.area = ws.issued.area.max(b.0);
}

fn commitment(ws: &mut Workspace, a: CommitmentId, b: CommitmentId, change: &mut Change) {
    // Its check-ins travel with it (their documents are keyed by the commitment).
    rewrite(&mut ws.commitments, |c| c.id == a, |c| c.id = b);
    change.commitments.removed.push(a);
    change.commitments.added.push(b);
    let linked = |s: &super::workshop::WorkshopSession| s.outcomes.iter().any(|o| o.actions.iter().any(|x| x.commitment == Some(a)));
    rewrite(&mut ws.workshops, linked, |s| {
        for o in &mut s.outcomes {
            for x in &mut o.actions {
                swap(&mut x.commitment, Some(a), Some(b));
            }
        }
        change.workshops.edited.push(s.id);
    });
    ws.issued.commitment = ws.issued.commitment.max(b.0);
}
