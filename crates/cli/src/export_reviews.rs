//! `kontera export-reviews`: the controllers' reviews as training data. Writes `OUT/postings.csv`
//! (the canonical `postings` table of `data/README.md`: one posting per reviewed line, dated the
//! day of the review) and `OUT/reviews.csv` (who reviewed which invoice, when, whether it was an
//! audit sample and whether they agreed). The same bytes as `GET /v1/reviews/export` answers
//! with; the format is documented in `kontera_serve::export`.

use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use kontera_serve::Config;
use kontera_serve::export::{self, POSTINGS_FILE, REVIEWS_FILE};
use kontera_store::{AreaScope, Store};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Configuration file (TOML), for the database; `KONTERA_*` variables override it.
    #[arg(long, env = "KONTERA_CONFIG")]
    config: Option<PathBuf>,
    /// Which organisation of a deployment of several (see `organisations` in the configuration)
    /// [default: the configuration file's own].
    #[arg(long, env = "KONTERA_ORGANISATION")]
    organisation: Option<String>,
    /// SQLite file or PostgreSQL URL (postgres://…) [default: the configuration's, else kontera.db].
    #[arg(long)]
    database: Option<String>,
    /// Directory to write postings.csv and reviews.csv into (created if missing; the two files
    /// are replaced).
    #[arg(long)]
    out: PathBuf,
    /// Only reviews made on or after this day (UTC), e.g. 2026-01-01.
    #[arg(long, value_name = "YYYY-MM-DD")]
    since: Option<String>,
}

pub fn run(args: Args) -> anyhow::Result<()> {
    let config = Config::load(args.config.as_deref(), |name| std::env::var(name).ok())?;
    let (config, organisation) = config.select_organisation(args.organisation.as_deref())?;
    let database = args.database.unwrap_or(config.database);
    let since = args
        .since
        .as_deref()
        .map(export::since_ms)
        .transpose()
        .context("--since")?;
    // Opening a missing file would create an empty database and export nothing.
    let plain_path = !database.starts_with("sqlite:")
        && kontera_store::Engine::of(&database) == kontera_store::Engine::Sqlite;
    let file = match &organisation {
        Some(name) => kontera_store::organisation_file(Path::new(&database), name),
        None => Path::new(&database).to_owned(),
    };
    if plain_path && !file.exists() {
        bail!(
            "no database at {}; give the service's database with --database",
            file.display()
        );
    }
    let runtime = tokio::runtime::Runtime::new().context("starting the async runtime")?;
    let reviews = runtime.block_on(async {
        let store = Store::open_organisation(&database, organisation.as_deref()).await?;
        let reviews = store.reviews_for_export(&AreaScope::All, since).await;
        store.close().await;
        anyhow::Ok(reviews?)
    })?;
    let written = export::export(&reviews)?;

    std::fs::create_dir_all(&args.out)
        .with_context(|| format!("creating the directory {}", args.out.display()))?;
    let postings = args.out.join(POSTINGS_FILE);
    let provenance = args.out.join(REVIEWS_FILE);
    write_atomically(&postings, &written.postings)?;
    write_atomically(&provenance, &written.reviews)?;

    let s = written.summary;
    println!(
        "exported {} reviews as {} postings to {} (provenance in {})",
        s.reviews,
        s.postings,
        postings.display(),
        provenance.display()
    );
    if s.sub_cent > 0 {
        eprintln!(
            "kontera: warning: {} postings have amounts with more than two decimals, written \
             exactly; the postings contract takes two, so reading them for training will name \
             those rows",
            s.sub_cent
        );
    }
    Ok(())
}

/// Writes `text` to a temporary file beside `path`, then renames it over `path`: a reader never
/// sees half a file.
fn write_atomically(path: &Path, text: &str) -> anyhow::Result<()> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let temporary = path.with_file_name(format!(".{name}.partial"));
    std::fs::write(&temporary, text).with_context(|| format!("writing {}", temporary.display()))?;
    std::fs::rename(&temporary, path)
        .with_context(|| format!("renaming {} to {}", temporary.display(), path.display()))?;
    Ok(())
}
