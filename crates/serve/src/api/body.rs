//! Reading a request body: within the size limit, and by content type into a received invoice.

use axum::body::{Body, Bytes};
use axum::http::{HeaderMap, StatusCode, header};
use kontera_intake::Received;

use crate::error::ApiError;

/// The formats the coding endpoints accept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Json,
    Xml,
}

/// The body's kind from its `Content-Type`; anything else is a 415 that lists what is accepted.
pub fn kind(headers: &HeaderMap, xml_allowed: bool) -> Result<Kind, ApiError> {
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
    let accepted = if xml_allowed {
        "application/json, or application/xml (text/xml) for a UBL invoice or credit note"
    } else {
        "application/json"
    };
    let kind = match mime.as_str() {
        "application/json" => Some(Kind::Json),
        "application/xml" | "text/xml" => Some(Kind::Xml),
        m if m.starts_with("application/") && m.ends_with("+xml") => Some(Kind::Xml),
        _ => None,
    };
    match kind {
        Some(Kind::Xml) if !xml_allowed => None,
        k => k,
    }
    .ok_or_else(|| {
        ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            format!(
                "Content-Type {:?} is not accepted here; send {accepted}",
                if value.is_empty() { "(none)" } else { value }
            ),
        )
        .with_field("Content-Type")
    })
}

/// The whole body, refused with a 413 beyond `limit` bytes.
pub async fn read(body: Body, limit: usize) -> Result<Bytes, ApiError> {
    axum::body::to_bytes(body, limit).await.map_err(|_| {
        ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "body_too_large",
            format!(
                "the body is over the limit of {limit} bytes; split the batch or raise limits.body_bytes"
            ),
        )
    })
}

/// One invoice from a body of `kind`.
pub fn invoice(kind: Kind, bytes: &[u8]) -> Result<Received, ApiError> {
    Ok(match kind {
        Kind::Json => kontera_intake::from_json(bytes)?,
        Kind::Xml => kontera_intake::from_ubl(bytes)?,
    })
}

/// Parses a JSON request body of type `T` (the small operations bodies), naming the problem.
pub fn json<T: serde::de::DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    serde_json::from_slice(bytes).map_err(|e| {
        ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_body",
            format!("the body is not what this route expects: {e}"),
        )
    })
}
