//! Numbers as people type them: one table of what is read and what is refused, and the
//! law that any number written with a point or a comma reads back exactly (or, when its
//! writing could mean two numbers, is refused and reads back once written unambiguously).

use latitude::core::number::{format_number, parse_typed_number, NumberError};
use latitude::core::Finite;
use proptest::prelude::*;

/// `Ok(value)` or the start of the refusal's sentence.
fn check(text: &str, want: Result<f64, &str>) {
    match (parse_typed_number(text), want) {
        (Ok(got), Ok(want)) => assert_eq!(got.get().to_bits(), want.to_bits(), "{text:?} read as {}", got.get()),
        (Err(e), Err(start)) => assert!(e.to_string().starts_with(start), "{text:?}: {e}"),
        (got, want) => panic!("{text:?}: got {got:?}, wanted {want:?}"),
    }
}

#[test]
fn typed_numbers_are_read_or_refused_never_guessed() {
    #[rustfmt::skip]
    let table: &[(&str, Result<f64, &str>)] = &[
        ("10.95", Ok(10.95)),
        ("10,95", Ok(10.95)),
        ("  42 ", Ok(42.0)),
        ("-3,5", Ok(-3.5)),
        ("\u{2212}3.5", Ok(-3.5)),
        ("+7", Ok(7.0)),
        ("0,123", Ok(0.123)),
        ("0.500", Ok(0.5)),
        ("1234,567", Ok(1234.567)),
        ("1.2340", Ok(1.234)),
        ("1,23", Ok(1.23)),
        ("12,3456", Ok(12.3456)),
        (".5", Ok(0.5)),
        ("5.", Ok(5.0)),
        ("1000", Ok(1000.0)),
        ("-0", Ok(0.0)),
        ("1,234", Err("\u{201c}1,234\u{201d} could be 1234 or 1.234: write 1234 without a separator, or 1,2340 for the decimal")),
        ("1.234", Err("\u{201c}1.234\u{201d} could be 1234 or 1.234")),
        ("-12.500", Err("\u{201c}-12.500\u{201d} could be -12500 or -12.500")),
        ("999,999", Err("\u{201c}999,999\u{201d} could be 999999 or 999.999")),
        ("1.234,5", Err("\u{201c}1.234,5\u{201d} has more than one separator")),
        ("1,234,567", Err("\u{201c}1,234,567\u{201d} has more than one separator")),
        ("1,234.5", Err("\u{201c}1,234.5\u{201d} has more than one separator")),
        ("", Err("a number is needed")),
        ("   ", Err("a number is needed")),
        ("n/a", Err("\u{201c}n/a\u{201d} is not a number")),
        ("NaN", Err("\u{201c}NaN\u{201d} is not a number")),
        ("inf", Err("\u{201c}inf\u{201d} is not a number")),
        ("-infinity", Err("\u{201c}-infinity\u{201d} is not a number")),
        ("1e5", Err("\u{201c}1e5\u{201d} is not a number")),
        ("12 %", Err("\u{201c}12 %\u{201d} is not a number")),
        ("-", Err("\u{201c}-\u{201d} is not a number")),
        (",", Err("\u{201c},\u{201d} is not a number")),
        ("--1", Err("\u{201c}--1\u{201d} is not a number")),
        (&"9".repeat(400), Err("\u{201c}9999")),
    ];
    for (text, want) in table {
        check(text, *want);
    }
    assert!(matches!(parse_typed_number(&"9".repeat(400)), Err(NumberError::TooLarge { .. })));
}

#[test]
fn numbers_written_for_a_file_read_back_exactly() {
    for v in [1.234, -1.234, 12.5, 999.999, 0.001, 1234.5, 1e21, 5e-324, -0.0] {
        let text = format_number(Finite::new(v, "v").unwrap());
        // -0 is read as 0 (`v + 0.0` is `v` but for -0).
        assert_eq!(parse_typed_number(&text).unwrap().get().to_bits(), (v + 0.0).to_bits(), "{v} written as {text}");
    }
    assert_eq!(format_number(Finite::new(1.234, "v").unwrap()), "1.2340");
    assert_eq!(format_number(Finite::new(0.5, "v").unwrap()), "0.5");
}

#[test]
fn a_typed_minus_zero_is_zero_and_is_never_shown_as_minus_zero() {
    for text in ["-0", "\u{2212}0", "-0.0", "-0,00", "+0", "0"] {
        let v = parse_typed_number(text).unwrap().get();
        assert_eq!(v.to_bits(), 0.0f64.to_bits(), "{text} read as {v:?}");
        assert_eq!(format_number(Finite::new(v, "v").unwrap()), "0", "{text}");
    }
}

/// Whether a written number has the shape that is refused as ambiguous.
fn ambiguous(text: &str) -> bool {
    let body = text.trim_start_matches('-');
    match body.split_once(['.', ',']) {
        Some((int, frac)) => (1..=3).contains(&int.len()) && !int.starts_with('0') && frac.len() == 3,
        None => false,
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    /// Any finite number, written with a point or a comma: read back bit for bit, or
    /// refused exactly when its writing is ambiguous, and then read back once a fourth
    /// decimal makes it plain.
    #[test]
    fn any_finite_number_written_with_a_point_or_a_comma_reads_back(v in any::<f64>().prop_filter("finite", |v| v.is_finite()), comma in any::<bool>()) {
        let text = if comma { v.to_string().replace('.', ",") } else { v.to_string() };
        match parse_typed_number(&text) {
            Ok(got) => {
                prop_assert!(!ambiguous(&text), "{} was read though ambiguous", text);
                prop_assert_eq!(got.get().to_bits(), (v + 0.0).to_bits(), "{} read as {}", text, got.get());
            }
            Err(e) => {
                prop_assert!(ambiguous(&text), "{} refused: {}", text, e);
                let plain = parse_typed_number(&format!("{text}0")).unwrap();
                prop_assert_eq!(plain.get().to_bits(), (v + 0.0).to_bits());
            }
        }
        let written = format_number(Finite::new(v, "v").unwrap());
        prop_assert_eq!(parse_typed_number(&written).unwrap().get().to_bits(), (v + 0.0).to_bits());
    }

    /// Values near the interesting shapes: small numbers with up to four decimals.
    #[test]
    fn short_decimals_read_back_or_are_refused_as_ambiguous(int in 0u32..10_000, frac in 0u32..10_000, digits in 1usize..5, comma in any::<bool>()) {
        let frac = format!("{:0width$}", frac % 10u32.pow(digits as u32), width = digits);
        let text = format!("{int}{}{frac}", if comma { ',' } else { '.' });
        let want: f64 = format!("{int}.{frac}").parse().unwrap();
        match parse_typed_number(&text) {
            Ok(got) => { prop_assert!(!ambiguous(&text)); prop_assert_eq!(got.get(), want); }
            Err(NumberError::Ambiguous { whole, decimal, .. }) => {
                prop_assert!(ambiguous(&text));
                prop_assert_eq!(whole.parse::<f64>().unwrap(), format!("{int}{frac}").parse::<f64>().unwrap());
                prop_assert_eq!(decimal.parse::<f64>().unwrap(), want);
            }
            Err(e) => prop_assert!(false, "{} refused: {}", text, e),
        }
    }
}
