//! Records per second on a temporary file with full durability: sequential `record` calls, one
//! decision each, against group commit with 64 concurrent callers.
//!
//! `cargo run --release -p kontera-store --example throughput -- [DECISIONS] [sequential|group]`
//! (default: 5000 decisions, both ways).

use std::time::Instant;

use chrono::NaiveDate;
use kontera_store::{Decision, Line, Outcome, Store};
use rust_decimal::Decimal;

const CALLERS: usize = 64;

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let n: usize = std::env::args()
        .nth(1)
        .map_or(5_000, |a| a.parse().expect("DECISIONS is a count"));
    let only = std::env::args().nth(2);
    let dir = tempfile::tempdir().unwrap();
    if only.as_deref() != Some("group") {
        sequential(&dir, n).await;
    }
    if only.as_deref() != Some("sequential") {
        group(&dir, n).await;
    }
}

async fn sequential(dir: &tempfile::TempDir, n: usize) {
    let store = Store::open(dir.path().join("sequential.db").to_str().unwrap())
        .await
        .unwrap();
    let start = Instant::now();
    for i in 0..n {
        store.record(&[sample(i)]).await.unwrap();
    }
    report("sequential record", n, start);
    store.close().await;
}

async fn group(dir: &tempfile::TempDir, n: usize) {
    let store = Store::open(dir.path().join("group.db").to_str().unwrap())
        .await
        .unwrap();
    let committer = store.committer();
    let start = Instant::now();
    let tasks: Vec<_> = (0..CALLERS)
        .map(|caller| {
            let committer = committer.clone();
            tokio::spawn(async move {
                for i in (caller..n).step_by(CALLERS) {
                    committer.record_one(sample(i)).await.unwrap();
                }
            })
        })
        .collect();
    for task in tasks {
        task.await.unwrap();
    }
    report(&format!("group commit, {CALLERS} callers"), n, start);
    assert_eq!(store.count_decisions().await.unwrap(), n as u64);
    store.close().await;
}

fn report(what: &str, n: usize, start: Instant) {
    let seconds = start.elapsed().as_secs_f64();
    println!(
        "{what:>28}: {n} decisions in {seconds:.2} s = {:.0} records/s",
        n as f64 / seconds
    );
}

/// A three-line invoice with a response body of about a kilobyte.
fn sample(i: usize) -> Decision {
    let line = |line_no: u32, amount: i64| Line {
        line_no,
        description: format!("Vare {i}-{line_no}, kopipapir A4 80 g, 5 x 500 ark"),
        net_amount: Decimal::new(amount, 2),
        account: Some("22100".to_owned()),
        cost_centre: Some("4711".to_owned()),
        vat_code: Some("I25".to_owned()),
        confidence: 0.97,
        source: "model".to_owned(),
    };
    Decision {
        key: format!("12345678/invoice/{i}"),
        decision_id: format!("d-{i:08}"),
        received_at: 1_700_000_000_000 + i as i64,
        supplier: "12345678".to_owned(),
        number: i.to_string(),
        document_type: "invoice".to_owned(),
        issue_date: NaiveDate::from_ymd_opt(2025, 3, 14).unwrap(),
        total: Decimal::new(125_000 + i as i64, 2),
        currency: "DKK".to_owned(),
        area: Some("schools".to_owned()),
        unit: Some("unit-7".to_owned()),
        outcome: Outcome::Auto,
        would_auto: true,
        audit: false,
        eligible_confidence: None,
        model_version: "2025.03.1".to_owned(),
        reasons: vec!["confident".to_owned()],
        response: format!(
            "{{\"decision_id\":\"d-{i:08}\",\"lines\":[{}]}}",
            "x".repeat(1000)
        ),
        lines: vec![line(1, 100_000), line(2, 20_000), line(3, 5_000 + i as i64)],
    }
}
