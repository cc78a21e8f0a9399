//! Kontera's training side: turns the contract tables into labelled examples and fits models.
//!
//! [`labelled_lines`] joins invoices, lines and postings into one [`LabelledLine`] per posted
//! line, with its coding mapped onto the current chart of accounts, and reports in an
//! [`IngestReport`] what it mapped, resolved and dropped.

pub mod baseline;
pub mod compare;
mod contract_example;
pub mod directory;
pub mod evaluate;
pub mod example;
pub mod export_example;
pub mod fit;
pub mod labelled;
pub mod report;
pub mod rolling;
pub mod threshold;

pub use labelled::{
    IngestError, IngestOptions, IngestReport, Label, Labelled, LabelledLine, labelled_lines,
};
