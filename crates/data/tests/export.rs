//! Real single-table exports: mapping files, header aliases, amounts, dates, composite columns,
//! counted (never fatal) bad rows, and the committed Harrogate subset.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use kontera_data::{
    AmountFormat, ExportError, ExportMapping, ExportRow, Field, MappingError, read_export,
    read_export_bytes,
};
use rust_decimal::Decimal;

const HARROGATE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../data/real/harrogate");
const MAPPINGS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../data/mappings");
const README: &str = include_str!("../../../data/README.md");

/// A small mapping: `,` separated, ISO or Danish dates, `.` decimals.
const BASIC: &str = r#"
files = "*.csv"

[fields.date]
headers = ["Date"]
formats = ["%Y-%m-%d", "%d.%m.%Y"]

[fields.amount]
headers = ["Amount"]
thousands = ","

[fields.supplier_name]
headers = ["Supplier"]

[fields.account]
headers = ["Account"]
"#;

fn mapping(toml: &str) -> ExportMapping {
    ExportMapping::from_toml(toml).unwrap_or_else(|e| panic!("{e}"))
}

fn mapping_error(toml: &str) -> String {
    ExportMapping::from_toml(toml)
        .expect_err("the mapping should be rejected")
        .to_string()
}

fn export_dir(files: &[(&str, &[u8])]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, bytes) in files {
        let path = dir.path().join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes).unwrap();
    }
    dir
}

fn dec(text: &str) -> Decimal {
    text.parse().unwrap()
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

// ---- the mapping file ----

#[test]
fn unknown_keys_are_named() {
    let err = mapping_error(&format!("colour = \"blue\"\n{BASIC}"));
    assert!(err.contains("line 1: unknown field `colour`"), "{err}");

    let err = mapping_error(&BASIC.replace("thousands = \",\"", "thousand = \",\""));
    assert!(err.contains("unknown field `thousand`"), "{err}");
    assert!(err.contains("line 10"), "{err}");

    let err = mapping_error(&format!("{BASIC}\n[fields.colour]\nheaders = [\"x\"]\n"));
    assert!(err.contains("unknown field `colour`"), "{err}");
}

#[test]
fn required_fields_are_checked() {
    let no_date = BASIC.replace("[fields.date]", "[fields.invoice_ref]");
    let no_date = no_date.replace("formats = [\"%Y-%m-%d\", \"%d.%m.%Y\"]\n", "");
    let err = mapping_error(&no_date);
    assert!(err.contains("`fields.date`: the date is required"), "{err}");

    let err = mapping_error(
        &BASIC
            .replace("[fields.amount]", "[fields.project]")
            .replace("thousands = \",\"\n", ""),
    );
    assert!(
        err.contains("`fields.amount`: the amount is required"),
        "{err}"
    );

    let err = mapping_error(&BASIC.replace("supplier_name", "supplier_vat"));
    assert!(err.contains("map the supplier"), "{err}");

    let err = mapping_error(&BASIC.replace("fields.account", "fields.unit"));
    assert!(err.contains("map at least one label"), "{err}");
}

#[test]
fn bad_values_are_named_with_their_key() {
    let cases = [
        (
            BASIC.replace("\"%d.%m.%Y\"", "\"%d.%Q.%Y\""),
            "`fields.date.formats`: date format `%d.%Q.%Y` is not a valid chrono format",
        ),
        (
            BASIC.replace("\"%d.%m.%Y\"", "\"%d.%m\""),
            "date format `%d.%m` does not give a whole date",
        ),
        (
            BASIC.replace("[\"%Y-%m-%d\", \"%d.%m.%Y\"]", "[]"),
            "list at least one date format",
        ),
        (
            BASIC.replace("headers = [\"Supplier\"]", "headers = []"),
            "`fields.supplier_name.headers`: list at least one header name",
        ),
        (
            BASIC.replace("headers = [\"Supplier\"]", "headers = [\" - \"]"),
            "has no letters or digits",
        ),
        (
            BASIC.replace(
                "headers = [\"Account\"]",
                "headers = [\"A\"]\nduplicates = \"middle\"",
            ),
            "`fields.account.duplicates`: `middle` is neither `first` nor `last`",
        ),
        (
            BASIC.replace(
                "headers = [\"Account\"]",
                "headers = [\"A\"]\nsplit = { part = 2 }",
            ),
            "`fields.account.split`: write either delimiter and part",
        ),
        (
            BASIC.replace("thousands = \",\"", "decimal = \",\"\nthousands = \",\""),
            "is also the decimal separator",
        ),
        (
            BASIC.replace("files = \"*.csv\"", "files = \"../*.csv\""),
            "`files`: `../*.csv` has an empty, `.` or `..` component",
        ),
        (
            format!("delimiter = \"ab\"\n{BASIC}"),
            "`delimiter`: `ab` must be one character",
        ),
        (
            format!("{BASIC}\n[encoding]\nbytes = {{ \"G1\" = \"x\" }}\n"),
            "`encoding.bytes.G1`: `G1` is not a byte in hex",
        ),
        (
            format!("{BASIC}\n[encoding]\nfallback = \"ebcdic\"\n"),
            "`encoding.fallback`: unknown fallback `ebcdic`",
        ),
    ];
    for (toml, expected) in cases {
        let err = mapping_error(&toml);
        assert!(err.contains(expected), "expected {expected:?} in {err:?}");
    }
}

#[test]
fn mapping_file_errors_name_the_file() {
    let dir = export_dir(&[("bad.toml", b"files = 3\n")]);
    let path = dir.path().join("bad.toml");
    let err = ExportMapping::from_file(&path).unwrap_err();
    assert!(matches!(err, MappingError::Syntax { .. }), "{err:?}");
    assert!(err.to_string().contains("bad.toml"), "{err}");
    let err = ExportMapping::from_file(&dir.path().join("missing.toml")).unwrap_err();
    assert!(
        err.to_string().contains("cannot read mapping file"),
        "{err}"
    );
}

#[test]
fn shipped_mappings_and_the_readme_example_are_valid() {
    for name in ["harrogate.toml", "harrogate-service.toml"] {
        let path = Path::new(MAPPINGS).join(name);
        ExportMapping::from_file(&path).unwrap_or_else(|e| panic!("{e}"));
    }
    let section = &README[README.find("## Real single-table exports").unwrap()..];
    let start = section.find("```toml\n").unwrap() + "```toml\n".len();
    let example = &section[start..start + section[start..].find("```").unwrap()];
    let example = mapping(example);
    assert_eq!(
        example.fields(),
        vec![
            Field::InvoiceRef,
            Field::SupplierId,
            Field::SupplierName,
            Field::SupplierVat,
            Field::Date,
            Field::Amount,
            Field::Text,
            Field::Unit,
            Field::AccountingCost,
            Field::Account,
            Field::CostCentre,
        ]
    );
}

// ---- headers ----

#[test]
fn drifted_headers_match_their_aliases() {
    let dir = export_dir(&[
        (
            "a.csv",
            b"DATE,amount , supplier ,ACCOUNT\n2024-01-02,1.00,Acme,4.1\n",
        ),
        (
            "b.csv",
            b"Account,Supplier.,A-mount,Da te\n4.2,Beta,2.50,2024-01-03\n",
        ),
    ]);
    let export = read_export(dir.path(), &mapping(BASIC)).unwrap();
    let headers: Vec<Vec<(Field, String)>> = export
        .report
        .files
        .iter()
        .map(|f| f.header_mapping.clone())
        .collect();
    let pairs = |h: [&str; 4]| {
        vec![
            (Field::SupplierName, h[0].to_owned()),
            (Field::Date, h[1].to_owned()),
            (Field::Amount, h[2].to_owned()),
            (Field::Account, h[3].to_owned()),
        ]
    };
    assert_eq!(
        headers,
        vec![
            pairs([" supplier ", "DATE", "amount ", "ACCOUNT"]),
            pairs(["Supplier.", "Da te", "A-mount", "Account"])
        ]
    );
    assert_eq!(export.rows[1].supplier_name.as_deref(), Some("Beta"));
    assert_eq!(export.rows[1].amount, dec("2.50"));
}

#[test]
fn a_missing_required_header_names_file_field_aliases_and_headers() {
    let dir = export_dir(&[("a.csv", b"Date,Total,Supplier,Account\n")]);
    let err = read_export(dir.path(), &mapping(BASIC)).unwrap_err();
    let text = err.to_string();
    assert!(matches!(err, ExportError::MissingColumn { .. }), "{err:?}");
    for part in [
        "a.csv",
        "`amount`",
        "[`Date`, `Total`, `Supplier`, `Account`]",
        "[`Amount`]",
    ] {
        assert!(text.contains(part), "{part:?} not in {text}");
    }

    let dir = export_dir(&[("a.csv", b"Date,Amount,Supplier,Konto\n")]);
    let text = read_export(dir.path(), &mapping(BASIC))
        .unwrap_err()
        .to_string();
    assert!(text.contains("no column for `a label"), "{text}");
}

#[test]
fn optional_headers_may_be_missing_and_are_reported() {
    let toml = format!("{BASIC}\n[fields.unit]\nheaders = [\"Unit\"]\n");
    let dir = export_dir(&[("a.csv", b"Date,Amount,Supplier,Account\n2024-01-02,1,A,4\n")]);
    let export = read_export(dir.path(), &mapping(&toml)).unwrap();
    assert_eq!(export.report.files[0].missing, vec![Field::Unit]);
    assert_eq!(export.rows[0].unit, None);
    assert!(export.report.to_string().contains("not found: unit"));
}

#[test]
fn no_matching_files_names_the_glob_and_the_directory() {
    let dir = export_dir(&[("a.txt", b"")]);
    let err = read_export(dir.path(), &mapping(BASIC)).unwrap_err();
    assert!(matches!(err, ExportError::NoFiles { .. }));
    let text = err.to_string();
    assert!(text.contains("`*.csv`"), "{text}");
    assert!(text.contains(&dir.path().display().to_string()), "{text}");
}

// ---- values ----

#[test]
fn amounts_table() {
    let dot = AmountFormat::new('.', Some(',')).unwrap();
    let comma = AmountFormat::new(',', Some('.')).unwrap();
    let cases: [(AmountFormat, &str, Option<&str>); 12] = [
        (dot, "1,234.50", Some("1234.50")),
        (dot, "£1,234.50", Some("1234.50")),
        (comma, "1.234,50", Some("1234.50")),
        (dot, "(12.00)", Some("-12.00")),
        (dot, "12.00-", Some("-12.00")),
        (comma, "kr 100", Some("100.00")),
        (comma, "DKK 1.000,5", Some("1000.50")),
        (dot, "-7", Some("-7.00")),
        (dot, "garbage", None),
        (dot, "1.234,50", None),
        (comma, "1,2,3", None),
        (dot, "", None),
    ];
    for (format, raw, expected) in cases {
        assert_eq!(format.parse(raw), expected.map(dec), "parsing {raw:?}");
    }
}

#[test]
fn comma_decimals_and_several_date_formats_end_to_end() {
    let toml = r#"
files = "*.txt"
delimiter = ";"
[fields.date]
headers = ["Bogført"]
formats = ["%Y-%m-%d", "%d/%m/%Y", "%d-%b-%y", "%d.%m.%Y"]
[fields.amount]
headers = ["Beløb"]
decimal = ","
thousands = "."
[fields.supplier_id]
headers = ["CVR"]
[fields.vat_code]
headers = ["Moms"]
"#;
    let csv = "Bogført;Beløb;CVR;Moms\n\
               2024-03-14;1.234,50;12345678;I25\n\
               14/03/2024;kr 100;12345678;I25\n\
               14-Mar-24;(12,00);12345678;I25\n\
               14.03.2024;\"12,00-\";12345678;I25\n\
               14.03.2024;1,234.50;12345678;I25\n\
               2024/03/14;1;12345678;I25\n";
    let dir = export_dir(&[("ledger.txt", csv.as_bytes())]);
    let export = read_export(dir.path(), &mapping(toml)).unwrap();
    let got: Vec<(NaiveDate, Decimal)> = export.rows.iter().map(|r| (r.date, r.amount)).collect();
    let day = date(2024, 3, 14);
    assert_eq!(
        got,
        vec![
            (day, dec("1234.50")),
            (day, dec("100")),
            (day, dec("-12")),
            (day, dec("-12"))
        ]
    );
    let malformed: Vec<(&str, u64)> = export
        .report
        .malformed
        .iter()
        .map(|(k, v)| (*k, *v))
        .collect();
    assert_eq!(malformed, vec![("bad amount", 1), ("bad date", 1)]);
    assert_eq!(export.rows[0].supplier_id.as_deref(), Some("12345678"));
    assert_eq!(export.rows[0].vat_code.as_deref(), Some("I25"));
}

#[test]
fn composite_columns_split_by_delimiter_and_by_position() {
    let toml = r#"
files = "*.csv"
[fields.date]
headers = ["Date"]
formats = ["%Y-%m-%d"]
[fields.amount]
headers = ["Amount"]
[fields.supplier_name]
headers = ["Supplier"]
[fields.account]
headers = ["Konto"]
split = { delimiter = ";", part = 1 }
[fields.cost_centre]
headers = ["Konto"]
split = { delimiter = ";", part = 2 }
[fields.project]
headers = ["Fixed"]
split = { chars = [6, 10] }
[fields.vat_code]
headers = ["Fixed"]
split = { chars = [1, 3] }
"#;
    let csv = "Date,Amount,Supplier,Konto,Fixed\n\
               2024-01-02,10,Acme,5.25.14-1-2.21;10102,I25  XG-24\n\
               2024-01-02,10,Acme,5.25.14-1-2.21,IFR\n";
    let dir = export_dir(&[("a.csv", csv.as_bytes())]);
    let rows = read_export(dir.path(), &mapping(toml)).unwrap().rows;
    let labels = |r: &ExportRow| {
        (
            r.account.clone(),
            r.cost_centre.clone(),
            r.vat_code.clone(),
            r.project.clone(),
        )
    };
    let some = |s: &str| Some(s.to_owned());
    assert_eq!(
        labels(&rows[0]),
        (
            some("5.25.14-1-2.21"),
            some("10102"),
            some("I25"),
            some("XG-24")
        )
    );
    assert_eq!(
        labels(&rows[1]),
        (some("5.25.14-1-2.21"), None, some("IFR"), None)
    );
}

#[test]
fn text_joins_columns_and_strings_are_trimmed() {
    let toml = format!(
        "{BASIC}\n[[fields.text]]\nheaders = [\"Description\"]\n[[fields.text]]\nheaders = [\"Note\"]\n\
         [fields.unit]\nheaders = [\"Unit\"]\n[fields.invoice_ref]\nheaders = [\"Ref\"]\n"
    );
    let csv = "Date,Amount,Supplier,Account,Description,Note,Unit,Ref\n\
               2024-01-02,1, Acme ,4.1, Paper A4 ,\"boxes, 5\",  ,\n\
               2024-01-02,1,Acme,4.1,,Toner,School,F-1\n";
    let dir = export_dir(&[("a.csv", csv.as_bytes())]);
    let rows = read_export(dir.path(), &mapping(&toml)).unwrap().rows;
    assert_eq!(rows[0].supplier_name.as_deref(), Some("Acme"));
    assert_eq!(rows[0].text, "Paper A4 boxes, 5");
    assert_eq!(
        (rows[0].unit.as_deref(), rows[0].invoice_ref.as_deref()),
        (None, None)
    );
    assert_eq!(rows[1].text, "Toner");
    assert_eq!(rows[1].unit.as_deref(), Some("School"));
    assert_eq!(rows[1].invoice_ref.as_deref(), Some("F-1"));
}

#[test]
fn empty_and_malformed_rows_are_counted_not_fatal() {
    let csv = "Date,Amount,Supplier,Account\n\
               2024-01-02,1.00,Acme,4.1\n\
               ,,,\n\
               \n\
               2024-02-30,1.00,Acme,4.1\n\
               ,1.00,Acme,4.1\n\
               2024-01-02,ten,Acme,4.1\n\
               2024-01-02,,Acme,4.1\n\
               2024-01-02,1.00,,4.1\n\
               2024-01-02,1.00,Acme,\n\
               2024-01-02,1.00,Acme,4.1,extra 010101-1234\n\
               2024-01-02,1.00\n\
               2024-01-03,2.00,Beta,4.2\n";
    let dir = export_dir(&[("a.csv", csv.as_bytes())]);
    let export = read_export(dir.path(), &mapping(BASIC)).unwrap();
    let report = &export.report;
    assert_eq!(
        (report.rows_read, report.rows_ok, report.empty_rows),
        (12, 2, 2)
    );
    let malformed: Vec<(&str, u64)> = report.malformed.iter().map(|(k, v)| (*k, *v)).collect();
    assert_eq!(
        malformed,
        vec![
            ("bad amount", 1),
            ("bad date", 1),
            ("missing amount", 1),
            ("missing date", 1),
            ("missing label", 1),
            ("missing supplier", 1),
            ("wrong number of fields", 2),
        ]
    );
    assert_eq!(
        report.rows_read,
        report.rows_ok + report.empty_rows + report.malformed_rows()
    );
    assert_eq!(report.files[0].rows, 12);
    assert_eq!(report.examples[0], (0, 4, "bad date"));
    assert_eq!(report.examples.len(), 8);
    assert_eq!(
        (export.rows[1].row, export.rows[1].date),
        (12, date(2024, 1, 3))
    );

    let summary = report.to_string();
    assert!(
        summary.contains("1 file(s), 12 rows read: 2 ok, 2 empty, 8 malformed"),
        "{summary}"
    );
    assert!(
        summary.contains("a.csv row 10: wrong number of fields"),
        "{summary}"
    );
    assert!(
        !summary.contains("010101-1234"),
        "the report must not echo row text"
    );
}

#[test]
fn examples_stop_at_twenty() {
    let mut csv = String::from("Date,Amount,Supplier,Account\n");
    for _ in 0..30 {
        csv.push_str("2024-01-02,x,Acme,4.1\n");
    }
    let dir = export_dir(&[("a.csv", csv.as_bytes())]);
    let report = read_export(dir.path(), &mapping(BASIC)).unwrap().report;
    assert_eq!(report.malformed["bad amount"], 30);
    assert_eq!(report.examples.len(), kontera_data::MAX_EXAMPLES);
}

#[test]
fn legacy_bytes_are_decoded() {
    let toml = format!("{BASIC}\n[encoding]\nbytes = {{ \"9C\" = \"£\" }}\n");
    let dir = export_dir(&[(
        "a.csv",
        b"Date,Amount,Supplier,Account\n2024-01-02,\xA31.00,O\x92Brien,Assets < \x9C5k\n",
    )]);
    let export = read_export(dir.path(), &mapping(&toml)).unwrap();
    let row = &export.rows[0];
    assert_eq!(row.supplier_name.as_deref(), Some("O’Brien"));
    assert_eq!(row.account.as_deref(), Some("Assets < £5k"));
    assert_eq!(row.amount, dec("1"));
    assert_eq!(export.report.files[0].recoded_chars, 3);
}

#[test]
fn files_are_read_in_sorted_order_once_and_from_subfolders() {
    let csv = |supplier: &str| format!("Date,Amount,Supplier,Account\n2024-01-02,1,{supplier},4\n");
    let dir = export_dir(&[
        ("2024/b.csv", csv("B").as_bytes()),
        ("2023/z.csv", csv("Z").as_bytes()),
        ("2024/a.csv", csv("A").as_bytes()),
        ("top.csv", csv("T").as_bytes()),
    ]);
    let toml = BASIC.replace("files = \"*.csv\"", "files = [\"*/*.csv\", \"2024/?.csv\"]");
    let export = read_export(dir.path(), &mapping(&toml)).unwrap();
    let paths: Vec<PathBuf> = export.report.files.iter().map(|f| f.path.clone()).collect();
    let expected: Vec<PathBuf> = ["2023/z.csv", "2024/a.csv", "2024/b.csv"]
        .iter()
        .map(PathBuf::from)
        .collect();
    assert_eq!(paths, expected);
    let suppliers: Vec<&str> = export
        .rows
        .iter()
        .filter_map(|r| r.supplier_name.as_deref())
        .collect();
    assert_eq!(suppliers, ["Z", "A", "B"]);
}

#[test]
fn a_file_in_memory_reads_as_the_same_file_on_disk() {
    let csv =
        b"Date,Amount,Supplier,Account\n2024-01-02,1.00,O\x92Brien,4.1\n,,,\n2024-01-02,x,A,4\n";
    let dir = export_dir(&[("a.csv", csv)]);
    let on_disk = read_export(dir.path(), &mapping(BASIC)).unwrap();
    let in_memory = read_export_bytes(Path::new("a.csv"), csv, &mapping(BASIC)).unwrap();
    assert_eq!(in_memory.rows, on_disk.rows);
    assert_eq!(in_memory.report, on_disk.report);
    assert_eq!(in_memory.report.rows_ok, 1);
    let err = read_export_bytes(Path::new("b.csv"), b"Amount\n1\n", &mapping(BASIC)).unwrap_err();
    assert!(matches!(err, ExportError::MissingColumn { .. }), "{err}");
}

// ---- the committed Harrogate subset ----

fn harrogate(mapping_file: &str) -> kontera_data::Export {
    let mapping = ExportMapping::from_file(&Path::new(MAPPINGS).join(mapping_file))
        .unwrap_or_else(|e| panic!("{e}"));
    read_export(Path::new(HARROGATE), &mapping).unwrap_or_else(|e| panic!("{e}"))
}

fn find<'a>(export: &'a kontera_data::Export, file: &str, row: u64) -> &'a ExportRow {
    let index = export
        .report
        .files
        .iter()
        .position(|f| f.path == Path::new(file))
        .unwrap_or_else(|| panic!("no file {file}"));
    export
        .rows
        .iter()
        .find(|r| r.file == index && r.row == row)
        .unwrap_or_else(|| panic!("no row {row} in {file}"))
}

#[test]
fn harrogate_subset_counts() {
    let export = harrogate("harrogate.toml");
    let report = &export.report;
    let files: Vec<(String, u64)> = report
        .files
        .iter()
        .map(|f| (f.path.display().to_string(), f.rows))
        .collect();
    let expected = [
        ("2018-03.csv", 1841),
        ("2019-03.csv", 2082),
        ("2019-09.csv", 2055),
        ("2019-12.csv", 1754),
        ("2020-11.csv", 1491),
        ("2021-09.csv", 1187),
        ("2021-11-Brimhams-Active.csv", 38),
        ("2021-12.csv", 1290),
    ];
    let expected: Vec<(String, u64)> = expected.iter().map(|(p, n)| (p.to_string(), *n)).collect();
    assert_eq!(files, expected);
    assert_eq!(
        (report.rows_read, report.rows_ok, report.empty_rows),
        (11_738, 11_721, 0)
    );
    let malformed: Vec<(&str, u64)> = report.malformed.iter().map(|(k, v)| (*k, *v)).collect();
    assert_eq!(malformed, vec![("missing label", 17)]);
    assert_eq!(report.examples[0], (2, 251, "missing label"));
    assert_eq!(export.rows.len(), 11_721);

    let all = [
        Field::SupplierName,
        Field::Date,
        Field::Amount,
        Field::Text,
        Field::Unit,
        Field::Account,
    ];
    for file in &report.files {
        let fields: Vec<Field> = file.header_mapping.iter().map(|(f, _)| *f).collect();
        assert_eq!(fields, all, "{}", file.path.display());
        assert!(file.missing.is_empty(), "{}", file.path.display());
    }

    let service = harrogate("harrogate-service.toml").report;
    assert_eq!((service.rows_read, service.rows_ok), (11_738, 11_738));
}

#[test]
fn harrogate_header_drift_is_resolved() {
    let report = harrogate("harrogate.toml").report;
    let header = |file: usize, field: Field| {
        report.files[file]
            .header_mapping
            .iter()
            .find(|(f, _)| *f == field)
            .map(|(_, h)| h.as_str())
    };
    assert_eq!(header(0, Field::Date), Some("Pay date"));
    assert_eq!(header(2, Field::Date), Some("Payment Date"));
    assert_eq!(header(6, Field::Date), Some("Payment date"));
    assert_eq!(header(1, Field::SupplierName), Some("Supplier Name(T)"));
    assert_eq!(header(1, Field::Unit), Some("Service Code(T)"));
    assert_eq!(header(3, Field::Account), Some("Expenditure Code(T)"));
    assert_eq!(header(5, Field::Account), Some("Expenditure Code"));
}

#[test]
fn harrogate_spot_checks() {
    let export = harrogate("harrogate.toml");
    let row = find(&export, "2018-03.csv", 1);
    assert_eq!(
        row.supplier_name.as_deref(),
        Some("ALLSTAR BUSINESS SOLUTIONS LTD")
    );
    assert_eq!((row.date, row.amount), (date(2018, 3, 7), dec("24.13")));
    assert_eq!(row.account.as_deref(), Some("Fuel/Oil"));
    assert_eq!(row.unit.as_deref(), Some("Arboriculture"));
    assert_eq!(
        row.invoice_ref, None,
        "Transaction No. is a payment run, not an invoice"
    );
    assert_eq!(row.text, "AS60046921");

    // "(T)" headers: the number is in "Supplier Name", the name in "Supplier Name(T)".
    let row = find(&export, "2021-12.csv", 1);
    assert_eq!(row.supplier_name.as_deref(), Some("BARCHAM TREES PLC"));
    assert_eq!((row.date, row.amount), (date(2021, 12, 15), dec("1880.00")));
    assert_eq!(row.account.as_deref(), Some("Miscellaneous Expenditure"));
    assert_eq!(row.text, "");

    // Repeated "Supplier Name" and "Expenditure Code": the last one holds the name.
    let row = find(&export, "2021-09.csv", 1);
    assert_eq!(row.supplier_name.as_deref(), Some("1ST SELECT LIMITED"));
    assert_eq!(row.account.as_deref(), Some("Temporary Staff"));
    assert_eq!(row.unit.as_deref(), Some("Property Services (DCS)"));
    assert_eq!(row.amount, dec("424"));

    // £ as byte 9C (2018) and as the character U+009C (2020) both read as £.
    let row = find(&export, "2018-03.csv", 1241);
    assert_eq!(row.supplier_name.as_deref(), Some("CITY OF YORK COUNCIL"));
    assert_eq!(
        row.account.as_deref(),
        Some("Fixed Assets greater than £5k")
    );
    assert_eq!(row.amount, dec("10000"));
    let row = find(&export, "2020-11.csv", 818);
    assert_eq!(
        row.account.as_deref(),
        Some("Fixed Assets greater than £5k")
    );

    let service = harrogate("harrogate-service.toml");
    let row = find(&service, "2021-11-Brimhams-Active.csv", 1);
    assert_eq!(row.cost_centre.as_deref(), Some("Sport & Leisure"));
    assert_eq!(row.account, None, "the service is the only label");
    assert_eq!(row.unit, None);
}

#[test]
fn harrogate_is_read_deterministically() {
    let a = harrogate("harrogate.toml");
    let b = harrogate("harrogate.toml");
    assert_eq!(a.rows, b.rows);
    assert_eq!(a.report, b.report);
}
