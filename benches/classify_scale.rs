//! How the cost of coding grows with the model: for municipalities of 2,000, 22,000 and 220,000
//! invoices a year (seed 42), trains a model on three years with the release `kontera` and runs
//! `classify`'s benches (`common/coding.rs`: a line, a 3-line invoice with its decision, batches
//! of lines and of invoices) on the fourth year's invoices, beside the number of suppliers,
//! labels and evidence keys the model holds.
//!
//! Run: `cargo bench --features train --bench classify_scale`. The generated data and models are
//! kept in `KONTERA_BENCH_DIR` (default: `kontera-classify-scale` in the temporary directory) so
//! that later runs only measure; the first run generates and trains (about 4 minutes, 5 GB of
//! memory for the largest). `KONTERA_CLASSIFY_SIZES=2000,220000` picks the sizes.

#[path = "common/cli.rs"]
mod cli;
#[path = "common/coding.rs"]
mod coding;
mod common;

use std::path::PathBuf;

use chrono::Datelike;
use common::SampleInvoice;
use criterion::{Criterion, criterion_group, criterion_main};

const SIZES: [u32; 3] = [2_000, 22_000, 220_000];
/// The years generated: three to train on, the fourth to code.
const FIRST_YEAR: i32 = 2022;
const TEST_YEAR: i32 = FIRST_YEAR + 3;
/// Invoices of the fourth year coded, at most (in seeded order).
const MAX_INVOICES: usize = 20_000;

fn cache_dir() -> PathBuf {
    std::env::var_os("KONTERA_BENCH_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| std::env::temp_dir().join("kontera-classify-scale"))
}

/// The data and model of one size, generated and trained on first use.
fn prepare(size: u32) -> (PathBuf, PathBuf) {
    let dir = cache_dir().join(size.to_string());
    let (data, model) = (dir.join("data"), dir.join("model"));
    if !model.join("model.bin").exists() {
        let _ = std::fs::remove_dir_all(&dir);
        let years = (TEST_YEAR - FIRST_YEAR + 1) as u32;
        cli::generate(&data, years, u64::from(size), FIRST_YEAR, "csv")
            .and_then(|()| cli::train(&data, FIRST_YEAR, TEST_YEAR - 1, &model))
            .unwrap_or_else(|e| panic!("{e}"));
    }
    (data, model)
}

fn benches(c: &mut Criterion) {
    let sizes = cli::sizes_from_env("KONTERA_CLASSIFY_SIZES", &SIZES, "2000,220000")
        .unwrap_or_else(|e| panic!("{e}"));
    for size in sizes {
        let (data, model_dir) = prepare(size);
        let mut invoices: Vec<SampleInvoice> =
            common::invoices_in(&data, |d| d.year() == TEST_YEAR);
        invoices.truncate(MAX_INVOICES);
        let f = coding::Fixture::load(&model_dir, invoices);
        let bytes = std::fs::metadata(model_dir.join("model.bin")).map_or(0, |m| m.len());
        let labels: Vec<String> = f
            .model
            .fields
            .iter()
            .map(|m| format!("{} {}", m.labels.len(), m.field.as_str()))
            .collect();
        let lines: usize = f.invoices.iter().map(|inv| inv.lines.len()).sum();
        eprintln!(
            "size {size} invoices a year: {} creditors, {} units, {} ({} keys in the account \
             table), model.bin {:.1} MB; coding {lines} lines of {} invoices of {TEST_YEAR}",
            f.directory.creditors().len(),
            f.directory.units().len(),
            labels.join(", "),
            f.model.fields[0].head.table.len(),
            bytes as f64 / 1e6,
            f.invoices.len()
        );
        coding::all(c, &f, &format!("scale/{size}/"));
    }
}

criterion_group!(classify_scale, benches);
criterion_main!(classify_scale);
