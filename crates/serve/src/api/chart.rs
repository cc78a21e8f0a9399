//! `GET /v1/chart` (the chart update in force and what it does to the active model's accounts)
//! and `PUT /v1/chart` (load a new one: the file itself, CSV in the `accounts` table's
//! vocabulary; checked, stored with who and when, in force from the next request on).

use std::sync::Arc;

use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::{Extension, Json};
use kontera_core::Mapping;
use serde::{Deserialize, Serialize};

use super::body;
use crate::auth::Principal;
use crate::chart_update::{self, ChartUpdateError, InForce};
use crate::error::ApiError;
use crate::models::LoadedModel;
use crate::state::AppState;

/// The chart in force for the active model.
#[derive(Debug, Serialize, Deserialize, PartialEq)]
pub struct ChartOut {
    /// The active model, `version@checksum`.
    pub model: String,
    /// How many accounts the model codes to.
    pub model_accounts: usize,
    /// The update in force; `null` when none is.
    pub update: Option<UpdateOut>,
    /// The day the figures below are for: the last day one of the update's changes takes
    /// effect (`null` without changes: every account is unchanged).
    pub as_of: Option<String>,
    /// Of the model's accounts on `as_of`: still valid, mapped to one successor (renamed or
    /// merged), closed without successor, split into several.
    pub unchanged: usize,
    pub mapped: usize,
    pub closed: usize,
    pub split: usize,
    /// Each of the model's accounts the update changes, by account.
    pub changes: Vec<ChangeOut>,
    /// Rows about accounts the model never codes to (they change no coding, but the chart in
    /// force, which the invoice's own account string and the review form are checked against).
    pub other_rows: usize,
    /// Set when the update cannot be applied to the active model: then no invoice is posted
    /// automatically until a new update is loaded.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub problem: Option<String>,
    /// Every update loaded, oldest first.
    pub history: Vec<LoadOut>,
}

/// The update in force.
#[derive(Debug, Serialize, Deserialize, PartialEq)]
pub struct UpdateOut {
    /// SHA-256 of the file as loaded.
    pub sha256: String,
    pub loaded_by: String,
    /// Unix ms.
    pub loaded_at: i64,
    pub note: Option<String>,
    /// Rows in the file.
    pub rows: usize,
    /// The days its changes take effect, `YYYY-MM-DD`.
    pub effective: Vec<String>,
}

/// One load in the history.
#[derive(Debug, Serialize, Deserialize, PartialEq)]
pub struct LoadOut {
    pub sha256: String,
    pub loaded_by: String,
    pub loaded_at: i64,
    pub note: Option<String>,
}

/// What becomes of one of the model's accounts.
#[derive(Debug, Serialize, Deserialize, PartialEq)]
pub struct ChangeOut {
    pub account: String,
    /// The first day it may no longer be used.
    pub ends: Option<String>,
    /// `mapped`, `closed` or `split`.
    pub effect: String,
    /// For `mapped`: the successor invoices are coded to.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub to: Option<String>,
    /// For `mapped`: the changes followed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub via: Vec<String>,
    /// For `split`: the accounts a person chooses from.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub candidates: Vec<String>,
}

/// The summary of `in_force` for `model`, with the load history.
async fn summary(
    state: &AppState,
    model: &LoadedModel,
    in_force: &InForce,
) -> Result<ChartOut, ApiError> {
    let history = state
        .store
        .chart_update_log()
        .await?
        .into_iter()
        .map(|u| LoadOut {
            sha256: u.sha256,
            loaded_by: u.loaded_by,
            loaded_at: u.loaded_at,
            note: u.note,
        })
        .collect();
    let base = chart_update::model_accounts(model);
    let loaded = in_force.update.as_deref();
    let as_of = loaded.and_then(|l| l.update.effective_dates().last().copied());
    let mut out = ChartOut {
        model: model.label(),
        model_accounts: base.len(),
        update: loaded.map(|l| UpdateOut {
            sha256: l.sha256.clone(),
            loaded_by: l.loaded_by.clone(),
            loaded_at: l.loaded_at,
            note: l.note.clone(),
            rows: l.update.rows().len(),
            effective: l
                .update
                .effective_dates()
                .iter()
                .map(ToString::to_string)
                .collect(),
        }),
        as_of: as_of.map(|d| d.to_string()),
        unchanged: 0,
        mapped: 0,
        closed: 0,
        split: 0,
        changes: Vec::new(),
        other_rows: loaded.map_or(0, |l| {
            l.update
                .rows()
                .iter()
                .filter(|r| !base.contains(&r.account))
                .count()
        }),
        problem: in_force.problem.clone(),
        history,
    };
    let chart = &in_force.chart;
    for account in &base {
        let mapping = match as_of {
            Some(day) => chart.current(account, day),
            None => Mapping::Unchanged,
        };
        let change = |effect: &str| ChangeOut {
            account: account.as_str().to_owned(),
            ends: chart
                .get(account)
                .and_then(|e| e.valid_to)
                .map(|d| d.to_string()),
            effect: effect.to_owned(),
            to: None,
            via: Vec::new(),
            candidates: Vec::new(),
        };
        match mapping {
            Mapping::Mapped { to, via } => {
                out.mapped += 1;
                out.changes.push(ChangeOut {
                    to: Some(to.as_str().to_owned()),
                    via: via.iter().map(|k| k.as_str().to_owned()).collect(),
                    ..change("mapped")
                });
            }
            Mapping::Closed { .. } => {
                out.closed += 1;
                out.changes.push(change("closed"));
            }
            Mapping::Ambiguous { candidates } => {
                out.split += 1;
                out.changes.push(ChangeOut {
                    candidates: candidates.iter().map(|a| a.as_str().to_owned()).collect(),
                    ..change("split")
                });
            }
            Mapping::Unchanged | Mapping::Unknown | Mapping::NotYetValid => out.unchanged += 1,
        }
    }
    Ok(out)
}

pub async fn show(State(state): State<Arc<AppState>>) -> Result<Json<ChartOut>, ApiError> {
    let model = state.models.active();
    let in_force = state.chart.for_model(&model);
    Ok(Json(summary(&state, &model, &in_force).await?))
}

/// The body is the update file itself (`text/csv` or `text/plain`, UTF-8).
pub async fn load(
    State(state): State<Arc<AppState>>,
    Extension(who): Extension<Principal>,
    headers: HeaderMap,
    body: Body,
) -> Result<Json<ChartOut>, ApiError> {
    csv_kind(&headers)?;
    let bytes = body::read(body, state.config.body_bytes).await?;
    let text = std::str::from_utf8(&bytes).map_err(|e| {
        ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_chart_update",
            format!(
                "the file is not UTF-8 text (byte {}); save it as UTF-8 CSV",
                e.valid_up_to()
            ),
        )
    })?;
    chart_update::load(&state, text, &who.name, None)
        .await
        .map_err(|e| match e {
            ChartUpdateError::File(e) => ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid_chart_update",
                e.to_string(),
            )
            .with_field(format!("line {}", e.line)),
            ChartUpdateError::Store(e) => e.into(),
            other => ApiError::internal("loading a chart update", &other),
        })?;
    let model = state.models.active();
    let in_force = state.chart.for_model(&model);
    Ok(Json(summary(&state, &model, &in_force).await?))
}

/// The update is CSV text: `text/csv` or `text/plain`; anything else is a 415.
fn csv_kind(headers: &HeaderMap) -> Result<(), ApiError> {
    let value = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let mime = value
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    if matches!(mime.as_str(), "text/csv" | "text/plain") {
        return Ok(());
    }
    Err(ApiError::new(
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "unsupported_media_type",
        format!(
            "Content-Type {:?} is not accepted here; send the update file as text/csv",
            if value.is_empty() { "(none)" } else { value }
        ),
    )
    .with_field("Content-Type"))
}
