//! `kontera serve`: runs the HTTP service until Ctrl-C or SIGTERM, on the embedded defaults
//! (the bundled model in `models/default`, an SQLite file `kontera.db`) unless told otherwise.

use std::net::SocketAddr;
use std::path::PathBuf;

use anyhow::Context;
use kontera_serve::{Config, auth};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Configuration file (TOML); see crates/serve/README.md. Environment variables `KONTERA_*`
    /// override it, and these flags override both.
    #[arg(long, env = "KONTERA_CONFIG")]
    config: Option<PathBuf>,
    /// Address to listen on [default: 127.0.0.1:8080].
    #[arg(long)]
    listen: Option<SocketAddr>,
    /// Where every decision is kept: an SQLite file, or a PostgreSQL URL (postgres://…) that
    /// several instances share [default: kontera.db].
    #[arg(long)]
    database: Option<String>,
    /// Directory of model versions [default: models].
    #[arg(long)]
    models_dir: Option<PathBuf>,
    /// Model version to serve when none has been activated [default: default].
    #[arg(long)]
    model: Option<String>,
}

pub fn run(args: Args) -> anyhow::Result<()> {
    let mut config = Config::load(args.config.as_deref(), |name| std::env::var(name).ok())?;
    if let Some(listen) = args.listen {
        config.listen = listen;
    }
    if let Some(database) = args.database {
        config.database = database;
    }
    if let Some(dir) = args.models_dir {
        config.models_dir = dir;
    }
    if let Some(model) = args.model {
        config.model = model;
    }
    let listen = config.listen;
    let runtime = tokio::runtime::Runtime::new().context("starting the async runtime")?;
    runtime.block_on(async {
        let database = config.database.clone();
        let deployment = kontera_serve::Deployment::build(config).await?;
        let (_, now) = kontera_serve::clock::now();
        let mut created = Vec::new();
        for state in deployment.states() {
            let organisation = state.store.organisation();
            let password_file = auth::password_file_for(&database, organisation);
            if let Some(file) = auth::first_admin(&state.store, &password_file, now).await? {
                created.push((state.config.organisation.clone(), file));
            }
        }
        let models: Vec<String> = deployment
            .states()
            .map(|s| match deployment.others.is_empty() {
                true => s.models.active().label(),
                false => format!("{}: {}", s.config.organisation, s.models.active().label()),
            })
            .collect();
        let several = !deployment.others.is_empty();
        let database = kontera_store::redact_password(&database);
        kontera_serve::serve(deployment, listen, shutdown_signal(), |addr| {
            let what = if several { "models" } else { "model" };
            tracing::info!(
                address = %addr,
                "kontera listening on http://{addr} ({what} {}, database {database}; pages: \
                 http://{addr}/, API: http://{addr}/openapi.json)",
                models.join(", ")
            );
            for (organisation, file) in created {
                let whose = if several {
                    format!(" of organisation {organisation}")
                } else {
                    String::new()
                };
                let span = kontera_serve::logging::organisation(&organisation);
                span.in_scope(|| {
                    tracing::info!(
                        "first start: created the administrator {:?}{whose}; its password is in {} \
                         (readable only by you). Sign in at http://{addr}/login and add users \
                         there or with `kontera users add`.",
                        auth::FIRST_ADMIN,
                        file.display()
                    )
                });
            }
        })
        .await?;
        anyhow::Ok(())
    })?;
    tracing::info!("kontera stopped");
    Ok(())
}

/// Resolves on Ctrl-C or SIGTERM.
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
}
