//! Fitting a coding model on a window of labelled lines, with calibration and thresholds chosen
//! on the window's own later periods, each scored as the service will meet it: from tables
//! that end where the period begins (never on anything after the window).
//!
//! A model serves for up to a year after its window ends, and codings drift between years, so
//! the calibration is *horizon-matched*: the calibration periods are `calibration_months` long
//! (12: the serving horizon), and each is scored with evidence tables built from the lines
//! before it — the same gap between tables and lines the service has.
//!
//! 1. Learn each field's weights on a sample of the lines before the window's last
//!    `weights_holdout_months` (at most `calibration_months`), scored leave-one-out with tables
//!    from those lines (a line is never its own evidence).
//! 2. For each calibration period, latest first (the last `calibration_months` of the window,
//!    then the period before it, up to `calibration_periods`; an earlier one only with at least
//!    half a period of history before it, and each with at least `min_period_invoices`
//!    invoices — with fewer in the latest, the window's last six months alone, as a small
//!    organisation's thresholds would otherwise be noise): build the tables from the lines
//!    before it and score its lines (a true look ahead).
//! 3. Fit the calibration on the periods' lines together: the main one on lines not flagged
//!    `recent_change`, the flagged lines' own on the flagged ones (see
//!    [`kontera_core::model::change`]). Partly predicted codings (the account fixed by the
//!    invoice or a rule) get calibrations of their own, fitted on the same lines for each subset
//!    of the other fields.
//! 4. Choose the thresholds at invoice level on confidences cross-fitted over two folds of
//!    invoices (no threshold is chosen on the lines its calibration was fitted on): for each
//!    target, the highest of the periods' thresholds, so that every period reaches it — a year
//!    that drifted more than the last one is then already allowed for.
//! 5. Rebuild the tables from the whole window for service; weights and calibration stay. The
//!    similar-invoice index is built from the whole window too.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Datelike, Days, Months, NaiveDate};
use kontera_core::model::change;
use kontera_core::model::fit::{FitOptions, RankingSet, fit_weights};
use kontera_core::model::{
    AmountBuckets, BandedCalibration, CodingModel, Exclude, Field, FieldModel, FieldSet, Head,
    HeadScratch, KeyScratch, LineKeys, ModelScratch, SimilarBuilder, SimilarIndex,
    SubsetCalibration, TableBuilder,
};
use rustc_hash::FxHashMap;

use crate::example::Example;
use crate::threshold::{InvoiceOutcome, ThresholdChoice, invoice_outcomes};

/// How to fit.
#[derive(Debug, Clone, PartialEq)]
pub struct TrainOptions {
    /// Length of a calibration period in months, and the gap between its lines and the end of
    /// the tables they are scored with: the horizon the model serves. A window shorter than
    /// that is calibrated on its later half.
    pub calibration_months: u32,
    /// Calibration periods, latest first, each `calibration_months` long and ending where the
    /// next one begins; thresholds must reach their target on each.
    pub calibration_periods: u32,
    /// Invoices a calibration period needs to take part: a 1% error rate is only measured on
    /// many invoices, and the highest of several small periods' thresholds is mostly noise.
    /// When the latest period has fewer, the window is calibrated on its last
    /// [`SHORT_CALIBRATION_MONTHS`] (at most `calibration_months`) alone, whatever their size.
    pub min_period_invoices: usize,
    /// The weights are learned on the lines before the window's last this many months (at most
    /// `calibration_months`).
    pub weights_holdout_months: u32,
    /// Lines sampled (evenly over the weights' part) to learn the weights from.
    pub ranking_sample: usize,
    /// Precisions to choose thresholds for; the first is the service's default.
    pub target_precisions: Vec<f64>,
    /// Lines whose top coding has less support are never automated.
    pub min_support: f32,
    /// Past lines count half as much for every this many days of age (recent history is the
    /// better guide when codings drift); `None` weighs all lines alike. Ages are counted from
    /// the end of the tables: each calibration period's start, the window's end for service.
    pub half_life_days: Option<f64>,
    /// How thresholds are chosen on the calibration invoices.
    pub thresholds: ThresholdChoice,
    pub fit: FitOptions,
}

impl Default for TrainOptions {
    fn default() -> Self {
        TrainOptions {
            calibration_months: 12,
            calibration_periods: 2,
            min_period_invoices: 10_000,
            weights_holdout_months: 6,
            ranking_sample: 20_000,
            target_precisions: vec![0.99, 0.95],
            min_support: 10.0,
            half_life_days: Some(365.0),
            thresholds: ThresholdChoice::Credible,
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
    /// How they were chosen (the baseline's are chosen alike when evaluating).
    pub threshold_choice: ThresholdChoice,
    pub min_support: f32,
    pub first_day: NaiveDate,
    pub last_day: NaiveDate,
    /// The first day of the latest calibration period (the window's last `calibration_months`).
    pub calibration_from: NaiveDate,
    pub lines: usize,
    /// Lines before the latest calibration period (the tables that scored it).
    pub fit_lines: usize,
    /// Lines scored for calibration, over all calibration periods.
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

/// The calibration of a window whose latest period is too small ([`TrainOptions::
/// min_period_invoices`]): its last this many months, one period.
pub const SHORT_CALIBRATION_MONTHS: u32 = 6;

/// A calibration period: its lines are `from..to`, scored with tables of the lines before it.
#[derive(Debug, Clone, Copy)]
struct Period {
    from: NaiveDate,
    to: NaiveDate,
}

/// The calibration periods of a window, latest first: the last `calibration_months` (or, in a
/// window shorter than that, its later half), then each period before it while at least half a
/// period of history precedes it — every one with at least `min_period_invoices` invoices
/// (`invoices` counts those of a period). When the latest has fewer, the last
/// [`SHORT_CALIBRATION_MONTHS`] alone.
fn periods(
    first: NaiveDate,
    last: NaiveDate,
    options: &TrainOptions,
    invoices: impl Fn(&Period) -> usize,
) -> Vec<Period> {
    let horizon = periods_of(
        first,
        last,
        options.calibration_months,
        options.calibration_periods,
    );
    let large: Vec<Period> = horizon
        .into_iter()
        .take_while(|p| invoices(p) >= options.min_period_invoices)
        .collect();
    if large.is_empty() {
        let months = SHORT_CALIBRATION_MONTHS.min(options.calibration_months);
        periods_of(first, last, months, 1)
    } else {
        large
    }
}

/// Up to `count` periods of `months` (of its later half in a window shorter than that),
/// latest first, each earlier one with at least half a period of history before it.
fn periods_of(first: NaiveDate, last: NaiveDate, wanted: u32, count: u32) -> Vec<Period> {
    let fits = |m: u32| {
        last.checked_sub_months(Months::new(m))
            .is_some_and(|d| d > first)
    };
    let months = if fits(wanted) {
        wanted
    } else {
        (1..wanted)
            .rev()
            .find(|&m| fits(m))
            .map_or(0, |m| (m / 2).max(1))
    };
    if months == 0 {
        return Vec::new();
    }
    let mut out = Vec::new();
    let mut to = last + Days::new(1);
    for k in 0..count.max(1) {
        let Some(from) = last.checked_sub_months(Months::new(months * (k + 1))) else {
            break;
        };
        let history = if k == 0 { 0 } else { months / 2 };
        let enough = first
            .checked_add_months(Months::new(history))
            .is_some_and(|d| from > first && from >= d);
        if !enough {
            break;
        }
        out.push(Period { from, to });
        to = from;
    }
    out
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
    let periods = periods(first_day, last_day, options, |p| {
        lines
            .iter()
            .filter(|l| (p.from..p.to).contains(&l.date()))
            .map(Example::invoice)
            .collect::<BTreeSet<_>>()
            .len()
    });
    let too_short = TrainError::WindowTooShort {
        first: first_day,
        last: last_day,
        months: options.calibration_months,
    };
    let calibration_from = periods.first().ok_or(too_short)?.from;
    // The weights' part ends at most a calibration period before the window's end, so it is
    // never shorter than the latest period's tables.
    let weights_to = last_day
        .checked_sub_months(Months::new(options.weights_holdout_months))
        .map_or(calibration_from, |d| d.max(calibration_from));

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
    // A new model's amount buckets, for its keys here and for scoring.
    let amount_buckets = AmountBuckets::default();
    let mut key_scratch = KeyScratch::default();
    let keys: Vec<LineKeys> = lines
        .iter()
        .map(|l| {
            let mut k = LineKeys::default();
            k.extract(&l.evidence(), amount_buckets, &mut key_scratch);
            k
        })
        .collect();
    let dates: Vec<NaiveDate> = lines.iter().map(Example::date).collect();
    let days: Vec<i32> = dates.iter().map(Datelike::num_days_from_ce).collect();
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
    // One field's tables and prior from the lines before `to` (all lines: `None`), weighed by
    // their age at `to` (at the window's end).
    let heads_before = |to: Option<NaiveDate>| -> Vec<Head> {
        let weights = weigh(to.unwrap_or(last_day));
        (0..fields.len())
            .map(|fi| {
                let rows = Rows {
                    keys: &keys,
                    labels: &labels[fi],
                    weights: &weights,
                    days: &days,
                    order: &order,
                };
                build_head(&rows, vocab[fi].len(), |i| to.is_none_or(|t| dates[i] < t))
            })
            .collect()
    };

    progress("weights");
    let weights_by_age = weigh(weights_to);
    let sample_idx: Vec<usize> = (0..lines.len())
        .filter(|&i| dates[i] < weights_to)
        .collect();
    let step = (sample_idx.len() / options.ranking_sample.max(1)).max(1);
    let sample: Vec<usize> = sample_idx.iter().copied().step_by(step).collect();
    let mut weights = Vec::with_capacity(fields.len());
    let mut losses = Vec::new();
    for (fi, head) in heads_before(Some(weights_to)).into_iter().enumerate() {
        let mut set = RankingSet::default();
        let mut hs = HeadScratch::default();
        for &i in &sample {
            let Some(right) = labels[fi][i] else { continue };
            let exclude = Exclude {
                label: right,
                weight: weights_by_age[i],
                day: days[i],
            };
            head.features(&keys[i], Some(exclude), &mut hs);
            set.push(&hs, right);
        }
        let (w, loss) = fit_weights(&set, options.fit);
        losses.push((fields[fi], loss));
        weights.push(w);
    }

    progress("calibration");
    let mut model = CodingModel {
        fields: fields
            .iter()
            .zip(&vocab)
            .map(|(&field, v)| FieldModel {
                field,
                labels: v.labels.clone(),
                head: Head {
                    table: Default::default(),
                    prior: Vec::new(),
                    weights: kontera_core::model::fit::initial_weights(),
                },
            })
            .collect(),
        calibration: BandedCalibration::default(),
        changed: None,
        partial: Vec::new(),
        similar: SimilarIndex::default(),
        amount_buckets,
    };
    let mut scratch = ModelScratch::default();
    let mut cal_lines: Vec<CalLine<'_>> = Vec::new();
    let subsets = partial_sets(&fields);
    let mut subset_triples: Vec<Vec<(f32, f32, bool)>> = vec![Vec::new(); subsets.len()];
    for (k, period) in periods.iter().enumerate() {
        for ((fm, head), w) in model
            .fields
            .iter_mut()
            .zip(heads_before(Some(period.from)))
            .zip(&weights)
        {
            fm.head = Head {
                weights: *w,
                ..head
            };
        }
        for i in (0..lines.len()).filter(|&i| (period.from..period.to).contains(&dates[i])) {
            scratch.keys.clone_from(&keys[i]);
            let p = model.predict_keys(None, &mut scratch);
            let right_in = |set: FieldSet| {
                set.iter()
                    .all(|fi| labels[fi][i].is_some() && p.top(fi) == labels[fi][i])
            };
            cal_lines.push(CalLine {
                invoice: lines[i].invoice(),
                period: k,
                raw: p.raw,
                support: p.support,
                right: right_in(FieldSet::all(fields.len())),
                flagged: p.recent_change,
            });
            for (set, triples) in subsets.iter().zip(&mut subset_triples) {
                let (raw, support) = p.partial(*set).unwrap_or((0.0, 0.0));
                triples.push((raw, support, right_in(*set)));
            }
        }
    }
    (model.calibration, model.changed) = fit_calibrations(&cal_lines, |_| true);
    model.partial = subsets
        .iter()
        .zip(&subset_triples)
        .map(|(&fields, triples)| SubsetCalibration {
            fields,
            calibration: BandedCalibration::fit(triples),
        })
        .collect();
    let thresholds = thresholds(&cal_lines, periods.len(), options);

    progress("evidence tables (whole window)");
    for ((fm, head), w) in model
        .fields
        .iter_mut()
        .zip(heads_before(None))
        .zip(&weights)
    {
        fm.head = Head {
            weights: *w,
            ..head
        };
    }
    progress("similar invoices");
    model.similar = similar_index(lines, &keys, &labels, &order);
    Ok(Trained {
        model,
        thresholds,
        threshold_choice: options.thresholds,
        min_support: options.min_support,
        first_day,
        last_day,
        calibration_from,
        lines: lines.len(),
        fit_lines: dates.iter().filter(|&&d| d < calibration_from).count(),
        calibration_lines: cal_lines.len(),
        losses,
    })
}

/// One calibration line as its period's tables scored it.
struct CalLine<'a> {
    invoice: &'a str,
    /// The calibration period (0: the latest).
    period: usize,
    raw: f32,
    support: f32,
    right: bool,
    /// Flagged `recent_change`.
    flagged: bool,
}

/// Flagged lines a calibration of their own needs; with fewer, flagged lines take the main one.
const MIN_CHANGED_LINES: usize = 200;

/// The main calibration and the flagged lines' one, fitted on the lines `take` accepts: the main
/// one on the unflagged lines, the other on the flagged ones — when there are enough of them;
/// otherwise the main one is fitted on all lines and there is no other.
fn fit_calibrations(
    lines: &[CalLine<'_>],
    take: impl Fn(&CalLine<'_>) -> bool,
) -> (BandedCalibration, Option<BandedCalibration>) {
    let triples = |flagged: Option<bool>| -> Vec<(f32, f32, bool)> {
        lines
            .iter()
            .filter(|l| take(l) && flagged.is_none_or(|f| l.flagged == f))
            .map(|l| (l.raw, l.support, l.right))
            .collect()
    };
    let changed = triples(Some(true));
    if changed.len() < MIN_CHANGED_LINES {
        return (BandedCalibration::fit(&triples(None)), None);
    }
    (
        BandedCalibration::fit(&triples(Some(false))),
        Some(BandedCalibration::fit(&changed)),
    )
}

/// The thresholds for `options.target_precisions`: per target, the highest of the calibration
/// periods' thresholds. Each is chosen on confidences the calibration did not see: two folds by
/// invoice, each calibrated by maps fitted on the other (choosing on the fitted lines flatters).
fn thresholds(lines: &[CalLine<'_>], periods: usize, options: &TrainOptions) -> Vec<(f64, f32)> {
    let fold_maps: [(BandedCalibration, Option<BandedCalibration>); 2] =
        [0, 1].map(|fold| fit_calibrations(lines, |l| fx_fold(l.invoice) != fold));
    let confidence = |l: &CalLine<'_>| {
        let (main, changed) = &fold_maps[fx_fold(l.invoice)];
        if l.support >= options.min_support {
            change::calibrated(main, changed.as_ref(), l.raw, l.support, l.flagged)
        } else {
            0.0
        }
    };
    let outcomes: Vec<Vec<InvoiceOutcome>> = (0..periods)
        .map(|k| {
            invoice_outcomes(
                lines
                    .iter()
                    .filter(|l| l.period == k)
                    .map(|l| (l.invoice, confidence(l), l.right)),
            )
        })
        .filter(|o| !o.is_empty())
        .collect();
    options
        .target_precisions
        .iter()
        .map(|&t| {
            let highest = outcomes
                .iter()
                .map(|o| options.thresholds.threshold(o, t))
                .fold(f32::NEG_INFINITY, f32::max);
            (t, if highest.is_finite() { highest } else { 1.5 })
        })
        .collect()
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
