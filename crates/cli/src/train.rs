//! `kontera train`: fits a model on a window of history and writes it to `models/NAME`.

use std::collections::BTreeMap;
use std::path::PathBuf;

use anyhow::Context;
use kontera_core::directory::Directory;
use kontera_model::{Artifact, ModelCard, Policy};
use kontera_train::directory;
use kontera_train::example::Example;
use kontera_train::fit::{TrainOptions, Trained, train};
use kontera_train::labelled::{ReviewReport, ReviewedCodings};

use crate::elapsed::Elapsed;
use crate::input::{Lines, Loaded, Source, Window, fingerprint, model_name};
use crate::memory;
use crate::train_flags::TrainFlags;

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
    #[command(flatten)]
    flags: TrainFlags,
}

pub fn run(args: Args) -> anyhow::Result<()> {
    args.window.check()?;
    let options = args.flags.options()?;
    let started = Elapsed::start();
    let mut summary = String::new();
    started.say(format_args!("reading {}", args.source.data.display()));
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
    started.say(format_args!(
        "{} labelled lines in {}..={}",
        lines.len(),
        args.window.from,
        args.window.to
    ));
    // The master data the service screens with, taken now so the tables can go before fitting.
    let built = match (&loaded, &lines) {
        (Loaded::Contract { ds, .. }, _) => {
            directory::from_dataset(ds, args.window.from, args.window.to)
        }
        (_, Lines::Export(rows)) => directory::from_export(rows),
        (_, Lines::Contract(_)) => unreachable!("contract lines come from contract tables"),
    };
    drop(loaded);
    let progress = |stage: &str| started.say(stage);
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
    started.say(format_args!("wrote {}", args.out.display()));
    println!("{summary}");
    print_summary(&artifact);
    println!("  took {:.1} s{}", started.seconds(), memory::peak_note());
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
    opts.insert(
        "calibration_periods".to_owned(),
        options.calibration_periods.to_string(),
    );
    opts.insert(
        "min_period_invoices".to_owned(),
        options.min_period_invoices.to_string(),
    );
    opts.insert(
        "weights_holdout_months".to_owned(),
        options.weights_holdout_months.to_string(),
    );
    let half_life = options
        .half_life_days
        .map_or_else(|| "none".to_owned(), |h| h.to_string());
    opts.insert("half_life_days".to_owned(), half_life);
    opts.insert("min_support".to_owned(), options.min_support.to_string());
    opts.insert(
        "thresholds".to_owned(),
        options.thresholds.as_str().to_owned(),
    );
    opts.insert(
        "ranking_sample".to_owned(),
        options.ranking_sample.to_string(),
    );
    opts.insert(
        "target_precision".to_owned(),
        args.flags.target_precision.to_string(),
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
    let mut notes: Vec<String> = trained
        .losses
        .iter()
        .map(|(f, l)| format!("{} ranking loss {l:.4}", f.as_str()))
        .collect();
    // A window too short, or a last period too small, for the horizon's calibration.
    let horizon_from = trained
        .last_day
        .checked_sub_months(chrono::Months::new(options.calibration_months));
    if horizon_from.is_some_and(|d| trained.calibration_from > d) {
        notes.push(format!(
            "calibration: on the window's last months from {} alone, not {} months (the window \
             is shorter, or its last {} months hold fewer than {} invoices)",
            trained.calibration_from,
            options.calibration_months,
            options.calibration_months,
            options.min_period_invoices
        ));
    }
    Artifact {
        model: trained.model.clone(),
        policy: Policy {
            thresholds: trained.thresholds.clone(),
            default_target: args.flags.target_precision,
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
            notes,
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
        "  calibrated on {} lines, the latest period from {}",
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
