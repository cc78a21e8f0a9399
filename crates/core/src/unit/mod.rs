//! Receiving units (institutions): who bought, identified by their GLN.

mod area;

use std::fmt;

pub use area::Area;

use crate::{CostCentre, Gln};

/// The ledger's own id for a unit.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct UnitId(pub String);

/// An institution that receives invoices, e.g. a daycare or a school.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unit {
    pub id: UnitId,
    pub name: String,
    /// The EAN/GLN location number invoices are addressed to.
    pub gln: Gln,
    /// The cost centre its spending is usually coded to.
    pub cost_centre: CostCentre,
    pub area: Area,
}

impl UnitId {
    pub fn new(id: impl Into<String>) -> UnitId {
        UnitId(id.into())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for UnitId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}
