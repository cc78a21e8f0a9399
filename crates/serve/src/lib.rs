//! Kontera's HTTP service. At this stage it answers a health check; the coding API, the review
//! pages and durable storage arrive with later issues.

mod health;

use std::net::SocketAddr;

use axum::Router;
use axum::routing::get;
use tokio::net::TcpListener;

pub use health::Health;

/// The service's router. Tests drive it in process with `tower::ServiceExt::oneshot`.
pub fn app() -> Router {
    Router::new().route("/health", get(health::health))
}

/// Why the service could not run.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error("cannot listen on {addr}: {source}; choose another address with --listen")]
    Bind {
        addr: SocketAddr,
        source: std::io::Error,
    },
    #[error("the server stopped with an I/O error: {0}")]
    Io(#[from] std::io::Error),
}

/// Binds `addr` and serves until `shutdown` resolves; in-flight requests are finished first.
/// `on_listening` is told the bound address (useful with port 0).
pub async fn serve(
    addr: SocketAddr,
    shutdown: impl Future<Output = ()> + Send + 'static,
    on_listening: impl FnOnce(SocketAddr),
) -> Result<(), ServeError> {
    let listener = TcpListener::bind(addr)
        .await
        .map_err(|source| ServeError::Bind { addr, source })?;
    on_listening(listener.local_addr()?);
    axum::serve(listener, app())
        .with_graceful_shutdown(shutdown)
        .await?;
    Ok(())
}
