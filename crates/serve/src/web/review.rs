//! The controllers' pages: `/review` (the open queue of their areas, oldest first, filtered by
//! reason) and `/review/{decision_id}` (one invoice: header, why it was not automated, the lines
//! with the suggestion, and the coding form; once reviewed, the comparison with the suggestion).
//!
//! An audit sample looks like any other invoice until it is reviewed: no suggestion, an empty
//! form. After it is reviewed its page shows what the service would have posted beside the
//! controller's coding. Every value is escaped; the one inline script only wires the keyboard
//! shortcut.
//!
//! The invoice's facts include its area's threshold in force (`#threshold`, with `data-source`)
//! and, when the audit rule moved it for the model in service, its latest sentence
//! (`#adjustment`); every invoice of the area shows the same, audit samples too.
//!
//! Stable hooks for browser tests: `#queue` with rows `tr[data-decision]`, `#empty`, `#notice`,
//! `#error`, `#reasons`, `#lines`, `#coding` (the form) with inputs `account-N`, `cost_centre-N`,
//! `vat_code-N`, `#accept`, `#save`, `#comparison` with rows `tr[data-line]`, `#next`,
//! `#threshold`, `#adjustment`.

use std::collections::HashMap;
use std::sync::Arc;

use axum::extract::rejection::{FormRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Extension, Form};
use kontera_store::{AreaScope, Decision, ThresholdAdjustment};
use serde::Deserialize;

use super::escape;
use super::layout::{Nav, error_page, page};
use crate::auth::Principal;
use crate::breaker;
use crate::error::ApiError;
use crate::response::{CodingOut, LineChart};
use crate::review::{self, ChosenValues, Detail, Refused, ReviewOut, Suggestion};
use crate::state::AppState;
use crate::trust::AreaThreshold;

/// The most invoices the queue page lists.
const PAGE_LIMIT: u32 = 200;
/// The candidates shown per field (the API lists them all).
const ALTERNATIVES_SHOWN: usize = 3;

/// The queue's and the invoice page's query: a reason filter, and the invoice just saved.
#[derive(Debug, Default, Deserialize)]
pub struct Params {
    reason: Option<String>,
    saved: Option<String>,
}

impl Params {
    /// The reason filter, when it names a reason code.
    fn reason(&self) -> Option<&str> {
        self.reason
            .as_deref()
            .map(str::trim)
            .filter(|r| review::known_reason(r))
    }
}

/// `?reason=…` (with `first` the separator to start with), or nothing without a filter.
fn reason_query(reason: Option<&str>, first: char) -> String {
    reason
        .map(|r| format!("{first}reason={}", escape(r)))
        .unwrap_or_default()
}

/// A failure reading or writing: logged with its details, a plain page for the user.
fn internal(who: &Principal, context: &str, e: &dyn std::fmt::Display) -> Response {
    let _ = ApiError::internal(context, e);
    error_page(
        StatusCode::INTERNAL_SERVER_ERROR,
        Some(who),
        "The service could not answer this time; reload the page to try again.",
    )
}

fn not_found(who: &Principal) -> Response {
    error_page(
        StatusCode::NOT_FOUND,
        Some(who),
        "There is no such invoice in your areas. Check the link, or ask an administrator for access to its area.",
    )
}

/// `GET /review`: the queue.
pub async fn queue(
    State(state): State<Arc<AppState>>,
    Extension(who): Extension<Principal>,
    params: Result<Query<Params>, QueryRejection>,
) -> Response {
    let params = params.map(|Query(p)| p).unwrap_or_default();
    let scope = review::scope(&who);
    let reason = params.reason();
    let rows = match review::queue(&state, &scope, reason, PAGE_LIMIT).await {
        Ok(rows) => rows,
        Err(e) => return internal(&who, "reading the review queue", &e),
    };
    let counts = match state.store.queue_reasons(&scope).await {
        Ok(c) => c,
        Err(e) => return internal(&who, "counting the review queue", &e),
    };
    let notice = match params.saved.as_deref() {
        Some(id) => saved_notice(&state, &scope, id, rows.is_empty()).await,
        None => None,
    };

    let mut b = String::from("<h1>Review queue</h1>");
    if let Some(n) = notice {
        b.push_str(&n);
    }
    if params
        .reason
        .as_deref()
        .is_some_and(|r| reason.is_none() && !r.is_empty())
    {
        b.push_str(
            "<p class=\"error\" role=\"alert\" id=\"error\">That is not a reason code; \
             showing every invoice.</p>",
        );
    }
    b.push_str("<p class=\"filters\" id=\"filters\"><span class=\"muted\">Show:</span> ");
    let here = |on: bool| {
        if on {
            " class=\"here\" aria-current=\"true\""
        } else {
            ""
        }
    };
    b.push_str(&format!(
        "<a href=\"/review\"{}>All reasons</a>",
        here(reason.is_none())
    ));
    for (code, count) in &counts {
        b.push_str(&format!(
            "<a href=\"/review?reason={}\" data-reason=\"{}\"{}>{} ({count})</a>",
            escape(code),
            escape(code),
            here(reason == Some(code.as_str())),
            escape(&review::reason_label(code))
        ));
    }
    b.push_str("</p>");

    if rows.is_empty() {
        b.push_str(if reason.is_some() {
            "<p class=\"card\" id=\"empty\">No invoices with this reason are waiting. \
             <a href=\"/review\">Show all reasons</a>.</p>"
        } else {
            "<p class=\"card\" id=\"empty\">Nothing to review: every invoice of your areas \
             is coded. New invoices appear here as they arrive.</p>"
        });
    } else {
        b.push_str(
            "<table id=\"queue\"><thead><tr><th>Received</th><th>Supplier</th><th>Number</th>\
             <th class=\"num\">Total</th><th>Area</th><th>Reasons</th></tr></thead><tbody>",
        );
        let suffix = reason_query(reason, '?');
        for row in &rows {
            let id = escape(&row.decision_id);
            let supplier = match &row.supplier_name {
                Some(name) => format!(
                    "{}<br><span class=\"muted\">{}</span>",
                    escape(name),
                    escape(&row.supplier)
                ),
                None => escape(&row.supplier),
            };
            let reasons: String = row
                .reasons
                .iter()
                .map(|r| {
                    format!(
                        "<span class=\"tag\" title=\"{}\" data-reason=\"{}\">{}</span>",
                        escape(&r.message),
                        escape(&r.code),
                        escape(&review::reason_label(&r.code))
                    )
                })
                .collect();
            b.push_str(&format!(
                "<tr data-decision=\"{id}\"><td><a href=\"/review/{id}{suffix}\">{}</a></td>\
                 <td>{supplier}</td><td><a href=\"/review/{id}{suffix}\">{}</a></td>\
                 <td class=\"num\">{} {}</td><td>{}</td><td>{reasons}</td></tr>",
                escape(&review::when(row.received_at)),
                escape(&row.number),
                escape(&row.total),
                escape(&row.currency),
                escape(row.area.as_deref().unwrap_or("—")),
            ));
        }
        b.push_str("</tbody></table>");
        if rows.len() == PAGE_LIMIT as usize {
            b.push_str(&format!(
                "<p class=\"muted\">The oldest {PAGE_LIMIT} are shown; more follow as these are coded.</p>"
            ));
        }
    }
    page("Review queue", Some(&who), Nav::Review, &b).into_response()
}

/// The notice after a saved review: which invoice, and whether the queue is empty now.
async fn saved_notice(
    state: &AppState,
    scope: &AreaScope,
    id: &str,
    queue_empty: bool,
) -> Option<String> {
    let decision = state.store.open_decision(scope, id).await.ok().flatten()?;
    let mut text = format!(
        "Saved your coding of invoice {} from {}.",
        escape(&decision.number),
        escape(&supplier_of(state, &decision.supplier))
    );
    if queue_empty {
        text.push_str(" Nothing else is waiting for review.");
    }
    Some(format!(
        "<p class=\"notice\" id=\"notice\" role=\"status\">{text}</p>"
    ))
}

fn supplier_of(state: &AppState, supplier: &str) -> String {
    review::supplier_name(&state.models.active(), supplier).unwrap_or_else(|| supplier.to_owned())
}

/// `GET /review/{decision_id}`: one invoice.
pub async fn invoice(
    State(state): State<Arc<AppState>>,
    Extension(who): Extension<Principal>,
    Path(id): Path<String>,
    params: Result<Query<Params>, QueryRejection>,
) -> Response {
    let params = params.map(|Query(p)| p).unwrap_or_default();
    let scope = review::scope(&who);
    let (detail, decision) = match review::detail(&state, &scope, &id).await {
        Ok(Some(found)) => found,
        Ok(None) => return not_found(&who),
        Err(e) => return internal(&who, "reading a decision for review", &e),
    };
    let mut view = View::new(&detail, &decision, params.reason());
    match params.saved.as_deref() {
        Some(saved) if saved == id && detail.review.is_some() => {
            let mut notice = "Saved your coding.".to_owned();
            if let Some(paused) = breaker_notice(&state, &decision).await {
                notice.push(' ');
                notice.push_str(&paused);
            }
            view.notice = Some(notice);
        }
        Some(saved) => view.notice_html = saved_notice(&state, &scope, saved, false).await,
        None => {}
    }
    respond(&state, &who, StatusCode::OK, view).await
}

/// When the circuit breaker has paused the decision's area: a sentence saying so.
async fn breaker_notice(state: &AppState, decision: &Decision) -> Option<String> {
    let area = decision.area.as_deref()?;
    let all = state.store.automation().await.ok()?;
    let a = all.iter().find(|a| a.area == area && a.paused)?;
    (a.changed_by == breaker::BY).then(|| {
        format!(
            "Automation for {area} is now paused by the circuit breaker: {}. Every invoice of the area goes to review until an administrator resumes it.",
            a.reason.as_deref().unwrap_or("audited precision fell below the floor")
        )
    })
}

/// `POST /review/{decision_id}`: saves the coding form.
pub async fn submit(
    State(state): State<Arc<AppState>>,
    Extension(who): Extension<Principal>,
    Path(id): Path<String>,
    form: Result<Form<HashMap<String, String>>, FormRejection>,
) -> Response {
    let scope = review::scope(&who);
    let (detail, decision) = match review::detail(&state, &scope, &id).await {
        Ok(Some(found)) => found,
        Ok(None) => return not_found(&who),
        Err(e) => return internal(&who, "reading a decision for review", &e),
    };
    let Ok(Form(fields)) = form else {
        return error_page(
            StatusCode::BAD_REQUEST,
            Some(&who),
            "The form could not be read; reload the invoice and save again.",
        );
    };
    let reason = fields
        .get("reason")
        .map(|r| r.trim())
        .filter(|r| review::known_reason(r));
    let value = |name: &str, line_no: u32| {
        fields
            .get(&format!("{name}-{line_no}"))
            .map(|v| v.trim().to_owned())
            .unwrap_or_default()
    };
    // Accept takes the suggestion as stored, whatever the fields hold; Save takes the fields.
    let accept = fields.get("action").map(String::as_str) == Some("accept");
    let values: Vec<(u32, ChosenValues)> = if accept {
        review::prefill(&decision)
    } else {
        decision
            .lines
            .iter()
            .map(|l| {
                (
                    l.line_no,
                    ChosenValues {
                        account: value("account", l.line_no),
                        cost_centre: value("cost_centre", l.line_no),
                        vat_code: value("vat_code", l.line_no),
                    },
                )
            })
            .collect()
    };
    // Accounts are checked against the chart in force on the invoice's date.
    let chart = state.chart.for_model(&state.models.active());
    let mut lines = Vec::with_capacity(values.len());
    for (line_no, v) in &values {
        match review::check_line(
            &chart.chart,
            decision.issue_date,
            *line_no,
            &v.account,
            Some(&v.cost_centre),
            Some(&v.vat_code),
            |name| format!("{name}-{line_no}"),
        ) {
            Ok(line) => lines.push(line),
            Err(problem) => {
                let mut form = View::new(&detail, &decision, reason);
                form.values = values.clone();
                form.problem = Some((Some(problem.field), problem.message));
                return respond(&state, &who, StatusCode::UNPROCESSABLE_ENTITY, form).await;
            }
        }
    }
    match review::record(&state, &who, &id, lines).await {
        Ok(recorded) => {
            let saved = escape_url(&id);
            if recorded.review.audit {
                // Show the comparison on the invoice's own page.
                return Redirect::to(&format!(
                    "/review/{saved}?saved={saved}{}",
                    reason_query(reason, '&')
                ))
                .into_response();
            }
            let next = match state.store.review_queue(&scope, reason, 1).await {
                Ok(next) => next,
                Err(e) => return internal(&who, "reading the review queue", &e),
            };
            let to = match next.first() {
                Some(n) => format!(
                    "/review/{}?saved={saved}{}",
                    escape_url(&n.decision_id),
                    reason_query(reason, '&')
                ),
                None => format!("/review?saved={saved}{}", reason_query(reason, '&')),
            };
            Redirect::to(&to).into_response()
        }
        Err(refused) => {
            let (status, message) = match refused {
                Refused::NotFound => return not_found(&who),
                Refused::Store(e) => return internal(&who, "storing a review", &e),
                Refused::AlreadyReviewed { reviewer } => (
                    StatusCode::CONFLICT,
                    format!(
                        "This invoice was already reviewed by {reviewer}; your coding was not saved."
                    ),
                ),
                Refused::NotForReview => (
                    StatusCode::CONFLICT,
                    "This invoice was posted automatically; there is nothing to review.".to_owned(),
                ),
                Refused::Lines(message) => (StatusCode::UNPROCESSABLE_ENTITY, message),
            };
            // Show the invoice as it is now (reviewed by someone else, say).
            let (detail, decision) = match review::detail(&state, &scope, &id).await {
                Ok(Some(found)) => found,
                Ok(None) => return not_found(&who),
                Err(e) => return internal(&who, "reading a decision for review", &e),
            };
            let mut form = View::new(&detail, &decision, reason);
            form.values = values;
            form.problem = Some((None, message));
            respond(&state, &who, status, form).await
        }
    }
}

/// Decision ids are `d-` and hex digits; anything else is percent-encoded for a URL path.
fn escape_url(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// What the invoice page shows besides the decision: a notice, a problem with the form, the
/// values to fill in.
struct View<'a> {
    detail: &'a Detail,
    decision: &'a Decision,
    reason: Option<&'a str>,
    /// Plain text.
    notice: Option<String>,
    /// Trusted markup (built escaped).
    notice_html: Option<String>,
    /// The field (None: the whole form) and the message.
    problem: Option<(Option<String>, String)>,
    values: Vec<(u32, ChosenValues)>,
    /// The area's threshold in force and the audit rule's latest move of it.
    threshold: Option<(AreaThreshold, Option<ThresholdAdjustment>)>,
}

impl<'a> View<'a> {
    fn new(detail: &'a Detail, decision: &'a Decision, reason: Option<&'a str>) -> View<'a> {
        View {
            detail,
            decision,
            reason,
            notice: None,
            notice_html: None,
            problem: None,
            values: review::prefill(decision),
            threshold: None,
        }
    }
}

/// The threshold in force for `area` with the model in service, and the audit rule's latest
/// move of it for that model (left out, and logged, when it cannot be read).
async fn area_threshold(
    state: &AppState,
    area: &str,
) -> (AreaThreshold, Option<ThresholdAdjustment>) {
    let model = state.models.active();
    let threshold = {
        let settings = state.area_settings();
        let (config, area) = (&state.config, Some(area));
        AreaThreshold::new(
            settings.threshold(config, &model, area),
            settings.base(config, &model, area).0,
            settings.adapted(config, &model, area),
        )
    };
    let label = model.label();
    let latest = match state
        .store
        .adjustments(&AreaScope::Only(vec![area.to_owned()]), 20)
        .await
    {
        Ok(list) => list.into_iter().find(|a| a.model_version == label),
        Err(e) => {
            tracing::error!(
                area,
                "cannot read the threshold adjustments of area {area}: {e}"
            );
            None
        }
    };
    (threshold, latest.filter(|_| state.config.trust.adapt))
}

/// Renders the invoice page with `status`.
async fn respond(
    state: &AppState,
    who: &Principal,
    status: StatusCode,
    mut f: View<'_>,
) -> Response {
    if let Some(area) = f.decision.area.as_deref() {
        f.threshold = Some(area_threshold(state, area).await);
    }
    // Where "Next invoice" leads once this one is reviewed.
    let next = if f.detail.review.is_some() {
        match state
            .store
            .review_queue(&review::scope(who), f.reason, 1)
            .await
        {
            Ok(next) => Some(match next.first() {
                Some(n) => format!(
                    "/review/{}{}",
                    escape_url(&n.decision_id),
                    reason_query(f.reason, '?')
                ),
                None => format!("/review{}", reason_query(f.reason, '?')),
            }),
            Err(e) => return internal(who, "reading the review queue", &e),
        }
    } else {
        None
    };
    // The accounts of the chart in force valid on the invoice's date: closed ones gone, their
    // successors and new accounts in.
    let accounts: Vec<String> = state
        .chart
        .for_model(&state.models.active())
        .chart
        .valid_on(f.decision.issue_date)
        .map(|a| a.id.as_str().to_owned())
        .collect();
    let body = invoice_body(&f, next.as_deref(), &accounts);
    let title = format!("Invoice {}", f.detail.invoice.number);
    (status, page(&title, Some(who), Nav::Review, &body)).into_response()
}

/// The invoice page's markup.
fn invoice_body(f: &View<'_>, next: Option<&str>, accounts: &[String]) -> String {
    let d = f.detail;
    let inv = &d.invoice;
    let mut b = format!(
        "<p><a href=\"/review{}\">← Review queue</a></p>",
        reason_query(f.reason, '?')
    );
    if let Some(n) = &f.notice_html {
        b.push_str(n);
    } else if let Some(n) = &f.notice {
        b.push_str(&format!(
            "<p class=\"notice\" id=\"notice\" role=\"status\">{}</p>",
            escape(n)
        ));
    }
    if let Some((_, message)) = &f.problem {
        b.push_str(&format!(
            "<p class=\"error\" id=\"error\" role=\"alert\">{}</p>",
            escape(message)
        ));
    }
    let supplier = inv.supplier_name.as_deref().unwrap_or(&inv.supplier);
    b.push_str(&format!(
        "<h1>Invoice {} from {}</h1>",
        escape(&inv.number),
        escape(supplier)
    ));

    // The header.
    let kind = if inv.document_type == "credit_note" {
        "Credit note"
    } else {
        "Invoice"
    };
    let unit = match (&d.unit, &d.unit_name) {
        (Some(id), Some(name)) => format!("{} ({})", escape(name), escape(id)),
        (Some(id), None) => escape(id),
        _ => "—".to_owned(),
    };
    let mut facts = vec![
        (
            "Supplier",
            match &inv.supplier_name {
                Some(name) => format!("{} ({})", escape(name), escape(&inv.supplier)),
                None => escape(&inv.supplier),
            },
        ),
        ("Number", escape(&inv.number)),
        ("Document", kind.to_owned()),
        ("Issue date", escape(&inv.issue_date)),
        ("Received", escape(&review::when(d.received_at))),
        (
            "Net total",
            format!("{} {}", escape(&inv.total), escape(&inv.currency)),
        ),
    ];
    if inv.lines_total != inv.total {
        facts.push((
            "Lines add up to",
            format!("{} {}", escape(&inv.lines_total), escape(&inv.currency)),
        ));
    }
    facts.push(("Area", escape(d.area.as_deref().unwrap_or("—"))));
    facts.push(("Unit", unit));
    if let Some((t, _)) = &f.threshold {
        facts.push(("Area's threshold", threshold_fact(t)));
    }
    b.push_str("<section class=\"card\" id=\"invoice\"><dl class=\"facts\">");
    for (label, value) in facts {
        b.push_str(&format!("<div><dt>{label}</dt><dd>{value}</dd></div>"));
    }
    b.push_str("</dl>");
    if let Some((_, Some(a))) = &f.threshold {
        b.push_str(&format!(
            "<p class=\"muted\" id=\"adjustment\">Threshold moved on {} UTC: {}</p>",
            escape(&review::when(a.adjusted_at)),
            escape(&a.message)
        ));
    }
    b.push_str("</section>");

    // Why it was not automated.
    if !d.reasons.is_empty() {
        b.push_str(
            "<section class=\"card reasons\" id=\"reasons\"><h2>Why it was not automated</h2><ul>",
        );
        for r in &d.reasons {
            b.push_str(&format!(
                "<li data-reason=\"{}\"><span class=\"tag\">{}</span> {}</li>",
                escape(&r.code),
                escape(&r.code),
                escape(&r.message)
            ));
        }
        b.push_str("</ul></section>");
    } else if d.decision == "auto" {
        b.push_str("<p class=\"card\" id=\"reasons\">Posted automatically: nothing to review.</p>");
    }

    // The lines with the suggestion.
    b.push_str(
        "<h2>Lines</h2><table id=\"lines\"><thead><tr><th>Line</th><th>Description</th>\
         <th class=\"num\">Amount</th><th>Suggested coding</th><th>Confidence</th>\
         <th>Alternatives</th><th>Similar invoices</th></tr></thead><tbody>",
    );
    for line in &d.lines {
        let (coding, confidence, alternatives, similar) = match &line.suggestion {
            Some(s) => suggestion_cells(s),
            None => (
                "<span class=\"muted\">No suggestion</span>".to_owned(),
                "—".to_owned(),
                "—".to_owned(),
                "—".to_owned(),
            ),
        };
        b.push_str(&format!(
            "<tr data-line=\"{n}\"><td>{n}</td><td>{}</td><td class=\"num\">{} {}</td>\
             <td>{coding}</td><td>{confidence}</td><td>{alternatives}</td><td>{similar}</td></tr>",
            escape(&line.description),
            escape(&line.net_amount),
            escape(&inv.currency),
            n = line.line_no
        ));
    }
    b.push_str("</tbody></table>");

    match &d.review {
        Some(r) => b.push_str(&comparison(r, next)),
        None if d.decision == "review" => b.push_str(&coding_form(f, accounts)),
        None => {}
    }
    b
}

/// The area's threshold in force, and who set it.
fn threshold_fact(t: &AreaThreshold) -> String {
    let value = match t.threshold {
        Some(v) if v <= 1.0 => format!("{v:.4}"),
        Some(v) => format!("{v:.4} (nothing is posted automatically)"),
        None => "none (nothing is posted automatically)".to_owned(),
    };
    let by = match t.source {
        "audit_rule" => format!(
            "raised by the audit rule from the area's own {}",
            t.base
                .map_or_else(|| "none".to_owned(), |b| format!("{b:.4}"))
        ),
        "override" => "set by an administrator".to_owned(),
        "configuration" => "from the configuration".to_owned(),
        _ => "the model's calibrated threshold".to_owned(),
    };
    format!(
        "<span id=\"threshold\" data-source=\"{}\">{value}</span> <span class=\"muted\">{by}</span>",
        t.source
    )
}

/// The suggestion's cells: coding, confidence with its band, alternatives, similar invoices.
fn suggestion_cells(s: &Suggestion) -> (String, String, String, String) {
    let mut coding = match &s.coding {
        Some(c) => coding_html(Some(c)),
        None => "<span class=\"muted\">Incomplete: see the alternatives</span>".to_owned(),
    };
    if let Some(chart) = &s.chart {
        coding.push_str(&chart_note(chart));
    }
    let confidence = match (s.confidence, s.band.as_deref()) {
        (Some(c), Some(band)) => format!(
            "<span class=\"band-{}\">{:.1}%</span> <span class=\"muted\">{}</span>",
            escape(band),
            f64::from(c) * 100.0,
            escape(band)
        ),
        (Some(c), None) => format!("{:.1}%", f64::from(c) * 100.0),
        _ => "—".to_owned(),
    };
    let alternatives = if s.alternatives.is_empty() {
        "—".to_owned()
    } else {
        s.alternatives
            .iter()
            .map(|a| {
                let candidates = a
                    .candidates
                    .iter()
                    .take(ALTERNATIVES_SHOWN)
                    .map(|c| {
                        format!(
                            "<span class=\"cand\"><span class=\"code\">{}</span> {}</span>",
                            escape(&c.value),
                            share(c.probability)
                        )
                    })
                    .collect::<Vec<_>>()
                    .join(", ");
                format!(
                    "<div class=\"alt\"><span class=\"muted\">{}:</span> {candidates}</div>",
                    escape(&field_label(&a.field))
                )
            })
            .collect()
    };
    let similar = if s.similar_invoices.is_empty() {
        "—".to_owned()
    } else {
        s.similar_invoices
            .iter()
            .map(|id| format!("<span class=\"code\">{}</span>", escape(id)))
            .collect::<Vec<_>>()
            .join(" ")
    };
    (coding, confidence, alternatives, similar)
}

/// A probability as a whole percentage; below half a percent as "<1%".
fn share(p: f32) -> String {
    let pct = f64::from(p) * 100.0;
    if pct < 0.5 {
        "&lt;1%".to_owned()
    } else {
        format!("{pct:.0}%")
    }
}

fn field_label(field: &str) -> String {
    match field {
        "account" => "Account".to_owned(),
        "cost_centre" => "Cost centre".to_owned(),
        "vat_code" => "VAT code".to_owned(),
        other => other.replace('_', " "),
    }
}

/// What the chart update in force did to the suggested account, in words.
fn chart_note(c: &LineChart) -> String {
    let code = |a: &str| format!("<span class=\"code\">{}</span>", escape(a));
    let text = match c.effect.as_str() {
        "mapped" => format!(
            "Chart update: {} {} to the account above",
            code(&c.account),
            escape(&c.via.join(", then "))
        ),
        "closed" => format!(
            "Chart update: {} is closed from {}; choose another account",
            code(&c.account),
            escape(c.on.as_deref().unwrap_or(""))
        ),
        "split" => format!(
            "Chart update: {} is split into {}; choose one",
            code(&c.account),
            c.candidates
                .iter()
                .map(|a| code(a))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        other => format!("Chart update: {} {}", code(&c.account), escape(other)),
    };
    format!("<div class=\"muted\">{text}</div>")
}

/// A coding as `account · cost centre · VAT code`, each labelled; `—` for none.
fn coding_html(c: Option<&CodingOut>) -> String {
    let Some(c) = c else {
        return "<span class=\"muted\">—</span>".to_owned();
    };
    let part = |label: &str, v: &Option<String>| match v {
        Some(v) => format!(
            "<span class=\"muted\">{label}</span> <span class=\"code\">{}</span>",
            escape(v)
        ),
        None => format!("<span class=\"muted\">{label} —</span>"),
    };
    format!(
        "{}<br>{}<br>{}",
        part("Account", &c.account),
        part("Cost centre", &c.cost_centre),
        part("VAT", &c.vat_code)
    )
}

/// The coding form: one row per line, pre-filled with the suggestion; Save (what the fields
/// hold) and, where every line has a suggested account, Accept (the suggestion as stored).
fn coding_form(f: &View<'_>, accounts: &[String]) -> String {
    let d = f.detail;
    let bad = f.problem.as_ref().and_then(|(field, _)| field.as_deref());
    let mut b = format!(
        "<form method=\"post\" action=\"/review/{}\" id=\"coding\" class=\"card\">\
         <h2>Your coding</h2>",
        escape_url(&d.decision_id)
    );
    if let Some(r) = f.reason {
        b.push_str(&format!(
            "<input type=\"hidden\" name=\"reason\" value=\"{}\">",
            escape(r)
        ));
    }
    b.push_str(
        "<table class=\"coding\"><thead><tr><th>Line</th><th>Description</th><th>Account</th>\
         <th>Cost centre</th><th>VAT code</th></tr></thead><tbody>",
    );
    for line in &d.lines {
        let n = line.line_no;
        let v = f
            .values
            .iter()
            .find(|(no, _)| *no == n)
            .map(|(_, v)| v.clone())
            .unwrap_or_default();
        let input = |name: &str, value: &str, label: &str, list: bool| {
            let field = format!("{name}-{n}");
            let invalid = if bad == Some(field.as_str()) {
                " aria-invalid=\"true\" autofocus"
            } else {
                ""
            };
            let list = if list && !accounts.is_empty() {
                " list=\"accounts\""
            } else {
                ""
            };
            format!(
                "<input id=\"{field}\" name=\"{field}\" value=\"{}\" aria-label=\"{label}, line {n}\" \
                 autocomplete=\"off\" spellcheck=\"false\"{list}{invalid}>",
                escape(value)
            )
        };
        b.push_str(&format!(
            "<tr data-line=\"{n}\"><td>{n}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            escape(&line.description),
            input("account", &v.account, "Account", true),
            input("cost_centre", &v.cost_centre, "Cost centre", false),
            input("vat_code", &v.vat_code, "VAT code", false),
        ));
    }
    b.push_str("</tbody></table>");
    if !accounts.is_empty() {
        b.push_str("<datalist id=\"accounts\">");
        for a in accounts {
            b.push_str(&format!("<option value=\"{}\">", escape(a)));
        }
        b.push_str("</datalist>");
    }
    // Accept only where every line has a suggested account to accept, valid in the chart in
    // force on the invoice's date (not one a chart update closed or split).
    let acceptable = !f.decision.audit
        && !d.lines.is_empty()
        && f.decision.lines.iter().all(|l| {
            l.account
                .as_ref()
                .is_some_and(|a| accounts.is_empty() || accounts.contains(a))
        });
    // Save comes first in the markup, so Enter in a field saves what is typed; CSS shows
    // Accept first.
    b.push_str(
        "<div class=\"actions\"><button type=\"submit\" id=\"save\" name=\"action\" value=\"save\">Save coding</button>",
    );
    if acceptable {
        b.push_str(
            "<button type=\"submit\" id=\"accept\" class=\"primary\" name=\"action\" value=\"accept\" \
             accesskey=\"a\">Accept suggestion <kbd>a</kbd></button></div>\
             <p class=\"muted\">Accept posts the suggestion as shown above; press <kbd>a</kbd> \
             (outside the fields) to accept.</p>",
        );
        b.push_str(ACCEPT_SCRIPT);
    } else {
        b.push_str("</div>");
    }
    b.push_str("</form>");
    b
}

/// `a` outside a text field presses Accept (which also has `accesskey="a"`).
const ACCEPT_SCRIPT: &str = "<script>(function(){\
var b=document.getElementById('accept');if(!b)return;\
document.addEventListener('keydown',function(e){\
if(e.key!=='a'||e.ctrlKey||e.metaKey||e.altKey||e.repeat)return;\
var t=e.target;if(t&&(t.isContentEditable||/^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName)))return;\
e.preventDefault();b.click();});})();</script>";

/// The review beside the suggestion; for an audit sample, what would have been posted.
fn comparison(r: &ReviewOut, next: Option<&str>) -> String {
    let differing = r.comparison.iter().filter(|c| !c.matches).count();
    let total = r.comparison.len();
    let (title, suggested_head, intro) = if r.audit {
        (
            "Your coding against the automatic coding",
            "Kontera would have posted",
            "This invoice was a random audit of automatic coding: without the check, Kontera \
             would have posted the coding below without review. Your coding is the answer it is \
             measured against.",
        )
    } else {
        (
            "Your coding against the suggestion",
            "Suggested",
            "The coding is stored for posting.",
        )
    };
    let verdict = if differing == 0 {
        "Your coding agrees on every line.".to_owned()
    } else {
        format!("Your coding differs on {differing} of {total} lines.")
    };
    let mut b = format!(
        "<section class=\"card\" id=\"comparison\" data-audit=\"{}\" data-agreed=\"{}\"><h2>{title}</h2>\
         <p>{intro}</p><p>Reviewed by {} on {} UTC. {verdict}</p>\
         <table><thead><tr><th>Line</th><th>{suggested_head}</th><th>You chose</th><th>Match</th></tr></thead><tbody>",
        r.audit,
        r.agreed,
        escape(&r.reviewer),
        escape(&review::when(r.reviewed_at)),
    );
    for c in &r.comparison {
        let (class, text) = if c.matches {
            ("match", "Same")
        } else {
            ("mismatch", "Different")
        };
        b.push_str(&format!(
            "<tr data-line=\"{}\" data-matches=\"{}\"><td>{}</td><td>{}</td><td>{}</td><td class=\"{class}\">{text}</td></tr>",
            c.line_no,
            c.matches,
            c.line_no,
            coding_html(c.suggested.as_ref()),
            coding_html(Some(&c.chosen)),
        ));
    }
    b.push_str("</tbody></table>");
    if let Some(next) = next {
        b.push_str(&format!(
            "<p><a class=\"button primary\" id=\"next\" href=\"{}\">Next invoice</a></p>",
            escape(next)
        ));
    }
    b.push_str("</section>");
    b
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_percent_encoded_in_urls() {
        assert_eq!(escape_url("d-0a9f"), "d-0a9f");
        assert_eq!(escape_url("a/b?c"), "a%2Fb%3Fc");
        assert_eq!(
            reason_query(Some("credit_note"), '&'),
            "&reason=credit_note"
        );
        assert_eq!(reason_query(None, '?'), "");
        assert_eq!(share(0.004), "&lt;1%");
        assert_eq!(share(0.856), "86%");
    }

    #[test]
    fn the_script_needs_no_escaping_and_skips_fields() {
        assert!(!ACCEPT_SCRIPT.contains("</script><"));
        assert!(ACCEPT_SCRIPT.contains("INPUT|TEXTAREA|SELECT"));
    }
}
