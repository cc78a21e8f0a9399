//! The review queue: decisions sent to review that no controller has reviewed yet, within the
//! caller's areas, oldest first, and the counts per reason code for its filter.

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use rust_decimal::Decimal;
use sqlx::AssertSqlSafe;

use crate::codec::{decision_row, split_reasons};
use crate::error::db;
use crate::read::{By, load_decision};
use crate::{AreaScope, Decision, Store, StoreError};

/// The open queue: sent to review, not reviewed. Used with the alias `d` for `decisions`.
const OPEN: &str = "d.outcome = 'review' \
     AND NOT EXISTS (SELECT 1 FROM reviews r WHERE r.decision_id = d.decision_id)";

/// One decision waiting for a controller.
#[derive(Clone, Debug, PartialEq)]
pub struct QueueItem {
    /// The decision's id.
    pub decision_id: String,
    /// When the invoice arrived, unix ms.
    pub received_at: i64,
    /// Supplier identity (CVR or creditor number).
    pub supplier: String,
    /// The supplier's invoice number.
    pub number: String,
    /// "invoice" or "credit_note".
    pub document_type: String,
    /// The invoice's issue date.
    pub issue_date: NaiveDate,
    /// The invoice total, exact.
    pub total: Decimal,
    /// ISO currency code.
    pub currency: String,
    /// The area, when known.
    pub area: Option<String>,
    /// The receiving unit, when known.
    pub unit: Option<String>,
    /// A blind audit sample (the service would have posted it).
    pub audit: bool,
    /// Why it was sent to review, in order.
    pub reasons: Vec<String>,
}

impl Store {
    /// Up to `limit` decisions sent to review and not yet reviewed, within `scope`, oldest
    /// `received_at` first (ties by decision id). With `reason`, only decisions whose reason
    /// codes include exactly that code (`a` does not match `ab`; an empty code matches nothing).
    pub async fn review_queue(
        &self,
        scope: &AreaScope,
        reason: Option<&str>,
        limit: u32,
    ) -> Result<Vec<QueueItem>, StoreError> {
        if reason.is_some_and(|r| r.is_empty() || r.contains('\n')) {
            return Ok(Vec::new());
        }
        // The stored codes wrapped in separators contain "\ncode\n" exactly when one of them is
        // the code.
        let (reason_condition, first_area) = match reason {
            Some(_) => {
                let position = self.engine.position("$2 || d.reasons || $2", "$3");
                (format!("AND {position} > 0"), 4)
            }
            None => (String::new(), 2),
        };
        let sql = format!(
            "SELECT d.decision_id, d.received_at, d.supplier, d.number, d.document_type, \
             d.issue_date, d.total, d.currency, d.area, d.unit, d.audit, d.reasons \
             FROM decisions d WHERE {OPEN} {reason_condition} AND {} \
             ORDER BY d.received_at, d.decision_id LIMIT $1",
            scope.condition("d.area", first_area)
        );
        let mut query = sqlx::query(AssertSqlSafe(sql)).bind(i64::from(limit));
        if let Some(code) = reason {
            query = query.bind("\n").bind(format!("\n{code}\n"));
        }
        let rows = scope
            .bind(query)
            .fetch_all(self.reader())
            .await
            .map_err(db("reading the review queue"))?;
        rows.iter()
            .map(|row| {
                decision_row(row, |c| {
                    let reasons: String = c.get("reasons")?;
                    Ok(QueueItem {
                        decision_id: c.get("decision_id")?,
                        received_at: c.get("received_at")?,
                        supplier: c.get("supplier")?,
                        number: c.get("number")?,
                        document_type: c.get("document_type")?,
                        issue_date: c.date("issue_date")?,
                        total: c.decimal("total")?,
                        currency: c.get("currency")?,
                        area: c.get("area")?,
                        unit: c.get("unit")?,
                        audit: c.flag("audit")?,
                        reasons: split_reasons(&reasons),
                    })
                })
            })
            .collect()
    }

    /// The open queue within `scope`: how many decisions carry each reason code, by code (a
    /// decision naming a code twice counts once). For the queue's filter list.
    pub async fn queue_reasons(&self, scope: &AreaScope) -> Result<Vec<(String, u64)>, StoreError> {
        let sql = format!(
            "SELECT d.reasons FROM decisions d WHERE {OPEN} AND {}",
            scope.condition("d.area", 1)
        );
        let stored: Vec<String> = scope
            .bind(sqlx::query(AssertSqlSafe(sql)))
            .try_map(|row: sqlx::any::AnyRow| sqlx::Row::try_get(&row, 0))
            .fetch_all(self.reader())
            .await
            .map_err(db("counting the review queue's reasons"))?;
        let mut counts = BTreeMap::<String, u64>::new();
        for reasons in &stored {
            let codes: BTreeSet<String> = split_reasons(reasons).into_iter().collect();
            for code in codes {
                *counts.entry(code).or_default() += 1;
            }
        }
        Ok(counts.into_iter().collect())
    }

    /// The stored decision with its lines, if it exists and is within `scope`; `None` otherwise,
    /// so a decision of another area looks exactly like a missing one (answer 404).
    pub async fn open_decision(
        &self,
        scope: &AreaScope,
        decision_id: &str,
    ) -> Result<Option<Decision>, StoreError> {
        let mut conn = self
            .reader()
            .acquire()
            .await
            .map_err(db("reading a decision"))?;
        let sql = format!(
            "SELECT 1 FROM decisions WHERE decision_id = $1 AND {}",
            scope.condition("area", 2)
        );
        let visible = scope
            .bind(sqlx::query(AssertSqlSafe(sql)).bind(decision_id))
            .fetch_optional(&mut *conn)
            .await
            .map_err(db("reading a decision"))?
            .is_some();
        if !visible {
            return Ok(None);
        }
        // Decisions are never updated, so the row checked above is the row read here.
        load_decision(&mut conn, By::Id(decision_id)).await
    }
}
