//! The paired bootstrap over invoices: the compared invoices are resampled with replacement, the
//! same draw for both models, and a statistic of the two models is computed on each resample;
//! the interval is the percentile interval of those values. Seeded, so the same inputs always give
//! the same interval.

/// What is resampled, for the reports.
pub const RESAMPLED: &str = "invoices, with replacement, the same draw for both models (paired); \
     both models' equal-precision cuts are chosen again on each resample, so the interval covers \
     the choice of the cuts as well as which invoices happen to fall in the period";

/// How to bootstrap.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bootstrap {
    /// Resamples drawn (at least 1).
    pub resamples: usize,
    /// Seed of the draws.
    pub seed: u64,
    /// Coverage of the interval, e.g. 0.95.
    pub level: f64,
}

impl Default for Bootstrap {
    fn default() -> Self {
        Bootstrap {
            resamples: 1_000,
            seed: 42,
            level: 0.95,
        }
    }
}

/// A two-sided interval with its coverage.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Interval {
    pub low: f64,
    pub high: f64,
    pub level: f64,
}

/// The percentile interval of `statistic` over resamples of `n` items: each resample draws `n`
/// indices uniformly with replacement and gives `statistic` how often each item was drawn.
/// Resamples whose statistic is not finite are left out; the bounds are nearest-rank percentiles
/// (with 1,000 resamples and level 0.95, the 25th and 975th smallest values). `NaN` bounds when no
/// resample gives a finite value.
pub fn interval(
    n: usize,
    options: &Bootstrap,
    mut statistic: impl FnMut(&[u32]) -> f64,
) -> Interval {
    let mut rng = SplitMix64(options.seed);
    let mut counts = vec![0u32; n];
    let mut values = Vec::with_capacity(options.resamples);
    for _ in 0..options.resamples {
        counts.fill(0);
        for _ in 0..n {
            counts[rng.below(n)] += 1;
        }
        let v = statistic(&counts);
        if v.is_finite() {
            values.push(v);
        }
    }
    values.sort_by(f64::total_cmp);
    let tail = (1.0 - options.level) / 2.0;
    Interval {
        low: nearest_rank(&values, tail),
        high: nearest_rank(&values, 1.0 - tail),
        level: options.level,
    }
}

/// The `p` quantile of sorted `values` by nearest rank: the ⌈p·m⌉-th smallest of m.
fn nearest_rank(values: &[f64], p: f64) -> f64 {
    if values.is_empty() {
        return f64::NAN;
    }
    // A hair below, so that 0.025 × 1000 is 25, not 25.000000000000004.
    let rank = (p * values.len() as f64 - 1e-9).ceil().max(1.0) as usize;
    values[rank.min(values.len()) - 1]
}

/// SplitMix64 (Steele, Lea and Flood 2014): a tiny, well-mixed generator, enough for resampling.
#[derive(Debug, Clone)]
struct SplitMix64(u64);

impl SplitMix64 {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` by multiply-shift (bias at most n / 2⁶⁴); `n` must be positive.
    fn below(&mut self, n: usize) -> usize {
        ((u128::from(self.next()) * n as u128) >> 64) as usize
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_constant_statistic_has_a_zero_width_interval() {
        let i = interval(10, &Bootstrap::default(), |_| 0.0);
        assert_eq!((i.low, i.high), (0.0, 0.0));
    }

    #[test]
    fn every_resample_draws_n_items_and_the_same_seed_draws_the_same() {
        let options = Bootstrap {
            resamples: 50,
            ..Bootstrap::default()
        };
        let mut draws = Vec::new();
        let _ = interval(7, &options, |c| {
            assert_eq!(c.iter().sum::<u32>(), 7);
            draws.push(c.to_vec());
            0.0
        });
        let mut again = Vec::new();
        let _ = interval(7, &options, |c| {
            again.push(c.to_vec());
            0.0
        });
        assert_eq!(draws, again);
        assert!(draws.windows(2).any(|w| w[0] != w[1]), "the draws vary");
    }

    #[test]
    fn the_mean_of_a_fair_coin_is_covered() {
        // 1,000 invoices, half automated: the mean's 95% interval is about 0.5 ± 0.031.
        let x: Vec<f64> = (0..1000).map(|i| f64::from(i % 2)).collect();
        let i = interval(x.len(), &Bootstrap::default(), |c| {
            c.iter()
                .zip(&x)
                .map(|(&k, v)| f64::from(k) * v)
                .sum::<f64>()
                / 1000.0
        });
        assert!(i.low < 0.5 && i.high > 0.5, "{i:?}");
        assert!((i.high - i.low - 0.062).abs() < 0.012, "{i:?}");
    }

    #[test]
    fn nearest_rank_takes_the_25th_and_975th_of_1000() {
        let v: Vec<f64> = (1..=1000).map(f64::from).collect();
        assert_eq!(nearest_rank(&v, 0.025), 25.0);
        assert_eq!(nearest_rank(&v, 0.975), 975.0);
        assert!(nearest_rank(&[], 0.5).is_nan());
    }
}
