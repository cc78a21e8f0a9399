//! Held codes in the service: after every review (audit sample or not), each account and cost
//! centre its lines suggested is judged on the lines reviewed in the last
//! `trust.hold_window_days` that suggested it ([`kontera_core::trust::credibly_more`]: corrections
//! credibly above the errors the confidences predicted). A code newly held, or released, is
//! stored with its evidence and served from the next invoice on: a line suggesting a held code
//! (the model's, or the invoice's own account string; not a fixed rule's) goes to review with
//! `recent_change`, naming the evidence. Held codes are judged again
//! hourly (`follow.rs`; daily in a replay), so a hold lifts once its corrections age out.
//!
//! Only `now_ms` is read as the time, so a replay judges exactly as the service did.

use std::collections::BTreeSet;

use kontera_core::precedence::Source;
use kontera_core::screen::{Finding, Reason};
use kontera_core::trust::credibly_more;
use kontera_store::{CodeField, CodeHold, CodeStanding, StoreError, StoredReview};

use crate::clock::DAY_MS;
use crate::corrections::Suggested;
use crate::state::{AppState, AreaSettings};

/// Judges every code the lines of just-stored reviews suggested, once, at `now_ms`; the changes.
pub async fn after_reviews(
    state: &AppState,
    reviews: &[StoredReview],
    now_ms: i64,
) -> Result<Vec<CodeHold>, StoreError> {
    let codes: BTreeSet<(CodeField, String)> = reviews
        .iter()
        .flat_map(|r| &r.lines)
        .flat_map(|l| {
            [
                (CodeField::Account, l.suggested_account.clone()),
                (CodeField::CostCentre, l.suggested_cost_centre.clone()),
            ]
        })
        .filter_map(|(f, c)| Some((f, c?)))
        .collect();
    judge(state, codes.into_iter().collect(), now_ms).await
}

/// Judges again, at `now_ms`, every code held now; the changes.
pub async fn rejudge(state: &AppState, now_ms: i64) -> Result<Vec<CodeHold>, StoreError> {
    let held: Vec<(CodeField, String)> = state.area_settings().held.keys().cloned().collect();
    judge(state, held, now_ms).await
}

/// Judges `codes` at `now_ms`, stores each change and refreshes the settings once if any.
async fn judge(
    state: &AppState,
    codes: Vec<(CodeField, String)>,
    now_ms: i64,
) -> Result<Vec<CodeHold>, StoreError> {
    let days = state.config.trust.hold_window_days;
    if days == 0 {
        return Ok(Vec::new());
    }
    let since = now_ms.saturating_sub(i64::from(days).saturating_mul(DAY_MS));
    let alpha = state.config.trust.adapt_alpha;
    // The store, not this instance's cache: another instance may have changed a hold.
    let asked: Vec<(CodeField, &str)> = codes.iter().map(|(f, c)| (*f, c.as_str())).collect();
    let standings = state.store.code_standings(&asked, since, now_ms).await?;
    let mut changes = Vec::new();
    for ((field, code), standing) in codes.into_iter().zip(standings) {
        let CodeStanding {
            evidence,
            held: was,
        } = standing;
        let held = credibly_more(evidence.corrected, evidence.expected, alpha);
        if held == was {
            continue;
        }
        let shown = kontera_core::cpr::mask(&code).into_owned();
        let message = format!(
            "controllers coded {} of the {} lines suggested {} {shown} in the last {days} days \
             otherwise, where the confidences predicted {:.1}{}",
            evidence.corrected,
            evidence.reviewed,
            field.as_str().replace('_', " "),
            evidence.expected,
            if held {
                ": its use may have changed"
            } else {
                ", no longer credibly more: released"
            }
        );
        let change = CodeHold {
            field,
            code,
            held,
            judged_at: now_ms,
            evidence,
            message,
        };
        state.store.record_code_hold(&change).await?;
        tracing::info!(
            field = change.field.as_str(),
            code = %change.code,
            held = change.held,
            "held codes: {}",
            change.message
        );
        changes.push(change);
    }
    if !changes.is_empty() {
        state.refresh_areas().await?;
    }
    Ok(changes)
}

/// The `recent_change` findings for lines that suggest a held account or cost centre: the
/// model's, and the invoice's own account string (it stays the coding; a person checks it, since
/// controllers keep coding that account otherwise). A fixed rule's coding is an administrator's
/// decision and is never held.
pub fn findings(lines: &[Suggested<'_>], settings: &AreaSettings) -> Vec<Finding> {
    if settings.held.is_empty() {
        return Vec::new();
    }
    let mut out = Vec::new();
    for l in lines.iter().filter(|l| l.source != Source::Rule) {
        for (field, code) in [
            (CodeField::Account, l.account),
            (CodeField::CostCentre, l.cost_centre),
        ] {
            let Some(code) = code else { continue };
            if let Some(message) = settings.held.get(&(field, code.to_owned())) {
                out.push(Finding::new(
                    Reason::RecentChange,
                    format!("Line {}: {message}.", l.line_no),
                ));
            }
        }
    }
    out
}
