//! One model's figures on the compared lines, overall and per area: automation and realised
//! precision at each target with the model's own thresholds (what the service would deliver), top-1
//! accuracy and macro-F1 per field, all measured with the evaluation's functions; and, overall
//! only, its operating point at equal realised precision on the compared invoices (`equal.rs`: for
//! comparing rankings, never served).

use std::collections::BTreeMap;

use chrono::NaiveDate;
use kontera_core::model::Field;
use kontera_core::precedence::Coded;

use super::equal::Ranking;
use super::fingerprint;
use crate::evaluate::{
    CurvePoint, FieldScore, LineScore, ScoredLines, curve, field_score, scored_lines,
};
use crate::example::Example;
use crate::fit::Trained;
use crate::threshold::{Automation, InvoiceOutcome, automation_at};

/// One model's figures.
#[derive(Debug, Clone, PartialEq)]
pub struct ModelFigures {
    /// The model's training window.
    pub trained_from: NaiveDate,
    pub trained_to: NaiveDate,
    /// The invoices this model was scored on and their [`fingerprint`](super::fingerprint).
    pub invoices: usize,
    pub fingerprint: String,
    pub lines: usize,
    /// The fields the model predicts.
    pub fields: Vec<FieldScore>,
    /// Share of lines right in every field the model predicts.
    pub joint_accuracy: f64,
    /// (target precision, automation at the model's own threshold for it), in
    /// [`TARGETS`](super::TARGETS) order: what the service would deliver.
    pub automation: Vec<(f64, Automation)>,
    /// (target precision, the operating point at equal realised precision), in
    /// [`TARGETS`](super::TARGETS) order: the largest automation whose realised precision on the
    /// compared invoices reaches the target. Chosen on the compared period to compare the two
    /// models' rankings only; never served or written to a model.
    pub equal_precision: Vec<(f64, Automation)>,
    /// Precision against automation (as in the evaluation).
    pub curve: Vec<CurvePoint>,
    /// The same figures per area (an invoice's area is its first line's), most invoices first.
    pub per_area: Vec<AreaFigures>,
}

/// One model's figures in one area.
#[derive(Debug, Clone, PartialEq)]
pub struct AreaFigures {
    pub area: String,
    pub invoices: usize,
    pub lines: usize,
    pub fields: Vec<FieldScore>,
    pub joint_accuracy: f64,
    pub automation: Vec<(f64, Automation)>,
}

/// One model's scoring of the compared lines, from which every figure is measured.
#[derive(Debug)]
pub(super) struct Run<'a> {
    /// The fields the model predicts, in its order.
    pub fields: Vec<Field>,
    /// One per line, in the lines' order.
    pub scores: Vec<LineScore<'a>>,
    /// Per line: every field the model predicts right.
    pub right: Vec<bool>,
    /// Per invoice, by id.
    pub outcomes: BTreeMap<&'a str, InvoiceOutcome>,
    /// `outcomes` (in id order) ranked most confident first, for the equal-precision cuts.
    pub ranking: Ranking,
    /// (target, the model's threshold), in [`TARGETS`](super::TARGETS) order.
    pub thresholds: Vec<(f64, f32)>,
}

impl<'a> Run<'a> {
    /// Scores `coded` (the lines of `test` coded by `trained`'s model) as the evaluation does.
    pub fn new<E: Example>(
        trained: &Trained,
        coded: &'a [Coded],
        test: &'a [E],
        thresholds: Vec<(f64, f32)>,
    ) -> Self {
        let fields: Vec<Field> = trained.model.fields.iter().map(|f| f.field).collect();
        let ScoredLines {
            scores,
            right,
            outcomes,
        } = scored_lines(&fields, coded, test, trained.min_support);
        let ranking = Ranking::new(&outcomes.values().copied().collect::<Vec<_>>());
        Run {
            fields,
            scores,
            right,
            outcomes,
            ranking,
            thresholds,
        }
    }

    /// The label the model gives `field` on line `i`; `None` when it does not predict the field.
    pub fn label(&self, i: usize, field: Field) -> Option<&'a str> {
        let fi = self.fields.iter().position(|&f| f == field)?;
        self.scores[i].labels[fi]
    }

    /// The verdict target's threshold (the first target's).
    pub fn decision_threshold(&self) -> f32 {
        self.thresholds[0].1
    }
}

/// The figures of `run`, the scoring of `test` by `trained`; `areas` maps invoice to area.
pub(super) fn measure<E: Example>(
    trained: &Trained,
    run: &Run<'_>,
    test: &[E],
    areas: &BTreeMap<&str, &str>,
) -> ModelFigures {
    let all: Vec<usize> = (0..test.len()).collect();
    let outcomes: Vec<InvoiceOutcome> = run.outcomes.values().copied().collect();
    let (fields, joint_accuracy) = accuracy(run, test, &all);

    let mut area_lines: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, line) in test.iter().enumerate() {
        area_lines.entry(areas[line.invoice()]).or_default().push(i);
    }
    let mut area_outcomes: BTreeMap<&str, Vec<InvoiceOutcome>> = BTreeMap::new();
    for (invoice, o) in &run.outcomes {
        area_outcomes.entry(areas[invoice]).or_default().push(*o);
    }
    let mut per_area: Vec<AreaFigures> = area_outcomes
        .iter()
        .map(|(&area, outcomes)| {
            let lines = &area_lines[area];
            let (fields, joint_accuracy) = accuracy(run, test, lines);
            AreaFigures {
                area: area.to_owned(),
                invoices: outcomes.len(),
                lines: lines.len(),
                fields,
                joint_accuracy,
                automation: automation(run, outcomes),
            }
        })
        .collect();
    // Stable: equal counts stay in area order.
    per_area.sort_by_key(|a| std::cmp::Reverse(a.invoices));

    ModelFigures {
        trained_from: trained.first_day,
        trained_to: trained.last_day,
        invoices: outcomes.len(),
        fingerprint: fingerprint(run.outcomes.keys().copied()),
        lines: test.len(),
        fields,
        joint_accuracy,
        automation: automation(run, &outcomes),
        equal_precision: run
            .thresholds
            .iter()
            .map(|&(target, _)| (target, run.ranking.point(target)))
            .collect(),
        curve: curve(&outcomes),
        per_area,
    }
}

/// Per field, top-1 accuracy and macro-F1 over the lines `indices`; and the share of them right
/// in every field.
fn accuracy<E: Example>(run: &Run<'_>, test: &[E], indices: &[usize]) -> (Vec<FieldScore>, f64) {
    let scores = run
        .fields
        .iter()
        .enumerate()
        .map(|(fi, &field)| {
            let truth: Vec<Option<&str>> = indices.iter().map(|&i| test[i].label(field)).collect();
            let pred: Vec<Option<&str>> =
                indices.iter().map(|&i| run.scores[i].labels[fi]).collect();
            field_score(field, &truth, &pred)
        })
        .collect();
    let right = indices.iter().filter(|&&i| run.right[i]).count();
    let joint = if indices.is_empty() {
        0.0
    } else {
        right as f64 / indices.len() as f64
    };
    (scores, joint)
}

/// Automation on `outcomes` at each of the run's thresholds.
fn automation(run: &Run<'_>, outcomes: &[InvoiceOutcome]) -> Vec<(f64, Automation)> {
    run.thresholds
        .iter()
        .map(|&(target, t)| (target, automation_at(outcomes, t)))
        .collect()
}
