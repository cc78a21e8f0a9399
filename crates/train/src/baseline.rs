//! The payment-plan baseline any learned model must beat: per supplier × unit, the majority coding
//! of its past lines, trusted once the pair has at least 20 prior invoices.

use std::collections::{BTreeMap, BTreeSet};

use kontera_core::model::Field;

use crate::example::Example;

/// Prior invoices a supplier × unit needs before its plan is used.
pub const MIN_PLAN_INVOICES: usize = 20;

/// The plans: supplier × unit → (majority coding, its share of the pair's lines).
#[derive(Debug, Clone, Default)]
pub struct PaymentPlans {
    plans: BTreeMap<(String, String), (String, f32)>,
}

/// A line's whole coding over `fields`, as one comparable string.
pub fn joint_label<E: Example>(line: &E, fields: &[Field]) -> Option<String> {
    let mut s = String::new();
    for &f in fields {
        s.push_str(line.label(f)?);
        s.push('\u{1f}');
    }
    Some(s)
}

fn pair<E: Example>(line: &E) -> (String, String) {
    let e = line.evidence();
    (
        e.supplier.unwrap_or("").to_owned(),
        e.unit.unwrap_or("").to_owned(),
    )
}

impl PaymentPlans {
    /// Builds plans from the lines `include` accepts.
    pub fn fit<E: Example>(
        lines: &[E],
        fields: &[Field],
        include: impl Fn(usize) -> bool,
    ) -> PaymentPlans {
        let mut codings: BTreeMap<(String, String), BTreeMap<String, usize>> = BTreeMap::new();
        let mut invoices: BTreeMap<(String, String), BTreeSet<&str>> = BTreeMap::new();
        for (i, line) in lines.iter().enumerate() {
            if !include(i) || line.evidence().supplier.is_none() {
                continue;
            }
            let Some(label) = joint_label(line, fields) else {
                continue;
            };
            let key = pair(line);
            *codings
                .entry(key.clone())
                .or_default()
                .entry(label)
                .or_default() += 1;
            invoices.entry(key).or_default().insert(line.invoice());
        }
        let plans = codings
            .into_iter()
            .filter(|(k, _)| invoices[k].len() >= MIN_PLAN_INVOICES)
            .map(|(k, counts)| {
                let total: usize = counts.values().sum();
                let (best, n) = counts
                    .into_iter()
                    .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(&a.0)))
                    .expect("a pair with invoices has codings");
                (k, (best, n as f32 / total as f32))
            })
            .collect();
        PaymentPlans { plans }
    }

    /// The plan's coding for a line and its historical share, if the pair has a plan.
    pub fn predict<E: Example>(&self, line: &E) -> Option<(&str, f32)> {
        self.plans.get(&pair(line)).map(|(c, s)| (c.as_str(), *s))
    }

    pub fn len(&self) -> usize {
        self.plans.len()
    }

    pub fn is_empty(&self) -> bool {
        self.plans.is_empty()
    }
}
