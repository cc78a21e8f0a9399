//! An amount of money in one currency.

use std::fmt;

use rust_decimal::Decimal;

use super::{Currency, MoneyError};

/// An exact amount in a currency. Negative amounts are credits (e.g. credit notes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Money {
    pub amount: Decimal,
    pub currency: Currency,
}

impl Money {
    pub fn new(amount: Decimal, currency: Currency) -> Money {
        Money { amount, currency }
    }

    /// An amount in Danish kroner.
    pub fn dkk(amount: Decimal) -> Money {
        Money::new(amount, Currency::DKK)
    }

    /// Zero in `currency`.
    pub fn zero(currency: Currency) -> Money {
        Money::new(Decimal::ZERO, currency)
    }

    /// The sum of two amounts in the same currency.
    pub fn checked_add(self, other: Money) -> Result<Money, MoneyError> {
        if self.currency != other.currency {
            return Err(MoneyError::CurrencyMismatch {
                left: self.currency,
                right: other.currency,
            });
        }
        let amount = self
            .amount
            .checked_add(other.amount)
            .ok_or(MoneyError::Overflow)?;
        Ok(Money::new(amount, self.currency))
    }

    pub fn is_negative(&self) -> bool {
        self.amount.is_sign_negative() && !self.amount.is_zero()
    }
}

impl fmt::Display for Money {
    /// `1234.50 DKK`: at least two decimals, more when the amount has them.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut amount = self.amount;
        if amount.scale() < 2 {
            amount.rescale(2);
        }
        write!(f, "{amount} {}", self.currency)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dec(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    #[test]
    fn displays_with_two_decimals_and_the_currency() {
        let check = |amount: Decimal, expected: &str| {
            assert_eq!(Money::dkk(amount).to_string(), expected);
        };
        check(dec("1234.5"), "1234.50 DKK");
        check(dec("1234"), "1234.00 DKK");
        check(dec("-10.25"), "-10.25 DKK");
        check(dec("0.125"), "0.125 DKK");
        check(Decimal::ZERO, "0.00 DKK");
    }

    #[test]
    fn adds_in_one_currency_only() {
        let sum = Money::dkk(dec("100.10")).checked_add(Money::dkk(dec("-0.10")));
        assert_eq!(sum, Ok(Money::dkk(dec("100.00"))));
        let eur = Money::new(dec("1"), Currency::EUR);
        let error = Money::dkk(dec("1")).checked_add(eur).unwrap_err();
        assert_eq!(
            error,
            MoneyError::CurrencyMismatch {
                left: Currency::DKK,
                right: Currency::EUR
            }
        );
        assert_eq!(
            error.to_string(),
            "cannot add an amount in EUR to an amount in DKK; convert to one currency first"
        );
        assert_eq!(
            Money::dkk(Decimal::MAX).checked_add(Money::dkk(Decimal::MAX)),
            Err(MoneyError::Overflow)
        );
    }

    #[test]
    fn negative_means_strictly_below_zero() {
        assert!(Money::dkk(dec("-0.01")).is_negative());
        assert!(!Money::dkk(dec("0")).is_negative());
        assert!(!Money::dkk(-Decimal::ZERO).is_negative());
        assert!(!Money::zero(Currency::DKK).is_negative());
    }
}
