//! Ticks of a time axis: distinct, evenly spaced dates on calendar boundaries (days,
//! Mondays, first days of months or years), as many as fit, for any span from a few days
//! to many years.

use time::{Date, Month};

use crate::core::score::add_days;

#[derive(Clone, Copy)]
enum Step {
    Days(i64),
    Weeks(i64),
    Months(u32),
    Years(i32),
}

const STEPS: [Step; 17] = [
    Step::Days(1),
    Step::Days(2),
    Step::Days(3),
    Step::Days(4),
    Step::Weeks(1),
    Step::Weeks(2),
    Step::Weeks(3),
    Step::Weeks(4),
    Step::Months(1),
    Step::Months(2),
    Step::Months(3),
    Step::Months(6),
    Step::Years(1),
    Step::Years(2),
    Step::Years(5),
    Step::Years(10),
    Step::Years(25),
];

fn month_start(d: Date) -> Date {
    d.replace_day(1).unwrap_or(d)
}

fn add_months(d: Date, n: u32) -> Option<Date> {
    let total = d.year() * 12 + i32::from(u8::from(d.month())) - 1 + n as i32;
    let month = Month::try_from((total.rem_euclid(12) + 1) as u8).ok()?;
    Date::from_calendar_date(total.div_euclid(12), month, 1).ok()
}

fn short_month(d: Date) -> &'static str {
    ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"][usize::from(u8::from(d.month())) - 1]
}

/// The tick dates of one step inside `from..=to`.
fn dates(step: Step, from: Date, to: Date, limit: usize) -> Vec<Date> {
    let mut out = Vec::new();
    let mut d = match step {
        Step::Days(_) => Some(from),
        // Mondays on or after the start.
        Step::Weeks(_) => Some(add_days(from, (7 - i64::from(from.weekday().number_days_from_monday())) % 7)),
        Step::Months(n) => {
            let first = if from.day() == 1 { from } else { add_months(month_start(from), 1).unwrap_or(from) };
            // Months on multiples of the step (quarters start in January, April, …).
            let offset = (u32::from(u8::from(first.month())) - 1) % n;
            if offset == 0 {
                Some(first)
            } else {
                add_months(first, n - offset)
            }
        }
        Step::Years(n) => {
            let year = if from.ordinal() == 1 { from.year() } else { from.year() + 1 };
            let year = year + (n - year.rem_euclid(n)) % n;
            Date::from_calendar_date(year, Month::January, 1).ok()
        }
    };
    while let Some(at) = d.filter(|d| *d <= to) {
        out.push(at);
        if out.len() > limit {
            break;
        }
        d = match step {
            Step::Days(n) => Some(add_days(at, n)),
            Step::Weeks(n) => Some(add_days(at, 7 * n)),
            Step::Months(n) => add_months(at, n),
            Step::Years(n) => Date::from_calendar_date(at.year() + n, Month::January, 1).ok(),
        };
    }
    out
}

/// Up to `max` ticks between `from` and `to` (inclusive), each with a label, the labels
/// all different: the finest calendar step that fits. Days and weeks read `Nov 3`,
/// months `Nov 2026`, years `2026`.
pub fn time_ticks(from: Date, to: Date, max: usize) -> Vec<(Date, String)> {
    let (from, to) = if from <= to { (from, to) } else { (to, from) };
    let max = max.max(2);
    let span_years = to.year() != from.year();
    // The finest step with at least two ticks that fit; failing that, the finest with one.
    let pick = |least: usize| STEPS.into_iter().map(|step| (step, dates(step, from, to, max))).find(|(_, t)| t.len() >= least && t.len() <= max);
    if let Some((step, ticks)) = pick(2).or_else(|| pick(1)) {
        return ticks
            .into_iter()
            .map(|d| {
                let label = match step {
                    Step::Days(_) | Step::Weeks(_) if span_years => format!("{} {}, {}", short_month(d), d.day(), d.year()),
                    Step::Days(_) | Step::Weeks(_) => format!("{} {}", short_month(d), d.day()),
                    Step::Months(_) => format!("{} {}", short_month(d), d.year()),
                    Step::Years(_) => d.year().to_string(),
                };
                (d, label)
            })
            .collect();
    }
    vec![(from, format!("{} {}, {}", short_month(from), from.day(), from.year()))]
}
