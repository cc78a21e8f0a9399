//! Why a replay's invoices went to review: per reason code of the service's answer, the invoices
//! sent to review with it and those it alone sent — what it cost in automation.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

/// One reason invoices were sent to review (a code of the service's answer, e.g.
/// `below_threshold`, `duplicate_amount`, `sample_check`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReviewReason {
    pub code: String,
    /// Invoices sent to review with this reason among theirs.
    pub invoices: u64,
    /// Of those, the ones with no other reason: without it they would have been posted. Some
    /// reasons come together by design — the model's `recent_change` flag always with
    /// `below_threshold` (it says why the confidence is low) — and such an invoice counts for
    /// neither alone.
    pub alone: u64,
}

/// The code an invoice sent to review without any reason is counted under: the service always
/// gives one, so a row of it in a report is a fault to look into, not a reason.
pub const NO_REASON: &str = "no_reason_given";

/// The counts so far, per reason code: (invoices, alone).
#[derive(Debug, Default)]
pub(super) struct ReasonCounts(BTreeMap<String, (u64, u64)>);

impl ReasonCounts {
    /// Counts an invoice sent to review with `reasons` (a code may repeat, once per line).
    pub(super) fn add(&mut self, reasons: &[String]) {
        let mut codes: BTreeSet<&str> = reasons.iter().map(String::as_str).collect();
        if codes.is_empty() {
            codes.insert(NO_REASON);
        }
        for &code in &codes {
            let (invoices, alone) = self.0.entry(code.to_owned()).or_default();
            *invoices += 1;
            *alone += u64::from(codes.len() == 1);
        }
    }

    /// As the report lists them: the commonest first, then by code.
    pub(super) fn list(self) -> Vec<ReviewReason> {
        let mut reasons: Vec<ReviewReason> = self
            .0
            .into_iter()
            .map(|(code, (invoices, alone))| ReviewReason {
                code,
                invoices,
                alone,
            })
            .collect();
        reasons.sort_by(|a, b| b.invoices.cmp(&a.invoices).then(a.code.cmp(&b.code)));
        reasons
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_invoice_counts_once_per_reason_and_alone_only_with_no_other() {
        let mut counts = ReasonCounts::default();
        let codes = |c: &[&str]| c.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
        counts.add(&codes(&["below_threshold", "below_threshold"]));
        counts.add(&codes(&["below_threshold", "recent_change"]));
        counts.add(&codes(&["sample_check"]));
        counts.add(&codes(&["duplicate_amount", "below_threshold"]));
        counts.add(&[]);
        let list: Vec<(String, u64, u64)> = counts
            .list()
            .into_iter()
            .map(|r| (r.code, r.invoices, r.alone))
            .collect();
        let want = |c: &str, n, a| (c.to_owned(), n, a);
        assert_eq!(
            list,
            [
                want("below_threshold", 3, 1),
                want("duplicate_amount", 1, 0),
                want(NO_REASON, 1, 1),
                want("recent_change", 1, 0),
                want("sample_check", 1, 1),
            ]
        );
    }
}
