//! Choosing the confidence threshold for a target precision, at invoice level: an invoice's
//! confidence is the chance that every line is right (the product of its lines'), so it is
//! automated only if every line clears the threshold, and right only if every line is right.

use std::collections::BTreeMap;

use kontera_core::model::calibration::invoice_confidence;
use kontera_core::trust::{Z95_ONE_SIDED, wilson};

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
                o.confidence = invoice_confidence([o.confidence, confidence]);
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
/// [`NO_THRESHOLD`] (nothing is automated). The precision measured on the invoices themselves:
/// what `compare` cuts at; thresholds a model serves come from [`credible_threshold_for`].
pub fn threshold_for(outcomes: &[InvoiceOutcome], target: f64) -> f32 {
    lowest_cut(outcomes, |right, taken| ratio(right, taken) >= target)
}

/// How sure a served threshold's precision must be: the one-sided 95% Wilson lower bound.
pub const THRESHOLD_Z: f64 = Z95_ONE_SIDED;

/// How a model's thresholds are chosen on its calibration invoices.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ThresholdChoice {
    /// Where the precision is credibly at least the target ([`credible_threshold_for`]): the
    /// default.
    #[default]
    Credible,
    /// Where the measured precision reaches the target ([`threshold_for`]): for samples too
    /// small to make a high target credible (the bundled sample's six calibration months hold
    /// about 1,000 invoices; 99% needs at least 268 right in a row at the top).
    Measured,
}

impl ThresholdChoice {
    /// The threshold for `target` on `outcomes`.
    pub fn threshold(self, outcomes: &[InvoiceOutcome], target: f64) -> f32 {
        match self {
            ThresholdChoice::Credible => credible_threshold_for(outcomes, target, THRESHOLD_Z),
            ThresholdChoice::Measured => threshold_for(outcomes, target),
        }
    }

    /// `"credible"` or `"measured"`, as the model card records it.
    pub fn as_str(self) -> &'static str {
        match self {
            ThresholdChoice::Credible => "credible",
            ThresholdChoice::Measured => "measured",
        }
    }

    /// The choice a model card's `thresholds` option names; a card without one (trained before
    /// the choice existed) was measured.
    pub fn from_card(name: Option<&str>) -> ThresholdChoice {
        match name {
            Some("credible") => ThresholdChoice::Credible,
            _ => ThresholdChoice::Measured,
        }
    }
}

/// The lowest threshold whose automated invoices are *credibly* at least `target` precise: the
/// Wilson score lower bound at `z` (one-sided; [`THRESHOLD_Z`]) of the prefix's precision
/// reaches the target. Choosing the largest prefix whose measured precision reaches the target
/// picks, among many prefixes, the one that happened to measure best (the winner's curse), so
/// a threshold chosen that way realises less on the next invoices; the bound asks of a prefix of
/// 7,000 invoices about 0.3 points above the target, of 700 about 1 point. Wilson, E. B. (1927),
/// "Probable inference, the law of succession, and statistical inference", *J. Am. Stat.
/// Assoc.* 22, 209–212.
pub fn credible_threshold_for(outcomes: &[InvoiceOutcome], target: f64, z: f64) -> f32 {
    lowest_cut(outcomes, |right, taken| {
        wilson(right as u64, taken as u64, z).is_some_and(|i| i.lo >= target)
    })
}

/// The lowest confidence (invoices most confident first, ties together) whose prefix of
/// `(right, taken)` invoices is `enough`; [`NO_THRESHOLD`] when none is.
fn lowest_cut(outcomes: &[InvoiceOutcome], enough: impl Fn(usize, usize) -> bool) -> f32 {
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
        if c > 0.0 && enough(right, taken) {
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

    /// `right` right invoices, most confident first, then `wrong` wrong ones below them.
    fn block(right: usize, wrong: usize) -> Vec<InvoiceOutcome> {
        let n = (right + wrong) as f32;
        (0..right + wrong)
            .map(|i| o(1.0 - i as f32 / n, i < right))
            .collect()
    }

    #[test]
    fn a_credible_threshold_needs_enough_evidence_for_its_bound() {
        // n right of n: Wilson's lower bound is n / (n + z²), at least 0.99 from n = 268 on
        // (z² = 2.7055: 267 / 269.71 = 0.98997, 268 / 270.71 = 0.99001).
        let z2 = THRESHOLD_Z * THRESHOLD_Z;
        assert!(267.0 / (267.0 + z2) < 0.99 && 268.0 / (268.0 + z2) >= 0.99);
        let few = block(267, 3);
        assert_eq!(
            credible_threshold_for(&few, 0.99, THRESHOLD_Z),
            NO_THRESHOLD
        );
        // The measured precision reaches 99% on the same invoices: 267 of 269 is 99.26%.
        assert_eq!(threshold_for(&few, 0.99), few[268].confidence);
        let enough = block(268, 3);
        let t = credible_threshold_for(&enough, 0.99, THRESHOLD_Z);
        assert_eq!(t, enough[267].confidence);
        assert_eq!(automation_at(&enough, t).automated, 268);
    }

    #[test]
    fn a_credible_threshold_is_never_more_lenient_and_is_the_measured_one_at_z_zero() {
        // A seeded jumble: confidences and outcomes from a small LCG, right more often when
        // confident.
        let mut x = 7u64;
        let out: Vec<InvoiceOutcome> = (0..5_000)
            .map(|_| {
                x = x
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                let c = (x >> 40) as f32 / (1u64 << 24) as f32;
                let u = (x >> 16 & 0xffff) as f32 / 65_536.0;
                o(c, u < 0.9 + 0.1 * c)
            })
            .collect();
        for target in [0.9, 0.95, 0.99] {
            let measured = threshold_for(&out, target);
            assert_eq!(credible_threshold_for(&out, target, 0.0), measured);
            let credible = credible_threshold_for(&out, target, THRESHOLD_Z);
            assert!(credible >= measured, "{target}: {credible} < {measured}");
            // Its automated invoices are credibly precise enough.
            let a = automation_at(&out, credible);
            if a.automated > 0 {
                let right = (a.precision * a.automated as f64).round() as u64;
                let bound = wilson(right, a.automated as u64, THRESHOLD_Z).unwrap().lo;
                assert!(bound >= target, "{target}: {bound}");
            }
        }
    }
}
