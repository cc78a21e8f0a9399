//! The directory snapshot for the artifact: units and creditors as the training data knows them,
//! with each creditor's invoice totals over the training window.
//!
//! From the contract tables: every unit and creditor of the master data (ids, GLN, CVR, name,
//! area, blocked, changes, industry), amounts from the window's invoices (net totals). From a
//! single-table export, which has no master data: units from the unit column (no GLN, no area)
//! and creditors from the supplier identity the model uses, amounts per invoice reference.
//!
//! Ids holding a CPR number (private persons) and repeated ids or GLNs are left out and
//! counted, never echoed.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use kontera_core::directory::{AmountHistory, CreditorEntry, Directory, UnitEntry};
use kontera_core::{Area, CreditorId, Cvr, Gln, UnitId, cpr};
use kontera_data::Dataset;
use rust_decimal::Decimal;

use crate::example::Example;
use crate::export_example::ExportExample;

/// The directory and what was left out of it.
#[derive(Debug, Clone, PartialEq)]
pub struct Built {
    pub directory: Directory,
    /// Units and creditors left out: an id empty, holding a CPR number, or repeated.
    pub skipped: usize,
}

/// The directory of the contract tables' master data, with amounts from the invoices issued in
/// `from..=to`.
pub fn from_dataset(ds: &Dataset, from: NaiveDate, to: NaiveDate) -> Built {
    let mut totals: BTreeMap<&str, Vec<Decimal>> = BTreeMap::new();
    for inv in ds
        .invoices
        .iter()
        .filter(|i| (from..=to).contains(&i.issue_date))
    {
        if inv.document_type != "credit_note" {
            totals
                .entry(&inv.creditor_id)
                .or_default()
                .push(inv.total_net);
        }
    }
    let mut skipped = 0;
    let mut glns = std::collections::BTreeSet::new();
    let mut units = BTreeMap::new();
    for u in &ds.units {
        if !usable(&u.unit_id) || units.contains_key(u.unit_id.as_str()) {
            skipped += 1;
            continue;
        }
        // A GLN given twice stays with the first unit that has it.
        let gln = Gln::parse(&u.gln).ok().filter(|g| glns.insert(*g));
        units.insert(
            u.unit_id.as_str(),
            UnitEntry {
                id: UnitId::new(u.unit_id.as_str()),
                gln,
                name: u.name.clone(),
                area: Area::parse(&u.area).ok(),
            },
        );
    }
    let mut creditors = BTreeMap::new();
    for c in &ds.creditors {
        if !usable(&c.creditor_id) || creditors.contains_key(c.creditor_id.as_str()) {
            skipped += 1;
            continue;
        }
        let amounts = totals
            .remove(c.creditor_id.as_str())
            .and_then(AmountHistory::from_totals);
        creditors.insert(
            c.creditor_id.as_str(),
            CreditorEntry {
                id: CreditorId::new(c.creditor_id.as_str()),
                cvr: c.cvr.as_deref().and_then(|s| Cvr::parse(s).ok()),
                name: c.name.clone(),
                blocked: c.blocked,
                bank_account_changed: c.bank_account_changed,
                address_changed: c.address_changed,
                industry_code: Some(c.industry_code.clone()).filter(|s| !s.trim().is_empty()),
                amounts,
            },
        );
    }
    built(
        units.into_values().collect(),
        creditors.into_values().collect(),
        skipped,
    )
}

/// The directory a single-table export supports: its units and suppliers, amounts summed per
/// invoice reference.
pub fn from_export(rows: &[ExportExample]) -> Built {
    let mut units: BTreeMap<&str, ()> = BTreeMap::new();
    // Per supplier: name, VAT number, and totals per invoice.
    type Seen<'a> = (Option<&'a str>, Option<&'a str>, BTreeMap<&'a str, Decimal>);
    let mut suppliers: BTreeMap<&str, Seen<'_>> = BTreeMap::new();
    for r in rows {
        let e = r.evidence();
        if let Some(u) = e.unit {
            units.insert(u, ());
        }
        let Some(s) = e.supplier else { continue };
        let seen = suppliers.entry(s).or_default();
        seen.0 = seen.0.or(r.row.supplier_name.as_deref());
        seen.1 = seen.1.or(r.row.supplier_vat.as_deref());
        *seen.2.entry(r.invoice()).or_default() += r.row.amount;
    }
    let mut skipped = 0;
    let units = units
        .into_keys()
        .filter(|u| {
            usable(u) || {
                skipped += 1;
                false
            }
        })
        .map(|u| UnitEntry {
            id: UnitId::new(u),
            gln: None,
            name: u.to_owned(),
            area: None,
        })
        .collect();
    let creditors = suppliers
        .into_iter()
        .filter(|(s, _)| {
            usable(s) || {
                skipped += 1;
                false
            }
        })
        .map(|(s, (name, vat, totals))| CreditorEntry {
            id: CreditorId::new(s),
            cvr: vat.and_then(|v| Cvr::parse(v).ok()),
            name: name.map_or_else(|| s.to_owned(), |n| n.trim().to_owned()),
            blocked: false,
            bank_account_changed: None,
            address_changed: None,
            industry_code: None,
            amounts: AmountHistory::from_totals(totals.into_values()),
        })
        .collect();
    built(units, creditors, skipped)
}

fn usable(id: &str) -> bool {
    !id.trim().is_empty() && !cpr::contains(id)
}

fn built(units: Vec<UnitEntry>, creditors: Vec<CreditorEntry>, skipped: usize) -> Built {
    let directory = Directory::new(units, creditors)
        .expect("ids are unique, usable and amounts consistent by construction");
    Built { directory, skipped }
}
