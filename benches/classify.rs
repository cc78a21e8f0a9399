//! Criterion benches of the hot classification path, in process, with the bundled model
//! (`models/default`) on the committed sample's lines in a seeded order: `CodingModel::predict`
//! (keys, heads, calibration) and the precedence chain for one line, the chain and the decision
//! for a 3-line invoice, batches of lines (lines/s on one core), and a batch of 10,000 invoices
//! (the benches themselves are in `common/coding.rs`, shared with `classify_scale`).
//!
//! Run: `cargo bench --bench classify`; figures in `benches/RESULTS.md`.

#[path = "common/coding.rs"]
mod coding;
mod common;

use criterion::{Criterion, criterion_group, criterion_main};

fn benches(c: &mut Criterion) {
    let f = coding::Fixture::load(&common::default_model(), common::invoices());
    coding::all(c, &f, "");
}

criterion_group!(classify, benches);
criterion_main!(classify);
