//! Duplicate checks: earlier invoices of the same supplier with the same number, or the same
//! amount issued within a few days.

use std::sync::LazyLock;

use chrono::{Days, NaiveDate};
use rust_decimal::Decimal;

use crate::codec::{amount_key, date, decision_row};
use crate::error::db;
use crate::{Outcome, Store, StoreError};

/// At most this many hits come back, oldest first.
pub const MAX_DUPLICATE_HITS: usize = 20;

/// Two indexed look-ups joined by UNION (an OR would make SQLite scan every invoice of the
/// supplier, and a large supplier sends thousands a year). The limit is written into the text,
/// not bound: SQLite (3.51, bundled) plans with a bound `LIMIT`'s value and so prepares the
/// statement again on every execution, which cost this look-up more than running it.
static DUPLICATES: LazyLock<String> = LazyLock::new(|| {
    format!(
        "SELECT decision_id, idempotency_key, number, issue_date, total, \
         received_at, outcome, CASE WHEN number = $4 THEN 1 ELSE 0 END AS same_number, \
         CASE WHEN total_key = $5 AND issue_date BETWEEN $6 AND $7 THEN 1 ELSE 0 END AS same_amount \
         FROM decisions \
         WHERE supplier = $1 AND number = $4 AND document_type = $2 AND idempotency_key <> $3 \
         UNION \
         SELECT decision_id, idempotency_key, number, issue_date, total, \
         received_at, outcome, CASE WHEN number = $4 THEN 1 ELSE 0 END AS same_number, \
         CASE WHEN total_key = $5 AND issue_date BETWEEN $6 AND $7 THEN 1 ELSE 0 END AS same_amount \
         FROM decisions \
         WHERE supplier = $1 AND total_key = $5 AND issue_date BETWEEN $6 AND $7 \
           AND document_type = $2 AND idempotency_key <> $3 \
         ORDER BY received_at, decision_id \
         LIMIT {MAX_DUPLICATE_HITS}"
    )
});

/// The invoice to check, as the caller is about to decide it.
#[derive(Clone, Copy, Debug)]
pub struct DuplicateQuery<'a> {
    /// Its idempotency key: a stored decision under this key is the same invoice, not a
    /// duplicate, and is left out.
    pub key: &'a str,
    /// Supplier identity; only this supplier's invoices are compared.
    pub supplier: &'a str,
    /// Document type; an invoice and a credit note never duplicate each other.
    pub document_type: &'a str,
    /// The supplier's invoice number (compared exactly; normalise before storing and asking).
    pub number: &'a str,
    /// Issue date.
    pub issue_date: NaiveDate,
    /// Total; 100.50 matches a stored 100.5.
    pub total: Decimal,
    /// Same total counts when the issue dates are at most this many days apart.
    pub window_days: u32,
}

/// A stored decision that looks like a duplicate.
#[derive(Clone, Debug, PartialEq)]
pub struct DuplicateHit {
    /// The earlier decision's id.
    pub decision_id: String,
    /// Its idempotency key.
    pub key: String,
    /// Its invoice number.
    pub number: String,
    /// Its issue date.
    pub issue_date: NaiveDate,
    /// Its total.
    pub total: Decimal,
    /// When it arrived, unix ms.
    pub received_at: i64,
    /// What was decided for it.
    pub outcome: Outcome,
    /// Why it matched.
    pub matched: DuplicateMatch,
}

/// Why a stored decision looks like a duplicate.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DuplicateMatch {
    /// Same invoice number.
    Number,
    /// Same total, issued within the window.
    Amount,
    /// Both.
    NumberAndAmount,
}

impl Store {
    /// Stored invoices of the same supplier and document type that look like duplicates of this
    /// one: the same number under another key (e.g. re-sent with another document id), or the
    /// same total with an issue date within `window_days`. The invoice's own key is excluded.
    /// Oldest first, at most [`MAX_DUPLICATE_HITS`].
    pub async fn duplicates(
        &self,
        q: &DuplicateQuery<'_>,
    ) -> Result<Vec<DuplicateHit>, StoreError> {
        let window = Days::new(u64::from(q.window_days));
        let from = q
            .issue_date
            .checked_sub_days(window)
            .unwrap_or(NaiveDate::MIN);
        let to = q
            .issue_date
            .checked_add_days(window)
            .unwrap_or(NaiveDate::MAX);
        let rows = sqlx::query(DUPLICATES.as_str())
            .bind(q.supplier)
            .bind(q.document_type)
            .bind(q.key)
            .bind(q.number)
            .bind(amount_key(q.total))
            .bind(date(from))
            .bind(date(to))
            .fetch_all(self.reader())
            .await
            .map_err(db("looking for duplicate invoices"))?;
        rows.iter()
            .map(|row| {
                decision_row(row, |c| {
                    let matched = match (c.flag("same_number")?, c.flag("same_amount")?) {
                        (true, true) => DuplicateMatch::NumberAndAmount,
                        (true, false) => DuplicateMatch::Number,
                        _ => DuplicateMatch::Amount,
                    };
                    Ok(DuplicateHit {
                        decision_id: c.get("decision_id")?,
                        key: c.get("idempotency_key")?,
                        number: c.get("number")?,
                        issue_date: c.date("issue_date")?,
                        total: c.decimal("total")?,
                        received_at: c.get("received_at")?,
                        outcome: c.outcome("outcome")?,
                        matched,
                    })
                })
            })
            .collect()
    }
}
