//! Decimal numbers as written (xsd:decimal text or a JSON number's text), never through `f64`.

use rust_decimal::Decimal;

use crate::echo::echo;
use crate::limits::{MAX_DECIMALS_AMOUNT, MAX_DECIMALS_MEASURE, MAX_MAGNITUDE};

/// What a number is, which sets its limits and the example in its error message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum NumberKind {
    /// Money: a net amount or a total; at most 4 decimals.
    Amount,
    /// A quantity or unit price; at most 6 decimals.
    Measure,
    /// A VAT rate in percent, 0 to 100; at most 4 decimals.
    Rate,
}

impl NumberKind {
    fn expected(self) -> &'static str {
        match self {
            NumberKind::Amount => "a decimal amount like \"1250.00\"",
            NumberKind::Measure => "a decimal number like \"2.5\"",
            NumberKind::Rate => "a VAT rate in percent like \"25\"",
        }
    }

    fn max_decimals(self) -> u32 {
        match self {
            NumberKind::Amount | NumberKind::Rate => MAX_DECIMALS_AMOUNT,
            NumberKind::Measure => MAX_DECIMALS_MEASURE,
        }
    }
}

/// Parses decimal text: optional sign, digits, optional point and digits (surrounding
/// whitespace allowed). No exponent, no thousands separators, no decimal comma.
pub(crate) fn parse_text(text: &str, kind: NumberKind) -> Result<Decimal, String> {
    let trimmed = text.trim();
    if !is_plain_decimal(trimmed) {
        return Err(format!("expected {}, got {}", kind.expected(), echo(text)));
    }
    let unsigned = trimmed.trim_start_matches(['+', '-']);
    let integer_digits = unsigned
        .split('.')
        .next()
        .unwrap_or("")
        .trim_start_matches('0')
        .len();
    if integer_digits > 13 {
        return Err(too_large(text));
    }
    let fraction = unsigned
        .split('.')
        .nth(1)
        .unwrap_or("")
        .trim_end_matches('0');
    if fraction.len() > kind.max_decimals() as usize {
        return Err(too_precise(text, kind));
    }
    let cleaned = trimmed.trim_start_matches('+');
    let value = Decimal::from_str_exact(cleaned).map_err(|_| too_large(text))?;
    check(value, text, kind)
}

/// Parses a JSON number's text, which may carry an exponent (`1.25e3`).
pub(crate) fn parse_json_number(text: &str, kind: NumberKind) -> Result<Decimal, String> {
    if !text.contains(['e', 'E']) {
        return parse_text(text, kind);
    }
    let value = Decimal::from_scientific(text).map_err(|_| too_large(text))?;
    check(value, text, kind)
}

/// `net / quantity` rounded to 6 decimals: the unit price assumed when none is given; the net
/// amount itself when the quantity is 0.
pub(crate) fn default_unit_price(net: Decimal, quantity: Decimal) -> Decimal {
    if quantity.is_zero() {
        return net;
    }
    net.checked_div(quantity)
        .map_or(net, |price| price.round_dp(6).normalize())
}

fn check(value: Decimal, text: &str, kind: NumberKind) -> Result<Decimal, String> {
    if value.abs() > Decimal::from(MAX_MAGNITUDE) {
        return Err(too_large(text));
    }
    if value.normalize().scale() > kind.max_decimals() {
        return Err(too_precise(text, kind));
    }
    if kind == NumberKind::Rate
        && (value.is_sign_negative() && !value.is_zero() || value > Decimal::ONE_HUNDRED)
    {
        return Err(format!(
            "a VAT rate must be between 0 and 100 percent, got {}",
            echo(text)
        ));
    }
    Ok(value.normalize())
}

fn too_large(text: &str) -> String {
    format!(
        "{} is out of range: at most {MAX_MAGNITUDE} in absolute value",
        echo(text)
    )
}

fn too_precise(text: &str, kind: NumberKind) -> String {
    format!(
        "{} has more than {} decimals",
        echo(text),
        kind.max_decimals()
    )
}

fn is_plain_decimal(text: &str) -> bool {
    let unsigned = text
        .strip_prefix('-')
        .or_else(|| text.strip_prefix('+'))
        .unwrap_or(text);
    let (integer, fraction) = match unsigned.split_once('.') {
        Some((integer, fraction)) => (integer, Some(fraction)),
        None => (unsigned, None),
    };
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    digits(integer)
        && fraction.is_none_or(digits)
        && !(integer.is_empty() && fraction.is_none_or(str::is_empty))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(text: &str, kind: NumberKind, expected: Result<&str, &str>) {
        let got = parse_text(text, kind);
        match expected {
            Ok(value) => assert_eq!(got, Ok(value.parse().unwrap()), "{text:?}"),
            Err(message) => assert_eq!(got, Err(message.to_owned()), "{text:?}"),
        }
    }

    #[test]
    fn reads_xsd_decimals() {
        use NumberKind::*;
        check("1250.00", Amount, Ok("1250"));
        check(" -0.5 ", Amount, Ok("-0.5"));
        check("+7", Measure, Ok("7"));
        check(".5", Measure, Ok("0.5"));
        check("5.", Measure, Ok("5"));
        check("1000000000000", Amount, Ok("1000000000000"));
        check("1.23450000", Amount, Ok("1.2345"));
        check(
            "12,5x",
            Amount,
            Err("expected a decimal amount like \"1250.00\", got \"12,5x\""),
        );
        check(
            "",
            Amount,
            Err("expected a decimal amount like \"1250.00\", got \"\""),
        );
        check(
            ".",
            Amount,
            Err("expected a decimal amount like \"1250.00\", got \".\""),
        );
        check(
            "1e3",
            Amount,
            Err("expected a decimal amount like \"1250.00\", got \"1e3\""),
        );
        check(
            "1000000000000.01",
            Amount,
            Err("\"1000000000000.01\" is out of range: at most 1000000000000 in absolute value"),
        );
        check(
            "99999999999999999999999999999999",
            Amount,
            Err(
                "\"99999999999999999999999999999999\" is out of range: at most 1000000000000 in absolute value",
            ),
        );
        check(
            "1.23456",
            Amount,
            Err("\"1.23456\" has more than 4 decimals"),
        );
        check("1.234567", Measure, Ok("1.234567"));
        check(
            "1.2345678",
            Measure,
            Err("\"1.2345678\" has more than 6 decimals"),
        );
        check(
            "101",
            Rate,
            Err("a VAT rate must be between 0 and 100 percent, got \"101\""),
        );
        check(
            "-1",
            Rate,
            Err("a VAT rate must be between 0 and 100 percent, got \"-1\""),
        );
    }

    #[test]
    fn reads_json_numbers_with_exponents() {
        assert_eq!(
            parse_json_number("1.25e3", NumberKind::Amount),
            Ok(Decimal::from(1250))
        );
        assert!(parse_json_number("1e400", NumberKind::Amount).is_err());
        assert!(parse_json_number("1e13", NumberKind::Amount).is_err());
    }
}
