//! `GET /v1/areas`, `PUT /v1/areas/{area}/automation` (pause or resume at once) and
//! `PUT /v1/areas/{area}/threshold` (override the model's threshold for one area).

use std::sync::Arc;

use axum::body::Body;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::{Extension, Json};
use serde::{Deserialize, Serialize};

use super::body;
use crate::auth::Principal;
use crate::clock;
use crate::error::ApiError;
use crate::state::AppState;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct AutomationBody {
    paused: bool,
    reason: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ThresholdBody {
    /// `null` removes the override.
    threshold: Option<f64>,
}

/// One area's automation state.
#[derive(Debug, Serialize, Deserialize, PartialEq)]
pub struct AreaOut {
    pub area: String,
    pub paused: bool,
    pub changed_by: Option<String>,
    pub reason: Option<String>,
    pub changed_at: Option<i64>,
    /// The threshold in force through the API or the config file, if any.
    pub threshold: Option<f32>,
    /// When automation opened for this calendar year (see [`crate::opening`]); `null` while the
    /// area waits for the year's first reviews, or when `trust.year_opening_reviews` is 0.
    pub year_opened_at: Option<i64>,
}

/// The area of the path, checked. A path segment that does not decode to UTF-8 is no area name
/// either (without this, axum would answer with a plain-text 400).
fn area_of(path: Result<Path<String>, PathRejection>) -> Result<String, ApiError> {
    let area = path.map(|Path(area)| area).unwrap_or_default();
    check_area(&area)?;
    Ok(area)
}

pub(crate) fn check_area(area: &str) -> Result<(), ApiError> {
    let ok = !area.is_empty()
        && area.len() <= 64
        && area
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'));
    if ok {
        Ok(())
    } else {
        Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_area",
            "an area is 1-64 letters, digits, '_', '-' or '.', e.g. schools",
        )
        .with_field("area"))
    }
}

/// Each area that opened for this calendar year, with when.
async fn opened_this_year(state: &AppState) -> Result<Vec<(String, i64)>, ApiError> {
    let year = crate::opening::year_of(clock::now().1);
    Ok(state
        .store
        .year_openings()
        .await?
        .into_iter()
        .filter(|o| o.year == year)
        .map(|o| (o.area, o.opened_at))
        .collect())
}

pub async fn list(State(state): State<Arc<AppState>>) -> Result<Json<Vec<AreaOut>>, ApiError> {
    let stored = state.store.automation().await?;
    let thresholds = state.store.thresholds().await?;
    let opened = opened_this_year(&state).await?;
    let mut areas: std::collections::BTreeMap<String, AreaOut> = Default::default();
    let entry = |area: &str| AreaOut {
        area: area.to_owned(),
        paused: false,
        changed_by: None,
        reason: None,
        changed_at: None,
        threshold: thresholds
            .iter()
            .find(|(a, _)| a == area)
            .map(|(_, t)| *t as f32)
            .or_else(|| state.config.thresholds.get(area).copied()),
        year_opened_at: opened.iter().find(|(a, _)| a == area).map(|(_, at)| *at),
    };
    for a in stored {
        let mut out = entry(&a.area);
        out.paused = a.paused;
        out.changed_by = Some(a.changed_by);
        out.reason = a.reason;
        out.changed_at = Some(a.changed_at);
        areas.insert(a.area, out);
    }
    let extra: Vec<String> = thresholds
        .iter()
        .map(|(a, _)| a.clone())
        .chain(state.config.thresholds.keys().cloned())
        .chain(opened.iter().map(|(a, _)| a.clone()))
        .collect();
    for a in extra {
        if !areas.contains_key(&a) {
            areas.insert(a.clone(), entry(&a));
        }
    }
    Ok(Json(areas.into_values().collect()))
}

pub async fn set_automation(
    State(state): State<Arc<AppState>>,
    Extension(who): Extension<Principal>,
    path: Result<Path<String>, PathRejection>,
    body: Body,
) -> Result<Json<AreaOut>, ApiError> {
    let area = area_of(path)?;
    let bytes = body::read(body, 64 << 10).await?;
    let b: AutomationBody = body::json(&bytes)?;
    let (_, now) = clock::now();
    let stored = state
        .store
        .set_automation(&area, b.paused, &who.name, b.reason.as_deref(), now)
        .await?;
    state.refresh_areas().await?;
    Ok(Json(AreaOut {
        area: stored.area,
        paused: stored.paused,
        changed_by: Some(stored.changed_by),
        reason: stored.reason,
        changed_at: Some(stored.changed_at),
        threshold: None,
        year_opened_at: opened_this_year(&state)
            .await?
            .into_iter()
            .find(|(a, _)| *a == area)
            .map(|(_, at)| at),
    }))
}

pub async fn set_threshold(
    State(state): State<Arc<AppState>>,
    Extension(who): Extension<Principal>,
    path: Result<Path<String>, PathRejection>,
    body: Body,
) -> Result<StatusCode, ApiError> {
    let area = area_of(path)?;
    let bytes = body::read(body, 64 << 10).await?;
    let b: ThresholdBody = body::json(&bytes)?;
    if let Some(t) = b.threshold
        && !(t > 0.0 && t <= 1.0)
    {
        return Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_threshold",
            format!("{t} is not a confidence in (0, 1]; e.g. 0.995, or null to remove"),
        )
        .with_field("threshold"));
    }
    let (_, now) = clock::now();
    state
        .store
        .set_threshold(&area, b.threshold, &who.name, now)
        .await?;
    state.refresh_areas().await?;
    Ok(StatusCode::NO_CONTENT)
}
