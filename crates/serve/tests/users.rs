//! Router tests of user management: the users API (adding, listing, changing, tokens, the
//! last-administrator rule, bad requests) and the administrators' page.

mod common;

use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode, header};
use common::{Service, regular_invoice, service};
use kontera_store::Role;
use serde_json::{Value, json};
use tower::ServiceExt;

/// A request as sent, answered with status, headers and the body as text.
async fn raw(s: &Service, request: Request<Body>) -> (StatusCode, HeaderMap, String) {
    let response = kontera_serve::app(s.state.clone())
        .oneshot(request)
        .await
        .unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = axum::body::to_bytes(response.into_body(), 1 << 24)
        .await
        .unwrap();
    (
        status,
        headers,
        String::from_utf8_lossy(&bytes).into_owned(),
    )
}

/// A JSON request with a bearer token.
async fn call(
    s: &Service,
    token: &str,
    method: &str,
    path: &str,
    body: Option<Value>,
) -> (StatusCode, HeaderMap, Value) {
    let mut request = Request::builder()
        .method(method)
        .uri(path)
        .header(header::AUTHORIZATION, format!("Bearer {token}"));
    let body = match body {
        Some(b) => {
            request = request.header(header::CONTENT_TYPE, "application/json");
            Body::from(b.to_string())
        }
        None => Body::empty(),
    };
    let (status, headers, text) = raw(s, request.body(body).unwrap()).await;
    let value = serde_json::from_str(&text).unwrap_or(Value::String(text));
    (status, headers, value)
}

/// As the administrator `ada`.
async fn admin(s: &Service, method: &str, path: &str, body: Option<Value>) -> (StatusCode, Value) {
    let (status, _, v) = call(s, &s.tokens[&Role::Admin], method, path, body).await;
    (status, v)
}

/// A form post to a page with a bearer token.
async fn form(
    s: &Service,
    token: &str,
    path: &str,
    fields: &[(&str, &str)],
) -> (StatusCode, HeaderMap, String) {
    let body = fields
        .iter()
        .map(|(k, v)| format!("{k}={}", encode(v)))
        .collect::<Vec<_>>()
        .join("&");
    let request = Request::builder()
        .method("POST")
        .uri(path)
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(body))
        .unwrap();
    raw(s, request).await
}

async fn get_page(s: &Service, token: &str, path: &str) -> (StatusCode, HeaderMap, String) {
    let request = Request::builder()
        .uri(path)
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .body(Body::empty())
        .unwrap();
    raw(s, request).await
}

fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// Signs in through `POST /login`; returns the status, the session cookie (name=value) and
/// where the browser is sent.
async fn sign_in(s: &Service, name: &str, password: &str) -> (StatusCode, Option<String>, String) {
    let request = Request::builder()
        .method("POST")
        .uri("/login")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(format!(
            "name={}&password={}",
            encode(name),
            encode(password)
        )))
        .unwrap();
    let (status, headers, _) = raw(s, request).await;
    let cookie = headers
        .get(header::SET_COOKIE)
        .map(|c| c.to_str().unwrap().split(';').next().unwrap().to_owned());
    let location = headers
        .get(header::LOCATION)
        .map(|l| l.to_str().unwrap().to_owned())
        .unwrap_or_default();
    (status, cookie, location)
}

/// `GET path` with a session cookie: the status and where it redirects.
async fn with_cookie(s: &Service, cookie: &str, path: &str) -> (StatusCode, String) {
    let request = Request::builder()
        .uri(path)
        .header(header::COOKIE, cookie)
        .body(Body::empty())
        .unwrap();
    let (status, headers, _) = raw(s, request).await;
    let location = headers
        .get(header::LOCATION)
        .map(|l| l.to_str().unwrap().to_owned())
        .unwrap_or_default();
    (status, location)
}

fn location(headers: &HeaderMap) -> &str {
    headers
        .get(header::LOCATION)
        .map(|l| l.to_str().unwrap())
        .unwrap_or("")
}

/// The text of the first `<code class="secret-value" data-kind="KIND">` on a page.
fn secret_on_page(html: &str, kind: &str) -> Option<String> {
    let start = format!("data-kind=\"{kind}\">");
    let from = html.find(&start)? + start.len();
    let to = html[from..].find("</code>")? + from;
    Some(html[from..to].to_owned())
}

fn names(list: &Value) -> Vec<&str> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|u| u["name"].as_str().unwrap())
        .collect()
}

#[tokio::test]
async fn an_added_user_gets_a_password_and_token_once_and_is_listed_without_them() {
    let s = service(|_| {}).await;
    let (status, headers, v) = call(
        &s,
        &s.tokens[&Role::Admin],
        "POST",
        "/v1/users",
        Some(json!({"name": "bob", "role": "controller", "areas": ["social", "schools"], "token": "laptop"})),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{v}");
    assert_eq!(headers[header::CACHE_CONTROL], "no-store");
    let password = v["password"].as_str().unwrap().to_owned();
    let token = v["token"].as_str().unwrap().to_owned();
    assert_eq!(password.len(), 20);
    assert!(token.starts_with("kt_") && token.len() == 67, "{token}");
    let user = &v["user"];
    assert_eq!(user["name"], "bob");
    assert_eq!(user["role"], "controller");
    assert_eq!(user["areas"], json!(["schools", "social"]));
    assert_eq!(user["disabled"], false);
    assert!(user["created_at"].as_i64().unwrap() > 1_700_000_000_000);
    let tokens = user["tokens"].as_array().unwrap();
    assert_eq!(tokens.len(), 1);
    assert_eq!(tokens[0]["label"], "laptop");
    assert_eq!(tokens[0]["revoked"], false);
    assert_eq!(tokens[0]["id"].as_str().unwrap().len(), 12);

    let (status, list) = admin(&s, "GET", "/v1/users", None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(names(&list), ["ada", "ana", "bob", "clara", "erp"]);
    let listed = list
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["name"] == "bob")
        .unwrap();
    assert_eq!(listed, user);
    let text = list.to_string();
    assert!(!text.contains(&password) && !text.contains(&token[3..]));
    assert!(!text.contains("argon2"), "no password hash is listed");

    // The token works on the routes of a controller, not on others.
    let (status, _, v) = call(&s, &token, "GET", "/openapi.json", None).await;
    assert_eq!(status, StatusCode::OK, "{v}");
    let (status, _, v) = call(&s, &token, "GET", "/v1/reviews", None).await;
    assert!(
        status != StatusCode::UNAUTHORIZED && status != StatusCode::FORBIDDEN,
        "{status} {v}"
    );
    let (status, _, v) = call(&s, &token, "GET", "/v1/users", None).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(v["code"], "forbidden");

    // The password signs in; the session leads to the controller's queue.
    let (status, cookie, to) = sign_in(&s, "bob", &password).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(to, "/review");
    let cookie = cookie.unwrap();
    assert!(cookie.starts_with("kontera_session="));
    assert_eq!(
        with_cookie(&s, &cookie, "/").await,
        (StatusCode::SEE_OTHER, "/review".to_owned())
    );
    let (status, _, _) = sign_in(&s, "bob", "not the password at all").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

/// No credentials, an `Authorization` header of another form, and a token nobody holds: each a
/// 401 that says which it was and how to mend it, never repeating the token.
#[tokio::test]
async fn a_refused_caller_is_told_what_was_wrong_with_the_credentials() {
    let s = service(|_| {}).await;
    let unknown = "kt_0123456789abcdef-not-issued";
    let cases: [(Option<String>, &str, &str); 5] = [
        (
            None,
            "send an API token as `Authorization: Bearer kt_…`",
            "Bearer",
        ),
        (
            Some(format!("Basic {unknown}")),
            "the Authorization header is not `Bearer <token>`",
            "Bearer",
        ),
        (
            Some("Bearer ".to_owned()),
            "the Authorization header is not `Bearer <token>`",
            "Bearer",
        ),
        (
            Some(unknown.to_owned()),
            "the Authorization header is not `Bearer <token>`",
            "Bearer",
        ),
        (
            Some(format!("Bearer {unknown}")),
            "the API token is not known: it is mistyped, was revoked, or its user is disabled",
            "Bearer error=\"invalid_token\"",
        ),
    ];
    for (authorization, message, challenge) in cases {
        let mut request = Request::builder().method("GET").uri("/v1/areas");
        if let Some(a) = &authorization {
            request = request.header(header::AUTHORIZATION, a);
        }
        let (status, headers, text) = raw(&s, request.body(Body::empty()).unwrap()).await;
        assert_eq!(
            status,
            StatusCode::UNAUTHORIZED,
            "{authorization:?}: {text}"
        );
        let v: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(v["code"], "unauthenticated", "{text}");
        let got = v["message"].as_str().unwrap();
        assert!(got.starts_with(message), "{authorization:?}: {got}");
        assert!(got.contains("kontera users token NAME"), "{got}");
        assert!(!got.contains(unknown), "the token is never repeated: {got}");
        assert_eq!(
            headers[header::WWW_AUTHENTICATE],
            challenge,
            "{authorization:?}"
        );
    }
}

#[tokio::test]
async fn a_disabled_users_token_and_session_stop_at_once() {
    let s = service(|_| {}).await;
    let (status, v) = admin(
        &s,
        "POST",
        "/v1/users",
        Some(json!({"name": "erp2", "role": "integration", "token": "ERP production"})),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{v}");
    assert!(
        v.get("password").is_none(),
        "integrations get no password by default: {v}"
    );
    let token = v["token"].as_str().unwrap().to_owned();
    let invoice = |n: &str| Some(regular_invoice(n));
    let (status, _, v) = call(&s, &token, "POST", "/v1/invoices", invoice("U-1")).await;
    assert_eq!(status, StatusCode::CREATED, "{v}");

    let (status, v) = admin(&s, "PUT", "/v1/users/erp2", Some(json!({"disabled": true}))).await;
    assert_eq!(status, StatusCode::OK, "{v}");
    assert_eq!(v["user"]["disabled"], true);
    // Within the token cache's second: the change cleared it.
    let (status, headers, v) = call(&s, &token, "POST", "/v1/invoices", invoice("U-2")).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{v}");
    assert_eq!(v["code"], "unauthenticated");
    assert!(
        v["message"]
            .as_str()
            .unwrap()
            .starts_with("the API token is not known"),
        "{v}"
    );
    assert_eq!(
        headers[header::WWW_AUTHENTICATE],
        "Bearer error=\"invalid_token\""
    );
    assert_eq!(s.state.store.count_decisions().await.unwrap(), 1);

    let (status, v) = admin(
        &s,
        "PUT",
        "/v1/users/erp2",
        Some(json!({"disabled": false})),
    )
    .await;
    assert_eq!(
        (status, &v["user"]["disabled"]),
        (StatusCode::OK, &json!(false))
    );
    let (status, _, _) = call(&s, &token, "POST", "/v1/invoices", invoice("U-3")).await;
    assert_eq!(status, StatusCode::CREATED);

    // A browser session ends when its user is disabled.
    let (_, v) = admin(
        &s,
        "POST",
        "/v1/users",
        Some(json!({"name": "ann", "role": "analyst"})),
    )
    .await;
    let password = v["password"].as_str().unwrap().to_owned();
    let (_, cookie, to) = sign_in(&s, "ann", &password).await;
    assert_eq!(to, "/dashboard");
    let cookie = cookie.unwrap();
    assert_eq!(with_cookie(&s, &cookie, "/").await.1, "/dashboard");
    admin(&s, "PUT", "/v1/users/ann", Some(json!({"disabled": true}))).await;
    let (status, to) = with_cookie(&s, &cookie, "/").await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert!(to.starts_with("/login"), "{to}");
    let (status, _, _) = sign_in(&s, "ann", &password).await;
    assert_eq!(
        status,
        StatusCode::UNAUTHORIZED,
        "a disabled user cannot sign in"
    );
}

#[tokio::test]
async fn passwords_are_replaced_and_tokens_created_and_revoked() {
    let s = service(|_| {}).await;
    let (_, v) = admin(
        &s,
        "POST",
        "/v1/users",
        Some(json!({"name": "alma", "role": "analyst"})),
    )
    .await;
    let first = v["password"].as_str().unwrap().to_owned();
    assert!(v["user"]["tokens"].as_array().unwrap().is_empty());

    let (status, headers, v) = call(
        &s,
        &s.tokens[&Role::Admin],
        "PUT",
        "/v1/users/alma",
        Some(json!({"new_password": true})),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{v}");
    assert_eq!(headers[header::CACHE_CONTROL], "no-store");
    let second = v["password"].as_str().unwrap().to_owned();
    assert_ne!(first, second);
    assert_eq!(
        sign_in(&s, "alma", &first).await.0,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(sign_in(&s, "alma", &second).await.0, StatusCode::SEE_OTHER);

    let (status, headers, v) = call(
        &s,
        &s.tokens[&Role::Admin],
        "POST",
        "/v1/users/alma/tokens",
        Some(json!({"label": "notebook"})),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{v}");
    assert_eq!(headers[header::CACHE_CONTROL], "no-store");
    assert_eq!(v["label"], "notebook");
    let token = v["token"].as_str().unwrap().to_owned();
    let id = v["id"].as_str().unwrap().to_owned();
    let (status, _, v) = call(&s, &token, "GET", "/v1/models", None).await;
    assert_eq!(status, StatusCode::OK, "{v}");
    // Without a body, the label is "api".
    let (status, v) = admin(&s, "POST", "/v1/users/alma/tokens", None).await;
    assert_eq!((status, &v["label"]), (StatusCode::CREATED, &json!("api")));

    let (status, v) = admin(
        &s,
        "PUT",
        "/v1/users/alma",
        Some(json!({"revoke_token": id})),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{v}");
    assert!(v.get("password").is_none());
    let listed: Vec<(String, bool)> = v["user"]["tokens"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            (
                t["label"].as_str().unwrap().to_owned(),
                t["revoked"].as_bool().unwrap(),
            )
        })
        .collect();
    assert_eq!(listed.len(), 2);
    assert!(
        listed.contains(&("notebook".to_owned(), true)),
        "{listed:?}"
    );
    assert!(listed.contains(&("api".to_owned(), false)), "{listed:?}");
    let (status, _, _) = call(&s, &token, "GET", "/v1/models", None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);

    let (status, v) = admin(
        &s,
        "PUT",
        "/v1/users/alma",
        Some(json!({"revoke_token": "deadbeef00"})),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(
        (v["code"].as_str(), v["field"].as_str()),
        (Some("unknown_token"), Some("revoke_token"))
    );
    // Another user's token id is not alma's to revoke.
    let (_, v) = admin(&s, "GET", "/v1/users", None).await;
    let adas = v
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["name"] == "ada")
        .unwrap()["tokens"][0]["id"]
        .clone();
    let (status, _) = admin(
        &s,
        "PUT",
        "/v1/users/alma",
        Some(json!({"revoke_token": adas})),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = admin(&s, "GET", "/v1/users", None).await;
    assert_eq!(status, StatusCode::OK, "ada's token still works");
}

#[tokio::test]
async fn the_last_enabled_administrator_stays() {
    let s = service(|_| {}).await;
    let (status, v) = admin(&s, "PUT", "/v1/users/ada", Some(json!({"disabled": true}))).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(
        (v["code"].as_str(), v["field"].as_str()),
        (Some("cannot_disable_self"), Some("disabled"))
    );
    let (status, v) = admin(&s, "PUT", "/v1/users/ada", Some(json!({"role": "analyst"}))).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(v["code"], "last_admin");
    assert!(
        v["message"]
            .as_str()
            .unwrap()
            .contains("last enabled administrator"),
        "{v}"
    );
    let ada = s.state.store.user("ada").await.unwrap().unwrap();
    assert_eq!((ada.role, ada.disabled), (Role::Admin, false));

    // With a second administrator, either may step down, but not both.
    let (status, v) = admin(
        &s,
        "POST",
        "/v1/users",
        Some(json!({"name": "bea", "role": "admin", "password": false, "token": "ops"})),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{v}");
    assert!(v.get("password").is_none());
    let bea = v["token"].as_str().unwrap().to_owned();
    let (status, _, v) = call(
        &s,
        &bea,
        "PUT",
        "/v1/users/ada",
        Some(json!({"disabled": true})),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{v}");
    let (status, _) = admin(&s, "GET", "/v1/users", None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "ada is disabled");
    let (status, _, v) = call(
        &s,
        &bea,
        "PUT",
        "/v1/users/bea",
        Some(json!({"role": "analyst"})),
    )
    .await;
    assert_eq!(
        (status, &v["code"]),
        (StatusCode::CONFLICT, &json!("last_admin"))
    );
    let (status, _, _) = call(
        &s,
        &bea,
        "PUT",
        "/v1/users/ada",
        Some(json!({"disabled": false})),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let (status, _, v) = call(
        &s,
        &bea,
        "PUT",
        "/v1/users/bea",
        Some(json!({"role": "analyst"})),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{v}");
    assert_eq!(v["user"]["role"], "analyst");
    let (status, _, _) = call(&s, &bea, "GET", "/v1/users", None).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "bea is an analyst now");
}

#[tokio::test]
async fn bad_requests_name_the_field_and_the_fix_and_change_nothing() {
    let s = service(|_| {}).await;
    let cases = [
        (
            json!({"name": "clara", "role": "analyst"}),
            StatusCode::CONFLICT,
            "user_exists",
            "name",
        ),
        (
            json!({"name": "carl", "role": "controller"}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "areas_required",
            "areas",
        ),
        (
            json!({"name": "carl", "role": "root"}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_role",
            "role",
        ),
        (
            json!({"name": "anna berg", "role": "analyst"}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_name",
            "name",
        ),
        (
            json!({"name": "", "role": "analyst"}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_name",
            "name",
        ),
        (
            json!({"name": "carl", "role": "controller", "areas": ["schools", "no way"]}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_area",
            "areas[1]",
        ),
        (
            json!({"name": "carl", "role": "analyst", "token": " "}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_label",
            "token",
        ),
    ];
    for (body, status, code, field) in cases {
        let (got, v) = admin(&s, "POST", "/v1/users", Some(body.clone())).await;
        assert_eq!(got, status, "{body}: {v}");
        assert_eq!(v["code"], code, "{body}: {v}");
        assert_eq!(v["field"], field, "{body}: {v}");
        assert!(v["message"].as_str().unwrap().len() > 30, "{v}");
    }
    let (status, v) = admin(
        &s,
        "POST",
        "/v1/users",
        Some(json!({"name": "carl", "role": "analyst", "admin": true})),
    )
    .await;
    assert_eq!(
        (status, &v["code"]),
        (StatusCode::UNPROCESSABLE_ENTITY, &json!("invalid_body"))
    );
    assert!(v["message"].as_str().unwrap().contains("admin"), "{v}");

    let (status, v) = admin(&s, "PUT", "/v1/users/nobody", Some(json!({}))).await;
    assert_eq!(
        (status, &v["code"]),
        (StatusCode::NOT_FOUND, &json!("unknown_user"))
    );
    let (status, v) = admin(
        &s,
        "POST",
        "/v1/users/nobody/tokens",
        Some(json!({"label": "x"})),
    )
    .await;
    assert_eq!(
        (status, &v["code"]),
        (StatusCode::NOT_FOUND, &json!("unknown_user"))
    );
    let (status, v) = admin(&s, "PUT", "/v1/users/clara", Some(json!({"areas": []}))).await;
    assert_eq!(
        (status, &v["field"]),
        (StatusCode::UNPROCESSABLE_ENTITY, &json!("areas"))
    );
    let (status, v) = admin(
        &s,
        "PUT",
        "/v1/users/ana",
        Some(json!({"role": "controller"})),
    )
    .await;
    assert_eq!(
        (status, &v["code"]),
        (StatusCode::UNPROCESSABLE_ENTITY, &json!("areas_required"))
    );
    let (status, v) = admin(
        &s,
        "PUT",
        "/v1/users/ana",
        Some(json!({"role": "controller", "areas": ["care"]})),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{v}");
    assert_eq!(v["user"]["areas"], json!(["care"]));

    let (_, list) = admin(&s, "GET", "/v1/users", None).await;
    assert_eq!(names(&list), ["ada", "ana", "clara", "erp"]);
    let tokens: usize = list
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["tokens"].as_array().unwrap().len())
        .sum();
    assert_eq!(tokens, 4, "no token was created");
}

#[tokio::test]
async fn the_admin_page_lists_users_and_areas_and_changes_them() {
    let s = service(|_| {}).await;
    let ada = s.tokens[&Role::Admin].clone();
    let (status, headers, html) = get_page(&s, &ada, "/admin").await;
    assert_eq!(status, StatusCode::OK, "{html}");
    assert!(
        headers[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    for id in [
        "id=\"users\"",
        "id=\"add-user\"",
        "id=\"areas\"",
        "id=\"pause-area\"",
    ] {
        assert!(html.contains(id), "{id} missing");
    }
    assert!(!html.contains("id=\"secret\"") && !html.contains("id=\"notice\""));
    for name in ["ada", "ana", "clara", "erp"] {
        assert!(
            html.contains(&format!("<tr data-user=\"{name}\"")),
            "{name} missing"
        );
    }
    for area in ["daycare", "schools", "elderly_care", "technical"] {
        assert!(
            html.contains(&format!("<tr data-area=\"{area}\">")),
            "{area} missing"
        );
    }
    assert!(html.contains("every area"), "clara works every area");

    // Adding a user with a password and a token shows both once, uncached.
    let (status, headers, html) = form(
        &s,
        &ada,
        "/admin/users",
        &[
            ("name", "dora"),
            ("role", "controller"),
            ("areas", "schools, social"),
            ("password", ""),
            ("token", "tablet"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{html}");
    assert_eq!(headers[header::CACHE_CONTROL], "no-store");
    assert!(
        html.contains("id=\"secret\"") && html.contains("will not be shown again"),
        "{html}"
    );
    assert!(html.contains("id=\"notice\""));
    let password = secret_on_page(&html, "password").unwrap();
    let token = secret_on_page(&html, "token").unwrap();
    assert_eq!(password.len(), 20);
    assert!(token.starts_with("kt_"));
    assert_eq!(
        sign_in(&s, "dora", &password).await.0,
        StatusCode::SEE_OTHER
    );
    let (status, _, _) = call(&s, &token, "GET", "/openapi.json", None).await;
    assert_eq!(status, StatusCode::OK);
    let dora = s.state.store.user("dora").await.unwrap().unwrap();
    assert_eq!(
        (dora.role, dora.areas),
        (
            Role::Controller,
            vec!["schools".to_owned(), "social".to_owned()]
        )
    );
    let (_, _, html) = get_page(&s, &ada, "/admin").await;
    assert!(
        !html.contains(&password) && !html.contains(&token),
        "shown once only"
    );

    // Without a secret: redirect back with a notice.
    let (status, headers, _) = form(
        &s,
        &ada,
        "/admin/users",
        &[("name", "eve"), ("role", "integration")],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(location(&headers), "/admin?notice=added&name=eve");
    let (_, _, html) = get_page(&s, &ada, "/admin?notice=added&name=eve").await;
    assert!(
        html.contains("id=\"notice\"") && html.contains("Added user eve."),
        "{html}"
    );
    assert!(s.state.store.password_hash("eve").await.unwrap().is_none());

    // Refusals are shown on the page with their status; nothing changes.
    let (status, _, html) = form(
        &s,
        &ada,
        "/admin/users",
        &[("name", "dora"), ("role", "analyst")],
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(
        html.contains("class=\"notice error\"") && html.contains("exists already"),
        "{html}"
    );
    let (status, _, html) = form(&s, &ada, "/admin/users/ada", &[("action", "disable")]).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(html.contains("cannot disable yourself"), "{html}");
    let (status, _, _) = form(&s, &ada, "/admin/users/nobody", &[("action", "disable")]).await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // Per-user changes.
    let (status, headers, _) = form(&s, &ada, "/admin/users/dora", &[("action", "disable")]).await;
    assert_eq!(
        (status, location(&headers)),
        (StatusCode::SEE_OTHER, "/admin?notice=disabled&name=dora")
    );
    let (status, _, _) = call(&s, &token, "GET", "/openapi.json", None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (_, _, html) = get_page(&s, &ada, "/admin").await;
    assert!(
        html.contains("<tr data-user=\"dora\" class=\"disabled\">"),
        "{html}"
    );
    form(&s, &ada, "/admin/users/dora", &[("action", "enable")]).await;
    let (status, headers, _) = form(
        &s,
        &ada,
        "/admin/users/dora",
        &[
            ("action", "save"),
            ("role", "controller"),
            ("areas", "care"),
        ],
    )
    .await;
    assert_eq!(
        (status, location(&headers)),
        (StatusCode::SEE_OTHER, "/admin?notice=changed&name=dora")
    );
    let dora = s.state.store.user("dora").await.unwrap().unwrap();
    assert_eq!(
        (dora.areas, dora.disabled),
        (vec!["care".to_owned()], false)
    );
    let (status, headers, html) =
        form(&s, &ada, "/admin/users/dora", &[("action", "password")]).await;
    assert_eq!(
        (status, &headers[header::CACHE_CONTROL]),
        (
            StatusCode::OK,
            &"no-store".parse::<axum::http::HeaderValue>().unwrap()
        )
    );
    let new_password = secret_on_page(&html, "password").unwrap();
    assert_eq!(
        sign_in(&s, "dora", &password).await.0,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        sign_in(&s, "dora", &new_password).await.0,
        StatusCode::SEE_OTHER
    );
    let (status, _, html) = form(
        &s,
        &ada,
        "/admin/users/dora",
        &[("action", "token"), ("label", "phone")],
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let phone = secret_on_page(&html, "token").unwrap();
    assert_eq!(
        call(&s, &phone, "GET", "/openapi.json", None).await.0,
        StatusCode::OK
    );
    let id = s.state.store.tokens("dora").await.unwrap()[0].id.clone();
    let (status, headers, _) = form(
        &s,
        &ada,
        "/admin/users/dora",
        &[("action", "revoke"), ("token", &id)],
    )
    .await;
    assert_eq!(
        (status, location(&headers)),
        (StatusCode::SEE_OTHER, "/admin?notice=revoked&name=dora")
    );
    assert_eq!(
        call(&s, &phone, "GET", "/openapi.json", None).await.0,
        StatusCode::UNAUTHORIZED
    );

    // Areas: pause with a reason, resume, pause one not listed; the circuit breaker's stand out.
    let (status, headers, _) = form(
        &s,
        &ada,
        "/admin/areas/schools",
        &[
            ("action", "pause"),
            ("reason", "new <b>framework</b> agreement"),
        ],
    )
    .await;
    assert_eq!(
        (status, location(&headers)),
        (StatusCode::SEE_OTHER, "/admin?notice=paused&name=schools")
    );
    assert!(s.state.is_paused(Some("schools")));
    let stored = s.state.store.automation().await.unwrap();
    assert_eq!(stored.len(), 1);
    assert_eq!(
        (stored[0].changed_by.as_str(), stored[0].reason.as_deref()),
        ("ada", Some("new <b>framework</b> agreement"))
    );
    let (status, _, html) = form(
        &s,
        &ada,
        "/admin/areas/social",
        &[("action", "pause"), ("reason", " ")],
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("reason"), "{html}");
    assert!(!s.state.is_paused(Some("social")));
    let (status, _, _) = form(
        &s,
        &ada,
        "/admin/areas/new",
        &[
            ("action", "pause"),
            ("area", "harbour"),
            ("reason", "new unit"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert!(s.state.is_paused(Some("harbour")));
    let (status, _, _) = form(
        &s,
        &ada,
        "/admin/areas/new",
        &[("action", "pause"), ("area", "no way"), ("reason", "x")],
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (status, _, _) = form(&s, &ada, "/admin/areas/harbour", &[("action", "resume")]).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert!(!s.state.is_paused(Some("harbour")));
    s.state
        .store
        .set_automation(
            "social",
            true,
            "circuit_breaker",
            Some("audited precision below the floor"),
            1_768_471_200_000,
        )
        .await
        .unwrap();
    let (_, _, html) = get_page(&s, &ada, "/admin").await;
    assert!(
        html.contains("<tr data-area=\"schools\" class=\"paused\">"),
        "{html}"
    );
    assert!(
        html.contains("new &lt;b&gt;framework&lt;/b&gt; agreement")
            && !html.contains("<b>framework")
    );
    assert!(
        html.contains("<tr data-area=\"social\" class=\"paused breaker\">"),
        "{html}"
    );
    assert!(html.contains("by the circuit breaker") && html.contains("2026-01-15 10:00 UTC"));
    assert!(
        html.contains("<tr data-area=\"harbour\">"),
        "a resumed area stays listed"
    );
    assert!(
        html.contains("<tr data-area=\"care\">"),
        "an area a controller works is listed"
    );

    // Only administrators reach the page.
    let (status, _, _) = get_page(&s, &s.tokens[&Role::Analyst], "/admin").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}
