//! Plausibility of a typed check-in value: a value far outside what the commitment has
//! seen (a slipped decimal mark, an extra zero, a minus sign) is not refused, but the
//! sweep asks once whether it is meant.

use time::Date;

use super::dates::format_date;
use super::model::Commitment;

/// How many times the commitment's scale a value may move from the last reading before
/// the sweep asks.
pub const SCALE_FACTOR: f64 = 3.0;

/// Why `value`, typed for `c` on `date`, looks implausible, or `None` when it does not.
///
/// The scale is the larger of the distance from baseline to target and the largest step
/// between readings so far (from the baseline to the first, and between consecutive
/// ones up to `date`). A value that moves more than [`SCALE_FACTOR`] × that scale from
/// the last reading (or the baseline), or that is negative when the baseline, the target
/// and every reading so far are not, is implausible.
pub fn implausible(c: &Commitment, value: f64, date: Date) -> Option<String> {
    let baseline = c.baseline.map(|b| b.get());
    let target = c.target.map(|t| t.get());
    // The readings up to the date typed for: the last of them is the "last" the sweep shows.
    let earlier: Vec<f64> = c.checkins().iter().filter(|k| k.date <= date).map(|k| k.value.get()).collect();
    let mut steps = Vec::new();
    let mut prev = baseline;
    for &v in &earlier {
        if let Some(p) = prev {
            steps.push((v - p).abs());
        }
        prev = Some(v);
    }
    let distance = match (baseline, target) {
        (Some(b), Some(t)) => (t - b).abs(),
        _ => 0.0,
    };
    let scale = steps.iter().copied().fold(distance, f64::max);
    let known: Vec<f64> = baseline.into_iter().chain(target).chain(earlier.iter().copied()).collect();
    let measure = if c.measure.trim().is_empty() { String::new() } else { format!(" {}", c.measure.trim()) };
    if value < 0.0 && !known.is_empty() && known.iter().all(|v| *v >= 0.0) {
        return Some(format!("{value}{measure} is negative, while the baseline, the target and every value so far are not"));
    }
    let from = prev?;
    if scale > 0.0 && (value - from).abs() > SCALE_FACTOR * scale {
        let what = if earlier.is_empty() { "the baseline" } else { "the last value" };
        let times = (value - from).abs() / scale;
        let range = match (baseline, target) {
            (Some(b), Some(t)) => format!(" (baseline {b}, target {t}{measure})"),
            _ => String::new(),
        };
        let scale = readable(scale);
        return Some(format!("{value}{measure} is far outside this commitment's scale: {times:.0}× its largest move ({scale}{measure}) away from {what} {from}{range}"));
    }
    None
}

/// A difference of two recorded values as a person would write it: 4.36 − 4.3 is
/// "0.06", not the "0.060000000000000005" floating-point subtraction gives.
fn readable(x: f64) -> String {
    let rounded: f64 = format!("{x:.9e}").parse().unwrap_or(x);
    rounded.to_string()
}

/// What to ask before recording `value` for `c` on `date` where nobody is watching a
/// "last" column (the workshop's results grid): that it replaces a different value
/// already recorded that day, and whether it looks [`implausible`]. `None`: record at once.
pub fn ask_before_recording(c: &Commitment, value: f64, date: Date) -> Option<String> {
    let replaced = c.checkins().on(date).map(|k| k.value.get()).filter(|old| *old != value).map(|old| format!("it replaces {old} recorded on {}", format_date(date)));
    match (implausible(c, value, date), replaced) {
        (None, None) => None,
        (Some(why), None) => Some(why),
        (None, Some(replaced)) => Some(format!("{value}: {replaced}")),
        (Some(why), Some(replaced)) => Some(format!("{why}; {replaced}")),
    }
}
