//! Why ingestion refused a dataset: real inconsistencies between the tables, each with its fix.
//!
//! Messages name ids (masked in case anything CPR-shaped slipped into one), never a line's text.

use std::borrow::Cow;

use chrono::NaiveDate;
use kontera_core::{CodeError, cpr};

/// A dataset whose tables contradict each other, or options that make no sense.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IngestError {
    #[error(
        "the window starts on {from} but ends on {to}; give `from` on or before `to` \
         (both are inclusive issue dates)"
    )]
    EmptyWindow { from: NaiveDate, to: NaiveDate },
    #[error(
        "table `invoices` has invoice_id {} more than once; invoice ids must be unique \
         (remove or rename the duplicate row)",
        shown(.invoice_id)
    )]
    DuplicateInvoice { invoice_id: String },
    #[error(
        "table `invoice_lines` has line {line_no} of invoice {} more than once; \
         (invoice_id, line_no) must be unique",
        shown(.invoice_id)
    )]
    DuplicateLine { invoice_id: String, line_no: u32 },
    #[error(
        "table `invoice_lines` has line {line_no} of invoice {}, which is not in table \
         `invoices`; add the invoice or remove its lines",
        shown(.invoice_id)
    )]
    LineWithoutInvoice { invoice_id: String, line_no: u32 },
    #[error(
        "table `postings`: posting {} points at invoice {}, which is not in table `invoices`; \
         add the invoice or correct the posting's invoice_id",
        shown(.posting_id), shown(.invoice_id)
    )]
    PostingWithoutInvoice {
        posting_id: String,
        invoice_id: String,
    },
    #[error(
        "table `postings`: posting {} points at line {line_no} of invoice {}, which has no \
         such line in table `invoice_lines`; correct the posting's line_no, or leave it empty \
         if the posting covers the whole invoice",
        shown(.posting_id), shown(.invoice_id)
    )]
    PostingWithoutLine {
        posting_id: String,
        invoice_id: String,
        line_no: u32,
    },
    #[error(
        "table `postings`: posting {} has an account that cannot be read: {source}; \
         correct the account",
        shown(.posting_id)
    )]
    InvalidAccount {
        posting_id: String,
        source: CodeError,
    },
}

fn shown(id: &str) -> Cow<'_, str> {
    cpr::mask(id)
}
