//! Authorization over every route: for each (method, path) of the router and each kind of
//! caller, the status is exactly what the access policy says, and a refused request changes
//! nothing. Then the object level (a controller reaches only their own areas' invoices) and the
//! Origin check on cookie-authenticated writes.

mod common;

use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode, header};
use common::{Service, add_user, regular_invoice, service, snapshot};
use kontera_serve::auth::policy::{Access, access};
use kontera_serve::auth::secret;
use kontera_store::{Role, UserChange};
use serde_json::{Value, json};
use tower::ServiceExt;

/// A response: status, headers, body as text.
struct Answer {
    status: StatusCode,
    headers: HeaderMap,
    body: String,
}

impl Answer {
    fn location(&self) -> &str {
        self.headers
            .get(header::LOCATION)
            .map_or("", |l| l.to_str().unwrap())
    }

    fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or(Value::Null)
    }
}

async fn send(s: &Service, request: Request<Body>) -> Answer {
    let response = kontera_serve::app(s.state.clone())
        .oneshot(request)
        .await
        .unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = axum::body::to_bytes(response.into_body(), 1 << 24)
        .await
        .unwrap();
    Answer {
        status,
        headers,
        body: String::from_utf8_lossy(&bytes).into_owned(),
    }
}

/// A request to `path`: API writes carry `{}`, page writes an empty form.
fn request(method: &str, path: &str, page: bool, token: Option<&str>) -> Request<Body> {
    let mut r = Request::builder()
        .method(method.to_uppercase().as_str())
        .uri(path);
    if let Some(t) = token {
        r = r.header(header::AUTHORIZATION, format!("Bearer {t}"));
    }
    if method.eq_ignore_ascii_case("get") {
        return r.body(Body::empty()).unwrap();
    }
    if page {
        r.header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::empty())
            .unwrap()
    } else {
        r.header(header::CONTENT_TYPE, "application/json")
            .body(Body::from("{}"))
            .unwrap()
    }
}

/// A decision sent to review: the bundled model's regular invoice, decided while its area is
/// paused. Returns (decision id, area, the suggested lines).
async fn review_decision(s: &Service, number: &str) -> (String, String, Value) {
    let (status, v) = s.post_json("/v1/invoices", &regular_invoice(number)).await;
    assert_eq!(status, StatusCode::CREATED, "{v}");
    let area = v["area"]
        .as_str()
        .expect("the regular invoice has an area")
        .to_owned();
    // Decide it again under a pause, as a new invoice, so it goes to review.
    s.state
        .store
        .set_automation(&area, true, "test", Some("authz"), 1)
        .await
        .unwrap();
    s.state.refresh_areas().await.unwrap();
    let (status, v) = s
        .post_json("/v1/invoices", &regular_invoice(&format!("{number}-R")))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{v}");
    assert_eq!(v["decision"], "review", "{v}");
    s.state
        .store
        .set_automation(&area, false, "test", Some("authz"), 2)
        .await
        .unwrap();
    s.state.refresh_areas().await.unwrap();
    (
        v["decision_id"].as_str().unwrap().to_owned(),
        area,
        v["lines"].clone(),
    )
}

/// The route's pattern with its parameters filled with real values.
fn fill(pattern: &str, decision_id: &str) -> String {
    pattern
        .replace("{area}", "schools")
        .replace("{decision_id}", decision_id)
        .replace("{name}", "clara")
}

#[tokio::test]
async fn every_route_answers_every_caller_as_the_policy_says_and_refusals_change_nothing() {
    let s = service(|_| {}).await;
    let (decision_id, _, _) = review_decision(&s, "AZ-1").await;
    let carl = add_user(&s.state, "carl", Role::Controller, &["elsewhere"]).await;
    let revoked = add_user(&s.state, "rita", Role::Analyst, &[]).await;
    let id: String = secret::digest(&revoked).chars().take(12).collect();
    assert!(s.state.store.revoke_token("rita", &id).await.unwrap());
    let disabled = add_user(&s.state, "dan", Role::Admin, &[]).await;
    s.state
        .store
        .update_user(
            "dan",
            &UserChange {
                disabled: Some(true),
                ..UserChange::default()
            },
        )
        .await
        .unwrap();
    let wrong = format!("kt_{}", "0".repeat(64));
    let callers: [(&str, Option<&str>, Option<Role>); 8] = [
        (
            "integration",
            Some(&s.tokens[&Role::Integration]),
            Some(Role::Integration),
        ),
        (
            "controller of another area",
            Some(&carl),
            Some(Role::Controller),
        ),
        (
            "analyst",
            Some(&s.tokens[&Role::Analyst]),
            Some(Role::Analyst),
        ),
        ("admin", Some(&s.tokens[&Role::Admin]), Some(Role::Admin)),
        ("no credentials", None, None),
        ("wrong token", Some(&wrong), None),
        ("revoked token", Some(&revoked), None),
        ("disabled user's token", Some(&disabled), None),
    ];
    let routes: Vec<(&str, &str)> = kontera_serve::api::ROUTES
        .iter()
        .chain(kontera_serve::web::PAGES.iter())
        .copied()
        .collect();
    assert_eq!(routes.len(), 36);
    let mut checked = 0;
    for (method, pattern) in routes {
        let rule =
            access(method, pattern).unwrap_or_else(|| panic!("{method} {pattern} has no rule"));
        let page = kontera_serve::auth::is_page(pattern);
        let path = fill(pattern, &decision_id);
        for (who, token, role) in &callers {
            let before = snapshot(&s.state).await;
            let a = send(&s, request(method, &path, page, *token)).await;
            let what = format!(
                "{method} {path} as {who}: {} {}",
                a.status,
                a.body.chars().take(300).collect::<String>()
            );
            let refused = match (rule, role) {
                (Access::Public, _) => {
                    assert!(
                        a.status != StatusCode::UNAUTHORIZED && a.status != StatusCode::FORBIDDEN,
                        "{what}"
                    );
                    assert!(!a.location().starts_with("/login?"), "{what}");
                    false
                }
                (_, None) if page => {
                    assert_eq!(a.status, StatusCode::SEE_OTHER, "{what}");
                    assert!(a.location().starts_with("/login?next="), "{what}");
                    true
                }
                (_, None) => {
                    assert_eq!(a.status, StatusCode::UNAUTHORIZED, "{what}");
                    assert_eq!(a.json()["code"], "unauthenticated", "{what}");
                    // A token that is not (or no longer) known is RFC 6750's `invalid_token`.
                    let challenge = if token.is_some() {
                        "Bearer error=\"invalid_token\""
                    } else {
                        "Bearer"
                    };
                    assert_eq!(a.headers[header::WWW_AUTHENTICATE], challenge, "{what}");
                    true
                }
                (rule, Some(role)) if !rule.allows(*role) => {
                    assert_eq!(a.status, StatusCode::FORBIDDEN, "{what}");
                    if page {
                        assert!(a.body.contains("Not allowed"), "{what}");
                    } else {
                        assert_eq!(a.json()["code"], "forbidden", "{what}");
                    }
                    true
                }
                _ => {
                    assert!(
                        a.status != StatusCode::UNAUTHORIZED && a.status != StatusCode::FORBIDDEN,
                        "{what}"
                    );
                    assert!(!a.location().starts_with("/login?"), "{what}");
                    false
                }
            };
            if refused {
                assert_eq!(snapshot(&s.state).await, before, "{what} changed something");
            }
            checked += 1;
        }
    }
    assert_eq!(checked, 36 * 8);
}

#[tokio::test]
async fn a_controller_reaches_only_the_invoices_of_their_own_areas() {
    let s = service(|_| {}).await;
    let (decision_id, area, lines) = review_decision(&s, "AZ-2").await;
    let other = add_user(&s.state, "carl", Role::Controller, &["elsewhere"]).await;
    let mine = add_user(&s.state, "cora", Role::Controller, &[area.as_str()]).await;
    assert_ne!(area, "elsewhere");
    let review: Vec<Value> = lines
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            json!({
                "line_no": l["line_no"],
                "account": l["coding"]["account"],
                "cost_centre": l["coding"]["cost_centre"],
                "vat_code": l["coding"]["vat_code"],
            })
        })
        .collect();
    let review = json!({"lines": review}).to_string();
    let path = format!("/v1/reviews/{decision_id}");
    let page = format!("/review/{decision_id}");
    let before = snapshot(&s.state).await;

    let a = send(&s, request("get", &path, false, Some(&other))).await;
    assert_eq!(a.status, StatusCode::NOT_FOUND, "{}", a.body);
    assert_eq!(a.json()["code"], "not_found", "{}", a.body);
    let submit = Request::builder()
        .method("POST")
        .uri(&path)
        .header(header::AUTHORIZATION, format!("Bearer {other}"))
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(review.clone()))
        .unwrap();
    let a = send(&s, submit).await;
    assert_eq!(a.status, StatusCode::NOT_FOUND, "{}", a.body);
    assert_eq!(a.json()["code"], "not_found", "{}", a.body);
    let a = send(&s, request("get", &page, true, Some(&other))).await;
    assert_eq!(a.status, StatusCode::NOT_FOUND, "{}", a.body);
    let a = send(&s, request("post", &page, true, Some(&other))).await;
    assert_eq!(a.status, StatusCode::NOT_FOUND, "{}", a.body);
    assert_eq!(
        snapshot(&s.state).await,
        before,
        "another area's controller changed nothing"
    );

    // The same requests by a controller of the invoice's area reach it.
    let a = send(&s, request("get", &path, false, Some(&mine))).await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);
    assert_eq!(a.json()["decision_id"], decision_id.as_str(), "{}", a.body);
    let a = send(&s, request("get", &page, true, Some(&mine))).await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);
}

#[tokio::test]
async fn cookie_authenticated_writes_need_an_origin_of_this_site() {
    let s = service(|_| {}).await;
    let password = "correct horse battery staple";
    s.state
        .store
        .update_user(
            "ada",
            &UserChange {
                password_hash: Some(secret::hash_password(password).unwrap()),
                ..UserChange::default()
            },
        )
        .await
        .unwrap();
    let login = Request::builder()
        .method("POST")
        .uri("/login")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(format!(
            "name=ada&password={}",
            password.replace(' ', "+")
        )))
        .unwrap();
    let a = send(&s, login).await;
    assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.body);
    let cookie = a.headers[header::SET_COOKIE]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_owned();
    let host = "kontera.test";
    let with = |method: &str, path: &str, page: bool, origin: Option<(&str, &str)>| {
        let mut r = Request::builder()
            .method(method)
            .uri(path)
            .header(header::HOST, host)
            .header(header::COOKIE, &cookie);
        if let Some((name, value)) = origin {
            r = r.header(name, value);
        }
        if method == "GET" {
            return r.body(Body::empty()).unwrap();
        }
        if page {
            r.header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(Body::from("action=pause&reason=checking"))
                .unwrap()
        } else {
            r.header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(r#"{"paused": true, "reason": "checking"}"#))
                .unwrap()
        }
    };
    // Reading needs no Origin.
    let a = send(&s, with("GET", "/admin", true, None)).await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);

    let before = snapshot(&s.state).await;
    let refusals = [
        ("POST", "/admin/areas/schools", true, None),
        (
            "POST",
            "/admin/areas/schools",
            true,
            Some(("origin", "http://evil.example")),
        ),
        (
            "POST",
            "/admin/areas/schools",
            true,
            Some(("origin", "http://kontera.test.evil.example")),
        ),
        (
            "POST",
            "/admin/areas/schools",
            true,
            Some(("referer", "http://evil.example/kontera.test/admin")),
        ),
        ("POST", "/admin/users", true, None),
        ("POST", "/logout", true, None),
        ("PUT", "/v1/areas/schools/automation", false, None),
        (
            "PUT",
            "/v1/areas/schools/automation",
            false,
            Some(("origin", "null")),
        ),
    ];
    for (method, path, page, origin) in refusals {
        let a = send(&s, with(method, path, page, origin)).await;
        assert_eq!(
            a.status,
            StatusCode::FORBIDDEN,
            "{method} {path} {origin:?}: {}",
            a.body
        );
        assert!(a.body.contains("Origin"), "{}", a.body);
        if !page {
            assert_eq!(a.json()["code"], "forbidden");
        }
        assert_eq!(
            snapshot(&s.state).await,
            before,
            "{method} {path} {origin:?} changed something"
        );
    }
    // The session still works: the refused sign-out ended nothing.
    let a = send(&s, with("GET", "/admin", true, None)).await;
    assert_eq!(a.status, StatusCode::OK);

    // From the site's own page (Origin, or a Referer without one) the change goes through.
    let a = send(
        &s,
        with(
            "POST",
            "/admin/areas/schools",
            true,
            Some(("origin", "http://kontera.test")),
        ),
    )
    .await;
    assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.body);
    assert_eq!(a.location(), "/admin?notice=paused&name=schools");
    assert!(s.state.is_paused(Some("schools")));
    let a = send(
        &s,
        with(
            "PUT",
            "/v1/areas/social/automation",
            false,
            Some(("referer", "http://kontera.test/admin")),
        ),
    )
    .await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);
    assert!(s.state.is_paused(Some("social")));
}
