//! Fitting a coding model on a window of labelled lines, with calibration and thresholds chosen
//! on the window's last months (never on anything later).
//!
//! 1. Split the window: the *fit* part and the last `calibration_months` (the *calibration* part).
//! 2. Build the evidence tables from the fit part; learn each field's weights on a sample of
//!    fit-part lines scored leave-one-out (a line is never its own evidence).
//! 3. Score the calibration part with those tables (a true look ahead), fit the calibration, and
//!    choose the thresholds at invoice level for the target precisions — on confidences
//!    cross-fitted over two folds of invoices, so that no threshold is chosen on the lines its
//!    calibration was fitted on.
//!    Partly predicted codings (the account fixed by the invoice or a rule) get calibrations of
//!    their own, fitted the same way on the same lines for each subset of the other fields.
//! 4. Rebuild the tables from the whole window for service; weights and calibration stay. The
//!    similar-invoice index is built from the whole window too.

use std::collections::BTreeMap;

use chrono::{Datelike, Months, NaiveDate};
use kontera_core::model::fit::{FitOptions, RankingSet, fit_weights};
use kontera_core::model::{
    BandedCalibration, CodingModel, Exclude, Field, FieldModel, FieldSet, Head, HeadScratch,
    KeyScratch, LineKeys, ModelScratch, SimilarBuilder, SimilarIndex, SubsetCalibration,
    TableBuilder,
};
use rustc_hash::FxHashMap;

use crate::example::Example;
use crate::threshold::{InvoiceOutcome, invoice_outcomes, threshold_for};

/// How to fit.
#[derive(Debug, Clone, PartialEq)]
pub struct TrainOptions {
    /// The last months of the window used for calibration and thresholds.
    pub calibration_months: u32,
    /// Lines sampled (evenly over the fit part) to learn the weights from.
    pub ranking_sample: usize,
    /// Precisions to choose thresholds for; the first is the service's default.
    pub target_precisions: Vec<f64>,
    /// Lines whose top coding has less support are never automated.
    pub min_support: f32,
    /// Past lines count half as much for every this many days of age (recent history is the
    /// better guide when codings drift); `None` weighs all lines alike.
    pub half_life_days: Option<f64>,
    pub fit: FitOptions,
}

impl Default for TrainOptions {
    fn default() -> Self {
        TrainOptions {
            calibration_months: 6,
            ranking_sample: 20_000,
            target_precisions: vec![0.99, 0.95],
            min_support: 3.0,
            half_life_days: Some(365.0),
            fit: FitOptions::default(),
        }
    }
}

/// A fitted model with what the training found out about it.
#[derive(Debug, Clone, PartialEq)]
pub struct Trained {
    pub model: CodingModel,
    /// (target precision, threshold), in the order of `TrainOptions::target_precisions`.
    pub thresholds: Vec<(f64, f32)>,
    pub min_support: f32,
    pub first_day: NaiveDate,
    pub last_day: NaiveDate,
    pub calibration_from: NaiveDate,
    pub lines: usize,
    pub fit_lines: usize,
    pub calibration_lines: usize,
    /// Per field: mean loss of the learned weights on the ranking sample.
    pub losses: Vec<(Field, f32)>,
}

/// Why a model could not be fitted.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum TrainError {
    #[error("no lines to train on; check the --from/--to window against the data's dates")]
    Empty,
    #[error("no field has labels; the data must give at least an account or a cost centre")]
    NoLabels,
    #[error(
        "the window {first}..{last} is too short for {months} months of calibration; \
         give a longer window or fewer calibration months"
    )]
    WindowTooShort {
        first: NaiveDate,
        last: NaiveDate,
        months: u32,
    },
}

/// Fits a model on `lines` (any order); `progress` is told each stage as it starts.
pub fn train<E: Example>(
    lines: &[E],
    options: &TrainOptions,
    mut progress: impl FnMut(&str),
) -> Result<Trained, TrainError> {
    let first_day = lines
        .iter()
        .map(Example::date)
        .min()
        .ok_or(TrainError::Empty)?;
    let last_day = lines
        .iter()
        .map(Example::date)
        .max()
        .ok_or(TrainError::Empty)?;
    let calibration_from = last_day
        .checked_sub_months(Months::new(options.calibration_months))
        .filter(|d| *d > first_day)
        .ok_or(TrainError::WindowTooShort {
            first: first_day,
            last: last_day,
            months: options.calibration_months,
        })?;

    progress("vocabulary");
    let fields: Vec<Field> = Field::ALL
        .into_iter()
        .filter(|&f| lines.iter().any(|l| l.label(f).is_some()))
        .collect();
    if fields.is_empty() {
        return Err(TrainError::NoLabels);
    }
    let vocab: Vec<Vocabulary> = fields.iter().map(|&f| Vocabulary::new(lines, f)).collect();
    let labels: Vec<Vec<Option<u32>>> = vocab
        .iter()
        .map(|v| {
            lines
                .iter()
                .map(|l| l.label(v.field).and_then(|s| v.id(s)))
                .collect()
        })
        .collect();

    progress("keys");
    let mut key_scratch = KeyScratch::default();
    let keys: Vec<LineKeys> = lines
        .iter()
        .map(|l| {
            let mut k = LineKeys::default();
            k.extract(&l.evidence(), &mut key_scratch);
            k
        })
        .collect();
    let in_fit: Vec<bool> = lines.iter().map(|l| l.date() < calibration_from).collect();
    let days: Vec<i32> = lines.iter().map(|l| l.date().num_days_from_ce()).collect();
    // Lines in date order, so that each key's latest use is found.
    let mut order: Vec<usize> = (0..lines.len()).collect();
    order.sort_by_key(|&i| days[i]);
    let weigh = |reference: NaiveDate| -> Vec<f32> {
        let r = reference.num_days_from_ce();
        days.iter()
            .map(|&d| match options.half_life_days {
                Some(h) => 0.5f64.powf(f64::from((r - d).max(0)) / h) as f32,
                None => 1.0,
            })
            .collect()
    };
    let fit_weights_by_age = weigh(calibration_from);

    progress("evidence tables (fit part)");
    let fit_heads: Vec<Head> = (0..fields.len())
        .map(|fi| {
            let rows = Rows {
                keys: &keys,
                labels: &labels[fi],
                weights: &fit_weights_by_age,
                days: &days,
                order: &order,
            };
            build_head(&rows, vocab[fi].len(), |i| in_fit[i])
        })
        .collect();

    progress("weights");
    let fit_idx: Vec<usize> = (0..lines.len()).filter(|&i| in_fit[i]).collect();
    let step = (fit_idx.len() / options.ranking_sample.max(1)).max(1);
    let sample: Vec<usize> = fit_idx.iter().copied().step_by(step).collect();
    let mut heads = Vec::with_capacity(fields.len());
    let mut losses = Vec::new();
    for (fi, head) in fit_heads.into_iter().enumerate() {
        let mut set = RankingSet::default();
        let mut hs = HeadScratch::default();
        for &i in &sample {
            let Some(right) = labels[fi][i] else { continue };
            let exclude = Exclude {
                label: right,
                weight: fit_weights_by_age[i],
                day: days[i],
            };
            head.features(&keys[i], Some(exclude), &mut hs);
            set.push(&hs, right);
        }
        let (weights, loss) = fit_weights(&set, options.fit);
        losses.push((fields[fi], loss));
        heads.push(Head { weights, ..head });
    }

    progress("calibration");
    let mut model = CodingModel {
        fields: fields
            .iter()
            .zip(&vocab)
            .zip(heads)
            .map(|((&field, v), head)| FieldModel {
                field,
                labels: v.labels.clone(),
                head,
            })
            .collect(),
        calibration: BandedCalibration::default(),
        partial: Vec::new(),
        similar: SimilarIndex::default(),
    };
    let mut scratch = ModelScratch::default();
    let mut pairs = Vec::new();
    let mut cal_lines = Vec::new();
    let subsets = partial_sets(&fields);
    let mut subset_triples: Vec<Vec<(f32, f32, bool)>> = vec![Vec::new(); subsets.len()];
    for (i, line) in lines.iter().enumerate().filter(|(i, _)| !in_fit[*i]) {
        scratch.keys.clone_from(&keys[i]);
        let p = model.predict_keys(None, &mut scratch);
        let right_in = |set: FieldSet| {
            set.iter()
                .all(|fi| labels[fi][i].is_some() && p.top(fi) == labels[fi][i])
        };
        let right = right_in(FieldSet::all(fields.len()));
        pairs.push((p.raw, p.support, right));
        cal_lines.push((line.invoice(), p.raw, p.support, right));
        for (set, triples) in subsets.iter().zip(&mut subset_triples) {
            let (raw, support) = p.partial(*set).unwrap_or((0.0, 0.0));
            triples.push((raw, support, right_in(*set)));
        }
    }
    model.calibration = BandedCalibration::fit(&pairs);
    model.partial = subsets
        .iter()
        .zip(&subset_triples)
        .map(|(&fields, triples)| SubsetCalibration {
            fields,
            calibration: BandedCalibration::fit(triples),
        })
        .collect();
    // Thresholds are chosen on confidences the calibration did not see: two folds by invoice,
    // each calibrated by a map fitted on the other (choosing them on the fitted lines flatters).
    let fold_of = |invoice: &str| fx_fold(invoice);
    let fold_maps: [BandedCalibration; 2] = [0, 1].map(|fold| {
        let other: Vec<(f32, f32, bool)> = cal_lines
            .iter()
            .filter(|l| fold_of(l.0) != fold)
            .map(|&(_, raw, support, right)| (raw, support, right))
            .collect();
        BandedCalibration::fit(&other)
    });
    let outcomes: Vec<InvoiceOutcome> =
        invoice_outcomes(cal_lines.iter().map(|&(inv, raw, support, right)| {
            let confidence = if support >= options.min_support {
                fold_maps[fold_of(inv)].apply(raw, support)
            } else {
                0.0
            };
            (inv, confidence, right)
        }));
    let thresholds = options
        .target_precisions
        .iter()
        .map(|&t| (t, threshold_for(&outcomes, t)))
        .collect();

    progress("evidence tables (whole window)");
    let all_weights = weigh(last_day);
    for (fi, fm) in model.fields.iter_mut().enumerate() {
        let rows = Rows {
            keys: &keys,
            labels: &labels[fi],
            weights: &all_weights,
            days: &days,
            order: &order,
        };
        let head = build_head(&rows, vocab[fi].len(), |_| true);
        fm.head = Head {
            weights: fm.head.weights,
            ..head
        };
    }
    progress("similar invoices");
    model.similar = similar_index(lines, &keys, &labels, &order);
    let fit_lines = in_fit.iter().filter(|&&b| b).count();
    Ok(Trained {
        model,
        thresholds,
        min_support: options.min_support,
        first_day,
        last_day,
        calibration_from,
        lines: lines.len(),
        fit_lines,
        calibration_lines: lines.len() - fit_lines,
        losses,
    })
}

/// The subsets of fields a coding can be partly predicted in: the account fixed (by the
/// invoice's account string or a rule) and any non-empty subset of the other fields predicted.
fn partial_sets(fields: &[Field]) -> Vec<FieldSet> {
    if fields.first() != Some(&Field::Account) {
        return Vec::new();
    }
    let all = FieldSet::all(fields.len()).bits();
    (1..=all)
        .filter(|bits| bits & 1 == 0)
        .filter_map(FieldSet::from_bits)
        .collect()
}

/// The similar-invoice index over every line that has all fields' labels, in date order.
fn similar_index<E: Example>(
    lines: &[E],
    keys: &[LineKeys],
    labels: &[Vec<Option<u32>>],
    order: &[usize],
) -> SimilarIndex {
    let mut numbers: FxHashMap<&str, u32> = FxHashMap::default();
    let mut names: Vec<&str> = Vec::new();
    let mut builder = SimilarBuilder::new(labels.len());
    let mut coding = Vec::with_capacity(labels.len());
    for &i in order {
        coding.clear();
        coding.extend(labels.iter().map_while(|l| l[i]));
        if coding.len() < labels.len() {
            continue;
        }
        let invoice = lines[i].invoice();
        let n = *numbers.entry(invoice).or_insert_with(|| {
            names.push(invoice);
            names.len() as u32 - 1
        });
        builder.add(&keys[i], &coding, n);
    }
    builder.finish(&names)
}

/// A stable fold (0 or 1) for an invoice id: FxHash, the same on every run.
fn fx_fold(invoice: &str) -> usize {
    use std::hash::Hasher;
    let mut h = rustc_hash::FxHasher::default();
    h.write(invoice.as_bytes());
    (h.finish() >> 17) as usize & 1
}

/// One field's view of the lines: keys, labels, weights by age, days, and date order.
struct Rows<'a> {
    keys: &'a [LineKeys],
    labels: &'a [Option<u32>],
    weights: &'a [f32],
    days: &'a [i32],
    order: &'a [usize],
}

/// Builds one field's tables and prior from the lines `include` accepts, in date order.
fn build_head(rows: &Rows<'_>, n_labels: usize, include: impl Fn(usize) -> bool) -> Head {
    let mut builder = TableBuilder::default();
    let mut counts = vec![0.0f32; n_labels];
    for &i in rows.order {
        let Some(label) = rows.labels[i] else {
            continue;
        };
        if !include(i) {
            continue;
        }
        counts[label as usize] += rows.weights[i];
        for (_, key) in rows.keys[i].iter() {
            builder.add(key, label, rows.weights[i], rows.days[i]);
        }
    }
    Head {
        table: builder.finish(),
        prior: counts.iter().map(|c| c.ln_1p()).collect(),
        weights: kontera_core::model::fit::initial_weights(),
    }
}

/// The labels of one field, sorted, with their ids.
#[derive(Debug, Clone)]
struct Vocabulary {
    field: Field,
    labels: Vec<String>,
    ids: BTreeMap<String, u32>,
}

impl Vocabulary {
    fn new<E: Example>(lines: &[E], field: Field) -> Vocabulary {
        let mut ids: BTreeMap<String, u32> = lines
            .iter()
            .filter_map(|l| l.label(field))
            .map(|s| (s.to_owned(), 0))
            .collect();
        let labels: Vec<String> = ids.keys().cloned().collect();
        for (i, v) in ids.values_mut().enumerate() {
            *v = i as u32;
        }
        Vocabulary { field, labels, ids }
    }

    fn id(&self, label: &str) -> Option<u32> {
        self.ids.get(label).copied()
    }

    fn len(&self) -> usize {
        self.labels.len()
    }
}
