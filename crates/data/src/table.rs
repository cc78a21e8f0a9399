//! The [`Table`] trait: a row type that converts to and from a polars `DataFrame`.

use polars::prelude::{Column, DataFrame};

use crate::error::DataError;
use crate::spec::ColumnSpec;

/// One of the six canonical tables, implemented by its row type.
///
/// `to_frame` builds the columns in [`Table::COLUMNS`] order with exactly those types;
/// `from_frame` requires exactly those columns (in any order) and reports the first bad value.
pub trait Table: Sized {
    /// The table name, also the file stem: `invoices` is stored as `invoices.csv`.
    const NAME: &'static str;
    /// The columns: names are the row struct's field names, in field order.
    const COLUMNS: &'static [ColumnSpec];

    /// The rows as a frame with the contract's schema.
    fn to_frame(rows: &[Self]) -> Result<DataFrame, DataError>;

    /// The rows of a frame with the contract's schema.
    fn from_frame(df: &DataFrame) -> Result<Vec<Self>, DataError>;
}

/// Assembles a table's columns into a frame of `height` rows.
pub(crate) fn assemble(
    table: &'static str,
    height: usize,
    columns: Vec<Column>,
) -> Result<DataFrame, DataError> {
    DataFrame::new(height, columns).map_err(|source| DataError::Frame { table, source })
}
