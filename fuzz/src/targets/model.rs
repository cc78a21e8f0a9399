//! Target `model`: the model file (`model.bin`) as the service loads it, through
//! `kontera_model::decode` (what `kontera_model::load` calls on the file's bytes).
//!
//! A mutated file almost always fails its SHA-256 check, so each input is decoded twice: as it
//! is (the envelope's checks), and with its payload — the bytes after the header when the input
//! starts with the magic, else all of it — put in a fresh, valid envelope (of the input's own
//! format version when this kontera reads it, so older files' payloads are read as such), so
//! mutations reach the `postcard` decoding and the validation behind the checksum. Invariants: a model that
//! loads re-encodes to bytes that load and encode to the same bytes, and it codes lines the way the
//! service does (predict, confidence, candidates' labels, similar invoices) without panicking —
//! validation must have refused anything that could make the service index out of range.

use kontera_core::model::{LineEvidence, ModelScratch};
use kontera_model::{
    Artifact, FORMAT_VERSION, HEADER_LEN, MAGIC, ModelError, OLDEST_READABLE_VERSION, checksum_hex,
    decode, encode,
};

use super::outcome::{bucket, template};

pub(super) fn run(data: &[u8]) -> Vec<String> {
    let mut out = Vec::new();
    check("file", decode(data), &mut out);
    let (version, payload) = match data.strip_prefix(&MAGIC) {
        Some(rest) if data.len() >= HEADER_LEN => {
            let version = u32::from_le_bytes(rest[..4].try_into().expect("four bytes"));
            let readable = (OLDEST_READABLE_VERSION..=FORMAT_VERSION).contains(&version);
            (
                if readable { version } else { FORMAT_VERSION },
                &data[HEADER_LEN..],
            )
        }
        _ => (FORMAT_VERSION, data),
    };
    check("payload", decode(&envelope(version, payload)), &mut out);
    out
}

/// `payload` behind a correct header: magic, `version`, length and SHA-256.
fn envelope(version: u32, payload: &[u8]) -> Vec<u8> {
    let hex = checksum_hex(payload);
    let mut out = Vec::with_capacity(HEADER_LEN + payload.len());
    out.extend_from_slice(&MAGIC);
    out.extend_from_slice(&version.to_le_bytes());
    out.extend_from_slice(&(payload.len() as u64).to_le_bytes());
    for pair in hex.as_bytes().chunks(2) {
        let digits = std::str::from_utf8(pair).expect("hex is ASCII");
        out.push(u8::from_str_radix(digits, 16).expect("checksum_hex gives hex"));
    }
    out.extend_from_slice(payload);
    out
}

fn check(prefix: &str, result: Result<Artifact, ModelError>, out: &mut Vec<String>) {
    match result {
        Ok(artifact) => {
            // Re-encoding canonicalises (a table's rows are written in key order, whatever
            // order the file had), so compare the canonical bytes, not the structures.
            let bytes = encode(&artifact);
            let again = decode(&bytes).unwrap_or_else(|e| {
                panic!("a model that loads re-encodes to bytes that do not: {e}")
            });
            assert!(
                encode(&again) == bytes,
                "a model re-encoded and loaded again encodes differently"
            );
            code_lines(&artifact);
            out.push(format!("{prefix}:ok"));
            out.push(format!(
                "{prefix}:ok:fields:{}:units:{}",
                artifact.card.fields.len(),
                bucket(artifact.directory.units().len())
            ));
        }
        Err(e) => {
            // Variant names, not messages: messages echo numbers (`-0.5`, `NaN`, `inf`), and the
            // fuzzer would keep a 150 KB model for each.
            out.push(format!("{prefix}:err:{}", variant(&e)));
            match &e {
                ModelError::Invalid(invalid) => {
                    out.push(format!("{prefix}:err:Invalid:{}", variant(invalid)));
                }
                ModelError::Payload { reason } => {
                    out.push(format!("{prefix}:err:Payload:{}", template(reason)));
                }
                _ => {}
            }
        }
    }
}

/// The name of an enum value's variant, from its `Debug` output.
fn variant(value: &impl std::fmt::Debug) -> String {
    let debug = format!("{value:?}");
    debug
        .split([' ', '(', '{'])
        .next()
        .unwrap_or_default()
        .to_owned()
}

/// Codes a few lines as `kontera-serve`'s `code.rs` does: suppliers and units from the model's
/// own directory (so the evidence tables are hit), then fixed ones.
fn code_lines(artifact: &Artifact) {
    let model = &artifact.model;
    let directory = &artifact.directory;
    let units: Vec<&str> = directory.units().iter().map(|u| u.id.as_str()).collect();
    let mut pairs: Vec<(Option<&str>, Option<&str>)> = directory
        .creditors()
        .iter()
        .take(3)
        .enumerate()
        .map(|(i, c)| (Some(c.id.as_str()), units.get(i).copied()))
        .collect();
    pairs.push((
        Some("ALLSTAR BUSINESS SOLUTIONS LTD"),
        Some("Arboriculture"),
    ));
    pairs.push((None, None));
    let mut scratch = ModelScratch::default();
    for (supplier, unit) in pairs {
        let line = LineEvidence {
            supplier,
            unit,
            buyer_reference: None,
            text: "Fuel/Oil AS60046921",
            item_id: None,
            unspsc: None,
            industry: None,
            vat_category: Some("S"),
            amount: 25.99,
            accounting_cost: Some("5.25.14-1-2.21"),
        };
        let prediction = model.predict(&line, &mut scratch);
        let all = vec![true; model.fields.len()];
        let _ = model.confidence_for(&prediction, &all);
        let _ = model.confidence_for(&prediction, &[true]);
        for (field, candidates) in model.fields.iter().zip(&prediction.fields) {
            for &(label, _, _) in candidates {
                let _ = &field.labels[label as usize];
            }
        }
        let _ = model
            .similar(&scratch.keys, prediction.top_coding(), None)
            .count();
    }
}
