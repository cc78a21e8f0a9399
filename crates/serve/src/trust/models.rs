//! "Models in service": per model version that decided invoices in the caller's areas (and the
//! one in service now), when it was in service and who put it there — from the activation log —
//! and what it decided: automation and audited precision with its Wilson 95% interval.
//!
//! Decisions record the model as `version@checksum12`; the activation log names the version
//! only. A version's periods are the activations of that version, each lasting until the next
//! activation of any version. Decisions made before a version's first activation were made by
//! the configured model (`model`): that period starts at its first decision in the caller's
//! areas and has no one who activated it.

use std::collections::BTreeMap;

use kontera_store::{Activation, ModelFigures};
use rust_decimal::Decimal;
use serde::Serialize;

use super::{Figures, Sum};

/// One model version and what it decided in the caller's areas.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ModelInService {
    /// The model as decisions record it, `version@checksum12`.
    pub label: String,
    /// The version: the models directory's name, the part of the label before `@`.
    pub version: String,
    /// The model in service now.
    pub active: bool,
    /// When it was in service, oldest first (empty for the configured model before it decided
    /// anything).
    pub periods: Vec<Period>,
    /// The first decision in the caller's areas (unix ms); `null` without decisions.
    pub first_decision: Option<i64>,
    /// The last decision in the caller's areas (unix ms); `null` without decisions.
    pub last_decision: Option<i64>,
    /// Its decisions in the caller's areas over every month (`month` = `all`, `target` null).
    pub total: Figures,
}

/// A stretch of time a model version was in service.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Period {
    /// Unix ms: its activation; for the configured model (`activated_by` null), its first
    /// decision in the caller's areas.
    pub from: i64,
    /// Unix ms: the next activation of any version; `null` while it is in service.
    pub to: Option<i64>,
    /// Who activated it; `null` when it served from the configuration, before any activation.
    pub activated_by: Option<String>,
    /// Why, as the activation gave it.
    pub note: Option<String>,
    /// The comparison report the activation rests on.
    pub report: Option<String>,
}

/// The version part of a decision's model label (`version@checksum12`).
pub fn version_of(label: &str) -> &str {
    label.split_once('@').map_or(label, |(v, _)| v)
}

/// The table: one entry per label of `rows` (the caller's decisions per model, from
/// [`kontera_store::Store::by_model`]) and the active model's `active_label`, ordered by when
/// each first served.
pub fn models_in_service(
    rows: &[ModelFigures],
    activations: &[Activation],
    active_label: &str,
    per_invoice: Decimal,
) -> Vec<ModelInService> {
    // Every activation lasts until the next one.
    let logged: Vec<(&Activation, Option<i64>)> = activations
        .iter()
        .enumerate()
        .map(|(i, a)| (a, activations.get(i + 1).map(|n| n.activated_at)))
        .collect();
    let mut labels: Vec<(&str, Option<&ModelFigures>)> = rows
        .iter()
        .map(|r| (r.model_version.as_str(), Some(r)))
        .collect();
    if !labels.iter().any(|(l, _)| *l == active_label) {
        labels.push((active_label, None));
    }
    // Labels per version: more than one when a version's file was replaced on disk.
    let mut per_version: BTreeMap<&str, usize> = BTreeMap::new();
    for (label, _) in &labels {
        *per_version.entry(version_of(label)).or_default() += 1;
    }

    let mut out: Vec<ModelInService> = labels
        .into_iter()
        .map(|(label, row)| {
            let version = version_of(label);
            let shared = per_version.get(version).copied().unwrap_or(0) > 1;
            let mut periods: Vec<Period> = logged
                .iter()
                .filter(|(a, _)| a.version == version)
                // A version shared by several labels: the periods its decisions fall in.
                .filter(|(a, to)| match (shared, row) {
                    (true, Some(r)) => {
                        a.activated_at <= r.last_received_at
                            && to.is_none_or(|t| t > r.first_received_at)
                    }
                    _ => true,
                })
                .map(|(a, to)| Period {
                    from: a.activated_at,
                    to: *to,
                    activated_by: Some(a.activated_by.clone()),
                    note: a.note.clone(),
                    report: a.report.clone(),
                })
                .collect();
            if let Some(r) = row
                && periods.first().is_none_or(|p| r.first_received_at < p.from)
            {
                // Decided before its first activation: served from the configuration until
                // the first activation after that.
                periods.insert(
                    0,
                    Period {
                        from: r.first_received_at,
                        to: activations
                            .iter()
                            .map(|a| a.activated_at)
                            .find(|at| *at > r.first_received_at),
                        activated_by: None,
                        note: None,
                        report: None,
                    },
                );
            }
            let mut sum = Sum::default();
            if let Some(r) = row {
                sum.add_counts(
                    r.invoices,
                    r.auto,
                    r.would_auto,
                    r.audit_samples,
                    r.audited,
                    r.audited_agreed,
                );
            }
            ModelInService {
                label: label.to_owned(),
                version: version.to_owned(),
                active: label == active_label,
                periods,
                first_decision: row.map(|r| r.first_received_at),
                last_decision: row.map(|r| r.last_received_at),
                total: sum.figures("all", None, per_invoice),
            }
        })
        .collect();
    // By when each first served; a model that never served yet last.
    out.sort_by_key(|m| {
        let start = m.periods.first().map(|p| p.from).or(m.first_decision);
        (start.is_none(), start)
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn activation(version: &str, by: &str, at: i64) -> Activation {
        Activation {
            version: version.to_owned(),
            checksum: None,
            activated_by: by.to_owned(),
            activated_at: at,
            note: Some(format!("{version} by {by}")),
            report: None,
        }
    }

    fn row(label: &str, counts: [u64; 6], first: i64, last: i64) -> ModelFigures {
        let [
            invoices,
            auto,
            would_auto,
            audit_samples,
            audited,
            audited_agreed,
        ] = counts;
        ModelFigures {
            model_version: label.to_owned(),
            invoices,
            auto,
            would_auto,
            audit_samples,
            audited,
            audited_agreed,
            first_received_at: first,
            last_received_at: last,
        }
    }

    #[test]
    fn periods_come_from_the_log_and_the_configuration() {
        let rows = [
            row("default@aaaaaaaaaaaa", [10, 4, 5, 1, 1, 1], 100, 900),
            row("v2@bbbbbbbbbbbb", [20, 10, 12, 2, 2, 1], 1_100, 1_900),
        ];
        let log = [
            activation("v2", "ana", 1_000),
            activation("default", "ada", 2_000),
        ];
        let m = models_in_service(&rows, &log, "default@aaaaaaaaaaaa", Decimal::from(45));
        assert_eq!(m.len(), 2);
        let (d, v2) = (&m[0], &m[1]);
        assert_eq!(d.version, "default");
        assert!(d.active && !v2.active);
        // Served from the configuration until v2, then again after the roll-back.
        assert_eq!(d.periods.len(), 2);
        assert_eq!((d.periods[0].from, d.periods[0].to), (100, Some(1_000)));
        assert_eq!(d.periods[0].activated_by, None);
        assert_eq!((d.periods[1].from, d.periods[1].to), (2_000, None));
        assert_eq!(d.periods[1].activated_by.as_deref(), Some("ada"));
        assert_eq!(v2.periods.len(), 1);
        assert_eq!((v2.periods[0].from, v2.periods[0].to), (1_000, Some(2_000)));
        assert_eq!(v2.periods[0].note.as_deref(), Some("v2 by ana"));
        assert_eq!(
            (v2.total.invoices, v2.total.auto, v2.total.audited),
            (20, 10, 2)
        );
        assert_eq!(v2.total.automation_rate, Some(0.5));
        assert_eq!(v2.total.precision.unwrap().estimate, 0.5);
        assert_eq!(v2.total.pending_audits, 0);
    }

    #[test]
    fn the_active_model_is_listed_before_it_decides() {
        let log = [activation("v3", "ana", 5_000)];
        let m = models_in_service(&[], &log, "v3@cccccccccccc", Decimal::from(45));
        assert_eq!(m.len(), 1);
        assert!(m[0].active);
        assert_eq!(m[0].periods.len(), 1);
        assert_eq!(m[0].total.invoices, 0);
        assert_eq!(m[0].total.precision, None);
        assert_eq!(m[0].first_decision, None);
        assert_eq!(version_of("v3@cccccccccccc"), "v3");
        assert_eq!(version_of("plain"), "plain");
    }
}
