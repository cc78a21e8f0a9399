//! Running the `kontera` binary from the root tests that need no server (included with
//! `#[path = "common/cli.rs"] mod cli;`, so they do not compile the server and browser harness).

#![allow(dead_code)]

use std::process::{Command, Output};

/// Runs `kontera ARGS` to the end, whatever its exit status.
pub fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kontera"))
        .args(args)
        .output()
        .expect("the kontera binary runs")
}

/// Runs `kontera ARGS` and fails the test, showing its standard error, unless it succeeds.
pub fn kontera(args: &[&str]) -> Output {
    let out = run(args);
    assert!(
        out.status.success(),
        "kontera {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// `kontera generate` of four years from 2022 into `data`: `per_year` invoices a year, `seed`.
pub fn generate_four_years(data: &std::path::Path, per_year: u32, seed: u64) {
    kontera(&[
        "generate",
        "--out",
        data.to_str().unwrap(),
        "--years",
        "4",
        "--invoices-per-year",
        &per_year.to_string(),
        "--seed",
        &seed.to_string(),
        "--first-year",
        "2022",
    ]);
}
