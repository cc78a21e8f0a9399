//! A supplier × unit's latest reviewed line for each coding the service suggested: the
//! controller's coding beside the suggestion (for an audit sample: what it would have posted),
//! newest first. The service reads them before it decides another invoice of the same supplier
//! and unit: a recent correction of the coding the model suggests again means the group's coding
//! may have changed.

use std::sync::LazyLock;

use crate::error::db;
use crate::review::{ReviewedLine, review_line_row, reviewed_line};
use crate::{Store, StoreError};

/// At most this many reviewed lines (suggested codings) come back.
pub const MAX_GROUP_REVIEW_LINES: u32 = 200;

/// The columns [`reviewed_line`] reads, the newest line per suggested coding (account, cost
/// centre, VAT code; a missing field is a value of its own); uses the index `reviews_group`
/// (supplier, unit, reviewed_at); `IS NOT DISTINCT FROM` matches a missing unit too. One row per
/// coding, not every line reviewed within the window: a large supplier's invoices to one unit
/// are reviewed hundreds of times a year, and each row read costs more than SQLite's ranking of
/// them. The limit is written into the text, not bound (see `duplicates.rs`: SQLite would
/// prepare the statement again on every execution).
static GROUP_REVIEWS: LazyLock<String> = LazyLock::new(|| {
    format!(
        "SELECT decision_id, reviewed_at, line_no, account, cost_centre, vat_code, matches, \
         suggested_account, suggested_cost_centre, suggested_vat_code FROM ( \
           SELECT r.decision_id, r.reviewed_at, rl.line_no, rl.account, \
           rl.cost_centre, rl.vat_code, rl.matches, dl.account AS suggested_account, \
           dl.cost_centre AS suggested_cost_centre, dl.vat_code AS suggested_vat_code, \
           ROW_NUMBER() OVER (PARTITION BY dl.account, dl.cost_centre, dl.vat_code \
               ORDER BY r.reviewed_at DESC, r.decision_id DESC, rl.line_no) AS newest \
           FROM reviews r \
           JOIN review_lines rl ON rl.decision_id = r.decision_id \
           JOIN decision_lines dl ON dl.decision_id = rl.decision_id AND dl.line_no = rl.line_no \
           WHERE r.supplier = $1 AND r.unit IS NOT DISTINCT FROM $2 \
             AND r.reviewed_at BETWEEN $3 AND $4 \
         ) g WHERE newest = 1 \
         ORDER BY reviewed_at DESC, decision_id DESC, line_no \
         LIMIT {MAX_GROUP_REVIEW_LINES}"
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

impl Store {
    /// Of the lines of `supplier`'s invoices to `unit` (`None`: invoices whose unit was not
    /// known) reviewed from `since_ms` to `until_ms` (unix ms), the newest for each suggested
    /// coding; newest first, at most [`MAX_GROUP_REVIEW_LINES`].
    pub async fn group_reviews(
        &self,
        supplier: &str,
        unit: Option<&str>,
        since_ms: i64,
        until_ms: i64,
    ) -> Result<Vec<GroupReview>, StoreError> {
        let rows = sqlx::query(GROUP_REVIEWS.as_str())
            .bind(supplier)
            .bind(unit)
            .bind(since_ms)
            .bind(until_ms)
            .fetch_all(self.reader())
            .await
            .map_err(db("reading a supplier and unit's latest reviews"))?;
        rows.iter()
            .map(|row| {
                let decision_id: String =
                    sqlx::Row::try_get(row, "decision_id").unwrap_or_default();
                review_line_row(row, &decision_id, |c| {
                    Ok(GroupReview {
                        reviewed_at: c.get("reviewed_at")?,
                        line: reviewed_line(c)?,
                        decision_id: decision_id.clone(),
                    })
                })
            })
            .collect()
    }
}
