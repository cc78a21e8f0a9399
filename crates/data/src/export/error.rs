//! [`MappingError`] (a mapping file that cannot be used) and [`ExportError`] (an export that
//! cannot be read at all). Bad rows are never errors: they are counted in the report.

use std::path::PathBuf;

/// A mapping file that cannot be read, parsed or validated.
#[derive(Debug, thiserror::Error)]
pub enum MappingError {
    #[error("cannot read mapping file `{}`: {source}", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },

    #[error(
        "mapping{}: {message}; see data/README.md, \"Real single-table exports\"",
        at(path)
    )]
    Syntax {
        path: Option<PathBuf>,
        message: String,
    },

    #[error("mapping{}: `{key}`: {problem}", at(path))]
    Invalid {
        path: Option<PathBuf>,
        key: String,
        problem: String,
    },
}

impl MappingError {
    pub(super) fn invalid(key: impl Into<String>, problem: impl Into<String>) -> Self {
        MappingError::Invalid {
            path: None,
            key: key.into(),
            problem: problem.into(),
        }
    }

    /// The same error, naming the mapping file it came from.
    pub(super) fn in_file(self, file: PathBuf) -> Self {
        match self {
            MappingError::Syntax { message, .. } => MappingError::Syntax {
                path: Some(file),
                message,
            },
            MappingError::Invalid { key, problem, .. } => MappingError::Invalid {
                path: Some(file),
                key,
                problem,
            },
            io @ MappingError::Io { .. } => io,
        }
    }
}

fn at(path: &Option<PathBuf>) -> String {
    path.as_ref()
        .map(|p| format!(" `{}`", p.display()))
        .unwrap_or_default()
}

/// A problem that stops an export from being read. Malformed rows are not errors: they are
/// counted in [`ExportReport`](super::ExportReport).
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error(
        "no file in `{}` matches {}; check the directory and the mapping's `files`",
        dir.display(), quoted(globs)
    )]
    NoFiles { dir: PathBuf, globs: Vec<String> },

    #[error("cannot read `{}`: {source}", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },

    #[error(
        "`{}`: no column for `{field}`: none of the headers {} matches the mapping's aliases {}; \
         add the file's header to the field's `headers` in the mapping",
        file.display(), quoted(headers), quoted(aliases)
    )]
    MissingColumn {
        file: PathBuf,
        field: String,
        aliases: Vec<String>,
        headers: Vec<String>,
    },
}

fn quoted(items: &[String]) -> String {
    let inner: Vec<String> = items.iter().map(|s| format!("`{s}`")).collect();
    format!("[{}]", inner.join(", "))
}
