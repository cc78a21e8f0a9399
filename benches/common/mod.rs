//! Shared by the criterion benches: the committed sample (`data/sample/`) as the service would
//! see it — invoices with their lines, supplier CVR, buyer GLN and the creditor's industry — read
//! with a small CSV reader, in a seeded, deterministic order.

#![allow(
    dead_code,
    reason = "each bench target compiles its own copy of this module and uses part of it"
)]

use std::collections::HashMap;
use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::str::FromStr;

use chrono::NaiveDate;
use kontera_core::cpr;
use kontera_core::model::LineEvidence;
use kontera_core::precedence::ChainLine;
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

/// The seed of every shuffle in the benches.
pub const SEED: u64 = 42;

/// One invoice of the sample with its lines, in line order.
#[derive(Debug, Clone)]
pub struct SampleInvoice {
    pub number: String,
    pub issue_date: NaiveDate,
    /// The supplier as the model knows it: the CVR, else the creditor number.
    pub supplier: String,
    pub supplier_cvr: Option<String>,
    pub buyer_gln: Option<String>,
    pub buyer_reference: Option<String>,
    pub accounting_cost: Option<String>,
    pub industry: Option<String>,
    pub lines: Vec<SampleLine>,
}

/// One line of a [`SampleInvoice`].
#[derive(Debug, Clone)]
pub struct SampleLine {
    /// As the supplier wrote it (may hold a CPR number).
    pub description: String,
    /// CPR-masked, as the service hands it to the model.
    pub text: String,
    pub item_id: Option<String>,
    pub unspsc: Option<String>,
    pub quantity: Decimal,
    pub unit_price: Decimal,
    pub net_amount: Decimal,
    pub vat_category: String,
    pub vat_rate: Decimal,
    pub accounting_cost: Option<String>,
}

impl SampleInvoice {
    /// The model's view of line `i`, built the way the service builds it.
    pub fn evidence(&self, i: usize) -> LineEvidence<'_> {
        let line = &self.lines[i];
        LineEvidence {
            supplier: Some(&self.supplier),
            unit: self.buyer_gln.as_deref(),
            buyer_reference: self.buyer_reference.as_deref(),
            text: &line.text,
            item_id: line.item_id.as_deref(),
            unspsc: line.unspsc.as_deref(),
            industry: self.industry.as_deref(),
            vat_category: Some(&line.vat_category),
            amount: line.net_amount.to_f64().unwrap_or(0.0),
            accounting_cost: line
                .accounting_cost
                .as_deref()
                .or(self.accounting_cost.as_deref()),
        }
    }

    /// Line `i` as the precedence chain sees it.
    pub fn chain_line(&self, i: usize) -> ChainLine<'_> {
        let line = &self.lines[i];
        ChainLine {
            evidence: self.evidence(i),
            amount: line.net_amount,
            on: self.issue_date,
        }
    }

    /// The invoice in Kontera's JSON format (`crates/intake/README.md`), with its totals.
    pub fn to_json(&self) -> String {
        let net: Decimal = self.lines.iter().map(|l| l.net_amount).sum();
        let vat: Decimal = self
            .lines
            .iter()
            .map(|l| (l.net_amount * l.vat_rate / Decimal::from(100)).round_dp(2))
            .sum();
        let lines: Vec<serde_json::Value> = self
            .lines
            .iter()
            .map(|l| {
                serde_json::json!({
                    "description": l.description,
                    "item_id": l.item_id,
                    "unspsc": l.unspsc,
                    "quantity": l.quantity.to_string(),
                    "unit_price": l.unit_price.to_string(),
                    "net_amount": l.net_amount.to_string(),
                    "vat_category": l.vat_category,
                    "vat_rate": l.vat_rate.to_string(),
                })
            })
            .collect();
        serde_json::json!({
            "number": self.number,
            "issue_date": self.issue_date.to_string(),
            "supplier": {"cvr": self.supplier_cvr},
            "buyer": {"gln": self.buyer_gln, "reference": self.buyer_reference},
            "lines": lines,
            "totals": {
                "net": net.to_string(),
                "vat": vat.to_string(),
                "payable": (net + vat).to_string(),
            },
        })
        .to_string()
    }
}

/// The repository root (the root package's manifest directory).
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The bundled model's directory.
pub fn default_model() -> PathBuf {
    root().join("models/default")
}

/// Every invoice of the committed sample, in a seeded order.
pub fn invoices() -> Vec<SampleInvoice> {
    let out = invoices_in(&root().join("data/sample"), |_| true);
    assert!(out.len() > 5_000, "the sample holds about 6,000 invoices");
    out
}

/// The invoices of the contract tables in `dir` (as `kontera generate --format csv` writes them)
/// whose issue date `keep` accepts, with their lines, in a seeded order. Reads the files row by
/// row, so a large generated data set costs memory only for the invoices kept.
pub fn invoices_in(dir: &Path, keep: impl Fn(NaiveDate) -> bool) -> Vec<SampleInvoice> {
    let mut industry: HashMap<String, String> = HashMap::new();
    each_row(&dir.join("creditors.csv"), |r| {
        if let (Some(c), Some(i)) = (r.get("creditor_id"), r.get("industry_code")) {
            industry.insert(c, i);
        }
    });
    let mut kept: HashMap<String, SampleInvoice> = HashMap::new();
    let mut order: Vec<String> = Vec::new();
    each_row(&dir.join("invoices.csv"), |r| {
        let Some(issue_date) = r
            .get("issue_date")
            .and_then(|d| NaiveDate::from_str(&d).ok())
        else {
            return;
        };
        let (Some(id), Some(number)) = (r.get("invoice_id"), r.get("invoice_number")) else {
            return;
        };
        let creditor = r.get("creditor_id");
        let supplier_cvr = r.get("supplier_cvr");
        let Some(supplier) = supplier_cvr.clone().or(creditor.clone()) else {
            return;
        };
        if !keep(issue_date) {
            return;
        }
        order.push(id.clone());
        kept.insert(
            id,
            SampleInvoice {
                number,
                issue_date,
                supplier,
                supplier_cvr,
                buyer_gln: r.get("buyer_gln"),
                buyer_reference: r.get("buyer_reference"),
                accounting_cost: r.get("accounting_cost"),
                industry: creditor.and_then(|c| industry.get(&c).cloned()),
                lines: Vec::new(),
            },
        );
    });
    let mut numbers: HashMap<String, Vec<u32>> = HashMap::new();
    each_row(&dir.join("invoice_lines.csv"), |r| {
        let Some(id) = r.get("invoice_id") else {
            return;
        };
        let Some(invoice) = kept.get_mut(&id) else {
            return;
        };
        let description = r.get("description").unwrap_or_default();
        invoice.lines.push(SampleLine {
            text: cpr::mask(&description).into_owned(),
            description,
            item_id: r.get("item_id"),
            unspsc: r.get("unspsc"),
            quantity: r.decimal("quantity"),
            unit_price: r.decimal("unit_price"),
            net_amount: r.decimal("net_amount"),
            vat_category: r.get("vat_category").unwrap_or_else(|| "S".to_owned()),
            vat_rate: r.decimal("vat_rate"),
            accounting_cost: r.get("accounting_cost"),
        });
        let line_no = r.get("line_no").and_then(|n| n.parse().ok()).unwrap_or(0);
        numbers.entry(id).or_default().push(line_no);
    });
    let mut out: Vec<SampleInvoice> = order
        .into_iter()
        .filter_map(|id| {
            let mut invoice = kept.remove(&id)?;
            // Lines in line order.
            let no = numbers.remove(&id).unwrap_or_default();
            let mut lines: Vec<(u32, SampleLine)> = no.into_iter().zip(invoice.lines).collect();
            lines.sort_by_key(|(n, _)| *n);
            invoice.lines = lines.into_iter().map(|(_, l)| l).collect();
            Some(invoice).filter(|i| !i.lines.is_empty())
        })
        .collect();
    shuffle(&mut out, SEED);
    out
}

/// Fisher–Yates with SplitMix64: the same seed always gives the same order.
pub fn shuffle<T>(items: &mut [T], seed: u64) {
    let mut state = seed;
    for i in (1..items.len()).rev() {
        state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^= z >> 31;
        items.swap(i, (z % (i as u64 + 1)) as usize);
    }
}

/// Calls `each` with every row of a CSV file with a header row; fields may be quoted with `"`
/// (doubled inside).
fn each_row(path: &Path, mut each: impl FnMut(Row<'_>)) {
    let file = File::open(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let mut lines = BufReader::new(file).lines();
    let read = |line: Option<std::io::Result<String>>| {
        line.map(|l| l.unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display())))
    };
    let header = split(&read(lines.next()).expect("a header row"));
    let mut number = 1;
    while let Some(line) = read(lines.next()) {
        number += 1;
        let fields = split(&line);
        assert_eq!(
            fields.len(),
            header.len(),
            "{}: row {number}",
            path.display()
        );
        each(Row {
            header: &header,
            fields: &fields,
        });
    }
}

/// One row, fields by column name; empty fields are `None`.
struct Row<'a> {
    header: &'a [String],
    fields: &'a [String],
}

impl Row<'_> {
    fn get(&self, column: &str) -> Option<String> {
        let i = self.header.iter().position(|h| h == column)?;
        Some(self.fields[i].clone()).filter(|f| !f.is_empty())
    }

    fn decimal(&self, column: &str) -> Decimal {
        self.get(column)
            .and_then(|v| Decimal::from_str(&v).ok())
            .unwrap_or_default()
    }
}

/// Splits one CSV record (no line breaks inside fields).
fn split(line: &str) -> Vec<String> {
    let mut fields = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            ('"', _) => quoted = !quoted,
            (',', false) => fields.push(std::mem::take(&mut field)),
            _ => field.push(c),
        }
    }
    fields.push(field);
    fields
}
