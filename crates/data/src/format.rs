//! [`Format`]: the two file formats a table can be stored in, told apart by extension.

use std::fmt;
use std::path::Path;

use crate::error::DataError;

/// A table file's format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// Comma-separated text with a header row (dialect in `data/README.md`).
    Csv,
    /// Apache Parquet, zstd-compressed.
    Parquet,
}

impl Format {
    /// Both formats, CSV first.
    pub const ALL: [Format; 2] = [Format::Csv, Format::Parquet];

    /// The file extension without the dot: `csv` or `parquet`.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::Parquet => "parquet",
        }
    }

    /// The format for an extension (without the dot, any case), if it is one of ours.
    pub fn from_extension(extension: &str) -> Option<Format> {
        Format::ALL
            .into_iter()
            .find(|f| f.extension().eq_ignore_ascii_case(extension))
    }

    /// The format of a file, from its extension.
    pub fn from_path(path: &Path) -> Result<Format, DataError> {
        path.extension()
            .and_then(|e| e.to_str())
            .and_then(Format::from_extension)
            .ok_or_else(|| DataError::UnknownFormat {
                path: path.to_path_buf(),
            })
    }

    /// The file name of `table` in this format, e.g. `invoices.csv`.
    pub fn file_name(self, table: &str) -> String {
        format!("{table}.{}", self.extension())
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.extension())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_follow_the_extension() {
        assert_eq!(
            Format::from_path(Path::new("d/x.csv")).unwrap(),
            Format::Csv
        );
        assert_eq!(
            Format::from_path(Path::new("x.PARQUET")).unwrap(),
            Format::Parquet
        );
        let err = Format::from_path(Path::new("d/x.xlsx"))
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("d/x.xlsx") && err.contains("`.csv` or `.parquet`"),
            "{err}"
        );
        assert_eq!(Format::Parquet.file_name("units"), "units.parquet");
    }
}
