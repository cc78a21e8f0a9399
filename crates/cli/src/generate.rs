//! `kontera generate`: writes a synthetic municipality to a directory, deterministically.

use std::path::PathBuf;
use std::time::Instant;

use anyhow::Context;
use kontera_data::{Format, write_dataset};
use kontera_synth::{DriftEffect, GenerateParams, generate};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Directory to write the six tables to (created if missing; existing tables are replaced).
    #[arg(long)]
    out: PathBuf,
    /// Number of calendar years.
    #[arg(long, default_value_t = 3)]
    years: u32,
    /// Invoices received per year.
    #[arg(long, default_value_t = 220_000)]
    invoices_per_year: u32,
    /// Random seed: the same arguments always give byte-identical files.
    #[arg(long, default_value_t = 42)]
    seed: u64,
    /// The first calendar year.
    #[arg(long, default_value_t = 2023)]
    first_year: i32,
    /// Make the ledger drift in this year (one of the generated years after the first):
    /// accounts re-purposed from 1 January, two units reorganised from 1 July, twice the usual
    /// new creditors (see data/README.md). Without it, nothing drifts.
    #[arg(long, value_name = "YEAR")]
    drift_year: Option<i32>,
    /// File format of the tables.
    #[arg(long, value_enum, default_value_t = FormatArg::Csv)]
    format: FormatArg,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum FormatArg {
    Csv,
    Parquet,
}

pub fn run(args: Args) -> anyhow::Result<()> {
    let mut params = GenerateParams {
        years: args.years,
        invoices_per_year: args.invoices_per_year,
        seed: args.seed,
        first_year: args.first_year,
    }
    .check()?;
    if let Some(year) = args.drift_year {
        params = params.with_drift_year(year)?;
    }
    let started = Instant::now();
    let generated = generate(&params, |done, total| {
        eprintln!(
            "generated year {done}/{total} ({:.1} s)",
            started.elapsed().as_secs_f64()
        );
    });
    let ds = &generated.dataset;
    let format = match args.format {
        FormatArg::Csv => Format::Csv,
        FormatArg::Parquet => Format::Parquet,
    };
    eprintln!(
        "writing {} tables to {}",
        format_name(format),
        args.out.display()
    );
    write_dataset(ds, &args.out, format)
        .with_context(|| format!("writing the tables to {}", args.out.display()))?;
    println!(
        "wrote {} invoices, {} lines, {} postings, {} accounts, {} creditors, {} units to {} in {:.1} s",
        ds.invoices.len(),
        ds.invoice_lines.len(),
        ds.postings.len(),
        ds.accounts.len(),
        ds.creditors.len(),
        ds.units.len(),
        args.out.display(),
        started.elapsed().as_secs_f64()
    );
    if let Some(drift) = &generated.truth.drift {
        let affected: std::collections::BTreeSet<&str> = drift
            .affected
            .iter()
            .filter(|(_, e)| *e != DriftEffect::ExtraCreditor)
            .map(|(id, _)| id.as_str())
            .collect();
        let prefix = format!("F{}-", drift.year);
        let in_year = ds
            .invoices
            .iter()
            .filter(|i| i.invoice_id.starts_with(&prefix) && !i.invoice_id.ends_with("-D"))
            .count();
        let affected_in_year = affected.iter().filter(|id| id.starts_with(&prefix)).count();
        println!(
            "drift in {}: {} accounts re-purposed ({} opened), {} units reorganised, {} extra \
             creditors; {} of {} invoices of {} coded differently ({:.1}%)",
            drift.year,
            drift.repurposed.len(),
            drift.new_accounts.len(),
            drift.reorganised.len(),
            drift.extra_creditors.len(),
            affected_in_year,
            in_year,
            drift.year,
            100.0 * affected_in_year as f64 / in_year.max(1) as f64
        );
    }
    Ok(())
}

fn format_name(format: Format) -> &'static str {
    match format {
        Format::Csv => "CSV",
        Format::Parquet => "Parquet",
    }
}
