//! serde's errors turned into intake errors: the path becomes the field, position suffixes go.

use serde_json::error::Category;

use crate::IntakeError;
use crate::echo::safe_message;

/// Maps a path-tracked serde_json error to an [`IntakeError`].
pub(super) fn map(error: serde_path_to_error::Error<serde_json::Error>) -> IntakeError {
    let path = error.path().to_string();
    let inner = error.into_inner();
    let message = without_position(&inner.to_string());
    match inner.classify() {
        Category::Data => {
            if let Some(name) = quoted_after(&message, "missing field `") {
                IntakeError::missing(join(&path, name))
            } else if message.starts_with("unknown field `") {
                IntakeError::UnknownField {
                    field: safe_message(&path),
                    message: safe_message(&message),
                }
            } else {
                IntakeError::invalid(field_name(&path), message)
            }
        }
        Category::Io | Category::Syntax | Category::Eof => IntakeError::MalformedJson {
            line: inner.line(),
            column: inner.column(),
            message: safe_message(&message),
        },
    }
}

/// serde_json ends data messages with " at line L column C"; the path says where instead.
fn without_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(index) => message[..index].to_owned(),
        None => message.to_owned(),
    }
}

fn quoted_after<'a>(message: &'a str, prefix: &str) -> Option<&'a str> {
    message.strip_prefix(prefix)?.split('`').next()
}

fn field_name(path: &str) -> String {
    if path == "." || path.is_empty() {
        "(body)".to_owned()
    } else {
        path.to_owned()
    }
}

fn join(path: &str, name: &str) -> String {
    if path == "." || path.is_empty() {
        name.to_owned()
    } else {
        format!("{path}.{name}")
    }
}
