//! The HTTP routes. [`ROUTES`] lists every route; the router and the OpenAPI document are both
//! checked against it by tests.

pub(crate) mod areas;
mod body;
mod chart;
mod dashboard;
mod export;
mod invoices;
mod models;
mod ops;
mod reviews;
pub(crate) mod users;

use std::sync::Arc;
use std::time::Instant;

use axum::Router;
use axum::extract::{MatchedPath, Request, State};
use axum::http::StatusCode;
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use tracing::Instrument;

pub use areas::AreaOut;
pub use chart::{ChangeOut, ChartOut, LoadOut, UpdateOut};
pub use models::{ActiveOut, ModelsOut};
pub use ops::{Health, OPENAPI};

use crate::error::ApiError;
use crate::state::AppState;

/// Every route as (method, path), in the router's order.
pub const ROUTES: [(&str, &str); 23] = [
    ("post", "/v1/invoices"),
    ("post", "/v1/invoices/batch"),
    ("get", "/v1/areas"),
    ("put", "/v1/areas/{area}/automation"),
    ("put", "/v1/areas/{area}/threshold"),
    ("get", "/v1/models"),
    ("put", "/v1/models/active"),
    ("post", "/v1/models/rollback"),
    ("get", "/v1/chart"),
    ("put", "/v1/chart"),
    ("get", "/v1/reviews"),
    ("get", "/v1/reviews/export"),
    ("get", "/v1/reviews/{decision_id}"),
    ("post", "/v1/reviews/{decision_id}"),
    ("get", "/v1/dashboard"),
    ("get", "/v1/users"),
    ("post", "/v1/users"),
    ("put", "/v1/users/{name}"),
    ("post", "/v1/users/{name}/tokens"),
    ("get", "/healthz"),
    ("get", "/readyz"),
    ("get", "/metrics"),
    ("get", "/openapi.json"),
];

/// The service's router over `state`.
pub fn router(state: Arc<AppState>) -> Router {
    Router::new()
        .route("/v1/invoices", post(invoices::post_one))
        .route("/v1/invoices/batch", post(invoices::post_batch))
        .route("/v1/areas", get(areas::list))
        .route("/v1/areas/{area}/automation", put(areas::set_automation))
        .route("/v1/areas/{area}/threshold", put(areas::set_threshold))
        .route("/v1/models", get(models::list))
        .route("/v1/models/active", put(models::activate))
        .route("/v1/models/rollback", post(models::rollback))
        .route("/v1/chart", get(chart::show).put(chart::load))
        .route("/v1/reviews", get(reviews::queue))
        .route("/v1/reviews/export", get(export::reviews))
        .route(
            "/v1/reviews/{decision_id}",
            get(reviews::show).post(reviews::submit),
        )
        .route("/v1/dashboard", get(dashboard::figures))
        .route("/v1/users", get(users::list).post(users::add))
        .route("/v1/users/{name}", put(users::change))
        .route("/v1/users/{name}/tokens", post(users::token))
        .route("/healthz", get(ops::healthz))
        .route("/readyz", get(ops::readyz))
        .route("/metrics", get(ops::metrics))
        .route("/openapi.json", get(ops::openapi))
        .merge(crate::web::routes())
        .route_layer(middleware::from_fn_with_state(
            state.clone(),
            crate::auth::authenticate,
        ))
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(middleware::from_fn_with_state(state.clone(), deadline))
        .layer(middleware::from_fn_with_state(state.clone(), observe))
        .with_state(state)
}

async fn not_found() -> ApiError {
    ApiError::new(
        StatusCode::NOT_FOUND,
        "not_found",
        "no such route; see /openapi.json for the API",
    )
}

async fn method_not_allowed() -> ApiError {
    ApiError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        "method_not_allowed",
        "this route does not take that method; see /openapi.json",
    )
}

/// Answers `503 timeout` when a request takes longer than its limit (`limits.request_ms`, or
/// `limits.batch_ms` for batches), reading the body included, so a slow client cannot hold a
/// connection and a task for ever. A decision whose answer timed out may still have been stored:
/// sending the invoice again returns it.
async fn deadline(State(state): State<Arc<AppState>>, request: Request, next: Next) -> Response {
    let batch = request.uri().path() == "/v1/invoices/batch";
    let limit = if batch {
        state.config.batch_time
    } else {
        state.config.request_time
    };
    match tokio::time::timeout(limit, next.run(request)).await {
        Ok(response) => response,
        Err(_) => ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "timeout",
            format!(
                "the request took longer than {} ms; retry it (an invoice that was stored meanwhile comes back as a repeat)",
                limit.as_millis()
            ),
        )
        .into_response(),
    }
}

/// Records every request's status and latency under its route pattern, and logs it: a failure
/// of the service (5xx) at `warn`, every other answer — and every answer to a probe
/// (`/healthz`, `/readyz`), which asks every few seconds — at `debug`. The line names the
/// route's pattern (`/v1/reviews/{decision_id}`), never the path itself, a query or a body, so
/// no invoice's content or person's name reaches the log.
async fn observe(State(state): State<Arc<AppState>>, request: Request, next: Next) -> Response {
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or("unmatched", |p| p.as_str())
        .to_owned();
    let method = request.method().clone();
    let span = crate::logging::organisation(&state.config.organisation);
    let start = Instant::now();
    let response = next
        .run(request)
        .instrument(span.clone())
        .await
        .into_response();
    let elapsed = start.elapsed();
    let status = response.status().as_u16();
    state.metrics.request(&route, status, elapsed);
    let latency_ms = elapsed.as_secs_f64() * 1e3;
    let _in = span.enter();
    let probe = route == "/healthz" || route == "/readyz";
    if response.status().is_server_error() && !probe {
        tracing::warn!(%method, route, status, latency_ms, "answered {status}");
    } else {
        tracing::debug!(%method, route, status, latency_ms, "answered {status}");
    }
    response
}
