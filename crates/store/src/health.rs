//! Health of the database file: SQLite's integrity check and the durability settings in force.

use sqlx::SqliteConnection;

use crate::error::db;
use crate::{Store, StoreError};

/// Durability settings read back from one connection.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Durability {
    /// `PRAGMA journal_mode`: "wal" when healthy.
    pub journal_mode: String,
    /// `PRAGMA synchronous` spelled out: "off", "normal", "full" (expected) or "extra".
    pub synchronous: String,
    /// `PRAGMA foreign_keys`.
    pub foreign_keys: bool,
}

impl Store {
    /// Runs `PRAGMA integrity_check` and tells whether SQLite answered "ok". Reads the whole
    /// file: for startup, crash tests and operators, not per request.
    pub async fn integrity_check(&self) -> Result<bool, StoreError> {
        let rows: Vec<String> = sqlx::query_scalar("PRAGMA integrity_check")
            .fetch_all(self.reader())
            .await
            .map_err(db("checking the database's integrity"))?;
        Ok(rows.len() == 1 && rows[0] == "ok")
    }

    /// The durability settings of the writer connection and of a reader connection, in that
    /// order, as SQLite reports them.
    pub async fn durability(&self) -> Result<[Durability; 2], StoreError> {
        let action = "reading connection settings";
        let mut writer = self.writer().acquire().await.map_err(db(action))?;
        let writer = read_settings(&mut writer).await?;
        let mut reader = self.reader().acquire().await.map_err(db(action))?;
        let reader = read_settings(&mut reader).await?;
        Ok([writer, reader])
    }
}

async fn read_settings(conn: &mut SqliteConnection) -> Result<Durability, StoreError> {
    let action = "reading connection settings";
    let journal_mode: String = sqlx::query_scalar("PRAGMA journal_mode")
        .fetch_one(&mut *conn)
        .await
        .map_err(db(action))?;
    let synchronous: i64 = sqlx::query_scalar("PRAGMA synchronous")
        .fetch_one(&mut *conn)
        .await
        .map_err(db(action))?;
    let foreign_keys: i64 = sqlx::query_scalar("PRAGMA foreign_keys")
        .fetch_one(&mut *conn)
        .await
        .map_err(db(action))?;
    let synchronous = match synchronous {
        0 => "off",
        1 => "normal",
        2 => "full",
        3 => "extra",
        _ => "unknown",
    };
    Ok(Durability {
        journal_mode: journal_mode.to_lowercase(),
        synchronous: synchronous.to_owned(),
        foreign_keys: foreign_keys == 1,
    })
}
