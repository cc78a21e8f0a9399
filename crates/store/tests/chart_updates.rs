//! Chart-of-accounts updates: the latest loaded is in force, the log is oldest first without the
//! text, a file is recognised by its digest, and all of it survives reopening.

mod common;

use common::temp_store;
use kontera_store::{Engine, Store};

async fn the_latest_update_is_in_force_and_kept_across_a_restart(engine: Engine) {
    let (db, store) = temp_store(engine).await;
    assert_eq!(store.chart_update().await.unwrap(), None);
    assert_eq!(store.chart_update_id().await.unwrap(), None);
    assert!(!store.chart_update_seen("aa").await.unwrap());
    let first = store
        .record_chart_update(
            "account,valid_to,change,successors\n",
            "aa",
            "config",
            200,
            Some("chart.csv"),
        )
        .await
        .unwrap();
    // Loaded later but stamped earlier (a clock step): ordered by time, so not in force.
    let early = store
        .record_chart_update("early", "bb", "ana", 100, None)
        .await
        .unwrap();
    assert!(early > first);
    let latest = store.chart_update().await.unwrap().unwrap();
    assert_eq!(
        (
            latest.id,
            latest.sha256.as_str(),
            latest.loaded_by.as_str(),
            latest.loaded_at
        ),
        (first, "aa", "config", 200)
    );
    assert_eq!(latest.body, "account,valid_to,change,successors\n");
    assert_eq!(latest.note.as_deref(), Some("chart.csv"));
    assert_eq!(store.chart_update_id().await.unwrap(), Some(first));
    assert!(store.chart_update_seen("bb").await.unwrap());

    let third = store
        .record_chart_update("third", "cc", "ana", 300, None)
        .await
        .unwrap();
    let log = store.chart_update_log().await.unwrap();
    let order: Vec<_> = log
        .iter()
        .map(|u| (u.id, u.loaded_at, u.body.as_str()))
        .collect();
    assert_eq!(
        order,
        vec![(early, 100, ""), (first, 200, ""), (third, 300, "")]
    );
    store.close().await;

    let store = Store::open(&db.database).await.unwrap();
    let latest = store.chart_update().await.unwrap().unwrap();
    assert_eq!((latest.id, latest.body.as_str()), (third, "third"));
}

kontera_store::on_both_engines!(the_latest_update_is_in_force_and_kept_across_a_restart,);
