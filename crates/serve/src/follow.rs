//! Following the database: four times a second the service reads the latest model activation, the
//! per-area pauses and thresholds and the chart update in force, so a change made elsewhere —
//! `kontera models activate`, another instance, the circuit breaker — takes effect here within a
//! second, without a restart.

use std::fmt::Display;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use tracing::Instrument;

use crate::chart_update::ChartUpdateError;
use crate::state::AppState;

/// How often the database is read.
pub const PERIOD: Duration = Duration::from_millis(250);

/// Whether the last round could not read the database: an outage is logged as an error once,
/// when it starts, then at `debug` on every round, and at `info` when the database answers
/// again — not four errors a second.
#[derive(Debug, Default)]
pub struct Outage(AtomicBool);

impl Outage {
    fn failed(&self, reading: &str, e: &dyn Display) {
        if self.0.swap(true, Ordering::Relaxed) {
            tracing::debug!("cannot read {reading} from the database: {e}");
        } else {
            tracing::error!(
                "cannot read {reading} from the database: {e}; serving on what was read last, \
                 and trying again every {} ms",
                PERIOD.as_millis()
            );
        }
    }

    fn answered(&self) {
        if self.0.swap(false, Ordering::Relaxed) {
            tracing::info!("the database answers again");
        }
    }
}

/// One round: switches to the latest activated model if it is not the one served, then reloads
/// the area settings. An activation that cannot be served here (a file that does not load, or
/// another checksum than the one activated) is logged, and the served model stays; `failed` is
/// the activation that failed last round (as this returns it), which is not tried again — the
/// loop in [`run`] clears it every [`RETRY`]. Returns the activation that failed, if any.
pub async fn once(state: &AppState, failed: Option<&str>) -> Option<String> {
    let latest = match state.store.active_model().await {
        Ok(latest) => latest,
        Err(e) => {
            state.outage.failed("the active model", &e);
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
                    model = %model.label(),
                    activated_by = %latest.activated_by,
                    "now serving {} (activated by {})",
                    model.label(),
                    latest.activated_by
                ),
                Err(e) => {
                    tracing::error!(
                        "the activated model {:?} cannot be loaded ({e}); still serving {}",
                        latest.version,
                        state.models.active().label()
                    );
                    failing = Some(this);
                }
            }
        }
    }
    let areas = state.refresh_areas().await;
    if let Err(e) = &areas {
        state.outage.failed("the area settings", e);
    }
    // The chart-of-accounts update in force, when another instance loaded a new one.
    let chart = crate::chart_update::refresh(state).await;
    match &chart {
        Err(ChartUpdateError::Store(e)) => {
            state.outage.failed("the chart update", e);
        }
        // Read, but not usable: not the database's outage.
        Err(e) => tracing::error!("{e}"),
        Ok(_) => {}
    }
    let answered = !matches!(chart, Err(ChartUpdateError::Store(_)));
    if areas.is_ok() && answered {
        state.outage.answered();
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
    let span = crate::logging::organisation(&state.config.organisation);
    follow_loop(state).instrument(span).await;
}

/// [`follow`]'s rounds.
async fn follow_loop(state: Arc<AppState>) {
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
                tracing::error!("the audit rule could not judge the areas again: {e}");
            }
            if let Err(e) = crate::holds::rejudge(&state, now).await {
                tracing::error!("the held codes could not be judged again: {e}");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::logging::Captured;
    use tracing::level_filters::LevelFilter;

    #[test]
    fn an_outage_is_one_error_at_its_start_and_one_line_at_its_end() {
        let outage = Outage::default();
        let (captured, guard) = Captured::capture(LevelFilter::DEBUG);
        crate::logging::organisation("aarhus").in_scope(|| {
            outage.answered();
            outage.failed("the active model", &"pool timed out");
            outage.failed("the area settings", &"pool timed out");
            outage.answered();
            outage.answered();
            outage.failed("the chart update", &"pool closed");
        });
        drop(guard);
        let lines: Vec<(String, String)> = captured
            .records()
            .iter()
            .map(|r| {
                let message = r["message"].as_str().unwrap();
                (r["level"].as_str().unwrap().to_owned(), message.to_owned())
            })
            .collect();
        let levels: Vec<&str> = lines.iter().map(|(l, _)| l.as_str()).collect();
        assert_eq!(levels, ["ERROR", "DEBUG", "INFO", "ERROR"], "{lines:?}");
        assert_eq!(lines[2].1, "the database answers again");
        assert!(
            lines[3]
                .1
                .starts_with("cannot read the chart update from the database: pool closed")
        );
        assert!(
            captured
                .records()
                .iter()
                .all(|r| r["span"]["organisation"] == "aarhus")
        );
    }
}
