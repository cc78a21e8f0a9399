//! `/dashboard`: the trust dashboard for controllers (their areas), analysts and administrators
//! (every area). Headline figures, the paused areas and why, the automation rate per month
//! against its target, audited precision per month with 95% intervals against the breaker's
//! floor and the promise, and a table per area and month. The figures are
//! [`crate::trust::dashboard`]'s, the same as `GET /v1/dashboard` answers with.
//!
//! Below the charts, the drift signals of the model in service (`#drift`: one card per signal,
//! `#signal-unseen_suppliers`, `#signal-closed_accounts`, `#signal-audited_precision`, with class
//! `warn` past its threshold; `#drift-months`, the table per month, a cell past its threshold
//! with class `warn`; `#drift-precision-chart`, the precision trend's `<svg>`) and the models in
//! service (`#models`, a table with one row per model version).
//!
//! Below the per-area table (whose last column is the threshold in force, `span.threshold` with
//! `data-source`, tagged when the audit rule set it), the audit rule's moves of the thresholds
//! (`#adjustments`: its rule in `#threshold-rule`, a table with one `tr[data-area]` per move).
//!
//! Element ids for tests: `#paused` (always present), `#automation-chart`, `#precision-chart`
//! (each wrapping its `<svg>`), `#drift`, `#models`, `#areas` (the table), `#adjustments`.

use std::fmt::Write as _;
use std::sync::Arc;

use axum::Extension;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chrono::DateTime;
use rust_decimal::Decimal;

use super::chart::{Audits, automation_chart, precision_chart};
use super::escape;
use super::layout::{self, Nav, error_page};
use crate::auth::Principal;
use crate::clock;
use crate::state::AppState;
use crate::trust::drift::{AUDITED_PRECISION, CLOSED_ACCOUNTS, UNSEEN_SUPPLIERS};
use crate::trust::{self, AreaThreshold, Dashboard, DriftMonth, Figures, Precision, money_text};

pub async fn page(
    State(state): State<Arc<AppState>>,
    Extension(who): Extension<Principal>,
) -> Response {
    let (_, now) = clock::now();
    match trust::dashboard(&state, &who, now).await {
        Ok(d) => page_of(&d, &who).into_response(),
        Err(e) => {
            tracing::error!("internal error while reading the dashboard figures: {e}");
            error_page(
                StatusCode::INTERNAL_SERVER_ERROR,
                Some(&who),
                "the figures could not be read; try again in a moment",
            )
        }
    }
}

/// The whole page for `d`.
fn page_of(d: &Dashboard, who: &Principal) -> axum::response::Html<String> {
    let mut b = String::new();
    b.push_str("<h1>Trust dashboard</h1>");
    let whose = if d.all_areas {
        "All areas".to_owned()
    } else if d.scope.is_empty() {
        "You have no areas yet; an administrator assigns them".to_owned()
    } else {
        format!("Your areas: {}", escape(&d.scope.join(", ")))
    };
    let _ = write!(
        b,
        "<p class=\"muted\">{whose}. Invoices count in the month they arrived (UTC), audits in \
         the month their invoice arrived. Year 1 of operation is {}.</p>",
        d.start_year
    );
    paused(&mut b, d);
    headline(&mut b, d);

    b.push_str("<h2>Automation per month</h2>");
    let automation: Vec<(String, f64, Option<f64>)> = d
        .months
        .iter()
        .map(|m| (m.month.clone(), m.automation_rate.unwrap_or(0.0), m.target))
        .collect();
    let _ = write!(
        b,
        "<figure id=\"automation-chart\" class=\"card chart\">{}<figcaption class=\"muted\">Share \
         of invoices coded automatically per month; the dashed line is the target for the year \
         of operation.</figcaption></figure>",
        automation_chart(&automation)
    );

    b.push_str("<h2>Audited precision per month</h2>");
    let precision: Vec<(String, Option<Audits>)> = d
        .months
        .iter()
        .map(|m| {
            let audits = m.precision.map(|p| (p.estimate, p.lo, p.hi, m.audited));
            (m.month.clone(), audits)
        })
        .collect();
    let _ = write!(
        b,
        "<figure id=\"precision-chart\" class=\"card chart\">{}<figcaption class=\"muted\">Share \
         of audited automatic codings a controller agreed with, with 95% intervals; red dashed: \
         the circuit breaker's floor ({}), green: the promised precision ({}).</figcaption></figure>",
        precision_chart(&precision, d.breaker.floor, d.promised_precision),
        pct(d.breaker.floor),
        pct(d.promised_precision)
    );

    drift(&mut b, d);
    models(&mut b, d);
    areas_table(&mut b, d);
    adjustments(&mut b, d);
    breaker(&mut b, d);
    layout::page("Trust dashboard", Some(who), Nav::Dashboard, &b)
}

/// The areas still waiting for their year's first reviews, as a sentence; empty when none.
fn waiting(d: &Dashboard) -> String {
    if d.waiting.is_empty() {
        return String::new();
    }
    let names: Vec<String> = d.waiting.iter().map(|a| escape(a)).collect();
    format!(
        "<p id=\"waiting\"><strong class=\"waiting\">Waiting for this year's first reviews: \
         {}.</strong> An area posts automatically in a new year only once controllers have \
         reviewed enough of its invoices of that year (reason <code>year_opening</code>).</p>",
        names.join(", ")
    )
}

/// The paused areas and why: a prominent box when any is paused, a quiet line otherwise; and
/// the areas waiting for their year's first reviews.
fn paused(b: &mut String, d: &Dashboard) {
    if d.paused.is_empty() {
        let quiet = if d.waiting.is_empty() {
            "No area is paused: automatic coding runs wherever it qualifies."
        } else {
            "No area is paused."
        };
        let _ = write!(
            b,
            "<section id=\"paused\" class=\"card\"><h2>Paused areas</h2>\
             <p class=\"muted\">{quiet}</p>{}</section>",
            waiting(d)
        );
        return;
    }
    let _ = write!(
        b,
        "<section id=\"paused\" class=\"card alert\" role=\"alert\"><h2>Paused areas: {}</h2><ul>",
        d.paused.len()
    );
    for p in &d.paused {
        let by = if p.circuit_breaker {
            "the circuit breaker".to_owned()
        } else {
            escape(&p.changed_by)
        };
        let reason = p
            .reason
            .as_deref()
            .map_or_else(|| "no reason given".to_owned(), escape);
        let _ = write!(
            b,
            "<li><strong class=\"paused\">{}</strong> paused by {by} on {}: \
             <span class=\"reason\">{reason}</span></li>",
            escape(&p.area),
            when(p.changed_at)
        );
    }
    let _ = write!(
        b,
        "</ul><p>Every invoice of a paused area goes to review until an administrator resumes \
         automation.</p>{}</section>",
        waiting(d)
    );
}

/// The four headline figures.
fn headline(b: &mut String, d: &Dashboard) {
    b.push_str("<div class=\"grid headline\">");
    let m = &d.this_month;
    let _ = write!(
        b,
        "<div class=\"card\" id=\"this-month\"><div class=\"muted\">Automation in {}</div>\
         <div class=\"figure\">{}</div><div>{} of {} invoices · target {}</div></div>",
        escape(&m.month),
        rate(m.automation_rate),
        m.auto,
        m.invoices,
        rate(m.target)
    );
    let t = &d.total;
    let since = d
        .months
        .first()
        .map_or_else(String::new, |m| format!(" since {}", escape(&m.month)));
    let _ = write!(
        b,
        "<div class=\"card\" id=\"overall\"><div class=\"muted\">Automation overall{since}</div>\
         <div class=\"figure\">{}</div><div>{} of {} invoices · this year's target {}</div></div>",
        rate(t.automation_rate),
        t.auto,
        t.invoices,
        rate(m.target)
    );
    let (figure, detail) = match t.precision {
        Some(p) => (
            pct(p.estimate),
            format!(
                "95% interval {}–{}, {} audited",
                pct_number(p.lo),
                pct(p.hi),
                t.audited
            ),
        ),
        None => ("–".to_owned(), "no audits yet".to_owned()),
    };
    let _ = write!(
        b,
        "<div class=\"card\" id=\"precision\"><div class=\"muted\">Audited precision overall</div>\
         <div class=\"figure\">{figure}</div><div>{detail}{} · promised {}, breaker floor {}</div></div>",
        pending(t),
        pct(d.promised_precision),
        pct(d.breaker.floor),
    );
    let _ = write!(
        b,
        "<div class=\"card\" id=\"savings\"><div class=\"muted\">Estimated savings</div>\
         <div class=\"figure\">{}</div><div>{} in {} · at {} per automatic invoice</div></div>",
        amount(t.savings, d.currency),
        amount(m.savings, d.currency),
        escape(&m.month),
        amount(d.saving_per_invoice, d.currency)
    );
    b.push_str("</div>");
}

/// The drift signals: a card per signal over the period, a table per month, the precision
/// trend.
fn drift(b: &mut String, d: &Dashboard) {
    let dr = &d.drift;
    let period = if dr.since_activation {
        format!("since its activation on {}", when(dr.since))
    } else {
        "over the last twelve months (it was never activated: it serves from the configuration)"
            .to_owned()
    };
    let _ = write!(
        b,
        "<section id=\"drift\"><h2>Drift signals</h2><p class=\"muted\">Whether the invoices \
         arriving still look like those the model in service, <span class=\"code\">{}</span>, \
         was trained on, {period}.</p><div class=\"grid signals\">",
        escape(&dr.model)
    );
    for s in &dr.signals {
        let warn = if s.warning { " warn" } else { "" };
        let (figure, detail) = if s.signal == AUDITED_PRECISION {
            match s.interval {
                Some(p) => (
                    pct(p.estimate),
                    format!(
                        "{} of {} audits agreed · 95% interval {}–{} · warning when wholly \
                         below the promised {}",
                        s.count,
                        s.of,
                        pct_number(p.lo),
                        pct(p.hi),
                        pct(s.threshold)
                    ),
                ),
                None => (
                    "–".to_owned(),
                    format!(
                        "no audits yet · warning when the interval is wholly below the promised {}",
                        pct(s.threshold)
                    ),
                ),
            }
        } else {
            let of = if s.signal == UNSEEN_SUPPLIERS {
                "invoices"
            } else {
                "predicted accounts"
            };
            (
                rate(s.share),
                format!(
                    "{} of {} {of} · warning above {}",
                    s.count,
                    s.of,
                    pct(s.threshold)
                ),
            )
        };
        let flag = if s.warning {
            " <span class=\"tag warn\">warning</span>"
        } else {
            ""
        };
        let _ = write!(
            b,
            "<div class=\"card signal{warn}\" id=\"signal-{}\"><div class=\"muted\">{}{flag}</div>\
             <div class=\"figure\">{figure}</div><div>{}</div><p class=\"muted\">{}</p></div>",
            s.signal,
            escape(s.title),
            escape(&detail),
            escape(s.explanation)
        );
    }
    b.push_str("</div>");

    b.push_str(
        "<table id=\"drift-months\"><thead><tr><th>Month</th><th class=\"num\">Invoices</th>\
         <th class=\"num\">From unseen suppliers</th><th class=\"num\">Predicted accounts</th>\
         <th class=\"num\">Closed in the current chart</th><th>Audited precision</th></tr>\
         </thead><tbody>",
    );
    for m in &dr.months {
        let cell = |signal: &'static str| {
            if m.warnings.contains(&signal) {
                " class=\"num warn\""
            } else {
                " class=\"num\""
            }
        };
        let _ = write!(
            b,
            "<tr><td>{}</td><td class=\"num\">{}</td><td{}>{}</td><td class=\"num\">{}</td>\
             <td{}>{}</td><td{}>{}</td></tr>",
            escape(&m.month),
            m.invoices,
            cell(UNSEEN_SUPPLIERS),
            share_text(m.unseen_suppliers, m.unseen_supplier_share),
            m.predicted_accounts,
            cell(CLOSED_ACCOUNTS),
            share_text(m.closed_accounts, m.closed_account_share),
            if m.warnings.contains(&AUDITED_PRECISION) {
                " class=\"warn\""
            } else {
                ""
            },
            drift_precision_text(m)
        );
    }
    b.push_str("</tbody></table>");

    let trend: Vec<(String, Option<Audits>)> = dr
        .months
        .iter()
        .map(|m| {
            let audits = m.precision.map(|p| (p.estimate, p.lo, p.hi, m.audited));
            (m.month.clone(), audits)
        })
        .collect();
    let _ = write!(
        b,
        "<figure id=\"drift-precision-chart\" class=\"card chart\">{}<figcaption class=\"muted\">\
         Audited precision per month of the period, with 95% intervals; red dashed: the circuit \
         breaker's floor ({}), green: the promised precision ({}).</figcaption></figure></section>",
        precision_chart(&trend, d.breaker.floor, d.promised_precision),
        pct(d.breaker.floor),
        pct(d.promised_precision)
    );
}

/// "3 (30.0%)", or "0" without a share.
fn share_text(count: u64, share: Option<f64>) -> String {
    match share {
        Some(s) => format!("{count} ({})", pct(s)),
        None => count.to_string(),
    }
}

/// A drift month's audited precision, "96.0% (86.5–98.9%, n=50)" or "no audits".
fn drift_precision_text(m: &DriftMonth) -> String {
    match m.precision {
        Some(Precision { estimate, lo, hi }) => format!(
            "{} ({}–{}, n={})",
            pct(estimate),
            pct_number(lo),
            pct(hi),
            m.audited
        ),
        None => "<span class=\"muted\">no audits</span>".to_owned(),
    }
}

/// One row per model version: when it served and who activated it, what it decided.
fn models(b: &mut String, d: &Dashboard) {
    b.push_str(
        "<section id=\"models\"><h2>Models in service</h2><p class=\"muted\">Each invoice \
         records the model version that decided it; the activation log says when each served and \
         who put it in service.</p><table><thead><tr><th>Model</th><th>In service</th>\
         <th>Activated by</th><th class=\"num\">Decisions</th><th class=\"num\">Automatic</th>\
         <th class=\"num\">Rate</th><th class=\"num\">Audited</th><th class=\"num\">Agreed</th>\
         <th>Audited precision</th></tr></thead><tbody>",
    );
    for m in &d.models {
        let tag = if m.active {
            " <span class=\"tag active\">in service</span>"
        } else {
            ""
        };
        let (mut served, mut by) = (Vec::new(), Vec::new());
        for p in &m.periods {
            let to = p.to.map_or_else(|| "now".to_owned(), when);
            served.push(format!("{} – {to}", when(p.from)));
            by.push(match &p.activated_by {
                Some(name) => {
                    let note = p.note.as_deref().map_or_else(String::new, |n| {
                        format!(" <span class=\"muted\">({})</span>", escape(n))
                    });
                    format!("{}{note}", escape(name))
                }
                None => "<span class=\"muted\">the configuration</span>".to_owned(),
            });
        }
        if served.is_empty() {
            served.push(
                "<span class=\"muted\">from the configuration; no decisions yet</span>".to_owned(),
            );
        }
        let t = &m.total;
        let _ = write!(
            b,
            "<tr{}><td><span class=\"code\">{}</span>{tag}</td><td>{}</td><td>{}</td>\
             <td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>\
             <td class=\"num\">{}</td><td class=\"num\">{}</td><td>{}{}</td></tr>",
            if m.active { " class=\"active\"" } else { "" },
            escape(&m.label),
            served.join("<br>"),
            by.join("<br>"),
            t.invoices,
            t.auto,
            rate(t.automation_rate),
            t.audited,
            t.agreed,
            precision_text(t),
            pending(t)
        );
    }
    b.push_str("</tbody></table></section>");
}

/// One row per area and month.
fn areas_table(b: &mut String, d: &Dashboard) {
    b.push_str(
        "<h2>Per area and month</h2><table id=\"areas\"><thead><tr><th>Area</th><th>Month</th>\
         <th class=\"num\">Invoices</th><th class=\"num\">Automatic</th><th class=\"num\">Rate</th>\
         <th class=\"num\">Target</th><th class=\"num\">Audit samples</th>\
         <th>Audited precision</th><th class=\"num\">Savings</th><th>Threshold now</th></tr>\
         </thead><tbody>",
    );
    let mut rows = 0;
    for area in &d.areas {
        let name = match &area.area {
            Some(a) => escape(a),
            None => "<span class=\"muted\">(no area)</span>".to_owned(),
        };
        let by_breaker = d
            .paused
            .iter()
            .any(|p| p.circuit_breaker && area.area.as_deref() == Some(p.area.as_str()));
        let (tag, class) = match (area.paused, by_breaker) {
            (true, true) => (
                " <span class=\"tag breaker\">paused by the breaker</span>",
                " class=\"paused breaker\"",
            ),
            (true, false) => (
                " <span class=\"tag paused\">paused</span>",
                " class=\"paused\"",
            ),
            _ => ("", ""),
        };
        let threshold = area
            .threshold
            .map_or_else(String::new, |t| threshold_cell(&t));
        for m in &area.months {
            rows += 1;
            let _ = write!(
                b,
                "<tr{class}><td>{name}{tag}</td><td>{}</td><td class=\"num\">{}</td>\
                 <td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>\
                 <td class=\"num\">{}</td><td>{}{}</td><td class=\"num\">{}</td>\
                 <td>{threshold}</td></tr>",
                escape(&m.month),
                m.invoices,
                m.auto,
                rate(m.automation_rate),
                rate(m.target),
                m.audit_samples,
                precision_text(m),
                pending(m),
                amount(m.savings, d.currency)
            );
        }
        if area.months.is_empty() {
            rows += 1;
            let _ = write!(
                b,
                "<tr{class}><td>{name}{tag}</td><td colspan=\"8\" class=\"muted\">no invoices \
                 yet</td><td>{threshold}</td></tr>"
            );
        }
    }
    if rows == 0 {
        b.push_str("<tr><td colspan=\"10\" class=\"muted\">No invoices yet.</td></tr>");
    }
    b.push_str("</tbody></table>");
}

/// An area's threshold in force, tagged when the audit rule set it.
fn threshold_cell(t: &AreaThreshold) -> String {
    let tag = if t.by_audit_rule() {
        let base = t
            .base
            .map_or_else(|| "none".to_owned(), |b| format!("{b:.4}"));
        format!(
            " <span class=\"tag warn\">set by the audit rule</span> <span class=\"muted\">(own {base})</span>"
        )
    } else {
        format!(" <span class=\"muted\">{}</span>", source_label(t.source))
    };
    format!(
        "<span class=\"threshold\" data-source=\"{}\">{}</span>{tag}",
        t.source,
        threshold_text(t.threshold.map(f64::from))
    )
}

/// Where a threshold comes from, in words.
fn source_label(source: &str) -> &'static str {
    match source {
        "override" => "set by an administrator",
        "configuration" => "from the configuration",
        "model" => "the model's",
        _ => "set by the audit rule",
    }
}

/// A threshold with four decimals; above 1 (or none) nothing is automated.
fn threshold_text(t: Option<f64>) -> String {
    match t {
        Some(t) if t <= 1.0 => format!("{t:.4}"),
        Some(t) => format!("{t:.4} (nothing automated)"),
        None => "none (nothing automated)".to_owned(),
    }
}

/// The audit rule and its moves of the thresholds, newest first.
fn adjustments(b: &mut String, d: &Dashboard) {
    let r = &d.threshold_rule;
    let rule = if r.enabled {
        format!(
            "The audit rule raises an area's threshold when its blind audits of the last {} days \
             show credibly more errors than the confidences promised, so that the {} lower bound \
             of precision stays at or above {}; it lowers it again as the audits recover, never \
             below the area's own threshold, and moves only on enough evidence (at least {} \
             audits, which predicted at least {:.1} errors or show credibly more errors than \
             predicted).",
            r.window_days,
            pct(r.confidence),
            pct(r.target),
            r.min_audits,
            r.min_expected
        )
    } else {
        "The audit rule is off (<span class=\"code\">trust.adapt = false</span>): thresholds \
         do not follow the audits."
            .to_owned()
    };
    let _ = write!(
        b,
        "<section id=\"adjustments\"><h2>Threshold adjustments</h2>\
         <p id=\"threshold-rule\" class=\"muted\">{rule}</p>"
    );
    if d.adjustments.is_empty() {
        b.push_str("<p class=\"muted\">The audit rule has not moved a threshold.</p></section>");
        return;
    }
    b.push_str(
        "<table><thead><tr><th>Area</th><th>When</th><th>Threshold</th><th>Model</th>\
         <th>Evidence</th></tr></thead><tbody>",
    );
    for a in &d.adjustments {
        let _ = write!(
            b,
            "<tr data-area=\"{area}\" data-basis=\"{}\"><td>{area}</td><td>{}</td>\
             <td>{} → {}</td><td><span class=\"code\">{}</span></td><td>{}</td></tr>",
            escape(&a.basis),
            when(a.adjusted_at),
            threshold_text(Some(f64::from(a.from))),
            threshold_text(Some(f64::from(a.to))),
            escape(&a.model_version),
            escape(&a.message),
            area = escape(&a.area),
        );
    }
    b.push_str("</tbody></table></section>");
}

/// The breaker's rule and each area's standing.
fn breaker(b: &mut String, d: &Dashboard) {
    let r = &d.breaker;
    let _ = write!(
        b,
        "<h2>Circuit breaker</h2><p id=\"breaker\">Automation pauses for an area when the 95% \
         lower bound of its audited precision over the last {} days falls below {}, once at \
         least {} audits were reviewed in that time.</p><ul class=\"breaker\">",
        r.window_days,
        pct(r.floor),
        r.min_audits
    );
    for area in &d.areas {
        if let (Some(name), Some(standing)) = (&area.area, &area.breaker) {
            let _ = write!(
                b,
                "<li><strong>{}</strong>: {}</li>",
                escape(name),
                escape(&standing.explanation)
            );
        }
    }
    b.push_str("</ul>");
}

/// "96.0% (86.5–98.9%, n=50)", or "no audits yet".
fn precision_text(f: &Figures) -> String {
    match f.precision {
        Some(Precision { estimate, lo, hi }) => format!(
            "{} ({}–{}, n={})",
            pct(estimate),
            pct_number(lo),
            pct(hi),
            f.audited
        ),
        None => "no audits yet".to_owned(),
    }
}

/// " · 3 awaiting review" when audit samples are not reviewed yet.
fn pending(f: &Figures) -> String {
    if f.pending_audits == 0 {
        String::new()
    } else {
        format!(
            " <span class=\"muted\">· {} awaiting review</span>",
            f.pending_audits
        )
    }
}

fn rate(r: Option<f64>) -> String {
    r.map_or_else(|| "–".to_owned(), pct)
}

fn pct(share: f64) -> String {
    format!("{}%", pct_number(share))
}

fn pct_number(share: f64) -> String {
    format!("{:.1}", share * 100.0)
}

/// "4,500.00 DKK": digits grouped in thousands, the exact amount.
fn amount(value: Decimal, currency: &str) -> String {
    let text = money_text(value);
    let (sign, digits) = match text.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", text.as_str()),
    };
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
    let mut grouped = String::new();
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    let point = if fraction.is_empty() { "" } else { "." };
    format!("{sign}{grouped}{point}{fraction} {}", escape(currency))
}

/// "2026-01-03 12:00 UTC".
fn when(ms: i64) -> String {
    DateTime::from_timestamp_millis(ms).map_or_else(
        || "an unknown time".to_owned(),
        |t| t.format("%Y-%m-%d %H:%M UTC").to_string(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn figures_read_well() {
        assert_eq!(amount(Decimal::from(4_500), "DKK"), "4,500.00 DKK");
        assert_eq!(
            amount(Decimal::from(-1_234_567), "DKK"),
            "-1,234,567.00 DKK"
        );
        assert_eq!(amount(Decimal::new(4_550, 2), "DKK"), "45.50 DKK");
        assert_eq!(amount(Decimal::ZERO, "DKK"), "0.00 DKK");
        assert_eq!(when(0), "1970-01-01 00:00 UTC");
        let f = Figures {
            month: "2026-01".to_owned(),
            invoices: 100,
            auto: 50,
            would_auto: 60,
            automation_rate: Some(0.5),
            target: Some(0.2),
            audit_samples: 50,
            audited: 50,
            agreed: 48,
            pending_audits: 0,
            precision: Some(Precision {
                estimate: 0.96,
                lo: 0.8654,
                hi: 0.9890,
            }),
            savings: Decimal::from(2_250),
        };
        assert_eq!(precision_text(&f), "96.0% (86.5–98.9%, n=50)");
        assert_eq!(rate(None), "–");
    }
}
