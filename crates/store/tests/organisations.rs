//! Several organisations in one database: a store opened for one organisation reads, counts and
//! changes only that organisation's rows, on both engines, with the same names, keys and ids in
//! use by each.

mod common;

use common::{decision, temp_db};
use kontera_store::{AreaScope, Engine, Recorded, Role, Store, StoreError};

async fn organisations_in_one_database_share_nothing(engine: Engine) {
    let db = temp_db(engine).await;
    let first = Store::open(&db.database).await.unwrap();
    let odense = Store::open_organisation(&db.database, Some("odense"))
        .await
        .unwrap();
    let aarhus = Store::open_organisation(&db.database, Some("aarhus"))
        .await
        .unwrap();
    assert_eq!(first.organisation(), None);
    assert_eq!(odense.organisation(), Some("odense"));

    // The same invoice key and decision id are each organisation's own.
    let one = decision("k1", "d-1");
    assert!(matches!(
        first.record(std::slice::from_ref(&one)).await.unwrap()[0],
        Recorded::New(_)
    ));
    assert!(matches!(
        odense.record(std::slice::from_ref(&one)).await.unwrap()[0],
        Recorded::New(_)
    ));
    odense
        .committer()
        .record_one(decision("k2", "d-2"))
        .await
        .unwrap();
    assert_eq!(first.count_decisions().await.unwrap(), 1);
    assert_eq!(odense.count_decisions().await.unwrap(), 2);
    assert_eq!(aarhus.count_decisions().await.unwrap(), 0);
    assert!(aarhus.decision_by_id("d-1").await.unwrap().is_none());
    assert!(first.decision("k2").await.unwrap().is_none());
    let all = AreaScope::All;
    assert!(
        aarhus
            .review_queue(&all, None, 50)
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(odense.review_queue(&all, None, 50).await.unwrap().len(), 2);

    // Users, tokens and sessions belong to one organisation.
    for store in [&first, &odense] {
        store
            .add_user("ada", Role::Admin, None, &[], 1)
            .await
            .unwrap();
    }
    odense.add_token("digest-o", "ada", "api", 1).await.unwrap();
    odense
        .add_session("session-o", "ada", 1, 10_000)
        .await
        .unwrap();
    assert!(odense.user_by_token("digest-o").await.unwrap().is_some());
    assert!(first.user_by_token("digest-o").await.unwrap().is_none());
    assert!(
        first
            .user_by_session("session-o", 2)
            .await
            .unwrap()
            .is_none()
    );
    assert_eq!(aarhus.user_count().await.unwrap(), 0);

    // Pauses, thresholds, activations and secrets too.
    odense
        .set_automation("schools", true, "ada", Some("test"), 5)
        .await
        .unwrap();
    odense
        .set_threshold("schools", Some(0.97), "ada", 5)
        .await
        .unwrap();
    odense
        .record_activation("v2", "abc", "ana", 5, None, None)
        .await
        .unwrap();
    assert!(first.automation().await.unwrap().is_empty());
    assert!(first.thresholds().await.unwrap().is_empty());
    assert!(first.active_model().await.unwrap().is_none());
    assert_eq!(odense.automation().await.unwrap().len(), 1);
    assert_ne!(
        first.secret("audit_salt").await.unwrap(),
        odense.secret("audit_salt").await.unwrap()
    );

    // Reopening finds the organisation's rows again (the schema or file is not recreated).
    odense.close().await;
    let again = Store::open_organisation(&db.database, Some("odense"))
        .await
        .unwrap();
    assert_eq!(again.count_decisions().await.unwrap(), 2);
    assert_eq!(again.user_count().await.unwrap(), 1);
    for s in [first, again, aarhus] {
        s.close().await;
    }
}

async fn an_organisation_name_that_needs_quoting_is_refused(engine: Engine) {
    let db = temp_db(engine).await;
    for bad in ["Odense", "a;drop", "public\"", ""] {
        let opened = Store::open_organisation(&db.database, Some(bad)).await;
        assert!(
            matches!(&opened, Err(StoreError::Organisation { name }) if name == bad),
            "{bad:?}: {opened:?}"
        );
    }
}

kontera_store::on_both_engines!(
    organisations_in_one_database_share_nothing,
    an_organisation_name_that_needs_quoting_is_refused,
);

/// PostgreSQL searches a schema named after the role before `public`: a role named like an
/// organisation's schema would give the deployment's first organisation that organisation's
/// tables, so opening the organisation is refused, naming the fix.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_role_named_like_an_organisations_schema_is_refused() {
    let database = kontera_store::testing::fresh_postgres_database().await;
    let admin = Store::open(&database).await.unwrap();
    admin.close().await;
    let mut conn = <sqlx::PgConnection as sqlx::Connection>::connect(&database)
        .await
        .unwrap();
    // Roles belong to the whole server: create it once, whichever test run comes first.
    sqlx::raw_sql(
        "DO $$ BEGIN CREATE ROLE kontera_shadow LOGIN SUPERUSER; \
         EXCEPTION WHEN duplicate_object THEN NULL; END $$",
    )
    .execute(&mut conn)
    .await
    .unwrap();
    let as_shadow = database.replacen("://kontera@", "://kontera_shadow@", 1);
    assert_ne!(as_shadow, database, "the test URL names the role kontera");
    let opened = Store::open_organisation(&as_shadow, Some("shadow")).await;
    let err = opened.unwrap_err();
    assert!(
        matches!(&err, StoreError::RoleShadowsSchema { schema, organisation, .. }
            if schema == "kontera_shadow" && organisation == "shadow"),
        "{err:?}"
    );
    assert!(
        err.to_string()
            .contains("connect as a role with another name")
    );
    // Another organisation opens as that role.
    let other = Store::open_organisation(&as_shadow, Some("odense"))
        .await
        .unwrap();
    other.close().await;
}
