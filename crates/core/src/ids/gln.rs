//! GLN (EAN location) numbers: 13 digits with a GS1 check digit; they identify receiving institutions.

use std::fmt;
use std::str::FromStr;

use super::digits::{digits_of, fixed_digits, value_of};
use super::{IdError, IdKind};

/// A valid GLN: 13 digits (leading zeros allowed) whose last digit is the GS1 check digit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Gln(u64);

impl Gln {
    /// Parses a GLN, accepting surrounding whitespace; nothing else.
    pub fn parse(input: &str) -> Result<Gln, IdError> {
        let digits = fixed_digits(IdKind::Gln, input.trim())?;
        let (base, check) = digits.split_at(12);
        if check != [check_digit(base)] {
            return Err(IdError::CheckDigit { kind: IdKind::Gln });
        }
        Ok(Gln(value_of(&digits)))
    }

    /// The GLN whose first twelve digits are `first_twelve` (zero-padded), with its check digit
    /// computed. `None` when `first_twelve` has more than twelve digits.
    pub fn from_base(first_twelve: u64) -> Option<Gln> {
        if first_twelve >= BASE_LIMIT {
            return None;
        }
        let check = check_digit(&digits_of(first_twelve, 12));
        Some(Gln(first_twelve * 10 + u64::from(check)))
    }

    /// The number as an integer (display it with [`fmt::Display`] to keep leading zeros).
    pub fn value(self) -> u64 {
        self.0
    }
}

impl FromStr for Gln {
    type Err = IdError;

    fn from_str(s: &str) -> Result<Gln, IdError> {
        Gln::parse(s)
    }
}

impl fmt::Display for Gln {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:013}", self.0)
    }
}

const BASE_LIMIT: u64 = 1_000_000_000_000;

/// The GS1 check digit of twelve digits: weights 1,3,1,3,... from the left.
fn check_digit(base: &[u8]) -> u8 {
    let sum: u32 = base
        .iter()
        .enumerate()
        .map(|(i, &d)| u32::from(d) * if i % 2 == 0 { 1 } else { 3 })
        .sum();
    ((10 - sum % 10) % 10) as u8
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The GS1 check computed independently: weights 1,3,...,3 on digits 1..12, then +1 × check.
    fn independent_check_passes(s: &str) -> bool {
        let sum: u32 = s
            .bytes()
            .enumerate()
            .map(|(i, b)| u32::from(b - b'0') * if i % 2 == 0 { 1 } else { 3 })
            .sum();
        s.len() == 13 && sum.is_multiple_of(10)
    }

    fn check(input: &str, expected: Result<u64, IdError>) {
        assert_eq!(
            Gln::parse(input).map(Gln::value),
            expected,
            "input {input:?}"
        );
    }

    #[test]
    fn from_base_computes_the_gs1_check_digit() {
        // 579000000000: 5 + 7*3 + 9 = 35, check = 5.
        assert_eq!(
            Gln::from_base(579_000_000_000).map(Gln::value),
            Some(5_790_000_000_005)
        );
        for base in [0, 1, 579_000_123_456, 999_999_999_999, 400_638_133_393] {
            let gln = Gln::from_base(base).unwrap();
            assert!(independent_check_passes(&gln.to_string()), "{gln}");
        }
        assert_eq!(Gln::from_base(1_000_000_000_000), None);
    }

    #[test]
    fn parse_accepts_and_rejects() {
        let kind = IdKind::Gln;
        check("5790000000005", Ok(5_790_000_000_005));
        check(" 5790000000005\t", Ok(5_790_000_000_005));
        check("0000000000000", Ok(0));
        check("", Err(IdError::Empty { kind }));
        check(
            "579000000000",
            Err(IdError::WrongLength {
                kind,
                expected: 13,
                found: 12,
            }),
        );
        check(
            "57900000000051",
            Err(IdError::WrongLength {
                kind,
                expected: 13,
                found: 14,
            }),
        );
        check("5790000000006", Err(IdError::CheckDigit { kind }));
        check(
            "579000000000x",
            Err(IdError::NotADigit { kind, position: 13 }),
        );
        check(
            "DK5790000000005",
            Err(IdError::NotADigit { kind, position: 1 }),
        );
    }

    #[test]
    fn display_pads_to_thirteen_digits() {
        let gln = Gln::from_base(12).unwrap();
        assert_eq!(gln.to_string(), "0000000000123");
        assert_eq!("0000000000123".parse::<Gln>(), Ok(gln));
    }
}
