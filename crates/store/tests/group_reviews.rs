//! A supplier × unit's latest reviewed line per suggested coding: only that supplier's invoices
//! to that unit (a missing unit matches only a missing unit), reviewed within the time asked for,
//! newest first, each line beside its suggestion and whether it matched.

mod common;

use common::{decision, temp_store};
use kontera_store::{Decision, Engine, NewReview, ReviewLine, Store};

fn case(id: &str, supplier: &str, unit: Option<&str>) -> Decision {
    let mut d = decision(id, id);
    d.supplier = supplier.to_owned();
    d.unit = unit.map(str::to_owned);
    d
}

/// Reviews `id` at `at`: line 1 coded to `account` (common's suggestion is 22100 / 4711 / I25),
/// line 2 (no suggestion) to 22900.
async fn review(store: &Store, id: &str, at: i64, account: &str) {
    let line = |line_no, account: &str, cc: Option<&str>, vat: Option<&str>| ReviewLine {
        line_no,
        account: account.to_owned(),
        cost_centre: cc.map(str::to_owned),
        vat_code: vat.map(str::to_owned),
    };
    store
        .record_review(
            &kontera_store::AreaScope::All,
            &NewReview {
                decision_id: id.to_owned(),
                reviewer: "anna".to_owned(),
                reviewed_at: at,
                lines: vec![
                    line(1, account, Some("4711"), Some("I25")),
                    line(2, "22900", None, None),
                ],
            },
        )
        .await
        .unwrap();
}

async fn a_groups_reviews_come_newest_first_within_the_time_asked_for(engine: Engine) {
    let (_dir, store) = temp_store(engine).await;
    // Suggested 22400 on line 1: a coding of its own, reviewed before the latest of 22100.
    let mut other_coding = case("other-coding", "S", Some("U"));
    other_coding.lines[0].account = Some("22400".to_owned());
    store
        .record(&[
            case("old", "S", Some("U")),
            case("agreed", "S", Some("U")),
            other_coding,
            case("corrected", "S", Some("U")),
            case("later", "S", Some("U")),
            case("other-unit", "S", Some("V")),
            case("other-supplier", "T", Some("U")),
            case("no-unit", "S", None),
        ])
        .await
        .unwrap();
    review(&store, "old", 100, "22500").await;
    review(&store, "agreed", 200, "22100").await;
    review(&store, "other-coding", 220, "22400").await;
    review(&store, "corrected", 300, "22500").await;
    review(&store, "later", 900, "22500").await;
    review(&store, "other-unit", 250, "22500").await;
    review(&store, "other-supplier", 250, "22500").await;
    review(&store, "no-unit", 260, "22600").await;

    let got = store.group_reviews("S", Some("U"), 150, 500).await.unwrap();
    let seen: Vec<(&str, u32, &str, bool)> = got
        .iter()
        .map(|g| {
            (
                g.decision_id.as_str(),
                g.line.line_no,
                g.line.account.as_str(),
                g.line.matches,
            )
        })
        .collect();
    // The newest line per suggested coding: "agreed" (suggested as "corrected" was) is older,
    // and "other-coding"'s line 2 (no suggestion, as "corrected"'s line 2) too.
    assert_eq!(
        seen,
        [
            ("corrected", 1, "22500", false),
            ("corrected", 2, "22900", false),
            ("other-coding", 1, "22400", true),
        ]
    );
    assert_eq!(got[0].reviewed_at, 300);
    assert_eq!(got[0].line.suggested_account.as_deref(), Some("22100"));
    assert_eq!(got[1].line.suggested_account, None);
    assert_eq!(got[2].line.suggested_account.as_deref(), Some("22400"));

    // Over the whole time, the newest of all: "later".
    let all = store.group_reviews("S", Some("U"), 0, 1_000).await.unwrap();
    let newest: Vec<&str> = all.iter().map(|g| g.decision_id.as_str()).collect();
    assert_eq!(newest, ["later", "later", "other-coding"]);

    let missing_unit = store.group_reviews("S", None, 0, 1_000).await.unwrap();
    assert_eq!(missing_unit.len(), 2, "{missing_unit:?}");
    assert!(missing_unit.iter().all(|g| g.decision_id == "no-unit"));
    assert!(
        store
            .group_reviews("X", None, 0, 1_000)
            .await
            .unwrap()
            .is_empty()
    );
}

kontera_store::on_both_engines!(a_groups_reviews_come_newest_first_within_the_time_asked_for,);
