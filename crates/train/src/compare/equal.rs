//! Operating points at equal realised precision, for comparing two models' rankings only.
//!
//! A model's operating point at a target precision is the largest automation on the compared
//! invoices whose automated invoices are right at least that often: the invoices are ranked most
//! confident first and cut between distinct confidences (ties are taken or left together; an
//! invoice of confidence 0, too little support, is never automated, as in
//! [`threshold_for`](crate::threshold::threshold_for)). Two models cut this way realise the same
//! precision on the same invoices, so the automation each reaches measures how well it ranks its
//! right invoices above its wrong ones.
//!
//! The cut is chosen on the compared period itself, so it is never served or written to a model:
//! the thresholds a model serves are chosen on its training window only (`fit.rs`), and a
//! comparison reports what those deliver alongside.

use crate::threshold::{Automation, InvoiceOutcome, NO_THRESHOLD};

/// What the equal-precision operating points are, for the reports.
pub const EQUAL_PRECISION: &str = "each model's operating point at equal realised precision is \
     the largest automation whose automated invoices are right at least as often as the target, \
     cut on the compared invoices themselves; it compares the two models' rankings only and is \
     never served or written to a model: the service automates at each model's own thresholds, \
     chosen on its training window";

/// A model's invoices ranked most confident first: sorted once, then cut for each target and for
/// each bootstrap resample.
#[derive(Debug, Clone, PartialEq)]
pub struct Ranking {
    /// (confidence, right, index of the invoice in the outcomes ranked), most confident first.
    sorted: Vec<(f32, bool, u32)>,
}

/// A cut of a [`Ranking`]: the invoices automated and right, each counted by its weight.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Cut {
    /// Invoices at least this confident are automated; [`NO_THRESHOLD`] when none are.
    pub threshold: f32,
    pub automated: u64,
    pub right: u64,
    /// The weight of every invoice ranked, automated or not.
    pub total: u64,
}

impl Ranking {
    /// Ranks `outcomes` (at most `u32::MAX` of them), most confident first.
    pub fn new(outcomes: &[InvoiceOutcome]) -> Self {
        let mut sorted: Vec<(f32, bool, u32)> = outcomes
            .iter()
            .enumerate()
            .map(|(i, o)| (o.confidence, o.right, i as u32))
            .collect();
        // Stable, so equal confidences stay in invoice order (the cut never splits them anyway).
        sorted.sort_by(|a, b| b.0.total_cmp(&a.0));
        Ranking { sorted }
    }

    /// The invoices ranked.
    pub fn len(&self) -> usize {
        self.sorted.len()
    }

    pub fn is_empty(&self) -> bool {
        self.sorted.is_empty()
    }

    /// The operating point at `target` precision, every invoice counted once.
    pub fn point(&self, target: f64) -> Automation {
        self.cut_by(target, |_| 1).automation()
    }

    /// The cut at `target` precision with invoice `i` (its index in the outcomes ranked) counted
    /// `weights[i]` times, as a bootstrap resample draws it; `weights` has one per invoice.
    pub fn weighted_cut(&self, target: f64, weights: &[u32]) -> Cut {
        assert_eq!(weights.len(), self.len(), "one weight per ranked invoice");
        self.cut_by(target, |i| u64::from(weights[i]))
    }

    /// Walks the ranking one confidence at a time and keeps the last cut whose precision reaches
    /// `target` (precision need not fall steadily, so the walk goes to the end). A confidence
    /// carrying no weight is no cut of its own.
    fn cut_by(&self, target: f64, weight: impl Fn(usize) -> u64) -> Cut {
        let total: u64 = self
            .sorted
            .iter()
            .map(|&(_, _, i)| weight(i as usize))
            .sum();
        let mut best = Cut {
            threshold: NO_THRESHOLD,
            automated: 0,
            right: 0,
            total,
        };
        let (mut automated, mut right) = (0u64, 0u64);
        let mut k = 0;
        while k < self.sorted.len() {
            let confidence = self.sorted[k].0;
            let mut group = 0u64;
            while k < self.sorted.len() && self.sorted[k].0.total_cmp(&confidence).is_eq() {
                let (_, is_right, i) = self.sorted[k];
                let w = weight(i as usize);
                group += w;
                right += w * u64::from(is_right);
                k += 1;
            }
            automated += group;
            if group > 0 && confidence > 0.0 && right as f64 / automated as f64 >= target {
                best = Cut {
                    threshold: confidence,
                    automated,
                    right,
                    total,
                };
            }
        }
        best
    }
}

impl Cut {
    /// Share of the total weight automated (0 when there is none).
    pub fn rate(&self) -> f64 {
        if self.total == 0 {
            0.0
        } else {
            self.automated as f64 / self.total as f64
        }
    }

    /// The cut as an [`Automation`] (precision 1.0 when nothing is automated, as
    /// [`automation_at`](crate::threshold::automation_at) says).
    pub fn automation(&self) -> Automation {
        Automation {
            threshold: self.threshold,
            rate: self.rate(),
            precision: if self.automated == 0 {
                1.0
            } else {
                self.right as f64 / self.automated as f64
            },
            automated: self.automated as usize,
            invoices: self.total as usize,
        }
    }
}

/// The operating point of `outcomes` at `target` precision (see the module's documentation).
pub fn operating_point(outcomes: &[InvoiceOutcome], target: f64) -> Automation {
    Ranking::new(outcomes).point(target)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::threshold::{automation_at, threshold_for};

    fn o(confidence: f32, right: bool) -> InvoiceOutcome {
        InvoiceOutcome { confidence, right }
    }

    /// `outcomes` cut at `target`: (threshold, automated, invoices, precision).
    fn check(outcomes: &[InvoiceOutcome], target: f64, expected: (f32, usize, usize, f64)) {
        let a = operating_point(outcomes, target);
        assert_eq!(
            (a.threshold, a.automated, a.invoices, a.precision),
            expected,
            "target {target}"
        );
        let rate = if expected.2 == 0 {
            0.0
        } else {
            expected.1 as f64 / expected.2 as f64
        };
        assert_eq!(a.rate, rate);
    }

    #[test]
    fn ties_in_confidence_are_taken_or_left_together() {
        // Shuffled on purpose. By confidence: 0.9 → 1 of 2 right; 0.8 → 4 of 5; 0.7 → 4 of 6.
        let out = [
            o(0.8, true),
            o(0.9, false),
            o(0.7, false),
            o(0.8, true),
            o(0.9, true),
            o(0.8, true),
        ];
        check(&out, 0.75, (0.8, 5, 6, 0.8));
        check(&out, 0.6, (0.7, 6, 6, 4.0 / 6.0));
        // The right 0.9 alone would be 100%, but it cannot be parted from the wrong one.
        check(&out, 0.9, (NO_THRESHOLD, 0, 6, 1.0));
    }

    #[test]
    fn the_largest_automation_reaching_the_target_is_taken_past_a_dip() {
        // Precision of each prefix: 1/1, 1/2, 2/3, 3/4, 4/5, 4/6.
        let out = [
            o(0.99, true),
            o(0.98, false),
            o(0.97, true),
            o(0.96, true),
            o(0.95, true),
            o(0.50, false),
        ];
        check(&out, 0.8, (0.95, 5, 6, 0.8));
        check(&out, 0.99, (0.99, 1, 6, 1.0));
        check(&out, 0.6, (0.50, 6, 6, 4.0 / 6.0));
    }

    #[test]
    fn nothing_reaching_the_target_automates_nothing() {
        let out = [o(0.9, false), o(0.8, true), o(0.7, true)];
        // Prefixes: 0/1, 1/2, 2/3.
        check(&out, 0.99, (NO_THRESHOLD, 0, 3, 1.0));
        assert_eq!(operating_point(&out, 0.99).rate, 0.0);
        check(&[], 0.99, (NO_THRESHOLD, 0, 0, 1.0));
    }

    #[test]
    fn everything_right_automates_everything_down_to_the_least_confident() {
        let out = [o(0.3, true), o(0.9, true), o(0.6, true)];
        check(&out, 0.99, (0.3, 3, 3, 1.0));
        check(&out, 1.0, (0.3, 3, 3, 1.0));
    }

    #[test]
    fn an_invoice_of_confidence_zero_is_never_automated() {
        let out = [o(0.9, true), o(0.0, true)];
        check(&out, 0.99, (0.9, 1, 2, 1.0));
    }

    #[test]
    fn weights_count_each_invoice_as_often_as_drawn() {
        // 0.9 wrong, 0.8 right, 0.7 right.
        let r = Ranking::new(&[o(0.9, false), o(0.8, true), o(0.7, true)]);
        let cut = |weights: &[u32], target: f64| {
            let c = r.weighted_cut(target, weights);
            (c.threshold, c.automated, c.right, c.total)
        };
        // The wrong invoice not drawn: three draws of 0.8 and one of 0.7, all right.
        assert_eq!(cut(&[0, 3, 1], 0.99), (0.7, 4, 4, 4));
        // Each once: 0/1, 1/2, 2/3.
        assert_eq!(cut(&[1, 1, 1], 0.6), (0.7, 3, 2, 3));
        assert_eq!(cut(&[1, 1, 1], 0.7), (NO_THRESHOLD, 0, 0, 3));
        // The wrong one twice: 0/2, 1/3; 0.7 not drawn is no cut of its own.
        assert_eq!(cut(&[2, 1, 0], 0.3), (0.8, 3, 1, 3));
        assert_eq!(r.weighted_cut(0.3, &[2, 1, 0]).rate(), 1.0);
    }

    #[test]
    fn the_cut_is_the_measured_threshold_rule_applied_to_the_compared_invoices() {
        // A seeded jumble with many ties: the same cut as threshold_for, then automation_at.
        let mut state = 7u64;
        let mut next = move || {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            state >> 33
        };
        let out: Vec<InvoiceOutcome> = (0..2_000)
            .map(|_| {
                let confidence = (next() % 200) as f32 / 200.0;
                let right = (next() % 1000) as f32 / 1000.0 < confidence.sqrt() + 0.02;
                o(confidence, right)
            })
            .collect();
        for target in [0.5, 0.8, 0.9, 0.95, 0.99, 1.0] {
            let expected = automation_at(&out, threshold_for(&out, target));
            assert_eq!(operating_point(&out, target), expected, "target {target}");
        }
        let ones = vec![1; out.len()];
        let r = Ranking::new(&out);
        assert_eq!(r.weighted_cut(0.95, &ones).automation(), r.point(0.95));
    }
}
