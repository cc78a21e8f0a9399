//! Durable storage for the service: every decision before its response is sent, audit samples,
//! per-area pauses and threshold overrides, model activations, chart-of-accounts updates.
//! Controllers' reviews (queue, one per decision, figures, export), all within an [`AreaScope`].
//!
//! Two engines through sqlx's `Any` driver, with one set of statements ([`Engine`] holds the few
//! that differ): an SQLite file (the embedded default; WAL journal, `synchronous = FULL`) or a
//! PostgreSQL database that several instances share. When [`Store::record`] returns, the
//! decision survives a crash or power cut. Writes go through one connection per store and hold
//! the database's one write lock (SQLite has one writer; on PostgreSQL an advisory lock keeps the
//! same order across instances), reads through a small pool that never blocks the writer.
//! [`Store::committer`] adds group commit: concurrent requests share one transaction and one
//! fsync. The crate knows nothing of HTTP, JSON or the model: a response body is an opaque string
//! (on SQLite stored compressed, see `response.rs`).

#![warn(missing_docs)]

mod activations;
mod adjustments;
mod audit;
mod automation;
mod batched;
mod chart_updates;
mod code_holds;
mod codec;
mod committer;
mod credentials;
mod decision;
mod duplicates;
mod engine;
mod error;
mod export;
mod figures;
mod group_reviews;
mod health;
mod open;
mod organisation;
#[cfg(test)]
mod query_plan;
mod queue;
mod read;
mod record;
mod response;
mod review;
mod scope;
mod secret;
mod thresholds;
mod users;
mod year_openings;

#[cfg(feature = "testing")]
pub mod testing;

pub use activations::Activation;
pub use adjustments::ThresholdAdjustment;
pub use audit::AuditCounts;
pub use automation::AreaAutomation;
pub use chart_updates::ChartUpdateRecord;
pub use code_holds::{CodeEvidence, CodeField, CodeHold, CodeStanding};
pub use committer::{Committer, MAX_GROUP};
pub use credentials::TokenInfo;
pub use decision::{Decision, Line, Outcome, Recorded};
pub use duplicates::MAX_DUPLICATE_HITS;
pub use duplicates::{DuplicateHit, DuplicateMatch, DuplicateQuery};
pub use engine::Engine;
pub use error::StoreError;
pub use export::{ExportedLine, ExportedReview};
pub use figures::{ModelFigures, MonthArea, MonthCount};
pub use group_reviews::{GroupQuery, GroupReview, MAX_GROUP_REVIEW_LINES};
pub use health::Durability;
pub use open::redact_password;
pub use organisation::{MAX_ORGANISATION, sqlite_file as organisation_file, valid_organisation};
pub use queue::QueueItem;
pub use review::{NewReview, ReviewLine, ReviewedLine, StoredReview};
pub use scope::AreaScope;
pub use thresholds::ThresholdChange;
pub use users::{ALL_AREAS, Role, User, UserChange, valid_user_name};
pub use year_openings::YearOpening;

use sqlx::AnyPool;

/// The database: cheap to clone (the pools are shared), `Send + Sync`.
#[derive(Clone, Debug)]
pub struct Store {
    /// Exactly one connection: every write, in order.
    writer: AnyPool,
    /// Connections for lookups and listings (read-only on SQLite).
    reader: AnyPool,
    /// SQLite or PostgreSQL.
    engine: Engine,
    /// The organisation whose tables this store reaches; `None`: the deployment's first.
    organisation: Option<String>,
    /// The PostgreSQL advisory lock key of this organisation's writes.
    write_lock: i64,
}
