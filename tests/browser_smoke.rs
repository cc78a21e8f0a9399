//! The browser harness end to end: the real `kontera serve`, opened in headless Chromium
//! through chromedriver (needs Debian's `chromium` and `chromium-driver`).

mod common;

use common::Server;
use common::browser::Browser;

/// PNG files start with these eight bytes.
const PNG_SIGNATURE: [u8; 8] = [0x89, b'P', b'N', b'G', b'\r', b'\n', 0x1a, b'\n'];

/// Kills the server when the test panics before stopping it (it would outlive the test and
/// keep cargo's output pipe open).
struct Running(Option<Server>);

impl Drop for Running {
    fn drop(&mut self) {
        if let Some(server) = self.0.take() {
            server.kill();
        }
    }
}

#[tokio::test]
async fn chromium_shows_the_health_check_and_takes_a_screenshot() {
    let browser = Browser::start().await;
    let dir = tempfile::tempdir().unwrap();
    let mut server = Running(Some(Server::start(&dir.path().join("kontera.db"))));
    let addr = server.0.as_ref().unwrap().addr.clone();

    // /healthz stays open when authentication arrives; every other route will need a token.
    browser.goto(&format!("http://{addr}/healthz")).await;
    let text = browser.text("body").await;
    let expected = format!(
        r#"{{"status":"ok","version":"{}"}}"#,
        env!("CARGO_PKG_VERSION")
    );
    assert!(
        text.contains(&expected),
        "the page shows {text:?}, not {expected}"
    );

    let path = browser.screenshot("browser_smoke_healthz").await;
    let png = std::fs::read(&path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()));
    assert!(
        png.starts_with(&PNG_SIGNATURE),
        "{} is not a PNG",
        path.display()
    );
    assert!(
        png.len() > 1024,
        "{} holds only {} bytes",
        path.display(),
        png.len()
    );

    browser.close().await;
    server.0.take().unwrap().stop();
}
