//! Thresholds that follow the audit: an area's reviewed audit samples with their confidences and
//! its recent eligible confidences (per model version), and the adjustments recorded, listed
//! within a scope and in force per area.

mod common;

use common::{decision, review_of, temp_store};
use kontera_store::{AreaScope, Decision, Engine, Outcome, Store, ThresholdAdjustment};

const DAY: i64 = 86_400_000;
const T0: i64 = 1_770_000_000_000;

/// An audit sample of `area` by `model` received at `at` with `confidence`, both lines coded.
fn audit(id: &str, area: &str, model: &str, at: i64, confidence: f64) -> Decision {
    let mut d = eligible(id, area, model, at, confidence);
    d.would_auto = true;
    d.audit = true;
    d
}

/// A decision the model could have posted (sent to review, say, for its threshold).
fn eligible(id: &str, area: &str, model: &str, at: i64, confidence: f64) -> Decision {
    let mut d = decision(id, id);
    d.area = Some(area.to_owned());
    d.model_version = model.to_owned();
    d.received_at = at;
    d.eligible_confidence = Some(confidence);
    d.lines[1].account = Some("22900".to_owned());
    d
}

/// Reviews a decision, agreeing with its coding or not.
async fn review(store: &Store, id: &str, at: i64, agree: bool) {
    let review = review_of(id, at, agree);
    let stored = store.record_review(&AreaScope::All, &review).await.unwrap();
    assert_eq!(stored.agreed, agree);
}

fn adjustment(area: &str, model: &str, at: i64, threshold: f64) -> ThresholdAdjustment {
    ThresholdAdjustment {
        id: 0,
        area: area.to_owned(),
        model_version: model.to_owned(),
        adjusted_at: at,
        base: 0.95,
        previous: None,
        threshold,
        basis: "credible_breach".to_owned(),
        audited: 40,
        errors: 4,
        expected: 0.8,
        ratio_estimate: Some(5.0),
        ratio_upper: Some(11.5),
        projected_precision: Some(0.991),
        automated_share: 0.4,
        message: format!("{area}: threshold {threshold}"),
    }
}

async fn audit_outcomes_are_the_areas_reviewed_samples_of_the_model_since_a_time(engine: Engine) {
    let (_dir, store) = temp_store(engine).await;
    let mut sample_only = eligible("r-1", "schools", "m@1", T0, 0.97);
    sample_only.outcome = Outcome::Review;
    let mut no_confidence = audit("a-6", "schools", "m@1", T0, 0.5);
    no_confidence.eligible_confidence = None;
    store
        .record(&[
            audit("a-1", "schools", "m@1", T0, 0.99),
            audit("a-2", "schools", "m@1", T0, 0.96),
            audit("a-3", "schools", "m@1", T0, 0.98),
            // Another model, another area, a review that is no audit, no confidence.
            audit("a-4", "schools", "m@2", T0, 0.91),
            audit("a-5", "roads", "m@1", T0, 0.92),
            sample_only,
            no_confidence,
            // Not reviewed.
            audit("a-7", "schools", "m@1", T0, 0.93),
        ])
        .await
        .unwrap();
    review(&store, "a-1", T0 + 3 * DAY, true).await;
    review(&store, "a-2", T0 + 2 * DAY, false).await;
    // Reviewed before the window.
    review(&store, "a-3", T0, false).await;
    for id in ["a-4", "a-5", "r-1", "a-6"] {
        review(&store, id, T0 + DAY, false).await;
    }

    let since = T0 + DAY;
    // In review order.
    assert_eq!(
        store
            .audit_outcomes(Some("schools"), "m@1", since)
            .await
            .unwrap(),
        [(0.96, false), (0.99, true)]
    );
    assert_eq!(
        store
            .audit_outcomes(Some("schools"), "m@2", since)
            .await
            .unwrap(),
        [(0.91, false)]
    );
    assert_eq!(
        store
            .audit_outcomes(Some("schools"), "m@1", T0)
            .await
            .unwrap()
            .len(),
        3
    );
    assert!(
        store
            .audit_outcomes(Some("care"), "m@1", T0)
            .await
            .unwrap()
            .is_empty()
    );
    // Every area's: the schools' and the roads' a-5, in review order.
    assert_eq!(
        store.audit_outcomes(None, "m@1", T0).await.unwrap(),
        [(0.98, false), (0.92, false), (0.96, false), (0.99, true)]
    );
}

async fn eligible_confidences_are_the_latest_of_the_area_and_model(engine: Engine) {
    let (_dir, store) = temp_store(engine).await;
    let mut not_eligible = decision("n-1", "n-1");
    not_eligible.model_version = "m@1".to_owned();
    not_eligible.received_at = T0 + 5 * DAY;
    store
        .record(&[
            eligible("e-1", "schools", "m@1", T0, 0.91),
            eligible("e-2", "schools", "m@1", T0 + DAY, 0.92),
            eligible("e-3", "schools", "m@1", T0 + 2 * DAY, 0.93),
            audit("e-4", "schools", "m@1", T0 + 3 * DAY, 0.99),
            eligible("e-5", "schools", "m@2", T0 + 3 * DAY, 0.5),
            eligible("e-6", "roads", "m@1", T0 + 3 * DAY, 0.6),
            not_eligible,
        ])
        .await
        .unwrap();
    assert_eq!(
        store
            .eligible_confidences("schools", "m@1", T0 + DAY, 100)
            .await
            .unwrap(),
        [0.99f32, 0.93, 0.92]
    );
    // The latest `limit`.
    assert_eq!(
        store
            .eligible_confidences("schools", "m@1", T0, 2)
            .await
            .unwrap(),
        [0.99f32, 0.93]
    );
    assert_eq!(
        store
            .eligible_confidences("schools", "m@2", T0, 100)
            .await
            .unwrap(),
        [0.5f32]
    );
    assert!(
        store
            .eligible_confidences("schools", "m@1", T0 + 4 * DAY, 100)
            .await
            .unwrap()
            .is_empty()
    );
}

/// The confidences come back as the very `f32`s the service decided with, however many digits
/// they need, and in order however many there are; one below 2^-39 within 2^-62 of it.
async fn eligible_confidences_come_back_as_the_f32s_stored(engine: Engine) {
    let (_dir, store) = temp_store(engine).await;
    let given: Vec<f32> = [
        0.989_637_3,
        1.0 - f32::EPSILON,
        0.1,
        1e-7,
        0.333_333_34,
        0.999_999_9,
        0.0,
        1.0,
    ]
    .into_iter()
    .chain((0..300).map(|i| 1.0 - (i as f32) * 3.7e-4))
    .collect();
    let decisions: Vec<Decision> = given
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let id = format!("c-{i}");
            eligible(&id, "parks", "m@1", T0 + i as i64, f64::from(*c))
        })
        .collect();
    store.record(&decisions).await.unwrap();
    let mut newest_first = given.clone();
    newest_first.reverse();
    let read = store
        .eligible_confidences("parks", "m@1", T0, 5_000)
        .await
        .unwrap();
    assert_eq!(read.len(), given.len());
    for (r, g) in read.iter().zip(&newest_first) {
        assert_eq!(r.to_bits(), g.to_bits(), "{r} read for {g}");
    }

    let tiny = 1.234_567e-13_f32;
    let at = T0 + given.len() as i64;
    store
        .record(&[eligible("c-tiny", "ponds", "m@1", at, f64::from(tiny))])
        .await
        .unwrap();
    let read = store
        .eligible_confidences("ponds", "m@1", T0, 5_000)
        .await
        .unwrap();
    assert_eq!(read.len(), 1);
    let error = (f64::from(read[0]) - f64::from(tiny)).abs();
    assert!(error <= 2f64.powi(-62), "{} read for {tiny}", read[0]);
}

async fn adjustments_are_recorded_listed_within_scope_and_the_latest_is_in_force(engine: Engine) {
    let (_dir, store) = temp_store(engine).await;
    assert!(store.current_adjustments("m@1").await.unwrap().is_empty());
    assert!(
        store
            .adjustments(&AreaScope::All, 10)
            .await
            .unwrap()
            .is_empty()
    );

    let first = adjustment("schools", "m@1", T0, 0.99);
    let id1 = store.record_adjustment(&first).await.unwrap();
    // Nothing automated: above 1, and no ratio or projection.
    let never = ThresholdAdjustment {
        previous: Some(0.99),
        ratio_estimate: None,
        ratio_upper: None,
        projected_precision: None,
        basis: "enough_audits".to_owned(),
        ..adjustment("schools", "m@1", T0 + DAY, 1.001)
    };
    let id2 = store.record_adjustment(&never).await.unwrap();
    assert!(id2 > id1);
    // The same time: the later record wins.
    let again = adjustment("roads", "m@1", T0 + DAY, 0.97);
    let later = adjustment("roads", "m@1", T0 + DAY, 0.98);
    store.record_adjustment(&again).await.unwrap();
    let id4 = store.record_adjustment(&later).await.unwrap();
    // Another model's.
    store
        .record_adjustment(&adjustment("schools", "m@2", T0 + 2 * DAY, 0.999))
        .await
        .unwrap();

    let current = store.current_adjustments("m@1").await.unwrap();
    assert_eq!(current.len(), 2);
    assert_eq!(current["schools"], 1.001f32);
    assert_eq!(current["roads"], 0.98f32);
    assert_eq!(
        store.current_adjustments("m@2").await.unwrap()["schools"],
        0.999f32
    );
    assert!(store.current_adjustments("m@3").await.unwrap().is_empty());

    // Newest first, read back as recorded.
    let all = store.adjustments(&AreaScope::All, 10).await.unwrap();
    assert_eq!(all.len(), 5);
    assert_eq!(all[0].model_version, "m@2");
    assert_eq!(all[1].id, id4);
    assert_eq!(all[4], ThresholdAdjustment { id: id1, ..first });
    assert_eq!(all[3], ThresholdAdjustment { id: id2, ..never });
    assert_eq!(
        store.adjustments(&AreaScope::All, 2).await.unwrap().len(),
        2
    );

    // A controller of roads sees only roads'.
    let roads = AreaScope::Only(vec!["roads".to_owned()]);
    let seen = store.adjustments(&roads, 10).await.unwrap();
    assert_eq!(seen.len(), 2);
    assert!(seen.iter().all(|a| a.area == "roads"));
    assert_eq!(seen[0].id, id4);
    let both = AreaScope::Only(vec!["roads".to_owned(), "schools".to_owned()]);
    assert_eq!(store.adjustments(&both, 10).await.unwrap().len(), 5);
    assert!(
        store
            .adjustments(&AreaScope::Only(vec![]), 10)
            .await
            .unwrap()
            .is_empty()
    );
}

async fn a_threshold_that_is_no_confidence_is_refused(engine: Engine) {
    let (_dir, store) = temp_store(engine).await;
    let bad = adjustment("schools", "m@1", T0, 0.0);
    assert!(store.record_adjustment(&bad).await.is_err());
    assert!(store.current_adjustments("m@1").await.unwrap().is_empty());
}

kontera_store::on_both_engines!(
    audit_outcomes_are_the_areas_reviewed_samples_of_the_model_since_a_time,
    eligible_confidences_are_the_latest_of_the_area_and_model,
    eligible_confidences_come_back_as_the_f32s_stored,
    adjustments_are_recorded_listed_within_scope_and_the_latest_is_in_force,
    a_threshold_that_is_no_confidence_is_refused,
);
