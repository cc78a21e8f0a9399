//! Postings: amounts booked in the ledger with their coding.

use chrono::NaiveDate;

use crate::{Coding, InvoiceId, Money};

/// One financial posting, usually of one invoice line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Posting {
    pub invoice_id: InvoiceId,
    /// The invoice line it books, or `None` for a posting of the whole invoice.
    pub line_no: Option<u32>,
    pub date: NaiveDate,
    pub coding: Coding,
    pub amount: Money,
}
