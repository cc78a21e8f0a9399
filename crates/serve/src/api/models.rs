//! `GET /v1/models` (versions on disk, the active one, the activation log),
//! `PUT /v1/models/active` (activate a version without a restart) and
//! `POST /v1/models/rollback` (back to the version active before the current one).

use std::sync::Arc;

use axum::body::Body;
use axum::extract::State;
use axum::http::StatusCode;
use axum::{Extension, Json};
use serde::{Deserialize, Serialize};

use super::body;
use crate::auth::Principal;
use crate::clock;
use crate::error::ApiError;
use crate::models::RegistryError;
use crate::state::AppState;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ActivateBody {
    version: String,
    /// Why, in words.
    note: Option<String>,
    /// The comparison report it rests on (e.g. its path and verdict line).
    report: Option<String>,
}

/// The active model.
#[derive(Debug, Serialize, Deserialize, PartialEq)]
pub struct ActiveOut {
    pub version: String,
    pub checksum: String,
    /// `version@checksum` as decisions record it.
    pub label: String,
    pub trained_from: String,
    pub trained_to: String,
    pub threshold: f32,
    pub min_support: f32,
}

/// One activation in the log.
#[derive(Debug, Serialize, Deserialize, PartialEq)]
pub struct ActivationOut {
    pub version: String,
    pub activated_by: String,
    pub activated_at: i64,
    pub note: Option<String>,
    pub report: Option<String>,
}

#[derive(Debug, Serialize, Deserialize, PartialEq)]
pub struct ModelsOut {
    pub active: ActiveOut,
    pub available: Vec<String>,
    pub activations: Vec<ActivationOut>,
}

fn active(state: &AppState) -> ActiveOut {
    let m = state.models.active();
    let bar = state.bar(&m, None);
    ActiveOut {
        version: m.version.clone(),
        checksum: m.checksum.clone(),
        label: m.label(),
        trained_from: m.artifact.card.trained_from.to_string(),
        trained_to: m.artifact.card.trained_to.to_string(),
        threshold: bar.threshold,
        min_support: bar.min_support,
    }
}

pub async fn list(State(state): State<Arc<AppState>>) -> Result<Json<ModelsOut>, ApiError> {
    let activations = state
        .store
        .activations()
        .await?
        .into_iter()
        .map(|a| ActivationOut {
            version: a.version,
            activated_by: a.activated_by,
            activated_at: a.activated_at,
            note: a.note,
            report: a.report,
        })
        .collect();
    Ok(Json(ModelsOut {
        active: active(&state),
        available: state
            .models
            .available()
            .into_iter()
            .map(|a| a.version)
            .collect(),
        activations,
    }))
}

pub async fn activate(
    State(state): State<Arc<AppState>>,
    Extension(who): Extension<Principal>,
    body: Body,
) -> Result<Json<ActiveOut>, ApiError> {
    let bytes = body::read(body, 64 << 10).await?;
    let b: ActivateBody = body::json(&bytes)?;
    let report = b.report.as_deref();
    switch(&state, &who.name, &b.version, b.note.as_deref(), report).await
}

pub async fn rollback(
    State(state): State<Arc<AppState>>,
    Extension(who): Extension<Principal>,
) -> Result<Json<ActiveOut>, ApiError> {
    let current = state.models.active().version.clone();
    // Before any other activation, the configured model is the one to return to.
    let previous = state
        .store
        .rollback_target(&current)
        .await?
        .or_else(|| (state.config.model != current).then(|| state.config.model.clone()));
    let Some(previous) = previous else {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            "nothing_to_roll_back",
            format!("no version was active before {current}; activate one by name instead"),
        ));
    };
    switch(&state, &who.name, &previous, Some("rollback"), None).await
}

/// Activates `version` and records who did it (the signed-in user's name).
async fn switch(
    state: &AppState,
    by: &str,
    version: &str,
    note: Option<&str>,
    report: Option<&str>,
) -> Result<Json<ActiveOut>, ApiError> {
    // Loaded and validated first, recorded next, served last: an instance following the
    // database never sees a recorded version it could not load, nor switches back meanwhile.
    let model = state.models.prepare(version).map_err(|e| {
        let (status, message) = match &e {
            // The server's directory stays out of the answer.
            RegistryError::Unknown {
                version, available, ..
            } => (
                StatusCode::NOT_FOUND,
                format!("no model version {version:?}: {available}"),
            ),
            RegistryError::BadName(_) => (StatusCode::NOT_FOUND, e.to_string()),
            RegistryError::Model(_) | RegistryError::Checksum { .. } => {
                (StatusCode::UNPROCESSABLE_ENTITY, e.to_string())
            }
        };
        ApiError::new(status, "model_not_activated", message).with_field("version")
    })?;
    let (_, now) = clock::now();
    state
        .store
        .record_activation(version, &model.checksum, by, now, note, report)
        .await?;
    state.models.install(model);
    Ok(Json(active(state)))
}
