//! Chart-of-accounts updates: the file as loaded, who loaded it and when; the latest one is in
//! force. The store keeps the text; what it means is the service's business.

use sqlx::any::AnyRow;

use crate::codec::Cell;
use crate::error::db;
use crate::{Store, StoreError};

const INSERT: &str = "INSERT INTO chart_updates (body, sha256, loaded_by, loaded_at, note) \
     VALUES ($1, $2, $3, $4, $5) RETURNING id";

const LATEST: &str = "SELECT id, body, sha256, loaded_by, loaded_at, note FROM chart_updates \
     ORDER BY loaded_at DESC, id DESC LIMIT 1";

const LATEST_ID: &str = "SELECT id FROM chart_updates ORDER BY loaded_at DESC, id DESC LIMIT 1";

const LOG: &str = "SELECT id, '' AS body, sha256, loaded_by, loaded_at, note FROM chart_updates \
     ORDER BY loaded_at, id";

const SEEN: &str = "SELECT 1 FROM chart_updates WHERE sha256 = $1 LIMIT 1";

/// One loaded chart update.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChartUpdateRecord {
    /// Its id; a later load has a larger one.
    pub id: i64,
    /// The file as loaded (empty in [`Store::chart_update_log`]).
    pub body: String,
    /// SHA-256 of `body`, hex.
    pub sha256: String,
    /// Who loaded it: a user's name, or `config` for the configuration's file.
    pub loaded_by: String,
    /// When, unix ms.
    pub loaded_at: i64,
    /// Where it came from or why, if given.
    pub note: Option<String>,
}

impl Store {
    /// Records a chart update; from now on it is the one in force. Returns its id.
    pub async fn record_chart_update(
        &self,
        body: &str,
        sha256: &str,
        by: &str,
        at: i64,
        note: Option<&str>,
    ) -> Result<i64, StoreError> {
        let id: i64 = sqlx::query_scalar(INSERT)
            .bind(body)
            .bind(sha256)
            .bind(by)
            .bind(at)
            .bind(note)
            .fetch_one(self.writer())
            .await
            .map_err(db("recording a chart update"))?;
        Ok(id)
    }

    /// The update in force — the latest loaded — if any was ever loaded.
    pub async fn chart_update(&self) -> Result<Option<ChartUpdateRecord>, StoreError> {
        let row = sqlx::query(LATEST)
            .fetch_optional(self.reader())
            .await
            .map_err(db("reading the chart update"))?;
        row.as_ref().map(from_row).transpose()
    }

    /// The id of the update in force, cheaply, to notice a new one.
    pub async fn chart_update_id(&self) -> Result<Option<i64>, StoreError> {
        sqlx::query_scalar(LATEST_ID)
            .fetch_optional(self.reader())
            .await
            .map_err(db("reading the chart update"))
    }

    /// Every update loaded, oldest first, without the files' text.
    pub async fn chart_update_log(&self) -> Result<Vec<ChartUpdateRecord>, StoreError> {
        let rows = sqlx::query(LOG)
            .fetch_all(self.reader())
            .await
            .map_err(db("reading the chart updates"))?;
        rows.iter().map(from_row).collect()
    }

    /// Whether a file with this SHA-256 was ever loaded.
    pub async fn chart_update_seen(&self, sha256: &str) -> Result<bool, StoreError> {
        let row: Option<i64> = sqlx::query_scalar(SEEN)
            .bind(sha256)
            .fetch_optional(self.reader())
            .await
            .map_err(db("reading the chart updates"))?;
        Ok(row.is_some())
    }
}

fn from_row(row: &AnyRow) -> Result<ChartUpdateRecord, StoreError> {
    let raw: i64 = sqlx::Row::try_get(row, "id").unwrap_or_default();
    let id = || format!("chart update {raw}");
    let c = Cell {
        row,
        table: "chart_updates",
        id: &id,
    };
    Ok(ChartUpdateRecord {
        id: c.get("id")?,
        body: c.get("body")?,
        sha256: c.get("sha256")?,
        loaded_by: c.get("loaded_by")?,
        loaded_at: c.get("loaded_at")?,
        note: c.get("note")?,
    })
}
