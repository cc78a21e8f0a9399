//! Evaluating a trained model on a later period: accuracy per field, automation at each target
//! precision with the precision actually realised, the precision–automation curve, automation per
//! area, the accounts the model gets wrong most often, the most frequent confusions, and the
//! payment-plan baseline on the same split.
//!
//! [`evaluate`] scores the period with the model and the baseline; [`evaluate_scored`] measures
//! scores however they were made (tests give them by hand).

use std::collections::BTreeMap;

use kontera_core::Chart;
use kontera_core::model::{CodingModel, Field, ModelScratch};
use kontera_core::precedence::{Chain, ChainLine, Coded, RuleSet};

use crate::baseline::{PaymentPlans, joint_label};
use crate::example::Example;
use crate::fit::Trained;
use crate::threshold::{
    Automation, InvoiceOutcome, automation_at, invoice_outcomes, invoice_outcomes_by_id,
};

/// Most points a precision–automation curve keeps (thinned evenly in automation rate).
pub const CURVE_POINTS: usize = 200;
/// Predictions a label needs before it can be listed among the worst.
pub const WORST_MIN_PREDICTED: usize = 20;
/// Labels listed among the worst.
pub const WORST_LABELS: usize = 15;
/// A label with fewer true lines than this in the evaluated period is rare.
pub const RARE_LABEL_LINES: usize = 50;
/// Confusions listed.
pub const CONFUSIONS: usize = 20;
/// The area of an invoice whose first line has none.
pub const UNKNOWN_AREA: &str = "unknown";
/// A threshold no confidence reaches: nothing is automated.
const NOTHING: f32 = 1.5;

/// Per-field quality.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldScore {
    pub field: Field,
    pub top1_accuracy: f64,
    pub macro_f1: f64,
}

/// One point of a precision–automation curve: automating every invoice whose confidence is at
/// least `threshold` automates `rate` of the invoices, and `precision` of those are right.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CurvePoint {
    pub threshold: f32,
    pub rate: f64,
    pub precision: f64,
}

/// Automation in one area at the default threshold.
#[derive(Debug, Clone, PartialEq)]
pub struct AreaScore {
    pub area: String,
    pub invoices: usize,
    pub automated: usize,
    /// Share of the area's automated invoices that were right; `None` when none were automated.
    pub precision: Option<f64>,
    /// Share of the area's invoices automated.
    pub rate: f64,
}

/// How often one predicted label is right.
#[derive(Debug, Clone, PartialEq)]
pub struct LabelPrecision {
    pub label: String,
    /// Lines given this label (among lines whose true label is known).
    pub predicted: usize,
    /// Of those, lines whose true label it is.
    pub right: usize,
    pub precision: f64,
    /// Lines whose true label it is.
    pub actual: usize,
}

/// Recall on rare labels (fewer than [`RARE_LABEL_LINES`] true lines each), pooled over their
/// lines, so that rare labels cannot hide behind a good overall accuracy.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RareLabels {
    /// Rare labels present in the evaluated period.
    pub labels: usize,
    /// Their true lines.
    pub lines: usize,
    /// Of those, lines predicted right.
    pub right: usize,
    /// `right / lines`; `None` when there are no rare lines.
    pub recall: Option<f64>,
}

/// A frequent mistake: lines of `field` whose true label is `truth` given `predicted`.
#[derive(Debug, Clone, PartialEq)]
pub struct Confusion {
    pub field: Field,
    pub truth: String,
    pub predicted: String,
    pub count: usize,
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
    /// The model's precision against automation as the threshold falls through every distinct
    /// invoice confidence above zero (most confident first; at most [`CURVE_POINTS`]).
    pub curve: Vec<CurvePoint>,
    /// The same for the payment plans.
    pub baseline_curve: Vec<CurvePoint>,
    /// Automation per area at the default (first) target's threshold, most invoices first.
    pub per_area: Vec<AreaScore>,
    /// For the first field (the account): the [`WORST_LABELS`] predicted labels with at least
    /// [`WORST_MIN_PREDICTED`] predictions and the lowest precision, worst first.
    pub worst_accounts: Vec<LabelPrecision>,
    /// For the first field (the account): recall on rare labels.
    pub rare_accounts: RareLabels,
    /// The [`CONFUSIONS`] most frequent (field, truth, predicted) with truth ≠ predicted.
    pub confusions: Vec<Confusion>,
}

/// One test line as a model scored it.
#[derive(Debug, Clone, PartialEq)]
pub struct LineScore<'a> {
    /// The top label of each field, in the order of [`Scored::fields`].
    pub labels: Vec<Option<&'a str>>,
    /// The confidence that the whole coding is right (0 when the line may not be automated).
    pub confidence: f32,
}

/// A test period as scored by the model and by the baseline: what [`evaluate_scored`] measures.
#[derive(Debug, Clone, PartialEq)]
pub struct Scored<'a> {
    /// The fields predicted; the first is the one `worst_accounts` and `rare_accounts` describe.
    pub fields: Vec<Field>,
    /// One per test line, in the test lines' order.
    pub lines: Vec<LineScore<'a>>,
    /// (target precision, threshold) for the model; the first is the default.
    pub thresholds: Vec<(f64, f32)>,
    /// One per test line: the baseline's confidence and whether its whole coding was right.
    pub baseline: Vec<(f32, bool)>,
    /// (target precision, threshold) for the baseline.
    pub baseline_thresholds: Vec<(f64, f32)>,
}

/// Evaluates `trained` on `test`; `train_lines` are the lines it was trained on (for the
/// baseline's plans, built the same way: thresholds on the calibration part, plans on all).
pub fn evaluate<E: Example>(trained: &Trained, train_lines: &[E], test: &[E]) -> Evaluation {
    evaluate_with(trained, train_lines, test, None, &RuleSet::default())
}

/// Like [`evaluate`], but every line goes through the precedence chain: its own valid account
/// string (checked against `chart`), then `rules`, then the model — as the service codes it.
pub fn evaluate_with<E: Example>(
    trained: &Trained,
    train_lines: &[E],
    test: &[E],
    chart: Option<&Chart>,
    rules: &RuleSet,
) -> Evaluation {
    let model = &trained.model;
    let fields: Vec<Field> = model.fields.iter().map(|f| f.field).collect();
    let coded = code_lines(model, test, chart, rules);
    let lines = line_scores(&coded, trained.min_support);

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
    let baseline = test
        .iter()
        .map(|l| {
            let (_, confidence, right) = plan_outcome(&plans, l, &fields);
            (confidence, right)
        })
        .collect();
    let baseline_thresholds = trained
        .thresholds
        .iter()
        .map(|&(target, _)| {
            let t = trained.threshold_choice.threshold(&cal_outcomes, target);
            (target, t)
        })
        .collect();

    let scored = Scored {
        fields,
        lines,
        thresholds: trained.thresholds.clone(),
        baseline,
        baseline_thresholds,
    };
    evaluate_scored(test, &scored)
}

/// Codes every line of `test` through the precedence chain, as the service does: its own valid
/// account string (checked against `chart`), then `rules`, then `model`. One per line, in order.
pub fn code_lines<E: Example>(
    model: &CodingModel,
    test: &[E],
    chart: Option<&Chart>,
    rules: &RuleSet,
) -> Vec<Coded> {
    let chain = Chain {
        model,
        chart,
        rules,
    };
    let mut scratch = ModelScratch::default();
    test.iter()
        .map(|line| {
            let input = ChainLine {
                evidence: line.evidence(),
                amount: line.amount(),
                on: line.date(),
            };
            chain.code(&input, &mut scratch)
        })
        .collect()
}

/// The scores of coded lines: their labels, and their confidence — 0 (never automated) when the
/// model's part has less support than `min_support`.
pub fn line_scores(coded: &[Coded], min_support: f32) -> Vec<LineScore<'_>> {
    coded
        .iter()
        .map(|c| {
            let labels = c.labels.iter().map(Option::as_deref).collect();
            let confidence = if c.support >= min_support {
                c.confidence
            } else {
                0.0
            };
            LineScore { labels, confidence }
        })
        .collect()
}

/// The lines of `test` scored from their codings `coded` (see [`line_scores`]), whether each is
/// right in every one of `fields`, and each invoice's outcome by id.
#[derive(Debug, Clone)]
pub struct ScoredLines<'a> {
    pub scores: Vec<LineScore<'a>>,
    pub right: Vec<bool>,
    pub outcomes: BTreeMap<&'a str, InvoiceOutcome>,
}

/// Scores `test`'s lines, coded as `coded`, for `fields` with `min_support`.
pub fn scored_lines<'a, E: Example>(
    fields: &[Field],
    coded: &'a [Coded],
    test: &'a [E],
    min_support: f32,
) -> ScoredLines<'a> {
    let scores = line_scores(coded, min_support);
    let right: Vec<bool> = test
        .iter()
        .zip(&scores)
        .map(|(line, s)| line_right(fields, line, &s.labels))
        .collect();
    let outcomes = invoice_outcomes_by_id(
        test.iter()
            .zip(&scores)
            .zip(&right)
            .map(|((line, s), &r)| (line.invoice(), s.confidence, r)),
    );
    ScoredLines {
        scores,
        right,
        outcomes,
    }
}

/// Whether `labels` (one per field of `fields`) are all given and all right for `line`.
pub fn line_right<E: Example>(fields: &[Field], line: &E, labels: &[Option<&str>]) -> bool {
    fields
        .iter()
        .zip(labels)
        .all(|(&f, p)| p.is_some() && *p == line.label(f))
}

/// Top-1 accuracy and macro-F1 of one field: `truth` and `pred` hold one label per line.
pub fn field_score(field: Field, truth: &[Option<&str>], pred: &[Option<&str>]) -> FieldScore {
    FieldScore {
        field,
        top1_accuracy: accuracy(truth, pred),
        macro_f1: macro_f1(truth, pred),
    }
}

/// The area of each invoice of `test`: its first line's, else [`UNKNOWN_AREA`]; by invoice id.
pub fn invoice_areas<E: Example>(test: &[E]) -> BTreeMap<&str, &str> {
    let mut area_of: BTreeMap<&str, &str> = BTreeMap::new();
    for line in test {
        area_of
            .entry(line.invoice())
            .or_insert_with(|| line.area().unwrap_or(UNKNOWN_AREA));
    }
    area_of
}

/// Measures `scored`, the scores of the lines of `test` (one each, in order).
///
/// # Panics
/// If `scored` does not have one line score and one baseline score per test line, or a line
/// score does not have one label per field.
pub fn evaluate_scored<E: Example>(test: &[E], scored: &Scored<'_>) -> Evaluation {
    assert_eq!(
        scored.lines.len(),
        test.len(),
        "one line score per test line"
    );
    assert_eq!(
        scored.baseline.len(),
        test.len(),
        "one baseline score per test line"
    );
    let fields = &scored.fields;
    assert!(
        scored.lines.iter().all(|l| l.labels.len() == fields.len()),
        "one label per field in every line score"
    );

    let line_right: Vec<bool> = test
        .iter()
        .zip(&scored.lines)
        .map(|(line, s)| line_right(fields, line, &s.labels))
        .collect();
    let joint_right = line_right.iter().filter(|&&r| r).count();
    let outcomes = invoice_outcomes(
        test.iter()
            .zip(&scored.lines)
            .zip(&line_right)
            .map(|((line, s), &right)| (line.invoice(), s.confidence, right)),
    );
    let automation = scored
        .thresholds
        .iter()
        .map(|&(target, t)| (target, automation_at(&outcomes, t)))
        .collect();

    let truths: Vec<Vec<Option<&str>>> = fields
        .iter()
        .map(|&f| test.iter().map(|l| l.label(f)).collect())
        .collect();
    let predictions: Vec<Vec<Option<&str>>> = (0..fields.len())
        .map(|fi| scored.lines.iter().map(|s| s.labels[fi]).collect())
        .collect();
    let scores = fields
        .iter()
        .enumerate()
        .map(|(fi, &field)| field_score(field, &truths[fi], &predictions[fi]))
        .collect();

    let baseline_outcomes = invoice_outcomes(
        test.iter()
            .zip(&scored.baseline)
            .map(|(line, &(confidence, right))| (line.invoice(), confidence, right)),
    );
    let baseline_top1 = ratio(
        scored.baseline.iter().filter(|(_, right)| *right).count(),
        test.len(),
    );
    let baseline_automation = scored
        .baseline_thresholds
        .iter()
        .map(|&(target, t)| (target, automation_at(&baseline_outcomes, t)))
        .collect();

    let default_threshold = scored.thresholds.first().map_or(NOTHING, |&(_, t)| t);
    let (worst_accounts, rare_accounts) = match (truths.first(), predictions.first()) {
        (Some(truth), Some(pred)) => label_precision(truth, pred),
        _ => (Vec::new(), rare_labels(&BTreeMap::new())),
    };

    Evaluation {
        rows: test.len(),
        invoices: outcomes.len(),
        fields: scores,
        joint_accuracy: ratio(joint_right, test.len()),
        automation,
        baseline_top1,
        baseline_automation,
        curve: curve(&outcomes),
        baseline_curve: curve(&baseline_outcomes),
        per_area: per_area(test, &outcomes, default_threshold),
        worst_accounts,
        rare_accounts,
        confusions: confusions(fields, &truths, &predictions),
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

/// Precision against automation at every distinct invoice confidence above zero (an invoice
/// with confidence zero is never automated), most confident first, thinned to [`CURVE_POINTS`].
pub fn curve(outcomes: &[InvoiceOutcome]) -> Vec<CurvePoint> {
    let mut sorted = outcomes.to_vec();
    sorted.sort_by(|a, b| b.confidence.total_cmp(&a.confidence));
    let mut points = Vec::new();
    let (mut right, mut taken, mut i) = (0usize, 0usize, 0usize);
    while i < sorted.len() {
        let c = sorted[i].confidence;
        if c.is_nan() || c <= 0.0 {
            break;
        }
        while i < sorted.len() && sorted[i].confidence == c {
            right += usize::from(sorted[i].right);
            taken += 1;
            i += 1;
        }
        points.push(CurvePoint {
            threshold: c,
            rate: ratio(taken, sorted.len()),
            precision: ratio(right, taken),
        });
    }
    thin(points, CURVE_POINTS)
}

/// Keeps at most `max` points, spread evenly in automation rate; the first and the last stay.
/// `points` must be in increasing rate.
fn thin(points: Vec<CurvePoint>, max: usize) -> Vec<CurvePoint> {
    if points.len() <= max || max < 2 {
        return points;
    }
    let (first, last) = (points[0].rate, points[points.len() - 1].rate);
    let mut kept: Vec<CurvePoint> = Vec::with_capacity(max);
    let mut previous = None;
    for k in 0..max {
        let target = first + (last - first) * k as f64 / (max - 1) as f64;
        let i = points
            .partition_point(|p| p.rate < target)
            .min(points.len() - 1);
        if previous != Some(i) {
            kept.push(points[i]);
            previous = Some(i);
        }
    }
    kept
}

/// Automation per area (its first line's, else [`UNKNOWN_AREA`]) at `threshold`.
fn per_area<E: Example>(test: &[E], outcomes: &[InvoiceOutcome], threshold: f32) -> Vec<AreaScore> {
    // Invoice order is the same as in `invoice_outcomes`: by invoice id.
    let area_of = invoice_areas(test);
    // area → (invoices, automated, right among automated)
    let mut counts: BTreeMap<&str, (usize, usize, usize)> = BTreeMap::new();
    for (area, o) in area_of.values().zip(outcomes) {
        let c = counts.entry(area).or_default();
        c.0 += 1;
        if o.confidence >= threshold {
            c.1 += 1;
            c.2 += usize::from(o.right);
        }
    }
    let mut areas: Vec<AreaScore> = counts
        .into_iter()
        .map(|(area, (invoices, automated, right))| AreaScore {
            area: area.to_owned(),
            invoices,
            automated,
            precision: (automated > 0).then(|| ratio(right, automated)),
            rate: ratio(automated, invoices),
        })
        .collect();
    // Stable: equal counts stay in area order.
    areas.sort_by_key(|a| std::cmp::Reverse(a.invoices));
    areas
}

/// Per predicted label of one field, its precision (the worst ones), and recall on rare labels.
/// Lines whose true label is unknown are left out.
fn label_precision(
    truth: &[Option<&str>],
    pred: &[Option<&str>],
) -> (Vec<LabelPrecision>, RareLabels) {
    // label → (predicted, right, actual)
    let mut counts: BTreeMap<&str, (usize, usize, usize)> = BTreeMap::new();
    for (t, p) in truth.iter().zip(pred) {
        let Some(t) = *t else { continue };
        counts.entry(t).or_default().2 += 1;
        if let Some(p) = *p {
            let c = counts.entry(p).or_default();
            c.0 += 1;
            c.1 += usize::from(p == t);
        }
    }
    let mut worst: Vec<LabelPrecision> = counts
        .iter()
        .filter(|(_, c)| c.0 >= WORST_MIN_PREDICTED)
        .map(|(&label, &(predicted, right, actual))| LabelPrecision {
            label: label.to_owned(),
            predicted,
            right,
            precision: ratio(right, predicted),
            actual,
        })
        .collect();
    // Stable: ties stay in label order.
    worst.sort_by(|a, b| {
        a.precision
            .total_cmp(&b.precision)
            .then(b.predicted.cmp(&a.predicted))
    });
    worst.truncate(WORST_LABELS);
    (worst, rare_labels(&counts))
}

fn rare_labels(counts: &BTreeMap<&str, (usize, usize, usize)>) -> RareLabels {
    let rare = counts
        .values()
        .filter(|c| c.2 > 0 && c.2 < RARE_LABEL_LINES);
    let (labels, lines, right) = rare.fold((0, 0, 0), |(n, lines, right), c| {
        (n + 1, lines + c.2, right + c.1)
    });
    RareLabels {
        labels,
        lines,
        right,
        recall: (lines > 0).then(|| ratio(right, lines)),
    }
}

/// The most frequent (field, truth, predicted) with both known and different.
fn confusions(
    fields: &[Field],
    truths: &[Vec<Option<&str>>],
    predictions: &[Vec<Option<&str>>],
) -> Vec<Confusion> {
    let mut counts: BTreeMap<(usize, &str, &str), usize> = BTreeMap::new();
    for (fi, (truth, pred)) in truths.iter().zip(predictions).enumerate() {
        for (t, p) in truth.iter().zip(pred) {
            if let (Some(t), Some(p)) = (*t, *p)
                && t != p
            {
                *counts.entry((fi, t, p)).or_default() += 1;
            }
        }
    }
    let mut list: Vec<_> = counts.into_iter().collect();
    // Stable: ties stay in (field, truth, predicted) order.
    list.sort_by_key(|c| std::cmp::Reverse(c.1));
    list.truncate(CONFUSIONS);
    list.into_iter()
        .map(|((fi, truth, predicted), count)| Confusion {
            field: fields[fi],
            truth: truth.to_owned(),
            predicted: predicted.to_owned(),
            count,
        })
        .collect()
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 { 0.0 } else { a as f64 / b as f64 }
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

    fn o(confidence: f32, right: bool) -> InvoiceOutcome {
        InvoiceOutcome { confidence, right }
    }

    #[test]
    fn the_curve_takes_ties_together_and_never_automates_zero_confidence() {
        let c = curve(&[
            o(0.9, true),
            o(0.0, true),
            o(0.8, false),
            o(0.9, true),
            o(0.7, true),
        ]);
        let got: Vec<(f32, f64, f64)> = c
            .iter()
            .map(|p| (p.threshold, p.rate, p.precision))
            .collect();
        assert_eq!(
            got,
            vec![(0.9, 0.4, 1.0), (0.8, 0.6, 2.0 / 3.0), (0.7, 0.8, 0.75)]
        );
        assert!(curve(&[o(0.0, true)]).is_empty());
    }

    #[test]
    fn a_long_curve_is_thinned_evenly_in_rate_keeping_both_ends() {
        let outcomes: Vec<InvoiceOutcome> = (0..1000)
            .map(|i| o(1.0 - i as f32 / 1000.0, i % 3 != 0))
            .collect();
        let c = curve(&outcomes);
        assert!(
            c.len() <= CURVE_POINTS && c.len() >= CURVE_POINTS - 5,
            "{}",
            c.len()
        );
        assert_eq!(c[0].rate, 0.001);
        assert_eq!(c[c.len() - 1].rate, 1.0);
        assert!(c.windows(2).all(|w| w[0].rate < w[1].rate));
        // Evenly: no gap much wider than the 1/199 step.
        let widest = c
            .windows(2)
            .map(|w| w[1].rate - w[0].rate)
            .fold(0.0, f64::max);
        assert!(widest <= 1.0 / 199.0 + 0.0011, "{widest}");
    }
}
