//! The in-process coding benches, shared by `classify` (the bundled model on the committed
//! sample) and `classify_scale` (models trained on generated municipalities of several sizes):
//! `CodingModel::predict` and the precedence chain for one line, the chain and the decision for
//! a 3-line invoice, and batches of lines and of invoices.

#![allow(
    dead_code,
    reason = "each bench target compiles its own copy of this module"
)]

use std::hint::black_box;
use std::path::Path;
use std::time::Duration;

use criterion::{Criterion, Throughput};
use kontera_core::directory::Directory;
use kontera_core::model::{CodingModel, LineEvidence, ModelScratch};
use kontera_core::precedence::{Chain, ChainLine, Coded, RuleSet};
use kontera_core::{Chart, Gln};
use kontera_serve::decide::{self, Bar};

use super::common::SampleInvoice;

/// Every bench of this module on `f`, with group names starting with `prefix`.
pub fn all(c: &mut Criterion, f: &Fixture, prefix: &str) {
    one_line(c, f, prefix);
    three_line_invoice(c, f, prefix);
    batch(c, f, prefix);
}

/// Everything the benches share, loaded once.
pub struct Fixture {
    pub model: CodingModel,
    /// The accounts an invoice's own account string may name, as the service builds them.
    chart: Chart,
    rules: RuleSet,
    bar: Bar,
    /// The units and creditors the model was trained with.
    pub directory: Directory,
    pub invoices: Vec<SampleInvoice>,
}

impl Fixture {
    /// The model in `dir` and the invoices to code with it.
    pub fn load(dir: &Path, invoices: Vec<SampleInvoice>) -> Fixture {
        let artifact = kontera_model::load(dir)
            .unwrap_or_else(|e| panic!("the model in {} loads: {e}", dir.display()));
        Fixture {
            chart: kontera_serve::models::known_accounts(&artifact.model),
            rules: RuleSet::default(),
            bar: Bar {
                threshold: artifact.policy.default_threshold(),
                min_support: artifact.policy.min_support,
            },
            model: artifact.model,
            directory: artifact.directory,
            invoices,
        }
    }

    fn chain(&self) -> Chain<'_> {
        Chain {
            model: &self.model,
            chart: Some(&self.chart),
            rules: &self.rules,
        }
    }

    /// Every line of the sample, invoices in seeded order.
    fn lines(&self) -> Vec<ChainLine<'_>> {
        self.invoices
            .iter()
            .flat_map(|inv| (0..inv.lines.len()).map(move |i| inv.chain_line(i)))
            .collect()
    }
}

fn one_line(c: &mut Criterion, f: &Fixture, prefix: &str) {
    let lines = f.lines();
    let evidence: Vec<LineEvidence<'_>> = lines.iter().map(|l| l.evidence).collect();
    let chain = f.chain();
    let mut scratch = ModelScratch::default();
    let mut group = c.benchmark_group(format!("{prefix}line"));
    // Each iteration takes the next line of the sample, so the figure is a mean over real lines,
    // not one line kept hot in the cache.
    let mut next = 0usize;
    group.bench_function("predict", |b| {
        b.iter(|| {
            let line = &evidence[next % evidence.len()];
            next += 1;
            black_box(f.model.predict(black_box(line), &mut scratch))
        })
    });
    let mut next = 0usize;
    group.bench_function("chain", |b| {
        b.iter(|| {
            let line = &lines[next % lines.len()];
            next += 1;
            black_box(chain.code(black_box(line), &mut scratch))
        })
    });
    group.finish();
}

fn three_line_invoice(c: &mut Criterion, f: &Fixture, prefix: &str) {
    let invoices: Vec<(&SampleInvoice, Option<&'static str>)> = f
        .invoices
        .iter()
        .filter(|inv| inv.lines.len() == 3)
        .map(|inv| (inv, area(f, inv)))
        .collect();
    assert!(invoices.len() > 100, "the sample has 3-line invoices");
    let chain = f.chain();
    let mut scratch = ModelScratch::default();
    let mut group = c.benchmark_group(format!("{prefix}invoice_3_lines"));
    let mut next = 0usize;
    group.bench_function("chain_and_decision", |b| {
        b.iter(|| {
            let (inv, area) = invoices[next % invoices.len()];
            next += 1;
            black_box(code_and_decide(f, &chain, inv, area, &mut scratch))
        })
    });
    group.finish();
}

/// An invoice through the chain, line by line, and the decision on it.
fn code_and_decide(
    f: &Fixture,
    chain: &Chain<'_>,
    inv: &SampleInvoice,
    area: Option<&'static str>,
    scratch: &mut ModelScratch,
) -> decide::Decision {
    let coded: Vec<(u32, Coded)> = (0..inv.lines.len())
        .map(|i| (i as u32 + 1, chain.code(&inv.chain_line(i), scratch)))
        .collect();
    decide::decide(Vec::new(), &coded, &f.bar, area, Vec::new(), false)
}

/// The invoice's area, as the service finds it from the buyer's GLN.
fn area(f: &Fixture, inv: &SampleInvoice) -> Option<&'static str> {
    let gln = Gln::parse(inv.buyer_gln.as_deref()?).ok()?;
    f.directory.unit_by_gln(gln)?.area.map(|a| a.as_str())
}

fn batch(c: &mut Criterion, f: &Fixture, prefix: &str) {
    let lines = f.lines();
    let evidence: Vec<LineEvidence<'_>> = lines.iter().map(|l| l.evidence).collect();
    let chain = f.chain();
    let mut scratch = ModelScratch::default();
    let mut group = c.benchmark_group(format!("{prefix}batch"));
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(10));
    // At most 10,000 lines (a small data set may have fewer).
    for n in [100usize, 10_000.min(evidence.len())] {
        group.throughput(Throughput::Elements(n as u64));
        group.bench_function(format!("predict/{n}"), |b| {
            b.iter(|| {
                for line in &evidence[..n] {
                    black_box(f.model.predict(line, &mut scratch));
                }
            })
        });
    }
    let n = 10_000.min(lines.len());
    group.throughput(Throughput::Elements(n as u64));
    group.bench_function(format!("chain/{n}"), |b| {
        b.iter(|| {
            for line in &lines[..n] {
                black_box(chain.code(line, &mut scratch));
            }
        })
    });
    // 10,000 whole invoices (the sample's in turn, then again from the first), each through the
    // chain and the decision; throughput in invoices.
    let n = 10_000;
    group.throughput(Throughput::Elements(n as u64));
    let invoices: Vec<(&SampleInvoice, Option<&'static str>)> = f
        .invoices
        .iter()
        .cycle()
        .take(n)
        .map(|inv| (inv, area(f, inv)))
        .collect();
    group.bench_function(format!("invoices/{n}"), |b| {
        b.iter(|| {
            for &(inv, area) in &invoices {
                black_box(code_and_decide(f, &chain, inv, area, &mut scratch));
            }
        })
    });
    group.finish();
}
