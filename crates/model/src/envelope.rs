//! The `model.bin` format: a fixed header, then the payload.
//!
//! | bytes   | content                                                   |
//! |---------|-----------------------------------------------------------|
//! | 0..8    | magic `KONTERA\0`                                         |
//! | 8..12   | format version, u32 little-endian ([`FORMAT_VERSION`])    |
//! | 12..20  | payload length in bytes, u64 little-endian                |
//! | 20..52  | SHA-256 of the payload                                    |
//! | 52..    | payload: the artifact's wire shape encoded with `postcard` |
//!
//! [`decode`] checks, in order: length of the header, magic, version, payload length, checksum,
//! then decodes the payload and validates it. A change to the wire shape is a new version.
//!
//! The payload is the version 2 shape followed by what version 3 added (the calibration of
//! codings flagged `recent_change`), so this kontera reads both: a version 2 file is a model
//! without that calibration. An older kontera refuses a version 3 file by its version.
//!
//! Version 4 added two key kinds (the invoice's own account string, with the supplier and alone),
//! so a field's weights are longer. The payload's shape is unchanged: a version 2 or 3 file's
//! weights, laid out for the 14 kinds before, are widened on reading with zeros for the new kinds
//! ([`kontera_core::model::widen_weights`]), and the model predicts exactly as it did.

use sha2::{Digest, Sha256};

use kontera_core::model::{AmountBuckets, KINDS_BEFORE_ACCOUNTING_COST};

use crate::artifact::Artifact;
use crate::dto::{ArtifactDto, ExtensionDto};
use crate::error::ModelError;
use crate::fingerprint::hex;

/// The first bytes of every model file.
pub const MAGIC: [u8; 8] = *b"KONTERA\0";
/// The format this kontera writes and reads.
/// Version 2 added the directory, the similar-invoice index and the per-subset calibrations;
/// version 3 the calibration of lines flagged `recent_change`; version 4 the key kinds of the
/// invoice's own account string; version 5 changed the amount keys' buckets (the payload is
/// version 4's: the version says which buckets its keys were hashed with, see
/// [`kontera_core::model::amount`]).
pub const FORMAT_VERSION: u32 = 5;
/// The first format whose amount keys use [`AmountBuckets::Round`]; a model whose keys use the
/// quarter decades (read from an older file) is written as the format before it, whose payload
/// is the same, so that it reads back as it was.
const ROUND_AMOUNTS_FROM: u32 = 5;
/// The oldest format this kontera still reads.
pub const OLDEST_READABLE_VERSION: u32 = 2;
/// Bytes before the payload: magic, version, payload length, checksum.
pub const HEADER_LEN: usize = 8 + 4 + 8 + 32;

/// The format version `artifact` is written as: [`FORMAT_VERSION`], or the one before it for a
/// model whose amount keys use the quarter decades.
pub(crate) fn version_of(artifact: &Artifact) -> u32 {
    match artifact.model.amount_buckets {
        AmountBuckets::Round => FORMAT_VERSION,
        AmountBuckets::QuarterDecade => ROUND_AMOUNTS_FROM - 1,
    }
}

/// The artifact as a `model.bin` file. Deterministic: the same artifact gives the same bytes.
/// It does not validate; [`crate::save`] does before writing.
pub fn encode(artifact: &Artifact) -> Vec<u8> {
    let mut payload = postcard::to_stdvec(&ArtifactDto::from_artifact(artifact))
        .expect("the wire shape has no maps with non-text keys or unsized sequences");
    payload.extend(
        postcard::to_stdvec(&ExtensionDto::from_artifact(artifact))
            .expect("the extension has no maps or unsized sequences"),
    );
    let mut out = Vec::with_capacity(HEADER_LEN + payload.len());
    out.extend_from_slice(&MAGIC);
    out.extend_from_slice(&version_of(artifact).to_le_bytes());
    out.extend_from_slice(&(payload.len() as u64).to_le_bytes());
    out.extend_from_slice(&Sha256::digest(&payload));
    out.extend_from_slice(&payload);
    out
}

/// Reads a `model.bin` file's bytes, checking the envelope and validating the model.
pub fn decode(bytes: &[u8]) -> Result<Artifact, ModelError> {
    if bytes.len() < HEADER_LEN {
        return Err(ModelError::TooShort { len: bytes.len() });
    }
    let (header, payload) = bytes.split_at(HEADER_LEN);
    if header[0..8] != MAGIC {
        return Err(ModelError::NotAModel);
    }
    let version = u32::from_le_bytes(header[8..12].try_into().unwrap());
    if !(OLDEST_READABLE_VERSION..=FORMAT_VERSION).contains(&version) {
        return Err(ModelError::Version { found: version });
    }
    let expected = u64::from_le_bytes(header[12..20].try_into().unwrap());
    let found = payload.len() as u64;
    if found < expected {
        return Err(ModelError::Truncated { expected, found });
    }
    if found > expected {
        return Err(ModelError::TrailingBytes { expected, found });
    }
    if Sha256::digest(payload).as_slice() != &header[20..52] {
        return Err(ModelError::Corrupted);
    }
    let payload_error = |e: postcard::Error| ModelError::Payload {
        reason: e.to_string(),
    };
    let (mut dto, rest): (ArtifactDto, _) =
        postcard::take_from_bytes(payload).map_err(payload_error)?;
    if version < 4 {
        dto.widen_weights(KINDS_BEFORE_ACCOUNTING_COST);
    }
    // Version 2 ends here; version 3 may go on with its extension.
    let (extension, rest): (ExtensionDto, _) = if version >= 3 && !rest.is_empty() {
        postcard::take_from_bytes(rest).map_err(payload_error)?
    } else {
        (ExtensionDto::default(), rest)
    };
    if !rest.is_empty() {
        return Err(ModelError::Payload {
            reason: format!("{} bytes left after the model", rest.len()),
        });
    }
    let mut artifact = Artifact::try_from((dto, extension))?;
    if version < ROUND_AMOUNTS_FROM {
        // Its amount keys were hashed with the buckets of their day: it scores as it did.
        artifact.model.amount_buckets = AmountBuckets::QuarterDecade;
    }
    Ok(artifact)
}

/// Lowercase hex SHA-256 of a file's bytes (e.g. a whole `model.bin`, to name a model).
pub fn checksum_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}
