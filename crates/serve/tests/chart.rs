//! Router tests of chart-of-accounts updates loaded without retraining (`PUT /v1/chart`, the
//! `chart_update` configuration key): the bundled model codes the regular invoice to
//! 2.28.22-1-4.50; an update that closes that account sends the invoice to review with
//! `account_closed` and the model's account as the suggestion, one that renames it automates
//! the invoice with the new account, and a broken file is refused naming its line.

mod common;

use std::sync::Arc;

use axum::body::Body;
use axum::http::StatusCode;
use common::{Service, config_in, regular_invoice, service};
use kontera_serve::{AppState, Config};
use kontera_store::Role;
use serde_json::{Value, json};

/// The account the bundled model codes the regular invoice to.
const ACCOUNT: &str = "2.28.22-1-4.50";
const HEADER: &str = "account,name,valid_from,valid_to,change,successors\n";

/// A service that never draws an audit sample, so decisions are exactly auto or review.
async fn no_audit() -> Service {
    service(|c| c.audit_rate = 0.0).await
}

async fn put_chart(s: &Service, text: &str) -> (StatusCode, Value) {
    s.send("PUT", "/v1/chart", "text/csv", text.to_owned())
        .await
}

/// The regular invoice numbered `number`, dated `date`.
fn invoice_on(number: &str, date: &str) -> Value {
    let mut v = regular_invoice(number);
    v["issue_date"] = json!(date);
    v
}

/// The configuration of `s` (the database it uses), as a restart would read it.
fn config_of(s: &Service, edit: impl FnOnce(&mut Config)) -> Config {
    let mut config = Config {
        audit_rate: 0.0,
        ..config_in(s.dir.path())
    };
    edit(&mut config);
    config
}

fn reasons(v: &Value) -> Vec<&str> {
    v["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["code"].as_str().unwrap())
        .collect()
}

#[tokio::test]
async fn a_closed_account_sends_the_invoice_to_review_with_the_models_account_as_suggestion() {
    let s = no_audit().await;
    let (status, before) = s.post_json("/v1/invoices", &regular_invoice("CL-0")).await;
    assert_eq!(status, StatusCode::CREATED, "{before}");
    assert_eq!(before["decision"], "auto", "{before}");
    assert_eq!(before["lines"][0]["coding"]["account"], ACCOUNT);
    let confidence = before["lines"][0]["confidence"].clone();

    let (status, chart) = put_chart(
        &s,
        &format!("{HEADER}{ACCOUNT},Vejvedligeholdelse,,2026-01-01,closed,\n"),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{chart}");
    assert_eq!(chart["update"]["loaded_by"], "ana");
    assert_eq!(chart["update"]["rows"], 1);
    assert_eq!(chart["update"]["effective"], json!(["2026-01-01"]));
    assert_eq!(chart["as_of"], "2026-01-01");
    assert_eq!(chart["model_accounts"], 207);
    assert_eq!(
        (
            &chart["unchanged"],
            &chart["mapped"],
            &chart["closed"],
            &chart["split"]
        ),
        (&json!(206), &json!(0), &json!(1), &json!(0))
    );
    assert_eq!(
        chart["changes"],
        json!([{"account": ACCOUNT, "ends": "2026-01-01", "effect": "closed"}])
    );
    assert_eq!(chart["other_rows"], 0);
    assert_eq!(chart["history"].as_array().unwrap().len(), 1);

    // The invoice of 15 January 2026: the model still codes it to the closed account, which is
    // shown as the suggestion, with the model's confidence; a person decides.
    let (status, v) = s.post_json("/v1/invoices", &regular_invoice("CL-1")).await;
    assert_eq!(status, StatusCode::CREATED, "{v}");
    assert_eq!(v["decision"], "review", "{v}");
    assert_eq!(reasons(&v), ["account_closed"]);
    assert_eq!(
        v["reasons"][0]["message"],
        format!(
            "Line 1: account {ACCOUNT} (the model's suggestion) is closed from 2026-01-01 without \
             a successor in the chart update in force; choose the account to post it to."
        )
    );
    let line = &v["lines"][0];
    assert_eq!(line["coding"]["account"], ACCOUNT);
    assert_eq!(line["source"], "model");
    assert_eq!(line["confidence"], confidence);
    assert_eq!(
        line["chart"],
        json!({"effect": "closed", "account": ACCOUNT, "on": "2026-01-01"})
    );
    // Before the change takes effect the account is valid: automated as before.
    let (_, december) = s
        .post_json("/v1/invoices", &invoice_on("CL-2", "2025-12-20"))
        .await;
    assert_eq!(december["decision"], "auto", "{december}");
    assert_eq!(december["lines"][0]["coding"]["account"], ACCOUNT);
    assert!(december["lines"][0].get("chart").is_none(), "{december}");
    // The invoice's own account string naming the closed account is not trusted either.
    let mut own = regular_invoice("CL-3");
    own["accounting_cost"] = json!(ACCOUNT);
    let (_, own) = s.post_json("/v1/invoices", &own).await;
    assert_eq!(own["decision"], "review", "{own}");
    assert_eq!(own["lines"][0]["source"], "model");
    assert_eq!(reasons(&own), ["account_closed"]);

    // Metrics count the new reason.
    let (_, metrics) = s.get("/metrics").await;
    assert!(
        metrics
            .as_str()
            .unwrap()
            .contains("kontera_decision_reasons_total{reason=\"account_closed\"} 2"),
        "{metrics}"
    );

    // The controller sees the suggestion and why; accepting the closed account is refused.
    let id = v["decision_id"].as_str().unwrap();
    let (status, detail) = s.get(&format!("/v1/reviews/{id}")).await;
    assert_eq!(status, StatusCode::OK, "{detail}");
    assert_eq!(detail["reasons"][0]["code"], "account_closed");
    assert_eq!(
        detail["lines"][0]["suggestion"]["coding"]["account"],
        ACCOUNT
    );
    assert_eq!(
        detail["lines"][0]["suggestion"]["chart"]["effect"],
        "closed"
    );
    let review = |account: &str| json!({"lines": [{"line_no": 1, "account": account, "cost_centre": "50285", "vat_code": "I25"}]});
    let (status, err) = s
        .post_json(&format!("/v1/reviews/{id}"), &review(ACCOUNT))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{err}");
    assert_eq!(err["code"], "unknown_account");
    assert_eq!(err["field"], "lines[0].account");
    assert_eq!(
        err["message"],
        format!(
            "line 1: account \"{ACCOUNT}\" is closed from 2026-01-01 in the chart update in \
             force; choose the account that takes its costs"
        )
    );
    let (status, done) = s
        .post_json(&format!("/v1/reviews/{id}"), &review("2.28.22-1-2.29"))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{done}");
    assert_eq!(done["agreed"], false);
    // The review page offers the accounts valid on the invoice's date: not the closed one.
    let controller = s.tokens[&Role::Controller].clone();
    let path = format!("/review/{}", own["decision_id"].as_str().unwrap());
    let (status, page) = s
        .send_with("GET", &path, "", Some(&controller), Body::empty())
        .await;
    assert_eq!(status, StatusCode::OK);
    let page = page.as_str().unwrap();
    assert!(
        page.contains("<option value=\"2.28.22-1-2.29\">"),
        "the list is there"
    );
    assert!(!page.contains(&format!("<option value=\"{ACCOUNT}\">")));
    assert!(
        page.contains("is closed from 2026-01-01"),
        "the page says why"
    );
    assert!(
        !page.contains("id=\"accept\""),
        "no accepting a closed account"
    );

    // A restart (or another instance on the same database) serves the same update.
    let again: Arc<AppState> = kontera_serve::build(config_of(&s, |_| {})).await.unwrap();
    let restarted = Service {
        state: again,
        dir: tempfile::tempdir().unwrap(),
        tokens: s.tokens.clone(),
    };
    let (_, v) = restarted
        .post_json("/v1/invoices", &regular_invoice("CL-4"))
        .await;
    assert_eq!(v["decision"], "review", "{v}");
    // And, as a controller coded the supplier's last invoice to this unit to another account, the
    // suggestion is held back as a recent change too.
    assert_eq!(reasons(&v), ["account_closed", "recent_change"]);
}

#[tokio::test]
async fn a_renamed_account_is_coded_to_its_successor_and_automated() {
    let s = no_audit().await;
    // The same invoice's confidence before the chart update: the mapping keeps it.
    let (_, before) = s.post_json("/v1/invoices", &regular_invoice("RN-0")).await;
    let confidence = before["lines"][0]["confidence"].clone();
    assert!(confidence.as_f64().unwrap() > 0.99, "{before}");
    let renamed = "2.28.22-1-4.51";
    let (status, chart) = put_chart(
        &s,
        &format!(
            "{HEADER}{ACCOUNT},,,2026-01-01,renamed,{renamed}\n\
             {renamed},\"Vejvedligeholdelse, entreprenører\",2026-01-01,,,\n"
        ),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{chart}");
    assert_eq!((&chart["mapped"], &chart["closed"]), (&json!(1), &json!(0)));
    assert_eq!(
        chart["changes"],
        json!([{"account": ACCOUNT, "ends": "2026-01-01", "effect": "mapped", "to": renamed, "via": ["renamed"]}])
    );
    assert_eq!(chart["other_rows"], 1, "the new account is not the model's");

    let (status, v) = s.post_json("/v1/invoices", &regular_invoice("RN-1")).await;
    assert_eq!(status, StatusCode::CREATED, "{v}");
    assert_eq!(v["decision"], "auto", "{v}");
    let line = &v["lines"][0];
    assert_eq!(line["coding"]["account"], renamed);
    assert_eq!(line["source"], "model");
    assert_eq!(line["confidence"], confidence);
    assert_eq!(
        line["chart"],
        json!({"effect": "mapped", "account": ACCOUNT, "via": ["renamed"]})
    );
    // Stored as posted: the new account.
    let stored = s
        .state
        .store
        .decision_by_id(v["decision_id"].as_str().unwrap())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.lines[0].account.as_deref(), Some(renamed));

    // The invoice's own account string: the new account is valid, the old one no longer.
    let mut own = regular_invoice("RN-2");
    own["accounting_cost"] = json!(renamed);
    let (_, own) = s.post_json("/v1/invoices", &own).await;
    assert_eq!(own["lines"][0]["source"], "accounting_cost", "{own}");
    assert_eq!(own["lines"][0]["coding"]["account"], renamed);
    let mut old = regular_invoice("RN-3");
    old["accounting_cost"] = json!(ACCOUNT);
    let (_, old) = s.post_json("/v1/invoices", &old).await;
    assert_eq!(old["lines"][0]["source"], "model", "{old}");
    assert_eq!(old["lines"][0]["coding"]["account"], renamed);

    // A split of the same account sends it to review with the candidates.
    let (status, _) = put_chart(
        &s,
        &format!(
            "{HEADER}{ACCOUNT},,,2026-01-01,split,2.28.22-1-4.52;2.28.22-1-4.53\n\
                  2.28.22-1-4.52,,2026-01-01,,,\n2.28.22-1-4.53,,2026-01-01,,,\n"
        ),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let (_, v) = s.post_json("/v1/invoices", &regular_invoice("RN-4")).await;
    assert_eq!(v["decision"], "review", "{v}");
    assert_eq!(reasons(&v), ["account_split"]);
    assert_eq!(v["lines"][0]["coding"]["account"], ACCOUNT);
    assert_eq!(
        v["lines"][0]["chart"]["candidates"],
        json!(["2.28.22-1-4.52", "2.28.22-1-4.53"])
    );
    // A file with only the header ends the update: coded as the model knows it again.
    let (status, chart) = put_chart(&s, HEADER).await;
    assert_eq!(status, StatusCode::OK, "{chart}");
    assert_eq!(chart["update"]["rows"], 0);
    assert_eq!(chart["history"].as_array().unwrap().len(), 3);
    let (_, v) = s.post_json("/v1/invoices", &regular_invoice("RN-5")).await;
    assert_eq!(v["decision"], "auto", "{v}");
    assert_eq!(v["lines"][0]["coding"]["account"], ACCOUNT);
}

#[tokio::test]
async fn a_broken_update_is_refused_naming_its_line_and_nothing_changes() {
    let s = no_audit().await;
    let cases: [(&str, &str, &str); 8] = [
        (
            "2.28.22-1-4.5O,,,2026-01-01,closed,\n",
            "line 2",
            "line 2: account 2.28.22-1-4.5O is not an account the model codes to and no row names \
             it as a successor; correct the id, or give its valid_from if it is an account of the \
             chart the model never codes to",
        ),
        (
            "2.28.22-1-4.50,,,2026-01-01,closed,\n2.28.22-1-2.29,,,2026-31-01,closed,\n",
            "line 3",
            "line 3, column `valid_to`: cannot read \"2026-31-01\" as an ISO date; write it like \
             `2027-01-01`",
        ),
        (
            "2.28.22-1-4.50,,,2026-01-01,renamed,2.28.22-1-4.5l\n",
            "line 2",
            "line 2: account 2.28.22-1-4.50 names successor 2.28.22-1-4.5l, which is neither an \
             account the model codes to nor a row of this update; add a row for 2.28.22-1-4.5l \
             with its name and valid_from, or correct the id",
        ),
        (
            "2.28.22-1-4.50,,,2026-01-01,renamed,2.28.22-1-2.29\n\
             2.28.22-1-2.29,,,2026-01-01,merged,2.28.22-1-4.50\n",
            "line 2",
            "line 2: account 2.28.22-1-4.50 succeeds itself through a chain of changes; break the cycle",
        ),
        (
            "2.28.22-1-4.50,,,2026-01-01,split,2.28.22-1-2.29\n",
            "line 2",
            "line 2, column `successors`: `split` needs at least two successors, found 1; use \
             `renamed` or `merged` for one",
        ),
        (
            "2.28.22-1-4.50,,2026-02-01,2026-01-01,closed,\n",
            "line 2",
            "line 2: account 2.28.22-1-4.50 is valid from 2026-02-01 to 2026-01-01, an empty \
             period; valid_to (exclusive) must be after valid_from",
        ),
        (
            "9.99.99-1-1.00,Nyt,,,,\n",
            "line 2",
            "line 2: account 9.99.99-1-1.00 is new (the model does not code to it and no row \
             names it as a successor) and has no valid_from; give the first day it may be used",
        ),
        (
            "2.28.22-1-4.50,,,,closed,\n",
            "line 2",
            "line 2: account 2.28.22-1-4.50 has change = closed but no valid_to; give the date \
             the change takes effect as valid_to",
        ),
    ];
    for (rows, field, message) in cases {
        let (status, err) = put_chart(&s, &format!("{HEADER}{rows}")).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{rows}: {err}");
        assert_eq!(err["code"], "invalid_chart_update", "{rows}");
        assert_eq!(err["field"], field, "{rows}");
        assert_eq!(err["message"], message, "{rows}");
    }
    let (status, err) = put_chart(&s, "account,colour\n").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(err["field"], "line 1");
    let (status, err) = s.send("PUT", "/v1/chart", "application/json", "{}").await;
    assert_eq!(status, StatusCode::UNSUPPORTED_MEDIA_TYPE, "{err}");
    let (status, err) = s
        .send("PUT", "/v1/chart", "text/csv", vec![0xff, 0xfe, b'a'])
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{err}");
    assert!(err["message"].as_str().unwrap().contains("UTF-8"), "{err}");

    // Nothing was loaded: no update, no history, coding as before.
    let (status, chart) = s.get("/v1/chart").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(chart["update"], Value::Null);
    assert_eq!(chart["history"], json!([]));
    assert_eq!(chart["unchanged"], 207);
    let (_, v) = s.post_json("/v1/invoices", &regular_invoice("BR-1")).await;
    assert_eq!(v["decision"], "auto", "{v}");
}

#[tokio::test]
async fn the_configured_file_is_loaded_once_at_start() {
    let s = no_audit().await;
    let file = s.dir.path().join("chart-2026.csv");
    std::fs::write(&file, format!("{HEADER}{ACCOUNT},,,2026-01-01,closed,\n")).unwrap();
    let with_file = |c: &mut Config| c.chart_update = Some(file.clone());
    let restart = |edit: &dyn Fn(&mut Config)| {
        let config = config_of(&s, edit);
        async move { kontera_serve::build(config).await }
    };
    let first = restart(&with_file).await.unwrap();
    let loaded = first.chart.loaded().unwrap();
    assert_eq!(loaded.loaded_by, "config");
    assert_eq!(
        loaded.note.as_deref(),
        Some(file.display().to_string().as_str())
    );
    // The first service follows the database when asked (as its follower does every second).
    assert!(
        kontera_serve::chart_update::refresh(&s.state)
            .await
            .unwrap()
    );
    let (_, chart) = s.get("/v1/chart").await;
    assert_eq!(chart["closed"], 1, "{chart}");

    // An update loaded through the API stays in force across a restart with the same file …
    let (status, _) = put_chart(&s, HEADER).await;
    assert_eq!(status, StatusCode::OK);
    let second = restart(&with_file).await.unwrap();
    assert_eq!(second.chart.loaded().unwrap().loaded_by, "ana");
    assert_eq!(second.store.chart_update_log().await.unwrap().len(), 2);
    // … until the file changes.
    std::fs::write(&file, format!("{HEADER}{ACCOUNT},,,2027-01-01,closed,\n")).unwrap();
    let third = restart(&with_file).await.unwrap();
    let loaded = third.chart.loaded().unwrap();
    assert_eq!(loaded.loaded_by, "config");
    assert_eq!(
        loaded.update.effective_dates(),
        vec!["2027-01-01".parse().unwrap()]
    );

    // A broken file stops the start, naming the file and the line.
    std::fs::write(&file, format!("{HEADER}{ACCOUNT},,,2027-01-01,closed,x\n")).unwrap();
    let err = restart(&with_file).await.unwrap_err().to_string();
    assert!(
        err.starts_with(&format!(
            "chart update file {}: line 2, column `successors`",
            file.display()
        )),
        "{err}"
    );
}
