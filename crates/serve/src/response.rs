//! The JSON the coding API answers with, per invoice and per line. The same body is stored with
//! the decision and returned (marked as a repeat) when the invoice is sent again.

use serde::{Deserialize, Serialize};

/// The decision for one invoice.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InvoiceDecision {
    /// Stable id of the decision: the same invoice always gets the same id.
    pub decision_id: String,
    /// `auto` (post the coding) or `review` (a person codes it).
    pub decision: String,
    /// This invoice was sent before; the stored decision is returned unchanged.
    pub repeat: bool,
    pub invoice: InvoiceRef,
    /// The receiving unit's area, when known.
    pub area: Option<String>,
    /// The model version that decided, `name@checksum`.
    pub model_version: String,
    /// The confidence a line needed.
    pub threshold: f32,
    /// Why the invoice was not automated (empty for `auto`).
    pub reasons: Vec<ReasonOut>,
    pub lines: Vec<LineOut>,
}

/// Which document was decided.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InvoiceRef {
    pub id: String,
    pub number: String,
    pub document_type: String,
    /// The supplier identity the decision is keyed on (CVR, VAT id or creditor number).
    pub supplier: Option<String>,
    /// `json`, `oioubl`, `peppol_bis3` or `ubl`.
    pub format: String,
}

/// One reason: a stable code and a sentence for people.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReasonOut {
    pub code: String,
    pub message: String,
}

/// One line's coding.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LineOut {
    pub line_no: u32,
    /// The coding to post; `null` when withheld (a blind audit sample) or when nothing is known.
    pub coding: Option<CodingOut>,
    /// Calibrated probability that the whole coding is right.
    pub confidence: Option<f32>,
    /// `high` (clears the threshold), `medium` (≥ 0.8) or `low`.
    pub band: Option<String>,
    /// `accounting_cost` (the invoice's own valid account), `rule` (a fixed coding) or `model`;
    /// `chart` says when the chart update in force mapped, closed or split its account.
    pub source: Option<String>,
    /// Similar past invoices behind the model's part of the coding.
    pub support: Option<f32>,
    /// The model's best candidates per field, best first.
    pub alternatives: Vec<Alternatives>,
    /// Ids of similar past invoices that were coded this way.
    pub similar_invoices: Vec<String>,
    /// The suggestion is withheld because the invoice is in the blind audit sample.
    pub withheld: bool,
    /// What the chart update in force did to the account the rule or the model chose; absent
    /// when it did nothing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub chart: Option<LineChart>,
}

/// What the chart update in force did to a line's account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LineChart {
    /// `mapped` (renamed or merged: `coding.account` is the successor), `closed` (no successor:
    /// the coding is only a suggestion) or `split` (choose one of `candidates`).
    pub effect: String,
    /// The account the rule or the model chose.
    pub account: String,
    /// For `mapped`: the changes followed, e.g. `["renamed", "merged"]`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub via: Vec<String>,
    /// For `closed`: the day it closed, `YYYY-MM-DD`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub on: Option<String>,
    /// For `split`: the accounts it was split into.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub candidates: Vec<String>,
}

impl LineChart {
    pub fn new(effect: &kontera_core::precedence::ChartEffect) -> LineChart {
        use kontera_core::precedence::ChartEffect;
        let text = |a: &kontera_core::AccountId| a.as_str().to_owned();
        match effect {
            ChartEffect::Mapped { from, via, .. } => LineChart {
                effect: "mapped".to_owned(),
                account: text(from),
                via: via.iter().map(|k| k.as_str().to_owned()).collect(),
                on: None,
                candidates: Vec::new(),
            },
            ChartEffect::Closed { account, on } => LineChart {
                effect: "closed".to_owned(),
                account: text(account),
                via: Vec::new(),
                on: Some(on.to_string()),
                candidates: Vec::new(),
            },
            ChartEffect::Split {
                account,
                candidates,
            } => LineChart {
                effect: "split".to_owned(),
                account: text(account),
                via: Vec::new(),
                on: None,
                candidates: candidates.iter().map(text).collect(),
            },
        }
    }
}

/// The coding of one line; fields the model does not predict are absent.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CodingOut {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub account: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cost_centre: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vat_code: Option<String>,
}

/// The model's candidates for one field.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Alternatives {
    pub field: String,
    pub candidates: Vec<Candidate>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Candidate {
    pub value: String,
    /// Probability within the field.
    pub probability: f32,
    pub support: f32,
}

/// The answer to a batch: one decision per invoice, in order, and counts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BatchDecision {
    pub decisions: Vec<InvoiceDecision>,
    pub auto: usize,
    pub review: usize,
    pub repeats: usize,
}
