//! Numbers as people type them, in the check-in sweep, the forms and spreadsheets: one
//! parser for all of them. A comma and a point are the same decimal mark ("10,95" is
//! "10.95"), and a number written in a way that could mean two different values is
//! refused with a sentence saying how to write it: never guessed.
//!
//! The rules, in order:
//! - surrounding spaces are ignored; a sign (`+`, `-` or `−`) may come first;
//! - the rest is digits with at most one mark, `.` or `,`, which is the decimal mark;
//! - a single mark with one to three digits before it (not starting with 0) and exactly
//!   three after it ("1,234", "12.500") could be a thousands separator: refused;
//! - two marks or more ("1.234,5", "1,234,567") are thousands separators: refused;
//! - NaN, infinities, exponents and numbers too large for an `f64` are refused.

use thiserror::Error;

use super::model::Finite;

/// Why a typed number was refused, as a sentence for the person who typed it. The
/// caller puts the field's name in front (`value: …`).
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum NumberError {
    #[error("a number is needed")]
    Empty,
    #[error("\u{201c}{text}\u{201d} is not a number")]
    NotANumber { text: String },
    #[error("\u{201c}{text}\u{201d} could be {whole} or {decimal}: write {whole} without a separator, or {longer} for the decimal")]
    Ambiguous {
        text: String,
        /// The reading with a thousands separator, written without it.
        whole: String,
        /// The reading with a decimal mark.
        decimal: String,
        /// The decimal reading written so that it cannot be misread (a fourth decimal).
        longer: String,
    },
    #[error("\u{201c}{text}\u{201d} has more than one separator: write it without thousands separators, with at most one decimal mark (e.g. 1234.5 or 1234,5)")]
    Separators { text: String },
    #[error("\u{201c}{text}\u{201d} is too large")]
    TooLarge { text: String },
}

/// Reads a number a person typed. See the module documentation for the rules.
///
/// ```
/// use latitude::core::number::parse_typed_number;
/// assert_eq!(parse_typed_number("10,95").unwrap().get(), 10.95);
/// assert_eq!(parse_typed_number(" -0.5 ").unwrap().get(), -0.5);
/// assert!(parse_typed_number("1,234").is_err());
/// assert_eq!(parse_typed_number("-0").unwrap().get().to_string(), "0");
/// ```
pub fn parse_typed_number(text: &str) -> Result<Finite, NumberError> {
    let shown = || text.trim().chars().take(40).collect::<String>();
    let t = text.trim();
    if t.is_empty() {
        return Err(NumberError::Empty);
    }
    let (negative, body) = match t.chars().next() {
        Some('-') => (true, &t[1..]),
        Some('\u{2212}') => (true, &t['\u{2212}'.len_utf8()..]),
        Some('+') => (false, &t[1..]),
        _ => (false, t),
    };
    if body.is_empty() || !body.bytes().all(|b| b.is_ascii_digit() || b == b'.' || b == b',') || !body.bytes().any(|b| b.is_ascii_digit()) {
        return Err(NumberError::NotANumber { text: shown() });
    }
    let marks: Vec<usize> = body.bytes().enumerate().filter(|(_, b)| *b == b'.' || *b == b',').map(|(i, _)| i).collect();
    if marks.len() > 1 {
        return Err(NumberError::Separators { text: shown() });
    }
    if let Some(&at) = marks.first() {
        let (int, frac) = (&body[..at], &body[at + 1..]);
        if could_be_thousands(int, frac) {
            let sign = if negative { "-" } else { "" };
            let mark = &body[at..=at];
            return Err(NumberError::Ambiguous { text: shown(), whole: format!("{sign}{int}{frac}"), decimal: format!("{sign}{int}.{frac}"), longer: format!("{sign}{int}{mark}{frac}0") });
        }
    }
    let plain = body.replace(',', ".");
    let value: f64 = plain.parse().map_err(|_| NumberError::NotANumber { text: shown() })?;
    // "-0" is 0: negated, it would be shown as "-0" wherever the value is written.
    let value = if negative && value != 0.0 { -value } else { value };
    Finite::new(value, "number").map_err(|_| NumberError::TooLarge { text: shown() })
}

/// A single mark with one to three digits before it (not a leading zero) and exactly three
/// after it reads as well as a thousands separator as a decimal mark.
fn could_be_thousands(int: &str, frac: &str) -> bool {
    (1..=3).contains(&int.len()) && !int.starts_with('0') && frac.len() == 3
}

/// A number written so that [`parse_typed_number`] reads it back exactly: the shortest
/// decimal that round-trips, with a point, and a trailing zero where three decimals
/// could be read as thousands ("1.2340" rather than "1.234").
pub fn format_number(value: Finite) -> String {
    let text = value.get().to_string();
    let body = text.trim_start_matches('-');
    match body.split_once('.') {
        Some((int, frac)) if could_be_thousands(int, frac) => text + "0",
        _ => text,
    }
}
