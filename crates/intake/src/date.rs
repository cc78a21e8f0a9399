//! Dates as invoices write them: `YYYY-MM-DD` (an XML date may carry a time zone, ignored).

use chrono::NaiveDate;

use crate::echo::echo;

/// Parses exactly `YYYY-MM-DD`.
pub(crate) fn parse(text: &str) -> Result<NaiveDate, String> {
    let trimmed = text.trim();
    let well_formed = trimmed.len() == 10
        && trimmed.bytes().enumerate().all(|(i, b)| {
            if i == 4 || i == 7 {
                b == b'-'
            } else {
                b.is_ascii_digit()
            }
        });
    if !well_formed {
        return Err(format!(
            "expected a date like \"2024-03-01\" (YYYY-MM-DD), got {}",
            echo(text)
        ));
    }
    NaiveDate::parse_from_str(trimmed, "%Y-%m-%d")
        .map_err(|_| format!("{} is not a calendar date", echo(text)))
}

/// Parses an xsd:date: `YYYY-MM-DD`, optionally followed by `Z` or `+hh:mm` / `-hh:mm`.
pub(crate) fn parse_xsd(text: &str) -> Result<NaiveDate, String> {
    let trimmed = text.trim();
    let zone = trimmed.get(10..).unwrap_or("");
    let zone_ok = zone.is_empty()
        || zone == "Z"
        || (zone.len() == 6 && zone.starts_with(['+', '-']) && zone.as_bytes()[3] == b':');
    match trimmed.get(..10) {
        Some(date) if zone_ok => parse(date),
        _ => parse(text),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_iso_dates_only() {
        let day = NaiveDate::from_ymd_opt(2024, 3, 1).unwrap();
        assert_eq!(parse("2024-03-01"), Ok(day));
        assert_eq!(parse(" 2024-03-01 "), Ok(day));
        assert_eq!(
            parse("01-03-2024"),
            Err("expected a date like \"2024-03-01\" (YYYY-MM-DD), got \"01-03-2024\"".to_owned())
        );
        assert_eq!(
            parse("2024-02-30"),
            Err("\"2024-02-30\" is not a calendar date".to_owned())
        );
        assert!(parse("2024-3-1").is_err());
        assert_eq!(parse_xsd("2024-03-01+01:00"), Ok(day));
        assert_eq!(parse_xsd("2024-03-01Z"), Ok(day));
        assert!(parse_xsd("2024-03-01T10:00:00").is_err());
        assert!(parse_xsd("2024-02-30Z").is_err());
    }
}
