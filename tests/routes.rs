//! Hash routes parse to pages and back.

use latitude::core::UnitId;
use latitude::ui::route::{Route, NAV};

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
        ("/decisions?filter=open", Route::Decisions),
        ("/workshop", Route::Workshop),
        ("/settings", Route::Settings),
        ("/units/abc", Route::NotFound("/units/abc".into())),
        ("/nope", Route::NotFound("/nope".into())),
    ];
    for (hash, route) in cases {
        assert_eq!(Route::parse(hash), route, "#{hash}");
    }
}

#[test]
fn every_route_round_trips_through_its_href() {
    let mut all: Vec<Route> = NAV.to_vec();
    all.push(Route::Unit(UnitId(3)));
    for r in all {
        assert_eq!(Route::parse(r.href().trim_start_matches('#')), r);
    }
}
