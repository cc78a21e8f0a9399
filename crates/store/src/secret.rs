//! Secrets created on first use and kept: the first caller's random value wins, every later call
//! (from any instance on the same database) reads it back.

use sqlx::Row;

use crate::error::db;
use crate::{Store, StoreError};

const INSERT: &str =
    "INSERT INTO secrets (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING";
const READ: &str = "SELECT value FROM secrets WHERE name = $1";

impl Store {
    /// The secret called `name`: 32 random bytes created the first time it is asked for.
    pub async fn secret(&self, name: &str) -> Result<Vec<u8>, StoreError> {
        let mut fresh = [0u8; 32];
        getrandom::fill(&mut fresh).map_err(|e| StoreError::Random {
            name: name.to_owned(),
            message: e.to_string(),
        })?;
        sqlx::query(INSERT)
            .bind(name)
            .bind(&fresh[..])
            .execute(self.writer())
            .await
            .map_err(db("creating a secret"))?;
        let row = sqlx::query(READ)
            .bind(name)
            .fetch_one(self.writer())
            .await
            .map_err(db("reading a secret"))?;
        row.try_get::<Vec<u8>, _>("value")
            .map_err(db("reading a secret"))
    }
}

#[cfg(test)]
mod tests {
    #[tokio::test]
    async fn a_secret_is_created_once_and_kept() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("k.db");
        let store = crate::Store::open(path.to_str().unwrap()).await.unwrap();
        let first = store.secret("audit_salt").await.unwrap();
        assert_eq!(first.len(), 32);
        assert_eq!(store.secret("audit_salt").await.unwrap(), first);
        assert_ne!(store.secret("other").await.unwrap(), first);
        store.close().await;
        let reopened = crate::Store::open(path.to_str().unwrap()).await.unwrap();
        assert_eq!(reopened.secret("audit_salt").await.unwrap(), first);
    }
}
