//! Reading and writing one table as CSV (comma, `\n`, quotes only where needed, empty = null).

use std::path::Path;

use polars::prelude::{CsvReadOptions, CsvWriter, DataFrame, QuoteStyle, SerReader, SerWriter};

use crate::error::DataError;
use crate::io::{polars_error, write_file};
use crate::spec::ColumnSpec;
use crate::text::parse_text_frame;

const FORMAT: &str = "CSV";

/// Writes `df` to `path` as CSV.
pub fn write(df: &mut DataFrame, path: &Path) -> Result<(), DataError> {
    write_file(path, FORMAT, |out| {
        CsvWriter::new(out)
            .include_header(true)
            .include_bom(false)
            .with_separator(b',')
            .with_quote_char(b'"')
            .with_quote_style(QuoteStyle::Necessary)
            .with_line_terminator("\n".into())
            .with_null_value("".into())
            .with_date_format(Some("%Y-%m-%d".into()))
            .finish(df)
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
        .map_err(|source| polars_error(FORMAT, "read", path, source))?;
    parse_text_frame(table, columns, &text)
}
