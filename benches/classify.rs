//! Criterion benches of the hot classification path, in process, with the bundled model
//! (`models/default`) on the committed sample's lines in a seeded order: `CodingModel::predict`
//! (keys, heads, calibration) and the precedence chain for one line, the chain and the decision
//! for a 3-line invoice, batches of lines (lines/s on one core), and a batch of 10,000 invoices.
//!
//! Run: `cargo bench --bench classify`; figures in `benches/RESULTS.md`.

mod common;

use std::hint::black_box;
use std::time::Duration;

use common::SampleInvoice;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use kontera_core::directory::Directory;
use kontera_core::model::{CodingModel, LineEvidence, ModelScratch};
use kontera_core::precedence::{Chain, ChainLine, Coded, RuleSet};
use kontera_core::{Chart, Gln};
use kontera_serve::decide::{self, Bar};

/// Everything the benches share, loaded once.
struct Fixture {
    model: CodingModel,
    /// The accounts an invoice's own account string may name, as the service builds them.
    chart: Chart,
    rules: RuleSet,
    bar: Bar,
    /// The units and creditors the model was trained with.
    directory: Directory,
    invoices: Vec<SampleInvoice>,
}

impl Fixture {
    fn load() -> Fixture {
        let artifact = kontera_model::load(&common::default_model()).expect("models/default loads");
        Fixture {
            chart: kontera_serve::models::known_accounts(&artifact.model),
            rules: RuleSet::default(),
            bar: Bar {
                threshold: artifact.policy.default_threshold(),
                min_support: artifact.policy.min_support,
            },
            model: artifact.model,
            directory: artifact.directory,
            invoices: common::invoices(),
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

fn one_line(c: &mut Criterion, f: &Fixture) {
    let lines = f.lines();
    let evidence: Vec<LineEvidence<'_>> = lines.iter().map(|l| l.evidence).collect();
    let chain = f.chain();
    let mut scratch = ModelScratch::default();
    let mut group = c.benchmark_group("line");
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

fn three_line_invoice(c: &mut Criterion, f: &Fixture) {
    let invoices: Vec<(&SampleInvoice, Option<&'static str>)> = f
        .invoices
        .iter()
        .filter(|inv| inv.lines.len() == 3)
        .map(|inv| (inv, area(f, inv)))
        .collect();
    assert!(invoices.len() > 100, "the sample has 3-line invoices");
    let chain = f.chain();
    let mut scratch = ModelScratch::default();
    let mut group = c.benchmark_group("invoice_3_lines");
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
    decide::decide(Vec::new(), &coded, &f.bar, area, false, false)
}

/// The invoice's area, as the service finds it from the buyer's GLN.
fn area(f: &Fixture, inv: &SampleInvoice) -> Option<&'static str> {
    let gln = Gln::parse(inv.buyer_gln.as_deref()?).ok()?;
    f.directory.unit_by_gln(gln)?.area.map(|a| a.as_str())
}

fn batch(c: &mut Criterion, f: &Fixture) {
    let lines = f.lines();
    let evidence: Vec<LineEvidence<'_>> = lines.iter().map(|l| l.evidence).collect();
    let chain = f.chain();
    let mut scratch = ModelScratch::default();
    let mut group = c.benchmark_group("batch");
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(10));
    for n in [100usize, 10_000] {
        group.throughput(Throughput::Elements(n as u64));
        group.bench_function(format!("predict/{n}"), |b| {
            b.iter(|| {
                for line in &evidence[..n] {
                    black_box(f.model.predict(line, &mut scratch));
                }
            })
        });
    }
    let n = 10_000;
    group.throughput(Throughput::Elements(n as u64));
    group.bench_function(format!("chain/{n}"), |b| {
        b.iter(|| {
            for line in &lines[..n] {
                black_box(chain.code(line, &mut scratch));
            }
        })
    });
    // 10,000 whole invoices (the sample's 6,029 in turn, then again from the first), each
    // through the chain and the decision; throughput in invoices.
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

fn benches(c: &mut Criterion) {
    let f = Fixture::load();
    one_line(c, &f);
    three_line_invoice(c, &f);
    batch(c, &f);
}

criterion_group!(classify, benches);
criterion_main!(classify);
