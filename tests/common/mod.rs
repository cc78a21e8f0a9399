//! Shared by the end-to-end tests: the real `kontera serve` on a loopback port, and a tiny
//! HTTP/1.1 client that tells a complete answer from a cut one.

#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

/// A running `kontera serve`, its log collected by a thread.
#[derive(Debug)]
pub struct Server {
    child: Child,
    pub addr: String,
    log: Arc<Mutex<String>>,
    drain: thread::JoinHandle<()>,
}

impl Server {
    /// Starts `kontera serve` on a free loopback port with `database`, audit off.
    pub fn start(database: &Path) -> Server {
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
        let log = Arc::new(Mutex::new(String::new()));
        let sink = log.clone();
        let drain = thread::spawn(move || {
            let mut rest = String::new();
            let _ = stderr.read_to_string(&mut rest);
            sink.lock().unwrap().push_str(&rest);
        });
        Server {
            child,
            addr,
            log,
            drain,
        }
    }

    /// SIGKILL: no chance to finish anything. Returns what the process logged.
    pub fn kill(mut self) -> String {
        let pid = self.child.id().to_string();
        let status = Command::new("kill").args(["-KILL", &pid]).status().unwrap();
        assert!(status.success(), "kill -KILL {pid}");
        self.child.wait().unwrap();
        self.drain.join().unwrap();
        self.log.lock().unwrap().clone()
    }

    /// SIGTERM, then a clean exit.
    pub fn stop(mut self) -> String {
        let pid = self.child.id().to_string();
        let status = Command::new("kill").args(["-TERM", &pid]).status().unwrap();
        assert!(status.success(), "kill -TERM {pid}");
        let exit = self.child.wait().unwrap();
        self.drain.join().unwrap();
        let log = self.log.lock().unwrap().clone();
        assert!(
            exit.success(),
            "kontera serve exits cleanly on SIGTERM: {exit}: {log}"
        );
        assert!(log.contains("kontera stopped"), "stderr: {log}");
        log
    }
}

/// One HTTP/1.1 request with `Connection: close`; the status and the body, or an error when no
/// complete answer came (connection refused or reset, timeout, a body cut short).
pub fn request(addr: &str, method: &str, path: &str, body: &str) -> std::io::Result<(u16, String)> {
    let incomplete = |what: &str| std::io::Error::new(std::io::ErrorKind::UnexpectedEof, what);
    let socket: SocketAddr = addr.parse().unwrap();
    let mut stream = TcpStream::connect_timeout(&socket, Duration::from_secs(2))?;
    stream.set_read_timeout(Some(Duration::from_secs(20)))?;
    stream.set_write_timeout(Some(Duration::from_secs(20)))?;
    write!(
        stream,
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )?;
    let mut response = Vec::new();
    stream.read_to_end(&mut response)?;
    let text = String::from_utf8_lossy(&response);
    let (head, body) = text
        .split_once("\r\n\r\n")
        .ok_or_else(|| incomplete("no complete head"))?;
    let status = head
        .get(9..12)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| incomplete("no status line"))?;
    let length = head
        .lines()
        .find_map(|l| {
            let (name, value) = l.split_once(':')?;
            name.eq_ignore_ascii_case("content-length")
                .then(|| value.trim().parse::<usize>().ok())?
        })
        .ok_or_else(|| incomplete("no content length"))?;
    if body.len() != length {
        return Err(incomplete("body cut short"));
    }
    Ok((status, body.to_owned()))
}

/// A JSON invoice like the README's, with its own number and amount.
pub fn invoice(number: &str, serial: u64) -> String {
    let cents = 100_000 + serial * 7;
    format!(
        r#"{{"number": "{number}", "issue_date": "2026-01-15",
            "supplier": {{"cvr": "53807186"}}, "buyer": {{"gln": "5798000190269"}},
            "lines": [{{"description": "Beskæring af træer januar 2026", "item_id": "739487",
                        "net_amount": "{}.{:02}"}}]}}"#,
        cents / 100,
        cents % 100
    )
}
