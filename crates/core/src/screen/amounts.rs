//! Checks on the document's arithmetic: lines against the declared totals, VAT, amount payable,
//! the sign of the total, the currency and the area's ceiling.

use rust_decimal::Decimal;

use super::{Finding, Reason, ScreenPolicy, Subject};
use crate::{DocumentType, VatCategory};

/// Appends a finding for every amount check `subject` fails.
pub fn check(subject: &Subject<'_>, policy: &ScreenPolicy, out: &mut Vec<Finding>) {
    let invoice = subject.invoice;
    let totals = subject.totals;
    let tol = policy.rounding_tolerance;
    let Some(lines_net) = invoice.checked_total_net() else {
        out.push(Finding::new(
            Reason::LineTotalMismatch,
            "The line amounts overflow when added up.",
        ));
        return;
    };
    if let Some(declared) = totals.line_extension
        && differs(lines_net, declared, tol)
    {
        out.push(Finding::new(
            Reason::LineTotalMismatch,
            format!("The lines add up to {lines_net}, the invoice declares {declared}."),
        ));
    }
    let allowances = totals.allowances.unwrap_or_default();
    let charges = totals.charges.unwrap_or_default();
    if let Some(declared) = totals.tax_exclusive {
        let computed = lines_net
            .checked_sub(allowances)
            .and_then(|n| n.checked_add(charges))
            .unwrap_or(Decimal::MAX);
        if differs(computed, declared, tol) {
            out.push(Finding::new(
                Reason::LineTotalMismatch,
                format!(
                    "Lines {lines_net} less allowances {allowances} plus charges {charges} give \
                     {computed}, the invoice declares a net total of {declared}."
                ),
            ));
        }
    }
    if let (Some(declared), Some(computed)) = (totals.tax, expected_vat(subject))
        && differs(computed, declared, tol)
    {
        out.push(Finding::new(
            Reason::VatMismatch,
            format!("The lines' VAT comes to {computed}, the invoice declares {declared}."),
        ));
    }
    // OIOUBL states no net total after allowances and charges; it follows from the lines.
    let net_total = totals.tax_exclusive.or_else(|| {
        totals
            .line_extension
            .and_then(|l| l.checked_sub(allowances)?.checked_add(charges))
    });
    if let (Some(payable), Some(net), Some(tax)) = (totals.payable, net_total, totals.tax) {
        let computed = net
            .checked_add(tax)
            .and_then(|n| n.checked_sub(totals.prepaid.unwrap_or_default()))
            .unwrap_or(Decimal::MAX);
        if differs(computed, payable, tol) {
            out.push(Finding::new(
                Reason::PayableMismatch,
                format!(
                    "Net {net} plus VAT {tax} less prepaid gives {computed}, the invoice asks \
                     for {payable}."
                ),
            ));
        }
    }
    let total = totals.tax_exclusive.unwrap_or(lines_net);
    if invoice.document_type == DocumentType::Invoice && total <= Decimal::ZERO {
        out.push(Finding::new(
            Reason::NonPositiveTotal,
            format!("An invoice with a net total of {total} is a correction; a person checks it."),
        ));
    }
    if invoice.currency != policy.ledger_currency {
        out.push(Finding::new(
            Reason::ForeignCurrency,
            format!(
                "The invoice is in {}, the ledger posts in {}.",
                invoice.currency, policy.ledger_currency
            ),
        ));
    }
    if let Some(ceiling) = policy.ceiling(subject.area)
        && total.abs() > ceiling
    {
        out.push(Finding::new(
            Reason::AmountAboveCeiling,
            format!(
                "The net total {total} is above the ceiling of {ceiling} for automatic posting{}.",
                subject.area.map(|a| format!(" in {a}")).unwrap_or_default()
            ),
        ));
    }
}

/// The VAT the lines carry, or `None` when it cannot be computed from the lines alone
/// (document-level allowances or charges spread over more than one rate).
fn expected_vat(subject: &Subject<'_>) -> Option<Decimal> {
    let lines = &subject.invoice.lines;
    let charged = |category: VatCategory| category == VatCategory::Standard;
    let mut rates = lines
        .iter()
        .filter(|l| charged(l.vat_category))
        .map(|l| l.vat_rate);
    let first_rate = rates.next();
    let single_rate = rates.all(|r| Some(r) == first_rate);
    let adjust = subject
        .totals
        .charges
        .unwrap_or_default()
        .checked_sub(subject.totals.allowances.unwrap_or_default())?;
    if !adjust.is_zero() && !single_rate {
        return None;
    }
    let mut vat = Decimal::ZERO;
    for line in lines.iter().filter(|l| charged(l.vat_category)) {
        vat =
            vat.checked_add(line.net_amount.checked_mul(line.vat_rate)? / Decimal::ONE_HUNDRED)?;
    }
    if let Some(rate) = first_rate {
        vat = vat.checked_add(adjust.checked_mul(rate)? / Decimal::ONE_HUNDRED)?;
    }
    Some(vat)
}

/// Whether `a` and `b` differ by more than `tolerance` (an overflow counts as a difference).
fn differs(a: Decimal, b: Decimal, tolerance: Decimal) -> bool {
    a.checked_sub(b).is_none_or(|d| d.abs() > tolerance)
}
