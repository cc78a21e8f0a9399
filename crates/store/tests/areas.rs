//! Per-area controls: automation pauses with their history, threshold overrides with theirs.

mod common;

use common::temp_store;
use kontera_store::{AreaAutomation, Engine, StoreError, ThresholdChange};

async fn pause_and_resume_keep_the_latest_state_and_the_history(engine: Engine) {
    let (_dir, store) = temp_store(engine).await;
    let paused = store
        .set_automation("schools", true, "anna", Some("new chart"), 100)
        .await
        .unwrap();
    assert_eq!(
        paused,
        AreaAutomation {
            area: "schools".to_owned(),
            paused: true,
            changed_by: "anna".to_owned(),
            reason: Some("new chart".to_owned()),
            changed_at: 100,
        }
    );
    store
        .set_automation("roads", true, "bo", None, 150)
        .await
        .unwrap();
    store
        .set_automation("schools", false, "carl", None, 200)
        .await
        .unwrap();

    let now = store.automation().await.unwrap();
    let summary: Vec<_> = now
        .iter()
        .map(|a| (a.area.as_str(), a.paused, a.changed_by.as_str()))
        .collect();
    assert_eq!(
        summary,
        vec![("roads", true, "bo"), ("schools", false, "carl")]
    );
    assert_eq!(now[1].reason, None);

    let history = store.automation_history("schools").await.unwrap();
    let steps: Vec<_> = history
        .iter()
        .map(|a| (a.paused, a.changed_at, a.reason.as_deref()))
        .collect();
    assert_eq!(
        steps,
        vec![(true, 100, Some("new chart")), (false, 200, None)]
    );
    assert_eq!(store.automation_history("roads").await.unwrap().len(), 1);
}

async fn thresholds_are_set_replaced_and_removed(engine: Engine) {
    let (_dir, store) = temp_store(engine).await;
    store
        .set_threshold("schools", Some(0.9), "anna", 100)
        .await
        .unwrap();
    store
        .set_threshold("roads", Some(1.0), "anna", 110)
        .await
        .unwrap();
    store
        .set_threshold("schools", Some(0.95), "bo", 120)
        .await
        .unwrap();
    assert_eq!(
        store.thresholds().await.unwrap(),
        vec![("roads".to_owned(), 1.0), ("schools".to_owned(), 0.95)]
    );
    store
        .set_threshold("schools", None, "carl", 130)
        .await
        .unwrap();
    assert_eq!(
        store.thresholds().await.unwrap(),
        vec![("roads".to_owned(), 1.0)]
    );

    let history = store.threshold_history("schools").await.unwrap();
    assert_eq!(
        history
            .iter()
            .map(|c| (c.threshold, c.set_at))
            .collect::<Vec<_>>(),
        vec![(Some(0.9), 100), (Some(0.95), 120), (None, 130)]
    );
    assert_eq!(
        history[2],
        ThresholdChange {
            area: "schools".to_owned(),
            threshold: None,
            set_by: "carl".to_owned(),
            set_at: 130
        }
    );
}

async fn a_threshold_outside_zero_to_one_is_refused(engine: Engine) {
    let (_dir, store) = temp_store(engine).await;
    for bad in [0.0, -0.1, 1.0001, f64::NAN, f64::INFINITY] {
        let err = store
            .set_threshold("schools", Some(bad), "anna", 1)
            .await
            .unwrap_err();
        assert!(
            matches!(err, StoreError::Threshold { .. }),
            "{bad}: {err:?}"
        );
        assert!(err.to_string().contains("(0, 1]"), "{err}");
    }
    assert!(store.thresholds().await.unwrap().is_empty());
    assert!(store.threshold_history("schools").await.unwrap().is_empty());
}

kontera_store::on_both_engines!(
    pause_and_resume_keep_the_latest_state_and_the_history,
    thresholds_are_set_replaced_and_removed,
    a_threshold_outside_zero_to_one_is_refused,
);
