//! Opening the database on either engine: connection settings for durability, the two pools,
//! migrations.

use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::Duration;

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{AnyConnection, AnyPool, AssertSqlSafe, Connection, Executor};

use crate::engine::WRITE_LOCK;
use crate::health::read_settings;
use crate::organisation::{self, valid_organisation};
use crate::{Engine, Store, StoreError};

/// A store's two pools: the writer (one connection) and the readers.
type Pools = (Engine, AnyPool, AnyPool);

/// How long opening waits for a PostgreSQL connection.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// SQLite's `synchronous` setting for a store.
#[derive(Clone, Copy)]
enum Sync {
    /// Every commit reaches the disk before it returns.
    Full,
    /// A scratch store for a replay: nothing needs to survive a crash.
    Off,
}

impl Store {
    /// Opens the database, creating an SQLite file if missing, and applies the embedded
    /// migrations of its engine.
    ///
    /// `database` is an SQLite file path (`data/kontera.db`) or URL (`sqlite://data/kontera.db`),
    /// or a PostgreSQL URL (`postgres://kontera:secret@db.internal/kontera`). In-memory SQLite
    /// databases are refused: they would lose decisions.
    ///
    /// SQLite: every connection uses the WAL journal, `synchronous = FULL`, foreign keys, a 5 s
    /// busy timeout, and keeps its temporary data in memory (`temp_store = MEMORY`: a
    /// multi-row insert's statement journal, which went to a temporary file). PostgreSQL: the
    /// server's own durability (`synchronous_commit`, checked by [`Store::durability`]); the
    /// database must sort text byte-wise (`C` collation), so that listings come in the same
    /// order on both engines. On both, the writer pool holds one connection, the read pool one
    /// per core (2 to 8).
    pub async fn open(database: &str) -> Result<Store, StoreError> {
        Store::open_with(database, Sync::Full, None).await
    }

    /// Opens one organisation's tables in the deployment's database (see
    /// [`crate::organisation`]): `None` is the deployment's first organisation, what
    /// [`Store::open`] opens; `Some(name)` a PostgreSQL schema `kontera_<name>` in the same
    /// database, or on SQLite the file beside `database` with the name before its extension.
    /// Both are created and migrated on first use. Every statement of the returned store reaches
    /// that organisation's tables only.
    pub async fn open_organisation(
        database: &str,
        organisation: Option<&str>,
    ) -> Result<Store, StoreError> {
        if let Some(name) = organisation.filter(|n| !valid_organisation(n)) {
            return Err(StoreError::Organisation {
                name: name.to_owned(),
            });
        }
        Store::open_with(database, Sync::Full, organisation).await
    }

    /// A store for a replay of history (`kontera replay`): the same schema and statements on an
    /// SQLite file, but with `synchronous = OFF` — a scratch file nothing needs to survive a
    /// crash.
    pub async fn open_scratch(path: &str) -> Result<Store, StoreError> {
        if Engine::of(path) != Engine::Sqlite {
            return Err(StoreError::ScratchNotSqlite);
        }
        Store::open_with(path, Sync::Off, None).await
    }

    async fn open_with(
        database: &str,
        sync: Sync,
        organisation: Option<&str>,
    ) -> Result<Store, StoreError> {
        sqlx::any::install_default_drivers();
        let (engine, writer, reader) = match Engine::of(database) {
            Engine::Sqlite => open_sqlite(database, sync, organisation).await?,
            Engine::Postgres => open_postgres(database, organisation).await?,
        };
        Ok(Store {
            writer,
            reader,
            engine,
            organisation: organisation.map(str::to_owned),
            write_lock: organisation::write_lock(WRITE_LOCK, organisation),
        })
    }

    /// The organisation whose tables this store reaches; `None`: the deployment's first.
    pub fn organisation(&self) -> Option<&str> {
        self.organisation.as_deref()
    }

    /// Starts a write transaction holding this organisation's write lock (see
    /// [`Engine::begin_write`]).
    pub(crate) async fn begin_write(
        &self,
    ) -> Result<sqlx::Transaction<'static, sqlx::Any>, StoreError> {
        self.engine.begin_write(&self.writer, self.write_lock).await
    }

    /// Closes both pools, waiting for running statements; SQLite's WAL is checkpointed as the
    /// last connection closes. Later calls on any clone fail.
    pub async fn close(&self) {
        self.reader.close().await;
        self.writer.close().await;
    }

    /// The engine this store runs on.
    pub fn engine(&self) -> Engine {
        self.engine
    }

    /// The writer pool (one connection).
    pub(crate) fn writer(&self) -> &AnyPool {
        &self.writer
    }

    /// The read pool.
    pub(crate) fn reader(&self) -> &AnyPool {
        &self.reader
    }
}

/// Read connections: SQLite's reads run in this process, one per core (2 to 8); PostgreSQL's
/// wait on the network and the server, so more stay open (4 per core, 8 to 32).
fn readers(engine: Engine) -> u32 {
    let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
    let count = match engine {
        Engine::Sqlite => cores.clamp(2, 8),
        Engine::Postgres => (4 * cores).clamp(8, 32),
    };
    u32::try_from(count).unwrap_or(2)
}

/// Pool settings shared by both engines: connections kept open for the life of the store.
fn pool(max: u32) -> AnyPoolOptions {
    AnyPoolOptions::new()
        .max_connections(max)
        .min_connections(1)
        .idle_timeout(None)
        .max_lifetime(None)
        .acquire_timeout(CONNECT_TIMEOUT)
}

async fn open_sqlite(
    given: &str,
    sync: Sync,
    organisation: Option<&str>,
) -> Result<Pools, StoreError> {
    let mut path = sqlite_path(given)?;
    if let Some(name) = organisation {
        path = organisation::sqlite_file(&path, name);
    }
    create_private(&path);
    let url = sqlite_url(&path);
    let open_error = |source| StoreError::Open {
        path: path.clone(),
        source,
    };
    let pragmas = sqlite_pragmas(sync);
    let options = |mode: &str| {
        AnyConnectOptions::from_str(&format!("{url}?mode={mode}")).map_err(|source| {
            StoreError::BadUrl {
                given: given.to_owned(),
                source,
            }
        })
    };

    let writer = pool(1)
        .after_connect(move |conn, _| {
            Box::pin(async move { conn.execute(sqlx::raw_sql(pragmas)).await.map(|_| ()) })
        })
        .connect_with(options("rwc")?)
        .await
        .map_err(open_error)?;
    sqlx::migrate!("./migrations/sqlite")
        .run(&writer)
        .await
        .map_err(|source| StoreError::Migrate {
            database: path.display().to_string(),
            source,
        })?;
    let reader = pool(readers(Engine::Sqlite))
        .after_connect(move |conn, _| {
            Box::pin(async move { conn.execute(sqlx::raw_sql(pragmas)).await.map(|_| ()) })
        })
        .connect_with(options("ro")?)
        .await
        .map_err(open_error)?;
    Ok((Engine::Sqlite, writer, reader))
}

/// The settings every SQLite connection starts with (the journal mode is the file's, set by the
/// writer first; a reader repeating it is a no-op). `temp_store = MEMORY`: every multi-row
/// insert in a transaction keeps a statement journal of the pages it changes, so that a failing
/// row can undo the statement alone; in a temporary file that was 7% of a replay's profile
/// (`benches/RESULTS.md`, "Statement journals in memory").
fn sqlite_pragmas(sync: Sync) -> &'static str {
    match sync {
        Sync::Full => {
            "PRAGMA busy_timeout = 5000; PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; \
             PRAGMA foreign_keys = ON; PRAGMA temp_store = MEMORY;"
        }
        Sync::Off => {
            "PRAGMA busy_timeout = 5000; PRAGMA journal_mode = WAL; PRAGMA synchronous = OFF; \
             PRAGMA foreign_keys = ON; PRAGMA cache_size = -262144; PRAGMA temp_store = MEMORY;"
        }
    }
}

/// Creates a missing database file readable by its owner only (SQLite gives its `-wal` and
/// `-shm` files the same mode): the decisions hold invoices. Best effort — when the file cannot
/// be created here (no such directory, a race), SQLite's own open reports why.
fn create_private(path: &Path) {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let _ = options.open(path);
}

/// The file an SQLite path or `sqlite:` URL names; in-memory databases are refused.
fn sqlite_path(given: &str) -> Result<PathBuf, StoreError> {
    if given.contains(":memory:") || given.contains("mode=memory") {
        return Err(StoreError::InMemory {
            given: given.to_owned(),
        });
    }
    if !given.starts_with("sqlite:") {
        return Ok(PathBuf::from(given));
    }
    let options = SqliteConnectOptions::from_str(given).map_err(|source| StoreError::BadUrl {
        given: given.to_owned(),
        source,
    })?;
    Ok(options.get_filename().to_path_buf())
}

/// An `sqlite:` URL for a file, escaping what the URL would otherwise read as a query,
/// fragment or escape.
fn sqlite_url(path: &Path) -> String {
    let mut url = String::from("sqlite:");
    for c in path.to_string_lossy().chars() {
        match c {
            '%' => url.push_str("%25"),
            '?' => url.push_str("%3F"),
            '#' => url.push_str("%23"),
            ' ' => url.push_str("%20"),
            c => url.push(c),
        }
    }
    url
}

async fn open_postgres(url: &str, organisation: Option<&str>) -> Result<Pools, StoreError> {
    let shown = redact_password(url);
    let options = AnyConnectOptions::from_str(url).map_err(|source| StoreError::BadUrl {
        given: shown.clone(),
        source,
    })?;
    let connect_error = |source| StoreError::Connect {
        url: shown.clone(),
        source,
    };
    // One connection first: its error says why (refused, authentication, no such database),
    // where the pool would only report that it timed out waiting.
    let mut probe = AnyConnection::connect_with(&options)
        .await
        .map_err(connect_error)?;
    let schema = organisation.map(organisation::schema);
    if let (Some(schema), Some(name)) = (&schema, organisation) {
        let role: String = sqlx::query_scalar("SELECT CAST(current_user AS TEXT)")
            .fetch_one(&mut probe)
            .await
            .map_err(connect_error)?;
        if role == *schema {
            return Err(StoreError::RoleShadowsSchema {
                url: shown.clone(),
                schema: schema.clone(),
                organisation: name.to_owned(),
            });
        }
        create_schema(&mut probe, schema)
            .await
            .map_err(connect_error)?;
    }
    let _ = probe.close().await;
    let writer = in_schema(pool(1), schema.clone())
        .connect_with(options.clone())
        .await
        .map_err(connect_error)?;
    check_collation(&writer, &shown).await?;
    check_durable(&writer, &shown).await?;
    sqlx::migrate!("./migrations/postgres")
        .run(&writer)
        .await
        .map_err(|source| StoreError::Migrate {
            database: shown.clone(),
            source,
        })?;
    let reader = in_schema(pool(readers(Engine::Postgres)), schema)
        .connect_with(options)
        .await
        .map_err(connect_error)?;
    Ok((Engine::Postgres, writer, reader))
}

/// Creates an organisation's schema unless it exists. Instances starting together may race to
/// create it; the loser's error is no error when the schema is there afterwards.
async fn create_schema(conn: &mut AnyConnection, schema: &str) -> Result<(), sqlx::Error> {
    let created = conn
        .execute(sqlx::raw_sql(AssertSqlSafe(format!(
            "CREATE SCHEMA IF NOT EXISTS {schema}"
        ))))
        .await;
    if created.is_ok() {
        return Ok(());
    }
    let exists = sqlx::query("SELECT 1 FROM pg_namespace WHERE nspname = $1")
        .bind(schema)
        .fetch_optional(&mut *conn)
        .await?;
    match exists {
        Some(_) => Ok(()),
        None => created.map(|_| ()),
    }
}

/// Pool options whose connections see only `schema`'s tables (an organisation's; `None`: the
/// server's default search path, the first organisation's). The name is checked by
/// [`valid_organisation`], so it needs no quoting.
fn in_schema(options: AnyPoolOptions, schema: Option<String>) -> AnyPoolOptions {
    let Some(schema) = schema else {
        return options;
    };
    let set = format!("SET search_path TO {schema}");
    options.after_connect(move |conn, _| {
        let set = set.clone();
        Box::pin(async move {
            conn.execute(sqlx::raw_sql(AssertSqlSafe(set)))
                .await
                .map(|_| ())
        })
    })
}

/// Refuses a PostgreSQL database whose text does not sort byte-wise, as SQLite's does: the
/// collation must be libc's (or PostgreSQL 17's builtin) `C`, `POSIX` or `C.UTF-8`, which order
/// UTF-8 text by its bytes.
async fn check_collation(pool: &AnyPool, shown: &str) -> Result<(), StoreError> {
    let (provider, collation): (String, String) = sqlx::query_as(
        "SELECT datlocprovider::text, datcollate::text FROM pg_database \
         WHERE datname = current_database()",
    )
    .fetch_one(pool)
    .await
    .map_err(|source| StoreError::Connect {
        url: shown.to_owned(),
        source,
    })?;
    let byte_order = matches!(provider.as_str(), "c" | "b")
        && matches!(collation.as_str(), "C" | "POSIX" | "C.UTF-8" | "C.utf8");
    if byte_order {
        Ok(())
    } else {
        Err(StoreError::Collation {
            url: shown.to_owned(),
            collation: if provider == "i" {
                "ICU".to_owned()
            } else {
                collation
            },
        })
    }
}

/// Refuses a PostgreSQL database that would acknowledge a commit before it is on disk
/// (`fsync` or `synchronous_commit` off): the service answers only after the decision is
/// stored, and that promise rests on these.
async fn check_durable(pool: &AnyPool, shown: &str) -> Result<(), StoreError> {
    let mut conn = pool.acquire().await.map_err(|source| StoreError::Connect {
        url: shown.to_owned(),
        source,
    })?;
    let settings = read_settings(Engine::Postgres, &mut conn).await?;
    let off = if settings.journal_mode == "off" {
        Some("fsync")
    } else if settings.synchronous == "off" {
        Some("synchronous_commit")
    } else {
        None
    };
    match off {
        None => Ok(()),
        Some(setting) => Err(StoreError::NotDurable {
            url: shown.to_owned(),
            setting,
        }),
    }
}

/// A `--database` value safe to log or show: a URL's password replaced by `***`.
pub fn redact_password(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    let authority_end = rest.find(['/', '?']).unwrap_or(rest.len());
    let (authority, path) = rest.split_at(authority_end);
    match authority.rsplit_once('@') {
        Some((user_info, host)) => {
            let user = user_info
                .split_once(':')
                .map_or(user_info, |(user, _)| user);
            let hidden = if user_info.contains(':') { ":***" } else { "" };
            format!("{scheme}://{user}{hidden}@{host}{path}")
        }
        None => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_password_never_shows() {
        assert_eq!(
            redact_password("postgres://kontera:s3cr@t@db:5432/k?sslmode=require"),
            "postgres://kontera:***@db:5432/k?sslmode=require"
        );
        assert_eq!(
            redact_password("postgres://kontera@db/k"),
            "postgres://kontera@db/k"
        );
        assert_eq!(redact_password("postgres://db/k"), "postgres://db/k");
    }

    #[test]
    fn a_path_becomes_a_url_that_names_the_same_file() {
        for path in [
            "kontera.db",
            "/tmp/a b/k?.db",
            "data/100%#1.db",
            "Data/K.db",
        ] {
            let url = sqlite_url(Path::new(path));
            let any = AnyConnectOptions::from_str(&format!("{url}?mode=ro")).unwrap();
            let parsed = SqliteConnectOptions::try_from(&any).unwrap();
            assert_eq!(parsed.get_filename(), Path::new(path), "{url}");
        }
    }
}
