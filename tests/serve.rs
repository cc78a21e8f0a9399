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
/// line text and in a malformed field. (`Server::stop` scans the whole log.) The log is at its
/// most verbose, a JSON record for every answer.
#[test]
fn cpr_numbers_in_invoices_reach_no_log_and_no_error_body() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start_with_env(
        &dir.path().join("kontera.db"),
        &[("KONTERA_LOG", "trace"), ("KONTERA_LOG_FORMAT", "json")],
    );
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
    let records: Vec<serde_json::Value> = log
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect();
    let answers: Vec<u64> = records
        .iter()
        .filter(|r| r["route"] == "/v1/invoices")
        .map(|r| r["status"].as_u64().unwrap())
        .collect();
    assert_eq!(answers.len(), 3, "{log}");
    assert_eq!(answers[0], 201, "{log}");
}

/// A logging variable with a wrong value stops the command before it starts, naming the
/// variable and the values it takes.
#[test]
fn a_wrong_log_level_stops_kontera_with_the_choices() {
    let dir = tempfile::tempdir().unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_kontera"))
        .args(["models", "list"])
        .current_dir(dir.path())
        .env("KONTERA_LOG", "loud")
        .output()
        .unwrap();
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        stderr.trim(),
        "error: KONTERA_LOG=\"loud\" is not a level: use error, warn, info, debug or trace"
    );
    // Stopped before the command touched anything.
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
}

/// A client that sends half a body and stalls is answered `503 timeout` once the request's time
/// limit has passed, and nothing is stored; the service goes on answering others meanwhile.
#[test]
fn a_stalled_request_times_out_and_stores_nothing() {
    use std::io::{Read, Write};
    use std::time::{Duration, Instant};
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("kontera.toml");
    std::fs::write(&config, "[limits]\nrequest_ms = 400\n").unwrap();
    let server = Server::start_with_env(
        &dir.path().join("kontera.db"),
        &[("KONTERA_CONFIG", config.to_str().unwrap())],
    );
    let mut stalled = std::net::TcpStream::connect(&server.addr).unwrap();
    let half = &INVOICE[..INVOICE.len() / 2];
    write!(
        stalled,
        "POST /v1/invoices HTTP/1.1\r\nHost: {}\r\nContent-Type: application/json\r\n\
         Authorization: Bearer {}\r\nContent-Length: {}\r\n\r\n{half}",
        server.addr,
        common::TOKEN,
        INVOICE.len()
    )
    .unwrap();
    let started = Instant::now();
    // Meanwhile another client is served at once.
    let (status, body) = request(&server.addr, "GET", "/healthz", "").unwrap();
    assert_eq!(status, 200, "{body}");
    stalled
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let mut answer = vec![0u8; 4096];
    let n = stalled.read(&mut answer).unwrap();
    let answer = String::from_utf8_lossy(&answer[..n]);
    let waited = started.elapsed();
    assert!(answer.starts_with("HTTP/1.1 503"), "{answer}");
    assert!(answer.contains(r#""code":"timeout""#), "{answer}");
    assert!(
        waited >= Duration::from_millis(300) && waited < Duration::from_secs(5),
        "answered after {waited:?}"
    );
    // The invoice was never stored: sending it whole now creates it.
    let (status, body) = request(&server.addr, "POST", "/v1/invoices", INVOICE).unwrap();
    assert_eq!(status, 201, "{body}");
    server.stop();
}
