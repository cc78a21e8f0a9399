//! Shared by the end-to-end tests: the real `kontera serve` on a loopback port, and a tiny
//! HTTP/1.1 client that tells a complete answer from a cut one.

#![allow(dead_code)]

/// Headless Chromium over WebDriver, for page tests.
pub mod browser;

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
    /// When each line after the first arrived, in order.
    arrivals: Arc<Mutex<Vec<(std::time::Instant, String)>>>,
    drain: Option<thread::JoinHandle<()>>,
}

/// The API token of the user `erp` (role integration) every test database has; [`request`]
/// sends it.
pub const TOKEN: &str = "kt_0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

/// Gives `database` the integration user `erp` with [`TOKEN`] (once; later calls find it).
pub fn provision(database: &Path) {
    // On a thread of its own: the caller may be inside an async runtime (browser tests).
    let database = database.to_owned();
    thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        runtime.block_on(async {
            let store = kontera_store::Store::open(database.to_str().unwrap())
                .await
                .unwrap();
            if store.user("erp").await.unwrap().is_none() {
                store
                    .add_user("erp", kontera_store::Role::Integration, None, &[], 1)
                    .await
                    .unwrap();
                let digest = kontera_serve::auth::secret::digest(TOKEN);
                store.add_token(&digest, "erp", "tests", 1).await.unwrap();
            }
            store.close().await;
        });
    })
    .join()
    .expect("the test database is provisioned");
}

impl Server {
    /// Starts `kontera serve` on a free loopback port with `database` (provisioned with the
    /// test user), audit off and every area open from the first invoice.
    pub fn start(database: &Path) -> Server {
        provision(database);
        Server::start_bare(database)
    }

    /// Starts `kontera serve` on `database` as it is (a fresh one gets its first administrator).
    pub fn start_bare(database: &Path) -> Server {
        Server::launch(database, &[])
    }

    /// Like [`Server::start`], with environment variables set for the process (they override
    /// the defaults, e.g. `("KONTERA_AUDIT_RATE", "1")` makes every would-be-automatic invoice
    /// an audit sample).
    pub fn start_with_env(database: &Path, env: &[(&str, &str)]) -> Server {
        provision(database);
        Server::launch(database, env)
    }

    fn launch(database: &Path, env: &[(&str, &str)]) -> Server {
        Server::launch_in(database, Path::new(env!("CARGO_MANIFEST_DIR")), env)
    }

    /// Starts `kontera serve` on `database` as it is, in the working directory `dir` (where a
    /// PostgreSQL database's first administrator's password goes); the models are the
    /// repository's unless `env` names others.
    pub fn launch_in(database: &Path, dir: &Path, env: &[(&str, &str)]) -> Server {
        let models = Path::new(env!("CARGO_MANIFEST_DIR")).join("models");
        let mut child = Command::new(env!("CARGO_BIN_EXE_kontera"))
            .args(["serve", "--listen", "127.0.0.1:0", "--database"])
            .arg(database)
            .current_dir(dir)
            .env("KONTERA_MODELS_DIR", models)
            .env("KONTERA_AUDIT_RATE", "0")
            .env("KONTERA_YEAR_OPENING_REVIEWS", "0")
            .envs(env.iter().copied())
            .stderr(Stdio::piped())
            .spawn()
            .expect("kontera serve starts");
        let mut stderr = BufReader::new(child.stderr.take().unwrap());
        // The log up to the line that says where the service listens (a warning may come first).
        let mut before = String::new();
        let addr = loop {
            let mut line = String::new();
            let read = stderr.read_line(&mut line).unwrap();
            assert!(read > 0, "kontera serve ended without listening: {before}");
            before.push_str(&line);
            if let Some((_, rest)) = line.split_once("listening on http://") {
                break rest.split_whitespace().next().unwrap().to_owned();
            }
        };
        let log = Arc::new(Mutex::new(before));
        let arrivals: Arc<Mutex<Vec<_>>> = Arc::default();
        let (sink, timed) = (log.clone(), arrivals.clone());
        let drain = thread::spawn(move || {
            let mut line = String::new();
            while matches!(stderr.read_line(&mut line), Ok(n) if n > 0) {
                sink.lock().unwrap().push_str(&line);
                timed
                    .lock()
                    .unwrap()
                    .push((std::time::Instant::now(), line.clone()));
                line.clear();
            }
        });
        Server {
            child,
            addr,
            log,
            arrivals,
            drain: Some(drain),
        }
    }

    /// When the process first logged a line containing `needle`, if it has.
    pub fn logged_at(&self, needle: &str) -> Option<std::time::Instant> {
        let arrivals = self.arrivals.lock().unwrap();
        arrivals
            .iter()
            .find(|(_, line)| line.contains(needle))
            .map(|(at, _)| *at)
    }

    /// What the process has logged so far (after its first line).
    pub fn log(&self) -> String {
        self.log.lock().unwrap().clone()
    }

    /// Fails the test when the log holds a secret or personal data: a CPR-looking number, an API
    /// token (`kt_` and 64 hex digits), or a password line. Run on every log [`Server::stop`]
    /// and [`Server::kill`] return, so every end-to-end test scans what its server logged.
    pub fn assert_clean_log(log: &str) {
        for (n, line) in log.lines().enumerate() {
            assert!(
                !kontera_core::cpr::contains(line),
                "log line {n} holds a CPR-looking number: {}",
                kontera_core::cpr::mask(line)
            );
            let token = line.match_indices("kt_").any(|(i, _)| {
                let rest = &line.as_bytes()[i + 3..];
                rest.len() >= 64 && rest[..64].iter().all(u8::is_ascii_hexdigit)
            });
            assert!(!token, "log line {n} holds an API token");
            assert!(
                !line.to_ascii_lowercase().contains("password:"),
                "log line {n} holds a password"
            );
        }
    }

    /// SIGKILL: no chance to finish anything. Returns what the process logged.
    pub fn kill(mut self) -> String {
        let pid = self.child.id().to_string();
        let status = Command::new("kill").args(["-KILL", &pid]).status().unwrap();
        assert!(status.success(), "kill -KILL {pid}");
        self.child.wait().unwrap();
        if let Some(drain) = self.drain.take() {
            drain.join().unwrap();
        }
        let log = self.log.lock().unwrap().clone();
        Server::assert_clean_log(&log);
        log
    }

    /// SIGTERM, then a clean exit.
    pub fn stop(mut self) -> String {
        let pid = self.child.id().to_string();
        let status = Command::new("kill").args(["-TERM", &pid]).status().unwrap();
        assert!(status.success(), "kill -TERM {pid}");
        let exit = self.child.wait().unwrap();
        if let Some(drain) = self.drain.take() {
            drain.join().unwrap();
        }
        let log = self.log.lock().unwrap().clone();
        Server::assert_clean_log(&log);
        assert!(
            exit.success(),
            "kontera serve exits cleanly on SIGTERM: {exit}: {log}"
        );
        assert!(log.contains("kontera stopped"), "stderr: {log}");
        log
    }
}

/// A server still running when its test ends (a failed assertion) is killed, so it cannot
/// outlive the test and hold cargo's output open.
impl Drop for Server {
    fn drop(&mut self) {
        if matches!(self.child.try_wait(), Ok(None)) {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// One HTTP/1.1 request with `Connection: close` and the integration user's [`TOKEN`]; the status
/// and the body, or an error when no complete answer came (connection refused or reset, timeout,
/// a body cut short).
pub fn request(addr: &str, method: &str, path: &str, body: &str) -> std::io::Result<(u16, String)> {
    request_with(addr, TOKEN, method, path, body)
}

/// [`request`] with another API token.
pub fn request_with(
    addr: &str,
    token: &str,
    method: &str,
    path: &str,
    body: &str,
) -> std::io::Result<(u16, String)> {
    let incomplete = |what: &str| std::io::Error::new(std::io::ErrorKind::UnexpectedEof, what);
    let socket: SocketAddr = addr.parse().unwrap();
    let mut stream = TcpStream::connect_timeout(&socket, Duration::from_secs(2))?;
    stream.set_read_timeout(Some(Duration::from_secs(20)))?;
    stream.set_write_timeout(Some(Duration::from_secs(20)))?;
    write!(
        stream,
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\n\
         Authorization: Bearer {token}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
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

/// A models directory `dir/models` holding a copy of the bundled model under each of
/// `versions`; returns it.
pub fn model_versions(dir: &Path, versions: &[&str]) -> std::path::PathBuf {
    let bundled = Path::new(env!("CARGO_MANIFEST_DIR")).join("models/default/model.bin");
    let models = dir.join("models");
    for v in versions {
        std::fs::create_dir_all(models.join(v)).unwrap();
        std::fs::copy(&bundled, models.join(v).join("model.bin")).unwrap();
    }
    models
}

/// A form POST with this site's `Origin` (as a browser sends it), answered in full as text.
pub fn post_form(addr: &str, path: &str, body: &str) -> String {
    let mut stream = TcpStream::connect(addr).unwrap();
    write!(
        stream,
        "POST {path} HTTP/1.1\r\nHost: {addr}\r\nOrigin: http://{addr}\r\n\
         Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\
         Connection: close\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    answer
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
