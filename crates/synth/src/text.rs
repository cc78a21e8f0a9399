//! Line texts as suppliers really write them: house styles, abbreviations, item numbers, typos,
//! periods, and CPR numbers in social-care texts.

use chrono::{Datelike, NaiveDate};
use rand::Rng;

/// How one supplier writes its line texts.
#[derive(Debug, Clone, Copy)]
pub(crate) struct TextStyle {
    pub upper: bool,
    pub abbreviate: bool,
    pub item_number_in_text: bool,
    pub period_suffix: bool,
}

impl TextStyle {
    pub(crate) fn random(rng: &mut impl Rng) -> TextStyle {
        TextStyle {
            upper: rng.random_bool(0.15),
            abbreviate: rng.random_bool(0.3),
            item_number_in_text: rng.random_bool(0.35),
            period_suffix: rng.random_bool(0.4),
        }
    }
}

const ABBREVIATIONS: &[(&str, &str)] = &[
    ("økologiske", "øko"),
    ("stk", "st"),
    ("skiveskåret", "skiv."),
    ("licens", "lic."),
    ("abonnement", "abon."),
    ("iflg.", "if."),
    ("specifikation", "spec."),
    ("levering", "lev."),
    ("personale", "pers."),
    ("Rengøring", "Rengør."),
    ("kontrakt", "kontr."),
    ("timer", "t"),
];

const MONTHS: [&str; 12] = [
    "januar",
    "februar",
    "marts",
    "april",
    "maj",
    "juni",
    "juli",
    "august",
    "september",
    "oktober",
    "november",
    "december",
];

/// Writes one line text in a supplier's style.
pub(crate) fn line_text(
    rng: &mut impl Rng,
    style: TextStyle,
    base: &str,
    item_id: &str,
    date: NaiveDate,
    cpr: Option<&str>,
) -> String {
    let mut text = String::with_capacity(base.len() + 32);
    text.push_str(base);
    if style.abbreviate {
        for (long, short) in ABBREVIATIONS {
            if text.contains(long) {
                text = text.replace(long, short);
            }
        }
    }
    if let Some(cpr) = cpr {
        text.push_str(" cpr ");
        text.push_str(cpr);
    }
    if style.item_number_in_text {
        text.push_str(" varenr. ");
        text.push_str(item_id);
    }
    if style.period_suffix {
        text.push(' ');
        text.push_str(MONTHS[date.month0() as usize]);
        text.push(' ');
        text.push_str(&date.year().to_string());
    }
    if rng.random_bool(0.02) {
        typo(rng, &mut text);
    }
    if style.upper {
        text = text.to_uppercase();
    }
    text
}

/// Swaps two neighbouring ASCII letters, as a hurried typist does.
fn typo(rng: &mut impl Rng, text: &mut String) {
    let bytes = text.as_bytes();
    if bytes.len() < 4 {
        return;
    }
    let i = rng.random_range(0..bytes.len() - 1);
    if bytes[i].is_ascii_alphabetic() && bytes[i + 1].is_ascii_alphabetic() {
        let mut b = std::mem::take(text).into_bytes();
        b.swap(i, i + 1);
        *text = String::from_utf8(b).expect("swapping two ASCII bytes keeps UTF-8 valid");
    }
}

/// A CPR number (DDMMYY-XXXX) of a child or adult born between 1940 and 2020.
pub(crate) fn random_cpr(rng: &mut impl Rng) -> String {
    let year = rng.random_range(1940..2020);
    let day_of_year = rng.random_range(0..365);
    let birth = NaiveDate::from_ymd_opt(year, 1, 1).expect("1 January exists")
        + chrono::Days::new(day_of_year);
    format!(
        "{:02}{:02}{:02}-{:04}",
        birth.day(),
        birth.month(),
        birth.year() % 100,
        rng.random_range(0..10_000)
    )
}

/// Danish company names: a surname or place and a trade word.
const NAME_STEMS: &[&str] = &[
    "Jensen",
    "Nielsen",
    "Hansen",
    "Pedersen",
    "Andersen",
    "Christensen",
    "Larsen",
    "Sørensen",
    "Rasmussen",
    "Jørgensen",
    "Petersen",
    "Madsen",
    "Kristensen",
    "Olsen",
    "Thomsen",
    "Poulsen",
    "Nordic",
    "Dansk",
    "Jysk",
    "Fyns",
    "Sjællands",
    "Vestjysk",
    "Midtjysk",
    "Østjysk",
    "Nord",
    "Syd",
    "Kyst",
    "Fjord",
    "Skov",
    "Hede",
];
const FORMS: &[&str] = &["A/S", "ApS", "I/S", "& Søn", "ApS", "A/S"];

pub(crate) fn company_name(rng: &mut impl Rng, words: &[&str]) -> String {
    let stem = NAME_STEMS[rng.random_range(0..NAME_STEMS.len())];
    let word = words[rng.random_range(0..words.len())];
    let form = FORMS[rng.random_range(0..FORMS.len())];
    format!("{stem} {word} {form}")
}

const STREETS: &[&str] = &[
    "Industrivej",
    "Hovedgaden",
    "Stationsvej",
    "Skolegade",
    "Kirkevej",
    "Havnegade",
    "Møllevej",
    "Vestergade",
    "Østergade",
    "Nørregade",
    "Søndergade",
    "Engvej",
    "Markvej",
    "Erhvervsvej",
];
const TOWNS: &[(&str, &str)] = &[
    ("6700", "Esbjerg"),
    ("8000", "Aarhus C"),
    ("5000", "Odense C"),
    ("9000", "Aalborg"),
    ("7100", "Vejle"),
    ("2600", "Glostrup"),
    ("6000", "Kolding"),
    ("7400", "Herning"),
    ("8700", "Horsens"),
    ("4000", "Roskilde"),
    ("6100", "Haderslev"),
    ("6200", "Aabenraa"),
];

/// A street address, postal code and town.
pub(crate) fn address(rng: &mut impl Rng) -> (String, String, String) {
    let street = STREETS[rng.random_range(0..STREETS.len())];
    let (postal, town) = TOWNS[rng.random_range(0..TOWNS.len())];
    (
        format!("{street} {}", rng.random_range(1..200)),
        postal.to_owned(),
        town.to_owned(),
    )
}
