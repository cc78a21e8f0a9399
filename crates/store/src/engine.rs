//! The two database engines behind one store — SQLite (one file, the embedded default) and
//! PostgreSQL (shared by several instances) — and everything that differs between them: how a
//! write transaction takes the one write lock, and the few SQL spellings that are not shared.
//!
//! Every statement elsewhere in this crate is written once, in the subset both engines read the
//! same way: `$n` parameters, `ON CONFLICT`, `CASE` instead of booleans summed, text dates and
//! decimals, 0/1 flags, `BIGINT` casts where PostgreSQL would widen a sum to `NUMERIC`.

use sqlx::AnyConnection;
use sqlx::{AnyPool, Transaction};

use crate::StoreError;
use crate::error::db;

/// Which database a store runs on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Engine {
    /// One SQLite file (`kontera.db`), one process.
    Sqlite,
    /// A PostgreSQL database that several instances share.
    Postgres,
}

/// The key of the PostgreSQL advisory lock every write transaction takes ("kontera" in ASCII):
/// writes from all instances are serialised as SQLite's one writer serialises them, so a
/// read-then-write inside a transaction (the last admin, a review's first reviewer) sees no
/// concurrent change on either engine.
pub(crate) const WRITE_LOCK: i64 = 0x006b_6f6e_7465_7261;

impl Engine {
    /// The engine a `--database` value names: a `postgres://` or `postgresql://` URL is
    /// PostgreSQL, anything else an SQLite path or `sqlite:` URL.
    pub fn of(database: &str) -> Engine {
        let lower = database.trim_start().to_ascii_lowercase();
        if lower.starts_with("postgres://") || lower.starts_with("postgresql://") {
            Engine::Postgres
        } else {
            Engine::Sqlite
        }
    }

    /// Starts a write transaction that holds the database's one write lock from its first
    /// statement: SQLite's `BEGIN IMMEDIATE`, PostgreSQL's transaction-scoped advisory lock. A
    /// concurrent writer (another process or instance) waits instead of failing half-way.
    /// `lock` is the advisory lock's key (see [`crate::organisation`]).
    pub(crate) async fn begin_write(
        self,
        pool: &AnyPool,
        lock: i64,
    ) -> Result<Transaction<'static, sqlx::Any>, StoreError> {
        let action = "starting a write";
        match self {
            Engine::Sqlite => pool.begin_with("BEGIN IMMEDIATE").await.map_err(db(action)),
            Engine::Postgres => {
                let mut tx = pool.begin().await.map_err(db(action))?;
                lock_writes(&mut tx, lock).await?;
                Ok(tx)
            }
        }
    }

    /// The UTC month (`YYYY-MM`) of a column of unix milliseconds.
    pub(crate) fn month_of(self, millis: &str) -> String {
        match self {
            Engine::Sqlite => format!("strftime('%Y-%m', {millis} / 1000.0, 'unixepoch')"),
            Engine::Postgres => {
                format!("to_char(to_timestamp({millis} / 1000.0) AT TIME ZONE 'UTC', 'YYYY-MM')")
            }
        }
    }

    /// The 1-based position of `needle` in `haystack`, 0 when absent.
    pub(crate) fn position(self, haystack: &str, needle: &str) -> String {
        match self {
            Engine::Sqlite => format!("instr({haystack}, {needle})"),
            Engine::Postgres => format!("strpos({haystack}, {needle})"),
        }
    }
}

/// Takes PostgreSQL's write lock inside a transaction begun by the caller.
async fn lock_writes(conn: &mut AnyConnection, lock: i64) -> Result<(), StoreError> {
    // In FROM, so the result is a plain row rather than a `void` column the Any driver cannot map.
    sqlx::query("SELECT 1 FROM pg_advisory_xact_lock($1)")
        .bind(lock)
        .execute(conn)
        .await
        .map_err(db("taking the write lock"))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_postgres_url_names_postgres_and_anything_else_sqlite() {
        for url in [
            "postgres://kontera@db/kontera",
            "postgresql://u:p@10.0.0.1:5432/k",
            " POSTGRES://x/y",
        ] {
            assert_eq!(Engine::of(url), Engine::Postgres, "{url}");
        }
        for path in [
            "kontera.db",
            "sqlite://data/k.db",
            "postgres.db",
            "/var/postgres/k.db",
        ] {
            assert_eq!(Engine::of(path), Engine::Sqlite, "{path}");
        }
    }
}
