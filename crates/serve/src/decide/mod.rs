//! The decision for one invoice: `auto` only when screening found nothing, every line clears the
//! area's threshold with enough support, and the area is not paused; then a keyed 5% of those go
//! to a blind manual check instead.

use kontera_core::cpr;
use kontera_core::model::calibration::invoice_confidence;
use kontera_core::precedence::{ChartEffect, Coded, Source};
use kontera_core::screen::{Finding, Reason};
/// What is posted: automatically, or by a person (the store's type, so a decision is stored as
/// decided).
pub use kontera_store::Outcome;

/// The thresholds that apply to one invoice.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bar {
    /// Calibrated confidence a line needs.
    pub threshold: f32,
    /// Similar past invoices a model coding needs.
    pub min_support: f32,
}

/// The decision and why.
#[derive(Debug, Clone, PartialEq)]
pub struct Decision {
    pub outcome: Outcome,
    /// Everything but the audit draw said `auto`.
    pub would_auto: bool,
    /// Drawn for the blind audit (then the outcome is `review`).
    pub audit: bool,
    /// The invoice's confidence, the chance that every line is right (the product of the
    /// lines'), when only the threshold or the pause could stand between the invoice and
    /// automation (screening passed, every line coded with enough support): what the audit rule
    /// projects precision over.
    pub eligible: Option<f32>,
    /// Screening findings first, then the decision's own reasons.
    pub reasons: Vec<Finding>,
}

/// The reason an invoice of `area` goes to review while automation is paused there.
pub fn paused(area: Option<&str>) -> Finding {
    Finding::new(
        Reason::AreaPaused,
        format!(
            "Automation is paused for {}.",
            area.unwrap_or("this invoice's area")
        ),
    )
}

/// A line's confidence band for people: High clears the threshold, Medium is at least 0.8.
pub fn band(confidence: f32, bar: &Bar) -> &'static str {
    if confidence >= bar.threshold {
        "high"
    } else if confidence >= 0.8 {
        "medium"
    } else {
        "low"
    }
}

/// Decides from the screening `findings`, each line's coding, the `bar`, why automation is
/// `closed` in the area now (paused, not yet opened for the year: [`paused`],
/// [`crate::opening::finding`]), and whether the invoice was `drawn` in the audit draw.
pub fn decide(
    findings: Vec<Finding>,
    lines: &[(u32, Coded)],
    bar: &Bar,
    area: Option<&str>,
    closed: Vec<Finding>,
    drawn: bool,
) -> Decision {
    let mut reasons = findings;
    let screened_ok = reasons.is_empty();
    let mut lines_ok = true;
    let mut coded_ok = true;
    for (line_no, coded) in lines {
        if coded.labels.iter().any(Option::is_none) {
            lines_ok = false;
            coded_ok = false;
            reasons.push(Finding::new(
                Reason::NoPrediction,
                format!("Line {line_no}: nothing similar in the history to code it from."),
            ));
            continue;
        }
        if coded.confidence < bar.threshold {
            lines_ok = false;
            reasons.push(Finding::new(
                Reason::BelowThreshold,
                format!(
                    "Line {line_no}: confidence {:.3} is below the threshold {:.3}{}.",
                    coded.confidence,
                    bar.threshold,
                    area.map(|a| format!(" for {a}")).unwrap_or_default()
                ),
            ));
            // Only the model's own coding is ever flagged (never a rule's or the invoice's).
            if coded.source == Source::Model && coded.prediction.recent_change {
                reasons.push(Finding::new(
                    Reason::RecentChange,
                    format!(
                        "Line {line_no}: the supplier's latest invoices to this unit were coded \
                         differently from its history or from this suggestion; check whether \
                         the coding has changed."
                    ),
                ));
            }
        }
        // Codings fixed entirely by the invoice or a rule have infinite support.
        if coded.support < bar.min_support {
            lines_ok = false;
            coded_ok = false;
            reasons.push(Finding::new(
                Reason::LowSupport,
                format!(
                    "Line {line_no}: only {:.0} similar past invoices support the coding (at least \
                     {:.0} needed).",
                    coded.support, bar.min_support
                ),
            ));
        }
    }
    if lines.is_empty() {
        lines_ok = false;
    }
    let open = closed.is_empty();
    reasons.extend(closed);
    // Each line may clear the threshold while the whole invoice does not.
    let whole = invoice_confidence(lines.iter().map(|(_, c)| c.confidence));
    if lines_ok && lines.len() > 1 && whole < bar.threshold {
        lines_ok = false;
        reasons.push(Finding::new(
            Reason::BelowThreshold,
            format!(
                "Every line clears the threshold {:.3}{}, but the chance that all {} lines are \
                 right is {whole:.3}.",
                bar.threshold,
                area.map(|a| format!(" for {a}")).unwrap_or_default(),
                lines.len()
            ),
        ));
    }
    let eligible = (screened_ok && coded_ok && !lines.is_empty()).then_some(whole);
    let would_auto = screened_ok && lines_ok && open;
    let audit = would_auto && drawn;
    if audit {
        reasons.push(Finding::new(
            Reason::SampleCheck,
            "Selected at random for a manual check of the automatic coding.",
        ));
    }
    Decision {
        outcome: if would_auto && !audit {
            Outcome::Auto
        } else {
            Outcome::Review
        },
        would_auto,
        audit,
        eligible,
        reasons,
    }
}

/// The reason a line goes to a person when the chart update in force closed or split its
/// account; `None` for an account mapped to its one successor (that line is decided as usual).
/// These findings join screening's before [`decide`]: such an invoice is never automated, nor
/// drawn for the audit.
pub fn chart_finding(line_no: u32, source: Source, effect: &ChartEffect) -> Option<Finding> {
    let whose = match source {
        Source::Rule => "a fixed rule's coding",
        Source::AccountingCost => "the invoice's own account",
        Source::Model => "the model's suggestion",
    };
    let shown = |a: &kontera_core::AccountId| cpr::mask(a.as_str()).into_owned();
    match effect {
        ChartEffect::Mapped { .. } => None,
        ChartEffect::Closed { account, on } => Some(Finding::new(
            Reason::AccountClosed,
            format!(
                "Line {line_no}: account {} ({whose}) is closed from {on} without a successor in \
                 the chart update in force; choose the account to post it to.",
                shown(account)
            ),
        )),
        ChartEffect::Split {
            account,
            candidates,
        } => Some(Finding::new(
            Reason::AccountSplit,
            format!(
                "Line {line_no}: account {} ({whose}) is split into {} by the chart update in \
                 force; choose the one the line belongs to.",
                shown(account),
                candidates.iter().map(shown).collect::<Vec<_>>().join(", ")
            ),
        )),
    }
}

/// The reason every invoice goes to a person while the chart update in force cannot be applied
/// to the active model (not expected; see `chart_update::InForce::problem`).
pub fn chart_problem(problem: &str) -> Finding {
    Finding::new(
        Reason::AccountClosed,
        format!(
            "The chart update in force cannot be applied to the active model ({}); no invoice is \
             posted automatically until an analyst loads it again.",
            cpr::mask(problem)
        ),
    )
}

#[cfg(test)]
mod tests;
