//! `kontera evaluate`: a model on a later period, with the payment-plan baseline on the same
//! split; writes `OUT.json` and `OUT.html`.

use std::path::PathBuf;

use anyhow::Context;
use kontera_core::Chart;
use kontera_core::precedence::RuleSet;
use kontera_model::Artifact;
use kontera_train::evaluate::{Evaluation, evaluate_with};
use kontera_train::example::Example;
use kontera_train::fit::Trained;
use kontera_train::report::{ReportMeta, write_html, write_json};

use crate::input::{Lines, Source, Window};

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
}

pub fn run(args: Args) -> anyhow::Result<()> {
    args.window.check()?;
    let artifact = kontera_model::load(&args.model)?;
    let card = &artifact.card;
    anyhow::ensure!(
        args.window.from > card.trained_to,
        "the evaluated period must start after the training window (which ends {}); \
         evaluating on training data would flatter the model",
        card.trained_to
    );
    // The baseline's plans come from the same training window as the model.
    let mut train_summary = String::new();
    let source = args.source.open()?;
    let train_lines = source.lines(card.trained_from, card.trained_to, &mut train_summary)?;
    let mut test_summary = String::new();
    let test_lines = source.lines(args.window.from, args.window.to, &mut test_summary)?;
    let fingerprint = match &train_lines {
        Lines::Contract(l) => crate::input::fingerprint(l),
        Lines::Export(l) => crate::input::fingerprint(l),
    };
    if fingerprint != card.data_fingerprint {
        eprintln!(
            "warning: the training window in {} is not the data the model was trained on \
             (data fingerprint differs); the payment-plan baseline is built from this data",
            args.source.data.display()
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
        model: args.model.display().to_string(),
        data: args.source.data.display().to_string(),
        from: args.window.from,
        to: args.window.to,
    };
    if let Some(parent) = args.report.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent)
            .with_context(|| format!("creating {}", parent.display()))?;
    }
    let json = args.report.with_extension("json");
    let html = args.report.with_extension("html");
    write_json(&evaluation, &meta, &json).with_context(|| format!("writing {}", json.display()))?;
    write_html(&evaluation, &meta, &html).with_context(|| format!("writing {}", html.display()))?;
    print_summary(&evaluation);
    println!("reports: {} and {}", json.display(), html.display());
    Ok(())
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
