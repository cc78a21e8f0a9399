//! Holding back a suggested code: when controllers coded credibly more of the lines the model
//! suggested one account (or cost centre) otherwise than the suggestions' confidences predicted,
//! the code's use may have changed (re-purposed, reorganised), and lines suggesting it should go
//! to a person until the evidence no longer says so. The test is one-sided and exact: the lower
//! `1 − alpha` Poisson bound on the corrections' mean (Garwood 1936, see `poisson.rs`) above the
//! errors predicted, `Σ (1 − confidence)` over the reviewed lines — the same observed-over-
//! expected evidence the audit rule uses for areas, here per code and over every review.

use super::poisson::lower_bound;

/// Corrections needed before a code is held: a single correction, however unlikely, is one event.
pub const MIN_CORRECTIONS: u64 = 2;

/// Whether `corrected` corrections of reviewed lines whose confidences predicted `expected`
/// errors are credibly more than predicted at error level `alpha`.
pub fn credibly_more(corrected: u64, expected: f64, alpha: f64) -> bool {
    corrected >= MIN_CORRECTIONS && lower_bound(corrected, alpha) > expected
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
