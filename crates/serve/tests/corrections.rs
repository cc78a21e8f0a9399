//! A controller's correction of a supplier × unit's coding holds that suggestion back from
//! automatic posting for the group's next invoices (reason `recent_change`), until a later review
//! of the group accepts it again; with `trust.recent_change_days = 0` it does not. And an account
//! whose suggestions controllers corrected credibly more often than the confidences predicted is
//! held back for every invoice until the corrections age out (`trust.hold_window_days`), the
//! model's suggestions of it and the invoices' own account strings naming it alike.

mod common;

use axum::http::StatusCode;
use common::{Service, reason_codes, regular_invoice, service};
use serde_json::{Value, json};

/// Posts the regular invoice numbered `number` while its area is paused, so it goes to review
/// with the model's suggestion; answers the decision.
async fn reviewed_while_paused(s: &Service, area: &str, number: &str) -> Value {
    let path = format!("/v1/areas/{area}/automation");
    s.put_json(&path, &json!({"paused": true})).await;
    let (_, v) = s.post_json("/v1/invoices", &regular_invoice(number)).await;
    s.put_json(&path, &json!({"paused": false})).await;
    assert_eq!(reason_codes(&v), ["area_paused"], "{v}");
    v
}

/// Codes line 1 of `decision` as suggested, with the account replaced by `account` if given.
async fn review(s: &Service, decision: &Value, account: Option<&Value>) {
    let coding = &decision["lines"][0]["coding"];
    let body = json!({"lines": [{
        "line_no": 1,
        "account": account.unwrap_or(&coding["account"]),
        "cost_centre": coding["cost_centre"],
        "vat_code": coding["vat_code"],
    }]});
    let id = decision["decision_id"].as_str().unwrap();
    let (status, v) = s.post_json(&format!("/v1/reviews/{id}"), &body).await;
    assert_eq!(status, StatusCode::CREATED, "{v}");
}

/// Another account the model knows for the invoice (the review form takes only those).
fn other_account(decision: &Value) -> Value {
    let line = &decision["lines"][0];
    line["alternatives"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["field"] == "account")
        .unwrap()["candidates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["value"].clone())
        .find(|v| *v != line["coding"]["account"])
        .expect("the model knows a second account")
}

#[tokio::test]
async fn a_correction_holds_the_same_suggestion_back_until_it_is_accepted_again() {
    let s = service(|c| c.audit_rate = 0.0).await;
    let (_, first) = s.post_json("/v1/invoices", &regular_invoice("C-1")).await;
    assert_eq!(first["decision"], "auto", "{first}");
    let area = first["area"].as_str().unwrap().to_owned();

    let corrected = reviewed_while_paused(&s, &area, "C-2").await;
    let other = other_account(&corrected);
    review(&s, &corrected, Some(&other)).await;

    let (_, held) = s.post_json("/v1/invoices", &regular_invoice("C-3")).await;
    assert_eq!(held["decision"], "review", "{held}");
    assert_eq!(reason_codes(&held), ["recent_change"], "{held}");
    let message = held["reasons"][0]["message"].as_str().unwrap();
    assert!(message.contains(other.as_str().unwrap()), "{message}");
    // The suggestion itself is unchanged: the model's.
    assert_eq!(held["lines"][0]["coding"], first["lines"][0]["coding"]);

    // A controller accepts the suggestion on the held invoice: the group's latest review of it
    // is an agreement, and the next invoice is posted again.
    review(&s, &held, None).await;
    let (_, again) = s.post_json("/v1/invoices", &regular_invoice("C-4")).await;
    assert_eq!(again["decision"], "auto", "{again}");
}

#[tokio::test]
async fn corrections_are_ignored_when_switched_off() {
    let s = service(|c| {
        c.audit_rate = 0.0;
        c.trust.recent_change_days = 0;
    })
    .await;
    let (_, first) = s.post_json("/v1/invoices", &regular_invoice("C-1")).await;
    let area = first["area"].as_str().unwrap().to_owned();
    let corrected = reviewed_while_paused(&s, &area, "C-2").await;
    review(&s, &corrected, Some(&other_account(&corrected))).await;
    let (_, next) = s.post_json("/v1/invoices", &regular_invoice("C-3")).await;
    assert_eq!(next["decision"], "auto", "{next}");
}

#[tokio::test]
async fn an_account_corrected_credibly_more_often_than_predicted_is_held_until_it_ages_out() {
    // Only the held codes: the supplier × unit's own corrections are switched off.
    let s = service(|c| {
        c.audit_rate = 0.0;
        c.trust.recent_change_days = 0;
    })
    .await;
    let (_, first) = s.post_json("/v1/invoices", &regular_invoice("H-1")).await;
    let area = first["area"].as_str().unwrap().to_owned();
    let account = first["lines"][0]["coding"]["account"]
        .as_str()
        .unwrap()
        .to_owned();

    // One correction is one event: nothing is held yet.
    let corrected = reviewed_while_paused(&s, &area, "H-2").await;
    let other = other_account(&corrected);
    review(&s, &corrected, Some(&other)).await;
    let (_, next) = s.post_json("/v1/invoices", &regular_invoice("H-3")).await;
    assert_eq!(next["decision"], "auto", "{next}");
    assert!(s.state.area_settings().held.is_empty());

    // Two corrections of suggestions the model was sure of: credibly more than predicted.
    let corrected = reviewed_while_paused(&s, &area, "H-4").await;
    review(&s, &corrected, Some(&other)).await;
    let held = s.state.area_settings().held.clone();
    let key = (kontera_store::CodeField::Account, account.clone());
    let message = held.get(&key).expect("the account is held").clone();
    assert!(message.contains("2 of the 2 lines"), "{message}");
    let (_, next) = s.post_json("/v1/invoices", &regular_invoice("H-5")).await;
    assert_eq!(next["decision"], "review", "{next}");
    assert_eq!(reason_codes(&next), ["recent_change"], "{next}");
    assert!(
        next["reasons"][0]["message"]
            .as_str()
            .unwrap()
            .contains(&account),
        "{next}"
    );

    // The invoice's own account string naming the held account is held back as well: it stays
    // the coding, a person checks it.
    let mut own = regular_invoice("H-5b");
    own["lines"][0]["accounting_cost"] = json!(account);
    let (_, next) = s.post_json("/v1/invoices", &own).await;
    assert_eq!(next["lines"][0]["source"], "accounting_cost", "{next}");
    assert_eq!(next["lines"][0]["coding"]["account"], account.as_str());
    assert_eq!(reason_codes(&next), ["recent_change"], "{next}");

    // Judged again once the corrections are older than the window: released.
    let later = kontera_serve::clock::now().1 + 91 * 86_400_000;
    let changes = kontera_serve::holds::rejudge(&s.state, later)
        .await
        .unwrap();
    assert_eq!(changes.len(), 1);
    assert!(!changes[0].held);
    assert!(s.state.area_settings().held.is_empty());
    let (_, next) = s.post_json("/v1/invoices", &regular_invoice("H-6")).await;
    assert_eq!(next["decision"], "auto", "{next}");
}
