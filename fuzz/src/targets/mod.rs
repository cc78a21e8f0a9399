//! The four fuzz targets. Each takes any bytes, must never panic (a panic, including a broken
//! invariant below, is what the harness reports), and answers with its *outcome class*: a few
//! feature strings (`one:err:invalid_field:lines[#].net_amount`, `ok:format:oioubl`, ...). An
//! input that shows a feature not seen before is kept in the corpus — a cheap stand-in for
//! coverage.
//!
//! | target  | code under test                                                      |
//! |---------|----------------------------------------------------------------------|
//! | `json`  | `kontera_intake::from_json` and `batch_from_json`                    |
//! | `ubl`   | `kontera_intake::from_ubl`                                           |
//! | `row`   | `kontera_data::read_export_bytes` (decoding, CSV records, headers, amounts, dates, splits) and `AmountFormat::parse` / `DateFormats::parse` on every cell |
//! | `model` | `kontera_model::decode` on the bytes, and on the payload in a fresh, valid envelope |

mod json;
mod model;
mod outcome;
mod row;
mod ubl;

use std::fmt;

/// One fuzz target.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Target {
    Json,
    Ubl,
    Row,
    Model,
}

impl Target {
    pub const ALL: [Target; 4] = [Target::Json, Target::Ubl, Target::Row, Target::Model];

    /// The name on the command line and of the corpus and crash folders.
    pub fn name(self) -> &'static str {
        match self {
            Target::Json => "json",
            Target::Ubl => "ubl",
            Target::Row => "row",
            Target::Model => "model",
        }
    }

    pub fn from_name(name: &str) -> Option<Target> {
        Target::ALL.into_iter().find(|t| t.name() == name)
    }

    /// Runs the code under test on `data`; panics on a bug. The outcome class as features.
    pub fn run(self, data: &[u8]) -> Vec<String> {
        let mut features = match self {
            Target::Json => json::run(data),
            Target::Ubl => ubl::run(data),
            Target::Row => row::run(data),
            Target::Model => model::run(data),
        };
        features.sort_unstable();
        features.dedup();
        features
    }

    /// Mutated inputs are cut to this many bytes.
    pub fn max_len(self) -> usize {
        match self {
            Target::Model => 1 << 20,
            Target::Json | Target::Ubl | Target::Row => 64 << 10,
        }
    }
}

impl fmt::Display for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}
