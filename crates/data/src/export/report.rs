//! [`ExportReport`]: what reading an export found — files, header mapping, rows read, kept,
//! empty and malformed by reason — and its human summary.

use std::collections::BTreeMap;
use std::fmt;
use std::path::PathBuf;

use super::Field;

/// How many examples of malformed rows a report keeps.
pub const MAX_EXAMPLES: usize = 20;

/// The outcome of [`read_export`](super::read_export), besides the rows.
///
/// `rows_read = rows_ok + empty_rows + Σ malformed`. Examples name the file, the row and the
/// reason only: never the row's text, which may hold personal data.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ExportReport {
    pub files: Vec<FileReport>,
    pub rows_read: u64,
    pub rows_ok: u64,
    pub empty_rows: u64,
    pub malformed: BTreeMap<&'static str, u64>,
    /// The first [`MAX_EXAMPLES`] malformed rows: (index into `files`, 1-based row, reason).
    pub examples: Vec<(usize, u64, &'static str)>,
}

/// One file of the export.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileReport {
    /// Relative to the data directory.
    pub path: PathBuf,
    /// Data rows (the header is not a row), empty and malformed ones included.
    pub rows: u64,
    /// Which header each mapped field was read from (text may have several).
    pub header_mapping: Vec<(Field, String)>,
    /// Mapped fields none of whose aliases matched a header in this file (optional ones only;
    /// a missing required field is an error).
    pub missing: Vec<Field>,
    /// Characters read through the legacy table because they were not UTF-8 (or were C1
    /// control characters).
    pub recoded_chars: u64,
}

impl ExportReport {
    /// Rows that were neither read into rows nor empty.
    pub fn malformed_rows(&self) -> u64 {
        self.malformed.values().sum()
    }

    pub(super) fn count_malformed(&mut self, file: usize, row: u64, reason: &'static str) {
        *self.malformed.entry(reason).or_default() += 1;
        if self.examples.len() < MAX_EXAMPLES {
            self.examples.push((file, row, reason));
        }
    }
}

impl fmt::Display for ExportReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "{} file(s), {} rows read: {} ok, {} empty, {} malformed",
            self.files.len(),
            self.rows_read,
            self.rows_ok,
            self.empty_rows,
            self.malformed_rows()
        )?;
        for (reason, n) in &self.malformed {
            writeln!(f, "  malformed, {reason}: {n}")?;
        }
        for file in &self.files {
            let mapping: Vec<String> = file
                .header_mapping
                .iter()
                .map(|(field, header)| format!("{field} ← {header:?}"))
                .collect();
            write!(
                f,
                "  {}: {} rows; {}",
                file.path.display(),
                file.rows,
                mapping.join(", ")
            )?;
            if !file.missing.is_empty() {
                let missing: Vec<&str> = file.missing.iter().map(|m| m.name()).collect();
                write!(f, "; not found: {}", missing.join(", "))?;
            }
            if file.recoded_chars > 0 {
                write!(f, "; {} non-UTF-8 characters recoded", file.recoded_chars)?;
            }
            writeln!(f)?;
        }
        for &(file, row, reason) in &self.examples {
            let path = self.files.get(file).map(|r| r.path.display().to_string());
            writeln!(
                f,
                "  e.g. {} row {row}: {reason}",
                path.unwrap_or_else(|| format!("file #{file}"))
            )?;
        }
        Ok(())
    }
}
