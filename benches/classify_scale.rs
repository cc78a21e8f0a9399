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

#[path = "common/coding.rs"]
mod coding;
mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use chrono::Datelike;
use common::SampleInvoice;
use criterion::{Criterion, criterion_group, criterion_main};

const SIZES: [u32; 3] = [2_000, 22_000, 220_000];
/// The years generated: three to train on, the fourth to code.
const FIRST_YEAR: i32 = 2022;
const TEST_YEAR: i32 = FIRST_YEAR + 3;
/// Invoices of the fourth year coded, at most (in seeded order).
const MAX_INVOICES: usize = 20_000;

fn sizes() -> Vec<u32> {
    match std::env::var("KONTERA_CLASSIFY_SIZES") {
        Ok(list) => list
            .split(',')
            .map(|s| {
                s.trim().parse().unwrap_or_else(|_| {
                    panic!("KONTERA_CLASSIFY_SIZES={list:?}: give invoices a year like 2000,220000")
                })
            })
            .collect(),
        Err(_) => SIZES.to_vec(),
    }
}

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
        let years = (TEST_YEAR - FIRST_YEAR + 1).to_string();
        kontera(&[
            "generate",
            "--out",
            path(&data),
            "--years",
            &years,
            "--invoices-per-year",
            &size.to_string(),
            "--seed",
            &common::SEED.to_string(),
            "--first-year",
            &FIRST_YEAR.to_string(),
            "--format",
            "csv",
        ]);
        kontera(&[
            "train",
            "--data",
            path(&data),
            "--from",
            &format!("{FIRST_YEAR}-01-01"),
            "--to",
            &format!("{}-12-31", TEST_YEAR - 1),
            "--out",
            path(&model),
        ]);
    }
    (data, model)
}

fn kontera(args: &[&str]) {
    eprintln!("kontera {}", args.join(" "));
    let status = Command::new(env!("CARGO_BIN_EXE_kontera"))
        .args(args)
        .status()
        .unwrap_or_else(|e| panic!("kontera {}: {e}", args[0]));
    assert!(status.success(), "kontera {} failed: {status}", args[0]);
}

fn path(p: &Path) -> &str {
    p.to_str().expect("a UTF-8 path")
}

fn benches(c: &mut Criterion) {
    for size in sizes() {
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
