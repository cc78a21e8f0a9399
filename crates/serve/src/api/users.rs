//! `GET /v1/users`, `POST /v1/users`, `PUT /v1/users/{name}` and `POST /v1/users/{name}/tokens`:
//! administrators manage who may use the service, as `kontera users` does on the command line.
//!
//! A generated password or API token is in the response body once and nowhere else: the store
//! keeps only its hash, nothing is logged, and the response carries `Cache-Control: no-store`.
//! Tokens are revoked with `PUT /v1/users/{name}` and `{"revoke_token": "<id>"}` (the id as
//! listed). Two rules keep the service manageable: an administrator cannot disable themselves,
//! and no change may leave the service without an enabled administrator (both 409).
//!
//! The administrators' page (`web/admin.rs`) goes through the same functions.

use std::sync::Arc;

use axum::body::Body;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use kontera_store::{ALL_AREAS, Role, StoreError, TokenInfo, User, UserChange};
use serde::{Deserialize, Serialize};

use super::body;
use crate::auth::{Principal, secret};
use crate::clock;
use crate::error::ApiError;
use crate::state::AppState;

/// Label of a token created without one (as the command line does).
pub(crate) const DEFAULT_LABEL: &str = "api";

/// Longest token label.
const MAX_LABEL: usize = 100;

/// User changes that check other users first (the last-administrator rule) run one at a time on
/// an instance, so two administrators demoting themselves at once cannot both succeed.
static CHANGES: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// A user as listed: no password hash, and tokens without their secrets.
#[derive(Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct UserOut {
    pub name: String,
    pub role: String,
    /// The areas a controller works, sorted; `*` stands for every area.
    pub areas: Vec<String>,
    pub disabled: bool,
    /// Unix ms.
    pub created_at: i64,
    /// Newest first.
    pub tokens: Vec<TokenOut>,
}

/// An API token as listed: its id (to revoke it), never the token itself.
#[derive(Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct TokenOut {
    pub id: String,
    pub label: String,
    pub created_at: i64,
    pub revoked: bool,
}

impl From<TokenInfo> for TokenOut {
    fn from(t: TokenInfo) -> TokenOut {
        TokenOut {
            id: t.id,
            label: t.label,
            created_at: t.created_at,
            revoked: t.revoked,
        }
    }
}

/// `POST /v1/users`'s answer: the user and, once, the secrets generated for them.
#[derive(Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct AddedOut {
    pub user: UserOut,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub password: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub token: Option<String>,
}

/// `PUT /v1/users/{name}`'s answer: the user as changed and, once, a new password.
#[derive(Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct ChangedOut {
    pub user: UserOut,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub password: Option<String>,
}

/// `POST /v1/users/{name}/tokens`'s answer: the token, once, and how it is listed.
#[derive(Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct TokenCreatedOut {
    pub token: String,
    pub id: String,
    pub label: String,
    pub created_at: i64,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct AddBody {
    name: String,
    role: String,
    #[serde(default)]
    areas: Vec<String>,
    /// Generate a password; default: yes, except for integrations.
    password: Option<bool>,
    /// Also create an API token with this label.
    token: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ChangeBody {
    role: Option<String>,
    areas: Option<Vec<String>>,
    disabled: Option<bool>,
    #[serde(default)]
    new_password: bool,
    revoke_token: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct TokenBody {
    label: Option<String>,
}

/// A user to add, checked.
#[derive(Debug, Clone)]
pub(crate) struct NewUser {
    pub name: String,
    pub role: Role,
    pub areas: Vec<String>,
    /// Generate a password.
    pub password: bool,
    /// Also create a token with this label.
    pub token: Option<String>,
}

/// The secrets generated for a user, to be shown once.
#[derive(Debug, Default)]
pub(crate) struct Secrets {
    pub password: Option<String>,
    pub token: Option<String>,
}

/// A change to a user; `None` (and `false`) leaves things as they are.
#[derive(Debug, Clone, Default)]
pub(crate) struct Change {
    pub role: Option<Role>,
    pub areas: Option<Vec<String>>,
    pub disabled: Option<bool>,
    pub new_password: bool,
    /// The id of a token to revoke, as listed.
    pub revoke_token: Option<String>,
}

fn invalid(code: &'static str, field: &str, message: impl Into<String>) -> ApiError {
    ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, code, message).with_field(field)
}

fn conflict(code: &'static str, message: impl Into<String>) -> ApiError {
    ApiError::new(StatusCode::CONFLICT, code, message)
}

fn unknown_user(name: &str) -> ApiError {
    ApiError::new(
        StatusCode::NOT_FOUND,
        "unknown_user",
        format!(
            "there is no user {:?}; GET /v1/users lists them",
            name.chars().take(64).collect::<String>()
        ),
    )
    .with_field("name")
}

/// The store's user errors as answers: a taken name 409, an unknown user 404, a broken rule 422.
pub(crate) fn store_error(e: StoreError) -> ApiError {
    match e {
        StoreError::UserExists { name } => conflict(
            "user_exists",
            format!(
                "user {name:?} exists already; choose another name, or change the existing user"
            ),
        )
        .with_field("name"),
        StoreError::UnknownUser { name } => unknown_user(&name),
        StoreError::InvalidUser { problem, .. } => {
            ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid_user", problem)
        }
        e => e.into(),
    }
}

/// A user name: 1-64 letters, digits, '_', '-', '.' or '@' (the store's rule).
pub(crate) fn check_name(name: &str) -> Result<(), ApiError> {
    if kontera_store::valid_user_name(name) {
        Ok(())
    } else {
        Err(invalid(
            "invalid_name",
            "name",
            "a user name is 1-64 letters, digits, '_', '-', '.' or '@', e.g. anna.berg",
        ))
    }
}

/// A role by its name.
pub(crate) fn parse_role(text: &str) -> Result<Role, ApiError> {
    Role::parse(text.trim()).ok_or_else(|| {
        invalid(
            "invalid_role",
            "role",
            format!(
                "{:?} is not a role; give integration, controller, analyst or admin",
                text.chars().take(40).collect::<String>()
            ),
        )
    })
}

/// Areas as given, checked (each an area name or `*` for every area), trimmed, sorted and
/// without repeats.
pub(crate) fn check_areas(areas: &[String]) -> Result<Vec<String>, ApiError> {
    let mut out = Vec::with_capacity(areas.len());
    for (i, area) in areas.iter().enumerate() {
        let area = area.trim();
        if area != ALL_AREAS && super::areas::check_area(area).is_err() {
            return Err(invalid(
                "invalid_area",
                &format!("areas[{i}]"),
                format!(
                    "{:?} is not an area name; an area is 1-64 letters, digits, '_', '-' or '.', e.g. schools, or * for every area",
                    area.chars().take(40).collect::<String>()
                ),
            ));
        }
        out.push(area.to_owned());
    }
    out.sort();
    out.dedup();
    Ok(out)
}

/// A token label: 1-100 characters without control characters, trimmed.
pub(crate) fn check_label(label: &str, field: &str) -> Result<String, ApiError> {
    let label = label.trim();
    if label.is_empty() || label.chars().count() > MAX_LABEL || label.chars().any(char::is_control)
    {
        return Err(invalid(
            "invalid_label",
            field,
            format!(
                "a token label is 1-{MAX_LABEL} characters saying what the token is for, e.g. \"ERP production\""
            ),
        ));
    }
    Ok(label.to_owned())
}

fn controller_needs_areas(role: Role, areas: &[String]) -> Result<(), ApiError> {
    if role == Role::Controller && areas.is_empty() {
        return Err(invalid(
            "areas_required",
            "areas",
            "a controller works at least one area: give areas, e.g. [\"schools\", \"social\"], or [\"*\"] for every area",
        ));
    }
    Ok(())
}

/// A new password and its argon2 hash (hashed off the async threads).
async fn new_password() -> Result<(String, String), ApiError> {
    let password =
        secret::new_password().map_err(|e| ApiError::internal("generating a password", &e))?;
    let clear = password.clone();
    let hash = tokio::task::spawn_blocking(move || secret::hash_password(&clear))
        .await
        .map_err(|e| ApiError::internal("hashing a password", &e))?
        .map_err(|e| ApiError::internal("hashing a password", &e))?;
    Ok((password, hash))
}

async fn new_token(
    state: &AppState,
    name: &str,
    label: &str,
    now: i64,
) -> Result<(TokenInfo, String), ApiError> {
    let token = secret::new_token(state.store.organisation())
        .map_err(|e| ApiError::internal("generating a token", &e))?;
    let info = state
        .store
        .add_token(&secret::digest(&token), name, label, now)
        .await
        .map_err(store_error)?;
    Ok((info, token))
}

/// A user with their tokens, as listed.
pub(crate) async fn user_out(state: &AppState, user: User) -> Result<UserOut, ApiError> {
    let tokens = state.store.tokens(&user.name).await?;
    Ok(UserOut {
        role: user.role.as_str().to_owned(),
        name: user.name,
        areas: user.areas,
        disabled: user.disabled,
        created_at: user.created_at,
        tokens: tokens.into_iter().map(TokenOut::from).collect(),
    })
}

/// Every user with their tokens, by name.
pub(crate) async fn all(state: &AppState) -> Result<Vec<UserOut>, ApiError> {
    let mut out = Vec::new();
    for user in state.store.users().await? {
        out.push(user_out(state, user).await?);
    }
    Ok(out)
}

/// Adds a user (checked by the caller with [`check_name`], [`check_areas`], [`check_label`]),
/// generating the password and token asked for.
pub(crate) async fn create(state: &AppState, new: NewUser) -> Result<(User, Secrets), ApiError> {
    check_name(&new.name)?;
    controller_needs_areas(new.role, &new.areas)?;
    let (_, now) = clock::now();
    let (password, hash) = if new.password {
        let (p, h) = new_password().await?;
        (Some(p), Some(h))
    } else {
        (None, None)
    };
    let user = state
        .store
        .add_user(&new.name, new.role, hash.as_deref(), &new.areas, now)
        .await
        .map_err(store_error)?;
    let token = match &new.token {
        Some(label) => Some(new_token(state, &user.name, label, now).await?.1),
        None => None,
    };
    Ok((user, Secrets { password, token }))
}

/// Creates an API token for an existing user.
pub(crate) async fn create_token(
    state: &AppState,
    name: &str,
    label: &str,
) -> Result<(TokenInfo, String), ApiError> {
    let (_, now) = clock::now();
    new_token(state, name, label, now).await
}

/// Applies a change to `name` on behalf of `who`; returns the user as changed and a new password
/// when one was asked for.
pub(crate) async fn apply(
    state: &AppState,
    who: &Principal,
    name: &str,
    change: Change,
) -> Result<(User, Option<String>), ApiError> {
    let _one_at_a_time = CHANGES.lock().await;
    let Some(user) = state.store.user(name).await? else {
        return Err(unknown_user(name));
    };
    let role = change.role.unwrap_or(user.role);
    let areas = change.areas.as_deref().unwrap_or(&user.areas);
    controller_needs_areas(role, areas)?;
    if change.disabled == Some(true) && name == who.name {
        return Err(conflict(
            "cannot_disable_self",
            "you cannot disable yourself; another administrator can disable your account",
        )
        .with_field("disabled"));
    }
    let stays_admin = role == Role::Admin && !change.disabled.unwrap_or(user.disabled);
    if user.role == Role::Admin && !user.disabled && !stays_admin {
        let others = state
            .store
            .users()
            .await?
            .into_iter()
            .filter(|u| u.role == Role::Admin && !u.disabled && u.name != user.name)
            .count();
        if others == 0 {
            let field = if change.disabled == Some(true) {
                "disabled"
            } else {
                "role"
            };
            return Err(conflict(
                "last_admin",
                format!(
                    "{name:?} is the last enabled administrator, and without one nobody can manage users or areas; make another user an administrator first"
                ),
            )
            .with_field(field));
        }
    }
    if let Some(id) = &change.revoke_token {
        let id = id.trim().to_ascii_lowercase();
        let listed = state.store.tokens(name).await?;
        // Hex only, so the slice below falls on character boundaries.
        let known = id.len() >= 8
            && id.chars().all(|c| c.is_ascii_hexdigit())
            && listed
                .iter()
                .any(|t| t.id.starts_with(&id[..id.len().min(12)]));
        if !known || !state.store.revoke_token(name, &id).await? {
            return Err(ApiError::new(
                StatusCode::NOT_FOUND,
                "unknown_token",
                format!(
                    "user {name:?} has no token {:?}; give a token id as GET /v1/users lists it",
                    id.chars().take(64).collect::<String>()
                ),
            )
            .with_field("revoke_token"));
        }
    }
    let (password, hash) = if change.new_password {
        let (p, h) = new_password().await?;
        (Some(p), Some(h))
    } else {
        (None, None)
    };
    let changed = state
        .store
        .update_user(
            name,
            &UserChange {
                role: change.role,
                areas: change.areas,
                password_hash: hash,
                disabled: change.disabled,
            },
        )
        .await
        .map_err(store_error)?;
    // Tokens seen in the last second may carry the old role, areas or state.
    state.tokens.clear();
    Ok((changed, password))
}

/// The user name of the path; one that breaks the naming rule names no user.
fn name_of(path: Result<Path<String>, PathRejection>) -> Result<String, ApiError> {
    let name = path.map(|Path(n)| n).unwrap_or_default();
    check_name(&name).map_err(|_| unknown_user(&name))?;
    Ok(name)
}

/// A JSON answer that holds a secret: never stored by a cache.
fn secret_response(status: StatusCode, body: impl Serialize) -> Response {
    let mut response = (status, Json(body)).into_response();
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

pub async fn list(State(state): State<Arc<AppState>>) -> Result<Json<Vec<UserOut>>, ApiError> {
    Ok(Json(all(&state).await?))
}

pub async fn add(State(state): State<Arc<AppState>>, body: Body) -> Result<Response, ApiError> {
    let bytes = body::read(body, 64 << 10).await?;
    let b: AddBody = body::json(&bytes)?;
    check_name(&b.name)?;
    let role = parse_role(&b.role)?;
    let token = b
        .token
        .as_deref()
        .map(|l| check_label(l, "token"))
        .transpose()?;
    let new = NewUser {
        name: b.name,
        role,
        areas: check_areas(&b.areas)?,
        password: b.password.unwrap_or(role != Role::Integration),
        token,
    };
    let (user, secrets) = create(&state, new).await?;
    let out = AddedOut {
        user: user_out(&state, user).await?,
        password: secrets.password,
        token: secrets.token,
    };
    Ok(secret_response(StatusCode::CREATED, out))
}

pub async fn change(
    State(state): State<Arc<AppState>>,
    Extension(who): Extension<Principal>,
    path: Result<Path<String>, PathRejection>,
    body: Body,
) -> Result<Response, ApiError> {
    let name = name_of(path)?;
    let bytes = body::read(body, 64 << 10).await?;
    let b: ChangeBody = body::json(&bytes)?;
    let change = Change {
        role: b.role.as_deref().map(parse_role).transpose()?,
        areas: b.areas.as_deref().map(check_areas).transpose()?,
        disabled: b.disabled,
        new_password: b.new_password,
        revoke_token: b.revoke_token,
    };
    let (user, password) = apply(&state, &who, &name, change).await?;
    let out = ChangedOut {
        user: user_out(&state, user).await?,
        password,
    };
    Ok(secret_response(StatusCode::OK, out))
}

pub async fn token(
    State(state): State<Arc<AppState>>,
    path: Result<Path<String>, PathRejection>,
    body: Body,
) -> Result<Response, ApiError> {
    let name = name_of(path)?;
    let bytes = body::read(body, 64 << 10).await?;
    let b: TokenBody = if bytes.iter().all(u8::is_ascii_whitespace) {
        TokenBody { label: None }
    } else {
        body::json(&bytes)?
    };
    let label = check_label(b.label.as_deref().unwrap_or(DEFAULT_LABEL), "label")?;
    let (info, token) = create_token(&state, &name, &label).await?;
    let out = TokenCreatedOut {
        token,
        id: info.id,
        label: info.label,
        created_at: info.created_at,
    };
    Ok(secret_response(StatusCode::CREATED, out))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn areas_are_checked_trimmed_and_sorted() {
        let areas = |a: &[&str]| a.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
        assert_eq!(
            check_areas(&areas(&[" social", "schools", "social"])).unwrap(),
            ["schools", "social"]
        );
        assert_eq!(check_areas(&areas(&["*"])).unwrap(), ["*"]);
        let e = check_areas(&areas(&["schools", "no areas"])).unwrap_err();
        assert_eq!(
            (e.code, e.field.as_deref()),
            ("invalid_area", Some("areas[1]"))
        );
        assert!(check_areas(&areas(&[""])).is_err());
    }

    #[test]
    fn names_roles_and_labels_are_checked() {
        assert!(check_name("anna.berg@kommune").is_ok());
        assert_eq!(
            check_name("anna berg").unwrap_err().field.as_deref(),
            Some("name")
        );
        assert_eq!(parse_role(" controller").unwrap(), Role::Controller);
        assert_eq!(parse_role("root").unwrap_err().code, "invalid_role");
        assert_eq!(check_label("  ERP prod ", "label").unwrap(), "ERP prod");
        assert!(check_label("", "label").is_err());
        assert!(check_label("a\nb", "label").is_err());
        assert!(check_label(&"x".repeat(101), "label").is_err());
    }
}
