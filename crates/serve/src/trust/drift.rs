//! Drift signals: whether the invoices arriving now still look like those the active model was
//! trained on, per month since it was activated (or over the last twelve months when it serves
//! from the configuration and was never activated), within the caller's areas.
//!
//! - **Unseen suppliers**: the share of invoices whose supplier the active model's directory
//!   does not know with invoices in its training window (by CVR, also inside a Danish VAT id,
//!   else by creditor number). Rising: more invoices the model has no history for, so fewer
//!   clear the threshold and more go to review.
//! - **Closed accounts**: the share of predicted accounts (decision lines with an account) that
//!   the chart of accounts in force today has closed. Rising: the chart moved on from what the
//!   model learned; those codings cannot be posted and the model needs retraining.
//! - **Audited precision**: agreed / audited blind samples with the Wilson 95% interval, per
//!   month. Falling: the model's automatic codings are wrong more often than when it was
//!   activated.
//!
//! Warning thresholds: see [`UNSEEN_SUPPLIERS_WARNING`], [`CLOSED_ACCOUNTS_WARNING`] and
//! [`precision_warns`].

use std::collections::{BTreeMap, BTreeSet, HashMap};

use chrono::{DateTime, Datelike, NaiveDate};
use kontera_core::chart::Mapping;
use kontera_core::directory::Directory;
use kontera_core::trust::parse_month;
use kontera_core::{AccountId, Chart, Cvr};
use kontera_store::{Activation, MonthArea, MonthCount};
use serde::Serialize;

use super::{Precision, Sum, fill_gaps, month_of};

/// Warn when more than this share of invoices comes from suppliers the model never saw: above
/// one in five, the model has no history for a large part of the work and automation falls.
pub const UNSEEN_SUPPLIERS_WARNING: f64 = 0.20;

/// Warn when more than this share of predicted accounts is closed in the chart in force: above
/// one in a hundred lines, the chart has moved on enough that the model should be retrained.
pub const CLOSED_ACCOUNTS_WARNING: f64 = 0.01;

/// Without an activation of the active model, the period is this many months up to this one.
pub const FALLBACK_MONTHS: u32 = 12;

/// The signal ids, as `signal` and in each month's `warnings`.
pub const UNSEEN_SUPPLIERS: &str = "unseen_suppliers";
pub const CLOSED_ACCOUNTS: &str = "closed_accounts";
pub const AUDITED_PRECISION: &str = "audited_precision";

/// The drift signals for one caller.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Drift {
    /// The active model, `version@checksum12`.
    pub model: String,
    /// Start of the period (unix ms): the active model's activation, or the first day (UTC) of
    /// the month eleven months before this one.
    pub since: i64,
    /// The period starts at the active model's activation (else: the last twelve months).
    pub since_activation: bool,
    /// The three signals over the whole period.
    pub signals: Vec<Signal>,
    /// Per month of the period, months without invoices as zeros.
    pub months: Vec<DriftMonth>,
}

/// One signal over the period.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Signal {
    /// `unseen_suppliers`, `closed_accounts` or `audited_precision`.
    pub signal: &'static str,
    pub title: &'static str,
    /// What a change means, in one line.
    pub explanation: &'static str,
    /// Invoices from unseen suppliers, closed predicted accounts, or agreed audits …
    pub count: u64,
    /// … of invoices, predicted accounts, or audits.
    pub of: u64,
    /// `count / of`; `null` when `of` is 0.
    pub share: Option<f64>,
    /// For audited precision, the Wilson 95% interval; `null` otherwise or without audits.
    pub interval: Option<Precision>,
    /// A share above it warns; for audited precision, an interval wholly below it (the promised
    /// precision).
    pub threshold: f64,
    pub warning: bool,
}

/// One month's signals.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DriftMonth {
    /// `YYYY-MM` (UTC) the invoices arrived in.
    pub month: String,
    pub invoices: u64,
    /// Invoices whose supplier the active model never saw in training.
    pub unseen_suppliers: u64,
    /// `unseen_suppliers / invoices`; `null` without invoices.
    pub unseen_supplier_share: Option<f64>,
    /// Decision lines with an account.
    pub predicted_accounts: u64,
    /// Of those, accounts the chart in force has closed.
    pub closed_accounts: u64,
    /// `closed_accounts / predicted_accounts`; `null` without lines.
    pub closed_account_share: Option<f64>,
    /// Audit samples reviewed, and of those agreed.
    pub audited: u64,
    pub agreed: u64,
    /// `agreed / audited` with its Wilson 95% interval; `null` without audits.
    pub precision: Option<Precision>,
    /// The signals past their threshold this month (signal ids).
    pub warnings: Vec<&'static str>,
}

/// What [`drift`] is built from: counts already classified against the active model.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DriftCounts {
    /// The active model's label.
    pub model: String,
    pub since: i64,
    pub since_activation: bool,
    /// Per month: (invoices, of which from unseen suppliers).
    pub suppliers: BTreeMap<String, (u64, u64)>,
    /// Per month: (predicted accounts, of which closed).
    pub accounts: BTreeMap<String, (u64, u64)>,
    /// The caller's figures per month and area since `since`.
    pub audits: Vec<MonthArea>,
}

/// The start of the drift period for the model `version` at `now_ms`: the activation that put
/// it in service (the first of an unbroken run of activations of it), else the first day of the
/// month [`FALLBACK_MONTHS`] − 1 months before this one. `(since, since_activation)`.
pub fn period_start(activations: &[Activation], version: &str, now_ms: i64) -> (i64, bool) {
    if let Some(last) = activations.iter().rposition(|a| a.version == version) {
        let mut first = last;
        while first > 0 && activations[first - 1].version == version {
            first -= 1;
        }
        return (activations[first].activated_at, true);
    }
    let now = DateTime::from_timestamp_millis(now_ms).unwrap_or_default();
    let months = now.year() * 12 + now.month0() as i32 - (FALLBACK_MONTHS as i32 - 1);
    let start = NaiveDate::from_ymd_opt(months.div_euclid(12), months.rem_euclid(12) as u32 + 1, 1)
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map_or(0, |t| t.and_utc().timestamp_millis());
    (start, false)
}

/// Whether the model whose directory this is saw `supplier` (a decision's supplier identity)
/// in training: a creditor with that CVR (a Danish VAT id `DK…` holds one) or creditor number,
/// with invoices in the training window. A creditor of the master data that sent none is unseen.
pub fn seen_in_training(directory: &Directory, supplier: &str) -> bool {
    if let Ok(cvr) = Cvr::parse(supplier)
        && directory.creditors_by_cvr(cvr).any(|c| c.amounts.is_some())
    {
        return true;
    }
    directory
        .creditor(supplier)
        .is_some_and(|c| c.amounts.is_some())
}

/// Whether the chart in force has closed `account` by `today` (every path from it ends in a
/// closed account). Renamed, merged, split or unknown accounts are not closed.
pub fn closed_in(chart: &Chart, account: &str, today: NaiveDate) -> bool {
    AccountId::parse(account)
        .is_ok_and(|id| matches!(chart.current(&id, today), Mapping::Closed { .. }))
}

/// Per month: (total count, count of the values `hit` holds for), each distinct value judged
/// once.
pub fn classify(rows: &[MonthCount], hit: impl Fn(&str) -> bool) -> BTreeMap<String, (u64, u64)> {
    let mut judged: HashMap<&str, bool> = HashMap::new();
    let mut out: BTreeMap<String, (u64, u64)> = BTreeMap::new();
    for row in rows {
        let is_hit = *judged
            .entry(row.value.as_str())
            .or_insert_with(|| hit(&row.value));
        let e = out.entry(row.month.clone()).or_default();
        e.0 = e.0.saturating_add(row.count);
        if is_hit {
            e.1 = e.1.saturating_add(row.count);
        }
    }
    out
}

/// Audited precision warns when its 95% interval lies wholly below the promised precision:
/// the audits show, beyond chance, that the model codes worse than promised.
pub fn precision_warns(interval: Option<&Precision>, promised: f64) -> bool {
    interval.is_some_and(|p| p.hi < promised)
}

fn share(count: u64, of: u64) -> Option<f64> {
    (of > 0).then(|| count as f64 / of as f64)
}

/// The signals from `counts`, as of `now_ms`, against the `promised` precision.
pub fn drift(counts: &DriftCounts, now_ms: i64, promised: f64) -> Drift {
    let mut audits: BTreeMap<&str, Sum> = BTreeMap::new();
    for row in &counts.audits {
        audits.entry(&row.month).or_default().add(row);
    }
    let as_of = month_of(now_ms);
    let first = month_of(counts.since);
    let keys: BTreeSet<&str> = counts
        .suppliers
        .keys()
        .chain(counts.accounts.keys())
        .map(String::as_str)
        .chain(audits.keys().copied())
        .chain([first.as_str(), as_of.as_str()])
        .filter(|m| parse_month(m).is_some())
        .collect();
    let mut total_audits = Sum::default();
    let (mut invoices, mut unseen, mut lines, mut closed) = (0u64, 0u64, 0u64, 0u64);
    let months: Vec<DriftMonth> = fill_gaps(keys.into_iter())
        .into_iter()
        .filter(|m| m.as_str() >= first.as_str())
        .map(|month| {
            let (n, u) = counts.suppliers.get(&month).copied().unwrap_or_default();
            let (l, c) = counts.accounts.get(&month).copied().unwrap_or_default();
            let a = audits.get(month.as_str()).cloned().unwrap_or_default();
            total_audits.merge(&a);
            invoices += n;
            unseen += u;
            lines += l;
            closed += c;
            let precision = a.precision();
            let mut warnings = Vec::new();
            if share(u, n).is_some_and(|s| s > UNSEEN_SUPPLIERS_WARNING) {
                warnings.push(UNSEEN_SUPPLIERS);
            }
            if share(c, l).is_some_and(|s| s > CLOSED_ACCOUNTS_WARNING) {
                warnings.push(CLOSED_ACCOUNTS);
            }
            if precision_warns(precision.as_ref(), promised) {
                warnings.push(AUDITED_PRECISION);
            }
            DriftMonth {
                month,
                invoices: n,
                unseen_suppliers: u,
                unseen_supplier_share: share(u, n),
                predicted_accounts: l,
                closed_accounts: c,
                closed_account_share: share(c, l),
                audited: a.counts.audited,
                agreed: a.counts.agreed.min(a.counts.audited),
                precision,
                warnings,
            }
        })
        .collect();

    let precision = total_audits.precision();
    let (audited, agreed) = (
        total_audits.counts.audited,
        total_audits.counts.agreed.min(total_audits.counts.audited),
    );
    let signals = vec![
        Signal {
            signal: UNSEEN_SUPPLIERS,
            title: "Invoices from suppliers unseen in training",
            explanation: "Rising: more invoices come from suppliers the model has no history \
                          for, so fewer are coded automatically.",
            count: unseen,
            of: invoices,
            share: share(unseen, invoices),
            interval: None,
            threshold: UNSEEN_SUPPLIERS_WARNING,
            warning: share(unseen, invoices).is_some_and(|s| s > UNSEEN_SUPPLIERS_WARNING),
        },
        Signal {
            signal: CLOSED_ACCOUNTS,
            title: "Predicted accounts closed in the current chart",
            explanation: "Rising: the chart of accounts has moved on from the one the model \
                          learned; those codings go to a person and the model needs retraining.",
            count: closed,
            of: lines,
            share: share(closed, lines),
            interval: None,
            threshold: CLOSED_ACCOUNTS_WARNING,
            warning: share(closed, lines).is_some_and(|s| s > CLOSED_ACCOUNTS_WARNING),
        },
        Signal {
            signal: AUDITED_PRECISION,
            title: if counts.since_activation {
                "Audited precision since activation"
            } else {
                "Audited precision over the last twelve months"
            },
            explanation: "Falling: controllers disagree with the automatic codings more often \
                          than when the model was activated.",
            count: agreed,
            of: audited,
            share: share(agreed, audited),
            interval: precision,
            threshold: promised,
            warning: precision_warns(precision.as_ref(), promised),
        },
    ];
    Drift {
        model: counts.model.clone(),
        since: counts.since,
        since_activation: counts.since_activation,
        signals,
        months,
    }
}

#[cfg(test)]
mod tests {
    use kontera_core::trust::month_key;

    use super::*;

    /// The `YYYY-MM` month `months` months before `key`.
    fn months_before(key: &str, months: i32) -> String {
        let (y, m) = parse_month(key).unwrap();
        let n = y * 12 + m as i32 - 1 - months;
        month_key(n.div_euclid(12), n.rem_euclid(12) as u32 + 1)
    }

    /// 2026-02-10 12:00 UTC.
    const NOW: i64 = 1_770_724_800_000;

    fn mc(month: &str, value: &str, count: u64) -> MonthCount {
        MonthCount {
            month: month.to_owned(),
            value: value.to_owned(),
            count,
        }
    }

    #[test]
    fn the_period_starts_at_the_run_of_activations_or_a_year_back() {
        let a = |v: &str, at: i64| Activation {
            version: v.to_owned(),
            checksum: None,
            activated_by: "ana".to_owned(),
            activated_at: at,
            note: None,
            report: None,
        };
        let log = [a("v1", 10), a("v2", 20), a("v2", 30), a("v1", 40)];
        assert_eq!(period_start(&log, "v2", NOW), (20, true));
        assert_eq!(period_start(&log, "v1", NOW), (40, true));
        let (since, by_activation) = period_start(&log, "default", NOW);
        assert!(!by_activation);
        assert_eq!(month_of(since), "2025-03");
        assert_eq!(months_before("2026-02", 11), "2025-03");
        assert_eq!(since, 1_740_787_200_000, "2025-03-01 00:00 UTC");
    }

    #[test]
    fn shares_thresholds_and_gaps() {
        let suppliers = classify(
            &[
                mc("2025-12", "known", 8),
                mc("2025-12", "new", 2),
                mc("2026-02", "known", 1),
                mc("2026-02", "new", 3),
            ],
            |s| s == "new",
        );
        assert_eq!(suppliers["2025-12"], (10, 2));
        let accounts = classify(
            &[mc("2025-12", "1.00", 99), mc("2025-12", "9.99", 1)],
            |a| a == "9.99",
        );
        let audits = vec![MonthArea {
            month: "2025-12".to_owned(),
            area: Some("schools".to_owned()),
            invoices: 10,
            auto: 5,
            would_auto: 6,
            audit_samples: 20,
            audited: 20,
            audited_agreed: 10,
        }];
        let d = drift(
            &DriftCounts {
                model: "v1@x".to_owned(),
                since: 1_764_547_200_000, // 2025-12-01
                since_activation: true,
                suppliers,
                accounts,
                audits,
            },
            NOW,
            0.99,
        );
        let months: Vec<&str> = d.months.iter().map(|m| m.month.as_str()).collect();
        assert_eq!(months, ["2025-12", "2026-01", "2026-02"]);
        let dec = &d.months[0];
        assert_eq!(dec.unseen_supplier_share, Some(0.2));
        // 20% is not above the threshold; 1 of 100 accounts is not above 1%.
        assert_eq!(dec.closed_account_share, Some(0.01));
        assert_eq!(dec.warnings, [AUDITED_PRECISION]);
        assert_eq!(d.months[1].unseen_supplier_share, None);
        assert!(d.months[1].warnings.is_empty());
        assert_eq!(d.months[2].warnings, [UNSEEN_SUPPLIERS]);
        assert_eq!(d.signals[0].count, 5);
        assert_eq!(d.signals[0].of, 14);
        assert!(d.signals[0].warning);
        assert!(!d.signals[1].warning);
        assert_eq!(d.signals[2].share, Some(0.5));
        assert!(d.signals[2].warning);
        assert!(d.signals[2].interval.unwrap().hi < 0.99);
    }
}
