//! Why a model cannot be saved or loaded, each error naming what is wrong and the fix.

use std::path::PathBuf;

use crate::envelope::{FORMAT_VERSION, HEADER_LEN, OLDEST_READABLE_VERSION};

/// An error saving, loading or decoding a model artifact.
#[derive(Debug, thiserror::Error)]
pub enum ModelError {
    #[error("cannot {action} `{}`: {source}", path.display())]
    Io {
        action: &'static str,
        path: PathBuf,
        source: std::io::Error,
    },

    /// A decoding or validation error in a file.
    #[error("`{}`: {source}", path.display())]
    File {
        path: PathBuf,
        source: Box<ModelError>,
    },

    #[error(
        "not a Kontera model file: {len} bytes is shorter than the {HEADER_LEN}-byte header; \
         point at the model.bin that `kontera train` wrote"
    )]
    TooShort { len: usize },

    #[error(
        "not a Kontera model file (it does not start with the KONTERA magic bytes); \
         point at the model.bin that `kontera train` wrote"
    )]
    NotAModel,

    #[error(
        "model format version {found}, this kontera reads versions {OLDEST_READABLE_VERSION} to \
         {FORMAT_VERSION}: retrain or upgrade"
    )]
    Version { found: u32 },

    #[error(
        "truncated: expected {expected} payload bytes, found {found}; \
         copy the model again or retrain"
    )]
    Truncated { expected: u64, found: u64 },

    #[error(
        "trailing bytes: expected {expected} payload bytes, found {found}; \
         copy the model again or retrain"
    )]
    TrailingBytes { expected: u64, found: u64 },

    #[error(
        "corrupted: checksum mismatch (the payload's SHA-256 differs from the header's); \
         copy the model again or retrain"
    )]
    Corrupted,

    #[error(
        "the model payload does not decode ({reason}); it was written by another kontera \
         build: retrain with this version of kontera"
    )]
    Payload { reason: String },

    #[error("invalid model: {0}; retrain with this version of kontera")]
    Invalid(#[from] Invalid),
}

/// A payload that decodes but does not describe a usable model.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum Invalid {
    #[error("the model predicts no field")]
    NoFields,

    #[error("unknown field `{name}` (known: account, cost_centre, vat_code)")]
    UnknownField { name: String },

    #[error(
        "field `{name}` is repeated or out of order (fields are unique, in the order \
         account, cost_centre, vat_code)"
    )]
    FieldOrder { name: String },

    #[error("field `{field}` lists label `{label}` twice")]
    DuplicateLabel { field: String, label: String },

    #[error("field `{field}` has {found} label priors for {expected} labels")]
    PriorLength {
        field: String,
        found: usize,
        expected: usize,
    },

    #[error("field `{field}`: prior of label {index} is {value}, not a finite number ≥ 0")]
    Prior {
        field: String,
        index: usize,
        value: f32,
    },

    #[error("field `{field}` has {found} weights, this kontera uses {expected}")]
    WeightCount {
        field: String,
        found: usize,
        expected: usize,
    },

    #[error("field `{field}`: weight {index} is {value}, not a finite number")]
    Weight {
        field: String,
        index: usize,
        value: f32,
    },

    #[error(
        "field `{field}`: evidence key {key:016x} names label id {label}, but the field has \
         only {labels} labels"
    )]
    LabelOutOfRange {
        field: String,
        key: u64,
        label: u32,
        labels: usize,
    },

    #[error("field `{field}`: evidence key {key:016x} has count {value}, not a finite number ≥ 0")]
    Count { field: String, key: u64, value: f32 },

    #[error("field `{field}`: evidence table: {reason}")]
    Table { field: String, reason: &'static str },

    #[error("similar invoices: {reason}")]
    Similar { reason: &'static str },

    #[error(
        "similar invoices: coding {coding} names label id {label} for field `{field}`, which has \
         only {labels} labels"
    )]
    SimilarLabel {
        coding: usize,
        field: String,
        label: u32,
        labels: usize,
    },

    #[error(
        "partial calibration {index}: field set {bits:#05b} is empty, names a field the model \
         does not have, is all fields, or is repeated"
    )]
    PartialFields { index: usize, bits: u8 },

    #[error("partial calibration {index}: {source}")]
    Partial { index: usize, source: Box<Invalid> },

    #[error("calibration of recently changed codings: {0}")]
    Changed(Box<Invalid>),

    #[error("directory: {entry} number {index} has an invalid {what}")]
    DirectoryEntry {
        entry: &'static str,
        index: usize,
        what: &'static str,
    },

    #[error("directory: {0}")]
    Directory(#[from] kontera_core::directory::DirectoryError),

    #[error("card says the directory has {card} {what}, but it has {found}")]
    CardDirectory {
        what: &'static str,
        card: u64,
        found: usize,
    },

    #[error("the model has no calibration")]
    NoCalibration,

    #[error("calibration band bounds {bounds:?} are not finite and strictly increasing")]
    Bounds { bounds: Vec<f32> },

    #[error("calibration has {bounds} band bounds but {maps} maps")]
    BandCount { bounds: usize, maps: usize },

    #[error("calibration of band {band}: {reason}")]
    Calibration { band: usize, reason: &'static str },

    #[error("policy: target precision {target} is not between 0 and 1 (exclusive)")]
    Target { target: f64 },

    #[error("policy: target precision {target} is listed twice")]
    DuplicateTarget { target: f64 },

    #[error("policy: threshold {threshold} for target precision {target} is not a finite number")]
    Threshold { target: f64, threshold: f32 },

    #[error("policy: default target precision {target} has no threshold")]
    DefaultTarget { target: f64 },

    #[error("policy: minimum support {value} is not a finite number ≥ 0")]
    MinSupport { value: f32 },

    #[error("card: {field} `{value}` is not a date (YYYY-MM-DD)")]
    Date { field: &'static str, value: String },

    #[error("card: training window starts {from}, after it ends {to}")]
    Window { from: String, to: String },

    #[error("card: data fingerprint `{value}` is not lowercase hexadecimal")]
    Fingerprint { value: String },

    #[error("card lists fields {card:?}, but the model has {model:?}")]
    CardFields {
        card: Vec<String>,
        model: Vec<String>,
    },

    #[error("card gives label counts for {card} fields, but the model has {fields}")]
    CardLabelCount { card: usize, fields: usize },

    #[error("card says field `{field}` has {card} labels, but the model has {model}")]
    CardLabels {
        field: String,
        card: u64,
        model: usize,
    },
}
