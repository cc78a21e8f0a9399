//! The model card: where a model came from and how it was trained, for people and audits.
//! It holds no wall-clock time, so the same data and options give a byte-identical artifact.

use std::collections::BTreeMap;

use chrono::NaiveDate;

/// Provenance of a trained model. Written inside `model.bin` (authoritative) and, for reading,
/// to `card.json`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModelCard {
    /// The organisation or data set the model is for.
    pub name: String,
    /// The kontera version that trained it.
    pub kontera_version: String,
    /// First and last invoice date of the training window.
    pub trained_from: NaiveDate,
    pub trained_to: NaiveDate,
    /// First invoice date of the window's calibration part.
    pub calibration_from: NaiveDate,
    /// Labelled lines in the window, in its fit part and in its calibration part.
    pub lines: u64,
    pub fit_lines: u64,
    pub calibration_lines: u64,
    /// Invoices in the window.
    pub invoices: u64,
    /// Lowercase hex fingerprint of the training data (see [`crate::Fingerprint`]).
    pub data_fingerprint: String,
    /// The fields the model predicts, as [`kontera_core::model::Field::as_str`] names, in the
    /// model's order.
    pub fields: Vec<String>,
    /// Number of labels per field, in `fields` order.
    pub labels: Vec<u64>,
    /// Units and creditors in the artifact's directory.
    pub units: u64,
    pub creditors: u64,
    /// Training options as text (name → value).
    pub options: BTreeMap<String, String>,
    /// Free-form remarks from the trainer.
    pub notes: Vec<String>,
}
