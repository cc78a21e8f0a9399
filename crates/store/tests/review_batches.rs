//! Reviews recorded as a batch ([`Store::record_reviews`], as a replay of history records the
//! controllers' codings of a day): stored exactly as one at a time would store them, the codes'
//! per-day evidence included, across the statements a batch is split into; all or nothing.

mod common;

use common::{decision, temp_store};
use kontera_store::{
    AreaScope, CodeField, Decision, Engine, NewReview, ReviewLine, Store, StoreError,
};

const DAY: i64 = 86_400_000;

/// More than one statement's worth (16), so the reads and writes are split.
const REVIEWS: usize = 37;

/// A decision sent to review: common's two-line invoice (line 1 suggests 22100 / 4711).
fn case(i: usize) -> Decision {
    let id = format!("d-{i:02}");
    let mut d = decision(&id, &id);
    d.area = Some(
        if i.is_multiple_of(2) {
            "schools"
        } else {
            "roads"
        }
        .to_owned(),
    );
    d.received_at = i64::try_from(i).unwrap();
    d
}

/// The controller's coding of decision `i`, reviewed on day 10 or 11: line 1 as suggested for
/// most, otherwise for every fifth; line 2 coded.
fn review(i: usize) -> NewReview {
    let corrected = i.is_multiple_of(5);
    NewReview {
        decision_id: format!("d-{i:02}"),
        reviewer: format!("controller-{}", i % 3),
        reviewed_at: (10 + i64::try_from(i % 2).unwrap()) * DAY + i64::try_from(i).unwrap(),
        lines: vec![
            ReviewLine {
                line_no: 1,
                account: if corrected { "22300" } else { "22100" }.to_owned(),
                cost_centre: Some("4711".to_owned()),
                vat_code: Some("I25".to_owned()),
            },
            ReviewLine {
                line_no: 2,
                account: "22900".to_owned(),
                cost_centre: None,
                vat_code: None,
            },
        ],
    }
}

async fn stored_with_decisions(engine: Engine) -> (common::TestDb, Store) {
    let (db, store) = temp_store(engine).await;
    let cases: Vec<Decision> = (0..REVIEWS).map(case).collect();
    store.record(&cases).await.unwrap();
    (db, store)
}

async fn a_batch_is_stored_as_one_review_at_a_time_would_store_it(engine: Engine) {
    let reviews: Vec<NewReview> = (0..REVIEWS).map(review).collect();
    let (_a, one_by_one) = stored_with_decisions(engine).await;
    let mut singly = Vec::new();
    for r in &reviews {
        singly.push(one_by_one.record_review(&AreaScope::All, r).await.unwrap());
    }
    let (_b, batched) = stored_with_decisions(engine).await;
    let together = batched
        .record_reviews(&AreaScope::All, &reviews)
        .await
        .unwrap();
    assert_eq!(together, singly);
    assert_eq!(together.iter().filter(|r| !r.lines[0].matches).count(), 8);

    for r in &reviews {
        let a = one_by_one.review(&AreaScope::All, &r.decision_id).await;
        let b = batched.review(&AreaScope::All, &r.decision_id).await;
        assert_eq!(b.unwrap(), a.unwrap(), "{}", r.decision_id);
    }
    // The codes' evidence: whole days from the per-day sums, partial days from the lines.
    let codes = [
        (CodeField::Account, "22100"),
        (CodeField::CostCentre, "4711"),
    ];
    for (since, until) in [
        (0, 20 * DAY),
        (10 * DAY + 5, 11 * DAY + 20),
        (11 * DAY, 12 * DAY),
    ] {
        let a = one_by_one
            .code_standings(&codes, since, until)
            .await
            .unwrap();
        let b = batched.code_standings(&codes, since, until).await.unwrap();
        for (a, b) in a.iter().zip(&b) {
            // The predicted errors are sums of the same confidences, in another order.
            assert_eq!(
                (b.held, b.evidence.reviewed, b.evidence.corrected),
                (a.held, a.evidence.reviewed, a.evidence.corrected),
                "window {since}..{until}"
            );
            assert!((b.evidence.expected - a.evidence.expected).abs() < 1e-9);
        }
    }
    // The group's newest line of each suggested coding: the latest reviewed (d-35, on day 11),
    // though the batch holds the reviews out of time order.
    let newest = batched
        .group_reviews("12345678", Some("unit-7"), 0)
        .await
        .unwrap();
    let singly_newest = one_by_one.group_reviews("12345678", Some("unit-7"), 0);
    assert_eq!(newest, singly_newest.await.unwrap());
    assert_eq!(newest.len(), 2);
    assert!(newest.iter().all(|g| g.decision_id == "d-35"), "{newest:?}");
    let all = batched.code_standings(&codes, 0, 20 * DAY).await.unwrap();
    assert_eq!(all[0].evidence.reviewed, REVIEWS as u64);
    assert_eq!(all[0].evidence.corrected, 8);
    assert!(
        batched
            .review_queue(&AreaScope::All, None, 100)
            .await
            .unwrap()
            .is_empty()
    );
}

async fn a_batch_is_all_or_nothing(engine: Engine) {
    let (_db, store) = stored_with_decisions(engine).await;
    // An unknown decision late in the batch, in its third statement.
    let mut reviews: Vec<NewReview> = (0..REVIEWS).map(review).collect();
    reviews[34].decision_id = "d-unknown".to_owned();
    let err = store
        .record_reviews(&AreaScope::All, &reviews)
        .await
        .unwrap_err();
    assert!(
        matches!(&err, StoreError::UnknownDecision { decision_id } if decision_id == "d-unknown"),
        "{err:?}"
    );
    // Outside the controller's areas looks the same.
    let reviews: Vec<NewReview> = (0..REVIEWS).map(review).collect();
    let schools = AreaScope::Only(vec!["schools".to_owned()]);
    let err = store.record_reviews(&schools, &reviews).await.unwrap_err();
    assert!(
        matches!(&err, StoreError::UnknownDecision { decision_id } if decision_id == "d-01"),
        "{err:?}"
    );
    // The same decision twice, in different statements: the second names the first reviewer.
    let mut twice: Vec<NewReview> = (0..REVIEWS).map(review).collect();
    twice[30] = review(3);
    twice[30].reviewer = "someone else".to_owned();
    let err = store
        .record_reviews(&AreaScope::All, &twice)
        .await
        .unwrap_err();
    assert!(
        matches!(&err, StoreError::AlreadyReviewed { decision_id, reviewer }
            if decision_id == "d-03" && reviewer == "controller-0"),
        "{err:?}"
    );
    // Nothing of the three was written.
    let queue = store
        .review_queue(&AreaScope::All, None, 100)
        .await
        .unwrap();
    assert_eq!(queue.len(), REVIEWS);
    let standing = store
        .code_standings(&[(CodeField::Account, "22100")], 0, 20 * DAY)
        .await
        .unwrap();
    assert_eq!(standing[0].evidence.reviewed, 0);
    // And the batch goes in afterwards.
    let stored = store
        .record_reviews(&AreaScope::All, &reviews)
        .await
        .unwrap();
    assert_eq!(stored.len(), REVIEWS);
}

kontera_store::on_both_engines!(
    a_batch_is_stored_as_one_review_at_a_time_would_store_it,
    a_batch_is_all_or_nothing,
);
