//! The controllers' review workspace, shared by the API (`/v1/reviews`) and the pages
//! (`/review`): the caller's areas as a store scope, the queue with its reasons, a decision as a
//! controller sees it (the suggestion withheld from an unreviewed audit sample), checking a
//! proposed coding against the accounts the service knows, and recording the review (then the
//! circuit breaker judges the area).
//!
//! Every store call passes the caller's [`AreaScope`], so another area's invoice is answered
//! exactly like a missing one.

use crate::trust::money_text;
use chrono::{DateTime, NaiveDate};
use kontera_core::screen::Reason;
use kontera_core::{AccountId, Chart, CostCentre, Cvr, Mapping, VatCode, cpr};
use kontera_store::{AreaScope, Decision, NewReview, ReviewLine, StoreError, StoredReview};
use rust_decimal::Decimal;
use serde::Serialize;

use crate::adapt::{self, AdjustmentOut};
use crate::auth::Principal;
use crate::breaker::{self, Judgement};
use crate::clock;
use crate::holds;
use crate::models::LoadedModel;
use crate::opening;
use crate::response::{Alternatives, CodingOut, InvoiceDecision, LineChart, LineOut, ReasonOut};
use crate::state::AppState;

/// Queue entries listed when the caller names no limit.
pub const DEFAULT_LIMIT: u32 = 50;
/// The most queue entries one request lists.
pub const MAX_LIMIT: u32 = 500;

/// The areas the caller may see: every area for a controller assigned `*` (and for the roles
/// that see everything), else exactly the controller's areas.
pub fn scope(who: &Principal) -> AreaScope {
    if who.all_areas() {
        AreaScope::All
    } else {
        AreaScope::Only(who.areas.clone())
    }
}

/// Whether `code` is one of the reason codes decisions carry.
pub fn known_reason(code: &str) -> bool {
    Reason::ALL.iter().any(|r| r.code() == code)
}

/// Every reason code, in the vocabulary's order, for error messages.
pub fn reason_codes() -> String {
    Reason::ALL
        .iter()
        .map(|r| r.code())
        .collect::<Vec<_>>()
        .join(", ")
}

/// A short label for a reason code, for filters and table cells ("duplicate_number" →
/// "Duplicate number").
pub fn reason_label(code: &str) -> String {
    let words: Vec<String> = code
        .split('_')
        .filter(|w| !w.is_empty())
        .map(|w| match w {
            "cpr" | "cvr" | "vat" => w.to_ascii_uppercase(),
            w => w.to_owned(),
        })
        .collect();
    let mut label = words.join(" ");
    if let Some(first) = label.get(0..1) {
        let upper = first.to_ascii_uppercase();
        label.replace_range(0..1, &upper);
    }
    label
}

/// One entry of the review queue, as the API lists it and the page shows it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct QueueRow {
    pub decision_id: String,
    /// When the invoice arrived, unix ms.
    pub received_at: i64,
    pub number: String,
    /// `invoice` or `credit_note`.
    pub document_type: String,
    /// The supplier identity (CVR, VAT id or creditor number).
    pub supplier: String,
    /// The creditor's name, when the model's master data knows the supplier.
    pub supplier_name: Option<String>,
    /// `YYYY-MM-DD`.
    pub issue_date: String,
    /// Exact, as a decimal string.
    pub total: String,
    pub currency: String,
    pub area: Option<String>,
    pub unit: Option<String>,
    /// Why it was sent to review, with the sentences the decision gave.
    pub reasons: Vec<ReasonOut>,
}

/// The open queue within the caller's scope, oldest first, with the stored reason sentences.
pub async fn queue(
    state: &AppState,
    scope: &AreaScope,
    reason: Option<&str>,
    limit: u32,
) -> Result<Vec<QueueRow>, StoreError> {
    let items = state.store.review_queue(scope, reason, limit).await?;
    let model = state.models.active();
    let mut rows = Vec::with_capacity(items.len());
    for item in items {
        // The sentences are in the stored answer; a decision that vanished or cannot be read
        // keeps its codes with their labels.
        let stored = state.store.open_decision(scope, &item.decision_id).await?;
        let reasons = match stored.as_ref().and_then(stored_answer) {
            Some(answer) => answer.reasons,
            None => item
                .reasons
                .iter()
                .map(|code| ReasonOut {
                    code: code.clone(),
                    message: reason_label(code),
                })
                .collect(),
        };
        rows.push(QueueRow {
            supplier_name: supplier_name(&model, &item.supplier),
            decision_id: item.decision_id,
            received_at: item.received_at,
            number: item.number,
            document_type: item.document_type,
            supplier: item.supplier,
            issue_date: item.issue_date.to_string(),
            total: money_text(item.total),
            currency: item.currency,
            area: item.area,
            unit: item.unit,
            reasons,
        });
    }
    Ok(rows)
}

/// The answer stored with the decision, if it reads back as one.
fn stored_answer(decision: &Decision) -> Option<InvoiceDecision> {
    match serde_json::from_str(&decision.response) {
        Ok(answer) => Some(answer),
        Err(e) => {
            tracing::warn!(
                decision_id = %decision.decision_id,
                "the stored answer of decision {} cannot be read ({e}); showing it without \
                 suggestions",
                decision.decision_id
            );
            None
        }
    }
}

/// The creditor's name for a supplier identity (a CVR number, else a creditor number).
pub fn supplier_name(model: &LoadedModel, supplier: &str) -> Option<String> {
    let directory = &model.artifact.directory;
    let entry = Cvr::parse(supplier)
        .ok()
        .and_then(|cvr| directory.creditor_by_cvr(cvr))
        .or_else(|| directory.creditor(supplier))?;
    Some(cpr::mask(&entry.name).into_owned())
}

/// A decision as a controller sees it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Detail {
    pub decision_id: String,
    /// `review`, or `auto` for an invoice posted automatically (nothing to review).
    pub decision: String,
    /// When the invoice arrived, unix ms.
    pub received_at: i64,
    pub invoice: Header,
    pub area: Option<String>,
    pub unit: Option<String>,
    /// The unit's name, when the model's master data knows it.
    pub unit_name: Option<String>,
    pub model_version: String,
    /// Why it was not automated.
    pub reasons: Vec<ReasonOut>,
    pub lines: Vec<DetailLine>,
    /// The review, once there is one.
    pub review: Option<ReviewOut>,
}

/// The invoice's facts.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Header {
    pub number: String,
    pub document_type: String,
    pub supplier: String,
    pub supplier_name: Option<String>,
    /// `YYYY-MM-DD`.
    pub issue_date: String,
    /// Net total, exact, as a decimal string.
    pub total: String,
    /// The lines' net amounts added up, as a decimal string.
    pub lines_total: String,
    pub currency: String,
}

/// One invoice line with the suggestion for it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DetailLine {
    pub line_no: u32,
    pub description: String,
    /// Exact, as a decimal string.
    pub net_amount: String,
    /// The suggested coding with its confidence; `null` when there is none to show.
    pub suggestion: Option<Suggestion>,
}

/// What the service suggests for a line.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Suggestion {
    /// The complete coding, when the model could code every field.
    pub coding: Option<CodingOut>,
    pub confidence: Option<f32>,
    /// `high`, `medium` or `low`.
    pub band: Option<String>,
    /// `accounting_cost`, `rule` or `model`.
    pub source: Option<String>,
    pub alternatives: Vec<Alternatives>,
    pub similar_invoices: Vec<String>,
    /// What the chart update in force did to the suggested account, when it did anything.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub chart: Option<LineChart>,
}

/// A stored review with its comparison.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReviewOut {
    pub decision_id: String,
    pub reviewer: String,
    /// Unix ms.
    pub reviewed_at: i64,
    /// The invoice was a blind audit sample: the service would have posted it as suggested.
    pub audit: bool,
    /// Every line matched the suggested coding.
    pub agreed: bool,
    /// The coding the controller chose, per line.
    pub lines: Vec<ChosenLine>,
    /// Per line: the suggested coding (for an audit sample, what would have been posted) beside
    /// the chosen one.
    pub comparison: Vec<Compared>,
    /// The circuit breaker's verdict, when this review tripped it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub breaker: Option<BreakerOut>,
    /// The audit rule's move of the area's threshold, when this review made one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub adjustment: Option<AdjustmentOut>,
}

/// The controller's coding of a line.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ChosenLine {
    pub line_no: u32,
    pub account: String,
    pub cost_centre: Option<String>,
    pub vat_code: Option<String>,
}

/// One line of the comparison.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Compared {
    pub line_no: u32,
    /// `null` when nothing was suggested.
    pub suggested: Option<CodingOut>,
    pub chosen: CodingOut,
    pub matches: bool,
}

/// The breaker's verdict after a review.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BreakerOut {
    pub tripped: bool,
    pub area: String,
    pub message: String,
}

impl ReviewOut {
    /// The answer to a stored review, with what it set off (for an audit sample).
    pub fn new(review: &StoredReview, after: Option<&AfterReview>) -> ReviewOut {
        let judgement = after.and_then(|a| a.judgement.as_ref());
        ReviewOut {
            decision_id: review.decision_id.clone(),
            reviewer: review.reviewer.clone(),
            reviewed_at: review.reviewed_at,
            audit: review.audit,
            agreed: review.agreed,
            lines: review
                .lines
                .iter()
                .map(|l| ChosenLine {
                    line_no: l.line_no,
                    account: l.account.clone(),
                    cost_centre: l.cost_centre.clone(),
                    vat_code: l.vat_code.clone(),
                })
                .collect(),
            comparison: review
                .lines
                .iter()
                .map(|l| {
                    let suggested = CodingOut {
                        account: l.suggested_account.clone(),
                        cost_centre: l.suggested_cost_centre.clone(),
                        vat_code: l.suggested_vat_code.clone(),
                    };
                    let any = suggested.account.is_some()
                        || suggested.cost_centre.is_some()
                        || suggested.vat_code.is_some();
                    Compared {
                        line_no: l.line_no,
                        suggested: any.then_some(suggested),
                        chosen: CodingOut {
                            account: Some(l.account.clone()),
                            cost_centre: l.cost_centre.clone(),
                            vat_code: l.vat_code.clone(),
                        },
                        matches: l.matches,
                    }
                })
                .collect(),
            breaker: judgement.filter(|j| j.verdict.trips()).map(|j| BreakerOut {
                tripped: true,
                area: j.area.clone(),
                message: j.message.clone(),
            }),
            adjustment: after
                .and_then(|a| a.adjustment.as_ref())
                .filter(|a| a.changed)
                .cloned(),
        }
    }
}

/// The decision `id` within `scope` as a controller sees it; `None` when it is not stored or of
/// another area.
pub async fn detail(
    state: &AppState,
    scope: &AreaScope,
    id: &str,
) -> Result<Option<(Detail, Decision)>, StoreError> {
    let Some(decision) = state.store.open_decision(scope, id).await? else {
        return Ok(None);
    };
    let review = state.store.review(scope, id).await?;
    let model = state.models.active();
    Ok(Some((build(&model, &decision, review.as_ref()), decision)))
}

/// Builds the controller's view of a stored decision and its review.
pub fn build(model: &LoadedModel, decision: &Decision, review: Option<&StoredReview>) -> Detail {
    let answer = stored_answer(decision);
    // An audit sample's suggestion stays hidden until it is reviewed (the stored answer
    // withholds it anyway); the comparison then shows what would have been posted.
    let blind = decision.audit;
    let reasons = match &answer {
        Some(a) => a.reasons.clone(),
        None => decision
            .reasons
            .iter()
            .map(|code| ReasonOut {
                code: code.clone(),
                message: reason_label(code),
            })
            .collect(),
    };
    let suggestion = |line_no: u32| -> Option<Suggestion> {
        if blind {
            return None;
        }
        let out: &LineOut = answer
            .as_ref()?
            .lines
            .iter()
            .find(|l| l.line_no == line_no)?;
        if out.withheld {
            return None;
        }
        Some(Suggestion {
            coding: out.coding.clone(),
            confidence: out.confidence,
            band: out.band.clone(),
            source: out.source.clone(),
            alternatives: out.alternatives.clone(),
            similar_invoices: out.similar_invoices.clone(),
            chart: out.chart.clone(),
        })
    };
    let lines_total: Decimal = decision.lines.iter().map(|l| l.net_amount).sum();
    let unit_name = decision.unit.as_deref().and_then(|u| {
        model
            .artifact
            .directory
            .unit(u)
            .map(|e| cpr::mask(&e.name).into_owned())
    });
    Detail {
        decision_id: decision.decision_id.clone(),
        decision: decision.outcome.as_str().to_owned(),
        received_at: decision.received_at,
        invoice: Header {
            number: decision.number.clone(),
            document_type: decision.document_type.clone(),
            supplier: decision.supplier.clone(),
            supplier_name: supplier_name(model, &decision.supplier),
            issue_date: decision.issue_date.to_string(),
            total: money_text(decision.total),
            lines_total: money_text(lines_total),
            currency: decision.currency.clone(),
        },
        area: decision.area.clone(),
        unit: decision.unit.clone(),
        unit_name,
        model_version: decision.model_version.clone(),
        reasons,
        lines: decision
            .lines
            .iter()
            .map(|l| DetailLine {
                line_no: l.line_no,
                description: l.description.clone(),
                net_amount: money_text(l.net_amount),
                suggestion: suggestion(l.line_no),
            })
            .collect(),
        review: review.map(|r| ReviewOut::new(r, None)),
    }
}

/// The values to pre-fill the coding form with, per line: the stored suggestion, or nothing
/// for an unreviewed audit sample.
pub fn prefill(decision: &Decision) -> Vec<(u32, ChosenValues)> {
    decision
        .lines
        .iter()
        .map(|l| {
            let values = if decision.audit {
                ChosenValues::default()
            } else {
                ChosenValues {
                    account: l.account.clone().unwrap_or_default(),
                    cost_centre: l.cost_centre.clone().unwrap_or_default(),
                    vat_code: l.vat_code.clone().unwrap_or_default(),
                }
            };
            (l.line_no, values)
        })
        .collect()
}

/// A line's coding as entered (strings, possibly empty).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ChosenValues {
    pub account: String,
    pub cost_centre: String,
    pub vat_code: String,
}

/// A proposed line that cannot be stored: which field and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invalid {
    /// `missing_field`, `invalid_field` or `unknown_account`.
    pub code: &'static str,
    /// The field as the caller named it (`lines[0].account`, `account-1`).
    pub field: String,
    pub message: String,
}

/// Checks one proposed line: an account that is a well-formed code and, when the service knows
/// accounts, one of `chart` (the chart in force) valid on `on` (the invoice's date); cost centre
/// and VAT code well-formed when given. `field` names a field as the caller sent it.
pub fn check_line(
    chart: &Chart,
    on: NaiveDate,
    line_no: u32,
    account: &str,
    cost_centre: Option<&str>,
    vat_code: Option<&str>,
    field: impl Fn(&str) -> String,
) -> Result<ReviewLine, Invalid> {
    let invalid = |name: &str, message: String| Invalid {
        code: "invalid_field",
        field: field(name),
        message,
    };
    if account.trim().is_empty() {
        return Err(Invalid {
            code: "missing_field",
            ..invalid(
                "account",
                format!("line {line_no} needs an account; enter the account to post it to"),
            )
        });
    }
    let account = AccountId::parse(account)
        .map_err(|e| invalid("account", format!("line {line_no}: {e}")))?;
    if !chart.is_empty() && !chart.is_valid(&account, on) {
        return Err(Invalid {
            code: "unknown_account",
            ..invalid("account", not_valid(chart, &account, on, line_no))
        });
    }
    let cost_centre = cost_centre
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .map(|c| {
            CostCentre::parse(c)
                .map(|c| c.as_str().to_owned())
                .map_err(|e| invalid("cost_centre", format!("line {line_no}: {e}")))
        })
        .transpose()?;
    let vat_code = vat_code
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .map(|c| {
            VatCode::parse(c)
                .map(|c| c.as_str().to_owned())
                .map_err(|e| invalid("vat_code", format!("line {line_no}: {e}")))
        })
        .transpose()?;
    Ok(ReviewLine {
        line_no,
        account: account.as_str().to_owned(),
        cost_centre,
        vat_code,
    })
}

/// Why `account` cannot take a line of an invoice dated `on`, and what to do.
fn not_valid(chart: &Chart, account: &AccountId, on: NaiveDate, line_no: u32) -> String {
    let shown = |a: &AccountId| format!("{:?}", cpr::mask(a.as_str()));
    let ends = chart
        .get(account)
        .and_then(|e| e.valid_to)
        .map(|d| format!(" from {d}"))
        .unwrap_or_default();
    match chart.current(account, on) {
        Mapping::Mapped { to, .. } => format!(
            "line {line_no}: account {} is replaced by {}{ends} in the chart update in force; \
             post the line to {}",
            shown(account),
            shown(&to),
            shown(&to)
        ),
        Mapping::Closed { on: closed } => format!(
            "line {line_no}: account {} is closed from {closed} in the chart update in force; \
             choose the account that takes its costs",
            shown(account)
        ),
        Mapping::Ambiguous { candidates } => format!(
            "line {line_no}: account {} is split{ends} into {} in the chart update in force; \
             choose the one the line belongs to",
            shown(account),
            candidates.iter().map(shown).collect::<Vec<_>>().join(", ")
        ),
        Mapping::NotYetValid => format!(
            "line {line_no}: account {} may be used only from {} on, after the invoice's date \
             {on}; choose an account valid on that date",
            shown(account),
            chart
                .get(account)
                .map_or_else(String::new, |e| e.valid_from.to_string())
        ),
        Mapping::Unchanged | Mapping::Unknown => format!(
            "line {line_no}: account {} is not an account of the current chart as the service \
             knows it; choose one from the list of accounts, or ask an analyst to train a model \
             that knows it or to load a chart update that adds it",
            shown(account)
        ),
    }
}

/// Why a review was not stored.
#[derive(Debug)]
pub enum Refused {
    /// No such decision in the caller's areas.
    NotFound,
    /// Posted automatically: nothing to review.
    NotForReview,
    /// Reviewed already, by this user.
    AlreadyReviewed { reviewer: String },
    /// The lines are not exactly the decision's, or a value is empty.
    Lines(String),
    /// The store failed.
    Store(StoreError),
}

/// What the review of an audit sample set off in its area: the circuit breaker's verdict and
/// the audit rule's judgement of the threshold.
#[derive(Debug, Clone, PartialEq)]
pub struct AfterReview {
    pub judgement: Option<Judgement>,
    pub adjustment: Option<AdjustmentOut>,
}

/// A stored review and what it set off.
#[derive(Debug)]
pub struct Recorded {
    pub review: StoredReview,
    /// For an audit sample, the circuit breaker's and the audit rule's judgements of its area.
    pub after_review: Option<AfterReview>,
}

/// Records `lines` as `who`'s review of decision `id` (within `who`'s areas), now; see
/// [`record_at`].
pub async fn record(
    state: &AppState,
    who: &Principal,
    id: &str,
    lines: Vec<ReviewLine>,
) -> Result<Recorded, Refused> {
    let (_, now) = clock::now();
    record_at(state, who, id, lines, now).await
}

/// Records `lines` as `who`'s review of decision `id` (within `who`'s areas) at `now` (unix ms;
/// a replay of history passes its simulated clock); see [`record_all_at`].
pub async fn record_at(
    state: &AppState,
    who: &Principal,
    id: &str,
    lines: Vec<ReviewLine>,
    now: i64,
) -> Result<Recorded, Refused> {
    let mut recorded = record_all_at(state, who, vec![(id.to_owned(), lines)], now)
        .await
        .map_err(|e| match e {
            StoreError::UnknownDecision { .. } => Refused::NotFound,
            StoreError::NotForReview { .. } => Refused::NotForReview,
            StoreError::AlreadyReviewed { reviewer, .. } => Refused::AlreadyReviewed { reviewer },
            e @ (StoreError::LinesMismatch { .. } | StoreError::InvalidReview { .. }) => {
                Refused::Lines(e.to_string())
            }
            e => Refused::Store(e),
        })?;
    Ok(recorded.pop().expect("one review recorded"))
}

/// Records `reviews` (a decision id and its lines each, within `who`'s areas) as `who`'s, at
/// `now`, all or nothing in one write ([`kontera_store::Store::record_reviews`]). Then, once
/// for each area of the audit samples among them, the circuit breaker judges the area and the
/// audit rule its threshold ([`adapt::after_review`]); their judgements go with the area's last
/// audit sample. Last, the held codes the reviews suggested are judged once. A judgement that
/// fails to read or write is logged and skipped: the reviews are stored either way.
pub async fn record_all_at(
    state: &AppState,
    who: &Principal,
    reviews: Vec<(String, Vec<ReviewLine>)>,
    now: i64,
) -> Result<Vec<Recorded>, StoreError> {
    let new: Vec<NewReview> = reviews
        .into_iter()
        .map(|(decision_id, lines)| NewReview {
            decision_id,
            reviewer: who.name.clone(),
            reviewed_at: now,
            lines,
        })
        .collect();
    let stored = state.store.record_reviews(&scope(who), &new).await?;
    let mut after: Vec<Option<AfterReview>> = vec![None; stored.len()];
    // Each audited area once, judged with its last audit sample of the batch.
    let mut last: Vec<(&str, usize)> = Vec::new();
    for (i, review) in stored.iter().enumerate() {
        if let Some(area) = review.area.as_deref().filter(|_| review.audit) {
            match last.iter_mut().find(|(a, _)| *a == area) {
                Some(entry) => entry.1 = i,
                None => last.push((area, i)),
            }
        }
    }
    for (_, i) in last {
        let review = &stored[i];
        let id = &review.decision_id;
        let judgement = match breaker::after_review(state, review, now).await {
            Ok(j) => j,
            Err(e) => {
                tracing::error!(
                    decision_id = %id,
                    "the circuit breaker could not judge after the review of {id}: {e}; the \
                     review is stored"
                );
                None
            }
        };
        let adjustment = match adapt::after_review(state, review, now).await {
            Ok(a) => a,
            Err(e) => {
                tracing::error!(
                    decision_id = %id,
                    "the audit rule could not judge the threshold after the review of {id}: {e}; \
                     the review is stored"
                );
                None
            }
        };
        after[i] = (judgement.is_some() || adjustment.is_some()).then_some(AfterReview {
            judgement,
            adjustment,
        });
    }
    if let Err(e) = holds::after_reviews(state, &stored, now).await {
        tracing::error!(
            "the held codes could not be judged after {} reviews: {e}; the reviews are stored",
            stored.len()
        );
    }
    if let Err(e) = opening::after_reviews(state, &stored, now).await {
        tracing::error!(
            "the year openings could not be judged after {} reviews: {e}; the reviews are stored",
            stored.len()
        );
    }
    Ok(stored
        .into_iter()
        .zip(after)
        .map(|(review, after_review)| Recorded {
            review,
            after_review,
        })
        .collect())
}

/// Unix ms as `YYYY-MM-DD HH:MM` (UTC).
pub fn when(ms: i64) -> String {
    DateTime::from_timestamp_millis(ms)
        .map(|t| t.format("%Y-%m-%d %H:%M").to_string())
        .unwrap_or_else(|| ms.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use kontera_store::Role;

    #[test]
    fn scope_follows_the_controllers_areas() {
        let mut who = Principal {
            name: "c".into(),
            role: Role::Controller,
            areas: vec!["schools".into()],
            session: false,
            organisation: None,
        };
        assert_eq!(scope(&who), AreaScope::Only(vec!["schools".into()]));
        who.areas.push("*".into());
        assert_eq!(scope(&who), AreaScope::All);
        who.areas.clear();
        assert_eq!(scope(&who), AreaScope::Only(vec![]));
    }

    #[test]
    fn reason_labels_read_as_words() {
        assert_eq!(reason_label("duplicate_number"), "Duplicate number");
        assert_eq!(reason_label("cpr_in_text"), "CPR in text");
        assert_eq!(reason_label("supplier_cvr_invalid"), "Supplier CVR invalid");
        assert_eq!(reason_label("vat_mismatch"), "VAT mismatch");
        assert_eq!(reason_label(""), "");
        assert!(known_reason("sample_check") && !known_reason("sample"));
        assert!(reason_codes().starts_with("required_field_missing, "));
    }

    #[test]
    fn times_are_shown_in_utc_minutes() {
        assert_eq!(when(0), "1970-01-01 00:00");
        assert_eq!(when(1_768_478_400_000), "2026-01-15 12:00");
    }
}
