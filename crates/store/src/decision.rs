//! A decision as stored: the invoice facts duplicate checks need, the outcome, and the response.

use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::StoreError;

/// One answered invoice: what [`Store::record`](crate::Store::record) stores and every read
/// returns. What is stored is exactly what was recorded, so one type serves both.
///
/// Rules checked before anything is written ([`StoreError::Invalid`] otherwise): `key` and
/// `decision_id` are not empty; reason codes are not empty and contain no newline; an audit
/// sample is a would-be-automatic decision sent to review; an automatic decision is one the
/// policy would automate and is not an audit sample; line numbers are unique and confidences are
/// in [0, 1].
#[derive(Clone, Debug, PartialEq)]
pub struct Decision {
    /// Idempotency key computed by the caller (supplier identity + document type + number, …):
    /// recording the same key again returns the stored decision and writes nothing.
    pub key: String,
    /// Stable id returned to the client; unique across all decisions.
    pub decision_id: String,
    /// When the request arrived, unix milliseconds.
    pub received_at: i64,
    /// Supplier identity (CVR or creditor number), used by duplicate checks.
    pub supplier: String,
    /// The supplier's invoice number.
    pub number: String,
    /// "invoice" or "credit_note" (the caller's vocabulary; duplicates match within one type).
    pub document_type: String,
    /// The invoice's issue date.
    pub issue_date: NaiveDate,
    /// The invoice total, exact (stored as text, scale kept).
    pub total: Decimal,
    /// ISO currency code.
    pub currency: String,
    /// Area (e.g. "schools") the invoice belongs to, when known.
    pub area: Option<String>,
    /// Receiving unit, when known.
    pub unit: Option<String>,
    /// What the service decided.
    pub outcome: Outcome,
    /// The model and threshold would have automated it (before the audit draw).
    pub would_auto: bool,
    /// Drawn as a blind audit sample (then `outcome` is [`Outcome::Review`]).
    pub audit: bool,
    /// The invoice's confidence (the product of its lines') when the model could have posted it
    /// — screening passed, every line coded with enough support — whatever the threshold and
    /// the pause said; `None` otherwise. The audit rule projects precision over these.
    pub eligible_confidence: Option<f64>,
    /// The model version that coded it.
    pub model_version: String,
    /// Machine-readable reason codes, in order.
    pub reasons: Vec<String>,
    /// The response body as sent (already CPR-masked by the caller); opaque to the store.
    pub response: String,
    /// The coded lines.
    pub lines: Vec<Line>,
}

/// One coded invoice line.
#[derive(Clone, Debug, PartialEq)]
pub struct Line {
    /// Line number, unique within the invoice.
    pub line_no: u32,
    /// Line text (already CPR-masked by the caller).
    pub description: String,
    /// Net amount, exact.
    pub net_amount: Decimal,
    /// Coded account, if any.
    pub account: Option<String>,
    /// Coded cost centre, if any.
    pub cost_centre: Option<String>,
    /// Coded VAT code, if any.
    pub vat_code: Option<String>,
    /// Calibrated confidence of the coding, in [0, 1].
    pub confidence: f64,
    /// Where the coding came from (e.g. "invoice", "rule", "model").
    pub source: String,
}

/// The per-invoice decision.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Outcome {
    /// Posted automatically.
    Auto,
    /// Sent to a person.
    Review,
}

/// What [`Store::record`](crate::Store::record) did with one decision.
#[derive(Clone, Debug, PartialEq)]
pub enum Recorded {
    /// Stored now; holds the decision as stored.
    New(Decision),
    /// The key was already stored; nothing was written and this is the earlier decision, whose
    /// `response` the service sends again.
    Repeat(Decision),
}

impl Outcome {
    /// The stored spelling: "auto" or "review".
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Auto => "auto",
            Outcome::Review => "review",
        }
    }

    /// Parses the stored spelling.
    pub fn parse(s: &str) -> Option<Outcome> {
        match s {
            "auto" => Some(Outcome::Auto),
            "review" => Some(Outcome::Review),
            _ => None,
        }
    }
}

impl Recorded {
    /// The stored decision, new or repeated.
    pub fn decision(&self) -> &Decision {
        match self {
            Recorded::New(d) | Recorded::Repeat(d) => d,
        }
    }

    /// The stored decision, new or repeated, by value.
    pub fn into_decision(self) -> Decision {
        match self {
            Recorded::New(d) | Recorded::Repeat(d) => d,
        }
    }

    /// Whether this call stored it.
    pub fn is_new(&self) -> bool {
        matches!(self, Recorded::New(_))
    }
}

impl Decision {
    /// Checks the rules in the type's documentation.
    pub fn validate(&self) -> Result<(), StoreError> {
        let fail = |problem: &str| {
            Err(StoreError::Invalid {
                decision_id: self.decision_id.clone(),
                problem: problem.to_owned(),
            })
        };
        if self.decision_id.is_empty() {
            return fail("the decision id is empty; generate one per invoice");
        }
        if self.key.is_empty() {
            return fail(
                "the idempotency key is empty; derive it from supplier, document type and number",
            );
        }
        if self
            .reasons
            .iter()
            .any(|r| r.is_empty() || r.contains('\n'))
        {
            return fail(
                "a reason code is empty or contains a newline; use short codes such as low_confidence",
            );
        }
        if self.audit && (self.outcome != Outcome::Review || !self.would_auto) {
            return fail("an audit sample must be a would-be-automatic decision sent to review");
        }
        if self.outcome == Outcome::Auto && (!self.would_auto || self.audit) {
            return fail(
                "an automatic decision must be one the policy would automate, and not an audit sample",
            );
        }
        if self
            .eligible_confidence
            .is_some_and(|c| !(0.0..=1.0).contains(&c))
        {
            return fail(
                "the eligible confidence is not in [0, 1]; pass the product of the lines' \
                 calibrated probabilities",
            );
        }
        for (i, line) in self.lines.iter().enumerate() {
            if self.lines[..i].iter().any(|l| l.line_no == line.line_no) {
                return fail("two lines have the same line number; number lines uniquely");
            }
            if !(0.0..=1.0).contains(&line.confidence) {
                return fail(
                    "a line's confidence is not in [0, 1]; pass the calibrated probability",
                );
            }
        }
        Ok(())
    }
}
