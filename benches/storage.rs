//! Saving and loading the large org natively: the compact encoding a browser stores,
//! and its steps (columns, deflate, packing into characters), beside the JSON file form.

use criterion::{criterion_group, criterion_main, Criterion};
use latitude::core::generate::{generate, GenSpec};
use latitude::storage::file::{export_workspace, import_workspace};
use latitude::storage::store::{decode_stored, encode_stored};
use std::hint::black_box;

fn storage(c: &mut Criterion) {
    let ws = generate(42, &GenSpec::large_org());
    let stored = encode_stored(&ws, 1, "bench", "2026-01-01T00:00:00Z");
    let json = export_workspace(&ws);
    let mut g = c.benchmark_group("storage/large_org");
    g.sample_size(20);
    g.bench_function("encode_stored", |b| b.iter(|| encode_stored(black_box(&ws), 1, "bench", "")));
    g.bench_function("decode_stored", |b| b.iter(|| decode_stored(black_box(&stored)).unwrap()));
    g.bench_function("export_json", |b| b.iter(|| export_workspace(black_box(&ws))));
    g.bench_function("import_json", |b| b.iter(|| import_workspace(black_box(&json)).unwrap()));
    g.finish();
}

criterion_group!(benches, storage);
criterion_main!(benches);
