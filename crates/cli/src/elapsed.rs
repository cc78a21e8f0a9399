//! The progress lines of the long commands (`train`, `evaluate --rolling`, `replay`):
//! `[  18.2s] message` on stderr, the seconds since the command began.

use std::fmt::Display;
use std::time::Instant;

/// A command's clock, started when the command starts.
#[derive(Debug, Clone, Copy)]
pub struct Elapsed(Instant);

impl Elapsed {
    pub fn start() -> Elapsed {
        Elapsed(Instant::now())
    }

    /// Seconds since the start.
    pub fn seconds(&self) -> f64 {
        self.0.elapsed().as_secs_f64()
    }

    /// Prints `message` as one progress line.
    pub fn say(&self, message: impl Display) {
        eprintln!("[{:>6.1}s] {message}", self.seconds());
    }
}
