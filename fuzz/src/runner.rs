//! The fuzzing loop: seeds from the corpus folder, then until the time or the iteration count
//! is up, an input either generated (`arbitrary`, one in four where the target has a
//! generator) or mutated from a corpus entry; inputs that show a new outcome class are shrunk
//! and kept, panics are written to the crash folder, one file per panic location.
//!
//! Before each execution the input is written to `<crashes>/.inflight` (one `write`, no sync):
//! a stack overflow or an abort cannot be caught, but the next run finds the file, saves the
//! input as `died-<hash>.bin` and replays it.

use std::collections::{HashMap, HashSet};
use std::fs::{self, File};
use std::io::{self, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::Target;
use crate::corpus::{self, save};
use crate::exec::{Crash, execute};
use crate::generate::generate;
use crate::mutate::mutate;
use crate::rng::Rng;

/// New corpus entries larger than this are kept for the run but not written: a mutant of the
/// 156 KB model seed would otherwise be written for every new class it shows.
pub const MAX_SAVED_LEN: usize = 16 << 10;

/// The stack the targets run on: tokio's worker default, where the service runs intake.
pub const STACK_SIZE: usize = 2 << 20;

/// How long a run goes on.
#[derive(Debug, Clone, Copy)]
pub enum Limit {
    Seconds(u64),
    Iterations(u64),
}

#[derive(Debug, Clone)]
pub struct Config {
    pub target: Target,
    pub seed: u64,
    pub limit: Limit,
    /// The corpus folder the seeds are read from (and new entries written to, if `save`).
    pub corpus: Option<PathBuf>,
    pub save: bool,
    /// Where crashing inputs (and the in-flight input) are written; `None`: nowhere.
    pub crashes: Option<PathBuf>,
    /// A progress line every 10 s.
    pub progress: bool,
    /// Seeds longer than this are left out (the regression test's debug build).
    pub max_seed_len: usize,
}

/// One crash: where, what, how often, and the first input that caused it.
#[derive(Debug, Clone)]
pub struct CrashReport {
    pub crash: Crash,
    pub count: u64,
    pub input: Vec<u8>,
    pub file: Option<PathBuf>,
}

#[derive(Debug, Clone)]
pub struct Stats {
    pub target: Target,
    pub execs: u64,
    pub elapsed: Duration,
    /// Corpus entries at the end (seeds included).
    pub corpus: usize,
    /// Corpus entries added by this run.
    pub added: usize,
    /// Distinct outcome features seen.
    pub features: usize,
    pub crashes: Vec<CrashReport>,
    pub slowest: Duration,
}

impl Stats {
    pub fn execs_per_second(&self) -> f64 {
        self.execs as f64 / self.elapsed.as_secs_f64().max(1e-9)
    }

    /// The last line of a run.
    pub fn summary(&self) -> String {
        format!(
            "summary: target {}, {:.0} s, {} execs, {:.0} execs/s, corpus {} entries ({} new), \
             {} features, crashes {}, slowest input {:.1} ms",
            self.target,
            self.elapsed.as_secs_f64(),
            self.execs,
            self.execs_per_second(),
            self.corpus,
            self.added,
            self.features,
            self.crashes.len(),
            self.slowest.as_secs_f64() * 1000.0,
        )
    }
}

/// Runs the loop on a thread with [`STACK_SIZE`] of stack.
pub fn run(config: Config) -> io::Result<Stats> {
    std::thread::Builder::new()
        .name(format!("fuzz-{}", config.target))
        .stack_size(STACK_SIZE)
        .spawn(move || Fuzzer::new(config)?.run())?
        .join()
        .unwrap_or_else(|e| std::panic::resume_unwind(e))
}

struct Fuzzer {
    config: Config,
    rng: Rng,
    corpus: Vec<Vec<u8>>,
    seen: HashSet<String>,
    crashes: HashMap<String, CrashReport>,
    execs: u64,
    added: usize,
    slowest: Duration,
    inflight: Option<(PathBuf, File, Vec<u8>)>,
}

impl Fuzzer {
    fn new(config: Config) -> io::Result<Fuzzer> {
        let rng = Rng::new(config.seed);
        Ok(Fuzzer {
            config,
            rng,
            corpus: Vec::new(),
            seen: HashSet::new(),
            crashes: HashMap::new(),
            execs: 0,
            added: 0,
            slowest: Duration::ZERO,
            inflight: None,
        })
    }

    fn run(mut self) -> io::Result<Stats> {
        let target = self.config.target;
        let start = Instant::now();
        if let Some(dir) = self.config.crashes.clone() {
            self.replay_inflight(&dir)?;
            fs::create_dir_all(&dir)?;
            let path = dir.join(".inflight");
            let file = File::create(&path)?;
            self.inflight = Some((path, file, Vec::new()));
        }
        self.load_seeds()?;
        let mut next_report = Duration::from_secs(10);
        loop {
            let elapsed = start.elapsed();
            match self.config.limit {
                Limit::Seconds(s) if elapsed >= Duration::from_secs(s) => break,
                Limit::Iterations(n) if self.execs >= n => break,
                _ => {}
            }
            if self.config.progress && elapsed >= next_report {
                println!(
                    "[{target}] {:>4} s: {} execs, {:.0} execs/s, corpus {}, crashes {}",
                    elapsed.as_secs(),
                    self.execs,
                    self.execs as f64 / elapsed.as_secs_f64(),
                    self.corpus.len(),
                    self.crashes.len()
                );
                next_report += Duration::from_secs(10);
            }
            let input = self.next_input();
            self.try_input(input)?;
        }
        if let Some((path, file, _)) = self.inflight.take() {
            drop(file);
            fs::remove_file(path)?;
        }
        let mut crashes: Vec<CrashReport> = self.crashes.into_values().collect();
        crashes.sort_by(|a, b| a.crash.location.cmp(&b.crash.location));
        Ok(Stats {
            target,
            execs: self.execs,
            elapsed: start.elapsed(),
            corpus: self.corpus.len(),
            added: self.added,
            features: self.seen.len(),
            crashes,
            slowest: self.slowest,
        })
    }

    /// A previous run that died left its last input: save it, then run it once more.
    fn replay_inflight(&mut self, dir: &Path) -> io::Result<()> {
        let path = dir.join(".inflight");
        let Ok(bytes) = fs::read(&path) else {
            return Ok(());
        };
        fs::remove_file(&path)?;
        let Some((len, rest)) = bytes.split_first_chunk::<8>() else {
            return Ok(());
        };
        let len = usize::try_from(u64::from_le_bytes(*len)).unwrap_or(usize::MAX);
        let Some(input) = rest.get(..len) else {
            return Ok(());
        };
        let saved = save(dir, "died-", input)?;
        println!(
            "[{}] the last run ended while running a {len}-byte input (a stack overflow, an \
             abort or a kill); saved as {}; replaying it — if this run dies now, that file is \
             the crash",
            self.config.target,
            saved.display()
        );
        match execute(self.config.target, input) {
            Ok(_) => {
                println!(
                    "[{}] it runs fine: the last run was stopped from outside",
                    self.config.target
                );
                fs::remove_file(saved)?;
            }
            Err(crash) => self.record_crash(input.to_vec(), crash)?,
        }
        Ok(())
    }

    fn load_seeds(&mut self) -> io::Result<()> {
        if let Some(dir) = self.config.corpus.clone() {
            for path in corpus::files(&dir)? {
                let data = fs::read(&path)?;
                if data.len() > self.config.max_seed_len {
                    continue;
                }
                if let Ok(features) = self.exec(&data)? {
                    self.seen.extend(features);
                }
                self.corpus.push(data);
            }
        }
        if self.corpus.is_empty() {
            self.corpus.push(Vec::new());
        }
        Ok(())
    }

    fn next_input(&mut self) -> Vec<u8> {
        let target = self.config.target;
        if self.rng.one_in(4)
            && let Some(input) = generate(&mut self.rng, target)
        {
            return input;
        }
        let parent = self.rng.below(self.corpus.len());
        let other = self.rng.below(self.corpus.len());
        mutate(
            &mut self.rng,
            target,
            &self.corpus[parent],
            &self.corpus[other],
        )
    }

    /// Runs one input: a crash is recorded; a new outcome class keeps the (shrunk) input.
    fn try_input(&mut self, input: Vec<u8>) -> io::Result<()> {
        let features = match self.exec(&input)? {
            Ok(features) => features,
            Err(crash) => return self.record_crash(input, crash),
        };
        let new: Vec<String> = features
            .into_iter()
            .filter(|f| !self.seen.contains(f))
            .collect();
        if new.is_empty() {
            return Ok(());
        }
        let kept = self.shrink(input, &new)?;
        self.seen.extend(new);
        if self.config.save
            && kept.len() <= MAX_SAVED_LEN
            && let Some(dir) = &self.config.corpus
        {
            save(dir, "", &kept)?;
        }
        self.corpus.push(kept);
        self.added += 1;
        Ok(())
    }

    /// Runs the target, writing the input to the in-flight file first.
    fn exec(&mut self, data: &[u8]) -> io::Result<Result<Vec<String>, Crash>> {
        if let Some((_, file, buffer)) = &mut self.inflight {
            buffer.clear();
            buffer.extend_from_slice(&(data.len() as u64).to_le_bytes());
            buffer.extend_from_slice(data);
            file.seek(SeekFrom::Start(0))?;
            file.write_all(buffer)?;
        }
        let start = Instant::now();
        let result = execute(self.config.target, data);
        self.slowest = self.slowest.max(start.elapsed());
        self.execs += 1;
        Ok(result)
    }

    /// Deletes chunks of `input` (halves, quarters, …; at most 200 tries) while the target
    /// still shows every feature of `wanted`.
    fn shrink(&mut self, input: Vec<u8>, wanted: &[String]) -> io::Result<Vec<u8>> {
        let mut best = input;
        let mut budget = 200;
        let mut chunk = best.len() / 2;
        while chunk > 0 && budget > 0 {
            let mut at = 0;
            while at < best.len() && budget > 0 {
                budget -= 1;
                let end = (at + chunk).min(best.len());
                let mut candidate = best[..at].to_vec();
                candidate.extend_from_slice(&best[end..]);
                match self.exec(&candidate)? {
                    Ok(f) if wanted.iter().all(|w| f.contains(w)) => best = candidate,
                    Ok(_) => at += chunk,
                    Err(crash) => {
                        self.record_crash(candidate, crash)?;
                        at += chunk;
                    }
                }
            }
            chunk /= 2;
        }
        Ok(best)
    }

    fn record_crash(&mut self, input: Vec<u8>, crash: Crash) -> io::Result<()> {
        let target = self.config.target;
        if let Some(report) = self.crashes.get_mut(&crash.location) {
            report.count += 1;
            return Ok(());
        }
        let file = match &self.config.crashes {
            Some(dir) => Some(save(dir, "", &input)?),
            None => None,
        };
        println!(
            "[{target}] crash at {}: {} ({} bytes{})",
            crash.location,
            crash.message.chars().take(300).collect::<String>(),
            input.len(),
            file.as_ref()
                .map_or_else(String::new, |f| format!(", saved as {}", f.display()))
        );
        self.crashes.insert(
            crash.location.clone(),
            CrashReport {
                crash,
                count: 1,
                input,
                file,
            },
        );
        Ok(())
    }
}
