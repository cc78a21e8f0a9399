//! The error for currency codes and money arithmetic.

use super::Currency;

/// Why a currency code or a money operation was rejected. Never contains the input text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MoneyError {
    #[error("currency code must have 3 letters (ISO 4217, e.g. DKK), found {found} characters")]
    CurrencyLength { found: usize },
    #[error(
        "currency code must contain only the letters A-Z (ISO 4217, e.g. DKK); \
         character {position} is not one"
    )]
    CurrencyNotALetter {
        /// 1-based character position after trimming.
        position: usize,
    },
    #[error(
        "cannot add an amount in {right} to an amount in {left}; convert to one currency first"
    )]
    CurrencyMismatch { left: Currency, right: Currency },
    #[error("money amount overflows the decimal range (about 7.9e28)")]
    Overflow,
}
