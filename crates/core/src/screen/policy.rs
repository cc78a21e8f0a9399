//! The screening settings an administrator controls, with the defaults a municipality starts on.

use std::collections::BTreeMap;

use rust_decimal::Decimal;

use crate::Currency;

/// Screening settings. [`ScreenPolicy::default`] holds the documented defaults.
#[derive(Debug, Clone, PartialEq)]
pub struct ScreenPolicy {
    /// A bank account or address change this many days before the invoice is "recent".
    pub recent_change_days: u32,
    /// Same supplier and total within this many days of an earlier invoice: a possible duplicate.
    pub duplicate_window_days: u32,
    /// A total above `factor × history.p99` is far outside the creditor's history …
    pub history_factor: Decimal,
    /// … when the history holds at least this many invoices.
    pub history_min_invoices: u32,
    /// Industry-code prefixes of creditors that are always coded by a person (e.g. `"43"`,
    /// specialised construction: craftsmen).
    pub always_manual_industries: Vec<String>,
    /// Per area: the largest total that may be posted automatically.
    pub area_ceilings: BTreeMap<String, Decimal>,
    /// Ceiling for areas without their own.
    pub default_ceiling: Option<Decimal>,
    /// The currency the ledger posts in; others go to a person.
    pub ledger_currency: Currency,
    /// Allowed difference between declared and computed totals, per comparison.
    pub rounding_tolerance: Decimal,
    /// Credit notes always go to a person.
    pub credit_notes_manual: bool,
}

impl Default for ScreenPolicy {
    fn default() -> ScreenPolicy {
        ScreenPolicy {
            recent_change_days: 30,
            duplicate_window_days: 14,
            history_factor: Decimal::from(3),
            history_min_invoices: 10,
            always_manual_industries: vec!["43".to_owned()],
            area_ceilings: BTreeMap::new(),
            default_ceiling: Some(Decimal::from(500_000)),
            ledger_currency: Currency::DKK,
            rounding_tolerance: Decimal::new(100, 2),
            credit_notes_manual: true,
        }
    }
}

impl ScreenPolicy {
    /// The ceiling that applies to `area`.
    pub fn ceiling(&self, area: Option<&str>) -> Option<Decimal> {
        area.and_then(|a| self.area_ceilings.get(a).copied())
            .or(self.default_ceiling)
    }
}
