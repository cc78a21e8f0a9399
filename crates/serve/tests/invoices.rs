//! Router tests of the coding endpoints: decisions with their reasons, repeats, screening,
//! the audit draw, pauses, UBL input and bad input.

mod common;

use axum::http::StatusCode;
use common::{reason_codes, regular_invoice, service};
use serde_json::{Value, json};

#[tokio::test]
async fn a_regular_invoice_is_coded_automatically_and_a_repeat_returns_the_stored_decision() {
    // No audit draw, so the decision is the model's.
    let s = service(|c| c.audit_rate = 0.0).await;
    let (status, first) = s.post_json("/v1/invoices", &regular_invoice("A-1")).await;
    assert_eq!(status, StatusCode::CREATED, "{first}");
    assert_eq!(first["decision"], "auto", "{first}");
    assert_eq!(reason_codes(&first), Vec::<String>::new());
    let line = &first["lines"][0];
    assert_eq!(line["source"], "model");
    assert_eq!(line["band"], "high");
    let confidence = line["confidence"].as_f64().unwrap();
    assert!(confidence >= first["threshold"].as_f64().unwrap());
    assert!(line["coding"]["account"].is_string());
    assert!(line["support"].as_f64().unwrap() >= 3.0);
    assert_eq!(line["alternatives"].as_array().unwrap().len(), 3);
    // The similar past invoices are the sample's own invoices (ids `F<year>-<number>`).
    let similar = line["similar_invoices"].as_array().unwrap();
    assert!(!similar.is_empty() && similar.len() <= 3, "{line}");
    assert!(
        similar
            .iter()
            .all(|id| id.as_str().unwrap().starts_with("F202")),
        "{line}"
    );
    assert!(
        first["model_version"]
            .as_str()
            .unwrap()
            .starts_with("default@")
    );
    assert!(first["decision_id"].as_str().unwrap().starts_with("d-"));

    let (status, again) = s.post_json("/v1/invoices", &regular_invoice("A-1")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(again["repeat"], true);
    assert_eq!(again["decision_id"], first["decision_id"]);
    assert_eq!(again["lines"], first["lines"]);
    assert_eq!(s.state.store.count_decisions().await.unwrap(), 1);
}

#[tokio::test]
async fn screening_failures_go_to_review_with_the_suggestion_attached() {
    let s = service(|c| c.audit_rate = 0.0).await;
    let mut credit = regular_invoice("C-1");
    credit["type"] = json!("credit_note");
    let cpr = {
        let mut v = regular_invoice("C-2");
        v["lines"][0]["description"] = json!("Beskæring hos borger 010203-1234");
        v
    };
    let mut off = regular_invoice("C-3");
    off["totals"]["vat"] = json!("100.00");
    for (invoice, expected) in [
        (credit, "credit_note"),
        (cpr, "cpr_in_text"),
        (off, "vat_mismatch"),
    ] {
        let (status, v) = s.post_json("/v1/invoices", &invoice).await;
        assert_eq!(status, StatusCode::CREATED, "{v}");
        assert_eq!(v["decision"], "review");
        assert!(
            reason_codes(&v).contains(&expected.to_owned()),
            "{expected}: {v}"
        );
        assert!(
            v["lines"][0]["coding"]["account"].is_string(),
            "suggestion kept: {v}"
        );
        let text = v.to_string();
        assert!(!text.contains("010203"), "no CPR in the answer: {text}");
    }
    // Nor in what is stored.
    let mut cpr = regular_invoice("C-2");
    cpr["lines"][0]["description"] = json!("Beskæring hos borger 010203-1234");
    let (status, v) = s.post_json("/v1/invoices", &cpr).await;
    assert_eq!(status, StatusCode::OK, "a repeat: {v}");
    let id = v["decision_id"].as_str().unwrap();
    let stored = s.state.store.decision_by_id(id).await.unwrap().unwrap();
    assert!(!stored.response.contains("010203"));
    assert!(!stored.lines[0].description.contains("010203"));
}

fn first_lines(v: &Value) -> Value {
    v["lines"].clone()
}

#[tokio::test]
async fn duplicates_by_number_and_by_amount_are_flagged() {
    let s = service(|c| c.audit_rate = 0.0).await;
    let (_, first) = s.post_json("/v1/invoices", &regular_invoice("D-1")).await;
    // Same number sent as a credit note is another document; the same amount a day later
    // under another number looks like the same invoice sent twice.
    let mut twice = regular_invoice("D-2");
    twice["issue_date"] = json!("2026-01-16");
    twice["lines"] = first_lines(&regular_invoice("D-1"));
    twice["totals"] = regular_invoice("D-1")["totals"].clone();
    let (_, v) = s.post_json("/v1/invoices", &twice).await;
    assert_eq!(v["decision"], "review");
    assert_eq!(reason_codes(&v), vec!["duplicate_amount"]);
    assert!(
        v["reasons"][0]["message"]
            .as_str()
            .unwrap()
            .contains(first["decision_id"].as_str().unwrap())
    );
}

#[tokio::test]
async fn the_same_number_with_other_content_is_a_duplicate_not_a_repeat() {
    let s = service(|c| c.audit_rate = 0.0).await;
    let (_, first) = s.post_json("/v1/invoices", &regular_invoice("N-1")).await;
    let mut corrected = regular_invoice("N-1");
    corrected["lines"][0]["net_amount"] = json!("100.00");
    corrected.as_object_mut().unwrap().remove("totals");
    let (status, v) = s.post_json("/v1/invoices", &corrected).await;
    assert_eq!(status, StatusCode::CREATED, "another document: {v}");
    assert_eq!(v["repeat"], false);
    assert_ne!(v["decision_id"], first["decision_id"]);
    assert_eq!(v["decision"], "review");
    assert_eq!(reason_codes(&v), vec!["duplicate_number"]);
    assert_eq!(s.state.store.count_decisions().await.unwrap(), 2);
}

#[tokio::test]
async fn pausing_an_area_takes_effect_on_the_next_request() {
    let s = service(|c| c.audit_rate = 0.0).await;
    let (_, v) = s.post_json("/v1/invoices", &regular_invoice("P-1")).await;
    assert_eq!(v["decision"], "auto", "{v}");
    let area = v["area"]
        .as_str()
        .expect("the unit's area is known")
        .to_owned();
    let (status, paused) = s
        .put_json(
            &format!("/v1/areas/{area}/automation"),
            &json!({"paused": true, "reason": "new chart of accounts"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{paused}");
    assert_eq!(paused["paused"], true);
    let (_, v) = s.post_json("/v1/invoices", &regular_invoice("P-2")).await;
    assert_eq!(v["decision"], "review");
    assert_eq!(reason_codes(&v), vec!["area_paused"]);
    s.put_json(
        &format!("/v1/areas/{area}/automation"),
        &json!({"paused": false}),
    )
    .await;
    let (_, v) = s.post_json("/v1/invoices", &regular_invoice("P-3")).await;
    assert_eq!(v["decision"], "auto");
    let (_, areas) = s.get("/v1/areas").await;
    assert_eq!(areas[0]["area"], area.as_str());
    assert_eq!(areas[0]["paused"], false);
}

#[tokio::test]
async fn an_invoice_without_a_known_area_is_in_the_unassigned_area_and_pauses_with_it() {
    let s = service(|c| c.audit_rate = 0.0).await;
    let mut nowhere = regular_invoice("U-1");
    nowhere["buyer"] = json!({"unit_id": "NO-SUCH-UNIT", "reference": "EDO624"});
    let (_, v) = s.post_json("/v1/invoices", &nowhere).await;
    assert_eq!(v["area"], "unassigned", "{v}");
    assert!(!reason_codes(&v).iter().any(|r| r == "area_paused"), "{v}");
    let (status, _) = s
        .put_json(
            "/v1/areas/unassigned/automation",
            &json!({"paused": true, "reason": "units without an area"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    nowhere["number"] = json!("U-2");
    let (_, v) = s.post_json("/v1/invoices", &nowhere).await;
    assert_eq!(v["area"], "unassigned", "{v}");
    assert!(reason_codes(&v).iter().any(|r| r == "area_paused"), "{v}");
    // The known units' area is not paused with it.
    let (_, v) = s.post_json("/v1/invoices", &regular_invoice("U-3")).await;
    assert_eq!(v["decision"], "auto", "{v}");
}

#[tokio::test]
async fn an_area_threshold_override_applies_at_once() {
    let s = service(|c| c.audit_rate = 0.0).await;
    // Some regular suppliers of the sample whose lines the model codes with a confidence
    // below 1; the first one found is used.
    let candidates = [
        ("39445387", "5798000147249", "OST 45+ SKIVER", "181165"),
        (
            "39445387",
            "5798000155886",
            "BANANER ØKOLOGISKE KG",
            "154916",
        ),
        ("46788877", "5798000189492", "Reol 5 hylder eg", "755580"),
        (
            "39445387",
            "5798000136489",
            "KAFFE FORMALET 500 G",
            "124594",
        ),
        ("69388426", "5798000157750", "PÅLÆGSSALAMI SKIVER", "453475"),
        (
            "53807186",
            "5798000190269",
            "Fældning af træ ved legeplads",
            "739999",
        ),
    ];
    let mut found = None;
    for (i, (cvr, gln, text, item)) in candidates.iter().enumerate() {
        let invoice = move |n: &str| {
            let mut v = regular_invoice(n);
            v["supplier"] = json!({"cvr": cvr});
            v["buyer"] = json!({"gln": gln});
            v["lines"][0]["description"] = json!(text);
            v["lines"][0]["item_id"] = json!(item);
            v
        };
        let (_, v) = s
            .post_json("/v1/invoices", &invoice(&format!("T-{i}")))
            .await;
        let c = v["lines"][0]["confidence"].as_f64().unwrap_or(0.0);
        if c > 0.0 && c < 1.0 && v["area"].is_string() {
            found = Some((invoice, v));
            break;
        }
    }
    let (invoice, v) = found.expect("a line coded with a confidence below 1");
    let area = v["area"].as_str().unwrap().to_owned();
    let model_threshold = v["threshold"].as_f64().unwrap();
    let confidence = v["lines"][0]["confidence"].as_f64().unwrap();
    assert!(confidence < 1.0, "{v}");
    let above = (confidence + 1.0) / 2.0;
    let (status, _) = s
        .put_json(
            &format!("/v1/areas/{area}/threshold"),
            &json!({"threshold": above}),
        )
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (_, v) = s.post_json("/v1/invoices", &invoice("T-a")).await;
    assert!(
        (v["threshold"].as_f64().unwrap() - above).abs() < 1e-6,
        "{v}"
    );
    assert!(
        reason_codes(&v).contains(&"below_threshold".to_owned()),
        "{v}"
    );
    assert_eq!(v["lines"][0]["band"], "medium");
    // Removing the override brings back the model's threshold.
    s.put_json(
        &format!("/v1/areas/{area}/threshold"),
        &json!({"threshold": null}),
    )
    .await;
    let (_, v) = s.post_json("/v1/invoices", &invoice("T-b")).await;
    assert_eq!(v["threshold"].as_f64().unwrap(), model_threshold);
    let (status, err) = s
        .put_json(
            &format!("/v1/areas/{area}/threshold"),
            &json!({"threshold": 1.5}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(err["field"], "threshold");
}

#[tokio::test]
async fn the_audit_draws_five_percent_of_would_be_automatic_invoices() {
    let s = service(|_| {}).await;
    let batches = 20;
    let per_batch = 1000;
    let mut sampled = 0;
    let mut automatic = 0;
    for b in 0..batches {
        let invoices: Vec<Value> = (0..per_batch)
            .map(|i| {
                let mut v = regular_invoice(&format!("AU-{b}-{i}"));
                // Distinct amounts, so no invoice looks like another's duplicate.
                let n = 7000 + b * per_batch + i;
                v["lines"][0]["net_amount"] = json!(format!("{n}.00"));
                v.as_object_mut().unwrap().remove("totals");
                v
            })
            .collect();
        let (status, v) = s
            .post_json("/v1/invoices/batch", &json!({"invoices": invoices}))
            .await;
        assert_eq!(status, StatusCode::OK, "{v}");
        for d in v["decisions"].as_array().unwrap() {
            let r = reason_codes(d);
            if r == ["sample_check"] {
                sampled += 1;
                assert!(d["lines"][0]["coding"].is_null(), "audit samples are blind");
                assert_eq!(d["lines"][0]["withheld"], true);
            } else {
                assert_eq!(d["decision"], "auto", "{d}");
                automatic += 1;
            }
        }
    }
    let total = sampled + automatic;
    assert_eq!(total, batches * per_batch);
    let share = sampled as f64 / total as f64;
    eprintln!("audit: {sampled} of {total} would-be-automatic invoices drawn ({share:.4})");
    assert!((share - 0.05).abs() <= 0.006, "audit share {share}");
    let counts = s.state.store.audit_counts(None).await.unwrap();
    assert_eq!(counts.audit_rate().unwrap(), share);
    let (_, metrics) = s.get("/metrics").await;
    let metrics = metrics.as_str().unwrap();
    assert!(metrics.contains(&format!("kontera_audit_samples_total {sampled}")));
    // The same invoice always gets the same draw.
    let mut same = regular_invoice("AU-0-0");
    same["lines"][0]["net_amount"] = json!("7000.00");
    same.as_object_mut().unwrap().remove("totals");
    let (_, again) = s
        .post_json("/v1/invoices/batch", &json!({ "invoices": [same] }))
        .await;
    assert_eq!(again["repeats"], 1);
    assert_eq!(s.state.store.count_decisions().await.unwrap(), total as u64);
}

#[tokio::test]
async fn the_invoices_own_valid_account_string_comes_first() {
    let s = service(|c| c.audit_rate = 0.0).await;
    let (_, model) = s.post_json("/v1/invoices", &regular_invoice("AC-1")).await;
    let predicted = model["lines"][0]["coding"]["account"]
        .as_str()
        .unwrap()
        .to_owned();
    // Another account the model knows: the second candidate.
    let other = model["lines"][0]["alternatives"][0]["candidates"][1]["value"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_ne!(other, predicted);
    let mut own = regular_invoice("AC-2");
    own["lines"][0]["accounting_cost"] = json!(other);
    let (_, v) = s.post_json("/v1/invoices", &own).await;
    let line = &v["lines"][0];
    assert_eq!(line["source"], "accounting_cost", "{v}");
    assert_eq!(line["coding"]["account"], other.as_str());
    // The model still codes the other fields, and its confidence covers only those.
    assert!(line["coding"]["cost_centre"].is_string());
    // An account string that is no account falls through to the model.
    let mut bogus = regular_invoice("AC-3");
    bogus["accounting_cost"] = json!("9.99.99-9-9.99");
    let (_, v) = s.post_json("/v1/invoices", &bogus).await;
    assert_eq!(v["lines"][0]["source"], "model");
    assert_eq!(v["lines"][0]["coding"]["account"], predicted.as_str());
}
