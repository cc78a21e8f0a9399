//! The `kontera` command line: one binary, one subcommand per job.

mod generate;
mod serve;

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
    /// Run the HTTP service.
    Serve(serve::Args),
}

fn main() -> anyhow::Result<()> {
    match Cli::parse().command {
        Command::Generate(args) => generate::run(args),
        Command::Serve(args) => serve::run(args),
    }
}
