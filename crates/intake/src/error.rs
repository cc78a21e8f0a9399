//! The intake error: always bad input, always naming the field when there is one.

use crate::echo::safe_message;

/// Why a body was refused. Every variant is the sender's fault (a 4xx); messages never contain
/// a CPR number.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IntakeError {
    #[error("the body is not valid JSON (line {line}, column {column}): {message}")]
    MalformedJson {
        line: usize,
        column: usize,
        message: String,
    },
    #[error("the body is not well-formed XML: {message}")]
    MalformedXml { message: String },
    #[error(
        "the XML has a document type declaration (DOCTYPE); DTDs and entity definitions are \
         refused: send the UBL document without one"
    )]
    DoctypeRefused,
    #[error("not a UBL 2.1 Invoice or CreditNote: the root element is {root}; {hint}")]
    NotAnInvoice { root: String, hint: &'static str },
    #[error("{field}: is required")]
    Missing { field: String },
    #[error("{field}: {message}")]
    UnknownField { field: String, message: String },
    #[error("{field}: {message}")]
    Invalid { field: String, message: String },
}

impl IntakeError {
    /// A stable, machine-readable code for the error body.
    pub fn code(&self) -> &'static str {
        match self {
            IntakeError::MalformedJson { .. } => "malformed_json",
            IntakeError::MalformedXml { .. } => "malformed_xml",
            IntakeError::DoctypeRefused => "doctype_refused",
            IntakeError::NotAnInvoice { .. } => "not_an_invoice",
            IntakeError::Missing { .. } => "missing_field",
            IntakeError::UnknownField { .. } => "unknown_field",
            IntakeError::Invalid { .. } => "invalid_field",
        }
    }

    /// The field the error concerns, as a path (`lines[2].net_amount`,
    /// `InvoiceLine[3]/LineExtensionAmount`), when there is one.
    pub fn field(&self) -> Option<&str> {
        match self {
            IntakeError::Missing { field }
            | IntakeError::UnknownField { field, .. }
            | IntakeError::Invalid { field, .. } => Some(field),
            _ => None,
        }
    }

    pub(crate) fn invalid(field: impl Into<String>, message: impl AsRef<str>) -> IntakeError {
        IntakeError::Invalid {
            field: safe_message(&field.into()),
            message: safe_message(message.as_ref()),
        }
    }

    pub(crate) fn missing(field: impl Into<String>) -> IntakeError {
        IntakeError::Missing {
            field: safe_message(&field.into()),
        }
    }
}
