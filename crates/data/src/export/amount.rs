//! [`AmountFormat`]: how an export writes money, and parsing it into an exact `Decimal`.

use std::str::FromStr;

use rust_decimal::Decimal;

/// Currency marks stripped from either end of an amount (ASCII ones in any case). Longer marks
/// come first so that `kr.` is not read as `kr` followed by a stray `.`.
const CURRENCY_MARKS: [&str; 13] = [
    "kr.", "kr", "dkk", "sek", "nok", "gbp", "eur", "usd", "chf", "£", "€", "$", "¥",
];

/// The decimal separator and the optional thousands separator of an export's amounts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AmountFormat {
    decimal: char,
    thousands: Option<char>,
}

impl AmountFormat {
    /// `decimal` is `.` or `,`; `thousands`, if any, is `,`, `.`, `'` or a space and differs
    /// from `decimal`. The error says what is wrong.
    pub fn new(decimal: char, thousands: Option<char>) -> Result<Self, String> {
        if decimal != '.' && decimal != ',' {
            return Err(format!("decimal separator `{decimal}` must be `.` or `,`"));
        }
        if let Some(t) = thousands {
            if t == decimal {
                return Err(format!(
                    "thousands separator `{t}` is also the decimal separator; use another or none"
                ));
            }
            if !matches!(t, ',' | '.' | '\'' | ' ') {
                return Err(format!(
                    "thousands separator `{t}` must be `,`, `.`, `'` or a space"
                ));
            }
        }
        Ok(AmountFormat { decimal, thousands })
    }

    /// Parses an amount such as `1,234.50`, `£1,234.50`, `kr 1.234,50`, `(12.00)` or `12.00-`.
    ///
    /// Currency marks and whitespace are stripped; parentheses, a leading or a trailing minus
    /// make it negative (only one of them). Digit groups between thousands separators must have
    /// three digits. Amounts with fewer than two decimals get two (`912` → `912.00`); more are
    /// kept exactly. `None` if the text is not an amount in this format, or is too large
    /// to carry two decimals.
    pub fn parse(&self, raw: &str) -> Option<Decimal> {
        let (number, negative) = strip_marks(raw)?;
        let digits: String = number.chars().filter(|c| !c.is_whitespace()).collect();
        let (int, frac) = match digits.split_once(self.decimal) {
            Some((int, frac)) => (int, Some(frac)),
            None => (digits.as_str(), None),
        };
        let int = self.ungroup(int)?;
        let frac = match frac {
            Some(f) if f.is_empty() || !f.bytes().all(|b| b.is_ascii_digit()) => return None,
            Some(f) => f,
            None => "",
        };
        if int.is_empty() && frac.is_empty() {
            return None;
        }
        let int = if int.is_empty() { "0" } else { int.as_str() };
        let text = if frac.is_empty() {
            int.to_owned()
        } else {
            format!("{int}.{frac}")
        };
        let mut value = Decimal::from_str(&text).ok()?;
        if value.scale() < 2 {
            value.rescale(2);
            // `rescale` keeps a smaller scale when the digits would not fit: an amount that
            // large (about 8 × 10^26 and more) cannot carry two decimals, so it is not one.
            if value.scale() < 2 {
                return None;
            }
        }
        Some(if negative { -value } else { value })
    }

    /// The integer digits without thousands separators, if the groups are well formed.
    fn ungroup(&self, int: &str) -> Option<String> {
        let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
        match self.thousands {
            Some(t) if t != ' ' && int.contains(t) => {
                let mut groups = int.split(t);
                let first = groups.next()?;
                if first.is_empty() || first.len() > 3 || !all_digits(first) {
                    return None;
                }
                let mut out = first.to_owned();
                for group in groups {
                    if group.len() != 3 || !all_digits(group) {
                        return None;
                    }
                    out.push_str(group);
                }
                Some(out)
            }
            _ => all_digits(int).then(|| int.to_owned()),
        }
    }
}

/// Strips currency marks, whitespace and sign marks from both ends: the bare number and
/// whether it is negative. `None` if it carries more than one sign mark.
fn strip_marks(raw: &str) -> Option<(&str, bool)> {
    let mut s = raw.trim();
    let mut signs = 0;
    loop {
        if let Some(rest) = strip_currency(s) {
            s = rest.trim();
        } else if s.len() >= 2 && s.starts_with('(') && s.ends_with(')') {
            s = s[1..s.len() - 1].trim();
            signs += 1;
        } else if let Some(rest) = s.strip_prefix('-').or_else(|| s.strip_suffix('-')) {
            s = rest.trim();
            signs += 1;
        } else if let Some(rest) = s.strip_prefix('+') {
            s = rest.trim();
        } else {
            break;
        }
    }
    (signs <= 1).then_some((s, signs == 1))
}

fn strip_currency(s: &str) -> Option<&str> {
    CURRENCY_MARKS.iter().find_map(|mark| {
        let n = mark.len();
        if s.len() < n {
            return None;
        }
        if s.get(..n).is_some_and(|p| p.eq_ignore_ascii_case(mark)) {
            return s.get(n..);
        }
        let tail = s.len() - n;
        if s.get(tail..).is_some_and(|p| p.eq_ignore_ascii_case(mark)) {
            return s.get(..tail);
        }
        None
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(format: AmountFormat, raw: &str, expected: Option<&str>) {
        let got = format.parse(raw).map(|d| d.to_string());
        assert_eq!(got.as_deref(), expected, "parsing {raw:?}");
    }

    #[test]
    fn dot_decimal_with_comma_thousands() {
        let f = AmountFormat::new('.', Some(',')).unwrap();
        check(f, "1,234.50", Some("1234.50"));
        check(f, "£1,234.50", Some("1234.50"));
        check(f, " 1234.5 ", Some("1234.50"));
        check(f, "912", Some("912.00"));
        check(f, "(12.00)", Some("-12.00"));
        check(f, "12.00-", Some("-12.00"));
        check(f, "-£12.00", Some("-12.00"));
        check(f, "£-12.00", Some("-12.00"));
        check(f, "GBP 1,000,000.125", Some("1000000.125"));
        check(f, ".5", Some("0.50"));
        check(f, "1 234.50", Some("1234.50"));
    }

    #[test]
    fn comma_decimal_with_dot_thousands() {
        let f = AmountFormat::new(',', Some('.')).unwrap();
        check(f, "1.234,50", Some("1234.50"));
        check(f, "kr 100", Some("100.00"));
        check(f, "kr. 1.234,50", Some("1234.50"));
        check(f, "1.234,50 DKK", Some("1234.50"));
        check(f, "100,00 kr.", Some("100.00"));
        check(f, "-0,5", Some("-0.50"));
        check(f, "1.234.567", Some("1234567.00"));
    }

    #[test]
    fn garbage_is_rejected() {
        let f = AmountFormat::new('.', Some(',')).unwrap();
        for raw in [
            "", "abc", "£", "12.3.4", "1,23.00", "12,3456", "--12", "(12.00)-", "12a", "1.", "-",
            "()", "12 EUR 3",
        ] {
            check(f, raw, None);
        }
        // Without a thousands separator a comma is garbage.
        check(AmountFormat::new('.', None).unwrap(), "1,234.50", None);
        // Too many digits for a Decimal.
        check(f, "123456789012345678901234567890", None);
        // Fits a Decimal, but not with two decimals (found by fuzzing: it came back with none).
        check(f, "9228162514264337593543950335", None);
        check(f, "922816251426433759354395033.5", None);
        check(
            f,
            "92281625142643375935439503",
            Some("92281625142643375935439503.00"),
        );
    }

    #[test]
    fn formats_are_checked() {
        assert!(AmountFormat::new(';', None).is_err());
        assert!(AmountFormat::new(',', Some(',')).is_err());
        assert!(AmountFormat::new('.', Some('x')).is_err());
        assert!(AmountFormat::new(',', Some(' ')).is_ok());
    }
}
