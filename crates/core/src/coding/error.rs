//! The error for coding field values; it names the field and never echoes the value.

use std::fmt;

/// A coding field value was rejected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("{field} {reason}")]
pub struct CodeError {
    /// The field, e.g. `"account"` or `"cost centre"`.
    pub field: &'static str,
    pub reason: CodeErrorReason,
}

/// Which rule the value broke.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodeErrorReason {
    /// Empty after trimming whitespace.
    Empty,
    /// Longer than the maximum (counted in characters after trimming).
    TooLong { max: usize, found: usize },
    /// A character other than ASCII letters, digits, `.`, `-`, `_` or `/` (1-based position).
    InvalidChar { position: usize },
}

impl fmt::Display for CodeErrorReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CodeErrorReason::Empty => f.write_str("is empty; give a code"),
            CodeErrorReason::TooLong { max, found } => {
                write!(f, "must have at most {max} characters, found {found}")
            }
            CodeErrorReason::InvalidChar { position } => write!(
                f,
                "has a character that is not allowed at position {position}; \
                 use only letters A-Z, digits and . - _ /"
            ),
        }
    }
}
