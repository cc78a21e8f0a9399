//! A received invoice or credit note with its lines.

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::{DocumentType, InvoiceId, InvoiceLine};
use crate::{Currency, Cvr, Gln};

/// A received document as read from the e-invoice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invoice {
    pub id: InvoiceId,
    /// The supplier's invoice number.
    pub number: String,
    pub document_type: DocumentType,
    pub supplier_cvr: Option<Cvr>,
    /// The receiving institution.
    pub buyer_gln: Option<Gln>,
    pub buyer_reference: Option<String>,
    pub order_reference: Option<String>,
    pub issue_date: NaiveDate,
    pub due_date: Option<NaiveDate>,
    pub currency: Currency,
    pub lines: Vec<InvoiceLine>,
    /// The buyer's own account string on the header (`AccountingCost`), when present.
    pub accounting_cost: Option<String>,
}

impl Invoice {
    /// The sum of the lines' net amounts, signs as given on the lines.
    ///
    /// Saturates at the decimal range (about 7.9e28) instead of panicking; see
    /// [`Invoice::checked_total_net`] to detect that.
    pub fn total_net(&self) -> Decimal {
        self.lines.iter().fold(Decimal::ZERO, |sum, line| {
            sum.saturating_add(line.net_amount)
        })
    }

    /// The sum of the lines' net amounts, or `None` if it overflows.
    pub fn checked_total_net(&self) -> Option<Decimal> {
        self.lines
            .iter()
            .try_fold(Decimal::ZERO, |sum, line| sum.checked_add(line.net_amount))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::VatCategory;

    fn line(line_no: u32, net: &str) -> InvoiceLine {
        InvoiceLine {
            line_no,
            description: "Mælk".to_owned(),
            item_id: None,
            gtin: None,
            unspsc: None,
            quantity: Decimal::ONE,
            unit_price: net.parse().unwrap(),
            net_amount: net.parse().unwrap(),
            vat_category: VatCategory::Standard,
            vat_rate: Decimal::from(25),
            accounting_cost: None,
        }
    }

    fn invoice(nets: &[&str]) -> Invoice {
        Invoice {
            id: InvoiceId::new("INV-1"),
            number: "1001".to_owned(),
            document_type: DocumentType::Invoice,
            supplier_cvr: Cvr::from_base(1_234_567),
            buyer_gln: Gln::from_base(579_000_000_000),
            buyer_reference: None,
            order_reference: None,
            issue_date: NaiveDate::from_ymd_opt(2024, 3, 1).unwrap(),
            due_date: None,
            currency: Currency::DKK,
            lines: nets
                .iter()
                .zip(1..)
                .map(|(net, no)| line(no, net))
                .collect(),
            accounting_cost: None,
        }
    }

    #[test]
    fn total_net_sums_the_lines() {
        let check = |nets: &[&str], expected: &str| {
            assert_eq!(
                invoice(nets).total_net(),
                expected.parse::<Decimal>().unwrap()
            );
        };
        check(&[], "0");
        check(&["100.50"], "100.50");
        check(&["100.50", "-0.50", "12.25"], "112.25");
        assert_eq!(invoice(&["1"]).checked_total_net(), Some(Decimal::ONE));
        let mut huge = invoice(&["1"]);
        huge.lines[0].net_amount = Decimal::MAX;
        huge.lines.push(huge.lines[0].clone());
        assert_eq!(huge.checked_total_net(), None);
        assert_eq!(huge.total_net(), Decimal::MAX);
    }
}
