//! Random commands for the property tests (tests/core_commands.rs and the sync tests): a
//! command in the making picks its records and values from whatever workspace it meets.
#![allow(dead_code)]

use latitude::core::*;
use proptest::prelude::*;
use time::Date;

fn d(text: &str) -> Date {
    parse_date(text).unwrap()
}

fn name(text: &str) -> Name {
    Name::new(text).unwrap()
}

/// A command in the making: which records it picks and with what values, resolved
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
    /// A workshop command: which one, three picks (workshop, unit or round, area or
    /// commitment), a day and a small number.
    Workshop(u8, [prop::sample::Index; 3], u16, u8),
}

/// Participants of every workshop the property plays.
const PEOPLE: [&str; 4] = ["Ana", "Bruno", "Chen", "Dara"];

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
        // Kinds 20 and above play rounds more often: open, vote, reveal, agree.
        40 => (0u8..40, [i(), i(), i()], 0u16..400, any::<u8>()).prop_map(|(k, p, t, n)| Op::Workshop(if k >= 20 { [8, 9, 9, 11, 12, 15, 16][usize::from(k - 20) % 7] } else { k }, p, t, n)),
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
            reason: "Delivered".into(),
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
        Op::Workshop(kind, [w, x, y], t, n) => {
            if *kind == 0 || ws.workshops.is_empty() {
                return Some(Command::StartWorkshop { date: day(*t), title: (*n % 2 == 0).then(|| nm(*n)) });
            }
            // Round commands pick an open workshop with rounds when there is one, and play
            // the step the round still needs first (a unit, a round, participants, a
            // vote, the reveal), so sequences reach agreements.
            let playing: Vec<&WorkshopSession> = ws.workshops.iter().filter(|s| !s.finished && !s.rounds.is_empty()).collect();
            let s = if (9..=13).contains(kind) && !playing.is_empty() { playing[w.index(playing.len())] } else { &ws.workshops[w.index(ws.workshops.len())] };
            let workshop = s.id;
            let step = Step::ALL[usize::from(*n) % 6];
            let picked = (!s.rounds.is_empty()).then(|| &s.rounds[x.index(s.rounds.len())]);
            let round = picked.map(|r| r.id);
            let level = Level::new(1 + *n % 7).unwrap();
            let kind = match (kind, picked) {
                (9..=13, None) => &8,
                (9..=12, Some(_)) if s.participants.is_empty() => &1,
                (11 | 12, Some(r)) if r.votes.is_empty() => &9,
                (12, Some(r)) if !r.revealed && *n % 4 != 0 => &11,
                (11, Some(r)) if r.revealed => &12,
                _ => kind,
            };
            match kind {
                1 => Command::SetParticipants { workshop, participants: PEOPLE[..1 + usize::from(*n) % 4].iter().map(|p| name(p)).collect() },
                2 => Command::SetWorkshopScope { workshop, units: [x, y].into_iter().filter_map(unit).collect(), areas: area(y).into_iter().collect() },
                3 => Command::GoToStep { workshop, step, now_ms: i64::from(*t) * 1000 },
                4 => Command::StartTimer { workshop, step, now_ms: i64::from(*t) * 1000 },
                5 => Command::PauseTimer { workshop, step, now_ms: i64::from(*t) * 1000 },
                6 => Command::ResetTimer { workshop, step },
                7 => Command::SetTimerDefault { workshop, step, seconds: u32::from(*t) * 30 },
                8 if ws.units.is_empty() => Command::AddUnit { name: nm(*n), kind: UnitKind::Team, parent: None, role: String::new() },
                8 => Command::OpenRound { workshop, unit: unit(x)?, area: if *n % 3 == 0 { AreaRef::New(nm(*n)) } else { AreaRef::Existing(area(y)?) } },
                9 | 10 => {
                    let who = if s.participants.is_empty() { name(PEOPLE[usize::from(*n) % 4]) } else { s.participants[usize::from(*n) % s.participants.len()].clone() };
                    Command::CastVote { workshop, round: round?, participant: who, level }
                }
                11 => Command::RevealRound { workshop, round: round? },
                12 => Command::AgreeRound {
                    workshop,
                    round: round?,
                    level,
                    rung: Rung::new(1 + *n % 5).unwrap(),
                    granted_by: unit(y).filter(|g| picked.is_some_and(|r| r.unit != *g) || *n % 8 == 0),
                    reason: String::new(),
                },
                13 => Command::DiscardRound { workshop, round: round? },
                14 => Command::SetResultsPeriod { workshop, from: day(*t), to: day(*t + u16::from(*n)) },
                15 => {
                    // A commitment of a unit in scope when there is one.
                    let mine: Vec<&Commitment> = ws.commitments.iter().filter(|c| s.units.contains(&c.owner)).collect();
                    let c = if mine.is_empty() { commitment(y)? } else { mine[y.index(mine.len())] };
                    let date = if *n % 4 == 0 { day(*t) } else { s.result_date(c) };
                    Command::RecordResults { workshop, rows: vec![CheckInRow { commitment: c.id, checkin: CheckIn::new(date, value(i16::from(*n))) }] }
                }
                16 => Command::AgreeActions {
                    workshop,
                    unit: unit(x)?,
                    verdict: Verdict::ALL[usize::from(*n) % 3],
                    reviewer: unit(y),
                    note: String::new(),
                    actions: (0..*n % 3)
                        .map(|k| ActionInput {
                            text: nm(k),
                            owner: name(PEOPLE[usize::from(k)]),
                            due: Some(score::add_days(s.date, 30 + i64::from(k))),
                            commitment: (k == 1).then_some(Category::Activity),
                        })
                        .collect(),
                },
                17 => Command::SetVotePrivacy { workshop, privacy: VotePrivacy::ALL[usize::from(*n) % 2] },
                18 => {
                    if *n % 3 == 0 {
                        Command::DeleteWorkshop { workshop }
                    } else if s.finished {
                        Command::ReopenWorkshop { workshop }
                    } else {
                        Command::FinishWorkshop { workshop, now_ms: i64::from(*t) * 1000 }
                    }
                }
                _ => Command::SetWorkshopNotes { workshop, notes: nm(*n).to_string() },
            }
        }
    })
}
