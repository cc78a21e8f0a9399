//! Invoice intake: turns what an ERP sends (a JSON invoice, or the UBL 2.1 e-invoice itself)
//! into the engine's [`kontera_core::Invoice`], with errors that name the field and the fix.
//!
//! Three entry points, one result type:
//!
//! - [`from_json`] reads one invoice in Kontera's JSON format (see [`json`] and `README.md`);
//! - [`batch_from_json`] reads `{"invoices": [...]}`; an error names the index
//!   (`invoices[3].lines[0].net_amount: ...`);
//! - [`from_ubl`] reads a UBL 2.1 `Invoice` or `CreditNote` (OIOUBL 2.x, Peppol BIS Billing 3).
//!
//! Every error is bad input (a 4xx for the service): [`IntakeError::code`] is a stable code and
//! [`IntakeError::field`] the field it concerns. No message contains a CPR number: values echoed
//! from the input are masked with [`kontera_core::cpr::mask`] and truncated.

mod date;
mod echo;
mod error;
mod ident;
mod invoice_id;
pub mod json;
mod limits;
mod number;
mod received;
mod ubl;
mod vat;

pub use error::IntakeError;
pub use limits::{
    MAX_BATCH, MAX_DECIMALS_AMOUNT, MAX_DECIMALS_MEASURE, MAX_DESCRIPTION, MAX_LINES, MAX_MAGNITUDE,
};
pub use received::{Buyer, Format, Received, Supplier, Totals, Warning};

/// Reads one invoice in Kontera's JSON format.
pub fn from_json(body: &[u8]) -> Result<Received, IntakeError> {
    json::read_one(body)
}

/// Reads a batch `{"invoices": [...]}` (at most [`MAX_BATCH`] invoices); all or nothing.
pub fn batch_from_json(body: &[u8]) -> Result<Vec<Received>, IntakeError> {
    json::read_batch(body)
}

/// Reads a UBL 2.1 `Invoice` or `CreditNote` (OIOUBL 2.x, Peppol BIS Billing 3, other UBL 2.1).
pub fn from_ubl(body: &[u8]) -> Result<Received, IntakeError> {
    ubl::read(body)
}
