//! `labelled_lines_with_reviews` on a tiny contract dataset: the reviewed coding wins over the
//! ERP's, duplicates are dropped, reviews that join nothing and malformed rows are counted.

use std::path::Path;

use chrono::NaiveDate;
use kontera_data::{
    AccountRow, Dataset, InvoiceLineRow, InvoiceRow, PostingRow, UnitRow, chart_from_rows,
};
use kontera_train::labelled::{
    ReviewReport, ReviewedCodings, ReviewsError, labelled_lines_with_reviews,
};
use kontera_train::{IngestOptions, Labelled, labelled_lines};
use rust_decimal::Decimal;

const HEADER: &str =
    "posting_id,invoice_id,line_no,posting_date,account,cost_centre,vat_code,project,amount\n";

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

/// `A1` and `B1` open; `OLD` renamed `NEW` on 2024-01-01.
fn accounts() -> Vec<AccountRow> {
    let row = |account: &str, from: &str, to: Option<&str>, change: Option<&str>| AccountRow {
        account: account.to_owned(),
        name: format!("Konto {account}"),
        function: "5.25.14".to_owned(),
        dranst: "1".to_owned(),
        art: "2.2".to_owned(),
        valid_from: d(from),
        valid_to: to.map(d),
        change: change.map(str::to_owned),
        successors: change.map(|_| "NEW".to_owned()),
    };
    vec![
        row("A1", "2023-01-01", None, None),
        row("B1", "2023-01-01", None, None),
        row("OLD", "2023-01-01", Some("2024-01-01"), Some("renamed")),
        row("NEW", "2024-01-01", None, None),
    ]
}

/// Invoices `F1` (two lines, each posted `A1`), `F2` (two lines, one invoice-level posting
/// `A1`), `F4` (one line, not posted), issued in 2024, and `F3` (one line posted `A1`) issued in
/// 2022.
fn dataset() -> Dataset {
    let mut ds = Dataset {
        accounts: accounts(),
        units: vec![UnitRow {
            unit_id: "U1".to_owned(),
            name: "Børnehuset".to_owned(),
            gln: "5798000123459".to_owned(),
            cost_centre: "1010".to_owned(),
            area: "daycare".to_owned(),
        }],
        ..Dataset::default()
    };
    let hundred = Decimal::from(100);
    for (id, issued, lines) in [
        ("F1", "2024-03-01", 2),
        ("F2", "2024-04-01", 2),
        ("F3", "2022-05-01", 1),
        ("F4", "2024-06-01", 1),
    ] {
        ds.invoices.push(InvoiceRow {
            invoice_id: id.to_owned(),
            invoice_number: format!("N-{id}"),
            document_type: "invoice".to_owned(),
            creditor_id: "K1".to_owned(),
            supplier_cvr: None,
            buyer_gln: None,
            buyer_reference: None,
            order_reference: None,
            issue_date: d(issued),
            due_date: None,
            currency: "DKK".to_owned(),
            total_net: hundred * Decimal::from(lines),
            total_vat: Decimal::ZERO,
            total_gross: hundred * Decimal::from(lines),
            accounting_cost: None,
            format: "oioubl".to_owned(),
        });
        for n in 1..=lines {
            ds.invoice_lines.push(InvoiceLineRow {
                invoice_id: id.to_owned(),
                line_no: n,
                description: format!("Æbler {n}"),
                item_id: None,
                gtin: None,
                unspsc: None,
                quantity: Decimal::ONE,
                unit_price: hundred,
                net_amount: hundred,
                vat_category: "S".to_owned(),
                vat_rate: Decimal::from(25),
                accounting_cost: None,
            });
        }
    }
    let posting = |id: &str, invoice: &str, line: Option<u32>, amount: i64| PostingRow {
        posting_id: id.to_owned(),
        invoice_id: invoice.to_owned(),
        line_no: line,
        posting_date: d("2024-05-01"),
        account: "A1".to_owned(),
        cost_centre: "1010".to_owned(),
        vat_code: "I25".to_owned(),
        project: None,
        amount: Decimal::from(amount),
    };
    ds.postings = vec![
        posting("P1", "F1", Some(1), 100),
        posting("P2", "F1", Some(2), 100),
        posting("P3", "F2", None, 200),
        posting("P4", "F3", Some(1), 100),
    ];
    ds
}

fn options() -> IngestOptions {
    IngestOptions {
        from: Some(d("2024-01-01")),
        to: Some(d("2024-12-31")),
        as_of: d("2025-06-30"),
    }
}

/// Reviews from the given `postings.csv` texts, each as one export directory's file.
fn reviews(files: &[&str]) -> ReviewedCodings {
    let mut reviews = ReviewedCodings::default();
    for (i, rows) in files.iter().enumerate() {
        let text = format!("{HEADER}{rows}");
        let path = format!("export{i}/postings.csv");
        reviews
            .add_postings_csv(text.as_bytes(), Path::new(&path))
            .unwrap();
    }
    reviews
}

fn run(reviews: &ReviewedCodings) -> Labelled {
    let ds = dataset();
    let chart = chart_from_rows(&ds.accounts).unwrap();
    labelled_lines_with_reviews(&ds, reviews, &chart, &options()).unwrap()
}

/// (invoice, line, account, cost centre, posting date) of each labelled line.
fn labels(out: &Labelled) -> Vec<(&str, u32, &str, &str, NaiveDate)> {
    out.lines
        .iter()
        .map(|l| {
            (
                l.invoice_id.as_str(),
                l.line_no,
                l.label.account.as_str(),
                l.label.cost_centre.as_str(),
                l.posting_date,
            )
        })
        .collect()
}

fn counts(out: &Labelled) -> &ReviewReport {
    out.report.reviews.as_ref().expect("reviews were given")
}

#[test]
fn the_reviewed_coding_replaces_the_erp_posting_of_its_line_only() {
    let out = run(&reviews(&["R-d1-2,F1,2,2025-01-10,B1,2020,I25,,100.00\n"]));
    assert_eq!(
        labels(&out),
        vec![
            ("F1", 1, "A1", "1010", d("2024-05-01")),
            ("F1", 2, "B1", "2020", d("2025-01-10")),
            ("F2", 1, "A1", "1010", d("2024-05-01")),
            ("F2", 2, "A1", "1010", d("2024-05-01")),
        ]
    );
    let c = counts(&out);
    assert_eq!((c.rows, c.reviewed_lines), (1, 1));
    assert_eq!((c.overridden, c.agreed, c.added), (1, 0, 0));
    assert_eq!(
        (c.unknown_invoice, c.unknown_line, c.outside_window),
        (0, 0, 0)
    );
    assert_eq!((c.malformed, c.duplicates, c.superseded), (0, 0, 0));
    assert_eq!(out.report.labelled, 4);
    let text = out.report.to_string();
    assert!(text.contains("1 overridden the ERP's coding"), "{text}");
}

#[test]
fn a_review_of_an_invoice_level_posting_takes_its_line_and_leaves_the_others() {
    let out = run(&reviews(&["R-d2-2,F2,2,2025-01-10,B1,1010,I25,,100.00\n"]));
    let f2: Vec<_> = labels(&out).into_iter().filter(|l| l.0 == "F2").collect();
    assert_eq!(
        f2,
        vec![
            ("F2", 1, "A1", "1010", d("2024-05-01")),
            ("F2", 2, "B1", "1010", d("2025-01-10")),
        ]
    );
    assert_eq!(counts(&out).overridden, 1);
    assert_eq!(out.report.lines_from_invoice_postings, 1);
    assert_eq!(out.report.invoice_level_postings_used, 1);
}

#[test]
fn an_identical_review_read_twice_gives_one_line() {
    let row = "R-d1-1,F1,1,2025-01-10,B1,1010,I25,,100.00\n";
    let out = run(&reviews(&[row, row]));
    assert_eq!(out.lines.len(), 4);
    let f1: Vec<_> = labels(&out).into_iter().filter(|l| l.0 == "F1").collect();
    assert_eq!(f1[0], ("F1", 1, "B1", "1010", d("2025-01-10")));
    let c = counts(&out);
    assert_eq!((c.rows, c.duplicates, c.reviewed_lines), (2, 1, 1));
    assert_eq!((c.overridden, c.agreed), (1, 0));
}

#[test]
fn a_review_that_agrees_with_the_erp_is_one_line_counted_as_agreed() {
    // The ERP posted A1 / 1010 / I25 for F1 line 1; the review says the same.
    let out = run(&reviews(&["R-d1-1,F1,1,2025-01-10,A1,1010,I25,,100.00\n"]));
    assert_eq!(out.lines.len(), 4);
    let c = counts(&out);
    assert_eq!((c.overridden, c.agreed, c.added), (0, 1, 0));
}

#[test]
fn a_line_the_erp_did_not_post_is_labelled_from_the_review() {
    let plain = run(&ReviewedCodings::default());
    assert_eq!(plain.report.unposted, 1);
    let out = run(&reviews(&["R-d4-1,F4,1,2025-01-10,B1,1010,I25,,100.00\n"]));
    assert_eq!(out.report.unposted, 0);
    assert_eq!(out.lines.len(), 5);
    assert_eq!(labels(&out)[4], ("F4", 1, "B1", "1010", d("2025-01-10")));
    assert_eq!(counts(&out).added, 1);
}

#[test]
fn the_latest_review_of_a_line_wins() {
    let out = run(&reviews(&[
        "R-d9-1,F1,1,2025-03-01,B1,1010,I25,,100.00\n",
        "R-d1-1,F1,1,2025-01-10,A1,3030,I25,,100.00\n",
    ]));
    assert_eq!(labels(&out)[0], ("F1", 1, "B1", "1010", d("2025-03-01")));
    let c = counts(&out);
    assert_eq!((c.superseded, c.duplicates, c.reviewed_lines), (1, 0, 1));
}

#[test]
fn reviews_that_join_nothing_are_counted_not_fatal() {
    let out = run(&reviews(&[concat!(
        "R-d5-1,F404,1,2025-01-10,B1,1010,I25,,100.00\n",
        "R-d5-2,F404,2,2025-01-10,B1,1010,I25,,100.00\n",
        "R-d6-7,F1,7,2025-01-10,B1,1010,I25,,100.00\n",
        "R-d7-1,F3,1,2025-01-10,B1,1010,I25,,100.00\n",
    )]));
    let c = counts(&out);
    assert_eq!((c.unknown_invoice, c.unknown_invoices), (2, 1));
    assert_eq!(c.unknown_line, 1);
    assert_eq!(c.unmatched(), 3);
    assert_eq!(c.outside_window, 1);
    assert_eq!((c.overridden, c.agreed, c.added), (0, 0, 0));
    // The ERP's codings stand.
    assert!(out.lines.iter().all(|l| l.label.account == "A1"));
    assert_eq!(out.lines.len(), 4);
    let text = out.report.to_string();
    assert!(
        text.contains(
            "not used: 2 reviewed lines of invoices not in the data (1 invoice), 1 of lines"
        ),
        "{text}"
    );
}

#[test]
fn malformed_rows_are_counted_and_the_rest_used() {
    let out = run(&reviews(&[concat!(
        "R-d1-1,F1,1,2025-01-10,B1,1010,I25,,100.00\n",
        "R-d2-1,F2,x,2025-01-10,B1,1010,I25,,100.00\n",
        "R-d2-2,F2,2,10-01-2025,B1,1010,I25,,100.00\n",
        "R-d2-3,F2,1,2025-01-10,B1,1010\n",
        "R-d2-4,F2,1,2025-01-10,B 1,1010,I25,,100.00\n",
        "R-d2-5,F2,1,2025-01-10,B1,,I25,,100.00\n",
        "R-d2-6,F2,1,2025-01-10,B1,1010,I25,,1.005\n",
    )]));
    let c = counts(&out);
    assert_eq!((c.rows, c.malformed, c.reviewed_lines), (7, 6, 1));
    assert_eq!(c.overridden, 1);
    assert_eq!(c.malformed_examples.len(), 5);
    assert!(
        c.malformed_examples[0].starts_with("export0/postings.csv line 3: line_no `x`"),
        "{:?}",
        c.malformed_examples
    );
    assert!(
        c.malformed_examples[2].contains("line 5: 6 fields"),
        "{:?}",
        c.malformed_examples
    );
}

#[test]
fn an_empty_cost_centre_written_as_empty_string_is_a_value() {
    let out = run(&reviews(&["R-d1-1,F1,1,2025-01-10,B1,\"\",I25,,100.00\n"]));
    assert_eq!(labels(&out)[0], ("F1", 1, "B1", "", d("2025-01-10")));
    assert_eq!(counts(&out).malformed, 0);
}

#[test]
fn reviewed_accounts_map_through_chart_changes_from_their_date() {
    // Reviewed on the old chart: OLD was renamed NEW on 2024-01-01.
    let out = run(&reviews(&["R-d1-1,F1,1,2023-12-20,OLD,1010,I25,,100.00\n"]));
    let line = &out.lines[0];
    assert_eq!(
        (
            line.label.account.as_str(),
            line.label.posted_account.as_str()
        ),
        ("NEW", "OLD")
    );
    assert_eq!(out.report.mapped, 1);
    assert_eq!(counts(&out).overridden, 1);
}

#[test]
fn reviews_csv_counts_reviews_and_audits_once_each() {
    let mut r = reviews(&["R-d1-1,F1,1,2025-01-10,B1,1010,I25,,100.00\n"]);
    let provenance = "decision_id,invoice_id,reviewer,reviewed_at,audit,agreed\n\
                      d1,F1,anna,2025-01-10T09:00:00.000Z,true,false\n\
                      d2,F2,bo,2025-01-11T09:00:00.000Z,false,true\n\
                      d3,F2,bo,2025-01-11T09:00:00.000Z,maybe,true\n";
    for _ in 0..2 {
        r.add_reviews_csv(provenance.as_bytes(), Path::new("reviews.csv"))
            .unwrap();
    }
    let c = r.report();
    assert_eq!((c.reviews, c.audits, c.malformed), (2, 1, 2));
}

#[test]
fn without_reviews_nothing_changes() {
    let ds = dataset();
    let chart = chart_from_rows(&ds.accounts).unwrap();
    let plain = labelled_lines(&ds, &chart, &options()).unwrap();
    assert_eq!(plain.report.reviews, None);
    let empty = run(&ReviewedCodings::default());
    assert_eq!(plain.lines, empty.lines);
    assert_eq!(counts(&empty), &ReviewReport::default());
}

#[test]
fn a_file_that_is_not_a_postings_table_is_an_error() {
    let mut r = ReviewedCodings::default();
    let err = r
        .add_postings_csv(
            b"decision_id,invoice_id\nd1,F1\n",
            Path::new("x/postings.csv"),
        )
        .unwrap_err();
    assert!(matches!(err, ReviewsError::Header { .. }), "{err}");
    assert!(
        err.to_string().contains("unknown column `decision_id`"),
        "{err}"
    );
    let err = r.read_dir(Path::new("/nonexistent/reviews")).unwrap_err();
    assert!(err.to_string().contains("kontera export-reviews"), "{err}");
}
