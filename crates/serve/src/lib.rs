//! Kontera's HTTP service: the coding API that ERP integrations call for every invoice, with
//! screening, calibrated thresholds, the blind audit sample, durable decisions and per-area
//! pauses; plus model activation and the operations routes.
//!
//! The crate is thin: parsing lives in `kontera-intake`, screening and inference in
//! `kontera-core`, storage in `kontera-store`. It owns the JSON shapes, status codes and the
//! decision policy around the model.

pub mod adapt;
pub mod api;
pub mod audit;
pub mod auth;
pub mod breaker;
pub mod chart_update;
pub mod clock;
pub mod code;
pub mod config;
pub mod corrections;
pub mod decide;
pub mod error;
pub mod export;
pub mod follow;
pub mod holds;
pub mod identity;
pub mod logging;
pub mod lookup;
pub mod metrics;
pub mod models;
pub mod opening;
pub mod organisations;
pub mod parallel;
pub mod replay;
pub mod response;
pub mod review;
pub mod state;
pub mod trust;
pub mod web;

use std::net::SocketAddr;
use std::sync::{Arc, RwLock};

use axum::Router;
use kontera_store::Store;
use tokio::net::TcpListener;

pub use config::{Config, ConfigError};
pub use organisations::Deployment;
pub use state::AppState;

/// Why the service could not start or run.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error("cannot listen on {addr}: {source}; choose another address with --listen")]
    Bind {
        addr: SocketAddr,
        source: std::io::Error,
    },
    #[error("the server stopped with an I/O error: {0}")]
    Io(#[from] std::io::Error),
    #[error(transparent)]
    Store(#[from] kontera_store::StoreError),
    #[error("cannot load the model: {0}")]
    Model(#[from] models::RegistryError),
    #[error(transparent)]
    ChartUpdate(#[from] chart_update::ChartUpdateError),
}

/// Opens the store, loads the active model (the last one activated, else the configured one),
/// the area settings and the chart update in force (after loading the configuration's
/// `chart_update` file if it is new).
pub async fn build(config: Config) -> Result<Arc<AppState>, ServeError> {
    let store = Store::open(&config.database).await?;
    build_on(config, store).await
}

/// [`build`] on a store already open (a replay's scratch store).
pub async fn build_on(config: Config, store: Store) -> Result<Arc<AppState>, ServeError> {
    let activated = store.active_model().await?.map(|a| a.version);
    let registry = match activated {
        Some(version) => match models::Registry::open(&config.models_dir, &version) {
            Ok(r) => r,
            Err(e) => {
                logging::organisation(&config.organisation).in_scope(|| {
                    tracing::error!(
                        "the last activated model {version:?} cannot be loaded ({e}); serving {:?}",
                        config.model
                    )
                });
                models::Registry::open(&config.models_dir, &config.model)?
            }
        },
        None => models::Registry::open(&config.models_dir, &config.model)?,
    };
    let salt = match &config.audit_salt {
        Some(salt) => salt.clone().into_bytes(),
        None => store.secret("audit_salt").await?,
    };
    let state = Arc::new(AppState {
        audit: audit::AuditDraw::new(salt, config.audit_rate),
        config,
        committer: store.committer(),
        store,
        models: registry,
        areas: RwLock::new(Default::default()),
        metrics: Default::default(),
        tokens: Default::default(),
        chart: Default::default(),
        outage: Default::default(),
    });
    state.refresh_areas().await?;
    chart_update::start(&state).await?;
    Ok(state)
}

/// The service's router over `state`. Tests drive it in process with `tower::ServiceExt`.
pub fn app(state: Arc<AppState>) -> Router {
    api::router(state)
}

/// Binds `addr` and serves every organisation of `deployment` until `shutdown` resolves;
/// in-flight requests are finished first. `on_listening` is told the bound address (useful
/// with port 0).
pub async fn serve(
    deployment: Deployment,
    addr: SocketAddr,
    shutdown: impl Future<Output = ()> + Send + 'static,
    on_listening: impl FnOnce(SocketAddr),
) -> Result<(), ServeError> {
    let listener = TcpListener::bind(addr)
        .await
        .map_err(|source| ServeError::Bind { addr, source })?;
    on_listening(listener.local_addr()?);
    let followers: Vec<_> = deployment
        .states()
        .map(|state| tokio::spawn(follow::follow(state.clone())))
        .collect();
    let served = axum::serve(listener, deployment.router())
        .with_graceful_shutdown(shutdown)
        .await;
    for follower in followers {
        follower.abort();
    }
    served?;
    for state in deployment.states() {
        state.store.close().await;
    }
    Ok(())
}
