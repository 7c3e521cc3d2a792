//! Rendering the charts natively: the unit trend of a 3-year weekly unit and the org
//! map of the large org (300 units).

use criterion::{criterion_group, criterion_main, Criterion};
use latitude::charts::{self, Theme};
use latitude::core::generate::{generate, GenSpec};
use latitude::core::series::{map_points, unit_series};
use latitude::core::*;
use std::hint::black_box;

fn render(c: &mut Criterion) {
    let spec = GenSpec::large_org();
    let ws = generate(42, &spec);
    let end = spec.end();
    let scores = score(&ws, &ws.policy, end);
    let points = map_points(&ws, &scores);
    let unit = ws.units[40].id;
    let series = unit_series(&ws, &ws.policy, unit, spec.start, end);
    let events = charts::trend_events(&ws, unit, spec.start, end);
    assert!(series.len() >= 156);
    c.bench_function("chart/unit_trend/3y_weekly", |b| b.iter(|| charts::unit_trend("Unit", black_box(&series), &events, end, Theme::Light)));
    c.bench_function("chart/org_map/large_org", |b| b.iter(|| charts::org_map(black_box(&points), Theme::Light)));
    c.bench_function("series/unit/3y_weekly", |b| b.iter(|| unit_series(black_box(&ws), &ws.policy, unit, spec.start, end)));
}

criterion_group!(benches, render);
criterion_main!(benches);
