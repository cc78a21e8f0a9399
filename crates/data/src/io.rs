//! File plumbing shared by the CSV and Parquet readers and writers: errors that name the file,
//! and writing through a buffer that is flushed before the file counts as written.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;

use polars::error::{PolarsError, PolarsResult};

use crate::error::DataError;

/// Maps an I/O error on `path` to a [`DataError`] saying what was being done.
pub(crate) fn io_error(
    action: &'static str,
    path: &Path,
) -> impl FnOnce(std::io::Error) -> DataError {
    move |source| DataError::Io {
        action,
        path: path.to_path_buf(),
        source,
    }
}

/// A polars error while reading or writing `path` in `format`.
pub(crate) fn polars_error(
    format: &'static str,
    action: &'static str,
    path: &Path,
    source: PolarsError,
) -> DataError {
    DataError::Polars {
        action,
        path: path.to_path_buf(),
        format,
        source,
    }
}

/// Creates `path`, lets `write` fill it through a buffer, and flushes it.
pub(crate) fn write_file(
    path: &Path,
    format: &'static str,
    write: impl FnOnce(&mut BufWriter<File>) -> PolarsResult<()>,
) -> Result<(), DataError> {
    let file = File::create(path).map_err(io_error("create", path))?;
    let mut out = BufWriter::new(file);
    write(&mut out).map_err(|source| polars_error(format, "write", path, source))?;
    out.flush().map_err(io_error("write", path))
}
