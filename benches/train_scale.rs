//! How training grows with the data: generates three years of the synthetic municipality at 1×,
//! 2× and 4× of 220,000 invoices a year (seed 42, Parquet), runs the release `kontera train` on
//! each, and reports the wall time and the trainer's peak memory (its own `VmHWM`, which it
//! prints when it finishes) beside the lines, labels and suppliers the model learned, as a
//! Markdown table for `benches/RESULTS.md`.
//!
//! Run: `cargo bench --features train --bench train_scale` (about 15 minutes; the 4× run needs
//! about 20 GB of memory). `KONTERA_TRAIN_SCALES=1,2` picks the multiples; `KONTERA_BENCH_DIR`
//! keeps the generated data and models there (default: a temporary directory, removed after).

#[path = "common/cli.rs"]
mod cli;
#[path = "common/harness.rs"]
mod harness;

use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

/// Invoices a year at 1×: the size of the large municipality.
const BASE_INVOICES_PER_YEAR: u64 = 220_000;
const SCALES: [u64; 3] = [1, 2, 4];

fn main() -> ExitCode {
    harness::bench_main(
        "train_scale",
        "cargo bench --features train --bench train_scale",
        run,
    )
}

fn run() -> Result<(), String> {
    let scales = cli::sizes_from_env("KONTERA_TRAIN_SCALES", &SCALES, "1,2,4")?;
    let temp;
    let dir = match std::env::var("KONTERA_BENCH_DIR") {
        Ok(d) => std::path::PathBuf::from(d),
        Err(_) => {
            temp = tempfile::tempdir().map_err(|e| format!("temporary directory: {e}"))?;
            temp.path().to_path_buf()
        }
    };
    println!(
        "\n## Training: three years at {scales:?} × {BASE_INVOICES_PER_YEAR} invoices a year\n"
    );
    println!(
        "| Scale | Invoices a year | Lines trained | Suppliers | Labels (account / cost centre / VAT) | model.bin | Generate | Train | Train peak memory |"
    );
    println!("|---|---|---|---|---|---|---|---|---|");
    for scale in scales {
        let row = measure(&dir, scale)?;
        println!(
            "| {scale}× | {} | {} | {} | {} | {:.1} MB | {:.1} s | {:.1} s | {} |",
            scale * BASE_INVOICES_PER_YEAR,
            row.lines,
            row.creditors,
            row.labels,
            row.model_bytes as f64 / 1e6,
            row.generate_seconds,
            row.train_seconds,
            row.peak
        );
    }
    Ok(())
}

/// One scale's figures.
struct Row {
    lines: String,
    creditors: String,
    labels: String,
    model_bytes: u64,
    generate_seconds: f64,
    train_seconds: f64,
    peak: String,
}

fn measure(dir: &Path, scale: u64) -> Result<Row, String> {
    let data = dir.join(format!("data-{scale}x"));
    let model = dir.join(format!("model-{scale}x"));
    let started = Instant::now();
    cli::generate(&data, 3, scale * BASE_INVOICES_PER_YEAR, 2022, "parquet")?;
    let generate_seconds = started.elapsed().as_secs_f64();
    let started = Instant::now();
    let summary = cli::train(&data, 2022, 2024, &model)?;
    let train_seconds = started.elapsed().as_secs_f64();
    let model_bytes = std::fs::metadata(model.join("model.bin"))
        .map_err(|e| format!("{}: {e}", model.join("model.bin").display()))?
        .len();
    // The summary's lines, e.g. "model x trained on 2062910 lines (638130 invoices), …",
    // "  account: 207 labels", "  directory: 303 units, 216 creditors", "  took 46.1 s, peak
    // memory 5.16 GB".
    let after = |prefix: &str| -> String {
        summary
            .lines()
            .map(str::trim)
            .find_map(|l| l.strip_prefix(prefix))
            .unwrap_or("?")
            .to_owned()
    };
    let lines = after("model ")
        .split_once(" trained on ")
        .and_then(|(_, rest)| rest.split(' ').next())
        .unwrap_or("?")
        .to_owned();
    let creditors = after("directory: ")
        .split(", ")
        .nth(1)
        .and_then(|c| c.split(' ').next())
        .unwrap_or("?")
        .to_owned();
    let label_count = |field: &str| after(&format!("{field}: ")).replace(" labels", "");
    let labels = ["account", "cost_centre", "vat_code"]
        .map(label_count)
        .join(" / ");
    let peak = after("took ")
        .split_once("peak memory ")
        .map_or("?", |(_, p)| p)
        .to_owned();
    Ok(Row {
        lines,
        creditors,
        labels,
        model_bytes,
        generate_seconds,
        train_seconds,
        peak,
    })
}
