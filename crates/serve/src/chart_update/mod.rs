//! The chart-of-accounts update in force: a file in the `accounts` table's vocabulary (accounts
//! closed, renamed, merged or split from a day, and new accounts) loaded with `PUT /v1/chart` or
//! the `chart_update` configuration key, stored in the database (so a restart and every instance
//! see it), and applied to the active model's accounts without retraining.
//!
//! Per model the chart in force is the model's accounts (open since ever) overlaid with the
//! update ([`ChartUpdate::apply`]); it is built once per model and update and shared by every
//! request. Coding follows it (`kontera_core::precedence::follow_chart`), the invoice's own
//! account string and the review form are checked against it.

mod csv;

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::sync::{Arc, PoisonError, RwLock};

use kontera_core::{AccountId, Chart, ChartUpdate};
use kontera_store::{ChartUpdateRecord, StoreError};

pub use csv::{COLUMNS, FileError, REQUIRED, parse};

use crate::clock;
use crate::models::LoadedModel;
use crate::state::AppState;

/// Who is recorded as having loaded the configuration's file.
pub const CONFIG_LOADER: &str = "config";

/// A stored update, read.
#[derive(Debug)]
pub struct Loaded {
    /// The store's id; a later load has a larger one.
    pub id: i64,
    pub update: ChartUpdate,
    pub sha256: String,
    pub loaded_by: String,
    /// Unix ms.
    pub loaded_at: i64,
    pub note: Option<String>,
}

/// The chart in force for one model.
#[derive(Debug)]
pub struct InForce {
    pub version: String,
    pub checksum: String,
    /// The update applied, if any.
    pub update: Option<Arc<Loaded>>,
    /// The model's accounts with the update applied.
    pub chart: Chart,
    /// Why the update could not be applied to this model (then no invoice is posted
    /// automatically until a new update is loaded). Not expected: an update that passed
    /// [`check`] for one model applies to any.
    pub problem: Option<String>,
}

/// The update in force and, cached, the chart it makes of the model last asked about.
#[derive(Debug, Default)]
pub struct ChartState {
    loaded: RwLock<Option<Arc<Loaded>>>,
    cached: RwLock<Option<Arc<InForce>>>,
    /// The stored update that could not be read (its id), reported once: it is not read
    /// again four times a second, only when a later one is stored.
    refused: RwLock<Option<i64>>,
}

impl ChartState {
    /// The update in force, if any.
    pub fn loaded(&self) -> Option<Arc<Loaded>> {
        self.loaded
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// The id of the stored update in force that this instance could not read (it serves the
    /// one it read before), if any.
    pub fn unreadable(&self) -> Option<i64> {
        *self.refused.read().unwrap_or_else(PoisonError::into_inner)
    }

    /// Puts `loaded` in force from the next request on (an update refused before is then
    /// behind it).
    pub fn set(&self, loaded: Option<Arc<Loaded>>) {
        *self.loaded.write().unwrap_or_else(PoisonError::into_inner) = loaded;
        *self.refused.write().unwrap_or_else(PoisonError::into_inner) = None;
    }

    /// The chart in force for `model` (built once per model and update).
    pub fn for_model(&self, model: &LoadedModel) -> Arc<InForce> {
        let loaded = self.loaded();
        if let Some(cached) = self
            .cached
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .as_ref()
            && cached.version == model.version
            && cached.checksum == model.checksum
            && same(cached.update.as_ref(), loaded.as_ref())
        {
            return cached.clone();
        }
        let built = Arc::new(build(model, loaded));
        *self.cached.write().unwrap_or_else(PoisonError::into_inner) = Some(built.clone());
        built
    }
}

fn same(a: Option<&Arc<Loaded>>, b: Option<&Arc<Loaded>>) -> bool {
    match (a, b) {
        (None, None) => true,
        (Some(a), Some(b)) => Arc::ptr_eq(a, b),
        _ => false,
    }
}

fn build(model: &LoadedModel, update: Option<Arc<Loaded>>) -> InForce {
    let (chart, problem) = match &update {
        None => (model.accounts.clone(), None),
        Some(loaded) => match loaded.update.apply(&model_accounts(model)) {
            Ok(chart) => (chart, None),
            Err(e) => {
                tracing::error!(
                    "the chart update in force (loaded by {}) does not apply to model {}: {e}; no \
                     invoice is posted automatically until a new one is loaded",
                    loaded.loaded_by,
                    model.label()
                );
                (model.accounts.clone(), Some(e.to_string()))
            }
        },
    };
    InForce {
        version: model.version.clone(),
        checksum: model.checksum.clone(),
        update,
        chart,
        problem,
    }
}

/// The accounts `model` codes to.
pub fn model_accounts(model: &LoadedModel) -> BTreeSet<AccountId> {
    model.accounts.iter().map(|e| e.id.clone()).collect()
}

/// Reads `text` and checks it for `model`: the file, every successor one of the model's
/// accounts or a row, new accounts dated, and the chart it makes (dates, no cycles).
pub fn check(text: &str, model: &LoadedModel) -> Result<ChartUpdate, FileError> {
    let update = parse(text)?;
    let base = model_accounts(model);
    update.check(&base)?;
    update.apply(&base)?;
    Ok(update)
}

/// Why an update could not be loaded or read.
#[derive(Debug, thiserror::Error)]
pub enum ChartUpdateError {
    #[error(transparent)]
    File(#[from] FileError),
    #[error("chart update file {}: {message}", path.display())]
    Config { path: PathBuf, message: String },
    #[error(
        "the chart update in force (loaded by {by}) cannot be read: {error}; name a corrected \
         file in the configuration's `chart_update`"
    )]
    Stored { by: String, error: FileError },
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Checks `text` against the active model, records it as loaded by `by` now, and puts it in
/// force. A file with only the header ends the update in force.
pub async fn load(
    state: &AppState,
    text: &str,
    by: &str,
    note: Option<&str>,
) -> Result<Arc<InForce>, ChartUpdateError> {
    let model = state.models.active();
    let update = check(text, &model)?;
    let sha256 = kontera_model::checksum_hex(text.as_bytes());
    let (_, now) = clock::now();
    let id = state
        .store
        .record_chart_update(text, &sha256, by, now, note)
        .await?;
    state.chart.set(Some(Arc::new(Loaded {
        id,
        update,
        sha256,
        loaded_by: by.to_owned(),
        loaded_at: now,
        note: note.map(str::to_owned),
    })));
    Ok(state.chart.for_model(&model))
}

/// Reads the update in force from the store when it is not the one served (another instance
/// or a restart loaded it). Returns whether it changed. A stored update that cannot be read
/// is an error once; it is then skipped (the chart served stays) until a later one is stored.
pub async fn refresh(state: &AppState) -> Result<bool, ChartUpdateError> {
    let latest = state.store.chart_update_id().await?;
    let refused = state.chart.unreadable();
    if latest == state.chart.loaded().map(|l| l.id) || (latest.is_some() && latest == refused) {
        return Ok(false);
    }
    let loaded = match state.store.chart_update().await? {
        Some(record) => {
            let id = record.id;
            let read = read(record).inspect_err(|_| {
                *state
                    .chart
                    .refused
                    .write()
                    .unwrap_or_else(PoisonError::into_inner) = Some(id);
            })?;
            Some(Arc::new(read))
        }
        None => None,
    };
    state.chart.set(loaded);
    Ok(true)
}

fn read(record: ChartUpdateRecord) -> Result<Loaded, ChartUpdateError> {
    let update = parse(&record.body).map_err(|error| ChartUpdateError::Stored {
        by: record.loaded_by.clone(),
        error,
    })?;
    Ok(Loaded {
        id: record.id,
        update,
        sha256: record.sha256,
        loaded_by: record.loaded_by,
        loaded_at: record.loaded_at,
        note: record.note,
    })
}

/// At start: loads the configuration's `chart_update` file when it was never loaded before
/// (so an update loaded later through the API stays in force across restarts until the file
/// changes), then reads the update in force.
pub async fn start(state: &AppState) -> Result<(), ChartUpdateError> {
    if let Some(path) = &state.config.chart_update {
        let config = |message: String| ChartUpdateError::Config {
            path: path.clone(),
            message,
        };
        let text = std::fs::read_to_string(path).map_err(|e| {
            config(format!(
                "cannot read it ({e}); check the path in `chart_update`"
            ))
        })?;
        let sha256 = kontera_model::checksum_hex(text.as_bytes());
        if !state.store.chart_update_seen(&sha256).await? {
            check(&text, &state.models.active()).map_err(|e| config(e.to_string()))?;
            let (_, now) = clock::now();
            let note = path.display().to_string();
            state
                .store
                .record_chart_update(&text, &sha256, CONFIG_LOADER, now, Some(&note))
                .await?;
        }
    }
    refresh(state).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use kontera_core::precedence::{ChartEffect, follow_chart};

    use super::*;

    #[test]
    fn the_documented_example_is_valid() {
        let readme = include_str!("../../README.md");
        let start = readme.find("```csv\n").expect("a CSV example") + 7;
        let end = start + readme[start..].find("```").unwrap();
        let update = parse(&readme[start..end]).unwrap();
        assert_eq!(update.rows().len(), 6);
        let base: BTreeSet<AccountId> = ["4.90.01", "5.10.01", "6.00.01", "7.00.01"]
            .into_iter()
            .map(|a| AccountId::parse(a).unwrap())
            .collect();
        update.check(&base).unwrap();
        let chart = update.apply(&base).unwrap();
        let on = "2027-01-01".parse().unwrap();
        let effect = |account: &str| {
            let mut coded = kontera_core::precedence::Coded {
                source: kontera_core::precedence::Source::Model,
                labels: vec![Some(account.to_owned())],
                confidence: 1.0,
                support: 1.0,
                prediction: kontera_core::model::LinePrediction {
                    fields: vec![],
                    raw: 1.0,
                    confidence: 1.0,
                    support: 1.0,
                    recent_change: false,
                },
            };
            follow_chart(&mut coded, 0, &chart, on)
        };
        assert!(matches!(
            effect("4.90.01"),
            Some(ChartEffect::Mapped { .. })
        ));
        assert!(matches!(effect("5.10.01"), Some(ChartEffect::Split { .. })));
        assert!(matches!(
            effect("6.00.01"),
            Some(ChartEffect::Closed { .. })
        ));
        assert_eq!(effect("7.00.01"), None);
        assert!(chart.is_valid(&AccountId::parse("4.90.11").unwrap(), on));
    }
}
