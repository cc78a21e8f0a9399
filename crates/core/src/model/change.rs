//! `recent_change`: a supplier × unit whose latest coding disagrees with its history, or with
//! the model's answer. Codings drift (a new account structure, a service moved to another
//! budget), and the line after such a change is where a confident model is most often wrong; so
//! a flagged prediction is calibrated on flagged lines alone (see
//! [`super::CodingModel::changed`]) and the service names the reason.

use super::calibration::BandedCalibration;
use super::head::{Exclude, last_label};
use super::keys::KeyKind;
use super::table::{KeyEvidence, LabelCount, LabelId};

/// The key whose latest use is compared with its history: the supplier's invoices to one unit.
pub const CHANGE_KEY: KeyKind = KeyKind::SupplierUnit;

/// Whether a field's top label `top` is flagged under the key's evidence `ev`: the key was last
/// used with another label than `top`, or its last use has less (recency-weighted) weight
/// under the key than its most frequent label. A key used with one label only is never
/// flagged for agreeing with it. `exclude` is the line's own contribution when the table was
/// built with it (leave-one-out).
pub fn disagrees(ev: &KeyEvidence<'_>, top: LabelId, exclude: Option<Exclude>) -> bool {
    let Some(last) = last_label(ev, exclude) else {
        return false;
    };
    let (mut last_count, mut best) = (0.0f32, 0.0f32);
    for &LabelCount { label, count, .. } in ev.labels {
        let count = adjusted(count, label, exclude);
        best = best.max(count);
        if label == last {
            last_count = count;
        }
    }
    last != top || last_count < best
}

/// The calibrated probability of a complete coding: `main` for unflagged lines; for lines
/// flagged `recent_change` the flagged lines' calibration `changed` (when there is one), never
/// above `main`.
pub fn calibrated(
    main: &BandedCalibration,
    changed: Option<&BandedCalibration>,
    raw: f32,
    support: f32,
    flagged: bool,
) -> f32 {
    let p = main.apply(raw, support);
    match changed {
        Some(c) if flagged => c.apply(raw, support).min(p),
        _ => p,
    }
}

fn adjusted(count: f32, label: LabelId, exclude: Option<Exclude>) -> f32 {
    match exclude {
        Some(e) if e.label == label => count - e.weight,
        _ => count,
    }
}

#[cfg(test)]
mod tests {
    use super::super::{
        AmountBuckets, BandedCalibration, CodingModel, Field, FieldModel, Head, KeyScratch,
        LineEvidence, LineKeys, ModelScratch, SimilarIndex, TableBuilder, fit,
    };

    fn line(supplier: &'static str) -> LineEvidence<'static> {
        LineEvidence {
            supplier: Some(supplier),
            unit: Some("U1"),
            text: "Rengøring af lokaler",
            amount: 1200.0,
            ..Default::default()
        }
    }

    /// Supplier S1 coded account 0 for ten invoices to U1, then account 1 for the last two;
    /// supplier S2 always account 0.
    fn model(changed: Option<BandedCalibration>) -> CodingModel {
        let mut builder = TableBuilder::default();
        let mut keys = LineKeys::default();
        let mut scratch = KeyScratch::default();
        let history = (0..10)
            .map(|d| ("S1", 0, d))
            .chain([("S1", 1, 10), ("S1", 1, 11)])
            .chain((0..12).map(|d| ("S2", 0, d)));
        for (supplier, label, day) in history {
            keys.extract(&line(supplier), AmountBuckets::default(), &mut scratch);
            for (_, key) in keys.iter() {
                builder.add(key, label, 1.0, day);
            }
        }
        // Right as often as the raw score says; flagged lines half as often at the top.
        let main: Vec<(f32, f32, bool)> = vec![(0.0, 50.0, false), (1.0, 50.0, true)];
        CodingModel {
            fields: vec![FieldModel {
                field: Field::Account,
                labels: vec!["4000".into(), "4100".into()],
                head: Head {
                    table: builder.finish(),
                    prior: vec![0.0, 0.0],
                    weights: fit::initial_weights(),
                },
            }],
            calibration: BandedCalibration::fit(&main),
            changed,
            partial: Vec::new(),
            similar: SimilarIndex::default(),
            amount_buckets: AmountBuckets::default(),
        }
    }

    #[test]
    fn a_supplier_unit_coded_differently_of_late_flags_the_prediction_and_lowers_it() {
        let changed =
            BandedCalibration::fit(&[(0.0, 50.0, false), (1.0, 50.0, true), (1.0, 50.0, false)]);
        let m = model(Some(changed));
        let mut scratch = ModelScratch::default();

        let steady = m.predict(&line("S2"), &mut scratch);
        assert_eq!(steady.top(0), Some(0));
        assert!(!steady.recent_change, "always the same account: {steady:?}");

        let p = m.predict(&line("S1"), &mut scratch);
        // The history still wins the vote, but the last two invoices were coded otherwise.
        assert_eq!(p.top(0), Some(0));
        assert!(p.recent_change, "{p:?}");
        let unflagged = m.calibration.apply(p.raw, p.support);
        assert!(
            p.confidence < unflagged,
            "flagged {} must be below the main calibration's {unflagged}",
            p.confidence
        );
        assert_eq!(p.confidence, m.calibrated(p.raw, p.support, true));

        // Without a calibration of its own the flagged line keeps the main one.
        let plain = model(None).predict(&line("S1"), &mut scratch);
        assert!(plain.recent_change);
        assert_eq!(plain.confidence, unflagged);
    }

    #[test]
    fn a_flagged_calibration_above_the_main_one_never_raises_confidence() {
        let generous = BandedCalibration::fit(&[(0.0, 50.0, true), (1.0, 50.0, true)]);
        let m = model(Some(generous));
        let mut scratch = ModelScratch::default();
        let p = m.predict(&line("S1"), &mut scratch);
        assert!(p.recent_change);
        assert_eq!(p.confidence, m.calibration.apply(p.raw, p.support));
    }
}
