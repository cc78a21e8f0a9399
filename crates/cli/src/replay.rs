//! `kontera replay`: what Kontera would have done over a past period — every invoice in date
//! order through the service's own decision code on a scratch database, controllers' codings of
//! the audit samples revealed after a delay; writes `OUT.json` and `OUT.html`.

use std::path::{Path, PathBuf};

use anyhow::Context;
use kontera_serve::Config;
use kontera_serve::replay::{self, Options, Replay};

use crate::elapsed::Elapsed;
use crate::input::{Source, Window};
use crate::memory;
use crate::replay_cases;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The model directory, e.g. models/2026.
    #[arg(long)]
    model: PathBuf,
    #[command(flatten)]
    source: Source,
    #[command(flatten)]
    window: Window,
    /// Report path without extension: writes OUT.json and OUT.html.
    #[arg(long)]
    report: PathBuf,
    /// Days after an invoice arrives before a controller's coding of it (an audit sample, or any
    /// invoice sent to review) is known, from the start of that day; 0: at once.
    #[arg(long, default_value_t = 14)]
    review_delay_days: u32,
    /// The service's configuration file (TOML), as `kontera serve` takes it: screening, rules,
    /// thresholds, the audit rate and the [trust] settings apply as in service. Its database is
    /// not touched: the replay writes a scratch database beside the report.
    #[arg(long)]
    config: Option<PathBuf>,
    /// Leave the audit-driven thresholds off (`[trust] adapt = false`): the static thresholds,
    /// for comparison.
    #[arg(long)]
    no_adapt: bool,
}

pub fn run(args: Args) -> anyhow::Result<()> {
    args.window.check()?;
    let command = Elapsed::start();
    let mut config = Config::load(args.config.as_deref(), |name| std::env::var(name).ok())?;
    let model_dir = std::fs::canonicalize(&args.model)
        .with_context(|| format!("reading the model directory {}", args.model.display()))?;
    config.models_dir = model_dir
        .parent()
        .context("the model directory has no parent directory")?
        .to_path_buf();
    config.model = model_dir
        .file_name()
        .context("the model directory has no name")?
        .to_string_lossy()
        .into_owned();
    config.chart_update = None;
    // The same invoices always draw the same audit samples.
    if config.audit_salt.is_none() {
        config.audit_salt = Some("kontera replay: a fixed salt for reproducible draws".to_owned());
    }
    if args.no_adapt {
        config.trust.adapt = false;
    }
    let target = config
        .target_precision
        .unwrap_or(config.trust.promised_precision);
    let floor = config.trust.breaker_floor;

    if let Some(parent) = args.report.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent)
            .with_context(|| format!("creating {}", parent.display()))?;
    }
    let scratch = args.report.with_extension("replay.db");
    let remove_scratch = || -> anyhow::Result<()> {
        for f in scratch_files(&scratch).filter(|f| f.exists()) {
            std::fs::remove_file(&f).with_context(|| format!("removing {}", f.display()))?;
        }
        Ok(())
    };
    remove_scratch()?;
    config.database = scratch.display().to_string();

    // The replay is one stream of invoices, coded on this thread; one worker thread stores each
    // group of decisions while the next is coded (`replay::replay`).
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .context("starting the async runtime")?;
    // The service on the scratch store, with the model loaded once: its card is checked before
    // the data is read.
    let state = runtime.block_on(async move {
        let store = kontera_store::Store::open_scratch(&config.database).await?;
        anyhow::Ok(kontera_serve::build_on(config, store).await?)
    })?;
    let model = state.models.active();
    let trained_to = model.artifact.card.trained_to;
    if args.window.from <= trained_to {
        runtime.block_on(state.store.close());
        remove_scratch()?;
        anyhow::bail!(
            "the replayed period must start after the training window (which ends \
             {trained_to}); replaying training data would flatter the model"
        );
    }

    command.say(format_args!("reading {}", args.source.data.display()));
    let source = args.source.open_issued(args.window.from, args.window.to)?;
    let mut summary = String::new();
    let lines = source.lines(args.window.from, args.window.to, &mut summary)?;
    println!("replayed period: {summary}");
    let currency = state.config.screening.ledger_currency.as_str().to_owned();
    let (cases, refused) = replay_cases::cases(&lines, &currency);
    if refused > 0 {
        eprintln!("{refused} invoices could not be sent as JSON invoices and are left out");
    }
    // The period's tables and labelled lines are done with: freed on another thread while the
    // replay starts, not at exit, so that their memory is not held through the replay.
    std::thread::spawn(move || drop((source, lines)));

    // The replay's own time, the figure its summary gives; progress lines count from the
    // command's start, as `kontera train`'s do.
    let replaying = Elapsed::start();
    let report: Replay = runtime.block_on(async {
        let options = Options {
            review_delay_days: args.review_delay_days,
            ..Options::default()
        };
        let total = cases.len();
        command.say(format_args!(
            "replaying {total} invoices, {} to {}",
            args.window.from, args.window.to
        ));
        let mut shown = 0;
        let r = replay::replay(&state, &model, &cases, options, |done, _| {
            // A whole line at each tenth of the invoices, so that the service's own messages
            // printed between them (a code held, a threshold moved) stay whole lines too.
            let tenth = (done * 10).checked_div(total).unwrap_or(10);
            if tenth > shown {
                shown = tenth;
                command.say(format_args!(
                    "replayed {done} of {total} invoices ({}%)",
                    (done * 100).checked_div(total).unwrap_or(100)
                ));
            }
        })
        .await?;
        anyhow::Ok(r)
    })?;

    let json = args.report.with_extension("json");
    let html = args.report.with_extension("html");
    let mut body = serde_json::to_string_pretty(&report).expect("the report serialises");
    body.push('\n');
    std::fs::write(&json, body).with_context(|| format!("writing {}", json.display()))?;
    std::fs::write(&html, replay::html(&report, target, floor))
        .with_context(|| format!("writing {}", html.display()))?;
    print_summary(&report, replaying.seconds());
    println!("wrote {} and {}", json.display(), html.display());
    // The scratch store stays for inspection (`sqlite3`); at 220,000 invoices a year it is about
    // 0.8 GB, so the summary says where it is.
    let bytes: u64 = scratch_files(&scratch)
        .filter_map(|f| std::fs::metadata(f).ok())
        .map(|m| m.len())
        .sum();
    println!(
        "the replay's decisions and reviews are in {} ({:.2} GB): the next replay to this report \
         replaces it; delete it when done",
        scratch.display(),
        bytes as f64 / 1e9
    );
    Ok(())
}

/// The scratch store's files: the database and SQLite's write-ahead log and its index.
fn scratch_files(db: &Path) -> impl Iterator<Item = PathBuf> {
    ["", "-wal", "-shm"]
        .into_iter()
        .map(move |suffix| PathBuf::from(format!("{}{suffix}", db.display())))
}

fn print_summary(r: &Replay, seconds: f64) {
    let pct = |p: Option<f64>| p.map_or_else(|| "–".to_owned(), |p| format!("{:.2}%", p * 100.0));
    println!(
        "{} invoices in {seconds:.1} s{}: {} automated ({}), realised precision {}; {} audit \
         samples, {} threshold changes, {} pauses, {} year openings{}",
        r.invoices,
        memory::peak_note(),
        r.automated,
        pct(Some(r.automation_rate)),
        pct(r.realised_precision),
        r.audit_samples,
        r.threshold_changes.len(),
        r.pauses.len(),
        r.openings.len(),
        r.openings
            .iter()
            .map(|o| o.date.as_str())
            .max()
            .map(|d| format!(" (the last on {d})"))
            .unwrap_or_default()
    );
    let commonest: Vec<String> = r
        .review_reasons
        .iter()
        .take(5)
        .map(|reason| {
            format!(
                "{} {} ({} alone)",
                reason.code, reason.invoices, reason.alone
            )
        })
        .collect();
    println!(
        "{} sent to review; the commonest reasons: {}",
        r.reviewed,
        if commonest.is_empty() {
            "none".to_owned()
        } else {
            commonest.join(", ")
        }
    );
    println!("quarter   invoices  automated  automation  precision");
    for q in &r.quarters {
        println!(
            "{:<9} {:>8}  {:>9}  {:>10}  {:>9}",
            q.month,
            q.invoices,
            q.automated,
            pct(Some(q.automation_rate)),
            pct(q.realised_precision)
        );
    }
}
