//! Who is calling: every request but the public ones (health, readiness, sign-in, style sheets)
//! carries an API token (`Authorization: Bearer kt_…`) or a browser session cookie, and the
//! route's [policy] must allow the caller's role. The handler then checks the object: a
//! controller reaches only the invoices of their own areas.

mod bootstrap;
mod cache;
pub mod policy;
pub mod secret;
pub(crate) mod session;

use std::sync::Arc;

use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use kontera_store::{ALL_AREAS, Role, User};

pub use bootstrap::{BootstrapError, FIRST_ADMIN, first_admin, password_file_for};
pub use cache::TokenCache;
pub use session::{SESSION_COOKIE, clear_cookie, sign_in, sign_out};

use crate::clock;
use crate::error::ApiError;
use crate::organisations::OrganisationNames;
use crate::state::AppState;
use policy::Access;

/// The signed-in caller, put into the request's extensions by [`authenticate`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Principal {
    pub name: String,
    pub role: Role,
    /// The areas a controller works; [`ALL_AREAS`] stands for every area.
    pub areas: Vec<String>,
    /// Signed in through the browser (else an API token).
    pub session: bool,
    /// The organisation signed into, named only when the deployment serves several (see
    /// [`crate::organisations`]), so the pages can say whose invoices these are.
    pub organisation: Option<String>,
}

impl Principal {
    fn from_user(user: User, session: bool) -> Principal {
        Principal {
            name: user.name,
            role: user.role,
            areas: user.areas,
            session,
            organisation: None,
        }
    }

    /// Whether the caller sees every area: analysts and administrators do, and controllers
    /// assigned [`ALL_AREAS`].
    pub fn all_areas(&self) -> bool {
        self.role != Role::Controller || self.areas.iter().any(|a| a == ALL_AREAS)
    }

    /// Whether an invoice of `area` (None: unknown) is the caller's to see.
    pub fn may_see(&self, area: Option<&str>) -> bool {
        self.all_areas() || area.is_some_and(|a| self.areas.iter().any(|mine| mine == a))
    }
}

/// Routes whose callers are browsers: refusals there are pages (or a redirect to sign in).
pub fn is_page(pattern: &str) -> bool {
    !(pattern.starts_with("/v1/") || pattern == "/metrics" || pattern == "/openapi.json")
}

/// The middleware: finds the route's access rule, authenticates the caller, checks the role.
pub async fn authenticate(
    State(state): State<Arc<AppState>>,
    mut request: Request,
    next: Next,
) -> Response {
    let pattern = request
        .extensions()
        .get::<MatchedPath>()
        .map_or("", |p| p.as_str())
        .to_owned();
    let method = match *request.method() {
        Method::HEAD => "get".to_owned(),
        ref m => m.as_str().to_ascii_lowercase(),
    };
    let page = is_page(&pattern);
    let Some(access) = policy::access(&method, &pattern) else {
        return refuse(StatusCode::FORBIDDEN, page, "no role may use this route");
    };
    if access == Access::Public {
        return next.run(request).await;
    }
    let several = request
        .extensions()
        .get::<OrganisationNames>()
        .is_some_and(|n| n.0.len() > 1);
    let principal = match caller(&state, request.headers()).await {
        Ok(Some(mut p)) => {
            if several {
                p.organisation = Some(state.config.organisation.clone());
            }
            p
        }
        Ok(None) if page => {
            let target = request
                .uri()
                .path_and_query()
                .map_or("/", |p| p.as_str())
                .to_owned();
            return Redirect::to(&format!("/login?next={}", escape_query(&target))).into_response();
        }
        Ok(None) => return unauthenticated(request.headers()),
        Err(e) => return e.into_response(),
    };
    if principal.session && !safe(request.method()) && !same_origin(request.headers()) {
        return refuse(
            StatusCode::FORBIDDEN,
            page,
            "the request did not come from this site's own pages (Origin check); reload the page and try again",
        );
    }
    if !access.allows(principal.role) {
        return refuse(
            StatusCode::FORBIDDEN,
            page,
            &format!(
                "a user with the role {} may not use this route",
                principal.role
            ),
        );
    }
    request.extensions_mut().insert(principal);
    next.run(request).await
}

/// The caller named by a bearer token or a session cookie; `None` without credentials or with
/// unknown, revoked, expired or disabled ones.
async fn caller(state: &AppState, headers: &HeaderMap) -> Result<Option<Principal>, ApiError> {
    if let Some(token) = bearer(headers) {
        if let Some(hit) = state.tokens.get(token) {
            return Ok(Some(hit));
        }
        let digest = secret::digest(token);
        let user = state.store.user_by_token(&digest).await?;
        let principal = user.map(|u| Principal::from_user(u, false));
        if let Some(p) = &principal {
            state.tokens.put(token, p.clone());
        }
        return Ok(principal);
    }
    if let Some(session) = session::cookie(headers) {
        let (_, now) = clock::now();
        let user = state
            .store
            .user_by_session(&secret::digest(session), now)
            .await?;
        return Ok(user.map(|u| Principal::from_user(u, true)));
    }
    Ok(None)
}

/// The 401 answer to an API request without a known caller, saying which of the three it was:
/// no credentials, an `Authorization` header that is not `Bearer <token>`, or a token that is
/// not known (RFC 6750's `invalid_token`). The token itself is never repeated.
fn unauthenticated(headers: &HeaderMap) -> Response {
    const CREATE: &str = "an administrator creates one with `kontera users token NAME`";
    let (message, challenge) = match headers.get(header::AUTHORIZATION) {
        None => (
            format!("send an API token as `Authorization: Bearer kt_…`; {CREATE}"),
            "Bearer",
        ),
        Some(_) if bearer(headers).is_none() => (
            format!(
                "the Authorization header is not `Bearer <token>`: send the API token after the word \
                 `Bearer` and a space; {CREATE}"
            ),
            "Bearer",
        ),
        Some(_) => (
            format!(
                "the API token is not known: it is mistyped, was revoked, or its user is disabled; \
                 {CREATE} (`--label LABEL` to tell it from the others)"
            ),
            "Bearer error=\"invalid_token\"",
        ),
    };
    let mut response =
        ApiError::new(StatusCode::UNAUTHORIZED, "unauthenticated", &message).into_response();
    response.headers_mut().insert(
        header::WWW_AUTHENTICATE,
        HeaderValue::from_static(challenge),
    );
    response
}

pub(crate) fn bearer(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| token.trim())
        .filter(|t| !t.is_empty())
}

fn safe(method: &Method) -> bool {
    matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// A state-changing browser request must come from a page of this service: its `Origin` (or,
/// without one, its `Referer`) names the host the request was sent to. With the session cookie's
/// `SameSite=Strict`, this stops cross-site request forgery without a token in every form.
fn same_origin(headers: &HeaderMap) -> bool {
    let Some(host) = headers.get(header::HOST).and_then(|h| h.to_str().ok()) else {
        return false;
    };
    let origin = headers
        .get(header::ORIGIN)
        .or_else(|| headers.get(header::REFERER))
        .and_then(|h| h.to_str().ok());
    origin.is_some_and(|o| {
        let rest = o
            .strip_prefix("http://")
            .or_else(|| o.strip_prefix("https://"));
        rest.is_some_and(|r| r.split('/').next() == Some(host))
    })
}

/// A refusal: a JSON error for the API, a small page for browsers.
fn refuse(status: StatusCode, page: bool, message: &str) -> Response {
    let code = if status == StatusCode::FORBIDDEN {
        "forbidden"
    } else {
        "unauthenticated"
    };
    if page {
        let body = format!(
            "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Kontera: not allowed</title>\
             <link rel=\"stylesheet\" href=\"/assets/kontera.css\"></head><body><main class=\"narrow\">\
             <h1>Not allowed</h1><p>{}</p><p><a href=\"/\">Back to the start page</a></p></main></body></html>",
            crate::web::escape(message)
        );
        (
            status,
            [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
            body,
        )
            .into_response()
    } else {
        ApiError::new(status, code, message).into_response()
    }
}

/// Percent-encodes a path for the `next` parameter of the sign-in page.
fn escape_query(path: &str) -> String {
    path.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, v.parse().unwrap());
        }
        h
    }

    #[test]
    fn bearer_tokens_are_read_case_insensitively_and_empty_ones_ignored() {
        assert_eq!(
            bearer(&headers(&[("authorization", "Bearer kt_1")])),
            Some("kt_1")
        );
        assert_eq!(
            bearer(&headers(&[("authorization", "bearer  kt_2 ")])),
            Some("kt_2")
        );
        assert_eq!(bearer(&headers(&[("authorization", "Basic abc")])), None);
        assert_eq!(bearer(&headers(&[("authorization", "Bearer ")])), None);
    }

    #[test]
    fn only_requests_from_the_same_host_change_anything() {
        let host = ("host", "127.0.0.1:8080");
        assert!(same_origin(&headers(&[
            host,
            ("origin", "http://127.0.0.1:8080")
        ])));
        assert!(same_origin(&headers(&[
            host,
            ("referer", "http://127.0.0.1:8080/review/d-1")
        ])));
        assert!(!same_origin(&headers(&[
            host,
            ("origin", "http://evil.example")
        ])));
        assert!(!same_origin(&headers(&[
            host,
            ("origin", "http://127.0.0.1:8080.evil")
        ])));
        assert!(!same_origin(&headers(&[host])));
    }

    #[test]
    fn controllers_see_their_areas_others_see_all() {
        let mut p = Principal {
            name: "a".into(),
            role: Role::Controller,
            areas: vec!["care".into()],
            session: true,
            organisation: None,
        };
        assert!(p.may_see(Some("care")));
        assert!(!p.may_see(Some("schools")));
        assert!(!p.may_see(None));
        p.areas.push(ALL_AREAS.into());
        assert!(p.may_see(None) && p.may_see(Some("schools")));
        p.areas.clear();
        p.role = Role::Analyst;
        assert!(p.may_see(Some("schools")));
        assert_eq!(
            escape_query("/review?reason=a b"),
            "/review%3Freason%3Da%20b"
        );
    }
}
