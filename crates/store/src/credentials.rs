//! API tokens and browser sessions, stored by the SHA-256 digest of the secret the client holds:
//! a stolen database gives no usable credential. Lookups go through the digest's primary-key
//! index, so no secret is ever compared byte by byte in Rust.

use crate::error::db;
use crate::users::{User, select_user, user_row};
use crate::{Store, StoreError};

/// An API token as listed (the secret itself is never stored).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TokenInfo {
    /// The first 12 hex digits of the token's digest: enough to name it when revoking.
    pub id: String,
    /// The token's owner.
    pub user: String,
    /// What it is for, e.g. "ERP production".
    pub label: String,
    /// When created, unix ms.
    pub created_at: i64,
    /// A revoked token authenticates nothing.
    pub revoked: bool,
}

impl Store {
    /// Stores a token's digest for `user` (who must exist).
    pub async fn add_token(
        &self,
        digest: &str,
        user: &str,
        label: &str,
        at: i64,
    ) -> Result<TokenInfo, StoreError> {
        if self.user(user).await?.is_none() {
            return Err(StoreError::UnknownUser {
                name: user.to_owned(),
            });
        }
        sqlx::query(
            "INSERT INTO api_tokens (token_hash, user_name, label, created_at, revoked) \
             VALUES ($1, $2, $3, $4, 0)",
        )
        .bind(digest)
        .bind(user)
        .bind(label)
        .bind(at)
        .execute(self.writer())
        .await
        .map_err(db("storing a token"))?;
        Ok(TokenInfo {
            id: digest.chars().take(12).collect(),
            user: user.to_owned(),
            label: label.to_owned(),
            created_at: at,
            revoked: false,
        })
    }

    /// The enabled user a token digest belongs to, unless the token is revoked.
    pub async fn user_by_token(&self, digest: &str) -> Result<Option<User>, StoreError> {
        let row = sqlx::query(select_user!(
            "WHERE disabled = 0 AND name = \
             (SELECT user_name FROM api_tokens WHERE token_hash = $1 AND revoked = 0)"
        ))
        .bind(digest)
        .fetch_optional(self.reader())
        .await
        .map_err(db("checking a token"))?;
        row.as_ref().map(user_row).transpose()
    }

    /// A user's tokens, newest first.
    pub async fn tokens(&self, user: &str) -> Result<Vec<TokenInfo>, StoreError> {
        let rows: Vec<(String, String, String, i64, i64)> = sqlx::query_as(
            "SELECT token_hash, user_name, label, created_at, revoked FROM api_tokens \
             WHERE user_name = $1 ORDER BY created_at DESC, token_hash",
        )
        .bind(user)
        .fetch_all(self.reader())
        .await
        .map_err(db("listing tokens"))?;
        Ok(rows
            .into_iter()
            .map(|(hash, user, label, created_at, revoked)| TokenInfo {
                id: hash.chars().take(12).collect(),
                user,
                label,
                created_at,
                revoked: revoked != 0,
            })
            .collect())
    }

    /// Revokes `user`'s token whose id (digest prefix, at least 8 digits) is `id`; returns
    /// whether one was revoked.
    pub async fn revoke_token(&self, user: &str, id: &str) -> Result<bool, StoreError> {
        if id.len() < 8 || !id.chars().all(|c| c.is_ascii_hexdigit()) {
            return Ok(false);
        }
        let done = sqlx::query(
            "UPDATE api_tokens SET revoked = 1 WHERE user_name = $1 AND substr(token_hash, 1, CAST($3 AS INTEGER)) = $2",
        )
        .bind(user)
        .bind(id)
        .bind(id.len() as i64)
        .execute(self.writer())
        .await
        .map_err(db("revoking a token"))?;
        Ok(done.rows_affected() > 0)
    }

    /// Starts a session for `user` until `expires_at` (unix ms), stored by its digest.
    pub async fn add_session(
        &self,
        digest: &str,
        user: &str,
        at: i64,
        expires_at: i64,
    ) -> Result<(), StoreError> {
        // Expired sessions of anyone are cleared on the way, so the table stays small.
        sqlx::query("DELETE FROM sessions WHERE expires_at <= $1")
            .bind(at)
            .execute(self.writer())
            .await
            .map_err(db("starting a session"))?;
        sqlx::query(
            "INSERT INTO sessions (session_hash, user_name, created_at, expires_at) \
             VALUES ($1, $2, $3, $4)",
        )
        .bind(digest)
        .bind(user)
        .bind(at)
        .bind(expires_at)
        .execute(self.writer())
        .await
        .map_err(db("starting a session"))?;
        Ok(())
    }

    /// The enabled user of a session that has not expired at `now` (unix ms).
    pub async fn user_by_session(
        &self,
        digest: &str,
        now: i64,
    ) -> Result<Option<User>, StoreError> {
        let row = sqlx::query(select_user!(
            "WHERE disabled = 0 AND name = \
             (SELECT user_name FROM sessions WHERE session_hash = $1 AND expires_at > $2)"
        ))
        .bind(digest)
        .bind(now)
        .fetch_optional(self.reader())
        .await
        .map_err(db("checking a session"))?;
        row.as_ref().map(user_row).transpose()
    }

    /// Ends a session (signing out).
    pub async fn end_session(&self, digest: &str) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM sessions WHERE session_hash = $1")
            .bind(digest)
            .execute(self.writer())
            .await
            .map_err(db("ending a session"))?;
        Ok(())
    }
}
