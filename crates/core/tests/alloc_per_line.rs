//! Heap allocations per line on the classification path, counted with dhat's global allocator
//! in testing mode: after warm-up, `CodingModel::predict` allocates only its response (the list
//! of fields, and one list of candidates for each field that has any). Keys, look-ups, features
//! and scores live in the reused `ModelScratch`.
//!
//! Run without the test harness (`harness = false` in `Cargo.toml`): dhat counts the whole
//! process, so nothing may run beside it, not even libtest's own threads.

use kontera_core::model::{
    AmountBuckets, BandedCalibration, CodingModel, Field, FieldModel, Head, KeyScratch, LabelId,
    LineEvidence, LineKeys, ModelScratch, SimilarIndex, TableBuilder, fit,
};

#[global_allocator]
static ALLOC: dhat::Alloc = dhat::Alloc;

const SUPPLIERS: [&str; 4] = ["12345674", "29403473", "30810295", "10103940"];
const UNITS: [&str; 3] = ["5798000137417", "5798000137424", "5798000137431"];
const TEXTS: [&str; 4] = [
    "Frokostordning børn varenr. 575177 oktober 2024",
    "Kopipapir A4 80g 5x500 ark hvid",
    "Rengøring af lokaler iht. kontrakt",
    "Vikarydelser uge 42",
];

/// A line of the history, as the service builds the model's evidence (the text already
/// CPR-masked; a line that still carries a CPR number allocates its masked copy).
fn line(s: usize, u: usize, t: usize) -> LineEvidence<'static> {
    LineEvidence {
        supplier: Some(SUPPLIERS[s]),
        unit: Some(UNITS[u]),
        buyer_reference: Some(["RWQ301", "ABC12", "DAGINST"][u]),
        text: TEXTS[t],
        item_id: Some(["575177", "A4-80"][t % 2]),
        unspsc: Some(["90101600", "44121600"][t % 2]),
        industry: Some(["562900", "812100"][s % 2]),
        vat_category: Some("S"),
        amount: 300.0 * (1 + s + t) as f64,
        accounting_cost: (t == 0).then_some("5.25.14-1-2.21"),
    }
}

/// Every (supplier, unit, text) once; labels per field that vary with all three.
fn history() -> Vec<(LineEvidence<'static>, [LabelId; 3])> {
    let mut h = Vec::new();
    for s in 0..SUPPLIERS.len() {
        for u in 0..UNITS.len() {
            for t in 0..TEXTS.len() {
                let labels = [(s + t) % 5, (u * 2 + t) % 6, s % 2].map(|l| l as LabelId);
                h.push((line(s, u, t), labels));
            }
        }
    }
    h
}

/// A three-field model whose tables hold the history. The VAT code's table leaves out a
/// supplier, so its keys differ from the others' (the look-ups sharing entry numbers must
/// still find the rest).
fn model(history: &[(LineEvidence<'static>, [LabelId; 3])]) -> CodingModel {
    let mut builders: [TableBuilder; 3] = Default::default();
    let (mut keys, mut scratch) = (LineKeys::default(), KeyScratch::default());
    for (day, (line, labels)) in history.iter().enumerate() {
        keys.extract(line, AmountBuckets::default(), &mut scratch);
        for (field, builder) in builders.iter_mut().enumerate() {
            if field == 2 && line.supplier == Some(SUPPLIERS[3]) {
                continue;
            }
            for (_, key) in keys.iter() {
                builder.add(key, labels[field], 1.0, day as i32);
            }
        }
    }
    let [accounts, cost_centres, vat] = builders;
    let field = |field, labels: usize, table: TableBuilder| FieldModel {
        field,
        labels: (0..labels).map(|l| format!("{l}")).collect(),
        head: Head {
            table: table.finish(),
            prior: vec![1.0; labels],
            weights: fit::initial_weights(),
        },
    };
    CodingModel {
        fields: vec![
            field(Field::Account, 5, accounts),
            field(Field::CostCentre, 6, cost_centres),
            field(Field::VatCode, 2, vat),
        ],
        calibration: BandedCalibration::fit(&[(0.0, 50.0, false), (1.0, 50.0, true)]),
        changed: None,
        partial: Vec::new(),
        similar: SimilarIndex::default(),
        amount_buckets: AmountBuckets::default(),
    }
}

fn main() {
    predict_allocates_only_its_response_after_warm_up();
    println!("alloc_per_line: predict allocates only its response after warm-up");
}

fn predict_allocates_only_its_response_after_warm_up() {
    let history = history();
    let model = model(&history);
    let mut lines: Vec<LineEvidence<'static>> = history.iter().map(|(l, _)| *l).collect();
    // A new supplier and unit: no field has a candidate, so the response is one empty list.
    lines.push(LineEvidence {
        supplier: Some("99999999"),
        unit: Some("5798000000000"),
        text: "Ukendt ydelse",
        amount: 10.0,
        ..Default::default()
    });
    let mut scratch = ModelScratch::default();
    for line in &lines {
        model.predict(line, &mut scratch);
    }

    let _profiler = dhat::Profiler::builder().testing().build();
    let before = dhat::HeapStats::get();
    let (mut response, mut complete) = (0, 0);
    for line in &lines {
        let p = model.predict(line, &mut scratch);
        response += 1 + p.fields.iter().filter(|f| !f.is_empty()).count();
        complete += usize::from(p.fields.iter().all(|f| !f.is_empty()));
    }
    let after = dhat::HeapStats::get();

    assert_eq!(complete, history.len(), "every known line is fully coded");
    assert_eq!(
        after.total_blocks - before.total_blocks,
        response as u64,
        "allocations while predicting {} lines; their responses need {response}",
        lines.len()
    );
    // That is four a coded line: 1 + 3 fields.
    assert_eq!(response, 4 * history.len() + 1);
}
