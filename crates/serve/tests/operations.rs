//! Router tests of the operations routes: health, readiness, metrics, the request log, the
//! OpenAPI document against the routes, and model activation and rollback under load.

mod common;

use std::sync::Arc;

use axum::http::StatusCode;
use common::{model_versions, regular_invoice, service};
use kontera_serve::logging::Captured;
use serde_json::{Value, json};
use tracing::level_filters::LevelFilter;

#[tokio::test]
async fn health_readiness_and_metrics() {
    let s = service(|_| {}).await;
    let (status, v) = s.get("/healthz").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(v["status"], "ok");
    let (status, v) = s.get("/readyz").await;
    assert_eq!(status, StatusCode::OK);
    assert!(v["model"].as_str().unwrap().starts_with("default@"));
    s.post_json("/v1/invoices", &regular_invoice("M-1")).await;
    let (_, text) = s.get("/metrics").await;
    let text = text.as_str().unwrap();
    assert!(
        text.contains("kontera_requests_total{route=\"/v1/invoices\",status=\"201\"} 1"),
        "{text}"
    );
    assert!(text.contains("kontera_request_duration_seconds_count{route=\"/v1/invoices\"} 1"));
}

/// The request log's records of `events`.
fn requests(events: &Captured) -> Vec<Value> {
    events
        .records()
        .into_iter()
        .filter(|r| r["target"] == "kontera_serve::api")
        .collect()
}

#[tokio::test]
async fn answers_are_logged_by_route_at_debug_and_failures_at_warn() {
    let s = service(|_| {}).await;
    let id = "d-4711-not-a-decision";
    let path = format!("/v1/reviews/{id}");

    // At debug, a line for every answer: the route's pattern, never the path it was asked on.
    let (events, guard) = Captured::capture(LevelFilter::DEBUG);
    let (status, _) = s.get(&path).await;
    drop(guard);
    assert_eq!(status, StatusCode::NOT_FOUND);
    let logged = requests(&events);
    assert_eq!(logged.len(), 1, "{logged:?}");
    let r = &logged[0];
    assert_eq!(r["level"], "DEBUG");
    assert_eq!(r["method"], "GET");
    assert_eq!(r["route"], "/v1/reviews/{decision_id}");
    assert_eq!(r["status"], 404);
    assert!(r["latency_ms"].as_f64().unwrap() >= 0.0, "{r}");
    assert!(!events.text().contains(id), "{}", events.text());

    // At info (the default), answers that are not failures leave no line.
    let (events, guard) = Captured::capture(LevelFilter::INFO);
    s.get(&path).await;
    s.get("/healthz").await;
    drop(guard);
    assert_eq!(requests(&events), Vec::<Value>::new());

    // A failure of the service: its cause at error, the answer at warn.
    s.state.store.close().await;
    let (events, guard) = Captured::capture(LevelFilter::INFO);
    let (status, _) = s.get("/v1/areas").await;
    // A probe's answer is not a failure worth a line each time: at debug only.
    let (ready, _) = s.get("/readyz").await;
    drop(guard);
    assert_eq!(ready, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
    let logged = requests(&events);
    assert_eq!(logged.len(), 1, "{logged:?}");
    assert_eq!(logged[0]["level"], "WARN");
    assert_eq!(logged[0]["route"], "/v1/areas");
    assert_eq!(logged[0]["status"], 500);
    let causes: Vec<Value> = events
        .records()
        .into_iter()
        .filter(|r| r["level"] == "ERROR")
        .collect();
    assert_eq!(causes.len(), 1, "{causes:?}");
    assert!(
        causes[0]["message"]
            .as_str()
            .unwrap()
            .starts_with("internal error while "),
        "{causes:?}"
    );
    // Both say whose request it was: the request's span carries the organisation.
    assert_eq!(causes[0]["span"]["organisation"], "default", "{causes:?}");
    assert_eq!(logged[0]["span"]["organisation"], "default", "{logged:?}");
}

#[tokio::test]
async fn a_database_outage_is_one_error_in_the_log_not_four_a_second() {
    let s = service(|_| {}).await;
    let (events, guard) = Captured::capture(LevelFilter::DEBUG);
    kontera_serve::follow::once(&s.state, None).await;
    s.state.store.close().await;
    for _ in 0..3 {
        kontera_serve::follow::once(&s.state, None).await;
    }
    drop(guard);
    let follower: Vec<Value> = events
        .records()
        .into_iter()
        .filter(|r| r["target"] == "kontera_serve::follow")
        .collect();
    let levels: Vec<&str> = follower
        .iter()
        .map(|r| r["level"].as_str().unwrap())
        .collect();
    assert_eq!(levels, ["ERROR", "DEBUG", "DEBUG"], "{follower:?}");
    let first = follower[0]["message"].as_str().unwrap();
    assert!(
        first.starts_with("cannot read the active model from the database: ")
            && first.ends_with("serving on what was read last, and trying again every 250 ms"),
        "{first}"
    );
}

#[tokio::test]
async fn a_stored_chart_update_that_cannot_be_read_is_reported_once_until_a_later_one() {
    let s = service(|_| {}).await;
    let store = &s.state.store;
    // Stored by a newer instance, say, in a form this one does not read.
    let bad = "no such column\n1,2\n";
    let bad_id = store
        .record_chart_update(
            bad,
            &kontera_model::checksum_hex(bad.as_bytes()),
            "ana",
            1,
            None,
        )
        .await
        .unwrap();
    let (events, guard) = Captured::capture(LevelFilter::DEBUG);
    for _ in 0..3 {
        kontera_serve::follow::once(&s.state, None).await;
    }
    // Quiet in the log, but shown for as long as it lasts.
    assert_eq!(s.state.chart.unreadable(), Some(bad_id));
    let gauge = |text: &str| {
        text.lines()
            .find_map(|l| l.strip_prefix("kontera_chart_update_unreadable "))
            .map(str::to_owned)
    };
    let (_, metrics) = s.get("/metrics").await;
    assert_eq!(gauge(metrics.as_str().unwrap()).as_deref(), Some("1"));
    let header = kontera_serve::chart_update::COLUMNS.join(",");
    let good_id = store
        .record_chart_update(
            &header,
            &kontera_model::checksum_hex(header.as_bytes()),
            "bo",
            2,
            None,
        )
        .await
        .unwrap();
    kontera_serve::follow::once(&s.state, None).await;
    drop(guard);
    let errors: Vec<String> = events
        .records()
        .into_iter()
        .filter(|r| r["target"] == "kontera_serve::follow" && r["level"] == "ERROR")
        .map(|r| r["message"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(
        errors[0].starts_with("the chart update in force (loaded by ana) cannot be read: "),
        "{}",
        errors[0]
    );
    assert!(good_id > bad_id);
    // The later update is read and put in force.
    assert_eq!(s.state.chart.loaded().map(|l| l.id), Some(good_id));
    assert_eq!(s.state.chart.unreadable(), None);
    let (_, metrics) = s.get("/metrics").await;
    assert_eq!(gauge(metrics.as_str().unwrap()).as_deref(), Some("0"));
}

#[tokio::test]
async fn the_openapi_document_matches_the_routes() {
    let s = service(|_| {}).await;
    let (status, doc) = s.get("/openapi.json").await;
    assert_eq!(status, StatusCode::OK);
    let paths = doc["paths"].as_object().unwrap();
    let mut documented: Vec<(String, String)> = paths
        .iter()
        .flat_map(|(path, ops)| {
            ops.as_object()
                .unwrap()
                .keys()
                .map(move |m| (m.clone(), path.clone()))
        })
        .collect();
    let mut routed: Vec<(String, String)> = kontera_serve::api::ROUTES
        .iter()
        .map(|(m, p)| ((*m).to_owned(), (*p).to_owned()))
        .collect();
    documented.sort();
    routed.sort();
    assert_eq!(documented, routed);
    // Every listed route is really routed: none answers 404 (a path parameter filled in).
    for (method, path) in kontera_serve::api::ROUTES {
        let path = path
            .replace("{area}", "schools")
            .replace("{decision_id}", "d-unknown")
            .replace("{name}", "ada");
        let (status, v) = s
            .send(&method.to_uppercase(), &path, "application/json", "{}")
            .await;
        // A 404 about the object (an unknown decision) names its field; a missing route does not.
        assert!(
            status != StatusCode::NOT_FOUND || v["field"].is_string(),
            "{method} {path}: {v}"
        );
        assert_ne!(
            status,
            StatusCode::METHOD_NOT_ALLOWED,
            "{method} {path}: {v}"
        );
    }
}

#[tokio::test]
async fn activating_and_rolling_back_models_loses_no_request() {
    // Two versions of the bundled model in a models directory of our own.
    let dir = model_versions(&["v1", "v2"]);
    let models = dir.path().to_owned();
    let s = Arc::new(
        service(move |c| {
            c.models_dir = models;
            c.model = "v1".to_owned();
        })
        .await,
    );
    // Requests in flight while the versions switch back and forth.
    let load = {
        let s = s.clone();
        tokio::spawn(async move {
            let mut statuses = Vec::new();
            for i in 0..200 {
                let (status, _) = s
                    .post_json("/v1/invoices", &regular_invoice(&format!("L-{i}")))
                    .await;
                statuses.push(status);
            }
            statuses
        })
    };
    for i in 0..20 {
        let v = if i % 2 == 0 { "v2" } else { "v1" };
        let (status, active) = s
            .put_json(
                "/v1/models/active",
                &json!({"version": v, "note": "test", "report": "cmp.json: challenger ahead"}),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{active}");
        assert_eq!(active["version"], v);
        tokio::task::yield_now().await;
    }
    let statuses = load.await.unwrap();
    assert!(
        statuses.iter().all(|s| *s == StatusCode::CREATED),
        "{statuses:?}"
    );
    let (_, models) = s.get("/v1/models").await;
    assert_eq!(models["active"]["version"], "v1");
    assert_eq!(models["available"], json!(["v1", "v2"]));
    let activations = models["activations"].as_array().unwrap();
    assert_eq!(activations.len(), 20);
    // Each activation names the signed-in analyst who made it.
    assert!(
        activations.iter().all(|a| a["activated_by"] == "ana"),
        "{models}"
    );
    let (status, back) = s.send("POST", "/v1/models/rollback", "", "").await;
    assert_eq!(status, StatusCode::OK, "{back}");
    assert_eq!(back["version"], "v2");
    // A corrupt version is refused and the active one stays.
    std::fs::create_dir_all(dir.path().join("bad")).unwrap();
    std::fs::write(dir.path().join("bad/model.bin"), b"KONTERA\0garbage").unwrap();
    let (status, err): (StatusCode, Value) = s
        .put_json("/v1/models/active", &json!({"version": "bad"}))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{err}");
    assert_eq!(err["field"], "version");
    let (_, models) = s.get("/v1/models").await;
    assert_eq!(models["active"]["version"], "v2");
    let (status, _) = s
        .put_json("/v1/models/active", &json!({"version": "missing"}))
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn an_activation_whose_file_differs_here_is_refused_and_the_served_model_kept() {
    // v2 on this instance's disk is the bundled model; another instance activated a v2 whose
    // model.bin had another checksum (a stale or different copy).
    let dir = model_versions(&["v1", "v2"]);
    let models = dir.path().to_owned();
    let s = service(move |c| {
        c.models_dir = models;
        c.model = "v1".to_owned();
    })
    .await;
    let elsewhere = "ab".repeat(32);
    s.state
        .store
        .record_activation("v2", &elsewhere, "ana", 1, None, None)
        .await
        .unwrap();
    let failing = kontera_serve::follow::once(&s.state, None).await;
    assert_eq!(failing, Some(format!("v2@{elsewhere}")));
    assert_eq!(s.state.models.active().version, "v1");
    // Told it failed, the next round reports the same activation and still serves v1.
    let again = kontera_serve::follow::once(&s.state, failing.as_deref()).await;
    assert_eq!(again, failing);
    assert_eq!(s.state.models.active().version, "v1");

    // Activated again with the checksum of the file this instance has: now it is served.
    let here = s.state.models.active().checksum.clone();
    s.state
        .store
        .record_activation("v2", &here, "ana", 2, None, None)
        .await
        .unwrap();
    assert_eq!(
        kontera_serve::follow::once(&s.state, failing.as_deref()).await,
        None
    );
    assert_eq!(s.state.models.active().version, "v2");
}
