//! Rolling-origin evaluation: for every calendar year the data allows, a model trained on the
//! `train_years` whole years before it and evaluated on that year, month by month — how the
//! model would have done had it been retrained every January.
//!
//! **Which years are origins.** With the lines restricted to the period (when one is given),
//! year *Y* is an origin when
//!
//! 1. the data starts early enough: its first line lies on or before the
//!    [`START_GRACE_DAYS`]th day of year *Y − n* (*n* = `train_years`), i.e. by 31 January —
//!    a window whose first weeks are empty (New Year, a period starting on the 15th) is still
//!    whole;
//! 2. every year *Y − n* … *Y − 1* has lines; and
//! 3. year *Y* has lines.
//!
//! The origin trains on exactly the lines dated 1 January *Y − n* to 31 December *Y − 1* and is
//! evaluated on the lines dated in *Y* (up to the period's end): the two windows never overlap.
//! Months of a training window without any line are reported, not refused.
//!
//! Each origin is trained with [`train`] and the caller's [`TrainOptions`] (what `kontera train`
//! uses), and measured with the evaluation's own functions: its lines coded through the
//! precedence chain ([`code_lines`]), scored ([`line_scores`], [`line_right`]), grouped into
//! invoices ([`invoice_outcomes_by_id`]) — an invoice is automated only if every line clears the
//! threshold and right only if every field of every line is right — and automation measured at
//! each of the model's thresholds ([`automation_at`]), over the year and per month. An invoice
//! belongs to the month of its earliest line.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::Path;

use chrono::{Datelike, Days, NaiveDate};
use kontera_core::Chart;
use kontera_core::model::Field;
use kontera_core::precedence::RuleSet;

use crate::evaluate::{ScoredLines, code_lines, scored_lines};
use crate::example::Example;
use crate::fit::{TrainError, TrainOptions, Trained, train};
use crate::report::{rolling_html, rolling_json};
use crate::threshold::{Automation, InvoiceOutcome, automation_at};

pub use crate::report::rolling_html::{AUTOMATION_TITLE, PRECISION_TITLE};

/// A training window's data must start within its first this many days (by 31 January).
pub const START_GRACE_DAYS: u64 = 31;
/// The target whose months the JSON report's `months` lists (every target's are under
/// `automation`).
pub const MONTHS_TARGET: f64 = 0.99;
/// The origin rule in one sentence, for the reports.
pub const RULE: &str = "Year Y is an origin when the data's first line lies within the first 31 \
     days of year Y-n (by 31 January), every year Y-n..Y-1 has lines, and Y has lines; the model \
     is trained on exactly 1 January Y-n to 31 December Y-1 and evaluated on Y (n = train_years). \
     An invoice belongs to the month of its earliest line.";

/// How to evaluate.
#[derive(Debug, Clone, PartialEq)]
pub struct RollingOptions {
    /// Whole calendar years each origin trains on (at least 1).
    pub train_years: u32,
    /// Only lines in `from..=to` are used; `None` uses them all.
    pub period: Option<(NaiveDate, NaiveDate)>,
    /// How each origin's model is fitted.
    pub train: TrainOptions,
}

/// One origin: the training window and the evaluated year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Origin {
    pub test_year: i32,
    /// 1 January of `test_year - train_years`.
    pub train_from: NaiveDate,
    /// 31 December of `test_year - 1`.
    pub train_to: NaiveDate,
    /// 1 January of `test_year`.
    pub test_from: NaiveDate,
    /// 31 December of `test_year`, or the period's end if earlier.
    pub test_to: NaiveDate,
}

impl Origin {
    /// Whether `date` is in the training window.
    pub fn trains_on(&self, date: NaiveDate) -> bool {
        (self.train_from..=self.train_to).contains(&date)
    }

    /// Whether `date` is in the evaluated window.
    pub fn tests_on(&self, date: NaiveDate) -> bool {
        (self.test_from..=self.test_to).contains(&date)
    }

    /// The first day of every month of the evaluated window, in order.
    pub fn test_months(&self) -> Vec<NaiveDate> {
        months_between(self.test_from, self.test_to)
    }
}

/// Automation in one month at one threshold.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MonthFigures {
    /// The month's first day.
    pub month: NaiveDate,
    /// The month's invoices and those automated at the threshold ([`Automation::precision`] is
    /// 1 when none are; see [`MonthFigures::precision`]).
    pub automation: Automation,
}

impl MonthFigures {
    /// `YYYY-MM`.
    pub fn label(&self) -> String {
        self.month.format("%Y-%m").to_string()
    }

    /// Automated invoices that were right.
    pub fn right(&self) -> usize {
        right_of(&self.automation)
    }

    /// The realised precision; `None` when nothing was automated.
    pub fn precision(&self) -> Option<f64> {
        (self.automation.automated > 0).then_some(self.automation.precision)
    }
}

/// One target precision's figures for one origin: the year, and every month of it.
#[derive(Debug, Clone, PartialEq)]
pub struct TargetFigures {
    pub target: f64,
    /// Automation over the evaluated year at the threshold chosen in training for `target`.
    pub automation: Automation,
    /// Every month of the evaluated window, in order (months without invoices included).
    pub months: Vec<MonthFigures>,
}

impl TargetFigures {
    /// Automated invoices that were right over the year.
    pub fn right(&self) -> usize {
        right_of(&self.automation)
    }

    /// The month with the lowest realised precision among months with automated invoices
    /// (ties: more automated first, then the earlier month).
    pub fn worst_month(&self) -> Option<&MonthFigures> {
        self.months
            .iter()
            .filter(|m| m.automation.automated > 0)
            .min_by(|a, b| {
                a.automation
                    .precision
                    .total_cmp(&b.automation.precision)
                    .then(b.automation.automated.cmp(&a.automation.automated))
                    .then(a.month.cmp(&b.month))
            })
    }
}

/// One origin evaluated.
#[derive(Debug, Clone, PartialEq)]
pub struct OriginFigures {
    pub origin: Origin,
    /// Lines trained on, and the first day of the model's calibration part.
    pub train_lines: usize,
    pub calibration_from: NaiveDate,
    /// Months of the training window without a single line (gaps in the data).
    pub train_months_without_lines: Vec<NaiveDate>,
    /// Lines and invoices evaluated.
    pub lines: usize,
    pub invoices: usize,
    /// Share of evaluated lines right in every field the model predicts.
    pub joint_accuracy: f64,
    /// One per target precision, in the order of the model's thresholds (the default first).
    pub targets: Vec<TargetFigures>,
}

impl OriginFigures {
    /// The figures for `target`, if the model has a threshold for it.
    pub fn target(&self, target: f64) -> Option<&TargetFigures> {
        self.targets.iter().find(|t| t.target == target)
    }
}

/// A whole rolling-origin evaluation.
#[derive(Debug, Clone, PartialEq)]
pub struct Rolling {
    pub train_years: u32,
    pub period: Option<(NaiveDate, NaiveDate)>,
    pub train: TrainOptions,
    /// In test-year order.
    pub origins: Vec<OriginFigures>,
}

/// Why a rolling evaluation could not be made.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum RollingError {
    #[error("--train-years must be at least 1, got 0")]
    NoTrainYears,
    #[error("no labelled lines to evaluate; check --from/--to against the data's dates")]
    Empty,
    #[error(
        "no origin: with {train_years} training years a year needs the {train_years} whole \
         calendar years before it in the data (first line by 31 January of the first), but the \
         data runs from {first} to {last}; give fewer --train-years or a wider --from/--to"
    )]
    NoOrigins {
        train_years: u32,
        first: NaiveDate,
        last: NaiveDate,
    },
    #[error("training the origin for {test_year} on {from}..{to}: {source}")]
    Train {
        test_year: i32,
        from: NaiveDate,
        to: NaiveDate,
        source: TrainError,
    },
}

/// The origins `dates` (the lines' dates, any order) allow with `train_years` training years,
/// in test-year order; only dates inside `period` count (see the module's rule).
pub fn origins(
    dates: impl IntoIterator<Item = NaiveDate>,
    train_years: u32,
    period: Option<(NaiveDate, NaiveDate)>,
) -> Vec<Origin> {
    let inside = |d: &NaiveDate| period.is_none_or(|(from, to)| (from..=to).contains(d));
    let mut years = BTreeSet::new();
    let mut first: Option<NaiveDate> = None;
    for d in dates.into_iter().filter(inside) {
        years.insert(d.year());
        first = Some(first.map_or(d, |f| f.min(d)));
    }
    let (Some(first), Ok(n)) = (first, i32::try_from(train_years)) else {
        return Vec::new();
    };
    if n == 0 {
        return Vec::new();
    }
    years
        .iter()
        .filter_map(|&year| {
            let start = jan_1(year.checked_sub(n)?)?;
            let starts_in_time = first < start.checked_add_days(Days::new(START_GRACE_DAYS))?;
            let whole = (year - n..year).all(|y| years.contains(&y));
            if !(starts_in_time && whole) {
                return None;
            }
            let end = dec_31(year)?;
            Some(Origin {
                test_year: year,
                train_from: start,
                train_to: dec_31(year - 1)?,
                test_from: jan_1(year)?,
                test_to: period.map_or(end, |(_, to)| end.min(to)),
            })
        })
        .collect()
}

/// Evaluates every origin of `lines` (any order): trains each on its window, measures it on its
/// year. `progress` gets a line as each origin starts training and evaluating
/// (`origin 2/3: training 2017-01-01..2019-12-31 (12345 lines)`).
pub fn rolling<E: Example + Clone>(
    lines: &[E],
    options: &RollingOptions,
    chart: Option<&Chart>,
    mut progress: impl FnMut(&str),
) -> Result<Rolling, RollingError> {
    if options.train_years == 0 {
        return Err(RollingError::NoTrainYears);
    }
    let inside = |d: NaiveDate| {
        options
            .period
            .is_none_or(|(from, to)| (from..=to).contains(&d))
    };
    let dates: Vec<NaiveDate> = lines
        .iter()
        .map(Example::date)
        .filter(|&d| inside(d))
        .collect();
    let (Some(&first), Some(&last)) = (dates.iter().min(), dates.iter().max()) else {
        return Err(RollingError::Empty);
    };
    let found = origins(dates.iter().copied(), options.train_years, options.period);
    if found.is_empty() {
        return Err(RollingError::NoOrigins {
            train_years: options.train_years,
            first,
            last,
        });
    }
    let count = found.len();
    let mut figures = Vec::with_capacity(count);
    for (i, origin) in found.iter().enumerate() {
        let (_, f) = evaluate_origin(lines, origin, &options.train, chart, |stage| {
            progress(&format!("origin {}/{count}: {stage}", i + 1));
        })?;
        figures.push(f);
    }
    Ok(Rolling {
        train_years: options.train_years,
        period: options.period,
        train: options.train.clone(),
        origins: figures,
    })
}

/// Trains `origin`'s model on the lines of its training window and measures it on its evaluated
/// window; answers the model too. `progress` gets `training …` and `evaluating …`.
pub fn evaluate_origin<E: Example + Clone>(
    lines: &[E],
    origin: &Origin,
    options: &TrainOptions,
    chart: Option<&Chart>,
    mut progress: impl FnMut(&str),
) -> Result<(Trained, OriginFigures), RollingError> {
    // Cloned in the data's order, so each origin is trained exactly as `kontera train` would
    // train on its window.
    let train_lines: Vec<E> = lines
        .iter()
        .filter(|l| origin.trains_on(l.date()))
        .cloned()
        .collect();
    progress(&format!(
        "training {}..{} ({} lines)",
        origin.train_from,
        origin.train_to,
        train_lines.len()
    ));
    let trained = train(&train_lines, options, |_| {}).map_err(|source| RollingError::Train {
        test_year: origin.test_year,
        from: origin.train_from,
        to: origin.train_to,
        source,
    })?;
    let test: Vec<E> = lines
        .iter()
        .filter(|l| origin.tests_on(l.date()))
        .cloned()
        .collect();
    progress(&format!(
        "evaluating {}..{} ({} lines)",
        origin.test_from,
        origin.test_to,
        test.len()
    ));
    let mut figures = measure_origin(origin, &trained, &test, chart);
    figures.train_months_without_lines = months_without_lines(
        origin.train_from,
        origin.train_to,
        train_lines.iter().map(Example::date),
    );
    Ok((trained, figures))
}

/// Measures `trained` on `test` (the lines of `origin`'s evaluated window), coding every line
/// through the precedence chain (its own account string valid in `chart`, then the model), as
/// `kontera evaluate` does. `train_months_without_lines` is left empty.
pub fn measure_origin<E: Example>(
    origin: &Origin,
    trained: &Trained,
    test: &[E],
    chart: Option<&Chart>,
) -> OriginFigures {
    let fields: Vec<Field> = trained.model.fields.iter().map(|f| f.field).collect();
    let coded = code_lines(&trained.model, test, chart, &RuleSet::default());
    let ScoredLines {
        right, outcomes, ..
    } = scored_lines(&fields, &coded, test, trained.min_support);
    // Each invoice in the month of its earliest line.
    let mut month_of: BTreeMap<&str, NaiveDate> = BTreeMap::new();
    for line in test {
        let m = month_start(line.date());
        month_of
            .entry(line.invoice())
            .and_modify(|e| *e = (*e).min(m))
            .or_insert(m);
    }
    let mut by_month: BTreeMap<NaiveDate, Vec<InvoiceOutcome>> = origin
        .test_months()
        .into_iter()
        .map(|m| (m, Vec::new()))
        .collect();
    for (invoice, o) in &outcomes {
        by_month.entry(month_of[invoice]).or_default().push(*o);
    }
    let all: Vec<InvoiceOutcome> = outcomes.values().copied().collect();
    let targets = trained
        .thresholds
        .iter()
        .map(|&(target, threshold)| TargetFigures {
            target,
            automation: automation_at(&all, threshold),
            months: by_month
                .iter()
                .map(|(&month, outcomes)| MonthFigures {
                    month,
                    automation: automation_at(outcomes, threshold),
                })
                .collect(),
        })
        .collect();
    let right_lines = right.iter().filter(|&&r| r).count();
    OriginFigures {
        origin: *origin,
        train_lines: trained.lines,
        calibration_from: trained.calibration_from,
        train_months_without_lines: Vec::new(),
        lines: test.len(),
        invoices: all.len(),
        joint_accuracy: if test.is_empty() {
            0.0
        } else {
            right_lines as f64 / test.len() as f64
        },
        targets,
    }
}

/// What a rolling evaluation was of: shown at the top of both reports.
#[derive(Debug, Clone, PartialEq)]
pub struct RollingMeta {
    pub title: String,
    /// The data evaluated on (a path or a name).
    pub data: String,
}

/// The evaluation as pretty JSON with a fixed key order; non-finite numbers are `null`.
pub fn to_json(rolling: &Rolling, meta: &RollingMeta) -> serde_json::Result<String> {
    rolling_json::to_string(rolling, meta)
}

/// The evaluation as one self-contained HTML page with inline SVG charts.
pub fn to_html(rolling: &Rolling, meta: &RollingMeta) -> String {
    rolling_html::page(rolling, meta)
}

/// Writes [`to_json`] to `path`.
pub fn write_json(rolling: &Rolling, meta: &RollingMeta, path: &Path) -> std::io::Result<()> {
    let mut text = to_json(rolling, meta).map_err(std::io::Error::other)?;
    text.push('\n');
    std::fs::write(path, text)
}

/// Writes [`to_html`] to `path`.
pub fn write_html(rolling: &Rolling, meta: &RollingMeta, path: &Path) -> std::io::Result<()> {
    std::fs::write(path, to_html(rolling, meta))
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} (trained {}..{})",
            self.test_year, self.train_from, self.train_to
        )
    }
}

fn right_of(a: &Automation) -> usize {
    if a.automated == 0 {
        0
    } else {
        (a.precision * a.automated as f64).round() as usize
    }
}

fn jan_1(year: i32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(year, 1, 1)
}

fn dec_31(year: i32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(year, 12, 31)
}

fn month_start(d: NaiveDate) -> NaiveDate {
    d.with_day(1).unwrap_or(d)
}

/// The first day of every month from `from`'s to `to`'s.
fn months_between(from: NaiveDate, to: NaiveDate) -> Vec<NaiveDate> {
    let mut months = Vec::new();
    let mut m = month_start(from);
    while m <= to {
        months.push(m);
        match m.checked_add_months(chrono::Months::new(1)) {
            Some(next) => m = next,
            None => break,
        }
    }
    months
}

/// The months of `from..=to` in which none of `dates` falls.
fn months_without_lines(
    from: NaiveDate,
    to: NaiveDate,
    dates: impl IntoIterator<Item = NaiveDate>,
) -> Vec<NaiveDate> {
    let seen: BTreeSet<NaiveDate> = dates.into_iter().map(month_start).collect();
    months_between(from, to)
        .into_iter()
        .filter(|m| !seen.contains(m))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    /// One date on the 15th of every month from `from` to `to` (year, month).
    fn monthly(from: (i32, u32), to: (i32, u32)) -> Vec<NaiveDate> {
        months_between(d(from.0, from.1, 1), d(to.0, to.1, 1))
            .into_iter()
            .map(|m| m.with_day(15).unwrap())
            .collect()
    }

    fn test_years(o: &[Origin]) -> Vec<i32> {
        o.iter().map(|o| o.test_year).collect()
    }

    #[test]
    fn five_whole_years_give_two_origins_with_three_training_years() {
        let dates = monthly((2020, 1), (2024, 12));
        let o = origins(dates, 3, None);
        assert_eq!(test_years(&o), vec![2023, 2024]);
        assert_eq!(o[0].train_from, d(2020, 1, 1));
        assert_eq!(o[0].train_to, d(2022, 12, 31));
        assert_eq!(
            (o[0].test_from, o[0].test_to),
            (d(2023, 1, 1), d(2023, 12, 31))
        );
    }

    #[test]
    fn a_late_start_is_whole_only_within_the_first_31_days() {
        // Data from 31 January 2020: 2020 still counts as whole.
        let mut dates = vec![d(2020, 1, 31)];
        dates.extend(monthly((2020, 2), (2023, 6)));
        assert_eq!(test_years(&origins(dates.clone(), 3, None)), vec![2023]);
        // From 1 February it does not.
        dates[0] = d(2020, 2, 1);
        assert!(origins(dates, 3, None).is_empty());
    }

    #[test]
    fn the_period_limits_the_data_and_the_last_test_window() {
        let dates = monthly((2015, 4), (2022, 8));
        // 2015 starts in April, so 2018 is not an origin without a period either.
        assert_eq!(
            test_years(&origins(dates.clone(), 3, None)),
            vec![2019, 2020, 2021, 2022]
        );
        let period = Some((d(2016, 1, 1), d(2021, 12, 31)));
        assert_eq!(
            test_years(&origins(dates.clone(), 3, period)),
            vec![2019, 2020, 2021]
        );
        let period = Some((d(2016, 1, 1), d(2021, 6, 30)));
        let o = origins(dates, 3, period);
        assert_eq!(o.last().unwrap().test_to, d(2021, 6, 30));
        assert_eq!(o.last().unwrap().test_months().len(), 6);
    }

    #[test]
    fn a_year_without_lines_breaks_the_windows_that_contain_it() {
        let mut dates = monthly((2015, 1), (2016, 12));
        dates.extend(monthly((2018, 1), (2022, 12)));
        // 2017 is empty: no window may contain it, and it is not tested.
        assert_eq!(test_years(&origins(dates, 2, None)), vec![2020, 2021, 2022]);
    }

    #[test]
    fn gaps_inside_a_training_window_are_found() {
        let dates = [d(2020, 1, 3), d(2020, 3, 9)];
        assert_eq!(
            months_without_lines(d(2020, 1, 1), d(2020, 4, 30), dates),
            vec![d(2020, 2, 1), d(2020, 4, 1)]
        );
    }
}
