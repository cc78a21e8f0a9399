//! Property tests: random rows survive a CSV and a Parquet round trip unchanged.

mod common;

use chrono::NaiveDate;
use kontera_data::{Format, InvoiceLineRow, PostingRow, Table, read_table, write_table};
use proptest::prelude::*;
use rust_decimal::Decimal;

/// The largest mantissa `rust_decimal` holds: 2^96 - 1.
const MAX_UNITS: i128 = (1 << 96) - 1;

/// Any decimal with at most `scale` decimals that fits the contract at that scale.
fn decimal(scale: u32) -> impl Strategy<Value = Decimal> {
    (-MAX_UNITS..=MAX_UNITS).prop_map(move |units| {
        // Normalising varies the in-memory scale (e.g. 12.5 vs 12.50) without changing value.
        Decimal::from_i128_with_scale(units, scale).normalize()
    })
}

fn date() -> impl Strategy<Value = NaiveDate> {
    // Years 1 to 9999: four-digit ISO years.
    (366..3_652_059_i32).prop_map(|d| NaiveDate::from_num_days_from_ce_opt(d).unwrap())
}

/// Any Unicode text, including quotes, separators, CR/LF and the empty string.
fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[a-zæøåÆØÅ ,;\"'\r\n]{0,12}",
        Just(String::new()),
    ]
}

fn line() -> impl Strategy<Value = InvoiceLineRow> {
    (
        (text(), any::<u32>(), text(), proptest::option::of(text())),
        (proptest::option::of(text()), proptest::option::of(text())),
        (decimal(4), decimal(4), decimal(2)),
        (text(), decimal(2), proptest::option::of(text())),
    )
        .prop_map(
            |(
                (invoice_id, line_no, description, item_id),
                (gtin, unspsc),
                (quantity, unit_price, net_amount),
                (vat_category, vat_rate, accounting_cost),
            )| InvoiceLineRow {
                invoice_id,
                line_no,
                description,
                item_id,
                gtin,
                unspsc,
                quantity,
                unit_price,
                net_amount,
                vat_category,
                vat_rate,
                accounting_cost,
            },
        )
}

fn posting() -> impl Strategy<Value = PostingRow> {
    (
        (text(), text(), proptest::option::of(any::<u32>()), date()),
        (text(), text(), text(), proptest::option::of(text())),
        decimal(2),
    )
        .prop_map(
            |(
                (posting_id, invoice_id, line_no, posting_date),
                (account, cost_centre, vat_code, project),
                amount,
            )| PostingRow {
                posting_id,
                invoice_id,
                line_no,
                posting_date,
                account,
                cost_centre,
                vat_code,
                project,
                amount,
            },
        )
}

fn assert_round_trip<T: Table + PartialEq + std::fmt::Debug>(rows: &[T]) {
    let dir = tempfile::tempdir().unwrap();
    for format in Format::ALL {
        let path = dir.path().join(format.file_name(T::NAME));
        write_table(rows, &path).unwrap();
        let back: Vec<T> = read_table(&path).unwrap();
        assert_eq!(back, rows, "{format}");
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn invoice_lines_round_trip(rows in proptest::collection::vec(line(), 0..20)) {
        assert_round_trip(&rows);
    }

    #[test]
    fn postings_round_trip(rows in proptest::collection::vec(posting(), 0..20)) {
        assert_round_trip(&rows);
    }
}
