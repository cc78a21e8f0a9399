//! What an invoice's header contributes to each of its lines: creditor and receiving unit.

use kontera_core::Cvr;
use kontera_data::{CreditorRow, Dataset, InvoiceRow, UnitRow};
use rustc_hash::FxHashMap;

/// Creditors by id and units by GLN; the first row wins where a key repeats.
#[derive(Debug)]
pub(super) struct Masters<'a> {
    creditors: FxHashMap<&'a str, &'a CreditorRow>,
    units: FxHashMap<&'a str, &'a UnitRow>,
}

/// One invoice's header fields, shared by its lines.
#[derive(Debug)]
pub(super) struct Header<'a> {
    pub creditor: Option<&'a CreditorRow>,
    pub unit: Option<&'a UnitRow>,
    /// The creditor master's CVR if valid, else the invoice's if valid.
    pub supplier_cvr: Option<String>,
    pub buyer_gln: Option<&'a str>,
    pub buyer_reference: Option<&'a str>,
    pub accounting_cost: Option<&'a str>,
}

impl<'a> Masters<'a> {
    pub(super) fn new(ds: &'a Dataset) -> Masters<'a> {
        let mut creditors = FxHashMap::default();
        for c in &ds.creditors {
            creditors.entry(c.creditor_id.trim()).or_insert(c);
        }
        let mut units = FxHashMap::default();
        for u in &ds.units {
            units.entry(u.gln.trim()).or_insert(u);
        }
        Masters { creditors, units }
    }

    pub(super) fn header(&self, inv: &'a InvoiceRow) -> Header<'a> {
        let creditor = self.creditors.get(inv.creditor_id.trim()).copied();
        let buyer_gln = present(inv.buyer_gln.as_deref());
        let unit = buyer_gln.and_then(|gln| self.units.get(gln).copied());
        let supplier_cvr = creditor
            .and_then(|c| valid_cvr(c.cvr.as_deref()))
            .or_else(|| valid_cvr(inv.supplier_cvr.as_deref()));
        Header {
            creditor,
            unit,
            supplier_cvr,
            buyer_gln,
            buyer_reference: present(inv.buyer_reference.as_deref()),
            accounting_cost: present(inv.accounting_cost.as_deref()),
        }
    }
}

/// The text trimmed, or `None` when missing or blank.
pub(super) fn present(text: Option<&str>) -> Option<&str> {
    text.map(str::trim).filter(|t| !t.is_empty())
}

fn valid_cvr(text: Option<&str>) -> Option<String> {
    text.and_then(|t| Cvr::parse(t).ok()).map(|c| c.to_string())
}
