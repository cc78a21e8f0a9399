//! The data contract: one plain row type per canonical table, and the [`Dataset`] holding all six.
//!
//! These rows are what crosses the file boundary (CSV or Parquet, see `data/README.md`). They hold
//! raw, unvalidated values: turning them into `kontera_core` domain types is a separate, checked
//! step. Money is `Decimal` (two decimals, signed: credit notes are negative), dates are
//! `NaiveDate`, optional columns are `Option`.

use chrono::NaiveDate;
use rust_decimal::Decimal;

/// All six tables of one organisation's history.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Dataset {
    pub invoices: Vec<InvoiceRow>,
    pub invoice_lines: Vec<InvoiceLineRow>,
    pub postings: Vec<PostingRow>,
    pub accounts: Vec<AccountRow>,
    pub creditors: Vec<CreditorRow>,
    pub units: Vec<UnitRow>,
}

/// `invoices`: one row per received invoice or credit note. Key: `invoice_id`.
#[derive(Debug, Clone, PartialEq)]
pub struct InvoiceRow {
    /// The receiver's own id for the document (unique in the table).
    pub invoice_id: String,
    /// The supplier's invoice number (unique per creditor, except for duplicates sent twice).
    pub invoice_number: String,
    /// `invoice` or `credit_note`.
    pub document_type: String,
    /// The creditor this invoice was booked on (`creditors.creditor_id`).
    pub creditor_id: String,
    /// The supplier's CVR as written on the invoice (may be missing or wrong).
    pub supplier_cvr: Option<String>,
    /// The receiving institution's EAN/GLN location number (`units.gln`).
    pub buyer_gln: Option<String>,
    /// The buyer reference / contact id (a person or department).
    pub buyer_reference: Option<String>,
    pub order_reference: Option<String>,
    pub issue_date: NaiveDate,
    pub due_date: Option<NaiveDate>,
    /// ISO 4217 code, e.g. `DKK`.
    pub currency: String,
    /// Sum of the lines' net amounts, excluding VAT.
    pub total_net: Decimal,
    pub total_vat: Decimal,
    /// `total_net + total_vat`.
    pub total_gross: Decimal,
    /// The buyer's own account string from the e-invoice header, when present.
    pub accounting_cost: Option<String>,
    /// How the invoice arrived: `oioubl`, `peppol` or `other`.
    pub format: String,
}

/// `invoice_lines`: the lines of each invoice. Key: (`invoice_id`, `line_no`).
#[derive(Debug, Clone, PartialEq)]
pub struct InvoiceLineRow {
    pub invoice_id: String,
    /// 1-based position of the line on the invoice.
    pub line_no: u32,
    /// Item name and description as the supplier wrote them.
    pub description: String,
    /// The seller's item id.
    pub item_id: Option<String>,
    pub gtin: Option<String>,
    /// UNSPSC classification code.
    pub unspsc: Option<String>,
    pub quantity: Decimal,
    pub unit_price: Decimal,
    /// `quantity × unit_price`, rounded to two decimals; negative on credit notes.
    pub net_amount: Decimal,
    /// UBL VAT category: `S` standard, `E` exempt, `Z` zero-rated, `AE` reverse charge.
    pub vat_category: String,
    /// VAT rate in percent, e.g. `25`.
    pub vat_rate: Decimal,
    /// The buyer's own account string on the line, when present.
    pub accounting_cost: Option<String>,
}

/// `postings`: what was posted in the ledger for each invoice. Key: `posting_id`.
///
/// An invoice line's coding is its posting: joined on (`invoice_id`, `line_no`). A posting with
/// no `line_no` covers the whole invoice; several postings with the same line split that line.
#[derive(Debug, Clone, PartialEq)]
pub struct PostingRow {
    pub posting_id: String,
    pub invoice_id: String,
    pub line_no: Option<u32>,
    pub posting_date: NaiveDate,
    /// The account as posted, in the chart valid on `posting_date`.
    pub account: String,
    pub cost_centre: String,
    pub vat_code: String,
    pub project: Option<String>,
    /// Net amount posted, excluding VAT; negative for credit notes.
    pub amount: Decimal,
}

/// `accounts`: the chart of accounts with its changes. Key: `account`.
#[derive(Debug, Clone, PartialEq)]
pub struct AccountRow {
    pub account: String,
    pub name: String,
    /// Function, e.g. `5.25.14` (main account . main function . function).
    pub function: String,
    /// Dranst: `1` operations, `2` state refunds, `3` construction.
    pub dranst: String,
    /// Art (expense type), e.g. `2.2`.
    pub art: String,
    pub valid_from: NaiveDate,
    /// First day the account is no longer valid; empty while it is open.
    pub valid_to: Option<NaiveDate>,
    /// Why it ended: `renamed`, `merged`, `split` or `closed`; empty while it is open.
    pub change: Option<String>,
    /// The accounts that continue it, `;`-separated (one for renamed and merged, several for split).
    pub successors: Option<String>,
}

/// `creditors`: the creditor master data. Key: `creditor_id`.
#[derive(Debug, Clone, PartialEq)]
pub struct CreditorRow {
    pub creditor_id: String,
    /// 8-digit CVR; empty for foreign suppliers and private persons.
    pub cvr: Option<String>,
    pub name: String,
    pub address: String,
    pub postal_code: String,
    pub city: String,
    pub bank_account: String,
    /// When the bank account last changed, if ever.
    pub bank_account_changed: Option<NaiveDate>,
    /// When the address last changed, if ever.
    pub address_changed: Option<NaiveDate>,
    pub blocked: bool,
    /// Danish industry code (DB07), e.g. `463000`.
    pub industry_code: String,
    pub first_invoice: Option<NaiveDate>,
}

/// `units`: the receiving institutions. Key: `unit_id`.
#[derive(Debug, Clone, PartialEq)]
pub struct UnitRow {
    pub unit_id: String,
    pub name: String,
    /// The institution's EAN/GLN location number (13 digits).
    pub gln: String,
    /// The unit's default cost centre.
    pub cost_centre: String,
    /// `daycare`, `schools`, `elderly_care`, `social`, `technical` or `administration`.
    pub area: String,
}
