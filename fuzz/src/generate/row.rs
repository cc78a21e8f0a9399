//! Rows of a real export for the `row` target: dates in the mappings' formats (and others),
//! amounts with thousands separators, currency marks and the three ways of writing a minus,
//! composite account strings, quoted cells, ragged rows.

use arbitrary::Arbitrary;

use super::shape::{Kind, Value};

#[derive(Debug, Arbitrary)]
pub struct Rows {
    pub mapping: u8,
    pub rows: Vec<Row>,
    pub crlf: bool,
}

#[derive(Debug, Arbitrary)]
pub struct Row {
    pub date: Value,
    pub date_style: u8,
    pub amount: Value,
    pub amount_style: u8,
    pub supplier: Value,
    pub supplier_id: Value,
    pub text: Value,
    pub unit: Value,
    pub account: Value,
    pub cost_centre: Value,
    pub vat: Value,
    pub ragged: u8,
    pub quote_all: bool,
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// A date value in one of the formats the mappings (and others) use.
fn date(v: &Value, style: u8) -> String {
    let Some((y, m, d)) = v.date_parts() else {
        return v.text(Kind::Date);
    };
    let name = MONTHS[(m as usize + 11) % 12];
    match style % 9 {
        0 => format!("{y}-{m:02}-{d:02}"),
        1 => format!("{d:02}/{m:02}/{y}"),
        2 => format!("{d:02}-{}-{:02}", &name[..3], y % 100),
        3 => format!("{d:02}-{m:02}-{y}"),
        4 => format!("{d:02}.{m:02}.{y}"),
        5 => format!("{y}{m:02}{d:02}"),
        6 => format!("{m:02}/{d:02}/{y}"),
        7 => format!("{d:>2} {name} {y}"),
        _ => format!("{y}-{m:02}-{d:02} {:02}:00:00", d % 24),
    }
}

/// An amount with the given decimal separator, styled by the bits of `style`: thousands
/// separators (right or wrong groups), a currency mark before or after, a minus before,
/// after or as parentheses, the other decimal separator.
fn amount(v: &Value, style: u8, decimal: char, thousands: char) -> String {
    let Some((mantissa, scale)) = v.amount_parts() else {
        return v.text(Kind::Amount);
    };
    let plain = super::shape::decimal(mantissa.abs(), scale);
    let (int, frac) = plain.split_once('.').unwrap_or((&plain, ""));
    let decimal = if style & 0x40 != 0 {
        if decimal == '.' { ',' } else { '.' }
    } else {
        decimal
    };
    let group = match style & 3 {
        0 => None,
        1 | 2 => Some(3),
        _ => Some(2),
    };
    let mut number = String::new();
    for (i, c) in int.chars().enumerate() {
        if let Some(g) = group
            && i > 0
            && (int.len() - i) % g == 0
        {
            number.push(thousands);
        }
        number.push(c);
    }
    if !frac.is_empty() {
        number.push(decimal);
        number.push_str(frac);
    }
    let marks = ["", "kr. ", "£", "DKK ", " kr", " EUR", "€", "$"];
    let mark = marks[usize::from(style >> 2 & 7) % marks.len()];
    let number = if mark.ends_with(' ') || mark.len() <= 3 && !mark.starts_with(' ') {
        format!("{mark}{number}")
    } else {
        format!("{number}{mark}")
    };
    if mantissa >= 0 {
        return number;
    }
    match style >> 5 & 3 {
        0 => format!("-{number}"),
        1 => format!("{number}-"),
        _ => format!("({number})"),
    }
}

fn cell(out: &mut String, value: &str, delimiter: char, quote_all: bool) {
    if quote_all || value.contains([delimiter, '"', '\n', '\r']) {
        out.push('"');
        out.push_str(&value.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(value);
    }
}

/// The rows for one of the `row` target's mappings, after its selector byte.
pub fn rows(shape: &Rows) -> Vec<u8> {
    let mapping = shape.mapping % 4;
    let mut out = String::new();
    for r in shape.rows.iter().take(8) {
        let (delimiter, cells) = cells(mapping, r);
        let mut cells = cells;
        match r.ragged % 8 {
            0 => {
                cells.pop();
            }
            1 => cells.push(String::new()),
            _ => {}
        }
        for (i, c) in cells.iter().enumerate() {
            if i > 0 {
                out.push(delimiter);
            }
            cell(&mut out, c, delimiter, r.quote_all);
        }
        out.push_str(if shape.crlf { "\r\n" } else { "\n" });
    }
    let mut bytes = vec![b'0' + mapping];
    bytes.extend_from_slice(out.as_bytes());
    bytes
}

fn cells(mapping: u8, r: &Row) -> (char, Vec<String>) {
    let t = |v: &Value| v.text(Kind::Text);
    let id = |v: &Value| v.text(Kind::Id);
    let name = |v: &Value| v.text(Kind::Name);
    match mapping {
        0 => (
            ',',
            vec![
                "O8".to_owned(),
                "Supplies and Services".to_owned(),
                "A".to_owned(),
                "Community".to_owned(),
                t(&r.unit),
                id(&r.cost_centre),
                id(&r.account),
                date(&r.date, r.date_style),
                id(&r.supplier_id),
                name(&r.supplier),
                "3578819".to_owned(),
                amount(&r.amount, r.amount_style, '.', ','),
                t(&r.text),
            ],
        ),
        1 => (
            ';',
            vec![
                date(&r.date, r.date_style),
                amount(&r.amount, r.amount_style, ',', '.'),
                id(&r.supplier_id),
                name(&r.supplier),
                id(&r.vat),
                id(&r.supplier_id),
                t(&r.text),
                t(&r.unit),
                t(&r.unit),
                format!("{};{}", id(&r.account), id(&r.cost_centre)),
            ],
        ),
        2 => (
            '\t',
            vec![
                date(&r.date, r.date_style),
                amount(&r.amount, r.amount_style, ',', ' '),
                id(&r.supplier_id),
                id(&r.vat),
                t(&r.unit),
                t(&r.text),
                format!(
                    "{:<14.14}{:<5.5}{:<3.3}",
                    id(&r.account),
                    id(&r.cost_centre),
                    id(&r.vat)
                ),
                format!("S-{}-{}", t(&r.unit), id(&r.cost_centre)),
            ],
        ),
        _ => (
            '|',
            vec![
                date(&r.date, r.date_style),
                amount(&r.amount, r.amount_style, '.', '\''),
                name(&r.supplier),
                id(&r.vat),
                format!("{}::{}", id(&r.cost_centre), id(&r.account)),
                t(&r.text),
            ],
        ),
    }
}
