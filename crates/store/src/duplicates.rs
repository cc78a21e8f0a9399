//! Duplicate checks: earlier invoices of the same supplier with the same number, or the same
//! amount issued within a few days.

use std::sync::LazyLock;

use chrono::{Days, NaiveDate};
use rust_decimal::Decimal;

use sqlx::any::AnyRow;

use crate::batched::{self, KEYS_PER_STATEMENT};
use crate::codec::{amount_key, date, decision_row};
use crate::engine::Spelled;
use crate::{Outcome, Store, StoreError};

/// At most this many hits come back for an invoice, oldest first.
pub const MAX_DUPLICATE_HITS: usize = 20;

/// The look-up of `n` invoices at once (index `n - 1`): the invoices as a `VALUES` table `q`
/// joined to two indexed look-ups, combined by UNION (an OR would make SQLite scan every invoice
/// of the supplier, and a large supplier sends thousands a year), in order of the invoice, then
/// oldest first. Each invoice's first [`MAX_DUPLICATE_HITS`] are kept by the caller; a `LIMIT`
/// per invoice would need a window function over the same rows.
static DUPLICATES: LazyLock<Spelled> =
    LazyLock::new(|| Spelled::new((1..=KEYS_PER_STATEMENT).map(duplicates_sql).collect()));

fn duplicates_sql(n: usize) -> String {
    let values = crate::record::values_rows(n, &["BIGINT", "", "", "", "", "", "", ""]);
    let columns = "q.i, d.decision_id, d.idempotency_key, d.number, d.issue_date, d.total, \
         d.received_at, d.outcome, CASE WHEN d.number = q.number THEN 1 ELSE 0 END AS same_number, \
         CASE WHEN d.total_key = q.total_key AND d.issue_date BETWEEN q.lo AND q.hi \
         THEN 1 ELSE 0 END AS same_amount";
    format!(
        "WITH q (i, supplier, document_type, idem, number, total_key, lo, hi) AS \
         (VALUES {values}) \
         SELECT {columns} FROM q JOIN decisions d ON d.supplier = q.supplier \
           AND d.number = q.number AND d.document_type = q.document_type \
           AND d.idempotency_key <> q.idem \
         UNION \
         SELECT {columns} FROM q JOIN decisions d ON d.supplier = q.supplier \
           AND d.total_key = q.total_key AND d.issue_date BETWEEN q.lo AND q.hi \
           AND d.document_type = q.document_type AND d.idempotency_key <> q.idem \
         ORDER BY i, received_at, decision_id"
    )
}

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
        let mut all = self.duplicates_of(std::slice::from_ref(q)).await?;
        Ok(all.pop().unwrap_or_default())
    }

    /// [`Store::duplicates`] of several invoices, asked together (32 a statement): one list per
    /// query, in their order, each as asked alone. An invoice among `queries` is not compared
    /// with another of them, only with those stored.
    pub async fn duplicates_of(
        &self,
        queries: &[DuplicateQuery<'_>],
    ) -> Result<Vec<Vec<DuplicateHit>>, StoreError> {
        batched::answers(
            self,
            &DUPLICATES,
            queries,
            |query, q| {
                let window = Days::new(u64::from(q.window_days));
                let from = q
                    .issue_date
                    .checked_sub_days(window)
                    .unwrap_or(NaiveDate::MIN);
                let to = q
                    .issue_date
                    .checked_add_days(window)
                    .unwrap_or(NaiveDate::MAX);
                query
                    .bind(q.supplier)
                    .bind(q.document_type)
                    .bind(q.key)
                    .bind(q.number)
                    .bind(amount_key(q.total))
                    .bind(date(from))
                    .bind(date(to))
            },
            duplicate_hit,
            MAX_DUPLICATE_HITS,
            "looking for duplicate invoices",
        )
        .await
    }
}

/// A row of [`DUPLICATES`] as a hit.
fn duplicate_hit(row: &AnyRow) -> Result<DuplicateHit, StoreError> {
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
}
