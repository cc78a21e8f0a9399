//! Loading the deployment's further organisations: each names its own configuration file in the
//! deployment's `[organisations]` table; what belongs to the whole deployment (`listen`,
//! `database`) stays in the deployment's file.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::config::{Config, ConfigError, RawConfig, read_raw};

/// Refuses a name that cannot name an organisation (see `kontera_store::valid_organisation`);
/// `key` is where it was given.
pub fn check_name(key: &str, name: &str) -> Result<(), ConfigError> {
    if kontera_store::valid_organisation(name) {
        return Ok(());
    }
    Err(ConfigError::Invalid {
        key: key.to_owned(),
        message: format!(
            "{name:?} is not a valid name: use 1 to {} lowercase letters, digits and `_`, starting with a letter",
            kontera_store::MAX_ORGANISATION
        ),
    })
}

/// Reads each organisation's file (`files`: name → path, relative to `base`, the deployment
/// file's directory) into `config.organisations`. `own_models` is the deployment file's own
/// `models_dir`, which no further organisation may share. What the whole deployment sets is
/// carried over where an organisation is used ([`Config::inherit`]).
pub fn load_configs(
    config: &mut Config,
    files: BTreeMap<String, PathBuf>,
    base: &Path,
    own_models: &Path,
) -> Result<(), ConfigError> {
    for (name, file) in files {
        let path = base.join(&file);
        let wrap = |source: ConfigError| ConfigError::Organisation {
            name: name.clone(),
            path: path.clone(),
            source: Box::new(source),
        };
        check_name(&format!("organisations.{name}"), &name)?;
        if name == config.organisation {
            return Err(ConfigError::Invalid {
                key: format!("organisations.{name}"),
                message: "is this file's own organisation (`organisation`); give the other organisation another name".into(),
            });
        }
        let other = organisation_config(&name, read_raw(&path)?).map_err(wrap)?;
        let taken = std::iter::once((config.organisation.as_str(), own_models))
            .chain(
                config
                    .organisations
                    .iter()
                    .map(|c| (c.organisation.as_str(), c.models_dir.as_path())),
            )
            .find(|(_, dir)| *dir == other.models_dir);
        if let Some((owner, _)) = taken {
            return Err(wrap(ConfigError::Invalid {
                key: "models_dir".into(),
                message: format!(
                    "{} is also organisation {}'s; each organisation keeps its own models",
                    other.models_dir.display(),
                    owner
                ),
            }));
        }
        config.organisations.push(other);
    }
    Ok(())
}

/// One organisation's configuration from its file.
fn organisation_config(name: &str, raw: RawConfig) -> Result<Config, ConfigError> {
    // Keys an organisation's file may not set: they belong to the deployment.
    let deployment_keys = [
        ("listen", raw.listen.is_some()),
        ("database", raw.database.is_some()),
        ("organisation", raw.organisation.is_some()),
        ("organisations", !raw.organisations.is_empty()),
    ];
    if let Some((key, _)) = deployment_keys.iter().find(|(_, set)| *set) {
        return Err(ConfigError::Invalid {
            key: (*key).to_owned(),
            message: "belongs to the whole deployment: set it in the deployment's file, not an organisation's".into(),
        });
    }
    if raw.models_dir.is_none() {
        return Err(ConfigError::Invalid {
            key: "models_dir".into(),
            message: "is required in an organisation's file: each organisation keeps its own models (e.g. models_dir = \"models/odense\")".into(),
        });
    }
    let mut config = Config::from_raw(raw)?;
    config.organisation = name.to_owned();
    Ok(config)
}

impl Config {
    /// The configuration of the organisation `name` (`None` or the file's own organisation:
    /// this one) with the deployment's database, and the name to open its store with (`None`
    /// for the first organisation). For the command-line tools' `--organisation`.
    pub fn select_organisation(
        mut self,
        name: Option<&str>,
    ) -> Result<(Config, Option<String>), ConfigError> {
        let Some(name) = name.filter(|n| *n != self.organisation) else {
            return Ok((self, None));
        };
        let known: Vec<String> = std::iter::once(self.organisation.clone())
            .chain(self.organisations.iter().map(|c| c.organisation.clone()))
            .collect();
        let Some(at) = self
            .organisations
            .iter()
            .position(|c| c.organisation == name)
        else {
            return Err(ConfigError::Invalid {
                key: "--organisation".into(),
                message: format!(
                    "{name:?} is not an organisation of this deployment (its configuration names {}); give the deployment's file with --config",
                    known.join(", ")
                ),
            });
        };
        let mut chosen = self.organisations.swap_remove(at);
        chosen.inherit(&self);
        Ok((chosen, Some(name.to_owned())))
    }

    /// Takes what the whole deployment sets from `deployment`'s configuration: its database and
    /// address, and secure cookies when the deployment sets them (HTTPS is the deployment's).
    pub fn inherit(&mut self, deployment: &Config) {
        self.database.clone_from(&deployment.database);
        self.listen = deployment.listen;
        self.secure_cookies |= deployment.secure_cookies;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A deployment file listing `odense`, and odense's file with `text`; returns the loaded
    /// configuration.
    fn load(main: &str, text: &str) -> Result<Config, ConfigError> {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("orgs")).unwrap();
        std::fs::write(dir.path().join("orgs/odense.toml"), text).unwrap();
        let file = dir.path().join("kontera.toml");
        std::fs::write(
            &file,
            format!("organisation = \"aarhus\"\n{main}\n[organisations]\nodense = \"orgs/odense.toml\"\n"),
        )
        .unwrap();
        Config::load(Some(&file), |_| None)
    }

    #[test]
    fn an_organisation_has_its_own_settings_and_the_deployments_database() {
        let config = load(
            "database = \"shared.db\"\nmodels_dir = \"models/aarhus\"",
            "models_dir = \"models/odense\"\n[automation]\naudit_rate = 0.1\n",
        )
        .unwrap();
        assert_eq!(config.organisation, "aarhus");
        let odense = &config.organisations[0];
        assert_eq!(odense.organisation, "odense");
        assert_eq!(odense.audit_rate, 0.1);
        assert_eq!(config.audit_rate, 0.05);
        let (chosen, name) = config.clone().select_organisation(Some("odense")).unwrap();
        assert_eq!(name.as_deref(), Some("odense"));
        assert_eq!(chosen.database, "shared.db");
        assert_eq!(chosen.models_dir, PathBuf::from("models/odense"));
        let (own, none) = config.clone().select_organisation(Some("aarhus")).unwrap();
        assert_eq!((own.organisation.as_str(), none), ("aarhus", None));
        let unknown = config
            .select_organisation(Some("vejle"))
            .unwrap_err()
            .to_string();
        assert!(
            unknown.contains("vejle") && unknown.contains("aarhus, odense"),
            "{unknown}"
        );
    }

    #[test]
    fn a_tool_run_for_a_further_organisation_may_name_its_models_directory() {
        // As `kontera-retrain` runs for odense: KONTERA_MODELS_DIR is odense's directory.
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("odense.toml"), "models_dir = \"m/odense\"").unwrap();
        let file = dir.path().join("kontera.toml");
        std::fs::write(
            &file,
            "models_dir = \"m/first\"\n[auth]\nsecure_cookies = true\n[organisations]\nodense = \"odense.toml\"\n",
        )
        .unwrap();
        let env = |name: &str| (name == "KONTERA_MODELS_DIR").then(|| "m/odense".to_owned());
        let config = Config::load(Some(&file), env).unwrap();
        let (odense, name) = config.select_organisation(Some("odense")).unwrap();
        assert_eq!(name.as_deref(), Some("odense"));
        assert_eq!(odense.models_dir, PathBuf::from("m/odense"));
        // HTTPS is the deployment's: its secure cookies hold for every organisation.
        assert!(odense.secure_cookies);
    }

    #[test]
    fn what_belongs_to_the_deployment_stays_in_its_file() {
        for (text, key) in [
            ("models_dir = \"m/o\"\ndatabase = \"other.db\"", "database"),
            ("models_dir = \"m/o\"\nlisten = \"0.0.0.0:1\"", "listen"),
            (
                "models_dir = \"m/o\"\n[organisations]\nx = \"x.toml\"",
                "organisations",
            ),
            ("[automation]\naudit_rate = 0.1", "models_dir"),
        ] {
            let e = load("", text).unwrap_err().to_string();
            assert!(
                e.starts_with("organisation odense (config file ") && e.contains(key),
                "{text}: {e}"
            );
        }
        let shared = load("models_dir = \"m\"", "models_dir = \"m\"").unwrap_err();
        assert!(shared.to_string().contains("aarhus's"), "{shared}");
        let bad = load("", "models_dir = \"m/o\"\n[automation]\naudit_rate = 2.0").unwrap_err();
        assert!(bad.to_string().contains("automation.audit_rate"), "{bad}");
    }

    #[test]
    fn organisation_names_are_checked() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("k.toml");
        for (text, key) in [
            ("organisation = \"Aarhus\"", "organisation"),
            (
                "[organisations]\n\"Odense\" = \"o.toml\"",
                "organisations.Odense",
            ),
            (
                "[organisations]\ndefault = \"o.toml\"",
                "organisations.default",
            ),
        ] {
            std::fs::write(&file, text).unwrap();
            let e = Config::load(Some(&file), |_| None).unwrap_err().to_string();
            assert!(e.starts_with(key), "{text}: {e}");
        }
    }
}
