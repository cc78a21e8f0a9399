//! Router tests of the controllers' review workspace: the queue within a controller's areas,
//! the reason filter, blind audit samples and their comparison, one review per decision, codings
//! refused with nothing stored, the circuit breaker, and the review pages.

mod common;

use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode, header};
use common::{Service, add_user, reason_codes, regular_invoice, service};
use kontera_store::{AreaScope, Role};
use serde_json::{Value, json};
use tower::ServiceExt;

const AREAS: [&str; 6] = [
    "daycare",
    "schools",
    "elderly_care",
    "social",
    "technical",
    "administration",
];

/// Sends a request with a bearer token; answers status, headers and the body as text.
async fn raw(
    s: &Service,
    method: &str,
    path: &str,
    content_type: &str,
    token: &str,
    body: impl Into<Body>,
) -> (StatusCode, HeaderMap, String) {
    let mut request = Request::builder()
        .method(method)
        .uri(path)
        .header("authorization", format!("Bearer {token}"));
    if !content_type.is_empty() {
        request = request.header("content-type", content_type);
    }
    let response = kontera_serve::app(s.state.clone())
        .oneshot(request.body(body.into()).unwrap())
        .await
        .unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = axum::body::to_bytes(response.into_body(), 1 << 30)
        .await
        .unwrap();
    (status, headers, String::from_utf8(bytes.to_vec()).unwrap())
}

fn clara(s: &Service) -> String {
    s.tokens[&Role::Controller].clone()
}

/// A page as the given controller.
async fn page(s: &Service, token: &str, path: &str) -> (StatusCode, String) {
    let (status, _, body) = raw(s, "GET", path, "", token, Body::empty()).await;
    (status, body)
}

/// Posts the review form; answers status, the redirect target (if any) and the body.
async fn post_form(
    s: &Service,
    token: &str,
    path: &str,
    form: &[(&str, &str)],
) -> (StatusCode, Option<String>, String) {
    let body: Vec<String> = form
        .iter()
        .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
        .collect();
    let (status, headers, text) = raw(
        s,
        "POST",
        path,
        "application/x-www-form-urlencoded",
        token,
        body.join("&"),
    )
    .await;
    let location = headers
        .get(header::LOCATION)
        .map(|l| l.to_str().unwrap().to_owned());
    (status, location, text)
}

fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// An invoice that goes to review with the suggestion attached (its VAT is off).
async fn review_invoice(s: &Service, number: &str) -> Value {
    let mut invoice = regular_invoice(number);
    invoice["totals"]["vat"] = json!("100.00");
    let (status, v) = s.post_json("/v1/invoices", &invoice).await;
    assert_eq!(status, StatusCode::CREATED, "{v}");
    assert_eq!(v["decision"], "review", "{v}");
    assert!(reason_codes(&v).contains(&"vat_mismatch".to_owned()), "{v}");
    v
}

/// The page without the list of known accounts (the same on every page, so no hint).
fn without_datalist(html: &str) -> String {
    match (html.find("<datalist"), html.find("</datalist>")) {
        (Some(start), Some(end)) => format!("{}{}", &html[..start], &html[end..]),
        _ => html.to_owned(),
    }
}

/// A credit note: to review for its kind.
async fn credit_note(s: &Service, number: &str) -> Value {
    let mut invoice = regular_invoice(number);
    invoice["type"] = json!("credit_note");
    let (status, v) = s.post_json("/v1/invoices", &invoice).await;
    assert_eq!(status, StatusCode::CREATED, "{v}");
    assert!(reason_codes(&v).contains(&"credit_note".to_owned()), "{v}");
    v
}

fn id_of(v: &Value) -> String {
    v["decision_id"].as_str().unwrap().to_owned()
}

/// The coding the service stored for a decision's first line (an audit sample's hidden one).
async fn stored_coding(s: &Service, id: &str) -> (u32, String, Option<String>, Option<String>) {
    let d = s.state.store.decision_by_id(id).await.unwrap().unwrap();
    let l = &d.lines[0];
    (
        l.line_no,
        l.account
            .clone()
            .expect("the model codes the regular invoice"),
        l.cost_centre.clone(),
        l.vat_code.clone(),
    )
}

/// A known account other than `not`.
fn other_account(s: &Service, not: &str) -> String {
    s.state
        .models
        .active()
        .accounts
        .iter()
        .map(|a| a.id.as_str().to_owned())
        .find(|a| a != not)
        .expect("the bundled model knows more than one account")
}

fn review_body(line_no: u32, account: &str, cc: Option<&str>, vat: Option<&str>) -> Value {
    json!({"lines": [{"line_no": line_no, "account": account, "cost_centre": cc, "vat_code": vat}]})
}

async fn post_review(s: &Service, token: &str, id: &str, body: &Value) -> (StatusCode, Value) {
    s.send_with(
        "POST",
        &format!("/v1/reviews/{id}"),
        "application/json",
        Some(token),
        body.to_string(),
    )
    .await
}

async fn get_as(s: &Service, token: &str, path: &str) -> (StatusCode, Value) {
    s.send_with("GET", path, "", Some(token), Body::empty())
        .await
}

#[tokio::test]
async fn the_queue_shows_only_the_review_decisions_of_the_controllers_areas() {
    let s = service(|c| c.audit_rate = 0.0).await;
    let first = review_invoice(&s, "Q-1").await;
    let second = credit_note(&s, "Q-2").await;
    // Posted automatically: never in the queue.
    let (_, auto) = s.post_json("/v1/invoices", &regular_invoice("Q-3")).await;
    assert_eq!(auto["decision"], "auto", "{auto}");
    let area = first["area"].as_str().unwrap().to_owned();
    let elsewhere = AREAS.iter().find(|a| **a != area).unwrap();

    let (status, list) = s.get("/v1/reviews").await;
    assert_eq!(status, StatusCode::OK, "{list}");
    let rows = list.as_array().unwrap();
    assert_eq!(rows.len(), 2, "{list}");
    assert_eq!(rows[0]["decision_id"], first["decision_id"]);
    assert_eq!(rows[1]["decision_id"], second["decision_id"]);
    assert!(rows[0]["received_at"].as_i64() <= rows[1]["received_at"].as_i64());
    assert_eq!(rows[0]["number"], "Q-1");
    assert_eq!(rows[0]["supplier"], "53807186");
    assert_eq!(rows[0]["currency"], "DKK");
    assert_eq!(rows[0]["area"], area.as_str());
    assert_eq!(rows[0]["total"], regular_invoice("Q-1")["totals"]["net"]);
    assert_eq!(rows[0]["reasons"][0]["code"], "vat_mismatch");
    assert_eq!(
        rows[0]["reasons"][0]["message"],
        first["reasons"][0]["message"]
    );
    assert!(rows[0].get("audit").is_none(), "{list}");

    // A controller of the invoices' own area sees them too.
    let own = add_user(&s.state, "otto", Role::Controller, &[&area]).await;
    let (_, list) = get_as(&s, &own, "/v1/reviews").await;
    assert_eq!(list.as_array().unwrap().len(), 2, "{list}");

    // A controller of another area sees none of them, and cannot open or review one.
    let other = add_user(&s.state, "olga", Role::Controller, &[elsewhere]).await;
    let (status, list) = get_as(&s, &other, "/v1/reviews").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(list, json!([]));
    let id = id_of(&first);
    let (status, err) = get_as(&s, &other, &format!("/v1/reviews/{id}")).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{err}");
    assert_eq!(err["code"], "not_found");
    let (status, missing) = get_as(&s, &other, "/v1/reviews/d-0000000000000000").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(missing["code"], err["code"]);
    let (line_no, account, cc, vat) = stored_coding(&s, &id).await;
    let body = review_body(line_no, &account, cc.as_deref(), vat.as_deref());
    let (status, err) = post_review(&s, &other, &id, &body).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{err}");
    assert_eq!(err["code"], "not_found");
    assert_eq!(
        s.state.store.review(&AreaScope::All, &id).await.unwrap(),
        None
    );
    // The pages answer alike.
    let (status, html) = page(&s, &other, "/review").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("id=\"empty\""), "{html}");
    assert!(!html.contains("data-decision="), "{html}");
    let (status, html) = page(&s, &other, &format!("/review/{id}")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(!html.contains("Q-1"), "{html}");
    let (status, _, _) = post_form(
        &s,
        &other,
        &format!("/review/{id}"),
        &[("account-1", &account), ("action", "save")],
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(
        s.state.store.review(&AreaScope::All, &id).await.unwrap(),
        None
    );
    // Analysts have no review queue.
    let (status, _) = get_as(&s, &s.tokens[&Role::Analyst], "/v1/reviews").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn the_reason_filter_lists_only_that_reason() {
    let s = service(|c| c.audit_rate = 0.0).await;
    let vat = review_invoice(&s, "F-1").await;
    let credit = credit_note(&s, "F-2").await;

    let (_, list) = s.get("/v1/reviews?reason=credit_note").await;
    let rows = list.as_array().unwrap();
    assert_eq!(rows.len(), 1, "{list}");
    assert_eq!(rows[0]["decision_id"], credit["decision_id"]);
    let (_, list) = s.get("/v1/reviews?reason=vat_mismatch").await;
    assert_eq!(list.as_array().unwrap().len(), 1, "{list}");
    assert_eq!(list[0]["decision_id"], vat["decision_id"]);
    let (_, list) = s.get("/v1/reviews?reason=area_paused").await;
    assert_eq!(list, json!([]));
    let (_, list) = s.get("/v1/reviews?limit=1").await;
    assert_eq!(list.as_array().unwrap().len(), 1);
    assert_eq!(list[0]["decision_id"], vat["decision_id"], "oldest first");

    let (status, err) = s.get("/v1/reviews?reason=vat").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{err}");
    assert_eq!(err["field"], "reason");
    assert!(err["message"].as_str().unwrap().contains("vat_mismatch"));
    for bad in ["0", "501", "many"] {
        let (status, err) = s.get(&format!("/v1/reviews?limit={bad}")).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}: {err}");
        assert_eq!(err["field"], "limit");
    }

    // The page: filter links with counts, and only the filtered rows.
    let (status, html) = page(&s, &clara(&s), "/review?reason=credit_note").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Credit note (1)"), "{html}");
    assert!(html.contains("VAT mismatch (1)"), "{html}");
    assert!(html.contains(&format!("data-decision=\"{}\"", id_of(&credit))));
    assert!(!html.contains(&format!("data-decision=\"{}\"", id_of(&vat))));
    // The invoice link keeps the filter.
    assert!(html.contains(&format!(
        "href=\"/review/{}?reason=credit_note\"",
        id_of(&credit)
    )));
}

#[tokio::test]
async fn an_audit_sample_is_blind_until_reviewed_then_shows_the_comparison() {
    let s = service(|c| c.audit_rate = 1.0).await;
    let (status, v) = s.post_json("/v1/invoices", &regular_invoice("S-1")).await;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(reason_codes(&v), ["sample_check"], "{v}");
    let id = id_of(&v);
    let (line_no, account, cc, vat) = stored_coding(&s, &id).await;
    let quoted = format!("\"{account}\"");

    // Blind: lines and reasons, no suggestion, no word of an audit.
    let (status, detail) = s.get(&format!("/v1/reviews/{id}")).await;
    assert_eq!(status, StatusCode::OK, "{detail}");
    assert_eq!(detail["lines"][0]["line_no"], line_no);
    assert!(
        detail["lines"][0]["description"]
            .as_str()
            .unwrap()
            .contains("Beskæring")
    );
    assert_eq!(detail["lines"][0]["suggestion"], Value::Null);
    assert_eq!(detail["review"], Value::Null);
    assert_eq!(reason_codes(&detail), ["sample_check"]);
    let text = detail.to_string();
    assert!(!text.contains(&quoted), "{text}");
    assert!(!text.to_lowercase().contains("audit"), "{text}");
    let (status, html) = page(&s, &clara(&s), &format!("/review/{id}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("<datalist id=\"accounts\">"));
    assert!(
        !without_datalist(&html).contains(&account),
        "no suggested account: {html}"
    );
    assert!(!html.to_lowercase().contains("audit"), "{html}");
    assert!(
        html.contains(&format!("name=\"account-{line_no}\" value=\"\"")),
        "{html}"
    );
    assert!(html.contains("id=\"save\""));
    assert!(!html.contains("id=\"accept\""), "nothing to accept: {html}");
    assert!(!html.contains("id=\"comparison\""));

    // Reviewed in agreement: the comparison shows what would have been posted.
    let (status, review) = s
        .post_json(
            &format!("/v1/reviews/{id}"),
            &review_body(line_no, &account, cc.as_deref(), vat.as_deref()),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{review}");
    assert_eq!(review["reviewer"], "clara");
    assert_eq!(review["audit"], true);
    assert_eq!(review["agreed"], true);
    assert_eq!(
        review["comparison"][0]["suggested"]["account"],
        account.as_str()
    );
    assert_eq!(
        review["comparison"][0]["chosen"]["account"],
        account.as_str()
    );
    assert_eq!(review["comparison"][0]["matches"], true);
    assert!(review.get("breaker").is_none(), "{review}");
    let (_, detail) = s.get(&format!("/v1/reviews/{id}")).await;
    assert_eq!(detail["review"]["comparison"], review["comparison"]);
    assert_eq!(detail["review"]["lines"][0]["account"], account.as_str());
    let (_, html) = page(&s, &clara(&s), &format!("/review/{id}")).await;
    assert!(html.contains("id=\"comparison\""), "{html}");
    assert!(html.contains("Kontera would have posted"));
    assert!(html.contains(&account));
    assert!(html.contains("id=\"next\""));
    assert!(!html.contains("id=\"coding\""), "no form once reviewed");
    // Reviewed: out of the queue.
    let (_, list) = s.get("/v1/reviews").await;
    assert_eq!(list, json!([]));

    // Through the page, in disagreement: back to its own page with the comparison.
    let (_, v) = s.post_json("/v1/invoices", &regular_invoice("S-2")).await;
    let id2 = id_of(&v);
    let (line_no, account, _, _) = stored_coding(&s, &id2).await;
    let wrong = other_account(&s, &account);
    let (status, location, _) = post_form(
        &s,
        &clara(&s),
        &format!("/review/{id2}"),
        &[(&format!("account-{line_no}"), &wrong), ("action", "save")],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let location = location.unwrap();
    assert_eq!(location, format!("/review/{id2}?saved={id2}"));
    let (status, html) = page(&s, &clara(&s), &location).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("id=\"notice\""), "{html}");
    assert!(html.contains("id=\"comparison\""));
    assert!(html.contains("data-agreed=\"false\""));
    assert!(html.contains("class=\"mismatch\""));
    assert!(html.contains(&account) && html.contains(&wrong));
    let stored = s
        .state
        .store
        .review(&AreaScope::All, &id2)
        .await
        .unwrap()
        .unwrap();
    assert!(!stored.agreed);
    assert_eq!(stored.lines[0].account, wrong);
    assert_eq!(
        stored.lines[0].suggested_account.as_deref(),
        Some(account.as_str())
    );
}

#[tokio::test]
async fn a_second_review_is_refused_naming_the_first_reviewer() {
    let s = service(|c| c.audit_rate = 0.0).await;
    let v = review_invoice(&s, "R-1").await;
    let id = id_of(&v);
    let (line_no, account, cc, vat) = stored_coding(&s, &id).await;
    let body = review_body(line_no, &account, cc.as_deref(), vat.as_deref());
    let (status, first) = post_review(&s, &clara(&s), &id, &body).await;
    assert_eq!(status, StatusCode::CREATED, "{first}");
    assert_eq!(first["audit"], false);
    assert_eq!(first["agreed"], true);

    let bob = add_user(&s.state, "bob", Role::Controller, &["*"]).await;
    let wrong = other_account(&s, &account);
    let (status, err) = post_review(&s, &bob, &id, &review_body(line_no, &wrong, None, None)).await;
    assert_eq!(status, StatusCode::CONFLICT, "{err}");
    assert_eq!(err["code"], "already_reviewed");
    assert!(err["message"].as_str().unwrap().contains("clara"), "{err}");
    let stored = s
        .state
        .store
        .review(&AreaScope::All, &id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.reviewer, "clara");
    assert_eq!(stored.lines[0].account, account);

    // The page says so too, and shows the first review.
    let (status, _, html) = post_form(
        &s,
        &bob,
        &format!("/review/{id}"),
        &[(&format!("account-{line_no}"), &wrong), ("action", "save")],
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(html.contains("already reviewed by clara"), "{html}");
    assert!(html.contains("id=\"comparison\""));
}

#[tokio::test]
async fn a_coding_the_service_cannot_post_is_refused_and_nothing_stored() {
    let s = service(|c| c.audit_rate = 0.0).await;
    let v = review_invoice(&s, "X-1").await;
    let id = id_of(&v);
    let (line_no, account, _, _) = stored_coding(&s, &id).await;
    let cases = [
        (
            review_body(line_no, "9.99.99.99", None, None),
            "unknown_account",
            "lines[0].account",
        ),
        (
            review_body(line_no, " ", None, None),
            "missing_field",
            "lines[0].account",
        ),
        (
            review_body(line_no, "40 10", None, None),
            "invalid_field",
            "lines[0].account",
        ),
        (
            json!({"lines": [{"line_no": line_no, "account": account, "note": "x"}]}),
            "unknown_field",
            "lines[0].note",
        ),
        (
            json!({"lines": [{"line_no": line_no, "account": account}], "by": "x"}),
            "unknown_field",
            "by",
        ),
        (json!({}), "missing_field", "lines"),
        (
            json!({"lines": [{"account": account}]}),
            "missing_field",
            "lines[0].line_no",
        ),
        (
            json!({"lines": [{"line_no": line_no, "account": account, "cost_centre": ""}]}),
            "invalid_field",
            "lines[0].cost_centre",
        ),
        (
            review_body(line_no + 1, &account, None, None),
            "lines_mismatch",
            "lines",
        ),
    ];
    for (body, code, field) in cases {
        let (status, err) = post_review(&s, &clara(&s), &id, &body).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}: {err}");
        assert_eq!(err["code"], code, "{body}: {err}");
        assert_eq!(err["field"], field, "{body}: {err}");
    }
    let (status, err) = s
        .send_with(
            "POST",
            &format!("/v1/reviews/{id}"),
            "application/json",
            Some(&clara(&s)),
            "{\"lines\": [",
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{err}");
    assert_eq!(err["code"], "malformed_json");
    assert_eq!(
        s.state.store.review(&AreaScope::All, &id).await.unwrap(),
        None
    );

    // The page re-renders with the error and the values typed.
    let field = format!("account-{line_no}");
    let (status, _, html) = post_form(
        &s,
        &clara(&s),
        &format!("/review/{id}"),
        &[(&field, ""), ("action", "save")],
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("id=\"error\""), "{html}");
    assert!(html.contains("needs an account"), "{html}");
    assert!(
        html.contains(&format!("name=\"{field}\" value=\"\"")),
        "{html}"
    );
    assert!(html.contains("aria-invalid=\"true\""), "{html}");
    let (status, _, html) = post_form(
        &s,
        &clara(&s),
        &format!("/review/{id}"),
        &[(&field, "9.99.99.99"), ("action", "save")],
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("value=\"9.99.99.99\""), "{html}");
    assert!(
        html.contains("not an account of the current chart"),
        "{html}"
    );
    assert_eq!(
        s.state.store.review(&AreaScope::All, &id).await.unwrap(),
        None
    );
}

#[tokio::test]
async fn the_circuit_breaker_pauses_an_area_whose_audits_disagree() {
    // The supplier × unit's corrections and the held codes would hold the invoices back before
    // the breaker judges: out of the way here.
    let s = service(|c| {
        c.audit_rate = 1.0;
        c.trust.breaker_min_audits = 5;
        c.trust.breaker_floor = 0.5;
        c.trust.recent_change_days = 0;
        c.trust.hold_window_days = 0;
    })
    .await;
    let mut area = String::new();
    for i in 1..=5 {
        let (_, v) = s
            .post_json("/v1/invoices", &regular_invoice(&format!("B-{i}")))
            .await;
        assert_eq!(reason_codes(&v), ["sample_check"], "{v}");
        area = v["area"].as_str().unwrap().to_owned();
        let id = id_of(&v);
        let (line_no, account, cc, vat) = stored_coding(&s, &id).await;
        let wrong = other_account(&s, &account);
        let (status, review) = s
            .post_json(
                &format!("/v1/reviews/{id}"),
                &review_body(line_no, &wrong, cc.as_deref(), vat.as_deref()),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{review}");
        assert_eq!(review["agreed"], false);
        if i < 5 {
            // Too few audits to judge.
            assert!(review.get("breaker").is_none(), "{i}: {review}");
            assert!(!s.state.is_paused(Some(&area)));
        } else {
            assert_eq!(review["breaker"]["tripped"], true, "{review}");
            assert_eq!(review["breaker"]["area"], area.as_str());
            let message = review["breaker"]["message"].as_str().unwrap();
            assert!(
                message.contains("0/5") && message.contains("automation paused"),
                "{message}"
            );
        }
    }
    let (status, areas) = s.get("/v1/areas").await;
    assert_eq!(status, StatusCode::OK, "{areas}");
    let entry = areas
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["area"] == area.as_str())
        .unwrap_or_else(|| panic!("{area} in {areas}"));
    assert_eq!(entry["paused"], true);
    assert_eq!(entry["changed_by"], "circuit_breaker");
    assert!(
        entry["reason"]
            .as_str()
            .unwrap()
            .contains("below the floor 50.0%"),
        "{entry}"
    );

    // The next invoice of the area goes to review as paused (no longer a would-be automatic).
    let (_, v) = s.post_json("/v1/invoices", &regular_invoice("B-6")).await;
    assert_eq!(v["decision"], "review");
    assert_eq!(reason_codes(&v), ["area_paused"], "{v}");
    let history = s.state.store.automation_history(&area).await.unwrap();
    assert_eq!(history.len(), 1, "paused once: {history:?}");
}

#[tokio::test]
async fn pages_list_the_queue_and_accept_moves_on_to_the_next_invoice() {
    let s = service(|c| c.audit_rate = 0.0).await;
    let first = review_invoice(&s, "P-1").await;
    let second = review_invoice(&s, "P-2").await;
    let (id1, id2) = (id_of(&first), id_of(&second));
    let token = clara(&s);

    let (status, html) = page(&s, &token, "/review").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("<title>Review queue"), "{html}");
    assert!(html.contains("<table id=\"queue\""));
    let at1 = html.find(&format!("data-decision=\"{id1}\"")).unwrap();
    let at2 = html.find(&format!("data-decision=\"{id2}\"")).unwrap();
    assert!(at1 < at2, "oldest first");
    assert!(html.contains("P-1") && html.contains("VAT mismatch"));
    assert!(html.contains(&format!("href=\"/review/{id1}\"")));

    let (line_no, account, cc, _) = stored_coding(&s, &id1).await;
    let (status, html) = page(&s, &token, &format!("/review/{id1}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Why it was not automated"));
    assert!(html.contains("vat_mismatch"));
    assert!(html.contains("id=\"accept\"") && html.contains("accesskey=\"a\""));
    assert!(html.contains("id=\"save\""));
    assert!(html.contains("<datalist id=\"accounts\">"));
    assert!(
        html.contains(&format!("name=\"account-{line_no}\" value=\"{account}\"")),
        "{html}"
    );
    assert!(html.contains("class=\"band-"), "{html}");
    assert!(html.contains("<script>"), "the keyboard shortcut");

    // Accept stores the suggestion, whatever the fields hold, and moves on.
    let (status, location, _) = post_form(
        &s,
        &token,
        &format!("/review/{id1}"),
        &[
            (&format!("account-{line_no}"), "typed over"),
            ("action", "accept"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let location = location.unwrap();
    assert_eq!(location, format!("/review/{id2}?saved={id1}"));
    let stored = s
        .state
        .store
        .review(&AreaScope::All, &id1)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.reviewer, "clara");
    assert!(stored.agreed);
    assert_eq!(stored.lines[0].account, account);
    assert_eq!(stored.lines[0].cost_centre, cc);
    let (_, html) = page(&s, &token, &location).await;
    assert!(
        html.contains("id=\"notice\"") && html.contains("P-1"),
        "{html}"
    );
    assert!(html.contains("id=\"coding\""), "the next invoice's form");

    // Save takes the fields; the queue is then empty.
    let (line_no, account, _, _) = stored_coding(&s, &id2).await;
    let wrong = other_account(&s, &account);
    let (status, location, _) = post_form(
        &s,
        &token,
        &format!("/review/{id2}"),
        &[
            (&format!("account-{line_no}"), &wrong),
            (&format!("cost_centre-{line_no}"), ""),
            ("action", "save"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(
        location.as_deref(),
        Some(format!("/review?saved={id2}").as_str())
    );
    let stored = s
        .state
        .store
        .review(&AreaScope::All, &id2)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.lines[0].account, wrong);
    assert_eq!(stored.lines[0].cost_centre, None);
    let (_, html) = page(&s, &token, &format!("/review?saved={id2}")).await;
    assert!(
        html.contains("id=\"notice\"") && html.contains("P-2"),
        "{html}"
    );
    assert!(html.contains("id=\"empty\""), "{html}");
    // A reviewed invoice's page shows the comparison.
    let (_, html) = page(&s, &token, &format!("/review/{id2}")).await;
    assert!(
        html.contains("id=\"comparison\"") && html.contains("Suggested"),
        "{html}"
    );
}
