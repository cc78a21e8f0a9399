//! [`ExportMapping`]: a checked mapping file — which export column feeds which field, and how
//! its values are written. Parsed into `raw.rs`'s structs, validated here, then used.

use std::path::Path;

use super::amount::AmountFormat;
use super::date::DateFormats;
use super::decode::Decoding;
use super::glob::check_glob;
use super::headers::{Duplicates, normalise_header};
use super::raw::{OneOrMany, RawAmount, RawColumn, RawDate, RawMapping, RawSplit};
use super::split::Split;
use super::{Field, MappingError};

/// A validated mapping from a single-table export onto [`ExportRow`](super::ExportRow)'s fields.
/// The format is documented in `data/README.md`, "Real single-table exports".
#[derive(Debug, Clone)]
pub struct ExportMapping {
    pub(super) globs: Vec<String>,
    pub(super) delimiter: char,
    pub(super) decoding: Decoding,
    pub(super) date: Column,
    pub(super) date_formats: DateFormats,
    pub(super) amount: Column,
    pub(super) amount_format: AmountFormat,
    pub(super) text: Vec<Column>,
    /// The other mapped fields (one column each), in [`Field::ALL`] order.
    pub(super) strings: Vec<(Field, Column)>,
}

/// Where one field's value comes from: the header aliases tried in order, which of several
/// same-named headers to take, and optionally which part of a composite value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    pub aliases: Vec<String>,
    pub duplicates: Duplicates,
    pub split: Option<Split>,
}

impl ExportMapping {
    /// Parses and validates a mapping written in TOML.
    pub fn from_toml(text: &str) -> Result<Self, MappingError> {
        let raw: RawMapping = toml::from_str(text).map_err(|e| syntax_error(text, &e))?;
        validate(raw)
    }

    /// Reads, parses and validates a mapping file; errors name the file.
    pub fn from_file(path: &Path) -> Result<Self, MappingError> {
        let text = std::fs::read_to_string(path).map_err(|source| MappingError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        Self::from_toml(&text).map_err(|e| e.in_file(path.to_path_buf()))
    }

    /// The globs naming the export's files, relative to the data directory.
    pub fn globs(&self) -> &[String] {
        &self.globs
    }

    /// The fields this mapping fills, in [`Field::ALL`] order.
    pub fn fields(&self) -> Vec<Field> {
        Field::ALL
            .into_iter()
            .filter(|&f| match f {
                Field::Date | Field::Amount => true,
                Field::Text => !self.text.is_empty(),
                f => self.strings.iter().any(|(g, _)| *g == f),
            })
            .collect()
    }
}

/// `line L: message`, from toml's error (whose message names an unknown key).
fn syntax_error(text: &str, error: &toml::de::Error) -> MappingError {
    let message = error.message().trim().to_owned();
    let message = match error.span() {
        Some(span) => {
            let line = text
                .get(..span.start)
                .map_or(0, |t| t.matches('\n').count())
                + 1;
            format!("line {line}: {message}")
        }
        None => message,
    };
    MappingError::Syntax {
        path: None,
        message,
    }
}

fn validate(raw: RawMapping) -> Result<ExportMapping, MappingError> {
    let globs = match raw.files {
        OneOrMany::One(glob) => vec![glob],
        OneOrMany::Many(globs) => globs,
    };
    if globs.is_empty() {
        return Err(MappingError::invalid(
            "files",
            "name the export's files, e.g. files = \"*.csv\"",
        ));
    }
    for glob in &globs {
        check_glob(glob).map_err(|p| MappingError::invalid("files", p))?;
    }
    let delimiter = delimiter(raw.delimiter.as_deref().unwrap_or(","))?;
    let decoding = match raw.encoding {
        None => Decoding::default(),
        Some(encoding) => {
            let fallback = encoding.fallback.as_deref().unwrap_or("windows-1252");
            let mut decoding = Decoding::new(fallback)
                .map_err(|p| MappingError::invalid("encoding.fallback", p))?;
            for (byte, to) in &encoding.bytes {
                let key = format!("encoding.bytes.{byte}");
                let (byte, to) =
                    byte_override(byte, to).map_err(|p| MappingError::invalid(&key, p))?;
                decoding
                    .set(byte, to)
                    .map_err(|p| MappingError::invalid(&key, p))?;
            }
            decoding
        }
    };

    let fields = raw.fields;
    let RawDate {
        headers,
        duplicates,
        split,
        formats,
    } = fields.date.ok_or_else(|| {
        MappingError::invalid(
            "fields.date",
            "the date is required: add [fields.date] with headers = [...] and formats = [...]",
        )
    })?;
    let date = column("fields.date", headers, duplicates, split)?;
    let date_formats =
        DateFormats::new(formats).map_err(|p| MappingError::invalid("fields.date.formats", p))?;

    let RawAmount {
        headers,
        duplicates,
        split,
        decimal,
        thousands,
    } = fields.amount.ok_or_else(|| {
        MappingError::invalid(
            "fields.amount",
            "the amount is required: add [fields.amount] with headers = [...]",
        )
    })?;
    let amount = column("fields.amount", headers, duplicates, split)?;
    let amount_format = amount_format(decimal.as_deref(), thousands.as_deref())?;

    let text = fields
        .text
        .into_iter()
        .enumerate()
        .map(|(i, raw)| raw_column(&format!("fields.text[{}]", i + 1), raw))
        .collect::<Result<Vec<_>, _>>()?;

    let optional = [
        (Field::InvoiceRef, fields.invoice_ref),
        (Field::SupplierId, fields.supplier_id),
        (Field::SupplierName, fields.supplier_name),
        (Field::SupplierVat, fields.supplier_vat),
        (Field::Unit, fields.unit),
        (Field::AccountingCost, fields.accounting_cost),
        (Field::Account, fields.account),
        (Field::CostCentre, fields.cost_centre),
        (Field::VatCode, fields.vat_code),
        (Field::Project, fields.project),
    ];
    let mut strings = Vec::new();
    for (field, raw) in optional {
        if let Some(raw) = raw {
            strings.push((field, raw_column(&format!("fields.{field}"), raw)?));
        }
    }
    let maps = |wanted: &[Field]| strings.iter().any(|(f, _)| wanted.contains(f));
    if !maps(&Field::SUPPLIER) {
        return Err(MappingError::invalid(
            "fields",
            "map the supplier: add [fields.supplier_id] or [fields.supplier_name] (or both)",
        ));
    }
    if !maps(&Field::LABELS) {
        return Err(MappingError::invalid(
            "fields",
            "map at least one label to learn: [fields.account], [fields.cost_centre], \
             [fields.vat_code] or [fields.project]",
        ));
    }

    Ok(ExportMapping {
        globs,
        delimiter,
        decoding,
        date,
        date_formats,
        amount,
        amount_format,
        text,
        strings,
    })
}

fn raw_column(key: &str, raw: RawColumn) -> Result<Column, MappingError> {
    column(key, raw.headers, raw.duplicates, raw.split)
}

fn column(
    key: &str,
    aliases: Vec<String>,
    duplicates: Option<String>,
    split: Option<RawSplit>,
) -> Result<Column, MappingError> {
    if aliases.is_empty() {
        return Err(MappingError::invalid(
            format!("{key}.headers"),
            "list at least one header name, e.g. headers = [\"Net Amount\", \"Amount\"]",
        ));
    }
    if let Some(alias) = aliases.iter().find(|a| normalise_header(a).is_empty()) {
        return Err(MappingError::invalid(
            format!("{key}.headers"),
            format!("`{alias}` has no letters or digits, so it cannot match a header"),
        ));
    }
    let duplicates = match duplicates.as_deref() {
        None | Some("first") => Duplicates::First,
        Some("last") => Duplicates::Last,
        Some(other) => {
            return Err(MappingError::invalid(
                format!("{key}.duplicates"),
                format!("`{other}` is neither `first` nor `last`"),
            ));
        }
    };
    let split = split
        .map(|s| Split::new(s.delimiter, s.part, s.chars))
        .transpose()
        .map_err(|p| MappingError::invalid(format!("{key}.split"), p))?;
    Ok(Column {
        aliases,
        duplicates,
        split,
    })
}

fn single_char(text: &str) -> Option<char> {
    let mut chars = text.chars();
    chars.next().filter(|_| chars.next().is_none())
}

fn delimiter(text: &str) -> Result<char, MappingError> {
    match single_char(text) {
        Some(c) if !matches!(c, '"' | '\n' | '\r') => Ok(c),
        _ => Err(MappingError::invalid(
            "delimiter",
            format!(
                "`{text}` must be one character other than a quote or a line break, e.g. \";\""
            ),
        )),
    }
}

fn amount_format(
    decimal: Option<&str>,
    thousands: Option<&str>,
) -> Result<AmountFormat, MappingError> {
    let decimal = match decimal {
        None => '.',
        Some(d) => single_char(d).ok_or_else(|| {
            MappingError::invalid("fields.amount.decimal", format!("`{d}` must be `.` or `,`"))
        })?,
    };
    let thousands = match thousands {
        None | Some("") => None,
        Some(t) => Some(single_char(t).ok_or_else(|| {
            MappingError::invalid(
                "fields.amount.thousands",
                format!("`{t}` must be one character: `,`, `.`, `'` or a space"),
            )
        })?),
    };
    AmountFormat::new(decimal, thousands).map_err(|p| MappingError::invalid("fields.amount", p))
}

fn byte_override(byte: &str, to: &str) -> Result<(u8, char), String> {
    let value = (byte.len() == 2)
        .then(|| u8::from_str_radix(byte, 16).ok())
        .flatten()
        .ok_or_else(|| {
            format!("`{byte}` is not a byte in hex; write two hex digits, e.g. \"9C\"")
        })?;
    let to = single_char(to).ok_or_else(|| format!("`{to}` must be exactly one character"))?;
    Ok((value, to))
}
