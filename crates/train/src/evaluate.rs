//! Evaluating a trained model on a later period: accuracy per field, automation at each target
//! precision with the precision actually realised, and the payment-plan baseline on the same split.

use std::collections::BTreeMap;

use kontera_core::model::{Field, ModelScratch};

use crate::baseline::{PaymentPlans, joint_label};
use crate::example::Example;
use crate::fit::Trained;
use crate::threshold::{Automation, automation_at, invoice_outcomes, threshold_for};

/// Per-field quality.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldScore {
    pub field: Field,
    pub top1_accuracy: f64,
    pub macro_f1: f64,
}

/// The evaluation of one model (and the baseline) on one period.
#[derive(Debug, Clone, PartialEq)]
pub struct Evaluation {
    pub rows: usize,
    pub invoices: usize,
    pub fields: Vec<FieldScore>,
    /// Share of lines right in every field.
    pub joint_accuracy: f64,
    /// (target precision, automation at the threshold chosen in training).
    pub automation: Vec<(f64, Automation)>,
    pub baseline_top1: f64,
    pub baseline_automation: Vec<(f64, Automation)>,
}

/// Evaluates `trained` on `test`; `train_lines` are the lines it was trained on (for the
/// baseline's plans, built the same way: thresholds on the calibration part, plans on all).
pub fn evaluate<E: Example>(trained: &Trained, train_lines: &[E], test: &[E]) -> Evaluation {
    let model = &trained.model;
    let fields: Vec<Field> = model.fields.iter().map(|f| f.field).collect();
    let mut scratch = ModelScratch::default();
    let mut predicted: Vec<Vec<Option<&str>>> = vec![Vec::with_capacity(test.len()); fields.len()];
    let mut line_outcomes = Vec::with_capacity(test.len());
    let mut joint_right = 0usize;
    for line in test {
        let p = model.predict(&line.evidence(), &mut scratch);
        let mut right = true;
        for (fi, fm) in model.fields.iter().enumerate() {
            let label = p.top(fi).map(|l| fm.labels[l as usize].as_str());
            right &= label.is_some() && label == line.label(fm.field);
            predicted[fi].push(label);
        }
        joint_right += usize::from(right);
        let confidence = if p.support >= trained.min_support {
            p.confidence
        } else {
            0.0
        };
        line_outcomes.push((line.invoice(), confidence, right));
    }
    let outcomes = invoice_outcomes(line_outcomes);
    let automation = trained
        .thresholds
        .iter()
        .map(|&(target, t)| (target, automation_at(&outcomes, t)))
        .collect();
    let scores = fields
        .iter()
        .zip(&predicted)
        .map(|(&field, pred)| {
            let truth: Vec<Option<&str>> = test.iter().map(|l| l.label(field)).collect();
            FieldScore {
                field,
                top1_accuracy: accuracy(&truth, pred),
                macro_f1: macro_f1(&truth, pred),
            }
        })
        .collect();

    // The baseline: thresholds on the calibration part with plans from the fit part, then plans
    // from the whole window for the test period.
    let cal_from = trained.calibration_from;
    let fit_plans = PaymentPlans::fit(train_lines, &fields, |i| train_lines[i].date() < cal_from);
    let cal: Vec<&E> = train_lines
        .iter()
        .filter(|l| l.date() >= cal_from)
        .collect();
    let cal_outcomes = invoice_outcomes(cal.iter().map(|l| plan_outcome(&fit_plans, *l, &fields)));
    let plans = PaymentPlans::fit(train_lines, &fields, |_| true);
    let test_outcomes = invoice_outcomes(test.iter().map(|l| plan_outcome(&plans, l, &fields)));
    let baseline_top1 = test
        .iter()
        .filter(|l| plan_outcome(&plans, *l, &fields).2)
        .count() as f64
        / test.len().max(1) as f64;
    let baseline_automation = trained
        .thresholds
        .iter()
        .map(|&(target, _)| {
            (
                target,
                automation_at(&test_outcomes, threshold_for(&cal_outcomes, target)),
            )
        })
        .collect();

    Evaluation {
        rows: test.len(),
        invoices: outcomes.len(),
        fields: scores,
        joint_accuracy: joint_right as f64 / test.len().max(1) as f64,
        automation,
        baseline_top1,
        baseline_automation,
    }
}

fn plan_outcome<'a, E: Example>(
    plans: &PaymentPlans,
    line: &'a E,
    fields: &[Field],
) -> (&'a str, f32, bool) {
    match plans.predict(line) {
        Some((coding, share)) => {
            let right = joint_label(line, fields).as_deref() == Some(coding);
            (line.invoice(), share, right)
        }
        None => (line.invoice(), 0.0, false),
    }
}

fn accuracy(truth: &[Option<&str>], pred: &[Option<&str>]) -> f64 {
    let right = truth
        .iter()
        .zip(pred)
        .filter(|(t, p)| t.is_some() && t == p)
        .count();
    right as f64 / truth.len().max(1) as f64
}

/// Macro-averaged F1 over every label that occurs in the truth.
fn macro_f1(truth: &[Option<&str>], pred: &[Option<&str>]) -> f64 {
    // label → (true positives, predicted, actual)
    let mut counts: BTreeMap<&str, (usize, usize, usize)> = BTreeMap::new();
    for (t, p) in truth.iter().zip(pred) {
        if let Some(t) = t {
            counts.entry(t).or_default().2 += 1;
        }
        if let Some(p) = p {
            let e = counts.entry(p).or_default();
            e.1 += 1;
            if Some(*p) == *t {
                e.0 += 1;
            }
        }
    }
    let f1s: Vec<f64> = counts
        .values()
        .filter(|c| c.2 > 0)
        .map(|&(tp, predicted, actual)| {
            if tp == 0 {
                0.0
            } else {
                2.0 * tp as f64 / (predicted + actual) as f64
            }
        })
        .collect();
    f1s.iter().sum::<f64>() / f1s.len().max(1) as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn macro_f1_averages_labels_equally() {
        let t = [Some("a"), Some("a"), Some("a"), Some("b")];
        let p = [Some("a"), Some("a"), Some("a"), Some("a")];
        // a: tp 3, predicted 4, actual 3 → 6/7; b: 0.
        let f = macro_f1(&t, &p);
        assert!((f - (6.0 / 7.0) / 2.0).abs() < 1e-9, "{f}");
        assert_eq!(accuracy(&t, &p), 0.75);
    }
}
