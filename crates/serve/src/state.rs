//! What every request shares: the configuration, the store, the model registry, the audit draw,
//! the per-area pauses and thresholds, the held codes and the year openings (cached from the
//! store, updated on every change), the chart update in force, and the metrics.

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
    /// The audit rule's thresholds per area (see [`crate::adapt`]): served where above the
    /// area's own threshold, while `trust.adapt` is on, for the model [`Self::adapted_for`].
    pub adapted: BTreeMap<String, f32>,
    /// The model (`version@checksum12`) `adapted` was read for; `None`: whichever decides.
    pub adapted_for: Option<String>,
    /// The codes held back from automatic posting (see [`crate::holds`]), with the sentence
    /// that held them.
    pub held: BTreeMap<(kontera_store::CodeField, String), String>,
    /// Each area's years whose automation has opened (see [`crate::opening`]).
    pub opened: crate::opening::Opened,
}

/// Where an area's threshold comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ThresholdSource {
    /// Set through the API (`PUT /v1/areas/{area}/threshold`).
    Override,
    /// The configuration's `automation.thresholds`.
    Configuration,
    /// The model's calibrated threshold for the target precision.
    Model,
    /// Raised by the audit rule above the area's own threshold.
    AuditRule,
}

impl ThresholdSource {
    pub fn as_str(self) -> &'static str {
        match self {
            ThresholdSource::Override => "override",
            ThresholdSource::Configuration => "configuration",
            ThresholdSource::Model => "model",
            ThresholdSource::AuditRule => "audit_rule",
        }
    }
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
    /// Whether the follower's last look at the database failed ([`crate::follow::Outage`]).
    pub outage: crate::follow::Outage,
}

impl AreaSettings {
    /// Whether automation is paused for `area`.
    pub fn is_paused(&self, area: Option<&str>) -> bool {
        area.is_some_and(|a| self.paused.contains(a))
    }

    /// The threshold and minimum support for `area`: the area's own threshold (an API override,
    /// else the config file's, else the model's calibrated threshold for the target precision),
    /// raised to the audit rule's when that is higher (see [`AreaSettings::threshold`]).
    pub fn bar(&self, config: &Config, model: &LoadedModel, area: Option<&str>) -> Bar {
        Bar {
            threshold: self.threshold(config, model, area).0,
            min_support: config
                .min_support
                .unwrap_or(model.artifact.policy.min_support),
        }
    }

    /// The area's own threshold, without the audit rule, and where it comes from: an API
    /// override, else the config file's, else the model's calibrated threshold for the target
    /// precision (infinite when the model has none for it: nothing is automated).
    pub fn base(
        &self,
        config: &Config,
        model: &LoadedModel,
        area: Option<&str>,
    ) -> (f32, ThresholdSource) {
        if let Some(a) = area {
            if let Some(&t) = self.thresholds.get(a) {
                return (t, ThresholdSource::Override);
            }
            if let Some(&t) = config.thresholds.get(a) {
                return (t, ThresholdSource::Configuration);
            }
        }
        let policy = &model.artifact.policy;
        let default = match config.target_precision {
            Some(target) => policy.threshold(target).unwrap_or(f32::INFINITY),
            None => policy.default_threshold(),
        };
        (default, ThresholdSource::Model)
    }

    /// The audit rule's threshold for `area` when it applies: `trust.adapt` on and the
    /// thresholds read for `model`.
    pub fn adapted(&self, config: &Config, model: &LoadedModel, area: Option<&str>) -> Option<f32> {
        if !config.trust.adapt {
            return None;
        }
        let t = *self.adapted.get(area?)?;
        match &self.adapted_for {
            Some(label) if !model.has_label(label) => None,
            _ => Some(t),
        }
    }

    /// The threshold in force for `area` and where it comes from: the area's own
    /// ([`AreaSettings::base`]), or the audit rule's where that is higher.
    pub fn threshold(
        &self,
        config: &Config,
        model: &LoadedModel,
        area: Option<&str>,
    ) -> (f32, ThresholdSource) {
        let base = self.base(config, model, area);
        match self.adapted(config, model, area) {
            Some(t) if t > base.0 => (t, ThresholdSource::AuditRule),
            _ => base,
        }
    }
}

impl AppState {
    /// The areas' settings now (a read lock: hold it briefly, never across an await).
    pub fn area_settings(&self) -> std::sync::RwLockReadGuard<'_, AreaSettings> {
        self.areas.read().unwrap_or_else(|e| e.into_inner())
    }

    /// Whether automation is paused for `area`.
    pub fn is_paused(&self, area: Option<&str>) -> bool {
        self.area_settings().is_paused(area)
    }

    /// The threshold and minimum support for `area` (see [`AreaSettings::bar`]).
    pub fn bar(&self, model: &LoadedModel, area: Option<&str>) -> Bar {
        self.area_settings().bar(&self.config, model, area)
    }

    /// Reloads the pauses, the thresholds and the audit rule's thresholds for the active model
    /// from the store.
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
        let model = self.models.active().label();
        let adapted = self.store.current_adjustments(&model).await?;
        let held = self
            .store
            .code_holds()
            .await?
            .into_iter()
            .map(|(k, h)| (k, h.message))
            .collect();
        let mut opened = crate::opening::Opened::new();
        for o in self.store.year_openings().await? {
            opened.entry(o.area).or_default().insert(o.year);
        }
        *self.areas.write().unwrap_or_else(|e| e.into_inner()) = AreaSettings {
            paused,
            thresholds,
            adapted,
            adapted_for: Some(model),
            held,
            opened,
        };
        Ok(())
    }
}
