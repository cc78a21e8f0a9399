//! ISO 4217 currency codes.

use std::fmt;
use std::str::FromStr;

use super::MoneyError;

/// A three-letter ISO 4217 currency code, stored in upper case.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Currency([u8; 3]);

impl Currency {
    /// Danish krone.
    pub const DKK: Currency = Currency(*b"DKK");
    /// Euro.
    pub const EUR: Currency = Currency(*b"EUR");
    /// Pound sterling.
    pub const GBP: Currency = Currency(*b"GBP");
    /// Swedish krona.
    pub const SEK: Currency = Currency(*b"SEK");
    /// Norwegian krone.
    pub const NOK: Currency = Currency(*b"NOK");
    /// US dollar.
    pub const USD: Currency = Currency(*b"USD");

    /// Parses three ASCII letters (surrounding whitespace allowed); lower case is upper-cased.
    pub fn parse(input: &str) -> Result<Currency, MoneyError> {
        let code = input.trim();
        let found = code.chars().count();
        if let Some(index) = code.chars().position(|c| !c.is_ascii_alphabetic()) {
            return Err(MoneyError::CurrencyNotALetter {
                position: index + 1,
            });
        }
        match code.as_bytes() {
            &[a, b, c] => Ok(Currency([
                a.to_ascii_uppercase(),
                b.to_ascii_uppercase(),
                c.to_ascii_uppercase(),
            ])),
            _ => Err(MoneyError::CurrencyLength { found }),
        }
    }

    /// The code, e.g. `"DKK"`.
    pub fn as_str(&self) -> &str {
        // The bytes are ASCII upper-case letters by construction, so this never falls back.
        std::str::from_utf8(&self.0).unwrap_or("???")
    }
}

impl FromStr for Currency {
    type Err = MoneyError;

    fn from_str(s: &str) -> Result<Currency, MoneyError> {
        Currency::parse(s)
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Currency({})", self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(input: &str, expected: Result<&str, MoneyError>) {
        let parsed = Currency::parse(input);
        assert_eq!(
            parsed.as_ref().map(Currency::as_str),
            expected.as_deref(),
            "{input:?}"
        );
    }

    #[test]
    fn parses_three_letters() {
        check("DKK", Ok("DKK"));
        check(" eur ", Ok("EUR"));
        check("gBp", Ok("GBP"));
        check("", Err(MoneyError::CurrencyLength { found: 0 }));
        check("DK", Err(MoneyError::CurrencyLength { found: 2 }));
        check("DKKR", Err(MoneyError::CurrencyLength { found: 4 }));
        check("D1K", Err(MoneyError::CurrencyNotALetter { position: 2 }));
        check("DÆK", Err(MoneyError::CurrencyNotALetter { position: 2 }));
        assert_eq!(Currency::parse("dkk"), Ok(Currency::DKK));
    }

    #[test]
    fn displays_and_debugs_as_the_code() {
        assert_eq!(Currency::DKK.to_string(), "DKK");
        assert_eq!(format!("{:?}", Currency::EUR), "Currency(EUR)");
        assert_eq!(
            MoneyError::CurrencyLength { found: 4 }.to_string(),
            "currency code must have 3 letters (ISO 4217, e.g. DKK), found 4 characters"
        );
    }
}
