//! The circuit breaker in the service: after a controller reviews an audit sample, the area's
//! reviewed audit samples of the last `trust.breaker_window_days` are judged
//! ([`kontera_core::trust::Breaker`]); when the 95% lower bound of their agreement falls below
//! `trust.breaker_floor`, automation pauses for the area (changed by `circuit_breaker`, with
//! the verdict as the reason) from the next invoice on. Resuming is an administrator's decision.

use kontera_core::trust::{Breaker, Verdict};
use kontera_store::{StoreError, StoredReview};

use crate::config::Trust;
use crate::state::AppState;

/// Who the pause is recorded as changed by.
pub const BY: &str = "circuit_breaker";

/// The breaker's rule from the configuration. The configuration checks each setting; a floor a
/// small perfect record cannot clear is allowed (it makes the breaker strict), so the rule is
/// built as configured rather than through [`Breaker::new`].
pub fn rule(trust: &Trust) -> Breaker {
    Breaker {
        floor: trust.breaker_floor,
        window_days: trust.breaker_window_days,
        min_audits: trust.breaker_min_audits,
    }
}

/// The breaker's verdict on one area after a review.
#[derive(Debug, Clone, PartialEq)]
pub struct Judgement {
    pub area: String,
    pub verdict: Verdict,
    /// The verdict as one sentence (the pause's reason when it trips).
    pub message: String,
    /// This review paused the area (it tripped and the area was not paused already).
    pub paused: bool,
}

/// Judges the area of a just-stored review of an audit sample at `now_ms`, and pauses the area
/// when the breaker trips and it is not paused already. `None` for other reviews and for
/// decisions without an area.
pub async fn after_review(
    state: &AppState,
    review: &StoredReview,
    now_ms: i64,
) -> Result<Option<Judgement>, StoreError> {
    let Some(area) = review.area.as_deref().filter(|_| review.audit) else {
        return Ok(None);
    };
    let breaker = rule(&state.config.trust);
    let (audited, agreed) = state
        .store
        .audit_window(area, breaker.window_start(now_ms))
        .await?;
    let verdict = breaker.check(audited, agreed);
    let message = breaker.explain(&verdict);
    let mut paused = false;
    if verdict.trips() {
        // The store, not this instance's cache: another instance may have paused it.
        let already = state
            .store
            .automation()
            .await?
            .iter()
            .any(|a| a.area == area && a.paused);
        if !already {
            state
                .store
                .set_automation(area, true, BY, Some(&message), now_ms)
                .await?;
            paused = true;
            tracing::warn!(
                area,
                "circuit breaker paused automation for area {area}: {message}"
            );
        }
        state.refresh_areas().await?;
    }
    Ok(Some(Judgement {
        area: area.to_owned(),
        verdict,
        message,
        paused,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_rule_is_the_configured_one_even_when_strict() {
        let mut trust = crate::Config::default().trust;
        assert_eq!(rule(&trust), Breaker::default());
        trust.breaker_min_audits = 5;
        trust.breaker_floor = 0.9;
        let strict = rule(&trust);
        assert_eq!(strict.min_audits, 5);
        // A perfect record of five cannot clear 0.9: the strict rule trips on it.
        assert!(strict.check(5, 5).trips());
        assert!(!strict.check(4, 0).trips());
    }
}
