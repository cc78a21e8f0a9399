//! Thresholds that follow the audit, in the service: after a controller reviews an audit sample,
//! the area's reviewed audit samples of the last `trust.adapt_window_days` (of decisions by the
//! model in service) and the confidences of its recent eligible invoices are judged by the audit
//! rule ([`kontera_core::trust::ThresholdRule`]: the observed-over-expected error ratio with an
//! exact Poisson bound, never below the area's own threshold, no move without enough evidence).
//! When the threshold it gives is worth a move from the one in force (the area's adapted threshold,
//! or its own when there is none: [`kontera_core::trust::worth_moving`], a thousandth or more),
//! the move is stored with its evidence and served from the next invoice on:
//! [`crate::state::AreaSettings::bar`] serves the higher of the area's own threshold and the
//! adapted one while `trust.adapt` is on.
//!
//! Only `now_ms` is read as the time, never the clock, so a replay of history with a simulated
//! clock judges exactly as the service did.

use kontera_core::trust::{self, Adjustment, Audited, ThresholdRule};
use kontera_store::{StoreError, StoredReview, ThresholdAdjustment};
use serde::Serialize;

use crate::clock::DAY_MS;
use crate::config::Config;
use crate::models::LoadedModel;
use crate::state::AppState;

/// The most recent eligible invoices the rule projects precision over.
pub const STREAM_LIMIT: u32 = 5_000;

/// The audit rule from the configuration: the target is `automation.target_precision`, else the
/// model's default target; the window, the bounds' error level and the audits needed before a
/// move are `trust.adapt_window_days`, `trust.adapt_alpha` and `trust.adapt_min_audits`.
pub fn rule(config: &Config, model: &LoadedModel) -> ThresholdRule {
    ThresholdRule {
        target: config
            .target_precision
            .unwrap_or(model.artifact.policy.default_target),
        alpha: config.trust.adapt_alpha,
        window_days: config.trust.adapt_window_days,
        min_audits: config.trust.adapt_min_audits,
    }
}

/// The first millisecond of the rule's window ending at `now_ms`.
pub fn window_start(rule: &ThresholdRule, now_ms: i64) -> i64 {
    now_ms.saturating_sub(i64::from(rule.window_days).saturating_mul(DAY_MS))
}

/// The audit rule's judgement of an area after a review.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AdjustmentOut {
    pub area: String,
    /// The model judged, `version@checksum12`.
    pub model_version: String,
    /// The area's own threshold (an override, the configuration's or the model's).
    pub base: f32,
    /// The audit rule's threshold for the area before this review (`null`: none).
    pub previous: Option<f32>,
    /// The audit rule's threshold now (above 1: nothing is posted automatically).
    pub threshold: f32,
    /// `too_little_evidence`, `enough_audits` or `credible_breach`.
    pub basis: &'static str,
    /// This review moved the area's threshold (and the move was stored).
    pub changed: bool,
    /// The judgement as one sentence.
    pub message: String,
}

/// Judges the area of a just-stored review of an audit sample at `now_ms`, and stores the
/// area's new threshold when it moved. `None` for other reviews, decisions without an area, with
/// `trust.adapt` off, or when the area's own threshold automates nothing anyway.
pub async fn after_review(
    state: &AppState,
    review: &StoredReview,
    now_ms: i64,
) -> Result<Option<AdjustmentOut>, StoreError> {
    let Some(area) = review.area.as_deref().filter(|_| review.audit) else {
        return Ok(None);
    };
    judge_area(state, area, now_ms).await
}

/// Judges again, at `now_ms`, every area the audit rule holds a threshold for. An area the rule
/// closed draws no audit samples, so no review would judge it again: the service calls this
/// hourly (`follow.rs`) and a replay at the start of every day, so that such an area reopens once
/// its evidence has aged out of the window.
pub async fn rejudge(state: &AppState, now_ms: i64) -> Result<Vec<AdjustmentOut>, StoreError> {
    if !state.config.trust.adapt {
        return Ok(Vec::new());
    }
    let version = state.models.active().label();
    let areas = state.store.current_adjustments(&version).await?;
    let mut judged = Vec::new();
    for area in areas.keys() {
        if let Some(out) = judge_area(state, area, now_ms).await? {
            judged.push(out);
        }
    }
    Ok(judged)
}

/// Judges `area` at `now_ms` and stores its new threshold when it moved.
async fn judge_area(
    state: &AppState,
    area: &str,
    now_ms: i64,
) -> Result<Option<AdjustmentOut>, StoreError> {
    let config = &state.config;
    if !config.trust.adapt {
        return Ok(None);
    }
    let model = state.models.active();
    let (base, _) = state.area_settings().base(config, &model, Some(area));
    if !base.is_finite() {
        return Ok(None);
    }
    let version = model.label();
    let rule = rule(config, &model);
    let (adjustment, pooled) = judge(state, &rule, area, &version, base, now_ms).await?;
    let mut message = rule.explain(&adjustment);
    if pooled {
        message = format!(
            "Fewer than {} audits in {area}, so judged on every area's: {message}",
            rule.min_audits
        );
    }
    // The store, not this instance's cache: another instance may have moved it.
    let previous = state
        .store
        .current_adjustments(&version)
        .await?
        .get(area)
        .copied();
    // The adapted threshold in force, or the base when there is none.
    let in_force = previous.unwrap_or(base);
    let changed = trust::worth_moving(in_force, adjustment.threshold, base);
    if !changed && adjustment.threshold != in_force {
        message = format!(
            "{message} A move of less than {}: the threshold in force, {in_force:.4}, stays.",
            trust::MIN_MOVE
        );
    }
    if changed {
        state
            .store
            .record_adjustment(&stored(
                area,
                &version,
                now_ms,
                &adjustment,
                previous,
                &message,
            ))
            .await?;
        tracing::info!(
            area,
            threshold = crate::logging::decimal(adjustment.threshold),
            previous = previous.map(crate::logging::decimal),
            basis = adjustment.basis.as_str(),
            "the audit rule set the threshold of area {area} to {:.4}: {message}",
            adjustment.threshold
        );
        state.refresh_areas().await?;
    }
    Ok(Some(AdjustmentOut {
        area: area.to_owned(),
        model_version: version,
        base,
        previous,
        threshold: if changed {
            adjustment.threshold
        } else {
            in_force
        },
        basis: adjustment.basis.as_str(),
        changed,
        message,
    }))
}

/// The rule's answer for `area` from the store's audits and eligible invoices of `version` in
/// the window ending at `now_ms`, and whether it judged every area's audits (the area had fewer
/// than the rule's minimum of its own).
pub async fn judge(
    state: &AppState,
    rule: &ThresholdRule,
    area: &str,
    version: &str,
    base: f32,
    now_ms: i64,
) -> Result<(Adjustment, bool), StoreError> {
    let since = window_start(rule, now_ms);
    let mut audits = audited(state, Some(area), version, since).await?;
    // An area with too few audits of its own is judged by the whole organisation's: the ratio
    // of found to predicted errors is the model's, its confidences the area's.
    let pooled = (audits.len() as u64) < rule.min_audits;
    if pooled {
        audits = audited(state, None, version, since).await?;
    }
    let stream = state
        .store
        .eligible_confidences(area, version, since, STREAM_LIMIT)
        .await?;
    Ok((rule.adjust(&audits, &stream, base), pooled))
}

/// The audited outcomes of `area` (`None`: every area) for `version` since `since`.
async fn audited(
    state: &AppState,
    area: Option<&str>,
    version: &str,
    since: i64,
) -> Result<Vec<Audited>, StoreError> {
    let outcomes = state.store.audit_outcomes(area, version, since).await?;
    Ok(outcomes
        .into_iter()
        .map(|(confidence, right)| Audited {
            confidence: confidence as f32,
            right,
        })
        .collect())
}

/// The store's record of a move.
fn stored(
    area: &str,
    version: &str,
    now_ms: i64,
    a: &Adjustment,
    previous: Option<f32>,
    message: &str,
) -> ThresholdAdjustment {
    ThresholdAdjustment {
        id: 0,
        area: area.to_owned(),
        model_version: version.to_owned(),
        adjusted_at: now_ms,
        base: f64::from(a.base),
        previous: previous.map(f64::from),
        threshold: f64::from(a.threshold),
        basis: a.basis.as_str().to_owned(),
        audited: a.evidence.audited,
        errors: a.evidence.errors,
        expected: a.evidence.expected,
        ratio_estimate: a.ratio.map(|r| r.estimate),
        ratio_upper: a.ratio.map(|r| r.upper),
        projected_precision: a.projected_precision,
        automated_share: a.automated_share,
        message: message.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use kontera_core::trust::{Basis, NEVER};

    #[test]
    fn the_rule_is_the_configured_one() {
        let config = Config::default();
        let defaults = ThresholdRule::default();
        assert_eq!(config.trust.adapt_window_days, defaults.window_days);
        assert_eq!(config.trust.adapt_alpha, defaults.alpha);
        assert_eq!(config.trust.adapt_min_audits, defaults.min_audits);
    }

    #[test]
    fn the_window_ends_now() {
        let rule = ThresholdRule {
            window_days: 2,
            ..ThresholdRule::default()
        };
        assert_eq!(window_start(&rule, 10 * DAY_MS), 8 * DAY_MS);
        assert_eq!(window_start(&rule, i64::MIN + 1), i64::MIN);
    }

    #[test]
    fn a_move_is_stored_with_its_evidence() {
        let rule = ThresholdRule {
            min_audits: 3,
            ..ThresholdRule::default()
        };
        let audits = [Audited {
            confidence: 0.99,
            right: false,
        }; 3];
        let a = rule.adjust(&audits, &[0.999, 0.995, 0.99], 0.99);
        assert_eq!(a.basis, Basis::Breach);
        let s = stored("schools", "m@1", 7, &a, None, "why");
        assert_eq!((s.area.as_str(), s.adjusted_at), ("schools", 7));
        assert_eq!(s.threshold as f32, a.threshold);
        assert!(a.threshold > 0.99 && a.threshold <= NEVER);
        assert_eq!(
            (s.audited, s.errors, s.basis.as_str()),
            (3, 3, "credible_breach")
        );
        assert_eq!(s.ratio_upper, a.ratio.map(|r| r.upper));
        assert_eq!(s.previous, None);
    }
}
