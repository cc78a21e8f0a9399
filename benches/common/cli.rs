//! Running the release `kontera` from a bench that measures generated municipalities
//! (`train_scale`, `classify_scale`): generating the data, training on it, and the benches' lists
//! of sizes from the environment.

#![allow(
    dead_code,
    reason = "each bench target compiles its own copy of this module"
)]

use std::path::Path;
use std::process::{Command, Stdio};
use std::str::FromStr;

/// Generates `years` years of `per_year` invoices from `first_year` (seed 42) into `data`, in
/// `format` (`csv` or `parquet`).
pub fn generate(
    data: &Path,
    years: u32,
    per_year: u64,
    first_year: i32,
    format: &str,
) -> Result<(), String> {
    kontera(&[
        "generate",
        "--out",
        path(data)?,
        "--years",
        &years.to_string(),
        "--invoices-per-year",
        &per_year.to_string(),
        "--seed",
        "42",
        "--first-year",
        &first_year.to_string(),
        "--format",
        format,
    ])
    .map(drop)
}

/// Trains on the whole calendar years `from..=to` of `data` into `model`; the trainer's summary
/// (its standard output).
pub fn train(data: &Path, from: i32, to: i32, model: &Path) -> Result<String, String> {
    kontera(&[
        "train",
        "--data",
        path(data)?,
        "--from",
        &format!("{from}-01-01"),
        "--to",
        &format!("{to}-12-31"),
        "--out",
        path(model)?,
    ])
}

/// Runs the release `kontera` with `args` (its progress on the bench's standard error); its
/// standard output, or why it failed.
fn kontera(args: &[&str]) -> Result<String, String> {
    eprintln!("kontera {}", args.join(" "));
    let out = Command::new(env!("CARGO_BIN_EXE_kontera"))
        .args(args)
        .stderr(Stdio::inherit())
        .output()
        .map_err(|e| format!("kontera {}: {e}", args[0]))?;
    if !out.status.success() {
        return Err(format!("kontera {} failed: {}", args[0], out.status));
    }
    String::from_utf8(out.stdout).map_err(|e| format!("kontera {}: output: {e}", args[0]))
}

fn path(p: &Path) -> Result<&str, String> {
    p.to_str()
        .ok_or_else(|| format!("{}: not UTF-8", p.display()))
}

/// The positive numbers of the comma-separated list in the environment variable `name`, or
/// `default` when it is not set; `example` shows a valid list in the error.
pub fn sizes_from_env<T: FromStr + PartialOrd + Default + Copy>(
    name: &str,
    default: &[T],
    example: &str,
) -> Result<Vec<T>, String> {
    let Ok(list) = std::env::var(name) else {
        return Ok(default.to_vec());
    };
    list.split(',')
        .map(|s| {
            s.trim()
                .parse::<T>()
                .ok()
                .filter(|n| *n > T::default())
                .ok_or_else(|| format!("{name}={list:?}: give a list like {example}"))
        })
        .collect()
}
