//! Target `row`: the importer's reading of a mapped real export, one file held in memory
//! (`kontera_data::read_export_bytes`: decoding, CSV records, header aliases, composite splits,
//! amounts, dates), and the per-value parsers (`AmountFormat::parse`, `DateFormats::parse`) on
//! every cell.
//!
//! Input: the first byte picks one of four mappings (its value mod 4) and whether the rest
//! brings its own header line (bit 2 set) or is only rows, read under the mapping's usual
//! header. The mappings: Harrogate's real one (`data/mappings/harrogate.toml`, `,`, three date
//! formats, `£` and Windows-1252); the README's Danish one (`;`, `1.234,50`, a composite
//! `Kontostreng` split by `;`); a positional one (tab, `1 234,50`, accounts cut by character
//! positions, `replace` decoding); and one with `|`, `1'234.50`, US dates and a repeated header.
//!
//! Invariants beyond "no panic": `rows_read = rows_ok + empty + malformed`, one row per
//! `rows_ok`, every string of a row trimmed and not empty, amounts with at least two decimals,
//! and an amount that parses prints as a plain decimal that parses to the same value.

use std::path::Path;
use std::sync::OnceLock;

use kontera_data::{AmountFormat, DateFormats, ExportMapping, read_export_bytes};

use super::outcome::small_bucket;

/// A mapping and the header line its rows are read under when the input brings none.
struct Mapping {
    mapping: ExportMapping,
    header: &'static str,
}

const HARROGATE_HEADER: &str = "Body Name,Expenditure Category(T),Capital/ Revenue,Service Label(T),\
Service Code(T),Expenditure Code,Expenditure Code(T),Payment Date,Supplier Name,Supplier Name(T),\
Transaction No.,Net Amount,Narrative";

const DANISH: &str = r#"
files = "*.csv"
delimiter = ";"
[encoding]
fallback = "windows-1252"
bytes = { "9C" = "£" }
[fields.date]
headers = ["Bogføringsdato", "Dato"]
formats = ["%d-%m-%Y", "%Y-%m-%d"]
[fields.amount]
headers = ["Beløb", "Beløb i DKK"]
decimal = ","
thousands = "."
[fields.supplier_id]
headers = ["Kreditornr"]
[fields.supplier_name]
headers = ["Kreditor (T)", "Kreditor"]
duplicates = "last"
[fields.supplier_vat]
headers = ["CVR"]
[fields.invoice_ref]
headers = ["Fakturanr", "Bilag"]
[[fields.text]]
headers = ["Tekst"]
[[fields.text]]
headers = ["Varebeskrivelse"]
[fields.unit]
headers = ["Institution"]
[fields.account]
headers = ["Kontostreng"]
split = { delimiter = ";", part = 1 }
[fields.cost_centre]
headers = ["Kontostreng"]
split = { delimiter = ";", part = 2 }
"#;

const DANISH_HEADER: &str = "Bogføringsdato;Beløb;Kreditornr;Kreditor (T);CVR;Fakturanr;Tekst;Varebeskrivelse;Institution;Kontostreng";

const POSITIONAL: &str = r#"
files = "*.txt"
delimiter = "\t"
[encoding]
fallback = "replace"
[fields.date]
headers = ["Dato"]
formats = ["%d.%m.%Y", "%Y%m%d", "%d-%b-%y"]
[fields.amount]
headers = ["Beløb"]
decimal = ","
thousands = " "
[fields.supplier_id]
headers = ["Kreditor"]
[fields.supplier_vat]
headers = ["CVR"]
[fields.unit]
headers = ["Enhed"]
[[fields.text]]
headers = ["Tekst"]
[fields.account]
headers = ["Konto"]
split = { chars = [1, 14] }
[fields.cost_centre]
headers = ["Konto"]
split = { chars = [15, 19] }
[fields.vat_code]
headers = ["Konto"]
split = { chars = [20, 22] }
[fields.project]
headers = ["Sag"]
split = { delimiter = "-", part = 3 }
"#;

const POSITIONAL_HEADER: &str = "Dato\tBeløb\tKreditor\tCVR\tEnhed\tTekst\tKonto\tSag";

const PIPES: &str = r#"
files = "*.csv"
delimiter = "|"
[fields.date]
headers = ["Date"]
formats = ["%m/%d/%Y", "%Y-%m-%d %H:%M:%S", "%e %B %Y"]
[fields.amount]
headers = ["Amount"]
thousands = "'"
[fields.supplier_name]
headers = ["Vendor"]
[fields.account]
headers = ["Code"]
duplicates = "last"
split = { delimiter = "::", part = 2 }
[fields.vat_code]
headers = ["Code"]
[[fields.text]]
headers = ["Note"]
"#;

const PIPES_HEADER: &str = "Date|Amount|Vendor|Code|Code|Note";

fn mappings() -> &'static [Mapping] {
    static MAPPINGS: OnceLock<Vec<Mapping>> = OnceLock::new();
    MAPPINGS.get_or_init(|| {
        let harrogate = include_str!("../../../data/mappings/harrogate.toml");
        [
            (harrogate, HARROGATE_HEADER),
            (DANISH, DANISH_HEADER),
            (POSITIONAL, POSITIONAL_HEADER),
            (PIPES, PIPES_HEADER),
        ]
        .into_iter()
        .map(|(toml, header)| Mapping {
            mapping: ExportMapping::from_toml(toml).unwrap_or_else(|e| panic!("{e}")),
            header,
        })
        .collect()
    })
}

/// The amount formats and date formats every cell is tried with.
fn value_parsers() -> &'static (Vec<AmountFormat>, Vec<DateFormats>) {
    static PARSERS: OnceLock<(Vec<AmountFormat>, Vec<DateFormats>)> = OnceLock::new();
    PARSERS.get_or_init(|| {
        let amounts = [
            ('.', None),
            ('.', Some(',')),
            ('.', Some('\'')),
            (',', Some('.')),
            (',', Some(' ')),
            (',', None),
        ]
        .into_iter()
        .map(|(d, t)| AmountFormat::new(d, t).expect("a valid amount format"))
        .collect();
        let dates = [
            &["%Y-%m-%d", "%d/%m/%Y", "%d-%b-%y"][..],
            &["%d.%m.%Y", "%Y%m%d"],
            &["%e %B %Y", "%Y-%m-%d %H:%M:%S", "%m/%d/%y"],
        ]
        .into_iter()
        .map(|f| DateFormats::new(f.iter().map(|s| (*s).to_owned()).collect()).expect("valid"))
        .collect();
        (amounts, dates)
    })
}

pub(super) fn run(data: &[u8]) -> Vec<String> {
    let mut out = Vec::new();
    let Some((&selector, body)) = data.split_first() else {
        return out;
    };
    let index = usize::from(selector % 4);
    let own_header = selector & 4 != 0;
    let Mapping { mapping, header } = &mappings()[index];
    let file = if own_header {
        body.to_vec()
    } else {
        let mut file = Vec::with_capacity(header.len() + 1 + body.len());
        file.extend_from_slice(header.as_bytes());
        file.push(b'\n');
        file.extend_from_slice(body);
        file
    };
    let prefix = format!("m{index}{}", if own_header { "h" } else { "" });
    match read_export_bytes(Path::new("fuzz.csv"), &file, mapping) {
        Ok(export) => {
            let report = &export.report;
            assert_eq!(
                report.rows_read,
                report.rows_ok + report.empty_rows + report.malformed_rows(),
                "rows read are not kept + empty + malformed"
            );
            assert_eq!(export.rows.len() as u64, report.rows_ok);
            out.push(format!("{prefix}:ok:{}", small_bucket(export.rows.len())));
            for reason in report.malformed.keys() {
                out.push(format!("{prefix}:malformed:{reason}"));
            }
            if report.empty_rows > 0 {
                out.push(format!("{prefix}:empty"));
            }
            for file in &report.files {
                if file.recoded_chars > 0 {
                    out.push(format!("{prefix}:recoded"));
                }
                for field in &file.missing {
                    out.push(format!("{prefix}:missing:{field}"));
                }
            }
            for row in &export.rows {
                check_row(row, &prefix, &mut out);
            }
        }
        Err(e) => {
            let variant = format!("{e:?}");
            let variant = variant.split([' ', '(', '{']).next().unwrap_or_default();
            out.push(format!("{prefix}:err:{variant}"));
        }
    }
    cells(&String::from_utf8_lossy(body), &mut out);
    out
}

fn check_row(row: &kontera_data::ExportRow, prefix: &str, out: &mut Vec<String>) {
    assert!(
        row.amount.scale() >= 2,
        "amount {} has fewer than two decimals",
        row.amount
    );
    assert_eq!(row.text, row.text.trim(), "the text is not trimmed");
    for (value, name) in [
        (&row.invoice_ref, "invoice_ref"),
        (&row.supplier_id, "supplier_id"),
        (&row.supplier_name, "supplier_name"),
        (&row.supplier_vat, "supplier_vat"),
        (&row.unit, "unit"),
        (&row.account, "account"),
        (&row.cost_centre, "cost_centre"),
        (&row.vat_code, "vat_code"),
        (&row.project, "project"),
    ] {
        if let Some(v) = value {
            assert!(
                !v.is_empty() && v.trim() == v,
                "{name} is empty or not trimmed: {v:?}"
            );
            out.push(format!("{prefix}:row:{name}"));
        }
    }
    if row.amount.is_sign_negative() {
        out.push(format!("{prefix}:row:negative"));
    }
}

/// Every cell of the text (split on any usual delimiter), through every amount and date format.
fn cells(text: &str, out: &mut Vec<String>) {
    let (amounts, dates) = value_parsers();
    let plain = AmountFormat::new('.', None).expect("a valid amount format");
    let cells = text.split([',', ';', '\t', '|', '\n', '\r']);
    for cell in cells.filter(|c| c.len() <= 64).take(32) {
        for (i, format) in amounts.iter().enumerate() {
            if let Some(amount) = format.parse(cell) {
                assert!(amount.scale() >= 2, "{cell:?} parsed to {amount}");
                let printed = amount.to_string();
                assert_eq!(
                    plain.parse(&printed),
                    Some(amount),
                    "{cell:?} parsed to {printed}, which does not parse back"
                );
                out.push(format!("amount:{i}"));
            }
        }
        for (i, formats) in dates.iter().enumerate() {
            if formats.parse(cell).is_some() {
                out.push(format!("date:{i}"));
            }
        }
    }
}
