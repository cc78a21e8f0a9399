//! A supplier × unit's latest reviewed line per suggested coding: only that supplier's invoices
//! to that unit (a missing unit matches only a missing unit), the newest of each coding whatever
//! order the reviews were recorded in, when reviewed since the time asked for; newest first, each
//! line beside its suggestion and whether it matched.

mod common;

use common::{decision, temp_store};
use kontera_store::{Decision, Engine, GroupQuery, GroupReview, NewReview, ReviewLine, Store};

fn case(id: &str, supplier: &str, unit: Option<&str>) -> Decision {
    let mut d = decision(id, id);
    d.supplier = supplier.to_owned();
    d.unit = unit.map(str::to_owned);
    d
}

/// Reviews `id` at `at`: line 1 coded to `account` (common's suggestion is 22100 / 4711 / I25),
/// line 2 (no suggestion) to 22900.
async fn review(store: &Store, id: &str, at: i64, account: &str) {
    let line = |line_no, account: &str, cc: Option<&str>, vat: Option<&str>| ReviewLine {
        line_no,
        account: account.to_owned(),
        cost_centre: cc.map(str::to_owned),
        vat_code: vat.map(str::to_owned),
    };
    store
        .record_review(
            &kontera_store::AreaScope::All,
            &NewReview {
                decision_id: id.to_owned(),
                reviewer: "anna".to_owned(),
                reviewed_at: at,
                lines: vec![
                    line(1, account, Some("4711"), Some("I25")),
                    line(2, "22900", None, None),
                ],
            },
        )
        .await
        .unwrap();
}

async fn a_groups_newest_reviews_come_newest_first_since_the_time_asked_for(engine: Engine) {
    let (_dir, store) = temp_store(engine).await;
    // Suggested 22400 on line 1: a coding of its own, reviewed before the latest of 22100.
    let mut other_coding = case("other-coding", "S", Some("U"));
    other_coding.lines[0].account = Some("22400".to_owned());
    store
        .record(&[
            case("old", "S", Some("U")),
            case("agreed", "S", Some("U")),
            other_coding,
            case("corrected", "S", Some("U")),
            case("later", "S", Some("U")),
            case("other-unit", "S", Some("V")),
            case("other-supplier", "T", Some("U")),
            case("no-unit", "S", None),
        ])
        .await
        .unwrap();
    review(&store, "old", 100, "22500").await;
    review(&store, "agreed", 200, "22100").await;
    review(&store, "other-coding", 220, "22400").await;
    review(&store, "corrected", 300, "22500").await;
    review(&store, "other-unit", 250, "22500").await;
    review(&store, "other-supplier", 250, "22500").await;
    review(&store, "no-unit", 260, "22600").await;

    let seen = |got: &[GroupReview]| -> Vec<(String, u32, String, bool)> {
        got.iter()
            .map(|g| {
                (
                    g.decision_id.clone(),
                    g.line.line_no,
                    g.line.account.clone(),
                    g.line.matches,
                )
            })
            .collect()
    };
    let got = store.group_reviews("S", Some("U"), 150).await.unwrap();
    // The newest line per suggested coding: "agreed" (suggested as "corrected" was) is older,
    // and "other-coding"'s line 2 (no suggestion, as "corrected"'s line 2) too.
    assert_eq!(
        seen(&got),
        [
            ("corrected".to_owned(), 1, "22500".to_owned(), false),
            ("corrected".to_owned(), 2, "22900".to_owned(), false),
            ("other-coding".to_owned(), 1, "22400".to_owned(), true),
        ]
    );
    assert_eq!(got[0].reviewed_at, 300);
    assert_eq!(got[0].line.suggested_account.as_deref(), Some("22100"));
    assert_eq!(got[0].line.suggested_cost_centre.as_deref(), Some("4711"));
    assert_eq!(got[0].line.suggested_vat_code.as_deref(), Some("I25"));
    assert_eq!(got[1].line.suggested_account, None);
    assert_eq!(got[2].line.suggested_account.as_deref(), Some("22400"));
    // Only codings whose newest line is recent enough.
    let recent = store.group_reviews("S", Some("U"), 250).await.unwrap();
    assert_eq!(seen(&recent), seen(&got)[..2]);

    // A newer review replaces its codings' lines; one recorded later with an older time does not.
    review(&store, "later", 900, "22500").await;
    let stale = case("stale", "S", Some("U"));
    store.record(&[stale]).await.unwrap();
    review(&store, "stale", 400, "22700").await;
    let all = store.group_reviews("S", Some("U"), 0).await.unwrap();
    let newest: Vec<&str> = all.iter().map(|g| g.decision_id.as_str()).collect();
    assert_eq!(newest, ["later", "later", "other-coding"]);

    let missing_unit = store.group_reviews("S", None, 0).await.unwrap();
    assert_eq!(missing_unit.len(), 2, "{missing_unit:?}");
    assert!(missing_unit.iter().all(|g| g.decision_id == "no-unit"));
    assert!(store.group_reviews("X", None, 0).await.unwrap().is_empty());

    // Groups asked about together (more than one statement's worth) get each its own answer.
    let asked: [GroupQuery<'_>; 5] = [
        ("S", Some("U"), 0),
        ("S", Some("U"), 250),
        ("S", None, 0),
        ("X", None, 0),
        ("T", Some("U"), 0),
    ];
    let queries: Vec<GroupQuery<'_>> = asked.iter().copied().cycle().take(37).collect();
    let together = store.group_reviews_of(&queries).await.unwrap();
    assert_eq!(together.len(), 37);
    for ((supplier, unit, since), got) in queries.iter().zip(&together) {
        let alone = store.group_reviews(supplier, *unit, *since).await.unwrap();
        assert_eq!(got, &alone);
    }
    assert_eq!(together[35], all);
    assert_eq!(together[36].len(), 2);
}

/// The migration that adds the table of newest lines fills it from the reviews stored before it
/// as reviews keep it since: rebuilt by the migration, every read answers the same.
async fn the_migration_keeps_the_newest_line_of_each_coding_as_reviews_do(engine: Engine) {
    let (db, store) = temp_store(engine).await;
    let mut other_coding = case("m-other", "S", Some("U"));
    other_coding.lines[0].cost_centre = None;
    store
        .record(&[
            case("m-1", "S", Some("U")),
            case("m-2", "S", Some("U")),
            case("m-3", "S", None),
            case("m-4", "T", Some("U")),
            other_coding,
        ])
        .await
        .unwrap();
    // Recorded out of time order, with a tie at 500 that the decision id breaks.
    review(&store, "m-2", 500, "22100").await;
    review(&store, "m-1", 500, "22500").await;
    review(&store, "m-other", 450, "22100").await;
    review(&store, "m-3", 100, "22600").await;
    review(&store, "m-4", 700, "22500").await;
    let reads = async |store: &Store| {
        let mut out = Vec::new();
        for (supplier, unit, since) in [
            ("S", Some("U"), 0),
            ("S", Some("U"), 480),
            ("S", None, 0),
            ("T", Some("U"), 0),
        ] {
            out.push(store.group_reviews(supplier, unit, since).await.unwrap());
        }
        out
    };
    let live = reads(&store).await;
    let ids: Vec<&str> = live[0].iter().map(|g| g.decision_id.as_str()).collect();
    assert_eq!(ids, ["m-2", "m-2", "m-other"]);
    assert_eq!(live[0][2].line.suggested_cost_centre, None);
    assert_eq!(live[1].len(), 2);
    assert_eq!((live[2].len(), live[3].len()), (2, 2));

    let (url, migration) = match engine {
        Engine::Sqlite => (
            format!("sqlite://{}", db.database),
            include_str!("../migrations/sqlite/0016_review_group_latest.sql"),
        ),
        Engine::Postgres => (
            db.database.clone(),
            include_str!("../migrations/postgres/0016_review_group_latest.sql"),
        ),
    };
    let mut conn = <sqlx::AnyConnection as sqlx::Connection>::connect(&url)
        .await
        .unwrap();
    sqlx::raw_sql(
        "DROP TABLE review_group_latest; \
         CREATE INDEX reviews_group ON reviews (supplier, unit, reviewed_at);",
    )
    .execute(&mut conn)
    .await
    .unwrap();
    sqlx::raw_sql(migration).execute(&mut conn).await.unwrap();
    assert_eq!(reads(&store).await, live);
}

kontera_store::on_both_engines!(
    a_groups_newest_reviews_come_newest_first_since_the_time_asked_for,
    the_migration_keeps_the_newest_line_of_each_coding_as_reviews_do,
);
