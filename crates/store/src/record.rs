//! Recording decisions: one transaction per batch, insert-or-return-existing on the key.

use std::collections::HashSet;
use std::fmt::Write as _;
use std::sync::LazyLock;

use sqlx::AnyConnection;

use crate::codec::{Real, amount_key, date, flag, join_reasons};
use crate::engine::{Engine, Spelled};
use crate::error::db;
use crate::read::By;
use crate::read::load_decision;
use crate::response::{self, Stored};
use crate::{Decision, Line, Recorded, Store, StoreError};

/// The columns of a decision row, in the order [`bind_decision`] binds them.
const DECISION_COLUMNS: &str = "decision_id, idempotency_key, received_at, supplier, number, \
     document_type, issue_date, total, total_key, currency, area, unit, outcome, would_auto, \
     audit, model_version, reasons, response, eligible_confidence";
/// The columns of a line row, in the order [`insert_all`] binds them.
const LINE_COLUMNS: &str = "decision_id, line_no, description, net_amount, account, \
     cost_centre, vat_code, confidence, source";

/// Decisions go in one multi-row statement per this many (19 parameters each): one round trip
/// to the database for many decisions instead of one each. Not more: binding a statement's
/// `$n` parameters costs time growing with the square of their number in sqlx's SQLite driver
/// (each is looked up by name), so 256 a statement made a batch slower than one at a time. On
/// SQLite they are now bare `?` ([`Engine::parameters`]), which removes that cost; 64
/// decisions and 128 lines a statement then replayed a year of 220,000 invoices no faster
/// (`benches/RESULTS.md`, "On another machine, and larger statements").
const DECISIONS_PER_STATEMENT: usize = 8;

/// Lines go in one multi-row statement per this many lines (9 parameters each; few, for the
/// reason given at [`DECISIONS_PER_STATEMENT`]).
pub(crate) const LINES_PER_STATEMENT: usize = 16;

/// The statements' text for each number of rows (index `rows - 1`), written once: every commit
/// uses them, and sqlx's statement cache keeps each size prepared (8 + 16 statements). The
/// decisions' insert skips stored keys and returns the keys it stored.
static DECISION_SQL: LazyLock<Spelled> = LazyLock::new(|| {
    inserts(
        "decisions",
        DECISION_COLUMNS,
        DECISIONS_PER_STATEMENT,
        " ON CONFLICT (idempotency_key) DO NOTHING RETURNING idempotency_key",
    )
});
static LINE_SQL: LazyLock<Spelled> =
    LazyLock::new(|| inserts("decision_lines", LINE_COLUMNS, LINES_PER_STATEMENT, ""));

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
        // Compressed before the write lock is taken, so the writer never waits for it.
        let responses: Vec<Stored> = batch
            .iter()
            .map(|d| response::stored(self.engine, &d.response))
            .collect();
        let all: Vec<(&Decision, &Stored)> = batch.iter().zip(&responses).collect();
        let mut tx = self.begin_write().await?;
        let inserted = match insert_all(&mut tx, self.engine, &all).await {
            Ok(inserted) => inserted,
            Err(e) if batch.len() == 1 => return Err(e),
            // A multi-row statement failed without saying which decision broke it: the batch
            // again in a new transaction, one decision at a time, names it (or stores the batch
            // if the failure has passed).
            Err(_) => {
                drop(tx);
                tx = self.begin_write().await?;
                let mut inserted = Vec::with_capacity(batch.len());
                for one in &all {
                    let one = std::slice::from_ref(one);
                    inserted.extend(insert_all(&mut tx, self.engine, one).await?);
                }
                inserted
            }
        };
        tx.commit().await.map_err(db("committing decisions"))?;
        Ok(batch
            .iter()
            .zip(inserted)
            .map(|(d, inserted)| match inserted {
                Inserted::New => Recorded::New(d.clone()),
                Inserted::Existing(stored) => Recorded::Repeat(*stored),
            })
            .collect())
    }
}

/// Inserts (validated) decisions and their lines inside the caller's transaction, in order, in a
/// few multi-row statements. A decision whose key is stored already (before, or earlier in
/// `decisions`) is not written; the decision stored under its key comes back instead.
///
/// Each decision comes with its response in the stored form ([`response::stored`], made before
/// the transaction begins).
///
/// A failing statement of several decisions does not say which one broke it (its error is
/// [`StoreError::Database`]); with one decision, a reused decision id is
/// [`StoreError::DecisionIdTaken`].
pub(crate) async fn insert_all(
    conn: &mut AnyConnection,
    engine: Engine,
    ready: &[(&Decision, &Stored)],
) -> Result<Vec<Inserted>, StoreError> {
    // 1. The decisions; the database returns the keys it stored (the others were there).
    let mut stored: HashSet<String> = HashSet::with_capacity(ready.len());
    for chunk in ready.chunks(DECISIONS_PER_STATEMENT) {
        let mut query = sqlx::query(DECISION_SQL.get(engine, chunk.len()));
        for (d, response) in chunk {
            query = bind_decision(query, d, response);
        }
        let rows = query.fetch_all(&mut *conn).await.map_err(|e| match chunk {
            [(one, _)] => decision_error(e, &one.decision_id),
            _ => db("storing decisions")(e),
        })?;
        for row in rows {
            let key: String = sqlx::Row::try_get(&row, 0).map_err(db("storing decisions"))?;
            stored.insert(key);
        }
    }
    // The first decision of each stored key is the one stored; a later one with the same key is
    // a repeat of it.
    let decisions: Vec<&Decision> = ready.iter().map(|(d, _)| *d).collect();
    let new: Vec<bool> = decisions.iter().map(|d| stored.remove(&d.key)).collect();

    // 2. The stored decisions' lines, before any repeat is read back with its lines.
    let lines: Vec<(&Decision, &Line)> = decisions
        .iter()
        .zip(&new)
        .filter(|(_, new)| **new)
        .flat_map(|(d, _)| d.lines.iter().map(move |l| (*d, l)))
        .collect();
    for chunk in lines.chunks(LINES_PER_STATEMENT) {
        let mut query = sqlx::query(LINE_SQL.get(engine, chunk.len()));
        for (d, line) in chunk {
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

    // 3. What was stored before under the repeated keys.
    let mut out = Vec::with_capacity(decisions.len());
    for (d, new) in decisions.iter().zip(new) {
        out.push(if new {
            Inserted::New
        } else {
            match load_decision(conn, By::Key(&d.key)).await? {
                Some(stored) => Inserted::Existing(Box::new(stored)),
                // The insert skipped the key, so a row holds it in this transaction.
                None => {
                    return Err(StoreError::Database {
                        action: "reading the decision stored under a repeated key",
                        source: sqlx::Error::RowNotFound,
                    });
                }
            }
        });
    }
    Ok(out)
}

/// Binds one decision's row, in [`DECISION_COLUMNS`]' order, with its response in the stored
/// form.
fn bind_decision<'q>(
    query: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments>,
    d: &'q Decision,
    response: &'q Stored,
) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments> {
    let query = query
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
        .bind(join_reasons(&d.reasons));
    let query = match response {
        Stored::Packed(bytes) => query.bind(bytes.as_slice()),
        Stored::Text => query.bind(&d.response),
    };
    query.bind(Real(d.eligible_confidence))
}

/// The multi-row inserts into `table`, one for each number of rows from 1 to `max_rows`:
/// `INSERT INTO table (columns) VALUES` with `rows` tuples of numbered parameters, one per column
/// (`($1, $2), ($3, $4)`), then `tail` (an `ON CONFLICT` clause, or nothing). The decisions and
/// their lines here; the reviews, their lines and a supplier × unit's latest in `review.rs` and
/// `group_reviews.rs`.
pub(crate) fn inserts(table: &str, columns: &str, max_rows: usize, tail: &str) -> Spelled {
    let bare = vec![""; columns.split(',').count()];
    Spelled::new(
        (1..=max_rows)
            .map(|rows| {
                format!(
                    "INSERT INTO {table} ({columns}) VALUES {}{tail}",
                    values_rows(rows, &bare)
                )
            })
            .collect(),
    )
}

/// `rows` tuples of numbered parameters for a `VALUES` table, one per column of `casts`: a
/// column with a type is `CAST($n AS type)` (PostgreSQL types a bare parameter in a `VALUES`
/// list as text), one with `""` the bare `$n`.
pub(crate) fn values_rows(rows: usize, casts: &[&str]) -> String {
    let mut sql = String::new();
    for row in 0..rows {
        sql.push_str(if row == 0 { "(" } else { ", (" });
        for (column, cast) in casts.iter().enumerate() {
            if column > 0 {
                sql.push_str(", ");
            }
            let n = row * casts.len() + column + 1;
            // Writing into a String cannot fail.
            let _ = if cast.is_empty() {
                write!(sql, "${n}")
            } else {
                write!(sql, "CAST(${n} AS {cast})")
            };
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
