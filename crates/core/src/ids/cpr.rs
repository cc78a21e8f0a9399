//! Detection and masking of CPR numbers (Danish personal ids) in free text.
//!
//! A CPR number is written `DDMMYY-XXXX` or as ten consecutive digits `DDMMYYXXXX`; the first six
//! digits are a calendar date. The modulus-11 check is not applied: numbers issued since 2007 need
//! not pass it. Matches are never part of a longer run of digits, so a 12-digit account number or
//! a GLN is not taken for a CPR number. Nothing here keeps, logs or returns the digits found.

use std::borrow::Cow;
use std::ops::Range;

use chrono::NaiveDate;

/// What [`mask`] writes in place of each CPR number.
pub const MASK: &str = "XXXXXX-XXXX";

/// The byte ranges of CPR-looking numbers in `text`, in order.
pub fn find(text: &str) -> impl Iterator<Item = Range<usize>> {
    Matches {
        bytes: text.as_bytes(),
        pos: 0,
    }
}

/// Whether `text` contains anything that looks like a CPR number.
pub fn contains(text: &str) -> bool {
    find(text).next().is_some()
}

/// `text` with every CPR-looking number replaced by [`MASK`]; borrowed when there is none.
pub fn mask(text: &str) -> Cow<'_, str> {
    // A CPR number has ten digits: a text with fewer has none (a count the compiler vectorises,
    // cheaper than looking for matches; most key parts and line texts are short).
    if text.bytes().filter(u8::is_ascii_digit).count() < 10 {
        return Cow::Borrowed(text);
    }
    let mut matches = find(text).peekable();
    if matches.peek().is_none() {
        return Cow::Borrowed(text);
    }
    let mut masked = String::with_capacity(text.len());
    let mut last = 0;
    for range in matches {
        masked.push_str(&text[last..range.start]);
        masked.push_str(MASK);
        last = range.end;
    }
    masked.push_str(&text[last..]);
    Cow::Owned(masked)
}

/// Iterator over matches; walks whole digit runs so a match is never inside a longer run.
struct Matches<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl Iterator for Matches<'_> {
    type Item = Range<usize>;

    fn next(&mut self) -> Option<Range<usize>> {
        let bytes = self.bytes;
        while let Some(&byte) = bytes.get(self.pos) {
            let start = self.pos;
            if !byte.is_ascii_digit() {
                self.pos += 1;
                continue;
            }
            let end = run_end(bytes, start);
            self.pos = end;
            let run = &bytes[start..end];
            if run.len() == 10 && is_date(&run[..6]) {
                return Some(start..end);
            }
            if run.len() == 6 && bytes.get(end) == Some(&b'-') {
                let tail_end = run_end(bytes, end + 1);
                if tail_end - (end + 1) == 4 && is_date(run) {
                    self.pos = tail_end;
                    return Some(start..tail_end);
                }
            }
        }
        None
    }
}

/// The index just past the run of ASCII digits starting at `start`.
fn run_end(bytes: &[u8], start: usize) -> usize {
    bytes[start..]
        .iter()
        .position(|b| !b.is_ascii_digit())
        .map_or(bytes.len(), |offset| start + offset)
}

/// Whether six ASCII digits `DDMMYY` are a real date in 19YY or 20YY.
fn is_date(ddmmyy: &[u8]) -> bool {
    let pair = |i: usize| u32::from(ddmmyy[i] - b'0') * 10 + u32::from(ddmmyy[i + 1] - b'0');
    let (day, month, year) = (pair(0), pair(2), pair(4) as i32);
    [1900, 2000]
        .iter()
        .any(|century| NaiveDate::from_ymd_opt(century + year, month, day).is_some())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(text: &str, expected: &[&str]) {
        let found: Vec<&str> = find(text).map(|r| &text[r]).collect();
        assert_eq!(found, expected, "text {text:?}");
        assert_eq!(contains(text), !expected.is_empty());
    }

    #[test]
    fn finds_both_forms() {
        check("Borger 010190-1234 ophold", &["010190-1234"]);
        check("Borger 0101901234 ophold", &["0101901234"]);
        check("0101901234", &["0101901234"]);
        check("010190-1234", &["010190-1234"]);
        check(
            "cpr:311299-0001,cpr:290200-4321.",
            &["311299-0001", "290200-4321"],
        );
        check("æøå 150685-9999 å", &["150685-9999"]);
    }

    #[test]
    fn ignores_what_is_not_a_cpr_number() {
        check("", &[]);
        check("3201901234", &[]); // day 32
        check("0113901234", &[]); // month 13
        check("0001901234", &[]); // day 0
        check("3002901234", &[]); // 30 February
        check("290201-1234", &[]); // 29 February 1901 and 2001 are not dates
        check("010190123456", &[]); // 12-digit run
        check("5790000000005", &[]); // a GLN
        check("12010190-1234", &[]); // 8 digits before the hyphen
        check("010190-12345", &[]); // 5 digits after the hyphen
        check("010190-123", &[]);
        check("010190 1234", &[]);
        check("Faktura 12345674 juni", &[]);
    }

    #[test]
    fn mask_replaces_each_match_and_keeps_the_rest() {
        assert_eq!(
            mask("Borger 010190-1234 og 0202020202."),
            "Borger XXXXXX-XXXX og XXXXXX-XXXX."
        );
        assert!(matches!(mask("Mælk 24 stk"), Cow::Borrowed("Mælk 24 stk")));
        assert!(matches!(mask("0101901234"), Cow::Owned(_)));
        assert_eq!(mask("0101901234"), MASK);
    }
}
