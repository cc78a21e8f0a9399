//! Monthly figures for the dashboard: per area and month, what was coded automatically and how
//! the audits of it went, with sums across areas and months.

use std::collections::BTreeMap;

use rust_decimal::Decimal;

use super::savings::savings;
use super::wilson::{Interval, Z95, wilson};

/// One month's figures, for one area or summed over several.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MonthFigures {
    /// The month, `YYYY-MM` (or another label for a sum over months, see [`total`]).
    pub month: String,
    /// Invoices decided.
    pub invoices: u64,
    /// Of those, coded and posted automatically.
    pub auto: u64,
    /// Automatic invoices drawn for audit.
    pub audit_samples: u64,
    /// Of the drawn, audited by a person so far.
    pub audited: u64,
    /// Of the audited, those where the person agreed with the coding.
    pub agreed: u64,
}

impl MonthFigures {
    /// A month with no figures yet.
    pub fn new(month: impl Into<String>) -> MonthFigures {
        MonthFigures {
            month: month.into(),
            ..MonthFigures::default()
        }
    }

    /// The share of invoices coded automatically; `None` without invoices.
    pub fn automation_rate(&self) -> Option<f64> {
        (self.invoices > 0).then(|| self.auto as f64 / self.invoices as f64)
    }

    /// Audited precision with its Wilson 95% interval; `None` without audits.
    pub fn precision(&self) -> Option<Interval> {
        wilson(self.agreed.min(self.audited), self.audited, Z95)
    }

    /// Invoices drawn for audit that no person has audited yet.
    pub fn pending_audits(&self) -> u64 {
        self.audit_samples.saturating_sub(self.audited)
    }

    /// What the automatic invoices saved at `per_invoice` each.
    pub fn savings(&self, per_invoice: Decimal) -> Decimal {
        savings(self.auto, per_invoice)
    }

    /// Adds `other`'s counts to these; the month label stays.
    pub fn add(&mut self, other: &MonthFigures) {
        self.invoices = self.invoices.saturating_add(other.invoices);
        self.auto = self.auto.saturating_add(other.auto);
        self.audit_samples = self.audit_samples.saturating_add(other.audit_samples);
        self.audited = self.audited.saturating_add(other.audited);
        self.agreed = self.agreed.saturating_add(other.agreed);
    }
}

/// The sum of `rows` under the label `month` — the all-areas row of one month, or a whole
/// period (label it e.g. `"2025"`).
pub fn total(month: &str, rows: &[MonthFigures]) -> MonthFigures {
    let mut sum = MonthFigures::new(month);
    for row in rows {
        sum.add(row);
    }
    sum
}

/// Rows sharing a month summed into one (e.g. every area's rows into the all-areas series), in
/// month order.
pub fn by_month(rows: &[MonthFigures]) -> Vec<MonthFigures> {
    let mut months: BTreeMap<&str, MonthFigures> = BTreeMap::new();
    for row in rows {
        months
            .entry(row.month.as_str())
            .or_insert_with(|| MonthFigures::new(row.month.as_str()))
            .add(row);
    }
    months.into_values().collect()
}

/// The `YYYY-MM` key of `month` (1–12) in `year`.
pub fn month_key(year: i32, month: u32) -> String {
    format!("{year:04}-{month:02}")
}

/// A `YYYY-MM` key as `(year, month)`; `None` unless it is four digits, a hyphen and a month
/// 01–12.
pub fn parse_month(key: &str) -> Option<(i32, u32)> {
    let b = key.as_bytes();
    if b.len() != 7 || b[4] != b'-' || !b[..4].iter().chain(&b[5..]).all(u8::is_ascii_digit) {
        return None;
    }
    let year = key[..4].parse().ok()?;
    let month = key[5..].parse().ok()?;
    (1..=12).contains(&month).then_some((year, month))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fig(
        month: &str,
        invoices: u64,
        auto: u64,
        sampled: u64,
        audited: u64,
        agreed: u64,
    ) -> MonthFigures {
        MonthFigures {
            month: month.to_owned(),
            invoices,
            auto,
            audit_samples: sampled,
            audited,
            agreed,
        }
    }

    #[test]
    fn rates_and_precision() {
        let m = fig("2025-03", 400, 100, 10, 8, 7);
        assert_eq!(m.automation_rate(), Some(0.25));
        let p = m.precision().unwrap();
        assert_eq!(p.estimate, 0.875);
        assert!((p.lo - 0.5291).abs() < 1e-4, "{p:?}");
        assert!((p.hi - 0.9776).abs() < 1e-4, "{p:?}");
        assert_eq!(m.pending_audits(), 2);
        assert_eq!(m.savings(Decimal::from(45)), Decimal::from(4_500));
    }

    #[test]
    fn an_empty_month_has_no_rates() {
        let m = MonthFigures::new("2025-04");
        assert_eq!(m.automation_rate(), None);
        assert_eq!(m.precision(), None);
        assert_eq!(m.pending_audits(), 0);
    }

    #[test]
    fn totals_over_areas() {
        let rows = [
            fig("2025-03", 100, 40, 4, 4, 4),
            fig("2025-03", 300, 60, 6, 5, 4),
        ];
        let t = total("2025-03", &rows);
        assert_eq!(t, fig("2025-03", 400, 100, 10, 9, 8));
        assert_eq!(t.automation_rate(), Some(0.25));
        assert_eq!(total("2025", &[]), MonthFigures::new("2025"));
    }

    #[test]
    fn by_month_sums_and_orders() {
        let rows = [
            fig("2025-04", 10, 5, 1, 1, 1),
            fig("2025-03", 100, 40, 4, 4, 4),
            fig("2025-04", 30, 10, 2, 2, 1),
            fig("2025-03", 300, 60, 6, 5, 4),
        ];
        assert_eq!(
            by_month(&rows),
            vec![
                fig("2025-03", 400, 100, 10, 9, 8),
                fig("2025-04", 40, 15, 3, 3, 2)
            ]
        );
        assert!(by_month(&[]).is_empty());
    }

    #[test]
    fn month_keys() {
        assert_eq!(month_key(2025, 3), "2025-03");
        assert_eq!(parse_month("2025-03"), Some((2025, 3)));
        assert_eq!(parse_month("2025-12"), Some((2025, 12)));
        for bad in [
            "2025-00", "2025-13", "2025-3", "25-03", "2025/03", "+025-03", "2025-+3", "",
        ] {
            assert_eq!(parse_month(bad), None, "{bad}");
        }
    }
}
