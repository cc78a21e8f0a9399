//! What the model says besides its coding, on generated data trained on 2022–2024 and asked
//! about 2025: the similar past invoices behind a prediction, the directory, and the confidence
//! of partly predicted codings (the account fixed by the invoice or a rule).

use std::collections::HashMap;
use std::sync::OnceLock;

use chrono::NaiveDate;
use kontera_core::model::{Field, FieldSet, LabelId, ModelScratch};
use kontera_train::LabelledLine;
use kontera_train::example::Example;
use kontera_train::fit::{TrainOptions, Trained, train};

mod common;
use common::{d, generated};

struct Fixture {
    train: Vec<LabelledLine>,
    test: Vec<LabelledLine>,
    trained: Trained,
    dataset: kontera_data::Dataset,
}

fn fixture() -> &'static Fixture {
    static F: OnceLock<Fixture> = OnceLock::new();
    F.get_or_init(|| {
        let g = generated(4, 5_000, 7, 2022);
        let as_of = d(2025, 12, 31);
        let train_lines = g.lines(Some(d(2022, 1, 1)), Some(d(2024, 12, 31)), as_of);
        let test = g.lines(Some(d(2025, 1, 1)), Some(d(2025, 12, 31)), as_of);
        let options = TrainOptions {
            ranking_sample: 6_000,
            ..TrainOptions::default()
        };
        let trained = train(&train_lines, &options, |_| {}).unwrap();
        Fixture {
            train: train_lines,
            test,
            trained,
            dataset: g.dataset,
        }
    })
}

/// The coding of a line as label ids of the model's fields.
fn coding(t: &Trained, line: &LabelledLine) -> Vec<Option<LabelId>> {
    t.model
        .fields
        .iter()
        .map(|f| f.label_id(line.label(f.field).unwrap()))
        .collect()
}

#[test]
fn similar_invoices_are_earlier_invoices_of_the_same_supplier_with_the_predicted_coding() {
    let f = fixture();
    let model = &f.trained.model;
    // The training lines of each invoice: its supplier, date and codings.
    let mut invoices: HashMap<&str, Vec<&LabelledLine>> = HashMap::new();
    for l in &f.train {
        invoices.entry(l.invoice()).or_default().push(l);
    }
    let mut scratch = ModelScratch::default();
    let (mut checked, mut with_history, mut three) = (0, 0, 0);
    for line in f.test.iter().step_by(7) {
        let p = model.predict(&line.evidence(), &mut scratch);
        let ids: Vec<&str> = model.similar(&scratch.keys, p.top_coding(), None).collect();
        let supplier = line.evidence().supplier;
        let unit = line.evidence().unit;
        let known = f
            .train
            .iter()
            .any(|t| t.evidence().supplier == supplier && t.evidence().unit == unit);
        if !known {
            continue;
        }
        with_history += 1;
        if p.fields.iter().any(Vec::is_empty) {
            continue;
        }
        assert!(ids.len() <= 3);
        three += usize::from(ids.len() == 3);
        let top: Vec<Option<LabelId>> = p.top_coding().collect();
        let mut last_date = NaiveDate::MAX;
        for id in &ids {
            let past = invoices
                .get(id)
                .unwrap_or_else(|| panic!("{id} is a training invoice"));
            assert!(past[0].issue_date < line.issue_date, "{id} is earlier");
            assert!(past[0].issue_date <= last_date, "most recent first");
            last_date = past[0].issue_date;
            assert!(
                past.iter().all(|l| l.evidence().supplier == supplier),
                "{id} is from the same supplier"
            );
            assert!(
                past.iter().any(|l| coding(&f.trained, l) == top),
                "{id} carries the predicted coding"
            );
        }
        checked += usize::from(!ids.is_empty());
    }
    assert!(
        checked > 300,
        "{checked} of {with_history} lines had similar invoices"
    );
    assert!(three * 2 > checked, "usually three: {three} of {checked}");
}

#[test]
fn no_similar_invoices_when_nothing_is_known() {
    let f = fixture();
    let model = &f.trained.model;
    let mut scratch = ModelScratch::default();
    let mut line = f.test[0].evidence();
    line.supplier = Some("99999999");
    let p = model.predict(&line, &mut scratch);
    assert_eq!(
        model.similar(&scratch.keys, p.top_coding(), None).count(),
        0
    );
    // A known supplier and unit, but a coding it never had.
    let known = f.test[0].evidence();
    model.predict(&known, &mut scratch);
    let never = [Some(u32::MAX), None, None];
    assert_eq!(model.similar(&scratch.keys, never, None).count(), 0);
}

#[test]
fn a_training_line_never_finds_its_own_invoice() {
    let f = fixture();
    let model = &f.trained.model;
    let mut scratch = ModelScratch::default();
    let mut would_have = 0;
    for line in f.train.iter().rev().take(3_000) {
        model.predict(&line.evidence(), &mut scratch);
        let own = coding(&f.trained, line);
        let all: Vec<&str> = model.similar(&scratch.keys, own.clone(), None).collect();
        let without: Vec<&str> = model
            .similar(&scratch.keys, own, Some(line.invoice()))
            .collect();
        assert!(!without.contains(&line.invoice()));
        if all.contains(&line.invoice()) {
            would_have += 1;
            // The same key's other invoices remain; alone, a less specific key answers.
            let others: Vec<&str> = all
                .iter()
                .copied()
                .filter(|i| *i != line.invoice())
                .collect();
            if !others.is_empty() {
                assert_eq!(without, others);
            }
        }
    }
    assert!(
        would_have > 1_000,
        "the latest lines are their keys' latest: {would_have}"
    );
}

#[test]
fn partial_confidence_keeps_its_promise_on_a_later_year() {
    let f = fixture();
    let model = &f.trained.model;
    let account_fixed = [false, true, true];
    let set = FieldSet::from_flags(&account_fixed);
    assert!(
        model.partial.iter().any(|p| p.fields == set),
        "a calibration for all fields but the account"
    );
    let mut scratch = ModelScratch::default();
    let mut rows = Vec::new();
    for line in &f.test {
        let p = model.predict(&line.evidence(), &mut scratch);
        let right = [Field::CostCentre, Field::VatCode].iter().all(|&field| {
            let i = model.fields.iter().position(|m| m.field == field).unwrap();
            p.top(i) == model.fields[i].label_id(line.label(field).unwrap())
        });
        let (raw, support) = p.partial(set).unwrap_or((0.0, 0.0));
        let old = model.calibration.apply(raw, support);
        rows.push((model.confidence_for(&p, &account_fixed), old, right));
    }
    // Tolerance: a later year drifts; lines above a threshold must be right within 2.5 points
    // of it.
    for threshold in [0.8f32, 0.9, 0.95, 0.99] {
        let above: Vec<_> = rows.iter().filter(|r| r.0 >= threshold).collect();
        let precision = above.iter().filter(|r| r.2).count() as f32 / above.len() as f32;
        let old: Vec<_> = rows.iter().filter(|r| r.1 >= threshold).collect();
        let old_precision = old.iter().filter(|r| r.2).count() as f32 / old.len() as f32;
        println!(
            "≥ {threshold}: {} lines right {precision:.4} (all-fields map: {} lines, {old_precision:.4})",
            above.len(),
            old.len()
        );
        assert!(above.len() > 500, "{} lines at ≥ {threshold}", above.len());
        assert!(
            precision >= threshold - 0.025,
            "lines at ≥ {threshold} are right {precision} of the time"
        );
    }
    // Nothing predicted is certain; an unknown line is not.
    let p = model.predict(&f.test[0].evidence(), &mut scratch);
    assert_eq!(model.confidence_for(&p, &[false, false, false]), 1.0);
    let mut unknown = f.test[0].evidence();
    unknown.supplier = Some("99999999");
    unknown.unit = Some("nowhere");
    unknown.text = "";
    unknown.vat_category = None;
    unknown.industry = None;
    unknown.unspsc = None;
    unknown.item_id = None;
    unknown.buyer_reference = None;
    let p = model.predict(&unknown, &mut scratch);
    assert_eq!(model.confidence_for(&p, &account_fixed), 0.0);
}

#[test]
fn the_directory_holds_the_master_data_and_each_creditors_amounts() {
    let f = fixture();
    let ds = &f.dataset;
    let built = kontera_train::directory::from_dataset(ds, d(2022, 1, 1), d(2024, 12, 31));
    let dir = &built.directory;
    assert_eq!(built.skipped, 0);
    assert_eq!(dir.units().len(), ds.units.len());
    assert_eq!(dir.creditors().len(), ds.creditors.len());
    let u = &ds.units[3];
    let by_gln = dir.unit_by_gln(u.gln.parse().unwrap()).unwrap();
    assert_eq!(by_gln.id.as_str(), u.unit_id);
    assert_eq!(by_gln.area.map(|a| a.as_str()), Some(u.area.as_str()));
    // The creditor with the most invoices: its amounts recomputed from the invoices table.
    let mut totals: HashMap<&str, Vec<rust_decimal::Decimal>> = HashMap::new();
    for inv in &ds.invoices {
        let in_window = inv.issue_date >= d(2022, 1, 1) && inv.issue_date <= d(2024, 12, 31);
        if in_window
            && inv.document_type == "invoice"
            && inv.total_net > rust_decimal::Decimal::ZERO
        {
            totals
                .entry(&inv.creditor_id)
                .or_default()
                .push(inv.total_net);
        }
    }
    let (id, mut t) = totals
        .into_iter()
        .max_by_key(|(id, t)| (t.len(), *id))
        .unwrap();
    t.sort();
    let c = dir.creditor(id).unwrap();
    let a = c.amounts.unwrap();
    assert_eq!(a.invoices as usize, t.len());
    assert!(t.len() > 100, "a busy creditor: {}", t.len());
    assert_eq!(a.p99, t[(t.len() * 99).div_ceil(100) - 1].normalize());
    assert!(a.median >= t[(t.len() - 1) / 2] && a.median <= t[t.len() / 2]);
    let row = ds.creditors.iter().find(|r| r.creditor_id == id).unwrap();
    assert_eq!(c.blocked, row.blocked);
    assert_eq!(c.bank_account_changed, row.bank_account_changed);
    if let Some(cvr) = c.cvr {
        assert!(dir.creditors_by_cvr(cvr).any(|x| x.id.as_str() == id));
    }
}
