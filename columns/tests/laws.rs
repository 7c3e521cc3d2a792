//! The laws of the column primitives: what is written reads back exactly, and damaged
//! input is refused without a panic.

use latitude_columns::{pack, put_varint, unpack, zigzag, Error, Reader, TextWriter, ValueWriter};
use proptest::prelude::*;

#[test]
fn packing_names_the_bad_character() {
    let text = pack(b"hello");
    assert_eq!(unpack(&text).unwrap(), b"hello");
    assert_eq!(unpack(""), Err(Error::Damaged("header")));
    let mut bad: Vec<char> = text.chars().collect();
    bad[2] = 'x';
    assert!(matches!(unpack(&bad.into_iter().collect::<String>()), Err(Error::Alphabet(_))));
    // A header that claims more padding than the last character has.
    assert_eq!(unpack("\u{4E0E}"), Err(Error::Damaged("length")));
}

#[test]
fn damaged_runs_are_refused() {
    // A date run that leaves the range.
    let mut out = Vec::new();
    put_varint(&mut out, zigzag(10));
    assert_eq!(Reader::new(&out).day_runs(&[1], &[0], 0, 5), Err(Error::Damaged("dates")));
    // A value tag that is no scale.
    assert_eq!(Reader::new(&[7, 0]).value_runs(&[1]), Err(Error::Damaged("values")));
    // Raw bits that are not a finite number.
    let mut out = vec![0xFF];
    out.extend_from_slice(&f64::NAN.to_bits().to_le_bytes());
    assert_eq!(Reader::new(&out).value_runs(&[1]), Err(Error::Damaged("values")));
    // Counts whose sum exceeds the input.
    assert_eq!(Reader::new(&[2, 2]).counts(2), Err(Error::Damaged("counts")));
    // A text that shares more than the previous one has.
    assert_eq!(Reader::new(&[2, 1, b'a']).texts(1, true), Err(Error::Damaged("text")));
    // A number out of range, and one that never ends.
    assert_eq!(Reader::new(&[0x80, 0x02]).numbers(1, 255), Err(Error::Damaged("number out of range")));
    assert_eq!(Reader::new(&[0xFF; 11]).varint(), Err(Error::Damaged("number too long")));
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1_000, ..ProptestConfig::default() })]

    #[test]
    fn any_bytes_pack_and_unpack_exactly(bytes in proptest::collection::vec(any::<u8>(), 0..200)) {
        let text = pack(&bytes);
        prop_assert!(text.chars().all(|c| (0x4E00..0x4E00 + 0x8000).contains(&(c as u32))));
        prop_assert_eq!(unpack(&text).unwrap(), bytes);
    }

    #[test]
    fn runs_of_days_values_and_texts_read_back_exactly(
        runs in proptest::collection::vec(proptest::collection::vec((-400i32..400, proptest::num::f64::NORMAL | proptest::num::f64::ZERO | proptest::num::f64::SUBNORMAL, -1_000_000i64..1_000_000, "\\PC{0,12}"), 0..8), 0..6),
        front_coded in any::<bool>(),
    ) {
        let (mut out, mut values, mut texts) = (Vec::new(), ValueWriter::default(), TextWriter::default());
        let starts: Vec<i32> = (0..runs.len() as i32).map(|i| i * 1000).collect();
        for r in &runs {
            put_varint(&mut out, r.len() as u64);
        }
        // Each day as its difference from the one before (the first from its run's start).
        for (gap, ..) in runs.iter().flatten() {
            put_varint(&mut out, zigzag(i64::from(*gap)));
        }
        // Every other value as cents, which the writer scales; the others as they come.
        let value = |i: usize, (_, v, cents, _): &(i32, f64, i64, String)| if i % 2 == 0 { *v } else { *cents as f64 / 100.0 };
        for r in &runs {
            values.restart();
            for (i, e) in r.iter().enumerate() {
                values.put(&mut out, value(i, e));
            }
        }
        let all: Vec<&str> = runs.iter().flatten().map(|e| e.3.as_str()).collect();
        for t in &all {
            texts.put(&mut out, t, front_coded);
        }

        let mut r = Reader::new(&out);
        let (counts, total) = r.counts(runs.len()).unwrap();
        prop_assert_eq!(total, all.len());
        let days = r.day_runs(&counts, &starts, i32::MIN, i32::MAX).unwrap();
        let back = r.value_runs(&counts).unwrap();
        let read = r.texts(total, front_coded).unwrap();
        prop_assert!(r.is_at_end());
        let mut k = 0;
        for (run, start) in runs.iter().zip(&starts) {
            let mut day = *start;
            for (i, e) in run.iter().enumerate() {
                day += e.0;
                prop_assert_eq!(days[k], day);
                prop_assert_eq!(back[k].to_bits(), value(i, e).to_bits());
                k += 1;
            }
        }
        prop_assert_eq!(read, all);
    }

    #[test]
    fn any_input_is_read_or_refused_without_panicking(bytes in proptest::collection::vec(any::<u8>(), 0..64), n in 0usize..8) {
        let mut r = Reader::new(&bytes);
        if let Ok((counts, _)) = r.counts(n) {
            let starts = vec![0; counts.len()];
            let _ = r.day_runs(&counts, &starts, -100, 100).and_then(|_| r.value_runs(&counts)).and_then(|_| r.texts(n, true));
        }
        let _ = Reader::new(&bytes).numbers(n, 1000);
        let _ = unpack(&String::from_utf8_lossy(&bytes));
    }
}
