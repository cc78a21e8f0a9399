//! Recurring monthly invoices: utilities, telephony, cleaning contracts, rent and social-care
//! placements (whose texts carry the citizen's CPR number).

use chrono::{Datelike, Days, Months, NaiveDate};
use rand::Rng;
use rand::seq::IndexedRandom;
use rust_decimal::Decimal;

use crate::catalogue::KINDS;
use crate::creditors::{Creditor, serves, weighted_index};
use crate::draft::{Draft, dkk, draft_line};
use crate::org::Unit;
use crate::text::random_cpr;

/// A monthly contract between a creditor and one unit.
#[derive(Debug, Clone)]
pub(crate) struct Contract {
    pub creditor: usize,
    pub unit: usize,
    pub item: usize,
    /// The unit's price level for this contract.
    pub factor: f64,
    pub cpr: Option<String>,
    pub start: NaiveDate,
    pub end: NaiveDate,
    /// Day of the month the invoice is issued.
    pub day: u32,
    /// Heating and electricity cost more in winter.
    pub seasonal: bool,
}

/// Draws `count` contracts over the period.
pub(crate) fn build_contracts(
    rng: &mut impl Rng,
    creditors: &[Creditor],
    units: &[Unit],
    (first_day, end_day): (NaiveDate, NaiveDate),
    count: usize,
) -> Vec<Contract> {
    let recurring: Vec<usize> = (0..creditors.len())
        .filter(|&i| KINDS[creditors[i].kind].recurring)
        .collect();
    if recurring.is_empty() {
        return Vec::new();
    }
    // Contracts spread over creditors more evenly than ad-hoc volume does.
    let weights: Vec<f64> = recurring
        .iter()
        .map(|&i| creditors[i].weight.sqrt())
        .collect();
    let months = months_between(first_day, end_day);
    (0..count)
        .map(|_| {
            let creditor = recurring[weighted_index(rng, &weights)];
            let c = &creditors[creditor];
            let eligible: Vec<usize> = (0..units.len())
                .filter(|&u| serves(c, units[u].area))
                .collect();
            let unit = *eligible
                .choose(rng)
                .expect("every recurring kind serves some area");
            let (start, end) = if rng.random_bool(0.6) {
                (c.active_from, c.active_to)
            } else {
                let s = first_day + Months::new(rng.random_range(0..months));
                let e = s + Months::new(rng.random_range(3..=36));
                (s.max(c.active_from), e.min(c.active_to))
            };
            let kind = &KINDS[c.kind];
            let item = rng.random_range(0..c.items.len());
            let text = kind.items[c.items[item].0].text;
            Contract {
                creditor,
                unit,
                item,
                factor: rng.random_range(0.5..1.8),
                cpr: kind.cpr_in_text.then(|| random_cpr(rng)),
                start,
                end,
                day: rng.random_range(1..=10),
                seasonal: text.starts_with("Fjernvarme") || text.starts_with("El "),
            }
        })
        .collect()
}

fn months_between(a: NaiveDate, b: NaiveDate) -> u32 {
    let m = (b.year() - a.year()) * 12 + b.month() as i32 - a.month() as i32;
    m.max(1) as u32
}

/// The invoices a contract produces in one calendar year.
pub(crate) fn contract_drafts(
    rng: &mut impl Rng,
    contracts: &[Contract],
    creditors: &[Creditor],
    year: i32,
    out: &mut Vec<Draft>,
) {
    for k in contracts {
        for month in 1..=12 {
            let Some(date) = NaiveDate::from_ymd_opt(year, month, 1)
                .map(|d| d + Days::new(u64::from(k.day - 1)))
            else {
                continue;
            };
            if date < k.start || date >= k.end {
                continue;
            }
            let season = if k.seasonal {
                1.0 + 0.6 * (f64::from(month) * std::f64::consts::TAU / 12.0).cos()
            } else {
                1.0
            };
            let c = &creditors[k.creditor];
            // Social-care texts name the citizen in most, not all, invoices.
            let cpr = k.cpr.clone().filter(|_| rng.random_bool(0.75));
            let mut line = draft_line(rng, c, k.item, 1.0, cpr);
            // A contract bills a steady amount, varying a little from month to month.
            let base = KINDS[c.kind].items[c.items[k.item].0].price;
            line.quantity = Decimal::ONE;
            line.unit_price = dkk(base * k.factor * season * rng.random_range(0.92..1.08));
            line.net = line.unit_price;
            out.push(Draft {
                creditor: k.creditor,
                unit: k.unit,
                cost_centre: 0,
                issue_date: date,
                credit_note: false,
                lines: vec![line],
                project: None,
                recurring: true,
            });
        }
    }
}
