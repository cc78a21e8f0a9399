//! Historical invoices as an ERP would have sent them: the labelled lines of a window grouped
//! into invoices, each written as Kontera's JSON invoice and read by the service's own intake,
//! with the coding each line was truly posted with.

use std::collections::BTreeMap;

use kontera_core::model::Field;
use kontera_serve::parallel::in_parallel;
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

/// Groups `lines` into invoices and makes their cases, in order, on two threads
/// ([`in_parallel`]: writing and reading back 220,000 invoices as JSON takes about 4 s on one).
fn build<E: Example + Sync>(
    lines: &[E],
    invoice: impl Fn(&[&E]) -> Value + Sync,
) -> (Vec<Case>, usize) {
    let mut groups: BTreeMap<(chrono::NaiveDate, &str), Vec<&E>> = BTreeMap::new();
    for l in lines {
        groups.entry((l.date(), l.invoice())).or_default().push(l);
    }
    let made = in_parallel(groups.into_values().collect(), |group| {
        case_of(&group, &invoice)
    });
    let total = made.len();
    let cases: Vec<Case> = made.into_iter().flatten().collect();
    let refused = total - cases.len();
    (cases, refused)
}

/// The case of an invoice's lines; `None` when intake refuses it or a line has no account.
fn case_of<E: Example>(group: &[&E], invoice: &impl Fn(&[&E]) -> Value) -> Option<Case> {
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
    let received = kontera_intake::from_json(&body).ok()?;
    Some(Case {
        received,
        truth: truth?,
    })
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

#[cfg(test)]
mod tests {
    use super::*;
    use kontera_data::ExportRow;

    fn row(row: u64, invoice: &str, day: u32, account: &str) -> ExportExample {
        ExportExample::new(ExportRow {
            file: 0,
            row,
            invoice_ref: Some(invoice.to_owned()),
            supplier_id: Some("S1".to_owned()),
            supplier_name: None,
            supplier_vat: None,
            date: chrono::NaiveDate::from_ymd_opt(2025, 1, day).unwrap(),
            amount: rust_decimal::Decimal::new(row as i64 * 100 + 1, 2),
            text: format!("line {row}"),
            unit: Some("U1".to_owned()),
            accounting_cost: None,
            account: Some(account.to_owned()),
            cost_centre: None,
            vat_code: None,
            project: None,
        })
    }

    /// (date, invoice id, true accounts) of each case, in order.
    fn summary(cases: &[Case]) -> Vec<(String, String, Vec<String>)> {
        cases
            .iter()
            .map(|c| {
                (
                    c.received.invoice.issue_date.to_string(),
                    c.received.invoice.id.as_str().to_owned(),
                    c.truth.iter().map(|t| t.account.clone()).collect(),
                )
            })
            .collect()
    }

    #[test]
    fn cases_come_in_date_then_id_order_on_one_thread_or_two() {
        // Seven invoices over three days, given out of order; B has two lines.
        let lines = vec![
            row(1, "E", 3, "A5"),
            row(2, "B", 1, "A2"),
            row(3, "A", 2, "A1"),
            row(4, "B", 1, "A3"),
            row(5, "C", 1, "A4"),
            row(6, "G", 2, "A7"),
            row(7, "D", 3, "A6"),
            row(8, "F", 2, "A8"),
        ];
        let invoice = |g: &[&ExportExample]| export_invoice(g, "DKK");
        // Seven invoices are made on one thread.
        let (one, refused) = build(&lines, invoice);
        assert_eq!(refused, 0);
        let order: Vec<(String, String)> = summary(&one)
            .into_iter()
            .map(|(d, id, _)| (d, id))
            .collect();
        let expected = [
            ("01", "B"),
            ("01", "C"),
            ("02", "A"),
            ("02", "F"),
            ("02", "G"),
            ("03", "D"),
            ("03", "E"),
        ]
        .map(|(d, id)| (format!("2025-01-{d}"), id.to_owned()));
        assert_eq!(order, expected);
        assert_eq!(summary(&one)[0].2, ["A2", "A3"]);
        // Enough invoices for two threads, given newest first: the same order as one thread's.
        let n = kontera_serve::parallel::PARALLEL_FROM as u64 * 3;
        let many: Vec<ExportExample> = (0..n)
            .rev()
            .map(|i| row(i + 1, &format!("N{i:04}"), 1 + (i % 28) as u32, "A1"))
            .collect();
        let (cases, refused) = build(&many, invoice);
        assert_eq!(refused, 0);
        let mut sorted: Vec<&ExportExample> = many.iter().collect();
        sorted.sort_by_key(|l| (l.date(), l.invoice().to_owned()));
        let one_by_one: Vec<Case> = sorted
            .iter()
            .map(|l| case_of(&[*l], &invoice).unwrap())
            .collect();
        assert_eq!(summary(&cases), summary(&one_by_one));
    }
}
