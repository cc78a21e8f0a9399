//! Checks on who sent the invoice: the creditor in the master data, its CVR, bank account,
//! recent changes, its kind and how much it usually invoices; and duplicates of earlier invoices.

use super::{Finding, Reason, ScreenPolicy, Subject};

/// Appends a finding for every supplier check `subject` fails.
pub fn check(subject: &Subject<'_>, policy: &ScreenPolicy, out: &mut Vec<Finding>) {
    let invoice = subject.invoice;
    if subject.supplier_cvr_invalid {
        out.push(Finding::new(
            Reason::SupplierCvrInvalid,
            "The supplier's CVR number on the invoice fails its check digit.",
        ));
    } else if subject.supplier_country == Some("DK") && invoice.supplier_cvr.is_none() {
        out.push(Finding::new(
            Reason::SupplierCvrMissing,
            "The supplier is Danish but the invoice carries no CVR number.",
        ));
    }
    let Some(creditor) = subject.creditor else {
        if subject.creditors_known {
            out.push(Finding::new(
                Reason::CreditorUnknown,
                "No creditor in the master data matches the supplier; create or link it first.",
            ));
        }
        duplicates(subject, out);
        return;
    };
    if creditor.blocked {
        out.push(Finding::new(
            Reason::CreditorBlocked,
            "The creditor is blocked for payment.",
        ));
    }
    if let (Some(sent), Some(known)) = (invoice.supplier_cvr, creditor.cvr)
        && sent != known
    {
        out.push(Finding::new(
            Reason::SupplierCvrMismatch,
            format!("The invoice's CVR {sent} is not the creditor's CVR {known}."),
        ));
    }
    let recent_changes = [
        (
            creditor.bank_account_changed,
            Reason::BankAccountChanged,
            "bank account",
        ),
        (creditor.address_changed, Reason::AddressChanged, "address"),
    ];
    for (changed, reason, what) in recent_changes {
        let days = changed.map(|d| (subject.today - d).num_days());
        if days.is_some_and(|days| (0..=i64::from(policy.recent_change_days)).contains(&days)) {
            out.push(Finding::new(
                reason,
                format!(
                    "The creditor's {what} changed less than {} days ago.",
                    policy.recent_change_days
                ),
            ));
        }
    }
    if let (Some(sent), Some(known)) = (subject.bank_account, creditor.bank_account)
        && !same_account(sent, known)
    {
        out.push(Finding::new(
            Reason::BankAccountMismatch,
            "The invoice asks for payment to another bank account than the creditor's.",
        ));
    }
    if let Some(industry) = creditor.industry
        && let Some(prefix) = policy
            .always_manual_industries
            .iter()
            .find(|p| !p.is_empty() && industry.starts_with(p.as_str()))
    {
        out.push(Finding::new(
            Reason::CreditorAlwaysManual,
            format!("Creditors in industry {prefix}… are always coded by a person."),
        ));
    }
    if let Some(history) = creditor.history
        && history.invoices >= policy.history_min_invoices
    {
        let total = subject
            .totals
            .tax_exclusive
            .unwrap_or_else(|| invoice.total_net());
        let limit = history.p99.checked_mul(policy.history_factor);
        if limit.is_some_and(|limit| total > limit) {
            out.push(Finding::new(
                Reason::AmountOutsideHistory,
                format!(
                    "The net total {total} is more than {} times the creditor's usual high of {} \
                     (median {}, {} invoices).",
                    policy.history_factor, history.p99, history.median, history.invoices
                ),
            ));
        }
    }
    duplicates(subject, out);
}

fn duplicates(subject: &Subject<'_>, out: &mut Vec<Finding>) {
    if let Some(earlier) = subject.duplicates.same_number {
        out.push(Finding::new(
            Reason::DuplicateNumber,
            format!(
                "The supplier already sent an invoice numbered {} (decision {earlier}).",
                crate::cpr::mask(&subject.invoice.number)
            ),
        ));
    }
    if let Some(earlier) = subject.duplicates.same_amount {
        out.push(Finding::new(
            Reason::DuplicateAmount,
            format!(
                "The supplier already sent an invoice over the same amount a few days apart \
                 (decision {earlier})."
            ),
        ));
    }
}

/// Bank accounts compared without spaces, dashes and case.
fn same_account(a: &str, b: &str) -> bool {
    let norm = |s: &str| {
        s.chars()
            .filter(|c| c.is_ascii_alphanumeric())
            .map(|c| c.to_ascii_uppercase())
            .collect::<String>()
    };
    norm(a) == norm(b)
}
