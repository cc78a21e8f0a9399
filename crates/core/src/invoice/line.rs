//! One line of a received invoice.

use rust_decimal::Decimal;

use super::VatCategory;

/// A line as the supplier sent it. `description` is free text and may contain a CPR number:
/// mask it with [`crate::cpr::mask`] before logging or using it as a feature.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvoiceLine {
    /// 1-based position on the invoice.
    pub line_no: u32,
    pub description: String,
    /// The seller's item id.
    pub item_id: Option<String>,
    pub gtin: Option<String>,
    /// UNSPSC (or CPV) classification code.
    pub unspsc: Option<String>,
    pub quantity: Decimal,
    pub unit_price: Decimal,
    /// Line amount excluding VAT.
    pub net_amount: Decimal,
    pub vat_category: VatCategory,
    /// VAT rate in percent, e.g. 25.
    pub vat_rate: Decimal,
    /// The buyer's own account string on the line (`AccountingCost`), when present.
    pub accounting_cost: Option<String>,
}
