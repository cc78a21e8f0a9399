//! Holding back a suggested code: when controllers coded credibly more of the lines the model
//! suggested one account (or cost centre) otherwise than the suggestions' confidences predicted,
//! the code's use may have changed (re-purposed, reorganised), and lines suggesting it should go
//! to a person until the evidence no longer says so. The test is one-sided and exact: the lower
//! `1 − alpha` Poisson bound on the corrections' mean (Garwood 1936, see `poisson.rs`) above the
//! errors predicted, `Σ (1 − confidence)` over the reviewed lines — the same observed-over-
//! expected evidence the audit rule uses for areas, here per code and over every review.

#[cfg(test)]
use super::poisson::lower_bound;
use super::poisson::poisson_cdf;

/// Corrections needed before a code is held: a single correction, however unlikely, is one event.
pub const MIN_CORRECTIONS: u64 = 2;

/// Whether `corrected` corrections of reviewed lines whose confidences predicted `expected`
/// errors are credibly more than predicted at error level `alpha`.
pub fn credibly_more(corrected: u64, expected: f64, alpha: f64) -> bool {
    // The lower bound L(k) is the mean at which k or more events have probability alpha, and
    // that probability grows with the mean: L(k) > expected exactly when `expected` makes k or
    // more corrections less likely than alpha. One tail sum, not the bisection that finds L(k)
    // (a few hundred tail sums): a service judges every suggested code after every review.
    corrected >= MIN_CORRECTIONS && 1.0 - poisson_cdf(corrected - 1, expected) < alpha
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn two_corrections_of_sure_suggestions_are_credibly_more() {
        // L(2) at 95% is 0.3554 (the mean whose probability of 2 or more events is 0.05):
        // 1 − e^{−0.3554}(1 + 0.3554) = 0.0500.
        let l = lower_bound(2, 0.05);
        assert!((l - 0.3554).abs() < 1e-4, "{l}");
        assert!(credibly_more(2, 0.35, 0.05));
        assert!(!credibly_more(2, 0.36, 0.05));
    }

    #[test]
    fn one_correction_never_holds() {
        assert!(!credibly_more(1, 0.0, 0.05));
        assert!(!credibly_more(0, 0.0, 0.05));
    }

    #[test]
    fn the_tail_test_is_the_lower_bound_above_the_prediction() {
        // Against the bound found by bisection, away from the bound itself (within 1e-9 the two
        // may round apart), for few and many corrections and both levels.
        let mut held = 0;
        for alpha in [0.05, 0.01] {
            for k in (2..60).chain([150, 400, 1_000, 3_000]) {
                let l = lower_bound(k, alpha);
                for expected in [
                    0.0, 0.01, 0.3, 0.9, 1.7, 4.0, 12.0, 45.0, 140.0, 900.0, 2_900.0,
                ]
                .into_iter()
                .chain([l * 0.999, l * 1.001])
                {
                    if (expected - l).abs() < 1e-9 * l.max(1.0) {
                        continue;
                    }
                    let want = l > expected;
                    assert_eq!(
                        credibly_more(k, expected, alpha),
                        want,
                        "k {k}, e {expected}"
                    );
                    held += usize::from(want);
                }
            }
        }
        assert!(held > 100, "{held}");
    }

    #[test]
    fn more_corrections_or_fewer_predicted_errors_never_release() {
        for expected in [0.1, 0.5, 1.0, 2.0, 5.0] {
            let first = (0..40).find(|&k| credibly_more(k, expected, 0.05)).unwrap();
            assert!(
                (first..60).all(|k| credibly_more(k, expected, 0.05)),
                "{expected}"
            );
            assert!(credibly_more(first, expected * 0.9, 0.05));
        }
    }
}
