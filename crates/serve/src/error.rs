//! The API's error: one JSON shape for every failure (`{"code", "message", "field"}`) and one
//! table from error kind to HTTP status. Bad input is a 4xx that names the field; internal
//! failures are a 500 whose details are logged, never sent.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use kontera_intake::IntakeError;
use serde::Serialize;

/// A request that could not be answered.
#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
    pub field: Option<String>,
}

/// The body of every error response.
#[derive(Debug, Serialize)]
pub struct ErrorBody<'a> {
    pub code: &'a str,
    pub message: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<&'a str>,
}

impl ApiError {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> ApiError {
        ApiError {
            status,
            code,
            message: message.into(),
            field: None,
        }
    }

    pub fn with_field(mut self, field: impl Into<String>) -> ApiError {
        self.field = Some(field.into());
        self
    }

    /// An internal failure: logged with its details, answered with a generic 500.
    pub fn internal(context: &str, error: &dyn std::fmt::Display) -> ApiError {
        tracing::error!("internal error while {context}: {error}");
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "the service could not complete the request; nothing was stored; retry later",
        )
    }

    /// Bad input in a batch: the field path gets the invoice's index in front.
    pub fn in_batch(mut self, index: usize) -> ApiError {
        self.field = Some(match self.field.take() {
            Some(f) if f.starts_with("invoices[") => f,
            Some(f) => format!("invoices[{index}].{f}"),
            None => format!("invoices[{index}]"),
        });
        self.message = format!("invoice {index} of the batch: {}", self.message);
        self
    }
}

impl From<IntakeError> for ApiError {
    fn from(e: IntakeError) -> ApiError {
        let status = match e {
            IntakeError::MalformedJson { .. } | IntakeError::MalformedXml { .. } => {
                StatusCode::BAD_REQUEST
            }
            _ => StatusCode::UNPROCESSABLE_ENTITY,
        };
        ApiError {
            status,
            code: e.code(),
            message: e.to_string(),
            field: e.field().map(str::to_owned),
        }
    }
}

impl From<kontera_store::StoreError> for ApiError {
    fn from(e: kontera_store::StoreError) -> ApiError {
        ApiError::internal("storing", &e)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = ErrorBody {
            code: self.code,
            message: &self.message,
            field: self.field.as_deref(),
        };
        (self.status, Json(body)).into_response()
    }
}
