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
    #[cfg(feature = "train")]
    Generate(generate::Args),
    /// Generate a synthetic municipality's invoice history (needs the `train` feature).
    #[cfg(not(feature = "train"))]
    #[command(disable_help_flag = true)]
    Generate {
        #[arg(trailing_var_arg = true, allow_hyphen_values = true, hide = true)]
        args: Vec<String>,
    },
    /// Fit a model on a window of history and write it to a model directory.
    #[cfg(feature = "train")]
    Train(train::Args),
    /// Evaluate a model on a later period; writes a JSON and an HTML report.
    #[cfg(feature = "train")]
    Evaluate(evaluate::Args),
    /// Fit a model (needs the `train` feature).
    #[cfg(not(feature = "train"))]
    #[command(disable_help_flag = true)]
    Train {
        #[arg(trailing_var_arg = true, allow_hyphen_values = true, hide = true)]
        args: Vec<String>,
    },
    /// Evaluate a model (needs the `train` feature).
    #[cfg(not(feature = "train"))]
    #[command(disable_help_flag = true)]
    Evaluate {
        #[arg(trailing_var_arg = true, allow_hyphen_values = true, hide = true)]
        args: Vec<String>,
    },
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
        #[cfg(feature = "train")]
        Command::Generate(args) => generate::run(args),
        #[cfg(not(feature = "train"))]
        Command::Generate { .. } => Err(without_train("generate")),
        #[cfg(feature = "train")]
        Command::Train(args) => train::run(args),
        #[cfg(not(feature = "train"))]
        Command::Train { .. } => Err(without_train("train")),
        #[cfg(feature = "train")]
        Command::Evaluate(args) => evaluate::run(args),
        #[cfg(not(feature = "train"))]
        Command::Evaluate { .. } => Err(without_train("evaluate")),
        Command::Serve(args) => serve::run(args),
    }
}

/// The error for a data-side command in a build without polars.
#[cfg(not(feature = "train"))]
fn without_train(command: &str) -> anyhow::Error {
    anyhow::anyhow!(
        "`kontera {command}` needs the data tools, which this build leaves out to stay small; \
         run it as `cargo run --release --features train -- {command} ...`"
    )
}
