//! Group commit: concurrent callers each get their own durable result; a bad decision fails
//! only its own caller.

mod common;

use common::{decision, temp_store};
use kontera_store::{Engine, StoreError};

async fn concurrent_callers_each_get_their_decision(engine: Engine) {
    let (_dir, store) = temp_store(engine).await;
    let committer = store.committer();
    let tasks: Vec<_> = (0..200)
        .map(|i| {
            let committer = committer.clone();
            // Keys repeat every 50: 50 new decisions, 150 repeats.
            tokio::spawn(async move {
                committer
                    .record_one(decision(&format!("k-{}", i % 50), &format!("d-{i}")))
                    .await
            })
        })
        .collect();
    let mut new = 0;
    for (i, task) in tasks.into_iter().enumerate() {
        let recorded = task.await.unwrap().unwrap();
        assert_eq!(recorded.decision().key, format!("k-{}", i % 50));
        new += usize::from(recorded.is_new());
    }
    assert_eq!(new, 50);
    assert_eq!(store.count_decisions().await.unwrap(), 50);
    assert_eq!(store.decision("k-7").await.unwrap().unwrap().lines.len(), 2);
}

async fn a_bad_decision_fails_only_its_caller(engine: Engine) {
    let (_dir, store) = temp_store(engine).await;
    store.record(&[decision("k-0", "taken")]).await.unwrap();
    let committer = store.committer();
    let tasks: Vec<_> = (1..=40)
        .map(|i| {
            let committer = committer.clone();
            let id = if i == 20 {
                "taken".to_owned()
            } else {
                format!("d-{i}")
            };
            tokio::spawn(
                async move { committer.record_one(decision(&format!("k-{i}"), &id)).await },
            )
        })
        .collect();
    let mut failed = Vec::new();
    for (i, task) in (1..=40).zip(tasks) {
        if let Err(err) = task.await.unwrap() {
            assert!(matches!(err, StoreError::DecisionIdTaken { .. }), "{err:?}");
            failed.push(i);
        }
    }
    assert_eq!(failed, vec![20]);
    assert_eq!(store.count_decisions().await.unwrap(), 40);
    assert!(store.decision("k-20").await.unwrap().is_none());
}

async fn an_invalid_decision_is_refused_before_queueing(engine: Engine) {
    let (_dir, store) = temp_store(engine).await;
    let committer = store.committer();
    let mut bad = decision("k-1", "d-1");
    bad.lines[0].confidence = 1.5;
    let err = committer.record_one(bad).await.unwrap_err();
    assert!(matches!(err, StoreError::Invalid { .. }), "{err:?}");
    assert!(
        committer
            .record_one(decision("k-1", "d-1"))
            .await
            .unwrap()
            .is_new()
    );
}

async fn a_closed_store_fails_the_caller(engine: Engine) {
    let (_dir, store) = temp_store(engine).await;
    let committer = store.committer();
    store.close().await;
    let err = committer
        .record_one(decision("k-1", "d-1"))
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::Database { .. }), "{err:?}");
}

kontera_store::on_both_engines!(
    concurrent_callers_each_get_their_decision,
    a_bad_decision_fails_only_its_caller,
    an_invalid_decision_is_refused_before_queueing,
    a_closed_store_fails_the_caller,
);
