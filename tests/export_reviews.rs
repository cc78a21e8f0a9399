//! `kontera export-reviews` end to end: on a database holding decisions and reviews (stored
//! through kontera-store directly), the real binary writes the postings contract and the
//! provenance file exactly, and the same bytes as the running service's
//! `GET /v1/reviews/export`.

mod common;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Command, Output};
use std::time::Duration;

use chrono::NaiveDate;
use common::{Server, provision};
use kontera_store::{AreaScope, Decision, Line, NewReview, Outcome, ReviewLine, Role, Store};
use rust_decimal::Decimal;

/// An analyst's API token, provisioned by [`prepare`].
const ANALYST: &str = "kt_a11a1a11a11a1a11a11a1a11a11a1a11a11a1a11a11a1a11a11a1a11a11a1a11";

const POSTINGS: &str = "\
posting_id,invoice_id,line_no,posting_date,account,cost_centre,vat_code,project,amount
R-d-2-1,F-2025-8,1,2025-01-31,4.90,\"\",I25,,10.00
R-d-1-1,\"F-2025,7\",1,2025-02-01,4.90,1010,I25,,1250.50
R-d-1-2,\"F-2025,7\",2,2025-02-01,\"5.10 \"\"Nord\"\"\",2020,IREP,,-99.95
";

const REVIEWS: &str = "\
decision_id,invoice_id,reviewer,reviewed_at,audit,agreed
d-2,F-2025-8,\"Berg, Anna\",2025-01-31T23:59:00.000Z,false,false
d-1,\"F-2025,7\",clara,2025-02-01T07:00:00.000Z,true,false
";

fn ms(date: &str, h: u32, m: u32) -> i64 {
    let day: NaiveDate = date.parse().unwrap();
    day.and_hms_opt(h, m, 0)
        .unwrap()
        .and_utc()
        .timestamp_millis()
}

fn decision(
    id: &str,
    invoice_id: &str,
    amounts: &[&str],
    outcome: Outcome,
    audit: bool,
) -> Decision {
    let lines: Vec<Line> = amounts
        .iter()
        .enumerate()
        .map(|(i, amount)| Line {
            line_no: i as u32 + 1,
            description: format!("line {}", i + 1),
            net_amount: amount.parse().unwrap(),
            account: Some("4.90".to_owned()),
            cost_centre: Some("1010".to_owned()),
            vat_code: Some("I25".to_owned()),
            confidence: 0.99,
            source: "model".to_owned(),
        })
        .collect();
    Decision {
        key: format!("key/{id}"),
        decision_id: id.to_owned(),
        received_at: ms("2025-01-10", 12, 0),
        supplier: "12345674".to_owned(),
        number: id.to_owned(),
        document_type: "invoice".to_owned(),
        issue_date: NaiveDate::from_ymd_opt(2025, 1, 9).unwrap(),
        total: lines.iter().map(|l| l.net_amount).sum::<Decimal>(),
        currency: "DKK".to_owned(),
        area: Some("schools".to_owned()),
        unit: None,
        outcome,
        would_auto: outcome == Outcome::Auto || audit,
        audit,
        eligible_confidence: None,
        model_version: "test@0".to_owned(),
        reasons: Vec::new(),
        response: serde_json::json!({"decision_id": id, "invoice": {"id": invoice_id}}).to_string(),
        lines,
    }
}

fn line(no: u32, account: &str, cost_centre: Option<&str>, vat: &str) -> ReviewLine {
    ReviewLine {
        line_no: no,
        account: account.to_owned(),
        cost_centre: cost_centre.map(str::to_owned),
        vat_code: Some(vat.to_owned()),
    }
}

/// The test database: four decisions, two of them reviewed, and an analyst with [`ANALYST`].
fn prepare(database: &Path) {
    provision(database);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let store = Store::open(database.to_str().unwrap()).await.unwrap();
        store
            .record(&[
                decision(
                    "d-1",
                    "F-2025,7",
                    &["1250.5", "-99.95"],
                    Outcome::Review,
                    true,
                ),
                decision("d-2", "F-2025-8", &["10"], Outcome::Review, false),
                decision("d-3", "F-2025-9", &["1"], Outcome::Review, false),
                decision("d-4", "F-2025-10", &["2"], Outcome::Auto, false),
            ])
            .await
            .unwrap();
        for (id, reviewer, at, lines) in [
            (
                "d-1",
                "clara",
                ms("2025-02-01", 7, 0),
                vec![
                    line(1, "4.90", Some("1010"), "I25"),
                    line(2, "5.10 \"Nord\"", Some("2020"), "IREP"),
                ],
            ),
            (
                "d-2",
                "Berg, Anna",
                ms("2025-01-31", 23, 59),
                vec![line(1, "4.90", None, "I25")],
            ),
        ] {
            let review = NewReview {
                decision_id: id.to_owned(),
                reviewer: reviewer.to_owned(),
                reviewed_at: at,
                lines,
            };
            store.record_review(&AreaScope::All, &review).await.unwrap();
        }
        store
            .add_user("ana", Role::Analyst, None, &[], 1)
            .await
            .unwrap();
        let digest = kontera_serve::auth::secret::digest(ANALYST);
        store.add_token(&digest, "ana", "tests", 1).await.unwrap();
        store.close().await;
    });
}

fn export(database: &Path, out: &Path, extra: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kontera"))
        .arg("export-reviews")
        .arg("--database")
        .arg(database)
        .arg("--out")
        .arg(out)
        .args(extra)
        .env_remove("KONTERA_CONFIG")
        .output()
        .unwrap()
}

/// GET `path` as the analyst: the status and the body.
fn get(addr: &str, path: &str) -> (u16, String) {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(20)))
        .unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer {ANALYST}\r\n\
         Connection: close\r\n\r\n"
    )
    .unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    let (head, body) = response.split_once("\r\n\r\n").unwrap();
    assert!(
        head.to_ascii_lowercase()
            .contains(&format!("content-length: {}", body.len())),
        "{head}"
    );
    (head[9..12].parse().unwrap(), body.to_owned())
}

#[test]
fn the_command_writes_the_postings_contract_and_the_same_bytes_as_the_route() {
    let dir = tempfile::tempdir().unwrap();
    let database = dir.path().join("kontera.db");
    prepare(&database);

    let out = dir.path().join("training");
    let run = export(&database, &out, &[]);
    let stdout = String::from_utf8_lossy(&run.stdout);
    assert!(
        run.status.success(),
        "{stdout} {}",
        String::from_utf8_lossy(&run.stderr)
    );
    assert!(
        stdout.starts_with("exported 2 reviews as 3 postings to "),
        "{stdout}"
    );
    let postings = std::fs::read_to_string(out.join("postings.csv")).unwrap();
    let reviews = std::fs::read_to_string(out.join("reviews.csv")).unwrap();
    assert_eq!(postings, POSTINGS);
    assert_eq!(reviews, REVIEWS);

    let since = dir.path().join("since");
    let run = export(&database, &since, &["--since", "2025-02-01"]);
    assert!(run.status.success());
    let postings_since = std::fs::read_to_string(since.join("postings.csv")).unwrap();
    let reviews_since = std::fs::read_to_string(since.join("reviews.csv")).unwrap();
    assert_eq!(postings_since.lines().count(), 3, "{postings_since}");
    assert!(
        postings_since
            .lines()
            .skip(1)
            .all(|l| l.starts_with("R-d-1-"))
    );

    // The running service answers with the same bytes.
    let server = Server::start(&database);
    for (path, expected) in [
        ("/v1/reviews/export", &postings),
        ("/v1/reviews/export?file=reviews", &reviews),
        ("/v1/reviews/export?since=2025-02-01", &postings_since),
        (
            "/v1/reviews/export?since=2025-02-01&file=reviews",
            &reviews_since,
        ),
    ] {
        let (status, body) = get(&server.addr, path);
        assert_eq!(status, 200, "{path}: {body}");
        assert_eq!(&body, expected, "{path}");
    }
    server.stop();
}

#[test]
fn the_command_refuses_a_bad_date_and_a_missing_database() {
    let dir = tempfile::tempdir().unwrap();
    let database = dir.path().join("kontera.db");
    let out = dir.path().join("out");

    let run = export(&database, &out, &[]);
    assert!(!run.status.success());
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(stderr.contains("no database at"), "{stderr}");
    assert!(!database.exists(), "no empty database is created");

    prepare(&database);
    let run = export(&database, &out, &["--since", "1 March"]);
    assert!(!run.status.success());
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(
        stderr.contains("--since") && stderr.contains("YYYY-MM-DD"),
        "{stderr}"
    );
    assert!(!out.exists(), "nothing is written");
}

/// With the data side built (`--features train`): kontera-data reads the exported file as the
/// `postings` table, with the values meant, and writes it back to the same bytes.
#[cfg(feature = "train")]
#[test]
fn the_data_contract_reads_the_export_and_writes_it_back_unchanged() {
    use kontera_data::{PostingRow, read_table, write_table};

    let dir = tempfile::tempdir().unwrap();
    let database = dir.path().join("kontera.db");
    prepare(&database);
    let out = dir.path().join("training");
    assert!(export(&database, &out, &[]).status.success());
    let path = out.join("postings.csv");
    let rows: Vec<PostingRow> = read_table(&path).unwrap();
    assert_eq!(rows.len(), 3);
    assert_eq!(rows[0].cost_centre, "");
    assert_eq!(rows[1].invoice_id, "F-2025,7");
    assert_eq!(
        rows[1].posting_date,
        NaiveDate::from_ymd_opt(2025, 2, 1).unwrap()
    );
    assert_eq!(rows[2].account, "5.10 \"Nord\"");
    assert_eq!(rows[2].amount, Decimal::new(-9_995, 2));
    assert_eq!(rows[2].line_no, Some(2));
    assert_eq!(rows[2].project, None);
    let again = dir.path().join("again.csv");
    write_table(&rows, &again).unwrap();
    assert_eq!(std::fs::read_to_string(&again).unwrap(), POSTINGS);
}
