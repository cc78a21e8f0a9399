//! `kontera compare`: a champion and a challenger model on exactly the same invoices of a later
//! period; writes `OUT.json` and `OUT.html` side by side with a verdict.

use std::path::{Path, PathBuf};

use anyhow::Context;
use kontera_core::Chart;
use kontera_model::Artifact;
use kontera_train::compare::{
    Bootstrap, CompareMeta, CompareOptions, Comparison, DifferenceKind, Side, check_period,
    compare, write_html, write_json,
};
use kontera_train::example::Example;
use kontera_train::fit::Trained;

use crate::evaluate::trained_from;
use crate::input::{Lines, Source, Window, model_name};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The model in service, e.g. models/2025.
    #[arg(long)]
    champion: PathBuf,
    /// The model that would replace it, e.g. models/2026.
    #[arg(long)]
    challenger: PathBuf,
    #[command(flatten)]
    source: Source,
    #[command(flatten)]
    window: Window,
    /// Report path without extension: writes OUT.json and OUT.html.
    #[arg(long)]
    report: PathBuf,
    /// Bootstrap resamples of the invoices for the verdict's interval.
    #[arg(long, default_value_t = 1_000)]
    resamples: usize,
    /// Seed of the bootstrap's draws.
    #[arg(long, default_value_t = 42)]
    seed: u64,
}

pub fn run(args: Args) -> anyhow::Result<()> {
    args.window.check()?;
    anyhow::ensure!(
        args.resamples > 0,
        "--resamples must be at least 1 (1000 is usual), got 0"
    );
    let champion = load(&args.champion, Side::Champion)?;
    let challenger = load(&args.challenger, Side::Challenger)?;
    // Refused before the data is read: a period inside either training window.
    check_period(Side::Champion, &champion, args.window.from)?;
    check_period(Side::Challenger, &challenger, args.window.from)?;

    let source = args.source.open_issued(args.window.from, args.window.to)?;
    let mut summary = String::new();
    let lines = source.lines(args.window.from, args.window.to, &mut summary)?;
    println!("compared period: {summary}");
    let options = CompareOptions {
        bootstrap: Bootstrap {
            resamples: args.resamples,
            seed: args.seed,
            ..Bootstrap::default()
        },
        ..CompareOptions::default()
    };
    let chart = source.chart();
    let comparison = match &lines {
        Lines::Contract(l) => run_on(&champion, &challenger, l, chart, &options),
        Lines::Export(l) => run_on(&champion, &challenger, l, chart, &options),
    }?;

    let meta = CompareMeta {
        title: format!(
            "Kontera comparison: {} against {}",
            model_name(&args.challenger),
            model_name(&args.champion)
        ),
        champion: args.champion.display().to_string(),
        challenger: args.challenger.display().to_string(),
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
    write_json(&comparison, &meta, &json).with_context(|| format!("writing {}", json.display()))?;
    write_html(&comparison, &meta, &html).with_context(|| format!("writing {}", html.display()))?;
    print_summary(&comparison);
    println!("reports: {} and {}", json.display(), html.display());
    Ok(())
}

/// A model directory, as what comparison needs of it.
fn load(dir: &Path, side: Side) -> anyhow::Result<Trained> {
    let artifact: Artifact = kontera_model::load(dir)
        .with_context(|| format!("loading the {side} from {}", dir.display()))?;
    Ok(trained_from(&artifact))
}

fn run_on<E: Example>(
    champion: &Trained,
    challenger: &Trained,
    lines: &[E],
    chart: Option<&Chart>,
    options: &CompareOptions,
) -> anyhow::Result<Comparison> {
    Ok(compare(champion, challenger, lines, chart, options)?)
}

fn print_summary(c: &Comparison) {
    println!(
        "{} lines, {} invoices (invoice set {})",
        c.lines, c.invoices, c.fingerprint
    );
    for (name, m) in [("champion", &c.champion), ("challenger", &c.challenger)] {
        println!("  {name} (trained {} to {}):", m.trained_from, m.trained_to);
        for (target, a) in &m.automation {
            println!(
                "    own threshold for {target}: automates {:.4} with precision {:.4} (threshold \
                 {:.4})",
                a.rate, a.precision, a.threshold
            );
        }
        for (target, a) in &m.equal_precision {
            println!(
                "    equal precision {target} (cut on these invoices, never served): automates \
                 {:.4} with precision {:.4} (confidence cut {:.4})",
                a.rate, a.precision, a.threshold
            );
        }
        for f in &m.fields {
            println!(
                "    {}: top-1 {:.4}, macro-F1 {:.4}",
                f.field.as_str(),
                f.top1_accuracy,
                f.macro_f1
            );
        }
    }
    println!(
        "  decided differently: {} invoices ({} champion only, {} challenger only, {} coded \
         differently)",
        c.differences.len(),
        c.count(DifferenceKind::OnlyChampionAutomates),
        c.count(DifferenceKind::OnlyChallengerAutomates),
        c.count(DifferenceKind::CodedDifferently)
    );
    println!("verdict: {}", c.verdict.sentence());
    for warning in c.verdict.calibration_warnings() {
        println!("calibration warning: {warning}");
    }
}
