//! How the cost of coding a line grows with the model: for municipalities of 2,000, 22,000 and
//! 220,000 invoices a year (seed 42), trains a model on three years with the release `kontera`
//! and codes the lines of the fourth year in process (`CodingModel::predict`, one line and
//! batches of 10,000), beside the number of suppliers, labels and evidence keys the model holds.
//!
//! Run: `cargo bench --features train --bench classify_scale`. The generated data and models are
//! kept in `KONTERA_BENCH_DIR` (default: `kontera-classify-scale` in the temporary directory) so
//! that later runs only measure; the first run generates and trains (about 4 minutes, 5 GB of
//! memory for the largest). `KONTERA_CLASSIFY_SIZES=2000,220000` picks the sizes.

mod common;

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use chrono::Datelike;
use common::SampleInvoice;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use kontera_core::model::{LineEvidence, ModelScratch};

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
        let artifact = kontera_model::load(&model_dir).expect("the trained model loads");
        let mut invoices: Vec<SampleInvoice> =
            common::invoices_in(&data, |d| d.year() == TEST_YEAR);
        invoices.truncate(MAX_INVOICES);
        let evidence: Vec<LineEvidence<'_>> = invoices
            .iter()
            .flat_map(|inv| (0..inv.lines.len()).map(move |i| inv.evidence(i)))
            .collect();
        let model = &artifact.model;
        let bytes = std::fs::metadata(model_dir.join("model.bin")).map_or(0, |m| m.len());
        let labels: Vec<String> = model
            .fields
            .iter()
            .map(|f| format!("{} {}", f.labels.len(), f.field.as_str()))
            .collect();
        eprintln!(
            "size {size} invoices a year: {} creditors, {} units, {} ({} keys in the account \
             table), model.bin {:.1} MB; coding {} lines of {} invoices of {TEST_YEAR}",
            artifact.directory.creditors().len(),
            artifact.directory.units().len(),
            labels.join(", "),
            model.fields[0].head.table.len(),
            bytes as f64 / 1e6,
            evidence.len(),
            invoices.len()
        );
        let mut scratch = ModelScratch::default();
        let mut group = c.benchmark_group(format!("scale/{size}"));
        // Each iteration takes the next line, so the figure is a mean over real lines.
        let mut next = 0usize;
        group.bench_function("line", |b| {
            b.iter(|| {
                let line = &evidence[next % evidence.len()];
                next += 1;
                black_box(model.predict(black_box(line), &mut scratch))
            })
        });
        let n = evidence.len().min(10_000);
        group.sample_size(10);
        group.measurement_time(Duration::from_secs(10));
        group.throughput(Throughput::Elements(n as u64));
        group.bench_function(format!("batch/{n}"), |b| {
            b.iter(|| {
                for line in &evidence[..n] {
                    black_box(model.predict(line, &mut scratch));
                }
            })
        });
        group.finish();
    }
}

criterion_group!(classify_scale, benches);
criterion_main!(classify_scale);
