//! Hash routes parse to pages and back.

use latitude::core::UnitId;
use latitude::ui::route::{after_move, EmbedKind, Route, NAV};

#[test]
fn hashes_parse_to_routes() {
    let cases = [
        ("", Route::Overview),
        ("/", Route::Overview),
        ("/overview", Route::Overview),
        ("/units", Route::Units),
        ("/units/", Route::Units),
        ("/units/12", Route::Unit(UnitId(12))),
        ("/check-ins", Route::CheckIns),
        ("/to-do", Route::Todo),
        ("/decisions?filter=open", Route::Decisions),
        ("/workshop", Route::Workshop),
        ("/settings", Route::Settings),
        ("/units/abc", Route::NotFound("/units/abc".into())),
        ("/nope", Route::NotFound("/nope".into())),
        ("/snapshot/1.w.abc-_", Route::Snapshot("1.w.abc-_".into())),
        ("/embed/map/1.w.xyz", Route::Embed(EmbedKind::Map, "1.w.xyz".into())),
        ("/embed/scoreboard/1.w.xyz", Route::Embed(EmbedKind::Scoreboard, "1.w.xyz".into())),
        ("/embed/nothing/1.w.xyz", Route::NotFound("/embed/nothing/1.w.xyz".into())),
    ];
    for (hash, route) in cases {
        assert_eq!(Route::parse(hash), route, "#{hash}");
    }
}

#[test]
fn every_route_round_trips_through_its_href() {
    let mut all: Vec<Route> = NAV.to_vec();
    all.push(Route::Unit(UnitId(3)));
    all.push(Route::Snapshot("1.w.AAAA".into()));
    all.push(Route::Embed(EmbedKind::Scoreboard, "1.u3.AAAA".into()));
    for r in all {
        assert_eq!(Route::parse(r.href().trim_start_matches('#')), r);
    }
}

/// A link's as-of date is shown when it can be; a future, too early or unreadable one is
/// refused in the words the as-of field uses, naming the date still shown.
#[test]
fn a_linked_as_of_date_is_shown_or_refused_with_the_fields_words() {
    use latitude::core::parse_date;
    use latitude::ui::route::{as_of_refusal, linked_as_of, LinkedAsOf};
    let (today, keep) = (parse_date("2026-11-26").unwrap(), parse_date("2026-11-01").unwrap());
    assert_eq!(linked_as_of("/units/3", today, keep), LinkedAsOf::Absent);
    assert_eq!(linked_as_of("/units/3?c=4", today, keep), LinkedAsOf::Absent);
    assert_eq!(linked_as_of("/units/3?asof=2026-10-01", today, keep), LinkedAsOf::Date(parse_date("2026-10-01").unwrap()));
    assert_eq!(linked_as_of("/to-do?asof=2026-11-26", today, keep), LinkedAsOf::Date(today));
    let future = "2027-01-01 is in the future: scores can only be replayed up to today (2026-11-26); still showing 2026-11-01.";
    assert_eq!(linked_as_of("/check-ins?c=4&asof=2027-01-01", today, keep), LinkedAsOf::Refused(future.into()));
    // The same words as the field gives for the same date.
    assert_eq!(as_of_refusal(parse_date("2027-01-01").unwrap(), today, keep).as_deref(), Some(future));
    assert_eq!(
        linked_as_of("/?asof=2026-11-27", today, today),
        LinkedAsOf::Refused("2026-11-27 is in the future: scores can only be replayed up to today (2026-11-26); still showing 2026-11-26.".into())
    );
    assert_eq!(linked_as_of("/?asof=0202-01-01", today, keep), LinkedAsOf::Refused("0202-01-01 is before 1900: type a four-digit year; still showing 2026-11-01.".into()));
    match linked_as_of("/?asof=2026-13-01", today, keep) {
        LinkedAsOf::Refused(why) => assert!(why.contains("2026-13-01") && why.ends_with("; still showing 2026-11-01."), "{why}"),
        other => panic!("an impossible date is refused, not {other:?}"),
    }
    assert_eq!(as_of_refusal(keep, today, keep), None);
}

/// A past view is linked by its as-of date in the fragment's query; the route and other
/// parameters stay as they are, and a snapshot's fragment is never touched.
#[test]
fn the_as_of_date_rides_in_the_fragment() {
    use latitude::core::parse_date;
    use latitude::ui::route::{as_of_param, with_as_of};
    let day = parse_date("2026-10-01").unwrap();
    assert_eq!(as_of_param("/units/3?asof=2026-10-01"), Some(day));
    assert_eq!(as_of_param("/check-ins?c=4&asof=2026-10-01"), Some(day));
    assert_eq!(as_of_param("/units/3"), None);
    assert_eq!(as_of_param("/?asof=20261-10-01"), None);
    assert_eq!(with_as_of("/units/3", Some(day)), "/units/3?asof=2026-10-01");
    assert_eq!(with_as_of("", Some(day)), "/?asof=2026-10-01");
    assert_eq!(with_as_of("/check-ins?c=4", Some(day)), "/check-ins?c=4&asof=2026-10-01");
    assert_eq!(with_as_of("/check-ins?c=4&asof=2026-09-01", Some(day)), "/check-ins?c=4&asof=2026-10-01");
    assert_eq!(with_as_of("/check-ins?asof=2026-09-01&c=4", None), "/check-ins?c=4");
    assert_eq!(with_as_of("/units/3?asof=2026-10-01", None), "/units/3");
    // The route is read the same with or without the date.
    assert_eq!(Route::parse("/units/3?asof=2026-10-01"), Route::Unit(UnitId(3)));
    assert_eq!(with_as_of("/snapshot/1.w.x.abc", Some(day)), "/snapshot/1.w.x.abc");
    for hash in ["/", "/units", "/to-do", "/settings"] {
        assert_eq!(as_of_param(&with_as_of(hash, Some(day))), Some(day));
        assert_eq!(with_as_of(&with_as_of(hash, Some(day)), None), hash);
    }
}

#[test]
fn a_units_page_follows_its_unit_when_it_moves_to_a_fresh_id() {
    let moved = vec![("unit:18".to_owned(), "unit:19".to_owned()), ("decision:4".to_owned(), "decision:5".to_owned())];
    assert_eq!(after_move("/units/18", &moved).as_deref(), Some("/units/19"));
    assert_eq!(after_move("/units/18?asof=2026-11-01", &moved).as_deref(), Some("/units/19?asof=2026-11-01"));
    // Other pages, and a unit that did not move, stay where they are.
    assert_eq!(after_move("/units/17", &moved), None);
    assert_eq!(after_move("/units", &moved), None);
    assert_eq!(after_move("/decisions", &moved), None);
}
