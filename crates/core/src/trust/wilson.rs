//! The Wilson score interval: how sure a precision measured on a sample of audits is.

/// The two-sided 95% normal quantile, Φ⁻¹(0.975).
pub const Z95: f64 = 1.959963984540054;

/// The one-sided 95% normal quantile, Φ⁻¹(0.95): a lower bound the truth lies above 95 times in
/// 100.
pub const Z95_ONE_SIDED: f64 = 1.6448536269514722;

/// A proportion with its confidence interval; all three lie in `[0, 1]` and `lo ≤ estimate ≤ hi`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Interval {
    /// Lower bound.
    pub lo: f64,
    /// Upper bound.
    pub hi: f64,
    /// The observed proportion, `successes / n` (not Wilson's shifted centre).
    pub estimate: f64,
}

/// The Wilson score interval for `successes` out of `n` at normal quantile `z` (use [`Z95`]).
///
/// Unlike the textbook `p ± z·√(p(1−p)/n)`, it stays inside `[0, 1]` and does not collapse to a
/// point at 0/n or n/n, so a small perfect record is not mistaken for certainty: 50 of 50 gives a
/// lower bound of 0.929.
///
/// `None` when there is nothing to judge (`n = 0`) or the input is impossible (`successes > n`,
/// `z` negative or not finite).
pub fn wilson(successes: u64, n: u64, z: f64) -> Option<Interval> {
    if n == 0 || successes > n || !z.is_finite() || z < 0.0 {
        return None;
    }
    let nf = n as f64;
    let p = successes as f64 / nf;
    let z2 = z * z;
    let denom = 1.0 + z2 / nf;
    let centre = (p + z2 / (2.0 * nf)) / denom;
    let half = z / denom * (p * (1.0 - p) / nf + z2 / (4.0 * nf * nf)).sqrt();
    // At 0/n and n/n the bound is exactly 0 or 1; rounding would leave 1e-17 off.
    let lo = if successes == 0 {
        0.0
    } else {
        (centre - half).clamp(0.0, p)
    };
    let hi = if successes == n {
        1.0
    } else {
        (centre + half).clamp(p, 1.0)
    };
    Some(Interval {
        lo,
        hi,
        estimate: p,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) {
        assert!((a - b).abs() < 1e-4, "{a} is not {b}");
    }

    #[test]
    fn ninety_five_of_a_hundred() {
        let i = wilson(95, 100, Z95).unwrap();
        close(i.lo, 0.8882);
        close(i.hi, 0.9785);
        assert_eq!(i.estimate, 0.95);
    }

    #[test]
    fn none_right() {
        let i = wilson(0, 10, Z95).unwrap();
        assert_eq!(i.lo, 0.0);
        close(i.hi, 0.2775);
        assert_eq!(i.estimate, 0.0);
    }

    #[test]
    fn all_right() {
        let i = wilson(10, 10, Z95).unwrap();
        close(i.lo, 0.7225);
        assert_eq!(i.hi, 1.0);
        assert_eq!(i.estimate, 1.0);
        close(wilson(50, 50, Z95).unwrap().lo, 0.9287);
    }

    #[test]
    fn one_of_one() {
        let i = wilson(1, 1, Z95).unwrap();
        close(i.lo, 0.2065);
        assert_eq!(i.hi, 1.0);
    }

    #[test]
    fn half_and_large_samples() {
        let i = wilson(5, 10, Z95).unwrap();
        close(i.lo, 0.2366);
        close(i.hi, 0.7634);
        let i = wilson(990, 1000, Z95).unwrap();
        close(i.lo, 0.9817);
        close(i.hi, 0.9946);
    }

    #[test]
    fn z_zero_is_the_point_estimate() {
        let i = wilson(3, 4, 0.0).unwrap();
        assert_eq!((i.lo, i.hi, i.estimate), (0.75, 0.75, 0.75));
    }

    #[test]
    fn nothing_to_judge() {
        assert_eq!(wilson(0, 0, Z95), None);
        assert_eq!(wilson(11, 10, Z95), None);
        assert_eq!(wilson(1, 10, f64::NAN), None);
        assert_eq!(wilson(1, 10, -1.0), None);
    }

    #[test]
    fn bounds_are_ordered_everywhere() {
        for n in 1..=60 {
            for k in 0..=n {
                let i = wilson(k, n, Z95).unwrap();
                assert!(0.0 <= i.lo && i.lo <= i.estimate, "{k}/{n}: {i:?}");
                assert!(i.estimate <= i.hi && i.hi <= 1.0, "{k}/{n}: {i:?}");
            }
        }
    }
}
