//! [`DateFormats`]: the chrono formats an export's dates are written in, tried in order.

use std::fmt::Write;

use chrono::NaiveDate;
use chrono::format::{Item, StrftimeItems};

/// One or several chrono `strftime` formats, e.g. `%Y-%m-%d`, `%d/%m/%Y`, `%d-%b-%y`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateFormats {
    formats: Vec<String>,
}

impl DateFormats {
    /// Checks that there is at least one format and that each is a valid chrono format that
    /// writes and reads back a whole date. The error says which format is wrong and why.
    pub fn new(formats: Vec<String>) -> Result<Self, String> {
        if formats.is_empty() {
            return Err("list at least one date format, e.g. formats = [\"%Y-%m-%d\"]".into());
        }
        for format in &formats {
            check(format)?;
        }
        Ok(DateFormats { formats })
    }

    /// The formats, in the order they are tried.
    pub fn formats(&self) -> &[String] {
        &self.formats
    }

    /// The first format that reads the whole (trimmed) text wins; `None` if none does.
    pub fn parse(&self, raw: &str) -> Option<NaiveDate> {
        let raw = raw.trim();
        self.formats
            .iter()
            .find_map(|f| NaiveDate::parse_from_str(raw, f).ok())
    }
}

fn check(format: &str) -> Result<(), String> {
    if StrftimeItems::new(format).any(|item| matches!(item, Item::Error)) {
        return Err(format!(
            "date format `{format}` is not a valid chrono format (see chrono's strftime docs)"
        ));
    }
    // Written as a date-time so that formats with a time of day (`%Y-%m-%d %H:%M`) work;
    // a format that still cannot be written (e.g. `%z`) is an error, not a panic.
    let probe = NaiveDate::from_ymd_opt(2024, 11, 28).ok_or("no probe date")?;
    let mut written = String::new();
    let wrote = probe
        .and_hms_opt(0, 0, 0)
        .map(|t| write!(written, "{}", t.format(format)).is_ok());
    match NaiveDate::parse_from_str(&written, format) {
        Ok(read) if wrote == Some(true) && read == probe => Ok(()),
        _ => Err(format!(
            "date format `{format}` does not give a whole date (it needs a year, a month and a \
             day, e.g. `%d/%m/%Y`)"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(y, m, d)
    }

    #[test]
    fn several_formats_are_tried_in_order() {
        let formats = ["%Y-%m-%d", "%d/%m/%Y", "%d-%b-%y", "%d.%m.%Y"];
        let f = DateFormats::new(formats.map(String::from).to_vec()).unwrap();
        assert_eq!(f.parse("2019-03-25"), date(2019, 3, 25));
        assert_eq!(f.parse(" 25/03/2019 "), date(2019, 3, 25));
        assert_eq!(f.parse("25-Mar-19"), date(2019, 3, 25));
        assert_eq!(f.parse("25-MAR-19"), date(2019, 3, 25));
        assert_eq!(f.parse("25.03.2019"), date(2019, 3, 25));
        assert_eq!(f.parse("2019-02-29"), None);
        assert_eq!(f.parse("03/25/2019"), None);
        assert_eq!(f.parse("yesterday"), None);
        assert_eq!(f.parse(""), None);
    }

    #[test]
    fn bad_formats_are_rejected() {
        assert!(DateFormats::new(vec![]).is_err());
        let err = DateFormats::new(vec!["%Q-%m".into()]).unwrap_err();
        assert!(
            err.contains("`%Q-%m` is not a valid chrono format"),
            "{err}"
        );
        let err = DateFormats::new(vec!["%H:%M".into()]).unwrap_err();
        assert!(err.contains("does not give a whole date"), "{err}");
        assert!(DateFormats::new(vec!["%Y-%m-%d %z".into()]).is_err());
        assert!(DateFormats::new(vec!["%Y-%m-%d %H:%M:%S".into()]).is_ok());
    }
}
