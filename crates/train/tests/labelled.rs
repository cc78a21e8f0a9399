//! `labelled_lines` on hand-built tiny datasets: joins, splits, chart mapping, window, CPR.

use chrono::NaiveDate;
use kontera_core::{Cvr, Gln};
use kontera_data::{
    AccountRow, CreditorRow, Dataset, InvoiceLineRow, InvoiceRow, PostingRow, UnitRow,
    chart_from_rows,
};
use kontera_train::{IngestError, IngestOptions, Labelled, labelled_lines};
use rust_decimal::Decimal;

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn money(s: &str) -> Decimal {
    s.parse().unwrap()
}

fn cvr() -> String {
    Cvr::from_base(1_234_567).unwrap().to_string()
}

fn gln(base: u64) -> String {
    Gln::from_base(base).unwrap().to_string()
}

const CHANGE_DAY: &str = "2024-01-01";

/// A chart with every kind of change on 2024-01-01:
/// `A1` open; `OLD` renamed `NEW`; `S` split into `S1`/`S2`; `C` closed; `FUT` from 2026.
fn accounts() -> Vec<AccountRow> {
    let row =
        |account: &str, from: &str, to: Option<&str>, change: Option<&str>, succ: Option<&str>| {
            AccountRow {
                account: account.to_owned(),
                name: format!("Konto {account}"),
                function: "5.25.14".to_owned(),
                dranst: "1".to_owned(),
                art: "2.2".to_owned(),
                valid_from: d(from),
                valid_to: to.map(d),
                change: change.map(str::to_owned),
                successors: succ.map(str::to_owned),
            }
        };
    vec![
        row("A1", "2023-01-01", None, None, None),
        row(
            "OLD",
            "2023-01-01",
            Some(CHANGE_DAY),
            Some("renamed"),
            Some("NEW"),
        ),
        row("NEW", CHANGE_DAY, None, None, None),
        row(
            "S",
            "2023-01-01",
            Some(CHANGE_DAY),
            Some("split"),
            Some("S1;S2"),
        ),
        row("S1", CHANGE_DAY, None, None, None),
        row("S2", CHANGE_DAY, None, None, None),
        row("C", "2023-01-01", Some(CHANGE_DAY), Some("closed"), None),
        row("FUT", "2026-01-01", None, None, None),
    ]
}

/// A builder for tiny datasets: one creditor `K1` with a valid CVR, one unit `U1`.
struct Tiny {
    ds: Dataset,
    postings: u32,
}

impl Tiny {
    fn new() -> Tiny {
        let ds = Dataset {
            accounts: accounts(),
            creditors: vec![CreditorRow {
                creditor_id: "K1".to_owned(),
                cvr: Some(cvr()),
                name: "Grønt ApS".to_owned(),
                address: "Vej 1".to_owned(),
                postal_code: "6700".to_owned(),
                city: "Esbjerg".to_owned(),
                bank_account: "1234-0001234567".to_owned(),
                bank_account_changed: None,
                address_changed: None,
                blocked: false,
                industry_code: "463000".to_owned(),
                first_invoice: None,
            }],
            units: vec![UnitRow {
                unit_id: "U1".to_owned(),
                name: "Børnehuset".to_owned(),
                gln: gln(579_800_012_345),
                cost_centre: "1010".to_owned(),
                area: "daycare".to_owned(),
            }],
            ..Dataset::default()
        };
        Tiny { ds, postings: 0 }
    }

    /// An invoice from `K1` to `U1` with `lines` lines of 100.00 each.
    fn invoice(&mut self, id: &str, issued: &str, lines: u32) -> &mut Tiny {
        self.ds.invoices.push(InvoiceRow {
            invoice_id: id.to_owned(),
            invoice_number: format!("N-{id}"),
            document_type: "invoice".to_owned(),
            creditor_id: "K1".to_owned(),
            supplier_cvr: None,
            buyer_gln: Some(gln(579_800_012_345)),
            buyer_reference: Some("MJ-DAG".to_owned()),
            order_reference: None,
            issue_date: d(issued),
            due_date: None,
            currency: "DKK".to_owned(),
            total_net: money("100") * Decimal::from(lines),
            total_vat: money("25") * Decimal::from(lines),
            total_gross: money("125") * Decimal::from(lines),
            accounting_cost: Some("5.25.14-1-2.2".to_owned()),
            format: "oioubl".to_owned(),
        });
        for n in 1..=lines {
            self.ds.invoice_lines.push(InvoiceLineRow {
                invoice_id: id.to_owned(),
                line_no: n,
                description: format!("Æbler, økologiske {n}"),
                item_id: Some(format!("FR-{n}")),
                gtin: None,
                unspsc: Some("50131700".to_owned()),
                quantity: Decimal::ONE,
                unit_price: money("100"),
                net_amount: money("100"),
                vat_category: "S".to_owned(),
                vat_rate: money("25"),
                accounting_cost: None,
            });
        }
        self
    }

    /// A posting of `amount` on `account` / `cc`, for a line or (line 0) the whole invoice.
    fn post(
        &mut self,
        invoice: &str,
        line: u32,
        on: &str,
        account: &str,
        cc: &str,
        amount: &str,
    ) -> &mut Tiny {
        self.postings += 1;
        self.ds.postings.push(PostingRow {
            posting_id: format!("P{:04}", self.postings),
            invoice_id: invoice.to_owned(),
            line_no: (line > 0).then_some(line),
            posting_date: d(on),
            account: account.to_owned(),
            cost_centre: cc.to_owned(),
            vat_code: "I25".to_owned(),
            project: None,
            amount: money(amount),
        });
        self
    }

    fn run(&self) -> Labelled {
        self.run_with(IngestOptions::all(d("2025-06-30")))
    }

    fn run_with(&self, options: IngestOptions) -> Labelled {
        let chart = chart_from_rows(&self.ds.accounts).unwrap();
        labelled_lines(&self.ds, &chart, &options).unwrap()
    }

    fn error(&self) -> IngestError {
        let chart = chart_from_rows(&self.ds.accounts).unwrap();
        labelled_lines(&self.ds, &chart, &IngestOptions::all(d("2025-06-30"))).unwrap_err()
    }
}

/// (invoice id, line no, account, cost centre) of each labelled line.
fn labels(out: &Labelled) -> Vec<(String, u32, String, String)> {
    out.lines
        .iter()
        .map(|l| {
            (
                l.invoice_id.clone(),
                l.line_no,
                l.label.account.clone(),
                l.label.cost_centre.clone(),
            )
        })
        .collect()
}

fn label(inv: &str, line: u32, account: &str, cc: &str) -> (String, u32, String, String) {
    (inv.to_owned(), line, account.to_owned(), cc.to_owned())
}

#[test]
fn line_level_postings_join_their_lines_with_header_features() {
    let mut t = Tiny::new();
    t.invoice("F1", "2025-01-10", 2)
        .post("F1", 2, "2025-01-15", "A1", "2020", "100")
        .post("F1", 1, "2025-01-15", "A1", "1010", "100");
    let out = t.run();
    assert_eq!(
        labels(&out),
        [label("F1", 1, "A1", "1010"), label("F1", 2, "A1", "2020")]
    );
    let line = &out.lines[0];
    assert_eq!(line.issue_date, d("2025-01-10"));
    assert_eq!(line.posting_date, d("2025-01-15"));
    assert_eq!(line.supplier_cvr.as_deref(), Some(cvr().as_str()));
    assert_eq!(line.industry_code.as_deref(), Some("463000"));
    assert_eq!(line.unit_id.as_deref(), Some("U1"));
    assert_eq!(line.area.as_deref(), Some("daycare"));
    assert_eq!(line.buyer_reference.as_deref(), Some("MJ-DAG"));
    assert_eq!(line.accounting_cost.as_deref(), Some("5.25.14-1-2.2"));
    assert_eq!(line.lines_on_invoice, 2);
    assert_eq!(line.label.posted_account, "A1");
    assert_eq!(line.label.vat_code, "I25");
    assert!(!line.credit_note);
    assert_eq!(out.report.labelled, 2);
    assert_eq!(out.report.lines_in_window, 2);
    assert_eq!(out.report.split_lines, 0);
    assert_eq!(out.report.invoice_level_postings_used, 0);
}

#[test]
fn an_invoice_level_posting_codes_every_line() {
    let mut t = Tiny::new();
    t.invoice("F1", "2025-01-10", 2)
        .post("F1", 0, "2025-01-15", "A1", "1010", "200");
    let out = t.run();
    assert_eq!(
        labels(&out),
        [label("F1", 1, "A1", "1010"), label("F1", 2, "A1", "1010")]
    );
    assert_eq!(out.report.invoice_level_postings_used, 1);
    assert_eq!(out.report.lines_from_invoice_postings, 2);
    assert_eq!(out.report.split_lines, 0);
}

#[test]
fn a_split_line_takes_its_largest_part() {
    let mut t = Tiny::new();
    t.invoice("F1", "2025-01-10", 2)
        .post("F1", 1, "2025-01-15", "A1", "2020", "40")
        .post("F1", 1, "2025-01-15", "A1", "1010", "60")
        // A tie goes to the first posting id: P0003.
        .post("F1", 2, "2025-01-15", "A1", "3030", "-50")
        .post("F1", 2, "2025-01-15", "A1", "4040", "50");
    let out = t.run();
    assert_eq!(
        labels(&out),
        [label("F1", 1, "A1", "1010"), label("F1", 2, "A1", "3030")]
    );
    assert_eq!(out.report.split_lines, 2);
}

#[test]
fn an_unposted_line_is_counted_not_labelled() {
    let mut t = Tiny::new();
    t.invoice("F1", "2025-01-10", 1)
        .invoice("F1-D", "2025-01-12", 1)
        .post("F1", 1, "2025-01-15", "A1", "1010", "100");
    let out = t.run();
    assert_eq!(labels(&out), [label("F1", 1, "A1", "1010")]);
    assert_eq!(out.report.unposted, 1);
    assert_eq!(out.report.lines_in_window, 2);
    assert_eq!(out.report.labelled, 1);
}

#[test]
fn a_renamed_account_is_mapped() {
    let mut t = Tiny::new();
    t.invoice("F1", "2023-05-10", 1)
        .post("F1", 1, "2023-05-15", "OLD", "1010", "100");
    let out = t.run();
    assert_eq!(labels(&out), [label("F1", 1, "NEW", "1010")]);
    assert_eq!(out.lines[0].label.posted_account, "OLD");
    assert_eq!(out.report.mapped, 1);
}

#[test]
fn a_split_account_is_resolved_by_cost_centre_or_dropped() {
    let mut t = Tiny::new();
    // Before the split: three cost centres post to S.
    t.invoice("F1", "2023-05-10", 3)
        .post("F1", 1, "2023-05-15", "S", "1010", "100")
        .post("F1", 2, "2023-05-15", "S", "2020", "100")
        .post("F1", 3, "2023-05-15", "S", "3030", "100");
    // After: 1010 uses only S1; 2020 both halves equally; 3030 S2 for 9 of 10 lines.
    t.invoice("F2", "2024-02-01", 2)
        .post("F2", 1, "2024-02-03", "S1", "1010", "100")
        .post("F2", 2, "2024-02-03", "S1", "1010", "100");
    t.invoice("F3", "2024-02-01", 2)
        .post("F3", 1, "2024-02-03", "S1", "2020", "100")
        .post("F3", 2, "2024-02-03", "S2", "2020", "100");
    t.invoice("F4", "2024-03-01", 9)
        .post("F4", 0, "2024-03-03", "S2", "3030", "900");
    t.invoice("F5", "2024-03-01", 1)
        .post("F5", 1, "2024-03-03", "S1", "3030", "100");
    let out = t.run();
    let f1: Vec<_> = labels(&out).into_iter().filter(|l| l.0 == "F1").collect();
    assert_eq!(
        f1,
        [label("F1", 1, "S1", "1010"), label("F1", 3, "S2", "3030")]
    );
    assert_eq!(out.report.resolved_by_cost_centre, 2);
    assert_eq!(out.report.dropped_ambiguous, 1);
    assert_eq!(out.report.labelled, 2 + 2 + 2 + 9 + 1);
}

#[test]
fn a_split_account_without_evidence_is_dropped() {
    let mut t = Tiny::new();
    t.invoice("F1", "2023-05-10", 1)
        .post("F1", 1, "2023-05-15", "S", "1010", "100");
    let out = t.run();
    assert!(out.lines.is_empty());
    assert_eq!(out.report.dropped_ambiguous, 1);
}

#[test]
fn evidence_comes_from_the_window_only() {
    let mut t = Tiny::new();
    t.invoice("F1", "2023-05-10", 1)
        .post("F1", 1, "2023-05-15", "S", "1010", "100")
        .invoice("F2", "2024-02-01", 1)
        .post("F2", 1, "2024-02-03", "S1", "1010", "100");
    let all = t.run();
    assert_eq!(all.report.resolved_by_cost_centre, 1);
    let window = t.run_with(IngestOptions {
        from: None,
        to: Some(d("2023-12-31")),
        as_of: d("2025-06-30"),
    });
    assert!(window.lines.is_empty());
    assert_eq!(window.report.dropped_ambiguous, 1);
}

#[test]
fn closed_unknown_and_not_yet_valid_accounts_are_dropped() {
    let mut t = Tiny::new();
    t.invoice("F1", "2023-05-10", 4)
        .post("F1", 1, "2023-05-15", "C", "1010", "100")
        .post("F1", 2, "2023-05-15", "NOPE-1", "1010", "100")
        .post("F1", 3, "2023-05-15", "FUT", "1010", "100")
        .post("F1", 4, "2023-05-15", "A1", "1010", "100");
    let out = t.run();
    assert_eq!(labels(&out), [label("F1", 4, "A1", "1010")]);
    let r = &out.report;
    assert_eq!(r.dropped_closed, 1);
    assert_eq!(r.dropped_unknown_account, 1);
    assert_eq!(r.dropped_not_yet_valid, 1);
    assert_eq!(r.dropped(), 3);
    assert_eq!(r.unknown_account_examples, ["NOPE-1"]);
}

#[test]
fn only_invoices_issued_in_the_window_are_labelled() {
    let mut t = Tiny::new();
    for (id, day) in [
        ("F1", "2024-12-31"),
        ("F2", "2025-01-01"),
        ("F3", "2025-03-31"),
        ("F4", "2025-04-01"),
    ] {
        t.invoice(id, day, 1).post(id, 1, day, "A1", "1010", "100");
    }
    // An unposted line outside the window is no problem of the window's.
    t.invoice("F5", "2025-05-01", 1);
    let out = t.run_with(IngestOptions {
        from: Some(d("2025-01-01")),
        to: Some(d("2025-03-31")),
        as_of: d("2025-06-30"),
    });
    let ids: Vec<&str> = out.lines.iter().map(|l| l.invoice_id.as_str()).collect();
    assert_eq!(ids, ["F2", "F3"]);
    assert_eq!(out.report.lines_total, 5);
    assert_eq!(out.report.lines_in_window, 2);
    assert_eq!(out.report.unposted, 0);
}

#[test]
fn output_is_sorted_by_issue_date_invoice_and_line() {
    let mut t = Tiny::new();
    t.invoice("F9", "2025-01-01", 2)
        .invoice("F2", "2025-02-01", 1)
        .invoice("F1", "2025-02-01", 1)
        .post("F2", 0, "2025-02-02", "A1", "1010", "100")
        .post("F1", 0, "2025-02-02", "A1", "1010", "100")
        .post("F9", 2, "2025-01-02", "A1", "1010", "100")
        .post("F9", 1, "2025-01-02", "A1", "1010", "100");
    let order: Vec<(String, u32)> = t
        .run()
        .lines
        .into_iter()
        .map(|l| (l.invoice_id, l.line_no))
        .collect();
    let want = [("F9", 1), ("F9", 2), ("F1", 1), ("F2", 1)].map(|(i, n)| (i.to_owned(), n));
    assert_eq!(order, want);
}

#[test]
fn cpr_numbers_are_masked_in_descriptions() {
    let mut t = Tiny::new();
    t.invoice("F1", "2025-01-10", 2)
        .post("F1", 0, "2025-01-15", "A1", "1010", "200");
    t.ds.invoice_lines[0].description = "Ophold marts, borger 010203-1234".to_owned();
    t.ds.invoice_lines[1].description = "Ophold april 0102031234".to_owned();
    let out = t.run();
    for line in &out.lines {
        assert!(
            !line.description.chars().any(|c| c.is_ascii_digit()),
            "{}",
            line.description
        );
        assert!(line.description.contains("XXXXXX-XXXX"));
    }
    let everything = format!("{out:?}");
    assert!(!everything.contains("010203"));
    assert!(!everything.contains("0102031234"));
    assert_eq!(out.report.cpr_masked, 2);
}

#[test]
fn unknown_creditors_and_buyers_are_labelled_without_their_fields() {
    let mut t = Tiny::new();
    t.invoice("F1", "2025-01-10", 1)
        .post("F1", 1, "2025-01-15", "A1", "1010", "100");
    let inv = &mut t.ds.invoices[0];
    inv.creditor_id = "K404".to_owned();
    inv.supplier_cvr = Some(cvr());
    inv.buyer_gln = Some(gln(579_800_099_999));
    let out = t.run();
    let line = &out.lines[0];
    assert_eq!(line.industry_code, None);
    assert_eq!(line.supplier_cvr.as_deref(), Some(cvr().as_str()));
    assert_eq!(line.unit_id, None);
    assert_eq!(line.area, None);
    assert!(line.buyer_gln.is_some());
    assert_eq!(out.report.unknown_creditors, 1);
    assert_eq!(out.report.unknown_gln, 1);

    // An invalid CVR on both sides gives none.
    t.ds.invoices[0].supplier_cvr = Some("12345678".to_owned());
    assert_eq!(t.run().lines[0].supplier_cvr, None);
}

#[test]
fn the_summary_mentions_the_counts() {
    let mut t = Tiny::new();
    t.invoice("F1", "2023-05-10", 4)
        .post("F1", 1, "2023-05-15", "OLD", "1010", "100")
        .post("F1", 2, "2023-05-15", "C", "1010", "100")
        .post("F1", 3, "2023-05-15", "ZZ-9", "1010", "100")
        .post("F1", 4, "2023-05-15", "A1", "1010", "100")
        .invoice("F2", "2023-05-10", 1);
    let text = t.run().report.to_string();
    assert!(
        text.contains("Labelled lines: 2 (40.0%) of 5 lines"),
        "{text}"
    );
    assert!(
        text.contains("not posted (not labelled):        1 (20.0%)"),
        "{text}"
    );
    assert!(text.contains("Dropped: 2 (40.0%)"), "{text}");
    assert!(text.contains("closed account 1 (20.0%)"), "{text}");
    assert!(text.contains("unknown account 1 (20.0%)"), "{text}");
    assert!(text.contains("e.g.: ZZ-9"), "{text}");
    assert!(text.contains("mapped to its successor"), "{text}");
    assert!(text.contains("2025-06-30"), "{text}");
}

#[test]
fn inconsistent_tables_are_errors_that_name_the_fix() {
    let mut t = Tiny::new();
    t.invoice("F1", "2025-01-10", 1)
        .post("F7", 1, "2025-01-15", "A1", "1010", "100");
    let message = t.error().to_string();
    assert!(message.contains("posting P0001"), "{message}");
    assert!(message.contains("invoice F7"), "{message}");
    assert!(
        message.contains("correct the posting's invoice_id"),
        "{message}"
    );

    let mut t = Tiny::new();
    t.invoice("F1", "2025-01-10", 1)
        .post("F1", 2, "2025-01-15", "A1", "1010", "100");
    assert!(matches!(
        t.error(),
        IngestError::PostingWithoutLine { line_no: 2, .. }
    ));

    let mut t = Tiny::new();
    t.invoice("F1", "2025-01-10", 1)
        .post("F1", 1, "2025-01-15", "A 1", "1010", "100");
    let message = t.error().to_string();
    assert!(message.contains("posting P0001"), "{message}");
    assert!(message.contains("account"), "{message}");

    let mut t = Tiny::new();
    t.invoice("F1", "2025-01-10", 1)
        .invoice("F1", "2025-01-11", 1);
    assert!(matches!(t.error(), IngestError::DuplicateInvoice { .. }));

    let chart = chart_from_rows(&t.ds.accounts).unwrap();
    let backwards = IngestOptions {
        from: Some(d("2025-02-01")),
        to: Some(d("2025-01-01")),
        as_of: d("2025-06-30"),
    };
    assert!(matches!(
        labelled_lines(&Dataset::default(), &chart, &backwards),
        Err(IngestError::EmptyWindow { .. })
    ));
}

#[test]
fn errors_never_show_a_cpr_number() {
    let mut t = Tiny::new();
    t.invoice("F1", "2025-01-10", 1)
        .post("F-010203-1234", 1, "2025-01-15", "A1", "1010", "100");
    let message = t.error().to_string();
    assert!(!message.contains("010203-1234"), "{message}");
}
