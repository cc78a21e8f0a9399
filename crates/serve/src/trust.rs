//! The trust dashboard's figures, for one caller: per area and month, how much was coded
//! automatically against the target for that year of operation, how the blind audits of it went
//! (audited precision with its Wilson 95% interval), what it saved, which areas are paused and
//! why, the circuit breaker's rule with each area's standing, the threshold in force per area
//! and the audit rule's recent moves of it ([`crate::adapt`]), which model version decided what
//! ([`models`]), and the drift signals of the model in service ([`drift`]). `GET /v1/dashboard`
//! answers with them as JSON and `/dashboard` draws them.
//!
//! Controllers see only their areas: the store filters by the caller's [`AreaScope`] in SQL.
//! Months are those the invoices were received in (UTC), and an audit's outcome counts in the
//! month its invoice was received, not the month it was reviewed.

pub mod drift;
pub mod models;

use std::collections::BTreeMap;

use chrono::{DateTime, Datelike};
use kontera_core::trust::{Breaker, MonthFigures, Targets, Verdict, month_key, parse_month};
use kontera_store::{
    Activation, AreaAutomation, AreaScope, ModelFigures, MonthArea, StoreError, ThresholdAdjustment,
};
use rust_decimal::Decimal;
use serde::{Serialize, Serializer};

use crate::auth::Principal;
use crate::config::Trust;
use crate::models::LoadedModel;
use crate::state::{AppState, ThresholdSource};

pub use drift::{Drift, DriftCounts, DriftMonth, Signal};
pub use models::{ModelInService, Period};

/// The `changed_by` of a pause the circuit breaker made.
pub use crate::breaker::BY as CIRCUIT_BREAKER;

/// The currency savings are counted in.
pub const CURRENCY: &str = "DKK";

/// The most threshold adjustments the dashboard lists.
pub const ADJUSTMENTS_SHOWN: u32 = 50;

/// Everything the dashboard shows, for one caller.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Dashboard {
    /// The current month (UTC), `YYYY-MM`: the month of [`Dashboard::this_month`].
    pub as_of: String,
    /// The caller sees every area (else only [`Dashboard::scope`]).
    pub all_areas: bool,
    /// The caller's areas when not [`Dashboard::all_areas`]; empty otherwise.
    pub scope: Vec<String>,
    /// Currency of every amount, `DKK`.
    pub currency: &'static str,
    /// Estimated saving per automatically coded invoice.
    #[serde(serialize_with = "money")]
    pub saving_per_invoice: Decimal,
    /// The precision promised for automatic coding.
    pub promised_precision: f64,
    /// Calendar year of year 1 of operation (configured, else the year of the first decision).
    pub start_year: i32,
    /// Automation-rate targets for years 1, 2, … of operation (the last holds after).
    pub targets: Vec<f64>,
    /// The circuit breaker's rule.
    pub breaker: BreakerRule,
    /// The audit rule that moves areas' thresholds.
    pub threshold_rule: ThresholdRuleOut,
    /// The audit rule's latest moves of the caller's areas' thresholds, newest first (at most
    /// [`ADJUSTMENTS_SHOWN`]).
    pub adjustments: Vec<AdjustmentRow>,
    /// Areas whose automation is paused now, by area.
    pub paused: Vec<Paused>,
    /// Areas (of the caller's, with invoices or a pause) still waiting for their year's first
    /// reviews before they automate (see [`crate::opening`]), by area.
    pub waiting: Vec<String>,
    /// All the caller's areas in the current month (zeros when nothing arrived yet).
    pub this_month: Figures,
    /// All the caller's areas over every month.
    pub total: Figures,
    /// All the caller's areas per month, from the first month with invoices to the last, months
    /// without invoices included as zeros.
    pub months: Vec<Figures>,
    /// Per area (`null`: invoices whose area is unknown, seen only by callers of every area).
    pub areas: Vec<AreaFigures>,
    /// Per model version that decided invoices in the caller's areas, and the one in service:
    /// when it served, who activated it, what it decided.
    pub models: Vec<ModelInService>,
    /// The active model's drift signals since its activation (else the last twelve months).
    pub drift: Drift,
}

/// One month's (or a period's) figures.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Figures {
    /// `YYYY-MM`, or `all` for a sum over every month.
    pub month: String,
    /// Invoices decided.
    pub invoices: u64,
    /// Of those, coded and posted automatically.
    pub auto: u64,
    /// The policy would have automated (automatic ones and audit samples).
    pub would_auto: u64,
    /// `auto / invoices`; `null` without invoices.
    pub automation_rate: Option<f64>,
    /// The target for the month's year of operation; `null` for a sum over months or a month
    /// before operation started.
    pub target: Option<f64>,
    /// Would-be-automatic invoices drawn as blind audit samples.
    pub audit_samples: u64,
    /// Of those, reviewed by a controller so far.
    pub audited: u64,
    /// Of the reviewed, those where the controller's coding agreed on every line.
    pub agreed: u64,
    /// Audit samples not reviewed yet.
    pub pending_audits: u64,
    /// `agreed / audited` with its Wilson 95% interval; `null` without audits.
    pub precision: Option<Precision>,
    /// `auto × saving_per_invoice`.
    #[serde(serialize_with = "money")]
    pub savings: Decimal,
}

/// Audited precision with its Wilson 95% interval.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Precision {
    pub estimate: f64,
    pub lo: f64,
    pub hi: f64,
}

/// One area's figures.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AreaFigures {
    /// The area; `null` for invoices whose area is unknown.
    pub area: Option<String>,
    /// Automation is paused for the area now.
    pub paused: bool,
    /// Over every month.
    pub total: Figures,
    /// Per month with invoices, in order.
    pub months: Vec<Figures>,
    /// The circuit breaker's view of the area's recent audits (`null` without an area).
    pub breaker: Option<AreaBreaker>,
    /// The threshold in force for the model in service (`null` without an area).
    pub threshold: Option<AreaThreshold>,
}

/// An area's threshold in force and where it comes from.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct AreaThreshold {
    /// The confidence every line needs now; `null` when the model has no threshold for the
    /// target precision (nothing is automated). Above 1: the audit rule lets nothing through.
    pub threshold: Option<f32>,
    /// `audit_rule` (the audit rule raised it), `override` (set through the API),
    /// `configuration` or `model`.
    pub source: &'static str,
    /// The area's own threshold, without the audit rule (`null` as for `threshold`).
    pub base: Option<f32>,
    /// The audit rule's latest threshold for the area and the model in service, in force where
    /// above `base` (`null`: none, or the rule is off).
    pub adapted: Option<f32>,
}

impl AreaThreshold {
    /// From the threshold in force with its source, the area's own, and the audit rule's.
    pub fn new(in_force: (f32, ThresholdSource), base: f32, adapted: Option<f32>) -> AreaThreshold {
        let finite = |t: f32| t.is_finite().then_some(t);
        AreaThreshold {
            threshold: finite(in_force.0),
            source: in_force.1.as_str(),
            base: finite(base),
            adapted,
        }
    }

    /// The audit rule set the threshold in force.
    pub fn by_audit_rule(&self) -> bool {
        self.source == ThresholdSource::AuditRule.as_str()
    }
}

/// The audit rule's settings.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ThresholdRuleOut {
    /// The rule moves thresholds (`trust.adapt`).
    pub enabled: bool,
    /// The precision whose lower confidence bound the rule keeps at or above target.
    pub target: f64,
    /// The bounds' confidence level, e.g. 0.95.
    pub confidence: f64,
    /// Days of audits and eligible invoices judged.
    pub window_days: u32,
    /// Audited invoices the window needs before a threshold may move.
    pub min_audits: u64,
    /// Errors the audits must predict before a flawless record counts as evidence.
    pub min_expected: f64,
}

/// One move of an area's threshold by the audit rule.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AdjustmentRow {
    pub area: String,
    /// The model whose audits were judged, `version@checksum12`.
    pub model_version: String,
    /// Unix ms.
    pub adjusted_at: i64,
    /// The threshold before: the rule's previous one, else the area's own.
    pub from: f32,
    /// The rule's threshold from then on (above 1: nothing automated).
    pub to: f32,
    /// The area's own threshold then.
    pub base: f32,
    /// `too_little_evidence`, `enough_audits` or `credible_breach`.
    pub basis: String,
    pub audited: u64,
    pub errors: u64,
    pub expected: f64,
    /// Observed over expected errors and its upper bound (`null` while nothing was expected).
    pub ratio: Option<f64>,
    pub ratio_upper: Option<f64>,
    /// Precision's lower bound projected at `to` (`null` when nothing clears it).
    pub projected_precision: Option<f64>,
    /// Share of the recent eligible invoices `to` lets through.
    pub automated_share: f64,
    /// The evidence as one sentence.
    pub message: String,
}

impl AdjustmentRow {
    /// The row of a stored adjustment (its thresholds were recorded from `f32`s: exact).
    pub fn of(a: &ThresholdAdjustment) -> AdjustmentRow {
        AdjustmentRow {
            area: a.area.clone(),
            model_version: a.model_version.clone(),
            adjusted_at: a.adjusted_at,
            from: a.previous.unwrap_or(a.base) as f32,
            to: a.threshold as f32,
            base: a.base as f32,
            basis: a.basis.clone(),
            audited: a.audited,
            errors: a.errors,
            expected: a.expected,
            ratio: a.ratio_estimate,
            ratio_upper: a.ratio_upper,
            projected_precision: a.projected_precision,
            automated_share: a.automated_share,
            message: a.message.clone(),
        }
    }
}

/// The circuit breaker's rule.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct BreakerRule {
    /// Automation pauses when the 95% lower bound of audited precision falls below this …
    pub floor: f64,
    /// … over the audits reviewed in this many days …
    pub window_days: u32,
    /// … once there are at least this many.
    pub min_audits: u64,
}

/// An area's audits in the breaker's window and the breaker's verdict on them.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AreaBreaker {
    /// Audit samples reviewed in the window (by review time).
    pub audited: u64,
    /// Of those, agreed.
    pub agreed: u64,
    /// `too_few_audits`, `holds` or `trips`.
    pub verdict: &'static str,
    /// The 95% lower bound of precision in the window, when there were enough audits to judge.
    pub lower_bound: Option<f64>,
    /// The verdict as a sentence.
    pub explanation: String,
}

/// A paused area: who paused it, when and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Paused {
    pub area: String,
    /// A user name, or `circuit_breaker`.
    pub changed_by: String,
    /// Paused by the circuit breaker (not by a person).
    pub circuit_breaker: bool,
    pub reason: Option<String>,
    /// Unix milliseconds.
    pub changed_at: i64,
}

/// The areas `who` may see, as the store's filter.
pub fn scope_of(who: &Principal) -> AreaScope {
    if who.all_areas() {
        AreaScope::All
    } else {
        AreaScope::Only(who.areas.clone())
    }
}

/// The dashboard for `who` at `now_ms` (unix milliseconds): reads the monthly figures within
/// the caller's scope, the pauses and each area's breaker window, then [`assemble`]s them.
///
/// Without a configured `trust.start_year`, year 1 of operation is the year of the first stored
/// decision of any area (so a controller's targets are the service's, not their areas').
pub async fn dashboard(
    state: &AppState,
    who: &Principal,
    now_ms: i64,
) -> Result<Dashboard, StoreError> {
    let settings = &state.config.trust;
    let scope = scope_of(who);
    let rows = state.store.monthly(&scope).await?;
    let first_month = match (settings.start_year, &scope) {
        (Some(_), _) => None,
        (None, AreaScope::All) => rows.first().map(|r| r.month.clone()),
        // Scans every area's decisions once more, for the first month only.
        (None, AreaScope::Only(_)) => state
            .store
            .monthly(&AreaScope::All)
            .await?
            .first()
            .map(|r| r.month.clone()),
    };
    let automation = state.store.automation().await?;
    let activations = state.store.activations().await?;
    let by_model = state.store.by_model(&scope).await?;
    let model = state.models.active();
    let drift = drift_counts(state, &model, &scope, &activations, now_ms).await?;
    let rule = crate::breaker::rule(settings);
    let since = rule.window_start(now_ms);
    let mut windows = BTreeMap::new();
    let mut thresholds = BTreeMap::new();
    let areas = rows
        .iter()
        .filter_map(|r| r.area.as_deref())
        .chain(automation.iter().map(|a| a.area.as_str()))
        .filter(|a| scope.includes(Some(a)));
    for area in areas {
        if !windows.contains_key(area) {
            let counts = state.store.audit_window(area, since).await?;
            windows.insert(area.to_owned(), counts);
            thresholds.insert(area.to_owned(), threshold_of(state, &model, area));
        }
    }
    let adjustments = state.store.adjustments(&scope, ADJUSTMENTS_SHOWN).await?;
    let threshold_rule = crate::adapt::rule(&state.config, &model);
    Ok(assemble(&Inputs {
        settings,
        who,
        now_ms,
        rows: &rows,
        first_month: first_month.as_deref(),
        automation: &automation,
        windows: &windows,
        thresholds: &thresholds,
        threshold_rule: ThresholdRuleOut {
            enabled: settings.adapt,
            target: threshold_rule.target,
            confidence: 1.0 - threshold_rule.alpha,
            window_days: threshold_rule.window_days,
            min_audits: threshold_rule.min_audits,
            min_expected: threshold_rule.min_expected(),
        },
        adjustments: &adjustments,
        models: &by_model,
        activations: &activations,
        active_model: &model.label(),
        drift: &drift,
        opened: &state.area_settings().opened,
    }))
}

/// The threshold in force for `area` with the model in service.
fn threshold_of(state: &AppState, model: &LoadedModel, area: &str) -> AreaThreshold {
    let settings = state.area_settings();
    let config = &state.config;
    let area = Some(area);
    AreaThreshold::new(
        settings.threshold(config, model, area),
        settings.base(config, model, area).0,
        settings.adapted(config, model, area),
    )
}

/// The drift signals' counts for the caller's `scope`: suppliers and predicted accounts per
/// month since the active model's activation, judged against its directory and the chart in
/// force today, and the audits of those months.
async fn drift_counts(
    state: &AppState,
    model: &LoadedModel,
    scope: &AreaScope,
    activations: &[Activation],
    now_ms: i64,
) -> Result<DriftCounts, StoreError> {
    let (since, since_activation) = drift::period_start(activations, &model.version, now_ms);
    let suppliers = state.store.suppliers_by_month(scope, since).await?;
    let accounts = state.store.accounts_by_month(scope, since).await?;
    let audits = state.store.monthly_since(scope, since).await?;
    let directory = &model.artifact.directory;
    let in_force = state.chart.for_model(model);
    let today = DateTime::from_timestamp_millis(now_ms)
        .unwrap_or_default()
        .date_naive();
    Ok(DriftCounts {
        model: model.label(),
        since,
        since_activation,
        suppliers: drift::classify(&suppliers, |s| !drift::seen_in_training(directory, s)),
        accounts: drift::classify(&accounts, |a| drift::closed_in(&in_force.chart, a, today)),
        audits,
    })
}

/// What [`assemble`] builds the dashboard from.
#[derive(Debug)]
pub struct Inputs<'a> {
    pub settings: &'a Trust,
    pub who: &'a Principal,
    pub now_ms: i64,
    /// The caller's monthly figures, as [`kontera_store::Store::monthly`] gives them.
    pub rows: &'a [MonthArea],
    /// The first month of any area's decisions (for year 1 of operation when not configured).
    pub first_month: Option<&'a str>,
    /// Every area's automation state (filtered to the caller's areas here).
    pub automation: &'a [AreaAutomation],
    /// Per area: (audited, agreed) in the breaker's window.
    pub windows: &'a BTreeMap<String, (u64, u64)>,
    /// Per area: the threshold in force.
    pub thresholds: &'a BTreeMap<String, AreaThreshold>,
    /// The audit rule's settings.
    pub threshold_rule: ThresholdRuleOut,
    /// The latest threshold adjustments, newest first (filtered to the caller's areas here too).
    pub adjustments: &'a [ThresholdAdjustment],
    /// The caller's decisions per model version, as [`kontera_store::Store::by_model`] gives
    /// them.
    pub models: &'a [ModelFigures],
    /// The activation log, oldest first.
    pub activations: &'a [Activation],
    /// The model in service, `version@checksum12`.
    pub active_model: &'a str,
    /// The drift signals' counts (see [`drift`]).
    pub drift: &'a DriftCounts,
    /// Each area's years whose automation has opened (see [`crate::opening`]).
    pub opened: &'a crate::opening::Opened,
}

/// The dashboard from figures already read: pure, so it is tested without a database.
pub fn assemble(input: &Inputs<'_>) -> Dashboard {
    let settings = input.settings;
    let scope = scope_of(input.who);
    let as_of = month_of(input.now_ms);
    let start_year = settings
        .start_year
        .or_else(|| input.first_month.and_then(parse_month).map(|(y, _)| y))
        .or_else(|| parse_month(&as_of).map(|(y, _)| y))
        .unwrap_or(1970);
    let targets = Targets {
        start_year,
        rates: settings.targets.clone(),
    };
    let per = settings.saving_per_invoice;
    let figures = |month: &str, sum: &Sum, target: Option<f64>| sum.figures(month, target, per);

    // All areas per month, and per area per month.
    let mut months: BTreeMap<&str, Sum> = BTreeMap::new();
    let mut areas: BTreeMap<Option<&str>, BTreeMap<&str, Sum>> = BTreeMap::new();
    for row in input.rows {
        months.entry(&row.month).or_default().add(row);
        areas
            .entry(row.area.as_deref())
            .or_default()
            .entry(&row.month)
            .or_default()
            .add(row);
    }
    let mut total = Sum::default();
    for sum in months.values() {
        total.merge(sum);
    }
    let series = fill_gaps(months.keys().copied())
        .into_iter()
        .map(|month| {
            let sum = months.get(month.as_str()).cloned().unwrap_or_default();
            figures(&month, &sum, targets.for_key(&month))
        })
        .collect();
    let this_month = figures(
        &as_of,
        months.get(as_of.as_str()).unwrap_or(&Sum::default()),
        targets.for_key(&as_of),
    );

    let paused: Vec<Paused> = input
        .automation
        .iter()
        .filter(|a| a.paused && scope.includes(Some(&a.area)))
        .map(|a| Paused {
            area: a.area.clone(),
            changed_by: a.changed_by.clone(),
            circuit_breaker: a.changed_by == CIRCUIT_BREAKER,
            reason: a.reason.clone(),
            changed_at: a.changed_at,
        })
        .collect();
    let adjustments = input
        .adjustments
        .iter()
        .filter(|a| scope.includes(Some(&a.area)))
        .map(AdjustmentRow::of)
        .collect();
    let rule = crate::breaker::rule(settings);
    // Paused areas without invoices in scope still get a row, so the table names them.
    for p in &paused {
        areas.entry(Some(p.area.as_str())).or_default();
    }
    let areas: Vec<AreaFigures> = areas
        .into_iter()
        .map(|(area, by_month)| {
            let mut sum = Sum::default();
            for s in by_month.values() {
                sum.merge(s);
            }
            AreaFigures {
                area: area.map(str::to_owned),
                paused: area.is_some_and(|a| paused.iter().any(|p| p.area == a)),
                total: figures("all", &sum, None),
                months: by_month
                    .iter()
                    .map(|(month, s)| figures(month, s, targets.for_key(month)))
                    .collect(),
                breaker: area.map(|a| {
                    let (audited, agreed) = input.windows.get(a).copied().unwrap_or((0, 0));
                    area_breaker(&rule, audited, agreed)
                }),
                threshold: area.and_then(|a| input.thresholds.get(a).copied()),
            }
        })
        .collect();

    let waiting = areas
        .iter()
        .filter_map(|a| a.area.clone())
        .filter(|a| {
            crate::opening::waits(settings.year_opening_reviews, input.opened, a, input.now_ms)
        })
        .collect();

    Dashboard {
        as_of,
        all_areas: scope == AreaScope::All,
        scope: match scope {
            AreaScope::All => Vec::new(),
            AreaScope::Only(areas) => areas,
        },
        currency: CURRENCY,
        saving_per_invoice: per,
        promised_precision: settings.promised_precision,
        start_year,
        targets: settings.targets.clone(),
        breaker: BreakerRule {
            floor: rule.floor,
            window_days: rule.window_days,
            min_audits: rule.min_audits,
        },
        threshold_rule: input.threshold_rule,
        adjustments,
        paused,
        waiting,
        this_month,
        total: figures("all", &total, None),
        months: series,
        areas,
        models: models::models_in_service(input.models, input.activations, input.active_model, per),
        drift: drift::drift(input.drift, input.now_ms, settings.promised_precision),
    }
}

fn area_breaker(rule: &Breaker, audited: u64, agreed: u64) -> AreaBreaker {
    let verdict = rule.check(audited, agreed);
    AreaBreaker {
        audited,
        agreed: agreed.min(audited),
        verdict: match verdict {
            Verdict::TooFewAudits { .. } => "too_few_audits",
            Verdict::Holds { .. } => "holds",
            Verdict::Trips { .. } => "trips",
        },
        lower_bound: verdict.interval().map(|i| i.lo),
        explanation: rule.explain(&verdict),
    }
}

/// Counts summed over areas or months.
#[derive(Debug, Clone, Default)]
struct Sum {
    counts: MonthFigures,
    would_auto: u64,
}

impl Sum {
    fn add(&mut self, row: &MonthArea) {
        self.add_counts(
            row.invoices,
            row.auto,
            row.would_auto,
            row.audit_samples,
            row.audited,
            row.audited_agreed,
        );
    }

    /// Adds a row's counts: invoices, auto, would-be-auto, audit samples, audited, agreed.
    fn add_counts(
        &mut self,
        invoices: u64,
        auto: u64,
        would_auto: u64,
        audit_samples: u64,
        audited: u64,
        agreed: u64,
    ) {
        self.counts.add(&MonthFigures {
            month: String::new(),
            invoices,
            auto,
            audit_samples,
            audited,
            agreed,
        });
        self.would_auto = self.would_auto.saturating_add(would_auto);
    }

    /// Audited precision with its Wilson 95% interval; `None` without audits.
    fn precision(&self) -> Option<Precision> {
        self.counts.precision().map(|i| Precision {
            estimate: i.estimate,
            lo: i.lo,
            hi: i.hi,
        })
    }

    fn merge(&mut self, other: &Sum) {
        self.counts.add(&other.counts);
        self.would_auto = self.would_auto.saturating_add(other.would_auto);
    }

    fn figures(&self, month: &str, target: Option<f64>, per_invoice: Decimal) -> Figures {
        let c = &self.counts;
        Figures {
            month: month.to_owned(),
            invoices: c.invoices,
            auto: c.auto,
            would_auto: self.would_auto,
            automation_rate: c.automation_rate(),
            target,
            audit_samples: c.audit_samples,
            audited: c.audited,
            agreed: c.agreed.min(c.audited),
            pending_audits: c.pending_audits(),
            precision: self.precision(),
            savings: c.savings(per_invoice),
        }
    }
}

/// The `YYYY-MM` month (UTC) of a unix-millisecond time.
pub fn month_of(ms: i64) -> String {
    let t = DateTime::from_timestamp_millis(ms).unwrap_or_default();
    month_key(t.year(), t.month())
}

/// Every month from the first of `months` (sorted `YYYY-MM` keys) to the last, gaps filled; keys
/// that are not months are kept as they are, in order.
fn fill_gaps<'a>(months: impl Iterator<Item = &'a str>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for month in months {
        if let (Some(last), Some((year, m))) =
            (out.last().and_then(|l| parse_month(l)), parse_month(month))
        {
            let (mut y, mut mo) = last;
            // At most a century of empty months, so a stray date cannot blow the series up.
            for _ in 0..1200 {
                (y, mo) = if mo == 12 { (y + 1, 1) } else { (y, mo + 1) };
                if (y, mo) >= (year, m) {
                    break;
                }
                out.push(month_key(y, mo));
            }
        }
        out.push(month.to_owned());
    }
    out
}

/// Money as a string with at least two decimals (`4500.00`, `136.50`), exact.
fn money<S: Serializer>(value: &Decimal, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(&money_text(*value))
}

/// An amount with at least two decimals, never rounded.
pub fn money_text(value: Decimal) -> String {
    let mut v = value.normalize();
    if v.scale() < 2 {
        v.rescale(2);
    }
    v.to_string()
}

#[cfg(test)]
mod tests {
    use kontera_store::Role;

    use super::*;
    use crate::config::Config;

    fn row(month: &str, area: Option<&str>, counts: [u64; 6]) -> MonthArea {
        let [
            invoices,
            auto,
            would_auto,
            audit_samples,
            audited,
            audited_agreed,
        ] = counts;
        MonthArea {
            month: month.to_owned(),
            area: area.map(str::to_owned),
            invoices,
            auto,
            would_auto,
            audit_samples,
            audited,
            audited_agreed,
        }
    }

    fn who(role: Role, areas: &[&str]) -> Principal {
        Principal {
            name: "x".to_owned(),
            role,
            areas: areas.iter().map(|a| (*a).to_owned()).collect(),
            session: false,
            organisation: None,
        }
    }

    /// 2026-02-10 12:00 UTC.
    const NOW: i64 = 1_770_724_800_000;

    fn rule_out() -> ThresholdRuleOut {
        ThresholdRuleOut {
            enabled: true,
            target: 0.99,
            confidence: 0.95,
            window_days: 180,
            min_audits: 30,
            min_expected: 3.0,
        }
    }

    fn adjustment(area: &str, threshold: f64) -> ThresholdAdjustment {
        ThresholdAdjustment {
            id: 1,
            area: area.to_owned(),
            model_version: "default@000000000000".to_owned(),
            adjusted_at: NOW,
            base: 0.99,
            previous: None,
            threshold,
            basis: "credible_breach".to_owned(),
            audited: 40,
            errors: 3,
            expected: 0.4,
            ratio_estimate: Some(7.5),
            ratio_upper: Some(21.9),
            projected_precision: Some(0.99),
            automated_share: 0.3,
            message: "moved".to_owned(),
        }
    }

    #[test]
    fn sums_rates_targets_precision_and_savings() {
        let settings = Config::default().trust;
        let rows = [
            row("2025-11", Some("care"), [100, 30, 33, 3, 3, 3]),
            row("2025-11", Some("schools"), [300, 60, 64, 4, 4, 3]),
            row("2026-02", Some("schools"), [50, 20, 21, 1, 0, 0]),
        ];
        let automation = [AreaAutomation {
            area: "care".to_owned(),
            paused: true,
            changed_by: CIRCUIT_BREAKER.to_owned(),
            reason: Some("precision fell".to_owned()),
            changed_at: 5,
        }];
        let windows = BTreeMap::from([
            ("care".to_owned(), (50, 47)),
            ("schools".to_owned(), (7, 6)),
        ]);
        let thresholds = BTreeMap::from([(
            "care".to_owned(),
            AreaThreshold::new((0.999, ThresholdSource::AuditRule), 0.99, Some(0.999)),
        )]);
        let adjustments = [adjustment("care", 0.999)];
        let analyst = who(Role::Analyst, &[]);
        let d = assemble(&Inputs {
            settings: &settings,
            who: &analyst,
            now_ms: NOW,
            rows: &rows,
            first_month: Some("2025-11"),
            automation: &automation,
            windows: &windows,
            thresholds: &thresholds,
            threshold_rule: rule_out(),
            adjustments: &adjustments,
            models: &[],
            activations: &[],
            active_model: "default@000000000000",
            drift: &DriftCounts::default(),
            opened: &crate::opening::Opened::from([
                (
                    "schools".to_owned(),
                    std::collections::BTreeSet::from([2026]),
                ),
                ("care".to_owned(), std::collections::BTreeSet::from([2025])),
            ]),
        });
        assert_eq!(d.as_of, "2026-02");
        // Care opened for last year only: it waits for this year's first reviews.
        assert_eq!(d.waiting, ["care"]);
        assert_eq!(d.start_year, 2025);
        assert!(d.all_areas);
        // Every month from November to February, the empty ones as zeros.
        let months: Vec<_> = d.months.iter().map(|m| m.month.as_str()).collect();
        assert_eq!(months, ["2025-11", "2025-12", "2026-01", "2026-02"]);
        let nov = &d.months[0];
        assert_eq!((nov.invoices, nov.auto, nov.would_auto), (400, 90, 97));
        assert_eq!(nov.automation_rate, Some(0.225));
        assert_eq!(nov.target, Some(0.2));
        assert_eq!((nov.audited, nov.agreed), (7, 6));
        assert_eq!(nov.savings, Decimal::from(90 * 45));
        assert_eq!(d.months[1].automation_rate, None);
        assert_eq!(d.months[1].precision, None);
        assert_eq!(d.this_month.target, Some(0.3));
        assert_eq!(d.this_month.pending_audits, 1);
        assert_eq!(d.total.invoices, 450);
        assert_eq!(d.total.savings, Decimal::from(110 * 45));
        assert_eq!(d.total.target, None);
        let p = d.total.precision.unwrap();
        assert_eq!(p.estimate, 6.0 / 7.0);
        assert_eq!(d.areas.len(), 2);
        assert!(d.areas[0].paused && !d.areas[1].paused);
        assert_eq!(d.areas[0].breaker.as_ref().unwrap().verdict, "trips");
        assert_eq!(
            d.areas[1].breaker.as_ref().unwrap().verdict,
            "too_few_audits"
        );
        assert_eq!(d.paused.len(), 1);
        assert!(d.paused[0].circuit_breaker);

        // The threshold in force per area, and the audit rule's moves.
        let care = d.areas[0].threshold.unwrap();
        assert!(care.by_audit_rule());
        assert_eq!((care.threshold, care.base), (Some(0.999), Some(0.99)));
        assert_eq!(d.areas[1].threshold, None);
        assert_eq!(d.adjustments.len(), 1);
        assert_eq!((d.adjustments[0].from, d.adjustments[0].to), (0.99, 0.999));
        assert!(d.threshold_rule.enabled);

        let json = serde_json::to_value(&d).unwrap();
        assert_eq!(json["total"]["savings"], "4950.00");
        assert_eq!(json["areas"][0]["threshold"]["source"], "audit_rule");
        assert_eq!(json["adjustments"][0]["area"], "care");
        assert_eq!(json["saving_per_invoice"], "45.00");
        assert_eq!(json["months"][1]["precision"], serde_json::Value::Null);
    }

    #[test]
    fn a_controller_sees_only_their_paused_areas() {
        let settings = Config::default().trust;
        let automation = [
            AreaAutomation {
                area: "care".to_owned(),
                paused: true,
                changed_by: "ada".to_owned(),
                reason: None,
                changed_at: 5,
            },
            AreaAutomation {
                area: "schools".to_owned(),
                paused: true,
                changed_by: "ada".to_owned(),
                reason: None,
                changed_at: 5,
            },
        ];
        let carl = who(Role::Controller, &["schools"]);
        let d = assemble(&Inputs {
            settings: &settings,
            who: &carl,
            now_ms: NOW,
            rows: &[],
            first_month: None,
            automation: &automation,
            windows: &BTreeMap::new(),
            thresholds: &BTreeMap::new(),
            threshold_rule: rule_out(),
            adjustments: &[adjustment("care", 0.999), adjustment("schools", 0.995)],
            models: &[],
            activations: &[],
            active_model: "default@000000000000",
            drift: &DriftCounts::default(),
            opened: &crate::opening::Opened::new(),
        });
        assert!(!d.all_areas);
        assert_eq!(d.scope, ["schools"]);
        assert_eq!(d.paused.len(), 1);
        assert_eq!(d.paused[0].area, "schools");
        assert_eq!(d.areas.len(), 1);
        assert_eq!(d.areas[0].area.as_deref(), Some("schools"));
        // Only the adjustments of their areas.
        assert_eq!(d.adjustments.len(), 1);
        assert_eq!(d.adjustments[0].area, "schools");
        assert!(d.months.is_empty());
        assert_eq!(d.this_month.invoices, 0);
        // No decisions at all: this year is year 1.
        assert_eq!(d.start_year, 2026);
    }

    #[test]
    fn gaps_and_money() {
        assert_eq!(
            fill_gaps(["2025-11", "2026-02"].into_iter()),
            ["2025-11", "2025-12", "2026-01", "2026-02"]
        );
        assert_eq!(fill_gaps(["2025-11"].into_iter()), ["2025-11"]);
        assert!(fill_gaps([].into_iter()).is_empty());
        assert_eq!(money_text(Decimal::from(4500)), "4500.00");
        assert_eq!(money_text(Decimal::new(13_650, 2)), "136.50");
        assert_eq!(money_text(Decimal::new(1_2345, 4)), "1.2345");
        assert_eq!(money_text(Decimal::new(1_000, 3)), "1.00");
        assert_eq!(month_of(NOW), "2026-02");
    }
}
