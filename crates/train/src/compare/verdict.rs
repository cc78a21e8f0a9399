//! The verdict: which model automates more at equal realised precision on the compared invoices,
//! at each target precision, by how much, with a paired bootstrap interval over invoices that
//! cuts both models afresh on every resample (`equal.rs`); and a calibration warning for a model
//! whose own threshold for a target realised less than the target on the period.
//!
//! A model is better when it automates more with the interval wholly above zero at one target at
//! least, and less with the interval wholly below zero at none. Near 99% a precision curve is
//! often nearly flat (errors no model foresees, such as a clerk's slips, hold the precision of
//! the most confident invoices near 99%), so the cut at 99% can move by points with a handful of
//! errors; its interval then holds 0, and the verdict rests on the targets that can tell the two
//! apart. Every target's figures are stated, so a verdict never hides one.
//!
//! The equal-precision cuts are chosen on the compared period to compare the two models' rankings
//! only; they are never served or written to a model. Each model's own thresholds, chosen on its
//! training window, are what the service would deliver, and the verdict keeps those figures too.

use super::Side;
use super::bootstrap::{self, Bootstrap, Interval};
use super::equal::Ranking;
use super::figures::Run;
use crate::report::format::{percent, points, threshold};
use crate::report::html::target_name;
use crate::threshold::{Automation, InvoiceOutcome, automation_at};

/// The two models compared at one target precision.
#[derive(Debug, Clone, PartialEq)]
pub struct Judgement {
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
    /// Each model at its own threshold for `target`, chosen on its training window: what the
    /// service would deliver on the period.
    pub champion_own: Automation,
    pub challenger_own: Automation,
}

impl Judgement {
    /// The model that automates more with the whole interval on its side; `None` when the
    /// interval holds 0.
    pub fn ahead(&self) -> Option<Side> {
        if self.interval.low > 0.0 {
            Some(Side::Challenger)
        } else if self.interval.high < 0.0 {
            Some(Side::Champion)
        } else {
            None
        }
    }

    /// Both models automate alike on the period and on every resample.
    fn identical(&self) -> bool {
        self.difference == 0.0 && self.interval.low == 0.0 && self.interval.high == 0.0
    }

    /// "4.1 points more (95% CI 3.2 to 5.0), 62.0% of the invoices against 57.9%", as `side`'s
    /// automation against the other's.
    fn lead(&self, side: Side) -> String {
        let (d, low, high, mine, theirs) = match side {
            Side::Challenger => (
                self.difference,
                self.interval.low,
                self.interval.high,
                &self.challenger,
                &self.champion,
            ),
            Side::Champion => (
                -self.difference,
                -self.interval.high,
                -self.interval.low,
                &self.champion,
                &self.challenger,
            ),
        };
        format!(
            "{} points {} ({} CI {} to {}), {} of the invoices against {}",
            points(d.abs()),
            if d < 0.0 { "less" } else { "more" },
            target_name(self.interval.level),
            points(low),
            points(high),
            percent(mine.rate),
            percent(theirs.rate)
        )
    }
}

/// The comparison's conclusion.
#[derive(Debug, Clone, PartialEq)]
pub struct Verdict {
    /// One per target precision, in [`TARGETS`](super::TARGETS) order (the service's decision
    /// target first).
    pub judgements: Vec<Judgement>,
    pub bootstrap: Bootstrap,
    /// The model ahead at one target at least (the interval wholly on its side) and clearly
    /// behind at none; `None` when no target tells the two apart, or targets disagree.
    pub winner: Option<Side>,
}

impl Verdict {
    /// The service's decision target (the first): the one the differences are decided at.
    pub fn target(&self) -> f64 {
        self.judgements[0].target
    }

    /// The judgement at `target`, if it was compared at.
    pub fn at(&self, target: f64) -> Option<&Judgement> {
        self.judgements.iter().find(|j| j.target == target)
    }

    /// The verdict in one line, e.g. "challenger is better: at equal realised precision (95%) it
    /// automates 6.2 points more (95% CI 4.9 to 7.5), 72.1% of the invoices against 65.9%; at
    /// 99% it automates 1.0 points less (95% CI −17.4 to 19.0), 25.1% of the invoices against
    /// 26.1%". The targets that decide come first, as the winner's lead; then the others.
    pub fn sentence(&self) -> String {
        if self.judgements.iter().all(Judgement::identical) {
            let rates: Vec<String> = self
                .judgements
                .iter()
                .enumerate()
                .map(|(k, j)| {
                    let of = if k == 0 { " of the invoices" } else { "" };
                    format!(
                        "{}{of} at {}",
                        percent(j.champion.rate),
                        target_name(j.target)
                    )
                })
                .collect();
            return format!(
                "no difference: at equal realised precision both automate alike, {} ({} CI 0.0 \
                 to 0.0 points)",
                rates.join(" and "),
                target_name(self.bootstrap.level)
            );
        }
        let (prefix, subject) = match self.winner {
            Some(side) => (format!("{side} is better"), side),
            None => ("no clear winner".to_owned(), Side::Challenger),
        };
        let mut order: Vec<&Judgement> = self.judgements.iter().collect();
        if self.winner.is_some() {
            // Stable: the deciding targets first, each group in target order.
            order.sort_by_key(|j| j.ahead().is_none());
        }
        let clauses: Vec<String> = order
            .iter()
            .enumerate()
            .map(|(k, j)| {
                let target = target_name(j.target);
                match k {
                    0 => format!(
                        "at equal realised precision ({target}) {} automates {}",
                        if self.winner.is_some() {
                            "it"
                        } else {
                            "the challenger"
                        },
                        j.lead(subject)
                    ),
                    _ => format!("at {target} it automates {}", j.lead(subject)),
                }
            })
            .collect();
        format!("{prefix}: {}", clauses.join("; "))
    }

    /// For each target, the models whose own threshold for it realised a precision below it on
    /// the compared invoices (a model automating nothing realises nothing), champion first.
    pub fn below_target(&self) -> Vec<(Side, f64, &Automation)> {
        self.judgements
            .iter()
            .flat_map(|j| {
                [
                    (Side::Champion, j.target, &j.champion_own),
                    (Side::Challenger, j.target, &j.challenger_own),
                ]
            })
            .filter(|(_, target, a)| a.automated > 0 && a.precision < *target)
            .collect()
    }

    /// One sentence per model and target of [`below_target`](Self::below_target), e.g. "the
    /// challenger's own 99% threshold (0.9981) realised 97.9% precision on this period, below its
    /// target".
    pub fn calibration_warnings(&self) -> Vec<String> {
        self.below_target()
            .into_iter()
            .map(|(side, target, a)| {
                format!(
                    "the {side}'s own {} threshold ({}) realised {} precision on this period, \
                     below its target",
                    target_name(target),
                    threshold(a.threshold),
                    percent(a.precision)
                )
            })
            .collect()
    }
}

/// Judges run `b` (the challenger) against run `a` (the champion), both on the same invoices, at
/// every target.
pub(super) fn judge(a: &Run<'_>, b: &Run<'_>, options: &Bootstrap) -> Verdict {
    assert!(
        a.outcomes.keys().eq(b.outcomes.keys()),
        "both models are scored on the same invoices"
    );
    let outcomes =
        |run: &Run<'_>| -> Vec<InvoiceOutcome> { run.outcomes.values().copied().collect() };
    let (outcomes_a, outcomes_b) = (outcomes(a), outcomes(b));
    let judgements = a
        .thresholds
        .iter()
        .zip(&b.thresholds)
        .map(|(&(target, own_a), &(_, own_b))| {
            judge_at(
                target,
                (&a.ranking, &b.ranking),
                (
                    automation_at(&outcomes_a, own_a),
                    automation_at(&outcomes_b, own_b),
                ),
                options,
            )
        })
        .collect();
    decide(judgements, options)
}

/// The judgement at `target` from the champion's and the challenger's rankings of the same
/// invoices (in the same order) and each one's automation at its own threshold.
fn judge_at(
    target: f64,
    (a, b): (&Ranking, &Ranking),
    (champion_own, challenger_own): (Automation, Automation),
    options: &Bootstrap,
) -> Judgement {
    assert_eq!(a.len(), b.len(), "both rankings are of the same invoices");
    let champion = a.point(target);
    let challenger = b.point(target);
    // Paired: both rankings index the invoices in the same order, so one draw weights both; each
    // resample is cut afresh, so the interval covers the choice of the cuts too.
    let interval = bootstrap::interval(a.len(), options, |counts| {
        b.weighted_cut(target, counts).rate() - a.weighted_cut(target, counts).rate()
    });
    Judgement {
        target,
        difference: challenger.rate - champion.rate,
        champion,
        challenger,
        interval,
        champion_own,
        challenger_own,
    }
}

/// The verdict over the judgements: the side ahead at some target and clearly behind at none.
fn decide(judgements: Vec<Judgement>, options: &Bootstrap) -> Verdict {
    let ahead: Vec<Side> = judgements.iter().filter_map(Judgement::ahead).collect();
    let winner = match ahead.first() {
        Some(&first) if ahead.iter().all(|&s| s == first) => Some(first),
        _ => None,
    };
    Verdict {
        judgements,
        bootstrap: *options,
        winner,
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

    /// A judgement at `target` with the champion automating 57.9% at equal precision.
    fn judgement(target: f64, difference: f64, low: f64, high: f64) -> Judgement {
        Judgement {
            target,
            champion: automation(0.97, 0.579, target),
            challenger: automation(0.98, 0.579 + difference, target),
            difference,
            interval: Interval {
                low,
                high,
                level: 0.95,
            },
            champion_own: automation(0.96, 0.60, target),
            challenger_own: automation(0.95, 0.65, target + 0.005),
        }
    }

    fn verdict(judgements: Vec<Judgement>) -> Verdict {
        decide(judgements, &Bootstrap::default())
    }

    #[test]
    fn the_sentence_names_the_better_model_and_the_interval_on_its_side() {
        let v = verdict(vec![judgement(0.99, 0.041, 0.032, 0.050)]);
        assert_eq!(v.winner, Some(Side::Challenger));
        assert_eq!(
            v.sentence(),
            "challenger is better: at equal realised precision (99%) it automates 4.1 points \
             more (95% CI 3.2 to 5.0), 62.0% of the invoices against 57.9%"
        );
        let v = verdict(vec![judgement(0.99, -0.02, -0.029, -0.011)]);
        assert_eq!(v.winner, Some(Side::Champion));
        assert_eq!(
            v.sentence(),
            "champion is better: at equal realised precision (99%) it automates 2.0 points more \
             (95% CI 1.1 to 2.9), 57.9% of the invoices against 55.9%"
        );
        let v = verdict(vec![judgement(0.99, -0.003, -0.009, 0.004)]);
        assert_eq!(v.winner, None);
        assert_eq!(
            v.sentence(),
            "no clear winner: at equal realised precision (99%) the challenger automates 0.3 \
             points less (95% CI −0.9 to 0.4), 57.6% of the invoices against 57.9%"
        );
        let v = verdict(vec![
            judgement(0.99, 0.0, 0.0, 0.0),
            judgement(0.95, 0.0, 0.0, 0.0),
        ]);
        assert_eq!(v.winner, None);
        assert_eq!(
            v.sentence(),
            "no difference: at equal realised precision both automate alike, 57.9% of the \
             invoices at 99% and 57.9% at 95% (95% CI 0.0 to 0.0 points)"
        );
    }

    #[test]
    fn a_target_in_the_noise_neither_decides_nor_is_hidden() {
        // At 99% the interval holds 0; at 95% the challenger is clearly ahead: it is better, the
        // deciding target is named first, and 99% is still stated.
        let v = verdict(vec![
            judgement(0.99, -0.010, -0.174, 0.190),
            judgement(0.95, 0.062, 0.049, 0.075),
        ]);
        assert_eq!(v.winner, Some(Side::Challenger));
        assert_eq!(v.target(), 0.99);
        assert_eq!(v.at(0.95).unwrap().ahead(), Some(Side::Challenger));
        assert_eq!(v.at(0.99).unwrap().ahead(), None);
        assert_eq!(
            v.sentence(),
            "challenger is better: at equal realised precision (95%) it automates 6.2 points \
             more (95% CI 4.9 to 7.5), 64.1% of the invoices against 57.9%; at 99% it automates \
             1.0 points less (95% CI −17.4 to 19.0), 56.9% of the invoices against 57.9%"
        );
        // Clearly ahead at one target and clearly behind at another: no winner.
        let v = verdict(vec![
            judgement(0.99, -0.030, -0.050, -0.010),
            judgement(0.95, 0.062, 0.049, 0.075),
        ]);
        assert_eq!(v.winner, None);
        assert!(
            v.sentence().starts_with(
                "no clear winner: at equal realised precision (99%) the challenger automates \
                 3.0 points less (95% CI −5.0 to −1.0)"
            ),
            "{}",
            v.sentence()
        );
        assert!(
            v.sentence()
                .ends_with("; at 95% it automates 6.2 points more (95% CI 4.9 to 7.5), 64.1% of the invoices against 57.9%"),
            "{}",
            v.sentence()
        );
    }

    #[test]
    fn an_own_threshold_realising_below_the_target_is_warned_about() {
        let mut v = verdict(vec![
            judgement(0.99, 0.041, 0.032, 0.050),
            judgement(0.95, 0.041, 0.032, 0.050),
        ]);
        assert!(
            v.calibration_warnings().is_empty(),
            "each own threshold reaches its target"
        );
        v.judgements[0].challenger_own = automation(0.9981, 0.65, 0.979);
        assert_eq!(
            v.calibration_warnings(),
            [
                "the challenger's own 99% threshold (0.9981) realised 97.9% precision on this \
              period, below its target"
            ]
        );
        v.judgements[1].champion_own = automation(0.6, 0.70, 0.94);
        let below: Vec<(Side, f64)> = v
            .below_target()
            .into_iter()
            .map(|(s, t, _)| (s, t))
            .collect();
        assert_eq!(below, [(Side::Challenger, 0.99), (Side::Champion, 0.95)]);
        // Automating nothing realises no precision at all.
        v.judgements[1].champion_own = automation(1.5, 0.0, 0.0);
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
        let j = judge_at(0.99, (&poor, &good), (own, own), &options());
        // The good ranking automates its 1,800 right invoices and then the first 18 wrong ones
        // (1,800 of 1,818 is 99.01%; of 1,819, 98.96%); the poor one never reaches 99%.
        assert_eq!(j.challenger.automated, 1_818);
        assert_eq!(j.challenger.precision, 1_800.0 / 1_818.0);
        assert_eq!(j.champion.automated, 0);
        assert_eq!(j.difference, 0.909);
        assert!(
            j.interval.low > 0.88 && j.interval.high < 0.94,
            "{:?}",
            j.interval
        );
        let v = decide(vec![j], &options());
        assert_eq!(v.winner, Some(Side::Challenger));
        assert!(v.sentence().starts_with(
            "challenger is better: at equal realised precision (99%) it automates 90.9 points more"
        ));
        // The other way round, the champion is better by as much.
        let w = judge_at(0.99, (&good, &poor), (own, own), &options());
        assert_eq!(w.ahead(), Some(Side::Champion));
        assert_eq!(w.difference, -0.909);
        assert!(w.interval.high < -0.88, "{:?}", w.interval);
    }

    #[test]
    fn a_ranking_against_itself_differs_by_exactly_nothing_on_every_resample() {
        for r in [ranking(false), ranking(true)] {
            let own = automation(0.9, 0.5, 0.99);
            let j = judge_at(0.99, (&r, &r), (own, own), &options());
            assert_eq!(j.difference, 0.0);
            assert_eq!((j.interval.low, j.interval.high), (0.0, 0.0));
            let v = decide(vec![j], &options());
            assert_eq!(v.winner, None);
            assert!(
                v.sentence().starts_with("no difference"),
                "{}",
                v.sentence()
            );
        }
    }
}
