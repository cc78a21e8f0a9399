//! The bundled model's predictions for every line of the committed sample, bit for bit: a
//! digest of every probability, rank, support, confidence, `recent_change` flag and feature, for
//! the CPR-masked and the raw texts, scored as served and leave-one-out (as training scores its
//! own lines). Speeding up scoring must not change a single bit; a deliberate change of scoring,
//! or a new `models/default`, changes the digest, which is then updated here with the reason.

#[path = "../benches/common/mod.rs"]
mod common;

use std::fmt::Write;

use chrono::Datelike;
use kontera_core::model::{Exclude, LineEvidence, LinePrediction, ModelScratch};

/// The sum (wrapping) of the FNV-1a digests (64 bits) of the lines `predictions` writes, as of
/// the new `models/default` with amount keys in round buckets (format 5), a minimum support of
/// 10, and split accounts resolved by the side their cost centre took (before:
/// `0x53da_cf3c_888e_4342`, commit a324c6a; `0x08ec_7d27_b7ec_ee3c`, commit 9516604): a sum, so
/// that the order the sample's invoices are read in does not matter.
const DIGEST: u64 = 0xef20_9c7b_9287_4a2c;

#[test]
fn predictions_of_the_sample_are_unchanged_bit_for_bit() {
    let text = predictions();
    assert_eq!(
        text.lines().count(),
        125_304,
        "20,884 lines × 2 texts × 3 scorings"
    );
    let digest = text.lines().fold(0u64, |sum, line| {
        sum.wrapping_add(fnv(line.bytes().map(u64::from)))
    });
    assert_eq!(digest, DIGEST, "the predictions changed: {digest:#x}");
}

/// FNV-1a (64 bits) of `items`.
fn fnv(items: impl Iterator<Item = u64>) -> u64 {
    items.fold(0xcbf2_9ce4_8422_2325, |d, x| {
        (d ^ x).wrapping_mul(0x0100_0000_01b3)
    })
}

/// One line of text per prediction: each line of the sample with its CPR-masked text and with
/// its raw description, scored as served and with each field's top (then second) label taken
/// out leave-one-out.
fn predictions() -> String {
    let artifact = kontera_model::load(&common::default_model()).expect("models/default loads");
    let model = artifact.model;
    let mut out = String::new();
    let mut scratch = ModelScratch::default();
    for inv in &common::invoices() {
        for i in 0..inv.lines.len() {
            let masked = inv.evidence(i);
            let raw = LineEvidence {
                text: &inv.lines[i].description,
                ..masked
            };
            for (variant, evidence) in [("m", masked), ("r", raw)] {
                let p = model.predict(&evidence, &mut scratch);
                let tag = format!("{} {i} {variant}", inv.number);
                write_prediction(&mut out, &format!("{tag} plain"), &p, &scratch);
                let day = inv.issue_date.num_days_from_ce();
                for rank in 0..2 {
                    let exclude: Vec<Exclude> = p
                        .fields
                        .iter()
                        .map(|f| Exclude {
                            label: f.get(rank).or(f.first()).map_or(0, |c| c.0),
                            weight: [1.0, 0.37][rank],
                            day: day - rank as i32,
                        })
                        .collect();
                    let q = model.predict_keys(Some(&exclude), &mut scratch);
                    write_prediction(&mut out, &format!("{tag} ex{rank}"), &q, &scratch);
                }
            }
        }
    }
    out
}

/// The prediction's figures as bits, then per head its whole ranking and a digest of its
/// features.
fn write_prediction(out: &mut String, tag: &str, p: &LinePrediction, s: &ModelScratch) {
    let bits = |x: f32| x.to_bits();
    write!(
        out,
        "{tag} raw={:08x} conf={:08x} sup={:08x} rc={}",
        bits(p.raw),
        bits(p.confidence),
        bits(p.support),
        p.recent_change
    )
    .unwrap();
    for f in &p.fields {
        out.push_str(" |");
        for c in f {
            write!(out, " {}:{:08x}:{:08x}", c.0, bits(c.1), bits(c.2)).unwrap();
        }
    }
    for h in &s.heads {
        let features = fnv(h.features.iter().map(|x| u64::from(x.to_bits())));
        write!(out, " # {} {:016x}", h.ranked.len(), features).unwrap();
        for c in &h.ranked {
            write!(out, " {}:{:08x}:{:08x}", c.0, bits(c.1), bits(c.2)).unwrap();
        }
    }
    out.push('\n');
}
