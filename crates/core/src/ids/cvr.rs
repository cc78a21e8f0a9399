//! CVR numbers: the 8-digit Danish company registration number with its modulus-11 check.

use std::fmt;
use std::str::FromStr;

use super::digits::{digits_of, fixed_digits, value_of};
use super::{IdError, IdKind};

/// A valid CVR number: 8 digits, first digit not 0, weighted digit sum divisible by 11.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Cvr(u32);

impl Cvr {
    /// Parses a CVR number, accepting surrounding whitespace and an optional `DK` prefix
    /// (`"DK12345674"`); nothing else (no inner spaces or separators).
    pub fn parse(input: &str) -> Result<Cvr, IdError> {
        let trimmed = input.trim();
        let body = trimmed
            .strip_prefix("DK")
            .or_else(|| trimmed.strip_prefix("dk"))
            .unwrap_or(trimmed);
        let digits = fixed_digits(IdKind::Cvr, body)?;
        Cvr::from_digits(&digits)
    }

    /// The CVR number whose first seven digits are `first_seven`, with its check digit computed.
    ///
    /// `None` when `first_seven` does not have exactly seven digits (leading zero or too large),
    /// or when the remainder calls for check digit 10, which does not exist: no CVR number starts
    /// with those seven digits.
    pub fn from_base(first_seven: u32) -> Option<Cvr> {
        if !(1_000_000..=9_999_999).contains(&first_seven) {
            return None;
        }
        let digits = digits_of(u64::from(first_seven), 7);
        let remainder = weighted_sum(&digits) % 11;
        let check = (11 - remainder) % 11;
        if check == 10 {
            return None;
        }
        Some(Cvr(first_seven * 10 + check))
    }

    /// The number as an integer (always 8 digits: between 10000000 and 99999999).
    pub fn value(self) -> u32 {
        self.0
    }

    fn from_digits(digits: &[u8]) -> Result<Cvr, IdError> {
        if digits.first() == Some(&0) {
            return Err(IdError::LeadingZero { kind: IdKind::Cvr });
        }
        if !weighted_sum(digits).is_multiple_of(11) {
            return Err(IdError::CheckDigit { kind: IdKind::Cvr });
        }
        let value = u32::try_from(value_of(digits)).map_err(|_| IdError::WrongLength {
            kind: IdKind::Cvr,
            expected: 8,
            found: digits.len(),
        })?;
        Ok(Cvr(value))
    }
}

impl TryFrom<u32> for Cvr {
    type Error = IdError;

    /// Validates an integer as a CVR number (it must have 8 digits and pass the check).
    fn try_from(value: u32) -> Result<Cvr, IdError> {
        let width = value.checked_ilog10().map_or(1, |log| log as usize + 1);
        if width != 8 {
            return Err(IdError::WrongLength {
                kind: IdKind::Cvr,
                expected: 8,
                found: width,
            });
        }
        Cvr::from_digits(&digits_of(u64::from(value), 8))
    }
}

impl FromStr for Cvr {
    type Err = IdError;

    fn from_str(s: &str) -> Result<Cvr, IdError> {
        Cvr::parse(s)
    }
}

impl fmt::Display for Cvr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:08}", self.0)
    }
}

/// The modulus-11 weights of the eight CVR digits, from the left.
const CVR_WEIGHTS: [u32; 8] = [2, 7, 6, 5, 4, 3, 2, 1];

fn weighted_sum(digits: &[u8]) -> u32 {
    digits
        .iter()
        .zip(CVR_WEIGHTS)
        .map(|(&d, w)| u32::from(d) * w)
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The weighted sum computed independently of the code under test.
    fn independent_sum(s: &str) -> u32 {
        let w = [2, 7, 6, 5, 4, 3, 2, 1];
        s.bytes().zip(w).map(|(b, w)| u32::from(b - b'0') * w).sum()
    }

    fn check(input: &str, expected: Result<u32, IdError>) {
        assert_eq!(
            Cvr::parse(input).map(Cvr::value),
            expected,
            "input {input:?}"
        );
    }

    #[test]
    fn from_base_builds_numbers_that_pass_the_weighted_sum() {
        let mut built = 0;
        for base in [
            1_234_567, 1_015_081, 2_000_000, 3_141_592, 9_999_999, 5_555_555,
        ] {
            if let Some(cvr) = Cvr::from_base(base) {
                built += 1;
                let text = cvr.to_string();
                assert_eq!(text.len(), 8);
                assert!(text.starts_with(&base.to_string()));
                assert_eq!(independent_sum(&text) % 11, 0, "{text}");
            }
        }
        assert!(built >= 4);
        // 1234567: sum 2+14+18+20+20+18+14 = 106, 106 % 11 = 7, check digit 4.
        assert_eq!(Cvr::from_base(1_234_567).map(Cvr::value), Some(12_345_674));
        assert_eq!(independent_sum("12345674"), 110);
    }

    #[test]
    fn from_base_rejects_bases_without_a_check_digit_or_of_wrong_size() {
        assert_eq!(Cvr::from_base(999_999), None);
        assert_eq!(Cvr::from_base(0), None);
        assert_eq!(Cvr::from_base(10_000_000), None);
        // 1000005: sum 2 + 2*5 = 12, remainder 1, so the check digit would have to be 10.
        assert_eq!(Cvr::from_base(1_000_005), None);
    }

    #[test]
    fn parse_accepts_whitespace_and_dk_prefix() {
        check("12345674", Ok(12_345_674));
        check("  12345674\n", Ok(12_345_674));
        check("DK12345674", Ok(12_345_674));
        check(" dk12345674 ", Ok(12_345_674));
    }

    #[test]
    fn parse_rejects_with_the_failed_check() {
        let kind = IdKind::Cvr;
        check("", Err(IdError::Empty { kind }));
        check("   ", Err(IdError::Empty { kind }));
        check("DK", Err(IdError::Empty { kind }));
        check(
            "1234567",
            Err(IdError::WrongLength {
                kind,
                expected: 8,
                found: 7,
            }),
        );
        check(
            "123456745",
            Err(IdError::WrongLength {
                kind,
                expected: 8,
                found: 9,
            }),
        );
        check("1234 5674", Err(IdError::NotADigit { kind, position: 5 }));
        check("DK 12345674", Err(IdError::NotADigit { kind, position: 1 }));
        check("SE12345674", Err(IdError::NotADigit { kind, position: 1 }));
        check("1234567٤", Err(IdError::NotADigit { kind, position: 8 }));
        check("02345674", Err(IdError::LeadingZero { kind }));
        check("12345675", Err(IdError::CheckDigit { kind }));
    }

    #[test]
    fn display_from_str_and_try_from_agree() {
        let cvr: Cvr = "DK12345674".parse().unwrap();
        assert_eq!(cvr.to_string(), "12345674");
        assert_eq!(Cvr::try_from(12_345_674), Ok(cvr));
        assert_eq!(
            Cvr::try_from(1_234_567),
            Err(IdError::WrongLength {
                kind: IdKind::Cvr,
                expected: 8,
                found: 7
            })
        );
        assert_eq!(
            Cvr::try_from(12_345_675),
            Err(IdError::CheckDigit { kind: IdKind::Cvr })
        );
    }

    #[test]
    fn errors_never_echo_the_input() {
        for input in ["010190-1234", "0101901234", "DK0101901234", "01019012"] {
            let message = Cvr::parse(input).unwrap_err().to_string();
            assert!(!message.contains("0101"), "{message}");
            assert!(!message.contains("1234"), "{message}");
        }
    }
}
