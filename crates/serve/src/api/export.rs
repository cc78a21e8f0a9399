//! `GET /v1/reviews/export?since=YYYY-MM-DD`: the controllers' reviews as the canonical
//! `postings` table in CSV (see [`crate::export`]), reviewed on or after `since` (UTC) when given;
//! `&file=reviews` gives the provenance table instead. The same bytes as
//! `kontera export-reviews` writes for the same reviews.

use std::sync::Arc;

use axum::Extension;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use crate::auth::Principal;
use crate::error::ApiError;
use crate::export::{self, POSTINGS_FILE, REVIEWS_FILE};
use crate::state::AppState;
use crate::trust::scope_of;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExportQuery {
    /// `YYYY-MM-DD`: reviews from that day (UTC) on.
    since: Option<String>,
    /// `postings` (default) or `reviews`.
    file: Option<String>,
}

pub async fn reviews(
    State(state): State<Arc<AppState>>,
    Extension(who): Extension<Principal>,
    query: Result<Query<ExportQuery>, QueryRejection>,
) -> Result<Response, ApiError> {
    let Query(query) = query.map_err(|e| {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            "invalid_query",
            format!(
                "{}; the export takes since=YYYY-MM-DD and file=postings|reviews",
                e.body_text()
            ),
        )
    })?;
    let since = query
        .since
        .as_deref()
        .map(export::since_ms)
        .transpose()
        .map_err(|e| {
            ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid_since",
                e.to_string(),
            )
            .with_field("since")
        })?;
    let postings = match query.file.as_deref() {
        None | Some("postings") => true,
        Some("reviews") => false,
        Some(other) => {
            return Err(ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid_file",
                format!("file {other:?} is neither postings nor reviews"),
            )
            .with_field("file"));
        }
    };
    // Analysts and administrators see every area; the scope keeps it so should that change.
    let reviews = state
        .store
        .reviews_for_export(&scope_of(&who), since)
        .await?;
    let (body, name) = if postings {
        (export::postings_csv(&reviews), POSTINGS_FILE)
    } else {
        (export::reviews_csv(&reviews), REVIEWS_FILE)
    };
    let body = body.map_err(|e| ApiError::internal("exporting reviews", &e))?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        body,
    )
        .into_response())
}
