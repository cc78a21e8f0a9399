//! Whether a document is an invoice or a credit note.

use std::fmt;
use std::str::FromStr;

use crate::UnknownValue;

/// The kind of received document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum DocumentType {
    Invoice,
    CreditNote,
}

impl DocumentType {
    pub const ALL: [DocumentType; 2] = [DocumentType::Invoice, DocumentType::CreditNote];

    /// Parses `invoice` or `credit_note` (surrounding whitespace allowed).
    pub fn parse(input: &str) -> Result<DocumentType, UnknownValue> {
        match input.trim() {
            "invoice" => Ok(DocumentType::Invoice),
            "credit_note" => Ok(DocumentType::CreditNote),
            _ => Err(EXPECTED),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            DocumentType::Invoice => "invoice",
            DocumentType::CreditNote => "credit_note",
        }
    }
}

impl FromStr for DocumentType {
    type Err = UnknownValue;

    fn from_str(s: &str) -> Result<DocumentType, UnknownValue> {
        DocumentType::parse(s)
    }
}

impl fmt::Display for DocumentType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

const EXPECTED: UnknownValue = UnknownValue {
    field: "document type",
    expected: "invoice, credit_note",
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_rejects() {
        for kind in DocumentType::ALL {
            assert_eq!(DocumentType::parse(kind.as_str()), Ok(kind));
        }
        assert_eq!(
            DocumentType::parse(" credit_note "),
            Ok(DocumentType::CreditNote)
        );
        let error = DocumentType::parse("creditnote").unwrap_err();
        assert_eq!(
            error.to_string(),
            "document type must be one of: invoice, credit_note"
        );
    }
}
