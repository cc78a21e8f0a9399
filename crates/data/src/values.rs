//! Scalar conversions between the row types' values and polars' physical representations.

use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;

/// `NaiveDate::num_days_from_ce` of 1970-01-01, polars' day zero.
const UNIX_EPOCH_FROM_CE: i32 = 719_163;

/// Days since 1970-01-01, polars' physical `Date` value.
pub fn date_to_days(date: NaiveDate) -> i32 {
    date.num_days_from_ce() - UNIX_EPOCH_FROM_CE
}

/// The date `days` after 1970-01-01, if chrono can represent it.
pub fn days_to_date(days: i32) -> Option<NaiveDate> {
    NaiveDate::from_num_days_from_ce_opt(days.checked_add(UNIX_EPOCH_FROM_CE)?)
}

/// `value` as an integer count of `10^-scale` units, exactly, or `None` if that would drop
/// non-zero digits (e.g. `1.005` at scale 2) or give more units than [`units_to_decimal`] can
/// turn back into a `Decimal` (a 96-bit mantissa: about 28 digits including the decimals).
pub fn decimal_to_units(value: Decimal, scale: u32) -> Option<i128> {
    let value = if value.scale() > scale {
        value.normalize()
    } else {
        value
    };
    if value.scale() > scale {
        return None;
    }
    let units = value
        .mantissa()
        .checked_mul(10_i128.checked_pow(scale - value.scale())?)?;
    units_to_decimal(units, scale).map(|_| units)
}

/// The decimal `units × 10^-scale`, or `None` if it is beyond `rust_decimal`'s 96-bit range.
pub fn units_to_decimal(units: i128, scale: u32) -> Option<Decimal> {
    Decimal::try_from_i128_with_scale(units, scale).ok()
}

/// Parses an ISO `YYYY-MM-DD` date.
pub fn parse_date(text: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()
}

/// Parses a decimal written with `.` (no exponent, no thousands separator).
pub fn parse_decimal(text: &str) -> Option<Decimal> {
    let plain = text
        .strip_prefix('-')
        .unwrap_or(text)
        .bytes()
        .all(|b| b.is_ascii_digit() || b == b'.');
    if !plain || text.is_empty() {
        return None;
    }
    Decimal::from_str_exact(text).ok()
}

/// Parses `true` or `false`.
pub fn parse_flag(text: &str) -> Option<bool> {
    match text {
        "true" => Some(true),
        "false" => Some(false),
        _ => None,
    }
}

/// Parses a non-negative integer.
pub fn parse_count(text: &str) -> Option<u32> {
    if text.bytes().all(|b| b.is_ascii_digit()) {
        text.parse().ok()
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dec(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    #[test]
    fn dates_map_to_polars_days() {
        let epoch = NaiveDate::from_ymd_opt(1970, 1, 1).unwrap();
        assert_eq!(date_to_days(epoch), 0);
        let d = NaiveDate::from_ymd_opt(2024, 12, 31).unwrap();
        assert_eq!(date_to_days(d), 20088);
        assert_eq!(days_to_date(20088), Some(d));
        assert_eq!(days_to_date(i32::MAX), None);
    }

    #[test]
    fn decimals_rescale_exactly_or_not_at_all() {
        assert_eq!(decimal_to_units(dec("12.5"), 2), Some(1250));
        assert_eq!(decimal_to_units(dec("-3"), 4), Some(-30000));
        assert_eq!(decimal_to_units(dec("1.2300"), 2), Some(123));
        assert_eq!(decimal_to_units(dec("1.005"), 2), None);
        // Fits a Decimal at scale 0 but not with four decimals added.
        assert_eq!(decimal_to_units(Decimal::MAX, 4), None);
        assert_eq!(
            decimal_to_units(Decimal::MAX, 0),
            Some(Decimal::MAX.mantissa())
        );
        assert_eq!(units_to_decimal(1250, 2), Some(dec("12.50")));
        assert_eq!(units_to_decimal(i128::MAX, 2), None);
    }

    #[test]
    fn text_parsers_are_strict() {
        assert_eq!(parse_decimal("-12.50"), Some(dec("-12.5")));
        assert_eq!(parse_decimal("1e3"), None);
        assert_eq!(parse_decimal("1,5"), None);
        assert_eq!(parse_decimal("1_000"), None);
        assert_eq!(parse_decimal(""), None);
        assert_eq!(
            parse_date("2024-02-29"),
            NaiveDate::from_ymd_opt(2024, 2, 29)
        );
        assert_eq!(parse_date("29-02-2024"), None);
        assert_eq!(parse_flag("true"), Some(true));
        assert_eq!(parse_flag("1"), None);
        assert_eq!(parse_count("7"), Some(7));
        assert_eq!(parse_count("+7"), None);
        assert_eq!(parse_count("-1"), None);
    }
}
