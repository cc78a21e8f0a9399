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

    /// The values of `column` over a query's rows as one text, comma-separated, in the order
    /// `order` (`NULL` for no rows). SQLite's `group_concat` takes the rows in the order the
    /// subquery gives them (its `ORDER BY` inside the aggregate would sort them again);
    /// PostgreSQL's `string_agg` is told the order.
    pub(crate) fn comma_joined(self, column: &str, order: &str) -> String {
        match self {
            Engine::Sqlite => format!("group_concat({column}, ',')"),
            Engine::Postgres => format!("string_agg({column}::text, ',' ORDER BY {order})"),
        }
    }

    /// `sql` with its parameters as this engine binds them fastest. On SQLite the numbered
    /// parameters of a statement that uses `$1`, `$2`, … each once and in that order become bare
    /// `?`: sqlx's SQLite driver looks up a numbered parameter's name for every bind, in time
    /// growing with their number (`benches/RESULTS.md`, "Bare parameters"), and binds bare ones
    /// in order. Any other statement, and every PostgreSQL one, is left as written.
    pub(crate) fn parameters(self, sql: &str) -> String {
        if self == Engine::Postgres {
            return sql.to_owned();
        }
        let mut out = String::with_capacity(sql.len());
        let mut rest = sql;
        let mut next = 1u32;
        while let Some(at) = rest.find('$') {
            let digits = rest[at + 1..]
                .find(|c: char| !c.is_ascii_digit())
                .map_or(rest.len() - at - 1, |end| end);
            if digits == 0 || rest[at + 1..at + 1 + digits].parse() != Ok(next) {
                return sql.to_owned();
            }
            out.push_str(&rest[..at]);
            out.push('?');
            rest = &rest[at + 1 + digits..];
            next += 1;
        }
        out.push_str(rest);
        out
    }

    /// The 1-based position of `needle` in `haystack`, 0 when absent.
    pub(crate) fn position(self, haystack: &str, needle: &str) -> String {
        match self {
            Engine::Sqlite => format!("instr({haystack}, {needle})"),
            Engine::Postgres => format!("strpos({haystack}, {needle})"),
        }
    }
}

/// A statement written for each number of rows (`$n` parameters), as each engine binds its
/// parameters fastest ([`Engine::parameters`]): the multi-row inserts and the batched look-ups.
pub(crate) struct Spelled {
    sqlite: Vec<String>,
    postgres: Vec<String>,
}

impl Spelled {
    /// `texts[rows - 1]`: the statement for `rows` rows.
    pub(crate) fn new(texts: Vec<String>) -> Spelled {
        Spelled {
            sqlite: texts.iter().map(|t| Engine::Sqlite.parameters(t)).collect(),
            postgres: texts,
        }
    }

    /// The statement for `rows` rows (at least 1, at most as many as it was written for) on
    /// `engine`.
    pub(crate) fn get(&self, engine: Engine, rows: usize) -> &str {
        let texts = match engine {
            Engine::Sqlite => &self.sqlite,
            Engine::Postgres => &self.postgres,
        };
        &texts[rows - 1]
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
    fn sqlite_binds_parameters_used_once_in_order_bare() {
        let sql = "INSERT INTO t (a, b) VALUES ($1, $2), ($3, CAST($4 AS BIGINT))";
        assert_eq!(
            Engine::Sqlite.parameters(sql),
            "INSERT INTO t (a, b) VALUES (?, ?), (?, CAST(? AS BIGINT))"
        );
        assert_eq!(Engine::Postgres.parameters(sql), sql);
        // Out of order, used twice, or a gap: as written.
        for kept in [
            "SELECT $2, $1",
            "SELECT $1 WHERE a = $1",
            "SELECT $1, $3",
            "SELECT '$', $1",
        ] {
            assert_eq!(Engine::Sqlite.parameters(kept), kept);
        }
        assert_eq!(Engine::Sqlite.parameters("SELECT 1"), "SELECT 1");
        assert_eq!(Engine::Sqlite.parameters("SELECT $1"), "SELECT ?");
    }

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
