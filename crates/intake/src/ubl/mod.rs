//! UBL 2.1 e-invoices (OIOUBL 2.x, Peppol BIS Billing 3): the XML `Invoice` or `CreditNote`
//! read into a [`Received`].
//!
//! Elements are matched by namespace and local name, never by prefix. DTDs are refused (no
//! entity expansion, no external entities). A Peppol `StandardBusinessDocument` envelope is
//! opened. Header mapping: `ID` → number; root element → document type (an `Invoice` whose
//! `InvoiceTypeCode` is a credit code — 81, 83, 381, 396, 532 — is a credit note); `IssueDate`;
//! `DueDate`, else `PaymentMeans/PaymentDueDate` (OIOUBL); `DocumentCurrencyCode`;
//! `BuyerReference`, else the buyer's `Contact/ID` (OIOUBL); `OrderReference/ID`;
//! `AccountingCost`. Parties in `party.rs`, lines in `line.rs`, totals in `totals.rs`.
//! Amounts are kept as written: a credit note's positive amounts stay positive.

mod document;
mod format;
mod line;
mod party;
mod totals;
mod xml;

use roxmltree::{Document, ParsingOptions};

use crate::echo::safe_message;
use crate::{IntakeError, Received};

/// At most this many XML nodes (elements, attributes' texts, ...) in one document.
const MAX_NODES: u32 = 5_000_000;

/// Reads a UBL 2.1 Invoice or CreditNote.
pub(crate) fn read(body: &[u8]) -> Result<Received, IntakeError> {
    let text = std::str::from_utf8(body).map_err(|error| IntakeError::MalformedXml {
        message: format!(
            "the body is not UTF-8 (invalid byte at offset {}); send UBL documents as UTF-8",
            error.valid_up_to()
        ),
    })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let options = ParsingOptions {
        allow_dtd: false,
        nodes_limit: MAX_NODES,
        ..ParsingOptions::default()
    };
    let document = Document::parse_with_options(text, options).map_err(|error| match error {
        roxmltree::Error::DtdDetected => IntakeError::DoctypeRefused,
        other => IntakeError::MalformedXml {
            message: safe_message(&other.to_string()),
        },
    })?;
    document::read(&document)
}
