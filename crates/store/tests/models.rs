//! Model activations in order, audit figures, and the decision count.

mod common;

use common::{decision, temp_store};
use kontera_store::{AuditCounts, Engine, Outcome};

async fn activations_come_back_oldest_first_and_the_latest_is_active(engine: Engine) {
    let (_dir, store) = temp_store(engine).await;
    assert_eq!(store.active_model().await.unwrap(), None);
    store
        .record_activation(
            "v1",
            "sha-v1",
            "anna",
            100,
            Some("first"),
            Some("cmp.json sha256:ab"),
        )
        .await
        .unwrap();
    store
        .record_activation("v3", "sha-v3", "carl", 300, None, None)
        .await
        .unwrap();
    // Recorded later but activated earlier (a clock or import): ordered by time.
    store
        .record_activation("v2", "sha-v2", "bo", 200, None, None)
        .await
        .unwrap();
    // Same time as v3 but recorded after it: insertion order breaks the tie.
    store
        .record_activation("v1", "sha-v1", "dora", 300, Some("rollback"), None)
        .await
        .unwrap();

    let all = store.activations().await.unwrap();
    let order: Vec<_> = all
        .iter()
        .map(|a| (a.version.as_str(), a.activated_at))
        .collect();
    assert_eq!(
        order,
        vec![("v1", 100), ("v2", 200), ("v3", 300), ("v1", 300)]
    );
    assert_eq!(all[0].note.as_deref(), Some("first"));
    assert_eq!(all[0].report.as_deref(), Some("cmp.json sha256:ab"));
    assert_eq!(all[1].report, None);
    assert_eq!(all[1].checksum.as_deref(), Some("sha-v2"));
    let active = store.active_model().await.unwrap().unwrap();
    assert_eq!(
        (active.version.as_str(), active.activated_by.as_str()),
        ("v1", "dora")
    );
    // Rolling back from v1 goes to the latest other version.
    assert_eq!(
        store.rollback_target("v1").await.unwrap().as_deref(),
        Some("v3")
    );
    assert_eq!(
        store.rollback_target("v3").await.unwrap().as_deref(),
        Some("v1")
    );
}

async fn audit_counts_add_up_and_respect_since(engine: Engine) {
    let (_dir, store) = temp_store(engine).await;
    let mut batch = Vec::new();
    for i in 0..10 {
        let mut d = decision(&format!("k-{i}"), &format!("d-{i}"));
        d.received_at = 1_000 + i;
        // 0-5 would be automatic; of those 1 and 4 are audit samples; 6-9 go to review.
        if i < 6 {
            d.would_auto = true;
            d.audit = i == 1 || i == 4;
            d.outcome = if d.audit {
                Outcome::Review
            } else {
                Outcome::Auto
            };
        }
        batch.push(d);
    }
    store.record(&batch).await.unwrap();

    let all = store.audit_counts(None).await.unwrap();
    assert_eq!(
        all,
        AuditCounts {
            decisions: 10,
            would_auto: 6,
            audited: 2,
            automatic: 4
        }
    );
    assert_eq!(all.audit_rate(), Some(2.0 / 6.0));
    let since = store.audit_counts(Some(1_004)).await.unwrap();
    assert_eq!(
        since,
        AuditCounts {
            decisions: 6,
            would_auto: 2,
            audited: 1,
            automatic: 1
        }
    );
    let none = store.audit_counts(Some(5_000)).await.unwrap();
    assert_eq!(none, AuditCounts::default());
    assert_eq!(none.audit_rate(), None);
    assert_eq!(store.count_decisions().await.unwrap(), 10);
    assert!(store.integrity_check().await.unwrap());
}

kontera_store::on_both_engines!(
    activations_come_back_oldest_first_and_the_latest_is_active,
    audit_counts_add_up_and_respect_since,
);
