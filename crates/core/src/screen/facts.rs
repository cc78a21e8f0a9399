//! What screening looks at besides the invoice: its declared totals, the creditor as the master
//! data knows it, and earlier invoices that may be duplicates. The service gathers these.

use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::Cvr;
use crate::directory::AmountHistory;

/// The totals the document declares (UBL `LegalMonetaryTotal` and `TaxTotal`), each optional.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DeclaredTotals {
    /// Sum of the line net amounts.
    pub line_extension: Option<Decimal>,
    /// Document-level allowances (discounts).
    pub allowances: Option<Decimal>,
    /// Document-level charges (fees).
    pub charges: Option<Decimal>,
    /// Net total after allowances and charges.
    pub tax_exclusive: Option<Decimal>,
    /// The VAT total.
    pub tax: Option<Decimal>,
    pub prepaid: Option<Decimal>,
    pub payable: Option<Decimal>,
}

/// The creditor as the master data knows it; `None` in [`Subject::creditor`] when unknown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CreditorFacts<'a> {
    pub cvr: Option<Cvr>,
    pub blocked: bool,
    pub bank_account: Option<&'a str>,
    pub bank_account_changed: Option<NaiveDate>,
    pub address_changed: Option<NaiveDate>,
    /// Industry code (DB07 / NACE), matched by prefix against always-manual kinds.
    pub industry: Option<&'a str>,
    pub history: Option<AmountHistory>,
}

/// Earlier stored invoices that look like this one.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DuplicateFacts<'a> {
    /// An earlier invoice from the same supplier with the same number (its decision id).
    pub same_number: Option<&'a str>,
    /// An earlier invoice from the same supplier with the same total within the window.
    pub same_amount: Option<&'a str>,
}

/// Everything screening judges one invoice on.
#[derive(Debug, Clone, Copy)]
pub struct Subject<'a> {
    pub invoice: &'a crate::Invoice,
    pub totals: &'a DeclaredTotals,
    /// The supplier's country when the document says (ISO 3166 alpha-2), e.g. `DK`.
    pub supplier_country: Option<&'a str>,
    /// The document named a supplier CVR that fails its check digit (and was set aside).
    pub supplier_cvr_invalid: bool,
    /// The bank account the invoice asks to be paid to, when it says.
    pub bank_account: Option<&'a str>,
    pub creditor: Option<CreditorFacts<'a>>,
    /// Whether the creditor could be looked up at all (a master data directory exists).
    pub creditors_known: bool,
    /// Whether the receiving unit is known (from the buyer's GLN or unit id).
    pub unit_known: bool,
    /// The receiving area, when the unit and its area are known.
    pub area: Option<&'a str>,
    pub duplicates: DuplicateFacts<'a>,
    /// The day the invoice is screened.
    pub today: NaiveDate,
}
