//! Following the database: every half second the service reads the latest model activation, the
//! per-area pauses and thresholds and the chart update in force, so a change made elsewhere —
//! `kontera models activate`, another instance, the circuit breaker — takes effect here within a
//! second, without a restart.

use std::sync::Arc;
use std::time::Duration;

use crate::state::AppState;

/// How often the database is read.
pub const PERIOD: Duration = Duration::from_millis(500);

/// One round: switches to the latest activated model if it is not the one served (a model that
/// cannot be loaded is logged once per version and the served one stays), then reloads the area
/// settings. Returns the version that failed to load, if any.
pub async fn once(state: &AppState, failed: Option<&str>) -> Option<String> {
    let latest = match state.store.active_model().await {
        Ok(latest) => latest,
        Err(e) => {
            eprintln!("kontera: cannot read the active model from the database: {e}");
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
        match state
            .models
            .activate(&latest.version, latest.checksum.as_deref())
        {
            Ok(model) => eprintln!(
                "kontera: now serving {} (activated by {})",
                model.label(),
                latest.activated_by
            ),
            Err(e) => {
                if failed != Some(latest.version.as_str()) {
                    eprintln!(
                        "kontera: the activated model {:?} cannot be loaded ({e}); still serving {}",
                        latest.version,
                        state.models.active().label()
                    );
                }
                failing = Some(latest.version);
            }
        }
    }
    if let Err(e) = state.refresh_areas().await {
        eprintln!("kontera: cannot read the area settings from the database: {e}");
    }
    // The chart-of-accounts update in force, when another instance loaded a new one.
    if let Err(e) = crate::chart_update::refresh(state).await {
        eprintln!("kontera: cannot read the chart update from the database: {e}");
    }
    failing
}

/// How often the audit rule judges again the areas it holds a threshold for
/// ([`crate::adapt::rejudge`]), and the held codes are judged again ([`crate::holds::rejudge`]).
pub const REJUDGE: Duration = Duration::from_secs(3_600);

/// Runs [`once`] every [`PERIOD`], and the audit rule's re-judging every [`REJUDGE`], until the
/// task is dropped.
pub async fn follow(state: Arc<AppState>) {
    let mut failed = None;
    let mut tick = tokio::time::interval(PERIOD);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut last_rejudge = tokio::time::Instant::now();
    loop {
        tick.tick().await;
        failed = once(&state, failed.as_deref()).await;
        if last_rejudge.elapsed() >= REJUDGE {
            last_rejudge = tokio::time::Instant::now();
            let now = crate::clock::now().1;
            if let Err(e) = crate::adapt::rejudge(&state, now).await {
                eprintln!("kontera: the audit rule could not judge the areas again: {e}");
            }
            if let Err(e) = crate::holds::rejudge(&state, now).await {
                eprintln!("kontera: the held codes could not be judged again: {e}");
            }
        }
    }
}
