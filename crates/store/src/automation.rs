//! Per-area automation pauses: the current state per area and the history of every change.

use sqlx::any::AnyRow;

use crate::codec::{Cell, flag};
use crate::error::db;
use crate::{Store, StoreError};

const UPSERT: &str = "INSERT INTO area_automation (area, paused, changed_by, reason, changed_at) \
     VALUES ($1, $2, $3, $4, $5) \
     ON CONFLICT (area) DO UPDATE SET paused = excluded.paused, changed_by = excluded.changed_by, \
     reason = excluded.reason, changed_at = excluded.changed_at";

const LOG: &str = "INSERT INTO area_automation_history (area, paused, changed_by, reason, changed_at) \
     VALUES ($1, $2, $3, $4, $5)";

const CURRENT: &str =
    "SELECT area, paused, changed_by, reason, changed_at FROM area_automation ORDER BY area";

const HISTORY: &str = "SELECT area, paused, changed_by, reason, changed_at \
     FROM area_automation_history WHERE area = $1 ORDER BY changed_at, id";

/// An area's automation state, or one change of it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AreaAutomation {
    /// The area.
    pub area: String,
    /// Automation is paused: every invoice of the area goes to review.
    pub paused: bool,
    /// Who changed it.
    pub changed_by: String,
    /// Why, if given.
    pub reason: Option<String>,
    /// When, unix ms.
    pub changed_at: i64,
}

impl Store {
    /// Pauses (`paused = true`) or resumes automation for an area and logs the change, in one
    /// transaction. Durable when it returns, so the next request reads the new state; a service
    /// that caches [`Store::automation`] refreshes its cache after calling this.
    pub async fn set_automation(
        &self,
        area: &str,
        paused: bool,
        by: &str,
        reason: Option<&str>,
        at: i64,
    ) -> Result<AreaAutomation, StoreError> {
        let mut tx = self.begin_write().await?;
        for sql in [UPSERT, LOG] {
            sqlx::query(sql)
                .bind(area)
                .bind(flag(paused))
                .bind(by)
                .bind(reason)
                .bind(at)
                .execute(&mut *tx)
                .await
                .map_err(db("changing an area's automation"))?;
        }
        tx.commit()
            .await
            .map_err(db("changing an area's automation"))?;
        Ok(AreaAutomation {
            area: area.to_owned(),
            paused,
            changed_by: by.to_owned(),
            reason: reason.map(str::to_owned),
            changed_at: at,
        })
    }

    /// Every area that has ever been paused or resumed, with its current state, by area name.
    /// One small indexed read; cheap enough to call per request.
    pub async fn automation(&self) -> Result<Vec<AreaAutomation>, StoreError> {
        let rows = sqlx::query(CURRENT)
            .fetch_all(self.reader())
            .await
            .map_err(db("reading area automation"))?;
        rows.iter()
            .map(|r| from_row(r, "area_automation"))
            .collect()
    }

    /// Every pause and resume of an area, oldest first.
    pub async fn automation_history(&self, area: &str) -> Result<Vec<AreaAutomation>, StoreError> {
        let rows = sqlx::query(HISTORY)
            .bind(area)
            .fetch_all(self.reader())
            .await
            .map_err(db("reading area automation history"))?;
        rows.iter()
            .map(|r| from_row(r, "area_automation_history"))
            .collect()
    }
}

fn from_row(row: &AnyRow, table: &'static str) -> Result<AreaAutomation, StoreError> {
    let raw_area: String = sqlx::Row::try_get(row, "area").unwrap_or_default();
    let id = || format!("area {raw_area:?}");
    let c = Cell {
        row,
        table,
        id: &id,
    };
    Ok(AreaAutomation {
        area: c.get("area")?,
        paused: c.flag("paused")?,
        changed_by: c.get("changed_by")?,
        reason: c.get("reason")?,
        changed_at: c.get("changed_at")?,
    })
}
