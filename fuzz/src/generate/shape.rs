//! The invoice-shaped values `arbitrary` builds from random bytes: an [`Invoice`] with parties,
//! lines and totals, and [`Value`]s that are mostly plausible (valid dates, CVR and GLN numbers
//! with their check digits, amounts) and sometimes hostile (interesting values, nesting, CPR).

use arbitrary::Arbitrary;

use crate::mutate::INTERESTING;

/// At most this many lines are rendered (more come from mutation).
pub const MAX_LINES: usize = 12;

#[derive(Debug, Arbitrary)]
pub struct Invoice {
    pub id: Option<Value>,
    pub number: Value,
    /// JSON's `type`; for UBL, a credit note if it renders as `credit_note`.
    pub document_type: Option<Value>,
    pub type_code: Option<Value>,
    pub issue_date: Value,
    pub due_date: Option<Value>,
    pub currency: Option<Value>,
    pub supplier: Party,
    pub buyer: Party,
    pub order_reference: Option<Value>,
    pub accounting_cost: Option<Value>,
    pub lines: Vec<Line>,
    pub totals: Option<Totals>,
    pub unknown: Option<Value>,
    pub profile: Profile,
    pub envelope: bool,
}

#[derive(Debug, Arbitrary)]
pub struct Party {
    pub cvr: Option<Value>,
    pub vat_id: Option<Value>,
    pub name: Option<Value>,
    pub id: Option<Value>,
    pub country: Option<Value>,
    pub bank_account: Option<Value>,
    pub gln: Option<Value>,
    pub reference: Option<Value>,
}

#[derive(Debug, Arbitrary)]
pub struct Line {
    pub description: Value,
    pub quantity: Option<Value>,
    pub unit_price: Option<Value>,
    pub net_amount: Value,
    pub vat_category: Option<Value>,
    pub vat_rate: Option<Value>,
    pub item_id: Option<Value>,
    pub gtin: Option<Value>,
    pub unspsc: Option<Value>,
    pub accounting_cost: Option<Value>,
}

#[derive(Debug, Arbitrary)]
pub struct Totals {
    pub net: Option<Value>,
    pub vat: Option<Value>,
    pub payable: Option<Value>,
}

/// The UBL customization: OIOUBL, Peppol BIS 3, another, or none.
#[derive(Debug, Clone, Copy, Arbitrary)]
pub enum Profile {
    Oioubl,
    Peppol,
    Plain,
    Missing,
}

/// One value: mostly a plausible one for its field (`plain`, built from `seed`), one time in
/// ten a hostile one.
#[derive(Debug, Arbitrary)]
pub struct Value {
    pub pick: u8,
    pub seed: u32,
    pub hostile: Hostile,
}

/// What a field may hold instead of a plausible value.
#[derive(Debug, Arbitrary)]
pub enum Hostile {
    Text(String),
    Word(u8),
    Interesting(u8),
    Amount { mantissa: i64, scale: u8 },
    Integer(i64),
    Date { year: u8, month: u8, day: u8 },
    Cpr(u16),
    Null,
    Bool(bool),
    Nested(u8),
    Missing,
}

/// What a field holds, for a plausible value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Id,
    Text,
    Name,
    Date,
    Amount,
    Measure,
    Rate,
    Cvr,
    Gln,
    Currency,
    Country,
    VatCategory,
    DocumentType,
    TypeCode,
}

/// A value written out: text, a JSON literal (number, `null`, `true`, nested arrays, an
/// escape a `String` cannot carry), or nothing (the field is left out).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Rendered {
    Text(String),
    Raw(String),
    Missing,
}

impl Rendered {
    /// As text content (a JSON literal as written, nothing as empty).
    pub fn text(&self) -> String {
        match self {
            Rendered::Text(s) | Rendered::Raw(s) => s.clone(),
            Rendered::Missing => String::new(),
        }
    }
}

const WORDS: &[&str] = &[
    "Mælk 1 l",
    "Beskæring af træer januar 2026",
    "S",
    "Z",
    "E",
    "AE",
    "K",
    "G",
    "O",
    "25",
    "0",
    "DKK",
    "EUR",
    "DK",
    "GB",
    "invoice",
    "credit_note",
    "380",
    "381",
    "5.25.14.1.2.2",
    "Den Lille Skole",
    "Mejeriet A/S",
    "1234 5678901234",
    "DK5000400440116243",
    "50131700",
    "5701234567899",
    "PO-88",
    "INV-1001",
    "  padded  ",
    "æøå ÆØÅ",
];

/// Raw JSON string tokens that a `String` cannot carry through escaping: lone surrogates,
/// NUL, a right-to-left override, a BOM inside an amount.
const ESCAPES: &[&str] = &[
    r#""\ud800""#,
    r#""\udfff\ud800""#,
    r#""\u0000""#,
    r#""a\u202eb""#,
    r#""\uFEFF12.50""#,
];

impl Value {
    /// The value for a field of kind `kind`.
    pub fn render(&self, kind: Kind) -> Rendered {
        if self.pick >= 26 {
            return plain(kind, self.seed);
        }
        match &self.hostile {
            Hostile::Text(s) => Rendered::Text(s.clone()),
            Hostile::Word(i) => Rendered::Text(WORDS[usize::from(*i) % WORDS.len()].to_owned()),
            Hostile::Interesting(i) if i % 7 == 0 => {
                Rendered::Raw(ESCAPES[usize::from(*i / 7) % ESCAPES.len()].to_owned())
            }
            Hostile::Interesting(i) => Rendered::Text(
                String::from_utf8_lossy(INTERESTING[usize::from(*i) % INTERESTING.len()])
                    .into_owned(),
            ),
            Hostile::Amount { mantissa, scale } if scale % 2 == 0 => {
                Rendered::Raw(decimal(*mantissa, *scale))
            }
            Hostile::Amount { mantissa, scale } => Rendered::Text(decimal(*mantissa, *scale)),
            Hostile::Integer(n) => Rendered::Raw(n.to_string()),
            Hostile::Date { year, month, day } => Rendered::Text(date(*year, *month, *day)),
            Hostile::Cpr(n) => Rendered::Text(format!("0101{:02}-{:04}", n % 100, n % 10_000)),
            Hostile::Null => Rendered::Raw("null".to_owned()),
            Hostile::Bool(b) => Rendered::Raw(b.to_string()),
            Hostile::Nested(n) => {
                let n = usize::from(*n);
                Rendered::Raw(format!("{}{}", "[".repeat(n), "]".repeat(n)))
            }
            Hostile::Missing => Rendered::Missing,
        }
    }

    /// The value as text for a field of kind `kind`.
    pub fn text(&self, kind: Kind) -> String {
        self.render(kind).text()
    }

    /// The date parts of a plausible date (for writing it in other formats), if it is one.
    pub fn date_parts(&self) -> Option<(u32, u32, u32)> {
        (self.pick >= 26).then(|| date_parts(self.seed))
    }

    /// The amount of a plausible amount, as mantissa and scale, if it is one.
    pub fn amount_parts(&self) -> Option<(i64, u8)> {
        (self.pick >= 26).then(|| amount_parts(self.seed))
    }
}

fn date_parts(seed: u32) -> (u32, u32, u32) {
    (2015 + seed % 15, 1 + (seed >> 4) % 12, 1 + (seed >> 8) % 28)
}

fn amount_parts(seed: u32) -> (i64, u8) {
    let mantissa = i64::from(seed % 10_000_000);
    let mantissa = if seed >> 30 == 3 { -mantissa } else { mantissa };
    let scale = [2, 2, 2, 0, 1, 3, 4, 2][(seed >> 27 & 7) as usize];
    (mantissa, scale)
}

/// A plausible value of `kind`, from `seed`.
fn plain(kind: Kind, seed: u32) -> Rendered {
    let pick = |items: &[&str]| items[seed as usize % items.len()].to_owned();
    let text = match kind {
        Kind::Id => format!("INV-{}", seed % 100_000),
        Kind::Text => pick(WORDS),
        Kind::Name => pick(&[
            "Mejeriet A/S",
            "Den Lille Skole",
            "ALLSTAR BUSINESS SOLUTIONS LTD",
        ]),
        Kind::Date => {
            let (y, m, d) = date_parts(seed);
            format!("{y:04}-{m:02}-{d:02}")
        }
        Kind::Amount => {
            let (mantissa, scale) = amount_parts(seed);
            let text = decimal(mantissa, scale);
            return if seed & 1 == 0 {
                Rendered::Text(text)
            } else {
                Rendered::Raw(text)
            };
        }
        Kind::Measure => decimal(i64::from(1 + seed % 500), ((seed >> 9) % 4) as u8),
        Kind::Rate => pick(&["25", "0", "12.5", "25.00"]),
        Kind::Cvr => cvr(seed),
        Kind::Gln => gln(u64::from(seed) * 7_919),
        Kind::Currency => pick(&["DKK", "DKK", "EUR", "SEK", "GBP"]),
        Kind::Country => pick(&["DK", "DK", "SE", "GB"]),
        Kind::VatCategory => pick(&["S", "S", "Z", "E", "AE", "K", "G", "O"]),
        Kind::DocumentType => pick(&["invoice", "credit_note"]),
        Kind::TypeCode => pick(&["380", "380", "381", "383", "393"]),
    };
    Rendered::Text(text)
}

/// `mantissa × 10^-scale` written out, e.g. `-12.50`.
pub fn decimal(mantissa: i64, scale: u8) -> String {
    let digits = mantissa.unsigned_abs().to_string();
    let scale = usize::from(scale % 8);
    let sign = if mantissa < 0 { "-" } else { "" };
    if scale == 0 {
        return format!("{sign}{digits}");
    }
    let digits = format!("{digits:0>width$}", width = scale + 1);
    let (int, frac) = digits.split_at(digits.len() - scale);
    format!("{sign}{int}.{frac}")
}

/// Mostly a valid date in 2000–2039; a month or day of 250 or more is written as is.
pub fn date(year: u8, month: u8, day: u8) -> String {
    let year = 2000 + u32::from(year % 40);
    let month = if month >= 250 {
        u32::from(month)
    } else {
        1 + u32::from(month % 12)
    };
    let day = if day >= 250 {
        u32::from(day)
    } else {
        1 + u32::from(day % 28)
    };
    format!("{year:04}-{month:02}-{day:02}")
}

/// Eight digits with the modulus-11 check (weights 2 7 6 5 4 3 2 1); a base whose check digit
/// would be 10 gives an invalid number, which is interesting too.
pub fn cvr(base: u32) -> String {
    let base = 1_000_000 + base % 9_000_000;
    let digits: Vec<u32> = base
        .to_string()
        .chars()
        .filter_map(|c| c.to_digit(10))
        .collect();
    let sum: u32 = digits
        .iter()
        .zip([2, 7, 6, 5, 4, 3, 2])
        .map(|(d, w)| d * w)
        .sum();
    let check = (11 - sum % 11) % 11;
    format!("{base}{}", check % 10)
}

/// Thirteen digits with the GS1 check digit.
pub fn gln(base: u64) -> String {
    let base = format!("{:012}", base % 1_000_000_000_000);
    let sum: u32 = base
        .chars()
        .rev()
        .filter_map(|c| c.to_digit(10))
        .enumerate()
        .map(|(i, d)| if i % 2 == 0 { d * 3 } else { d })
        .sum();
    format!("{base}{}", (10 - sum % 10) % 10)
}

#[cfg(test)]
mod tests {
    use super::*;
    use kontera_core::{Cvr, Gln};

    #[test]
    fn check_digits_are_right() {
        let mut valid = 0;
        for base in 0..200 {
            valid += usize::from(Cvr::parse(&cvr(base * 7_919)).is_ok());
            assert!(Gln::parse(&gln(u64::from(base) * 104_729)).is_ok());
        }
        assert!(valid > 150, "{valid}");
    }

    #[test]
    fn decimals_and_dates() {
        assert_eq!(decimal(-1250, 2), "-12.50");
        assert_eq!(decimal(5, 3), "0.005");
        assert_eq!(decimal(7, 0), "7");
        assert_eq!(date(24, 1, 27), "2024-02-28");
        assert_eq!(date(0, 255, 0), "2000-255-01");
    }

    #[test]
    fn most_values_are_plausible() {
        let value = |pick| Value {
            pick,
            seed: 123_456,
            hostile: Hostile::Missing,
        };
        assert_eq!(
            value(200).render(Kind::Date),
            Rendered::Text("2021-01-07".into())
        );
        assert!(Cvr::parse(&value(255).text(Kind::Cvr)).is_ok());
        assert_eq!(value(0).render(Kind::Date), Rendered::Missing);
    }
}
