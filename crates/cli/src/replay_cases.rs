//! Historical invoices as an ERP would have sent them: the labelled lines of a window grouped
//! into invoices, each written as Kontera's JSON invoice and read by the service's own intake,
//! with the coding each line was truly posted with.

use std::collections::BTreeMap;

use kontera_core::model::Field;
use kontera_serve::replay::{Case, TrueLine};
use kontera_train::LabelledLine;
use kontera_train::example::Example;
use kontera_train::export_example::ExportExample;
use serde_json::{Map, Value, json};

use crate::input::Lines;

/// The window's invoices in date order (then by id), and how many intake refused.
pub fn cases(lines: &Lines, currency: &str) -> (Vec<Case>, usize) {
    match lines {
        Lines::Contract(l) => build(l, |g| contract_invoice(g, currency)),
        Lines::Export(l) => build(l, |g| export_invoice(g, currency)),
    }
}

fn build<E: Example>(lines: &[E], invoice: impl Fn(&[&E]) -> Value) -> (Vec<Case>, usize) {
    let mut groups: BTreeMap<(chrono::NaiveDate, &str), Vec<&E>> = BTreeMap::new();
    for l in lines {
        groups.entry((l.date(), l.invoice())).or_default().push(l);
    }
    let mut refused = 0;
    let mut cases = Vec::with_capacity(groups.len());
    for group in groups.values() {
        // Lines are numbered by position, as the JSON intake numbers them.
        let truth: Option<Vec<TrueLine>> = group
            .iter()
            .zip(1u32..)
            .map(|(l, line_no)| {
                Some(TrueLine {
                    line_no,
                    account: l.label(Field::Account)?.to_owned(),
                    cost_centre: l.label(Field::CostCentre).map(str::to_owned),
                    vat_code: l.label(Field::VatCode).map(str::to_owned),
                })
            })
            .collect();
        let body = serde_json::to_vec(&invoice(group)).expect("JSON values serialise");
        match (truth, kontera_intake::from_json(&body)) {
            (Some(truth), Ok(received)) => cases.push(Case { received, truth }),
            _ => refused += 1,
        }
    }
    (cases, refused)
}

/// Adds `key: value` when there is a value.
fn put(map: &mut Map<String, Value>, key: &str, value: Option<&str>) {
    if let Some(v) = value.filter(|v| !v.is_empty()) {
        map.insert(key.to_owned(), Value::String(v.to_owned()));
    }
}

fn contract_invoice(lines: &[&LabelledLine], currency: &str) -> Value {
    let first = lines[0];
    let mut supplier = Map::new();
    put(&mut supplier, "cvr", first.supplier_cvr.as_deref());
    put(&mut supplier, "creditor_id", Some(&first.creditor_id));
    let mut buyer = Map::new();
    put(&mut buyer, "gln", first.buyer_gln.as_deref());
    put(&mut buyer, "unit_id", first.unit_id.as_deref());
    put(&mut buyer, "reference", first.buyer_reference.as_deref());
    let lines: Vec<Value> = lines
        .iter()
        .map(|l| {
            let mut line = Map::new();
            line.insert("description".into(), json!(l.description));
            line.insert("quantity".into(), json!(l.quantity.to_string()));
            line.insert("net_amount".into(), json!(l.net_amount.to_string()));
            line.insert("vat_category".into(), json!(l.vat_category));
            line.insert("vat_rate".into(), json!(l.vat_rate.to_string()));
            put(&mut line, "item_id", l.item_id.as_deref());
            put(&mut line, "unspsc", l.unspsc.as_deref());
            put(&mut line, "accounting_cost", l.accounting_cost.as_deref());
            Value::Object(line)
        })
        .collect();
    json!({
        "id": first.invoice_id,
        "number": first.invoice_id,
        "type": if first.credit_note { "credit_note" } else { "invoice" },
        "issue_date": first.issue_date.to_string(),
        "currency": currency,
        "supplier": supplier,
        "buyer": buyer,
        "lines": lines,
    })
}

fn export_invoice(rows: &[&ExportExample], currency: &str) -> Value {
    let first = rows[0];
    let mut supplier = Map::new();
    // The supplier as training saw it: its id, else VAT number, else normalised name.
    put(&mut supplier, "creditor_id", first.evidence().supplier);
    put(&mut supplier, "name", first.row.supplier_name.as_deref());
    let mut buyer = Map::new();
    put(&mut buyer, "unit_id", first.row.unit.as_deref());
    let lines: Vec<Value> = rows
        .iter()
        .map(|r| {
            let mut line = Map::new();
            line.insert("description".into(), json!(r.row.text));
            line.insert("net_amount".into(), json!(r.row.amount.to_string()));
            put(
                &mut line,
                "accounting_cost",
                r.row.accounting_cost.as_deref(),
            );
            Value::Object(line)
        })
        .collect();
    json!({
        "id": first.invoice(),
        "number": first.invoice(),
        "issue_date": first.date().to_string(),
        "currency": currency,
        "supplier": supplier,
        "buyer": buyer,
        "lines": lines,
    })
}
