//! A creditor's amount history: how many invoices it sent in the training window, and the median
//! and 99th percentile of their totals, so an invoice far outside its history can be screened.

use rust_decimal::Decimal;

/// Invoice totals of one creditor over the training window (positive totals only: credit notes
/// say nothing about what a normal invoice costs).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AmountHistory {
    /// Invoices counted.
    pub invoices: u32,
    /// Median total (the mean of the middle two for an even count).
    pub median: Decimal,
    /// 99th percentile total (nearest rank): a robust upper bound; the largest total when
    /// there are fewer than 100 invoices.
    pub p99: Decimal,
}

impl AmountHistory {
    /// The history of these totals (any order); non-positive totals are left out. `None` when
    /// no total is positive.
    pub fn from_totals(totals: impl IntoIterator<Item = Decimal>) -> Option<AmountHistory> {
        let mut t: Vec<Decimal> = totals.into_iter().filter(|t| *t > Decimal::ZERO).collect();
        if t.is_empty() {
            return None;
        }
        t.sort_unstable();
        let n = t.len();
        let median = if n % 2 == 1 {
            t[n / 2]
        } else {
            (t[n / 2 - 1] + t[n / 2]) / Decimal::TWO
        };
        // Nearest rank: the smallest total with at least 99% of totals at or below it.
        let rank = (n * 99).div_ceil(100);
        Some(AmountHistory {
            invoices: u32::try_from(n).unwrap_or(u32::MAX),
            median: median.normalize(),
            p99: t[rank - 1].normalize(),
        })
    }

    /// Whether the numbers are consistent: at least one invoice, 0 < median ≤ p99.
    pub fn is_consistent(&self) -> bool {
        self.invoices > 0 && self.median > Decimal::ZERO && self.median <= self.p99
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    #[test]
    fn median_and_p99_are_exact_decimals() {
        let h = AmountHistory::from_totals(["10.00", "30.50", "20.25", "-5"].map(d)).unwrap();
        assert_eq!(h.invoices, 3, "the credit note is left out");
        assert_eq!(h.median, d("20.25"));
        assert_eq!(h.p99, d("30.5"));
        let even = AmountHistory::from_totals(["1.01", "2.02"].map(d)).unwrap();
        assert_eq!(even.median, d("1.515"));
        assert!(even.is_consistent());
        assert_eq!(AmountHistory::from_totals([d("-1")]), None);
    }

    #[test]
    fn p99_ignores_the_top_percent_of_two_hundred() {
        let totals = (1..=200).map(Decimal::from);
        let h = AmountHistory::from_totals(totals).unwrap();
        assert_eq!(h.p99, Decimal::from(198));
        assert_eq!(h.median, d("100.5"));
    }
}
