//! Kontera's data contract and its file formats: the six canonical tables as CSV and Parquet.
//!
//! The contract (columns, types, meaning, CSV dialect) is documented in `data/README.md`.
//! Each row type implements [`Table`], which converts rows to and from a polars `DataFrame`
//! with a fixed schema; [`write_dataset`] and [`read_dataset`] move a whole [`Dataset`] to and
//! from a directory with one file per table.

pub mod contract;

mod chart;
mod csv;
mod dataset;
mod error;
mod export;
mod files;
mod format;
mod from_column;
mod io;
mod parquet;
mod spec;
mod table;
mod tables;
mod text;
mod to_column;
mod values;

pub use chart::chart_from_rows;
pub use contract::{
    AccountRow, CreditorRow, Dataset, InvoiceLineRow, InvoiceRow, PostingRow, UnitRow,
};
pub use dataset::{TABLE_NAMES, read_dataset, read_dataset_issued, table_file, write_dataset};
pub use error::DataError;
pub use export::{
    AmountFormat, DateFormats, Export, ExportError, ExportMapping, ExportReport, ExportRow, Field,
    FileReport, MAX_EXAMPLES, MappingError, normalise_header, read_export, read_export_bytes,
};
pub use files::{read_frame, read_table, write_frame, write_table};
pub use format::Format;
pub use spec::{ColumnSpec, DECIMAL_PRECISION, Kind, MONEY_SCALE, QUANTITY_SCALE, schema};
pub use table::Table;
