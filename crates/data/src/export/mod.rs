//! Real single-table ledger exports ("one row per invoice or payment") read through a TOML
//! mapping file into [`ExportRow`]s, for training on real data.
//!
//! A mapping ([`ExportMapping`]) names the files, the delimiter, the header aliases of each
//! field and how dates and amounts are written; [`read_export`] reads every matching file
//! ([`read_export_bytes`] one file held in memory) and counts what it could not use in an
//! [`ExportReport`]. The format is documented in
//! `data/README.md`, "Real single-table exports".

mod amount;
mod csv_text;
mod date;
mod decode;
mod error;
mod field;
mod glob;
mod headers;
mod mapping;
mod raw;
mod read;
mod report;
mod split;

pub use amount::AmountFormat;
pub use date::DateFormats;
pub use error::{ExportError, MappingError};
pub use field::Field;
pub use headers::normalise_header;
pub use mapping::ExportMapping;
pub use read::{Export, ExportRow, read_export, read_export_bytes};
pub use report::{ExportReport, FileReport, MAX_EXAMPLES};
