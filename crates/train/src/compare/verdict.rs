//! The verdict: which model automates more at equal realised precision on the compared invoices,
//! by how much, with a paired bootstrap interval over invoices that cuts both models afresh on
//! every resample (`equal.rs`); and a calibration warning for a model whose own threshold for the
//! target realised less than the target on the period.
//!
//! The equal-precision cuts are chosen on the compared period to compare the two models' rankings
//! only; they are never served or written to a model. Each model's own thresholds, chosen on its
//! training window, are what the service would deliver, and the verdict keeps those figures too.

use super::Side;
use super::bootstrap::{self, Bootstrap, Interval};
use super::equal::Ranking;
use super::figures::Run;
use crate::report::format::{percent, threshold};
use crate::report::html::target_name;
use crate::threshold::{Automation, InvoiceOutcome, automation_at};

/// The comparison's conclusion.
#[derive(Debug, Clone, PartialEq)]
pub struct Verdict {
    /// The target precision compared at (the first of [`TARGETS`](super::TARGETS)).
    pub target: f64,
    /// Each model's operating point at equal realised precision: the largest automation whose
    /// realised precision on the compared invoices reaches `target`. Chosen on the compared
    /// period to compare rankings only; never served.
    pub champion: Automation,
    pub challenger: Automation,
    /// The challenger's automation rate at equal precision minus the champion's (a share: 0.041
    /// is 4.1 points).
    pub difference: f64,
    /// The paired bootstrap interval of `difference`, both cuts chosen again on each resample.
    pub interval: Interval,
    pub bootstrap: Bootstrap,
    /// The model that automates more at equal precision with the whole interval on its side;
    /// `None` when the interval holds 0.
    pub winner: Option<Side>,
    /// Each model at its own threshold for `target`, chosen on its training window: what the
    /// service would deliver on the period.
    pub champion_own: Automation,
    pub challenger_own: Automation,
}

impl Verdict {
    /// The verdict in one line, e.g. "challenger is better: at equal realised precision (99%) it
    /// automates 4.1 points more (95% CI 3.2 to 5.0), 62.0% of the invoices against 57.9%".
    pub fn sentence(&self) -> String {
        let target = target_name(self.target);
        let level = target_name(self.interval.level);
        let (d, low, high) = (self.difference, self.interval.low, self.interval.high);
        match self.winner {
            Some(side) => {
                // (difference, low, high, rates) as the winner's lead over the other.
                let (d, low, high, mine, theirs) = match side {
                    Side::Challenger => (d, low, high, &self.challenger, &self.champion),
                    Side::Champion => (-d, -high, -low, &self.champion, &self.challenger),
                };
                format!(
                    "{side} is better: at equal realised precision ({target}) it automates {} \
                     points more ({level} CI {} to {}), {} of the invoices against {}",
                    points(d),
                    points(low),
                    points(high),
                    percent(mine.rate),
                    percent(theirs.rate)
                )
            }
            None if d == 0.0 && low == 0.0 && high == 0.0 => format!(
                "no difference: at equal realised precision ({target}) both automate {} of the \
                 invoices ({level} CI 0.0 to 0.0 points)",
                percent(self.champion.rate)
            ),
            None => format!(
                "no clear winner: at equal realised precision ({target}) the challenger automates \
                 {} points {} ({level} CI {} to {}), {} of the invoices against {}",
                points(d.abs()),
                if d < 0.0 { "less" } else { "more" },
                points(low),
                points(high),
                percent(self.challenger.rate),
                percent(self.champion.rate)
            ),
        }
    }

    /// The models whose own threshold for the target realised a precision below it on the
    /// compared invoices (a model automating nothing realises nothing), champion first.
    pub fn below_target(&self) -> Vec<(Side, &Automation)> {
        [
            (Side::Champion, &self.champion_own),
            (Side::Challenger, &self.challenger_own),
        ]
        .into_iter()
        .filter(|(_, a)| a.automated > 0 && a.precision < self.target)
        .collect()
    }

    /// One sentence per model of [`below_target`](Self::below_target), e.g. "the challenger's own
    /// 99% threshold (0.9981) realised 97.9% precision on this period, below its target".
    pub fn calibration_warnings(&self) -> Vec<String> {
        self.below_target()
            .into_iter()
            .map(|(side, a)| {
                format!(
                    "the {side}'s own {} threshold ({}) realised {} precision on this period, \
                     below its target",
                    target_name(self.target),
                    threshold(a.threshold),
                    percent(a.precision)
                )
            })
            .collect()
    }
}

/// Judges run `b` (the challenger) against run `a` (the champion), both on the same invoices, at
/// the first target.
pub(super) fn judge(a: &Run<'_>, b: &Run<'_>, options: &Bootstrap) -> Verdict {
    assert!(
        a.outcomes.keys().eq(b.outcomes.keys()),
        "both models are scored on the same invoices"
    );
    let own = |run: &Run<'_>| {
        let outcomes: Vec<InvoiceOutcome> = run.outcomes.values().copied().collect();
        automation_at(&outcomes, run.decision_threshold())
    };
    decide(
        a.thresholds[0].0,
        (&a.ranking, &b.ranking),
        (own(a), own(b)),
        options,
    )
}

/// The verdict at `target` from the champion's and the challenger's rankings of the same
/// invoices (in the same order) and each one's automation at its own threshold.
fn decide(
    target: f64,
    (a, b): (&Ranking, &Ranking),
    (champion_own, challenger_own): (Automation, Automation),
    options: &Bootstrap,
) -> Verdict {
    assert_eq!(a.len(), b.len(), "both rankings are of the same invoices");
    let champion = a.point(target);
    let challenger = b.point(target);
    // Paired: both rankings index the invoices in the same order, so one draw weights both; each
    // resample is cut afresh, so the interval covers the choice of the cuts too.
    let interval = bootstrap::interval(a.len(), options, |counts| {
        b.weighted_cut(target, counts).rate() - a.weighted_cut(target, counts).rate()
    });
    let winner = if interval.low > 0.0 {
        Some(Side::Challenger)
    } else if interval.high < 0.0 {
        Some(Side::Champion)
    } else {
        None
    };
    Verdict {
        target,
        difference: challenger.rate - champion.rate,
        champion,
        challenger,
        interval,
        bootstrap: *options,
        winner,
        champion_own,
        challenger_own,
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

    fn automation(threshold: f32, rate: f64, precision: f64) -> Automation {
        Automation {
            threshold,
            rate,
            precision,
            automated: (rate * 1000.0).round() as usize,
            invoices: 1000,
        }
    }

    /// A verdict at 99% with the champion automating 57.9% at equal precision.
    fn verdict(difference: f64, low: f64, high: f64, winner: Option<Side>) -> Verdict {
        Verdict {
            target: 0.99,
            champion: automation(0.97, 0.579, 0.990),
            challenger: automation(0.98, 0.579 + difference, 0.991),
            difference,
            interval: Interval {
                low,
                high,
                level: 0.95,
            },
            bootstrap: Bootstrap::default(),
            winner,
            champion_own: automation(0.96, 0.60, 0.990),
            challenger_own: automation(0.95, 0.65, 0.995),
        }
    }

    #[test]
    fn the_sentence_names_the_better_model_and_the_interval_on_its_side() {
        let v = verdict(0.041, 0.032, 0.050, Some(Side::Challenger));
        assert_eq!(
            v.sentence(),
            "challenger is better: at equal realised precision (99%) it automates 4.1 points \
             more (95% CI 3.2 to 5.0), 62.0% of the invoices against 57.9%"
        );
        let v = verdict(-0.02, -0.029, -0.011, Some(Side::Champion));
        assert_eq!(
            v.sentence(),
            "champion is better: at equal realised precision (99%) it automates 2.0 points more \
             (95% CI 1.1 to 2.9), 57.9% of the invoices against 55.9%"
        );
        let v = verdict(-0.003, -0.009, 0.004, None);
        assert_eq!(
            v.sentence(),
            "no clear winner: at equal realised precision (99%) the challenger automates 0.3 \
             points less (95% CI −0.9 to 0.4), 57.6% of the invoices against 57.9%"
        );
        let v = verdict(0.0, 0.0, 0.0, None);
        assert_eq!(
            v.sentence(),
            "no difference: at equal realised precision (99%) both automate 57.9% of the \
             invoices (95% CI 0.0 to 0.0 points)"
        );
    }

    #[test]
    fn an_own_threshold_realising_below_the_target_is_warned_about() {
        let mut v = verdict(0.041, 0.032, 0.050, Some(Side::Challenger));
        assert!(
            v.calibration_warnings().is_empty(),
            "99.0% and 99.5% reach 99%"
        );
        v.challenger_own = automation(0.9981, 0.65, 0.979);
        assert_eq!(
            v.calibration_warnings(),
            [
                "the challenger's own 99% threshold (0.9981) realised 97.9% precision on this \
              period, below its target"
            ]
        );
        v.champion_own = automation(0.9, 0.70, 0.95);
        let sides: Vec<Side> = v.below_target().into_iter().map(|(s, _)| s).collect();
        assert_eq!(sides, [Side::Champion, Side::Challenger]);
        // Automating nothing realises no precision at all.
        v.champion_own = automation(1.5, 0.0, 0.0);
        assert_eq!(v.below_target().len(), 1);
    }

    /// 2,000 invoices, every tenth wrong (the first of each ten). `ranks_well` puts the 1,800
    /// right ones above the 200 wrong ones; otherwise one wrong invoice leads every ten, so no
    /// cut is right more than 90% of the time.
    fn ranking(ranks_well: bool) -> Ranking {
        let outcomes: Vec<InvoiceOutcome> = (0..2_000u32)
            .map(|i| {
                let right = i % 10 != 0;
                let rank = (i + 1) as f32 / 2_001.0;
                let confidence = match (ranks_well, right) {
                    (false, _) => 1.0 - rank,
                    (true, true) => 0.5 + rank / 2.0,
                    (true, false) => rank / 4.0,
                };
                InvoiceOutcome { confidence, right }
            })
            .collect();
        Ranking::new(&outcomes)
    }

    fn options() -> Bootstrap {
        Bootstrap {
            resamples: 200,
            ..Bootstrap::default()
        }
    }

    #[test]
    fn the_model_ranking_its_wrong_invoices_last_is_better_at_equal_precision() {
        let (poor, good) = (ranking(false), ranking(true));
        let own = automation(0.9, 0.5, 0.99);
        let v = decide(0.99, (&poor, &good), (own, own), &options());
        // The good ranking automates its 1,800 right invoices and then the first 18 wrong ones
        // (1,800 of 1,818 is 99.01%; of 1,819, 98.96%); the poor one never reaches 99%.
        assert_eq!(v.challenger.automated, 1_818);
        assert_eq!(v.challenger.precision, 1_800.0 / 1_818.0);
        assert_eq!(v.champion.automated, 0);
        assert_eq!(v.difference, 0.909);
        assert!(
            v.interval.low > 0.88 && v.interval.high < 0.94,
            "{:?}",
            v.interval
        );
        assert_eq!(v.winner, Some(Side::Challenger));
        assert!(v.sentence().starts_with(
            "challenger is better: at equal realised precision (99%) it automates 90.9 points more"
        ));
        // The other way round, the champion is better by as much.
        let w = decide(0.99, (&good, &poor), (own, own), &options());
        assert_eq!(w.winner, Some(Side::Champion));
        assert_eq!(w.difference, -0.909);
        assert!(w.interval.high < -0.88, "{:?}", w.interval);
    }

    #[test]
    fn a_ranking_against_itself_differs_by_exactly_nothing_on_every_resample() {
        for r in [ranking(false), ranking(true)] {
            let own = automation(0.9, 0.5, 0.99);
            let v = decide(0.99, (&r, &r), (own, own), &options());
            assert_eq!(v.difference, 0.0);
            assert_eq!((v.interval.low, v.interval.high), (0.0, 0.0));
            assert_eq!(v.winner, None);
            assert!(
                v.sentence().starts_with("no difference"),
                "{}",
                v.sentence()
            );
        }
    }

    #[test]
    fn points_are_signed_without_a_negative_zero() {
        assert_eq!(points(0.041), "4.1");
        assert_eq!(points(-0.009), "−0.9");
        assert_eq!(points(-0.0001), "0.0");
    }
}
