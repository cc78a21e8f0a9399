//! The controllers' review workspace in a real headless Chromium (needs Debian's `chromium` and
//! `chromium-driver`): sign in as a controller, open the queue, accept one suggestion with one
//! keystroke, correct another, code an audit sample blind and see each leave the queue; sign in
//! as another area's controller and see none of them; open the trust dashboard. Screenshots of
//! the queue, the audit comparison and the dashboard are test artifacts
//! (`<CARGO_TARGET_DIR>/kontera-screenshots/`).

mod common;

use std::io::{Read, Write};
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use common::browser::{Browser, FIND_TIMEOUT};
use common::{Server, request};
use serde_json::{Value, json};

/// PNG files start with these eight bytes.
const PNG_SIGNATURE: [u8; 8] = [0x89, b'P', b'N', b'G', b'\r', b'\n', 0x1a, b'\n'];

/// The areas of the bundled model.
const AREAS: [&str; 6] = [
    "daycare",
    "schools",
    "elderly_care",
    "social",
    "technical",
    "administration",
];

/// `kontera ARGS --database DB`; its standard output (the command must succeed).
fn kontera(database: &Path, args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_kontera"))
        .args(args)
        .arg("--database")
        .arg(database)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "kontera {args:?}: {stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
}

/// A controller of `area` added on the command line, with an API token: (password, token).
fn add_controller(database: &Path, name: &str, area: &str) -> (String, String) {
    let out = kontera(
        database,
        &[
            "users",
            "add",
            name,
            "--role",
            "controller",
            "--areas",
            area,
            "--token",
            "tests",
        ],
    );
    let field = |prefix: &str| {
        out.lines()
            .find_map(|l| l.strip_prefix(prefix))
            .unwrap_or_else(|| panic!("no {prefix:?} in {out}"))
            .trim()
            .to_owned()
    };
    (field("password: "), field("token: "))
}

/// `GET path` with a bearer token: the status and the body as JSON (`Null` when it is not).
fn get_as(addr: &str, path: &str, token: &str) -> (u16, Value) {
    let mut stream = std::net::TcpStream::connect(addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(20)))
        .unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer {token}\r\n\
         Content-Length: 0\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    let status = answer[9..12].parse().unwrap();
    let body = answer.split_once("\r\n\r\n").map_or("", |(_, b)| b);
    (status, serde_json::from_str(body).unwrap_or(Value::Null))
}

/// The sample's most regular invoice (crates/serve/tests/common.rs): a tree-pruning contractor
/// invoicing the same unit every month, which the bundled model codes confidently. The amount
/// follows from the number, so invoices with different numbers are no duplicates.
fn regular_invoice(number: &str) -> Value {
    let h = number
        .bytes()
        .fold(7u64, |h, b| h.wrapping_mul(31).wrapping_add(u64::from(b)));
    let net_cents = 700_000 + (h % 75_000) * 4;
    let vat_cents = net_cents / 4;
    let money = |cents: u64| format!("{}.{:02}", cents / 100, cents % 100);
    json!({
        "number": number,
        "issue_date": "2026-01-15",
        "currency": "DKK",
        "supplier": {"cvr": "53807186", "creditor_id": "K000112", "country": "DK"},
        "buyer": {"gln": "5798000190269", "reference": "EDO624"},
        "lines": [{
            "description": "Beskæring af træer varenr. 739487 januar 2026",
            "item_id": "739487",
            "net_amount": money(net_cents),
            "vat_category": "S",
            "vat_rate": "25"
        }],
        "totals": {
            "net": money(net_cents),
            "vat": money(vat_cents),
            "payable": money(net_cents + vat_cents)
        }
    })
}

/// Posts an invoice as the ERP; the decision.
fn post_invoice(addr: &str, invoice: &Value) -> Value {
    let (status, body) = request(addr, "POST", "/v1/invoices", &invoice.to_string()).unwrap();
    assert_eq!(status, 201, "{body}");
    serde_json::from_str(&body).unwrap()
}

fn reason_codes(decision: &Value) -> Vec<&str> {
    decision["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["code"].as_str().unwrap())
        .collect()
}

/// An invoice that goes to review with its suggestion (the declared VAT is off).
fn review_invoice(addr: &str, number: &str) -> Value {
    let mut invoice = regular_invoice(number);
    invoice["totals"]["vat"] = json!("100.00");
    let decision = post_invoice(addr, &invoice);
    assert_eq!(decision["decision"], "review", "{decision}");
    assert!(
        reason_codes(&decision).contains(&"vat_mismatch"),
        "{decision}"
    );
    decision
}

fn id_of(decision: &Value) -> String {
    decision["decision_id"].as_str().unwrap().to_owned()
}

/// Waits up to [`FIND_TIMEOUT`] until the browser's URL satisfies `done`; the URL.
async fn wait_for_url(browser: &Browser, what: &str, done: impl Fn(&str) -> bool) -> String {
    let deadline = Instant::now() + FIND_TIMEOUT;
    loop {
        let url = browser.current_url().await;
        if done(&url) {
            return url;
        }
        assert!(
            Instant::now() < deadline,
            "the browser did not reach {what} within {FIND_TIMEOUT:?}; it shows {url}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Signs in on the sign-in page the browser shows; waits until it has left it.
async fn sign_in(browser: &Browser, name: &str, password: &str) {
    browser.fill("#name", name).await;
    browser.fill("#password", password).await;
    browser
        .click("form[action=\"/login\"] button[type=submit]")
        .await;
    wait_for_url(browser, "a page past sign-in", |u| !u.contains("/login")).await;
}

/// The decision ids the queue page lists now (after reloading it).
async fn queue_ids(browser: &Browser, addr: &str) -> Vec<String> {
    browser.goto(&format!("http://{addr}/review")).await;
    browser.find("#filters").await;
    let mut ids = Vec::new();
    for row in browser.find_all("#queue tr[data-decision]").await {
        ids.push(row.attr("data-decision").await.unwrap().unwrap());
    }
    ids
}

/// The value the input matching `css` holds now.
async fn value_of(browser: &Browser, css: &str) -> String {
    browser
        .find(css)
        .await
        .prop("value")
        .await
        .unwrap()
        .unwrap_or_default()
}

/// The page without the list of known accounts (the same on every invoice page, so no hint).
fn without_datalist(html: &str) -> String {
    match (html.find("<datalist"), html.find("</datalist>")) {
        (Some(start), Some(end)) => format!("{}{}", &html[..start], &html[end..]),
        _ => html.to_owned(),
    }
}

/// Asserts the screenshot at `path` is a PNG of more than 5 KB.
fn assert_png(path: &Path) {
    let png = std::fs::read(path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()));
    assert!(
        png.starts_with(&PNG_SIGNATURE),
        "{} is not a PNG",
        path.display()
    );
    assert!(
        png.len() > 5 * 1024,
        "{} holds only {} bytes",
        path.display(),
        png.len()
    );
}

#[tokio::test]
async fn controllers_review_accept_correct_and_audit_in_chromium() {
    let started = Instant::now();
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("kontera.db");
    // Audit rate 1: every invoice that would be posted automatically is a blind audit sample;
    // invoices screening stops are ordinary reviews with a suggestion.
    let server = Server::start_with_env(&db, &[("KONTERA_AUDIT_RATE", "1")]);
    let addr = server.addr.clone();
    let base = format!("http://{addr}");

    // Four invoices of one area: two ordinary reviews to code, an audit sample, and one more
    // review that stays in the queue.
    let accepted = review_invoice(&addr, "BR-1");
    let corrected = review_invoice(&addr, "BR-2");
    let sample = post_invoice(&addr, &regular_invoice("BR-3"));
    assert_eq!(sample["decision"], "review", "{sample}");
    assert_eq!(reason_codes(&sample), ["sample_check"], "{sample}");
    let waiting = review_invoice(&addr, "BR-4");
    let area = accepted["area"].as_str().expect("the invoice has an area");
    for d in [&corrected, &sample, &waiting] {
        assert_eq!(d["area"], area, "{d}");
    }
    let elsewhere = AREAS.iter().find(|a| **a != area).unwrap();
    let ids: Vec<String> = [&accepted, &corrected, &sample, &waiting]
        .map(id_of)
        .to_vec();
    let [accepted_id, corrected_id, sample_id, waiting_id] = ids.clone().try_into().unwrap();

    // Users are read from the database per request: added while the service runs.
    let (carla, carla_token) = add_controller(&db, "carla", area);
    let (otto, otto_token) = add_controller(&db, "otto", elsewhere);
    eprintln!("set-up: {:?}", started.elapsed());

    let browser = Browser::start().await;
    eprintln!("browser started: {:?}", started.elapsed());

    // Signed out, the queue leads to the sign-in page and back.
    browser.goto(&format!("{base}/review")).await;
    browser.find("#name").await;
    let url = browser.current_url().await;
    assert!(url.contains("/login"), "{url}");
    sign_in(&browser, "carla", &carla).await;
    let url = wait_for_url(&browser, "/review", |u| u.ends_with("/review")).await;
    assert!(url.starts_with(&base), "{url}");
    browser.find("#queue").await;
    let listed = queue_ids(&browser, &addr).await;
    assert_eq!(
        listed, ids,
        "the queue lists the four invoices, oldest first"
    );
    let queue_png = browser.screenshot_page("review_queue").await;

    // 1. Accept the first suggestion with one keystroke.
    browser.goto(&format!("{base}/review/{accepted_id}")).await;
    browser.find("#accept").await;
    let line = browser
        .find("#coding tr[data-line]")
        .await
        .attr("data-line")
        .await
        .unwrap()
        .unwrap();
    let suggested = [
        value_of(&browser, &format!("#account-{line}")).await,
        value_of(&browser, &format!("#cost_centre-{line}")).await,
        value_of(&browser, &format!("#vat_code-{line}")).await,
    ];
    assert!(!suggested[0].is_empty(), "the form holds the suggestion");
    let body = browser.find("body").await;
    body.send_keys("a").await.expect("typing a on the page");
    let url = wait_for_url(&browser, "the page after accepting", |u| {
        u.contains(&format!("saved={accepted_id}"))
    })
    .await;
    // On to the next invoice in the queue, with a notice about the saved one.
    assert!(url.contains(&format!("/review/{corrected_id}")), "{url}");
    assert!(browser.text("#notice").await.contains("BR-1"));
    let (status, detail) = get_as(&addr, &format!("/v1/reviews/{accepted_id}"), &carla_token);
    assert_eq!(status, 200, "{detail}");
    let review = &detail["review"];
    assert_eq!(review["reviewer"], "carla", "{detail}");
    assert_eq!(review["audit"], false);
    assert_eq!(
        review["agreed"], true,
        "accepting takes the suggestion: {detail}"
    );
    assert_eq!(review["lines"][0]["account"], suggested[0].as_str());
    assert_eq!(
        review["lines"][0]["cost_centre"].as_str().unwrap_or(""),
        suggested[1]
    );
    assert_eq!(
        review["lines"][0]["vat_code"].as_str().unwrap_or(""),
        suggested[2]
    );
    assert!(!queue_ids(&browser, &addr).await.contains(&accepted_id));

    // 2. Correct the second: another known account.
    browser
        .click(&format!("#queue tr[data-decision=\"{corrected_id}\"] a"))
        .await;
    wait_for_url(&browser, "the second invoice", |u| {
        u.contains(&format!("/review/{corrected_id}"))
    })
    .await;
    let field = format!("#account-{line}");
    let suggestion = value_of(&browser, &field).await;
    let mut accounts = Vec::new();
    for option in browser.find_all("#accounts option").await {
        accounts.push(option.attr("value").await.unwrap().unwrap_or_default());
    }
    let other = accounts
        .iter()
        .find(|a| !a.is_empty() && **a != suggestion)
        .expect("the datalist offers another account")
        .clone();
    browser.fill(&field, &other).await;
    browser.click("#save").await;
    wait_for_url(&browser, "the page after saving", |u| {
        u.contains(&format!("saved={corrected_id}"))
    })
    .await;
    let (status, detail) = get_as(&addr, &format!("/v1/reviews/{corrected_id}"), &carla_token);
    assert_eq!(status, 200, "{detail}");
    let review = &detail["review"];
    assert_eq!(review["lines"][0]["account"], other.as_str(), "{detail}");
    assert_eq!(review["agreed"], false, "{detail}");
    assert_eq!(
        review["comparison"][0]["suggested"]["account"],
        suggestion.as_str()
    );
    assert!(!queue_ids(&browser, &addr).await.contains(&corrected_id));

    // 3. The audit sample, blind: no suggestion, nothing to accept, no word of an audit.
    browser.goto(&format!("{base}/review/{sample_id}")).await;
    browser.find("#coding").await;
    for name in ["account", "cost_centre", "vat_code"] {
        let value = value_of(&browser, &format!("#{name}-{line}")).await;
        assert_eq!(value, "", "{name} is empty on the blind form");
    }
    assert!(
        browser.find_all("#accept").await.is_empty(),
        "nothing to accept"
    );
    assert!(browser.find_all("#comparison").await.is_empty());
    let blind = browser.source().await;
    assert!(blind.contains("<datalist id=\"accounts\">"));
    assert!(
        !blind.to_lowercase().contains("audit"),
        "no word of an audit: {blind}"
    );
    assert!(browser.text("#lines").await.contains("No suggestion"));
    // The controller codes it as the ordinary reviews were suggested.
    browser.fill(&field, &suggested[0]).await;
    browser
        .fill(&format!("#cost_centre-{line}"), &suggested[1])
        .await;
    browser
        .fill(&format!("#vat_code-{line}"), &suggested[2])
        .await;
    browser.click("#save").await;
    wait_for_url(&browser, "the audit sample's own page", |u| {
        u.contains(&format!("/review/{sample_id}?saved={sample_id}"))
    })
    .await;
    let comparison = browser.find("#comparison").await;
    assert_eq!(
        comparison.attr("data-audit").await.unwrap().as_deref(),
        Some("true")
    );
    let agreed = comparison.attr("data-agreed").await.unwrap().unwrap();
    browser
        .find("#comparison tr[data-line][data-matches]")
        .await;
    assert!(
        browser.find_all("#coding").await.is_empty(),
        "no form once reviewed"
    );
    let audit_png = browser.screenshot_page("audit_comparison").await;
    let (status, detail) = get_as(&addr, &format!("/v1/reviews/{sample_id}"), &carla_token);
    assert_eq!(status, 200, "{detail}");
    let review = &detail["review"];
    assert_eq!(review["audit"], true, "{detail}");
    assert_eq!(review["agreed"].to_string(), agreed, "{detail}");
    assert_eq!(review["lines"][0]["account"], suggested[0].as_str());
    // What would have been posted never showed on the blind page (outside the datalist).
    let posted = review["comparison"][0]["suggested"]["account"]
        .as_str()
        .expect("the sample had an automatic coding")
        .to_owned();
    let blind = without_datalist(&blind);
    for shown in [format!("\"{posted}\""), format!(">{posted}<")] {
        assert!(
            !blind.contains(&shown),
            "{shown} on the blind page: {blind}"
        );
    }
    assert_eq!(queue_ids(&browser, &addr).await, [waiting_id]);

    // 4. Another area's controller sees none of them.
    browser.click("header.top form button[type=submit]").await;
    wait_for_url(&browser, "the sign-in page", |u| u.contains("/login")).await;
    browser.goto(&format!("{base}/login")).await;
    sign_in(&browser, "otto", &otto).await;
    wait_for_url(&browser, "/review", |u| u.ends_with("/review")).await;
    assert!(browser.text("#empty").await.contains("Nothing to review"));
    assert!(browser.find_all("tr[data-decision]").await.is_empty());
    for (id, number) in ids.iter().zip(["BR-1", "BR-2", "BR-3", "BR-4"]) {
        browser.goto(&format!("{base}/review/{id}")).await;
        let text = browser.text("main").await;
        assert!(text.contains("Not Found"), "{id}: {text}");
        assert!(
            text.contains("no such invoice in your areas"),
            "{id}: {text}"
        );
        assert!(!browser.source().await.contains(number), "{id}");
        let (status, _) = get_as(&addr, &format!("/v1/reviews/{id}"), &otto_token);
        assert_eq!(status, 404, "{id}");
    }
    let (status, list) = get_as(&addr, "/v1/reviews", &otto_token);
    assert_eq!((status, list), (200, json!([])));

    // 5. The trust dashboard, as carla.
    browser.click("header.top form button[type=submit]").await;
    wait_for_url(&browser, "the sign-in page", |u| u.contains("/login")).await;
    browser.goto(&format!("{base}/dashboard")).await;
    browser.find("#name").await;
    sign_in(&browser, "carla", &carla).await;
    wait_for_url(&browser, "/dashboard", |u| u.ends_with("/dashboard")).await;
    browser.find("#automation-chart svg").await;
    browser.find("#precision-chart svg").await;
    browser.find("#paused").await;
    browser.find("#areas").await;
    assert!(browser.text("main").await.contains(area));
    let dashboard_png = browser.screenshot_page("dashboard").await;

    for png in [&queue_png, &audit_png, &dashboard_png] {
        assert_png(png);
        eprintln!("screenshot: {}", png.display());
    }
    browser.close().await;
    server.stop();
    eprintln!("done: {:?}", started.elapsed());
}
