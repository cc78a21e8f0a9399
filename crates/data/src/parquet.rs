//! Reading and writing one table as Parquet.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;

use polars::prelude::{DataFrame, ParquetCompression, ParquetReader, ParquetWriter, SerReader};

use crate::error::DataError;

/// Writes `df` to `path` as zstd-compressed Parquet.
pub fn write(df: &mut DataFrame, path: &Path) -> Result<(), DataError> {
    let file = File::create(path).map_err(|source| DataError::Io {
        action: "create",
        path: path.to_path_buf(),
        source,
    })?;
    let mut out = BufWriter::new(file);
    ParquetWriter::new(&mut out)
        .with_compression(ParquetCompression::Zstd(None))
        .finish(df)
        .map(drop)
        .map_err(|source| polars_error("write", path, source))?;
    out.flush().map_err(|source| DataError::Io {
        action: "write",
        path: path.to_path_buf(),
        source,
    })
}

/// Reads the Parquet file at `path` with the types stored in it.
pub fn read(path: &Path) -> Result<DataFrame, DataError> {
    let file = File::open(path).map_err(|source| DataError::Io {
        action: "open",
        path: path.to_path_buf(),
        source,
    })?;
    ParquetReader::new(file)
        .finish()
        .map_err(|source| polars_error("read", path, source))
}

fn polars_error(
    action: &'static str,
    path: &Path,
    source: polars::error::PolarsError,
) -> DataError {
    DataError::Polars {
        action,
        path: path.to_path_buf(),
        format: "Parquet",
        source,
    }
}
