//! The artifact the tests save and load: a small hand-built model over three fields, with
//! values whose bits must survive exactly.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use kontera_core::model::{
    BandedCalibration, CodingModel, FEATURES, Field, FieldModel, Head, TableBuilder,
};
use kontera_model::{Artifact, ModelCard, Policy};

pub fn head(labels: u32, seed: u32) -> Head {
    let mut b = TableBuilder::default();
    for i in 0..40u32 {
        let key = u64::from(i.wrapping_mul(2_654_435_761)) << 17 | u64::from(seed);
        b.add(key, i % labels, 1.0 / 3.0 + i as f32, 738_000 + i as i32);
        b.add(key, (i + seed) % labels, 0.1, 738_100 + i as i32);
    }
    let mut weights = [0.0f32; FEATURES];
    for (i, w) in weights.iter_mut().enumerate() {
        *w = (i as f32 + 0.1) / 7.0 - 1.0;
    }
    // Values whose bits must survive exactly.
    weights[0] = -0.0;
    weights[1] = f32::MIN_POSITIVE / 4.0;
    weights[2] = f32::MAX;
    Head {
        table: b.finish(),
        prior: (0..labels).map(|l| (l as f32).ln_1p() / 3.0).collect(),
        weights,
    }
}

pub fn field(field: Field, labels: &[&str], seed: u32) -> FieldModel {
    FieldModel {
        field,
        labels: labels.iter().map(|l| l.to_string()).collect(),
        head: head(labels.len() as u32, seed),
    }
}

pub fn artifact() -> Artifact {
    let triples: Vec<(f32, f32, bool)> = (0..500)
        .map(|i| (i as f32 / 500.0, (i % 600) as f32, (i * 7919) % 500 < i))
        .collect();
    let model = CodingModel {
        fields: vec![
            field(Field::Account, &["22010", "22020", "45110"], 1),
            field(Field::CostCentre, &["1001", "1002"], 2),
            field(Field::VatCode, &["I25", "I0"], 3),
        ],
        calibration: BandedCalibration::fit(&triples),
    };
    let date = |s: &str| s.parse::<NaiveDate>().unwrap();
    Artifact {
        model,
        policy: Policy {
            thresholds: vec![(0.95, 0.81), (0.99, 0.973)],
            default_target: 0.99,
            min_support: 5.0,
        },
        card: ModelCard {
            name: "Testkommune".into(),
            kontera_version: "0.1.0".into(),
            trained_from: date("2022-01-01"),
            trained_to: date("2024-12-31"),
            calibration_from: date("2024-10-01"),
            lines: 1200,
            fit_lines: 1000,
            calibration_lines: 200,
            invoices: 700,
            data_fingerprint: "00ff".repeat(16),
            fields: vec!["account".into(), "cost_centre".into(), "vat_code".into()],
            labels: vec![3, 2, 2],
            options: BTreeMap::from([
                ("window_years".into(), "3".into()),
                ("epochs".into(), "60".into()),
            ]),
            notes: vec!["generated data".into()],
        },
    }
}
