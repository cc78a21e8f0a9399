//! Reading and writing a whole [`Dataset`]: six files `DIR/<table>.csv` or `DIR/<table>.parquet`;
//! or only a period's invoices with their lines and postings.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use polars::prelude::{BooleanChunked, DataFrame};

use crate::contract::Dataset;
use crate::error::DataError;
use crate::files::{read_frame, read_table, write_table};
use crate::format::Format;
use crate::table::Table;
use crate::values::date_to_days;

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

/// [`read_dataset`] of the invoices issued in `from..=to` only, with their lines and postings
/// (accounts, creditors and units whole): what a replay or a comparison of one period needs,
/// without turning years of other rows into values.
///
/// A bad value is named at its row of the file, as [`read_dataset`] names it: a CSV file is
/// parsed whole before its rows are picked, and a table whose `issue_date` or `invoice_id` has
/// empty values, or whose kept rows hold one in another required column, is read whole. (So an
/// empty required value outside the period goes unreported, in either format; so do lines and
/// postings of an invoice the file does not hold, which no period keeps.)
pub fn read_dataset_issued(
    dir: &Path,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Dataset, DataError> {
    let (first, last) = (date_to_days(from), date_to_days(to));
    let invoices: Vec<crate::InvoiceRow> = read_kept(dir, |df| {
        let dates = df.column("issue_date").ok()?.date().ok()?;
        (dates.null_count() == 0).then(|| {
            dates
                .physical()
                .into_no_null_iter()
                .map(|d| (first..=last).contains(&d))
                .collect()
        })
    })?;
    let ids: HashSet<&str> = invoices.iter().map(|i| i.invoice_id.as_str()).collect();
    let of_kept_invoices = |df: &DataFrame| {
        let column = df.column("invoice_id").ok()?.str().ok()?;
        (column.null_count() == 0).then(|| {
            column
                .iter()
                .map(|id| id.is_some_and(|id| ids.contains(id)))
                .collect()
        })
    };
    let invoice_lines = read_kept(dir, of_kept_invoices)?;
    let postings = read_kept(dir, of_kept_invoices)?;
    Ok(Dataset {
        invoices,
        invoice_lines,
        postings,
        accounts: read_one(dir)?,
        creditors: read_one(dir)?,
        units: read_one(dir)?,
    })
}

/// The rows of table `T` in `dir` that `keep`'s mask marks, or every row when it gives none (a
/// column it needs is missing, mistyped or has empty values). Kept rows with a bad value: the
/// whole table is read, so the error names the file's row.
fn read_kept<T: Table>(
    dir: &Path,
    keep: impl Fn(&DataFrame) -> Option<BooleanChunked>,
) -> Result<Vec<T>, DataError> {
    let path = table_file::<T>(dir)?;
    let df = read_frame::<T>(&path, Format::from_path(&path)?)?;
    let Some(mask) = keep(&df) else {
        return T::from_frame(&df);
    };
    let kept = df.filter(&mask).map_err(|source| DataError::Frame {
        table: T::NAME,
        source,
    })?;
    drop(df);
    T::from_frame(&kept).map_err(|kept_error| read_table::<T>(&path).err().unwrap_or(kept_error))
}
