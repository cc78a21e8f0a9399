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
use kontera_store::{self as store, Part, Recorded};

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
    let answer = store_one(&state, prepared).await?;
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
    // Storing overlaps coding: the decisions go to the store in parts, in the batch's order,
    // inside one transaction committed when the last is written.
    let (parts, to_store) = tokio::sync::mpsc::channel(PARTS_AHEAD);
    let (responses, recorded) = tokio::join!(
        prepare_all(&state, received, parts),
        state.store.record_parts(to_store)
    );
    // An invoice's error first: the store then only saw its batch abandoned.
    let responses = responses?;
    let recorded = recorded?;
    let responses = responses.ok_or_else(|| {
        ApiError::internal(
            "storing a batch",
            &"the store stopped before the batch's end",
        )
    })?;
    let decisions = answers(&state, responses, recorded)?;
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
/// Decisions sent to the store at a time (a few dozen multi-row statements).
const PART_SIZE: usize = 256;
/// Parts prepared ahead of the store, at most.
const PARTS_AHEAD: usize = 4;

/// Codes and decides every invoice of a batch, up to [`PREPARE_AT_ONCE`] at a time, all with
/// the same model and clock; sends their decisions to `parts` in the batch's order,
/// [`PART_SIZE`] at a time, then [`Part::End`]; and returns the answers in the batch's order.
/// `None` when the store stopped listening (its own error says why).
async fn prepare_all(
    state: &Arc<AppState>,
    received: Vec<kontera_intake::Received>,
    parts: tokio::sync::mpsc::Sender<Part>,
) -> Result<Option<Vec<InvoiceDecision>>, ApiError> {
    let model = state.models.active();
    let (today, now) = clock::now();
    let count = received.len();
    let mut slots: Vec<Option<store::Decision>> = (0..count).map(|_| None).collect();
    let mut responses: Vec<Option<InvoiceDecision>> = (0..count).map(|_| None).collect();
    let mut pending = received.into_iter().enumerate();
    let mut tasks = tokio::task::JoinSet::new();
    // The first decision not yet sent, and the part being filled.
    let mut next = 0;
    let mut part = Vec::with_capacity(PART_SIZE);
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
        let prepared = prepared.map_err(|e| e.in_batch(i))?;
        slots[i] = Some(prepared.record);
        responses[i] = Some(prepared.response);
        while let Some(record) = slots.get_mut(next).and_then(Option::take) {
            part.push(record);
            next += 1;
            if (part.len() == PART_SIZE || next == count)
                && parts
                    .send(Part::Decisions(std::mem::take(&mut part)))
                    .await
                    .is_err()
            {
                return Ok(None);
            }
        }
    }
    if parts.send(Part::End).await.is_err() {
        return Ok(None);
    }
    Ok(Some(responses.into_iter().flatten().collect()))
}

/// Stores one prepared invoice (joining whatever else is being committed at the moment) and
/// returns its answer: as prepared, or as stored before for a repeat.
async fn store_one(state: &AppState, prepared: Prepared) -> Result<InvoiceDecision, ApiError> {
    let recorded = state.committer.record_one(prepared.record).await?;
    let mut answers = answers(state, vec![prepared.response], vec![recorded])?;
    Ok(answers.pop().expect("one record, one answer"))
}

/// The answers to stored decisions: new ones as prepared (`responses`, in the same order),
/// repeats as stored before; counted in the metrics.
fn answers(
    state: &AppState,
    responses: Vec<InvoiceDecision>,
    recorded: Vec<Recorded>,
) -> Result<Vec<InvoiceDecision>, ApiError> {
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
