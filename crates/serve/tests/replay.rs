//! The replay of history decides exactly as the service: the same invoices, in the same order,
//! with the same audit samples reviewed the same way, give the same answers through
//! `replay::replay` as through `POST /v1/invoices` and `POST /v1/reviews/{id}` — while the audit
//! rule and the breaker change the state under both; and a replay is deterministic.

mod common;

use std::collections::HashMap;

use common::{regular_invoice, service};
use kontera_core::trust;
use kontera_serve::Config;
use kontera_serve::replay::{self, Case, Options, TrueLine};
use serde_json::{Value, json};

/// Four in five would-be-automatic invoices audited; a breaker and audit rule that act on a
/// handful of audits, so the state moves within the test; and the year opening after five
/// reviews, so the first invoices wait for it under both.
fn setting(config: &mut Config) {
    config.audit_rate = 0.8;
    config.trust.breaker_min_audits = 12;
    config.trust.breaker_floor = 0.3;
    config.trust.year_opening_reviews = 5;
}

/// The coding the bundled model gives the regular invoice (from a service that audits nothing),
/// with `wrong_account` set to another account the model knows (the review form takes only
/// those).
async fn model_coding() -> Value {
    let s = service(|c| c.audit_rate = 0.0).await;
    let (_, body) = s.post_json("/v1/invoices", &invoice(0)).await;
    assert_eq!(body["decision"], "auto", "{body}");
    let mut coding = body["lines"][0]["coding"].clone();
    let accounts = body["lines"][0]["alternatives"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["field"] == "account")
        .unwrap()["candidates"]
        .clone();
    let other = accounts
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["value"].clone())
        .find(|v| *v != coding["account"])
        .expect("the model knows a second account for the invoice");
    coding["wrong_account"] = other;
    coding
}

/// The `i`-th invoice, dated today (the service decides as of today; the replay as of the
/// invoice's date).
fn invoice(i: usize) -> Value {
    let mut v = regular_invoice(&format!("R-{i:04}"));
    v["issue_date"] = json!(kontera_serve::clock::now().0.to_string());
    v
}

/// The true coding of invoice `i`: the model's, except from the 30th on every third, whose
/// account was another (the ledger drifts).
fn truth(i: usize, coding: &Value) -> TrueLine {
    let text = |k: &str| coding[k].as_str().map(str::to_owned);
    TrueLine {
        line_no: 1,
        account: text(if wrong(i) { "wrong_account" } else { "account" }).unwrap(),
        cost_centre: text("cost_centre"),
        vat_code: text("vat_code"),
    }
}

fn wrong(i: usize) -> bool {
    i >= 30 && i.is_multiple_of(3)
}

fn cases(n: usize, coding: &Value) -> Vec<Case> {
    (0..n)
        .map(|i| Case {
            received: kontera_intake::from_json(&serde_json::to_vec(&invoice(i)).unwrap()).unwrap(),
            truth: vec![truth(i, coding)],
        })
        .collect()
}

const N: usize = 90;

#[tokio::test]
async fn the_replay_and_the_service_decide_alike_on_the_same_invoices_and_state() {
    let coding = model_coding().await;

    // The service: each invoice posted, each one sent to review (the audit samples and the rest)
    // coded by a controller before the next invoice.
    let live = service(setting).await;
    let mut answers = Vec::new();
    for i in 0..N {
        let (status, body) = live.post_json("/v1/invoices", &invoice(i)).await;
        assert!(status.is_success(), "{status}: {body}");
        if body["decision"] == "review" {
            let t = truth(i, &coding);
            let review = json!({"lines": [{"line_no": 1, "account": t.account,
                "cost_centre": t.cost_centre, "vat_code": t.vat_code}]});
            let id = body["decision_id"].as_str().unwrap();
            let (status, answer) = live.post_json(&format!("/v1/reviews/{id}"), &review).await;
            assert!(status.is_success(), "{status}: {answer}");
        }
        answers.push(body);
    }

    // The replay of the same invoices, controllers answering at once.
    let replayed = service(setting).await;
    let model = replayed.state.models.active();
    let report = replay::replay(
        &replayed.state,
        &model,
        &cases(N, &coding),
        Options {
            review_delay_days: 0,
            ..Options::default()
        },
        |_, _| {},
    )
    .await
    .unwrap();

    // Both waited for the year's first five reviews, then opened the area once.
    assert!(
        answers[..5]
            .iter()
            .all(|a| a["reasons"].to_string().contains("year_opening")),
        "{answers:?}"
    );
    assert!(!answers[5]["reasons"].to_string().contains("year_opening"));
    assert_eq!(report.openings.len(), 1, "{:?}", report.openings);

    // The state moved under both: the reviews found the wrong codings and acted.
    let decisions: Vec<&str> = answers
        .iter()
        .map(|a| a["decision"].as_str().unwrap())
        .collect();
    assert!(
        decisions.contains(&"auto"),
        "{:?}",
        answers
            .iter()
            .map(|a| a["reasons"].to_string())
            .collect::<Vec<_>>()
    );
    let late: Vec<&Value> = answers[N - 20..].iter().collect();
    assert!(
        late.iter().all(|a| a["decision"] == "review"),
        "the audit rule or the breaker must have stopped automation by the end: {late:?}"
    );
    let held = replayed.state.store.code_holds().await.unwrap();
    assert!(
        !report.threshold_changes.is_empty() || !report.pauses.is_empty() || !held.is_empty(),
        "{report:?}"
    );

    // Every move of a threshold is a real one: a thousandth or more, or a stop, a restart or a
    // return to the area's own threshold (its first served one).
    let mut own: HashMap<&str, f32> = HashMap::new();
    for c in &report.threshold_changes {
        let base = *own.entry(c.area.as_str()).or_insert(c.from);
        assert!(trust::worth_moving(c.from, c.to, base), "{c:?}");
    }

    // And every answer is the same.
    for body in &answers {
        let id = body["decision_id"].as_str().unwrap();
        let stored = replayed
            .state
            .store
            .decision_by_id(id)
            .await
            .unwrap()
            .unwrap_or_else(|| panic!("the replay has no decision {id}"));
        let replay_answer: Value = serde_json::from_str(&stored.response).unwrap();
        assert_eq!(&replay_answer, body, "decision {id}");
    }
    let automated = answers.iter().filter(|a| a["decision"] == "auto").count();
    assert_eq!(report.automated, automated as u64);
    assert_eq!(report.invoices, N as u64);
}

#[tokio::test]
async fn a_replay_is_deterministic() {
    let coding = model_coding().await;
    let cases = cases(N, &coding);
    let mut reports = Vec::new();
    for _ in 0..2 {
        // Open from the start: with the default delay no review comes back within the day.
        let s = service(|c| {
            setting(c);
            c.trust.year_opening_reviews = 0;
        })
        .await;
        let model = s.state.models.active();
        let r = replay::replay(&s.state, &model, &cases, Options::default(), |_, _| {})
            .await
            .unwrap();
        reports.push(serde_json::to_string(&r).unwrap());
    }
    assert_eq!(reports[0], reports[1]);
    let r: Value = serde_json::from_str(&reports[0]).unwrap();
    for key in [
        "invoices",
        "automated",
        "automation_rate",
        "realised_precision",
        "months",
        "threshold_changes",
        "pauses",
    ] {
        assert!(r.get(key).is_some(), "{key} missing from {r}");
    }
    // Every automated invoice not right is listed as a mistake, and only the invoices whose
    // truth differs from the model's coding are.
    let count = |k: &str| r[k].as_u64().unwrap();
    let mistakes = r["mistakes"].as_array().unwrap();
    assert!(!mistakes.is_empty(), "{r}");
    assert_eq!(count("automated") - count("right"), mistakes.len() as u64);
    for m in mistakes {
        let number = m["number"].as_str().unwrap();
        let i: usize = number.trim_start_matches("R-").parse().unwrap();
        assert!(wrong(i), "{m}");
        assert_eq!(
            m["lines"][0]["truth"].as_str().unwrap().split(" / ").next(),
            coding["wrong_account"].as_str(),
            "{m}"
        );
    }
}

/// Invoice `i` of a few days' history: dated `days_ago` days before today, a duplicate (same
/// supplier and number, another amount) of invoice `i - 7` for every ninth.
fn history(i: usize) -> Case {
    let number = if i % 9 == 8 { i - 7 } else { i };
    let mut v = regular_invoice(&format!("H-{number:04}"));
    let day = kontera_serve::clock::now().0 - chrono::Days::new(3 - (i as u64 * 3 / N as u64));
    v["issue_date"] = json!(day.to_string());
    if number != i {
        // Another amount, so not a repeat of the same invoice but a duplicate of its number.
        let other = regular_invoice(&format!("X-{i}"));
        v["lines"] = other["lines"].clone();
        v["totals"] = other["totals"].clone();
    }
    Case {
        received: kontera_intake::from_json(&serde_json::to_vec(&v).unwrap()).unwrap(),
        truth: vec![TrueLine {
            line_no: 1,
            account: "22100".to_owned(),
            cost_centre: None,
            vat_code: None,
        }],
    }
}

// A worker thread, as `kontera replay` runs: each group is stored there while the next is coded.
#[tokio::test(flavor = "multi_thread", worker_threads = 1)]
async fn coding_a_days_invoices_at_once_decides_as_one_at_a_time() {
    let cases: Vec<Case> = (0..N).map(history).collect();
    let mut runs = Vec::new();
    // 8: days of 30 invoices in groups of 1, 2, 4, 8, 8, …, each stored while the next is
    // coded; 32: a day a group.
    for at_once in [1, 8, 32] {
        let s = service(setting).await;
        let model = s.state.models.active();
        let options = Options {
            review_delay_days: 1,
            at_once,
        };
        let r = replay::replay(&s.state, &model, &cases, options, |_, _| {})
            .await
            .unwrap();
        let mut answers = Vec::new();
        for case in &cases {
            let key = kontera_serve::identity::key(&case.received);
            let id =
                kontera_serve::identity::decision_id(None, &key, case.received.invoice.issue_date);
            let d = s.state.store.decision_by_id(&id).await.unwrap().unwrap();
            answers.push(d.response);
        }
        runs.push((serde_json::to_string(&r).unwrap(), answers));
    }
    for run in &runs[1..] {
        assert_eq!(runs[0].0, run.0);
        assert_eq!(runs[0].1, run.1);
    }
    // The duplicates were found: the invoices coded at once were cut before each.
    let duplicates = runs[2]
        .1
        .iter()
        .filter(|a| a.contains("duplicate_number"))
        .count();
    assert_eq!(duplicates, N / 9);
    let r: Value = serde_json::from_str(&runs[2].0).unwrap();
    assert!(r["reviewed"].as_u64().unwrap() > 0, "{r}");
}
