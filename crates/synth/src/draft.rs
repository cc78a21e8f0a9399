//! Drafting one invoice: which unit and cost centre bought what from whom, line by line, with the
//! coding a careful clerk would give each line.

use chrono::{Datelike, NaiveDate};
use rand::Rng;
use rand_distr::{Distribution, LogNormal};
use rust_decimal::Decimal;

use crate::catalogue::{Cat, KINDS, Vat};
use crate::creditors::Creditor;
use crate::org::Unit;

/// An invoice before it gets ids and postings.
#[derive(Debug, Clone)]
pub(crate) struct Draft {
    pub creditor: usize,
    pub unit: usize,
    pub cost_centre: usize,
    pub issue_date: NaiveDate,
    pub credit_note: bool,
    pub lines: Vec<DraftLine>,
    /// Construction work (dranst 3), with a project id.
    pub project: Option<String>,
    /// From a monthly contract: routine work a clerk rarely gets wrong.
    pub recurring: bool,
}

/// One line before it is written out.
#[derive(Debug, Clone)]
pub(crate) struct DraftLine {
    pub item: usize,
    pub quantity: Decimal,
    pub unit_price: Decimal,
    pub net: Decimal,
    pub cat: Cat,
    pub cpr: Option<String>,
}

/// Converts a DKK amount to money with two decimals.
pub(crate) fn dkk(x: f64) -> Decimal {
    Decimal::new((x * 100.0).round() as i64, 2)
}

impl Draft {
    pub(crate) fn total_net(&self) -> Decimal {
        self.lines.iter().map(|l| l.net).sum()
    }
}

/// Drafts an ad-hoc (non-contract) invoice from `creditor` to one of its customers.
pub(crate) fn draft_adhoc(
    rng: &mut impl Rng,
    creditors: &[Creditor],
    units: &[Unit],
    creditor: usize,
    issue_date: NaiveDate,
) -> Draft {
    let c = &creditors[creditor];
    let kind = &KINDS[c.kind];
    let unit = c.customers[rng.random_range(0..c.customers.len())];
    let cost_centre = pick_cost_centre(rng, &units[unit], kind.name);
    let (lo, hi) = kind.lines;
    // Most invoices have few lines: skew towards the low end of the kind's range.
    let span = f64::from(hi - lo + 1);
    let n_lines = lo + (rng.random::<f64>().powi(2) * span) as u8;
    let mut lines = Vec::with_capacity(usize::from(n_lines));
    for _ in 0..n_lines {
        let item = seasonal_item(rng, c, issue_date);
        lines.push(draft_line(rng, c, item, 1.0, None));
    }
    let mut draft = Draft {
        creditor,
        unit,
        cost_centre,
        issue_date,
        credit_note: false,
        lines,
        project: None,
        recurring: false,
    };
    if kind
        .construction_from
        .is_some_and(|t| draft.total_net() >= dkk(t))
    {
        draft.project = Some(format!(
            "XG-{}-{:04}",
            issue_date.year(),
            rng.random_range(1..2000)
        ));
    }
    draft
}

/// Draws a line for an item; `factor` scales the price (contracts, seasons).
pub(crate) fn draft_line(
    rng: &mut impl Rng,
    c: &Creditor,
    item: usize,
    factor: f64,
    cpr: Option<String>,
) -> DraftLine {
    let kind = &KINDS[c.kind];
    let spec = &kind.items[c.items[item].0];
    let quantity = rng.random_range(spec.qty.0..=spec.qty.1);
    let price = LogNormal::new(spec.price.ln(), spec.spread)
        .expect("catalogue spreads are positive")
        .sample(rng)
        * factor;
    let unit_price = dkk(price.max(0.5));
    let quantity = Decimal::from(quantity);
    let net = quantity * unit_price;
    let cat = match kind.equipment_from {
        Some(t) if net >= dkk(t) => Cat::Equipment,
        _ => spec.cat,
    };
    DraftLine {
        item,
        quantity,
        unit_price,
        net,
        cat,
        cpr,
    }
}

/// Picks an item of the creditor's range that fits the season (no snow clearing in July).
fn seasonal_item(rng: &mut impl Rng, c: &Creditor, date: NaiveDate) -> usize {
    let summer = (4..=10).contains(&date.month());
    for _ in 0..8 {
        let i = rng.random_range(0..c.items.len());
        let text = KINDS[c.kind].items[c.items[i].0].text;
        let off_season = (text.starts_with("Snerydning") && summer)
            || (text.starts_with("Græsslåning") && !summer);
        if !off_season {
            return i;
        }
    }
    0
}

/// Who in the unit bought it: usually the default cost centre; schools buy for their
/// after-school club on its own cost centre.
fn pick_cost_centre(rng: &mut impl Rng, unit: &Unit, kind: &str) -> usize {
    if unit.cost_centres.len() == 1 {
        return 0;
    }
    let second_share = match kind {
        "groceries" | "toys" | "learning" | "catering" => 0.35,
        _ => 0.15,
    };
    usize::from(rng.random_bool(second_share))
}

/// The VAT category, rate and posting VAT code of a line.
pub(crate) fn vat_of(vat: Vat, cat: Cat, unit: &Unit) -> (&'static str, Decimal, &'static str) {
    match vat {
        Vat::Standard if cat == Cat::Food && unit.area == kontera_core::Area::Administration => {
            ("S", Decimal::from(25), "IREP")
        }
        Vat::Standard => ("S", Decimal::from(25), "I25"),
        Vat::Exempt => ("E", Decimal::ZERO, "IFRI"),
        Vat::ReverseCharge => ("AE", Decimal::ZERO, "IEUY"),
    }
}

/// Seasonal volume of ad-hoc invoices per month (January first): quiet July, busy December.
pub(crate) const MONTH_WEIGHTS: [f64; 12] = [
    0.9, 0.95, 1.05, 1.0, 1.0, 1.05, 0.55, 1.0, 1.05, 1.05, 1.1, 1.3,
];
