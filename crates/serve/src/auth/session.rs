//! Browser sessions: signing in with name and password sets an HttpOnly, SameSite=Strict cookie
//! holding a random session id; the store keeps only its digest.

use axum::http::{HeaderMap, header};
use kontera_store::User;

use super::secret;
use crate::clock;
use crate::error::ApiError;
use crate::state::AppState;

/// The cookie's name.
pub const SESSION_COOKIE: &str = "kontera_session";

/// The session id from the request's cookies.
pub(crate) fn cookie(headers: &HeaderMap) -> Option<&str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == SESSION_COOKIE)
        .map(|(_, value)| value)
        .filter(|v| !v.is_empty())
}

/// Checks name and password (argon2, off the async threads) and starts a session. Returns the
/// `Set-Cookie` value and the user, or `None` when the name or password is wrong — the two are
/// not told apart, and take equally long.
pub async fn sign_in(
    state: &AppState,
    name: &str,
    password: &str,
) -> Result<Option<(String, User)>, ApiError> {
    let hash = state.store.password_hash(name).await?;
    let password = password.to_owned();
    let ok =
        tokio::task::spawn_blocking(move || secret::verify_password(&password, hash.as_deref()))
            .await
            .map_err(|e| ApiError::internal("checking a password", &e))?;
    if !ok {
        return Ok(None);
    }
    let Some(user) = state.store.user(name).await? else {
        return Ok(None);
    };
    let session = secret::new_session(state.store.organisation())
        .map_err(|e| ApiError::internal("starting a session", &e))?;
    let (_, now) = clock::now();
    let lifetime = state.config.session_hours.max(1) as i64 * 3_600_000;
    state
        .store
        .add_session(&secret::digest(&session), &user.name, now, now + lifetime)
        .await?;
    let secure = if state.config.secure_cookies {
        "; Secure"
    } else {
        ""
    };
    let cookie = format!(
        "{SESSION_COOKIE}={session}; Path=/; HttpOnly; SameSite=Strict; Max-Age={}{secure}",
        lifetime / 1000
    );
    Ok(Some((cookie, user)))
}

/// Ends the request's session, if any.
pub async fn sign_out(state: &AppState, headers: &HeaderMap) -> Result<(), ApiError> {
    if let Some(session) = cookie(headers) {
        state.store.end_session(&secret::digest(session)).await?;
    }
    Ok(())
}

/// The `Set-Cookie` value that removes the session cookie.
pub fn clear_cookie() -> String {
    format!("{SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_session_cookie_is_found_among_others() {
        let mut h = HeaderMap::new();
        h.append(
            header::COOKIE,
            "a=1; kontera_session=abc; b=2".parse().unwrap(),
        );
        assert_eq!(cookie(&h), Some("abc"));
        let mut h = HeaderMap::new();
        h.append(header::COOKIE, "kontera_session=".parse().unwrap());
        assert_eq!(cookie(&h), None);
    }
}
