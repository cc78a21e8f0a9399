//! The verdict: which model automates more at the verdict's target precision, each at its own
//! threshold for it, by how much, with a paired bootstrap interval over invoices; and the precision
//! each realises.

use super::Side;
use super::bootstrap::{self, Bootstrap, Interval};
use super::figures::Run;
use crate::report::html::{precision, target_name};
use crate::threshold::{Automation, InvoiceOutcome, automation_at};

/// The comparison's conclusion.
#[derive(Debug, Clone, PartialEq)]
pub struct Verdict {
    /// The target precision compared at (the first of [`TARGETS`](super::TARGETS)).
    pub target: f64,
    /// Each model's automation at its own threshold for `target`.
    pub champion: Automation,
    pub challenger: Automation,
    /// The challenger's automation rate minus the champion's (a share: 0.041 is 4.1 points).
    pub difference: f64,
    /// The paired bootstrap interval of `difference`.
    pub interval: Interval,
    /// The challenger's realised precision minus the champion's; `NaN` when either automates
    /// nothing.
    pub precision_difference: f64,
    /// Its paired bootstrap interval (resamples where either automates nothing left out).
    pub precision_interval: Interval,
    pub bootstrap: Bootstrap,
    /// The model that automates more with the whole interval on its side; `None` when the
    /// interval holds 0.
    pub ahead: Option<Side>,
    /// The better model: the one ahead, unless its realised precision is clearly lower (the
    /// precision interval wholly on the other's side) — then the two are not compared at equal
    /// precision and neither is better.
    pub winner: Option<Side>,
}

impl Verdict {
    /// The verdict in one line, e.g. "challenger is better: it automates 4.1 points more (95% CI
    /// 3.2 to 5.0) at 99% precision; realised precision 99.1% (challenger) vs 99.0% (champion)".
    pub fn sentence(&self) -> String {
        let target = target_name(self.target);
        let level = target_name(self.interval.level);
        let precisions = format!(
            "realised precision {} (challenger) vs {} (champion)",
            precision(&self.challenger),
            precision(&self.champion)
        );
        let (d, low, high) = (self.difference, self.interval.low, self.interval.high);
        // (difference, low, high) as the named side's lead over the other.
        let lead = |side: Side, d: f64, low: f64, high: f64| match side {
            Side::Challenger => (d, low, high),
            Side::Champion => (-d, -high, -low),
        };
        match (self.winner, self.ahead) {
            (Some(side), _) => {
                let (d, low, high) = lead(side, d, low, high);
                format!(
                    "{side} is better: it automates {} points more ({level} CI {} to {}) at \
                     {target} precision; {precisions}",
                    points(d),
                    points(low),
                    points(high)
                )
            }
            (None, Some(side)) => {
                let (d, low, high) = lead(side, d, low, high);
                let (pd, plow, phigh) = lead(
                    side,
                    self.precision_difference,
                    self.precision_interval.low,
                    self.precision_interval.high,
                );
                let (mine, theirs, other) = match side {
                    Side::Challenger => (&self.challenger, &self.champion, Side::Champion),
                    Side::Champion => (&self.champion, &self.challenger, Side::Challenger),
                };
                format!(
                    "no clear winner: the {side} automates {} points more ({level} CI {} to {}) \
                     at {target} precision but realises a lower precision, {} vs {} ({other}; \
                     difference {} points, {level} CI {} to {}), so the two are not compared at \
                     equal precision",
                    points(d),
                    points(low),
                    points(high),
                    precision(mine),
                    precision(theirs),
                    points(pd),
                    points(plow),
                    points(phigh)
                )
            }
            (None, None) if d == 0.0 && low == 0.0 && high == 0.0 => format!(
                "no difference: both automate {} of the invoices at {target} precision ({level} \
                 CI 0.0 to 0.0 points); {precisions}",
                crate::report::format::percent(self.champion.rate)
            ),
            (None, None) => format!(
                "no clear winner: the challenger automates {} points {} ({level} CI {} to {}) at \
                 {target} precision; {precisions}",
                points(d.abs()),
                if d < 0.0 { "less" } else { "more" },
                points(low),
                points(high)
            ),
        }
    }
}

/// Judges run `b` (the challenger) against run `a` (the champion), both on the same invoices, at
/// the first target.
pub(super) fn judge(a: &Run<'_>, b: &Run<'_>, options: &Bootstrap) -> Verdict {
    assert!(
        a.outcomes.keys().eq(b.outcomes.keys()),
        "both models are scored on the same invoices"
    );
    let target = a.thresholds[0].0;
    let outcomes_a: Vec<InvoiceOutcome> = a.outcomes.values().copied().collect();
    let outcomes_b: Vec<InvoiceOutcome> = b.outcomes.values().copied().collect();
    let champion = automation_at(&outcomes_a, a.decision_threshold());
    let challenger = automation_at(&outcomes_b, b.decision_threshold());

    // Per invoice, paired: (automated, right) for the champion, then for the challenger.
    let auto = |o: &InvoiceOutcome, t: f32| o.confidence >= t;
    let paired: Vec<[bool; 4]> = outcomes_a
        .iter()
        .zip(&outcomes_b)
        .map(|(oa, ob)| {
            let (aa, ab) = (
                auto(oa, a.decision_threshold()),
                auto(ob, b.decision_threshold()),
            );
            [aa, aa && oa.right, ab, ab && ob.right]
        })
        .collect();
    let n = paired.len();
    let sums = |counts: &[u32]| {
        let mut s = [0u64; 4];
        for (&c, p) in counts.iter().zip(&paired) {
            for (k, &flag) in p.iter().enumerate() {
                s[k] += u64::from(c) * u64::from(flag);
            }
        }
        s
    };
    let interval = bootstrap::interval(n, options, |counts| {
        let s = sums(counts);
        (s[2] as f64 - s[0] as f64) / n as f64
    });
    let precision_interval = bootstrap::interval(n, options, |counts| {
        let s = sums(counts);
        share(s[3], s[2]) - share(s[1], s[0])
    });
    let ahead = if interval.low > 0.0 {
        Some(Side::Challenger)
    } else if interval.high < 0.0 {
        Some(Side::Champion)
    } else {
        None
    };
    let less_precise = match ahead {
        Some(Side::Challenger) => precision_interval.high < 0.0,
        Some(Side::Champion) => precision_interval.low > 0.0,
        None => false,
    };
    let winner = ahead.filter(|_| !less_precise);
    Verdict {
        target,
        difference: challenger.rate - champion.rate,
        precision_difference: if champion.automated == 0 || challenger.automated == 0 {
            f64::NAN
        } else {
            challenger.precision - champion.precision
        },
        champion,
        challenger,
        interval,
        precision_interval,
        bootstrap: *options,
        ahead,
        winner,
    }
}

/// `a / b`, `NaN` when `b` is 0.
fn share(a: u64, b: u64) -> f64 {
    if b == 0 {
        f64::NAN
    } else {
        a as f64 / b as f64
    }
}

/// A share as signed percentage points with one decimal (`-0.009` → `"−0.9"`).
fn points(share: f64) -> String {
    let p = format!("{:.1}", share * 100.0);
    match p.strip_prefix('-') {
        Some("0.0") => "0.0".to_owned(),
        Some(rest) => format!("−{rest}"),
        None => p,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn automation(rate: f64, precision: f64) -> Automation {
        Automation {
            threshold: 0.9,
            rate,
            precision,
            automated: (rate * 1000.0) as usize,
            invoices: 1000,
        }
    }

    fn verdict(difference: f64, low: f64, high: f64, ahead: Option<Side>) -> Verdict {
        let interval = Interval {
            low,
            high,
            level: 0.95,
        };
        Verdict {
            target: 0.99,
            champion: automation(0.40, 0.990),
            challenger: automation(0.40 + difference, 0.991),
            difference,
            interval,
            precision_difference: 0.001,
            precision_interval: interval,
            bootstrap: Bootstrap::default(),
            ahead,
            winner: ahead,
        }
    }

    #[test]
    fn the_sentence_names_the_better_model_and_the_interval_on_its_side() {
        let v = verdict(0.041, 0.032, 0.050, Some(Side::Challenger));
        assert_eq!(
            v.sentence(),
            "challenger is better: it automates 4.1 points more (95% CI 3.2 to 5.0) at 99% \
             precision; realised precision 99.1% (challenger) vs 99.0% (champion)"
        );
        let v = verdict(-0.02, -0.029, -0.011, Some(Side::Champion));
        assert!(
            v.sentence().starts_with(
                "champion is better: it automates 2.0 points more (95% CI 1.1 to 2.9)"
            ),
            "{}",
            v.sentence()
        );
        let v = verdict(-0.003, -0.009, 0.004, None);
        assert!(
            v.sentence().starts_with(
                "no clear winner: the challenger automates 0.3 points less (95% CI −0.9 to 0.4)"
            ),
            "{}",
            v.sentence()
        );
        let v = verdict(0.0, 0.0, 0.0, None);
        assert!(
            v.sentence().starts_with("no difference"),
            "{}",
            v.sentence()
        );
    }

    #[test]
    fn points_are_signed_without_a_negative_zero() {
        assert_eq!(points(0.041), "4.1");
        assert_eq!(points(-0.009), "−0.9");
        assert_eq!(points(-0.0001), "0.0");
    }
}
