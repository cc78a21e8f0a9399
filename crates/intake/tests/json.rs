//! The JSON format: happy path, defaults, and each kind of error with its exact path and message.

use kontera_core::{DocumentType, VatCategory};
use kontera_intake::{Format, IntakeError, batch_from_json, from_json};
use rust_decimal::Decimal;

fn dec(text: &str) -> Decimal {
    text.parse().unwrap()
}

const FULL: &str = r#"{
  "id": "erp-778812",
  "number": "INV-1001",
  "type": "credit_note",
  "issue_date": "2024-03-01",
  "due_date": "2024-03-31",
  "currency": "eur",
  "supplier": {"cvr": "DK12345674", "vat_id": "DK12345674", "name": "Mejeriet A/S",
               "creditor_id": "4711", "country": "dk", "bank_account": "1234 5678901234"},
  "buyer": {"gln": "5790000000005", "unit_id": "SKOLE-7", "reference": "4410", "name": "Den Lille Skole"},
  "order_reference": "PO-88",
  "accounting_cost": "5.25.14.1.2.2",
  "lines": [
    {"description": "Mælk 1 l", "quantity": "24", "unit_price": 12.5, "net_amount": "300.00",
     "vat_category": "S", "vat_rate": "25", "item_id": "M-1", "gtin": "5701234567899",
     "unspsc": "50131700", "accounting_cost": "5.25.14.1.2.2"},
    {"description": "", "net_amount": -12.5, "vat_category": "ZeroRated"}
  ],
  "totals": {"net": "287.50", "vat": 75, "payable": "362.50"}
}"#;

#[test]
fn reads_every_field() {
    let r = from_json(FULL.as_bytes()).unwrap();
    let i = &r.invoice;
    assert_eq!(r.format, Format::Json);
    assert_eq!(i.id.as_str(), "erp-778812");
    assert_eq!(i.number, "INV-1001");
    assert_eq!(i.document_type, DocumentType::CreditNote);
    assert_eq!(i.issue_date.to_string(), "2024-03-01");
    assert_eq!(i.due_date.unwrap().to_string(), "2024-03-31");
    assert_eq!(i.currency.as_str(), "EUR");
    assert_eq!(i.supplier_cvr.unwrap().to_string(), "12345674");
    assert_eq!(i.buyer_gln.unwrap().to_string(), "5790000000005");
    assert_eq!(i.buyer_reference.as_deref(), Some("4410"));
    assert_eq!(i.order_reference.as_deref(), Some("PO-88"));
    assert_eq!(i.accounting_cost.as_deref(), Some("5.25.14.1.2.2"));
    assert_eq!(r.supplier.name.as_deref(), Some("Mejeriet A/S"));
    assert_eq!(r.supplier.creditor_id.as_deref(), Some("4711"));
    assert_eq!(r.supplier.vat_id.as_deref(), Some("DK12345674"));
    assert_eq!(r.supplier.country.as_deref(), Some("DK"));
    assert_eq!(r.supplier.bank_account.as_deref(), Some("1234 5678901234"));
    assert_eq!(r.buyer.unit_id.as_deref(), Some("SKOLE-7"));
    assert_eq!(r.buyer.name.as_deref(), Some("Den Lille Skole"));
    assert_eq!(r.totals.line_extension, Some(dec("287.50")));
    assert_eq!(r.totals.tax, Some(dec("75")));
    assert_eq!(r.totals.payable, Some(dec("362.50")));
    assert_eq!(r.totals.tax_exclusive, None);
    let first = &i.lines[0];
    assert_eq!(first.line_no, 1);
    assert_eq!(first.description, "Mælk 1 l");
    assert_eq!(
        (first.quantity, first.unit_price, first.net_amount),
        (dec("24"), dec("12.5"), dec("300"))
    );
    assert_eq!(
        (first.vat_category, first.vat_rate),
        (VatCategory::Standard, dec("25"))
    );
    assert_eq!(first.item_id.as_deref(), Some("M-1"));
    assert_eq!(first.gtin.as_deref(), Some("5701234567899"));
    assert_eq!(first.unspsc.as_deref(), Some("50131700"));
    assert_eq!(first.accounting_cost.as_deref(), Some("5.25.14.1.2.2"));
    let second = &i.lines[1];
    assert_eq!(second.line_no, 2);
    assert_eq!(second.description, "");
    assert_eq!(
        second.net_amount,
        dec("-12.5"),
        "negative amounts are allowed"
    );
    assert_eq!(
        (second.vat_category, second.vat_rate),
        (VatCategory::ZeroRated, Decimal::ZERO)
    );
    assert!(r.warnings.is_empty());
}

#[test]
fn fills_defaults_and_derives_the_id() {
    let body = r#"{"number": " 77 ", "issue_date": "2024-01-31", "supplier": {"cvr": "12345674"},
                   "lines": [{"description": "Rengøring", "quantity": "4", "net_amount": "1000"}]}"#;
    let r = from_json(body.as_bytes()).unwrap();
    let i = &r.invoice;
    assert_eq!(i.number, "77");
    assert_eq!(i.id.as_str(), "DK12345674/invoice/77");
    assert_eq!(i.document_type, DocumentType::Invoice);
    assert_eq!(i.currency.as_str(), "DKK");
    assert_eq!(i.due_date, None);
    assert_eq!(i.buyer_gln, None);
    let line = &i.lines[0];
    assert_eq!(line.unit_price, dec("250"), "net / quantity");
    assert_eq!(
        (line.vat_category, line.vat_rate),
        (VatCategory::Standard, dec("25"))
    );
    assert_eq!(r.totals, kontera_intake::Totals::default());
    // Quantity 1 by default, so the unit price is the net amount.
    let body = r#"{"number": "1", "issue_date": "2024-01-31", "supplier": {"creditor_id": "4711"},
                   "lines": [{"description": "x", "net_amount": "99.95", "vat_category": "E"}]}"#;
    let r = from_json(body.as_bytes()).unwrap();
    assert_eq!(r.invoice.id.as_str(), "creditor:4711/invoice/1");
    let line = &r.invoice.lines[0];
    assert_eq!(
        (line.quantity, line.unit_price, line.vat_rate),
        (Decimal::ONE, dec("99.95"), Decimal::ZERO)
    );
    let body = r#"{"number": "1", "issue_date": "2024-01-31", "lines": [{"description": "x", "net_amount": 1}]}"#;
    assert_eq!(
        from_json(body.as_bytes()).unwrap().invoice.id.as_str(),
        "unknown/invoice/1"
    );
}

#[test]
fn amounts_are_read_from_their_text_as_strings_or_numbers() {
    let check = |amount: &str, expected: &str| {
        let body = format!(
            r#"{{"number": "1", "issue_date": "2024-01-31", "lines": [{{"description": "x", "net_amount": {amount}}}]}}"#
        );
        let r = from_json(body.as_bytes()).unwrap_or_else(|e| panic!("{amount}: {e}"));
        assert_eq!(r.invoice.lines[0].net_amount, dec(expected), "{amount}");
    };
    check("\"1250.00\"", "1250");
    check("1250.00", "1250");
    // 0.1 + 0.2 style values survive exactly: no f64 on the way.
    check("0.1", "0.1");
    check("999999999999.9999", "999999999999.9999");
    check("-0.0001", "-0.0001");
    check("1.25e3", "1250");
    check("\"-7\"", "-7");
    check("1000000000000", "1000000000000");
}

fn error_of(body: &str) -> IntakeError {
    from_json(body.as_bytes()).unwrap_err()
}

fn with_line(line: &str) -> String {
    format!(
        r#"{{"number": "1", "issue_date": "2024-01-31", "lines": [{{"description": "a", "net_amount": "1"}}, {{"description": "b", "net_amount": "2"}}, {line}]}}"#
    )
}

fn check(body: &str, code: &str, field: Option<&str>, message: &str) {
    let error = error_of(body);
    assert_eq!(error.code(), code, "{error}");
    assert_eq!(error.field(), field, "{error}");
    assert_eq!(error.to_string(), message);
}

#[test]
fn bad_amounts_name_the_line_and_the_field() {
    check(
        &with_line(r#"{"description": "c", "net_amount": "12,5x"}"#),
        "invalid_field",
        Some("lines[2].net_amount"),
        "lines[2].net_amount: expected a decimal amount like \"1250.00\", got \"12,5x\"",
    );
    check(
        &with_line(r#"{"description": "c", "net_amount": 1e13}"#),
        "invalid_field",
        Some("lines[2].net_amount"),
        "lines[2].net_amount: \"1e13\" is out of range: at most 1000000000000 in absolute value",
    );
    check(
        &with_line(r#"{"description": "c", "net_amount": 123456789012345678901234567890123}"#),
        "invalid_field",
        Some("lines[2].net_amount"),
        "lines[2].net_amount: \"123456789012345678901234567890123\" is out of range: at most 1000000000000 in absolute value",
    );
    check(
        &with_line(r#"{"description": "c", "net_amount": "1.23456"}"#),
        "invalid_field",
        Some("lines[2].net_amount"),
        "lines[2].net_amount: \"1.23456\" has more than 4 decimals",
    );
    check(
        &with_line(r#"{"description": "c", "net_amount": true}"#),
        "invalid_field",
        Some("lines[2].net_amount"),
        "lines[2].net_amount: expected a decimal amount like \"1250.00\", got \"true\"",
    );
    check(
        &with_line(r#"{"description": "c", "net_amount": "1", "vat_rate": "125"}"#),
        "invalid_field",
        Some("lines[2].vat_rate"),
        "lines[2].vat_rate: a VAT rate must be between 0 and 100 percent, got \"125\"",
    );
    check(
        &with_line(r#"{"description": "c", "net_amount": "1", "quantity": "2.1234567"}"#),
        "invalid_field",
        Some("lines[2].quantity"),
        "lines[2].quantity: \"2.1234567\" has more than 6 decimals",
    );
}

#[test]
fn missing_and_unknown_fields() {
    check(
        &with_line(r#"{"description": "c"}"#),
        "missing_field",
        Some("lines[2].net_amount"),
        "lines[2].net_amount: is required",
    );
    check(
        &with_line(r#"{"net_amount": "1"}"#),
        "missing_field",
        Some("lines[2].description"),
        "lines[2].description: is required",
    );
    let line = r#"[{"description": "a", "net_amount": "1"}]"#;
    check(
        &format!(r#"{{"issue_date": "2024-01-31", "lines": {line}}}"#),
        "missing_field",
        Some("number"),
        "number: is required",
    );
    check(
        &format!(r#"{{"number": "1", "lines": {line}}}"#),
        "missing_field",
        Some("issue_date"),
        "issue_date: is required",
    );
    check(
        r#"{"number": "1", "issue_date": "2024-01-31"}"#,
        "missing_field",
        Some("lines"),
        "lines: is required",
    );
    check(
        &with_line(r#"{"description": "c", "net_amount": "1", "nett": 2}"#),
        "unknown_field",
        Some("lines[2].nett"),
        "lines[2].nett: unknown field `nett`, expected one of `description`, `quantity`, `unit_price`, \
         `net_amount`, `vat_category`, `vat_rate`, `item_id`, `gtin`, `unspsc`, `accounting_cost`",
    );
    check(
        r#"{"number": "1", "issue_date": "2024-01-31", "supplier": {"ean": "1"}, "lines": []}"#,
        "unknown_field",
        Some("supplier.ean"),
        "supplier.ean: unknown field `ean`, expected one of `cvr`, `vat_id`, `name`, `creditor_id`, `country`, `bank_account`",
    );
}

#[test]
fn wrong_types_dates_currencies_and_identifiers() {
    let invoice = |extra: &str| {
        format!(
            r#"{{"number": "1", "issue_date": "2024-01-31", {extra} "lines": [{{"description": "a", "net_amount": "1"}}]}}"#
        )
    };
    check(
        r#"{"number": 1001, "issue_date": "2024-01-31", "lines": []}"#,
        "invalid_field",
        Some("number"),
        "number: invalid type: integer `1001`, expected a string",
    );
    check(
        &invoice(r#""number2": 1,"#),
        "unknown_field",
        Some("number2"),
        "number2: unknown field `number2`, expected one of `id`, `number`, `type`, `issue_date`, `due_date`, `currency`, \
         `supplier`, `buyer`, `order_reference`, `accounting_cost`, `lines`, `totals`",
    );
    check(
        r#"{"number": "  ", "issue_date": "2024-01-31", "lines": []}"#,
        "invalid_field",
        Some("number"),
        "number: must not be empty",
    );
    check(
        &invoice(r#""due_date": "31-01-2024","#),
        "invalid_field",
        Some("due_date"),
        "due_date: expected a date like \"2024-03-01\" (YYYY-MM-DD), got \"31-01-2024\"",
    );
    check(
        r#"{"number": "1", "issue_date": "2024-02-30", "lines": []}"#,
        "invalid_field",
        Some("issue_date"),
        "issue_date: \"2024-02-30\" is not a calendar date",
    );
    check(
        &invoice(r#""currency": "KR","#),
        "invalid_field",
        Some("currency"),
        "currency: currency code must have 3 letters (ISO 4217, e.g. DKK), found 2 characters",
    );
    check(
        &invoice(r#""type": "creditnote","#),
        "invalid_field",
        Some("type"),
        "type: unknown variant `creditnote`, expected `invoice` or `credit_note`",
    );
    check(
        &invoice(r#""supplier": {"cvr": "12345675"},"#),
        "invalid_field",
        Some("supplier.cvr"),
        "supplier.cvr: CVR number fails the modulus-11 check (weights 2,7,6,5,4,3,2,1); check for a mistyped digit",
    );
    check(
        &invoice(r#""buyer": {"gln": "5790000000006"},"#),
        "invalid_field",
        Some("buyer.gln"),
        "buyer.gln: GLN fails the GS1 check digit (weights 1,3,1,3,... over the first 12 digits); check for a mistyped digit",
    );
    check(
        &invoice(r#""supplier": {"country": "Danmark"},"#),
        "invalid_field",
        Some("supplier.country"),
        "supplier.country: expected a two-letter country code (ISO 3166-1, e.g. DK), got \"Danmark\"",
    );
    check(
        &with_line(r#"{"description": "c", "net_amount": "1", "vat_category": "X"}"#),
        "invalid_field",
        Some("lines[2].vat_category"),
        "lines[2].vat_category: expected a VAT category code (S, E, Z, AE, O, K, G, L, M, B, or OIOUBL's \
         StandardRated, ZeroRated, ReverseCharge), got \"X\"",
    );
}

#[test]
fn line_counts_and_lengths_are_bounded() {
    check(
        r#"{"number": "1", "issue_date": "2024-01-31", "lines": []}"#,
        "invalid_field",
        Some("lines"),
        "lines: an invoice needs at least one line",
    );
    let line = r#"{"description": "x", "net_amount": "1"}"#;
    let many = vec![line; 10_001].join(",");
    let body = format!(r#"{{"number": "1", "issue_date": "2024-01-31", "lines": [{many}]}}"#);
    check(
        &body,
        "invalid_field",
        Some("lines"),
        "lines: has more than 10000 lines; split the invoice or send it for manual handling",
    );
    let exactly = vec![line; 10_000].join(",");
    let body = format!(r#"{{"number": "1", "issue_date": "2024-01-31", "lines": [{exactly}]}}"#);
    assert_eq!(
        from_json(body.as_bytes()).unwrap().invoice.lines.len(),
        10_000
    );
    let long = "x".repeat(2_001);
    check(
        &with_line(&format!(
            r#"{{"description": "{long}", "net_amount": "1"}}"#
        )),
        "invalid_field",
        Some("lines[2].description"),
        "lines[2].description: is 2001 characters long; at most 2000 are allowed",
    );
    let ok = "æ".repeat(2_000);
    assert!(
        from_json(
            with_line(&format!(r#"{{"description": "{ok}", "net_amount": "1"}}"#)).as_bytes()
        )
        .is_ok()
    );
}

#[test]
fn malformed_json_is_one_error_with_a_position() {
    check(
        r#"{"number": "1",, }"#,
        "malformed_json",
        None,
        "the body is not valid JSON (line 1, column 16): key must be a string",
    );
    check(
        "",
        "malformed_json",
        None,
        "the body is not valid JSON (line 1, column 0): EOF while parsing a value",
    );
    let body = format!(
        "{} x",
        with_line(r#"{"description": "c", "net_amount": "1"}"#)
    );
    assert_eq!(error_of(&body).code(), "malformed_json");
    assert_eq!(error_of("[1, 2]").code(), "invalid_field");
    assert_eq!(error_of("\u{feff}{}").code(), "malformed_json");
    assert_eq!(
        from_json(&[0xff, 0xfe, 0x00]).unwrap_err().code(),
        "malformed_json"
    );
}

#[test]
fn deep_nesting_is_an_error_not_a_stack_overflow() {
    let deep = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
    assert!(from_json(deep.as_bytes()).is_err());
    let nested_value = format!(
        r#"{{"number": "1", "issue_date": "2024-01-31", "lines": [{{"description": "x", "net_amount": {}1{}}}]}}"#,
        "[".repeat(10_000),
        "]".repeat(10_000)
    );
    // serde_json skips a nested value without recursing; the amount is then refused, cut short.
    let error = from_json(nested_value.as_bytes()).unwrap_err();
    assert_eq!(error.field(), Some("lines[0].net_amount"), "{error}");
    assert!(error.to_string().len() < 200, "{error}");
    // Unclosed nesting.
    assert_eq!(
        from_json("[".repeat(100_000).as_bytes())
            .unwrap_err()
            .code(),
        "invalid_field"
    );
    let unclosed = format!(
        r#"{{"number": "1", "issue_date": "2024-01-31", "lines": [{{"description": "x", "net_amount": {}"#,
        "[".repeat(100_000)
    );
    assert_eq!(
        from_json(unclosed.as_bytes()).unwrap_err().code(),
        "malformed_json"
    );
    let batch = format!(
        r#"{{"invoices": {}{}}}"#,
        "[".repeat(10_000),
        "]".repeat(10_000)
    );
    assert!(batch_from_json(batch.as_bytes()).is_err());
}

#[test]
fn cpr_numbers_are_never_echoed() {
    let cprs = ["010190-1234", "0101901234"];
    for cpr in cprs {
        let bodies = [
            with_line(&format!(
                r#"{{"description": "c", "net_amount": "{cpr}x"}}"#
            )),
            with_line(&format!(
                r#"{{"description": "c", "net_amount": "1", "vat_category": "{cpr}"}}"#
            )),
            format!(r#"{{"number": "1", "issue_date": "{cpr}", "lines": []}}"#),
            format!(
                r#"{{"number": "1", "issue_date": "2024-01-31", "type": "{cpr}", "lines": []}}"#
            ),
            format!(
                r#"{{"number": "1", "issue_date": "2024-01-31", "supplier": {{"cvr": "{cpr}"}}, "lines": []}}"#
            ),
            format!(
                r#"{{"number": "1", "issue_date": "2024-01-31", "buyer": {{"gln": "{cpr}"}}, "lines": []}}"#
            ),
            format!(r#"{{"number": {cpr}, "issue_date": "2024-01-31", "lines": []}}"#),
            format!(r#"{{"number": "1", "issue_date": "2024-01-31", "{cpr}": 1, "lines": []}}"#),
            format!(
                r#"{{"number": "1", "issue_date": "2024-01-31", "supplier": {{"country": "{cpr}"}}, "lines": []}}"#
            ),
        ];
        for body in bodies {
            let error = from_json(body.as_bytes()).unwrap_err();
            let shown = format!("{error} {:?} {error:?}", error.field());
            assert!(
                !shown.contains("0101901234") && !shown.contains("010190-1234"),
                "{shown}"
            );
            assert!(!shown.contains("1234"), "{shown}");
        }
    }
    // Masked, not dropped: the sender sees where the problem is.
    let error = error_of(&with_line(
        r#"{"description": "c", "net_amount": "010190-1234"}"#,
    ));
    assert_eq!(
        error.to_string(),
        "lines[2].net_amount: expected a decimal amount like \"1250.00\", got \"XXXXXX-XXXX\""
    );
}

#[test]
fn long_values_are_cut_in_messages() {
    let long = "9".repeat(5_000);
    let error = error_of(&with_line(&format!(
        r#"{{"description": "c", "net_amount": "{long}x"}}"#
    )));
    assert!(error.to_string().len() < 200, "{error}");
    assert!(error.to_string().ends_with("…\""), "{error}");
}
