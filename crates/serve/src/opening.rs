//! The year opening: in each calendar year (UTC) an area posts nothing automatically until
//! controllers have reviewed `trust.year_opening_reviews` of its invoices received that year.
//!
//! A model learns from earlier years, and a new financial year is when a municipality changes
//! its chart and how its codes are used (re-purposed accounts, reorganised units). Nothing the
//! model learned says whether that happened; the year's first reviews do, and by the time they
//! are in, the held codes ([`crate::holds`]) and the supplier × unit corrections
//! ([`crate::corrections`]) have judged them. Until then every invoice of the area goes to review
//! with the reason `year_opening`. The opening is stored once per area and year, after the review
//! that completes the count, and served by every instance from their next refresh.
//!
//! Only `now_ms` is read as the time, so a replay opens areas exactly as the service would.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Datelike, NaiveDate};
use kontera_core::screen::{Finding, Reason};
use kontera_store::{StoreError, StoredReview, YearOpening};

use crate::config::Config;
use crate::state::{AppState, AreaSettings};

/// Each area's years whose automation has opened, as the store holds them.
pub type Opened = BTreeMap<String, BTreeSet<i32>>;

/// Whether `area` waits, at `now_ms`, for its year's first reviews: `needed` reviews are asked
/// for (`trust.year_opening_reviews`; 0: never wait) and it has not `opened` for that year.
pub fn waits(needed: u64, opened: &Opened, area: &str, now_ms: i64) -> bool {
    needed > 0
        && !opened
            .get(area)
            .is_some_and(|years| years.contains(&year_of(now_ms)))
}

/// The calendar year (UTC) of unix ms `ms`.
pub fn year_of(ms: i64) -> i32 {
    DateTime::from_timestamp_millis(ms).map_or(1970, |t| t.year())
}

/// 1 January of `year`, 00:00 UTC, in unix ms.
pub fn year_start_ms(year: i32) -> i64 {
    NaiveDate::from_ymd_opt(year, 1, 1)
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map_or(0, |t| t.and_utc().timestamp_millis())
}

/// The reason an invoice of `area` decided at `now_ms` goes to review while the area waits for
/// the year's first reviews; `None` when the area has opened for the year or the wait is off.
pub fn finding(
    config: &Config,
    settings: &AreaSettings,
    area: &str,
    now_ms: i64,
) -> Option<Finding> {
    let needed = config.trust.year_opening_reviews;
    if !waits(needed, &settings.opened, area, now_ms) {
        return None;
    }
    let year = year_of(now_ms);
    Some(Finding::new(
        Reason::YearOpening,
        format!(
            "Automation for {area} opens for {year} once controllers have reviewed {needed} of \
             its invoices received this year: a new year can change the chart and how its codes \
             are used, and those reviews show whether the suggestions still hold."
        ),
    ))
}

/// Opens, at `now_ms`, each area of the just-stored `reviews` that has not opened for the year
/// and now has enough reviews of the year's invoices; the openings stored.
pub async fn after_reviews(
    state: &AppState,
    reviews: &[StoredReview],
    now_ms: i64,
) -> Result<Vec<YearOpening>, StoreError> {
    let needed = state.config.trust.year_opening_reviews;
    if needed == 0 {
        return Ok(Vec::new());
    }
    let year = year_of(now_ms);
    let waiting: BTreeSet<&str> = {
        let settings = state.area_settings();
        reviews
            .iter()
            .filter_map(|r| r.area.as_deref())
            .filter(|a| waits(needed, &settings.opened, a, now_ms))
            .collect()
    };
    let mut opened = Vec::new();
    for area in waiting {
        let reviews = state
            .store
            .year_reviews(area, year_start_ms(year), needed)
            .await?;
        if reviews < needed {
            continue;
        }
        let opening = YearOpening {
            area: area.to_owned(),
            year,
            opened_at: now_ms,
            reviews,
        };
        if state.store.record_year_opening(&opening).await? {
            tracing::info!(
                area,
                year,
                reviews,
                "automation for {area} opened for {year} after {reviews} reviews of the year's \
                 invoices"
            );
            opened.push(opening);
        }
    }
    if !opened.is_empty() {
        state.refresh_areas().await?;
    }
    Ok(opened)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn years_begin_at_midnight_utc() {
        let start = year_start_ms(2026);
        assert_eq!(start, 1_767_225_600_000);
        assert_eq!(year_of(start), 2026);
        assert_eq!(year_of(start - 1), 2025);
        assert_eq!(year_of(year_start_ms(2027) - 1), 2026);
    }

    #[test]
    fn an_area_waits_until_it_opened_for_the_year_and_never_when_off() {
        let mut config = Config::default();
        let mut settings = AreaSettings::default();
        let jan = year_start_ms(2026) + 3_600_000;
        let f = finding(&config, &settings, "schools", jan).expect("waits");
        assert_eq!(f.reason, Reason::YearOpening);
        assert!(f.message.contains("opens for 2026"), "{}", f.message);
        assert!(f.message.contains("reviewed 20 of"), "{}", f.message);
        settings
            .opened
            .insert("schools".to_owned(), BTreeSet::from([2026]));
        assert_eq!(finding(&config, &settings, "schools", jan), None);
        // Another area, and the same area the next year, wait again.
        assert!(finding(&config, &settings, "daycare", jan).is_some());
        assert!(finding(&config, &settings, "schools", year_start_ms(2027)).is_some());
        config.trust.year_opening_reviews = 0;
        assert_eq!(finding(&config, &settings, "daycare", jan), None);
    }
}
