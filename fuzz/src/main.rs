//! `kontera-fuzz`: runs one fuzz target for a while, replays inputs, or minimises a corpus.
//!
//! ```text
//! kontera-fuzz TARGET [--seconds N | --iterations N] [--seed S] [--corpus DIR] [--crashes DIR] [--no-save]
//! kontera-fuzz replay TARGET FILE...
//! kontera-fuzz cmin TARGET [--corpus DIR]
//! ```
//!
//! TARGET is `json`, `ubl`, `row` or `model`. The corpus defaults to `fuzz/corpus/TARGET`,
//! the crash folder to `fuzz/crashes/TARGET`, the time to 60 s, the seed to a fixed value.
//! Exits 1 if any input crashed, 2 on a usage error.

use std::path::PathBuf;
use std::process::ExitCode;

use kontera_fuzz::runner::{Config, Limit, run};
use kontera_fuzz::{Target, corpus, execute, home};

const USAGE: &str = "usage: kontera-fuzz TARGET [--seconds N | --iterations N] [--seed S] \
[--corpus DIR] [--crashes DIR] [--no-save]
       kontera-fuzz replay TARGET FILE...
       kontera-fuzz cmin TARGET [--corpus DIR]
TARGET: json, ubl, row, model";

/// The default seed: "Kontera" in ASCII.
const DEFAULT_SEED: u64 = 0x004b_6f6e_7465_7261;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match main_with(&args) {
        Ok(code) => code,
        Err(message) => {
            eprintln!("error: {message}\n{USAGE}");
            ExitCode::from(2)
        }
    }
}

fn target(name: Option<&String>) -> Result<Target, String> {
    let name = name.ok_or("name a target")?;
    Target::from_name(name).ok_or_else(|| format!("unknown target `{name}`"))
}

fn main_with(args: &[String]) -> Result<ExitCode, String> {
    match args.first().map(String::as_str) {
        Some("replay") => replay(&args[1..]),
        Some("cmin") => cmin(&args[1..]),
        Some("-h" | "--help") | None => {
            println!("{USAGE}");
            Ok(ExitCode::SUCCESS)
        }
        Some(_) => fuzz(args),
    }
}

fn fuzz(args: &[String]) -> Result<ExitCode, String> {
    let target = target(args.first())?;
    let mut config = Config {
        target,
        seed: DEFAULT_SEED,
        limit: Limit::Seconds(60),
        corpus: Some(home().join("corpus").join(target.name())),
        save: true,
        crashes: Some(home().join("crashes").join(target.name())),
        progress: true,
        max_seed_len: usize::MAX,
    };
    let mut rest = args[1..].iter();
    while let Some(flag) = rest.next() {
        if flag == "--no-save" {
            config.save = false;
            continue;
        }
        let value = rest.next().ok_or_else(|| format!("{flag} needs a value"))?;
        let number = || {
            value
                .parse::<u64>()
                .map_err(|_| format!("{flag} takes a whole number, not `{value}`"))
        };
        match flag.as_str() {
            "--seconds" => config.limit = Limit::Seconds(number()?),
            "--iterations" => config.limit = Limit::Iterations(number()?),
            "--seed" => config.seed = number()?,
            "--corpus" => config.corpus = Some(PathBuf::from(value)),
            "--crashes" => config.crashes = Some(PathBuf::from(value)),
            other => return Err(format!("unknown option `{other}`")),
        }
    }
    println!(
        "[{target}] seed {}, corpus {}, crashes to {}",
        config.seed,
        config
            .corpus
            .as_ref()
            .map_or("none".into(), |p| p.display().to_string()),
        config
            .crashes
            .as_ref()
            .map_or("none".into(), |p| p.display().to_string()),
    );
    let stats = run(config).map_err(|e| format!("the run failed: {e}"))?;
    for report in &stats.crashes {
        println!(
            "crash at {} ({} times): {}{}",
            report.crash.location,
            report.count,
            report.crash.message.chars().take(300).collect::<String>(),
            report
                .file
                .as_ref()
                .map_or_else(String::new, |f| format!("; input {}", f.display()))
        );
    }
    println!("{}", stats.summary());
    Ok(if stats.crashes.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

fn replay(args: &[String]) -> Result<ExitCode, String> {
    let target = target(args.first())?;
    if args.len() < 2 {
        return Err("name the files to replay".into());
    }
    let mut failed = false;
    for file in &args[1..] {
        let data = std::fs::read(file).map_err(|e| format!("cannot read {file}: {e}"))?;
        match execute(target, &data) {
            Ok(features) => println!("{file}: ok: {}", features.join(" ")),
            Err(crash) => {
                failed = true;
                println!("{file}: CRASH at {}: {}", crash.location, crash.message);
            }
        }
    }
    Ok(if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

fn cmin(args: &[String]) -> Result<ExitCode, String> {
    let target = target(args.first())?;
    let dir = match args.get(1).map(String::as_str) {
        Some("--corpus") => PathBuf::from(args.get(2).ok_or("--corpus needs a value")?),
        Some(other) => return Err(format!("unknown option `{other}`")),
        None => home().join("corpus").join(target.name()),
    };
    let m = corpus::cmin(target, &dir).map_err(|e| format!("cmin failed: {e}"))?;
    println!(
        "[{target}] kept {} entries ({} bytes), removed {} ({} bytes before)",
        m.kept, m.bytes_after, m.removed, m.bytes_before
    );
    Ok(ExitCode::SUCCESS)
}
