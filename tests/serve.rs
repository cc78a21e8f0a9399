//! End-to-end tests of `kontera serve` over a real socket: it starts on the bundled model,
//! codes an invoice, keeps the decision across a restart, and stops cleanly on SIGTERM.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, ChildStderr, Command, Stdio};

/// A running `kontera serve` on a free port.
struct Server {
    child: Child,
    stderr: BufReader<ChildStderr>,
    addr: String,
}

impl Server {
    fn start(database: &Path) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_kontera"))
            .args(["serve", "--listen", "127.0.0.1:0", "--database"])
            .arg(database)
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .env("KONTERA_AUDIT_RATE", "0")
            .stderr(Stdio::piped())
            .spawn()
            .expect("kontera serve starts");
        let mut stderr = BufReader::new(child.stderr.take().unwrap());
        let mut line = String::new();
        stderr.read_line(&mut line).unwrap();
        let addr = line
            .split("http://")
            .nth(1)
            .and_then(|s| s.split_whitespace().next())
            .unwrap_or_else(|| panic!("no address in {line:?}"))
            .to_owned();
        Server {
            child,
            stderr,
            addr,
        }
    }

    /// Sends one request; returns the status code and the body.
    fn request(&self, method: &str, path: &str, body: &str) -> (u16, String) {
        let mut stream = TcpStream::connect(&self.addr).unwrap();
        write!(
            stream,
            "{method} {path} HTTP/1.1\r\nHost: {}\r\nContent-Type: application/json\r\n\
             Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
            self.addr,
            body.len()
        )
        .unwrap();
        let mut response = String::new();
        stream.read_to_string(&mut response).unwrap();
        let status = response[9..12].parse().unwrap();
        let body = response
            .split_once("\r\n\r\n")
            .map(|(_, b)| b.to_owned())
            .unwrap_or_default();
        (status, body)
    }

    /// SIGTERM, then the exit status must be success and the log must say it stopped.
    fn stop(mut self) {
        let killed = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .unwrap();
        assert!(killed.success());
        let status = self.child.wait().unwrap();
        assert!(
            status.success(),
            "kontera serve exits cleanly on SIGTERM: {status}"
        );
        let mut rest = String::new();
        self.stderr.read_to_string(&mut rest).unwrap();
        assert!(rest.contains("kontera stopped"), "stderr: {rest}");
    }
}

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
    let (status, body) = server.request("GET", "/healthz", "");
    assert_eq!(status, 200, "{body}");
    assert!(body.contains(r#""status":"ok""#), "{body}");
    let (status, body) = server.request("POST", "/v1/invoices", INVOICE);
    assert_eq!(status, 201, "{body}");
    let first: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(first["decision"], "auto", "{first}");
    assert_eq!(first["lines"][0]["source"], "model");
    server.stop();

    // After a restart the stored decision comes back as a repeat, unchanged.
    let server = Server::start(&database);
    let (status, body) = server.request("POST", "/v1/invoices", INVOICE);
    assert_eq!(status, 200, "{body}");
    let again: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(again["repeat"], true);
    assert_eq!(again["decision_id"], first["decision_id"]);
    assert_eq!(again["lines"], first["lines"]);
    let (status, body) = server.request("POST", "/v1/invoices", "{\"number\": 1}");
    assert_eq!(status, 422, "{body}");
    assert!(body.contains(r#""code":"#), "{body}");
    server.stop();
}
