//! The artifact the tests save and load: a small hand-built model over three fields, with
//! values whose bits must survive exactly.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use kontera_core::directory::{AmountHistory, CreditorEntry, Directory, UnitEntry};
use kontera_core::model::{
    AmountBuckets, BandedCalibration, CodingModel, FEATURES, Field, FieldModel, FieldSet, Head,
    KeyScratch, LineEvidence, LineKeys, SimilarBuilder, SimilarIndex, SubsetCalibration,
    TableBuilder,
};
use kontera_core::{Area, CreditorId, UnitId};
use kontera_model::{Artifact, ModelCard, Policy};
use rust_decimal::Decimal;

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

/// Keys of a line of supplier `s` at unit `u`.
pub fn keys(s: &str, u: &str) -> LineKeys {
    let mut k = LineKeys::default();
    let line = LineEvidence {
        supplier: Some(s),
        unit: Some(u),
        text: "mælk",
        ..LineEvidence::default()
    };
    k.extract(&line, AmountBuckets::default(), &mut KeyScratch::default());
    k
}

/// Similar invoices over codings of (account, cost centre, VAT code).
pub fn similar() -> SimilarIndex {
    let mut b = SimilarBuilder::new(3);
    b.add(&keys("S1", "U1"), &[0, 1, 0], 0);
    b.add(&keys("S1", "U1"), &[0, 1, 0], 1);
    b.add(&keys("S2", "U1"), &[2, 0, 1], 2);
    b.finish(&["F-1", "F-2", "F-3"])
}

pub fn directory() -> Directory {
    let units = vec![
        UnitEntry {
            id: UnitId::new("U1"),
            gln: Some("5798000100220".parse().unwrap()),
            name: "Børnehuset Nørretoft".into(),
            area: Some(Area::Daycare),
        },
        UnitEntry {
            id: UnitId::new("Library services"),
            gln: None,
            name: "Library services".into(),
            area: None,
        },
    ];
    let creditors = vec![CreditorEntry {
        id: CreditorId::new("K000001"),
        cvr: Some("39445387".parse().unwrap()),
        name: "Dagrofa Foodservice A/S".into(),
        blocked: false,
        bank_account_changed: Some(NaiveDate::from_ymd_opt(2024, 5, 10).unwrap()),
        address_changed: None,
        industry_code: Some("463900".into()),
        amounts: AmountHistory::from_totals(
            ["1250.50", "980.25", "15000.00"].map(|s| s.parse::<Decimal>().unwrap()),
        ),
    }];
    Directory::new(units, creditors).unwrap()
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
        changed: Some(BandedCalibration::fit(&triples[100..])),
        partial: vec![SubsetCalibration {
            fields: FieldSet::from_flags(&[false, true, true]),
            calibration: BandedCalibration::fit(&triples[..300]),
        }],
        similar: similar(),
        amount_buckets: AmountBuckets::default(),
    };
    let date = |s: &str| s.parse::<NaiveDate>().unwrap();
    Artifact {
        model,
        policy: Policy {
            thresholds: vec![(0.95, 0.81), (0.99, 0.973)],
            default_target: 0.99,
            min_support: 5.0,
        },
        directory: directory(),
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
            units: 2,
            creditors: 1,
            options: BTreeMap::from([
                ("window_years".into(), "3".into()),
                ("epochs".into(), "60".into()),
            ]),
            notes: vec!["generated data".into()],
        },
    }
}
