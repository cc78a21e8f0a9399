//! The directory's entries: what the training data knows of a receiving unit and of a creditor.

use chrono::NaiveDate;

use super::amounts::AmountHistory;
use crate::{Area, CreditorId, Cvr, Gln, UnitId};

/// A receiving unit as the service needs it to route and screen an invoice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitEntry {
    /// The unit's id; in a single-table export, the unit column's value.
    pub id: UnitId,
    /// Its EAN/GLN location number, when the master data has a valid one.
    pub gln: Option<Gln>,
    pub name: String,
    /// Its area, when the master data says (exports do not).
    pub area: Option<Area>,
}

/// A creditor as the service needs it to screen an invoice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreditorEntry {
    /// The creditor's id; in a single-table export, the supplier identity the model uses
    /// (supplier id, else VAT number, else normalised name).
    pub id: CreditorId,
    pub cvr: Option<Cvr>,
    pub name: String,
    /// Blocked for payment in the master data.
    pub blocked: bool,
    /// When the bank account last changed, if the master data says.
    pub bank_account_changed: Option<NaiveDate>,
    /// When the address last changed, if the master data says.
    pub address_changed: Option<NaiveDate>,
    /// Industry code (DB07), if known.
    pub industry_code: Option<String>,
    /// Its invoices in the training window; `None` when it sent none.
    pub amounts: Option<AmountHistory>,
}
