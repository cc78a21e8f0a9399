//! Achieved audit figures: how many decisions the policy would have automated, and how many of
//! those were drawn as blind audit samples.

use crate::error::db;
use crate::{Store, StoreError};

const COUNTS: &str = "SELECT COUNT(*) AS decisions, \
     CAST(COALESCE(SUM(would_auto), 0) AS BIGINT) AS would_auto, \
     CAST(COALESCE(SUM(audit), 0) AS BIGINT) AS audited, \
     COALESCE(SUM(CASE WHEN outcome = 'auto' THEN 1 ELSE 0 END), 0) AS automatic \
     FROM decisions WHERE received_at >= $1";

const COUNT_ALL: &str = "SELECT COUNT(*) FROM decisions";

/// Decision counts for audit figures.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct AuditCounts {
    /// Decisions stored.
    pub decisions: u64,
    /// Of those, the ones the policy would have automated (before the audit draw).
    pub would_auto: u64,
    /// Of those, the ones drawn as blind audit samples (sent to review).
    pub audited: u64,
    /// Decisions posted automatically (`would_auto - audited`).
    pub automatic: u64,
}

impl AuditCounts {
    /// The achieved audit rate: audited / would-be-automatic, or `None` before any.
    pub fn audit_rate(&self) -> Option<f64> {
        (self.would_auto > 0).then(|| self.audited as f64 / self.would_auto as f64)
    }
}

impl Store {
    /// Audit figures over every decision received at or after `since` (unix ms), or over all
    /// decisions with `None`. Scans the decisions table: for dashboards, not per request.
    pub async fn audit_counts(&self, since: Option<i64>) -> Result<AuditCounts, StoreError> {
        let (decisions, would_auto, audited, automatic): (i64, i64, i64, i64) =
            sqlx::query_as(COUNTS)
                .bind(since.unwrap_or(i64::MIN))
                .fetch_one(self.reader())
                .await
                .map_err(db("counting audit samples"))?;
        let count = |n: i64| u64::try_from(n).unwrap_or(0);
        Ok(AuditCounts {
            decisions: count(decisions),
            would_auto: count(would_auto),
            audited: count(audited),
            automatic: count(automatic),
        })
    }

    /// The number of decisions stored.
    pub async fn count_decisions(&self) -> Result<u64, StoreError> {
        let n: i64 = sqlx::query_scalar(COUNT_ALL)
            .fetch_one(self.reader())
            .await
            .map_err(db("counting decisions"))?;
        Ok(u64::try_from(n).unwrap_or(0))
    }
}
