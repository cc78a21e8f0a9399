//! Two organisations in one database, served by one deployment: every route, called as a user
//! of the first organisation, returns, counts and changes nothing of the second — on SQLite and
//! on PostgreSQL. Credentials reach only their own organisation, and signing in picks one.

mod common;

use std::sync::Arc;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use common::{USERS, add_user, model_versions, models_dir, regular_invoice, snapshot};
use kontera_serve::auth::policy::{Access, access};
use kontera_serve::auth::secret;
use kontera_serve::{AppState, Config, Deployment};
use kontera_store::{AreaScope, Engine, Role};
use serde_json::{Value, json};
use tower::ServiceExt;

/// Everything that could hold the second organisation's data apart from its store's tables.
struct Two {
    deployment: Deployment,
    alpha: Arc<AppState>,
    beta: Arc<AppState>,
    /// Each organisation's API token per role (same user names in both).
    alpha_tokens: std::collections::BTreeMap<Role, String>,
    beta_tokens: std::collections::BTreeMap<Role, String>,
    _dirs: (tempfile::TempDir, tempfile::TempDir),
}

/// The second organisation's name, user, area and invoice numbers: none may reach the first's
/// callers.
const BETA_USER: &str = "bruno_beta";
const BETA_AREA: &str = "beta_only_area";
const BETA_INVOICE: &str = "BETA-INVOICE";

async fn two_organisations(engine: Engine) -> Two {
    let dir = tempfile::tempdir().unwrap();
    let database = match engine {
        Engine::Sqlite => dir.path().join("k.db").display().to_string(),
        Engine::Postgres => kontera_store::testing::fresh_postgres_database().await,
    };
    let beta_models = model_versions(&["default"]);
    // Every area open from the first invoice, in both organisations.
    let mut open = Config::default().trust;
    open.year_opening_reviews = 0;
    let beta = Config {
        organisation: "beta".into(),
        models_dir: beta_models.path().to_owned(),
        audit_salt: Some("beta's salt, sixteen chars or more".into()),
        trust: open.clone(),
        ..Config::default()
    };
    let config = Config {
        organisation: "alpha".into(),
        organisations: vec![beta],
        database,
        models_dir: models_dir(),
        audit_salt: Some("alpha's salt, sixteen chars or more".into()),
        trust: open,
        ..Config::default()
    };
    let deployment = Deployment::build(config).await.unwrap();
    let alpha = deployment.primary.clone();
    let beta = deployment.others["beta"].clone();
    let mut alpha_tokens = std::collections::BTreeMap::new();
    let mut beta_tokens = std::collections::BTreeMap::new();
    for (role, name, areas) in USERS {
        alpha_tokens.insert(role, add_user(&alpha, name, role, areas).await);
        beta_tokens.insert(role, add_user(&beta, name, role, areas).await);
    }
    let hash = secret::hash_password("bruno's long password").unwrap();
    beta.store
        .add_user(BETA_USER, Role::Admin, Some(&hash), &[], 1)
        .await
        .unwrap();
    Two {
        deployment,
        alpha,
        beta,
        alpha_tokens,
        beta_tokens,
        _dirs: (dir, beta_models),
    }
}

/// A response's status, `Location`/`Set-Cookie` headers and body as text.
struct Answer {
    status: StatusCode,
    location: String,
    cookie: String,
    body: String,
}

impl Answer {
    fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or(Value::Null)
    }
}

impl Two {
    async fn send(&self, request: Request<Body>) -> Answer {
        let response = self.deployment.router().oneshot(request).await.unwrap();
        let status = response.status();
        let header = |name| {
            response
                .headers()
                .get(name)
                .map_or(String::new(), |v| v.to_str().unwrap().to_owned())
        };
        let (location, cookie) = (header(header::LOCATION), header(header::SET_COOKIE));
        let bytes = axum::body::to_bytes(response.into_body(), 1 << 26)
            .await
            .unwrap();
        Answer {
            status,
            location,
            cookie,
            body: String::from_utf8_lossy(&bytes).into_owned(),
        }
    }

    async fn call(&self, method: &str, path: &str, token: Option<&str>, body: Body) -> Answer {
        let mut r = Request::builder()
            .method(method.to_uppercase().as_str())
            .uri(path);
        if let Some(t) = token {
            r = r.header(header::AUTHORIZATION, format!("Bearer {t}"));
        }
        if !method.eq_ignore_ascii_case("get") {
            let form = !kontera_serve::auth::is_page(path) || path.starts_with("/v1/");
            r = r.header(
                header::CONTENT_TYPE,
                if form {
                    "application/json"
                } else {
                    "application/x-www-form-urlencoded"
                },
            );
        }
        self.send(r.body(body).unwrap()).await
    }

    async fn post(&self, path: &str, token: &str, body: &Value) -> Answer {
        self.call("post", path, Some(token), Body::from(body.to_string()))
            .await
    }
}

/// The second organisation's data: invoices (one sent to review), a paused area with its own
/// threshold, a user of its own. Returns the decision ids.
async fn fill_beta(two: &Two) -> Vec<String> {
    let erp = &two.beta_tokens[&Role::Integration];
    let admin = &two.beta_tokens[&Role::Admin];
    let mut ids = Vec::new();
    for i in 1..=4 {
        let a = two
            .post(
                "/v1/invoices",
                erp,
                &regular_invoice(&format!("{BETA_INVOICE}-{i}")),
            )
            .await;
        assert_eq!(a.status, StatusCode::CREATED, "{}", a.body);
        ids.push(a.json()["decision_id"].as_str().unwrap().to_owned());
        if i == 2 {
            let area = a.json()["area"].as_str().unwrap().to_owned();
            let paused = two
                .call(
                    "put",
                    &format!("/v1/areas/{area}/automation"),
                    Some(admin),
                    Body::from(json!({"paused": true, "reason": "beta pause"}).to_string()),
                )
                .await;
            assert_eq!(paused.status, StatusCode::OK, "{}", paused.body);
        }
    }
    for (path, body) in [
        (
            format!("/v1/areas/{BETA_AREA}/automation"),
            json!({"paused": true, "reason": "beta's own area"}),
        ),
        (
            format!("/v1/areas/{BETA_AREA}/threshold"),
            json!({"threshold": 0.97}),
        ),
    ] {
        let a = two
            .call("put", &path, Some(admin), Body::from(body.to_string()))
            .await;
        assert!(a.status.is_success(), "{path}: {} {}", a.status, a.body);
    }
    assert!(
        !two.beta
            .store
            .review_queue(&AreaScope::All, None, 10)
            .await
            .unwrap()
            .is_empty(),
        "beta has invoices waiting for review"
    );
    ids
}

/// A body for each write route that would change something if it reached the second
/// organisation's objects.
fn body_for(method: &str, pattern: &str) -> Body {
    if method == "get" {
        return Body::empty();
    }
    let v = match pattern {
        "/v1/invoices" => regular_invoice(&format!("{BETA_INVOICE}-1")),
        "/v1/invoices/batch" => {
            json!({"invoices": [regular_invoice(&format!("{BETA_INVOICE}-2"))]})
        }
        "/v1/areas/{area}/automation" => json!({"paused": false, "reason": "alpha"}),
        "/v1/areas/{area}/threshold" => json!({"threshold": null}),
        "/v1/models/active" => json!({"version": "default"}),
        "/v1/reviews/{decision_id}" => json!({"lines": []}),
        "/v1/users" => json!({}),
        "/v1/users/{name}" => json!({"disabled": true}),
        "/v1/users/{name}/tokens" => json!({"label": "stolen"}),
        "/review/{decision_id}" => return Body::from("action=approve"),
        "/admin/users/{name}" => return Body::from("action=disable"),
        "/admin/areas/{area}" => return Body::from("paused=false&reason=alpha"),
        _ if pattern.starts_with("/v1/") => json!({}),
        _ => return Body::empty(),
    };
    Body::from(v.to_string())
}

async fn every_route_as_the_first_organisation_reaches_nothing_of_the_second(engine: Engine) {
    let two = two_organisations(engine).await;
    let erp = &two.alpha_tokens[&Role::Integration];
    for i in 1..=3 {
        let a = two
            .post("/v1/invoices", erp, &regular_invoice(&format!("ALPHA-{i}")))
            .await;
        assert_eq!(a.status, StatusCode::CREATED, "{}", a.body);
    }
    let beta_ids = fill_beta(&two).await;
    let beta_before = snapshot(&two.beta).await;
    let markers: Vec<&str> = beta_ids
        .iter()
        .map(String::as_str)
        .chain([BETA_USER, BETA_AREA, BETA_INVOICE, "beta pause"])
        .collect();

    // Routes that name an object go last: an area the first organisation's administrator sets
    // under the second's area name is then the first's own.
    let mut routes: Vec<(&str, &str)> = kontera_serve::api::ROUTES
        .iter()
        .chain(kontera_serve::web::PAGES.iter())
        .copied()
        .collect();
    routes.sort_by_key(|(_, pattern)| pattern.contains('{'));
    let mut walked = 0;
    for (method, pattern) in routes {
        let rule = access(method, pattern).unwrap();
        // Every role of the first organisation the route is for (public routes: no one).
        let roles: Vec<Option<Role>> = match rule {
            Access::Public => vec![None],
            Access::Signed => vec![Some(Role::Admin)],
            Access::Roles(roles) => roles.iter().copied().map(Some).collect(),
        };
        let path = pattern
            .replace("{decision_id}", &beta_ids[3])
            .replace("{name}", BETA_USER)
            .replace("{area}", BETA_AREA);
        let names_beta = path != pattern;
        for role in roles {
            let token = role.map(|r| two.alpha_tokens[&r].as_str());
            let a = two
                .call(method, &path, token, body_for(method, pattern))
                .await;
            let what = format!(
                "{method} {path} as alpha's {role:?}: {} {}",
                a.status,
                a.body.chars().take(300).collect::<String>()
            );
            assert!(
                a.status != StatusCode::UNAUTHORIZED && a.status != StatusCode::FORBIDDEN,
                "the first organisation's own caller was refused: {what}"
            );
            let objects = pattern.contains("{decision_id}") || pattern.contains("{name}");
            if objects {
                // The second organisation's invoice or user does not exist for the first.
                assert_eq!(a.status, StatusCode::NOT_FOUND, "{what}");
            } else if !names_beta {
                // Nothing of the second organisation in any answer, but what the request itself
                // carried (routes naming one of its objects may echo the name; an invoice sent
                // with the second organisation's numbers is the first's own invoice, stored
                // anew).
                let sent_invoices = pattern.starts_with("/v1/invoices");
                for m in markers
                    .iter()
                    .filter(|m| !(sent_invoices && **m == BETA_INVOICE))
                {
                    assert!(!a.body.contains(m), "{what} shows {m:?}");
                }
                if sent_invoices {
                    assert!(!a.body.contains("\"repeat\":true"), "{what}");
                }
            }
            assert_eq!(
                snapshot(&two.beta).await,
                beta_before,
                "{what} changed the second organisation"
            );
            walked += 1;
        }
    }
    assert!(walked >= 40, "walked {walked} (route, role) pairs");

    // Counted: the first organisation's figures count its own invoices only, though the second
    // holds the same invoice numbers now.
    let alpha_count = two.alpha.store.count_decisions().await.unwrap();
    assert_eq!(alpha_count, 5, "three invoices and the two sent again");
    let analyst = &two.alpha_tokens[&Role::Analyst];
    let dashboard = two
        .call("get", "/v1/dashboard", Some(analyst), Body::empty())
        .await;
    let total = dashboard.json()["total"]["invoices"].as_u64();
    assert_eq!(total, Some(alpha_count), "{}", dashboard.body);
    let users = two
        .call(
            "get",
            "/v1/users",
            Some(&two.alpha_tokens[&Role::Admin]),
            Body::empty(),
        )
        .await;
    let names: Vec<Value> = users
        .json()
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["name"].clone())
        .collect();
    assert_eq!(names, ["ada", "ana", "clara", "erp"], "{}", users.body);
    let areas = two
        .call("get", "/v1/areas", Some(analyst), Body::empty())
        .await;
    assert!(!areas.body.contains("beta pause"), "{}", areas.body);
}

async fn credentials_reach_only_their_own_organisation(engine: Engine) {
    let two = two_organisations(engine).await;
    let beta_admin = &two.beta_tokens[&Role::Admin];
    let alpha_admin = &two.alpha_tokens[&Role::Admin];
    assert!(beta_admin.starts_with("kt_beta."), "{beta_admin}");
    assert!(!alpha_admin.contains('.'), "{alpha_admin}");
    let list = |token: &str| {
        let token = token.to_owned();
        let two = &two;
        async move {
            two.call("get", "/v1/users", Some(&token), Body::empty())
                .await
        }
    };
    let beta_users = list(beta_admin).await;
    assert_eq!(beta_users.status, StatusCode::OK);
    assert!(beta_users.body.contains(BETA_USER));
    assert!(!list(alpha_admin).await.body.contains(BETA_USER));
    // A token moved to the other organisation, by dropping or forging its prefix, is unknown
    // there.
    let stripped = beta_admin.replacen("beta.", "", 1);
    let forged = alpha_admin.replacen("kt_", "kt_beta.", 1);
    let unknown = alpha_admin.replacen("kt_", "kt_gamma.", 1);
    for token in [&stripped, &forged, &unknown] {
        assert_eq!(
            list(token).await.status,
            StatusCode::UNAUTHORIZED,
            "{token}"
        );
    }

    // Signing in: the page offers both organisations; the form picks one, and the session
    // cookie names it.
    let page = two.call("get", "/login", None, Body::empty()).await;
    assert!(
        page.body.contains("<option value=\"alpha\">alpha</option>")
            && page.body.contains("<option value=\"beta\">beta</option>"),
        "{}",
        page.body
    );
    let sign_in = |organisation: &str| {
        let form = format!(
            "organisation={organisation}&name={BETA_USER}&password=bruno%27s+long+password"
        );
        let two = &two;
        async move {
            two.send(
                Request::post("/login")
                    .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                    .body(Body::from(form))
                    .unwrap(),
            )
            .await
        }
    };
    let wrong = sign_in("alpha").await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED, "{}", wrong.body);
    assert!(
        wrong.body.contains("<option value=\"alpha\" selected>"),
        "{}",
        wrong.body
    );
    let signed = sign_in("beta").await;
    assert_eq!(signed.status, StatusCode::SEE_OTHER, "{}", signed.body);
    assert_eq!(signed.location, "/admin");
    let session = signed.cookie.split(';').next().unwrap().to_owned();
    assert!(session.starts_with("kontera_session=beta."), "{session}");
    let admin_page = two
        .send(
            Request::get("/admin")
                .header(header::COOKIE, &session)
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(admin_page.status, StatusCode::OK);
    assert!(
        admin_page.body.contains(BETA_USER),
        "beta's administrators' page"
    );
    assert!(
        admin_page.body.contains(&format!(
            "<span class=\"who\">{BETA_USER} · admin · beta</span>"
        )),
        "the page names the organisation signed into: {}",
        admin_page.body
    );

    // Ready when every organisation is, each named.
    let ready = two.call("get", "/readyz", None, Body::empty()).await;
    assert_eq!(ready.status, StatusCode::OK, "{}", ready.body);
    let ready = ready.json();
    assert_eq!(ready["status"], "ready");
    assert_eq!(ready["organisations"]["alpha"]["status"], "ready");
    assert_eq!(ready["organisations"]["beta"]["status"], "ready");
    // One organisation's database gone: not ready, naming which.
    two.beta.store.close().await;
    let not_ready = two.call("get", "/readyz", None, Body::empty()).await;
    assert_eq!(
        not_ready.status,
        StatusCode::SERVICE_UNAVAILABLE,
        "{}",
        not_ready.body
    );
    assert_eq!(
        not_ready.json()["organisation"],
        "beta",
        "{}",
        not_ready.body
    );
    assert_eq!(not_ready.json()["code"], "not_ready", "{}", not_ready.body);
}

kontera_store::on_both_engines!(
    every_route_as_the_first_organisation_reaches_nothing_of_the_second,
    credentials_reach_only_their_own_organisation,
);
