//! Training on the committed subset of a real council's payments (Harrogate), read through its
//! mapping file: the pipeline works end to end on real, messy data.

use std::path::Path;

use chrono::Datelike;

use kontera_core::model::Field;
use kontera_data::{ExportMapping, read_export};
use kontera_train::evaluate::evaluate;
use kontera_train::example::Example;
use kontera_train::export_example::ExportExample;
use kontera_train::fit::{TrainOptions, train};

#[test]
fn a_model_trained_on_real_payments_predicts_a_later_month() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mapping = ExportMapping::from_file(&root.join("data/mappings/harrogate.toml")).unwrap();
    let export = read_export(&root.join("data/real/harrogate"), &mapping).unwrap();
    let rows: Vec<ExportExample> = export.rows.into_iter().map(ExportExample::new).collect();
    // Train on everything before the last month in the subset, test on that month.
    let last = rows.iter().map(|r| r.date()).max().unwrap();
    let cut = last.with_day(1).unwrap();
    let (test, train_rows): (Vec<_>, Vec<_>) = rows.into_iter().partition(|r| r.date() >= cut);
    assert!(
        test.len() > 500 && train_rows.len() > 5000,
        "{} test, {} train",
        test.len(),
        train_rows.len()
    );
    let options = TrainOptions {
        calibration_months: 3,
        ..TrainOptions::default()
    };
    let trained = train(&train_rows, &options, |_| {}).unwrap();
    assert_eq!(
        trained.model.fields.len(),
        1,
        "Harrogate's mapping labels the account only"
    );
    let e = evaluate(&trained, &train_rows, &test);
    println!("{e:#?}");
    let account = e.fields.iter().find(|f| f.field == Field::Account).unwrap();
    assert!(
        account.top1_accuracy >= 0.75,
        "account top-1 on the last month: {}",
        account.top1_accuracy
    );
    assert!(
        account.top1_accuracy > e.baseline_top1,
        "beats payment plans: {} vs {}",
        account.top1_accuracy,
        e.baseline_top1
    );
}

#[test]
fn the_directory_of_an_export_has_its_units_and_suppliers_with_amounts() {
    use std::collections::{BTreeMap, BTreeSet};
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mapping = ExportMapping::from_file(&root.join("data/mappings/harrogate.toml")).unwrap();
    let export = read_export(&root.join("data/real/harrogate"), &mapping).unwrap();
    let rows: Vec<ExportExample> = export.rows.into_iter().map(ExportExample::new).collect();
    let built = kontera_train::directory::from_export(&rows);
    let dir = &built.directory;
    let units: BTreeSet<&str> = rows.iter().filter_map(|r| r.evidence().unit).collect();
    let suppliers: BTreeSet<&str> = rows.iter().filter_map(|r| r.evidence().supplier).collect();
    assert_eq!(
        dir.units().len() + dir.creditors().len() + built.skipped,
        units.len() + suppliers.len()
    );
    assert!(
        dir.units()
            .iter()
            .all(|u| u.area.is_none() && u.gln.is_none())
    );
    // The busiest supplier: invoices are its distinct references with a positive total.
    let mut per: BTreeMap<&str, BTreeMap<&str, rust_decimal::Decimal>> = BTreeMap::new();
    for r in &rows {
        if let Some(s) = r.evidence().supplier {
            *per.entry(s).or_default().entry(r.invoice()).or_default() += r.row.amount;
        }
    }
    let (id, invoices) = per.iter().max_by_key(|(id, i)| (i.len(), *id)).unwrap();
    let positive = invoices
        .values()
        .filter(|t| t.is_sign_positive() && !t.is_zero())
        .count();
    let c = dir.creditor(id).unwrap();
    assert_eq!(c.amounts.unwrap().invoices as usize, positive);
    assert!(positive > 20, "{positive}");
    assert!(!c.blocked && c.bank_account_changed.is_none());
}
