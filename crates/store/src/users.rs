//! Users: one role each, the areas they work, password hashes (never passwords) and whether the
//! account is disabled.

use sqlx::any::AnyRow;

use crate::codec::{Cell, flag};
use crate::error::db;
use crate::{Store, StoreError};

/// The area that stands for every area, including invoices whose area is unknown.
pub const ALL_AREAS: &str = "*";

/// What a user may do; each user has exactly one role.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Role {
    /// An ERP integration: the coding API only.
    Integration,
    /// Works the review queue of their own areas.
    Controller,
    /// Reads reports, exports reviews, compares and activates models.
    Analyst,
    /// Manages users, areas and pauses.
    Admin,
}

impl Role {
    /// Every role, in order of the stored spelling.
    pub const ALL: [Role; 4] = [
        Role::Integration,
        Role::Controller,
        Role::Analyst,
        Role::Admin,
    ];

    /// The stored spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Integration => "integration",
            Role::Controller => "controller",
            Role::Analyst => "analyst",
            Role::Admin => "admin",
        }
    }

    /// Reads the stored spelling.
    pub fn parse(text: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == text)
    }
}

impl std::fmt::Display for Role {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A user as stored, without secrets.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct User {
    /// Unique name, used to sign in and in every "who" column.
    pub name: String,
    /// What the user may do.
    pub role: Role,
    /// The areas the user works (for controllers), sorted; [`ALL_AREAS`] stands for all.
    pub areas: Vec<String>,
    /// A disabled user can neither sign in nor use a token.
    pub disabled: bool,
    /// When created, unix ms.
    pub created_at: i64,
}

const INSERT: &str = "INSERT INTO users (name, role, password_hash, disabled, created_at) \
     VALUES ($1, $2, $3, 0, $4) ON CONFLICT (name) DO NOTHING";
const INSERT_AREA: &str = "INSERT INTO user_areas (user_name, area) VALUES ($1, $2)";
const DELETE_AREAS: &str = "DELETE FROM user_areas WHERE user_name = $1";
/// `SELECT` of a user with their areas (newline-separated, in order), followed by `$tail`.
/// `string_agg` with `ORDER BY` is PostgreSQL's and, since 3.44, SQLite's too.
macro_rules! select_user {
    ($tail:literal) => {
        concat!(
            "SELECT name, role, disabled, created_at, ",
            "(SELECT string_agg(area, '\n' ORDER BY area) FROM user_areas ",
            "WHERE user_name = users.name) AS areas FROM users ",
            $tail
        )
    };
}
pub(crate) use select_user;
const PASSWORD: &str = "SELECT password_hash FROM users WHERE name = $1 AND disabled = 0";
const SET_PASSWORD: &str = "UPDATE users SET password_hash = $2 WHERE name = $1";
const SET_DISABLED: &str = "UPDATE users SET disabled = $2 WHERE name = $1";
const SET_ROLE: &str = "UPDATE users SET role = $2 WHERE name = $1";
const END_SESSIONS: &str = "DELETE FROM sessions WHERE user_name = $1";
const COUNT: &str = "SELECT count(*) FROM users";

impl Store {
    /// Adds a user with a password hash (or none: tokens only) and areas, in one transaction.
    /// A name that is taken is [`StoreError::UserExists`].
    pub async fn add_user(
        &self,
        name: &str,
        role: Role,
        password_hash: Option<&str>,
        areas: &[String],
        at: i64,
    ) -> Result<User, StoreError> {
        check_name(name)?;
        let mut tx = self.begin_write().await?;
        let inserted = sqlx::query(INSERT)
            .bind(name)
            .bind(role.as_str())
            .bind(password_hash)
            .bind(at)
            .execute(&mut *tx)
            .await
            .map_err(db("adding a user"))?
            .rows_affected();
        if inserted == 0 {
            return Err(StoreError::UserExists {
                name: name.to_owned(),
            });
        }
        let areas = write_areas(&mut tx, name, areas).await?;
        tx.commit().await.map_err(db("adding a user"))?;
        Ok(User {
            name: name.to_owned(),
            role,
            areas,
            disabled: false,
            created_at: at,
        })
    }

    /// Every user, by name.
    pub async fn users(&self) -> Result<Vec<User>, StoreError> {
        let rows = sqlx::query(select_user!("ORDER BY name"))
            .fetch_all(self.reader())
            .await
            .map_err(db("reading users"))?;
        rows.iter().map(user_row).collect()
    }

    /// One user, disabled or not.
    pub async fn user(&self, name: &str) -> Result<Option<User>, StoreError> {
        let row = sqlx::query(select_user!("WHERE name = $1"))
            .bind(name)
            .fetch_optional(self.reader())
            .await
            .map_err(db("reading a user"))?;
        row.as_ref().map(user_row).transpose()
    }

    /// How many users exist (the service creates a first administrator when there are none).
    pub async fn user_count(&self) -> Result<u64, StoreError> {
        let n: i64 = sqlx::query_scalar(COUNT)
            .fetch_one(self.reader())
            .await
            .map_err(db("counting users"))?;
        Ok(n as u64)
    }

    /// The password hash of an enabled user who has one.
    pub async fn password_hash(&self, name: &str) -> Result<Option<String>, StoreError> {
        let hash: Option<Option<String>> = sqlx::query_scalar(PASSWORD)
            .bind(name)
            .fetch_optional(self.reader())
            .await
            .map_err(db("reading a password hash"))?;
        Ok(hash.flatten())
    }

    /// Changes a user's role, areas, password hash or disabled flag (each only when given), in
    /// one transaction. Disabling a user ends their sessions. Unknown users are
    /// [`StoreError::UnknownUser`].
    pub async fn update_user(&self, name: &str, change: &UserChange) -> Result<User, StoreError> {
        let mut tx = self.begin_write().await?;
        let exists: Option<String> = sqlx::query_scalar("SELECT name FROM users WHERE name = $1")
            .bind(name)
            .fetch_optional(&mut *tx)
            .await
            .map_err(db("changing a user"))?;
        if exists.is_none() {
            return Err(StoreError::UnknownUser {
                name: name.to_owned(),
            });
        }
        if let Some(role) = change.role {
            exec(&mut tx, SET_ROLE, name, role.as_str()).await?;
        }
        if let Some(hash) = &change.password_hash {
            exec(&mut tx, SET_PASSWORD, name, hash.as_str()).await?;
        }
        if let Some(disabled) = change.disabled {
            exec(&mut tx, SET_DISABLED, name, flag(disabled)).await?;
            if disabled {
                sqlx::query(END_SESSIONS)
                    .bind(name)
                    .execute(&mut *tx)
                    .await
                    .map_err(db("changing a user"))?;
            }
        }
        if let Some(areas) = &change.areas {
            write_areas(&mut tx, name, areas).await?;
        }
        tx.commit().await.map_err(db("changing a user"))?;
        self.user(name).await?.ok_or(StoreError::UnknownUser {
            name: name.to_owned(),
        })
    }
}

/// A change to a user; `None` fields stay as they are.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct UserChange {
    /// A new role.
    pub role: Option<Role>,
    /// Replaces the user's areas.
    pub areas: Option<Vec<String>>,
    /// A new password hash.
    pub password_hash: Option<String>,
    /// Disables (ending every session) or enables the user.
    pub disabled: Option<bool>,
}

async fn exec<'a, T>(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    sql: &'static str,
    name: &'a str,
    value: T,
) -> Result<(), StoreError>
where
    T: 'a + sqlx::Encode<'a, sqlx::Any> + sqlx::Type<sqlx::Any> + Send,
{
    sqlx::query(sql)
        .bind(name)
        .bind(value)
        .execute(&mut **tx)
        .await
        .map_err(db("changing a user"))?;
    Ok(())
}

/// Replaces a user's areas; returns them sorted and de-duplicated.
async fn write_areas(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    name: &str,
    areas: &[String],
) -> Result<Vec<String>, StoreError> {
    let mut areas: Vec<String> = areas.to_vec();
    areas.sort();
    areas.dedup();
    for area in &areas {
        if area.is_empty() {
            return Err(StoreError::InvalidUser {
                name: name.to_owned(),
                problem: "an area name is empty; give area names such as schools, or * for all"
                    .to_owned(),
            });
        }
    }
    sqlx::query(DELETE_AREAS)
        .bind(name)
        .execute(&mut **tx)
        .await
        .map_err(db("writing a user's areas"))?;
    for area in &areas {
        sqlx::query(INSERT_AREA)
            .bind(name)
            .bind(area)
            .execute(&mut **tx)
            .await
            .map_err(db("writing a user's areas"))?;
    }
    Ok(areas)
}

/// Whether `name` is a valid user name: 1-64 letters, digits, '_', '-', '.' or '@'.
pub fn valid_user_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 64
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | '@'))
}

fn check_name(name: &str) -> Result<(), StoreError> {
    if valid_user_name(name) {
        Ok(())
    } else {
        Err(StoreError::InvalidUser {
            name: name.chars().take(64).collect(),
            problem: "a user name is 1-64 letters, digits, '_', '-', '.' or '@', e.g. anna.berg"
                .to_owned(),
        })
    }
}

pub(crate) fn user_row(row: &AnyRow) -> Result<User, StoreError> {
    let raw: String = sqlx::Row::try_get(row, "name").unwrap_or_default();
    let id = || format!("user {raw:?}");
    let c = Cell {
        row,
        table: "users",
        id: &id,
    };
    let role: String = c.get("role")?;
    let areas: Option<String> = c.get("areas")?;
    Ok(User {
        name: c.get("name")?,
        role: Role::parse(&role).ok_or_else(|| c.corrupt("role", role, "a role"))?,
        areas: areas
            .map(|a| a.split('\n').map(str::to_owned).collect())
            .unwrap_or_default(),
        disabled: c.flag("disabled")?,
        created_at: c.get("created_at")?,
    })
}
