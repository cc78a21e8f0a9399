//! [`Field`]: the fields an export mapping can fill, and which of them are labels.

use std::fmt;

/// A field of [`ExportRow`](super::ExportRow) that a mapping fills from the export's columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Field {
    InvoiceRef,
    SupplierId,
    SupplierName,
    SupplierVat,
    Date,
    Amount,
    Text,
    Unit,
    AccountingCost,
    Account,
    CostCentre,
    VatCode,
    Project,
}

impl Field {
    /// Every field, in the order of [`ExportRow`](super::ExportRow).
    pub const ALL: [Field; 13] = [
        Field::InvoiceRef,
        Field::SupplierId,
        Field::SupplierName,
        Field::SupplierVat,
        Field::Date,
        Field::Amount,
        Field::Text,
        Field::Unit,
        Field::AccountingCost,
        Field::Account,
        Field::CostCentre,
        Field::VatCode,
        Field::Project,
    ];

    /// The labels a model learns: a mapping must fill at least one of them.
    pub const LABELS: [Field; 4] = [
        Field::Account,
        Field::CostCentre,
        Field::VatCode,
        Field::Project,
    ];

    /// The supplier's identity: a mapping must fill at least one of them.
    pub const SUPPLIER: [Field; 2] = [Field::SupplierId, Field::SupplierName];

    /// The field's key in a mapping file, e.g. `cost_centre`.
    pub fn name(self) -> &'static str {
        match self {
            Field::InvoiceRef => "invoice_ref",
            Field::SupplierId => "supplier_id",
            Field::SupplierName => "supplier_name",
            Field::SupplierVat => "supplier_vat",
            Field::Date => "date",
            Field::Amount => "amount",
            Field::Text => "text",
            Field::Unit => "unit",
            Field::AccountingCost => "accounting_cost",
            Field::Account => "account",
            Field::CostCentre => "cost_centre",
            Field::VatCode => "vat_code",
            Field::Project => "project",
        }
    }

    /// Whether the field is a label (account, cost centre, VAT code, project).
    pub fn is_label(self) -> bool {
        Field::LABELS.contains(&self)
    }
}

impl fmt::Display for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}
