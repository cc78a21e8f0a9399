//! Shared set-up for the router tests: a service on a temporary database with the bundled model,
//! and helpers to send requests in process.

#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use kontera_serve::auth::secret;
use kontera_serve::{AppState, Config};
use kontera_store::{AreaScope, Role};
use serde_json::{Value, json};
use tower::ServiceExt;

#[derive(Debug)]
pub struct Service {
    pub state: Arc<AppState>,
    pub dir: tempfile::TempDir,
    /// An API token per role (users `erp`, `clara` (every area), `ana`, `ada`).
    pub tokens: BTreeMap<Role, String>,
}

/// The users every test service has, by role: (name, areas).
pub const USERS: [(Role, &str, &[&str]); 4] = [
    (Role::Integration, "erp", &[]),
    (Role::Controller, "clara", &["*"]),
    (Role::Analyst, "ana", &[]),
    (Role::Admin, "ada", &[]),
];

/// Adds a user with an API token; returns the token.
pub async fn add_user(state: &AppState, name: &str, role: Role, areas: &[&str]) -> String {
    let areas: Vec<String> = areas.iter().map(|a| (*a).to_owned()).collect();
    state
        .store
        .add_user(name, role, None, &areas, 1)
        .await
        .unwrap();
    let token = secret::new_token(state.store.organisation()).unwrap();
    state
        .store
        .add_token(&secret::digest(&token), name, "test", 1)
        .await
        .unwrap();
    token
}

/// The role the tests call a route as: the one the route is for.
pub fn role_for(method: &str, path: &str) -> Role {
    let write = !method.eq_ignore_ascii_case("GET");
    if path.starts_with("/v1/invoices") {
        Role::Integration
    } else if (path.starts_with("/v1/areas") && write) || path.starts_with("/v1/users") {
        Role::Admin
    } else if path.starts_with("/v1/reviews") && !path.starts_with("/v1/reviews/export") {
        Role::Controller
    } else {
        Role::Analyst
    }
}

pub fn models_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../models")
}

/// A models directory holding a copy of the bundled model under each of `versions`.
pub fn model_versions(versions: &[&str]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for v in versions {
        let to = dir.path().join(v);
        std::fs::create_dir_all(&to).unwrap();
        std::fs::copy(models_dir().join("default/model.bin"), to.join("model.bin")).unwrap();
    }
    dir
}

/// The tests' configuration with the database `k.db` in `dir`: the repository's models, a fixed
/// audit salt, and every area open from the first invoice (the tests of the year opening set
/// `trust.year_opening_reviews` themselves).
pub fn config_in(dir: &std::path::Path) -> Config {
    let mut config = Config {
        database: dir.join("k.db").display().to_string(),
        models_dir: models_dir(),
        audit_salt: Some("test salt, sixteen chars or more".to_owned()),
        ..Config::default()
    };
    config.trust.year_opening_reviews = 0;
    config
}

/// A service on a fresh database with [`config_in`]; `edit` adjusts that configuration.
pub async fn service(edit: impl FnOnce(&mut Config)) -> Service {
    let dir = tempfile::tempdir().unwrap();
    let mut config = config_in(dir.path());
    edit(&mut config);
    let state = kontera_serve::build(config).await.unwrap();
    let mut tokens = BTreeMap::new();
    for (role, name, areas) in USERS {
        tokens.insert(role, add_user(&state, name, role, areas).await);
    }
    Service { state, dir, tokens }
}

impl Service {
    /// Sends one request and returns the status and the body as JSON (or as a JSON string when
    /// it is not JSON).
    pub async fn send(
        &self,
        method: &str,
        path: &str,
        content_type: &str,
        body: impl Into<Body>,
    ) -> (StatusCode, Value) {
        let token = self.tokens[&role_for(method, path)].clone();
        self.send_with(method, path, content_type, Some(&token), body)
            .await
    }

    /// Sends one request with the given token (or none).
    pub async fn send_with(
        &self,
        method: &str,
        path: &str,
        content_type: &str,
        token: Option<&str>,
        body: impl Into<Body>,
    ) -> (StatusCode, Value) {
        let mut request = Request::builder().method(method).uri(path);
        if let Some(token) = token {
            request = request.header("authorization", format!("Bearer {token}"));
        }
        if !content_type.is_empty() {
            request = request.header("content-type", content_type);
        }
        let response = kontera_serve::app(self.state.clone())
            .oneshot(request.body(body.into()).unwrap())
            .await
            .unwrap();
        let status = response.status();
        let bytes = axum::body::to_bytes(response.into_body(), 1 << 30)
            .await
            .unwrap();
        let value = serde_json::from_slice(&bytes)
            .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into_owned()));
        (status, value)
    }

    pub async fn post_json(&self, path: &str, body: &Value) -> (StatusCode, Value) {
        self.send("POST", path, "application/json", body.to_string())
            .await
    }

    pub async fn put_json(&self, path: &str, body: &Value) -> (StatusCode, Value) {
        self.send("PUT", path, "application/json", body.to_string())
            .await
    }

    pub async fn get(&self, path: &str) -> (StatusCode, Value) {
        self.send("GET", path, "", Body::empty()).await
    }
}

/// An invoice like the sample's most regular one: a municipality's tree-pruning contractor
/// (CVR 53807186) invoicing the same unit (GLN 5798000190269) every month, which the bundled
/// model codes with high confidence. The amount follows from the number, so invoices with
/// different numbers do not look like duplicates of each other.
/// The reason codes of a decision answer, in order.
pub fn reason_codes(v: &Value) -> Vec<String> {
    v["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["code"].as_str().unwrap().to_owned())
        .collect()
}

pub fn regular_invoice(number: &str) -> Value {
    let h = number
        .bytes()
        .fold(7u64, |h, b| h.wrapping_mul(31).wrapping_add(u64::from(b)));
    let net_cents = 700_000 + (h % 75_000) * 4;
    let vat_cents = net_cents / 4;
    let money = |cents: u64| format!("{}.{:02}", cents / 100, cents % 100);
    json!({
        "number": number,
        "issue_date": "2026-01-15",
        "currency": "DKK",
        "supplier": {"cvr": "53807186", "creditor_id": "K000112", "country": "DK"},
        "buyer": {"gln": "5798000190269", "reference": "EDO624"},
        "lines": [{
            "description": "Beskæring af træer varenr. 739487 januar 2026",
            "item_id": "739487",
            "net_amount": money(net_cents),
            "vat_category": "S",
            "vat_rate": "25"
        }],
        "totals": {
            "net": money(net_cents),
            "vat": money(vat_cents),
            "payable": money(net_cents + vat_cents)
        }
    })
}

/// Everything a request could change, as text: decisions, the review queue and reviews, users
/// with their tokens, pauses and thresholds (stored and cached), the active model and its
/// activations, the chart updates (stored and in force).
pub async fn snapshot(state: &AppState) -> String {
    let store = &state.store;
    let mut users = Vec::new();
    for u in store.users().await.unwrap() {
        let tokens = store.tokens(&u.name).await.unwrap();
        users.push(format!("{u:?} {tokens:?}"));
    }
    let cached = format!("{:?}", state.areas.read().unwrap());
    format!(
        "decisions {}\nqueue {:?}\nreviews {}\nusers {users:?}\nautomation {:?}\nthresholds {:?}\ncached {:?}\nmodel {}\nactivations {:?}\nchart updates {:?}\nchart in force {:?}",
        store.count_decisions().await.unwrap(),
        store
            .review_queue(&AreaScope::All, None, 1000)
            .await
            .unwrap()
            .iter()
            .map(|q| &q.decision_id)
            .collect::<Vec<_>>(),
        store
            .reviews_for_export(&AreaScope::All, None)
            .await
            .unwrap()
            .len(),
        store.automation().await.unwrap(),
        store.thresholds().await.unwrap(),
        cached,
        state.models.active().label(),
        store.activations().await.unwrap(),
        store.chart_update_log().await.unwrap(),
        state.chart.loaded().map(|l| l.id),
    )
}
