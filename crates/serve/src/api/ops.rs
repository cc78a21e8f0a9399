//! Operations routes: `/healthz` (the process answers), `/readyz` (the database answers and a
//! model is loaded), `/metrics` (Prometheus) and `/openapi.json` (the API's description).

use std::sync::Arc;

use axum::Json;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use serde::Serialize;

use crate::error::ApiError;
use crate::state::AppState;

/// The health check's body.
#[derive(Debug, Serialize, PartialEq, Eq)]
pub struct Health {
    pub status: &'static str,
    pub version: &'static str,
}

pub async fn healthz() -> Json<Health> {
    Json(Health {
        status: "ok",
        version: env!("CARGO_PKG_VERSION"),
    })
}

pub async fn readyz(
    State(state): State<Arc<AppState>>,
) -> Result<Json<serde_json::Value>, ApiError> {
    // Not logged here: a probe asks every few seconds, and the instance's look at the database
    // logs an outage once (`follow::Outage`).
    state.store.automation().await.map_err(|_| {
        ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "not_ready",
            "the database does not answer; the service's log says why",
        )
    })?;
    Ok(Json(serde_json::json!({
        "status": "ready",
        "model": state.models.active().label(),
    })))
}

pub async fn metrics(State(state): State<Arc<AppState>>) -> impl IntoResponse {
    let mut text = state.metrics.render();
    // The instance's own state beside the counters: a stored chart update it cannot read is
    // logged once, and then shows here for as long as it lasts.
    crate::metrics::gauge(
        &mut text,
        "kontera_chart_update_unreadable",
        "1 while the chart update in force is one this instance cannot read (it serves the one \
         it read before).",
        u8::from(state.chart.unreadable().is_some()),
    );
    ([(header::CONTENT_TYPE, "text/plain; version=0.0.4")], text)
}

/// The OpenAPI document, written by hand and checked against the routes by a test.
pub const OPENAPI: &str = include_str!("openapi.json");

pub async fn openapi() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "application/json")], OPENAPI)
}
