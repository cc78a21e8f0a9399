//! The controllers' review API: `GET /v1/reviews` (the open queue of the caller's areas, oldest
//! first, `?reason=CODE&limit=N`), `GET /v1/reviews/{decision_id}` (the invoice with its lines,
//! reasons and suggestion; an unreviewed audit sample without it) and
//! `POST /v1/reviews/{decision_id}` (the controller's coding, stored once; after an audit sample
//! the circuit breaker judges the area).
//!
//! A decision of another area is answered exactly like a missing one (404 `not_found`).

use std::sync::Arc;

use axum::body::Body;
use axum::extract::rejection::{PathRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::{Extension, Json};
use chrono::NaiveDate;
use kontera_core::{Chart, cpr};
use kontera_store::ReviewLine;
use serde::Deserialize;
use serde_json::{Map, Value};

use super::body;
use crate::auth::Principal;
use crate::error::ApiError;
use crate::review::{self, Detail, QueueRow, Refused, ReviewOut};
use crate::state::AppState;

/// The largest review body read (a coding per line; invoices have at most a few thousand).
const BODY_LIMIT: usize = 1 << 20;

#[derive(Debug, Deserialize)]
pub struct QueueQuery {
    reason: Option<String>,
    limit: Option<String>,
}

/// `GET /v1/reviews`: the open queue within the caller's areas, oldest first.
pub async fn queue(
    State(state): State<Arc<AppState>>,
    Extension(who): Extension<Principal>,
    query: Result<Query<QueueQuery>, QueryRejection>,
) -> Result<Json<Vec<QueueRow>>, ApiError> {
    let Query(q) = query.map_err(|e| {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            "invalid_query",
            format!("the query string cannot be read ({e}); use ?reason=CODE&limit=N"),
        )
    })?;
    let limit = match q.limit.as_deref() {
        None => review::DEFAULT_LIMIT,
        Some(text) => text
            .trim()
            .parse::<u32>()
            .ok()
            .filter(|n| (1..=review::MAX_LIMIT).contains(n))
            .ok_or_else(|| {
                ApiError::new(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "invalid_field",
                    format!(
                        "limit {:?} is not a whole number from 1 to {}; e.g. limit=50",
                        cpr::mask(text),
                        review::MAX_LIMIT
                    ),
                )
                .with_field("limit")
            })?,
    };
    let reason = q.reason.as_deref().map(str::trim);
    if let Some(code) = reason
        && !review::known_reason(code)
    {
        return Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_field",
            format!(
                "reason {:?} is not a reason code; use one of {}",
                cpr::mask(code),
                review::reason_codes()
            ),
        )
        .with_field("reason"));
    }
    let rows = review::queue(&state, &review::scope(&who), reason, limit).await?;
    Ok(Json(rows))
}

/// `GET /v1/reviews/{decision_id}`: the invoice as a controller sees it.
pub async fn show(
    State(state): State<Arc<AppState>>,
    Extension(who): Extension<Principal>,
    path: Result<Path<String>, PathRejection>,
) -> Result<Json<Detail>, ApiError> {
    let id = decision_id(path)?;
    match review::detail(&state, &review::scope(&who), &id).await? {
        Some((detail, _)) => Ok(Json(detail)),
        None => Err(not_found(&id)),
    }
}

/// `POST /v1/reviews/{decision_id}`: stores the controller's coding; `201` with the review and
/// its comparison (and the circuit breaker's verdict when it tripped).
pub async fn submit(
    State(state): State<Arc<AppState>>,
    Extension(who): Extension<Principal>,
    path: Result<Path<String>, PathRejection>,
    headers: HeaderMap,
    body: Body,
) -> Result<(StatusCode, Json<ReviewOut>), ApiError> {
    let id = decision_id(path)?;
    // Another area's decision is a 404 whatever the body says.
    let Some(decision) = state.store.open_decision(&review::scope(&who), &id).await? else {
        return Err(not_found(&id));
    };
    body::kind(&headers, false)?;
    let bytes = body::read(body, BODY_LIMIT).await?;
    // Accounts are checked against the chart in force on the invoice's date.
    let chart = state.chart.for_model(&state.models.active());
    let lines = parse(&chart.chart, decision.issue_date, &bytes)?;
    match review::record(&state, &who, &id, lines).await {
        Ok(recorded) => Ok((
            StatusCode::CREATED,
            Json(ReviewOut::new(
                &recorded.review,
                recorded.after_review.as_ref(),
            )),
        )),
        Err(refused) => Err(refusal(refused, &id)),
    }
}

/// The decision id of the path; one that cannot be read is no decision either.
fn decision_id(path: Result<Path<String>, PathRejection>) -> Result<String, ApiError> {
    match path {
        Ok(Path(id)) => Ok(id),
        Err(_) => Err(not_found("")),
    }
}

fn not_found(id: &str) -> ApiError {
    ApiError::new(
        StatusCode::NOT_FOUND,
        "not_found",
        format!(
            "there is no decision {:?} in your areas; check the decision id, or ask an administrator for access to its area",
            cpr::mask(id)
        ),
    )
    .with_field("decision_id")
}

/// The API's answer to a review the store refused.
fn refusal(refused: Refused, id: &str) -> ApiError {
    match refused {
        Refused::NotFound => not_found(id),
        Refused::NotForReview => ApiError::new(
            StatusCode::CONFLICT,
            "not_for_review",
            format!(
                "decision {:?} was posted automatically, so there is nothing to review",
                cpr::mask(id)
            ),
        ),
        Refused::AlreadyReviewed { reviewer } => ApiError::new(
            StatusCode::CONFLICT,
            "already_reviewed",
            format!(
                "decision {:?} was already reviewed by {reviewer}; reload the queue, or ask them to correct the posting in the ERP",
                cpr::mask(id)
            ),
        ),
        Refused::Lines(message) => {
            ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "lines_mismatch", message)
                .with_field("lines")
        }
        Refused::Store(e) => ApiError::from(e),
    }
}

/// Reads `{"lines": [{"line_no", "account", "cost_centre", "vat_code"}]}`: no other fields, each
/// value of its type, the account known; errors name the field (`lines[0].account`).
fn parse(chart: &Chart, on: NaiveDate, bytes: &[u8]) -> Result<Vec<ReviewLine>, ApiError> {
    let value: Value = serde_json::from_slice(bytes).map_err(|e| {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            "malformed_json",
            format!("the body is not JSON ({e}); send {{\"lines\": [{{\"line_no\": 1, \"account\": \"…\"}}]}}"),
        )
    })?;
    let top = object(&value, "the body", "")?;
    only(top, &["lines"], "")?;
    let lines = match top.get("lines") {
        Some(Value::Array(lines)) => lines,
        Some(_) => {
            return Err(invalid(
                "lines",
                "lines must be a list of codings, one per line",
            ));
        }
        None => {
            return Err(missing(
                "lines",
                "the body needs `lines`: one coding per line of the invoice",
            ));
        }
    };
    lines
        .iter()
        .enumerate()
        .map(|(i, line)| {
            let at = format!("lines[{i}]");
            let fields = object(line, &at, &at)?;
            only(
                fields,
                &["line_no", "account", "cost_centre", "vat_code"],
                &at,
            )?;
            let line_no = match fields.get("line_no") {
                Some(v) => v
                    .as_u64()
                    .and_then(|n| u32::try_from(n).ok())
                    .ok_or_else(|| {
                        invalid(
                            &format!("{at}.line_no"),
                            "line_no must be the invoice line's number, a whole number from 0",
                        )
                    })?,
                None => {
                    return Err(missing(
                        &format!("{at}.line_no"),
                        "each coding needs the line_no of the line it codes",
                    ));
                }
            };
            let account = match fields.get("account") {
                Some(Value::String(s)) => s.as_str(),
                Some(_) => {
                    return Err(invalid(
                        &format!("{at}.account"),
                        "account must be a string, e.g. \"5.25.14.1.2.2\"",
                    ));
                }
                None => {
                    return Err(missing(
                        &format!("{at}.account"),
                        "each line needs an account",
                    ));
                }
            };
            let cost_centre = optional_text(fields, "cost_centre", &at)?;
            let vat_code = optional_text(fields, "vat_code", &at)?;
            review::check_line(chart, on, line_no, account, cost_centre, vat_code, |name| {
                format!("{at}.{name}")
            })
            .map_err(|e| {
                ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, e.code, e.message)
                    .with_field(e.field)
            })
        })
        .collect()
}

fn object<'a>(
    value: &'a Value,
    what: &str,
    field: &str,
) -> Result<&'a Map<String, Value>, ApiError> {
    value.as_object().ok_or_else(|| {
        let e = ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_field",
            format!("{what} must be a JSON object"),
        );
        if field.is_empty() {
            e
        } else {
            e.with_field(field)
        }
    })
}

/// Refuses fields other than `allowed`, naming the first unknown one.
fn only(fields: &Map<String, Value>, allowed: &[&str], at: &str) -> Result<(), ApiError> {
    match fields.keys().find(|k| !allowed.contains(&k.as_str())) {
        None => Ok(()),
        Some(key) => {
            let field = if at.is_empty() {
                key.clone()
            } else {
                format!("{at}.{key}")
            };
            Err(ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "unknown_field",
                format!(
                    "{:?} is not a field here; the fields are {}",
                    cpr::mask(&field),
                    allowed.join(", ")
                ),
            )
            .with_field(cpr::mask(&field).into_owned()))
        }
    }
}

/// A string field that may be absent or `null`; an empty string is refused (omit it instead).
fn optional_text<'a>(
    fields: &'a Map<String, Value>,
    name: &str,
    at: &str,
) -> Result<Option<&'a str>, ApiError> {
    match fields.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) if s.trim().is_empty() => Err(invalid(
            &format!("{at}.{name}"),
            &format!("{name} is empty; omit it or send null when the posting has none"),
        )),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(_) => Err(invalid(
            &format!("{at}.{name}"),
            &format!("{name} must be a string or null"),
        )),
    }
}

fn invalid(field: &str, message: &str) -> ApiError {
    ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid_field", message).with_field(field)
}

fn missing(field: &str, message: &str) -> ApiError {
    ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "missing_field", message).with_field(field)
}
