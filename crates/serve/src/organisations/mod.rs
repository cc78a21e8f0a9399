//! Several organisations in one deployment: a shared-service centre or an ERP vendor serves
//! many municipalities from one set of instances and one database. Each organisation has its
//! own configuration (chart update, rules, thresholds, models directory), its own tables (the
//! store opened for it reaches nothing else; see `kontera_store::Store::open_organisation`) and
//! its own users, tokens, sessions, audit salt, pauses and activations — one [`AppState`] and
//! one router per organisation, built by the same code as a single organisation's.
//!
//! A request reaches its organisation's router by the credential it carries: API tokens and
//! session ids of a further organisation start with its name (`kt_odense.…`), the sign-in form
//! names the organisation, and everything else (tokens of the first organisation, public pages)
//! goes to the first. The name is only a hint of where to look — the organisation's own store
//! must know the credential — so a forged prefix reaches nothing.

mod config;
mod dispatch;

use std::collections::BTreeMap;
use std::sync::Arc;

use axum::Router;
use kontera_store::Store;

pub use config::{check_name, load_configs};
pub use dispatch::{OrganisationNames, Organisations, dispatch};

use crate::{AppState, Config, ServeError, build_on};

/// Every organisation of a deployment, each with its own state.
#[derive(Debug, Clone)]
pub struct Deployment {
    /// The deployment's first organisation (the configuration file's own).
    pub primary: Arc<AppState>,
    /// The further organisations by name.
    pub others: BTreeMap<String, Arc<AppState>>,
}

impl Deployment {
    /// Opens every organisation's store in the one database `config.database` and builds its
    /// state, the first organisation's first.
    pub async fn build(mut config: Config) -> Result<Deployment, ServeError> {
        let configs = std::mem::take(&mut config.organisations);
        let store = Store::open(&config.database).await?;
        let primary = build_on(config.clone(), store).await?;
        let mut others = BTreeMap::new();
        for mut other in configs {
            other.inherit(&config);
            let store =
                Store::open_organisation(&config.database, Some(&other.organisation)).await?;
            let name = other.organisation.clone();
            others.insert(name, build_on(other, store).await?);
        }
        Ok(Deployment { primary, others })
    }

    /// Every organisation's state, the first organisation's first.
    pub fn states(&self) -> impl Iterator<Item = &Arc<AppState>> {
        std::iter::once(&self.primary).chain(self.others.values())
    }

    /// The router of the whole deployment: one organisation's own router when it is alone
    /// (nothing in between), else [`dispatch`] in front of each organisation's.
    pub fn router(&self) -> Router {
        if self.others.is_empty() {
            return crate::app(self.primary.clone());
        }
        let organisations = Arc::new(Organisations::new(self));
        Router::new().fallback(move |request| dispatch(organisations.clone(), request))
    }
}
