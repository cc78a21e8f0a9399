//! The corpus and crash folders: entries named by a hash of their bytes (`<16 hex>.bin`; hand-
//! picked seeds keep names starting with `seed-`), loaded in name order so a run is
//! reproducible, and `cmin`, which keeps the smallest entries that together show every outcome
//! class the corpus shows.

use std::collections::HashSet;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use crate::Target;
use crate::exec::execute;
use crate::runner::MAX_SAVED_LEN;

/// FNV-1a, 64 bits: a stable name for an input.
pub fn hash(data: &[u8]) -> u64 {
    data.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// The file name of a kept input.
pub fn file_name(data: &[u8]) -> String {
    format!("{:016x}.bin", hash(data))
}

/// The files of a folder (not hidden ones, not folders), in name order; none if it is missing.
pub fn files(dir: &Path) -> io::Result<Vec<PathBuf>> {
    let entries = match fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(e),
    };
    let mut files = Vec::new();
    for entry in entries {
        let entry = entry?;
        let hidden = entry.file_name().to_string_lossy().starts_with('.');
        if !hidden && entry.file_type()?.is_file() {
            files.push(entry.path());
        }
    }
    files.sort();
    Ok(files)
}

/// Writes `data` as `dir/<hash>.bin` (or `dir/<prefix><hash>.bin`) unless it is there already.
pub fn save(dir: &Path, prefix: &str, data: &[u8]) -> io::Result<PathBuf> {
    fs::create_dir_all(dir)?;
    let path = dir.join(format!("{prefix}{}", file_name(data)));
    if !path.exists() {
        fs::write(&path, data)?;
    }
    Ok(path)
}

/// What `cmin` did.
#[derive(Debug, Default)]
pub struct Minimized {
    pub kept: usize,
    pub removed: usize,
    pub bytes_before: u64,
    pub bytes_after: u64,
}

/// Keeps every `seed-*` file, then, smallest first, each other entry of at most
/// [`MAX_SAVED_LEN`] bytes that shows an outcome feature the kept ones do not; deletes the rest.
/// Entries that panic are kept (and reported by the run or the regression test).
pub fn cmin(target: Target, dir: &Path) -> io::Result<Minimized> {
    let mut entries: Vec<(PathBuf, Vec<u8>)> = Vec::new();
    for path in files(dir)? {
        let data = fs::read(&path)?;
        entries.push((path, data));
    }
    let is_seed = |p: &Path| {
        p.file_name()
            .is_some_and(|n| n.to_string_lossy().starts_with("seed-"))
    };
    entries.sort_by_key(|(p, d)| (!is_seed(p), d.len(), p.clone()));
    let mut seen = HashSet::new();
    let mut result = Minimized::default();
    for (path, data) in entries {
        result.bytes_before += data.len() as u64;
        let keep = match execute(target, &data) {
            Ok(features) => {
                let mut new = false;
                for f in features {
                    new |= seen.insert(f);
                }
                is_seed(&path) || (new && data.len() <= MAX_SAVED_LEN)
            }
            Err(_) => true,
        };
        if keep {
            result.kept += 1;
            result.bytes_after += data.len() as u64;
        } else {
            fs::remove_file(&path)?;
            result.removed += 1;
        }
    }
    Ok(result)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_stable() {
        assert_eq!(hash(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(file_name(b"a"), "af63dc4c8601ec8c.bin");
    }
}
