//! The `kontera` command line: one binary, one subcommand per job.

#[cfg(feature = "train")]
mod compare;
#[cfg(feature = "train")]
mod elapsed;
#[cfg(feature = "train")]
mod evaluate;
mod export_reviews;
#[cfg(feature = "train")]
mod generate;
#[cfg(feature = "train")]
mod input;
#[cfg(feature = "train")]
mod memory;
mod models;
#[cfg(feature = "train")]
mod replay;
#[cfg(feature = "train")]
mod replay_cases;
mod report;
mod serve;
#[cfg(feature = "train")]
mod train;
#[cfg(feature = "train")]
mod train_flags;
mod users;
#[cfg(not(feature = "train"))]
mod without_train;
#[cfg(not(feature = "train"))]
use without_train::{compare, evaluate, generate, replay, train};

use clap::{Parser, Subcommand};

/// Kontera codes supplier invoices: account, cost centre and VAT code, with a calibrated
/// confidence, or an honest "send to a person, because …".
#[derive(Debug, Parser)]
#[command(name = "kontera", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Generate a synthetic municipality's invoice history (the six contract tables).
    Generate(generate::Args),
    /// Fit a model on a window of history and write it to a model directory.
    Train(train::Args),
    /// Evaluate a model on a later period; writes a JSON and an HTML report.
    Evaluate(evaluate::Args),
    /// Compare a challenger model with the champion on the same later invoices; writes a JSON
    /// and an HTML report with a verdict.
    Compare(compare::Args),
    /// Replay a past period invoice by invoice through the service's decision code (screening,
    /// thresholds, the audit, its adaptation, the circuit breaker); writes a JSON and an HTML
    /// report.
    Replay(replay::Args),
    /// Run the HTTP service.
    Serve(serve::Args),
    /// List model versions, activate one, roll back (every running instance follows).
    Models(models::Args),
    /// Manage users, roles, areas and API tokens.
    Users(users::Args),
    /// Write the controllers' reviews as training data: postings.csv (the postings contract)
    /// and reviews.csv (who reviewed what).
    ExportReviews(export_reviews::Args),
}

fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    // The service's events (and those it emits during a replay) as `KONTERA_LOG` and
    // `KONTERA_LOG_FORMAT` say; a command's own progress and summary stay plain lines.
    let logging = kontera_serve::logging::Settings::from_env(|name| std::env::var(name).ok())
        .and_then(kontera_serve::logging::Settings::install);
    if let Err(err) = logging {
        eprintln!("error: {err}");
        return std::process::ExitCode::FAILURE;
    }
    match run(cli) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {}", report::describe(&err));
            std::process::ExitCode::FAILURE
        }
    }
}

fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Command::Generate(args) => generate::run(args),
        Command::Train(args) => train::run(args),
        Command::Evaluate(args) => evaluate::run(args),
        Command::Compare(args) => compare::run(args),
        Command::Replay(args) => replay::run(args),
        Command::Serve(args) => serve::run(args),
        Command::Models(args) => models::run(args),
        Command::Users(args) => users::run(args),
        Command::ExportReviews(args) => export_reviews::run(args),
    }
}
