//! End-to-end tests of `kontera serve` over a real socket: it starts on the bundled model,
//! codes an invoice, keeps the decision across a restart, and stops cleanly on SIGTERM.

mod common;

use common::{Server, request};

const INVOICE: &str = r#"{
    "number": "E2E-1",
    "issue_date": "2026-01-15",
    "supplier": {"cvr": "53807186"},
    "buyer": {"gln": "5798000190269"},
    "lines": [{"description": "Beskæring af træer varenr. 739487 januar 2026",
               "item_id": "739487", "net_amount": "7207.91"}]
}"#;

#[test]
fn serve_codes_an_invoice_keeps_it_across_a_restart_and_stops_on_sigterm() {
    let dir = tempfile::tempdir().unwrap();
    let database = dir.path().join("kontera.db");

    let server = Server::start(&database);
    let (status, body) = request(&server.addr, "GET", "/healthz", "").unwrap();
    assert_eq!(status, 200, "{body}");
    assert!(body.contains(r#""status":"ok""#), "{body}");
    let (status, body) = request(&server.addr, "POST", "/v1/invoices", INVOICE).unwrap();
    assert_eq!(status, 201, "{body}");
    let first: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(first["decision"], "auto", "{first}");
    assert_eq!(first["lines"][0]["source"], "model");
    server.stop();

    // After a restart the stored decision comes back as a repeat, unchanged.
    let server = Server::start(&database);
    let (status, body) = request(&server.addr, "POST", "/v1/invoices", INVOICE).unwrap();
    assert_eq!(status, 200, "{body}");
    let again: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(again["repeat"], true);
    assert_eq!(again["decision_id"], first["decision_id"]);
    assert_eq!(again["lines"], first["lines"]);
    let (status, body) = request(&server.addr, "POST", "/v1/invoices", "{\"number\": 1}").unwrap();
    assert_eq!(status, 422, "{body}");
    assert!(body.contains(r#""code":"#), "{body}");
    server.stop();
}

/// Personal data sent in an invoice reaches neither the log nor an error body: a CPR number in a
/// line text and in a malformed field. (`Server::stop` scans the whole log.)
#[test]
fn cpr_numbers_in_invoices_reach_no_log_and_no_error_body() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(&dir.path().join("kontera.db"));
    let with_cpr = INVOICE
        .replace("E2E-1", "E2E-CPR")
        .replace("januar 2026", "januar 2026 vedr. 010190-1234");
    let (status, body) = request(&server.addr, "POST", "/v1/invoices", &with_cpr).unwrap();
    assert_eq!(status, 201, "{body}");
    assert!(body.contains("cpr_in_text"), "{body}");
    assert!(!body.contains("010190-1234"), "{body}");
    let bad = INVOICE.replace(
        r#""issue_date": "2026-01-15""#,
        r#""issue_date": "0101901234""#,
    );
    let (status, body) = request(&server.addr, "POST", "/v1/invoices", &bad).unwrap();
    assert_eq!(status, 422, "{body}");
    assert!(!kontera_core::cpr::contains(&body), "{body}");
    let bad = INVOICE.replace(r#""number": "E2E-1""#, r#""number": 1, "x": "010190-1234""#);
    let (status, body) = request(&server.addr, "POST", "/v1/invoices", &bad).unwrap();
    assert!((400..500).contains(&status), "{body}");
    assert!(!kontera_core::cpr::contains(&body), "{body}");
    let log = server.stop();
    assert!(log.contains("kontera stopped"));
}
