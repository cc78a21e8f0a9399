//! The `kontera` command line: one binary, one subcommand per job.

#[cfg(feature = "train")]
mod evaluate;
#[cfg(feature = "train")]
mod generate;
#[cfg(feature = "train")]
mod input;
mod serve;
#[cfg(feature = "train")]
mod train;
#[cfg(not(feature = "train"))]
mod without_train;
#[cfg(not(feature = "train"))]
use without_train::{evaluate, generate, train};

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
    /// Run the HTTP service.
    Serve(serve::Args),
}

fn main() -> std::process::ExitCode {
    match run(Cli::parse()) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(err) => {
            // `{:#}` prints the whole chain of causes on one line, without a backtrace.
            eprintln!("error: {err:#}");
            std::process::ExitCode::FAILURE
        }
    }
}

fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Command::Generate(args) => generate::run(args),
        Command::Train(args) => train::run(args),
        Command::Evaluate(args) => evaluate::run(args),
        Command::Serve(args) => serve::run(args),
    }
}
