//! Field types of the JSON format that validate themselves while they are read, so that every
//! error carries the path of the field that failed.

use std::fmt;
use std::marker::PhantomData;

use chrono::NaiveDate;
use kontera_core::{Currency, Cvr, Gln, VatCategory};
use rust_decimal::Decimal;
use serde::de::{self, Deserialize, Deserializer, SeqAccess, Visitor};
use serde_json::value::RawValue;

use crate::limits::{MAX_BATCH, country_problem, length_problem, line_count_problem};
use crate::number::{NumberKind, parse_json_number, parse_text};
use crate::vat;

/// A number given as a JSON number or a string; read from its text, never through `f64`.
fn number<'de, D: Deserializer<'de>>(
    deserializer: D,
    kind: NumberKind,
) -> Result<Decimal, D::Error> {
    let raw = Box::<RawValue>::deserialize(deserializer)?;
    let text = raw.get();
    let parsed = if text.starts_with('"') {
        let string: String = serde_json::from_str(text).map_err(de::Error::custom)?;
        parse_text(&string, kind)
    } else if text.starts_with(|c: char| c == '-' || c.is_ascii_digit()) {
        parse_json_number(text, kind)
    } else {
        parse_text(text, kind)
    };
    parsed.map_err(de::Error::custom)
}

/// A money amount: at most 4 decimals, |x| ≤ 10^12.
#[derive(Debug, Clone, Copy)]
pub(super) struct Amount(pub Decimal);

impl<'de> Deserialize<'de> for Amount {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Amount, D::Error> {
        number(deserializer, NumberKind::Amount).map(Amount)
    }
}

/// A quantity or unit price: at most 6 decimals, |x| ≤ 10^12.
#[derive(Debug, Clone, Copy)]
pub(super) struct Measure(pub Decimal);

impl<'de> Deserialize<'de> for Measure {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Measure, D::Error> {
        number(deserializer, NumberKind::Measure).map(Measure)
    }
}

/// A VAT rate in percent, 0 to 100.
#[derive(Debug, Clone, Copy)]
pub(super) struct Rate(pub Decimal);

impl<'de> Deserialize<'de> for Rate {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Rate, D::Error> {
        number(deserializer, NumberKind::Rate).map(Rate)
    }
}

/// A string of at most `MAX` characters, kept as given.
#[derive(Debug, Clone)]
pub(super) struct Text<const MAX: usize>(pub String);

impl<'de, const MAX: usize> Deserialize<'de> for Text<MAX> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Text<MAX>, D::Error> {
        let value = String::deserialize(deserializer)?;
        match length_problem(&value, MAX) {
            Some(message) => Err(de::Error::custom(message)),
            None => Ok(Text(value)),
        }
    }
}

/// An identifier: trimmed, without invisible characters (see [`crate::ident`]), not empty, at
/// most `MAX` characters.
#[derive(Debug, Clone)]
pub(super) struct Id<const MAX: usize>(pub String);

impl<'de, const MAX: usize> Deserialize<'de> for Id<MAX> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Id<MAX>, D::Error> {
        let Text(value) = Text::<MAX>::deserialize(deserializer)?;
        let id = crate::ident::clean(&value);
        if id.is_empty() {
            return Err(de::Error::custom("must not be empty"));
        }
        Ok(Id(id))
    }
}

/// A calendar date written `YYYY-MM-DD`.
#[derive(Debug, Clone, Copy)]
pub(super) struct Date(pub NaiveDate);

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Date, D::Error> {
        let value = String::deserialize(deserializer)?;
        crate::date::parse(&value)
            .map(Date)
            .map_err(de::Error::custom)
    }
}

/// An ISO 4217 currency code.
#[derive(Debug, Clone, Copy)]
pub(super) struct CurrencyCode(pub Currency);

impl<'de> Deserialize<'de> for CurrencyCode {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<CurrencyCode, D::Error> {
        let value = String::deserialize(deserializer)?;
        Currency::parse(&value)
            .map(CurrencyCode)
            .map_err(de::Error::custom)
    }
}

/// A valid Danish CVR number (optionally `DK`-prefixed). The error never echoes the value.
#[derive(Debug, Clone, Copy)]
pub(super) struct CvrNumber(pub Cvr);

impl<'de> Deserialize<'de> for CvrNumber {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<CvrNumber, D::Error> {
        let value = String::deserialize(deserializer)?;
        Cvr::parse(&value).map(CvrNumber).map_err(de::Error::custom)
    }
}

/// A valid GLN (13 digits, GS1 check digit). The error never echoes the value.
#[derive(Debug, Clone, Copy)]
pub(super) struct GlnNumber(pub Gln);

impl<'de> Deserialize<'de> for GlnNumber {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<GlnNumber, D::Error> {
        let value = String::deserialize(deserializer)?;
        Gln::parse(&value).map(GlnNumber).map_err(de::Error::custom)
    }
}

/// A VAT category: UNCL5305 code or OIOUBL name.
#[derive(Debug, Clone, Copy)]
pub(super) struct VatCode(pub VatCategory);

impl<'de> Deserialize<'de> for VatCode {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<VatCode, D::Error> {
        let value = String::deserialize(deserializer)?;
        vat::category(&value)
            .map(VatCode)
            .map_err(de::Error::custom)
    }
}

/// A two-letter country code, upper-cased.
#[derive(Debug, Clone)]
pub(super) struct Country(pub String);

impl<'de> Deserialize<'de> for Country {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Country, D::Error> {
        let value = String::deserialize(deserializer)?;
        let trimmed = value.trim();
        match country_problem(trimmed) {
            Some(message) => Err(de::Error::custom(message)),
            None => Ok(Country(trimmed.to_ascii_uppercase())),
        }
    }
}

/// An invoice's lines: 1 to 10,000, refused as soon as the limit is passed.
#[derive(Debug)]
pub(super) struct Lines<T>(pub Vec<T>);

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Lines<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Lines<T>, D::Error> {
        let items = deserializer.deserialize_seq(Bounded {
            max: crate::limits::MAX_LINES,
            expecting: "an array of lines",
            noun: "lines; split the invoice or send it for manual handling",
            marker: PhantomData,
        })?;
        match line_count_problem(items.len()) {
            Some(message) => Err(de::Error::custom(message)),
            None => Ok(Lines(items)),
        }
    }
}

/// A batch's invoices: 1 to 1,000.
#[derive(Debug)]
pub(super) struct Invoices<T>(pub Vec<T>);

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Invoices<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Invoices<T>, D::Error> {
        let items = deserializer.deserialize_seq(Bounded {
            max: MAX_BATCH,
            expecting: "an array of invoices",
            noun: "invoices; split the batch",
            marker: PhantomData,
        })?;
        if items.is_empty() {
            return Err(de::Error::custom("a batch needs at least one invoice"));
        }
        Ok(Invoices(items))
    }
}

/// Reads a sequence, failing as soon as it holds more than `max` items.
struct Bounded<T> {
    max: usize,
    expecting: &'static str,
    noun: &'static str,
    marker: PhantomData<T>,
}

impl<'de, T: Deserialize<'de>> Visitor<'de> for Bounded<T> {
    type Value = Vec<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.expecting)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<T>, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(self.max));
        while let Some(item) = seq.next_element()? {
            if items.len() == self.max {
                return Err(de::Error::custom(format!(
                    "has more than {} {}",
                    self.max, self.noun
                )));
            }
            items.push(item);
        }
        Ok(items)
    }
}
