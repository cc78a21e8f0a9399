//! Generator of a synthetic Danish municipality's invoice history (see `data/README.md`).
//!
//! [`generate`] turns checked [`GenerateParams`] into the six contract tables plus a [`Truth`]
//! side record, with drift in one year if [`ValidParams::with_drift_year`] asks for it. The same
//! parameters always give the same data, byte for byte once written.

mod catalogue;
mod chart;
mod contracts;
mod creditors;
mod draft;
mod drift;
mod emit;
mod org;
mod params;
mod text;
mod truth;

use std::collections::BTreeMap;

use chrono::{Datelike, Days, NaiveDate};
use kontera_data::Dataset;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

pub use params::{GenerateParams, ParamError, ValidParams};
pub use truth::{
    Defect, DriftEffect, DriftTruth, LineTruth, Reorganisation, ReorganisationKind, Repurposing,
    Truth,
};

use crate::chart::ChartPlan;
use crate::contracts::{build_contracts, contract_drafts};
use crate::creditors::{build_creditors, creditors_table, weighted_index};
use crate::draft::{Draft, MONTH_WEIGHTS, draft_adhoc};
use crate::drift::Drift;
use crate::emit::{CREDIT_NOTE_SHARE, Emitter, World};
use crate::org::{build_units, units_table};

/// A generated municipality: the contract tables and what the generator knows about them.
#[derive(Debug, Clone, PartialEq)]
pub struct Generated {
    pub dataset: Dataset,
    pub truth: Truth,
}

/// Share of each year's invoices that come from monthly contracts.
const CONTRACT_SHARE: f64 = 0.15;
/// The random stream of the drift (`--drift-year`), used by nothing else.
const DRIFT_STREAM: u64 = 6;

/// Generates the municipality. `progress` is called after each year with (done, total) years.
pub fn generate(params: &ValidParams, mut progress: impl FnMut(u32, u32)) -> Generated {
    let p = params.get();
    // One independent stream per stage, so that changing one stage does not reshuffle the others.
    let stream = |k: u64| ChaCha8Rng::seed_from_u64(p.seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ k);
    let first_day = ymd(p.first_year, 1, 1);
    let end_day = ymd(p.first_year + p.years as i32, 1, 1);

    let plan = ChartPlan::new(p.first_year, p.years);
    let units = build_units(&mut stream(1));
    let mut creditors = build_creditors(
        &mut stream(2),
        &units,
        first_day,
        end_day,
        p.years,
        p.invoices_per_year,
    );
    let contract_count =
        ((f64::from(p.invoices_per_year) * CONTRACT_SHARE / 12.0).round() as usize).max(1);
    let contracts = build_contracts(
        &mut stream(3),
        &creditors,
        &units,
        (first_day, end_day),
        contract_count,
    );

    // Drift has a stream of its own and only appends to what is drawn above (its creditors
    // arrive in the drift year), so that without it nothing changes.
    let mut drift = params.drift_year().map(|year| {
        let mut drift = Drift::new(stream(DRIFT_STREAM), year, &units);
        drift.add_creditors(&mut creditors, &units, end_day, p.invoices_per_year);
        drift
    });

    let mut rng = stream(4);
    let mut emitter = Emitter::default();
    for y in 0..p.years {
        let year = p.first_year + y as i32;
        let mut drafts = Vec::with_capacity(p.invoices_per_year as usize);
        contract_drafts(&mut rng, &contracts, &creditors, year, &mut drafts);
        let adhoc = (p.invoices_per_year as usize).saturating_sub(drafts.len());
        adhoc_drafts(&mut rng, &creditors, &units, year, adhoc, &mut drafts);
        drafts.sort_by_key(|d| d.issue_date);
        let Some(drift) = drift.as_mut() else {
            let mut world = World {
                plan: &plan,
                units: &units,
                creditors: &mut creditors,
                repurposing: None,
            };
            for (n, draft) in drafts.iter().enumerate() {
                let id = format!("F{year}-{:07}", n + 1);
                emitter.emit(&mut rng, &mut world, draft, id);
            }
            progress(y + 1, p.years);
            continue;
        };
        // What drifts is chosen from the invoices of the year before the drift year; those of
        // its December invoices posted in January already take the re-purposed accounts.
        if year + 1 == drift.year() {
            drift.choose(&drafts, &units, &plan);
        }
        let reorganised = drift.reorganise(&mut drafts);
        for (n, draft) in drafts.iter().enumerate() {
            let id = format!("F{year}-{:07}", n + 1);
            let mut world = World {
                plan: &plan,
                units: drift.units_on(draft.issue_date).unwrap_or(&units),
                creditors: &mut creditors,
                repurposing: Some(drift.repurposing()),
            };
            let repurposed = emitter.emit(&mut rng, &mut world, draft, id.clone());
            drift.record(&id, draft, repurposed, reorganised[n]);
        }
        progress(y + 1, p.years);
    }

    let mut dataset = emitter.dataset;
    dataset.accounts = plan.accounts_table();
    dataset.units = units_table(&units);
    if let Some(drift) = &drift {
        dataset.accounts.extend(drift.new_account_rows());
        dataset.accounts.sort_by(|a, b| a.account.cmp(&b.account));
        dataset.units = units_table(drift.units_after());
    }
    dataset.creditors = creditors_table(&mut stream(5), &creditors, end_day);
    set_first_invoice(&mut dataset);
    debug_assert_eq!(plan.first_year(), p.first_year);
    Generated {
        dataset,
        truth: Truth {
            drift: drift.map(Drift::into_truth),
            ..emitter.truth
        },
    }
}

fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("a valid calendar date")
}

/// Ad-hoc invoices for one year: creditor by volume, month by season, day by chance.
fn adhoc_drafts(
    rng: &mut impl Rng,
    creditors: &[creditors::Creditor],
    units: &[org::Unit],
    year: i32,
    count: usize,
    out: &mut Vec<Draft>,
) {
    let start = ymd(year, 1, 1);
    let end = ymd(year + 1, 1, 1);
    let active: Vec<usize> = (0..creditors.len())
        .filter(|&i| {
            let c = &creditors[i];
            c.active_from < end && c.active_to > start && !c.customers.is_empty()
        })
        .collect();
    let weights: Vec<f64> = active.iter().map(|&i| creditors[i].weight).collect();
    // Cumulative weights for a binary-search draw: a linear scan is too slow for 200,000 a year.
    let cumulative: Vec<f64> = weights
        .iter()
        .scan(0.0, |acc, w| {
            *acc += w;
            Some(*acc)
        })
        .collect();
    let total = cumulative.last().copied().unwrap_or(0.0);
    if total <= 0.0 {
        return;
    }
    for _ in 0..count {
        let x = rng.random_range(0.0..total);
        let creditor = active[cumulative
            .partition_point(|&c| c <= x)
            .min(active.len() - 1)];
        let c = &creditors[creditor];
        let month = weighted_index(rng, &MONTH_WEIGHTS) as u32 + 1;
        let first = ymd(year, month, 1);
        let days_in_month = (first
            .checked_add_months(chrono::Months::new(1))
            .unwrap_or(end)
            - first)
            .num_days();
        let mut date = first + Days::new(rng.random_range(0..days_in_month as u64));
        if date < c.active_from || date >= c.active_to {
            let lo = c.active_from.max(start);
            let hi = c.active_to.min(end);
            date = lo + Days::new(rng.random_range(0..(hi - lo).num_days().max(1) as u64));
        }
        let date = working_day(date, start);
        let mut draft = draft_adhoc(rng, creditors, units, creditor, date);
        draft.credit_note = rng.random_bool(CREDIT_NOTE_SHARE);
        out.push(draft);
    }
}

/// Invoices are issued on working days: a weekend date moves back to its Friday, or on to Monday
/// when that Friday falls before `start` (the year's first day).
fn working_day(date: NaiveDate, start: NaiveDate) -> NaiveDate {
    let weekday = u64::from(date.weekday().number_from_monday());
    if weekday <= 5 {
        return date;
    }
    let friday = date - Days::new(weekday - 5);
    if friday >= start {
        friday
    } else {
        date + Days::new(8 - weekday)
    }
}

/// Fills `creditors.first_invoice` from the invoices actually generated.
fn set_first_invoice(dataset: &mut Dataset) {
    let mut first: BTreeMap<&str, NaiveDate> = BTreeMap::new();
    for inv in &dataset.invoices {
        first
            .entry(inv.creditor_id.as_str())
            .and_modify(|d| *d = (*d).min(inv.issue_date))
            .or_insert(inv.issue_date);
    }
    let first: BTreeMap<String, NaiveDate> =
        first.into_iter().map(|(k, v)| (k.to_owned(), v)).collect();
    for c in &mut dataset.creditors {
        c.first_invoice = first.get(&c.creditor_id).copied();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn weekend_dates_move_to_a_working_day_of_the_same_year() {
        // 2027 starts on a Friday: its first weekend goes back to that Friday (this once looped
        // for ever between Saturday and Sunday).
        assert_eq!(
            working_day(d("2027-01-02"), d("2027-01-01")),
            d("2027-01-01")
        );
        assert_eq!(
            working_day(d("2027-01-03"), d("2027-01-01")),
            d("2027-01-01")
        );
        // 2022 starts on a Saturday: its first weekend goes on to Monday.
        assert_eq!(
            working_day(d("2022-01-01"), d("2022-01-01")),
            d("2022-01-03")
        );
        assert_eq!(
            working_day(d("2022-01-02"), d("2022-01-01")),
            d("2022-01-03")
        );
        // Any other weekend goes back to its Friday; working days stay.
        assert_eq!(
            working_day(d("2024-06-16"), d("2024-01-01")),
            d("2024-06-14")
        );
        assert_eq!(
            working_day(d("2024-06-12"), d("2024-01-01")),
            d("2024-06-12")
        );
    }
}
