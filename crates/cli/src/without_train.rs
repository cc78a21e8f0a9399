//! The data-side subcommands in a build without polars (no `train` feature): they keep their
//! names, take any arguments, and explain how to get a build that runs them.

/// Whatever was given; nothing is parsed.
#[derive(Debug, clap::Args)]
#[command(disable_help_flag = true)]
pub struct Args {
    #[arg(trailing_var_arg = true, allow_hyphen_values = true, hide = true)]
    args: Vec<String>,
}

/// The error for a data-side command in this build.
pub fn error(command: &str) -> anyhow::Error {
    anyhow::anyhow!(
        "`kontera {command}` needs the data tools, which this build leaves out to stay small; \
         run it as `cargo run --release --features train -- {command} ...`"
    )
}

/// A module per data-side command, with the same `Args` and `run` as the real one.
macro_rules! stub {
    ($name:ident) => {
        pub mod $name {
            pub use super::Args;

            pub fn run(_: Args) -> anyhow::Result<()> {
                Err(super::error(stringify!($name)))
            }
        }
    };
}

stub!(generate);
stub!(train);
stub!(evaluate);
stub!(compare);
stub!(replay);
