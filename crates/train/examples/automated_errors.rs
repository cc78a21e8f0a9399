//! Where the wrong invoices among those a model automates come from, on generated data: trains
//! on three generated years (from 2022), codes the fourth at the model's own 99% threshold, and
//! splits the automated invoices by whether a clerk slipped on one of their lines (the
//! generator's truth) and by how often the clerks slipped on their supplier's lines in the
//! training years.
//!
//! ```sh
//! cargo run --release -p kontera-train --example automated_errors -- 220000
//! ```
//! (the argument is the invoices a year; 20,000 when left out; seed 42).

use std::collections::{BTreeMap, BTreeSet};

use kontera_core::model::Field;
use kontera_core::precedence::RuleSet;
use kontera_train::compare::operating_point;
use kontera_train::evaluate::{ScoredLines, code_lines, scored_lines};
use kontera_train::fit::{TrainOptions, train};

#[path = "../tests/common/mod.rs"]
mod common;
use common::{d, generated};

/// Upper bounds of the bands of a supplier's slip rate in the training years.
const BANDS: [(f64, &str); 4] = [
    (0.005, "under 0.5%"),
    (0.02, "0.5-2%"),
    (0.05, "2-5%"),
    (f64::INFINITY, "5% or more"),
];

/// Automated invoices, and the wrong ones with and without a slip.
#[derive(Debug, Default)]
struct Tally {
    automated: usize,
    wrong_slipped: usize,
    wrong_clean: usize,
}

fn main() -> anyhow::Result<()> {
    let invoices_per_year = match std::env::args().nth(1) {
        Some(n) => n.parse()?,
        None => 20_000,
    };
    let g = generated(4, invoices_per_year, 42, 2022);
    let as_of = d(2025, 12, 31);
    let train_lines = g.lines(Some(d(2022, 1, 1)), Some(d(2024, 12, 31)), as_of);
    let test = g.lines(Some(d(2025, 1, 1)), Some(d(2025, 12, 31)), as_of);
    let trained = train(&train_lines, &TrainOptions::default(), |_| {})?;
    let fields: Vec<Field> = trained.model.fields.iter().map(|f| f.field).collect();
    let coded = code_lines(&trained.model, &test, Some(&g.chart), &RuleSet::default());
    let ScoredLines { outcomes, .. } = scored_lines(&fields, &coded, &test, trained.min_support);

    // The generator's truth: which invoices carry a slip, and each supplier's slip rate in the
    // training years.
    let slipped = g.truth.slipped_invoices();
    let supplier_of: BTreeMap<&str, &str> = train_lines
        .iter()
        .chain(&test)
        .map(|l| (l.invoice_id.as_str(), l.creditor_id.as_str()))
        .collect();
    let in_training: BTreeSet<&str> = train_lines.iter().map(|l| l.invoice_id.as_str()).collect();
    let mut slips: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    for t in g.truth.lines.iter() {
        let id = t.invoice_id.as_str();
        if let (true, Some(supplier)) = (in_training.contains(id), supplier_of.get(id)) {
            let s = slips.entry(supplier).or_default();
            s.0 += 1;
            s.1 += usize::from(t.noisy);
        }
    }
    let band = |supplier: &str| -> &str {
        let Some(&(n, k)) = slips.get(supplier) else {
            return "new supplier";
        };
        let rate = k as f64 / n as f64;
        BANDS
            .iter()
            .find(|(below, _)| rate < *below)
            .map_or("5% or more", |(_, name)| name)
    };

    let (target, threshold) = trained.thresholds[0];
    let mut all = Tally::default();
    let mut by_band: BTreeMap<&str, Tally> = BTreeMap::new();
    for (id, o) in outcomes.iter().filter(|(_, o)| o.confidence >= threshold) {
        let supplier = supplier_of.get(id).copied().unwrap_or_default();
        for t in [&mut all, by_band.entry(band(supplier)).or_default()] {
            t.automated += 1;
            match (o.right, slipped.contains(id)) {
                (true, _) => {}
                (false, true) => t.wrong_slipped += 1,
                (false, false) => t.wrong_clean += 1,
            }
        }
    }
    let realised = |t: &Tally| 1.0 - (t.wrong_slipped + t.wrong_clean) as f64 / t.automated as f64;
    println!(
        "{} invoices of 2025; threshold for {target}: {threshold:.4}; automated {} ({:.1}%), \
         realised {:.4}; wrong with a slip {}, without {}",
        outcomes.len(),
        all.automated,
        100.0 * all.automated as f64 / outcomes.len() as f64,
        realised(&all),
        all.wrong_slipped,
        all.wrong_clean
    );
    println!("by the supplier's slip rate in 2022-2024:");
    let names = BANDS.iter().map(|&(_, name)| name).chain(["new supplier"]);
    for (name, t) in names.filter_map(|n| by_band.get(n).map(|t| (n, t))) {
        println!(
            "  {name:>12}: automated {:6}, realised {:.4}, wrong with a slip {:4}, without {:4}",
            t.automated,
            realised(t),
            t.wrong_slipped,
            t.wrong_clean
        );
    }
    let invoices: Vec<_> = outcomes.values().copied().collect();
    let best = operating_point(&invoices, target).rate;
    println!(
        "largest automation at realised >= {target} on 2025's own curve: {:.1}%",
        100.0 * best
    );
    Ok(())
}
