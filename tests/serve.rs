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
