//! The full coding of one invoice line or posting.

use super::{AccountId, CostCentre, ProjectId, VatCode};

/// What a line is coded to: account and cost centre always, VAT code and project when used.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Coding {
    pub account: AccountId,
    pub cost_centre: CostCentre,
    pub vat_code: Option<VatCode>,
    pub project: Option<ProjectId>,
}

impl Coding {
    /// A coding with account and cost centre only.
    pub fn new(account: AccountId, cost_centre: CostCentre) -> Coding {
        Coding {
            account,
            cost_centre,
            vat_code: None,
            project: None,
        }
    }
}
