//! A supplier × unit's latest reviewed line for each coding the service suggested: the
//! controller's coding beside the suggestion (for an audit sample: what it would have posted),
//! newest first. The service reads them before it decides another invoice of the same supplier
//! and unit: a recent correction of the coding the model suggests again means the group's coding
//! may have changed. The table `review_group_latest` keeps the newest line of each coding, kept
//! up to date by every review's write ([`add_reviews`]), so the read is a few rows by key.

use std::collections::HashMap;
use std::sync::LazyLock;

use sqlx::AnyConnection;
use sqlx::any::AnyRow;

use crate::batched::{self, KEYS_PER_STATEMENT};
use crate::engine::{Engine, Spelled};
use crate::error::db;
use crate::record::LINES_PER_STATEMENT;
use crate::review::{ReviewedLine, StoredReview, review_line_row, reviewed_line};
use crate::{Store, StoreError};

/// At most this many reviewed lines (suggested codings) come back.
pub const MAX_GROUP_REVIEW_LINES: u32 = 200;

/// The read of `n` groups at once (index `n - 1`): the groups as a `VALUES` table `q` joined to
/// the table by key, with the columns [`reviewed_line`] reads (the suggestion is the key, `''`:
/// none), per group newest first. Each group's first [`MAX_GROUP_REVIEW_LINES`] are kept by the
/// caller.
static GROUP_REVIEWS: LazyLock<Spelled> =
    LazyLock::new(|| Spelled::new((1..=KEYS_PER_STATEMENT).map(group_reviews_sql).collect()));

fn group_reviews_sql(n: usize) -> String {
    let values = crate::record::values_rows(n, &["BIGINT", "", "", "BIGINT"]);
    format!(
        "WITH q (i, supplier, unit_key, since) AS (VALUES {values}) \
         SELECT q.i, g.decision_id, g.reviewed_at, g.line_no, g.account, g.cost_centre, \
         g.vat_code, g.matches, NULLIF(g.account_key, '') AS suggested_account, \
         NULLIF(g.cost_centre_key, '') AS suggested_cost_centre, \
         NULLIF(g.vat_code_key, '') AS suggested_vat_code \
         FROM q JOIN review_group_latest g ON g.supplier = q.supplier \
           AND g.unit_key = q.unit_key AND g.reviewed_at >= q.since \
         ORDER BY q.i, g.reviewed_at DESC, g.decision_id DESC, g.line_no"
    )
}

const LATEST_COLUMNS: &str = "supplier, unit_key, account_key, cost_centre_key, vat_code_key, \
     decision_id, reviewed_at, line_no, account, cost_centre, vat_code, matches";

/// The upsert for each number of rows (index `rows - 1`): a line replaces its coding's stored
/// one only when it is newer (later, then the greater decision id, then the lower line number:
/// the order [`GROUP_REVIEWS`] lists them in).
static ADD_LATEST: LazyLock<Spelled> = LazyLock::new(|| {
    crate::record::inserts(
        "review_group_latest",
        LATEST_COLUMNS,
        LINES_PER_STATEMENT,
        " ON CONFLICT (supplier, unit_key, account_key, cost_centre_key, vat_code_key) \
         DO UPDATE SET decision_id = excluded.decision_id, \
         reviewed_at = excluded.reviewed_at, line_no = excluded.line_no, \
         account = excluded.account, cost_centre = excluded.cost_centre, \
         vat_code = excluded.vat_code, matches = excluded.matches \
         WHERE excluded.reviewed_at > review_group_latest.reviewed_at \
         OR (excluded.reviewed_at = review_group_latest.reviewed_at \
             AND (excluded.decision_id > review_group_latest.decision_id \
                  OR (excluded.decision_id = review_group_latest.decision_id \
                      AND excluded.line_no < review_group_latest.line_no)))",
    )
});

/// One reviewed line of a supplier × unit.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GroupReview {
    /// The decision reviewed.
    pub decision_id: String,
    /// When, unix ms.
    pub reviewed_at: i64,
    /// The controller's coding beside the suggestion.
    pub line: ReviewedLine,
}

/// The reviews of one supplier × unit asked for: supplier, unit (`None`: not known), and the
/// earliest review time wanted (unix ms).
pub type GroupQuery<'a> = (&'a str, Option<&'a str>, i64);

impl Store {
    /// Of the lines of `supplier`'s invoices to `unit` (`None`: invoices whose unit was not
    /// known), the newest reviewed for each suggested coding (account, cost centre, VAT code; a
    /// missing field is a value of its own), when it was reviewed at or after `since_ms` (unix
    /// ms); newest first, at most [`MAX_GROUP_REVIEW_LINES`].
    pub async fn group_reviews(
        &self,
        supplier: &str,
        unit: Option<&str>,
        since_ms: i64,
    ) -> Result<Vec<GroupReview>, StoreError> {
        let mut all = self.group_reviews_of(&[(supplier, unit, since_ms)]).await?;
        Ok(all.pop().unwrap_or_default())
    }

    /// [`Store::group_reviews`] of several groups, asked together (32 a statement): one list
    /// per query, in their order, each as asked alone.
    pub async fn group_reviews_of(
        &self,
        queries: &[GroupQuery<'_>],
    ) -> Result<Vec<Vec<GroupReview>>, StoreError> {
        let read = |row: &AnyRow| {
            let decision_id: String = sqlx::Row::try_get(row, "decision_id").unwrap_or_default();
            review_line_row(row, &decision_id, |c| {
                Ok(GroupReview {
                    reviewed_at: c.get("reviewed_at")?,
                    line: reviewed_line(c)?,
                    decision_id: decision_id.clone(),
                })
            })
        };
        batched::answers(
            self,
            &GROUP_REVIEWS,
            queries,
            |query, (supplier, unit, since)| {
                query.bind(*supplier).bind(unit.unwrap_or("")).bind(*since)
            },
            read,
            MAX_GROUP_REVIEW_LINES as usize,
            "reading a supplier and unit's latest reviews",
        )
        .await
    }
}

/// Newer lines order greater: later, then the greater decision id, then the lower line number.
fn order<'a>(
    (review, line): (&'a StoredReview, &ReviewedLine),
) -> (i64, &'a str, std::cmp::Reverse<u32>) {
    (
        review.reviewed_at,
        review.decision_id.as_str(),
        std::cmp::Reverse(line.line_no),
    )
}

/// A coding's key in `review_group_latest`: supplier, unit and suggestion, `''` where missing.
type GroupKey<'a> = (&'a str, &'a str, &'a str, &'a str, &'a str);

/// Keeps `review_group_latest` up to date with `reviews` (each with its decision's supplier and
/// unit), in the reviews' write transaction: of the batch's lines, the newest of each coding,
/// written [`LINES_PER_STATEMENT`] a statement (PostgreSQL refuses one statement that updates a
/// row twice).
pub(crate) async fn add_reviews(
    conn: &mut AnyConnection,
    engine: Engine,
    reviews: &[(&StoredReview, &str, Option<&str>)],
) -> Result<(), StoreError> {
    let mut newest: HashMap<GroupKey<'_>, (&StoredReview, &ReviewedLine)> = HashMap::new();
    for &(review, supplier, unit) in reviews {
        for line in &review.lines {
            let key = (
                supplier,
                unit.unwrap_or(""),
                line.suggested_account.as_deref().unwrap_or(""),
                line.suggested_cost_centre.as_deref().unwrap_or(""),
                line.suggested_vat_code.as_deref().unwrap_or(""),
            );
            newest
                .entry(key)
                .and_modify(|kept| {
                    if order((review, line)) > order(*kept) {
                        *kept = (review, line);
                    }
                })
                .or_insert((review, line));
        }
    }
    // In key order, so the statements are the same on every run.
    let mut rows: Vec<(GroupKey<'_>, (&StoredReview, &ReviewedLine))> =
        newest.into_iter().collect();
    rows.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    for chunk in rows.chunks(LINES_PER_STATEMENT) {
        let mut query = sqlx::query(ADD_LATEST.get(engine, chunk.len()));
        for ((supplier, unit, account, cost_centre, vat_code), (review, line)) in chunk {
            query = query
                .bind(*supplier)
                .bind(*unit)
                .bind(*account)
                .bind(*cost_centre)
                .bind(*vat_code)
                .bind(&review.decision_id)
                .bind(review.reviewed_at)
                .bind(i64::from(line.line_no))
                .bind(&line.account)
                .bind(line.cost_centre.as_deref())
                .bind(line.vat_code.as_deref())
                .bind(crate::codec::flag(line.matches));
        }
        query
            .execute(&mut *conn)
            .await
            .map_err(db("storing a supplier and unit's latest reviews"))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A group's lines are read from the table's own key (migration 0018 stores it WITHOUT
    /// ROWID), not through an index and then the table.
    #[tokio::test]
    async fn a_groups_lines_are_read_by_the_tables_own_key() {
        let (_dir, store) = crate::query_plan::new_sqlite_store().await;
        let plan = crate::query_plan::sqlite_plan(&store, &group_reviews_sql(2), &[]).await;
        assert!(
            plan.contains("SEARCH g USING PRIMARY KEY (supplier=? AND unit_key=?)"),
            "{plan}"
        );
    }
}
