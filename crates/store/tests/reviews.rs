//! The review workspace: the queue and its reason filter, opening a decision, recording a review
//! (once, with exactly the decision's lines, matches against the suggestion) and the export —
//! each within an area scope, so a controller never sees another area's rows.

mod common;

use common::{dec, decision, temp_store};
use kontera_store::{
    AreaScope, Decision, Engine, ExportedLine, ExportedReview, NewReview, Outcome, ReviewLine,
    ReviewedLine, StoreError, StoredReview,
};

/// A decision sent to review (common's two-line invoice, key = id) of an area, received at `at`.
fn case(id: &str, area: Option<&str>, at: i64) -> Decision {
    let mut d = decision(id, id);
    d.area = area.map(str::to_owned);
    d.received_at = at;
    d
}

fn only(areas: &[&str]) -> AreaScope {
    AreaScope::Only(areas.iter().map(|a| (*a).to_owned()).collect())
}

fn line(line_no: u32, account: &str, cost_centre: Option<&str>, vat: Option<&str>) -> ReviewLine {
    ReviewLine {
        line_no,
        account: account.to_owned(),
        cost_centre: cost_centre.map(str::to_owned),
        vat_code: vat.map(str::to_owned),
    }
}

fn new_review(id: &str, reviewer: &str, at: i64, lines: Vec<ReviewLine>) -> NewReview {
    NewReview {
        decision_id: id.to_owned(),
        reviewer: reviewer.to_owned(),
        reviewed_at: at,
        lines,
    }
}

/// A review of common's two-line decision: line 1 as suggested, line 2 (no suggestion) coded.
fn two_lines(id: &str, reviewer: &str, at: i64) -> NewReview {
    new_review(
        id,
        reviewer,
        at,
        vec![
            line(1, "22100", Some("4711"), Some("I25")),
            line(2, "22900", None, None),
        ],
    )
}

fn ids(items: &[kontera_store::QueueItem]) -> Vec<&str> {
    items.iter().map(|i| i.decision_id.as_str()).collect()
}

async fn the_queue_lists_open_reviews_oldest_first_within_the_scope(engine: Engine) {
    let (_dir, store) = temp_store(engine).await;
    let mut auto = case("d-auto", Some("schools"), 50);
    auto.outcome = Outcome::Auto;
    auto.would_auto = true;
    let mut audit = case("d-audit", Some("roads"), 400);
    audit.would_auto = true;
    audit.audit = true;
    store
        .record(&[
            case("d-1", Some("schools"), 300),
            case("d-2", Some("roads"), 100),
            case("d-3", None, 200),
            case("d-0", Some("schools"), 100),
            case("d-done", Some("schools"), 10),
            auto,
            audit,
        ])
        .await
        .unwrap();
    store
        .record_review(&AreaScope::All, &two_lines("d-done", "anna", 1_000))
        .await
        .unwrap();

    let all = store
        .review_queue(&AreaScope::All, None, 100)
        .await
        .unwrap();
    // Same received_at: by decision id. Automatic and reviewed decisions are not in the queue.
    assert_eq!(ids(&all), ["d-0", "d-2", "d-3", "d-1", "d-audit"]);
    assert_eq!(
        all[2],
        kontera_store::QueueItem {
            decision_id: "d-3".to_owned(),
            received_at: 200,
            supplier: "12345678".to_owned(),
            number: "INV-d-3".to_owned(),
            document_type: "invoice".to_owned(),
            issue_date: common::date("2025-03-14"),
            total: dec("1250.00"),
            currency: "DKK".to_owned(),
            area: None,
            unit: Some("unit-7".to_owned()),
            audit: false,
            reasons: vec!["low_confidence".to_owned(), "new_supplier".to_owned()],
        }
    );
    assert!(all[4].audit);

    let schools = store.review_queue(&only(&["schools"]), None, 100).await;
    assert_eq!(ids(&schools.unwrap()), ["d-0", "d-1"]);
    let two = store
        .review_queue(&only(&["schools", "roads"]), None, 100)
        .await
        .unwrap();
    assert_eq!(ids(&two), ["d-0", "d-2", "d-1", "d-audit"]);
    let other = store.review_queue(&only(&["harbour"]), None, 100).await;
    assert!(other.unwrap().is_empty());
    let none = store.review_queue(&only(&[]), None, 100).await;
    assert!(none.unwrap().is_empty());
    let limited = store.review_queue(&AreaScope::All, None, 2).await.unwrap();
    assert_eq!(ids(&limited), ["d-0", "d-2"]);
}

async fn the_reason_filter_matches_whole_codes_only(engine: Engine) {
    let (_dir, store) = temp_store(engine).await;
    let with = |id: &str, area: &str, reasons: &[&str]| {
        let mut d = case(id, Some(area), 0);
        d.reasons = reasons.iter().map(|r| (*r).to_owned()).collect();
        d
    };
    store
        .record(&[
            with("d-1", "schools", &["ab"]),
            with("d-2", "schools", &["a", "x"]),
            with("d-3", "schools", &["x", "a"]),
            with("d-4", "roads", &["a"]),
            with("d-5", "schools", &["b_c"]),
            with("d-6", "schools", &["bxc", "x", "x"]),
            with("d-7", "schools", &[]),
        ])
        .await
        .unwrap();
    let filter = |scope: AreaScope, code: &'static str| {
        let store = store.clone();
        async move {
            let items = store.review_queue(&scope, Some(code), 100).await.unwrap();
            ids(&items)
                .into_iter()
                .map(str::to_owned)
                .collect::<Vec<_>>()
        }
    };
    assert_eq!(filter(AreaScope::All, "a").await, ["d-2", "d-3", "d-4"]);
    assert_eq!(filter(only(&["schools"]), "a").await, ["d-2", "d-3"]);
    assert_eq!(filter(AreaScope::All, "ab").await, ["d-1"]);
    assert_eq!(filter(AreaScope::All, "b").await, Vec::<String>::new());
    // `_` is not a wildcard, and codes are compared case-sensitively.
    assert_eq!(filter(AreaScope::All, "b_c").await, ["d-5"]);
    assert_eq!(filter(AreaScope::All, "A").await, Vec::<String>::new());
    // No code is empty: an empty filter matches nothing, not the decision without reasons.
    assert_eq!(filter(AreaScope::All, "").await, Vec::<String>::new());
    assert_eq!(filter(AreaScope::All, "a\nx").await, Vec::<String>::new());

    let counts = store.queue_reasons(&AreaScope::All).await.unwrap();
    let expected = [("a", 3), ("ab", 1), ("b_c", 1), ("bxc", 1), ("x", 3)];
    let expected: Vec<(String, u64)> = expected
        .iter()
        .map(|(c, n)| ((*c).to_owned(), *n))
        .collect();
    assert_eq!(counts, expected);
    let roads = store.queue_reasons(&only(&["roads"])).await.unwrap();
    assert_eq!(roads, [("a".to_owned(), 1)]);

    // A reviewed decision leaves the counts.
    let review = new_review(
        "d-4",
        "anna",
        5,
        vec![line(1, "22100", None, None), line(2, "22100", None, None)],
    );
    store.record_review(&AreaScope::All, &review).await.unwrap();
    assert!(
        store
            .queue_reasons(&only(&["roads"]))
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        store.queue_reasons(&AreaScope::All).await.unwrap()[0],
        ("a".to_owned(), 2)
    );
}

async fn open_decision_answers_only_within_the_scope(engine: Engine) {
    let (_dir, store) = temp_store(engine).await;
    let schools = case("d-1", Some("schools"), 0);
    let nowhere = case("d-2", None, 0);
    store
        .record(&[schools.clone(), nowhere.clone()])
        .await
        .unwrap();

    let open = |scope: AreaScope, id: &'static str| {
        let store = store.clone();
        async move { store.open_decision(&scope, id).await.unwrap() }
    };
    assert_eq!(open(only(&["schools"]), "d-1").await, Some(schools.clone()));
    assert_eq!(open(AreaScope::All, "d-1").await, Some(schools));
    assert_eq!(open(only(&["roads"]), "d-1").await, None);
    assert_eq!(open(AreaScope::All, "d-2").await, Some(nowhere));
    assert_eq!(open(only(&["schools", "roads"]), "d-2").await, None);
    assert_eq!(open(AreaScope::All, "d-404").await, None);
}

async fn a_review_stores_matches_against_the_suggestion(engine: Engine) {
    let (_dir, store) = temp_store(engine).await;
    let mut d = case("d-1", Some("schools"), 0);
    d.would_auto = true;
    d.audit = true;
    // Line 3: a partial suggestion (no cost centre); line 4: a full one.
    let mut partial = d.lines[0].clone();
    partial.line_no = 3;
    partial.cost_centre = None;
    let mut full = d.lines[0].clone();
    full.line_no = 4;
    d.lines.extend([partial, full]);
    store.record(&[d]).await.unwrap();

    // Given in any order.
    let review = new_review(
        "d-1",
        "anna",
        1_000,
        vec![
            line(4, "22100", None, Some("I25")),
            line(3, "22100", Some("9999"), Some("I25")),
            line(1, "22100", Some("4711"), Some("I25")),
            line(2, "22100", Some("4711"), Some("I25")),
        ],
    );
    let stored = store
        .record_review(&only(&["schools"]), &review)
        .await
        .unwrap();
    let some = |s: &str| Some(s.to_owned());
    let reviewed = |line_no, cost_centre: Option<String>, suggested_cost_centre, matches| {
        let coded = line_no != 2;
        ReviewedLine {
            line_no,
            account: "22100".to_owned(),
            cost_centre,
            vat_code: some("I25"),
            suggested_account: coded.then(|| "22100".to_owned()),
            suggested_cost_centre,
            suggested_vat_code: coded.then(|| "I25".to_owned()),
            matches,
        }
    };
    let expected = StoredReview {
        decision_id: "d-1".to_owned(),
        reviewer: "anna".to_owned(),
        reviewed_at: 1_000,
        audit: true,
        area: some("schools"),
        agreed: false,
        lines: vec![
            // Every suggested field equal.
            reviewed(1, some("4711"), some("4711"), true),
            // No suggestion at all: never a match.
            reviewed(2, some("4711"), None, false),
            // The suggestion had no cost centre, so the controller's does not count.
            reviewed(3, some("9999"), None, true),
            // The suggestion's cost centre was dropped.
            reviewed(4, None, some("4711"), false),
        ],
    };
    assert_eq!(stored, expected);
    assert_eq!(
        store.review(&only(&["schools"]), "d-1").await.unwrap(),
        Some(expected.clone())
    );
    assert_eq!(
        store.review(&AreaScope::All, "d-1").await.unwrap(),
        Some(expected)
    );
    assert_eq!(store.review(&only(&["roads"]), "d-1").await.unwrap(), None);
    assert_eq!(store.review(&AreaScope::All, "d-404").await.unwrap(), None);
}

async fn a_review_agrees_when_every_line_matches(engine: Engine) {
    let (_dir, store) = temp_store(engine).await;
    let mut d = case("d-1", None, 0);
    d.lines[1].account = Some("22900".to_owned());
    let mut e = case("d-2", None, 0);
    e.lines[1].account = Some("22900".to_owned());
    store.record(&[d, e]).await.unwrap();

    let agreed = store
        .record_review(&AreaScope::All, &two_lines("d-1", "anna", 7))
        .await
        .unwrap();
    assert!(agreed.agreed);
    assert!(agreed.lines.iter().all(|l| l.matches));
    assert_eq!(agreed.area, None);
    assert!(!agreed.audit);

    // Another VAT code on one line: not agreed.
    let mut review = two_lines("d-2", "anna", 8);
    review.lines[0].vat_code = Some("I0".to_owned());
    let other = store.record_review(&AreaScope::All, &review).await.unwrap();
    assert!(!other.agreed);
    let matches: Vec<bool> = other.lines.iter().map(|l| l.matches).collect();
    assert_eq!(matches, [false, true]);
}

async fn a_second_review_is_refused_naming_the_first_reviewer(engine: Engine) {
    let (_dir, store) = temp_store(engine).await;
    store
        .record(&[case("d-1", Some("schools"), 0)])
        .await
        .unwrap();
    let first = store
        .record_review(&AreaScope::All, &two_lines("d-1", "anna", 10))
        .await
        .unwrap();

    let err = store
        .record_review(&only(&["schools"]), &two_lines("d-1", "bo", 20))
        .await
        .unwrap_err();
    assert!(
        matches!(&err, StoreError::AlreadyReviewed { decision_id, reviewer }
            if decision_id == "d-1" && reviewer == "anna"),
        "{err:?}"
    );
    assert!(err.to_string().contains("\"anna\""), "{err}");
    assert_eq!(
        store.review(&AreaScope::All, "d-1").await.unwrap(),
        Some(first)
    );
}

async fn wrong_line_numbers_are_refused_and_nothing_is_written(engine: Engine) {
    let (_dir, store) = temp_store(engine).await;
    store
        .record(&[case("d-1", Some("schools"), 0)])
        .await
        .unwrap();
    let wrong = [
        vec![1],       // a line missing
        vec![1, 2, 3], // a line the decision does not have
        vec![1, 1],    // one line twice, another missing
        vec![1, 2, 2], // one line twice
        vec![],
    ];
    for numbers in wrong {
        let lines = numbers
            .iter()
            .map(|&n| line(n, "22100", None, None))
            .collect();
        let err = store
            .record_review(&AreaScope::All, &new_review("d-1", "anna", 1, lines))
            .await
            .unwrap_err();
        assert!(
            matches!(&err, StoreError::LinesMismatch { decision_id, expected, got }
                if decision_id == "d-1" && expected == &[1, 2] && got == &numbers),
            "{numbers:?}: {err:?}"
        );
        assert_eq!(store.review(&AreaScope::All, "d-1").await.unwrap(), None);
        let queue = store.review_queue(&AreaScope::All, None, 10).await.unwrap();
        assert_eq!(ids(&queue), ["d-1"]);
        assert!(
            store
                .reviews_for_export(&AreaScope::All, None)
                .await
                .unwrap()
                .is_empty()
        );
    }
    // The right lines still go in afterwards.
    store
        .record_review(&AreaScope::All, &two_lines("d-1", "anna", 2))
        .await
        .unwrap();
    assert!(
        store
            .review_queue(&AreaScope::All, None, 10)
            .await
            .unwrap()
            .is_empty()
    );
}

async fn reviews_outside_the_scope_or_of_automatic_decisions_are_refused(engine: Engine) {
    let (_dir, store) = temp_store(engine).await;
    let mut auto = case("d-auto", Some("schools"), 0);
    auto.outcome = Outcome::Auto;
    auto.would_auto = true;
    store
        .record(&[case("d-1", Some("schools"), 0), case("d-2", None, 0), auto])
        .await
        .unwrap();

    let refuse = |scope: AreaScope, review: NewReview| {
        let store = store.clone();
        async move { store.record_review(&scope, &review).await.unwrap_err() }
    };
    let unknown = |err: &StoreError, id: &str| matches!(err, StoreError::UnknownDecision { decision_id } if decision_id == id);
    // Another area's decision looks exactly like a missing one.
    let err = refuse(only(&["roads"]), two_lines("d-1", "bo", 1)).await;
    assert!(unknown(&err, "d-1"), "{err:?}");
    let err = refuse(only(&["roads"]), two_lines("d-404", "bo", 1)).await;
    assert!(unknown(&err, "d-404"), "{err:?}");
    assert_eq!(
        refuse(only(&["roads"]), two_lines("d-1", "bo", 1))
            .await
            .to_string()
            .replace("d-1", "X"),
        refuse(only(&["roads"]), two_lines("d-404", "bo", 1))
            .await
            .to_string()
            .replace("d-404", "X"),
    );
    // A decision without an area is only for an all-areas scope.
    let err = refuse(only(&["schools"]), two_lines("d-2", "bo", 1)).await;
    assert!(unknown(&err, "d-2"), "{err:?}");
    // Also outside the scope: an automatic decision is reported as unknown, not as automatic.
    let err = refuse(only(&["roads"]), two_lines("d-auto", "bo", 1)).await;
    assert!(unknown(&err, "d-auto"), "{err:?}");
    let err = refuse(only(&["schools"]), two_lines("d-auto", "bo", 1)).await;
    assert!(
        matches!(&err, StoreError::NotForReview { decision_id } if decision_id == "d-auto"),
        "{err:?}"
    );
    let err = refuse(AreaScope::All, two_lines("d-1", "", 1)).await;
    assert!(matches!(err, StoreError::InvalidReview { .. }), "{err:?}");
    let mut blank = two_lines("d-1", "bo", 1);
    blank.lines[1].account = String::new();
    let err = refuse(AreaScope::All, blank).await;
    assert!(matches!(err, StoreError::InvalidReview { .. }), "{err:?}");
    let mut blank = two_lines("d-1", "bo", 1);
    blank.lines[1].vat_code = Some(String::new());
    let err = refuse(AreaScope::All, blank).await;
    assert!(matches!(err, StoreError::InvalidReview { .. }), "{err:?}");

    assert!(
        store
            .reviews_for_export(&AreaScope::All, None)
            .await
            .unwrap()
            .is_empty()
    );
    // The decision without an area is reviewable with every area in scope.
    let stored = store
        .record_review(&AreaScope::All, &two_lines("d-2", "bo", 1))
        .await
        .unwrap();
    assert_eq!(stored.area, None);
    assert_eq!(
        store.review(&only(&["schools"]), "d-2").await.unwrap(),
        None
    );
}

async fn the_export_lists_reviews_in_order_within_the_scope(engine: Engine) {
    let (_dir, store) = temp_store(engine).await;
    let mut a = case("d-a", Some("schools"), 0);
    a.lines[0].net_amount = dec("1000.50");
    a.lines[1].net_amount = dec("-12.25");
    a.lines[1].account = Some("22900".to_owned());
    let mut audit = case("d-b", Some("roads"), 0);
    audit.would_auto = true;
    audit.audit = true;
    store
        .record(&[
            a,
            audit,
            case("d-c", None, 0),
            case("d-d", Some("schools"), 0),
        ])
        .await
        .unwrap();
    for (id, at) in [("d-c", 300), ("d-b", 200), ("d-a", 200), ("d-d", 100)] {
        store
            .record_review(&AreaScope::All, &two_lines(id, "anna", at))
            .await
            .unwrap();
    }

    let all = store
        .reviews_for_export(&AreaScope::All, None)
        .await
        .unwrap();
    let order: Vec<&str> = all.iter().map(|r| r.decision_id.as_str()).collect();
    assert_eq!(order, ["d-d", "d-a", "d-b", "d-c"]);
    assert_eq!(
        all[1],
        ExportedReview {
            decision_id: "d-a".to_owned(),
            response: "{\"decision_id\":\"d-a\"}".to_owned(),
            issue_date: common::date("2025-03-14"),
            reviewer: "anna".to_owned(),
            reviewed_at: 200,
            audit: false,
            agreed: true,
            lines: vec![
                ExportedLine {
                    line_no: 1,
                    net_amount: dec("1000.50"),
                    account: "22100".to_owned(),
                    cost_centre: Some("4711".to_owned()),
                    vat_code: Some("I25".to_owned()),
                },
                ExportedLine {
                    line_no: 2,
                    net_amount: dec("-12.25"),
                    account: "22900".to_owned(),
                    cost_centre: None,
                    vat_code: None,
                },
            ],
        }
    );
    assert_eq!(all[1].lines[0].net_amount.to_string(), "1000.50");
    assert!(all[2].audit);
    assert!(!all[2].agreed);
    assert!(all.iter().all(|r| r.lines.len() == 2));

    let since = store.reviews_for_export(&AreaScope::All, Some(200)).await;
    let order: Vec<String> = since.unwrap().into_iter().map(|r| r.decision_id).collect();
    assert_eq!(order, ["d-a", "d-b", "d-c"]);
    let schools = store.reviews_for_export(&only(&["schools"]), None).await;
    let order: Vec<String> = schools
        .unwrap()
        .into_iter()
        .map(|r| r.decision_id)
        .collect();
    assert_eq!(order, ["d-d", "d-a"]);
    let later = store
        .reviews_for_export(&only(&["schools", "roads"]), Some(201))
        .await;
    assert!(later.unwrap().is_empty());
}

kontera_store::on_both_engines!(
    the_queue_lists_open_reviews_oldest_first_within_the_scope,
    the_reason_filter_matches_whole_codes_only,
    open_decision_answers_only_within_the_scope,
    a_review_stores_matches_against_the_suggestion,
    a_review_agrees_when_every_line_matches,
    a_second_review_is_refused_naming_the_first_reviewer,
    wrong_line_numbers_are_refused_and_nothing_is_written,
    reviews_outside_the_scope_or_of_automatic_decisions_are_refused,
    the_export_lists_reviews_in_order_within_the_scope,
);
