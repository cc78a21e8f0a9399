//! Comparing two models on exactly the same invoices: the champion (the model in service) and a
//! challenger (the model that would replace it).
//!
//! [`compare`] codes the period's lines with both models through the precedence chain, as
//! `evaluate` does, and measures each with the evaluation's own functions: automation and realised
//! precision at each target with the model's own thresholds, top-1 accuracy and macro-F1 per field,
//! the same per area (`figures.rs`); the invoices the two decide differently at their own
//! thresholds (`differences.rs`); and a [`Verdict`] on automation at equal realised precision with
//! a paired bootstrap interval over invoices (`verdict.rs`, `equal.rs`, `bootstrap.rs`).
//! [`to_json`] and [`to_html`] write the report.
//!
//! Equal precision: each model is cut where its automated invoices realise the target precision on
//! the compared invoices, so the two are compared at the same precision and the automation each
//! reaches there measures its ranking. Those cuts are chosen on the compared period, so they
//! compare rankings only: they are never served or written to a model (thresholds served are
//! never tuned on the test period). Each model's own thresholds, and the precision they realise,
//! are reported alongside, with a calibration warning when one falls short of its target.

mod bootstrap;
mod differences;
mod equal;
mod figures;
mod html;
mod json;
mod verdict;

use std::collections::BTreeSet;
use std::fmt;
use std::path::Path;

use chrono::NaiveDate;
use kontera_core::Chart;
use kontera_core::model::Field;
use kontera_core::precedence::RuleSet;
use sha2::{Digest, Sha256};

use crate::evaluate::{code_lines, invoice_areas};
use crate::example::Example;
use crate::fit::Trained;
use figures::Run;

pub use bootstrap::{Bootstrap, Interval, RESAMPLED};
pub use differences::{Decision, Difference, DifferenceKind, LineCodings};
pub use equal::{Cut, EQUAL_PRECISION, Ranking, operating_point};
pub use figures::{AreaFigures, ModelFigures};
pub use html::HTML_DIFFERENCES;
pub use json::JSON_DIFFERENCES;
pub use verdict::{Judgement, Verdict};

/// The target precisions compared, in this order; the first is the verdict's.
pub const TARGETS: [f64; 2] = [0.99, 0.95];
/// How the evaluated set's fingerprint is computed (written into the JSON report).
pub const FINGERPRINT_METHOD: &str = "SHA-256 (lowercase hex) of the distinct invoice ids, sorted bytewise, each followed by a \
     newline: `LC_ALL=C sort -u ids.txt | sha256sum`";

/// One of the two models compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    /// The model in service.
    Champion,
    /// The model that would replace it.
    Challenger,
}

impl Side {
    pub fn as_str(self) -> &'static str {
        match self {
            Side::Champion => "champion",
            Side::Challenger => "challenger",
        }
    }
}

impl fmt::Display for Side {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How to compare.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CompareOptions {
    /// The paired bootstrap of the verdict.
    pub bootstrap: Bootstrap,
    /// Fixed rules both models code through (the service's precedence chain).
    pub rules: RuleSet,
}

/// Why two models could not be compared.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum CompareError {
    #[error(
        "the compared period must start after the {side}'s training window ({trained_from} to \
         {trained_to}), but starts {from}; comparing on training data would flatter the model: \
         give a --from after {trained_to}"
    )]
    Overlap {
        side: Side,
        from: NaiveDate,
        trained_from: NaiveDate,
        trained_to: NaiveDate,
    },
    #[error("no labelled lines in the compared period; check --from/--to against the data")]
    Empty,
    #[error(
        "the {side} has no threshold for {target} precision; retrain it with `kontera train`, \
         which chooses thresholds for 0.99 and 0.95"
    )]
    NoThreshold { side: Side, target: f64 },
    #[error("the bootstrap needs at least one resample (1000 is usual), got 0")]
    NoResamples,
}

/// Two models compared on one period.
#[derive(Debug, Clone, PartialEq)]
pub struct Comparison {
    /// Every field either model predicts, in [`Field::ALL`] order: the codings compared.
    pub fields: Vec<Field>,
    /// Lines and invoices compared (the same for both models by construction).
    pub lines: usize,
    pub invoices: usize,
    /// [`fingerprint`] of the compared invoices' ids.
    pub fingerprint: String,
    pub champion: ModelFigures,
    pub challenger: ModelFigures,
    /// Invoices decided differently at the verdict's target (each model at its own threshold, as
    /// the service would decide), or coded differently: decision
    /// differences first, then by invoice id.
    pub differences: Vec<Difference>,
    pub verdict: Verdict,
}

impl Comparison {
    /// How many differences are of `kind`.
    pub fn count(&self, kind: DifferenceKind) -> usize {
        self.differences.iter().filter(|d| d.kind == kind).count()
    }
}

/// Refuses a period starting on or before the last day `trained` was trained on.
pub fn check_period(side: Side, trained: &Trained, from: NaiveDate) -> Result<(), CompareError> {
    if from > trained.last_day {
        Ok(())
    } else {
        Err(CompareError::Overlap {
            side,
            from,
            trained_from: trained.first_day,
            trained_to: trained.last_day,
        })
    }
}

/// Compares `champion` and `challenger` on `test` (lines of a period after both training
/// windows), each line coded through the precedence chain: its own account string valid in
/// `chart`, the options' rules, then the model.
pub fn compare<E: Example>(
    champion: &Trained,
    challenger: &Trained,
    test: &[E],
    chart: Option<&Chart>,
    options: &CompareOptions,
) -> Result<Comparison, CompareError> {
    let first = test
        .iter()
        .map(Example::date)
        .min()
        .ok_or(CompareError::Empty)?;
    check_period(Side::Champion, champion, first)?;
    check_period(Side::Challenger, challenger, first)?;
    if options.bootstrap.resamples == 0 {
        return Err(CompareError::NoResamples);
    }
    let thresholds_a = thresholds(Side::Champion, champion)?;
    let thresholds_b = thresholds(Side::Challenger, challenger)?;

    let coded_a = code_lines(&champion.model, test, chart, &options.rules);
    let coded_b = code_lines(&challenger.model, test, chart, &options.rules);
    let a = Run::new(champion, &coded_a, test, thresholds_a);
    let b = Run::new(challenger, &coded_b, test, thresholds_b);

    let areas = invoice_areas(test);
    let fields: Vec<Field> = Field::ALL
        .into_iter()
        .filter(|f| a.fields.contains(f) || b.fields.contains(f))
        .collect();
    let ids: BTreeSet<&str> = test.iter().map(Example::invoice).collect();
    Ok(Comparison {
        lines: test.len(),
        invoices: ids.len(),
        fingerprint: fingerprint(ids.iter().copied()),
        champion: figures::measure(champion, &a, test, &areas),
        challenger: figures::measure(challenger, &b, test, &areas),
        differences: differences::find(test, &areas, &fields, &a, &b),
        verdict: verdict::judge(&a, &b, &options.bootstrap),
        fields,
    })
}

/// The model's threshold for each of [`TARGETS`].
fn thresholds(side: Side, trained: &Trained) -> Result<Vec<(f64, f32)>, CompareError> {
    TARGETS
        .iter()
        .map(|&target| {
            trained
                .thresholds
                .iter()
                .find(|(t, _)| (t - target).abs() < 1e-9)
                .map(|&(_, threshold)| (target, threshold))
                .ok_or(CompareError::NoThreshold { side, target })
        })
        .collect()
}

/// The fingerprint of a set of invoice ids, as [`FINGERPRINT_METHOD`] says: the same set gives
/// the same fingerprint whatever the order or repetition of `ids`.
pub fn fingerprint<'a>(ids: impl IntoIterator<Item = &'a str>) -> String {
    let sorted: BTreeSet<&str> = ids.into_iter().collect();
    let mut hash = Sha256::new();
    for id in sorted {
        hash.update(id.as_bytes());
        hash.update(b"\n");
    }
    hash.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// What was compared: shown at the top of both reports.
#[derive(Debug, Clone, PartialEq)]
pub struct CompareMeta {
    pub title: String,
    /// The champion's and the challenger's model directories (or names).
    pub champion: String,
    pub challenger: String,
    /// The data compared on (a path or a name).
    pub data: String,
    /// First and last day of the compared period.
    pub from: NaiveDate,
    pub to: NaiveDate,
}

/// The comparison as pretty JSON with a fixed key order; non-finite numbers are `null`.
pub fn to_json(comparison: &Comparison, meta: &CompareMeta) -> serde_json::Result<String> {
    json::to_string(comparison, meta)
}

/// The comparison as one self-contained HTML page.
pub fn to_html(comparison: &Comparison, meta: &CompareMeta) -> String {
    html::page(comparison, meta)
}

/// Writes [`to_json`] to `path`.
pub fn write_json(comparison: &Comparison, meta: &CompareMeta, path: &Path) -> std::io::Result<()> {
    let mut text = to_json(comparison, meta).map_err(std::io::Error::other)?;
    text.push('\n');
    std::fs::write(path, text)
}

/// Writes [`to_html`] to `path`.
pub fn write_html(comparison: &Comparison, meta: &CompareMeta, path: &Path) -> std::io::Result<()> {
    std::fs::write(path, to_html(comparison, meta))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fingerprint_is_sha256_of_the_sorted_distinct_ids_one_a_line() {
        // printf 'a\nb\n' | sha256sum
        let expected = "911169ddaaf146aff539f58c26c489af3b892dff0fe283c1c264c65ae5aa59a2";
        assert_eq!(fingerprint(["b", "a", "b"]), expected);
        assert_eq!(
            fingerprint([]),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
    }
}
