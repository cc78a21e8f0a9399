//! The directory: the master data the service screens invoices with, as the training data knew
//! it — receiving units (id, GLN, name, area) and creditors (id, CVR, name, blocked, recent bank
//! account and address changes, industry, amount history). It travels in the model artifact.
//!
//! Lookups by unit id, GLN, creditor id and CVR are hash lookups; the maps are built when the
//! directory is (never stored).

mod amounts;
mod entry;
mod error;

use rustc_hash::FxHashMap;

pub use amounts::AmountHistory;
pub use entry::{CreditorEntry, UnitEntry};
pub use error::DirectoryError;

use crate::{Cvr, Gln};

/// Units and creditors with their lookups.
#[derive(Debug, Clone, Default)]
pub struct Directory {
    units: Vec<UnitEntry>,
    creditors: Vec<CreditorEntry>,
    unit_by_id: FxHashMap<String, u32>,
    unit_by_gln: FxHashMap<Gln, u32>,
    creditor_by_id: FxHashMap<String, u32>,
    /// Per CVR, a range of `cvr_order`: several creditors may share one (duplicates in the
    /// master data are real, and a screening signal).
    creditor_by_cvr: FxHashMap<Cvr, (u32, u32)>,
    cvr_order: Vec<u32>,
}

impl PartialEq for Directory {
    /// Directories are equal when their entries are (the maps follow from them).
    fn eq(&self, other: &Directory) -> bool {
        self.units == other.units && self.creditors == other.creditors
    }
}

impl Directory {
    /// Builds the lookups. Unit ids, GLNs and creditor ids must be unique and no id may be empty
    /// or hold a CPR number; amount histories must be consistent. Entries keep their order.
    pub fn new(
        units: Vec<UnitEntry>,
        creditors: Vec<CreditorEntry>,
    ) -> Result<Directory, DirectoryError> {
        let mut d = Directory::default();
        for (i, u) in units.iter().enumerate() {
            check_id("unit", i, u.id.as_str())?;
            if d.unit_by_id.insert(u.id.0.clone(), i as u32).is_some() {
                return Err(DirectoryError::DuplicateUnit { id: u.id.0.clone() });
            }
            if let Some(gln) = u.gln
                && let Some(first) = d.unit_by_gln.insert(gln, i as u32)
            {
                return Err(DirectoryError::DuplicateGln {
                    gln: gln.to_string(),
                    first: units[first as usize].id.0.clone(),
                    second: u.id.0.clone(),
                });
            }
        }
        for (i, c) in creditors.iter().enumerate() {
            check_id("creditor", i, c.id.as_str())?;
            if d.creditor_by_id.insert(c.id.0.clone(), i as u32).is_some() {
                return Err(DirectoryError::DuplicateCreditor { id: c.id.0.clone() });
            }
            if c.amounts.is_some_and(|a| !a.is_consistent()) {
                return Err(DirectoryError::Amounts { id: c.id.0.clone() });
            }
        }
        let mut with_cvr: Vec<(Cvr, u32)> = creditors
            .iter()
            .enumerate()
            .filter_map(|(i, c)| Some((c.cvr?, i as u32)))
            .collect();
        with_cvr.sort_unstable();
        for (pos, &(cvr, i)) in with_cvr.iter().enumerate() {
            d.cvr_order.push(i);
            d.creditor_by_cvr
                .entry(cvr)
                .and_modify(|r| r.1 += 1)
                .or_insert((pos as u32, 1));
        }
        d.units = units;
        d.creditors = creditors;
        Ok(d)
    }

    pub fn units(&self) -> &[UnitEntry] {
        &self.units
    }

    pub fn creditors(&self) -> &[CreditorEntry] {
        &self.creditors
    }

    /// The unit with this id.
    pub fn unit(&self, id: &str) -> Option<&UnitEntry> {
        self.unit_by_id.get(id).map(|&i| &self.units[i as usize])
    }

    /// The unit an invoice addressed to this GLN is for.
    pub fn unit_by_gln(&self, gln: Gln) -> Option<&UnitEntry> {
        self.unit_by_gln.get(&gln).map(|&i| &self.units[i as usize])
    }

    /// The creditor with this id.
    pub fn creditor(&self, id: &str) -> Option<&CreditorEntry> {
        self.creditor_by_id
            .get(id)
            .map(|&i| &self.creditors[i as usize])
    }

    /// The creditors with this CVR, in entry order (usually one; several when the master data
    /// holds duplicates).
    pub fn creditors_by_cvr(&self, cvr: Cvr) -> impl ExactSizeIterator<Item = &CreditorEntry> {
        let (start, len) = self.creditor_by_cvr.get(&cvr).copied().unwrap_or((0, 0));
        self.cvr_order[start as usize..(start + len) as usize]
            .iter()
            .map(|&i| &self.creditors[i as usize])
    }

    /// The first creditor with this CVR.
    pub fn creditor_by_cvr(&self, cvr: Cvr) -> Option<&CreditorEntry> {
        self.creditors_by_cvr(cvr).next()
    }

    /// Whether the directory knows nothing (a model trained without master data or rows).
    pub fn is_empty(&self) -> bool {
        self.units.is_empty() && self.creditors.is_empty()
    }
}

fn check_id(what: &'static str, index: usize, id: &str) -> Result<(), DirectoryError> {
    if id.trim().is_empty() || crate::cpr::contains(id) {
        return Err(DirectoryError::BadId { what, index });
    }
    Ok(())
}

#[cfg(test)]
mod tests;
