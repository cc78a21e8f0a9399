//! Recording decisions: one transaction per batch, insert-or-return-existing on the key.

use std::fmt::Write as _;

use sqlx::AnyConnection;
use sqlx::AssertSqlSafe;

use crate::codec::{Real, amount_key, date, flag, join_reasons};
use crate::error::db;
use crate::read::By;
use crate::read::load_decision;
use crate::{Decision, Recorded, Store, StoreError};

const INSERT_DECISION: &str = "INSERT INTO decisions (decision_id, idempotency_key, received_at, \
     supplier, number, document_type, issue_date, total, total_key, currency, area, unit, outcome, \
     would_auto, audit, model_version, reasons, response, eligible_confidence) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, \
     $19) \
     ON CONFLICT (idempotency_key) DO NOTHING";

/// Lines go in one multi-row statement per this many lines (9 parameters each, well under
/// SQLite's 32,766).
const LINES_PER_STATEMENT: usize = 512;

/// Line-insert statements for up to this many lines stay prepared in sqlx's statement cache;
/// longer invoices are rare and would only evict the hot statements.
const CACHED_LINE_STATEMENTS: usize = 32;

/// What inserting one decision did.
pub(crate) enum Inserted {
    /// Stored now.
    New,
    /// Its key was stored already: the earlier decision.
    Existing(Box<Decision>),
}

impl Store {
    /// Stores a batch of decisions, all or nothing, durably before returning.
    ///
    /// In one transaction, for each decision in order: if its `key` is already stored (earlier,
    /// or earlier in this batch), nothing is written for it and the stored decision comes back
    /// as [`Recorded::Repeat`]; otherwise the decision and its lines are inserted and it comes
    /// back as [`Recorded::New`]. Concurrency-safe through the unique key (insert-or-return-
    /// existing in the database, not an in-memory map): concurrent calls with the same key,
    /// from this or another process, store one decision and all return it.
    ///
    /// Fails without writing anything if any decision breaks [`Decision`]'s rules
    /// ([`StoreError::Invalid`]), reuses a stored decision id under another key
    /// ([`StoreError::DecisionIdTaken`]), or the database fails.
    pub async fn record(&self, batch: &[Decision]) -> Result<Vec<Recorded>, StoreError> {
        if batch.is_empty() {
            return Ok(Vec::new());
        }
        for d in batch {
            d.validate()?;
        }
        let mut tx = self.begin_write().await?;
        let mut out = Vec::with_capacity(batch.len());
        for d in batch {
            out.push(match insert(&mut tx, d).await? {
                Inserted::New => Recorded::New(d.clone()),
                Inserted::Existing(stored) => Recorded::Repeat(*stored),
            });
        }
        tx.commit().await.map_err(db("committing decisions"))?;
        Ok(out)
    }
}

/// Inserts one (validated) decision and its lines inside the caller's transaction, or returns
/// the decision already stored under its key.
pub(crate) async fn insert(conn: &mut AnyConnection, d: &Decision) -> Result<Inserted, StoreError> {
    let inserted = sqlx::query(INSERT_DECISION)
        .bind(&d.decision_id)
        .bind(&d.key)
        .bind(d.received_at)
        .bind(&d.supplier)
        .bind(&d.number)
        .bind(&d.document_type)
        .bind(date(d.issue_date))
        .bind(d.total.to_string())
        .bind(amount_key(d.total))
        .bind(&d.currency)
        .bind(d.area.as_deref())
        .bind(d.unit.as_deref())
        .bind(d.outcome.as_str())
        .bind(flag(d.would_auto))
        .bind(flag(d.audit))
        .bind(&d.model_version)
        .bind(join_reasons(&d.reasons))
        .bind(&d.response)
        .bind(Real(d.eligible_confidence))
        .execute(&mut *conn)
        .await
        .map_err(|e| decision_error(e, &d.decision_id))?
        .rows_affected();

    if inserted == 0 {
        return match load_decision(conn, By::Key(&d.key)).await? {
            Some(stored) => Ok(Inserted::Existing(Box::new(stored))),
            // The conflict was on the key, so the row exists in this transaction.
            None => Err(StoreError::Database {
                action: "reading the decision stored under a repeated key",
                source: sqlx::Error::RowNotFound,
            }),
        };
    }
    for chunk in d.lines.chunks(LINES_PER_STATEMENT) {
        let sql = insert_lines_sql(chunk.len());
        let mut query =
            sqlx::query(AssertSqlSafe(sql)).persistent(chunk.len() <= CACHED_LINE_STATEMENTS);
        for line in chunk {
            query = query
                .bind(&d.decision_id)
                .bind(i64::from(line.line_no))
                .bind(&line.description)
                .bind(line.net_amount.to_string())
                .bind(line.account.as_deref())
                .bind(line.cost_centre.as_deref())
                .bind(line.vat_code.as_deref())
                .bind(line.confidence)
                .bind(&line.source);
        }
        query
            .execute(&mut *conn)
            .await
            .map_err(db("storing decision lines"))?;
    }
    Ok(Inserted::New)
}

/// `INSERT` of `rows` lines with numbered parameters; the text depends only on `rows`, so
/// sqlx's per-connection statement cache prepares each size once.
fn insert_lines_sql(rows: usize) -> String {
    const COLUMNS: usize = 9;
    let mut sql = String::with_capacity(140 + rows * 50);
    sql.push_str(
        "INSERT INTO decision_lines (decision_id, line_no, description, net_amount, account, \
         cost_centre, vat_code, confidence, source) VALUES ",
    );
    for row in 0..rows {
        sql.push_str(if row == 0 { "(" } else { ", (" });
        for column in 0..COLUMNS {
            if column > 0 {
                sql.push_str(", ");
            }
            // Writing into a String cannot fail.
            let _ = write!(sql, "${}", row * COLUMNS + column + 1);
        }
        sql.push(')');
    }
    sql
}

/// A failed decision insert: a clash on the decision id gets its own error.
fn decision_error(e: sqlx::Error, decision_id: &str) -> StoreError {
    if let sqlx::Error::Database(inner) = &e
        && inner.is_unique_violation()
        // SQLite names the column in its message, PostgreSQL the primary key's constraint.
        && (inner.message().contains("decision_id")
            || inner.constraint() == Some("decisions_pkey"))
    {
        return StoreError::DecisionIdTaken {
            decision_id: decision_id.to_owned(),
        };
    }
    db("storing a decision")(e)
}
