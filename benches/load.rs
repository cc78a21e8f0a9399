//! The load benchmark of the running service over loopback: starts `kontera serve` (the release
//! binary, durable storage in a temporary SQLite file) and, in this process, an empty axum
//! handler as the ceiling; sends single-invoice JSON requests at 1, 8, 32 and 128 keep-alive
//! connections to both, each for a fixed time, and reports throughput and p50/p99/p999 latency;
//! then 100,000 invoices through the batch endpoint in batches of 10,000. Stops by itself.
//!
//! Run: `cargo bench --bench load` (`KONTERA_LOAD_ADDR=127.0.0.1:8080` measures a service that
//! is already running instead of starting one, with an integration user's token in
//! `KONTERA_LOAD_TOKEN`). `KONTERA_LOAD_DATABASE=postgres://…` starts the service on that
//! PostgreSQL database instead of an SQLite file, and `KONTERA_LOAD_INSTANCES=3` starts three
//! instances on it, the connections spread over them. `KONTERA_LOAD_SOAK=600` runs the soak instead:
//! a steady 1,000 invoices/s for ten minutes, with the service's memory every 30 s.
//! `KONTERA_LOAD_ONLY=batches` skips the single invoices (e.g. to profile the batch endpoint).
//! Figures in `benches/RESULTS.md`.

#[path = "common/harness.rs"]
mod harness;

use std::cell::Cell;
use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::process::{Child, Command, ExitCode, Stdio};
use std::rc::Rc;
use std::sync::OnceLock;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use axum::Router;
use axum::body::Bytes;
use axum::extract::DefaultBodyLimit;
use axum::http::StatusCode;
use axum::routing::post;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// Connections per level, each sending one request at a time with keep-alive.
const CONCURRENCY: [usize; 4] = [1, 8, 32, 128];
/// Requests in the first second of a level are not counted.
const WARM_UP: Duration = Duration::from_secs(1);
/// How long each level is measured.
const MEASURE: Duration = Duration::from_secs(5);
/// A request that takes longer is an error, and its connection is dropped.
const TIMEOUT: Duration = Duration::from_secs(60);
/// The batch run: this many batches of this many invoices.
const BATCHES: usize = 10;
const BATCH_SIZE: usize = 10_000;

fn main() -> ExitCode {
    harness::bench_main("load", "cargo bench --bench load", run)
}

fn run() -> Result<(), String> {
    let ceiling = EmptyServer::start()?;
    let service = match std::env::var("KONTERA_LOAD_ADDR") {
        Ok(addr) => {
            let token = std::env::var("KONTERA_LOAD_TOKEN")
                .map_err(|_| "set KONTERA_LOAD_TOKEN to an integration user's API token")?;
            let _ = TOKEN.set(token);
            Service::Running(addr.parse().map_err(|e| format!("{addr}: {e}"))?)
        }
        Err(_) => Service::Spawned(Spawned::start_all()?),
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    // Invoice numbers are unique across the run (and across runs against a running service).
    let tag = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let numbers = Rc::new(Numbers {
        tag,
        next: Cell::new(0),
    });
    if let Ok(secs) = std::env::var("KONTERA_LOAD_SOAK") {
        let secs: u64 = secs
            .parse()
            .map_err(|_| format!("KONTERA_LOAD_SOAK={secs:?}: not a number of seconds"))?;
        let pid = match &service {
            Service::Spawned(s) => Some(s.instances[0].child.id()),
            Service::Running(_) => None,
        };
        runtime.block_on(soak(
            service.addrs()[0],
            pid,
            Duration::from_secs(secs),
            numbers,
        ))?;
        drop(runtime);
        ceiling.stop();
        if let Service::Spawned(s) = service {
            s.stop()?;
        }
        return Ok(());
    }
    let label = service.label();
    let targets = [
        ("empty axum handler", vec![ceiling.addr]),
        (label.as_str(), service.addrs()),
    ];

    println!(
        "\n## Single invoices: POST /v1/invoices, JSON, {MEASURE:?} per level after {WARM_UP:?} warm-up\n"
    );
    println!(
        "| Target | Connections | Requests | Requests/s | p50 ms | p99 ms | p99.9 ms | Errors |"
    );
    println!("|---|---|---|---|---|---|---|---|");
    let mut ratios = Vec::new();
    let batches_only = std::env::var("KONTERA_LOAD_ONLY").is_ok_and(|v| v == "batches");
    for concurrency in CONCURRENCY.into_iter().filter(|_| !batches_only) {
        let mut rates = Vec::new();
        for (name, addrs) in &targets {
            let level = runtime.block_on(single_level(addrs, concurrency, numbers.clone()));
            println!("| {name} | {concurrency} | {}", level.row());
            rates.push(level.rate());
        }
        ratios.push((concurrency, rates[1] / rates[0]));
    }
    println!();
    for (concurrency, ratio) in ratios {
        println!(
            "kontera / empty handler at {concurrency} connections: {:.1}%",
            ratio * 100.0
        );
    }

    println!(
        "\n## Batches: {BATCHES} × {BATCH_SIZE} invoices through POST /v1/invoices/batch, one connection\n"
    );
    println!(
        "| Target | Invoices | Wall time s | Invoices/s | Each batch s | auto / review / repeats |"
    );
    println!("|---|---|---|---|---|---|");
    for (name, addrs) in &targets {
        let b = runtime.block_on(batches(addrs[0], &numbers))?;
        println!("| {name} | {} | {}", BATCHES * BATCH_SIZE, b.row());
    }

    drop(runtime);
    ceiling.stop();
    if let Service::Spawned(s) = service {
        s.stop()?;
    }
    Ok(())
}

/// Where the invoice numbers come from.
struct Numbers {
    tag: u64,
    next: Cell<u64>,
}

impl Numbers {
    /// A new invoice, never sent before in this run: a distinct number and amount, the README's
    /// supplier, unit and line.
    fn invoice(&self) -> String {
        let n = self.next.get();
        self.next.set(n + 1);
        let cents = 700_000 + n;
        format!(
            r#"{{"number":"LOAD-{tag}-{n}","issue_date":"2026-01-15","supplier":{{"cvr":"53807186"}},"buyer":{{"gln":"5798000190269"}},"lines":[{{"description":"Beskæring af træer januar 2026","item_id":"739487","net_amount":"{}.{:02}"}}]}}"#,
            cents / 100,
            cents % 100,
            tag = self.tag,
        )
    }
}

/// One level's measurements: completed requests after warm-up and their latencies.
struct Level {
    latencies_us: Vec<u64>,
    errors: u64,
    window: Duration,
}

impl Level {
    fn rate(&self) -> f64 {
        self.latencies_us.len() as f64 / self.window.as_secs_f64()
    }

    fn row(&self) -> String {
        let mut l = self.latencies_us.clone();
        l.sort_unstable();
        let q = |p: f64| -> f64 {
            if l.is_empty() {
                return f64::NAN;
            }
            let i = ((l.len() as f64 * p).ceil() as usize).clamp(1, l.len()) - 1;
            l[i] as f64 / 1000.0
        };
        format!(
            "{} | {:.0} | {:.2} | {:.2} | {:.2} | {} |",
            l.len(),
            self.rate(),
            q(0.50),
            q(0.99),
            q(0.999),
            self.errors
        )
    }
}

/// `concurrency` connections, spread over `addrs` in turn, each sending single invoices back to
/// back until the level ends.
async fn single_level(addrs: &[SocketAddr], concurrency: usize, numbers: Rc<Numbers>) -> Level {
    let start = Instant::now();
    let counted_from = start + WARM_UP;
    let end = counted_from + MEASURE;
    let local = tokio::task::LocalSet::new();
    let tasks: Vec<_> = (0..concurrency)
        .map(|i| {
            let numbers = numbers.clone();
            let addr = addrs[i % addrs.len()];
            local.spawn_local(async move {
                let mut latencies = Vec::new();
                let mut errors = 0u64;
                let mut last = counted_from;
                let Ok(mut conn) = Conn::open(addr).await else {
                    return (latencies, 1, last);
                };
                while Instant::now() < end {
                    let body = numbers.invoice();
                    let sent = Instant::now();
                    let answer = conn.send("/v1/invoices", body.as_bytes()).await;
                    let done = Instant::now();
                    let counted = sent >= counted_from;
                    match answer {
                        Ok((201, _)) if counted => {
                            latencies.push((done - sent).as_micros() as u64);
                            last = last.max(done);
                        }
                        Ok((201, _)) => {}
                        Ok(_) => errors += 1,
                        // The connection is gone.
                        Err(_) => {
                            errors += 1;
                            break;
                        }
                    }
                }
                (latencies, errors, last)
            })
        })
        .collect();
    let mut level = Level {
        latencies_us: Vec::new(),
        errors: 0,
        window: MEASURE,
    };
    let mut last = counted_from;
    local
        .run_until(async {
            for t in tasks {
                if let Ok((latencies, errors, done)) = t.await {
                    level.latencies_us.extend(latencies);
                    level.errors += errors;
                    last = last.max(done);
                }
            }
        })
        .await;
    // Requests started before the end finish after it: the window runs to the last answer.
    level.window = last.saturating_duration_since(counted_from).max(MEASURE);
    level
}

/// The soak's steady rate: requests per second over [`SOAK_CONNECTIONS`] connections.
const SOAK_RATE: u64 = 1_000;
const SOAK_CONNECTIONS: u64 = 8;
/// A row of the soak's table every this often.
const SOAK_REPORT: Duration = Duration::from_secs(30);

/// The service's resident memory in kB (Linux), when it runs as a child of this process.
fn resident_kb(pid: Option<u32>) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{}/status", pid?)).ok()?;
    status
        .lines()
        .find(|l| l.starts_with("VmRSS"))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()
}

/// A steady [`SOAK_RATE`] of single invoices for `length`; every [`SOAK_REPORT`] a row with the
/// requests, errors, p99 and the service's memory; at the end the memory growth after the first
/// minute (the warm-up). Fails if any request failed.
async fn soak(
    addr: SocketAddr,
    pid: Option<u32>,
    length: Duration,
    numbers: Rc<Numbers>,
) -> Result<(), String> {
    println!(
        "\n## Soak: {SOAK_RATE} single invoices/s over {SOAK_CONNECTIONS} connections for {length:?}\n"
    );
    println!("| Minute | Requests | Errors | p99 ms | Service memory (RSS) MB |");
    println!("|---|---|---|---|---|");
    let start = Instant::now();
    let end = start + length;
    let latencies: Rc<std::cell::RefCell<Vec<u64>>> = Rc::default();
    let errors = Rc::new(Cell::new(0u64));
    let local = tokio::task::LocalSet::new();
    for _ in 0..SOAK_CONNECTIONS {
        let (numbers, latencies, errors) = (numbers.clone(), latencies.clone(), errors.clone());
        local.spawn_local(async move {
            let Ok(mut conn) = Conn::open(addr).await else {
                errors.set(errors.get() + 1);
                return;
            };
            let period = Duration::from_secs_f64(SOAK_CONNECTIONS as f64 / SOAK_RATE as f64);
            let mut tick = tokio::time::interval(period);
            tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            while Instant::now() < end {
                tick.tick().await;
                let body = numbers.invoice();
                let sent = Instant::now();
                match conn.send("/v1/invoices", body.as_bytes()).await {
                    Ok((201, _)) => latencies
                        .borrow_mut()
                        .push(sent.elapsed().as_micros() as u64),
                    Ok(_) => errors.set(errors.get() + 1),
                    Err(_) => {
                        errors.set(errors.get() + 1);
                        return;
                    }
                }
            }
        });
    }
    let mut rows: Vec<(f64, Option<u64>)> = Vec::new();
    local
        .run_until(async {
            let mut total = 0usize;
            while Instant::now() < end {
                tokio::time::sleep(SOAK_REPORT.min(end - Instant::now())).await;
                let mut l = std::mem::take(&mut *latencies.borrow_mut());
                l.sort_unstable();
                total += l.len();
                let p99 = l
                    .get((l.len() * 99 / 100).min(l.len().saturating_sub(1)))
                    .map_or(f64::NAN, |&us| us as f64 / 1000.0);
                let rss = resident_kb(pid);
                let minute = start.elapsed().as_secs_f64() / 60.0;
                rows.push((minute, rss));
                println!(
                    "| {minute:.1} | {total} | {} | {p99:.2} | {} |",
                    errors.get(),
                    rss.map_or("—".to_owned(), |kb| format!("{:.1}", kb as f64 / 1024.0))
                );
            }
        })
        .await;
    let after_warm_up = rows.iter().find(|r| r.0 >= 1.0).and_then(|r| r.1);
    let last = rows.last().and_then(|r| r.1);
    if let (Some(a), Some(b)) = (after_warm_up, last) {
        println!(
            "\nmemory after the first minute {:.1} MB, at the end {:.1} MB: growth {:+.1}%",
            a as f64 / 1024.0,
            b as f64 / 1024.0,
            (b as f64 / a as f64 - 1.0) * 100.0
        );
    }
    match errors.get() {
        0 => Ok(()),
        n => Err(format!("{n} requests failed during the soak")),
    }
}

/// The batch run's result.
struct Batches {
    wall: Duration,
    /// Each batch's time, in order.
    each: Vec<Duration>,
    auto: u64,
    review: u64,
    repeats: u64,
}

impl Batches {
    fn row(&self) -> String {
        let each: Vec<String> = self
            .each
            .iter()
            .map(|d| format!("{:.2}", d.as_secs_f64()))
            .collect();
        format!(
            "{:.2} | {:.0} | {} | {} / {} / {} |",
            self.wall.as_secs_f64(),
            (BATCHES * BATCH_SIZE) as f64 / self.wall.as_secs_f64(),
            each.join(", "),
            self.auto,
            self.review,
            self.repeats
        )
    }
}

/// [`BATCHES`] batches of [`BATCH_SIZE`] new invoices, one after another; building a body is
/// not timed.
async fn batches(addr: SocketAddr, numbers: &Numbers) -> Result<Batches, String> {
    let mut conn = Conn::open(addr).await.map_err(|e| format!("{addr}: {e}"))?;
    let mut b = Batches {
        wall: Duration::ZERO,
        each: Vec::new(),
        auto: 0,
        review: 0,
        repeats: 0,
    };
    for _ in 0..BATCHES {
        let mut body = String::with_capacity(BATCH_SIZE * 250);
        body.push_str(r#"{"invoices":["#);
        for i in 0..BATCH_SIZE {
            if i > 0 {
                body.push(',');
            }
            body.push_str(&numbers.invoice());
        }
        body.push_str("]}");
        let sent = Instant::now();
        let (status, answer) = conn
            .send("/v1/invoices/batch", body.as_bytes())
            .await
            .map_err(|e| format!("{addr}: batch: {e}"))?;
        let took = sent.elapsed();
        b.wall += took;
        b.each.push(took);
        if status != 200 {
            let text = String::from_utf8_lossy(&answer[..answer.len().min(300)]).into_owned();
            return Err(format!("{addr}: batch answered {status}: {text}"));
        }
        // The empty handler answers nothing; the service counts its decisions.
        if let Ok(v) = serde_json::from_slice::<serde_json::Value>(&answer) {
            let count = |k: &str| v.get(k).and_then(serde_json::Value::as_u64).unwrap_or(0);
            b.auto += count("auto");
            b.review += count("review");
            b.repeats += count("repeats");
        }
    }
    Ok(b)
}

/// A keep-alive HTTP/1.1 connection: one request at a time, answers read by `Content-Length`.
struct Conn {
    stream: TcpStream,
    head: String,
    buf: Vec<u8>,
}

impl Conn {
    async fn open(addr: SocketAddr) -> std::io::Result<Conn> {
        let stream = TcpStream::connect(addr).await?;
        stream.set_nodelay(true)?;
        Ok(Conn {
            stream,
            head: format!(
                "Host: {addr}\r\nContent-Type: application/json\r\nAuthorization: Bearer {}\r\n",
                TOKEN.get().map_or("", String::as_str)
            ),
            buf: Vec::with_capacity(16 * 1024),
        })
    }

    /// POSTs `body` to `path`; the status and the answer's body.
    async fn send(&mut self, path: &str, body: &[u8]) -> std::io::Result<(u16, Vec<u8>)> {
        tokio::time::timeout(TIMEOUT, self.exchange(path, body))
            .await
            .map_err(|_| std::io::Error::other("timed out"))?
    }

    async fn exchange(&mut self, path: &str, body: &[u8]) -> std::io::Result<(u16, Vec<u8>)> {
        let mut request = format!(
            "POST {path} HTTP/1.1\r\n{}Content-Length: {}\r\n\r\n",
            self.head,
            body.len()
        )
        .into_bytes();
        request.extend_from_slice(body);
        self.stream.write_all(&request).await?;
        let end = loop {
            if let Some(i) = self.buf.windows(4).position(|w| w == b"\r\n\r\n") {
                break i + 4;
            }
            self.fill().await?;
        };
        let head = std::str::from_utf8(&self.buf[..end]).map_err(std::io::Error::other)?;
        let status: u16 = head
            .get(9..12)
            .and_then(|s| s.parse().ok())
            .ok_or_else(|| std::io::Error::other("no status line"))?;
        let length: usize = head
            .lines()
            .find_map(|l| {
                let (name, value) = l.split_once(':')?;
                name.eq_ignore_ascii_case("content-length")
                    .then(|| value.trim().parse().ok())?
            })
            .ok_or_else(|| std::io::Error::other("no Content-Length"))?;
        while self.buf.len() < end + length {
            self.fill().await?;
        }
        let answer = self.buf[end..end + length].to_vec();
        self.buf.drain(..end + length);
        Ok((status, answer))
    }

    async fn fill(&mut self) -> std::io::Result<()> {
        let mut chunk = [0u8; 16 * 1024];
        let n = self.stream.read(&mut chunk).await?;
        if n == 0 {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
        self.buf.extend_from_slice(&chunk[..n]);
        Ok(())
    }
}

/// The ceiling: an axum handler that reads the body and answers `201` with nothing, on its own
/// two-thread runtime (as `kontera serve` has).
struct EmptyServer {
    addr: SocketAddr,
    stop: tokio::sync::oneshot::Sender<()>,
    thread: std::thread::JoinHandle<()>,
}

impl EmptyServer {
    fn start() -> Result<EmptyServer, String> {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .map_err(|e| e.to_string())?;
        let listener = runtime
            .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
            .map_err(|e| e.to_string())?;
        let addr = listener.local_addr().map_err(|e| e.to_string())?;
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let app = Router::new()
            .route("/v1/invoices", post(empty))
            .route("/v1/invoices/batch", post(empty_batch))
            .layer(DefaultBodyLimit::max(64 * 1024 * 1024));
        let thread = std::thread::spawn(move || {
            runtime.block_on(async move {
                let _ = axum::serve(listener, app)
                    .with_graceful_shutdown(async move {
                        let _ = stopped.await;
                    })
                    .await;
            });
        });
        Ok(EmptyServer { addr, stop, thread })
    }

    fn stop(self) {
        let _ = self.stop.send(());
        let _ = self.thread.join();
    }
}

async fn empty(body: Bytes) -> StatusCode {
    std::hint::black_box(body);
    StatusCode::CREATED
}

async fn empty_batch(body: Bytes) -> StatusCode {
    std::hint::black_box(body);
    StatusCode::OK
}

/// The service measured: started here, or already running.
enum Service {
    Spawned(Spawned),
    Running(SocketAddr),
}

impl Service {
    fn addrs(&self) -> Vec<SocketAddr> {
        match self {
            Service::Spawned(s) => s.instances.iter().map(|i| i.addr).collect(),
            Service::Running(addr) => vec![*addr],
        }
    }

    /// The target's name in the tables: the engine, and how many instances.
    fn label(&self) -> String {
        match self {
            Service::Spawned(s) if s.postgres => {
                format!("kontera serve ×{} (PostgreSQL)", s.instances.len())
            }
            Service::Spawned(_) => "kontera serve (SQLite)".to_owned(),
            Service::Running(_) => "kontera serve".to_owned(),
        }
    }
}

/// The integration user's API token every request carries (the empty handler ignores it).
static TOKEN: OnceLock<String> = OnceLock::new();

/// `kontera serve` instances on port 0 with the bundled model: one on a fresh SQLite file in a
/// temporary directory (removed when done), or `$KONTERA_LOAD_INSTANCES` (default 1) on the
/// PostgreSQL database `$KONTERA_LOAD_DATABASE`.
struct Spawned {
    instances: Vec<Instance>,
    postgres: bool,
    _dir: tempfile::TempDir,
}

/// One running `kontera serve`.
struct Instance {
    child: Child,
    addr: SocketAddr,
}

impl Spawned {
    fn start_all() -> Result<Spawned, String> {
        let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
        let (database, postgres) = match std::env::var("KONTERA_LOAD_DATABASE") {
            Ok(url) => (url, true),
            Err(_) => (dir.path().join("kontera.db").display().to_string(), false),
        };
        let count: usize =
            match std::env::var("KONTERA_LOAD_INSTANCES") {
                Ok(n) => n.parse().ok().filter(|n| *n >= 1).ok_or_else(|| {
                    format!("KONTERA_LOAD_INSTANCES={n:?}: not a positive number")
                })?,
                Err(_) => 1,
            };
        if count > 1 && !postgres {
            return Err("several instances share a PostgreSQL database: set \
                 KONTERA_LOAD_DATABASE=postgres://…"
                .to_owned());
        }
        // A user of its own per run, so a PostgreSQL database can be measured again.
        let user = format!(
            "load-{}",
            SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map_or(0, |d| d.as_secs())
        );
        let added = Command::new(env!("CARGO_BIN_EXE_kontera"))
            .args([
                "users",
                "add",
                &user,
                "--role",
                "integration",
                "--no-password",
            ])
            .args(["--token", "load benchmark", "--database", &database])
            .output()
            .map_err(|e| format!("cannot run kontera users add: {e}"))?;
        let stdout = String::from_utf8_lossy(&added.stdout);
        let token = stdout
            .lines()
            .find_map(|l| l.strip_prefix("token: "))
            .ok_or_else(|| {
                let stderr = String::from_utf8_lossy(&added.stderr);
                format!("kontera users add printed no token: {stdout}{stderr}")
            })?;
        let _ = TOKEN.set(token.to_owned());
        let instances = (0..count)
            .map(|_| Instance::start(&database))
            .collect::<Result<_, _>>()?;
        Ok(Spawned {
            instances,
            postgres,
            _dir: dir,
        })
    }

    /// Stops every instance (see [`Instance::stop`]).
    fn stop(self) -> Result<(), String> {
        self.instances.into_iter().try_for_each(Instance::stop)
    }
}

impl Instance {
    fn start(database: &str) -> Result<Instance, String> {
        let started = Instant::now();
        let mut child = Command::new(env!("CARGO_BIN_EXE_kontera"))
            .args(["serve", "--listen", "127.0.0.1:0", "--database", database])
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| format!("cannot start kontera serve: {e}"))?;
        let mut stderr = BufReader::new(child.stderr.take().expect("stderr is piped"));
        let mut line = String::new();
        stderr.read_line(&mut line).map_err(|e| e.to_string())?;
        let took = started.elapsed();
        let addr = line
            .split("http://")
            .nth(1)
            .and_then(|s| s.split_whitespace().next())
            .and_then(|s| s.parse().ok())
            .ok_or_else(|| format!("kontera serve did not say where it listens: {line:?}"))?;
        println!(
            "kontera serve: listening after {:.0} ms: {}",
            took.as_secs_f64() * 1000.0,
            line.trim()
        );
        // Keep reading its log so it never blocks on a full pipe.
        std::thread::spawn(move || {
            for line in stderr.lines().map_while(Result::ok) {
                if !line.contains("listening") {
                    eprintln!("kontera serve: {line}");
                }
            }
        });
        Ok(Instance { child, addr })
    }

    /// Reports its memory, then SIGTERM and waits for a clean exit.
    fn stop(mut self) -> Result<(), String> {
        let pid = self.child.id();
        if let Ok(status) = std::fs::read_to_string(format!("/proc/{pid}/status")) {
            let memory: Vec<&str> = status
                .lines()
                .filter(|l| l.starts_with("VmRSS") || l.starts_with("VmHWM"))
                .collect();
            println!(
                "\nkontera serve memory at the end: {}",
                memory.join(", ").replace('\t', " ")
            );
        }
        Command::new("kill")
            .args(["-TERM", &pid.to_string()])
            .status()
            .map_err(|e| e.to_string())?;
        let status = self.child.wait().map_err(|e| e.to_string())?;
        if status.success() {
            Ok(())
        } else {
            Err(format!("kontera serve exited with {status}"))
        }
    }
}
