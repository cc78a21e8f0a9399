//! Coding one received invoice: look up its unit and creditor, screen it, code every line
//! through the precedence chain and the chart update in force, decide, and prepare the record to
//! store and the answer.
//!
//! [`prepare`] is the service's entry (it asks the store for look-alike invoices first);
//! [`decide_received`] is the decision itself, a pure function of the invoice, its look-alikes
//! and a [`Setting`], so a replay of history (`crate::replay`) decides exactly as the service.

use chrono::NaiveDate;
use kontera_core::cpr;
use kontera_core::model::{Field, LineEvidence, ModelScratch};
use kontera_core::precedence::{Chain, ChainLine, ChartEffect, Coded};
use kontera_core::screen::{self, DeclaredTotals, DuplicateFacts, Finding, Subject};
use kontera_intake::Received;
use kontera_store::{self as store, DuplicateHit, DuplicateMatch, DuplicateQuery, GroupReview};
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

use crate::audit::AuditDraw;
use crate::chart_update::InForce;
use crate::clock::DAY_MS;
use crate::config::Config;
use crate::corrections::{self, Suggested};
use crate::decide::{self, Bar};
use crate::error::ApiError;
use crate::identity;
use crate::lookup::Lookup;
use crate::models::LoadedModel;
use crate::response::{
    Alternatives, Candidate, CodingOut, InvoiceDecision, InvoiceRef, LineChart, LineOut, ReasonOut,
};
use crate::state::{AppState, AreaSettings};

/// An invoice coded and decided, not yet stored.
#[derive(Debug)]
pub struct Prepared {
    pub record: store::Decision,
    pub response: InvoiceDecision,
}

/// Everything a decision depends on besides the invoice and its look-alikes: the configuration
/// (screening, rules, thresholds), the chart in force for the model, the areas' pauses and
/// thresholds, and the audit draw.
#[derive(Debug, Clone, Copy)]
pub struct Setting<'a> {
    pub config: &'a Config,
    pub chart: &'a InForce,
    pub areas: &'a AreaSettings,
    pub audit: &'a AuditDraw,
}

/// What the store holds that bears on one invoice: the earlier invoices it may duplicate, and the
/// latest reviewed lines of its supplier × unit (see [`crate::corrections`]).
#[derive(Debug, Clone, Default)]
pub struct Past {
    pub duplicates: Vec<DuplicateHit>,
    pub reviews: Vec<GroupReview>,
}

/// What identifies a received invoice to the store: its idempotency key and decision id, the
/// supplier, the number as stored and the total duplicate checks compare.
#[derive(Debug, Clone)]
pub struct Identity {
    pub key: String,
    pub decision_id: String,
    /// The supplier's identity, when the invoice names one.
    pub supplier: Option<String>,
    /// The supplier, else the key: what duplicate checks match on.
    pub supplier_key: String,
    /// The number, CPR-masked.
    pub number: String,
    pub total: Decimal,
}

impl Identity {
    /// `organisation`: the store's (see [`identity::decision_id`]).
    pub fn of(received: &Received, organisation: Option<&str>) -> Identity {
        let invoice = &received.invoice;
        let key = identity::key(received);
        let supplier = identity::supplier(received);
        Identity {
            decision_id: identity::decision_id(organisation, &key, invoice.issue_date),
            supplier_key: supplier.clone().unwrap_or_else(|| key.clone()),
            supplier,
            number: cpr::mask(&invoice.number).into_owned(),
            total: received
                .totals
                .tax_exclusive
                .unwrap_or_else(|| invoice.total_net()),
            key,
        }
    }

    /// The look-up of earlier invoices this one may duplicate.
    pub fn duplicate_query<'a>(
        &'a self,
        received: &'a Received,
        window_days: u32,
    ) -> DuplicateQuery<'a> {
        let invoice = &received.invoice;
        DuplicateQuery {
            key: &self.key,
            supplier: &self.supplier_key,
            document_type: invoice.document_type.as_str(),
            number: &self.number,
            issue_date: invoice.issue_date,
            total: self.total,
            window_days,
        }
    }
}

/// Codes and decides `received` with `model`, as of `today`, received at `now_ms`: what the
/// store holds of its past ([`Past`]), then [`decide_received`] in the service's current setting.
pub async fn prepare(
    state: &AppState,
    model: &LoadedModel,
    received: &Received,
    today: NaiveDate,
    now_ms: i64,
) -> Result<Prepared, ApiError> {
    let id = Identity::of(received, state.store.organisation());
    prepare_as(state, model, received, id, today, now_ms).await
}

/// [`prepare`] with the invoice's [`Identity`] worked out already (by a caller that needs it
/// first).
pub async fn prepare_as(
    state: &AppState,
    model: &LoadedModel,
    received: &Received,
    id: Identity,
    today: NaiveDate,
    now_ms: i64,
) -> Result<Prepared, ApiError> {
    let mut prepared = prepare_all(state, model, vec![(received, id, now_ms)], today).await?;
    Ok(prepared.pop().expect("one invoice prepared"))
}

/// [`prepare_as`] for several invoices of `today`, each with its identity and the moment it is
/// received: the store is asked about their pasts together (two statements, not two per
/// invoice), then each is decided as it would be alone. None of them is compared with another
/// of them — a caller with invoices that may duplicate each other prepares them apart (the
/// replay cuts its groups so).
pub async fn prepare_all(
    state: &AppState,
    model: &LoadedModel,
    invoices: Vec<(&Received, Identity, i64)>,
    today: NaiveDate,
) -> Result<Vec<Prepared>, ApiError> {
    let config = &state.config;
    let window = config.screening.duplicate_window_days;
    let duplicate_queries: Vec<DuplicateQuery<'_>> = invoices
        .iter()
        .map(|(received, id, _)| id.duplicate_query(received, window))
        .collect();
    let days = i64::from(config.trust.recent_change_days);
    let group_reviews = async {
        if days == 0 {
            return Ok::<_, store::StoreError>(vec![Vec::new(); invoices.len()]);
        }
        let lookup = Lookup::new(model);
        let queries: Vec<store::GroupQuery<'_>> = invoices
            .iter()
            .map(|(received, id, now_ms)| {
                let unit = lookup
                    .unit(
                        received.invoice.buyer_gln,
                        received.buyer.unit_id.as_deref(),
                    )
                    .map(|u| u.id);
                let since = now_ms.saturating_sub(days.saturating_mul(DAY_MS));
                (id.supplier_key.as_str(), unit, since)
            })
            .collect();
        state.store.group_reviews_of(&queries).await
    };
    // Two reads on two reader connections at once: the decisions wait for the slower only.
    let (duplicates, reviews) =
        tokio::try_join!(state.store.duplicates_of(&duplicate_queries), group_reviews)?;
    let chart = state.chart.for_model(model);
    let areas = state.area_settings();
    let setting = Setting {
        config,
        chart: &chart,
        areas: &areas,
        audit: &state.audit,
    };
    let decide = |((received, id, now_ms), (duplicates, reviews))| {
        let past = Past {
            duplicates,
            reviews,
        };
        decide_received(&setting, model, received, id, &past, today, now_ms)
    };
    let work: Vec<_> = invoices
        .into_iter()
        .zip(duplicates.into_iter().zip(reviews))
        .collect();
    Ok(crate::parallel::in_parallel(work, decide))
}

/// Codes and decides `received` (identified by `id`, with what the store holds of its past) with
/// `model` in `setting`, as of `today`, received at `now_ms`.
pub fn decide_received(
    setting: &Setting<'_>,
    model: &LoadedModel,
    received: &Received,
    id: Identity,
    past: &Past,
    today: NaiveDate,
    now_ms: i64,
) -> Prepared {
    let invoice = &received.invoice;
    let Identity {
        key,
        decision_id,
        supplier,
        supplier_key,
        number,
        total,
    } = id;
    let config = setting.config;

    let directory = Lookup::new(model);
    let unit = directory.unit(invoice.buyer_gln, received.buyer.unit_id.as_deref());
    let area = unit
        .and_then(|u| u.area)
        .unwrap_or(crate::lookup::UNASSIGNED);
    let model_version = model.label();
    let creditor = directory.creditor(
        invoice.supplier_cvr,
        received.supplier.creditor_id.as_deref(),
    );

    let first = |m: &[DuplicateMatch]| {
        past.duplicates
            .iter()
            .find(|h| m.contains(&h.matched))
            .map(|h| h.decision_id.as_str())
    };
    let totals = declared(&received.totals);
    let subject = Subject {
        invoice,
        totals: &totals,
        supplier_country: received.supplier.country.as_deref(),
        supplier_cvr_invalid: received
            .warnings
            .iter()
            .any(|w| matches!(w, kontera_intake::Warning::SupplierCvr { .. })),
        bank_account: received.supplier.bank_account.as_deref(),
        creditor,
        creditors_known: directory.has_creditors(),
        unit_known: invoice.buyer_gln.is_some() || received.buyer.unit_id.is_some(),
        area: Some(area),
        duplicates: DuplicateFacts {
            same_number: first(&[DuplicateMatch::Number, DuplicateMatch::NumberAndAmount]),
            same_amount: first(&[DuplicateMatch::Amount]),
        },
        today,
    };
    let mut findings = screen::screen(&subject, &config.screening);

    // The model sees the same identities it was trained on: CVR, else the creditor number;
    // the buyer's GLN, else the unit id.
    let cvr_text = invoice.supplier_cvr.map(|c| c.to_string());
    let gln_text = invoice.buyer_gln.map(|g| g.to_string());
    let supplier_evidence = cvr_text
        .as_deref()
        .or(received.supplier.creditor_id.as_deref())
        .or(received.supplier.vat_id.as_deref());
    let unit_evidence = gln_text.as_deref().or(received.buyer.unit_id.as_deref());
    let industry = creditor.and_then(|c| c.industry);
    // The chart in force: the model's accounts with the chart update applied.
    let chart = setting.chart;
    let chain = Chain {
        model: &model.artifact.model,
        chart: Some(&chart.chart),
        rules: &config.rules,
    };
    let mut scratch = ModelScratch::default();
    let mut coded: Vec<(u32, Coded)> = Vec::with_capacity(invoice.lines.len());
    let mut similar: Vec<Vec<String>> = Vec::with_capacity(invoice.lines.len());
    let mut effects: Vec<Option<ChartEffect>> = Vec::with_capacity(invoice.lines.len());
    let texts: Vec<_> = invoice
        .lines
        .iter()
        .map(|l| cpr::mask(&l.description))
        .collect();
    for (line, text) in invoice.lines.iter().zip(&texts) {
        let line_in = ChainLine {
            evidence: LineEvidence {
                supplier: supplier_evidence,
                unit: unit_evidence,
                buyer_reference: invoice.buyer_reference.as_deref(),
                text,
                item_id: line.item_id.as_deref(),
                unspsc: line.unspsc.as_deref(),
                industry,
                vat_category: Some(line.vat_category.code()),
                amount: line.net_amount.to_f64().unwrap_or(0.0),
                accounting_cost: line
                    .accounting_cost
                    .as_deref()
                    .or(invoice.accounting_cost.as_deref()),
            },
            amount: line.net_amount,
            on: invoice.issue_date,
        };
        let mut c = chain.code(&line_in, &mut scratch);
        // Similar invoices are the model's, under the account as it knew it.
        similar.push(similar_invoices(model, &c, &scratch));
        // Then the rule's or the model's account through the chart update on the invoice's date.
        let effect = match chart.update {
            Some(_) => chain.follow_chart(&mut c, invoice.issue_date),
            None => None,
        };
        if let Some(finding) = effect
            .as_ref()
            .and_then(|e| decide::chart_finding(line.line_no, c.source, e))
        {
            findings.push(finding);
        }
        effects.push(effect);
        coded.push((line.line_no, c));
    }
    if let Some(problem) = &chart.problem {
        findings.push(decide::chart_problem(problem));
    }
    // Each line's coding as it would be posted (and is stored).
    let codings: Vec<[Option<String>; 3]> = coded
        .iter()
        .map(|(_, c)| {
            [Field::Account, Field::CostCentre, Field::VatCode].map(|f| label(model, c, f))
        })
        .collect();
    let suggested: Vec<Suggested<'_>> = coded
        .iter()
        .zip(&codings)
        .map(
            |((line_no, c), [account, cost_centre, vat_code])| Suggested {
                line_no: *line_no,
                source: c.source,
                account: account.as_deref(),
                cost_centre: cost_centre.as_deref(),
                vat_code: vat_code.as_deref(),
            },
        )
        .collect();
    findings.extend(corrections::findings(&suggested, &past.reviews));
    findings.extend(crate::holds::findings(&suggested, setting.areas));

    let bar = setting.areas.bar(config, model, Some(area));
    let closed: Vec<Finding> = setting
        .areas
        .is_paused(Some(area))
        .then(|| decide::paused(Some(area)))
        .into_iter()
        .chain(crate::opening::finding(config, setting.areas, area, now_ms))
        .collect();
    let drawn = setting.audit.is_sample(&key);
    let decision = decide::decide(findings, &coded, &bar, Some(area), closed, drawn);

    let lines: Vec<LineOut> = coded
        .iter()
        .zip(similar)
        .zip(&effects)
        .map(|(((line_no, c), similar), effect)| {
            let chart = effect.as_ref().map(LineChart::new);
            line_out(*line_no, c, similar, chart, model, &bar, decision.audit)
        })
        .collect();
    let response = InvoiceDecision {
        decision_id: decision_id.clone(),
        decision: decision.outcome.as_str().to_owned(),
        repeat: false,
        invoice: InvoiceRef {
            id: cpr::mask(invoice.id.as_str()).into_owned(),
            number: number.clone(),
            document_type: invoice.document_type.as_str().to_owned(),
            supplier: supplier.clone(),
            format: received.format.as_str().to_owned(),
        },
        area: Some(area.to_owned()),
        model_version: model_version.clone(),
        threshold: bar.threshold,
        reasons: decision
            .reasons
            .iter()
            .map(|f| ReasonOut {
                code: f.reason.code().to_owned(),
                message: f.message.clone(),
            })
            .collect(),
        lines,
    };
    let record = store::Decision {
        key,
        decision_id,
        received_at: now_ms,
        supplier: supplier_key,
        number,
        document_type: invoice.document_type.as_str().to_owned(),
        issue_date: invoice.issue_date,
        total,
        currency: invoice.currency.as_str().to_owned(),
        area: Some(area.to_owned()),
        unit: unit.map(|u| u.id.to_owned()),
        outcome: decision.outcome,
        would_auto: decision.would_auto,
        audit: decision.audit,
        eligible_confidence: decision.eligible.map(f64::from),
        model_version,
        reasons: decision
            .reasons
            .iter()
            .map(|f| f.reason.code().to_owned())
            .collect(),
        response: serde_json::to_string(&response).expect("the response serialises"),
        lines: invoice
            .lines
            .iter()
            .zip(&coded)
            .zip(texts)
            .zip(codings)
            .map(
                |(((line, (_, c)), text), [account, cost_centre, vat_code])| store::Line {
                    line_no: line.line_no,
                    description: text.into_owned(),
                    net_amount: line.net_amount,
                    account,
                    cost_centre,
                    vat_code,
                    confidence: f64::from(c.confidence),
                    source: c.source.as_str().to_owned(),
                },
            )
            .collect(),
    };
    Prepared { record, response }
}

/// The document's totals as screening takes them (the payable amount without its rounding).
pub fn declared(t: &kontera_intake::Totals) -> DeclaredTotals {
    DeclaredTotals {
        line_extension: t.line_extension,
        allowances: t.allowances,
        charges: t.charges,
        tax_exclusive: t.tax_exclusive,
        tax: t.tax,
        prepaid: t.prepaid,
        payable: t
            .payable
            .map(|p| p - t.payable_rounding.unwrap_or_default()),
    }
}

/// The label `c` chose for `field`, if the model has the field.
fn label(model: &LoadedModel, c: &Coded, field: Field) -> Option<String> {
    let fields = &model.artifact.model.fields;
    let i = fields.iter().position(|f| f.field == field)?;
    c.labels[i].clone()
}

/// Ids of past invoices coded the way `c` codes the line (its keys are in `scratch`); none when
/// the coding holds a label the model never saw.
fn similar_invoices(model: &LoadedModel, c: &Coded, scratch: &ModelScratch) -> Vec<String> {
    let m = &model.artifact.model;
    // Per field the label's id; an open field matches any label.
    let coding: Option<Vec<_>> = m
        .fields
        .iter()
        .zip(&c.labels)
        .map(|(f, label)| match label {
            Some(l) => f.label_id(l).map(Some),
            None => Some(None),
        })
        .collect();
    coding.map_or_else(Vec::new, |coding| {
        m.similar(&scratch.keys, coding, None)
            .map(str::to_owned)
            .collect()
    })
}

fn line_out(
    line_no: u32,
    c: &Coded,
    similar: Vec<String>,
    chart: Option<LineChart>,
    model: &LoadedModel,
    bar: &Bar,
    withheld: bool,
) -> LineOut {
    let fields = &model.artifact.model.fields;
    if withheld {
        return LineOut {
            line_no,
            coding: None,
            confidence: None,
            band: None,
            source: None,
            support: None,
            alternatives: Vec::new(),
            similar_invoices: Vec::new(),
            withheld: true,
            chart: None,
        };
    }
    let complete = c.labels.iter().all(Option::is_some);
    LineOut {
        line_no,
        coding: complete.then(|| CodingOut {
            account: label(model, c, Field::Account),
            cost_centre: label(model, c, Field::CostCentre),
            vat_code: label(model, c, Field::VatCode),
        }),
        confidence: Some(c.confidence),
        band: Some(decide::band(c.confidence, bar).to_owned()),
        source: Some(c.source.as_str().to_owned()),
        support: c.support.is_finite().then_some(c.support),
        alternatives: fields
            .iter()
            .zip(&c.prediction.fields)
            .map(|(fm, cands)| Alternatives {
                field: fm.field.as_str().to_owned(),
                candidates: cands
                    .iter()
                    .map(|&(label, p, s)| Candidate {
                        value: fm.labels[label as usize].clone(),
                        probability: p,
                        support: s,
                    })
                    .collect(),
            })
            .collect(),
        similar_invoices: similar,
        withheld: false,
        chart,
    }
}
