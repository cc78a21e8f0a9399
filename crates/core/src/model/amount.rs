//! Amount buckets: how a line's net amount becomes part of a key (supplier × amount, supplier ×
//! unit × amount), so that lines of about the same size share evidence.
//!
//! Organisations put their amount rules at round numbers: equipment from 5,000, a purchase that
//! needs a second signature from 10,000, capital from 100,000. A bucket edge between those lines
//! lets the amount keys tell them apart; a bucket straddling the edge mixes them. So a model
//! trained now uses [`AmountBuckets::Round`]: six buckets a decade with edges at 1, 1.5, 2, 3, 5
//! and 7.5 × 10ⁿ (finer than the quarter decades before, and every edge a round number). Models
//! of format 4 and before keep [`AmountBuckets::QuarterDecade`], so that they score as they did.

/// The bucket scheme a model's amount keys were built with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum AmountBuckets {
    /// Quarter decades (edges at 10^(k/4): 1, 1.78, 3.16, 5.62, 10, …): models of format ≤ 4.
    QuarterDecade,
    /// Six a decade with round edges (1, 1.5, 2, 3, 5, 7.5 × 10ⁿ): models of format 5 on.
    #[default]
    Round,
}

/// The round scheme's edges within a decade.
const ROUND_EDGES: [f64; 6] = [1.0, 1.5, 2.0, 3.0, 5.0, 7.5];

/// Bucket names: negative (or not a number) first, then the buckets from 1 up; amounts below 1
/// share the first, amounts beyond the last share the last (10¹⁶ for the round scheme).
const NAMES: [&str; 98] = [
    "-", "0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12", "13", "14", "15",
    "16", "17", "18", "19", "20", "21", "22", "23", "24", "25", "26", "27", "28", "29", "30", "31",
    "32", "33", "34", "35", "36", "37", "38", "39", "40", "41", "42", "43", "44", "45", "46", "47",
    "48", "49", "50", "51", "52", "53", "54", "55", "56", "57", "58", "59", "60", "61", "62", "63",
    "64", "65", "66", "67", "68", "69", "70", "71", "72", "73", "74", "75", "76", "77", "78", "79",
    "80", "81", "82", "83", "84", "85", "86", "87", "88", "89", "90", "91", "92", "93", "94", "95",
    "96",
];
/// Quarter-decade buckets in use: the 41 names of format 4 ("-" and 0–39).
const QUARTER_DECADE_NAMES: usize = 41;

impl AmountBuckets {
    /// The bucket of `amount`, as the text a key hashes. Negative amounts (credit notes) share
    /// one bucket.
    pub fn bucket(self, amount: f64) -> &'static str {
        if amount.is_nan() || amount < 0.0 {
            return NAMES[0];
        }
        let x = amount.max(1.0);
        let (index, count) = match self {
            AmountBuckets::QuarterDecade => {
                ((x.log10() * 4.0).floor() as usize + 1, QUARTER_DECADE_NAMES)
            }
            AmountBuckets::Round => {
                let decade = decade(x);
                let mantissa = x / 10f64.powi(decade);
                let within = ROUND_EDGES
                    .iter()
                    .rposition(|edge| mantissa >= *edge)
                    .unwrap_or(0);
                (
                    decade as usize * ROUND_EDGES.len() + within + 1,
                    NAMES.len(),
                )
            }
        };
        NAMES[index.min(count - 1)]
    }
}

/// The power of ten at or below `x` (≥ 1), exact at the powers themselves (`log10` may land a
/// hair below an integer).
fn decade(x: f64) -> i32 {
    let mut d = x.log10().floor() as i32;
    if 10f64.powi(d + 1) <= x {
        d += 1;
    } else if 10f64.powi(d) > x {
        d -= 1;
    }
    d
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_buckets_part_at_round_numbers() {
        let b = |x| AmountBuckets::Round.bucket(x);
        // The generator's and many organisations' equipment limit: 5,000.
        assert_ne!(b(4999.99), b(5000.0));
        assert_eq!(b(5000.0), b(7499.0));
        assert_ne!(b(7499.0), b(7500.0));
        for edge in [10.0, 100.0, 1000.0, 10_000.0, 100_000.0, 1_000_000.0] {
            assert_ne!(b(edge * 0.999), b(edge), "an edge at {edge}");
            assert_eq!(b(edge), b(edge * 1.499), "one bucket from {edge}");
        }
        // Six buckets a decade, in order.
        let names: Vec<&str> = [1000.0, 1500.0, 2000.0, 3000.0, 5000.0, 7500.0, 10_000.0]
            .map(b)
            .to_vec();
        let mut distinct = names.clone();
        distinct.dedup();
        assert_eq!(distinct.len(), 7, "{names:?}");
        assert_eq!(b(0.4), b(1.2));
        assert_eq!(b(-3.0), "-");
        assert_eq!(b(f64::NAN), "-");
        assert_eq!(b(1e300), NAMES[NAMES.len() - 1]);
    }

    #[test]
    fn quarter_decades_are_the_format_4_buckets() {
        // The names format 4 hashed: floor(4 log10 x), from 0 to 39.
        let b = |x| AmountBuckets::QuarterDecade.bucket(x);
        assert_eq!(b(1.0), "0");
        assert_eq!(b(12.5), b(14.0));
        assert_ne!(b(100.0), b(1000.0));
        assert_eq!(b(0.3), b(0.9));
        assert_eq!(b(100.0), "8");
        assert_eq!(b(5000.0), b(4000.0), "5,000 inside the bucket from 3,162");
        assert_eq!(b(-1.0), "-");
        assert_eq!(b(1e30), "39");
    }

    #[test]
    fn a_model_keys_its_lines_with_its_own_buckets() {
        use super::super::{
            BandedCalibration, CodingModel, KeyKind, KeyScratch, LineEvidence, LineKeys,
            ModelScratch, SimilarIndex,
        };
        let line = LineEvidence {
            supplier: Some("S1"),
            amount: 1200.0,
            ..Default::default()
        };
        let key = |buckets| {
            let mut keys = LineKeys::default();
            keys.extract(&line, buckets, &mut KeyScratch::default());
            keys.single[KeyKind::SupplierAmount.index()]
        };
        assert_ne!(key(AmountBuckets::Round), key(AmountBuckets::QuarterDecade));
        let mut model = CodingModel {
            fields: Vec::new(),
            calibration: BandedCalibration::default(),
            changed: None,
            partial: Vec::new(),
            similar: SimilarIndex::default(),
            amount_buckets: AmountBuckets::QuarterDecade,
        };
        let mut scratch = ModelScratch::default();
        for buckets in [AmountBuckets::QuarterDecade, AmountBuckets::Round] {
            model.amount_buckets = buckets;
            model.predict(&line, &mut scratch);
            assert_eq!(
                scratch.keys.single[KeyKind::SupplierAmount.index()],
                key(buckets)
            );
        }
    }
}
