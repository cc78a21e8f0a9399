//! The shared validation rule and definition macro for coding-field newtypes.

use super::{CodeError, CodeErrorReason};

/// The longest code accepted, in characters.
pub const MAX_CODE_LEN: usize = 32;

/// Trims `input` and checks it is a non-empty code of allowed characters, at most
/// [`MAX_CODE_LEN`] long.
pub(super) fn validate<'a>(field: &'static str, input: &'a str) -> Result<&'a str, CodeError> {
    let code = input.trim();
    let error = |reason| CodeError { field, reason };
    if code.is_empty() {
        return Err(error(CodeErrorReason::Empty));
    }
    if let Some(index) = code.chars().position(|c| !is_allowed(c)) {
        return Err(error(CodeErrorReason::InvalidChar {
            position: index + 1,
        }));
    }
    if code.len() > MAX_CODE_LEN {
        return Err(error(CodeErrorReason::TooLong {
            max: MAX_CODE_LEN,
            found: code.len(),
        }));
    }
    Ok(code)
}

fn is_allowed(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | '/')
}

/// Defines a validated string newtype for one coding field.
macro_rules! code_type {
    ($(#[$meta:meta])* $name:ident, $field:literal) => {
        $(#[$meta])*
        ///
        /// Non-empty, at most 32 characters, only ASCII letters, digits and `.`, `-`, `_`, `/`.
        /// `Debug` masks anything that looks like a CPR number; `Display` shows the code.
        #[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(String);

        impl $name {
            /// The field name used in error messages.
            pub const FIELD: &'static str = $field;

            /// Parses a code, trimming surrounding whitespace.
            pub fn parse(input: &str) -> Result<$name, $crate::coding::CodeError> {
                $crate::coding::code::validate($field, input).map(|code| $name(code.to_owned()))
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = $crate::coding::CodeError;

            fn from_str(s: &str) -> Result<$name, $crate::coding::CodeError> {
                $name::parse(s)
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl ::std::fmt::Debug for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.debug_tuple(stringify!($name))
                    .field(&$crate::ids::cpr::mask(&self.0))
                    .finish()
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl ::std::borrow::Borrow<str> for $name {
            fn borrow(&self) -> &str {
                &self.0
            }
        }
    };
}

pub(super) use code_type;
