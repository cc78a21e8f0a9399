//! Following the database: four times a second the service reads the latest model activation, the
//! per-area pauses and thresholds and the chart update in force, so a change made elsewhere —
//! `kontera models activate`, another instance, the circuit breaker — takes effect here within a
//! second, without a restart.

use std::sync::Arc;
use std::time::Duration;

use crate::state::AppState;

/// How often the database is read.
pub const PERIOD: Duration = Duration::from_millis(250);

/// One round: switches to the latest activated model if it is not the one served, then reloads
/// the area settings. An activation that cannot be served here (a file that does not load, or
/// another checksum than the one activated) is logged, and the served model stays; `failed` is
/// the activation that failed last round (as this returns it), which is not tried again — the
/// loop in [`run`] clears it every [`RETRY`]. Returns the activation that failed, if any.
pub async fn once(state: &AppState, failed: Option<&str>) -> Option<String> {
    let latest = match state.store.active_model().await {
        Ok(latest) => latest,
        Err(e) => {
            tracing::error!(
                organisation = %state.config.organisation,
                "cannot read the active model from the database: {e}"
            );
            return failed.map(str::to_owned);
        }
    };
    let mut failing = None;
    let served = state.models.active();
    if let Some(latest) = latest
        && (latest.version != served.version
            || latest
                .checksum
                .as_ref()
                .is_some_and(|c| *c != served.checksum))
    {
        // The activation itself, so that a new one of the same version is tried at once.
        let this = format!(
            "{}@{}",
            latest.version,
            latest.checksum.as_deref().unwrap_or("any")
        );
        if failed == Some(this.as_str()) {
            failing = Some(this);
        } else {
            match state
                .models
                .activate(&latest.version, latest.checksum.as_deref())
            {
                Ok(model) => tracing::info!(
                    organisation = %state.config.organisation,
                    model = %model.label(),
                    activated_by = %latest.activated_by,
                    "now serving {} (activated by {})",
                    model.label(),
                    latest.activated_by
                ),
                Err(e) => {
                    tracing::error!(
                        organisation = %state.config.organisation,
                        "the activated model {:?} cannot be loaded ({e}); still serving {}",
                        latest.version,
                        state.models.active().label()
                    );
                    failing = Some(this);
                }
            }
        }
    }
    if let Err(e) = state.refresh_areas().await {
        tracing::error!(
            organisation = %state.config.organisation,
            "cannot read the area settings from the database: {e}"
        );
    }
    // The chart-of-accounts update in force, when another instance loaded a new one.
    if let Err(e) = crate::chart_update::refresh(state).await {
        tracing::error!(
            organisation = %state.config.organisation,
            "cannot read the chart update from the database: {e}"
        );
    }
    failing
}

/// How often an activation that could not be served is tried again (a model file of tens of
/// megabytes is not re-read four times a second).
pub const RETRY: Duration = Duration::from_secs(30);

/// How often the audit rule judges again the areas it holds a threshold for
/// ([`crate::adapt::rejudge`]), and the held codes are judged again ([`crate::holds::rejudge`]).
pub const REJUDGE: Duration = Duration::from_secs(3_600);

/// Runs [`once`] every [`PERIOD`] (an activation that failed is tried again after [`RETRY`]),
/// and the audit rule's re-judging every [`REJUDGE`], until the task is dropped.
pub async fn follow(state: Arc<AppState>) {
    let mut failed: Option<String> = None;
    let mut failed_at = tokio::time::Instant::now();
    let mut tick = tokio::time::interval(PERIOD);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut last_rejudge = tokio::time::Instant::now();
    loop {
        tick.tick().await;
        if failed.is_some() && failed_at.elapsed() >= RETRY {
            failed = None;
        }
        let failing = once(&state, failed.as_deref()).await;
        if failing.is_some() && failing != failed {
            failed_at = tokio::time::Instant::now();
        }
        failed = failing;
        if last_rejudge.elapsed() >= REJUDGE {
            last_rejudge = tokio::time::Instant::now();
            let now = crate::clock::now().1;
            if let Err(e) = crate::adapt::rejudge(&state, now).await {
                tracing::error!(
                    organisation = %state.config.organisation,
                    "the audit rule could not judge the areas again: {e}"
                );
            }
            if let Err(e) = crate::holds::rejudge(&state, now).await {
                tracing::error!(
                    organisation = %state.config.organisation,
                    "the held codes could not be judged again: {e}"
                );
            }
        }
    }
}
