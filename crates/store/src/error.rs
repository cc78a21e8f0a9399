//! The store's one error type: each message names what failed and how to fix it.

use std::path::PathBuf;

/// Everything that can go wrong in the store.
///
/// Messages name the file, decision or area involved and the fix. They never contain invoice
/// text, so they are safe to log; the service should still answer clients with a generic 500.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The database argument is neither a path nor a valid `sqlite:` or `postgres://` URL.
    #[error(
        "database {given:?} is neither a file path nor a valid sqlite: or postgres:// URL ({source}); give a path such as data/kontera.db, or a URL such as postgres://kontera@db.internal/kontera, to --database"
    )]
    BadUrl {
        /// What the caller passed (a PostgreSQL password replaced by `***`).
        given: String,
        /// sqlx's parse error.
        #[source]
        source: sqlx::Error,
    },
    /// An in-memory database was asked for; it would lose every decision at exit.
    #[error(
        "database {given:?} lives in memory, so decisions would be lost when the service stops; give a file path to --database"
    )]
    InMemory {
        /// What the caller passed.
        given: String,
    },
    /// An organisation's name cannot name a schema, file and token prefix.
    #[error(
        "organisation name {name:?} is not valid: use 1 to {max} lowercase letters, digits and `_`, starting with a letter",
        max = crate::MAX_ORGANISATION
    )]
    Organisation {
        /// The name given.
        name: String,
    },
    /// The PostgreSQL role has the name of an organisation's schema, so the default
    /// `search_path` (`"$user", public`) of the deployment's first organisation would reach it.
    #[error(
        "the PostgreSQL role of {url} is named {schema}, like organisation {organisation}'s schema: the deployment's first organisation would read and write that organisation's tables (PostgreSQL searches a schema named after the role first); connect as a role with another name"
    )]
    RoleShadowsSchema {
        /// The URL, its password redacted.
        url: String,
        /// The schema (and role) name.
        schema: String,
        /// The organisation.
        organisation: String,
    },
    /// A replay's scratch store was asked for on PostgreSQL.
    #[error(
        "a replay writes a scratch SQLite file beside its report, never a shared database; give a file path"
    )]
    ScratchNotSqlite,
    /// The database file could not be opened or created.
    #[error(
        "cannot open database file {path}: {source}; create the directory, check its permissions, or choose another --database",
        path = path.display()
    )]
    Open {
        /// The file.
        path: PathBuf,
        /// sqlx's error.
        #[source]
        source: sqlx::Error,
    },
    /// The PostgreSQL server could not be reached or refused the connection.
    #[error(
        "cannot connect to PostgreSQL at {url}: {source}; check that the server is running and reachable, and the URL's user, password and database name"
    )]
    Connect {
        /// The URL, its password replaced by `***`.
        url: String,
        /// sqlx's error.
        #[source]
        source: sqlx::Error,
    },
    /// The PostgreSQL database sorts text by a locale, so listings would come in another order
    /// than on SQLite.
    #[error(
        "PostgreSQL database {url} sorts text by the locale {collation:?}; Kontera needs byte order: create the database with CREATE DATABASE kontera TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C'"
    )]
    Collation {
        /// The URL, its password replaced by `***`.
        url: String,
        /// The database's collation.
        collation: String,
    },
    /// The PostgreSQL database would acknowledge a commit before it is on disk.
    #[error(
        "PostgreSQL database {url} has {setting} off, so an answered decision could be lost in a crash; turn it on (synchronous_commit: ALTER DATABASE kontera SET synchronous_commit = on, or in postgresql.conf; fsync: in postgresql.conf) and start again"
    )]
    NotDurable {
        /// The URL, its password replaced by `***`.
        url: String,
        /// The setting that is off.
        setting: &'static str,
    },
    /// The embedded migrations could not be applied.
    #[error(
        "cannot migrate database {database}: {source}; if a newer Kontera wrote it, run that version or choose another --database"
    )]
    Migrate {
        /// The file, or the URL with its password replaced by `***`.
        database: String,
        /// sqlx's migration error.
        #[source]
        source: sqlx::migrate::MigrateError,
    },
    /// A statement failed (disk full, I/O error, lock held too long, …).
    #[error(
        "{action} failed: {source}; check that the disk has space, the database file is writable and no other program holds a lock on it"
    )]
    Database {
        /// What the store was doing, e.g. "storing decisions".
        action: &'static str,
        /// sqlx's error.
        #[source]
        source: sqlx::Error,
    },
    /// A decision id is already stored under another idempotency key.
    #[error(
        "decision id {decision_id:?} is already stored for another invoice; the service must generate a fresh decision id per invoice"
    )]
    DecisionIdTaken {
        /// The clashing decision id.
        decision_id: String,
    },
    /// A decision breaks one of the store's rules (see [`Decision`](crate::Decision)).
    #[error("decision {decision_id:?} cannot be stored: {problem}")]
    Invalid {
        /// The decision's id.
        decision_id: String,
        /// What is wrong and what to do instead.
        problem: String,
    },
    /// A threshold override outside (0, 1].
    #[error(
        "threshold {value} for area {area:?} is not a probability in (0, 1]; give a value above 0 and at most 1, or none to remove the override"
    )]
    Threshold {
        /// The area.
        area: String,
        /// The rejected value.
        value: f64,
    },
    /// A review names a decision that is not stored, or not in the reviewer's areas (the two
    /// look alike on purpose).
    #[error(
        "there is no decision {decision_id:?} in your areas; check the decision id, or ask an administrator for access to its area"
    )]
    UnknownDecision {
        /// The decision id given.
        decision_id: String,
    },
    /// A review names a decision that was posted automatically.
    #[error(
        "decision {decision_id:?} was posted automatically, so there is nothing to review; only decisions sent to review can be reviewed"
    )]
    NotForReview {
        /// The decision's id.
        decision_id: String,
    },
    /// A decision is reviewed once.
    #[error(
        "decision {decision_id:?} was already reviewed by {reviewer:?}; reload the queue, or ask them to correct the posting in the ERP"
    )]
    AlreadyReviewed {
        /// The decision's id.
        decision_id: String,
        /// Who reviewed it first.
        reviewer: String,
    },
    /// A review's line numbers are not exactly the decision's.
    #[error(
        "the review of decision {decision_id:?} codes lines {got:?}, but the decision has lines {expected:?}; send one coding for each of the decision's lines"
    )]
    LinesMismatch {
        /// The decision's id.
        decision_id: String,
        /// The decision's line numbers, in order.
        expected: Vec<u32>,
        /// The review's line numbers, as given.
        got: Vec<u32>,
    },
    /// A review breaks a rule that needs no database (see
    /// [`NewReview`](crate::NewReview)).
    #[error("the review of decision {decision_id:?} cannot be stored: {problem}")]
    InvalidReview {
        /// The decision's id.
        decision_id: String,
        /// What is wrong and what to do instead.
        problem: String,
    },
    /// A stored value cannot be read back (the file was edited outside Kontera).
    #[error(
        "stored {table}.{column} {value:?} of {row} is not {expected}; the database file was changed outside Kontera: restore it from a backup"
    )]
    Corrupt {
        /// Table name.
        table: &'static str,
        /// Column name.
        column: &'static str,
        /// Which row, e.g. `decision "d-1"`.
        row: String,
        /// The stored text.
        value: String,
        /// What it should have been, e.g. "a decimal number".
        expected: &'static str,
    },
    /// The group-commit writer task is gone, so the decision was not stored.
    #[error(
        "the group-commit writer has stopped, so the decision was not stored; restart the service (the runtime may be shutting down)"
    )]
    CommitterStopped,
    /// A user name that is taken.
    #[error("user {name:?} exists already; choose another name, or change the existing user")]
    UserExists {
        /// The name.
        name: String,
    },
    /// A user that does not exist.
    #[error("there is no user {name:?}; list users with `kontera users list`")]
    UnknownUser {
        /// The name.
        name: String,
    },
    /// A user that breaks a rule (name spelling, empty area).
    #[error("user {name:?} cannot be stored: {problem}")]
    InvalidUser {
        /// The name.
        name: String,
        /// What is wrong and what to do instead.
        problem: String,
    },
    /// The system's random source failed while creating a secret.
    #[error(
        "cannot draw the secret {name:?} from the system's random source: {message}; set it in the configuration instead"
    )]
    Random {
        /// The secret's name.
        name: String,
        /// The system's error.
        message: String,
    },
}

/// Maps an sqlx error to [`StoreError::Database`] with what the store was doing.
pub(crate) fn db(action: &'static str) -> impl FnOnce(sqlx::Error) -> StoreError {
    move |source| StoreError::Database { action, source }
}
