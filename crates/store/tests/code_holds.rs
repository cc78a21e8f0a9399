//! Held codes in the store: a code's evidence counts the reviewed lines that suggested it within
//! the time asked for, the corrections in that field and the errors their confidences predicted;
//! the latest change of each code's hold is the one in force.

mod common;

use common::{decision, temp_store};
use kontera_store::{
    AreaScope, CodeEvidence, CodeField, CodeHold, Engine, NewReview, ReviewLine, Store,
};

/// Reviews common's two-line decision `id` at `at`, line 1 (suggested 22100 / 4711 / I25 with
/// confidence 0.93) coded `account` / `cost_centre`, line 2 (no suggestion) 22900.
async fn review(store: &Store, id: &str, at: i64, account: &str, cost_centre: &str) {
    let line = |line_no, account: &str, cc: Option<&str>| ReviewLine {
        line_no,
        account: account.to_owned(),
        cost_centre: cc.map(str::to_owned),
        vat_code: None,
    };
    store
        .record_review(
            &AreaScope::All,
            &NewReview {
                decision_id: id.to_owned(),
                reviewer: "anna".to_owned(),
                reviewed_at: at,
                lines: vec![line(1, account, Some(cost_centre)), line(2, "22900", None)],
            },
        )
        .await
        .unwrap();
}

async fn a_codes_evidence_counts_its_reviewed_lines_and_their_corrections_per_field(
    engine: Engine,
) {
    let (_dir, store) = temp_store(engine).await;
    let ids = ["a", "b", "c", "d"];
    store.record(&ids.map(|id| decision(id, id))).await.unwrap();
    review(&store, "a", 100, "22100", "4711").await; // agreed
    review(&store, "b", 200, "22500", "4711").await; // account corrected
    review(&store, "c", 300, "22500", "4712").await; // both corrected
    review(&store, "d", 900, "22500", "4711").await; // outside the window asked for

    let account = store
        .code_evidence(CodeField::Account, "22100", 50, 500)
        .await
        .unwrap();
    assert_eq!((account.reviewed, account.corrected), (3, 2));
    assert!((account.expected - 3.0 * 0.07).abs() < 1e-9, "{account:?}");
    let cost_centre = store
        .code_evidence(CodeField::CostCentre, "4711", 50, 500)
        .await
        .unwrap();
    assert_eq!((cost_centre.reviewed, cost_centre.corrected), (3, 1));
    let none = store
        .code_evidence(CodeField::Account, "99999", 0, 1_000)
        .await
        .unwrap();
    assert_eq!(none, CodeEvidence::default());
}

async fn the_latest_change_of_a_codes_hold_is_in_force(engine: Engine) {
    let (_dir, store) = temp_store(engine).await;
    let change = |code: &str, held: bool, at: i64| CodeHold {
        field: CodeField::Account,
        code: code.to_owned(),
        held,
        judged_at: at,
        evidence: CodeEvidence {
            reviewed: 3,
            corrected: 2,
            expected: 0.2,
        },
        message: format!("{code} at {at}"),
    };
    store
        .record_code_hold(&change("4400", true, 1))
        .await
        .unwrap();
    store
        .record_code_hold(&change("4500", true, 2))
        .await
        .unwrap();
    store
        .record_code_hold(&change("4400", false, 3))
        .await
        .unwrap();
    let mut cc = change("4400", true, 4);
    cc.field = CodeField::CostCentre;
    store.record_code_hold(&cc).await.unwrap();

    let held = store.code_holds().await.unwrap();
    let keys: Vec<(CodeField, &str)> = held.keys().map(|(f, c)| (*f, c.as_str())).collect();
    assert_eq!(
        keys,
        [
            (CodeField::Account, "4500"),
            (CodeField::CostCentre, "4400")
        ]
    );
    assert_eq!(
        held[&(CodeField::Account, "4500".to_owned())],
        change("4500", true, 2)
    );
}

kontera_store::on_both_engines!(
    a_codes_evidence_counts_its_reviewed_lines_and_their_corrections_per_field,
    the_latest_change_of_a_codes_hold_is_in_force,
);
