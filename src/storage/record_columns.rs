//! The records other than check-ins as columns (layout `c3`): grants, commitments,
//! decisions, reviews and pulses, each list as one column per field. Reading them takes
//! a few milliseconds where their JSON took tens (the large org's 1.3 MB of it), and they
//! deflate smaller. The rest of the workspace (its name, units, areas, policy, issued ids
//! and workshops) stays JSON: small, and free to grow fields.
//!
//! Each column is read whole by `latitude_columns`, built at full speed; the records are
//! then assembled from the columns walked together. Every value is checked as the model's
//! own constructors check it, so damaged input is refused, never turned into a record
//! that could not have been saved.

use latitude_columns::{put_varint, zigzag, Reader, TextWriter, ValueWriter};

use super::compact::CompactError;
use crate::core::{
    AreaId, Category, Commitment, CommitmentFields, CommitmentId, Decision, DecisionId, Direction, Finite, Grant, Level, Name, Outcome, Pulse, PulseScore, Review, Rung, Shared, UnitId, Verdict,
    Visibility, Weight, Workspace,
};

/// Appends the columns of `ws`'s grants, commitments (without their check-ins),
/// decisions, reviews and pulses.
pub(super) fn put(out: &mut Vec<u8>, ws: &Workspace) {
    let g = &ws.grants;
    put_varint(out, g.len() as u64);
    put_numbers(out, g.iter().map(|x| u64::from(x.unit.0)));
    put_numbers(out, g.iter().map(|x| u64::from(x.area.0)));
    put_days(out, g.iter().map(|x| x.date));
    out.extend(g.iter().map(|x| x.rung.get()));
    out.extend(g.iter().map(|x| x.level.get()));
    put_numbers(out, g.iter().map(|x| optional(x.granted_by.map(|u| u.0))));
    put_texts(out, g.iter().map(|x| x.reason.as_str()));

    let c = &ws.commitments;
    put_varint(out, c.len() as u64);
    put_numbers(out, c.iter().map(|x| u64::from(x.id.0)));
    put_numbers(out, c.iter().map(|x| u64::from(x.owner.0)));
    put_texts(out, c.iter().map(|x| x.title.as_str()));
    out.extend(c.iter().map(|x| index(&Category::ALL, x.category)));
    put_texts(out, c.iter().map(|x| x.measure.as_str()));
    out.extend(c.iter().map(|x| index(&Direction::ALL, x.direction) | index(&Visibility::ALL, x.visibility) << 1 | u8::from(x.baseline.is_some()) << 2 | u8::from(x.target.is_some()) << 3));
    put_days(out, c.iter().map(|x| x.start));
    put_numbers(out, c.iter().map(|x| x.due.map_or(0, |d| zigzag(i64::from(d.to_julian_day() - x.start.to_julian_day())) + 1)));
    put_numbers(out, c.iter().map(|x| x.cadence_days.map_or(0, |d| u64::from(d) + 1)));
    put_values(out, c.iter().flat_map(|x| x.baseline.into_iter().chain(x.target).map(Finite::get)));
    put_values(out, c.iter().map(|x| x.weight.get()));
    put_numbers(out, c.iter().map(|x| optional(x.reviewer.map(|u| u.0))));

    let d = &ws.decisions;
    put_varint(out, d.len() as u64);
    put_numbers(out, d.iter().map(|x| u64::from(x.id.0)));
    put_numbers(out, d.iter().map(|x| u64::from(x.unit.0)));
    put_numbers(out, d.iter().map(|x| u64::from(x.area.0)));
    put_days(out, d.iter().map(|x| x.date));
    put_texts(out, d.iter().map(|x| x.title.as_str()));
    put_texts(out, d.iter().map(|x| x.expected.as_str()));
    put_numbers(out, d.iter().map(|x| x.review_date.map_or(0, |r| zigzag(i64::from(r.to_julian_day() - x.date.to_julian_day())) + 1)));
    out.extend(d.iter().map(|x| x.outcome.map_or(0, |o| index(&Outcome::ALL, o) + 1)));
    put_numbers(out, d.iter().map(|x| x.accountable.len() as u64));
    put_numbers(out, d.iter().flat_map(|x| x.accountable.iter().map(|u| u64::from(u.0))));

    let r = &ws.reviews;
    put_varint(out, r.len() as u64);
    put_numbers(out, r.iter().map(|x| u64::from(x.unit.0)));
    put_days(out, r.iter().map(|x| x.date));
    put_numbers(out, r.iter().map(|x| optional(x.reviewer.map(|u| u.0))));
    out.extend(r.iter().map(|x| index(&Verdict::ALL, x.verdict)));
    put_texts(out, r.iter().map(|x| x.note.as_str()));

    let p = &ws.pulses;
    put_varint(out, p.len() as u64);
    put_numbers(out, p.iter().map(|x| u64::from(x.unit.0)));
    put_days(out, p.iter().map(|x| x.date));
    put_values(out, p.iter().map(|x| x.score.get()));
}

/// Reads what [`put`] wrote into `ws`'s grants, commitments (their check-ins still
/// empty), decisions, reviews and pulses.
pub(super) fn read(r: &mut Reader, ws: &mut Workspace) -> Result<(), CompactError> {
    let n = r.length()?;
    let (units, areas, days) = (r.numbers(n, ID)?, r.numbers(n, ID)?, read_days(r, n)?);
    let (rungs, levels) = (r.take(n)?, r.take(n)?);
    let (by, reasons) = (r.numbers(n, ID + 1)?, r.texts(n, true)?);
    let mut grants = Vec::with_capacity(n);
    for (i, reason) in reasons.into_iter().enumerate() {
        grants.push(Grant {
            unit: UnitId(units[i] as u32),
            area: AreaId(areas[i] as u32),
            date: days[i],
            rung: Rung::new(rungs[i]).map_err(shape)?,
            level: Level::new(levels[i]).map_err(shape)?,
            granted_by: unit(by[i]),
            reason,
        });
    }
    ws.grants = Shared::from(grants);

    let n = r.length()?;
    let (ids, owners, titles) = (r.numbers(n, ID)?, r.numbers(n, ID)?, r.texts(n, true)?);
    let (categories, measures, flags) = (r.take(n)?, r.texts(n, true)?, r.take(n)?);
    let (starts, dues, cadences) = (read_days(r, n)?, r.numbers(n, u64::MAX)?, r.numbers(n, u64::from(u16::MAX) + 1)?);
    let set = flags.iter().map(|f| usize::from(f >> 2 & 1) + usize::from(f >> 3 & 1)).sum();
    let (mut set, weights, reviewers) = (r.value_runs(&[set])?.into_iter(), r.value_runs(&[n])?, r.numbers(n, ID + 1)?);
    let mut commitments = Vec::with_capacity(n);
    for (i, (title, measure)) in titles.into_iter().zip(measures).enumerate() {
        let f = flags[i];
        let mut value = |present: bool| if present { set.next().map(|v| Finite::new(v, "value").map_err(shape)).transpose() } else { Ok(None) };
        let (baseline, target) = (value(f & 4 != 0)?, value(f & 8 != 0)?);
        let fields = CommitmentFields {
            owner: UnitId(owners[i] as u32),
            title: name(title)?,
            category: choice(&Category::ALL, categories[i])?,
            measure,
            direction: choice(&Direction::ALL, f & 1)?,
            baseline,
            target,
            start: starts[i],
            due: after(starts[i], dues[i])?,
            cadence_days: cadences[i].checked_sub(1).map(|c| c as u16),
            weight: Weight::new(weights[i]).map_err(shape)?,
            visibility: choice(&Visibility::ALL, f >> 1 & 1)?,
            reviewer: unit(reviewers[i]),
        };
        commitments.push(Commitment::new(CommitmentId(ids[i] as u32), fields));
    }
    ws.commitments = Shared::from(commitments);

    let n = r.length()?;
    let (ids, units, areas, days) = (r.numbers(n, ID)?, r.numbers(n, ID)?, r.numbers(n, ID)?, read_days(r, n)?);
    let (titles, expected, reviews) = (r.texts(n, true)?, r.texts(n, true)?, r.numbers(n, u64::MAX)?);
    let (outcomes, counts) = (r.take(n)?, r.counts(n)?.0);
    let mut accountable = r.numbers(counts.iter().sum(), ID)?.into_iter();
    let mut decisions = Vec::with_capacity(n);
    for (i, (title, expected)) in titles.into_iter().zip(expected).enumerate() {
        decisions.push(Decision {
            id: DecisionId(ids[i] as u32),
            unit: UnitId(units[i] as u32),
            area: AreaId(areas[i] as u32),
            date: days[i],
            title: name(title)?,
            expected,
            review_date: after(days[i], reviews[i])?,
            outcome: outcomes[i].checked_sub(1).map(|o| choice(&Outcome::ALL, o)).transpose()?,
            accountable: accountable.by_ref().take(counts[i]).map(|u| UnitId(u as u32)).collect(),
        });
    }
    ws.decisions = Shared::from(decisions);

    let n = r.length()?;
    let (units, days, reviewers) = (r.numbers(n, ID)?, read_days(r, n)?, r.numbers(n, ID + 1)?);
    let (verdicts, notes) = (r.take(n)?, r.texts(n, true)?);
    let mut reviews = Vec::with_capacity(n);
    for (i, note) in notes.into_iter().enumerate() {
        reviews.push(Review { unit: UnitId(units[i] as u32), date: days[i], reviewer: unit(reviewers[i]), verdict: choice(&Verdict::ALL, verdicts[i])?, note });
    }
    ws.reviews = Shared::from(reviews);

    let n = r.length()?;
    let (units, days, scores) = (r.numbers(n, ID)?, read_days(r, n)?, r.value_runs(&[n])?);
    let pulses: Result<Vec<Pulse>, CompactError> = (0..n).map(|i| Ok(Pulse { unit: UnitId(units[i] as u32), date: days[i], score: PulseScore::new(scores[i]).map_err(shape)? })).collect();
    ws.pulses = Shared::from(pulses?);
    Ok(())
}

/// The largest id: ids are `u32`.
const ID: u64 = u32::MAX as u64;

fn put_numbers(out: &mut Vec<u8>, numbers: impl Iterator<Item = u64>) {
    for v in numbers {
        put_varint(out, v);
    }
}

/// Dates as days after the one before (the first after day 0 of the Julian calendar).
fn put_days(out: &mut Vec<u8>, days: impl Iterator<Item = time::Date>) {
    let mut prev = 0i64;
    for d in days {
        let d = i64::from(d.to_julian_day());
        put_varint(out, zigzag(d - prev));
        prev = d;
    }
}

fn put_values(out: &mut Vec<u8>, values: impl Iterator<Item = f64>) {
    let mut w = ValueWriter::default();
    for v in values {
        w.put(out, v);
    }
}

fn put_texts<'a>(out: &mut Vec<u8>, texts: impl Iterator<Item = &'a str>) {
    let mut w = TextWriter::default();
    for t in texts {
        w.put(out, t, true);
    }
}

/// An optional id: 0 for none, else the id plus one.
fn optional(id: Option<u32>) -> u64 {
    id.map_or(0, |i| u64::from(i) + 1)
}

fn unit(v: u64) -> Option<UnitId> {
    v.checked_sub(1).map(|i| UnitId(i as u32))
}

fn index<T: PartialEq>(all: &[T], v: T) -> u8 {
    all.iter().position(|x| *x == v).unwrap_or(0) as u8
}

fn choice<T: Copy>(all: &[T], i: u8) -> Result<T, CompactError> {
    all.get(usize::from(i)).copied().ok_or(CompactError::Damaged("a choice"))
}

fn read_days(r: &mut Reader, n: usize) -> Result<Vec<time::Date>, CompactError> {
    let (min, max) = (time::Date::MIN.to_julian_day(), time::Date::MAX.to_julian_day());
    r.day_runs(&[n], &[0], min, max)?.into_iter().map(day).collect()
}

fn day(d: i32) -> Result<time::Date, CompactError> {
    time::Date::from_julian_day(d).map_err(|_| CompactError::Damaged("dates"))
}

/// An optional date written as its distance from `from` (0 for none).
fn after(from: time::Date, v: u64) -> Result<Option<time::Date>, CompactError> {
    let Some(v) = v.checked_sub(1) else { return Ok(None) };
    let d = i64::from(from.to_julian_day()) + latitude_columns::unzigzag(v);
    day(i32::try_from(d).map_err(|_| CompactError::Damaged("dates"))?).map(Some)
}

fn name(text: String) -> Result<Name, CompactError> {
    Name::try_from(text).map_err(shape)
}

fn shape(e: crate::core::ModelError) -> CompactError {
    CompactError::Shape(e.to_string())
}
