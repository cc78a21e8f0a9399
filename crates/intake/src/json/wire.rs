//! The JSON shapes as serde reads them; every field validates itself (see `fields.rs`).

use serde::Deserialize;

use super::fields::{
    Amount, Country, CurrencyCode, CvrNumber, Date, GlnNumber, Id, Invoices, Lines, Measure, Rate,
    Text, VatCode,
};
use crate::limits::{MAX_DESCRIPTION, MAX_ID, MAX_NAME};

/// `{"invoices": [...]}`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename = "batch object")]
pub(super) struct Batch {
    pub invoices: Invoices<Invoice>,
}

/// One invoice or credit note.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename = "invoice object")]
pub(super) struct Invoice {
    pub id: Option<Id<MAX_ID>>,
    pub number: Id<MAX_ID>,
    #[serde(rename = "type", default)]
    pub document_type: DocumentType,
    pub issue_date: Date,
    pub due_date: Option<Date>,
    pub currency: Option<CurrencyCode>,
    #[serde(default)]
    pub supplier: Supplier,
    #[serde(default)]
    pub buyer: Buyer,
    pub order_reference: Option<Text<MAX_ID>>,
    pub accounting_cost: Option<Text<MAX_ID>>,
    pub lines: Lines<Line>,
    pub totals: Option<Totals>,
}

#[derive(Debug, Default, Clone, Copy)]
pub(super) enum DocumentType {
    #[default]
    Invoice,
    CreditNote,
}

/// Read from a string, so that a value of another type (`"type": 1`) is an invalid field like
/// any other; serde's derived enum reading calls it malformed JSON ("expected value").
impl<'de> Deserialize<'de> for DocumentType {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<DocumentType, D::Error> {
        const VARIANTS: &[&str] = &["invoice", "credit_note"];
        match String::deserialize(deserializer)?.as_str() {
            "invoice" => Ok(DocumentType::Invoice),
            "credit_note" => Ok(DocumentType::CreditNote),
            other => Err(serde::de::Error::unknown_variant(other, VARIANTS)),
        }
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename = "supplier object")]
pub(super) struct Supplier {
    pub cvr: Option<CvrNumber>,
    pub vat_id: Option<Id<MAX_ID>>,
    pub name: Option<Text<MAX_NAME>>,
    pub creditor_id: Option<Id<MAX_ID>>,
    pub country: Option<Country>,
    pub bank_account: Option<Id<MAX_ID>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename = "buyer object")]
pub(super) struct Buyer {
    pub gln: Option<GlnNumber>,
    pub unit_id: Option<Id<MAX_ID>>,
    pub reference: Option<Text<MAX_ID>>,
    pub name: Option<Text<MAX_NAME>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename = "line object")]
pub(super) struct Line {
    pub description: Text<MAX_DESCRIPTION>,
    pub quantity: Option<Measure>,
    pub unit_price: Option<Measure>,
    pub net_amount: Amount,
    pub vat_category: Option<VatCode>,
    pub vat_rate: Option<Rate>,
    pub item_id: Option<Id<MAX_ID>>,
    pub gtin: Option<Id<MAX_ID>>,
    pub unspsc: Option<Id<MAX_ID>>,
    pub accounting_cost: Option<Text<MAX_ID>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename = "totals object")]
pub(super) struct Totals {
    pub net: Option<Amount>,
    pub vat: Option<Amount>,
    pub payable: Option<Amount>,
}
