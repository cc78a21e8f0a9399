//! Read and write errors name the table, the column, the row and the fix.

mod common;

use std::path::Path;

use common::{awkward_dataset, dec};
use kontera_data::{
    DataError, Format, InvoiceLineRow, PostingRow, Table, UnitRow, read_dataset, read_table,
    write_dataset, write_frame, write_table,
};
use polars::prelude::{DataType, IntoColumn, NewChunkedArray, StringChunked};

/// Writes the awkward dataset as CSV and returns the directory.
fn csv_dir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    write_dataset(&awkward_dataset(), dir.path(), Format::Csv).unwrap();
    dir
}

/// Rewrites a file by replacing `from` with `to` (which must occur).
fn edit(path: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(path).unwrap();
    assert!(text.contains(from), "`{from}` not in {}", path.display());
    std::fs::write(path, text.replacen(from, to, 1)).unwrap();
}

fn read_err(dir: &Path) -> String {
    read_dataset(dir).unwrap_err().to_string()
}

#[test]
fn missing_column_is_named() {
    let dir = csv_dir();
    let units = dir.path().join("units.csv");
    std::fs::write(
        &units,
        "unit_id,name,gln,cost_centre\nU1,Rådhus,57980,9000\n",
    )
    .unwrap();
    let err = read_err(dir.path());
    assert!(
        err.contains("table `units`: column `area` is missing"),
        "{err}"
    );
    assert!(err.contains("add it"), "{err}");
}

#[test]
fn unknown_columns_are_all_named() {
    let dir = csv_dir();
    let units = dir.path().join("units.csv");
    std::fs::write(
        &units,
        "unit_id,name,colour,gln,cost_centre,area,size\nU1,Rådhus,red,57980,9000,x,3\n",
    )
    .unwrap();
    let err = read_err(dir.path());
    assert!(
        err.contains("table `units`: unknown column(s) `colour`, `size`"),
        "{err}"
    );
    assert!(err.contains("remove or rename"), "{err}");
}

#[test]
fn columns_may_come_in_any_order() {
    let dir = csv_dir();
    let units = dir.path().join("units.csv");
    std::fs::write(
        &units,
        "area,name,unit_id,gln,cost_centre\nx,Rådhus,U1,57980,9000\n",
    )
    .unwrap();
    let back: Vec<UnitRow> = read_table(&units).unwrap();
    assert_eq!(back[0].unit_id, "U1");
    assert_eq!(back[0].area, "x");
    assert_eq!(back[0].name, "Rådhus");
}

#[test]
fn null_in_required_column_names_row() {
    let dir = csv_dir();
    // Row 2 of postings: the account is left empty.
    edit(&dir.path().join("postings.csv"), ",6.45.51,", ",,");
    let err = read_err(dir.path());
    assert!(
        err.contains("table `postings`, column `account`, row 2: the value is missing"),
        "{err}"
    );
    assert!(err.contains("fill it in"), "{err}");
}

#[test]
fn unparsable_date_names_row_value_and_format() {
    let dir = csv_dir();
    edit(&dir.path().join("postings.csv"), "2000-02-29", "29-02-2000");
    let err = read_err(dir.path());
    assert!(
        err.contains("table `postings`, column `posting_date`, row 2: cannot read `29-02-2000`"),
        "{err}"
    );
    assert!(err.contains("`2024-12-31`"), "{err}");
}

#[test]
fn unparsable_decimal_integer_and_bool_are_reported() {
    let dir = csv_dir();
    edit(&dir.path().join("postings.csv"), "-123.40", "-123,40");
    let err = read_err(dir.path());
    // The comma splits the field, so the row has one field too many: polars reports it.
    assert!(err.contains("postings.csv"), "{err}");

    let dir = csv_dir();
    edit(&dir.path().join("postings.csv"), "-123.40", "1e3");
    let err = read_err(dir.path());
    assert!(
        err.contains("table `postings`, column `amount`, row 2: cannot read `1e3` as a decimal"),
        "{err}"
    );

    let dir = csv_dir();
    edit(
        &dir.path().join("postings.csv"),
        "P-1,INV-1,1,",
        "P-1,INV-1,first,",
    );
    let err = read_err(dir.path());
    assert!(
        err.contains("table `postings`, column `line_no`, row 1: cannot read `first`"),
        "{err}"
    );

    let dir = csv_dir();
    edit(&dir.path().join("creditors.csv"), ",true,", ",yes,");
    let err = read_err(dir.path());
    assert!(
        err.contains(
            "table `creditors`, column `blocked`, row 1: cannot read `yes` as `true` or `false`"
        ),
        "{err}"
    );
}

#[test]
fn too_many_decimals_are_refused_when_reading_and_writing() {
    let dir = csv_dir();
    edit(&dir.path().join("postings.csv"), "-123.40", "-123.405");
    let err = read_err(dir.path());
    assert!(
        err.contains(
            "table `postings`, column `amount`, row 2: `-123.405` has more than 2 decimals"
        ),
        "{err}"
    );

    let mut lines = awkward_dataset().invoice_lines;
    lines[1].unit_price = dec("0.00001");
    let path = tempfile::tempdir().unwrap().path().join("lines.parquet");
    let err = write_table(&lines, &path).unwrap_err().to_string();
    assert!(
        err.contains(
            "table `invoice_lines`, column `unit_price`, row 2: `0.00001` has more than 4 decimals"
        ),
        "{err}"
    );
}

#[test]
fn wrong_type_in_parquet_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("invoice_lines.parquet");
    let mut df = InvoiceLineRow::to_frame(&awkward_dataset().invoice_lines).unwrap();
    // `line_no` as text instead of UInt32.
    let text = StringChunked::from_iter_values("line_no".into(), ["1", "2"].into_iter());
    df.replace("line_no", text.into_column()).unwrap();
    write_frame(&mut df, &path, Format::Parquet).unwrap();
    let err = read_table::<InvoiceLineRow>(&path).unwrap_err();
    assert!(
        matches!(
            err,
            DataError::WrongType {
                column: "line_no",
                ..
            }
        ),
        "{err:?}"
    );
    let err = err.to_string();
    assert!(
        err.contains("table `invoice_lines`: column `line_no` has type str"),
        "{err}"
    );
    assert!(err.contains("UInt32"), "{err}");

    // A decimal with the wrong scale is a wrong type too.
    let mut df = InvoiceLineRow::to_frame(&awkward_dataset().invoice_lines).unwrap();
    let rescaled = df
        .column("quantity")
        .unwrap()
        .cast(&DataType::Decimal(38, 2))
        .unwrap();
    df.replace("quantity", rescaled).unwrap();
    write_frame(&mut df, &path, Format::Parquet).unwrap();
    let err = read_table::<InvoiceLineRow>(&path).unwrap_err().to_string();
    assert!(
        err.contains("column `quantity` has type decimal[38,2]"),
        "{err}"
    );
    assert!(err.contains("Decimal(38, 4)"), "{err}");
}

#[test]
fn null_in_required_parquet_column_names_row() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("postings.parquet");
    let mut df = PostingRow::to_frame(&awkward_dataset().postings).unwrap();
    let accounts =
        StringChunked::from_iter_options("account".into(), [Some("a"), None].into_iter());
    df.replace("account", accounts.into_column()).unwrap();
    write_frame(&mut df, &path, Format::Parquet).unwrap();
    let err = read_table::<PostingRow>(&path).unwrap_err().to_string();
    assert_eq!(
        err,
        "table `postings`, column `account`, row 2: the value is missing but the column is \
         required; fill it in"
    );
}

#[test]
fn missing_and_ambiguous_table_files_are_named() {
    let dir = csv_dir();
    std::fs::remove_file(dir.path().join("creditors.csv")).unwrap();
    let err = read_err(dir.path());
    assert!(err.contains("table `creditors`: neither"), "{err}");
    assert!(
        err.contains("creditors.csv") && err.contains("creditors.parquet"),
        "{err}"
    );

    let dir = csv_dir();
    let units: Vec<UnitRow> = read_table(&dir.path().join("units.csv")).unwrap();
    write_table(&units, &dir.path().join("units.parquet")).unwrap();
    let err = read_err(dir.path());
    assert!(err.contains("table `units`: both"), "{err}");
    assert!(err.contains("delete the stale one"), "{err}");
}

#[test]
fn unknown_extension_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let err = write_table::<UnitRow>(&[], &dir.path().join("units.xlsx"))
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("units.xlsx") && err.contains("`.csv` or `.parquet`"),
        "{err}"
    );
}

#[test]
fn frames_have_the_documented_schema() {
    fn check<T: Table>() {
        let df = T::to_frame(&[]).unwrap();
        assert_eq!(
            **df.schema(),
            kontera_data::schema(T::COLUMNS),
            "{}",
            T::NAME
        );
    }
    check::<kontera_data::InvoiceRow>();
    check::<InvoiceLineRow>();
    check::<PostingRow>();
    check::<kontera_data::AccountRow>();
    check::<kontera_data::CreditorRow>();
    check::<UnitRow>();
}

#[test]
fn byte_order_mark_and_crlf_are_tolerated() {
    let dir = tempfile::tempdir().unwrap();
    let units = dir.path().join("units.csv");
    std::fs::write(
        &units,
        "\u{feff}unit_id,name,gln,cost_centre,area\r\nU1,\"Rådhus\r\nfløj B\",57980,9000,x\r\n",
    )
    .unwrap();
    let back: Vec<UnitRow> = read_table(&units).unwrap();
    assert_eq!(back.len(), 1);
    assert_eq!(back[0].unit_id, "U1");
    assert_eq!(back[0].name, "Rådhus\r\nfløj B");
    assert_eq!(back[0].area, "x");
}
