//! Opening: the file is created and migrated, data survives reopening, durability settings hold,
//! and bad locations fail with a message that names the fix.

mod common;

use common::{db_path, decision, temp_db, temp_store};
use kontera_store::{Engine, Store, StoreError};

#[tokio::test]
async fn open_creates_the_file_and_migrates() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("kontera.db");
    assert!(!path.exists());
    let store = Store::open(path.to_str().unwrap()).await.unwrap();
    assert!(path.exists());
    // Every table the migrations create answers.
    assert_eq!(store.count_decisions().await.unwrap(), 0);
    assert!(store.automation().await.unwrap().is_empty());
    assert!(store.thresholds().await.unwrap().is_empty());
    assert!(store.activations().await.unwrap().is_empty());
    assert_eq!(store.chart_update().await.unwrap(), None);
    assert!(store.integrity_check().await.unwrap());
}

#[cfg(unix)]
#[tokio::test]
async fn a_new_database_file_and_its_journal_are_readable_by_the_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let path = db_path(&dir);
    let store = Store::open(&path).await.unwrap();
    store.record(&[decision("k-1", "d-1")]).await.unwrap();
    for file in [path.clone(), format!("{path}-wal")] {
        let mode = std::fs::metadata(&file).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "{file}");
    }
    store.close().await;
}

/// `.cargo/config.toml` builds the bundled SQLite without memory statistics (with them every
/// allocation takes a global mutex); this fails when that setting stops reaching the build.
#[tokio::test]
async fn the_bundled_sqlite_keeps_no_memory_statistics() {
    use sqlx::Connection;
    let mut conn = sqlx::SqliteConnection::connect("sqlite::memory:")
        .await
        .unwrap();
    let options: Vec<String> =
        sqlx::query_scalar("SELECT compile_options FROM pragma_compile_options")
            .fetch_all(&mut conn)
            .await
            .unwrap();
    assert!(options.iter().any(|o| o == "THREADSAFE=1"), "{options:?}");
    assert!(
        options.iter().any(|o| o == "DEFAULT_MEMSTATUS=0"),
        "{options:?}"
    );
}

/// Every migration exists for both engines under the same number and name, so that a store
/// moved from SQLite to PostgreSQL (or back) has had the same changes; a change one engine
/// needs nothing for is a file that says so.
#[test]
fn both_engines_have_the_same_migrations() {
    let names = |engine: &str| -> Vec<String> {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("migrations")
            .join(engine);
        let mut names: Vec<String> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    };
    let sqlite = names("sqlite");
    assert!(sqlite.len() >= 18, "{sqlite:?}");
    assert!(sqlite.iter().all(|n| n.ends_with(".sql")), "{sqlite:?}");
    assert_eq!(sqlite, names("postgres"));
}

#[tokio::test]
async fn a_sqlite_url_opens_the_same_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = db_path(&dir);
    let store = Store::open(&format!("sqlite://{path}")).await.unwrap();
    store.record(&[decision("k-1", "d-1")]).await.unwrap();
    store.close().await;
    let again = Store::open(&path).await.unwrap();
    assert_eq!(again.count_decisions().await.unwrap(), 1);
}

async fn reopening_keeps_data_and_migrations_run_once(engine: Engine) {
    let db = temp_db(engine).await;
    let path = db.database.clone();
    let store = Store::open(&path).await.unwrap();
    store.record(&[decision("k-1", "d-1")]).await.unwrap();
    store
        .set_automation("schools", true, "ops", Some("audit"), 5)
        .await
        .unwrap();
    store.close().await;

    let store = Store::open(&path).await.unwrap();
    assert_eq!(store.count_decisions().await.unwrap(), 1);
    assert_eq!(
        store.decision("k-1").await.unwrap().unwrap(),
        decision("k-1", "d-1")
    );
    assert!(store.automation().await.unwrap()[0].paused);
    assert!(store.integrity_check().await.unwrap());
}

async fn every_connection_is_durable_with_foreign_keys(engine: Engine) {
    let (_db, store) = temp_store(engine).await;
    assert_eq!(store.engine(), engine);
    for settings in store.durability().await.unwrap() {
        assert_eq!(settings.journal_mode, "wal");
        assert_eq!(settings.synchronous, "full");
        assert!(settings.foreign_keys);
    }
}

#[tokio::test]
async fn a_missing_directory_names_the_file_and_the_fix() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("no-such-dir").join("kontera.db");
    let err = Store::open(path.to_str().unwrap()).await.unwrap_err();
    assert!(matches!(err, StoreError::Open { .. }), "{err:?}");
    let message = err.to_string();
    assert!(message.contains("cannot open database file"), "{message}");
    assert!(message.contains("no-such-dir"), "{message}");
    assert!(message.contains("create the directory"), "{message}");
}

#[tokio::test]
async fn an_in_memory_database_is_refused() {
    for given in ["sqlite::memory:", ":memory:", "sqlite://x.db?mode=memory"] {
        let err = Store::open(given).await.unwrap_err();
        assert!(
            matches!(err, StoreError::InMemory { .. }),
            "{given}: {err:?}"
        );
        assert!(err.to_string().contains("give a file path"), "{err}");
    }
}

#[tokio::test]
async fn a_postgres_database_that_sorts_by_locale_is_refused_with_the_fix() {
    let server = kontera_store::testing::postgres_server();
    let name = format!("kt_icu_{}", std::process::id());
    let mut admin = <sqlx::PgConnection as sqlx::Connection>::connect(&server)
        .await
        .unwrap();
    for sql in [
        format!("DROP DATABASE IF EXISTS {name}"),
        format!(
            "CREATE DATABASE {name} TEMPLATE template0 LOCALE_PROVIDER icu ICU_LOCALE 'en-US' \
             LOCALE 'C'"
        ),
    ] {
        sqlx::raw_sql(sqlx::AssertSqlSafe(sql))
            .execute(&mut admin)
            .await
            .unwrap();
    }
    let url = format!("{}/{name}", server.rsplit_once('/').unwrap().0);
    let err = Store::open(&url).await.unwrap_err();
    assert!(matches!(err, StoreError::Collation { .. }), "{err:?}");
    assert!(err.to_string().contains("LC_COLLATE 'C'"), "{err}");
}

#[tokio::test]
async fn a_postgres_database_that_acknowledges_before_the_disk_is_refused() {
    let url = kontera_store::testing::fresh_postgres_database().await;
    let name = url
        .rsplit_once('/')
        .unwrap()
        .1
        .split('?')
        .next()
        .unwrap()
        .to_owned();
    let mut admin = <sqlx::PgConnection as sqlx::Connection>::connect(&url)
        .await
        .unwrap();
    sqlx::raw_sql(sqlx::AssertSqlSafe(format!(
        "ALTER DATABASE {name} SET synchronous_commit = off"
    )))
    .execute(&mut admin)
    .await
    .unwrap();
    let err = Store::open(&url).await.unwrap_err();
    assert!(matches!(err, StoreError::NotDurable { .. }), "{err:?}");
    let message = err.to_string();
    assert!(message.contains("synchronous_commit off"), "{message}");
    assert!(message.contains("SET synchronous_commit = on"), "{message}");
}

#[tokio::test]
async fn sslmode_require_asks_the_server_for_tls() {
    // The private test server has no certificate, so it refuses the TLS request; a server given
    // in KONTERA_TEST_POSTGRES may have one and accept it. Either way TLS was asked for, which a
    // build without TLS refuses before connecting.
    let url = kontera_store::testing::fresh_postgres_database().await;
    let separator = if url.contains('?') { '&' } else { '?' };
    match Store::open(&format!("{url}{separator}sslmode=require")).await {
        Ok(store) => store.close().await,
        Err(err) => {
            let message = err.to_string();
            assert!(matches!(err, StoreError::Connect { .. }), "{err:?}");
            assert!(!message.contains("built without TLS"), "{message}");
            assert!(message.contains("TLS"), "{message}");
        }
    }
}

#[tokio::test]
async fn an_unreachable_server_names_the_url_without_its_password() {
    // Port 9 (discard) on loopback: nothing listens, so the connection is refused at once, and
    // the message says so rather than that a pool timed out.
    let err = Store::open("postgres://kontera:hunter2@127.0.0.1:9/kontera")
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::Connect { .. }), "{err:?}");
    let message = err.to_string();
    assert!(message.contains("kontera:***@127.0.0.1:9"), "{message}");
    assert!(!message.contains("hunter2"), "{message}");
    assert!(
        message.contains("check that the server is running"),
        "{message}"
    );
}

kontera_store::on_both_engines!(
    reopening_keeps_data_and_migrations_run_once,
    every_connection_is_durable_with_foreign_keys,
);
