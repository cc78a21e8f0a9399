//! Several organisations in one deployment (a shared-service centre serving many
//! municipalities): each organisation's tables live apart — a PostgreSQL schema of its own in the
//! shared database, or an SQLite file beside the first — so a store opened for one organisation
//! has no statement that could read, count or change another's rows. The scoping is the
//! database's, not a `WHERE` clause each query must remember.
//!
//! The deployment's first organisation keeps the place a single-organisation deployment uses
//! (PostgreSQL's default schema, the `--database` file itself), so adding organisations changes
//! nothing for it.

use std::path::{Path, PathBuf};

/// Longest organisation name: it becomes part of a schema name, a file name and every token.
pub const MAX_ORGANISATION: usize = 32;

/// Whether `name` can name an organisation: 1 to [`MAX_ORGANISATION`] lowercase ASCII letters,
/// digits and `_`, starting with a letter (it is spelled into a PostgreSQL schema name, a file
/// name, API tokens and session cookies, so it needs no quoting anywhere).
pub fn valid_organisation(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_lowercase())
        && name.len() <= MAX_ORGANISATION
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

/// The PostgreSQL schema holding an organisation's tables.
pub(crate) fn schema(organisation: &str) -> String {
    format!("kontera_{organisation}")
}

/// The SQLite file holding an organisation's tables: the deployment's file with the
/// organisation's name before its extension (`kontera.db` → `kontera.odense.db`).
pub fn sqlite_file(path: &Path, organisation: &str) -> PathBuf {
    let stem = path
        .file_stem()
        .map_or_else(|| "kontera".into(), |s| s.to_string_lossy().into_owned());
    let name = match path.extension() {
        Some(ext) => format!("{stem}.{organisation}.{}", ext.to_string_lossy()),
        None => format!("{stem}.{organisation}"),
    };
    path.with_file_name(name)
}

/// The key of the PostgreSQL advisory lock an organisation's write transactions take: the
/// first organisation's is `base` (what a single-organisation deployment has always used),
/// every other's is `base` mixed with a hash of its name, so organisations do not wait for each
/// other's writes.
pub(crate) fn write_lock(base: i64, organisation: Option<&str>) -> i64 {
    let Some(name) = organisation else {
        return base;
    };
    // FNV-1a: stable across builds and platforms, unlike std's hasher.
    let hash = name.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    });
    base ^ i64::from_le_bytes(hash.to_le_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_need_no_quoting_anywhere() {
        for ok in ["odense", "aarhus_kommune", "k2", "a"] {
            assert!(valid_organisation(ok), "{ok}");
        }
        for bad in [
            "",
            "Odense",
            "2k",
            "_a",
            "a-b",
            "a.b",
            "a b",
            "a\"b",
            "æbeltoft",
            &"a".repeat(MAX_ORGANISATION + 1),
        ] {
            assert!(!valid_organisation(bad), "{bad:?}");
        }
    }

    #[test]
    fn each_organisation_has_its_own_file_and_lock() {
        assert_eq!(
            sqlite_file(Path::new("/var/lib/kontera/kontera.db"), "odense"),
            Path::new("/var/lib/kontera/kontera.odense.db")
        );
        assert_eq!(sqlite_file(Path::new("data/k"), "b"), Path::new("data/k.b"));
        assert_eq!(write_lock(7, None), 7);
        assert_ne!(write_lock(7, Some("a")), write_lock(7, Some("b")));
        assert_ne!(write_lock(7, Some("a")), 7);
        assert_eq!(schema("odense"), "kontera_odense");
    }
}
