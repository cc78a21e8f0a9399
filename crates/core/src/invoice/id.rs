//! The receiver's own identifier for an invoice document.

use std::fmt;

/// The receiver's id for a received document (unique per organisation).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct InvoiceId(pub String);

impl InvoiceId {
    pub fn new(id: impl Into<String>) -> InvoiceId {
        InvoiceId(id.into())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for InvoiceId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}
