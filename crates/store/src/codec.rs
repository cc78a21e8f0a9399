//! Stored spellings: decimals and dates as text, booleans as 0/1, reason codes one per line —
//! and reading them back, with [`StoreError::Corrupt`] naming the row when a value is bad.

use std::str::FromStr;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::{Outcome, StoreError};

/// Separates reason codes in the `reasons` column.
const REASON_SEPARATOR: char = '\n';

/// A column of one row, for reading typed values with errors that name the row.
pub(crate) struct Cell<'r> {
    pub(crate) row: &'r AnyRow,
    pub(crate) table: &'static str,
    /// Names the row in errors, e.g. `decision "d-1"`.
    pub(crate) id: &'r dyn Fn() -> String,
}

/// Reads a row of `decisions` through a [`Cell`] that names the decision in errors.
pub(crate) fn decision_row<T>(
    row: &AnyRow,
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
        T: sqlx::Decode<'a, sqlx::Any> + sqlx::Type<sqlx::Any>,
    {
        self.row
            .try_get(column)
            .map_err(|e| self.corrupt(column, e.to_string(), "of the expected type"))
    }

    /// A response body: text as stored on PostgreSQL (and on SQLite before compression), or
    /// the compressed bytes SQLite stores now (`response.rs`).
    pub(crate) fn response(&self, column: &'static str) -> Result<String, StoreError> {
        if let Ok(text) = self.row.try_get::<String, _>(column) {
            return Ok(text);
        }
        let bytes: Vec<u8> = self.get(column)?;
        crate::response::unpack(&bytes)
            .map_err(|expected| self.corrupt(column, format!("{} bytes", bytes.len()), expected))
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

/// `count` numbered placeholders from `$first`, comma-separated: `$3, $4, $5`.
pub(crate) fn placeholders(first: usize, count: usize) -> String {
    let mut sql = String::new();
    for n in first..first + count {
        if n > first {
            sql.push_str(", ");
        }
        sql.push('$');
        sql.push_str(&n.to_string());
    }
    sql
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

/// An optional float to bind, spelled so that both engines get a `DOUBLE PRECISION` NULL.
///
/// sqlx 0.9's `Any` driver hands PostgreSQL a NULL `f64` as a `float4` parameter (its mapping of
/// NULL reals and doubles is swapped), so a statement first prepared with a NULL there fails on a
/// later value ("incorrect binary data format"). A NULL `f32` maps to `float8`: this binds that.
pub(crate) struct Real(pub(crate) Option<f64>);

impl sqlx::Type<sqlx::Any> for Real {
    fn type_info() -> sqlx::any::AnyTypeInfo {
        <f64 as sqlx::Type<sqlx::Any>>::type_info()
    }
}

impl sqlx::Encode<'_, sqlx::Any> for Real {
    fn encode_by_ref(
        &self,
        buf: &mut <sqlx::Any as sqlx::Database>::ArgumentBuffer,
    ) -> Result<sqlx::encode::IsNull, sqlx::error::BoxDynError> {
        match self.0 {
            Some(value) => <f64 as sqlx::Encode<sqlx::Any>>::encode_by_ref(&value, buf),
            None => <Option<f32> as sqlx::Encode<sqlx::Any>>::encode_by_ref(&None, buf),
        }
    }
}
