//! Builders for typed polars columns from row values, one vector per column (no `AnyValue`).

use chrono::NaiveDate;
use polars::prelude::{
    BooleanChunked, Column, Int32Chunked, Int128Chunked, IntoColumn, NewChunkedArray,
    StringChunked, UInt32Chunked,
};
use rust_decimal::Decimal;

use crate::error::DataError;
use crate::spec::DECIMAL_PRECISION;
use crate::values::{date_to_days, decimal_to_units};

/// A `String` column.
pub fn text<'a>(name: &str, values: impl Iterator<Item = &'a str>) -> Column {
    StringChunked::from_iter_values(name.into(), values).into_column()
}

/// A nullable `String` column.
pub fn opt_text<'a>(name: &str, values: impl Iterator<Item = Option<&'a str>>) -> Column {
    StringChunked::from_iter_options(name.into(), values).into_column()
}

/// A `UInt32` column.
pub fn count(name: &str, values: impl Iterator<Item = u32>) -> Column {
    UInt32Chunked::from_iter_values(name.into(), values).into_column()
}

/// A nullable `UInt32` column.
pub fn opt_count(name: &str, values: impl Iterator<Item = Option<u32>>) -> Column {
    UInt32Chunked::from_iter_options(name.into(), values).into_column()
}

/// A `Boolean` column.
pub fn flag(name: &str, values: impl Iterator<Item = bool>) -> Column {
    BooleanChunked::from_iter_values(name.into(), values).into_column()
}

/// A nullable `Boolean` column.
pub fn opt_flag(name: &str, values: impl Iterator<Item = Option<bool>>) -> Column {
    BooleanChunked::from_iter_options(name.into(), values).into_column()
}

/// A `Date` column.
pub fn date(name: &str, values: impl Iterator<Item = NaiveDate>) -> Column {
    Int32Chunked::from_iter_values(name.into(), values.map(date_to_days))
        .into_date()
        .into_column()
}

/// A nullable `Date` column.
pub fn opt_date(name: &str, values: impl Iterator<Item = Option<NaiveDate>>) -> Column {
    Int32Chunked::from_iter_options(name.into(), values.map(|d| d.map(date_to_days)))
        .into_date()
        .into_column()
}

/// A `Decimal(38, scale)` column; every value is rescaled exactly or the row is reported.
pub fn decimal<'a>(
    table: &'static str,
    name: &'static str,
    scale: u32,
    values: impl Iterator<Item = &'a Decimal>,
) -> Result<Column, DataError> {
    let units = values
        .enumerate()
        .map(|(i, value)| units(table, name, scale, i, value))
        .collect::<Result<Vec<i128>, DataError>>()?;
    Ok(Int128Chunked::from_vec(name.into(), units)
        .into_decimal_unchecked(DECIMAL_PRECISION, scale as usize)
        .into_column())
}

/// A nullable `Decimal(38, scale)` column, rescaled exactly like [`decimal`].
pub fn opt_decimal<'a>(
    table: &'static str,
    name: &'static str,
    scale: u32,
    values: impl Iterator<Item = Option<&'a Decimal>>,
) -> Result<Column, DataError> {
    let units = values
        .enumerate()
        .map(|(i, value)| value.map(|v| units(table, name, scale, i, v)).transpose())
        .collect::<Result<Vec<Option<i128>>, DataError>>()?;
    Ok(
        Int128Chunked::from_iter_options(name.into(), units.into_iter())
            .into_decimal_unchecked(DECIMAL_PRECISION, scale as usize)
            .into_column(),
    )
}

/// `value` in units of `10^-scale`, or a precision error for row `index + 1`.
fn units(
    table: &'static str,
    name: &'static str,
    scale: u32,
    index: usize,
    value: &Decimal,
) -> Result<i128, DataError> {
    decimal_to_units(*value, scale).ok_or_else(|| DataError::Precision {
        table,
        column: name,
        row: index + 1,
        value: value.to_string(),
        scale,
    })
}
