//! Thresholds that follow the audit: per area, the blind audits of the last months say how far
//! the model's confidence can be believed, and the area's threshold moves so that the lower
//! confidence bound of precision stays at or above the promised target.
//!
//! # The rule
//! A calibrated confidence `c` promises an error rate of `1 − c`. Over an area's audited invoices
//! (the blind 5% sample of those it would have posted automatically, so an unbiased sample of
//! what it posts) the model therefore *expected* `E = Σ (1 − cᵢ)` errors and the controllers found
//! `O`. When the ledger drifts, errors grow in proportion to what the model expected — the same
//! invoices, more often wrong — so the rule estimates that ratio `λ = O / E` and bounds it above
//! with the exact Poisson limit on `O` (Garwood 1936; the standard "observed over expected" ratio
//! of epidemiology, e.g. Ulm 1990, "A simple method to calculate the confidence interval of a
//! standardized mortality ratio", *Am. J. Epidemiol.* 131, 373–375): `λᵤ = U₁₋α(O) / E`.
//!
//! The new threshold is the lowest `t` at or above the model's own (`base`) for which the area's
//! recent eligible invoices with confidence ≥ `t` have a projected precision
//! `1 − λᵤ · mean(1 − c)` of at least the target: the lower `1 − α` confidence bound of precision
//! at `t`. If no `t` reaches it, nothing is automated ([`NEVER`]).
//!
//! No move without enough evidence: at least `min_audits` audited invoices (30 by default; the
//! test is checked after every review, and a single early error must not stop an area), and
//! then the audits must either have expected at least `U₁₋α(0)`
//! errors (≈ 3.0 at 95%: enough that a flawless record confirms the promise, `λᵤ ≤ 1`), or show
//! credibly more errors than promised (`L₁₋α(O) > E`: even the lower bound of the ratio is above
//! 1). Otherwise the base threshold stands. The threshold never goes below the base: the
//! adaptation only tightens the promise made at training, and relaxes again as the evidence
//! recovers. More errors never lower the threshold; more flawless audits never raise it.
//!
//! A new threshold replaces the one in force only when it differs by at least [`MIN_MOVE`] (or
//! returns to the base, or stops or restarts automation; see [`worth_moving`]): the bound shifts
//! a little with every audit, and without this the threshold would move by a few millionths
//! hundreds of times a year, each move stored and shown to controllers, none of them meaningful.
//!
//! A predicted error is never taken below [`MIN_ERROR`]: a calibrated 1.0 is a finite sample's
//! statement, not certainty.

use super::poisson::{lower_bound, upper_bound};

/// A threshold no confidence reaches: nothing is posted automatically.
pub const NEVER: f32 = 1.001;

/// The smallest change of threshold worth storing and serving (see [`worth_moving`]).
pub const MIN_MOVE: f64 = 0.001;

/// The smallest error rate any confidence is taken to promise.
pub const MIN_ERROR: f64 = 1e-4;

/// One audited invoice: the confidence it was decided with (the product of its lines') and
/// whether the controller's blind coding agreed with the coding it would have posted.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Audited {
    pub confidence: f32,
    pub right: bool,
}

/// The audit rule's settings.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ThresholdRule {
    /// The promised precision, e.g. 0.99.
    pub target: f64,
    /// One minus the confidence level of the bounds (0.05: 95%).
    pub alpha: f64,
    /// How many days of audits (and of eligible invoices) are judged.
    pub window_days: u32,
    /// Audited invoices the window needs before the threshold may move.
    pub min_audits: u64,
}

impl Default for ThresholdRule {
    /// Precision 0.99 at 95% confidence over 180 days, from 30 audits.
    fn default() -> ThresholdRule {
        ThresholdRule {
            target: 0.99,
            alpha: 0.05,
            window_days: 180,
            min_audits: 30,
        }
    }
}

/// What the audits of a window hold.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Evidence {
    pub audited: u64,
    /// Audited invoices the controller coded differently.
    pub errors: u64,
    /// Errors the confidences predicted, `Σ max(1 − c, MIN_ERROR)`.
    pub expected: f64,
}

impl Evidence {
    pub fn of(audits: &[Audited]) -> Evidence {
        Evidence {
            audited: audits.len() as u64,
            errors: audits.iter().filter(|a| !a.right).count() as u64,
            expected: audits.iter().map(|a| error_of(a.confidence)).sum(),
        }
    }
}

/// Why the threshold is where it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Basis {
    /// Too little evidence to move: the base threshold stands.
    TooLittle,
    /// Enough audits that a flawless record would confirm the promise.
    Enough,
    /// Credibly more errors than the confidences promised.
    Breach,
}

impl Basis {
    pub fn as_str(self) -> &'static str {
        match self {
            Basis::TooLittle => "too_little_evidence",
            Basis::Enough => "enough_audits",
            Basis::Breach => "credible_breach",
        }
    }
}

/// The observed-over-expected error ratio with its exact bounds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Ratio {
    pub estimate: f64,
    pub lower: f64,
    pub upper: f64,
}

/// The rule's answer for one area.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Adjustment {
    /// The model's (or the administrator's) threshold the rule starts from.
    pub base: f32,
    /// The threshold to serve: `base` when the rule does not move it.
    pub threshold: f32,
    pub evidence: Evidence,
    pub basis: Basis,
    /// `None` while the audits expected no errors at all.
    pub ratio: Option<Ratio>,
    /// The lower confidence bound of precision projected at `threshold` on the recent eligible
    /// invoices (`None` when none clear it).
    pub projected_precision: Option<f64>,
    /// Share of the recent eligible invoices `threshold` lets through.
    pub automated_share: f64,
}

impl Adjustment {
    /// Whether the threshold differs from the base.
    pub fn moved(&self) -> bool {
        self.threshold != self.base
    }
}

fn error_of(confidence: f32) -> f64 {
    (1.0 - f64::from(confidence)).max(MIN_ERROR)
}

impl ThresholdRule {
    /// The expected errors a window's audits need before a flawless record counts as evidence.
    pub fn min_expected(&self) -> f64 {
        upper_bound(0, self.alpha)
    }

    /// The threshold for an area from its window's `audits`, the confidences of its recent
    /// eligible invoices (`stream`: those screening passed and the model coded completely, posted
    /// or not; the audits' confidences are used when it is empty), and its `base` threshold.
    pub fn adjust(&self, audits: &[Audited], stream: &[f32], base: f32) -> Adjustment {
        let evidence = Evidence::of(audits);
        let ratio = (evidence.expected > 0.0).then(|| Ratio {
            estimate: evidence.errors as f64 / evidence.expected,
            lower: lower_bound(evidence.errors, self.alpha) / evidence.expected,
            upper: upper_bound(evidence.errors, self.alpha) / evidence.expected,
        });
        let basis = match ratio {
            _ if evidence.audited < self.min_audits => Basis::TooLittle,
            Some(r) if r.lower > 1.0 => Basis::Breach,
            Some(_) if evidence.expected >= self.min_expected() => Basis::Enough,
            _ => Basis::TooLittle,
        };
        let mut sorted: Vec<f32> = if stream.is_empty() {
            audits.iter().map(|a| a.confidence).collect()
        } else {
            stream.to_vec()
        };
        sorted.sort_unstable_by(|a, b| b.total_cmp(a));
        let threshold = match (basis, ratio) {
            (Basis::TooLittle, _) | (_, None) => base,
            (_, Some(r)) => {
                let t = lowest_threshold(&sorted, r.upper, 1.0 - self.target).max(base);
                // A move that lets through the same eligible invoices as the base is no move.
                let between = sorted.iter().any(|&c| c >= base && c < t);
                if between { t } else { base }
            }
        };
        let cleared = sorted.partition_point(|&c| c >= threshold);
        let mean_error = (cleared > 0)
            .then(|| sorted[..cleared].iter().map(|&c| error_of(c)).sum::<f64>() / cleared as f64);
        let inflation = match basis {
            Basis::TooLittle => 1.0,
            _ => ratio.map_or(1.0, |r| r.upper),
        };
        Adjustment {
            base,
            threshold,
            evidence,
            basis,
            ratio,
            projected_precision: mean_error.map(|e| (1.0 - inflation * e).max(0.0)),
            automated_share: if sorted.is_empty() {
                0.0
            } else {
                cleared as f64 / sorted.len() as f64
            },
        }
    }

    /// The adjustment as one sentence for controllers and analysts.
    pub fn explain(&self, a: &Adjustment) -> String {
        let e = a.evidence;
        let days = self.window_days;
        let seen = format!(
            "{} audited invoices in {days} days, {} coded differently where the confidences \
             predicted {:.1}",
            e.audited, e.errors, e.expected
        );
        let bound = match a.ratio {
            Some(r) => format!(
                " (ratio {:.2}, at most {:.2} at {:.0}% confidence)",
                r.estimate,
                r.upper,
                (1.0 - self.alpha) * 100.0
            ),
            None => String::new(),
        };
        let projected = a
            .projected_precision
            .map(|p| format!("{:.1}%", p * 100.0))
            .unwrap_or_else(|| "nothing automated".to_owned());
        match a.basis {
            Basis::TooLittle => format!(
                "{seen}: too little evidence to move the threshold (at least {} audits, and they \
                 must predict at least {:.1} errors or show credibly more than predicted); it \
                 stays at {:.3}.",
                self.min_audits,
                self.min_expected(),
                a.base
            ),
            _ if a.threshold >= NEVER => format!(
                "{seen}{bound}: no threshold keeps the lower bound of precision at {:.1}%; \
                 nothing is posted automatically until the audits recover.",
                self.target * 100.0
            ),
            _ if a.moved() => format!(
                "{seen}{bound}: threshold {:.4} instead of {:.4}, so that precision's lower bound \
                 stays at {projected} (target {:.1}%).",
                a.threshold,
                a.base,
                self.target * 100.0
            ),
            _ => format!(
                "{seen}{bound}: the threshold {:.4} holds; precision's lower bound is \
                 {projected} (target {:.1}%).",
                a.base,
                self.target * 100.0
            ),
        }
    }
}

/// Whether the rule's `new` threshold should replace the one `in_force` (the area's adapted
/// threshold, or `base` when it has none): when it differs by at least [`MIN_MOVE`], returns to
/// the base, or stops ([`NEVER`]) or restarts automation. A smaller move admits or holds back only
/// invoices whose confidence is within a thousandth of the threshold, a change in precision far
/// inside the bound's own uncertainty.
pub fn worth_moving(in_force: f32, new: f32, base: f32) -> bool {
    if new == in_force {
        return false;
    }
    new == base
        || new >= NEVER
        || in_force >= NEVER
        // Thresholds are `f32`: there 0.997 − 0.996 is 0.00099999…
        || (f64::from(new) - f64::from(in_force)).abs() >= MIN_MOVE - 1e-6
}

/// The lowest confidence in `sorted` (descending) at which the invoices at or above it, their
/// errors inflated by `inflation`, stay within `allowed` on average; ties are taken or left
/// together. [`NEVER`] when not even the most confident invoices do.
fn lowest_threshold(sorted: &[f32], inflation: f64, allowed: f64) -> f32 {
    let mut best = NEVER;
    let mut sum = 0.0;
    let mut i = 0;
    while i < sorted.len() {
        let c = sorted[i];
        while i < sorted.len() && sorted[i] == c {
            sum += error_of(sorted[i]);
            i += 1;
        }
        if inflation * sum / i as f64 <= allowed {
            best = c;
        }
    }
    best
}

#[cfg(test)]
mod tests;
