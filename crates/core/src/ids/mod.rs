//! Identifiers found on invoices: CVR numbers, GLN/EAN location numbers, and CPR detection.

pub mod cpr;
mod cvr;
mod digits;
mod error;
mod gln;

pub use cvr::Cvr;
pub use error::{IdError, IdKind};
pub use gln::Gln;
