//! Parsing a frame of text columns (as read from CSV) into the contract's typed columns.

use polars::prelude::{Column, DataFrame, IntoColumn, StringChunked};

use crate::error::DataError;
use crate::from_column::check_names;
use crate::spec::{ColumnSpec, Kind};
use crate::table::assemble;
use crate::to_column as col;
use crate::values::{parse_count, parse_date, parse_decimal, parse_flag};

/// Converts `df`, whose columns are all `String`, into a frame with the contract's types,
/// in contract column order. An empty field is a null; text columns are kept as they are.
pub fn parse_text_frame(
    table: &'static str,
    columns: &'static [ColumnSpec],
    df: &DataFrame,
) -> Result<DataFrame, DataError> {
    check_names(table, columns, df)?;
    let parsed = columns
        .iter()
        .map(|spec| {
            let column = df
                .column(spec.name)
                .map_err(|source| DataError::Frame { table, source })?;
            let text = column
                .str()
                .map_err(|source| DataError::Frame { table, source })?;
            parse_column(table, spec, text)
        })
        .collect::<Result<Vec<Column>, DataError>>()?;
    assemble(table, df.height(), parsed)
}

fn parse_column(
    table: &'static str,
    spec: &ColumnSpec,
    text: &StringChunked,
) -> Result<Column, DataError> {
    let name = spec.name;
    // Nulls and empty strings are both "no value" in a non-text column.
    let values = || text.iter().map(|v| v.filter(|s| !s.is_empty()));
    let unparsable = |row: usize, value: &str, expected, example| DataError::Unparsable {
        table,
        column: name,
        row,
        value: value.to_owned(),
        expected,
        example,
    };
    Ok(match spec.kind {
        Kind::Text => text.clone().into_column(),
        Kind::Count => {
            let parsed = parse_all(values(), |row, s| {
                parse_count(s).ok_or_else(|| unparsable(row, s, "a non-negative integer", "3"))
            })?;
            col::opt_count(name, parsed.into_iter())
        }
        Kind::Flag => {
            let parsed = parse_all(values(), |row, s| {
                parse_flag(s).ok_or_else(|| unparsable(row, s, "`true` or `false`", "false"))
            })?;
            col::opt_flag(name, parsed.into_iter())
        }
        Kind::Date => {
            let parsed = parse_all(values(), |row, s| {
                parse_date(s).ok_or_else(|| unparsable(row, s, "an ISO date", "2024-12-31"))
            })?;
            col::opt_date(name, parsed.into_iter())
        }
        Kind::Decimal(scale) => {
            let example = if scale == 2 { "-1234.50" } else { "2.5000" };
            let parsed = parse_all(values(), |row, s| {
                parse_decimal(s)
                    .ok_or_else(|| unparsable(row, s, "a decimal number with `.`", example))
            })?;
            col::opt_decimal(table, name, scale, parsed.iter().map(Option::as_ref))?
        }
    })
}

/// Parses every present value, numbering rows from 1.
fn parse_all<'a, T>(
    values: impl Iterator<Item = Option<&'a str>>,
    mut parse: impl FnMut(usize, &'a str) -> Result<T, DataError>,
) -> Result<Vec<Option<T>>, DataError> {
    values
        .enumerate()
        .map(|(i, v)| v.map(|s| parse(i + 1, s)).transpose())
        .collect()
}
