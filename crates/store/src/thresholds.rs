//! Per-area threshold overrides: the current override per area and the history of every change.

use crate::codec::{Cell, Real};
use crate::error::db;
use crate::{Store, StoreError};

const UPSERT: &str = "INSERT INTO area_thresholds (area, threshold, set_by, set_at) \
     VALUES ($1, $2, $3, $4) \
     ON CONFLICT (area) DO UPDATE SET threshold = excluded.threshold, set_by = excluded.set_by, \
     set_at = excluded.set_at";

const REMOVE: &str = "DELETE FROM area_thresholds WHERE area = $1";

const LOG: &str =
    "INSERT INTO area_threshold_history (area, threshold, set_by, set_at) VALUES ($1, $2, $3, $4)";

const CURRENT: &str = "SELECT area, threshold FROM area_thresholds ORDER BY area";

const HISTORY: &str = "SELECT area, threshold, set_by, set_at FROM area_threshold_history \
     WHERE area = $1 ORDER BY set_at, id";

/// One change of an area's threshold override.
#[derive(Clone, Debug, PartialEq)]
pub struct ThresholdChange {
    /// The area.
    pub area: String,
    /// The new override, or `None` when it was removed.
    pub threshold: Option<f64>,
    /// Who changed it.
    pub set_by: String,
    /// When, unix ms.
    pub set_at: i64,
}

impl Store {
    /// Sets an area's threshold override (a probability in (0, 1]) or, with `None`, removes it
    /// so the model's policy applies again; the change is logged in the same transaction.
    pub async fn set_threshold(
        &self,
        area: &str,
        threshold: Option<f64>,
        by: &str,
        at: i64,
    ) -> Result<(), StoreError> {
        if let Some(value) = threshold
            && !(value > 0.0 && value <= 1.0)
        {
            return Err(StoreError::Threshold {
                area: area.to_owned(),
                value,
            });
        }
        let action = "changing an area's threshold";
        let mut tx = self.begin_write().await?;
        match threshold {
            Some(value) => sqlx::query(UPSERT).bind(area).bind(value).bind(by).bind(at),
            None => sqlx::query(REMOVE).bind(area),
        }
        .execute(&mut *tx)
        .await
        .map_err(db(action))?;
        sqlx::query(LOG)
            .bind(area)
            .bind(Real(threshold))
            .bind(by)
            .bind(at)
            .execute(&mut *tx)
            .await
            .map_err(db(action))?;
        tx.commit().await.map_err(db(action))
    }

    /// The current overrides, `(area, threshold)` by area name.
    pub async fn thresholds(&self) -> Result<Vec<(String, f64)>, StoreError> {
        let rows = sqlx::query(CURRENT)
            .fetch_all(self.reader())
            .await
            .map_err(db("reading area thresholds"))?;
        rows.iter()
            .map(|row| {
                let raw_area: String = sqlx::Row::try_get(row, "area").unwrap_or_default();
                let id = || format!("area {raw_area:?}");
                let c = Cell {
                    row,
                    table: "area_thresholds",
                    id: &id,
                };
                Ok((c.get("area")?, c.get("threshold")?))
            })
            .collect()
    }

    /// Every change of an area's override, oldest first.
    pub async fn threshold_history(&self, area: &str) -> Result<Vec<ThresholdChange>, StoreError> {
        let rows = sqlx::query(HISTORY)
            .bind(area)
            .fetch_all(self.reader())
            .await
            .map_err(db("reading area threshold history"))?;
        rows.iter()
            .map(|row| {
                let id = || format!("area {area:?}");
                let c = Cell {
                    row,
                    table: "area_threshold_history",
                    id: &id,
                };
                Ok(ThresholdChange {
                    area: c.get("area")?,
                    threshold: c.get("threshold")?,
                    set_by: c.get("set_by")?,
                    set_at: c.get("set_at")?,
                })
            })
            .collect()
    }
}
