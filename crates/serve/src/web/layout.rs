//! The page shell every page shares: title, navigation for the signed-in user's role, sign-out.

use axum::http::header;
use axum::response::{Html, IntoResponse, Response};
use kontera_store::Role;

use super::escape;
use crate::auth::Principal;

/// Which navigation entry is the current page.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Nav {
    Review,
    Dashboard,
    Admin,
    None,
}

/// A whole page: `body` is trusted markup (built with [`escape`] for every value).
pub fn page(title: &str, who: Option<&Principal>, nav: Nav, body: &str) -> Html<String> {
    let mut links = String::new();
    if let Some(p) = who {
        let entries: &[(Nav, &str, &str)] = match p.role {
            Role::Controller => &[
                (Nav::Review, "/review", "Review queue"),
                (Nav::Dashboard, "/dashboard", "Dashboard"),
            ],
            Role::Analyst => &[(Nav::Dashboard, "/dashboard", "Dashboard")],
            Role::Admin => &[
                (Nav::Dashboard, "/dashboard", "Dashboard"),
                (Nav::Admin, "/admin", "Users and areas"),
            ],
            Role::Integration => &[],
        };
        for (entry, href, label) in entries {
            let here = if *entry == nav { " class=\"here\"" } else { "" };
            links.push_str(&format!("<a href=\"{href}\"{here}>{label}</a>"));
        }
        let organisation = p
            .organisation
            .as_deref()
            .map(|o| format!(" · {}", escape(o)))
            .unwrap_or_default();
        links.push_str(&format!(
            "<span class=\"who\">{} · {}{organisation}</span>\
             <form method=\"post\" action=\"/logout\"><button type=\"submit\">Sign out</button></form>",
            escape(&p.name),
            p.role
        ));
    }
    Html(format!(
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{} · Kontera</title><link rel=\"stylesheet\" href=\"/assets/kontera.css\"></head>\
         <body><header class=\"top\"><a class=\"brand\" href=\"/\">Kontera</a>{links}</header>\
         <main>{body}</main></body></html>",
        escape(title)
    ))
}

/// An error page with a status (not found, conflict, …).
pub fn error_page(
    status: axum::http::StatusCode,
    who: Option<&Principal>,
    message: &str,
) -> Response {
    let body = format!(
        "<h1>{}</h1><p>{}</p><p><a href=\"/\">Back to the start page</a></p>",
        status.canonical_reason().unwrap_or("Error"),
        escape(message)
    );
    (status, page("Error", who, Nav::None, &body)).into_response()
}

/// The style sheet, vendored into the binary.
pub async fn stylesheet() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "max-age=3600"),
        ],
        include_str!("../../assets/kontera.css"),
    )
        .into_response()
}
