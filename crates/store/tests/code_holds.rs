//! Held codes in the store: a code's evidence counts the reviewed lines that suggested it within
//! the time asked for, the corrections in that field and the errors their confidences predicted;
//! the latest change of each code's hold is the one in force.

mod common;

use common::{TestDb, decision, temp_store};
use kontera_store::{
    AreaScope, CodeEvidence, CodeField, CodeHold, CodeStanding, Engine, NewReview, ReviewLine,
    Store,
};

/// Reviews common's two-line decision `id` at `at`, line 1 (suggested 22100 / 4711 / I25 with
/// confidence 0.93) coded `account` / `cost_centre`, line 2 (no suggestion) 22900.
async fn review(store: &Store, id: &str, at: i64, account: &str, cost_centre: &str) {
    let line = |line_no, account: &str, cc: Option<&str>| ReviewLine {
        line_no,
        account: account.to_owned(),
        cost_centre: cc.map(str::to_owned),
        vat_code: None,
    };
    store
        .record_review(
            &AreaScope::All,
            &NewReview {
                decision_id: id.to_owned(),
                reviewer: "anna".to_owned(),
                reviewed_at: at,
                lines: vec![line(1, account, Some(cost_centre)), line(2, "22900", None)],
            },
        )
        .await
        .unwrap();
}

const DAY: i64 = 86_400_000;

/// One code's standing, read as the service reads several.
async fn standing(
    store: &Store,
    field: CodeField,
    code: &str,
    since_ms: i64,
    until_ms: i64,
) -> CodeStanding {
    let mut one = store
        .code_standings(&[(field, code)], since_ms, until_ms)
        .await
        .unwrap();
    assert_eq!(one.len(), 1);
    one.remove(0)
}

async fn a_codes_evidence_counts_its_reviewed_lines_and_their_corrections_per_field(
    engine: Engine,
) {
    let (_dir, store) = temp_store(engine).await;
    let ids = ["a", "b", "c", "d"];
    store.record(&ids.map(|id| decision(id, id))).await.unwrap();
    review(&store, "a", 100, "22100", "4711").await; // agreed
    review(&store, "b", 200, "22500", "4711").await; // account corrected
    review(&store, "c", 300, "22500", "4712").await; // both corrected
    review(&store, "d", 900, "22500", "4711").await; // outside the window asked for

    let account = standing(&store, CodeField::Account, "22100", 50, 500).await;
    assert_eq!(
        (account.evidence.reviewed, account.evidence.corrected),
        (3, 2)
    );
    assert!(
        (account.evidence.expected - 3.0 * 0.07).abs() < 1e-9,
        "{account:?}"
    );
    assert!(!account.held);
    let cost_centre = standing(&store, CodeField::CostCentre, "4711", 50, 500).await;
    assert_eq!(
        (
            cost_centre.evidence.reviewed,
            cost_centre.evidence.corrected
        ),
        (3, 1)
    );
    let none = standing(&store, CodeField::Account, "99999", 0, 1_000).await;
    assert_eq!(none, CodeStanding::default());
}

/// Over many days the whole days come from the per-day sums and the partial first and last days
/// from their lines: each review counts once, exactly when it falls within the window (to the
/// millisecond), whichever part it falls in.
async fn a_windows_evidence_counts_each_review_inside_it_once_over_many_days(engine: Engine) {
    let (_dir, store) = temp_store(engine).await;
    // (review time, account coded): 22100 agrees, 22500 corrects.
    let reviews = [
        (10 * DAY + 3_600_000, "22500"), // first day, before the window opens
        (10 * DAY + 7_200_000, "22100"), // first day, inside
        (11 * DAY, "22500"),             // first whole day, at midnight
        (11 * DAY + 5, "22500"),         // the same day: summed with it
        (40 * DAY + 99, "22100"),        // a whole day
        (99 * DAY + DAY - 1, "22500"),   // the last whole day's last ms
        (100 * DAY, "22100"),            // last day, at midnight
        (100 * DAY + 7_200_000, "22500"), // last day, at the window's end
        (100 * DAY + 7_200_001, "22500"), // last day, after it
        (130 * DAY, "22500"),            // long after
    ];
    let ids: Vec<String> = (0..reviews.len()).map(|i| format!("r{i}")).collect();
    let decisions: Vec<_> = ids.iter().map(|id| decision(id, id)).collect();
    store.record(&decisions).await.unwrap();
    for (id, (at, account)) in ids.iter().zip(reviews) {
        review(&store, id, at, account, "4711").await;
    }
    let (since, until) = (10 * DAY + 3_600_001, 100 * DAY + 7_200_000);
    let inside: Vec<_> = reviews
        .iter()
        .filter(|(at, _)| (since..=until).contains(at))
        .collect();
    assert_eq!(inside.len(), 7);
    let window = standing(&store, CodeField::Account, "22100", since, until).await;
    let corrected = inside.iter().filter(|(_, a)| *a == "22500").count() as u64;
    assert_eq!(
        (window.evidence.reviewed, window.evidence.corrected),
        (7, corrected)
    );
    assert_eq!(corrected, 4);
    assert!(
        (window.evidence.expected - 7.0 * 0.07).abs() < 1e-9,
        "{window:?}"
    );
    // Windows within one day, or over two days with none whole between, read the lines alone.
    let one_day = standing(&store, CodeField::Account, "22100", 11 * DAY, 11 * DAY + 4).await;
    assert_eq!(one_day.evidence.reviewed, 1);
    let two_days = standing(&store, CodeField::Account, "22100", 10 * DAY, 11 * DAY + 5).await;
    assert_eq!(
        (two_days.evidence.reviewed, two_days.evidence.corrected),
        (4, 3)
    );
    // The whole window: every review.
    let all = standing(&store, CodeField::Account, "22100", 0, 200 * DAY).await;
    assert_eq!((all.evidence.reviewed, all.evidence.corrected), (10, 7));

    // Many codes read together, in order, each as read alone (over several statements too).
    let mut codes: Vec<(CodeField, String)> = (0..150)
        .map(|i| (CodeField::Account, format!("absent-{i}")))
        .collect();
    codes[3] = (CodeField::CostCentre, "4711".to_owned());
    codes[120] = (CodeField::Account, "22100".to_owned());
    let asked: Vec<(CodeField, &str)> = codes.iter().map(|(f, c)| (*f, c.as_str())).collect();
    let together = store.code_standings(&asked, since, until).await.unwrap();
    assert_eq!(together.len(), 150);
    for (i, (field, code)) in asked.iter().enumerate() {
        let alone = standing(&store, *field, code, since, until).await;
        assert_eq!(together[i], alone, "{code}");
    }
    assert_eq!(together[120], window);
    assert_eq!(together[3].evidence.reviewed, 7);
    assert_eq!(together[0], CodeStanding::default());
}

/// A new store with four decisions (each suggesting account 22100 and cost centre 4711 on its
/// first line) reviewed on days 5, 5, 6 and 9: two of them to account 22500, two to another cost
/// centre.
async fn with_four_reviews(engine: Engine) -> (TestDb, Store) {
    let (db, store) = temp_store(engine).await;
    let reviews = [
        (5 * DAY + 1, "22100", "4711"),
        (5 * DAY + 2, "22500", "4712"),
        (6 * DAY, "22500", "4711"),
        (9 * DAY + 7, "22100", "4713"),
    ];
    let ids: Vec<String> = (0..reviews.len()).map(|i| format!("m{i}")).collect();
    let decisions: Vec<_> = ids.iter().map(|id| decision(id, id)).collect();
    store.record(&decisions).await.unwrap();
    for (id, (at, account, cost_centre)) in ids.iter().zip(reviews) {
        review(&store, id, at, account, cost_centre).await;
    }
    (db, store)
}

/// The migration that adds the per-day sums sums the lines reviewed before it exactly as reviews
/// add theirs since: the table rebuilt from the lines by the migration gives the same standings.
async fn the_migration_sums_earlier_reviews_as_reviews_add_theirs(engine: Engine) {
    let (db, store) = with_four_reviews(engine).await;
    let standings = async |store: &Store| {
        let mut out = Vec::new();
        for (field, code) in [
            (CodeField::Account, "22100"),
            (CodeField::CostCentre, "4711"),
        ] {
            for (since, until) in [(0, 20 * DAY), (5 * DAY + 2, 9 * DAY), (4 * DAY, 10 * DAY)] {
                out.push(standing(store, field, code, since, until).await);
            }
        }
        out
    };
    let live = standings(&store).await;
    assert_eq!(live[0].evidence.reviewed, 4);
    assert_eq!(
        (live[0].evidence.corrected, live[3].evidence.corrected),
        (2, 2)
    );

    let (url, migration) = match engine {
        Engine::Sqlite => (
            format!("sqlite://{}", db.database),
            include_str!("../migrations/sqlite/0014_code_evidence_days.sql"),
        ),
        Engine::Postgres => (
            db.database.clone(),
            include_str!("../migrations/postgres/0014_code_evidence_days.sql"),
        ),
    };
    let mut conn = <sqlx::AnyConnection as sqlx::Connection>::connect(&url)
        .await
        .unwrap();
    sqlx::raw_sql("DROP TABLE code_evidence_days")
        .execute(&mut conn)
        .await
        .unwrap();
    sqlx::raw_sql(migration).execute(&mut conn).await.unwrap();
    assert_eq!(standings(&store).await, live);
}

/// Migration 0018 rebuilds the codes' per-day sums and the groups' newest lines as SQLite tables
/// stored by their key: run again on a store with reviews, it keeps every row as it was, and
/// every standing reads the same.
#[tokio::test]
async fn the_tables_rebuilt_by_their_key_keep_every_row() {
    let (db, store) = with_four_reviews(Engine::Sqlite).await;
    let mut conn =
        <sqlx::AnyConnection as sqlx::Connection>::connect(&format!("sqlite://{}", db.database))
            .await
            .unwrap();
    type Rows = (
        Vec<(String, String, i64, i64, i64, f64)>,
        Vec<(String, String, String, i64)>,
    );
    async fn rows(conn: &mut sqlx::AnyConnection) -> Rows {
        let days = sqlx::query_as(
            "SELECT field, code, day, reviewed, corrected, expected FROM code_evidence_days \
             ORDER BY field, code, day",
        )
        .fetch_all(&mut *conn)
        .await
        .unwrap();
        let latest = sqlx::query_as(
            "SELECT supplier, account_key, decision_id, reviewed_at FROM review_group_latest \
             ORDER BY supplier, unit_key, account_key, cost_centre_key, vat_code_key",
        )
        .fetch_all(&mut *conn)
        .await
        .unwrap();
        (days, latest)
    }
    let before = rows(&mut conn).await;
    assert_eq!(before.0.len(), 6, "{before:?}");
    assert!(!before.1.is_empty());
    // Every decision suggested account 22100; two reviews corrected it.
    let standing_before = standing(&store, CodeField::Account, "22100", 0, 20 * DAY).await;
    assert_eq!(
        (
            standing_before.evidence.reviewed,
            standing_before.evidence.corrected
        ),
        (4, 2)
    );

    sqlx::raw_sql(include_str!(
        "../migrations/sqlite/0018_tables_by_primary_key.sql"
    ))
    .execute(&mut conn)
    .await
    .unwrap();
    assert_eq!(rows(&mut conn).await, before);
    assert_eq!(
        standing(&store, CodeField::Account, "22100", 0, 20 * DAY).await,
        standing_before
    );
    let without_rowid: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM sqlite_schema WHERE name IN ('code_evidence_days', \
         'review_group_latest') AND sql LIKE '%WITHOUT ROWID'",
    )
    .fetch_one(&mut conn)
    .await
    .unwrap();
    assert_eq!(without_rowid, 2);
}

/// A code's standing says whether its latest change holds it.
async fn a_codes_standing_reads_its_hold_in_force(engine: Engine) {
    let (_dir, store) = temp_store(engine).await;
    let change = |held: bool, at: i64| CodeHold {
        field: CodeField::Account,
        code: "4400".to_owned(),
        held,
        judged_at: at,
        evidence: CodeEvidence::default(),
        message: String::new(),
    };
    let held = async |store: &Store, field| standing(store, field, "4400", 0, 10).await.held;
    assert!(!held(&store, CodeField::Account).await);
    store.record_code_hold(&change(true, 1)).await.unwrap();
    assert!(held(&store, CodeField::Account).await);
    assert!(!held(&store, CodeField::CostCentre).await);
    store.record_code_hold(&change(false, 2)).await.unwrap();
    assert!(!held(&store, CodeField::Account).await);
}

async fn the_latest_change_of_a_codes_hold_is_in_force(engine: Engine) {
    let (_dir, store) = temp_store(engine).await;
    let change = |code: &str, held: bool, at: i64| CodeHold {
        field: CodeField::Account,
        code: code.to_owned(),
        held,
        judged_at: at,
        evidence: CodeEvidence {
            reviewed: 3,
            corrected: 2,
            expected: 0.2,
        },
        message: format!("{code} at {at}"),
    };
    store
        .record_code_hold(&change("4400", true, 1))
        .await
        .unwrap();
    store
        .record_code_hold(&change("4500", true, 2))
        .await
        .unwrap();
    store
        .record_code_hold(&change("4400", false, 3))
        .await
        .unwrap();
    let mut cc = change("4400", true, 4);
    cc.field = CodeField::CostCentre;
    store.record_code_hold(&cc).await.unwrap();

    let held = store.code_holds().await.unwrap();
    let keys: Vec<(CodeField, &str)> = held.keys().map(|(f, c)| (*f, c.as_str())).collect();
    assert_eq!(
        keys,
        [
            (CodeField::Account, "4500"),
            (CodeField::CostCentre, "4400")
        ]
    );
    assert_eq!(
        held[&(CodeField::Account, "4500".to_owned())],
        change("4500", true, 2)
    );
}

kontera_store::on_both_engines!(
    a_codes_evidence_counts_its_reviewed_lines_and_their_corrections_per_field,
    a_windows_evidence_counts_each_review_inside_it_once_over_many_days,
    a_codes_standing_reads_its_hold_in_force,
    the_migration_sums_earlier_reviews_as_reviews_add_theirs,
    the_latest_change_of_a_codes_hold_is_in_force,
);
