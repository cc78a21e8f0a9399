//! Stored spellings: decimals and dates as text, booleans as 0/1, reason codes one per line —
//! and reading them back, with [`StoreError::Corrupt`] naming the row when a value is bad.

use std::str::FromStr;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use sqlx::Row;
use sqlx::sqlite::SqliteRow;

use crate::{Outcome, StoreError};

/// Separates reason codes in the `reasons` column.
const REASON_SEPARATOR: char = '\n';

/// A column of one row, for reading typed values with errors that name the row.
pub(crate) struct Cell<'r> {
    pub(crate) row: &'r SqliteRow,
    pub(crate) table: &'static str,
    /// Names the row in errors, e.g. `decision "d-1"`.
    pub(crate) id: &'r dyn Fn() -> String,
}

/// Reads a row of `decisions` through a [`Cell`] that names the decision in errors.
pub(crate) fn decision_row<T>(
    row: &SqliteRow,
    read: impl FnOnce(&Cell<'_>) -> Result<T, StoreError>,
) -> Result<T, StoreError> {
    let raw_id: String = Row::try_get(row, "decision_id").unwrap_or_default();
    let id = || format!("decision {raw_id:?}");
    read(&Cell {
        row,
        table: "decisions",
        id: &id,
    })
}

impl Cell<'_> {
    /// A text or integer column, as sqlx decodes it.
    pub(crate) fn get<'a, T>(&'a self, column: &'static str) -> Result<T, StoreError>
    where
        T: sqlx::Decode<'a, sqlx::Sqlite> + sqlx::Type<sqlx::Sqlite>,
    {
        self.row
            .try_get(column)
            .map_err(|e| self.corrupt(column, e.to_string(), "of the expected type"))
    }

    /// A decimal stored as text.
    pub(crate) fn decimal(&self, column: &'static str) -> Result<Decimal, StoreError> {
        let text: String = self.get(column)?;
        Decimal::from_str(&text).map_err(|_| self.corrupt(column, text, "a decimal number"))
    }

    /// A date stored as YYYY-MM-DD.
    pub(crate) fn date(&self, column: &'static str) -> Result<NaiveDate, StoreError> {
        let text: String = self.get(column)?;
        NaiveDate::from_str(&text).map_err(|_| self.corrupt(column, text, "a date YYYY-MM-DD"))
    }

    /// A boolean stored as 0 or 1.
    pub(crate) fn flag(&self, column: &'static str) -> Result<bool, StoreError> {
        match self.get::<i64>(column)? {
            0 => Ok(false),
            1 => Ok(true),
            other => Err(self.corrupt(column, other.to_string(), "0 or 1")),
        }
    }

    /// An outcome stored as "auto" or "review".
    pub(crate) fn outcome(&self, column: &'static str) -> Result<Outcome, StoreError> {
        let text: String = self.get(column)?;
        Outcome::parse(&text).ok_or_else(|| self.corrupt(column, text, "auto or review"))
    }

    pub(crate) fn corrupt(
        &self,
        column: &'static str,
        value: String,
        expected: &'static str,
    ) -> StoreError {
        StoreError::Corrupt {
            table: self.table,
            column,
            row: (self.id)(),
            value,
            expected,
        }
    }
}

/// A boolean's stored value.
pub(crate) fn flag(b: bool) -> i64 {
    i64::from(b)
}

/// A date's stored value, YYYY-MM-DD (sorts as text).
pub(crate) fn date(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

/// An amount's normalised form for equality matching: 100.50 and 100.5 give the same text.
pub(crate) fn amount_key(d: Decimal) -> String {
    d.normalize().to_string()
}

/// Reason codes joined for storage.
pub(crate) fn join_reasons(reasons: &[String]) -> String {
    let mut out = String::with_capacity(reasons.iter().map(|r| r.len() + 1).sum());
    for (i, r) in reasons.iter().enumerate() {
        if i > 0 {
            out.push(REASON_SEPARATOR);
        }
        out.push_str(r);
    }
    out
}

/// Reason codes split back.
pub(crate) fn split_reasons(stored: &str) -> Vec<String> {
    if stored.is_empty() {
        return Vec::new();
    }
    stored.split(REASON_SEPARATOR).map(str::to_owned).collect()
}
