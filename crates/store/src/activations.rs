//! Model activations: who made which model version active, when, and on what report; the latest
//! one is active.

use sqlx::any::AnyRow;

use crate::codec::Cell;
use crate::error::db;
use crate::{Store, StoreError};

const INSERT: &str = "INSERT INTO model_activations \
     (version, checksum, activated_by, activated_at, note, report) \
     VALUES ($1, $2, $3, $4, $5, $6)";

const ALL: &str = "SELECT version, checksum, activated_by, activated_at, note, report \
     FROM model_activations ORDER BY activated_at, id";

const LATEST: &str = "SELECT version, checksum, activated_by, activated_at, note, report \
     FROM model_activations ORDER BY activated_at DESC, id DESC LIMIT 1";

/// One activation of a model version.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Activation {
    /// The model version activated.
    pub version: String,
    /// The SHA-256 (hex) of its `model.bin` as the activating instance or command loaded it;
    /// `None` for activations recorded before checksums were.
    pub checksum: Option<String>,
    /// Who activated it.
    pub activated_by: String,
    /// When, unix ms.
    pub activated_at: i64,
    /// Why, if given.
    pub note: Option<String>,
    /// The comparison report it rests on (path, checksum, verdict), if given.
    pub report: Option<String>,
}

impl Store {
    /// Records that `version`, whose `model.bin` has the SHA-256 `checksum` (hex), became the
    /// active model. Every instance on this database follows the latest activation, and serves
    /// it only from a file with that checksum.
    pub async fn record_activation(
        &self,
        version: &str,
        checksum: &str,
        by: &str,
        at: i64,
        note: Option<&str>,
        report: Option<&str>,
    ) -> Result<(), StoreError> {
        sqlx::query(INSERT)
            .bind(version)
            .bind(checksum)
            .bind(by)
            .bind(at)
            .bind(note)
            .bind(report)
            .execute(self.writer())
            .await
            .map_err(db("recording a model activation"))?;
        Ok(())
    }

    /// Every activation, oldest first (by time, then by the order they were recorded); the last
    /// is the active model.
    pub async fn activations(&self) -> Result<Vec<Activation>, StoreError> {
        let rows = sqlx::query(ALL)
            .fetch_all(self.reader())
            .await
            .map_err(db("reading model activations"))?;
        rows.iter().map(from_row).collect()
    }

    /// The latest activation — the active model — if any model was ever activated.
    pub async fn active_model(&self) -> Result<Option<Activation>, StoreError> {
        let row = sqlx::query(LATEST)
            .fetch_optional(self.reader())
            .await
            .map_err(db("reading the active model"))?;
        row.as_ref().map(from_row).transpose()
    }
}

impl Store {
    /// The version to roll back to from `current`: the latest activated version other than it.
    pub async fn rollback_target(&self, current: &str) -> Result<Option<String>, StoreError> {
        Ok(self
            .activations()
            .await?
            .into_iter()
            .rev()
            .map(|a| a.version)
            .find(|v| v != current))
    }
}

fn from_row(row: &AnyRow) -> Result<Activation, StoreError> {
    let raw: String = sqlx::Row::try_get(row, "version").unwrap_or_default();
    let id = || format!("activation of {raw:?}");
    let c = Cell {
        row,
        table: "model_activations",
        id: &id,
    };
    Ok(Activation {
        version: c.get("version")?,
        checksum: c.get("checksum")?,
        activated_by: c.get("activated_by")?,
        activated_at: c.get("activated_at")?,
        note: c.get("note")?,
        report: c.get("report")?,
    })
}
