//! The trust dashboard (`GET /v1/dashboard`, `/dashboard`) and the reviews export
//! (`GET /v1/reviews/export`) against decisions and reviews stored directly: the audited
//! precision shown is the one computed here from the stored comparisons, controllers see only
//! their areas, and the export is the postings contract to the byte. Invoices coded through the
//! API: the models table counts each model version's decisions, and the drift signals count
//! invoices from suppliers the bundled model never saw and predicted accounts a chart update
//! closed.

mod common;

use std::collections::BTreeMap;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use chrono::NaiveDate;
use common::{Service, add_user, model_versions, regular_invoice, service};
use kontera_core::Cvr;
use kontera_store::{AreaScope, Decision, Line, NewReview, Outcome, ReviewLine, Role};
use rust_decimal::Decimal;
use serde_json::{Value, json};
use tower::ServiceExt;

/// Unix ms of a UTC time.
fn ms(date: &str, h: u32, m: u32) -> i64 {
    let day: NaiveDate = date.parse().unwrap();
    day.and_hms_opt(h, m, 0)
        .unwrap()
        .and_utc()
        .timestamp_millis()
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Kind {
    Auto,
    Review,
    Audit,
}

/// The service's coding of every line of the test decisions.
const SUGGESTED: [(&str, &str, &str); 2] = [("4.90", "1010", "I25"), ("4.91", "2020", "IREP")];

/// A decision of two coded lines, stored as the service would (the answer names the ERP's
/// invoice id).
fn decision(id: &str, area: &str, at: i64, kind: Kind) -> Decision {
    decision_for(id, &format!("F-{id}"), area, at, kind, ["100.00", "-20.5"])
}

fn decision_for(
    id: &str,
    invoice_id: &str,
    area: &str,
    at: i64,
    kind: Kind,
    amounts: [&str; 2],
) -> Decision {
    let lines = SUGGESTED
        .iter()
        .zip(amounts)
        .enumerate()
        .map(|(i, ((account, cc, vat), amount))| Line {
            line_no: i as u32 + 1,
            description: format!("line {}", i + 1),
            net_amount: amount.parse().unwrap(),
            account: Some((*account).to_owned()),
            cost_centre: Some((*cc).to_owned()),
            vat_code: Some((*vat).to_owned()),
            confidence: 0.99,
            source: "model".to_owned(),
        })
        .collect::<Vec<_>>();
    let total: Decimal = lines.iter().map(|l| l.net_amount).sum();
    Decision {
        key: format!("key/{id}"),
        decision_id: id.to_owned(),
        received_at: at,
        supplier: "12345674".to_owned(),
        number: id.to_owned(),
        document_type: "invoice".to_owned(),
        issue_date: NaiveDate::from_ymd_opt(2025, 1, 2).unwrap(),
        total,
        currency: "DKK".to_owned(),
        area: Some(area.to_owned()),
        unit: None,
        outcome: if kind == Kind::Auto {
            Outcome::Auto
        } else {
            Outcome::Review
        },
        would_auto: kind != Kind::Review,
        audit: kind == Kind::Audit,
        eligible_confidence: (kind != Kind::Review).then_some(0.995),
        model_version: "test@0".to_owned(),
        reasons: Vec::new(),
        response: json!({"decision_id": id, "decision": "review", "invoice": {"id": invoice_id}})
            .to_string(),
        lines,
    }
}

/// How a controller codes a decision: as suggested, or differing in one field of one line.
#[derive(Clone, Copy, Debug)]
enum Coding {
    Same,
    OtherAccount,
    OtherCostCentre,
}

async fn review(s: &Service, id: &str, at: i64, coding: Coding) {
    let lines = SUGGESTED
        .iter()
        .enumerate()
        .map(|(i, (account, cc, vat))| {
            let mut line = ReviewLine {
                line_no: i as u32 + 1,
                account: (*account).to_owned(),
                cost_centre: Some((*cc).to_owned()),
                vat_code: Some((*vat).to_owned()),
            };
            match (coding, i) {
                (Coding::OtherAccount, 1) => line.account = "4.99".to_owned(),
                (Coding::OtherCostCentre, 0) => line.cost_centre = Some("9999".to_owned()),
                _ => {}
            }
            line
        })
        .collect();
    s.state
        .store
        .record_review(
            &AreaScope::All,
            &NewReview {
                decision_id: id.to_owned(),
                reviewer: "clara".to_owned(),
                reviewed_at: at,
                lines,
            },
        )
        .await
        .unwrap();
}

/// One area-month of the test data: automatic invoices, plain reviews, and audit samples with
/// how each was reviewed (`None`: not yet).
struct Plan {
    area: &'static str,
    month: &'static str,
    auto: usize,
    review: usize,
    audits: Vec<Option<Coding>>,
}

fn audits(agree: usize, disagree: usize, pending: usize) -> Vec<Option<Coding>> {
    let mut out = vec![Some(Coding::Same); agree];
    for i in 0..disagree {
        out.push(Some(if i % 2 == 0 {
            Coding::OtherAccount
        } else {
            Coding::OtherCostCentre
        }));
    }
    out.extend(std::iter::repeat_n(None, pending));
    out
}

fn plans() -> Vec<Plan> {
    vec![
        Plan {
            area: "schools",
            month: "2025-01",
            auto: 30,
            review: 8,
            audits: audits(9, 1, 2),
        },
        Plan {
            area: "schools",
            month: "2025-02",
            auto: 12,
            review: 3,
            audits: audits(4, 0, 0),
        },
        Plan {
            area: "care",
            month: "2025-01",
            auto: 5,
            review: 10,
            audits: audits(3, 3, 1),
        },
        Plan {
            area: "care",
            month: "2025-03",
            auto: 0,
            review: 2,
            audits: Vec::new(),
        },
    ]
}

/// Stores the plans' decisions and reviews; returns the audit samples' ids per (area, month).
async fn populate(s: &Service) -> BTreeMap<(String, String), Vec<String>> {
    let mut audit_ids: BTreeMap<(String, String), Vec<String>> = BTreeMap::new();
    let reviewed_at = ms("2025-04-01", 9, 0);
    for plan in plans() {
        let at = ms(&format!("{}-10", plan.month), 12, 0);
        let mut batch = Vec::new();
        let tag = format!("{}-{}", plan.area, plan.month);
        for i in 0..plan.auto {
            batch.push(decision(&format!("{tag}-a{i}"), plan.area, at, Kind::Auto));
        }
        for i in 0..plan.review {
            batch.push(decision(
                &format!("{tag}-r{i}"),
                plan.area,
                at,
                Kind::Review,
            ));
        }
        for i in 0..plan.audits.len() {
            batch.push(decision(&format!("{tag}-s{i}"), plan.area, at, Kind::Audit));
        }
        s.state.store.record(&batch).await.unwrap();
        // A plain review that disagrees: not an audit, so it must not count.
        if plan.review > 0 {
            review(s, &format!("{tag}-r0"), reviewed_at, Coding::OtherAccount).await;
        }
        for (i, coding) in plan.audits.iter().enumerate() {
            let id = format!("{tag}-s{i}");
            if let Some(coding) = coding {
                review(s, &id, reviewed_at, *coding).await;
            }
            audit_ids
                .entry((plan.area.to_owned(), plan.month.to_owned()))
                .or_default()
                .push(id);
        }
    }
    audit_ids
}

/// (audited, agreed) per (area, month), read back from the stored reviews: a review agrees when
/// on every line each field the service suggested equals the controller's.
async fn stored_comparisons(
    s: &Service,
    audit_ids: &BTreeMap<(String, String), Vec<String>>,
) -> BTreeMap<(String, String), (u64, u64)> {
    let mut out = BTreeMap::new();
    for (key, ids) in audit_ids {
        let (mut audited, mut agreed) = (0, 0);
        for id in ids {
            let Some(r) = s.state.store.review(&AreaScope::All, id).await.unwrap() else {
                continue;
            };
            audited += 1;
            let same = |suggested: &Option<String>, given: &Option<String>| {
                suggested.is_none() || suggested == given
            };
            if r.lines.iter().all(|l| {
                same(&l.suggested_account, &Some(l.account.clone()))
                    && same(&l.suggested_cost_centre, &l.cost_centre)
                    && same(&l.suggested_vat_code, &l.vat_code)
            }) {
                agreed += 1;
            }
        }
        out.insert(key.clone(), (audited, agreed));
    }
    out
}

/// The Wilson score interval at 95%, written out here rather than taken from the engine.
fn wilson(k: u64, n: u64) -> (f64, f64, f64) {
    let z = 1.959_963_984_540_054_f64;
    let (k, n) = (k as f64, n as f64);
    let p = k / n;
    let centre = (p + z * z / (2.0 * n)) / (1.0 + z * z / n);
    let half = z / (1.0 + z * z / n) * (p * (1.0 - p) / n + z * z / (4.0 * n * n)).sqrt();
    let lo = if k == 0.0 { 0.0 } else { centre - half };
    let hi = if k == n { 1.0 } else { centre + half };
    (p, lo, hi)
}

fn close(actual: &Value, expected: f64, what: &str) {
    let a = actual
        .as_f64()
        .unwrap_or_else(|| panic!("{what}: {actual}"));
    assert!((a - expected).abs() < 1e-9, "{what}: {a} is not {expected}");
}

/// Checks a figures object's audits against (audited, agreed).
fn check_precision(f: &Value, (audited, agreed): (u64, u64), what: &str) {
    assert_eq!(f["audited"], audited, "{what}: {f}");
    assert_eq!(f["agreed"], agreed, "{what}: {f}");
    if audited == 0 {
        assert_eq!(f["precision"], Value::Null, "{what}");
        return;
    }
    let (p, lo, hi) = wilson(agreed, audited);
    close(&f["precision"]["estimate"], p, what);
    close(&f["precision"]["lo"], lo, what);
    close(&f["precision"]["hi"], hi, what);
}

async fn dashboard(s: &Service, token: &str) -> Value {
    let (status, v) = s
        .send_with("GET", "/v1/dashboard", "", Some(token), Body::empty())
        .await;
    assert_eq!(status, StatusCode::OK, "{v}");
    v
}

fn area<'a>(d: &'a Value, name: &str) -> &'a Value {
    d["areas"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["area"] == name)
        .unwrap_or_else(|| panic!("no area {name} in {d}"))
}

fn month<'a>(months: &'a Value, key: &str) -> &'a Value {
    months
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["month"] == key)
        .unwrap_or_else(|| panic!("no month {key} in {months}"))
}

#[tokio::test]
async fn audited_precision_equals_the_one_computed_from_the_stored_comparisons() {
    let s = service(|_| {}).await;
    let audit_ids = populate(&s).await;
    let expected = stored_comparisons(&s, &audit_ids).await;
    // The plans' own arithmetic, as a check on the check.
    assert_eq!(expected[&("schools".into(), "2025-01".into())], (10, 9));
    assert_eq!(expected[&("care".into(), "2025-01".into())], (6, 3));

    let d = dashboard(&s, &s.tokens[&Role::Analyst]).await;
    assert_eq!(d["all_areas"], true);
    assert_eq!(d["start_year"], 2025);
    assert_eq!(d["currency"], "DKK");
    assert_eq!(d["saving_per_invoice"], "45.00");

    // Per area and month.
    for plan in plans() {
        let what = format!("{} {}", plan.area, plan.month);
        let f = month(&area(&d, plan.area)["months"], plan.month);
        let invoices = plan.auto + plan.review + plan.audits.len();
        assert_eq!(f["invoices"], invoices, "{what}");
        assert_eq!(f["auto"], plan.auto, "{what}");
        assert_eq!(f["would_auto"], plan.auto + plan.audits.len(), "{what}");
        assert_eq!(f["audit_samples"], plan.audits.len(), "{what}");
        close(
            &f["automation_rate"],
            plan.auto as f64 / invoices as f64,
            &what,
        );
        close(&f["target"], 0.2, &what);
        assert_eq!(f["savings"], format!("{}.00", plan.auto * 45), "{what}");
        let comparisons = expected
            .get(&(plan.area.to_owned(), plan.month.to_owned()))
            .copied()
            .unwrap_or((0, 0));
        check_precision(f, comparisons, &what);
        let pending = plan.audits.iter().filter(|a| a.is_none()).count();
        assert_eq!(f["pending_audits"], pending, "{what}");
    }

    // All areas per month, gaps filled: January to March.
    let months: Vec<&str> = d["months"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["month"].as_str().unwrap())
        .collect();
    assert_eq!(months, ["2025-01", "2025-02", "2025-03"]);
    let mut by_month: BTreeMap<&str, (u64, u64)> = BTreeMap::new();
    let mut overall = (0, 0);
    for ((_, m), (audited, agreed)) in &expected {
        let e = by_month.entry(m.as_str()).or_default();
        e.0 += audited;
        e.1 += agreed;
        overall.0 += audited;
        overall.1 += agreed;
    }
    for (m, counts) in &by_month {
        check_precision(month(&d["months"], m), *counts, m);
    }
    check_precision(month(&d["months"], "2025-03"), (0, 0), "2025-03");
    check_precision(&d["total"], overall, "total");
    assert_eq!(overall, (20, 16));

    let total_auto: usize = plans().iter().map(|p| p.auto).sum();
    assert_eq!(d["total"]["auto"], total_auto);
    assert_eq!(d["total"]["savings"], format!("{}.00", total_auto * 45));
    assert_eq!(d["total"]["target"], Value::Null);

    // The current month: nothing arrived in it; its target follows the year of operation.
    let as_of = d["as_of"].as_str().unwrap();
    let year: usize = as_of[..4].parse().unwrap();
    let target = [0.2, 0.3, 0.4, 0.5][(year - 2025).min(3)];
    assert_eq!(d["this_month"]["month"], as_of);
    assert_eq!(d["this_month"]["invoices"], 0);
    close(&d["this_month"]["target"], target, "this month");
    assert_eq!(d["this_month"]["savings"], "0.00");

    // The breaker's rule as configured; the audits were reviewed long before its window.
    assert_eq!(
        d["breaker"],
        json!({"floor": 0.85, "window_days": 90, "min_audits": 50})
    );
    assert_eq!(area(&d, "schools")["breaker"]["verdict"], "too_few_audits");
    assert_eq!(d["paused"], json!([]));
}

#[tokio::test]
async fn a_controller_sees_only_their_areas() {
    let s = service(|_| {}).await;
    let audit_ids = populate(&s).await;
    let expected = stored_comparisons(&s, &audit_ids).await;
    let store = &s.state.store;
    store
        .set_automation("care", true, "ada", Some("supplier change"), 1_000)
        .await
        .unwrap();
    store
        .set_automation(
            "schools",
            true,
            "circuit_breaker",
            Some("audited precision 41/50 = 82.0%"),
            2_000,
        )
        .await
        .unwrap();
    s.state.refresh_areas().await.unwrap();

    let carl = add_user(&s.state, "carl", Role::Controller, &["schools"]).await;
    let d = dashboard(&s, &carl).await;
    assert_eq!(d["all_areas"], false);
    assert_eq!(d["scope"], json!(["schools"]));
    let names: Vec<&Value> = d["areas"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| &a["area"])
        .collect();
    assert_eq!(names, [&json!("schools")]);
    // The all-areas series is schools' alone.
    let schools: Vec<_> = plans()
        .into_iter()
        .filter(|p| p.area == "schools")
        .collect();
    let months: Vec<&str> = d["months"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["month"].as_str().unwrap())
        .collect();
    assert_eq!(months, ["2025-01", "2025-02"]);
    for plan in &schools {
        let f = month(&d["months"], plan.month);
        assert_eq!(
            f["invoices"],
            plan.auto + plan.review + plan.audits.len(),
            "{}",
            plan.month
        );
        check_precision(
            f,
            expected[&("schools".to_owned(), plan.month.to_owned())],
            plan.month,
        );
    }
    let auto: usize = schools.iter().map(|p| p.auto).sum();
    assert_eq!(d["total"]["auto"], auto);
    assert_eq!(
        d["paused"],
        json!([{
            "area": "schools",
            "changed_by": "circuit_breaker",
            "circuit_breaker": true,
            "reason": "audited precision 41/50 = 82.0%",
            "changed_at": 2_000
        }])
    );
    // Year 1 is the service's first year, whoever asks.
    assert_eq!(d["start_year"], 2025);

    // A controller of every area sees both, and both pauses.
    let d = dashboard(&s, &s.tokens[&Role::Controller]).await;
    assert_eq!(d["all_areas"], true);
    assert_eq!(d["areas"].as_array().unwrap().len(), 2);
    assert_eq!(d["paused"].as_array().unwrap().len(), 2);
    assert_eq!(d["paused"][0]["circuit_breaker"], false);

    // A controller of no area sees nothing; the export is not for controllers.
    let nobody = add_user(&s.state, "nils", Role::Controller, &[]).await;
    let d = dashboard(&s, &nobody).await;
    assert_eq!(d["areas"], json!([]));
    assert_eq!(d["total"]["invoices"], 0);
    let (status, _) = s
        .send_with("GET", "/v1/reviews/export", "", Some(&carl), Body::empty())
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = s
        .send_with(
            "GET",
            "/v1/dashboard",
            "",
            Some(&s.tokens[&Role::Integration]),
            Body::empty(),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn audits_of_invoices_coded_through_the_api_count_in_this_month() {
    let s = service(|c| c.audit_rate = 1.0).await;
    let mut ids = Vec::new();
    for n in 0..4 {
        let (status, v) = s
            .post_json("/v1/invoices", &regular_invoice(&format!("A-{n}")))
            .await;
        assert_eq!(status, StatusCode::CREATED, "{v}");
        assert_eq!(v["decision"], "review", "{v}");
        assert_eq!(v["reasons"][0]["code"], "sample_check", "{v}");
        ids.push((
            v["decision_id"].as_str().unwrap().to_owned(),
            v["area"].as_str().unwrap().to_owned(),
        ));
    }
    let area_name = ids[0].1.clone();
    let (_, now) = kontera_serve::clock::now();
    for (i, (id, _)) in ids.iter().enumerate() {
        let stored = s.state.store.decision_by_id(id).await.unwrap().unwrap();
        let lines = stored
            .lines
            .iter()
            .map(|l| ReviewLine {
                line_no: l.line_no,
                // The last one disagrees.
                account: if i == 3 {
                    "0.00.00".to_owned()
                } else {
                    l.account.clone().unwrap()
                },
                cost_centre: l.cost_centre.clone(),
                vat_code: l.vat_code.clone(),
            })
            .collect();
        s.state
            .store
            .record_review(
                &AreaScope::All,
                &NewReview {
                    decision_id: id.clone(),
                    reviewer: "clara".to_owned(),
                    reviewed_at: now,
                    lines,
                },
            )
            .await
            .unwrap();
    }
    let d = dashboard(&s, &s.tokens[&Role::Analyst]).await;
    let m = &d["this_month"];
    assert_eq!(m["invoices"], 4, "{d}");
    assert_eq!(m["auto"], 0);
    assert_eq!(m["audit_samples"], 4);
    check_precision(m, (4, 3), "this month");
    // Reviewed just now, so inside the breaker's window: too few to judge.
    let breaker = &area(&d, &area_name)["breaker"];
    assert_eq!(breaker["audited"], 4);
    assert_eq!(breaker["agreed"], 3);
    assert_eq!(breaker["verdict"], "too_few_audits");
}

#[tokio::test]
async fn the_page_shows_both_charts_and_why_an_area_is_paused() {
    let s = service(|_| {}).await;
    populate(&s).await;
    s.state
        .store
        .set_automation(
            "care",
            true,
            "circuit_breaker",
            Some("audited precision <3/6> & falling"),
            ms("2025-04-02", 8, 30),
        )
        .await
        .unwrap();
    s.state.refresh_areas().await.unwrap();
    let (status, html) = s
        .send_with(
            "GET",
            "/dashboard",
            "",
            Some(&s.tokens[&Role::Analyst]),
            Body::empty(),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let html = html.as_str().unwrap();
    assert!(
        html.contains("<title>Trust dashboard · Kontera</title>"),
        "{html}"
    );
    for id in [
        "automation-chart",
        "precision-chart",
        "paused",
        "areas",
        "drift",
        "drift-months",
        "drift-precision-chart",
        "models",
    ] {
        assert!(html.contains(&format!("id=\"{id}\"")), "#{id} missing");
    }
    // Automation, precision, and the drift section's precision trend.
    assert_eq!(html.matches("<svg ").count(), 3);
    let automation = &html[html.find("id=\"automation-chart\"").unwrap()..];
    assert!(automation[..automation.find("</figure>").unwrap()].contains("<svg "));
    let precision = &html[html.find("id=\"precision-chart\"").unwrap()..];
    let precision = &precision[..precision.find("</figure>").unwrap()];
    // One whisker per month with audits (January and February), none for March.
    assert_eq!(precision.matches("class=\"whisker\"").count(), 2);
    // The pause, escaped, with who and when.
    let paused = &html[html.find("id=\"paused\"").unwrap()..];
    let paused = &paused[..paused.find("</section>").unwrap()];
    assert!(paused.contains("class=\"card alert\""), "{paused}");
    assert!(
        paused.contains(
            "<strong class=\"paused\">care</strong> paused by the circuit breaker on \
             2025-04-02 08:30 UTC: <span class=\"reason\">audited precision &lt;3/6&gt; &amp; \
             falling</span>"
        ),
        "{paused}"
    );
    // Schools in January: 9 of 10 audits agreed.
    let (p, lo, hi) = wilson(9, 10);
    let text = format!(
        "{:.1}% ({:.1}–{:.1}%, n=10)",
        p * 100.0,
        lo * 100.0,
        hi * 100.0
    );
    assert_eq!(text, "90.0% (59.6–98.2%, n=10)");
    let table = &html[html.find("id=\"areas\"").unwrap()..];
    let row = table
        .split("<tr>")
        .find(|r| r.contains("schools") && r.contains("2025-01"))
        .unwrap();
    assert!(row.contains(&text), "{row}");
    assert!(row.contains("1,350.00 DKK"), "{row}");
    // A controller of schools sees neither care nor its pause.
    let carl = add_user(&s.state, "carl", Role::Controller, &["schools"]).await;
    let (status, html) = s
        .send_with("GET", "/dashboard", "", Some(&carl), Body::empty())
        .await;
    assert_eq!(status, StatusCode::OK);
    let html = html.as_str().unwrap();
    assert!(
        !html.contains("care") && !html.contains("falling"),
        "{html}"
    );
    assert!(html.contains("No area is paused"));
}

/// GET `path` as `token`: status, content type and body.
async fn get_text(s: &Service, path: &str, token: &str) -> (StatusCode, String, String) {
    let request = Request::builder()
        .uri(path)
        .header("authorization", format!("Bearer {token}"))
        .body(Body::empty())
        .unwrap();
    let response = kontera_serve::app(s.state.clone())
        .oneshot(request)
        .await
        .unwrap();
    let status = response.status();
    let ctype = response
        .headers()
        .get(header::CONTENT_TYPE)
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default();
    let bytes = axum::body::to_bytes(response.into_body(), 1 << 30)
        .await
        .unwrap();
    (status, ctype, String::from_utf8(bytes.to_vec()).unwrap())
}

#[tokio::test]
async fn the_export_writes_reviewed_lines_as_postings() {
    let s = service(|_| {}).await;
    let store = &s.state.store;
    let jan = ms("2025-01-10", 12, 0);
    store
        .record(&[
            decision_for(
                "d-1",
                "F-2025,7",
                "schools",
                jan,
                Kind::Audit,
                ["1250.5", "-99.95"],
            ),
            decision_for("d-2", "F-2025-8", "care", jan, Kind::Review, ["10", "0.01"]),
            decision_for("d-3", "F-2025-9", "care", jan, Kind::Review, ["1", "2"]),
            decision("d-4", "care", jan, Kind::Auto),
        ])
        .await
        .unwrap();
    // d-2 reviewed first (the export is in review order), d-3 never.
    review(&s, "d-2", ms("2025-01-31", 23, 59), Coding::OtherCostCentre).await;
    review(&s, "d-1", ms("2025-02-01", 7, 0), Coding::Same).await;

    let analyst = &s.tokens[&Role::Analyst];
    let (status, ctype, body) = get_text(&s, "/v1/reviews/export", analyst).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(ctype, "text/csv; charset=utf-8");
    assert_eq!(
        body,
        "posting_id,invoice_id,line_no,posting_date,account,cost_centre,vat_code,project,amount\n\
         R-d-2-1,F-2025-8,1,2025-01-31,4.90,9999,I25,,10.00\n\
         R-d-2-2,F-2025-8,2,2025-01-31,4.91,2020,IREP,,0.01\n\
         R-d-1-1,\"F-2025,7\",1,2025-02-01,4.90,1010,I25,,1250.50\n\
         R-d-1-2,\"F-2025,7\",2,2025-02-01,4.91,2020,IREP,,-99.95\n"
    );

    let (status, _, body) = get_text(&s, "/v1/reviews/export?since=2025-02-01", analyst).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body.lines().count(), 3, "{body}");
    assert!(
        body.lines().skip(1).all(|l| l.starts_with("R-d-1-")),
        "{body}"
    );

    let (status, _, body) = get_text(
        &s,
        "/v1/reviews/export?file=reviews",
        &s.tokens[&Role::Admin],
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        body,
        "decision_id,invoice_id,reviewer,reviewed_at,audit,agreed\n\
         d-2,F-2025-8,clara,2025-01-31T23:59:00.000Z,false,false\n\
         d-1,\"F-2025,7\",clara,2025-02-01T07:00:00.000Z,true,true\n"
    );

    for (query, code) in [
        ("since=2025-2-1", "invalid_since"),
        ("since=yesterday", "invalid_since"),
        ("file=parquet", "invalid_file"),
        ("format=csv", "invalid_query"),
    ] {
        let (status, v) = s
            .send_with(
                "GET",
                &format!("/v1/reviews/export?{query}"),
                "",
                Some(analyst),
                Body::empty(),
            )
            .await;
        assert!(status.is_client_error(), "{query}: {status}");
        assert_eq!(v["code"], code, "{query}: {v}");
    }
}

/// Reviews the stored decision `id` as a controller: its own coding (agrees), or another
/// account on the first line (disagrees).
async fn review_stored(s: &Service, id: &str, agree: bool) {
    let stored = s.state.store.decision_by_id(id).await.unwrap().unwrap();
    let lines = stored
        .lines
        .iter()
        .map(|l| ReviewLine {
            line_no: l.line_no,
            account: if agree || l.line_no > 1 {
                l.account.clone().unwrap()
            } else {
                "0.00.00".to_owned()
            },
            cost_centre: l.cost_centre.clone(),
            vat_code: l.vat_code.clone(),
        })
        .collect();
    let (_, now) = kontera_serve::clock::now();
    s.state
        .store
        .record_review(
            &AreaScope::All,
            &NewReview {
                decision_id: id.to_owned(),
                reviewer: "clara".to_owned(),
                reviewed_at: now,
                lines,
            },
        )
        .await
        .unwrap();
}

/// Per model label: [invoices, auto, audit samples, audited, agreed], counted from the answers.
type Sent = BTreeMap<String, [u64; 5]>;

#[tokio::test]
async fn the_models_table_counts_what_each_version_decided() {
    // Two versions of the bundled model, as an analyst activates them.
    let dir = model_versions(&["v1", "v2"]);
    let models = dir.path().to_owned();
    let s = service(move |c| {
        c.models_dir = models;
        c.model = "v1".to_owned();
        c.audit_rate = 0.5;
    })
    .await;
    let mut sent: Sent = BTreeMap::new();
    let mut labels = Vec::new();
    for (v, n) in [("v1", 7), ("v2", 5)] {
        let (status, active) = s
            .put_json(
                "/v1/models/active",
                &json!({"version": v, "note": format!("{v} in service")}),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{active}");
        let label = active["label"].as_str().unwrap().to_owned();
        labels.push(label.clone());
        // Decisions strictly after the activation, activations strictly after the decisions.
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
        for i in 0..n {
            let (status, d) = s
                .post_json("/v1/invoices", &regular_invoice(&format!("{v}-{i}")))
                .await;
            assert_eq!(status, StatusCode::CREATED, "{d}");
            assert_eq!(d["model_version"], label.as_str());
            let e = sent.entry(label.clone()).or_default();
            e[0] += 1;
            if d["decision"] == "auto" {
                e[1] += 1;
            }
            if d["reasons"]
                .as_array()
                .unwrap()
                .iter()
                .any(|r| r["code"] == "sample_check")
            {
                e[2] += 1;
                // Every audit sample reviewed; every second one disagrees.
                let agree = !e[2].is_multiple_of(2);
                review_stored(&s, d["decision_id"].as_str().unwrap(), agree).await;
                e[3] += 1;
                e[4] += u64::from(agree);
            }
        }
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    }
    assert_ne!(labels[0], labels[1]);
    assert!(
        sent.values().map(|e| e[2]).sum::<u64>() >= 2,
        "the draw gave audit samples: {sent:?}"
    );

    let d = dashboard(&s, &s.tokens[&Role::Analyst]).await;
    let table = d["models"].as_array().unwrap();
    assert_eq!(table.len(), 2, "{}", d["models"]);
    let (_, models) = s.get("/v1/models").await;
    let log = models["activations"].as_array().unwrap();
    assert_eq!(log.len(), 2);
    for (i, m) in table.iter().enumerate() {
        let label = &labels[i];
        let [invoices, auto, samples, audited, agreed] = sent[label];
        assert_eq!(m["label"], label.as_str(), "{m}");
        assert_eq!(m["version"], ["v1", "v2"][i]);
        assert_eq!(m["active"], i == 1);
        let t = &m["total"];
        assert_eq!(t["invoices"], invoices, "{m}");
        assert_eq!(t["auto"], auto, "{m}");
        assert_eq!(t["audit_samples"], samples, "{m}");
        close(
            &t["automation_rate"],
            auto as f64 / invoices as f64,
            "automation rate",
        );
        check_precision(t, (audited, agreed), label);
        // In service from its activation to the next one, activated by the analyst.
        let periods = m["periods"].as_array().unwrap();
        assert_eq!(periods.len(), 1, "{m}");
        assert_eq!(periods[0]["from"], log[i]["activated_at"]);
        assert_eq!(periods[0]["activated_by"], "ana");
        assert_eq!(
            periods[0]["note"],
            format!("{} in service", ["v1", "v2"][i])
        );
        let to = if i == 0 {
            log[1]["activated_at"].clone()
        } else {
            Value::Null
        };
        assert_eq!(periods[0]["to"], to);
        assert!(m["first_decision"].as_i64().unwrap() > log[i]["activated_at"].as_i64().unwrap());
    }
    // The drift period is v2's: since its activation, its invoices only.
    let drift = &d["drift"];
    assert_eq!(drift["model"], labels[1].as_str());
    assert_eq!(drift["since_activation"], true);
    assert_eq!(drift["since"], log[1]["activated_at"]);
    let invoices: u64 = drift["months"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["invoices"].as_u64().unwrap())
        .sum();
    assert_eq!(invoices, sent[&labels[1]][0]);
    let precision = &drift["signals"][2];
    assert_eq!(precision["signal"], "audited_precision");
    assert_eq!(precision["of"], sent[&labels[1]][3]);
    assert_eq!(precision["count"], sent[&labels[1]][4]);

    // The page's table: one row per version, the active one tagged.
    let (status, html) = s
        .send_with(
            "GET",
            "/dashboard",
            "",
            Some(&s.tokens[&Role::Analyst]),
            Body::empty(),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let html = html.as_str().unwrap();
    let section = &html[html.find("id=\"models\"").unwrap()..];
    let section = &section[..section.find("</section>").unwrap()];
    assert_eq!(section.matches("<tr").count(), 3, "{section}");
    assert!(section.contains(&format!("{}</span> <span class=\"tag active\">", labels[1])));
    assert!(section.contains("ana <span class=\"muted\">(v1 in service)</span>"));
}

/// A CVR with a correct check digit that the bundled model's directory does not know.
fn unseen_cvr(s: &Service) -> Cvr {
    let model = s.state.models.active();
    let directory = &model.artifact.directory;
    (1_234_567..)
        .find_map(|base| Cvr::from_base(base).filter(|c| directory.creditor_by_cvr(*c).is_none()))
        .unwrap()
}

/// The regular invoice from another supplier, one the bundled model never saw.
fn unseen_invoice(number: &str, cvr: Cvr) -> Value {
    let mut v = regular_invoice(number);
    v["supplier"] = json!({"cvr": cvr.to_string(), "country": "DK"});
    v
}

fn signal<'a>(d: &'a Value, id: &str) -> &'a Value {
    d["drift"]["signals"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["signal"] == id)
        .unwrap_or_else(|| panic!("no signal {id} in {}", d["drift"]))
}

#[tokio::test]
async fn unseen_suppliers_are_counted_per_caller() {
    let s = service(|c| c.audit_rate = 0.0).await;
    let cvr = unseen_cvr(&s);
    // Three invoices from the regular supplier and one from the unseen one, for one area …
    let mut area = String::new();
    for (i, invoice) in [
        regular_invoice("K-1"),
        regular_invoice("K-2"),
        unseen_invoice("U-1", cvr),
        regular_invoice("K-3"),
    ]
    .iter()
    .enumerate()
    {
        let (status, d) = s.post_json("/v1/invoices", invoice).await;
        assert_eq!(status, StatusCode::CREATED, "{d}");
        if i == 2 {
            assert_eq!(d["decision"], "review", "an unknown creditor: {d}");
        }
        area = d["area"].as_str().unwrap().to_owned();
    }
    // … and two from the regular supplier for a unit of another area.
    let other_gln = {
        let model = s.state.models.active();
        model
            .artifact
            .directory
            .units()
            .iter()
            .find(|u| u.gln.is_some() && u.area.is_some_and(|a| a.as_str() != area))
            .map(|u| u.gln.unwrap().to_string())
            .unwrap()
    };
    let mut other = String::new();
    for n in ["O-1", "O-2"] {
        let mut v = regular_invoice(n);
        v["buyer"] = json!({"gln": other_gln});
        let (status, d) = s.post_json("/v1/invoices", &v).await;
        assert_eq!(status, StatusCode::CREATED, "{d}");
        other = d["area"].as_str().unwrap().to_owned();
    }
    assert_ne!(area, other);

    // The analyst: 1 of 6 invoices, under the 20% threshold. The bundled model was never
    // activated: the period is the last twelve months.
    let d = dashboard(&s, &s.tokens[&Role::Analyst]).await;
    assert_eq!(d["drift"]["since_activation"], false);
    let unseen = signal(&d, "unseen_suppliers");
    assert_eq!((&unseen["count"], &unseen["of"]), (&json!(1), &json!(6)));
    close(&unseen["share"], 1.0 / 6.0, "analyst");
    assert_eq!(unseen["threshold"], 0.2);
    assert_eq!(unseen["warning"], false);
    let months = d["drift"]["months"].as_array().unwrap();
    assert_eq!(months.len(), 12, "the last twelve months");
    let this = month(&d["drift"]["months"], d["as_of"].as_str().unwrap());
    assert_eq!(
        (&this["invoices"], &this["unseen_suppliers"]),
        (&json!(6), &json!(1))
    );
    assert_eq!(d["models"].as_array().unwrap().len(), 1);
    assert_eq!(d["models"][0]["total"]["invoices"], 6);
    assert_eq!(d["models"][0]["active"], true);
    assert_eq!(d["models"][0]["periods"][0]["activated_by"], Value::Null);

    // A controller of the first area: 1 of 4, past the threshold.
    let carl = add_user(&s.state, "carl", Role::Controller, &[&area]).await;
    let d = dashboard(&s, &carl).await;
    let unseen = signal(&d, "unseen_suppliers");
    assert_eq!((&unseen["count"], &unseen["of"]), (&json!(1), &json!(4)));
    close(&unseen["share"], 0.25, "controller");
    assert_eq!(unseen["warning"], true);
    let this = month(&d["drift"]["months"], d["as_of"].as_str().unwrap());
    assert_eq!(this["warnings"], json!(["unseen_suppliers"]));
    assert_eq!(d["models"][0]["total"]["invoices"], 4);
    let (status, html) = s
        .send_with("GET", "/dashboard", "", Some(&carl), Body::empty())
        .await;
    assert_eq!(status, StatusCode::OK);
    let html = html.as_str().unwrap();
    assert!(
        html.contains("<div class=\"card signal warn\" id=\"signal-unseen_suppliers\">"),
        "{html}"
    );
    assert!(
        html.contains("1 of 4 invoices · warning above 20.0%"),
        "{html}"
    );
    assert!(html.contains("<div class=\"card signal\" id=\"signal-closed_accounts\">"));

    // A controller of the other area: none of 2; of no area: nothing at all.
    let olga = add_user(&s.state, "olga", Role::Controller, &[&other]).await;
    let d = dashboard(&s, &olga).await;
    let unseen = signal(&d, "unseen_suppliers");
    assert_eq!((&unseen["count"], &unseen["of"]), (&json!(0), &json!(2)));
    assert_eq!(unseen["warning"], false);
    assert_eq!(d["models"][0]["total"]["invoices"], 2);
    let nils = add_user(&s.state, "nils", Role::Controller, &[]).await;
    let d = dashboard(&s, &nils).await;
    let unseen = signal(&d, "unseen_suppliers");
    assert_eq!((&unseen["count"], &unseen["of"]), (&json!(0), &json!(0)));
    assert_eq!(unseen["share"], Value::Null);
    assert_eq!(d["models"][0]["total"]["invoices"], 0);
}

#[tokio::test]
async fn closed_accounts_are_those_the_chart_in_force_closed() {
    // The account the bundled model codes the regular invoice to.
    const ACCOUNT: &str = "2.28.22-1-4.50";
    let s = service(|c| c.audit_rate = 0.0).await;
    let cvr = unseen_cvr(&s);
    let mut ids = Vec::new();
    for invoice in [
        regular_invoice("C-1"),
        regular_invoice("C-2"),
        unseen_invoice("C-3", cvr),
    ] {
        let (status, d) = s.post_json("/v1/invoices", &invoice).await;
        assert_eq!(status, StatusCode::CREATED, "{d}");
        ids.push(d["decision_id"].as_str().unwrap().to_owned());
    }
    // What was predicted, as stored.
    let (mut lines, mut on_account) = (0u64, 0u64);
    for id in &ids {
        for l in s
            .state
            .store
            .decision_by_id(id)
            .await
            .unwrap()
            .unwrap()
            .lines
        {
            if let Some(a) = l.account {
                lines += 1;
                on_account += u64::from(a == ACCOUNT);
            }
        }
    }
    assert!(on_account >= 2 && lines >= 3, "{on_account} of {lines}");

    let d = dashboard(&s, &s.tokens[&Role::Analyst]).await;
    let closed = signal(&d, "closed_accounts");
    assert_eq!(
        (&closed["count"], &closed["of"]),
        (&json!(0), &json!(lines))
    );
    assert_eq!(closed["warning"], false);

    let (status, chart) = s
        .send(
            "PUT",
            "/v1/chart",
            "text/csv",
            format!("account,name,valid_from,valid_to,change,successors\n{ACCOUNT},,,2026-01-01,closed,\n"),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{chart}");
    let d = dashboard(&s, &s.tokens[&Role::Analyst]).await;
    let closed = signal(&d, "closed_accounts");
    assert_eq!(
        (&closed["count"], &closed["of"]),
        (&json!(on_account), &json!(lines))
    );
    close(&closed["share"], on_account as f64 / lines as f64, "closed");
    assert_eq!(closed["threshold"], 0.01);
    assert_eq!(closed["warning"], true);
    let this = month(&d["drift"]["months"], d["as_of"].as_str().unwrap());
    assert_eq!(this["closed_accounts"], on_account);
    assert_eq!(this["predicted_accounts"], lines);
}
