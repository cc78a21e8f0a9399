//! Screening: the rules an invoice must pass before the model's coding may be posted
//! automatically — form, amounts, the creditor, duplicates and personal data. Each failure is a
//! [`Finding`]; an invoice with any finding goes to a person, with the model's suggestions still
//! attached.
//!
//! Screening is pure: the service gathers the [`Subject`] (master data, earlier invoices, today)
//! and applies the administrator's [`ScreenPolicy`].

mod amounts;
mod creditor;
mod facts;
mod policy;
mod reason;

pub use crate::directory::AmountHistory;
pub use facts::{CreditorFacts, DeclaredTotals, DuplicateFacts, Subject};
pub use policy::ScreenPolicy;
pub use reason::{Finding, Reason};

use crate::{DocumentType, cpr};

/// Every finding for `subject` under `policy`, in a stable order; empty when it passes.
pub fn screen(subject: &Subject<'_>, policy: &ScreenPolicy) -> Vec<Finding> {
    let mut out = Vec::new();
    let invoice = subject.invoice;
    if !subject.unit_known {
        out.push(Finding::new(
            Reason::RequiredFieldMissing,
            "The receiving unit is unknown: the invoice needs the buyer's GLN (EndpointID) or \
             unit id.",
        ));
    }
    if invoice.lines.is_empty() {
        out.push(Finding::new(
            Reason::RequiredFieldMissing,
            "The invoice has no lines.",
        ));
    }
    if invoice.document_type == DocumentType::CreditNote && policy.credit_notes_manual {
        out.push(Finding::new(
            Reason::CreditNote,
            "Credit notes are matched to their invoice by a person.",
        ));
    }
    if let Some(where_) = cpr_location(invoice) {
        out.push(Finding::new(
            Reason::CprInText,
            format!(
                "The {where_} holds what looks like a CPR number; invoices with personal data are \
                 never posted automatically (the number is masked in everything stored)."
            ),
        ));
    }
    amounts::check(subject, policy, &mut out);
    creditor::check(subject, policy, &mut out);
    out
}

/// Where the first CPR-looking number is, named for a person (never the number itself).
fn cpr_location(invoice: &crate::Invoice) -> Option<String> {
    if let Some(line) = invoice.lines.iter().find(|l| cpr::contains(&l.description)) {
        return Some(format!("text of line {}", line.line_no));
    }
    let header = [
        ("buyer reference", invoice.buyer_reference.as_deref()),
        ("order reference", invoice.order_reference.as_deref()),
        ("invoice number", Some(invoice.number.as_str())),
    ];
    header
        .into_iter()
        .find(|(_, text)| text.is_some_and(cpr::contains))
        .map(|(name, _)| name.to_owned())
}

#[cfg(test)]
mod tests;
