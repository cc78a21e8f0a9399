//! Shared test helpers: a store in a temporary directory and sample decisions.

#![allow(dead_code)]

use chrono::NaiveDate;
use kontera_store::{Decision, Engine, Line, NewReview, Outcome, ReviewLine, Store};
use rust_decimal::Decimal;
use tempfile::TempDir;

/// Where a test's database lives; dropping it removes an SQLite file's directory (a PostgreSQL
/// test database is left to the private test server, which holds only test data).
pub struct TestDb {
    /// The `--database` value: the SQLite file's path, or the PostgreSQL URL.
    pub database: String,
    _dir: Option<TempDir>,
}

/// A fresh, empty database on `engine`: a file in its own temporary directory, or a new
/// database on the test PostgreSQL server.
pub async fn temp_db(engine: Engine) -> TestDb {
    match engine {
        Engine::Sqlite => {
            let dir = tempfile::tempdir().unwrap();
            TestDb {
                database: dir.path().join("kontera.db").to_str().unwrap().to_owned(),
                _dir: Some(dir),
            }
        }
        Engine::Postgres => TestDb {
            database: kontera_store::testing::fresh_postgres_database().await,
            _dir: None,
        },
    }
}

/// A fresh store on `engine` (its database kept alive by the returned guard).
pub async fn temp_store(engine: Engine) -> (TestDb, Store) {
    let db = temp_db(engine).await;
    let store = Store::open(&db.database).await.unwrap();
    (db, store)
}

/// The database file inside a test directory.
pub fn db_path(dir: &TempDir) -> String {
    dir.path().join("kontera.db").to_str().unwrap().to_owned()
}

pub fn date(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

pub fn dec(s: &str) -> Decimal {
    s.parse().unwrap()
}

/// A reviewed two-line invoice from supplier 12345678 numbered after the key.
pub fn decision(key: &str, decision_id: &str) -> Decision {
    Decision {
        key: key.to_owned(),
        decision_id: decision_id.to_owned(),
        received_at: 1_700_000_000_000,
        supplier: "12345678".to_owned(),
        number: format!("INV-{key}"),
        document_type: "invoice".to_owned(),
        issue_date: date("2025-03-14"),
        total: dec("1250.00"),
        currency: "DKK".to_owned(),
        area: Some("schools".to_owned()),
        unit: Some("unit-7".to_owned()),
        outcome: Outcome::Review,
        would_auto: false,
        audit: false,
        eligible_confidence: None,
        model_version: "2025.03.1".to_owned(),
        reasons: vec!["low_confidence".to_owned(), "new_supplier".to_owned()],
        response: format!("{{\"decision_id\":\"{decision_id}\"}}"),
        lines: vec![
            Line {
                line_no: 1,
                description: "Kopipapir A4".to_owned(),
                net_amount: dec("1000.00"),
                account: Some("22100".to_owned()),
                cost_centre: Some("4711".to_owned()),
                vat_code: Some("I25".to_owned()),
                confidence: 0.93,
                source: "model".to_owned(),
            },
            Line {
                line_no: 2,
                description: "Fragt".to_owned(),
                net_amount: dec("0.00"),
                account: None,
                cost_centre: None,
                vat_code: None,
                confidence: 0.0,
                source: "model".to_owned(),
            },
        ],
    }
}

/// anna's review, at `at`, of a decision shaped like [`decision`] whose line 2 was coded 22900:
/// line 1 as [`decision`] codes it, line 2 as 22900 when she `agree`s, else as 11111.
pub fn review_of(decision_id: &str, at: i64, agree: bool) -> NewReview {
    NewReview {
        decision_id: decision_id.to_owned(),
        reviewer: "anna".to_owned(),
        reviewed_at: at,
        lines: vec![
            ReviewLine {
                line_no: 1,
                account: "22100".to_owned(),
                cost_centre: Some("4711".to_owned()),
                vat_code: Some("I25".to_owned()),
            },
            ReviewLine {
                line_no: 2,
                account: if agree { "22900" } else { "11111" }.to_owned(),
                cost_centre: None,
                vat_code: None,
            },
        ],
    }
}
