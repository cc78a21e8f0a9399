//! Master data as the service sees it while coding: the receiving unit (and its area) of an
//! invoice, and its creditor. Answers from the model's directory snapshot.

use kontera_core::directory::Directory;
use kontera_core::screen::CreditorFacts;
use kontera_core::{Cvr, Gln};

use crate::models::LoadedModel;

/// The area of invoices whose unit is unknown or has no area (an export without areas puts
/// every invoice here): pauses, thresholds, the circuit breaker and the audit rule treat it as
/// one more area. No area of the directory can be called this.
pub const UNASSIGNED: &str = "unassigned";

/// A receiving unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UnitView<'a> {
    pub id: &'a str,
    pub area: Option<&'static str>,
}

/// Lookups against one model's master data; answers borrow from it.
#[derive(Debug, Clone, Copy)]
pub struct Lookup<'a> {
    directory: &'a Directory,
}

impl<'a> Lookup<'a> {
    pub fn new(model: &'a LoadedModel) -> Lookup<'a> {
        Lookup {
            directory: &model.artifact.directory,
        }
    }

    /// Whether creditors can be looked up at all (a model trained on a single-table export
    /// knows suppliers only by name or number, not as master data).
    pub fn has_creditors(&self) -> bool {
        !self.directory.creditors().is_empty()
    }

    /// The unit an invoice is for: by GLN, else by the ERP's unit id.
    pub fn unit(&self, gln: Option<Gln>, unit_id: Option<&str>) -> Option<UnitView<'a>> {
        let entry = gln
            .and_then(|g| self.directory.unit_by_gln(g))
            .or_else(|| unit_id.and_then(|id| self.directory.unit(id)))?;
        Some(UnitView {
            id: entry.id.as_str(),
            area: entry.area.map(|a| a.as_str()),
        })
    }

    /// The creditor as screening sees it: by CVR, else by the ERP's creditor number. The
    /// directory holds no bank account number, so the invoice's is not compared.
    pub fn creditor(
        &self,
        cvr: Option<Cvr>,
        creditor_id: Option<&str>,
    ) -> Option<CreditorFacts<'a>> {
        let entry = cvr
            .and_then(|c| self.directory.creditor_by_cvr(c))
            .or_else(|| creditor_id.and_then(|id| self.directory.creditor(id)))?;
        Some(CreditorFacts {
            cvr: entry.cvr,
            blocked: entry.blocked,
            bank_account: None,
            bank_account_changed: entry.bank_account_changed,
            address_changed: entry.address_changed,
            industry: entry.industry_code.as_deref(),
            history: entry.amounts,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_area_of_the_directory_is_called_unassigned() {
        assert!(
            kontera_core::Area::ALL
                .iter()
                .all(|a| a.as_str() != UNASSIGNED)
        );
        assert!(kontera_core::Area::parse(UNASSIGNED).is_err());
    }
}
