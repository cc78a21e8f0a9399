//! The artifact format end to end: round trips, determinism, the envelope's checks and the
//! validation of every part of a payload, each with its own message.

mod common;

use common::{artifact, keys};
use kontera_core::model::{
    AmountBuckets, BandedCalibration, Calibration, FieldSet, SimilarBuilder, SubsetCalibration,
    TableBuilder,
};
use kontera_model::{
    Artifact, FORMAT_VERSION, HEADER_LEN, ModelCard, ModelError, Policy, checksum_hex, decode,
    encode,
};
use sha2::{Digest, Sha256};

/// A change to part of the artifact and the message it must give.
type Case<T> = (fn(&mut T), &'static str);

/// The message of decoding `bytes`.
fn error(bytes: &[u8]) -> String {
    decode(bytes).unwrap_err().to_string()
}

/// The message of decoding an artifact changed by `change`.
fn invalid(change: impl FnOnce(&mut Artifact)) -> String {
    let mut a = artifact();
    change(&mut a);
    let message = error(&encode(&a));
    assert!(
        message.ends_with("; retrain with this version of kontera"),
        "{message}"
    );
    message
}

fn weight_bits(a: &Artifact) -> Vec<u32> {
    let mut bits = Vec::new();
    for f in &a.model.fields {
        bits.extend(f.head.weights.iter().map(|w| w.to_bits()));
        bits.extend(f.head.prior.iter().map(|w| w.to_bits()));
        for row in f.head.table.rows() {
            bits.push(row.total.to_bits());
            bits.extend(row.labels.iter().map(|l| l.1.to_bits()));
        }
    }
    for m in &a.model.calibration.maps {
        bits.extend(
            m.points()
                .iter()
                .flat_map(|p| [p.0.to_bits(), p.1.to_bits()]),
        );
    }
    bits
}

/// Wraps a payload in a valid envelope.
fn envelope(version: u32, payload: &[u8]) -> Vec<u8> {
    let mut out = b"KONTERA\0".to_vec();
    out.extend_from_slice(&version.to_le_bytes());
    out.extend_from_slice(&(payload.len() as u64).to_le_bytes());
    out.extend_from_slice(&Sha256::digest(payload));
    out.extend_from_slice(payload);
    out
}

#[test]
fn artifact_is_send_and_sync() {
    fn check<T: Send + Sync>() {}
    check::<Artifact>();
    check::<ModelError>();
}

#[test]
fn round_trip_is_exact() {
    let a = artifact();
    let b = decode(&encode(&a)).unwrap();
    assert_eq!(b, a);
    assert_eq!(weight_bits(&b), weight_bits(&a));
    assert_eq!(
        b.model.fields[0].head.weights[0].to_bits(),
        (-0.0f32).to_bits()
    );
    assert_eq!(b.policy.default_threshold(), 0.973);
}

#[test]
fn encoding_is_deterministic() {
    let first = encode(&artifact());
    assert_eq!(encode(&artifact()), first);
    assert_eq!(encode(&decode(&first).unwrap()), first);
    assert_eq!(&first[..8], b"KONTERA\0");
    assert_eq!(first[8..12], FORMAT_VERSION.to_le_bytes());
    let payload = (first.len() - HEADER_LEN) as u64;
    assert_eq!(first[12..20], payload.to_le_bytes());
    assert_eq!(checksum_hex(&first).len(), 64);
}

#[test]
fn a_file_shorter_than_the_header_is_not_a_model() {
    assert_eq!(
        error(b"KONTERA\0"),
        "not a Kontera model file: 8 bytes is shorter than the 52-byte header; \
         point at the model.bin that `kontera train` wrote"
    );
}

#[test]
fn wrong_magic_is_not_a_model() {
    let mut bytes = encode(&artifact());
    bytes[0] = b'P';
    assert!(error(&bytes).starts_with("not a Kontera model file (it does not start with"));
}

#[test]
fn another_version_asks_to_retrain_or_upgrade() {
    let mut bytes = encode(&artifact());
    bytes[8..12].copy_from_slice(&1u32.to_le_bytes());
    assert_eq!(
        error(&bytes),
        "model format version 1, this kontera reads versions 2 to 5: retrain or upgrade"
    );
    bytes[8..12].copy_from_slice(&6u32.to_le_bytes());
    assert!(error(&bytes).starts_with("model format version 6, "));
}

#[test]
fn a_version_4_file_keeps_the_amount_buckets_its_keys_were_hashed_with() {
    let a = artifact();
    assert_eq!(a.model.amount_buckets, AmountBuckets::Round);
    let payload = encode(&a)[HEADER_LEN..].to_vec();
    assert_eq!(
        decode(&envelope(FORMAT_VERSION, &payload))
            .unwrap()
            .model
            .amount_buckets,
        AmountBuckets::Round
    );
    let old = decode(&envelope(4, &payload)).unwrap();
    assert_eq!(old.model.amount_buckets, AmountBuckets::QuarterDecade);
    // Everything else reads the same.
    assert_eq!(old.model.fields, a.model.fields);
    // Written again, such a model stays a version 4 file, byte for byte, so its keys keep
    // their buckets.
    assert_eq!(encode(&old), envelope(4, &payload));
    let dir = tempfile::tempdir().unwrap();
    kontera_model::save(dir.path(), &old).unwrap();
    let again = kontera_model::load(dir.path()).unwrap();
    assert_eq!(again.model.amount_buckets, AmountBuckets::QuarterDecade);
    let card = std::fs::read_to_string(dir.path().join("card.json")).unwrap();
    assert!(card.contains("\"format_version\": 4,"), "{card}");
}

#[test]
fn a_truncated_file_says_how_much_is_missing() {
    let bytes = encode(&artifact());
    let payload = bytes.len() - HEADER_LEN;
    let message = error(&bytes[..bytes.len() - 10]);
    assert_eq!(
        message,
        format!(
            "truncated: expected {payload} payload bytes, found {}; copy the model again or retrain",
            payload - 10
        )
    );
    let mut longer = bytes.clone();
    longer.push(0);
    assert!(error(&longer).starts_with(&format!(
        "trailing bytes: expected {payload} payload bytes, found {}",
        payload + 1
    )));
}

#[test]
fn a_flipped_payload_byte_fails_the_checksum() {
    let mut bytes = encode(&artifact());
    let middle = HEADER_LEN + (bytes.len() - HEADER_LEN) / 2;
    bytes[middle] ^= 0x01;
    assert!(error(&bytes).starts_with("corrupted: checksum mismatch"));
}

#[test]
fn a_payload_that_does_not_decode_asks_to_retrain() {
    let message = error(&envelope(FORMAT_VERSION, &[0xff; 7]));
    assert!(
        message.starts_with("the model payload does not decode ("),
        "{message}"
    );
    assert!(
        message.ends_with("retrain with this version of kontera"),
        "{message}"
    );
}

#[test]
fn label_ids_must_name_a_label() {
    let message = invalid(|a| {
        let mut b = TableBuilder::default();
        b.add(0xabc, 3, 1.0, 0);
        a.model.fields[1].head.table = b.finish();
    });
    assert_eq!(
        message,
        "invalid model: field `cost_centre`: evidence key 0000000000000abc names label id 3, \
         but the field has only 2 labels; retrain with this version of kontera"
    );
}

#[test]
fn weights_must_be_finite() {
    let message = invalid(|a| a.model.fields[2].head.weights[5] = f32::NAN);
    assert!(
        message.contains("field `vat_code`: weight 5 is NaN, not a finite number"),
        "{message}"
    );
}

#[test]
fn priors_must_match_the_labels() {
    let message = invalid(|a| {
        a.model.fields[0].head.prior.pop();
    });
    assert!(
        message.contains("field `account` has 2 label priors for 3 labels"),
        "{message}"
    );
    let message = invalid(|a| a.model.fields[0].head.prior[1] = f32::INFINITY);
    assert!(
        message.contains("prior of label 1 is inf, not a finite number ≥ 0"),
        "{message}"
    );
}

#[test]
fn counts_must_be_finite_and_not_negative() {
    let message = invalid(|a| {
        let mut b = TableBuilder::default();
        b.add(7, 0, -2.0, 0);
        a.model.fields[0].head.table = b.finish();
    });
    assert!(
        message.contains("evidence key 0000000000000007 has count -2, not a finite number ≥ 0"),
        "{message}"
    );
}

#[test]
fn labels_must_be_unique() {
    let message = invalid(|a| a.model.fields[2].labels[1] = "I25".into());
    assert!(
        message.contains("field `vat_code` lists label `I25` twice"),
        "{message}"
    );
}

#[test]
fn fields_must_be_unique_and_in_order() {
    let message = invalid(|a| {
        a.model.fields.swap(0, 1);
        a.card.fields.swap(0, 1);
        a.card.labels.swap(0, 1);
    });
    assert!(
        message.contains("field `account` is repeated or out of order"),
        "{message}"
    );
    let message = invalid(|a| {
        a.model.fields.clear();
        a.card.fields.clear();
        a.card.labels.clear();
    });
    assert!(message.contains("the model predicts no field"), "{message}");
}

#[test]
fn calibration_maps_must_be_monotone() {
    let message = invalid(|a| {
        a.model.calibration.maps[2] = Calibration::fit(&mut [(f32::NAN, true)]);
    });
    assert!(
        message.contains("calibration of band 2: calibration points must increase"),
        "{message}"
    );
}

#[test]
fn calibration_bands_must_increase_and_have_one_map_each() {
    let message = invalid(|a| a.model.calibration.bounds.swap(1, 2));
    assert!(
        message.contains("calibration band bounds [0.0, 20.0, 5.0, 100.0, 500.0] are not"),
        "{message}"
    );
    let message = invalid(|a| {
        a.model.calibration.maps.pop();
    });
    assert!(
        message.contains("calibration has 5 band bounds but 4 maps"),
        "{message}"
    );
    let message = invalid(|a| a.model.calibration = BandedCalibration::default());
    assert!(
        message.contains("the model has no calibration"),
        "{message}"
    );
}

#[test]
fn policy_targets_and_thresholds_are_checked() {
    let cases: [Case<Policy>; 5] = [
        (
            |p| p.thresholds[0].0 = 1.0,
            "policy: target precision 1 is not between 0 and 1 (exclusive)",
        ),
        (
            |p| p.thresholds[1].1 = f32::NAN,
            "policy: threshold NaN for target precision 0.99 is not a finite number",
        ),
        (
            |p| p.thresholds[0].0 = 0.99,
            "policy: target precision 0.99 is listed twice",
        ),
        (
            |p| p.default_target = 0.9,
            "policy: default target precision 0.9 has no threshold",
        ),
        (
            |p| p.min_support = -1.0,
            "policy: minimum support -1 is not a finite number ≥ 0",
        ),
    ];
    for (change, expected) in cases {
        let message = invalid(|a| change(&mut a.policy));
        assert!(message.contains(expected), "{message}");
    }
}

#[test]
fn the_card_must_describe_the_model() {
    let cases: [Case<ModelCard>; 7] = [
        (
            |c| c.units = 3,
            "card says the directory has 3 units, but it has 2",
        ),
        (
            |c| c.creditors = 0,
            "card says the directory has 0 creditors, but it has 1",
        ),
        (
            |c| c.data_fingerprint = "ABC".into(),
            "card: data fingerprint `ABC` is not lowercase hexadecimal",
        ),
        (
            |c| std::mem::swap(&mut c.trained_from, &mut c.trained_to),
            "card: training window starts 2024-12-31, after it ends 2022-01-01",
        ),
        (
            |c| {
                c.fields.pop();
            },
            "card lists fields [\"account\", \"cost_centre\"], but the model has",
        ),
        (
            |c| c.labels[1] = 9,
            "card says field `cost_centre` has 9 labels, but the model has 2",
        ),
        (
            |c| {
                c.labels.pop();
            },
            "card gives label counts for 2 fields, but the model has 3",
        ),
    ];
    for (change, expected) in cases {
        let message = invalid(|a| change(&mut a.card));
        assert!(message.contains(expected), "{message}");
    }
}

#[test]
fn similar_invoices_directory_and_partial_calibrations_survive_a_round_trip() {
    let b = decode(&encode(&artifact())).unwrap();
    let coding = [Some(0), Some(1), Some(0)];
    let found: Vec<&str> = b.model.similar(&keys("S1", "U1"), coding, None).collect();
    assert_eq!(found, ["F-2", "F-1"]);
    let k = b
        .directory
        .creditor_by_cvr("39445387".parse().unwrap())
        .unwrap();
    assert_eq!(k.amounts.unwrap().median, "1250.50".parse().unwrap());
    assert_eq!(b.directory.unit("Library services").unwrap().area, None);
    let set = FieldSet::from_flags(&[false, true, true]);
    assert_eq!(
        b.model.calibration_for(set),
        &artifact().model.partial[0].calibration
    );
}

#[test]
fn similar_invoices_must_name_known_labels() {
    let message = invalid(|a| {
        let mut s = SimilarBuilder::new(3);
        s.add(&keys("S", "U"), &[0, 5, 0], 0);
        a.model.similar = s.finish(&["F-1"]);
    });
    assert!(
        message.contains(
            "similar invoices: coding 0 names label id 5 for field `cost_centre`, which has only 2 labels"
        ),
        "{message}"
    );
    let message = invalid(|a| {
        let mut s = SimilarBuilder::new(2);
        s.add(&keys("S", "U"), &[0, 0], 0);
        a.model.similar = s.finish(&["F-1"]);
    });
    assert!(
        message.contains("similar invoices: a coding's length is not the model's number of fields"),
        "{message}"
    );
}

#[test]
fn partial_calibrations_must_be_proper_subsets_each_once() {
    let cal = || artifact().model.calibration;
    let sub = |flags: &[bool]| SubsetCalibration {
        fields: FieldSet::from_flags(flags),
        calibration: cal(),
    };
    let message = invalid(|a| a.model.partial.push(sub(&[true, true, true])));
    assert!(
        message.contains("partial calibration 1: field set 0b111"),
        "{message}"
    );
    let message = invalid(|a| a.model.partial.push(sub(&[false, true, true])));
    assert!(
        message.contains("partial calibration 1: field set 0b110"),
        "{message}"
    );
    let message = invalid(|a| a.model.partial.push(sub(&[])));
    assert!(message.contains("is empty"), "{message}");
    let message = invalid(|a| {
        let mut s = sub(&[false, false, true]);
        s.calibration.maps.pop();
        a.model.partial.push(s);
    });
    assert!(
        message.contains("partial calibration 1: calibration has"),
        "{message}"
    );
}

#[test]
fn the_calibration_of_recently_changed_codings_survives_a_round_trip_and_is_validated() {
    let a = artifact();
    let b = decode(&encode(&a)).unwrap();
    assert!(b.model.changed.is_some());
    assert_eq!(b.model.changed, a.model.changed);
    let mut none = artifact();
    none.model.changed = None;
    assert_eq!(decode(&encode(&none)).unwrap().model.changed, None);
    // A version 2 file (no extension after the model) still loads, without that calibration;
    // in a version 2 file nothing may follow the model.
    let v3 = encode(&a);
    let v2_payload = &encode_v2_payload(&none);
    let v2 = envelope(2, v2_payload);
    let old = decode(&v2).unwrap();
    assert_eq!(old.model.changed, None);
    assert_eq!(old.model.fields, a.model.fields);
    let mut trailing = v3[HEADER_LEN..].to_vec();
    assert!(
        decode(&envelope(2, &trailing))
            .unwrap_err()
            .to_string()
            .contains("bytes left")
    );
    trailing.push(0);
    assert!(
        decode(&envelope(3, &trailing))
            .unwrap_err()
            .to_string()
            .contains("bytes left")
    );
    let message = invalid(|a| {
        if let Some(c) = &mut a.model.changed {
            c.maps.pop();
        }
    });
    assert!(
        message.contains("calibration of recently changed codings: calibration has"),
        "{message}"
    );
}

/// The version 2 payload of an artifact without a flagged-lines calibration: the version 3
/// payload less its extension (one byte: `None`).
fn encode_v2_payload(a: &Artifact) -> Vec<u8> {
    assert!(a.model.changed.is_none());
    let v3 = encode(a);
    let payload = &v3[HEADER_LEN..];
    assert_eq!(
        payload.last(),
        Some(&0),
        "the extension of a model without it is `None`"
    );
    payload[..payload.len() - 1].to_vec()
}

#[test]
fn a_version_3_file_widens_its_weights_to_the_new_key_kinds() {
    use kontera_core::model::{FEATURES, KINDS_BEFORE_ACCOUNTING_COST, KeyKind};
    let (old, new) = (KINDS_BEFORE_ACCOUNTING_COST, KeyKind::COUNT);
    let per_kind = (FEATURES - 2) / new - 1;
    // Today's layout: per kind, then the prior and the "other" bias, then novelty per kind.
    let later_kinds: Vec<usize> = (old * per_kind..new * per_kind)
        .chain(new * per_kind + 2 + old..FEATURES)
        .collect();
    let mut a = artifact();
    for f in &mut a.model.fields {
        for &i in &later_kinds {
            f.head.weights[i] = 0.0;
        }
    }
    // The same payload with every field's weights written as format 3 wrote them: 14 kinds.
    let mut payload = encode(&a)[HEADER_LEN..].to_vec();
    for f in &a.model.fields {
        let w = &f.head.weights;
        let narrow: Vec<f32> = w[..old * per_kind]
            .iter()
            .chain(&w[new * per_kind..new * per_kind + 2 + old])
            .copied()
            .collect();
        let wire = |ws: &[f32]| {
            let mut out = vec![u8::try_from(ws.len()).unwrap()];
            ws.iter()
                .for_each(|x| out.extend_from_slice(&x.to_le_bytes()));
            out
        };
        let (from, to) = (wire(w), wire(&narrow));
        let at = payload
            .windows(from.len())
            .position(|s| s == from.as_slice())
            .expect("the field's weights in the payload");
        payload.splice(at..at + from.len(), to);
    }
    let old_file = decode(&envelope(3, &payload)).unwrap();
    assert_eq!(old_file.model.fields, a.model.fields);
    // Read as today's format, the same weights are too short, and validation says so.
    let message = decode(&envelope(FORMAT_VERSION, &payload))
        .unwrap_err()
        .to_string();
    assert!(message.contains("weights"), "{message}");
}
