//! [`read_export`]: reads a real single-table export through an [`ExportMapping`] into
//! [`ExportRow`]s, counting empty and malformed rows instead of failing on them.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::csv_text::Records;
use super::glob::matching_files;
use super::headers::{find_header, normalise_header};
use super::mapping::Column;
use super::{ExportError, ExportMapping, ExportReport, Field, FileReport};

/// The rows of an export that could be read, and the report on all of them.
#[derive(Debug, Clone)]
pub struct Export {
    pub rows: Vec<ExportRow>,
    pub report: ExportReport,
}

/// One invoice or payment of the export. Strings are trimmed; empty ones are `None`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportRow {
    /// Index into `report.files`.
    pub file: usize,
    /// 1-based data row in that file (the header is not a row).
    pub row: u64,
    pub invoice_ref: Option<String>,
    pub supplier_id: Option<String>,
    pub supplier_name: Option<String>,
    pub supplier_vat: Option<String>,
    pub date: NaiveDate,
    pub amount: Decimal,
    /// The text columns' values joined with a space (empty if there are none).
    pub text: String,
    /// The receiving unit: an input, not a label.
    pub unit: Option<String>,
    /// The account string the invoice itself carried (its `AccountingCost`): an input, evidence
    /// for every label, whether or not it names an account of the chart.
    pub accounting_cost: Option<String>,
    pub account: Option<String>,
    pub cost_centre: Option<String>,
    pub vat_code: Option<String>,
    pub project: Option<String>,
}

/// Reads every file of `dir` that the mapping's globs match, in sorted path order, rows in
/// file order.
///
/// Fatal: no matching file, a file that cannot be read, a file whose header has no column for
/// the date, the amount, the supplier (id or name) or any label. Everything else — empty rows,
/// rows with the wrong number of fields, bad or missing dates and amounts, rows without a
/// supplier or a label — is counted in the report.
pub fn read_export(dir: &Path, mapping: &ExportMapping) -> Result<Export, ExportError> {
    let mut export = Export {
        rows: Vec::new(),
        report: ExportReport::default(),
    };
    for (index, relative) in matching_files(dir, &mapping.globs)?.into_iter().enumerate() {
        read_file(dir, relative, index, mapping, &mut export)?;
    }
    Ok(export)
}

/// The header index of each mapped field found in one file.
struct Located<'m> {
    date: (usize, &'m Column),
    amount: (usize, &'m Column),
    text: Vec<(usize, &'m Column)>,
    strings: Vec<(Field, usize, &'m Column)>,
}

/// Reads one export file's contents as [`read_export`] reads each file it finds (decoding,
/// header, rows), for callers that hold the file in memory: `name` is the path the report and
/// errors give it. Fatal errors are those of a single file (a missing required column).
pub fn read_export_bytes(
    name: &Path,
    bytes: &[u8],
    mapping: &ExportMapping,
) -> Result<Export, ExportError> {
    let mut export = Export {
        rows: Vec::new(),
        report: ExportReport::default(),
    };
    read_bytes(name, name.to_path_buf(), bytes, 0, mapping, &mut export)?;
    Ok(export)
}

fn read_file(
    dir: &Path,
    relative: PathBuf,
    index: usize,
    mapping: &ExportMapping,
    export: &mut Export,
) -> Result<(), ExportError> {
    let path = dir.join(&relative);
    let bytes = std::fs::read(&path).map_err(|source| ExportError::Io {
        path: path.clone(),
        source,
    })?;
    read_bytes(&path, relative, &bytes, index, mapping, export)
}

/// One file's bytes: `path` for errors, `relative` for the report, `index` into its files.
fn read_bytes(
    path: &Path,
    relative: PathBuf,
    bytes: &[u8],
    index: usize,
    mapping: &ExportMapping,
    export: &mut Export,
) -> Result<(), ExportError> {
    let (text, recoded_chars) = mapping.decoding.decode(bytes);
    let mut records = Records::new(&text, mapping.delimiter);
    let header = records.next().unwrap_or_default();
    let (located, file_report) = locate(path, relative, &header, mapping)?;
    let mut file_report = FileReport {
        recoded_chars,
        ..file_report
    };

    let report = &mut export.report;
    for (row, record) in (1..).zip(records) {
        file_report.rows += 1;
        report.rows_read += 1;
        if record.iter().all(|cell| cell.trim().is_empty()) {
            report.empty_rows += 1;
            continue;
        }
        if record.len() != header.len() {
            report.count_malformed(index, row, "wrong number of fields");
            continue;
        }
        match parse_row(&record, &located, mapping, index, row) {
            Ok(parsed) => {
                report.rows_ok += 1;
                export.rows.push(parsed);
            }
            Err(reason) => report.count_malformed(index, row, reason),
        }
    }
    report.files.push(file_report);
    Ok(())
}

/// Finds each mapped field's column in the header; an error if a required one is missing.
fn locate<'m>(
    path: &Path,
    relative: PathBuf,
    header: &[String],
    mapping: &'m ExportMapping,
) -> Result<(Located<'m>, FileReport), ExportError> {
    let normalised: Vec<String> = header.iter().map(|h| normalise_header(h)).collect();
    let find = |column: &Column| find_header(&column.aliases, column.duplicates, &normalised);
    let missing = |field: &str, columns: Vec<&Column>| ExportError::MissingColumn {
        file: path.to_path_buf(),
        field: field.to_owned(),
        aliases: columns.iter().flat_map(|c| c.aliases.clone()).collect(),
        headers: header.to_vec(),
    };

    let date = find(&mapping.date).ok_or_else(|| missing("date", vec![&mapping.date]))?;
    let amount = find(&mapping.amount).ok_or_else(|| missing("amount", vec![&mapping.amount]))?;
    let mut header_mapping = vec![(Field::Date, date), (Field::Amount, amount)];
    let mut not_found = Vec::new();
    let mut text = Vec::new();
    for column in &mapping.text {
        match find(column) {
            Some(i) => {
                text.push((i, column));
                header_mapping.push((Field::Text, i));
            }
            None => not_found.push(Field::Text),
        }
    }
    let mut strings = Vec::new();
    for (field, column) in &mapping.strings {
        match find(column) {
            Some(i) => {
                strings.push((*field, i, column));
                header_mapping.push((*field, i));
            }
            None => not_found.push(*field),
        }
    }
    for (group, name) in [
        (&Field::SUPPLIER[..], "supplier_id or supplier_name"),
        (
            &Field::LABELS[..],
            "a label (account, cost_centre, vat_code or project)",
        ),
    ] {
        if !strings.iter().any(|(f, _, _)| group.contains(f)) {
            let columns = mapping.strings.iter().filter(|(f, _)| group.contains(f));
            return Err(missing(name, columns.map(|(_, c)| c).collect()));
        }
    }

    header_mapping.sort_by_key(|&(field, _)| field);
    not_found.dedup();
    let report = FileReport {
        path: relative,
        rows: 0,
        header_mapping: header_mapping
            .into_iter()
            .map(|(field, i)| (field, header[i].clone()))
            .collect(),
        missing: not_found,
        recoded_chars: 0,
    };
    let located = Located {
        date: (date, &mapping.date),
        amount: (amount, &mapping.amount),
        text,
        strings,
    };
    Ok((located, report))
}

fn parse_row(
    record: &[String],
    located: &Located<'_>,
    mapping: &ExportMapping,
    file: usize,
    row: u64,
) -> Result<ExportRow, &'static str> {
    let (i, column) = located.date;
    let date = cell(record, i, column).ok_or("missing date")?;
    let date = mapping.date_formats.parse(&date).ok_or("bad date")?;
    let (i, column) = located.amount;
    let amount = cell(record, i, column).ok_or("missing amount")?;
    let amount = mapping.amount_format.parse(&amount).ok_or("bad amount")?;

    let parts: Vec<String> = located
        .text
        .iter()
        .filter_map(|&(i, column)| cell(record, i, column))
        .collect();
    let mut parsed = ExportRow {
        file,
        row,
        invoice_ref: None,
        supplier_id: None,
        supplier_name: None,
        supplier_vat: None,
        date,
        amount,
        text: parts.join(" "),
        unit: None,
        accounting_cost: None,
        account: None,
        cost_centre: None,
        vat_code: None,
        project: None,
    };
    for &(field, i, column) in &located.strings {
        let value = cell(record, i, column);
        let slot = match field {
            Field::InvoiceRef => &mut parsed.invoice_ref,
            Field::SupplierId => &mut parsed.supplier_id,
            Field::SupplierName => &mut parsed.supplier_name,
            Field::SupplierVat => &mut parsed.supplier_vat,
            Field::Unit => &mut parsed.unit,
            Field::AccountingCost => &mut parsed.accounting_cost,
            Field::Account => &mut parsed.account,
            Field::CostCentre => &mut parsed.cost_centre,
            Field::VatCode => &mut parsed.vat_code,
            Field::Project => &mut parsed.project,
            Field::Date | Field::Amount | Field::Text => continue,
        };
        *slot = value;
    }
    if parsed.supplier_id.is_none() && parsed.supplier_name.is_none() {
        return Err("missing supplier");
    }
    let labels = [
        &parsed.account,
        &parsed.cost_centre,
        &parsed.vat_code,
        &parsed.project,
    ];
    if labels.iter().all(|l| l.is_none()) {
        return Err("missing label");
    }
    Ok(parsed)
}

/// The trimmed value (or the mapped part of it), `None` if empty.
fn cell(record: &[String], index: usize, column: &Column) -> Option<String> {
    let raw = record.get(index)?;
    let value = match &column.split {
        Some(split) => split.apply(raw),
        None => raw,
    };
    let value = value.trim();
    (!value.is_empty()).then(|| value.to_owned())
}
