//! Exact (Garwood) confidence bounds on the mean of a Poisson count: how many errors a sample of
//! audits may truly carry, given how many were seen.
//!
//! Garwood, F. (1936), "Fiducial limits for the Poisson distribution", *Biometrika* 28, 437–442.
//! The one-sided upper bound `U` for `k` observed events at level `1 − α` is the mean whose
//! Poisson probability of `k` or fewer events is `α`; the lower bound `L` is the mean whose
//! probability of `k` or more events is `α` (`L(0) = 0`). Both are found here by bisection on the
//! Poisson distribution function, summed in log space so thousands of events stay exact.

/// Natural log of `k!` (exact sum for small `k`, Stirling's series beyond).
fn ln_factorial(k: u64) -> f64 {
    if k < 32 {
        return (2..=k).map(|i| (i as f64).ln()).sum();
    }
    let n = k as f64 + 1.0;
    // ln Γ(n) by Stirling's series; error below 1e-14 for n ≥ 33.
    (n - 0.5) * n.ln() - n + 0.5 * (2.0 * std::f64::consts::PI).ln() + 1.0 / (12.0 * n)
        - 1.0 / (360.0 * n.powi(3))
        + 1.0 / (1260.0 * n.powi(5))
}

/// `P(X ≤ k)` for `X ~ Poisson(mu)`.
pub fn poisson_cdf(k: u64, mu: f64) -> f64 {
    if mu <= 0.0 {
        return 1.0;
    }
    // The largest term of 0..=k is at min(k, ⌊mu⌋): sum the others relative to it (so the sum
    // cannot underflow), walking down by the ratio i / mu and up by mu / (i + 1), each side
    // until its falling terms no longer change the sum.
    let top = k.min(mu.floor() as u64);
    let ln_top = -mu + top as f64 * mu.ln() - ln_factorial(top);
    let mut sum = 1.0f64;
    add_terms(&mut sum, (1..=top).rev().map(|i| i as f64 / mu));
    add_terms(&mut sum, (top..k).map(|i| mu / (i + 1) as f64));
    (ln_top + sum.ln()).exp().min(1.0)
}

/// Adds to `sum` the terms that start at 1 and are each the one before times the next of
/// `ratios`, until a term no longer changes the sum.
fn add_terms(sum: &mut f64, ratios: impl Iterator<Item = f64>) {
    let mut term = 1.0f64;
    for ratio in ratios {
        term *= ratio;
        *sum += term;
        if term < f64::EPSILON * 1e-3 * *sum {
            break;
        }
    }
}

/// Bisection for the `mu` in `[0, hi]` where the decreasing `f(mu)` crosses `alpha`.
fn solve(alpha: f64, hi: f64, f: impl Fn(f64) -> f64) -> f64 {
    let (mut lo, mut hi) = (0.0f64, hi);
    for _ in 0..200 {
        let mid = 0.5 * (lo + hi);
        if f(mid) > alpha {
            lo = mid;
        } else {
            hi = mid;
        }
        if hi - lo <= 1e-12 * hi.max(1.0) {
            break;
        }
    }
    0.5 * (lo + hi)
}

/// A search range that certainly holds both bounds for `k` events.
fn ceiling(k: u64) -> f64 {
    let k = k as f64;
    k + 20.0 * (k + 1.0).sqrt() + 20.0
}

/// The exact one-sided upper `1 − alpha` bound on a Poisson mean after `k` events:
/// `U(0) = −ln α` (2.996 at α = 0.05).
pub fn upper_bound(k: u64, alpha: f64) -> f64 {
    solve(alpha, ceiling(k), |mu| poisson_cdf(k, mu))
}

/// The exact one-sided lower `1 − alpha` bound on a Poisson mean after `k` events (0 for none).
pub fn lower_bound(k: u64, alpha: f64) -> f64 {
    if k == 0 {
        return 0.0;
    }
    // P(X ≥ k) = 1 − P(X ≤ k − 1) grows with mu: solve on its complement, which decreases.
    solve(1.0 - alpha, ceiling(k), |mu| poisson_cdf(k - 1, mu))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One-sided 95% limits (two-sided 90%) from published tables of exact Poisson limits
    /// (e.g. Sahai & Khurshid 1993; equal to ½·χ²₂ₖ,₀.₀₅ and ½·χ²₂₍ₖ₊₁₎,₀.₉₅), to four places.
    const TABLE: [(u64, f64, f64); 7] = [
        (0, 0.0, 2.9957),
        (1, 0.0513, 4.7439),
        (2, 0.3554, 6.2958),
        (3, 0.8177, 7.7537),
        (5, 1.9701, 10.5130),
        (10, 5.4254, 16.9622),
        (50, 38.9647, 63.2871),
    ];

    #[test]
    fn the_bounds_match_published_exact_limits() {
        for (k, lo, hi) in TABLE {
            let (l, u) = (lower_bound(k, 0.05), upper_bound(k, 0.05));
            assert!((l - lo).abs() < 6e-5, "L({k}) = {l}, table {lo}");
            assert!((u - hi).abs() < 6e-5, "U({k}) = {u}, table {hi}");
        }
        // The closed form at zero events.
        assert!((upper_bound(0, 0.05) + 0.05f64.ln()).abs() < 1e-9);
        assert!((upper_bound(0, 0.01) + 0.01f64.ln()).abs() < 1e-9);
    }

    #[test]
    fn large_counts_stay_exact_and_near_the_normal_approximation() {
        // For many events the limits approach k ± 1.645·√k (a loose check of the log-space sums).
        let k = 5_000u64;
        let (l, u) = (lower_bound(k, 0.05), upper_bound(k, 0.05));
        let half = 1.645 * (k as f64).sqrt();
        assert!((u - (k as f64 + half)).abs() < 3.0, "U = {u}");
        assert!((l - (k as f64 - half)).abs() < 3.0, "L = {l}");
        assert!((poisson_cdf(k, u) - 0.05).abs() < 1e-6);
    }

    #[test]
    fn the_distribution_function_is_the_sum_of_the_terms() {
        // Against the terms summed directly, e^−mu · mu^i / i!, where they cannot overflow.
        for mu in [0.001f64, 0.3, 1.0, 2.5, 7.0, 19.5, 40.0, 80.0] {
            let mut term = f64::exp(-mu);
            let mut direct = 0.0;
            for k in 0..120u64 {
                if k > 0 {
                    term *= mu / k as f64;
                }
                direct += term;
                let cdf = poisson_cdf(k, mu);
                assert!(
                    (cdf - direct.min(1.0)).abs() < 1e-12,
                    "k {k}, mu {mu}: {cdf} vs {direct}"
                );
            }
        }
        assert_eq!(poisson_cdf(3, 0.0), 1.0);
    }

    #[test]
    fn the_bounds_are_monotone_in_the_count_and_the_level() {
        let mut last = (0.0, 0.0);
        for k in 0..200 {
            let (l, u) = (lower_bound(k, 0.05), upper_bound(k, 0.05));
            assert!(l < k as f64 + 1e-9 && u > k as f64, "k = {k}: {l}..{u}");
            assert!(l >= last.0 && u > last.1, "not monotone at {k}");
            last = (l, u);
        }
        assert!(upper_bound(3, 0.01) > upper_bound(3, 0.05));
        assert!(lower_bound(3, 0.01) < lower_bound(3, 0.05));
    }
}
