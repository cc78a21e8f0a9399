//! Calibration: turns a raw score into the probability that the coding is right, by isotonic
//! regression (pool adjacent violators) fitted on held-out lines, so "0.99" means 99 in 100.
//!
//! The top block, when none of its lines was wrong, is not taken as certain: its probability is
//! the rule of succession's `(k + 1) / (n + 2)` (Laplace), so 2,000 right lines give 0.9995 and
//! not one. An invoice's confidence is the product of its lines' (`threshold.rs` in the trainer,
//! the service's decision), and a probability of exactly one would make every invoice of the most
//! confident lines tie at one, however many lines it has.

/// An invoice's confidence from its lines' calibrated probabilities: the chance that every line
/// is right, their product (each line taken on its own). It clears a threshold only if every
/// line does. The trainer's thresholds and the service's decisions both use it.
pub fn invoice_confidence(lines: impl IntoIterator<Item = f32>) -> f32 {
    lines.into_iter().product()
}

/// A monotone map from raw score to probability: breakpoints (score, probability), increasing in
/// both; linear between them, flat outside.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Calibration {
    points: Vec<(f32, f32)>,
}

impl Calibration {
    /// Fits the map to (raw score, was right) pairs. With no pairs the map is the identity.
    pub fn fit(pairs: &mut [(f32, bool)]) -> Calibration {
        if pairs.is_empty() {
            return Calibration {
                points: vec![(0.0, 0.0), (1.0, 1.0)],
            };
        }
        pairs.sort_unstable_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        // Lines with equal scores form one group first (a map has one value per score).
        let mut groups: Vec<(f64, f64, f64)> = Vec::new();
        for &(score, right) in pairs.iter() {
            let outcome = f64::from(u8::from(right));
            match groups.last_mut() {
                Some(last) if last.2 == f64::from(score) => {
                    last.0 += outcome;
                    last.1 += 1.0;
                }
                _ => groups.push((outcome, 1.0, f64::from(score))),
            }
        }
        // Blocks of (sum of outcomes, count, mean score), merged while they break monotonicity.
        let mut blocks: Vec<(f64, f64, f64)> = Vec::with_capacity(groups.len());
        for group in groups {
            blocks.push(group);
            while blocks.len() > 1 {
                let (s2, n2, x2) = blocks[blocks.len() - 1];
                let (s1, n1, x1) = blocks[blocks.len() - 2];
                if s1 / n1 < s2 / n2 {
                    break;
                }
                blocks.pop();
                let last = blocks.len() - 1;
                blocks[last] = (s1 + s2, n1 + n2, (x1 * n1 + x2 * n2) / (n1 + n2));
            }
        }
        // The top block without an error is not certain (rule of succession), and never below
        // the block beneath it.
        if let Some(&(right, n, x)) = blocks.last()
            && right == n
        {
            let below = match blocks.len() {
                1 => 0.0,
                len => blocks[len - 2].0 / blocks[len - 2].1,
            };
            let p = ((right + 1.0) / (n + 2.0)).max(below);
            let last = blocks.len() - 1;
            blocks[last] = (p * n, n, x);
        }
        let points = blocks
            .iter()
            .map(|&(s, n, x)| (x as f32, (s / n) as f32))
            .collect();
        Calibration { points }
    }

    /// The calibrated probability of a raw score.
    pub fn apply(&self, score: f32) -> f32 {
        let p = &self.points;
        match p.iter().position(|&(x, _)| x > score) {
            None => p.last().map_or(score, |&(_, y)| y),
            Some(0) => p[0].1,
            Some(i) => {
                let ((x0, y0), (x1, y1)) = (p[i - 1], p[i]);
                y0 + (y1 - y0) * (score - x0) / (x1 - x0)
            }
        }
    }

    pub fn points(&self) -> &[(f32, f32)] {
        &self.points
    }

    /// Rebuilds from stored breakpoints; they must increase in score and not decrease in
    /// probability, with probabilities in [0, 1].
    pub fn from_points(points: Vec<(f32, f32)>) -> Result<Calibration, &'static str> {
        let ok = points
            .windows(2)
            .all(|w| w[0].0 < w[1].0 && w[0].1 <= w[1].1)
            && points
                .iter()
                .all(|&(x, y)| x.is_finite() && (0.0..=1.0).contains(&y));
        if points.is_empty() || !ok {
            return Err("calibration points must increase in score and probability, within 0..1");
        }
        Ok(Calibration { points })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn isotonic_fit_is_monotone_and_matches_block_rates() {
        // Scores 0.1..0.9; right for the upper part, with one inversion to pool.
        let mut pairs = vec![
            (0.1, false),
            (0.2, false),
            (0.3, true),
            (0.4, false),
            (0.8, true),
            (0.9, true),
        ];
        let c = Calibration::fit(&mut pairs);
        let ys: Vec<f32> = c.points().iter().map(|p| p.1).collect();
        assert!(ys.windows(2).all(|w| w[0] <= w[1]), "{ys:?}");
        // 0.3 (right) and 0.4 (wrong) pool to one block at 0.5; the top block, 2 of 2 right, is
        // (2 + 1) / (2 + 2).
        assert_eq!(ys, vec![0.0, 0.5, 0.75]);
        assert_eq!(c.apply(0.0), 0.0);
        assert_eq!(c.apply(1.0), 0.75);
        let mid = c.apply(0.6);
        assert!(mid > 0.5 && mid < 0.75, "interpolated: {mid}");
    }

    #[test]
    fn calibrated_probabilities_match_outcome_rates_on_the_fitted_data() {
        // 1000 lines whose true rate of being right is their score.
        let mut pairs: Vec<(f32, bool)> = (0..1000)
            .map(|i| {
                let s = i as f32 / 1000.0;
                (s, (i * 7919) % 1000 < i)
            })
            .collect();
        let c = Calibration::fit(&mut pairs.clone());
        let high: Vec<_> = pairs.iter_mut().filter(|p| c.apply(p.0) >= 0.9).collect();
        let rate = high.iter().filter(|p| p.1).count() as f32 / high.len() as f32;
        assert!(
            rate >= 0.88,
            "lines calibrated at ≥ 0.9 are right {rate} of the time"
        );
    }

    #[test]
    fn a_top_block_without_an_error_is_not_certain() {
        // 100 lines at 0.5 (90 right) under 2,000 at 0.9, all right: the top block is
        // (2,000 + 1) / (2,000 + 2), for every score at or above it.
        let mut pairs: Vec<(f32, bool)> = (0..100).map(|i| (0.5, i < 90)).collect();
        pairs.extend((0..2_000).map(|_| (0.9, true)));
        let c = Calibration::fit(&mut pairs);
        let top = 2_001.0 / 2_002.0;
        assert!((c.apply(0.9) - top).abs() < 1e-6, "{:?}", c.points());
        assert_eq!(c.apply(0.99), c.apply(0.9));
        assert!(c.apply(0.9) < 1.0);
        assert!((c.apply(0.5) - 0.9).abs() < 1e-6);
        // A small perfect top block is never put below the block beneath it: 3 of 3 right
        // would be 0.8 by succession, but 99 of 100 beneath is 0.99.
        let mut pairs: Vec<(f32, bool)> = (0..100).map(|i| (0.5, i < 99)).collect();
        pairs.extend((0..3).map(|_| (0.9, true)));
        let c = Calibration::fit(&mut pairs);
        assert!((c.apply(0.9) - 0.99).abs() < 1e-6, "{:?}", c.points());
    }

    #[test]
    fn equal_scores_share_one_block_and_the_map_reloads() {
        let mut pairs = vec![
            (0.2, false),
            (0.5, false),
            (0.5, true),
            (0.5, true),
            (0.9, true),
        ];
        let c = Calibration::fit(&mut pairs);
        assert!((c.apply(0.5) - 2.0 / 3.0).abs() < 1e-6, "{:?}", c.points());
        assert_eq!(Calibration::from_points(c.points().to_vec()).unwrap(), c);
        // All lines at one score: a single point.
        let mut same = vec![(1.0, true), (1.0, false), (1.0, true), (1.0, true)];
        let c = Calibration::fit(&mut same);
        assert_eq!(c.points(), &[(1.0, 0.75)]);
        assert!(Calibration::from_points(c.points().to_vec()).is_ok());
    }

    #[test]
    fn a_band_lends_no_confidence_to_scores_below_its_own_lines() {
        // The best-supported band saw only high scores, all right; the bands below saw the whole
        // range, right about as often as the score says.
        let mut triples: Vec<(f32, f32, bool)> = (0..400)
            .map(|i| (0.98 + i as f32 / 40_000.0, 600.0, true))
            .collect();
        triples.extend((0..1_000).map(|i| {
            let score = i as f32 / 1_000.0;
            (score, 50.0, (i * 7919) % 1_000 < i)
        }));
        let c = BandedCalibration::fit(&triples);
        let top_band_low_score = c.apply(0.3, 600.0);
        assert!(
            (0.2..0.45).contains(&top_band_low_score),
            "a score the band never saw takes the other bands' rate: {top_band_low_score}"
        );
        assert!((top_band_low_score - c.apply(0.3, 50.0)).abs() < 0.01);
        // Where the band has its own lines, its own map holds.
        assert!(c.apply(0.99, 600.0) > 0.99);
        assert!(c.apply(0.99, 600.0) > c.apply(0.99, 50.0));
    }

    #[test]
    fn stored_points_are_validated() {
        assert!(Calibration::from_points(vec![(0.0, 0.1), (0.5, 0.9)]).is_ok());
        assert!(Calibration::from_points(vec![(0.5, 0.1), (0.4, 0.9)]).is_err());
        assert!(Calibration::from_points(vec![(0.0, 0.9), (0.5, 0.1)]).is_err());
        assert!(Calibration::from_points(vec![]).is_err());
    }
}

/// Calibration by support band: lines backed by many similar past invoices are right more often
/// at the same raw score (clerks err less on routine work, and the evidence is firmer), so each
/// band gets its own isotonic map. Bands with too few held-out lines use the pooled map; below
/// the lowest score of its own lines, a band's map is fitted on the other bands' lines.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct BandedCalibration {
    /// Lower support bound of each band, increasing; the first is 0.
    pub bounds: Vec<f32>,
    /// One map per band.
    pub maps: Vec<Calibration>,
}

/// Support bands: under 5, 5–19, 20–99, 100–499, 500 and more similar past lines.
pub const SUPPORT_BANDS: [f32; 5] = [0.0, 5.0, 20.0, 100.0, 500.0];
/// Held-out lines a band needs for a map of its own.
const MIN_BAND_LINES: usize = 200;

impl BandedCalibration {
    /// Fits one map per band from (raw score, support, was right) triples.
    pub fn fit(triples: &[(f32, f32, bool)]) -> BandedCalibration {
        let mut all: Vec<(f32, bool)> = triples.iter().map(|t| (t.0, t.2)).collect();
        let pooled = Calibration::fit(&mut all);
        let maps = (0..SUPPORT_BANDS.len())
            .map(|b| {
                let mut band: Vec<(f32, bool)> = triples
                    .iter()
                    .filter(|t| band_of(&SUPPORT_BANDS, t.1) == b)
                    .map(|t| (t.0, t.2))
                    .collect();
                if band.len() >= MIN_BAND_LINES {
                    // Below the lowest score the band's own lines reached, the band knows
                    // nothing, and a map is flat outside its points: a band of confident lines
                    // alone would give its top probability to any score. The other bands' lines
                    // below that score stand in for it there.
                    let lowest = band.iter().map(|p| p.0).fold(f32::INFINITY, f32::min);
                    band.extend(triples.iter().filter(|t| t.0 < lowest).map(|t| (t.0, t.2)));
                    Calibration::fit(&mut band)
                } else {
                    pooled.clone()
                }
            })
            .collect();
        BandedCalibration {
            bounds: SUPPORT_BANDS.to_vec(),
            maps,
        }
    }

    /// The calibrated probability of a raw score with a given support.
    pub fn apply(&self, raw: f32, support: f32) -> f32 {
        match self.maps.get(band_of(&self.bounds, support)) {
            Some(map) => map.apply(raw),
            None => raw,
        }
    }
}

fn band_of(bounds: &[f32], support: f32) -> usize {
    bounds.iter().rposition(|&b| support >= b).unwrap_or(0)
}
