//! The tests' PostgreSQL server (`kontera_store::testing`): each fresh database is a separate,
//! empty database on it.

use kontera_store::testing::fresh_postgres_database;
use sqlx::postgres::PgConnection;
use sqlx::{Connection, Row};

async fn connect(url: &str) -> PgConnection {
    PgConnection::connect(url)
        .await
        .unwrap_or_else(|e| panic!("connecting to {url}: {e}"))
}

async fn current_database(connection: &mut PgConnection) -> String {
    sqlx::query_scalar("SELECT current_database()")
        .fetch_one(connection)
        .await
        .unwrap()
}

async fn has_table(connection: &mut PgConnection, table: &str) -> bool {
    sqlx::query("SELECT to_regclass($1) IS NOT NULL AS present")
        .bind(table)
        .fetch_one(connection)
        .await
        .unwrap()
        .get("present")
}

async fn user_tables(connection: &mut PgConnection) -> i64 {
    sqlx::query_scalar(
        "SELECT count(*) FROM pg_tables \
         WHERE schemaname NOT IN ('pg_catalog', 'information_schema')",
    )
    .fetch_one(connection)
    .await
    .unwrap()
}

#[tokio::test]
async fn fresh_databases_are_separate_and_empty() {
    let first_url = fresh_postgres_database().await;
    let second_url = fresh_postgres_database().await;
    assert_ne!(first_url, second_url);

    let mut first = connect(&first_url).await;
    let mut second = connect(&second_url).await;
    let first_name = current_database(&mut first).await;
    let second_name = current_database(&mut second).await;
    assert_ne!(first_name, second_name);
    for (url, name) in [(&first_url, &first_name), (&second_url, &second_name)] {
        assert!(
            url.ends_with(&format!("/{name}")),
            "{url} is not database {name}"
        );
    }

    // Empty: no tables outside the system catalogs.
    assert_eq!(user_tables(&mut first).await, 0);
    assert_eq!(user_tables(&mut second).await, 0);

    sqlx::query("CREATE TABLE only_in_first (id BIGINT PRIMARY KEY)")
        .execute(&mut first)
        .await
        .unwrap();
    sqlx::query("INSERT INTO only_in_first (id) VALUES (1)")
        .execute(&mut first)
        .await
        .unwrap();
    assert!(has_table(&mut first, "only_in_first").await);
    assert!(!has_table(&mut second, "only_in_first").await);

    first.close().await.unwrap();
    second.close().await.unwrap();
}
