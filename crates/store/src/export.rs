//! Reviews for export: everything needed to write the controllers' codings as postings, within
//! the caller's areas, in the order they were reviewed.

use std::collections::HashMap;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use sqlx::AssertSqlSafe;

use crate::error::db;
use crate::review::{line_no, review_line_row, review_row};
use crate::{AreaScope, Store, StoreError};

/// One reviewed decision, ready to post.
#[derive(Clone, Debug, PartialEq)]
pub struct ExportedReview {
    /// The decision reviewed.
    pub decision_id: String,
    /// The decision's response body as sent (the caller reads the invoice id from it).
    pub response: String,
    /// The invoice's issue date.
    pub issue_date: NaiveDate,
    /// The controller's user name.
    pub reviewer: String,
    /// When, unix ms.
    pub reviewed_at: i64,
    /// The decision was a blind audit sample.
    pub audit: bool,
    /// Every line matched the suggested coding.
    pub agreed: bool,
    /// The lines by line number.
    pub lines: Vec<ExportedLine>,
}

/// One line to post, as the controller coded it.
#[derive(Clone, Debug, PartialEq)]
pub struct ExportedLine {
    /// The decision's line number.
    pub line_no: u32,
    /// The line's net amount, exact.
    pub net_amount: Decimal,
    /// The controller's account.
    pub account: String,
    /// The controller's cost centre.
    pub cost_centre: Option<String>,
    /// The controller's VAT code.
    pub vat_code: Option<String>,
}

impl Store {
    /// Every review within `scope` (reviewed at or after `since_ms`, unix ms, when given), by
    /// review time then decision id, with the lines to post. Read in one transaction, so a
    /// review recorded meanwhile is either whole or absent.
    pub async fn reviews_for_export(
        &self,
        scope: &AreaScope,
        since_ms: Option<i64>,
    ) -> Result<Vec<ExportedReview>, StoreError> {
        let action = "reading reviews for export";
        let since = since_ms.unwrap_or(i64::MIN);
        let reviews_sql = format!(
            "SELECT r.decision_id, d.response, d.issue_date, r.reviewer, r.reviewed_at, r.audit, \
             r.agreed FROM reviews r JOIN decisions d ON d.decision_id = r.decision_id \
             WHERE r.reviewed_at >= $1 AND {} ORDER BY r.reviewed_at, r.decision_id",
            scope.condition("r.area", 2)
        );
        let lines_sql = format!(
            "SELECT rl.decision_id, rl.line_no, dl.net_amount, rl.account, rl.cost_centre, \
             rl.vat_code FROM reviews r \
             JOIN review_lines rl ON rl.decision_id = r.decision_id \
             JOIN decision_lines dl ON dl.decision_id = rl.decision_id AND dl.line_no = rl.line_no \
             WHERE r.reviewed_at >= $1 AND {} ORDER BY rl.decision_id, rl.line_no",
            scope.condition("r.area", 2)
        );
        let mut tx = self.reader().begin().await.map_err(db(action))?;
        let review_rows = scope
            .bind(sqlx::query(AssertSqlSafe(reviews_sql)).bind(since))
            .fetch_all(&mut *tx)
            .await
            .map_err(db(action))?;
        let line_rows = scope
            .bind(sqlx::query(AssertSqlSafe(lines_sql)).bind(since))
            .fetch_all(&mut *tx)
            .await
            .map_err(db(action))?;
        tx.commit().await.map_err(db(action))?;

        let mut out = review_rows
            .iter()
            .map(|row| {
                review_row(row, |c| {
                    Ok(ExportedReview {
                        decision_id: c.get("decision_id")?,
                        response: c.response("response")?,
                        issue_date: c.date("issue_date")?,
                        reviewer: c.get("reviewer")?,
                        reviewed_at: c.get("reviewed_at")?,
                        audit: c.flag("audit")?,
                        agreed: c.flag("agreed")?,
                        lines: Vec::new(),
                    })
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        let at: HashMap<String, usize> = out
            .iter()
            .enumerate()
            .map(|(i, r)| (r.decision_id.clone(), i))
            .collect();
        for row in &line_rows {
            let decision_id: String = sqlx::Row::try_get(row, "decision_id").unwrap_or_default();
            let line = review_line_row(row, &decision_id, |c| {
                Ok(ExportedLine {
                    line_no: line_no(c)?,
                    net_amount: c.decimal("net_amount")?,
                    account: c.get("account")?,
                    cost_centre: c.get("cost_centre")?,
                    vat_code: c.get("vat_code")?,
                })
            })?;
            // Both statements read the same snapshot, so every line has its review.
            if let Some(&i) = at.get(&decision_id) {
                out[i].lines.push(line);
            }
        }
        Ok(out)
    }
}
