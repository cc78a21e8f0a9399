//! Which organisation a request is for, and handing it to that organisation's router: by the
//! organisation named in its API token or session cookie, or, signing in, in the form.

use std::collections::BTreeMap;
use std::convert::Infallible;
use std::sync::Arc;

use axum::body::Body;
use axum::extract::{FromRequest, Request};
use axum::http::{Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::{Form, Json, Router};
use serde::Deserialize;
use tower::ServiceExt;

use super::Deployment;
use crate::auth::{bearer, secret, session};
use crate::error::ApiError;

/// Largest sign-in form read to find its organisation.
const SIGN_IN_BYTES: usize = 64 * 1024;

/// Each organisation's router, and their names for the sign-in page.
#[derive(Debug)]
pub struct Organisations {
    primary: Router,
    others: BTreeMap<String, Router>,
    names: OrganisationNames,
    /// How long reading a sign-in form may take (the first organisation's request limit).
    request_time: std::time::Duration,
}

/// The deployment's organisations' names, the first organisation's first; in every request's
/// extensions, so the sign-in page can offer them.
#[derive(Debug, Clone)]
pub struct OrganisationNames(pub Arc<Vec<String>>);

impl Organisations {
    pub fn new(deployment: &Deployment) -> Organisations {
        let names = deployment
            .states()
            .map(|s| s.config.organisation.clone())
            .collect();
        Organisations {
            primary: crate::app(deployment.primary.clone()),
            others: deployment
                .others
                .iter()
                .map(|(name, state)| (name.clone(), crate::app(state.clone())))
                .collect(),
            names: OrganisationNames(Arc::new(names)),
            request_time: deployment.primary.config.request_time,
        }
    }

    /// The router of the organisation `name` (`None` or unknown: the first organisation's,
    /// whose store will not know a credential made for another).
    fn router(&self, name: Option<&str>) -> Router {
        name.and_then(|n| self.others.get(n))
            .unwrap_or(&self.primary)
            .clone()
    }
}

/// The handler in front of every organisation's router.
pub async fn dispatch(organisations: Arc<Organisations>, mut request: Request) -> Response {
    request.extensions_mut().insert(organisations.names.clone());
    if request.uri().path() == "/readyz" {
        return ready(&organisations).await;
    }
    let (request, name) = match organisation_of(request, organisations.request_time).await {
        Ok(found) => found,
        Err(refusal) => return refusal,
    };
    let response: Result<Response, Infallible> =
        organisations.router(name.as_deref()).oneshot(request).await;
    response.unwrap_or_else(|never| match never {})
}

#[derive(Debug, Deserialize)]
struct SignIn {
    organisation: Option<String>,
}

/// The further organisation a request names, if any (the request is given back: reading a
/// sign-in form consumes its body).
async fn organisation_of(
    request: Request,
    time: std::time::Duration,
) -> Result<(Request, Option<String>), Response> {
    let headers = request.headers();
    if let Some(token) = bearer(headers) {
        let name = secret::organisation_of_token(token).map(str::to_owned);
        return Ok((request, name));
    }
    if request.method() == Method::POST && request.uri().path() == "/login" {
        let (parts, body) = request.into_parts();
        let read = tokio::time::timeout(time, axum::body::to_bytes(body, SIGN_IN_BYTES));
        let bytes = match read.await {
            Ok(Ok(bytes)) => bytes,
            Ok(Err(_)) => {
                return Err(ApiError::new(
                    StatusCode::PAYLOAD_TOO_LARGE,
                    "too_large",
                    "the sign-in form is larger than 64 KiB",
                )
                .into_response());
            }
            Err(_) => {
                return Err(ApiError::new(
                    StatusCode::REQUEST_TIMEOUT,
                    "timeout",
                    "the sign-in form did not arrive in time; send it again",
                )
                .into_response());
            }
        };
        let copy = Request::from_parts(parts.clone(), Body::from(bytes.clone()));
        let name = Form::<SignIn>::from_request(copy, &())
            .await
            .ok()
            .and_then(|Form(f)| f.organisation);
        return Ok((Request::from_parts(parts, Body::from(bytes)), name));
    }
    let name = session::cookie(headers)
        .and_then(secret::organisation_of_session)
        .map(str::to_owned);
    Ok((request, name))
}

/// Ready when every organisation is: the first refusal is the answer; else each
/// organisation's readiness by name.
async fn ready(organisations: &Organisations) -> Response {
    let mut ready = serde_json::Map::new();
    let routers = std::iter::once(&organisations.primary).chain(organisations.others.values());
    for (name, router) in organisations.names.0.iter().zip(routers) {
        let request = Request::get("/readyz")
            .body(Body::empty())
            .expect("a fixed request is valid");
        let response: Result<Response, Infallible> = router.clone().oneshot(request).await;
        let response = response.unwrap_or_else(|never| match never {});
        if response.status() != StatusCode::OK {
            return not_ready(name, response).await;
        }
        let body = axum::body::to_bytes(response.into_body(), 1 << 16)
            .await
            .unwrap_or_default();
        let value = serde_json::from_slice(&body).unwrap_or(serde_json::Value::Null);
        ready.insert(name.clone(), value);
    }
    Json(serde_json::json!({"status": "ready", "organisations": ready})).into_response()
}

/// An organisation's refusal of readiness, with its name added to the body.
async fn not_ready(name: &str, response: Response) -> Response {
    let status = response.status();
    let body = axum::body::to_bytes(response.into_body(), 1 << 16)
        .await
        .unwrap_or_default();
    let mut value: serde_json::Value =
        serde_json::from_slice(&body).unwrap_or_else(|_| serde_json::json!({}));
    if let Some(object) = value.as_object_mut() {
        object.insert("organisation".to_owned(), name.into());
    }
    (status, Json(value)).into_response()
}
