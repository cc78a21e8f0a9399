//! A real headless Chromium for page tests, driven over WebDriver (fantoccini) by a
//! `chromedriver` that this harness starts on a free loopback port and kills when dropped.
//!
//! Needs Debian's `chromium` and `chromium-driver`; when either is missing, the first browser test
//! installs both with `apt-get` (as root, or through password-less `sudo`), so the README's test
//! command sets up a fresh Debian machine by itself (`.ci/run` installs them up front too). Screenshots are
//! test artifacts, written to `<CARGO_TARGET_DIR or target>/kontera-screenshots/<name>.png`.

use std::fs::File;
use std::io::{ErrorKind, Read, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::elements::Element;
use fantoccini::wd::Capabilities;
use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;

/// The browser binary chromedriver is told to start (Debian's `chromium` package).
pub const CHROMIUM: &str = "/usr/bin/chromium";

/// How long `find` and the helpers built on it wait for an element to appear.
pub const FIND_TIMEOUT: Duration = Duration::from_secs(10);

const INSTALL_HINT: &str = "install Debian's chromium and chromium-driver: \
    `apt-get install -y chromium chromium-driver` (.ci/run does this when chromedriver is missing)";

/// Installs `chromium` and `chromium-driver` with apt-get when either is missing (once per test
/// binary; apt's lock is waited for, so several test binaries may try at once).
fn ensure_installed() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let driver = Command::new("chromedriver")
            .arg("--version")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        if driver && Path::new(CHROMIUM).exists() {
            return;
        }
        let root = Command::new("id")
            .arg("-u")
            .output()
            .is_ok_and(|o| o.stdout.trim_ascii() == b"0");
        let apt = |args: &[&str]| {
            let mut command = if root {
                Command::new("apt-get")
            } else {
                let mut c = Command::new("sudo");
                c.args(["-n", "apt-get"]);
                c
            };
            command
                .args(["-o", "DPkg::Lock::Timeout=300", "-qq"])
                .args(args)
                .env("DEBIAN_FRONTEND", "noninteractive")
                .stdout(Stdio::null())
                .status()
                .is_ok_and(|s| s.success())
        };
        eprintln!("browser tests: installing chromium and chromium-driver with apt-get");
        let installed = apt(&["update"]) && apt(&["install", "-y", "chromium", "chromium-driver"]);
        assert!(installed, "could not install them ({INSTALL_HINT})");
    });
}

/// A headless Chromium session and the `chromedriver` serving it.
///
/// Prefer [`Browser::close`] at the end of a test; dropping the value (as a panicking test does)
/// ends the session and kills chromedriver and the browser it started.
#[derive(Debug)]
pub struct Browser {
    client: Option<Client>,
    session: Option<String>,
    driver: Child,
    port: u16,
    /// Holds chromedriver's log, shown when something fails.
    logs: tempfile::TempDir,
}

impl Browser {
    /// Starts `chromedriver --port=<free port>`, waits until it answers and opens a headless
    /// Chromium session (1280×900). Panics, saying what to install, when either is missing.
    pub async fn start() -> Browser {
        ensure_installed();
        assert!(
            Path::new(CHROMIUM).exists(),
            "no browser at {CHROMIUM}: {INSTALL_HINT}"
        );
        let logs = tempfile::tempdir().expect("a temporary folder for chromedriver's log");
        // The free port is found by binding and releasing it, so another process can take it
        // in between: chromedriver then exits at once, and a new port is tried.
        let mut attempt = 0;
        let (driver, port) = loop {
            attempt += 1;
            let port = free_port();
            let mut driver = spawn_driver(port, &logs.path().join("chromedriver.log"));
            match wait_until_ready(&mut driver, port, &logs) {
                Ok(()) => break (driver, port),
                Err(why) if attempt < 3 => {
                    eprintln!("chromedriver on port {port}: {why}; trying another port");
                    kill_group(&mut driver);
                }
                Err(why) => {
                    kill_group(&mut driver);
                    panic!("chromedriver did not start: {why}");
                }
            }
        };
        let mut browser = Browser {
            client: None,
            session: None,
            driver,
            port,
            logs,
        };
        let client = ClientBuilder::new(HttpConnector::new())
            .capabilities(capabilities())
            .connect(&format!("http://127.0.0.1:{port}"))
            .await
            .unwrap_or_else(|e| {
                panic!(
                    "no headless Chromium session ({e}); {INSTALL_HINT}\nchromedriver log:\n{}",
                    browser.driver_log()
                )
            });
        browser.session = client
            .session_id()
            .await
            .unwrap_or_else(|e| panic!("reading the WebDriver session id: {e}"));
        browser.client = Some(client);
        browser
    }

    /// The fantoccini client, for anything the helpers do not cover.
    pub fn client(&self) -> &Client {
        self.client.as_ref().expect("the browser session is open")
    }

    /// The port chromedriver listens on (loopback).
    pub fn driver_port(&self) -> u16 {
        self.port
    }

    /// Opens `url` and waits for the page to load.
    pub async fn goto(&self, url: &str) {
        self.client()
            .goto(url)
            .await
            .unwrap_or_else(|e| panic!("opening {url}: {e}"));
    }

    /// The URL the browser shows now.
    pub async fn current_url(&self) -> String {
        self.client()
            .current_url()
            .await
            .unwrap_or_else(|e| panic!("reading the current URL: {e}"))
            .to_string()
    }

    /// The first element matching the CSS selector `css`, waiting up to [`FIND_TIMEOUT`] for it.
    pub async fn find(&self, css: &str) -> Element {
        match self
            .client()
            .wait()
            .at_most(FIND_TIMEOUT)
            .for_element(Locator::Css(css))
            .await
        {
            Ok(element) => element,
            Err(e) => {
                let url = self.current_url().await;
                panic!("no element {css:?} on {url} within {FIND_TIMEOUT:?}: {e}")
            }
        }
    }

    /// Every element matching `css` now (no waiting; possibly none).
    pub async fn find_all(&self, css: &str) -> Vec<Element> {
        self.client()
            .find_all(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("finding {css:?}: {e}"))
    }

    /// Clears the input matching `css` and types `text` into it.
    pub async fn fill(&self, css: &str, text: &str) {
        let input = self.find(css).await;
        input
            .clear()
            .await
            .unwrap_or_else(|e| panic!("clearing {css:?}: {e}"));
        input
            .send_keys(text)
            .await
            .unwrap_or_else(|e| panic!("typing into {css:?}: {e}"));
    }

    /// Clicks the element matching `css`.
    pub async fn click(&self, css: &str) {
        self.find(css)
            .await
            .click()
            .await
            .unwrap_or_else(|e| panic!("clicking {css:?}: {e}"));
    }

    /// The rendered (visible) text of the element matching `css`.
    pub async fn text(&self, css: &str) -> String {
        self.find(css)
            .await
            .text()
            .await
            .unwrap_or_else(|e| panic!("reading the text of {css:?}: {e}"))
    }

    /// The page's HTML as the browser has it now.
    pub async fn source(&self) -> String {
        self.client()
            .source()
            .await
            .unwrap_or_else(|e| panic!("reading the page source: {e}"))
    }

    /// Saves a PNG of the window to `<CARGO_TARGET_DIR or target>/kontera-screenshots/<name>.png`
    /// and returns its path.
    pub async fn screenshot(&self, name: &str) -> PathBuf {
        let png = self
            .client()
            .screenshot()
            .await
            .unwrap_or_else(|e| panic!("taking screenshot {name:?}: {e}"));
        let dir = screenshot_dir();
        std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("creating {}: {e}", dir.display()));
        let path = dir.join(format!("{name}.png"));
        std::fs::write(&path, png).unwrap_or_else(|e| panic!("writing {}: {e}", path.display()));
        path
    }

    /// Like [`Browser::screenshot`], of the whole page rather than the window: the window is
    /// made as tall as the page (at most 4000 px) for the picture, then given its size back.
    pub async fn screenshot_page(&self, name: &str) -> PathBuf {
        let client = self.client();
        let (width, height) = client
            .get_window_size()
            .await
            .unwrap_or_else(|e| panic!("reading the window size: {e}"));
        let sizes = client
            .execute(
                "return [document.documentElement.scrollHeight, window.innerHeight];",
                vec![],
            )
            .await
            .unwrap_or_else(|e| panic!("measuring the page: {e}"));
        let measure = |i: usize| sizes[i].as_u64().unwrap_or(height);
        // The window is taller than its viewport by the browser's own frame.
        let frame = height.saturating_sub(measure(1));
        let tall = (measure(0) + frame).clamp(height, 4000);
        let set = |h: u64| client.set_window_size(width as u32, h as u32);
        set(tall)
            .await
            .unwrap_or_else(|e| panic!("resizing the window for {name:?}: {e}"));
        let path = self.screenshot(name).await;
        set(height)
            .await
            .unwrap_or_else(|e| panic!("restoring the window size: {e}"));
        path
    }

    /// Ends the WebDriver session (Chromium quits), then stops chromedriver.
    pub async fn close(mut self) {
        if let Some(client) = self.client.take() {
            client
                .close()
                .await
                .unwrap_or_else(|e| panic!("closing the browser session: {e}"));
            self.session = None;
        }
        // Drop kills chromedriver.
    }

    fn driver_log(&self) -> String {
        std::fs::read_to_string(self.logs.path().join("chromedriver.log")).unwrap_or_default()
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        // A test that panicked never reached `close`: end the session over plain HTTP (no
        // runtime is needed, and it may be shutting down), so Chromium quits and its profile
        // folder is removed. Then kill chromedriver's process group, which holds Chromium too.
        if let Some(session) = self.session.take() {
            let _ = http(self.port, "DELETE", &format!("/session/{session}"));
        }
        kill_group(&mut self.driver);
    }
}

/// Where screenshots go: `<CARGO_TARGET_DIR or target>/kontera-screenshots`.
pub fn screenshot_dir() -> PathBuf {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(|dir| manifest.join(dir))
        .unwrap_or_else(|| manifest.join("target"));
    target.join("kontera-screenshots")
}

/// WebDriver capabilities for headless Chromium.
fn capabilities() -> Capabilities {
    let options = serde_json::json!({
        "binary": CHROMIUM,
        "args": [
            "--headless=new",
            "--no-sandbox",
            "--disable-dev-shm-usage",
            "--window-size=1280,900",
            "--disable-gpu",
            "--no-first-run",
            "--no-default-browser-check",
        ],
    });
    let mut caps = Capabilities::new();
    caps.insert("browserName".into(), "chrome".into());
    caps.insert("goog:chromeOptions".into(), options);
    caps
}

fn free_port() -> u16 {
    TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .and_then(|l| l.local_addr())
        .expect("a free loopback port")
        .port()
}

fn spawn_driver(port: u16, log: &Path) -> Child {
    let out = File::create(log).expect("chromedriver's log file");
    let err = out.try_clone().expect("chromedriver's log file");
    Command::new("chromedriver")
        .arg(format!("--port={port}"))
        .stdin(Stdio::null())
        .stdout(out)
        .stderr(err)
        // Its own process group, so that Drop kills Chromium with it.
        .process_group(0)
        .spawn()
        .unwrap_or_else(|e| match e.kind() {
            ErrorKind::NotFound => panic!("chromedriver is not on PATH: {INSTALL_HINT}"),
            _ => panic!("starting chromedriver: {e}; {INSTALL_HINT}"),
        })
}

/// Polls chromedriver's `/status` until it reports ready (up to 20 s).
fn wait_until_ready(driver: &mut Child, port: u16, logs: &tempfile::TempDir) -> Result<(), String> {
    let log = || std::fs::read_to_string(logs.path().join("chromedriver.log")).unwrap_or_default();
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        if let Some(status) = driver.try_wait().map_err(|e| e.to_string())? {
            return Err(format!("it exited ({status}); log:\n{}", log()));
        }
        if let Ok((200, body)) = http(port, "GET", "/status")
            && body.replace(' ', "").contains(r#""ready":true"#)
        {
            return Ok(());
        }
        if Instant::now() > deadline {
            return Err(format!("no answer on /status within 20 s; log:\n{}", log()));
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// One blocking HTTP/1.1 request to chromedriver: the status and the body. The answer is read
/// up to its `Content-Length`: chromedriver says `Connection: close` but keeps the socket open.
fn http(port: u16, method: &str, path: &str) -> std::io::Result<(u16, String)> {
    let invalid = |what: &str| std::io::Error::new(ErrorKind::InvalidData, what.to_owned());
    let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
    let mut stream = TcpStream::connect_timeout(&addr, Duration::from_secs(1))?;
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    write!(
        stream,
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Length: 0\r\n\
         Connection: close\r\n\r\n"
    )?;
    let mut response = Vec::new();
    let mut chunk = [0; 4096];
    loop {
        let n = stream.read(&mut chunk)?;
        if n == 0 {
            return Err(invalid("the answer was cut short"));
        }
        response.extend_from_slice(&chunk[..n]);
        let Some(end) = response.windows(4).position(|w| w == b"\r\n\r\n") else {
            continue;
        };
        let head = String::from_utf8_lossy(&response[..end]);
        let body = &response[end + 4..];
        let status = head
            .get(9..12)
            .and_then(|s| s.parse().ok())
            .ok_or_else(|| invalid("no status line"))?;
        let length = head
            .lines()
            .find_map(|l| {
                let (name, value) = l.split_once(':')?;
                name.eq_ignore_ascii_case("content-length")
                    .then(|| value.trim().parse::<usize>().ok())?
            })
            .unwrap_or(0);
        if body.len() >= length {
            return Ok((status, String::from_utf8_lossy(body).into_owned()));
        }
    }
}

/// SIGKILL to the process group led by `child` (chromedriver and the Chromium it started).
fn kill_group(child: &mut Child) {
    let group = format!("-{}", child.id());
    let _ = Command::new("kill")
        .args(["-KILL", "--", &group])
        .stderr(Stdio::null())
        .status();
    let _ = child.kill();
    let _ = child.wait();
}
