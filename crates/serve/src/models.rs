//! The model versions the service can serve: every subdirectory of the models directory that
//! holds a `model.bin`. One is active; activating another loads and validates it first, then
//! swaps it in atomically, so requests in flight finish on the model they started with and no
//! request fails during the switch.

use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};

use chrono::NaiveDate;
use kontera_core::model::{CodingModel, Field};
use kontera_core::{AccountEntry, AccountId, Chart};
use kontera_model::{Artifact, MODEL_FILE, ModelError, checksum_hex, decode};

/// A loaded, validated model version.
#[derive(Debug)]
pub struct LoadedModel {
    /// The directory name, e.g. `default`.
    pub version: String,
    /// SHA-256 of `model.bin`.
    pub checksum: String,
    pub artifact: Artifact,
    /// The accounts an invoice's own account string may name: those the model codes to, all
    /// in the chart as it stood at training (the chart itself arrives with chart updates).
    pub accounts: Chart,
}

impl LoadedModel {
    /// `version@checksum-prefix`: what each decision records.
    pub fn label(&self) -> String {
        format!("{}@{}", self.version, &self.checksum[..12])
    }

    /// Whether `label` is this model's [`LoadedModel::label`], without building it (the
    /// coding path asks on every invoice).
    pub fn has_label(&self, label: &str) -> bool {
        label
            .rsplit_once('@')
            .is_some_and(|(v, c)| v == self.version && c == &self.checksum[..12])
    }
}

/// A model version on disk, for listings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Available {
    pub version: String,
    pub path: PathBuf,
}

/// Why a version cannot be served.
#[derive(Debug, thiserror::Error)]
pub enum RegistryError {
    #[error("model version {0:?} is not a valid name: use letters, digits, '.', '_' and '-' only")]
    BadName(String),
    #[error("no model version {version:?} in {}: {available}", dir.display())]
    Unknown {
        version: String,
        dir: PathBuf,
        available: String,
    },
    #[error(transparent)]
    Model(#[from] ModelError),
    #[error(
        "model version {version:?} in {} has checksum {}, but it was activated with {}: give this instance the same model.bin as the instance that activated it (a shared models directory, or the same copy on every host)",
        dir.display(), &found[..12], &expected[..expected.len().min(12)]
    )]
    Checksum {
        version: String,
        dir: PathBuf,
        expected: String,
        found: String,
    },
}

/// The models directory and the active version.
#[derive(Debug)]
pub struct Registry {
    dir: PathBuf,
    active: RwLock<Arc<LoadedModel>>,
}

impl Registry {
    /// Opens `dir` serving `version`.
    pub fn open(dir: &Path, version: &str) -> Result<Registry, RegistryError> {
        let model = load(dir, version)?;
        Ok(Registry {
            dir: dir.to_owned(),
            active: RwLock::new(Arc::new(model)),
        })
    }

    /// The active model; cheap (an `Arc` clone).
    pub fn active(&self) -> Arc<LoadedModel> {
        self.active
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }

    /// Loads `version` and makes it active; the previous one stays in use where a request
    /// already holds it. When the activation recorded a checksum, the file must have it: an
    /// instance never serves, under an activated version's name, another model than the one
    /// activated. On error the active model is unchanged.
    pub fn activate(
        &self,
        version: &str,
        checksum: Option<&str>,
    ) -> Result<Arc<LoadedModel>, RegistryError> {
        let model = self.prepare(version)?;
        if let Some(expected) = checksum
            && expected != model.checksum
        {
            return Err(RegistryError::Checksum {
                version: version.to_owned(),
                dir: self.dir.clone(),
                expected: expected.to_owned(),
                found: model.checksum.clone(),
            });
        }
        self.install(model.clone());
        Ok(model)
    }

    /// Loads and validates `version` without serving it yet (see [`Registry::install`]).
    pub fn prepare(&self, version: &str) -> Result<Arc<LoadedModel>, RegistryError> {
        Ok(Arc::new(load(&self.dir, version)?))
    }

    /// Serves a prepared model from the next request on.
    pub fn install(&self, model: Arc<LoadedModel>) {
        *self
            .active
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = model;
    }

    /// The versions on disk, sorted by name.
    pub fn available(&self) -> Vec<Available> {
        available(&self.dir)
    }
}

fn available(dir: &Path) -> Vec<Available> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut found: Vec<Available> = entries
        .filter_map(Result::ok)
        .filter(|e| e.path().join(MODEL_FILE).is_file())
        .filter_map(|e| {
            let version = e.file_name().to_str()?.to_owned();
            valid_name(&version).then(|| Available {
                version,
                path: e.path(),
            })
        })
        .collect();
    found.sort_by(|a, b| a.version.cmp(&b.version));
    found
}

fn valid_name(version: &str) -> bool {
    !version.is_empty()
        && !version.starts_with('.')
        && version
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
}

/// The model's account labels as open accounts (labels that are no account id are left out):
/// what the service trusts in an invoice's own account string.
pub fn known_accounts(model: &CodingModel) -> Chart {
    let entries = model
        .fields
        .iter()
        .filter(|f| f.field == Field::Account)
        .flat_map(|f| &f.labels)
        .filter_map(|label| AccountId::parse(label).ok())
        .map(|id| AccountEntry::open(id, "", NaiveDate::MIN))
        .collect();
    Chart::new(entries).unwrap_or_else(|_| Chart::new(Vec::new()).expect("an empty chart is valid"))
}

/// Reads and validates `dir/version/model.bin`.
pub fn load(dir: &Path, version: &str) -> Result<LoadedModel, RegistryError> {
    if !valid_name(version) {
        return Err(RegistryError::BadName(version.to_owned()));
    }
    let path = dir.join(version).join(MODEL_FILE);
    if !path.is_file() {
        let names: Vec<String> = available(dir).into_iter().map(|a| a.version).collect();
        return Err(RegistryError::Unknown {
            version: version.to_owned(),
            dir: dir.to_owned(),
            available: if names.is_empty() {
                "it holds no model; train one with `kontera train --out`".to_owned()
            } else {
                format!("available: {}", names.join(", "))
            },
        });
    }
    let bytes = std::fs::read(&path).map_err(|source| ModelError::Io {
        action: "read the model",
        path: path.clone(),
        source,
    })?;
    let artifact = decode(&bytes).map_err(|e| ModelError::File {
        path: path.clone(),
        source: Box::new(e),
    })?;
    Ok(LoadedModel {
        version: version.to_owned(),
        checksum: checksum_hex(&bytes),
        accounts: known_accounts(&artifact.model),
        artifact,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn models_dir() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../models")
    }

    #[test]
    fn loads_the_bundled_model_and_refuses_bad_names() {
        let r = Registry::open(&models_dir(), "default").unwrap();
        let m = r.active();
        assert_eq!(m.version, "default");
        assert_eq!(m.checksum.len(), 64);
        assert!(m.label().starts_with("default@"));
        assert!(m.has_label(&m.label()));
        assert!(!m.has_label("default@000000000000"));
        assert!(!m.has_label(&m.label().replacen("default", "other", 1)));
        assert!(r.available().iter().any(|a| a.version == "default"));
        let err = load(&models_dir(), "../etc").unwrap_err();
        assert!(matches!(err, RegistryError::BadName(_)), "{err}");
        let err = r.activate("nope", None).unwrap_err().to_string();
        assert!(
            err.contains("available: ") && err.contains("default"),
            "{err}"
        );
        // A failed activation leaves the active model in place.
        assert_eq!(r.active().version, "default");
    }

    #[test]
    fn a_version_is_served_only_with_the_checksum_it_was_activated_with() {
        let r = Registry::open(&models_dir(), "default").unwrap();
        let real = r.active().checksum.clone();
        let other = "ab".repeat(32);
        let err = r.activate("default", Some(&other)).unwrap_err();
        assert!(matches!(err, RegistryError::Checksum { .. }), "{err}");
        let message = err.to_string();
        assert!(message.contains(&real[..12]), "{message}");
        assert!(message.contains("abababababab"), "{message}");
        assert!(message.contains("same model.bin"), "{message}");
        let served = r.activate("default", Some(&real)).unwrap();
        assert_eq!(served.checksum, real);
    }

    #[test]
    fn a_corrupt_model_is_refused_and_the_active_one_kept() {
        let dir = tempfile::tempdir().unwrap();
        let good = std::fs::read(models_dir().join("default").join(MODEL_FILE)).unwrap();
        for (name, bytes) in [
            ("good", good.clone()),
            ("truncated", good[..good.len() / 2].to_vec()),
            ("flipped", {
                let mut b = good.clone();
                let i = b.len() - 10;
                b[i] ^= 0xFF;
                b
            }),
        ] {
            std::fs::create_dir_all(dir.path().join(name)).unwrap();
            std::fs::write(dir.path().join(name).join(MODEL_FILE), bytes).unwrap();
        }
        let r = Registry::open(dir.path(), "good").unwrap();
        for bad in ["truncated", "flipped"] {
            let err = r.activate(bad, None).unwrap_err().to_string();
            assert!(err.contains(bad), "the error names the file: {err}");
            assert_eq!(r.active().version, "good");
        }
        assert_eq!(r.available().len(), 3);
    }
}
