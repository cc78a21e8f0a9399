//! `kontera train`: fits a model on a window of history and writes it to `models/NAME`.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Instant;

use anyhow::Context;
use kontera_core::directory::Directory;
use kontera_model::{Artifact, ModelCard, Policy};
use kontera_train::directory;
use kontera_train::example::Example;
use kontera_train::fit::{TrainOptions, Trained, train};
use kontera_train::labelled::{ReviewReport, ReviewedCodings};

use crate::input::{Lines, Loaded, Source, Window, fingerprint, model_name};

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    source: Source,
    #[command(flatten)]
    window: Window,
    /// Directory written by `kontera export-reviews` (postings.csv, reviews.csv): the reviewed
    /// codings replace the ERP's postings of the lines they cover. Repeatable.
    #[arg(long = "reviews", value_name = "DIR")]
    reviews: Vec<PathBuf>,
    /// Directory to write the model to, e.g. models/2026.
    #[arg(long)]
    out: PathBuf,
    /// Precision the default threshold is chosen for.
    #[arg(long, default_value_t = 0.99)]
    target_precision: f64,
    /// Lines with fewer similar past lines (same supplier, same coding) are never automated.
    #[arg(long, default_value_t = 3.0)]
    min_support: f32,
    /// The last months of the window, used to calibrate and choose thresholds.
    #[arg(long, default_value_t = 6)]
    calibration_months: u32,
    /// Past lines count half for every this many days of age (0: all alike).
    #[arg(long, default_value_t = 365.0)]
    half_life_days: f64,
}

pub fn run(args: Args) -> anyhow::Result<()> {
    args.window.check()?;
    anyhow::ensure!(
        args.min_support.is_finite() && args.min_support >= 0.0,
        "--min-support must be a number of past lines, 0 or more, got {}",
        args.min_support
    );
    anyhow::ensure!(
        args.half_life_days.is_finite() && args.half_life_days >= 0.0,
        "--half-life-days must be 0 (all history alike) or a number of days, got {}",
        args.half_life_days
    );
    anyhow::ensure!(
        args.target_precision > 0.5 && args.target_precision < 1.0,
        "--target-precision must lie between 0.5 and 1 (e.g. 0.99), got {}",
        args.target_precision
    );
    let started = Instant::now();
    let mut summary = String::new();
    eprintln!(
        "[{:>6.1}s] reading {}",
        started.elapsed().as_secs_f64(),
        args.source.data.display()
    );
    // The reviews first: a wrong directory fails before the tables are read.
    let reviews = read_reviews(&args.reviews)?;
    let loaded = args.source.open()?;
    let (lines, review_report) = loaded.lines_with_reviews(
        args.window.from,
        args.window.to,
        reviews.as_ref(),
        &mut summary,
    )?;
    drop(reviews);
    eprintln!(
        "[{:>6.1}s] {} labelled lines in {}..={}",
        started.elapsed().as_secs_f64(),
        lines.len(),
        args.window.from,
        args.window.to
    );
    // The master data the service screens with, taken now so the tables can go before fitting.
    let built = match (&loaded, &lines) {
        (Loaded::Contract { ds, .. }, _) => {
            directory::from_dataset(ds, args.window.from, args.window.to)
        }
        (_, Lines::Export(rows)) => directory::from_export(rows),
        (_, Lines::Contract(_)) => unreachable!("contract lines come from contract tables"),
    };
    drop(loaded);
    let mut targets = vec![args.target_precision];
    for t in [0.99, 0.95] {
        if !targets.contains(&t) {
            targets.push(t);
        }
    }
    let options = TrainOptions {
        calibration_months: args.calibration_months,
        target_precisions: targets,
        min_support: args.min_support,
        half_life_days: (args.half_life_days > 0.0).then_some(args.half_life_days),
        ..TrainOptions::default()
    };
    let progress = |stage: &str| eprintln!("[{:>6.1}s] {stage}", started.elapsed().as_secs_f64());
    let mut artifact = match &lines {
        Lines::Contract(l) => fit(l, &args, &options, progress)?,
        Lines::Export(l) => fit(l, &args, &options, progress)?,
    };
    artifact.card.units = built.directory.units().len() as u64;
    artifact.card.creditors = built.directory.creditors().len() as u64;
    if built.skipped > 0 {
        artifact.card.notes.push(format!(
            "directory: {} units or creditors left out (empty, repeated or CPR-shaped ids)",
            built.skipped
        ));
    }
    if let Some(r) = &review_report {
        artifact.card.notes.push(review_note(r));
    }
    artifact.directory = built.directory;
    kontera_model::save(&args.out, &artifact)?;
    eprintln!(
        "[{:>6.1}s] wrote {}",
        started.elapsed().as_secs_f64(),
        args.out.display()
    );
    println!("{summary}");
    print_summary(&artifact);
    Ok(())
}

/// The reviewed codings of every `--reviews` directory; `None` when none was given.
fn read_reviews(dirs: &[PathBuf]) -> anyhow::Result<Option<ReviewedCodings>> {
    if dirs.is_empty() {
        return Ok(None);
    }
    let mut reviews = ReviewedCodings::default();
    for dir in dirs {
        reviews
            .read_dir(dir)
            .with_context(|| format!("--reviews {}", dir.display()))?;
    }
    Ok(Some(reviews))
}

/// What the reviewed codings did, for the model card.
fn review_note(r: &ReviewReport) -> String {
    format!(
        "reviews: {} reviewed lines kept of {} rows read ({} malformed, {} duplicates, {} \
         superseded); {} overrode the ERP's coding, {} agreed, {} not posted by the ERP; {} for \
         invoices not in the data, {} for unknown lines, {} outside the window",
        r.reviewed_lines,
        r.rows,
        r.malformed,
        r.duplicates,
        r.superseded,
        r.overridden,
        r.agreed,
        r.added,
        r.unknown_invoice,
        r.unknown_line,
        r.outside_window,
    )
}

fn fit<E: Example>(
    lines: &[E],
    args: &Args,
    options: &TrainOptions,
    progress: impl FnMut(&str),
) -> anyhow::Result<Artifact> {
    let trained = train(lines, options, progress)?;
    let invoices = lines
        .iter()
        .map(Example::invoice)
        .collect::<std::collections::BTreeSet<_>>()
        .len();
    Ok(artifact(
        &trained,
        args,
        options,
        fingerprint(lines),
        invoices as u64,
    ))
}

fn artifact(
    trained: &Trained,
    args: &Args,
    options: &TrainOptions,
    data_fingerprint: String,
    invoices: u64,
) -> Artifact {
    let mut opts = BTreeMap::new();
    opts.insert(
        "calibration_months".to_owned(),
        options.calibration_months.to_string(),
    );
    let half_life = options
        .half_life_days
        .map_or_else(|| "none".to_owned(), |h| h.to_string());
    opts.insert("half_life_days".to_owned(), half_life);
    opts.insert("min_support".to_owned(), options.min_support.to_string());
    opts.insert(
        "ranking_sample".to_owned(),
        options.ranking_sample.to_string(),
    );
    opts.insert(
        "target_precision".to_owned(),
        args.target_precision.to_string(),
    );
    opts.insert("iterations".to_owned(), options.fit.iterations.to_string());
    if let Some(m) = &args.source.mapping {
        opts.insert("mapping".to_owned(), m.display().to_string());
    }
    if !args.reviews.is_empty() {
        let dirs: Vec<String> = args
            .reviews
            .iter()
            .map(|d| d.display().to_string())
            .collect();
        opts.insert("reviews".to_owned(), dirs.join(";"));
    }
    let losses = trained
        .losses
        .iter()
        .map(|(f, l)| format!("{} ranking loss {l:.4}", f.as_str()))
        .collect();
    Artifact {
        model: trained.model.clone(),
        policy: Policy {
            thresholds: trained.thresholds.clone(),
            default_target: args.target_precision,
            min_support: trained.min_support,
        },
        directory: Directory::default(),
        card: ModelCard {
            name: model_name(&args.out),
            kontera_version: env!("CARGO_PKG_VERSION").to_owned(),
            trained_from: trained.first_day,
            trained_to: trained.last_day,
            calibration_from: trained.calibration_from,
            lines: trained.lines as u64,
            fit_lines: trained.fit_lines as u64,
            calibration_lines: trained.calibration_lines as u64,
            invoices,
            data_fingerprint,
            fields: trained
                .model
                .fields
                .iter()
                .map(|f| f.field.as_str().to_owned())
                .collect(),
            labels: trained
                .model
                .fields
                .iter()
                .map(|f| f.labels.len() as u64)
                .collect(),
            units: 0,
            creditors: 0,
            options: opts,
            notes: losses,
        },
    }
}

fn print_summary(a: &Artifact) {
    let c = &a.card;
    println!(
        "model {} trained on {} lines ({} invoices), {}..={}",
        c.name, c.lines, c.invoices, c.trained_from, c.trained_to
    );
    println!(
        "  calibrated on {} lines from {}",
        c.calibration_lines, c.calibration_from
    );
    for (field, labels) in c.fields.iter().zip(&c.labels) {
        println!("  {field}: {labels} labels");
    }
    println!("  directory: {} units, {} creditors", c.units, c.creditors);
    for (target, t) in &a.policy.thresholds {
        let shown = if *t > 1.0 {
            "none reach it".to_owned()
        } else {
            format!("{t:.4}")
        };
        println!("  threshold for precision {target}: {shown}");
    }
    println!("  min support: {}", a.policy.min_support);
}
