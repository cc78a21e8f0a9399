//! Rows of a real single-table export (one row per invoice or payment) as training examples.

use chrono::NaiveDate;
use kontera_core::model::{Field, LineEvidence};
use kontera_data::ExportRow;
use rust_decimal::prelude::ToPrimitive;

use crate::example::Example;

/// One export row with the identities the model needs.
#[derive(Debug, Clone, PartialEq)]
pub struct ExportExample {
    pub row: ExportRow,
    /// The invoice reference, or `file:row` when the export has none.
    invoice: String,
    /// The supplier id, else its VAT number, else its normalised name (upper case, single
    /// spaces) — a name only when the export has nothing better.
    supplier: Option<String>,
}

impl ExportExample {
    pub fn new(row: ExportRow) -> ExportExample {
        let invoice = row
            .invoice_ref
            .clone()
            .unwrap_or_else(|| format!("{}:{}", row.file, row.row));
        let supplier = row
            .supplier_id
            .clone()
            .or_else(|| row.supplier_vat.clone())
            .or_else(|| row.supplier_name.as_deref().map(normalise_name));
        ExportExample {
            row,
            invoice,
            supplier,
        }
    }
}

fn normalise_name(name: &str) -> String {
    name.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_uppercase()
}

impl Example for ExportExample {
    fn invoice(&self) -> &str {
        &self.invoice
    }

    fn date(&self) -> NaiveDate {
        self.row.date
    }

    fn evidence(&self) -> LineEvidence<'_> {
        LineEvidence {
            supplier: self.supplier.as_deref(),
            unit: self.row.unit.as_deref(),
            text: &self.row.text,
            accounting_cost: self.row.accounting_cost.as_deref(),
            amount: self.row.amount.to_f64().unwrap_or(0.0),
            ..LineEvidence::default()
        }
    }

    fn amount(&self) -> rust_decimal::Decimal {
        self.row.amount
    }

    fn label(&self, field: Field) -> Option<&str> {
        match field {
            Field::Account => self.row.account.as_deref(),
            Field::CostCentre => self.row.cost_centre.as_deref(),
            Field::VatCode => self.row.vat_code.as_deref(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_normalised_only_when_there_is_no_id() {
        assert_eq!(
            normalise_name("  Allstar  Business solutions Ltd "),
            "ALLSTAR BUSINESS SOLUTIONS LTD"
        );
    }
}
