//! Review figures: invoices, automation and audit outcomes per month and area for the dashboard,
//! and an area's recent audit outcomes for the circuit breaker.

use sqlx::AssertSqlSafe;

use crate::codec::Cell;
use crate::error::db;
use crate::{AreaScope, Store, StoreError};

/// Reviewed audit samples of one area since a time. Uses the partial index
/// `reviews_audit_window`.
const AUDIT_WINDOW: &str = "SELECT COUNT(*), COALESCE(SUM(agreed), 0) FROM reviews \
     WHERE area = $1 AND audit = 1 AND reviewed_at >= $2";

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

impl Store {
    /// Per month (of `received_at`, UTC) and area within `scope`: invoices, automatic postings,
    /// would-be-automatic decisions, audit samples and their reviews; by month, then area with
    /// no area first. Audit outcomes count in the month the invoice was received. Scans the
    /// decisions: for dashboards, not per request.
    pub async fn monthly(&self, scope: &AreaScope) -> Result<Vec<MonthArea>, StoreError> {
        // `strftime` is SQLite's; PostgreSQL spells it
        // `to_char(to_timestamp(received_at / 1000.0) AT TIME ZONE 'UTC', 'YYYY-MM')`.
        let sql = format!(
            "SELECT strftime('%Y-%m', d.received_at / 1000.0, 'unixepoch') AS month, d.area, \
             COUNT(*) AS invoices, \
             COALESCE(SUM(CASE WHEN d.outcome = 'auto' THEN 1 ELSE 0 END), 0) AS auto, \
             COALESCE(SUM(d.would_auto), 0) AS would_auto, \
             COALESCE(SUM(d.audit), 0) AS audit_samples, \
             COALESCE(SUM(CASE WHEN d.audit = 1 AND r.decision_id IS NOT NULL \
                 THEN 1 ELSE 0 END), 0) AS audited, \
             COALESCE(SUM(CASE WHEN d.audit = 1 AND r.agreed = 1 THEN 1 ELSE 0 END), 0) \
                 AS audited_agreed \
             FROM decisions d LEFT JOIN reviews r ON r.decision_id = d.decision_id \
             WHERE {} \
             GROUP BY month, d.area \
             ORDER BY month, CASE WHEN d.area IS NULL THEN 0 ELSE 1 END, d.area",
            scope.condition("d.area", 1)
        );
        let rows = scope
            .bind(sqlx::query(AssertSqlSafe(sql)))
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

/// A count column; never negative.
fn count(c: &Cell<'_>, column: &'static str) -> Result<u64, StoreError> {
    let n: i64 = c.get(column)?;
    Ok(u64::try_from(n).unwrap_or(0))
}
