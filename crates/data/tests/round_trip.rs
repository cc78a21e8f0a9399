//! Round trips: every table written as CSV and as Parquet reads back equal to the original.

mod common;

use common::{AWKWARD, awkward_dataset, dec};
use kontera_data::{Dataset, Format, read_dataset, read_table, write_dataset, write_table};

fn round_trip(format: Format) {
    let ds = awkward_dataset();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("nested/out");
    write_dataset(&ds, &out, format).unwrap();
    for table in kontera_data::TABLE_NAMES {
        assert!(
            out.join(format.file_name(table)).is_file(),
            "{table} not written"
        );
    }
    let back = read_dataset(&out).unwrap();
    assert_eq!(back.invoices, ds.invoices);
    assert_eq!(back.invoice_lines, ds.invoice_lines);
    assert_eq!(back.postings, ds.postings);
    assert_eq!(back.accounts, ds.accounts);
    assert_eq!(back.creditors, ds.creditors);
    assert_eq!(back.units, ds.units);
    assert_eq!(back, ds);
    // Values keep the contract's scale when read back.
    assert_eq!(back.invoice_lines[0].quantity.to_string(), "2.5000");
    assert_eq!(back.invoice_lines[0].vat_rate.to_string(), "25.00");
    assert_eq!(back.invoice_lines[0].description, AWKWARD);
}

#[test]
fn csv_round_trip_keeps_every_value() {
    round_trip(Format::Csv);
}

#[test]
fn parquet_round_trip_keeps_every_value() {
    round_trip(Format::Parquet);
}

#[test]
fn empty_dataset_round_trips_in_both_formats() {
    for format in Format::ALL {
        let dir = tempfile::tempdir().unwrap();
        write_dataset(&Dataset::default(), dir.path(), format).unwrap();
        assert_eq!(read_dataset(dir.path()).unwrap(), Dataset::default());
    }
}

#[test]
fn csv_dialect_is_as_documented() {
    let ds = awkward_dataset();
    let dir = tempfile::tempdir().unwrap();
    write_dataset(&ds, dir.path(), Format::Csv).unwrap();
    let text = std::fs::read_to_string(dir.path().join("postings.csv")).unwrap();
    assert_eq!(
        text,
        "posting_id,invoice_id,line_no,posting_date,account,cost_centre,vat_code,project,amount\n\
         P-1,INV-1,1,2024-12-31,5.25.14.2.2,1010,I25,\"Skole \"\"Nord\"\"\",9999999999.99\n\
         P-2,INV-2,,2000-02-29,6.45.51,\"\",\"\",,-123.40\n"
    );
    let lines = std::fs::read_to_string(dir.path().join("invoice_lines.csv")).unwrap();
    assert!(lines.starts_with(
        "invoice_id,line_no,description,item_id,gtin,unspsc,quantity,unit_price,net_amount,\
         vat_category,vat_rate,accounting_cost\n"
    ));
    assert!(
        lines.contains(",2.5000,0.1234,9999999999.99,S,25.00,\"x,y\"\n"),
        "{lines}"
    );
    let creditors = std::fs::read_to_string(dir.path().join("creditors.csv")).unwrap();
    assert!(
        creditors.contains(",true,463000,2019-12-31\n"),
        "{creditors}"
    );
}

#[test]
fn single_tables_round_trip_and_decimals_are_rescaled() {
    let dir = tempfile::tempdir().unwrap();
    let mut lines = awkward_dataset().invoice_lines;
    // More decimals than the scale are fine when they are zeros.
    lines[0].net_amount = dec("12.500000");
    for format in Format::ALL {
        let path = dir.path().join(format.file_name("lines"));
        write_table(&lines, &path).unwrap();
        let back: Vec<kontera_data::InvoiceLineRow> = read_table(&path).unwrap();
        assert_eq!(back, lines);
        assert_eq!(back[0].net_amount.to_string(), "12.50");
    }
}
