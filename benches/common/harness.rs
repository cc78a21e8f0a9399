//! The `main` of a bench that runs itself (`harness = false`) rather than through criterion:
//! `load` and `train_scale`.

use std::process::ExitCode;

/// Runs `run` under `cargo bench` and reports its error; under `cargo test --benches`, which does
/// not pass `--bench`, only says how to run it (`command`), since a benchmark must not run as a
/// test.
pub fn bench_main(name: &str, command: &str, run: fn() -> Result<(), String>) -> ExitCode {
    if !std::env::args().any(|a| a == "--bench") {
        println!("{name}: a benchmark; run it with `{command}`");
        return ExitCode::SUCCESS;
    }
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("{name}: {e}");
            ExitCode::FAILURE
        }
    }
}
