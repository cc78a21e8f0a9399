//! Batches: all or nothing, errors say which invoice.

use kontera_intake::batch_from_json;

fn invoice(number: usize, net: &str) -> String {
    format!(
        r#"{{"number": "{number}", "issue_date": "2024-01-31", "supplier": {{"cvr": "12345674"}},
            "lines": [{{"description": "x", "net_amount": {net}}}]}}"#
    )
}

#[test]
fn reads_every_invoice_in_order() {
    let body = format!(
        r#"{{"invoices": [{}, {}, {}]}}"#,
        invoice(1, "\"10\""),
        invoice(2, "20.5"),
        invoice(3, "-3")
    );
    let received = batch_from_json(body.as_bytes()).unwrap();
    let summary: Vec<(String, String)> = received
        .iter()
        .map(|r| {
            (
                r.invoice.id.to_string(),
                r.invoice.lines[0].net_amount.to_string(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            ("DK12345674/invoice/1".to_owned(), "10".to_owned()),
            ("DK12345674/invoice/2".to_owned(), "20.5".to_owned()),
            ("DK12345674/invoice/3".to_owned(), "-3".to_owned()),
        ]
    );
}

#[test]
fn an_error_at_index_3_names_it() {
    let mut invoices: Vec<String> = (0..5).map(|i| invoice(i, "\"1\"")).collect();
    invoices[3] = r#"{"number": "3", "issue_date": "2024-01-31", "lines": [{"description": "x"}]}"#
        .to_owned();
    let body = format!(r#"{{"invoices": [{}]}}"#, invoices.join(","));
    let error = batch_from_json(body.as_bytes()).unwrap_err();
    assert_eq!(error.field(), Some("invoices[3].lines[0].net_amount"));
    assert_eq!(
        error.to_string(),
        "invoices[3].lines[0].net_amount: is required"
    );

    invoices[3] = invoice(3, "\"12,5x\"");
    let body = format!(r#"{{"invoices": [{}]}}"#, invoices.join(","));
    let error = batch_from_json(body.as_bytes()).unwrap_err();
    assert_eq!(
        error.to_string(),
        "invoices[3].lines[0].net_amount: expected a decimal amount like \"1250.00\", got \"12,5x\""
    );
}

#[test]
fn batch_shape_errors() {
    let error = batch_from_json(br#"{"invoices": []}"#).unwrap_err();
    assert_eq!(
        error.to_string(),
        "invoices: a batch needs at least one invoice"
    );
    let error = batch_from_json(br#"{}"#).unwrap_err();
    assert_eq!(error.to_string(), "invoices: is required");
    let one = invoice(1, "1");
    let error =
        batch_from_json(format!(r#"{{"invoices": [{one}], "extra": 1}}"#).as_bytes()).unwrap_err();
    assert_eq!(error.field(), Some("extra"));
    assert_eq!(error.code(), "unknown_field");
    let many = vec![one.as_str(); kontera_intake::MAX_BATCH + 1].join(",");
    let error = batch_from_json(format!(r#"{{"invoices": [{many}]}}"#).as_bytes()).unwrap_err();
    assert_eq!(
        error.to_string(),
        "invoices: has more than 10000 invoices; split the batch"
    );
    // A single invoice is not a batch.
    assert_eq!(
        batch_from_json(one.as_bytes()).unwrap_err().code(),
        "unknown_field"
    );
}
