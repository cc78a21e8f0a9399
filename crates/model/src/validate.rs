//! Reading the wire shape back: every part of a decoded payload is checked before the core types
//! are built, so a loaded model can be trusted by inference (no label id out of range, no NaN).

use std::collections::BTreeSet;

use chrono::NaiveDate;
use kontera_core::directory::Directory;
use kontera_core::model::{
    AmountBuckets, BandedCalibration, Calibration, CodingModel, EvidenceTable, FEATURES, Field,
    FieldModel, FieldSet, Head, Recency, SimilarIndex, SimilarRow, SubsetCalibration, TableRow,
};

use crate::artifact::Artifact;
use crate::card::ModelCard;
use crate::dto::{
    ArtifactDto, CalibrationDto, CardDto, ExtensionDto, FieldDto, ModelDto, PolicyDto, SimilarDto,
    SubsetCalibrationDto,
};
use crate::error::Invalid;
use crate::policy::Policy;

impl TryFrom<(ArtifactDto, ExtensionDto)> for Artifact {
    type Error = Invalid;

    fn try_from((dto, extension): (ArtifactDto, ExtensionDto)) -> Result<Artifact, Invalid> {
        let mut model = model(dto.model)?;
        model.changed = extension
            .changed
            .map(|c| banded(c).map_err(|e| Invalid::Changed(Box::new(e))))
            .transpose()?;
        let policy = policy(dto.policy)?;
        let directory = Directory::try_from(dto.directory)?;
        let card = card(dto.card)?;
        check_card_matches(&card, &model, &directory)?;
        Ok(Artifact {
            model,
            policy,
            directory,
            card,
        })
    }
}

fn model(dto: ModelDto) -> Result<CodingModel, Invalid> {
    let fields = fields(dto.fields)?;
    let partial = partial(dto.partial, fields.len())?;
    let similar = similar(dto.similar, &fields)?;
    Ok(CodingModel {
        fields,
        calibration: banded(dto.calibration)?,
        changed: None,
        partial,
        similar,
        // The format's; `decode` gives an older format's model its own.
        amount_buckets: AmountBuckets::Round,
    })
}

/// Subset calibrations: each a proper, non-empty subset of the model's fields, none repeated.
fn partial(
    dtos: Vec<SubsetCalibrationDto>,
    n_fields: usize,
) -> Result<Vec<SubsetCalibration>, Invalid> {
    let all = FieldSet::all(n_fields);
    let mut out: Vec<SubsetCalibration> = Vec::with_capacity(dtos.len());
    for (index, p) in dtos.into_iter().enumerate() {
        let bits = p.fields;
        let set = FieldSet::from_bits(bits)
            .filter(|s| !s.is_empty() && *s != all && s.intersect(all) == *s)
            .filter(|s| out.iter().all(|o| o.fields != *s))
            .ok_or(Invalid::PartialFields { index, bits })?;
        let calibration = banded(p.calibration).map_err(|e| Invalid::Partial {
            index,
            source: Box::new(e),
        })?;
        out.push(SubsetCalibration {
            fields: set,
            calibration,
        });
    }
    Ok(out)
}

/// The similar-invoice index: its structure, then every coding's label ids against the fields.
fn similar(s: SimilarDto, fields: &[FieldModel]) -> Result<SimilarIndex, Invalid> {
    for (coding, labels) in s.codings.iter().enumerate() {
        for (f, &label) in fields.iter().zip(labels) {
            if label as usize >= f.labels.len() {
                return Err(Invalid::SimilarLabel {
                    coding,
                    field: f.field.as_str().to_owned(),
                    label,
                    labels: f.labels.len(),
                });
            }
        }
    }
    let rows = s.keys.into_iter().map(|k| SimilarRow {
        key: k.key,
        groups: k.groups,
    });
    SimilarIndex::from_parts(fields.len(), s.invoices, s.codings, rows)
        .map_err(|reason| Invalid::Similar { reason })
}

fn fields(fields: Vec<FieldDto>) -> Result<Vec<FieldModel>, Invalid> {
    if fields.is_empty() {
        return Err(Invalid::NoFields);
    }
    let mut last: Option<usize> = None;
    let mut out = Vec::with_capacity(fields.len());
    for f in fields {
        let position = Field::ALL
            .iter()
            .position(|k| k.as_str() == f.field)
            .ok_or_else(|| Invalid::UnknownField {
                name: f.field.clone(),
            })?;
        if last.is_some_and(|l| l >= position) {
            return Err(Invalid::FieldOrder { name: f.field });
        }
        last = Some(position);
        out.push(field_model(Field::ALL[position], f)?);
    }
    Ok(out)
}

fn field_model(field: Field, f: FieldDto) -> Result<FieldModel, Invalid> {
    let name = || f.field.clone();
    let mut seen = BTreeSet::new();
    if let Some(dup) = f.labels.iter().find(|l| !seen.insert(l.as_str())) {
        return Err(Invalid::DuplicateLabel {
            field: name(),
            label: dup.clone(),
        });
    }
    let n = f.labels.len();
    if f.prior.len() != n {
        return Err(Invalid::PriorLength {
            field: name(),
            found: f.prior.len(),
            expected: n,
        });
    }
    if let Some((index, &value)) = f.prior.iter().enumerate().find(|(_, p)| !non_negative(**p)) {
        return Err(Invalid::Prior {
            field: name(),
            index,
            value,
        });
    }
    let weights: [f32; FEATURES] =
        f.weights
            .as_slice()
            .try_into()
            .map_err(|_| Invalid::WeightCount {
                field: name(),
                found: f.weights.len(),
                expected: FEATURES,
            })?;
    if let Some((index, &value)) = weights.iter().enumerate().find(|(_, w)| !w.is_finite()) {
        return Err(Invalid::Weight {
            field: name(),
            index,
            value,
        });
    }
    for e in &f.table {
        if !non_negative(e.total) {
            return Err(Invalid::Count {
                field: name(),
                key: e.key,
                value: e.total,
            });
        }
        let recent = e.last.iter().chain(&e.previous).map(|&l| (l, 0.0));
        for (label, count) in e.labels.iter().copied().chain(recent) {
            if label as usize >= n {
                return Err(Invalid::LabelOutOfRange {
                    field: name(),
                    key: e.key,
                    label,
                    labels: n,
                });
            }
            if !non_negative(count) {
                return Err(Invalid::Count {
                    field: name(),
                    key: e.key,
                    value: count,
                });
            }
        }
    }
    let rows = f.table.into_iter().map(|e| TableRow {
        key: e.key,
        total: e.total,
        recency: Recency {
            last: e.last,
            last_day: e.last_day,
            previous: e.previous,
        },
        labels: e.labels,
    });
    let table = EvidenceTable::from_rows(rows).map_err(|reason| Invalid::Table {
        field: name(),
        reason,
    })?;
    Ok(FieldModel {
        field,
        labels: f.labels,
        head: Head {
            table,
            prior: f.prior,
            weights,
        },
    })
}

fn banded(c: CalibrationDto) -> Result<BandedCalibration, Invalid> {
    if c.bounds.is_empty() {
        return Err(Invalid::NoCalibration);
    }
    let increasing =
        c.bounds.iter().all(|b| b.is_finite()) && c.bounds.windows(2).all(|w| w[0] < w[1]);
    if !increasing {
        return Err(Invalid::Bounds { bounds: c.bounds });
    }
    if c.maps.len() != c.bounds.len() {
        return Err(Invalid::BandCount {
            bounds: c.bounds.len(),
            maps: c.maps.len(),
        });
    }
    let maps = c
        .maps
        .into_iter()
        .enumerate()
        .map(|(band, points)| {
            Calibration::from_points(points).map_err(|reason| Invalid::Calibration { band, reason })
        })
        .collect::<Result<_, _>>()?;
    Ok(BandedCalibration {
        bounds: c.bounds,
        maps,
    })
}

fn policy(p: PolicyDto) -> Result<Policy, Invalid> {
    for (i, &(target, threshold)) in p.thresholds.iter().enumerate() {
        if !(target > 0.0 && target < 1.0) {
            return Err(Invalid::Target { target });
        }
        if !threshold.is_finite() {
            return Err(Invalid::Threshold { target, threshold });
        }
        if p.thresholds[..i].iter().any(|&(t, _)| t == target) {
            return Err(Invalid::DuplicateTarget { target });
        }
    }
    if !p.thresholds.iter().any(|&(t, _)| t == p.default_target) {
        return Err(Invalid::DefaultTarget {
            target: p.default_target,
        });
    }
    if !non_negative(p.min_support) {
        return Err(Invalid::MinSupport {
            value: p.min_support,
        });
    }
    Ok(Policy {
        thresholds: p.thresholds,
        default_target: p.default_target,
        min_support: p.min_support,
    })
}

fn card(c: CardDto) -> Result<ModelCard, Invalid> {
    let trained_from = date("trained_from", &c.trained_from)?;
    let trained_to = date("trained_to", &c.trained_to)?;
    let calibration_from = date("calibration_from", &c.calibration_from)?;
    if trained_from > trained_to {
        return Err(Invalid::Window {
            from: c.trained_from,
            to: c.trained_to,
        });
    }
    let hex = !c.data_fingerprint.is_empty()
        && c.data_fingerprint
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
    if !hex {
        return Err(Invalid::Fingerprint {
            value: c.data_fingerprint,
        });
    }
    Ok(ModelCard {
        name: c.name,
        kontera_version: c.kontera_version,
        trained_from,
        trained_to,
        calibration_from,
        lines: c.lines,
        fit_lines: c.fit_lines,
        calibration_lines: c.calibration_lines,
        invoices: c.invoices,
        data_fingerprint: c.data_fingerprint,
        fields: c.fields,
        labels: c.labels,
        units: c.units,
        creditors: c.creditors,
        options: c.options,
        notes: c.notes,
    })
}

/// The card describes the model and directory it travels with.
fn check_card_matches(
    card: &ModelCard,
    model: &CodingModel,
    directory: &Directory,
) -> Result<(), Invalid> {
    let counts = [
        ("units", card.units, directory.units().len()),
        ("creditors", card.creditors, directory.creditors().len()),
    ];
    for (what, card, found) in counts {
        if card != found as u64 {
            return Err(Invalid::CardDirectory { what, card, found });
        }
    }
    let names: Vec<String> = model
        .fields
        .iter()
        .map(|f| f.field.as_str().to_owned())
        .collect();
    if card.fields != names {
        return Err(Invalid::CardFields {
            card: card.fields.clone(),
            model: names,
        });
    }
    if card.labels.len() != names.len() {
        return Err(Invalid::CardLabelCount {
            card: card.labels.len(),
            fields: names.len(),
        });
    }
    for (f, &count) in model.fields.iter().zip(&card.labels) {
        if count != f.labels.len() as u64 {
            return Err(Invalid::CardLabels {
                field: f.field.as_str().to_owned(),
                card: count,
                model: f.labels.len(),
            });
        }
    }
    Ok(())
}

fn date(field: &'static str, value: &str) -> Result<NaiveDate, Invalid> {
    NaiveDate::parse_from_str(value, "%Y-%m-%d").map_err(|_| Invalid::Date {
        field,
        value: value.to_owned(),
    })
}

fn non_negative(x: f32) -> bool {
    x.is_finite() && x >= 0.0
}
