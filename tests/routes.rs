//! Hash routes parse to pages and back.

use latitude::core::UnitId;
use latitude::ui::route::{EmbedKind, Route, NAV};

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
