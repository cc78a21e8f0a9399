//! `kontera evaluate`: a model on a later period, with the payment-plan baseline on the same
//! split; writes `OUT.json` and `OUT.html`.
//!
//! With `--rolling`, no model is given: for every year the data allows, a model is trained on the
//! `--train-years` whole years before it (with `kontera train`'s options) and evaluated on that
//! year, month by month (`kontera_train::rolling`); the reports then show every origin.

use std::fmt::Write;
use std::path::PathBuf;

use anyhow::Context;
use chrono::NaiveDate;
use kontera_core::Chart;
use kontera_core::precedence::RuleSet;
use kontera_model::Artifact;
use kontera_train::evaluate::{Evaluation, evaluate_with};
use kontera_train::example::Example;
use kontera_train::fit::Trained;
use kontera_train::report::{ReportMeta, write_html, write_json};
use kontera_train::rolling::{self, Rolling, RollingMeta, RollingOptions};
use kontera_train::threshold::ThresholdChoice;

use crate::elapsed::Elapsed;
use crate::input::{Lines, Loaded, Source, Window};

/// The flags a model given by `--model` excludes: they only make sense with `--rolling`.
const ROLLING_ONLY: [&str; 6] = [
    "train_years",
    "target_precision",
    "min_support",
    "calibration_months",
    "calibration_periods",
    "half_life_days",
];

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The model directory, e.g. models/2026 (not with --rolling, which trains its own).
    #[arg(
        long,
        required_unless_present = "rolling",
        conflicts_with = "rolling",
        conflicts_with_all = ROLLING_ONLY
    )]
    model: Option<PathBuf>,
    #[command(flatten)]
    source: Source,
    /// First day of the evaluated period (inclusive), e.g. 2025-01-01. With --rolling: the first
    /// day of data used (default: the data's first).
    #[arg(long, required_unless_present = "rolling")]
    from: Option<NaiveDate>,
    /// Last day of the evaluated period (inclusive), e.g. 2025-12-31. With --rolling: the last
    /// day of data used (default: the data's last).
    #[arg(long, required_unless_present = "rolling")]
    to: Option<NaiveDate>,
    /// Report path without extension: writes OUT.json and OUT.html.
    #[arg(long)]
    report: PathBuf,
    /// Rolling-origin evaluation instead of one model: every year the data allows is evaluated
    /// with a model trained on the --train-years whole years before it.
    #[arg(long)]
    rolling: bool,
    /// With --rolling: whole calendar years each origin trains on.
    #[arg(
        long,
        default_value_t = 3,
        requires = "rolling",
        value_parser = clap::value_parser!(u32).range(1..=50)
    )]
    train_years: u32,
    /// With --rolling: how each origin is trained (the flags of `kontera train`).
    #[command(flatten)]
    train: crate::train_flags::TrainFlags,
}

pub fn run(args: Args) -> anyhow::Result<()> {
    match (&args.model, args.from, args.to) {
        (Some(model), Some(from), Some(to)) if !args.rolling => {
            let window = Window { from, to };
            run_model(model, &args.source, window, &args.report)
        }
        _ if args.rolling => run_rolling(&args),
        // clap requires --model, --from and --to without --rolling.
        _ => anyhow::bail!("give --model, --from and --to, or --rolling"),
    }
}

fn run_model(
    model: &std::path::Path,
    source_args: &Source,
    window: Window,
    report: &std::path::Path,
) -> anyhow::Result<()> {
    window.check()?;
    let artifact = kontera_model::load(model)?;
    let card = &artifact.card;
    anyhow::ensure!(
        window.from > card.trained_to,
        "the evaluated period must start after the training window (which ends {}); \
         evaluating on training data would flatter the model",
        card.trained_to
    );
    // The baseline's plans come from the same training window as the model.
    let mut train_summary = String::new();
    let source = source_args.open()?;
    let train_lines = source.lines(card.trained_from, card.trained_to, &mut train_summary)?;
    let mut test_summary = String::new();
    let test_lines = source.lines(window.from, window.to, &mut test_summary)?;
    let fingerprint = match &train_lines {
        Lines::Contract(l) => crate::input::fingerprint(l),
        Lines::Export(l) => crate::input::fingerprint(l),
    };
    if fingerprint != card.data_fingerprint {
        eprintln!(
            "warning: the training window in {} is not the data the model was trained on \
             (data fingerprint differs); the payment-plan baseline is built from this data",
            source_args.data.display()
        );
    }
    println!("evaluated period: {test_summary}");
    let trained = trained_from(&artifact);
    let chart = source.chart();
    let evaluation = match (&train_lines, &test_lines) {
        (Lines::Contract(a), Lines::Contract(b)) => run_on(&trained, a, b, chart),
        (Lines::Export(a), Lines::Export(b)) => run_on(&trained, a, b, chart),
        _ => unreachable!("both windows come from the same source"),
    }?;
    let meta = ReportMeta {
        title: format!("Kontera evaluation of {}", card.name),
        model: model.display().to_string(),
        data: source_args.data.display().to_string(),
        from: window.from,
        to: window.to,
    };
    let (json, html) = report_paths(report)?;
    write_json(&evaluation, &meta, &json).with_context(|| format!("writing {}", json.display()))?;
    write_html(&evaluation, &meta, &html).with_context(|| format!("writing {}", html.display()))?;
    print_summary(&evaluation);
    println!("reports: {} and {}", json.display(), html.display());
    Ok(())
}

/// `OUT.json` and `OUT.html`, their directory created.
fn report_paths(report: &std::path::Path) -> anyhow::Result<(PathBuf, PathBuf)> {
    if let Some(parent) = report.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent)
            .with_context(|| format!("creating {}", parent.display()))?;
    }
    Ok((report.with_extension("json"), report.with_extension("html")))
}

/// `--rolling`: a model per origin, trained as `kontera train` trains, evaluated on its year.
fn run_rolling(args: &Args) -> anyhow::Result<()> {
    let train = args.train.options()?;
    if let (Some(from), Some(to)) = (args.from, args.to) {
        Window { from, to }.check()?;
    }
    let started = Elapsed::start();
    started.say(format_args!("reading {}", args.source.data.display()));
    let source = args.source.open()?;
    let (first, last) = data_dates(&source).context(
        "the data has no dated invoices or rows; check --data (and --mapping) point at the data",
    )?;
    let from = args.from.unwrap_or(first);
    let to = args.to.unwrap_or(last);
    anyhow::ensure!(
        from <= to,
        "--from {from} is after --to {to}; give the window's first day first"
    );
    let mut summary = String::new();
    let lines = source.lines(from, to, &mut summary)?;
    started.say(format_args!(
        "{} labelled lines in {from}..={to}",
        lines.len()
    ));
    let options = RollingOptions {
        train_years: args.train_years,
        period: Some((from, to)),
        train,
    };
    let chart = source.chart();
    let progress = |message: &str| started.say(message);
    let result = match &lines {
        Lines::Contract(l) => rolling::rolling(l, &options, chart, progress),
        Lines::Export(l) => rolling::rolling(l, &options, chart, progress),
    }?;
    drop(lines);
    let meta = RollingMeta {
        title: format!(
            "Kontera rolling-origin evaluation, {} training years",
            args.train_years
        ),
        data: args.source.data.display().to_string(),
    };
    let (json, html) = report_paths(&args.report)?;
    rolling::write_json(&result, &meta, &json)
        .with_context(|| format!("writing {}", json.display()))?;
    rolling::write_html(&result, &meta, &html)
        .with_context(|| format!("writing {}", html.display()))?;
    println!("data: {summary}");
    print_rolling(&result);
    println!("reports: {} and {}", json.display(), html.display());
    Ok(())
}

/// The first and last date in the data (invoices' issue dates, or export rows' dates).
fn data_dates(source: &Loaded) -> Option<(NaiveDate, NaiveDate)> {
    let dates: Box<dyn Iterator<Item = NaiveDate>> = match source {
        Loaded::Contract { ds, .. } => Box::new(ds.invoices.iter().map(|i| i.issue_date)),
        Loaded::Export { rows, .. } => Box::new(rows.iter().map(|r| r.date)),
    };
    dates.fold(None, |range, d| match range {
        None => Some((d, d)),
        Some((a, b)) => Some((a.min(d), b.max(d))),
    })
}

/// One row per origin: its year's automation and precision at each target, and its worst month
/// (the lowest realised precision among months with automated invoices).
fn print_rolling(r: &Rolling) {
    let targets: Vec<f64> = r
        .origins
        .first()
        .map(|o| o.targets.iter().map(|t| t.target).collect())
        .unwrap_or_default();
    println!(
        "rolling-origin evaluation: {} origins, each trained on {} whole years",
        r.origins.len(),
        r.train_years
    );
    let mut header = format!(
        "{:<9}  {:<22}  {:>8}",
        "test year", "trained on", "invoices"
    );
    for t in &targets {
        let _ = write!(
            header,
            " | {:>10} {:>9} {:>9}  {:<24}",
            format!("auto@{t}"),
            "precision",
            "threshold",
            "worst month"
        );
    }
    println!("{}", header.trim_end());
    for o in &r.origins {
        let w = &o.origin;
        let mut row = format!(
            "{:<9}  {:<22}  {:>8}",
            w.test_year,
            format!("{}..{}", w.train_from, w.train_to),
            o.invoices
        );
        for &target in &targets {
            let Some(t) = o.target(target) else {
                let _ = write!(row, " | {:>10} {:>9} {:>9}  {:<24}", "-", "-", "-", "-");
                continue;
            };
            let a = &t.automation;
            let precision = if a.automated == 0 {
                "-".to_owned()
            } else {
                format!("{:.4}", a.precision)
            };
            let threshold = if a.threshold > 1.0 {
                "none".to_owned()
            } else {
                format!("{:.4}", a.threshold)
            };
            let worst = t.worst_month().map_or_else(
                || "-".to_owned(),
                |m| {
                    format!(
                        "{} {:.4} of {}",
                        m.label(),
                        m.automation.precision,
                        m.automation.automated
                    )
                },
            );
            let _ = write!(
                row,
                " | {:>10.4} {precision:>9} {threshold:>9}  {worst:<24}",
                a.rate
            );
        }
        println!("{}", row.trim_end());
        if !o.train_months_without_lines.is_empty() {
            let months: Vec<String> = o
                .train_months_without_lines
                .iter()
                .map(|m| m.format("%Y-%m").to_string())
                .collect();
            println!("  note: no lines in training months {}", months.join(", "));
        }
    }
}

/// Evaluates through the precedence chain: the invoices' own valid account strings first.
fn run_on<E: Example>(
    trained: &Trained,
    train_lines: &[E],
    test: &[E],
    chart: Option<&Chart>,
) -> anyhow::Result<Evaluation> {
    anyhow::ensure!(
        !test.is_empty(),
        "no labelled lines in the evaluated period; check --from/--to against the data"
    );
    Ok(evaluate_with(
        trained,
        train_lines,
        test,
        chart,
        &RuleSet::default(),
    ))
}

/// What evaluation (and comparison) needs of a trained model, from its artifact.
pub fn trained_from(a: &Artifact) -> Trained {
    Trained {
        model: a.model.clone(),
        thresholds: a.policy.thresholds.clone(),
        threshold_choice: ThresholdChoice::from_card(
            a.card.options.get("thresholds").map(String::as_str),
        ),
        min_support: a.policy.min_support,
        first_day: a.card.trained_from,
        last_day: a.card.trained_to,
        calibration_from: a.card.calibration_from,
        lines: a.card.lines as usize,
        fit_lines: a.card.fit_lines as usize,
        calibration_lines: a.card.calibration_lines as usize,
        losses: Vec::new(),
    }
}

fn print_summary(e: &Evaluation) {
    println!("{} lines, {} invoices", e.rows, e.invoices);
    for f in &e.fields {
        println!(
            "  {}: top-1 {:.4}, macro-F1 {:.4}",
            f.field.as_str(),
            f.top1_accuracy,
            f.macro_f1
        );
    }
    println!(
        "  all fields right: {:.4} (payment plans {:.4})",
        e.joint_accuracy, e.baseline_top1
    );
    for ((target, a), (_, b)) in e.automation.iter().zip(&e.baseline_automation) {
        println!(
            "  at {target}: automates {:.4} with precision {:.4} (payment plans {:.4} at {:.4})",
            a.rate, a.precision, b.rate, b.precision
        );
    }
}
