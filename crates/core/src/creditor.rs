//! Creditors: the suppliers in the ledger's master data.

use std::fmt;

use chrono::NaiveDate;

use crate::Cvr;

/// The ledger's own id for a creditor.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CreditorId(pub String);

/// A creditor as held in the ERP's master data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Creditor {
    pub id: CreditorId,
    /// Missing for foreign suppliers and private persons.
    pub cvr: Option<Cvr>,
    pub name: String,
    pub address: String,
    pub bank_account: String,
    /// When the bank account last changed (a fraud signal when recent).
    pub bank_account_changed: Option<NaiveDate>,
    pub address_changed: Option<NaiveDate>,
    /// Blocked for payment.
    pub blocked: bool,
    /// Industry code (DB07 / NACE).
    pub industry_code: String,
}

impl CreditorId {
    pub fn new(id: impl Into<String>) -> CreditorId {
        CreditorId(id.into())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for CreditorId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}
