//! The browser pages: sign-in, the controllers' review queue, the trust dashboard and the
//! administrators' page. Server-rendered HTML, escaped here, with one vendored style sheet.

mod admin;
pub mod chart;
mod dashboard;
pub mod layout;
mod login;
mod review;

use std::sync::Arc;

use axum::Router;
use axum::routing::{get, post};

use crate::state::AppState;

/// Every page route as (method, path); with [`crate::api::ROUTES`] the whole router.
pub const PAGES: [(&str, &str); 13] = [
    ("get", "/review"),
    ("get", "/review/{decision_id}"),
    ("post", "/review/{decision_id}"),
    ("get", "/dashboard"),
    ("get", "/admin"),
    ("post", "/admin/users"),
    ("post", "/admin/users/{name}"),
    ("post", "/admin/areas/{area}"),
    ("get", "/"),
    ("get", "/login"),
    ("post", "/login"),
    ("post", "/logout"),
    ("get", "/assets/kontera.css"),
];

/// The page routes (authenticated by the same middleware as the API).
pub fn routes() -> Router<Arc<AppState>> {
    Router::new()
        .route("/", get(login::start))
        .route("/login", get(login::login_page).post(login::login))
        .route("/logout", post(login::logout))
        .route("/assets/kontera.css", get(layout::stylesheet))
        .route("/review", get(review::queue))
        .route(
            "/review/{decision_id}",
            get(review::invoice).post(review::submit),
        )
        .route("/dashboard", get(dashboard::page))
        .route("/admin", get(admin::page))
        .route("/admin/users", post(admin::add_user))
        .route("/admin/users/{name}", post(admin::change_user))
        .route("/admin/areas/{area}", post(admin::change_area))
}

/// Escapes text for HTML content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn markup_characters_are_escaped() {
        assert_eq!(
            super::escape(r#"<a href="x">'&'</a>"#),
            "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;"
        );
    }
}
