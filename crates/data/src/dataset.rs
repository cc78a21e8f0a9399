//! Reading and writing a whole [`Dataset`]: six files `DIR/<table>.csv` or `DIR/<table>.parquet`.

use std::path::{Path, PathBuf};

use crate::contract::Dataset;
use crate::error::DataError;
use crate::files::{read_table, write_table};
use crate::format::Format;
use crate::table::Table;

/// The six table names in the order they are written and read.
pub const TABLE_NAMES: [&str; 6] = [
    "invoices",
    "invoice_lines",
    "postings",
    "accounts",
    "creditors",
    "units",
];

/// Writes the six tables of `ds` to `dir` (created if missing) in `format`.
///
/// A file of the same table in the other format is removed, so that the directory holds exactly
/// one file per table and [`read_dataset`] reads what was just written.
pub fn write_dataset(ds: &Dataset, dir: &Path, format: Format) -> Result<(), DataError> {
    std::fs::create_dir_all(dir).map_err(crate::io::io_error("create directory", dir))?;
    write_one(&ds.invoices, dir, format)?;
    write_one(&ds.invoice_lines, dir, format)?;
    write_one(&ds.postings, dir, format)?;
    write_one(&ds.accounts, dir, format)?;
    write_one(&ds.creditors, dir, format)?;
    write_one(&ds.units, dir, format)
}

/// Reads the six tables from `dir`, each from whichever of `<table>.csv` and `<table>.parquet`
/// exists (it is an error if neither or both do).
pub fn read_dataset(dir: &Path) -> Result<Dataset, DataError> {
    Ok(Dataset {
        invoices: read_one(dir)?,
        invoice_lines: read_one(dir)?,
        postings: read_one(dir)?,
        accounts: read_one(dir)?,
        creditors: read_one(dir)?,
        units: read_one(dir)?,
    })
}

/// The file table `T` is stored in under `dir`: the one of `<table>.csv` and `<table>.parquet`
/// that exists.
pub fn table_file<T: Table>(dir: &Path) -> Result<PathBuf, DataError> {
    let [csv, parquet] = Format::ALL.map(|f| dir.join(f.file_name(T::NAME)));
    match (csv.is_file(), parquet.is_file()) {
        (true, false) => Ok(csv),
        (false, true) => Ok(parquet),
        (false, false) => Err(DataError::MissingTable {
            table: T::NAME,
            csv,
            parquet,
        }),
        (true, true) => Err(DataError::AmbiguousTable {
            table: T::NAME,
            csv,
            parquet,
        }),
    }
}

fn write_one<T: Table>(rows: &[T], dir: &Path, format: Format) -> Result<(), DataError> {
    for other in Format::ALL.into_iter().filter(|f| *f != format) {
        let stale = dir.join(other.file_name(T::NAME));
        if stale.is_file() {
            std::fs::remove_file(&stale)
                .map_err(crate::io::io_error("remove the stale file", &stale))?;
        }
    }
    write_table(rows, &dir.join(format.file_name(T::NAME)))
}

fn read_one<T: Table>(dir: &Path) -> Result<Vec<T>, DataError> {
    read_table(&table_file::<T>(dir)?)
}
