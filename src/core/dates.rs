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
