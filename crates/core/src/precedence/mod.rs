//! The precedence chain: authoritative data before predictions. For each line, in order:
//! 1. the invoice's own account string (`AccountingCost`), when it is an account valid in the
//!    current chart on the invoice's date;
//! 2. a fixed coding an administrator defined for the supplier (see [`RuleSet`]);
//! 3. the learned model.
//!
//! Fields the first two leave open are still predicted by the model; the confidence is then the
//! calibration fitted for exactly those fields ([`CodingModel::confidence_for`]).
//! The model's own answer is always kept, so the service can show it as a suggestion and the
//! reason.
//!
//! Then [`follow_chart`] takes a rule's or the model's account through the chart in force (a
//! chart update loaded after training): renamed and merged accounts become their successor, and
//! closed or split ones are flagged for a person.

mod chart;
pub mod rules;

use chrono::NaiveDate;
use rust_decimal::Decimal;

pub use chart::{ChartEffect, follow_chart};
pub use rules::{FixedRule, RuleError, RuleSet};

use crate::model::{CodingModel, Field, LineEvidence, LinePrediction, ModelScratch};
use crate::{AccountId, Chart};

/// Where a line's coding came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Source {
    AccountingCost,
    Rule,
    Model,
}

impl Source {
    pub fn as_str(self) -> &'static str {
        match self {
            Source::AccountingCost => "accounting_cost",
            Source::Rule => "rule",
            Source::Model => "model",
        }
    }
}

/// One line as the chain sees it.
#[derive(Debug, Clone, Copy)]
pub struct ChainLine<'a> {
    /// What the model sees; its `accounting_cost` (the line's, or else the invoice header's) is
    /// also what the chain's first step checks against the chart.
    pub evidence: LineEvidence<'a>,
    /// The line's net amount (rules' amount bands are exact).
    pub amount: Decimal,
    /// The invoice's date: the chart must hold the account on it.
    pub on: NaiveDate,
}

/// The coding of one line.
#[derive(Debug, Clone, PartialEq)]
pub struct Coded {
    pub source: Source,
    /// Per model field (in [`CodingModel::fields`] order): the chosen label.
    pub labels: Vec<Option<String>>,
    /// Probability that every chosen label is right.
    pub confidence: f32,
    /// Similar past lines behind the model's part (infinite when nothing was predicted).
    pub support: f32,
    /// The model's own answer, with its alternatives.
    pub prediction: LinePrediction,
}

/// The chain's parts: the model, the chart of accounts in force, and the fixed rules.
#[derive(Debug, Clone, Copy)]
pub struct Chain<'a> {
    pub model: &'a CodingModel,
    /// Without a chart no account string can be checked, so none is trusted.
    pub chart: Option<&'a Chart>,
    pub rules: &'a RuleSet,
}

impl Chain<'_> {
    /// Codes one line.
    pub fn code(&self, line: &ChainLine<'_>, scratch: &mut ModelScratch) -> Coded {
        let prediction = self.model.predict(&line.evidence, scratch);
        let fields = &self.model.fields;
        let mut fixed: Vec<Option<String>> = vec![None; fields.len()];
        let mut set = |field: Field, value: &str| {
            if let Some(i) = fields.iter().position(|f| f.field == field) {
                fixed[i] = Some(value.to_owned());
            }
        };
        let source = if let Some(account) = self.valid_accounting_cost(line) {
            set(Field::Account, account.as_str());
            Source::AccountingCost
        } else if let Some(rule) =
            self.rules
                .find(line.evidence.supplier, line.evidence.unit, line.amount)
        {
            set(Field::Account, rule.account.as_str());
            if let Some(cc) = &rule.cost_centre {
                set(Field::CostCentre, cc.as_str());
            }
            if let Some(vat) = &rule.vat_code {
                set(Field::VatCode, vat.as_str());
            }
            Source::Rule
        } else {
            Source::Model
        };
        // The model's part: its top label for every field not fixed above, and the support of
        // those labels alone.
        let predicted: Vec<bool> = fixed.iter().map(Option::is_none).collect();
        let mut support = f32::INFINITY;
        let labels = fixed
            .into_iter()
            .enumerate()
            .map(|(i, f)| {
                f.or_else(|| {
                    let (label, _, s) = *prediction.fields[i].first()?;
                    support = support.min(s);
                    Some(self.model.fields[i].labels[label as usize].clone())
                })
            })
            .collect::<Vec<_>>();
        let all_known = labels.iter().all(Option::is_some);
        let predicted_any = predicted.iter().any(|p| *p);
        let (confidence, support) = match (source, predicted_any) {
            (Source::Model, _) => (prediction.confidence, prediction.support),
            (_, false) => (1.0, f32::INFINITY),
            // Calibrated for exactly the fields the model still predicts.
            (_, true) if all_known => (self.model.confidence_for(&prediction, &predicted), support),
            (_, true) => (0.0, 0.0),
        };
        Coded {
            source,
            labels,
            confidence,
            support,
            prediction,
        }
    }

    /// The invoice's account string when it is an account of the chart on the invoice's date,
    /// and the model codes accounts at all (a model of other fields takes nothing from it but
    /// its evidence).
    fn valid_accounting_cost(&self, line: &ChainLine<'_>) -> Option<AccountId> {
        let chart = self.chart?;
        if !self.model.fields.iter().any(|f| f.field == Field::Account) {
            return None;
        }
        let account = AccountId::parse(line.evidence.accounting_cost?).ok()?;
        chart.is_valid(&account, line.on).then_some(account)
    }
}
