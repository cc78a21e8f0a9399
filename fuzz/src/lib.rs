//! Kontera's fuzzing harness, on stable Rust: four targets (the JSON and UBL invoice readers,
//! the export importer's row parsing, the model loader), inputs mutated from a corpus or
//! generated through `arbitrary`, panics caught and kept as crash files. See `README.md`.

pub mod corpus;
pub mod exec;
pub mod generate;
pub mod mutate;
pub mod rng;
pub mod runner;
pub mod targets;

pub use exec::{Crash, execute};
pub use runner::{Config, Limit, Stats, run};
pub use targets::Target;

/// The folder this crate lives in (`fuzz/`), where `corpus/` and `crashes/` are.
pub fn home() -> std::path::PathBuf {
    std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}
