//! Screening tests: one clean invoice passes, and each rule is broken once on its own.

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::*;
use crate::{Currency, Cvr, Gln, Invoice, InvoiceId, InvoiceLine, VatCategory};

fn d(s: &str) -> Decimal {
    s.parse().unwrap()
}

fn date(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn line(no: u32, net: &str, category: VatCategory, rate: &str) -> InvoiceLine {
    InvoiceLine {
        line_no: no,
        description: "Kontorartikler".to_owned(),
        item_id: None,
        gtin: None,
        unspsc: None,
        quantity: Decimal::ONE,
        unit_price: d(net),
        net_amount: d(net),
        vat_category: category,
        vat_rate: d(rate),
        accounting_cost: None,
    }
}

fn invoice() -> Invoice {
    Invoice {
        id: InvoiceId::new("I-1"),
        number: "1001".to_owned(),
        document_type: DocumentType::Invoice,
        supplier_cvr: Cvr::from_base(1_234_567),
        buyer_gln: Gln::from_base(579_000_000_000),
        buyer_reference: None,
        order_reference: None,
        issue_date: date("2026-03-01"),
        due_date: None,
        currency: Currency::DKK,
        lines: vec![
            line(1, "100.00", VatCategory::Standard, "25"),
            line(2, "40.00", VatCategory::Exempt, "0"),
        ],
        accounting_cost: None,
    }
}

fn totals() -> DeclaredTotals {
    DeclaredTotals {
        line_extension: Some(d("140.00")),
        allowances: None,
        charges: None,
        tax_exclusive: Some(d("140.00")),
        tax: Some(d("25.00")),
        prepaid: None,
        payable: Some(d("165.00")),
    }
}

fn creditor() -> CreditorFacts<'static> {
    CreditorFacts {
        cvr: Cvr::from_base(1_234_567),
        blocked: false,
        bank_account: Some("1234 0001234567"),
        bank_account_changed: Some(date("2024-01-01")),
        address_changed: None,
        industry: Some("471100"),
        history: Some(AmountHistory {
            invoices: 40,
            median: d("120"),
            p99: d("300"),
        }),
    }
}

/// Screens `invoice`/`totals` with a known creditor after `edit` and returns the reason codes.
fn reasons(
    invoice: &Invoice,
    totals: &DeclaredTotals,
    edit: impl FnOnce(&mut Subject<'_>),
) -> Vec<Reason> {
    let mut subject = Subject {
        invoice,
        totals,
        supplier_country: Some("DK"),
        supplier_cvr_invalid: false,
        bank_account: Some("1234-0001234567"),
        creditor: Some(creditor()),
        creditors_known: true,
        unit_known: true,
        area: Some("schools"),
        duplicates: DuplicateFacts::default(),
        today: date("2026-03-02"),
    };
    edit(&mut subject);
    screen(&subject, &ScreenPolicy::default())
        .into_iter()
        .map(|f| f.reason)
        .collect()
}

#[test]
fn a_clean_invoice_passes() {
    assert_eq!(reasons(&invoice(), &totals(), |_| {}), vec![]);
}

#[test]
fn form_rules() {
    assert_eq!(
        reasons(&invoice(), &totals(), |s| s.unit_known = false),
        vec![Reason::RequiredFieldMissing]
    );
    let mut credit = invoice();
    credit.document_type = DocumentType::CreditNote;
    assert_eq!(
        reasons(&credit, &totals(), |_| {}),
        vec![Reason::CreditNote]
    );
    let mut foreign = invoice();
    foreign.currency = Currency::parse("EUR").unwrap();
    assert_eq!(
        reasons(&foreign, &totals(), |_| {}),
        vec![Reason::ForeignCurrency]
    );
}

#[test]
fn cpr_numbers_are_found_and_never_echoed() {
    let mut inv = invoice();
    inv.lines[1].description = "Bevilling til 010203-1234".to_owned();
    let subject_totals = totals();
    let subject = Subject {
        invoice: &inv,
        totals: &subject_totals,
        supplier_country: Some("DK"),
        supplier_cvr_invalid: false,
        bank_account: None,
        creditor: Some(creditor()),
        creditors_known: true,
        unit_known: true,
        area: None,
        duplicates: DuplicateFacts::default(),
        today: date("2026-03-02"),
    };
    let found = screen(&subject, &ScreenPolicy::default());
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].reason, Reason::CprInText);
    assert!(found[0].message.contains("line 2"));
    assert!(!found[0].message.contains("010203"));
    let mut header = invoice();
    header.buyer_reference = Some("0102031234".to_owned());
    assert_eq!(reasons(&header, &totals(), |_| {}), vec![Reason::CprInText]);
}

#[test]
fn arithmetic_rules() {
    let mut t = totals();
    t.line_extension = Some(d("150.00"));
    assert_eq!(
        reasons(&invoice(), &t, |_| {}),
        vec![Reason::LineTotalMismatch]
    );
    let mut t = totals();
    t.tax = Some(d("35.00"));
    t.payable = Some(d("175.00"));
    assert_eq!(reasons(&invoice(), &t, |_| {}), vec![Reason::VatMismatch]);
    let mut t = totals();
    t.payable = Some(d("200.00"));
    assert_eq!(
        reasons(&invoice(), &t, |_| {}),
        vec![Reason::PayableMismatch]
    );
    // Within the rounding tolerance (1.00) nothing is flagged.
    let mut t = totals();
    t.tax = Some(d("25.40"));
    t.payable = Some(d("165.40"));
    assert_eq!(reasons(&invoice(), &t, |_| {}), vec![]);
    // A document-level allowance on a single rate lowers the VAT accordingly.
    let mut t = totals();
    t.allowances = Some(d("20.00"));
    t.tax_exclusive = Some(d("120.00"));
    t.tax = Some(d("20.00"));
    t.payable = Some(d("140.00"));
    assert_eq!(reasons(&invoice(), &t, |_| {}), vec![]);
    // Reverse-charged lines carry no VAT from the supplier.
    let mut rc = invoice();
    rc.lines[0].vat_category = VatCategory::ReverseCharge;
    let mut t = totals();
    t.tax = Some(d("0"));
    t.payable = Some(d("140.00"));
    assert_eq!(reasons(&rc, &t, |_| {}), vec![]);
}

#[test]
fn amount_rules() {
    let mut negative = invoice();
    negative.lines[0].net_amount = d("-200");
    let t = DeclaredTotals::default();
    assert_eq!(
        reasons(&negative, &t, |_| {}),
        vec![Reason::NonPositiveTotal]
    );
    let mut big = invoice();
    big.lines[0].net_amount = d("600000");
    // Above the default ceiling (500,000) and far above the creditor's history (3 × 300).
    assert_eq!(
        reasons(&big, &t, |_| {}),
        vec![Reason::AmountAboveCeiling, Reason::AmountOutsideHistory]
    );
    let mut over_history = invoice();
    over_history.lines[0].net_amount = d("1000");
    assert_eq!(
        reasons(&over_history, &t, |_| {}),
        vec![Reason::AmountOutsideHistory]
    );
    // A short history proves nothing.
    assert_eq!(
        reasons(&over_history, &t, |s| {
            let mut c = creditor();
            c.history = Some(AmountHistory {
                invoices: 3,
                median: d("100"),
                p99: d("100"),
            });
            s.creditor = Some(c);
        }),
        vec![]
    );
    let mut policy = ScreenPolicy::default();
    policy.area_ceilings.insert("schools".to_owned(), d("100"));
    assert_eq!(policy.ceiling(Some("schools")), Some(d("100")));
    assert_eq!(policy.ceiling(Some("social")), Some(d("500000")));
}

#[test]
fn creditor_rules() {
    let inv = invoice();
    let t = totals();
    assert_eq!(
        reasons(&inv, &t, |s| s.creditor = None),
        vec![Reason::CreditorUnknown]
    );
    // Without master data nothing can be looked up, so nothing is flagged as unknown.
    assert_eq!(
        reasons(&inv, &t, |s| {
            s.creditor = None;
            s.creditors_known = false;
        }),
        vec![]
    );
    let with = |edit: fn(&mut CreditorFacts<'static>)| {
        let mut c = creditor();
        edit(&mut c);
        reasons(&inv, &t, move |s| s.creditor = Some(c))
    };
    assert_eq!(with(|c| c.blocked = true), vec![Reason::CreditorBlocked]);
    assert_eq!(
        with(|c| c.cvr = Cvr::from_base(7_654_321)),
        vec![Reason::SupplierCvrMismatch]
    );
    assert_eq!(
        with(|c| c.bank_account_changed = Some(date("2026-02-10"))),
        vec![Reason::BankAccountChanged]
    );
    assert_eq!(
        with(|c| c.bank_account = Some("9999 0001234567")),
        vec![Reason::BankAccountMismatch]
    );
    assert_eq!(
        with(|c| c.address_changed = Some(date("2026-03-01"))),
        vec![Reason::AddressChanged]
    );
    // A change 31 days ago is no longer recent.
    assert_eq!(
        with(|c| c.address_changed = Some(date("2026-01-30"))),
        vec![]
    );
    assert_eq!(
        with(|c| c.industry = Some("432200")),
        vec![Reason::CreditorAlwaysManual]
    );
    let mut no_cvr = invoice();
    no_cvr.supplier_cvr = None;
    assert_eq!(
        reasons(&no_cvr, &t, |_| {}),
        vec![Reason::SupplierCvrMissing]
    );
    assert_eq!(
        reasons(&no_cvr, &t, |s| s.supplier_country = Some("NO")),
        vec![]
    );
}

#[test]
fn duplicates_are_flagged_with_the_earlier_decision() {
    let inv = invoice();
    let t = totals();
    let subject = Subject {
        invoice: &inv,
        totals: &t,
        supplier_country: None,
        supplier_cvr_invalid: false,
        bank_account: None,
        creditor: None,
        creditors_known: false,
        unit_known: true,
        area: None,
        duplicates: DuplicateFacts {
            same_number: Some("d-17"),
            same_amount: Some("d-18"),
        },
        today: date("2026-03-02"),
    };
    let found = screen(&subject, &ScreenPolicy::default());
    let codes: Vec<Reason> = found.iter().map(|f| f.reason).collect();
    assert_eq!(
        codes,
        vec![Reason::DuplicateNumber, Reason::DuplicateAmount]
    );
    assert!(found[0].message.contains("d-17"));
    assert!(found[1].message.contains("d-18"));
}
