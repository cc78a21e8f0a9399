//! The artifact's wire shape: plain serde mirrors of the core types, which know nothing of
//! serde. Writing goes core → DTO here; reading goes DTO → core through [`crate::validate`].
//!
//! Everything is a `Vec` or `BTreeMap` in a fixed order (tables by key), so encoding is
//! deterministic. The payload is an [`ArtifactDto`] (the version 2 shape) followed by an
//! [`ExtensionDto`] (what version 3 added). Fields are named by text, dates written as `YYYY-MM-DD`.

use std::collections::BTreeMap;

use kontera_core::model::{BandedCalibration, CodingModel, FieldModel, SimilarIndex};
use serde::{Deserialize, Serialize};

use crate::artifact::Artifact;
use crate::card::ModelCard;
use crate::directory::DirectoryDto;
use crate::policy::Policy;

#[derive(Debug, Serialize, Deserialize)]
pub(crate) struct ArtifactDto {
    pub model: ModelDto,
    pub policy: PolicyDto,
    pub directory: DirectoryDto,
    pub card: CardDto,
}

#[derive(Debug, Serialize, Deserialize)]
pub(crate) struct ModelDto {
    pub fields: Vec<FieldDto>,
    pub calibration: CalibrationDto,
    pub partial: Vec<SubsetCalibrationDto>,
    pub similar: SimilarDto,
}

impl ArtifactDto {
    /// Lays out the weights of a model fitted with the first `kinds` key kinds for today's kinds
    /// (format 3 and earlier: see `envelope.rs`). Weights of any other length are left for
    /// validation to judge.
    pub fn widen_weights(&mut self, kinds: usize) {
        for f in &mut self.model.fields {
            if let Some(w) = kontera_core::model::widen_weights(&f.weights, kinds) {
                f.weights = w.to_vec();
            }
        }
    }
}

/// What format version 3 appends to the version 2 payload (a version 2 payload, or a version
/// 3 one without it, has none of it). Later additions go here, at the end, so a payload of an
/// earlier version still decodes.
#[derive(Debug, Default, Serialize, Deserialize)]
pub(crate) struct ExtensionDto {
    /// The calibration of codings flagged `recent_change`, if training fitted one.
    pub changed: Option<CalibrationDto>,
}

impl ExtensionDto {
    pub fn from_artifact(a: &Artifact) -> ExtensionDto {
        ExtensionDto {
            changed: a.model.changed.as_ref().map(CalibrationDto::from_banded),
        }
    }
}

/// The calibration of codings whose predicted fields are `fields` (bit i: the model's field i).
#[derive(Debug, Serialize, Deserialize)]
pub(crate) struct SubsetCalibrationDto {
    pub fields: u8,
    pub calibration: CalibrationDto,
}

/// The similar-invoice index: invoice ids and codings once, then per key its codings (by
/// number) with their latest invoices (by number, most recent first).
#[derive(Debug, Serialize, Deserialize)]
pub(crate) struct SimilarDto {
    pub invoices: Vec<String>,
    pub codings: Vec<Vec<u32>>,
    pub keys: Vec<SimilarKeyDto>,
}

#[derive(Debug, Serialize, Deserialize)]
pub(crate) struct SimilarKeyDto {
    pub key: u64,
    pub groups: Vec<(u32, Vec<u32>)>,
}

#[derive(Debug, Serialize, Deserialize)]
pub(crate) struct FieldDto {
    pub field: String,
    pub labels: Vec<String>,
    pub prior: Vec<f32>,
    pub weights: Vec<f32>,
    pub table: Vec<EntryDto>,
}

/// One evidence-table key: its total weight, its latest uses and its top (label id, weight)
/// pairs.
#[derive(Debug, Serialize, Deserialize)]
pub(crate) struct EntryDto {
    pub key: u64,
    pub total: f32,
    pub last: Option<u32>,
    pub last_day: i32,
    pub previous: Option<u32>,
    pub labels: Vec<(u32, f32)>,
}

#[derive(Debug, Serialize, Deserialize)]
pub(crate) struct CalibrationDto {
    pub bounds: Vec<f32>,
    /// Per band, the map's (raw score, probability) breakpoints.
    pub maps: Vec<Vec<(f32, f32)>>,
}

#[derive(Debug, Serialize, Deserialize)]
pub(crate) struct PolicyDto {
    pub thresholds: Vec<(f64, f32)>,
    pub default_target: f64,
    pub min_support: f32,
}

#[derive(Debug, Serialize, Deserialize)]
pub(crate) struct CardDto {
    pub name: String,
    pub kontera_version: String,
    pub trained_from: String,
    pub trained_to: String,
    pub calibration_from: String,
    pub lines: u64,
    pub fit_lines: u64,
    pub calibration_lines: u64,
    pub invoices: u64,
    pub data_fingerprint: String,
    pub fields: Vec<String>,
    pub labels: Vec<u64>,
    pub units: u64,
    pub creditors: u64,
    pub options: BTreeMap<String, String>,
    pub notes: Vec<String>,
}

impl ArtifactDto {
    pub fn from_artifact(a: &Artifact) -> ArtifactDto {
        ArtifactDto {
            model: ModelDto::from_model(&a.model),
            policy: PolicyDto::from_policy(&a.policy),
            directory: DirectoryDto::from_directory(&a.directory),
            card: CardDto::from_card(&a.card),
        }
    }
}

impl ModelDto {
    fn from_model(m: &CodingModel) -> ModelDto {
        ModelDto {
            fields: m.fields.iter().map(FieldDto::from_field).collect(),
            calibration: CalibrationDto::from_banded(&m.calibration),
            partial: m
                .partial
                .iter()
                .map(|p| SubsetCalibrationDto {
                    fields: p.fields.bits(),
                    calibration: CalibrationDto::from_banded(&p.calibration),
                })
                .collect(),
            similar: SimilarDto::from_index(&m.similar),
        }
    }
}

impl CalibrationDto {
    fn from_banded(c: &BandedCalibration) -> CalibrationDto {
        CalibrationDto {
            bounds: c.bounds.clone(),
            maps: c.maps.iter().map(|m| m.points().to_vec()).collect(),
        }
    }
}

impl SimilarDto {
    fn from_index(s: &SimilarIndex) -> SimilarDto {
        SimilarDto {
            invoices: s.invoice_ids().map(str::to_owned).collect(),
            codings: s.codings().map(<[u32]>::to_vec).collect(),
            keys: s
                .rows()
                .map(|r| SimilarKeyDto {
                    key: r.key,
                    groups: r.groups,
                })
                .collect(),
        }
    }
}

impl FieldDto {
    fn from_field(f: &FieldModel) -> FieldDto {
        FieldDto {
            field: f.field.as_str().to_owned(),
            labels: f.labels.clone(),
            prior: f.head.prior.clone(),
            weights: f.head.weights.to_vec(),
            table: f
                .head
                .table
                .rows()
                .map(|row| EntryDto {
                    key: row.key,
                    total: row.total,
                    last: row.recency.last,
                    last_day: row.recency.last_day,
                    previous: row.recency.previous,
                    labels: row.labels,
                })
                .collect(),
        }
    }
}

impl PolicyDto {
    pub fn from_policy(p: &Policy) -> PolicyDto {
        PolicyDto {
            thresholds: p.thresholds.clone(),
            default_target: p.default_target,
            min_support: p.min_support,
        }
    }
}

impl CardDto {
    pub fn from_card(c: &ModelCard) -> CardDto {
        CardDto {
            name: c.name.clone(),
            kontera_version: c.kontera_version.clone(),
            trained_from: c.trained_from.to_string(),
            trained_to: c.trained_to.to_string(),
            calibration_from: c.calibration_from.to_string(),
            lines: c.lines,
            fit_lines: c.fit_lines,
            calibration_lines: c.calibration_lines,
            invoices: c.invoices,
            data_fingerprint: c.data_fingerprint.clone(),
            fields: c.fields.clone(),
            labels: c.labels.clone(),
            units: c.units,
            creditors: c.creditors,
            options: c.options.clone(),
            notes: c.notes.clone(),
        }
    }
}
