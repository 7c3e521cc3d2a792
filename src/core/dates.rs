//! Civil dates as text: the one format the app, the CLI and files use (2026-03-31).

use time::macros::format_description;
use time::Date;

use super::error::ModelError;

/// Parses `YYYY-MM-DD`.
pub fn parse_date(text: &str) -> Result<Date, ModelError> {
    Date::parse(text.trim(), format_description!("[year]-[month]-[day]")).map_err(|_| ModelError::BadDate { text: text.chars().take(40).collect() })
}

/// Formats as `YYYY-MM-DD`.
pub fn format_date(date: Date) -> String {
    format!("{:04}-{:02}-{:02}", date.year(), u8::from(date.month()), date.day())
}

/// The Sunday on or after `date`: scores replay by week.
pub fn week_end(date: Date) -> Date {
    let offset = 6 - i64::from(date.weekday().number_days_from_monday());
    super::score::add_days(date, offset)
}
