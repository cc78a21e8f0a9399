//! Choosing the confidence threshold for a target precision, at invoice level: an invoice's
//! confidence is the chance that every line is right (the product of its lines'), so it is
//! automated only if every line clears the threshold, and right only if every line is right.

use std::collections::BTreeMap;

/// One invoice's confidence (the product of its lines': the chance that all are right, each
/// line's chance taken on its own) and whether all its lines were right.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct InvoiceOutcome {
    pub confidence: f32,
    pub right: bool,
}

/// Groups line outcomes (invoice, confidence, right) into invoice outcomes, in invoice order.
pub fn invoice_outcomes<'a>(
    lines: impl IntoIterator<Item = (&'a str, f32, bool)>,
) -> Vec<InvoiceOutcome> {
    invoice_outcomes_by_id(lines).into_values().collect()
}

/// [`invoice_outcomes`] with each invoice's id: the map iterates in the same (invoice) order.
pub fn invoice_outcomes_by_id<'a>(
    lines: impl IntoIterator<Item = (&'a str, f32, bool)>,
) -> BTreeMap<&'a str, InvoiceOutcome> {
    let mut by_invoice: BTreeMap<&str, InvoiceOutcome> = BTreeMap::new();
    for (invoice, confidence, right) in lines {
        by_invoice
            .entry(invoice)
            .and_modify(|o| {
                o.confidence *= confidence;
                o.right &= right;
            })
            .or_insert(InvoiceOutcome { confidence, right });
    }
    by_invoice
}

/// The automation a threshold gives on a set of invoices.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Automation {
    pub threshold: f32,
    /// Share of invoices automated.
    pub rate: f64,
    /// Share of automated invoices that were right (1.0 when none are automated).
    pub precision: f64,
    pub automated: usize,
    pub invoices: usize,
}

/// The automation at a given threshold.
pub fn automation_at(outcomes: &[InvoiceOutcome], threshold: f32) -> Automation {
    let automated: Vec<_> = outcomes
        .iter()
        .filter(|o| o.confidence >= threshold)
        .collect();
    let right = automated.iter().filter(|o| o.right).count();
    Automation {
        threshold,
        rate: ratio(automated.len(), outcomes.len()),
        precision: if automated.is_empty() {
            1.0
        } else {
            ratio(right, automated.len())
        },
        automated: automated.len(),
        invoices: outcomes.len(),
    }
}

/// The threshold that automates nothing: above every confidence (which is at most 1).
pub const NO_THRESHOLD: f32 = 1.5;

/// The lowest threshold whose automated invoices reach `target` precision: invoices are taken
/// most confident first, and the cut is the largest prefix that is still precise enough. Ties
/// in confidence are taken or left together. With no such prefix the threshold is
/// [`NO_THRESHOLD`] (nothing is automated).
pub fn threshold_for(outcomes: &[InvoiceOutcome], target: f64) -> f32 {
    let mut sorted: Vec<InvoiceOutcome> = outcomes.to_vec();
    sorted.sort_unstable_by(|a, b| b.confidence.total_cmp(&a.confidence));
    let mut best = f32::INFINITY;
    let (mut right, mut taken) = (0usize, 0usize);
    let mut i = 0;
    while i < sorted.len() {
        let c = sorted[i].confidence;
        while i < sorted.len() && sorted[i].confidence == c {
            right += usize::from(sorted[i].right);
            taken += 1;
            i += 1;
        }
        if c > 0.0 && ratio(right, taken) >= target {
            best = c;
        }
    }
    if best.is_finite() { best } else { NO_THRESHOLD }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 { 0.0 } else { a as f64 / b as f64 }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn o(confidence: f32, right: bool) -> InvoiceOutcome {
        InvoiceOutcome { confidence, right }
    }

    #[test]
    fn an_invoice_is_as_confident_as_all_its_lines_together_and_right_only_if_all_are() {
        let inv = invoice_outcomes([
            ("a", 0.9, true),
            ("a", 0.5, true),
            ("b", 0.5, true),
            ("b", 0.25, false),
            ("c", 0.75, true),
        ]);
        // 0.9 × 0.5 and 0.5 × 0.25, exact in binary; a one-line invoice is its line.
        assert_eq!(inv, vec![o(0.45, true), o(0.125, false), o(0.75, true)]);
    }

    #[test]
    fn the_threshold_is_the_largest_prefix_meeting_the_target() {
        let out = vec![
            o(0.99, true),
            o(0.98, true),
            o(0.97, false),
            o(0.96, true),
            o(0.5, false),
        ];
        // Prefixes: 1/1, 2/2, 2/3, 3/4, 3/5. For 0.75 the cut is at 0.96 (3 of 4 right).
        assert_eq!(threshold_for(&out, 0.75), 0.96);
        assert_eq!(threshold_for(&out, 0.99), 0.98);
        let a = automation_at(&out, 0.96);
        assert_eq!((a.automated, a.invoices), (4, 5));
        assert_eq!(a.precision, 0.75);
        assert_eq!(a.rate, 0.8);
    }

    #[test]
    fn nothing_automated_when_no_prefix_is_precise_enough() {
        let out = vec![o(0.9, false), o(0.8, true)];
        let t = threshold_for(&out, 0.99);
        assert!(t > 1.0);
        assert_eq!(automation_at(&out, t).automated, 0);
    }
}
