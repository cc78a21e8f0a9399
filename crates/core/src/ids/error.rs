//! The error for parsing CVR and GLN numbers; it never echoes the input, which may hold a CPR.

use std::fmt;

/// Which kind of identifier failed to parse.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum IdKind {
    /// A Danish company registration number (8 digits, modulus 11).
    Cvr,
    /// A GS1 Global Location Number / EAN location number (13 digits, GS1 check digit).
    Gln,
}

/// Why a CVR or GLN number was rejected.
///
/// Messages name the check that failed and how to fix it, and never contain the input.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IdError {
    #[error("{kind} is empty; give {} digits", .kind.digits())]
    Empty { kind: IdKind },
    #[error("{kind} must have {expected} digits, found {found}")]
    WrongLength {
        kind: IdKind,
        expected: usize,
        found: usize,
    },
    #[error(
        "{kind} has a character that is not a digit at position {position}; {}",
        .kind.format_hint()
    )]
    NotADigit {
        kind: IdKind,
        /// 1-based character position, counted after trimming (and after a `DK` prefix for CVR).
        position: usize,
    },
    #[error("{kind} must not start with 0")]
    LeadingZero { kind: IdKind },
    #[error("{kind} fails the {}; check for a mistyped digit", .kind.check_name())]
    CheckDigit { kind: IdKind },
}

impl IdKind {
    /// How many digits an identifier of this kind has.
    pub fn digits(self) -> usize {
        match self {
            IdKind::Cvr => 8,
            IdKind::Gln => 13,
        }
    }

    /// The name of the check-digit rule, as used in error messages.
    pub fn check_name(self) -> &'static str {
        match self {
            IdKind::Cvr => "modulus-11 check (weights 2,7,6,5,4,3,2,1)",
            IdKind::Gln => "GS1 check digit (weights 1,3,1,3,... over the first 12 digits)",
        }
    }

    fn format_hint(self) -> &'static str {
        match self {
            IdKind::Cvr => "give 8 digits, optionally prefixed with DK",
            IdKind::Gln => "give 13 digits",
        }
    }
}

impl fmt::Display for IdKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            IdKind::Cvr => "CVR number",
            IdKind::Gln => "GLN",
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(error: IdError, expected: &str) {
        assert_eq!(error.to_string(), expected);
    }

    #[test]
    fn messages_name_the_check_and_the_fix() {
        let cvr = IdKind::Cvr;
        let gln = IdKind::Gln;
        check(
            IdError::Empty { kind: cvr },
            "CVR number is empty; give 8 digits",
        );
        check(
            IdError::WrongLength {
                kind: cvr,
                expected: 8,
                found: 7,
            },
            "CVR number must have 8 digits, found 7",
        );
        check(
            IdError::NotADigit {
                kind: cvr,
                position: 3,
            },
            "CVR number has a character that is not a digit at position 3; \
             give 8 digits, optionally prefixed with DK",
        );
        check(
            IdError::LeadingZero { kind: cvr },
            "CVR number must not start with 0",
        );
        check(
            IdError::CheckDigit { kind: cvr },
            "CVR number fails the modulus-11 check (weights 2,7,6,5,4,3,2,1); \
             check for a mistyped digit",
        );
        check(
            IdError::CheckDigit { kind: gln },
            "GLN fails the GS1 check digit (weights 1,3,1,3,... over the first 12 digits); \
             check for a mistyped digit",
        );
        check(
            IdError::WrongLength {
                kind: gln,
                expected: 13,
                found: 12,
            },
            "GLN must have 13 digits, found 12",
        );
    }
}
