//! [`DataError`]: everything that can go wrong reading or writing the data contract's files.

use std::path::PathBuf;

use polars::error::PolarsError;

/// An error reading, writing or converting one of the six tables.
///
/// Row numbers count data rows from 1; the CSV header is not a row, so row `n` is normally on
/// line `n + 1` of a CSV file (later, if a text field above it spans several lines).
#[derive(Debug, thiserror::Error)]
pub enum DataError {
    #[error("cannot {action} `{}`: {source}", path.display())]
    Io {
        action: &'static str,
        path: PathBuf,
        source: std::io::Error,
    },

    #[error(
        "polars cannot {action} `{}`: {source}; check that the file is valid {format} \
         (see data/README.md for the dialect)",
        path.display()
    )]
    Polars {
        action: &'static str,
        path: PathBuf,
        format: &'static str,
        source: PolarsError,
    },

    #[error("table `{table}`: polars cannot build the frame: {source}")]
    Frame {
        table: &'static str,
        source: PolarsError,
    },

    #[error(
        "table `{table}`: column `{column}` is missing; add it (leave its values empty where it is \
         nullable), the columns are listed in data/README.md"
    )]
    MissingColumn {
        table: &'static str,
        column: &'static str,
    },

    #[error(
        "table `{table}`: unknown column(s) {}; remove or rename them, the contract is strict \
         (see data/README.md)",
        quoted(columns)
    )]
    UnknownColumns {
        table: &'static str,
        columns: Vec<String>,
    },

    #[error(
        "table `{table}`: column `{column}` has type {found} but the contract says {expected}; \
         convert the column before writing the file"
    )]
    WrongType {
        table: &'static str,
        column: &'static str,
        expected: String,
        found: String,
    },

    #[error(
        "table `{table}`, column `{column}`, row {row}: the value is missing but the column is \
         required; fill it in"
    )]
    Null {
        table: &'static str,
        column: &'static str,
        row: usize,
    },

    #[error(
        "table `{table}`, column `{column}`, row {row}: cannot read `{value}` as {expected}; \
         write it like `{example}`"
    )]
    Unparsable {
        table: &'static str,
        column: &'static str,
        row: usize,
        value: String,
        expected: &'static str,
        example: &'static str,
    },

    #[error(
        "table `{table}`, column `{column}`, row {row}: `{value}` has more than {scale} decimals \
         or is too large; round it to {scale} decimals (at most 28 significant digits)"
    )]
    Precision {
        table: &'static str,
        column: &'static str,
        row: usize,
        value: String,
        scale: u32,
    },

    #[error(
        "cannot tell the file format of `{}` from its extension; name it `.csv` or `.parquet`",
        path.display()
    )]
    UnknownFormat { path: PathBuf },

    #[error(
        "table `{table}`: neither `{}` nor `{}` exists; export the table to one of them",
        csv.display(),
        parquet.display()
    )]
    MissingTable {
        table: &'static str,
        csv: PathBuf,
        parquet: PathBuf,
    },

    #[error(
        "table `{table}`: both `{}` and `{}` exist; delete the stale one so the table is read \
         from exactly one file",
        csv.display(),
        parquet.display()
    )]
    AmbiguousTable {
        table: &'static str,
        csv: PathBuf,
        parquet: PathBuf,
    },

    #[error("table `accounts`, column `{column}`, row {row}: {message}")]
    Account {
        column: &'static str,
        row: usize,
        message: String,
    },

    #[error("table `accounts`: the chart is inconsistent: {0}")]
    Chart(#[from] kontera_core::ChartError),
}

fn quoted(columns: &[String]) -> String {
    columns
        .iter()
        .map(|c| format!("`{c}`"))
        .collect::<Vec<_>>()
        .join(", ")
}
