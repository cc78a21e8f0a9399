//! Test support: a new SQLite store, and SQLite's query plan of a statement, so that tests can
//! check that the hot reads use the indexes and keys they were written for.

use sqlx::AssertSqlSafe;

use crate::Store;

/// A new SQLite store, migrated, in a temporary directory that lives as long as the first half.
pub(crate) async fn new_sqlite_store() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path().join("k.db").to_str().unwrap())
        .await
        .unwrap();
    (dir, store)
}

/// SQLite's plan for `sql` on `store` (an SQLite store), one line a step, with `binds` bound in
/// order as text (a plan does not depend on the values).
pub(crate) async fn sqlite_plan(store: &Store, sql: &str, binds: &[&str]) -> String {
    let mut query = sqlx::query_as(AssertSqlSafe(format!("EXPLAIN QUERY PLAN {sql}")));
    for b in binds {
        query = query.bind(*b);
    }
    let rows: Vec<(i64, i64, i64, String)> = query.fetch_all(store.reader()).await.unwrap();
    rows.into_iter()
        .map(|(.., step)| step)
        .collect::<Vec<_>>()
        .join("\n")
}
