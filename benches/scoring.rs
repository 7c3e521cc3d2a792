//! Scoring the large org natively: full score at 0.1×, 1× and 10× its size, the
//! incremental rescore after one edited check-in, and every unit's counterfactuals.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use latitude::core::counterfactual::counterfactuals;
use latitude::core::generate::{generate, GenSpec};
use latitude::core::score::rescore_commitment;
use latitude::core::*;
use std::hint::black_box;

fn full_score(c: &mut Criterion) {
    let mut group = c.benchmark_group("score");
    group.sample_size(10);
    for factor in [0.1, 1.0, 10.0] {
        let spec = GenSpec::scaled(factor);
        let ws = generate(42, &spec);
        let as_of = spec.end();
        group.bench_with_input(BenchmarkId::new("large_org", format!("{factor}x ({} check-ins)", ws.checkin_count())), &ws, |b, ws| b.iter(|| score(black_box(ws), &ws.policy, as_of)));
    }
    group.finish();
}

fn incremental(c: &mut Criterion) {
    let spec = GenSpec::large_org();
    let mut ws = generate(42, &spec);
    let as_of = spec.end();
    let policy = ws.policy.clone();
    let mut scores = score(&ws, &policy, as_of);
    let id = ws.commitments[600].id;
    let mut bump = 0.0;
    c.bench_function("rescore_after_one_checkin/large_org", |b| {
        b.iter(|| {
            bump += 1.0;
            let c = ws.commitment_mut(id).expect("exists");
            let last = c.checkins().last().expect("has check-ins").date;
            c.update_checkin(last, |k| k.value = Finite::new(bump, "value").expect("finite"));
            rescore_commitment(&mut scores, black_box(&ws), &policy, id);
        })
    });
}

fn counterfactual(c: &mut Criterion) {
    let spec = GenSpec::large_org();
    let ws = generate(42, &spec);
    let as_of = spec.end();
    let scores = score(&ws, &ws.policy, as_of);
    let mut group = c.benchmark_group("counterfactual");
    group.sample_size(10);
    group.bench_function("large_org_all_units", |b| b.iter(|| counterfactuals(black_box(&ws), &ws.policy, &scores)));
    group.finish();
}

criterion_group!(benches, full_score, incremental, counterfactual);
criterion_main!(benches);
