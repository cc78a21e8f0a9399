//! Column specifications: the fixed schema of every table (name, type, nullability).

use polars::prelude::{DataType, Field, Schema};

/// Scale (digits after the point) of money columns: amounts, totals and VAT rates.
pub const MONEY_SCALE: u32 = 2;
/// Scale of quantities and unit prices, which often need more than two decimals.
pub const QUANTITY_SCALE: u32 = 4;
/// Precision of every decimal column: polars' maximum, so precision never limits a value that
/// `rust_decimal` can hold at the column's scale.
pub const DECIMAL_PRECISION: usize = 38;

/// The logical type of a column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// UTF-8 text (polars `String`).
    Text,
    /// Unsigned 32-bit integer (`UInt32`).
    Count,
    /// `true` / `false` (`Boolean`).
    Flag,
    /// Calendar date (`Date`), ISO `YYYY-MM-DD` in CSV.
    Date,
    /// Exact decimal with a fixed number of decimals (`Decimal(38, scale)`).
    Decimal(u32),
}

impl Kind {
    /// The polars type this kind is stored as.
    pub fn dtype(self) -> DataType {
        match self {
            Kind::Text => DataType::String,
            Kind::Count => DataType::UInt32,
            Kind::Flag => DataType::Boolean,
            Kind::Date => DataType::Date,
            Kind::Decimal(scale) => DataType::Decimal(DECIMAL_PRECISION, scale as usize),
        }
    }

    /// Whether a column of type `dtype` holds this kind. Decimals may have any precision but
    /// must have exactly the contract's scale.
    pub fn accepts(self, dtype: &DataType) -> bool {
        match (self, dtype) {
            (Kind::Decimal(scale), DataType::Decimal(_, s)) => *s == scale as usize,
            _ => *dtype == self.dtype(),
        }
    }

    /// A human description for error messages, e.g. `decimal with 2 decimals`.
    pub fn describe(self) -> String {
        match self {
            Kind::Text => "text (String)".into(),
            Kind::Count => "a non-negative integer (UInt32)".into(),
            Kind::Flag => "a boolean (Boolean)".into(),
            Kind::Date => "a date (Date)".into(),
            Kind::Decimal(scale) => {
                format!("a decimal with {scale} decimals (Decimal(38, {scale}))")
            }
        }
    }
}

/// One column of a table: its name (= the row struct's field name), kind and nullability.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ColumnSpec {
    pub name: &'static str,
    pub kind: Kind,
    pub nullable: bool,
}

/// A required column.
pub const fn req(name: &'static str, kind: Kind) -> ColumnSpec {
    ColumnSpec {
        name,
        kind,
        nullable: false,
    }
}

/// A nullable column.
pub const fn opt(name: &'static str, kind: Kind) -> ColumnSpec {
    ColumnSpec {
        name,
        kind,
        nullable: true,
    }
}

/// The polars schema of a table, in column order.
pub fn schema(columns: &[ColumnSpec]) -> Schema {
    columns
        .iter()
        .map(|c| Field::new(c.name.into(), c.kind.dtype()))
        .collect()
}
