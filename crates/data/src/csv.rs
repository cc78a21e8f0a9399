//! Reading and writing one table as CSV (comma, `\n`, quotes only where needed, empty = null).

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;

use polars::prelude::{CsvReadOptions, CsvWriter, DataFrame, QuoteStyle, SerReader, SerWriter};

use crate::error::DataError;
use crate::spec::ColumnSpec;
use crate::text::parse_text_frame;

/// Writes `df` to `path` as CSV.
pub fn write(df: &mut DataFrame, path: &Path) -> Result<(), DataError> {
    let file = File::create(path).map_err(|source| DataError::Io {
        action: "create",
        path: path.to_path_buf(),
        source,
    })?;
    let mut out = BufWriter::new(file);
    CsvWriter::new(&mut out)
        .include_header(true)
        .include_bom(false)
        .with_separator(b',')
        .with_quote_char(b'"')
        .with_quote_style(QuoteStyle::Necessary)
        .with_line_terminator("\n".into())
        .with_null_value("".into())
        .with_date_format(Some("%Y-%m-%d".into()))
        .finish(df)
        .map_err(|source| polars_error("write", path, source))?;
    out.flush().map_err(|source| DataError::Io {
        action: "write",
        path: path.to_path_buf(),
        source,
    })
}

/// Reads the CSV file at `path` as `table`: every column as text, then parsed into the
/// contract's types so that errors can name the row and the value.
pub fn read(
    table: &'static str,
    columns: &'static [ColumnSpec],
    path: &Path,
) -> Result<DataFrame, DataError> {
    let text = CsvReadOptions::default()
        .with_has_header(true)
        .with_infer_schema_length(Some(0))
        .with_raise_if_empty(true)
        .try_into_reader_with_file_path(Some(path.to_path_buf()))
        .and_then(|reader| reader.finish())
        .map_err(|source| polars_error("read", path, source))?;
    parse_text_frame(table, columns, &text)
}

fn polars_error(
    action: &'static str,
    path: &Path,
    source: polars::error::PolarsError,
) -> DataError {
    DataError::Polars {
        action,
        path: path.to_path_buf(),
        format: "CSV",
        source,
    }
}
