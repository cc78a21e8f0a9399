//! Reading and writing one table to one file, in the format its extension names.

use std::path::Path;

use polars::prelude::DataFrame;

use crate::error::DataError;
use crate::format::Format;
use crate::table::Table;
use crate::{csv, parquet};

/// Writes `rows` to `path` (`.csv` or `.parquet`), replacing the file if it exists.
pub fn write_table<T: Table>(rows: &[T], path: &Path) -> Result<(), DataError> {
    let format = Format::from_path(path)?;
    let mut df = T::to_frame(rows)?;
    write_frame(&mut df, path, format)
}

/// Reads the rows of table `T` from `path` (`.csv` or `.parquet`).
pub fn read_table<T: Table>(path: &Path) -> Result<Vec<T>, DataError> {
    let format = Format::from_path(path)?;
    T::from_frame(&read_frame::<T>(path, format)?)
}

/// Writes a frame (normally from [`Table::to_frame`]) to `path` in `format`.
pub fn write_frame(df: &mut DataFrame, path: &Path, format: Format) -> Result<(), DataError> {
    match format {
        Format::Csv => csv::write(df, path),
        Format::Parquet => parquet::write(df, path),
    }
}

/// Reads `path` in `format` as a frame with table `T`'s types (CSV text is parsed; Parquet
/// columns are checked when the frame is turned into rows).
pub fn read_frame<T: Table>(path: &Path, format: Format) -> Result<DataFrame, DataError> {
    match format {
        Format::Csv => csv::read(T::NAME, T::COLUMNS, path),
        Format::Parquet => parquet::read(path),
    }
}
