//! Kontera's data contract and its file formats: the six canonical tables as CSV and Parquet.

pub mod contract;

pub use contract::{
    AccountRow, CreditorRow, Dataset, InvoiceLineRow, InvoiceRow, PostingRow, UnitRow,
};
