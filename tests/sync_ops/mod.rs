//! Random commands for the sync tests: a command in the making picks its records and
//! values from whatever workspace it meets (the same shapes as tests/core_commands.rs).
#![allow(dead_code)]

use latitude::core::*;
use proptest::prelude::*;
use time::Date;

fn name(text: &str) -> Name {
    Name::new(text).unwrap()
}

fn d(text: &str) -> Date {
    parse_date(text).unwrap()
}

/// against whatever workspace it meets.
#[derive(Debug, Clone)]
pub enum Op {
    AddUnit(u8, bool, Option<prop::sample::Index>),
    EditUnit(prop::sample::Index, u8, bool, Option<prop::sample::Index>),
    MoveUnit(prop::sample::Index, Option<prop::sample::Index>),
    RemoveUnit(prop::sample::Index),
    AddArea(u8),
    RenameArea(prop::sample::Index, u8),
    Grant(prop::sample::Index, Option<prop::sample::Index>, u8, u16, u8, u8),
    AddCommitment(prop::sample::Index, Option<prop::sample::Index>, i8, i8, u16, Option<u16>),
    EditCommitment(prop::sample::Index, i8, u8),
    CloseCommitment(prop::sample::Index, u16),
    RecordCheckIn(prop::sample::Index, u16, i16),
    EditCheckIn(prop::sample::Index, prop::sample::Index, u16, i16),
    DeleteCheckIn(prop::sample::Index, prop::sample::Index),
    Import(Vec<(prop::sample::Index, u16, i16)>),
    LogDecision(prop::sample::Index, prop::sample::Index, u16, Option<u16>),
    ReviewDecision(prop::sample::Index, u8, Vec<prop::sample::Index>, u16),
    RecordReview(prop::sample::Index, Option<prop::sample::Index>, u8, u16),
    AddPulse(prop::sample::Index, u16, u8),
    SetPolicy(u16, u8),
    Rename(u8),
    Replace(prop::sample::Index),
}

const NAMES: [&str; 6] = ["Ana", "Bruno", "Checkout", "Payments", "Architecture", "Vendors"];

pub fn day(n: u16) -> Date {
    score::add_days(d("2026-01-01"), i64::from(n))
}

pub fn op() -> impl Strategy<Value = Op> {
    use prop::sample::Index as I;
    let i = any::<I>;
    prop_oneof![
        3 => (any::<u8>(), any::<bool>(), prop::option::of(i())).prop_map(|(n, t, p)| Op::AddUnit(n, t, p)),
        1 => (i(), any::<u8>(), any::<bool>(), prop::option::of(i())).prop_map(|(u, n, t, p)| Op::EditUnit(u, n, t, p)),
        1 => (i(), prop::option::of(i())).prop_map(|(u, p)| Op::MoveUnit(u, p)),
        1 => (i()).prop_map(Op::RemoveUnit),
        1 => any::<u8>().prop_map(Op::AddArea),
        1 => (i(), any::<u8>()).prop_map(|(a, n)| Op::RenameArea(a, n)),
        2 => (i(), prop::option::of(i()), any::<u8>(), 0u16..400, 1u8..=5, 1u8..=7).prop_map(|(u, a, n, t, r, l)| Op::Grant(u, a, n, t, r, l)),
        3 => (i(), prop::option::of(i()), -3i8..3, -3i8..3, 0u16..200, prop::option::of(0u16..300)).prop_map(|(o, r, b, t, s, len)| Op::AddCommitment(o, r, b, t, s, len)),
        1 => (i(), -3i8..3, any::<u8>()).prop_map(|(c, t, cad)| Op::EditCommitment(c, t, cad)),
        1 => (i(), 0u16..400).prop_map(|(c, t)| Op::CloseCommitment(c, t)),
        5 => (i(), 0u16..400, any::<i16>()).prop_map(|(c, t, v)| Op::RecordCheckIn(c, t, v)),
        2 => (i(), i(), 0u16..400, any::<i16>()).prop_map(|(c, k, t, v)| Op::EditCheckIn(c, k, t, v)),
        2 => (i(), i()).prop_map(|(c, k)| Op::DeleteCheckIn(c, k)),
        1 => prop::collection::vec((i(), 0u16..400, any::<i16>()), 0..5).prop_map(Op::Import),
        2 => (i(), i(), 0u16..400, prop::option::of(0u16..400)).prop_map(|(u, a, t, r)| Op::LogDecision(u, a, t, r)),
        2 => (i(), 0u8..3, prop::collection::vec(i(), 0..3), 0u16..400).prop_map(|(x, o, acc, t)| Op::ReviewDecision(x, o, acc, t)),
        2 => (i(), prop::option::of(i()), 0u8..3, 0u16..400).prop_map(|(u, r, v, t)| Op::RecordReview(u, r, v, t)),
        1 => (i(), 0u16..400, 10u8..=50).prop_map(|(u, t, s)| Op::AddPulse(u, t, s)),
        1 => (0u16..500, 0u8..50).prop_map(|(g, l)| Op::SetPolicy(g, l)),
        1 => any::<u8>().prop_map(Op::Rename),
        1 => (i()).prop_map(Op::Replace),
    ]
}

/// The command `op` means in `ws`, or `None` when there is nothing for it to pick.
pub fn resolve(ws: &Workspace, op: &Op, versions: &[Workspace]) -> Option<Command> {
    let unit = |i: &prop::sample::Index| (!ws.units.is_empty()).then(|| ws.units[i.index(ws.units.len())].id);
    let area = |i: &prop::sample::Index| (!ws.areas.is_empty()).then(|| ws.areas[i.index(ws.areas.len())].id);
    let commitment = |i: &prop::sample::Index| (!ws.commitments.is_empty()).then(|| &ws.commitments[i.index(ws.commitments.len())]);
    let nm = |n: u8| name(&format!("{} {}", NAMES[n as usize % NAMES.len()], n % 3));
    let value = |v: i16| Finite::new(f64::from(v) / 4.0, "value").unwrap();
    let kind = |t: bool| if t { UnitKind::Team } else { UnitKind::Person };
    Some(match op {
        Op::AddUnit(n, t, p) => Command::AddUnit { name: nm(*n), kind: kind(*t), parent: p.as_ref().and_then(unit), role: String::new() },
        Op::EditUnit(u, n, t, p) => Command::EditUnit { unit: unit(u)?, name: nm(*n), kind: kind(*t), parent: p.as_ref().and_then(unit), role: "Lead".into() },
        Op::MoveUnit(u, p) => Command::MoveUnit { unit: unit(u)?, parent: p.as_ref().and_then(unit) },
        Op::RemoveUnit(u) => Command::RemoveUnit { unit: unit(u)? },
        Op::AddArea(n) => Command::AddArea { name: nm(*n) },
        Op::RenameArea(a, n) => Command::RenameArea { area: area(a)?, name: nm(*n) },
        Op::Grant(u, a, n, t, r, l) => Command::Grant {
            unit: unit(u)?,
            area: match a.as_ref().and_then(area) {
                Some(a) => AreaRef::Existing(a),
                None => AreaRef::New(nm(*n)),
            },
            date: day(*t),
            rung: Rung::new(*r).unwrap(),
            level: Level::new(*l).unwrap(),
            granted_by: ws.unit(unit(u)?).and_then(|x| x.parent),
            reason: String::new(),
        },
        Op::AddCommitment(o, r, b, t, s, len) => Command::AddCommitment {
            fields: CommitmentFields {
                baseline: Some(Finite::new(f64::from(*b), "b").unwrap()),
                target: Some(Finite::new(f64::from(*t), "t").unwrap()),
                direction: if t < b { Direction::Lower } else { Direction::Higher },
                due: len.map(|l| day(s + l)),
                reviewer: r.as_ref().and_then(unit),
                cadence_days: Some(7),
                ..CommitmentFields::new(unit(o)?, nm(*b as u8), Category::ALL[*s as usize % 4], day(*s))
            },
        },
        Op::EditCommitment(c, t, cad) => {
            let c = commitment(c)?;
            Command::EditCommitment { commitment: c.id, fields: CommitmentFields { target: Some(Finite::new(f64::from(*t), "t").unwrap()), cadence_days: Some(u16::from(*cad)), ..c.fields() } }
        }
        Op::CloseCommitment(c, t) => Command::CloseCommitment { commitment: commitment(c)?.id, date: day(*t) },
        Op::RecordCheckIn(c, t, v) => Command::RecordCheckIn {
            commitment: commitment(c)?.id,
            checkin: CheckIn { date: day(*t), value: value(*v), confidence: None, note: String::new(), evidence: "link".into(), recorded_by: None },
        },
        Op::EditCheckIn(c, k, t, v) => {
            let c = commitment(c)?;
            let old = (!c.checkins().is_empty()).then(|| &c.checkins()[k.index(c.checkins().len())])?;
            Command::EditCheckIn { commitment: c.id, date: old.date, checkin: CheckIn { date: day(*t), value: value(*v), ..old.clone() } }
        }
        Op::DeleteCheckIn(c, k) => {
            let c = commitment(c)?;
            let old = (!c.checkins().is_empty()).then(|| &c.checkins()[k.index(c.checkins().len())])?;
            Command::DeleteCheckIn { commitment: c.id, date: old.date }
        }
        Op::Import(rows) => Command::ImportCheckIns {
            rows: rows
                .iter()
                .map(|(c, t, v)| {
                    Some(CheckInRow {
                        commitment: commitment(c)?.id,
                        checkin: CheckIn { date: day(*t), value: value(*v), confidence: Some(Confidence::AtRisk), note: String::new(), evidence: String::new(), recorded_by: None },
                    })
                })
                .collect::<Option<Vec<_>>>()?,
        },
        Op::LogDecision(u, a, t, r) => Command::LogDecision { unit: unit(u)?, area: area(a)?, date: day(*t), title: nm(*t as u8), expected: String::new(), review_date: r.map(day) },
        Op::ReviewDecision(x, o, acc, t) => {
            let dec = (!ws.decisions.is_empty()).then(|| &ws.decisions[x.index(ws.decisions.len())])?;
            Command::ReviewDecision { decision: dec.id, outcome: Outcome::ALL[*o as usize], accountable: acc.iter().filter_map(unit).collect(), date: day(*t) }
        }
        Op::RecordReview(u, r, v, t) => Command::RecordReview { unit: unit(u)?, date: day(*t), reviewer: r.as_ref().and_then(unit), verdict: Verdict::ALL[*v as usize], note: String::new() },
        Op::AddPulse(u, t, s) => Command::AddPulse { unit: unit(u)?, date: day(*t), score: PulseScore::new(f64::from(*s) / 10.0).unwrap() },
        Op::SetPolicy(g, l) => {
            let mut p = ws.policy.clone();
            p.grace_days = u32::from(*g);
            p.rung_labels[0] = "L".repeat(usize::from(*l));
            Command::SetPolicy { policy: Box::new(p) }
        }
        Op::Rename(n) => Command::RenameWorkspace { name: nm(*n) },
        Op::Replace(i) => Command::ReplaceWorkspace { workspace: Box::new((!versions.is_empty()).then(|| versions[i.index(versions.len())].clone())?) },
    })
}
