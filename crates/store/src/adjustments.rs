//! Thresholds that follow the audit: what the audit rule reads (an area's reviewed audit samples
//! with the confidence each was decided with, and the confidences of its recent eligible
//! invoices, both for one model version) and what it writes (each move of an area's threshold,
//! with the evidence behind it). The rule itself is the service's; the store keeps the numbers.

use std::collections::BTreeMap;

use sqlx::AssertSqlSafe;
use sqlx::any::AnyRow;

use crate::codec::{Cell, Real};
use crate::engine::Engine;
use crate::error::db;
use crate::{AreaScope, Store, StoreError};

/// Reviewed audit samples of one area and model version since a time: the confidence the
/// decision was made with and whether the controller agreed. Read from the partial indexes
/// `reviews_audit_window` and `decisions_eligible_by_id` (migration 0015), never the decisions'
/// rows. Two statements, not one with `($1 IS NULL OR r.area = $1)`: a plan made before the
/// area is bound could not use the area's index.
const AUDIT_OUTCOMES_OF_AREA: &str = "SELECT d.eligible_confidence, r.agreed \
     FROM reviews r JOIN decisions d ON d.decision_id = r.decision_id \
     WHERE r.area = $1 AND r.audit = 1 AND r.reviewed_at >= $2 \
     AND d.model_version = $3 AND d.eligible_confidence IS NOT NULL \
     ORDER BY r.reviewed_at, r.decision_id";
/// [`AUDIT_OUTCOMES_OF_AREA`] for every area (`reviews_audit_at`).
const AUDIT_OUTCOMES: &str = "SELECT d.eligible_confidence, r.agreed \
     FROM reviews r JOIN decisions d ON d.decision_id = r.decision_id \
     WHERE r.audit = 1 AND r.reviewed_at >= $1 \
     AND d.model_version = $2 AND d.eligible_confidence IS NOT NULL \
     ORDER BY r.reviewed_at, r.decision_id";

/// The latest eligible confidences of one area and model version since a time, with the order's
/// columns (for PostgreSQL's aggregate). Read from the partial index
/// `decisions_area_model_eligible`, which holds their order and values.
const ELIGIBLE: &str = "SELECT eligible_confidence, received_at, decision_id FROM decisions \
     WHERE area = $1 AND model_version = $2 AND received_at >= $3 \
     AND eligible_confidence IS NOT NULL \
     ORDER BY received_at DESC, decision_id DESC LIMIT $4";

/// [`ELIGIBLE`] as one row: the confidences in its order, comma-separated (`NULL` for none),
/// each as the integer `confidence × 2^62` ([`CONFIDENCE_SCALE`]). The audit rule reads up to
/// 5,000 after every audit sample's review and every day again: as rows they took 7.1–7.5 s of
/// a replayed year of 220,000 invoices, as one row of reals 4.4 s (`benches/RESULTS.md`, "The
/// eligible confidences in one row"), most of it SQLite writing each real in decimal; an
/// integer is written in a third of the time ("Confidences as integers"). A confidence is an
/// `f32` in `0..=1` stored as the `f64` of it, so for every confidence of at least 2^-39 the
/// product is an integer below 2^63 and comes back bit for bit; a smaller one comes back within
/// 2^-62 of it.
fn eligible_joined(engine: Engine) -> String {
    let scaled = match engine {
        Engine::Sqlite => format!("CAST(eligible_confidence * {CONFIDENCE_SCALE:.1} AS INTEGER)"),
        Engine::Postgres => format!("trunc(eligible_confidence * {CONFIDENCE_SCALE:.1})::bigint"),
    };
    let joined = engine.comma_joined(&scaled, "received_at DESC, decision_id DESC");
    format!("SELECT {joined} FROM ({ELIGIBLE}) e")
}

/// 2^62: [`eligible_joined`] writes a confidence as the integer part of it times this.
const CONFIDENCE_SCALE: f64 = 4_611_686_018_427_387_904.0;

const INSERT: &str = "INSERT INTO threshold_adjustments (area, model_version, adjusted_at, base, \
     previous, threshold, basis, audited, errors, expected, ratio_estimate, ratio_upper, \
     projected_precision, automated_share, message) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) RETURNING id";

const COLUMNS: &str = "id, area, model_version, adjusted_at, base, previous, threshold, basis, \
     audited, errors, expected, ratio_estimate, ratio_upper, projected_precision, \
     automated_share, message";

/// Each area's latest adjustment for a model version (the later insertion wins a tie in time).
const CURRENT: &str = "SELECT a.area, a.threshold FROM threshold_adjustments a \
     WHERE a.model_version = $1 AND a.id = (SELECT b.id FROM threshold_adjustments b \
         WHERE b.model_version = a.model_version AND b.area = a.area \
         ORDER BY b.adjusted_at DESC, b.id DESC LIMIT 1) \
     ORDER BY a.area";

/// One move of an area's threshold by the audit rule, with its evidence.
#[derive(Clone, Debug, PartialEq)]
pub struct ThresholdAdjustment {
    /// The row's id (ignored by [`Store::record_adjustment`]); a later record has a larger one.
    pub id: i64,
    /// The area.
    pub area: String,
    /// The model the audits judged, as decisions record it (`version@checksum12`).
    pub model_version: String,
    /// When, unix ms.
    pub adjusted_at: i64,
    /// The threshold without the audit rule (the model's, the configuration's or an override).
    pub base: f64,
    /// The audit rule's threshold for the area and model before this one, if any.
    pub previous: Option<f64>,
    /// The audit rule's threshold from now on (above 1: nothing is automated).
    pub threshold: f64,
    /// Why: `too_little_evidence`, `enough_audits` or `credible_breach`.
    pub basis: String,
    /// Audited invoices in the window.
    pub audited: u64,
    /// Of those, coded differently by the controller.
    pub errors: u64,
    /// Errors the confidences predicted.
    pub expected: f64,
    /// Observed over expected errors (`None` while nothing was expected).
    pub ratio_estimate: Option<f64>,
    /// The upper confidence bound of that ratio.
    pub ratio_upper: Option<f64>,
    /// Precision's lower bound projected at `threshold` (`None` when nothing clears it).
    pub projected_precision: Option<f64>,
    /// Share of the recent eligible invoices `threshold` lets through.
    pub automated_share: f64,
    /// The rule's sentence for controllers and analysts.
    pub message: String,
}

impl Store {
    /// An area's (`None`: every area's) audit samples reviewed at or after `since_ms` (unix ms)
    /// of decisions made by `model_version`: per sample, the confidence it was decided with (its eligible confidence)
    /// and whether the controller agreed on every line; in review order. Samples stored without
    /// an eligible confidence (before it was recorded) are left out.
    pub async fn audit_outcomes(
        &self,
        area: Option<&str>,
        model_version: &str,
        since_ms: i64,
    ) -> Result<Vec<(f64, bool)>, StoreError> {
        let query = match area {
            Some(area) => sqlx::query_as(AUDIT_OUTCOMES_OF_AREA).bind(area),
            None => sqlx::query_as(AUDIT_OUTCOMES),
        };
        let rows: Vec<(f64, i64)> = query
            .bind(since_ms)
            .bind(model_version)
            .fetch_all(self.reader())
            .await
            .map_err(db("reading an area's audit outcomes"))?;
        Ok(rows
            .into_iter()
            .map(|(c, agreed)| (c, agreed == 1))
            .collect())
    }

    /// The eligible confidences of the latest `limit` decisions of an area made by
    /// `model_version` and received at or after `since_ms` (unix ms), newest first: the
    /// invoices the model could have posted, whatever the threshold and pause said. Each as the
    /// `f32` it was decided with (the service stores `f64::from` of it).
    pub async fn eligible_confidences(
        &self,
        area: &str,
        model_version: &str,
        since_ms: i64,
        limit: u32,
    ) -> Result<Vec<f32>, StoreError> {
        let action = "reading an area's eligible confidences";
        let joined: Option<String> =
            sqlx::query_scalar(AssertSqlSafe(eligible_joined(self.engine)))
                .bind(area)
                .bind(model_version)
                .bind(since_ms)
                .bind(i64::from(limit))
                .fetch_one(self.reader())
                .await
                .map_err(db(action))?;
        let Some(joined) = joined else {
            return Ok(Vec::new());
        };
        joined
            .split(',')
            .map(|c| {
                let scaled = c.parse::<i64>().map_err(|e| StoreError::Database {
                    action,
                    source: sqlx::Error::Decode(format!("the confidence {c:?}: {e}").into()),
                })?;
                // Exact: the integer has at most an f32's 24 significant bits, so it is an f64
                // as it is, and dividing by a power of two rounds nothing.
                Ok((scaled as f64 / CONFIDENCE_SCALE) as f32)
            })
            .collect()
    }

    /// Records a move of an area's threshold (its `id` is ignored); from now on it is the
    /// area's adapted threshold for its model version. Returns its id.
    pub async fn record_adjustment(&self, a: &ThresholdAdjustment) -> Result<i64, StoreError> {
        sqlx::query_scalar(INSERT)
            .bind(&a.area)
            .bind(&a.model_version)
            .bind(a.adjusted_at)
            .bind(a.base)
            .bind(Real(a.previous))
            .bind(a.threshold)
            .bind(&a.basis)
            .bind(i64::try_from(a.audited).unwrap_or(i64::MAX))
            .bind(i64::try_from(a.errors).unwrap_or(i64::MAX))
            .bind(a.expected)
            .bind(Real(a.ratio_estimate))
            .bind(Real(a.ratio_upper))
            .bind(Real(a.projected_precision))
            .bind(a.automated_share)
            .bind(&a.message)
            .fetch_one(self.writer())
            .await
            .map_err(db("recording a threshold adjustment"))
    }

    /// The latest `limit` adjustments of the areas within `scope`, newest first (every model
    /// version).
    pub async fn adjustments(
        &self,
        scope: &AreaScope,
        limit: u32,
    ) -> Result<Vec<ThresholdAdjustment>, StoreError> {
        let sql = format!(
            "SELECT {COLUMNS} FROM threshold_adjustments WHERE {} \
             ORDER BY adjusted_at DESC, id DESC LIMIT $1",
            scope.condition("area", 2)
        );
        let rows = scope
            .bind(sqlx::query(AssertSqlSafe(sql)).bind(i64::from(limit)))
            .fetch_all(self.reader())
            .await
            .map_err(db("reading threshold adjustments"))?;
        rows.iter().map(adjustment).collect()
    }

    /// The adapted threshold in force per area for `model_version`: each area's latest
    /// adjustment.
    pub async fn current_adjustments(
        &self,
        model_version: &str,
    ) -> Result<BTreeMap<String, f32>, StoreError> {
        let rows: Vec<(String, f64)> = sqlx::query_as(CURRENT)
            .bind(model_version)
            .fetch_all(self.reader())
            .await
            .map_err(db("reading the adapted thresholds"))?;
        // Recorded from an f32, so the conversion is exact.
        Ok(rows.into_iter().map(|(a, t)| (a, t as f32)).collect())
    }
}

fn adjustment(row: &AnyRow) -> Result<ThresholdAdjustment, StoreError> {
    let raw_id: i64 = sqlx::Row::try_get(row, "id").unwrap_or_default();
    let id = || format!("adjustment {raw_id}");
    let c = Cell {
        row,
        table: "threshold_adjustments",
        id: &id,
    };
    let count = |column: &'static str| -> Result<u64, StoreError> {
        let n: i64 = c.get(column)?;
        u64::try_from(n).map_err(|_| c.corrupt(column, n.to_string(), "a count"))
    };
    Ok(ThresholdAdjustment {
        id: c.get("id")?,
        area: c.get("area")?,
        model_version: c.get("model_version")?,
        adjusted_at: c.get("adjusted_at")?,
        base: c.get("base")?,
        previous: c.get("previous")?,
        threshold: c.get("threshold")?,
        basis: c.get("basis")?,
        audited: count("audited")?,
        errors: count("errors")?,
        expected: c.get("expected")?,
        ratio_estimate: c.get("ratio_estimate")?,
        ratio_upper: c.get("ratio_upper")?,
        projected_precision: c.get("projected_precision")?,
        automated_share: c.get("automated_share")?,
        message: c.get("message")?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// SQLite's plan for one of the audit rule's reads of area `schools` and model `m@1`.
    async fn plan(store: &Store, sql: &str) -> String {
        crate::query_plan::sqlite_plan(store, sql, &["schools", "m@1", "0", "5000"]).await
    }

    #[tokio::test]
    async fn the_audit_rules_reads_never_fetch_a_decisions_row() {
        // The decisions' rows carry their response on overflow pages (migration 0015).
        let (_dir, store) = crate::query_plan::new_sqlite_store().await;
        let eligible = plan(&store, &eligible_joined(Engine::Sqlite)).await;
        assert!(
            eligible.contains("COVERING INDEX decisions_area_model_eligible")
                && !eligible.contains("TEMP B-TREE"),
            "{eligible}"
        );
        for (sql, audits) in [
            (AUDIT_OUTCOMES_OF_AREA, "reviews_audit_window"),
            (AUDIT_OUTCOMES, "reviews_audit_at"),
        ] {
            let p = plan(&store, sql).await;
            assert!(
                p.contains(&format!("INDEX {audits} "))
                    && p.contains("COVERING INDEX decisions_eligible_by_id"),
                "{p}"
            );
        }
    }
}
