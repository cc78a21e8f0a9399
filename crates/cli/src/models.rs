//! `kontera models`: list the model versions, activate one, roll back — straight in the
//! database, which every running instance follows within a second (no restart, no token: whoever
//! may write the database may do this). A version is loaded and validated before it is recorded.

use std::path::PathBuf;

use anyhow::Context;
use kontera_serve::auth::secret;
use kontera_serve::{Config, clock, models};
use kontera_store::Store;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Configuration file (TOML), for the database and models directory.
    #[arg(long, env = "KONTERA_CONFIG", global = true)]
    config: Option<PathBuf>,
    /// Which organisation of a deployment of several (see `organisations` in the configuration)
    /// [default: the configuration file's own].
    #[arg(long, env = "KONTERA_ORGANISATION", global = true)]
    organisation: Option<String>,
    /// SQLite file or PostgreSQL URL (postgres://…) [default: the configuration's, else kontera.db].
    #[arg(long, global = true)]
    database: Option<String>,
    /// Directory of model versions [default: the configuration's, else models].
    #[arg(long, global = true)]
    models_dir: Option<PathBuf>,
    /// Who does this, for the activation log [default: $USER].
    #[arg(long, global = true)]
    by: Option<String>,
    #[command(subcommand)]
    command: ModelsCommand,
}

#[derive(Debug, clap::Subcommand)]
enum ModelsCommand {
    /// The versions on disk, the active one and the activation log.
    List,
    /// Make VERSION the active model on every instance using this database.
    Activate {
        version: String,
        /// Why, in words.
        #[arg(long)]
        note: Option<String>,
        /// The comparison report it rests on (`kontera compare`'s OUT.json): its path, SHA-256
        /// and verdict are recorded with the activation.
        #[arg(long)]
        report: Option<PathBuf>,
    },
    /// Return to the version active before the current one.
    Rollback {
        #[arg(long)]
        note: Option<String>,
    },
}

pub fn run(args: Args) -> anyhow::Result<()> {
    let config = Config::load(args.config.as_deref(), |name| std::env::var(name).ok())?;
    let (config, organisation) = config.select_organisation(args.organisation.as_deref())?;
    let database = args.database.unwrap_or(config.database);
    let dir = args.models_dir.unwrap_or(config.models_dir);
    let by = args
        .by
        .or_else(|| std::env::var("USER").ok())
        .unwrap_or_else(|| "cli".to_owned());
    let runtime = tokio::runtime::Runtime::new().context("starting the async runtime")?;
    runtime.block_on(async {
        let store = Store::open_organisation(&database, organisation.as_deref()).await?;
        let active = store
            .active_model()
            .await?
            .map_or(config.model.clone(), |a| a.version);
        let result = match args.command {
            ModelsCommand::List => list(&store, &dir, &active).await,
            ModelsCommand::Activate {
                version,
                note,
                report,
            } => {
                let report = report.map(|p| describe_report(&p)).transpose()?;
                activate(
                    &store,
                    &dir,
                    &version,
                    &by,
                    note.as_deref(),
                    report.as_deref(),
                )
                .await
            }
            ModelsCommand::Rollback { note } => {
                let configured = (config.model != active).then(|| config.model.clone());
                let target = store.rollback_target(&active).await?.or(configured);
                let target = target.with_context(|| {
                    format!("no version was active before {active}; activate one by name instead")
                })?;
                let note = note.unwrap_or_else(|| "rollback".to_owned());
                activate(&store, &dir, &target, &by, Some(&note), None).await
            }
        };
        store.close().await;
        result
    })
}

async fn list(store: &Store, dir: &std::path::Path, active: &str) -> anyhow::Result<()> {
    for version in models::Registry::open(dir, active)
        .map(|r| r.available())
        .unwrap_or_default()
    {
        let mark = if version.version == active { "*" } else { " " };
        println!("{mark} {}", version.version);
    }
    for a in store.activations().await? {
        println!(
            "{}\t{}\tby {}{}{}",
            a.activated_at,
            a.version,
            a.activated_by,
            a.note.map(|n| format!("\t{n}")).unwrap_or_default(),
            a.report
                .map(|r| format!("\treport {r}"))
                .unwrap_or_default()
        );
    }
    Ok(())
}

async fn activate(
    store: &Store,
    dir: &std::path::Path,
    version: &str,
    by: &str,
    note: Option<&str>,
    report: Option<&str>,
) -> anyhow::Result<()> {
    let model = models::load(dir, version)
        .with_context(|| format!("model version {version:?} is not activated"))?;
    let (_, now) = clock::now();
    store
        .record_activation(version, &model.checksum, by, now, note, report)
        .await?;
    println!(
        "activated {} (by {by}); running instances switch within a second",
        model.label()
    );
    Ok(())
}

/// "PATH sha256:HEX verdict: …" for a comparison report.
fn describe_report(path: &std::path::Path) -> anyhow::Result<String> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read the report {}", path.display()))?;
    let verdict = serde_json::from_str::<serde_json::Value>(&text)
        .ok()
        .and_then(|v| v.get("verdict").cloned())
        .and_then(|v| match v {
            serde_json::Value::String(s) => Some(s),
            serde_json::Value::Object(o) => o
                .get("text")
                .or_else(|| o.get("line"))
                .and_then(|t| t.as_str())
                .map(str::to_owned),
            _ => None,
        });
    Ok(format!(
        "{} sha256:{}{}",
        path.display(),
        secret::digest(&text),
        verdict
            .map(|v| format!(" verdict: {v}"))
            .unwrap_or_default()
    ))
}
