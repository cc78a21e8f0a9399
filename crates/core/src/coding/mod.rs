//! Coding fields: the account, cost centre, VAT code and project a line is coded to.

mod assignment;
mod code;
mod codes;
mod error;

pub use assignment::Coding;
pub use code::MAX_CODE_LEN;
pub use codes::{AccountId, CostCentre, ProjectId, VatCode};
pub use error::{CodeError, CodeErrorReason};
