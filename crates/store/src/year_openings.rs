//! Year openings: in each calendar year an area posts nothing automatically until controllers have
//! reviewed enough of its invoices received that year; the count of those reviews while an area
//! waits, and the opening itself, stored once per area and year.

use sqlx::any::AnyRow;

use crate::codec::Cell;
use crate::error::db;
use crate::{Store, StoreError};

/// Reviews (audit or not) of an area's invoices received from `$2` on, at most `$3` of them. A
/// review is never earlier than its invoice, so `reviewed_at >= $2` narrows the index range
/// without losing one.
const COUNT: &str = "SELECT COUNT(*) AS n FROM (SELECT 1 FROM reviews r \
     JOIN decisions d ON d.decision_id = r.decision_id \
     WHERE r.area = $1 AND r.reviewed_at >= $2 AND d.received_at >= $2 LIMIT $3) AS year_reviews";

const INSERT: &str = "INSERT INTO year_openings (area, year, opened_at, reviews) \
     VALUES ($1, $2, $3, $4) ON CONFLICT (area, year) DO NOTHING";

const ALL: &str = "SELECT area, year, opened_at, reviews FROM year_openings ORDER BY year, area";

/// The moment an area's automation opened for a year.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct YearOpening {
    /// The area.
    pub area: String,
    /// The calendar year (UTC).
    pub year: i32,
    /// When, unix ms.
    pub opened_at: i64,
    /// The reviews of the year's invoices counted then.
    pub reviews: u64,
}

impl Store {
    /// How many of `area`'s invoices received from `since_ms` on controllers have reviewed,
    /// counting no further than `limit`.
    pub async fn year_reviews(
        &self,
        area: &str,
        since_ms: i64,
        limit: u64,
    ) -> Result<u64, StoreError> {
        let row = sqlx::query(COUNT)
            .bind(area)
            .bind(since_ms)
            .bind(i64::try_from(limit).unwrap_or(i64::MAX))
            .fetch_one(self.reader())
            .await
            .map_err(db("counting an area's reviews of the year"))?;
        let n: i64 = sqlx::Row::try_get(&row, "n").map_err(db("counting an area's reviews"))?;
        Ok(u64::try_from(n).unwrap_or(0))
    }

    /// Stores that `opening.area` opened for `opening.year`; an area and year already opened
    /// keep their first opening. Whether this one was stored.
    pub async fn record_year_opening(&self, opening: &YearOpening) -> Result<bool, StoreError> {
        let mut tx = self.begin_write().await?;
        let done = sqlx::query(INSERT)
            .bind(&opening.area)
            .bind(i64::from(opening.year))
            .bind(opening.opened_at)
            .bind(i64::try_from(opening.reviews).unwrap_or(i64::MAX))
            .execute(&mut *tx)
            .await
            .map_err(db("storing an area's year opening"))?;
        tx.commit()
            .await
            .map_err(db("storing an area's year opening"))?;
        Ok(done.rows_affected() == 1)
    }

    /// Every area's opening of every year, by year and area.
    pub async fn year_openings(&self) -> Result<Vec<YearOpening>, StoreError> {
        let rows = sqlx::query(ALL)
            .fetch_all(self.reader())
            .await
            .map_err(db("reading the year openings"))?;
        rows.iter().map(from_row).collect()
    }
}

fn from_row(row: &AnyRow) -> Result<YearOpening, StoreError> {
    let raw_area: String = sqlx::Row::try_get(row, "area").unwrap_or_default();
    let id = || format!("area {raw_area:?}");
    let c = Cell {
        row,
        table: "year_openings",
        id: &id,
    };
    let year: i64 = c.get("year")?;
    let reviews: i64 = c.get("reviews")?;
    Ok(YearOpening {
        area: c.get("area")?,
        year: i32::try_from(year).unwrap_or(i32::MAX),
        opened_at: c.get("opened_at")?,
        reviews: u64::try_from(reviews).unwrap_or(0),
    })
}
