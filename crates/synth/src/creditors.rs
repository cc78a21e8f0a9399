//! The creditors: a few large suppliers that serve every institution, thousands of small ones,
//! a steep power law of volume, and suppliers arriving and leaving every year.

use std::collections::BTreeSet;

use chrono::{Datelike, Days, NaiveDate};
use kontera_core::{Area, Cvr};
use kontera_data::CreditorRow;
use rand::Rng;
use rand::seq::{IndexedRandom, SliceRandom};

use crate::catalogue::{KINDS, kind_index};
use crate::org::Unit;
use crate::text::{TextStyle, address, company_name};

/// One creditor as the generator sees it.
#[derive(Debug, Clone)]
pub(crate) struct Creditor {
    pub id: String,
    pub cvr: Option<String>,
    pub name: String,
    pub kind: usize,
    /// Relative volume of ad-hoc invoices.
    pub weight: f64,
    pub active_from: NaiveDate,
    /// First day it no longer invoices.
    pub active_to: NaiveDate,
    /// Indices of the units it serves.
    pub customers: Vec<usize>,
    /// Indices into the kind's items that this creditor sells, with its own item ids.
    pub items: Vec<(usize, String)>,
    pub style: TextStyle,
    pub invoice_prefix: String,
    pub next_invoice_number: u32,
    /// Whether this creditor's lines are posted as one invoice-level posting when they agree.
    pub invoice_level: bool,
    /// Position in the volume ranking (0 = the largest supplier).
    pub volume_rank: usize,
}

/// The large suppliers, by volume rank: (name, kind).
const LARGE: &[(&str, &str)] = &[
    ("Dagrofa Foodservice A/S", "groceries"),
    ("Kommunekontoret A/S", "office"),
    ("Hygiejne Danmark A/S", "cleaning_supplies"),
    ("Medicoforsyningen A/S", "medical"),
    ("Læringsforlaget A/S", "learning"),
    ("Brændstofkortet A/S", "fuel"),
    ("Coop Institution A/S", "groceries"),
    ("Kommunedata IT A/S", "it"),
    ("Legeland Institutioner ApS", "toys"),
    ("Madservice Vest A/S", "catering"),
    ("Renovest I/S", "waste"),
    ("Flextrafik Syd A/S", "transport"),
];

/// The volume exponent of the power law: weight ∝ 1 / rank^ZIPF.
const ZIPF: f64 = 1.2;
/// New long-tail creditors each year, as a share of those there at the start.
const NEW_PER_YEAR: f64 = 0.18;
/// Share of creditors that stop invoicing in a year.
const LEAVE_PER_YEAR: f64 = 0.10;

/// Builds the creditors for the whole period; `scale` is invoices per year.
pub(crate) fn build_creditors(
    rng: &mut impl Rng,
    units: &[Unit],
    first_day: NaiveDate,
    end_day: NaiveDate,
    years: u32,
    scale: u32,
) -> Vec<Creditor> {
    let initial = initial_tail(scale);
    let mut used_cvrs = BTreeSet::new();
    let mut creditors = Vec::new();
    for (name, kind) in LARGE {
        creditors.push(new_creditor(
            rng,
            kind_index(kind),
            Some((*name).to_owned()),
            units,
            &mut used_cvrs,
            (first_day, end_day),
            creditors.len(),
        ));
    }
    let tail_weights: Vec<f64> = KINDS.iter().map(|k| k.tail_share).collect();
    // The long tail: some there from the start, and each later year NEW_PER_YEAR more arrive.
    // Each creditor stops invoicing after an exponential lifetime (about LEAVE_PER_YEAR a year).
    let arrivals_per_year = arrivals_per_year(scale);
    let arrivals = initial + arrivals_per_year * years.saturating_sub(1) as usize;
    for n in 0..arrivals {
        let kind = weighted_index(rng, &tail_weights);
        let from = if n < initial {
            first_day
        } else {
            let year = 1 + (n - initial) / arrivals_per_year.max(1);
            let start = first_day
                .with_year(first_day.year() + year as i32)
                .unwrap_or(first_day);
            start + Days::new(rng.random_range(0..365))
        };
        let u: f64 = rng.random_range(0.0..1.0);
        let lifetime = (-(1.0 - u).ln() * 365.0 / LEAVE_PER_YEAR) as u64 + 30;
        let to = (from + Days::new(lifetime)).min(end_day);
        let rank = creditors.len();
        creditors.push(new_creditor(
            rng,
            kind,
            None,
            units,
            &mut used_cvrs,
            (from, to),
            rank,
        ));
    }
    // Volume ranks: the large suppliers first, the tail in random order.
    let mut tail_ranks: Vec<usize> = (LARGE.len()..creditors.len()).collect();
    tail_ranks.shuffle(rng);
    for (offset, &i) in tail_ranks.iter().enumerate() {
        creditors[i].weight = zipf_weight(LARGE.len() + offset);
        creditors[i].volume_rank = LARGE.len() + offset;
    }
    creditors
}

/// Long-tail creditors there from the start, for `scale` invoices a year.
fn initial_tail(scale: u32) -> usize {
    (scale / 20).clamp(150, 20_000) as usize
}

/// Long-tail creditors that arrive in an ordinary year, for `scale` invoices a year.
pub(crate) fn arrivals_per_year(scale: u32) -> usize {
    (initial_tail(scale) as f64 * NEW_PER_YEAR) as usize
}

/// Appends `count` long-tail creditors arriving during `year` (the drift year's extra arrivals,
/// on top of the usual ones), each with the volume of a random tail rank, and returns their
/// indices. Those already there are left as they are.
pub(crate) fn extra_arrivals(
    rng: &mut impl Rng,
    creditors: &mut Vec<Creditor>,
    units: &[Unit],
    year: i32,
    end_day: NaiveDate,
    count: usize,
) -> std::ops::Range<usize> {
    let mut used_cvrs: BTreeSet<u32> = creditors
        .iter()
        .filter_map(|c| c.cvr.as_deref()?.parse().ok())
        .collect();
    let tail_weights: Vec<f64> = KINDS.iter().map(|k| k.tail_share).collect();
    let start = NaiveDate::from_ymd_opt(year, 1, 1).expect("1 January exists");
    let before = creditors.len();
    for _ in 0..count {
        let kind = weighted_index(rng, &tail_weights);
        let from = start + Days::new(rng.random_range(0..365));
        let u: f64 = rng.random_range(0.0..1.0);
        let lifetime = (-(1.0 - u).ln() * 365.0 / LEAVE_PER_YEAR) as u64 + 30;
        let to = (from + Days::new(lifetime)).min(end_day);
        let mut c = new_creditor(
            rng,
            kind,
            None,
            units,
            &mut used_cvrs,
            (from, to),
            creditors.len(),
        );
        let rank = rng.random_range(LARGE.len()..before.max(LARGE.len() + 1));
        c.weight = zipf_weight(rank);
        c.volume_rank = rank;
        creditors.push(c);
    }
    before..creditors.len()
}

fn zipf_weight(rank: usize) -> f64 {
    1.0 / ((rank + 1) as f64).powf(ZIPF)
}

/// Draws an index with probability proportional to its weight.
pub(crate) fn weighted_index(rng: &mut impl Rng, weights: &[f64]) -> usize {
    let total: f64 = weights.iter().sum();
    let mut x = rng.random_range(0.0..total);
    for (i, w) in weights.iter().enumerate() {
        if x < *w {
            return i;
        }
        x -= w;
    }
    weights.len() - 1
}

fn new_creditor(
    rng: &mut impl Rng,
    kind: usize,
    name: Option<String>,
    units: &[Unit],
    used_cvrs: &mut BTreeSet<u32>,
    (active_from, active_to): (NaiveDate, NaiveDate),
    rank: usize,
) -> Creditor {
    let k = &KINDS[kind];
    let cvr = (!k.is_foreign()).then(|| unique_cvr(rng, used_cvrs).to_string());
    let name = name.unwrap_or_else(|| company_name(rng, k.name_words));
    let in_area: Vec<usize> = units
        .iter()
        .enumerate()
        .filter(|(_, u)| k.areas.contains(&u.area))
        .map(|(i, _)| i)
        .collect();
    let reach = match rank {
        r if r < LARGE.len() => in_area.len(),
        _ if rng.random_bool(0.08) => rng.random_range(5..=40.min(in_area.len()).max(5)),
        _ => rng.random_range(1..=3),
    };
    let customers: Vec<usize> = in_area.choose_multiple(rng, reach).copied().collect();
    let mut item_idx: Vec<usize> = (0..k.items.len()).collect();
    if rank >= LARGE.len() && item_idx.len() > 2 {
        item_idx.shuffle(rng);
        item_idx.truncate(rng.random_range(2..=item_idx.len()));
        item_idx.sort_unstable();
    }
    let items = item_idx
        .into_iter()
        .map(|i| {
            (
                i,
                format!("{}{:05}", rank % 7 + 1, rng.random_range(0..100_000)),
            )
        })
        .collect();
    Creditor {
        id: format!("K{:06}", rank + 1),
        cvr,
        name,
        kind,
        weight: zipf_weight(rank),
        active_from,
        active_to,
        customers,
        items,
        style: TextStyle::random(rng),
        invoice_prefix: match rng.random_range(0..3) {
            0 => String::new(),
            1 => format!("{}-", rng.random_range(10..99)),
            _ => "F".to_owned(),
        },
        next_invoice_number: rng.random_range(1000..90_000),
        invoice_level: rng.random_bool(0.35),
        volume_rank: rank,
    }
}

fn unique_cvr(rng: &mut impl Rng, used: &mut BTreeSet<u32>) -> Cvr {
    loop {
        if let Some(cvr) = Cvr::from_base(rng.random_range(1_000_000..10_000_000))
            && used.insert(cvr.value())
        {
            return cvr;
        }
    }
}

/// The `creditors` table, with master-data changes (bank account, address) and blocks.
pub(crate) fn creditors_table(
    rng: &mut impl Rng,
    creditors: &[Creditor],
    end_day: NaiveDate,
) -> Vec<CreditorRow> {
    creditors
        .iter()
        .map(|c| {
            let (address, postal_code, city) = address(rng);
            let span = (end_day - c.active_from).num_days().max(1) as u64;
            let recent =
                |rng: &mut _| Some(c.active_from + Days::new(Rng::random_range(rng, 0..span)));
            let k = &KINDS[c.kind];
            CreditorRow {
                creditor_id: c.id.clone(),
                cvr: c.cvr.clone(),
                name: c.name.clone(),
                address,
                postal_code,
                city,
                bank_account: format!(
                    "{:04}-{:010}",
                    rng.random_range(1000..9999),
                    rng.random_range(0..10_000_000_000u64)
                ),
                bank_account_changed: if rng.random_bool(0.04) {
                    recent(rng)
                } else {
                    None
                },
                address_changed: if rng.random_bool(0.03) {
                    recent(rng)
                } else {
                    None
                },
                blocked: rng.random_bool(0.01),
                industry_code: (*k.industry.choose(rng).expect("every kind has an industry"))
                    .to_owned(),
                first_invoice: Some(c.active_from),
            }
        })
        .collect()
}

/// Whether a creditor serves a given area at all (for contracts).
pub(crate) fn serves(creditor: &Creditor, area: Area) -> bool {
    KINDS[creditor.kind].areas.contains(&area)
}
