//! An [`Invoice`] shape written as Kontera's JSON invoice (or a batch of it).

use std::fmt::Write;

use super::shape::{Invoice, Kind, Line, MAX_LINES, Party, Rendered, Value};

/// A JSON string literal.
pub fn string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if u32::from(c) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The value as JSON, `None` if the field is left out.
fn value(v: &Value, kind: Kind) -> Option<String> {
    match v.render(kind) {
        Rendered::Text(s) => Some(string(&s)),
        Rendered::Raw(s) => Some(s),
        Rendered::Missing => None,
    }
}

type Field<'a> = (&'a str, Option<&'a Value>, Kind);

/// `{"key": value, ...}` of the present fields.
fn object(fields: &[Field<'_>]) -> String {
    let parts: Vec<String> = fields
        .iter()
        .filter_map(|&(k, v, kind)| Some(format!("{}: {}", string(k), value(v?, kind)?)))
        .collect();
    format!("{{{}}}", parts.join(", "))
}

fn supplier(p: &Party) -> String {
    object(&[
        ("cvr", p.cvr.as_ref(), Kind::Cvr),
        ("vat_id", p.vat_id.as_ref(), Kind::Id),
        ("name", p.name.as_ref(), Kind::Name),
        ("creditor_id", p.id.as_ref(), Kind::Id),
        ("country", p.country.as_ref(), Kind::Country),
        ("bank_account", p.bank_account.as_ref(), Kind::Id),
    ])
}

fn buyer(p: &Party) -> String {
    object(&[
        ("gln", p.gln.as_ref(), Kind::Gln),
        ("unit_id", p.id.as_ref(), Kind::Id),
        ("reference", p.reference.as_ref(), Kind::Id),
        ("name", p.name.as_ref(), Kind::Name),
    ])
}

fn line(l: &Line) -> String {
    object(&[
        ("description", Some(&l.description), Kind::Text),
        ("quantity", l.quantity.as_ref(), Kind::Measure),
        ("unit_price", l.unit_price.as_ref(), Kind::Measure),
        ("net_amount", Some(&l.net_amount), Kind::Amount),
        ("vat_category", l.vat_category.as_ref(), Kind::VatCategory),
        ("vat_rate", l.vat_rate.as_ref(), Kind::Rate),
        ("item_id", l.item_id.as_ref(), Kind::Id),
        ("gtin", l.gtin.as_ref(), Kind::Id),
        ("unspsc", l.unspsc.as_ref(), Kind::Id),
        ("accounting_cost", l.accounting_cost.as_ref(), Kind::Text),
    ])
}

/// The invoice as one JSON object.
pub fn invoice(inv: &Invoice) -> String {
    let mut parts = Vec::new();
    let mut field = |k: &str, v: Option<String>| {
        if let Some(v) = v {
            parts.push(format!("{}: {v}", string(k)));
        }
    };
    let optional = |v: &Option<Value>, kind| v.as_ref().and_then(|v| value(v, kind));
    field("id", optional(&inv.id, Kind::Id));
    field("number", value(&inv.number, Kind::Id));
    field("type", optional(&inv.document_type, Kind::DocumentType));
    field("issue_date", value(&inv.issue_date, Kind::Date));
    field("due_date", optional(&inv.due_date, Kind::Date));
    field("currency", optional(&inv.currency, Kind::Currency));
    field("order_reference", optional(&inv.order_reference, Kind::Id));
    field(
        "accounting_cost",
        optional(&inv.accounting_cost, Kind::Text),
    );
    field("supplier", Some(supplier(&inv.supplier)));
    field("buyer", Some(buyer(&inv.buyer)));
    let lines: Vec<String> = inv.lines.iter().take(MAX_LINES).map(line).collect();
    field("lines", Some(format!("[{}]", lines.join(", "))));
    if let Some(t) = &inv.totals {
        field(
            "totals",
            Some(object(&[
                ("net", t.net.as_ref(), Kind::Amount),
                ("vat", t.vat.as_ref(), Kind::Amount),
                ("payable", t.payable.as_ref(), Kind::Amount),
            ])),
        );
    }
    field("colour", optional(&inv.unknown, Kind::Text));
    format!("{{{}}}", parts.join(", "))
}

/// `{"invoices": [...]}` around the invoices.
pub fn batch(invoices: &[Invoice]) -> String {
    let items: Vec<String> = invoices.iter().map(invoice).collect();
    format!("{{\"invoices\": [{}]}}", items.join(", "))
}
