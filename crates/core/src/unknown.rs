//! The error for a name or code that is not one of a fixed set (document types, areas, ...).

/// A value that is not one of the accepted names. The message lists them and never echoes the
/// input.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("{field} must be one of: {expected}")]
pub struct UnknownValue {
    /// What was being parsed, e.g. `"document type"`.
    pub field: &'static str,
    /// The accepted values, comma separated.
    pub expected: &'static str,
}
