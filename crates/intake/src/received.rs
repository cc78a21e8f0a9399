//! What intake hands to the engine: the core invoice plus what the engine does not model.

use std::fmt;

use kontera_core::{IdError, Invoice};
use rust_decimal::Decimal;

/// One received document, read and validated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Received {
    /// The engine's invoice: id, number, type, supplier CVR (a valid Danish CVR or `None`),
    /// buyer GLN, references, dates, currency, lines and header `AccountingCost`.
    pub invoice: Invoice,
    pub supplier: Supplier,
    pub buyer: Buyer,
    /// The document's own totals as the supplier stated them; never recomputed here.
    pub totals: Totals,
    pub format: Format,
    /// Identifiers that were present but invalid in a UBL document (the document is still
    /// read; screening decides). Always empty for JSON, where they are errors.
    pub warnings: Vec<Warning>,
}

/// The supplier as the document names it, beyond the CVR kept on [`Invoice::supplier_cvr`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Supplier {
    pub name: Option<String>,
    /// The ERP's creditor number (JSON only).
    pub creditor_id: Option<String>,
    /// The VAT id as written, e.g. `"DK12345674"` or `"NO123456785MVA"`.
    pub vat_id: Option<String>,
    /// ISO 3166-1 alpha-2 country code, upper case.
    pub country: Option<String>,
    /// The account to pay to (IBAN, or Danish reg. + account number), as written.
    pub bank_account: Option<String>,
}

/// The buyer beyond the GLN kept on [`Invoice::buyer_gln`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Buyer {
    /// The ERP's receiving-unit id (JSON only).
    pub unit_id: Option<String>,
    pub name: Option<String>,
}

/// Document totals (UBL `LegalMonetaryTotal` and `TaxTotal`), in the document currency.
///
/// OIOUBL uses `TaxExclusiveAmount` for the VAT total, so for [`Format::Oioubl`]
/// `tax_exclusive` is left `None` and the VAT total is in `tax`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Totals {
    /// Sum of the line net amounts (`LineExtensionAmount`).
    pub line_extension: Option<Decimal>,
    /// Document-level allowances (`AllowanceTotalAmount`).
    pub allowances: Option<Decimal>,
    /// Document-level charges (`ChargeTotalAmount`).
    pub charges: Option<Decimal>,
    /// Total without VAT (`TaxExclusiveAmount`, not for OIOUBL).
    pub tax_exclusive: Option<Decimal>,
    /// VAT total: the `TaxTotal/TaxAmount`s in the document currency whose tax scheme is VAT.
    pub tax: Option<Decimal>,
    /// Total with VAT (`TaxInclusiveAmount`).
    pub tax_inclusive: Option<Decimal>,
    /// Already paid (`PrepaidAmount`).
    pub prepaid: Option<Decimal>,
    /// Rounding of the amount due (`PayableRoundingAmount`).
    pub payable_rounding: Option<Decimal>,
    /// Amount due (`PayableAmount`).
    pub payable: Option<Decimal>,
}

/// Where a document came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// Kontera's JSON format.
    Json,
    /// OIOUBL 2.x (`CustomizationID` starting with `OIOUBL-2`).
    Oioubl,
    /// Peppol BIS Billing 3 (`CustomizationID` naming `urn:fdc:peppol.eu:2017:poacc:billing:3.0`).
    PeppolBis3,
    /// Any other UBL 2.1 customization (e.g. plain EN 16931, or none).
    Ubl,
}

impl Format {
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Json => "json",
            Format::Oioubl => "oioubl",
            Format::PeppolBis3 => "peppol_bis3",
            Format::Ubl => "ubl",
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An identifier in a UBL document that was present but failed its check; the field it would
/// have filled is left `None`. The value itself is never kept (it may be a CPR number).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Warning {
    #[error("{field}: supplier CVR ignored: {error}")]
    SupplierCvr { field: String, error: IdError },
    #[error("{field}: buyer GLN ignored: {error}")]
    BuyerGln { field: String, error: IdError },
}
