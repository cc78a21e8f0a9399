//! The learned coding model: one head per field (account, cost centre, VAT code) over shared
//! evidence keys, and a calibration that turns the heads' joint score into the probability that
//! the whole coding is right.
//!
//! Fitting lives on the training side (`kontera-train`); this module holds the fitted model and
//! inference, which the service runs for every line.

pub mod amount;
pub mod calibration;
pub mod change;
pub mod evidence;
pub mod fit;
pub mod head;
pub mod keys;
pub mod similar;
pub mod subset;
pub mod table;
pub mod text;

pub use amount::AmountBuckets;
pub use calibration::{BandedCalibration, Calibration};
pub use change::CHANGE_KEY;
pub use evidence::LineEvidence;
pub use head::{Exclude, FEATURES, Head, HeadScratch, KINDS_BEFORE_ACCOUNTING_COST, widen_weights};
pub use keys::{KeyKind, KeyScratch, LineKeys};
pub use similar::{SimilarBuilder, SimilarIndex, SimilarInvoices, SimilarRow};
pub use subset::{FieldSet, SubsetCalibration};
pub use table::{EvidenceTable, LabelCount, LabelId, Recency, TableBuilder, TableRow};

/// A field the model predicts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Field {
    Account,
    CostCentre,
    VatCode,
}

impl Field {
    pub const ALL: [Field; 3] = [Field::Account, Field::CostCentre, Field::VatCode];

    pub fn as_str(self) -> &'static str {
        match self {
            Field::Account => "account",
            Field::CostCentre => "cost_centre",
            Field::VatCode => "vat_code",
        }
    }
}

/// The fitted predictor of one field with its label names.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldModel {
    pub field: Field,
    pub labels: Vec<String>,
    pub head: Head,
}

impl FieldModel {
    /// The id of a label by name (a linear search: for building responses, not per line).
    pub fn label_id(&self, label: &str) -> Option<LabelId> {
        self.labels
            .iter()
            .position(|l| l == label)
            .map(|i| i as LabelId)
    }
}

/// A fitted coding model.
#[derive(Debug, Clone, PartialEq)]
pub struct CodingModel {
    /// The fields it predicts, in [`Field`] order, each at most once.
    pub fields: Vec<FieldModel>,
    /// Raw joint score and support → probability that every field is right.
    pub calibration: BandedCalibration,
    /// Raw joint score and support → probability, for lines flagged
    /// [`LinePrediction::recent_change`]: fitted on flagged lines alone (the main calibration on
    /// the others), and never above the main calibration. `None` when training had too few
    /// flagged lines; flagged lines then take the main calibration.
    pub changed: Option<BandedCalibration>,
    /// Calibrations of partly predicted codings (some fields fixed by the invoice or a rule),
    /// one per subset of fields that was fitted; see [`CodingModel::confidence_for`].
    pub partial: Vec<SubsetCalibration>,
    /// The latest past invoices per specific key and coding; see [`CodingModel::similar`].
    pub similar: SimilarIndex,
    /// How its amount keys bucket a line's amount (see [`amount`]).
    pub amount_buckets: AmountBuckets,
}

/// Candidates kept per field in a [`LinePrediction`]: the top coding and its alternatives.
pub const MAX_ALTERNATIVES: usize = 5;

/// Reusable buffers for [`CodingModel::predict`].
#[derive(Debug, Default)]
pub struct ModelScratch {
    pub keys: LineKeys,
    key_scratch: KeyScratch,
    pub heads: Vec<HeadScratch>,
}

/// The model's answer for one line. Labels index into [`FieldModel::labels`].
#[derive(Debug, Clone, PartialEq)]
pub struct LinePrediction {
    /// Per field (same order as [`CodingModel::fields`]): the best [`MAX_ALTERNATIVES`]
    /// candidates as (label, probability within the field, support). Empty when nothing is known.
    pub fields: Vec<Vec<(LabelId, f32, f32)>>,
    /// Product of the fields' top probabilities.
    pub raw: f32,
    /// Calibrated probability that the top coding is right in every field.
    pub confidence: f32,
    /// Past lines agreeing with the top coding under a specific key (the smallest over fields).
    pub support: f32,
    /// The supplier × unit's latest coding disagrees with the top coding or with the key's
    /// history in some field (see [`change`]): the coding may have changed, and the confidence
    /// is the flagged lines' calibration.
    pub recent_change: bool,
}

impl LinePrediction {
    /// The top label of field `i`, if any.
    pub fn top(&self, i: usize) -> Option<LabelId> {
        self.fields.get(i)?.first().map(|c| c.0)
    }

    /// The top coding: per field its top label, if any.
    pub fn top_coding(&self) -> impl Iterator<Item = Option<LabelId>> + '_ {
        self.fields.iter().map(|f| f.first().map(|c| c.0))
    }

    /// The raw score (product of top probabilities) and support (smallest over fields) of the
    /// fields in `set` alone; `None` when one of them has no candidate. An empty set scores 1
    /// with infinite support.
    pub fn partial(&self, set: FieldSet) -> Option<(f32, f32)> {
        let mut raw = 1.0f32;
        let mut support = f32::INFINITY;
        for i in set.iter() {
            let &(_, p, s) = self.fields.get(i)?.first()?;
            raw *= p;
            support = support.min(s);
        }
        Some((raw, support))
    }
}

impl CodingModel {
    /// Scores a line into `scratch`'s buffers; see [`LinePrediction`].
    pub fn predict(&self, line: &LineEvidence<'_>, scratch: &mut ModelScratch) -> LinePrediction {
        scratch
            .keys
            .extract(line, self.amount_buckets, &mut scratch.key_scratch);
        self.predict_keys(None, scratch)
    }

    /// The calibrated probability that the predicted fields of `prediction` are all right, when
    /// the others are fixed (by the invoice's account string or a rule): `fields_predicted[i]`
    /// says whether field `i` of [`CodingModel::fields`] is the model's (missing flags: not).
    /// Uses the calibration fitted on that subset of fields; a subset never fitted falls back
    /// to the all-fields calibration applied to the subset's product (an upper estimate).
    /// Nothing predicted is certain (1); a predicted field without candidates gives 0.
    pub fn confidence_for(&self, prediction: &LinePrediction, fields_predicted: &[bool]) -> f32 {
        let set =
            FieldSet::from_flags(fields_predicted).intersect(FieldSet::all(self.fields.len()));
        if set.is_empty() {
            return 1.0;
        }
        match prediction.partial(set) {
            Some((raw, support)) => self.calibration_for(set).apply(raw, support),
            None => 0.0,
        }
    }

    /// The calibration of codings whose predicted fields are `set`.
    pub fn calibration_for(&self, set: FieldSet) -> &BandedCalibration {
        self.partial
            .iter()
            .find(|c| c.fields == set)
            .map_or(&self.calibration, |c| &c.calibration)
    }

    /// The ids of the most recent past invoices behind `coding` (per field a label, `None`:
    /// any) for the line whose keys are `keys` (after [`CodingModel::predict`]:
    /// `scratch.keys`): up to three from the most specific of supplier × unit × text,
    /// supplier × unit and supplier that knows the coding, most recent first. `exclude` is
    /// never returned: pass the line's own invoice when coding a line the model was trained on.
    /// For the top coding pass [`LinePrediction::top_coding`]. Cheap (at most three lookups),
    /// but meant for building a response, not for every scored line.
    pub fn similar(
        &self,
        keys: &LineKeys,
        coding: impl IntoIterator<Item = Option<LabelId>>,
        exclude: Option<&str>,
    ) -> SimilarInvoices<'_> {
        let mut wanted = [None; similar::MAX_FIELDS];
        for (w, c) in wanted.iter_mut().zip(coding) {
            *w = c;
        }
        self.similar.find(keys, &wanted, exclude)
    }

    /// Scores a line whose keys are already in `scratch.keys`, optionally leaving out the line's
    /// own labels (for lines the tables were built from).
    pub fn predict_keys(
        &self,
        exclude: Option<&[Exclude]>,
        scratch: &mut ModelScratch,
    ) -> LinePrediction {
        scratch
            .heads
            .resize_with(self.fields.len(), HeadScratch::default);
        let mut fields: Vec<Vec<(LabelId, f32, f32)>> = Vec::with_capacity(self.fields.len());
        let mut raw = 1.0f32;
        let mut support = f32::INFINITY;
        for (i, fm) in self.fields.iter().enumerate() {
            let ex = exclude.and_then(|e| e.get(i)).copied();
            // The first head's entries are the others' hints (the tables share their keys).
            let (first, others) = scratch.heads.split_at_mut(1);
            let (hs, hint) = match i {
                0 => (&mut first[0], None),
                _ => (&mut others[i - 1], Some(&first[0])),
            };
            fm.head.score_hinted(&scratch.keys, hint, ex, hs);
            match hs.ranked.first() {
                Some(&(_, p, s)) => {
                    raw *= p;
                    support = support.min(s);
                }
                None => {
                    raw = 0.0;
                    support = 0.0;
                }
            }
            fields.push(hs.ranked.iter().take(MAX_ALTERNATIVES).copied().collect());
        }
        if support.is_infinite() {
            support = 0.0;
        }
        // A coding with an empty field is never right: no confidence at all.
        let complete = fields.iter().all(|f| !f.is_empty());
        let recent_change = complete
            && self.fields.iter().enumerate().any(|(i, fm)| {
                let ex = exclude.and_then(|e| e.get(i)).copied();
                let top = fields[i][0].0;
                scratch.heads[i]
                    .entry_of(CHANGE_KEY)
                    .is_some_and(|e| change::disagrees(&fm.head.table.entry(e), top, ex))
            });
        let confidence = if complete {
            self.calibrated(raw, support, recent_change)
        } else {
            0.0
        };
        LinePrediction {
            fields,
            raw,
            confidence,
            support,
            recent_change,
        }
    }

    /// The calibrated probability of a complete coding's raw score and support; a line flagged
    /// `recent_change` takes the flagged lines' calibration, never above the main one.
    pub fn calibrated(&self, raw: f32, support: f32, recent_change: bool) -> f32 {
        change::calibrated(
            &self.calibration,
            self.changed.as_ref(),
            raw,
            support,
            recent_change,
        )
    }
}
