//! Reading and writing one table as Parquet.

use std::fs::File;
use std::path::Path;

use polars::prelude::{DataFrame, ParquetCompression, ParquetReader, ParquetWriter, SerReader};

use crate::error::DataError;
use crate::io::{io_error, polars_error, write_file};

const FORMAT: &str = "Parquet";

/// Writes `df` to `path` as zstd-compressed Parquet.
pub fn write(df: &mut DataFrame, path: &Path) -> Result<(), DataError> {
    write_file(path, FORMAT, |out| {
        ParquetWriter::new(out)
            .with_compression(ParquetCompression::Zstd(None))
            .finish(df)
            .map(drop)
    })
}

/// Reads the Parquet file at `path` with the types stored in it.
pub fn read(path: &Path) -> Result<DataFrame, DataError> {
    let file = File::open(path).map_err(io_error("open", path))?;
    ParquetReader::new(file)
        .finish()
        .map_err(|source| polars_error(FORMAT, "read", path, source))
}
