//! The wall clock, read in one place: today's date (UTC) and the time in unix milliseconds; and
//! the length of a day in them, for windows of days.

use std::time::{SystemTime, UNIX_EPOCH};

use chrono::{Days, NaiveDate};

/// Milliseconds in a day.
pub const DAY_MS: i64 = 86_400_000;

/// Today (UTC) and now in unix milliseconds.
pub fn now() -> (NaiveDate, i64) {
    let ms = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as i64);
    let epoch = NaiveDate::from_ymd_opt(1970, 1, 1).expect("a valid date");
    let today = epoch
        .checked_add_days(Days::new((ms / DAY_MS) as u64))
        .unwrap_or(epoch);
    (today, ms)
}
