//! Reading one period (`read_dataset_issued`): the invoices issued in it with their lines and
//! postings, the master tables whole — the same rows as filtering a whole read, from CSV and from
//! Parquet; a bad value named at its row of the file, as the whole read names it.

mod common;

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use common::date;
use kontera_data::{Dataset, Format, read_dataset, read_dataset_issued, write_dataset};

/// The bundled sample: three years of a generated municipality, as CSV.
fn sample() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/sample")
}

/// `ds` with only the invoices issued in `from..=to`, their lines and their postings.
fn filtered(ds: Dataset, from: NaiveDate, to: NaiveDate) -> Dataset {
    let invoices: Vec<_> = ds
        .invoices
        .into_iter()
        .filter(|i| (from..=to).contains(&i.issue_date))
        .collect();
    let ids: HashSet<String> = invoices.iter().map(|i| i.invoice_id.clone()).collect();
    Dataset {
        invoices,
        invoice_lines: ds
            .invoice_lines
            .into_iter()
            .filter(|l| ids.contains(&l.invoice_id))
            .collect(),
        postings: ds
            .postings
            .into_iter()
            .filter(|p| ids.contains(&p.invoice_id))
            .collect(),
        ..ds
    }
}

#[test]
fn a_period_is_the_whole_read_filtered_from_csv_and_parquet() {
    let whole = read_dataset(&sample()).unwrap();
    let parquet = tempfile::tempdir().unwrap();
    write_dataset(&whole, parquet.path(), Format::Parquet).unwrap();
    let (from, to) = (date(2024, 3, 1), date(2024, 5, 31));
    let expected = filtered(whole.clone(), from, to);
    // A period of a few hundred invoices, with lines and postings, out of thousands.
    assert!(expected.invoices.len() > 300 && expected.invoices.len() < whole.invoices.len() / 5);
    assert!(expected.invoice_lines.len() > expected.invoices.len());
    assert!(expected.postings.len() > expected.invoices.len() / 2);
    for dir in [sample(), parquet.path().to_path_buf()] {
        let period = read_dataset_issued(&dir, from, to).unwrap();
        assert!(period == expected, "{}", dir.display());
    }
    // A period before the data: no invoices, the master tables whole.
    let none = read_dataset_issued(&sample(), date(2000, 1, 1), date(2000, 12, 31)).unwrap();
    assert!(none.invoices.is_empty() && none.invoice_lines.is_empty() && none.postings.is_empty());
    assert_eq!(none.accounts, whole.accounts);
    assert_eq!(none.units, whole.units);
}

/// Copies the sample's CSV files to a new directory.
fn copy_of_sample() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for entry in std::fs::read_dir(sample()).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "csv") {
            std::fs::copy(&path, dir.path().join(path.file_name().unwrap())).unwrap();
        }
    }
    dir
}

/// Empties the net amount (a required value) of the line on row `row` (1 = the first after the
/// header) of `invoice_lines.csv`; answers the line's invoice id.
fn spoil_line(dir: &Path, row: usize) -> String {
    let path = dir.join("invoice_lines.csv");
    let text = std::fs::read_to_string(&path).unwrap();
    let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
    let header: Vec<&str> = lines[0].split(',').collect();
    let at = header.iter().position(|c| *c == "net_amount").unwrap();
    // The sample's line texts hold no commas before the amount on these rows (checked below).
    let mut cells: Vec<String> = lines[row].split(',').map(str::to_owned).collect();
    assert_eq!(cells.len(), header.len(), "{}", lines[row]);
    cells[at] = String::new();
    let invoice = cells[0].clone();
    lines[row] = cells.join(",");
    std::fs::write(&path, lines.join("\n") + "\n").unwrap();
    invoice
}

/// The first row of `invoice_lines.csv` (after the header) of an invoice issued in 2024 (the
/// sample's ids start with the year) whose cells hold no quoted commas.
fn plain_row_of_2024(dir: &Path) -> usize {
    let lines = std::fs::read_to_string(dir.join("invoice_lines.csv")).unwrap();
    lines
        .lines()
        .enumerate()
        .skip(1)
        .find(|(_, l)| l.starts_with("F2024-") && !l.contains('"'))
        .map(|(n, _)| n)
        .unwrap()
}

#[test]
fn a_bad_value_in_the_period_is_named_at_its_row_of_the_file() {
    let dir = copy_of_sample();
    let row = plain_row_of_2024(dir.path());
    let invoice = spoil_line(dir.path(), row);
    assert!(invoice.starts_with("F2024-"), "{invoice}");
    let whole = read_dataset(dir.path()).unwrap_err().to_string();
    let period = read_dataset_issued(dir.path(), date(2024, 1, 1), date(2024, 12, 31))
        .unwrap_err()
        .to_string();
    // The same error as the whole read's: the file's row, not the row among those kept (an empty
    // required value is found when the kept rows become values, so the table is read again).
    assert_eq!(period, whole);
    assert!(whole.contains(&format!("row {row}")), "{whole}");
    assert!(whole.contains("net_amount"), "{whole}");
}
