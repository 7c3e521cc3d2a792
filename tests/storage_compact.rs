//! The compact stored encoding: exact round trips, real compactness, and no panic on
//! damaged input.

use latitude::core::generate::{generate, GenSpec};
use latitude::core::*;
use latitude::storage::compact::{decode, encode, encode_as, Layout};
use proptest::prelude::*;

#[test]
fn the_large_org_fits_in_under_eight_characters_per_checkin() {
    let ws = generate(42, &GenSpec::large_org());
    let text = encode(&ws);
    let per = text.chars().count() as f64 / ws.checkin_count() as f64;
    eprintln!("{} characters for {} check-ins: {per:.2} per check-in", text.chars().count(), ws.checkin_count());
    assert!(per <= 8.0, "{per:.2} characters per check-in");
    assert!(text.chars().count() < 5_242_880 / 2, "leaves room to spare in the origin's quota");
    assert_eq!(decode(&text, Layout::CURRENT).unwrap(), ws);
}

#[test]
fn every_layout_reads_back_and_front_coding_saves_space() {
    let ws = generate(42, &GenSpec::large_org());
    let (c1, c2, c3) = (encode_as(&ws, Layout::C1), encode_as(&ws, Layout::C2), encode_as(&ws, Layout::C3));
    assert_eq!(decode(&c1, Layout::C1).unwrap(), ws);
    assert_eq!(decode(&c2, Layout::C2).unwrap(), ws);
    assert_eq!(decode(&c3, Layout::C3).unwrap(), ws);
    assert_ne!(decode(&c2, Layout::C1).ok().as_ref(), Some(&ws), "a layout is not mistaken for another");
    assert_ne!(decode(&c3, Layout::C2).ok().as_ref(), Some(&ws), "a layout is not mistaken for another");
    for layout in [Layout::C1, Layout::C2, Layout::C3] {
        assert_eq!(Layout::from_tag(layout.tag()), Some(layout));
    }
    let chars = |s: &str| s.chars().count();
    eprintln!("large org: c1 {} characters, c2 {}, c3 {}", chars(&c1), chars(&c2), chars(&c3));
    assert!(chars(&c2) <= chars(&c1) && chars(&c3) <= chars(&c2), "{} ≥ {} ≥ {}", chars(&c1), chars(&c2), chars(&c3));
}

/// A value stored by the first release (layout c1) still opens.
#[test]
fn values_stored_in_the_first_layout_still_open() {
    let stored = include_str!("fixtures/stored-c1.txt");
    assert!(stored.starts_with('{') && stored.contains("\"enc\":\"c1\""));
    let env = latitude::storage::store::decode_stored(stored).unwrap();
    assert_eq!(env.rev, 3);
    assert_eq!(env.workspace, generate(5, &GenSpec::small()));
}

#[test]
fn damaged_values_are_refused_without_panicking() {
    let ws = generate(1, &GenSpec::small());
    let text = encode(&ws);
    let chars: Vec<char> = text.chars().collect();
    let cases: Vec<String> = vec![
        String::new(),
        "plain text".into(),
        chars[..chars.len() / 2].iter().collect(),
        chars[..chars.len() - 1].iter().collect(),
        chars.iter().rev().collect(),
        format!("{text}\u{4E00}"),
        text.replace(chars[10], "\u{4E01}"),
    ];
    for (i, c) in cases.iter().enumerate() {
        if let Ok(back) = decode(c, Layout::CURRENT) {
            // A change that still decodes must not pass for the original.
            assert_ne!(back, ws, "case {i}");
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2_000, ..ProptestConfig::default() })]

    #[test]
    fn any_values_and_strings_round_trip_exactly(
        values in proptest::collection::vec(proptest::num::f64::NORMAL | proptest::num::f64::ZERO | proptest::num::f64::SUBNORMAL, 1..30),
        cents in proptest::collection::vec(-10_000_000i64..10_000_000, 1..30),
        note in "\\PC{0,30}",
        gaps in proptest::collection::vec(0i64..400, 1..30),
        seed in 0u64..50,
    ) {
        let mut ws = generate(seed, &GenSpec { units: 2, years: 1, cadence_days: 30, commitments_per_unit: 2, decisions_per_unit: 1, ..GenSpec::small() });
        let start = ws.commitments[0].start;
        let mut day = start;
        let mut ks = Vec::new();
        for (i, g) in gaps.iter().enumerate() {
            day = score::add_days(day, *g + 1);
            let v = if i % 2 == 0 { values[i % values.len()] } else { cents[i % cents.len()] as f64 / 100.0 };
            // Evidence that shares beginnings (also cut inside a multi-byte character).
            let evidence = if i % 2 == 1 { format!("{note}{}", &note[..note.char_indices().nth(i % 5).map(|(b, _)| b).unwrap_or(note.len())]) } else { String::new() };
            ks.push(CheckIn { date: day, value: Finite::new(v, "v").unwrap(), confidence: None, note: if i % 3 == 0 { note.clone() } else { String::new() }, evidence, recorded_by: if i % 4 == 0 { Some(UnitId(1)) } else { None } });
        }
        ws.commitments[0].set_checkins(CheckInLog::from_vec(ks).unwrap());
        for layout in [Layout::C1, Layout::C2, Layout::C3] {
            prop_assert_eq!(&decode(&encode_as(&ws, layout), layout).unwrap(), &ws);
        }
        let back = decode(&encode(&ws), Layout::CURRENT).unwrap();
        for (a, b) in back.commitments[0].checkins().iter().zip(ws.commitments[0].checkins()) {
            prop_assert_eq!(a.value.get().to_bits(), b.value.get().to_bits());
        }
        prop_assert_eq!(back, ws);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    /// Every field of every record, set or not, at its extremes too, reads back the same
    /// in every layout (the columns of `c3` hold each optional field apart).
    #[test]
    fn records_with_every_field_set_or_not_round_trip_in_every_layout(
        bits in proptest::collection::vec(any::<u64>(), 8),
        text in "\\PC{0,20}",
        value in proptest::num::f64::NORMAL | proptest::num::f64::ZERO,
        gap in -40_000i64..40_000,
        seed in 0u64..20,
    ) {
        let mut ws = generate(seed, &GenSpec { units: 3, years: 1, cadence_days: 45, commitments_per_unit: 2, decisions_per_unit: 2, ..GenSpec::small() });
        let bit = |i: usize| bits[i / 64 % bits.len()] >> (i % 64) & 1 == 1;
        let word = |i: usize| if bit(i) { text.clone() } else { String::new() };
        let far = |d: time::Date, i: usize| score::add_days(d, if bit(i) { gap } else { -gap });
        let mut k = 0;
        let mut next = || { k += 7; k };
        for g in ws.grants.iter_mut() {
            g.granted_by = bit(next()).then_some(UnitId(u32::MAX - 1));
            g.reason = word(next());
            g.rung = Rung::new(if bit(next()) { 5 } else { 1 }).unwrap();
        }
        for c in ws.commitments.iter_mut() {
            let mut f = c.fields();
            f.measure = word(next());
            f.direction = if bit(next()) { Direction::Lower } else { Direction::Higher };
            f.visibility = if bit(next()) { Visibility::Private } else { Visibility::Public };
            f.category = Category::ALL[next() % 4];
            f.baseline = bit(next()).then(|| Finite::new(value, "b").unwrap());
            f.target = bit(next()).then(|| Finite::new(-value / 3.0, "t").unwrap());
            f.due = bit(next()).then(|| far(f.start, next()));
            f.cadence_days = bit(next()).then_some(if bit(next()) { u16::MAX } else { 1 });
            f.reviewer = bit(next()).then_some(UnitId(0));
            if bit(next()) {
                f.title = Name::new(format!("{text} title")).unwrap();
            }
            *c = Commitment::new(c.id, f).with_checkins(c.checkins().clone());
        }
        for d in ws.decisions.iter_mut() {
            d.expected = word(next());
            d.review_date = bit(next()).then(|| far(d.date, next()));
            d.outcome = bit(next()).then(|| Outcome::ALL[next() % 3]);
            d.accountable = (0..next() % 4).map(|i| UnitId(i as u32 * 1000)).collect();
        }
        for r in ws.reviews.iter_mut() {
            r.reviewer = bit(next()).then_some(UnitId(7));
            r.note = word(next());
            r.verdict = Verdict::ALL[next() % 3];
        }
        for layout in [Layout::C1, Layout::C2, Layout::C3] {
            prop_assert_eq!(&decode(&encode_as(&ws, layout), layout).unwrap(), &ws);
        }
    }
}

mod revs {
    use latitude::storage::compact::{decode_revs, encode_revs};
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn revisions_round_trip(entries in proptest::collection::btree_map("[a-z]{1,8}:[0-9]{1,4}(:2026-0[1-9]-1[0-9])?", prop_oneof![
            (1u64..5000, "[0-9a-f]{32}").prop_map(|(g, h)| format!("{g}-{h}")),
            "[0-9]{1,3}-[0-9A-Za-z]{1,40}",
        ], 0..200)) {
            let text = encode_revs(entries.iter().map(|(a, b)| (a.as_str(), b.as_str())));
            let back = decode_revs(&text).unwrap();
            let expected: Vec<(String, String)> = entries.into_iter().collect();
            prop_assert_eq!(back, expected);
        }
    }

    #[test]
    fn a_large_orgs_revisions_take_a_fraction_of_the_quota() {
        let entries: Vec<(String, String)> = (0..190_000u64)
            .map(|i| (format!("checkin:{}:2025-{:02}-{:02}", i / 150, i % 12 + 1, i % 28 + 1), format!("{}-{:032x}", i % 3 + 1, (i as u128).wrapping_mul(0x9E37_79B9_7F4A_7C15_F39C_C060_5CED_C835))))
            .collect();
        let mut sorted = entries.clone();
        sorted.sort();
        sorted.dedup_by(|a, b| a.0 == b.0);
        let text = encode_revs(sorted.iter().map(|(a, b)| (a.as_str(), b.as_str())));
        let chars = text.chars().count();
        // 16 bytes of hash each cannot shrink: about 11 characters a revision.
        assert!(chars < sorted.len() * 12, "{chars} characters for {} revisions", sorted.len());
        assert_eq!(decode_revs(&text).unwrap(), sorted);
    }
}

/// Front coding shares bytes, not characters: "é" and "è" share their first byte, so a
/// string can start in the middle of the previous one's character and still read back.
#[test]
fn strings_sharing_part_of_a_character_read_back() {
    let mut ws = generate(1, &GenSpec::small());
    let c = ws.commitments.iter_mut().find(|c| c.checkins().len() >= 3).expect("a commitment with three check-ins");
    let mut list: Vec<CheckIn> = c.checkins().iter().cloned().collect();
    for (k, note) in list.iter_mut().zip(["éa", "èb", "\u{1F600} and \u{1F601}"]) {
        k.note = note.into();
        k.evidence = format!("{note}/{}", k.date);
    }
    c.set_checkins(CheckInLog::from_vec(list).unwrap());
    for layout in [Layout::C1, Layout::C2] {
        assert_eq!(decode(&encode_as(&ws, layout), layout).unwrap(), ws, "{layout:?}");
    }
}
