//! The first administrator: a service started on an empty database creates the user `admin`
//! with a random password and writes it to a file only the service's user can read (as Jenkins
//! does), so no password ever appears in a log.

use std::io::Write;
use std::path::{Path, PathBuf};

use kontera_store::{Role, Store};

use super::secret;

/// The first administrator's name.
pub const FIRST_ADMIN: &str = "admin";

/// Why the first administrator could not be created.
#[derive(Debug, thiserror::Error)]
pub enum BootstrapError {
    #[error(transparent)]
    Store(#[from] kontera_store::StoreError),
    #[error(transparent)]
    Secret(#[from] secret::SecretError),
    #[error("cannot write the first administrator's password to {path}: {source}; make its directory writable or choose another --database", path = path.display())]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// With no users yet, creates [`FIRST_ADMIN`] and writes its password to `password_file`
/// (mode 0600). Returns the file when it did.
///
/// Several instances may start at once on one new database: the password goes to a file of
/// this process's own first, which becomes `password_file` only if this instance's user is the
/// one stored; an instance that finds the administrator created by another removes its file.
pub async fn first_admin(
    store: &Store,
    password_file: &Path,
    now: i64,
) -> Result<Option<PathBuf>, BootstrapError> {
    if store.user_count().await? > 0 {
        return Ok(None);
    }
    let password = secret::new_password()?;
    let hash = secret::hash_password(&password)?;
    let mut own = password_file.as_os_str().to_owned();
    own.push(format!(".{}.tmp", std::process::id()));
    let own = PathBuf::from(own);
    let write_error = |path: &Path| {
        let path = path.to_owned();
        move |source| BootstrapError::Write { path, source }
    };
    write_private(&own, &format!("{password}\n")).map_err(write_error(&own))?;
    match store
        .add_user(FIRST_ADMIN, Role::Admin, Some(&hash), &[], now)
        .await
    {
        Ok(_) => {
            std::fs::rename(&own, password_file).map_err(write_error(password_file))?;
            Ok(Some(password_file.to_owned()))
        }
        Err(kontera_store::StoreError::UserExists { .. }) => {
            let _ = std::fs::remove_file(&own);
            Ok(None)
        }
        Err(other) => {
            let _ = std::fs::remove_file(&own);
            Err(other.into())
        }
    }
}

/// Where the first administrator's password goes: beside the database file
/// (`kontera.db` → `kontera.db.admin-password`; a further organisation's beside its own file,
/// `kontera.odense.db.admin-password`), or `kontera.admin-password` (`kontera.odense.…`) in the
/// working directory for a PostgreSQL database or a URL without a file.
pub fn password_file_for(database: &str, organisation: Option<&str>) -> PathBuf {
    let path = database
        .strip_prefix("sqlite://")
        .or_else(|| database.strip_prefix("sqlite:"))
        .unwrap_or(database);
    let path = path.split('?').next().unwrap_or(path);
    let postgres = kontera_store::Engine::of(database) == kontera_store::Engine::Postgres;
    if postgres || path.is_empty() {
        return PathBuf::from(match organisation {
            Some(name) => format!("kontera.{name}.admin-password"),
            None => "kontera.admin-password".to_owned(),
        });
    }
    let file = match organisation {
        Some(name) => kontera_store::organisation_file(Path::new(path), name),
        None => PathBuf::from(path),
    };
    let mut name = file.into_os_string();
    name.push(".admin-password");
    PathBuf::from(name)
}

fn write_private(path: &Path, text: &str) -> std::io::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(path)?;
    file.write_all(text.as_bytes())?;
    file.sync_all()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_password_lies_beside_the_organisations_own_database() {
        assert_eq!(
            password_file_for("data/kontera.db", None),
            Path::new("data/kontera.db.admin-password")
        );
        assert_eq!(
            password_file_for("sqlite:data/kontera.db?mode=rwc", Some("odense")),
            Path::new("data/kontera.odense.db.admin-password")
        );
        assert_eq!(
            password_file_for("postgres://k@db/k", Some("odense")),
            Path::new("kontera.odense.admin-password")
        );
        assert_eq!(
            password_file_for("postgres://k@db/k", None),
            Path::new("kontera.admin-password")
        );
    }
}
