//! Health of the database: SQLite's integrity check and the durability settings in force, on
//! either engine.

use sqlx::AnyConnection;

use crate::error::db;
use crate::{Engine, Store, StoreError};

/// Durability settings read back from one connection.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Durability {
    /// SQLite's `PRAGMA journal_mode`: "wal" when healthy. PostgreSQL always writes ahead:
    /// "wal" while `fsync` is on, else "off".
    pub journal_mode: String,
    /// SQLite's `PRAGMA synchronous` spelled out: "off", "normal", "full" (expected) or
    /// "extra". PostgreSQL's `synchronous_commit`: "off" when off, else "full" (a commit waits
    /// for its WAL to reach the disk, and the standbys the server is told to wait for).
    pub synchronous: String,
    /// Whether foreign keys are enforced (SQLite's `PRAGMA foreign_keys`; always on PostgreSQL).
    pub foreign_keys: bool,
}

impl Store {
    /// Runs `PRAGMA integrity_check` and tells whether SQLite answered "ok". Reads the whole
    /// file: for startup, crash tests and operators, not per request. PostgreSQL checks its own
    /// pages as it reads them; there this asks only that the server answers.
    pub async fn integrity_check(&self) -> Result<bool, StoreError> {
        if self.engine == Engine::Postgres {
            let one: i64 = sqlx::query_scalar("SELECT CAST(1 AS BIGINT)")
                .fetch_one(self.reader())
                .await
                .map_err(db("checking that the database answers"))?;
            return Ok(one == 1);
        }
        let rows: Vec<String> = sqlx::query_scalar("PRAGMA integrity_check")
            .fetch_all(self.reader())
            .await
            .map_err(db("checking the database's integrity"))?;
        Ok(rows.len() == 1 && rows[0] == "ok")
    }

    /// The durability settings of the writer connection and of a reader connection, in that
    /// order, as the engine reports them.
    pub async fn durability(&self) -> Result<[Durability; 2], StoreError> {
        let action = "reading connection settings";
        let mut writer = self.writer().acquire().await.map_err(db(action))?;
        let writer = read_settings(self.engine, &mut writer).await?;
        let mut reader = self.reader().acquire().await.map_err(db(action))?;
        let reader = read_settings(self.engine, &mut reader).await?;
        Ok([writer, reader])
    }
}

/// One connection's durability settings, as the engine reports them.
pub(crate) async fn read_settings(
    engine: Engine,
    conn: &mut AnyConnection,
) -> Result<Durability, StoreError> {
    let action = "reading connection settings";
    if engine == Engine::Postgres {
        let (fsync, commit): (String, String) = sqlx::query_as(
            "SELECT current_setting('fsync'), current_setting('synchronous_commit')",
        )
        .fetch_one(&mut *conn)
        .await
        .map_err(db(action))?;
        return Ok(Durability {
            journal_mode: if fsync == "on" { "wal" } else { "off" }.to_owned(),
            synchronous: if commit == "off" { "off" } else { "full" }.to_owned(),
            foreign_keys: true,
        });
    }
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
