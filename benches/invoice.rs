//! Criterion benches of the per-invoice work around the model: loading the bundled model
//! (`kontera_model::load` of `models/default`), screening a realistic invoice
//! (`kontera_core::screen::screen`), and reading one invoice — OIOUBL and Peppol BIS 3 e-invoices
//! from intake's public fixtures, and a 3-line JSON invoice from the committed sample.
//!
//! Run: `cargo bench --bench invoice`; figures in `benches/RESULTS.md`.

mod common;

use std::hint::black_box;
use std::path::Path;

use chrono::Days;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use kontera_core::screen::{
    self, CreditorFacts, DeclaredTotals, DuplicateFacts, ScreenPolicy, Subject,
};
use kontera_intake::Received;
use kontera_model::Artifact;

/// The e-invoices parsed, from `crates/intake/tests/fixtures/einvoices/`.
const OIOUBL: &str = "delis/OIOUBL_Invoice_v2p2.xml";
const PEPPOL: &str = "peppol-bis3/examples_base-example.xml";

fn model_load(c: &mut Criterion) {
    let dir = common::default_model();
    let size = std::fs::metadata(dir.join(kontera_model::MODEL_FILE))
        .expect("models/default/model.bin")
        .len();
    let mut group = c.benchmark_group("model");
    group.sample_size(20);
    group.throughput(Throughput::Bytes(size));
    group.bench_function("load_default", |b| {
        b.iter(|| black_box(kontera_model::load(black_box(&dir)).expect("loads")))
    });
    group.finish();
}

fn screening(c: &mut Criterion, artifact: &Artifact, json: &[u8]) {
    let received = kontera_intake::from_json(json).expect("the sample invoice reads");
    let totals = kontera_serve::code::declared(&received.totals);
    let subject = subject(artifact, &received, &totals).expect("a known creditor and unit");
    let policy = ScreenPolicy::default();
    c.bench_function("screen/3_lines", |b| {
        b.iter(|| black_box(screen::screen(black_box(&subject), &policy)))
    });
}

/// What the service gathers to screen `received`, from the model's directory; `None` when the
/// creditor or unit is unknown. No earlier invoices (no duplicates); screened three days after
/// its issue date.
fn subject<'a>(
    artifact: &'a Artifact,
    received: &'a Received,
    totals: &'a DeclaredTotals,
) -> Option<Subject<'a>> {
    let invoice = &received.invoice;
    let directory = &artifact.directory;
    let creditor = directory.creditor_by_cvr(invoice.supplier_cvr?)?;
    let unit = directory.unit_by_gln(invoice.buyer_gln?)?;
    Some(Subject {
        invoice,
        totals,
        supplier_country: Some("DK"),
        supplier_cvr_invalid: false,
        bank_account: None,
        creditor: Some(CreditorFacts {
            cvr: creditor.cvr,
            blocked: creditor.blocked,
            bank_account: None,
            bank_account_changed: creditor.bank_account_changed,
            address_changed: creditor.address_changed,
            industry: creditor.industry_code.as_deref(),
            history: creditor.amounts,
        }),
        creditors_known: true,
        unit_known: true,
        area: unit.area.map(|a| a.as_str()),
        duplicates: DuplicateFacts::default(),
        today: invoice.issue_date + Days::new(3),
    })
}

fn parsing(c: &mut Criterion, json: &[u8]) {
    let fixtures = common::root().join("crates/intake/tests/fixtures/einvoices");
    let mut group = c.benchmark_group("parse");
    for (name, file) in [("oioubl", OIOUBL), ("peppol_bis3", PEPPOL)] {
        let xml = read(&fixtures.join(file));
        kontera_intake::from_ubl(&xml).expect("the fixture reads");
        group.throughput(Throughput::Bytes(xml.len() as u64));
        group.bench_function(name, |b| {
            b.iter(|| black_box(kontera_intake::from_ubl(black_box(&xml))))
        });
    }
    group.throughput(Throughput::Bytes(json.len() as u64));
    group.bench_function("json_3_lines", |b| {
        b.iter(|| black_box(kontera_intake::from_json(black_box(json))))
    });
    group.finish();
}

fn read(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

fn benches(c: &mut Criterion) {
    let artifact = kontera_model::load(&common::default_model()).expect("models/default loads");
    // The first 3-line invoice (seeded order) that passes screening: a known creditor and unit,
    // totals that add up, no CPR number.
    let json = common::invoices()
        .into_iter()
        .filter(|inv| inv.lines.len() == 3)
        .map(|inv| inv.to_json())
        .find(|json| passes(&artifact, json.as_bytes()))
        .expect("a 3-line sample invoice passes screening");
    model_load(c);
    screening(c, &artifact, json.as_bytes());
    parsing(c, json.as_bytes());
}

/// Whether the invoice reads and passes screening, so that every rule runs to its end.
fn passes(artifact: &Artifact, json: &[u8]) -> bool {
    let Ok(received) = kontera_intake::from_json(json) else {
        return false;
    };
    let totals = kontera_serve::code::declared(&received.totals);
    subject(artifact, &received, &totals)
        .is_some_and(|s| screen::screen(&s, &ScreenPolicy::default()).is_empty())
}

criterion_group!(invoice, benches);
criterion_main!(invoice);
