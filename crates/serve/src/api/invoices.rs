//! `POST /v1/invoices` (one invoice, JSON or UBL XML) and `POST /v1/invoices/batch` (many, JSON):
//! code, decide, store durably, then answer. A repeat returns the stored decision.

use std::sync::Arc;

use axum::Json;
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};

use super::body;
use crate::clock;
use crate::code::{self, Prepared};
use crate::error::ApiError;
use crate::response::{BatchDecision, InvoiceDecision};
use crate::state::AppState;

pub async fn post_one(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, ApiError> {
    let kind = body::kind(&headers, true)?;
    let bytes = body::read(body, state.config.body_bytes).await?;
    let received = body::invoice(kind, &bytes)?;
    let model = state.models.active();
    let (today, now) = clock::now();
    let prepared = code::prepare(&state, &model, &received, today, now).await?;
    let mut answers = store(&state, vec![prepared]).await?;
    let answer = answers.pop().expect("one record, one answer");
    let status = if answer.repeat {
        StatusCode::OK
    } else {
        StatusCode::CREATED
    };
    Ok((status, Json(answer)).into_response())
}

/// The batch body.
#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct BatchCount {
    invoices: Vec<serde::de::IgnoredAny>,
}

pub async fn post_batch(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, ApiError> {
    body::kind(&headers, false)?;
    let bytes = body::read(body, state.config.body_bytes).await?;
    // Count first, so an oversized batch is refused before any invoice is read.
    if let Ok(count) = serde_json::from_slice::<BatchCount>(&bytes)
        && count.invoices.len() > state.config.batch_invoices
    {
        return Err(ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "batch_too_large",
            format!(
                "the batch holds {} invoices, the limit is {}; split it",
                count.invoices.len(),
                state.config.batch_invoices
            ),
        )
        .with_field("invoices"));
    }
    let received = kontera_intake::batch_from_json(&bytes)?;
    if received.is_empty() {
        return Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "empty_batch",
            "the batch holds no invoices",
        )
        .with_field("invoices"));
    }
    let prepared = prepare_all(&state, received).await?;
    let decisions = store(&state, prepared).await?;
    let count = |d: &str| decisions.iter().filter(|x| x.decision == d).count();
    let answer = BatchDecision {
        auto: count("auto"),
        review: count("review"),
        repeats: decisions.iter().filter(|d| d.repeat).count(),
        decisions,
    };
    Ok((StatusCode::OK, Json(answer)).into_response())
}

/// Invoices of a batch prepared at once: their duplicate look-ups wait on the database.
const PREPARE_AT_ONCE: usize = 16;

/// Codes and decides every invoice of a batch, up to [`PREPARE_AT_ONCE`] at a time, all with
/// the same model and clock; the answers keep the batch's order.
async fn prepare_all(
    state: &Arc<AppState>,
    received: Vec<kontera_intake::Received>,
) -> Result<Vec<Prepared>, ApiError> {
    let model = state.models.active();
    let (today, now) = clock::now();
    let mut slots: Vec<Option<Prepared>> = (0..received.len()).map(|_| None).collect();
    let mut pending = received.into_iter().enumerate();
    let mut tasks = tokio::task::JoinSet::new();
    loop {
        while tasks.len() < PREPARE_AT_ONCE
            && let Some((i, r)) = pending.next()
        {
            let (state, model) = (state.clone(), model.clone());
            tasks.spawn(async move { (i, code::prepare(&state, &model, &r, today, now).await) });
        }
        let Some(done) = tasks.join_next().await else {
            break;
        };
        let (i, prepared) = done.map_err(|e| ApiError::internal("preparing a batch", &e))?;
        slots[i] = Some(prepared.map_err(|e| e.in_batch(i))?);
    }
    Ok(slots.into_iter().flatten().collect())
}

/// Stores `prepared` all-or-nothing and returns the answers: new ones as prepared, repeats as
/// stored before.
async fn store(
    state: &AppState,
    prepared: Vec<Prepared>,
) -> Result<Vec<InvoiceDecision>, ApiError> {
    let (records, responses): (Vec<_>, Vec<_>) =
        prepared.into_iter().map(|p| (p.record, p.response)).unzip();
    let recorded = if records.len() == 1 {
        // One invoice joins whatever else is being committed at the moment.
        let one = records.into_iter().next().expect("one record");
        vec![state.committer.record_one(one).await?]
    } else {
        state.store.record(&records).await?
    };
    let mut answers = Vec::with_capacity(recorded.len());
    for (response, r) in responses.into_iter().zip(recorded) {
        let repeat = !r.is_new();
        let d = r.into_decision();
        if !repeat && d.would_auto {
            state.metrics.audit(d.audit);
        }
        state
            .metrics
            .decision(d.outcome.as_str(), repeat, &d.reasons);
        answers.push(if repeat {
            let mut answer: InvoiceDecision = serde_json::from_str(&d.response)
                .map_err(|e| ApiError::internal("reading a stored decision", &e))?;
            answer.repeat = true;
            answer
        } else {
            response
        });
    }
    Ok(answers)
}
