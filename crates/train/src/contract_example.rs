//! Lines from the contract tables as training examples.

use chrono::NaiveDate;
use kontera_core::model::{Field, LineEvidence};
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

use crate::example::Example;
use crate::labelled::LabelledLine;

impl Example for LabelledLine {
    fn invoice(&self) -> &str {
        &self.invoice_id
    }

    fn date(&self) -> NaiveDate {
        self.issue_date
    }

    fn evidence(&self) -> LineEvidence<'_> {
        LineEvidence {
            // The CVR when there is a valid one, else the creditor number — never the name.
            supplier: Some(self.supplier_cvr.as_deref().unwrap_or(&self.creditor_id)),
            unit: self.buyer_gln.as_deref().or(self.unit_id.as_deref()),
            buyer_reference: self.buyer_reference.as_deref(),
            text: &self.description,
            item_id: self.item_id.as_deref(),
            unspsc: self.unspsc.as_deref(),
            industry: self.industry_code.as_deref(),
            vat_category: Some(&self.vat_category),
            accounting_cost: self.accounting_cost.as_deref(),
            amount: self.net_amount.to_f64().unwrap_or(0.0),
        }
    }

    fn label(&self, field: Field) -> Option<&str> {
        Some(match field {
            Field::Account => &self.label.account,
            Field::CostCentre => &self.label.cost_centre,
            Field::VatCode => &self.label.vat_code,
        })
    }

    fn area(&self) -> Option<&str> {
        self.area.as_deref()
    }

    fn amount(&self) -> Decimal {
        self.net_amount
    }
}
