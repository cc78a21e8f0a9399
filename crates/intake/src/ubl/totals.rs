//! Document totals: `LegalMonetaryTotal` and the VAT `TaxTotal`.

use kontera_core::Currency;
use roxmltree::Node;
use rust_decimal::Decimal;

use super::line::is_vat;
use super::xml::{CAC, attr, cac, cbc, children, number_at};
use crate::number::NumberKind;
use crate::{Format, IntakeError, Totals};

/// Reads the totals. OIOUBL's `TaxExclusiveAmount` holds the VAT total, so it is not read as
/// `tax_exclusive` there.
pub(super) fn read(
    root: Node<'_, '_>,
    currency: Currency,
    format: Format,
) -> Result<Totals, IntakeError> {
    let monetary = cac(root, "LegalMonetaryTotal");
    let amount = |name: &'static str| {
        number_at(
            monetary.and_then(|m| cbc(m, name)),
            &format!("LegalMonetaryTotal/{name}"),
            NumberKind::Amount,
        )
    };
    let tax_exclusive = match format {
        Format::Oioubl => None,
        _ => amount("TaxExclusiveAmount")?,
    };
    Ok(Totals {
        line_extension: amount("LineExtensionAmount")?,
        allowances: amount("AllowanceTotalAmount")?,
        charges: amount("ChargeTotalAmount")?,
        tax_exclusive,
        tax: vat_total(root, currency)?,
        tax_inclusive: amount("TaxInclusiveAmount")?,
        prepaid: amount("PrepaidAmount")?,
        payable_rounding: amount("PayableRoundingAmount")?,
        payable: amount("PayableAmount")?,
    })
}

/// The sum of the header `TaxTotal/TaxAmount`s in the document currency whose subtotals are in
/// the VAT scheme (a `TaxTotal` without subtotals counts); `None` when there is none.
fn vat_total(root: Node<'_, '_>, currency: Currency) -> Result<Option<Decimal>, IntakeError> {
    let mut total: Option<Decimal> = None;
    for (index, tax_total) in children(root, CAC, "TaxTotal").enumerate() {
        let Some(amount_node) = cbc(tax_total, "TaxAmount") else {
            continue;
        };
        let other_currency = attr(amount_node, "currencyID")
            .is_some_and(|code| !code.eq_ignore_ascii_case(currency.as_str()));
        let mut subtotals = children(tax_total, CAC, "TaxSubtotal").peekable();
        let vat = subtotals.peek().is_none()
            || subtotals.any(|s| cac(s, "TaxCategory").is_some_and(is_vat));
        if other_currency || !vat {
            continue;
        }
        let path = format!("TaxTotal[{}]/TaxAmount", index + 1);
        if let Some(amount) = number_at(Some(amount_node), &path, NumberKind::Amount)? {
            total = Some(total.unwrap_or_default() + amount);
        }
    }
    Ok(total)
}
