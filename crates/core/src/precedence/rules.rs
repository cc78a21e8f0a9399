//! Fixed codings an administrator defines ("payment plans"): for a supplier, optionally one unit
//! and an amount band, the coding to use — authoritative over the learned model.

use rust_decimal::Decimal;

use crate::{AccountId, CostCentre, VatCode};

/// One fixed coding rule.
#[derive(Debug, Clone, PartialEq)]
pub struct FixedRule {
    /// The supplier key, as the model sees it (CVR, else creditor number).
    pub supplier: String,
    /// Only for this receiving unit; `None` for every unit.
    pub unit: Option<String>,
    /// Only for line amounts at least this (inclusive).
    pub amount_min: Option<Decimal>,
    /// Only for line amounts at most this (inclusive).
    pub amount_max: Option<Decimal>,
    pub account: AccountId,
    /// Fields the rule leaves out are predicted by the model.
    pub cost_centre: Option<CostCentre>,
    pub vat_code: Option<VatCode>,
}

/// A set of rules; the most specific matching rule wins.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RuleSet {
    rules: Vec<FixedRule>,
}

/// Why a rule set was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RuleError {
    #[error("rule {index}: amount_min is above amount_max; swap them or drop one")]
    EmptyBand { index: usize },
    #[error("rule {index}: supplier is empty; give the supplier's CVR or creditor number")]
    NoSupplier { index: usize },
}

impl FixedRule {
    fn matches(&self, supplier: &str, unit: Option<&str>, amount: Decimal) -> bool {
        self.supplier == supplier
            && self.unit.as_deref().is_none_or(|u| Some(u) == unit)
            && self.amount_min.is_none_or(|m| amount >= m)
            && self.amount_max.is_none_or(|m| amount <= m)
    }

    /// Width of the amount band; a missing bound makes it unbounded.
    fn band_width(&self) -> Option<Decimal> {
        Some(self.amount_max? - self.amount_min?)
    }
}

/// Whether `a` is more specific than `b`: a unit beats none; then the narrower amount band (a
/// bounded band is narrower than an unbounded one, one bound narrower than none).
fn more_specific(a: &FixedRule, b: &FixedRule) -> bool {
    if a.unit.is_some() != b.unit.is_some() {
        return a.unit.is_some();
    }
    match (a.band_width(), b.band_width()) {
        (Some(wa), Some(wb)) => wa < wb,
        (Some(_), None) => true,
        (None, Some(_)) => false,
        (None, None) => bounds(a) > bounds(b),
    }
}

fn bounds(r: &FixedRule) -> usize {
    usize::from(r.amount_min.is_some()) + usize::from(r.amount_max.is_some())
}

impl RuleSet {
    /// Checks and keeps the rules (suppliers and units trimmed).
    pub fn new(mut rules: Vec<FixedRule>) -> Result<RuleSet, RuleError> {
        for r in &mut rules {
            r.supplier = r.supplier.trim().to_owned();
            r.unit = r.unit.as_deref().map(|u| u.trim().to_owned());
        }
        for (index, r) in rules.iter().enumerate() {
            if r.supplier.trim().is_empty() {
                return Err(RuleError::NoSupplier { index });
            }
            if let (Some(lo), Some(hi)) = (r.amount_min, r.amount_max)
                && lo > hi
            {
                return Err(RuleError::EmptyBand { index });
            }
        }
        Ok(RuleSet { rules })
    }

    /// The most specific rule for a line; among equally specific ones, the first defined.
    pub fn find(
        &self,
        supplier: Option<&str>,
        unit: Option<&str>,
        amount: Decimal,
    ) -> Option<&FixedRule> {
        let supplier = supplier?;
        let mut best: Option<&FixedRule> = None;
        for r in self
            .rules
            .iter()
            .filter(|r| r.matches(supplier, unit, amount))
        {
            if best.is_none_or(|b| more_specific(r, b)) {
                best = Some(r);
            }
        }
        best
    }

    pub fn len(&self) -> usize {
        self.rules.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rules.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(unit: Option<&str>, lo: Option<i64>, hi: Option<i64>, account: &str) -> FixedRule {
        FixedRule {
            supplier: "12345674".into(),
            unit: unit.map(Into::into),
            amount_min: lo.map(Decimal::from),
            amount_max: hi.map(Decimal::from),
            account: AccountId::parse(account).unwrap(),
            cost_centre: None,
            vat_code: None,
        }
    }

    #[test]
    fn the_most_specific_matching_rule_wins() {
        let set = RuleSet::new(vec![
            rule(None, None, None, "A"),
            rule(Some("U1"), None, None, "B"),
            rule(Some("U1"), Some(1000), None, "C"),
        ])
        .unwrap();
        let find = |unit, amount: i64| {
            set.find(Some("12345674"), unit, Decimal::from(amount))
                .map(|r| r.account.as_str())
        };
        assert_eq!(find(None, 10), Some("A"));
        assert_eq!(find(Some("U2"), 10), Some("A"));
        assert_eq!(find(Some("U1"), 10), Some("B"));
        assert_eq!(find(Some("U1"), 5000), Some("C"));
        assert_eq!(set.find(Some("other"), None, Decimal::ONE), None);
        // A bounded band beats a half-open one, whatever the number of bounds.
        let set = RuleSet::new(vec![
            rule(None, Some(5000), None, "D"),
            rule(None, Some(0), Some(1_000_000), "E"),
        ])
        .unwrap();
        assert_eq!(
            set.find(Some(" 12345674 ".trim()), None, Decimal::from(6000))
                .map(|r| r.account.as_str()),
            Some("E")
        );
        let set = RuleSet::new(vec![
            rule(None, Some(0), Some(1_000_000), "E"),
            rule(None, Some(5000), Some(7000), "F"),
        ])
        .unwrap();
        assert_eq!(
            set.find(Some("12345674"), None, Decimal::from(6000))
                .map(|r| r.account.as_str()),
            Some("F")
        );
        assert_eq!(set.find(None, None, Decimal::ONE), None);
    }

    #[test]
    fn suppliers_are_trimmed_so_a_rule_with_spaces_still_matches() {
        let mut r = rule(None, None, None, "A");
        r.supplier = " 12345674 ".into();
        let set = RuleSet::new(vec![r]).unwrap();
        assert!(set.find(Some("12345674"), None, Decimal::ONE).is_some());
    }

    #[test]
    fn bad_rules_are_refused_with_their_index() {
        let err = RuleSet::new(vec![
            rule(None, None, None, "A"),
            rule(None, Some(10), Some(5), "B"),
        ])
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            "rule 1: amount_min is above amount_max; swap them or drop one"
        );
    }
}
