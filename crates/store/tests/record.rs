//! Recording: new and repeated keys, concurrency through the unique key, all-or-nothing
//! batches, exact decimals, and the rules checked before writing.

mod common;

use common::{dec, decision, temp_store};
use kontera_store::{Decision, Engine, Outcome, Recorded, Store, StoreError};

async fn a_repeat_returns_the_stored_decision_and_writes_nothing(engine: Engine) {
    let (_dir, store) = temp_store(engine).await;
    let first = store.record(&[decision("k-1", "d-1")]).await.unwrap();
    assert_eq!(first, vec![Recorded::New(decision("k-1", "d-1"))]);

    // The client re-sends; the service computes a fresh decision id and another response.
    let mut again = decision("k-1", "d-2");
    again.response = "something else".to_owned();
    let second = store.record(&[again]).await.unwrap();
    let [Recorded::Repeat(stored)] = second.as_slice() else {
        panic!("{second:?}")
    };
    assert_eq!(stored.decision_id, "d-1");
    assert_eq!(stored.response, decision("k-1", "d-1").response);
    assert_eq!(store.count_decisions().await.unwrap(), 1);
    assert!(store.decision_by_id("d-2").await.unwrap().is_none());
}

async fn a_stored_decision_reads_back_by_key_and_by_id(engine: Engine) {
    let (_dir, store) = temp_store(engine).await;
    let mut d = decision("k-1", "d-1");
    d.outcome = Outcome::Auto;
    d.would_auto = true;
    d.area = None;
    d.reasons = Vec::new();
    store.record(std::slice::from_ref(&d)).await.unwrap();
    assert_eq!(store.decision("k-1").await.unwrap(), Some(d.clone()));
    assert_eq!(store.decision_by_id("d-1").await.unwrap(), Some(d));
    assert_eq!(store.decision("k-2").await.unwrap(), None);
}

async fn decimals_round_trip_exactly(engine: Engine) {
    let (_dir, store) = temp_store(engine).await;
    let mut d = decision("k-1", "d-1");
    d.total = dec("12345678901234.5678");
    d.lines[0].net_amount = dec("-0.0001");
    d.lines[1].net_amount = dec("-79228162514264337593543950335");
    store.record(&[d]).await.unwrap();
    let stored = store.decision("k-1").await.unwrap().unwrap();
    assert_eq!(stored.total.to_string(), "12345678901234.5678");
    assert_eq!(stored.lines[0].net_amount.to_string(), "-0.0001");
    assert_eq!(
        stored.lines[1].net_amount.to_string(),
        "-79228162514264337593543950335"
    );
    // Scale is kept, not only the value.
    let mut e = decision("k-2", "d-2");
    e.total = dec("100.50");
    store.record(&[e]).await.unwrap();
    assert_eq!(
        store
            .decision("k-2")
            .await
            .unwrap()
            .unwrap()
            .total
            .to_string(),
        "100.50"
    );
}

async fn concurrent_records_of_one_key_store_one_decision(engine: Engine) {
    let (_dir, store) = temp_store(engine).await;
    let tasks: Vec<_> = (0..20)
        .map(|i| {
            let store = store.clone();
            tokio::spawn(async move {
                store
                    .record(&[decision("k-1", &format!("d-{i}"))])
                    .await
                    .unwrap()
                    .remove(0)
            })
        })
        .collect();
    let mut new = 0;
    let mut ids = Vec::new();
    for task in tasks {
        let recorded = task.await.unwrap();
        new += usize::from(recorded.is_new());
        ids.push(recorded.into_decision().decision_id);
    }
    assert_eq!(new, 1);
    assert!(ids.iter().all(|id| *id == ids[0]), "{ids:?}");
    assert_eq!(store.count_decisions().await.unwrap(), 1);
}

async fn two_stores_on_one_database_store_one_decision_per_key(engine: Engine) {
    // Two stores stand for two service processes: each has its own writer connection, so the
    // database's lock and unique key decide, not the pool.
    let (db, a) = temp_store(engine).await;
    let b = Store::open(&db.database).await.unwrap();
    let tasks: Vec<_> = (0..20)
        .map(|i| {
            let store = if i % 2 == 0 { a.clone() } else { b.clone() };
            tokio::spawn(async move {
                let key = format!("k-{}", i % 5);
                store
                    .record(&[decision(&key, &format!("d-{i}"))])
                    .await
                    .unwrap()
                    .remove(0)
            })
        })
        .collect();
    let mut new = 0;
    for task in tasks {
        new += usize::from(task.await.unwrap().is_new());
    }
    assert_eq!(new, 5);
    assert_eq!(a.count_decisions().await.unwrap(), 5);
    assert_eq!(b.count_decisions().await.unwrap(), 5);
}

async fn a_failing_batch_stores_nothing(engine: Engine) {
    let (_dir, store) = temp_store(engine).await;
    store.record(&[decision("k-1", "d-1")]).await.unwrap();
    // The batch's second decision reuses d-1 under another key: the first must not stay.
    let batch = [decision("k-2", "d-2"), decision("k-3", "d-1")];
    let err = store.record(&batch).await.unwrap_err();
    assert!(
        matches!(&err, StoreError::DecisionIdTaken { decision_id } if decision_id == "d-1"),
        "{err:?}"
    );
    assert_eq!(store.count_decisions().await.unwrap(), 1);
    assert!(store.decision("k-2").await.unwrap().is_none());
    assert!(store.decision_by_id("d-2").await.unwrap().is_none());
    // The store still works after the rollback.
    store.record(&[decision("k-2", "d-2")]).await.unwrap();
    assert_eq!(store.count_decisions().await.unwrap(), 2);
}

async fn a_key_twice_in_one_batch_is_new_then_repeat(engine: Engine) {
    let (_dir, store) = temp_store(engine).await;
    let recorded = store
        .record(&[decision("k-1", "d-1"), decision("k-1", "d-2")])
        .await
        .unwrap();
    assert!(recorded[0].is_new());
    assert_eq!(recorded[1], Recorded::Repeat(decision("k-1", "d-1")));
    assert_eq!(store.count_decisions().await.unwrap(), 1);
}

async fn broken_rules_are_refused_before_writing(engine: Engine) {
    let (_dir, store) = temp_store(engine).await;
    let mut audit_auto = decision("k-2", "d-2");
    audit_auto.audit = true;
    audit_auto.would_auto = true;
    audit_auto.outcome = Outcome::Auto;
    let mut auto_not_would = decision("k-3", "d-3");
    auto_not_would.outcome = Outcome::Auto;
    let mut bad_reason = decision("k-4", "d-4");
    bad_reason.reasons.push("two\nlines".to_owned());
    let mut same_line_no = decision("k-5", "d-5");
    same_line_no.lines[1].line_no = 1;
    let mut no_key = decision("", "d-6");
    no_key.number = "x".to_owned();
    for bad in [audit_auto, auto_not_would, bad_reason, same_line_no, no_key] {
        let batch = [decision("k-1", "d-1"), bad];
        let err = store.record(&batch).await.unwrap_err();
        assert!(matches!(err, StoreError::Invalid { .. }), "{err:?}");
    }
    assert_eq!(store.count_decisions().await.unwrap(), 0);
}

async fn many_lines_and_no_lines_round_trip(engine: Engine) {
    let (_dir, store) = temp_store(engine).await;
    // More lines than one insert statement takes, in a shuffled order: they come back by number.
    let mut many = decision("k-1", "d-1");
    let template = many.lines[0].clone();
    many.lines = (0..1100u32)
        .map(|i| {
            let mut line = template.clone();
            line.line_no = (i * 7) % 1100 + 1;
            line.net_amount = dec(&format!("{i}.{i:02}"));
            line
        })
        .collect();
    let mut none = decision("k-2", "d-2");
    none.lines.clear();
    store.record(&[many.clone(), none.clone()]).await.unwrap();
    many.lines.sort_by_key(|l| l.line_no);
    assert_eq!(store.decision("k-1").await.unwrap(), Some(many));
    assert_eq!(store.decision("k-2").await.unwrap(), Some(none));
}

async fn a_large_batch_spans_several_statements_with_repeats_anywhere(engine: Engine) {
    // 700 decisions (many multi-row statements), with a key stored before, a key repeated
    // within one statement's rows (1 and 3) and keys repeated across statements.
    let (_dir, store) = temp_store(engine).await;
    let before = decision("k-before", "d-before");
    store.record(std::slice::from_ref(&before)).await.unwrap();
    let mut batch: Vec<_> = (0..700)
        .map(|i| {
            let mut d = decision(&format!("k-{i}"), &format!("d-{i}"));
            d.lines[0].net_amount = dec(&format!("{i}.25"));
            d
        })
        .collect();
    batch[3] = decision("k-1", "d-x3");
    batch[10] = decision("k-before", "d-x10");
    batch[20] = decision("k-5", "d-x20");
    batch[600] = decision("k-7", "d-x600");
    let recorded = store.record(&batch).await.unwrap();
    let repeats: Vec<usize> = (0..700).filter(|&i| !recorded[i].is_new()).collect();
    assert_eq!(repeats, [3, 10, 20, 600]);
    assert_eq!(recorded[3], Recorded::Repeat(batch[1].clone()));
    assert_eq!(recorded[10], Recorded::Repeat(before));
    assert_eq!(recorded[20], Recorded::Repeat(batch[5].clone()));
    assert_eq!(recorded[600], Recorded::Repeat(batch[7].clone()));
    assert_eq!(store.count_decisions().await.unwrap(), 1 + 696);
    for i in [0, 255, 256, 257, 511, 699] {
        let key = format!("k-{i}");
        assert_eq!(
            store.decision(&key).await.unwrap().as_ref(),
            Some(&batch[i]),
            "{key}"
        );
    }
    // A reused decision id in the middle of a large batch is named, and nothing is stored.
    let mut clash: Vec<_> = (0..300)
        .map(|i| decision(&format!("c-{i}"), &format!("e-{i}")))
        .collect();
    clash[280].decision_id = "d-300".to_owned();
    let err = store.record(&clash).await.unwrap_err();
    assert!(
        matches!(&err, StoreError::DecisionIdTaken { decision_id } if decision_id == "d-300"),
        "{err:?}"
    );
    assert_eq!(store.count_decisions().await.unwrap(), 1 + 696);
}

async fn an_empty_batch_is_fine(engine: Engine) {
    let (_dir, store) = temp_store(engine).await;
    assert!(store.record(&[]).await.unwrap().is_empty());
}

/// On SQLite a response is stored compressed, a BLOB a fraction of its size; a response stored
/// as text (every row before, and any row on PostgreSQL) reads back as it is, and a damaged one
/// is an error that names its decision.
#[tokio::test]
async fn sqlite_stores_responses_compressed_and_reads_the_text_of_before() {
    use sqlx::Connection;
    let (db, store) = temp_store(Engine::Sqlite).await;
    let lines: Vec<String> = (0..60)
        .map(|i| format!("{{\"line_no\":{i},\"account\":\"5.25.18-1-2.21\",\"band\":\"high\"}}"))
        .collect();
    let mut packed = decision("k-1", "d-1");
    packed.response = format!("{{\"lines\":[{}]}}", lines.join(","));
    let (before, damaged) = (decision("k-2", "d-2"), decision("k-3", "d-3"));
    store
        .record(&[packed.clone(), before.clone(), damaged])
        .await
        .unwrap();
    let mut raw = sqlx::SqliteConnection::connect(&db.database).await.unwrap();
    let (kind, bytes): (String, i64) = sqlx::query_as(
        "SELECT typeof(response), length(response) FROM decisions WHERE decision_id = 'd-1'",
    )
    .fetch_one(&mut raw)
    .await
    .unwrap();
    assert_eq!(kind, "blob");
    assert!(
        (bytes as usize) * 5 < packed.response.len(),
        "{bytes} bytes for {}",
        packed.response.len()
    );
    assert_eq!(store.decision("k-1").await.unwrap(), Some(packed));

    let update = "UPDATE decisions SET response = ? WHERE decision_id = ?";
    sqlx::query(update)
        .bind("{\"as\":\"text\"}")
        .bind("d-2")
        .execute(&mut raw)
        .await
        .unwrap();
    // The format byte, a length of 2^31 - 1, a block of one byte.
    sqlx::query(update)
        .bind(vec![1u8, 0xFF, 0xFF, 0xFF, 0x7F, 0])
        .bind("d-3")
        .execute(&mut raw)
        .await
        .unwrap();
    let text = store.decision_by_id("d-2").await.unwrap().unwrap();
    assert_eq!(text.response, "{\"as\":\"text\"}");
    assert_eq!(
        text,
        Decision {
            response: text.response.clone(),
            ..before
        }
    );
    let err = store.decision_by_id("d-3").await.unwrap_err();
    assert!(
        matches!(&err, StoreError::Corrupt { column: "response", row, .. } if row == "decision \"d-3\""),
        "{err:?}"
    );
}

kontera_store::on_both_engines!(
    a_large_batch_spans_several_statements_with_repeats_anywhere,
    a_repeat_returns_the_stored_decision_and_writes_nothing,
    a_stored_decision_reads_back_by_key_and_by_id,
    decimals_round_trip_exactly,
    concurrent_records_of_one_key_store_one_decision,
    two_stores_on_one_database_store_one_decision_per_key,
    a_failing_batch_stores_nothing,
    a_key_twice_in_one_batch_is_new_then_repeat,
    broken_rules_are_refused_before_writing,
    many_lines_and_no_lines_round_trip,
    an_empty_batch_is_fine,
);
