//! Civil dates as text: the one format the app, the CLI and files use (2026-03-31).

use time::{Date, Month};

use super::error::ModelError;

/// Parses `YYYY-MM-DD` (four-digit year, two-digit month and day, a real calendar day).
pub fn parse_date(text: &str) -> Result<Date, ModelError> {
    let bad = || ModelError::BadDate { text: text.chars().take(40).collect() };
    let t = text.trim().as_bytes();
    let digits = |r: std::ops::Range<usize>| -> Option<u32> { t.get(r)?.iter().try_fold(0u32, |n, b| b.is_ascii_digit().then(|| n * 10 + u32::from(b - b'0'))) };
    if t.len() != 10 || t[4] != b'-' || t[7] != b'-' {
        return Err(bad());
    }
    let (Some(y), Some(m), Some(d)) = (digits(0..4), digits(5..7), digits(8..10)) else { return Err(bad()) };
    let month = Month::try_from(m as u8).map_err(|_| bad())?;
    Date::from_calendar_date(y as i32, month, d as u8).map_err(|_| bad())
}

/// The earliest year a date typed in a form may have: a year typed digit by digit passes
/// 0002, 0020 and 0202 on its way to 2026, and a field left half-typed must not record a
/// grant or a commitment in the year 27.
pub const EARLIEST_TYPED_YEAR: i32 = 1900;

/// Parses a date typed in a form: [`parse_date`], with a year from [`EARLIEST_TYPED_YEAR`].
/// (Stored and imported dates are read by [`parse_date`] alone: what was kept still opens.)
pub fn parse_typed_date(text: &str) -> Result<Date, ModelError> {
    let date = parse_date(text)?;
    if date.year() < EARLIEST_TYPED_YEAR {
        return Err(ModelError::EarlyDate { text: text.trim().chars().take(40).collect(), earliest: EARLIEST_TYPED_YEAR });
    }
    Ok(date)
}

/// Serde for dates as `YYYY-MM-DD` text: `#[serde(with = "crate::core::dates::iso")]`.
pub mod iso {
    use serde::{Deserialize, Deserializer, Serializer};
    use time::Date;

    pub fn serialize<S: Serializer>(date: &Date, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&super::format_date(*date))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Date, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        super::parse_date(&text).map_err(serde::de::Error::custom)
    }

    /// The same for `Option<Date>` (`null` or absent is `None`).
    pub mod option {
        use serde::{Deserialize, Deserializer, Serializer};
        use time::Date;

        pub fn serialize<S: Serializer>(date: &Option<Date>, s: S) -> Result<S::Ok, S::Error> {
            match date {
                Some(d) => super::serialize(d, s),
                None => s.serialize_none(),
            }
        }

        pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Date>, D::Error> {
            let text = <Option<std::borrow::Cow<'de, str>>>::deserialize(d)?;
            text.map(|t| super::super::parse_date(&t).map_err(serde::de::Error::custom)).transpose()
        }
    }
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
