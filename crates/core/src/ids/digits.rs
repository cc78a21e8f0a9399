//! Shared digit-string handling for fixed-length numeric identifiers.

use super::{IdError, IdKind};

/// Checks that `body` is exactly `kind.digits()` ASCII digits and returns them as numbers.
pub(super) fn fixed_digits(kind: IdKind, body: &str) -> Result<Vec<u8>, IdError> {
    if body.is_empty() {
        return Err(IdError::Empty { kind });
    }
    let mut digits = Vec::with_capacity(kind.digits());
    for (index, ch) in body.chars().enumerate() {
        if !ch.is_ascii_digit() {
            return Err(IdError::NotADigit {
                kind,
                position: index + 1,
            });
        }
        digits.push(ch as u8 - b'0');
    }
    if digits.len() != kind.digits() {
        return Err(IdError::WrongLength {
            kind,
            expected: kind.digits(),
            found: digits.len(),
        });
    }
    Ok(digits)
}

/// The decimal digits of `value`, most significant first, left-padded with zeros to `width`.
pub(super) fn digits_of(mut value: u64, width: usize) -> Vec<u8> {
    let mut digits = vec![0; width];
    for slot in digits.iter_mut().rev() {
        *slot = (value % 10) as u8;
        value /= 10;
    }
    digits
}

/// The number spelled by `digits`, most significant first.
pub(super) fn value_of(digits: &[u8]) -> u64 {
    digits.iter().fold(0, |acc, &d| acc * 10 + u64::from(d))
}
