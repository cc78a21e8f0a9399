//! The export's files: globs relative to the data directory (`*` and `?` within one path
//! component, `/` between components), expanded in sorted order.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use super::ExportError;

/// Checks a glob from a mapping: relative, with no empty, `.` or `..` components and no `**`.
pub(super) fn check_glob(pattern: &str) -> Result<(), String> {
    if pattern.starts_with('/') || pattern.contains('\\') || pattern.contains(':') {
        return Err(format!(
            "`{pattern}` must be relative to the data directory, with `/` between folders"
        ));
    }
    for component in pattern.split('/') {
        if component.is_empty() || component == "." || component == ".." {
            return Err(format!(
                "`{pattern}` has an empty, `.` or `..` component; name the files below the data \
                 directory, e.g. \"*.csv\" or \"2021/*.csv\""
            ));
        }
        if component.contains("**") {
            return Err(format!(
                "`{pattern}`: `**` is not supported; use one `*` per folder level"
            ));
        }
    }
    Ok(())
}

/// The files below `dir` that match any of `globs`, relative to `dir`, sorted and without
/// repeats.
pub(super) fn matching_files(dir: &Path, globs: &[String]) -> Result<Vec<PathBuf>, ExportError> {
    let mut found = BTreeSet::new();
    for glob in globs {
        let components: Vec<&str> = glob.split('/').collect();
        expand(dir, PathBuf::new(), &components, &mut found)?;
    }
    if found.is_empty() {
        return Err(ExportError::NoFiles {
            dir: dir.to_path_buf(),
            globs: globs.to_vec(),
        });
    }
    Ok(found.into_iter().collect())
}

fn expand(
    dir: &Path,
    relative: PathBuf,
    components: &[&str],
    found: &mut BTreeSet<PathBuf>,
) -> Result<(), ExportError> {
    let Some((&component, rest)) = components.split_first() else {
        return Ok(());
    };
    let here = dir.join(&relative);
    let io = |source| ExportError::Io {
        path: here.clone(),
        source,
    };
    for entry in std::fs::read_dir(&here).map_err(io)? {
        let entry = entry.map_err(io)?;
        let Some(name) = entry.file_name().to_str().map(str::to_owned) else {
            continue;
        };
        if !wildcard(component, &name) {
            continue;
        }
        let kind = entry.file_type().map_err(io)?;
        let path = relative.join(&name);
        if rest.is_empty() {
            if kind.is_file() || (kind.is_symlink() && dir.join(&path).is_file()) {
                found.insert(path);
            }
        } else if kind.is_dir() || (kind.is_symlink() && dir.join(&path).is_dir()) {
            expand(dir, path, rest, found)?;
        }
    }
    Ok(())
}

/// Whether `name` matches `pattern`, where `*` is any run of characters and `?` one character.
fn wildcard(pattern: &str, name: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let n: Vec<char> = name.chars().collect();
    let (mut pi, mut ni) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while ni < n.len() {
        match p.get(pi) {
            Some('*') => {
                star = Some((pi, ni));
                pi += 1;
            }
            Some(&c) if c == '?' || c == n[ni] => {
                pi += 1;
                ni += 1;
            }
            _ => match star {
                Some((sp, sn)) => {
                    pi = sp + 1;
                    ni = sn + 1;
                    star = Some((sp, sn + 1));
                }
                None => return false,
            },
        }
    }
    p[pi..].iter().all(|&c| c == '*')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wildcards() {
        assert!(wildcard("*.csv", "2019-03.csv"));
        assert!(wildcard("????-??.csv", "2019-03.csv"));
        assert!(!wildcard("????-??.csv", "2021-12-Brimhams-Active.csv"));
        assert!(wildcard(
            "*-Brimhams-Active.csv",
            "2021-08---October-Brimhams-Active.csv"
        ));
        assert!(!wildcard("*.csv", "SOURCE"));
        assert!(wildcard("*", ""));
        assert!(wildcard("a*b*c", "aXbYbc"));
        assert!(!wildcard("a*b*c", "aXbYbd"));
    }

    #[test]
    fn globs_are_checked() {
        assert!(check_glob("*.csv").is_ok());
        assert!(check_glob("2021/*.csv").is_ok());
        for bad in [
            "/data/*.csv",
            "../*.csv",
            "a//b.csv",
            "**/*.csv",
            "C:\\x.csv",
        ] {
            assert!(check_glob(bad).is_err(), "{bad}");
        }
    }
}
