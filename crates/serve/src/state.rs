//! What every request shares: the configuration, the store, the model registry, the audit draw,
//! the per-area pauses and thresholds (cached from the store, updated on every change), the
//! chart update in force, and the metrics.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::RwLock;

use kontera_store::{Committer, Store};

use crate::audit::AuditDraw;
use crate::auth::TokenCache;
use crate::chart_update::ChartState;
use crate::config::Config;
use crate::decide::Bar;
use crate::metrics::Metrics;
use crate::models::{LoadedModel, Registry};

/// Per-area automation settings, as stored.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AreaSettings {
    pub paused: BTreeSet<String>,
    /// Thresholds set through the API (over the config file's).
    pub thresholds: BTreeMap<String, f32>,
}

/// The service's shared state.
#[derive(Debug)]
pub struct AppState {
    pub config: Config,
    pub store: Store,
    /// Group commit for single invoices: concurrent requests share one transaction and fsync.
    pub committer: Committer,
    pub models: Registry,
    pub audit: AuditDraw,
    pub areas: RwLock<AreaSettings>,
    pub metrics: Metrics,
    /// Recently seen API tokens (one second), so the coding API rarely reads the users table.
    pub tokens: TokenCache,
    /// The chart-of-accounts update in force, and the chart it makes of the active model.
    pub chart: ChartState,
}

impl AppState {
    fn areas(&self) -> std::sync::RwLockReadGuard<'_, AreaSettings> {
        self.areas.read().unwrap_or_else(|e| e.into_inner())
    }

    /// Whether automation is paused for `area`.
    pub fn is_paused(&self, area: Option<&str>) -> bool {
        area.is_some_and(|a| self.areas().paused.contains(a))
    }

    /// The threshold and minimum support for `area`: an API override, else the config file's,
    /// else the model's calibrated threshold for the target precision.
    pub fn bar(&self, model: &LoadedModel, area: Option<&str>) -> Bar {
        let policy = &model.artifact.policy;
        let default = match self.config.target_precision {
            Some(target) => policy.threshold(target).unwrap_or(f32::INFINITY),
            None => policy.default_threshold(),
        };
        let threshold = area
            .and_then(|a| {
                self.areas()
                    .thresholds
                    .get(a)
                    .copied()
                    .or_else(|| self.config.thresholds.get(a).copied())
            })
            .unwrap_or(default);
        Bar {
            threshold,
            min_support: self.config.min_support.unwrap_or(policy.min_support),
        }
    }

    /// Reloads the pauses and thresholds from the store.
    pub async fn refresh_areas(&self) -> Result<(), kontera_store::StoreError> {
        let paused = self
            .store
            .automation()
            .await?
            .into_iter()
            .filter(|a| a.paused)
            .map(|a| a.area)
            .collect();
        let thresholds = self
            .store
            .thresholds()
            .await?
            .into_iter()
            .map(|(a, t)| (a, t as f32))
            .collect();
        *self.areas.write().unwrap_or_else(|e| e.into_inner()) =
            AreaSettings { paused, thresholds };
        Ok(())
    }
}
