//! Replaying a period of history through the service's own decision code: invoice by invoice in
//! date order, each coded and decided by [`code::prepare`] (screening, thresholds, the audit
//! draw) and stored as the service stores it; a controller's true coding of every invoice sent to
//! review is recorded through [`review::record_at`] when a controller would have coded it (after
//! the review delay), so the circuit breaker and the audit-driven thresholds (from the audit
//! samples) and the held-back corrections (from every review) move exactly as they would have.
//! Only the clock is simulated. A group of a day's decisions is stored (on the runtime's worker
//! thread) while the next group, which could find none of them, is coded. `kontera replay` turns
//! a data set into [`Case`]s and writes the [`Replay`] report (`report.rs`).

mod reasons;
mod report;

use std::collections::{BTreeMap, BTreeSet, HashSet, VecDeque};
use std::ops::Range;

use chrono::{Days, NaiveDate, NaiveTime};
use kontera_intake::Received;
use kontera_store::{self as store, Outcome, Recorded, ReviewLine, StoreError};
use rust_decimal::Decimal;
use serde::Serialize;
use tokio::task::JoinHandle;

use crate::auth::Principal;
use crate::code::{self, Identity};
use crate::models::LoadedModel;
use crate::review;
use crate::state::AppState;
use kontera_store::{ALL_AREAS, Role};

pub use reasons::{NO_REASON, ReviewReason};
pub use report::html;

use reasons::ReasonCounts;

/// One historical invoice: as an ERP would have sent it, and how it was truly posted.
#[derive(Debug, Clone)]
pub struct Case {
    pub received: Received,
    /// The true coding per line number. A field the history does not hold is `None` and is not
    /// judged.
    pub truth: Vec<TrueLine>,
}

/// The coding a line was truly posted with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrueLine {
    pub line_no: u32,
    pub account: String,
    pub cost_centre: Option<String>,
    pub vat_code: Option<String>,
}

/// How to replay.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Options {
    /// Days after an invoice arrives before a controller's coding of it is known: from the start
    /// of that day. 0: controllers answer at once, before the next invoice.
    pub review_delay_days: u32,
    /// At most this many invoices of a day are coded together — the store asked about their
    /// pasts in one statement per kind ([`code::prepare_all`]) — and stored in one write (see
    /// [`independent`]); 1 codes them one at a time. A day of more invoices than this starts
    /// with a group of an eighth of it, each next one twice the one before, and each is stored
    /// while the next is coded. The report is the same either way.
    pub at_once: usize,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            review_delay_days: 14,
            // About a day's invoices at 220,000 a year: each group is one write, and storing is
            // per commit (`benches/RESULTS.md`, "Larger groups").
            at_once: 512,
        }
    }
}

/// What the replay found, as `OUT.json` holds it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Replay {
    pub model_version: String,
    /// The first and last invoice dates replayed (`YYYY-MM-DD`).
    pub from: Option<String>,
    pub to: Option<String>,
    pub review_delay_days: u32,
    /// Invoices decided (repeats of an invoice already decided are not counted again).
    pub invoices: u64,
    /// Posted automatically.
    pub automated: u64,
    /// Posted automatically with every judged field of every line right.
    pub right: u64,
    pub automation_rate: f64,
    /// `right / automated`; `None` when nothing was automated.
    pub realised_precision: Option<f64>,
    /// Drawn for the blind audit (and coded by a controller after the delay).
    pub audit_samples: u64,
    /// Sent to review, the audit samples among them; each is coded by a controller after the
    /// delay when that falls before the last invoice replayed.
    pub reviewed: u64,
    /// Invoices sent again with a key already decided (answered from the store).
    pub repeats: u64,
    /// Why the `reviewed` invoices went to review, the commonest reason first.
    pub review_reasons: Vec<ReviewReason>,
    pub months: Vec<Month>,
    pub quarters: Vec<Month>,
    pub threshold_changes: Vec<ThresholdChange>,
    pub pauses: Vec<Pause>,
    /// Each area's opening for a year: the day controllers had reviewed enough of the year's
    /// invoices (`trust.year_opening_reviews`) for it to post automatically again.
    pub openings: Vec<Opening>,
    /// The first [`MAX_MISTAKES`] invoices posted automatically with a wrong line, in date order.
    pub mistakes: Vec<Mistake>,
}

/// At most this many mistakes are listed in the report.
pub const MAX_MISTAKES: usize = 500;

/// An invoice posted automatically with at least one line coded otherwise than truly posted.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Mistake {
    /// `YYYY-MM-DD`.
    pub date: String,
    pub decision_id: String,
    /// The invoice number, CPR-masked as stored.
    pub number: String,
    pub supplier: String,
    pub area: Option<String>,
    /// The wrong lines: as posted, and as truly posted (`account / cost centre / VAT code`).
    pub lines: Vec<WrongLine>,
}

/// One wrongly posted line.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WrongLine {
    pub line_no: u32,
    pub confidence: f64,
    pub posted: String,
    pub truth: String,
}

/// One calendar month (or quarter) of the replay.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Month {
    /// `YYYY-MM`, or `YYYY-Qn` for a quarter.
    pub month: String,
    pub invoices: u64,
    pub automated: u64,
    pub right: u64,
    pub automation_rate: f64,
    pub realised_precision: Option<f64>,
}

/// A change of the threshold an area's invoices were decided with.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ThresholdChange {
    /// `YYYY-MM-DD`: the first invoice decided with the new threshold.
    pub date: String,
    pub area: String,
    pub from: f32,
    pub to: f32,
}

/// A pause or resume of an area.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Pause {
    /// `YYYY-MM-DD`.
    pub date: String,
    pub area: String,
    pub paused: bool,
    pub by: String,
    pub reason: Option<String>,
}

/// An area's automation opening for a year (see [`crate::opening`]).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Opening {
    /// `YYYY-MM-DD`.
    pub date: String,
    pub area: String,
    pub year: i32,
    /// The reviews of the year's invoices counted when it opened.
    pub reviews: u64,
}

/// Why a replay stopped.
#[derive(Debug, thiserror::Error)]
pub enum ReplayError {
    #[error(transparent)]
    Store(#[from] StoreError),
    /// `invoice`: the first of the invoices being coded together.
    #[error(
        "coding invoice {invoice} (with the day's invoices coded together with it) failed: {message}"
    )]
    Code { invoice: String, message: String },
    #[error("recording the controllers' reviews of {on} failed: {message}")]
    Review { on: String, message: String },
}

/// An invoice sent to review, waiting for its controller.
struct Pending {
    /// When its coding is known: the start of the day the delay ends, and never before the
    /// invoice arrived.
    due_ms: i64,
    decision_id: String,
    truth: Vec<TrueLine>,
}

/// What the replay has counted so far.
#[derive(Default)]
struct Run {
    months: BTreeMap<String, Tally>,
    areas: BTreeSet<String>,
    /// The threshold each area's last invoice was decided with.
    served: BTreeMap<String, f32>,
    changes: Vec<ThresholdChange>,
    mistakes: Vec<Mistake>,
    audit_samples: u64,
    reviewed: u64,
    repeats: u64,
    reasons: ReasonCounts,
}

impl Run {
    /// Counts `case`, decided on `day` for `area` with `threshold` and stored as `recorded`; the
    /// decision id when it went to review (a controller will code it).
    fn add(
        &mut self,
        day: NaiveDate,
        case: &Case,
        area: Option<&str>,
        threshold: f32,
        recorded: Recorded,
    ) -> Option<String> {
        if let Some(a) = area {
            self.areas.insert(a.to_owned());
            match self.served.insert(a.to_owned(), threshold) {
                Some(from) if from != threshold => self.changes.push(ThresholdChange {
                    date: day.to_string(),
                    area: a.to_owned(),
                    from,
                    to: threshold,
                }),
                _ => {}
            }
        }
        let Recorded::New(decision) = recorded else {
            self.repeats += 1;
            return None;
        };
        let tally = self.months.entry(month_of(day)).or_default();
        tally.invoices += 1;
        if decision.outcome == Outcome::Auto {
            tally.automated += 1;
            let wrong = wrong_lines(&decision, &case.truth);
            if wrong.is_empty() {
                tally.right += 1;
            } else if self.mistakes.len() < MAX_MISTAKES {
                self.mistakes.push(Mistake {
                    date: day.to_string(),
                    decision_id: decision.decision_id.clone(),
                    number: decision.number.clone(),
                    supplier: decision.supplier.clone(),
                    area: decision.area.clone(),
                    lines: wrong,
                });
            }
        }
        if decision.audit {
            self.audit_samples += 1;
        }
        // Controllers code every invoice sent to them: the audit samples (which the breaker and
        // the audit rule judge) and the rest (which tell the service of corrections).
        (decision.outcome == Outcome::Review).then(|| {
            self.reviewed += 1;
            self.reasons.add(&decision.reasons);
            decision.decision_id
        })
    }
}

/// Counts per month.
#[derive(Default, Clone, Copy)]
struct Tally {
    invoices: u64,
    automated: u64,
    right: u64,
}

/// Replays `cases` (in date order; the caller sorts them) with `model` through `state`, a
/// service built on a scratch store; `progress` is told `(done, total)` now and then.
pub async fn replay(
    state: &AppState,
    model: &LoadedModel,
    cases: &[Case],
    options: Options,
    mut progress: impl FnMut(usize, usize),
) -> Result<Replay, ReplayError> {
    let controller = Principal {
        name: "replay".to_owned(),
        role: Role::Controller,
        areas: vec![ALL_AREAS.to_owned()],
        session: false,
        organisation: None,
    };
    let delay_days = u64::from(options.review_delay_days);
    let mut pending: VecDeque<Pending> = VecDeque::new();
    let mut run = Run::default();
    let organisation = state.store.organisation();

    let mut done = 0;
    let same_day =
        |a: &Case, b: &Case| a.received.invoice.issue_date == b.received.invoice.issue_date;
    for day_cases in cases.chunk_by(same_day) {
        progress(done, cases.len());
        let day = Day::of(day_cases, delay_days);
        // The controllers' codings known by then (a batch per moment they came due).
        review_due(state, &controller, &mut pending, day.opens_ms).await?;
        // The audit rule judges again the areas it holds (the service does so hourly).
        crate::adapt::rejudge(state, day.opens_ms).await?;
        crate::holds::rejudge(state, day.opens_ms).await?;

        // With no delay a coding comes due right after its invoice, so before the next one: one
        // at a time.
        let at_once = if delay_days == 0 {
            1
        } else {
            options.at_once.max(1)
        };
        let ids: Vec<Identity> = day_cases
            .iter()
            .map(|c| Identity::of(&c.received, organisation))
            .collect();
        // A day of more than one group starts with a small one, so that the next is coded
        // while it is stored; each group after is twice the one before, up to `at_once`. A day
        // of one group is one write (a commit costs about as much however few rows it holds).
        let mut size = if day_cases.len() <= at_once {
            at_once
        } else {
            (at_once / FIRST_GROUP_DIVISOR).max(1)
        };
        let mut storing: Option<Storing> = None;
        let mut start = 0;
        while start < day_cases.len() {
            // The controllers' codings due by now are recorded before this group is coded, after
            // the group being stored: with no review delay they can be of that group.
            let now = day.now_ms(start);
            if day.known_from <= now || pending.front().is_some_and(|p| p.due_ms <= now) {
                finish(storing.take(), &day, &mut run, &mut pending).await?;
                review_due(state, &controller, &mut pending, now).await?;
            }
            // Coded while the group before is stored, when none could find one of it in the
            // store; else after.
            let before = storing.as_ref().map_or(start, |s| s.range.start);
            let mut n = independent(&ids[before..], start - before, size);
            if n == 0 {
                finish(storing.take(), &day, &mut run, &mut pending).await?;
                n = independent(&ids[start..], 0, size);
            }
            let end = start + n;
            let group = (start..end)
                .map(|i| (&day_cases[i].received, ids[i].clone(), day.now_ms(i)))
                .collect();
            let prepared = code::prepare_all(state, model, group, day.date)
                .await
                .map_err(|e| ReplayError::Code {
                    invoice: day.invoice(start),
                    message: e.message,
                })?;
            // One writer: the group before is stored first.
            finish(storing.take(), &day, &mut run, &mut pending).await?;
            storing = Some(Storing::start(state, start..end, prepared));
            start = end;
            size = (size * 2).min(at_once);
        }
        finish(storing.take(), &day, &mut run, &mut pending).await?;
        done += day_cases.len();
    }
    progress(cases.len(), cases.len());
    let Run {
        months,
        areas,
        changes,
        mistakes,
        audit_samples,
        reviewed,
        repeats,
        reasons,
        ..
    } = run;

    let mut pauses = Vec::new();
    for area in &areas {
        for p in state.store.automation_history(area).await? {
            pauses.push(Pause {
                date: date_of(p.changed_at).to_string(),
                area: p.area,
                paused: p.paused,
                by: p.changed_by,
                reason: p.reason,
            });
        }
    }
    pauses.sort_by(|a, b| (&a.date, &a.area).cmp(&(&b.date, &b.area)));
    let openings = state
        .store
        .year_openings()
        .await?
        .into_iter()
        .map(|o| Opening {
            date: date_of(o.opened_at).to_string(),
            area: o.area,
            year: o.year,
            reviews: o.reviews,
        })
        .collect();

    let total = months.values().fold(Tally::default(), |t, m| Tally {
        invoices: t.invoices + m.invoices,
        automated: t.automated + m.automated,
        right: t.right + m.right,
    });
    Ok(Replay {
        model_version: model.label(),
        from: cases
            .first()
            .map(|c| c.received.invoice.issue_date.to_string()),
        to: cases
            .last()
            .map(|c| c.received.invoice.issue_date.to_string()),
        review_delay_days: options.review_delay_days,
        invoices: total.invoices,
        automated: total.automated,
        right: total.right,
        automation_rate: rate(total.automated, total.invoices),
        realised_precision: precision(total),
        audit_samples,
        reviewed,
        repeats,
        review_reasons: reasons.list(),
        quarters: quarters(&months),
        months: months
            .iter()
            .map(|(m, t)| month_figures(m.clone(), *t))
            .collect(),
        threshold_changes: changes,
        pauses,
        openings,
        mistakes,
    })
}

/// The first group of a day of more than `at_once` invoices is at most `at_once` / this (see
/// [`replay`]).
const FIRST_GROUP_DIVISOR: usize = 8;

/// One day of the replay.
struct Day<'a> {
    date: NaiveDate,
    cases: &'a [Case],
    /// Invoices arrive from 08:00 on their issue date, a millisecond apart.
    opens_ms: i64,
    /// When the controllers' codings of the day's invoices are known: the start of the day the
    /// review delay ends.
    known_from: i64,
}

impl<'a> Day<'a> {
    /// `cases`: one day's, in order.
    fn of(cases: &'a [Case], delay_days: u64) -> Day<'a> {
        let date = cases[0].received.invoice.issue_date;
        Day {
            date,
            cases,
            opens_ms: day_ms(date) + 8 * 3_600_000,
            known_from: day_ms(
                date.checked_add_days(Days::new(delay_days))
                    .unwrap_or(NaiveDate::MAX),
            ),
        }
    }

    /// When the day's `i`th invoice arrives.
    fn now_ms(&self, i: usize) -> i64 {
        self.opens_ms + i64::try_from(i).unwrap_or(i64::MAX)
    }

    /// The id of the day's `i`th invoice, for an error.
    fn invoice(&self, i: usize) -> String {
        self.cases[i].received.invoice.id.as_str().to_owned()
    }
}

/// A group's decisions and what storing each did.
type Stored = (Vec<store::Decision>, Vec<Recorded>);

/// A group of a day's decisions being stored (on the runtime's worker, while the next group is
/// coded on this thread).
struct Storing {
    /// The group: the day's cases `range`.
    range: Range<usize>,
    /// The threshold each was decided with.
    thresholds: Vec<f32>,
    task: JoinHandle<Result<Stored, StoreError>>,
}

impl Storing {
    fn start(state: &AppState, range: Range<usize>, prepared: Vec<code::Prepared>) -> Storing {
        let (records, thresholds): (Vec<store::Decision>, Vec<f32>) = prepared
            .into_iter()
            .map(|p| (p.record, p.response.threshold))
            .unzip();
        let store = state.store.clone();
        let task = tokio::spawn(async move {
            let recorded = store.record(&records).await?;
            Ok((records, recorded))
        });
        Storing {
            range,
            thresholds,
            task,
        }
    }
}

/// Waits until `storing` is stored and counts its invoices; those sent to review wait for their
/// controller in `pending`.
async fn finish(
    storing: Option<Storing>,
    day: &Day<'_>,
    run: &mut Run,
    pending: &mut VecDeque<Pending>,
) -> Result<(), ReplayError> {
    let Some(Storing {
        range,
        thresholds,
        task,
    }) = storing
    else {
        return Ok(());
    };
    let (records, recorded) = match task.await {
        Ok(stored) => stored?,
        Err(e) if e.is_panic() => std::panic::resume_unwind(e.into_panic()),
        Err(e) => {
            return Err(ReplayError::Code {
                invoice: day.invoice(range.start),
                message: format!("storing the decisions stopped: {e}"),
            });
        }
    };
    for (((i, record), threshold), recorded) in range.zip(&records).zip(thresholds).zip(recorded) {
        let case = &day.cases[i];
        let area = record.area.as_deref();
        if let Some(review) = run.add(day.date, case, area, threshold, recorded) {
            pending.push_back(Pending {
                due_ms: day.known_from.max(day.now_ms(i)),
                decision_id: review,
                truth: case.truth.clone(),
            });
        }
    }
    Ok(())
}

/// Records the controllers' codings of the `pending` invoices that are due by `now_ms`, in order:
/// those due at the same moment as one batch, at that moment ([`review_all`]).
async fn review_due(
    state: &AppState,
    who: &Principal,
    pending: &mut VecDeque<Pending>,
    now_ms: i64,
) -> Result<(), ReplayError> {
    while let Some(due) = pending.front().map(|p| p.due_ms).filter(|d| *d <= now_ms) {
        let mut batch = Vec::new();
        while pending.front().is_some_and(|p| p.due_ms == due) {
            batch.push(pending.pop_front().expect("checked"));
        }
        review_all(state, who, batch, due).await?;
    }
    Ok(())
}

/// Records the controllers' true codings of `due` (invoices sent to review) at `at_ms`, in one
/// batch through the service's review path ([`review::record_all_at`]: the breaker, the audit
/// rule and the held codes judge as they would).
async fn review_all(
    state: &AppState,
    who: &Principal,
    due: Vec<Pending>,
    at_ms: i64,
) -> Result<(), ReplayError> {
    let reviews = due
        .into_iter()
        .map(|p| {
            let lines = p
                .truth
                .into_iter()
                .map(|t| ReviewLine {
                    line_no: t.line_no,
                    account: t.account,
                    cost_centre: t.cost_centre,
                    vat_code: t.vat_code,
                })
                .collect();
            (p.decision_id, lines)
        })
        .collect();
    review::record_all_at(state, who, reviews, at_ms)
        .await
        .map(|_| ())
        .map_err(|e| ReplayError::Review {
            on: date_of(at_ms).to_string(),
            message: e.to_string(),
        })
}

/// How many of the invoices `ids[after..]` (of one day, in order) can be coded at once and
/// stored together with the same result as one at a time, while `ids[..after]` are being stored:
/// up to `at_once`, ending before the first invoice that could find an earlier one of them in the
/// store — a duplicate or a repeat, which needs the same supplier and the same number or total
/// ([`kontera_store::Store::duplicates`]). At least one when `after` is 0.
fn independent(ids: &[Identity], after: usize, at_once: usize) -> usize {
    let mut numbers: HashSet<(&str, &str)> = HashSet::new();
    let mut totals: HashSet<(&str, Decimal)> = HashSet::new();
    let mut n = 0;
    for (i, id) in ids.iter().enumerate() {
        if i >= after && n == at_once {
            break;
        }
        let supplier = id.supplier_key.as_str();
        let fresh =
            numbers.insert((supplier, id.number.as_str())) & totals.insert((supplier, id.total));
        if i >= after {
            if !fresh {
                break;
            }
            n += 1;
        }
    }
    n
}

/// The lines of `decision` with a judged field other than the true one (a field the history does
/// not hold is not judged; a line without a true coding is wrong).
fn wrong_lines(decision: &kontera_store::Decision, truth: &[TrueLine]) -> Vec<WrongLine> {
    let shown = |a: Option<&str>, c: Option<&str>, v: Option<&str>| {
        [a, c, v]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" / ")
    };
    decision
        .lines
        .iter()
        .filter_map(|l| {
            let t = truth.iter().find(|t| t.line_no == l.line_no);
            let right = t.is_some_and(|t| {
                l.account.as_deref() == Some(t.account.as_str())
                    && judged(&l.cost_centre, &t.cost_centre)
                    && judged(&l.vat_code, &t.vat_code)
            });
            (!right).then(|| WrongLine {
                line_no: l.line_no,
                confidence: l.confidence,
                posted: shown(
                    l.account.as_deref(),
                    l.cost_centre.as_deref(),
                    l.vat_code.as_deref(),
                ),
                truth: t.map_or_else(String::new, |t| {
                    shown(
                        Some(&t.account),
                        t.cost_centre.as_deref(),
                        t.vat_code.as_deref(),
                    )
                }),
            })
        })
        .collect()
}

/// A field the history holds must match; one it does not hold is not judged.
fn judged(coded: &Option<String>, truth: &Option<String>) -> bool {
    truth.is_none() || coded == truth
}

fn day_ms(day: NaiveDate) -> i64 {
    day.and_time(NaiveTime::MIN).and_utc().timestamp_millis()
}

fn date_of(ms: i64) -> NaiveDate {
    chrono::DateTime::from_timestamp_millis(ms).map_or(NaiveDate::MIN, |t| t.date_naive())
}

fn month_of(day: NaiveDate) -> String {
    day.format("%Y-%m").to_string()
}

fn rate(part: u64, whole: u64) -> f64 {
    if whole == 0 {
        0.0
    } else {
        part as f64 / whole as f64
    }
}

fn precision(t: Tally) -> Option<f64> {
    (t.automated > 0).then(|| t.right as f64 / t.automated as f64)
}

fn month_figures(month: String, t: Tally) -> Month {
    Month {
        month,
        invoices: t.invoices,
        automated: t.automated,
        right: t.right,
        automation_rate: rate(t.automated, t.invoices),
        realised_precision: precision(t),
    }
}

/// The months summed by calendar quarter (`YYYY-Qn`).
fn quarters(months: &BTreeMap<String, Tally>) -> Vec<Month> {
    let mut by: BTreeMap<String, Tally> = BTreeMap::new();
    for (m, t) in months {
        let (year, month) = m.split_once('-').unwrap_or((m, "01"));
        let q = (month.parse::<u32>().unwrap_or(1) - 1) / 3 + 1;
        let e = by.entry(format!("{year}-Q{q}")).or_default();
        e.invoices += t.invoices;
        e.automated += t.automated;
        e.right += t.right;
    }
    by.into_iter().map(|(q, t)| month_figures(q, t)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(supplier: &str, number: &str, total: i64) -> Identity {
        Identity {
            key: format!("{supplier}/{number}"),
            decision_id: format!("d-{supplier}-{number}"),
            supplier: Some(supplier.to_owned()),
            supplier_key: supplier.to_owned(),
            number: number.to_owned(),
            total: Decimal::new(total, 2),
        }
    }

    #[test]
    fn a_group_ends_before_the_same_supplier_with_the_same_number_or_total() {
        let ids = [id("A", "1", 100), id("B", "1", 100), id("A", "2", 200)];
        assert_eq!(independent(&ids, 0, 10), 3);
        // The same number, another total; then another number, the same total (1.00 = 1.0).
        let number = [id("A", "1", 100), id("B", "1", 100), id("A", "1", 300)];
        assert_eq!(independent(&number, 0, 10), 2);
        let mut total = [id("A", "1", 100), id("A", "2", 200), id("A", "3", 100)];
        total[2].total = Decimal::new(10, 1);
        assert_eq!(independent(&total, 0, 10), 2);
        // At most `at_once`, and at least one.
        assert_eq!(independent(&ids, 0, 2), 2);
        assert_eq!(independent(&ids[..1], 0, 10), 1);
    }

    #[test]
    fn a_group_coded_while_the_one_before_is_stored_could_find_none_of_it() {
        let ids = [
            id("A", "1", 100),
            id("B", "2", 50),
            // After the two being stored:
            id("C", "1", 100),
            id("A", "5", 7),
            id("B", "9", 50),
        ];
        assert_eq!(independent(&ids, 2, 10), 2);
        // Its first could find one of them: the group waits (none is coded alongside).
        assert_eq!(independent(&ids[1..], 3, 10), 0);
        assert_eq!(independent(&ids, 2, 1), 1);
    }
}
