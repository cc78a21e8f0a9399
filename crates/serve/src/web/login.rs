//! Signing in and out, and the start page that sends each role where its work is.

use std::sync::Arc;

use axum::Extension;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use kontera_store::Role;
use serde::Deserialize;

use super::escape;
use super::layout::{Nav, page};
use crate::auth::{self, Principal};
use crate::organisations::OrganisationNames;
use crate::state::AppState;

#[derive(Debug, Default, Deserialize)]
pub struct Next {
    next: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct Credentials {
    name: String,
    password: String,
    next: Option<String>,
    /// Which organisation (a deployment of several; read by [`crate::organisations`]).
    organisation: Option<String>,
}

/// The organisation choice of a deployment of several, with `chosen` selected; nothing for one.
fn organisation_field(names: Option<&OrganisationNames>, chosen: Option<&str>) -> String {
    let Some(OrganisationNames(names)) = names.filter(|n| n.0.len() > 1) else {
        return String::new();
    };
    let options: String = names
        .iter()
        .map(|n| {
            let selected = if Some(n.as_str()) == chosen {
                " selected"
            } else {
                ""
            };
            format!("<option value=\"{0}\"{selected}>{0}</option>", escape(n))
        })
        .collect();
    format!(
        "<label for=\"organisation\">Organisation</label>\
         <select id=\"organisation\" name=\"organisation\">{options}</select>"
    )
}

/// Where a role's work is.
pub fn home(role: Role) -> &'static str {
    match role {
        Role::Controller => "/review",
        Role::Analyst => "/dashboard",
        Role::Admin => "/admin",
        Role::Integration => "/openapi.json",
    }
}

/// Only paths of this site: no `//host` or `https://…` (an open redirect).
fn local(next: Option<&str>) -> Option<&str> {
    next.filter(|n| n.starts_with('/') && !n.starts_with("//") && !n.contains('\\'))
}

fn form(next: Option<&str>, name: &str, problem: Option<&str>, organisation: &str) -> String {
    let problem = problem
        .map(|p| format!("<p class=\"error\" role=\"alert\">{}</p>", escape(p)))
        .unwrap_or_default();
    format!(
        "<h1>Sign in to Kontera</h1>{problem}<form method=\"post\" action=\"/login\" class=\"card\">\
         <input type=\"hidden\" name=\"next\" value=\"{}\">{organisation}\
         <label for=\"name\">Name</label><input id=\"name\" name=\"name\" value=\"{}\" autocomplete=\"username\" required autofocus>\
         <label for=\"password\">Password</label><input id=\"password\" name=\"password\" type=\"password\" autocomplete=\"current-password\" required>\
         <p><button class=\"primary\" type=\"submit\">Sign in</button></p></form>",
        escape(local(next).unwrap_or("")),
        escape(name)
    )
}

fn narrow(html: axum::response::Html<String>) -> axum::response::Html<String> {
    axum::response::Html(html.0.replacen("<main>", "<main class=\"narrow\">", 1))
}

pub async fn login_page(
    names: Option<Extension<OrganisationNames>>,
    Query(q): Query<Next>,
) -> Response {
    let organisation = organisation_field(names.as_deref(), None);
    narrow(page(
        "Sign in",
        None,
        Nav::None,
        &form(q.next.as_deref(), "", None, &organisation),
    ))
    .into_response()
}

pub async fn login(
    State(state): State<Arc<AppState>>,
    names: Option<Extension<OrganisationNames>>,
    Form(c): Form<Credentials>,
) -> Response {
    match auth::sign_in(&state, &c.name, &c.password).await {
        Ok(Some((cookie, user))) => {
            let to = local(c.next.as_deref())
                .unwrap_or(home(user.role))
                .to_owned();
            ([(header::SET_COOKIE, cookie)], Redirect::to(&to)).into_response()
        }
        Ok(None) => (
            StatusCode::UNAUTHORIZED,
            narrow(page(
                "Sign in",
                None,
                Nav::None,
                &form(
                    c.next.as_deref(),
                    &c.name,
                    Some("Wrong name or password."),
                    &organisation_field(names.as_deref(), c.organisation.as_deref()),
                ),
            )),
        )
            .into_response(),
        Err(e) => e.into_response(),
    }
}

pub async fn logout(State(state): State<Arc<AppState>>, headers: HeaderMap) -> Response {
    if let Err(e) = auth::sign_out(&state, &headers).await {
        return e.into_response();
    }
    (
        [(header::SET_COOKIE, auth::clear_cookie())],
        Redirect::to("/login"),
    )
        .into_response()
}

pub async fn start(Extension(who): Extension<Principal>) -> Response {
    Redirect::to(home(who.role)).into_response()
}

#[cfg(test)]
mod tests {
    use super::local;

    #[test]
    fn only_local_paths_are_followed_after_sign_in() {
        assert_eq!(local(Some("/review?reason=x")), Some("/review?reason=x"));
        assert_eq!(local(Some("//evil.example/")), None);
        assert_eq!(local(Some("https://evil.example/")), None);
        assert_eq!(local(Some("/\\evil.example")), None);
        assert_eq!(local(None), None);
    }
}
