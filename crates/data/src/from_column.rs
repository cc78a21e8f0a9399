//! [`FrameReader`]: checks a frame against a table's columns and extracts typed value vectors.

use chrono::NaiveDate;
use polars::prelude::{Column, DataFrame};
use rust_decimal::Decimal;

use crate::error::DataError;
use crate::spec::ColumnSpec;
use crate::values::{days_to_date, units_to_decimal};

/// A frame whose columns have been checked against a table's specification: every contract
/// column is present with the right type and there are no others. Column order does not matter.
#[derive(Debug)]
pub struct FrameReader<'a> {
    table: &'static str,
    df: &'a DataFrame,
}

impl<'a> FrameReader<'a> {
    /// Checks `df` against `columns`: missing columns, unknown columns, then types.
    pub fn new(
        table: &'static str,
        columns: &'static [ColumnSpec],
        df: &'a DataFrame,
    ) -> Result<Self, DataError> {
        check_names(table, columns, df)?;
        for spec in columns {
            let dtype = df.column(spec.name).map(Column::dtype);
            if let Ok(dtype) = dtype
                && !spec.kind.accepts(dtype)
            {
                return Err(DataError::WrongType {
                    table,
                    column: spec.name,
                    expected: spec.kind.describe(),
                    found: dtype.to_string(),
                });
            }
        }
        Ok(Self { table, df })
    }

    /// The number of rows.
    pub fn height(&self) -> usize {
        self.df.height()
    }

    /// A required `String` column.
    pub fn text(&self, name: &'static str) -> Result<Vec<String>, DataError> {
        self.required(name, self.opt_text(name)?)
    }

    /// A nullable `String` column.
    pub fn opt_text(&self, name: &'static str) -> Result<Vec<Option<String>>, DataError> {
        let ca = self.column(name).str().map_err(|e| self.frame_error(e))?;
        Ok(ca.iter().map(|v| v.map(str::to_owned)).collect())
    }

    /// A required `UInt32` column.
    pub fn count(&self, name: &'static str) -> Result<Vec<u32>, DataError> {
        self.required(name, self.opt_count(name)?)
    }

    /// A nullable `UInt32` column.
    pub fn opt_count(&self, name: &'static str) -> Result<Vec<Option<u32>>, DataError> {
        let ca = self.column(name).u32().map_err(|e| self.frame_error(e))?;
        Ok(ca.iter().collect())
    }

    /// A required `Boolean` column.
    pub fn flag(&self, name: &'static str) -> Result<Vec<bool>, DataError> {
        let ca = self.column(name).bool().map_err(|e| self.frame_error(e))?;
        self.required(name, ca.iter().collect())
    }

    /// A required `Date` column.
    pub fn date(&self, name: &'static str) -> Result<Vec<NaiveDate>, DataError> {
        self.required(name, self.opt_date(name)?)
    }

    /// A nullable `Date` column.
    pub fn opt_date(&self, name: &'static str) -> Result<Vec<Option<NaiveDate>>, DataError> {
        let ca = self.column(name).date().map_err(|e| self.frame_error(e))?;
        ca.physical()
            .iter()
            .enumerate()
            .map(|(i, days)| match days {
                None => Ok(None),
                Some(days) => days_to_date(days)
                    .map(Some)
                    .ok_or_else(|| DataError::Unparsable {
                        table: self.table,
                        column: name,
                        row: i + 1,
                        value: format!("{days} days after 1970-01-01"),
                        expected: "a date chrono can represent",
                        example: "2024-12-31",
                    }),
            })
            .collect()
    }

    /// A required decimal column at the contract's scale (checked in [`FrameReader::new`]).
    pub fn decimal(&self, name: &'static str) -> Result<Vec<Decimal>, DataError> {
        let ca = self
            .column(name)
            .decimal()
            .map_err(|e| self.frame_error(e))?;
        let scale = ca.scale() as u32;
        let values =
            ca.physical()
                .iter()
                .enumerate()
                .map(|(i, units)| match units {
                    None => Ok(None),
                    Some(units) => units_to_decimal(units, scale).map(Some).ok_or_else(|| {
                        DataError::Precision {
                            table: self.table,
                            column: name,
                            row: i + 1,
                            value: format!("{units}e-{scale}"),
                            scale,
                        }
                    }),
                })
                .collect::<Result<Vec<_>, _>>()?;
        self.required(name, values)
    }

    fn column(&self, name: &'static str) -> &'a Column {
        // Presence was checked in `new`, and callers only pass contract column names.
        self.df
            .column(name)
            .unwrap_or_else(|_| panic!("column `{name}` is not in the `{}` spec", self.table))
    }

    fn required<T>(&self, name: &'static str, values: Vec<Option<T>>) -> Result<Vec<T>, DataError> {
        values
            .into_iter()
            .enumerate()
            .map(|(i, v)| {
                v.ok_or(DataError::Null {
                    table: self.table,
                    column: name,
                    row: i + 1,
                })
            })
            .collect()
    }

    fn frame_error(&self, source: polars::error::PolarsError) -> DataError {
        DataError::Frame {
            table: self.table,
            source,
        }
    }
}

/// Checks that `df` has every column of `columns` and no others (in any order).
pub fn check_names(
    table: &'static str,
    columns: &'static [ColumnSpec],
    df: &DataFrame,
) -> Result<(), DataError> {
    if let Some(missing) = columns.iter().find(|c| df.column(c.name).is_err()) {
        return Err(DataError::MissingColumn {
            table,
            column: missing.name,
        });
    }
    let unknown: Vec<String> = df
        .get_column_names()
        .into_iter()
        .filter(|name| !columns.iter().any(|c| c.name == name.as_str()))
        .map(|name| name.to_string())
        .collect();
    if !unknown.is_empty() {
        return Err(DataError::UnknownColumns {
            table,
            columns: unknown,
        });
    }
    Ok(())
}
