//! Review figures: invoices, automation and audit outcomes per month and area for the dashboard,
//! per model version for its "models in service" table, the raw counts of its drift signals
//! (suppliers and predicted accounts per month), and an area's recent audit outcomes for the
//! circuit breaker. Every dashboard query is filtered by an [`AreaScope`] in SQL.

use sqlx::AssertSqlSafe;
use sqlx::any::AnyRow;

use crate::codec::Cell;
use crate::error::db;
use crate::{AreaScope, Store, StoreError};

/// Reviewed audit samples of one area since a time. Uses the partial index
/// `reviews_audit_window`.
const AUDIT_WINDOW: &str = "SELECT COUNT(*), CAST(COALESCE(SUM(agreed), 0) AS BIGINT) FROM reviews \
     WHERE area = $1 AND audit = 1 AND reviewed_at >= $2";

/// The counts of [`MonthArea`] and [`ModelFigures`], over `decisions d LEFT JOIN reviews r`.
const COUNTS: &str = "COUNT(*) AS invoices, \
     COALESCE(SUM(CASE WHEN d.outcome = 'auto' THEN 1 ELSE 0 END), 0) AS auto, \
     CAST(COALESCE(SUM(d.would_auto), 0) AS BIGINT) AS would_auto, \
     CAST(COALESCE(SUM(d.audit), 0) AS BIGINT) AS audit_samples, \
     COALESCE(SUM(CASE WHEN d.audit = 1 AND r.decision_id IS NOT NULL \
         THEN 1 ELSE 0 END), 0) AS audited, \
     COALESCE(SUM(CASE WHEN d.audit = 1 AND r.agreed = 1 THEN 1 ELSE 0 END), 0) \
         AS audited_agreed";

/// One month of one area's decisions.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MonthArea {
    /// The month the invoices were received, `YYYY-MM` in UTC.
    pub month: String,
    /// The area, or `None` for invoices without one.
    pub area: Option<String>,
    /// Decisions stored.
    pub invoices: u64,
    /// Posted automatically.
    pub auto: u64,
    /// The policy would have automated (before the audit draw).
    pub would_auto: u64,
    /// Drawn as blind audit samples.
    pub audit_samples: u64,
    /// Audit samples reviewed so far (counted in the month the invoice was received).
    pub audited: u64,
    /// Reviewed audit samples where the controller agreed with the coding on every line.
    pub audited_agreed: u64,
}

/// The decisions of one model version, with the same counts as [`MonthArea`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ModelFigures {
    /// The model as decisions record it, `version@checksum12`.
    pub model_version: String,
    /// Decisions stored.
    pub invoices: u64,
    /// Posted automatically.
    pub auto: u64,
    /// The policy would have automated (before the audit draw).
    pub would_auto: u64,
    /// Drawn as blind audit samples.
    pub audit_samples: u64,
    /// Audit samples reviewed so far.
    pub audited: u64,
    /// Reviewed audit samples where the controller agreed with the coding on every line.
    pub audited_agreed: u64,
    /// The first decision's `received_at` (unix ms).
    pub first_received_at: i64,
    /// The last decision's `received_at` (unix ms).
    pub last_received_at: i64,
}

/// How many decisions (or decision lines) of one month share one value (a supplier, an
/// account).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MonthCount {
    /// `YYYY-MM` (UTC) of the decisions' `received_at`.
    pub month: String,
    /// The value counted.
    pub value: String,
    /// Decisions (or lines) of the month with that value.
    pub count: u64,
}

impl Store {
    /// Per month (of `received_at`, UTC) and area within `scope`: invoices, automatic postings,
    /// would-be-automatic decisions, audit samples and their reviews; by month, then area with
    /// no area first. Audit outcomes count in the month the invoice was received. Scans the
    /// decisions: for dashboards, not per request.
    pub async fn monthly(&self, scope: &AreaScope) -> Result<Vec<MonthArea>, StoreError> {
        self.monthly_since(scope, i64::MIN).await
    }

    /// [`Store::monthly`] for the decisions received at or after `since_ms` (unix ms) only.
    pub async fn monthly_since(
        &self,
        scope: &AreaScope,
        since_ms: i64,
    ) -> Result<Vec<MonthArea>, StoreError> {
        let sql = format!(
            "SELECT {} AS month, d.area, {COUNTS} \
             FROM decisions d LEFT JOIN reviews r ON r.decision_id = d.decision_id \
             WHERE d.received_at >= $1 AND {} \
             GROUP BY month, d.area \
             ORDER BY month, CASE WHEN d.area IS NULL THEN 0 ELSE 1 END, d.area",
            self.engine.month_of("d.received_at"),
            scope.condition("d.area", 2)
        );
        let rows = scope
            .bind(sqlx::query(AssertSqlSafe(sql)).bind(since_ms))
            .fetch_all(self.reader())
            .await
            .map_err(db("counting decisions per month and area"))?;
        rows.iter()
            .map(|row| {
                let raw_month: String = sqlx::Row::try_get(row, "month").unwrap_or_default();
                let c = Cell {
                    row,
                    table: "decisions",
                    id: &|| format!("month {raw_month:?}"),
                };
                Ok(MonthArea {
                    month: c.get("month")?,
                    area: c.get("area")?,
                    invoices: count(&c, "invoices")?,
                    auto: count(&c, "auto")?,
                    would_auto: count(&c, "would_auto")?,
                    audit_samples: count(&c, "audit_samples")?,
                    audited: count(&c, "audited")?,
                    audited_agreed: count(&c, "audited_agreed")?,
                })
            })
            .collect()
    }

    /// Per model version (`decisions.model_version`) within `scope`: the counts of
    /// [`Store::monthly`] over every month, and the first and last decision's time; in the
    /// order the versions first decided. Scans the decisions: for dashboards.
    pub async fn by_model(&self, scope: &AreaScope) -> Result<Vec<ModelFigures>, StoreError> {
        let sql = format!(
            "SELECT d.model_version, {COUNTS}, \
             MIN(d.received_at) AS first_received_at, MAX(d.received_at) AS last_received_at \
             FROM decisions d LEFT JOIN reviews r ON r.decision_id = d.decision_id \
             WHERE {} \
             GROUP BY d.model_version \
             ORDER BY first_received_at, d.model_version",
            scope.condition("d.area", 1)
        );
        let rows = scope
            .bind(sqlx::query(AssertSqlSafe(sql)))
            .fetch_all(self.reader())
            .await
            .map_err(db("counting decisions per model version"))?;
        rows.iter()
            .map(|row| {
                let raw: String = sqlx::Row::try_get(row, "model_version").unwrap_or_default();
                let c = Cell {
                    row,
                    table: "decisions",
                    id: &|| format!("model version {raw:?}"),
                };
                Ok(ModelFigures {
                    model_version: c.get("model_version")?,
                    invoices: count(&c, "invoices")?,
                    auto: count(&c, "auto")?,
                    would_auto: count(&c, "would_auto")?,
                    audit_samples: count(&c, "audit_samples")?,
                    audited: count(&c, "audited")?,
                    audited_agreed: count(&c, "audited_agreed")?,
                    first_received_at: c.get("first_received_at")?,
                    last_received_at: c.get("last_received_at")?,
                })
            })
            .collect()
    }

    /// Decisions received at or after `since_ms` within `scope`, per month and supplier (the
    /// identity each decision was keyed on: CVR, VAT id, creditor number, …); by month, then
    /// supplier. For the share of invoices from suppliers a model never saw.
    pub async fn suppliers_by_month(
        &self,
        scope: &AreaScope,
        since_ms: i64,
    ) -> Result<Vec<MonthCount>, StoreError> {
        let sql = format!(
            "SELECT {} AS month, d.supplier AS value, COUNT(*) AS n \
             FROM decisions d \
             WHERE d.received_at >= $1 AND {} \
             GROUP BY month, d.supplier ORDER BY month, d.supplier",
            self.engine.month_of("d.received_at"),
            scope.condition("d.area", 2)
        );
        self.month_counts(
            scope,
            sql,
            since_ms,
            "counting decisions per month and supplier",
        )
        .await
    }

    /// Lines with an account of the decisions received at or after `since_ms` within `scope`,
    /// per month and account (as the decision stored it: the suggestion, also for an audit
    /// sample or an invoice sent to review); by month, then account. For the share of predicted
    /// accounts the chart in force has closed.
    pub async fn accounts_by_month(
        &self,
        scope: &AreaScope,
        since_ms: i64,
    ) -> Result<Vec<MonthCount>, StoreError> {
        let sql = format!(
            "SELECT {} AS month, l.account AS value, COUNT(*) AS n \
             FROM decisions d JOIN decision_lines l ON l.decision_id = d.decision_id \
             WHERE d.received_at >= $1 AND l.account IS NOT NULL AND {} \
             GROUP BY month, l.account ORDER BY month, l.account",
            self.engine.month_of("d.received_at"),
            scope.condition("d.area", 2)
        );
        self.month_counts(
            scope,
            sql,
            since_ms,
            "counting decision lines per month and account",
        )
        .await
    }

    async fn month_counts(
        &self,
        scope: &AreaScope,
        sql: String,
        since_ms: i64,
        action: &'static str,
    ) -> Result<Vec<MonthCount>, StoreError> {
        let rows = scope
            .bind(sqlx::query(AssertSqlSafe(sql)).bind(since_ms))
            .fetch_all(self.reader())
            .await
            .map_err(db(action))?;
        rows.iter().map(month_count).collect()
    }

    /// An area's audit samples reviewed at or after `since_ms` (unix ms): `(audited, agreed)`,
    /// where agreed counts those whose every line matched the coding the service would have
    /// posted. For the circuit breaker that pauses an area whose audits disagree too often.
    pub async fn audit_window(&self, area: &str, since_ms: i64) -> Result<(u64, u64), StoreError> {
        let (audited, agreed): (i64, i64) = sqlx::query_as(AUDIT_WINDOW)
            .bind(area)
            .bind(since_ms)
            .fetch_one(self.reader())
            .await
            .map_err(db("counting an area's reviewed audit samples"))?;
        Ok((
            u64::try_from(audited).unwrap_or(0),
            u64::try_from(agreed).unwrap_or(0),
        ))
    }
}

fn month_count(row: &AnyRow) -> Result<MonthCount, StoreError> {
    let raw_month: String = sqlx::Row::try_get(row, "month").unwrap_or_default();
    let c = Cell {
        row,
        table: "decisions",
        id: &|| format!("month {raw_month:?}"),
    };
    Ok(MonthCount {
        month: c.get("month")?,
        value: c.get("value")?,
        count: count(&c, "n")?,
    })
}

/// A count column; never negative.
fn count(c: &Cell<'_>, column: &'static str) -> Result<u64, StoreError> {
    let n: i64 = c.get(column)?;
    Ok(u64::try_from(n).unwrap_or(0))
}
