//! Opening the database: connection settings for durability, the two pools, migrations.

use std::path::PathBuf;
use std::str::FromStr;
use std::time::Duration;

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};

use crate::{Store, StoreError};

/// How long a connection waits for another process's lock before failing.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);
/// Prepared statements kept per connection.
const STATEMENT_CACHE: usize = 64;

impl Store {
    /// Opens the database, creating the file if missing, and applies the embedded migrations.
    ///
    /// `url_or_path` is a file path (`data/kontera.db`) or an sqlx SQLite URL
    /// (`sqlite://data/kontera.db`, `sqlite:kontera.db?mode=rwc`). In-memory databases are
    /// refused: they would lose decisions. Every connection uses the WAL journal,
    /// `synchronous = FULL`, foreign keys and a 5 s busy timeout; the writer pool holds one
    /// connection, the read-only pool one per core (2 to 8).
    pub async fn open(url_or_path: &str) -> Result<Store, StoreError> {
        Store::open_with(url_or_path, SqliteSynchronous::Full).await
    }

    /// A store for a replay of history (`kontera replay`): the same schema and statements, but
    /// with `synchronous = OFF` — a scratch file nothing needs to survive a crash.
    pub async fn open_scratch(path: &str) -> Result<Store, StoreError> {
        Store::open_with(path, SqliteSynchronous::Off).await
    }

    async fn open_with(url_or_path: &str, sync: SqliteSynchronous) -> Result<Store, StoreError> {
        let base = options(url_or_path)?.synchronous(sync);
        let path = base.get_filename().to_path_buf();

        let writer = SqlitePoolOptions::new()
            .max_connections(1)
            .min_connections(1)
            .idle_timeout(None)
            .max_lifetime(None)
            .connect_with(base.clone().create_if_missing(true))
            .await
            .map_err(|source| StoreError::Open {
                path: path.clone(),
                source,
            })?;
        sqlx::migrate!("./migrations")
            .run(&writer)
            .await
            .map_err(|source| StoreError::Migrate {
                path: path.clone(),
                source,
            })?;

        let readers = std::thread::available_parallelism()
            .map_or(2, |n| n.get())
            .clamp(2, 8);
        let reader = SqlitePoolOptions::new()
            .max_connections(u32::try_from(readers).unwrap_or(2))
            .min_connections(1)
            .idle_timeout(None)
            .max_lifetime(None)
            .connect_with(base.read_only(true))
            .await
            .map_err(|source| StoreError::Open { path, source })?;

        Ok(Store { writer, reader })
    }

    /// Closes both pools, waiting for running statements; the WAL is checkpointed as the last
    /// connection closes. Later calls on any clone fail.
    pub async fn close(&self) {
        self.reader.close().await;
        self.writer.close().await;
    }

    /// The writer pool (one connection).
    pub(crate) fn writer(&self) -> &sqlx::SqlitePool {
        &self.writer
    }

    /// The read-only pool.
    pub(crate) fn reader(&self) -> &sqlx::SqlitePool {
        &self.reader
    }
}

/// Connection options shared by both pools, from a URL or a path.
fn options(given: &str) -> Result<SqliteConnectOptions, StoreError> {
    if given.contains(":memory:") || given.contains("mode=memory") {
        return Err(StoreError::InMemory {
            given: given.to_owned(),
        });
    }
    let base = if given.starts_with("sqlite:") {
        SqliteConnectOptions::from_str(given).map_err(|source| StoreError::BadUrl {
            given: given.to_owned(),
            source,
        })?
    } else {
        SqliteConnectOptions::new().filename(PathBuf::from(given))
    };
    Ok(base
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Full)
        .foreign_keys(true)
        .busy_timeout(BUSY_TIMEOUT)
        .statement_cache_capacity(STATEMENT_CACHE))
}
